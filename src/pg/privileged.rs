//! The shadow's two roles, and everything schemaplan runs as a superuser, in one place.
//!
//! On schemaplan's embedded cluster, SQL that comes from the desired state or from the target's
//! catalog — view bodies, defaults, checks, function bodies, hooks, the plan's steps — runs as
//! [`SHADOW_ROLE`]: `LOGIN CREATEDB BYPASSRLS`, and nothing more. It is no superuser, has no
//! CREATEROLE (which on PostgreSQL 15 may grant membership in any role that is not a superuser,
//! `pg_execute_server_program` included) and no membership in `pg_execute_server_program`,
//! `pg_read_server_files` or `pg_write_server_files`: `COPY … TO PROGRAM`, reading or writing
//! server files, `CREATE ROLE`, functions in C or an untrusted language and `LEAKPROOF`
//! functions are refused to it. BYPASSRLS lets the rehearsal copy and checksum the sample rows
//! of tables whose row-level security is forced (as the superuser did before); it grants no
//! right outside the rows of the throwaway databases.
//!
//! What needs a superuser is done by the bootstrap superuser in the fixed statements of this
//! file, whose only variable parts are names quoted by `model::quote::ident`:
//!
//! 1. [`prepare_cluster`]: creating the shadow role and [`OWNERS_ROLE`], and granting the shadow
//!    role `SET` on `session_replication_role` (PostgreSQL 15+). Creating roles needs CREATEROLE
//!    at least; setting that parameter needs a superuser or the grant, which only a superuser
//!    can give. The rehearsal loads sample rows with it, so that a row whose parent was not
//!    sampled can be loaded and then deleted. Before 15, which has no such grant,
//!    [`replica_switch`] gives the shadow role that one setting and nothing more.
//! 2. [`create_roles`]: the roles a model names (owners, grantees, policy roles), which a copy of
//!    the target or the desired state needs (roles are cluster-wide objects), each made a role
//!    the shadow role is a member of — so that it may `ALTER … OWNER TO` it and then act as the
//!    owner — and a member of [`OWNERS_ROLE`].
//! 3. [`prepare_stand_in`]: the rehearsal's stand-in for the target's role — created like the
//!    others, given BYPASSRLS when the target's role sees every row, and made a member of the
//!    copy's owner roles (altering a role and granting membership in one need a superuser or
//!    CREATEROLE). The rehearsal runs as it (`SET ROLE`), so that what a step creates or
//!    re-creates belongs to the role it will belong to in the target.
//! 4. Extension changes ([`runs_as_superuser`]): `CREATE`, `ALTER` and `DROP EXTENSION` as
//!    `plan::render` writes them from a typed change. An untrusted extension can only be
//!    created by a superuser, and an extension a superuser created can only be updated, moved or
//!    dropped by one; trusted ones take the same path, so that every extension has one owner.
//!    The extension's own script is what runs: PostgreSQL runs a trusted extension's script
//!    with a superuser's rights whoever creates it.
//! 5. [`public_to_database_owner`]: on PostgreSQL 14, `public` of each shadow database handed to
//!    `pg_database_owner`, as PostgreSQL 15 creates it (only `public`'s owner, there the
//!    bootstrap superuser, may hand it on).
//!
//! PostgreSQL lets a role hand an object to another only when the new owner may create in the
//! object's schema (or, for a schema, in the database). [`OWNERS_ROLE`] carries that right, in
//! every shadow database: [`prepare_database`], run by the shadow role itself (it owns the
//! database), grants it `CREATE` on the database, on `public`, and by default on every schema
//! the shadow role creates. Its grants are not part of any model ([`forget_own_roles`]).
//!
//! On a `--dev-url` server nothing here runs: that server's role does everything, and the
//! command line warns when it is a superuser.

use postgres::Client;
use postgres::error::SqlState;

use crate::model::Catalog;
use crate::model::quote::ident;
use crate::plan::change::{Change, Reverse};
use crate::plan::steps::Step;

/// The role that runs SQL from the desired state and the target's catalog on the embedded
/// cluster.
pub const SHADOW_ROLE: &str = "schemaplan_shadow";

/// A role without login whose members may own objects in the shadow's schemas; every role
/// [`create_roles`] makes is one.
pub const OWNERS_ROLE: &str = "schemaplan_shadow_owners";

/// Runs `statement`; a role that already exists is not an error (several shadows may create the
/// same one at once, and the cluster keeps the roles it has made).
fn create_role(admin: &mut Client, statement: &str) -> Result<(), postgres::Error> {
    match admin.batch_execute(statement) {
        Err(e)
            if matches!(
                e.code(),
                Some(&SqlState::DUPLICATE_OBJECT) | Some(&SqlState::UNIQUE_VIOLATION)
            ) =>
        {
            Ok(())
        }
        other => other,
    }
}

