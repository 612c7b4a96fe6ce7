//! The hosts to try, in order, from the comma-separated `host`, `hostaddr` and `port` lists,
//! by libpq's rules: `hostaddr` (when given) decides how many there are and `host` must then
//! have as many entries; `port` has one entry for all or one per host; an empty entry means the
//! default (the socket directory, port 5432); a host starting with `/` is a unix-socket
//! directory and one starting with `@` an abstract socket.

use super::error::ConnError;
use super::keywords::{DEFAULT_PORT, DEFAULT_SOCKET_DIR};
use super::params::Params;
use super::validate::parse_int;

/// One host to try.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HostSpec {
    /// The host name, or the socket directory. Empty when only `hostaddr` names the host (then
    /// there is no name to verify a certificate against, and libpq refuses `verify-full`).
    pub host: String,
    /// The numeric address to connect to instead of looking `host` up.
    pub hostaddr: Option<String>,
    pub port: u16,
    /// Whether this is a unix-domain socket (`host` is its directory, or `@name`).
    pub is_socket: bool,
}

impl HostSpec {
    /// What libpq names this host by in messages and in the password file: the host, else the
    /// address.
    pub fn name(&self) -> &str {
        match &self.hostaddr {
            Some(addr) if self.host.is_empty() => addr,
            _ => &self.host,
        }
    }
}

/// One slot of the lists, before defaults: the raw entries.
struct Slot<'a> {
    host: &'a str,
    hostaddr: &'a str,
    port: &'a str,
}

/// The lists split into slots, or libpq's message when their lengths do not match.
fn slots(params: &Params) -> Result<Vec<Slot<'_>>, ConnError> {
    let split = |keyword| {
        params
            .nonempty(keyword)
            .map(|v| v.split(',').collect::<Vec<_>>())
    };
    let addrs = split("hostaddr");
    let hosts = split("host");
    let ports = split("port");
    let count = match (&addrs, &hosts) {
        (Some(a), _) => a.len(),
        (None, Some(h)) => h.len(),
        (None, None) => 1,
    };
    if let Some(h) = &hosts {
        if h.len() != count {
            return Err(ConnError::settings(format!(
                "could not match {} host names to {count} hostaddr values",
                h.len()
            )));
        }
    }
    if let Some(p) = &ports {
        if p.len() != 1 && p.len() != count {
            return Err(ConnError::settings(format!(
                "could not match {} port numbers to {count} hosts",
                p.len()
            )));
        }
    }
    Ok((0..count)
        .map(|i| Slot {
            hostaddr: addrs.as_ref().map_or("", |a| a[i]),
            host: hosts.as_ref().map_or("", |h| h[i]),
            port: ports
                .as_ref()
                .map_or("", |p| if p.len() == 1 { p[0] } else { p[i] }),
        })
        .collect())
}

/// Checks only that the lists' lengths match: what libpq checks before the other parameters
/// (the port numbers themselves are read when each host is tried).
pub fn check_counts(params: &Params) -> Result<(), ConnError> {
    slots(params).map(|_| ())
}

/// The hosts to try, in order. A port that is not an integer gives
/// `invalid integer value "x" for connection option "port"`, one outside 1–65535
/// `invalid port number: "x"` (libpq reports the latter when it reaches that host and then
/// tries the next one; here it refuses the parameters).
pub fn hosts(params: &Params) -> Result<Vec<HostSpec>, ConnError> {
    slots(params)?
        .into_iter()
        .map(|slot| {
            let port = if slot.port.is_empty() {
                DEFAULT_PORT
            } else {
                let n = parse_int(slot.port, "port")?;
                u16::try_from(n).ok().filter(|&p| p > 0).ok_or_else(|| {
                    ConnError::settings(format!("invalid port number: \"{}\"", slot.port))
                })?
            };
            Ok(if !slot.hostaddr.is_empty() {
                HostSpec {
                    host: slot.host.to_string(),
                    hostaddr: Some(slot.hostaddr.to_string()),
                    port,
                    is_socket: false,
                }
            } else if !slot.host.is_empty() {
                HostSpec {
                    host: slot.host.to_string(),
                    hostaddr: None,
                    port,
                    is_socket: is_socket_path(slot.host),
                }
            } else {
                HostSpec {
                    host: DEFAULT_SOCKET_DIR.to_string(),
                    hostaddr: None,
                    port,
                    is_socket: true,
                }
            })
        })
        .collect()
}

