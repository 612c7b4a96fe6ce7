//! The whole pipeline as library calls: what `plan`, `apply` and `inspect` do, minus the
//! terminal. Tests and benchmarks call these directly.

pub mod fleet;

use std::collections::BTreeSet;
use std::time::{Duration, Instant};

use postgres::Client;

use crate::error::Error;
use crate::model::Catalog;
use crate::pg::db::Server;
use crate::pg::introspect::{self, Introspection, Sessions};
use crate::pg::rehearse::{self, Rehearsal};
use crate::pg::shadow;
use crate::plan::build::{self, BuildError, BuildOptions, DesiredState, Facts};
use crate::plan::fingerprint::Objects;
use crate::plan::hook::HookProblem;
use crate::plan::shortcut;
use crate::plan::steps::Plan;
use crate::stdx::Clock;
pub use crate::stdx::{Report, Silent};
use crate::yaml::Desired;

/// A plan and what it was made from.
pub struct Planned {
    pub plan: Plan,
    /// The target as it is (before any rewriting for moved extensions).
    pub current: Introspection,
    pub desired: Introspection,
    pub schemas: Vec<String>,
    /// The fingerprint of every current object (what a saved plan checks for drift).
    pub objects: Objects,
    /// The plan run up and down on a copy of the target's schema, when asked for.
    pub rehearsal: Option<Rehearsal>,
    /// How long each phase took.
    pub timings: Vec<(&'static str, Duration)>,
}

/// The schemas schemaplan manages: those named with `--schema`, or else the whole database as
/// migra, pg-schema-diff and Atlas see it: every schema the desired state names, `public`, and
/// every schema of the target (`in_target`, from [`target_schemas`]), so that a schema the
/// desired state no longer has is dropped (its tables kept in backups, and only with
/// `--allow-hazards DeletesData`).
pub fn managed_schemas(
    desired: &Catalog,
    explicit: &[String],
    in_target: &[String],
) -> Vec<String> {
    let mut set: BTreeSet<String> = if explicit.is_empty() {
        let mut s = desired.schema_names();
        s.insert("public".into());
        s.extend(in_target.iter().cloned());
        s
    } else {
        explicit.iter().cloned().collect()
    };
    set.retain(|s| !introspect::SYSTEM_SCHEMAS.contains(&s.as_str()));
    set.into_iter().collect()
}

/// The part of `catalog` that lies in `schemas`: the catalog itself when nothing of it lies
/// outside (the usual case: a second copy of a large desired state saved), else a copy of what
/// lies inside. A catalog from YAML has no dependencies or extension members to drop.
pub(crate) fn in_scope<'a>(
    catalog: &'a Catalog,
    schemas: &[String],
) -> std::borrow::Cow<'a, Catalog> {
    let keep = |s: &str| schemas.iter().any(|m| m == s);
    let qualified = catalog
        .named_keys()
        .chain(catalog.functions.keys().map(|f| &f.name))
        .chain(catalog.aggregates.keys().map(|f| &f.name))
        .chain(catalog.publications.values().flat_map(|p| p.tables.keys()));
    let schema_less = catalog
        .extensions
        .values()
        .map(|e| e.schema.as_deref())
        .chain(
            catalog
                .default_privileges
                .keys()
                .map(|k| k.schema.as_deref()),
        );
    let inside = catalog.schemas.keys().all(|s| keep(s))
        && qualified.into_iter().all(|q| keep(&q.schema))
        && schema_less.into_iter().all(|s| s.is_none_or(keep))
        && catalog.deps.is_empty()
        && catalog.extension_members.is_empty()
        && catalog.extension_updates.is_empty();
    if inside {
        std::borrow::Cow::Borrowed(catalog)
    } else {
        std::borrow::Cow::Owned(restrict(catalog, schemas))
    }
}

