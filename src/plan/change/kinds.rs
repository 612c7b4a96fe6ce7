//! The `Change` enum (one variant per kind of change `diff` can produce or a reverse can need)
//! and the types its variants carry.

use crate::model::*;

// A plan holds one change per step and moves them rarely; boxing the large variants would only
// add noise.
#[allow(clippy::large_enum_variant)]
#[derive(Clone, Debug, PartialEq)]
pub enum Change {
    CreateSchema {
        name: String,
        schema: Schema,
    },
    DropSchema {
        name: String,
        schema: Schema,
    },
    CreateExtension {
        name: String,
        ext: Extension,
    },
    DropExtension {
        name: String,
        ext: Extension,
    },
    AlterExtension {
        name: String,
        from: Extension,
        to: Extension,
    },
    CreateEnum {
        name: QualName,
        def: EnumType,
    },
    DropEnum {
        name: QualName,
        def: EnumType,
    },
    /// New values only, the old ones keeping their relative order: `ALTER TYPE … ADD VALUE`.
    AddEnumValues {
        name: QualName,
        from: Vec<String>,
        to: Vec<String>,
    },
    /// Values removed or reordered: the type is rebuilt and every column using it is cast.
    RebuildEnum {
        name: QualName,
        from: EnumType,
        to: EnumType,
        columns: Vec<EnumColumn>,
    },
    CreateSequence {
        name: QualName,
        def: Sequence,
    },
    DropSequence {
        name: QualName,
        def: Sequence,
        backup: Option<Backup>,
    },
    AlterSequence {
        name: QualName,
        from: SequenceOptions,
        to: SequenceOptions,
    },
    SetSequenceOwner {
        name: QualName,
        from: Option<ColumnRef>,
        to: Option<ColumnRef>,
    },
    /// The table with its columns and the constraints that can be declared inline (primary key,
    /// unique, check). Foreign keys and indexes are changes of their own.
    CreateTable {
        name: QualName,
        table: Table,
    },
    DropTable {
        name: QualName,
        table: Table,
        backup: Option<Backup>,
    },
    AddColumn {
        table: QualName,
        column: Column,
        /// PostgreSQL 18: the name of the column's NOT NULL constraint when it is not the
        /// one PostgreSQL would give it (or that one cut to 63 bytes, which another table
        /// may already hold); written inline as `CONSTRAINT name NOT NULL`.
        not_null_name: Option<String>,
    },
    DropColumn {
        table: QualName,
        column: Column,
        backup: Option<Backup>,
        /// `ALTER TABLE ONLY`: the tables that inherit from this one (not partitions) keep
        /// their copy of the column, their own from then on (dropped by a change of theirs when
        /// the desired state has no place for it).
        only: bool,
    },
    AlterColumn {
        table: QualName,
        from: Column,
        to: Column,
        /// How values are converted when the type changes, going up and going down.
        using: Using,
        using_reverse: Using,
        /// After the column starts taking numbers from a new sequence (serial ↔ identity), the
        /// sequence is moved past the values already in the column; going up, and going down.
        renumber: Option<Renumber>,
        renumber_reverse: Option<Renumber>,
    },
    AddConstraint {
        table: QualName,
        name: String,
        constraint: Constraint,
    },
    DropConstraint {
        table: QualName,
        name: String,
        constraint: Constraint,
    },
    ValidateConstraint {
        table: QualName,
        name: String,
        constraint: Constraint,
    },
    /// Only the deferral of a foreign key changes: `ALTER CONSTRAINT … DEFERRABLE …`.
    AlterConstraint {
        table: QualName,
        name: String,
        from: Constraint,
        to: Constraint,
    },
    /// `concurrently`: built without blocking writes, outside a transaction block.
    /// `replaces`: built under a temporary `name` to be renamed to this one (an index rebuilt
    /// online); its dependencies are those of that index.
    CreateIndex {
        table: QualName,
        name: String,
        index: Index,
        concurrently: bool,
        replaces: Option<String>,
    },
    /// `only`: the index is a partitioned table's, created `ON ONLY` it and incomplete
    /// (invalid) with the indexes of these partitions attached; undoing the drop builds it so
    /// again (a plain `CREATE INDEX` would cover every partition).
    DropIndex {
        table: QualName,
        name: String,
        index: Index,
        concurrently: bool,
        only: Option<Vec<IndexPart>>,
        /// Keys of partitions whose indexes are attached to this partitioned index, which the
        /// plan drops too: PostgreSQL drops neither alone (the attached index is the parent
        /// index's, the key needs it), so `DROP INDEX … CASCADE` drops them together.
        cascades: Vec<CascadedKey>,
    },
    /// PostgreSQL 18's NOT NULL constraint of a column, added `NOT VALID`, validated, made
    /// `[NO] INHERIT` or dropped (`None`: no constraint, the column nullable).
    NotNull {
        table: QualName,
        column: String,
        name: String,
        from: Option<NotNullState>,
        to: Option<NotNullState>,
    },
    /// `ALTER … RENAME TO`: an object the desired state names anew (a `renamed_from` hint, or
    /// a name derived from a renamed table or column), keeping its data.
    Rename {
        target: Renamed,
        from: String,
        to: String,
    },
    /// `ALTER INDEX … RENAME`: swaps a rebuilt index in under its name, or renames an index.
    RenameIndex {
        table: QualName,
        from: String,
        to: String,
    },
    /// `ADD CONSTRAINT … USING INDEX`: a primary key or unique constraint on an index built
    /// beforehand (concurrently), which takes no long lock.
    AddConstraintUsingIndex {
        table: QualName,
        name: String,
        constraint: Constraint,
    },
    /// Fills a column of existing rows with an expression, in batches that each commit, between
    /// expand and contract.
    Backfill {
        table: QualName,
        column: String,
        expression: Expr,
        /// The column held values before (it gains NOT NULL): the values written into rows
        /// that were NULL cannot be told apart afterwards, so there is no way back.
        column_existed: bool,
    },
    CreateView {
        name: QualName,
        view: View,
    },
    DropView {
        name: QualName,
        view: View,
    },
    /// `CREATE OR REPLACE VIEW`: the new view keeps the old columns and may append more.
    ReplaceView {
        name: QualName,
        from: View,
        to: View,
    },
    /// A materialized view with its indexes and comments, populated by running its query
    /// unless `with_data` is false.
    CreateMaterializedView {
        name: QualName,
        view: MaterializedView,
    },
    /// Drops a materialized view and its indexes. Its rows are derived from its query: the
    /// reverse creates it again (and runs the query), so nothing is backed up.
    DropMaterializedView {
        name: QualName,
        view: MaterializedView,
    },
    /// `ALTER MATERIALIZED VIEW … SET | RESET (…)`: storage parameters.
    SetMaterializedViewOptions {
        name: QualName,
        from: StorageOptions,
        to: StorageOptions,
    },
    /// Storage parameters of a table, or options of a view (`view` true).
    SetOptions {
        table: QualName,
        view: bool,
        from: StorageOptions,
        to: StorageOptions,
    },
    /// `ALTER TABLE|SEQUENCE … SET LOGGED | UNLOGGED`.
    SetPersistence {
        table: QualName,
        sequence: bool,
        unlogged: bool,
    },
    SetComment {
        target: CommentTarget,
        from: Option<String>,
        to: Option<String>,
    },
    CreateFunction {
        id: FunctionId,
        def: Function,
    },
    DropFunction {
        id: FunctionId,
        def: Function,
    },
    /// `CREATE OR REPLACE`: same kind, arguments and result; body or attributes change.
    ReplaceFunction {
        id: FunctionId,
        from: Function,
        to: Function,
    },
    CreateAggregate {
        id: FunctionId,
        def: Aggregate,
    },
    DropAggregate {
        id: FunctionId,
        def: Aggregate,
    },
    /// `CREATE OR REPLACE AGGREGATE`: same kind, arguments and result; support functions or
    /// options change.
    ReplaceAggregate {
        id: FunctionId,
        from: Aggregate,
        to: Aggregate,
    },
    CreateTrigger {
        table: QualName,
        name: String,
        trigger: Trigger,
    },
    DropTrigger {
        table: QualName,
        name: String,
        trigger: Trigger,
    },
    /// `CREATE OR REPLACE TRIGGER` (PostgreSQL 14+; not for constraint triggers).
    ReplaceTrigger {
        table: QualName,
        name: String,
        from: Trigger,
        to: Trigger,
    },
    /// `ALTER TABLE … ENABLE/DISABLE TRIGGER`.
    SetTriggerEnabled {
        table: QualName,
        name: String,
        from: TriggerEnabled,
        to: TriggerEnabled,
    },
    /// A data hook of the desired state (`hooks:`): its `up` SQL, in key-range batches when it
    /// has a batch, then its verifications. Run by `hookrun`, not as plain statements.
    RunHook {
        hook: crate::model::hook::Hook,
    },
    /// A hook's `down` SQL: only ever part of a reverse.
    UndoHook {
        hook: crate::model::hook::Hook,
    },
    /// Puts back what a destructive step kept in `schemaplan_backup`, then drops the copy (and
    /// with `last`, the schema if nothing else is left in it). Only ever part of a reverse.
    Restore {
        from: QualName,
        into: Restored,
        last: bool,
    },
    /// A domain with its constraints (those not yet validated are added `NOT VALID` after it).
    CreateDomain {
        name: QualName,
        def: Domain,
    },
    DropDomain {
        name: QualName,
        def: Domain,
    },
    /// A domain whose base type (or collation) changes, or that must be tightened while an array
    /// column uses it: every domain of `domains` (the first, then those built over it, base
    /// first) is renamed away, created anew, its columns cast to the new type, and the old one
    /// dropped.
    RebuildDomain {
        name: QualName,
        domains: Vec<RebuiltDomain>,
    },
    /// `ALTER DOMAIN … SET DEFAULT | DROP DEFAULT`.
    SetDomainDefault {
        name: QualName,
        from: Option<Expr>,
        to: Option<Expr>,
    },
    /// `ALTER DOMAIN … SET NOT NULL | DROP NOT NULL`.
    SetDomainNotNull {
        name: QualName,
        not_null: bool,
    },
    AddDomainConstraint {
        domain: QualName,
        name: String,
        constraint: DomainConstraint,
    },
    DropDomainConstraint {
        domain: QualName,
        name: String,
        constraint: DomainConstraint,
    },
    ValidateDomainConstraint {
        domain: QualName,
        name: String,
        constraint: DomainConstraint,
    },
    CreateCompositeType {
        name: QualName,
        def: CompositeType,
    },
    DropCompositeType {
        name: QualName,
        def: CompositeType,
    },
    /// `CREATE TYPE … AS RANGE` (its multirange type comes with it). Never altered: a changed
    /// definition is a drop and a create.
    CreateRangeType {
        name: QualName,
        def: RangeType,
    },
    DropRangeType {
        name: QualName,
        def: RangeType,
    },
    /// `CREATE COLLATION`. Never altered: a changed definition is a drop and a create.
    CreateCollation {
        name: QualName,
        def: Collation,
    },
    DropCollation {
        name: QualName,
        def: Collation,
    },
    /// `ALTER TYPE … ADD ATTRIBUTE` (at the end).
    AddAttribute {
        type_name: QualName,
        attribute: Attribute,
    },
    /// `ALTER TYPE … DROP ATTRIBUTE`. `stored`: a table column holds values of the type (or of
    /// a type containing it), whose values of the attribute are lost.
    DropAttribute {
        type_name: QualName,
        attribute: Attribute,
        stored: bool,
    },
    /// `ALTER TYPE … ALTER ATTRIBUTE … TYPE` (only planned while no column stores the type).
    AlterAttributeType {
        type_name: QualName,
        from: Attribute,
        to: Attribute,
    },
    // ---- Security: policies, row-level security, privileges, ownership ----
    CreatePolicy {
        table: QualName,
        name: String,
        policy: Policy,
    },
    DropPolicy {
        table: QualName,
        name: String,
        policy: Policy,
    },
    /// `ALTER POLICY`: roles, `USING` or `WITH CHECK` change (the command and
    /// permissive/restrictive cannot be altered: those drop and create the policy).
    AlterPolicy {
        table: QualName,
        name: String,
        from: Policy,
        to: Policy,
    },
    /// `ALTER TABLE … ENABLE|DISABLE ROW LEVEL SECURITY`, `FORCE|NO FORCE ROW LEVEL SECURITY`.
    SetRowSecurity {
        table: QualName,
        from: RowSecurity,
        to: RowSecurity,
    },
    /// `ALTER TABLE … REPLICA IDENTITY DEFAULT | FULL | NOTHING | USING INDEX …`.
    SetReplicaIdentity {
        table: QualName,
        from: ReplicaIdentity,
        to: ReplicaIdentity,
    },
    /// `ALTER TABLE … INHERIT parent` / `NO INHERIT parent`: an existing table starts or
    /// stops inheriting from a parent (not a partition). Stopping makes what it had from that
    /// parent alone (columns, checks) its own; starting needs the table to have the parent's
    /// columns and checks already (the diff only ever makes it as the reverse of stopping).
    SetInherit {
        table: QualName,
        parent: QualName,
        inherit: bool,
    },
    /// `GRANT` or `REVOKE` of one grantee's privileges on one object. `diff` makes additions
    /// and removals separate changes, so that each runs in its own phase.
    SetGrants {
        object: SecuredObject,
        grantee: String,
        from: Privileges,
        to: Privileges,
    },
    /// `ALTER … OWNER TO` (only where the desired state names an owner).
    SetOwner {
        object: SecuredObject,
        from: String,
        to: String,
    },
    /// `ALTER DEFAULT PRIVILEGES … GRANT|REVOKE` for one grantee.
    SetDefaultPrivileges {
        key: DefaultPrivilegeKey,
        grantee: String,
        from: Privileges,
        to: Privileges,
    },
    /// `ALTER TABLE parent ATTACH PARTITION table FOR VALUES …`: a table becomes a partition,
    /// adopting the indexes and constraints that match its parent's.
    AttachPartition {
        table: QualName,
        partition: PartitionOf,
    },
    /// `ALTER TABLE parent DETACH PARTITION table [CONCURRENTLY]`: a partition becomes a table
    /// of its own, keeping what it had from its parent. Concurrently: outside a transaction.
    DetachPartition {
        table: QualName,
        partition: PartitionOf,
        concurrently: bool,
        /// The CHECK a concurrent detach adds in place of the partition constraint (named by
        /// PostgreSQL), which undoing the detach drops again.
        leaves_check: Option<String>,
    },
    /// `CREATE INDEX … ON ONLY table`: a partitioned index without its partitions' indexes,
    /// invalid until one is attached for every partition (`AttachIndex`).
    CreateIndexOnly {
        table: QualName,
        name: String,
        index: Index,
    },
    /// `ALTER INDEX parent_index ATTACH PARTITION name`: the index `name` of the partition
    /// `table` becomes its part of the partitioned index of `parent_table`.
    AttachIndex {
        table: QualName,
        name: String,
        parent_table: QualName,
        parent_index: String,
        /// The key of the partition's own that the index backs, when it does (the parent's
        /// index is a plain one; the key stays the partition's).
        own_key: Option<Constraint>,
    },
    /// Gives the index a partition has from its parent's partitioned index `parent_index` (in
    /// the parent's schema) the name the desired state pins, whatever name PostgreSQL chose
    /// when it created it along with the partition or the parent's index.
    /// An index of the target's that holds the name is renamed aside first (its own step, which
    /// finds it the same way, names it later). `previous`: its name before, when it exists.
    /// With `previous` equal to `name` the step changes nothing: it is planned before the
    /// parent's index is dropped, so that undoing the plan names the index PostgreSQL creates
    /// again with it as it was.
    /// With `twin`, the name's holder is the index built for the partition to bring when it is
    /// attached, and attaching adopted an older index of the same definition (PostgreSQL takes
    /// the first that matches): the two trade names instead.
    NameInheritedIndex {
        partition: QualName,
        parent_index: QualName,
        name: String,
        previous: Option<String>,
        twin: bool,
    },
    /// `CREATE STATISTICS name (kinds) ON columns, (expressions) FROM table`, with its target
    /// and comment.
    CreateStatistics {
        table: QualName,
        name: String,
        stats: Statistics,
    },
    DropStatistics {
        table: QualName,
        name: String,
        stats: Statistics,
    },
    /// `ALTER STATISTICS … SET STATISTICS n`: only the target changes.
    AlterStatistics {
        table: QualName,
        name: String,
        from: Statistics,
        to: Statistics,
    },
    /// `CREATE TEXT SEARCH DICTIONARY name (TEMPLATE = …, options)`, with its comment.
    CreateTsDictionary {
        name: QualName,
        def: TsDictionary,
    },
    DropTsDictionary {
        name: QualName,
        def: TsDictionary,
    },
    /// `ALTER TEXT SEARCH DICTIONARY name (…)`: options set and removed (the template stays).
    AlterTsDictionary {
        name: QualName,
        from: TsDictionary,
        to: TsDictionary,
    },
    /// `CREATE TEXT SEARCH CONFIGURATION name (PARSER = …)` and its mappings, with its comment.
    CreateTsConfiguration {
        name: QualName,
        def: TsConfiguration,
    },
    DropTsConfiguration {
        name: QualName,
        def: TsConfiguration,
    },
    /// `ALTER TEXT SEARCH CONFIGURATION name ADD | ALTER | DROP MAPPING FOR …`: mappings change
    /// (the parser stays).
    AlterTsConfiguration {
        name: QualName,
        from: TsConfiguration,
        to: TsConfiguration,
    },
    /// `CREATE PUBLICATION name FOR TABLE …`, with its comment.
    CreatePublication {
        name: String,
        def: Publication,
    },
    DropPublication {
        name: String,
        def: Publication,
    },
    /// `ALTER PUBLICATION name SET TABLE …` and `SET (publish = …)`.
    AlterPublication {
        name: String,
        from: Publication,
        to: Publication,
    },
    /// `ALTER TABLE … ALTER COLUMN … SET STATISTICS | SET STORAGE | SET COMPRESSION | SET (…) |
    /// RESET (…)`: a column's settings (catalog only; no rewrite).
    AlterColumnSettings {
        table: QualName,
        column: String,
        from: ColumnSettings,
        to: ColumnSettings,
    },
    /// `DROP INDEX IF EXISTS`: a partitioned index with every index attached to it. PostgreSQL
    /// cannot detach an index, so this undoes both `CreateIndexOnly` and `AttachIndex`; only
    /// ever part of a reverse.
    /// With `cascade`, the keys of partitions whose indexes are attached go too (PostgreSQL
    /// drops neither alone).
    DropPartitionedIndex {
        table: QualName,
        name: String,
        cascade: bool,
    },
}

