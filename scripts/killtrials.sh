#!/usr/bin/env bash
# Kill trials: `kill -9` at random moments of an apply, then the next apply, a rollback, and
# checks that nothing was lost. The apply (on 200,000 rows) keeps a dropped column's values in a
# backup, adds two backfilled columns (one then made NOT NULL), builds an index concurrently
# and changes a column's type (a rewrite).
#
# Each trial starts from a fresh copy of the same database and kills one of:
#   client  SIGKILL of the schemaplan process; the server process serving it finishes its
#           statement (a backfill block, an index build) on its own and then leaves
#   server  SIGKILL of the server process serving schemaplan (trials 1-4, 9-12, …: PostgreSQL
#           then ends every session and recovers) or of the postmaster (trials 5-8, 13-16, …:
#           the cluster is started again once its last process has gone; a server process busy
#           in a statement finishes it first, since it notices the postmaster's death only when
#           it waits)
# The moment, aimed in turn: while `CREATE INDEX CONCURRENTLY` runs; during the backfill's
# batches; during the type change's rewrite; at a time drawn uniformly over the apply's run
# (measured by a first apply that is not killed). Each aimed moment is a random delay after the
# statement is seen running. A draw that comes after the apply ended is drawn again. The table
# shows what the server process was doing when the kill came.
#
# After each kill: `apply` again (it must exit 0), then the checks
#   converged   `plan --exit-code` says no changes
#   NULLs       rows whose backfilled columns are still NULL (must be 0)
#   history     the completed steps recorded, in order, are the planned steps (kind, object,
#               SQL: `plan --out` before the trial), all in one completed run; any other run
#               completed nothing
#   rollback    `rollback` exits 0 and gives back the starting schema (pg_dump --schema-only,
#               normalised) and the starting rows (a checksum of every row)
#
# Usage: scripts/killtrials.sh
# Environment:
#   ROWS=200000        rows in orders
#   CLIENT_TRIALS=20   SERVER_TRIALS=20
#   SEED=13            seed of the random moments (bash's RANDOM)
#   PORT=55433         port of the throwaway cluster (unix socket only, in its own directory)
#   KEEP=1             keep the scratch directory (logs of every trial)
#   SCHEMAPLAN_BIN=…   use this binary instead of building target/release/schemaplan
#
# Needs the PostgreSQL 15 server binaries (pg_config --bindir), psql, pg_dump and python3. As
# root it runs the server as `postgres`.
set -euo pipefail
export LC_ALL=C

cd "$(dirname "$0")/.."

NAME=killtrials
ROWS=${ROWS:-200000}
CLIENT_TRIALS=${CLIENT_TRIALS:-20}
SERVER_TRIALS=${SERVER_TRIALS:-20}
SEED=${SEED:-13}
PORT=${PORT:-55433}
KEEP=${KEEP:-0}
RANDOM=$SEED

# shellcheck source=scripts/benchlib.sh
. scripts/benchlib.sh

bench_binary
SERVER_OPTIONS="-c max_connections=100"
bench_cluster "$SERVER_OPTIONS"

# The start command of bench_cluster, for starting the cluster again after its postmaster was
# killed: it refuses while a process of the old one is still attached to its shared memory.
restart_cluster() {
    local tries=0
    until as_server "$PGBIN/pg_ctl" -D "$PGDIR/data" -l "$PGDIR/server.log" -w -t 60 \
        -o "-p $PORT -c fsync=off -c listen_addresses='' -c unix_socket_directories=$PGDIR \
            -c log_lock_waits=on -c deadlock_timeout=100ms -c log_line_prefix='%m [%p] ' \
            $SERVER_OPTIONS" start >>"$RUN/pg_ctl.log" 2>&1; do
        tries=$((tries + 1))
        ((tries < 240)) || {
            log "the cluster did not start again"
            exit 1
        }
        sleep 0.5
    done
}

# Waits until the server accepts connections (after crash recovery).
wait_ready() {
    local tries=0
    until pg_isready -q -h "$PGDIR" -p "$PORT"; do
        tries=$((tries + 1))
        ((tries < 600)) || {
            log "the server did not come back"
            exit 1
        }
        sleep 0.1
    done
}

cat >"$RUN/start.sql" <<SQL
CREATE TABLE orders (
    id bigint PRIMARY KEY,
    customer integer NOT NULL,
    amount integer NOT NULL,
    legacy_note text
);
INSERT INTO orders
SELECT g, g % 1000, (g * 7) % 10000, CASE WHEN g % 3 = 0 THEN NULL ELSE 'note ' || g END
  FROM generate_series(1, $ROWS) g;