/// Creates the shadow role and the owners role, as the bootstrap superuser (connected through
/// `admin`); idempotent.
pub fn prepare_cluster(admin: &mut Client) -> Result<(), postgres::Error> {
    create_role(
        admin,
        &format!(
            "CREATE ROLE {} LOGIN CREATEDB BYPASSRLS NOSUPERUSER NOCREATEROLE NOREPLICATION INHERIT",
            ident(SHADOW_ROLE)
        ),
    )?;
    create_role(
        admin,
        &format!("CREATE ROLE {} NOLOGIN", ident(OWNERS_ROLE)),
    )?;
    if server_version_num(admin)? >= 150000 {
        admin.batch_execute(&format!(
            "GRANT SET ON PARAMETER session_replication_role TO {}",
            ident(SHADOW_ROLE)
        ))?;
    }
    Ok(())
}

/// Makes the session wait for any other that creates or alters roles here (held until it
/// disconnects): several shadows of one process may prepare the same roles at once, and
/// PostgreSQL fails one of two concurrent changes of a role ("tuple concurrently updated").
fn hold_roles_lock(admin: &mut Client) -> Result<(), postgres::Error> {
    // A key of schemaplan's own, on a cluster of schemaplan's own.
    admin.execute("SELECT pg_catalog.pg_advisory_lock(7305628401)", &[])?;
    Ok(())
}

/// Creates each of `roles` that does not exist yet, `NOLOGIN`, with the shadow role as its
/// member and itself a member of the owners role; as the bootstrap superuser.
pub fn create_roles(admin: &mut Client, roles: &[String]) -> Result<(), postgres::Error> {
    if roles.is_empty() {
        return Ok(());
    }
    hold_roles_lock(admin)?;
    for role in roles {
        create_role(
            admin,
            &format!(
                "CREATE ROLE {} NOLOGIN IN ROLE {} ROLE {}",
                ident(role),
                ident(OWNERS_ROLE),
                ident(SHADOW_ROLE)
            ),
        )?;
    }
    Ok(())
}

/// Makes `role` — the role that reads the target, and so applies there — a role the shadow role
/// may become in the rehearsal (`SET ROLE`), so that what the plan creates belongs to the
/// same role as on the target, and what it re-creates keeps its owner: created like the
/// others if missing, with BYPASSRLS when the target's role sees every row (a superuser there
/// does), and made a member of every other role of `acts_for` (the owners of the copy), as a
/// superuser acts for any owner. As the bootstrap superuser; ALTER ROLE … BYPASSRLS and
/// granting membership in a role need one (or CREATEROLE).
///
/// Returns whether the shadow role may become `role`: not when `role` is a superuser here (the
/// bootstrap superuser, when the target is a database of this cluster) or not one of the roles
/// this file made.
pub fn prepare_stand_in(
    admin: &mut Client,
    role: &str,
    bypass_rls: bool,
    acts_for: &[String],
) -> Result<bool, postgres::Error> {
    hold_roles_lock(admin)?;
    create_roles(admin, &[role.to_string()])?;
    let row = admin.query_one(
        "SELECT r.rolname !~ '^pg_' AND NOT r.rolsuper AND pg_catalog.pg_has_role($2, r.oid, 'MEMBER')
                AND r.rolname <> $2,
                r.rolbypassrls
         FROM pg_catalog.pg_roles r WHERE r.rolname = $1",
        &[&role, &SHADOW_ROLE],
    )?;
    if !row.get::<_, bool>(0) {
        return Ok(false);
    }
    if bypass_rls && !row.get::<_, bool>(1) {
        admin.batch_execute(&format!("ALTER ROLE {} BYPASSRLS", ident(role)))?;
    }
    // Roles the shadow role is a member of are the ones this file made; one that is already a
    // member of `role` would make a circle.
    let missing: Vec<String> = admin
        .query(
            "SELECT r.rolname::text FROM pg_catalog.pg_roles r
             WHERE r.rolname = ANY($1) AND r.rolname <> $2 AND r.rolname !~ '^pg_'
               AND NOT r.rolsuper AND pg_catalog.pg_has_role($3, r.oid, 'MEMBER')
               AND NOT pg_catalog.pg_has_role($2, r.oid, 'MEMBER')
               AND NOT pg_catalog.pg_has_role(r.oid, $2, 'MEMBER')
             ORDER BY 1",
            &[&acts_for, &role, &SHADOW_ROLE],
        )?
        .iter()
        .map(|r| r.get(0))
        .collect();
    for owner in missing {
        match admin.batch_execute(&format!("GRANT {} TO {}", ident(&owner), ident(role))) {
            Err(e) if e.code() == Some(&SqlState::UNIQUE_VIOLATION) => {}
            other => other?,
        }
    }
    Ok(true)
}

