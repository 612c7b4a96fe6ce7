//! `schemaplan fleet`: forty databases on two servers (the tests' server and a second cluster
//! of the same kind, started here; the fleet's shadow is its own embedded cluster), three of
//! them drifted. `fleet plan` groups them and names the drifted ones, with one shadow build
//! per distinct schema; `fleet apply` halts its wave at a target whose table is locked past
//! `lock_timeout`, and a rerun after the lock is released completes; a `kill -9` of
//! schemaplan mid-fleet and a rerun complete too. After each: every target's second plan is
//! empty and no target's history holds two completed runs. Also: two hundred tenant schemas of
//! one database from one template; targets listed by a discovery query, one of them
//! unreachable (its wave does not begin); `fleet rollback`; bad fleet files.

use std::path::{Path, PathBuf};
use std::process::Output;
use std::time::{Duration, Instant};

use std::sync::{Arc, OnceLock};

use schemaplan::pg::cluster::EmbeddedCluster;
use schemaplan::pg::db::{ScratchDatabase, Server};

use crate::harness::{cluster_options, schemaplan_command, server};

/// The second server of the fleet: a cluster like the tests' own (same roles), for the life
/// of the test process.
fn second_server() -> &'static Server {
    static SECOND: OnceLock<Server> = OnceLock::new();
    SECOND.get_or_init(|| {
        let cluster = EmbeddedCluster::start_with(cluster_options()).expect("a second cluster");
        Server::embedded(Arc::new(cluster)).expect("the second server")
    })
}

const START: &str = "
    CREATE TABLE accounts (id bigint PRIMARY KEY, name text NOT NULL);
    CREATE TABLE events (id bigint PRIMARY KEY, account bigint NOT NULL REFERENCES accounts, at timestamptz NOT NULL);
    INSERT INTO accounts SELECT g, 'a' || g FROM generate_series(1, 50) g;
";

/// The start, plus a column and an index.
const DESIRED: &str = "
schemas:
  public:
    tables:
      accounts:
        columns:
          id: { type: bigint, not_null: true }
          name: { type: text, not_null: true }
          plan: { type: text }
        primary_key: [id]
      events:
        columns:
          id: { type: bigint, not_null: true }
          account: { type: bigint, not_null: true }
          at: { type: timestamp with time zone, not_null: true }
        primary_key: [id]
        foreign_keys:
          events_account_fkey: { columns: [account], references: { table: accounts, columns: [id] } }
        indexes:
          events_at_idx: { columns: [at] }
";

struct Fleet {
    dir: PathBuf,
    dbs: Vec<ScratchDatabase>,
    file: PathBuf,
}