/// A copy of the part of `catalog` that lies in `schemas`.
fn restrict(catalog: &Catalog, schemas: &[String]) -> Catalog {
    let keep = |s: &str| schemas.iter().any(|m| m == s);
    Catalog {
        schemas: catalog
            .schemas
            .iter()
            .filter(|(n, _)| keep(n))
            .map(|(n, s)| (n.clone(), s.clone()))
            .collect(),
        extensions: catalog
            .extensions
            .iter()
            .filter(|(_, e)| e.schema.as_deref().is_none_or(keep))
            .map(|(n, e)| (n.clone(), e.clone()))
            .collect(),
        enums: catalog
            .enums
            .iter()
            .filter(|(q, _)| keep(&q.schema))
            .map(|(q, e)| (q.clone(), e.clone()))
            .collect(),
        sequences: catalog
            .sequences
            .iter()
            .filter(|(q, _)| keep(&q.schema))
            .map(|(q, e)| (q.clone(), e.clone()))
            .collect(),
        tables: catalog
            .tables
            .iter()
            .filter(|(q, _)| keep(&q.schema))
            .map(|(q, e)| (q.clone(), e.clone()))
            .collect(),
        views: catalog
            .views
            .iter()
            .filter(|(q, _)| keep(&q.schema))
            .map(|(q, e)| (q.clone(), e.clone()))
            .collect(),
        functions: catalog
            .functions
            .iter()
            .filter(|(f, _)| keep(&f.name.schema))
            .map(|(f, e)| (f.clone(), e.clone()))
            .collect(),
        aggregates: catalog
            .aggregates
            .iter()
            .filter(|(f, _)| keep(&f.name.schema))
            .map(|(f, e)| (f.clone(), e.clone()))
            .collect(),
        materialized_views: catalog
            .materialized_views
            .iter()
            .filter(|(q, _)| keep(&q.schema))
            .map(|(q, e)| (q.clone(), e.clone()))
            .collect(),
        deps: Default::default(),
        extension_members: Default::default(),
        roles: catalog.roles.clone(),
        every_role: catalog.every_role,
        default_privileges: catalog
            .default_privileges
            .iter()
            .filter(|(k, _)| k.schema.as_deref().is_none_or(keep))
            .map(|(k, g)| (k.clone(), g.clone()))
            .collect(),
        domains: catalog
            .domains
            .iter()
            .filter(|(q, _)| keep(&q.schema))
            .map(|(q, d)| (q.clone(), d.clone()))
            .collect(),
        composite_types: catalog
            .composite_types
            .iter()
            .filter(|(q, _)| keep(&q.schema))
            .map(|(q, c)| (q.clone(), c.clone()))
            .collect(),
        range_types: catalog
            .range_types
            .iter()
            .filter(|(q, _)| keep(&q.schema))
            .map(|(q, r)| (q.clone(), r.clone()))
            .collect(),
        collations: catalog
            .collations
            .iter()
            .filter(|(q, _)| keep(&q.schema))
            .map(|(q, c)| (q.clone(), c.clone()))
            .collect(),
        extension_updates: Default::default(),
        text_search_dictionaries: catalog
            .text_search_dictionaries
            .iter()
            .filter(|(q, _)| keep(&q.schema))
            .map(|(q, d)| (q.clone(), d.clone()))
            .collect(),
        text_search_configurations: catalog
            .text_search_configurations
            .iter()
            .filter(|(q, _)| keep(&q.schema))
            .map(|(q, c)| (q.clone(), c.clone()))
            .collect(),
        // A publication is managed when every table it names is.
        publications: catalog
            .publications
            .iter()
            .filter(|(_, p)| p.tables.keys().all(|t| keep(&t.schema)))
            .map(|(n, p)| (n.clone(), p.clone()))
            .collect(),
        server_version: catalog.server_version,
    }
}

/// Where shadow databases are made, asked for only when one is needed: a plan that changes
/// nothing needs none, and the embedded cluster then never starts.
pub trait Shadow {
    fn server(&self) -> Result<&Server, Error>;
}

impl Shadow for Server {
    fn server(&self) -> Result<&Server, Error> {
        Ok(self)
    }
}

/// How to plan.
#[derive(Clone, Debug, Default)]
pub struct PlanOptions {
    /// `--schema`: manage only these schemas.
    pub schemas: Vec<String>,
    /// Run the plan up and down on a copy of the target's schema.
    pub rehearse: bool,
    /// Drop data without keeping a copy in `schemaplan_backup` (those steps are irreversible).
    pub no_backup: bool,
    /// Rehearse on up to this many rows of each table copied from the target (0: schema only).
    pub rehearse_data: u64,
    /// `--full-shadow`: create the whole desired state in the shadow, not only what differs
    /// from the target, and rehearse on the whole schema, not only on what the plan touches
    /// (`plan::shortcut`); the plan and the rehearsal's findings are the same, only slower.
    pub full_shadow: bool,
}

