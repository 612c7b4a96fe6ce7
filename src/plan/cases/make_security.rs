//! Changes of policies, row-level security, privileges and owners, on the objects of
//! `fixtures`.

use super::fixtures::*;
use crate::model::*;
use crate::plan::change::Change;

/// A policy of `orders` that reads `users`.
pub fn create_policy() -> Change {
    Change::CreatePolicy {
        table: q("orders"),
        name: "orders_mine".into(),
        policy: policy("user_id = 1", &["reader"]),
    }
}

pub fn drop_policy() -> Change {
    Change::DropPolicy {
        table: q("users"),
        name: "users_own".into(),
        policy: users().policies["users_own"].clone(),
    }
}

/// `users_own` applies to `writer` too (`using` unchanged), or reads something else.
pub fn alter_policy(roles_only: bool) -> Change {
    let from = users().policies["users_own"].clone();
    let to = if roles_only {
        policy("EXISTS (SELECT 1 FROM app.orders)", &["reader", "writer"])
    } else {
        policy("id > 0", &["reader"])
    };
    Change::AlterPolicy {
        table: q("users"),
        name: "users_own".into(),
        from,
        to,
    }
}

pub fn set_row_security(from: (bool, bool), to: (bool, bool)) -> Change {
    let rls = |(enabled, forced): (bool, bool)| RowSecurity { enabled, forced };
    Change::SetRowSecurity {
        table: q("users"),
        from: rls(from),
        to: rls(to),
    }
}

/// `users` logged in full for logical decoding, or by its key's index.
pub fn set_replica_identity(from: ReplicaIdentity, to: ReplicaIdentity) -> Change {
    Change::SetReplicaIdentity {
        table: q("users"),
        from,
        to,
    }
}

pub fn set_grants(object: SecuredObject, from: &[Privilege], to: &[Privilege]) -> Change {
    Change::SetGrants {
        object,
        grantee: "reader".into(),
        from: privileges(from),
        to: privileges(to),
    }
}

/// `reader` may also insert into `orders`.
pub fn grant() -> Change {
    set_grants(SecuredObject::Table(q("orders")), &[], &[Privilege::Insert])
}

/// `reader` may no longer read `users`.
pub fn revoke() -> Change {
    set_grants(SecuredObject::Table(q("users")), &[Privilege::Select], &[])
}

pub fn set_owner(object: SecuredObject) -> Change {
    Change::SetOwner {
        object,
        from: "owner_a".into(),
        to: "owner_b".into(),
    }
}

pub fn set_default_privileges(from: &[Privilege], to: &[Privilege]) -> Change {
    Change::SetDefaultPrivileges {
        key: default_privileges_key(),
        grantee: "reader".into(),
        from: privileges(from),
        to: privileges(to),
    }
}
