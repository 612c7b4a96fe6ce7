#!/usr/bin/env bash
# Wedding benchmark: the whole seed-000 migration (schema/*.yaml, with the data hooks of
# schema/hooks.yaml) applied by `schemaplan apply` to the legacy wedding database
# (schema/legacy/wedding.sql filled by scripts/wedding_data.sql) while a pgbench writer updates
# tenants and reads wedding_invitations; then `schemaplan rollback`. Reports:
#   - data generation time and table sizes;
#   - the apply's wall time, each step's time, and per hook (schemaplan.hooks) its rows,
#     batches, seconds and rows/s;
#   - the writer during the apply: transactions, failures, p99 and longest latency (the longest
#     lock wait it saw), with the apply step each of its longest transactions ran during;
#   - a baseline on a copy of the database taken before the apply: the same migration with every
#     hook as ONE statement (batch size 1,000,000,000), no writer; hook rows/s compared;
#   - zero loss: per-field checksums of the legacy data (scripts/wedding_fields_legacy.sql) equal
#     those read from the generic tables after the apply (scripts/wedding_fields_migrated.sql);
#   - the rollback's wall time, and a checksum of every legacy table's full data equal to the one
#     taken before the apply.
# Ends with a Markdown summary; exits non-zero when an apply or rollback fails or a checksum
# differs.
#
# Usage: scripts/weddingbench.sh
# Environment:
#   INVITATIONS=100000  wedding invitations (tenants: max(3, INVITATIONS / 40))
#   GUESTS=1000000      wedding guests
#   TEMPLATES=1000      wedding templates
#   CLIENTS=4           pgbench writer clients (THREADS=2 pgbench threads)
#   RATE=200            writer transactions per second, all clients together (pgbench --rate);
#                       0: as fast as it can (competes with the apply for the CPUs)
#   LEAD=3 TAIL=2       seconds of writer load before the apply starts / after it ends
#   LOCK_TIMEOUT=2s     schemaplan apply/rollback --lock-timeout
#   SHARED_BUFFERS=1GB  shared_buffers of the throwaway cluster
#   PORT=54330          port of the throwaway cluster (unix socket only)
#   KEEP=1              keep the scratch directory (logs, checksum files) instead of removing it
#   SCHEMAPLAN_BIN=…    use this binary instead of building target/release/schemaplan
#
# Needs the PostgreSQL 15 server binaries (pg_config --bindir), pgbench, psql and python3. It
# starts its own throwaway cluster (removed on exit); as root it runs the server as `postgres`.
set -euo pipefail
export LC_ALL=C

cd "$(dirname "$0")/.."

INVITATIONS=${INVITATIONS:-100000}
GUESTS=${GUESTS:-1000000}
TEMPLATES=${TEMPLATES:-1000}
CLIENTS=${CLIENTS:-4}
THREADS=${THREADS:-2}
RATE=${RATE:-200}
LEAD=${LEAD:-3}
TAIL=${TAIL:-2}
LOCK_TIMEOUT=${LOCK_TIMEOUT:-2s}
SHARED_BUFFERS=${SHARED_BUFFERS:-1GB}
PORT=${PORT:-54330}
KEEP=${KEEP:-0}
if ((THREADS > CLIENTS)); then THREADS=$CLIENTS; fi
TENANTS=$((INVITATIONS / 40 > 3 ? INVITATIONS / 40 : 3)) # as scripts/wedding_data.sql
SINGLE_SIZE=1000000000                                  # batch size of the one-statement baseline

NAME=weddingbench
# shellcheck source=scripts/benchlib.sh
source scripts/benchlib.sh
# Seconds from epoch time $1 to epoch time $2, one decimal.
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }
bench_binary
# Lock waits are logged in UTC, which the analysis below parses.
bench_cluster "-c shared_buffers=$SHARED_BUFFERS -c max_wal_size=4GB -c log_timezone=UTC"