/// A partition's index attached to an incomplete partitioned index (see `DropIndex::only`).
#[derive(Clone, Debug, PartialEq)]
pub struct IndexPart {
    pub partition: QualName,
    pub name: String,
    pub index: Index,
}

/// One domain of a `RebuildDomain`: its old and new definitions and the table columns (or
/// arrays of it) that are cast to the new domain.
#[derive(Clone, Debug, PartialEq)]
pub struct RebuiltDomain {
    pub name: QualName,
    pub from: Domain,
    pub to: Domain,
    pub columns: Vec<EnumColumn>,
}

/// What a `Rename` renames, and where.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Renamed {
    Table { schema: String },
    Column { table: QualName },
    Constraint { table: QualName },
    Enum { schema: String },
    Sequence { schema: String },
}

/// Where a destructive step keeps what it removes (in `schemaplan_backup`, under names made from
/// the plan's id), so that its reverse puts it back exactly.
#[derive(Clone, Debug, PartialEq)]
pub struct Backup {
    /// The copy of a dropped table's rows, or of a dropped column's non-null values next to the
    /// key of their rows; `None` for a sequence alone.
    pub data: Option<QualName>,
    /// The columns copied next to a dropped column's values, to match them back to their rows
    /// (their definitions say how each is copied and compared).
    pub key: Vec<Column>,
    /// Whether `key` identifies a row (the primary key, or a unique key of NOT NULL columns).
    /// When the table has none, every remaining column is copied for reference, and the values
    /// cannot be put back row by row.
    pub key_is_unique: bool,
    /// Sequences dropped with the object (itself, its identity columns', those it owns), and
    /// the copy of their positions (`last_value`, `is_called`).
    pub sequences: Vec<QualName>,
    pub positions: Option<QualName>,
    /// Sequences the object owns that go with it and must exist again before it comes back
    /// (identity sequences come back with their columns).
    pub recreate: Vec<(QualName, Sequence)>,
}

