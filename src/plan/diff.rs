//! `diff(current, desired)`: a pure function from two models to typed changes. It decides *what*
//! changes; the graph module decides in which order.
//!
//! Objects that depend on something being replaced are rebuilt with it: a view over a column whose
//! type changes is dropped before and created after; a foreign key on a primary key that is
//! recreated is recreated too. Which objects depend on which comes from `pg_depend` of the
//! current database (`Catalog::deps`).

use std::collections::{BTreeMap, BTreeSet, HashMap, VecDeque};

use crate::model::Casts;
use crate::model::warning::Warning;
use crate::model::*;
use crate::plan::change::{Change, CommentTarget, EnumColumn, RebuiltDomain, Renumber, Using};
use crate::sqltext::types;

#[derive(Clone, Debug, Default)]
pub struct DiffOutput {
    pub changes: Vec<Change>,
    pub warnings: Vec<Warning>,
}

/// How an object's old version goes away, which decides what must be rebuilt with it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Disturbance {
    /// A column keeps its place but changes type: PostgreSQL rebuilds indexes and constraints
    /// itself, but refuses while views read the column.
    Retyped,
    /// The object is dropped (and maybe created again): everything depending on it goes too.
    Replaced,
}

pub fn diff(current: &Catalog, desired: &Catalog, casts: &Casts) -> DiffOutput {
    let mut d = Differ {
        cur: current,
        des: desired,
        casts,
        out: DiffOutput::default(),
        seeds: Vec::new(),
        rebuild_views: BTreeSet::new(),
        rebuild_matviews: BTreeMap::new(),
        rebuild_constraints: BTreeSet::new(),
        rebuild_indexes: BTreeSet::new(),
        rebuild_triggers: BTreeSet::new(),
        replaced_functions: BTreeSet::new(),
        rebuild_policies: BTreeSet::new(),
        recreated_columns: BTreeSet::new(),
        index_tables: current
            .tables
            .iter()
            .flat_map(|(t, table)| {
                table
                    .indexes
                    .keys()
                    .map(move |i| (QualName::new(t.schema.clone(), i.clone()), t.clone()))
            })
            .collect(),
        domain_groups: Vec::new(),
    };
    d.plan_domain_rebuilds();
    d.plan_rebuild_seeds();
    d.close_over_dependents();
    d.schemas();
    d.extensions();
    d.enums();
    d.domains();
    d.composite_types();
    d.sequences();
    d.functions();
    d.tables();
    d.inherited_index_names();
    d.keep_inherited_index_names();
    d.triggers();
    d.views();
    d.materialized_views();
    d.security();
    d.out.warnings.sort();
    d.out.warnings.dedup();
    d.out
}

struct Differ<'a> {
    cur: &'a Catalog,
    des: &'a Catalog,
    casts: &'a Casts,
    out: DiffOutput,
    seeds: Vec<(ObjKey, Disturbance)>,
    rebuild_views: BTreeSet<QualName>,
    /// Materialized views dropped and created again because of something they read, and what.
    rebuild_matviews: BTreeMap<QualName, (ObjKey, Disturbance)>,
    rebuild_constraints: BTreeSet<(QualName, String)>,
    rebuild_indexes: BTreeSet<(QualName, String)>,
    rebuild_triggers: BTreeSet<(QualName, String)>,
    /// Functions dropped and created again (a change `CREATE OR REPLACE` cannot make).
    replaced_functions: BTreeSet<FunctionId>,
    /// Policies dropped and created again around what their expressions read.
    rebuild_policies: BTreeSet<(QualName, String)>,
    /// Columns dropped and added again (a changed generation expression).
    recreated_columns: BTreeSet<(QualName, String)>,
    /// Stand-alone indexes of the current model → their table.
    index_tables: HashMap<QualName, QualName>,
    /// Domains rebuilt together: a domain that cannot be changed in place, then the domains
    /// built over it (base first), which must move to the new one.
    domain_groups: Vec<Vec<QualName>>,
}

/// Whether a view can be changed with `CREATE OR REPLACE VIEW`: the old columns stay as they
/// are (same names and types, same order) and new ones may only be appended.
fn view_replaceable(from: &View, to: &View) -> bool {
    to.columns.len() >= from.columns.len() && to.columns[..from.columns.len()] == from.columns[..]
}

/// ALTER POLICY changes roles and expressions, but can neither remove an expression nor change
/// the command or PERMISSIVE/RESTRICTIVE.
fn policy_alterable(from: &Policy, to: &Policy) -> bool {
    from.permissive == to.permissive
        && from.command == to.command
        && (from.using.is_none() || to.using.is_some())
        && (from.with_check.is_none() || to.with_check.is_some())
}

fn same_constraint(a: &Constraint, b: &Constraint) -> bool {
    a.kind == b.kind && a.deferrable == b.deferrable && a.initially_deferred == b.initially_deferred
}

fn same_index(a: &Index, b: &Index) -> bool {
    Index {
        comment: None,
        ..a.clone()
    } == Index {
        comment: None,
        ..b.clone()
    }
}

/// A table whose partition key changes (or that becomes or stops being partitioned) cannot be
/// altered: it is dropped and created again.
fn repartitioned(old: &Table, new: &Table) -> bool {
    old.partition_by != new.partition_by
}

/// Whether two functions are the same but for their comment and grants (changed by steps of
/// their own). White space around a body is not significant (YAML block scalars end in a line
/// break, hand-written SQL often starts with one).
fn same_function(a: &Function, b: &Function) -> bool {
    let definition = |f: &Function| Function {
        comment: None,
        grants: Grants::new(),
        body: f.body.trim().to_string(),
        ..f.clone()
    };
    definition(a) == definition(b)
}

fn column_retyped(a: &Column, b: &Column) -> bool {
    a.data_type != b.data_type || a.collation != b.collation
}

/// A changed generation expression (or a plain column becoming generated) cannot be altered in
/// place before PostgreSQL 17: the column is dropped and added again.
fn column_recreated(a: &Column, b: &Column) -> bool {
    b.generated.is_some() && a.generated != b.generated
}

/// Whether `to` keeps every value of `from` in the same relative order.
fn is_extension_of(from: &[String], to: &[String]) -> bool {
    let mut it = to.iter();
    from.iter().all(|v| it.any(|w| w == v))
}

/// Whether a domain gets a rule its existing values must be checked against: NOT NULL, a new or
/// changed validated constraint, or a constraint to validate.
fn domain_tightens(old: &Domain, new: &Domain) -> bool {
    (!old.not_null && new.not_null)
        || new.constraints.iter().any(|(n, c)| {
            c.validated
                && old
                    .constraints
                    .get(n)
                    .is_none_or(|p| p.expression != c.expression || !p.validated)
        })
}

/// A composite type with an attribute of `name` (or an array of it), in `catalog`.
fn composite_using(catalog: &Catalog, name: &QualName) -> Option<QualName> {
    let printed = crate::model::quote::qualified(name);
    let array = format!("{printed}[]");
    catalog
        .composite_types
        .iter()
        .find(|(_, c)| {
            c.attributes
                .iter()
                .any(|a| a.data_type == printed || a.data_type == array)
        })
        .map(|(q, _)| q.clone())
}

/// Whether table columns hold values of the type `name`: directly, as arrays, or inside a
/// composite type that is itself stored.
fn type_stored(catalog: &Catalog, name: &QualName) -> bool {
    let mut seen = vec![name.clone()];
    let mut i = 0;
    while i < seen.len() {
        if !catalog.columns_of_type(&seen[i]).is_empty() {
            return true;
        }
        let printed = crate::model::quote::qualified(&seen[i]);
        let array = format!("{printed}[]");
        for (q, c) in &catalog.composite_types {
            if !seen.contains(q)
                && c.attributes
                    .iter()
                    .any(|a| a.data_type == printed || a.data_type == array)
            {
                seen.push(q.clone());
            }
        }
        i += 1;
    }
    false
}

/// Whether anything else uses the type: table columns, composite types, domains over it, or
/// views (through `pg_depend`).
fn type_in_use(catalog: &Catalog, name: &QualName) -> bool {
    let printed = crate::model::quote::qualified(name);
    let key = ObjKey::Type(name.clone());
    type_stored(catalog, name)
        || composite_using(catalog, name).is_some()
        || catalog
            .domains
            .values()
            .any(|d| d.data_type.trim_end_matches("[]") == printed)
        || catalog.deps.iter().any(|(from, to)| {
            to == &key
                || matches!((from, to), (ObjKey::Relation(_), ObjKey::Column(q, _)) if q == name)
        })
}

/// Whether the desired attributes are the old ones that stay, in their order, followed by
/// new ones: what ADD / DROP / ALTER ATTRIBUTE can reach.
fn attributes_in_place(old: &CompositeType, new: &CompositeType) -> bool {
    let kept: Vec<&str> = old
        .attributes
        .iter()
        .filter(|a| new.attribute(&a.name).is_some())
        .map(|a| a.name.as_str())
        .collect();
    let wanted: Vec<&str> = new
        .attributes
        .iter()
        .take(kept.len())
        .map(|a| a.name.as_str())
        .collect();
    kept == wanted
}

/// Types that any type converts to on assignment, through its text output.
const STRING_TYPES: &[&str] = &["text", "character varying", "character", "name"];

fn needs_using(from: &str, to: &str, casts: &Casts) -> bool {
    let (a, b) = (types::base_of_printed(from), types::base_of_printed(to));
    let (a_arr, b_arr) = (types::is_array(from), types::is_array(to));
    if a_arr != b_arr {
        return true;
    }
    if a == b {
        return false;
    }
    if STRING_TYPES.contains(&b.as_str()) && !a_arr {
        return false;
    }
    !casts.assignment.contains(&(a, b))
}

