//! Privileges, row-level security, policies and default privileges.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use super::expr::*;
use super::names::*;

/// A privilege that can be granted on some kind of object.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Privilege {
    Select,
    Insert,
    Update,
    Delete,
    Truncate,
    References,
    Trigger,
    /// `MAINTAIN` (PostgreSQL 17): VACUUM, ANALYZE, CLUSTER, REINDEX, REFRESH MATERIALIZED VIEW
    /// and LOCK TABLE on a relation. Part of a relation's `ALL` from 17 on.
    Maintain,
    Usage,
    Create,
    Execute,
}

impl Privilege {
    pub const ALL: [Privilege; 11] = [
        Privilege::Select,
        Privilege::Insert,
        Privilege::Update,
        Privilege::Delete,
        Privilege::Truncate,
        Privilege::References,
        Privilege::Trigger,
        Privilege::Maintain,
        Privilege::Usage,
        Privilege::Create,
        Privilege::Execute,
    ];
    pub const TABLE: &'static [Privilege] = &[
        Privilege::Select,
        Privilege::Insert,
        Privilege::Update,
        Privilege::Delete,
        Privilege::Truncate,
        Privilege::References,
        Privilege::Trigger,
        Privilege::Maintain,
    ];
    pub const COLUMN: &'static [Privilege] = &[
        Privilege::Select,
        Privilege::Insert,
        Privilege::Update,
        Privilege::References,
    ];
    pub const SEQUENCE: &'static [Privilege] =
        &[Privilege::Usage, Privilege::Select, Privilege::Update];
    pub const SCHEMA: &'static [Privilege] = &[Privilege::Usage, Privilege::Create];

    /// As SQL and `aclexplode` write it: `SELECT`.
    pub fn sql(self) -> &'static str {
        match self {
            Privilege::Select => "SELECT",
            Privilege::Insert => "INSERT",
            Privilege::Update => "UPDATE",
            Privilege::Delete => "DELETE",
            Privilege::Truncate => "TRUNCATE",
            Privilege::References => "REFERENCES",
            Privilege::Trigger => "TRIGGER",
            Privilege::Maintain => "MAINTAIN",
            Privilege::Usage => "USAGE",
            Privilege::Create => "CREATE",
            Privilege::Execute => "EXECUTE",
        }
    }

    /// The first major version that has the privilege (13, the oldest supported, for the rest).
    pub fn since(self) -> u32 {
        match self {
            Privilege::Maintain => 17,
            _ => 13,
        }
    }

    /// `privileges` hold every privilege of `kind` (PostgreSQL's `ALL`, as the newest version
    /// has it). Such a set is what `all` lowers to, and means the full set of whichever version
    /// the target runs: a privilege newer than the target is dropped from it, not refused.
    pub fn is_all_of(privileges: &Privileges, kind: &[Privilege]) -> bool {
        kind.iter().all(|p| privileges.contains_key(p))
    }

    /// From SQL or YAML spelling, in any case.
    pub fn parse(text: &str) -> Option<Privilege> {
        Privilege::ALL
            .into_iter()
            .find(|p| p.sql().eq_ignore_ascii_case(text.trim()))
    }
}

/// One grantee's privileges on one object, each with whether it is held `WITH GRANT OPTION`.
pub type Privileges = BTreeMap<Privilege, bool>;

/// Privileges on one object by grantee role (`public` stands for PUBLIC). The one shape every
/// kind of object that takes grants uses (schemas, tables, columns, views, sequences, default
/// privileges; functions can take it as they come).
pub type Grants = BTreeMap<String, Privileges>;

/// The grantee name that stands for PUBLIC.
pub const PUBLIC_ROLE: &str = "public";

/// An object that has an owner and takes grants.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum SecuredObject {
    Schema(String),
    Table(QualName),
    View(QualName),
    Sequence(QualName),
    Column(QualName, String),
    Function(FunctionId),
}

impl SecuredObject {
    pub fn schema(&self) -> &str {
        match self {
            SecuredObject::Schema(s) => s,
            SecuredObject::Table(q)
            | SecuredObject::View(q)
            | SecuredObject::Sequence(q)
            | SecuredObject::Column(q, _) => &q.schema,
            SecuredObject::Function(f) => &f.name.schema,
        }
    }

