//! A plan: ordered steps, each with its SQL, its reverse and what it touches (its
//! presentations are in `present`). Pure: no I/O.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::model::warning::Warning;
use crate::model::{Catalog, QualName};
use crate::plan::change::{Change, Reverse};
use crate::plan::classify::{self, Hazard, Locks, Phase};
use crate::plan::render;

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Plan {
    /// Made from the fingerprint of the schema planned from and the desired state's digest (and
    /// the options that shape the plan): the same inputs give the same id.
    pub id: String,
    /// SHA-256 of the desired state's files.
    pub desired_digest: String,
    /// The fingerprint of the managed schema the plan starts from (see `fingerprint`).
    pub fingerprint: String,
    pub steps: Vec<Step>,
    pub warnings: Vec<PlanWarning>,
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct PlanWarning {
    pub object: String,
    pub message: String,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Step {
    pub kind: String,
    pub object: String,
    /// `+` creates, `-` drops, `~` alters; and the kind of object, for the summary.
    pub sign: char,
    pub noun: String,
    pub up: Vec<String>,
    /// The SQL that undoes this step (empty when there is nothing to undo), or `None` when the
    /// step cannot be undone; `irreversible` then says why.
    pub down: Option<Vec<String>>,
    pub irreversible: Option<String>,
    pub transactional: bool,
    /// Whether the down SQL may run inside a transaction block.
    pub down_transactional: bool,
    /// The hazards of the down SQL (undoing an added column drops what was written to it).
    pub down_hazards: Vec<Hazard>,
    pub phase: Phase,
    pub hazards: Vec<Hazard>,
    /// Existing tables whose storage the step rewrites (predicted).
    pub rewrites: Vec<QualName>,
    /// The strongest lock taken on each existing relation (predicted; see `rehearse`).
    #[serde(with = "locks_as_list")]
    pub locks: Locks,
    /// The objects the step may change (see `Change::touches`).
    #[serde(default)]
    pub touches: Vec<String>,
    /// Whether the step commits together with the next one: a table and the view that takes
    /// its name (or the other way round), or a materialized view dropped and created again, so
    /// that no query finds the name missing in between.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub commit_with_next: bool,
    /// The data hook the step runs (see `hookrun`); its `up` is then only its preview.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hook: Option<crate::model::hook::Hook>,
    /// For a step outside a transaction: the query that says its effect is in place, without
    /// which `apply` does not mark it completed (`render::verify`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub verify: Option<String>,
    /// The typed change, when the plan was made here (not when it was read from a file).
    #[serde(skip)]
    pub change: Option<Change>,
}

/// What one step did when it was rehearsed on a copy of the target.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Observation {
    /// Strongest lock per pre-existing relation; `None` when the step runs outside a
    /// transaction, where its locks cannot be read from inside.
    pub locks: Option<Locks>,
    /// Pre-existing tables whose storage was rewritten.
    pub rewritten: Vec<QualName>,
}

impl Observation {
    /// Whether the locks seen differ from what `step` predicts; `None` when they were not
    /// observed (a hook's, which are its SQL's own). `DETACH PARTITION … CONCURRENTLY` runs in
    /// several transactions: the rehearsal sees its first lock request wait and samples the
    /// locks of the later ones (which may be missed), so each lock seen must be predicted.
    pub fn locks_differ(&self, step: &Step) -> Option<bool> {
        let observed = self.locks.as_ref()?;
        let sampled = step.kind == "detach_partition" && !step.transactional;
        Some(if sampled {
            observed.is_empty()
                || (observed.iter()).any(|(q, m)| step.locks.get(q).is_none_or(|p| p < m))
        } else {
            *observed != step.locks
        })
    }
}

/// `ACCESS EXCLUSIVE on public.t, SHARE on public.u`, or `none`.
pub fn describe_locks(locks: &Locks) -> String {
    if locks.is_empty() {
        return "none".into();
    }
    locks
        .iter()
        .map(|(relation, mode)| format!("{mode} on {relation}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Locks as a list of `{relation: {schema, name}, mode}` (JSON keys must be strings).
mod locks_as_list {
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    use crate::model::QualName;
    use crate::plan::classify::{LockMode, Locks};

    #[derive(Serialize, Deserialize)]
    struct Entry {
        relation: QualName,
        mode: LockMode,
    }

    pub fn serialize<S: Serializer>(locks: &Locks, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(locks.iter().map(|(relation, mode)| Entry {
            relation: relation.clone(),
            mode: *mode,
        }))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Locks, D::Error> {
        let entries = Vec::<Entry>::deserialize(d)?;
        Ok(entries.into_iter().map(|e| (e.relation, e.mode)).collect())
    }
}

/// `SET NOT NULL` after an earlier step validated a CHECK (`c IS NOT NULL`) on the same table
/// reads no row: PostgreSQL proves the column from the check, so the step's ACCESS EXCLUSIVE
/// lock is brief (the online technique before PostgreSQL 18).
fn without_proved_scans(steps: &mut [Step]) {
    for i in 0..steps.len() {
        let Some(Change::AlterColumn {
            table, from, to, ..
        }) = &steps[i].change
        else {
            continue;
        };
        if from.not_null || !to.not_null {
            continue;
        }
        let proof = crate::plan::online::not_null_proof(&to.name);
        let proved = steps[..i].iter().any(|s| {
            matches!(&s.change, Some(Change::ValidateConstraint { table: t, constraint, .. })
                if t == table && matches!(&constraint.kind,
                    crate::model::ConstraintKind::Check { expression, .. } if expression.text == proof))
        });
        if proved {
            (steps[i].hazards)
                .retain(|h| !matches!(h, Hazard::ValidationScan | Hazard::LongAccessExclusiveLock));
        }
    }
}

/// Where a kind of object comes in the summary's reading order; a kind not listed comes after
/// these (and those after it by name).
pub fn noun_rank(noun: &str) -> usize {
    const ORDER: &[&str] = &[
        "schema",
        "extension",
        "enum",
        "sequence",
        "function",
        "procedure",
        "table",
        "column",
        "constraint",
        "index",
        "trigger",
        "view",
        "materialized view",
        "hook",
        "comment",
    ];
    ORDER.iter().position(|n| *n == noun).unwrap_or(ORDER.len())
}

impl Plan {
    /// Builds the plan from changes already in dependency order, between the `current` and the
    /// `desired` model.
    pub fn new(
        ordered: Vec<(Change, Phase)>,
        warnings: Vec<Warning>,
        current: &Catalog,
        desired: &Catalog,
    ) -> Plan {
        let steps = ordered
            .into_iter()
            .map(|(change, phase)| {
                let (down, down_transactional, down_hazards, irreversible) = match change.reverse()
                {
                    Reverse::Changes(changes) => {
                        // Going down, the desired state is where it starts from.
                        let mut hazards: Vec<Hazard> = changes
                            .iter()
                            .flat_map(|c| classify::hazards(c, desired, current))
                            .collect();
                        hazards.sort();
                        hazards.dedup();
                        (
                            Some(changes.iter().flat_map(render::statements).collect()),
                            changes.iter().all(Change::transactional),
                            hazards,
                            None,
                        )
                    }
                    Reverse::Irreversible { reason } => (None, true, Vec::new(), Some(reason)),
                };
                Step {
                    phase,
                    hazards: classify::hazards(&change, current, desired),
                    rewrites: classify::rewrites(&change, current),
                    locks: classify::locks(&change, current, desired),
                    kind: change.kind().to_string(),
                    object: change.object(),
                    sign: change.sign(),
                    noun: change.noun().to_string(),
                    up: render::statements(&change),
                    down,
                    irreversible,
                    transactional: change.transactional(),
                    down_transactional,
                    down_hazards,
                    touches: change.touches(),
                    commit_with_next: false,
                    hook: hook_run_by(&change).cloned(),
                    verify: render::verify(&change),
                    change: Some(change),
                }
            })
            .filter(|s| !s.up.is_empty())
            .collect::<Vec<Step>>();
        let mut steps = steps;
        without_proved_scans(&mut steps);
        for i in 1..steps.len() {
            let glued = match (&steps[i - 1].change, &steps[i].change) {
                (Some(before), Some(after)) => {
                    let handed_over = name_given_up(before);
                    handed_over.is_some() && handed_over == name_taken_over(after)
                }
                (None, _) | (_, None) => false,
            };
            if glued && steps[i - 1].transactional && steps[i].transactional {
                steps[i - 1].commit_with_next = true;
            }
        }
        Plan {
            id: String::new(),
            desired_digest: String::new(),
            fingerprint: String::new(),
            steps,
            warnings: warnings
                .into_iter()
                .map(|w| PlanWarning {
                    object: w.object,
                    message: w.message,
                })
                .collect(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.steps.is_empty()
    }

    /// `+ 3 tables  ~ 2 columns  - 1 index`
    pub fn summary(&self) -> String {
        // An object added and dropped again by the same plan (a helper check that proves NOT
        // NULL) is no change of the schema: none of its steps is counted.
        let temporary: std::collections::BTreeSet<(&str, &str)> = (self.steps.iter())
            .enumerate()
            .filter(|(_, s)| s.sign == '+')
            .filter(|(i, added)| {
                (self.steps[i + 1..].iter())
                    .any(|s| s.sign == '-' && s.noun == added.noun && s.object == added.object)
            })
            .map(|(_, s)| (s.noun.as_str(), s.object.as_str()))
            .collect();
        let mut counts: BTreeMap<(usize, usize, &str), usize> = BTreeMap::new();
        let counted = (self.steps.iter())
            .filter(|s| !temporary.contains(&(s.noun.as_str(), s.object.as_str())));
        for step in counted {
            let sign = match step.sign {
                '+' => 0,
                '~' => 1,
                _ => 2,
            };
            let rank = noun_rank(&step.noun);
            *counts.entry((sign, rank, &step.noun)).or_default() += 1;
        }
        counts
            .into_iter()
            .map(|((sign, _, noun), n)| {
                let word = if n == 1 {
                    noun.to_string()
                } else if noun.ends_with('x') {
                    format!("{noun}es")
                } else if let Some(stem) = noun.strip_suffix('y') {
                    format!("{stem}ies")
                } else {
                    format!("{noun}s")
                };
                format!("{} {n} {word}", ['+', '~', '-'][sign])
            })
            .collect::<Vec<_>>()
            .join("  ")
    }

    /// The objects any step may change.
    pub fn touched(&self) -> Vec<&str> {
        let mut out: Vec<&str> = (self.steps.iter())
            .flat_map(|s| s.touches.iter().map(String::as_str))
            .collect();
        out.sort_unstable();
        out.dedup();
        out
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).expect("a plan is always serializable")
    }
}

/// The data hook a change runs (see `hookrun`): only `RunHook`'s. Undoing a hook runs its
/// `down` SQL as plain statements.
fn hook_run_by(change: &Change) -> Option<&crate::model::hook::Hook> {
    match change {
        Change::RunHook { hook } => Some(hook),
        Change::CreateSchema { .. }
        | Change::DropSchema { .. }
        | Change::CreateExtension { .. }
        | Change::DropExtension { .. }
        | Change::AlterExtension { .. }
        | Change::CreateEnum { .. }
        | Change::DropEnum { .. }
        | Change::AddEnumValues { .. }
        | Change::RebuildEnum { .. }
        | Change::CreateSequence { .. }
        | Change::DropSequence { .. }
        | Change::AlterSequence { .. }
        | Change::SetSequenceOwner { .. }
        | Change::CreateTable { .. }
        | Change::DropTable { .. }
        | Change::AddColumn { .. }
        | Change::DropColumn { .. }
        | Change::AlterColumn { .. }
        | Change::AddConstraint { .. }
        | Change::DropConstraint { .. }
        | Change::ValidateConstraint { .. }
        | Change::NotNull { .. }
        | Change::AlterConstraint { .. }
        | Change::CreateIndex { .. }
        | Change::DropIndex { .. }
        | Change::Rename { .. }
        | Change::RenameIndex { .. }
        | Change::AddConstraintUsingIndex { .. }
        | Change::Backfill { .. }
        | Change::CreateView { .. }
        | Change::DropView { .. }
        | Change::ReplaceView { .. }
        | Change::CreateMaterializedView { .. }
        | Change::DropMaterializedView { .. }
        | Change::SetMaterializedViewOptions { .. }
        | Change::SetOptions { .. }
        | Change::SetPersistence { .. }
        | Change::SetComment { .. }
        | Change::CreateFunction { .. }
        | Change::DropFunction { .. }
        | Change::ReplaceFunction { .. }
        | Change::CreateAggregate { .. }
        | Change::DropAggregate { .. }
        | Change::ReplaceAggregate { .. }
        | Change::CreateTrigger { .. }
        | Change::DropTrigger { .. }
        | Change::ReplaceTrigger { .. }
        | Change::SetTriggerEnabled { .. }
        | Change::UndoHook { .. }
        | Change::Restore { .. }
        | Change::CreateDomain { .. }
        | Change::DropDomain { .. }
        | Change::RebuildDomain { .. }
        | Change::SetDomainDefault { .. }
        | Change::SetDomainNotNull { .. }
        | Change::AddDomainConstraint { .. }
        | Change::DropDomainConstraint { .. }
        | Change::ValidateDomainConstraint { .. }
        | Change::CreateCompositeType { .. }
        | Change::DropCompositeType { .. }
        | Change::CreateRangeType { .. }
        | Change::DropRangeType { .. }
        | Change::CreateCollation { .. }
        | Change::DropCollation { .. }
        | Change::AddAttribute { .. }
        | Change::DropAttribute { .. }
        | Change::AlterAttributeType { .. }
        | Change::CreatePolicy { .. }
        | Change::DropPolicy { .. }
        | Change::AlterPolicy { .. }
        | Change::SetRowSecurity { .. }
        | Change::SetReplicaIdentity { .. }
        | Change::SetInherit { .. }
        | Change::SetGrants { .. }
        | Change::SetOwner { .. }
        | Change::SetDefaultPrivileges { .. }
        | Change::AttachPartition { .. }
        | Change::DetachPartition { .. }
        | Change::CreateIndexOnly { .. }
        | Change::AttachIndex { .. }
        | Change::NameInheritedIndex { .. }
        | Change::DropPartitionedIndex { .. }
        | Change::CreateStatistics { .. }
        | Change::DropStatistics { .. }
        | Change::AlterStatistics { .. }
        | Change::CreateTsDictionary { .. }
        | Change::DropTsDictionary { .. }
        | Change::AlterTsDictionary { .. }
        | Change::CreateTsConfiguration { .. }
        | Change::DropTsConfiguration { .. }
        | Change::AlterTsConfiguration { .. }
        | Change::CreatePublication { .. }
        | Change::DropPublication { .. }
        | Change::AlterPublication { .. }
        | Change::AlterColumnSettings { .. } => None,
    }
}

/// What a relation's name is handed over to when one step drops the relation and the next
/// creates another under its name: the two then commit together, so that no query finds the
/// name missing in between.
#[derive(Debug, PartialEq, Eq)]
enum Successor {
    /// A table replaced by a view of its name.
    View,
    /// A view replaced by a table of its name.
    Table,
    /// A materialized view dropped and created again.
    MaterializedView,
}

/// The name a change gives up, and what may take it over in the same commit.
fn name_given_up(change: &Change) -> Option<(&QualName, Successor)> {
    match change {
        Change::DropTable { name, .. } => Some((name, Successor::View)),
        Change::DropView { name, .. } => Some((name, Successor::Table)),
        Change::DropMaterializedView { name, .. } => Some((name, Successor::MaterializedView)),
        Change::CreateSchema { .. }
        | Change::DropSchema { .. }
        | Change::CreateExtension { .. }
        | Change::DropExtension { .. }
        | Change::AlterExtension { .. }
        | Change::CreateEnum { .. }
        | Change::DropEnum { .. }
        | Change::AddEnumValues { .. }
        | Change::RebuildEnum { .. }
        | Change::CreateSequence { .. }
        | Change::DropSequence { .. }
        | Change::AlterSequence { .. }
        | Change::SetSequenceOwner { .. }
        | Change::CreateTable { .. }
        | Change::AddColumn { .. }
        | Change::DropColumn { .. }
        | Change::AlterColumn { .. }
        | Change::AddConstraint { .. }
        | Change::DropConstraint { .. }
        | Change::ValidateConstraint { .. }
        | Change::NotNull { .. }
        | Change::AlterConstraint { .. }
        | Change::CreateIndex { .. }
        | Change::DropIndex { .. }
        | Change::Rename { .. }
        | Change::RenameIndex { .. }
        | Change::AddConstraintUsingIndex { .. }
        | Change::Backfill { .. }
        | Change::CreateView { .. }
        | Change::ReplaceView { .. }
        | Change::CreateMaterializedView { .. }
        | Change::SetMaterializedViewOptions { .. }
        | Change::SetOptions { .. }
        | Change::SetPersistence { .. }
        | Change::SetComment { .. }
        | Change::CreateFunction { .. }
        | Change::DropFunction { .. }
        | Change::ReplaceFunction { .. }
        | Change::CreateAggregate { .. }
        | Change::DropAggregate { .. }
        | Change::ReplaceAggregate { .. }
        | Change::CreateTrigger { .. }
        | Change::DropTrigger { .. }
        | Change::ReplaceTrigger { .. }
        | Change::SetTriggerEnabled { .. }
        | Change::RunHook { .. }
        | Change::UndoHook { .. }
        | Change::Restore { .. }
        | Change::CreateDomain { .. }
        | Change::DropDomain { .. }
        | Change::RebuildDomain { .. }
        | Change::SetDomainDefault { .. }
        | Change::SetDomainNotNull { .. }
        | Change::AddDomainConstraint { .. }
        | Change::DropDomainConstraint { .. }
        | Change::ValidateDomainConstraint { .. }
        | Change::CreateCompositeType { .. }
        | Change::DropCompositeType { .. }
        | Change::CreateRangeType { .. }
        | Change::DropRangeType { .. }
        | Change::CreateCollation { .. }
        | Change::DropCollation { .. }
        | Change::AddAttribute { .. }
        | Change::DropAttribute { .. }
        | Change::AlterAttributeType { .. }
        | Change::CreatePolicy { .. }
        | Change::DropPolicy { .. }
        | Change::AlterPolicy { .. }
        | Change::SetRowSecurity { .. }
        | Change::SetReplicaIdentity { .. }
        | Change::SetInherit { .. }
        | Change::SetGrants { .. }
        | Change::SetOwner { .. }
        | Change::SetDefaultPrivileges { .. }
        | Change::AttachPartition { .. }
        | Change::DetachPartition { .. }
        | Change::CreateIndexOnly { .. }
        | Change::AttachIndex { .. }
        | Change::NameInheritedIndex { .. }
        | Change::DropPartitionedIndex { .. }
        | Change::CreateStatistics { .. }
        | Change::DropStatistics { .. }
        | Change::AlterStatistics { .. }
        | Change::CreateTsDictionary { .. }
        | Change::DropTsDictionary { .. }
        | Change::AlterTsDictionary { .. }
        | Change::CreateTsConfiguration { .. }
        | Change::DropTsConfiguration { .. }
        | Change::AlterTsConfiguration { .. }
        | Change::CreatePublication { .. }
        | Change::DropPublication { .. }
        | Change::AlterPublication { .. }
        | Change::AlterColumnSettings { .. } => None,
    }
}

/// The name a change takes over from the step before it, and as what.
fn name_taken_over(change: &Change) -> Option<(&QualName, Successor)> {
    match change {
        Change::CreateView { name, .. } => Some((name, Successor::View)),
        Change::CreateTable { name, .. } => Some((name, Successor::Table)),
        Change::CreateMaterializedView { name, .. } => Some((name, Successor::MaterializedView)),
        Change::CreateSchema { .. }
        | Change::DropSchema { .. }
        | Change::CreateExtension { .. }
        | Change::DropExtension { .. }
        | Change::AlterExtension { .. }
        | Change::CreateEnum { .. }
        | Change::DropEnum { .. }
        | Change::AddEnumValues { .. }
        | Change::RebuildEnum { .. }
        | Change::CreateSequence { .. }
        | Change::DropSequence { .. }
        | Change::AlterSequence { .. }
        | Change::SetSequenceOwner { .. }
        | Change::DropTable { .. }
        | Change::AddColumn { .. }
        | Change::DropColumn { .. }
        | Change::AlterColumn { .. }
        | Change::AddConstraint { .. }
        | Change::DropConstraint { .. }
        | Change::ValidateConstraint { .. }
        | Change::NotNull { .. }
        | Change::AlterConstraint { .. }
        | Change::CreateIndex { .. }
        | Change::DropIndex { .. }
        | Change::Rename { .. }
        | Change::RenameIndex { .. }
        | Change::AddConstraintUsingIndex { .. }
        | Change::Backfill { .. }
        | Change::DropView { .. }
        | Change::ReplaceView { .. }
        | Change::DropMaterializedView { .. }
        | Change::SetMaterializedViewOptions { .. }
        | Change::SetOptions { .. }
        | Change::SetPersistence { .. }
        | Change::SetComment { .. }
        | Change::CreateFunction { .. }
        | Change::DropFunction { .. }
        | Change::ReplaceFunction { .. }
        | Change::CreateAggregate { .. }
        | Change::DropAggregate { .. }
        | Change::ReplaceAggregate { .. }
        | Change::CreateTrigger { .. }
        | Change::DropTrigger { .. }
        | Change::ReplaceTrigger { .. }
        | Change::SetTriggerEnabled { .. }
        | Change::RunHook { .. }
        | Change::UndoHook { .. }
        | Change::Restore { .. }
        | Change::CreateDomain { .. }
        | Change::DropDomain { .. }
        | Change::RebuildDomain { .. }
        | Change::SetDomainDefault { .. }
        | Change::SetDomainNotNull { .. }
        | Change::AddDomainConstraint { .. }
        | Change::DropDomainConstraint { .. }
        | Change::ValidateDomainConstraint { .. }
        | Change::CreateCompositeType { .. }
        | Change::DropCompositeType { .. }
        | Change::CreateRangeType { .. }
        | Change::DropRangeType { .. }
        | Change::CreateCollation { .. }
        | Change::DropCollation { .. }
        | Change::AddAttribute { .. }
        | Change::DropAttribute { .. }
        | Change::AlterAttributeType { .. }
        | Change::CreatePolicy { .. }
        | Change::DropPolicy { .. }
        | Change::AlterPolicy { .. }
        | Change::SetRowSecurity { .. }
        | Change::SetReplicaIdentity { .. }
        | Change::SetInherit { .. }
        | Change::SetGrants { .. }
        | Change::SetOwner { .. }
        | Change::SetDefaultPrivileges { .. }
        | Change::AttachPartition { .. }
        | Change::DetachPartition { .. }
        | Change::CreateIndexOnly { .. }
        | Change::AttachIndex { .. }
        | Change::NameInheritedIndex { .. }
        | Change::DropPartitionedIndex { .. }
        | Change::CreateStatistics { .. }
        | Change::DropStatistics { .. }
        | Change::AlterStatistics { .. }
        | Change::CreateTsDictionary { .. }
        | Change::DropTsDictionary { .. }
        | Change::AlterTsDictionary { .. }
        | Change::CreateTsConfiguration { .. }
        | Change::DropTsConfiguration { .. }
        | Change::AlterTsConfiguration { .. }
        | Change::CreatePublication { .. }
        | Change::DropPublication { .. }
        | Change::AlterPublication { .. }
        | Change::AlterColumnSettings { .. } => None,
    }
}

/// A plan saved by `plan --out`, for `apply PLAN_FILE`: the exact steps, and what the schema
/// looked like when it was made, so that applying it later can tell whether the database is
/// still that schema and, if not, name what changed.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct SavedPlan {
    /// The layout's version; a file of another version is refused.
    pub format: u32,
    pub tool_version: String,
    /// The managed schemas the plan covers (the fingerprint is of them).
    pub schemas: Vec<String>,
    /// The fingerprints of the objects the plan was made from: by name those its steps
    /// touch, the others packed.
    pub objects: crate::plan::fingerprint::Kept,
    /// The rehearsal's verdict when the plan was made (`None`: not rehearsed).
    pub rehearsal: Option<SavedRehearsal>,
    pub plan: Plan,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct SavedRehearsal {
    pub passed: bool,
    pub summary: String,
}

impl SavedPlan {
    /// 2: the fingerprints of objects the steps do not touch are packed (`Kept`).
    pub const FORMAT: u32 = 2;

    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).expect("a saved plan is always serializable")
    }

    /// Reads a saved plan, or says why the text is not one.
    pub fn from_json(text: &str) -> Result<SavedPlan, String> {
        #[derive(Deserialize)]
        struct Version {
            format: Option<u32>,
        }
        let version: Version = serde_json::from_str(text)
            .map_err(|e| format!("not a plan saved by `schemaplan plan --out`: {e}"))?;
        match version.format {
            Some(SavedPlan::FORMAT) => {}
            Some(other) => {
                return Err(format!(
                    "the plan was saved in format {other}; this schemaplan reads format {}",
                    SavedPlan::FORMAT
                ));
            }
            None => return Err("not a plan saved by `schemaplan plan --out` (no `format`)".into()),
        }
        serde_json::from_str(text).map_err(|e| format!("the saved plan is damaged: {e}"))
    }
}
