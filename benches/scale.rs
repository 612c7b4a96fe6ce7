//! Scale benchmark: synthetic schemas of N tables (columns, primary key, index, foreign key,
//! check, and a view for every tenth table), measured for `inspect` and a no-op `plan`, with the
//! number of catalog queries each needs, next to `pg_dump --schema-only` of the same database and
//! the time PostgreSQL takes to run the schema's own SQL (the floor for the shadow database, which
//! creates the same objects).
//!
//! Run: `cargo bench --bench scale` (sizes 1000 and 10000), or
//! `cargo bench --bench scale -- 500 2000` for other sizes. `scripts/bench.sh` wraps this.

use std::process::Command;
use std::sync::Arc;
use std::time::{Duration, Instant};

use schemaplan::pg::cluster::EmbeddedCluster;
use schemaplan::pg::db::Server;
use schemaplan::{pg::introspect, pipeline, yaml, yaml::emit};

fn synthetic_schema(tables: usize) -> String {
    let mut sql = String::from("CREATE TYPE state AS ENUM ('new', 'active', 'closed');\n");
    for i in 0..tables {
        sql.push_str(&format!(
            "CREATE TABLE t{i} (
                id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                parent_id bigint{parent},
                name varchar(100) NOT NULL,
                state state NOT NULL DEFAULT 'new',
                amount numeric(12,2) NOT NULL DEFAULT 0 CHECK (amount >= 0),
                tags text[] NOT NULL DEFAULT '{{}}',
                created_at timestamptz NOT NULL DEFAULT now()
            );
            CREATE INDEX t{i}_name_idx ON t{i} (lower(name)) WHERE state <> 'closed';
            COMMENT ON TABLE t{i} IS 'synthetic table {i}';\n",
            parent = if i == 0 {
                String::new()
            } else {
                format!(" REFERENCES t{} (id)", i - 1)
            }
        ));
        if i % 10 == 9 {
            sql.push_str(&format!(
                "CREATE VIEW v{i} AS SELECT a.id, a.name, b.amount FROM t{i} a JOIN t{p} b ON b.id = a.parent_id WHERE a.state IN ('new', 'active');\n",
                p = i - 1
            ));
        }
    }
    sql
}

fn timed<T>(f: impl FnOnce() -> T) -> (T, Duration) {
    let start = Instant::now();
    let out = f();
    (out, start.elapsed())
}

fn main() {
    let sizes: Vec<usize> = std::env::args()
        .skip(1)
        .filter_map(|a| a.parse().ok())
        .collect();
    let sizes = if sizes.is_empty() {
        vec![1000, 10000]
    } else {
        sizes
    };
    let cluster = Arc::new(EmbeddedCluster::start().expect("start an embedded cluster"));
    let bindir = cluster.bindir().to_path_buf();
    let server = Server::embedded(cluster).expect("prepare the embedded cluster");
    println!(
        "{:>7} | {:>10} {:>8} | {:>10} {:>8} | {:>10} | {:>10} | {:>6}",
        "tables",
        "inspect",
        "queries",
        "no-op plan",
        "queries",
        "pg_dump -s",
        "create SQL",
        "steps"
    );
    for n in sizes {
        let mut db = server.scratch_database("bench").expect("scratch database");
        let script = synthetic_schema(n);
        let ((), create_time) = timed(|| {
            let statements: Vec<&str> = script.split_inclusive(";\n").collect();
            for chunk in statements.chunks(2000) {
                db.client()
                    .batch_execute(&chunk.concat())
                    .expect("create the synthetic schema");
            }
        });
        db.client().batch_execute("ANALYZE").expect("analyze");

        let schemas = vec!["public".to_string()];
        let (inspected, inspect_time) = timed(|| {
            let i = introspect::introspect(db.client(), &schemas).expect("introspect");
            let yaml = emit::to_yaml(&i.catalog);
            (i.queries, yaml)
        });
        let (inspect_queries, yaml) = inspected;

        let (planned, plan_time) = timed(|| {
            let desired = yaml::load_sources(&[("bench.yaml".into(), yaml.clone())])
                .expect("inspected YAML loads");
            pipeline::plan(db.client(), &desired, &server, &Default::default()).expect("plan")
        });
        let plan_queries = planned.current.queries + planned.desired.queries;
        assert!(
            planned.plan.is_empty(),
            "a no-op plan has steps:\n{}",
            planned.plan.to_sql()
        );

        let conninfo = db.conninfo();
        let (dump, dump_time) = timed(|| {
            Command::new(bindir.join("pg_dump"))
                .args(["--schema-only", "-d", &conninfo])
                .output()
                .expect("pg_dump")
        });
        assert!(dump.status.success());
        if std::env::var_os("BENCH_PHASES").is_some() {
            for (phase, d) in &planned.timings {
                eprintln!("    {phase:<32} {:>8.2}s", d.as_secs_f64());
            }
        }
        println!(
            "{n:>7} | {:>9.2}s {inspect_queries:>8} | {:>9.2}s {plan_queries:>8} | {:>9.2}s | {:>9.2}s | {:>6}",
            inspect_time.as_secs_f64(),
            plan_time.as_secs_f64(),
            dump_time.as_secs_f64(),
            create_time.as_secs_f64(),
            planned.plan.steps.len()
        );
    }
}
