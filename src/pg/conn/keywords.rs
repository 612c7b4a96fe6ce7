//! libpq 17's connection keywords: the environment variable each one falls back to and the
//! default libpq compiles in (`PQconndefaults()`), as documented in "Parameter Key Words" and
//! "Environment Variables" of libpq's manual and as Debian's libpq builds them (with OpenSSL and
//! GSSAPI, so `sslmode` defaults to `prefer` and `gssencmode` to `prefer`).

/// One connection keyword.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Keyword {
    pub name: &'static str,
    /// The environment variable used when neither the string nor the service sets it.
    pub env: Option<&'static str>,
    /// The default when nothing sets it.
    pub default: Option<&'static str>,
    /// Whether the value is a secret (libpq's display character `*`): never shown.
    pub secret: bool,
}

const fn kw(
    name: &'static str,
    env: Option<&'static str>,
    default: Option<&'static str>,
) -> Keyword {
    Keyword {
        name,
        env,
        default,
        secret: false,
    }
}

const fn secret(name: &'static str, env: Option<&'static str>) -> Keyword {
    Keyword {
        name,
        env,
        default: None,
        secret: true,
    }
}

/// The socket directory libpq uses when no host is given: Debian's libpq is built with
/// `DEFAULT_PGSOCKET_DIR` `/var/run/postgresql` (psql without a host tries
/// `/var/run/postgresql/.s.PGSQL.5432`).
pub const DEFAULT_SOCKET_DIR: &str = "/var/run/postgresql";

/// The port libpq uses when none is given (`DEF_PGPORT`).
pub const DEFAULT_PORT: u16 = 5432;

/// The host name a unix-socket connection to [`DEFAULT_SOCKET_DIR`] matches in the password
/// file (libpq's `DefaultHost`).
pub const DEFAULT_HOST: &str = "localhost";

/// Debian's compiled-in `SYSCONFDIR` (`pg_config --sysconfdir`), where libpq looks for
/// `pg_service.conf` when `PGSYSCONFDIR` is not set.
pub const DEFAULT_SYSCONFDIR: &str = "/etc/postgresql-common";

/// Every keyword libpq 17 accepts, in libpq's order.
pub const KEYWORDS: &[Keyword] = &[
    kw("service", Some("PGSERVICE"), None),
    kw("user", Some("PGUSER"), None),
    secret("password", Some("PGPASSWORD")),
    kw("passfile", Some("PGPASSFILE"), None),
    kw("channel_binding", Some("PGCHANNELBINDING"), Some("prefer")),
    kw("connect_timeout", Some("PGCONNECT_TIMEOUT"), None),
    kw("dbname", Some("PGDATABASE"), None),
    kw("host", Some("PGHOST"), None),
    kw("hostaddr", Some("PGHOSTADDR"), None),
    kw("port", Some("PGPORT"), Some("5432")),
    kw("client_encoding", Some("PGCLIENTENCODING"), None),
    kw("options", Some("PGOPTIONS"), Some("")),
    kw("application_name", Some("PGAPPNAME"), None),
    kw("fallback_application_name", None, None),
    kw("keepalives", None, None),
    kw("keepalives_idle", None, None),
    kw("keepalives_interval", None, None),
    kw("keepalives_count", None, None),
    kw("tcp_user_timeout", None, None),
    kw("sslmode", Some("PGSSLMODE"), Some("prefer")),
    kw("sslnegotiation", Some("PGSSLNEGOTIATION"), Some("postgres")),
    kw("sslcompression", Some("PGSSLCOMPRESSION"), Some("0")),
    kw("sslcert", Some("PGSSLCERT"), None),
    kw("sslkey", Some("PGSSLKEY"), None),
    // libpq fills `allow` a step later (in connectOptions2), with the same result.
    kw("sslcertmode", Some("PGSSLCERTMODE"), Some("allow")),
    secret("sslpassword", None),
    kw("sslrootcert", Some("PGSSLROOTCERT"), None),
    kw("sslcrl", Some("PGSSLCRL"), None),
    kw("sslcrldir", Some("PGSSLCRLDIR"), None),
    kw("sslsni", Some("PGSSLSNI"), Some("1")),
    kw("requirepeer", Some("PGREQUIREPEER"), None),
    kw("require_auth", Some("PGREQUIREAUTH"), None),
    kw(
        "ssl_min_protocol_version",
        Some("PGSSLMINPROTOCOLVERSION"),
        Some("TLSv1.2"),
    ),
    kw(
        "ssl_max_protocol_version",
        Some("PGSSLMAXPROTOCOLVERSION"),
        None,
    ),
    kw("gssencmode", Some("PGGSSENCMODE"), Some("prefer")),
    kw("krbsrvname", Some("PGKRBSRVNAME"), Some("postgres")),
    kw("gsslib", Some("PGGSSLIB"), None),
    kw("gssdelegation", Some("PGGSSDELEGATION"), Some("0")),
    kw("replication", None, None),
    kw(
        "target_session_attrs",
        Some("PGTARGETSESSIONATTRS"),
        Some("any"),
    ),
    kw(
        "load_balance_hosts",
        Some("PGLOADBALANCEHOSTS"),
        Some("disable"),
    ),
];

/// The keyword named `name`, if libpq knows it.
pub fn find(name: &str) -> Option<&'static Keyword> {
    KEYWORDS.iter().find(|k| k.name == name)
}

/// Whether `name` (compared without regard to case) names a secret: `password` or
/// `sslpassword`.
pub fn is_secret(name: &str) -> bool {
    KEYWORDS
        .iter()
        .any(|k| k.secret && k.name.eq_ignore_ascii_case(name))
}