FAILURES=()          # what went wrong, for the exit status and the summary
DB=wedding           # the benchmarked database: legacy data, migrated with the writer, rolled back
SINGLE=wedding_single # its copy for the one-statement baseline

# --- 1. the legacy database ----------------------------------------------------------------------
log "creating $DB with the legacy schema"
q -d postgres -c "CREATE DATABASE $DB"
q -d "$DB" -f schema/legacy/wedding.sql
log "generating $INVITATIONS invitations, $GUESTS guests, $TEMPLATES templates ($TENANTS tenants)"
t0=$EPOCHREALTIME
PGOPTIONS="-c wedding.invitations=$INVITATIONS -c wedding.guests=$GUESTS -c wedding.templates=$TEMPLATES" \
    q -d "$DB" -f scripts/wedding_data.sql
t1=$EPOCHREALTIME
q -d "$DB" -c "VACUUM (ANALYZE)"
t2=$EPOCHREALTIME
GEN_S=$(secs "$t0" "$t1")
VACUUM_S=$(secs "$t1" "$t2")

# Rows and sizes (heap, indexes, total) of the legacy tables.
cat >"$RUN/sizes.sql" <<'SQL'
SELECT c.relname AS "table",
       to_char(c.reltuples, 'FM999,999,999') AS "rows (est.)",
       pg_size_pretty(pg_table_size(c.oid)) AS "table",
       pg_size_pretty(pg_indexes_size(c.oid)) AS "indexes",
       pg_size_pretty(pg_total_relation_size(c.oid)) AS "total"
  FROM pg_class c
 WHERE c.oid IN ('tenants'::regclass, 'wedding_templates'::regclass,
                 'wedding_invitations'::regclass, 'wedding_guests'::regclass)
 ORDER BY pg_total_relation_size(c.oid) DESC;
SQL
echo
echo "=== legacy data: generated in $GEN_S s (then VACUUM ANALYZE $VACUUM_S s) ==="
q -d "$DB" -P footer=off -f "$RUN/sizes.sql"
DB_SIZE=$(q -At -d "$DB" -c "SELECT pg_size_pretty(pg_database_size(current_database()))")
echo "database size: $DB_SIZE"

# --- 2. checksums before -------------------------------------------------------------------------
# Per table: rows, and md5 over the md5 of each row's to_jsonb text, ordered by id.
cat >"$RUN/data_checksums.sql" <<'SQL'
SELECT 'tenants', count(*), md5(string_agg(md5(to_jsonb(t)::text), '' ORDER BY t.id)) FROM tenants t
UNION ALL
SELECT 'wedding_templates', count(*), md5(string_agg(md5(to_jsonb(t)::text), '' ORDER BY t.id)) FROM wedding_templates t
UNION ALL
SELECT 'wedding_invitations', count(*), md5(string_agg(md5(to_jsonb(t)::text), '' ORDER BY t.id)) FROM wedding_invitations t
UNION ALL
SELECT 'wedding_guests', count(*), md5(string_agg(md5(to_jsonb(t)::text), '' ORDER BY t.id)) FROM wedding_guests t;
SQL
log "checksums of the legacy data: per field and per table"
t0=$EPOCHREALTIME
q -At -F '|' -d "$DB" -f scripts/wedding_fields_legacy.sql >"$RUN/fields_legacy.txt"
t1=$EPOCHREALTIME
q -At -F '|' -d "$DB" -f "$RUN/data_checksums.sql" >"$RUN/data_before.txt"
t2=$EPOCHREALTIME
log "  $(wc -l <"$RUN/fields_legacy.txt") field checksums in $(secs "$t0" "$t1") s, table checksums in $(secs "$t1" "$t2") s"

# --- 3. the copy for the baseline -----------------------------------------------------------------
log "copying $DB to $SINGLE (CREATE DATABASE … TEMPLATE)"
t0=$EPOCHREALTIME
q -d postgres -c "CREATE DATABASE $SINGLE TEMPLATE $DB"
log "  copied in $(secs "$t0" "$EPOCHREALTIME") s"

