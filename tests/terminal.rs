//! What a person sees (issue 16): colour on a terminal and never in a pipe, `NO_COLOR`,
//! `--color`, the rehearsal's verdict once per plan (`--verbose` for every step). The binary
//! runs against a real PostgreSQL; a terminal is a pseudo-terminal from util-linux `script`.

use std::process::{Command, Output};

use schemaplan::pg::conn::{Env, Target};
use schemaplan::pg::watch::{Measure, Watch};

use crate::guarded::{describe, run, spawn, wait_for, write};
use crate::harness::{TestDb, schemaplan_command, server};

/// `accounts` gains `note` and an index on it, and loses `legacy` (a hazard: DeletesData).
const START: &str = "
CREATE TABLE accounts (id bigint PRIMARY KEY, legacy text);
INSERT INTO accounts SELECT g, 'legacy ' || g FROM generate_series(1, 1000) g;
";

const DESIRED: &str = "
schemas:
  public:
    tables:
      accounts:
        columns:
          id: bigint
          note: text
        primary_key: [id]
        indexes:
          accounts_note_idx:
            columns: [note]
";

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Whether `text` holds an SGR sequence (colour, bold: `ESC [ … m`), as opposed to the cursor
/// movements a progress bar makes.
fn painted(text: &str) -> bool {
    text.split('\x1b').skip(1).any(|rest| {
        rest.strip_prefix('[').is_some_and(|codes| {
            let end = codes.find(|c: char| !(c.is_ascii_digit() || c == ';'));
            end.is_some_and(|i| codes[i..].starts_with('m'))
        })
    })
}

fn quote(word: &str) -> String {
    format!("'{}'", word.replace('\'', r"'\''"))
}

/// `schemaplan args…` on `db` with the test server as shadow, run under `script` so that its
/// standard output and error are a terminal; `env` is set for it (and `TERM` is a colour
/// terminal's, `NO_COLOR` unset, unless `env` says otherwise). What `script` returns is what
/// the terminal showed: both streams, interleaved.
pub(crate) fn on_terminal(db: &TestDb, args: &[&str], env: &[(&str, &str)]) -> Output {
    let bin = schemaplan_command(&[]);
    let mut words = vec![quote(&bin.get_program().to_string_lossy())];
    words.extend(args.iter().map(|a| quote(a)));
    let dev_url = server().maintenance_conninfo();
    for extra in ["--database-url", &db.conninfo(), "--dev-url", &dev_url] {
        words.push(quote(extra));
    }
    // A terminal of 120 columns (a pseudo-terminal without a size reads as 80).
    let line = format!("stty cols 120 rows 40; exec {}", words.join(" "));
    let mut cmd = Command::new("script");
    cmd.args(["-qefc", &line, "/dev/null"]);
    // The binary's own environment (the server binaries, no target variables), then the test's.
    for (key, value) in bin.get_envs() {
        match value {
            Some(v) => cmd.env(key, v),
            None => cmd.env_remove(key),
        };
    }
    cmd.current_dir(bin.get_current_dir().expect("a directory"))
        .env("TERM", "xterm-256color")
        .env_remove("NO_COLOR");
    for (key, value) in env {
        cmd.env(key, value);
    }
    cmd.output().expect("run schemaplan under script")
}

fn setup() -> (TestDb, tempfile::TempDir, String) {
    let mut db = TestDb::fresh();
    db.execute(START);
    let dir = tempfile::tempdir().unwrap();
    let desired = write(dir.path(), "desired.yaml", DESIRED);
    (db, dir, desired)
}

#[test]
fn on_a_terminal_the_plan_is_in_colour() {
    let (db, _dir, desired) = setup();
    let out = on_terminal(&db, &["plan", "--desired", &desired], &[]);
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out));
    let screen = text(&out.stdout);
    // The hazard in bold red, the phase as a bold heading, the signs in green and red.
    assert!(
        screen.contains("\x1b[1m\x1b[31m!! hazards: DeletesData\x1b[0m"),
        "{screen:?}"
    );
    assert!(screen.contains("\x1b[1m== expand ==\x1b[0m"), "{screen:?}");
    assert!(screen.contains("\x1b[32m+\x1b[0m add column"), "{screen:?}");
    assert!(
        screen.contains("\x1b[31m-\x1b[0m drop column"),
        "{screen:?}"
    );
    assert!(
        screen.contains("\x1b[32mrehearsal: every step's locks as predicted\x1b[0m"),
        "{screen:?}"
    );
}

