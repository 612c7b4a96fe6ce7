//! Normalisation through a shadow database: the desired model is created in an empty scratch
//! database and read back, so that defaults, checks, index predicates and view bodies compare in
//! the form PostgreSQL itself prints them. A mistake in the desired SQL is reported here, with
//! the object, PostgreSQL's message and the position.

use std::fmt;

use postgres::error::{ErrorPosition, SqlState};

use crate::model::source::Location;
use crate::model::source::SourceMap;
use crate::model::*;
use crate::pg::db::{DbError, Server};
use crate::pg::introspect::{self, IntrospectError, Introspection};
use crate::plan::change::Change;
use crate::plan::diff;
use crate::plan::graph::{self, CycleError};
use crate::plan::render;

#[derive(Debug, thiserror::Error)]
pub enum ShadowError {
    #[error("shadow database: {0}")]
    Db(#[from] DbError),
    #[error("shadow database: {0}")]
    Introspect(#[from] IntrospectError),
    #[error("ordering the desired state: {0}")]
    Cycle(#[from] CycleError),
    #[error("{0}")]
    Sql(Box<SqlProblem>),
    #[error(
        "role{} {} {} not exist on {server}, where the desired state is created: roles belong \
         to the whole cluster, and schemaplan creates them only in its embedded cluster (create \
         them on the --dev-url server, NOLOGIN is enough)",
        if .roles.len() == 1 { "" } else { "s" },
        .roles.join(", "),
        if .roles.len() == 1 { "does" } else { "do" }
    )]
    MissingRoles { roles: Vec<String>, server: String },
}

/// Creates (embedded cluster) or requires (`--dev-url`) the roles `catalog` names.
pub fn ensure_roles(server: &Server, catalog: &Catalog) -> Result<(), ShadowError> {
    let missing = server.ensure_roles(&crate::plan::security::named_roles(catalog))?;
    if missing.is_empty() {
        Ok(())
    } else {
        Err(ShadowError::MissingRoles {
            roles: missing,
            server: server.describe(),
        })
    }
}

/// PostgreSQL rejected the SQL of a desired object.
#[derive(Debug)]
pub struct SqlProblem {
    pub object: String,
    pub kind: &'static str,
    pub path: Option<String>,
    pub location: Option<Location>,
    pub statement: String,
    pub message: String,
    pub detail: Option<String>,
    pub hint: Option<String>,
    /// 1-based character offset into `statement`.
    pub position: Option<usize>,
}

impl fmt::Display for SqlProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (&self.location, &self.path) {
            (Some(loc), Some(path)) => write!(f, "{loc}: {path}: ")?,
            (Some(loc), None) => write!(f, "{loc}: ")?,
            _ => {}
        }
        writeln!(
            f,
            "PostgreSQL rejects {} {}: {}",
            self.kind.replace('_', " "),
            self.object,
            self.message
        )?;
        if let Some(d) = &self.detail {
            writeln!(f, "  detail: {d}")?;
        }
        if let Some(h) = &self.hint {
            writeln!(f, "  hint: {h}")?;
        }
        match self.position {
            Some(pos) => {
                let (line, col, text) = locate(&self.statement, pos);
                writeln!(f, "  at line {line}, column {col} of the statement:")?;
                // Two lines before the error, for context (a syntax error is often reported at
                // the end of what PostgreSQL could read).
                let lines: Vec<&str> = self.statement.lines().collect();
                for context in lines
                    .iter()
                    .take(line.saturating_sub(1))
                    .skip(line.saturating_sub(3))
                {
                    writeln!(f, "    {context}")?;
                }
                writeln!(f, "    {text}")?;
                write!(f, "    {}^", " ".repeat(col.saturating_sub(1)))
            }
            None => {
                writeln!(f, "  statement:")?;
                for line in self.statement.lines() {
                    writeln!(f, "    {line}")?;
                }
                Ok(())
            }
        }
    }
}

/// Line, column (both 1-based) and text of the line holding character `pos` (1-based).
fn locate(statement: &str, pos: usize) -> (usize, usize, &str) {
    let mut line_start = 0;
    let mut line = 1;
    for (count, (byte, c)) in statement.char_indices().enumerate() {
        if count + 1 == pos {
            let text = statement[line_start..].lines().next().unwrap_or("");
            let col = statement[line_start..byte].chars().count() + 1;
            return (line, col, text);
        }
        if c == '\n' {
            line += 1;
            line_start = byte + 1;
        }
    }
    let text = statement[line_start..].lines().next().unwrap_or("");
    (line, text.chars().count() + 1, text)
}

