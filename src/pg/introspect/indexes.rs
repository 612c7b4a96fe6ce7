//! Indexes of tables and materialized views, with their key columns.

use std::collections::{BTreeMap, HashMap};

use super::builder::{Builder, PG_CLASS};
use super::rows::{opt_comment, parse_options, printed};
use super::session::{IntrospectError, Session};
use crate::model::*;

/// An index as read, before it is placed on its table, materialized view or partition.
struct Partial {
    table: u32,
    name: String,
    nkey: usize,
    backs_constraint: bool,
    index: Index,
    /// The partitioned index it is attached to: then it is its parent's.
    parent_index: Option<u32>,
}

impl Builder {
    /// Indexes of managed tables and materialized views, in two queries: one row per index,
    /// then one per index column.
    pub(super) fn indexes(
        &mut self,
        s: &mut Session<'_>,
        schemas: &[String],
        server_version: i32,
    ) -> Result<(), IntrospectError> {
        let nulls_not_distinct = if server_version >= 150000 {
            "i.indnullsnotdistinct"
        } else {
            "false"
        };
        let sql = format!(
            "SELECT i.indexrelid, i.indrelid, ic.relname::text, i.indisunique, am.amname::text,
                    i.indnkeyatts::int, pg_catalog.pg_get_expr(i.indpred, i.indrelid),
                    {nulls_not_distinct}, ic.reloptions::text[], d.description,
                    EXISTS (SELECT 1 FROM pg_catalog.pg_constraint co
                            WHERE co.conindid = i.indexrelid AND co.conrelid = i.indrelid
                              AND co.contype IN ('p', 'u', 'x')),
                    i.indisvalid,
                    (SELECT inh.inhparent FROM pg_catalog.pg_inherits inh
                     WHERE inh.inhrelid = i.indexrelid)
             FROM pg_catalog.pg_index i
             JOIN pg_catalog.pg_class ic ON ic.oid = i.indexrelid
             JOIN pg_catalog.pg_class c ON c.oid = i.indrelid
             JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
             JOIN pg_catalog.pg_am am ON am.oid = ic.relam
             LEFT JOIN pg_catalog.pg_description d
               ON d.objoid = ic.oid AND d.classoid = {PG_CLASS} AND d.objsubid = 0
             WHERE c.relkind IN ('r', 'm', 'p') AND n.nspname = ANY($1)"
        );
        let mut partial: BTreeMap<u32, Partial> = BTreeMap::new();
        for row in s.rows("indexes", &sql, &[&schemas])? {
            let row = row?;
            let nkey = row.get::<_, i32>(5) as usize;
            partial.insert(
                row.get(0),
                Partial {
                    table: row.get(1),
                    name: row.get(2),
                    nkey,
                    backs_constraint: row.get(10),
                    index: Index {
                        unique: row.get(3),
                        method: row.get(4),
                        // Room for as many keys as it has, not the four a first push makes.
                        keys: Vec::with_capacity(nkey),
                        include: Vec::new(),
                        predicate: row.get::<_, Option<String>>(6).map(printed),
                        nulls_not_distinct: row.get(7),
                        options: parse_options(row.get(8)),
                        comment: opt_comment(&row, 9),
                        valid: row.get(11),
                    },
                    parent_index: row.get(12),
                },
            );
        }
        index_columns(s, schemas, &mut partial)?;
        self.place_indexes(partial);
        Ok(())
    }

    /// Puts each index where it belongs: on its materialized view or table, aside for the
    /// constraint it backs, or (attached to its parent's partitioned index) on the partition
    /// as the parent's.
    fn place_indexes(&mut self, partial: BTreeMap<u32, Partial>) {
        let index_names: HashMap<u32, String> = partial
            .iter()
            .map(|(oid, p)| (*oid, p.name.clone()))
            .collect();
        for (oid, p) in partial {
            if let Some(view) = self.materialized_views.get(&p.table) {
                self.indexes
                    .insert(oid, QualName::new(view.schema.clone(), p.name.clone()));
                if let Some(v) = self.catalog.materialized_views.get_mut(view) {
                    v.indexes.insert(p.name, p.index);
                }
                continue;
            }
            let Some(table_name) = self.tables.get(&p.table).cloned() else {
                continue;
            };
            if let Some(parent_index) = p.parent_index.and_then(|o| index_names.get(&o)) {
                // Attached to the parent's index: the parent's, kept aside for attach/detach.
                if p.backs_constraint {
                    self.constraint_indexes.insert(oid, p.index.clone());
                }
                self.attached_indexes.insert(oid);
                let partition = self
                    .catalog
                    .tables
                    .get_mut(&table_name)
                    .and_then(|t| t.partition_of.as_mut());
                if let Some(partition) = partition {
                    // A key's index is named by its key: the pin goes again when the key turns
                    // out to be the parent's (`constraints`); it stays when the partition's key
                    // of its own backs the parent's plain index.
                    partition
                        .index_names
                        .insert(parent_index.clone(), p.name.clone());
                    partition.inherited_indexes.insert(
                        p.name,
                        InheritedIndex {
                            parent_index: parent_index.clone(),
                            constraint: None,
                            index: p.index,
                        },
                    );
                }
                continue;
            }
            let qual = QualName::new(table_name.schema.clone(), p.name.clone());
            self.indexes.insert(oid, qual);
            if p.backs_constraint {
                self.constraint_indexes.insert(oid, p.index);
            } else if let Some(t) = self.catalog.tables.get_mut(&table_name) {
                t.indexes.insert(p.name, p.index);
            }
        }
    }
}