#[test]
fn in_a_pipe_nothing_is_painted_and_the_verdict_is_said_once() {
    let (db, _dir, desired) = setup();
    let out = run(&db, &["plan", "--desired", &desired]);
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out));
    assert!(!out.stdout.contains(&0x1b), "{}", describe(&out));
    assert!(!out.stderr.contains(&0x1b), "{}", describe(&out));
    let stdout = text(&out.stdout);
    let verdicts: Vec<&str> = (stdout.lines())
        .filter(|l| l.trim_start().starts_with("rehearsal:"))
        .collect();
    assert_eq!(
        verdicts,
        ["rehearsal: every step's locks as predicted"],
        "{stdout}"
    );
    assert!(stdout.contains("!! hazards: DeletesData"), "{stdout}");

    // --verbose: the rehearsal's word under every step, as before.
    let out = run(&db, &["plan", "--desired", &desired, "--verbose"]);
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out));
    let verbose = text(&out.stdout);
    let steps = verbose.lines().filter(|l| l.starts_with('[')).count();
    assert!(steps >= 3, "{verbose}");
    let lines = (verbose.lines())
        .filter(|l| l.trim_start().starts_with("rehearsal:"))
        .count();
    assert_eq!(
        verbose
            .matches("\n    rehearsal: locks as predicted\n")
            .count(),
        steps,
        "{verbose}"
    );
    assert_eq!(lines, steps, "{verbose}");
}

#[test]
fn no_color_turns_colour_off_on_a_terminal() {
    let (db, _dir, desired) = setup();
    for value in ["1", ""] {
        let out = on_terminal(
            &db,
            &["plan", "--desired", &desired],
            &[("NO_COLOR", value)],
        );
        assert_eq!(out.status.code(), Some(0), "{}", describe(&out));
        let screen = text(&out.stdout);
        assert!(screen.contains("!! hazards: DeletesData"), "{screen}");
        assert!(!painted(&screen), "NO_COLOR={value:?}: {screen:?}");
    }
    // --color never, the same.
    let out = on_terminal(
        &db,
        &["plan", "--desired", &desired, "--color", "never"],
        &[],
    );
    assert!(!painted(&text(&out.stdout)), "{}", describe(&out));
}

#[test]
fn color_always_paints_a_pipe_too() {
    let (db, _dir, desired) = setup();
    let out = run(&db, &["plan", "--desired", &desired, "--color", "always"]);
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out));
    let stdout = text(&out.stdout);
    assert!(
        stdout.contains("\x1b[1m\x1b[31m!! hazards: DeletesData\x1b[0m"),
        "{stdout:?}"
    );
    // The same listing as plain, with escapes around some of its parts.
    let plain = run(&db, &["plan", "--desired", &desired]);
    let mut unpainted = String::new();
    let mut rest = stdout.as_str();
    while let Some(at) = rest.find('\x1b') {
        unpainted.push_str(&rest[..at]);
        let after = &rest[at..];
        rest = &after[after.find('m').expect("an SGR sequence ends in m") + 1..];
    }
    unpainted.push_str(rest);
    assert_eq!(unpainted, text(&plain.stdout));
}

/// `big` gains `handle`, filled from `name` in batches, NOT NULL, with an index on it: a
/// backfill long enough for the progress to be drawn, then a concurrent index build.
const BIG: &str = "
CREATE TABLE big (id bigint PRIMARY KEY, name text NOT NULL);
INSERT INTO big SELECT g, 'User ' || g FROM generate_series(1, 400000) g;
";

const BIG_DESIRED: &str = "
schemas:
  public:
    tables:
      big:
        columns:
          id: bigint
          name: { type: text, not_null: true }
          handle: { type: text, not_null: true, backfill: \"lower(replace(name, ' ', '_'))\" }
        primary_key: [id]
        indexes:
          big_handle_idx:
            columns: [handle]
";

#[test]
fn on_a_terminal_a_backfill_draws_a_bar_with_its_rows() {
    let mut db = TestDb::fresh();
    db.execute(BIG);
    let dir = tempfile::tempdir().unwrap();
    let desired = write(dir.path(), "desired.yaml", BIG_DESIRED);
    let out = on_terminal(&db, &["apply", "--desired", &desired, "--yes"], &[]);
    let screen = text(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{screen}");
    // The bar of the backfill step, redrawn in place: its stage, and under it the pages done
    // and the rows filled, their rate and the time left.
    assert!(
        screen.contains("apply [3/7] backfill public.big.handle ("),
        "{screen:?}"
    );
    let bar = (screen.split(['\r', '\n']))
        .find(|l| l.contains(" pages, ") && l.contains(" rows/s"))
        .unwrap_or_else(|| panic!("no backfill bar in {screen:?}"));
    assert!(bar.contains("/2") && bar.contains(", ETA "), "{bar:?}");
    // Every step is done, and the bar was cleared before the result.
    assert!(screen.contains("Applied "), "{screen}");
    let filled: i64 = db
        .client()
        .query_one("SELECT count(*) FROM big WHERE handle IS NULL", &[])
        .unwrap()
        .get(0);
    assert_eq!(filled, 0);
}

#[test]
fn in_a_pipe_the_apply_says_nothing_of_its_progress_in_escapes() {
    let mut db = TestDb::fresh();
    db.execute(BIG);
    let dir = tempfile::tempdir().unwrap();
    let desired = write(dir.path(), "desired.yaml", BIG_DESIRED);
    let out = run(&db, &["apply", "--desired", &desired, "--yes"]);
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out));
    assert!(!out.stdout.contains(&0x1b), "{}", describe(&out));
    assert!(!out.stderr.contains(&0x1b), "{}", describe(&out));
    // Whatever progress lines there are name a stage and how long it has run.
    for line in text(&out.stderr)
        .lines()
        .filter(|l| l.starts_with("apply ["))
    {
        assert!(line.ends_with("s)"), "{line}");
    }
}

