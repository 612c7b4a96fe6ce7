//! PostgreSQL versions (issue 15): the embedded shadow runs the target's major version, found
//! where schemaplan looks for server binaries (`scripts/pg-versions.sh`'s cache included).

use std::sync::Arc;

use schemaplan::pg::binaries;
use schemaplan::pg::cluster::{ClusterOptions, EmbeddedCluster};
use schemaplan::pg::db::Server;

use crate::harness::schemaplan_command;

/// A function each major version added, to tell a shadow of that version from an older one.
const NEW_IN: [(u32, &str); 5] = [
    (14, "date_bin('1 hour', now(), now())"),
    (15, "regexp_count('aa', 'a')"),
    (16, "pg_input_is_valid('1', 'integer')"),
    (17, "uuid_extract_version(gen_random_uuid())"),
    (18, "uuidv7()"),
];

/// A running server of the first major version newer than the binaries found first, and a
/// function only that version has.
struct NewerTarget {
    first_major: u32,
    major: u32,
    server: Server,
    function: &'static str,
}

fn newer_target() -> NewerTarget {
    let first = binaries::find_bindir().expect("PostgreSQL server binaries");
    let first_major = binaries::server_major(&first).expect("their version");
    let (major, bindir, function) = NEW_IN
        .iter()
        .filter(|(m, _)| *m > first_major)
        .find_map(|(m, f)| Some((*m, binaries::for_major(*m).ok()?, *f)))
        .unwrap_or_else(|| {
            panic!(
                "this test needs the server binaries of a newer major version than \
                 {first_major} ({}): run scripts/pg-versions.sh",
                first.display()
            )
        });
    let cluster = EmbeddedCluster::start_with(ClusterOptions {
        bindir: Some(bindir),
        ..ClusterOptions::default()
    })
    .expect("start a target cluster");
    let server = Server::embedded(Arc::new(cluster)).expect("prepare the target cluster");
    NewerTarget {
        first_major,
        major,
        server,
        function,
    }
}

/// A desired state of one view calling `function`, written in `dir`.
fn desired_view(dir: &std::path::Path, function: &str) -> std::path::PathBuf {
    let desired = dir.join("desired.yaml");
    std::fs::write(
        &desired,
        format!("schemas:\n  public:\n    views:\n      v: SELECT {function} AS x\n"),
    )
    .unwrap();
    desired
}

/// A target on a newer major version than the binaries found first (those a shadow ran on
/// before it followed the target): a view using a function only that version has plans, so
/// the shadow that built it was of the target's version.
#[test]
fn the_embedded_shadow_runs_the_targets_major_version() {
    let NewerTarget {
        first_major,
        major,
        server: target,
        function,
    } = newer_target();
    let db = target
        .scratch_database("target")
        .expect("a target database");
    let dir = tempfile::tempdir().unwrap();
    let desired = desired_view(dir.path(), function);
    let out = schemaplan_command(&[
        "plan",
        "--desired",
        desired.to_str().unwrap(),
        "--database-url",
        &db.conninfo(),
    ])
    .output()
    .expect("run schemaplan");
    let (stdout, stderr) = (
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr),
    );
    assert!(
        out.status.success() && stdout.contains("CREATE VIEW public.v"),
        "a PostgreSQL {major} target with {first_major} found first:\n{stdout}\n{stderr}"
    );
}

/// A target of a major version no local binaries are of (the cache pointed at an empty folder,
/// so only the distribution's are found): `plan` refuses, naming the version and `--dev-url`,
/// rather than shadow on another version; given `--dev-url` to a server of that version, it
/// plans there.
#[test]
fn without_the_targets_binaries_plan_asks_for_a_dev_url() {
    let NewerTarget {
        first_major,
        major,
        server,
        function,
    } = newer_target();
    let target = server
        .scratch_database("target")
        .expect("a target database");
    let dev = server.scratch_database("dev").expect("a dev database");
    let dir = tempfile::tempdir().unwrap();
    let desired = desired_view(dir.path(), function);
    let empty_cache = dir.path().join("no-cache");
    std::fs::create_dir(&empty_cache).unwrap();
    let run = |extra: &[&str]| {
        let mut args = vec![
            "plan",
            "--desired",
            desired.to_str().unwrap(),
            "--database-url",
        ];
        let url = target.conninfo();
        args.push(&url);
        args.extend_from_slice(extra);
        let out = schemaplan_command(&args)
            .env(binaries::CACHE_VAR, &empty_cache)
            .env_remove(binaries::BINDIR_VAR)
            .output()
            .expect("run schemaplan");
        let text = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        (out.status.success(), text)
    };
    let (ok, text) = run(&[]);
    assert!(
        !ok && text.contains(&format!("the target runs PostgreSQL {major}"))
            && text.contains("--dev-url"),
        "a PostgreSQL {major} target with only {first_major} binaries here:\n{text}"
    );
    let dev_url = dev.conninfo();
    let (ok, text) = run(&["--dev-url", &dev_url]);
    assert!(
        ok && text.contains("CREATE VIEW public.v"),
        "with --dev-url to a PostgreSQL {major} server:\n{text}"
    );
}

/// A second embedded cluster starts from a copy of the data directory the first one's initdb
/// wrote (the template kept in the cache), not from initdb of its own: both carry the system
/// identifier initdb drew at random, and a cluster with another cache has another one.
#[test]
fn a_cluster_starts_from_the_template_the_first_one_kept() {
    let cache = tempfile::tempdir().unwrap();
    let elsewhere = tempfile::tempdir().unwrap();
    let start = |dir: &std::path::Path| {
        EmbeddedCluster::start_with(ClusterOptions {
            template_cache: Some(dir.to_path_buf()),
            ..crate::harness::cluster_options()
        })
        .expect("start a cluster")
    };
    let system_id = |cluster: &EmbeddedCluster| -> String {
        let mut client =
            postgres::Client::connect(&cluster.conninfo("postgres"), postgres::NoTls).unwrap();
        client
            .query_one(
                "SELECT system_identifier::text FROM pg_catalog.pg_control_system()",
                &[],
            )
            .unwrap()
            .get(0)
    };
    let first = system_id(&start(cache.path()));
    let second = system_id(&start(cache.path()));
    let other = system_id(&start(elsewhere.path()));
    assert_eq!(
        first, second,
        "the second cluster did not start from the template"
    );
    assert_ne!(
        first, other,
        "a cluster with another cache shares a template"
    );
    let templates = std::fs::read_dir(cache.path().join("templates")).unwrap();
    assert_eq!(
        templates.count(),
        1,
        "one template per server build and user"
    );
}
