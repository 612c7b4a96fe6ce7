//! Where a command's databases are: the target (or an embedded empty one for `plan`), the
//! shadow server, and the desired state read from disk.

use std::sync::Arc;

use postgres::Client;
use schemaplan::error::Error;
use schemaplan::pg::cluster::EmbeddedCluster;
use schemaplan::pg::db::{self, Server};
use schemaplan::pg::history;
use schemaplan::yaml::{self, Desired};

use super::args::Common;

/// Where a command's databases live: the target, and a server for shadow databases.
pub struct Databases {
    pub target: postgres::Client,
    pub target_label: String,
    pub shadow: Server,
    /// Kept alive while the databases are in use; removed on drop.
    _cluster: Option<Arc<EmbeddedCluster>>,
    _scratch_target: Option<db::ScratchDatabase>,
}

impl Databases {
    /// Connects to the target, or — when `allow_embedded_target` and no URL is given — creates
    /// an empty database in an embedded cluster.
    pub fn open(common: &Common, allow_embedded_target: bool) -> Result<Databases, Error> {
        let mut cluster: Option<Arc<EmbeddedCluster>> = None;
        let mut embedded = || -> Result<Arc<EmbeddedCluster>, Error> {
            if cluster.is_none() {
                cluster = Some(Arc::new(EmbeddedCluster::start()?));
            }
            Ok(cluster.clone().expect("started above"))
        };
        let (target, target_label, scratch) = match &common.database_url {
            Some(url) => (db::connect(url)?, db::redact(url), None),
            None if allow_embedded_target => {
                eprintln!(
                    "note: no --database-url and no DATABASE_URL: planning against an empty embedded database"
                );
                let server = Server::embedded(embedded()?);
                let scratch = server.scratch_database("target")?;
                let client = scratch
                    .config()?
                    .connect(postgres::NoTls)
                    .map_err(|source| db::DbError::Connect {
                        target: "the embedded target".into(),
                        source,
                    })?;
                (
                    client,
                    "an empty embedded database".to_string(),
                    Some(scratch),
                )
            }
            None => {
                return Err(Error::Usage(
                    "no target database: pass --database-url or set DATABASE_URL".into(),
                ));
            }
        };
        let shadow = match &common.dev_url {
            Some(url) => Server::from_url(url),
            None => Server::embedded(embedded()?),
        };
        Ok(Databases {
            target,
            target_label,
            shadow,
            _cluster: cluster,
            _scratch_target: scratch,
        })
    }
}

/// Connects to the target alone (commands that need no shadow).
pub fn connect_target(common: &Common) -> Result<(postgres::Client, String), Error> {
    connect_url(common.database_url.as_deref())
}

pub fn connect_url(url: Option<&str>) -> Result<(postgres::Client, String), Error> {
    let url = url.ok_or_else(|| {
        Error::Usage("no target database: pass --database-url or set DATABASE_URL".into())
    })?;
    let client = db::connect(url)?;
    Ok((client, db::redact(url)))
}

pub fn load_desired(path: &std::path::Path) -> Result<Desired, Error> {
    Ok(yaml::load_path(path)?)
}

/// Takes the apply lock on the target, saying whom it waits for.
pub fn take_lock(client: &mut Client, no_wait: bool) -> Result<(), Error> {
    history::lock(client, no_wait, &mut |holder| {
        eprintln!(
            "waiting for another schemaplan session to finish with this database ({holder}); --no-wait fails instead"
        )
    })?;
    Ok(())
}
