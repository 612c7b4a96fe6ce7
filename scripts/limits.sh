#!/usr/bin/env bash
# How long `schemaplan plan` takes to refuse the YAML shapes that cost memory or time when a
# loader expands them blindly: the alias bomb of issue 13 (ten anchors, each ten aliases of the
# previous), its variants (block style with merge keys, twenty levels, many aliases of one big
# anchor), nesting far deeper than any schema, and a file over the size limit. Each must be
# refused with a located error (exit 1) in under a second, before any connection.
#
# Usage: scripts/limits.sh   Environment: SCHEMAPLAN_BIN=… to use this binary instead of
# building target/release/schemaplan.
set -euo pipefail
cd "$(dirname "$0")/.."
NAME=limits
# shellcheck source=scripts/benchlib.sh
source scripts/benchlib.sh
bench_binary
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
python3 - "$dir" <<'PY'
import sys
d = sys.argv[1]
def bomb(n, width):
    s = "a0: &a0 [x, y]\n"
    for i in range(1, n):
        s += f"a{i}: &a{i} [" + ", ".join([f"*a{i-1}"] * width) + "]\n"
    return s + f"schemas: *a{n-1}\n"
open(f"{d}/bomb_10x10.yaml", "w").write(bomb(10, 10))
open(f"{d}/bomb_20x20.yaml", "w").write(bomb(20, 20))
s = "m0: &m0\n  columns: {id: bigint}\n"
for i in range(1, 10):
    s += f"m{i}: &m{i}\n" + "".join(f"  k{j}: *m{i-1}\n" for j in range(10))
open(f"{d}/bomb_block_merge.yaml", "w").write(s + "x:\n  <<: *m9\n")
big = "big: &big [" + ", ".join(str(i) for i in range(5000)) + "]\n"
open(f"{d}/many_aliases_of_a_big_anchor.yaml", "w").write(big + "copies: [" + ", ".join(["*big"] * 5000) + "]\n")
open(f"{d}/deep_flow.yaml", "w").write("schemas: " + "[" * 100000 + "]" * 100000 + "\n")
open(f"{d}/deep_block.yaml", "w").write("".join(" " * i + f"k{i}:\n" for i in range(3000)))
with open(f"{d}/over_16_mib.yaml", "w") as f:
    f.write("# " + "x" * (17 * 1024 * 1024) + "\n")
PY
fail=0
for f in "$dir"/*.yaml; do
    name=$(basename "$f")
    start=$(date +%s%N)
    status=0
    "$BIN" plan --desired "$f" --database-url "host=$dir/none dbname=none" >/dev/null 2>"$dir/err" || status=$?
    ms=$((($(date +%s%N) - start) / 1000000))
    first=$(grep -m1 -E "^$dir/" "$dir/err" | sed "s|$dir/||" || true)
    verdict=ok
    if [ "$status" != 1 ] || grep -q "cannot connect" "$dir/err" || [ "$ms" -ge 1000 ]; then
        verdict=FAIL
        fail=1
    fi
    printf '%-36s %5d ms  exit %s  %s\n    %s\n' "$name" "$ms" "$status" "$verdict" "${first:0:160}"
done
exit $fail