/// The key and include columns of each index in `partial`.
fn index_columns(
    s: &mut Session<'_>,
    schemas: &[String],
    partial: &mut BTreeMap<u32, Partial>,
) -> Result<(), IntrospectError> {
    // One row per index column. The operator class and collation are reported only when
    // they differ from what PostgreSQL would choose by itself, as pg_get_indexdef does. For
    // an expression, the collation it would get is not visible in the catalog: any collation
    // but the database default (oid 100) is reported, which round-trips either way.
    let sql = "
            SELECT i.indexrelid, k.n, ta.attname::text,
                   CASE WHEN i.indkey[k.n - 1] = 0
                        THEN pg_catalog.pg_get_indexdef(i.indexrelid, k.n, false) END,
                   opc_n.nspname::text, opc.opcname::text,
                   NOT (opc.opcdefault AND (opc.opcintype = kt.base OR NOT EXISTS (
                        SELECT 1 FROM pg_catalog.pg_opclass o2
                        WHERE o2.opcmethod = opc.opcmethod AND o2.opcdefault
                          AND o2.opcintype = kt.base))) AS explicit_opclass,
                   coll_n.nspname::text, coll.collname::text,
                   (coll.oid IS NOT NULL AND CASE WHEN i.indkey[k.n - 1] <> 0
                        THEN coll.oid <> ta.attcollation
                        ELSE coll.oid <> 100 END) AS explicit_collation,
                   i.indoption[k.n - 1]::int
            FROM pg_catalog.pg_index i
            JOIN pg_catalog.pg_class c ON c.oid = i.indrelid
            JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
            CROSS JOIN LATERAL pg_catalog.generate_series(1, i.indnatts::int) AS k(n)
            LEFT JOIN pg_catalog.pg_attribute ta
              ON ta.attrelid = i.indrelid AND ta.attnum = i.indkey[k.n - 1] AND i.indkey[k.n - 1] <> 0
            LEFT JOIN pg_catalog.pg_attribute ia ON ia.attrelid = i.indexrelid AND ia.attnum = k.n
            LEFT JOIN LATERAL (
                SELECT COALESCE(NULLIF(t.typbasetype, 0), t.oid) AS base, t.typcollation
                FROM pg_catalog.pg_type t
                WHERE t.oid = CASE WHEN i.indkey[k.n - 1] <> 0 THEN ta.atttypid ELSE ia.atttypid END
            ) kt ON true
            LEFT JOIN pg_catalog.pg_opclass opc
              ON k.n <= i.indnkeyatts AND opc.oid = i.indclass[k.n - 1]
            LEFT JOIN pg_catalog.pg_namespace opc_n ON opc_n.oid = opc.opcnamespace
            LEFT JOIN pg_catalog.pg_collation coll
              ON k.n <= i.indnkeyatts AND coll.oid = NULLIF(i.indcollation[k.n - 1], 0)
            LEFT JOIN pg_catalog.pg_namespace coll_n ON coll_n.oid = coll.collnamespace
            WHERE c.relkind IN ('r', 'm', 'p') AND n.nspname = ANY($1)
            ORDER BY i.indexrelid, k.n";
    for row in s.rows("index columns", sql, &[&schemas])? {
        let row = row?;
        let Some(p) = partial.get_mut(&row.get::<_, u32>(0)) else {
            continue;
        };
        let n = row.get::<_, i32>(1) as usize;
        let column: Option<String> = row.get(2);
        if n > p.nkey {
            p.index.include.extend(column);
            continue;
        }
        let expr = match (column, row.get::<_, Option<String>>(3)) {
            (Some(c), _) => IndexExpr::Column(c),
            (None, Some(e)) => IndexExpr::Expression(printed(e)),
            (None, None) => IndexExpr::Expression(printed(String::new())),
        };
        let opclass = match (
            row.get::<_, Option<bool>>(6),
            row.get::<_, Option<String>>(5),
        ) {
            (Some(true), Some(name)) => Some(ObjRef {
                schema: row.get(4),
                name,
            }),
            _ => None,
        };
        let collation = match (
            row.get::<_, Option<bool>>(9),
            row.get::<_, Option<String>>(8),
        ) {
            (Some(true), Some(name)) => Some(ObjRef {
                schema: row.get(7),
                name,
            }),
            _ => None,
        };
        let option = row.get::<_, Option<i32>>(10).unwrap_or(0);
        p.index.keys.push(IndexKey {
            expr,
            opclass,
            collation,
            descending: option & 1 != 0,
            nulls_first: option & 2 != 0,
        });
    }
    Ok(())
}
