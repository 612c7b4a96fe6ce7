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
    let dir = std::env::temp_dir().join(format!("schemaplan-fleet-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("desired.yaml"), DESIRED).unwrap();
    let mut dbs = Vec::new();
    let mut targets = String::new();
    for i in 0..n {
        let on = if i % 2 == 0 {
            server()
        } else {
            second_server()
        };
        let mut db = on.scratch_database("fleet").unwrap();
        db.client().batch_execute(START).unwrap();
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

fn completed_runs(db: &mut ScratchDatabase) -> i64 {
    db.client()
        .query_one(
            "SELECT count(*) FROM schemaplan.migrations WHERE status = 'completed'",
            &[],
        )
        .unwrap()
        .get(0)
}

/// Every target converged: `fleet plan` finds nothing to do, and each target's history holds
/// exactly one completed run.
fn assert_converged(f: &mut Fleet) {
    let again = run(f, &["fleet", "plan", "--format", "json"]);
    assert_eq!(again.status.code(), Some(0), "{}", text(&again));
    let json: serde_json::Value = serde_json::from_slice(&again.stdout).unwrap();
    assert_eq!(json["groups"].as_array().unwrap().len(), 1, "{json}");
    for (i, db) in f.dbs.iter_mut().enumerate() {
        assert_eq!(
            completed_runs(db),
            1,
            "target t{i:02} was not migrated exactly once"
        );
    }
}

#[test]
fn fleet_plan_groups_drifted_targets_and_apply_resumes_after_a_lock_failure() {
    let mut f = fleet("lock", 40, 10);
    f.dbs[7]
        .client()
        .batch_execute("ALTER TABLE accounts ADD COLUMN nickname text")
        .unwrap();
    f.dbs[19]
        .client()
        .batch_execute("CREATE INDEX accounts_name_idx ON accounts (name)")
        .unwrap();
    f.dbs[33]
        .client()
        .batch_execute("ALTER TABLE events ALTER COLUMN at DROP NOT NULL")
        .unwrap();
    let planned = run(&f, &["fleet", "plan", "--format", "json"]);
    assert_eq!(planned.status.code(), Some(2), "{}", text(&planned));
    let json: serde_json::Value = serde_json::from_slice(&planned.stdout).unwrap();
    let groups = json["groups"].as_array().unwrap();
    assert_eq!(groups.len(), 4, "{json:#}");
    assert_eq!(groups[0]["targets"].as_array().unwrap().len(), 37);
    for (g, name) in groups[1..].iter().zip(["t07", "t19", "t33"]) {
        assert_eq!(g["targets"], serde_json::json!([name]), "{json:#}");
    }
    let drifted: Vec<&str> = json["drifted"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["target"].as_str().unwrap())
        .collect();
    assert_eq!(drifted, ["t07", "t19", "t33"]);
    let nickname = json["drifted"][0]["changes"].to_string();
    assert!(nickname.contains("public.accounts.nickname"), "{nickname}");
    // One shadow build and one rehearsal per distinct schema, not per target.
    assert_eq!(json["shadow_builds"], 4);
    assert_eq!(json["rehearsals"], 4);

    // t12 is in the second wave (canaries t00, t01 first); its table stays locked.
    let mut holder = postgres::Client::connect(&f.dbs[12].conninfo(), postgres::NoTls).unwrap();
    let mut tx = holder.transaction().unwrap();
    tx.batch_execute("LOCK TABLE accounts IN ACCESS EXCLUSIVE MODE")
        .unwrap();
    // t07's plan drops the column only it has: refused before anything runs.
    let refused = run(&f, &["fleet", "apply", "--yes"]);
    assert_eq!(refused.status.code(), Some(1), "{}", text(&refused));
    assert!(
        text(&refused).contains("DeletesData in public.accounts.nickname (1) of the plan of t07"),
        "{}",
        text(&refused)
    );
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
    let out = text(&applied);
    assert!(out.contains("failed       t12"), "{out}");
    assert!(out.contains("halted"), "{out}");
    let status = run(&f, &["fleet", "status"]);
    let status = text(&status);
    assert!(status.contains("wave  1  applied      t00"), "{status}");
    assert!(status.contains("failed       t12"), "{status}");
    // The later waves did not begin.
    assert!(status.contains("wave  5  pending      t39"), "{status}");
    tx.rollback().unwrap();

    let again = run(&f, &["fleet", "apply", "--yes"]);
    assert_eq!(again.status.code(), Some(0), "{}", text(&again));
    assert!(
        text(&again).contains("Carrying on fleet run #1"),
        "{}",
        text(&again)
    );
    assert_converged(&mut f);
}

#[test]
fn a_fleet_apply_killed_midway_completes_when_run_again() {
    let mut f = fleet("kill", 8, 1);
    // t04 waits for its lock (up to 6 × 1 s with retries) while the process is killed.
    let mut holder = postgres::Client::connect(&f.dbs[4].conninfo(), postgres::NoTls).unwrap();
    let mut tx = holder.transaction().unwrap();
    tx.batch_execute("LOCK TABLE accounts IN ACCESS EXCLUSIVE MODE")
        .unwrap();
    let file = f.file.to_str().unwrap().to_string();
    let mut child = schemaplan_command(&[
        "fleet",
        "apply",
        &file,
        "--yes",
        "--concurrency",
        "1",
        "--lock-timeout",
        "1s",
        "--retries",
        "5",
    ])
    .stdout(std::process::Stdio::null())
    .stderr(std::process::Stdio::null())
    .spawn()
    .unwrap();
    let state = f.dir.join(".schemaplan/fleet-state.json");
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let text = std::fs::read_to_string(&state).unwrap_or_default();
        if text.contains("\"running\"") && count_applied(&text) >= 4 {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "the fleet never reached t04:\n{text}"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    child.kill().unwrap();
    child.wait().unwrap();
    tx.rollback().unwrap();
    let again = run(&f, &["fleet", "apply", "--yes"]);
    assert_eq!(again.status.code(), Some(0), "{}", text(&again));
    assert_converged(&mut f);
}

fn count_applied(state: &str) -> usize {
    state.matches("\"status\": \"applied\"").count()
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
fn two_hundred_tenant_schemas_are_planned_once_and_applied() {
    const TENANTS: usize = 200;
    let dir = std::env::temp_dir().join(format!("schemaplan-fleet-tenants-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("desired.yaml"), TENANT_DESIRED).unwrap();
    let mut db = second_server().scratch_database("tenants").unwrap();
    let all: String = (1..=TENANTS)
        .map(|i| tenant_sql(&format!("tenant_{i:03}")))
        .collect();
    db.client().batch_execute(&all).unwrap();
    db.client()
        .batch_execute(
            "ALTER TABLE tenant_007.accounts ADD COLUMN nickname text;
             CREATE INDEX ON tenant_019.accounts (name);
             ALTER TABLE tenant_033.events ALTER COLUMN at DROP NOT NULL;",
        )
        .unwrap();
    let file = dir.join("fleet.yaml");
    std::fs::write(
        &file,
        format!(
            "desired: desired.yaml\nconcurrency: 4\ntenants:\n  - {{name: saas, url: \"{}\", template: tenant, pattern: 'tenant\\_%'}}\n",
            db.conninfo()
        ),
    )
    .unwrap();
    let f = Fleet {
        dir,
        dbs: Vec::new(),
        file,
    };
    let planned = run(&f, &["fleet", "plan", "--format", "json"]);
    assert_eq!(planned.status.code(), Some(2), "{}", text(&planned));
    let json: serde_json::Value = serde_json::from_slice(&planned.stdout).unwrap();
    assert_eq!(json["targets"].as_array().unwrap().len(), TENANTS);
    let groups = json["groups"].as_array().unwrap();
    assert_eq!(groups.len(), 4, "{}", text(&planned));
    assert_eq!(groups[0]["targets"].as_array().unwrap().len(), TENANTS - 3);
    let drifted: Vec<&str> = (json["drifted"].as_array().unwrap().iter())
        .map(|d| d["target"].as_str().unwrap())
        .collect();
    assert_eq!(
        drifted,
        ["saas/tenant_007", "saas/tenant_019", "saas/tenant_033"]
    );
    let nickname = json["drifted"][0]["changes"].to_string();
    assert!(
        nickname.contains("tenant_007.accounts.nickname"),
        "{nickname}"
    );
    // The shadow's work is per distinct schema, not per tenant.
    assert_eq!(json["shadow_builds"], 4);
    assert_eq!(json["rehearsals"], 4);
    let sql = groups[0]["plan"].to_string();
    assert!(sql.contains("tenant_001.accounts"), "{sql}");

    let applied = run(
        &f,
        &["fleet", "apply", "--yes", "--allow-hazards", "DeletesData"],
    );
    assert_eq!(applied.status.code(), Some(0), "{}", text(&applied));
    let again = run(&f, &["fleet", "plan", "--format", "json"]);
    assert_eq!(again.status.code(), Some(0), "{}", text(&again));
    let rows = db
        .client()
        .query(
            "SELECT schemas, count(*) FROM schemaplan.migrations WHERE status = 'completed'
              GROUP BY schemas",
            &[],
        )
        .unwrap();
    assert_eq!(rows.len(), TENANTS, "one run per tenant's schema");
    assert!(
        rows.iter().all(|r| r.get::<_, i64>(1) == 1),
        "no tenant migrated twice"
    );
    let with_plan: i64 = db
        .client()
        .query_one(
            "SELECT count(*) FROM information_schema.columns
              WHERE table_name = 'accounts' AND column_name = 'plan'",
            &[],
        )
        .unwrap()
        .get(0);
    assert_eq!(with_plan, TENANTS as i64);
}

#[test]
fn discovered_targets_an_unreachable_one_halts_its_wave_and_rollback_undoes_a_run() {
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
    // Without d2 (gone from the control table), the run is another fleet's: refused until
    // --new-run.
    control
        .client()
        .batch_execute("DELETE FROM shards WHERE name = 'd2'")
        .unwrap();
    let refused = run(&f, &["fleet", "apply", "--yes"]);
    assert_eq!(refused.status.code(), Some(1), "{}", text(&refused));
    assert!(text(&refused).contains("--new-run"), "{}", text(&refused));
    let applied = run(&f, &["fleet", "apply", "--yes", "--new-run"]);
    assert_eq!(applied.status.code(), Some(0), "{}", text(&applied));
    assert!(has_plan_column(&mut found));
    // Undo the latest fleet run: d1 only (the canaries changed in the first run).
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
    assert!(!has_plan_column(&mut found), "{}", text(&undone));
    assert!(has_plan_column(&mut f.dbs[0]));
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
