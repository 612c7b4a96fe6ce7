//! Data hooks through the binary: seed 000's wedding → event migration applied with every
//! verification passing and rolled back to the exact legacy state; a hook killed between batches
//! and finished by the next apply with no row missing or repeated; a failing verification that
//! stops the apply before contract.

use std::time::{Duration, Instant};

use crate::guarded::{apply_args, describe, run, spawn, wait_for, write};
use crate::harness::{TestDb, repo_path};

/// Rows of a query as `a|b` lines.
fn lines(db: &mut TestDb, sql: &str) -> Vec<String> {
    db.client()
        .simple_query(sql)
        .unwrap()
        .into_iter()
        .filter_map(|m| match m {
            postgres::SimpleQueryMessage::Row(r) => Some(
                (0..r.len())
                    .map(|i| r.get(i).unwrap_or("NULL"))
                    .collect::<Vec<_>>()
                    .join("|"),
            ),
            _ => None,
        })
        .collect()
}

fn count(db: &mut TestDb, sql: &str) -> i64 {
    db.client().query_one(sql, &[]).unwrap().get(0)
}

#[test]
fn the_wedding_migration_applies_verified_and_rolls_back_to_the_exact_legacy_state() {
    let mut db = TestDb::fresh();
    db.execute(&std::fs::read_to_string(repo_path("schema/legacy/wedding.sql")).unwrap());
    db.execute(
        "SET wedding.invitations = 500; SET wedding.guests = 5000; SET wedding.templates = 25",
    );
    db.execute(&std::fs::read_to_string(repo_path("scripts/wedding_data.sql")).unwrap());
    let start_data = db.data_checksums();
    let start_schema = db.schema_dump();
    let legacy_fields = repo_path("scripts/wedding_fields_legacy.sql");
    let before = lines(&mut db, &std::fs::read_to_string(legacy_fields).unwrap());
    assert!(
        before.contains(&"wedding_guests.rows|5000".to_string()),
        "{before:?}"
    );

    let out = run(&db, &["apply", "--yes", "--allow-hazards", "DeletesData"]);
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out));
    let stdout = String::from_utf8_lossy(&out.stdout);
    for hook in [
        "seed_event_types",
        "generic_tenant_types",
        "migrate_wedding_templates",
        "migrate_wedding_invitations",
        "migrate_wedding_guests",
    ] {
        assert!(
            stdout.contains(&format!("run hook {hook} ... ok")),
            "{stdout}"
        );
    }
    assert!(stdout.contains("5,000/5,000 rows"), "{stdout}");

    // Every field of every legacy row is where the hooks put it.
    let migrated_fields = repo_path("scripts/wedding_fields_migrated.sql");
    let after = lines(&mut db, &std::fs::read_to_string(migrated_fields).unwrap());
    assert_eq!(before, after);
    // The compatibility views answer like the legacy tables did.
    assert_eq!(count(&mut db, "SELECT count(*) FROM wedding_guests"), 5000);
    assert_eq!(
        lines(
            &mut db,
            "SELECT rsvp_status, count(*) FROM wedding_guests GROUP BY 1 ORDER BY 1"
        ),
        vec!["maybe|1000", "no|1000", "pending|1000", "yes|2000"]
    );
    assert_eq!(
        lines(
            &mut db,
            "SELECT name, status, rows FROM schemaplan.hooks ORDER BY name"
        ),
        vec![
            "generic_tenant_types|done|10",
            "migrate_wedding_guests|done|5000",
            "migrate_wedding_invitations|done|500",
            "migrate_wedding_templates|done|25",
            "seed_event_types|done|1",
        ]
    );
    let again = run(&db, &["plan", "--exit-code"]);
    assert_eq!(again.status.code(), Some(0), "{}", describe(&again));

    let back = run(
        &db,
        &["rollback", "--yes", "--allow-hazards", "DeletesData"],
    );
    assert_eq!(back.status.code(), Some(0), "{}", describe(&back));
    assert_eq!(db.data_checksums(), start_data);
    assert_eq!(db.schema_dump(), start_schema);
    // The hooks are forgotten with what they did: applying again runs them again.
    assert_eq!(count(&mut db, "SELECT count(*) FROM schemaplan.hooks"), 0);
}

