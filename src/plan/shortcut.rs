//! The shadow's shortcut: only what the desired state changes goes through the shadow database.
//!
//! Normalising the whole desired state (creating every object in a shadow database and reading
//! it back) costs most of a plan's time, yet on a typical pull request nearly every object's
//! YAML is already what the target holds: `inspect` wrote it in PostgreSQL's printed form. Such
//! an object, created in the shadow, would read back as the target's own object. So:
//!
//! 1. `select` compares the desired state as written with the target (the planner's own diff):
//!    objects it changes, adds or removes are *changed*;
//! 2. everything that depends on a changed object in the target (`pg_depend`), and every
//!    member of a partition or inheritance tree with a changed member, is changed too: their
//!    printed form may follow (a view's body, a partition's cloned indexes);
//! 3. what the changed objects mention (by name, in any text of theirs) is created beside them
//!    as a *stand-in*: enough for them to be created and printed exactly as in a whole shadow
//!    (a table's columns and keys, without its defaults, checks, foreign keys, indexes,
//!    triggers or grants), and so on for what the stand-ins mention;
//! 4. `merge` takes the changed objects from the shadow and every other desired object from the
//!    target, with the dependencies each side recorded.
//!
//! Everything here errs towards "changed": an object wrongly taken as changed only costs time.
//! `tests/cases.rs` plans every case both ways and requires byte-identical plans.

use std::collections::{BTreeMap, BTreeSet};

use crate::model::*;
use crate::plan::diff;
use crate::plan::render::numbers_and_defaults;

/// What to create in the shadow, and which objects the shadow speaks for.
#[derive(Debug, Default)]
pub struct Shortcut {
    /// The changed objects as written, their stand-ins, every schema and every default
    /// privilege of the desired state; empty when nothing changes.
    pub shadow: Catalog,
    /// The objects whose printed form is read from the shadow.
    pub changed: BTreeSet<Top>,
    /// Every object of the desired state (routines under the target's identity where
    /// `as_created` found one).
    pub wanted: BTreeSet<Top>,
}

impl Shortcut {
    /// Whether the shadow has nothing to print: the desired state is the target's.
    pub fn needs_no_shadow(&self) -> bool {
        self.changed.is_empty()
    }
}

/// Which objects of `written` differ from `current`, and the catalog that prints them.
pub fn select(current: &Catalog, raw: &Catalog, casts: &Casts) -> Shortcut {
    let written = as_created(current, raw);
    let owners = Owners::of(&[current, &written]);
    let mut changed: BTreeSet<Top> = diff::diff(current, &written, casts)
        .changes
        .iter()
        .filter_map(|c| c.top())
        .map(|t| owners.owning(t))
        .collect();
    // Objects on one side only, in case the diff names them otherwise. Extensions aside: the
    // target's plpgsql, in pg_catalog, is in no YAML, and the diff rightly leaves it be.
    let (now, wanted) = (current.tops(), written.tops());
    changed.extend(
        now.symmetric_difference(&wanted)
            .filter(|top| !matches!(top, Top::Extension(_)))
            .cloned(),
    );
    close_over_dependents(&mut changed, current, &written, &owners);
    if changed.is_empty() {
        return Shortcut {
            wanted,
            ..Shortcut::default()
        };
    }
    // The shadow creates the objects as written (what `as_created` filled in is for comparing
    // only), routines under the identity they were compared by.
    let written = Catalog {
        functions: written.functions,
        aggregates: written.aggregates,
        ..raw.clone()
    };
    let support = stand_ins(&changed, &written);
    Shortcut {
        shadow: shadow_catalog(&written, &changed, &support),
        changed,
        wanted,
    }
}

/// The part of the target and of the desired state a plan's rehearsal runs on
/// (`pg::rehearse`): the objects its steps touch, or that differ between the two sides,
/// everything that depends on them, and stand-ins for what they name, each side as it is.
/// Stand-in tables keep their owners and grants: a step's permission checks (`REFERENCES` on
/// a table a new foreign key points to) must meet what they meet on the whole copy.
#[derive(Debug)]
pub struct RehearsalScope {
    pub current: Catalog,
    pub desired: Catalog,
}

