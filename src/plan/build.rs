//! The pure planner: from the current model, the desired state and the facts read from the
//! target beforehand, to a `Plan`. Everything that needs PostgreSQL (the target's catalog and
//! history, the shadow database's printed forms) is read before `build` and passed in, so the
//! planner can be run and tested without a server.

use std::collections::{BTreeMap, BTreeSet};

use crate::model::hints::{Backfills, Conversions, Renames};
use crate::model::hook::{Hook, Recorded};
use crate::model::warning::Warning;
use crate::model::{Casts, Catalog};
use crate::plan::change::{Change, Using};
use crate::plan::classify::{Hazard, Phase};
use crate::plan::fingerprint::{self, Objects};
use crate::plan::graph::{self, CycleError};
use crate::plan::hook::{self, HookProblem};
use crate::plan::steps::Plan;
use crate::plan::{backup, diff, online, rename, security};

/// The desired state as the planner sees it.
pub struct DesiredState<'a> {
    /// As written (YAML), restricted to the managed schemas.
    pub written: &'a Catalog,
    /// As the shadow database printed it back: the form compared with the target's.
    pub printed: Catalog,
    /// What the shadow found worth a warning while printing it.
    pub printed_warnings: Vec<Warning>,
    /// Every schema the desired state defines objects in, managed or not.
    pub declared_schemas: BTreeSet<String>,
    /// `renamed_from` hints.
    pub renames: &'a Renames,
    /// `backfill:` of columns.
    pub backfills: &'a Backfills,
    pub conversions: &'a Conversions,
    /// Data hooks, in the order they were written.
    pub hooks: &'a [Hook],
    /// SHA-256 of the desired state's files.
    pub digest: &'a str,
}

/// What was read from the target besides its catalog.
#[derive(Clone, Debug, Default)]
pub struct Facts {
    /// Casts PostgreSQL applies on assignment.
    pub casts: Casts,
    /// Objects of kinds schemaplan does not manage, described for warnings.
    pub unsupported: Vec<String>,
    /// Names already taken in the backup schema (copies kept by earlier plans).
    pub backup_names: BTreeSet<String>,
    /// What the history says of each hook, by name and hash of its `up`.
    pub recorded_hooks: BTreeMap<(String, String), Recorded>,
}

/// How to plan.
#[derive(Clone, Debug, Default)]
pub struct BuildOptions {
    /// The managed schemas.
    pub schemas: Vec<String>,
    /// Drop data without keeping a copy (those steps are irreversible).
    pub no_backup: bool,
}

/// A plan and what it was made from.
pub struct Built {
    pub plan: Plan,
    /// The desired model compared (printed, with what YAML pins carried over).
    pub desired: Catalog,
    /// The fingerprint of every current object (what a saved plan checks for drift).
    pub objects: Objects,
}