impl Differ<'_> {
    fn warn(&mut self, object: impl ToString, message: impl Into<String>) {
        self.out.warnings.push(Warning {
            object: object.to_string(),
            message: message.into(),
        });
    }

    fn push(&mut self, change: Change) {
        self.out.changes.push(change);
    }

    /// Keys whose old version disappears in this plan.
    fn plan_rebuild_seeds(&mut self) {
        let (cur, des) = (self.cur, self.des);
        for (name, table) in &cur.tables {
            let new = des
                .tables
                .get(name)
                .filter(|new| !repartitioned(table, new));
            let Some(new) = new else {
                // Dropped, or rebuilt with another partition key: everything on it goes.
                if des.tables.contains_key(name) {
                    for (cname, con) in &table.constraints {
                        self.seed_constraint(name, cname, con);
                    }
                    for iname in table.indexes.keys() {
                        self.seeds.push((
                            ObjKey::Relation(QualName::new(name.schema.clone(), iname.clone())),
                            Disturbance::Replaced,
                        ));
                    }
                }
                self.seeds
                    .push((ObjKey::Relation(name.clone()), Disturbance::Replaced));
                for c in &table.columns {
                    self.seeds.push((
                        ObjKey::Column(name.clone(), c.name.clone()),
                        Disturbance::Replaced,
                    ));
                }
                continue;
            };
            for c in &table.columns {
                let key = ObjKey::Column(name.clone(), c.name.clone());
                match new.column(&c.name) {
                    None => self.seeds.push((key, Disturbance::Replaced)),
                    Some(n) if column_recreated(c, n) => {
                        self.recreated_columns
                            .insert((name.clone(), c.name.clone()));
                        self.seeds.push((key, Disturbance::Replaced));
                    }
                    Some(n) if column_retyped(c, n) => self.seeds.push((key, Disturbance::Retyped)),
                    Some(_) => {}
                }
            }
            for (cname, con) in &table.constraints {
                let gone = match new.constraints.get(cname) {
                    None => true,
                    Some(n) => !same_constraint(con, n),
                };
                if gone {
                    self.seed_constraint(name, cname, con);
                }
            }
            for (iname, index) in &table.indexes {
                if !index.valid {
                    let what = if new.indexes.contains_key(iname) {
                        "it is dropped and built again"
                    } else {
                        "the desired state does not name it, so it is dropped"
                    };
                    self.warn(
                        format!("{}.{iname}", name.schema),
                        format!("the index is INVALID (a concurrent build failed): {what}"),
                    );
                }
                let gone = match new.indexes.get(iname) {
                    None => true,
                    Some(n) => !same_index(index, n),
                };
                if gone {
                    self.seeds.push((
                        ObjKey::Relation(QualName::new(name.schema.clone(), iname.clone())),
                        Disturbance::Replaced,
                    ));
                }
            }
        }
        for (name, view) in &cur.views {
            // A view that gains columns is replaced in place, but its dependents are rebuilt
            // around it: undoing the step drops the view, which they would block.
            let replaced = match des.views.get(name) {
                None => true,
                Some(n) => !view_replaceable(view, n) || n.columns.len() > view.columns.len(),
            };
            if replaced {
                self.seed_view(name, view);
            }
        }
        for (name, view) in &cur.materialized_views {
            // No CREATE OR REPLACE: a new definition is a new materialized view.
            let replaced = match des.materialized_views.get(name) {
                None => true,
                Some(n) => !same_matview_query(view, n),
            };
            if replaced {
                self.seeds
                    .push((ObjKey::Relation(name.clone()), Disturbance::Replaced));
                for c in &view.columns {
                    self.seeds.push((
                        ObjKey::Column(name.clone(), c.name.clone()),
                        Disturbance::Replaced,
                    ));
                }
            }
        }
        for (name, e) in &cur.enums {
            let rebuilt = match des.enums.get(name) {
                None => true,
                Some(n) => !is_extension_of(&e.values, &n.values),
            };
            if rebuilt {
                self.seeds
                    .push((ObjKey::Type(name.clone()), Disturbance::Replaced));
                // Its columns are cast to the new type: what reads them is in the way.
                for c in self.enum_columns(name) {
                    self.seeds
                        .push((ObjKey::Column(c.table, c.column), Disturbance::Retyped));
                }
            }
        }
        for name in cur.sequences.keys() {
            if !des.sequences.contains_key(name) {
                self.seeds
                    .push((ObjKey::Relation(name.clone()), Disturbance::Replaced));
            }
        }
        for (id, f) in &cur.functions {
            let replaced = match des.functions.get(id) {
                None => true,
                Some(n) => !f.replaceable_by(n),
            };
            if replaced {
                if des.functions.contains_key(id) {
                    self.replaced_functions.insert(id.clone());
                }
                self.seeds
                    .push((ObjKey::Function(id.clone()), Disturbance::Replaced));
            }
        }
        self.seed_types();
    }

    /// Rebuilt domains and their columns (cast to the new domain), dropped domains, and
    /// composite types that are dropped, recreated, or lose or retype attributes.
    fn seed_types(&mut self) {
        let (cur, des) = (self.cur, self.des);
        for name in self.domain_groups.concat() {
            self.seeds
                .push((ObjKey::Type(name.clone()), Disturbance::Replaced));
            for c in self.enum_columns(&name) {
                self.seeds
                    .push((ObjKey::Column(c.table, c.column), Disturbance::Retyped));
            }
        }
        for name in cur.domains.keys() {
            if !des.domains.contains_key(name) {
                self.seeds
                    .push((ObjKey::Type(name.clone()), Disturbance::Replaced));
            }
        }
        for (name, old) in &cur.composite_types {
            let recreated = match des.composite_types.get(name) {
                None => true,
                Some(new) => self.composite_recreated(name, old, new),
            };
            if recreated {
                self.seeds
                    .push((ObjKey::Type(name.clone()), Disturbance::Replaced));
            }
            for a in &old.attributes {
                let key = ObjKey::Column(name.clone(), a.name.clone());
                match des
                    .composite_types
                    .get(name)
                    .and_then(|n| n.attribute(&a.name))
                {
                    _ if recreated => self.seeds.push((key, Disturbance::Replaced)),
                    None => self.seeds.push((key, Disturbance::Replaced)),
                    Some(n) if n.data_type != a.data_type || n.collation != a.collation => {
                        self.seeds.push((key, Disturbance::Retyped))
                    }
                    Some(_) => {}
                }
            }
        }
    }

    /// Domains that cannot be changed in place: a new base type or collation (ALTER DOMAIN
    /// changes neither), or a tightening (NOT NULL, a constraint to validate) while an array
    /// column holds values of the domain (PostgreSQL refuses to check those in place). Each is
    /// rebuilt with the domains over it.
    fn plan_domain_rebuilds(&mut self) {
        let (cur, des) = (self.cur, self.des);
        let mut triggered: Vec<QualName> = Vec::new();
        for (name, old) in &cur.domains {
            let Some(new) = des.domains.get(name) else {
                continue;
            };
            let retyped = old.data_type != new.data_type || old.collation != new.collation;
            let in_arrays = || {
                cur.domain_and_subdomains(name)
                    .iter()
                    .any(|d| cur.columns_of_type(d).iter().any(|(_, _, array)| *array))
            };
            if retyped || (domain_tightens(old, new) && in_arrays()) {
                triggered.push(name.clone());
            }
        }
        for root in &triggered {
            let covered = triggered
                .iter()
                .any(|other| other != root && cur.domain_and_subdomains(other).contains(root));
            if covered {
                continue;
            }
            let group: Vec<QualName> = cur
                .domain_and_subdomains(root)
                .into_iter()
                .filter(|d| des.domains.contains_key(d))
                .collect();
            if let Some((domain, composite)) = group
                .iter()
                .find_map(|d| composite_using(cur, d).map(|c| (d, c)))
            {
                self.warn(
                    root,
                    format!(
                        "the domain must be rebuilt (new base type, or a check PostgreSQL cannot run in place), but composite type {composite} has an attribute of {domain}: PostgreSQL cannot retype it, so the domain is left as it is"
                    ),
                );
                continue;
            }
            self.domain_groups.push(group);
        }
    }

    fn rebuilt_domain(&self, name: &QualName) -> bool {
        self.domain_groups.iter().any(|g| g.contains(name))
    }

    /// Whether the attributes of a composite type cannot reach the desired order by adding at
    /// the end, dropping and retyping, and nothing uses the type: it is then dropped and
    /// created again. (A type in use keeps its order, with a warning.)
    fn composite_recreated(
        &self,
        name: &QualName,
        old: &CompositeType,
        new: &CompositeType,
    ) -> bool {
        !attributes_in_place(old, new) && !type_in_use(self.cur, name)
    }

    fn seed_constraint(&mut self, table: &QualName, name: &str, con: &Constraint) {
        self.seeds.push((
            ObjKey::Constraint(table.clone(), name.to_string()),
            Disturbance::Replaced,
        ));
        if con.kind.has_index() {
            self.seeds.push((
                ObjKey::Relation(QualName::new(table.schema.clone(), name.to_string())),
                Disturbance::Replaced,
            ));
        }
    }

    fn seed_view(&mut self, name: &QualName, view: &View) {
        self.seeds
            .push((ObjKey::Relation(name.clone()), Disturbance::Replaced));
        for c in &view.columns {
            self.seeds.push((
                ObjKey::Column(name.clone(), c.name.clone()),
                Disturbance::Replaced,
            ));
        }
    }

    /// Follows `pg_depend` from every disturbed key to the objects that must be rebuilt.
    fn close_over_dependents(&mut self) {
        let mut dependents: HashMap<&ObjKey, Vec<&ObjKey>> = HashMap::new();
        for (from, to) in &self.cur.deps {
            dependents.entry(to).or_default().push(from);
        }
        let mut queue: VecDeque<(ObjKey, Disturbance)> = self.seeds.drain(..).collect();
        let mut seen: BTreeSet<(ObjKey, Disturbance)> = BTreeSet::new();
        while let Some((key, how)) = queue.pop_front() {
            if !seen.insert((key.clone(), how)) {
                continue;
            }
            let Some(deps) = dependents.get(&key) else {
                continue;
            };
            for dep in deps.clone() {
                match dep {
                    ObjKey::Relation(q) | ObjKey::Column(q, _)
                        if self.cur.views.contains_key(q) && self.des.views.contains_key(q) =>
                    {
                        // A view that stops reading the disturbed object and keeps its columns
                        // is replaced in place before the object goes; no rebuild needed.
                        let replaceable = view_replaceable(&self.cur.views[q], &self.des.views[q]);
                        let still_reads = self
                            .des
                            .deps
                            .contains(&(ObjKey::Relation(q.clone()), key.clone()));
                        if replaceable && !still_reads {
                            continue;
                        }
                        if !self.rebuild_views.insert(q.clone()) {
                            continue;
                        }
                        let view = &self.cur.views[q];
                        queue.push_back((ObjKey::Relation(q.clone()), Disturbance::Replaced));
                        for c in &view.columns {
                            queue.push_back((
                                ObjKey::Column(q.clone(), c.name.clone()),
                                Disturbance::Replaced,
                            ));
                        }
                    }
                    // A materialized view cannot be altered: whatever disturbs what it reads
                    // (a column's type, a view it reads being rebuilt) drops it and creates it
                    // again after, and what reads it in turn.
                    ObjKey::Relation(q) | ObjKey::Column(q, _)
                        if self.cur.materialized_views.contains_key(q) =>
                    {
                        if !self.des.materialized_views.contains_key(q)
                            || self.rebuild_matviews.contains_key(q)
                        {
                            continue;
                        }
                        self.rebuild_matviews.insert(q.clone(), (key.clone(), how));
                        queue.push_back((ObjKey::Relation(q.clone()), Disturbance::Replaced));
                        for c in &self.cur.materialized_views[q].columns {
                            queue.push_back((
                                ObjKey::Column(q.clone(), c.name.clone()),
                                Disturbance::Replaced,
                            ));
                        }
                    }
                    // A foreign key follows its columns' type change only when the types stay
                    // comparable; it is dropped and added again around any type change.
                    // PostgreSQL rebuilds checks over a retyped column from their printed text,
                    // which for some expressions does not parse back to the same tree: those are
                    // rebuilt from verified SQL instead.
                    ObjKey::Constraint(t, n)
                        if how == Disturbance::Replaced
                            || self.is_foreign_key(t, n)
                            || self.constraint_reprinted(t, n) =>
                    {
                        let kept = self
                            .des
                            .tables
                            .get(t)
                            .is_some_and(|tb| tb.constraints.contains_key(n));
                        if kept && self.rebuild_constraints.insert((t.clone(), n.clone())) {
                            queue.push_back((dep.clone(), Disturbance::Replaced));
                            if self.cur.tables[t].constraints[n].kind.has_index() {
                                queue.push_back((
                                    ObjKey::Relation(QualName::new(t.schema.clone(), n.clone())),
                                    Disturbance::Replaced,
                                ));
                            }
                        }
                    }
                    // A generated column cannot outlive a change of the columns it reads: it is
                    // dropped and added again (its values are derived, nothing is lost).
                    ObjKey::Column(t, g)
                        if self.is_generated_in_both(t, g)
                            && self.recreated_columns.insert((t.clone(), g.clone())) =>
                    {
                        queue.push_back((dep.clone(), Disturbance::Replaced));
                    }
                    ObjKey::Relation(q)
                        if how == Disturbance::Replaced || self.index_reprinted(q) =>
                    {
                        let Some(table) = self.index_table(q) else {
                            continue;
                        };
                        let kept = self
                            .des
                            .tables
                            .get(&table)
                            .is_some_and(|tb| tb.indexes.contains_key(&q.name));
                        if kept && self.rebuild_indexes.insert((table, q.name.clone())) {
                            queue.push_back((dep.clone(), Disturbance::Replaced));
                        }
                    }
                    // PostgreSQL refuses to retype a column a trigger's WHEN or UPDATE OF
                    // names, and to drop a function a trigger calls: the trigger is dropped
                    // before and created again after.
                    ObjKey::Trigger(t, n) => {
                        let kept = self
                            .des
                            .tables
                            .get(t)
                            .is_some_and(|tb| tb.triggers.contains_key(n));
                        if kept {
                            self.rebuild_triggers.insert((t.clone(), n.clone()));
                        }
                    }
                    // PostgreSQL refuses to retype or drop a column (or drop a table) a policy
                    // reads: the policy is dropped before and created after. Nothing depends
                    // on a policy, so the closure stops there.
                    ObjKey::Policy(t, p) => {
                        let (Some(old), Some(new)) = (
                            self.cur.tables.get(t).and_then(|tb| tb.policies.get(p)),
                            self.des.tables.get(t).and_then(|tb| tb.policies.get(p)),
                        ) else {
                            continue;
                        };
                        // A policy that stops reading the disturbed object is altered in
                        // place before the object goes.
                        let still_reads = self.des.deps.contains(&(dep.clone(), key.clone()));
                        if policy_alterable(old, new) && !still_reads {
                            continue;
                        }
                        self.rebuild_policies.insert((t.clone(), p.clone()));
                    }
                    _ => {}
                }
            }
        }
    }

    fn is_foreign_key(&self, table: &QualName, name: &str) -> bool {
        self.cur
            .tables
            .get(table)
            .and_then(|t| t.constraints.get(name))
            .is_some_and(|c| matches!(c.kind, ConstraintKind::ForeignKey(_)))
    }

    /// Whether a check's (or an exclusion constraint's) printed text needs a rewrite to parse
    /// back to itself.
    fn constraint_reprinted(&self, table: &QualName, name: &str) -> bool {
        self.cur
            .tables
            .get(table)
            .and_then(|t| t.constraints.get(name))
            .is_some_and(|c| match &c.kind {
                ConstraintKind::Check { expression, .. } => expression.source.is_some(),
                ConstraintKind::Exclude(x) => x.expressions().any(|e| e.source.is_some()),
                _ => false,
            })
    }

    /// Whether an index's printed expressions or predicate need a rewrite to parse back.
    fn index_reprinted(&self, index: &QualName) -> bool {
        let Some(table) = self.index_tables.get(index) else {
            return false;
        };
        let Some(i) = self
            .cur
            .tables
            .get(table)
            .and_then(|t| t.indexes.get(&index.name))
        else {
            return false;
        };
        i.predicate.as_ref().is_some_and(|p| p.source.is_some())
            || i.keys
                .iter()
                .any(|k| matches!(&k.expr, IndexExpr::Expression(e) if e.source.is_some()))
    }

    fn is_generated_in_both(&self, table: &QualName, column: &str) -> bool {
        let generated = |model: &Catalog| {
            model
                .tables
                .get(table)
                .and_then(|t| t.column(column))
                .is_some_and(|c| c.generated.is_some())
        };
        generated(self.cur) && generated(self.des)
    }

    /// The table of a stand-alone index of the current model.
    fn index_table(&self, index: &QualName) -> Option<QualName> {
        self.index_tables.get(index).cloned()
    }

    fn schemas(&mut self) {
        for (name, s) in &self.des.schemas {
            match self.cur.schemas.get(name) {
                None => self.push(Change::CreateSchema {
                    name: name.clone(),
                    schema: s.clone(),
                }),
                Some(old) if old.comment != s.comment => self.push(Change::SetComment {
                    target: CommentTarget::Schema(name.clone()),
                    from: old.comment.clone(),
                    to: s.comment.clone(),
                }),
                Some(_) => {}
            }
        }
        for (name, s) in &self.cur.schemas {
            if !self.des.schemas.contains_key(name) {
                self.push(Change::DropSchema {
                    name: name.clone(),
                    schema: s.clone(),
                });
            }
        }
    }

    fn extensions(&mut self) {
        for (name, e) in &self.des.extensions {
            match self.cur.extensions.get(name) {
                None => self.push(Change::CreateExtension {
                    name: name.clone(),
                    ext: e.clone(),
                }),
                Some(old) => {
                    let schema_differs = e.schema.is_some() && e.schema != old.schema;
                    let mut version_differs = e.version.is_some() && e.version != old.version;
                    // ALTER EXTENSION … UPDATE TO needs a chain of the extension's update
                    // scripts from the installed version; going back usually has none.
                    let reachable = self
                        .cur
                        .extension_updates
                        .get(name)
                        .is_some_and(|v| e.version.as_ref().is_some_and(|t| v.contains(t)));
                    if version_differs && !reachable {
                        self.warn(
                            format!("extension {name}"),
                            format!(
                                "no update path from version {} to {} is installed on the server (an older version needs the extension's downgrade script); the extension stays at {}",
                                old.version.as_deref().unwrap_or("?"),
                                e.version.as_deref().unwrap_or("?"),
                                old.version.as_deref().unwrap_or("?"),
                            ),
                        );
                        version_differs = false;
                    }
                    if schema_differs || version_differs {
                        self.push(Change::AlterExtension {
                            name: name.clone(),
                            from: old.clone(),
                            to: Extension {
                                schema: e.schema.clone().or(old.schema.clone()),
                                version: if version_differs {
                                    e.version.clone()
                                } else {
                                    old.version.clone()
                                },
                            },
                        });
                    }
                }
            }
        }
        for (name, e) in &self.cur.extensions {
            // Extensions are read wherever they are installed, but only those in a managed
            // schema are dropped.
            let managed = e
                .schema
                .as_ref()
                .is_some_and(|s| self.cur.schemas.contains_key(s));
            if managed && !self.des.extensions.contains_key(name) {
                self.push(Change::DropExtension {
                    name: name.clone(),
                    ext: e.clone(),
                });
            }
        }
    }

    fn enums(&mut self) {
        for (name, e) in &self.des.enums {
            let Some(old) = self.cur.enums.get(name) else {
                self.push(Change::CreateEnum {
                    name: name.clone(),
                    def: e.clone(),
                });
                continue;
            };
            if old.values == e.values {
                if old.comment != e.comment {
                    self.push(Change::SetComment {
                        target: CommentTarget::Enum(name.clone()),
                        from: old.comment.clone(),
                        to: e.comment.clone(),
                    });
                }
                continue;
            }
            if is_extension_of(&old.values, &e.values) {
                self.push(Change::AddEnumValues {
                    name: name.clone(),
                    from: old.values.clone(),
                    to: e.values.clone(),
                });
                if old.comment != e.comment {
                    self.push(Change::SetComment {
                        target: CommentTarget::Enum(name.clone()),
                        from: old.comment.clone(),
                        to: e.comment.clone(),
                    });
                }
                continue;
            }
            let columns = self.enum_columns(name);
            let removed: Vec<&String> = old
                .values
                .iter()
                .filter(|v| !e.values.contains(v))
                .collect();
            if !removed.is_empty() {
                let list: Vec<String> = removed.iter().map(|v| format!("'{v}'")).collect();
                self.warn(
                    name,
                    format!(
                        "enum rebuilt without {}: the cast fails (and nothing is applied) if a row still uses a removed value",
                        list.join(", ")
                    ),
                );
            }
            self.push(Change::RebuildEnum {
                name: name.clone(),
                from: old.clone(),
                to: e.clone(),
                columns,
            });
        }
        for (name, e) in &self.cur.enums {
            if !self.des.enums.contains_key(name) {
                self.push(Change::DropEnum {
                    name: name.clone(),
                    def: e.clone(),
                });
            }
        }
    }

    /// Columns of `name` (or arrays of it) that keep that type through the plan.
    fn enum_columns(&self, name: &QualName) -> Vec<EnumColumn> {
        let printed = crate::model::quote::qualified(name);
        let mut out = Vec::new();
        for (tname, table) in &self.cur.tables {
            let Some(new_table) = self.des.tables.get(tname) else {
                continue;
            };
            for c in &table.columns {
                let array = c.data_type == format!("{printed}[]");
                if c.data_type != printed && !array {
                    continue;
                }
                let Some(n) = new_table.column(&c.name) else {
                    continue;
                };
                if n.data_type != c.data_type
                    || self
                        .recreated_columns
                        .contains(&(tname.clone(), c.name.clone()))
                {
                    continue;
                }
                out.push(EnumColumn {
                    table: tname.clone(),
                    column: c.name.clone(),
                    array,
                    default_before: c.default.clone(),
                    default_after: n.default.clone(),
                });
            }
        }
        out
    }

    fn domains(&mut self) {
        for (name, d) in &self.des.domains {
            let Some(old) = self.cur.domains.get(name) else {
                self.push(Change::CreateDomain {
                    name: name.clone(),
                    def: d.clone(),
                });
                continue;
            };
            if self.rebuilt_domain(name) {
                continue;
            }
            if old.data_type != d.data_type || old.collation != d.collation {
                // Left as it is (warned about in plan_domain_rebuilds).
                continue;
            }
            let composite = composite_using(self.cur, name);
            if let (Some(composite), true) = (&composite, domain_tightens(old, d)) {
                self.warn(
                    name,
                    format!(
                        "composite type {composite} has an attribute of this domain: PostgreSQL cannot check its values for a new NOT NULL or constraint, so those are left out"
                    ),
                );
            }
            let tightening_allowed = composite.is_none();
            if old.default != d.default {
                self.push(Change::SetDomainDefault {
                    name: name.clone(),
                    from: old.default.clone(),
                    to: d.default.clone(),
                });
            }
            if old.not_null != d.not_null && (!d.not_null || tightening_allowed) {
                if d.not_null {
                    self.warn(
                        name,
                        "SET NOT NULL on the domain fails if a column of the domain holds NULL",
                    );
                }
                self.push(Change::SetDomainNotNull {
                    name: name.clone(),
                    not_null: d.not_null,
                });
            }
            for (cname, con) in &d.constraints {
                match old.constraints.get(cname) {
                    Some(prev) if prev.expression == con.expression => {
                        if !prev.validated && con.validated && tightening_allowed {
                            self.push(Change::ValidateDomainConstraint {
                                domain: name.clone(),
                                name: cname.clone(),
                                constraint: con.clone(),
                            });
                        }
                        if prev.comment != con.comment {
                            self.push(Change::SetComment {
                                target: CommentTarget::DomainConstraint(
                                    name.clone(),
                                    cname.clone(),
                                ),
                                from: prev.comment.clone(),
                                to: con.comment.clone(),
                            });
                        }
                    }
                    prev => {
                        if !tightening_allowed && con.validated {
                            continue;
                        }
                        if let Some(prev) = prev {
                            self.push(Change::DropDomainConstraint {
                                domain: name.clone(),
                                name: cname.clone(),
                                constraint: prev.clone(),
                            });
                        }
                        self.push(Change::AddDomainConstraint {
                            domain: name.clone(),
                            name: cname.clone(),
                            constraint: con.clone(),
                        });
                    }
                }
            }
            for (cname, con) in &old.constraints {
                if !d.constraints.contains_key(cname) {
                    self.push(Change::DropDomainConstraint {
                        domain: name.clone(),
                        name: cname.clone(),
                        constraint: con.clone(),
                    });
                }
            }
            if old.comment != d.comment {
                self.push(Change::SetComment {
                    target: CommentTarget::Domain(name.clone()),
                    from: old.comment.clone(),
                    to: d.comment.clone(),
                });
            }
        }
        for group in self.domain_groups.clone() {
            let domains = group
                .iter()
                .map(|q| RebuiltDomain {
                    name: q.clone(),
                    from: self.cur.domains[q].clone(),
                    to: self.des.domains[q].clone(),
                    columns: self.enum_columns(q),
                })
                .collect();
            self.warn(
                &group[0],
                "the domain is rebuilt: every column of it (and of the domains over it) is cast to the new domain, which rewrites their tables under ACCESS EXCLUSIVE and fails if a value does not fit",
            );
            self.push(Change::RebuildDomain {
                name: group[0].clone(),
                domains,
            });
        }
        for (name, d) in &self.cur.domains {
            if !self.des.domains.contains_key(name) {
                self.push(Change::DropDomain {
                    name: name.clone(),
                    def: d.clone(),
                });
            }
        }
    }

    fn composite_types(&mut self) {
        for (name, new) in &self.des.composite_types {
            let Some(old) = self.cur.composite_types.get(name) else {
                self.push(Change::CreateCompositeType {
                    name: name.clone(),
                    def: new.clone(),
                });
                continue;
            };
            if self.composite_recreated(name, old, new) {
                self.push(Change::DropCompositeType {
                    name: name.clone(),
                    def: old.clone(),
                });
                self.push(Change::CreateCompositeType {
                    name: name.clone(),
                    def: new.clone(),
                });
                continue;
            }
            let stored = type_stored(self.cur, name);
            if !attributes_in_place(old, new) {
                self.warn(
                    name,
                    "the attribute order of a composite type in use cannot change (PostgreSQL adds attributes at the end and cannot move them); new attributes go at the end",
                );
            }
            for a in &old.attributes {
                let Some(n) = new.attribute(&a.name) else {
                    if stored {
                        self.warn(
                            format!("{name}.{}", a.name),
                            "the attribute is dropped from a composite type that table columns store: its values in those columns are lost",
                        );
                    }
                    self.push(Change::DropAttribute {
                        type_name: name.clone(),
                        attribute: a.clone(),
                        stored,
                    });
                    continue;
                };
                if n.data_type != a.data_type || n.collation != a.collation {
                    if stored {
                        self.warn(
                            format!("{name}.{}", a.name),
                            "PostgreSQL cannot change the type of an attribute of a composite type that table columns store (ALTER TYPE … ALTER ATTRIBUTE refuses, with or without CASCADE); the attribute keeps its type",
                        );
                    } else {
                        self.push(Change::AlterAttributeType {
                            type_name: name.clone(),
                            from: a.clone(),
                            to: Attribute {
                                comment: a.comment.clone(),
                                ..n.clone()
                            },
                        });
                    }
                }
                if n.comment != a.comment {
                    self.push(Change::SetComment {
                        target: CommentTarget::Attribute(name.clone(), a.name.clone()),
                        from: a.comment.clone(),
                        to: n.comment.clone(),
                    });
                }
            }
            for n in &new.attributes {
                if old.attribute(&n.name).is_none() {
                    self.push(Change::AddAttribute {
                        type_name: name.clone(),
                        attribute: n.clone(),
                    });
                }
            }
            if old.comment != new.comment {
                self.push(Change::SetComment {
                    target: CommentTarget::CompositeType(name.clone()),
                    from: old.comment.clone(),
                    to: new.comment.clone(),
                });
            }
        }
        for (name, old) in &self.cur.composite_types {
            if !self.des.composite_types.contains_key(name) {
                self.push(Change::DropCompositeType {
                    name: name.clone(),
                    def: old.clone(),
                });
            }
        }
    }

    fn sequences(&mut self) {
        for (name, s) in &self.des.sequences {
            let Some(old) = self.cur.sequences.get(name) else {
                self.push(Change::CreateSequence {
                    name: name.clone(),
                    def: Sequence {
                        owned_by: None,
                        ..s.clone()
                    },
                });
                if s.owned_by.is_some() {
                    self.push(Change::SetSequenceOwner {
                        name: name.clone(),
                        from: None,
                        to: s.owned_by.clone(),
                    });
                }
                continue;
            };
            if old.options != s.options {
                self.push(Change::AlterSequence {
                    name: name.clone(),
                    from: old.options.clone(),
                    to: s.options.clone(),
                });
            }
            // ALTER TABLE … SET [UN]LOGGED takes the sequences the table owns along.
            let owner_flips_to = old.owned_by.as_ref().and_then(|o| {
                let before = self.cur.tables.get(&o.table)?.unlogged;
                let after = self.des.tables.get(&o.table)?.unlogged;
                (before != after).then_some(after)
            });
            if owner_flips_to.unwrap_or(old.unlogged) != s.unlogged {
                self.push(Change::SetPersistence {
                    table: name.clone(),
                    sequence: true,
                    unlogged: s.unlogged,
                });
            }
            // A table that is dropped and created again (a new partition key) would take the
            // sequences it owns along: they are released first and owned again after.
            let owner_rebuilt = old.owned_by.as_ref().is_some_and(|o| {
                matches!(
                    (self.cur.tables.get(&o.table), self.des.tables.get(&o.table)),
                    (Some(a), Some(b)) if repartitioned(a, b)
                )
            });
            if owner_rebuilt {
                self.push(Change::SetSequenceOwner {
                    name: name.clone(),
                    from: old.owned_by.clone(),
                    to: None,
                });
                if s.owned_by.is_some() {
                    self.push(Change::SetSequenceOwner {
                        name: name.clone(),
                        from: None,
                        to: s.owned_by.clone(),
                    });
                }
            } else if old.owned_by != s.owned_by {
                self.push(Change::SetSequenceOwner {
                    name: name.clone(),
                    from: old.owned_by.clone(),
                    to: s.owned_by.clone(),
                });
            }
            if old.comment != s.comment {
                self.push(Change::SetComment {
                    target: CommentTarget::Sequence(name.clone()),
                    from: old.comment.clone(),
                    to: s.comment.clone(),
                });
            }
        }
        for (name, s) in &self.cur.sequences {
            if self.des.sequences.contains_key(name) {
                continue;
            }
            // A sequence owned by a column goes away with its column or table.
            let owner_dropped = s.owned_by.as_ref().is_some_and(|o| {
                self.des
                    .tables
                    .get(&o.table)
                    .is_none_or(|t| t.column(&o.column).is_none())
                    && self.cur.tables.contains_key(&o.table)
            });
            if !owner_dropped {
                self.push(Change::DropSequence {
                    name: name.clone(),
                    def: s.clone(),
                    backup: None,
                });
            }
        }
    }

    fn tables(&mut self) {
        for (name, table) in &self.des.tables {
            match self.cur.tables.get(name) {
                None => self.create_table(name, table),
                Some(old) if repartitioned(old, table) => {
                    let describe = |k: &Option<String>| match k {
                        Some(k) => format!("PARTITION BY {k}"),
                        None => "not partitioned".to_string(),
                    };
                    self.warn(
                        name,
                        format!(
                            "the table is {} and should be {}: PostgreSQL cannot change a partition key in place, so the table is dropped (its rows kept in schemaplan_backup) and created again; the rows are not moved into the new table",
                            describe(&old.partition_by),
                            describe(&table.partition_by)
                        ),
                    );
                    self.push(Change::DropTable {
                        name: name.clone(),
                        table: old.clone(),
                        backup: None,
                    });
                    self.create_table(name, table);
                }
                Some(old) => self.alter_table(name, old, table),
            }
        }
        for (name, table) in &self.cur.tables {
            if self.des.tables.contains_key(name) {
                continue;
            }
            // Foreign keys between tables that are all dropped would make the drops wait for
            // each other; dropping those keys first breaks the cycle. The table dropped after
            // them no longer has them.
            let mut remaining = table.clone();
            for (cname, con) in &table.constraints {
                if let ConstraintKind::ForeignKey(fk) = &con.kind {
                    if fk.ref_table != *name && !self.des.tables.contains_key(&fk.ref_table) {
                        remaining.constraints.remove(cname);
                        self.push(Change::DropConstraint {
                            table: name.clone(),
                            name: cname.clone(),
                            constraint: con.clone(),
                        });
                    }
                }
            }
            self.push(Change::DropTable {
                name: name.clone(),
                table: remaining,
                backup: None,
            });
        }
    }

    fn create_table(&mut self, name: &QualName, table: &Table) {
        let (inline, separate): (BTreeMap<_, _>, BTreeMap<_, _>) =
            table.constraints.clone().into_iter().partition(|(_, c)| {
                c.validated && !matches!(c.kind, ConstraintKind::ForeignKey(_))
            });
        self.push(Change::CreateTable {
            name: name.clone(),
            table: Table {
                constraints: inline,
                indexes: BTreeMap::new(),
                policies: BTreeMap::new(),
                ..table.clone()
            },
        });
        for (pname, policy) in &table.policies {
            self.push(Change::CreatePolicy {
                table: name.clone(),
                name: pname.clone(),
                policy: policy.clone(),
            });
        }
        for (cname, con) in separate {
            self.push(Change::AddConstraint {
                table: name.clone(),
                name: cname,
                constraint: con,
            });
        }
        for (iname, index) in &table.indexes {
            self.push(Change::CreateIndex {
                table: name.clone(),
                name: iname.clone(),
                index: index.clone(),
                concurrently: false,
                replaces: None,
            });
        }
    }

    fn alter_table(&mut self, name: &QualName, old: &Table, new: &Table) {
        let (mut old_view, new_view) = partition_views(old, new);
        // A concurrent detach leaves a CHECK of the partition constraint behind: it is the
        // table's from then on (dropped below unless the desired state keeps it).
        if let Some((check, constraint)) = self.repartition(name, old, &old_view, &new_view) {
            old_view.constraints.insert(check, constraint);
        }
        let (old, new) = (&old_view, &new_view);
        for column in &new.columns {
            let Some(prev) = old.column(&column.name) else {
                self.add_column(name, column);
                continue;
            };
            if self
                .recreated_columns
                .contains(&(name.clone(), column.name.clone()))
            {
                self.warn(
                    format!("{name}.{}", column.name),
                    "the generated column is dropped and added again (PostgreSQL 15 cannot change a generation expression, or the columns it reads, in place)",
                );
                self.push(Change::DropColumn {
                    table: name.clone(),
                    column: prev.clone(),
                    backup: None,
                });
                self.push(Change::AddColumn {
                    table: name.clone(),
                    column: column.clone(),
                });
                continue;
            }
            if prev != column {
                self.alter_column(name, prev, column);
            }
        }
        for column in &old.columns {
            if new.column(&column.name).is_none() {
                self.push(Change::DropColumn {
                    table: name.clone(),
                    column: column.clone(),
                    backup: None,
                });
            }
        }
        for (cname, con) in &new.constraints {
            let rebuilt = self
                .rebuild_constraints
                .contains(&(name.clone(), cname.clone()))
                || con
                    .kind
                    .reads_columns()
                    .into_iter()
                    .any(|c| self.recreated_columns.contains(&(name.clone(), c.clone())));
            match old.constraints.get(cname) {
                Some(prev)
                    if !rebuilt
                        && matches!(con.kind, ConstraintKind::ForeignKey(_))
                        && prev.kind == con.kind
                        && !same_constraint(prev, con) =>
                {
                    self.push(Change::AlterConstraint {
                        table: name.clone(),
                        name: cname.clone(),
                        from: prev.clone(),
                        to: con.clone(),
                    });
                    if prev.comment != con.comment {
                        self.push(Change::SetComment {
                            target: CommentTarget::Constraint(name.clone(), cname.clone()),
                            from: prev.comment.clone(),
                            to: con.comment.clone(),
                        });
                    }
                    if !prev.validated && con.validated {
                        self.push(Change::ValidateConstraint {
                            table: name.clone(),
                            name: cname.clone(),
                            constraint: con.clone(),
                        });
                    }
                }
                Some(prev) if same_constraint(prev, con) && !rebuilt => {
                    if !prev.validated && con.validated {
                        self.push(Change::ValidateConstraint {
                            table: name.clone(),
                            name: cname.clone(),
                            constraint: con.clone(),
                        });
                    }
                    if prev.comment != con.comment {
                        self.push(Change::SetComment {
                            target: CommentTarget::Constraint(name.clone(), cname.clone()),
                            from: prev.comment.clone(),
                            to: con.comment.clone(),
                        });
                    }
                }
                prev => {
                    if let Some(prev) = prev {
                        self.push(Change::DropConstraint {
                            table: name.clone(),
                            name: cname.clone(),
                            constraint: prev.clone(),
                        });
                    }
                    if let ConstraintKind::Exclude(x) = &con.kind {
                        self.warn(
                            format!("{name}.{cname}"),
                            format!(
                                "an exclusion constraint can be neither built concurrently nor added NOT VALID: adding it to an existing table holds ACCESS EXCLUSIVE on {name} while its {} index is built and every row checked",
                                x.method
                            ),
                        );
                    }
                    self.push(Change::AddConstraint {
                        table: name.clone(),
                        name: cname.clone(),
                        constraint: con.clone(),
                    });
                }
            }
        }
        for (cname, con) in &old.constraints {
            if !new.constraints.contains_key(cname) {
                self.push(Change::DropConstraint {
                    table: name.clone(),
                    name: cname.clone(),
                    constraint: con.clone(),
                });
            }
        }
        let rebuilt: BTreeSet<String> = new
            .indexes
            .iter()
            .filter(|(iname, index)| {
                self.rebuild_indexes
                    .contains(&(name.clone(), (*iname).clone()))
                    || index
                        .columns()
                        .any(|c| self.recreated_columns.contains(&(name.clone(), c.clone())))
            })
            .map(|(iname, _)| iname.clone())
            .collect();
        self.index_changes(name, &old.indexes, &new.indexes, &rebuilt);
        if old.unlogged != new.unlogged {
            self.push(Change::SetPersistence {
                table: name.clone(),
                sequence: false,
                unlogged: new.unlogged,
            });
        }
        if old.options != new.options {
            self.push(Change::SetOptions {
                table: name.clone(),
                view: false,
                from: old.options.clone(),
                to: new.options.clone(),
            });
        }
        if old.comment != new.comment {
            self.push(Change::SetComment {
                target: CommentTarget::Table(name.clone()),
                from: old.comment.clone(),
                to: new.comment.clone(),
            });
        }
    }

    /// A table that becomes a partition, stops being one, or moves: detached, then attached.
    fn repartition(
        &mut self,
        name: &QualName,
        table: &Table,
        old: &Table,
        new: &Table,
    ) -> Option<(String, Constraint)> {
        let moved = match (&old.partition_of, &new.partition_of) {
            (Some(a), Some(b)) => !a.same_place(b),
            (None, None) => false,
            _ => true,
        };
        if !moved {
            return None;
        }
        let mut left = None;
        if let Some(from) = &old.partition_of {
            // Not concurrently when the parent has a default partition (PostgreSQL refuses).
            let has_default = Table::partitions_of(self.cur, &from.parent)
                .any(|(_, t)| t.partition_of.as_ref().is_some_and(|p| p.is_default()));
            let concurrently = !has_default;
            let leaves_check = if concurrently {
                detach_check_name(name, table, old, from)
            } else {
                None
            };
            left = leaves_check
                .clone()
                .map(|n| (n, crate::plan::change::partition_check(from)));
            self.push(Change::DetachPartition {
                table: name.clone(),
                partition: from.clone(),
                concurrently,
                leaves_check,
            });
        }
        if let Some(to) = &new.partition_of {
            self.push(Change::AttachPartition {
                table: name.clone(),
                partition: to.clone(),
            });
        }
        left
    }

    fn add_column(&mut self, table: &QualName, column: &Column) {
        if column.not_null
            && column.default.is_none()
            && column.identity.is_none()
            && column.generated.is_none()
        {
            self.warn(
                format!("{table}.{}", column.name),
                "a NOT NULL column without a default is added: this fails if the table has rows",
            );
        }
        self.push(Change::AddColumn {
            table: table.clone(),
            column: column.clone(),
        });
    }

    fn alter_column(&mut self, table: &QualName, from: &Column, to: &Column) {
        let object = format!("{table}.{}", to.name);
        let retyped = from.data_type != to.data_type;
        let (using, using_reverse) = if retyped {
            (
                self.conversion(&from.data_type, &to.data_type, self.cur),
                self.conversion(&to.data_type, &from.data_type, self.des),
            )
        } else {
            (Using::Implicit, Using::Implicit)
        };
        if using != Using::Implicit {
            self.warn(
                &object,
                format!(
                    "type changes from {} to {} with an explicit conversion: the change fails if a value does not convert",
                    from.data_type, to.data_type
                ),
            );
        }
        let zone = |t: &str| types::base_of_printed(t).starts_with("timestamp");
        if retyped
            && zone(&from.data_type)
            && zone(&to.data_type)
            && from.data_type.contains("with time zone") != to.data_type.contains("with time zone")
        {
            self.warn(
                &object,
                "timestamp values are converted using the TimeZone of the session that applies the plan",
            );
        }
        if !from.not_null && to.not_null {
            self.warn(
                &object,
                "SET NOT NULL fails if a row holds NULL in this column",
            );
        }
        // An enum being rebuilt casts its own columns; only the rest is altered here.
        let mut from = from.clone();
        if (self.rebuilds_enum_of(&from.data_type) || self.rebuilds_domain_of(&from.data_type))
            && from.data_type == to.data_type
        {
            from.default = to.default.clone();
        }
        if from == *to {
            return;
        }
        let numbered = |c: &Column| c.identity.is_some() || c.default.is_some();
        if from.identity.is_some() != to.identity.is_some() && numbered(&from) && numbered(to) {
            // Numbering moves between a default and an identity (serial ↔ identity): the old
            // one is released in a step of its own and the new one taken up in a second, so
            // that a sequence of the same name can go or come in between; the new sequence then
            // continues after the values already in the column.
            let middle = Column {
                default: None,
                identity: None,
                ..to.clone()
            };
            let renumber = if to.identity.is_some() {
                Some(Renumber::Identity)
            } else {
                self.default_sequence(self.des, table, to)
                    .map(Renumber::Sequence)
            };
            let renumber_reverse = if from.identity.is_some() {
                Some(Renumber::Identity)
            } else {
                self.default_sequence(self.cur, table, &from)
                    .map(Renumber::Sequence)
            };
            self.push(Change::AlterColumn {
                table: table.clone(),
                from,
                to: middle.clone(),
                using,
                using_reverse,
                renumber: None,
                renumber_reverse,
            });
            self.push(Change::AlterColumn {
                table: table.clone(),
                from: middle,
                to: to.clone(),
                using: Using::Implicit,
                using_reverse: Using::Implicit,
                renumber,
                renumber_reverse: None,
            });
            return;
        }
        // An identity added to a column that holds values continues after them, going up or
        // (an identity dropped) coming back down.
        let gains_identity = |a: &Column, b: &Column| a.identity.is_none() && b.identity.is_some();
        self.push(Change::AlterColumn {
            table: table.clone(),
            renumber: gains_identity(&from, to).then_some(Renumber::Identity),
            renumber_reverse: gains_identity(to, &from).then_some(Renumber::Identity),
            from,
            to: to.clone(),
            using,
            using_reverse,
        });
    }

    /// How values convert from `from` to `to`; `model` is where `from` is defined.
    fn conversion(&self, from: &str, to: &str, model: &Catalog) -> Using {
        let base = from.strip_suffix("[]").unwrap_or(from);
        let from_enum = model
            .enums
            .keys()
            .any(|q| crate::model::quote::qualified(q) == base);
        if from_enum {
            Using::ThroughText
        } else if needs_using(from, to, self.casts) {
            Using::Cast
        } else {
            Using::Implicit
        }
    }

    /// The sequence a column's default takes values from, in `model`.
    fn default_sequence(
        &self,
        model: &Catalog,
        table: &QualName,
        column: &Column,
    ) -> Option<QualName> {
        let key = ObjKey::Column(table.clone(), column.name.clone());
        model.recorded_deps_of(&key).find_map(|k| match k {
            ObjKey::Relation(q) if model.sequences.contains_key(q) => Some(q.clone()),
            _ => None,
        })
    }

    /// Whether `data_type` is (an array of) an enum that this plan rebuilds.
    fn rebuilds_enum_of(&self, data_type: &str) -> bool {
        let base = data_type.strip_suffix("[]").unwrap_or(data_type);
        self.cur.enums.iter().any(|(q, e)| {
            crate::model::quote::qualified(q) == base
                && self
                    .des
                    .enums
                    .get(q)
                    .is_some_and(|n| !is_extension_of(&e.values, &n.values))
        })
    }

    fn functions(&mut self) {
        for (id, f) in &self.des.functions {
            let Some(old) = self.cur.functions.get(id) else {
                self.push(Change::CreateFunction {
                    id: id.clone(),
                    def: f.clone(),
                });
                continue;
            };
            if self.replaced_functions.contains(id) {
                self.push(Change::DropFunction {
                    id: id.clone(),
                    def: old.clone(),
                });
                self.push(Change::CreateFunction {
                    id: id.clone(),
                    def: f.clone(),
                });
                continue;
            }
            if !same_function(old, f) {
                self.push(Change::ReplaceFunction {
                    id: id.clone(),
                    from: old.clone(),
                    to: f.clone(),
                });
            }
            if old.comment != f.comment {
                self.push(Change::SetComment {
                    target: CommentTarget::Function(id.clone()),
                    from: old.comment.clone(),
                    to: f.comment.clone(),
                });
            }
        }
        for (id, f) in &self.cur.functions {
            if !self.des.functions.contains_key(id) {
                self.push(Change::DropFunction {
                    id: id.clone(),
                    def: f.clone(),
                });
            }
        }
    }

    /// Owners (where the desired state names one), grants of the listed roles, row-level
    /// security and policies of objects that exist on both sides, and default privileges.
    /// New objects bring theirs along (see `render`); dropped ones take theirs with them.
    fn security(&mut self) {
        let (cur, des) = (self.cur, self.des);
        for (name, s) in &des.schemas {
            if let Some(old) = cur.schemas.get(name) {
                let object = SecuredObject::Schema(name.clone());
                self.owner(&object, &old.owner, &s.owner);
                self.grants(&object, &old.grants, &s.grants);
            }
        }
        for (id, f) in &des.functions {
            if let Some(old) = cur.functions.get(id) {
                if !self.replaced_functions.contains(id) {
                    let object = SecuredObject::Function(id.clone());
                    self.grants(&object, &old.grants, &f.grants);
                }
            }
        }
        for (name, s) in &des.sequences {
            if let Some(old) = cur.sequences.get(name) {
                let object = SecuredObject::Sequence(name.clone());
                self.owner(&object, &old.owner, &s.owner);
                self.grants(&object, &old.grants, &s.grants);
            }
        }
        for (name, v) in &des.views {
            let Some(old) = cur.views.get(name) else {
                continue;
            };
            if self.rebuild_views.contains(name) || !view_replaceable(old, v) {
                continue;
            }
            let object = SecuredObject::View(name.clone());
            self.owner(&object, &old.owner, &v.owner);
            self.grants(&object, &old.grants, &v.grants);
        }
        for (name, t) in &des.tables {
            if let Some(old) = cur.tables.get(name) {
                self.table_security(name, old, t);
            }
        }
        // A dropped column takes its privileges along, and adding it back would not bring
        // them: they are revoked first (all of them), so that going back grants them again.
        for (name, t) in &cur.tables {
            let Some(new) = des.tables.get(name) else {
                continue;
            };
            for (column, grants) in &t.column_grants {
                let gone = new.column(column).is_none()
                    || self
                        .recreated_columns
                        .contains(&(name.clone(), column.clone()));
                if !gone {
                    continue;
                }
                let object = SecuredObject::Column(name.clone(), column.clone());
                for (grantee, privileges) in grants {
                    self.push(Change::SetGrants {
                        object: object.clone(),
                        grantee: grantee.clone(),
                        from: privileges.clone(),
                        to: Privileges::new(),
                    });
                }
            }
        }
        let keys: BTreeSet<&DefaultPrivilegeKey> = cur
            .default_privileges
            .keys()
            .chain(des.default_privileges.keys())
            .collect();
        let empty = Grants::new();
        for key in keys {
            let from = cur.default_privileges.get(key).unwrap_or(&empty);
            let to = des.default_privileges.get(key).unwrap_or(&empty);
            for (grantee, from, to) in crate::plan::security::grant_steps(from, to, &des.roles) {
                self.push(Change::SetDefaultPrivileges {
                    key: key.clone(),
                    grantee,
                    from,
                    to,
                });
            }
        }
    }

    fn owner(&mut self, object: &SecuredObject, from: &Option<String>, to: &Option<String>) {
        if let (Some(from), Some(to)) = (from, to) {
            if from != to {
                self.push(Change::SetOwner {
                    object: object.clone(),
                    from: from.clone(),
                    to: to.clone(),
                });
            }
        }
    }

    /// Names the desired state pins for the indexes partitions have from their parents'
    /// partitioned indexes: one under another name is renamed, one this plan creates (with the
    /// partition, or with the parent's index) gets its name once it exists.
    fn inherited_index_names(&mut self) {
        for (name, table) in &self.des.tables {
            let Some(p) = &table.partition_of else {
                continue;
            };
            let current = self
                .cur
                .tables
                .get(name)
                .filter(|t| !repartitioned(t, table))
                .and_then(|t| t.partition_of.as_ref())
                .filter(|c| c.parent == p.parent);
            for (parent_index, wanted) in &p.index_names {
                let now = current.and_then(|c| {
                    c.inherited_indexes
                        .iter()
                        .find(|(_, i)| i.parent_index == *parent_index)
                        .map(|(n, _)| n.clone())
                });
                if now.as_ref() != Some(wanted) {
                    self.push(Change::NameInheritedIndex {
                        partition: name.clone(),
                        parent_index: QualName::new(p.parent.schema.clone(), parent_index.clone()),
                        name: wanted.clone(),
                        previous: now,
                    });
                }
            }
        }
    }

    /// A partitioned index this plan drops takes its partitions' indexes along; undoing the
    /// plan creates it again, and PostgreSQL names those anew. A step that changes nothing going
    /// up, planned before the drop, names them as they were going down.
    fn keep_inherited_index_names(&mut self) {
        let dropped: Vec<(QualName, String)> = self
            .out
            .changes
            .iter()
            .filter_map(|c| match c {
                Change::DropIndex { table, name, .. } => Some((table.clone(), name.clone())),
                _ => None,
            })
            .collect();
        for (parent, index) in dropped {
            for (partition, table) in Table::partitions_of(self.cur, &parent) {
                if !self.des.tables.contains_key(partition) {
                    continue;
                }
                let Some(p) = &table.partition_of else {
                    continue;
                };
                for (child, inherited) in &p.inherited_indexes {
                    if inherited.parent_index == index && inherited.constraint.is_none() {
                        self.push(Change::NameInheritedIndex {
                            partition: partition.clone(),
                            parent_index: QualName::new(parent.schema.clone(), index.clone()),
                            name: child.clone(),
                            previous: Some(child.clone()),
                        });
                    }
                }
            }
        }
    }

    /// Triggers of the desired tables (a new table's too); those of a dropped table go with it.
    fn triggers(&mut self) {
        for (table, t) in &self.des.tables {
            let old_table = self.cur.tables.get(table);
            for (name, trigger) in &t.triggers {
                let key = (table.clone(), name.clone());
                let Some(old) = old_table.and_then(|o| o.triggers.get(name)) else {
                    self.push(Change::CreateTrigger {
                        table: table.clone(),
                        name: name.clone(),
                        trigger: trigger.clone(),
                    });
                    continue;
                };
                let same_definition = Trigger {
                    enabled: trigger.enabled,
                    comment: trigger.comment.clone(),
                    ..old.clone()
                } == *trigger;
                if self.rebuild_triggers.contains(&key)
                    || (!same_definition && (old.constraint || trigger.constraint))
                {
                    self.push(Change::DropTrigger {
                        table: table.clone(),
                        name: name.clone(),
                        trigger: old.clone(),
                    });
                    self.push(Change::CreateTrigger {
                        table: table.clone(),
                        name: name.clone(),
                        trigger: trigger.clone(),
                    });
                    continue;
                }
                if !same_definition {
                    self.push(Change::ReplaceTrigger {
                        table: table.clone(),
                        name: name.clone(),
                        from: old.clone(),
                        to: trigger.clone(),
                    });
                } else if old.enabled != trigger.enabled {
                    self.push(Change::SetTriggerEnabled {
                        table: table.clone(),
                        name: name.clone(),
                        from: old.enabled,
                        to: trigger.enabled,
                    });
                }
                if old.comment != trigger.comment {
                    self.push(Change::SetComment {
                        target: CommentTarget::Trigger(table.clone(), name.clone()),
                        from: old.comment.clone(),
                        to: trigger.comment.clone(),
                    });
                }
            }
            if let Some(old_table) = old_table {
                for (name, trigger) in &old_table.triggers {
                    if !t.triggers.contains_key(name) {
                        self.push(Change::DropTrigger {
                            table: table.clone(),
                            name: name.clone(),
                            trigger: trigger.clone(),
                        });
                    }
                }
            }
        }
    }

    /// Whether `data_type` is (an array of) a domain that this plan rebuilds.
    fn rebuilds_domain_of(&self, data_type: &str) -> bool {
        let base = data_type.strip_suffix("[]").unwrap_or(data_type);
        self.domain_groups
            .iter()
            .flatten()
            .any(|q| crate::model::quote::qualified(q) == base)
    }

    fn grants(&mut self, object: &SecuredObject, from: &Grants, to: &Grants) {
        for (grantee, from, to) in crate::plan::security::grant_steps(from, to, &self.des.roles) {
            self.push(Change::SetGrants {
                object: object.clone(),
                grantee,
                from,
                to,
            });
        }
    }

    fn table_security(&mut self, name: &QualName, old: &Table, new: &Table) {
        let object = SecuredObject::Table(name.clone());
        self.owner(&object, &old.owner, &new.owner);
        self.grants(&object, &old.grants, &new.grants);
        let empty = Grants::new();
        for column in &new.columns {
            let object = SecuredObject::Column(name.clone(), column.name.clone());
            let to = new.column_grants.get(&column.name).unwrap_or(&empty);
            let from = old.column_grants.get(&column.name).unwrap_or(&empty);
            let recreated = self
                .recreated_columns
                .contains(&(name.clone(), column.name.clone()));
            if old.column(&column.name).is_none() {
                self.grants(&object, &empty, to);
            } else if recreated {
                // Its grants were revoked before it was dropped (see `security`): all come
                // back, those of unlisted roles included.
                let all = crate::plan::security::merge_unmanaged(from, to, &self.des.roles);
                for (grantee, privileges) in all {
                    self.push(Change::SetGrants {
                        object: object.clone(),
                        grantee,
                        from: Privileges::new(),
                        to: privileges,
                    });
                }
            } else {
                self.grants(&object, from, to);
            }
        }
        if old.row_security != new.row_security {
            self.push(Change::SetRowSecurity {
                table: name.clone(),
                from: old.row_security,
                to: new.row_security,
            });
        }
        for (pname, policy) in &new.policies {
            let Some(prev) = old.policies.get(pname) else {
                self.push(Change::CreatePolicy {
                    table: name.clone(),
                    name: pname.clone(),
                    policy: policy.clone(),
                });
                continue;
            };
            let rebuilt = self
                .rebuild_policies
                .contains(&(name.clone(), pname.clone()));
            let alterable = policy_alterable(prev, policy);
            let same = Policy {
                comment: None,
                ..prev.clone()
            } == Policy {
                comment: None,
                ..policy.clone()
            };
            if rebuilt || (!same && !alterable) {
                self.push(Change::DropPolicy {
                    table: name.clone(),
                    name: pname.clone(),
                    policy: prev.clone(),
                });
                self.push(Change::CreatePolicy {
                    table: name.clone(),
                    name: pname.clone(),
                    policy: policy.clone(),
                });
                continue;
            }
            if !same {
                self.push(Change::AlterPolicy {
                    table: name.clone(),
                    name: pname.clone(),
                    from: prev.clone(),
                    to: policy.clone(),
                });
            }
            if prev.comment != policy.comment {
                self.push(Change::SetComment {
                    target: CommentTarget::Policy(name.clone(), pname.clone()),
                    from: prev.comment.clone(),
                    to: policy.comment.clone(),
                });
            }
        }
        for (pname, policy) in &old.policies {
            if !new.policies.contains_key(pname) {
                self.push(Change::DropPolicy {
                    table: name.clone(),
                    name: pname.clone(),
                    policy: policy.clone(),
                });
            }
        }
    }

    fn views(&mut self) {
        for (name, view) in &self.des.views {
            let Some(old) = self.cur.views.get(name) else {
                self.push(Change::CreateView {
                    name: name.clone(),
                    view: view.clone(),
                });
                continue;
            };
            let same_body = old.definition == view.definition && old.columns == view.columns;
            if self.rebuild_views.contains(name) || !view_replaceable(old, view) {
                self.push(Change::DropView {
                    name: name.clone(),
                    view: old.clone(),
                });
                // The new view keeps what the desired state does not manage: its owner and
                // the grants of unlisted roles.
                let mut recreated = view.clone();
                recreated.owner = view.owner.clone().or(old.owner.clone());
                recreated.grants = crate::plan::security::merge_unmanaged(
                    &old.grants,
                    &view.grants,
                    &self.des.roles,
                );
                self.push(Change::CreateView {
                    name: name.clone(),
                    view: recreated,
                });
                continue;
            }
            if !same_body {
                self.push(Change::ReplaceView {
                    name: name.clone(),
                    from: old.clone(),
                    to: view.clone(),
                });
            } else if old.options != view.options {
                self.push(Change::SetOptions {
                    table: name.clone(),
                    view: true,
                    from: old.options.clone(),
                    to: view.options.clone(),
                });
            }
            if old.comment != view.comment {
                self.push(Change::SetComment {
                    target: CommentTarget::View(name.clone()),
                    from: old.comment.clone(),
                    to: view.comment.clone(),
                });
            }
            let columns: BTreeSet<&String> = old
                .column_comments
                .keys()
                .chain(view.column_comments.keys())
                .collect();
            for column in columns {
                let (from, to) = (
                    old.column_comments.get(column),
                    view.column_comments.get(column),
                );
                if from != to {
                    self.push(Change::SetComment {
                        target: CommentTarget::Column(name.clone(), column.clone()),
                        from: from.cloned(),
                        to: to.cloned(),
                    });
                }
            }
        }
        for (name, view) in &self.cur.views {
            if !self.des.views.contains_key(name) {
                self.push(Change::DropView {
                    name: name.clone(),
                    view: view.clone(),
                });
            }
        }
    }
}

