//! The one schema model. The YAML loader and the catalog introspector both lower into these types;
//! `diff` compares two of them and never sees YAML nodes or catalog rows.
//!
//! Expressions (defaults, checks, index predicates, view bodies) and type names are kept as SQL
//! text. Text that came from the catalog is in PostgreSQL's own printed form; text that came from
//! YAML is whatever the user wrote, which is why the desired model is normalised through a shadow
//! database before it is compared (see `shadow`).

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

/// A schema-qualified name. Ordering is by schema, then name, which gives every map in the
/// model (and so every plan) a deterministic order.
#[derive(
    Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
pub struct QualName {
    pub schema: String,
    pub name: String,
}

impl QualName {
    pub fn new(schema: impl Into<String>, name: impl Into<String>) -> Self {
        QualName {
            schema: schema.into(),
            name: name.into(),
        }
    }
}

/// Human-readable form for messages and plan listings (not SQL: use `render::qualified`).
impl fmt::Display for QualName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}", self.schema, self.name)
    }
}

/// A reference to a catalog object that may be written without a schema (collations, operator
/// classes). `schema: None` resolves through the search path when the SQL runs; the
/// introspector always fills the schema in.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ObjRef {
    pub schema: Option<String>,
    pub name: String,
}

impl fmt::Display for ObjRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.schema {
            Some(s) => write!(f, "{s}.{}", self.name),
            None => write!(f, "{}", self.name),
        }
    }
}

/// SQL text of an expression or query as PostgreSQL prints it, which is what is compared.
///
/// PostgreSQL's printer is not always its parser's inverse: `status IN ('a', 'b')` on a varchar
/// column is stored as a tree that prints as `(ARRAY['a'::character varying, …])::text[]`, and
/// that text parses to a different tree. `source`, when set, is SQL verified on the shadow
/// database to produce exactly `text` again; the renderer writes it instead of `text`.
#[derive(Clone, Debug, Eq)]
pub struct Expr {
    pub text: String,
    pub source: Option<String>,
    /// Whether it calls a volatile function (`random()`, `gen_random_uuid()`, `nextval()`): such
    /// a default cannot be filled in for existing rows without rewriting the table. Read from
    /// the catalog; not compared.
    pub volatile: bool,
}

impl Expr {
    pub fn new(text: impl Into<String>) -> Self {
        Expr {
            text: text.into(),
            source: None,
            volatile: false,
        }
    }

    /// The SQL to write so that PostgreSQL stores `text`. SQL written in YAML may end in a
    /// `--` comment; a line break then keeps what follows it out of the comment.
    pub fn sql(&self) -> std::borrow::Cow<'_, str> {
        let sql = self.source.as_deref().unwrap_or(&self.text);
        match sql.lines().last() {
            Some(last) if last.contains("--") => format!("{sql}\n").into(),
            _ => sql.into(),
        }
    }
}

impl PartialEq for Expr {
    fn eq(&self, other: &Self) -> bool {
        self.text == other.text
    }
}

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
    /// `ALTER DEFAULT PRIVILEGES`: what objects created later by a role get, by grantee.
    pub default_privileges: BTreeMap<DefaultPrivilegeKey, Grants>,
    /// Domains (`CREATE DOMAIN`), by name; they share the type namespace with enums and
    /// composite types.
    pub domains: BTreeMap<QualName, Domain>,
    /// Composite types (`CREATE TYPE … AS (…)`), by name.
    pub composite_types: BTreeMap<QualName, CompositeType>,
    /// The versions each installed extension can be updated to from its installed version
    /// (`pg_extension_update_paths`), by extension name. Read from the catalog; empty from YAML.
    pub extension_updates: BTreeMap<String, BTreeSet<String>>,
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

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct EnumType {
    pub values: Vec<String>,
    pub comment: Option<String>,
}

