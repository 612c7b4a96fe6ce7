//! The shadow and the rehearsal run SQL from the YAML without a superuser's rights: on the
//! embedded cluster as the shadow role (`pg::privileged`), which may not run programs, read
//! server files or create roles; what needs a superuser (extensions) still works. Each check is
//! made to fail under a superuser, and a superuser's shadow (a `--dev-url` server whose role is
//! one) shows that it does. Hooks run in the rehearsal's copy, never in the target, until
//! `apply`.

use std::path::{Path, PathBuf};
use std::process::Output;

use schemaplan::pg::conn::{Env, Target};
use schemaplan::pg::db::Server;
use schemaplan::pipeline::{self, PlanOptions, Planned};
use schemaplan::yaml::{self, Desired};

use crate::harness::{TestDb, apply_plan, schemaplan_command, server, shadow_server};

fn desired(yaml: &str) -> Desired {
    yaml::load_sources(&[("desired.yaml".into(), yaml.to_string())])
        .unwrap_or_else(|e| panic!("{e}\n{yaml}"))
}

fn rehearsed() -> PlanOptions {
    PlanOptions {
        rehearse: true,
        ..Default::default()
    }
}

/// The tests' own cluster as a `--dev-url` server: its role is the superuser `postgres`.
fn superuser_shadow() -> Server {
    Server::from_target(Target::parse(&server().maintenance_conninfo(), &Env::empty()).unwrap())
}

fn plan_on(db: &mut TestDb, yaml: &str, shadow: &Server) -> Result<Planned, String> {
    pipeline::plan(db.client(), &desired(yaml), shadow, &rehearsed()).map_err(|e| e.to_string())
}

/// The error of a plan that must fail.
fn refused(db: &mut TestDb, yaml: &str, shadow: &Server) -> String {
    match plan_on(db, yaml, shadow) {
        Ok(planned) => panic!("planned:\n{}", planned.plan.to_sql()),
        Err(e) => e,
    }
}

/// A directory the server's OS user may write into, so that a program the server runs could
/// leave a file there: a test that looks for the file must be able to find it.
fn writable_dir() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::set_permissions(
        dir.path(),
        std::os::unix::fs::PermissionsExt::from_mode(0o777),
    )
    .unwrap();
    dir
}

/// SQL that runs a program creating `marker`.
fn run_program(marker: &Path) -> String {
    format!(
        "COPY (SELECT 1) TO PROGRAM 'touch {}'",
        marker.display().to_string().replace('\'', "''")
    )
}

/// PostgreSQL's refusal (SQLSTATE 42501, insufficient privilege) of `COPY … TO PROGRAM`, as
/// 15 and later word it; 13 and 14 say "a member of" for "have privileges of".
const REFUSED_PROGRAM: [&str; 2] = [
    "must be superuser or have privileges of the \
     pg_execute_server_program role to COPY to or from an external program",
    "must be superuser or a member of the \
     pg_execute_server_program role to COPY to or from an external program",
];

fn says_program_refused(message: &str) -> bool {
    REFUSED_PROGRAM.iter().any(|r| message.contains(r))
}

/// Fails (division by zero) when the role that runs it is a superuser or may run programs,
/// read or write server files.
const NOT_POWERFUL: &str = "1 / (CASE WHEN pg_catalog.current_setting('is_superuser') = 'on' \
     OR pg_catalog.pg_has_role('pg_execute_server_program', 'MEMBER') \
     OR pg_catalog.pg_has_role('pg_read_server_files', 'MEMBER') \
     OR pg_catalog.pg_has_role('pg_write_server_files', 'MEMBER') \
     OR (SELECT rolcreaterole FROM pg_catalog.pg_roles WHERE rolname = current_user) \
     THEN 0 ELSE 1 END)";

#[test]
fn the_shadow_and_the_rehearsal_run_the_yaml_without_superuser_rights() {
    // Populated when created: in the shadow (desired state) and in the rehearsal (its step).
    // A hook checks the rehearsal's session too.
    let yaml = format!(
        "
schemas:
  public:
    materialized_views:
      built_by: SELECT {NOT_POWERFUL} AS not_powerful, session_user::text AS who
hooks:
  check_the_role:
    up: SELECT {NOT_POWERFUL}
    down: SELECT 1
"
    );
    let mut db = TestDb::fresh();
    let planned = plan_on(&mut db, &yaml, shadow_server()).unwrap();
    let rehearsal = planned.rehearsal.as_ref().expect("rehearsed");
    assert!(rehearsal.passed(), "{}", rehearsal.summary(&planned.plan));
    assert!(
        planned
            .plan
            .steps
            .iter()
            .any(|s| s.kind == "run_hook" && s.object.contains("check_the_role")),
        "{}",
        planned.plan.to_sql()
    );

    // The same YAML on a superuser's shadow fails: the check can fail.
    let e = refused(&mut db, &yaml, &superuser_shadow());
    assert!(e.contains("division by zero"), "{e}");
}