/// Whether two materialized views hold the same rows: same query, same columns. Whether it is
/// populated is the data's state (a `REFRESH` changes it), not its definition.
fn same_matview_query(a: &MaterializedView, b: &MaterializedView) -> bool {
    a.definition == b.definition && a.columns == b.columns
}

/// What happens to something a materialized view reads, for the warning that it is rebuilt.
fn describe_disturbance(current: &Catalog, key: &ObjKey, how: Disturbance) -> String {
    match key {
        ObjKey::Column(q, c) if current.tables.contains_key(q) => match how {
            Disturbance::Retyped => format!("the type of column {q}.{c} changes"),
            Disturbance::Replaced => format!("column {q}.{c} is dropped or added again"),
        },
        ObjKey::Column(q, _) | ObjKey::Relation(q)
            if current.views.contains_key(q) || current.materialized_views.contains_key(q) =>
        {
            format!("{q}, which it reads, is dropped and created again")
        }
        ObjKey::Relation(q) => format!("{q} is dropped"),
        ObjKey::Type(q) => format!("type {q} is rebuilt"),
        other => format!("{other:?} changes"),
    }
}

impl Differ<'_> {
    fn materialized_views(&mut self) {
        for (name, view) in &self.des.materialized_views {
            let Some(old) = self.cur.materialized_views.get(name) else {
                self.push(Change::CreateMaterializedView {
                    name: name.clone(),
                    view: view.clone(),
                });
                continue;
            };
            let cause = if let Some((key, how)) = self.rebuild_matviews.get(name) {
                Some(describe_disturbance(self.cur, key, *how))
            } else if !same_matview_query(old, view) {
                Some("its query changes".to_string())
            } else {
                None
            };
            if let Some(cause) = cause {
                self.warn(
                    name,
                    format!(
                        "the materialized view is dropped and created again ({cause}; PostgreSQL cannot alter a materialized view's query): its query runs again and its indexes are built again, while readers wait for it or, when other steps run in between, find it missing"
                    ),
                );
                self.push(Change::DropMaterializedView {
                    name: name.clone(),
                    view: old.clone(),
                });
                self.push(Change::CreateMaterializedView {
                    name: name.clone(),
                    view: view.clone(),
                });
                continue;
            }
            self.matview_indexes(name, old, view);
            if old.options != view.options {
                self.push(Change::SetMaterializedViewOptions {
                    name: name.clone(),
                    from: old.options.clone(),
                    to: view.options.clone(),
                });
            }
            if old.comment != view.comment {
                self.push(Change::SetComment {
                    target: CommentTarget::MaterializedView(name.clone()),
                    from: old.comment.clone(),
                    to: view.comment.clone(),
                });
            }
            let columns: BTreeSet<&String> = old
                .column_comments
                .keys()
                .chain(view.column_comments.keys())
                .collect();
            for column in columns {
                let (from, to) = (
                    old.column_comments.get(column),
                    view.column_comments.get(column),
                );
                if from != to {
                    self.push(Change::SetComment {
                        target: CommentTarget::Column(name.clone(), column.clone()),
                        from: from.cloned(),
                        to: to.cloned(),
                    });
                }
            }
        }
        for (name, view) in &self.cur.materialized_views {
            if !self.des.materialized_views.contains_key(name) {
                self.push(Change::DropMaterializedView {
                    name: name.clone(),
                    view: view.clone(),
                });
            }
        }
    }

    /// Indexes of a materialized view that stays: added, dropped, or dropped and built again
    /// when their definition changes (`online` builds them concurrently, as for tables).
    fn matview_indexes(&mut self, name: &QualName, old: &MaterializedView, new: &MaterializedView) {
        self.index_changes(name, &old.indexes, &new.indexes, &BTreeSet::new());
    }

    /// Stand-alone indexes of a relation that stays (a table, a materialized view): added,
    /// dropped, dropped and built again when their definition changes or they are in
    /// `rebuilt` (`online` turns these into concurrent builds), or given a new comment.
    fn index_changes(
        &mut self,
        relation: &QualName,
        old: &BTreeMap<String, Index>,
        new: &BTreeMap<String, Index>,
        rebuilt: &BTreeSet<String>,
    ) {
        for (iname, index) in new {
            match old.get(iname) {
                Some(prev) if same_index(prev, index) && !rebuilt.contains(iname) => {
                    if prev.comment != index.comment {
                        self.push(Change::SetComment {
                            target: CommentTarget::Index(QualName::new(
                                relation.schema.clone(),
                                iname.clone(),
                            )),
                            from: prev.comment.clone(),
                            to: index.comment.clone(),
                        });
                    }
                }
                prev => {
                    if let Some(prev) = prev {
                        self.push(Change::DropIndex {
                            table: relation.clone(),
                            name: iname.clone(),
                            index: prev.clone(),
                            concurrently: false,
                        });
                    }
                    self.push(Change::CreateIndex {
                        table: relation.clone(),
                        name: iname.clone(),
                        index: index.clone(),
                        concurrently: false,
                        replaces: None,
                    });
                }
            }
        }
        for (iname, index) in old {
            if !new.contains_key(iname) {
                self.push(Change::DropIndex {
                    table: relation.clone(),
                    name: iname.clone(),
                    index: index.clone(),
                    concurrently: false,
                });
            }
        }
    }
}

