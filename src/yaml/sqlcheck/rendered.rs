//! The statements the renderer writes for the loaded objects, each parsed: every one must be
//! one statement. The fields were checked one by one as they were read; this checks what they
//! become together (a dollar quote around a body, a backfill inside its `DO` block), as the
//! shadow and the target would receive it.

use serde_json::Value;

use super::grammar::{self, Mode, Strings};
use crate::model::hints::Backfills;
use crate::model::source::{Diagnostic, SourceMap};
use crate::model::*;
use crate::plan::change::Change;
use crate::plan::render;

/// Reports every object whose rendered SQL is not one statement per statement written.
pub(crate) fn check_rendered(
    catalog: &Catalog,
    backfills: &Backfills,
    sources: &SourceMap,
    diags: &mut Vec<Diagnostic>,
) {
    // Each creation is parsed on its own: the work is split over the machine's cores (GitLab's
    // 24,000 statements took most of its load), and the problems come back in order.
    let all = creations(catalog, backfills, sources);
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let share = all.len().div_ceil(cores.clamp(1, 8)).max(1);
    let found: Vec<Vec<Diagnostic>> = std::thread::scope(|scope| {
        let parts: Vec<_> = all
            .chunks(share)
            .map(|part| scope.spawn(move || check_part(part, sources)))
            .collect();
        parts
            .into_iter()
            .map(|p| p.join().expect("a statement check panicked"))
            .collect()
    });
    diags.extend(found.into_iter().flatten());
}

fn check_part(part: &[Creation<'_>], sources: &SourceMap) -> Vec<Diagnostic> {
    let mut diags = Vec::new();
    for creation in part {
        let (path, change) = creation();
        if let Change::Backfill { .. } = change {
            if let Err(found) = same_block(&change) {
                diags.push(sources.diagnostic(&path, found));
                continue;
            }
        }
        for statement in render::statements(&change) {
            if let Err(found) = one_statement(&statement) {
                let first = statement.lines().next().unwrap_or("");
                diags.push(sources.diagnostic(
                    &path,
                    format!("the SQL written for it is {found}, where one statement was written: {first} …"),
                ));
                break;
            }
        }
    }
    diags
}

/// Makes the change that creates one loaded object (or a backfill), with the path of the YAML
/// that defines it. Made when its check comes and dropped after it: the changes of every
/// object at once were a copy of the whole model (170 MB for 10,000 tables).
type Creation<'c> = Box<dyn Fn() -> (String, Change) + Send + Sync + 'c>;

/// What creates each loaded object (and each backfill).
fn creations<'c>(
    catalog: &'c Catalog,
    backfills: &'c Backfills,
    sources: &'c SourceMap,
) -> Vec<Creation<'c>> {
    let path = move |key: ObjKey| path_of(sources, key);
    let mut out: Vec<Creation<'c>> = Vec::new();
    for (name, def) in &catalog.domains {
        out.push(Box::new(move || {
            (
                path(ObjKey::Type(name.clone())),
                Change::CreateDomain {
                    name: name.clone(),
                    def: def.clone(),
                },
            )
        }));
    }
    for (name, def) in &catalog.composite_types {
        out.push(Box::new(move || {
            (
                path(ObjKey::Type(name.clone())),
                Change::CreateCompositeType {
                    name: name.clone(),
                    def: def.clone(),
                },
            )
        }));
    }
    for (name, def) in &catalog.range_types {
        out.push(Box::new(move || {
            (
                path(ObjKey::Type(name.clone())),
                Change::CreateRangeType {
                    name: name.clone(),
                    def: def.clone(),
                },
            )
        }));
    }
    for (name, def) in &catalog.collations {
        out.push(Box::new(move || {
            (
                path(ObjKey::Collation(name.clone())),
                Change::CreateCollation {
                    name: name.clone(),
                    def: def.clone(),
                },
            )
        }));
    }
    for (name, def) in &catalog.sequences {
        out.push(Box::new(move || {
            (
                path(ObjKey::Relation(name.clone())),
                Change::CreateSequence {
                    name: name.clone(),
                    def: def.clone(),
                },
            )
        }));
    }
    for (name, table) in &catalog.tables {
        table_creations(&mut out, sources, name, table);
    }
    for (name, view) in &catalog.views {
        out.push(Box::new(move || {
            (
                path(ObjKey::Relation(name.clone())),
                Change::CreateView {
                    name: name.clone(),
                    view: view.clone(),
                },
            )
        }));
    }
    for (name, view) in &catalog.materialized_views {
        out.push(Box::new(move || {
            (
                path(ObjKey::Relation(name.clone())),
                Change::CreateMaterializedView {
                    name: name.clone(),
                    view: view.clone(),
                },
            )
        }));
    }
    for (id, def) in &catalog.functions {
        out.push(Box::new(move || {
            (
                path(ObjKey::Function(id.clone())),
                Change::CreateFunction {
                    id: id.clone(),
                    def: def.clone(),
                },
            )
        }));
    }
    for (id, def) in &catalog.aggregates {
        out.push(Box::new(move || {
            (
                path(ObjKey::Function(id.clone())),
                Change::CreateAggregate {
                    id: id.clone(),
                    def: def.clone(),
                },
            )
        }));
    }
    for (name, def) in &catalog.text_search_dictionaries {
        out.push(Box::new(move || {
            (
                path(ObjKey::TsDictionary(name.clone())),
                Change::CreateTsDictionary {
                    name: name.clone(),
                    def: def.clone(),
                },
            )
        }));
    }
    for (name, def) in &catalog.text_search_configurations {
        out.push(Box::new(move || {
            (
                path(ObjKey::TsConfiguration(name.clone())),
                Change::CreateTsConfiguration {
                    name: name.clone(),
                    def: def.clone(),
                },
            )
        }));
    }
    for (name, def) in &catalog.publications {
        out.push(Box::new(move || {
            (
                path(ObjKey::Publication(name.clone())),
                Change::CreatePublication {
                    name: name.clone(),
                    def: def.clone(),
                },
            )
        }));
    }
    for ((table, column), backfill) in backfills {
        out.push(Box::new(move || {
            (
                backfill.path.clone(),
                Change::Backfill {
                    table: table.clone(),
                    column: column.clone(),
                    expression: backfill.expression.clone(),
                    column_existed: false,
                },
            )
        }));
    }
    out
}