#[derive(Debug, thiserror::Error)]
pub enum BuildError {
    /// Hooks that cannot run on this database.
    #[error("{} hook(s) cannot be planned", .0.len())]
    Hooks(Vec<HookProblem>),
    #[error(transparent)]
    Cycle(#[from] CycleError),
}

/// The plan's id: the same schema, desired state and options give the same id.
pub fn plan_id(
    fingerprint: &str,
    desired_digest: &str,
    schemas: &[String],
    no_backup: bool,
) -> String {
    let text = format!(
        "{fingerprint}\n{desired_digest}\n{}\n{no_backup}",
        schemas.join("\u{1f}")
    );
    crate::stdx::sha256_hex(text.as_bytes())[..12].to_string()
}

/// Plans the way from `current` to `desired`. Warnings come in a fixed order: schemas left out,
/// renames, the shadow's, the diff's, unmanaged kinds, hooks.
pub fn build(
    current: &Catalog,
    desired: DesiredState<'_>,
    facts: &Facts,
    options: &BuildOptions,
) -> Result<Built, BuildError> {
    let mut warnings = left_out_schemas(&desired.declared_schemas, &options.schemas);
    let mut printed = desired.printed;
    diff::settle_extensions(&mut printed, desired.written, current);
    diff::settle_partition_index_names(&mut printed, desired.written);
    diff::settle_not_null_names(&mut printed, desired.written);
    security::settle(&mut printed, desired.written);
    // The comparison sees the current objects as they will look after extensions move, and
    // after the renames the desired state asks for.
    // Copied only to be rewritten: a whole second model of a large schema otherwise.
    let mut compared = std::borrow::Cow::Borrowed(current);
    let mut renames = rename::Followed::default();
    if !desired.renames.is_empty() || diff::moved_extensions(current, &printed).next().is_some() {
        let rewritten = compared.to_mut();
        diff::follow_moved_extensions(rewritten, &printed);
        renames = rename::follow(rewritten, &printed, desired.renames);
    }
    let compared: &Catalog = &compared;
    warnings.extend(renames.warnings);
    // Both read the models only, and each takes a large schema a good part of a second: the
    // fingerprint is made on another core meanwhile.
    let (objects, mut out) = std::thread::scope(|scope| {
        let objects = scope.spawn(|| fingerprint::objects(current));
        let out = diff::diff(compared, &printed, &facts.casts);
        (objects.join().expect("fingerprinting does not panic"), out)
    });
    let fingerprint = fingerprint::fingerprint(&objects);
    let id = plan_id(
        &fingerprint,
        desired.digest,
        &options.schemas,
        options.no_backup,
    );
    convert_as_written(&mut out.changes, desired.conversions);
    // Said first: the plan's most surprising news.
    let unnamed = emptied_unnamed_schemas(&out.changes, &desired.declared_schemas);
    warnings.splice(0..0, unnamed);
    let changes = if options.no_backup {
        out.changes
    } else {
        backup::keep(out.changes, compared, &printed, &id, &facts.backup_names)
    };
    warnings.extend(desired.printed_warnings);
    warnings.extend(diff::without_backfilled(out.warnings, desired.backfills));
    warnings.extend(facts.unsupported.iter().map(|what| Warning {
        object: what.clone(),
        message: "not managed by schemaplan (yet): left as it is".into(),
    }));
    let online = online::techniques(changes, compared, &printed, desired.backfills);
    let mut changes = online.changes;
    let mut sequence = online.sequence;
    let first_rename = changes.len();
    changes.extend(renames.changes);
    sequence.extend(rename::edges(&changes, first_rename));
    // Data hooks not yet run on this database.
    let (hooks, hook_warnings) =
        hook::pending(desired.hooks, compared, &printed, &facts.recorded_hooks)
            .map_err(BuildError::Hooks)?;
    warnings.extend(hook_warnings);
    changes.extend(hooks.into_iter().map(|hook| Change::RunHook { hook }));
    sequence.extend(hook::edges(&changes));
    let ordered = graph::order_explained(changes, &sequence, compared, &printed)?;
    warnings.extend(hooks_moved(&ordered));
    let unnamed = unnamed_schema_drops(&ordered.changes, &desired.declared_schemas);
    let mut plan = Plan::new(ordered.changes, warnings, compared, &printed);
    for i in unnamed {
        plan.steps[i].hazards.push(Hazard::UnnamedSchema);
        plan.steps[i].hazards.sort();
    }
    plan.id = id;
    plan.desired_digest = desired.digest.to_string();
    plan.fingerprint = fingerprint;
    Ok(Built {
        plan,
        desired: printed,
        objects,
    })
}

/// A data hook a dependency moved out of the backfill phase does not run with
/// `apply --phase backfill`: the plan says so, and which step holds it back.
fn hooks_moved(ordered: &graph::Ordered) -> Vec<Warning> {
    (ordered.pushed.iter())
        .filter_map(|p| match &ordered.changes[p.index] {
            (Change::RunHook { hook }, phase) => Some(Warning {
                object: format!("hook {}", hook.name),
                message: format!(
                    "runs in the {phase} phase, not {}: it must follow {}, a {phase} step; \
                     `apply --phase {}` does not run it",
                    p.own, p.after, p.own
                ),
            }),
            _ => None,
        })
        .collect()
}

/// A schema the desired state never names whose tables the plan drops: managing the whole
/// database, schemaplan takes a schema left out of the desired state for one to empty; a
/// desired state written for one schema (or an empty file) would empty all the others. The
/// plan says so first, with the way to manage only the schemas named.
fn emptied_unnamed_schemas(changes: &[Change], declared: &BTreeSet<String>) -> Vec<Warning> {
    let mut dropped: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    for change in changes {
        if let Change::DropTable { name, .. } = change {
            if !declared.contains(&name.schema) {
                dropped
                    .entry(&name.schema)
                    .or_default()
                    .push(name.to_string());
            }
        }
    }
    let named: Vec<&str> = declared.iter().map(String::as_str).collect();
    dropped
        .into_iter()
        .map(|(schema, tables)| {
            const SHOWN: usize = 5;
            let mut list = tables[..tables.len().min(SHOWN)].join(", ");
            if tables.len() > SHOWN {
                list.push_str(&format!(" and {} more", tables.len() - SHOWN));
            }
            let manage_named = if named.is_empty() {
                "the desired state names no schema".to_string()
            } else {
                format!(
                    "`--schema {}` manages only the schemas the desired state names",
                    named.join(" --schema ")
                )
            };
            Warning {
                object: schema.to_string(),
                message: format!(
                    "this schema is not in the desired state, so its {} table{} {} dropped \
                     ({list}): {manage_named}; naming it (`schemas: {{{schema}: {{}}}}`) says \
                     it is meant to be emptied; until then apply refuses these drops \
                     (hazard UnnamedSchema)",
                    tables.len(),
                    if tables.len() == 1 { "" } else { "s" },
                    if tables.len() == 1 { "is" } else { "are" },
                ),
            }
        })
        .collect()
}

/// The steps that drop a table of a schema the desired state never names, which are gated.
fn unnamed_schema_drops(ordered: &[(Change, Phase)], declared: &BTreeSet<String>) -> Vec<usize> {
    (ordered.iter().enumerate())
        .filter(|(_, (change, _))| {
            matches!(change, Change::DropTable { name, .. } if !declared.contains(&name.schema))
        })
        .map(|(i, _)| i)
        .collect()
}

/// Schemas the desired state defines objects in that `--schema` leaves out.
/// A column's `using:` converts its values when its type changes, in place of the cast the diff
/// chose (and back with its `down`, if given). A hint on a column whose type stays says nothing.
fn convert_as_written(changes: &mut [Change], conversions: &Conversions) {
    for change in changes {
        if let Change::AlterColumn {
            table,
            from,
            to,
            using,
            using_reverse,
            ..
        } = change
        {
            let hint = conversions.get(&(table.clone(), to.name.clone()));
            if let Some(c) = hint.filter(|_| from.data_type != to.data_type) {
                *using = Using::Expr(c.up.clone());
                *using_reverse = match &c.down {
                    Some(down) => Using::Expr(down.clone()),
                    None => Using::Unknown,
                };
            }
        }
    }
}

fn left_out_schemas(declared: &BTreeSet<String>, managed: &[String]) -> Vec<Warning> {
    declared
        .iter()
        .filter(|schema| !managed.contains(schema) && *schema != "public")
        .map(|schema| Warning {
            object: schema.clone(),
            message: "the desired state defines objects in this schema, but --schema leaves it out: they are ignored".into(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Column, QualName, Table};

    fn with_table(columns: &[(&str, &str)]) -> Catalog {
        let mut catalog = Catalog::default();
        let table = Table {
            columns: columns.iter().map(|(n, t)| Column::new(*n, *t)).collect(),
            ..Table::default()
        };
        catalog
            .tables
            .insert(QualName::new("public", "events"), table);
        catalog
    }

    fn plan(current: &Catalog, desired: &Catalog, facts: &Facts) -> Plan {
        let none = Default::default();
        let backfills = Default::default();
        build(
            current,
            DesiredState {
                written: desired,
                printed: desired.clone(),
                printed_warnings: Vec::new(),
                declared_schemas: desired.schema_names(),
                renames: &none,
                backfills: &backfills,
                conversions: &Default::default(),
                hooks: &[],
                digest: "digest",
            },
            facts,
            &BuildOptions {
                schemas: vec!["public".into()],
                no_backup: false,
            },
        )
        .expect("plans")
        .plan
    }

    #[test]
    fn plans_without_a_database_and_gives_the_same_plan_for_the_same_inputs() {
        let current = with_table(&[("id", "bigint")]);
        let desired = with_table(&[("id", "bigint"), ("title", "text")]);
        let facts = Facts::default();
        let first = plan(&current, &desired, &facts);
        let kinds: Vec<&str> = first.steps.iter().map(|s| s.kind.as_str()).collect();
        assert_eq!(kinds, ["add_column"]);
        assert_eq!(first.steps[0].object, "public.events.title");
        assert_eq!(first.to_json(), plan(&current, &desired, &facts).to_json());
        assert!(plan(&desired, &desired, &facts).is_empty());
    }

    #[test]
    fn a_dropped_column_is_kept_under_a_name_not_yet_taken_in_the_backup_schema() {
        let current = with_table(&[("id", "bigint"), ("title", "text")]);
        let desired = with_table(&[("id", "bigint")]);
        let backup_table = |plan: &Plan| {
            let up = plan.steps[0].up.join("\n");
            let start = up.find("schemaplan_backup.").expect("a copy") + 18;
            // A name that starts with a digit is quoted.
            up[start..]
                .trim_start_matches('"')
                .split(|c: char| !(c.is_alphanumeric() || c == '_'))
                .next()
                .unwrap()
                .to_string()
        };
        let free = plan(&current, &desired, &Facts::default());
        assert_eq!(free.steps[0].kind, "drop_column");
        let name = backup_table(&free);
        let taken = Facts {
            backup_names: [name.clone()].into(),
            ..Facts::default()
        };
        assert_ne!(backup_table(&plan(&current, &desired, &taken)), name);
    }
}
