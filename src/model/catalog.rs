//! The whole model of one database (`Catalog`), and its objects as nodes of the dependency graph (`ObjKey`).

use std::collections::{BTreeMap, BTreeSet};

use super::names::*;
use super::publication::*;
use super::routine::*;
use super::security::*;
use super::table::*;
use super::textsearch::*;
use super::typedefs::*;
use super::view::*;

/// The whole managed schema of one database.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Catalog {
    pub schemas: BTreeMap<String, Schema>,
    pub extensions: BTreeMap<String, Extension>,
    pub enums: BTreeMap<QualName, EnumType>,
    pub sequences: BTreeMap<QualName, Sequence>,
    pub tables: BTreeMap<QualName, Table>,
    pub views: BTreeMap<QualName, View>,
    /// Functions and procedures, by name and argument types (overloads are distinct objects).
    pub functions: BTreeMap<FunctionId, Function>,
    pub materialized_views: BTreeMap<QualName, MaterializedView>,
    /// Aggregates, by name and argument types like functions (they share the namespace).
    pub aggregates: BTreeMap<FunctionId, Aggregate>,
    /// Dependencies PostgreSQL recorded in `pg_depend`, translated to model objects. Empty for a
    /// model loaded from YAML; the ordering then relies on structural dependencies alone.
    pub deps: BTreeSet<(ObjKey, ObjKey)>,
    /// Names of the types, functions, operators and operator classes each extension provides,
    /// as they appear qualified in printed SQL (read from the catalog; empty from YAML).
    pub extension_members: BTreeMap<String, BTreeSet<String>>,
    /// The roles whose privileges this model speaks for. From YAML, the `roles:` list: grants
    /// to other roles are neither made nor revoked. From the catalog, every role that holds a
    /// privilege or is named by a policy (owners, superusers and initdb's own grants aside).
    pub roles: BTreeSet<String>,
    /// From YAML, `roles: all`: the model speaks for every role (superusers aside), so a grant
    /// the target has to a role it does not list is revoked (`Catalog::managed_roles`). What
    /// `inspect` writes (`pipeline::inspect`): a copy of a database is a copy of its privileges
    /// too. False for every other model read from a catalog.
    pub every_role: bool,
    /// `ALTER DEFAULT PRIVILEGES`: what objects created later by a role get, by grantee.
    pub default_privileges: BTreeMap<DefaultPrivilegeKey, Grants>,
    /// Domains (`CREATE DOMAIN`), by name; they share the type namespace with enums and
    /// composite types.
    pub domains: BTreeMap<QualName, Domain>,
    /// Composite types (`CREATE TYPE … AS (…)`), by name.
    pub composite_types: BTreeMap<QualName, CompositeType>,
    /// Range types (`CREATE TYPE … AS RANGE`), by name; each brings its multirange type.
    pub range_types: BTreeMap<QualName, RangeType>,
    /// Collations (`CREATE COLLATION`), by name (their own namespace, apart from types).
    pub collations: BTreeMap<QualName, Collation>,
    /// The versions each installed extension can be updated to from its installed version
    /// (`pg_extension_update_paths`), by extension name. Read from the catalog; empty from YAML.
    pub extension_updates: BTreeMap<String, BTreeSet<String>>,
    /// Text search dictionaries, by name (a namespace of their own).
    pub text_search_dictionaries: BTreeMap<QualName, TsDictionary>,
    /// Text search configurations, by name (a namespace of their own).
    pub text_search_configurations: BTreeMap<QualName, TsConfiguration>,
    /// Publications of tables of the managed schemas, by name (database-level).
    pub publications: BTreeMap<String, Publication>,
    /// The server's `server_version_num` where the model was read from a database (what some
    /// of PostgreSQL's behaviour depends on, locks among it); 0 from YAML.
    pub server_version: i32,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Schema {
    pub comment: Option<String>,
    /// `None` from YAML when the owner is not managed (not compared).
    pub owner: Option<String>,
    pub grants: Grants,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Extension {
    /// `None` in YAML means "wherever PostgreSQL puts it"; such a field is not compared.
    pub schema: Option<String>,
    pub version: Option<String>,
}

/// A model object as a node of the dependency graph. Relations (tables, views, sequences and
/// indexes) share one key kind because they share one namespace in PostgreSQL.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ObjKey {
    Schema(String),
    Extension(String),
    Type(QualName),
    Relation(QualName),
    Column(QualName, String),
    Constraint(QualName, String),
    /// A function, procedure or aggregate (by name and identity argument types).
    Function(FunctionId),
    /// A trigger of a table.
    Trigger(QualName, String),
    /// The `OWNED BY` link of a sequence, kept apart from the sequence itself: the sequence is
    /// needed before the table (for its default) and the owner link after it.
    SequenceOwner(QualName),
    /// A relation being logged: a logged table may not reference an unlogged one.
    Logged(QualName),
    /// A table being a partition of its parent (attached), apart from the table itself: what
    /// the parent gave it can only be dropped once it is detached.
    Partition(QualName),
    /// A table inheriting from a parent (`INHERITS`, not a partition): the link, apart from
    /// the table. What the parent gives reaches the table only while it holds.
    Inherits(QualName, QualName),
    /// A row-level security policy of a table.
    Policy(QualName, String),
    /// Who owns an object: grants to its old or new owner wait for (or precede) the change.
    Owner(SecuredObject),
    /// A grantee's privileges on a table and its columns: revoking a table privilege also
    /// revokes it from every column, so removals of either come before additions of either.
    TablePrivileges(QualName, String),
    /// Extended statistics (in their table's schema).
    Statistics(QualName),
    /// A collation (not a type: collations have a namespace of their own).
    Collation(QualName),
    /// A text search dictionary.
    TsDictionary(QualName),
    /// A text search configuration.
    TsConfiguration(QualName),
    /// A publication (database-level).
    Publication(String),
}