/// libpq's `is_unixsock_path`: an absolute path, or `@` for Linux's abstract namespace.
pub fn is_socket_path(host: &str) -> bool {
    host.starts_with('/') || host.starts_with('@')
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pg::conn::params::parse;

    /// A compact rendering: `host|hostaddr|port|s` per host (`s` for a socket).
    fn show(s: &str) -> String {
        match hosts(&parse(s).unwrap()) {
            Ok(hosts) => hosts
                .iter()
                .map(|h| {
                    format!(
                        "{}|{}|{}{}",
                        h.host,
                        h.hostaddr.as_deref().unwrap_or("-"),
                        h.port,
                        if h.is_socket { "|s" } else { "" }
                    )
                })
                .collect::<Vec<_>>()
                .join(" "),
            Err(e) => format!("ERR: {e}"),
        }
    }

    /// Checked against libpq 15 (`PQconnectStart` then `PQhost`/`PQport` per attempt, and
    /// psql's messages).
    #[test]
    fn host_lists_follow_libpqs_rules() {
        let table: &[(&str, &str)] = &[
            ("", "/var/run/postgresql|-|5432|s"),
            ("host=''", "/var/run/postgresql|-|5432|s"),
            ("host=db", "db|-|5432"),
            ("host=db port=6543", "db|-|6543"),
            ("host=/tmp", "/tmp|-|5432|s"),
            ("host=@abstract", "@abstract|-|5432|s"),
            ("host=a,b port=7", "a|-|7 b|-|7"),
            ("host=a,b port=7,8", "a|-|7 b|-|8"),
            ("host=a,b port=7,", "a|-|7 b|-|5432"),
            ("host=,/b port=,7", "/var/run/postgresql|-|5432|s /b|-|7|s"),
            ("host=/x,/y port=,", "/x|-|5432|s /y|-|5432|s"),
            ("hostaddr=127.0.0.1 port=1", "|127.0.0.1|1"),
            ("hostaddr=127.0.0.1 host=db", "db|127.0.0.1|5432"),
            ("hostaddr=127.0.0.1 host=/tmp", "/tmp|127.0.0.1|5432"),
            (
                "hostaddr=1.2.3.4,5.6.7.8 host=a,b",
                "a|1.2.3.4|5432 b|5.6.7.8|5432",
            ),
            ("hostaddr=,5.6.7.8 host=a,", "a|-|5432 |5.6.7.8|5432"),
            (
                "hostaddr=, host=",
                "/var/run/postgresql|-|5432|s /var/run/postgresql|-|5432|s",
            ),
            ("host=/x hostaddr=''", "/x|-|5432|s"),
            ("host=/x port=' 5433 '", "/x|-|5433|s"),
            ("host=/x port=+5", "/x|-|5|s"),
            ("host=/x port=65535", "/x|-|65535|s"),
            ("postgresql://a:1,[::1]:2/db", "a|-|1 ::1|-|2"),
            ("postgresql://a,b/db", "a|-|5432 b|-|5432"),
            ("postgresql://%2Ftmp:5444/db", "/tmp|-|5444|s"),
            ("postgresql:///db?host=/tmp", "/tmp|-|5432|s"),
        ];
        for &(s, expected) in table {
            assert_eq!(show(s), expected, "{s}");
        }
    }

    #[test]
    fn mismatched_lists_and_bad_ports_are_refused_in_libpqs_words() {
        let table: &[(&str, &str)] = &[
            (
                "host=a,b port=1,2,3",
                "could not match 3 port numbers to 2 hosts",
            ),
            (
                "host=/x port=1,2",
                "could not match 2 port numbers to 1 hosts",
            ),
            ("port=1,2", "could not match 2 port numbers to 1 hosts"),
            (
                "hostaddr=1.2.3.4,5.6.7.8 host=a",
                "could not match 1 host names to 2 hostaddr values",
            ),
            (
                "hostaddr=1.2.3.4 host=a,b",
                "could not match 2 host names to 1 hostaddr values",
            ),
            (
                "hostaddr=1.2.3.4,5.6.7.8 host=a port=1,2,3",
                "could not match 1 host names to 2 hostaddr values",
            ),
            ("host=/x port=70000", "invalid port number: \"70000\""),
            ("host=/x port=0", "invalid port number: \"0\""),
            ("host=/x port=-1", "invalid port number: \"-1\""),
            (
                "host=/x port=abc",
                "invalid integer value \"abc\" for connection option \"port\"",
            ),
            (
                "host=/x port=0x10",
                "invalid integer value \"0x10\" for connection option \"port\"",
            ),
            (
                "host=/x port=99999999999",
                "invalid integer value \"99999999999\" for connection option \"port\"",
            ),
            (
                "host=a,b port=1,x",
                "invalid integer value \"x\" for connection option \"port\"",
            ),
        ];
        for &(s, message) in table {
            assert_eq!(show(s), format!("ERR: {message}"), "{s}");
        }
        assert!(check_counts(&parse("host=a,b port=1,x").unwrap()).is_ok());
        assert!(check_counts(&parse("host=a,b port=1,2,3").unwrap()).is_err());
    }

    #[test]
    fn a_host_is_named_by_its_name_else_its_address() {
        let h = hosts(&parse("hostaddr=10.0.0.1,10.0.0.2 host=db,").unwrap()).unwrap();
        assert_eq!(h[0].name(), "db");
        assert_eq!(h[1].name(), "10.0.0.2");
    }
}