#[test]
fn copy_to_program_from_a_hook_in_the_rehearsal_is_refused() {
    let dir = writable_dir();
    let marker = dir.path().join("hook-ran-a-program");
    let yaml = format!(
        "
schemas:
  public:
    tables:
      notes:
        columns:
          id: bigint
hooks:
  run_a_program:
    up: {}
    down: SELECT 1
",
        run_program(&marker)
    );
    let mut db = TestDb::fresh();
    let planned = plan_on(&mut db, &yaml, shadow_server()).unwrap();
    let rehearsal = planned.rehearsal.as_ref().expect("rehearsed");
    let summary = rehearsal.summary(&planned.plan);
    assert!(!rehearsal.passed(), "{summary}");
    assert!(summary.contains("run hook"), "{summary}");
    assert!(says_program_refused(&summary), "{summary}");
    assert!(!marker.exists(), "the program ran");

    // A superuser's rehearsal runs it: the marker is where the test looks.
    let planned = plan_on(&mut db, &yaml, &superuser_shadow()).unwrap();
    let rehearsal = planned.rehearsal.as_ref().expect("rehearsed");
    assert!(rehearsal.passed(), "{}", rehearsal.summary(&planned.plan));
    assert!(
        marker.exists(),
        "a superuser's hook did not run the program"
    );
}

#[test]
fn copy_to_program_from_a_function_the_shadow_calls_is_refused() {
    let dir = writable_dir();
    let marker = dir.path().join("function-ran-a-program");
    // The materialized view calls the function when the shadow creates it.
    let yaml = format!(
        "
schemas:
  public:
    functions:
      run_a_program:
        returns: integer
        language: plpgsql
        body: BEGIN {}; RETURN 1; END
    materialized_views:
      calls_it: SELECT public.run_a_program() AS ran
",
        run_program(&marker)
    );
    let mut db = TestDb::fresh();
    let e = refused(&mut db, &yaml, shadow_server());
    assert!(e.contains("public.calls_it"), "{e}");
    assert!(says_program_refused(&e), "{e}");
    assert!(!marker.exists(), "the program ran");

    plan_on(&mut db, &yaml, &superuser_shadow()).unwrap();
    assert!(
        marker.exists(),
        "a superuser's shadow did not run the program"
    );
}

#[test]
fn a_role_the_shadow_cannot_create_and_a_superuser_only_function_are_refused_with_their_place() {
    // Creating a role needs CREATEROLE; a LEAKPROOF function needs a superuser.
    let yaml = "
schemas:
  public:
    materialized_views:
      made_a_role: SELECT public.make_role() AS made
    functions:
      make_role:
        returns: integer
        language: plpgsql
        body: BEGIN CREATE ROLE shadow_made_this; RETURN 1; END
";
    let mut db = TestDb::fresh();
    let e = refused(&mut db, yaml, shadow_server());
    assert!(e.contains("permission denied to create role"), "{e}");
    let mut admin = postgres::Client::connect(&server().maintenance_conninfo(), postgres::NoTls)
        .expect("connect to the test cluster");
    let made: i64 = admin
        .query_one(
            "SELECT count(*) FROM pg_roles WHERE rolname = 'shadow_made_this'",
            &[],
        )
        .unwrap()
        .get(0);
    assert_eq!(made, 0);

    let yaml = "
schemas:
  public:
    functions:
      peek:
        arguments: x integer
        returns: integer
        language: sql
        leakproof: true
        body: SELECT x
";
    let e = refused(&mut db, yaml, shadow_server());
    assert!(e.contains("desired.yaml:"), "{e}");
    assert!(e.contains("public.peek"), "{e}");
    assert!(
        e.contains("only superuser can define a leakproof function"),
        "{e}"
    );
    assert!(e.contains("without a superuser's rights"), "{e}");
}

/// Extensions are created (and dropped, updated, moved) by the bootstrap superuser: the six
/// common trusted ones and an untrusted one plan, rehearse up and down, apply, and plan empty.
#[test]
fn extensions_work_in_the_shadow_and_the_rehearsal() {
    let yaml = r#"
extensions: [pg_trgm, citext, hstore, pgcrypto, btree_gist, uuid-ossp, pg_buffercache]
schemas:
  public:
    tables:
      people:
        columns:
          id: { type: uuid, default: uuid_generate_v4(), not_null: true }
          email: { type: citext, not_null: true }
          attrs: hstore
          salt: { type: bytea, default: gen_random_bytes(16) }
          room: integer
          during: tstzrange
        primary_key: [id]
        exclude:
          people_no_double_booking:
            using: gist
            elements:
              - { column: room, with: "=" }
              - { column: during, with: "&&" }
        indexes:
          people_email_trgm:
            method: gin
            columns: [{ expression: "email::text", opclass: gin_trgm_ops }]
"#;
    let mut db = TestDb::fresh();
    let planned = plan_on(&mut db, yaml, shadow_server()).unwrap();
    let rehearsal = planned.rehearsal.as_ref().expect("rehearsed");
    assert!(
        rehearsal.passed() && rehearsal.down == schemaplan::pg::rehearse::Outcome::Passed,
        "{}\n{}",
        rehearsal.summary(&planned.plan),
        planned.plan.to_sql()
    );
    apply_plan(&mut db, &planned.plan);
    let again = plan_on(&mut db, yaml, shadow_server()).unwrap();
    assert!(again.plan.is_empty(), "{}", again.plan.to_sql());

    // Dropping them is rehearsed too (and creating them again, going down).
    let planned = plan_on(&mut db, "schemas: { public: {} }", shadow_server()).unwrap();
    let rehearsal = planned.rehearsal.as_ref().expect("rehearsed");
    assert!(
        rehearsal.passed(),
        "{}\n{}",
        rehearsal.summary(&planned.plan),
        planned.plan.to_sql()
    );
    assert!(
        planned
            .plan
            .steps
            .iter()
            .any(|s| s.kind == "drop_extension" && s.object == "pg_buffercache"),
        "{}",
        planned.plan.to_sql()
    );
}

