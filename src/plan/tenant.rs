//! Schema per tenant: a model of one schema made into the same model of another schema — the
//! desired state written once for a template schema, given to each tenant's schema; a tenant's
//! schema read back in the template's terms, to tell which tenants share a schema. Every name
//! qualified by the schema is renamed, in the model's keys and references and in its SQL text
//! (`sqltext::reprint::rename_schema`); comments, enum labels and other plain words are not.
//! Pure.

use std::collections::BTreeMap;

use crate::model::hints::{Backfills, Conversions, RenameHint, Renames};
use crate::model::*;
use crate::sqltext::reprint::rename_schema;

/// Kinds of object the renaming does not cover yet: a template that holds them is refused.
pub fn unsupported(catalog: &Catalog, template: &str) -> Vec<&'static str> {
    let mut out = Vec::new();
    let inside = |q: &QualName| q.schema == template;
    if catalog.aggregates.keys().any(|f| inside(&f.name)) {
        out.push("aggregates");
    }
    if catalog.range_types.keys().any(inside) {
        out.push("range types");
    }
    if catalog.collations.keys().any(inside) {
        out.push("collations");
    }
    if catalog.text_search_dictionaries.keys().any(inside)
        || catalog.text_search_configurations.keys().any(inside)
    {
        out.push("text search objects");
    }
    if catalog
        .publications
        .values()
        .any(|p| p.tables.keys().any(inside))
    {
        out.push("publications");
    }
    if catalog
        .extensions
        .values()
        .any(|e| e.schema.as_deref() == Some(template))
    {
        out.push("extensions");
    }
    out
}

/// What renames: the schema `from` to `to`.
#[derive(Clone, Copy)]
pub struct Rename<'a> {
    pub from: &'a str,
    pub to: &'a str,
}

