//! The one place that decides order. Every change says which objects it brings into being,
//! which it takes away, and which it needs (before, from the current model; after, from the
//! desired model). Those facts become edges of a petgraph graph; a topological sort with
//! deterministic tie-breaking (kind, then object name) gives the plan's order.
//!
//! The edge rules, for every object key K:
//! - a change that creates K runs before the changes that need the new K;
//! - a change that needs the old K runs before the change that drops K;
//! - a change that drops K runs before a change that creates K again (same name);
//! - a change that drops K runs before a change that needs K to be gone.

use std::cmp::Reverse;
use std::collections::{BTreeSet, BinaryHeap, HashMap};

use petgraph::graph::{DiGraph, NodeIndex};

use crate::model::*;
use crate::plan::change::{Change, CommentTarget, Renamed};
use crate::plan::classify::{self, Phase};
use crate::sqltext::types;

#[derive(Debug, thiserror::Error)]
#[error("these changes depend on each other in a cycle and cannot be ordered: {}", .objects.join(", "))]
pub struct CycleError {
    pub objects: Vec<String>,
}

/// What one change means for the dependency graph.
#[derive(Default, Debug)]
struct Facts {
    creates: Vec<ObjKey>,
    drops: Vec<ObjKey>,
    needs_new: Vec<ObjKey>,
    needs_old: Vec<ObjKey>,
    needs_gone: Vec<ObjKey>,
    /// Like `needs_new`, but only a preference: names found by scanning SQL text (function
    /// bodies), which may be false friends. Such an edge is left out when it would close a cycle.
    prefers_new: Vec<ObjKey>,
}

/// Orders `changes` (from `diff(current, desired)`) so that PostgreSQL accepts every step.
pub fn order(
    changes: Vec<Change>,
    current: &Catalog,
    desired: &Catalog,
) -> Result<Vec<Change>, CycleError> {
    Ok(order_in_phases(changes, &[], current, desired)?
        .into_iter()
        .map(|(c, _)| c)
        .collect())
}

/// Orders `changes` and gives each its phase. `sequence` holds extra edges `(a, b)`: change `a`
/// runs before change `b` (the steps of one online technique). A change that must follow a
/// change of a later phase moves to that phase, so the phases run expand → backfill →
/// contract without breaking a dependency.
pub fn order_in_phases(
    changes: Vec<Change>,
    sequence: &[(usize, usize)],
    current: &Catalog,
    desired: &Catalog,
) -> Result<Vec<(Change, Phase)>, CycleError> {
    let cur = Structure::new(current);
    let des = Structure::new(desired);
    let facts: Vec<Facts> = changes.iter().map(|c| facts(c, &cur, &des)).collect();

    let mut graph: DiGraph<usize, ()> = DiGraph::with_capacity(changes.len(), changes.len() * 2);
    let nodes: Vec<NodeIndex> = (0..changes.len()).map(|i| graph.add_node(i)).collect();

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
    // Pairs ordered by the techniques' own sequences, transitively.
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
    let mut edges: BTreeSet<(usize, usize)> = BTreeSet::new();
    for (i, f) in facts.iter().enumerate() {
        for k in &f.needs_new {
            for &p in creators.get(k).into_iter().flatten() {
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
    edges.extend(sequence.iter().copied());
    // A check lifted from a table a data hook works on is lifted before the hook (in expand:
    // loosening a rule is safe for the running application), so that the hook may write the
    // values the check forbade; the new check is added and validated in contract, after it.
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
    for (a, b) in edges {
        if a != b {
            graph.add_edge(nodes[a], nodes[b], ());
        }
    }
    // Preferences, in change order (deterministic), each kept only if it closes no cycle.
    for (i, f) in facts.iter().enumerate() {
        for k in &f.prefers_new {
            for &p in creators.get(k).into_iter().flatten() {
                if p != i
                    && !graph.contains_edge(nodes[p], nodes[i])
                    && !petgraph::algo::has_path_connecting(&graph, nodes[i], nodes[p], None)
                {
                    graph.add_edge(nodes[p], nodes[i], ());
                }
            }
        }
    }

    // Phases: each change's own, then pushed later along the edges (in a topological order).
    let topological = petgraph::algo::toposort(&graph, None).map_err(|_| {
        let cyclic: BTreeSet<usize> = petgraph::algo::tarjan_scc(&graph)
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
    })?;
    let mut phases: Vec<Phase> = changes
        .iter()
        .enumerate()
        .map(|(i, c)| {
            if early.contains(&i) {
                Phase::Expand
            } else {
                classify::phase(c, current)
            }
        })
        .collect();
    for n in topological {
        let i = graph[n];
        for next in graph.neighbors_directed(n, petgraph::Outgoing) {
            let j = graph[next];
            if phases[j] < phases[i] {
                phases[j] = phases[i];
            }
        }
    }

    // Kahn's algorithm; among the changes that are ready, the smallest key goes first.
    // New columns of a table keep the order diff gives them (the YAML order): they are keyed by
    // their table, and the position breaks the tie.
    let keys: Vec<(Phase, u8, String, usize)> = changes
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let group = match c {
                Change::AddColumn { table, .. } => table.to_string(),
                other => other.object(),
            };
            (phases[i], rank(c), group, i)
        })
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
    debug_assert_eq!(
        order.len(),
        changes.len(),
        "an acyclic graph is fully ordered"
    );
    let mut slots: Vec<Option<Change>> = changes.into_iter().map(Some).collect();
    Ok(order
        .into_iter()
        .map(|i| {
            (
                slots[i].take().expect("each change is placed once"),
                phases[i],
            )
        })
        .collect())
}

/// The default reading order of a plan, used only to break ties between independent changes:
/// enum values first (they commit on their own), then what is added, then what is removed.
fn rank(change: &Change) -> u8 {
    match change {
        Change::AddEnumValues { .. } => 0,
        Change::Rename { .. } => 1,
        Change::CreateSchema { .. } => 1,
        Change::CreateExtension { .. } | Change::AlterExtension { .. } => 2,
        Change::CreateEnum { .. } | Change::RebuildEnum { .. } => 3,
        Change::CreateSequence { .. } | Change::AlterSequence { .. } => 4,
        Change::CreateTable { .. } => 5,
        Change::AddColumn { .. } => 6,
        Change::AlterColumn { .. } => 7,
        Change::AddConstraint { constraint, .. } => {
            if matches!(constraint.kind, ConstraintKind::ForeignKey(_)) {
                10
            } else {
                8
            }
        }
        Change::CreateIndex { .. } => 9,
        Change::AddConstraintUsingIndex { .. } => 10,
        Change::Backfill { .. } => 15,
        // Column backfills first, then hooks of the backfill phase, then those that run just
        // before contract.
        Change::RunHook { hook } => match hook.phase {
            crate::model::hook::HookPhase::Backfill => 16,
            crate::model::hook::HookPhase::BeforeContract => 17,
        },
        Change::UndoHook { .. } => 29,
        Change::ValidateConstraint { .. } | Change::AlterConstraint { .. } => 11,
        Change::SetSequenceOwner { .. } => 12,
        Change::CreateView { .. } | Change::ReplaceView { .. } => 13,
        Change::SetOptions { .. } | Change::SetPersistence { .. } | Change::SetComment { .. } => 14,
        Change::DropView { .. } => 20,
        // After views by default: a materialized view over a view is the common case (the
        // edges order the other one).
        Change::CreateMaterializedView { .. } => 13,
        Change::SetMaterializedViewOptions { .. } => 14,
        Change::DropMaterializedView { .. } => 20,
        Change::DropConstraint { constraint, .. } => {
            if matches!(constraint.kind, ConstraintKind::ForeignKey(_)) {
                21
            } else {
                22
            }
        }
        Change::DropIndex { .. } => 22,
        Change::RenameIndex { .. } => 23,
        Change::DropColumn { .. } => 23,
        Change::DropTable { .. } => 24,
        Change::DropSequence { .. } => 25,
        Change::DropEnum { .. } => 26,
        Change::DropExtension { .. } => 27,
        Change::DropSchema { .. } => 28,
        // Only ever part of a reverse, which keeps its own order.
        Change::Restore { .. } => 29,
        Change::CreateIndexOnly { .. } | Change::AttachIndex { .. } => 9,
        Change::AttachPartition { .. } => 12,
        Change::DetachPartition { .. } => 19,
        Change::DropPartitionedIndex { .. } => 22,
        Change::NameInheritedIndex { .. } => 14,
        // Functions before the tables whose defaults and checks may call them (a function that
        // reads a table waits for it through its dependencies).
        Change::CreateFunction { .. } | Change::ReplaceFunction { .. } => 4,
        Change::CreateTrigger { .. } | Change::ReplaceTrigger { .. } => 13,
        Change::SetTriggerEnabled { .. } => 14,
        Change::DropTrigger { .. } => 20,
        Change::DropFunction { .. } => 25,
        // Types come with enums, before the tables that use them, and go after the tables.
        Change::CreateDomain { .. }
        | Change::RebuildDomain { .. }
        | Change::CreateCompositeType { .. }
        | Change::AddAttribute { .. }
        | Change::AlterAttributeType { .. } => 3,
        Change::SetDomainDefault { .. } | Change::SetDomainNotNull { .. } => 7,
        Change::AddDomainConstraint { .. } => 8,
        Change::ValidateDomainConstraint { .. } => 11,
        Change::DropDomainConstraint { .. } => 22,
        Change::DropAttribute { .. } => 23,
        Change::DropDomain { .. } | Change::DropCompositeType { .. } => 26,
        // Policies may read any table or view: after those are created. Privileges follow
        // their objects; revokes and dropped policies come before the drops of contract.
        Change::SetOwner { .. } => 14,
        Change::CreatePolicy { .. } | Change::AlterPolicy { .. } => 14,
        Change::SetRowSecurity { .. } => 14,
        Change::SetGrants { from, to, .. } | Change::SetDefaultPrivileges { from, to, .. } => {
            if crate::plan::change::removes_privileges(from, to) {
                19
            } else {
                14
            }
        }
        Change::DropPolicy { .. } => 19,
    }
}

/// Dependencies of a model: those PostgreSQL recorded, plus those that follow from the
/// definitions themselves (which is all a model loaded from YAML has).
struct Structure<'a> {
    model: &'a Catalog,
    /// Foreign keys by the table they reference.
    foreign_keys_into: HashMap<QualName, Vec<ObjKey>>,
    /// Enum types by the name a column type would print: `public.mood`, and unqualified `mood`.
    enums_by_text: HashMap<String, QualName>,
    /// Functions by name (all overloads).
    functions_by_name: HashMap<QualName, Vec<FunctionId>>,
}

