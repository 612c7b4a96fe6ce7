//! Test support: the shared server, fresh databases, pg_dump, and the planning pipeline with the
//! test server as shadow.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::{Arc, OnceLock};

use schemaplan::pg::binaries;
use schemaplan::pg::cluster::{ClusterOptions, EmbeddedCluster};
use schemaplan::pg::conn::{Env, Target};
use schemaplan::pg::db::{ScratchDatabase, Server};
use schemaplan::pipeline::{self, Planned};
use schemaplan::plan::steps::Plan;
use schemaplan::yaml::Desired;
use schemaplan::{pg::apply, pg::history};

struct Shared {
    /// Where the tests' own databases (the targets) are made, as a superuser.
    server: Server,
    /// Where the pipeline makes its shadow and rehearsal databases. With the embedded clusters
    /// this is a second cluster, as it is when schemaplan plans for a real server: a target's
    /// objects belong to `postgres`, the test cluster's superuser, and their copies must belong
    /// to a role the shadow role may act for (`pg::privileged`).
    shadow: Server,
}

/// The server binaries the tests run, as `SCHEMAPLAN_TEST_PG` says: a major version (`13`,
/// found where schemaplan looks, `scripts/pg-versions.sh`'s cache included) or a bin folder.
/// `None` when unset: the first found, of any version.
pub fn server_bindir() -> Option<PathBuf> {
    static CHOSEN: OnceLock<Option<PathBuf>> = OnceLock::new();
    CHOSEN
        .get_or_init(|| {
            let chosen = std::env::var("SCHEMAPLAN_TEST_PG").ok()?;
            if chosen.is_empty() {
                return None;
            }
            Some(match chosen.parse::<u32>() {
                Ok(major) => binaries::for_major(major)
                    .unwrap_or_else(|e| panic!("SCHEMAPLAN_TEST_PG={chosen}: {e}")),
                Err(_) => PathBuf::from(chosen),
            })
        })
        .clone()
}

/// The options of every cluster the tests start: the chosen server binaries.
pub fn cluster_options() -> ClusterOptions {
    ClusterOptions {
        bindir: server_bindir(),
        ..ClusterOptions::default()
    }
}

/// Where pg_dump and psql are: beside the test server, or — for a server package without them
/// (13's has none) — of the next newer major version, whose pg_dump reads older servers.
fn client_bindir() -> PathBuf {
    let Some(server) = server_bindir() else {
        return binaries::find_bindir().expect("PostgreSQL client binaries (pg_dump, psql)");
    };
    let has_clients = |d: &Path| d.join("pg_dump").is_file() && d.join("psql").is_file();
    if has_clients(&server) {
        return server;
    }
    let major = binaries::server_major(&server).expect("the test server's version");
    (major + 1..=major + 10)
        .filter_map(|m| binaries::for_major(m).ok())
        .find(|d| has_clients(d))
        .unwrap_or_else(|| {
            panic!("no pg_dump and psql of PostgreSQL {major} or newer for the test server")
        })
}

fn shared() -> &'static Shared {
    static SHARED: OnceLock<Shared> = OnceLock::new();
    SHARED.get_or_init(|| match std::env::var("SCHEMAPLAN_TEST_DATABASE_URL") {
        Ok(url) if !url.is_empty() => {
            let server = Server::from_target(
                Target::parse(&url, &Env::from_process()).expect("SCHEMAPLAN_TEST_DATABASE_URL"),
            );
            Shared {
                shadow: server.clone(),
                server,
            }
        }
        _ => {
            let start = |own: bool| {
                let cluster = if own {
                    EmbeddedCluster::start_own_with(cluster_options())
                } else {
                    EmbeddedCluster::start_with(cluster_options())
                };
                // A static is never dropped: the cluster lives as long as the test process,
                // and its watchdog removes it when the process ends.
                Arc::new(cluster.expect("start a test cluster"))
            };
            let (targets, shadows) = std::thread::scope(|s| {
                let shadows = s.spawn(|| start(true));
                (
                    start(false),
                    shadows.join().expect("start the shadow cluster"),
                )
            });
            Shared {
                server: Server::embedded(targets).expect("prepare the test cluster"),
                shadow: Server::embedded(shadows).expect("prepare the shadow cluster"),
            }
        }
    })
}

/// Where the PostgreSQL client binaries for the test server are (pg_dump, psql).
pub fn bindir() -> &'static Path {
    static CLIENTS: OnceLock<PathBuf> = OnceLock::new();
    CLIENTS.get_or_init(client_bindir)
}

