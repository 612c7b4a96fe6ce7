//! What a change is, as shown to people and in the plan's JSON: its kind, the object it
//! touches, its schema and noun, and whether it may run inside a transaction block.

use crate::model::*;

use super::kinds::{Backup, Change, CommentTarget, Renamed, Restored};

/// Whether going from `from` to `to` takes anything away (a privilege or its grant option).
pub fn removes_privileges(from: &Privileges, to: &Privileges) -> bool {
    from.iter()
        .any(|(p, option)| to.get(p).is_none_or(|o| *option && !*o))
}

/// What a change touches (see `Change::object`).
enum Subject<'a> {
    Schema(&'a str),
    Extension(&'a str),
    /// Another database-level object (a publication), by name.
    Database(&'a str),
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
            Change::NotNull { from, to, .. } => match (from, to) {
                (None, _) => "add_not_null",
                (_, None) => "drop_not_null",
                (Some(a), Some(b)) if !a.valid && b.valid && a.no_inherit == b.no_inherit => {
                    "validate_not_null"
                }
                _ => "alter_not_null",
            },
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
            Change::CreateAggregate { .. } => "create_aggregate",
            Change::DropAggregate { .. } => "drop_aggregate",
            Change::ReplaceAggregate { .. } => "replace_aggregate",
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
            Change::CreateRangeType { .. } => "create_range_type",
            Change::DropRangeType { .. } => "drop_range_type",
            Change::CreateCollation { .. } => "create_collation",
            Change::DropCollation { .. } => "drop_collation",
            Change::AddAttribute { .. } => "add_attribute",
            Change::DropAttribute { .. } => "drop_attribute",
            Change::AlterAttributeType { .. } => "alter_attribute_type",
            Change::CreatePolicy { .. } => "create_policy",
            Change::DropPolicy { .. } => "drop_policy",
            Change::AlterPolicy { .. } => "alter_policy",
            Change::SetRowSecurity { .. } => "set_row_security",
            Change::SetReplicaIdentity { .. } => "set_replica_identity",
            Change::SetInherit { inherit: true, .. } => "inherit",
            Change::SetInherit { inherit: false, .. } => "no_inherit",
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
            Change::CreateStatistics { .. } => "create_statistics",
            Change::DropStatistics { .. } => "drop_statistics",
            Change::AlterStatistics { .. } => "alter_statistics",
            Change::CreateTsDictionary { .. } => "create_text_search_dictionary",
            Change::DropTsDictionary { .. } => "drop_text_search_dictionary",
            Change::AlterTsDictionary { .. } => "alter_text_search_dictionary",
            Change::CreateTsConfiguration { .. } => "create_text_search_configuration",
            Change::DropTsConfiguration { .. } => "drop_text_search_configuration",
            Change::AlterTsConfiguration { .. } => "alter_text_search_configuration",
            Change::CreatePublication { .. } => "create_publication",
            Change::DropPublication { .. } => "drop_publication",
            Change::AlterPublication { .. } => "alter_publication",
            Change::AlterColumnSettings { .. } => "alter_column_settings",
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
            Change::AddColumn { table, column, .. } | Change::DropColumn { table, column, .. } => {
                Subject::Part(table, &column.name)
            }
            Change::AlterColumn { table, to, .. } => Subject::Part(table, &to.name),
            Change::AddConstraint { table, name, .. }
            | Change::DropConstraint { table, name, .. }
            | Change::ValidateConstraint { table, name, .. }
            | Change::NotNull { table, name, .. }
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
                | CommentTarget::CompositeType(q)
                | CommentTarget::Statistics(q)
                | CommentTarget::TsDictionary(q)
                | CommentTarget::TsConfiguration(q) => Subject::Object(q),
                CommentTarget::Publication(p) => Subject::Database(p),
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
            | Change::ReplaceFunction { id, .. }
            | Change::CreateAggregate { id, .. }
            | Change::DropAggregate { id, .. }
            | Change::ReplaceAggregate { id, .. } => Subject::Routine(id),
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
            | Change::DropCompositeType { name, .. }
            | Change::CreateRangeType { name, .. }
            | Change::DropRangeType { name, .. }
            | Change::CreateCollation { name, .. }
            | Change::DropCollation { name, .. } => Subject::Object(name),
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
            Change::SetRowSecurity { table, .. }
            | Change::SetReplicaIdentity { table, .. }
            | Change::SetInherit { table, .. } => Subject::Object(table),
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
            | Change::DropPartitionedIndex { table, name, .. } => Subject::Index(table, name),
            Change::NameInheritedIndex {
                partition, name, ..
            } => Subject::Index(partition, name),
            // Statistics are named within their table's schema, like indexes.
            Change::CreateStatistics { table, name, .. }
            | Change::DropStatistics { table, name, .. }
            | Change::AlterStatistics { table, name, .. } => Subject::Index(table, name),
            Change::CreateTsDictionary { name, .. }
            | Change::DropTsDictionary { name, .. }
            | Change::AlterTsDictionary { name, .. }
            | Change::CreateTsConfiguration { name, .. }
            | Change::DropTsConfiguration { name, .. }
            | Change::AlterTsConfiguration { name, .. } => Subject::Object(name),
            Change::CreatePublication { name, .. }
            | Change::DropPublication { name, .. }
            | Change::AlterPublication { name, .. } => Subject::Database(name),
            Change::AlterColumnSettings { table, column, .. } => Subject::Part(table, column),
        }
    }

    /// The top-level object the change belongs to (a column's or an index's table); `None`
    /// for a data hook, which belongs to no object.
    pub fn top(&self) -> Option<Top> {
        Some(match self.subject() {
            Subject::Schema(s) => Top::Schema(s.to_string()),
            Subject::Extension(e) => Top::Extension(e.to_string()),
            Subject::Database(p) => Top::Publication(p.to_string()),
            Subject::Object(q) | Subject::Part(q, _) | Subject::Index(q, _) => {
                Top::Named(q.clone())
            }
            Subject::Named(schema, name) => Top::Named(QualName::new(schema, name)),
            Subject::Routine(id) => Top::Routine(id.clone()),
            Subject::DefaultPrivileges(key) => Top::DefaultPrivileges(key.clone()),
            Subject::Hook(_) => return None,
        })
    }

    /// The object a change touches, as shown to people: `public.events`, `public.events.title`.
    pub fn object(&self) -> String {
        match self.subject() {
            Subject::Schema(s) | Subject::Extension(s) | Subject::Database(s) => s.to_string(),
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
            // Nothing moves along with these.
            Change::CreateSchema { .. }
            | Change::DropSchema { .. }
            | Change::CreateExtension { .. }
            | Change::DropExtension { .. }
            | Change::AlterExtension { .. }
            | Change::CreateEnum { .. }
            | Change::DropEnum { .. }
            | Change::AddEnumValues { .. }
            | Change::CreateSequence { .. }
            | Change::DropSequence { .. }
            | Change::AlterSequence { .. }
            | Change::SetSequenceOwner { .. }
            | Change::AddColumn { .. }
            | Change::AlterColumn { .. }
            | Change::AddConstraint { .. }
            | Change::DropConstraint { .. }
            | Change::ValidateConstraint { .. }
            | Change::NotNull { .. }
            | Change::AlterConstraint { .. }
            | Change::CreateIndex { .. }
            | Change::DropIndex { .. }
            | Change::Backfill { .. }
            | Change::CreateView { .. }
            | Change::DropView { .. }
            | Change::ReplaceView { .. }
            | Change::SetMaterializedViewOptions { .. }
            | Change::SetOptions { .. }
            | Change::SetPersistence { .. }
            | Change::SetComment { .. }
            | Change::CreateFunction { .. }
            | Change::DropFunction { .. }
            | Change::ReplaceFunction { .. }
            | Change::CreateAggregate { .. }
            | Change::DropAggregate { .. }
            | Change::ReplaceAggregate { .. }
            | Change::CreateTrigger { .. }
            | Change::DropTrigger { .. }
            | Change::ReplaceTrigger { .. }
            | Change::SetTriggerEnabled { .. }
            | Change::RunHook { .. }
            | Change::UndoHook { .. }
            | Change::Restore { .. }
            | Change::CreateDomain { .. }
            | Change::DropDomain { .. }
            | Change::SetDomainDefault { .. }
            | Change::SetDomainNotNull { .. }
            | Change::AddDomainConstraint { .. }
            | Change::DropDomainConstraint { .. }
            | Change::ValidateDomainConstraint { .. }
            | Change::CreateCompositeType { .. }
            | Change::DropCompositeType { .. }
            | Change::CreateRangeType { .. }
            | Change::DropRangeType { .. }
            | Change::CreateCollation { .. }
            | Change::DropCollation { .. }
            | Change::AddAttribute { .. }
            | Change::DropAttribute { .. }
            | Change::AlterAttributeType { .. }
            | Change::CreatePolicy { .. }
            | Change::DropPolicy { .. }
            | Change::AlterPolicy { .. }
            | Change::SetRowSecurity { .. }
            | Change::SetReplicaIdentity { .. }
            | Change::SetInherit { .. }
            | Change::SetGrants { .. }
            | Change::SetOwner { .. }
            | Change::SetDefaultPrivileges { .. }
            | Change::AttachPartition { .. }
            | Change::DetachPartition { .. }
            | Change::CreateIndexOnly { .. }
            | Change::AttachIndex { .. }
            | Change::NameInheritedIndex { .. }
            | Change::DropPartitionedIndex { .. }
            | Change::CreateStatistics { .. }
            | Change::DropStatistics { .. }
            | Change::AlterStatistics { .. }
            | Change::CreateTsDictionary { .. }
            | Change::DropTsDictionary { .. }
            | Change::AlterTsDictionary { .. }
            | Change::CreateTsConfiguration { .. }
            | Change::DropTsConfiguration { .. }
            | Change::AlterTsConfiguration { .. }
            | Change::CreatePublication { .. }
            | Change::DropPublication { .. }
            | Change::AlterPublication { .. }
            | Change::AlterColumnSettings { .. } => {}
        }
        out.sort();
        out.dedup();
        out
    }

    /// The schema of the object the change touches (`None` for extensions).
    pub fn schema(&self) -> Option<&str> {
        match self.subject() {
            Subject::Schema(s) => Some(s),
            Subject::Extension(_) | Subject::Database(_) | Subject::Hook(_) => None,
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
            Change::AddColumn { .. }
            | Change::DropColumn { .. }
            | Change::AlterColumn { .. }
            | Change::AlterColumnSettings { .. } => "column",
            Change::CreateStatistics { .. }
            | Change::DropStatistics { .. }
            | Change::AlterStatistics { .. } => "statistics",
            Change::CreateTsDictionary { .. }
            | Change::DropTsDictionary { .. }
            | Change::AlterTsDictionary { .. } => "text search dictionary",
            Change::CreateTsConfiguration { .. }
            | Change::DropTsConfiguration { .. }
            | Change::AlterTsConfiguration { .. } => "text search configuration",
            Change::CreatePublication { .. }
            | Change::DropPublication { .. }
            | Change::AlterPublication { .. } => "publication",
            Change::AddConstraint { .. }
            | Change::DropConstraint { .. }
            | Change::ValidateConstraint { .. }
            | Change::NotNull { .. }
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
            Change::CreateAggregate { .. }
            | Change::DropAggregate { .. }
            | Change::ReplaceAggregate { .. } => "aggregate",
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
            Change::CreateRangeType { .. } | Change::DropRangeType { .. } => "range type",
            Change::CreateCollation { .. } | Change::DropCollation { .. } => "collation",
            Change::AddAttribute { .. }
            | Change::DropAttribute { .. }
            | Change::AlterAttributeType { .. } => "attribute",
            Change::CreatePolicy { .. }
            | Change::DropPolicy { .. }
            | Change::AlterPolicy { .. } => "policy",
            Change::SetRowSecurity { .. } => "row security",
            Change::SetReplicaIdentity { .. } => "replica identity",
            Change::SetInherit { .. } => "inheritance",
            Change::SetGrants { .. } | Change::SetDefaultPrivileges { .. } => "privilege",
            Change::SetOwner { .. } => "owner",
        }
    }

    /// Whether the step may run inside a transaction block. `ALTER TYPE … ADD VALUE` may not be
    /// used by the transaction that adds it, so it runs (and commits) on its own.
    pub fn transactional(&self) -> bool {
        match self {
            Change::AddEnumValues { .. } | Change::Backfill { .. } | Change::RunHook { .. } => {
                false
            }
            Change::CreateIndex { concurrently, .. }
            | Change::DropIndex { concurrently, .. }
            | Change::DetachPartition { concurrently, .. } => !concurrently,
            Change::CreateSchema { .. }
            | Change::DropSchema { .. }
            | Change::CreateExtension { .. }
            | Change::DropExtension { .. }
            | Change::AlterExtension { .. }
            | Change::CreateEnum { .. }
            | Change::DropEnum { .. }
            | Change::RebuildEnum { .. }
            | Change::CreateSequence { .. }
            | Change::DropSequence { .. }
            | Change::AlterSequence { .. }
            | Change::SetSequenceOwner { .. }
            | Change::CreateTable { .. }
            | Change::DropTable { .. }
            | Change::AddColumn { .. }
            | Change::DropColumn { .. }
            | Change::AlterColumn { .. }
            | Change::AddConstraint { .. }
            | Change::DropConstraint { .. }
            | Change::ValidateConstraint { .. }
            | Change::NotNull { .. }
            | Change::AlterConstraint { .. }
            | Change::Rename { .. }
            | Change::RenameIndex { .. }
            | Change::AddConstraintUsingIndex { .. }
            | Change::CreateView { .. }
            | Change::DropView { .. }
            | Change::ReplaceView { .. }
            | Change::CreateMaterializedView { .. }
            | Change::DropMaterializedView { .. }
            | Change::SetMaterializedViewOptions { .. }
            | Change::SetOptions { .. }
            | Change::SetPersistence { .. }
            | Change::SetComment { .. }
            | Change::CreateFunction { .. }
            | Change::DropFunction { .. }
            | Change::ReplaceFunction { .. }
            | Change::CreateAggregate { .. }
            | Change::DropAggregate { .. }
            | Change::ReplaceAggregate { .. }
            | Change::CreateTrigger { .. }
            | Change::DropTrigger { .. }
            | Change::ReplaceTrigger { .. }
            | Change::SetTriggerEnabled { .. }
            | Change::UndoHook { .. }
            | Change::Restore { .. }
            | Change::CreateDomain { .. }
            | Change::DropDomain { .. }
            | Change::RebuildDomain { .. }
            | Change::SetDomainDefault { .. }
            | Change::SetDomainNotNull { .. }
            | Change::AddDomainConstraint { .. }
            | Change::DropDomainConstraint { .. }
            | Change::ValidateDomainConstraint { .. }
            | Change::CreateCompositeType { .. }
            | Change::DropCompositeType { .. }
            | Change::CreateRangeType { .. }
            | Change::DropRangeType { .. }
            | Change::CreateCollation { .. }
            | Change::DropCollation { .. }
            | Change::AddAttribute { .. }
            | Change::DropAttribute { .. }
            | Change::AlterAttributeType { .. }
            | Change::CreatePolicy { .. }
            | Change::DropPolicy { .. }
            | Change::AlterPolicy { .. }
            | Change::SetRowSecurity { .. }
            | Change::SetReplicaIdentity { .. }
            | Change::SetInherit { .. }
            | Change::SetGrants { .. }
            | Change::SetOwner { .. }
            | Change::SetDefaultPrivileges { .. }
            | Change::AttachPartition { .. }
            | Change::CreateIndexOnly { .. }
            | Change::AttachIndex { .. }
            | Change::NameInheritedIndex { .. }
            | Change::DropPartitionedIndex { .. }
            | Change::CreateStatistics { .. }
            | Change::DropStatistics { .. }
            | Change::AlterStatistics { .. }
            | Change::CreateTsDictionary { .. }
            | Change::DropTsDictionary { .. }
            | Change::AlterTsDictionary { .. }
            | Change::CreateTsConfiguration { .. }
            | Change::DropTsConfiguration { .. }
            | Change::AlterTsConfiguration { .. }
            | Change::CreatePublication { .. }
            | Change::DropPublication { .. }
            | Change::AlterPublication { .. }
            | Change::AlterColumnSettings { .. } => true,
        }
    }
}
