//! What schemaplan records in the target: the history of applies (`schemaplan.migrations`, one
//! row per plan run, and `schemaplan.migration_steps`, one row per step with its up and down
//! SQL), written as steps complete; and the session advisory lock that keeps two applies or
//! rollbacks from running against one database at the same time.
//!
//! A transactional step is marked completed inside its own transaction, so the history can
//! never say a step ran when it did not, or the other way round: after a crash, the first step
//! not marked completed is the first one to run again. The SQL here is fixed text about
//! schemaplan's own tables, with values bound as parameters.

use postgres::{Client, GenericClient};

use crate::plan::fingerprint::Objects;
use crate::plan::steps::Plan;

/// The advisory lock's key: "schemapl" in ASCII.
const LOCK_KEY: i64 = 0x7363_6865_6d61_706c;

#[derive(Debug, thiserror::Error)]
pub enum HistoryError {
    #[error(
        "another schemaplan session holds the apply lock on this database ({0}); --no-wait was given"
    )]
    Busy(String),
    #[error("the history of applies (schemaplan.migrations): {}", crate::pg::conn::server_message::server_message(.0))]
    Query(#[from] postgres::Error),
}

/// A migration's status.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status {
    Started,
    Completed,
    Failed,
    RolledBack,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Started => "started",
            Status::Completed => "completed",
            Status::Failed => "failed",
            Status::RolledBack => "rolled_back",
        }
    }

    fn parse(s: &str) -> Status {
        match s {
            "completed" => Status::Completed,
            "failed" => Status::Failed,
            "rolled_back" => Status::RolledBack,
            _ => Status::Started,
        }
    }
}

/// One recorded run of a plan.
#[derive(Clone, Debug)]
pub struct Migration {
    pub id: i64,
    pub plan_id: String,
    pub status: Status,
    pub steps_total: i32,
    pub steps_completed: i32,
    pub steps_rolled_back: i32,
    /// The managed schemas, which the fingerprints cover.
    pub schemas: Vec<String>,
    /// `YYYY-MM-DD HH:MM:SS` in UTC.
    pub started_at: String,
    pub finished_at: Option<String>,
    pub error: Option<String>,
    pub fingerprint_after: Option<String>,
    /// SHA-256 of the desired state the run was planned for.
    pub desired_digest: String,
    /// The schemaplan version that made the run (fingerprints are comparable within one).
    pub tool_version: String,
}

/// One recorded step.
#[derive(Clone, Debug)]
pub struct RecordedStep {
    pub position: i32,
    pub kind: String,
    pub object: String,
    pub transactional: bool,
    pub up: Vec<String>,
    pub down: Option<Vec<String>>,
    pub down_transactional: bool,
    /// Hazard names of the down SQL.
    pub down_hazards: Vec<String>,
    pub irreversible: Option<String>,
    pub status: String,
    /// Whether it had started (a step outside a transaction, such as a hook, may have done
    /// part of its work without completing).
    pub started: bool,
    pub phase: String,
    /// Hazard names of the up SQL (what `--allow-hazards` was asked for).
    pub hazards: Vec<String>,
    /// The objects the step may change (for the drift check of a continued run).
    pub touches: Vec<String>,
    /// For a step outside a transaction, the query that says its effect is in place.
    pub verify: Option<String>,
    /// The data hook the step runs.
    pub hook: Option<crate::model::hook::Hook>,
    pub commit_with_next: bool,
}

/// Where `apply` records the steps it runs: the migration, the position in it of each plan
/// step (by the step's index in the plan), and the status a finished step gets (`completed`
/// going up, `rolled_back` going down).
#[derive(Clone, Debug)]
pub struct Journal {
    pub migration: i64,
    pub positions: std::collections::BTreeMap<usize, i32>,
    pub done: &'static str,
    /// Steps (by plan index) outside a transaction that an earlier apply began and did not
    /// mark: their effect may be in place already.
    pub started: std::collections::BTreeSet<usize>,
}

