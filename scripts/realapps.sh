#!/usr/bin/env bash
# Real applications' schemas through schemaplan, release after release (issue 14): for every app
# and every pair — each consecutive upgrade r1→r2, r2→r3, …, and empty→latest — the older one
# is loaded into database A and the newer into B (one throwaway cluster), `inspect` of B gives
# the desired YAML, `apply --allow-hazards all --yes` runs it against A (rehearsal included), a
# second `plan` must print `No changes`, and `pg_dump --schema-only` of A and B must be equal after
# scripts/normalize_dump.py (column order aside).
#
# The corpus: the apps committed under tests/realapps (small, MIT/Apache-2.0; always run) and the
# others generated from MIRROR_DIR by scripts/realapps/build_corpus.py (the `fetch` layout,
# MIRROR_DIR/<owner>+<name>/repo); an app whose mirror is absent is skipped, saying so.
# Prints the table app → releases → pairs → converged (structure: `pg_dump --schema-only
# --no-owner --no-privileges`, as the tests compare) → privileges (pairs whose GRANT/REVOKE/OWNER
# lines of pg_dump are equal too) and the first lines of each failure and privilege difference;
# exits 1 when a pair did not converge.
# Usage: scripts/realapps.sh [MIRROR_DIR] [APP ...]   (KEEP=1 keeps the scratch directory)
set -euo pipefail
cd "$(dirname "$0")/.."
NAME=realapps PORT=${PORT:-55140} KEEP=${KEEP:-0}
# shellcheck source=scripts/benchlib.sh
source scripts/benchlib.sh
MIRROR=${1:-../.mirror}
shift || true
ONLY=("$@")

bench_binary
bench_cluster ""
python3 -c 'import yaml' 2>/dev/null || {
    log "PyYAML is needed for the upgrades' hints (pip install pyyaml)"
    exit 1
}

