#!/usr/bin/env bash
# GitLab's real schema (../shared/corpus/gitlab, MIT, schema only) through schemaplan:
#  1. `inspect` of structure.sql next to `pg_dump --schema-only` of the same database (3 runs each);
#  2. inspect → YAML → `plan` against the same database: must be empty;
#  3. the real upgrade pair: init_structure.sql is loaded, structure.sql's YAML applied to it with
#     `--allow-hazards all` (phase times from `--timings`), then a second plan must be empty and
#     `pg_dump --schema-only` of both databases must match, column order aside.
# Usage: scripts/gitlabbench.sh [CORPUS_DIR]   (KEEP=1 keeps the scratch directory)
set -euo pipefail
cd "$(dirname "$0")/.."
NAME=gitlabbench PORT=${PORT:-54329} KEEP=${KEEP:-0}
# shellcheck source=scripts/benchlib.sh
source scripts/benchlib.sh
CORPUS=${1:-../shared/corpus/gitlab}
[[ -f $CORPUS/structure.sql && -f $CORPUS/init_structure.sql ]] || {
    echo "no GitLab corpus in $CORPUS" >&2
    exit 1
}

bench_binary
bench_cluster ""

seconds() { python3 -c "import sys; print(f'{float(sys.argv[2]) - float(sys.argv[1]):.2f}')" "$1" "$2"; }

load() { # DB FILE
    q -c "CREATE DATABASE $1"
    local t0=$EPOCHREALTIME
    q -d "$1" -f "$2" >"$RUN/load_$1.log"
    log "loaded $(basename "$2") into $1 in $(seconds "$t0" "$EPOCHREALTIME") s"
}
load gl_new "$CORPUS/structure.sql"
load gl_old "$CORPUS/init_structure.sql"
q -d gl_new -Atc "SELECT 'new schema: ' || count(*) FILTER (WHERE relkind IN ('r', 'p')) || ' tables (' ||
    count(*) FILTER (WHERE relispartition AND relkind IN ('r', 'p')) || ' partitions), ' || count(*) FILTER (WHERE relkind = 'i') ||
    ' indexes' FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast')" >&2

log "1. inspect vs pg_dump --schema-only (gl_new)"
for run in 1 2 3; do
    t0=$EPOCHREALTIME
    "$BIN" inspect --database-url "$(dsn gl_new)" --output "$RUN/new.yaml"
    t1=$EPOCHREALTIME
    pg_dump --schema-only -d gl_new -f "$RUN/new.dump.sql"
    t2=$EPOCHREALTIME
    log "run $run: inspect $(seconds "$t0" "$t1") s, pg_dump --schema-only $(seconds "$t1" "$t2") s"
done
log "YAML: $(wc -c <"$RUN/new.yaml") bytes, $(wc -l <"$RUN/new.yaml") lines"

log "2. inspect → YAML → plan against the same database"
"$BIN" plan --database-url "$(dsn gl_new)" --desired "$RUN/new.yaml" --timings \
    >"$RUN/roundtrip.plan" 2>"$RUN/roundtrip.err" || {
    cat "$RUN/roundtrip.err" >&2
    exit 1
}
grep '^timing' "$RUN/roundtrip.err" >&2 || true
if grep -q '^No changes' "$RUN/roundtrip.plan"; then
    log "round trip: no changes"
else
    log "round trip: the plan is NOT empty:"
    head -40 "$RUN/roundtrip.plan" >&2
    exit 1
fi

log "3. upgrade: init_structure.sql → structure.sql"
t0=$EPOCHREALTIME
"$BIN" apply --database-url "$(dsn gl_old)" --desired "$RUN/new.yaml" --allow-hazards all --yes \
    --timings >"$RUN/upgrade.out" 2>"$RUN/upgrade.err" || {
    tail -n 40 "$RUN/upgrade.out" >&2
    tail -n 40 "$RUN/upgrade.err" >&2
    exit 1
}
log "apply exited 0 after $(seconds "$t0" "$EPOCHREALTIME") s: $(grep -c '^\[[0-9]*/' "$RUN/upgrade.out" || true) steps"
grep '^timing' "$RUN/upgrade.err" >&2 || true
grep -E '^(Applied|Rehearsal)' "$RUN/upgrade.out" >&2 || true
"$BIN" plan --database-url "$(dsn gl_old)" --desired "$RUN/new.yaml" >"$RUN/second.plan" 2>&1
if grep -q '^No changes' "$RUN/second.plan"; then
    log "second plan: no changes"
else
    log "second plan is NOT empty:"
    head -40 "$RUN/second.plan" >&2
    exit 1
fi
# schemaplan's own history and backups are not part of GitLab's schema.
for db in gl_new gl_old; do
    pg_dump --schema-only -N schemaplan -N schemaplan_backup -d "$db" | python3 scripts/normalize_dump.py >"$RUN/$db.normal.sql"
done
if diff -u "$RUN/gl_new.normal.sql" "$RUN/gl_old.normal.sql" >"$RUN/dump.diff"; then
    log "pg_dump --schema-only: identical, column order aside ($(wc -l <"$RUN/gl_new.normal.sql") lines)"
else
    log "pg_dump --schema-only differs: $(grep -c '^[-+][^-+]' "$RUN/dump.diff") lines (see $RUN/dump.diff; KEEP=1 keeps it)"
    head -60 "$RUN/dump.diff" >&2
    exit 1
fi
