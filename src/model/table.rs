//! Tables: columns, constraints, indexes, partitioning.

use std::collections::{BTreeMap, BTreeSet};

use super::expr::*;
use super::names::*;

use super::routine::*;
use super::security::*;
use super::typedefs::*;

/// Storage parameters (`WITH (…)` of a table, index or view) in the order PostgreSQL keeps them
/// (`reloptions`, as written): `pg_dump` prints them in that order, so a plan writes them so too.
/// Two sets of parameters are equal whatever their order.
pub type StorageOptions = indexmap::IndexMap<String, String>;

/// Whether two sets of storage parameters are the same, in the same order (as `pg_dump`
/// prints them). A table's `toast.*` parameters are an array of their own (the TOAST
/// table's): their place among the table's own does not count.
pub fn same_options(a: &StorageOptions, b: &StorageOptions) -> bool {
    split_toast(a) == split_toast(b)
}

type Parameters<'a> = Vec<(&'a String, &'a String)>;

/// The table's own parameters, then the TOAST table's.
fn split_toast(o: &StorageOptions) -> (Parameters<'_>, Parameters<'_>) {
    o.iter().partition(|(k, _)| !k.starts_with("toast."))
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
    pub options: StorageOptions,
    /// `CREATE UNLOGGED TABLE`: not written to the WAL, emptied after a crash.
    pub unlogged: bool,
    pub comment: Option<String>,
    /// `PARTITION BY …` of a partitioned table, as `pg_get_partkeydef` prints it:
    /// `RANGE (created_at)`, `LIST (lower(region))`, `HASH (id int8_ops)`.
    pub partition_by: Option<String>,
    /// The parent and bounds of a partition. A partition's columns are its parent's: they are
    /// read (backups copy them) but not written in YAML, and compared only for a table that
    /// becomes, stops being or moves to another parent's partition.
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
    /// Extended statistics (`CREATE STATISTICS … FROM table`) by name, in the table's schema.
    pub statistics: BTreeMap<String, Statistics>,
    /// What logical decoding writes of an updated or deleted row's old version.
    pub replica_identity: ReplicaIdentity,
    /// The parents of a table that inherits (`INHERITS (…)`, not a partition), in order. Its
    /// columns and checks declared by a parent alone are the parent's (`Column::inherited`).
    pub inherits: Vec<QualName>,
    /// The names of the NOT NULL constraints of its NOT NULL columns, by column: PostgreSQL 18
    /// makes each a constraint (`contype` `n`) of its own, named `<table>_<column>_not_null`
    /// (`not_null_default_name`) or, on a partition or a table that inherits, as its parent's.
    /// Read from PostgreSQL 18 on (every one; empty before), from YAML only the names pinned
    /// (`not_null_names`). Neither renaming a column or table nor attaching or detaching
    /// renames them, so a plan does (`RENAME CONSTRAINT`) where the desired state names them
    /// otherwise.
    pub not_null_names: BTreeMap<String, String>,
    /// NOT NULL columns whose constraint is `NOT VALID` (PostgreSQL 18: added `NOT VALID`, not
    /// yet validated; existing rows may hold NULL, new ones may not).
    pub not_null_not_valid: BTreeSet<String>,
    /// NOT NULL columns whose constraint is `NO INHERIT` (PostgreSQL 18): tables that inherit
    /// do not get it.
    pub not_null_no_inherit: BTreeSet<String>,
    /// Privileges on the sequences of identity columns, by column (columns without any are
    /// absent). The sequence is the column's (`GRANT … ON SEQUENCE <table>_<column>_seq`);
    /// YAML writes them under the column's `identity:`.
    pub identity_grants: BTreeMap<String, Grants>,
}

/// What PostgreSQL 18's NOT NULL constraint of a column is beyond its name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct NotNullState {
    pub valid: bool,
    pub no_inherit: bool,
}

impl NotNullState {
    /// A constraint of a plain `NOT NULL`: validated and inherited.
    pub const PLAIN: NotNullState = NotNullState {
        valid: true,
        no_inherit: false,
    };
}

