//! Creating the desired objects in the empty shadow database, in dependency order and in
//! batches.

use postgres::error::SqlState;

use super::error::{ShadowError, problem};
use crate::model::source::SourceMap;
use crate::model::*;
use crate::pg::introspect;
use crate::pg::privileged;
use crate::plan::change::Change;
use crate::plan::diff;
use crate::plan::graph;
use crate::plan::render;

/// Creates the objects of `desired` in the empty database behind `client`, as written in the
/// YAML. Returns the number of catalog queries it needed.
pub fn materialize(
    client: &mut postgres::Client,
    desired: &Catalog,
    sources: &SourceMap,
    schemas: &[String],
) -> Result<usize, ShadowError> {
    materialize_with(client, None, desired, sources, schemas)
}

/// [`materialize`], with the changes `privileged::runs_as_superuser` names run through `admin`
/// (the bootstrap superuser) when it is given, and everything else through `client`.
pub fn materialize_with(
    client: &mut postgres::Client,
    admin: Option<&mut postgres::Client>,
    desired: &Catalog,
    sources: &SourceMap,
    schemas: &[String],
) -> Result<usize, ShadowError> {
    let base = introspect::introspect(client, schemas)?;
    let changes = diff::diff(&base.catalog, desired, &base.casts).changes;
    let ordered = graph::order(changes, &base.catalog, desired)?;
    // As in a pg_dump restore, function bodies are not checked while a state is built: a body
    // may read what a database at that state no longer has (a table dropped after the
    // function), and PostgreSQL records no dependency of a body. The plan's own steps are
    // checked when the rehearsal runs them.
    set_body_checks(client, false)?;
    let created = create(client, admin, &ordered, sources);
    set_body_checks(client, true)?;
    created?;
    Ok(base.queries)
}

/// Statements sent to the server in one round trip (one implicit transaction).
const BATCH: usize = 200;

/// Runs the create script. Views and materialized views may read each other, and a model loaded
/// from YAML does not know which: one whose relation does not exist yet is tried again after
/// the others.
fn create(
    client: &mut postgres::Client,
    mut admin: Option<&mut postgres::Client>,
    changes: &[Change],
    sources: &SourceMap,
) -> Result<(), ShadowError> {
    let mut batch: Vec<(usize, String)> = Vec::new();
    let mut deferred: Vec<usize> = Vec::new();
    // Each change runs with its schema first on the search path, as the README promises for
    // names written in YAML. The path persists across statements, so it is set only on change.
    let mut path = String::new();
    let mut set_path = |client: &mut postgres::Client,
                        batch: &mut Vec<(usize, String)>,
                        i: usize,
                        alone: bool|
     -> Result<(), ShadowError> {
        let wanted = render::search_path_for(changes[i].schema().unwrap_or("public"));
        if wanted != path {
            if alone {
                // Set on its own, so that a failing statement after it cannot take it back.
                client
                    .batch_execute(&wanted)
                    .map_err(|e| problem(&changes[i], wanted.clone(), &e, sources))?;
            } else {
                batch.push((i, wanted.clone()));
            }
            path = wanted;
        }
        Ok(())
    };
    for (i, change) in changes.iter().enumerate() {
        let statements = render::statements(change);
        if let Some(admin) = admin
            .as_deref_mut()
            .filter(|_| privileged::runs_as_superuser(change))
        {
            // What the shadow role built so far commits first: the superuser's session sees
            // only committed objects (the extension's schema).
            flush(client, &mut batch, changes, sources)?;
            let wanted = render::search_path_for(change.schema().unwrap_or("public"));
            run_together(admin, &[wanted, statements.join(";\n")])
                .map_err(|(e, stmt)| problem(change, stmt, &e, sources))?;
            continue;
        }
        let is_view = matches!(
            change,
            Change::CreateView { .. }
                | Change::CreateMaterializedView { .. }
                | Change::CreatePolicy { .. }
        );
        if is_view || !change.transactional() {
            flush(client, &mut batch, changes, sources)?;
            set_path(client, &mut batch, i, true)?;
            match run_together(client, &statements) {
                Ok(()) => {}
                Err((e, _)) if is_view && e.code() == Some(&SqlState::UNDEFINED_TABLE) => {
                    deferred.push(i)
                }
                Err((e, stmt)) => return Err(problem(&changes[i], stmt, &e, sources)),
            }
            continue;
        }
        set_path(client, &mut batch, i, false)?;
        batch.extend(statements.into_iter().map(|s| (i, s)));
        if batch.len() >= BATCH {
            flush(client, &mut batch, changes, sources)?;
        }
    }
    flush(client, &mut batch, changes, sources)?;
    while !deferred.is_empty() {
        let mut still = Vec::new();
        let mut errors = Vec::new();
        for &i in &deferred {
            set_path(client, &mut batch, i, true)?;
            if let Err((e, stmt)) = run_together(client, &render::statements(&changes[i])) {
                errors.push((i, stmt, e));
                still.push(i);
            }
        }
        if still.len() == deferred.len() {
            // Report the view whose missing relation is not one of the views still waiting:
            // the others only wait for it.
            let waiting: Vec<String> = still.iter().map(|&i| changes[i].object()).collect();
            let missing_is_waiting = |e: &postgres::Error| {
                let message = e.as_db_error().map(|d| d.message()).unwrap_or("");
                waiting.iter().any(|w| {
                    let name = w.rsplit('.').next().unwrap_or(w);
                    message.contains(&format!("\"{name}\""))
                })
            };
            let pick = errors
                .iter()
                .position(|(_, _, e)| !missing_is_waiting(e))
                .unwrap_or(0);
            let (i, stmt, e) = errors.swap_remove(pick);
            return Err(problem(&changes[i], stmt, &e, sources));
        }
        deferred = still;
    }
    Ok(())
}

/// Runs statements as one implicit transaction. On failure the text returned is what was sent,
/// since PostgreSQL's error position counts from its start.
fn run_together(
    client: &mut postgres::Client,
    statements: &[String],
) -> Result<(), (postgres::Error, String)> {
    let joined = statements.join(";\n");
    client.batch_execute(&joined).map_err(|e| (e, joined))
}

/// Runs the statements gathered in `batch` in one round trip, and empties it.
fn flush(
    client: &mut postgres::Client,
    batch: &mut Vec<(usize, String)>,
    changes: &[Change],
    sources: &SourceMap,
) -> Result<(), ShadowError> {
    if batch.is_empty() {
        return Ok(());
    }
    let joined: Vec<&str> = batch.iter().map(|(_, s)| s.as_str()).collect();
    if client.batch_execute(&joined.join(";\n")).is_ok() {
        batch.clear();
        return Ok(());
    }
    // The batch was rolled back as a whole; run it statement by statement to find the culprit.
    for (i, stmt) in batch.iter() {
        if let Err(e) = client.batch_execute(stmt) {
            return Err(problem(&changes[*i], stmt.clone(), &e, sources));
        }
    }
    batch.clear();
    Ok(())
}

fn set_body_checks(client: &mut postgres::Client, on: bool) -> Result<(), ShadowError> {
    let sql = if on {
        "RESET check_function_bodies"
    } else {
        "SET check_function_bodies = off"
    };
    client.batch_execute(sql).map_err(|source| {
        ShadowError::Db(crate::pg::db::DbError::Query {
            what: sql.to_string(),
            target: "the shadow database".into(),
            source,
        })
    })
}
