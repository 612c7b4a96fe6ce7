//! Connecting as libpq does, checked against `psql` on the same servers with the same settings:
//! the six sslmodes on a TLS and a non-TLS server, the environment, the password file, service
//! files, URLs to a unix socket, several hosts with `target_session_attrs`, and the server's own
//! messages.

use std::path::Path;

use schemaplan::pg::conn::{ConnError, Env, Target};

use crate::tls_support::{
    GOOD_HOST, PASSWORD_USER, PASSWORD_USER_PASSWORD, psql, set_mode, start_read_only_server, tls,
};

/// An environment with nothing of this process: HOME an empty directory of the test's.
fn env_in(home: &Path) -> Env {
    Env {
        home: Some(home.to_path_buf()),
        user: Some("postgres".into()),
        ..Env::default()
    }
}

/// Connects with schemaplan and with psql; both must agree. Returns schemaplan's outcome.
fn both(conninfo: &str, vars: &[(&str, &str)], home: &Path) -> Result<String, String> {
    let mut env = env_in(home);
    for (k, v) in vars {
        env.vars.insert(k.to_string(), v.to_string());
    }
    let ours = Target::parse(conninfo, &env)
        .and_then(|t| t.connect())
        .map(|c| c.security)
        .map_err(|e| e.to_string());
    let mut psql_env: Vec<(&str, &str)> = vars.to_vec();
    let home_text = home.display().to_string();
    psql_env.push(("HOME", &home_text));
    let (psql_ok, psql_err) = psql(conninfo, &psql_env);
    assert_eq!(
        ours.is_ok(),
        psql_ok,
        "{conninfo}: schemaplan {ours:?}, psql {}",
        if psql_ok { "connected" } else { &psql_err }
    );
    ours
}

fn client_files(mode: &str, port: u16) -> String {
    let t = tls();
    format!(
        "host={GOOD_HOST} port={port} user=postgres dbname=postgres sslmode={mode} \
         sslrootcert={} sslcert={} sslkey={}",
        t.ca.display(),
        t.client_cert.display(),
        t.client_key.display()
    )
}

#[test]
fn the_six_sslmodes_on_a_tls_and_a_plain_server_give_libpqs_outcomes() {
    let t = tls();
    let home = tempfile::tempdir().unwrap();
    // (sslmode, on the TLS server (hostssl cert, hostnossl reject), on the plain server)
    let table: [(&str, bool, bool); 6] = [
        ("disable", false, true),
        ("allow", true, true),
        ("prefer", true, true),
        ("require", true, false),
        ("verify-ca", true, false),
        ("verify-full", true, false),
    ];
    for (mode, on_tls, on_plain) in table {
        let tls_outcome = both(&client_files(mode, t.tls_port()), &[], home.path());
        assert_eq!(
            tls_outcome.is_ok(),
            on_tls,
            "{mode} on the TLS server: {tls_outcome:?}"
        );
        let plain_outcome = both(&client_files(mode, t.plain_port()), &[], home.path());
        assert_eq!(
            plain_outcome.is_ok(),
            on_plain,
            "{mode} on the plain server: {plain_outcome:?}"
        );
    }
    // What went over the wire: TLS where the server asks for it, plain where it has none.
    let verified = both(&client_files("verify-full", t.tls_port()), &[], home.path()).unwrap();
    assert!(
        verified.starts_with("TLS (") && verified.contains("verify-full"),
        "{verified}"
    );
    let disabled = both(&client_files("disable", t.plain_port()), &[], home.path()).unwrap();
    assert_eq!(disabled, "no TLS");
}