/// Reads `target`, normalises `desired` on `shadow`, and plans the way from one to the other.
/// Everything read from a database is read here, before the pure planner (`plan::build`).
pub fn plan(
    target: &mut Client,
    desired: &Desired,
    shadow: &dyn Shadow,
    options: &PlanOptions,
) -> Result<Planned, Error> {
    plan_reporting(target, desired, shadow, options, &mut Silent)
}

/// [`plan`], saying to `report` which stage it is in and how far the rehearsal is.
pub fn plan_reporting(
    target: &mut Client,
    desired: &Desired,
    shadow: &dyn Shadow,
    options: &PlanOptions,
    report: &mut dyn Report,
) -> Result<Planned, Error> {
    let read = read_target(target, options, report)?;
    plan_read(target, read, desired, shadow, options, report)
}

/// The target's catalog, read before the desired state is known (`read_target`), so that
/// reading it and loading the YAML can run side by side.
pub struct TargetRead {
    current: Introspection,
    in_target: Vec<String>,
    /// The schemas read: those of `--schema`, or every schema of the target and `public`.
    read: Vec<String>,
    took: std::time::Duration,
    /// Where the read found its helper sessions, for a second read (`plan_read`).
    more: Option<Sessions>,
}

/// Reads the target's catalog: every schema [`managed_schemas`] can name whatever the desired
/// state (a schema only the desired state names has nothing in the target to read).
pub fn read_target(
    target: &mut Client,
    options: &PlanOptions,
    report: &mut dyn Report,
) -> Result<TargetRead, Error> {
    read_target_with(target, None, options, report)
}

/// [`read_target`], a large catalog read on helper sessions from `more` besides `target`
/// (`introspect::Sessions`).
pub fn read_target_with(
    target: &mut Client,
    more: Option<Sessions>,
    options: &PlanOptions,
    report: &mut dyn Report,
) -> Result<TargetRead, Error> {
    if let Some(reserved) = options
        .schemas
        .iter()
        .find(|s| crate::model::naming::is_reserved_schema(s))
    {
        return Err(Error::Usage(format!(
            "--schema {reserved}: schemaplan keeps its history and backups there; it cannot be managed"
        )));
    }
    let started = Instant::now();
    let in_target = target_schemas(target, &options.schemas)?;
    let read = managed_schemas(&Catalog::default(), &options.schemas, &in_target);
    report.stage("reading the target's catalog");
    let current = introspect::introspect_with(target, more.as_ref(), &read)?;
    Ok(TargetRead {
        current,
        in_target,
        read,
        took: started.elapsed(),
        more,
    })
}

/// [`plan_reporting`] from the target's catalog read beforehand.
pub fn plan_read(
    target: &mut Client,
    read: TargetRead,
    desired: &Desired,
    shadow: &dyn Shadow,
    options: &PlanOptions,
    report: &mut dyn Report,
) -> Result<Planned, Error> {
    let mut clock = Clock::new();
    let prepared = prepare(target, read, desired, options, report)?;
    clock.lap("inspect target");
    clock.laps[0].1 += prepared.took;
    let Prepared {
        schemas,
        written,
        current,
        ..
    } = prepared;
    let written: &Catalog = &written;
    let shadow::Normalized {
        introspection: printed,
        warnings: printed_warnings,
        timings,
    } = print_desired(
        &current, written, desired, &schemas, shadow, options, report,
    )?;
    clock.laps.extend(timings);
    clock.last = Instant::now();
    report.stage("planning");
    let facts = target_facts(target, &current, options)?;
    let built = build_plan(
        &current,
        written,
        printed.catalog.clone(),
        printed_warnings,
        desired,
        &facts,
        &schemas,
        options,
    )?;
    let plan = built.plan;
    let normalized = Introspection {
        catalog: built.desired,
        ..printed
    };
    clock.lap("diff and order");
    let rehearsal = if options.rehearse && !plan.is_empty() {
        let sample = (options.rehearse_data > 0).then_some(rehearse::Sample {
            target,
            rows: options.rehearse_data,
        });
        let r = rehearse_plan(
            &plan,
            &current,
            &normalized.catalog,
            &schemas,
            shadow,
            options,
            sample,
            report,
        )?;
        clock.lap("rehearsal");
        Some(r)
    } else {
        None
    };
    Ok(Planned {
        plan,
        current,
        desired: normalized,
        schemas,
        objects: built.objects,
        rehearsal,
        timings: clock.laps,
    })
}