/// An index build, measured from a second session while it runs: PostgreSQL's phase and count
/// from `pg_stat_progress_create_index`, here while it waits for a session that writes to the
/// table (the count is of the sessions it waits for).
#[test]
fn a_second_session_sees_how_far_an_index_build_is() {
    let mut db = TestDb::fresh();
    db.execute("CREATE TABLE t (id bigint); INSERT INTO t SELECT generate_series(1, 1000);");
    let target = Target::parse(&db.conninfo(), &Env::from_process()).unwrap();
    let mut writer = postgres::Client::connect(&db.conninfo(), postgres::NoTls).unwrap();
    writer
        .batch_execute("BEGIN; INSERT INTO t VALUES (0)")
        .unwrap();
    let mut watch = Watch::new(target);
    let mut seen: Vec<Measure> = Vec::new();
    let mut writer = Some(writer);
    let result = watch.during(
        db.client(),
        |c| c.batch_execute("CREATE INDEX CONCURRENTLY t_id_idx ON t (id)"),
        &mut |m| {
            // Once the build is seen waiting, the writer commits and the build goes on.
            if m.phase.starts_with("waiting for writers") {
                if let Some(mut w) = writer.take() {
                    w.batch_execute("COMMIT").unwrap();
                }
            }
            seen.push(m);
        },
    );
    result.unwrap();
    let waiting = (seen.iter())
        .find(|m| m.phase.starts_with("waiting for writers"))
        .unwrap_or_else(|| panic!("{seen:?}"));
    assert_eq!(
        (waiting.done, waiting.total, waiting.unit),
        (0, 1, "sessions")
    );
    let valid: bool = db
        .client()
        .query_one(
            "SELECT indisvalid FROM pg_index WHERE indexrelid = 't_id_idx'::regclass",
            &[],
        )
        .unwrap()
        .get(0);
    assert!(valid);
}

/// In a log, a step that waits says so every 5 seconds, in one plain line: here the step that
/// adds `note` waits for a session that reads `accounts`.
#[test]
fn in_a_pipe_a_long_step_gets_a_plain_line_every_few_seconds() {
    let (mut db, _dir, desired) = setup();
    let mut reader = postgres::Client::connect(&db.conninfo(), postgres::NoTls).unwrap();
    reader
        .batch_execute("BEGIN; LOCK TABLE accounts IN ACCESS SHARE MODE")
        .unwrap();
    let apply = spawn(
        &db,
        &[
            "apply",
            "--desired",
            &desired,
            "--yes",
            "--allow-hazards",
            "DeletesData",
            "--lock-timeout",
            "60s",
        ],
    );
    wait_for(
        &mut db,
        "the apply to wait for its lock",
        "SELECT count(*) FROM pg_stat_activity
          WHERE datname = current_database() AND wait_event_type = 'Lock'
            AND query LIKE '%ADD COLUMN note%'",
    );
    std::thread::sleep(std::time::Duration::from_secs(6));
    reader.batch_execute("COMMIT").unwrap();
    let out = apply.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out));
    let stderr = text(&out.stderr);
    assert!(!stderr.contains('\x1b'), "{stderr:?}");
    let waited: Vec<&str> = (stderr.lines())
        .filter(|l| l.starts_with("apply [1/"))
        .collect();
    assert!(!waited.is_empty(), "{stderr}");
    for line in waited {
        assert!(
            line.starts_with("apply [1/3] add column public.accounts.note (")
                && line.ends_with("s)"),
            "{line}"
        );
    }
}
