//! Fleets: one desired state, many databases. The targets of a fleet file (`yaml::fleet`) are
//! resolved here (discovery queries run on their control databases), planned together
//! (`plan`: the shadow and the rehearsal run once per distinct schema, not once per target),
//! and applied in waves (`apply`), each target's run recorded in its own history and the
//! fleet's in a state file (`state`).

pub mod apply;
pub mod plan;
pub mod state;
pub mod tenants;

use std::collections::BTreeMap;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use crate::error::Error;
use crate::pg::conn::{Env, Target};
use crate::pg::db::{self, DbError};
use crate::pipeline::Shadow;
use crate::yaml::fleet::{Conninfo, Fleet, Labels, selects};

/// Where shadow databases are made for targets of each PostgreSQL major version: the embedded
/// cluster of that version, or the one `--dev-url` server. Asked once per version and kept.
pub trait Shadows: Sync {
    fn for_major(&self, major: u32) -> Result<std::sync::Arc<dyn Shadow + Send + Sync>, Error>;
}

/// One database of a fleet, resolved.
#[derive(Clone, Debug)]
pub struct FleetTarget {
    pub name: String,
    pub labels: Labels,
    /// How to reach it (resolved settings; its label never shows a password).
    pub target: Target,
    /// Where it was listed: `fleet.yaml:12` or `discover 1 (fleet.yaml:20)`.
    pub origin: String,
    /// A tenant's schema: the target is this schema of the database, not the whole database.
    pub tenant: Option<tenants::Tenant>,
}

/// Where a server's database is, as far as telling two settings apart goes: the hosts (or
/// socket folders), the port and the database name.
pub(super) fn identity(target: &Target) -> (String, String, String) {
    let p = target.params();
    let host = p.nonempty("host").or(p.nonempty("hostaddr")).unwrap_or("");
    let port = p.nonempty("port").unwrap_or("5432");
    let user = p.nonempty("user").unwrap_or("");
    let dbname = p.nonempty("dbname").unwrap_or(user);
    (host.to_string(), port.to_string(), dbname.to_string())
}

fn connect_error(label: &str, source: crate::pg::conn::ConnError) -> Error {
    Error::Db(DbError::Connect {
        target: label.to_string(),
        source,
    })
}

/// The targets of `fleet`: those listed, then those its discovery queries return, in order.
/// Refused: two targets of one name or one database, a target that is a control database,
/// and overlapping tenant schemas.
pub fn resolve(fleet: &Fleet, env: &Env) -> Result<Vec<FleetTarget>, Error> {
    let file = fleet.path.display().to_string();
    let lookup = |var: &str| env.var(var).map(str::to_string);
    let parse = |conninfo: &Conninfo, place: &str| -> Result<Target, Error> {
        let text = conninfo
            .resolve(&lookup)
            .map_err(|why| Error::Usage(format!("{place}: {why}")))?;
        Target::parse(&text, env).map_err(|e| connect_error(place, e))
    };
    let mut out = Vec::new();
    for t in &fleet.targets {
        let origin = format!("{file}:{}", t.at.line);
        out.push(FleetTarget {
            name: t.name.clone(),
            labels: t.labels.clone(),
            target: parse(&t.conninfo, &origin)?,
            origin,
            tenant: None,
        });
    }
    let mut controls = Vec::new();
    for (i, d) in fleet.discover.iter().enumerate() {
        let origin = format!("discover {} ({file}:{})", i + 1, d.at.line);
        let control = parse(&d.conninfo, &origin)?;
        for (name, url, labels) in discover(&control, &d.query, &origin)? {
            let mut all = d.labels.clone();
            all.extend(labels);
            let target = Target::parse(&url, env)
                .map_err(|e| connect_error(&format!("{origin}, target `{name}`"), e))?;
            out.push(FleetTarget {
                name,
                labels: all,
                target,
                origin: origin.clone(),
                tenant: None,
            });
        }
        controls.push((identity(&control), origin));
    }
    for (i, entry) in fleet.tenants.iter().enumerate() {
        let origin = format!("tenants {} ({file}:{})", i + 1, entry.at.line);
        let target = parse(&entry.conninfo, &origin)?;
        for schema in tenants::schemas(entry, &target, &origin)? {
            let mut labels = entry.labels.clone();
            labels.insert("schema".into(), schema.clone());
            out.push(FleetTarget {
                name: format!("{}/{schema}", entry.name),
                labels,
                target: target.clone(),
                origin: origin.clone(),
                tenant: Some(tenants::Tenant {
                    template: entry.template.clone(),
                    schema,
                }),
            });
        }
    }
    check_distinct(&out, &controls)?;
    Ok(out)
}

