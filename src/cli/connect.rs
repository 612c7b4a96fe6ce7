//! Where a command's databases are: the target (or an embedded empty one for `plan`), the
//! shadow server, and the desired state read from disk.

use std::path::PathBuf;
use std::sync::{Arc, OnceLock};

use postgres::Client;
use schemaplan::error::Error;
use schemaplan::pg::binaries;
use schemaplan::pg::cluster::{ClusterError, ClusterOptions, EmbeddedCluster};
use schemaplan::pg::conn::{Env, Target, redact};
use schemaplan::pg::db::{self, Server};
use schemaplan::pg::history;
use schemaplan::pg::introspect::Sessions;
use schemaplan::pipeline::Shadow;
use schemaplan::yaml::{self, Desired};

use super::args::Common;
use super::feedback::Feedback;

/// Where the target comes from, in libpq's terms: a connection string (`--database-url` or
/// `DATABASE_URL`, a URL or `key=value` string), else the PG* environment when it names a host,
/// database or service (as `psql` with no arguments); `None` when nothing names one.
pub fn target(url: Option<&str>, env: &Env) -> Result<Option<Target>, Error> {
    let target = match url {
        Some(url) => Some(Target::parse(url, env).map_err(|e| settings(&redact(url), e))?),
        None => Target::from_environment(env).map_err(|e| settings("the PG* environment", e))?,
    };
    Ok(target)
}

/// A target is required: say where one can come from.
pub fn required(target: Option<Target>) -> Result<Target, Error> {
    target.ok_or_else(|| {
        Error::Usage(
            "no target database: pass --database-url, set DATABASE_URL, or set PGHOST, \
             PGDATABASE or PGSERVICE as for psql"
                .into(),
        )
    })
}

fn settings(label: &str, source: schemaplan::pg::conn::ConnError) -> Error {
    Error::Db(db::DbError::Connect {
        target: label.to_string(),
        source,
    })
}

/// Where a command's databases live: the target, and a server for shadow databases.
pub struct Databases {
    pub target: postgres::Client,
    pub target_label: String,
    /// The target is an empty database in an embedded cluster (nothing named a target).
    pub embedded_target: bool,
    pub shadow: LazyShadow,
    /// How the target was reached (`None` for an embedded one): a second session watches long
    /// statements through it (`pg::watch`).
    pub target_settings: Option<Target>,
    /// Kept alive while the databases are in use; removed on drop.
    _cluster: Option<Arc<EmbeddedCluster>>,
    _scratch_target: Option<db::ScratchDatabase>,
}

impl Databases {
    /// Helper sessions on the target for reading a large catalog (`introspect::Sessions`):
    /// connected as the target was, or to the embedded one.
    pub fn target_sessions(&self) -> Option<Sessions> {
        let settings = (self.target_settings.clone())
            .or_else(|| self._scratch_target.as_ref().map(|db| db.target()))?;
        Some(Sessions::to(&settings))
    }

    /// Connects to the target (a writable primary when `writable`), or — when
    /// `allow_embedded_target` and nothing names a target — creates an empty database in an
    /// embedded cluster.
    pub fn open(
        common: &Common,
        allow_embedded_target: bool,
        writable: bool,
        feedback: &Feedback,
    ) -> Result<Databases, Error> {
        let env = Env::from_process();
        let mut cluster: Option<Arc<EmbeddedCluster>> = None;
        let mut embedded = || -> Result<Arc<EmbeddedCluster>, Error> {
            if cluster.is_none() {
                feedback.begin("starting an embedded PostgreSQL cluster");
                cluster = Some(Arc::new(EmbeddedCluster::start_own()?));
            }
            Ok(cluster.clone().expect("started above"))
        };
        let named = target(common.database_url.as_deref(), &env)?;
        let mut target_settings = None;
        let (mut target, target_label, scratch) = match named {
            Some(t) => {
                let (client, label, settings) = open_target(t, writable, feedback)?;
                target_settings = Some(settings);
                (client, label, None)
            }
            None if allow_embedded_target => {
                let server = Server::embedded(embedded()?)?;
                let scratch = server.scratch_database("target")?;
                let client = scratch.connect_again()?;
                (
                    client,
                    "an empty embedded database".to_string(),
                    Some(scratch),
                )
            }
            None => return Err(required(None).expect_err("no target was named")),
        };
        let shadow = match &common.dev_url {
            Some(url) => {
                feedback.begin("connecting to the --dev-url server");
                let server = Server::from_target(
                    Target::parse(url, &env).map_err(|e| settings(&redact(url), e))?,
                );
                warn_if_superuser(&server, feedback)?;
                LazyShadow::ready(server)
            }
            // An embedded target and its shadow are one cluster, of one version.
            None if scratch.is_some() => LazyShadow::ready(Server::embedded(embedded()?)?),
            None => {
                let major = target_major(&mut target, &target_label)?;
                // Found now (no binaries of that version: ask for --dev-url before anything
                // else), started only when a shadow database is needed.
                let bindir = binaries::for_major(major).map_err(ClusterError::from)?;
                LazyShadow::starting(bindir)
            }
        };
        Ok(Databases {
            target,
            target_label,
            embedded_target: scratch.is_some(),
            shadow,
            target_settings,
            _cluster: cluster,
            _scratch_target: scratch,
        })
    }
}

