//! The seeds of the rebuild closure: every key whose old version disappears in this plan, and
//! how (retyped or replaced).

use crate::model::*;

use super::compare::{
    column_recreated, column_retyped, domain_tightens, is_extension_of, recreated, same_constraint,
    same_index, same_matview_query, view_replaceable,
};
use super::state::{Differ, Disturbance};
use super::type_use::composite_using;

impl Differ<'_> {
    /// Keys whose old version disappears in this plan.
    pub(super) fn plan_rebuild_seeds(&mut self) {
        let (cur, des) = (self.cur, self.des);
        self.seed_tables();
        self.seed_views();
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
        self.seed_aggregates();
        self.seed_text_search();
    }

    /// Tables dropped (or dropped and created again with another partition key) with all on
    /// them; columns dropped, retyped or dropped and added again; constraints and indexes
    /// that go or change.
    fn seed_tables(&mut self) {
        let (cur, des) = (self.cur, self.des);
        for (name, table) in &cur.tables {
            let new = des.tables.get(name).filter(|new| !recreated(table, new));
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
                // A partitioned table's is incomplete (ON ONLY), not failed: compared as such.
                if !index.valid && table.partition_by.is_none() {
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
    }

    /// Views and materialized views whose old definition goes.
    fn seed_views(&mut self) {
        let (cur, des) = (self.cur, self.des);
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
    pub(super) fn plan_domain_rebuilds(&mut self) {
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
}
