//! `fleet plan`: every target read in parallel, then planned with as little shadow work as the
//! fleet's variety needs. Targets whose schemas are the same (one fingerprint, one server
//! major version, one set of managed schemas) share one printing of the desired state in the
//! shadow and one rehearsal; each still gets a plan of its own from the pure planner, with its
//! own history's facts, so every target's plan is the one `schemaplan plan` would make for it
//! alone. Plans are then grouped by content (steps and warnings, not ids), and the targets
//! whose schema differs from the most common one are named with what differs.

use std::collections::BTreeMap;
use std::sync::atomic::AtomicBool;

use crate::error::Error;
use crate::pg::db;
use crate::pg::history;
use crate::pg::introspect::Introspection;
use crate::pipeline::{
    PlanOptions, Shadow, Silent, build_plan, prepare, print_desired, read_target, rehearse_plan,
    target_facts,
};
use crate::plan::build::Facts;
use crate::plan::fingerprint::{self, Objects};
use crate::plan::steps::{Plan, SavedPlan, SavedRehearsal};
use crate::stdx::sha256_hex;
use crate::yaml::Desired;

use super::{FleetTarget, Shadows, each_parallel};

/// The plans of a fleet.
pub struct FleetPlan {
    pub targets: Vec<FleetTarget>,
    /// Per target, in order: its plan, or why it has none.
    pub outcomes: Vec<Outcome>,
    /// Targets by plan content, the largest group first (ties: the first target's order).
    pub groups: Vec<Group>,
    /// Targets whose schema differs from the one most targets have, with what differs (in
    /// `fingerprint::drift`'s words: from the common schema to theirs).
    pub drifted: Vec<(usize, Vec<String>)>,
    /// How many times the shadow printed the desired state, and rehearsed a plan.
    pub shadow_runs: usize,
    pub rehearsals: usize,
}

/// What planning one target gave.
#[derive(Clone, Debug)]
pub enum Outcome {
    /// Its plan, saved as `plan --out` would (what `fleet apply` runs and checks drift with),
    /// and the key of its plan's content.
    Planned { saved: Box<SavedPlan>, key: String },
    /// It could not be reached or read.
    Unreachable(String),
    /// Read, but not planned: an unfinished run of its own, or a desired state it refuses.
    Failed(String),
}

/// Targets with one plan.
pub struct Group {
    pub key: String,
    pub members: Vec<usize>,
}

impl FleetPlan {
    /// The saved plan of target `i`, if it has one.
    pub fn saved(&self, i: usize) -> Option<&SavedPlan> {
        match &self.outcomes[i] {
            Outcome::Planned { saved, .. } => Some(saved),
            _ => None,
        }
    }

    /// The plan of a group (its first member's).
    pub fn group_plan(&self, group: &Group) -> &SavedPlan {
        self.saved(group.members[0])
            .expect("groups hold planned targets")
    }

    /// Whether any target has steps to run (or could not be planned).
    pub fn pending(&self) -> bool {
        self.outcomes.iter().any(|o| match o {
            Outcome::Planned { saved, .. } => !saved.plan.is_empty(),
            _ => true,
        })
    }
}

/// A target as read, before it is planned.
struct Read {
    current: Introspection,
    schemas: Vec<String>,
    /// The desired state in its schemas, fitted to its version.
    written: crate::model::Catalog,
    facts: Facts,
    objects: Objects,
    major: u32,
}

/// The key of a plan's content: what it does, not which schema it was made from.
pub fn content_key(plan: &Plan) -> String {
    let text = serde_json::to_string(&(&plan.steps, &plan.warnings)).expect("plans serialize");
    sha256_hex(text.as_bytes())[..16].to_string()
}