seconds() {
    python3 -c "import sys; print(f'{float(sys.argv[2]) - float(sys.argv[1]):.1f}')" "$1" "$2"
}
wanted() { # APP
    [[ ${#ONLY[@]} == 0 ]] && return 0
    local a
    for a in "${ONLY[@]}"; do [[ $a == "$1" ]] && return 0; done
    return 1
}

# The corpus: committed apps as they are, the others built from the mirror.
CORPUS=$RUN/corpus
mkdir -p "$CORPUS"
APPS=()
for dir in tests/realapps/*/; do
    [[ -d $dir ]] || continue
    app=$(basename "$dir")
    wanted "$app" || continue
    cp -r "$dir" "$CORPUS/$app"
    APPS+=("$app")
done
if [[ -d $MIRROR ]]; then
    known=$(cd scripts/realapps && python3 -c 'import build_corpus; print(*build_corpus.APPS)')
    for app in $known; do
        [[ -d $CORPUS/$app ]] && continue
        wanted "$app" || continue
        err=$RUN/build_$app.err
        python3 scripts/realapps/build_corpus.py "$MIRROR" "$CORPUS" "$app" >/dev/null 2>"$err" || {
            log "$app: the corpus could not be built: $(head -3 "$err")"
            continue
        }
        if [[ -f $CORPUS/$app/releases ]]; then APPS+=("$app"); else log "$(cat "$err")"; fi
    done
else
    log "no mirror directory $MIRROR: only the committed apps run"
fi

N=0
FAILURES=()
ACL_NOTES=()
TABLE=()
# One pair: OLD_FILE may be empty (the empty database). Returns 1 when it did not converge, with
# the reason in $RUN/<pair>.why.
pair() { # APP LABEL OLD_FILE NEW_FILE
    local app=$1 label=$2 old=$3 new=$4
    N=$((N + 1))
    local a=a$N b=b$N tag=$RUN/$N
    : >"$tag.why"
    q -c "CREATE DATABASE $a" -c "CREATE DATABASE $b"
    if [[ -n $old ]] && ! q -d "$a" -f "$old" >"$tag.load_a" 2>&1; then
        { echo "loading $(basename "$old") failed:"; tail -5 "$tag.load_a"; } >"$tag.why"
        return 1
    fi
    if ! q -d "$b" -f "$new" >"$tag.load_b" 2>&1; then
        { echo "loading $(basename "$new") failed:"; tail -5 "$tag.load_b"; } >"$tag.why"
        return 1
    fi
    if ! "$BIN" inspect --database-url "$(dsn "$b")" --output "$tag.yaml" 2>"$tag.inspect"; then
        { echo "inspect failed:"; head -10 "$tag.inspect"; } >"$tag.why"
        return 1
    fi
    # The upgrade's hints (renames, conversions) where the corpus has them for this release: the
    # older release is inspected too, to tell which apply (scripts/realapps/overlay.py).
    local hints=$CORPUS/$app/hints/$(basename "$new" .sql).json
    if [[ -n $old && -f $hints ]]; then
        "$BIN" inspect --database-url "$(dsn "$a")" --output "$tag.older.yaml" 2>>"$tag.inspect"
        python3 scripts/realapps/overlay.py "$tag.yaml" "$tag.older.yaml" "$hints" \
            >"$tag.hinted.yaml" 2>"$tag.hints" || {
            { echo "the hints could not be added:"; tail -5 "$tag.hints"; } >"$tag.why"
            return 1
        }
        mv "$tag.hinted.yaml" "$tag.yaml"
    fi
    if ! "$BIN" apply --database-url "$(dsn "$a")" --desired "$tag.yaml" --allow-hazards all --yes \
        >"$tag.apply" 2>&1; then
        { echo "apply failed:"; grep -v '^\[' "$tag.apply" | tail -15; } >"$tag.why"
        return 1
    fi
    "$BIN" plan --database-url "$(dsn "$a")" --desired "$tag.yaml" >"$tag.second" 2>&1 || true
    if ! grep -q '^No changes' "$tag.second"; then
        { echo "second plan is not empty:"; head -30 "$tag.second"; } >"$tag.why"
        return 1
    fi
    # Structure as the test suite's oracle compares it (tests/harness.rs): without owners and
    # privileges, which `inspect` does not write for owners (README, Roles) — those are compared
    # apart, below.
    local db own=(-N schemaplan -N schemaplan_backup)
    for db in "$a" "$b"; do
        pg_dump --schema-only --no-owner --no-privileges "${own[@]}" -d "$db" |
            python3 scripts/normalize_dump.py >"$tag.$db.sql"
        pg_dump --schema-only "${own[@]}" -d "$db" |
            grep -E '^(GRANT|REVOKE|ALTER DEFAULT PRIVILEGES) |^ALTER .* OWNER TO ' |
            sort >"$tag.$db.acl" || true
    done
    if ! diff -u "$tag.$b.sql" "$tag.$a.sql" >"$tag.diff"; then
        {
            echo "pg_dump --schema-only differs (- newer release, + upgraded):"
            grep '^[-+][^-+]' "$tag.diff" | head -30
        } >"$tag.why"
        return 1
    fi
    if ! diff -u "$tag.$b.acl" "$tag.$a.acl" >"$tag.acldiff"; then
        ACL_NOTES+=("$app $label: privileges and owners differ (- newer release, + upgraded), $(
            grep -c '^[-+][^-+]' "$tag.acldiff"
        ) lines:
$(grep '^[-+][^-+]' "$tag.acldiff" | head -6)")
        ACL_DIFF=1
    fi
    q -c "DROP DATABASE $a" -c "DROP DATABASE $b"
    echo "$(grep -c '^\[[0-9]*/' "$tag.apply" || true) steps" >"$tag.why"
}

T0=$EPOCHREALTIME
for app in "${APPS[@]}"; do
    mapfile -t releases <"$CORPUS/$app/releases"
    pairs=("|${releases[-1]}")
    for ((i = 1; i < ${#releases[@]}; i++)); do pairs+=("${releases[i - 1]}|${releases[i]}"); done
    ok=0 acl_same=0
    t_app=$EPOCHREALTIME
    for p in "${pairs[@]}"; do
        old=${p%%|*} new=${p##*|}
        label="${old:-empty} → $new"
        t0=$EPOCHREALTIME ACL_DIFF=0
        if pair "$app" "$label" "${old:+$CORPUS/$app/$old.sql}" "$CORPUS/$app/$new.sql"; then
            ok=$((ok + 1))
            [[ $ACL_DIFF == 1 ]] || acl_same=$((acl_same + 1))
            log "$app $label: converged ($(cat "$RUN/$N.why"), $(seconds "$t0" "$EPOCHREALTIME") s)"
        else
            log "$app $label: NOT converged ($(seconds "$t0" "$EPOCHREALTIME") s)"
            FAILURES+=("$app $label: $(cat "$RUN/$N.why")")
        fi
    done
    TABLE+=("$(printf '%-14s %-62s %5s %9s %10s %7s' "$app" "$(
        IFS=,
        echo "${releases[*]}"
    )" "${#pairs[@]}" "$ok" "$acl_same" "$(seconds "$t_app" "$EPOCHREALTIME")")")
done

printf '\n%-14s %-62s %5s %9s %10s %7s\n' app releases pairs converged privileges seconds
printf '%s\n' "${TABLE[@]}"
if [[ ${#ACL_NOTES[@]} -gt 0 ]]; then
    printf '\nconverged, but privileges or owners differ:\n'
    printf '%s\n\n' "${ACL_NOTES[@]}"
fi
log "total $(seconds "$T0" "$EPOCHREALTIME") s"
if [[ ${#FAILURES[@]} -gt 0 ]]; then
    printf '\nnot converged:\n'
    printf '%s\n\n' "${FAILURES[@]}"
    exit 1
fi
