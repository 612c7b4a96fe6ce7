//! The crate's error type: every library failure, typed. The binary turns it into one report and
//! an exit code.

use crate::pg::apply::ApplyError;
use crate::pg::cluster::ClusterError;
use crate::pg::db::DbError;
use crate::pg::introspect::IntrospectError;
use crate::pg::shadow::ShadowError;
use crate::plan::graph::CycleError;
use crate::yaml::LoadError;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error(transparent)]
    Load(#[from] LoadError),
    #[error(transparent)]
    Db(#[from] DbError),
    #[error(transparent)]
    Introspect(#[from] IntrospectError),
    #[error(transparent)]
    Shadow(#[from] ShadowError),
    #[error("ordering the plan: {0}")]
    Cycle(#[from] CycleError),
    #[error(transparent)]
    Apply(#[from] Box<ApplyError>),
    #[error(transparent)]
    Rehearse(#[from] crate::pg::rehearse::RehearseError),
    #[error("embedded PostgreSQL: {0}")]
    Cluster(#[from] ClusterError),
    #[error(transparent)]
    History(#[from] crate::pg::history::HistoryError),
    #[error("{0}")]
    Usage(String),
    #[error("cannot read {path}: {source}")]
    Read {
        path: String,
        #[source]
        source: std::io::Error,
    },
    #[error("cannot write {path}: {source}")]
    Write {
        path: String,
        #[source]
        source: std::io::Error,
    },
}

/// A guarded run's failure is reported as the failure it wraps.
impl From<crate::pg::migrate::MigrateError> for Error {
    fn from(e: crate::pg::migrate::MigrateError) -> Self {
        use crate::pg::migrate::MigrateError;
        match e {
            MigrateError::History(e) => Error::History(e),
            MigrateError::Introspect(e) => Error::Introspect(e),
            MigrateError::Apply(e) => Error::Apply(e),
        }
    }
}
