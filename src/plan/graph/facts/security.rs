//! Facts of security: policies, row-level security, ownership and privileges.

use crate::model::*;
use crate::plan::change::removes_privileges;
use crate::plan::graph::keys::Facts;
use crate::plan::graph::structure::Structure;

pub(super) fn create_policy(table: &QualName, name: &str, des: &Structure<'_>) -> Facts {
    let mut f = Facts::default();
    let key = ObjKey::Policy(table.clone(), name.to_string());
    f.needs_new.push(ObjKey::Relation(table.clone()));
    f.needs_new.extend(des.recorded(&key));
    f.needs_new.retain(|k| *k != key);
    f.creates.push(key);
    f
}

pub(super) fn drop_policy(table: &QualName, name: &str, cur: &Structure<'_>) -> Facts {
    let mut f = Facts::default();
    let key = ObjKey::Policy(table.clone(), name.to_string());
    f.needs_old.push(ObjKey::Relation(table.clone()));
    f.needs_old.extend(cur.recorded(&key));
    f.drops.push(key);
    f
}

pub(super) fn alter_policy(
    table: &QualName,
    name: &str,
    cur: &Structure<'_>,
    des: &Structure<'_>,
) -> Facts {
    let mut f = Facts::default();
    // The policy stops reading what it read before, and reads what it reads after.
    let key = ObjKey::Policy(table.clone(), name.to_string());
    f.needs_new.push(ObjKey::Relation(table.clone()));
    f.needs_new.extend(des.recorded(&key));
    f.needs_old.extend(cur.recorded(&key));
    f.needs_old
        .retain(|k| *k != ObjKey::Relation(table.clone()));
    f
}

pub(super) fn set_row_security(table: &QualName) -> Facts {
    let mut f = Facts::default();
    f.needs_new.push(ObjKey::Relation(table.clone()));
    f
}

pub(super) fn set_owner(object: &SecuredObject) -> Facts {
    let mut f = Facts::default();
    f.needs_new.push(object.key());
    f.drops.push(ObjKey::Owner(object.clone()));
    f.creates.push(ObjKey::Owner(object.clone()));
    f
}

pub(super) fn set_grants(
    object: &SecuredObject,
    grantee: &str,
    from: &Privileges,
    to: &Privileges,
    cur: &Structure<'_>,
    des: &Structure<'_>,
) -> Facts {
    let mut f = Facts::default();
    let removes = removes_privileges(from, to);
    if removes {
        // A column's privileges are revoked before the column is dropped, so that
        // going back grants them again once it is there.
        f.needs_old.push(object.key());
    } else {
        f.needs_new.push(object.key());
    }
    // ALTER … OWNER rewrites the old owner's entries into the new owner's: grants to
    // the old owner come after it, revokes from the new owner before it.
    let owned_by = match object {
        SecuredObject::Column(q, _) => SecuredObject::Table(q.clone()),
        other => other.clone(),
    };
    let (old_owner, new_owner) = (
        owner_of(cur.model, &owned_by),
        owner_of(des.model, &owned_by),
    );
    if old_owner.is_some() && new_owner.is_some() && old_owner != new_owner {
        if old_owner == Some(grantee) {
            f.needs_new.push(ObjKey::Owner(owned_by.clone()));
        }
        if new_owner == Some(grantee) {
            f.needs_old.push(ObjKey::Owner(owned_by.clone()));
        }
    }
    // Revoking a table privilege revokes it from the columns too: where a grantee has
    // column privileges on the table, removals (of either) come before additions.
    if let SecuredObject::Table(q) | SecuredObject::Column(q, _) = object {
        let has_column_grants = |m: &Catalog| {
            m.tables
                .get(q)
                .is_some_and(|t| t.column_grants.values().any(|g| g.contains_key(grantee)))
        };
        if has_column_grants(cur.model) || has_column_grants(des.model) {
            let key = ObjKey::TablePrivileges(q.clone(), grantee.to_string());
            if removes {
                f.drops.push(key);
            } else {
                f.needs_gone.push(key);
            }
        }
    }
    f
}

pub(super) fn set_default_privileges(
    key: &DefaultPrivilegeKey,
    from: &Privileges,
    to: &Privileges,
) -> Facts {
    let mut f = Facts::default();
    if let Some(schema) = &key.schema {
        if removes_privileges(from, to) {
            f.needs_old.push(ObjKey::Schema(schema.clone()));
        } else {
            f.needs_new.push(ObjKey::Schema(schema.clone()));
        }
    }
    f
}

/// The owner a model gives an object (`None` when it does not say).
fn owner_of<'m>(model: &'m Catalog, object: &SecuredObject) -> Option<&'m str> {
    match object {
        SecuredObject::Schema(s) => model.schemas.get(s)?.owner.as_deref(),
        SecuredObject::Table(q) | SecuredObject::Column(q, _) => {
            model.tables.get(q)?.owner.as_deref()
        }
        SecuredObject::View(q) => model.views.get(q)?.owner.as_deref(),
        SecuredObject::Sequence(q) => model.sequences.get(q)?.owner.as_deref(),
        SecuredObject::Function(_) => None,
    }
}