/// The desired state as PostgreSQL prints it.
pub struct Normalized {
    pub introspection: Introspection,
    pub warnings: Vec<crate::model::warning::Warning>,
    /// How long each phase took (for benchmarks and progress reports).
    pub timings: Vec<(&'static str, std::time::Duration)>,
}

/// Creates `desired` in a scratch database on `server` and reads it back.
pub fn normalize(
    desired: &Catalog,
    sources: &SourceMap,
    schemas: &[String],
    server: &Server,
) -> Result<Normalized, ShadowError> {
    let mut clock = crate::stdx::Clock::new();
    ensure_roles(server, desired)?;
    let mut db = server.scratch_database("shadow")?;
    clock.lap("shadow: create database");
    let base_queries = materialize(db.client(), desired, sources, schemas)?;
    clock.lap("shadow: create desired objects");
    let mut normalized = introspect::introspect(db.client(), schemas)?;
    normalized.queries += base_queries;
    clock.lap("shadow: introspect");
    let warnings = stabilize(db.client(), desired, &mut normalized.catalog);
    clock.lap("shadow: verify printed forms");
    Ok(Normalized {
        introspection: normalized,
        warnings,
        timings: clock.laps,
    })
}

/// Creates the objects of `desired` in the empty database behind `client`, as written in the
/// YAML. Returns the number of catalog queries it needed.
pub fn materialize(
    client: &mut postgres::Client,
    desired: &Catalog,
    sources: &SourceMap,
    schemas: &[String],
) -> Result<usize, ShadowError> {
    let base = introspect::introspect(client, schemas)?;
    let changes = diff::diff(&base.catalog, desired, &base.casts).changes;
    let ordered = graph::order(changes, &base.catalog, desired)?;
    create(client, &ordered, sources)?;
    Ok(base.queries)
}

/// Statements sent to the server in one round trip (one implicit transaction).
const BATCH: usize = 200;

/// Runs the create script. Views and materialized views may read each other, and a model loaded
/// from YAML does not know which: one whose relation does not exist yet is tried again after
/// the others.
fn create(
    client: &mut postgres::Client,
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

fn problem(
    change: &Change,
    statement: String,
    e: &postgres::Error,
    sources: &SourceMap,
) -> ShadowError {
    let db = e.as_db_error();
    let (path, location) = match change_key(change).and_then(|k| sources.object(&k)) {
        Some((path, loc)) => (Some(path.to_string()), Some(loc.clone())),
        None => (None, None),
    };
    ShadowError::Sql(Box::new(SqlProblem {
        object: change.object(),
        kind: change.kind(),
        path,
        location,
        message: db
            .map(|d| d.message().to_string())
            .unwrap_or_else(|| e.to_string()),
        detail: db.and_then(|d| d.detail().map(String::from)),
        hint: db.and_then(|d| d.hint().map(String::from)),
        position: db.and_then(|d| match d.position() {
            Some(ErrorPosition::Original(p)) => Some(*p as usize),
            _ => None,
        }),
        statement,
    }))
}

/// The desired object a create step comes from, to find where the YAML defines it.
fn change_key(change: &Change) -> Option<ObjKey> {
    Some(match change {
        Change::CreateSchema { name, .. } => ObjKey::Schema(name.clone()),
        Change::CreateExtension { name, .. } => ObjKey::Extension(name.clone()),
        Change::CreateEnum { name, .. }
        | Change::CreateDomain { name, .. }
        | Change::CreateCompositeType { name, .. } => ObjKey::Type(name.clone()),
        Change::CreateSequence { name, .. } | Change::SetSequenceOwner { name, .. } => {
            ObjKey::Relation(name.clone())
        }
        Change::AddConstraint { table, name, .. } => {
            ObjKey::Constraint(table.clone(), name.clone())
        }
        Change::CreateIndex { table, name, .. } => {
            ObjKey::Relation(QualName::new(table.schema.clone(), name.clone()))
        }
        Change::CreateFunction { id, .. } => ObjKey::Function(id.clone()),
        Change::CreatePolicy { table, name, .. } => ObjKey::Policy(table.clone(), name.clone()),
        Change::CreateTrigger { table, name, .. } => ObjKey::Trigger(table.clone(), name.clone()),
        Change::CreateTable { name, .. }
        | Change::CreateView { name, .. }
        | Change::CreateMaterializedView { name, .. } => ObjKey::Relation(name.clone()),
        _ => return None,
    })
}

/// A group of expressions that one probe creates together (an index has several).
enum Unit {
    Check { table: QualName, name: String },
    Exclude { table: QualName, name: String },
    Default { table: QualName, column: String },
    Generated { table: QualName, column: String },
    Index { table: QualName, name: String },
    View { name: QualName },
    MaterializedView { name: QualName },
    DomainCheck { domain: QualName, name: String },
    DomainDefault { domain: QualName },
}

/// A stand-alone index of a table or a materialized view.
fn index_of<'m>(model: &'m Catalog, relation: &QualName, name: &str) -> Option<&'m Index> {
    match model.tables.get(relation) {
        Some(t) => t.indexes.get(name),
        None => model.materialized_views.get(relation)?.indexes.get(name),
    }
}