impl Journal {
    /// Marks step `index` of the plan as done; in the step's own transaction when it has one.
    pub fn step_done(
        &self,
        client: &mut impl GenericClient,
        index: usize,
    ) -> Result<(), postgres::Error> {
        client.execute(
            "UPDATE schemaplan.migration_steps
                SET status = $3, finished_at = pg_catalog.clock_timestamp(),
                    started_at = coalesce(started_at, pg_catalog.statement_timestamp()), error = NULL
              WHERE migration_id = $1 AND position = $2",
            &[&self.migration, &self.positions[&index], &self.done],
        )?;
        if self.done == "rolled_back" {
            // A hook whose down SQL has run is forgotten with it: applying again runs it anew.
            client.execute(
                "DELETE FROM schemaplan.hooks WHERE migration_id = $1 AND position = $2",
                &[&self.migration, &self.positions[&index]],
            )?;
        }
        Ok(())
    }

    /// Marks step `index` as started (before a step that runs outside a transaction).
    pub fn step_started(&self, client: &mut Client, index: usize) -> Result<(), postgres::Error> {
        client.execute(
            "UPDATE schemaplan.migration_steps SET started_at = pg_catalog.clock_timestamp()
              WHERE migration_id = $1 AND position = $2",
            &[&self.migration, &self.positions[&index]],
        )?;
        Ok(())
    }

    /// Records why step `index` failed (after its transaction was rolled back).
    pub fn step_failed(
        &self,
        client: &mut Client,
        index: usize,
        error: &str,
    ) -> Result<(), postgres::Error> {
        client.execute(
            "UPDATE schemaplan.migration_steps SET error = $3
              WHERE migration_id = $1 AND position = $2",
            &[&self.migration, &self.positions[&index], &error],
        )?;
        Ok(())
    }
}

/// Takes the session advisory lock that serialises applies and rollbacks. When another session
/// holds it, `waiting` is told who, and the call waits for it — or fails at once with `no_wait`.
///
/// It waits by asking again (`pg_try_advisory_lock`, a short statement outside any transaction,
/// then a pause with nothing open), never inside `pg_advisory_lock`: a statement that waits
/// holds a snapshot all along, and the holder's `CREATE INDEX CONCURRENTLY` waits for every
/// snapshot older than its own — the two would wait for each other until PostgreSQL ended
/// one of them as a deadlock. While it waits, the session's `application_name` says so.
pub fn lock(
    client: &mut Client,
    no_wait: bool,
    waiting: &mut dyn FnMut(&str),
) -> Result<(), HistoryError> {
    if try_lock(client)? {
        return Ok(());
    }
    let holder = lock_holder(client)?;
    if no_wait {
        return Err(HistoryError::Busy(holder));
    }
    waiting(&holder);
    let name: String = client
        .query_one("SELECT pg_catalog.current_setting('application_name')", &[])?
        .get(0);
    let label = format!("{name} (waiting for the apply lock)");
    client.execute(
        "SELECT pg_catalog.set_config('application_name', $1, false)",
        &[&label],
    )?;
    let mut pause = std::time::Duration::from_millis(20);
    loop {
        std::thread::sleep(pause);
        if try_lock(client)? {
            break;
        }
        pause = (pause * 2).min(std::time::Duration::from_millis(500));
    }
    client.execute(
        "SELECT pg_catalog.set_config('application_name', $1, false)",
        &[&name],
    )?;
    Ok(())
}

fn try_lock(client: &mut Client) -> Result<bool, postgres::Error> {
    Ok(client
        .query_one("SELECT pg_catalog.pg_try_advisory_lock($1)", &[&LOCK_KEY])?
        .get(0))
}