/// The [`RehearsalScope`] of a plan whose steps touch `steps` (an index's or an identity
/// sequence's table standing for it).
pub fn rehearsal_scope(
    current: &Catalog,
    desired: &Catalog,
    casts: &Casts,
    steps: impl IntoIterator<Item = Top>,
) -> RehearsalScope {
    let owners = Owners::of(&[current, desired]);
    let mut touched: BTreeSet<Top> = steps.into_iter().map(|t| owners.owning(t)).collect();
    // What still differs is in scope too, so that a step the plan lacks shows in the
    // comparison after the up steps, as it would on the whole copy.
    touched.extend(
        diff::diff(current, desired, casts)
            .changes
            .iter()
            .filter_map(|c| c.top())
            .map(|t| owners.owning(t)),
    );
    touched.extend(
        current
            .tops()
            .symmetric_difference(&desired.tops())
            .cloned(),
    );
    close_over_dependents(&mut touched, current, desired, &owners);
    let mut support = stand_ins(&touched, current);
    support.extend(stand_ins(&touched, desired));
    let side = |catalog: &Catalog| {
        let mut out = shadow_catalog(catalog, &touched, &support);
        for top in &support {
            let Top::Named(q) = top else { continue };
            if let (Some(stand_in), Some(whole)) = (out.tables.get_mut(q), catalog.tables.get(q)) {
                stand_in.owner.clone_from(&whole.owner);
                stand_in.grants.clone_from(&whole.grants);
                stand_in.column_grants.clone_from(&whole.column_grants);
            }
        }
        out.server_version = catalog.server_version;
        out.extension_members.clone_from(&catalog.extension_members);
        out.extension_updates.clone_from(&catalog.extension_updates);
        out.deps = catalog
            .deps
            .iter()
            .filter(|(from, _)| touched.contains(&owners.top(from)))
            .cloned()
            .collect();
        out
    };
    RehearsalScope {
        current: side(current),
        desired: side(desired),
    }
}

/// `written` as the diff against the target should see it: with what PostgreSQL fills in by
/// itself when the shadow creates it, where that is known without asking. A sequence's options
/// left out are the defaults of its type (`inspect` leaves out exactly those); a function or
/// aggregate is known by its argument types alone (`bigint`, where the YAML says `id bigint`),
/// so one whose arguments read exactly as the target's routine of that name prints them takes
/// that routine's identity; unqualified operator classes and collations are `pg_catalog`'s;
/// views and partitions have the columns the target's have for the same query or parent.
fn as_created(current: &Catalog, written: &Catalog) -> Catalog {
    let mut out = written.clone();
    out.functions = by_target_identity(&written.functions, &current.functions, |f| &f.arguments);
    out.aggregates = by_target_identity(&written.aggregates, &current.aggregates, |a| &a.arguments);
    for sequence in out.sequences.values_mut() {
        let o = &mut sequence.options;
        for (value, default) in numbers_and_defaults(o) {
            if value.is_none() {
                *value = default;
            }
        }
        o.cycle.get_or_insert(false);
        o.data_type.get_or_insert_with(|| "bigint".into());
    }
    for t in out.tables.values_mut() {
        in_pg_catalog(t);
    }
    // A view's columns are what PostgreSQL makes of its query: the target's, for the same
    // query text (over changed relations the view changes with them, see
    // `close_over_dependents`).
    for (q, v) in out.views.iter_mut() {
        let now = current.views.get(q).map(|n| (&n.definition, &n.columns));
        columns_of_same_query(&v.definition, &mut v.columns, now);
    }
    for (q, v) in out.materialized_views.iter_mut() {
        let now = current.materialized_views.get(q);
        columns_of_same_query(
            &v.definition,
            &mut v.columns,
            now.map(|n| (&n.definition, &n.columns)),
        );
    }
    // A partition's columns are its parent's, left out of the YAML: those of the target's
    // partition of the same parent (a changed parent changes the whole tree anyway).
    for (q, t) in out.tables.iter_mut() {
        let (Some(p), Some(now)) = (&t.partition_of, current.tables.get(q)) else {
            continue;
        };
        let same_parent = now.partition_of.as_ref().map(|n| &n.parent) == Some(&p.parent);
        if t.columns.is_empty() && same_parent {
            t.columns.clone_from(&now.columns);
        }
    }
    out
}