/// Refuses two targets of one name, two of one database (or one tenant schema), a database
/// that is both a target and the home of tenant schemas (the whole database would be managed
/// twice), and a target that is a control database (whose discovery query would change under
/// the fleet's feet).
fn check_distinct(
    targets: &[FleetTarget],
    controls: &[((String, String, String), String)],
) -> Result<(), Error> {
    let mut problems = Vec::new();
    let mut names: BTreeMap<&str, &FleetTarget> = BTreeMap::new();
    let mut places: BTreeMap<(String, String, String), &FleetTarget> = BTreeMap::new();
    let mut schemas: BTreeMap<((String, String, String), &str), &FleetTarget> = BTreeMap::new();
    for t in targets {
        if let Some(first) = names.insert(&t.name, t) {
            problems.push(format!(
                "target `{}` is listed twice ({} and {})",
                t.name, first.origin, t.origin
            ));
        }
        let id = identity(&t.target);
        if let Some((_, control)) = controls.iter().find(|(c, _)| *c == id) {
            problems.push(format!(
                "target `{}` ({}) is the control database of {control}",
                t.name, t.origin
            ));
        }
        let clash = match &t.tenant {
            Some(tenant) => schemas
                .insert((id.clone(), &tenant.schema), t)
                .map(|first| (first, "schema of one database"))
                .or_else(|| places.get(&id).map(|&first| (first, "database"))),
            None => places
                .insert(id.clone(), t)
                .map(|first| (first, "database"))
                .or_else(|| {
                    (schemas.iter())
                        .find(|((d, _), _)| *d == id)
                        .map(|(_, &first)| (first, "database"))
                }),
        };
        if let Some((first, what)) = clash {
            problems.push(format!(
                "targets `{}` and `{}` are the same {what} ({})",
                first.name,
                t.name,
                t.target.label()
            ));
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(Error::Usage(problems.join("\n")))
    }
}

/// Runs a discovery query: its rows as (name, url, labels), read through `to_jsonb` so that
/// any column types and an optional `labels` column are accepted.
fn discover(
    control: &Target,
    query: &str,
    origin: &str,
) -> Result<Vec<(String, String, Labels)>, Error> {
    let mut client = db::connect(control)?.client;
    let sql = format!(
        "SELECT pg_catalog.to_jsonb(q)::text FROM ({}) q",
        query.trim().trim_end_matches(';')
    );
    let failed = |source| DbError::Query {
        what: format!("{origin}: the discovery query"),
        target: control.label().to_string(),
        source,
    };
    let mut tx = (client.build_transaction())
        .read_only(true)
        .start()
        .map_err(failed)?;
    let rows = tx.query(&sql, &[]).map_err(failed)?;
    let mut out = Vec::new();
    for (i, row) in rows.iter().enumerate() {
        let json: String = row.get(0);
        let value: serde_json::Value = serde_json::from_str(&json).expect("to_jsonb gives JSON");
        let text = |key: &str| value.get(key).and_then(|v| v.as_str()).map(str::to_string);
        let (Some(name), Some(url)) = (text("name"), text("url")) else {
            return Err(Error::Usage(format!(
                "{origin}: row {} of the discovery query lacks a `name` or `url` text column",
                i + 1
            )));
        };
        let mut labels = Labels::new();
        if let Some(map) = value.get("labels").and_then(|l| l.as_object()) {
            for (k, v) in map {
                let v = v
                    .as_str()
                    .map(str::to_string)
                    .unwrap_or_else(|| v.to_string());
                labels.insert(k.clone(), v);
            }
        }
        out.push((name, url, labels));
    }
    Ok(out)
}

/// The waves of `fleet apply`, as indexes into `targets`: the canaries (targets whose labels
/// include every label of `canary`) first, then the others in batches of `batch` (0: one).
pub fn waves(targets: &[FleetTarget], canary: &Labels, batch: usize) -> Vec<Vec<usize>> {
    let (first, rest): (Vec<usize>, Vec<usize>) =
        (0..targets.len()).partition(|&i| selects(canary, &targets[i].labels));
    let mut waves = Vec::new();
    if !first.is_empty() {
        waves.push(first);
    }
    if batch == 0 {
        if !rest.is_empty() {
            waves.push(rest);
        }
    } else {
        waves.extend(rest.chunks(batch).map(<[usize]>::to_vec));
    }
    waves
}

/// Runs `work` on every item with at most `concurrency` at once, results in item order. When
/// `stop` is set (by a worker, or before), items not yet begun are left out (`None`).
pub fn each_parallel<T: Sync, R: Send>(
    items: &[T],
    concurrency: usize,
    stop: &AtomicBool,
    work: impl Fn(&T) -> R + Sync,
) -> Vec<Option<R>> {
    let next = AtomicUsize::new(0);
    let results: Mutex<Vec<Option<R>>> = Mutex::new((0..items.len()).map(|_| None).collect());
    std::thread::scope(|scope| {
        for _ in 0..concurrency.clamp(1, items.len().max(1)) {
            scope.spawn(|| {
                loop {
                    if stop.load(Ordering::SeqCst) {
                        break;
                    }
                    let i = next.fetch_add(1, Ordering::SeqCst);
                    let Some(item) = items.get(i) else { break };
                    let r = work(item);
                    results.lock().expect("no worker panics holding it")[i] = Some(r);
                }
            });
        }
    });
    results.into_inner().expect("workers are done")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn target(name: &str, conninfo: &str, labels: &[(&str, &str)]) -> FleetTarget {
        FleetTarget {
            name: name.into(),
            labels: labels
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
            target: Target::parse(conninfo, &Env::empty().with("PGUSER", "u")).unwrap(),
            origin: format!("fleet.yaml ({name})"),
            tenant: None,
        }
    }

    #[test]
    fn canaries_go_first_then_batches() {
        let ts = vec![
            target("a", "host=h dbname=a", &[]),
            target("b", "host=h dbname=b", &[("tier", "canary")]),
            target("c", "host=h dbname=c", &[]),
            target("d", "host=h dbname=d", &[]),
        ];
        let canary: Labels = [("tier".to_string(), "canary".to_string())].into();
        assert_eq!(waves(&ts, &canary, 2), vec![vec![1], vec![0, 2], vec![3]]);
        assert_eq!(waves(&ts, &Labels::new(), 0), vec![vec![0, 1, 2, 3]]);
    }

    #[test]
    fn the_same_database_twice_or_a_control_database_is_refused() {
        let ts = vec![
            target("a", "host=h port=5433 dbname=x", &[]),
            target("b", "postgres://h:5433/x", &[]),
            target("a", "host=h dbname=ctl", &[]),
        ];
        let control = target("c", "host=h dbname=ctl", &[]).target;
        let err = check_distinct(&ts, &[(identity(&control), "discover 1".into())])
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("targets `a` and `b` are the same database"),
            "{err}"
        );
        assert!(err.contains("target `a` is listed twice"), "{err}");
        assert!(
            err.contains("is the control database of discover 1"),
            "{err}"
        );
    }

    #[test]
    fn overlapping_tenant_patterns_and_a_database_that_holds_tenants_are_refused() {
        let tenant = |name: &str, schema: &str| FleetTarget {
            tenant: Some(tenants::Tenant {
                template: "tenant".into(),
                schema: schema.into(),
            }),
            ..target(name, "host=h dbname=saas", &[])
        };
        let both = vec![
            tenant("a/t1", "t1"),
            tenant("b/t1", "t1"),
            tenant("a/t2", "t2"),
        ];
        let err = check_distinct(&both, &[]).unwrap_err().to_string();
        assert!(
            err.contains("targets `a/t1` and `b/t1` are the same schema of one database"),
            "{err}"
        );
        assert!(!err.contains("a/t2"), "{err}");
        let mixed = vec![
            tenant("a/t1", "t1"),
            target("saas", "host=h dbname=saas", &[]),
        ];
        let err = check_distinct(&mixed, &[]).unwrap_err().to_string();
        assert!(
            err.contains("targets `a/t1` and `saas` are the same database"),
            "{err}"
        );
    }

    #[test]
    fn each_parallel_keeps_order_and_stops() {
        let items: Vec<u32> = (0..20).collect();
        let none = AtomicBool::new(false);
        let out = each_parallel(&items, 3, &none, |i| i * 2);
        assert_eq!(out, (0..20).map(|i| Some(i * 2)).collect::<Vec<_>>());
        let stop = AtomicBool::new(false);
        let out = each_parallel(&items, 1, &stop, |&i| {
            if i == 4 {
                stop.store(true, Ordering::SeqCst);
            }
            i
        });
        assert_eq!(out.iter().flatten().count(), 5);
    }
}