/// What the YAML leaves open about an extension stays as it is: without a schema, an installed
/// extension keeps its schema and a new one goes where the shadow put it (named explicitly, so
/// that the target's search path does not decide); without a version, an installed extension
/// keeps its version and a new one gets the server's default.
/// The inherited index names the YAML pins are the ones compared (the shadow read every
/// name back, pinned or chosen by PostgreSQL).
pub fn settle_partition_index_names(normalized: &mut Catalog, raw: &Catalog) {
    for (name, table) in normalized.tables.iter_mut() {
        if let Some(p) = table.partition_of.as_mut() {
            p.index_names = raw
                .tables
                .get(name)
                .and_then(|t| t.partition_of.as_ref())
                .map(|r| r.index_names.clone())
                .unwrap_or_default();
        }
    }
}

pub fn settle_extensions(normalized: &mut Catalog, raw: &Catalog, current: &Catalog) {
    let mut relocations = Vec::new();
    for (name, ext) in normalized.extensions.iter_mut() {
        let Some(wanted) = raw.extensions.get(name) else {
            continue;
        };
        let installed = current.extensions.get(name);
        if wanted.schema.is_none() {
            if let Some(installed) = installed {
                if let (Some(shadow), Some(target)) = (&ext.schema, &installed.schema) {
                    if shadow != target {
                        relocations.push((name.clone(), shadow.clone(), target.clone()));
                    }
                }
                ext.schema = installed.schema.clone();
            }
        }
        if wanted.version.is_none() {
            ext.version = installed.and_then(|i| i.version.clone());
        }
    }
    // The desired objects were printed naming the schema the shadow used.
    for (name, from, to) in relocations {
        let members = members_of(normalized, &name);
        relocate_members(normalized, &members, &from, &to);
    }
}