# --- the writer -----------------------------------------------------------------------------------
# One transaction per run of the script: touch a random tenant, then count its invitations (a
# table before contract, a compatibility view after). pgbench 15 aborts a client on any error but
# a serialization failure or deadlock, which it counts as a failed transaction and goes on (no
# retry with the default --max-tries=1): the DO block turns every other error into a
# serialization failure carrying the original SQLSTATE and message, so no client ever aborts and
# every error is counted (and printed by --verbose-errors).
cat >"$RUN/writer.sql" <<SQL
\\set n random(1, $TENANTS)
DO \$\$
BEGIN
    UPDATE tenants SET name = name WHERE id = md5('tenant' || :n)::uuid;
    PERFORM count(*) FROM wedding_invitations WHERE tenant_id = md5('tenant' || :n)::uuid;
EXCEPTION
    WHEN serialization_failure OR deadlock_detected THEN RAISE;
    WHEN OTHERS THEN
        RAISE EXCEPTION USING ERRCODE = 'serialization_failure',
                              MESSAGE = format('[%s] %s', SQLSTATE, SQLERRM);
END
\$\$;
SQL

# --- analysis ------------------------------------------------------------------------------------
# The writer's transactions against the apply: pgbench logs, its timestamped stderr, the
# timestamped apply output (for the step each transaction ran during) and the server log.
cat >"$RUN/writer.py" <<'PY'
import glob, json, math, re, sys
from collections import Counter, defaultdict
from datetime import datetime, timezone

wdir, apply_log, server_log, out_json = sys.argv[1:5]
meta = json.load(open(f"{wdir}/meta.json"))
a0, a1 = meta["apply_start"], meta["apply_end"]

# client_id transaction_no time script_no time_epoch time_us [schedule_lag] (end time; time =
# latency in us from the scheduled start, or failed/serialization/deadlock/skipped)
txns = []  # (start, end, execution latency ms, failure kind or None)
for path in glob.glob(f"{wdir}/pgbench_log*"):
    for line in open(path, errors="replace"):
        f = line.split()
        if len(f) < 6:
            continue
        try:
            end = int(f[4]) + int(f[5]) / 1e6
        except ValueError:
            continue
        if f[2].isdigit():
            lag = int(f[6]) if meta["rate"] and len(f) > 6 else 0
            lat = (int(f[2]) - lag) / 1000.0  # without the schedule lag: time spent running
            txns.append((end - lat / 1000.0, end, lat, None))
        elif f[2] != "skipped":
            txns.append((end, end, 0.0, f[2]))

def pct(values, p):
    if not values:
        return float("nan")
    values = sorted(values)
    return values[min(len(values) - 1, max(0, math.ceil(p / 100 * len(values)) - 1))]

# Steps from the timestamped apply output: "Applying to ..." once planning and the rehearsal are
# done, then "[i/n] kind object ... ok (N ms)" after each step.
steps = []  # (label, start, end)
retries = []  # (time, "[i] kind object timed out waiting for a lock; retry n in m ms")
prev = None
for line in open(apply_log, errors="replace"):
    ts, _, text = line.rstrip("\n").partition(" ")
    ts = float(ts)
    if text.startswith("Applying to") and prev is None:
        steps.append(("(plan + rehearsal)", a0, ts))
        prev = ts
        continue
    m = re.match(r"\s*\[(\d+)/(\d+)\] (.*?) \.\.\. ok \((.*)\)", text)
    if m and prev is not None:
        attempts = re.search(r"\d+ attempts", m.group(4))
        steps.append((f"[{m.group(1)}/{m.group(2)}] {m.group(3)}"
                      + (f" ({attempts.group(0)})" if attempts else ""), prev, ts))
        prev = ts
    if re.search(r"timed out waiting for a lock", text):
        retries.append((ts, text.strip()))