/// Who holds the advisory lock: `pid 1234, schemaplan apply, connected at 12:00:01 UTC`.
fn lock_holder(client: &mut Client) -> Result<String, postgres::Error> {
    // An advisory lock on a bigint key shows in pg_locks as its high and low 32 bits.
    let high = (LOCK_KEY >> 32) as u32;
    let low = (LOCK_KEY & 0xffff_ffff) as u32;
    let row = client.query_opt(
        "SELECT a.pid, coalesce(nullif(a.application_name, ''), 'unknown program'),
                pg_catalog.to_char(a.backend_start AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS')
           FROM pg_catalog.pg_locks l JOIN pg_catalog.pg_stat_activity a ON a.pid = l.pid
          WHERE l.locktype = 'advisory' AND l.granted AND l.database = (
                    SELECT oid FROM pg_catalog.pg_database WHERE datname = pg_catalog.current_database())
            AND l.classid = $1::pg_catalog.int8::pg_catalog.oid
            AND l.objid = $2::pg_catalog.int8::pg_catalog.oid AND l.objsubid = 1
          LIMIT 1",
        &[&(high as i64), &(low as i64)],
    )?;
    Ok(match row {
        Some(r) => {
            let pid: i32 = r.get(0);
            let program: String = r.get(1);
            let since: String = r.get(2);
            format!("pid {pid}, {program}, connected since {since} UTC")
        }
        None => "a session that has just let go of it".to_string(),
    })
}

/// The names of the copies already in `schemaplan_backup` (a plan made again for the same
/// schema and desired state has the same id, and its copies must not take their names).
pub fn backup_names(
    client: &mut Client,
) -> Result<std::collections::BTreeSet<String>, HistoryError> {
    let rows = client.query(
        "SELECT relname::text FROM pg_catalog.pg_class
          WHERE relnamespace = pg_catalog.to_regnamespace($1)",
        &[&crate::model::naming::BACKUP_SCHEMA],
    )?;
    Ok(rows.iter().map(|r| r.get(0)).collect())
}

/// Whether the history tables exist.
pub fn exists(client: &mut Client) -> Result<bool, HistoryError> {
    Ok(client
        .query_one(
            "SELECT pg_catalog.to_regclass('schemaplan.migrations') IS NOT NULL",
            &[],
        )?
        .get(0))
}

/// Creates the history tables when they are missing.
pub fn ensure_tables(client: &mut Client) -> Result<(), HistoryError> {
    client.batch_execute(
        "CREATE SCHEMA IF NOT EXISTS schemaplan;
         COMMENT ON SCHEMA schemaplan IS 'schemaplan: the history of applies to this database';
         CREATE TABLE IF NOT EXISTS schemaplan.migrations (
             id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
             plan_id text NOT NULL,
             schemas text[] NOT NULL,
             desired_digest text NOT NULL,
             fingerprint_before text NOT NULL,
             fingerprint_after text,
             objects_after jsonb,
             status text NOT NULL
                 CHECK (status IN ('started', 'completed', 'failed', 'rolled_back')),
             steps_total integer NOT NULL,
             started_at timestamptz NOT NULL DEFAULT pg_catalog.clock_timestamp(),
             finished_at timestamptz,
             error text,
             applied_by text NOT NULL DEFAULT CURRENT_USER,
             tool_version text NOT NULL
         );
         CREATE TABLE IF NOT EXISTS schemaplan.migration_steps (
             migration_id bigint NOT NULL REFERENCES schemaplan.migrations (id),
             position integer NOT NULL,
             kind text NOT NULL,
             object text NOT NULL,
             phase text NOT NULL,
             transactional boolean NOT NULL,
             up text[] NOT NULL,
             down text[],
             down_transactional boolean NOT NULL,
             down_hazards text[] NOT NULL,
             irreversible text,
             status text NOT NULL DEFAULT 'pending'
                 CHECK (status IN ('pending', 'completed', 'rolled_back')),
             started_at timestamptz,
             finished_at timestamptz,
             error text,
             PRIMARY KEY (migration_id, position)
         );
         CREATE TABLE IF NOT EXISTS schemaplan.hooks (
             name text NOT NULL,
             sql_hash text NOT NULL,
             status text NOT NULL DEFAULT 'running'
                 CHECK (status IN ('running', 'filled', 'done')),
             migration_id bigint,
             position integer,
             last_key text,
             rows bigint NOT NULL DEFAULT 0,
             batches bigint NOT NULL DEFAULT 0,
             started_at timestamptz NOT NULL DEFAULT pg_catalog.clock_timestamp(),
             finished_at timestamptz,
             error text,
             PRIMARY KEY (name, sql_hash)
         );
         COMMENT ON TABLE schemaplan.hooks IS
             'schemaplan: data hooks run on this database (by name and hash of their up SQL), with the progress of their batches';
         ALTER TABLE schemaplan.migrations ADD COLUMN IF NOT EXISTS objects_before jsonb;
         ALTER TABLE schemaplan.migration_steps
             ADD COLUMN IF NOT EXISTS hazards text[],
             ADD COLUMN IF NOT EXISTS touches text[],
             ADD COLUMN IF NOT EXISTS verify text,
             ADD COLUMN IF NOT EXISTS hook jsonb,
             ADD COLUMN IF NOT EXISTS commit_with_next boolean NOT NULL DEFAULT false;",
    )?;
    Ok(())
}

/// Records a new run of the steps `selected` of `plan` (all pending), planned from the schema
/// `before`, and returns its id with each step's position. Everything a later apply needs to
/// carry the run on by itself is recorded: each step's SQL, how it runs and how its effect is
/// checked, and what it touches.
pub fn begin(
    client: &mut Client,
    plan: &Plan,
    selected: &[usize],
    schemas: &[String],
    before: &Objects,
) -> Result<Journal, HistoryError> {
    let before = serde_json::to_string(before).expect("a map of strings serializes");
    let mut tx = client.transaction()?;
    let id: i64 = tx
        .query_one(
            "INSERT INTO schemaplan.migrations
                 (plan_id, schemas, desired_digest, fingerprint_before, status, steps_total,
                  tool_version, objects_before)
             VALUES ($1, $2, $3, $4, 'started', $5, $6, $7::text::jsonb) RETURNING id",
            &[
                &plan.id,
                &schemas,
                &plan.desired_digest,
                &plan.fingerprint,
                &(selected.len() as i32),
                &env!("CARGO_PKG_VERSION"),
                &before,
            ],
        )?
        .get(0);
    let mut positions = std::collections::BTreeMap::new();
    for (n, &i) in selected.iter().enumerate() {
        let step = &plan.steps[i];
        positions.insert(i, n as i32 + 1);
        let hook = step
            .hook
            .as_ref()
            .map(|h| serde_json::to_string(h).expect("a hook serializes"));
        tx.execute(
            "INSERT INTO schemaplan.migration_steps
                 (migration_id, position, kind, object, phase, transactional, up, down,
                  down_transactional, down_hazards, irreversible, hazards, touches, verify,
                  hook, commit_with_next)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14,
                     $15::text::jsonb, $16)",
            &[
                &id,
                &(n as i32 + 1),
                &step.kind,
                &step.object,
                &step.phase.to_string(),
                &step.transactional,
                &step.up,
                &step.down,
                &step.down_transactional,
                &hazard_names(&step.down_hazards),
                &step.irreversible,
                &hazard_names(&step.hazards),
                &step.touches,
                &step.verify,
                &hook,
                &step.commit_with_next,
            ],
        )?;
    }
    tx.commit()?;
    Ok(Journal {
        migration: id,
        positions,
        done: "completed",
        started: Default::default(),
    })
}

