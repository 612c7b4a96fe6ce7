#!/usr/bin/env bash
# Runs the data-driven cases (tests/cases) on other PostgreSQL major versions.
#
#   scripts/pg-matrix.sh [--shard K/N | --rotate N] MAJOR...   e.g. scripts/pg-matrix.sh 13 14 16 17 18
#
# Each version's server binaries come from scripts/pg-versions.sh (run first; it is idempotent).
# Snapshots are forced to pass (INSTA_FORCE_PASS): they hold the plan's SQL as PostgreSQL 15
# prints it, and view bodies and extension versions print differently on other versions; every
# other check of a case (inspect converges, rehearsal up and down, locks, second plan empty,
# pg_dump equal) runs. A case with a `min_version` file (a feature of that version) keeps its
# snapshot, which is that version's, on that version when it is newer than 15 (a case of 14,
# say, was snapshotted on 15); older versions report it skipped. A case
# with a `needs` file (`icu`, `lz4`, an extension) is reported skipped, by name, on a build
# without it: npm's servers (scripts/pg-versions.sh) have ICU and the contrib extensions but
# no lz4. `--shard K/N` runs every N-th case from the K-th (1-based) of each
# version, with the offset turned by the version, so that N runs of different K cover every
# case on every version. `--rotate N` (what CI runs) gives the J-th version of the list (from 0)
# the cases whose position I has (I + J + offset) % N == 0, offset = $PG_MATRIX_OFFSET or else
# the number of commits (so that N successive commits run every case on every version, and each
# run gives every case one version besides the default when there are N versions or more). A
# version always runs the cases of its own features (min_version equal to it). Prints
# `pgNN: X passed, Y failed` per version and exits non-zero when any case failed.
set -euo pipefail
cd "$(dirname "$0")/.."

shard=1/1 rotate=0
if [ "${1:-}" = --shard ]; then
    shard=$2
    shift 2
elif [ "${1:-}" = --rotate ]; then
    rotate=$2
    shift 2
fi
k=${shard%/*}
n=${shard#*/}
[ $# -gt 0 ] || { echo "usage: $0 [--shard K/N | --rotate N] MAJOR..." >&2; exit 2; }
offset=${PG_MATRIX_OFFSET:-$(git rev-list --count HEAD 2>/dev/null || echo 0)}

bash scripts/pg-versions.sh "$@" >/dev/null
bin=$(cargo test --test main --no-run --message-format=json 2>/dev/null \
    | python3 -c 'import json,sys
for l in sys.stdin:
    m = json.loads(l)
    if m.get("reason") == "compiler-artifact" and m["target"]["name"] == "main" and m.get("executable"):
        print(m["executable"])' | tail -n 1)
[ -x "$bin" ] || { echo "pg-matrix: no test binary" >&2; exit 1; }
mapfile -t cases < <("$bin" --list 2>/dev/null | sed -n 's/^\(cases::[^:]*\): test$/\1/p')

own_version() {
    local f=tests/cases/${1#cases::}/min_version
    [ -f "$f" ] && [ "$(tr -d '[:space:]' <"$f")" = "$2" ]
}

status=0
j=0
for major in "$@"; do
    picked=()
    for i in "${!cases[@]}"; do
        if [ "$rotate" -gt 0 ]; then
            (((i + j + offset) % rotate == 0)) || own_version "${cases[$i]}" "$major" || continue
        else
            (((i + major) % n == k - 1)) || continue
        fi
        picked+=("${cases[$i]}")
    done
    j=$((j + 1))
    # Cases of this version's own features, with their snapshots; the others forced.
    own=() forced=()
    for c in "${picked[@]}"; do
        # A case of a version older than 15's (the snapshots' version) has 15's snapshot.
        if own_version "$c" "$major" && [ "$major" -gt 15 ]; then
            own+=("$c")
        else
            forced+=("$c")
        fi
    done
    log=$(mktemp)
    for run in forced own; do
        declare -n list=$run
        [ ${#list[@]} -gt 0 ] || continue
        force=1
        [ $run = own ] && force=0
        if SCHEMAPLAN_TEST_PG=$major INSTA_FORCE_PASS=$force INSTA_UPDATE=no RUST_BACKTRACE=0 \
            "$bin" --exact "${list[@]}" >>"$log" 2>&1; then
            :
        else
            status=1
        fi
    done
    grep -A2 "panicked at" "$log" | grep -v '^--$' | cut -c1-300 || true
    passed=$(grep -o '[0-9]* passed' "$log" | awk '{s+=$1} END {print s+0}')
    failed=$(grep -o '[0-9]* failed' "$log" | awk '{s+=$1} END {print s+0}')
    newer=$(grep -c ': skipped, needs PostgreSQL' "$log" || true)
    build=$(grep -c ': skipped, this PostgreSQL .* build has no' "$log" || true)
    if grep -q 'test result' "$log"; then
        echo "pg$major: $passed passed, $failed failed ($newer of the passed skipped: need a newer version; $build: need what this build lacks)"
        grep -o 'cases::[a-z0-9_]*: skipped, this PostgreSQL .* build has no .*' "$log" | sort || true
    else
        status=1
        echo "pg$major: no result"
        cat "$log"
    fi
    rm -f "$log"
done
exit $status