fn index_of_mut<'m>(
    model: &'m mut Catalog,
    relation: &QualName,
    name: &str,
) -> Option<&'m mut Index> {
    match model.tables.get_mut(relation) {
        Some(t) => t.indexes.get_mut(name),
        None => model
            .materialized_views
            .get_mut(relation)?
            .indexes
            .get_mut(name),
    }
}

const PROBE: &str = "schemaplan_probe";

/// Creates a throwaway object from candidate texts (inside a transaction that is rolled back)
/// and returns how PostgreSQL prints them, or `None` if PostgreSQL rejects them.
fn probe(
    client: &mut postgres::Client,
    setup: &[String],
    query: &str,
) -> Option<Vec<Option<String>>> {
    let sql = format!(
        "BEGIN; {}; {}; {query}; ROLLBACK",
        introspect::PRINTING_SETTINGS,
        setup.join("; ")
    );
    match client.simple_query(&sql) {
        Ok(messages) => messages.into_iter().find_map(|m| match m {
            postgres::SimpleQueryMessage::Row(row) => Some(
                (0..row.len())
                    .map(|i| row.get(i).map(String::from))
                    .collect(),
            ),
            _ => None,
        }),
        Err(_) => {
            let _ = client.batch_execute("ROLLBACK");
            None
        }
    }
}

