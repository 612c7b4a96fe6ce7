//! Typed changes: what `diff` produces and what the renderer turns into SQL. A change carries
//! enough of the old and the new definition to render both its SQL and its reverse.

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
    },
    DropColumn {
        table: QualName,
        column: Column,
        backup: Option<Backup>,
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
    DropIndex {
        table: QualName,
        name: String,
        index: Index,
        concurrently: bool,
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
        from: std::collections::BTreeMap<String, String>,
        to: std::collections::BTreeMap<String, String>,
    },
    /// Storage parameters of a table, or options of a view (`view` true).
    SetOptions {
        table: QualName,
        view: bool,
        from: std::collections::BTreeMap<String, String>,
        to: std::collections::BTreeMap<String, String>,
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
    },
    /// Gives the index a partition has from its parent's partitioned index `parent_index` (in
    /// the parent's schema) the name the desired state pins, whatever name PostgreSQL chose
    /// when it created it along with the partition or the parent's index.
    /// An index of the target's that holds the name is renamed aside first (its own step, which
    /// finds it the same way, names it later). `previous`: its name before, when it exists.
    /// With `previous` equal to `name` the step changes nothing: it is planned before the
    /// parent's index is dropped, so that undoing the plan names the index PostgreSQL creates
    /// again with it as it was.
    NameInheritedIndex {
        partition: QualName,
        parent_index: QualName,
        name: String,
        previous: Option<String>,
    },
    /// `DROP INDEX IF EXISTS`: a partitioned index with every index attached to it. PostgreSQL
    /// cannot detach an index, so this undoes both `CreateIndexOnly` and `AttachIndex`; only
    /// ever part of a reverse.
    DropPartitionedIndex {
        table: QualName,
        name: String,
    },
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

/// Whether going from `from` to `to` takes anything away (a privilege or its grant option).
pub fn removes_privileges(from: &Privileges, to: &Privileges) -> bool {
    from.iter()
        .any(|(p, option)| to.get(p).is_none_or(|o| *option && !*o))
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

/// What a change touches (see `Change::object`).
enum Subject<'a> {
    Schema(&'a str),
    Extension(&'a str),
    Object(&'a QualName),
    /// A column or constraint of a table (or view).
    Part(&'a QualName, &'a str),
    /// An index, named within its table's schema.
    Index(&'a QualName, &'a str),
    /// An object by schema and name.
    Named(&'a str, &'a str),
    /// A data hook, by name.
    Hook(&'a str),
    /// A function or procedure, by name and argument types.
    Routine(&'a FunctionId),
    /// Default privileges, which belong to a role (and maybe a schema).
    DefaultPrivileges(&'a DefaultPrivilegeKey),
}

/// The `USING` clause of a column type change.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Using {
    /// An assignment cast exists: no `USING`.
    Implicit,
    /// `USING col::newtype`.
    Cast,
    /// `USING col::text::newtype` (from an enum, whose values only cast through text).
    ThroughText,
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
}

/// How a step is undone.
#[derive(Clone, Debug, PartialEq)]
pub enum Reverse {
    /// The changes that undo it, in order (none when there is nothing to undo).
    Changes(Vec<Change>),
    Irreversible {
        reason: String,
    },
}

impl Change {
    /// A stable, machine-readable kind name (part of the JSON contract).
    pub fn kind(&self) -> &'static str {
        match self {
            Change::CreateSchema { .. } => "create_schema",
            Change::DropSchema { .. } => "drop_schema",
            Change::CreateExtension { .. } => "create_extension",
            Change::DropExtension { .. } => "drop_extension",
            Change::AlterExtension { .. } => "alter_extension",
            Change::CreateEnum { .. } => "create_enum",
            Change::DropEnum { .. } => "drop_enum",
            Change::AddEnumValues { .. } => "add_enum_values",
            Change::RebuildEnum { .. } => "rebuild_enum",
            Change::CreateSequence { .. } => "create_sequence",
            Change::DropSequence { .. } => "drop_sequence",
            Change::AlterSequence { .. } => "alter_sequence",
            Change::SetSequenceOwner { .. } => "set_sequence_owner",
            Change::CreateTable { .. } => "create_table",
            Change::DropTable { .. } => "drop_table",
            Change::AddColumn { .. } => "add_column",
            Change::DropColumn { .. } => "drop_column",
            Change::AlterColumn { .. } => "alter_column",
            Change::AddConstraint { .. } => "add_constraint",
            Change::DropConstraint { .. } => "drop_constraint",
            Change::ValidateConstraint { .. } => "validate_constraint",
            Change::AlterConstraint { .. } => "alter_constraint",
            Change::CreateIndex { .. } => "create_index",
            Change::RenameIndex { .. } => "rename_index",
            Change::Rename { target, .. } => match target {
                Renamed::Table { .. } => "rename_table",
                Renamed::Column { .. } => "rename_column",
                Renamed::Constraint { .. } => "rename_constraint",
                Renamed::Enum { .. } => "rename_enum",
                Renamed::Sequence { .. } => "rename_sequence",
            },
            Change::AddConstraintUsingIndex { .. } => "add_constraint_using_index",
            Change::Backfill { .. } => "backfill",
            Change::DropIndex { .. } => "drop_index",
            Change::CreateView { .. } => "create_view",
            Change::DropView { .. } => "drop_view",
            Change::ReplaceView { .. } => "replace_view",
            Change::CreateMaterializedView { .. } => "create_materialized_view",
            Change::DropMaterializedView { .. } => "drop_materialized_view",
            Change::SetMaterializedViewOptions { .. } => "set_materialized_view_options",
            Change::SetOptions { view: false, .. } => "set_table_options",
            Change::SetOptions { view: true, .. } => "set_view_options",
            Change::SetPersistence { .. } => "set_persistence",
            Change::SetComment { .. } => "set_comment",
            Change::Restore { .. } => "restore",
            Change::RunHook { .. } => "run_hook",
            Change::UndoHook { .. } => "undo_hook",
            Change::CreateFunction { .. } => "create_function",
            Change::DropFunction { .. } => "drop_function",
            Change::ReplaceFunction { .. } => "replace_function",
            Change::CreateTrigger { .. } => "create_trigger",
            Change::DropTrigger { .. } => "drop_trigger",
            Change::ReplaceTrigger { .. } => "replace_trigger",
            Change::SetTriggerEnabled { .. } => "set_trigger_enabled",
            Change::CreateDomain { .. } => "create_domain",
            Change::DropDomain { .. } => "drop_domain",
            Change::RebuildDomain { .. } => "rebuild_domain",
            Change::SetDomainDefault { .. } => "set_domain_default",
            Change::SetDomainNotNull { .. } => "set_domain_not_null",
            Change::AddDomainConstraint { .. } => "add_domain_constraint",
            Change::DropDomainConstraint { .. } => "drop_domain_constraint",
            Change::ValidateDomainConstraint { .. } => "validate_domain_constraint",
            Change::CreateCompositeType { .. } => "create_composite_type",
            Change::DropCompositeType { .. } => "drop_composite_type",
            Change::AddAttribute { .. } => "add_attribute",
            Change::DropAttribute { .. } => "drop_attribute",
            Change::AlterAttributeType { .. } => "alter_attribute_type",
            Change::CreatePolicy { .. } => "create_policy",
            Change::DropPolicy { .. } => "drop_policy",
            Change::AlterPolicy { .. } => "alter_policy",
            Change::SetRowSecurity { .. } => "set_row_security",
            Change::SetGrants { from, to, .. } => {
                if removes_privileges(from, to) {
                    "revoke"
                } else {
                    "grant"
                }
            }
            Change::SetOwner { .. } => "set_owner",
            Change::SetDefaultPrivileges { from, to, .. } => {
                if removes_privileges(from, to) {
                    "revoke_default_privileges"
                } else {
                    "grant_default_privileges"
                }
            }
            Change::AttachPartition { .. } => "attach_partition",
            Change::DetachPartition { .. } => "detach_partition",
            Change::CreateIndexOnly { .. } => "create_index_only",
            Change::AttachIndex { .. } => "attach_index",
            Change::DropPartitionedIndex { .. } => "drop_partitioned_index",
            Change::NameInheritedIndex { .. } => "name_inherited_index",
        }
    }

    /// What the change touches, once for `object` and `schema`.
    fn subject(&self) -> Subject<'_> {
        match self {
            Change::CreateSchema { name, .. } | Change::DropSchema { name, .. } => {
                Subject::Schema(name)
            }
            Change::CreateExtension { name, .. }
            | Change::DropExtension { name, .. }
            | Change::AlterExtension { name, .. } => Subject::Extension(name),
            Change::CreateEnum { name, .. }
            | Change::DropEnum { name, .. }
            | Change::AddEnumValues { name, .. }
            | Change::RebuildEnum { name, .. }
            | Change::CreateSequence { name, .. }
            | Change::DropSequence { name, .. }
            | Change::AlterSequence { name, .. }
            | Change::SetSequenceOwner { name, .. }
            | Change::CreateTable { name, .. }
            | Change::DropTable { name, .. }
            | Change::CreateView { name, .. }
            | Change::DropView { name, .. }
            | Change::ReplaceView { name, .. }
            | Change::CreateMaterializedView { name, .. }
            | Change::DropMaterializedView { name, .. }
            | Change::SetMaterializedViewOptions { name, .. }
            | Change::SetOptions { table: name, .. }
            | Change::SetPersistence { table: name, .. } => Subject::Object(name),
            Change::AddColumn { table, column } | Change::DropColumn { table, column, .. } => {
                Subject::Part(table, &column.name)
            }
            Change::AlterColumn { table, to, .. } => Subject::Part(table, &to.name),
            Change::AddConstraint { table, name, .. }
            | Change::DropConstraint { table, name, .. }
            | Change::ValidateConstraint { table, name, .. }
            | Change::AlterConstraint { table, name, .. } => Subject::Part(table, name),
            Change::CreateIndex { table, name, .. } | Change::DropIndex { table, name, .. } => {
                Subject::Index(table, name)
            }
            Change::RenameIndex { table, to, .. } => Subject::Index(table, to),
            Change::Rename { target, to, .. } => match target {
                Renamed::Table { schema }
                | Renamed::Enum { schema }
                | Renamed::Sequence { schema } => Subject::Named(schema, to),
                Renamed::Column { table } | Renamed::Constraint { table } => {
                    Subject::Part(table, to)
                }
            },
            Change::AddConstraintUsingIndex { table, name, .. } => Subject::Part(table, name),
            Change::Backfill { table, column, .. } => Subject::Part(table, column),
            Change::RunHook { hook } | Change::UndoHook { hook } => Subject::Hook(&hook.name),
            Change::Restore { into, from, .. } => match into {
                Restored::Rows { table, .. } => Subject::Object(table),
                Restored::Values { table, column, .. } => Subject::Part(table, &column.name),
                Restored::Positions { .. } => Subject::Object(from),
            },
            Change::SetComment { target, .. } => match target {
                CommentTarget::Schema(s) => Subject::Schema(s),
                CommentTarget::Enum(q)
                | CommentTarget::Sequence(q)
                | CommentTarget::Table(q)
                | CommentTarget::View(q)
                | CommentTarget::Index(q)
                | CommentTarget::MaterializedView(q)
                | CommentTarget::Domain(q)
                | CommentTarget::CompositeType(q) => Subject::Object(q),
                CommentTarget::Column(q, c)
                | CommentTarget::Constraint(q, c)
                | CommentTarget::Trigger(q, c)
                | CommentTarget::DomainConstraint(q, c)
                | CommentTarget::Attribute(q, c)
                | CommentTarget::Policy(q, c) => Subject::Part(q, c),
                CommentTarget::Function(id) => Subject::Routine(id),
            },
            Change::CreateFunction { id, .. }
            | Change::DropFunction { id, .. }
            | Change::ReplaceFunction { id, .. } => Subject::Routine(id),
            Change::CreateTrigger { table, name, .. }
            | Change::DropTrigger { table, name, .. }
            | Change::ReplaceTrigger { table, name, .. }
            | Change::SetTriggerEnabled { table, name, .. } => Subject::Part(table, name),
            Change::CreateDomain { name, .. }
            | Change::DropDomain { name, .. }
            | Change::RebuildDomain { name, .. }
            | Change::SetDomainDefault { name, .. }
            | Change::SetDomainNotNull { name, .. }
            | Change::CreateCompositeType { name, .. }
            | Change::DropCompositeType { name, .. } => Subject::Object(name),
            Change::AddDomainConstraint { domain, name, .. }
            | Change::DropDomainConstraint { domain, name, .. }
            | Change::ValidateDomainConstraint { domain, name, .. } => Subject::Part(domain, name),
            Change::AddAttribute {
                type_name,
                attribute,
            }
            | Change::DropAttribute {
                type_name,
                attribute,
                ..
            } => Subject::Part(type_name, &attribute.name),
            Change::AlterAttributeType { type_name, to, .. } => Subject::Part(type_name, &to.name),
            Change::CreatePolicy { table, name, .. }
            | Change::DropPolicy { table, name, .. }
            | Change::AlterPolicy { table, name, .. } => Subject::Part(table, name),
            Change::SetRowSecurity { table, .. } => Subject::Object(table),
            Change::SetGrants { object, .. } | Change::SetOwner { object, .. } => match object {
                SecuredObject::Schema(s) => Subject::Schema(s),
                SecuredObject::Table(q) | SecuredObject::View(q) | SecuredObject::Sequence(q) => {
                    Subject::Object(q)
                }
                SecuredObject::Column(q, c) => Subject::Part(q, c),
                SecuredObject::Function(id) => Subject::Routine(id),
            },
            Change::SetDefaultPrivileges { key, .. } => Subject::DefaultPrivileges(key),
            Change::AttachPartition { table, .. } | Change::DetachPartition { table, .. } => {
                Subject::Object(table)
            }
            Change::CreateIndexOnly { table, name, .. }
            | Change::AttachIndex { table, name, .. }
            | Change::DropPartitionedIndex { table, name } => Subject::Index(table, name),
            Change::NameInheritedIndex {
                partition, name, ..
            } => Subject::Index(partition, name),
        }
    }

    /// The object a change touches, as shown to people: `public.events`, `public.events.title`.
    pub fn object(&self) -> String {
        match self.subject() {
            Subject::Schema(s) | Subject::Extension(s) => s.to_string(),
            Subject::Object(q) => q.to_string(),
            Subject::Part(q, part) => format!("{q}.{part}"),
            Subject::Index(table, index) => format!("{}.{index}", table.schema),
            Subject::Named(schema, name) => format!("{schema}.{name}"),
            Subject::Hook(name) => name.to_string(),
            Subject::Routine(id) => id.to_string(),
            Subject::DefaultPrivileges(key) => key.to_string(),
        }
    }

    /// Every object whose definition the step may change, named as `object` names them: its
    /// own object, and what goes or moves along with it (a renamed object's old name, the
    /// indexes and sequences of a dropped table, the columns of a rebuilt enum). A difference
    /// in the schema under one of these (or a part of it) is explained by the step having run.
    pub fn touches(&self) -> Vec<String> {
        let mut out = vec![self.object()];
        let kept_sequences = |b: &Option<Backup>| -> Vec<String> {
            b.iter()
                .flat_map(|b| b.sequences.iter().map(|s| s.to_string()))
                .collect()
        };
        match self {
            Change::Rename { target, from, .. } => out.push(match target {
                Renamed::Table { schema }
                | Renamed::Enum { schema }
                | Renamed::Sequence { schema } => format!("{schema}.{from}"),
                Renamed::Column { table } | Renamed::Constraint { table } => {
                    format!("{table}.{from}")
                }
            }),
            Change::RenameIndex { table, from, .. } => out.push(format!("{}.{from}", table.schema)),
            Change::DropTable {
                name,
                table,
                backup,
            } => {
                out.extend(table.indexes.keys().map(|i| format!("{}.{i}", name.schema)));
                out.extend(kept_sequences(backup));
            }
            Change::CreateTable { name, table } => {
                out.extend(table.indexes.keys().map(|i| format!("{}.{i}", name.schema)));
            }
            Change::CreateMaterializedView { name, view }
            | Change::DropMaterializedView { name, view } => {
                out.extend(view.indexes.keys().map(|i| format!("{}.{i}", name.schema)));
            }
            Change::DropColumn { backup, .. } => out.extend(kept_sequences(backup)),
            Change::RebuildEnum { columns, .. } => {
                out.extend(columns.iter().map(|c| format!("{}.{}", c.table, c.column)));
            }
            Change::RebuildDomain { domains, .. } => {
                for d in domains {
                    out.push(d.name.to_string());
                    out.extend(
                        d.columns
                            .iter()
                            .map(|c| format!("{}.{}", c.table, c.column)),
                    );
                }
            }
            Change::AddConstraintUsingIndex { table, name, .. } => {
                out.push(format!("{}.{name}", table.schema));
            }
            _ => {}
        }
        out.sort();
        out.dedup();
        out
    }

    /// The schema of the object the change touches (`None` for extensions).
    pub fn schema(&self) -> Option<&str> {
        match self.subject() {
            Subject::Schema(s) => Some(s),
            Subject::Extension(_) | Subject::Hook(_) => None,
            Subject::Object(q) | Subject::Part(q, _) | Subject::Index(q, _) => Some(&q.schema),
            Subject::Named(schema, _) => Some(schema),
            Subject::Routine(id) => Some(&id.name.schema),
            Subject::DefaultPrivileges(key) => key.schema.as_deref(),
        }
    }

    /// What kind of object, for the plan summary (`+ 3 tables  ~ 2 columns`).
    pub fn noun(&self) -> &'static str {
        match self {
            Change::CreateSchema { .. } | Change::DropSchema { .. } => "schema",
            Change::CreateExtension { .. }
            | Change::DropExtension { .. }
            | Change::AlterExtension { .. } => "extension",
            Change::CreateEnum { .. }
            | Change::DropEnum { .. }
            | Change::AddEnumValues { .. }
            | Change::RebuildEnum { .. } => "enum",
            Change::CreateSequence { .. }
            | Change::DropSequence { .. }
            | Change::AlterSequence { .. }
            | Change::SetSequenceOwner { .. }
            | Change::SetPersistence { sequence: true, .. } => "sequence",
            Change::CreateTable { .. }
            | Change::DropTable { .. }
            | Change::SetOptions { view: false, .. }
            | Change::SetPersistence {
                sequence: false, ..
            } => "table",
            Change::AddColumn { .. } | Change::DropColumn { .. } | Change::AlterColumn { .. } => {
                "column"
            }
            Change::AddConstraint { .. }
            | Change::DropConstraint { .. }
            | Change::ValidateConstraint { .. }
            | Change::AlterConstraint { .. } => "constraint",
            Change::CreateIndex { .. } | Change::DropIndex { .. } | Change::RenameIndex { .. } => {
                "index"
            }
            Change::AddConstraintUsingIndex { .. } => "constraint",
            Change::Rename { target, .. } => match target {
                Renamed::Table { .. } => "table",
                Renamed::Column { .. } => "column",
                Renamed::Constraint { .. } => "constraint",
                Renamed::Enum { .. } => "enum",
                Renamed::Sequence { .. } => "sequence",
            },
            Change::Backfill { .. } => "column",
            Change::CreateView { .. }
            | Change::DropView { .. }
            | Change::ReplaceView { .. }
            | Change::SetOptions { view: true, .. } => "view",
            Change::CreateMaterializedView { .. }
            | Change::DropMaterializedView { .. }
            | Change::SetMaterializedViewOptions { .. } => "materialized view",
            Change::SetComment { .. } => "comment",
            Change::RunHook { .. } | Change::UndoHook { .. } => "hook",
            Change::CreateFunction { def, .. }
            | Change::DropFunction { def, .. }
            | Change::ReplaceFunction { to: def, .. } => match def.kind {
                RoutineKind::Function => "function",
                RoutineKind::Procedure => "procedure",
            },
            Change::CreateTrigger { .. }
            | Change::DropTrigger { .. }
            | Change::ReplaceTrigger { .. }
            | Change::SetTriggerEnabled { .. } => "trigger",
            Change::AttachPartition { .. } | Change::DetachPartition { .. } => "partition",
            Change::CreateIndexOnly { .. }
            | Change::AttachIndex { .. }
            | Change::DropPartitionedIndex { .. }
            | Change::NameInheritedIndex { .. } => "index",
            Change::Restore { into, .. } => match into {
                Restored::Rows { .. } => "table",
                Restored::Values { .. } => "column",
                Restored::Positions { .. } => "sequence",
            },
            Change::CreateDomain { .. }
            | Change::DropDomain { .. }
            | Change::RebuildDomain { .. }
            | Change::SetDomainDefault { .. }
            | Change::SetDomainNotNull { .. } => "domain",
            Change::AddDomainConstraint { .. }
            | Change::DropDomainConstraint { .. }
            | Change::ValidateDomainConstraint { .. } => "domain constraint",
            Change::CreateCompositeType { .. } | Change::DropCompositeType { .. } => {
                "composite type"
            }
            Change::AddAttribute { .. }
            | Change::DropAttribute { .. }
            | Change::AlterAttributeType { .. } => "attribute",
            Change::CreatePolicy { .. }
            | Change::DropPolicy { .. }
            | Change::AlterPolicy { .. } => "policy",
            Change::SetRowSecurity { .. } => "row security",
            Change::SetGrants { .. } | Change::SetDefaultPrivileges { .. } => "privilege",
            Change::SetOwner { .. } => "owner",
        }
    }

    /// `+` creates, `-` drops, `~` alters.
    pub fn sign(&self) -> char {
        match self {
            Change::CreateSchema { .. }
            | Change::CreateExtension { .. }
            | Change::CreateEnum { .. }
            | Change::CreateSequence { .. }
            | Change::CreateTable { .. }
            | Change::AddColumn { .. }
            | Change::AddConstraint { .. }
            | Change::AddConstraintUsingIndex { .. }
            | Change::CreateIndex { .. }
            | Change::CreateView { .. }
            | Change::CreateFunction { .. }
            | Change::CreateTrigger { .. } => '+',
            Change::CreateMaterializedView { .. } => '+',
            Change::CreateDomain { .. }
            | Change::AddDomainConstraint { .. }
            | Change::CreateCompositeType { .. }
            | Change::AddAttribute { .. } => '+',
            Change::CreatePolicy { .. } => '+',
            Change::CreateIndexOnly { .. } => '+',
            Change::DropSchema { .. }
            | Change::DropExtension { .. }
            | Change::DropEnum { .. }
            | Change::DropSequence { .. }
            | Change::DropTable { .. }
            | Change::DropColumn { .. }
            | Change::DropConstraint { .. }
            | Change::DropIndex { .. }
            | Change::DropView { .. }
            | Change::DropFunction { .. }
            | Change::DropTrigger { .. } => '-',
            Change::DropMaterializedView { .. } => '-',
            Change::DropDomain { .. }
            | Change::DropDomainConstraint { .. }
            | Change::DropCompositeType { .. }
            | Change::DropAttribute { .. } => '-',
            Change::DropPolicy { .. } => '-',
            Change::DropPartitionedIndex { .. } => '-',
            _ => '~',
        }
    }

    /// Whether the step may run inside a transaction block. `ALTER TYPE … ADD VALUE` may not be
    /// used by the transaction that adds it, so it runs (and commits) on its own.
    pub fn transactional(&self) -> bool {
        !matches!(
            self,
            Change::AddEnumValues { .. }
                | Change::CreateIndex {
                    concurrently: true,
                    ..
                }
                | Change::DropIndex {
                    concurrently: true,
                    ..
                }
                | Change::Backfill { .. }
                | Change::RunHook { .. }
                | Change::DetachPartition {
                    concurrently: true,
                    ..
                }
        )
    }

    /// The change that undoes this one, computed from the definitions it carries.
    pub fn reverse(&self) -> Reverse {
        use Change::*;
        let change = match self.clone() {
            CreateSchema { name, schema } => DropSchema { name, schema },
            DropSchema { name, schema } => CreateSchema { name, schema },
            CreateExtension { name, ext } => DropExtension { name, ext },
            DropExtension { name, ext } => CreateExtension { name, ext },
            AlterExtension { name, from, to } => {
                if from.version != to.version {
                    return Reverse::Irreversible {
                        reason: "an extension can be moved back to an older version only if it \
                                 ships a downgrade script"
                            .into(),
                    };
                }
                AlterExtension {
                    name,
                    from: to,
                    to: from,
                }
            }
            CreateEnum { name, def } => DropEnum { name, def },
            DropEnum { name, def } => CreateEnum { name, def },
            AddEnumValues { .. } => {
                return Reverse::Irreversible {
                    reason: "PostgreSQL cannot remove a value from an enum; undoing it means \
                             rebuilding the type"
                        .into(),
                };
            }
            RebuildEnum {
                name,
                from,
                to,
                columns,
            } => RebuildEnum {
                name,
                from: to,
                to: from,
                columns: columns
                    .into_iter()
                    .map(|c| EnumColumn {
                        default_before: c.default_after,
                        default_after: c.default_before,
                        ..c
                    })
                    .collect(),
            },
            CreateSequence { name, def } => DropSequence {
                name,
                def,
                backup: None,
            },
            DropSequence { name, def, backup } => {
                let Some(backup) = backup else {
                    return Reverse::Irreversible {
                        reason: "dropping a sequence loses its position (--no-backup)".into(),
                    };
                };
                let mut out = vec![CreateSequence {
                    name: name.clone(),
                    def: Sequence {
                        owned_by: None,
                        ..def.clone()
                    },
                }];
                out.extend(backup.restore_positions());
                mark_last_restore(&mut out);
                if def.owned_by.is_some() {
                    out.push(SetSequenceOwner {
                        name,
                        from: None,
                        to: def.owned_by,
                    });
                }
                return Reverse::Changes(out);
            }
            AlterSequence { name, from, to } => AlterSequence {
                name,
                from: to,
                to: from,
            },
            SetSequenceOwner { name, from, to } => SetSequenceOwner {
                name,
                from: to,
                to: from,
            },
            CreateTable { name, table } => DropTable {
                name,
                table,
                backup: None,
            },
            DropTable {
                name,
                table,
                backup,
            } => {
                let Some(backup) = backup else {
                    return Reverse::Irreversible {
                        reason: "dropping a table deletes its rows (--no-backup)".into(),
                    };
                };
                return Reverse::Changes(restore_table(name, table, &backup));
            }
            AddColumn { table, column } => DropColumn {
                table,
                column,
                backup: None,
            },
            DropColumn {
                table,
                column,
                backup,
            } => return restore_column(table, column, backup),
            AlterColumn { from, to, .. } if from.generated.is_some() && to.generated.is_none() => {
                return Reverse::Irreversible {
                    reason: "PostgreSQL 15 cannot make a column generated again; the column would \
                             have to be dropped and added back"
                        .into(),
                };
            }
            AlterColumn {
                table,
                from,
                to,
                using,
                using_reverse,
                renumber,
                renumber_reverse,
            } => AlterColumn {
                table,
                from: to,
                to: from,
                using: using_reverse,
                using_reverse: using,
                renumber: renumber_reverse,
                renumber_reverse: renumber,
            },
            AddConstraint {
                table,
                name,
                constraint,
            } => DropConstraint {
                table,
                name,
                constraint,
            },
            DropConstraint {
                table,
                name,
                constraint,
            } => AddConstraint {
                table,
                name,
                constraint,
            },
            // PostgreSQL cannot mark a constraint NOT VALID again: it is added back that way.
            ValidateConstraint {
                table,
                name,
                constraint,
            } => {
                return Reverse::Changes(vec![
                    DropConstraint {
                        table: table.clone(),
                        name: name.clone(),
                        constraint: constraint.clone(),
                    },
                    AddConstraint {
                        table,
                        name,
                        constraint: Constraint {
                            validated: false,
                            ..constraint
                        },
                    },
                ]);
            }
            AlterConstraint {
                table,
                name,
                from,
                to,
            } => AlterConstraint {
                table,
                name,
                from: to,
                to: from,
            },
            CreateIndex {
                table,
                name,
                index,
                concurrently,
                ..
            } => DropIndex {
                table,
                name,
                index,
                concurrently,
            },
            DropIndex {
                table,
                name,
                index,
                concurrently,
            } => CreateIndex {
                table,
                name,
                index,
                concurrently,
                replaces: None,
            },
            RenameIndex { table, from, to } => RenameIndex {
                table,
                from: to,
                to: from,
            },
            Rename { target, from, to } => Rename {
                target,
                from: to,
                to: from,
            },
            AddConstraintUsingIndex {
                table,
                name,
                constraint,
            } => DropConstraint {
                table,
                name,
                constraint,
            },
            // The old values are gone, but the column was empty (NULL) before: nothing to undo
            // that dropping the column (the step before it, reversed) does not undo.
            Backfill {
                column_existed: true,
                table,
                column,
                ..
            } => {
                return Reverse::Irreversible {
                    reason: format!(
                        "the backfill writes into the NULLs of an existing column ({table}.{column}); which rows were NULL is not kept"
                    ),
                };
            }
            Backfill { .. } => return Reverse::Changes(Vec::new()),
            RunHook { hook } => {
                if hook.down.is_none() {
                    return Reverse::Irreversible {
                        reason: format!("hook {} has no `down` SQL", hook.name),
                    };
                }
                UndoHook { hook }
            }
            UndoHook { hook } => RunHook { hook },
            CreateFunction { id, def } => DropFunction { id, def },
            DropFunction { id, def } => CreateFunction { id, def },
            ReplaceFunction { id, from, to } => ReplaceFunction {
                id,
                from: to,
                to: from,
            },
            CreateTrigger {
                table,
                name,
                trigger,
            } => DropTrigger {
                table,
                name,
                trigger,
            },
            DropTrigger {
                table,
                name,
                trigger,
            } => CreateTrigger {
                table,
                name,
                trigger,
            },
            ReplaceTrigger {
                table,
                name,
                from,
                to,
            } => ReplaceTrigger {
                table,
                name,
                from: to,
                to: from,
            },
            SetTriggerEnabled {
                table,
                name,
                from,
                to,
            } => SetTriggerEnabled {
                table,
                name,
                from: to,
                to: from,
            },
            CreateView { name, view } => DropView { name, view },
            DropView { name, view } => CreateView { name, view },
            ReplaceView { name, from, to } => ReplaceView {
                name,
                from: to,
                to: from,
            },
            CreateMaterializedView { name, view } => DropMaterializedView { name, view },
            DropMaterializedView { name, view } => CreateMaterializedView { name, view },
            SetMaterializedViewOptions { name, from, to } => SetMaterializedViewOptions {
                name,
                from: to,
                to: from,
            },
            SetOptions {
                table,
                view,
                from,
                to,
            } => SetOptions {
                table,
                view,
                from: to,
                to: from,
            },
            SetPersistence {
                table,
                sequence,
                unlogged,
            } => SetPersistence {
                table,
                sequence,
                unlogged: !unlogged,
            },
            SetComment { target, from, to } => SetComment {
                target,
                from: to,
                to: from,
            },
            Restore { .. } => {
                return Reverse::Irreversible {
                    reason: "a restore is itself the reverse of a drop".into(),
                };
            }
            CreateDomain { name, def } => DropDomain { name, def },
            DropDomain { name, def } => CreateDomain { name, def },
            RebuildDomain { name, domains } => RebuildDomain {
                name,
                domains: domains
                    .into_iter()
                    .map(|d| RebuiltDomain {
                        name: d.name,
                        from: d.to,
                        to: d.from,
                        columns: d
                            .columns
                            .into_iter()
                            .map(|c| EnumColumn {
                                default_before: c.default_after,
                                default_after: c.default_before,
                                ..c
                            })
                            .collect(),
                    })
                    .collect(),
            },
            SetDomainDefault { name, from, to } => SetDomainDefault {
                name,
                from: to,
                to: from,
            },
            SetDomainNotNull { name, not_null } => SetDomainNotNull {
                name,
                not_null: !not_null,
            },
            AddDomainConstraint {
                domain,
                name,
                constraint,
            } => DropDomainConstraint {
                domain,
                name,
                constraint,
            },
            DropDomainConstraint {
                domain,
                name,
                constraint,
            } => AddDomainConstraint {
                domain,
                name,
                constraint,
            },
            // As for tables: a validated constraint cannot be marked NOT VALID again.
            ValidateDomainConstraint {
                domain,
                name,
                constraint,
            } => {
                return Reverse::Changes(vec![
                    DropDomainConstraint {
                        domain: domain.clone(),
                        name: name.clone(),
                        constraint: constraint.clone(),
                    },
                    AddDomainConstraint {
                        domain,
                        name,
                        constraint: DomainConstraint {
                            validated: false,
                            ..constraint
                        },
                    },
                ]);
            }
            CreateCompositeType { name, def } => DropCompositeType { name, def },
            DropCompositeType { name, def } => CreateCompositeType { name, def },
            AddAttribute {
                type_name,
                attribute,
            } => DropAttribute {
                type_name,
                attribute,
                stored: false,
            },
            DropAttribute {
                stored: true,
                type_name,
                attribute,
            } => {
                return Reverse::Irreversible {
                    reason: format!(
                        "the values of attribute {} held in table columns of type {type_name} are lost; adding it back gives NULLs",
                        attribute.name
                    ),
                };
            }
            DropAttribute {
                type_name,
                attribute,
                ..
            } => AddAttribute {
                type_name,
                attribute,
            },
            AlterAttributeType {
                type_name,
                from,
                to,
            } => AlterAttributeType {
                type_name,
                from: to,
                to: from,
            },
            CreatePolicy {
                table,
                name,
                policy,
            } => DropPolicy {
                table,
                name,
                policy,
            },
            DropPolicy {
                table,
                name,
                policy,
            } => CreatePolicy {
                table,
                name,
                policy,
            },
            AlterPolicy {
                table,
                name,
                from,
                to,
            } => AlterPolicy {
                table,
                name,
                from: to,
                to: from,
            },
            SetRowSecurity { table, from, to } => SetRowSecurity {
                table,
                from: to,
                to: from,
            },
            SetGrants {
                object,
                grantee,
                from,
                to,
            } => SetGrants {
                object,
                grantee,
                from: to,
                to: from,
            },
            SetOwner { object, from, to } => SetOwner {
                object,
                from: to,
                to: from,
            },
            SetDefaultPrivileges {
                key,
                grantee,
                from,
                to,
            } => SetDefaultPrivileges {
                key,
                grantee,
                from: to,
                to: from,
            },
            AttachPartition { table, partition } => DetachPartition {
                table,
                partition,
                concurrently: false,
                leaves_check: None,
            },
            DetachPartition {
                table,
                partition,
                leaves_check,
                ..
            } => {
                let mut out = vec![AttachPartition {
                    table: table.clone(),
                    partition: partition.clone(),
                }];
                if let Some(name) = leaves_check {
                    out.push(DropConstraint {
                        table,
                        name,
                        constraint: partition_check(&partition),
                    });
                }
                return Reverse::Changes(out);
            }
            CreateIndexOnly { table, name, .. } => DropPartitionedIndex { table, name },
            AttachIndex {
                parent_table,
                parent_index,
                ..
            } => DropPartitionedIndex {
                table: parent_table,
                name: parent_index,
            },
            NameInheritedIndex {
                partition,
                parent_index,
                name,
                previous,
            } => match previous {
                Some(previous) => NameInheritedIndex {
                    partition,
                    parent_index,
                    name: previous,
                    previous: Some(name),
                },
                // It names an index created in the same plan, which undoing the plan drops.
                None => return Reverse::Changes(Vec::new()),
            },
            DropPartitionedIndex { .. } => {
                return Reverse::Irreversible {
                    reason: "dropping a partitioned index is itself the reverse of building one"
                        .into(),
                };
            }
        };
        Reverse::Changes(vec![change])
    }
}

impl Backup {
    /// The change that sets the kept sequences back to their positions.
    fn restore_positions(&self) -> Option<Change> {
        Some(Change::Restore {
            from: self.positions.clone()?,
            into: Restored::Positions {
                sequences: self.sequences.clone(),
            },
            last: false,
        })
    }

    /// Sequences to create before the object comes back, not yet owned by it.
    fn recreate_sequences(&self) -> impl Iterator<Item = Change> + '_ {
        self.recreate
            .iter()
            .map(|(name, def)| Change::CreateSequence {
                name: name.clone(),
                def: Sequence {
                    owned_by: None,
                    ..def.clone()
                },
            })
    }

    /// Gives the recreated sequences back to their owners.
    fn reown_sequences(&self) -> impl Iterator<Item = Change> + '_ {
        self.recreate
            .iter()
            .filter(|(_, def)| def.owned_by.is_some())
            .map(|(name, def)| Change::SetSequenceOwner {
                name: name.clone(),
                from: None,
                to: def.owned_by.clone(),
            })
    }
}

/// The way back from dropping a table that was kept: the table as it was created (keys and
/// checks inline), its rows, then its foreign keys and indexes (built over the rows at once),
/// and its sequences' positions.
fn restore_table(name: QualName, table: Table, backup: &Backup) -> Vec<Change> {
    let (inline, separate): (
        std::collections::BTreeMap<_, _>,
        std::collections::BTreeMap<_, _>,
    ) = table
        .constraints
        .clone()
        .into_iter()
        .partition(|(_, c)| c.validated && !matches!(c.kind, ConstraintKind::ForeignKey(_)));
    let mut out: Vec<Change> = backup.recreate_sequences().collect();
    out.push(Change::CreateTable {
        name: name.clone(),
        table: Table {
            constraints: inline,
            indexes: Default::default(),
            policies: Default::default(),
            // Switched on once the rows are back: forced row security would hold the rows
            // of a restore by the table's owner to policies.
            row_security: RowSecurity::default(),
            ..table.clone()
        },
    });
    if let Some(data) = &backup.data {
        out.push(Change::Restore {
            from: data.clone(),
            into: Restored::Rows {
                table: name.clone(),
                columns: table.columns.clone(),
            },
            last: false,
        });
    }
    for (cname, constraint) in separate {
        out.push(Change::AddConstraint {
            table: name.clone(),
            name: cname,
            constraint,
        });
    }
    for (iname, index) in table.indexes {
        out.push(Change::CreateIndex {
            table: name.clone(),
            name: iname,
            index,
            concurrently: false,
            replaces: None,
        });
    }
    // Triggers come back once the rows are in (putting rows back fires none).
    for (tname, trigger) in table.triggers.clone() {
        out.push(Change::CreateTrigger {
            table: name.clone(),
            name: tname,
            trigger,
        });
    }
    // Policies may read other tables: they come back once the rows are in.
    for (pname, policy) in table.policies {
        out.push(Change::CreatePolicy {
            table: name.clone(),
            name: pname,
            policy,
        });
    }
    if table.row_security != RowSecurity::default() {
        out.push(Change::SetRowSecurity {
            table: name.clone(),
            from: RowSecurity::default(),
            to: table.row_security,
        });
    }
    out.extend(backup.restore_positions());
    mark_last_restore(&mut out);
    out.extend(backup.reown_sequences());
    out
}

/// The partition constraint of `partition` as a CHECK of the table (what a concurrent detach
/// leaves behind).
pub fn partition_check(partition: &PartitionOf) -> Constraint {
    Constraint {
        kind: ConstraintKind::Check {
            expression: Expr::new(partition.constraint.clone().unwrap_or_default()),
            no_inherit: false,
        },
        deferrable: false,
        initially_deferred: false,
        validated: true,
        comment: None,
    }
}

/// The last restore of a reverse also removes the backup schema when it is left empty.
fn mark_last_restore(changes: &mut [Change]) {
    if let Some(Change::Restore { last, .. }) = changes
        .iter_mut()
        .rev()
        .find(|c| matches!(c, Change::Restore { .. }))
    {
        *last = true;
    }
}

/// The way back from dropping a column: a generated column is computed again; a kept column is
/// added back bare, filled from the copy row by row, then given its default, NOT NULL and
/// identity, and its sequences their positions.
fn restore_column(table: QualName, column: Column, backup: Option<Backup>) -> Reverse {
    if column.generated.is_some() {
        return Reverse::Changes(vec![Change::AddColumn { table, column }]);
    }
    let Some(backup) = backup else {
        return Reverse::Irreversible {
            reason: "dropping a column deletes its values (--no-backup)".into(),
        };
    };
    let Some(data) = backup.data.clone().filter(|_| backup.key_is_unique) else {
        return Reverse::Irreversible {
            reason: format!(
                "the table has no primary key or unique key of NOT NULL columns to match its \
                 rows by; the values are kept in {}",
                backup
                    .data
                    .as_ref()
                    .map(|d| d.to_string())
                    .unwrap_or_else(|| "no copy".into())
            ),
        };
    };
    let bare = Column {
        not_null: false,
        default: None,
        identity: None,
        ..column.clone()
    };
    let mut out: Vec<Change> = backup.recreate_sequences().collect();
    out.push(Change::AddColumn {
        table: table.clone(),
        column: bare.clone(),
    });
    out.push(Change::Restore {
        from: data,
        into: Restored::Values {
            table: table.clone(),
            column: column.clone(),
            key: backup.key.clone(),
        },
        last: false,
    });
    if bare != column {
        out.push(Change::AlterColumn {
            table,
            from: bare,
            to: column,
            using: Using::Implicit,
            using_reverse: Using::Implicit,
            renumber: None,
            renumber_reverse: None,
        });
    }
    out.extend(backup.restore_positions());
    mark_last_restore(&mut out);
    out.extend(backup.reown_sequences());
    Reverse::Changes(out)
}