VACUUM ANALYZE orders;
SQL

cat >"$RUN/desired.yaml" <<'YAML'
schemas:
  public:
    tables:
      orders:
        columns:
          id: bigint
          customer: { type: integer, not_null: true }
          amount: { type: bigint, not_null: true }
          label: { type: text, backfill: "'order ' || id" }
          region: { type: integer, not_null: true, backfill: "customer % 7" }
        primary_key: [id]
        indexes:
          orders_customer_idx: { columns: [customer] }
YAML

DEV=$(dsn postgres)
sp_apply() { # DB [extra args…]
    "$BIN" apply --database-url "$(dsn "$1")" --desired "$RUN/desired.yaml" --dev-url "$DEV" \
        --yes --allow-hazards all "${@:2}"
}
# In the background, so that $! is schemaplan's own pid (a function would run in a subshell).
sp_apply_bg() { # DB OUTPUT
    "$BIN" apply --database-url "$(dsn "$1")" --desired "$RUN/desired.yaml" --dev-url "$DEV" \
        --yes --allow-hazards all >"$2" 2>&1 &
}
schema_of() {
    pg_dump --schema-only --no-owner --no-privileges --exclude-schema=schemaplan \
        --exclude-schema=schemaplan_backup -d "$(dsn "$1")" | python3 scripts/normalize_dump.py
}
rows_of() {
    q -At -d "$1" -c "SELECT count(*) || ' ' || md5(string_agg(j, E'\n' ORDER BY j))
                        FROM (SELECT to_jsonb(t)::text AS j FROM orders t) r"
}

log "the starting database: $ROWS rows"
q -d postgres -c "CREATE DATABASE kt_start"
q -d kt_start -f "$RUN/start.sql"
schema_of kt_start >"$RUN/start.schema"
rows_of kt_start >"$RUN/start.rows"
"$BIN" plan --database-url "$(dsn kt_start)" --desired "$RUN/desired.yaml" --dev-url "$DEV" \
    --out "$RUN/plan.json" >"$RUN/plan.txt"
python3 - "$RUN/plan.json" >"$RUN/planned.tsv" <<'PY'
import json, sys
plan = json.load(open(sys.argv[1]))["plan"]
for s in plan["steps"]:
    print(json.dumps([s["kind"], s["object"], s["up"]]))
PY
STEPS=$(wc -l <"$RUN/planned.tsv")
log "plan: $STEPS steps ($(head -1 "$RUN/plan.txt"))"

# Waits until schemaplan's session on DB runs a statement starting with PATTERN (at once for an
# empty one; gives up when the session has gone, or after a minute), then DELAY ms more, and
# returns the session as `pid|statement's first words|state wait event`. Done in the server: a
# loop of psql calls (50 ms and more each while the apply loads both cores) would miss an index
# build of a hundred-odd ms, and the kill comes right after this returns.
q -d postgres <<'SQL'
CREATE FUNCTION kt_at(db text, pattern text, delay_ms integer) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
    found text;
    deadline timestamptz := clock_timestamp() + interval '60 s';
BEGIN
    LOOP
        PERFORM pg_stat_clear_snapshot();
        EXIT WHEN pattern = '' OR EXISTS (
            SELECT FROM pg_stat_activity
             WHERE datname = db AND application_name = 'schemaplan' AND state = 'active'
               AND starts_with(query, pattern));
        IF clock_timestamp() > deadline OR NOT EXISTS (
            SELECT FROM pg_stat_activity WHERE datname = db AND application_name = 'schemaplan')
        THEN
            EXIT;
        END IF;
        PERFORM pg_sleep(0.001);
    END LOOP;
    PERFORM pg_sleep(delay_ms / 1000.0);
    PERFORM pg_stat_clear_snapshot();
    SELECT pid || '|' || coalesce(nullif(regexp_replace(left(query, 40), '\s+', ' ', 'g'), ''), '-')
           || '|' || state || ' ' || coalesce(wait_event, '-')
      INTO found
      FROM pg_stat_activity WHERE datname = db AND application_name = 'schemaplan'
     ORDER BY backend_start LIMIT 1;
    RETURN found;
END
$$;
SQL

fresh() { # DB
    q -d postgres -c "DROP DATABASE IF EXISTS $1 WITH (FORCE)" -c "CREATE DATABASE $1 TEMPLATE kt_start"
}