impl Unit {
    /// The expressions of this unit in the model: (raw YAML text, printed form) pairs.
    fn slots<'m>(&self, model: &'m Catalog) -> Option<Vec<&'m Expr>> {
        match self {
            Unit::Check { table, name } => {
                match &model.tables.get(table)?.constraints.get(name)?.kind {
                    ConstraintKind::Check { expression, .. } => Some(vec![expression]),
                    _ => None,
                }
            }
            Unit::Exclude { table, name } => {
                match &model.tables.get(table)?.constraints.get(name)?.kind {
                    ConstraintKind::Exclude(x) => Some(x.expressions().collect()),
                    _ => None,
                }
            }
            Unit::Default { table, column } => Some(vec![
                model.tables.get(table)?.column(column)?.default.as_ref()?,
            ]),
            Unit::Generated { table, column } => Some(vec![
                model
                    .tables
                    .get(table)?
                    .column(column)?
                    .generated
                    .as_ref()?,
            ]),
            Unit::Index { table, name } => {
                let index = index_of(model, table, name)?;
                let mut out: Vec<&Expr> = index
                    .keys
                    .iter()
                    .filter_map(|k| match &k.expr {
                        IndexExpr::Expression(e) => Some(e),
                        IndexExpr::Column(_) => None,
                    })
                    .collect();
                out.extend(index.predicate.as_ref());
                Some(out)
            }
            Unit::View { name } => Some(vec![&model.views.get(name)?.definition]),
            Unit::MaterializedView { name } => {
                Some(vec![&model.materialized_views.get(name)?.definition])
            }
            Unit::DomainCheck { domain, name } => Some(vec![
                &model.domains.get(domain)?.constraints.get(name)?.expression,
            ]),
            Unit::DomainDefault { domain } => {
                Some(vec![model.domains.get(domain)?.default.as_ref()?])
            }
        }
    }

    fn slots_mut<'m>(&self, model: &'m mut Catalog) -> Vec<&'m mut Expr> {
        let mut out = Vec::new();
        match self {
            Unit::Check { table, name } => {
                if let Some(ConstraintKind::Check { expression, .. }) = model
                    .tables
                    .get_mut(table)
                    .and_then(|t| t.constraints.get_mut(name))
                    .map(|c| &mut c.kind)
                {
                    out.push(expression);
                }
            }
            Unit::Exclude { table, name } => {
                if let Some(ConstraintKind::Exclude(x)) = model
                    .tables
                    .get_mut(table)
                    .and_then(|t| t.constraints.get_mut(name))
                    .map(|c| &mut c.kind)
                {
                    out.extend(x.expressions_mut());
                }
            }
            Unit::Default { table, column } | Unit::Generated { table, column } => {
                let generated = matches!(self, Unit::Generated { .. });
                if let Some(c) = model
                    .tables
                    .get_mut(table)
                    .and_then(|t| t.columns.iter_mut().find(|c| c.name == *column))
                {
                    out.extend(if generated {
                        c.generated.as_mut()
                    } else {
                        c.default.as_mut()
                    });
                }
            }
            Unit::Index { table, name } => {
                if let Some(index) = index_of_mut(model, table, name) {
                    for k in index.keys.iter_mut() {
                        if let IndexExpr::Expression(e) = &mut k.expr {
                            out.push(e);
                        }
                    }
                    out.extend(index.predicate.as_mut());
                }
            }
            Unit::View { name } => {
                if let Some(v) = model.views.get_mut(name) {
                    out.push(&mut v.definition);
                }
            }
            Unit::MaterializedView { name } => {
                if let Some(v) = model.materialized_views.get_mut(name) {
                    out.push(&mut v.definition);
                }
            }
            Unit::DomainCheck { domain, name } => {
                if let Some(c) = model
                    .domains
                    .get_mut(domain)
                    .and_then(|d| d.constraints.get_mut(name))
                {
                    out.push(&mut c.expression);
                }
            }
            Unit::DomainDefault { domain } => {
                if let Some(d) = model.domains.get_mut(domain) {
                    out.extend(d.default.as_mut());
                }
            }
        }
        out
    }

    /// Creates the unit from `texts` on the shadow and reads back the printed forms.
    fn probe(
        &self,
        client: &mut postgres::Client,
        model: &Catalog,
        texts: &[String],
    ) -> Option<Vec<String>> {
        let with = |e: &Expr, t: &String| Expr {
            text: e.text.clone(),
            source: Some(t.clone()),
            volatile: e.volatile,
        };
        let (setup, query) = match self {
            Unit::Check { table, name } => {
                let con = model.tables.get(table)?.constraints.get(name)?;
                let ConstraintKind::Check {
                    expression,
                    no_inherit,
                } = &con.kind
                else {
                    return None;
                };
                let change = Change::AddConstraint {
                    table: table.clone(),
                    name: PROBE.into(),
                    constraint: Constraint {
                        kind: ConstraintKind::Check {
                            expression: with(expression, &texts[0]),
                            no_inherit: *no_inherit,
                        },
                        deferrable: false,
                        initially_deferred: false,
                        validated: false,
                        comment: None,
                    },
                };
                (
                    render::statements(&change),
                    format!(
                        "SELECT pg_catalog.pg_get_expr(conbin, conrelid) FROM pg_catalog.pg_constraint \
                         WHERE conrelid = {}::pg_catalog.regclass AND conname = '{PROBE}'",
                        crate::model::quote::literal(&crate::model::quote::qualified(table))
                    ),
                )
            }
            Unit::Exclude { table, name } => {
                let con = model.tables.get(table)?.constraints.get(name)?;
                let ConstraintKind::Exclude(x) = &con.kind else {
                    return None;
                };
                let mut x = x.clone();
                let mut reads = Vec::new();
                let mut slot = 0;
                for (k, element) in x.elements.iter_mut().enumerate() {
                    if let IndexExpr::Expression(e) = &mut element.key.expr {
                        *e = with(e, &texts[slot]);
                        slot += 1;
                        reads.push(format!(
                            "pg_catalog.pg_get_indexdef(i.indexrelid, {}, false)",
                            k + 1
                        ));
                    }
                }
                if let Some(p) = &x.predicate {
                    x.predicate = Some(with(p, &texts[slot]));
                    reads.push("pg_catalog.pg_get_expr(i.indpred, i.indrelid)".into());
                }
                let change = Change::AddConstraint {
                    table: table.clone(),
                    name: PROBE.into(),
                    constraint: Constraint {
                        kind: ConstraintKind::Exclude(x),
                        deferrable: false,
                        initially_deferred: false,
                        validated: true,
                        comment: None,
                    },
                };
                (
                    render::statements(&change),
                    format!(
                        "SELECT {} FROM pg_catalog.pg_constraint co \
                         JOIN pg_catalog.pg_index i ON i.indexrelid = co.conindid \
                         WHERE co.conrelid = {}::pg_catalog.regclass AND co.conname = '{PROBE}'",
                        reads.join(", "),
                        crate::model::quote::literal(&crate::model::quote::qualified(table))
                    ),
                )
            }
            Unit::Default { table, column } | Unit::Generated { table, column } => {
                let col = model.tables.get(table)?.column(column)?;
                let (change, read_column) = if matches!(self, Unit::Default { .. }) {
                    let mut from = col.clone();
                    from.default = None;
                    let mut to = col.clone();
                    to.default = Some(with(col.default.as_ref()?, &texts[0]));
                    (
                        Change::AlterColumn {
                            table: table.clone(),
                            from,
                            to,
                            using: crate::plan::change::Using::Implicit,
                            using_reverse: crate::plan::change::Using::Implicit,
                            renumber: None,
                            renumber_reverse: None,
                        },
                        column.clone(),
                    )
                } else {
                    let mut probe_col = Column::new(PROBE, col.data_type.clone());
                    probe_col.collation = col.collation.clone();
                    probe_col.generated = Some(with(col.generated.as_ref()?, &texts[0]));
                    (
                        Change::AddColumn {
                            table: table.clone(),
                            column: probe_col,
                        },
                        PROBE.to_string(),
                    )
                };
                (
                    render::statements(&change),
                    format!(
                        "SELECT pg_catalog.pg_get_expr(d.adbin, d.adrelid) FROM pg_catalog.pg_attrdef d \
                         JOIN pg_catalog.pg_attribute a ON a.attrelid = d.adrelid AND a.attnum = d.adnum \
                         WHERE d.adrelid = {}::pg_catalog.regclass AND a.attname = {}",
                        crate::model::quote::literal(&crate::model::quote::qualified(table)),
                        crate::model::quote::literal(&read_column)
                    ),
                )
            }
            Unit::Index { table, name } => {
                let mut index = index_of(model, table, name)?.clone();
                index.comment = None;
                let mut reads = Vec::new();
                let mut slot = 0;
                for (k, key) in index.keys.iter_mut().enumerate() {
                    if let IndexExpr::Expression(e) = &mut key.expr {
                        *e = with(e, &texts[slot]);
                        slot += 1;
                        reads.push(format!(
                            "pg_catalog.pg_get_indexdef(i.indexrelid, {}, false)",
                            k + 1
                        ));
                    }
                }
                if let Some(p) = &index.predicate {
                    index.predicate = Some(with(p, &texts[slot]));
                    reads.push("pg_catalog.pg_get_expr(i.indpred, i.indrelid)".into());
                }
                let probe_name = QualName::new(table.schema.clone(), PROBE);
                (
                    render::statements(&Change::CreateIndex {
                        table: table.clone(),
                        name: PROBE.into(),
                        index,
                        concurrently: false,
                        replaces: None,
                    }),
                    format!(
                        "SELECT {} FROM pg_catalog.pg_index i WHERE i.indexrelid = {}::pg_catalog.regclass",
                        reads.join(", "),
                        crate::model::quote::literal(&crate::model::quote::qualified(&probe_name))
                    ),
                )
            }
            Unit::View { name } => {
                let view = model.views.get(name)?;
                let probe_name = QualName::new(name.schema.clone(), PROBE);
                (
                    render::statements(&Change::CreateView {
                        name: probe_name.clone(),
                        view: View {
                            definition: with(&view.definition, &texts[0]),
                            columns: Vec::new(),
                            options: view.options.clone(),
                            comment: None,
                            column_comments: Default::default(),
                            owner: None,
                            grants: Default::default(),
                        },
                    }),
                    format!(
                        "SELECT pg_catalog.pg_get_viewdef({}::pg_catalog.regclass)",
                        crate::model::quote::literal(&crate::model::quote::qualified(&probe_name))
                    ),
                )
            }
            // Created empty: only the printed query is wanted.
            Unit::MaterializedView { name } => {
                let view = model.materialized_views.get(name)?;
                let probe_name = QualName::new(name.schema.clone(), PROBE);
                (
                    render::statements(&Change::CreateMaterializedView {
                        name: probe_name.clone(),
                        view: MaterializedView {
                            definition: with(&view.definition, &texts[0]),
                            columns: Vec::new(),
                            with_data: false,
                            options: Default::default(),
                            comment: None,
                            column_comments: Default::default(),
                            indexes: Default::default(),
                        },
                    }),
                    format!(
                        "SELECT pg_catalog.pg_get_viewdef({}::pg_catalog.regclass)",
                        crate::model::quote::literal(&crate::model::quote::qualified(&probe_name))
                    ),
                )
            }
            // A domain over the same base type, with only the expression being tried.
            Unit::DomainCheck { domain, .. } | Unit::DomainDefault { domain } => {
                let d = model.domains.get(domain)?;
                let probe_name = QualName::new(domain.schema.clone(), PROBE);
                let mut def = Domain {
                    not_null: false,
                    default: None,
                    constraints: Default::default(),
                    comment: None,
                    ..d.clone()
                };
                let read = match self {
                    Unit::DomainCheck { name, .. } => {
                        let c = d.constraints.get(name)?;
                        def.constraints.insert(
                            PROBE.into(),
                            DomainConstraint {
                                expression: with(&c.expression, &texts[0]),
                                validated: true,
                                comment: None,
                            },
                        );
                        "pg_catalog.pg_get_expr(c.conbin, 0)"
                    }
                    _ => {
                        def.default = Some(with(d.default.as_ref()?, &texts[0]));
                        "pg_catalog.pg_get_expr(t.typdefaultbin, 0)"
                    }
                };
                (
                    render::statements(&Change::CreateDomain {
                        name: probe_name.clone(),
                        def,
                    }),
                    format!(
                        "SELECT {read} FROM pg_catalog.pg_type t \
                         LEFT JOIN pg_catalog.pg_constraint c ON c.contypid = t.oid \
                         WHERE t.oid = {}::pg_catalog.regtype",
                        crate::model::quote::literal(&crate::model::quote::qualified(&probe_name))
                    ),
                )
            }
        };
        let row = probe(client, &setup, &query)?;
        let printed: Option<Vec<String>> = row.into_iter().collect();
        let printed = printed?;
        Some(match self {
            Unit::View { .. } | Unit::MaterializedView { .. } => printed
                .iter()
                .map(|t| crate::pg::introspect::clean_view_definition(t))
                .collect(),
            _ => printed,
        })
    }
}

