//! Relations: tables (with partitions linked to their parents), views and materialized views,
//! all from one query.

use std::collections::BTreeMap;

use super::builder::{Builder, PG_CLASS, not_extension_member};
use super::rows::{opt_comment, parse_options};
use super::session::{IntrospectError, Session};
use crate::model::*;

impl Builder {
    /// Tables (unless temporary), views and materialized views, from one query; partitions are
    /// linked to their parents once all are read. Other relations (foreign tables, partitions of
    /// unmanaged tables) are reported as unsupported.
    pub(super) fn relations(
        &mut self,
        s: &mut Session<'_>,
        schemas: &[String],
        unsupported: &mut Vec<String>,
    ) -> Result<(), IntrospectError> {
        let sql = format!(
            "SELECT c.oid, n.nspname::text, c.relname::text, c.relkind::text, c.reloptions::text[],
                    d.description,
                    CASE WHEN c.relkind IN ('v', 'm') THEN pg_catalog.pg_get_viewdef(c.oid) END,
                    (SELECT r.oid FROM pg_catalog.pg_rewrite r
                     WHERE r.ev_class = c.oid AND r.rulename = '_RETURN'),
                    c.relispartition, c.relpersistence::text,
                    CASE WHEN c.relkind = 'p' THEN pg_catalog.pg_get_partkeydef(c.oid) END,
                    (SELECT inh.inhparent FROM pg_catalog.pg_inherits inh
                     WHERE c.relispartition AND inh.inhrelid = c.oid),
                    CASE WHEN c.relispartition THEN pg_catalog.pg_get_expr(c.relpartbound, c.oid) END,
                    CASE WHEN c.relispartition
                         THEN pg_catalog.pg_get_partition_constraintdef(c.oid) END,
                    c.relispopulated,
                    (SELECT tc.reloptions::text[] FROM pg_catalog.pg_class tc
                     WHERE tc.oid = c.reltoastrelid),
                    c.relreplident::text,
                    (SELECT ic.relname::text FROM pg_catalog.pg_index i
                     JOIN pg_catalog.pg_class ic ON ic.oid = i.indexrelid
                     WHERE i.indrelid = c.oid AND i.indisreplident),
                    CASE WHEN NOT c.relispartition
                         THEN ARRAY(SELECT inh.inhparent FROM pg_catalog.pg_inherits inh
                                    WHERE inh.inhrelid = c.oid ORDER BY inh.inhseqno) END
             FROM pg_catalog.pg_class c
             JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
             LEFT JOIN pg_catalog.pg_description d
               ON d.objoid = c.oid AND d.classoid = {PG_CLASS} AND d.objsubid = 0
             WHERE c.relkind IN ('r', 'v', 'p', 'm', 'f') AND n.nspname = ANY($1) AND {}",
            not_extension_member(PG_CLASS, "c.oid")
        );
        let mut partitions = Vec::new();
        let mut heirs = Vec::new();
        for row in s.rows("relations", &sql, &[&schemas])? {
            let row = row?;
            let oid: u32 = row.get(0);
            let name = QualName::new(row.get::<_, String>(1), row.get::<_, String>(2));
            let kind: String = row.get(3);
            let partition: bool = row.get(8);
            let persistence: String = row.get(9);
            let mut options: StorageOptions = parse_options(row.get(4));
            // The TOAST table's parameters are the table's `toast.*` ones.
            options.extend(
                parse_options::<StorageOptions>(row.get(15))
                    .into_iter()
                    .map(|(k, v)| (format!("toast.{k}"), v)),
            );
            let comment = opt_comment(&row, 5);
            match kind.as_str() {
                "r" | "p" if persistence != "t" => {
                    let parents: Vec<u32> = row.get::<_, Option<Vec<u32>>>(18).unwrap_or_default();
                    if !parents.is_empty() {
                        heirs.push((name.clone(), parents));
                    }
                    if partition {
                        partitions.push((
                            name.clone(),
                            row.get::<_, Option<u32>>(11),
                            row.get::<_, Option<String>>(12).unwrap_or_default(),
                            row.get::<_, Option<String>>(13),
                        ));
                    }
                    self.tables.insert(oid, name.clone());
                    self.catalog.tables.insert(
                        name,
                        Table {
                            options,
                            unlogged: persistence == "u",
                            comment,
                            partition_by: row.get(10),
                            replica_identity: replica_identity(
                                &row.get::<_, String>(16),
                                row.get(17),
                            ),
                            ..Table::default()
                        },
                    );
                }
                "v" => self.add_view(oid, name, &row, options, comment),
                // What a materialized view reads is recorded for its `_RETURN` rule, as for a
                // view.
                "m" => self.add_materialized_view(oid, name, &row, options, comment),
                _ => {
                    let what = match (kind.as_str(), partition, persistence.as_str()) {
                        (_, true, _) => "partition",
                        ("f", _, _) => "foreign table",
                        _ => "relation",
                    };
                    unsupported.push(format!("{what} {name}"));
                }
            }
        }
        self.link_partitions(partitions, unsupported);
        self.link_parents(heirs, unsupported);
        Ok(())
    }