/// What the shadow role grants the owners role in a database it has just created (`client` is
/// connected to it, as the shadow role): creating in it, in `public`, and in every schema the
/// shadow role creates there.
pub fn prepare_database(client: &mut Client, database: &str) -> Result<(), postgres::Error> {
    let mut sql = format!(
        "GRANT CREATE ON DATABASE {} TO {};\n{}",
        ident(database),
        ident(OWNERS_ROLE),
        owners_create_in_schemas_of(SHADOW_ROLE)
    );
    // Before PostgreSQL 15 every role may create in `public`, and only its owner may grant.
    let public_open: bool = client
        .query_one(
            "SELECT NOT EXISTS (SELECT 1 FROM pg_catalog.pg_namespace WHERE nspname = 'public')
                 OR pg_catalog.has_schema_privilege($1, 'public', 'CREATE')",
            &[&OWNERS_ROLE],
        )?
        .get(0);
    if !public_open {
        sql.push_str(&format!(
            ";\nGRANT CREATE ON SCHEMA public TO {}",
            ident(OWNERS_ROLE)
        ));
    }
    client.batch_execute(&sql)
}

/// The server's `server_version_num`, which the statements here depend on.
pub fn server_version_num(client: &mut Client) -> Result<i32, postgres::Error> {
    Ok(client
        .query_one(
            "SELECT pg_catalog.current_setting('server_version_num')::int",
            &[],
        )?
        .get(0))
}

/// Before PostgreSQL 15 `public` belongs to the bootstrap superuser, from 15 on to
/// `pg_database_owner`, which whoever owns the database acts as. A copy of a target (whose
/// `public` belongs to its own superuser, `postgres` say) hands `public` to that role, which only
/// `public`'s owner may do: in a shadow database on PostgreSQL 14 the bootstrap superuser hands
/// `public` to `pg_database_owner` first, as 15's template does, so that the database's owner (the
/// shadow role, then the rehearsal's stand-in) may. 13 has no `pg_database_owner`: there `public`
/// goes to the database's `owner` itself, and along with the database to the rehearsal's
/// stand-in ([`hand_database_to`]). `None` from 15 on, where there is nothing to do.
pub fn public_to_database_owner(version_num: i32, owner: &str) -> Option<String> {
    match version_num {
        ..140000 => Some(format!("ALTER SCHEMA public OWNER TO {}", ident(owner))),
        140000..150000 => Some("ALTER SCHEMA public OWNER TO pg_database_owner".to_string()),
        _ => None,
    }
}

/// The schema that holds [`replica_switch`]'s function while the rehearsal loads sample rows;
/// no model has it (it is dropped before anything is read).
const REPLICA_SWITCH_SCHEMA: &str = "schemaplan_replica_switch";

/// Before PostgreSQL 15 only a superuser may set `session_replication_role` (15 lets the
/// bootstrap superuser grant `SET` on it, [`prepare_cluster`]). There, the bootstrap superuser
/// creates in the rehearsal's database a `SECURITY DEFINER` function of its own that sets that
/// one parameter to `replica` or `origin` and nothing else, executable by the shadow role only.
/// It has no `SET` clause of its own, so what it sets outlives the call (a function's `SET`
/// clause would restore the parameter on return); everything it calls is qualified with
/// `pg_catalog`, so no search path reaches it. Running the copy as the superuser instead would
/// run the target's check constraints and `ALWAYS` triggers as one, and `SET ROLE` does not keep
/// such code from resetting the role. `None` from 15 on: the grant does it.
pub fn replica_switch(version_num: i32) -> Option<String> {
    (version_num < 150000).then(|| {
        let schema = ident(REPLICA_SWITCH_SCHEMA);
        let role = ident(SHADOW_ROLE);
        format!(
            "CREATE SCHEMA {schema};\n\
             REVOKE ALL ON SCHEMA {schema} FROM PUBLIC;\n\
             GRANT USAGE ON SCHEMA {schema} TO {role};\n\
             CREATE FUNCTION {schema}.replicate(on_off boolean) RETURNS text\n\
             LANGUAGE sql VOLATILE SECURITY DEFINER AS $$\n\
             SELECT pg_catalog.set_config('session_replication_role',\n\
             CASE WHEN $1 THEN 'replica' ELSE 'origin' END, false)\n\
             $$;\n\
             REVOKE ALL ON FUNCTION {schema}.replicate(boolean) FROM PUBLIC;\n\
             GRANT EXECUTE ON FUNCTION {schema}.replicate(boolean) TO {role}"
        )
    })
}