#[test]
fn refusals_say_what_psql_says() {
    let t = tls();
    let home = tempfile::tempdir().unwrap();
    let refused = |conninfo: &str| both(conninfo, &[], home.path()).unwrap_err();
    let hba = refused(&client_files("disable", t.tls_port()));
    assert!(
        hba.contains("FATAL:  pg_hba.conf rejects connection for host \"127.0.0.1\"")
            && hba.contains("no encryption")
            && hba.contains("(SQLSTATE 28000)"),
        "{hba}"
    );
    let no_tls = refused(&client_files("require", t.plain_port()));
    assert!(
        no_tls.contains(&format!(
            "connection to server at \"{GOOD_HOST}\" (127.0.0.1), port {} failed: server does not support SSL, but SSL was required",
            t.plain_port()
        )),
        "{no_tls}"
    );
    let plain = format!("host=127.0.0.1 port={} user=postgres", t.plain_port());
    let missing_db = refused(&format!("{plain} dbname=nope"));
    assert!(
        missing_db.contains("FATAL:  database \"nope\" does not exist (SQLSTATE 3D000)"),
        "{missing_db}"
    );
    let unknown_role = refused(&format!(
        "host=127.0.0.1 port={} user=nobody dbname=postgres",
        t.plain_port()
    ));
    assert!(
        unknown_role.contains("FATAL:  role \"nobody\" does not exist"),
        "{unknown_role}"
    );
    let wrong_password = refused(&format!(
        "host=127.0.0.1 port={} user={PASSWORD_USER} password=wrong dbname=postgres",
        t.plain_port()
    ));
    assert!(
        wrong_password.contains(&format!(
            "FATAL:  password authentication failed for user \"{PASSWORD_USER}\" (SQLSTATE 28P01)"
        )),
        "{wrong_password}"
    );
    assert!(!wrong_password.contains("wrong"), "{wrong_password}");
}

#[test]
fn the_environment_names_the_target_when_the_string_does_not() {
    let t = tls();
    let home = tempfile::tempdir().unwrap();
    let port = t.tls_port().to_string();
    let (ca, cert, key) = (
        t.ca.display().to_string(),
        t.client_cert.display().to_string(),
        t.client_key.display().to_string(),
    );
    let vars = [
        ("PGHOST", GOOD_HOST),
        ("PGPORT", port.as_str()),
        ("PGUSER", "postgres"),
        ("PGDATABASE", "postgres"),
        ("PGSSLMODE", "verify-full"),
        ("PGSSLROOTCERT", ca.as_str()),
        ("PGSSLCERT", cert.as_str()),
        ("PGSSLKEY", key.as_str()),
        ("PGAPPNAME", "from-the-environment"),
        ("PGCONNECT_TIMEOUT", "10"),
    ];
    assert!(both("", &vars, home.path()).is_ok());
    let mut env = env_in(home.path());
    for (k, v) in vars {
        env.vars.insert(k.into(), v.into());
    }
    let target = Target::from_environment(&env)
        .unwrap()
        .expect("PGHOST names a target");
    let mut connection = target.connect().unwrap();
    let app: String = connection
        .client
        .query_one("SELECT current_setting('application_name')", &[])
        .unwrap()
        .get(0);
    assert_eq!(app, "from-the-environment");
    // The string wins over the environment: sslmode=disable is refused by hostnossl reject.
    assert!(both(&format!("sslmode=disable port={port}"), &vars, home.path()).is_err());
    // Nothing in the environment: no target.
    assert!(
        Target::from_environment(&env_in(home.path()))
            .unwrap()
            .is_none()
    );
    // schemaplan names itself in pg_stat_activity unless told otherwise.
    let plain = Target::parse(
        &format!(
            "host=127.0.0.1 port={} user=postgres dbname=postgres",
            t.plain_port()
        ),
        &env_in(home.path()),
    )
    .unwrap();
    let app: String = plain
        .connect()
        .unwrap()
        .client
        .query_one("SELECT current_setting('application_name')", &[])
        .unwrap()
        .get(0);
    assert_eq!(app, "schemaplan");
}

#[test]
fn the_password_file_is_used_and_refused_when_others_can_read_it() {
    let t = tls();
    let home = tempfile::tempdir().unwrap();
    let conninfo = format!(
        "host=127.0.0.1 port={} user={PASSWORD_USER} dbname=postgres",
        t.plain_port()
    );
    let missing = both(&conninfo, &[], home.path()).unwrap_err();
    assert!(
        missing.contains("fe_sendauth: no password supplied"),
        "{missing}"
    );
    // `:` and `\` in a password are escaped in the file.
    let escaped = PASSWORD_USER_PASSWORD
        .replace('\\', "\\\\")
        .replace(':', "\\:");
    let pgpass = home.path().join(".pgpass");
    std::fs::write(
        &pgpass,
        format!(
            "# comment\nother:*:*:*:nope\n127.0.0.1:{}:*:{PASSWORD_USER}:{escaped}\n",
            t.plain_port()
        ),
    )
    .unwrap();
    set_mode(&pgpass, 0o600);
    assert!(both(&conninfo, &[], home.path()).is_ok());
    // Readable by others: ignored, as libpq does (with its warning).
    set_mode(&pgpass, 0o644);
    let ignored = both(&conninfo, &[], home.path()).unwrap_err();
    assert!(ignored.contains("no password supplied"), "{ignored}");
    // PGPASSFILE names another file.
    let elsewhere = home.path().join("elsewhere");
    std::fs::rename(&pgpass, &elsewhere).unwrap();
    set_mode(&elsewhere, 0o600);
    let file = elsewhere.display().to_string();
    assert!(both(&conninfo, &[("PGPASSFILE", &file)], home.path()).is_ok());
}

