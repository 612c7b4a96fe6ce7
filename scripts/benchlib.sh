# shellcheck shell=bash
# Shared by the benchmark scripts (sourced, not run): the release binary and a throwaway
# PostgreSQL cluster that is removed on exit.
#
# The sourcing script sets NAME (its name, for log lines and the scratch directory), PORT and
# KEEP, and defines nothing below. After `bench_binary`, BIN is the schemaplan binary; after
# `bench_cluster EXTRA_SERVER_OPTIONS`, the cluster runs with its socket in PGDIR, RUN is a
# directory for the script's own files, PG* variables point psql and pgbench at it, `q` runs
# psql, `dsn DB` gives a connection string, and background processes added to BG_PIDS are
# stopped on exit.

log() { printf '%s [%s] %s\n' "$(date +%T)" "$NAME" "$*" >&2; }
# Prefixes every line read with the epoch time (seconds, microseconds) it was read at.
stamp() {
    local line
    while IFS= read -r line; do printf '%s %s\n' "$EPOCHREALTIME" "$line"; done
}

# SCHEMAPLAN_BIN, or target/release/schemaplan built now.
bench_binary() {
    if [[ -n ${SCHEMAPLAN_BIN:-} ]]; then
        BIN=$SCHEMAPLAN_BIN
    else
        log "building the release binary"
        cargo build --release --bin schemaplan --quiet
        local target_dir
        target_dir=$(cargo metadata --format-version 1 --no-deps |
            python3 -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')
        BIN=$target_dir/release/schemaplan
    fi
    [[ -x $BIN ]] || {
        echo "no schemaplan binary at $BIN" >&2
        exit 1
    }
    log "using $BIN ($("$BIN" --version))"
}

bench_cleanup() {
    local rc=$?
    set +e
    for pid in "${BG_PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null; done
    if [[ -f $PGDIR/data/postmaster.pid ]]; then
        as_server "$PGBIN/pg_ctl" -D "$PGDIR/data" -m immediate -w stop >/dev/null 2>&1
    fi
    if [[ $KEEP == 1 ]]; then
        log "kept $WORK"
    else
        rm -rf "$WORK"
    fi
    exit "$rc"
}

# Starts the cluster (as `postgres` when root) with the server options given, on top of a
# unix socket only, fsync off and lock waits over 100 ms logged.
bench_cluster() {
    PGBIN=$(pg_config --bindir)
    WORK=$(mktemp -d "/tmp/$NAME.XXXXXX")
    chmod 755 "$WORK"
    PGDIR=$WORK/pg # owned by the server's user: data directory, socket, server log
    RUN=$WORK/run  # everything the script writes
    mkdir -p "$PGDIR" "$RUN"
    if [[ $(id -u) == 0 ]]; then
        chown postgres: "$PGDIR"
        as_server() { runuser -u postgres -- "$@"; }
    else
        as_server() { "$@"; }
    fi
    BG_PIDS=()
    trap bench_cleanup EXIT
    trap 'exit 130' INT TERM

    log "starting a throwaway PostgreSQL cluster in $PGDIR"
    as_server "$PGBIN/initdb" --no-sync -A trust -U postgres -D "$PGDIR/data" >"$RUN/initdb.log" 2>&1 || {
        cat "$RUN/initdb.log" >&2
        exit 1
    }
    # log_lock_waits: every lock wait longer than deadlock_timeout lands in the server log.
    as_server "$PGBIN/pg_ctl" -D "$PGDIR/data" -l "$PGDIR/server.log" -w -t 60 \
        -o "-p $PORT -c fsync=off -c listen_addresses='' -c unix_socket_directories=$PGDIR \
            -c max_connections=100 -c log_lock_waits=on -c deadlock_timeout=100ms \
            -c log_line_prefix='%m [%p] ' $1" \
        start >"$RUN/pg_ctl.log" 2>&1 || {
        cat "$RUN/pg_ctl.log" "$PGDIR/server.log" >&2
        exit 1
    }
    export PGHOST=$PGDIR PGPORT=$PORT PGUSER=postgres
    unset PGDATABASE PGPASSWORD PGSERVICE DATABASE_URL PGOPTIONS
}

q() { psql -X -q -v ON_ERROR_STOP=1 "$@"; }
dsn() { echo "host=$PGDIR port=$PORT user=postgres dbname=$1"; }
