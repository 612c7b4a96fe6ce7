//! Columns of tables, views and materialized views.

use std::num::NonZeroU32;

use postgres::Row;

use super::builder::{Builder, PG_CLASS};
use super::rows::{opt_comment, parse_options, printed, sequence_options};
use super::session::{IntrospectError, Session};
use crate::model::*;

/// One relation's columns as the columns query returns them, before anything says what the
/// relation is: a helper session reads them (see `share`) while the builder is still at the
/// relations' indexes and constraints. Each is read as a table column; a view's keeps its name,
/// type, collation and comment.
pub(super) struct RelationColumns {
    pub(super) relation: u32,
    /// In attribute order; moved as they are into the table, so a table's columns are
    /// allocated once whoever read them.
    pub(super) columns: Vec<Column>,
    /// What else each column's row said, in the same order.
    pub(super) rows: Vec<ColumnRow>,
    /// PostgreSQL 18's NOT NULL constraints, by column (an index into `columns`).
    pub(super) not_null: Vec<(usize, NotNull)>,
}

/// What of a column's row is not the column itself: the oids later queries resolve through
/// it, and what a table's column needs its table to settle. 12 bytes: a helper holds one per
/// column of the schema until the builder takes them.
pub(super) struct ColumnRow {
    attnum: i16,
    /// `attislocal`: defined on the table itself, not only inherited.
    local: bool,
    /// Its default's or generation expression's `pg_attrdef` row.
    attrdef: Option<NonZeroU32>,
    /// Its identity sequence.
    sequence: Option<NonZeroU32>,
}

/// A column's NOT NULL constraint (PostgreSQL 18): its name, and whether it is validated and
/// NO INHERIT.
pub(super) struct NotNull {
    name: String,
    validated: bool,
    no_inherit: bool,
}

/// Reads the columns of the relations of `schemas` (tables, views and materialized views, in
/// attribute order), one relation at a time, into `each`. Needs nothing of the builder, so it
/// runs on any session of the snapshot.
pub(super) fn read_columns(
    s: &mut Session<'_>,
    schemas: &[String],
    server_version: i32,
    each: &mut dyn FnMut(RelationColumns),
) -> Result<(), IntrospectError> {
    let sql = columns_query(server_version);
    let mut current: Option<RelationColumns> = None;
    for row in s.rows("columns", &sql, &[&schemas])? {
        let row = row?;
        let relation: u32 = row.get(0);
        if current.as_ref().is_some_and(|c| c.relation != relation) {
            each(current.take().expect("checked above").shrunk());
        }
        let read = current.get_or_insert_with(|| RelationColumns {
            relation,
            columns: Vec::new(),
            rows: Vec::new(),
            not_null: Vec::new(),
        });
        if let Some(name) = row.get::<_, Option<String>>(27) {
            let (validated, no_inherit) = (row.get(28), row.get(29));
            (read.not_null).push((
                read.columns.len(),
                NotNull {
                    name,
                    validated,
                    no_inherit,
                },
            ));
        }
        read.columns
            .push(table_column(&row, row.get(2), row.get(3)));
        read.rows.push(ColumnRow {
            attnum: row.get(1),
            local: row.get(26),
            attrdef: row.get::<_, Option<u32>>(6).and_then(NonZeroU32::new),
            sequence: row.get::<_, Option<u32>>(30).and_then(NonZeroU32::new),
        });
    }
    if let Some(last) = current {
        each(last.shrunk());
    }
    Ok(())
}

impl RelationColumns {
    /// Pushed one by one, a table's 13 columns took room for 16 (a column is 450 bytes).
    fn shrunk(mut self) -> RelationColumns {
        self.columns.shrink_to_fit();
        self.rows.shrink_to_fit();
        self.not_null.shrink_to_fit();
        self
    }
}

