//! Reads the managed part of a live catalog into the model, with a fixed number of queries
//! whatever the number of tables: each query returns every row of its kind at once.
//!
//! All queries run in one read-only, repeatable-read transaction under `PRINTING_SETTINGS` (an
//! empty `search_path`, so every name PostgreSQL prints is schema-qualified; fixed time zone and
//! output styles), and every query sees the same snapshot.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use postgres::{Client, Row};

use crate::model::*;

/// Session settings under which PostgreSQL prints expressions the same way everywhere: no schema
/// on the search path (every name comes out qualified), and fixed time zone, date, interval and
/// float output, which constants of those types depend on.
pub const PRINTING_SETTINGS: &str = "SET LOCAL search_path = ''; SET LOCAL TimeZone = 'UTC'; \
     SET LOCAL DateStyle = 'ISO, YMD'; SET LOCAL IntervalStyle = 'postgres'; \
     SET LOCAL extra_float_digits = 1";

/// The objects of extensions and of these schemas are never managed.
pub const SYSTEM_SCHEMAS: &[&str] = &["pg_catalog", "information_schema", "pg_toast"];

// Fixed OIDs of system catalogs (they never change between PostgreSQL versions).
const PG_CLASS: u32 = 1259;
const PG_TYPE: u32 = 1247;
const PG_ATTRDEF: u32 = 2604;
const PG_CONSTRAINT: u32 = 2606;
const PG_REWRITE: u32 = 2618;
const PG_NAMESPACE: u32 = 2615;
const PG_PROC: u32 = 1255;
const PG_TRIGGER: u32 = 2620;
const PG_POLICY: u32 = 3256;

/// Everything read from one database.
#[derive(Clone, Debug, Default)]
pub struct Introspection {
    pub catalog: Catalog,
    /// Casts PostgreSQL applies on assignment (`castcontext` `a` or `i`), by printed type names.
    pub casts: Casts,
    /// Objects in managed schemas of kinds schemaplan does not manage yet, described for warnings.
    pub unsupported: Vec<String>,
    pub server_version: i32,
    /// How many catalog queries were issued (constant; reported by benchmarks).
    pub queries: usize,
}

#[derive(Debug, thiserror::Error)]
#[error("reading the catalog ({what}): {source}")]
pub struct IntrospectError {
    pub what: &'static str,
    #[source]
    pub source: postgres::Error,
}

struct Session<'c> {
    tx: postgres::Transaction<'c>,
    queries: usize,
}

impl Session<'_> {
    fn query(
        &mut self,
        what: &'static str,
        sql: &str,
        params: &[&(dyn postgres::types::ToSql + Sync)],
    ) -> Result<Vec<Row>, IntrospectError> {
        self.queries += 1;
        self.tx
            .query(sql, params)
            .map_err(|source| IntrospectError { what, source })
    }
}

/// Filter that keeps objects out of the model when they belong to an extension.
fn not_extension_member(class_oid: u32, oid_expr: &str) -> String {
    format!(
        "NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend x WHERE x.classid = {class_oid} \
         AND x.objid = {oid_expr} AND x.deptype = 'e')"
    )
}

pub fn introspect(
    client: &mut Client,
    schemas: &[String],
) -> Result<Introspection, IntrospectError> {
    let tx = client
        .build_transaction()
        .isolation_level(postgres::IsolationLevel::RepeatableRead)
        .read_only(true)
        .start()
        .map_err(|source| IntrospectError {
            what: "begin",
            source,
        })?;
    let mut s = Session { tx, queries: 0 };
    s.tx.batch_execute(PRINTING_SETTINGS)
        .map_err(|source| IntrospectError {
            what: "session settings",
            source,
        })?;
    let schemas: Vec<String> = schemas
        .iter()
        .filter(|s| !SYSTEM_SCHEMAS.contains(&s.as_str()))
        .cloned()
        .collect();
    let mut out = Introspection::default();
    let version = s.query(
        "server version",
        "SELECT current_setting('server_version_num')::int",
        &[],
    )?;
    out.server_version = version[0].get(0);
    let mut b = Builder::default();
    b.schemas(&mut s, &schemas)?;
    b.extensions(&mut s)?;
    b.enums(&mut s, &schemas)?;
    b.domains(&mut s, &schemas)?;
    b.composite_types(&mut s, &schemas)?;
    b.relations(&mut s, &schemas, &mut out.unsupported)?;
    b.sequences(&mut s, &schemas)?;
    b.columns(&mut s, &schemas)?;
    b.indexes(&mut s, &schemas, out.server_version)?;
    b.constraints(&mut s, &schemas, out.server_version)?;
    b.functions(&mut s, &schemas, out.server_version)?;
    b.triggers(&mut s, &schemas)?;
    b.privileges(&mut s, &schemas)?;
    b.policies(&mut s, &schemas)?;
    b.default_privileges(&mut s, &schemas)?;
    b.dependencies(&mut s)?;
    out.casts = casts(&mut s)?;
    out.unsupported.extend(unmanaged_kinds(&mut s, &schemas)?);
    b.extension_members(&mut s)?;
    b.extension_updates(&mut s)?;
    out.queries = s.queries;
    s.tx.commit().map_err(|source| IntrospectError {
        what: "commit",
        source,
    })?;
    out.catalog = b.catalog;
    Ok(out)
}

#[derive(Default)]
struct Builder {
    catalog: Catalog,
    namespaces: HashMap<u32, String>,
    extensions: HashMap<u32, String>,
    /// Enum types and their array types.
    types: HashMap<u32, QualName>,
    tables: HashMap<u32, QualName>,
    views: HashMap<u32, QualName>,
    materialized_views: HashMap<u32, QualName>,
    sequences: HashMap<u32, QualName>,
    indexes: HashMap<u32, QualName>,
    rules: HashMap<u32, QualName>,
    /// (relation oid, attnum) → column name, for tables, views and materialized views.
    attributes: HashMap<(u32, i16), String>,
    attrdefs: HashMap<u32, (QualName, String)>,
    constraints: HashMap<u32, (QualName, String)>,
    /// Indexes that back a primary key, unique or exclusion constraint: their include columns,
    /// `NULLS NOT DISTINCT`, and for an exclusion constraint its method, elements and
    /// predicate, which belong to the constraint.
    constraint_indexes: HashMap<u32, Index>,
    functions: HashMap<u32, FunctionId>,
    triggers: HashMap<u32, (QualName, String)>,
    /// The constraint each of those indexes backs: what the index depends on (an exclusion
    /// constraint's expression and predicate columns, its operator classes' extension) is
    /// recorded in `pg_depend` for the index, and counts as the constraint's.
    index_constraints: HashMap<u32, (QualName, String)>,
    /// Indexes of partitions attached to their parent's partitioned index.
    attached_indexes: HashSet<u32>,
    /// Domains by type oid: their own dependencies (base type, extension types) are recorded
    /// with `pg_type` as the dependent class.
    domains: HashMap<u32, QualName>,
    /// Composite types by the oid of their `pg_class` row, which holds their attributes.
    composite_relations: HashMap<u32, QualName>,
    /// Row-level security policies: oid → table and name.
    policies: HashMap<u32, (QualName, String)>,
}

