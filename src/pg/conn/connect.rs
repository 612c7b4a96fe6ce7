//! Opening a connection as libpq does: every host in turn (and every address of a host name),
//! the TLS attempts `sslmode` calls for, the password from the string, the environment or the
//! password file, and the session `target_session_attrs` asks for. Every failed attempt is
//! kept, worded as libpq words it, and reported together when no host gave a connection.

use std::net::{IpAddr, SocketAddr, ToSocketAddrs};

use postgres::config::{ChannelBinding, SslMode as DriverSslMode, SslNegotiation};
use postgres::{Client, NoTls};

use super::env::Env;
use super::error::ConnError;
use super::hosts::{HostSpec, hosts};
use super::params::{Params, parse};
use super::pgpass;
use super::redact::redact;
use super::resolve::resolve;
use super::server_message::server_message;
use super::tls::{self, Attempt, TlsPolicy};
use super::validate;

/// A resolved connection target: the parameters libpq would use, after the service file, the
/// environment and the defaults, and a label for messages that never shows a password.
#[derive(Clone, Debug)]
pub struct Target {
    params: Params,
    env: Env,
    label: String,
}

/// What the session must be (`target_session_attrs`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SessionAttrs {
    Any,
    ReadWrite,
    ReadOnly,
    Primary,
    Standby,
    PreferStandby,
}

impl SessionAttrs {
    fn parse(value: &str) -> Result<SessionAttrs, ConnError> {
        Ok(match value {
            "any" => SessionAttrs::Any,
            "read-write" => SessionAttrs::ReadWrite,
            "read-only" => SessionAttrs::ReadOnly,
            "primary" => SessionAttrs::Primary,
            "standby" => SessionAttrs::Standby,
            "prefer-standby" => SessionAttrs::PreferStandby,
            other => {
                return Err(ConnError::settings(format!(
                    "invalid target_session_attrs value: \"{other}\""
                )));
            }
        })
    }
}

/// An open connection and where it went.
pub struct Connection {
    pub client: Client,
    /// `localhost:5432 (127.0.0.1)`, or the socket path.
    pub server: String,
    /// `TLS (TLSv1.3, verify-full)` or `no TLS`.
    pub security: String,
}

impl Target {
    /// Parses `conninfo` (a URL or `key=value` string; empty for the environment alone) and
    /// fills in what it leaves out as libpq does.
    pub fn parse(conninfo: &str, env: &Env) -> Result<Target, ConnError> {
        // schemaplan names itself in pg_stat_activity unless the settings name another.
        let given = parse(conninfo)?.with_fallback_application_name("schemaplan");
        let params = resolve(given, env)?;
        let label = if conninfo.trim().is_empty() {
            describe(&params)
        } else {
            redact(conninfo)
        };
        Ok(Target {
            params,
            env: env.clone(),
            label,
        })
    }

    /// The target the environment alone names (PGHOST, PGHOSTADDR, PGDATABASE or PGSERVICE
    /// set), as `psql` with no arguments would connect; `None` when it names none.
    pub fn from_environment(env: &Env) -> Result<Option<Target>, ConnError> {
        let named = ["PGHOST", "PGHOSTADDR", "PGDATABASE", "PGSERVICE"]
            .iter()
            .any(|v| env.var(v).is_some());
        if !named {
            return Ok(None);
        }
        let mut target = Target::parse("", env)?;
        target.label = format!("{} (from the environment)", target.label);
        Ok(Some(target))
    }

    /// The same server and settings, another database.
    pub fn with_dbname(&self, dbname: &str) -> Target {
        let mut params = self.params.clone();
        params.set("dbname", dbname);
        Target {
            label: describe(&params),
            params,
            env: self.env.clone(),
        }
    }

    /// How messages name this target: the string it was given, password hidden.
    pub fn label(&self) -> &str {
        &self.label
    }

    pub fn params(&self) -> &Params {
        &self.params
    }

    /// Waits at most `seconds` for each host (for cleanups that must not hang).
    pub fn set_connect_timeout(&mut self, seconds: u64) {
        self.params.set("connect_timeout", seconds.to_string());
    }

