//! Owners, grants, row-level security, policies and default privileges.

use std::collections::BTreeSet;

use crate::model::naming::identity_sequence_name;
use crate::model::*;
use crate::plan::change::{Change, CommentTarget};

use super::compare::{policy_alterable, recreated, view_replaceable};
use super::state::Differ;

impl Differ<'_> {
    /// Owners (where the desired state names one), grants of the listed roles, row-level
    /// security and policies of objects that exist on both sides, and default privileges.
    /// New objects bring theirs along (see `render`); dropped ones take theirs with them.
    pub(super) fn security(&mut self) {
        let (cur, des) = (self.cur, self.des);
        for (name, s) in &des.schemas {
            if let Some(old) = cur.schemas.get(name) {
                let object = SecuredObject::Schema(name.clone());
                self.owner(&object, &old.owner, &s.owner);
                self.grants(&object, &old.grants, &s.grants);
            }
        }
        for (id, f) in &des.functions {
            if let Some(old) = cur.functions.get(id) {
                if !self.replaced_functions.contains(id) {
                    let object = SecuredObject::Function(id.clone());
                    self.grants(&object, &old.grants, &f.grants);
                }
            }
        }
        for (name, s) in &des.sequences {
            if let Some(old) = cur.sequences.get(name) {
                let object = SecuredObject::Sequence(name.clone());
                self.owner(&object, &old.owner, &s.owner);
                self.grants(&object, &old.grants, &s.grants);
            }
        }
        for (name, v) in &des.views {
            let Some(old) = cur.views.get(name) else {
                continue;
            };
            if self.rebuild_views.contains(name) || !view_replaceable(old, v) {
                continue;
            }
            let object = SecuredObject::View(name.clone());
            self.owner(&object, &old.owner, &v.owner);
            self.grants(&object, &old.grants, &v.grants);
        }
        for (name, t) in &des.tables {
            // A table created again (a new partition key) comes with its security.
            if let Some(old) = cur.tables.get(name).filter(|old| !recreated(old, t)) {
                self.table_security(name, old, t);
            }
        }
        // A dropped column takes its privileges along, and adding it back would not bring
        // them: they are revoked first (all of them), so that going back grants them again.
        for (name, t) in &cur.tables {
            let Some(new) = des.tables.get(name) else {
                continue;
            };
            for (column, grants) in &t.column_grants {
                let gone = new.column(column).is_none()
                    || self
                        .recreated_columns
                        .contains(&(name.clone(), column.clone()));
                if !gone {
                    continue;
                }
                let object = SecuredObject::Column(name.clone(), column.clone());
                for (grantee, privileges) in grants {
                    self.push(Change::SetGrants {
                        object: object.clone(),
                        grantee: grantee.clone(),
                        from: privileges.clone(),
                        to: Privileges::new(),
                    });
                }
            }
        }
        let keys: BTreeSet<&DefaultPrivilegeKey> = cur
            .default_privileges
            .keys()
            .chain(des.default_privileges.keys())
            .collect();
        let empty = Grants::new();
        for key in keys {
            let from = cur.default_privileges.get(key).unwrap_or(&empty);
            let to = des.default_privileges.get(key).unwrap_or(&empty);
            for (grantee, from, to) in crate::plan::security::grant_steps(from, to, &self.roles) {
                self.push(Change::SetDefaultPrivileges {
                    key: key.clone(),
                    grantee,
                    from,
                    to,
                });
            }
        }
    }

    pub(super) fn owner(
        &mut self,
        object: &SecuredObject,
        from: &Option<String>,
        to: &Option<String>,
    ) {
        if let (Some(from), Some(to)) = (from, to) {
            if from != to {
                self.push(Change::SetOwner {
                    object: object.clone(),
                    from: from.clone(),
                    to: to.clone(),
                });
            }
        }
    }

    pub(super) fn grants(&mut self, object: &SecuredObject, from: &Grants, to: &Grants) {
        for (grantee, from, to) in crate::plan::security::grant_steps(from, to, &self.roles) {
            self.push(Change::SetGrants {
                object: object.clone(),
                grantee,
                from,
                to,
            });
        }
    }

    /// Grants on the sequences of identity columns: compared where the sequence stays; a new
    /// one (a new column, an identity added, a column added again) gets the desired grants.
    fn identity_security(&mut self, name: &QualName, old: &Table, new: &Table) {
        let empty = Grants::new();
        for column in &new.columns {
            let Some(sequence) = identity_sequence_name(name, column) else {
                continue;
            };
            let to = new.identity_grants.get(&column.name).unwrap_or(&empty);
            let added_again =
                (self.recreated_columns).contains(&(name.clone(), column.name.clone()));
            let stays = !added_again
                && old
                    .column(&column.name)
                    .and_then(|c| identity_sequence_name(name, c))
                    == Some(sequence.clone());
            let from = match old.identity_grants.get(&column.name) {
                Some(from) if stays => from,
                _ => &empty,
            };
            self.grants(&SecuredObject::Sequence(sequence), from, to);
        }
    }

    fn table_security(&mut self, name: &QualName, old: &Table, new: &Table) {
        let object = SecuredObject::Table(name.clone());
        self.owner(&object, &old.owner, &new.owner);
        self.grants(&object, &old.grants, &new.grants);
        let empty = Grants::new();
        for column in &new.columns {
            let object = SecuredObject::Column(name.clone(), column.name.clone());
            let to = new.column_grants.get(&column.name).unwrap_or(&empty);
            let from = old.column_grants.get(&column.name).unwrap_or(&empty);
            let recreated = self
                .recreated_columns
                .contains(&(name.clone(), column.name.clone()));
            if old.column(&column.name).is_none() {
                self.grants(&object, &empty, to);
            } else if recreated {
                // Its grants were revoked before it was dropped (see `security`): all come
                // back, those of unlisted roles included.
                let all = crate::plan::security::merge_unmanaged(from, to, &self.roles);
                for (grantee, privileges) in all {
                    self.push(Change::SetGrants {
                        object: object.clone(),
                        grantee,
                        from: Privileges::new(),
                        to: privileges,
                    });
                }
            } else {
                self.grants(&object, from, to);
            }
        }
        self.identity_security(name, old, new);
        if old.row_security != new.row_security {
            self.push(Change::SetRowSecurity {
                table: name.clone(),
                from: old.row_security,
                to: new.row_security,
            });
        }
        for (pname, policy) in &new.policies {
            let Some(prev) = old.policies.get(pname) else {
                self.push(Change::CreatePolicy {
                    table: name.clone(),
                    name: pname.clone(),
                    policy: policy.clone(),
                });
                continue;
            };
            let rebuilt = self
                .rebuild_policies
                .contains(&(name.clone(), pname.clone()));
            let alterable = policy_alterable(prev, policy);
            let same = Policy {
                comment: None,
                ..prev.clone()
            } == Policy {
                comment: None,
                ..policy.clone()
            };
            if rebuilt || (!same && !alterable) {
                self.push(Change::DropPolicy {
                    table: name.clone(),
                    name: pname.clone(),
                    policy: prev.clone(),
                });
                self.push(Change::CreatePolicy {
                    table: name.clone(),
                    name: pname.clone(),
                    policy: policy.clone(),
                });
                continue;
            }
            if !same {
                self.push(Change::AlterPolicy {
                    table: name.clone(),
                    name: pname.clone(),
                    from: prev.clone(),
                    to: policy.clone(),
                });
            }
            if prev.comment != policy.comment {
                self.push(Change::SetComment {
                    target: CommentTarget::Policy(name.clone(), pname.clone()),
                    from: prev.comment.clone(),
                    to: policy.comment.clone(),
                });
            }
        }
        for (pname, policy) in &old.policies {
            if !new.policies.contains_key(pname) {
                self.push(Change::DropPolicy {
                    table: name.clone(),
                    name: pname.clone(),
                    policy: policy.clone(),
                });
            }
        }
    }
}
