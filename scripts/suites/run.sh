#!/usr/bin/env bash
# Runs a directory of schema-change cases through schemaplan the way the acceptance suites judge
# a tool: each case directory holds old.sql (the database) and new.sql (the desired schema), and
# optionally roles.txt (roles to create first). For each case:
#   old.sql → database A, new.sql → database B, `schemaplan inspect` B → YAML,
#   `schemaplan apply` the YAML to A (every hazard allowed, rehearsed on a shadow of the same
#   cluster), then a second plan must say "No changes" and `pg_dump --schema-only` of A and B
#   must be equal, column order aside (scripts/normalize_dump.py).
# A case whose new.sql does not load is counted as invalid, not as a failure.
# Usage: scripts/suites/run.sh CASES_DIR [FILTER]   (JOBS=2 cases at a time; KEEP=1 keeps files)
# Prints one line per case (pass / FAIL stage / invalid) and a summary; the failure's output is
# kept in the scratch directory's run/<case>/.
set -euo pipefail
cd "$(dirname "$0")/../.."
NAME=suites PORT=${PORT:-54341} KEEP=${KEEP:-0} JOBS=${JOBS:-2}
# shellcheck source=scripts/benchlib.sh
source scripts/benchlib.sh
CASES=${1:?usage: scripts/suites/run.sh CASES_DIR [FILTER]}
FILTER=${2:-}
bench_binary
bench_cluster "-c max_connections=200"

run_case() { # CASE_DIR INDEX
    local dir=$1 i=$2 name out a b
    name=$(basename "$dir")
    out=$RUN/$name
    mkdir -p "$out"
    a=a_$i b=b_$i
    if [[ -f $dir/roles.txt ]]; then
        while read -r role; do
            [[ -n $role ]] && q -c "DO \$\$ BEGIN CREATE ROLE $role; EXCEPTION WHEN duplicate_object THEN NULL; END \$\$" 2>/dev/null || true
        done <"$dir/roles.txt"
    fi
    q -c "CREATE DATABASE $a" -c "CREATE DATABASE $b"
    local verdict
    if ! q -d "$b" -f "$dir/new.sql" >"$out/load_new.log" 2>&1; then
        verdict="invalid (new.sql does not load)"
    elif ! q -d "$a" -f "$dir/old.sql" >"$out/load_old.log" 2>&1; then
        verdict="invalid (old.sql does not load)"
    elif ! "$BIN" inspect --database-url "$(dsn "$b")" --output "$out/desired.yaml" >"$out/inspect.log" 2>&1; then
        verdict="FAIL inspect"
    elif ! "$BIN" apply --database-url "$(dsn "$a")" --dev-url "$(dsn postgres)" --desired "$out/desired.yaml" \
        --allow-hazards all --yes >"$out/apply.log" 2>&1; then
        verdict="FAIL apply"
    elif ! "$BIN" plan --database-url "$(dsn "$a")" --dev-url "$(dsn postgres)" --desired "$out/desired.yaml" \
        --no-rehearse >"$out/second.plan" 2>&1 || ! grep -q '^No changes' "$out/second.plan"; then
        verdict="FAIL second plan"
    else
        pg_dump --schema-only -N schemaplan -N schemaplan_backup -d "$a" | python3 scripts/normalize_dump.py >"$out/a.dump"
        pg_dump --schema-only -N schemaplan -N schemaplan_backup -d "$b" | python3 scripts/normalize_dump.py >"$out/b.dump"
        if diff -u "$out/b.dump" "$out/a.dump" >"$out/dump.diff"; then
            verdict=pass
        else
            verdict="FAIL pg_dump"
        fi
    fi
    q -c "DROP DATABASE $a WITH (FORCE)" -c "DROP DATABASE $b WITH (FORCE)" >/dev/null 2>&1 || true
    [[ $verdict == pass && $KEEP != 1 ]] && rm -rf "$out"
    printf '%s\t%s\n' "$verdict" "$name"
}
export -f run_case q dsn
export RUN BIN PGDIR PORT KEEP PGHOST PGPORT PGUSER

mapfile -t dirs < <(find -L "$CASES" -mindepth 1 -maxdepth 1 -type d -name "*${FILTER}*" | sort)
[[ ${#dirs[@]} -gt 0 ]] || { log "no cases in $CASES"; exit 1; }
log "${#dirs[@]} cases, $JOBS at a time"
for i in "${!dirs[@]}"; do printf '%s\0%s\0' "${dirs[$i]}" "$i"; done |
    xargs -0 -n 2 -P "$JOBS" bash -c 'run_case "$1" "$2"' _ | tee "$RUN/results.tsv"
pass=$(grep -c '^pass' "$RUN/results.tsv" || true)
fail=$(grep -c '^FAIL' "$RUN/results.tsv" || true)
invalid=$(grep -c '^invalid' "$RUN/results.tsv" || true)
log "passed $pass, failed $fail, invalid $invalid (of ${#dirs[@]})"
if [[ $fail -gt 0 ]]; then KEEP=1; fi