/// What a `Restore` puts back.
// Only ever built inside a reverse; boxing the column would only add noise.
#[allow(clippy::large_enum_variant)]
#[derive(Clone, Debug, PartialEq)]
pub enum Restored {
    /// A table's rows; its columns say which to fill (not generated ones) and how to cast the
    /// copy back.
    Rows {
        table: QualName,
        columns: Vec<Column>,
    },
    /// A column's values, matched by `key`.
    Values {
        table: QualName,
        column: Column,
        key: Vec<Column>,
    },
    /// The positions of sequences.
    Positions { sequences: Vec<QualName> },
}

/// The `USING` clause of a column type change.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Using {
    /// An assignment cast exists: no `USING`.
    Implicit,
    /// `USING col::newtype`.
    Cast,
    /// `USING col::text::newtype` (from an enum, whose values only cast through text).
    ThroughText,
    /// `USING (expression)`: the column's `using:` in the desired state.
    Expr(Expr),
    /// The way back from a `using:` that gives no `down`: no conversion is known.
    Unknown,
}

/// Which sequence to move past the column's current values.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Renumber {
    /// The column's own identity sequence.
    Identity,
    /// A sequence its default takes values from.
    Sequence(QualName),
}

/// A column whose type is an enum (or a domain) being rebuilt.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EnumColumn {
    pub table: QualName,
    pub column: String,
    pub array: bool,
    pub default_before: Option<Expr>,
    pub default_after: Option<Expr>,
}

#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum CommentTarget {
    Schema(String),
    Enum(QualName),
    Sequence(QualName),
    Table(QualName),
    View(QualName),
    Column(QualName, String),
    Constraint(QualName, String),
    Index(QualName),
    Function(FunctionId),
    Trigger(QualName, String),
    MaterializedView(QualName),
    Domain(QualName),
    DomainConstraint(QualName, String),
    CompositeType(QualName),
    Attribute(QualName, String),
    Policy(QualName, String),
    Statistics(QualName),
    TsDictionary(QualName),
    TsConfiguration(QualName),
    Publication(String),
}

/// A partition's key a `DropIndex` drops along: the partition, the key's name, the key.
pub type CascadedKey = (QualName, String, Constraint);

/// How a step is undone.
#[derive(Clone, Debug, PartialEq)]
pub enum Reverse {
    /// The changes that undo it, in order (none when there is nothing to undo).
    Changes(Vec<Change>),
    Irreversible {
        reason: String,
    },
}

impl Reverse {
    /// Undone by a single change.
    pub(super) fn by(change: Change) -> Reverse {
        Reverse::Changes(vec![change])
    }
}
