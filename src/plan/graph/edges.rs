//! The dependency graph of a plan's changes: one node per change, an edge `a → b` where change
//! `a` must run before change `b`. The edges follow from the facts of the changes (the rules in
//! the comment of `graph`), from the techniques' own sequences, and from the checks a data hook
//! needs lifted; the preferences are added last, each only where it closes no cycle.

use std::collections::{BTreeSet, HashMap};

use petgraph::graph::{DiGraph, NodeIndex};

use super::keys::Facts;
use crate::model::*;
use crate::plan::change::Change;

/// The graph, its nodes by change index, and the changes that must run in expand whatever their
/// own phase.
pub(super) struct Dependencies {
    pub(super) graph: DiGraph<usize, ()>,
    pub(super) nodes: Vec<NodeIndex>,
    pub(super) early: BTreeSet<usize>,
}

/// The changes that create and those that drop each key.
struct Makers<'f> {
    creators: HashMap<&'f ObjKey, Vec<usize>>,
    droppers: HashMap<&'f ObjKey, Vec<usize>>,
}

/// Builds the graph of `changes` from their `facts`; `sequence` holds the techniques' pairs
/// `(a, b)`: change `a` runs before change `b`.
pub(super) fn build(
    changes: &[Change],
    facts: &[Facts],
    sequence: &[(usize, usize)],
) -> Dependencies {
    let mut graph: DiGraph<usize, ()> = DiGraph::with_capacity(changes.len(), changes.len() * 2);
    let nodes: Vec<NodeIndex> = (0..changes.len()).map(|i| graph.add_node(i)).collect();
    let makers = makers(facts);
    let sequenced = sequenced_pairs(sequence);
    let mut edges = fact_edges(facts, &makers, &sequenced);
    edges.extend(sequence.iter().copied());
    let early = checks_lifted_before_hooks(changes, &mut edges);
    foreign_keys_after_attached_indexes(changes, &mut edges);
    own_columns_between_detach_and_attach(changes, &mut edges);
    for (a, b) in edges {
        if a != b {
            graph.add_edge(nodes[a], nodes[b], ());
        }
    }
    add_preferences(&mut graph, &nodes, facts, &makers);
    Dependencies {
        graph,
        nodes,
        early,
    }
}

fn makers(facts: &[Facts]) -> Makers<'_> {
    let mut creators: HashMap<&ObjKey, Vec<usize>> = HashMap::new();
    let mut droppers: HashMap<&ObjKey, Vec<usize>> = HashMap::new();
    for (i, f) in facts.iter().enumerate() {
        for k in &f.creates {
            creators.entry(k).or_default().push(i);
        }
        for k in &f.drops {
            droppers.entry(k).or_default().push(i);
        }
    }
    Makers { creators, droppers }
}

/// Pairs ordered by the techniques' own sequences, transitively.
fn sequenced_pairs(sequence: &[(usize, usize)]) -> BTreeSet<(usize, usize)> {
    let mut sequenced: BTreeSet<(usize, usize)> = sequence.iter().copied().collect();
    loop {
        let more: Vec<(usize, usize)> = sequenced
            .iter()
            .flat_map(|&(a, b)| {
                sequenced
                    .iter()
                    .filter(move |&&(c, _)| c == b)
                    .map(move |&(_, d)| (a, d))
            })
            .filter(|p| !sequenced.contains(p))
            .collect();
        if more.is_empty() {
            break;
        }
        sequenced.extend(more);
    }
    sequenced
}

/// The edges the facts imply (see the rules in the comment of `graph`).
fn fact_edges(
    facts: &[Facts],
    makers: &Makers<'_>,
    sequenced: &BTreeSet<(usize, usize)>,
) -> BTreeSet<(usize, usize)> {
    let Makers { creators, droppers } = makers;
    let mut edges: BTreeSet<(usize, usize)> = BTreeSet::new();
    for (i, f) in facts.iter().enumerate() {
        for k in &f.needs_new {
            // A change may need what it also makes anew (a validated constraint): only the
            // others that make it come first.
            for &p in creators.get(k).into_iter().flatten().filter(|&&p| p != i) {
                edges.insert((p, i));
            }
        }
        for k in &f.needs_old {
            for &d in droppers.get(k).into_iter().flatten() {
                edges.insert((i, d));
            }
        }
        for k in &f.needs_gone {
            for &d in droppers.get(k).into_iter().flatten() {
                edges.insert((d, i));
            }
        }
        for k in &f.creates {
            for &d in droppers.get(k).into_iter().flatten() {
                // A technique that creates a helper and drops it later orders them itself.
                if !sequenced.contains(&(i, d)) {
                    edges.insert((d, i));
                }
            }
        }
    }
    edges
}