/// What planning starts from once the target is read: the managed schemas, the desired state
/// in them (narrowed to the target's version), and the target's catalog.
pub(crate) struct Prepared<'d> {
    pub(crate) schemas: Vec<String>,
    pub(crate) written: std::borrow::Cow<'d, Catalog>,
    pub(crate) current: Introspection,
    /// How long reading the target took.
    pub(crate) took: Duration,
}

/// Checks the desired state against the target (its roles exist, its features are in the
/// target's version) and reads again a schema only the desired state names.
pub(crate) fn prepare<'d>(
    target: &mut Client,
    read: TargetRead,
    desired: &'d Desired,
    options: &PlanOptions,
    report: &mut dyn Report,
) -> Result<Prepared<'d>, Error> {
    let schemas = managed_schemas(&desired.catalog, &options.schemas, &read.in_target);
    let mut written = in_scope(&desired.catalog, &schemas);
    missing_roles(target, desired)?;
    let unread: Vec<String> = schemas
        .iter()
        .filter(|s| !read.read.contains(s))
        .cloned()
        .collect();
    // A schema the desired state names that the target has but did not list (an extension's
    // own): read again with it, as if it had been known from the start.
    let current = if unread.is_empty() || !any_exists(target, &unread)? {
        read.current
    } else {
        report.stage("reading the target's catalog");
        introspect::introspect_with(target, read.more.as_ref(), &schemas)?
    };
    too_new_for_target(desired, &written, current.server_version)?;
    // `all` as the target's version has it (no MAINTAIN before 17).
    let major = (current.server_version / 10000).max(0) as u32;
    if !crate::plan::versions::fits(&written, major) {
        crate::plan::versions::fit(written.to_mut(), major);
    }
    Ok(Prepared {
        schemas,
        written,
        current,
        took: read.took,
    })
}

/// What the planner needs of the target besides its catalog: the names its backups already
/// take, and what its history says of the hooks.
pub(crate) fn target_facts(
    target: &mut Client,
    current: &Introspection,
    options: &PlanOptions,
) -> Result<Facts, Error> {
    Ok(Facts {
        casts: current.casts.clone(),
        unsupported: current.unsupported.clone(),
        backup_names: if options.no_backup {
            Default::default()
        } else {
            crate::pg::history::backup_names(target)?
        },
        recorded_hooks: crate::pg::history::hooks(target)?,
    })
}

/// The pure planner on what was read and printed.
#[allow(clippy::too_many_arguments)]
pub(crate) fn build_plan(
    current: &Introspection,
    written: &Catalog,
    printed: Catalog,
    printed_warnings: Vec<crate::model::warning::Warning>,
    desired: &Desired,
    facts: &Facts,
    schemas: &[String],
    options: &PlanOptions,
) -> Result<build::Built, Error> {
    build::build(
        &current.catalog,
        DesiredState {
            written,
            printed,
            printed_warnings,
            declared_schemas: desired.named_schemas(),
            renames: &desired.renames,
            backfills: &desired.backfills,
            conversions: &desired.conversions,
            hooks: &desired.hooks,
            digest: &desired.digest,
        },
        facts,
        &BuildOptions {
            schemas: schemas.to_vec(),
            no_backup: options.no_backup,
        },
    )
    .map_err(|e| match e {
        BuildError::Hooks(problems) => hook_diagnostics(desired, problems),
        BuildError::Cycle(e) => Error::Cycle(e),
    })
}

/// Runs `plan` up and down on a copy of the target's schema (what it touches, or the whole).
#[allow(clippy::too_many_arguments)]
pub(crate) fn rehearse_plan(
    plan: &crate::plan::steps::Plan,
    current: &Introspection,
    desired: &Catalog,
    schemas: &[String],
    shadow: &dyn Shadow,
    options: &PlanOptions,
    sample: Option<rehearse::Sample<'_>>,
    report: &mut dyn Report,
) -> Result<Rehearsal, Error> {
    let scope = rehearsal_scope(plan, current, desired, options);
    let (from, to) = match &scope {
        Some(scope) => (&scope.current, &scope.desired),
        None => (&current.catalog, desired),
    };
    Ok(rehearse::rehearse(
        plan,
        from,
        to,
        &current.casts,
        schemas,
        shadow.server()?,
        rehearse::Applier::of(current),
        sample,
        report,
    )?)
}