impl Drop for Fleet {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// `n` databases, alternately on the two servers, each with `START`; the first two labelled
/// canaries; waves of `batch` after them.
fn fleet(name: &str, n: usize, batch: usize) -> Fleet {
    fleet_of(name, n, batch, START, DESIRED)
}

/// `n` databases made by `sql`, for the desired state `desired`, as [`fleet`].
fn fleet_of(name: &str, n: usize, batch: usize, sql: &str, desired: &str) -> Fleet {
    let dir = std::env::temp_dir().join(format!("schemaplan-fleet-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("desired.yaml"), desired).unwrap();
    let mut dbs = Vec::new();
    let mut targets = String::new();
    for i in 0..n {
        let on = if i % 2 == 0 {
            server()
        } else {
            second_server()
        };
        let mut db = on.scratch_database("fleet").unwrap();
        db.client().batch_execute(sql).unwrap();
        let labels = if i < 2 {
            "{tier: canary}"
        } else {
            "{tier: main}"
        };
        targets.push_str(&format!(
            "  - {{name: t{i:02}, url: \"{}\", labels: {labels}}}\n",
            db.conninfo()
        ));
        dbs.push(db);
    }
    let file = dir.join("fleet.yaml");
    std::fs::write(
        &file,
        format!(
            "desired: desired.yaml\nconcurrency: 4\ncanary: {{tier: canary}}\nbatch: {batch}\ntargets:\n{targets}"
        ),
    )
    .unwrap();
    Fleet { dir, dbs, file }
}

fn run(f: &Fleet, args: &[&str]) -> Output {
    let mut all: Vec<&str> = args.to_vec();
    all.push(f.file.to_str().unwrap());
    schemaplan_command(&all).output().unwrap()
}

fn text(o: &Output) -> String {
    format!(
        "exit {:?}\n--- stdout\n{}\n--- stderr\n{}",
        o.status.code(),
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

/// Completed runs in a database's history, by the schemas they managed.
fn completed_runs(db: &mut ScratchDatabase) -> Vec<(Vec<String>, i64)> {
    (db.client())
        .query(
            "SELECT schemas, count(*) FROM schemaplan.migrations WHERE status = 'completed'
              GROUP BY schemas ORDER BY 1",
            &[],
        )
        .unwrap()
        .iter()
        .map(|r| (r.get(0), r.get(1)))
        .collect()
}

/// The state file's record of `target` in the latest fleet run.
fn recorded_status(f: &Fleet, target: &str) -> Option<String> {
    let text = std::fs::read_to_string(f.dir.join(".schemaplan/fleet-state.json")).ok()?;
    let state: serde_json::Value = serde_json::from_str(&text).ok()?;
    let run = state["runs"].as_array()?.last()?.clone();
    let t = run["targets"]
        .as_array()?
        .iter()
        .find(|t| t["name"] == target)?
        .clone();
    Some(t["status"].as_str()?.to_string())
}

/// Holds a SHARE lock on `table` of the database behind `conninfo` until dropped: what the
/// plan's `ALTER TABLE` waits for, while the catalog (a view's definition, which takes ACCESS
/// SHARE on the table) can still be read.
struct Held {
    _client: postgres::Client,
}

fn hold(conninfo: &str, table: &str) -> Held {
    let mut client = postgres::Client::connect(conninfo, postgres::NoTls).unwrap();
    client
        .batch_execute(&format!("BEGIN; LOCK TABLE {table} IN SHARE MODE"))
        .unwrap();
    Held { _client: client }
}

#[test]
fn bad_fleet_files_are_refused_with_their_lines() {
    let dir = std::env::temp_dir().join(format!("schemaplan-fleet-bad-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("fleet.yaml");
    let url = server().maintenance_conninfo();
    std::fs::write(
        &file,
        format!("targets:\n  - {{name: a, url: \"{url}\"}}\n  - {{name: b, url: \"{url}\"}}\n"),
    )
    .unwrap();
    let out = schemaplan_command(&["fleet", "plan", file.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert!(
        text(&out).contains("targets `a` and `b` are the same database"),
        "{}",
        text(&out)
    );
    std::fs::write(&file, "targets:\n  - {name: a}\n").unwrap();
    let out = schemaplan_command(&["fleet", "plan", file.to_str().unwrap()])
        .output()
        .unwrap();
    let shown = text(&out);
    assert!(
        shown.contains(&format!("{}:2:", Path::new(&file).display()))
            && shown.contains("needs where the database is"),
        "{shown}"
    );
    // The fleet file's JSON Schema names every key the loader reads.
    let schema = schemaplan_command(&["fleet", "schema"]).output().unwrap();
    let schema: serde_json::Value = serde_json::from_slice(&schema.stdout).unwrap();
    for key in [
        "desired",
        "concurrency",
        "canary",
        "batch",
        "state",
        "targets",
        "discover",
        "tenants",
    ] {
        assert!(
            schema["properties"].get(key).is_some(),
            "{key} missing from {schema:#}"
        );
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

/// A tenant's schema: tables with a key between them, a sequence behind a default, a view
/// and a function that name the schema's own objects (what the renaming must follow).
fn tenant_sql(schema: &str) -> String {
    format!(
        "CREATE SCHEMA {schema};
         CREATE SEQUENCE {schema}.invoice_no;
         CREATE TABLE {schema}.accounts (
             id bigint PRIMARY KEY, name text NOT NULL,
             invoice bigint NOT NULL DEFAULT nextval('{schema}.invoice_no'::regclass));
         CREATE TABLE {schema}.events (
             id bigint PRIMARY KEY, account bigint NOT NULL REFERENCES {schema}.accounts,
             at timestamptz NOT NULL);
         CREATE VIEW {schema}.named AS SELECT id, name FROM {schema}.accounts WHERE name <> '';
         CREATE FUNCTION {schema}.account_count() RETURNS bigint LANGUAGE sql STABLE
             AS $$ SELECT count(*) FROM {schema}.accounts $$;
         INSERT INTO {schema}.accounts (id, name) SELECT g, 'a' || g FROM generate_series(1, 5) g;"
    )
}

/// The template `tenant`: the schema above, plus a column and an index.
const TENANT_DESIRED: &str = "
schemas:
  tenant:
    sequences:
      invoice_no: {}
    tables:
      accounts:
        columns:
          id: { type: bigint, not_null: true }
          name: { type: text, not_null: true }
          invoice: { type: bigint, not_null: true, default: \"nextval('invoice_no'::regclass)\" }
          plan: { type: text }
        primary_key: [id]
      events:
        columns:
          id: { type: bigint, not_null: true }
          account: { type: bigint, not_null: true }
          at: { type: timestamp with time zone, not_null: true }
        primary_key: [id]
        foreign_keys:
          events_account_fkey: { columns: [account], references: { table: accounts, columns: [id] } }
        indexes:
          events_at_idx: { columns: [at] }
    views:
      named:
        definition: SELECT id, name FROM accounts WHERE name <> ''
    functions:
      account_count:
        arguments: ''
        returns: bigint
        language: sql
        volatility: stable
        body: SELECT count(*) FROM tenant.accounts
";

#[test]
fn discovered_targets_an_unreachable_one_halts_its_wave_keep_going_and_rollback() {
    let mut f = fleet("discover", 2, 0);
    // Two more targets listed by a query on a control database; one of them is not there.
    let mut control = server().scratch_database("control").unwrap();
    let mut found = second_server().scratch_database("fleet").unwrap();
    found.client().batch_execute(START).unwrap();
    let closed = "host=127.0.0.1 port=1 dbname=gone user=nobody connect_timeout=2";
    control
        .client()
        .execute(
            "CREATE TABLE shards AS SELECT * FROM (VALUES ('d1', $1::text), ('d2', $2::text)) v(name, url)",
            &[&found.conninfo(), &closed],
        )
        .unwrap();
    let listed = std::fs::read_to_string(&f.file).unwrap();
    let with_discovery = format!(
        "{listed}discover:\n  - {{url: \"{}\", query: 'SELECT name, url FROM shards', labels: {{tier: main}}}}\n",
        control.conninfo()
    );
    std::fs::write(&f.file, &with_discovery).unwrap();
    let planned = run(&f, &["fleet", "plan"]);
    assert_eq!(planned.status.code(), Some(1), "{}", text(&planned));
    assert!(
        text(&planned).contains("d2 (discover 1"),
        "{}",
        text(&planned)
    );
    assert!(text(&planned).contains("unreachable"), "{}", text(&planned));
    // The canaries change; the wave holding d2 does not begin, d1 included.
    let applied = run(&f, &["fleet", "apply", "--yes"]);
    assert_eq!(applied.status.code(), Some(1), "{}", text(&applied));
    let has_plan_column = |db: &mut ScratchDatabase| -> bool {
        db.client()
            .query_one(
                "SELECT EXISTS (SELECT 1 FROM information_schema.columns
                                 WHERE table_name = 'accounts' AND column_name = 'plan')",
                &[],
            )
            .unwrap()
            .get(0)
    };
    assert!(has_plan_column(&mut f.dbs[0]) && has_plan_column(&mut f.dbs[1]));
    assert!(!has_plan_column(&mut found), "{}", text(&applied));
    // --keep-going: d1 is applied, d2 stays unreachable, and the run is still not done.
    let kept = run(&f, &["fleet", "apply", "--yes", "--keep-going"]);
    assert_eq!(kept.status.code(), Some(1), "{}", text(&kept));
    assert!(has_plan_column(&mut found), "{}", text(&kept));
    assert!(text(&kept).contains("unreachable  d2"), "{}", text(&kept));
    // Without d2 (gone from the control table), the run is another fleet's: refused until
    // --new-run.
    control
        .client()
        .batch_execute("DELETE FROM shards WHERE name = 'd2'")
        .unwrap();
    let refused = run(&f, &["fleet", "apply", "--yes"]);
    assert_eq!(refused.status.code(), Some(1), "{}", text(&refused));
    assert!(text(&refused).contains("--new-run"), "{}", text(&refused));
    // --new-run leaves run #1 (its targets are all done now but d2's): nothing to apply.
    let applied = run(&f, &["fleet", "apply", "--yes", "--new-run"]);
    assert_eq!(applied.status.code(), Some(0), "{}", text(&applied));
    assert!(
        text(&applied).contains("Nothing to apply"),
        "{}",
        text(&applied)
    );
    let status = text(&run(&f, &["fleet", "status"]));
    assert!(status.contains("abandoned"), "{status}");
    // Undo the latest fleet run, #1: d1 in its last wave first, then the canaries.
    let undone = run(
        &f,
        &[
            "fleet",
            "rollback",
            "--yes",
            "--allow-hazards",
            "DeletesData",
        ],
    );
    assert_eq!(undone.status.code(), Some(0), "{}", text(&undone));
    let order = text(&undone);
    let (d1, t00) = (
        order.find("rolled back  d1"),
        order.find("rolled back  t00"),
    );
    assert!(d1.is_some() && t00.is_some() && d1 < t00, "{order}");
    assert!(!has_plan_column(&mut found), "{order}");
    assert!(!has_plan_column(&mut f.dbs[0]), "{order}");
    // A control database listed as a target is refused.
    let as_target = format!(
        "{}  - {{name: ctl, url: \"{}\"}}\n",
        with_discovery.split("discover:").next().unwrap(),
        control.conninfo()
    );
    std::fs::write(
        &f.file,
        format!(
            "{as_target}discover:\n  - {{url: \"{}\", query: 'SELECT name, url FROM shards'}}\n",
            control.conninfo()
        ),
    )
    .unwrap();
    let refused = run(&f, &["fleet", "plan"]);
    assert_eq!(refused.status.code(), Some(1), "{}", text(&refused));
    assert!(
        text(&refused).contains("is the control database of discover 1"),
        "{}",
        text(&refused)
    );
}

#[test]
fn a_fleet_of_forty_databases_and_two_hundred_tenant_schemas() {
    const TENANTS: usize = 200;
    // Forty databases of one tenant each (the schema `tenant`), two canaries, waves of ten.
    let mut f = fleet_of("mixed", 40, 10, &tenant_sql("tenant"), TENANT_DESIRED);
    // And two hundred tenants' schemas in one database.
    let mut saas = second_server().scratch_database("tenants").unwrap();
    let all: String = (1..=TENANTS)
        .map(|i| tenant_sql(&format!("tenant_{i:03}")))
        .collect();
    saas.client().batch_execute(&all).unwrap();
    for (db, schema) in [(7, "tenant_007"), (19, "tenant_019"), (33, "tenant_033")] {
        let drift = |s: &str| match db {
            7 => format!("ALTER TABLE {s}.accounts ADD COLUMN nickname text"),
            19 => format!("CREATE INDEX ON {s}.accounts (name)"),
            _ => format!("ALTER TABLE {s}.events ALTER COLUMN at DROP NOT NULL"),
        };
        f.dbs[db].client().batch_execute(&drift("tenant")).unwrap();
        saas.client().batch_execute(&drift(schema)).unwrap();
    }
    let mut fleet_file = std::fs::read_to_string(&f.file).unwrap();
    fleet_file.push_str(&format!(
        "tenants:\n  - {{name: saas, url: \"{}\", template: tenant, pattern: 'tenant\\_%'}}\n",
        saas.conninfo()
    ));
    std::fs::write(&f.file, fleet_file).unwrap();

    let planned = run(&f, &["fleet", "plan", "--format", "json"]);
    assert_eq!(planned.status.code(), Some(2), "{}", text(&planned));
    let json: serde_json::Value = serde_json::from_slice(&planned.stdout).unwrap();
    assert_eq!(json["targets"].as_array().unwrap().len(), 40 + TENANTS);
    let group_of = |name: &str| {
        (json["groups"].as_array().unwrap().iter())
            .find(|g| g["targets"].as_array().unwrap().iter().any(|t| t == name))
            .unwrap()["targets"]
            .as_array()
            .unwrap()
            .len()
    };
    // The databases' common plan and the tenants' are the same steps on the same schema (in
    // the template's terms): one group. A drifted database and its drifted tenant twin share
    // a plan too, but for the drop of t07's column, whose backup is named after each one's
    // own plan.
    assert_eq!(group_of("t00"), 37 + TENANTS - 3, "{}", text(&planned));
    for (name, members) in [("t07", 1), ("t19", 2), ("t33", 2), ("saas/tenant_007", 1)] {
        assert_eq!(group_of(name), members, "{name}: {json:#}");
    }
    let drifted: Vec<&str> = (json["drifted"].as_array().unwrap().iter())
        .map(|d| d["target"].as_str().unwrap())
        .collect();
    assert_eq!(
        drifted,
        [
            "t07",
            "t19",
            "t33",
            "saas/tenant_007",
            "saas/tenant_019",
            "saas/tenant_033"
        ]
    );
    let changes = json["drifted"][3]["changes"].to_string();
    assert!(
        changes.contains("tenant_007.accounts.nickname"),
        "{changes}"
    );
    // The shadow's work is one build and one rehearsal per distinct schema: four of the
    // databases, four of the tenants.
    assert_eq!(json["shadow_builds"], 8);
    assert_eq!(json["rehearsals"], 8);

    // t12 (wave 3) stays locked past --lock-timeout: its wave ends, the run halts.
    let held = hold(&f.dbs[12].conninfo(), "tenant.accounts");
    let applied = run(
        &f,
        &[
            "fleet",
            "apply",
            "--yes",
            "--lock-timeout",
            "200ms",
            "--retries",
            "1",
            "--allow-hazards",
            "DeletesData",
        ],
    );
    assert_eq!(applied.status.code(), Some(1), "{}", text(&applied));
    assert!(
        text(&applied).contains("failed       t12"),
        "{}",
        text(&applied)
    );
    let status = text(&run(&f, &["fleet", "status"]));
    assert!(status.contains("wave  1  applied      t00"), "{status}");
    assert!(status.contains("failed       t12"), "{status}");
    assert!(status.contains("pending      saas/tenant_200"), "{status}");
    drop(held);

    // Carried on, and killed while saas/tenant_150 waits for its lock.
    let held = hold(&saas.conninfo(), "tenant_150.accounts");
    let file = f.file.to_str().unwrap().to_string();
    let mut child = schemaplan_command(&[
        "fleet",
        "apply",
        &file,
        "--yes",
        "--lock-timeout",
        "1s",
        "--retries",
        "8",
        "--allow-hazards",
        "DeletesData",
    ])
    .stdout(std::process::Stdio::null())
    .stderr(std::process::Stdio::null())
    .spawn()
    .unwrap();
    let deadline = Instant::now() + Duration::from_secs(240);
    while recorded_status(&f, "saas/tenant_150").as_deref() != Some("running") {
        assert!(
            Instant::now() < deadline,
            "the fleet never reached saas/tenant_150"
        );
        if let Some(status) = child.try_wait().unwrap() {
            panic!("the fleet apply ended ({status}) before saas/tenant_150");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    child.kill().unwrap();
    child.wait().unwrap();
    drop(held);
    let again = run(
        &f,
        &["fleet", "apply", "--yes", "--allow-hazards", "DeletesData"],
    );
    assert_eq!(again.status.code(), Some(0), "{}", text(&again));
    assert!(
        text(&again).contains("Carrying on fleet run #1"),
        "{}",
        text(&again)
    );

    // Converged: nothing left to plan, and every target migrated exactly once.
    let after = run(&f, &["fleet", "plan", "--format", "json"]);
    assert_eq!(after.status.code(), Some(0), "{}", text(&after));
    for (i, db) in f.dbs.iter_mut().enumerate() {
        let runs = completed_runs(db);
        assert_eq!(runs.len(), 1, "t{i:02}: {runs:?}");
        assert_eq!(runs[0].1, 1, "t{i:02} was migrated {} times", runs[0].1);
    }
    let runs = completed_runs(&mut saas);
    assert_eq!(runs.len(), TENANTS, "one run per tenant's schema: {runs:?}");
    assert!(
        runs.iter().all(|(_, n)| *n == 1),
        "a tenant migrated twice: {runs:?}"
    );
}

#[test]
fn phases_run_across_the_fleet_expand_then_contract() {
    let f = fleet("phases", 3, 0);
    // The desired state adds `plan` and drops `name`: an expand step and a contract step.
    let desired = DESIRED.replace("          name: { type: text, not_null: true }\n", "");
    std::fs::write(f.dir.join("desired.yaml"), desired).unwrap();
    let column = |db: &ScratchDatabase, name: &str| -> bool {
        let mut client = postgres::Client::connect(&db.conninfo(), postgres::NoTls).unwrap();
        client
            .query_one(
                "SELECT EXISTS (SELECT 1 FROM information_schema.columns
                                 WHERE table_name = 'accounts' AND column_name = $1)",
                &[&name],
            )
            .unwrap()
            .get(0)
    };
    let expanded = run(&f, &["fleet", "apply", "--yes", "--phase", "expand"]);
    assert_eq!(expanded.status.code(), Some(0), "{}", text(&expanded));
    for db in &f.dbs {
        assert!(
            column(db, "plan") && column(db, "name"),
            "{}",
            text(&expanded)
        );
    }
    // The application is deployed here; then the contract phase drops what it no longer reads.
    let refused = run(&f, &["fleet", "apply", "--yes", "--phase", "contract"]);
    assert_eq!(refused.status.code(), Some(1), "{}", text(&refused));
    let contracted = run(
        &f,
        &[
            "fleet",
            "apply",
            "--yes",
            "--phase",
            "contract",
            "--allow-hazards",
            "DeletesData",
        ],
    );
    assert_eq!(contracted.status.code(), Some(0), "{}", text(&contracted));
    for db in &f.dbs {
        assert!(
            column(db, "plan") && !column(db, "name"),
            "{}",
            text(&contracted)
        );
    }
    let after = run(&f, &["fleet", "plan"]);
    assert_eq!(after.status.code(), Some(0), "{}", text(&after));
}
