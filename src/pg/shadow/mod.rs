//! Normalisation through a shadow database: the desired model is created in an empty scratch
//! database and read back, so that defaults, checks, index predicates and view bodies compare in
//! the form PostgreSQL itself prints them. A mistake in the desired SQL is reported here, with
//! the object, PostgreSQL's message and the position.
//!
//! `materialize` creates the objects, `stabilize` settles every expression on a form that
//! `apply` reproduces exactly (`unit` names the expressions, `probe` tries candidate texts), and
//! `error` says which desired object PostgreSQL rejected, and where.

mod error;
mod materialize;
mod probe;
mod stabilize;
mod unit;

use crate::model::source::SourceMap;
use crate::model::*;
use crate::pg::db::Server;
use crate::pg::introspect::{self, Introspection};

pub use error::{ShadowError, SqlProblem};
pub use materialize::{materialize, materialize_with};
pub use stabilize::stabilize;

/// Creates (embedded cluster) or requires (`--dev-url`) the roles `catalog` names.
pub fn ensure_roles(server: &Server, catalog: &Catalog) -> Result<(), ShadowError> {
    let missing = server.ensure_roles(&crate::plan::security::named_roles(catalog))?;
    if missing.is_empty() {
        Ok(())
    } else {
        Err(ShadowError::MissingRoles {
            roles: missing,
            server: server.describe(),
        })
    }
}

/// The desired state as PostgreSQL prints it.
pub struct Normalized {
    pub introspection: Introspection,
    pub warnings: Vec<crate::model::warning::Warning>,
    /// How long each phase took (for benchmarks and progress reports).
    pub timings: Vec<(&'static str, std::time::Duration)>,
}

/// Creates `desired` in a scratch database on `server` and reads it back. On the embedded
/// cluster everything built from the YAML is built, read and probed as the shadow role, without
/// a superuser's rights (see `pg::privileged`).
pub fn normalize(
    desired: &Catalog,
    sources: &SourceMap,
    schemas: &[String],
    server: &Server,
) -> Result<Normalized, ShadowError> {
    let mut clock = crate::stdx::Clock::new();
    ensure_roles(server, desired)?;
    let mut db = server.shadow_database("shadow")?;
    clock.lap("shadow: create database");
    let (client, admin) = db.sessions()?;
    let base_queries = materialize_with(client, admin, desired, sources, schemas)?;
    clock.lap("shadow: create desired objects");
    // The shadow of a large desired state reads back on a second session too.
    let more = introspect::Sessions::to(&db.target());
    let mut normalized = introspect::introspect_with(db.client(), Some(&more), schemas)?;
    crate::pg::privileged::forget_own_roles(&mut normalized.catalog);
    normalized.queries += base_queries;
    clock.lap("shadow: introspect");
    let warnings = stabilize(db.client(), desired, &mut normalized.catalog);
    clock.lap("shadow: verify printed forms");
    Ok(Normalized {
        introspection: normalized,
        warnings,
        timings: clock.laps,
    })
}
