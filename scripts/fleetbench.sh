#!/usr/bin/env bash
# Issue 18, fleets: `schemaplan fleet plan` and `fleet apply` over TARGETS databases (each with
# 20 tables; the desired state adds one column and one index) next to a shell loop of
# single-target `schemaplan apply`, on copies of the same databases, in one run. Prints wall
# times, their ratio, and how many shadow builds and rehearsals the fleet plan made (one per
# distinct schema: it must not grow with TARGETS).
# Schema-per-tenant targets (`tenants:`) are not supported yet, so the tenants are databases.
# Usage: scripts/fleetbench.sh   (TARGETS=200, PORT=54355, SCHEMAPLAN_BIN=binary, KEEP=1)
set -euo pipefail
cd "$(dirname "$0")/.."
NAME=fleetbench PORT=${PORT:-54355} KEEP=${KEEP:-0}
TARGETS=${TARGETS:-200}
# shellcheck source=scripts/benchlib.sh
source scripts/benchlib.sh
bench_binary
bench_cluster "-c max_connections=300"
BIN_USED=$BIN
cp "$BIN" "$RUN/schemaplan"
BIN=$RUN/schemaplan

log "a template database of 20 tables"
q -d postgres -c "CREATE DATABASE tpl"
{
    for t in $(seq 1 20); do
        echo "CREATE TABLE t$t (id bigint PRIMARY KEY, name text NOT NULL, created timestamptz NOT NULL DEFAULT now(), amount numeric(12,2), parent bigint);"
        echo "INSERT INTO t$t SELECT g, 'n' || g, now(), g, NULL FROM generate_series(1, 100) g;"
    done
} | q -d tpl
"$BIN" inspect --database-url "$(dsn tpl)" >"$RUN/desired.yaml"
# The change: a column of t1 and an index of t2.
python3 - "$RUN/desired.yaml" <<'PY'
import sys
path = sys.argv[1]
out, table = [], None
for line in open(path).read().splitlines():
    stripped = line.strip()
    is_table = line.startswith("      ") and not line.startswith("       ") and stripped.endswith(":")
    if is_table and table == "t2":
        out += ["        indexes:", "          t2_name_idx: { columns: [name] }"]
    if is_table:
        table = stripped[:-1]
    out.append(line)
    if stripped == "columns:" and table == "t1":
        out.append("          note: text")
open(path, "w").write("\n".join(out) + "\n")
PY
grep -q "note: text" "$RUN/desired.yaml" && grep -q t2_name_idx "$RUN/desired.yaml" || {
    log "could not make the change"
    exit 1
}

log "$TARGETS databases for the fleet and $TARGETS for the loop"
: >"$RUN/fleet.yaml"
{
    echo "desired: desired.yaml"
    echo "concurrency: 4"
    echo "targets:"
} >"$RUN/fleet.yaml"
for i in $(seq 1 "$TARGETS"); do
    q -d postgres -c "CREATE DATABASE f$i TEMPLATE tpl" -c "CREATE DATABASE l$i TEMPLATE tpl" >/dev/null
    echo "  - {name: f$i, url: \"$(dsn "f$i")\"}" >>"$RUN/fleet.yaml"
done

seconds() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b - a }'; }
log "fleet plan"
t0=$EPOCHREALTIME
"$BIN" fleet plan "$RUN/fleet.yaml" --format json >"$RUN/plan.json" || [[ $? == 2 ]]
t1=$EPOCHREALTIME
log "fleet apply"
"$BIN" fleet apply "$RUN/fleet.yaml" --yes >"$RUN/apply.out"
t2=$EPOCHREALTIME
log "a shell loop of apply"
for i in $(seq 1 "$TARGETS"); do
    "$BIN" apply --yes --database-url "$(dsn "l$i")" --desired "$RUN/desired.yaml" >/dev/null
done
t3=$EPOCHREALTIME
"$BIN" fleet plan "$RUN/fleet.yaml" --format json >"$RUN/again.json"
read -r builds rehearsals groups < <(python3 -c '
import json, sys
p = json.load(open(sys.argv[1]))
print(p["shadow_builds"], p["rehearsals"], len(p["groups"]))' "$RUN/plan.json")
plan=$(seconds "$t0" "$t1") apply=$(seconds "$t1" "$t2") loop=$(seconds "$t2" "$t3")
echo
echo "fleetbench: $TARGETS databases of 20 tables, 1 added column + 1 index; binary $BIN_USED"
echo "| work | wall time | per target |"
echo "|---|---:|---:|"
awk -v n="$TARGETS" -v p="$plan" -v a="$apply" -v l="$loop" 'BEGIN {
    printf "| fleet plan | %.2f s | %.3f s |\n", p, p / n
    printf "| fleet apply (plans again, then applies) | %.2f s | %.3f s |\n", a, a / n
    printf "| shell loop of apply | %.2f s | %.3f s |\n", l, l / n
    printf "| ratio fleet apply / loop | %.2f× | |\n", a / l
}'
echo "fleet plan: $groups distinct plan(s), $builds shadow build(s), $rehearsals rehearsal(s) for $TARGETS targets"
echo "second fleet plan: $(python3 -c 'import json,sys; p=json.load(open(sys.argv[1])); print(sum(1 for t in p["targets"] if t["status"] == "unchanged"), "of", len(p["targets"]), "unchanged")' "$RUN/again.json")"
