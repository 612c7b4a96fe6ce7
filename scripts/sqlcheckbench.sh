#!/usr/bin/env bash
# What checking SQL fields with PostgreSQL's grammar costs: a synthetic desired state of N tables
# (six typed columns, three defaults, a check, an expression index with a predicate; a view for
# every tenth table) is loaded by `schemaplan plan` against a target that does not exist, so the
# run ends at its first connection attempt, right after loading (and checking) the YAML.
# Prints the best of five runs, and the number of SQL fields checked.
#
# Usage: scripts/sqlcheckbench.sh [N…]   (default 1000)
# Environment: SCHEMAPLAN_BIN=… to use this binary instead of building target/release/schemaplan
set -euo pipefail
cd "$(dirname "$0")/.."
NAME=sqlcheckbench
# shellcheck source=scripts/benchlib.sh
source scripts/benchlib.sh
bench_binary
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
for n in "${@:-1000}"; do
    python3 - "$n" "$dir/desired.yaml" <<'PY'
import sys
n, path = int(sys.argv[1]), sys.argv[2]
out = ["schemas:\n  public:\n    tables:"]
for i in range(n):
    out.append(f"""      t{i}:
        columns:
          id: {{ type: bigint, identity: always }}
          parent_id: bigint
          name: {{ type: varchar(100), not_null: true }}
          amount: {{ type: "numeric(12,2)", not_null: true, default: "0" }}
          tags: {{ type: "text[]", not_null: true, default: "'{{}}'" }}
          created_at: {{ type: timestamptz, not_null: true, default: now() }}
        primary_key: [id]
        checks:
          t{i}_amount_check: amount >= 0
        indexes:
          t{i}_name_idx: {{ columns: [{{ expression: lower(name) }}], where: "amount > 0" }}""")
out.append("    views:")
for i in range(9, n, 10):
    out.append(f"      v{i}: SELECT a.id, a.name, b.amount FROM t{i} a JOIN t{i-1} b ON b.id = a.parent_id WHERE a.amount IN (1, 2)")
open(path, "w").write("\n".join(out) + "\n")
PY
    fields=$((n * 12 + n / 10))
    best=
    for _ in 1 2 3 4 5; do
        start=$(date +%s%N)
        "$BIN" plan --desired "$dir/desired.yaml" --database-url "host=$dir/none dbname=none" >/dev/null 2>"$dir/err" || true
        end=$(date +%s%N)
        grep -q "cannot connect" "$dir/err" || { cat "$dir/err" >&2; exit 1; }
        ms=$(((end - start) / 1000000))
        if [ -z "$best" ] || [ "$ms" -lt "$best" ]; then best=$ms; fi
    done
    echo "$n tables, $fields SQL fields: loaded and checked in $best ms (best of 5)"
done