fn members_of(catalog: &Catalog, extension: &str) -> Vec<String> {
    catalog
        .extension_members
        .get(extension)
        .map(|m| m.iter().cloned().collect())
        .unwrap_or_default()
}

/// An extension moved to another schema (`ALTER EXTENSION … SET SCHEMA`) takes its types,
/// functions, operators and operator classes along. Objects of the current model that name them
/// are rewritten to the new schema, so that moving the extension is the only change planned.
pub fn follow_moved_extensions(current: &mut Catalog, desired: &Catalog) {
    let mut moves: Vec<(String, String, Vec<String>)> = Vec::new();
    for (name, ext) in &current.extensions {
        let wanted = desired.extensions.get(name).and_then(|e| e.schema.as_ref());
        if let (Some(from), Some(to)) = (&ext.schema, wanted) {
            if from != to {
                moves.push((from.clone(), to.clone(), members_of(current, name)));
            }
        }
    }
    for (from, to, members) in moves {
        relocate_members(current, &members, &from, &to);
    }
}

/// Rewrites every reference to `members` in schema `from` into schema `to`.
fn relocate_members(catalog: &mut Catalog, members: &[String], from: &str, to: &str) {
    let rename = |text: &mut String| {
        for member in members {
            relocate(text, from, to, member);
        }
    };
    let rename_expr = |e: &mut Expr| {
        rename(&mut e.text);
        if let Some(s) = e.source.as_mut() {
            rename(s);
        }
    };
    let rename_ref = |r: &mut Option<ObjRef>| {
        if let Some(r) = r {
            if r.schema.as_deref() == Some(from) && members.contains(&r.name) {
                r.schema = Some(to.to_string());
            }
        }
    };
    for table in catalog.tables.values_mut() {
        for c in &mut table.columns {
            rename(&mut c.data_type);
            c.default.as_mut().map(rename_expr);
            c.generated.as_mut().map(rename_expr);
        }
        for con in table.constraints.values_mut() {
            match &mut con.kind {
                ConstraintKind::Check { expression, .. } => rename_expr(expression),
                ConstraintKind::Exclude(x) => {
                    for element in &mut x.elements {
                        if let IndexExpr::Expression(e) = &mut element.key.expr {
                            rename_expr(e);
                        }
                        rename_ref(&mut element.key.opclass);
                        rename(&mut element.operator);
                    }
                    x.predicate.as_mut().map(rename_expr);
                }
                _ => {}
            }
        }
        for index in table.indexes.values_mut() {
            for key in &mut index.keys {
                if let IndexExpr::Expression(e) = &mut key.expr {
                    rename_expr(e);
                }
                rename_ref(&mut key.opclass);
            }
            index.predicate.as_mut().map(rename_expr);
        }
    }
    for view in catalog.views.values_mut() {
        rename_expr(&mut view.definition);
        for c in &mut view.columns {
            rename(&mut c.data_type);
        }
    }
    for domain in catalog.domains.values_mut() {
        rename(&mut domain.data_type);
        domain.default.as_mut().map(rename_expr);
        for con in domain.constraints.values_mut() {
            rename_expr(&mut con.expression);
        }
    }
    for composite in catalog.composite_types.values_mut() {
        for a in &mut composite.attributes {
            rename(&mut a.data_type);
        }
    }
}

