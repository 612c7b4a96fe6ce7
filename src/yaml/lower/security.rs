//! Security: grants, owners, policies and default privileges, and the roles they name.

use super::lowerer::Lowerer;
use crate::model::source::Diagnostic;
use crate::model::*;
use crate::yaml::node::{Node, NodeKind};
use crate::yaml::sqlcheck::Field;

pub(crate) const POLICY_KEYS: &[&str] =
    &["as", "command", "roles", "using", "with_check", "comment"];
pub(crate) const DEFAULT_PRIVILEGES_KEYS: &[&str] = &["for_role", "schema", "on", "grants"];
/// A table's `row_level_security`.
pub(crate) const ROW_SECURITY_WORDS: &[&str] = &["disabled", "enabled", "forced", "forced only"];
/// A policy's `as` and `command`.
pub(crate) const POLICY_AS_WORDS: &[&str] = &["permissive", "restrictive"];
pub(crate) const POLICY_COMMAND_WORDS: &[&str] = &["all", "select", "insert", "update", "delete"];
/// What default privileges are `on`.
pub(crate) const DEFAULT_PRIVILEGES_ON_WORDS: &[&str] =
    &["tables", "sequences", "functions", "types", "schemas"];

impl Lowerer<'_> {
    /// A table's `row_level_security`: disabled, enabled, forced (enabled and forced on the
    /// owner), or forced_only (FORCE set but not ENABLE: no effect until it is enabled).
    pub(super) fn row_security(&mut self, n: &Node, p: &str) -> RowSecurity {
        match self.word(n, p, ROW_SECURITY_WORDS).as_deref() {
            Some("enabled") => RowSecurity {
                enabled: true,
                forced: false,
            },
            Some("forced") => RowSecurity {
                enabled: true,
                forced: true,
            },
            Some("forced only") => RowSecurity {
                enabled: false,
                forced: true,
            },
            _ => RowSecurity::default(),
        }
    }

    /// A table's `policies:`.
    pub(super) fn table_policies(&mut self, name: &QualName, table: &mut Table, n: &Node, p: &str) {
        for (pname, spec, pp) in self.named(n, p) {
            if let Some(policy) = self.policy(spec, &pp) {
                self.sources
                    .objects
                    .insert(ObjKey::Policy(name.clone(), pname.to_string()), pp);
                table.policies.insert(pname.to_string(), policy);
            }
        }
    }

    pub(super) fn use_role(&mut self, role: &str, path: &str) {
        if role == PUBLIC_ROLE {
            return;
        }
        self.role_uses
            .entry(role.to_string())
            .or_insert_with(|| path.to_string());
    }

    pub(super) fn owner(&mut self, node: &Node, path: &str) -> Option<String> {
        let owner = self.string(node, path)?;
        if grantee_name(&owner) == PUBLIC_ROLE {
            self.error(node, path, "PUBLIC cannot own an object");
            return None;
        }
        self.use_role(&owner, path);
        Some(owner)
    }

    /// `grants: { role: [select, update with grant option, …] }`; `all` stands for every
    /// privilege the kind of object takes — in the newest version: on an older target
    /// `plan::versions::fit` leaves out what it lacks (MAINTAIN before 17).
    pub(super) fn grants(
        &mut self,
        node: &Node,
        path: &str,
        allowed: &[Privilege],
        what: &str,
    ) -> Grants {
        let mut out = Grants::new();
        for (grantee, spec, p) in self.named(node, path) {
            let grantee = grantee_name(grantee);
            let Some(words) = self.names(spec, &p) else {
                continue;
            };
            let mut privileges = Privileges::new();
            for (i, word) in words.iter().enumerate() {
                let lower = word.trim().to_ascii_lowercase();
                let (name, option) = match lower.strip_suffix(" with grant option") {
                    Some(name) => (name.trim_end(), true),
                    None => (lower.as_str(), false),
                };
                let found: Vec<Privilege> = if name == "all" || name == "all privileges" {
                    allowed.to_vec()
                } else {
                    match Privilege::parse(name).filter(|p| allowed.contains(p)) {
                        Some(privilege) => vec![privilege],
                        None => {
                            let item = format!("{p}[{i}]");
                            let choices: Vec<String> = allowed
                                .iter()
                                .map(|a| a.sql().to_ascii_lowercase())
                                .collect();
                            let at = self.sources.locate(&item);
                            let message = format!(
                                "`{word}` is not a privilege of {what} (expected one of: {}, all; \
                                 optionally followed by `with grant option`)",
                                choices.join(", ")
                            );
                            match at {
                                Some(location) => self.diags.push(Diagnostic {
                                    location,
                                    path: item,
                                    message,
                                }),
                                None => self.error(spec, &p, message),
                            }
                            continue;
                        }
                    }
                };
                for privilege in found {
                    let held = privileges.entry(privilege).or_insert(option);
                    *held |= option;
                }
            }
            self.grantees.push((grantee.clone(), p.clone()));
            if !privileges.is_empty() {
                out.insert(grantee, privileges);
            }
        }
        out
    }

    /// Every grantee must be one of the listed roles: privileges of other roles are not
    /// managed, so a grant to one could never be checked or revoked. With `roles: all`, every
    /// grantee is one.
    pub(super) fn check_grantees(&mut self) {
        if self.catalog.every_role {
            let named = self.grantees.iter().map(|(g, _)| g.clone());
            self.catalog.roles.extend(named);
            return;
        }
        let unlisted: Vec<(String, String)> = self
            .grantees
            .iter()
            .filter(|(g, _)| !self.catalog.roles.contains(g))
            .cloned()
            .collect();
        for (grantee, path) in unlisted {
            let message = format!(
                "grants to role `{grantee}`, which the top-level `roles:` list does not name \
                 (schemaplan manages the privileges of the listed roles only)"
            );
            self.diags.push(self.sources.diagnostic(&path, message));
        }
    }

    pub(super) fn policy(&mut self, node: &Node, path: &str) -> Option<Policy> {
        let f = self.fields(node, path, POLICY_KEYS)?;
        let mut policy = Policy {
            permissive: true,
            command: PolicyCommand::All,
            roles: [PUBLIC_ROLE.to_string()].into(),
            using: None,
            with_check: None,
            comment: self.comment_field(&f),
        };
        // Every problem is reported, not only the first.
        let mut valid = true;
        if let Some((n, p)) = f.get("as") {
            match self.word(n, &p, POLICY_AS_WORDS) {
                Some(word) => policy.permissive = word == "permissive",
                None => valid = false,
            }
        }
        if let Some((n, p)) = f.get("command") {
            match self.word(n, &p, POLICY_COMMAND_WORDS) {
                Some(word) => {
                    policy.command = PolicyCommand::ALL
                        .into_iter()
                        .find(|c| c.sql().eq_ignore_ascii_case(&word))
                        .unwrap_or_default()
                }
                None => valid = false,
            }
        }
        if let Some((n, p)) = f.get("roles") {
            let roles = self.names(n, &p)?;
            if roles.is_empty() {
                self.error(n, &p, "a policy applies to at least one role (or `public`)");
                return None;
            }
            for (i, role) in roles.iter().enumerate() {
                self.use_role(&grantee_name(role), &format!("{p}[{i}]"));
            }
            policy.roles = roles.iter().map(|r| grantee_name(r)).collect();
        }
        if let Some((n, p)) = f.get("using") {
            policy.using = self.expr(n, &p, Field::Expression);
        }
        if let Some((n, p)) = f.get("with_check") {
            policy.with_check = self.expr(n, &p, Field::Expression);
        }
        valid.then_some(policy)
    }

    /// `default_privileges:` a list of `{ for_role, schema?, on, grants }`.
    pub(super) fn default_privileges(&mut self, node: &Node, path: &str) {
        let NodeKind::Seq(items) = &node.kind else {
            self.error(
                node,
                path,
                format!(
                    "expected a list of default privileges, found {}",
                    node.describe()
                ),
            );
            return;
        };
        for (i, item) in items.iter().enumerate() {
            let p = format!("{path}[{i}]");
            let Some(f) = self.fields(item, &p, DEFAULT_PRIVILEGES_KEYS) else {
                continue;
            };
            // Without FOR ROLE the entry would belong to whoever applies the plan.
            let Some((rn, rp)) = f.get("for_role") else {
                self.error(
                    item,
                    &p,
                    "missing key `for_role` (the role whose new objects get the privileges)",
                );
                continue;
            };
            let Some(role) = self.string(rn, &rp) else {
                continue;
            };
            self.use_role(&role, &rp);
            let schema = match f.get("schema") {
                Some((n, sp)) => self.optional_string(n, &sp),
                None => None,
            };
            let Some((on_node, on_path)) = f.get("on") else {
                self.error(item, &p, "missing key `on`");
                continue;
            };
            let Some(word) = self.word(on_node, &on_path, DEFAULT_PRIVILEGES_ON_WORDS) else {
                continue;
            };
            let on = DefaultObjects::ALL
                .into_iter()
                .find(|o| o.sql().eq_ignore_ascii_case(&word))
                .unwrap_or(DefaultObjects::Tables);
            if on == DefaultObjects::Schemas && schema.is_some() {
                self.error(
                    on_node,
                    &on_path,
                    "default privileges on schemas cannot be limited to a schema",
                );
                continue;
            }
            if let Some(s) = &schema {
                self.sources
                    .objects
                    .entry(ObjKey::Schema(s.clone()))
                    .or_insert_with(|| p.clone());
                self.catalog.schemas.entry(s.clone()).or_default();
            }
            let grants = match f.get("grants") {
                Some((n, gp)) => {
                    let what = format!("default privileges on {word}");
                    self.grants(n, &gp, on.privileges(), &what)
                }
                None => Grants::new(),
            };
            let key = DefaultPrivilegeKey { role, schema, on };
            if self.catalog.default_privileges.contains_key(&key) {
                self.error(item, &p, format!("{key} are given twice"));
                continue;
            }
            self.sources
                .default_privileges
                .insert(key.clone(), p.clone());
            self.catalog.default_privileges.insert(key, grants);
        }
    }
}

/// A role as a grantee: `PUBLIC` in any case is the model's `public`.
pub(super) fn grantee_name(role: &str) -> String {
    if role.eq_ignore_ascii_case(PUBLIC_ROLE) {
        PUBLIC_ROLE.to_string()
    } else {
        role.to_string()
    }
}