def step_at(t):
    for label, s0, s1 in steps:
        if s0 <= t < s1:
            return label
    return "(after the last step)" if steps and t >= steps[-1][2] else "(before the apply)"

# Every transaction that overlapped the apply.
sel = [t for t in txns if t[0] < a1 and t[1] > a0]
ok = [t for t in sel if t[3] is None]
lats = [t[2] for t in ok]
# The writer's DO block reports every error but a deadlock as a serialization failure.
KIND = {"serialization": "error", "deadlock": "deadlock", "failed": "failed"}
kinds = Counter(KIND.get(t[3], t[3]) for t in sel if t[3] is not None)
before = [t[2] for t in txns if t[1] <= a0 and t[3] is None]
r = {
    "txns": len(sel), "failed": sum(kinds.values()), "failed_kinds": dict(kinds),
    "p50": pct(lats, 50), "p99": pct(lats, 99), "max": max(lats) if lats else float("nan"),
    "over100": sum(1 for x in lats if x >= 100), "over1000": sum(1 for x in lats if x >= 1000),
    "base_p99": pct(before, 99), "base_max": max(before) if before else float("nan"),
    "base_txns": len(before), "apply_s": a1 - a0,
}
print(f"  transactions overlapping the apply ({a1 - a0:.1f} s): {r['txns']}, failed {r['failed']}"
      + (f" ({', '.join(f'{k} {v}' for k, v in kinds.items())})" if kinds else ""))
print(f"  latency (running time, without --rate schedule lag): p50 {r['p50']:.1f} ms, "
      f"p99 {r['p99']:.1f} ms, max {r['max']:.1f} ms; >= 100 ms: {r['over100']}, >= 1 s: {r['over1000']}")
print(f"  before the apply ({r['base_txns']} transactions): p99 {r['base_p99']:.1f} ms, max {r['base_max']:.1f} ms")
print("  longest transactions (started at apply + s, during step):")
for s, e, lat, _ in sorted(ok, key=lambda t: -t[2])[:5]:
    print(f"    {lat:9.1f} ms  at +{s - a0:7.2f} s  {step_at(s)}")

# Steps of the apply, with the writer's transactions that started during each.
# Only the steps that took 0.1 s or more, made the writer wait 20 ms or more, or failed some of
# its transactions; the others are counted.
if steps:
    print("  apply steps of >= 0.1 s, or during which the writer waited >= 20 ms or failed"
          " (seconds; writer transactions started during the step: count, max ms):")
    quiet = 0
    for label, s0, s1 in steps:
        during = [t for t in sel if s0 <= t[0] < s1]
        mx = max((t[2] for t in during if t[3] is None), default=0.0)
        nf = sum(1 for t in during if t[3] is not None)
        if s1 - s0 < 0.1 and mx < 20 and not nf:
            quiet += 1
            continue
        print(f"    {s1 - s0:8.2f} s  {len(during):6d} txns  max {mx:8.1f} ms"
              + (f"  failed {nf}" if nf else "") + f"  {label}")
    print(f"    ({quiet} other steps of {len(steps) - 1})")

if retries:
    print(f"  schemaplan lock timeouts ({len(retries)}, each retried):")
    for ts, text in retries[:10]:
        print(f"    at +{ts - a0:7.2f} s  {text}")
r["lock_timeouts"] = len(retries)

# Errors the writer got (pgbench --verbose-errors), by message.
errors = Counter()
for line in open(f"{wdir}/pgbench.err", errors="replace"):
    ts, _, text = line.partition(" ")
    m = re.search(r"(ERROR|FATAL):\s+(.*)", text)
    if m:
        errors[re.sub(r"[0-9a-f]{8}-[0-9a-f-]{27}", "<uuid>", m.group(2).strip())] += 1
    elif "aborted" in text:
        errors[text.strip()] += 1