/// A partitioned index built `ON ONLY` the parent is invalid until every partition's index is
/// attached, and a foreign key needs a valid unique index of the table it references: a
/// foreign key into a partitioned table comes after the attachments of that table's indexes.
fn foreign_keys_after_attached_indexes(changes: &[Change], edges: &mut BTreeSet<(usize, usize)>) {
    for (i, change) in changes.iter().enumerate() {
        let Change::AddConstraint { constraint, .. } = change else {
            continue;
        };
        let ConstraintKind::ForeignKey(fk) = &constraint.kind else {
            continue;
        };
        for (j, other) in changes.iter().enumerate() {
            if matches!(other, Change::AttachIndex { parent_table, .. } if *parent_table == fk.ref_table)
            {
                edges.insert((j, i));
            }
        }
    }
}

/// A partition's columns are its parent's: PostgreSQL refuses to add, drop or retype one, or
/// to drop a NOT NULL the parent has, and attaching refuses a table whose columns differ from
/// the parent's. A table that moves has its own column changes made while it belongs to no
/// parent: after it is detached, before it is attached (the way back runs them between its
/// detach and its attach again).
fn own_columns_between_detach_and_attach(changes: &[Change], edges: &mut BTreeSet<(usize, usize)>) {
    let mut detached: HashMap<&QualName, usize> = HashMap::new();
    let mut attached: HashMap<&QualName, usize> = HashMap::new();
    for (j, change) in changes.iter().enumerate() {
        match change {
            Change::DetachPartition { table, .. } => {
                detached.insert(table, j);
            }
            Change::AttachPartition { table, .. } => {
                attached.insert(table, j);
            }
            _ => {}
        }
    }
    if detached.is_empty() && attached.is_empty() {
        return;
    }
    for (i, change) in changes.iter().enumerate() {
        let (Change::AddColumn { table, .. }
        | Change::DropColumn { table, .. }
        | Change::AlterColumn { table, .. }) = change
        else {
            continue;
        };
        if let Some(&j) = detached.get(table) {
            edges.insert((j, i));
        }
        if let Some(&j) = attached.get(table) {
            edges.insert((i, j));
        }
    }
}

/// A check lifted from a table a data hook works on is lifted before the hook (in expand:
/// loosening a rule is safe for the running application), so that the hook may write the
/// values the check forbade; the new check is added and validated in contract, after it.
/// Returns the changes that lift such checks (they run in expand).
fn checks_lifted_before_hooks(
    changes: &[Change],
    edges: &mut BTreeSet<(usize, usize)>,
) -> BTreeSet<usize> {
    let mut early: BTreeSet<usize> = BTreeSet::new();
    for (h, change) in changes.iter().enumerate() {
        let Change::RunHook { hook } = change else {
            continue;
        };
        for (i, c) in changes.iter().enumerate() {
            if let Change::DropConstraint {
                table, constraint, ..
            } = c
            {
                if matches!(constraint.kind, ConstraintKind::Check { .. }) && hook.works_on(table) {
                    edges.insert((i, h));
                    early.insert(i);
                }
            }
        }
    }
    early
}

/// Preferences, in change order (deterministic), each kept only if it closes no cycle.
fn add_preferences(
    graph: &mut DiGraph<usize, ()>,
    nodes: &[NodeIndex],
    facts: &[Facts],
    makers: &Makers<'_>,
) {
    let prefer = |graph: &mut DiGraph<usize, ()>, a: usize, b: usize| {
        if a != b
            && !graph.contains_edge(nodes[a], nodes[b])
            && !petgraph::algo::has_path_connecting(&*graph, nodes[b], nodes[a], None)
        {
            graph.add_edge(nodes[a], nodes[b], ());
        }
    };
    for (i, f) in facts.iter().enumerate() {
        for k in &f.prefers_new {
            for &p in makers.creators.get(k).into_iter().flatten() {
                prefer(graph, p, i);
            }
        }
        for k in &f.prefers_old {
            for &d in makers.droppers.get(k).into_iter().flatten() {
                prefer(graph, i, d);
            }
        }
    }
}
