//! Security: policies, row-level security, privileges, ownership; and the roles of the shadow
//! cluster.

use std::fmt::Write as _;

use super::comments::comment_if;
use super::fragments::{dollar_quoted, parenthesized};
use crate::model::quote::{ident, qualified};
use crate::model::*;
use crate::plan::change::CommentTarget;

pub(super) fn create_policy(table: &QualName, name: &str, policy: &Policy) -> Vec<String> {
    let mut out = vec![create_policy_statement(table, name, policy)];
    comment_if(
        &mut out,
        &CommentTarget::Policy(table.clone(), name.to_string()),
        &policy.comment,
    );
    out
}

pub(super) fn drop_policy(table: &QualName, name: &str) -> Vec<String> {
    vec![format!(
        "DROP POLICY {} ON {}",
        ident(name),
        qualified(table)
    )]
}

pub(super) fn alter_policy(
    table: &QualName,
    name: &str,
    from: &Policy,
    to: &Policy,
) -> Vec<String> {
    vec![alter_policy_statement(table, name, from, to)]
}

pub(super) fn set_row_security(
    table: &QualName,
    from: &RowSecurity,
    to: &RowSecurity,
) -> Vec<String> {
    vec![row_security_statement(table, from, to)]
}

pub(super) fn set_grants(
    object: &SecuredObject,
    grantee: &str,
    from: &Privileges,
    to: &Privileges,
) -> Vec<String> {
    grant_statements(
        &format!("ON {}", secured_object(object)),
        column_of(object),
        grantee,
        from,
        to,
        "",
    )
}

pub(super) fn set_owner(object: &SecuredObject, to: &str) -> Vec<String> {
    vec![owner_statement(object, to)]
}

pub(super) fn set_default_privileges(
    key: &DefaultPrivilegeKey,
    grantee: &str,
    from: &Privileges,
    to: &Privileges,
) -> Vec<String> {
    let mut prefix = format!("ALTER DEFAULT PRIVILEGES FOR ROLE {}", ident(&key.role));
    if let Some(schema) = &key.schema {
        write!(prefix, " IN SCHEMA {}", ident(schema)).unwrap();
    }
    grant_statements(
        &format!("ON {}", key.on.sql()),
        None,
        grantee,
        from,
        to,
        &format!("{prefix} "),
    )
}

/// A role as a grantee or policy target: `PUBLIC`, or the quoted name.
pub(super) fn role(name: &str) -> String {
    if name == PUBLIC_ROLE {
        "PUBLIC".to_string()
    } else {
        ident(name)
    }
}

fn role_list(roles: &std::collections::BTreeSet<String>) -> String {
    roles.iter().map(|r| role(r)).collect::<Vec<_>>().join(", ")
}

fn create_policy_statement(table: &QualName, name: &str, policy: &Policy) -> String {
    let mut sql = format!("CREATE POLICY {} ON {}", ident(name), qualified(table));
    if !policy.permissive {
        sql.push_str(" AS RESTRICTIVE");
    }
    if policy.command != PolicyCommand::All {
        write!(sql, " FOR {}", policy.command.sql()).unwrap();
    }
    if !is_public_only(&policy.roles) {
        write!(sql, " TO {}", role_list(&policy.roles)).unwrap();
    }
    if let Some(using) = &policy.using {
        write!(sql, "\n    USING {}", parenthesized(&using.sql())).unwrap();
    }
    if let Some(check) = &policy.with_check {
        write!(sql, "\n    WITH CHECK {}", parenthesized(&check.sql())).unwrap();
    }
    sql
}

fn is_public_only(roles: &std::collections::BTreeSet<String>) -> bool {
    roles.is_empty() || (roles.len() == 1 && roles.contains(PUBLIC_ROLE))
}

/// `ALTER POLICY` with what changes (`diff` uses it only when no expression goes away).
fn alter_policy_statement(table: &QualName, name: &str, from: &Policy, to: &Policy) -> String {
    let mut sql = format!("ALTER POLICY {} ON {}", ident(name), qualified(table));
    if from.roles != to.roles {
        let roles = if to.roles.is_empty() {
            "PUBLIC".to_string()
        } else {
            role_list(&to.roles)
        };
        write!(sql, " TO {roles}").unwrap();
    }
    if let (true, Some(using)) = (from.using != to.using, &to.using) {
        write!(sql, "\n    USING {}", parenthesized(&using.sql())).unwrap();
    }
    if let (true, Some(check)) = (from.with_check != to.with_check, &to.with_check) {
        write!(sql, "\n    WITH CHECK {}", parenthesized(&check.sql())).unwrap();
    }
    sql
}

pub(super) fn row_security_statement(
    table: &QualName,
    from: &RowSecurity,
    to: &RowSecurity,
) -> String {
    let mut actions = Vec::new();
    if from.enabled != to.enabled {
        actions.push(if to.enabled {
            "ENABLE ROW LEVEL SECURITY"
        } else {
            "DISABLE ROW LEVEL SECURITY"
        });
    }
    if from.forced != to.forced {
        actions.push(if to.forced {
            "FORCE ROW LEVEL SECURITY"
        } else {
            "NO FORCE ROW LEVEL SECURITY"
        });
    }
    format!("ALTER TABLE {} {}", qualified(table), actions.join(", "))
}

