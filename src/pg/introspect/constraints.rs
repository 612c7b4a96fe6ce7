//! Table constraints: primary keys, unique, check, foreign key and exclusion constraints.

use postgres::Row;

use super::builder::{Builder, PG_CONSTRAINT};
use super::rows::{opt_comment, printed};
use super::session::{IntrospectError, Session};
use crate::model::*;

impl Builder {
    /// Constraints of managed tables. Those a partition has from its parent are kept aside on
    /// the partition, as the parent's.
    pub(super) fn constraints(
        &mut self,
        s: &mut Session<'_>,
        schemas: &[String],
        server_version: i32,
    ) -> Result<(), IntrospectError> {
        let set_columns = if server_version >= 150000 {
            "ARRAY(SELECT a.attname::text
                   FROM pg_catalog.unnest(co.confdelsetcols) WITH ORDINALITY k(num, ord)
                   JOIN pg_catalog.pg_attribute a ON a.attrelid = co.conrelid AND a.attnum = k.num
                   ORDER BY k.ord)"
        } else {
            "NULL::text[]"
        };
        // Temporal keys and foreign keys (`WITHOUT OVERLAPS`, `PERIOD`) and `NOT ENFORCED`
        // constraints came with PostgreSQL 18.
        let period_enforced = if server_version >= 180000 {
            "co.conperiod, co.conenforced"
        } else {
            "false, true"
        };
        let sql = format!(
            "SELECT co.oid, co.conrelid, co.conname::text, co.contype::text, co.condeferrable,
                    co.condeferred, co.convalidated, co.connoinherit,
                    ARRAY(SELECT a.attname::text
                          FROM pg_catalog.unnest(co.conkey) WITH ORDINALITY k(num, ord)
                          JOIN pg_catalog.pg_attribute a ON a.attrelid = co.conrelid AND a.attnum = k.num
                          ORDER BY k.ord),
                    CASE WHEN co.contype = 'c' THEN pg_catalog.pg_get_expr(co.conbin, co.conrelid) END,
                    fn.nspname::text, fc.relname::text,
                    ARRAY(SELECT a.attname::text
                          FROM pg_catalog.unnest(co.confkey) WITH ORDINALITY k(num, ord)
                          JOIN pg_catalog.pg_attribute a ON a.attrelid = co.confrelid AND a.attnum = k.num
                          ORDER BY k.ord),
                    co.confupdtype::text, co.confdeltype::text, co.confmatchtype::text,
                    co.conindid, d.description, {set_columns},
                    ARRAY(SELECT CASE WHEN opn.nspname = 'pg_catalog' THEN op.oprname::text
                                 ELSE 'OPERATOR(' || pg_catalog.quote_ident(opn.nspname) || '.'
                                      || op.oprname::text || ')' END
                          FROM pg_catalog.unnest(co.conexclop) WITH ORDINALITY k(op, ord)
                          JOIN pg_catalog.pg_operator op ON op.oid = k.op
                          JOIN pg_catalog.pg_namespace opn ON opn.oid = op.oprnamespace
                          ORDER BY k.ord),
                    co.conparentid <> 0, NOT co.conislocal, {period_enforced},
                    c.relkind = 'p' AND co.contype IN ('p', 'u', 'x') AND EXISTS (
                        SELECT 1 FROM pg_catalog.pg_index i
                        WHERE i.indexrelid = co.conindid AND NOT i.indisvalid)
             FROM pg_catalog.pg_constraint co
             JOIN pg_catalog.pg_class c ON c.oid = co.conrelid
             JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
             LEFT JOIN pg_catalog.pg_class fc ON fc.oid = co.confrelid
             LEFT JOIN pg_catalog.pg_namespace fn ON fn.oid = fc.relnamespace
             LEFT JOIN pg_catalog.pg_description d
               ON d.objoid = co.oid AND d.classoid = {PG_CONSTRAINT} AND d.objsubid = 0
             WHERE co.contype IN ('p', 'u', 'c', 'f', 'x') AND c.relkind IN ('r', 'p')
               AND n.nspname = ANY($1)"
        );
        for row in s.rows("constraints", &sql, &[&schemas])? {
            let row = row?;
            let Some(table_name) = self.tables.get(&row.get::<_, u32>(1)).cloned() else {
                continue;
            };
            let name: String = row.get(2);
            let contype: String = row.get(3);
            let index_oid: u32 = row.get(16);
            // Cloned from the parent (keys, foreign keys) or inherited from it (checks): the
            // parent's, kept aside on the partition. A foreign key into a partitioned table
            // also has a clone per referenced partition, which is the key's own business.
            let cloned: bool = row.get(20);
            let is_partition = self
                .catalog
                .tables
                .get(&table_name)
                .is_some_and(|t| t.partition_of.is_some());
            if cloned && !is_partition {
                continue;
            }
            // A check a table that inherits has from a parent alone is the parent's.
            let heir = self
                .catalog
                .tables
                .get(&table_name)
                .is_some_and(|t| !t.inherits.is_empty());
            if heir && row.get::<_, bool>(21) {
                continue;
            }
            let inherited = is_partition && (cloned || row.get::<_, bool>(21));
            if matches!(contype.as_str(), "p" | "u" | "x") && !inherited {
                self.index_constraints
                    .insert(index_oid, (table_name.clone(), name.clone()));
            }
            let index = self.constraint_indexes.get(&index_oid);
            let enforced: bool = row.get(23);
            let constraint = Constraint {
                kind: constraint_kind(&row, &contype, index),
                deferrable: row.get(4),
                initially_deferred: row.get(5),
                // PostgreSQL records a constraint not enforced as not valid; the model calls
                // it valid, as there is nothing to validate (see `Constraint::validated`).
                validated: row.get::<_, bool>(6) || !enforced,
                enforced,
                // Added ONLY the partitioned table, not every partition's part attached.
                only: row.get(24),
                comment: opt_comment(&row, 17),
            };
            if inherited {
                let partition = self
                    .catalog
                    .tables
                    .get_mut(&table_name)
                    .and_then(|t| t.partition_of.as_mut());
                if let Some(partition) = partition {
                    if let Some(i) = partition.inherited_indexes.get_mut(&name) {
                        i.constraint = Some(name.clone());
                        partition.index_names.remove(&i.parent_index);
                    }
                    partition.inherited_constraints.insert(name, constraint);
                }
                continue;
            }
            self.constraints
                .insert(row.get(0), (table_name.clone(), name.clone()));
            if let Some(t) = self.catalog.tables.get_mut(&table_name) {
                t.constraints.insert(name, constraint);
            }
        }
        Ok(())
    }
}

