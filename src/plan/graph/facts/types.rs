//! Facts of types: enums, domains, composite and range types; collations.

use crate::model::*;
use crate::plan::change::{EnumColumn, RebuiltDomain};
use crate::plan::graph::keys::Facts;
use crate::plan::graph::structure::Structure;

pub(super) fn create_enum(name: &QualName) -> Facts {
    let mut f = Facts::default();
    f.creates.push(ObjKey::Type(name.clone()));
    f.needs_new.push(ObjKey::Schema(name.schema.clone()));
    f
}

pub(super) fn drop_enum(name: &QualName) -> Facts {
    let mut f = Facts::default();
    f.drops.push(ObjKey::Type(name.clone()));
    f.needs_old.push(ObjKey::Schema(name.schema.clone()));
    f
}

pub(super) fn add_enum_values(name: &QualName) -> Facts {
    let mut f = Facts::default();
    f.creates.push(ObjKey::Type(name.clone()));
    f
}

pub(super) fn rebuild_enum(name: &QualName, columns: &[EnumColumn]) -> Facts {
    let mut f = Facts::default();
    let mut keys = vec![ObjKey::Type(name.clone())];
    keys.extend(
        columns
            .iter()
            .map(|c| ObjKey::Column(c.table.clone(), c.column.clone())),
    );
    f.drops = keys.clone();
    f.creates = keys;
    f
}

pub(super) fn create_domain(name: &QualName, def: &Domain, des: &Structure<'_>) -> Facts {
    let mut f = Facts::default();
    f.creates.push(ObjKey::Type(name.clone()));
    f.creates.extend(
        def.constraints
            .keys()
            .map(|c| ObjKey::Constraint(name.clone(), c.clone())),
    );
    f.needs_new = des.domain_deps(name, def);
    let texts = def
        .constraints
        .values()
        .map(|c| &c.expression)
        .chain(def.default.as_ref());
    for text in texts {
        f.prefers_new
            .extend(des.routines_mentioned(&name.schema, &text.sql()));
    }
    f
}

pub(super) fn drop_domain(name: &QualName, def: &Domain, cur: &Structure<'_>) -> Facts {
    let mut f = Facts::default();
    f.drops.push(ObjKey::Type(name.clone()));
    f.drops.extend(
        def.constraints
            .keys()
            .map(|c| ObjKey::Constraint(name.clone(), c.clone())),
    );
    f.needs_old = cur.domain_deps(name, def);
    f
}

pub(super) fn rebuild_domain(
    domains: &[RebuiltDomain],
    cur: &Structure<'_>,
    des: &Structure<'_>,
) -> Facts {
    let mut f = Facts::default();
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
    f
}

/// `SET DEFAULT` and `SET NOT NULL` of a domain.
pub(super) fn alter_domain(name: &QualName) -> Facts {
    let mut f = Facts::default();
    f.needs_new.push(ObjKey::Type(name.clone()));
    f
}

pub(super) fn add_domain_constraint(domain: &QualName, name: &str) -> Facts {
    let mut f = Facts::default();
    f.creates
        .push(ObjKey::Constraint(domain.clone(), name.to_string()));
    f.needs_new.push(ObjKey::Type(domain.clone()));
    f
}

pub(super) fn drop_domain_constraint(domain: &QualName, name: &str) -> Facts {
    let mut f = Facts::default();
    f.drops
        .push(ObjKey::Constraint(domain.clone(), name.to_string()));
    f.needs_old.push(ObjKey::Type(domain.clone()));
    f
}

pub(super) fn validate_domain_constraint(domain: &QualName, name: &str) -> Facts {
    let mut f = Facts::default();
    f.needs_new
        .push(ObjKey::Constraint(domain.clone(), name.to_string()));
    f
}

pub(super) fn create_composite_type(
    name: &QualName,
    def: &CompositeType,
    des: &Structure<'_>,
) -> Facts {
    let mut f = Facts::default();
    f.creates.push(ObjKey::Type(name.clone()));
    f.needs_new.push(ObjKey::Schema(name.schema.clone()));
    for a in &def.attributes {
        f.creates.push(ObjKey::Column(name.clone(), a.name.clone()));
        f.needs_new.extend(des.attribute_deps(name, a));
    }
    f.needs_new.retain(|k| !f.creates.contains(k));
    f
}

pub(super) fn drop_composite_type(
    name: &QualName,
    def: &CompositeType,
    cur: &Structure<'_>,
) -> Facts {
    let mut f = Facts::default();
    f.drops.push(ObjKey::Type(name.clone()));
    f.needs_old.push(ObjKey::Schema(name.schema.clone()));
    for a in &def.attributes {
        f.drops.push(ObjKey::Column(name.clone(), a.name.clone()));
        f.needs_old.extend(cur.attribute_deps(name, a));
    }
    f.needs_old.retain(|k| !f.drops.contains(k));
    f
}

pub(super) fn add_attribute(
    type_name: &QualName,
    attribute: &Attribute,
    des: &Structure<'_>,
) -> Facts {
    let mut f = Facts::default();
    f.creates
        .push(ObjKey::Column(type_name.clone(), attribute.name.clone()));
    f.needs_new.push(ObjKey::Type(type_name.clone()));
    f.needs_new.extend(des.attribute_deps(type_name, attribute));
    f
}

pub(super) fn drop_attribute(
    type_name: &QualName,
    attribute: &Attribute,
    cur: &Structure<'_>,
) -> Facts {
    let mut f = Facts::default();
    f.drops
        .push(ObjKey::Column(type_name.clone(), attribute.name.clone()));
    f.needs_old.extend(cur.attribute_deps(type_name, attribute));
    f
}

pub(super) fn alter_attribute_type(
    type_name: &QualName,
    from: &Attribute,
    to: &Attribute,
    cur: &Structure<'_>,
    des: &Structure<'_>,
) -> Facts {
    let mut f = Facts::default();
    let key = ObjKey::Column(type_name.clone(), to.name.clone());
    f.drops.push(key.clone());
    f.creates.push(key);
    f.needs_old.extend(cur.attribute_deps(type_name, from));
    f.needs_new.extend(des.attribute_deps(type_name, to));
    f
}

pub(super) fn create_range_type(name: &QualName, def: &RangeType, des: &Structure<'_>) -> Facts {
    let mut f = Facts::default();
    f.creates.push(ObjKey::Type(name.clone()));
    f.needs_new = des.range_deps(name, def);
    f
}

pub(super) fn drop_range_type(name: &QualName, def: &RangeType, cur: &Structure<'_>) -> Facts {
    let mut f = Facts::default();
    f.drops.push(ObjKey::Type(name.clone()));
    f.needs_old = cur.range_deps(name, def);
    f
}

pub(super) fn create_collation(name: &QualName) -> Facts {
    let mut f = Facts::default();
    f.creates.push(ObjKey::Collation(name.clone()));
    f.needs_new.push(ObjKey::Schema(name.schema.clone()));
    f
}

/// What uses the collation is gone first: columns, domains, attributes and indexes say so in
/// their own facts (they need it, old and new).
pub(super) fn drop_collation(name: &QualName, cur: &Structure<'_>) -> Facts {
    let mut f = Facts::default();
    f.drops.push(ObjKey::Collation(name.clone()));
    f.needs_old.push(ObjKey::Schema(name.schema.clone()));
    f.needs_old
        .extend(cur.recorded(&ObjKey::Collation(name.clone())));
    f
}
