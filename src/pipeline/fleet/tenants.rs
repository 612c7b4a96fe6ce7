//! Schema-per-tenant targets: the schemas of a `tenants:` entry, listed by its `LIKE` pattern or
//! its query, each a target of its own; and the desired state, written for the template
//! schema, given to one tenant's schema (`plan::tenant`).

use crate::error::Error;
use crate::pg::conn::Target;
use crate::pg::db::{self, DbError};
use crate::plan::tenant::{self, Rename};
use crate::yaml::Desired;
use crate::yaml::fleet::TenantEntry;

/// A tenant's schema and the template its desired state is written for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Tenant {
    pub template: String,
    pub schema: String,
}

/// The schemas of a `tenants:` entry, in name order (schemaplan's own and system schemas never).
pub fn schemas(entry: &TenantEntry, target: &Target, origin: &str) -> Result<Vec<String>, Error> {
    let mut client = db::connect(target)?.client;
    let failed = |source| DbError::Query {
        what: format!("{origin}: listing the tenants' schemas"),
        target: target.label().to_string(),
        source,
    };
    let rows = match (&entry.pattern, &entry.query) {
        (Some(pattern), _) => client
            .query(
                "SELECT nspname::text FROM pg_catalog.pg_namespace
                  WHERE nspname LIKE $1
                    AND nspname NOT IN ('schemaplan', 'schemaplan_backup', 'information_schema')
                    AND nspname NOT LIKE 'pg\\_%'
                  ORDER BY 1",
                &[pattern],
            )
            .map_err(failed)?,
        (None, Some(query)) => {
            let sql = format!(
                "SELECT DISTINCT s::text FROM ({}) q(s) ORDER BY 1",
                query.trim().trim_end_matches(';')
            );
            let mut tx = (client.build_transaction())
                .read_only(true)
                .start()
                .map_err(failed)?;
            tx.query(&sql, &[]).map_err(failed)?
        }
        (None, None) => Vec::new(),
    };
    Ok(rows.iter().map(|r| r.get::<_, String>(0)).collect())
}

/// Why the desired state cannot be given to tenants' schemas, if it cannot: it must define
/// objects in the template schema only, of kinds the renaming covers, without data hooks.
pub fn check_template(desired: &Desired, template: &str) -> Result<(), String> {
    let outside: Vec<String> = desired
        .named_schemas()
        .into_iter()
        .filter(|s| s != template)
        .collect();
    if !outside.is_empty() {
        return Err(format!(
            "the desired state names the schemas {} besides the template {template}: a \
             tenant's desired state is its template schema alone",
            outside.join(", ")
        ));
    }
    let kinds = tenant::unsupported(&desired.catalog, template);
    if !kinds.is_empty() {
        return Err(format!(
            "the template schema {template} holds {}, which schema-per-tenant does not give \
             to tenants yet",
            kinds.join(", ")
        ));
    }
    if !desired.hooks.is_empty() {
        return Err("data hooks are not given to tenants' schemas yet".into());
    }
    Ok(())
}

/// The desired state of one tenant: the template's, its schema renamed.
pub fn desired_for(desired: &Desired, tenant: &Tenant) -> Desired {
    let rename = Rename {
        from: &tenant.template,
        to: &tenant.schema,
    };
    let (renames, backfills, conversions) =
        rename.hints(&desired.renames, &desired.backfills, &desired.conversions);
    Desired {
        catalog: rename.catalog(desired.catalog.clone()),
        sources: desired.sources.clone(),
        renames,
        digest: desired.digest.clone(),
        hooks: Vec::new(),
        backfills,
        conversions,
        role_uses: desired.role_uses.clone(),
    }
}