impl<'a> Structure<'a> {
    fn new(model: &'a Catalog) -> Self {
        let mut enums_by_text = HashMap::new();
        for q in model
            .enums
            .keys()
            .chain(model.domains.keys())
            .chain(model.composite_types.keys())
        {
            enums_by_text.insert(crate::model::quote::qualified(q), q.clone());
        }
        let mut foreign_keys_into: HashMap<QualName, Vec<ObjKey>> = HashMap::new();
        for (t, table) in &model.tables {
            for (name, c) in &table.constraints {
                if let ConstraintKind::ForeignKey(fk) = &c.kind {
                    foreign_keys_into
                        .entry(fk.ref_table.clone())
                        .or_default()
                        .push(ObjKey::Constraint(t.clone(), name.clone()));
                }
            }
        }
        let mut functions_by_name: HashMap<QualName, Vec<FunctionId>> = HashMap::new();
        for id in model.functions.keys() {
            functions_by_name
                .entry(id.name.clone())
                .or_default()
                .push(id.clone());
        }
        Structure {
            model,
            enums_by_text,
            foreign_keys_into,
            functions_by_name,
        }
    }

    /// What a function's text names that this model has: relations (a table's row type, or
    /// what the body reads), enum types, other functions. Bare names resolve in the function's
    /// schema, then `public`.
    fn function_mentions(&self, id: &FunctionId, f: &Function) -> Vec<ObjKey> {
        let mut out = BTreeSet::new();
        let text = format!(
            "{} {} {}",
            f.arguments,
            f.returns.as_deref().unwrap_or(""),
            f.body
        );
        for m in crate::sqltext::body::mentions(&text) {
            for q in m.candidates(&id.name.schema) {
                if self.model.tables.contains_key(&q)
                    || self.model.views.contains_key(&q)
                    || self.model.sequences.contains_key(&q)
                {
                    out.insert(ObjKey::Relation(q));
                    break;
                }
                if self.model.enums.contains_key(&q) {
                    out.insert(ObjKey::Type(q));
                    break;
                }
                if let Some(ids) = self.functions_by_name.get(&q) {
                    out.extend(
                        ids.iter()
                            .filter(|other| *other != id)
                            .cloned()
                            .map(ObjKey::Function),
                    );
                    break;
                }
            }
        }
        out.into_iter().collect()
    }

    fn trigger_deps(&self, table: &QualName, name: &str, trigger: &Trigger) -> Vec<ObjKey> {
        let mut out = self.recorded(&ObjKey::Trigger(table.clone(), name.to_string()));
        out.push(ObjKey::Relation(table.clone()));
        out.push(trigger_function(trigger));
        for c in &trigger.update_of {
            out.push(ObjKey::Column(table.clone(), c.clone()));
        }
        out
    }

    fn recorded(&self, key: &ObjKey) -> Vec<ObjKey> {
        self.model.recorded_deps_of(key).cloned().collect()
    }

