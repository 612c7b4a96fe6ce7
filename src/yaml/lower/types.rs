//! Enums, domains and composite types.

use std::collections::BTreeMap;

use super::lowerer::Lowerer;
use crate::model::hints::RenameHint;
use crate::model::source::child_path;
use crate::model::*;
use crate::yaml::node::{Node, NodeKind};
use crate::yaml::sqlcheck::Field;

pub(crate) const DOMAIN_KEYS: &[&str] = &[
    "type",
    "not_null",
    "default",
    "collation",
    "constraints",
    "comment",
];
pub(crate) const DOMAIN_CONSTRAINT_KEYS: &[&str] = &["check", "not_valid", "comment"];
pub(crate) const COMPOSITE_KEYS: &[&str] = &["attributes", "comment"];
pub(crate) const ATTRIBUTE_KEYS: &[&str] = &["type", "collation", "comment"];
pub(crate) const ENUM_KEYS: &[&str] = &["values", "comment", "renamed_from"];

impl Lowerer<'_> {
    pub(super) fn enum_type(&mut self, name: QualName, node: &Node, path: &str) {
        let mut def = EnumType::default();
        let values = match &node.kind {
            NodeKind::Seq(_) => Some((node, path.to_string())),
            _ => {
                let Some(f) = self.fields(node, path, ENUM_KEYS) else {
                    return;
                };
                if let Some((n, p)) = f.get("comment") {
                    def.comment = self.optional_string(n, &p);
                }
                let values = f.get("values");
                if values.is_none() {
                    self.error(node, path, "missing key `values`");
                }
                values
            }
        };
        if let Some((n, p)) = values {
            match &n.kind {
                NodeKind::Seq(_) => def.values = self.names(n, &p).unwrap_or_default(),
                _ => self.error(
                    n,
                    &p,
                    format!("expected a list of values, found {}", n.describe()),
                ),
            }
        }
        if self.define(ObjKey::Type(name.clone()), path, node) {
            self.hint(node, path, RenameHint::Enum(name.clone()));
            self.catalog.enums.insert(name, def);
        }
    }

    /// `domains: { name: { type, not_null, default, collation, constraints, comment } }`; a bare
    /// type (`email: citext`) is a domain with nothing else.
    pub(super) fn domain(&mut self, name: QualName, node: &Node, path: &str) {
        let mut def = Domain {
            data_type: String::new(),
            not_null: false,
            default: None,
            collation: None,
            constraints: BTreeMap::new(),
            comment: None,
        };
        if let NodeKind::Scalar { .. } = node.kind {
            let type_path = child_path(path, "type");
            self.record(node, &type_path);
            let Some(data_type) = self.checked(node, &type_path, Field::TypeName) else {
                return;
            };
            def.data_type = data_type;
        } else {
            let Some(f) = self.fields(node, path, DOMAIN_KEYS) else {
                return;
            };
            let Some((type_node, type_path)) = f.get("type") else {
                self.error(node, path, "missing key `type` (the domain's base type)");
                return;
            };
            let Some(data_type) = self.checked(type_node, &type_path, Field::TypeName) else {
                return;
            };
            def.data_type = data_type;
            if let Some((n, p)) = f.get("not_null") {
                def.not_null = self.bool(n, &p).unwrap_or(false);
            }
            if let Some((n, p)) = f.get("default") {
                def.default = match n.kind {
                    NodeKind::Null => None,
                    _ => self.expr(n, &p, Field::Default),
                };
            }
            if let Some((n, p)) = f.get("collation") {
                def.collation = self.obj_ref(n, &p);
            }
            if let Some((n, p)) = f.get("constraints") {
                for (cname, spec, cp) in self.named(n, &p) {
                    if let Some(con) = self.domain_constraint(spec, &cp) {
                        def.constraints.insert(cname.to_string(), con);
                    }
                }
            }
            def.comment = self.comment_field(&f);
        }
        if self.define(ObjKey::Type(name.clone()), path, node) {
            self.catalog.domains.insert(name, def);
        }
    }

    /// `{ check: VALUE > 0, not_valid, comment }`, or the expression alone.
    fn domain_constraint(&mut self, node: &Node, path: &str) -> Option<DomainConstraint> {
        if let NodeKind::Scalar { .. } = node.kind {
            return Some(DomainConstraint {
                expression: self.expr(node, path, Field::Expression)?,
                validated: true,
                comment: None,
            });
        }
        let f = self.fields(node, path, DOMAIN_CONSTRAINT_KEYS)?;
        let Some((n, p)) = f.get("check") else {
            self.error(node, path, "missing key `check` (an expression of VALUE)");
            return None;
        };
        let expression = self.expr(n, &p, Field::Expression)?;
        let not_valid = f
            .get("not_valid")
            .and_then(|(n, p)| self.bool(n, &p))
            .unwrap_or(false);
        Some(DomainConstraint {
            expression,
            validated: !not_valid,
            comment: self.comment_field(&f),
        })
    }

    /// `composite_types: { name: { attributes: { a: type | { type, collation, comment } },
    /// comment } }`; attributes in file order.
    pub(super) fn composite_type(&mut self, name: QualName, node: &Node, path: &str) {
        let Some(f) = self.fields(node, path, COMPOSITE_KEYS) else {
            return;
        };
        let mut def = CompositeType::default();
        match f.get("attributes") {
            Some((n, p)) => {
                for (attr_name, spec, ap) in self.named(n, &p) {
                    if let Some(a) = self.attribute(attr_name, spec, &ap) {
                        def.attributes.push(a);
                    }
                }
            }
            None => self.error(node, path, "missing key `attributes`"),
        }
        def.comment = self.comment_field(&f);
        if self.define(ObjKey::Type(name.clone()), path, node) {
            self.catalog.composite_types.insert(name, def);
        }
    }

    fn attribute(&mut self, name: &str, node: &Node, path: &str) -> Option<Attribute> {
        let type_path = child_path(path, "type");
        if let NodeKind::Scalar { .. } = node.kind {
            self.record(node, &type_path);
            return Some(Attribute {
                name: name.to_string(),
                data_type: self.checked(node, &type_path, Field::TypeName)?,
                collation: None,
                comment: None,
            });
        }
        let f = self.fields(node, path, ATTRIBUTE_KEYS)?;
        let Some((type_node, type_path)) = f.get("type") else {
            self.error(node, path, "missing key `type`");
            return None;
        };
        let data_type = self.checked(type_node, &type_path, Field::TypeName)?;
        let collation = match f.get("collation") {
            Some((n, p)) => self.obj_ref(n, &p),
            None => None,
        };
        Some(Attribute {
            name: name.to_string(),
            data_type,
            collation,
            comment: self.comment_field(&f),
        })
    }
}
