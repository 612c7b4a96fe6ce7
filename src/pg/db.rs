//! Connections: opening them, naming them in messages without their password, and scratch
//! databases for the shadow.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use postgres::Client;

use crate::pg::conn::server_message::server_message;
use crate::pg::conn::{ConnError, Connection, Env, Params, Target};

use crate::pg::cluster::EmbeddedCluster;
use crate::pg::interrupt::{self, CleanupId};
use crate::pg::privileged;

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
    /// The database to connect to for `CREATE DATABASE`, with the server's settings: as the
    /// bootstrap superuser on the embedded cluster, as the `--dev-url` user otherwise.
    maintenance: Target,
    kind: ServerKind,
}

#[derive(Clone)]
enum ServerKind {
    Embedded {
        /// Holds the cluster so that it lives as long as any server value using it.
        _cluster: Arc<EmbeddedCluster>,
        /// The maintenance database as the shadow role (see `privileged`).
        shadow: Target,
    },
    Url,
}

static SCRATCH_COUNTER: AtomicUsize = AtomicUsize::new(0);

impl Server {
    /// schemaplan's own cluster, with its shadow role made ready.
    pub fn embedded(cluster: Arc<EmbeddedCluster>) -> Result<Server, DbError> {
        // The embedded cluster is schemaplan's own: the user's PG* settings do not apply to it.
        let parse = |conninfo: String| {
            Target::parse(&conninfo, &Env::empty())
                .expect("the embedded cluster's connection string is well formed")
        };
        let maintenance = parse(cluster.conninfo("postgres"));
        let shadow = parse(cluster.conninfo_as(privileged::SHADOW_ROLE, "postgres"));
        let server = Server {
            maintenance,
            kind: ServerKind::Embedded {
                _cluster: cluster,
                shadow,
            },
        };
        let mut admin = server.maintenance_client()?;
        privileged::prepare_cluster(&mut admin).map_err(|source| DbError::Query {
            what: "creating the shadow role".into(),
            target: server.describe(),
            source,
        })?;
        Ok(server)
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

    /// The role SQL from the desired state runs as on a `--dev-url` server, and whether it is a
    /// superuser there (`None` for the embedded cluster, whose shadow role never is).
    pub fn dev_role(&self) -> Result<Option<(String, bool)>, DbError> {
        if self.is_embedded() {
            return Ok(None);
        }
        let row = self
            .maintenance_client()?
            .query_one(
                "SELECT current_user::text, pg_catalog.current_setting('is_superuser') = 'on'",
                &[],
            )
            .map_err(|source| DbError::Query {
                what: "reading the role's attributes".into(),
                target: self.describe(),
                source,
            })?;
        Ok(Some((row.get(0), row.get(1))))
    }

    /// Makes sure `roles` exist on this server. Roles belong to the whole cluster: they are
    /// created (`NOLOGIN`, by the bootstrap superuser: see `privileged`) only in the embedded
    /// cluster; on a `--dev-url` server the missing ones are returned, and nothing is created.
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
        privileged::create_roles(&mut client, &missing)
            .map_err(query(&format!("creating roles {}", missing.join(", "))))?;
        Ok(Vec::new())
    }