    /// The enum a column type names, if any.
    /// (Enums, domains and composite types alike.)
    fn enum_of(&self, table: &QualName, data_type: &str) -> Option<ObjKey> {
        let base = data_type.trim().trim_end_matches("[]");
        if let Some(q) = self.enums_by_text.get(base) {
            return Some(ObjKey::Type(q.clone()));
        }
        let parsed = types::parse(data_type).ok()?;
        if parsed.builtin {
            return None;
        }
        let candidates = match parsed.schema {
            Some(s) => vec![QualName::new(s, parsed.name)],
            None => vec![
                QualName::new(table.schema.clone(), parsed.name.clone()),
                QualName::new("public", parsed.name),
            ],
        };
        candidates
            .into_iter()
            .find(|q| {
                self.model.enums.contains_key(q)
                    || self.model.domains.contains_key(q)
                    || self.model.composite_types.contains_key(q)
            })
            .map(ObjKey::Type)
    }

    /// What a domain needs: its base type (an enum, domain or composite type of the model),
    /// and what PostgreSQL recorded (extension types, the schema).
    fn domain_deps(&self, name: &QualName, def: &Domain) -> Vec<ObjKey> {
        let mut out = self.recorded(&ObjKey::Type(name.clone()));
        out.push(ObjKey::Schema(name.schema.clone()));
        out.extend(self.enum_of(name, &def.data_type));
        out
    }

    /// What a composite type's attribute needs: its type, and what PostgreSQL recorded.
    fn attribute_deps(&self, name: &QualName, a: &Attribute) -> Vec<ObjKey> {
        let mut out = self.recorded(&ObjKey::Column(name.clone(), a.name.clone()));
        out.extend(self.enum_of(name, &a.data_type));
        out
    }

    fn column_deps(&self, table: &QualName, column: &Column) -> Vec<ObjKey> {
        let mut out = self.recorded(&ObjKey::Column(table.clone(), column.name.clone()));
        out.extend(self.enum_of(table, &column.data_type));
        out
    }

    fn constraint_deps(&self, table: &QualName, name: &str, con: &Constraint) -> Vec<ObjKey> {
        let mut out = self.recorded(&ObjKey::Constraint(table.clone(), name.to_string()));
        out.push(ObjKey::Relation(table.clone()));
        for c in con.kind.reads_columns() {
            out.push(ObjKey::Column(table.clone(), c.clone()));
        }
        if let ConstraintKind::ForeignKey(fk) = &con.kind {
            out.push(ObjKey::Relation(fk.ref_table.clone()));
            for c in &fk.ref_columns {
                out.push(ObjKey::Column(fk.ref_table.clone(), c.clone()));
            }
            out.extend(self.referenced_key(fk));
        }
        out
    }

    /// The primary key, unique constraint or unique index a foreign key relies on.
    fn referenced_key(&self, fk: &ForeignKey) -> Vec<ObjKey> {
        let Some(target) = self.model.tables.get(&fk.ref_table) else {
            return Vec::new();
        };
        let wanted: BTreeSet<&String> = fk.ref_columns.iter().collect();
        for (name, c) in &target.constraints {
            if c.kind.is_unique_key() && c.kind.columns().iter().collect::<BTreeSet<_>>() == wanted
            {
                return vec![
                    ObjKey::Constraint(fk.ref_table.clone(), name.clone()),
                    ObjKey::Relation(QualName::new(fk.ref_table.schema.clone(), name.clone())),
                ];
            }
        }
        for (name, index) in &target.indexes {
            if index.unique && index.columns().collect::<BTreeSet<_>>() == wanted {
                return vec![ObjKey::Relation(QualName::new(
                    fk.ref_table.schema.clone(),
                    name.clone(),
                ))];
            }
        }
        Vec::new()
    }

    fn index_deps(&self, table: &QualName, name: &str, index: &Index) -> Vec<ObjKey> {
        let mut out = self.recorded(&ObjKey::Relation(QualName::new(
            table.schema.clone(),
            name.to_string(),
        )));
        out.push(ObjKey::Relation(table.clone()));
        for c in index.columns() {
            out.push(ObjKey::Column(table.clone(), c.clone()));
        }
        out
    }

    /// Every key a table consists of, and everything those keys need.
    fn table_keys(&self, name: &QualName, table: &Table) -> (Vec<ObjKey>, Vec<ObjKey>) {
        let mut keys = vec![ObjKey::Relation(name.clone())];
        let mut needs = vec![ObjKey::Schema(name.schema.clone())];
        needs.extend(self.recorded(&ObjKey::Relation(name.clone())));
        for c in &table.columns {
            keys.push(ObjKey::Column(name.clone(), c.name.clone()));
            keys.extend(identity_sequence(name, c));
            needs.extend(self.column_deps(name, c));
        }
        for (cname, con) in &table.constraints {
            keys.push(ObjKey::Constraint(name.clone(), cname.clone()));
            if con.kind.has_index() {
                keys.push(ObjKey::Relation(QualName::new(
                    name.schema.clone(),
                    cname.clone(),
                )));
            }
            needs.extend(self.constraint_deps(name, cname, con));
        }
        for (iname, index) in &table.indexes {
            keys.push(ObjKey::Relation(QualName::new(
                name.schema.clone(),
                iname.clone(),
            )));
            needs.extend(self.index_deps(name, iname, index));
        }
        // A partition comes after its parent (and a sub-partition after its partition), wherever
        // they are; its link to the parent goes with it.
        if let Some(p) = &table.partition_of {
            keys.push(ObjKey::Partition(name.clone()));
            needs.push(ObjKey::Relation(p.parent.clone()));
        }
        // Policies go with the table; what they read is needed until then.
        for pname in table.policies.keys() {
            let key = ObjKey::Policy(name.clone(), pname.clone());
            needs.extend(self.recorded(&key));
            keys.push(key);
        }
        needs.retain(|k| !keys.contains(k));
        (keys, needs)
    }

    /// What a table must have before it is attached to `partition.parent`: the parent's keys
    /// and indexes, and under their names on the table what it is to inherit from them (built
    /// beforehand, so that attaching adopts them instead of building them under its lock).
    fn attach_needs(&self, table: &QualName, partition: &PartitionOf) -> Vec<ObjKey> {
        let mut out = vec![
            ObjKey::Relation(table.clone()),
            ObjKey::Relation(partition.parent.clone()),
        ];
        if let Some(parent) = self.model.tables.get(&partition.parent) {
            for (c, con) in &parent.constraints {
                out.push(ObjKey::Constraint(partition.parent.clone(), c.clone()));
                if con.kind.has_index() {
                    out.push(ObjKey::Relation(QualName::new(
                        partition.parent.schema.clone(),
                        c.clone(),
                    )));
                }
            }
            for i in parent.indexes.keys() {
                out.push(ObjKey::Relation(QualName::new(
                    partition.parent.schema.clone(),
                    i.clone(),
                )));
            }
        }
        let wanted = self
            .model
            .tables
            .get(table)
            .and_then(|t| t.partition_of.as_ref());
        for p in wanted.into_iter() {
            for c in p.inherited_constraints.keys() {
                out.push(ObjKey::Constraint(table.clone(), c.clone()));
            }
            for i in p.inherited_indexes.keys() {
                out.push(ObjKey::Relation(QualName::new(
                    table.schema.clone(),
                    i.clone(),
                )));
            }
        }
        out
    }