/// A domain: a base type (with modifiers) narrowed by NOT NULL and named CHECK constraints.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Domain {
    /// The base type as PostgreSQL prints it: `character varying(100)`, `public.mood`,
    /// `public.other_domain`, `integer[]`.
    pub data_type: String,
    pub not_null: bool,
    pub default: Option<Expr>,
    /// A collation other than the base type's.
    pub collation: Option<ObjRef>,
    /// CHECK constraints by name; their expressions read `VALUE`.
    pub constraints: BTreeMap<String, DomainConstraint>,
    pub comment: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DomainConstraint {
    pub expression: Expr,
    /// False for a constraint added `NOT VALID` and not yet validated.
    pub validated: bool,
    pub comment: Option<String>,
}

/// A composite type: named, typed attributes in order.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CompositeType {
    pub attributes: Vec<Attribute>,
    pub comment: Option<String>,
}

impl CompositeType {
    pub fn attribute(&self, name: &str) -> Option<&Attribute> {
        self.attributes.iter().find(|a| a.name == name)
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Attribute {
    pub name: String,
    pub data_type: String,
    pub collation: Option<ObjRef>,
    pub comment: Option<String>,
}

/// Options shared by sequences and identity columns. `None` means "PostgreSQL's default"; the
/// introspector fills every field, so two introspected models compare exactly.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SequenceOptions {
    pub data_type: Option<String>,
    pub start: Option<i64>,
    pub increment: Option<i64>,
    pub min_value: Option<i64>,
    pub max_value: Option<i64>,
    pub cache: Option<i64>,
    pub cycle: Option<bool>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Sequence {
    pub options: SequenceOptions,
    pub owned_by: Option<ColumnRef>,
    /// `CREATE UNLOGGED SEQUENCE` (PostgreSQL 15+).
    pub unlogged: bool,
    pub comment: Option<String>,
    pub owner: Option<String>,
    pub grants: Grants,
}

#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ColumnRef {
    pub table: QualName,
    pub column: String,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Table {
    /// In table order. For an existing table the order is not compared (PostgreSQL cannot
    /// reorder columns without rebuilding the table).
    pub columns: Vec<Column>,
    /// Primary key, unique, check, foreign key and exclusion constraints by name.
    pub constraints: BTreeMap<String, Constraint>,
    /// Indexes that do not back a constraint, by name (index names are unique per schema).
    pub indexes: BTreeMap<String, Index>,
    /// Storage parameters (`WITH (fillfactor = 70)`), as PostgreSQL prints them.
    pub options: BTreeMap<String, String>,
    /// `CREATE UNLOGGED TABLE`: not written to the WAL, emptied after a crash.
    pub unlogged: bool,
    pub comment: Option<String>,
    /// `PARTITION BY …` of a partitioned table, as `pg_get_partkeydef` prints it:
    /// `RANGE (created_at)`, `LIST (lower(region))`, `HASH (id int8_ops)`.
    pub partition_by: Option<String>,
    /// The parent and bounds of a partition. A partition's columns are its parent's: they are
    /// read (backups copy them) but neither written in YAML nor compared.
    pub partition_of: Option<PartitionOf>,
    /// Triggers by name (the table's own: clones a partition inherits from its parent's
    /// triggers belong to the parent).
    pub triggers: BTreeMap<String, Trigger>,
    pub owner: Option<String>,
    pub grants: Grants,
    /// Column privileges, by column name (columns without any are absent).
    pub column_grants: BTreeMap<String, Grants>,
    pub row_security: RowSecurity,
    /// Row-level security policies by name.
    pub policies: BTreeMap<String, Policy>,
}

/// What makes a table a partition: `PARTITION OF parent FOR VALUES … | DEFAULT`.
#[derive(Clone, Debug, PartialEq)]
pub struct PartitionOf {
    pub parent: QualName,
    /// `FOR VALUES FROM (…) TO (…)`, `FOR VALUES IN (…)`, `FOR VALUES WITH (modulus m,
    /// remainder r)` or `DEFAULT`, as `pg_get_expr(relpartbound)` prints it.
    pub bounds: String,
    /// The partition constraint the bounds imply (`pg_get_partition_constraintdef`), read from
    /// the catalog (not compared; `None` from YAML). A hash partition's names its parent by
    /// `regclass` instead of by oid. Attaching a table proves it with a CHECK first.
    pub constraint: Option<String>,
    /// What the partition has from its parent, which is the parent's and not written in YAML:
    /// constraints cloned from the parent's (keys, foreign keys, checks), and indexes attached
    /// to the parent's partitioned indexes. They become the table's own when it is detached,
    /// and must exist (under these names) before a table is attached. Empty from YAML.
    pub inherited_constraints: BTreeMap<String, Constraint>,
    pub inherited_indexes: BTreeMap<String, InheritedIndex>,
    /// Names of the partition's indexes attached to its parent's partitioned indexes, by the
    /// parent's index (`index_names: {parent_index: name}`). From YAML, the names it pins (the
    /// others keep the name PostgreSQL chooses, and only these are compared); from the catalog,
    /// every such name (so that a copy of the schema keeps them).
    pub index_names: BTreeMap<String, String>,
}

impl PartitionOf {
    /// Parent and bounds: what a change of partition compares.
    pub fn same_place(&self, other: &PartitionOf) -> bool {
        self.parent == other.parent && self.bounds == other.bounds
    }

    pub fn is_default(&self) -> bool {
        self.bounds == "DEFAULT"
    }
}

/// An index of a partition attached to its parent's partitioned index.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InheritedIndex {
    /// The parent's index it is attached to (in the parent's schema).
    pub parent_index: String,
    /// For a key's index, the constraint it backs (that constraint is then inherited too).
    pub constraint: Option<String>,
    pub index: Index,
}

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