/// The path of the YAML that defines `key`.
fn path_of(sources: &SourceMap, key: ObjKey) -> String {
    sources.objects.get(&key).cloned().unwrap_or_default()
}

/// What creates a table, and its indexes, triggers, statistics and policies.
fn table_creations<'c>(
    out: &mut Vec<Creation<'c>>,
    sources: &'c SourceMap,
    name: &'c QualName,
    table: &'c Table,
) {
    let path = move |key: ObjKey| path_of(sources, key);
    out.push(Box::new(move || {
        (
            path(ObjKey::Relation(name.clone())),
            Change::CreateTable {
                name: name.clone(),
                table: table.clone(),
            },
        )
    }));
    for (index, def) in &table.indexes {
        out.push(Box::new(move || {
            (
                path(ObjKey::Relation(QualName::new(
                    name.schema.clone(),
                    index.clone(),
                ))),
                Change::CreateIndex {
                    table: name.clone(),
                    name: index.clone(),
                    index: def.clone(),
                    concurrently: false,
                    replaces: None,
                },
            )
        }));
    }
    for (trigger, def) in &table.triggers {
        out.push(Box::new(move || {
            (
                path(ObjKey::Trigger(name.clone(), trigger.clone())),
                Change::CreateTrigger {
                    table: name.clone(),
                    name: trigger.clone(),
                    trigger: def.clone(),
                },
            )
        }));
    }
    for (stats, def) in &table.statistics {
        out.push(Box::new(move || {
            (
                path(ObjKey::Statistics(QualName::new(
                    name.schema.clone(),
                    stats.clone(),
                ))),
                Change::CreateStatistics {
                    table: name.clone(),
                    name: stats.clone(),
                    stats: def.clone(),
                },
            )
        }));
    }
    for (policy, def) in &table.policies {
        out.push(Box::new(move || {
            (
                path(ObjKey::Policy(name.clone(), policy.clone())),
                Change::CreatePolicy {
                    table: name.clone(),
                    name: policy.clone(),
                    policy: def.clone(),
                },
            )
        }));
    }
}

/// `Ok` when `sql` is at most one statement however the server reads backslashes in strings;
/// otherwise how many there are and what the second is. SQL the parser rejects is left to the
/// server to report, unless a `;` in it would end a statement.
pub(super) fn one_statement(sql: &str) -> Result<(), String> {
    for &strings in Strings::of(sql) {
        let pieces: Vec<&str> = match grammar::parse(sql, Mode::Statements, strings) {
            Ok(parsed) => parsed
                .ranges()
                .into_iter()
                .map(|(a, b)| &sql[a..b])
                .collect(),
            Err(_) => match grammar::tokens(sql) {
                Ok(tokens) => grammar::pieces(sql, &tokens)
                    .into_iter()
                    .map(|(a, b)| &sql[a..b])
                    .collect(),
                Err(_) => continue,
            },
        };
        if pieces.len() > 1 {
            return Err(format!(
                "{} statements (the second is {})",
                pieces.len(),
                grammar::head(pieces[1])
            ));
        }
    }
    Ok(())
}

/// A backfill's `DO` block runs the statements of the block written for a plain value, and
/// each of them is one statement: its value sits inside PL/pgSQL, where a `;` would end the
/// `UPDATE` and start a statement of its own.
pub(super) fn same_block(backfill: &Change) -> Result<(), String> {
    let Change::Backfill {
        table,
        column,
        column_existed,
        ..
    } = backfill
    else {
        return Ok(());
    };
    let reference = Change::Backfill {
        table: table.clone(),
        column: column.clone(),
        expression: Expr::new("NULL"),
        column_existed: *column_existed,
    };
    let read = |change: &Change| -> Option<(Value, Vec<String>)> {
        let sql = render::statements(change).into_iter().next()?;
        let mut block = grammar::do_block(&sql)?;
        let mut statements = Vec::new();
        grammar::take_block_statements(&mut block, &mut statements);
        Some((block, statements))
    };
    let (expected, written) = read(&reference).expect("the backfill block parses");
    let Some((found, run)) = read(backfill) else {
        return Err("the SQL written for it is no block PostgreSQL reads".into());
    };
    if run.len() != written.len() || found != expected {
        let extra = run
            .iter()
            .zip(written.iter().map(Some).chain(std::iter::repeat(None)))
            .find(|(r, w)| w.is_none_or(|w| grammar::head(r) != grammar::head(w)))
            .map(|(r, _)| format!(" (the first not written is {})", grammar::head(r)))
            .unwrap_or_default();
        return Err(format!(
            "the block written for it runs {} statements where {} were written{extra}",
            run.len(),
            written.len()
        ));
    }
    for statement in &run {
        if let Err(found) = one_statement(statement) {
            return Err(format!(
                "a statement of the block written for it is {found}"
            ));
        }
    }
    Ok(())
}
