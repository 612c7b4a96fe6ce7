//! Reads the managed part of a live catalog into the model, with a fixed number of queries
//! whatever the number of tables: each query returns every row of its kind at once.
//!
//! All queries run in one read-only, repeatable-read transaction under `PRINTING_SETTINGS` (an
//! empty `search_path`, so every name PostgreSQL prints is schema-qualified; fixed time zone and
//! output styles), and every query sees the same snapshot.
//!
//! One file per object kind; each adds what it reads to the `Builder` (`builder.rs`), which keeps
//! the oid → model-key maps that later queries (dependencies, privileges) resolve through. The
//! columns and `pg_depend` are read into owned values first (`read_columns`,
//! `read_dependencies`), which need none of those maps, and placed by the builder as they come.

mod aggregates;
mod builder;
mod casts;
mod collations;
mod columns;
mod constraints;
mod dependencies;
mod functions;
mod indexes;
mod publications;
mod relations;
mod rows;
mod schemas;
mod security;
mod sequences;
mod session;
mod statistics;
mod textsearch;
mod types;
mod unmanaged;
mod views;

use postgres::Client;

use crate::model::*;

use builder::Builder;
use casts::casts;
use columns::read_columns;
use dependencies::read_dependencies;
use session::Session;
use unmanaged::unmanaged_objects;

pub use session::IntrospectError;
pub(crate) use views::clean_view_definition;

/// Session settings under which PostgreSQL prints expressions the same way everywhere: no schema
/// on the search path (every name comes out qualified), and fixed time zone, date, interval and
/// float output, which constants of those types depend on.
///
/// JIT is off: the catalog queries are planned as costly enough to compile (a join over every
/// index column of GitLab's schema), and compiling them took most of their time (645 ms of the
/// index columns' 700; 85 without).
pub const PRINTING_SETTINGS: &str = "SET LOCAL search_path = ''; SET LOCAL TimeZone = 'UTC'; \
     SET LOCAL DateStyle = 'ISO, YMD'; SET LOCAL IntervalStyle = 'postgres'; \
     SET LOCAL extra_float_digits = 1; SET LOCAL jit = off";

/// The objects of extensions and of these schemas are never managed.
pub const SYSTEM_SCHEMAS: &[&str] = &["pg_catalog", "information_schema", "pg_toast"];

/// Everything read from one database.
#[derive(Clone, Debug, Default)]
pub struct Introspection {
    pub catalog: Catalog,
    /// Casts PostgreSQL applies on assignment (`castcontext` `a` or `i`), by printed type names.
    pub casts: Casts,
    /// Objects in managed schemas of kinds schemaplan does not manage yet, described for warnings.
    pub unsupported: Vec<String>,
    pub server_version: i32,
    /// The role that read it (`current_user`), and whether it sees every row whatever the
    /// row-level security (a superuser, or BYPASSRLS): the rehearsal runs its steps as a role
    /// of that name (see `pg::privileged`).
    pub role: String,
    pub role_bypasses_rls: bool,
    /// How many catalog queries were issued (constant; reported by benchmarks).
    pub queries: usize,
}

/// Reads the objects of `schemas` (system schemas excepted) from the database behind `client`.
pub fn introspect(
    client: &mut Client,
    schemas: &[String],
) -> Result<Introspection, IntrospectError> {
    read(client, schemas, true)
}

/// [`introspect`] without the dependencies between objects (`pg_depend`), which only planning
/// needs: `inspect` writes none of them, and at 10,000 tables they are 190,000 rows and a
/// fifth of the model's memory.
pub fn introspect_objects(
    client: &mut Client,
    schemas: &[String],
) -> Result<Introspection, IntrospectError> {
    read(client, schemas, false)
}

fn read(
    client: &mut Client,
    schemas: &[String],
    dependencies: bool,
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
        "SELECT current_setting('server_version_num')::int, current_user::text,
                (SELECT rolsuper OR rolbypassrls FROM pg_catalog.pg_roles
                 WHERE rolname = current_user)",
        &[],
    )?;
    out.server_version = version[0].get(0);
    out.role = version[0].get(1);
    out.role_bypasses_rls = version[0].get::<_, Option<bool>>(2).unwrap_or(false);
    let mut b = Builder::default();
    b.schemas(&mut s, &schemas)?;
    b.extensions(&mut s)?;
    b.collations_and_ranges(&mut s, &schemas)?;
    b.enums(&mut s, &schemas)?;
    b.domains(&mut s, &schemas)?;
    b.composite_types(&mut s, &schemas)?;
    b.relations(&mut s, &schemas, &mut out.unsupported)?;
    b.sequences(&mut s, &schemas)?;
    b.indexes(&mut s, &schemas, out.server_version)?;
    b.statistics(&mut s, &schemas, out.server_version, &mut out.unsupported)?;
    b.constraints(&mut s, &schemas, out.server_version)?;
    b.functions(&mut s, &schemas, out.server_version)?;
    b.aggregates(&mut s, &schemas)?;
    b.text_search(&mut s, &schemas)?;
    b.publications(&mut s, &schemas, out.server_version)?;
    // The columns come after the relations' indexes, constraints and routines, which do not
    // need them, and before what is resolved through them (triggers' `UPDATE OF`, column
    // grants, dependencies).
    read_columns(&mut s, &schemas, out.server_version, &mut |r| {
        b.add_columns(r)
    })?;
    b.columns_added();
    b.triggers(&mut s, &schemas)?;
    b.privileges(&mut s, &schemas)?;
    b.policies(&mut s, &schemas)?;
    b.default_privileges(&mut s, &schemas)?;
    if dependencies {
        read_dependencies(&mut s, &mut |d| b.add_dependency(&d))?;
    }
    out.casts = casts(&mut s)?;
    out.unsupported
        .extend(unmanaged_objects(&mut s, &schemas, out.server_version)?);
    b.extension_members(&mut s)?;
    b.extension_updates(&mut s)?;
    out.queries = s.queries;
    s.tx.commit().map_err(|source| IntrospectError {
        what: "commit",
        source,
    })?;
    out.catalog = b.catalog;
    out.catalog.server_version = out.server_version;
    Ok(out)
}