if errors:
    print("  writer errors:")
    for msg, n in errors.most_common(10):
        print(f"    {n:6d} x {msg[:150]}")
r["errors"] = [f"{n} x {msg[:100]}" for msg, n in errors.most_common(3)]

# log_lock_waits (deadlock_timeout = 100 ms): "process P acquired MODE on OBJECT after N ms".
pat = re.compile(r"^(\S+ \S+) UTC \[\d+\] LOG:  process \d+ acquired (\S+) on (.+?) after ([\d.]+) ms")
waits = defaultdict(list)
for line in open(server_log, errors="replace"):
    m = pat.match(line)
    if not m:
        continue
    ts = datetime.strptime(m.group(1), "%Y-%m-%d %H:%M:%S.%f").replace(tzinfo=timezone.utc).timestamp()
    waited = float(m.group(4)) / 1000
    if a0 <= ts - waited <= a1:
        waits[(m.group(2), re.sub(r"\d+", "N", m.group(3)))].append((waited, ts - waited))
if waits:
    print("  lock waits >= 100 ms in the server log (any session; object numbers as N):")
    for (mode, obj), w in sorted(waits.items(), key=lambda kv: -max(x for x, _ in kv[1])):
        longest = max(w)
        print(f"    {len(w):5d} x {mode} on {obj}: max {longest[0] * 1000:.0f} ms "
              f"(from +{longest[1] - a0:.1f} s, {step_at(longest[1])})")
else:
    print("  lock waits >= 100 ms in the server log: none")
json.dump(r, open(out_json, "w"))
PY

# The hooks' progress as recorded in schemaplan.hooks (seconds: started_at to finished_at, which
# includes the hook's count of remaining keys and its verifications). Only batched hooks count
# their rows: rows/s is left empty for the others.
cat >"$RUN/hooks.sql" <<'SQL'
SELECT name, status, rows, batches,
       round(extract(epoch FROM finished_at - started_at)::numeric, 2),
       CASE WHEN batches > 0 AND finished_at > started_at
            THEN round(rows / extract(epoch FROM finished_at - started_at)::numeric) END
  FROM schemaplan.hooks
 ORDER BY started_at;
SQL
hooks_report() { # database, output file (name|status|rows|batches|seconds|rows per s)
    q -At -F '|' -d "$1" -f "$RUN/hooks.sql" >"$2"
    printf '  %-28s %-7s %10s %8s %9s %10s\n' hook status rows batches seconds rows/s
    while IFS='|' read -r name status rows batches s rate; do
        printf '  %-28s %-7s %10s %8s %9s %10s\n' "$name" "$status" "$rows" "$batches" "$s" "${rate:--}"
    done <"$2"
}

# Applies the desired state in $2 to database $1, its timestamped output in $3; sets APPLY_RC and
# APPLY_S.
apply() {
    local t0
    APPLY_RC=0
    t0=$EPOCHREALTIME
    "$BIN" apply --yes --allow-hazards DeletesData --lock-timeout "$LOCK_TIMEOUT" \
        --database-url "$(dsn "$1")" --dev-url "$(dsn postgres)" --desired "$2" 2>&1 |
        stamp >"$3" || APPLY_RC=$?
    APPLY_S=$(secs "$t0" "$EPOCHREALTIME")
}

# --- 4 and 5. the apply, with the writer ----------------------------------------------------------
WDIR=$RUN/writer
mkdir -p "$WDIR"
log "starting the writer: pgbench, $CLIENTS clients, $( ((RATE > 0)) && echo "$RATE tps" || echo "unthrottled"), $TENANTS tenants"
RATE_OPT=()
((RATE > 0)) && RATE_OPT=(--rate "$RATE")
: >"$WDIR/pgbench.err"
pgbench -n -c "$CLIENTS" -j "$THREADS" -T 36000 "${RATE_OPT[@]}" -l --log-prefix="$WDIR/pgbench_log" \
    --failures-detailed --verbose-errors -f "$RUN/writer.sql" "$DB" \
    >"$WDIR/pgbench.out" 2> >(stamp >"$WDIR/pgbench.err") &