/// How a node of the dependency graph is named: by a schema-qualified name (its own, or that of
/// the object it is a part of: a column's or a trigger's table), or otherwise.
pub enum KeyName<'a> {
    Named(&'a QualName),
    Schema(&'a str),
    Extension(&'a str),
    Publication(&'a str),
    Function(&'a FunctionId),
    Owner(&'a SecuredObject),
}

impl ObjKey {
    pub fn schema(&self) -> Option<&str> {
        match self.name() {
            KeyName::Named(q) => Some(&q.schema),
            KeyName::Schema(s) => Some(s),
            KeyName::Extension(_) | KeyName::Publication(_) => None,
            KeyName::Function(f) => Some(&f.name.schema),
            KeyName::Owner(o) => Some(o.schema()),
        }
    }

    /// How this node is named (see [`KeyName`]).
    pub fn name(&self) -> KeyName<'_> {
        match self {
            ObjKey::Type(q)
            | ObjKey::Relation(q)
            | ObjKey::Column(q, _)
            | ObjKey::Constraint(q, _)
            | ObjKey::SequenceOwner(q)
            | ObjKey::Logged(q)
            | ObjKey::Partition(q)
            | ObjKey::Inherits(q, _)
            | ObjKey::Trigger(q, _)
            | ObjKey::Policy(q, _)
            | ObjKey::TablePrivileges(q, _)
            | ObjKey::Statistics(q)
            | ObjKey::Collation(q)
            | ObjKey::TsDictionary(q)
            | ObjKey::TsConfiguration(q) => KeyName::Named(q),
            ObjKey::Schema(s) => KeyName::Schema(s),
            ObjKey::Extension(e) => KeyName::Extension(e),
            ObjKey::Publication(p) => KeyName::Publication(p),
            ObjKey::Function(f) => KeyName::Function(f),
            ObjKey::Owner(o) => KeyName::Owner(o),
        }
    }
}

impl Catalog {
    /// A table and the tables it inherits from (`INHERITS`), directly or not, each once.
    pub fn ancestors<'a>(&'a self, table: &'a QualName) -> Vec<(&'a QualName, &'a Table)> {
        let mut out: Vec<(&QualName, &Table)> = Vec::new();
        let mut todo = vec![table];
        while let Some(q) = todo.pop() {
            if out.iter().any(|(seen, _)| *seen == q) {
                continue;
            }
            if let Some(t) = self.tables.get(q) {
                out.push((q, t));
                todo.extend(t.inherits.iter());
            }
        }
        out
    }

    /// The roles whose privileges a plan from `current` to this model manages: the roles it
    /// lists (with `roles: all`, the roles it grants to); with `roles: all`, also every role
    /// that holds a privilege in `current` (the catalog lists those, superusers and initdb's
    /// own grants aside).
    pub fn managed_roles(&self, current: &Catalog) -> BTreeSet<String> {
        let mut out = self.roles.clone();
        if self.every_role {
            out.extend(current.roles.iter().cloned());
        }
        out
    }

    /// Whether `ALTER TABLE … SET [UN]LOGGED` takes the sequences the table owns along (and
    /// locks them): from PostgreSQL 15, which brought unlogged sequences; before, every sequence
    /// is logged. A model from YAML (version 0) follows 15.
    pub fn sequences_follow_table_persistence(&self) -> bool {
        !(1..150000).contains(&self.server_version)
    }

    /// The name PostgreSQL 18 gives the NOT NULL constraint of `column` of `table` when none is
    /// asked for: the parent's constraint's (a partition, or a table that inherits the column),
    /// else `<table>_<column>_not_null`.
    pub fn not_null_default(&self, table: &QualName, column: &str) -> String {
        let parents = (self.tables.get(table).into_iter()).flat_map(Table::parents);
        for parent in parents {
            let Some(p) = self.tables.get(parent) else {
                continue;
            };
            if p.column(column).is_some_and(|c| c.not_null) {
                return (p.not_null_names.get(column).cloned())
                    .unwrap_or_else(|| self.not_null_default(parent, column));
            }
        }
        super::naming::not_null_default_name(&table.name, column)
    }

    /// The names of `table`'s NOT NULL constraints that differ from PostgreSQL's default: what
    /// `inspect` writes, and a plan must keep.
    pub fn not_null_pins(&self, table: &QualName) -> BTreeMap<String, String> {
        let Some(t) = self.tables.get(table) else {
            return BTreeMap::new();
        };
        (t.not_null_names.iter())
            .filter(|(column, name)| **name != self.not_null_default(table, column))
            .map(|(c, n)| (c.clone(), n.clone()))
            .collect()
    }

    /// The schema names that hold any object of this model.
    pub fn schema_names(&self) -> BTreeSet<String> {
        let mut names: BTreeSet<String> = self.schemas.keys().cloned().collect();
        names.extend(self.object_schema_names());
        names
    }

    /// The schema names that hold an object of this model other than a schema itself.
    pub fn object_schema_names(&self) -> BTreeSet<String> {
        let mut names = BTreeSet::new();
        names.extend(self.enums.keys().map(|q| q.schema.clone()));
        names.extend(self.sequences.keys().map(|q| q.schema.clone()));
        names.extend(self.tables.keys().map(|q| q.schema.clone()));
        names.extend(self.views.keys().map(|q| q.schema.clone()));
        names.extend(self.functions.keys().map(|f| f.name.schema.clone()));
        names.extend(self.aggregates.keys().map(|f| f.name.schema.clone()));
        names.extend(self.materialized_views.keys().map(|q| q.schema.clone()));
        names.extend(self.domains.keys().map(|q| q.schema.clone()));
        names.extend(self.composite_types.keys().map(|q| q.schema.clone()));
        names.extend(self.range_types.keys().map(|q| q.schema.clone()));
        names.extend(self.collations.keys().map(|q| q.schema.clone()));
        names.extend(
            self.text_search_dictionaries
                .keys()
                .map(|q| q.schema.clone()),
        );
        names.extend(
            self.text_search_configurations
                .keys()
                .map(|q| q.schema.clone()),
        );
        names
    }

    /// The table columns (and whether as an array) whose type is `name`.
    pub fn columns_of_type(&self, name: &QualName) -> Vec<(QualName, String, bool)> {
        let printed = super::quote::qualified(name);
        let array = format!("{printed}[]");
        let mut out = Vec::new();
        for (t, table) in &self.tables {
            for c in &table.columns {
                if c.data_type == printed || c.data_type == array {
                    out.push((t.clone(), c.name.clone(), c.data_type == array));
                }
            }
        }
        out
    }

    /// The collation of this model an `ObjRef` names (a bare name in `schema`, then `public`).
    pub fn collation_of(&self, schema: &str, r: &ObjRef) -> Option<QualName> {
        let candidates = match &r.schema {
            Some(s) => vec![QualName::new(s.clone(), r.name.clone())],
            None => vec![
                QualName::new(schema, r.name.clone()),
                QualName::new("public", r.name.clone()),
            ],
        };
        candidates
            .into_iter()
            .find(|q| self.collations.contains_key(q))
    }

    /// `name` and the domains built over it, directly or through other domains, base first.
    pub fn domain_and_subdomains(&self, name: &QualName) -> Vec<QualName> {
        let mut out = vec![name.clone()];
        let mut i = 0;
        while i < out.len() {
            let base = super::quote::qualified(&out[i]);
            for (q, d) in &self.domains {
                if d.data_type == base && !out.contains(q) {
                    out.push(q.clone());
                }
            }
            i += 1;
        }
        out
    }

    /// Keys this model records as dependencies of `key` (from `pg_depend`).
    pub fn recorded_deps_of<'a>(&'a self, key: &'a ObjKey) -> impl Iterator<Item = &'a ObjKey> {
        use std::ops::Bound;
        self.deps
            .range((
                Bound::Included((key.clone(), ObjKey::Schema(String::new()))),
                Bound::Unbounded,
            ))
            .take_while(move |(from, _)| from == key)
            .map(|(_, to)| to)
    }
}

/// Casts PostgreSQL applies on assignment (`castcontext` `a` or `i`), by printed type names:
/// read from the target with its catalog.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Casts {
    pub assignment: BTreeSet<(String, String)>,
    /// Every cast, explicit ones included (`castcontext` `e` too).
    pub any: BTreeSet<(String, String)>,
}

impl Casts {
    /// Whether PostgreSQL knows no cast from `from` to `to` although both are types its casts
    /// name (built-in types, not domains or enums): values can then only go through text.
    pub fn none_between(&self, from: &str, to: &str) -> bool {
        let known = |t: &str| self.any.iter().any(|(a, b)| a == t || b == t);
        !self.any.contains(&(from.to_string(), to.to_string())) && known(from) && known(to)
    }
}

impl RangeType {
    /// The name of its multirange type.
    pub fn multirange(&self, name: &QualName) -> QualName {
        QualName::new(
            name.schema.clone(),
            self.multirange_type_name
                .clone()
                .unwrap_or_else(|| super::naming::multirange_name(&name.name)),
        )
    }
}

// Lookups that need the whole model or its graph keys, kept here so that the files of single
// object kinds need not import the catalog.
impl Table {
    /// Partitions of `parent` in `catalog` (direct ones), by name.
    pub fn partitions_of<'c>(
        catalog: &'c Catalog,
        parent: &'c QualName,
    ) -> impl Iterator<Item = (&'c QualName, &'c Table)> + 'c {
        catalog
            .tables
            .iter()
            .filter(move |(_, t)| t.partition_of.as_ref().is_some_and(|p| p.parent == *parent))
    }
}

impl SecuredObject {
    /// The graph key of the object itself.
    pub fn key(&self) -> ObjKey {
        match self {
            SecuredObject::Schema(s) => ObjKey::Schema(s.clone()),
            SecuredObject::Table(q) | SecuredObject::View(q) | SecuredObject::Sequence(q) => {
                ObjKey::Relation(q.clone())
            }
            SecuredObject::Column(q, c) => ObjKey::Column(q.clone(), c.clone()),
            SecuredObject::Function(f) => ObjKey::Function(f.clone()),
        }
    }
}
