//! Rehearsal: a plan runs on a scratch copy of the target's current schema before it is shown as
//! verified. Each step's locks on pre-existing relations are read from `pg_locks` inside the
//! step's transaction, rewrites are seen as a changed `relfilenode`; after the up steps the copy
//! must equal the desired state, after the down steps the starting state.

use std::collections::HashMap;

use postgres::Client;

use crate::pg::conn::Target;

use crate::model::Casts;
use crate::model::source::SourceMap;
use crate::model::{Catalog, ConstraintKind, QualName};
use crate::pg::db::{DbError, Server};
use crate::pg::introspect::{self, IntrospectError};
use crate::pg::privileged;
use crate::pg::shadow::{self, ShadowError};
use crate::plan::classify::{LockMode, Locks, add_lock};
use crate::plan::diff;
use crate::plan::steps::Observation;
use crate::plan::steps::Plan;
use crate::stdx::Report;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    Passed,
    /// A step failed: its index and PostgreSQL's message.
    StepFailed {
        index: usize,
        message: String,
    },
    /// All steps ran, but the result differs: what a plan from the result would still do.
    Differs(String),
    /// Not rehearsed, and why (a step without down SQL).
    Skipped(String),
}

#[derive(Clone, Debug)]
pub struct Rehearsal {
    pub observations: Vec<Observation>,
    pub up: Outcome,
    pub down: Outcome,
    /// With sample data: the most rows copied per table, and how many were copied in all.
    pub sample: Option<(u64, u64)>,
}

/// Rows of the target to rehearse on: up to `rows` per table, read through `target`.
pub struct Sample<'a> {
    pub target: &'a mut Client,
    pub rows: u64,
}

impl Rehearsal {
    /// `rehearsed: up converges, down restores`, or what went wrong.
    pub fn summary(&self, plan: &Plan) -> String {
        let describe = |o: &Outcome, what: &str| match o {
            Outcome::Passed => what.to_string(),
            Outcome::StepFailed { index, message } => format!(
                "step {}/{} ({} {}) failed: {message}",
                index + 1,
                plan.steps.len(),
                plan.steps[*index].kind.replace('_', " "),
                plan.steps[*index].object
            ),
            Outcome::Differs(what) => format!("the result still differs: {what}"),
            Outcome::Skipped(why) => format!("not rehearsed ({why})"),
        };
        let on = match self.sample {
            Some((per_table, copied)) => {
                format!(" on {copied} sample rows (up to {per_table} per table)")
            }
            None => String::new(),
        };
        let restores = if self.sample.is_some() {
            "restores (schema and data)"
        } else {
            "restores"
        };
        format!(
            "rehearsed{on}: up {}, down {}",
            describe(&self.up, "converges"),
            describe(&self.down, restores)
        )
    }

    /// Steps whose observed locks differ from the classifier's prediction (a classifier bug).
    pub fn lock_mismatches(&self, plan: &Plan) -> Vec<String> {
        plan.steps
            .iter()
            .zip(&self.observations)
            .filter_map(|(step, o)| {
                let observed = o.locks.as_ref()?;
                let differs = o.locks_differ(step)?;
                differs.then(|| {
                    format!(
                        "{} {}: predicted {}, observed {}",
                        step.kind,
                        step.object,
                        crate::plan::steps::describe_locks(&step.locks),
                        crate::plan::steps::describe_locks(observed)
                    )
                })
            })
            .collect()
    }

    pub fn passed(&self) -> bool {
        self.up == Outcome::Passed && matches!(self.down, Outcome::Passed | Outcome::Skipped(_))
    }
}

