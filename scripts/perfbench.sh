#!/usr/bin/env bash
# Issue 17, "plans in the time of a pg_dump": schemaplan next to pg_dump --schema-only (and
# migra, when it installs) on GitLab's schema (../shared/corpus/gitlab) and on a synthetic one of
# TABLES tables (scripts/perfbench_gen.py), in one run, ending in a table of the figures:
#  1. inspect of each database next to pg_dump --schema-only of the same database;
#  2. a no-op plan (the YAML inspect just wrote, against the database it came from), with the
#     fast path and with --full-shadow: it must say "No changes";
#  3. on GitLab, a plan of 3 changes made to that YAML (a column's type, a new index, a view's
#     WHERE), both ways: it must name the 3;
#  4. migra: each database against itself, and GitLab against a copy with the 3 changes.
# Every figure is the best of 2 runs: wall time and peak RSS of the largest single process, from
# /usr/bin/time (neither the server's backends nor the embedded shadow's server are in it).
# A schemaplan row that fails is shown as such, the others still run, and the script exits 1.
# Usage: scripts/perfbench.sh [CORPUS_DIR]
#   TABLES=10000 synthetic tables, PORT=54345, SCHEMAPLAN_BIN=binary (default: a release build
#   made now), KEEP=1 keeps the scratch directory
set -euo pipefail
cd "$(dirname "$0")/.."
NAME=perfbench PORT=${PORT:-54345} KEEP=${KEEP:-0}
TABLES=${TABLES:-10000}
# shellcheck source=scripts/benchlib.sh
source scripts/benchlib.sh
CORPUS=${1:-../shared/corpus/gitlab}
[[ -f $CORPUS/structure.sql ]] || {
    echo "no GitLab corpus in $CORPUS" >&2
    exit 1
}
# Views join a table to the one before it, one per 10 tables: fewer would leave none.
if ! [[ $TABLES =~ ^[0-9]+$ ]] || ((TABLES < 10)); then
    echo "TABLES must be a number, 10 or more (got '$TABLES')" >&2
    exit 1
fi
[[ -x /usr/bin/time ]] || {
    echo "GNU time (/usr/bin/time) is needed for peak RSS" >&2
    exit 1
}

bench_binary
# pg_dump locks every table of a database in one transaction, and the synthetic schema loads in
# one: about 8 relations a table (table, TOAST table and its index, 4 indexes), far more than the
# default lock table (64 × max_connections) holds.
bench_cluster "-c max_locks_per_transaction=$((TABLES / 10 + 256))"
# target/ is shared: a build landing mid-run would otherwise mix two binaries' figures.
BIN_USED=$BIN
cp "$BIN" "$RUN/schemaplan"
BIN=$RUN/schemaplan

seconds() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b - a }'; }

# Per measured KEY: best wall time (s), best peak RSS (MB), or a NOTE in place of figures.
declare -A SECS MB NOTE
FAILED=() # schemaplan's failures: reported with the table, then the script exits 1