    /// The same target, but only a writable primary will do (what `apply` and `rollback` need):
    /// `target_session_attrs` `any` (the default) becomes `read-write`; a setting that asks for
    /// a standby is refused.
    pub fn writable(&self) -> Result<Target, ConnError> {
        let attrs = SessionAttrs::parse(self.params.get("target_session_attrs").unwrap_or("any"))?;
        let mut out = self.clone();
        match attrs {
            SessionAttrs::Any => out.params.set("target_session_attrs", "read-write"),
            SessionAttrs::ReadWrite | SessionAttrs::Primary => {}
            SessionAttrs::ReadOnly | SessionAttrs::Standby | SessionAttrs::PreferStandby => {
                return Err(ConnError::settings(format!(
                    "target_session_attrs={} asks for a standby or a read-only session, but \
                     changing the schema needs a writable primary",
                    self.params.get("target_session_attrs").unwrap_or_default()
                )));
            }
        }
        Ok(out)
    }

    /// Connects to the first host that gives a session of the kind asked for.
    pub fn connect(&self) -> Result<Connection, ConnError> {
        let attrs = SessionAttrs::parse(self.params.get("target_session_attrs").unwrap_or("any"))?;
        let policy = tls::policy(&self.params, &self.env)?;
        let hosts = hosts(&self.params)?;
        let mut failures = Vec::new();
        // prefer-standby: a standby on any host first, then whatever answers.
        let passes: &[SessionAttrs] = match attrs {
            SessionAttrs::PreferStandby => &[SessionAttrs::Standby, SessionAttrs::Any],
            _ => std::slice::from_ref(&attrs),
        };
        for &pass in passes {
            for host in &hosts {
                if let Some(connection) = self.try_host(host, &policy, pass, &mut failures)? {
                    return Ok(connection);
                }
            }
        }
        Err(ConnError::Failed(failures))
    }

    /// Every address of one host, each with the TLS attempts the policy makes.
    fn try_host(
        &self,
        host: &HostSpec,
        policy: &TlsPolicy,
        attrs: SessionAttrs,
        failures: &mut Vec<String>,
    ) -> Result<Option<Connection>, ConnError> {
        let addresses = match addresses(host) {
            Ok(a) => a,
            Err(message) => {
                failures.push(message);
                return Ok(None);
            }
        };
        let password = self.password_for(host);
        for address in addresses {
            let place = place(host, address.as_ref());
            // TLS is never used on a unix socket, whatever sslmode says (as libpq).
            let attempts: &[Attempt] = if host.is_socket {
                &[Attempt::Plain]
            } else {
                policy.attempts()
            };
            // Under `prefer`, a server that refuses TLS is answered on the same connection (the
            // driver's own prefer), as libpq does: no second connection for it.
            let in_place = attempts == [Attempt::Tls, Attempt::Plain];
            for (i, &attempt) in attempts.iter().enumerate() {
                let tried = self.attempt(
                    host,
                    address.as_ref(),
                    password.as_deref(),
                    attempt,
                    in_place,
                    policy,
                );
                match tried {
                    Ok(mut client) => {
                        if let Some(why) = session_mismatch(&mut client, attrs) {
                            failures.push(format!("{place} failed: {why}"));
                            break;
                        }
                        let security = match attempt {
                            Attempt::Plain => "no TLS".to_string(),
                            Attempt::Tls if in_place => {
                                format!("TLS if the server offers it ({})", policy.description())
                            }
                            Attempt::Tls => format!("TLS ({})", policy.description()),
                        };
                        return Ok(Some(Connection {
                            client,
                            server: place_short(host, address.as_ref()),
                            security,
                        }));
                    }
                    Err(Refused { message, answered }) => {
                        failures.push(format!("{place} failed: {message}"));
                        // libpq tries the other kind of connection only when this one was
                        // refused (by the server, or by a TLS file problem on our side); a host
                        // that cannot be reached is left.
                        if !(answered && i + 1 < attempts.len()) {
                            break;
                        }
                    }
                }
            }
        }
        Ok(None)
    }

