//! Filling in what a connection string leaves out, in libpq's order: the string, then the
//! service it (or `PGSERVICE`) names, then the environment variables, then the defaults; and
//! then libpq's checks, so that settings psql refuses are refused here with psql's message.

use super::env::Env;
use super::error::ConnError;
use super::hosts;
use super::keywords::{DEFAULT_SOCKET_DIR, KEYWORDS};
use super::params::Params;
use super::service;
use super::validate;

/// The complete parameters for `given` (what [`parse`](super::params::parse) read). Every
/// keyword whose environment variable is set or that has a default ends up set, and `user` and
/// `dbname` are never empty (`dbname` defaults to the user, the user to the operating-system
/// user). `host` defaults to the socket directory `/var/run/postgresql` when neither `host`
/// nor `hostaddr` names a host. The password file is not read here: it depends on the host
/// tried (see [`pgpass::lookup`](super::pgpass::lookup)).
///
/// As in libpq, an environment variable that is set applies even when empty (`PGSSLMODE=`
/// gives `invalid sslmode value: ""`), and a parameter the string sets, even to `''`, is not
/// taken from the service or the environment.
pub fn resolve(given: Params, env: &Env) -> Result<Params, ConnError> {
    let mut params = given;
    service::apply(&mut params, env)?;
    let mut sslmode_defaulted = false;
    for keyword in KEYWORDS {
        if params.is_set(keyword.name) {
            continue;
        }
        if let Some(value) = keyword.env.and_then(|var| env.vars.get(var)) {
            params.set(keyword.name, value.as_str());
            continue;
        }
        if keyword.name == "sslmode" {
            // The obsolete PGREQUIRESSL, still read by libpq: "1…" means require.
            if env
                .vars
                .get("PGREQUIRESSL")
                .is_some_and(|v| v.starts_with('1'))
            {
                params.set("sslmode", "require");
                continue;
            }
            sslmode_defaulted = true;
        }
        if let Some(default) = keyword.default {
            params.set(keyword.name, default);
        }
    }
    // libpq 16+: with the system's trust store, verify the host name unless told otherwise.
    if sslmode_defaulted && params.get("sslrootcert") == Some("system") {
        params.set("sslmode", "verify-full");
    }
    hosts::check_counts(&params)?;
    if params.nonempty("user").is_none() {
        let user = env.user.clone().ok_or_else(|| {
            ConnError::settings("could not look up the local user name (set PGUSER or user=)")
        })?;
        params.set("user", user);
    }
    if params.nonempty("dbname").is_none() {
        let user = params.get("user").unwrap_or_default().to_string();
        params.set("dbname", user);
    }
    validate::check(&params)?;
    if params.nonempty("host").is_none() && params.nonempty("hostaddr").is_none() {
        params.set("host", DEFAULT_SOCKET_DIR);
    }
    hosts::hosts(&params)?;
    validate::connect_timeout(&params)?;
    Ok(params)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pg::conn::params::parse;

    fn env() -> Env {
        Env {
            user: Some("osuser".to_string()),
            ..Env::empty()
        }
    }

    fn run(conninfo: &str, env: &Env) -> Result<Params, String> {
        resolve(parse(conninfo).unwrap(), env).map_err(|e| e.to_string())
    }

    /// The values of `keywords` after resolving, `-` for unset.
    fn pick(conninfo: &str, env: &Env, keywords: &str) -> String {
        match run(conninfo, env) {
            Ok(p) => keywords
                .split_whitespace()
                .map(|k| format!("{k}={}", p.get(k).unwrap_or("-")))
                .collect::<Vec<_>>()
                .join(" "),
            Err(e) => format!("ERR: {e}"),
        }
    }

    /// With nothing set, the defaults libpq 17 reports (`PQconndefaults`, then
    /// `PQconninfo` after `connectOptions2`).
    #[test]
    fn defaults() {
        let p = run("", &env()).unwrap();
        let expected = "channel_binding=prefer dbname=osuser gssdelegation=0 gssencmode=prefer \
            host=/var/run/postgresql krbsrvname=postgres load_balance_hosts=disable options= \
            port=5432 ssl_min_protocol_version=TLSv1.2 sslcertmode=allow sslcompression=0 \
            sslmode=prefer sslnegotiation=postgres sslsni=1 target_session_attrs=any \
            user=osuser";
        let got: Vec<String> = p.iter().map(|(k, v)| format!("{k}={v}")).collect();
        assert_eq!(
            got.join(" "),
            expected.split_whitespace().collect::<Vec<_>>().join(" ")
        );
    }

    /// Precedence, each row checked with libpq 15 (`PQconnectStart` and `PQconninfo`).
    #[test]
    fn the_string_then_the_environment_then_the_defaults() {
        let e = env()
            .with("PGHOST", "/env")
            .with("PGPORT", "9")
            .with("PGUSER", "envuser")
            .with("PGSSLMODE", "require");
        let table: &[(&str, &Env, &str)] = &[
            (
                "",
                &e,
                "host=/env port=9 user=envuser dbname=envuser sslmode=require",
            ),
            (
                "host=/str user=u dbname=d sslmode=disable",
                &e,
                "host=/str port=9 user=u dbname=d sslmode=disable",
            ),
            // Set but empty in the string: the environment does not apply; then the defaults.
            (
                "host='' port='' user='' dbname=''",
                &e,
                "host=/var/run/postgresql port= user=osuser dbname=osuser sslmode=require",
            ),
            (
                "postgresql://h:1/db?sslmode=verify-ca",
                &e,
                "host=h port=1 user=envuser dbname=db sslmode=verify-ca",
            ),
            // An empty variable is a value (libpq reads getenv as is).
            (
                "",
                &env()
                    .with("PGHOST", "")
                    .with("PGPORT", "")
                    .with("PGUSER", ""),
                "host=/var/run/postgresql port= user=osuser dbname=osuser sslmode=prefer",
            ),
            (
                "",
                &env().with("PGDATABASE", "envdb"),
                "host=/var/run/postgresql port=5432 user=osuser dbname=envdb sslmode=prefer",
            ),
            (
                "",
                &env().with("PGREQUIRESSL", "1"),
                "host=/var/run/postgresql port=5432 user=osuser dbname=osuser sslmode=require",
            ),
            (
                "",
                &env().with("PGREQUIRESSL", "1").with("PGSSLMODE", "disable"),
                "host=/var/run/postgresql port=5432 user=osuser dbname=osuser sslmode=disable",
            ),
            (
                "sslmode=allow",
                &env().with("PGREQUIRESSL", "1"),
                "host=/var/run/postgresql port=5432 user=osuser dbname=osuser sslmode=allow",
            ),
            (
                "",
                &env().with("PGREQUIRESSL", "0"),
                "host=/var/run/postgresql port=5432 user=osuser dbname=osuser sslmode=prefer",
            ),
            (
                "hostaddr=127.0.0.1",
                &env(),
                "host=- port=5432 user=osuser dbname=osuser sslmode=prefer",
            ),
        ];
        for &(conninfo, env, expected) in table {
            assert_eq!(
                pick(conninfo, env, "host port user dbname sslmode"),
                expected,
                "{conninfo}"
            );
        }
    }

    #[test]
    fn every_variable_libpq_reads() {
        let mut e = env();
        for k in KEYWORDS {
            if let Some(var) = k.env {
                e = e.with(var, &format!("from-{var}"));
            }
        }
        // Values that pass the checks, for the keywords that are checked.
        for (var, value) in [
            ("PGSERVICE", ""),
            ("PGHOST", "/h"),
            ("PGHOSTADDR", ""),
            ("PGPORT", "1"),
            ("PGCONNECT_TIMEOUT", "5"),
            ("PGCHANNELBINDING", "require"),
            ("PGSSLMODE", "verify-ca"),
            ("PGSSLNEGOTIATION", "direct"),
            ("PGSSLCERTMODE", "require"),
            ("PGSSLMINPROTOCOLVERSION", "TLSv1.3"),
            ("PGSSLMAXPROTOCOLVERSION", "TLSv1.3"),
            ("PGGSSENCMODE", "disable"),
            ("PGTARGETSESSIONATTRS", "standby"),
            ("PGLOADBALANCEHOSTS", "random"),
            ("PGREQUIREAUTH", "scram-sha-256"),
        ] {
            e = e.with(var, value);
        }
        e.vars.remove("PGSERVICE");
        let p = run("", &e).unwrap();
        for k in KEYWORDS {
            match k.env {
                Some(var) if var != "PGSERVICE" => {
                    assert_eq!(p.get(k.name), e.vars.get(var).map(String::as_str), "{var}");
                }
                _ => assert_eq!(p.get(k.name), k.default, "{}", k.name),
            }
        }
    }

    #[test]
    fn sslrootcert_system_strengthens_only_the_default_sslmode() {
        let table: &[(&str, &Env, &str)] = &[
            ("sslrootcert=system", &env(), "sslmode=verify-full"),
            (
                "",
                &env().with("PGSSLROOTCERT", "system"),
                "sslmode=verify-full",
            ),
            (
                "sslrootcert=system sslmode=require",
                &env(),
                "ERR: weak sslmode \"require\" may not be used with sslrootcert=system \
                 (use \"verify-full\")",
            ),
            (
                "sslrootcert=system",
                &env().with("PGSSLMODE", "verify-ca"),
                "ERR: weak sslmode \"verify-ca\" may not be used with sslrootcert=system \
                 (use \"verify-full\")",
            ),
            (
                "sslrootcert=system",
                &env().with("PGREQUIRESSL", "1"),
                "ERR: weak sslmode \"require\" may not be used with sslrootcert=system \
                 (use \"verify-full\")",
            ),
            ("sslrootcert=/ca.pem", &env(), "sslmode=prefer"),
            (
                "sslnegotiation=direct",
                &env(),
                "ERR: weak sslmode \"prefer\" may not be used with sslnegotiation=direct \
                 (use \"require\", \"verify-ca\", or \"verify-full\")",
            ),
            (
                "sslnegotiation=direct sslrootcert=system",
                &env(),
                "sslmode=verify-full",
            ),
        ];
        for &(conninfo, env, expected) in table {
            assert_eq!(pick(conninfo, env, "sslmode"), expected, "{conninfo}");
        }
    }

    /// libpq's order of checks: list lengths, then the values, then the ports themselves and
    /// connect_timeout.
    #[test]
    fn errors_in_libpqs_order() {
        let table: &[(&str, &Env, &str)] = &[
            ("sslmode=foo", &env(), "invalid sslmode value: \"foo\""),
            (
                "",
                &env().with("PGSSLMODE", ""),
                "invalid sslmode value: \"\"",
            ),
            (
                "host=a,b port=1,2,3 sslmode=foo",
                &env(),
                "could not match 3 port numbers to 2 hosts",
            ),
            (
                "port=abc sslmode=foo",
                &env(),
                "invalid sslmode value: \"foo\"",
            ),
            ("port=70000", &env(), "invalid port number: \"70000\""),
            (
                "",
                &env().with("PGPORT", "x"),
                "invalid integer value \"x\" for connection option \"port\"",
            ),
            (
                "connect_timeout=abc",
                &env(),
                "invalid integer value \"abc\" for connection option \"connect_timeout\"",
            ),
            (
                "target_session_attrs=x",
                &env(),
                "invalid target_session_attrs value: \"x\"",
            ),
            (
                "",
                &env().with("PGTARGETSESSIONATTRS", "x"),
                "invalid target_session_attrs value: \"x\"",
            ),
            (
                "",
                &Env::empty(),
                "could not look up the local user name (set PGUSER or user=)",
            ),
        ];
        for &(conninfo, env, expected) in table {
            assert_eq!(run(conninfo, env).unwrap_err(), expected, "{conninfo}");
        }
        assert!(run("user=u", &Env::empty()).is_ok());
    }

    /// `PGSERVICEFILE=f PGHOST=/env psql "service=x"` uses the service file's host: the service
    /// comes before the environment, the string before both.
    #[test]
    fn the_service_comes_before_the_environment() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("services");
        std::fs::write(&file, "[x]\nhost=/svc\nport=7\nsslmode=bad\n[y]\nhost=/y\n").unwrap();
        let e = env()
            .with("PGSERVICEFILE", file.to_str().unwrap())
            .with("PGHOST", "/env")
            .with("PGPORT", "9")
            .with("PGUSER", "envu");
        let table: &[(&str, &Env, &str)] = &[
            ("service=y", &e, "host=/y port=9 user=envu service=y"),
            ("service=y port=1", &e, "host=/y port=1 user=envu service=y"),
            (
                "",
                &e.clone().with("PGSERVICE", "y"),
                "host=/y port=9 user=envu service=y",
            ),
            ("service=x", &e, "ERR: invalid sslmode value: \"bad\""),
            (
                "service=x sslmode=disable",
                &e,
                "host=/svc port=7 user=envu service=x",
            ),
            (
                "service=z",
                &e,
                "ERR: definition of service \"z\" not found",
            ),
        ];
        for &(conninfo, env, expected) in table {
            assert_eq!(
                pick(conninfo, env, "host port user service"),
                expected,
                "{conninfo}"
            );
        }
    }
}
