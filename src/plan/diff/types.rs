//! User-defined types: enums (values added, or the enum rebuilt), domains (altered in place, or
//! rebuilt with the domains over them) and composite types.

use crate::model::*;
use crate::plan::change::{Change, CommentTarget, EnumColumn, RebuiltDomain};

use super::compare::{domain_tightens, is_extension_of};
use super::state::Differ;
use super::type_use::{attributes_in_place, composite_using, type_stored};

impl Differ<'_> {
    pub(super) fn enums(&mut self) {
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
    pub(super) fn enum_columns(&self, name: &QualName) -> Vec<EnumColumn> {
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

    pub(super) fn domains(&mut self) {
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

    pub(super) fn composite_types(&mut self) {
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
}
