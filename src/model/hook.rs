//! Data hooks of the desired state (`hooks:`): SQL that moves data between the expand and contract
//! phases, how it is batched and verified, and what the history says of it.

use serde::{Deserialize, Serialize};

use super::names::QualName;

/// When a hook runs: in the backfill phase (after every expand step and column backfill), or
/// just before the contract phase (after the backfill-phase hooks).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum HookPhase {
    Backfill,
    BeforeContract,
}

/// What a hook runs after.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Dependency {
    /// Another hook, by name.
    Hook(String),
    /// A table, view, sequence or type.
    Object(QualName),
}

/// How a hook walks its source table: ranges of `size` keys, each its own transaction.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Batch {
    pub table: QualName,
    pub key: String,
    pub size: i64,
    /// Pause between batches, in milliseconds.
    pub pause_ms: u64,
    /// The key column's type, read from the database when the plan is made.
    #[serde(default)]
    pub key_type: String,
}

/// A query that must hold after the hook: one row whose boolean values are all true, or, when
/// it has no boolean value, whose values are all equal.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Verify {
    pub name: String,
    pub sql: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Hook {
    pub name: String,
    pub phase: HookPhase,
    pub depends_on: Vec<Dependency>,
    /// With a batch, `:lo` and `:hi` stand for the first and last key of each range.
    pub up: String,
    pub down: Option<String>,
    pub batch: Option<Batch>,
    pub verify: Vec<Verify>,
    #[serde(default)]
    pub comment: Option<String>,
    /// SHA-256 of `up`: what the history knows the hook by, with its name.
    pub hash: String,
}

impl Hook {
    /// Whether the hook names `table`: its batch table or a relation it depends on.
    pub fn works_on(&self, table: &QualName) -> bool {
        self.batch.as_ref().is_some_and(|b| &b.table == table)
            || self
                .depends_on
                .iter()
                .any(|d| matches!(d, Dependency::Object(q) if q == table))
    }

    pub fn hash_of(up: &str) -> String {
        crate::stdx::sha256_hex(up.trim().as_bytes())[..16].to_string()
    }
}

/// What the history says about a hook (by name and hash).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Recorded {
    /// Batches are done up to `last_key` (`None`: not started).
    Running {
        last_key: Option<String>,
        rows: i64,
    },
    /// `up` finished; its verifications have not passed yet.
    Filled,
    Done,
}