fn opt_comment(row: &Row, idx: usize) -> Option<String> {
    row.get::<_, Option<String>>(idx)
}

fn parse_options(raw: Option<Vec<String>>) -> BTreeMap<String, String> {
    raw.unwrap_or_default()
        .into_iter()
        .map(|o| match o.split_once('=') {
            Some((k, v)) => (k.to_string(), v.to_string()),
            None => (o, String::new()),
        })
        .collect()
}

impl Builder {
    fn schemas(&mut self, s: &mut Session<'_>, schemas: &[String]) -> Result<(), IntrospectError> {
        let rows = s.query(
            "schemas",
            "SELECT n.oid, n.nspname::text, d.description
             FROM pg_catalog.pg_namespace n
             LEFT JOIN pg_catalog.pg_description d
               ON d.objoid = n.oid AND d.classoid = 'pg_catalog.pg_namespace'::pg_catalog.regclass
             WHERE n.nspname = ANY($1)",
            &[&schemas],
        )?;
        for row in rows {
            let name: String = row.get(1);
            self.namespaces.insert(row.get(0), name.clone());
            self.catalog.schemas.insert(
                name,
                Schema {
                    comment: opt_comment(&row, 2),
                    ..Schema::default()
                },
            );
        }
        Ok(())
    }

    /// Every installed extension, wherever it is: the desired state may name one that lives
    /// outside the managed schemas. Only those in managed schemas are ever dropped.
    fn extensions(&mut self, s: &mut Session<'_>) -> Result<(), IntrospectError> {
        let rows = s.query(
            "extensions",
            "SELECT e.oid, e.extname::text, n.nspname::text, e.extversion
             FROM pg_catalog.pg_extension e
             JOIN pg_catalog.pg_namespace n ON n.oid = e.extnamespace",
            &[],
        )?;
        for row in rows {
            let name: String = row.get(1);
            self.extensions.insert(row.get(0), name.clone());
            self.catalog.extensions.insert(
                name,
                Extension {
                    schema: Some(row.get(2)),
                    version: Some(row.get(3)),
                },
            );
        }
        Ok(())
    }

    fn enums(&mut self, s: &mut Session<'_>, schemas: &[String]) -> Result<(), IntrospectError> {
        let sql = format!(
            "SELECT t.oid, t.typarray, n.nspname::text, t.typname::text,
                    ARRAY(SELECT e.enumlabel::text FROM pg_catalog.pg_enum e
                          WHERE e.enumtypid = t.oid ORDER BY e.enumsortorder),
                    d.description
             FROM pg_catalog.pg_type t
             JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace
             LEFT JOIN pg_catalog.pg_description d
               ON d.objoid = t.oid AND d.classoid = {PG_TYPE} AND d.objsubid = 0
             WHERE t.typtype = 'e' AND n.nspname = ANY($1) AND {}",
            not_extension_member(PG_TYPE, "t.oid")
        );
        for row in s.query("enums", &sql, &[&schemas])? {
            let name = QualName::new(row.get::<_, String>(2), row.get::<_, String>(3));
            self.types.insert(row.get(0), name.clone());
            self.types.insert(row.get(1), name.clone());
            self.catalog.enums.insert(
                name,
                EnumType {
                    values: row.get(4),
                    comment: opt_comment(&row, 5),
                },
            );
        }
        Ok(())
    }