/// Drops what [`replica_switch`] created; run by the bootstrap superuser.
pub fn drop_replica_switch() -> String {
    format!("DROP SCHEMA {} CASCADE", ident(REPLICA_SWITCH_SCHEMA))
}

/// The shadow role's statement that sets `session_replication_role` to `replica` (`on`) or
/// back: through [`replica_switch`]'s function where there is one (`switch`), else directly.
pub fn set_replica(on: bool, switch: bool) -> String {
    match (switch, on) {
        (true, _) => format!("SELECT {}.replicate({on})", ident(REPLICA_SWITCH_SCHEMA)),
        (false, true) => "SET session_replication_role = replica".to_string(),
        (false, false) => "RESET session_replication_role".to_string(),
    }
}

/// The schemas `role` creates let the owners role create in them.
fn owners_create_in_schemas_of(role: &str) -> String {
    format!(
        "ALTER DEFAULT PRIVILEGES FOR ROLE {} GRANT CREATE ON SCHEMAS TO {}",
        ident(role),
        ident(OWNERS_ROLE)
    )
}

/// What the shadow role does in the rehearsal's database before it becomes the stand-in
/// `role` (a role it is a member of): hands it the database — so that the stand-in acts as
/// `pg_database_owner`, the owner of `public`, as the target's owner or superuser does there;
/// before 14, which has none, `public` itself ([`public_to_database_owner`]) — and lets the
/// owners role create in the schemas `role` creates.
pub fn hand_database_to(database: &str, role: &str, version_num: i32) -> String {
    let public = if version_num < 140000 {
        format!("ALTER SCHEMA public OWNER TO {};\n", ident(role))
    } else {
        String::new()
    };
    format!(
        "ALTER DATABASE {} OWNER TO {};\n{public}{}",
        ident(database),
        ident(role),
        owners_create_in_schemas_of(role)
    )
}

/// Leaves the owners role's grants and the shadow role's default privileges out of a model
/// read from a shadow database: they are how the shadow works, not part of any schema.
pub fn forget_own_roles(catalog: &mut Catalog) {
    for schema in catalog.schemas.values_mut() {
        schema.grants.remove(OWNERS_ROLE);
    }
    catalog.default_privileges.retain(|key, grants| {
        grants.remove(OWNERS_ROLE);
        key.role != SHADOW_ROLE && !grants.is_empty()
    });
    catalog.roles.remove(OWNERS_ROLE);
}

/// Whether `change` is one that the bootstrap superuser runs (see the module's list).
pub fn runs_as_superuser(change: &Change) -> bool {
    matches!(
        change,
        Change::CreateExtension { .. }
            | Change::DropExtension { .. }
            | Change::AlterExtension { .. }
    )
}

/// Whether a step's up and down SQL run as the bootstrap superuser: only when the step was
/// planned here from a change of that kind, and its SQL is exactly what `plan::render` writes
/// for it. Anything else runs as the shadow role.
pub fn step_runs_as_superuser(step: &Step) -> (bool, bool) {
    let Some(change) = step.change.as_ref().filter(|c| runs_as_superuser(c)) else {
        return (false, false);
    };
    let up = step.up == crate::plan::render::statements(change);
    let down = match (change.reverse(), &step.down) {
        (Reverse::Changes(changes), Some(down)) => {
            changes.iter().all(runs_as_superuser)
                && *down
                    == changes
                        .iter()
                        .flat_map(crate::plan::render::statements)
                        .collect::<Vec<_>>()
        }
        _ => false,
    };
    (up, down)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_replica_switch_is_lent_only_before_15() {
        let sql = replica_switch(140023).expect("14 has no grant on parameters");
        assert!(sql.contains("SECURITY DEFINER"));
        // A SET clause would restore the parameter when the function returns.
        assert!(!sql.contains("\nSET "));
        assert!(sql.contains("REVOKE ALL ON FUNCTION"));
        assert!(replica_switch(130000).is_some());
        assert_eq!(replica_switch(150000), None);
        assert_eq!(
            set_replica(true, false),
            "SET session_replication_role = replica"
        );
        assert_eq!(
            set_replica(false, true),
            "SELECT schemaplan_replica_switch.replicate(false)"
        );
    }
}
