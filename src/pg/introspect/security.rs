//! Security: ownership, privileges, row-level security, policies, default privileges.

use super::builder::{Builder, PG_CLASS, PG_NAMESPACE, PG_POLICY, PG_PROC};
use super::rows::{opt_comment, printed};
use super::session::{IntrospectError, Session};
use crate::model::*;

/// A grantee as the model names it: `public` for PUBLIC (oid 0).
const GRANTEE_NAME: &str = "CASE WHEN x.grantee = 0 THEN 'public' \
     ELSE pg_catalog.pg_get_userbyid(x.grantee)::text END";

impl Builder {
    /// Owners, privileges (of schemas, tables, views, sequences and columns) and row-level
    /// security switches, in one query. The owner's own entries are implicit (an ACL of NULL
    /// means the owner's privileges alone) and are not part of the model.
    pub(super) fn privileges(
        &mut self,
        s: &mut Session<'_>,
        schemas: &[String],
    ) -> Result<(), IntrospectError> {
        let sql = format!(
            "SELECT o.kind, o.oid, o.attnum, pg_catalog.pg_get_userbyid(o.owner)::text,
                    g.grantee, g.privilege, g.is_grantable, g.superuser, g.initial,
                    o.rowsecurity, o.forcerowsecurity
             FROM (
                 SELECT 'n'::text AS kind, n.oid, 0::int2 AS attnum, n.nspowner AS owner,
                        n.nspacl AS acl, {PG_NAMESPACE}::oid AS classoid,
                        false AS rowsecurity, false AS forcerowsecurity
                 FROM pg_catalog.pg_namespace n WHERE n.nspname = ANY($1)
                 UNION ALL
                 SELECT 'c', c.oid, 0::int2, c.relowner, c.relacl, {PG_CLASS}::oid,
                        c.relrowsecurity, c.relforcerowsecurity
                 FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
                 WHERE c.relkind IN ('r', 'p', 'v', 'S') AND n.nspname = ANY($1)
                 UNION ALL
                 SELECT 'a', c.oid, a.attnum, c.relowner, a.attacl, {PG_CLASS}::oid, false, false
                 FROM pg_catalog.pg_attribute a
                 JOIN pg_catalog.pg_class c ON c.oid = a.attrelid
                 JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
                 WHERE a.attacl IS NOT NULL AND a.attnum > 0 AND NOT a.attisdropped
                   AND c.relkind IN ('r', 'p') AND n.nspname = ANY($1)
                 UNION ALL
                 SELECT 'f', p.oid, 0::int2, p.proowner, p.proacl, {PG_PROC}::oid, false, false
                 FROM pg_catalog.pg_proc p JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace
                 WHERE p.proacl IS NOT NULL AND p.prokind IN ('f', 'p') AND n.nspname = ANY($1)
             ) o
             LEFT JOIN LATERAL (
                 SELECT {GRANTEE_NAME} AS grantee, x.privilege_type::text AS privilege,
                        x.is_grantable, COALESCE(r.rolsuper, false) AS superuser,
                        EXISTS (SELECT 1 FROM pg_catalog.pg_init_privs ip,
                                       pg_catalog.aclexplode(ip.initprivs) y
                                WHERE ip.objoid = o.oid AND ip.classoid = o.classoid
                                  AND ip.objsubid = o.attnum AND y.grantee = x.grantee
                                  AND y.privilege_type = x.privilege_type) AS initial
                 FROM pg_catalog.aclexplode(o.acl) x
                 LEFT JOIN pg_catalog.pg_roles r ON r.oid = x.grantee
                 WHERE x.grantee <> o.owner
                   -- PUBLIC's EXECUTE is every function's default: not managed.
                   AND NOT (o.kind = 'f' AND x.grantee = 0)
             ) g ON true"
        );
        for row in s.rows("privileges", &sql, &[&schemas])? {
            let row = row?;
            let kind: String = row.get(0);
            let oid: u32 = row.get(1);
            let owner: String = row.get(3);
            let grant = match (
                row.get::<_, Option<String>>(4),
                row.get::<_, Option<String>>(5)
                    .as_deref()
                    .and_then(Privilege::parse),
            ) {
                (Some(grantee), Some(privilege)) => {
                    // Grants to superusers mean nothing, and initdb's own grants (PUBLIC's
                    // USAGE on schema public) are there in every database: neither makes a
                    // role one the model speaks for.
                    let superuser: bool = row.get(7);
                    let initial: bool = row.get(8);
                    if !superuser && !initial {
                        self.catalog.roles.insert(grantee.clone());
                    }
                    Some((grantee, privilege, row.get::<_, bool>(6)))
                }
                _ => None,
            };
            let add = |grants: &mut Grants| {
                if let Some((grantee, privilege, option)) = &grant {
                    grants
                        .entry(grantee.clone())
                        .or_default()
                        .insert(*privilege, *option);
                }
            };
            match kind.as_str() {
                "n" => {
                    let Some(name) = self.namespaces.get(&oid) else {
                        continue;
                    };
                    if let Some(schema) = self.catalog.schemas.get_mut(name) {
                        schema.owner = Some(owner);
                        add(&mut schema.grants);
                    }
                }
                "c" => {
                    let rls = RowSecurity {
                        enabled: row.get(9),
                        forced: row.get(10),
                    };
                    if let Some(table) = self
                        .tables
                        .get(&oid)
                        .and_then(|q| self.catalog.tables.get_mut(q))
                    {
                        table.owner = Some(owner);
                        table.row_security = rls;
                        add(&mut table.grants);
                    } else if let Some(view) = self
                        .views
                        .get(&oid)
                        .and_then(|q| self.catalog.views.get_mut(q))
                    {
                        view.owner = Some(owner);
                        add(&mut view.grants);
                    } else if let Some(seq) = self
                        .sequences
                        .get(&oid)
                        .and_then(|q| self.catalog.sequences.get_mut(q))
                    {
                        seq.owner = Some(owner);
                        add(&mut seq.grants);
                    } else if let Some((q, column)) = self.identity_sequences.get(&oid) {
                        // An identity's sequence belongs to its table's owner; only its
                        // grants are its own (a column without any has no entry).
                        let table = self.catalog.tables.get_mut(q);
                        if let Some(table) = table.filter(|_| grant.is_some()) {
                            add(table.identity_grants.entry(column.clone()).or_default());
                        }
                    }
                }
                "f" => {
                    if let Some(function) = self
                        .functions
                        .get(&oid)
                        .and_then(|id| self.catalog.functions.get_mut(id))
                    {
                        add(&mut function.grants);
                    }
                }
                _ => {
                    let attnum: i16 = row.get(2);
                    let (Some(q), Some(column)) =
                        (self.tables.get(&oid), self.attributes.get(&(oid, attnum)))
                    else {
                        continue;
                    };
                    if let Some(table) = self.catalog.tables.get_mut(q) {
                        add(table.column_grants.entry(column.clone()).or_default());
                    }
                }
            }
        }
        Ok(())
    }

