//! Privileges, ownership and roles: the pure rules the rest of the pipeline shares. Privileges
//! are managed for the roles the desired state lists (`Catalog::roles`) only; an owner only
//! where the desired state names one.

use std::collections::BTreeSet;

use crate::model::*;

/// The steps that take one grantee from `from` to `to` on an object, for every role in
/// `roles`: what is added first (expand), then what is taken away (contract), each a
/// `(grantee, from, to)` of its own.
pub fn grant_steps(
    from: &Grants,
    to: &Grants,
    roles: &BTreeSet<String>,
) -> Vec<(String, Privileges, Privileges)> {
    let empty = Privileges::new();
    let mut out = Vec::new();
    for grantee in roles {
        let a = from.get(grantee).unwrap_or(&empty);
        let b = to.get(grantee).unwrap_or(&empty);
        if a == b {
            continue;
        }
        let mut union = a.clone();
        for (privilege, option) in b {
            *union.entry(*privilege).or_insert(*option) |= *option;
        }
        if union != *a {
            out.push((grantee.clone(), a.clone(), union.clone()));
        }
        if union != *b {
            out.push((grantee.clone(), union, b.clone()));
        }
    }
    out
}

/// The grants of `desired` for the listed roles, and those `current` gives to other roles: what
/// an object created again must get so that only managed privileges change.
pub fn merge_unmanaged(current: &Grants, desired: &Grants, roles: &BTreeSet<String>) -> Grants {
    let mut out: Grants = desired
        .iter()
        .filter(|(g, _)| roles.contains(*g))
        .map(|(g, p)| (g.clone(), p.clone()))
        .collect();
    for (grantee, privileges) in current {
        if !roles.contains(grantee) {
            out.insert(grantee.clone(), privileges.clone());
        }
    }
    out
}

/// The desired state as the shadow printed it speaks for the roles the YAML lists, and for the
/// owners the YAML names: an owner it leaves open is not compared (the shadow's objects belong
/// to whoever ran it).
pub fn settle(normalized: &mut Catalog, raw: &Catalog) {
    normalized.roles = raw.roles.clone();
    normalized.every_role = raw.every_role;
    for (name, schema) in normalized.schemas.iter_mut() {
        schema.owner = raw.schemas.get(name).and_then(|s| s.owner.clone());
    }
    for (name, table) in normalized.tables.iter_mut() {
        table.owner = raw.tables.get(name).and_then(|t| t.owner.clone());
    }
    for (name, view) in normalized.views.iter_mut() {
        view.owner = raw.views.get(name).and_then(|v| v.owner.clone());
    }
    for (name, seq) in normalized.sequences.iter_mut() {
        seq.owner = raw.sequences.get(name).and_then(|s| s.owner.clone());
    }
}

/// Every role a model names: the roles it speaks for, owners, policy roles (PUBLIC aside) and
/// the roles default privileges belong to. These must exist wherever the model is created.
pub fn named_roles(catalog: &Catalog) -> BTreeSet<String> {
    let mut out: BTreeSet<String> = catalog.roles.clone();
    let mut secured: Vec<(&Option<String>, &Grants)> = Vec::new();
    secured.extend(catalog.schemas.values().map(|s| (&s.owner, &s.grants)));
    secured.extend(catalog.sequences.values().map(|s| (&s.owner, &s.grants)));
    secured.extend(catalog.views.values().map(|v| (&v.owner, &v.grants)));
    for f in catalog.functions.values() {
        out.extend(f.grants.keys().cloned());
    }
    for t in catalog.tables.values() {
        secured.push((&t.owner, &t.grants));
        for p in t.policies.values() {
            out.extend(p.roles.iter().cloned());
        }
        for g in t.column_grants.values().chain(t.identity_grants.values()) {
            out.extend(g.keys().cloned());
        }
    }
    for (owner, grants) in secured {
        out.extend(owner.iter().cloned());
        out.extend(grants.keys().cloned());
    }
    for (key, grants) in &catalog.default_privileges {
        out.insert(key.role.clone());
        out.extend(grants.keys().cloned());
    }
    out.remove(PUBLIC_ROLE);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn privileges(list: &[(Privilege, bool)]) -> Privileges {
        list.iter().copied().collect()
    }

    #[test]
    fn additions_and_removals_are_separate_steps() {
        let roles: BTreeSet<String> = ["alice".to_string()].into();
        let from: Grants = [(
            "alice".to_string(),
            privileges(&[(Privilege::Select, true), (Privilege::Delete, false)]),
        )]
        .into();
        let to: Grants = [(
            "alice".to_string(),
            privileges(&[(Privilege::Select, false), (Privilege::Insert, false)]),
        )]
        .into();
        let steps = grant_steps(&from, &to, &roles);
        assert_eq!(steps.len(), 2);
        let union = privileges(&[
            (Privilege::Select, true),
            (Privilege::Delete, false),
            (Privilege::Insert, false),
        ]);
        assert_eq!(steps[0].2, union);
        assert!(!crate::plan::change::removes_privileges(
            &steps[0].1,
            &steps[0].2
        ));
        assert_eq!(steps[1].1, union);
        assert!(crate::plan::change::removes_privileges(
            &steps[1].1,
            &steps[1].2
        ));
    }

    #[test]
    fn unlisted_roles_are_left_alone() {
        let roles: BTreeSet<String> = ["alice".to_string()].into();
        let from: Grants = [("bob".to_string(), privileges(&[(Privilege::Select, false)]))].into();
        assert!(grant_steps(&from, &Grants::new(), &roles).is_empty());
        let merged = merge_unmanaged(&from, &Grants::new(), &roles);
        assert_eq!(merged, from);
    }
}