/// `REPLICA IDENTITY` of a table (`relreplident`, and the index marked `indisreplident`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum ReplicaIdentity {
    /// The primary key's columns, if any.
    #[default]
    Default,
    /// Every column.
    Full,
    /// Nothing: updates and deletes cannot be replicated.
    Nothing,
    /// The columns of this unique index (in the table's schema; possibly a constraint's).
    Index(String),
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
    /// Columns NOT NULL on the partition while they are nullable on its parent (a partition
    /// may be stricter than its parent; a local primary key makes its columns so, and they
    /// stay so when it is dropped). From the catalog, every such column; from YAML,
    /// `not_null: [column, …]`.
    pub not_null: BTreeSet<String>,
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
    /// The tables this one takes columns from: its partitioned parent and what it inherits
    /// from (`INHERITS`).
    pub fn parents(&self) -> impl Iterator<Item = &QualName> {
        self.partition_of
            .iter()
            .map(|p| &p.parent)
            .chain(&self.inherits)
    }

    pub fn column(&self, name: &str) -> Option<&Column> {
        self.columns.iter().find(|c| c.name == name)
    }

    /// What the NOT NULL constraint of `column` is (a plain one where nothing else is said).
    pub fn not_null_state(&self, column: &str) -> NotNullState {
        NotNullState {
            valid: !self.not_null_not_valid.contains(column),
            no_inherit: self.not_null_no_inherit.contains(column),
        }
    }

    /// The primary key, unique or exclusion constraint of this name: its index has the name too.
    pub fn key_named(&self, name: &str) -> Option<&Constraint> {
        self.constraints.get(name).filter(|c| c.kind.has_index())
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
    /// Boxed: few columns are identities, and the rest would carry its 144 bytes (a third of a
    /// column) in every copy of the model.
    pub identity: Option<Box<Identity>>,
    /// Expression of a `GENERATED ALWAYS AS (...) STORED | VIRTUAL` column.
    pub generated: Option<Expr>,
    /// Whether a generated column is stored or computed when read (meaningless without
    /// `generated`).
    pub generated_kind: GeneratedKind,
    pub collation: Option<ObjRef>,
    pub comment: Option<String>,
    /// Per-column settings set by `ALTER COLUMN … SET …` (statistics target, storage,
    /// compression, attribute options).
    pub settings: ColumnSettings,
    /// Declared by a parent alone (`attislocal` false) on a table that inherits: read (backups
    /// copy it) but neither written in YAML nor compared; what the parent does reaches it.
    pub inherited: bool,
}

/// What `ALTER TABLE … ALTER COLUMN` sets besides the definition: all catalog-only. `None` or
/// empty: PostgreSQL's default.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ColumnSettings {
    /// `SET STATISTICS n` (`attstattarget`; -1, the default, is `None`).
    pub statistics: Option<i32>,
    /// `SET STORAGE`, only where it differs from the type's own (`typstorage`).
    pub storage: Option<Storage>,
    /// `SET COMPRESSION pglz | lz4` (`attcompression`; `None`: the server's default).
    pub compression: Option<String>,
    /// `SET (n_distinct = …, n_distinct_inherited = …)` (`attoptions`), as PostgreSQL prints them.
    pub options: BTreeMap<String, String>,
    /// The storage of the column's type (`typstorage`), which `storage: None` stands for: what
    /// `SET STORAGE` goes back to (PostgreSQL 15 has no `SET STORAGE DEFAULT`). Read from the
    /// catalog (`None` from YAML); the same on both sides of a comparison of one type.
    pub type_storage: Option<Storage>,
}

impl ColumnSettings {
    /// Nothing set: every setting PostgreSQL's default.
    pub fn is_default(&self) -> bool {
        ColumnSettings {
            type_storage: None,
            ..self.clone()
        } == ColumnSettings::default()
    }

    /// The same settings, whatever the type's storage.
    pub fn same(&self, other: &ColumnSettings) -> bool {
        ColumnSettings {
            type_storage: other.type_storage,
            ..self.clone()
        } == *other
    }
}

/// A column's storage strategy (`attstorage`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Storage {
    Plain,
    External,
    Extended,
    Main,
}

impl Storage {
    pub const ALL: [Storage; 4] = [
        Storage::Plain,
        Storage::External,
        Storage::Extended,
        Storage::Main,
    ];

    /// The SQL keyword: `PLAIN`, `EXTERNAL`, `EXTENDED`, `MAIN`.
    pub fn sql(self) -> &'static str {
        match self {
            Storage::Plain => "PLAIN",
            Storage::External => "EXTERNAL",
            Storage::Extended => "EXTENDED",
            Storage::Main => "MAIN",
        }
    }

    /// The YAML spelling: `plain`, `external`, `extended`, `main`.
    pub fn yaml(self) -> &'static str {
        match self {
            Storage::Plain => "plain",
            Storage::External => "external",
            Storage::Extended => "extended",
            Storage::Main => "main",
        }
    }

    /// From `attstorage` / `typstorage`: `p`, `e`, `x`, `m`.
    pub fn from_code(code: &str) -> Option<Storage> {
        match code {
            "p" => Some(Storage::Plain),
            "e" => Some(Storage::External),
            "x" => Some(Storage::Extended),
            "m" => Some(Storage::Main),
            _ => None,
        }
    }
}