/// What the rehearsal runs on: only what the plan touches (`shortcut::rehearsal_scope`), or,
/// with `None`, the whole schema: with `--full-shadow`; with sample rows (a table's sample
/// depends on the rows of the tables it references, which are no stand-ins' business); and when
/// a step runs the user's SQL, which may touch anything.
fn rehearsal_scope(
    plan: &crate::plan::steps::Plan,
    current: &Introspection,
    desired: &Catalog,
    options: &PlanOptions,
) -> Option<shortcut::RehearsalScope> {
    if options.full_shadow || options.rehearse_data > 0 {
        return None;
    }
    let tops: Option<Vec<_>> = plan
        .steps
        .iter()
        .map(|s| {
            s.change
                .as_ref()
                .and_then(|c| c.top())
                .filter(|_| s.hook.is_none())
        })
        .collect();
    Some(shortcut::rehearsal_scope(
        &current.catalog,
        desired,
        &current.casts,
        tops?,
    ))
}

/// The desired state as PostgreSQL prints it: through the shadow database, whole with
/// `--full-shadow`, otherwise only what differs from the target (`plan::shortcut`), the rest
/// taken from the target as it is.
pub(crate) fn print_desired(
    current: &Introspection,
    written: &Catalog,
    desired: &Desired,
    schemas: &[String],
    server: &dyn Shadow,
    options: &PlanOptions,
    report: &mut dyn Report,
) -> Result<shadow::Normalized, Error> {
    if options.full_shadow {
        report.stage("building the desired state in a shadow database");
        return normalize_timed(written, desired, schemas, server, Clock::new());
    }
    let mut clock = Clock::new();
    let shortcut = shortcut::select(&current.catalog, written, &current.casts);
    clock.lap("shadow: compare with the target");
    if shortcut.needs_no_shadow() {
        return Ok(shadow::Normalized {
            introspection: Introspection {
                catalog: shortcut::merge(&current.catalog, &shortcut, None),
                casts: current.casts.clone(),
                unsupported: Vec::new(),
                server_version: current.server_version,
                role: current.role.clone(),
                role_bypasses_rls: current.role_bypasses_rls,
                queries: 0,
                sessions: 0,
            },
            warnings: Vec::new(),
            timings: clock.laps,
        });
    }
    report.stage(&format!(
        "building the {} changed objects (of {}) in a shadow database",
        shortcut.changed.len(),
        shortcut.wanted.len()
    ));
    let mut normalized = normalize_timed(&shortcut.shadow, desired, schemas, server, clock)?;
    let printed = std::mem::take(&mut normalized.introspection.catalog);
    normalized.introspection.catalog = shortcut::merge(&current.catalog, &shortcut, Some(printed));
    Ok(normalized)
}

/// `catalog` through the shadow (its server started if this is the first to ask), with the
/// laps of `clock` first in its timings.
fn normalize_timed(
    catalog: &Catalog,
    desired: &Desired,
    schemas: &[String],
    server: &dyn Shadow,
    mut clock: Clock,
) -> Result<shadow::Normalized, Error> {
    let server = server.server()?;
    clock.lap("shadow: start the embedded cluster");
    let mut normalized = shadow::normalize(catalog, &desired.sources, schemas, server)?;
    clock.laps.append(&mut normalized.timings);
    normalized.timings = clock.laps;
    Ok(normalized)
}

/// Whether any of `schemas` exists in the target.
fn any_exists(target: &mut Client, schemas: &[String]) -> Result<bool, Error> {
    let row = target
        .query_one(
            "SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_namespace WHERE nspname = ANY($1))",
            &[&schemas],
        )
        .map_err(|source| crate::pg::db::DbError::Query {
            what: "looking up the schemas the desired state names".into(),
            target: "the target database".into(),
            source,
        })?;
    Ok(row.get(0))
}

/// Roles are not schemaplan's to create: every role the desired state names must exist in the
/// target before anything is planned, or the report says where the YAML names it.
fn missing_roles(target: &mut Client, desired: &Desired) -> Result<(), Error> {
    if desired.role_uses.is_empty() {
        return Ok(());
    }
    let named: Vec<&String> = desired.role_uses.keys().collect();
    let rows = target
        .query(
            "SELECT r FROM pg_catalog.unnest($1::text[]) r
             WHERE NOT EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = r)
             ORDER BY 1",
            &[&named],
        )
        .map_err(|source| crate::pg::db::DbError::Query {
            what: "looking up the roles the desired state names".into(),
            target: "the target database".into(),
            source,
        })?;
    if rows.is_empty() {
        return Ok(());
    }
    let diagnostics = rows
        .iter()
        .map(|row| {
            let role: String = row.get(0);
            desired.sources.diagnostic(
                &desired.role_uses[&role],
                format!(
                    "role `{role}` does not exist in the target database; schemaplan does not \
                     create roles (they belong to the whole cluster): create it first"
                ),
            )
        })
        .collect();
    Err(Error::Load(crate::yaml::LoadError::Invalid(diagnostics)))
}

