//! Where user-defined types are used (stored in columns, inside composite types, under domains),
//! which decides whether a type can be rebuilt.

use crate::model::*;

use super::state::Differ;

/// A composite type with an attribute of `name` (or an array of it), in `catalog`.
pub(super) fn composite_using(catalog: &Catalog, name: &QualName) -> Option<QualName> {
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
pub(super) fn type_stored(catalog: &Catalog, name: &QualName) -> bool {
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
pub(super) fn type_in_use(catalog: &Catalog, name: &QualName) -> bool {
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
pub(super) fn attributes_in_place(old: &CompositeType, new: &CompositeType) -> bool {
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

impl Differ<'_> {
    pub(super) fn rebuilt_domain(&self, name: &QualName) -> bool {
        self.domain_groups.iter().any(|g| g.contains(name))
    }

    /// Whether the attributes of a composite type cannot reach the desired order by adding at
    /// the end, dropping and retyping, and nothing uses the type: it is then dropped and
    /// created again. (A type in use keeps its order, with a warning.)
    pub(super) fn composite_recreated(
        &self,
        name: &QualName,
        old: &CompositeType,
        new: &CompositeType,
    ) -> bool {
        !attributes_in_place(old, new) && !type_in_use(self.cur, name)
    }
}