/// Replaces the qualified name `from.member` by `to.member` wherever it stands as a whole name.
fn relocate(text: &mut String, from: &str, to: &str, member: &str) {
    // Operators are printed bare (`OPERATOR(public.->)`), everything else as an identifier.
    let printed = if member.chars().all(|c| "+-*/<>=~!@#%^&|`?".contains(c)) {
        member.to_string()
    } else {
        crate::model::quote::ident(member)
    };
    let old = format!("{}.{printed}", crate::model::quote::ident(from));
    let new = format!("{}.{printed}", crate::model::quote::ident(to));
    let is_name_char = |c: char| c.is_alphanumeric() || matches!(c, '_' | '$' | '"' | '.');
    let mut out = String::with_capacity(text.len());
    let mut rest = text.as_str();
    while let Some(pos) = rest.find(&old) {
        let before = rest[..pos].chars().next_back();
        let after = rest[pos + old.len()..].chars().next();
        out.push_str(&rest[..pos]);
        if before.is_some_and(is_name_char) || after.is_some_and(|c| is_name_char(c) && c != '.') {
            out.push_str(&old);
        } else {
            out.push_str(&new);
        }
        rest = &rest[pos + old.len()..];
    }
    out.push_str(rest);
    *text = out;
}

/// The two sides of an existing table as far as its own columns, constraints and indexes go.
/// A partition's columns are its parent's: none are compared. A table that stops being a
/// partition keeps what it had from its parent (it becomes its own); a table that becomes one
/// must have, before it is attached, what it is to inherit (so that attaching adopts it instead
/// of building it under ACCESS EXCLUSIVE) — a constraint or index it already has that is the
/// same but named otherwise is adopted as it is.
fn partition_views(old: &Table, new: &Table) -> (Table, Table) {
    let (mut old_view, mut new_view) = (old.clone(), new.clone());
    if old.partition_of.is_none() && new.partition_of.is_none() {
        return (old_view, new_view);
    }
    old_view.columns.clear();
    new_view.columns.clear();
    let moved = match (&old.partition_of, &new.partition_of) {
        (Some(a), Some(b)) => !a.same_place(b),
        _ => true,
    };
    if !moved {
        return (old_view, new_view);
    }
    if let Some(p) = &old.partition_of {
        absorb_inherited(&mut old_view, p);
    }
    if let Some(p) = &new.partition_of {
        absorb_inherited(&mut new_view, p);
        for (name, con) in p.inherited_constraints.clone() {
            if old_view.constraints.contains_key(&name) {
                continue;
            }
            let twin = old_view
                .constraints
                .iter()
                .find(|(n, c)| !new_view.constraints.contains_key(*n) && same_constraint(c, &con));
            if let Some((n, c)) = twin {
                let (n, c) = (n.clone(), c.clone());
                new_view.constraints.remove(&name);
                new_view.constraints.insert(n, c);
            }
        }
        for (name, inherited) in &p.inherited_indexes {
            if inherited.constraint.is_some() || old_view.indexes.contains_key(name) {
                continue;
            }
            let twin = old_view.indexes.iter().find(|(n, i)| {
                !new_view.indexes.contains_key(*n) && same_index(i, &inherited.index)
            });
            if let Some((n, i)) = twin {
                let (n, i) = (n.clone(), i.clone());
                new_view.indexes.remove(name);
                new_view.indexes.insert(n, i);
            }
        }
    }
    (old_view, new_view)
}