/// Features of the desired state the target's PostgreSQL lacks, as problems of the desired state
/// (file, line, object): refused before the shadow is asked, which might run a newer version.
fn too_new_for_target(
    desired: &Desired,
    written: &Catalog,
    server_version: i32,
) -> Result<(), Error> {
    let major = (server_version / 10000).max(0) as u32;
    use crate::plan::versions::Subject;
    let diagnostics: Vec<_> = crate::plan::versions::unsupported(written, major)
        .into_iter()
        .map(|r| {
            let sources = &desired.sources;
            let mut path = match &r.object {
                Subject::Object(key) => sources.objects.get(key),
                Subject::DefaultPrivileges(key) => sources.default_privileges.get(key),
            }
            .cloned()
            .unwrap_or_default();
            for segment in &r.within {
                path = crate::model::source::child_path(&path, segment);
            }
            let message = format!(
                "{} needs PostgreSQL {} or later; the target runs PostgreSQL {major}",
                r.feature, r.since
            );
            desired.sources.diagnostic(&path, message)
        })
        .collect();
    if diagnostics.is_empty() {
        Ok(())
    } else {
        Err(Error::Load(crate::yaml::LoadError::Invalid(diagnostics)))
    }
}

/// Hooks that cannot run on this database, as problems of the desired state (file, line, hook).
fn hook_diagnostics(desired: &Desired, problems: Vec<HookProblem>) -> Error {
    let diagnostics = problems
        .into_iter()
        .map(|p| {
            let path = crate::model::source::child_path("hooks", &p.hook);
            desired.sources.diagnostic(&path, p.message)
        })
        .collect();
    Error::Load(crate::yaml::LoadError::Invalid(diagnostics))
}

/// The current schema of `target` as a model (what `inspect` writes out).
pub fn inspect(target: &mut Client, explicit_schemas: &[String]) -> Result<Catalog, Error> {
    Ok(inspect_naming_unmanaged(target, None, explicit_schemas)?.0)
}

/// `inspect`, with every object of the schemas read that schemaplan does not manage (kind and
/// name), which the YAML leaves out; a large catalog is read on helper sessions from `more`
/// besides `target`.
pub fn inspect_naming_unmanaged(
    target: &mut Client,
    more: Option<&Sessions>,
    explicit_schemas: &[String],
) -> Result<(Catalog, Vec<String>), Error> {
    let schemas = if explicit_schemas.is_empty() {
        all_user_schemas(target)?
    } else {
        explicit_schemas.to_vec()
    };
    let mut read = introspect::introspect_objects_with(target, more, &schemas)?;
    // A database's privileges are all there is of them: `inspect` writes `roles: all`.
    read.catalog.every_role = true;
    Ok((read.catalog, read.unsupported))
}

/// The target's own schemas that [`managed_schemas`] adds when no `--schema` is given (none are
/// read when it is).
pub fn target_schemas(target: &mut Client, explicit: &[String]) -> Result<Vec<String>, Error> {
    if explicit.is_empty() {
        all_user_schemas(target)
    } else {
        Ok(Vec::new())
    }
}

/// Every schema of the database that is not a system schema, a temporary schema, an
/// extension's, or schemaplan's own.
fn all_user_schemas(client: &mut Client) -> Result<Vec<String>, Error> {
    let rows = client
        .query(
            "SELECT n.nspname::text FROM pg_catalog.pg_namespace n
             WHERE n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast')
               AND n.nspname NOT LIKE 'pg\\_temp\\_%' AND n.nspname NOT LIKE 'pg\\_toast\\_temp\\_%'
               AND n.nspname NOT IN ('schemaplan', 'schemaplan_backup')
               AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend d
                               WHERE d.classid = 'pg_catalog.pg_namespace'::pg_catalog.regclass
                                 AND d.objid = n.oid AND d.deptype = 'e')
             ORDER BY 1",
            &[],
        )
        .map_err(|source| crate::pg::db::DbError::Query {
            what: "listing schemas".into(),
            target: "the database".into(),
            source,
        })?;
    Ok(rows.iter().map(|r| r.get(0)).collect())
}