    /// Row-level security policies of managed tables.
    pub(super) fn policies(
        &mut self,
        s: &mut Session<'_>,
        schemas: &[String],
    ) -> Result<(), IntrospectError> {
        let sql = format!(
            "SELECT p.oid, p.polrelid, p.polname::text, p.polpermissive, p.polcmd::text,
                    ARRAY(SELECT CASE WHEN r.r = 0 THEN 'public'
                                 ELSE pg_catalog.pg_get_userbyid(r.r)::text END
                          FROM pg_catalog.unnest(p.polroles) r(r) ORDER BY 1),
                    pg_catalog.pg_get_expr(p.polqual, p.polrelid),
                    pg_catalog.pg_get_expr(p.polwithcheck, p.polrelid), d.description
             FROM pg_catalog.pg_policy p
             JOIN pg_catalog.pg_class c ON c.oid = p.polrelid
             JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
             LEFT JOIN pg_catalog.pg_description d
               ON d.objoid = p.oid AND d.classoid = {PG_POLICY} AND d.objsubid = 0
             WHERE n.nspname = ANY($1)"
        );
        for row in s.rows("policies", &sql, &[&schemas])? {
            let row = row?;
            let Some(table_name) = self.tables.get(&row.get::<_, u32>(1)).cloned() else {
                continue;
            };
            let name: String = row.get(2);
            let roles: Vec<String> = row.get(5);
            let command = match row.get::<_, String>(4).as_str() {
                "r" => PolicyCommand::Select,
                "a" => PolicyCommand::Insert,
                "w" => PolicyCommand::Update,
                "d" => PolicyCommand::Delete,
                _ => PolicyCommand::All,
            };
            self.catalog
                .roles
                .extend(roles.iter().filter(|r| *r != PUBLIC_ROLE).cloned());
            self.policies
                .insert(row.get(0), (table_name.clone(), name.clone()));
            if let Some(t) = self.catalog.tables.get_mut(&table_name) {
                t.policies.insert(
                    name,
                    Policy {
                        permissive: row.get(3),
                        command,
                        roles: roles.into_iter().collect(),
                        using: row.get::<_, Option<String>>(6).map(printed),
                        with_check: row.get::<_, Option<String>>(7).map(printed),
                        comment: opt_comment(&row, 8),
                    },
                );
            }
        }
        Ok(())
    }