/// The object of a GRANT: `SCHEMA s`, `TABLE t` (views and a column's table too), `SEQUENCE s`.
fn secured_object(object: &SecuredObject) -> String {
    match object {
        SecuredObject::Schema(s) => format!("SCHEMA {}", ident(s)),
        SecuredObject::Table(q) | SecuredObject::View(q) | SecuredObject::Column(q, _) => {
            format!("TABLE {}", qualified(q))
        }
        SecuredObject::Sequence(q) => format!("SEQUENCE {}", qualified(q)),
        SecuredObject::Function(id) => format!("ROUTINE {}({})", qualified(&id.name), id.args),
    }
}

fn column_of(object: &SecuredObject) -> Option<&str> {
    match object {
        SecuredObject::Column(_, c) => Some(c),
        _ => None,
    }
}

/// REVOKE what `to` lacks (a grant option alone with `GRANT OPTION FOR`), then GRANT what it
/// adds, with and without grant option. `prefix` leads every statement (`ALTER DEFAULT
/// PRIVILEGES …`); privileges of a column are written `SELECT (col)`.
fn grant_statements(
    on: &str,
    column: Option<&str>,
    grantee: &str,
    from: &Privileges,
    to: &Privileges,
    prefix: &str,
) -> Vec<String> {
    let list = |privileges: Vec<Privilege>| -> String {
        privileges
            .iter()
            .map(|p| match column {
                Some(c) => format!("{} ({})", p.sql(), ident(c)),
                None => p.sql().to_string(),
            })
            .collect::<Vec<_>>()
            .join(", ")
    };
    let revoked: Vec<Privilege> = from
        .keys()
        .filter(|p| !to.contains_key(p))
        .copied()
        .collect();
    let option_revoked: Vec<Privilege> = from
        .iter()
        .filter(|(p, option)| **option && to.get(p) == Some(&false))
        .map(|(p, _)| *p)
        .collect();
    let granted = |with_option: bool| -> Vec<Privilege> {
        to.iter()
            .filter(|(p, option)| {
                **option == with_option
                    && match from.get(p) {
                        None => true,
                        Some(was) => with_option && !*was,
                    }
            })
            .map(|(p, _)| *p)
            .collect()
    };
    let who = role(grantee);
    let mut out = Vec::new();
    if !revoked.is_empty() {
        out.push(format!("{prefix}REVOKE {} {on} FROM {who}", list(revoked)));
    }
    if !option_revoked.is_empty() {
        out.push(format!(
            "{prefix}REVOKE GRANT OPTION FOR {} {on} FROM {who}",
            list(option_revoked)
        ));
    }
    let plain = granted(false);
    if !plain.is_empty() {
        out.push(format!("{prefix}GRANT {} {on} TO {who}", list(plain)));
    }
    let optioned = granted(true);
    if !optioned.is_empty() {
        out.push(format!(
            "{prefix}GRANT {} {on} TO {who} WITH GRANT OPTION",
            list(optioned)
        ));
    }
    out
}

fn owner_statement(object: &SecuredObject, owner: &str) -> String {
    let what = match object {
        SecuredObject::Schema(s) => format!("SCHEMA {}", ident(s)),
        SecuredObject::Table(q) | SecuredObject::Column(q, _) => format!("TABLE {}", qualified(q)),
        SecuredObject::View(q) => format!("VIEW {}", qualified(q)),
        SecuredObject::Sequence(q) => format!("SEQUENCE {}", qualified(q)),
        SecuredObject::Function(id) => format!("ROUTINE {}({})", qualified(&id.name), id.args),
    };
    format!("ALTER {what} OWNER TO {}", ident(owner))
}

/// What a new object gets besides its definition: its owner (when the model names one), then
/// its grants.
pub(super) fn owner_and_grants(
    out: &mut Vec<String>,
    object: &SecuredObject,
    owner: &Option<String>,
    grants: &Grants,
) {
    if let Some(owner) = owner {
        out.push(owner_statement(object, owner));
    }
    for (grantee, privileges) in grants {
        out.extend(grant_statements(
            &format!("ON {}", secured_object(object)),
            column_of(object),
            grantee,
            &Privileges::new(),
            privileges,
            "",
        ));
    }
}

/// A role for the embedded shadow cluster, which may already have it (roles are cluster-wide,
/// and several shadows may create the same one at once).
pub fn create_role_if_missing(name: &str) -> String {
    // The name is written inside the block: its quote's tag is one the name does not hold.
    let block = format!(
        " BEGIN CREATE ROLE {} NOLOGIN; \
         EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END ",
        ident(name)
    );
    format!("DO {}", dollar_quoted("schemaplan", &block))
}
