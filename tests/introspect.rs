//! The catalog read on helper sessions that share the reading transaction's snapshot
//! (`introspect::Sessions`) is the catalog the one-session read gives, object for object and in
//! `inspect`'s YAML; and a read whose helpers cannot be had (refused connections, a snapshot
//! that cannot be exported or imported) is the one-session read, without a word.

use schemaplan::pg::conn::{Env, Target};
use schemaplan::pg::introspect::{self, Introspection, Sessions};
use schemaplan::yaml::emit;

use crate::harness::{TestDb, server};

/// Something of every kind the helpers read for the builder (columns of tables, views and
/// materialized views with defaults, identity, generation, collations, comments; partitions
/// stricter than their parent; inherited columns; `pg_depend` between all of them) and of
/// the kinds resolved through the columns they read (triggers `UPDATE OF`, column grants,
/// identity sequence grants), with enough tables that the rows arrive in many messages.
const SCHEMA: &str = "
CREATE SCHEMA app;
CREATE TYPE app.mood AS ENUM ('sad', 'ok', 'happy');
CREATE TYPE app.pair AS (a int, b text COLLATE \"C\");
CREATE DOMAIN app.posint AS int CHECK (VALUE > 0);
CREATE TABLE app.parent (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name text COLLATE \"C\" NOT NULL DEFAULT 'x',
    mood app.mood,
    created timestamptz DEFAULT now(),
    twice bigint GENERATED ALWAYS AS (id * 2) STORED,
    pair app.pair
);
COMMENT ON COLUMN app.parent.name IS 'the name';
ALTER TABLE app.parent ALTER COLUMN name SET STATISTICS 200;
CREATE TABLE app.child (extra int NOT NULL) INHERITS (app.parent);
CREATE TABLE app.events (id bigint NOT NULL, at date NOT NULL, note text) PARTITION BY RANGE (at);
CREATE TABLE app.events_2024 PARTITION OF app.events
    FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
ALTER TABLE app.events_2024 ALTER COLUMN note SET NOT NULL;
CREATE INDEX ON app.events (at);
CREATE TABLE app.items (
    id serial PRIMARY KEY,
    parent_id bigint REFERENCES app.parent (id),
    qty app.posint CHECK (qty < 100),
    tags text[] DEFAULT '{}'
);
CREATE INDEX items_lower ON app.items (lower(tags[1])) WHERE qty > 1;
CREATE VIEW app.v AS SELECT p.id, p.name, i.qty FROM app.parent p JOIN app.items i ON i.parent_id = p.id;
ALTER VIEW app.v ALTER COLUMN qty SET DEFAULT 1;
COMMENT ON COLUMN app.v.name IS 'a column of a view';
CREATE MATERIALIZED VIEW app.mv AS SELECT id, name FROM app.v;
CREATE INDEX ON app.mv (id);
COMMENT ON COLUMN app.mv.id IS 'a column of a materialized view';
CREATE FUNCTION app.touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;
CREATE TRIGGER items_touch BEFORE UPDATE OF qty, tags ON app.items
    FOR EACH ROW EXECUTE FUNCTION app.touch();
GRANT SELECT (name), UPDATE (mood) ON app.parent TO PUBLIC;
GRANT USAGE ON SEQUENCE app.parent_id_seq TO PUBLIC;
CREATE STATISTICS app.parent_stats ON id, name FROM app.parent;
DO $$ BEGIN
    FOR i IN 1..60 LOOP
        EXECUTE format('CREATE TABLE public.t%s (id bigserial PRIMARY KEY, ref bigint REFERENCES app.parent (id),
                        at timestamptz NOT NULL DEFAULT now(), body text)', i);
        EXECUTE format('CREATE VIEW public.v%s AS SELECT id, body FROM public.t%s WHERE ref IS NOT NULL', i, i);
    END LOOP;
END $$;
";

fn schemas() -> Vec<String> {
    vec!["app".to_string(), "public".to_string()]
}

/// Helpers to `db` as the session's own user, from the first relation on.
fn helpers_to(db: &TestDb) -> Sessions {
    Sessions::to(&db.db.target()).from_relations(0)
}

/// Panics unless `with_helpers` holds what `alone` holds.
fn assert_same(alone: &Introspection, with_helpers: &Introspection) {
    assert_eq!(alone.sessions, 1);
    assert!(
        alone.catalog == with_helpers.catalog,
        "the catalogs differ; YAML of the one-session read (-) and with helpers (+):\n{}",
        crate::harness::text_diff(
            &emit::to_yaml(&alone.catalog),
            &emit::to_yaml(&with_helpers.catalog)
        )
    );
    assert_eq!(
        emit::to_yaml(&alone.catalog),
        emit::to_yaml(&with_helpers.catalog)
    );
    assert_eq!(alone.casts, with_helpers.casts);
    assert_eq!(alone.unsupported, with_helpers.unsupported);
    assert_eq!(
        alone.queries, with_helpers.queries,
        "a fixed number of queries"
    );
    assert_eq!(
        (&alone.role, alone.role_bypasses_rls, alone.server_version),
        (
            &with_helpers.role,
            with_helpers.role_bypasses_rls,
            with_helpers.server_version
        )
    );
}

#[test]
fn helpers_read_the_catalog_one_session_reads() {
    let mut db = TestDb::fresh();
    db.execute(SCHEMA);
    let schemas = schemas();
    let alone = introspect::introspect(db.client(), &schemas).expect("read alone");
    assert!(
        alone.catalog.deps.len() > 300 && alone.catalog.tables.len() > 60,
        "a schema worth reading: {} tables, {} dependencies",
        alone.catalog.tables.len(),
        alone.catalog.deps.len()
    );
    for helpers in [1, 2] {
        let more = helpers_to(&db).helpers(helpers);
        let shared = introspect::introspect_with(db.client(), Some(&more), &schemas)
            .expect("read with helpers");
        assert_eq!(shared.sessions, 1 + helpers, "every helper took part");
        assert_same(&alone, &shared);
    }
    // `inspect`'s read, without `pg_depend`: one share, so one helper whatever is allowed.
    let objects = introspect::introspect_objects(db.client(), &schemas).expect("read alone");
    let more = helpers_to(&db).helpers(2);
    let shared = introspect::introspect_objects_with(db.client(), Some(&more), &schemas)
        .expect("read with a helper");
    assert_eq!(shared.sessions, 2);
    assert!(shared.catalog.deps.is_empty());
    assert_same(&objects, &shared);
}

#[test]
fn helpers_read_the_snapshot_of_the_reading_session() {
    let mut db = TestDb::fresh();
    db.execute(SCHEMA);
    let before = introspect::introspect(db.client(), &schemas()).expect("read alone");
    // Helpers are opened once the reading transaction has its snapshot: a column added before
    // the helper begins is after that snapshot, and none of the reads may see it.
    let target = db.db.target();
    let more = Sessions::new(move || {
        let mut other = target.connect().ok()?.client;
        (other.batch_execute(
            "ALTER TABLE app.parent ADD COLUMN late int; CREATE TABLE app.later ()",
        ))
        .expect("change the schema meanwhile");
        Some(target.connect().ok()?.client)
    })
    .from_relations(0);
    let shared = introspect::introspect_with(db.client(), Some(&more), &schemas()).unwrap();
    assert_eq!(shared.sessions, 2);
    assert_same(&before, &shared);
    let after = introspect::introspect(db.client(), &schemas()).expect("read alone");
    assert!(
        after.catalog.tables[&schemaplan::model::QualName::new("app", "parent")]
            .column("late")
            .is_some()
    );
}

#[test]
fn a_small_catalog_is_read_without_helpers() {
    let mut db = TestDb::fresh();
    db.execute("CREATE TABLE t (id int PRIMARY KEY)");
    let more = Sessions::to(&db.db.target());
    let read = introspect::introspect_with(db.client(), Some(&more), &schemas()).unwrap();
    assert_eq!(read.sessions, 1, "a helper costs more than it saves");
}

/// A role of the test cluster that may log in, made once (roles are the cluster's).
fn role(name: &str, options: &str) -> Target {
    let mut admin = postgres::Client::connect(&server().maintenance_conninfo(), postgres::NoTls)
        .expect("connect to the test cluster");
    admin
        .batch_execute(&format!(
            "DO $$ BEGIN CREATE ROLE {name} LOGIN {options}; \
             EXCEPTION WHEN duplicate_object THEN NULL; END $$"
        ))
        .unwrap();
    Target::parse(
        &format!("{} user={name}", server().maintenance_conninfo()),
        &Env::from_process(),
    )
    .unwrap()
}

/// Reads `db` as the role `target` names, alone and with `more`'s helpers (which cannot be
/// had), and checks that both reads are the same one-session read and that the session is
/// usable afterwards.
fn falls_back(db: &TestDb, target: &Target, more: &Sessions) {
    let target = target.with_dbname(&db.db.name);
    let mut client = target.connect().expect("connect as the role").client;
    let alone = introspect::introspect(&mut client, &schemas()).expect("read alone");
    let fallen = introspect::introspect_with(&mut client, Some(more), &schemas())
        .expect("the read goes on alone");
    assert_eq!(fallen.sessions, 1, "no helper could be had");
    assert_same(&alone, &fallen);
    let row = client
        .query_one("SELECT 1", &[])
        .expect("the session is usable");
    assert_eq!(row.get::<_, i32>(0), 1);
}

#[test]
fn refused_helpers_leave_the_read_to_one_session() {
    let mut db = TestDb::fresh();
    db.execute(SCHEMA);
    // The role's one connection is the reading session's: its helpers are refused
    // (too many connections for role), as they are on a server at max_connections.
    let limited = role("introspect_one_connection", "CONNECTION LIMIT 1");
    let more = Sessions::to(&limited.with_dbname(&db.db.name)).from_relations(0);
    falls_back(&db, &limited, &more);
}

#[test]
fn a_snapshot_not_exported_leaves_the_read_to_one_session() {
    let mut db = TestDb::fresh();
    db.execute(SCHEMA);
    // pg_proc is the database's own: the revoke holds in this test's database alone. The
    // failed export ends the reading transaction, which begins again.
    db.execute("REVOKE EXECUTE ON FUNCTION pg_catalog.pg_export_snapshot() FROM PUBLIC");
    let plain = role("introspect_no_export", "");
    let more = Sessions::to(&plain.with_dbname(&db.db.name)).from_relations(0);
    falls_back(&db, &plain, &more);
}

#[test]
fn a_snapshot_not_imported_leaves_the_read_to_one_session() {
    let mut db = TestDb::fresh();
    db.execute(SCHEMA);
    // A helper on another database cannot import the snapshot.
    let elsewhere = db.db.target().with_dbname("postgres");
    let more = Sessions::new(move || elsewhere.connect().ok().map(|c| c.client)).from_relations(0);
    falls_back(&db, &db.db.target(), &more);
}