    /// One connection attempt, plain or TLS, at one address.
    fn attempt(
        &self,
        host: &HostSpec,
        address: Option<&SocketAddr>,
        password: Option<&str>,
        attempt: Attempt,
        in_place: bool,
        policy: &TlsPolicy,
    ) -> Result<Client, Refused> {
        let config = self.config(host, address, password, attempt, in_place);
        let connector = match attempt {
            Attempt::Plain => None,
            // The name libpq checks the certificate against and sends as SNI: `host`, never
            // `hostaddr`.
            Attempt::Tls => Some(
                policy
                    .connector(tls_name(host))
                    .map_err(|message| Refused {
                        message,
                        answered: true,
                    })?,
            ),
        };
        // libpq's connect_timeout bounds the whole attempt, startup included; the driver's
        // bounds only the TCP connect. A server that accepts and never answers is left to its
        // thread, which ends with the process.
        let limit = validate::connect_timeout(&self.params).ok().flatten();
        let tried_tls = connector.is_some();
        let outcome = within(limit, move || match connector {
            None => config.connect(NoTls),
            Some(connector) => config.connect(connector),
        })
        .ok_or_else(|| Refused {
            message: "timeout expired".into(),
            answered: false,
        })?;
        let over_tls = tried_tls && policy.handshake_made();
        outcome.map_err(|e| Refused {
            message: unbound_in_libpqs_words(
                policy
                    .describe_error(&e)
                    .unwrap_or_else(|| server_message(&e)),
                over_tls,
            ),
            answered: e.as_db_error().is_some() || is_tls_refusal(&e),
        })
    }

    /// The password: given, or from the password file for this host.
    fn password_for(&self, host: &HostSpec) -> Option<String> {
        if let Some(p) = self.params.get("password").filter(|p| !p.is_empty()) {
            return Some(p.to_string());
        }
        let found = pgpass::lookup(&self.params, host, &self.env);
        if let Some(warning) = &found.warning {
            eprintln!("{warning}");
        }
        found.password
    }

    /// The driver's configuration for one attempt at one address.
    fn config(
        &self,
        host: &HostSpec,
        address: Option<&SocketAddr>,
        password: Option<&str>,
        attempt: Attempt,
        fallback_in_place: bool,
    ) -> postgres::Config {
        let p = &self.params;
        let mut config = postgres::Config::new();
        if host.is_socket {
            config.host_path(&host.host);
        } else {
            // The driver needs a host name for TLS even when only `hostaddr` is given; the
            // certificate is checked by the connector against `tls_name`, not this.
            let name = if host.host.is_empty() {
                host.hostaddr.as_deref().unwrap_or_default()
            } else {
                &host.host
            };
            config.host(name);
            if let Some(address) = address {
                config.hostaddr(address.ip());
            }
        }
        config.port(host.port);
        if let Some(user) = p.get("user") {
            config.user(user);
        }
        if let Some(dbname) = p.get("dbname") {
            config.dbname(dbname);
        }
        if let Some(password) = password {
            config.password(password);
        }
        if let Some(options) = p.get("options").filter(|o| !o.is_empty()) {
            config.options(options);
        }
        if let Some(name) = p.application_name() {
            config.application_name(name);
        }
        // Checked when the target was resolved; libpq waits at least two seconds.
        if let Ok(Some(timeout)) = validate::connect_timeout(p) {
            config.connect_timeout(timeout);
        }
        config.ssl_mode(match attempt {
            Attempt::Plain => DriverSslMode::Disable,
            Attempt::Tls if fallback_in_place => DriverSslMode::Prefer,
            Attempt::Tls => DriverSslMode::Require,
        });
        // `channel_binding` (checked when the target was resolved): SCRAM bound to the TLS
        // session's server certificate; `require` refuses a login without it, as libpq does.
        config.channel_binding(match p.get("channel_binding") {
            Some("disable") => ChannelBinding::Disable,
            Some("require") => ChannelBinding::Require,
            _ => ChannelBinding::Prefer,
        });
        if attempt == Attempt::Tls && p.get("sslnegotiation") == Some("direct") {
            config.ssl_negotiation(SslNegotiation::Direct);
        }
        config
    }
}

/// `channel_binding=require` and a login that was not bound to a TLS session: the driver says
/// "server did not use channel binding"; libpq says why, which depends on whether there was TLS.
fn unbound_in_libpqs_words(message: String, over_tls: bool) -> String {
    if !message.contains("server did not use channel binding") {
        message
    } else if over_tls {
        "channel binding required, but server authenticated client without channel binding".into()
    } else {
        "channel binding required, but SSL not in use".into()
    }
}

