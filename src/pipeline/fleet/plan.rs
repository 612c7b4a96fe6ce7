//! `fleet plan`: every target read in parallel, then planned with as little shadow work as the
//! fleet's variety needs. Targets whose schemas are the same (one fingerprint, one server
//! major version, one set of managed schemas) share one printing of the desired state in the
//! shadow and one rehearsal; each still gets a plan of its own from the pure planner, with its
//! own history's facts, so every target's plan is the one `schemaplan plan` would make for it
//! alone. Plans are then grouped by content (steps and warnings, not ids), and the targets
//! whose schema differs from the most common one are named with what differs.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::sync::atomic::AtomicBool;

use crate::error::Error;
use crate::model::Catalog;
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

use super::tenants;
use super::{FleetTarget, Shadows, each_parallel};
use crate::plan::tenant::Rename;

/// The plans of a fleet.
pub struct FleetPlan {
    pub targets: Vec<FleetTarget>,
    /// Per target, in order: its plan, or why it has none.
    pub outcomes: Vec<Outcome>,
    /// Targets by plan content, the largest group first (ties: the first target's order).
    pub groups: Vec<Group>,
    /// Targets whose schema differs from the one most targets of their kind have (databases
    /// of one version and managed schemas; tenants of one template), with what differs (in
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

/// How long a target's catalog read may wait for a lock (a view's definition is read under
/// ACCESS SHARE on its tables).
const READ_LOCK_TIMEOUT: &str = "SET lock_timeout = '30s'";

/// A target as read, before it is planned.
struct Read<'d> {
    current: Introspection,
    schemas: Vec<String>,
    /// The desired state in its schemas, fitted to its version.
    written: Cow<'d, Catalog>,
    /// A tenant's own desired state (the template's, renamed); `None`: the fleet's.
    desired: Option<Desired>,
    facts: Facts,
    /// Its objects' fingerprints, a tenant's in its template's terms (so that tenants of one
    /// schema compare equal).
    objects: Objects,
    major: u32,
}

/// The key of a plan's content: what it does, not which schema it was made from.
pub fn content_key(plan: &Plan) -> String {
    key_of(serde_json::to_value((&plan.steps, &plan.warnings)).expect("plans serialize"))
}

/// The hash of a plan's content as a JSON value (one serialization for both kinds of key, so
/// that a database's plan and a tenant's plan of the same steps have the same key).
fn key_of(value: serde_json::Value) -> String {
    sha256_hex(value.to_string().as_bytes())[..16].to_string()
}

/// The key of a tenant's plan in its template's terms: tenants whose plans do the same to
/// their own schemas share it.
pub fn content_key_as(plan: &Plan, rename: Rename<'_>) -> String {
    fn walk(v: &mut serde_json::Value, rename: Rename<'_>) {
        match v {
            serde_json::Value::String(s) => {
                *s = crate::sqltext::reprint::rename_schema(s, rename.from, rename.to)
            }
            serde_json::Value::Array(a) => a.iter_mut().for_each(|x| walk(x, rename)),
            serde_json::Value::Object(o) => {
                for (k, x) in o.iter_mut() {
                    // A relation's schema, on its own (the steps' lock lists).
                    if k == "schema" && x.as_str() == Some(rename.from) {
                        *x = serde_json::Value::String(rename.to.to_string());
                    } else {
                        walk(x, rename);
                    }
                }
            }
            _ => {}
        }
    }
    let mut value = serde_json::to_value((&plan.steps, &plan.warnings)).expect("plans serialize");
    walk(&mut value, rename);
    key_of(value)
}