    fn view_deps(&self, name: &QualName) -> Vec<ObjKey> {
        let mut out = self.recorded(&ObjKey::Relation(name.clone()));
        out.push(ObjKey::Schema(name.schema.clone()));
        out
    }

    fn primary_key_of(&self, table: &QualName) -> Option<ObjKey> {
        let (name, _) = self.model.tables.get(table)?.primary_key()?;
        Some(ObjKey::Constraint(table.clone(), name.clone()))
    }

    fn foreign_keys_into(&self, table: &QualName) -> Vec<ObjKey> {
        self.foreign_keys_into
            .get(table)
            .cloned()
            .unwrap_or_default()
    }

    /// The primary key, unique constraints and unique indexes of `table`.
    fn unique_keys_of(&self, table: &QualName) -> Vec<ObjKey> {
        let Some(t) = self.model.tables.get(table) else {
            return Vec::new();
        };
        let mut out = Vec::new();
        for (name, c) in &t.constraints {
            if c.kind.is_unique_key() {
                out.push(ObjKey::Constraint(table.clone(), name.clone()));
            }
        }
        for (name, index) in &t.indexes {
            if index.unique {
                out.push(ObjKey::Relation(QualName::new(
                    table.schema.clone(),
                    name.clone(),
                )));
            }
        }
        out
    }

    fn sequences_owned_by(&self, table: &QualName) -> Vec<QualName> {
        self.model
            .sequences
            .iter()
            .filter(|(_, s)| s.owned_by.as_ref().is_some_and(|o| o.table == *table))
            .map(|(q, _)| q.clone())
            .collect()
    }

    /// The tables `table`'s foreign keys reference (itself excluded).
    fn references_of<'s>(&'s self, table: &'s QualName) -> impl Iterator<Item = QualName> + 's {
        self.model
            .tables
            .get(table)
            .into_iter()
            .flat_map(|t| t.constraints.values())
            .filter_map(move |c| match &c.kind {
                ConstraintKind::ForeignKey(fk) if fk.ref_table != *table => {
                    Some(fk.ref_table.clone())
                }
                _ => None,
            })
    }
}

/// The sequence an identity column brings with it.
fn identity_sequence(table: &QualName, column: &Column) -> Option<ObjKey> {
    let identity = column.identity.as_ref()?;
    let name = identity.sequence.clone().unwrap_or_else(|| {
        crate::model::naming::default_object_name(&table.name, Some(&column.name), "seq")
    });
    Some(ObjKey::Relation(QualName::new(table.schema.clone(), name)))
}

fn comment_key(target: &CommentTarget) -> ObjKey {
    match target {
        CommentTarget::Schema(s) => ObjKey::Schema(s.clone()),
        CommentTarget::Enum(q) => ObjKey::Type(q.clone()),
        CommentTarget::Sequence(q)
        | CommentTarget::Table(q)
        | CommentTarget::View(q)
        | CommentTarget::Index(q)
        | CommentTarget::MaterializedView(q) => ObjKey::Relation(q.clone()),
        CommentTarget::Column(q, c) => ObjKey::Column(q.clone(), c.clone()),
        CommentTarget::Constraint(q, c) => ObjKey::Constraint(q.clone(), c.clone()),
        CommentTarget::Function(id) => ObjKey::Function(id.clone()),
        CommentTarget::Trigger(q, t) => ObjKey::Trigger(q.clone(), t.clone()),
        CommentTarget::Domain(q) | CommentTarget::CompositeType(q) => ObjKey::Type(q.clone()),
        // A domain's constraints are keyed by the domain as a table's are by the table (types
        // and tables share one namespace, so the keys cannot meet).
        CommentTarget::DomainConstraint(q, c) => ObjKey::Constraint(q.clone(), c.clone()),
        CommentTarget::Attribute(q, a) => ObjKey::Column(q.clone(), a.clone()),
        CommentTarget::Policy(q, p) => ObjKey::Policy(q.clone(), p.clone()),
    }
}

/// The function a trigger calls (trigger functions take no declared arguments).
fn trigger_function(trigger: &Trigger) -> ObjKey {
    ObjKey::Function(FunctionId {
        name: trigger.function.clone(),
        args: String::new(),
    })
}

fn view_column_keys(name: &QualName, view: &View) -> Vec<ObjKey> {
    let mut keys = vec![ObjKey::Relation(name.clone())];
    keys.extend(
        view.columns
            .iter()
            .map(|c| ObjKey::Column(name.clone(), c.name.clone())),
    );
    keys
}

/// The keys a materialized view consists of (itself, its columns, its indexes), and what they
/// need: what its query reads and what its indexes' expressions use.
fn materialized_view_keys(
    model: &Structure<'_>,
    name: &QualName,
    view: &MaterializedView,
) -> (Vec<ObjKey>, Vec<ObjKey>) {
    let mut keys = vec![ObjKey::Relation(name.clone())];
    keys.extend(
        view.columns
            .iter()
            .map(|c| ObjKey::Column(name.clone(), c.name.clone())),
    );
    let mut needs = model.view_deps(name);
    for iname in view.indexes.keys() {
        let index = ObjKey::Relation(QualName::new(name.schema.clone(), iname.clone()));
        needs.extend(model.recorded(&index));
        keys.push(index);
    }
    needs.retain(|k| !keys.contains(k));
    (keys, needs)
}

