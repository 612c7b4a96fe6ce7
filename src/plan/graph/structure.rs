//! The dependencies a model implies, read once per model and asked by the facts of each change.

use std::collections::{BTreeSet, HashMap};

use super::keys::{identity_sequence, trigger_function};
use crate::model::*;
use crate::sqltext::types;

/// Dependencies of a model: those PostgreSQL recorded, plus those that follow from the
/// definitions themselves (which is all a model loaded from YAML has).
pub(super) struct Structure<'a> {
    pub(super) model: &'a Catalog,
    /// Foreign keys by the table they reference.
    foreign_keys_into: HashMap<QualName, Vec<ObjKey>>,
    /// Enum types by the name a column type would print: `public.mood`, and unqualified `mood`.
    enums_by_text: HashMap<String, QualName>,
    /// Functions by name (all overloads).
    functions_by_name: HashMap<QualName, Vec<FunctionId>>,
}

impl<'a> Structure<'a> {
    pub(super) fn new(model: &'a Catalog) -> Self {
        let mut enums_by_text = HashMap::new();
        for q in model
            .enums
            .keys()
            .chain(model.domains.keys())
            .chain(model.composite_types.keys())
        {
            enums_by_text.insert(crate::model::quote::qualified(q), q.clone());
        }
        // A column of a range type's multirange type needs the range type (they come and go
        // together).
        for (q, r) in &model.range_types {
            enums_by_text.insert(crate::model::quote::qualified(q), q.clone());
            let multirange = r.multirange(q);
            enums_by_text.insert(crate::model::quote::qualified(&multirange), q.clone());
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
        // Aggregates share the functions' namespace: a body or a view may call either.
        for id in model.functions.keys().chain(model.aggregates.keys()) {
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

    /// Adds every overload named `q` (functions and aggregates) but `id` itself to `out`;
    /// whether the name is one of this model's routines.
    fn add_overloads(&self, q: &QualName, id: &FunctionId, out: &mut BTreeSet<ObjKey>) -> bool {
        let Some(ids) = self.functions_by_name.get(q) else {
            return false;
        };
        out.extend(
            ids.iter()
                .filter(|other| *other != id)
                .cloned()
                .map(ObjKey::Function),
        );
        true
    }

    /// What a function's text names that this model has: relations (a table's row type, or
    /// what the body reads), enum types, other functions. Bare names resolve in the function's
    /// schema, then `public`.
    pub(super) fn function_mentions(&self, id: &FunctionId, f: &Function) -> Vec<ObjKey> {
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
                if self.add_overloads(&q, id, &mut out) {
                    break;
                }
            }
        }
        out.into_iter().collect()
    }

    /// The support functions and state types an aggregate names that this model has (bare
    /// names in the aggregate's schema, then `public`): all overloads of a function name.
    pub(super) fn aggregate_mentions(&self, id: &FunctionId, a: &Aggregate) -> Vec<ObjKey> {
        let mut out = BTreeSet::new();
        for name in a.support_functions() {
            for m in crate::sqltext::body::mentions(name).into_iter().take(1) {
                for q in m.candidates(&id.name.schema) {
                    if self.add_overloads(&q, id, &mut out) {
                        break;
                    }
                }
            }
        }
        for t in a.state_types() {
            out.extend(self.enum_of(&id.name, t));
            if let Ok(parsed) = types::parse(t) {
                let candidates = match parsed.schema {
                    Some(s) => vec![QualName::new(s, parsed.name)],
                    None => vec![
                        QualName::new(id.name.schema.clone(), parsed.name.clone()),
                        QualName::new("public", parsed.name),
                    ],
                };
                // A table's row type.
                out.extend(
                    candidates
                        .into_iter()
                        .find(|q| self.model.tables.contains_key(q))
                        .map(ObjKey::Relation),
                );
            }
        }
        out.into_iter().collect()
    }

    /// The aggregates a query names (bare names in `schema`, then `public`): what a view
    /// calling one needs first. PostgreSQL records it once the view exists; a model loaded
    /// from YAML knows only the text, and the shadow retries views only for missing relations.
    pub(super) fn aggregates_mentioned(&self, schema: &str, text: &str) -> Vec<ObjKey> {
        if self.model.aggregates.is_empty() {
            return Vec::new();
        }
        let mut out = self.routines_mentioned(schema, text);
        out.retain(|k| matches!(k, ObjKey::Function(id) if self.model.aggregates.contains_key(id)));
        out
    }

    /// The functions and aggregates a piece of SQL names (bare names in `schema`, then
    /// `public`; every overload): a domain's checks and default calling a function need it
    /// first. Found in text, so only a preference.
    pub(super) fn routines_mentioned(&self, schema: &str, text: &str) -> Vec<ObjKey> {
        let mut out = BTreeSet::new();
        for m in crate::sqltext::body::mentions(text) {
            for q in m.candidates(schema) {
                if let Some(ids) = self.functions_by_name.get(&q) {
                    out.extend(ids.iter().cloned().map(ObjKey::Function));
                    break;
                }
            }
        }
        out.into_iter().collect()
    }

    pub(super) fn trigger_deps(
        &self,
        table: &QualName,
        name: &str,
        trigger: &Trigger,
    ) -> Vec<ObjKey> {
        let mut out = self.recorded(&ObjKey::Trigger(table.clone(), name.to_string()));
        out.push(ObjKey::Relation(table.clone()));
        out.push(trigger_function(trigger));
        for c in &trigger.update_of {
            out.push(ObjKey::Column(table.clone(), c.clone()));
        }
        out
    }

    pub(super) fn recorded(&self, key: &ObjKey) -> Vec<ObjKey> {
        self.model.recorded_deps_of(key).cloned().collect()
    }

    /// The enum a column type names, if any.
    /// (Enums, domains and composite types alike.)
    pub(super) fn enum_of(&self, table: &QualName, data_type: &str) -> Option<ObjKey> {
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
            .find_map(|q| {
                let user_type = self.model.enums.contains_key(&q)
                    || self.model.domains.contains_key(&q)
                    || self.model.composite_types.contains_key(&q)
                    || self.model.range_types.contains_key(&q);
                if user_type {
                    return Some(q);
                }
                self.model
                    .range_types
                    .iter()
                    .find(|(r, def)| def.multirange(r) == q)
                    .map(|(r, _)| r.clone())
            })
            .map(ObjKey::Type)
    }

    /// The collation of this model an object in `schema` names, as a graph key.
    pub(super) fn collation_key(&self, schema: &str, r: Option<&ObjRef>) -> Option<ObjKey> {
        self.model.collation_of(schema, r?).map(ObjKey::Collation)
    }

    /// What a range type needs: its schema, its subtype (a type of the model), its collation,
    /// its canonical and difference functions, and what PostgreSQL recorded.
    pub(super) fn range_deps(&self, name: &QualName, def: &RangeType) -> Vec<ObjKey> {
        let mut out = self.recorded(&ObjKey::Type(name.clone()));
        out.push(ObjKey::Schema(name.schema.clone()));
        out.extend(self.enum_of(name, &def.subtype));
        out.extend(self.collation_key(&name.schema, def.collation.as_ref()));
        for f in def.canonical.iter().chain(&def.subtype_diff) {
            out.extend(self.routines_mentioned(&name.schema, f));
        }
        out.retain(|k| *k != ObjKey::Type(name.clone()));
        out
    }

    /// What a domain needs: its base type (an enum, domain or composite type of the model),
    /// and what PostgreSQL recorded (extension types, the schema).
    pub(super) fn domain_deps(&self, name: &QualName, def: &Domain) -> Vec<ObjKey> {
        let mut out = self.recorded(&ObjKey::Type(name.clone()));
        out.push(ObjKey::Schema(name.schema.clone()));
        out.extend(self.enum_of(name, &def.data_type));
        out.extend(self.collation_key(&name.schema, def.collation.as_ref()));
        out
    }

    /// What a composite type's attribute needs: its type, and what PostgreSQL recorded.
    pub(super) fn attribute_deps(&self, name: &QualName, a: &Attribute) -> Vec<ObjKey> {
        let mut out = self.recorded(&ObjKey::Column(name.clone(), a.name.clone()));
        out.extend(self.enum_of(name, &a.data_type));
        out.extend(self.collation_key(&name.schema, a.collation.as_ref()));
        out
    }

    pub(super) fn column_deps(&self, table: &QualName, column: &Column) -> Vec<ObjKey> {
        let mut out = self.recorded(&ObjKey::Column(table.clone(), column.name.clone()));
        out.extend(self.enum_of(table, &column.data_type));
        out.extend(self.collation_key(&table.schema, column.collation.as_ref()));
        // A generated column or default naming a configuration (`to_tsvector('s.c', body)`).
        for e in column.generated.iter().chain(column.default.as_ref()) {
            out.extend(self.text_search_mentioned(&table.schema, &e.text));
        }
        out
    }

    pub(super) fn constraint_deps(
        &self,
        table: &QualName,
        name: &str,
        con: &Constraint,
    ) -> Vec<ObjKey> {
        let mut out = self.recorded(&ObjKey::Constraint(table.clone(), name.to_string()));
        out.push(ObjKey::Relation(table.clone()));
        for c in con.kind.reads_columns() {
            out.push(ObjKey::Column(table.clone(), c.clone()));
        }
        if let ConstraintKind::Exclude(x) = &con.kind {
            for e in &x.elements {
                out.extend(self.collation_key(&table.schema, e.key.collation.as_ref()));
            }
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
    pub(super) fn referenced_key(&self, fk: &ForeignKey) -> Vec<ObjKey> {
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

    pub(super) fn index_deps(&self, table: &QualName, name: &str, index: &Index) -> Vec<ObjKey> {
        let mut out = self.recorded(&ObjKey::Relation(QualName::new(
            table.schema.clone(),
            name.to_string(),
        )));
        out.push(ObjKey::Relation(table.clone()));
        for c in index.columns() {
            out.push(ObjKey::Column(table.clone(), c.clone()));
        }
        for k in &index.keys {
            out.extend(self.collation_key(&table.schema, k.collation.as_ref()));
        }
        for key in &index.keys {
            if let IndexExpr::Expression(e) = &key.expr {
                out.extend(self.text_search_mentioned(&table.schema, &e.text));
            }
        }
        if let Some(p) = &index.predicate {
            out.extend(self.text_search_mentioned(&table.schema, &p.text));
        }
        // A partition whose key of its own is to be this index's (the name pinned is the
        // key's): the key first, so that building the partitioned index adopts its index.
        for (partition, t) in Table::partitions_of(self.model, table) {
            let Some(child) = t
                .partition_of
                .as_ref()
                .and_then(|p| p.index_names.get(name))
            else {
                continue;
            };
            if t.key_named(child).is_some() {
                out.push(ObjKey::Constraint(partition.clone(), child.clone()));
            }
        }
        out
    }

    /// The text search configurations a piece of SQL names (`'s.c'::regconfig`,
    /// `to_tsvector('s.c', body)`; bare names in `schema`, then `public`). PostgreSQL records
    /// them once the object exists; a model loaded from YAML knows only the text. A
    /// configuration needs nothing but dictionaries and its schema, so these needs close no
    /// cycle even where the text only looks like a name.
    pub(super) fn text_search_mentioned(&self, schema: &str, text: &str) -> Vec<ObjKey> {
        let configurations = &self.model.text_search_configurations;
        if configurations.is_empty() {
            return Vec::new();
        }
        let mut out = BTreeSet::new();
        for m in crate::sqltext::body::mentions(text) {
            if let Some(q) = m
                .candidates(schema)
                .into_iter()
                .find(|q| configurations.contains_key(q))
            {
                out.insert(ObjKey::TsConfiguration(q));
            }
        }
        out.into_iter().collect()
    }

    /// The dictionaries a configuration maps that this model has (bare names in the
    /// configuration's schema, then `public`, as the shadow's search path resolves them).
    pub(super) fn dictionaries_mapped(&self, name: &QualName, c: &TsConfiguration) -> Vec<ObjKey> {
        let mut out = BTreeSet::new();
        for dictionary in c.mappings.values().flatten() {
            for m in crate::sqltext::body::mentions(dictionary)
                .into_iter()
                .take(1)
            {
                if let Some(q) = m
                    .candidates(&name.schema)
                    .into_iter()
                    .find(|q| self.model.text_search_dictionaries.contains_key(q))
                {
                    out.insert(ObjKey::TsDictionary(q));
                }
            }
        }
        out.into_iter().collect()
    }

    /// Every key a table consists of, and everything those keys need.
    pub(super) fn table_keys(&self, name: &QualName, table: &Table) -> (Vec<ObjKey>, Vec<ObjKey>) {
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
        // Statistics go with the table; what their expressions read is needed until then.
        for sname in table.statistics.keys() {
            let key = ObjKey::Statistics(QualName::new(name.schema.clone(), sname.clone()));
            needs.extend(self.recorded(&key));
            keys.push(key);
        }
        // A partition comes after its parent (and a sub-partition after its partition), wherever
        // they are; its link to the parent goes with it.
        if let Some(p) = &table.partition_of {
            keys.push(ObjKey::Partition(name.clone()));
            needs.push(ObjKey::Relation(p.parent.clone()));
        }
        // A table that inherits comes after its parents, and goes before them.
        needs.extend(table.inherits.iter().cloned().map(ObjKey::Relation));
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
    pub(super) fn attach_needs(&self, table: &QualName, partition: &PartitionOf) -> Vec<ObjKey> {
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

    pub(super) fn view_deps(&self, name: &QualName) -> Vec<ObjKey> {
        let mut out = self.recorded(&ObjKey::Relation(name.clone()));
        out.push(ObjKey::Schema(name.schema.clone()));
        out
    }

    pub(super) fn primary_key_of(&self, table: &QualName) -> Option<ObjKey> {
        let (name, _) = self.model.tables.get(table)?.primary_key()?;
        Some(ObjKey::Constraint(table.clone(), name.clone()))
    }

    pub(super) fn foreign_keys_into(&self, table: &QualName) -> Vec<ObjKey> {
        self.foreign_keys_into
            .get(table)
            .cloned()
            .unwrap_or_default()
    }

    /// The primary key, unique constraints and unique indexes of `table`.
    pub(super) fn unique_keys_of(&self, table: &QualName) -> Vec<ObjKey> {
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

    pub(super) fn sequences_owned_by(&self, table: &QualName) -> Vec<QualName> {
        self.model
            .sequences
            .iter()
            .filter(|(_, s)| s.owned_by.as_ref().is_some_and(|o| o.table == *table))
            .map(|(q, _)| q.clone())
            .collect()
    }

    /// The tables `table`'s foreign keys reference (itself excluded).
    pub(super) fn references_of<'s>(
        &'s self,
        table: &'s QualName,
    ) -> impl Iterator<Item = QualName> + 's {
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