/// The target's columns of a view (`now`: its query and columns) for a written view of the same
/// query that names none.
fn columns_of_same_query(
    query: &Expr,
    columns: &mut Vec<ViewColumn>,
    now: Option<(&Expr, &Vec<ViewColumn>)>,
) {
    if let Some((_, read)) = now.filter(|(q, _)| columns.is_empty() && q.text == query.text) {
        columns.clone_from(read);
    }
}

/// A collation or operator class named without a schema (as `inspect` writes those of
/// `pg_catalog`) is `pg_catalog`'s when it is there: PostgreSQL looks there first. If it is
/// elsewhere, the target prints that schema, and the object counts as changed.
fn in_pg_catalog(t: &mut Table) {
    fn qualify(r: &mut Option<ObjRef>) {
        if let Some(r) = r.as_mut().filter(|r| r.schema.is_none()) {
            r.schema = Some("pg_catalog".into());
        }
    }
    fn keys<'a>(keys: impl Iterator<Item = &'a mut IndexKey>) {
        for k in keys {
            qualify(&mut k.opclass);
            qualify(&mut k.collation);
        }
    }
    for c in &mut t.columns {
        qualify(&mut c.collation);
    }
    keys(t.indexes.values_mut().flat_map(|i| i.keys.iter_mut()));
    for c in t.constraints.values_mut() {
        if let ConstraintKind::Exclude(x) = &mut c.kind {
            keys(x.elements.iter_mut().map(|e| &mut e.key));
        }
    }
}

/// `written`'s routines, each under the identity of the target's routine of its name whose
/// arguments print as it writes them, if there is one.
fn by_target_identity<R: Clone>(
    written: &BTreeMap<FunctionId, R>,
    current: &BTreeMap<FunctionId, R>,
    arguments: impl Fn(&R) -> &String,
) -> BTreeMap<FunctionId, R> {
    let printed: BTreeMap<(&QualName, &String), &FunctionId> = current
        .iter()
        .map(|(id, r)| ((&id.name, arguments(r)), id))
        .collect();
    written
        .iter()
        .map(|(id, r)| {
            let known = printed.get(&(&id.name, arguments(r)));
            ((*known.unwrap_or(&id)).clone(), r.clone())
        })
        .collect()
}

/// An index (a key's too), an identity column's sequence and an extended statistics object
/// are named in their schema, apart from their table, each in a namespace of its own
/// (relations; statistics): the dependency graph and the steps name them so (a grant on an
/// identity's sequence), and this gives the table (or materialized view) they belong to.
struct Owners {
    /// Indexes and identity sequences.
    relations: BTreeMap<QualName, QualName>,
    statistics: BTreeMap<QualName, QualName>,
}

impl Owners {
    fn of(catalogs: &[&Catalog]) -> Owners {
        let mut owners = Owners {
            relations: BTreeMap::new(),
            statistics: BTreeMap::new(),
        };
        let within = |table: &QualName, name: &str| QualName::new(&table.schema, name);
        for catalog in catalogs {
            for (q, t) in &catalog.tables {
                let keys = t.constraints.iter().filter(|(_, c)| {
                    matches!(
                        c.kind,
                        ConstraintKind::PrimaryKey { .. }
                            | ConstraintKind::Unique { .. }
                            | ConstraintKind::Exclude(_)
                    )
                });
                for index in t.indexes.keys().chain(keys.map(|(n, _)| n)) {
                    owners.relations.insert(within(q, index), q.clone());
                }
                for sequence in t
                    .columns
                    .iter()
                    .filter_map(|c| naming::identity_sequence_name(q, c))
                {
                    owners.relations.insert(sequence, q.clone());
                }
                for statistics in t.statistics.keys() {
                    owners.statistics.insert(within(q, statistics), q.clone());
                }
            }
            for (q, v) in &catalog.materialized_views {
                for index in v.indexes.keys() {
                    owners.relations.insert(within(q, index), q.clone());
                }
            }
        }
        owners
    }

    /// The top-level object `key` is part of.
    fn top(&self, key: &ObjKey) -> Top {
        let owner = match key {
            ObjKey::Relation(q) => self.relations.get(q),
            ObjKey::Statistics(q) => self.statistics.get(q),
            _ => None,
        };
        owner.map_or_else(|| key.top(), |table| Top::Named(table.clone()))
    }