WRITER_PID=$!
BG_PIDS+=("$WRITER_PID")
sleep "$LEAD"
if ! kill -0 "$WRITER_PID" 2>/dev/null; then
    echo "pgbench exited early:" >&2
    cat "$WDIR/pgbench.out" "$WDIR/pgbench.err" >&2
    exit 1
fi

log "schemaplan apply (with the writer)"
a0=$EPOCHREALTIME
apply "$DB" schema "$RUN/apply.log"
a1=$EPOCHREALTIME
MAIN_RC=$APPLY_RC MAIN_S=$APPLY_S
log "  apply exited $MAIN_RC after $MAIN_S s"
sleep "$TAIL"
# pgbench has no clean stop before -T: SIGTERM ends it; the log lines still buffered then belong
# to the tail after the apply and are lost.
kill -TERM "$WRITER_PID" 2>/dev/null || true
wait "$WRITER_PID" 2>/dev/null || true
BG_PIDS=()
sleep 0.3 # let the stderr stamper drain
cat >"$WDIR/meta.json" <<JSON
{"apply_start": $a0, "apply_end": $a1, "rate": $RATE}
JSON

echo
echo "=== apply with the writer: exit $MAIN_RC, $MAIN_S s ==="
if ((MAIN_RC != 0)); then
    echo "  APPLY FAILED; its output:"
    sed 's/^[0-9.]* /    /' "$RUN/apply.log" | tail -40
    FAILURES+=("apply exited $MAIN_RC")
fi
python3 "$RUN/writer.py" "$WDIR" "$RUN/apply.log" "$PGDIR/server.log" "$RUN/writer.json"
echo "  hooks (schemaplan.hooks):"
hooks_report "$DB" "$RUN/hooks_batched.txt"

