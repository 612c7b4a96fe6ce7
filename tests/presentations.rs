//! The three presentations of a plan people read (human, the SQL script, markdown), as
//! snapshots for three plans: a small change, a hazardous drop, and a data-hook migration.
//! The markdown is rendered to HTML by a real Markdown renderer (pulldown-cmark, GitHub's
//! extensions on) and checked for what a reviewer must see; the SQL script is run by psql and
//! must reach the desired state.

use pulldown_cmark::{Options, Parser, html};
use schemaplan::plan::present::{HumanOptions, MARKDOWN_CAP};
use schemaplan::yaml;

use crate::harness::{TestDb, bindir, plan};

struct Scenario {
    name: &'static str,
    before: &'static str,
    desired: &'static str,
}

const SMALL_CHANGE: Scenario = Scenario {
    name: "small_change",
    before: "CREATE TABLE public.account (id bigint PRIMARY KEY, name text NOT NULL);",
    desired: r#"
schemas:
  public:
    tables:
      account:
        columns:
          id: {type: bigint, not_null: true}
          name: {type: text, not_null: true}
          email: {type: text}
        primary_key: {columns: [id]}
        indexes:
          account_email_idx: {columns: [email]}
    views:
      account_email:
        definition: SELECT id, email FROM public.account WHERE email IS NOT NULL
"#,
};

const HAZARDOUS_DROP: Scenario = Scenario {
    name: "hazardous_drop",
    before: "CREATE TABLE public.account (id bigint PRIMARY KEY, name text, legacy_code text);
             CREATE TABLE public.audit_log (id bigint PRIMARY KEY, line text);
             INSERT INTO public.account VALUES (1, 'a', 'x'), (2, 'b', NULL);
             INSERT INTO public.audit_log VALUES (1, 'created');",
    desired: r#"
schemas:
  public:
    tables:
      account:
        columns:
          id: {type: bigint, not_null: true}
          name: {type: text}
        primary_key: {columns: [id]}
"#,
};

const HOOK_MIGRATION: Scenario = Scenario {
    name: "hook_migration",
    before: "CREATE TABLE public.person (id bigint PRIMARY KEY, full_name text NOT NULL);
             INSERT INTO public.person SELECT g, 'first' || g || ' last' FROM generate_series(1, 50) g;",
    desired: r#"
schemas:
  public:
    tables:
      person:
        columns:
          id: {type: bigint, not_null: true}
          full_name: {type: text, not_null: true}
          given_name: {type: text}
        primary_key: {columns: [id]}
hooks:
  split_given_name:
    depends_on: [public.person]
    batch: {table: person, key: id, size: 20}
    up: |
      UPDATE person SET given_name = split_part(full_name, ' ', 1)
       WHERE id BETWEEN :lo AND :hi AND given_name IS NULL
    down: UPDATE person SET given_name = NULL
    verify:
      - name: every_person_named
        sql: SELECT count(*) = 0 AS all_named FROM person WHERE given_name IS NULL
"#,
};

fn plan_of(s: &Scenario) -> (TestDb, schemaplan::pipeline::Planned) {
    let mut db = TestDb::fresh();
    db.execute(s.before);
    let desired =
        yaml::load_sources(&[(format!("{}.yaml", s.name), s.desired.to_string())]).unwrap();
    let planned = plan(&mut db, &desired);
    (db, planned)
}

fn snapshot(name: &str, text: &str) {
    insta::with_settings!({
        snapshot_path => "../snapshots",
        prepend_module_to_snapshot => false,
        omit_expression => true,
    }, {
        insta::assert_snapshot!(name, text);
    });
}

fn render_html(markdown: &str) -> String {
    let mut options = Options::empty();
    options.insert(Options::ENABLE_TABLES);
    options.insert(Options::ENABLE_STRIKETHROUGH);
    let mut out = String::new();
    html::push_html(&mut out, Parser::new_ext(markdown, options));
    out
}

/// Each presentation of the scenario's plan as a snapshot, and its markdown as HTML.
fn presentations(s: &Scenario) -> String {
    let (_db, planned) = plan_of(s);
    let plan = &planned.plan;
    let rehearsal = planned.rehearsal.as_ref().expect("rehearsed");
    assert!(rehearsal.passed(), "{}", rehearsal.summary(plan));
    let verdict = rehearsal.summary(plan);
    let markdown = plan.to_markdown(Some(&verdict), MARKDOWN_CAP);
    snapshot(&format!("present_{}_markdown", s.name), &markdown);
    snapshot(
        &format!("present_{}_sql", s.name),
        &plan.to_script(std::time::Duration::from_secs(2), None),
    );
    snapshot(
        &format!("present_{}_human", s.name),
        &plan.to_human(Some(&rehearsal.observations), HumanOptions::default()),
    );
    let html = render_html(&markdown);
    // The SQL of every step folds away, and is a code block of its own.
    assert_eq!(
        html.matches("<details><summary>").count()
            - usize::from(html.contains("Order of the steps")),
        plan.steps.len(),
        "{html}"
    );
    assert_eq!(
        html.matches("<code class=\"language-sql\">").count(),
        plan.steps.len()
            + (plan.steps.iter())
                .filter(|s| s.down.as_ref().is_some_and(|d| !d.is_empty()))
                .count(),
        "{html}"
    );
    // The counts are a table: a header row and one row per kind of change.
    let kinds: std::collections::BTreeSet<(char, &str)> = plan
        .steps
        .iter()
        .map(|s| (s.sign, s.noun.as_str()))
        .collect();
    let counts = &html[html.find("<table>").expect("a table of counts")..];
    let counts = &counts[..counts.find("</table>").unwrap()];
    assert_eq!(counts.matches("<tr>").count(), kinds.len() + 1, "{counts}");
    html
}

