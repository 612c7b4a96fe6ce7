#!/usr/bin/env bash
# Issue 18, fleets: `schemaplan fleet plan` and `fleet apply` over TARGETS tenant schemas of one
# database (each with 20 tables; the desired state, written once for the template schema,
# adds one column and one index) next to a shell loop of single-target `schemaplan apply
# --schema tenant_N` on a copy of the same database, in one run. Prints wall times, their
# ratio, and how many shadow builds and rehearsals the fleet plan made (one per distinct
# schema: it must not grow with TARGETS).
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

log "$TARGETS tenant schemas of 20 tables, and the template's desired state"
tables() { # SCHEMA: its 20 tables with 100 rows each
    for t in $(seq 1 20); do
        echo "CREATE TABLE $1.t$t (id bigint PRIMARY KEY, name text NOT NULL, created timestamptz NOT NULL DEFAULT now(), amount numeric(12,2), parent bigint);"
        echo "INSERT INTO $1.t$t SELECT g, 'n' || g, now(), g, NULL FROM generate_series(1, 100) g;"
    done
}
q -d postgres -c "CREATE DATABASE tpl" -c "CREATE DATABASE saas"
{ echo "CREATE SCHEMA tenant;"; tables tenant; } | q -d tpl
for i in $(seq -f "%03g" 1 "$TARGETS"); do
    echo "CREATE SCHEMA tenant_$i;"
    tables "tenant_$i"
done | q -d saas
q -d postgres -c "CREATE DATABASE loop TEMPLATE saas"
"$BIN" inspect --database-url "$(dsn tpl)" --schema tenant >"$RUN/desired.yaml"
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
cat >"$RUN/fleet.yaml" <<YAML
desired: desired.yaml
concurrency: 4
tenants:
  - { name: saas, url: "$(dsn saas)", template: tenant, pattern: 'tenant\\_%' }
YAML
# The loop's desired state per tenant: the template's, its schema key renamed (the tables
# name nothing across schemas, so the key is the only place the schema is written).
mkdir -p "$RUN/loop"
for i in $(seq -f "%03g" 1 "$TARGETS"); do
    sed "s/^  tenant:\$/  tenant_$i:/" "$RUN/desired.yaml" >"$RUN/loop/$i.yaml"
done

seconds() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b - a }'; }
log "fleet plan"
t0=$EPOCHREALTIME
"$BIN" fleet plan "$RUN/fleet.yaml" --format json >"$RUN/plan.json" || [[ $? == 2 ]]
t1=$EPOCHREALTIME
log "fleet apply"
"$BIN" fleet apply "$RUN/fleet.yaml" --yes >"$RUN/apply.out"
t2=$EPOCHREALTIME
log "a shell loop of apply --schema"
for i in $(seq -f "%03g" 1 "$TARGETS"); do
    "$BIN" apply --yes --database-url "$(dsn loop)" --schema "tenant_$i" \
        --desired "$RUN/loop/$i.yaml" >/dev/null 2>&1
done
t3=$EPOCHREALTIME
"$BIN" fleet plan "$RUN/fleet.yaml" --format json >"$RUN/again.json"
read -r builds rehearsals groups < <(python3 -c '
import json, sys
p = json.load(open(sys.argv[1]))
print(p["shadow_builds"], p["rehearsals"], len(p["groups"]))' "$RUN/plan.json")
loop_done=$(q -d loop -Atc "SELECT count(*) FROM information_schema.columns WHERE table_name = 't1' AND column_name = 'note'")
plan=$(seconds "$t0" "$t1") apply=$(seconds "$t1" "$t2") loop=$(seconds "$t2" "$t3")
echo
echo "fleetbench: $TARGETS tenant schemas of 20 tables in one database, 1 added column + 1 index; binary $BIN_USED"
echo "| work | wall time | per tenant |"
echo "|---|---:|---:|"
awk -v n="$TARGETS" -v p="$plan" -v a="$apply" -v l="$loop" 'BEGIN {
    printf "| fleet plan | %.2f s | %.3f s |\n", p, p / n
    printf "| fleet apply (plans again, then applies) | %.2f s | %.3f s |\n", a, a / n
    printf "| shell loop of apply --schema | %.2f s | %.3f s |\n", l, l / n
    printf "| ratio fleet apply / loop | %.2f× | |\n", a / l
}'
echo "fleet plan: $groups distinct plan(s), $builds shadow build(s), $rehearsals rehearsal(s) for $TARGETS tenants"
echo "after: fleet plan finds $(python3 -c 'import json,sys; p=json.load(open(sys.argv[1])); print(sum(1 for t in p["targets"] if t["status"] == "unchanged"), "of", len(p["targets"]))' "$RUN/again.json") tenants unchanged; the loop changed $loop_done of $TARGETS"