    pub fn column(&self, name: &str) -> Option<&Column> {
        self.columns.iter().find(|c| c.name == name)
    }

    pub fn primary_key(&self) -> Option<(&String, &Constraint)> {
        self.constraints
            .iter()
            .find(|(_, c)| matches!(c.kind, ConstraintKind::PrimaryKey { .. }))
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Column {
    pub name: String,
    /// SQL type text: `character varying(100)`, `numeric(12,2)`, `text[]`, `public.mood`.
    pub data_type: String,
    pub not_null: bool,
    pub default: Option<Expr>,
    pub identity: Option<Identity>,
    /// Expression of a `GENERATED ALWAYS AS (...) STORED` column.
    pub generated: Option<Expr>,
    pub collation: Option<ObjRef>,
    pub comment: Option<String>,
}

impl Column {
    pub fn new(name: impl Into<String>, data_type: impl Into<String>) -> Self {
        Column {
            name: name.into(),
            data_type: data_type.into(),
            not_null: false,
            default: None,
            identity: None,
            generated: None,
            collation: None,
            comment: None,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Identity {
    /// `GENERATED ALWAYS` when true, `GENERATED BY DEFAULT` otherwise.
    pub always: bool,
    pub options: SequenceOptions,
    /// The name of the identity's sequence (in the table's schema); `None` lets PostgreSQL
    /// choose `<table>_<column>_seq`.
    pub sequence: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Constraint {
    pub kind: ConstraintKind,
    pub deferrable: bool,
    pub initially_deferred: bool,
    /// False for a constraint added `NOT VALID` and not yet validated.
    pub validated: bool,
    pub comment: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ConstraintKind {
    PrimaryKey {
        columns: Vec<String>,
        include: Vec<String>,
    },
    Unique {
        columns: Vec<String>,
        include: Vec<String>,
        nulls_not_distinct: bool,
    },
    Check {
        expression: Expr,
        no_inherit: bool,
    },
    ForeignKey(ForeignKey),
    /// `EXCLUDE USING method (element WITH operator, …) [INCLUDE (…)] [WHERE (predicate)]`.
    Exclude(Exclusion),
}

impl ConstraintKind {
    /// The constraint's own columns (key columns for keys, local columns for foreign keys).
    /// Empty for checks and exclusion constraints, whose columns are in their expressions and
    /// elements (see `reads_columns`).
    pub fn columns(&self) -> &[String] {
        match self {
            ConstraintKind::PrimaryKey { columns, .. } | ConstraintKind::Unique { columns, .. } => {
                columns
            }
            ConstraintKind::ForeignKey(fk) => &fk.columns,
            ConstraintKind::Check { .. } | ConstraintKind::Exclude(_) => &[],
        }
    }

    /// The plain columns the constraint must have to exist: `columns()`, and for an exclusion
    /// constraint its column elements and INCLUDE columns. Columns read by expressions are
    /// found through `pg_depend` instead.
    pub fn reads_columns(&self) -> Vec<&String> {
        match self {
            ConstraintKind::Exclude(x) => x.columns().collect(),
            _ => self.columns().iter().collect(),
        }
    }

    /// Primary keys, unique and exclusion constraints are backed by an index of the same name.
    pub fn has_index(&self) -> bool {
        matches!(
            self,
            ConstraintKind::PrimaryKey { .. }
                | ConstraintKind::Unique { .. }
                | ConstraintKind::Exclude(_)
        )
    }

    /// Primary keys and unique constraints: what a foreign key can reference. (An exclusion
    /// constraint has an index, but not a unique one.)
    pub fn is_unique_key(&self) -> bool {
        matches!(
            self,
            ConstraintKind::PrimaryKey { .. } | ConstraintKind::Unique { .. }
        )
    }

    pub fn label(&self) -> &'static str {
        match self {
            ConstraintKind::PrimaryKey { .. } => "primary key",
            ConstraintKind::Unique { .. } => "unique constraint",
            ConstraintKind::Check { .. } => "check constraint",
            ConstraintKind::ForeignKey(_) => "foreign key",
            ConstraintKind::Exclude(_) => "exclusion constraint",
        }
    }
}

/// An exclusion constraint: no two rows (that satisfy `predicate`) have elements for which
/// every operator returns true. Backed by an index of the constraint's name, built with
/// `method`; it cannot be added `NOT VALID` or built concurrently.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Exclusion {
    /// Index access method: `gist`, `btree`, `hash`, `spgist` (always written out; the YAML
    /// default is `gist`).
    pub method: String,
    pub elements: Vec<ExclusionElement>,
    pub include: Vec<String>,
    pub predicate: Option<Expr>,
}

impl Exclusion {
    /// Plain columns of the elements, then INCLUDE columns.
    pub fn columns(&self) -> impl Iterator<Item = &String> {
        self.elements
            .iter()
            .filter_map(|e| match &e.key.expr {
                IndexExpr::Column(c) => Some(c),
                IndexExpr::Expression(_) => None,
            })
            .chain(self.include.iter())
    }

    /// The expressions of the elements, then the predicate: the SQL the shadow verifies.
    pub fn expressions(&self) -> impl Iterator<Item = &Expr> {
        self.elements
            .iter()
            .filter_map(|e| match &e.key.expr {
                IndexExpr::Expression(x) => Some(x),
                IndexExpr::Column(_) => None,
            })
            .chain(self.predicate.iter())
    }

    pub fn expressions_mut(&mut self) -> impl Iterator<Item = &mut Expr> {
        self.elements
            .iter_mut()
            .filter_map(|e| match &mut e.key.expr {
                IndexExpr::Expression(x) => Some(x),
                IndexExpr::Column(_) => None,
            })
            .chain(self.predicate.iter_mut())
    }
}

/// One element of an exclusion constraint: an index key (column or expression, with optional
/// operator class, collation and order) and the operator rows are compared with.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExclusionElement {
    pub key: IndexKey,
    /// As PostgreSQL prints it: `=`, `&&`, or `OPERATOR(schema.op)` outside `pg_catalog`.
    pub operator: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ForeignKey {
    pub columns: Vec<String>,
    pub ref_table: QualName,
    pub ref_columns: Vec<String>,
    pub on_delete: FkAction,
    /// `ON DELETE SET NULL (a, b)`: only these columns are set (PostgreSQL 15+); empty: all.
    pub on_delete_columns: Vec<String>,
    pub on_update: FkAction,
    pub match_full: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum FkAction {
    #[default]
    NoAction,
    Restrict,
    Cascade,
    SetNull,
    SetDefault,
}

impl FkAction {
    pub const ALL: [FkAction; 5] = [
        FkAction::NoAction,
        FkAction::Restrict,
        FkAction::Cascade,
        FkAction::SetNull,
        FkAction::SetDefault,
    ];

    pub fn sql(self) -> &'static str {
        match self {
            FkAction::NoAction => "NO ACTION",
            FkAction::Restrict => "RESTRICT",
            FkAction::Cascade => "CASCADE",
            FkAction::SetNull => "SET NULL",
            FkAction::SetDefault => "SET DEFAULT",
        }
    }

    /// The spelling used in YAML: `no action`, `restrict`, `cascade`, `set null`, `set default`.
    pub fn yaml(self) -> &'static str {
        match self {
            FkAction::NoAction => "no action",
            FkAction::Restrict => "restrict",
            FkAction::Cascade => "cascade",
            FkAction::SetNull => "set null",
            FkAction::SetDefault => "set default",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Index {
    pub unique: bool,
    pub method: String,
    pub keys: Vec<IndexKey>,
    pub include: Vec<String>,
    pub predicate: Option<Expr>,
    pub nulls_not_distinct: bool,
    pub options: BTreeMap<String, String>,
    pub comment: Option<String>,
    /// False for an index a failed `CREATE INDEX CONCURRENTLY` left behind: it is rebuilt.
    pub valid: bool,
}

impl Index {
    /// Plain columns the index reads (expressions are resolved by `pg_depend` instead).
    pub fn columns(&self) -> impl Iterator<Item = &String> {
        self.keys
            .iter()
            .filter_map(|k| match &k.expr {
                IndexExpr::Column(c) => Some(c),
                IndexExpr::Expression(_) => None,
            })
            .chain(self.include.iter())
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IndexKey {
    pub expr: IndexExpr,
    pub opclass: Option<ObjRef>,
    pub collation: Option<ObjRef>,
    pub descending: bool,
    /// Always explicit; PostgreSQL's default is `descending`.
    pub nulls_first: bool,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum IndexExpr {
    Column(String),
    Expression(Expr),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct View {
    /// The `SELECT` text, without a trailing semicolon.
    pub definition: Expr,
    /// Output columns with their types, as introspected (empty for a view loaded from YAML).
    pub columns: Vec<ViewColumn>,
    pub options: BTreeMap<String, String>,
    pub comment: Option<String>,
    /// Comments on the view's columns, by column name.
    pub column_comments: BTreeMap<String, String>,
    pub owner: Option<String>,
    pub grants: Grants,
}

/// A materialized view: a query whose rows are stored, with indexes of its own. PostgreSQL has
/// no `CREATE OR REPLACE` for it: a new definition means dropping and creating it again (its
/// rows are derived from the query, so nothing is lost).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MaterializedView {
    /// The `SELECT` text, without a trailing semicolon.
    pub definition: Expr,
    /// Output columns with their types, as introspected (empty for one loaded from YAML).
    pub columns: Vec<ViewColumn>,
    /// Created populated (`WITH DATA`, the default) or `WITH NO DATA`. Read back as whether it
    /// is populated, which a `REFRESH` changes: it is what a create uses, never compared.
    pub with_data: bool,
    /// Storage parameters (`fillfactor`, `autovacuum_*`), as PostgreSQL prints them.
    pub options: BTreeMap<String, String>,
    pub comment: Option<String>,
    /// Comments on its columns, by column name.
    pub column_comments: BTreeMap<String, String>,
    /// Its indexes by name (index names are unique per schema). A unique index on columns only,
    /// without a predicate, is what `REFRESH MATERIALIZED VIEW CONCURRENTLY` needs.
    pub indexes: BTreeMap<String, Index>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ViewColumn {
    pub name: String,
    pub data_type: String,
    /// A collation other than the type's default: `CREATE OR REPLACE VIEW` cannot change it.
    pub collation: Option<ObjRef>,
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
    /// A function or procedure (by name and identity argument types).
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
    /// A row-level security policy of a table.
    Policy(QualName, String),
    /// Who owns an object: grants to its old or new owner wait for (or precede) the change.
    Owner(SecuredObject),
    /// A grantee's privileges on a table and its columns: revoking a table privilege also
    /// revokes it from every column, so removals of either come before additions of either.
    TablePrivileges(QualName, String),
}

impl ObjKey {
    pub fn schema(&self) -> Option<&str> {
        match self {
            ObjKey::Schema(s) => Some(s),
            ObjKey::Extension(_) => None,
            ObjKey::Type(q)
            | ObjKey::Relation(q)
            | ObjKey::Column(q, _)
            | ObjKey::Constraint(q, _)
            | ObjKey::SequenceOwner(q)
            | ObjKey::Logged(q)
            | ObjKey::Partition(q)
            | ObjKey::Trigger(q, _)
            | ObjKey::Policy(q, _)
            | ObjKey::TablePrivileges(q, _) => Some(&q.schema),
            ObjKey::Owner(o) => Some(o.schema()),
            ObjKey::Function(f) => Some(&f.name.schema),
        }
    }
}

impl Catalog {
    /// The schema names that hold any object of this model.
    pub fn schema_names(&self) -> BTreeSet<String> {
        let mut names: BTreeSet<String> = self.schemas.keys().cloned().collect();
        names.extend(self.enums.keys().map(|q| q.schema.clone()));
        names.extend(self.sequences.keys().map(|q| q.schema.clone()));
        names.extend(self.tables.keys().map(|q| q.schema.clone()));
        names.extend(self.views.keys().map(|q| q.schema.clone()));
        names.extend(self.functions.keys().map(|f| f.name.schema.clone()));
        names.extend(self.materialized_views.keys().map(|q| q.schema.clone()));
        names.extend(self.domains.keys().map(|q| q.schema.clone()));
        names.extend(self.composite_types.keys().map(|q| q.schema.clone()));
        names
    }

    /// The user-defined type (enum, domain or composite type) a printed type name refers to,
    /// arrays included: `public.mood`, `public.mood[]`.
    pub fn user_type_of_printed(&self, data_type: &str) -> Option<QualName> {
        let base = data_type.trim().trim_end_matches("[]");
        self.enums
            .keys()
            .chain(self.domains.keys())
            .chain(self.composite_types.keys())
            .find(|q| crate::plan::render::qualified(q) == base)
            .cloned()
    }

    /// The table columns (and whether as an array) whose type is `name`.
    pub fn columns_of_type(&self, name: &QualName) -> Vec<(QualName, String, bool)> {
        let printed = crate::plan::render::qualified(name);
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

    /// `name` and the domains built over it, directly or through other domains, base first.
    pub fn domain_and_subdomains(&self, name: &QualName) -> Vec<QualName> {
        let mut out = vec![name.clone()];
        let mut i = 0;
        while i < out.len() {
            let base = crate::plan::render::qualified(&out[i]);
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

/// A function's identity: its name and the types of its input arguments (`integer, text`;
/// argument names and defaults are not part of it, so renaming an argument changes the same
/// function). Overloads of one name are different objects.
#[derive(
    Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
pub struct FunctionId {
    pub name: QualName,
    /// The argument types. For a model loaded from YAML, the argument list as written, without
    /// defaults.
    pub args: String,
}

impl fmt::Display for FunctionId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}({})", self.name, self.args)
    }
}

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
    Usage,
    Create,
    Execute,
}

impl Privilege {
    pub const ALL: [Privilege; 10] = [
        Privilege::Select,
        Privilege::Insert,
        Privilege::Update,
        Privilege::Delete,
        Privilege::Truncate,
        Privilege::References,
        Privilege::Trigger,
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
            Privilege::Usage => "USAGE",
            Privilege::Create => "CREATE",
            Privilege::Execute => "EXECUTE",
        }
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