/// An extended statistics object (`CREATE STATISTICS name (kinds) ON columns, (expressions)
/// FROM table`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Statistics {
    /// `ndistinct`, `dependencies`, `mcv` as written in `(…)`, in that order; empty: the
    /// default (all of them; none for a single expression, whose kind is implicit).
    pub kinds: Vec<String>,
    /// Plain columns, in the table's column order as PostgreSQL keeps them (`stxkeys`).
    pub columns: Vec<String>,
    /// Expressions (PostgreSQL 14+), as `pg_get_statisticsobjdef_expressions` prints them.
    pub expressions: Vec<Expr>,
    /// `ALTER STATISTICS … SET STATISTICS n` (`stxstattarget`; -1, the default, is `None`).
    pub target: Option<i32>,
    pub comment: Option<String>,
}

impl Statistics {
    /// The kinds PostgreSQL builds when none are named.
    pub const KINDS: [&'static str; 3] = ["ndistinct", "dependencies", "mcv"];

    /// What `CREATE STATISTICS` defines: kinds, columns and expressions (not the target or
    /// comment, which are altered in place). Kinds left to the default equal all of them.
    pub fn same_definition(&self, other: &Statistics) -> bool {
        self.effective_kinds() == other.effective_kinds()
            && self.columns == other.columns
            && self.expressions.len() == other.expressions.len()
            && self
                .expressions
                .iter()
                .zip(&other.expressions)
                .all(|(a, b)| a.text == b.text)
    }

    /// The kinds built: those named, or by default all (none for a single expression).
    pub fn effective_kinds(&self) -> Vec<&str> {
        if !self.kinds.is_empty() {
            self.kinds.iter().map(String::as_str).collect()
        } else if self.columns.is_empty() && self.expressions.len() == 1 {
            Vec::new()
        } else {
            Statistics::KINDS.to_vec()
        }
    }
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
            generated_kind: GeneratedKind::Stored,
            collation: None,
            comment: None,
            settings: ColumnSettings::default(),
            inherited: false,
        }
    }
}

/// How a generated column holds its values.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum GeneratedKind {
    /// `STORED`: computed on write, kept in the row (adding one rewrites the table).
    #[default]
    Stored,
    /// `VIRTUAL` (PostgreSQL 18): computed when read; nothing is stored, and its expression
    /// changes in place (`SET EXPRESSION`) without a rewrite.
    Virtual,
}

impl GeneratedKind {
    pub fn sql(self) -> &'static str {
        match self {
            GeneratedKind::Stored => "STORED",
            GeneratedKind::Virtual => "VIRTUAL",
        }
    }
}

impl Column {
    /// A virtual generated column.
    pub fn is_virtual(&self) -> bool {
        self.generated.is_some() && self.generated_kind == GeneratedKind::Virtual
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
    /// False for a constraint added `NOT VALID` and not yet validated. Always true when the
    /// constraint is not enforced: PostgreSQL records such a constraint as not valid, but there
    /// is nothing to validate, and `ALTER … ENFORCED` checks every row anyway.
    pub validated: bool,
    /// False for a check or foreign key declared `NOT ENFORCED` (PostgreSQL 18): kept in the
    /// catalog for documentation and the planner, checked for no row, old or new.
    pub enforced: bool,
    /// A primary key, unique or exclusion constraint of a partitioned table added `ALTER TABLE
    /// ONLY` it and not yet attached to by every partition (its index invalid).
    pub only: bool,
    pub comment: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ConstraintKind {
    /// `without_overlaps`: the last column is a range (or multirange) compared with `&&`
    /// (`WITHOUT OVERLAPS`, PostgreSQL 18): a temporal key, backed by a GiST index.
    PrimaryKey {
        columns: Vec<String>,
        include: Vec<String>,
        without_overlaps: bool,
    },
    Unique {
        columns: Vec<String>,
        include: Vec<String>,
        nulls_not_distinct: bool,
        without_overlaps: bool,
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

    /// A temporal key (`WITHOUT OVERLAPS`): its index is GiST and not unique in the btree
    /// sense, so it can be neither built concurrently nor attached `USING INDEX`.
    pub fn without_overlaps(&self) -> bool {
        matches!(
            self,
            ConstraintKind::PrimaryKey {
                without_overlaps: true,
                ..
            } | ConstraintKind::Unique {
                without_overlaps: true,
                ..
            }
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
    /// The last column on both sides is a period (`PERIOD valid_at`, PostgreSQL 18): each
    /// row's range must be covered by the union of the referenced rows' ranges.
    pub period: bool,
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
    pub options: StorageOptions,
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
