//! Connections: opening them, naming them in messages without their password, and scratch
//! databases for the shadow.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use postgres::{Client, NoTls};

use crate::pg::cluster::EmbeddedCluster;
use crate::pg::interrupt::{self, CleanupId};

#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("cannot connect to {target}: {source}")]
    Connect {
        target: String,
        #[source]
        source: postgres::Error,
    },
    #[error("{what} on {target}: {source}")]
    Query {
        what: String,
        target: String,
        #[source]
        source: postgres::Error,
    },
}

/// Hides the password of a connection URL or key=value string, for every message that names one.
pub fn redact(conn: &str) -> String {
    match conn.find("://") {
        Some(scheme_end) => redact_url(conn, scheme_end + 3),
        None => redact_keywords(conn),
    }
}

/// `scheme://user:password@host/db?password=…`. The user information ends at the last `@`
/// before the query (a password may hold `/`).
fn redact_url(url: &str, start: usize) -> String {
    let rest = &url[start..];
    let query = rest.find('?').unwrap_or(rest.len());
    let mut out = String::with_capacity(url.len());
    match rest[..query].rfind('@') {
        Some(at) => {
            let userinfo = &rest[..at];
            match userinfo.find(':') {
                Some(colon) => {
                    out.push_str(&url[..start + colon + 1]);
                    out.push_str("***");
                    out.push_str(&rest[at..query]);
                }
                None => out.push_str(&url[..start + query]),
            }
        }
        None => out.push_str(&url[..start + query]),
    }
    // Query parameters: password=…&…
    let params = &rest[query..];
    let mut first = true;
    for part in params.trim_start_matches('?').split('&') {
        if params.is_empty() {
            break;
        }
        out.push(if first { '?' } else { '&' });
        first = false;
        match part.split_once('=') {
            Some((k, _)) if k == "password" => {
                out.push_str(k);
                out.push_str("=***");
            }
            _ => out.push_str(part),
        }
    }
    out
}

/// libpq `key = value` pairs: spaces may surround `=`, values may be single-quoted with
/// backslash escapes.
fn redact_keywords(s: &str) -> String {
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::with_capacity(s.len());
    let mut i = 0;
    let copy_while = |i: &mut usize, out: &mut String, pred: &dyn Fn(char) -> bool| {
        while *i < chars.len() && pred(chars[*i]) {
            out.push(chars[*i]);
            *i += 1;
        }
    };
    while i < chars.len() {
        copy_while(&mut i, &mut out, &|c| c.is_whitespace());
        let key_start = out.len();
        copy_while(&mut i, &mut out, &|c| c != '=' && !c.is_whitespace());
        let key = out[key_start..].to_string();
        copy_while(&mut i, &mut out, &|c| c.is_whitespace());
        if i < chars.len() && chars[i] == '=' {
            out.push('=');
            i += 1;
        } else {
            continue;
        }
        copy_while(&mut i, &mut out, &|c| c.is_whitespace());
        let mut value = String::new();
        if i < chars.len() && chars[i] == '\'' {
            value.push('\'');
            i += 1;
            while i < chars.len() {
                let c = chars[i];
                value.push(c);
                i += 1;
                if c == '\\' && i < chars.len() {
                    value.push(chars[i]);
                    i += 1;
                } else if c == '\'' {
                    break;
                }
            }
        } else {
            while i < chars.len() && !chars[i].is_whitespace() {
                value.push(chars[i]);
                i += 1;
            }
        }
        if key == "password" {
            out.push_str("***");
        } else {
            out.push_str(&value);
        }
    }
    out
}

/// Connects as `application_name` schemaplan (unless the string names another), so that
/// `pg_stat_activity` — and the apply lock's wait message — shows who is there.
pub fn connect(conn: &str) -> Result<Client, DbError> {
    let error = |source| DbError::Connect {
        target: redact(conn),
        source,
    };
    let mut config: postgres::Config = conn.parse().map_err(error)?;
    if config.get_application_name().is_none() {
        config.application_name("schemaplan");
    }
    config.connect(NoTls).map_err(error)
}