const SOURCE: &str = "
CREATE TABLE source (id bigint PRIMARY KEY, v text NOT NULL);
INSERT INTO source SELECT g, 'value ' || g FROM generate_series(1, 20000) g;
";

/// `target` takes `source`'s rows through a hook (with `filter` in its SQL), then `source` goes.
fn copy_hook(filter: &str) -> String {
    format!(
        "
schemas:
  public:
    tables:
      target:
        columns:
          legacy_id: {{ type: bigint, not_null: true }}
          v: text
hooks:
  copy_source:
    depends_on: [public.target]
    batch: {{ table: source, key: id, size: 200, pause: 20ms }}
    up: INSERT INTO target (legacy_id, v) SELECT id, v FROM source WHERE id BETWEEN :lo AND :hi{filter}
    down: DELETE FROM target
    verify:
      - name: all_copied
        sql: SELECT (SELECT count(*) FROM source) AS source_rows, (SELECT count(*) FROM target) AS copied_rows
"
    )
}

/// The hook's recorded (batches, rows), once its table exists.
fn progress(db: &mut TestDb) -> Option<(i64, i64)> {
    let rows = db
        .client()
        .query(
            "SELECT batches, rows FROM schemaplan.hooks WHERE name = 'copy_source'",
            &[],
        )
        .ok()?;
    rows.first().map(|r| (r.get(0), r.get(1)))
}

#[test]
fn a_hook_killed_between_batches_is_finished_by_the_next_apply_with_no_row_missing_or_repeated() {
    let mut db = TestDb::fresh();
    db.execute(SOURCE);
    let dir = tempfile::tempdir().unwrap();
    let desired = write(dir.path(), "desired.yaml", &copy_hook(""));
    let args = apply_args(&desired, &[]);
    let mut first = spawn(&db, &args);
    let deadline = Instant::now() + Duration::from_secs(90);
    while progress(&mut db).is_none_or(|(batches, _)| batches < 10) {
        assert!(Instant::now() < deadline, "the hook never got going");
        std::thread::sleep(Duration::from_millis(10));
    }
    first.kill().unwrap(); // SIGKILL
    first.wait().unwrap();
    let (batches, rows) = progress(&mut db).unwrap();
    assert!(batches < 100, "the hook finished before the kill");
    // What committed is exactly what the progress says: batch and record commit together.
    assert_eq!(count(&mut db, "SELECT count(*) FROM target"), rows);
    assert_eq!(rows, batches * 200);

    let second = run(&db, &args);
    assert_eq!(second.status.code(), Some(0), "{}", describe(&second));
    let stdout = String::from_utf8_lossy(&second.stdout);
    assert!(stdout.contains("Continuing run #1"), "{stdout}");
    assert!(stdout.contains("run hook copy_source ... ok"), "{stdout}");
    assert_eq!(
        lines(
            &mut db,
            "SELECT count(*), count(DISTINCT legacy_id), min(legacy_id), max(legacy_id), \
             sum(legacy_id), bool_and(v = 'value ' || legacy_id) FROM target"
        ),
        vec!["20000|20000|1|20000|200010000|t"]
    );
    assert_eq!(progress(&mut db), Some((100, 20000)));
    assert_eq!(
        count(
            &mut db,
            "SELECT count(*) FROM pg_tables WHERE tablename = 'source'"
        ),
        0
    );
    let again = run(&db, &["plan", "--desired", &desired, "--exit-code"]);
    assert_eq!(again.status.code(), Some(0), "{}", describe(&again));
}

