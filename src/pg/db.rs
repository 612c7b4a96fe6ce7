//! Connections: opening them, naming them in messages without their password, and scratch
//! databases for the shadow.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use postgres::Client;

use crate::pg::conn::server_message::server_message;
use crate::pg::conn::{ConnError, Connection, Env, Params, Target};

use crate::pg::cluster::EmbeddedCluster;
use crate::pg::interrupt::{self, CleanupId};

#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("cannot connect to {target}: {source}")]
    Connect {
        target: String,
        #[source]
        source: ConnError,
    },
    #[error("{what} on {target}: {}", server_message(.source))]
    Query {
        what: String,
        target: String,
        #[source]
        source: postgres::Error,
    },
}

/// Connects to `target` as libpq would (hosts, TLS, password file, session attributes), as
/// `application_name` schemaplan unless the settings name another, so that
/// `pg_stat_activity` — and the apply lock's wait message — shows who is there.
pub fn connect(target: &Target) -> Result<Connection, DbError> {
    target.connect().map_err(|source| DbError::Connect {
        target: target.label().to_string(),
        source,
    })
}

/// A server on which schemaplan may create throwaway databases: the embedded cluster, or the
/// server a `--dev-url` names (whose user needs the CREATEDB privilege).
#[derive(Clone)]
pub struct Server {
    /// The database to connect to for `CREATE DATABASE`, with the server's settings.
    maintenance: Target,
    kind: ServerKind,
}

#[derive(Clone)]
enum ServerKind {
    /// Holds the cluster so that it lives as long as any server value using it.
    Embedded {
        _cluster: Arc<EmbeddedCluster>,
    },
    Url,
}

static SCRATCH_COUNTER: AtomicUsize = AtomicUsize::new(0);

impl Server {
    pub fn embedded(cluster: Arc<EmbeddedCluster>) -> Server {
        // The embedded cluster is schemaplan's own: the user's PG* settings do not apply to it.
        let maintenance = Target::parse(&cluster.conninfo("postgres"), &Env::empty())
            .expect("the embedded cluster's connection string is well formed");
        Server {
            maintenance,
            kind: ServerKind::Embedded { _cluster: cluster },
        }
    }

    /// The server `--dev-url` names (its user needs CREATEDB), resolved as libpq would.
    pub fn from_target(target: Target) -> Server {
        Server {
            maintenance: target,
            kind: ServerKind::Url,
        }
    }

    /// A libpq connection string for the maintenance database (what `--dev-url` takes).
    pub fn maintenance_conninfo(&self) -> String {
        conninfo(self.maintenance.params())
    }

    /// Whether this is schemaplan's own throwaway cluster, where it may create roles.
    fn is_embedded(&self) -> bool {
        matches!(self.kind, ServerKind::Embedded { .. })
    }

