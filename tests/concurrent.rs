//! Applies started together: separate `schemaplan apply` processes of one desired state on a
//! table of 200,000 rows, with a concurrent index build and a backfilled column. One applies;
//! the others wait for the apply lock outside any transaction (so the build never waits for
//! them), then plan again from what it left and find nothing to do.

use std::process::Output;

use crate::guarded::{apply_args, describe, spawn, write};
use crate::harness::TestDb;

const ROWS: i64 = 200_000;

const DESIRED: &str = "
schemas:
  public:
    tables:
      events:
        columns:
          id: bigint
          kind: { type: integer, not_null: true }
          tag: { type: text, not_null: true, backfill: \"'kind ' || kind\" }
        primary_key: [id]
        indexes:
          events_kind_idx: { columns: [kind] }
";

fn together(n: usize) {
    let mut db = TestDb::fresh();
    db.execute(&format!(
        "CREATE TABLE events (id bigint PRIMARY KEY, kind integer NOT NULL);
         INSERT INTO events SELECT g, g % 13 FROM generate_series(1, {ROWS}) g;"
    ));
    let dir = tempfile::tempdir().unwrap();
    let desired = write(dir.path(), "desired.yaml", DESIRED);
    let args = apply_args(&desired, &[]);
    let children: Vec<_> = (0..n).map(|_| spawn(&db, &args)).collect();
    let outs: Vec<Output> = children
        .into_iter()
        .map(|c| c.wait_with_output().unwrap())
        .collect();
    let all = outs
        .iter()
        .map(describe)
        .collect::<Vec<_>>()
        .join("\n=====\n");
    for out in &outs {
        assert_eq!(out.status.code(), Some(0), "{all}");
        assert!(
            !String::from_utf8_lossy(&out.stderr).contains("db error"),
            "{all}"
        );
    }
    let stdout = |o: &Output| String::from_utf8_lossy(&o.stdout).into_owned();
    let applied: Vec<&Output> = outs
        .iter()
        .filter(|o| stdout(o).contains("Applying to"))
        .collect();
    assert_eq!(applied.len(), 1, "{all}");
    let idle: Vec<&Output> = outs
        .iter()
        .filter(|o| stdout(o).contains("No changes: the database matches the desired state."))
        .collect();
    assert_eq!(idle.len(), n - 1, "{all}");
    for o in &idle {
        // They were there while it ran: each waited for the lock.
        assert!(
            String::from_utf8_lossy(&o.stderr).contains("waiting for another schemaplan session"),
            "{all}"
        );
    }
    let row = db
        .client()
        .query_one(
            "SELECT (SELECT count(*) FROM events WHERE tag IS NULL),
                    (SELECT count(*) FROM pg_index WHERE indrelid = 'events'::regclass
                                                     AND indisvalid),
                    (SELECT string_agg(status, ',') FROM schemaplan.migrations)",
            &[],
        )
        .unwrap();
    let (nulls, valid, runs): (i64, i64, String) = (row.get(0), row.get(1), row.get(2));
    assert_eq!((nulls, valid, runs.as_str()), (0, 2, "completed"), "{all}");
}

#[test]
fn two_applies_started_together_one_applies_the_other_finds_no_changes() {
    together(2);
}

#[test]
fn five_applies_started_together_one_applies_the_others_find_no_changes() {
    together(5);
}