/// The columns query: one row per column of a table, view or materialized view.
fn columns_query(server_version: i32) -> String {
    // `attcompression` exists from PostgreSQL 14 on; `attstattarget` is NULL for the
    // default from 17 on (-1 before).
    let compression = if server_version >= 140000 {
        "NULLIF(a.attcompression::text, '')"
    } else {
        "NULL::text"
    };
    format!(
        "SELECT a.attrelid, a.attnum, a.attname::text,
                pg_catalog.format_type(a.atttypid, a.atttypmod), a.attnotnull,
                pg_catalog.pg_get_expr(ad.adbin, ad.adrelid), ad.oid,
                a.attidentity::text, a.attgenerated::text,
                CASE WHEN a.attcollation <> t.typcollation THEN coll_n.nspname::text END,
                CASE WHEN a.attcollation <> t.typcollation THEN coll.collname::text END,
                d.description,
                pg_catalog.format_type(s.seqtypid, NULL), s.seqstart, s.seqincrement,
                s.seqmin, s.seqmax, s.seqcache, s.seqcycle,
                (SELECT sc.relname::text FROM pg_catalog.pg_class sc WHERE sc.oid = s.seqrelid),
                EXISTS (SELECT 1
                        FROM pg_catalog.regexp_matches(ad.adbin::text, ':(?:op)?funcid ([0-9]+)', 'g') m(f)
                        JOIN pg_catalog.pg_proc p ON p.oid = m.f[1]::oid
                        WHERE p.provolatile = 'v'),
                COALESCE(a.attstattarget::int, -1),
                CASE WHEN a.attstorage <> t.typstorage THEN a.attstorage::text END,
                {compression}, a.attoptions::text[], t.typstorage::text, a.attislocal,
                nn.conname::text, nn.convalidated, nn.connoinherit, idd.objid
         FROM pg_catalog.pg_attribute a
         JOIN pg_catalog.pg_class c ON c.oid = a.attrelid
         JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
         JOIN pg_catalog.pg_type t ON t.oid = a.atttypid
         LEFT JOIN pg_catalog.pg_attrdef ad ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum
         LEFT JOIN pg_catalog.pg_collation coll ON coll.oid = a.attcollation
         LEFT JOIN pg_catalog.pg_namespace coll_n ON coll_n.oid = coll.collnamespace
         LEFT JOIN pg_catalog.pg_description d
           ON d.objoid = a.attrelid AND d.classoid = {PG_CLASS} AND d.objsubid = a.attnum
         LEFT JOIN pg_catalog.pg_depend idd
           ON a.attidentity <> '' AND idd.classid = {PG_CLASS} AND idd.refclassid = {PG_CLASS}
          AND idd.refobjid = a.attrelid AND idd.refobjsubid = a.attnum AND idd.deptype = 'i'
         LEFT JOIN pg_catalog.pg_sequence s ON s.seqrelid = idd.objid
         -- From PostgreSQL 18 on, a NOT NULL is a constraint (`n`) with a name of its own.
         LEFT JOIN pg_catalog.pg_constraint nn
           ON nn.conrelid = a.attrelid AND nn.contype = 'n' AND nn.conkey[1] = a.attnum
         WHERE c.relkind IN ('r', 'v', 'm', 'p') AND a.attnum > 0 AND NOT a.attisdropped
           AND n.nspname = ANY($1)
         ORDER BY a.attrelid, a.attnum"
    )
}

