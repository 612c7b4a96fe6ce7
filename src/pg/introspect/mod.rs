//! Reads the managed part of a live catalog into the model, with a fixed number of queries
//! whatever the number of tables: each query returns every row of its kind at once.
//!
//! All queries run in one read-only, repeatable-read transaction under `PRINTING_SETTINGS` (an
//! empty `search_path`, so every name PostgreSQL prints is schema-qualified; fixed time zone and
//! output styles), and every query sees the same snapshot. A large catalog is read faster with
//! helper sessions that import that transaction's snapshot and take a share of the queries
//! (`share.rs`, [`Sessions`]); the model is the same.
//!
//! One file per object kind; each adds what it reads to the `Builder` (`builder.rs`), which keeps
//! the oid → model-key maps that later queries (dependencies, privileges) resolve through. The
//! columns and `pg_depend`, the shares helpers may read, are read into owned values first
//! (`read_columns`, `read_dependencies`), which need none of those maps, and placed by the
//! builder when it has what they resolve through.

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
mod share;
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
use share::{Helpers, Job, Payload, Share};
use unmanaged::unmanaged_objects;

pub use session::{IntrospectError, PRINTING_SETTINGS};
pub use share::Sessions;
pub(crate) use views::clean_view_definition;

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
    /// How many sessions read them: 1, or more with helpers (see [`Sessions`]).
    pub sessions: usize,
}

/// Reads the objects of `schemas` (system schemas excepted) from the database behind `client`.
pub fn introspect(
    client: &mut Client,
    schemas: &[String],
) -> Result<Introspection, IntrospectError> {
    read(client, None, schemas, true)
}

/// [`introspect`] without the dependencies between objects (`pg_depend`), which only planning
/// needs: `inspect` writes none of them, and at 10,000 tables they are 190,000 rows and a
/// fifth of the model's memory.
pub fn introspect_objects(
    client: &mut Client,
    schemas: &[String],
) -> Result<Introspection, IntrospectError> {
    read(client, None, schemas, false)
}

/// [`introspect`], on helper sessions from `more` besides `client` when the schema is large
/// enough to gain from them: the same model as the one-session read's, sooner.
pub fn introspect_with(
    client: &mut Client,
    more: Option<&Sessions>,
    schemas: &[String],
) -> Result<Introspection, IntrospectError> {
    read(client, more, schemas, true)
}

/// [`introspect_objects`] on helper sessions, as [`introspect_with`].
pub fn introspect_objects_with(
    client: &mut Client,
    more: Option<&Sessions>,
    schemas: &[String],
) -> Result<Introspection, IntrospectError> {
    read(client, more, schemas, false)
}

fn read(
    client: &mut Client,
    more: Option<&Sessions>,
    schemas: &[String],
    dependencies: bool,
) -> Result<Introspection, IntrospectError> {
    let mut s = Session::begin(client)?;
    let schemas: Vec<String> = schemas
        .iter()
        .filter(|s| !SYSTEM_SCHEMAS.contains(&s.as_str()))
        .cloned()
        .collect();
    let mut out = Introspection::default();
    let relations = server_and_role(&mut s, &schemas, more.is_some(), &mut out)?;
    let shares: &[Share] = match dependencies {
        true => &[Share::Columns, Share::Dependencies],
        false => &[Share::Columns],
    };
    let job = Job {
        schemas: schemas.clone(),
        server_version: out.server_version,
    };
    let helpers = helpers(&mut s, more, relations, shares, job)?;
    let mut b = Builder::default();
    b.objects(&mut s, &helpers, &schemas, &mut out)?;
    if dependencies {
        match helpers.take(Share::Dependencies) {
            Some(Payload::Dependencies(read)) => read.iter().for_each(|d| b.add_dependency(d)),
            _ => read_dependencies(&mut s, &mut |d| b.add_dependency(&d))?,
        }
    }
    out.casts = casts(&mut s)?;
    out.unsupported
        .extend(unmanaged_objects(&mut s, &schemas, out.server_version)?);
    b.extension_members(&mut s)?;
    b.extension_updates(&mut s)?;
    out.sessions = helpers.sessions();
    out.queries = s.queries + helpers.finish();
    s.commit()?;
    out.catalog = b.catalog;
    out.catalog.server_version = out.server_version;
    Ok(out)
}

/// The server's version and the reading role (into `out`); with `count`, how many relations
/// the read will meet (0 without), which says whether helpers are worth it.
fn server_and_role(
    s: &mut Session<'_>,
    schemas: &[String],
    count: bool,
    out: &mut Introspection,
) -> Result<i64, IntrospectError> {
    const ROLE: &str = "SELECT current_setting('server_version_num')::int, current_user::text,
                (SELECT rolsuper OR rolbypassrls FROM pg_catalog.pg_roles
                 WHERE rolname = current_user)";
    let version = if count {
        let sql = format!(
            "{ROLE}, (SELECT count(*) FROM pg_catalog.pg_class c
                      JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
                      WHERE c.relkind IN ('r', 'p', 'v', 'm') AND n.nspname = ANY($1))"
        );
        s.query("server version", &sql, &[&schemas])?
    } else {
        s.query("server version", ROLE, &[])?
    };
    out.server_version = version[0].get(0);
    out.role = version[0].get(1);
    out.role_bypasses_rls = version[0].get::<_, Option<bool>>(2).unwrap_or(false);
    Ok(if count { version[0].get(3) } else { 0 })
}

/// Helper sessions for `shares` when `more` gives them and a read of `relations` relations is
/// worth it, on the snapshot `s` exports; none when the server does not export one.
fn helpers(
    s: &mut Session<'_>,
    more: Option<&Sessions>,
    relations: i64,
    shares: &[Share],
    job: Job,
) -> Result<Helpers, IntrospectError> {
    let Some(more) = more.filter(|m| m.worth_it(relations)) else {
        return Ok(Helpers::none());
    };
    Ok(match s.export()? {
        Some(snapshot) => Helpers::start(more, snapshot, shares, job),
        None => Helpers::none(),
    })
}

impl Builder {
    /// Every object, in an order where each query's rows find what they resolve through. The
    /// columns come after the relations' indexes, constraints and routines, which do not need
    /// them: a helper reads them meanwhile.
    fn objects(
        &mut self,
        s: &mut Session<'_>,
        helpers: &Helpers,
        schemas: &[String],
        out: &mut Introspection,
    ) -> Result<(), IntrospectError> {
        let version = out.server_version;
        self.schemas(s, schemas)?;
        self.extensions(s)?;
        self.collations_and_ranges(s, schemas)?;
        self.enums(s, schemas)?;
        self.domains(s, schemas)?;
        self.composite_types(s, schemas)?;
        self.relations(s, schemas, &mut out.unsupported)?;
        self.sequences(s, schemas)?;
        self.indexes(s, schemas, version)?;
        self.statistics(s, schemas, version, &mut out.unsupported)?;
        self.constraints(s, schemas, version)?;
        self.functions(s, schemas, version)?;
        self.aggregates(s, schemas)?;
        self.text_search(s, schemas)?;
        self.publications(s, schemas, version)?;
        match helpers.take(Share::Columns) {
            Some(Payload::Columns(read)) => read.into_iter().for_each(|r| self.add_columns(r)),
            _ => read_columns(s, schemas, version, &mut |r| self.add_columns(r))?,
        }
        self.columns_added();
        self.triggers(s, schemas)?;
        self.privileges(s, schemas)?;
        self.policies(s, schemas)?;
        self.default_privileges(s, schemas)
    }
}