/// The server for shadow databases: given, or an embedded cluster of the target's version
/// started the first time the pipeline asks for it (a plan that changes nothing never does).
pub struct LazyShadow {
    server: OnceLock<Server>,
    /// The binaries of the cluster to start, when none is given.
    bindir: Option<PathBuf>,
}

impl LazyShadow {
    fn ready(server: Server) -> LazyShadow {
        LazyShadow {
            server: OnceLock::from(server),
            bindir: None,
        }
    }

    fn starting(bindir: PathBuf) -> LazyShadow {
        LazyShadow {
            server: OnceLock::new(),
            bindir: Some(bindir),
        }
    }
}

impl Shadow for LazyShadow {
    fn server(&self) -> Result<&Server, Error> {
        if let Some(server) = self.server.get() {
            return Ok(server);
        }
        let cluster = EmbeddedCluster::start_own_with(ClusterOptions {
            bindir: self.bindir.clone(),
            ..ClusterOptions::default()
        })?;
        let started = Server::embedded(Arc::new(cluster))?;
        Ok(self.server.get_or_init(|| started))
    }
}

/// The target's major version, which the embedded shadow must run (`pg::binaries`).
fn target_major(target: &mut Client, label: &str) -> Result<u32, Error> {
    let row = target
        .query_one(
            "SELECT pg_catalog.current_setting('server_version_num')::int",
            &[],
        )
        .map_err(|source| {
            Error::Db(db::DbError::Query {
                what: "reading the server version".into(),
                target: label.to_string(),
                source,
            })
        })?;
    Ok(binaries::major_of_version_num(row.get(0)))
}

/// SQL from the desired state runs on the `--dev-url` server as its role: say so when that role
/// is a superuser (the embedded cluster's shadow role never is).
fn warn_if_superuser(server: &Server, feedback: &Feedback) -> Result<(), Error> {
    if let Some((role, true)) = server.dev_role()? {
        feedback.say(|| {
            eprintln!(
                "warning: the --dev-url role {role} is a superuser: SQL from the YAML runs with \
                 its rights on that server; use a role with CREATEDB only"
            )
        });
    }
    Ok(())
}

/// Connects to the target alone (commands that need no shadow); `writable` for commands that
/// change the schema (`apply`, `rollback`), which also say where they connected.
pub fn connect_target(
    url: Option<&str>,
    writable: bool,
    feedback: &Feedback,
) -> Result<(Client, String, Target), Error> {
    let target = required(target(url, &Env::from_process())?)?;
    open_target(target, writable, feedback)
}

/// Connects to `target`; returns the session, the target's label, and the settings it was
/// reached with (a writable primary when `writable`).
fn open_target(
    target: Target,
    writable: bool,
    feedback: &Feedback,
) -> Result<(Client, String, Target), Error> {
    feedback.begin("connecting to the target");
    let target = if writable {
        target.writable().map_err(|source| {
            Error::Db(db::DbError::Connect {
                target: target.label().to_string(),
                source,
            })
        })?
    } else {
        target
    };
    let connection = db::connect(&target)?;
    if writable {
        let line = format!(
            "Connected to {} as {}, {}.",
            connection.server,
            target.params().get("user").unwrap_or("?"),
            connection.security
        );
        feedback.say(|| eprintln!("{line}"));
    }
    let label = target.label().to_string();
    Ok((connection.client, label, target))
}

pub fn load_desired(path: &std::path::Path) -> Result<Desired, Error> {
    Ok(yaml::load_path(path)?)
}

/// Takes the apply lock on the target, saying whom it waits for.
pub fn take_lock(client: &mut Client, no_wait: bool, feedback: &Feedback) -> Result<(), Error> {
    feedback.begin("taking the apply lock");
    history::lock(client, no_wait, &mut |holder| {
        let line = format!(
            "waiting for another schemaplan session to finish with this database ({holder}); --no-wait fails instead"
        );
        feedback.say(|| eprintln!("{line}"));
    })?;
    Ok(())
}

/// Shadow servers for a fleet: the `--dev-url` server for every version, or an embedded cluster
/// per major version, each started the first time a plan of that version needs one.
pub struct FleetShadows {
    dev: Option<Arc<LazyShadow>>,
    embedded: std::sync::Mutex<std::collections::BTreeMap<u32, Arc<LazyShadow>>>,
}

impl FleetShadows {
    pub fn new(dev_url: Option<&str>, feedback: &Feedback) -> Result<FleetShadows, Error> {
        let dev = match dev_url {
            Some(url) => {
                let env = Env::from_process();
                let server = Server::from_target(
                    Target::parse(url, &env).map_err(|e| settings(&redact(url), e))?,
                );
                warn_if_superuser(&server, feedback)?;
                Some(Arc::new(LazyShadow::ready(server)))
            }
            None => None,
        };
        Ok(FleetShadows {
            dev,
            embedded: Default::default(),
        })
    }
}

impl schemaplan::pipeline::fleet::Shadows for FleetShadows {
    fn for_major(&self, major: u32) -> Result<Arc<dyn Shadow + Send + Sync>, Error> {
        if let Some(dev) = &self.dev {
            return Ok(dev.clone());
        }
        let mut map = self.embedded.lock().expect("unpoisoned");
        if let Some(s) = map.get(&major) {
            return Ok(s.clone());
        }
        let bindir = binaries::for_major(major).map_err(ClusterError::from)?;
        let shadow = Arc::new(LazyShadow::starting(bindir));
        map.insert(major, shadow.clone());
        Ok(shadow)
    }
}