pub fn server() -> &'static Server {
    &shared().server
}

/// The server of the pipeline's shadow and rehearsal databases (see `Shared::shadow`).
pub fn shadow_server() -> &'static Server {
    &shared().shadow
}

/// A database of its own for one test; dropped with the value.
pub struct TestDb {
    pub db: ScratchDatabase,
}

impl TestDb {
    pub fn fresh() -> TestDb {
        TestDb {
            db: server()
                .scratch_database("test")
                .expect("create a test database"),
        }
    }

    pub fn client(&mut self) -> &mut postgres::Client {
        self.db.client()
    }

    /// The server's major version (`150018` is 15).
    pub fn server_major(&mut self) -> u32 {
        let row = self
            .client()
            .query_one("SELECT current_setting('server_version_num')::int", &[])
            .expect("server_version_num");
        (row.get::<_, i32>(0) / 10000) as u32
    }

    pub fn execute(&mut self, sql: &str) {
        if let Err(e) = self.client().batch_execute(sql) {
            panic!("SQL failed: {e:?}\n{sql}");
        }
    }

    pub fn conninfo(&self) -> String {
        self.db.conninfo()
    }

    /// A checksum of the rows of every user table, and the position of every sequence, by name.
    /// Rows are compared as JSON objects (keys sorted), so a column dropped and added back at
    /// the end of the table compares equal when its values are the same.
    pub fn data_checksums(&mut self) -> std::collections::BTreeMap<String, String> {
        let relations = self
            .client()
            .query(
                "SELECT c.relkind::text, pg_catalog.quote_ident(n.nspname) || '.' || pg_catalog.quote_ident(c.relname)
                 FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
                 WHERE c.relkind IN ('r', 'S')
                   AND n.nspname NOT IN ('pg_catalog', 'information_schema')
                   AND n.nspname NOT LIKE 'pg\\_%' AND n.nspname NOT LIKE 'schemaplan%'
                 ORDER BY 2",
                &[],
            )
            .unwrap();
        let mut out = std::collections::BTreeMap::new();
        for r in relations {
            let (kind, name): (String, String) = (r.get(0), r.get(1));
            let sql = if kind == "r" {
                format!(
                    "SELECT count(*)::text || ' rows, ' || md5(coalesce(string_agg(j, E'\\n' ORDER BY j), ''))
                     FROM (SELECT pg_catalog.to_jsonb(t)::text AS j FROM {name} t) rows"
                )
            } else {
                format!("SELECT last_value::text || ' ' || is_called::text FROM {name}")
            };
            let value: String = self.client().query_one(&sql, &[]).unwrap().get(0);
            out.insert(name, value);
        }
        out
    }

