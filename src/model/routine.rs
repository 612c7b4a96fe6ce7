//! Functions, procedures, aggregates and triggers.

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

/// Which kind of aggregate (`pg_aggregate.aggkind`): ordered-set and hypothetical-set
/// aggregates take their aggregated arguments after `ORDER BY` (`percentile(float8 ORDER BY
/// anyelement)`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum AggregateKind {
    #[default]
    Normal,
    OrderedSet,
    Hypothetical,
}

/// Whether an aggregate's final function modifies the state (`FINALFUNC_MODIFY`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FinalModify {
    ReadOnly,
    Shareable,
    ReadWrite,
}

impl FinalModify {
    pub fn sql(self) -> &'static str {
        match self {
            FinalModify::ReadOnly => "READ_ONLY",
            FinalModify::Shareable => "SHAREABLE",
            FinalModify::ReadWrite => "READ_WRITE",
        }
    }

    /// PostgreSQL's default for a kind of aggregate: read-only for a normal one, read-write for
    /// the others. The model keeps only a value that differs from it.
    pub fn default_for(kind: AggregateKind) -> FinalModify {
        match kind {
            AggregateKind::Normal => FinalModify::ReadOnly,
            AggregateKind::OrderedSet | AggregateKind::Hypothetical => FinalModify::ReadWrite,
        }
    }
}

/// A user-defined aggregate (`CREATE AGGREGATE`). It shares the function namespace: its
/// identity is a `FunctionId` (name and argument types) and its graph key `ObjKey::Function`.
/// Support functions are names (from the catalog as `regproc` prints them, schema-qualified
/// outside `pg_catalog`), types as `format_type` prints them; from YAML, as written.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Aggregate {
    /// The argument list as PostgreSQL prints it (`text`, `double precision ORDER BY text`,
    /// `*`).
    pub arguments: String,
    pub kind: AggregateKind,
    pub sfunc: String,
    pub stype: String,
    pub sspace: Option<i32>,
    pub finalfunc: Option<String>,
    pub finalfunc_extra: bool,
    /// `None`: PostgreSQL's default for the kind (`FinalModify::default_for`).
    pub finalfunc_modify: Option<FinalModify>,
    pub combinefunc: Option<String>,
    pub serialfunc: Option<String>,
    pub deserialfunc: Option<String>,
    /// The initial state, as the string PostgreSQL stores (`''` is not `None`).
    pub initcond: Option<String>,
    /// Moving-aggregate mode (`MSFUNC`, `MINVFUNC`, `MSTYPE` go together).
    pub msfunc: Option<String>,
    pub minvfunc: Option<String>,
    pub mstype: Option<String>,
    pub msspace: Option<i32>,
    pub mfinalfunc: Option<String>,
    pub mfinalfunc_extra: bool,
    pub mfinalfunc_modify: Option<FinalModify>,
    pub minitcond: Option<String>,
    /// The sort operator of a MIN/MAX-like aggregate (`>`, `pg_catalog.<`).
    pub sortop: Option<String>,
    pub parallel: Parallel,
    /// The result type (`pg_get_function_result`): read from the catalog, `None` from YAML
    /// (it follows from the final function or the state type).
    pub returns: Option<String>,
    pub comment: Option<String>,
}

impl Aggregate {
    /// Whether `CREATE OR REPLACE AGGREGATE` turns this aggregate into `other`: PostgreSQL
    /// refuses to change the kind, the arguments (with the number of direct ones) or the
    /// result type.
    pub fn replaceable_by(&self, other: &Aggregate) -> bool {
        self.kind == other.kind
            && self.arguments == other.arguments
            && self.returns == other.returns
    }

    /// The names of the support functions it calls, as written.
    pub fn support_functions(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.sfunc.as_str()).chain(
            [
                &self.finalfunc,
                &self.combinefunc,
                &self.serialfunc,
                &self.deserialfunc,
                &self.msfunc,
                &self.minvfunc,
                &self.mfinalfunc,
            ]
            .into_iter()
            .flatten()
            .map(String::as_str),
        )
    }

    /// The state types it names.
    pub fn state_types(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.stype.as_str()).chain(self.mstype.as_deref())
    }
}

// ---- Security: privileges, ownership, row-level security ----