/// Every unit of the normalised model whose YAML text is not already PostgreSQL's printed form.
fn units(raw: &Catalog, normalized: &Catalog) -> Vec<Unit> {
    let mut out = Vec::new();
    for (tname, table) in &normalized.tables {
        for c in &table.columns {
            if c.default.is_some() {
                out.push(Unit::Default {
                    table: tname.clone(),
                    column: c.name.clone(),
                });
            }
            if c.generated.is_some() {
                out.push(Unit::Generated {
                    table: tname.clone(),
                    column: c.name.clone(),
                });
            }
        }
        for (name, con) in &table.constraints {
            match con.kind {
                ConstraintKind::Check { .. } => out.push(Unit::Check {
                    table: tname.clone(),
                    name: name.clone(),
                }),
                ConstraintKind::Exclude(_) => out.push(Unit::Exclude {
                    table: tname.clone(),
                    name: name.clone(),
                }),
                _ => {}
            }
        }
        for name in table.indexes.keys() {
            out.push(Unit::Index {
                table: tname.clone(),
                name: name.clone(),
            });
        }
    }
    for name in normalized.views.keys() {
        out.push(Unit::View { name: name.clone() });
    }
    for (name, view) in &normalized.materialized_views {
        out.push(Unit::MaterializedView { name: name.clone() });
        for index in view.indexes.keys() {
            out.push(Unit::Index {
                table: name.clone(),
                name: index.clone(),
            });
        }
    }
    for (name, d) in &normalized.domains {
        if d.default.is_some() {
            out.push(Unit::DomainDefault {
                domain: name.clone(),
            });
        }
        for cname in d.constraints.keys() {
            out.push(Unit::DomainCheck {
                domain: name.clone(),
                name: cname.clone(),
            });
        }
    }
    out.retain(|u| {
        let (Some(r), Some(n)) = (u.slots(raw), u.slots(normalized)) else {
            return false;
        };
        r.len() == n.len() && !n.is_empty() && r.iter().zip(&n).any(|(r, n)| r.text != n.text)
    });
    out
}