/// The addresses to try for a host: the socket itself, the `hostaddr` given, or every address
/// the name resolves to.
fn addresses(host: &HostSpec) -> Result<Vec<Option<SocketAddr>>, String> {
    if host.is_socket {
        return Ok(vec![None]);
    }
    if let Some(addr) = &host.hostaddr {
        let ip: IpAddr = addr
            .parse()
            .map_err(|_| format!("could not parse network address \"{addr}\""))?;
        return Ok(vec![Some(SocketAddr::new(ip, host.port))]);
    }
    match (host.host.as_str(), host.port).to_socket_addrs() {
        Ok(addrs) => Ok(addrs.map(Some).collect()),
        Err(e) => Err(format!(
            "could not translate host name \"{}\" to address: {e}",
            host.host
        )),
    }
}

/// How libpq names where it connected: `connection to server at "h" (1.2.3.4), port 5432`.
fn place(host: &HostSpec, address: Option<&SocketAddr>) -> String {
    match address {
        None => format!(
            "connection to server on socket \"{}/.s.PGSQL.{}\"",
            host.host, host.port
        ),
        Some(a) if a.ip().to_string() == host.host => format!(
            "connection to server at \"{}\", port {}",
            host.host, host.port
        ),
        Some(a) => format!(
            "connection to server at \"{}\" ({}), port {}",
            host.host,
            a.ip(),
            host.port
        ),
    }
}

/// `localhost:5432 (127.0.0.1)` or the socket's path, for "connected to …" lines.
fn place_short(host: &HostSpec, address: Option<&SocketAddr>) -> String {
    match address {
        None => format!("{}/.s.PGSQL.{}", host.host, host.port),
        Some(a) if a.ip().to_string() == host.host => format!("{}:{}", host.host, host.port),
        Some(a) => format!("{}:{} ({})", host.host, host.port, a.ip()),
    }
}

/// Why a session does not have the attributes asked for, in libpq's words; `None` when it has.
fn session_mismatch(client: &mut Client, attrs: SessionAttrs) -> Option<String> {
    if attrs == SessionAttrs::Any || attrs == SessionAttrs::PreferStandby {
        return None;
    }
    let row = client
        .query_one(
            "SELECT pg_catalog.current_setting('transaction_read_only') = 'on', \
             pg_catalog.pg_is_in_recovery()",
            &[],
        )
        .ok()?;
    let (read_only, standby): (bool, bool) = (row.get(0), row.get(1));
    match attrs {
        SessionAttrs::ReadWrite if read_only => Some("session is read-only".into()),
        SessionAttrs::ReadOnly if !read_only => Some("session is not read-only".into()),
        SessionAttrs::Primary if standby => Some("server is in hot standby mode".into()),
        SessionAttrs::Standby if !standby => Some("server is not in hot standby mode".into()),
        SessionAttrs::Any
        | SessionAttrs::PreferStandby
        | SessionAttrs::ReadWrite
        | SessionAttrs::ReadOnly
        | SessionAttrs::Primary
        | SessionAttrs::Standby => None,
    }
}

/// Runs `f`, giving up on it after `limit` (`None`: no limit).
fn within<T: Send + 'static>(
    limit: Option<std::time::Duration>,
    f: impl FnOnce() -> T + Send + 'static,
) -> Option<T> {
    let Some(limit) = limit else {
        return Some(f());
    };
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(f());
    });
    rx.recv_timeout(limit).ok()
}

/// Why an attempt gave no connection, and whether the server answered at all.
struct Refused {
    message: String,
    answered: bool,
}

/// The host name a TLS attempt is made for: `host`, or — given only `hostaddr` — the default
/// socket directory, which is what libpq then checks a certificate against (and fails).
fn tls_name(host: &HostSpec) -> &str {
    if host.host.is_empty() {
        super::keywords::DEFAULT_SOCKET_DIR
    } else {
        &host.host
    }
}

/// The server answered the request for TLS with "no".
fn is_tls_refusal(e: &postgres::Error) -> bool {
    e.to_string().contains("server does not support TLS")
}

/// A target named by its parameters (no password): `host=… port=… dbname=… user=…`.
fn describe(params: &Params) -> String {
    ["host", "hostaddr", "port", "dbname", "user", "service"]
        .iter()
        .filter_map(|k| params.get(k).map(|v| format!("{k}={v}")))
        .collect::<Vec<_>>()
        .join(" ")
}