    fn domains(&mut self, s: &mut Session<'_>, schemas: &[String]) -> Result<(), IntrospectError> {
        // The constraints come as parallel arrays in name order (one row per domain).
        let constraints = |column: &str| {
            format!(
                "ARRAY(SELECT {column} FROM pg_catalog.pg_constraint co
                       LEFT JOIN pg_catalog.pg_description cd
                         ON cd.objoid = co.oid AND cd.classoid = {PG_CONSTRAINT} AND cd.objsubid = 0
                       WHERE co.contypid = t.oid AND co.contype = 'c' ORDER BY co.conname)"
            )
        };
        let sql = format!(
            "SELECT t.oid, t.typarray, n.nspname::text, t.typname::text,
                    pg_catalog.format_type(t.typbasetype, t.typtypmod), t.typnotnull,
                    pg_catalog.pg_get_expr(t.typdefaultbin, 0),
                    CASE WHEN t.typcollation <> bt.typcollation THEN coll_n.nspname::text END,
                    CASE WHEN t.typcollation <> bt.typcollation THEN coll.collname::text END,
                    d.description,
                    {}, {}, {}, {}
             FROM pg_catalog.pg_type t
             JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace
             JOIN pg_catalog.pg_type bt ON bt.oid = t.typbasetype
             LEFT JOIN pg_catalog.pg_collation coll ON coll.oid = t.typcollation
             LEFT JOIN pg_catalog.pg_namespace coll_n ON coll_n.oid = coll.collnamespace
             LEFT JOIN pg_catalog.pg_description d
               ON d.objoid = t.oid AND d.classoid = {PG_TYPE} AND d.objsubid = 0
             WHERE t.typtype = 'd' AND n.nspname = ANY($1) AND {}",
            constraints("co.conname::text"),
            constraints("pg_catalog.pg_get_expr(co.conbin, 0)"),
            constraints("co.convalidated"),
            constraints("cd.description"),
            not_extension_member(PG_TYPE, "t.oid")
        );
        for row in s.query("domains", &sql, &[&schemas])? {
            let name = QualName::new(row.get::<_, String>(2), row.get::<_, String>(3));
            self.types.insert(row.get(0), name.clone());
            self.types.insert(row.get(1), name.clone());
            self.domains.insert(row.get(0), name.clone());
            let names: Vec<String> = row.get(10);
            let expressions: Vec<String> = row.get(11);
            let validated: Vec<bool> = row.get(12);
            let comments: Vec<Option<String>> = row.get(13);
            let constraints = names
                .into_iter()
                .zip(expressions)
                .zip(validated)
                .zip(comments)
                .map(|(((n, e), validated), comment)| {
                    (
                        n,
                        DomainConstraint {
                            expression: printed(e),
                            validated,
                            comment,
                        },
                    )
                })
                .collect();
            self.catalog.domains.insert(
                name,
                Domain {
                    data_type: row.get(4),
                    not_null: row.get(5),
                    default: row.get::<_, Option<String>>(6).map(printed),
                    collation: row.get::<_, Option<String>>(8).map(|n| ObjRef {
                        schema: row.get(7),
                        name: n,
                    }),
                    constraints,
                    comment: opt_comment(&row, 9),
                },
            );
        }
        Ok(())
    }

    /// Composite types with their attributes: one row per attribute (one with no attribute for
    /// a type that has none), in attribute order.
    fn composite_types(
        &mut self,
        s: &mut Session<'_>,
        schemas: &[String],
    ) -> Result<(), IntrospectError> {
        let sql = format!(
            "SELECT t.oid, t.typarray, c.oid, n.nspname::text, t.typname::text, d.description,
                    a.attnum, a.attname::text, pg_catalog.format_type(a.atttypid, a.atttypmod),
                    CASE WHEN a.attcollation <> at.typcollation THEN coll_n.nspname::text END,
                    CASE WHEN a.attcollation <> at.typcollation THEN coll.collname::text END,
                    ad.description
             FROM pg_catalog.pg_type t
             JOIN pg_catalog.pg_class c ON c.oid = t.typrelid AND c.relkind = 'c'
             JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace
             LEFT JOIN pg_catalog.pg_description d
               ON d.objoid = t.oid AND d.classoid = {PG_TYPE} AND d.objsubid = 0
             LEFT JOIN pg_catalog.pg_attribute a
               ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
             LEFT JOIN pg_catalog.pg_type at ON at.oid = a.atttypid
             LEFT JOIN pg_catalog.pg_collation coll ON coll.oid = a.attcollation
             LEFT JOIN pg_catalog.pg_namespace coll_n ON coll_n.oid = coll.collnamespace
             LEFT JOIN pg_catalog.pg_description ad
               ON ad.objoid = c.oid AND ad.classoid = {PG_CLASS} AND ad.objsubid = a.attnum
             WHERE t.typtype = 'c' AND n.nspname = ANY($1) AND {}
             ORDER BY t.oid, a.attnum",
            not_extension_member(PG_TYPE, "t.oid")
        );
        for row in s.query("composite types", &sql, &[&schemas])? {
            let relation: u32 = row.get(2);
            let name = QualName::new(row.get::<_, String>(3), row.get::<_, String>(4));
            self.types.insert(row.get(0), name.clone());
            self.types.insert(row.get(1), name.clone());
            self.composite_relations.insert(relation, name.clone());
            let def = self
                .catalog
                .composite_types
                .entry(name)
                .or_insert_with(|| CompositeType {
                    attributes: Vec::new(),
                    comment: opt_comment(&row, 5),
                });
            let (Some(attnum), Some(attname)) = (
                row.get::<_, Option<i16>>(6),
                row.get::<_, Option<String>>(7),
            ) else {
                continue;
            };
            self.attributes.insert((relation, attnum), attname.clone());
            def.attributes.push(Attribute {
                name: attname,
                data_type: row.get(8),
                collation: row.get::<_, Option<String>>(10).map(|n| ObjRef {
                    schema: row.get(9),
                    name: n,
                }),
                comment: opt_comment(&row, 11),
            });
        }
        Ok(())
    }

    /// The versions each installed extension can be updated to, by a chain of its scripts.
    fn extension_updates(&mut self, s: &mut Session<'_>) -> Result<(), IntrospectError> {
        let rows = s.query(
            "extension updates",
            "SELECT e.extname::text, p.target
             FROM pg_catalog.pg_extension e
             CROSS JOIN LATERAL pg_catalog.pg_extension_update_paths(e.extname) p
             WHERE p.source = e.extversion AND p.path IS NOT NULL",
            &[],
        )?;
        for row in rows {
            self.catalog
                .extension_updates
                .entry(row.get(0))
                .or_default()
                .insert(row.get(1));
        }
        Ok(())
    }

    fn relations(
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
                    c.relispopulated
             FROM pg_catalog.pg_class c
             JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
             LEFT JOIN pg_catalog.pg_description d
               ON d.objoid = c.oid AND d.classoid = {PG_CLASS} AND d.objsubid = 0
             WHERE c.relkind IN ('r', 'v', 'p', 'm', 'f') AND n.nspname = ANY($1) AND {}",
            not_extension_member(PG_CLASS, "c.oid")
        );
        let mut partitions = Vec::new();
        for row in s.query("relations", &sql, &[&schemas])? {
            let oid: u32 = row.get(0);
            let name = QualName::new(row.get::<_, String>(1), row.get::<_, String>(2));
            let kind: String = row.get(3);
            let partition: bool = row.get(8);
            let persistence: String = row.get(9);
            let options = parse_options(row.get(4));
            let comment = opt_comment(&row, 5);
            match kind.as_str() {
                "r" | "p" if persistence != "t" => {
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
                            ..Table::default()
                        },
                    );
                }
                "v" => {
                    let definition: String = row.get(6);
                    self.views.insert(oid, name.clone());
                    if let Some(rule) = row.get::<_, Option<u32>>(7) {
                        self.rules.insert(rule, name.clone());
                    }
                    self.catalog.views.insert(
                        name,
                        View {
                            definition: printed(clean_view_definition(&definition)),
                            columns: Vec::new(),
                            options,
                            comment,
                            column_comments: BTreeMap::new(),
                            owner: None,
                            grants: Grants::new(),
                        },
                    );
                }
                // What a materialized view reads is recorded for its `_RETURN` rule, as for a
                // view.
                "m" => {
                    let definition: String = row.get(6);
                    self.materialized_views.insert(oid, name.clone());
                    if let Some(rule) = row.get::<_, Option<u32>>(7) {
                        self.rules.insert(rule, name.clone());
                    }
                    self.catalog.materialized_views.insert(
                        name,
                        MaterializedView {
                            definition: printed(clean_view_definition(&definition)),
                            columns: Vec::new(),
                            with_data: row.get(14),
                            options,
                            comment,
                            column_comments: BTreeMap::new(),
                            indexes: BTreeMap::new(),
                        },
                    );
                }
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
        Ok(())
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
                });
            }
        }
    }

    fn sequences(
        &mut self,
        s: &mut Session<'_>,
        schemas: &[String],
    ) -> Result<(), IntrospectError> {
        let sql = format!(
            "SELECT c.oid, n.nspname::text, c.relname::text,
                    pg_catalog.format_type(s.seqtypid, NULL), s.seqstart, s.seqincrement,
                    s.seqmin, s.seqmax, s.seqcache, s.seqcycle,
                    own_n.nspname::text, own_c.relname::text, own_a.attname::text, d.description,
                    c.relpersistence = 'u'
             FROM pg_catalog.pg_sequence s
             JOIN pg_catalog.pg_class c ON c.oid = s.seqrelid
             JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
             LEFT JOIN pg_catalog.pg_depend own
               ON own.classid = {PG_CLASS} AND own.objid = c.oid AND own.refclassid = {PG_CLASS}
              AND own.deptype = 'a' AND own.refobjsubid > 0
             LEFT JOIN pg_catalog.pg_class own_c ON own_c.oid = own.refobjid
             LEFT JOIN pg_catalog.pg_namespace own_n ON own_n.oid = own_c.relnamespace
             LEFT JOIN pg_catalog.pg_attribute own_a
               ON own_a.attrelid = own.refobjid AND own_a.attnum = own.refobjsubid
             LEFT JOIN pg_catalog.pg_description d
               ON d.objoid = c.oid AND d.classoid = {PG_CLASS} AND d.objsubid = 0
             WHERE n.nspname = ANY($1) AND {}
               AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend i WHERE i.classid = {PG_CLASS}
                               AND i.objid = c.oid AND i.deptype = 'i')",
            not_extension_member(PG_CLASS, "c.oid")
        );
        for row in s.query("sequences", &sql, &[&schemas])? {
            let name = QualName::new(row.get::<_, String>(1), row.get::<_, String>(2));
            self.sequences.insert(row.get(0), name.clone());
            let owned_by = match (
                row.get::<_, Option<String>>(10),
                row.get::<_, Option<String>>(11),
                row.get::<_, Option<String>>(12),
            ) {
                (Some(schema), Some(table), Some(column)) => Some(ColumnRef {
                    table: QualName::new(schema, table),
                    column,
                }),
                _ => None,
            };
            self.catalog.sequences.insert(
                name,
                Sequence {
                    options: sequence_options(&row, 3),
                    owned_by,
                    unlogged: row.get(14),
                    comment: opt_comment(&row, 13),
                    ..Sequence::default()
                },
            );
        }
        Ok(())
    }

    fn columns(&mut self, s: &mut Session<'_>, schemas: &[String]) -> Result<(), IntrospectError> {
        let sql = format!(
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
                            WHERE p.provolatile = 'v')
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
             WHERE c.relkind IN ('r', 'v', 'm', 'p') AND a.attnum > 0 AND NOT a.attisdropped
               AND n.nspname = ANY($1)
             ORDER BY a.attrelid, a.attnum"
        );
        for row in s.query("columns", &sql, &[&schemas])? {
            let rel: u32 = row.get(0);
            let attnum: i16 = row.get(1);
            let name: String = row.get(2);
            let data_type: String = row.get(3);
            // Views and materialized views: output columns with their types and comments.
            let view_columns = match (self.views.get(&rel), self.materialized_views.get(&rel)) {
                (Some(q), _) => Some(
                    self.catalog
                        .views
                        .get_mut(q)
                        .map(|v| (&mut v.column_comments, &mut v.columns)),
                ),
                (None, Some(q)) => Some(
                    self.catalog
                        .materialized_views
                        .get_mut(q)
                        .map(|v| (&mut v.column_comments, &mut v.columns)),
                ),
                (None, None) => None,
            };
            if let Some(parts) = view_columns {
                if let Some((comments, columns)) = parts {
                    if let Some(comment) = opt_comment(&row, 11) {
                        comments.insert(name.clone(), comment);
                    }
                    let collation = row.get::<_, Option<String>>(10).map(|n| ObjRef {
                        schema: row.get(9),
                        name: n,
                    });
                    columns.push(ViewColumn {
                        name: name.clone(),
                        data_type,
                        collation,
                    });
                }
                self.attributes.insert((rel, attnum), name);
                continue;
            }
            let Some(table_name) = self.tables.get(&rel).cloned() else {
                continue;
            };
            self.attributes.insert((rel, attnum), name.clone());
            if let Some(attrdef) = row.get::<_, Option<u32>>(6) {
                self.attrdefs
                    .insert(attrdef, (table_name.clone(), name.clone()));
            }
            let identity_kind: String = row.get(7);
            let generated: String = row.get(8);
            let volatile: bool = row.get(20);
            let expr: Option<Expr> = row.get::<_, Option<String>>(5).map(|t| Expr {
                volatile,
                ..printed(t)
            });
            let (default, generated) = if generated == "s" {
                (None, expr)
            } else {
                (expr, None)
            };
            let identity = match identity_kind.as_str() {
                "a" | "d" => Some(Identity {
                    always: identity_kind == "a",
                    options: SequenceOptions {
                        data_type: None,
                        ..sequence_options(&row, 12)
                    },
                    sequence: row.get(19),
                }),
                _ => None,
            };
            let collation = row.get::<_, Option<String>>(10).map(|name| ObjRef {
                schema: row.get(9),
                name,
            });
            let column = Column {
                name,
                data_type,
                not_null: row.get(4),
                default,
                identity,
                generated,
                collation,
                comment: opt_comment(&row, 11),
            };
            if let Some(t) = self.catalog.tables.get_mut(&table_name) {
                t.columns.push(column);
            }
        }
        Ok(())
    }

    fn indexes(
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
        struct Partial {
            table: u32,
            name: String,
            nkey: usize,
            backs_constraint: bool,
            index: Index,
            /// The partitioned index it is attached to: then it is its parent's.
            parent_index: Option<u32>,
        }
        let mut partial: BTreeMap<u32, Partial> = BTreeMap::new();
        for row in s.query("indexes", &sql, &[&schemas])? {
            partial.insert(
                row.get(0),
                Partial {
                    table: row.get(1),
                    name: row.get(2),
                    nkey: row.get::<_, i32>(5) as usize,
                    backs_constraint: row.get(10),
                    index: Index {
                        unique: row.get(3),
                        method: row.get(4),
                        keys: Vec::new(),
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
        for row in s.query("index columns", sql, &[&schemas])? {
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
                    if !p.backs_constraint {
                        partition
                            .index_names
                            .insert(parent_index.clone(), p.name.clone());
                    }
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
        Ok(())
    }

    fn constraints(
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
                    co.conparentid <> 0, NOT co.conislocal
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
        for row in s.query("constraints", &sql, &[&schemas])? {
            let on_delete_columns: Vec<String> =
                row.get::<_, Option<Vec<String>>>(18).unwrap_or_default();
            let Some(table_name) = self.tables.get(&row.get::<_, u32>(1)).cloned() else {
                continue;
            };
            let name: String = row.get(2);
            let contype: String = row.get(3);
            let columns: Vec<String> = row.get(8);
            let index_oid: u32 = row.get(16);
            let index = self.constraint_indexes.get(&index_oid);
            let include = index.map(|i| i.include.clone()).unwrap_or_default();
            let nulls_not_distinct = index.is_some_and(|i| i.nulls_not_distinct);
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
            let inherited = is_partition && (cloned || row.get::<_, bool>(21));
            if matches!(contype.as_str(), "p" | "u" | "x") && !inherited {
                self.index_constraints
                    .insert(index_oid, (table_name.clone(), name.clone()));
            }
            let kind = match contype.as_str() {
                "p" => ConstraintKind::PrimaryKey { columns, include },
                "u" => ConstraintKind::Unique {
                    columns,
                    include,
                    nulls_not_distinct,
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
                        options: BTreeMap::new(),
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
                }),
            };
            let constraint = Constraint {
                kind,
                deferrable: row.get(4),
                initially_deferred: row.get(5),
                validated: row.get(6),
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

    /// What each managed extension provides that printed SQL names with its schema.
    fn extension_members(&mut self, s: &mut Session<'_>) -> Result<(), IntrospectError> {
        let rows = s.query(
            "extension members",
            "SELECT d.refobjid, COALESCE(t.typname, p.proname, o.oprname, c.opcname)::text
             FROM pg_catalog.pg_depend d
             LEFT JOIN pg_catalog.pg_type t ON d.classid = 'pg_catalog.pg_type'::pg_catalog.regclass
                  AND t.oid = d.objid AND t.typelem = 0
             LEFT JOIN pg_catalog.pg_proc p ON d.classid = 'pg_catalog.pg_proc'::pg_catalog.regclass
                  AND p.oid = d.objid
             LEFT JOIN pg_catalog.pg_operator o ON d.classid = 'pg_catalog.pg_operator'::pg_catalog.regclass
                  AND o.oid = d.objid
             LEFT JOIN pg_catalog.pg_opclass c ON d.classid = 'pg_catalog.pg_opclass'::pg_catalog.regclass
                  AND c.oid = d.objid
             WHERE d.refclassid = 'pg_catalog.pg_extension'::pg_catalog.regclass AND d.deptype = 'e'",
            &[],
        )?;
        for row in rows {
            let (Some(ext), Some(name)) = (
                self.extensions.get(&row.get::<_, u32>(0)),
                row.get::<_, Option<String>>(1),
            ) else {
                continue;
            };
            self.catalog
                .extension_members
                .entry(ext.clone())
                .or_default()
                .insert(name);
        }
        Ok(())
    }

    /// Functions and procedures (aggregates and window functions are not managed).
    fn functions(
        &mut self,
        s: &mut Session<'_>,
        schemas: &[String],
        server_version: i32,
    ) -> Result<(), IntrospectError> {
        // `BEGIN ATOMIC` bodies (PostgreSQL 14+) are stored parsed and printed back.
        let sql_body = if server_version >= 140000 {
            "CASE WHEN p.prosqlbody IS NOT NULL THEN pg_catalog.pg_get_function_sqlbody(p.oid) END"
        } else {
            "NULL::text"
        };
        let sql = format!(
            "SELECT p.oid, n.nspname::text, p.proname::text, p.prokind::text,
                    pg_catalog.pg_get_function_arguments(p.oid),
                    pg_catalog.oidvectortypes(p.proargtypes),
                    CASE WHEN p.prokind <> 'p' THEN pg_catalog.pg_get_function_result(p.oid) END,
                    l.lanname::text, p.provolatile::text, p.proisstrict, p.prosecdef,
                    p.proleakproof, p.proparallel::text,
                    CASE WHEN p.procost <> CASE WHEN l.lanname IN ('c', 'internal') THEN 1 ELSE 100 END
                         THEN p.procost::text END,
                    CASE WHEN p.proretset AND p.prorows <> 1000 THEN p.prorows::text END,
                    p.proconfig, p.prosrc, {sql_body}, d.description
             FROM pg_catalog.pg_proc p
             JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace
             JOIN pg_catalog.pg_language l ON l.oid = p.prolang
             LEFT JOIN pg_catalog.pg_description d
               ON d.objoid = p.oid AND d.classoid = {PG_PROC} AND d.objsubid = 0
             WHERE p.prokind IN ('f', 'p') AND n.nspname = ANY($1) AND {}",
            not_extension_member(PG_PROC, "p.oid")
        );
        for row in s.query("functions", &sql, &[&schemas])? {
            let id = FunctionId {
                name: QualName::new(row.get::<_, String>(1), row.get::<_, String>(2)),
                args: row.get(5),
            };
            self.functions.insert(row.get(0), id.clone());
            let sql_body: Option<String> = row.get(17);
            let function = Function {
                kind: match row.get::<_, String>(3).as_str() {
                    "p" => RoutineKind::Procedure,
                    _ => RoutineKind::Function,
                },
                arguments: row.get(4),
                returns: row.get(6),
                language: row.get(7),
                volatility: match row.get::<_, String>(8).as_str() {
                    "i" => Volatility::Immutable,
                    "s" => Volatility::Stable,
                    _ => Volatility::Volatile,
                },
                strict: row.get(9),
                security_definer: row.get(10),
                leakproof: row.get(11),
                parallel: match row.get::<_, String>(12).as_str() {
                    "s" => Parallel::Safe,
                    "r" => Parallel::Restricted,
                    _ => Parallel::Unsafe,
                },
                cost: row.get(13),
                rows: row.get(14),
                settings: parse_options(row.get(15)),
                sql_body: sql_body.is_some(),
                body: sql_body.unwrap_or_else(|| row.get(16)),
                comment: opt_comment(&row, 18),
                grants: Grants::new(),
            };
            self.catalog.functions.insert(id, function);
        }
        Ok(())
    }

    /// Triggers of managed tables. Those a partition clones from its parent's are the parent's,
    /// and internal ones (behind foreign keys) belong to their constraints.
    fn triggers(&mut self, s: &mut Session<'_>, schemas: &[String]) -> Result<(), IntrospectError> {
        let sql = format!(
            "SELECT t.oid, t.tgrelid, t.tgname::text, t.tgtype::int, t.tgenabled::text,
                    fn.nspname::text, f.proname::text, t.tgnargs::int, t.tgargs,
                    t.tgattr::int2[], t.tgoldtable::text, t.tgnewtable::text,
                    t.tgconstraint <> 0, t.tgdeferrable, t.tginitdeferred,
                    pg_catalog.pg_get_triggerdef(t.oid), d.description
             FROM pg_catalog.pg_trigger t
             JOIN pg_catalog.pg_class c ON c.oid = t.tgrelid
             JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
             JOIN pg_catalog.pg_proc f ON f.oid = t.tgfoid
             JOIN pg_catalog.pg_namespace fn ON fn.oid = f.pronamespace
             LEFT JOIN pg_catalog.pg_description d
               ON d.objoid = t.oid AND d.classoid = {PG_TRIGGER} AND d.objsubid = 0
             WHERE NOT t.tgisinternal AND t.tgparentid = 0 AND n.nspname = ANY($1)"
        );
        for row in s.query("triggers", &sql, &[&schemas])? {
            let relid: u32 = row.get(1);
            let Some(table) = self.tables.get(&relid).cloned() else {
                continue;
            };
            let name: String = row.get(2);
            let tgtype: i32 = row.get(3);
            let mut events = Vec::new();
            for (bit, event) in [
                (4, "insert"),
                (16, "update"),
                (8, "delete"),
                (32, "truncate"),
            ] {
                if tgtype & bit != 0 {
                    events.push(event.to_string());
                }
            }
            let timing = if tgtype & 64 != 0 {
                TriggerTiming::InsteadOf
            } else if tgtype & 2 != 0 {
                TriggerTiming::Before
            } else {
                TriggerTiming::After
            };
            let nargs: i32 = row.get(7);
            let raw: Vec<u8> = row.get(8);
            let arguments: Vec<String> = raw
                .split(|b| *b == 0)
                .take(nargs as usize)
                .map(|a| String::from_utf8_lossy(a).into_owned())
                .collect();
            let update_of: Vec<String> = row
                .get::<_, Option<Vec<i16>>>(9)
                .unwrap_or_default()
                .into_iter()
                .filter_map(|n| self.attributes.get(&(relid, n)).cloned())
                .collect();
            let definition: String = row.get(15);
            let trigger = Trigger {
                timing,
                events,
                update_of,
                for_each_row: tgtype & 1 != 0,
                when: trigger_when(&definition).map(printed),
                function: QualName::new(row.get::<_, String>(5), row.get::<_, String>(6)),
                arguments,
                old_table: row.get(10),
                new_table: row.get(11),
                constraint: row.get(12),
                deferrable: row.get(13),
                initially_deferred: row.get(14),
                enabled: match row.get::<_, String>(4).as_str() {
                    "D" => TriggerEnabled::Disabled,
                    "R" => TriggerEnabled::Replica,
                    "A" => TriggerEnabled::Always,
                    _ => TriggerEnabled::Origin,
                },
                comment: opt_comment(&row, 16),
            };
            self.triggers
                .insert(row.get(0), (table.clone(), name.clone()));
            if let Some(t) = self.catalog.tables.get_mut(&table) {
                t.triggers.insert(name, trigger);
            }
        }
        Ok(())
    }

    /// `pg_depend`, translated to model keys: which object needs which.
    fn dependencies(&mut self, s: &mut Session<'_>) -> Result<(), IntrospectError> {
        let sql = format!(
            "SELECT d.classid, d.objid, d.objsubid, d.refclassid, d.refobjid, d.refobjsubid,
                    d.deptype::text, x.refobjid, rt.typrelid
             FROM pg_catalog.pg_depend d
             LEFT JOIN pg_catalog.pg_depend x
               ON x.classid = d.refclassid AND x.objid = d.refobjid AND x.deptype = 'e'
             LEFT JOIN pg_catalog.pg_type rt ON d.refclassid = {PG_TYPE} AND rt.oid = d.refobjid
             WHERE d.deptype IN ('n', 'a') AND d.objid >= 16384
               AND d.classid IN ({PG_CLASS}, {PG_REWRITE}, {PG_CONSTRAINT}, {PG_ATTRDEF},
                                 {PG_PROC}, {PG_TRIGGER}, {PG_TYPE}, {PG_POLICY})"
        );
        let mut deps = BTreeSet::new();
        for row in s.query("dependencies", &sql, &[])? {
            let from = self.dependent_key(
                row.get(0),
                row.get(1),
                row.get(2),
                row.get::<_, String>(6) == "a",
                row.get(3),
                row.get(5),
            );
            let Some(from) = from else { continue };
            let to = match (row.get::<_, Option<u32>>(7), row.get::<_, Option<u32>>(8)) {
                (Some(ext), _) => self.extensions.get(&ext).cloned().map(ObjKey::Extension),
                // A table's row type (a function's argument or result) stands for the table.
                (None, Some(rel)) if rel != 0 => self.relation_key(rel, 0),
                (None, _) => self.referenced_key(row.get(3), row.get(4), row.get(5)),
            };
            if let Some(to) = to {
                if to != from {
                    deps.insert((from, to));
                }
            }
        }
        self.catalog.deps = deps;
        Ok(())
    }

    fn relation_key(&self, oid: u32, subid: i32) -> Option<ObjKey> {
        // A composite type's attributes are columns of its pg_class row; the row itself is the
        // type.
        if let Some(q) = self.composite_relations.get(&oid) {
            if subid > 0 {
                let attribute = self.attributes.get(&(oid, subid as i16))?;
                return Some(ObjKey::Column(q.clone(), attribute.clone()));
            }
            return Some(ObjKey::Type(q.clone()));
        }
        let q = self
            .tables
            .get(&oid)
            .or_else(|| self.views.get(&oid))
            .or_else(|| self.materialized_views.get(&oid))
            .or_else(|| self.sequences.get(&oid))
            .or_else(|| self.indexes.get(&oid))?;
        if subid > 0 {
            let col = self.attributes.get(&(oid, subid as i16))?;
            Some(ObjKey::Column(q.clone(), col.clone()))
        } else {
            Some(ObjKey::Relation(q.clone()))
        }
    }

    fn dependent_key(
        &self,
        classid: u32,
        objid: u32,
        subid: i32,
        auto: bool,
        refclassid: u32,
        refsubid: i32,
    ) -> Option<ObjKey> {
        match classid {
            PG_CLASS => {
                if let (true, Some(q)) = (auto, self.sequences.get(&objid)) {
                    if refclassid == PG_CLASS && refsubid > 0 {
                        return Some(ObjKey::SequenceOwner(q.clone()));
                    }
                }
                if let (0, Some((t, n))) = (subid, self.index_constraints.get(&objid)) {
                    return Some(ObjKey::Constraint(t.clone(), n.clone()));
                }
                self.relation_key(objid, subid)
            }
            PG_REWRITE => self.rules.get(&objid).cloned().map(ObjKey::Relation),
            PG_CONSTRAINT => self
                .constraints
                .get(&objid)
                .map(|(t, n)| ObjKey::Constraint(t.clone(), n.clone())),
            PG_ATTRDEF => self
                .attrdefs
                .get(&objid)
                .map(|(t, c)| ObjKey::Column(t.clone(), c.clone())),
            PG_PROC => self.functions.get(&objid).cloned().map(ObjKey::Function),
            PG_TRIGGER => self
                .triggers
                .get(&objid)
                .map(|(t, n)| ObjKey::Trigger(t.clone(), n.clone())),
            PG_TYPE => self.domains.get(&objid).cloned().map(ObjKey::Type),
            PG_POLICY => self
                .policies
                .get(&objid)
                .map(|(t, p)| ObjKey::Policy(t.clone(), p.clone())),
            _ => None,
        }
    }

    fn referenced_key(&self, classid: u32, objid: u32, subid: i32) -> Option<ObjKey> {
        match classid {
            PG_CLASS => self.relation_key(objid, subid),
            PG_TYPE => self.types.get(&objid).cloned().map(ObjKey::Type),
            PG_CONSTRAINT => self
                .constraints
                .get(&objid)
                .map(|(t, n)| ObjKey::Constraint(t.clone(), n.clone())),
            PG_NAMESPACE => self.namespaces.get(&objid).cloned().map(ObjKey::Schema),
            PG_PROC => self.functions.get(&objid).cloned().map(ObjKey::Function),
            _ => None,
        }
    }
}

// ---- Security: ownership, privileges, row-level security, policies, default privileges ----

/// A grantee as the model names it: `public` for PUBLIC (oid 0).
const GRANTEE_NAME: &str = "CASE WHEN x.grantee = 0 THEN 'public' \
     ELSE pg_catalog.pg_get_userbyid(x.grantee)::text END";

impl Builder {
    /// Owners, privileges (of schemas, tables, views, sequences and columns) and row-level
    /// security switches, in one query. The owner's own entries are implicit (an ACL of NULL
    /// means the owner's privileges alone) and are not part of the model.
    fn privileges(
        &mut self,
        s: &mut Session<'_>,
        schemas: &[String],
    ) -> Result<(), IntrospectError> {
        let sql = format!(
            "SELECT o.kind, o.oid, o.attnum, pg_catalog.pg_get_userbyid(o.owner)::text,
                    g.grantee, g.privilege, g.is_grantable, g.superuser, g.initial,
                    o.rowsecurity, o.forcerowsecurity
             FROM (
                 SELECT 'n'::text AS kind, n.oid, 0::int2 AS attnum, n.nspowner AS owner,
                        n.nspacl AS acl, {PG_NAMESPACE}::oid AS classoid,
                        false AS rowsecurity, false AS forcerowsecurity
                 FROM pg_catalog.pg_namespace n WHERE n.nspname = ANY($1)
                 UNION ALL
                 SELECT 'c', c.oid, 0::int2, c.relowner, c.relacl, {PG_CLASS}::oid,
                        c.relrowsecurity, c.relforcerowsecurity
                 FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
                 WHERE c.relkind IN ('r', 'p', 'v', 'S') AND n.nspname = ANY($1)
                 UNION ALL
                 SELECT 'a', c.oid, a.attnum, c.relowner, a.attacl, {PG_CLASS}::oid, false, false
                 FROM pg_catalog.pg_attribute a
                 JOIN pg_catalog.pg_class c ON c.oid = a.attrelid
                 JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
                 WHERE a.attacl IS NOT NULL AND a.attnum > 0 AND NOT a.attisdropped
                   AND c.relkind IN ('r', 'p') AND n.nspname = ANY($1)
                 UNION ALL
                 SELECT 'f', p.oid, 0::int2, p.proowner, p.proacl, {PG_PROC}::oid, false, false
                 FROM pg_catalog.pg_proc p JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace
                 WHERE p.proacl IS NOT NULL AND p.prokind IN ('f', 'p') AND n.nspname = ANY($1)
             ) o
             LEFT JOIN LATERAL (
                 SELECT {GRANTEE_NAME} AS grantee, x.privilege_type::text AS privilege,
                        x.is_grantable, COALESCE(r.rolsuper, false) AS superuser,
                        EXISTS (SELECT 1 FROM pg_catalog.pg_init_privs ip,
                                       pg_catalog.aclexplode(ip.initprivs) y
                                WHERE ip.objoid = o.oid AND ip.classoid = o.classoid
                                  AND ip.objsubid = o.attnum AND y.grantee = x.grantee
                                  AND y.privilege_type = x.privilege_type) AS initial
                 FROM pg_catalog.aclexplode(o.acl) x
                 LEFT JOIN pg_catalog.pg_roles r ON r.oid = x.grantee
                 WHERE x.grantee <> o.owner
                   -- PUBLIC's EXECUTE is every function's default: not managed.
                   AND NOT (o.kind = 'f' AND x.grantee = 0)
             ) g ON true"
        );
        for row in s.query("privileges", &sql, &[&schemas])? {
            let kind: String = row.get(0);
            let oid: u32 = row.get(1);
            let owner: String = row.get(3);
            let grant = match (
                row.get::<_, Option<String>>(4),
                row.get::<_, Option<String>>(5)
                    .as_deref()
                    .and_then(Privilege::parse),
            ) {
                (Some(grantee), Some(privilege)) => {
                    // Grants to superusers mean nothing, and initdb's own grants (PUBLIC's
                    // USAGE on schema public) are there in every database: neither makes a
                    // role one the model speaks for.
                    let superuser: bool = row.get(7);
                    let initial: bool = row.get(8);
                    if !superuser && !initial {
                        self.catalog.roles.insert(grantee.clone());
                    }
                    Some((grantee, privilege, row.get::<_, bool>(6)))
                }
                _ => None,
            };
            let add = |grants: &mut Grants| {
                if let Some((grantee, privilege, option)) = &grant {
                    grants
                        .entry(grantee.clone())
                        .or_default()
                        .insert(*privilege, *option);
                }
            };
            match kind.as_str() {
                "n" => {
                    let Some(name) = self.namespaces.get(&oid) else {
                        continue;
                    };
                    if let Some(schema) = self.catalog.schemas.get_mut(name) {
                        schema.owner = Some(owner);
                        add(&mut schema.grants);
                    }
                }
                "c" => {
                    let rls = RowSecurity {
                        enabled: row.get(9),
                        forced: row.get(10),
                    };
                    if let Some(table) = self
                        .tables
                        .get(&oid)
                        .and_then(|q| self.catalog.tables.get_mut(q))
                    {
                        table.owner = Some(owner);
                        table.row_security = rls;
                        add(&mut table.grants);
                    } else if let Some(view) = self
                        .views
                        .get(&oid)
                        .and_then(|q| self.catalog.views.get_mut(q))
                    {
                        view.owner = Some(owner);
                        add(&mut view.grants);
                    } else if let Some(seq) = self
                        .sequences
                        .get(&oid)
                        .and_then(|q| self.catalog.sequences.get_mut(q))
                    {
                        seq.owner = Some(owner);
                        add(&mut seq.grants);
                    }
                }
                "f" => {
                    if let Some(function) = self
                        .functions
                        .get(&oid)
                        .and_then(|id| self.catalog.functions.get_mut(id))
                    {
                        add(&mut function.grants);
                    }
                }
                _ => {
                    let attnum: i16 = row.get(2);
                    let (Some(q), Some(column)) =
                        (self.tables.get(&oid), self.attributes.get(&(oid, attnum)))
                    else {
                        continue;
                    };
                    if let Some(table) = self.catalog.tables.get_mut(q) {
                        add(table.column_grants.entry(column.clone()).or_default());
                    }
                }
            }
        }
        Ok(())
    }

    fn policies(&mut self, s: &mut Session<'_>, schemas: &[String]) -> Result<(), IntrospectError> {
        let sql = format!(
            "SELECT p.oid, p.polrelid, p.polname::text, p.polpermissive, p.polcmd::text,
                    ARRAY(SELECT CASE WHEN r.r = 0 THEN 'public'
                                 ELSE pg_catalog.pg_get_userbyid(r.r)::text END
                          FROM pg_catalog.unnest(p.polroles) r(r) ORDER BY 1),
                    pg_catalog.pg_get_expr(p.polqual, p.polrelid),
                    pg_catalog.pg_get_expr(p.polwithcheck, p.polrelid), d.description
             FROM pg_catalog.pg_policy p
             JOIN pg_catalog.pg_class c ON c.oid = p.polrelid
             JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
             LEFT JOIN pg_catalog.pg_description d
               ON d.objoid = p.oid AND d.classoid = {PG_POLICY} AND d.objsubid = 0
             WHERE n.nspname = ANY($1)"
        );
        for row in s.query("policies", &sql, &[&schemas])? {
            let Some(table_name) = self.tables.get(&row.get::<_, u32>(1)).cloned() else {
                continue;
            };
            let name: String = row.get(2);
            let roles: Vec<String> = row.get(5);
            let command = match row.get::<_, String>(4).as_str() {
                "r" => PolicyCommand::Select,
                "a" => PolicyCommand::Insert,
                "w" => PolicyCommand::Update,
                "d" => PolicyCommand::Delete,
                _ => PolicyCommand::All,
            };
            self.catalog
                .roles
                .extend(roles.iter().filter(|r| *r != PUBLIC_ROLE).cloned());
            self.policies
                .insert(row.get(0), (table_name.clone(), name.clone()));
            if let Some(t) = self.catalog.tables.get_mut(&table_name) {
                t.policies.insert(
                    name,
                    Policy {
                        permissive: row.get(3),
                        command,
                        roles: roles.into_iter().collect(),
                        using: row.get::<_, Option<String>>(6).map(printed),
                        with_check: row.get::<_, Option<String>>(7).map(printed),
                        comment: opt_comment(&row, 8),
                    },
                );
            }
        }
        Ok(())
    }

    /// `pg_default_acl`. An entry for all schemas replaces the built-in defaults (the owner's
    /// privileges, PUBLIC's EXECUTE on functions and USAGE on types), so those are left out:
    /// the model holds what was granted beyond them.
    fn default_privileges(
        &mut self,
        s: &mut Session<'_>,
        schemas: &[String],
    ) -> Result<(), IntrospectError> {
        let sql = format!(
            "SELECT pg_catalog.pg_get_userbyid(d.defaclrole)::text, n.nspname::text,
                    d.defaclobjtype::text, {GRANTEE_NAME}, x.privilege_type::text,
                    x.is_grantable, COALESCE(r.rolsuper, false)
             FROM pg_catalog.pg_default_acl d
             LEFT JOIN pg_catalog.pg_namespace n ON n.oid = d.defaclnamespace
             CROSS JOIN LATERAL pg_catalog.aclexplode(d.defaclacl) x
             LEFT JOIN pg_catalog.pg_roles r ON r.oid = x.grantee
             WHERE x.grantee <> d.defaclrole
               AND (d.defaclnamespace = 0 OR n.nspname = ANY($1))
               AND NOT (d.defaclnamespace = 0 AND EXISTS (
                   SELECT 1 FROM pg_catalog.aclexplode(pg_catalog.acldefault(
                       CASE d.defaclobjtype WHEN 'S' THEN 's' ELSE d.defaclobjtype END,
                       d.defaclrole)) z
                   WHERE z.grantee = x.grantee AND z.privilege_type = x.privilege_type))"
        );
        for row in s.query("default privileges", &sql, &[&schemas])? {
            let on = match row.get::<_, String>(2).as_str() {
                "r" => DefaultObjects::Tables,
                "S" => DefaultObjects::Sequences,
                "f" => DefaultObjects::Functions,
                "T" => DefaultObjects::Types,
                "n" => DefaultObjects::Schemas,
                _ => continue,
            };
            let Some(privilege) = Privilege::parse(&row.get::<_, String>(4)) else {
                continue;
            };
            let grantee: String = row.get(3);
            if !row.get::<_, bool>(6) {
                self.catalog.roles.insert(grantee.clone());
            }
            let key = DefaultPrivilegeKey {
                role: row.get(0),
                schema: row.get(1),
                on,
            };
            self.catalog
                .default_privileges
                .entry(key)
                .or_default()
                .entry(grantee)
                .or_default()
                .insert(privilege, row.get(5));
        }
        Ok(())
    }
}

fn sequence_options(row: &Row, first: usize) -> SequenceOptions {
    SequenceOptions {
        data_type: row.get(first),
        start: row.get(first + 1),
        increment: row.get(first + 2),
        min_value: row.get(first + 3),
        max_value: row.get(first + 4),
        cache: row.get(first + 5),
        cycle: row.get(first + 6),
    }
}

/// An expression as PostgreSQL printed it, with the known rewrite that parses back to the same
/// tree when the printed text does not (see `reprint`). The shadow database verifies the desired
/// side; on the current side the rewrite only feeds down SQL.
fn printed(text: impl Into<String>) -> Expr {
    let text = text.into();
    Expr {
        source: crate::sqltext::reprint::pin_array_casts(&text),
        text,
        volatile: false,
    }
}

fn fk_action(code: &str) -> FkAction {
    match code {
        "r" => FkAction::Restrict,
        "c" => FkAction::Cascade,
        "n" => FkAction::SetNull,
        "d" => FkAction::SetDefault,
        _ => FkAction::NoAction,
    }
}

/// The `WHEN` condition of a trigger, from `pg_get_triggerdef`'s fixed layout: `… FOR EACH ROW
/// WHEN (condition) EXECUTE FUNCTION …`; the parentheses around it are the clause's own.
pub(crate) fn trigger_when(definition: &str) -> Option<String> {
    let start = ["FOR EACH ROW WHEN (", "FOR EACH STATEMENT WHEN ("]
        .iter()
        .find_map(|m| definition.find(m).map(|at| at + m.len()))?;
    let end = crate::sqltext::reprint::closing_paren(&definition[start..])?;
    Some(definition[start..start + end].to_string())
}

/// `pg_get_viewdef` output starts with a space and ends with a semicolon.
pub(crate) fn clean_view_definition(text: &str) -> String {
    text.trim().trim_end_matches(';').trim_end().to_string()
}

/// Objects of kinds schemaplan does not manage yet, counted per schema, so that plans can say
/// they are left alone.
fn unmanaged_kinds(
    s: &mut Session<'_>,
    schemas: &[String],
) -> Result<Vec<String>, IntrospectError> {
    let member = |class: u32, oid: &str| not_extension_member(class, oid);
    let sql = format!(
        "SELECT kind, schema, count(*)::int FROM (
             SELECT CASE p.prokind WHEN 'a' THEN 'aggregate' ELSE 'window function' END AS kind,
                    n.nspname::text AS schema
             FROM pg_catalog.pg_proc p JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace
             WHERE p.prokind IN ('a', 'w') AND n.nspname = ANY($1) AND {proc}
             UNION ALL
             SELECT 'trigger on a view or foreign table', n.nspname::text
             FROM pg_catalog.pg_trigger t JOIN pg_catalog.pg_class c ON c.oid = t.tgrelid
             JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
             WHERE NOT t.tgisinternal AND c.relkind NOT IN ('r', 'p') AND n.nspname = ANY($1)
             UNION ALL
             SELECT 'rule', n.nspname::text
             FROM pg_catalog.pg_rewrite r JOIN pg_catalog.pg_class c ON c.oid = r.ev_class
             JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
             WHERE r.rulename <> '_RETURN' AND n.nspname = ANY($1)
             UNION ALL
             SELECT 'range type', n.nspname::text
             FROM pg_catalog.pg_type t JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace
             WHERE t.typtype = 'r' AND n.nspname = ANY($1) AND {typ}
         ) o GROUP BY kind, schema ORDER BY schema, kind",
        proc = member(1255, "p.oid"),
        typ = member(PG_TYPE, "t.oid"),
    );
    Ok(s.query("unmanaged objects", &sql, &[&schemas])?
        .iter()
        .map(|r| {
            let (kind, schema, n): (String, String, i32) = (r.get(0), r.get(1), r.get(2));
            format!(
                "{n} {kind}{} in schema {schema}",
                if n == 1 { "" } else { "(s)" }
            )
        })
        .collect())
}

fn casts(s: &mut Session<'_>) -> Result<Casts, IntrospectError> {
    let rows = s.query(
        "casts",
        "SELECT pg_catalog.format_type(castsource, NULL), pg_catalog.format_type(casttarget, NULL)
         FROM pg_catalog.pg_cast WHERE castcontext IN ('a', 'i')",
        &[],
    )?;
    Ok(Casts {
        assignment: rows.iter().map(|r| (r.get(0), r.get(1))).collect(),
    })
}