/// Makes every expression of `normalized` one that `apply` reproduces exactly.
///
/// For each expression whose YAML text differs from what PostgreSQL printed:
/// 1. if the YAML text is itself a printed form that a known rewrite reproduces (text written by
///    `inspect`), that form is what the user asked for and is kept;
/// 2. if the printed form parses back to itself, it is used as is;
/// 3. if a rewrite of the printed form parses back to it, the rewrite becomes the source;
/// 4. otherwise the plan settles on the form PostgreSQL converges to, with a warning.
pub fn stabilize(
    client: &mut postgres::Client,
    raw: &Catalog,
    normalized: &mut Catalog,
) -> Vec<crate::model::warning::Warning> {
    let mut warnings = Vec::new();
    for unit in units(raw, normalized) {
        let Some(raw_texts) = unit
            .slots(raw)
            .map(|s| s.iter().map(|e| e.text.clone()).collect::<Vec<_>>())
        else {
            continue;
        };
        let Some(printed) = unit
            .slots(normalized)
            .map(|s| s.iter().map(|e| e.text.clone()).collect::<Vec<_>>())
        else {
            continue;
        };
        let Some((texts, sources)) =
            decide(client, &unit, normalized, raw_texts, printed, &mut warnings)
        else {
            continue;
        };
        for (i, e) in unit.slots_mut(normalized).into_iter().enumerate() {
            e.source = sources
                .as_ref()
                .map(|s| s[i].clone())
                .filter(|s| *s != texts[i]);
            e.text = texts[i].clone();
        }
    }
    warnings
}