impl Rename<'_> {
    fn schema(&self, s: &mut String) {
        if s == self.from {
            *s = self.to.to_string();
        }
    }

    fn name(&self, q: &QualName) -> QualName {
        let mut q = q.clone();
        self.schema(&mut q.schema);
        q
    }

    fn text(&self, s: &mut String) {
        if s.contains(self.from) {
            *s = rename_schema(s, self.from, self.to);
        }
    }

    fn opt(&self, s: &mut Option<String>) {
        if let Some(s) = s {
            self.text(s);
        }
    }

    fn expr(&self, e: &mut Expr) {
        self.text(&mut e.text);
        self.opt(&mut e.source);
    }

    fn opt_expr(&self, e: &mut Option<Expr>) {
        if let Some(e) = e {
            self.expr(e);
        }
    }

    fn objref(&self, r: &mut Option<ObjRef>) {
        if let Some(ObjRef {
            schema: Some(s), ..
        }) = r
        {
            self.schema(s);
        }
    }

    fn function(&self, f: &FunctionId) -> FunctionId {
        let mut args = f.args.clone();
        self.text(&mut args);
        FunctionId {
            name: self.name(&f.name),
            args,
        }
    }

    fn secured(&self, o: &SecuredObject) -> SecuredObject {
        match o {
            SecuredObject::Schema(s) => {
                let mut s = s.clone();
                self.schema(&mut s);
                SecuredObject::Schema(s)
            }
            SecuredObject::Table(q) => SecuredObject::Table(self.name(q)),
            SecuredObject::View(q) => SecuredObject::View(self.name(q)),
            SecuredObject::Sequence(q) => SecuredObject::Sequence(self.name(q)),
            SecuredObject::Column(q, c) => SecuredObject::Column(self.name(q), c.clone()),
            SecuredObject::Function(f) => SecuredObject::Function(self.function(f)),
        }
    }

    /// A dependency's end, renamed.
    pub fn key(&self, k: &ObjKey) -> ObjKey {
        match k {
            ObjKey::Schema(s) => {
                let mut s = s.clone();
                self.schema(&mut s);
                ObjKey::Schema(s)
            }
            ObjKey::Extension(e) => ObjKey::Extension(e.clone()),
            ObjKey::Type(q) => ObjKey::Type(self.name(q)),
            ObjKey::Relation(q) => ObjKey::Relation(self.name(q)),
            ObjKey::Column(q, c) => ObjKey::Column(self.name(q), c.clone()),
            ObjKey::Constraint(q, c) => ObjKey::Constraint(self.name(q), c.clone()),
            ObjKey::Function(f) => ObjKey::Function(self.function(f)),
            ObjKey::Trigger(q, t) => ObjKey::Trigger(self.name(q), t.clone()),
            ObjKey::SequenceOwner(q) => ObjKey::SequenceOwner(self.name(q)),
            ObjKey::Logged(q) => ObjKey::Logged(self.name(q)),
            ObjKey::Partition(q) => ObjKey::Partition(self.name(q)),
            ObjKey::Inherits(a, b) => ObjKey::Inherits(self.name(a), self.name(b)),
            ObjKey::Policy(q, p) => ObjKey::Policy(self.name(q), p.clone()),
            ObjKey::Owner(o) => ObjKey::Owner(self.secured(o)),
            ObjKey::TablePrivileges(q, r) => ObjKey::TablePrivileges(self.name(q), r.clone()),
            ObjKey::Statistics(q) => ObjKey::Statistics(self.name(q)),
            ObjKey::Collation(q) => ObjKey::Collation(self.name(q)),
            ObjKey::TsDictionary(q) => ObjKey::TsDictionary(self.name(q)),
            ObjKey::TsConfiguration(q) => ObjKey::TsConfiguration(self.name(q)),
            ObjKey::Publication(p) => ObjKey::Publication(p.clone()),
        }
    }

    fn keyed<T>(&self, map: BTreeMap<QualName, T>, each: impl Fn(&mut T)) -> BTreeMap<QualName, T> {
        map.into_iter()
            .map(|(q, mut v)| {
                each(&mut v);
                (self.name(&q), v)
            })
            .collect()
    }

    fn index(&self, i: &mut Index) {
        for k in &mut i.keys {
            if let IndexExpr::Expression(e) = &mut k.expr {
                self.expr(e);
            }
            self.objref(&mut k.opclass);
            self.objref(&mut k.collation);
        }
        self.opt_expr(&mut i.predicate);
    }

    fn constraint(&self, c: &mut Constraint) {
        match &mut c.kind {
            ConstraintKind::Check { expression, .. } => self.expr(expression),
            ConstraintKind::ForeignKey(fk) => fk.ref_table = self.name(&fk.ref_table),
            ConstraintKind::Exclude(x) => {
                for el in &mut x.elements {
                    if let IndexExpr::Expression(e) = &mut el.key.expr {
                        self.expr(e);
                    }
                    self.objref(&mut el.key.opclass);
                    self.objref(&mut el.key.collation);
                    self.text(&mut el.operator);
                }
                self.opt_expr(&mut x.predicate);
            }
            ConstraintKind::PrimaryKey { .. } | ConstraintKind::Unique { .. } => {}
        }
    }

    fn trigger(&self, t: &mut Trigger) {
        self.opt_expr(&mut t.when);
        t.function = self.name(&t.function);
    }

    fn table(&self, t: &mut Table) {
        for c in &mut t.columns {
            self.text(&mut c.data_type);
            self.opt_expr(&mut c.default);
            self.opt_expr(&mut c.generated);
            self.objref(&mut c.collation);
            if let Some(identity) = &mut c.identity {
                self.opt(&mut identity.options.data_type);
            }
        }
        t.constraints.values_mut().for_each(|c| self.constraint(c));
        t.indexes.values_mut().for_each(|i| self.index(i));
        self.opt(&mut t.partition_by);
        if let Some(p) = &mut t.partition_of {
            p.parent = self.name(&p.parent);
            self.text(&mut p.bounds);
            p.inherited_constraints
                .values_mut()
                .for_each(|c| self.constraint(c));
            for i in p.inherited_indexes.values_mut() {
                self.index(&mut i.index);
            }
        }
        t.triggers.values_mut().for_each(|tr| self.trigger(tr));
        for p in t.policies.values_mut() {
            self.opt_expr(&mut p.using);
            self.opt_expr(&mut p.with_check);
        }
        for s in t.statistics.values_mut() {
            s.expressions.iter_mut().for_each(|e| self.expr(e));
        }
        t.inherits = t.inherits.iter().map(|q| self.name(q)).collect();
    }

    fn view_columns(&self, columns: &mut [ViewColumn]) {
        for c in columns {
            self.text(&mut c.data_type);
            self.objref(&mut c.collation);
        }
    }

    fn function_body(&self, f: &mut Function) {
        self.text(&mut f.arguments);
        self.opt(&mut f.returns);
        self.text(&mut f.body);
        // `SET search_path = tenant, public` names the schema as a word, not qualified.
        if let Some(path) = f.settings.get_mut("search_path") {
            let parts: Vec<String> = path
                .split(',')
                .map(|p| {
                    let p = p.trim();
                    let bare = p.trim_matches('"');
                    if bare == self.from {
                        crate::model::quote::ident(self.to)
                    } else {
                        p.to_string()
                    }
                })
                .collect();
            *path = parts.join(", ");
        }
    }

    /// `catalog` with the schema renamed.
    pub fn catalog(&self, catalog: Catalog) -> Catalog {
        let Catalog {
            schemas,
            extensions,
            enums,
            sequences,
            tables,
            views,
            functions,
            materialized_views,
            aggregates,
            deps,
            extension_members,
            roles,
            every_role,
            default_privileges,
            domains,
            composite_types,
            range_types,
            collations,
            extension_updates,
            text_search_dictionaries,
            text_search_configurations,
            publications,
            server_version,
        } = catalog;
        Catalog {
            schemas: schemas
                .into_iter()
                .map(|(mut n, s)| {
                    self.schema(&mut n);
                    (n, s)
                })
                .collect(),
            extensions,
            enums: self.keyed(enums, |_| {}),
            sequences: self.keyed(sequences, |s| {
                self.opt(&mut s.options.data_type);
                if let Some(o) = &mut s.owned_by {
                    o.table = self.name(&o.table);
                }
            }),
            tables: self.keyed(tables, |t| self.table(t)),
            views: self.keyed(views, |v| {
                self.expr(&mut v.definition);
                self.view_columns(&mut v.columns);
                v.triggers.values_mut().for_each(|t| self.trigger(t));
            }),
            functions: functions
                .into_iter()
                .map(|(id, mut f)| {
                    self.function_body(&mut f);
                    (self.function(&id), f)
                })
                .collect(),
            materialized_views: self.keyed(materialized_views, |m| {
                self.expr(&mut m.definition);
                self.view_columns(&mut m.columns);
                m.indexes.values_mut().for_each(|i| self.index(i));
            }),
            aggregates,
            deps: deps
                .iter()
                .map(|(a, b)| (self.key(a), self.key(b)))
                .collect(),
            extension_members,
            roles,
            every_role,
            default_privileges: default_privileges
                .into_iter()
                .map(|(mut k, g)| {
                    if let Some(s) = &mut k.schema {
                        self.schema(s);
                    }
                    (k, g)
                })
                .collect(),
            domains: self.keyed(domains, |d| {
                self.text(&mut d.data_type);
                self.opt_expr(&mut d.default);
                self.objref(&mut d.collation);
                for c in d.constraints.values_mut() {
                    self.expr(&mut c.expression);
                }
            }),
            composite_types: self.keyed(composite_types, |c| {
                for a in &mut c.attributes {
                    self.text(&mut a.data_type);
                    self.objref(&mut a.collation);
                }
            }),
            range_types,
            collations,
            extension_updates,
            text_search_dictionaries,
            text_search_configurations,
            publications,
            server_version,
        }
    }

    /// The hints of a desired state (`renamed_from`, `backfill:`, `using:`), renamed.
    pub fn hints(
        &self,
        renames: &Renames,
        backfills: &Backfills,
        conversions: &Conversions,
    ) -> (Renames, Backfills, Conversions) {
        let renames = renames
            .iter()
            .map(|(k, v)| {
                let k = match k {
                    RenameHint::Table(q) => RenameHint::Table(self.name(q)),
                    RenameHint::Column(q, c) => RenameHint::Column(self.name(q), c.clone()),
                    RenameHint::Constraint(q, c) => RenameHint::Constraint(self.name(q), c.clone()),
                    RenameHint::Index(q, c) => RenameHint::Index(self.name(q), c.clone()),
                    RenameHint::Enum(q) => RenameHint::Enum(self.name(q)),
                };
                (k, v.clone())
            })
            .collect();
        let backfills = backfills
            .iter()
            .map(|((q, c), b)| {
                let mut b = b.clone();
                self.expr(&mut b.expression);
                ((self.name(q), c.clone()), b)
            })
            .collect();
        let conversions = conversions
            .iter()
            .map(|((q, c), u)| {
                let mut u = u.clone();
                self.expr(&mut u.up);
                self.opt_expr(&mut u.down);
                ((self.name(q), c.clone()), u)
            })
            .collect();
        (renames, backfills, conversions)
    }
}