impl Builder {
    /// Places one relation's columns (from [`read_columns`]) on its table, view or materialized
    /// view; those of any other relation (an extension's, a partition of an unmanaged table)
    /// are dropped.
    pub(super) fn add_columns(&mut self, read: RelationColumns) {
        let rel = read.relation;
        if self.views.contains_key(&rel) || self.materialized_views.contains_key(&rel) {
            for (column, row) in read.columns.into_iter().zip(read.rows) {
                self.add_view_column(rel, row.attnum, column);
            }
            return;
        }
        let Some(table_name) = self.tables.get(&rel).cloned() else {
            return;
        };
        let mut columns = read.columns;
        let inherits =
            (self.catalog.tables.get(&table_name)).is_some_and(|t| !t.inherits.is_empty());
        for (column, row) in columns.iter_mut().zip(&read.rows) {
            self.attributes
                .insert((rel, row.attnum), column.name.clone());
            if let Some(sequence) = row.sequence {
                (self.identity_sequences)
                    .insert(sequence.get(), (table_name.clone(), column.name.clone()));
            }
            if let Some(attrdef) = row.attrdef {
                (self.attrdefs).insert(attrdef.get(), (table_name.clone(), column.name.clone()));
            }
            // Only a table that inherits has columns of its parents' alone (a partition's
            // columns are all its parent's, and are not compared anyway).
            column.inherited = inherits && !row.local;
        }
        if let Some(t) = self.catalog.tables.get_mut(&table_name) {
            for (at, constraint) in read.not_null {
                let column = &columns[at].name;
                if !constraint.validated {
                    t.not_null_not_valid.insert(column.clone());
                }
                if constraint.no_inherit {
                    t.not_null_no_inherit.insert(column.clone());
                }
                t.not_null_names.insert(column.clone(), constraint.name);
            }
            t.columns = columns;
        }
    }

    /// What needs every table's columns: each partition's columns that are stricter than its
    /// parent's.
    pub(super) fn columns_added(&mut self) {
        self.partitions_not_null();
    }

    /// Each partition's columns that are NOT NULL while its parent's are nullable.
    fn partitions_not_null(&mut self) {
        let stricter: Vec<(QualName, std::collections::BTreeSet<String>)> = self
            .catalog
            .tables
            .iter()
            .filter_map(|(name, t)| {
                let parent = self.catalog.tables.get(&t.partition_of.as_ref()?.parent)?;
                let columns = t
                    .columns
                    .iter()
                    .filter(|c| c.not_null && parent.column(&c.name).is_some_and(|p| !p.not_null))
                    .map(|c| c.name.clone())
                    .collect();
                Some((name.clone(), columns))
            })
            .collect();
        for (name, columns) in stricter {
            if let Some(p) = self
                .catalog
                .tables
                .get_mut(&name)
                .and_then(|t| t.partition_of.as_mut())
            {
                p.not_null = columns;
            }
        }
    }
}

/// A table column from its row of the columns query: its default or generation expression
/// (`attgenerated` `s`: stored, `v`: virtual), identity and collation.
fn table_column(row: &Row, name: String, data_type: String) -> Column {
    let identity_kind: String = row.get(7);
    let generated: String = row.get(8);
    let volatile: bool = row.get(20);
    let expr: Option<Expr> = row.get::<_, Option<String>>(5).map(|t| Expr {
        volatile,
        ..printed(t)
    });
    // `v` (virtual) exists from PostgreSQL 18; older servers have `s` only.
    let generated_kind = if generated == "v" {
        GeneratedKind::Virtual
    } else {
        GeneratedKind::Stored
    };
    let (default, generated) = if generated == "s" || generated == "v" {
        (None, expr)
    } else {
        (expr, None)
    };
    let identity = match identity_kind.as_str() {
        "a" | "d" => Some(Identity {
            always: identity_kind == "a",
            options: SequenceOptions {
                data_type: None,
                ..sequence_options(row, 12)
            },
            sequence: row.get(19),
        }),
        _ => None,
    };
    let collation = row.get::<_, Option<String>>(10).map(|name| ObjRef {
        schema: row.get(9),
        name,
    });
    Column {
        name,
        data_type,
        not_null: row.get(4),
        default,
        identity: identity.map(Box::new),
        generated,
        generated_kind,
        collation,
        comment: opt_comment(row, 11),
        settings: ColumnSettings {
            statistics: Some(row.get::<_, i32>(21)).filter(|&n| n != -1),
            storage: row
                .get::<_, Option<String>>(22)
                .and_then(|c| Storage::from_code(&c)),
            compression: row.get::<_, Option<String>>(23).map(|c| match c.as_str() {
                "p" => "pglz".to_string(),
                "l" => "lz4".to_string(),
                _ => c,
            }),
            options: parse_options(row.get(24)),
            type_storage: Storage::from_code(&row.get::<_, String>(25)),
        },
        inherited: false,
    }
}
