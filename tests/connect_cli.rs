//! Connecting from the command line: a plan applied over TLS with a verified server and a
//! client certificate, a target from the PG* environment, no target from any source, every
//! bad input refused with one line that names the parameter or file (and nothing applied), and
//! no password ever printed.

use std::path::Path;
use std::process::{Command, Output, Stdio};

use crate::harness::{repo_path, server};
use crate::tls_support::{
    GOOD_HOST, PASSWORD_USER, PASSWORD_USER_PASSWORD, set_mode, start_tls_server, tls,
};

/// schemaplan with only the environment the test gives (HOME an empty directory unless set).
fn schemaplan(args: &[&str], vars: &[(&str, &str)]) -> Output {
    let home = tempfile::tempdir().unwrap();
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_schemaplan"));
    cmd.args(args)
        .current_dir(repo_path(""))
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", home.path())
        .stdin(Stdio::null());
    if let Some(tmp) = std::env::var_os("TMPDIR") {
        cmd.env("TMPDIR", tmp);
    }
    // The server binaries under test (`SCHEMAPLAN_TEST_PG`), for its shadow.
    if let Some(dir) = crate::harness::server_bindir() {
        cmd.env(schemaplan::pg::binaries::BINDIR_VAR, dir);
    }
    for (k, v) in vars {
        cmd.env(k, v);
    }
    cmd.output().expect("run schemaplan")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

const NOTES: &str = "
schemas:
  public:
    tables:
      notes:
        columns:
          id: { type: bigint, identity: always }
          body: { type: text, not_null: true }
        primary_key: [id]
";

fn desired(dir: &Path) -> String {
    let file = dir.join("desired.yaml");
    std::fs::write(&file, NOTES).unwrap();
    file.display().to_string()
}

/// A fresh database on a test server, created through its unix socket.
fn create_database(socket_conninfo: &str, name: &str) {
    let mut admin = postgres::Client::connect(socket_conninfo, postgres::NoTls).unwrap();
    for statement in [
        format!("DROP DATABASE IF EXISTS {name}"),
        format!("CREATE DATABASE {name}"),
    ] {
        admin.batch_execute(&statement).unwrap();
    }
}

/// The tables of a database (schemaplan's own included), read through the socket.
fn tables(socket_conninfo: &str) -> Vec<String> {
    let mut client = postgres::Client::connect(socket_conninfo, postgres::NoTls).unwrap();
    client
        .query(
            "SELECT n.nspname || '.' || c.relname FROM pg_class c
             JOIN pg_namespace n ON n.oid = c.relnamespace
             WHERE c.relkind IN ('r', 'p') AND n.nspname NOT IN ('pg_catalog', 'information_schema')
             ORDER BY 1",
            &[],
        )
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect()
}

fn verified(port: u16, dbname: &str) -> String {
    let t = tls();
    format!(
        "host={GOOD_HOST} port={port} user=postgres dbname={dbname} sslmode=verify-full \
         sslrootcert={} sslcert={} sslkey={}",
        t.ca.display(),
        t.client_cert.display(),
        t.client_key.display()
    )
}

#[test]
fn a_plan_applies_over_verified_tls_with_a_client_certificate_and_converges() {
    let t = tls();
    create_database(&t.tls_server.conninfo("postgres"), "tls_app");
    let dir = tempfile::tempdir().unwrap();
    let desired = desired(dir.path());
    let url = verified(t.tls_port(), "tls_app");
    let dev = server().maintenance_conninfo();
    let common = [
        "--desired",
        &desired,
        "--database-url",
        &url,
        "--dev-url",
        &dev,
    ];
    let plan = schemaplan(&[&["plan"], &common[..]].concat(), &[]);
    assert_eq!(plan.status.code(), Some(0), "{}", text(&plan.stderr));
    assert!(
        text(&plan.stdout).contains("CREATE TABLE public.notes"),
        "{}",
        text(&plan.stdout)
    );
    let apply = schemaplan(&[&["apply", "--yes"], &common[..]].concat(), &[]);
    let stderr = text(&apply.stderr);
    assert_eq!(apply.status.code(), Some(0), "{stderr}");
    assert!(
        stderr.contains(&format!(
            "Connected to {GOOD_HOST}:{} (127.0.0.1) as postgres, TLS (",
            t.tls_port()
        )) && stderr.contains("verify-full"),
        "{stderr}"
    );
    let again = schemaplan(&[&["plan", "--exit-code"], &common[..]].concat(), &[]);
    assert_eq!(again.status.code(), Some(0), "{}", text(&again.stdout));
    assert!(tables(&t.tls_server.conninfo("tls_app")).contains(&"public.notes".to_string()));
}

#[test]
fn the_pg_environment_is_a_target_when_no_url_is_given() {
    let t = tls();
    create_database(&t.tls_server.conninfo("postgres"), "tls_env");
    let dir = tempfile::tempdir().unwrap();
    let desired = desired(dir.path());
    let port = t.tls_port().to_string();
    let (ca, cert, key) = (
        t.ca.display().to_string(),
        t.client_cert.display().to_string(),
        t.client_key.display().to_string(),
    );
    let vars = [
        ("PGHOST", GOOD_HOST),
        ("PGPORT", &port),
        ("PGUSER", "postgres"),
        ("PGDATABASE", "tls_env"),
        ("PGSSLMODE", "verify-full"),
        ("PGSSLROOTCERT", &ca),
        ("PGSSLCERT", &cert),
        ("PGSSLKEY", &key),
    ];
    let dev = server().maintenance_conninfo();
    let out = schemaplan(
        &[
            "plan",
            "--exit-code",
            "--desired",
            &desired,
            "--dev-url",
            &dev,
        ],
        &vars,
    );
    // Changes pending on that database (not an embedded one: no "Target:" line).
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
    assert!(
        !text(&out.stdout).contains("embedded"),
        "{}",
        text(&out.stdout)
    );
    let status = schemaplan(&["status"], &vars);
    assert_eq!(status.status.code(), Some(0), "{}", text(&status.stderr));
}

#[test]
fn with_no_target_from_any_source_only_a_plain_plan_runs_and_says_so() {
    for args in [
        &["plan", "--exit-code"][..],
        &["apply", "--yes"],
        &["status"],
        &["rollback", "--yes"],
        &["inspect"],
    ] {
        let out = schemaplan(args, &[]);
        let stderr = text(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{args:?}: {stderr}");
        assert!(
            stderr.contains("no target database: pass --database-url, set DATABASE_URL, or set PGHOST, PGDATABASE or PGSERVICE"),
            "{args:?}: {stderr}"
        );
    }
    let plan = schemaplan(&["plan"], &[]);
    assert_eq!(plan.status.code(), Some(0), "{}", text(&plan.stderr));
    let stdout = text(&plan.stdout);
    assert!(
        stdout
            .lines()
            .next()
            .unwrap_or_default()
            .starts_with("Target: an empty embedded database"),
        "{stdout}"
    );
}

/// Every bad input: exit 1, `error: cannot connect to …` naming what is wrong, nothing applied.
#[test]
fn bad_connection_settings_are_refused_with_one_line_and_nothing_is_applied() {
    let t = tls();
    create_database(&t.plain_server.conninfo("postgres"), "untouched");
    create_database(&t.tls_server.conninfo("postgres"), "untouched");
    let dir = tempfile::tempdir().unwrap();
    let desired = desired(dir.path());
    let dev = server().maintenance_conninfo();
    let plain = format!(
        "host=127.0.0.1 port={} user=postgres dbname=untouched",
        t.plain_port()
    );
    let on_tls = |extra: &str| {
        format!(
            "host={GOOD_HOST} port={} user=postgres dbname=untouched sslcert={} sslkey={} {extra}",
            t.tls_port(),
            t.client_cert.display(),
            t.client_key.display()
        )
    };
    let open_key = dir.path().join("open.key");
    std::fs::copy(&t.client_key, &open_key).unwrap();
    set_mode(&open_key, 0o644);
    let expired = start_tls_server(&t.expired);
    let other_host = start_tls_server(&t.other_host);
    for server in [&expired, &other_host] {
        create_database(&server.conninfo("postgres"), "untouched");
    }
    let silent = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let silent_port = silent.local_addr().unwrap().port();
    let ca = t.ca.display().to_string();
    let cases: Vec<(String, String)> = vec![
        (
            format!("{plain} sslmode=sometimes"),
            "invalid sslmode value: \"sometimes\"".into(),
        ),
        (
            on_tls("sslmode=verify-full sslrootcert=/nonexistent/root.crt"),
            "root certificate file \"/nonexistent/root.crt\" does not exist".into(),
        ),
        (
            format!(
                "host={GOOD_HOST} port={} user=postgres dbname=untouched sslmode=require sslcert={} sslkey=/nonexistent/client.key",
                t.tls_port(),
                t.client_cert.display()
            ),
            "certificate present, but not private key file \"/nonexistent/client.key\"".into(),
        ),
        (
            format!(
                "host={GOOD_HOST} port={} user=postgres dbname=untouched sslmode=require sslcert={} sslkey={}",
                t.tls_port(),
                t.client_cert.display(),
                open_key.display()
            ),
            format!(
                "private key file \"{}\" has group or world access",
                open_key.display()
            ),
        ),
        (
            format!("{plain} sslmode=require"),
            "server does not support SSL, but SSL was required".into(),
        ),
        (
            format!(
                "host={GOOD_HOST} port={} user=postgres dbname=untouched sslmode=verify-full sslrootcert={ca} sslcert={} sslkey={}",
                other_host.port,
                t.client_cert.display(),
                t.client_key.display()
            ),
            format!(
                "server certificate for \"db.other.test\" does not match host name \"{GOOD_HOST}\""
            ),
        ),
        (
            on_tls(&format!(
                "sslmode=verify-ca sslrootcert={}",
                t.untrusted_ca.display()
            )),
            "certificate verify failed".into(),
        ),
        (
            format!(
                "host={GOOD_HOST} port={} user=postgres dbname=untouched sslmode=verify-ca sslrootcert={ca} sslcert={} sslkey={}",
                expired.port,
                t.client_cert.display(),
                t.client_key.display()
            ),
            "certificate has expired".into(),
        ),
        (
            format!(
                "postgresql://{PASSWORD_USER}:wrong-secret@127.0.0.1:{}/untouched",
                t.plain_port()
            ),
            format!("FATAL:  password authentication failed for user \"{PASSWORD_USER}\""),
        ),
        (
            "service=nowhere".into(),
            "definition of service \"nowhere\" not found".into(),
        ),
        (
            format!("host=127.0.0.1 port={silent_port} user=postgres connect_timeout=2"),
            "timeout expired".into(),
        ),
    ];
    for (url, expected) in &cases {
        let out = schemaplan(
            &[
                "apply",
                "--yes",
                "--desired",
                &desired,
                "--database-url",
                url,
                "--dev-url",
                &dev,
            ],
            &[],
        );
        let stderr = text(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{url}: {stderr}");
        let first = stderr.lines().next().unwrap_or_default();
        assert!(
            first.starts_with("error: cannot connect to "),
            "{url}: {stderr}"
        );
        assert!(
            first.contains(expected.as_str()),
            "{url}: expected `{expected}` in {first:?}"
        );
        assert!(!stderr.contains("wrong-secret"), "{stderr}");
    }
    for socket in [
        t.plain_server.conninfo("untouched"),
        t.tls_server.conninfo("untouched"),
        expired.conninfo("untouched"),
        other_host.conninfo("untouched"),
    ] {
        assert_eq!(tables(&socket), Vec::<String>::new(), "{socket}");
    }
}

#[test]
fn passwords_are_never_printed() {
    let t = tls();
    create_database(&t.plain_server.conninfo("postgres"), "secrets");
    // The password user owns the database (and so, through pg_database_owner, its public
    // schema): no grant to a role the shadow server would lack.
    let mut admin =
        postgres::Client::connect(&t.plain_server.conninfo("postgres"), postgres::NoTls).unwrap();
    admin
        .batch_execute(&format!("ALTER DATABASE secrets OWNER TO {PASSWORD_USER}"))
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let desired = desired(dir.path());
    let encoded: String = PASSWORD_USER_PASSWORD
        .replace('%', "%25")
        .replace(':', "%3A")
        .replace('\\', "%5C");
    let url = format!(
        "postgresql://{PASSWORD_USER}:{encoded}@127.0.0.1:{}/secrets?sslmode=disable",
        t.plain_port()
    );
    let dev = server().maintenance_conninfo();
    let plan_file = dir.path().join("plan.json");
    let plan_file = plan_file.display().to_string();
    let outputs = [
        schemaplan(
            &[
                "plan",
                "--timings",
                "--out",
                &plan_file,
                "--desired",
                &desired,
                "--database-url",
                &url,
                "--dev-url",
                &dev,
            ],
            &[],
        ),
        schemaplan(
            &[
                "apply",
                "--yes",
                "--desired",
                &desired,
                "--database-url",
                &url,
                "--dev-url",
                &dev,
            ],
            &[],
        ),
        schemaplan(&["status", "--database-url", &url], &[]),
        schemaplan(
            &[
                "plan",
                "--desired",
                &desired,
                "--database-url",
                &url.replace(&encoded, "not-it"),
                "--dev-url",
                &dev,
            ],
            &[],
        ),
    ];
    assert_eq!(
        outputs[1].status.code(),
        Some(0),
        "{}",
        text(&outputs[1].stderr)
    );
    let saved = std::fs::read_to_string(&plan_file).unwrap();
    let mut history =
        postgres::Client::connect(&t.plain_server.conninfo("secrets"), postgres::NoTls).unwrap();
    let recorded: String = history
        .query_one("SELECT to_jsonb(m)::text FROM schemaplan.migrations m", &[])
        .unwrap()
        .get(0);
    for secret in [encoded.as_str(), PASSWORD_USER_PASSWORD, "not-it"] {
        for out in &outputs {
            assert!(!text(&out.stdout).contains(secret) && !text(&out.stderr).contains(secret));
        }
        assert!(!saved.contains(secret) && !recorded.contains(secret));
    }
    // The failed one said why, with the URL's password hidden.
    let failed = text(&outputs[3].stderr);
    assert!(
        failed.contains(&format!("postgresql://{PASSWORD_USER}:***@")),
        "{failed}"
    );
}

/// Each way a password can be written, the secret in it never printed: raw `?` and `#` in a
/// URL's password (libpq takes everything up to the `@`), a raw `@` (libpq ends the password
/// at the first one, so the connection fails and its error names the target), a
/// percent-encoded `@`, a quoted `key=value` password with spaces, and `?password=`; each as
/// the target and in `--dev-url`, through `plan`, `apply` ("Applying to …") and `status`.
#[test]
fn every_form_of_password_is_hidden() {
    const SECRET: &str = "S3cr3t";
    let t = tls();
    let port = t.plain_port();
    let dir = tempfile::tempdir().unwrap();
    let desired = desired(dir.path());
    // The plain server trusts every role but pwuser over TCP: a form libpq reads as this role
    // connects whatever its password says. `DB` is each form's own database.
    let forms = [
        (
            "raw ? and #",
            "postgresql://postgres:Qm?S3cr3t#77@127.0.0.1:PORT/DB",
            true,
        ),
        (
            "raw @",
            "postgresql://postgres:Qm@S3cr3t@127.0.0.1:PORT/DB",
            false,
        ),
        (
            "encoded @",
            "postgresql://postgres:Qm%40S3cr3t@127.0.0.1:PORT/DB",
            true,
        ),
        (
            "key=value",
            "host=127.0.0.1 port=PORT user=postgres password='Qm ?#@ S3cr3t' dbname=DB",
            true,
        ),
        (
            "?password=",
            "postgresql://postgres@127.0.0.1:PORT/DB?password=Qm%3FS3cr3t%23&sslmode=disable",
            true,
        ),
    ];
    let dev = server().maintenance_conninfo();
    let dev_with_password = format!("{dev} password='dev?#@{SECRET}'");
    for (i, (form, url, connects)) in forms.iter().enumerate() {
        let db = format!("redacted{i}");
        create_database(&t.plain_server.conninfo("postgres"), &db);
        let url = url.replace("PORT", &port.to_string()).replace("DB", &db);
        let runs = [
            vec![
                "plan",
                "--desired",
                &desired,
                "--database-url",
                &url,
                "--dev-url",
                &dev_with_password,
            ],
            vec![
                "apply",
                "--yes",
                "--desired",
                &desired,
                "--database-url",
                &url,
                "--dev-url",
                &dev,
            ],
            vec!["status", "--database-url", &url],
        ];
        for args in runs {
            let out = schemaplan(&args, &[]);
            let (stdout, stderr) = (text(&out.stdout), text(&out.stderr));
            assert!(
                !stdout.contains(SECRET) && !stderr.contains(SECRET),
                "{form}, {}: the password was printed:\n{stdout}\n{stderr}",
                args[0]
            );
            // The run did what the form allows: it connected, or said which target failed.
            if *connects {
                assert_eq!(out.status.code(), Some(0), "{form}, {}: {stderr}", args[0]);
            } else {
                assert_eq!(out.status.code(), Some(1), "{form}, {}: {stdout}", args[0]);
                assert!(stderr.contains("***"), "{form}, {}: {stderr}", args[0]);
            }
            if *connects && args[0] == "apply" {
                let applying = stdout.lines().find(|l| l.contains("Applying to"));
                assert!(
                    applying.is_some_and(|l| l.contains("***")),
                    "{form}: {stdout}"
                );
            }
        }
    }
}