    /// `top`, or the table it belongs to when it is an index or an identity's sequence.
    fn owning(&self, top: Top) -> Top {
        match &top {
            Top::Named(q) => self
                .relations
                .get(q)
                .map_or(top, |table| Top::Named(table.clone())),
            _ => top,
        }
    }
}

/// Adds to `changed` whatever depends on a changed object (in either catalog's dependencies),
/// and whole partition and inheritance trees with a changed member, until nothing more is
/// added.
///
/// A changed table whose columns, keys, place in a tree and partitions (or heirs) stay as they
/// are ([`steady`]: only its other indexes, checks, triggers, policies, grants or comments
/// change) passes nothing on
/// through a dependency: what depends on a table sees only those (a view's columns and types, a
/// foreign key's referenced columns and key), so its printed form, and what the steps on the
/// table do to it, stay the same. Without this a new index on a table that many others
/// reference would take all of them along.
fn close_over_dependents(
    changed: &mut BTreeSet<Top>,
    current: &Catalog,
    written: &Catalog,
    owners: &Owners,
) {
    if changed.is_empty() {
        return;
    }
    // A table's partitions and heirs: one gained or lost reaches what references the table
    // (a new partition clones the foreign keys that point to its parent, locking their tables).
    let (heirs_now, heirs_written) = (heirs(current), heirs(written));
    let steady: BTreeSet<&QualName> = current
        .tables
        .iter()
        .filter(|(q, now)| {
            written.tables.get(*q).is_some_and(|w| steady(now, w))
                && heirs_now.get(q) == heirs_written.get(q)
        })
        .map(|(q, _)| q)
        .collect();
    let mut dependents: BTreeMap<Top, BTreeSet<Top>> = BTreeMap::new();
    let mut link = |from: Top, to: Top| {
        if from != to {
            dependents.entry(to).or_default().insert(from);
        }
    };
    for (from, to) in current.deps.iter().chain(&written.deps) {
        let to = owners.top(to);
        if matches!(&to, Top::Named(q) if steady.contains(q)) {
            continue;
        }
        link(owners.top(from), to);
    }
    for catalog in [current, written] {
        for (q, t) in &catalog.tables {
            for parent in t.parents() {
                // Both ways: a partition prints what its parent gives it, and a parent's
                // change reaches its partitions.
                link(Top::Named(q.clone()), Top::Named(parent.clone()));
                link(Top::Named(parent.clone()), Top::Named(q.clone()));
            }
        }
        for (q, s) in &catalog.sequences {
            if let Some(owner) = &s.owned_by {
                link(Top::Named(q.clone()), Top::Named(owner.table.clone()));
                link(Top::Named(owner.table.clone()), Top::Named(q.clone()));
            }
        }
    }
    let mut queue: Vec<Top> = changed.iter().cloned().collect();
    while let Some(top) = queue.pop() {
        for dependent in dependents.get(&top).into_iter().flatten() {
            if changed.insert(dependent.clone()) {
                queue.push(dependent.clone());
            }
        }
    }
}

/// The unchanged objects the changed ones mention, and what those mention in turn: any object
/// of the desired state whose name appears as a word in their definitions (extensions go to
/// the shadow whole, see `shadow_catalog`).
fn stand_ins(changed: &BTreeSet<Top>, written: &Catalog) -> BTreeSet<Top> {
    let mut by_word: BTreeMap<String, Vec<Top>> = BTreeMap::new();
    let mut name = |name: &str, top: &Top| {
        // A quoted name may hold several words ("some collation"): any of them will do.
        for word in words(name) {
            by_word.entry(word).or_default().push(top.clone());
        }
    };
    for top in written.tops() {
        name(top.bare_name(), &top);
    }
    for (q, r) in &written.range_types {
        let multirange = r.multirange_type_name.as_deref().unwrap_or_default();
        name(multirange, &Top::Named(q.clone()));
    }
    let mut support = BTreeSet::new();
    let mut queue: Vec<Top> = changed.iter().cloned().collect();
    while let Some(top) = queue.pop() {
        let text = definition_text(written, &top, changed.contains(&top));
        for word in words(&text) {
            for found in by_word.get(&word).into_iter().flatten() {
                if !changed.contains(found) && support.insert(found.clone()) {
                    queue.push(found.clone());
                }
            }
        }
    }
    support
}