    /// `pg_default_acl`. An entry for all schemas replaces the built-in defaults (the owner's
    /// privileges, PUBLIC's EXECUTE on functions and USAGE on types), so those are left out:
    /// the model holds what was granted beyond them.
    pub(super) fn default_privileges(
        &mut self,
        s: &mut Session<'_>,
        schemas: &[String],
    ) -> Result<(), IntrospectError> {
        let sql = format!(
            "SELECT pg_catalog.pg_get_userbyid(d.defaclrole)::text, n.nspname::text,
                    d.defaclobjtype::text, {GRANTEE_NAME}, x.privilege_type::text,
                    x.is_grantable, COALESCE(r.rolsuper, false)
             FROM pg_catalog.pg_default_acl d
             LEFT JOIN pg_catalog.pg_namespace n ON n.oid = d.defaclnamespace
             CROSS JOIN LATERAL pg_catalog.aclexplode(d.defaclacl) x
             LEFT JOIN pg_catalog.pg_roles r ON r.oid = x.grantee
             WHERE x.grantee <> d.defaclrole
               AND (d.defaclnamespace = 0 OR n.nspname = ANY($1))
               AND NOT (d.defaclnamespace = 0 AND EXISTS (
                   SELECT 1 FROM pg_catalog.aclexplode(pg_catalog.acldefault(
                       CASE d.defaclobjtype WHEN 'S' THEN 's' ELSE d.defaclobjtype END,
                       d.defaclrole)) z
                   WHERE z.grantee = x.grantee AND z.privilege_type = x.privilege_type))"
        );
        for row in s.rows("default privileges", &sql, &[&schemas])? {
            let row = row?;
            let on = match row.get::<_, String>(2).as_str() {
                "r" => DefaultObjects::Tables,
                "S" => DefaultObjects::Sequences,
                "f" => DefaultObjects::Functions,
                "T" => DefaultObjects::Types,
                "n" => DefaultObjects::Schemas,
                _ => continue,
            };
            let Some(privilege) = Privilege::parse(&row.get::<_, String>(4)) else {
                continue;
            };
            let grantee: String = row.get(3);
            if !row.get::<_, bool>(6) {
                self.catalog.roles.insert(grantee.clone());
            }
            let key = DefaultPrivilegeKey {
                role: row.get(0),
                schema: row.get(1),
                on,
            };
            self.catalog
                .default_privileges
                .entry(key)
                .or_default()
                .entry(grantee)
                .or_default()
                .insert(privilege, row.get(5));
        }
        Ok(())
    }
}
