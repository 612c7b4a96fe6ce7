//! SQL smuggled into a field never runs: for every kind of SQL field, `tests/errors/smuggled_*`
//! holds a desired state whose field ends its statement early and goes on with
//! `COPY (SELECT 1) TO PROGRAM 'touch MARKER'`, written so that PostgreSQL would run it if the
//! text reached a server as written. Here MARKER becomes a file in a directory the server's OS
//! user may write, and `plan` and `apply` (each with its rehearsal) run with the embedded
//! shadow and with `--dev-url`: each must refuse the desired state with a located error, and
//! the file must not exist afterwards.

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::Output;

use crate::harness::{TestDb, repo_path, schemaplan_command, server};

fn schemaplan(args: &[String]) -> Output {
    let refs: Vec<&str> = args.iter().map(String::as_str).collect();
    schemaplan_command(&refs).output().expect("run schemaplan")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// A directory the server (running as the `postgres` OS user) may create files in, so that a
/// smuggled `COPY … TO PROGRAM 'touch …'` that ran would leave its file.
fn marker_dir() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o777)).unwrap();
    dir
}

/// The smuggling cases of tests/errors, by name.
fn cases() -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(repo_path("tests/errors"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("smuggled_"))
        .collect();
    names.sort();
    assert!(
        names.len() >= 25,
        "the smuggling cases are missing: {names:?}"
    );
    names
}

/// The case's desired state with MARKER pointing at `marker`, written under `dir`.
fn desired(case: &str, marker: &Path, dir: &Path) -> PathBuf {
    let yaml = std::fs::read_to_string(repo_path(&format!("tests/errors/{case}/schema.yaml")))
        .unwrap()
        .replace("MARKER", &marker.display().to_string());
    let file = dir.join(format!("{case}.yaml"));
    std::fs::write(&file, yaml).unwrap();
    file
}

/// A target database for the case, with what its `before.sql` gives it (a table with rows for
/// a backfill to fill).
fn target(case: &str) -> TestDb {
    let mut db = TestDb::fresh();
    let before = repo_path(&format!("tests/errors/{case}/before.sql"));
    if before.exists() {
        db.execute(&std::fs::read_to_string(before).unwrap());
    }
    db
}

fn every_command_refuses(dev_url: bool) {
    let markers = marker_dir();
    let files = tempfile::tempdir().unwrap();
    for case in cases() {
        let db = target(&case);
        for command in ["plan", "apply"] {
            let marker = markers.path().join(format!("{case}-{command}"));
            let file = desired(&case, &marker, files.path());
            let mut args = vec![
                command.to_string(),
                "--desired".into(),
                file.display().to_string(),
                "--database-url".into(),
                db.conninfo(),
            ];
            if command == "apply" {
                args.push("--yes".into());
            }
            if dev_url {
                args.push("--dev-url".into());
                args.push(server().maintenance_conninfo());
            }
            let out = schemaplan(&args);
            let stderr = text(&out.stderr);
            assert_eq!(
                out.status.code(),
                Some(1),
                "{case}: {command} did not refuse it\nstdout: {}\nstderr: {stderr}",
                text(&out.stdout)
            );
            // Located: the file, then line and column.
            let at = format!("{}:", file.display());
            assert!(stderr.contains(&at), "{case}: {command}: {stderr}");
            assert!(
                !marker.exists(),
                "{case}: {command} ran the smuggled COPY … TO PROGRAM"
            );
        }
    }
}

#[test]
fn smuggled_statements_never_run_with_the_embedded_shadow() {
    every_command_refuses(false);
}

#[test]
fn smuggled_statements_never_run_with_a_dev_url() {
    every_command_refuses(true);
}

/// A backfill that is one expression (a dollar-quoted string holding the tag of the block the
/// backfill runs in) is applied as that value: the block's quote takes another tag, and the
/// plan shows the block as it runs.
#[test]
fn a_backfill_holding_the_blocks_quote_tag_stays_a_value() {
    let markers = marker_dir();
    let files = tempfile::tempdir().unwrap();
    for dev_url in [false, true] {
        let marker = markers.path().join(format!("backfill-{dev_url}"));
        let value = format!(
            " ; COPY (SELECT 1) TO PROGRAM 'touch {}'; DO ",
            marker.display()
        );
        let yaml = format!(
            "schemas:\n  public:\n    tables:\n      t:\n        columns:\n          id: int\n          \
             c: {{ type: text, not_null: true, backfill: \"$schemaplan${value}$schemaplan$\" }}\n"
        );
        let file = files.path().join(format!("backfill-{dev_url}.yaml"));
        std::fs::write(&file, yaml).unwrap();
        let mut db = TestDb::fresh();
        db.execute("CREATE TABLE public.t (id int); INSERT INTO public.t VALUES (1), (2);");
        let mut args = vec![
            "apply".to_string(),
            "--yes".into(),
            "--desired".into(),
            file.display().to_string(),
            "--database-url".into(),
            db.conninfo(),
        ];
        if dev_url {
            args.push("--dev-url".into());
            args.push(server().maintenance_conninfo());
        }
        let out = schemaplan(&args);
        let stdout = text(&out.stdout);
        assert_eq!(
            out.status.code(),
            Some(0),
            "stdout: {stdout}\nstderr: {}",
            text(&out.stderr)
        );
        assert!(
            !marker.exists(),
            "the backfill ran the COPY it holds as a value"
        );
        // The step shows the SQL it runs: the whole block, the value in it.
        assert!(stdout.contains("DO $schemaplan1$"), "{stdout}");
        assert!(
            stdout.contains(&format!(
                "UPDATE public.t SET c = $schemaplan${value}$schemaplan$"
            )),
            "{stdout}"
        );
        let filled: Vec<String> = db
            .client()
            .query("SELECT c FROM public.t ORDER BY id", &[])
            .unwrap()
            .iter()
            .map(|r| r.get(0))
            .collect();
        assert_eq!(filled, vec![value.clone(), value]);
    }
}