/// The name PostgreSQL gives the CHECK that `DETACH PARTITION … CONCURRENTLY` adds to the
/// table: `<table>_<first column of the partition constraint>_check`, numbered past names the
/// table already uses. `None` when the table already has a check of that expression (then
/// PostgreSQL adds none).
fn detach_check_name(
    name: &QualName,
    table: &Table,
    own: &Table,
    partition: &PartitionOf,
) -> Option<String> {
    let constraint = partition.constraint.as_deref()?;
    let already = own.constraints.values().any(|c| {
        matches!(&c.kind, ConstraintKind::Check { expression, .. } if expression.text == constraint)
    });
    if already {
        return None;
    }
    let column = crate::sqltext::reprint::identifiers(constraint)
        .into_iter()
        .find(|word| table.column(word).is_some())?;
    let mut check = crate::model::naming::default_object_name(&name.name, Some(&column), "check");
    let mut n = 0;
    while own.constraints.contains_key(&check) {
        n += 1;
        check = crate::model::naming::default_object_name(
            &name.name,
            Some(&column),
            &format!("check{n}"),
        );
    }
    Some(check)
}

/// What a partition has from its parent, counted as its own.
fn absorb_inherited(table: &mut Table, partition: &PartitionOf) {
    for (name, con) in &partition.inherited_constraints {
        table.constraints.insert(name.clone(), con.clone());
    }
    for (name, inherited) in &partition.inherited_indexes {
        if inherited.constraint.is_none() {
            table.indexes.insert(name.clone(), inherited.index.clone());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn casts() -> Casts {
        Casts {
            assignment: [("integer", "bigint"), ("bigint", "integer")]
                .into_iter()
                .map(|(a, b)| (a.to_string(), b.to_string()))
                .collect(),
        }
    }

    #[test]
    fn using_is_needed_only_without_an_assignment_cast() {
        let c = casts();
        assert!(!needs_using(
            "character varying(10)",
            "character varying(5)",
            &c
        ));
        assert!(!needs_using("integer", "bigint", &c));
        assert!(!needs_using("integer", "text", &c));
        assert!(needs_using("text", "integer", &c));
        assert!(needs_using("text", "text[]", &c));
        assert!(needs_using("text", "public.mood", &c));
    }

    #[test]
    fn an_unspecified_extension_schema_follows_the_installed_one() {
        let ext = |schema: &str| Extension {
            schema: Some(schema.into()),
            version: Some("1.6".into()),
        };
        let users = |data_type: &str| Table {
            columns: vec![Column::new("email", data_type)],
            ..Table::default()
        };
        let mut normalized = Catalog::default();
        normalized.extensions.insert("citext".into(), ext("public"));
        normalized
            .extension_members
            .insert("citext".into(), ["citext".to_string()].into());
        normalized
            .tables
            .insert(QualName::new("public", "users"), users("public.citext"));
        let mut raw = Catalog::default();
        raw.extensions.insert("citext".into(), Extension::default());
        let mut current = Catalog::default();
        current.extensions.insert("citext".into(), ext("ext"));
        settle_extensions(&mut normalized, &raw, &current);
        assert_eq!(
            normalized.extensions["citext"].schema.as_deref(),
            Some("ext")
        );
        assert_eq!(
            normalized.tables[&QualName::new("public", "users")].columns[0].data_type,
            "ext.citext"
        );
    }

    #[test]
    fn moved_extension_names_are_relocated_as_whole_names() {
        let mut t =
            "(a OPERATOR(public.->) 'x'::public.citext) AND mypublic.citext_x(b)".to_string();
        relocate(&mut t, "public", "extensions", "citext");
        relocate(&mut t, "public", "extensions", "->");
        assert_eq!(
            t,
            "(a OPERATOR(extensions.->) 'x'::extensions.citext) AND mypublic.citext_x(b)"
        );
    }

    #[test]
    fn enum_extension_keeps_order() {
        let v = |s: &[&str]| s.iter().map(|x| x.to_string()).collect::<Vec<_>>();
        assert!(is_extension_of(&v(&["a", "b"]), &v(&["a", "x", "b"])));
        assert!(!is_extension_of(&v(&["a", "b"]), &v(&["b", "a"])));
        assert!(!is_extension_of(&v(&["a", "b"]), &v(&["a"])));
    }

    fn with_extension(version: &str, reachable: &[&str]) -> Catalog {
        let mut c = Catalog::default();
        c.extensions.insert(
            "pg_trgm".into(),
            Extension {
                schema: Some("public".into()),
                version: Some(version.into()),
            },
        );
        c.extension_updates.insert(
            "pg_trgm".into(),
            reachable.iter().map(|v| v.to_string()).collect(),
        );
        c
    }

    #[test]
    fn extension_versions_change_only_along_update_paths() {
        let current = with_extension("1.4", &["1.5", "1.6"]);
        let up = diff(&current, &with_extension("1.6", &[]), &casts());
        assert!(matches!(
            up.changes.as_slice(),
            [Change::AlterExtension { to, .. }] if to.version.as_deref() == Some("1.6")
        ));
        assert!(up.warnings.is_empty());
        // No downgrade script: nothing to run, and the plan says why.
        let newer = with_extension("1.6", &[]);
        let down = diff(&newer, &with_extension("1.4", &[]), &casts());
        assert!(down.changes.is_empty(), "{:?}", down.changes);
        assert_eq!(down.warnings.len(), 1);
        assert!(
            down.warnings[0]
                .message
                .contains("no update path from version 1.6 to 1.4")
        );
    }

    fn domain(data_type: &str) -> Domain {
        Domain {
            data_type: data_type.into(),
            not_null: false,
            default: None,
            collation: None,
            constraints: BTreeMap::new(),
            comment: None,
        }
    }

    #[test]
    fn a_rebuilt_domain_takes_the_domains_over_it_along() {
        let q = |n: &str| QualName::new("public", n);
        let mut current = Catalog::default();
        current.domains.insert(q("amount"), domain("integer"));
        current.domains.insert(q("price"), domain("public.amount"));
        current.domains.insert(q("label"), domain("text"));
        current.tables.insert(
            q("items"),
            Table {
                columns: vec![Column::new("price", "public.price")],
                ..Table::default()
            },
        );
        let mut desired = current.clone();
        desired.domains.insert(q("amount"), domain("bigint"));
        // The domain over it changes base too: it is rebuilt in the same step, not twice.
        desired.domains.insert(q("price"), domain("numeric"));
        let out = diff(&current, &desired, &casts());
        let rebuilds: Vec<_> = out
            .changes
            .iter()
            .filter_map(|c| match c {
                Change::RebuildDomain { name, domains } => Some((name, domains)),
                _ => None,
            })
            .collect();
        assert_eq!(rebuilds.len(), 1, "{:?}", out.changes);
        let (root, domains) = rebuilds[0];
        assert_eq!(*root, q("amount"));
        let names: Vec<&QualName> = domains.iter().map(|d| &d.name).collect();
        assert_eq!(names, [&q("amount"), &q("price")]);
        assert_eq!(domains[1].columns.len(), 1);
        assert_eq!(domains[1].to.data_type, "numeric");
        assert_eq!(out.changes.len(), 1, "{:?}", out.changes);
    }

    #[test]
    fn a_composite_type_keeps_its_order_while_in_use() {
        let q = QualName::new("public", "pair");
        let attr = |n: &str| Attribute {
            name: n.into(),
            data_type: "integer".into(),
            collation: None,
            comment: None,
        };
        let old = CompositeType {
            attributes: vec![attr("a"), attr("b")],
            comment: None,
        };
        let swapped = CompositeType {
            attributes: vec![attr("b"), attr("a")],
            comment: None,
        };
        let mut current = Catalog::default();
        current.composite_types.insert(q.clone(), old);
        let mut desired = current.clone();
        desired.composite_types.insert(q.clone(), swapped);
        // Unused: dropped and created again.
        let out = diff(&current, &desired, &casts());
        assert!(matches!(
            out.changes.as_slice(),
            [
                Change::DropCompositeType { .. },
                Change::CreateCompositeType { .. }
            ]
        ));
        // Stored in a column: left as it is, with a warning.
        let table = Table {
            columns: vec![Column::new("p", "public.pair")],
            ..Table::default()
        };
        current
            .tables
            .insert(QualName::new("public", "t"), table.clone());
        desired.tables.insert(QualName::new("public", "t"), table);
        let out = diff(&current, &desired, &casts());
        assert!(out.changes.is_empty(), "{:?}", out.changes);
        assert_eq!(out.warnings.len(), 1);
    }
}