    /// Makes sure `roles` exist on this server. Roles belong to the whole cluster: they are
    /// created (`NOLOGIN`) only in the embedded cluster; on a `--dev-url` server the missing
    /// ones are returned, and nothing is created.
    pub fn ensure_roles(
        &self,
        roles: &std::collections::BTreeSet<String>,
    ) -> Result<Vec<String>, DbError> {
        if roles.is_empty() {
            return Ok(Vec::new());
        }
        let query = |what: &str| {
            let what = what.to_string();
            let target = self.describe();
            move |source| DbError::Query {
                what,
                target,
                source,
            }
        };
        let mut client = self.maintenance_client()?;
        let wanted: Vec<&String> = roles.iter().collect();
        let missing: Vec<String> = client
            .query(
                "SELECT r FROM pg_catalog.unnest($1::text[]) r
                 WHERE NOT EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = r)
                 ORDER BY 1",
                &[&wanted],
            )
            .map_err(query("looking up roles"))?
            .iter()
            .map(|row| row.get(0))
            .collect();
        if !self.is_embedded() {
            return Ok(missing);
        }
        for role in &missing {
            client
                .batch_execute(&crate::plan::render::create_role_if_missing(role))
                .map_err(query(&format!("creating role {role}")))?;
        }
        Ok(Vec::new())
    }

    pub fn describe(&self) -> String {
        match &self.kind {
            ServerKind::Embedded { .. } => "the embedded cluster".into(),
            ServerKind::Url => self.maintenance.label().to_string(),
        }
    }

    fn maintenance_client(&self) -> Result<Client, DbError> {
        Ok(connect(&self.maintenance)?.client)
    }

    /// Creates an empty database (from `template0`) that is dropped with the returned value.
    pub fn scratch_database(&self, purpose: &str) -> Result<ScratchDatabase, DbError> {
        let name = format!(
            "schemaplan_{purpose}_{}_{}",
            std::process::id(),
            SCRATCH_COUNTER.fetch_add(1, Ordering::Relaxed)
        );
        let mut admin = self.maintenance_client()?;
        // Registered before it exists, so that a Ctrl-C at any moment drops it (IF EXISTS).
        let cleanup = {
            let (maintenance, name) = (self.maintenance.clone(), name.clone());
            interrupt::register(move || drop_database(&maintenance, &name))
        };
        admin
            .batch_execute(&format!(
                "CREATE DATABASE {} TEMPLATE template0 ENCODING 'UTF8'",
                crate::model::quote::ident(&name)
            ))
            .map_err(|source| DbError::Query {
                what: format!(
                    "creating the scratch database {name} (a --dev-url user needs CREATEDB)"
                ),
                target: self.describe(),
                source,
            })?;
        let client = connect(&self.maintenance.with_dbname(&name))?.client;
        Ok(ScratchDatabase {
            server: self.clone(),
            name,
            client: Some(client),
            cleanup,
        })
    }
}

/// A database that exists for the life of this value.
pub struct ScratchDatabase {
    server: Server,
    pub name: String,
    client: Option<Client>,
    /// What drops the database if the process is interrupted.
    cleanup: CleanupId,
}

impl ScratchDatabase {
    pub fn client(&mut self) -> &mut Client {
        self.client.as_mut().expect("open until drop")
    }

    /// How to reach this database: the server's settings, this database's name.
    pub fn target(&self) -> Target {
        self.server.maintenance.with_dbname(&self.name)
    }

    /// Another connection to this database.
    pub fn connect_again(&self) -> Result<Client, DbError> {
        Ok(connect(&self.target())?.client)
    }

    /// A libpq connection string for this database (for tools such as pg_dump).
    pub fn conninfo(&self) -> String {
        conninfo(self.server.maintenance.with_dbname(&self.name).params())
    }
}

impl Drop for ScratchDatabase {
    fn drop(&mut self) {
        self.client.take();
        drop_database(&self.server.maintenance, &self.name);
        interrupt::forget(self.cleanup);
    }
}

/// Drops a scratch database, disconnecting whoever still uses it; failures are ignored (the
/// database is schemaplan's own, named after the process that made it).
fn drop_database(maintenance: &Target, name: &str) {
    let mut quick = maintenance.clone();
    quick.set_connect_timeout(5);
    if let Ok(mut admin) = connect(&quick) {
        let _ = admin.client.batch_execute(&format!(
            "DROP DATABASE IF EXISTS {} WITH (FORCE)",
            crate::model::quote::ident(name)
        ));
    }
}

/// A libpq `key=value` string for a child process such as pg_dump (password included: it is
/// never for a message). Only parameters every libpq since 13 knows are written, so that an
/// older client accepts the string; the defaults it leaves out are the same ones.
fn conninfo(params: &Params) -> String {
    const PORTABLE: &[&str] = &[
        "host",
        "hostaddr",
        "port",
        "dbname",
        "user",
        "password",
        "passfile",
        "options",
        "application_name",
        "connect_timeout",
        "sslmode",
        "sslrootcert",
        "sslcert",
        "sslkey",
        "sslcrl",
        "target_session_attrs",
    ];
    let quote = |v: &str| format!("'{}'", v.replace('\\', "\\\\").replace('\'', "\\'"));
    PORTABLE
        .iter()
        .filter_map(|k| params.get(k).map(|v| format!("{k}={}", quote(v))))
        .collect::<Vec<_>>()
        .join(" ")
}