fn facts(change: &Change, cur: &Structure<'_>, des: &Structure<'_>) -> Facts {
    let mut f = Facts::default();
    match change {
        Change::CreateSchema { name, .. } => f.creates.push(ObjKey::Schema(name.clone())),
        Change::DropSchema { name, .. } => f.drops.push(ObjKey::Schema(name.clone())),
        Change::CreateExtension { name, ext } => {
            f.creates.push(ObjKey::Extension(name.clone()));
            f.needs_new.extend(ext.schema.clone().map(ObjKey::Schema));
        }
        Change::AlterExtension { name, to, .. } => {
            f.creates.push(ObjKey::Extension(name.clone()));
            f.needs_new.extend(to.schema.clone().map(ObjKey::Schema));
        }
        Change::DropExtension { name, ext } => {
            f.drops.push(ObjKey::Extension(name.clone()));
            f.needs_old.extend(ext.schema.clone().map(ObjKey::Schema));
        }
        Change::CreateEnum { name, .. } => {
            f.creates.push(ObjKey::Type(name.clone()));
            f.needs_new.push(ObjKey::Schema(name.schema.clone()));
        }
        Change::DropEnum { name, .. } => {
            f.drops.push(ObjKey::Type(name.clone()));
            f.needs_old.push(ObjKey::Schema(name.schema.clone()));
        }
        Change::AddEnumValues { name, .. } => f.creates.push(ObjKey::Type(name.clone())),
        Change::RebuildEnum { name, columns, .. } => {
            let mut keys = vec![ObjKey::Type(name.clone())];
            keys.extend(
                columns
                    .iter()
                    .map(|c| ObjKey::Column(c.table.clone(), c.column.clone())),
            );
            f.drops = keys.clone();
            f.creates = keys;
        }
        Change::CreateSequence { name, .. } => {
            f.creates.push(ObjKey::Relation(name.clone()));
            f.needs_new.push(ObjKey::Schema(name.schema.clone()));
            f.needs_new
                .extend(des.recorded(&ObjKey::Relation(name.clone())));
        }
        Change::DropSequence { name, .. } => {
            f.drops.push(ObjKey::Relation(name.clone()));
            f.drops.push(ObjKey::SequenceOwner(name.clone()));
            f.needs_old.push(ObjKey::Schema(name.schema.clone()));
            f.needs_old
                .extend(cur.recorded(&ObjKey::Relation(name.clone())));
        }
        Change::AlterSequence { name, .. } => f.needs_new.push(ObjKey::Relation(name.clone())),
        Change::SetSequenceOwner { name, from, to } => {
            f.creates.push(ObjKey::SequenceOwner(name.clone()));
            f.needs_new.push(ObjKey::Relation(name.clone()));
            if let Some(o) = to {
                f.needs_new
                    .push(ObjKey::Column(o.table.clone(), o.column.clone()));
            }
            // Moving the owner away from a column must happen before that column is dropped,
            // or the sequence would be dropped with it.
            if let Some(o) = from {
                f.needs_old
                    .push(ObjKey::Column(o.table.clone(), o.column.clone()));
            }
        }
        Change::CreateTable { name, table } => {
            let (keys, needs) = des.table_keys(name, table);
            f.creates = keys;
            f.needs_new = needs;
            // A new partition comes after its parent's indexes, which PostgreSQL then creates
            // on it too (a partitioned index built online stays invalid until every partition
            // has its part).
            if let Some(p) = &table.partition_of {
                if let Some(parent) = des.model.tables.get(&p.parent) {
                    for i in parent.indexes.keys() {
                        f.needs_new.push(ObjKey::Relation(QualName::new(
                            p.parent.schema.clone(),
                            i.clone(),
                        )));
                    }
                }
            }
            // A default partition comes after its siblings, so that creating them does not
            // scan it for their rows.
            if let Some(p) = table.partition_of.as_ref().filter(|p| p.is_default()) {
                for (sibling, _) in Table::partitions_of(des.model, &p.parent) {
                    if sibling != name {
                        f.needs_new.push(ObjKey::Partition(sibling.clone()));
                    }
                }
            }
        }
        Change::DropTable { name, table, .. } => {
            let (mut keys, mut needs) = cur.table_keys(name, table);
            // Its triggers go with it: the functions they call are dropped after.
            for (tname, trigger) in &table.triggers {
                keys.push(ObjKey::Trigger(name.clone(), tname.clone()));
                needs.push(trigger_function(trigger));
            }
            // Sequences owned by the table go with it, unless the desired state keeps them
            // (their owner then moves first).
            keys.extend(
                cur.sequences_owned_by(name)
                    .into_iter()
                    .filter(|q| !des.model.sequences.contains_key(q))
                    .map(ObjKey::Relation),
            );
            f.drops = keys;
            f.needs_old = needs;
        }
        Change::AddColumn { table, column } => {
            f.creates
                .push(ObjKey::Column(table.clone(), column.name.clone()));
            f.creates.extend(identity_sequence(table, column));
            f.needs_new.push(ObjKey::Relation(table.clone()));
            f.needs_new.extend(des.column_deps(table, column));
        }
        Change::DropColumn { table, column, .. } => {
            f.drops
                .push(ObjKey::Column(table.clone(), column.name.clone()));
            f.drops.extend(identity_sequence(table, column));
            f.needs_old.extend(cur.column_deps(table, column));
        }
        Change::AlterColumn {
            table, from, to, ..
        } => {
            // Only a new type (or the end of a generation expression) makes a new version of
            // the column that views must wait for; defaults and NULL-ness do not.
            if from.data_type != to.data_type
                || from.collation != to.collation
                || from.generated != to.generated
            {
                let key = ObjKey::Column(table.clone(), to.name.clone());
                f.drops.push(key.clone());
                f.creates.push(key);
            }
            // An identity brings its sequence along and takes it away.
            if from.identity.as_ref().map(|i| &i.sequence)
                != to.identity.as_ref().map(|i| &i.sequence)
            {
                f.drops.extend(identity_sequence(table, from));
                f.creates.extend(identity_sequence(table, to));
            }
            // The column's dependencies (its type, its default's sequence and functions) matter
            // only when the type or the default changes. What PostgreSQL recorded belongs to the
            // column as it is (current) or will be (desired); the middle state of a split change
            // (serial ↔ identity) has none of it.
            let relevant = from.data_type != to.data_type
                || from.default != to.default
                || from.generated != to.generated;
            if relevant {
                let is_current = cur
                    .model
                    .tables
                    .get(table)
                    .and_then(|t| t.column(&from.name))
                    == Some(from);
                let is_desired =
                    des.model.tables.get(table).and_then(|t| t.column(&to.name)) == Some(to);
                if is_current {
                    f.needs_old.extend(cur.column_deps(table, from));
                } else {
                    f.needs_old.extend(cur.enum_of(table, &from.data_type));
                }
                if is_desired {
                    f.needs_new.extend(des.column_deps(table, to));
                } else {
                    f.needs_new.extend(des.enum_of(table, &to.data_type));
                }
            }
            if from.not_null && !to.not_null {
                // A column cannot lose NOT NULL while a primary key still holds it.
                if let Some(t) = cur.model.tables.get(table) {
                    for (cname, c) in &t.constraints {
                        if let ConstraintKind::PrimaryKey { columns, .. } = &c.kind {
                            if columns.contains(&to.name) {
                                f.needs_gone
                                    .push(ObjKey::Constraint(table.clone(), cname.clone()));
                            }
                        }
                    }
                }
            }
        }
        Change::AddConstraint {
            table,
            name,
            constraint,
        } => {
            f.creates
                .push(ObjKey::Constraint(table.clone(), name.clone()));
            if let ConstraintKind::PrimaryKey { .. } = constraint.kind {
                // A table has one primary key: the old one goes first.
                f.needs_gone.extend(cur.primary_key_of(table));
            }
            if constraint.kind.has_index() {
                f.creates.push(ObjKey::Relation(QualName::new(
                    table.schema.clone(),
                    name.clone(),
                )));
            }
            if constraint.kind.is_unique_key() {
                // The mirror of the foreign key rule below: foreign keys into this table that
                // are dropped go first, so that undoing the plan step by step re-adds them
                // after this key is gone again.
                f.needs_gone.extend(cur.foreign_keys_into(table));
            }
            f.needs_new
                .extend(des.constraint_deps(table, name, constraint));
            if let ConstraintKind::ForeignKey(fk) = &constraint.kind {
                f.needs_new.push(ObjKey::Logged(fk.ref_table.clone()));
                // PostgreSQL attaches a new foreign key to the first unique index that fits; a
                // key of the referenced table that is going away must be gone first, or the
                // foreign key would hold on to it.
                f.needs_gone.extend(cur.unique_keys_of(&fk.ref_table));
            }
        }
        Change::DropConstraint {
            table,
            name,
            constraint,
        } => {
            f.drops
                .push(ObjKey::Constraint(table.clone(), name.clone()));
            if constraint.kind.has_index() {
                f.drops.push(ObjKey::Relation(QualName::new(
                    table.schema.clone(),
                    name.clone(),
                )));
            }
            f.needs_old
                .extend(cur.constraint_deps(table, name, constraint));
        }
        Change::ValidateConstraint { table, name, .. }
        | Change::AlterConstraint { table, name, .. } => f
            .needs_new
            .push(ObjKey::Constraint(table.clone(), name.clone())),
        Change::CreateIndex {
            table,
            name,
            index,
            replaces,
            ..
        } => {
            f.creates.push(ObjKey::Relation(QualName::new(
                table.schema.clone(),
                name.clone(),
            )));
            if index.unique {
                f.needs_gone.extend(cur.foreign_keys_into(table));
            }
            // An index built to replace another has that index's dependencies.
            f.needs_new
                .extend(des.index_deps(table, replaces.as_ref().unwrap_or(name), index));
        }
        Change::DropIndex {
            table, name, index, ..
        } => {
            f.drops.push(ObjKey::Relation(QualName::new(
                table.schema.clone(),
                name.clone(),
            )));
            f.needs_old.extend(cur.index_deps(table, name, index));
        }
        Change::Rename { target, from, to } => {
            let (old, new) = match target {
                Renamed::Table { schema } | Renamed::Sequence { schema } => (
                    ObjKey::Relation(QualName::new(schema.clone(), from.clone())),
                    ObjKey::Relation(QualName::new(schema.clone(), to.clone())),
                ),
                Renamed::Enum { schema } => (
                    ObjKey::Type(QualName::new(schema.clone(), from.clone())),
                    ObjKey::Type(QualName::new(schema.clone(), to.clone())),
                ),
                Renamed::Column { table } => {
                    f.needs_new.push(ObjKey::Relation(table.clone()));
                    (
                        ObjKey::Column(table.clone(), from.clone()),
                        ObjKey::Column(table.clone(), to.clone()),
                    )
                }
                Renamed::Constraint { table } => {
                    f.needs_new.push(ObjKey::Relation(table.clone()));
                    // A key's index is renamed with it.
                    f.drops.push(ObjKey::Relation(QualName::new(
                        table.schema.clone(),
                        from.clone(),
                    )));
                    f.creates.push(ObjKey::Relation(QualName::new(
                        table.schema.clone(),
                        to.clone(),
                    )));
                    (
                        ObjKey::Constraint(table.clone(), from.clone()),
                        ObjKey::Constraint(table.clone(), to.clone()),
                    )
                }
            };
            f.drops.push(old);
            f.creates.push(new);
        }
        Change::RenameIndex { table, from, to } => {
            // Not a drop of the old name: the index it renames was just built under that name.
            f.needs_new.push(ObjKey::Relation(QualName::new(
                table.schema.clone(),
                from.clone(),
            )));
            f.creates.push(ObjKey::Relation(QualName::new(
                table.schema.clone(),
                to.clone(),
            )));
        }
        Change::AddConstraintUsingIndex {
            table,
            name,
            constraint,
        } => {
            f.creates
                .push(ObjKey::Constraint(table.clone(), name.clone()));
            f.needs_new.push(ObjKey::Relation(QualName::new(
                table.schema.clone(),
                name.clone(),
            )));
            f.needs_new
                .extend(des.constraint_deps(table, name, constraint));
            if let ConstraintKind::PrimaryKey { .. } = constraint.kind {
                f.needs_gone.extend(cur.primary_key_of(table));
            }
            f.needs_gone.extend(cur.foreign_keys_into(table));
        }
        Change::RunHook { hook } => {
            // It reads and writes what it depends on and its batch table: after they are
            // created, before they are dropped.
            let objects = hook
                .depends_on
                .iter()
                .filter_map(|d| match d {
                    crate::model::hook::Dependency::Object(q) => Some(q),
                    crate::model::hook::Dependency::Hook(_) => None,
                })
                .chain(hook.batch.iter().map(|b| &b.table));
            // What the database has is read as it is (a legacy table the contract phase
            // replaces by a view of its name); what it lacks is created first.
            for q in objects {
                let key = ObjKey::Relation(q.clone());
                if cur.model.tables.contains_key(q)
                    || cur.model.views.contains_key(q)
                    || cur.model.materialized_views.contains_key(q)
                {
                    f.needs_old.push(key);
                } else {
                    f.needs_new.push(key);
                }
            }
        }
        Change::UndoHook { .. } => {}
        Change::Backfill { table, column, .. } => {
            f.needs_new.push(ObjKey::Relation(table.clone()));
            f.needs_new
                .push(ObjKey::Column(table.clone(), column.clone()));
        }
        Change::CreateView { name, view } => {
            f.creates = view_column_keys(name, view);
            f.needs_new = des.view_deps(name);
        }
        Change::DropView { name, view } => {
            f.drops = view_column_keys(name, view);
            f.needs_old = cur.view_deps(name);
        }
        Change::ReplaceView { name, from, to } => {
            f.creates = view_column_keys(name, to);
            f.creates.remove(0);
            if to.columns.len() > from.columns.len() {
                // Its dependents are rebuilt around it (see diff), so that undoing it — a drop
                // and create — is not blocked by them.
                f.drops = view_column_keys(name, from);
                f.drops.remove(0);
            }
            f.needs_new = des.view_deps(name);
            f.needs_old = cur.view_deps(name);
            f.needs_old
                .retain(|k| *k != ObjKey::Schema(name.schema.clone()));
        }
        Change::SetOptions { table, .. } => f.needs_new.push(ObjKey::Relation(table.clone())),
        Change::CreateMaterializedView { name, view } => {
            (f.creates, f.needs_new) = materialized_view_keys(des, name, view);
        }
        Change::DropMaterializedView { name, view } => {
            (f.drops, f.needs_old) = materialized_view_keys(cur, name, view);
        }
        Change::SetMaterializedViewOptions { name, .. } => {
            f.needs_new.push(ObjKey::Relation(name.clone()))
        }
        Change::SetPersistence {
            table,
            sequence: true,
            ..
        } => {
            // ALTER TABLE … SET [UN]LOGGED also changes the sequences the table owns: a
            // sequence's own change comes after its owner's, whichever way that goes.
            if let Some(owner) = des
                .model
                .sequences
                .get(table)
                .and_then(|s| s.owned_by.as_ref())
            {
                f.needs_new.push(ObjKey::Logged(owner.table.clone()));
                f.needs_gone.push(ObjKey::Logged(owner.table.clone()));
            }
        }
        Change::SetPersistence {
            table,
            unlogged: false,
            ..
        } => {
            // A logged table may only reference logged tables.
            f.creates.push(ObjKey::Logged(table.clone()));
            f.needs_new
                .extend(des.references_of(table).map(ObjKey::Logged));
        }
        Change::SetPersistence {
            table,
            unlogged: true,
            ..
        } => {
            // Tables referencing it become unlogged, or lose their reference, first.
            f.drops.push(ObjKey::Logged(table.clone()));
            for fk in cur.foreign_keys_into(table) {
                if let ObjKey::Constraint(source, _) = &fk {
                    if source != table {
                        f.needs_gone.push(ObjKey::Logged(source.clone()));
                    }
                }
                f.needs_gone.push(fk);
            }
        }
        Change::SetComment { target, .. } => f.needs_new.push(comment_key(target)),
        // Only ever part of a reverse, which keeps its own order.
        Change::Restore { .. } => {}
        Change::AttachPartition { table, partition } => {
            f.creates.push(ObjKey::Partition(table.clone()));
            f.needs_new = des.attach_needs(table, partition);
        }
        Change::DetachPartition {
            table, partition, ..
        } => {
            f.drops.push(ObjKey::Partition(table.clone()));
            f.needs_old.push(ObjKey::Relation(table.clone()));
            f.needs_old.push(ObjKey::Relation(partition.parent.clone()));
        }
        Change::CreateIndexOnly { table, name, index } => {
            f.creates.push(ObjKey::Relation(QualName::new(
                table.schema.clone(),
                name.clone(),
            )));
            f.needs_new.extend(des.index_deps(table, name, index));
        }
        Change::AttachIndex {
            table,
            name,
            parent_table,
            parent_index,
        } => {
            f.needs_new.push(ObjKey::Relation(QualName::new(
                table.schema.clone(),
                name.clone(),
            )));
            f.needs_new.push(ObjKey::Relation(QualName::new(
                parent_table.schema.clone(),
                parent_index.clone(),
            )));
        }
        Change::DropPartitionedIndex { table, name } => f.drops.push(ObjKey::Relation(
            QualName::new(table.schema.clone(), name.clone()),
        )),
        // Keeping a name for the way back: before the parent's index goes.
        Change::NameInheritedIndex {
            partition,
            parent_index,
            name,
            previous: Some(previous),
        } if previous == name => {
            f.needs_old.push(ObjKey::Relation(partition.clone()));
            f.needs_old.push(ObjKey::Relation(parent_index.clone()));
        }
        Change::NameInheritedIndex {
            partition,
            parent_index,
            name,
            ..
        } => {
            f.needs_new.push(ObjKey::Relation(partition.clone()));
            f.needs_new.push(ObjKey::Partition(partition.clone()));
            f.needs_new.push(ObjKey::Relation(parent_index.clone()));
            f.creates.push(ObjKey::Relation(QualName::new(
                partition.schema.clone(),
                name.clone(),
            )));
        }
        Change::CreateFunction { id, def } => {
            f.creates.push(ObjKey::Function(id.clone()));
            f.needs_new.push(ObjKey::Schema(id.name.schema.clone()));
            f.needs_new
                .extend(des.recorded(&ObjKey::Function(id.clone())));
            f.prefers_new = des.function_mentions(id, def);
        }
        Change::ReplaceFunction { id, to, .. } => {
            f.needs_new
                .extend(des.recorded(&ObjKey::Function(id.clone())));
            f.needs_old
                .extend(cur.recorded(&ObjKey::Function(id.clone())));
            f.prefers_new = des.function_mentions(id, to);
        }
        Change::DropFunction { id, .. } => {
            f.drops.push(ObjKey::Function(id.clone()));
            f.needs_old.push(ObjKey::Schema(id.name.schema.clone()));
            f.needs_old
                .extend(cur.recorded(&ObjKey::Function(id.clone())));
        }
        Change::CreateTrigger {
            table,
            name,
            trigger,
        } => {
            f.creates.push(ObjKey::Trigger(table.clone(), name.clone()));
            f.needs_new = des.trigger_deps(table, name, trigger);
        }
        Change::DropTrigger {
            table,
            name,
            trigger,
        } => {
            f.drops.push(ObjKey::Trigger(table.clone(), name.clone()));
            f.needs_old = cur.trigger_deps(table, name, trigger);
        }
        Change::ReplaceTrigger {
            table,
            name,
            from,
            to,
        } => {
            f.needs_new = des.trigger_deps(table, name, to);
            f.needs_old = cur.trigger_deps(table, name, from);
            f.needs_old
                .retain(|k| *k != ObjKey::Relation(table.clone()));
        }
        Change::SetTriggerEnabled { table, name, .. } => f
            .needs_new
            .push(ObjKey::Trigger(table.clone(), name.clone())),
        Change::CreateDomain { name, def } => {
            f.creates.push(ObjKey::Type(name.clone()));
            f.creates.extend(
                def.constraints
                    .keys()
                    .map(|c| ObjKey::Constraint(name.clone(), c.clone())),
            );
            f.needs_new = des.domain_deps(name, def);
        }
        Change::DropDomain { name, def } => {
            f.drops.push(ObjKey::Type(name.clone()));
            f.drops.extend(
                def.constraints
                    .keys()
                    .map(|c| ObjKey::Constraint(name.clone(), c.clone())),
            );
            f.needs_old = cur.domain_deps(name, def);
        }
        Change::RebuildDomain { domains, .. } => {
            for d in domains {
                let mut keys = vec![ObjKey::Type(d.name.clone())];
                keys.extend(
                    d.columns
                        .iter()
                        .map(|c| ObjKey::Column(c.table.clone(), c.column.clone())),
                );
                f.drops.extend(keys.clone());
                f.creates.extend(keys);
                f.needs_new.extend(des.domain_deps(&d.name, &d.to));
                f.needs_old.extend(cur.domain_deps(&d.name, &d.from));
            }
            // Its own domains are both made and taken away by it.
            f.needs_new.retain(|k| !f.creates.contains(k));
            f.needs_old.retain(|k| !f.drops.contains(k));
        }
        Change::SetDomainDefault { name, .. } | Change::SetDomainNotNull { name, .. } => {
            f.needs_new.push(ObjKey::Type(name.clone()))
        }
        Change::AddDomainConstraint { domain, name, .. } => {
            f.creates
                .push(ObjKey::Constraint(domain.clone(), name.clone()));
            f.needs_new.push(ObjKey::Type(domain.clone()));
        }
        Change::DropDomainConstraint { domain, name, .. } => {
            f.drops
                .push(ObjKey::Constraint(domain.clone(), name.clone()));
            f.needs_old.push(ObjKey::Type(domain.clone()));
        }
        Change::ValidateDomainConstraint { domain, name, .. } => f
            .needs_new
            .push(ObjKey::Constraint(domain.clone(), name.clone())),
        Change::CreateCompositeType { name, def } => {
            f.creates.push(ObjKey::Type(name.clone()));
            f.needs_new.push(ObjKey::Schema(name.schema.clone()));
            for a in &def.attributes {
                f.creates.push(ObjKey::Column(name.clone(), a.name.clone()));
                f.needs_new.extend(des.attribute_deps(name, a));
            }
            f.needs_new.retain(|k| !f.creates.contains(k));
        }
        Change::DropCompositeType { name, def } => {
            f.drops.push(ObjKey::Type(name.clone()));
            f.needs_old.push(ObjKey::Schema(name.schema.clone()));
            for a in &def.attributes {
                f.drops.push(ObjKey::Column(name.clone(), a.name.clone()));
                f.needs_old.extend(cur.attribute_deps(name, a));
            }
            f.needs_old.retain(|k| !f.drops.contains(k));
        }
        Change::AddAttribute {
            type_name,
            attribute,
        } => {
            f.creates
                .push(ObjKey::Column(type_name.clone(), attribute.name.clone()));
            f.needs_new.push(ObjKey::Type(type_name.clone()));
            f.needs_new.extend(des.attribute_deps(type_name, attribute));
        }
        Change::DropAttribute {
            type_name,
            attribute,
            ..
        } => {
            f.drops
                .push(ObjKey::Column(type_name.clone(), attribute.name.clone()));
            f.needs_old.extend(cur.attribute_deps(type_name, attribute));
        }
        Change::AlterAttributeType {
            type_name,
            from,
            to,
        } => {
            let key = ObjKey::Column(type_name.clone(), to.name.clone());
            f.drops.push(key.clone());
            f.creates.push(key);
            f.needs_old.extend(cur.attribute_deps(type_name, from));
            f.needs_new.extend(des.attribute_deps(type_name, to));
        }
        Change::CreatePolicy { table, name, .. } => {
            let key = ObjKey::Policy(table.clone(), name.clone());
            f.needs_new.push(ObjKey::Relation(table.clone()));
            f.needs_new.extend(des.recorded(&key));
            f.needs_new.retain(|k| *k != key);
            f.creates.push(key);
        }
        Change::DropPolicy { table, name, .. } => {
            let key = ObjKey::Policy(table.clone(), name.clone());
            f.needs_old.push(ObjKey::Relation(table.clone()));
            f.needs_old.extend(cur.recorded(&key));
            f.drops.push(key);
        }
        Change::AlterPolicy { table, name, .. } => {
            // The policy stops reading what it read before, and reads what it reads after.
            let key = ObjKey::Policy(table.clone(), name.clone());
            f.needs_new.push(ObjKey::Relation(table.clone()));
            f.needs_new.extend(des.recorded(&key));
            f.needs_old.extend(cur.recorded(&key));
            f.needs_old
                .retain(|k| *k != ObjKey::Relation(table.clone()));
        }
        Change::SetRowSecurity { table, .. } => f.needs_new.push(ObjKey::Relation(table.clone())),
        Change::SetOwner { object, .. } => {
            f.needs_new.push(object.key());
            f.drops.push(ObjKey::Owner(object.clone()));
            f.creates.push(ObjKey::Owner(object.clone()));
        }
        Change::SetGrants {
            object,
            grantee,
            from,
            to,
        } => {
            let removes = crate::plan::change::removes_privileges(from, to);
            if removes {
                // A column's privileges are revoked before the column is dropped, so that
                // going back grants them again once it is there.
                f.needs_old.push(object.key());
            } else {
                f.needs_new.push(object.key());
            }
            // ALTER … OWNER rewrites the old owner's entries into the new owner's: grants to
            // the old owner come after it, revokes from the new owner before it.
            let owned_by = match object {
                SecuredObject::Column(q, _) => SecuredObject::Table(q.clone()),
                other => other.clone(),
            };
            let (old_owner, new_owner) = (
                owner_of(cur.model, &owned_by),
                owner_of(des.model, &owned_by),
            );
            if old_owner.is_some() && new_owner.is_some() && old_owner != new_owner {
                if old_owner == Some(grantee.as_str()) {
                    f.needs_new.push(ObjKey::Owner(owned_by.clone()));
                }
                if new_owner == Some(grantee.as_str()) {
                    f.needs_old.push(ObjKey::Owner(owned_by.clone()));
                }
            }
            // Revoking a table privilege revokes it from the columns too: where a grantee has
            // column privileges on the table, removals (of either) come before additions.
            if let SecuredObject::Table(q) | SecuredObject::Column(q, _) = object {
                let has_column_grants = |m: &Catalog| {
                    m.tables
                        .get(q)
                        .is_some_and(|t| t.column_grants.values().any(|g| g.contains_key(grantee)))
                };
                if has_column_grants(cur.model) || has_column_grants(des.model) {
                    let key = ObjKey::TablePrivileges(q.clone(), grantee.clone());
                    if removes {
                        f.drops.push(key);
                    } else {
                        f.needs_gone.push(key);
                    }
                }
            }
        }
        Change::SetDefaultPrivileges { key, from, to, .. } => {
            if let Some(schema) = &key.schema {
                if crate::plan::change::removes_privileges(from, to) {
                    f.needs_old.push(ObjKey::Schema(schema.clone()));
                } else {
                    f.needs_new.push(ObjKey::Schema(schema.clone()));
                }
            }
        }
    }
    // What a partition has from its parent can only be dropped once it is detached (a table
    // that is dropped takes it along instead).
    if let Change::DropConstraint { table, .. } | Change::DropIndex { table, .. } = change {
        if des.model.tables.contains_key(table) {
            f.needs_gone.push(ObjKey::Partition(table.clone()));
        }
    }
    f
}

/// The owner a model gives an object (`None` when it does not say).
fn owner_of<'m>(model: &'m Catalog, object: &SecuredObject) -> Option<&'m str> {
    match object {
        SecuredObject::Schema(s) => model.schemas.get(s)?.owner.as_deref(),
        SecuredObject::Table(q) | SecuredObject::Column(q, _) => {
            model.tables.get(q)?.owner.as_deref()
        }
        SecuredObject::View(q) => model.views.get(q)?.owner.as_deref(),
        SecuredObject::Sequence(q) => model.sequences.get(q)?.owner.as_deref(),
        SecuredObject::Function(_) => None,
    }
}