/// The texts a unit should compare as, and the sources that produce them (`None`: the printed
/// form already parses back to itself, or nothing better was found).
type Decision = (Vec<String>, Option<Vec<String>>);

fn decide(
    client: &mut postgres::Client,
    unit: &Unit,
    model: &Catalog,
    raw: Vec<String>,
    printed: Vec<String>,
    warnings: &mut Vec<crate::model::warning::Warning>,
) -> Option<Decision> {
    let rewrite = |texts: &[String]| -> Option<Vec<String>> {
        let mut any = false;
        let out = texts
            .iter()
            .map(|t| match crate::sqltext::reprint::pin_array_casts(t) {
                Some(r) => {
                    any = true;
                    r
                }
                None => t.clone(),
            })
            .collect();
        any.then_some(out)
    };
    if let Some(candidate) = rewrite(&raw) {
        if unit.probe(client, model, &candidate).as_ref() == Some(&raw) {
            return Some((raw, Some(candidate)));
        }
    }
    let again = unit.probe(client, model, &printed);
    if again.as_ref() == Some(&printed) {
        return None;
    }
    if let Some(candidate) = rewrite(&printed) {
        if unit.probe(client, model, &candidate).as_ref() == Some(&printed) {
            return Some((printed, Some(candidate)));
        }
    }
    let converged = again?;
    if unit.probe(client, model, &converged).as_ref() != Some(&converged) {
        return None;
    }
    warnings.push(crate::model::warning::Warning {
        object: unit_object(unit),
        message: format!(
            "PostgreSQL prints this as text that does not parse back to itself; the database will hold the equivalent form `{}`",
            converged.join("`, `")
        ),
    });
    Some((converged, None))
}

fn unit_object(unit: &Unit) -> String {
    match unit {
        Unit::Check { table, name }
        | Unit::Exclude { table, name }
        | Unit::Index { table, name } => format!("{table}.{name}"),
        Unit::Default { table, column } | Unit::Generated { table, column } => {
            format!("{table}.{column}")
        }
        Unit::View { name } | Unit::MaterializedView { name } => name.to_string(),
        Unit::DomainCheck { domain, name } => format!("{domain}.{name}"),
        Unit::DomainDefault { domain } => domain.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::locate;

    #[test]
    fn positions_map_to_lines_and_columns() {
        let s = "CREATE VIEW v AS\nSELECT x\n  FROM evnts";
        let pos = s.find("evnts").unwrap() + 1;
        assert_eq!(locate(s, pos), (3, 8, "  FROM evnts"));
        assert_eq!(locate(s, 1), (1, 1, "CREATE VIEW v AS"));
    }
}
