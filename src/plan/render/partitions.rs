//! Partitions: attaching and detaching them, and the indexes of partitioned tables.

use super::comments::comment_if;
use super::fragments::dollar_quoted;
use super::indexes::create_index_on;
use crate::model::quote::{literal, qualified};
use crate::model::*;
use crate::plan::change::{Change, CommentTarget};

/// The statements of partition changes (`render::statements` sends only these here).
pub(super) fn statements(change: &Change) -> Vec<String> {
    match change {
        Change::AttachPartition { table, partition } => attach(table, partition),
        Change::DetachPartition {
            table,
            partition,
            concurrently,
            ..
        } => detach_partition(table, partition, *concurrently),
        Change::CreateIndexOnly { table, name, index } => create_index_only(table, name, index),
        Change::AttachIndex {
            table,
            name,
            parent_table,
            parent_index,
            ..
        } => attach_index(table, name, parent_table, parent_index),
        Change::DropPartitionedIndex {
            table,
            name,
            cascade,
        } => drop_partitioned_index(table, name, *cascade),
        Change::NameInheritedIndex {
            partition,
            parent_index,
            name,
            twin,
            ..
        } => name_inherited_index(partition, parent_index, name, *twin),
        other => unreachable!("{} is not rendered here", other.kind()),
    }
}

/// A table becomes a partition of `partition.parent`.
pub(super) fn attach(table: &QualName, partition: &PartitionOf) -> Vec<String> {
    vec![format!(
        "ALTER TABLE {} ATTACH PARTITION {} {}",
        qualified(&partition.parent),
        qualified(table),
        partition.bounds
    )]
}

pub(super) fn detach_partition(
    table: &QualName,
    partition: &PartitionOf,
    concurrently: bool,
) -> Vec<String> {
    vec![format!(
        "ALTER TABLE {} DETACH PARTITION {}{}",
        qualified(&partition.parent),
        qualified(table),
        if concurrently { " CONCURRENTLY" } else { "" }
    )]
}

pub(super) fn create_index_only(table: &QualName, name: &str, index: &Index) -> Vec<String> {
    let mut out = vec![create_index_on(table, name, index, false, true)];
    comment_if(
        &mut out,
        &CommentTarget::Index(QualName::new(table.schema.clone(), name.to_string())),
        &index.comment,
    );
    out
}

pub(super) fn attach_index(
    table: &QualName,
    name: &str,
    parent_table: &QualName,
    parent_index: &str,
) -> Vec<String> {
    vec![format!(
        "ALTER INDEX {} ATTACH PARTITION {}",
        qualified(&QualName::new(
            parent_table.schema.clone(),
            parent_index.to_string()
        )),
        qualified(&QualName::new(table.schema.clone(), name.to_string()))
    )]
}

/// `DROP INDEX IF EXISTS` of a partitioned index, with every index attached to it.
fn drop_partitioned_index(table: &QualName, name: &str, cascade: bool) -> Vec<String> {
    vec![format!(
        "DROP INDEX IF EXISTS {}{}",
        qualified(&QualName::new(table.schema.clone(), name.to_string())),
        if cascade { " CASCADE" } else { "" }
    )]
}

pub(super) fn name_inherited_index(
    partition: &QualName,
    parent_index: &QualName,
    name: &str,
    twin: bool,
) -> Vec<String> {
    vec![name_inherited_index_block(
        partition,
        parent_index,
        name,
        twin,
    )]
}

/// The index of `partition` attached to `parent_index` is found through `pg_inherits` (its
/// name was PostgreSQL's choice) and renamed unless it has the name already. Another index of
/// the schema that holds the name (one PostgreSQL named so, which its own step names later) is
/// renamed aside first; with `twin`, it takes the name the index had instead (the two trade
/// names).
fn name_inherited_index_block(
    partition: &QualName,
    parent_index: &QualName,
    name: &str,
    twin: bool,
) -> String {
    let name = literal(name);
    let (declare_old, keep_old, holder_takes) = if twin {
        (
            "    old_name name;\n",
            "old_name := (SELECT relname FROM pg_catalog.pg_class WHERE oid = child);\n    ",
            "\n    IF holder IS NOT NULL THEN\n        \
             EXECUTE pg_catalog.format('ALTER INDEX %s RENAME TO %I', holder, old_name);\n    \
             END IF;",
        )
    } else {
        ("", "", "")
    };
    // The names are written inside the block: its quote's tag is one they do not hold.
    let block = format!(
        "\nDECLARE\n    child regclass;\n    holder regclass;\n{declare_old}BEGIN\n    \
         SELECT i.inhrelid::regclass INTO child\n    \
         FROM pg_catalog.pg_inherits i JOIN pg_catalog.pg_index x ON x.indexrelid = i.inhrelid\n    \
         WHERE i.inhparent = {parent}::regclass AND x.indrelid = {partition}::regclass;\n    \
         IF child IS NULL OR (SELECT relname FROM pg_catalog.pg_class WHERE oid = child) = {name} THEN\n        \
         RETURN;\n    END IF;\n    \
         SELECT c.oid::regclass INTO holder FROM pg_catalog.pg_class c\n    \
         WHERE c.relname = {name}\n      \
         AND c.relnamespace = (SELECT relnamespace FROM pg_catalog.pg_class WHERE oid = child);\n    \
         IF holder IS NOT NULL THEN\n        \
         EXECUTE pg_catalog.format('ALTER INDEX %s RENAME TO %I', holder, 'schemaplan_aside_' || holder::oid);\n    \
         END IF;\n    \
         {keep_old}EXECUTE pg_catalog.format('ALTER INDEX %s RENAME TO %I', child, {name});{holder_takes}\nEND\n",
        parent = literal(&qualified(parent_index)),
        partition = literal(&qualified(partition)),
    );
    format!("DO {}", dollar_quoted("rename", &block))
}