#[test]
fn a_failing_verification_stops_the_apply_before_contract_and_names_the_check() {
    let mut db = TestDb::fresh();
    db.execute(SOURCE);
    let dir = tempfile::tempdir().unwrap();
    // A hook that forgets every hundredth row.
    let desired = write(dir.path(), "desired.yaml", &copy_hook(" AND id % 100 <> 0"));
    let args = apply_args(&desired, &[]);
    let out = run(&db, &args);
    assert_eq!(out.status.code(), Some(1), "{}", describe(&out));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("verification `all_copied` of hook copy_source failed")
            && stderr.contains("source_rows = 20000, copied_rows = 19800")
            && stderr.contains("contract among them) did not run"),
        "{stderr}"
    );
    // The contract step (dropping source) did not run.
    assert_eq!(count(&mut db, "SELECT count(*) FROM source"), 20000);
    assert_eq!(
        lines(
            &mut db,
            "SELECT status, error FROM schemaplan.hooks WHERE name = 'copy_source'"
        ),
        vec!["filled|verification all_copied failed: source_rows = 20000, copied_rows = 19800"]
    );
    // Applying again checks again, and stops again: the hook does not run twice.
    let again = run(&db, &args);
    assert_eq!(again.status.code(), Some(1), "{}", describe(&again));
    assert_eq!(count(&mut db, "SELECT count(*) FROM target"), 19800);

    // Rolling back runs the hook's down SQL (it did its work though it did not pass) and takes
    // the schema back; the fixed hook then applies cleanly.
    let back = run(
        &db,
        &["rollback", "--yes", "--allow-hazards", "DeletesData"],
    );
    assert_eq!(back.status.code(), Some(0), "{}", describe(&back));
    assert_eq!(
        count(
            &mut db,
            "SELECT count(*) FROM pg_tables WHERE tablename = 'target'"
        ),
        0
    );
    let fixed = write(dir.path(), "desired.yaml", &copy_hook(""));
    let out = run(&db, &apply_args(&fixed, &[]));
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out));
    assert_eq!(
        count(&mut db, "SELECT count(DISTINCT legacy_id) FROM target"),
        20000
    );
}

#[test]
fn a_table_replaced_by_a_view_of_its_name_is_never_missing_for_a_query_waiting_on_it() {
    let mut db = TestDb::fresh();
    db.execute(
        "CREATE TABLE prices (id bigint PRIMARY KEY, amount integer NOT NULL);
         INSERT INTO prices SELECT g, g * 10 FROM generate_series(1, 100) g;",
    );
    let dir = tempfile::tempdir().unwrap();
    let desired = write(
        dir.path(),
        "desired.yaml",
        "
schemas:
  public:
    tables:
      price_list:
        columns:
          id: { type: bigint, not_null: true }
          amount: { type: integer, not_null: true }
        primary_key: [id]
    views:
      prices:
        definition: SELECT id, amount FROM price_list
hooks:
  copy_prices:
    depends_on: [public.price_list]
    batch: { table: prices, key: id, size: 50 }
    up: INSERT INTO price_list SELECT id, amount FROM prices WHERE id BETWEEN :lo AND :hi
    down: DELETE FROM price_list
",
    );
    // A session reading the table holds the drop back ...
    let mut holder = postgres::Client::connect(&db.conninfo(), postgres::NoTls).unwrap();
    holder
        .batch_execute("BEGIN; SELECT count(*) FROM prices")
        .unwrap();
    let apply = spawn(&db, &apply_args(&desired, &["--lock-timeout", "60s"]));
    wait_for(
        &mut db,
        "the drop to wait",
        "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() \
         AND wait_event_type = 'Lock' AND query LIKE 'DROP TABLE public.prices%'",
    );
    // ... and a query that comes now queues behind the drop.
    let conninfo = db.conninfo();
    let reader = std::thread::spawn(move || {
        let mut c = postgres::Client::connect(&conninfo, postgres::NoTls).unwrap();
        c.query_one("SELECT count(*), sum(amount) FROM prices", &[])
            .map(|r| (r.get::<_, i64>(0), r.get::<_, i64>(1)))
            .map_err(|e| e.to_string())
    });
    wait_for(
        &mut db,
        "the query to queue behind the drop",
        "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() \
         AND wait_event_type = 'Lock' AND query LIKE 'SELECT count(*), sum(amount)%'",
    );
    holder.batch_execute("COMMIT").unwrap();
    // When the drop commits, the view is already there under the name.
    assert_eq!(reader.join().unwrap(), Ok((100, 50500)));
    let out = apply.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out));
}