/// SCRAM over TLS: the server offers SCRAM-SHA-256-PLUS, the driver takes it when the TLS
/// stream gives `tls-server-end-point` data, and the server refuses the login ("SCRAM channel
/// binding check failed") unless that data is the digest of the certificate it presented.
#[test]
fn a_password_over_tls_is_bound_to_the_servers_certificate() {
    let t = tls();
    let home = tempfile::tempdir().unwrap();
    let conninfo = |password: &str| {
        format!(
            "host={GOOD_HOST} port={} user={PASSWORD_USER} dbname=postgres sslmode=verify-full \
             sslrootcert={} password='{}'",
            t.tls_port(),
            t.ca.display(),
            password.replace('\\', "\\\\").replace('\'', "\\'")
        )
    };
    let security = both(&conninfo(PASSWORD_USER_PASSWORD), &[], home.path()).unwrap();
    assert!(security.contains("verify-full"), "{security}");
    // channel_binding=require: over TLS it holds; without TLS there is nothing to bind to.
    let required = format!(
        "{} channel_binding=require",
        conninfo(PASSWORD_USER_PASSWORD)
    );
    assert!(both(&required, &[], home.path()).is_ok());
    let plain = format!(
        "host=127.0.0.1 port={} user={PASSWORD_USER} dbname=postgres channel_binding=require \
         password='{}'",
        t.plain_port(),
        PASSWORD_USER_PASSWORD.replace('\\', "\\\\")
    );
    let unbound = both(&plain, &[], home.path()).unwrap_err();
    assert!(
        unbound.contains("channel binding required, but SSL not in use"),
        "{unbound}"
    );
    let wrong = both(&conninfo("not the password"), &[], home.path()).unwrap_err();
    assert!(
        wrong.contains("password authentication failed for user \"pwuser\""),
        "{wrong}"
    );
}

#[test]
fn services_key_value_strings_and_socket_urls() {
    let t = tls();
    let home = tempfile::tempdir().unwrap();
    let services = home.path().join("services.conf");
    std::fs::write(
        &services,
        format!(
            "# the plain server\n[plain]\nhost=127.0.0.1\nport={}\nuser=postgres\ndbname=postgres\n",
            t.plain_port()
        ),
    )
    .unwrap();
    let file = services.display().to_string();
    assert!(both("service=plain", &[("PGSERVICEFILE", &file)], home.path()).is_ok());
    // The service file comes before the environment (libpq's order).
    assert!(
        both(
            "service=plain",
            &[("PGSERVICEFILE", &file), ("PGPORT", "1")],
            home.path()
        )
        .is_ok()
    );
    let unknown = both("service=nope", &[("PGSERVICEFILE", &file)], home.path()).unwrap_err();
    assert!(
        unknown.contains("definition of service \"nope\" not found"),
        "{unknown}"
    );
    // ~/.pg_service.conf
    std::fs::copy(&services, home.path().join(".pg_service.conf")).unwrap();
    assert!(both("", &[("PGSERVICE", "plain")], home.path()).is_ok());
    // A unix socket as a percent-encoded URL host, and as host= in the query.
    let dir = t.plain_server.dir().display().to_string();
    let encoded = dir.replace('/', "%2F");
    let port = t.plain_port();
    assert!(
        both(
            &format!("postgresql://postgres@{encoded}:{port}/postgres"),
            &[],
            home.path()
        )
        .is_ok()
    );
    assert!(
        both(
            &format!("postgres:///postgres?host={dir}&port={port}&user=postgres"),
            &[],
            home.path()
        )
        .is_ok()
    );
    // Quoted key=value values, spaces around `=`, a backslash escaping the next character.
    let quoted = format!("host='{dir}' port = {port} user='postgres' dbname='post\\gres'");
    assert!(both(&quoted, &[], home.path()).is_ok());
    let quote_inside = format!("host='{dir}' port = {port} user='postgres' dbname='no\\'pe'");
    let missing = both(&quote_inside, &[], home.path()).unwrap_err();
    assert!(
        missing.contains("database \"no'pe\" does not exist"),
        "{missing}"
    );
}