/// Every identifier-like word of `text`, lowercased.
fn words(text: &str) -> BTreeSet<String> {
    text.split(|c: char| !(c.is_alphanumeric() || c == '_' || c == '$'))
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

/// The object as it will be created in the shadow (whole when changed, as a stand-in
/// otherwise), as text to look for names in.
fn definition_text(written: &Catalog, top: &Top, whole: bool) -> String {
    let mut one = Catalog::default();
    copy(written, &mut one, top, whole);
    format!("{one:?}")
}

/// The shadow's catalog: the changed objects whole, the stand-ins, and what shapes every
/// object created (schemas, default privileges, the roles spoken for).
fn shadow_catalog(written: &Catalog, changed: &BTreeSet<Top>, support: &BTreeSet<Top>) -> Catalog {
    let mut out = Catalog {
        roles: written.roles.clone(),
        every_role: written.every_role,
        schemas: written.schemas.clone(),
        // An extension may give what no name shows: a default operator class (btree_gist's
        // for integer), a cast, an operator.
        extensions: written.extensions.clone(),
        default_privileges: written.default_privileges.clone(),
        ..Catalog::default()
    };
    for top in changed {
        copy(written, &mut out, top, true);
    }
    for top in support {
        copy(written, &mut out, top, false);
    }
    out
}

/// Copies `top` from `from` into `to`: whole, or as a stand-in.
fn copy(from: &Catalog, to: &mut Catalog, top: &Top, whole: bool) {
    match top {
        Top::Schema(s) => {
            if let Some(x) = from.schemas.get(s) {
                to.schemas.insert(s.clone(), x.clone());
            }
        }
        Top::Extension(e) => {
            if let Some(x) = from.extensions.get(e) {
                to.extensions.insert(e.clone(), x.clone());
            }
        }
        Top::Publication(p) => {
            if let Some(x) = from.publications.get(p).filter(|_| whole) {
                to.publications.insert(p.clone(), x.clone());
            }
        }
        Top::Routine(id) => {
            if let Some(x) = from.functions.get(id) {
                to.functions.insert(id.clone(), x.clone());
            }
            if let Some(x) = from.aggregates.get(id) {
                to.aggregates.insert(id.clone(), x.clone());
            }
        }
        Top::DefaultPrivileges(key) => {
            if let Some(x) = from.default_privileges.get(key) {
                to.default_privileges.insert(key.clone(), x.clone());
            }
        }
        Top::Named(q) => copy_named(from, to, q, whole),
    }
}

fn copy_named(from: &Catalog, to: &mut Catalog, q: &QualName, whole: bool) {
    fn put<T: Clone>(from: &BTreeMap<QualName, T>, to: &mut BTreeMap<QualName, T>, q: &QualName) {
        if let Some(x) = from.get(q) {
            to.insert(q.clone(), x.clone());
        }
    }
    put(&from.enums, &mut to.enums, q);
    put(&from.domains, &mut to.domains, q);
    put(&from.composite_types, &mut to.composite_types, q);
    put(&from.range_types, &mut to.range_types, q);
    put(&from.collations, &mut to.collations, q);
    put(
        &from.text_search_dictionaries,
        &mut to.text_search_dictionaries,
        q,
    );
    put(
        &from.text_search_configurations,
        &mut to.text_search_configurations,
        q,
    );
    if whole {
        put(&from.sequences, &mut to.sequences, q);
        put(&from.tables, &mut to.tables, q);
        put(&from.views, &mut to.views, q);
        put(&from.materialized_views, &mut to.materialized_views, q);
        return;
    }
    if let Some(s) = from.sequences.get(q) {
        to.sequences.insert(
            q.clone(),
            Sequence {
                owned_by: None,
                ..s.clone()
            },
        );
    }
    if let Some(t) = from.tables.get(q) {
        to.tables.insert(q.clone(), stand_in_table(t));
    }
    if let Some(v) = from.views.get(q) {
        to.views.insert(
            q.clone(),
            View {
                triggers: Default::default(),
                ..v.clone()
            },
        );
    }
    if let Some(v) = from.materialized_views.get(q) {
        to.materialized_views.insert(
            q.clone(),
            MaterializedView {
                indexes: Default::default(),
                ..v.clone()
            },
        );
    }
}

/// Each table's partitions and heirs.
fn heirs(catalog: &Catalog) -> BTreeMap<&QualName, BTreeSet<&QualName>> {
    let mut out: BTreeMap<&QualName, BTreeSet<&QualName>> = BTreeMap::new();
    for (q, t) in &catalog.tables {
        for parent in t.parents() {
            out.entry(parent).or_default().insert(q);
        }
    }
    out
}

/// Whether a table's columns (whole: defaults and generated expressions too), keys, and place
/// in a partition or inheritance tree are the same in `a` and `b`, as the diff compares them.
fn steady(a: &Table, b: &Table) -> bool {
    let columns = |t: &Table| -> Vec<Column> { t.columns.iter().map(as_compared).collect() };
    // The columns compared whole, what else a stand-in keeps.
    let rest = |t: &Table| Table {
        columns: Vec::new(),
        ..stand_in_table(t)
    };
    columns(a) == columns(b) && rest(a) == rest(b)
}

/// A column without what only the catalog tells (an expression's volatility, the storage of
/// the column's type): the diff does not compare those.
fn as_compared(c: &Column) -> Column {
    let expr = |e: &Option<Expr>| {
        e.as_ref().map(|e| Expr {
            volatile: false,
            ..e.clone()
        })
    };
    Column {
        default: expr(&c.default),
        generated: expr(&c.generated),
        settings: ColumnSettings {
            type_storage: None,
            ..c.settings.clone()
        },
        ..c.clone()
    }
}

/// What of a table another object's definition can see: its columns (names, types,
/// collations), its keys (a foreign key's target, a view grouping by a primary key), its place
/// in a partition or inheritance tree. Defaults, checks, foreign keys, other indexes,
/// triggers, policies, statistics and grants would only pull in more objects.
fn stand_in_table(t: &Table) -> Table {
    let keys = t
        .constraints
        .iter()
        .filter(|(_, c)| {
            matches!(
                c.kind,
                ConstraintKind::PrimaryKey { .. } | ConstraintKind::Unique { .. }
            )
        })
        .map(|(n, c)| (n.clone(), c.clone()))
        .collect();
    Table {
        columns: t
            .columns
            .iter()
            .map(|c| Column {
                default: None,
                identity: None,
                generated: None,
                comment: None,
                ..c.clone()
            })
            .collect(),
        constraints: keys,
        indexes: t
            .indexes
            .iter()
            .filter(|(_, i)| i.unique)
            .map(|(n, i)| (n.clone(), i.clone()))
            .collect(),
        partition_by: t.partition_by.clone(),
        partition_of: t.partition_of.clone(),
        inherits: t.inherits.clone(),
        unlogged: t.unlogged,
        not_null_names: t.not_null_names.clone(),
        not_null_not_valid: t.not_null_not_valid.clone(),
        not_null_no_inherit: t.not_null_no_inherit.clone(),
        ..Table::default()
    }
}

/// The desired state as printed: the changed objects as the shadow printed them (`printed`,
/// `None` when nothing changed) and every other desired object as the target holds it, with
/// the dependencies each recorded for its own objects.
pub fn merge(current: &Catalog, shortcut: &Shortcut, printed: Option<Catalog>) -> Catalog {
    let printed = printed.unwrap_or_default();
    let owners = Owners::of(&[current, &shortcut.shadow, &printed]);
    let wanted = &shortcut.wanted;
    // What the shadow made of itself is the changed objects' too: a serial column's sequence,
    // a function under its identity arguments (`numeric` where the YAML said `p numeric`).
    let declared = shortcut.shadow.tops();
    let changed = |top: &Top| shortcut.changed.contains(top);
    let from_shadow = |top: &Top| changed(top) || !declared.contains(top);
    let keep_target = |top: &Top| wanted.contains(top) && !changed(top);
    let mut out = Catalog {
        server_version: if shortcut.needs_no_shadow() {
            current.server_version
        } else {
            printed.server_version
        },
        roles: printed.roles.clone(),
        every_role: printed.every_role,
        extension_members: current.extension_members.clone(),
        extension_updates: current.extension_updates.clone(),
        ..Catalog::default()
    };
    out.extension_members
        .extend(printed.extension_members.clone());
    out.extension_updates
        .extend(printed.extension_updates.clone());
    for top in current.tops() {
        if keep_target(&top) {
            copy(current, &mut out, &top, true);
        }
    }
    for top in printed.tops() {
        if from_shadow(&top) {
            copy(&printed, &mut out, &top, true);
        }
    }
    out.deps = current
        .deps
        .iter()
        .filter(|(from, _)| keep_target(&owners.top(from)))
        .chain(
            printed
                .deps
                .iter()
                .filter(|(from, _)| from_shadow(&owners.top(from))),
        )
        .cloned()
        .collect();
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::diff::fixtures::{self as f, Model};

    fn tables(catalog: &Catalog) -> Vec<String> {
        catalog.tables.keys().map(|q| q.to_string()).collect()
    }

    fn primary_key(column: &str) -> Constraint {
        f::constraint(ConstraintKind::PrimaryKey {
            columns: vec![column.into()],
            include: Vec::new(),
            without_overlaps: false,
        })
    }

    /// `accounts`, which `charges` references (the foreign key reads its primary key, as
    /// `pg_depend` says), and `charges`, owned by `alice`.
    fn referenced() -> Model {
        Model::default()
            .schema("public")
            .table("accounts", &[("id", "integer"), ("title", "text")])
            .constraint("accounts", "accounts_pkey", primary_key("id"))
            .table("charges", &[("id", "integer"), ("account", "integer")])
            .constraint("charges", "charges_pkey", primary_key("id"))
            .constraint(
                "charges",
                "charges_account_fkey",
                f::foreign_key(&["account"], "accounts", &["id"]),
            )
            .edit_table("charges", |t| t.owner = Some("alice".into()))
            .reads(
                ObjKey::Constraint(f::q("charges"), "charges_account_fkey".into()),
                ObjKey::Relation(f::q("accounts_pkey")),
            )
    }

    fn scope(now: &Model, want: &Model, touched: &str) -> RehearsalScope {
        let top = Top::Named(f::q(touched));
        rehearsal_scope(now.catalog(), want.catalog(), &f::casts(), [top])
    }

    #[test]
    fn a_new_index_on_a_referenced_table_takes_no_referencing_table_along() {
        let now = referenced();
        let want = now
            .clone()
            .index("accounts", "accounts_title_idx", f::index_on(&["title"]));
        let scope = scope(&now, &want, "accounts");
        assert_eq!(tables(&scope.current), ["public.accounts"]);
        assert_eq!(tables(&scope.desired), ["public.accounts"]);
        let accounts = &scope.desired.tables[&f::q("accounts")];
        assert!(accounts.indexes.contains_key("accounts_title_idx"));
    }

    #[test]
    fn a_retyped_referenced_column_takes_the_referencing_table_along_whole() {
        let now = referenced();
        let want = now.clone().retype("accounts", "id", "bigint");
        let scope = scope(&now, &want, "accounts");
        assert_eq!(
            tables(&scope.current),
            ["public.accounts", "public.charges"]
        );
        let charges = &scope.current.tables[&f::q("charges")];
        assert!(charges.constraints.contains_key("charges_account_fkey"));
    }

    #[test]
    fn a_table_a_new_one_references_stands_in_with_its_owner_and_keys_only() {
        let now = referenced();
        let want = now
            .clone()
            .table("refunds", &[("charge", "integer")])
            .constraint(
                "refunds",
                "refunds_charge_fkey",
                f::foreign_key(&["charge"], "charges", &["id"]),
            );
        let scope = scope(&now, &want, "refunds");
        assert_eq!(tables(&scope.current), ["public.charges"]);
        assert_eq!(tables(&scope.desired), ["public.charges", "public.refunds"]);
        for side in [&scope.current, &scope.desired] {
            let charges = &side.tables[&f::q("charges")];
            assert_eq!(charges.owner.as_deref(), Some("alice"));
            let keys: Vec<&String> = charges.constraints.keys().collect();
            assert_eq!(keys, ["charges_pkey"]);
        }
    }
}