fn hazard_names(hazards: &[crate::plan::classify::Hazard]) -> Vec<String> {
    hazards.iter().map(|h| h.name().to_string()).collect()
}

/// Marks an interrupted or failed run as running again, to carry on with its own recorded
/// steps (`positions`: the position in the run of each step of the plan that carries them;
/// `started`: those an earlier apply began outside a transaction and did not mark).
pub fn resume(
    client: &mut Client,
    id: i64,
    positions: std::collections::BTreeMap<usize, i32>,
    started: std::collections::BTreeSet<usize>,
) -> Result<Journal, HistoryError> {
    client.execute(
        "UPDATE schemaplan.migrations
            SET status = 'started', error = NULL, finished_at = NULL, fingerprint_after = NULL,
                objects_after = NULL
          WHERE id = $1",
        &[&id],
    )?;
    Ok(Journal {
        migration: id,
        positions,
        done: "completed",
        started,
    })
}

/// Marks a run completed, with the fingerprint of the schema it left.
pub fn complete(
    client: &mut Client,
    id: i64,
    fingerprint: &str,
    objects: &Objects,
) -> Result<(), HistoryError> {
    let objects = serde_json::to_string(objects).expect("a map of strings serializes");
    client.execute(
        "UPDATE schemaplan.migrations
            SET status = 'completed', finished_at = pg_catalog.clock_timestamp(), error = NULL,
                fingerprint_after = $2, objects_after = $3::text::jsonb
          WHERE id = $1",
        &[&id, &fingerprint, &objects],
    )?;
    Ok(())
}

/// Marks a run failed (or an earlier one found interrupted) with why, and — when known — the
/// fingerprint of the schema its completed steps left.
pub fn fail(
    client: &mut Client,
    id: i64,
    error: &str,
    after: Option<(&str, &Objects)>,
) -> Result<(), HistoryError> {
    let (fingerprint, objects) = match after {
        Some((f, o)) => (
            Some(f.to_string()),
            Some(serde_json::to_string(o).expect("a map of strings serializes")),
        ),
        None => (None, None),
    };
    client.execute(
        "UPDATE schemaplan.migrations
            SET status = 'failed', finished_at = pg_catalog.clock_timestamp(), error = $2,
                fingerprint_after = $3, objects_after = $4::text::jsonb
          WHERE id = $1",
        &[&id, &error, &fingerprint, &objects],
    )?;
    Ok(())
}