/// A server on which schemaplan may create throwaway databases: the embedded cluster, or the
/// server a `--dev-url` names (whose user needs the CREATEDB privilege).
#[derive(Clone)]
pub struct Server {
    /// Connection string of a database to connect to for `CREATE DATABASE`.
    maintenance: String,
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
        Server {
            maintenance: cluster.conninfo("postgres"),
            kind: ServerKind::Embedded { _cluster: cluster },
        }
    }

    pub fn from_url(url: &str) -> Server {
        Server {
            maintenance: url.to_string(),
            kind: ServerKind::Url,
        }
    }

    /// The connection string schemaplan uses for `CREATE DATABASE` (what `--dev-url` takes).
    pub fn maintenance_conninfo(&self) -> &str {
        &self.maintenance
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
            ServerKind::Url => redact(&self.maintenance),
        }
    }

    /// Connection parameters for database `dbname` on this server.
    fn config_for(&self, dbname: &str) -> Result<postgres::Config, DbError> {
        let mut config: postgres::Config =
            self.maintenance
                .parse()
                .map_err(|source| DbError::Connect {
                    target: self.describe(),
                    source,
                })?;
        config.dbname(dbname);
        Ok(config)
    }

    /// A libpq connection string for `dbname` on this server (for tools such as pg_dump).
    fn conninfo_for(&self, dbname: &str) -> Result<String, DbError> {
        let config = self.config_for(dbname)?;
        let quote = |v: &str| format!("'{}'", v.replace('\\', "\\\\").replace('\'', "\\'"));
        let mut parts = Vec::new();
        if let Some(host) = config.get_hosts().first() {
            let h = match host {
                postgres::config::Host::Tcp(h) => h.clone(),
                postgres::config::Host::Unix(p) => p.display().to_string(),
            };
            parts.push(format!("host={}", quote(&h)));
        }
        if let Some(port) = config.get_ports().first() {
            parts.push(format!("port={port}"));
        }
        if let Some(user) = config.get_user() {
            parts.push(format!("user={}", quote(user)));
        }
        if let Some(pw) = config.get_password() {
            parts.push(format!("password={}", quote(&String::from_utf8_lossy(pw))));
        }
        parts.push(format!("dbname={}", quote(dbname)));
        Ok(parts.join(" "))
    }

    fn maintenance_client(&self) -> Result<Client, DbError> {
        connect(&self.maintenance)
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
        let config = self.config_for(&name)?;
        let client = config.connect(NoTls).map_err(|source| DbError::Connect {
            target: format!("{} (database {name})", self.describe()),
            source,
        })?;
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

    pub fn config(&self) -> Result<postgres::Config, DbError> {
        self.server.config_for(&self.name)
    }

    pub fn conninfo(&self) -> Result<String, DbError> {
        self.server.conninfo_for(&self.name)
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
fn drop_database(maintenance: &str, name: &str) {
    let Ok(mut config) = maintenance.parse::<postgres::Config>() else {
        return;
    };
    config.connect_timeout(std::time::Duration::from_secs(5));
    if let Ok(mut admin) = config.connect(NoTls) {
        let _ = admin.batch_execute(&format!(
            "DROP DATABASE IF EXISTS {} WITH (FORCE)",
            crate::model::quote::ident(name)
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::redact;

    #[test]
    fn passwords_never_show() {
        assert_eq!(
            redact("postgres://app:s3cret@db.example:5432/prod"),
            "postgres://app:***@db.example:5432/prod"
        );
        assert_eq!(
            redact("postgresql://app@db/prod?password=s3cret&sslmode=disable"),
            "postgresql://app@db/prod?password=***&sslmode=disable"
        );
        assert_eq!(
            redact("host=db user=app password=s3cret dbname=prod"),
            "host=db user=app password=*** dbname=prod"
        );
        assert_eq!(
            redact("host=db password='a b' dbname=prod"),
            "host=db password=*** dbname=prod"
        );
        assert_eq!(redact("postgres://app@db/prod"), "postgres://app@db/prod");
        assert_eq!(
            redact("host=db password = hunter2 dbname=prod"),
            "host=db password = *** dbname=prod"
        );
        assert_eq!(
            redact("host=db\tpassword='it\\'s secret' dbname=prod"),
            "host=db\tpassword=*** dbname=prod"
        );
        assert_eq!(
            redact("postgres://app:hun/ter2@host/db"),
            "postgres://app:***@host/db"
        );
    }
}