/// What a constraint is, from its row of the constraints query and the index behind it (a key's
/// include columns and `NULLS NOT DISTINCT`, an exclusion constraint's elements).
fn constraint_kind(row: &Row, contype: &str, index: Option<&Index>) -> ConstraintKind {
    let columns: Vec<String> = row.get(8);
    let include = index.map(|i| i.include.clone()).unwrap_or_default();
    let nulls_not_distinct = index.is_some_and(|i| i.nulls_not_distinct);
    let on_delete_columns: Vec<String> = row.get::<_, Option<Vec<String>>>(18).unwrap_or_default();
    let period: bool = row.get(22);
    match contype {
        "p" => ConstraintKind::PrimaryKey {
            columns,
            include,
            without_overlaps: period,
        },
        "u" => ConstraintKind::Unique {
            columns,
            include,
            nulls_not_distinct,
            without_overlaps: period,
        },
        "x" => {
            // The elements are the index's keys (column or expression, operator class,
            // collation, order), each with its operator from `conexclop`.
            let operators: Vec<String> = row.get(19);
            let index = index.cloned().unwrap_or_else(|| Index {
                unique: false,
                method: String::new(),
                keys: Vec::new(),
                include: Vec::new(),
                predicate: None,
                nulls_not_distinct: false,
                options: StorageOptions::new(),
                comment: None,
                valid: true,
            });
            ConstraintKind::Exclude(Exclusion {
                method: index.method,
                elements: index
                    .keys
                    .into_iter()
                    .zip(operators)
                    .map(|(key, operator)| ExclusionElement { key, operator })
                    .collect(),
                include,
                predicate: index.predicate,
            })
        }
        "c" => ConstraintKind::Check {
            expression: printed(row.get::<_, String>(9)),
            no_inherit: row.get(7),
        },
        _ => ConstraintKind::ForeignKey(ForeignKey {
            columns,
            ref_table: QualName::new(
                row.get::<_, Option<String>>(10).unwrap_or_default(),
                row.get::<_, Option<String>>(11).unwrap_or_default(),
            ),
            ref_columns: row.get(12),
            on_update: fk_action(&row.get::<_, String>(13)),
            on_delete: fk_action(&row.get::<_, String>(14)),
            on_delete_columns,
            match_full: row.get::<_, String>(15) == "f",
            period,
        }),
    }
}

/// A foreign key action from its `pg_constraint` code.
fn fk_action(code: &str) -> FkAction {
    match code {
        "r" => FkAction::Restrict,
        "c" => FkAction::Cascade,
        "n" => FkAction::SetNull,
        "d" => FkAction::SetDefault,
        _ => FkAction::NoAction,
    }
}