    /// On the embedded cluster, makes the target's role a role the shadow role may become in
    /// the rehearsal (`privileged::prepare_stand_in`); whether it may. Always `false` on a
    /// `--dev-url` server, whose role does everything.
    pub fn stand_in(
        &self,
        role: &str,
        bypass_rls: bool,
        acts_for: &std::collections::BTreeSet<String>,
    ) -> Result<bool, DbError> {
        if !self.is_embedded() {
            return Ok(false);
        }
        let acts_for: Vec<String> = acts_for.iter().cloned().collect();
        privileged::prepare_stand_in(&mut self.maintenance_client()?, role, bypass_rls, &acts_for)
            .map_err(|source| DbError::Query {
                what: format!("preparing the role {role} for the rehearsal"),
                target: self.describe(),
                source,
            })
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

    /// Creates an empty database (from `template0`) that is dropped with the returned value,
    /// as the server's own user (the bootstrap superuser of the embedded cluster): a database
    /// to stand for a target, never one where SQL from the desired state runs.
    pub fn scratch_database(&self, purpose: &str) -> Result<ScratchDatabase, DbError> {
        self.create_database(purpose, &self.maintenance, None)
    }

    /// Creates an empty database for the shadow or the rehearsal, dropped with the returned
    /// value. On the embedded cluster it belongs to the shadow role, whose session
    /// [`ScratchDatabase::client`] is, and [`ScratchDatabase::sessions`] adds the bootstrap
    /// superuser's (see `privileged`); on a `--dev-url` server both are its user.
    pub fn shadow_database(&self, purpose: &str) -> Result<ScratchDatabase, DbError> {
        match &self.kind {
            ServerKind::Embedded { shadow, .. } => {
                self.create_database(purpose, shadow, Some(&self.maintenance))
            }
            ServerKind::Url => self.create_database(purpose, &self.maintenance, None),
        }
    }

    /// Creates a database as `owner` (connected to the maintenance database) and connects to
    /// it as `owner`; `admin`, when given, is the bootstrap superuser.
    fn create_database(
        &self,
        purpose: &str,
        owner: &Target,
        admin: Option<&Target>,
    ) -> Result<ScratchDatabase, DbError> {
        let name = format!(
            "schemaplan_{purpose}_{}_{}",
            std::process::id(),
            SCRATCH_COUNTER.fetch_add(1, Ordering::Relaxed)
        );
        let mut creator = connect(owner)?.client;
        // Registered before it exists, so that a Ctrl-C at any moment drops it (IF EXISTS).
        let cleanup = {
            let (maintenance, name) = (self.maintenance.clone(), name.clone());
            interrupt::register(move || drop_database(&maintenance, &name))
        };
        let failed = |what: String| {
            let target = self.describe();
            move |source| DbError::Query {
                what,
                target,
                source,
            }
        };
        let created = creator
            .batch_execute(&format!(
                "CREATE DATABASE {} TEMPLATE template0 ENCODING 'UTF8'",
                crate::model::quote::ident(&name)
            ))
            .map_err(failed(format!(
                "creating the scratch database {name} (a --dev-url user needs CREATEDB)"
            )));
        drop(creator);
        let session = owner.with_dbname(&name);
        // From here on, dropping the value drops the database.
        let mut db = ScratchDatabase {
            server: self.clone(),
            name: name.clone(),
            client: None,
            cleanup,
            session,
            admin: admin.map(|a| a.with_dbname(&name)),
            admin_client: None,
        };
        created?;
        let mut client = connect(&db.session)?.client;
        if let Some(admin) = &db.admin {
            privileged::prepare_database(&mut client, &name)
                .map_err(failed(format!("preparing the scratch database {name}")))?;
            let version = privileged::server_version_num(&mut client)
                .map_err(failed("reading the server version".into()))?;
            // The database's owner: who created it.
            let owner: String = client
                .query_one("SELECT current_user::text", &[])
                .map_err(failed("reading the database's owner".into()))?
                .get(0);
            if let Some(sql) = privileged::public_to_database_owner(version, &owner) {
                let mut admin = connect(admin)?.client;
                admin
                    .batch_execute(&sql)
                    .map_err(failed(format!("handing public of {name} to its owner")))?;
                db.admin_client = Some(admin);
            }
        }
        db.client = Some(client);
        Ok(db)
    }
}

/// A database that exists for the life of this value.
pub struct ScratchDatabase {
    server: Server,
    pub name: String,
    client: Option<Client>,
    /// What drops the database if the process is interrupted.
    cleanup: CleanupId,
    /// How `client` reaches this database (as the shadow role in a shadow database on the
    /// embedded cluster).
    session: Target,
    /// The bootstrap superuser's way to this database, for `privileged`'s statements; `None`
    /// when the session's user does everything.
    admin: Option<Target>,
    admin_client: Option<Client>,
}

impl ScratchDatabase {
    pub fn client(&mut self) -> &mut Client {
        self.client.as_mut().expect("open until drop")
    }

    /// The session, and the bootstrap superuser's session when it is another (connected on
    /// first use): `privileged` says what runs there.
    pub fn sessions(&mut self) -> Result<(&mut Client, Option<&mut Client>), DbError> {
        if let (Some(admin), None) = (&self.admin, &self.admin_client) {
            self.admin_client = Some(connect(admin)?.client);
        }
        Ok((
            self.client.as_mut().expect("open until drop"),
            self.admin_client.as_mut(),
        ))
    }

    /// How to reach this database: the server's settings, this database's name, and the user
    /// of [`ScratchDatabase::client`].
    pub fn target(&self) -> Target {
        self.session.clone()
    }

    /// Another connection to this database, as the user of [`ScratchDatabase::client`].
    pub fn connect_again(&self) -> Result<Client, DbError> {
        Ok(connect(&self.target())?.client)
    }

    /// A libpq connection string for this database (for tools such as pg_dump), as the user of
    /// [`ScratchDatabase::client`].
    pub fn conninfo(&self) -> String {
        conninfo(self.session.params())
    }
}

impl Drop for ScratchDatabase {
    fn drop(&mut self) {
        self.client.take();
        self.admin_client.take();
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