    /// `pg_dump --schema-only`, normalised for comparison: comments, settings and the order of
    /// columns inside a CREATE TABLE are not compared. schemaplan's own schemas (history and
    /// backups) are not part of the managed schema.
    pub fn schema_dump(&self) -> String {
        let out = Command::new(bindir().join("pg_dump"))
            .args([
                "--schema-only",
                "--no-owner",
                "--no-privileges",
                "--exclude-schema=schemaplan",
                "--exclude-schema=schemaplan_backup",
                "-d",
            ])
            .arg(self.conninfo())
            .output()
            .expect("run pg_dump");
        assert!(
            out.status.success(),
            "pg_dump failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        normalize_dump(&String::from_utf8_lossy(&out.stdout))
    }

    /// The privilege statements of `pg_dump --schema-only` (GRANT, REVOKE, ALTER DEFAULT
    /// PRIVILEGES, OWNER TO), sorted, one per line: an oracle for grants and owners that does
    /// not go through our introspector.
    pub fn privilege_dump(&self) -> Vec<String> {
        let out = Command::new(bindir().join("pg_dump"))
            .args([
                "--schema-only",
                "--exclude-schema=schemaplan",
                "--exclude-schema=schemaplan_backup",
                "-d",
            ])
            .arg(self.conninfo())
            .output()
            .expect("run pg_dump");
        assert!(
            out.status.success(),
            "pg_dump failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let mut lines: Vec<String> = String::from_utf8_lossy(&out.stdout)
            .lines()
            .filter(|l| {
                l.starts_with("GRANT ")
                    || l.starts_with("REVOKE ")
                    || l.starts_with("ALTER DEFAULT PRIVILEGES ")
                    || (l.starts_with("ALTER ") && l.contains(" OWNER TO "))
            })
            .map(String::from)
            .collect();
        lines.sort();
        lines
    }
}

/// The role a privilege statement of pg_dump grants to, revokes from or gives ownership to.
pub fn privilege_statement_role(line: &str) -> String {
    let line = line
        .trim_end_matches(';')
        .trim_end_matches(" WITH GRANT OPTION");
    let at = [" TO ", " FROM "]
        .iter()
        .filter_map(|k| line.rfind(k).map(|i| i + k.len()))
        .max()
        .unwrap_or(0);
    let role = &line[at..];
    match role.strip_prefix('"').and_then(|r| r.strip_suffix('"')) {
        Some(quoted) => quoted.replace("\"\"", "\""),
        None if role == "PUBLIC" => "public".to_string(),
        None => role.to_string(),
    }
}

/// Drops what differs between two dumps of equal schemas: comments, SET lines, blank lines,
/// pg_dump's random `\restrict` keys, and column order.
pub fn normalize_dump(dump: &str) -> String {
    let mut out: Vec<String> = Vec::new();
    let mut table_body: Option<Vec<String>> = None;
    for line in dump.lines() {
        if line.starts_with("--")
            || line.starts_with("SET ")
            || line.starts_with("SELECT pg_catalog.set_config")
            || line.starts_with("\\restrict")
            || line.starts_with("\\unrestrict")
            || line.trim().is_empty()
        {
            continue;
        }
        if let Some(body) = table_body.as_mut() {
            if line.starts_with(')') {
                let mut cols = std::mem::take(body);
                cols.sort();
                out.extend(cols);
                out.push(line.to_string());
                table_body = None;
            } else {
                body.push(line.trim_end_matches(',').to_string());
            }
            continue;
        }
        out.push(line.to_string());
        if line.starts_with("CREATE TABLE ") && line.ends_with('(') {
            table_body = Some(Vec::new());
        }
    }
    out.join("\n")
}

pub fn plan(db: &mut TestDb, desired: &Desired) -> Planned {
    // Rehearsed on the test's own rows too, so that the down steps must give the data back.
    plan_with(
        db,
        desired,
        &pipeline::PlanOptions {
            rehearse: true,
            rehearse_data: 1000,
            ..Default::default()
        },
    )
}

pub fn plan_with(db: &mut TestDb, desired: &Desired, options: &pipeline::PlanOptions) -> Planned {
    match pipeline::plan(db.client(), desired, shadow_server(), options) {
        Ok(p) => p,
        Err(e) => panic!("plan failed: {e}"),
    }
}

/// Applies the whole plan, recorded in the history (hooks run once: the second plan must not
/// run them again).
pub fn apply_plan(db: &mut TestDb, plan: &Plan) {
    let all: Vec<usize> = (0..plan.steps.len()).collect();
    history::ensure_tables(db.client()).unwrap();
    let journal = history::begin(
        db.client(),
        plan,
        &all,
        &["public".to_string()],
        &Default::default(),
    )
    .unwrap();
    if let Err(e) = apply::apply(
        db.client(),
        plan,
        &all,
        &Default::default(),
        Some(&journal),
        &mut |_| {},
    ) {
        panic!("apply failed: {e}\n--- plan:\n{}", plan.to_sql());
    }
}

/// The schemaplan binary with `args`, run from the repository, stdin closed, and none of the
/// environment that names a target (`DATABASE_URL`, the PG* target variables): each test
/// names its databases itself, whatever the shell that runs `cargo test` has set.
pub fn schemaplan_command(args: &[&str]) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_schemaplan"));
    cmd.args(args)
        .current_dir(repo_path(""))
        .stdin(Stdio::null());
    for var in [
        "DATABASE_URL",
        "PGHOST",
        "PGHOSTADDR",
        "PGDATABASE",
        "PGSERVICE",
        "PGUSER",
        // Inside GitHub Actions, `plan` would write its markdown to the job's summary.
        "GITHUB_ACTIONS",
        "GITHUB_STEP_SUMMARY",
    ] {
        cmd.env_remove(var);
    }
    // Its own clusters (an embedded target) of the version under test too.
    if let Some(dir) = server_bindir() {
        cmd.env(binaries::BINDIR_VAR, dir);
    }
    cmd
}

pub fn repo_path(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(rel)
}

/// Shows where two texts differ, for assertion messages.
pub fn text_diff(left: &str, right: &str) -> String {
    similar::TextDiff::from_lines(left, right)
        .unified_diff()
        .context_radius(2)
        .header("left", "right")
        .to_string()
}
