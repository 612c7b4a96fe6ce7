//! The command line as users and CI scripts see it: exit codes, formats, confirmation, redaction.

use std::path::Path;
use std::process::{Command, Output, Stdio};

use crate::harness::{TestDb, schemaplan_command, server};

fn schemaplan(args: &[&str]) -> Output {
    schemaplan_command(args).output().expect("run schemaplan")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// `--database-url` and `--dev-url` for a test database.
fn urls(db: &TestDb) -> Vec<String> {
    vec![
        "--database-url".into(),
        db.conninfo(),
        "--dev-url".into(),
        server().maintenance_conninfo(),
    ]
}

fn run_on(db: &TestDb, args: &[&str]) -> Output {
    let mut all: Vec<String> = args.iter().map(|s| s.to_string()).collect();
    all.extend(urls(db));
    let refs: Vec<&str> = all.iter().map(String::as_str).collect();
    schemaplan(&refs)
}

fn write_desired(dir: &Path, yaml: &str) -> String {
    std::fs::create_dir_all(dir).unwrap();
    let file = dir.join("desired.yaml");
    std::fs::write(&file, yaml).unwrap();
    file.display().to_string()
}

const SMALL: &str = "
schemas:
  public:
    tables:
      notes:
        columns:
          id: { type: bigint, identity: always }
          body: { type: text, not_null: true }
        primary_key: [id]
";

#[test]
fn readme_first_command_plans_the_example_schema() {
    let out = schemaplan(&["plan"]);
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "stderr: {}", text(&out.stderr));
    assert!(stdout.contains("+ 8 tables"), "{stdout}");
    // A new database has no wedding data: the hooks that move it are left out, the others run.
    assert!(stdout.contains("~ 2 hooks"), "{stdout}");
    assert!(
        stdout.contains("hook migrate_wedding_guests: left out: public.wedding_guests is not a table in the database"),
        "{stdout}"
    );
    assert!(stdout.contains("CREATE TABLE public.events ("), "{stdout}");
    assert!(
        stdout.contains("CREATE VIEW public.wedding_guests AS"),
        "{stdout}"
    );
}

#[test]
fn broken_yaml_exits_1_with_every_problem_and_no_connection() {
    let out = schemaplan(&[
        "plan",
        "--desired",
        "tests/errors/unknown_keys",
        "--database-url",
        "postgres://nobody:secret@127.0.0.1:9/none",
    ]);
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr.contains("9 problems in the desired state"),
        "{stderr}"
    );
    assert!(stderr.contains("schema.yaml:10:29"), "{stderr}");
    assert!(
        !stderr.contains("connect"),
        "the database must not be touched: {stderr}"
    );
}

#[test]
fn exit_code_tells_whether_changes_are_pending() {
    let db = TestDb::fresh();
    let dir = tempfile::tempdir().unwrap();
    let desired = write_desired(dir.path(), SMALL);
    let pending = run_on(&db, &["plan", "--exit-code", "--desired", &desired]);
    assert_eq!(pending.status.code(), Some(2), "{}", text(&pending.stderr));
    let without_flag = run_on(&db, &["plan", "--desired", &desired]);
    assert_eq!(without_flag.status.code(), Some(0));
    let applied = run_on(&db, &["apply", "--yes", "--desired", &desired]);
    assert_eq!(applied.status.code(), Some(0), "{}", text(&applied.stderr));
    assert!(text(&applied.stdout).contains("[1/1] create table public.notes ... ok"));
    let done = run_on(&db, &["plan", "--exit-code", "--desired", &desired]);
    assert_eq!(done.status.code(), Some(0), "{}", text(&done.stdout));
    assert!(text(&done.stdout).contains("No changes"));
}

#[test]
fn apply_refuses_without_yes_when_stdin_is_not_a_terminal() {
    let mut db = TestDb::fresh();
    let dir = tempfile::tempdir().unwrap();
    let desired = write_desired(dir.path(), SMALL);
    let out = run_on(&db, &["apply", "--desired", &desired]);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("refusing to apply without --yes"));
    let tables: i64 = db
        .client()
        .query_one(
            "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'",
            &[],
        )
        .unwrap()
        .get(0);
    assert_eq!(tables, 0, "nothing may be applied");
}

