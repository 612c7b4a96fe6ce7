//! What editors, shells, CI and people read besides plans: `schemaplan schema` and the
//! repository's copy of it, `completions`, `--help`'s examples and exit codes.

use std::collections::BTreeSet;
use std::process::Output;

use crate::harness::{repo_path, schemaplan_command, text_diff};

fn schemaplan(args: &[&str]) -> Output {
    schemaplan_command(args).output().expect("run schemaplan")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// The checked-in `schemaplan.schema.json` is what `schemaplan schema` prints, byte for byte:
/// a change of the loader's keys that is not carried into the file fails here.
#[test]
fn schema_prints_the_checked_in_json_schema() {
    let out = schemaplan(&["schema"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(out.stderr.is_empty(), "{}", text(&out.stderr));
    let printed = text(&out.stdout);
    let again = schemaplan(&["schema"]);
    assert_eq!(
        again.stdout, out.stdout,
        "the schema differs between two runs"
    );
    let file = repo_path("schemaplan.schema.json");
    let checked_in = std::fs::read_to_string(&file).expect("schemaplan.schema.json");
    assert!(
        printed == checked_in,
        "{} is stale; write it again with `cargo run -q -- schema > schemaplan.schema.json`:\n{}",
        file.display(),
        text_diff(&checked_in, &printed)
    );
    let schema: serde_json::Value = serde_json::from_str(&printed).unwrap();
    assert_eq!(schema["$schema"], "http://json-schema.org/draft-07/schema#");
    assert_eq!(schema["title"], "schemaplan desired state");
    assert!(schema["properties"]["schemas"].is_object(), "{schema:#}");
    // It is a schema a validator takes, and it checks: a misspelt top-level key is refused.
    let validator = jsonschema::draft7::new(&schema).expect("a valid draft 7 schema");
    assert!(validator.is_valid(&serde_json::json!({ "schemas": { "public": {} } })));
    assert!(!validator.is_valid(&serde_json::json!({ "schema": { "public": {} } })));
}

/// The exit codes of README's table ("Exit codes (stable…"), with their first words.
fn readme_exit_codes() -> Vec<(u32, String)> {
    let readme = std::fs::read_to_string(repo_path("README.md")).unwrap();
    let start = readme
        .find("\nExit codes (stable")
        .expect("README has its table of exit codes");
    let mut out = Vec::new();
    for line in readme[start..].lines().skip(1) {
        if line.is_empty() && !out.is_empty() {
            break;
        }
        let cells: Vec<&str> = line.split('|').map(str::trim).collect();
        if let Some(code) = cells.get(1).and_then(|c| c.parse::<u32>().ok()) {
            out.push((code, cells[2].to_string()));
        }
    }
    out
}

/// The codes of a help text's "Exit codes:" section.
fn help_exit_codes(help: &str) -> BTreeSet<u32> {
    let start = help
        .find("\nExit codes:\n")
        .unwrap_or_else(|| panic!("no exit codes:\n{help}"));
    help[start..]
        .lines()
        .skip(2)
        .take_while(|l| l.starts_with("  "))
        .map(|l| {
            let code = l.split_whitespace().next().unwrap();
            code.parse()
                .unwrap_or_else(|_| panic!("`{l}` starts with no exit code"))
        })
        .collect()
}

/// `--help` and `plan --help` end with examples and every exit code README lists, no other;
/// `apply`, `rollback` and `inspect` list examples and the codes they return, all of them in
/// README's table.
#[test]
fn help_shows_examples_and_the_exit_codes_of_the_readme() {
    let readme = readme_exit_codes();
    let codes: BTreeSet<u32> = readme.iter().map(|(c, _)| *c).collect();
    assert!(
        [0, 1, 2, 3, 130].iter().all(|c| codes.contains(c)),
        "{readme:?}"
    );
    for args in [
        &["--help"][..],
        &["-h"],
        &["plan", "--help"],
        &["plan", "-h"],
    ] {
        let out = schemaplan(args);
        assert_eq!(out.status.code(), Some(0), "{args:?}");
        let help = text(&out.stdout);
        assert!(
            help.contains("\nExamples:\n  schemaplan "),
            "{args:?}:\n{help}"
        );
        assert_eq!(help_exit_codes(&help), codes, "{args:?}:\n{help}");
        // The examples are examples of this command line: each parses.
        for example in examples(&help) {
            check_example_parses(&example);
        }
    }
    for command in ["apply", "rollback", "inspect"] {
        let out = schemaplan(&[command, "--help"]);
        assert_eq!(out.status.code(), Some(0));
        let help = text(&out.stdout);
        assert!(
            help.contains(&format!("\nExamples:\n  schemaplan {command}")),
            "{help}"
        );
        let listed = help_exit_codes(&help);
        assert!(
            listed.is_subset(&codes),
            "{command}: {listed:?} ⊄ {codes:?}"
        );
        assert_eq!(listed, BTreeSet::from([0, 1, 130]), "{command}:\n{help}");
        for example in examples(&help) {
            check_example_parses(&example);
        }
    }
}

/// The command lines of a help text's "Examples:" section (the part before a redirection).
fn examples(help: &str) -> Vec<Vec<String>> {
    let start = help.find("\nExamples:\n").unwrap();
    help[start..]
        .lines()
        .skip(2)
        .take_while(|l| l.starts_with("  schemaplan "))
        .map(|l| {
            let command = l.trim().split("  ").next().unwrap();
            let command = command.split(" > ").next().unwrap();
            command.split_whitespace().map(String::from).collect()
        })
        .collect()
}

/// `example --help` is accepted by the parser (exit 0, help printed): every flag and
/// subcommand of the example exists.
fn check_example_parses(example: &[String]) {
    let mut args: Vec<&str> = example[1..].iter().map(String::as_str).collect();
    args.push("--help");
    let out = schemaplan(&args);
    assert_eq!(
        out.status.code(),
        Some(0),
        "example `{}` does not parse: {}",
        example.join(" "),
        text(&out.stderr)
    );
}

/// Asks bash's completion function of `script` what it offers after `words` (the last word the
/// one being completed), as bash itself calls it on Tab.
fn bash_completes(script: &std::path::Path, words: &[&str]) -> Vec<String> {
    let quoted: Vec<String> = words.iter().map(|w| format!("'{w}'")).collect();
    let cword = words.len() - 1;
    let prev = words[cword - 1];
    let current = words[cword];
    let run = format!(
        "source '{}'\nCOMP_WORDS=({})\nCOMP_CWORD={cword}\n_schemaplan schemaplan '{current}' '{prev}'\nprintf '%s\\n' \"${{COMPREPLY[@]}}\"\n",
        script.display(),
        quoted.join(" ")
    );
    let out = std::process::Command::new("bash")
        .args(["-c", &run])
        .output()
        .expect("run bash");
    assert!(out.status.success(), "{}", text(&out.stderr));
    text(&out.stdout).lines().map(String::from).collect()
}

/// `completions bash` is a script bash reads (`bash -n`) and whose function completes the
/// subcommands, their flags and the values of `--format`; the zsh and fish scripts name them.
#[test]
fn completions_complete_subcommands_flags_and_values() {
    let subcommands = [
        "plan",
        "apply",
        "inspect",
        "rollback",
        "status",
        "schema",
        "completions",
    ];
    let out = schemaplan(&["completions", "bash"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let script = text(&out.stdout);
    for name in subcommands {
        assert!(script.contains(&format!("schemaplan,{name})")), "{name}");
    }
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("schemaplan.bash");
    std::fs::write(&file, &script).unwrap();
    let syntax = std::process::Command::new("bash")
        .arg("-n")
        .arg(&file)
        .output()
        .expect("run bash -n");
    assert!(syntax.status.success(), "{}", text(&syntax.stderr));

    let offered = bash_completes(&file, &["schemaplan", ""]);
    for name in subcommands {
        assert!(
            offered.iter().any(|w| w == name),
            "{name} not in {offered:?}"
        );
    }
    assert_eq!(
        bash_completes(&file, &["schemaplan", "plan", "--for"]),
        ["--format"]
    );
    assert_eq!(
        bash_completes(&file, &["schemaplan", "plan", "--format", ""]),
        ["human", "sql", "json", "markdown"]
    );
    let shells = bash_completes(&file, &["schemaplan", "completions", ""]);
    for shell in ["bash", "zsh", "fish"] {
        assert!(shells.iter().any(|w| w == shell), "{shells:?}");
    }

    let zsh = text(&schemaplan(&["completions", "zsh"]).stdout);
    assert!(zsh.starts_with("#compdef schemaplan"), "{zsh}");
    let fish = text(&schemaplan(&["completions", "fish"]).stdout);
    assert!(fish.contains("complete -c schemaplan"), "{fish}");
    for script in [&zsh, &fish] {
        for name in subcommands {
            assert!(script.contains(name), "{name} missing:\n{script}");
        }
        assert!(script.contains("markdown"), "{script}");
    }
    let unknown = schemaplan(&["completions", "tcsh"]);
    assert_eq!(unknown.status.code(), Some(1));
}

/// Inside GitHub Actions (`GITHUB_ACTIONS=true`, which `schemaplan_command` clears), every
/// problem of the desired state is also an `::error file=…,line=…,col=…::…` line on standard
/// error, after the report, with `%`, CR and LF escaped in the message and `:` and `,` too in
/// the file name; other errors are `::error::…` lines. Elsewhere there are none, and standard
/// output stays empty either way.
#[test]
fn inside_github_actions_problems_are_also_error_annotations() {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().display().to_string();
    assert!(!folder.contains([',', ':', '%']), "{folder}");
    std::fs::write(
        dir.path().join("bad,1:%.yaml"),
        "schemas:\n  public:\n    tables:\n      t:\n        \"col%ums,\\r\\na:b\": {}\n        columns:\n          id: { type: bigint, nul: true }\n",
    )
    .unwrap();
    let run = |github: Option<&str>, args: &[&str]| {
        let mut command = schemaplan_command(args);
        if let Some(value) = github {
            command.env("GITHUB_ACTIONS", value);
        }
        command.output().expect("run schemaplan")
    };
    let annotations = |out: &Output| -> Vec<String> {
        text(&out.stderr)
            .split('\n')
            .filter(|l| l.starts_with("::"))
            .map(String::from)
            .collect()
    };
    let plan = ["plan", "--desired", &folder];
    let plain = run(None, &plan);
    assert_eq!(plain.status.code(), Some(1));
    assert!(annotations(&plain).is_empty(), "{}", text(&plain.stderr));
    assert!(annotations(&run(Some("false"), &plan)).is_empty());

    let github = run(Some("true"), &plan);
    assert_eq!(github.status.code(), Some(1));
    assert!(github.stdout.is_empty(), "{}", text(&github.stdout));
    let stderr = text(&github.stderr);
    // The report people read comes first, as it is elsewhere.
    assert!(stderr.starts_with(&text(&plain.stderr)), "{stderr}");
    let file = format!("{folder}/bad%2C1%3A%25.yaml");
    let lines = annotations(&github);
    assert_eq!(lines.len(), 2, "{stderr}");
    assert!(
        lines[0].starts_with(&format!(
            "::error file={file},line=5,col=9::schemas.public.tables.t: unknown key `col%25ums,%0D%0Aa:b` (expected one of: columns, "
        )),
        "{}",
        lines[0]
    );
    assert_eq!(
        lines[1],
        format!(
            "::error file={file},line=7,col=31::schemas.public.tables.t.columns.id: unknown key `nul` (did you mean `not_null`?)"
        )
    );
    assert!(!stderr.contains("\r::") && !lines.iter().any(|l| l.contains('\r')));

    // An error that has no place in a file: one `::error::` line.
    let unreachable = run(
        Some("true"),
        &[
            "plan",
            "--exit-code",
            "--database-url",
            "postgres://app@127.0.0.1:1/app",
        ],
    );
    assert_eq!(unreachable.status.code(), Some(1));
    let lines = annotations(&unreachable);
    assert_eq!(lines.len(), 1, "{}", text(&unreachable.stderr));
    assert!(lines[0].starts_with("::error::"), "{}", lines[0]);
    assert!(lines[0].contains("127.0.0.1"), "{}", lines[0]);
}