    /// The privileges this kind of object takes.
    pub fn privileges(&self) -> &'static [Privilege] {
        match self {
            SecuredObject::Schema(_) => Privilege::SCHEMA,
            SecuredObject::Table(_) | SecuredObject::View(_) => Privilege::TABLE,
            SecuredObject::Sequence(_) => Privilege::SEQUENCE,
            SecuredObject::Column(..) => Privilege::COLUMN,
            SecuredObject::Function(_) => &[Privilege::Execute],
        }
    }
}

impl fmt::Display for SecuredObject {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SecuredObject::Schema(s) => write!(f, "{s}"),
            SecuredObject::Table(q) | SecuredObject::View(q) | SecuredObject::Sequence(q) => {
                write!(f, "{q}")
            }
            SecuredObject::Column(q, c) => write!(f, "{q}.{c}"),
            SecuredObject::Function(id) => write!(f, "{id}"),
        }
    }
}

/// `ALTER TABLE … ENABLE | FORCE ROW LEVEL SECURITY`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct RowSecurity {
    pub enabled: bool,
    /// Policies apply to the table's owner too.
    pub forced: bool,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord)]
pub enum PolicyCommand {
    #[default]
    All,
    Select,
    Insert,
    Update,
    Delete,
}

impl PolicyCommand {
    pub const ALL: [PolicyCommand; 5] = [
        PolicyCommand::All,
        PolicyCommand::Select,
        PolicyCommand::Insert,
        PolicyCommand::Update,
        PolicyCommand::Delete,
    ];

    pub fn sql(self) -> &'static str {
        match self {
            PolicyCommand::All => "ALL",
            PolicyCommand::Select => "SELECT",
            PolicyCommand::Insert => "INSERT",
            PolicyCommand::Update => "UPDATE",
            PolicyCommand::Delete => "DELETE",
        }
    }
}

/// A row-level security policy (`CREATE POLICY`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Policy {
    /// `AS PERMISSIVE` (true) or `AS RESTRICTIVE`.
    pub permissive: bool,
    pub command: PolicyCommand,
    /// Role names, `public` for PUBLIC.
    pub roles: BTreeSet<String>,
    pub using: Option<Expr>,
    pub with_check: Option<Expr>,
    pub comment: Option<String>,
}

impl Policy {
    /// `using`, then `with_check`: the SQL the shadow verifies.
    pub fn expressions(&self) -> impl Iterator<Item = &Expr> {
        self.using.iter().chain(self.with_check.iter())
    }

    pub fn expressions_mut(&mut self) -> impl Iterator<Item = &mut Expr> {
        self.using.iter_mut().chain(self.with_check.iter_mut())
    }
}

/// The kinds of objects `ALTER DEFAULT PRIVILEGES` applies to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum DefaultObjects {
    Tables,
    Sequences,
    Functions,
    Types,
    Schemas,
}

impl DefaultObjects {
    pub const ALL: [DefaultObjects; 5] = [
        DefaultObjects::Tables,
        DefaultObjects::Sequences,
        DefaultObjects::Functions,
        DefaultObjects::Types,
        DefaultObjects::Schemas,
    ];

    pub fn sql(self) -> &'static str {
        match self {
            DefaultObjects::Tables => "TABLES",
            DefaultObjects::Sequences => "SEQUENCES",
            DefaultObjects::Functions => "FUNCTIONS",
            DefaultObjects::Types => "TYPES",
            DefaultObjects::Schemas => "SCHEMAS",
        }
    }

    pub fn privileges(self) -> &'static [Privilege] {
        match self {
            DefaultObjects::Tables => Privilege::TABLE,
            DefaultObjects::Sequences => Privilege::SEQUENCE,
            DefaultObjects::Functions => &[Privilege::Execute],
            DefaultObjects::Types => &[Privilege::Usage],
            DefaultObjects::Schemas => Privilege::SCHEMA,
        }
    }
}

/// Whose new objects, where, of which kind: one `pg_default_acl` entry.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct DefaultPrivilegeKey {
    /// `FOR ROLE`: the role whose new objects get the privileges.
    pub role: String,
    /// `IN SCHEMA`; `None` for objects created anywhere.
    pub schema: Option<String>,
    pub on: DefaultObjects,
}

impl fmt::Display for DefaultPrivilegeKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "default privileges for {}", self.role)?;
        if let Some(s) = &self.schema {
            write!(f, " in {s}")?;
        }
        write!(f, " on {}", self.on.sql().to_ascii_lowercase())
    }
}