#[test]
fn failed_atomic_apply_rolls_everything_back_and_names_the_step() {
    let mut db = TestDb::fresh();
    db.execute("CREATE TABLE notes (id bigint PRIMARY KEY); INSERT INTO notes VALUES (1);");
    let dir = tempfile::tempdir().unwrap();
    let desired = write_desired(
        dir.path(),
        "
schemas:
  public:
    tables:
      authors:
        columns:
          id: bigint
      notes:
        columns:
          id: bigint
          body: { type: text, not_null: true }
        primary_key: [id]
",
    );
    let out = run_on(&db, &["apply", "--yes", "--atomic", "--desired", &desired]);
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stdout));
    assert!(stderr.contains("add column public.notes.body"), "{stderr}");
    assert!(stderr.contains("contains null values"), "{stderr}");
    assert!(stderr.contains("nothing was applied"), "{stderr}");
    let authors: i64 = db
        .client()
        .query_one(
            "SELECT count(*) FROM pg_tables WHERE tablename = 'authors'",
            &[],
        )
        .unwrap()
        .get(0);
    assert_eq!(
        authors, 0,
        "the table created before the failure is rolled back"
    );
}

#[test]
fn json_lists_steps_with_their_contract_fields() {
    let db = TestDb::fresh();
    let dir = tempfile::tempdir().unwrap();
    let desired = write_desired(dir.path(), SMALL);
    let out = run_on(&db, &["plan", "--format", "json", "--desired", &desired]);
    assert_eq!(out.status.code(), Some(0));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let step = &json["steps"][0];
    assert_eq!(step["kind"], "create_table");
    assert_eq!(step["object"], "public.notes");
    assert_eq!(step["transactional"], true);
    assert!(
        step["up"][0]
            .as_str()
            .unwrap()
            .starts_with("CREATE TABLE public.notes")
    );
    assert_eq!(step["down"][0], "DROP TABLE public.notes");
}

