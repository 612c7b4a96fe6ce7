//! Functions, procedures and triggers.

use std::collections::BTreeMap;

use super::expr::*;
use super::names::*;
use super::security::*;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum RoutineKind {
    #[default]
    Function,
    Procedure,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Volatility {
    Immutable,
    Stable,
    #[default]
    Volatile,
}

impl Volatility {
    pub fn sql(self) -> &'static str {
        match self {
            Volatility::Immutable => "IMMUTABLE",
            Volatility::Stable => "STABLE",
            Volatility::Volatile => "VOLATILE",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Parallel {
    #[default]
    Unsafe,
    Restricted,
    Safe,
}

impl Parallel {
    pub fn sql(self) -> &'static str {
        match self {
            Parallel::Unsafe => "UNSAFE",
            Parallel::Restricted => "RESTRICTED",
            Parallel::Safe => "SAFE",
        }
    }
}

/// A function or procedure. Argument lists and the result are kept as PostgreSQL prints them
/// (`pg_get_function_arguments`, `pg_get_function_result`), which is also valid SQL to create
/// the function with; the body is kept exactly as written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Function {
    pub kind: RoutineKind,
    /// The full argument list with modes, names and defaults: `a integer, b text DEFAULT 'x'::text`.
    pub arguments: String,
    /// `integer`, `SETOF public.events`, `TABLE(id bigint, name text)`, `trigger`; `None` for a
    /// procedure.
    pub returns: Option<String>,
    pub language: String,
    pub volatility: Volatility,
    pub strict: bool,
    pub security_definer: bool,
    pub leakproof: bool,
    pub parallel: Parallel,
    /// Estimated execution cost (PostgreSQL's default: 1 for C and internal functions, 100 for
    /// the others).
    pub cost: Option<String>,
    /// Estimated rows of a set-returning function (default 1000).
    pub rows: Option<String>,
    /// `SET name = value` clauses, by setting name, values as PostgreSQL stores them.
    pub settings: BTreeMap<String, String>,
    /// The source text (`AS $$ … $$`), or for a SQL-standard body (`BEGIN ATOMIC … END`,
    /// `RETURN …`) the body as PostgreSQL prints it.
    pub body: String,
    pub sql_body: bool,
    pub comment: Option<String>,
    /// `GRANT EXECUTE` to the roles the model speaks for. PUBLIC's EXECUTE, which every new
    /// function has until it is revoked, is not written unless the ACL was changed.
    pub grants: Grants,
}

impl Function {
    /// The attributes `CREATE OR REPLACE` can change in place: everything but the kind, the
    /// result type, and the argument names and defaults (PostgreSQL refuses to change those).
    pub fn replaceable_by(&self, other: &Function) -> bool {
        self.kind == other.kind
            && self.returns == other.returns
            && self.arguments == other.arguments
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum TriggerTiming {
    Before,
    #[default]
    After,
    InsteadOf,
}

impl TriggerTiming {
    pub fn sql(self) -> &'static str {
        match self {
            TriggerTiming::Before => "BEFORE",
            TriggerTiming::After => "AFTER",
            TriggerTiming::InsteadOf => "INSTEAD OF",
        }
    }
}

/// Whether a trigger fires (`ALTER TABLE … ENABLE/DISABLE TRIGGER`), as `tgenabled` says.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum TriggerEnabled {
    /// Fires in the default `origin` (and `local`) replication role.
    #[default]
    Origin,
    Disabled,
    /// Fires only when `session_replication_role = replica`.
    Replica,
    /// Fires whatever the replication role.
    Always,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Trigger {
    pub timing: TriggerTiming,
    /// Any of `insert`, `update`, `delete`, `truncate`, in that order.
    pub events: Vec<String>,
    /// `UPDATE OF` columns (empty: any column).
    pub update_of: Vec<String>,
    pub for_each_row: bool,
    /// The `WHEN` condition, as printed.
    pub when: Option<Expr>,
    pub function: QualName,
    /// Arguments passed to the function, as the strings the function sees in `TG_ARGV`.
    pub arguments: Vec<String>,
    /// `REFERENCING OLD TABLE AS …` / `NEW TABLE AS …` (transition tables).
    pub old_table: Option<String>,
    pub new_table: Option<String>,
    /// `CREATE CONSTRAINT TRIGGER` (always after, for each row), with its deferral.
    pub constraint: bool,
    pub deferrable: bool,
    pub initially_deferred: bool,
    pub enabled: TriggerEnabled,
    pub comment: Option<String>,
}

// ---- Security: privileges, ownership, row-level security ----
