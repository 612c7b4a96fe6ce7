//! The order itself: a topological sort of the dependency graph in which, among the changes
//! that are ready, the smallest (phase, rank, object name) goes first; and the phases, pushed
//! later along the edges.

use std::cmp::Reverse;
use std::collections::{BTreeSet, BinaryHeap};

use petgraph::graph::{DiGraph, NodeIndex};

use super::edges::{self, Dependencies};
use super::facts::facts;
use super::keys::Facts;
use super::rank::rank;
use super::structure::Structure;
use crate::model::*;
use crate::plan::change::Change;
use crate::plan::classify::{self, Phase};

#[derive(Debug, thiserror::Error)]
#[error("these changes depend on each other in a cycle and cannot be ordered: {}", .objects.join(", "))]
pub struct CycleError {
    pub objects: Vec<String>,
}

/// Orders `changes` (from `diff(current, desired)`) so that PostgreSQL accepts every step.
pub fn order(
    changes: Vec<Change>,
    current: &Catalog,
    desired: &Catalog,
) -> Result<Vec<Change>, CycleError> {
    Ok(order_explained(changes, &[], current, desired)?
        .changes
        .into_iter()
        .map(|(c, _)| c)
        .collect())
}

/// Orders `changes` and gives each its phase. `sequence` holds extra edges `(a, b)`: change `a`
/// runs before change `b` (the steps of one online technique). A change that must follow a
/// change of a later phase moves to that phase, so the phases run expand → backfill →
/// contract without breaking a dependency.
#[cfg(test)]
pub fn order_in_phases(
    changes: Vec<Change>,
    sequence: &[(usize, usize)],
    current: &Catalog,
    desired: &Catalog,
) -> Result<Vec<(Change, Phase)>, CycleError> {
    Ok(order_explained(changes, sequence, current, desired)?.changes)
}

/// The changes in order with their phases, and the changes a dependency moved to a later phase
/// than their own.
pub struct Ordered {
    pub changes: Vec<(Change, Phase)>,
    pub pushed: Vec<Pushed>,
}

/// A change that runs in a later phase than its own, because it must follow `after`.
pub struct Pushed {
    /// Its place in `Ordered::changes`.
    pub index: usize,
    pub own: Phase,
    /// The change of that later phase it must follow (`kind object`).
    pub after: String,
}

/// `order_in_phases`, saying which changes were moved to a later phase and why.
pub fn order_explained(
    changes: Vec<Change>,
    sequence: &[(usize, usize)],
    current: &Catalog,
    desired: &Catalog,
) -> Result<Ordered, CycleError> {
    let cur = Structure::new(current);
    let des = Structure::new(desired);
    let facts: Vec<Facts> = changes.iter().map(|c| facts(c, &cur, &des)).collect();
    let deps = edges::build(&changes, &facts, sequence);

    // Phases: each change's own, then pushed later along the edges (in a topological order).
    let topological = petgraph::algo::toposort(&deps.graph, None)
        .map_err(|_| cycle_error(&deps.graph, &changes))?;
    let (own, phases, pushed_by) = phases(&changes, &deps, topological, current);

    let order = sorted(&changes, &deps, &phases);
    debug_assert_eq!(
        order.len(),
        changes.len(),
        "an acyclic graph is fully ordered"
    );
    let pushed = (order.iter().enumerate())
        .filter(|(_, i)| phases[**i] != own[**i])
        .map(|(index, &i)| {
            // Back along the pushes to the change whose own phase this is.
            let mut cause = i;
            while let Some(by) = pushed_by[cause] {
                cause = by;
            }
            Pushed {
                index,
                own: own[i],
                after: format!("{} {}", changes[cause].kind(), changes[cause].object()),
            }
        })
        .collect();
    let mut slots: Vec<Option<Change>> = changes.into_iter().map(Some).collect();
    let changes = order
        .into_iter()
        .map(|i| {
            (
                slots[i].take().expect("each change is placed once"),
                phases[i],
            )
        })
        .collect();
    Ok(Ordered { changes, pushed })
}

/// The changes that form cycles, named.
fn cycle_error(graph: &DiGraph<usize, ()>, changes: &[Change]) -> CycleError {
    let cyclic: BTreeSet<usize> = petgraph::algo::tarjan_scc(graph)
        .into_iter()
        .filter(|component| component.len() > 1)
        .flatten()
        .map(|n| graph[n])
        .collect();
    CycleError {
        objects: cyclic
            .into_iter()
            .map(|i| format!("{} {}", changes[i].kind(), changes[i].object()))
            .collect(),
    }
}

/// Each change's own phase (expand for a check lifted before a hook); its phase in the plan,
/// pushed later to the latest phase of the changes it must follow; and for a pushed change, the
/// change that pushed it.
fn phases(
    changes: &[Change],
    deps: &Dependencies,
    topological: Vec<NodeIndex>,
    current: &Catalog,
) -> (Vec<Phase>, Vec<Phase>, Vec<Option<usize>>) {
    let graph = &deps.graph;
    let mut phases: Vec<Phase> = changes
        .iter()
        .enumerate()
        .map(|(i, c)| {
            if deps.early.contains(&i) {
                Phase::Expand
            } else {
                classify::phase(c, current)
            }
        })
        .collect();
    let own = phases.clone();
    let mut pushed_by = vec![None; changes.len()];
    for n in topological {
        let i = graph[n];
        for next in graph.neighbors_directed(n, petgraph::Outgoing) {
            let j = graph[next];
            if phases[j] < phases[i] {
                phases[j] = phases[i];
                pushed_by[j] = Some(i);
            }
        }
    }
    (own, phases, pushed_by)
}

/// The group a change is sorted by after its phase and rank: its object, except that new
/// columns are keyed by their table, so that they keep the order diff gives them (the YAML
/// order), the position breaking the tie.
fn tie_break_group(change: &Change) -> String {
    match change {
        Change::AddColumn { table, .. } => table.to_string(),
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
        | Change::AlterColumnSettings { .. } => change.object(),
    }
}

/// Kahn's algorithm; among the changes that are ready, the smallest key goes first.
fn sorted(changes: &[Change], deps: &Dependencies, phases: &[Phase]) -> Vec<usize> {
    let Dependencies { graph, nodes, .. } = deps;
    let keys: Vec<(Phase, u8, String, usize)> = changes
        .iter()
        .enumerate()
        .map(|(i, c)| (phases[i], rank(c), tie_break_group(c), i))
        .collect();
    let mut indegree: Vec<usize> = nodes
        .iter()
        .map(|&n| graph.neighbors_directed(n, petgraph::Incoming).count())
        .collect();
    let mut ready: BinaryHeap<Reverse<&(Phase, u8, String, usize)>> = keys
        .iter()
        .filter(|k| indegree[k.3] == 0)
        .map(Reverse)
        .collect();
    let mut order = Vec::with_capacity(changes.len());
    while let Some(Reverse(key)) = ready.pop() {
        let i = key.3;
        order.push(i);
        for next in graph.neighbors_directed(nodes[i], petgraph::Outgoing) {
            let j = graph[next];
            indegree[j] -= 1;
            if indegree[j] == 0 {
                ready.push(Reverse(&keys[j]));
            }
        }
    }
    order
}
