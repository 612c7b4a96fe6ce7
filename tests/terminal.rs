//! What a person sees (issue 16): colour on a terminal and never in a pipe, `NO_COLOR`,
//! `--color`, the rehearsal's verdict once per plan (`--verbose` for every step). The binary
//! runs against a real PostgreSQL; a terminal is a pseudo-terminal from util-linux `script`.

use std::process::{Command, Output};

use crate::guarded::{describe, run, write};
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
    let mut cmd = Command::new("script");
    cmd.args(["-qefc", &words.join(" "), "/dev/null"]);
    // The binary's own environment (the server binaries, no target variables), then the test's.
    for (key, value) in bin.get_envs() {
        match value {
            Some(v) => cmd.env(key, v),
            None => cmd.env_remove(key),
        };
    }
    cmd.current_dir(bin.get_current_dir().expect("a directory"))
        .env("TERM", "xterm-256color")
        .env("COLUMNS", "120")
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