/// Records that a rollback of the run stopped, and why (the run keeps its status: its steps
/// not rolled back are still applied).
pub fn rollback_stopped(client: &mut Client, id: i64, error: &str) -> Result<(), HistoryError> {
    client.execute(
        "UPDATE schemaplan.migrations SET error = $2 WHERE id = $1",
        &[&id, &error],
    )?;
    Ok(())
}

/// Marks a run rolled back.
pub fn rolled_back(client: &mut Client, id: i64) -> Result<(), HistoryError> {
    // A hook interrupted before it finished had no completed step to undo; the tables it
    // filled were dropped by the run's other steps.
    client.execute(
        "DELETE FROM schemaplan.hooks WHERE migration_id = $1",
        &[&id],
    )?;
    client.execute(
        "UPDATE schemaplan.migrations
            SET status = 'rolled_back', finished_at = pg_catalog.clock_timestamp()
          WHERE id = $1",
        &[&id],
    )?;
    Ok(())
}

/// Every recorded run, oldest first (none when there is no history yet).
pub fn migrations(client: &mut Client) -> Result<Vec<Migration>, HistoryError> {
    if !exists(client)? {
        return Ok(Vec::new());
    }
    let rows = client.query(
        "SELECT m.id, m.plan_id, m.status, m.steps_total,
                (SELECT count(*)::integer FROM schemaplan.migration_steps s
                  WHERE s.migration_id = m.id AND s.status = 'completed'),
                (SELECT count(*)::integer FROM schemaplan.migration_steps s
                  WHERE s.migration_id = m.id AND s.status = 'rolled_back'),
                m.schemas,
                pg_catalog.to_char(m.started_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS'),
                pg_catalog.to_char(m.finished_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS'),
                m.error, m.fingerprint_after, m.tool_version, m.desired_digest
           FROM schemaplan.migrations m ORDER BY m.id",
        &[],
    )?;
    Ok(rows
        .iter()
        .map(|r| Migration {
            id: r.get(0),
            plan_id: r.get(1),
            status: Status::parse(r.get(2)),
            steps_total: r.get(3),
            steps_completed: r.get(4),
            steps_rolled_back: r.get(5),
            schemas: r.get(6),
            started_at: r.get(7),
            finished_at: r.get(8),
            error: r.get(9),
            fingerprint_after: r.get(10),
            tool_version: r.get(11),
            desired_digest: r.get(12),
        })
        .collect())
}

/// The schema a completed run left behind, object by object.
pub fn objects_after(client: &mut Client, id: i64) -> Result<Option<Objects>, HistoryError> {
    let row = client.query_one(
        "SELECT objects_after::text FROM schemaplan.migrations WHERE id = $1",
        &[&id],
    )?;
    let text: Option<String> = row.get(0);
    Ok(text.and_then(|t| serde_json::from_str(&t).ok()))
}

/// The schema a run was planned from, object by object (`None` for runs recorded before
/// schemaplan kept it).
pub fn objects_before(client: &mut Client, id: i64) -> Result<Option<Objects>, HistoryError> {
    let row = client.query_one(
        "SELECT objects_before::text FROM schemaplan.migrations WHERE id = $1",
        &[&id],
    )?;
    let text: Option<String> = row.get(0);
    Ok(text.and_then(|t| serde_json::from_str(&t).ok()))
}

/// The steps of a run, in order.
pub fn steps(client: &mut Client, id: i64) -> Result<Vec<RecordedStep>, HistoryError> {
    let rows = client.query(
        "SELECT position, kind, object, transactional, up, down, down_transactional,
                down_hazards, irreversible, status, started_at IS NOT NULL, phase,
                coalesce(hazards, '{}'), coalesce(touches, ARRAY[object]), verify, hook::text,
                commit_with_next
           FROM schemaplan.migration_steps WHERE migration_id = $1 ORDER BY position",
        &[&id],
    )?;
    Ok(rows
        .iter()
        .map(|r| RecordedStep {
            position: r.get(0),
            kind: r.get(1),
            object: r.get(2),
            transactional: r.get(3),
            up: r.get(4),
            down: r.get(5),
            down_transactional: r.get(6),
            down_hazards: r.get(7),
            irreversible: r.get(8),
            status: r.get(9),
            started: r.get(10),
            phase: r.get(11),
            hazards: r.get(12),
            touches: r.get(13),
            verify: r.get(14),
            hook: r
                .get::<_, Option<String>>(15)
                .and_then(|h| serde_json::from_str(&h).ok()),
            commit_with_next: r.get(16),
        })
        .collect())
}

/// The steps of run `id` that an apply began outside a transaction and did not mark completed
/// (position, kind, object): part of their work may be done.
pub fn begun(client: &mut Client, id: i64) -> Result<Vec<(i32, String, String)>, HistoryError> {
    let rows = client.query(
        "SELECT position, kind, object FROM schemaplan.migration_steps
          WHERE migration_id = $1 AND status = 'pending' AND started_at IS NOT NULL
            AND NOT transactional
          ORDER BY position",
        &[&id],
    )?;
    Ok(rows
        .iter()
        .map(|r| (r.get(0), r.get(1), r.get(2)))
        .collect())
}

/// The most recent run that did not finish (interrupted or failed), if it is the latest run.
pub fn unfinished(client: &mut Client) -> Result<Option<Migration>, HistoryError> {
    Ok(migrations(client)?
        .pop()
        .filter(|m| matches!(m.status, Status::Started | Status::Failed)))
}

/// Every hook the database has a record of, by (name, hash).
pub fn hooks(
    client: &mut Client,
) -> Result<std::collections::BTreeMap<(String, String), crate::model::hook::Recorded>, HistoryError>
{
    let present: bool = client
        .query_one(
            "SELECT pg_catalog.to_regclass('schemaplan.hooks') IS NOT NULL",
            &[],
        )?
        .get(0);
    if !present {
        return Ok(Default::default());
    }
    let rows = client.query(
        "SELECT name, sql_hash, status, last_key, rows FROM schemaplan.hooks ORDER BY 1, 2",
        &[],
    )?;
    Ok(rows
        .iter()
        .map(|r| ((r.get(0), r.get(1)), recorded(r.get(2), r.get(3), r.get(4))))
        .collect())
}

fn recorded(status: &str, last_key: Option<String>, rows: i64) -> crate::model::hook::Recorded {
    match status {
        "done" => crate::model::hook::Recorded::Done,
        "filled" => crate::model::hook::Recorded::Filled,
        _ => crate::model::hook::Recorded::Running { last_key, rows },
    }
}

/// Records that step `position` of run `migration` runs hook (`name`, `hash`), and returns what
/// was already done of it.
pub fn hook_begin(
    client: &mut impl GenericClient,
    name: &str,
    hash: &str,
    migration: i64,
    position: i32,
) -> Result<crate::model::hook::Recorded, postgres::Error> {
    let r = client.query_one(
        "INSERT INTO schemaplan.hooks (name, sql_hash, migration_id, position)
         VALUES ($1, $2, $3, $4)
         ON CONFLICT (name, sql_hash) DO UPDATE
            SET migration_id = EXCLUDED.migration_id, position = EXCLUDED.position, error = NULL
         RETURNING status, last_key, rows",
        &[&name, &hash, &migration, &position],
    )?;
    Ok(recorded(r.get(0), r.get(1), r.get(2)))
}

/// Records a finished batch, in the batch's own transaction.
pub fn hook_batch_done(
    client: &mut impl GenericClient,
    name: &str,
    hash: &str,
    last_key: Option<&str>,
    rows: i64,
) -> Result<(), postgres::Error> {
    client.execute(
        "UPDATE schemaplan.hooks SET last_key = $3, rows = rows + $4, batches = batches + 1
          WHERE name = $1 AND sql_hash = $2",
        &[&name, &hash, &last_key, &rows],
    )?;
    Ok(())
}

/// Sets a hook's status (`filled` when its up SQL is done, `done` when verified too), with
/// the reason its verification failed, if it did.
pub fn hook_status(
    client: &mut impl GenericClient,
    name: &str,
    hash: &str,
    status: &str,
    error: Option<&str>,
) -> Result<(), postgres::Error> {
    client.execute(
        "UPDATE schemaplan.hooks
            SET status = $3, error = $4,
                finished_at = CASE WHEN $3 = 'done' THEN pg_catalog.clock_timestamp() END
          WHERE name = $1 AND sql_hash = $2",
        &[&name, &hash, &status, &error],
    )?;
    Ok(())
}