# --- 6. the baseline: every hook as one statement, on the copy, no writer --------------------------
cp -r schema "$RUN/schema_single"
# `batch: { table: …, key: …, size: N }`: every batch's size becomes 1,000,000,000.
sed -i -E "s/^( *batch:.*[{ ,]size: *)[0-9]+/\\1$SINGLE_SIZE/" "$RUN"/schema_single/*.yaml
BATCHED_HOOKS=$(grep -c '^ *batch:' schema/*.yaml | awk -F: '{ n += $2 } END { print n }')
SINGLE_HOOKS=$(grep -c "^ *batch:.*size: *$SINGLE_SIZE" "$RUN"/schema_single/*.yaml | awk -F: '{ n += $2 } END { print n }')
if ((SINGLE_HOOKS != BATCHED_HOOKS)); then
    echo "sed changed $SINGLE_HOOKS of $BATCHED_HOOKS batch sizes" >&2
    exit 1
fi
log "schemaplan apply on $SINGLE, every hook as one statement ($SINGLE_HOOKS batch sizes set to $SINGLE_SIZE)"
apply "$SINGLE" "$RUN/schema_single" "$RUN/apply_single.log"
SINGLE_RC=$APPLY_RC SINGLE_S=$APPLY_S
log "  apply exited $SINGLE_RC after $SINGLE_S s"
echo
echo "=== baseline: every hook as one statement, no writer: exit $SINGLE_RC, $SINGLE_S s ==="
if ((SINGLE_RC != 0)); then
    echo "  APPLY FAILED; its output:"
    sed 's/^[0-9.]* /    /' "$RUN/apply_single.log" | tail -40
    FAILURES+=("baseline apply exited $SINGLE_RC")
fi
echo "  hooks (schemaplan.hooks):"
hooks_report "$SINGLE" "$RUN/hooks_single.txt"

echo
echo "=== hooks: batched (with the writer) vs one statement (no writer) ==="
printf '  %-28s %10s %9s %10s   %9s %10s   %s\n' hook rows batched "rows/s" single "rows/s" "batched/single"
# name|status|rows|batches|s|rows/s of the batched run, then the same of the baseline; in the
# order the batched run ran the hooks.
awk -F '|' 'NR == FNR { single[$1] = $0; next } { print $0 "|" substr(single[$1], length($1) + 2) }' \
    "$RUN/hooks_single.txt" "$RUN/hooks_batched.txt" >"$RUN/hooks_joined.txt"
while IFS='|' read -r name _ rows _ bs brate _ _ _ ss srate; do
    ratio=-
    [[ -n $brate && -n $srate && $srate != 0 ]] && ratio=$(awk -v a="$brate" -v b="$srate" 'BEGIN { printf "%.2f", a / b }')
    printf '  %-28s %10s %8ss %10s   %8ss %10s   %s\n' "$name" "$rows" "$bs" "${brate:--}" "$ss" "${srate:--}" "$ratio"
done <"$RUN/hooks_joined.txt"

# --- 7. zero loss: field checksums after the apply --------------------------------------------------
# Compares two `field|checksum` files; prints the result, returns 1 when they differ.
compare_fields() { # label, legacy file, migrated file
    local n
    if diff "$2" "$3" >"$RUN/fields.diff"; then
        n=$(wc -l <"$2")
        echo "  $1: $n fields equal"
        return 0
    fi
    echo "  $1: FIELDS DIFFER (< legacy, > migrated):"
    sed 's/^/    /' "$RUN/fields.diff" | head -40
    return 1
}
log "field checksums of the migrated data"
echo
echo "=== zero loss: field checksums, legacy vs migrated ==="
N_FIELDS=$(wc -l <"$RUN/fields_legacy.txt")
if ((MAIN_RC == 0)); then
    q -At -F '|' -d "$DB" -f scripts/wedding_fields_migrated.sql >"$RUN/fields_migrated.txt"
    if compare_fields "$DB (batched, with the writer)" "$RUN/fields_legacy.txt" "$RUN/fields_migrated.txt"; then
        FIELDS_RESULT="equal ($N_FIELDS fields)"
    else
        FIELDS_RESULT="DIFFER (see above)"
        FAILURES+=("field checksums differ after the apply")
    fi
else
    FIELDS_RESULT="not checked (apply failed)"
fi
if ((SINGLE_RC == 0)); then
    q -At -F '|' -d "$SINGLE" -f scripts/wedding_fields_migrated.sql >"$RUN/fields_single.txt"
    compare_fields "$SINGLE (one statement)" "$RUN/fields_legacy.txt" "$RUN/fields_single.txt" ||
        FAILURES+=("field checksums differ after the baseline apply")
fi

# --- 8. rollback, then the legacy data again ---------------------------------------------------------
echo
ROLLBACK_RC=- ROLLBACK_S=- DATA_RESULT="not checked"
if ((MAIN_RC == 0)); then
    log "schemaplan rollback"
    ROLLBACK_RC=0
    t0=$EPOCHREALTIME
    "$BIN" rollback --yes --allow-hazards DeletesData --lock-timeout "$LOCK_TIMEOUT" \
        --database-url "$(dsn "$DB")" >"$RUN/rollback.log" 2>&1 || ROLLBACK_RC=$?
    ROLLBACK_S=$(secs "$t0" "$EPOCHREALTIME")
    log "  rollback exited $ROLLBACK_RC after $ROLLBACK_S s"
    echo "=== rollback: exit $ROLLBACK_RC, $ROLLBACK_S s ==="
    if ((ROLLBACK_RC != 0)); then
        echo "  ROLLBACK FAILED; its output:"
        sed 's/^/    /' "$RUN/rollback.log" | tail -40
        FAILURES+=("rollback exited $ROLLBACK_RC")
    else
        q -At -F '|' -d "$DB" -f "$RUN/data_checksums.sql" >"$RUN/data_after.txt" 2>"$RUN/data_after.err" || true
        echo "  longest steps:"
        grep -E '^ *\[[0-9]+/[0-9]+\] .* \.\.\. ok \(' "$RUN/rollback.log" |
            sed -E 's/^ *(.*) \.\.\. ok \(([0-9]+) ms(.*)\)$/\2|\1\3/' | sort -t '|' -k 1,1nr | head -8 |
            awk -F '|' '{ printf "    %9.2f s  %s\n", $1 / 1000, $2 }'
        echo "  legacy tables:"
        printf '  %-20s %10s  %-32s  %s\n' table rows "md5 (before)" "after"
        while IFS='|' read -r table rows sum; do
            after=$(awk -F '|' -v t="$table" '$1 == t { print $2 "|" $3 }' "$RUN/data_after.txt")
            verdict=equal
            [[ $after == "$rows|$sum" ]] || verdict="DIFFERS: ${after:-missing}"
            printf '  %-20s %10s  %-32s  %s\n' "$table" "$rows" "$sum" "$verdict"
        done <"$RUN/data_before.txt"
        if cmp -s "$RUN/data_before.txt" "$RUN/data_after.txt"; then
            DATA_RESULT="equal ($(wc -l <"$RUN/data_before.txt") tables)"
        else
            DATA_RESULT="DIFFER (see above)"
            FAILURES+=("legacy table checksums differ after the rollback")
            [[ -s $RUN/data_after.err ]] && sed 's/^/  /' "$RUN/data_after.err"
        fi
    fi
else
    echo "=== rollback: skipped (the apply failed) ==="
fi

# --- 9. summary --------------------------------------------------------------------------------------
python3 - "$RUN/writer.json" "$RUN/hooks_joined.txt" <<PY
import json, sys
w = json.load(open(sys.argv[1]))
print()
print("## weddingbench summary")
print()
print("| | |")
print("|---|---|")
print("| data | $INVITATIONS invitations, $GUESTS guests, $TEMPLATES templates, $TENANTS tenants; $DB_SIZE |")
print("| generation | $GEN_S s (+ VACUUM ANALYZE $VACUUM_S s) |")
print("| apply, batched, with the writer | $MAIN_S s (exit $MAIN_RC) |")
print("| apply, hooks as one statement, no writer | $SINGLE_S s (exit $SINGLE_RC) |")
rate = "unthrottled" if $RATE == 0 else "$RATE tps"
print(f"| writer ($CLIENTS clients, {rate}) during the apply | {w['txns']} txns, {w['failed']} failed, "
      f"p99 {w['p99']:.1f} ms, max {w['max']:.1f} ms (before: p99 {w['base_p99']:.1f} ms) |")
if w["errors"]:
    print(f"| writer errors | {'; '.join(w['errors'])} |")
print(f"| schemaplan lock timeouts (retried) | {w['lock_timeouts']} |")
print("| field checksums after the apply | $FIELDS_RESULT |")
print("| rollback | " + ("skipped (the apply failed)" if "$ROLLBACK_RC" == "-" else "$ROLLBACK_S s (exit $ROLLBACK_RC)") + " |")
print("| legacy table checksums after the rollback | $DATA_RESULT |")
print()
print("| hook | rows | batched s | batched rows/s | one statement s | one statement rows/s | batched / one |")
print("|---|---:|---:|---:|---:|---:|---:|")
for line in open(sys.argv[2]):
    name, _, rows, _, bs, brate, _, _, _, ss, srate = line.rstrip("\n").split("|")
    ratio = f"{float(brate) / float(srate):.2f}" if brate and srate and float(srate) else "-"
    print(f"| {name} | {rows} | {bs} | {brate or '-'} | {ss} | {srate or '-'} | {ratio} |")
PY

if ((${#FAILURES[@]})); then
    echo
    printf 'weddingbench: FAILED: %s\n' "${FAILURES[@]}" >&2
    exit 1
fi