/// The template's desired state printed by the shadow, whole (it is a tenant's schema: small),
/// for every tenant of that template and version.
fn print_template(
    desired: &Desired,
    template: &str,
    major: u32,
    shadow: &dyn Shadow,
    options: &PlanOptions,
) -> Result<crate::pg::shadow::Normalized, Error> {
    let schemas = vec![template.to_string()];
    let mut written = crate::pipeline::in_scope(&desired.catalog, &schemas).into_owned();
    crate::plan::versions::fit(&mut written, major);
    let whole = PlanOptions {
        full_shadow: true,
        ..options.clone()
    };
    let none = Introspection::default();
    print_desired(
        &none,
        &written,
        desired,
        &schemas,
        shadow,
        &whole,
        &mut Silent,
    )
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
                // A tenant's schema in its template's terms.
                let schemas = match &targets[i].tenant {
                    Some(t) => vec![t.template.clone()],
                    None => read.schemas.clone(),
                };
                kinds.entry((read.major, schemas, fp)).or_default().push(i);
                read_of.insert(i, read);
                outcomes.push(Outcome::Failed(String::new()));
            }
            Err(outcome) => outcomes.push(outcome),
        }
    }
    let mut shadow_runs = 0;
    let mut rehearsals = 0;
    // The most common schema among targets of one version and managed schemas (databases
    // with databases, a template's tenants with each other), against which the others of
    // those are said to have drifted.
    let mut common: BTreeMap<(u32, &Vec<String>), &Vec<usize>> = BTreeMap::new();
    for ((major, schemas, _), members) in &kinds {
        let best = common.entry((*major, schemas)).or_insert(members);
        if (members.len(), std::cmp::Reverse(members[0])) > (best.len(), std::cmp::Reverse(best[0]))
        {
            *best = members;
        }
    }
    let mut drifted = Vec::new();
    for ((major, schemas, _), members) in &kinds {
        let server = shadows.for_major(*major)?;
        let shadow: &dyn Shadow = &*server;
        let first = &read_of[&members[0]];
        let c = common[&(*major, schemas)][0];
        if !members.contains(&c) {
            let changes = fingerprint::drift(&read_of[&c].objects, &first.objects);
            // A tenant's changes in its own schema's terms.
            drifted.extend(members.iter().map(|&m| {
                match &targets[m].tenant {
                    Some(t) => (
                        m,
                        (changes.iter())
                            .map(|c| {
                                crate::sqltext::reprint::rename_schema(c, &t.template, &t.schema)
                            })
                            .collect(),
                    ),
                    None => (m, changes.clone()),
                }
            }));
        }
        let tenant = targets[members[0]].tenant.as_ref();
        let printed = match tenant {
            None => print_desired(
                &first.current,
                &first.written,
                desired,
                schemas,
                shadow,
                options,
                &mut Silent,
            ),
            Some(t) => print_template(desired, &t.template, *major, shadow, options),
        };
        let printed = match printed {
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
            let printed_here = match &targets[m].tenant {
                Some(t) => Rename {
                    from: &t.template,
                    to: &t.schema,
                }
                .catalog(printed.introspection.catalog.clone()),
                None => printed.introspection.catalog.clone(),
            };
            let built = match build_plan(
                &read.current,
                &read.written,
                printed_here,
                printed.warnings.clone(),
                read.desired.as_ref().unwrap_or(desired),
                &read.facts,
                &read.schemas,
                options,
            ) {
                Ok(b) => b,
                Err(e) => {
                    outcomes[m] = Outcome::Failed(e.to_string());
                    continue;
                }
            };
            let key = match &targets[m].tenant {
                Some(t) => content_key_as(
                    &built.plan,
                    Rename {
                        from: &t.schema,
                        to: &t.template,
                    },
                ),
                None => content_key(&built.plan),
            };
            if !rehearsed.contains_key(&key) {
                let verdict = if options.rehearse && !built.plan.is_empty() {
                    rehearsals += 1;
                    match rehearse_plan(
                        &built.plan,
                        &read.current,
                        &built.desired,
                        &read.schemas,
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
                schemas: read.schemas.clone(),
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
fn read_one<'d>(
    t: &FleetTarget,
    desired: &'d Desired,
    options: &PlanOptions,
) -> Result<Read<'d>, Outcome> {
    let unreachable = |e: Error| Outcome::Unreachable(e.to_string());
    let failed = |e: Error| Outcome::Failed(e.to_string());
    let mut client = db::connect(&t.target)
        .map_err(|e| unreachable(e.into()))?
        .client;
    // Reading a view's definition waits behind an ACCESS EXCLUSIVE lock on its tables: one
    // target held that way fails after a while rather than holding up the whole fleet.
    (client.batch_execute(READ_LOCK_TIMEOUT)).map_err(|source| {
        failed(Error::Db(crate::pg::db::DbError::Query {
            what: "setting lock_timeout".into(),
            target: t.target.label().to_string(),
            source,
        }))
    })?;
    let own = t.tenant.as_ref().map(|tenant| {
        let options = PlanOptions {
            schemas: vec![tenant.schema.clone()],
            ..options.clone()
        };
        (tenants::desired_for(desired, tenant), options)
    });
    let (desired_here, options) = match &own {
        Some((d, o)) => (d, o),
        None => (desired, options),
    };
    let read = read_target(&mut client, options, &mut Silent).map_err(unreachable)?;
    if let Some(tenant) = &t.tenant {
        tenants::check_template(desired, &tenant.template).map_err(Outcome::Failed)?;
    }
    let prepared =
        prepare(&mut client, read, desired_here, options, &mut Silent).map_err(failed)?;
    if let Some(why) = unfinished_run(&mut client, &prepared.schemas).map_err(failed)? {
        return Err(Outcome::Failed(why));
    }
    let facts = target_facts(&mut client, &prepared.current, options).map_err(failed)?;
    let objects = match &t.tenant {
        Some(tenant) => {
            let back = Rename {
                from: &tenant.schema,
                to: &tenant.template,
            };
            fingerprint::objects(&back.catalog(prepared.current.catalog.clone()))
        }
        None => fingerprint::objects(&prepared.current.catalog),
    };
    let major = (prepared.current.server_version / 10000).max(0) as u32;
    let written = match &own {
        Some(_) => Cow::Owned(prepared.written.into_owned()),
        // Borrowed from the fleet's desired state, never copied per target.
        None => match prepared.written {
            Cow::Borrowed(_) => Cow::Borrowed(&desired.catalog),
            Cow::Owned(c) => Cow::Owned(c),
        },
    };
    Ok(Read {
        written,
        schemas: prepared.schemas,
        current: prepared.current,
        desired: own.map(|(d, _)| d),
        facts,
        objects,
        major,
    })
}

/// A run of this target's schemas that began and did not finish: it must be finished (or
/// undone) before a new plan. Read only: `apply` settles a run that completed every step.
fn unfinished_run(
    client: &mut postgres::Client,
    schemas: &[String],
) -> Result<Option<String>, Error> {
    if !history::exists(client)? {
        return Ok(None);
    }
    let Some(m) = history::unfinished(client)? else {
        return Ok(None);
    };
    let begun = m.steps_completed > 0 && m.steps_completed < m.steps_total;
    Ok((begun && m.schemas == schemas).then(|| {
        format!(
            "run #{} (plan {}) did not finish ({} of {} steps): finish it with `schemaplan \
             apply` or undo it with `schemaplan rollback` first",
            m.id, m.plan_id, m.steps_completed, m.steps_total
        )
    }))
}