    /// Gives each table that inherits its parents (read in the same query, so resolved
    /// afterwards). One with a parent outside the managed schemas is read as a table of its own
    /// (all its columns its own) and reported.
    fn link_parents(&mut self, heirs: Vec<(QualName, Vec<u32>)>, unsupported: &mut Vec<String>) {
        for (name, oids) in heirs {
            let parents: Option<Vec<QualName>> =
                oids.iter().map(|o| self.tables.get(o).cloned()).collect();
            match parents {
                Some(parents) => {
                    if let Some(t) = self.catalog.tables.get_mut(&name) {
                        t.inherits = parents;
                    }
                }
                None => unsupported.push(format!(
                    "table inheritance {name} inherits a table outside the managed schemas"
                )),
            }
        }
    }

    /// Gives each partition its parent (read in the same query, so resolved afterwards). A
    /// partition whose parent is outside the managed schemas is left alone.
    fn link_partitions(
        &mut self,
        partitions: Vec<(QualName, Option<u32>, String, Option<String>)>,
        unsupported: &mut Vec<String>,
    ) {
        for (name, parent_oid, bounds, constraint) in partitions {
            let Some(parent) = parent_oid.and_then(|o| self.tables.get(&o)).cloned() else {
                self.tables.retain(|_, q| *q != name);
                self.catalog.tables.remove(&name);
                unsupported.push(format!(
                    "partition {name} of a table outside the managed schemas"
                ));
                continue;
            };
            // A hash partition's constraint names its parent by oid, which differs between
            // databases: it names it by `regclass` instead, which proves the same.
            let constraint =
                constraint.map(|c| crate::sqltext::reprint::hash_parent_by_name(&c, &parent));
            if let Some(t) = self.catalog.tables.get_mut(&name) {
                t.partition_of = Some(PartitionOf {
                    parent,
                    bounds,
                    constraint,
                    inherited_constraints: BTreeMap::new(),
                    inherited_indexes: BTreeMap::new(),
                    index_names: BTreeMap::new(),
                    not_null: Default::default(),
                });
            }
        }
    }
}

/// `relreplident` and the index marked `indisreplident`. An index identity whose index was
/// dropped acts as NOTHING but is printed by nobody (pg_dump included): it reads as DEFAULT, so
/// that it is set again.
fn replica_identity(code: &str, index: Option<String>) -> ReplicaIdentity {
    match (code, index) {
        ("f", _) => ReplicaIdentity::Full,
        ("n", _) => ReplicaIdentity::Nothing,
        ("i", Some(index)) => ReplicaIdentity::Index(index),
        _ => ReplicaIdentity::Default,
    }
}