run_started() { # DB: whether the apply has recorded its run
    [[ $(q -At -d "$1" -c "SELECT count(*) FROM pg_catalog.pg_class
                             WHERE oid = pg_catalog.to_regclass('schemaplan.migrations')" 2>/dev/null) == 1 ]] &&
        [[ $(q -At -d "$1" -c "SELECT count(*) FROM schemaplan.migrations" 2>/dev/null) -ge 1 ]]
}

wait_for_run() { # DB PID
    while ! run_started "$1"; do
        kill -0 "$2" 2>/dev/null || return 1
        sleep 0.01
    done
}

# The baseline: an apply not killed, timed from its run's record to its end.
fresh kt_base
sp_apply_bg kt_base "$RUN/base.out"
base_pid=$!
wait_for_run kt_base $base_pid
t0=$EPOCHREALTIME
wait $base_pid
APPLY_MS=$(python3 -c "print(int(($EPOCHREALTIME - $t0) * 1000))")
log "an apply without a kill runs its steps in $APPLY_MS ms"
q -d postgres -c "DROP DATABASE kt_base WITH (FORCE)"

history_check() { # DB → "ok" or what differs
    q -At -d "$1" -c "SELECT json_build_array(kind, object, up)::text FROM schemaplan.migration_steps
                       WHERE status = 'completed' ORDER BY migration_id, position" >"$RUN/recorded.tsv"
    q -At -d "$1" -c "SELECT m.status || ' ' || m.steps_total || ' ' ||
                             (SELECT count(*) FROM schemaplan.migration_steps s
                               WHERE s.migration_id = m.id AND s.status = 'completed')
                        FROM schemaplan.migrations m ORDER BY m.id" >"$RUN/runs.txt"
    python3 - "$RUN/planned.tsv" "$RUN/recorded.tsv" "$RUN/runs.txt" "$STEPS" <<'PY'
import json, sys
planned = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
recorded = [json.loads(l) for l in open(sys.argv[2]) if l.strip()]
runs = [l.split() for l in open(sys.argv[3]) if l.strip()]
steps = int(sys.argv[4])
full = [r for r in runs if r == ["completed", str(steps), str(steps)]]
others_empty = all(r[2] == "0" for r in runs if r not in full)
if recorded != planned:
    print("steps differ")
elif len(full) != 1 or not others_empty:
    print("runs: " + "; ".join(" ".join(r) for r in runs))
else:
    print("ok")
PY
}

printf '%-5s %-7s %-9s %-64s %-6s %-30s %-9s %-5s %-8s %-8s\n' \
    trial victim aimed "server process at the kill" "done" "re-apply" converged NULLs history rollback \
    >"$RUN/table.txt"

pass=0
landed=0
pass_client=0
pass_server=0
trial=0
trial_run() { # VICTIM N
    local victim=$1 n=$2 db=kt_trial aimed moment done_at re rc conv nulls hist back ok
    trial=$((trial + 1))
    fresh $db
    case $((n % 4)) in
    1) aimed=index ;;
    2) aimed=backfill ;;
    3) aimed=retype ;;
    *) aimed=uniform ;;
    esac
    # A kill that would come after the apply ended is no trial: draw the moment again.
    local attempt pid backend
    for attempt in 1 2 3 4 5 6; do
        ((attempt == 1)) || fresh $db
        sp_apply_bg $db "$RUN/trial$trial.first.out"
        pid=$!
        wait_for_run $db $pid || true
        local pattern='' within=0
        case $aimed in
        index) pattern='CREATE INDEX CONCURRENTLY' within=100 ;;
        backfill) pattern='DO $schemaplan$' within=4000 ;;
        retype) pattern='ALTER TABLE public.orders ALTER COLUMN amount' within=150 ;;
        esac
        # Somewhere inside it: the index build and the rewrite take a few hundred ms, the
        # backfill seconds; or anywhere in the run.
        local delay=$((RANDOM % (within > 0 ? within : 1)))
        [[ $aimed == uniform ]] && delay=$((RANDOM * APPLY_MS * 9 / 10 / 32768))
        backend=$(q -At -d postgres -c "SELECT kt_at('$db', '$pattern', $delay)" 2>/dev/null || true)
        kill -0 $pid 2>/dev/null && break
        wait $pid || true
    done
    moment=$(echo "$backend" | cut -d'|' -f2- | tr '|' ' ' | sed -e 's/DO \$schemaplan\$ DECLARE pages bigint/backfill block/' \
        -e 's/^CREATE INDEX CONCURRENTLY [^ ]*/CREATE INDEX CONCURRENTLY/' \
        -e 's/^ALTER TABLE public.orders ALTER COLUMN a*/ALTER COLUMN amount TYPE bigint/')
    [[ -n $moment ]] || moment="(no session)"
    if kill -0 $pid 2>/dev/null; then landed=$((landed + 1)); else moment="(apply had ended)"; fi
    if [[ $victim == client ]]; then
        kill -KILL $pid 2>/dev/null || true
        wait $pid 2>/dev/null || true
    else
        local server_pid=${backend%%|*}
        if (((n - 1) / 4 % 2 == 1)); then
            server_pid=$(as_server head -1 "$PGDIR/data/postmaster.pid")
            moment="postmaster: $moment"
        fi
        [[ -n $server_pid ]] && kill -KILL "$server_pid" 2>/dev/null || true
        if (((n - 1) / 4 % 2 == 1)); then
            restart_cluster
        fi
        wait_ready
        wait $pid 2>/dev/null || true
    fi
    wait_ready
    done_at=$(q -At -d $db -c "SELECT count(*) FROM schemaplan.migration_steps WHERE status = 'completed'" 2>/dev/null || echo "?")
    # What a kill in the middle of the index build leaves: the index, INVALID.
    if [[ $(q -At -d $db -c "SELECT count(*) FROM pg_index WHERE indrelid = 'orders'::regclass
                                AND NOT indisvalid" 2>/dev/null) != 0 ]]; then
        moment="$moment +INVALID index"
    fi
    rc=0
    sp_apply $db >"$RUN/trial$trial.again.out" 2>&1 || rc=$?
    if grep -q "^Continuing run" "$RUN/trial$trial.again.out"; then
        re="continued"
        grep -q "in place already" "$RUN/trial$trial.again.out" && re="continued, 1 in place"
    elif grep -q "^Applying to" "$RUN/trial$trial.again.out"; then
        re="new run"
    elif grep -q "^No changes" "$RUN/trial$trial.again.out"; then
        re="no changes"
    else
        re="?"
    fi
    re="$re (exit $rc)"
    conv=no
    "$BIN" plan --database-url "$(dsn $db)" --desired "$RUN/desired.yaml" --dev-url "$DEV" \
        --no-rehearse --exit-code >"$RUN/trial$trial.plan.out" 2>&1 && conv=yes
    nulls=$(q -At -d $db -c "SELECT count(*) FROM orders WHERE label IS NULL OR region IS NULL" 2>/dev/null || echo "?")
    hist=$(history_check $db 2>/dev/null || echo "?")
    back=no
    if "$BIN" rollback --database-url "$(dsn $db)" --yes --allow-hazards all \
        >"$RUN/trial$trial.rollback.out" 2>&1 &&
        [[ $(schema_of $db) == "$(cat "$RUN/start.schema")" ]] &&
        [[ $(rows_of $db) == "$(cat "$RUN/start.rows")" ]]; then
        back=exact
    fi
    printf '%-5s %-7s %-9s %-64s %-6s %-30s %-9s %-5s %-8s %-8s\n' \
        "$trial" "$victim" "$aimed" "${moment:0:64}" "$done_at/$STEPS" "$re" "$conv" "$nulls" "$hist" "$back" \
        | tee -a "$RUN/table.txt"
    ok=0
    [[ $rc == 0 && $conv == yes && $nulls == 0 && $hist == ok && $back == exact ]] && ok=1
    if ((ok)); then
        pass=$((pass + 1))
        if [[ $victim == client ]]; then pass_client=$((pass_client + 1)); else pass_server=$((pass_server + 1)); fi
    fi
}

head -1 "$RUN/table.txt"
for ((i = 1; i <= CLIENT_TRIALS; i++)); do trial_run client "$i"; done
for ((i = 1; i <= SERVER_TRIALS; i++)); do trial_run server "$i"; done

total=$((CLIENT_TRIALS + SERVER_TRIALS))
{
    echo
    echo "rows: $ROWS   steps: $STEPS   apply without a kill: $APPLY_MS ms   seed: $SEED"
    echo "client kills: $pass_client of $CLIENT_TRIALS passed every check"
    echo "server kills: $pass_server of $SERVER_TRIALS passed every check"
    echo "kills that landed while the apply ran: $landed of $total"
    echo "all: $pass of $total"
} | tee -a "$RUN/table.txt"
[[ $KEEP == 1 ]] && log "table: $RUN/table.txt"
((pass == total && landed == total))