/// What libpq stores for `name = value` from a connection string: the canonical keyword and the
/// value, or `None` for an unknown keyword. As in libpq, the obsolete `requiressl` is still
/// accepted: `requiressl=1…` means `sslmode=require`, any other value `sslmode=prefer`.
pub fn canonical(name: &str, value: String) -> Option<(&'static str, String)> {
    if name == "requiressl" {
        let mode = if value.starts_with('1') {
            "require"
        } else {
            "prefer"
        };
        return Some(("sslmode", mode.to_string()));
    }
    find(name).map(|k| (k.name, value))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_list_is_libpq_17s() {
        let names: Vec<&str> = KEYWORDS.iter().map(|k| k.name).collect();
        let expected = "service user password passfile channel_binding connect_timeout dbname \
            host hostaddr port client_encoding options application_name \
            fallback_application_name keepalives keepalives_idle keepalives_interval \
            keepalives_count tcp_user_timeout sslmode sslnegotiation sslcompression sslcert \
            sslkey sslcertmode sslpassword sslrootcert sslcrl sslcrldir sslsni requirepeer \
            require_auth ssl_min_protocol_version ssl_max_protocol_version gssencmode \
            krbsrvname gsslib gssdelegation replication target_session_attrs \
            load_balance_hosts";
        assert_eq!(names, expected.split_whitespace().collect::<Vec<_>>());
    }

    #[test]
    fn environment_variables_and_defaults() {
        // (keyword, environment variable, default)
        let table: &[(&str, Option<&str>, Option<&str>)] = &[
            ("service", Some("PGSERVICE"), None),
            ("user", Some("PGUSER"), None),
            ("password", Some("PGPASSWORD"), None),
            ("passfile", Some("PGPASSFILE"), None),
            ("channel_binding", Some("PGCHANNELBINDING"), Some("prefer")),
            ("connect_timeout", Some("PGCONNECT_TIMEOUT"), None),
            ("dbname", Some("PGDATABASE"), None),
            ("host", Some("PGHOST"), None),
            ("hostaddr", Some("PGHOSTADDR"), None),
            ("port", Some("PGPORT"), Some("5432")),
            ("client_encoding", Some("PGCLIENTENCODING"), None),
            ("options", Some("PGOPTIONS"), Some("")),
            ("application_name", Some("PGAPPNAME"), None),
            ("fallback_application_name", None, None),
            ("keepalives", None, None),
            ("tcp_user_timeout", None, None),
            ("sslmode", Some("PGSSLMODE"), Some("prefer")),
            ("sslnegotiation", Some("PGSSLNEGOTIATION"), Some("postgres")),
            ("sslcompression", Some("PGSSLCOMPRESSION"), Some("0")),
            ("sslcert", Some("PGSSLCERT"), None),
            ("sslkey", Some("PGSSLKEY"), None),
            ("sslcertmode", Some("PGSSLCERTMODE"), Some("allow")),
            ("sslpassword", None, None),
            ("sslrootcert", Some("PGSSLROOTCERT"), None),
            ("sslcrl", Some("PGSSLCRL"), None),
            ("sslcrldir", Some("PGSSLCRLDIR"), None),
            ("sslsni", Some("PGSSLSNI"), Some("1")),
            ("requirepeer", Some("PGREQUIREPEER"), None),
            ("require_auth", Some("PGREQUIREAUTH"), None),
            (
                "ssl_min_protocol_version",
                Some("PGSSLMINPROTOCOLVERSION"),
                Some("TLSv1.2"),
            ),
            (
                "ssl_max_protocol_version",
                Some("PGSSLMAXPROTOCOLVERSION"),
                None,
            ),
            ("gssencmode", Some("PGGSSENCMODE"), Some("prefer")),
            ("krbsrvname", Some("PGKRBSRVNAME"), Some("postgres")),
            ("gsslib", Some("PGGSSLIB"), None),
            ("gssdelegation", Some("PGGSSDELEGATION"), Some("0")),
            ("replication", None, None),
            (
                "target_session_attrs",
                Some("PGTARGETSESSIONATTRS"),
                Some("any"),
            ),
            (
                "load_balance_hosts",
                Some("PGLOADBALANCEHOSTS"),
                Some("disable"),
            ),
        ];
        for &(name, env, default) in table {
            let k = find(name).unwrap_or_else(|| panic!("{name} missing"));
            assert_eq!((k.env, k.default), (env, default), "{name}");
        }
    }

    #[test]
    fn secrets_and_translations() {
        assert!(is_secret("password"));
        assert!(is_secret("sslpassword"));
        assert!(is_secret("PassWord"));
        assert!(!is_secret("passfile"));
        assert!(!is_secret("user"));
        type Row = (
            &'static str,
            &'static str,
            Option<(&'static str, &'static str)>,
        );
        let table: &[Row] = &[
            ("host", "h", Some(("host", "h"))),
            ("requiressl", "1", Some(("sslmode", "require"))),
            ("requiressl", "10", Some(("sslmode", "require"))),
            ("requiressl", "0", Some(("sslmode", "prefer"))),
            ("requiressl", "", Some(("sslmode", "prefer"))),
            ("Host", "h", None),
            ("ssl", "true", None),
            ("", "x", None),
        ];
        for &(name, value, expected) in table {
            let got = canonical(name, value.to_string());
            assert_eq!(
                got.as_ref().map(|(k, v)| (*k, v.as_str())),
                expected,
                "{name}={value}"
            );
        }
    }
}