# measure KEY OK_CODES CMD…: runs CMD twice under /usr/bin/time and keeps the best wall time
# and, separately, the best peak RSS (a run slowed by a stray process on 2 cores says nothing
# about memory). OK_CODES: the exit codes, comma-separated, that are not failures (migra exits
# 2 for "there are differences"). The last run's output stays in $RUN/KEY.out and .err; on a
# failure RC is its exit code and nothing is kept.
measure() {
    local key=$1 ok=$2 run line s kb
    shift 2
    for run in 1 2; do
        RC=0
        /usr/bin/time -f '%e %M' -o "$RUN/$key.time" "$@" >"$RUN/$key.out" 2>"$RUN/$key.err" || RC=$?
        if [[ ,$ok, != *,$RC,* ]]; then
            log "$key: exit $RC from ${*:1:3}…"
            grep -v '^timing' "$RUN/$key.err" | tail -n 30 >&2 || true
            unset "SECS[$key]" "MB[$key]"
            return 1
        fi
        # On a non-zero exit, time writes "Command exited with non-zero status N" above its figures.
        line=$(tail -n 1 "$RUN/$key.time")
        s=${line% *} kb=${line#* }
        if [[ -z ${SECS[$key]:-} ]] || awk -v a="$s" -v b="${SECS[$key]}" 'BEGIN { exit !(a < b) }'; then
            SECS[$key]=$s
        fi
        if [[ -z ${MB[$key]:-} ]] || ((kb / 1024 < MB[$key])); then MB[$key]=$((kb / 1024)); fi
        log "$key run $run: $s s, $((kb / 1024)) MB"
    done
}

fail() { # KEY WHY: a schemaplan row that did not do its work
    NOTE[$1]="FAILED ($2)"
    unset "SECS[$1]" "MB[$1]"
    FAILED+=("$1: $2")
}

load() { # DB SQL_FILE [psql options]
    local db=$1 file=$2 t0
    shift 2
    q -c "CREATE DATABASE $db"
    t0=$EPOCHREALTIME
    q -d "$db" "$@" -f "$file" >"$RUN/load_$db.log"
    log "loaded $(basename "$file") into $db in $(seconds "$t0" "$EPOCHREALTIME") s"
    q -d "$db" -Atc "SELECT '$db: ' || count(*) FILTER (WHERE relkind IN ('r', 'p')) || ' tables, ' ||
        count(*) FILTER (WHERE relkind = 'i') || ' indexes, ' || count(*) FILTER (WHERE relkind IN ('v', 'm')) ||
        ' views' FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast')" >&2
}

load gl "$CORPUS/structure.sql"
python3 scripts/perfbench_gen.py "$TABLES" >"$RUN/synthetic.sql"
# One transaction: committing each of tens of thousands of statements would be most of the load.
load syn "$RUN/synthetic.sql" --single-transaction

# The flag is new: a binary from before it is still measured, without its rows.
FULL_SHADOW=0
if [[ $("$BIN" plan --help) == *--full-shadow* ]]; then FULL_SHADOW=1; fi

# migra is a comparison, not a requirement: when it does not install or run, its column says
# why and the script goes on.
MIGRA=
log "installing migra into a virtualenv"
if ! python3 -m venv "$RUN/venv" >"$RUN/venv.log" 2>&1; then
    MIGRA_WHY="python3 -m venv failed: $(tail -n 1 "$RUN/venv.log")"
elif ! "$RUN/venv/bin/pip" install -q migra psycopg2-binary >>"$RUN/venv.log" 2>&1; then
    MIGRA_WHY="pip install migra psycopg2-binary failed: $(grep -m 1 -i error "$RUN/venv.log" || tail -n 1 "$RUN/venv.log")"
else
    MIGRA=$RUN/venv/bin/migra
    log "migra $("$RUN/venv/bin/pip" show migra 2>/dev/null | sed -n 's/^Version: //p'), SQLAlchemy $("$RUN/venv/bin/pip" show sqlalchemy 2>/dev/null | sed -n 's/^Version: //p')"
fi
[[ -n $MIGRA ]] || log "migra: n/a: $MIGRA_WHY"
# +psycopg2: SQLAlchemy 2 reads a bare postgresql:// as psycopg 3, which migra does not install.
migra_url() { echo "postgresql+psycopg2://postgres@/$1?host=$PGDIR&port=$PORT"; }

# migra_row KEY OK_CODES FROM_DB TO_DB
migra_row() {
    local key=$1 ok=$2
    if [[ -z $MIGRA ]]; then
        NOTE[$key]="n/a"
        return 1
    fi
    measure "$key" "$ok" "$MIGRA" --unsafe "$(migra_url "$3")" "$(migra_url "$4")" || {
        NOTE[$key]="n/a"
        log "migra: n/a for $key: exit $RC: $(grep -v '^\s*$' "$RUN/$key.err" | tail -n 1)"
        return 1
    }
}

# no_op KEY DB YAML [plan options]: the plan of the YAML inspect wrote, against the database it
# came from, must be empty; anything else means the figures are of other work than a no-op.
no_op() {
    local key=$1 db=$2 yaml=$3
    shift 3
    measure "$key" 0 "$BIN" plan --database-url "$(dsn "$db")" --desired "$yaml" --timings "$@" || {
        fail "$key" "exit $RC"
        return
    }
    grep -q '^No changes' "$RUN/$key.out" || {
        log "$key: the plan of $db's own YAML is NOT empty:"
        head -40 "$RUN/$key.out" >&2
        fail "$key" "plan not empty"
    }
}

for db in gl syn; do
    log "$db: inspect vs pg_dump --schema-only"
    mkdir -p "$RUN/$db"
    measure "dump_$db" 0 pg_dump --schema-only -d "$db" -f "$RUN/$db.dump.sql"
    if measure "inspect_$db" 0 "$BIN" inspect --database-url "$(dsn "$db")" --output "$RUN/$db/schema.yaml"; then
        log "$db: YAML $(wc -c <"$RUN/$db/schema.yaml") bytes, pg_dump $(wc -c <"$RUN/$db.dump.sql") bytes"
        log "$db: no-op plan"
        no_op "noop_${db}_fast" "$db" "$RUN/$db/schema.yaml"
        if ((FULL_SHADOW)); then
            no_op "noop_${db}_full" "$db" "$RUN/$db/schema.yaml" --full-shadow
        else
            NOTE[noop_${db}_full]="n/a (binary has no --full-shadow)"
        fi
    else
        fail "inspect_$db" "exit $RC"
        NOTE[noop_${db}_fast]="skipped (no YAML)" NOTE[noop_${db}_full]="skipped (no YAML)"
    fi
    log "$db: migra, the database against itself"
    migra_row "migra_noop_$db" 0 "$db" "$db" || true
done

# The 3 changes, made to the YAML as text: the file is inspect's own output, and a YAML 1.1
# round trip (PyYAML) could turn its strings into booleans or reflow its view definitions.
# A column no view reads (a type change of one a view reads would drag the view into the plan),
# a table that is not partitioned (no CREATE INDEX CONCURRENTLY there) and a view's WHERE.
CHANGES=("alter column public.allowed_email_domains.domain"
    "create index public.perfbench_issues_due_date_closed_at_idx"
    "replace view public.personal_snippets_view")
changed_yaml() { # IN OUT
    python3 - "$1" "$2" <<'EOF'
import sys

src, dst = sys.argv[1], sys.argv[2]
lines = open(src).read().split("\n")


def block(key, indent, start=0, end=None):
    """Lines [first, past) of the one mapping entry `key:` at this indent in [start, end)."""
    end = len(lines) if end is None else end
    head = " " * indent + key + ":"
    found = [i for i in range(start, end) if lines[i] == head or lines[i].startswith(head + " ")]
    if len(found) != 1:
        sys.exit(f"{src}: {len(found)} lines start '{head}' in lines {start + 1}-{end}, expected 1")
    past = found[0] + 1
    while past < end and (not lines[past].strip() or len(lines[past]) - len(lines[past].lstrip()) > indent):
        past += 1
    return found[0], past


first, past = block("allowed_email_domains", 6)
first, past = block("domain", 10, first, past)
typ = [i for i in range(first, past) if lines[i] == "            type: character varying(255)"]
if len(typ) != 1:
    sys.exit(f"{src}: allowed_email_domains.domain is not a varchar(255) any more")
lines[typ[0]] = "            type: character varying(512)"

first, past = block("issues", 6)
first, past = block("indexes", 8, first, past)
lines[first + 1:first + 1] = [
    "          perfbench_issues_due_date_closed_at_idx:",
    "            columns:",
    "            - due_date",
    "            - closed_at",
]

first, past = block("personal_snippets_view", 6)
first, past = block("definition", 8, first, past)
if lines[first] != "        definition: |-":
    sys.exit(f"{src}: personal_snippets_view's definition is not a block scalar: {lines[first]}")
lines[past:past] = ["            WHERE (sn.id > 0)"]

open(dst, "w").write("\n".join(lines))
EOF
}
# The same 3 changes in SQL, for migra, which compares two databases.
changed_sql() {
    cat <<'EOF'
ALTER TABLE allowed_email_domains ALTER COLUMN domain TYPE character varying(512);
CREATE INDEX perfbench_issues_due_date_closed_at_idx ON issues (due_date, closed_at);
DO $$ BEGIN
    EXECUTE format('CREATE OR REPLACE VIEW personal_snippets_view AS %s WHERE (sn.id > 0)',
                   rtrim(pg_get_viewdef('personal_snippets_view'), ';'));
END $$;
EOF
}

# changed KEY [plan options]: the plan must name the 3 changes. Its step count is logged, not
# checked: a change may rightly take more than one step.
changed() {
    local key=$1 want
    shift
    measure "$key" 0 "$BIN" plan --database-url "$(dsn gl)" --desired "$RUN/chg/schema.yaml" --timings "$@" || {
        fail "$key" "exit $RC"
        return
    }
    if grep -q '^No changes' "$RUN/$key.out"; then
        fail "$key" "plan empty"
        return
    fi
    for want in "${CHANGES[@]}"; do
        grep -qF "$want" "$RUN/$key.out" || {
            log "$key: the plan lacks '$want':"
            head -40 "$RUN/$key.out" >&2
            fail "$key" "lacks ${want##* }"
            return
        }
    done
    log "$key: $(grep -m 1 '^Plan:' "$RUN/$key.out")"
}

log "gl: a plan of 3 changes"
if [[ -f $RUN/gl/schema.yaml ]]; then
    mkdir -p "$RUN/chg"
    changed_yaml "$RUN/gl/schema.yaml" "$RUN/chg/schema.yaml"
    changed chg_gl_fast
    if ((FULL_SHADOW)); then
        changed chg_gl_full --full-shadow
    else
        NOTE[chg_gl_full]="n/a (binary has no --full-shadow)"
    fi
else
    NOTE[chg_gl_fast]="skipped (no YAML)" NOTE[chg_gl_full]="skipped (no YAML)"
fi
if [[ -n $MIGRA ]]; then
    q -c "CREATE DATABASE gl_chg TEMPLATE gl"
    changed_sql | q -d gl_chg
    if migra_row migra_chg_gl 2 gl gl_chg; then
        for want in allowed_email_domains perfbench_issues_due_date_closed_at_idx personal_snippets_view; do
            grep -qF "$want" "$RUN/migra_chg_gl.out" || {
                log "migra: its diff lacks $want"
                NOTE[migra_chg_gl]="n/a (diff lacks $want)"
            }
        done
    fi
else
    NOTE[migra_chg_gl]="n/a"
fi

cell() { # KEY: "s, MB" or why not
    if [[ -n ${NOTE[$1]:-} ]]; then
        echo "${NOTE[$1]}"
    elif [[ -n ${SECS[$1]:-} ]]; then
        echo "${SECS[$1]} s, ${MB[$1]} MB"
    else
        echo "-"
    fi
}
ratio() { # A B: A/B, or - when either is missing
    if [[ -n ${1:-} && -n ${2:-} ]] && awk -v b="$2" 'BEGIN { exit !(b > 0) }'; then
        awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2fx", a / b }'
    else
        echo "-"
    fi
}
# A markdown table that also lines up in a terminal.
table_line() { printf '| %-40s | %-34s | %-18s | %10s | %12s | %-18s |\n' "$@"; }
row() { # WORK SCHEMAPLAN_KEY DUMP_KEY MIGRA_KEY
    local sp=$2 dump=$3 migra=$4
    table_line "$1" "$(cell "$sp")" "$(cell "$dump")" \
        "$(ratio "${SECS[$sp]:-}" "${SECS[$dump]:-}")" "$(ratio "${MB[$sp]:-}" "${MB[$dump]:-}")" \
        "$(if [[ -n $migra ]]; then cell "$migra"; else echo -; fi)"
}

echo
echo "schemaplan $("$BIN" --version | awk '{print $2}') ($BIN_USED), PostgreSQL $(q -Atc 'SHOW server_version'), synthetic: $TABLES tables"
echo "best of 2 runs: wall time, peak RSS of the largest single process; pg_dump -s: of the same database; ratios: schemaplan / pg_dump -s"
echo
table_line work "schemaplan (s, MB)" "pg_dump -s (s, MB)" "ratio time" "ratio memory" "migra (s, MB)"
dashes() { printf -- '-%.0s' $(seq "$1"); }
echo "|$(dashes 42)|$(dashes 36)|$(dashes 20)|$(dashes 11):|$(dashes 13):|$(dashes 20)|"
row "inspect GitLab" inspect_gl dump_gl ""
row "inspect synthetic" inspect_syn dump_syn ""
row "no-op plan GitLab (fast path)" noop_gl_fast dump_gl migra_noop_gl
row "no-op plan GitLab (--full-shadow)" noop_gl_full dump_gl migra_noop_gl
row "3-change plan GitLab (fast path)" chg_gl_fast dump_gl migra_chg_gl
row "3-change plan GitLab (--full-shadow)" chg_gl_full dump_gl migra_chg_gl
row "no-op plan synthetic (fast path)" noop_syn_fast dump_syn migra_noop_syn
row "no-op plan synthetic (--full-shadow)" noop_syn_full dump_syn migra_noop_syn
echo
[[ -n $MIGRA ]] || echo "migra: n/a: $MIGRA_WHY"
echo "migra: the database against itself for the no-op rows; for the 3-change rows, GitLab against a copy with the same 3 changes made in SQL"

# The phases say where a plan's time goes (the fast no-op ones are issue 17's subject).
for key in noop_gl_fast noop_syn_fast noop_gl_full noop_syn_full chg_gl_fast chg_gl_full; do
    [[ -n ${SECS[$key]:-} ]] || continue
    echo
    echo "$key --timings (last run):"
    grep '^timing' "$RUN/$key.err" || true
done

if ((${#FAILED[@]})); then
    echo
    printf 'FAILED: %s\n' "${FAILED[@]}"
    exit 1
fi