fn schemaplan(args: &[&str]) -> Output {
    schemaplan_command(args).output().expect("run schemaplan")
}

fn write_desired(dir: &Path, yaml: &str) -> PathBuf {
    let file = dir.join("desired.yaml");
    std::fs::write(&file, yaml).unwrap();
    file
}

fn text(out: &Output) -> String {
    format!(
        "exit {:?}\n--- stdout:\n{}\n--- stderr:\n{}",
        out.status.code(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

const SMALL: &str = "
schemas:
  public:
    tables:
      notes:
        columns:
          id: { type: bigint, not_null: true }
        primary_key: [id]
";

#[test]
fn a_superuser_dev_url_is_warned_about_and_a_createdb_role_is_not() {
    const WARNING: &str = "is a superuser: SQL from the YAML runs with its rights on that server; \
                           use a role with CREATEDB only";
    let dir = tempfile::tempdir().unwrap();
    let file = write_desired(dir.path(), SMALL);
    let file = file.to_str().unwrap();
    let db = TestDb::fresh();
    let plan = |dev: &str| {
        schemaplan(&[
            "plan",
            "--desired",
            file,
            "--database-url",
            &db.conninfo(),
            "--dev-url",
            dev,
        ])
    };

    let out = plan(&server().maintenance_conninfo());
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains(&format!("warning: the --dev-url role postgres {WARNING}")),
        "{}",
        text(&out)
    );
    assert_eq!(stderr.matches(WARNING).count(), 1, "{}", text(&out));

    let mut admin = postgres::Client::connect(&server().maintenance_conninfo(), postgres::NoTls)
        .expect("connect to the test cluster");
    admin
        .batch_execute(
            "DO $$ BEGIN CREATE ROLE shadow_createdb_only LOGIN CREATEDB; \
             EXCEPTION WHEN duplicate_object THEN NULL; END $$",
        )
        .unwrap();
    let dev = format!(
        "{} user=shadow_createdb_only",
        server().maintenance_conninfo()
    );
    let out = plan(&dev);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("rehearsed: up converges"),
        "{}",
        text(&out)
    );
    assert!(
        !String::from_utf8_lossy(&out.stderr).contains("superuser"),
        "{}",
        text(&out)
    );
}

/// `plan` runs a hook only in the rehearsal's copy; `apply` runs it in the target. Through the
/// binary and its own embedded cluster (no `--dev-url`), as a user runs it.
#[test]
fn plan_never_runs_a_hook_on_the_target() {
    let yaml = format!(
        "{SMALL}
hooks:
  leave_a_mark:
    up: |
      CREATE SCHEMA IF NOT EXISTS hook_marks;
      CREATE TABLE hook_marks.ran (x integer);
      SELECT CASE WHEN current_database() LIKE 'schemaplan\\_rehearsal%' THEN {NOT_POWERFUL} END
    down: DROP SCHEMA hook_marks CASCADE
"
    );
    let dir = tempfile::tempdir().unwrap();
    let file = write_desired(dir.path(), &yaml);
    let file = file.to_str().unwrap();
    let mut db = TestDb::fresh();
    let marked = |db: &mut TestDb| -> bool {
        db.client()
            .query_one("SELECT to_regclass('hook_marks.ran') IS NOT NULL", &[])
            .unwrap()
            .get(0)
    };
    let url = db.conninfo();
    let out = schemaplan(&["plan", "--desired", file, "--database-url", &url]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("leave_a_mark"), "{}", text(&out));
    // The hook ran in the copy (as the shadow role: its check passed) …
    assert!(stdout.contains("rehearsed: up converges"), "{}", text(&out));
    assert!(
        !String::from_utf8_lossy(&out.stderr).contains("warning"),
        "{}",
        text(&out)
    );
    // … and not in the target.
    assert!(!marked(&mut db), "plan ran the hook on the target");

    let out = schemaplan(&["apply", "--yes", "--desired", file, "--database-url", &url]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert!(marked(&mut db), "apply did not run the hook");
}
