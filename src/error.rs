//! The crate's error type: every library failure, typed. The binary turns it into one report and
//! an exit code.

use crate::apply::ApplyError;
use crate::cluster::ClusterError;
use crate::db::DbError;
use crate::graph::CycleError;
use crate::introspect::IntrospectError;
use crate::load::LoadError;
use crate::shadow::ShadowError;

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
    Rehearse(#[from] crate::rehearse::RehearseError),
    #[error("embedded PostgreSQL: {0}")]
    Cluster(#[from] ClusterError),
    #[error(transparent)]
    History(#[from] crate::history::HistoryError),
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