#[derive(Debug, thiserror::Error)]
pub enum RehearseError {
    #[error("rehearsal database: {0}")]
    Db(#[from] DbError),
    #[error("rehearsal database: {0}")]
    Introspect(#[from] IntrospectError),
    #[error("copying the current schema for the rehearsal: {0}")]
    Copy(#[from] ShadowError),
    #[error("rehearsal database: {}", crate::pg::conn::server_message::server_message(.0))]
    Query(#[from] postgres::Error),
    #[error("copying sample rows for the rehearsal ({what}): {}", crate::pg::conn::server_message::server_message(.source))]
    Sample {
        what: String,
        #[source]
        source: postgres::Error,
    },
    #[error("copying sample rows for the rehearsal ({what}): {source}")]
    SampleIo {
        what: String,
        #[source]
        source: std::io::Error,
    },
}

/// Relations of the copy before a step: oid → name, kind and storage.
struct Relations(HashMap<u32, (QualName, char, u32)>);

fn relations(client: &mut Client, schemas: &[String]) -> Result<Relations, postgres::Error> {
    let rows = client.query(
        "SELECT c.oid, n.nspname::text, c.relname::text, c.relkind::text, c.relfilenode
         FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
         WHERE n.nspname = ANY($1)",
        &[&schemas],
    )?;
    Ok(Relations(
        rows.iter()
            .map(|r| {
                let kind: String = r.get(3);
                (
                    r.get::<_, u32>(0),
                    (
                        QualName::new(r.get::<_, String>(1), r.get::<_, String>(2)),
                        kind.chars().next().unwrap_or('?'),
                        r.get::<_, u32>(4),
                    ),
                )
            })
            .collect(),
    ))
}

/// Locks this session holds on the given relations.
fn held_locks(
    tx: &mut postgres::Transaction<'_>,
    before: &Relations,
) -> Result<Locks, postgres::Error> {
    let rows = tx.query(
        "SELECT relation, mode FROM pg_catalog.pg_locks
         WHERE pid = pg_catalog.pg_backend_pid() AND locktype = 'relation' AND granted",
        &[],
    )?;
    let mut locks = Locks::new();
    for row in rows {
        let Some(oid) = row.get::<_, Option<u32>>(0) else {
            continue;
        };
        if let (Some((name, kind, _)), Some(mode)) =
            (before.0.get(&oid), LockMode::from_pg(row.get(1)))
        {
            // Locks on indexes (partitioned ones too) follow from those on their tables;
            // tables, views and sequences are what users and the classifier talk about.
            if !matches!(kind, 'i' | 'I') {
                add_lock(&mut locks, name.clone(), mode);
            }
        }
    }
    Ok(locks)
}

/// Runs statements that cannot run in a transaction block while a second connection watches
/// `pg_locks`. The watcher first locks every existing table, so that the step's first lock
/// request waits where it can be seen; once the step waits, the watcher lets go and keeps
/// watching until the step ends.
fn observe_outside_transaction(
    target: &Target,
    client: &mut Client,
    statements: &[String],
    before: &Relations,
) -> Result<(Result<(), postgres::Error>, Locks), RehearseError> {
    let pid: i32 = client
        .query_one("SELECT pg_catalog.pg_backend_pid()", &[])?
        .get(0);
    let mut watcher = crate::pg::db::connect(target)?.client;
    let tables: Vec<String> = before
        .0
        .values()
        .filter(|(_, kind, _)| matches!(kind, 'r' | 'p'))
        .map(|(q, _, _)| crate::model::quote::qualified(q))
        .collect();
    watcher.batch_execute("BEGIN")?;
    if !tables.is_empty() {
        watcher.batch_execute(&format!(
            "LOCK TABLE {} IN ACCESS EXCLUSIVE MODE",
            tables.join(", ")
        ))?;
    }
    // LOCK TABLE refuses materialized views. ANALYZE holds SHARE UPDATE EXCLUSIVE on one until
    // the watcher commits, which is what a concurrent index build or drop on it asks for first.
    for (q, kind, _) in before.0.values() {
        if *kind == 'm' {
            watcher.batch_execute(&format!("ANALYZE {}", crate::model::quote::qualified(q)))?;
        }
    }
    let mut locks = Locks::new();
    let result = std::thread::scope(
        |scope| -> Result<Result<(), postgres::Error>, postgres::Error> {
            let step = scope.spawn(|| statements.iter().try_for_each(|s| client.batch_execute(s)));
            let mut released = false;
            loop {
                let finished = step.is_finished();
                let rows = watcher.query(
                    "SELECT relation, mode, granted FROM pg_catalog.pg_locks
                 WHERE pid = $1 AND locktype IN ('relation', 'virtualxid', 'transactionid')",
                    &[&pid],
                )?;
                let mut waiting = false;
                for row in rows {
                    let granted: bool = row.get(2);
                    waiting |= !granted;
                    if let (Some(oid), Some(mode)) =
                        (row.get::<_, Option<u32>>(0), LockMode::from_pg(row.get(1)))
                    {
                        if let Some((name, kind, _)) = before.0.get(&oid) {
                            if !matches!(kind, 'i' | 'I') {
                                add_lock(&mut locks, name.clone(), mode);
                            }
                        }
                    }
                }
                if !released && (waiting || finished) {
                    watcher.batch_execute("COMMIT")?;
                    released = true;
                }
                if finished {
                    break;
                }
                std::thread::sleep(std::time::Duration::from_millis(1));
            }
            Ok(step.join().expect("the step thread does not panic"))
        },
    )?;
    Ok((result, locks))
}

/// Copies up to `rows` rows of every table of `current` from the target into the copy, and the
/// positions of its sequences. Foreign keys are not checked while loading (the copy's session
/// replicates); rows whose parent was not sampled are then deleted until none is left.
fn copy_sample(
    target: &mut Client,
    copy: &mut Client,
    admin: Option<&mut Client>,
    current: &Catalog,
    rows: u64,
) -> Result<u64, RehearseError> {
    // Before PostgreSQL 15 the embedded cluster's superuser lends the shadow role a switch.
    let mut switch = None;
    if let Some(admin) = admin {
        if let Some(sql) = privileged::replica_switch(privileged::server_version_num(admin)?) {
            admin.batch_execute(&sql)?;
            switch = Some(admin);
        }
    }
    let result = copy_sample_rows(target, copy, switch.is_some(), current, rows);
    if let Some(admin) = switch {
        let dropped = admin.batch_execute(&privileged::drop_replica_switch());
        // A failed copy's error says more than a failed drop's.
        if result.is_ok() {
            dropped?;
        }
    }
    result
}

/// [`copy_sample`]'s work, with `session_replication_role` set through the switch (`switch`) or
/// directly.
fn copy_sample_rows(
    target: &mut Client,
    copy: &mut Client,
    switch: bool,
    current: &Catalog,
    rows: u64,
) -> Result<u64, RehearseError> {
    let err = |what: String| move |source| RehearseError::Sample { what, source };
    copy.batch_execute(&privileged::set_replica(true, switch))
        .map_err(err(
            "the rehearsal's role must be allowed to set session_replication_role: a superuser, \
             or on PostgreSQL 15 and later a role granted SET on it (the embedded cluster grants \
             it to its shadow role, and before 15 lends it a function that sets it)"
                .into(),
        ))?;
    for (name, table) in &current.tables {
        // A partition's rows are read through its parent (at the top), and routed back to it.
        if table.partition_of.is_some() {
            continue;
        }
        let columns: Vec<String> = table
            .columns
            .iter()
            .filter(|c| c.generated.is_none())
            .map(|c| c.name.clone())
            .collect();
        if columns.is_empty() {
            continue;
        }
        let io = |what: String| move |source| RehearseError::SampleIo { what, source };
        let mut data = Vec::new();
        let mut reader = target
            .copy_out(&crate::plan::render::sample_rows(
                name,
                &columns,
                &sample_order(table),
                rows,
            ))
            .map_err(err(format!("reading {name}")))?;
        std::io::Read::read_to_end(&mut reader, &mut data)
            .map_err(io(format!("reading {name}")))?;
        drop(reader);
        let mut writer = copy
            .copy_in(&crate::plan::render::load_rows(name, &columns))
            .map_err(err(format!("writing {name}")))?;
        std::io::Write::write_all(&mut writer, &data).map_err(io(format!("writing {name}")))?;
        writer.finish().map_err(err(format!("writing {name}")))?;
    }
    // Still replicating: deleting an orphan must not cascade, nor fail on the rows that
    // reference it (they become orphans for the next pass).
    loop {
        let mut deleted = 0;
        for (name, table) in &current.tables {
            for con in table.constraints.values() {
                if let ConstraintKind::ForeignKey(fk) = &con.kind {
                    let ref_columns = if fk.ref_columns.is_empty() {
                        current
                            .tables
                            .get(&fk.ref_table)
                            .and_then(|t| t.primary_key())
                            .map(|(_, pk)| pk.kind.columns().to_vec())
                            .unwrap_or_default()
                    } else {
                        fk.ref_columns.clone()
                    };
                    deleted += copy.execute(
                        &crate::plan::render::delete_orphans(name, fk, &ref_columns),
                        &[],
                    )?;
                }
            }
        }
        if deleted == 0 {
            break;
        }
    }
    copy.batch_execute(&privileged::set_replica(false, switch))?;
    for name in current.sequences.keys() {
        let row = target
            .query_one(&crate::plan::render::sequence_position(name), &[])
            .map_err(err(format!("reading the position of {name}")))?;
        copy.batch_execute(&crate::plan::render::set_sequence_position(
            name,
            row.get(0),
            row.get(1),
        ))?;
    }
    let mut copied = 0;
    for (name, _) in current
        .tables
        .iter()
        .filter(|(_, t)| t.partition_of.is_none())
    {
        let n: i64 = copy
            .query_one(
                &format!(
                    "SELECT count(*) FROM {}",
                    crate::model::quote::qualified(name)
                ),
                &[],
            )?
            .get(0);
        copied += n as u64;
    }
    Ok(copied)
}

/// The columns that order a table's sample: its primary key, or else a unique key (a table
/// without either is read in storage order).
fn sample_order(table: &crate::model::Table) -> Vec<String> {
    if let Some((_, pk)) = table.primary_key() {
        return pk.kind.columns().to_vec();
    }
    table
        .constraints
        .values()
        .find(|c| matches!(c.kind, ConstraintKind::Unique { .. }))
        .map(|c| c.kind.columns().to_vec())
        .unwrap_or_default()
}

/// Row checksums of every table of `catalog` in the copy.
fn checksums(
    client: &mut Client,
    catalog: &Catalog,
) -> Result<Vec<(QualName, String)>, postgres::Error> {
    let mut out = Vec::new();
    for name in catalog.tables.keys() {
        let sum: String = client
            .query_one(&crate::plan::render::rows_checksum(name), &[])?
            .get(0);
        out.push((name.clone(), sum));
    }
    Ok(out)
}

/// The role that applies on the target: the one that read its catalog.
pub struct Applier<'a> {
    pub role: &'a str,
    /// Whether it sees every row whatever the row-level security (superuser or BYPASSRLS).
    pub bypasses_rls: bool,
}

impl<'a> Applier<'a> {
    pub fn of(target: &'a crate::pg::introspect::Introspection) -> Applier<'a> {
        Applier {
            role: &target.role,
            bypasses_rls: target.role_bypasses_rls,
        }
    }
}

/// `SET ROLE` to `role`, or back to the session's own role.
fn become_role(client: &mut Client, role: Option<&str>) -> Result<(), postgres::Error> {
    client.batch_execute(&match role {
        Some(role) => format!("SET ROLE {}", crate::model::quote::ident(role)),
        None => "RESET ROLE".to_string(),
    })
}

/// Runs `plan` up and down on a copy of `current` (the target as it is) on `server`, with
/// sample rows of the target when `sample` is given; then the data must come back too.
///
/// On the embedded cluster the copy is made, and the plan run, as a stand-in for the target's
/// role (`applier`): a role of that name without a superuser's rights that the shadow role
/// becomes, so that what a step creates has the owner it will have on the target. Sample rows
/// are copied and compared by the shadow role itself (`privileged`).
#[allow(clippy::too_many_arguments)]
pub fn rehearse(
    plan: &Plan,
    current: &Catalog,
    desired: &Catalog,
    casts: &Casts,
    schemas: &[String],
    server: &Server,
    applier: Applier<'_>,
    sample: Option<Sample<'_>>,
    report: &mut dyn Report,
) -> Result<Rehearsal, RehearseError> {
    report.stage("rehearsal: copying the current schema");
    // The copy has the target's owners, grants and policies: their roles must exist.
    shadow::ensure_roles(server, current)?;
    let owners = crate::plan::security::named_roles(current);
    let stand_in = server
        .stand_in(applier.role, applier.bypasses_rls, &owners)?
        .then_some(applier.role);
    let mut db = server.shadow_database("rehearsal")?;
    let db_target = db.target();
    let (client, mut admin) = db.sessions()?;
    if let Some(role) = stand_in {
        let database = db_target
            .params()
            .get("dbname")
            .unwrap_or_default()
            .to_string();
        let version = privileged::server_version_num(client)?;
        client.batch_execute(&privileged::hand_database_to(&database, role, version))?;
        become_role(client, Some(role))?;
    }
    shadow::materialize_with(
        client,
        admin.as_deref_mut(),
        current,
        &SourceMap::default(),
        schemas,
    )?;
    let (sampled, data_before) = match sample {
        Some(s) => {
            become_role(client, None)?;
            let copied = copy_sample(s.target, client, admin.as_deref_mut(), current, s.rows)?;
            let sums = checksums(client, current)?;
            become_role(client, stand_in)?;
            (Some((s.rows, copied)), Some(sums))
        }
        None => (None, None),
    };
    let mut observations = Vec::with_capacity(plan.steps.len());
    let mut up = Outcome::Passed;
    let total = plan.steps.len() as u64;
    report.stage("rehearsal: up");
    for (index, step) in plan.steps.iter().enumerate() {
        report.count(index as u64, total, "steps", &step_name(step));
        let before = relations(client, schemas)?;
        let mut observation = Observation::default();
        if let Some(hook) = &step.hook {
            // The user's SQL takes the locks it takes: they are neither predicted nor compared.
            let options = crate::pg::session::ApplyOptions::default();
            if let Err(e) = crate::pg::hookrun::run(client, hook, &options, None, &mut |_| {}) {
                up = Outcome::StepFailed {
                    index,
                    message: match &e {
                        crate::pg::hookrun::HookError::Sql { source, .. } => message(source),
                        other => other.to_string(),
                    },
                };
                break;
            }
            observations.push(observation);
            continue;
        }
        let as_superuser = privileged::step_runs_as_superuser(step).0 && step.transactional;
        let result = match admin.as_deref_mut().filter(|_| as_superuser) {
            Some(admin) => {
                same_search_path(client, admin)?;
                let (result, locks) = run_in_transaction(admin, &step.up, &before)?;
                observation.locks = locks;
                result
            }
            None if step.transactional => {
                let (result, locks) = run_in_transaction(client, &step.up, &before)?;
                observation.locks = locks;
                result
            }
            None => {
                let (result, locks) =
                    observe_outside_transaction(&db_target, client, &step.up, &before)?;
                observation.locks = Some(locks);
                result
            }
        };
        if let Err(e) = result {
            up = Outcome::StepFailed {
                index,
                message: message(&e),
            };
            break;
        }
        let after = relations(client, schemas)?;
        for (oid, (name, kind, node)) in &before.0 {
            if *kind == 'r' {
                if let Some((_, _, new_node)) = after.0.get(oid) {
                    if new_node != node {
                        observation.rewritten.push(name.clone());
                    }
                }
            }
        }
        observation.rewritten.sort();
        observations.push(observation);
    }
    if up == Outcome::Passed {
        report.stage("rehearsal: comparing with the desired state");
        up = compare(client, desired, casts, schemas)?;
    }
    let down = if up != Outcome::Passed {
        Outcome::Skipped("the up steps did not converge".into())
    } else if let Some(step) = plan.steps.iter().find(|s| s.down.is_none()) {
        Outcome::Skipped(format!(
            "{} {} cannot be undone: {}",
            step.kind.replace('_', " "),
            step.object,
            step.irreversible.as_deref().unwrap_or("no down SQL")
        ))
    } else {
        let mut outcome = run_down(client, admin, plan, current, casts, schemas, report)?;
        if let (Outcome::Passed, Some(before)) = (&outcome, &data_before) {
            become_role(client, None)?;
            let after = checksums(client, current)?;
            let differs: Vec<String> = before
                .iter()
                .zip(&after)
                .filter(|(a, b)| a != b)
                .map(|((name, was), (_, now))| format!("{name}: {was} before, {now} after"))
                .collect();
            if !differs.is_empty() {
                outcome = Outcome::Differs(format!(
                    "rows differ from the start after the down steps: {}",
                    differs.join("; ")
                ));
            }
        }
        outcome
    };
    Ok(Rehearsal {
        observations,
        up,
        down,
        sample: sampled,
    })
}

fn run_down(
    client: &mut Client,
    mut admin: Option<&mut Client>,
    plan: &Plan,
    current: &Catalog,
    casts: &Casts,
    schemas: &[String],
    report: &mut dyn Report,
) -> Result<Outcome, RehearseError> {
    let total = plan.steps.len() as u64;
    report.stage("rehearsal: down");
    for (index, step) in plan.steps.iter().enumerate().rev() {
        report.count(total - 1 - index as u64, total, "steps", &step_name(step));
        let down = step.down.as_deref().unwrap_or_default();
        let as_superuser = privileged::step_runs_as_superuser(step).1 && step.down_transactional;
        let result = match admin.as_deref_mut().filter(|_| as_superuser) {
            Some(admin) => {
                same_search_path(client, admin)?;
                let mut tx = admin.transaction()?;
                let r = down.iter().try_for_each(|stmt| tx.batch_execute(stmt));
                r.and_then(|()| tx.commit())
            }
            None if step.down_transactional => {
                let mut tx = client.transaction()?;
                let r = down.iter().try_for_each(|stmt| tx.batch_execute(stmt));
                r.and_then(|()| tx.commit())
            }
            None => down.iter().try_for_each(|stmt| client.batch_execute(stmt)),
        };
        if let Err(e) = result {
            return Ok(Outcome::StepFailed {
                index,
                message: format!("its down SQL: {}", message(&e)),
            });
        }
    }
    report.stage("rehearsal: comparing with the start");
    compare(client, current, casts, schemas)
}

/// `create index public.t_a_idx`.
fn step_name(step: &crate::plan::steps::Step) -> String {
    format!("{} {}", step.kind.replace('_', " "), step.object)
}

/// Runs a step's statements in one transaction, reading the locks it holds before it commits:
/// the step's outcome, and the locks when it got that far.
fn run_in_transaction(
    client: &mut Client,
    statements: &[String],
    before: &Relations,
) -> Result<(Result<(), postgres::Error>, Option<Locks>), RehearseError> {
    let mut tx = client.transaction()?;
    for stmt in statements {
        if let Err(e) = tx.batch_execute(stmt) {
            return Ok((Err(e), None));
        }
    }
    let locks = held_locks(&mut tx, before)?;
    Ok((tx.commit(), Some(locks)))
}

/// Gives the superuser's session the search path of the shadow role's, so that a statement
/// runs the same in either (an extension without a schema goes to the first schema of the path).
fn same_search_path(client: &mut Client, admin: &mut Client) -> Result<(), postgres::Error> {
    let path: String = client
        .query_one("SELECT pg_catalog.current_setting('search_path')", &[])?
        .get(0);
    admin.execute(
        "SELECT pg_catalog.set_config('search_path', $1, false)",
        &[&path],
    )?;
    Ok(())
}

/// Whether the copy now equals `expected`; otherwise what a plan would still change.
fn compare(
    client: &mut Client,
    expected: &Catalog,
    casts: &Casts,
    schemas: &[String],
) -> Result<Outcome, RehearseError> {
    let mut now = introspect::introspect(client, schemas)?;
    privileged::forget_own_roles(&mut now.catalog);
    let out = diff::diff(&now.catalog, expected, casts);
    if out.changes.is_empty() {
        return Ok(Outcome::Passed);
    }
    Ok(Outcome::Differs(what_differs(&out.changes)))
}

/// Object by object, as a plan lists them: what still differs after the up steps, the fields
/// that differ, and the SQL a new plan would run for it (or that it has none).
fn what_differs(changes: &[crate::plan::change::Change]) -> String {
    let mut out = format!(
        "{} difference{} from the desired state:",
        changes.len(),
        if changes.len() == 1 { "" } else { "s" }
    );
    for change in changes {
        out.push_str(&format!(
            "\n  {} {} {}",
            change.sign(),
            change.kind().replace('_', " "),
            change.object()
        ));
        for field in change.field_differences() {
            out.push_str(&format!("\n      {field}"));
        }
        let sql = crate::plan::render::statements(change);
        if sql.is_empty() {
            out.push_str(
                "\n      (no SQL makes this change: a gap in schemaplan, please report it)",
            );
        }
        for statement in sql {
            for line in statement.lines() {
                out.push_str(&format!("\n      {line}"));
            }
        }
    }
    out
}

fn message(e: &postgres::Error) -> String {
    e.as_db_error()
        .map(|d| d.message().to_string())
        .unwrap_or_else(|| e.to_string())
}