/// Plans every target; `concurrency` bounds the targets read at once.
pub fn plan(
    targets: Vec<FleetTarget>,
    desired: &Desired,
    shadows: &dyn Shadows,
    options: &PlanOptions,
    concurrency: usize,
) -> Result<FleetPlan, Error> {
    let never = AtomicBool::new(false);
    let reads = each_parallel(&targets, concurrency, &never, |t| {
        read_one(t, desired, options)
    });
    let mut outcomes: Vec<Outcome> = Vec::with_capacity(targets.len());
    // (major, schemas, fingerprint) → the targets of that schema, in order.
    let mut kinds: BTreeMap<(u32, Vec<String>, String), Vec<usize>> = BTreeMap::new();
    let mut read_of: BTreeMap<usize, Read> = BTreeMap::new();
    for (i, r) in reads.into_iter().enumerate() {
        match r.expect("nothing stops the reads") {
            Ok(read) => {
                let fp = fingerprint::fingerprint(&read.objects);
                kinds
                    .entry((read.major, read.schemas.clone(), fp))
                    .or_default()
                    .push(i);
                read_of.insert(i, read);
                outcomes.push(Outcome::Failed(String::new()));
            }
            Err(outcome) => outcomes.push(outcome),
        }
    }
    let mut shadow_runs = 0;
    let mut rehearsals = 0;
    // The most common schema, against which the others are said to have drifted.
    let common = kinds
        .values()
        .max_by_key(|members| (members.len(), std::cmp::Reverse(members[0])))
        .map(|m| m[0]);
    let mut drifted = Vec::new();
    for ((major, schemas, _), members) in &kinds {
        let server = shadows.for_major(*major)?;
        let shadow: &dyn Shadow = &*server;
        let first = &read_of[&members[0]];
        if let Some(c) = common.filter(|&c| !members.contains(&c)) {
            let changes = fingerprint::drift(&read_of[&c].objects, &first.objects);
            drifted.extend(members.iter().map(|&m| (m, changes.clone())));
        }
        let printed = match print_desired(
            &first.current,
            &first.written,
            desired,
            schemas,
            shadow,
            options,
            &mut Silent,
        ) {
            Ok(p) => p,
            Err(e) => {
                for &m in members {
                    outcomes[m] = Outcome::Failed(e.to_string());
                }
                continue;
            }
        };
        shadow_runs += 1;
        // Each member planned on its own facts; the rehearsal of a plan is shared by the
        // members whose plan has the same content.
        let mut rehearsed: BTreeMap<String, Option<SavedRehearsal>> = BTreeMap::new();
        for &m in members {
            let read = &read_of[&m];
            let built = match build_plan(
                &read.current,
                &read.written,
                printed.introspection.catalog.clone(),
                printed.warnings.clone(),
                desired,
                &read.facts,
                schemas,
                options,
            ) {
                Ok(b) => b,
                Err(e) => {
                    outcomes[m] = Outcome::Failed(e.to_string());
                    continue;
                }
            };
            let key = content_key(&built.plan);
            if !rehearsed.contains_key(&key) {
                let verdict = if options.rehearse && !built.plan.is_empty() {
                    rehearsals += 1;
                    match rehearse_plan(
                        &built.plan,
                        &read.current,
                        &built.desired,
                        schemas,
                        shadow,
                        options,
                        None,
                        &mut Silent,
                    ) {
                        Ok(r) => Some(SavedRehearsal {
                            passed: r.passed(),
                            summary: r.summary(&built.plan),
                        }),
                        Err(e) => {
                            outcomes[m] = Outcome::Failed(format!("rehearsal: {e}"));
                            continue;
                        }
                    }
                } else {
                    None
                };
                rehearsed.insert(key.clone(), verdict);
            }
            let saved = SavedPlan {
                format: SavedPlan::FORMAT,
                tool_version: env!("CARGO_PKG_VERSION").to_string(),
                schemas: schemas.clone(),
                objects: fingerprint::keep(&built.objects, &built.plan.touched()),
                rehearsal: rehearsed[&key].clone(),
                plan: built.plan,
            };
            outcomes[m] = Outcome::Planned {
                saved: Box::new(saved),
                key,
            };
        }
    }
    drifted.sort_by_key(|(i, _)| *i);
    let groups = group(&outcomes);
    Ok(FleetPlan {
        targets,
        outcomes,
        groups,
        drifted,
        shadow_runs,
        rehearsals,
    })
}

/// Targets by plan content, the largest group first.
fn group(outcomes: &[Outcome]) -> Vec<Group> {
    let mut by_key: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (i, o) in outcomes.iter().enumerate() {
        if let Outcome::Planned { key, .. } = o {
            by_key.entry(key).or_default().push(i);
        }
    }
    let mut groups: Vec<Group> = by_key
        .into_iter()
        .map(|(key, members)| Group {
            key: key.to_string(),
            members,
        })
        .collect();
    groups.sort_by_key(|g| (std::cmp::Reverse(g.members.len()), g.members[0]));
    groups
}

/// Connects to one target and reads what planning it needs; the connection is closed after.
fn read_one(t: &FleetTarget, desired: &Desired, options: &PlanOptions) -> Result<Read, Outcome> {
    let unreachable = |e: Error| Outcome::Unreachable(e.to_string());
    let failed = |e: Error| Outcome::Failed(e.to_string());
    let mut client = db::connect(&t.target)
        .map_err(|e| unreachable(e.into()))?
        .client;
    let read = read_target(&mut client, options, &mut Silent).map_err(unreachable)?;
    let prepared = prepare(&mut client, read, desired, options, &mut Silent).map_err(failed)?;
    // Read only: `apply` settles a run that completed every step before planning.
    let has_history = history::exists(&mut client).map_err(|e| failed(e.into()))?;
    if has_history {
        if let Some(m) = history::unfinished(&mut client).map_err(|e| failed(e.into()))? {
            if m.steps_completed < m.steps_total {
                return Err(Outcome::Failed(format!(
                    "run #{} (plan {}) did not finish ({} of {} steps): finish it with \
                     `schemaplan apply` or undo it with `schemaplan rollback` first",
                    m.id, m.plan_id, m.steps_completed, m.steps_total
                )));
            }
        }
    }
    let facts = target_facts(&mut client, &prepared.current, options).map_err(failed)?;
    let objects = fingerprint::objects(&prepared.current.catalog);
    let major = (prepared.current.server_version / 10000).max(0) as u32;
    Ok(Read {
        written: prepared.written.into_owned(),
        schemas: prepared.schemas,
        current: prepared.current,
        facts,
        objects,
        major,
    })
}