#[test]
fn sql_format_is_an_executable_script() {
    let mut db = TestDb::fresh();
    db.execute("CREATE TYPE mood AS ENUM ('sad', 'happy');");
    let dir = tempfile::tempdir().unwrap();
    let desired = write_desired(
        dir.path(),
        "
schemas:
  public:
    enums:
      mood: [sad, ok, happy]
    tables:
      diary:
        columns:
          day: date
          feeling: { type: mood, default: \"'ok'\" }
",
    );
    let out = run_on(&db, &["plan", "--format", "sql", "--desired", &desired]);
    assert_eq!(out.status.code(), Some(0));
    let script = text(&out.stdout);
    assert!(
        script.contains("ADD VALUE IF NOT EXISTS 'ok' AFTER 'sad'"),
        "{script}"
    );
    // The enum value is added outside the transaction that uses it.
    let add = script.find("ADD VALUE").unwrap();
    let begin = script.find("BEGIN;").unwrap();
    assert!(add < begin, "{script}");
    // psql runs each statement as sent: the ADD VALUE commits before the transaction using it.
    let psql = Command::new(crate::harness::bindir().join("psql"))
        .args(["-X", "-q", "-v", "ON_ERROR_STOP=1", "-d"])
        .arg(db.conninfo())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write as _;
    psql.stdin
        .as_ref()
        .unwrap()
        .write_all(script.as_bytes())
        .unwrap();
    let done = psql.wait_with_output().unwrap();
    assert!(done.status.success(), "{}", text(&done.stderr));
    let again = run_on(&db, &["plan", "--exit-code", "--desired", &desired]);
    assert_eq!(again.status.code(), Some(0), "{}", text(&again.stdout));
}

#[test]
fn passwords_are_never_printed() {
    let out = schemaplan(&[
        "plan",
        "--database-url",
        "postgres://app:s3cret-pw@127.0.0.1:1/prod",
        "--dev-url",
        "postgres://app:s3cret-pw@127.0.0.1:1/dev",
    ]);
    let all = format!("{}{}", text(&out.stdout), text(&out.stderr));
    assert_eq!(out.status.code(), Some(1));
    assert!(!all.contains("s3cret-pw"), "{all}");
    assert!(all.contains("postgres://app:***@127.0.0.1:1/prod"), "{all}");
}

#[test]
fn inspect_writes_one_file_per_schema_that_plans_to_nothing() {
    let mut db = TestDb::fresh();
    db.execute(
        "CREATE SCHEMA app;
         CREATE TABLE app.users (id int PRIMARY KEY, name text);
         CREATE TABLE public.audit (at timestamptz DEFAULT now(), who int REFERENCES app.users);",
    );
    let dir = tempfile::tempdir().unwrap();
    let out_dir = format!("{}/", dir.path().join("schema").display());
    let out = schemaplan(&[
        "inspect",
        "--output",
        &out_dir,
        "--database-url",
        &db.conninfo(),
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let mut files: Vec<String> = std::fs::read_dir(&out_dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    files.sort();
    assert_eq!(files, ["app.yaml", "public.yaml", "schemaplan.schema.json"]);
    assert_written_for_editors(Path::new(&out_dir), &["app.yaml", "public.yaml"]);
    let plan = run_on(&db, &["plan", "--exit-code", "--desired", &out_dir]);
    assert_eq!(plan.status.code(), Some(0), "{}", text(&plan.stdout));
    // Inspected again after the schema went: its file goes too (a plan would read it).
    db.execute("DROP SCHEMA app CASCADE");
    let inspect = || {
        schemaplan(&[
            "inspect",
            "--output",
            &out_dir,
            "--database-url",
            &db.conninfo(),
        ])
    };
    let again = inspect();
    assert_eq!(again.status.code(), Some(0), "{}", text(&again.stderr));
    let listing = || {
        let mut files: Vec<String> = std::fs::read_dir(&out_dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        files.sort();
        files
    };
    assert_eq!(listing(), ["public.yaml", "schemaplan.schema.json"]);
    let plan = run_on(&db, &["plan", "--exit-code", "--desired", &out_dir]);
    assert_eq!(plan.status.code(), Some(0), "{}", text(&plan.stdout));
    // A YAML file inspect did not write is neither removed nor replaced: it refuses, and
    // writes nothing.
    let own = dir.path().join("schema").join("extra.yaml");
    std::fs::write(&own, "schemas:\n  extra: {}\n").unwrap();
    std::fs::remove_file(dir.path().join("schema").join("public.yaml")).unwrap();
    let refused = inspect();
    assert_eq!(refused.status.code(), Some(1), "{}", text(&refused.stderr));
    assert!(
        text(&refused.stderr).contains("extra.yaml was not written by `schemaplan inspect`"),
        "{}",
        text(&refused.stderr)
    );
    assert_eq!(listing(), ["extra.yaml", "schemaplan.schema.json"]);
}

/// Each YAML file `inspect` wrote in `dir` starts with the line that points editors at the JSON
/// Schema beside it, which is `schemaplan schema`'s and validates the file.
fn assert_written_for_editors(dir: &Path, files: &[&str]) {
    let schema = std::fs::read_to_string(dir.join("schemaplan.schema.json")).unwrap();
    assert_eq!(schema, text(&schemaplan(&["schema"]).stdout));
    let schema: serde_json::Value = serde_json::from_str(&schema).unwrap();
    let validator = jsonschema::draft7::new(&schema).unwrap();
    for file in files {
        let yaml = std::fs::read_to_string(dir.join(file)).unwrap();
        let mut lines = yaml.lines();
        assert_eq!(
            lines.next(),
            Some("# yaml-language-server: $schema=schemaplan.schema.json"),
            "{file}"
        );
        assert_eq!(
            lines.next(),
            Some("# Desired state written by `schemaplan inspect`."),
            "{file}"
        );
        let instance: serde_json::Value = serde_yaml::from_str(&yaml).unwrap();
        let errors: Vec<String> = validator
            .iter_errors(&instance)
            .map(|e| e.to_string())
            .collect();
        assert!(errors.is_empty(), "{file}: {errors:?}\n{yaml}");
    }
}

/// `inspect --output FILE` writes the schema line and the JSON Schema beside the file; to
/// standard output it writes the YAML alone. A file of the schema's name that schemaplan did not
/// write is not replaced: inspect refuses, writing nothing.
#[test]
fn inspect_to_a_file_writes_the_json_schema_beside_it() {
    let mut db = TestDb::fresh();
    db.execute("CREATE TABLE public.notes (id bigint PRIMARY KEY, body text NOT NULL)");
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("notes.yaml");
    let inspect = || {
        schemaplan(&[
            "inspect",
            "--output",
            file.to_str().unwrap(),
            "--database-url",
            &db.conninfo(),
        ])
    };
    let out = inspect();
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_written_for_editors(dir.path(), &["notes.yaml"]);
    let plan = run_on(
        &db,
        &["plan", "--exit-code", "--desired", file.to_str().unwrap()],
    );
    assert_eq!(plan.status.code(), Some(0), "{}", text(&plan.stdout));
    // Again over its own files: the schema of schemaplan's is replaced.
    let again = inspect();
    assert_eq!(again.status.code(), Some(0), "{}", text(&again.stderr));

    let stdout = schemaplan(&["inspect", "--database-url", &db.conninfo()]);
    let yaml = text(&stdout.stdout);
    assert!(
        yaml.starts_with("# Desired state written by `schemaplan inspect`.\n"),
        "{yaml}"
    );
    assert!(!yaml.contains("yaml-language-server"), "{yaml}");

    let schema = dir.path().join("schemaplan.schema.json");
    std::fs::write(&schema, "{\"title\": \"my own\"}\n").unwrap();
    std::fs::remove_file(&file).unwrap();
    let refused = inspect();
    assert_eq!(refused.status.code(), Some(1));
    assert!(
        text(&refused.stderr)
            .contains("schemaplan.schema.json is not the JSON Schema `schemaplan schema` prints"),
        "{}",
        text(&refused.stderr)
    );
    assert!(!file.exists());
    assert_eq!(
        std::fs::read_to_string(&schema).unwrap(),
        "{\"title\": \"my own\"}\n"
    );
}

#[test]
fn usage_errors_exit_1_not_2() {
    let out = schemaplan(&["plan", "--no-such-flag"]);
    assert_eq!(out.status.code(), Some(1));
    let help = schemaplan(&["--help"]);
    assert_eq!(help.status.code(), Some(0));
}

/// Starts `schemaplan plan` on a large desired state with its temporary directory under `tmp`,
/// and waits until its embedded cluster is running. The caller signals and waits for the child.
#[allow(clippy::zombie_processes)]
fn plan_with_embedded_cluster(tmp: &Path, desired: &str) -> std::process::Child {
    let mut child = schemaplan_command(&["plan", "--desired", desired])
        .env("TMPDIR", tmp)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    loop {
        let running = std::fs::read_dir(tmp)
            .unwrap()
            .any(|e| e.unwrap().path().join("data/postmaster.pid").exists());
        if running {
            return child;
        }
        if std::time::Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("the cluster never started");
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
}

fn large_desired(dir: &Path) -> String {
    let mut yaml = String::from("schemas:\n  public:\n    tables:\n");
    for i in 0..400 {
        yaml.push_str(&format!(
            "      t{i}:\n        columns:\n          id: bigint\n          name: text\n        primary_key: [id]\n        indexes:\n          t{i}_name: {{ columns: [name] }}\n"
        ));
    }
    write_desired(dir, &yaml)
}

fn assert_emptied(tmp: &Path) {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    while std::fs::read_dir(tmp).unwrap().next().is_some() {
        assert!(
            std::time::Instant::now() < deadline,
            "the embedded cluster was left behind in {}",
            tmp.display()
        );
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
}

/// A temporary directory the postgres user can enter (the cluster runs as postgres under root).
fn shared_tmp() -> tempfile::TempDir {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    dir
}

#[test]
fn ctrl_c_stops_and_removes_the_embedded_cluster() {
    let desired_dir = tempfile::tempdir().unwrap();
    let desired = large_desired(desired_dir.path());
    let tmp = shared_tmp();
    let mut child = plan_with_embedded_cluster(tmp.path(), &desired);
    unsafe {
        libc::kill(child.id() as i32, libc::SIGINT);
    }
    let status = child.wait().unwrap();
    assert_eq!(status.code(), Some(130), "interrupted while planning");
    assert_emptied(tmp.path());
}

#[test]
fn kill_9_leaves_no_cluster_behind() {
    let desired_dir = tempfile::tempdir().unwrap();
    let desired = large_desired(desired_dir.path());
    let tmp = shared_tmp();
    let mut child = plan_with_embedded_cluster(tmp.path(), &desired);
    child.kill().unwrap();
    child.wait().unwrap();
    // The watchdog notices within a second and stops the server.
    assert_emptied(tmp.path());
}

#[test]
fn ctrl_c_drops_the_scratch_databases_on_a_dev_server() {
    let desired_dir = tempfile::tempdir().unwrap();
    let desired = large_desired(desired_dir.path());
    let db = TestDb::fresh();
    let mut admin =
        postgres::Client::connect(&server().maintenance_conninfo(), postgres::NoTls).unwrap();
    let mut child = schemaplan_command(&[
        "plan",
        "--desired",
        &desired,
        "--database-url",
        &db.conninfo(),
        "--dev-url",
        &server().maintenance_conninfo(),
    ])
    .stdout(Stdio::null())
    .stderr(Stdio::null())
    .spawn()
    .unwrap();
    let prefix = format!("schemaplan_shadow_{}_%", child.id());
    let count = |admin: &mut postgres::Client| -> i64 {
        admin
            .query_one(
                "SELECT count(*) FROM pg_database WHERE datname LIKE $1",
                &[&prefix],
            )
            .unwrap()
            .get(0)
    };
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    while count(&mut admin) == 0 {
        if std::time::Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("the shadow database never appeared");
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    unsafe {
        libc::kill(child.id() as i32, libc::SIGINT);
    }
    let status = child.wait().unwrap();
    assert_eq!(status.code(), Some(130));
    assert_eq!(count(&mut admin), 0, "the shadow database was left behind");
}

/// Nothing silently ignored: every object of a kind schemaplan does not manage is named by
/// `inspect` (on standard error, the YAML staying a desired state) and by `plan` (a warning
/// each), and planning the inspected YAML still converges to "No changes" around them.
#[test]
fn inspect_and_plan_name_every_object_they_do_not_manage() {
    let mut db = TestDb::fresh();
    db.execute(
        "CREATE TABLE t (a int, b text);
         CREATE TABLE child (c int) INHERITS (t);
         CREATE TYPE floatrange AS RANGE (subtype = float8);
         CREATE COLLATION ci (provider = icu, locale = 'und-u-ks-level2', deterministic = false);
         CREATE TEXT SEARCH CONFIGURATION my_english (COPY = english);
         CREATE RULE nothing_on_insert AS ON INSERT TO t WHERE false DO INSTEAD NOTHING;
         CREATE PUBLICATION pub_t FOR TABLE t;
         CREATE PUBLICATION pub_all FOR ALL TABLES;
         CREATE PUBLICATION pub_schema FOR TABLES IN SCHEMA public;
         CREATE FUNCTION evt() RETURNS event_trigger LANGUAGE plpgsql AS $$ BEGIN END $$;
         CREATE EVENT TRIGGER et_cli ON ddl_command_start EXECUTE FUNCTION evt();",
    );
    let expected = [
        "event trigger et_cli",
        "publication pub_all",
        "publication pub_schema",
        "rule nothing_on_insert on public.t",
    ];
    let inspected = schemaplan(&["inspect", "--database-url", &db.conninfo()]);
    let stderr = text(&inspected.stderr);
    assert_eq!(inspected.status.code(), Some(0), "{stderr}");
    for what in expected {
        assert!(
            stderr.contains(&format!("left out of the YAML: {what}\n")),
            "{what}:\n{stderr}"
        );
    }
    // Range types and collations are managed: in the YAML, not named as left out. The range
    // type's constructor functions go with it: not read as functions of their own.
    let yaml = text(&inspected.stdout);
    assert!(!yaml.contains("floatrange("), "{yaml}");
    assert!(yaml.contains("range_types:\n      floatrange:"), "{yaml}");
    assert!(yaml.contains("collations:\n      ci:"), "{yaml}");
    assert!(
        !stderr.contains("public.floatrange") && !stderr.contains("public.ci"),
        "{stderr}"
    );
    // A text search configuration is managed: written out (its COPY as the full mapping), not
    // named as left out.
    assert!(yaml.contains("text_search_configurations:"), "{yaml}");
    assert!(!stderr.contains("text search configuration"), "{stderr}");
    // So is a publication of a list of tables, all of them managed; one of all tables or of a
    // schema (a superuser's) is not.
    assert!(yaml.contains("pub_t:"), "{yaml}");
    assert!(!stderr.contains("publication pub_t"), "{stderr}");
    // Inheritance is managed: written in the YAML, not named as left out.
    assert!(yaml.contains("inherits:"), "{yaml}");
    assert!(!stderr.contains("inherit"), "{stderr}");
    let dir = tempfile::tempdir().unwrap();
    let desired = write_desired(dir.path(), &yaml);
    let planned = run_on(&db, &["plan", "--desired", &desired, "--exit-code"]);
    let stdout = text(&planned.stdout);
    assert_eq!(
        planned.status.code(),
        Some(0),
        "{stdout}{}",
        text(&planned.stderr)
    );
    assert!(stdout.contains("No changes"), "{stdout}");
    for what in expected {
        assert!(
            stdout.contains(&format!("! {what}: not managed by schemaplan")),
            "{what}:\n{stdout}"
        );
    }
    db.execute("DROP EVENT TRIGGER et_cli");
}

/// A plan that changes nothing needs no shadow, and its embedded cluster never starts. Shown
/// with server binaries that can say their version but cannot start a cluster (no initdb): the
/// plan of the inspected database succeeds with no changes, and a plan with a change fails at
/// the cluster's start.
#[test]
fn a_plan_that_changes_nothing_starts_no_cluster() {
    use std::os::unix::fs::PermissionsExt;
    let mut db = TestDb::fresh();
    db.execute("CREATE TABLE notes (id bigint PRIMARY KEY, body text NOT NULL)");
    let dir = tempfile::tempdir().unwrap();
    let bindir = dir.path().join("bin");
    std::fs::create_dir(&bindir).unwrap();
    let version = format!("echo 'postgres (PostgreSQL) {}.0'", db.server_major());
    for (program, body) in [
        ("postgres", version.as_str()),
        ("initdb", "echo 'this initdb cannot run' >&2; exit 1"),
        ("pg_ctl", "exit 1"),
    ] {
        let path = bindir.join(program);
        std::fs::write(&path, format!("#!/bin/sh\n{body}\n")).unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    let inspected = dir.path().join("inspected.yaml").display().to_string();
    let out = schemaplan(&[
        "inspect",
        "--database-url",
        &db.conninfo(),
        "--output",
        &inspected,
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let plan = |desired: &str| {
        schemaplan_command(&[
            "plan",
            "--database-url",
            &db.conninfo(),
            "--desired",
            desired,
        ])
        .env("SCHEMAPLAN_PG_BINDIR", &bindir)
        .env("SCHEMAPLAN_CACHE_DIR", "")
        .output()
        .expect("run schemaplan")
    };
    let same = plan(&inspected);
    assert!(same.status.success(), "{}", text(&same.stderr));
    assert!(
        text(&same.stdout).contains("No changes"),
        "{}",
        text(&same.stdout)
    );
    let changed = write_desired(&dir.path().join("changed"), SMALL);
    let failed = plan(&changed);
    assert_eq!(
        failed.status.code(),
        Some(1),
        "{}\n{}",
        text(&failed.stdout),
        text(&failed.stderr)
    );
    assert!(
        text(&failed.stderr).contains("this initdb cannot run"),
        "the cluster was to fail at initdb:\n{}",
        text(&failed.stderr)
    );
}