#[test]
fn a_small_change_reads_as_a_table_of_counts_and_folded_sql() {
    let html = presentations(&SMALL_CHANGE);
    assert!(html.contains("<h4>⚠️ Hazards (1 step)</h4>"), "{html}");
    assert!(html.contains("language-mermaid"), "{html}");
}

#[test]
fn a_hazardous_drop_shows_its_gated_hazards_before_any_step() {
    let html = presentations(&HAZARDOUS_DROP);
    let hazards = html.find("Hazards (").expect("a hazards section");
    let first_step = html.find("<details><summary>").expect("steps");
    assert!(hazards < first_step, "{html}");
    assert!(
        html.contains("<strong>DeletesData</strong> (gated)"),
        "{html}"
    );
    assert!(
        html.contains("<code>--allow-hazards DeletesData</code>"),
        "{html}"
    );
}

#[test]
fn a_hook_migration_names_its_batches_in_every_presentation() {
    let html = presentations(&HOOK_MIGRATION);
    assert!(html.contains("split_given_name"), "{html}");
    assert!(html.contains("<h4>backfill (1 step)</h4>"), "{html}");
}

/// psql runs the script as `apply` would: it converges (the plan after it is empty), and it
/// stops at the first error instead of going on with the steps after it.
#[test]
fn the_sql_script_runs_in_psql_and_stops_at_the_first_error() {
    let (mut db, planned) = plan_of(&SMALL_CHANGE);
    let script = planned
        .plan
        .to_script(std::time::Duration::from_secs(2), None);
    let psql = |db: &TestDb, script: &str| {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("plan.sql");
        std::fs::write(&file, script).unwrap();
        std::process::Command::new(bindir().join("psql"))
            .args(["-X", "-q", "-d", &db.conninfo(), "-f"])
            .arg(&file)
            .output()
            .unwrap()
    };
    let out = psql(&db, &script);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let desired =
        yaml::load_sources(&[("d.yaml".into(), SMALL_CHANGE.desired.to_string())]).unwrap();
    let again = plan(&mut db, &desired);
    assert!(again.plan.is_empty(), "{}", again.plan.to_sql());

    // A script whose second step fails: the third never runs.
    let (mut db, planned) = plan_of(&SMALL_CHANGE);
    let broken = planned
        .plan
        .to_script(std::time::Duration::from_secs(2), None)
        .replacen("CREATE INDEX", "SELECT 1/0; CREATE INDEX", 1)
        + "CREATE TABLE public.after_the_error (id int);\n";
    let out = psql(&db, &broken);
    assert!(!out.status.success());
    let n: i64 = db
        .client()
        .query_one(
            "SELECT count(*) FROM pg_class WHERE relname = 'after_the_error'",
            &[],
        )
        .unwrap()
        .get(0);
    assert_eq!(n, 0, "psql went on after the error");
}

/// A plan too large for a pull-request comment keeps its counts and hazards and points to the
/// full plan, under the cap.
#[test]
fn a_plan_larger_than_a_comment_is_capped_and_says_where_the_rest_is() {
    let mut desired = String::from("schemas:\n  public:\n    tables:\n");
    for i in 0..150 {
        desired.push_str(&format!(
            "      wide_table_with_a_long_name_{i:03}:\n        columns:\n"
        ));
        for c in 0..12 {
            desired.push_str(&format!(
                "          column_with_a_long_name_{c:02}: {{type: text}}\n"
            ));
        }
    }
    let mut db = TestDb::fresh();
    let desired = yaml::load_sources(&[("big.yaml".into(), desired)]).unwrap();
    let planned = crate::harness::plan_with(&mut db, &desired, &Default::default());
    let full = planned.plan.to_markdown(None, usize::MAX);
    assert!(full.len() > MARKDOWN_CAP, "{}", full.len());
    let capped = planned.plan.to_markdown(None, MARKDOWN_CAP);
    assert!(capped.len() <= MARKDOWN_CAP, "{}", capped.len());
    assert!(capped.contains("--format sql"), "{capped}");
    let html = render_html(&capped);
    assert!(html.contains("<table>"), "{html}");
    assert!(!html.contains("language-sql"), "{html}");
}

/// Inside GitHub Actions, `plan` (in any format) appends the markdown plan to the job summary;
/// outside, it writes none.
#[test]
fn inside_github_actions_the_plan_goes_to_the_job_summary() {
    let mut db = TestDb::fresh();
    db.execute(SMALL_CHANGE.before);
    let dir = tempfile::tempdir().unwrap();
    let desired = dir.path().join("desired.yaml");
    std::fs::write(&desired, SMALL_CHANGE.desired).unwrap();
    let summary = dir.path().join("summary.md");
    std::fs::write(&summary, "earlier step's summary\n").unwrap();
    let run = |github: bool| {
        let mut cmd = crate::harness::schemaplan_command(&[
            "plan",
            "--no-rehearse",
            "--desired",
            desired.to_str().unwrap(),
            "--database-url",
            &db.conninfo(),
        ]);
        cmd.env("GITHUB_STEP_SUMMARY", &summary);
        if github {
            cmd.env("GITHUB_ACTIONS", "true");
        } else {
            cmd.env_remove("GITHUB_ACTIONS");
        }
        let out = cmd.output().unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        std::fs::read_to_string(&summary).unwrap()
    };
    assert_eq!(run(false), "earlier step's summary\n");
    let written = run(true);
    assert!(
        written.starts_with("earlier step's summary\n### schemaplan plan `"),
        "{written}"
    );
    assert!(
        written.contains("<details><summary>1/3 + add column"),
        "{written}"
    );
}