#[test]
fn several_hosts_give_the_first_that_answers_with_the_session_asked_for() {
    let t = tls();
    let home = tempfile::tempdir().unwrap();
    // A port nobody listens on: bound and released.
    let dead = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let two = format!(
        "host=127.0.0.1,127.0.0.1 port={dead},{} user=postgres dbname=postgres",
        t.plain_port()
    );
    assert!(both(&two, &[], home.path()).is_ok());
    let read_only = start_read_only_server();
    let standby_first = format!(
        "host=127.0.0.1,127.0.0.1 port={},{} user=postgres dbname=postgres",
        read_only.port,
        t.plain_port()
    );
    let env = env_in(home.path());
    let on = |conninfo: &str| {
        Target::parse(conninfo, &env)
            .and_then(|t| t.connect())
            .map(|c| c.server)
    };
    // any: the first host, read-only or not.
    assert_eq!(
        on(&standby_first).unwrap(),
        format!("127.0.0.1:{}", read_only.port)
    );
    // read-write: the read-only server is passed over.
    let read_write = format!("{standby_first} target_session_attrs=read-write");
    both(&read_write, &[], home.path()).unwrap();
    assert_eq!(
        on(&read_write).unwrap(),
        format!("127.0.0.1:{}", t.plain_port())
    );
    // primary asks only "not in recovery": a read-only primary is still a primary (libpq).
    let primary = format!("{standby_first} target_session_attrs=primary");
    assert_eq!(
        on(&primary).unwrap(),
        format!("127.0.0.1:{}", read_only.port)
    );
    // standby: neither is in recovery; prefer-standby then takes the first that answers.
    let standby = on(&format!("{standby_first} target_session_attrs=standby")).unwrap_err();
    assert!(
        standby
            .to_string()
            .contains("server is not in hot standby mode"),
        "{standby}"
    );
    let prefer = on(&format!(
        "{standby_first} target_session_attrs=prefer-standby"
    ))
    .unwrap();
    assert_eq!(prefer, format!("127.0.0.1:{}", read_only.port));
    // What apply and rollback use: a writable primary even when the string says nothing.
    let writable = Target::parse(&standby_first, &env)
        .unwrap()
        .writable()
        .unwrap();
    assert_eq!(
        writable.connect().unwrap().server,
        format!("127.0.0.1:{}", t.plain_port())
    );
    // Only the read-only server: every host's failure is reported.
    let alone = format!(
        "host=127.0.0.1 port={} user=postgres dbname=postgres target_session_attrs=read-write",
        read_only.port
    );
    let failed = both(&alone, &[], home.path()).unwrap_err();
    assert!(failed.contains("session is read-only"), "{failed}");
    let refused = Target::parse(&format!("{alone} target_session_attrs=standby"), &env)
        .unwrap()
        .writable();
    assert!(
        matches!(refused, Err(ConnError::Settings(_))),
        "{refused:?}"
    );
}

#[test]
fn an_unreachable_host_fails_after_connect_timeout() {
    // A listener that never accepts: the TCP handshake completes, the startup never does.
    let silent = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = silent.local_addr().unwrap().port();
    let home = tempfile::tempdir().unwrap();
    let started = std::time::Instant::now();
    let failed = Target::parse(
        &format!("host=127.0.0.1 port={port} user=postgres connect_timeout=2"),
        &env_in(home.path()),
    )
    .and_then(|t| t.connect())
    .err()
    .expect("a silent server gives no connection")
    .to_string();
    let took = started.elapsed();
    assert!(took >= std::time::Duration::from_secs(2), "{took:?}");
    assert!(failed.contains(&format!("port {port} failed")), "{failed}");
    assert!(
        failed.to_lowercase().contains("timeout") || failed.contains("timed out"),
        "{failed}"
    );
}
