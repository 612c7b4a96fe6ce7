#!/usr/bin/env bash
# What TLS costs a connection, side by side in one run: `schemaplan inspect` of the example
# schema over TCP without TLS and with `sslmode=verify-full`, and — as the yardstick of what the
# TLS handshake itself costs — `psql -c 'select 1'` with the same two settings (libpq's own
# connect). If schemaplan's TLS overhead matches psql's, connecting adds nothing beyond the
# handshake. Also counted, with strace: the socket writes and reads of one inspect each way.
# Usage: scripts/tlsbench.sh [RUNS]   (default 20; KEEP=1 keeps the scratch directory)
set -euo pipefail
cd "$(dirname "$0")/.."
NAME=tlsbench PORT=${PORT:-54331} KEEP=${KEEP:-0}
RUNS=${1:-20}
# shellcheck source=scripts/benchlib.sh
source scripts/benchlib.sh

bench_binary

# A throwaway CA and a server certificate for localhost, made before the server starts.
CERTS=$(mktemp -d /tmp/tlsbench-certs.XXXXXX)
trap 'rm -rf "$CERTS"' RETURN
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 \
    -subj "/CN=tlsbench CA" -keyout "$CERTS/ca.key" -out "$CERTS/ca.crt" 2>/dev/null
openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -subj "/CN=localhost" \
    -keyout "$CERTS/server.key" -out "$CERTS/server.csr" 2>/dev/null
printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\n' >"$CERTS/san.ext"
openssl x509 -req -in "$CERTS/server.csr" -CA "$CERTS/ca.crt" -CAkey "$CERTS/ca.key" \
    -CAcreateserial -days 2 -extfile "$CERTS/san.ext" -out "$CERTS/server.crt" 2>/dev/null
chmod 755 "$CERTS"
chmod 600 "$CERTS/server.key"
[[ $(id -u) == 0 ]] && chown postgres: "$CERTS/server.key" "$CERTS/server.crt"

bench_cluster "-c listen_addresses=127.0.0.1 -c ssl=on -c ssl_cert_file=$CERTS/server.crt \
    -c ssl_key_file=$CERTS/server.key"
q -c "CREATE DATABASE bench"
"$BIN" apply --yes --no-rehearse --database-url "$(dsn bench)" --desired schema >"$RUN/apply.log" 2>&1 || {
    cat "$RUN/apply.log" >&2
    exit 1
}
log "example schema applied to database bench"

plain="host=127.0.0.1 port=$PORT user=postgres dbname=bench sslmode=disable"
tls="host=localhost port=$PORT user=postgres dbname=bench sslmode=verify-full sslrootcert=$CERTS/ca.crt"

# Median wall time in milliseconds of RUNS runs of a command.
median_ms() {
    local times=() t0
    for _ in $(seq "$RUNS"); do
        t0=$EPOCHREALTIME
        "$@" >/dev/null 2>&1
        times+=("$(python3 -c "import sys; print((float(sys.argv[2]) - float(sys.argv[1])) * 1000)" "$t0" "$EPOCHREALTIME")")
    done
    printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {printf "%.1f", (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'
}

# Socket writes and reads of one run (strace), when strace is there.
syscalls() {
    command -v strace >/dev/null || { echo "n/a"; return; }
    strace -f -qq -e trace=sendto,sendmsg,write,recvfrom,recvmsg,read -o "$RUN/strace.log" "$@" >/dev/null 2>&1
    # Only calls on sockets: the fds the process connected.
    python3 - "$RUN/strace.log" <<'EOF'
import re, sys
socks, n = set(), {"out": 0, "in": 0}
for line in open(sys.argv[1]):
    m = re.match(r'\d+\s+(\w+)\((\d+),', line)
    if not m:
        continue
    call, fd = m.group(1), m.group(2)
    if call in ("sendto", "sendmsg", "recvfrom", "recvmsg"):
        socks.add(fd)
    if fd in socks or call in ("sendto", "sendmsg", "recvfrom", "recvmsg"):
        n["out" if call.startswith(("send", "write")) else "in"] += 1
print(f"{n['out']} writes, {n['in']} reads")
EOF
}

log "timing $RUNS runs of each"
inspect_plain=$(median_ms "$BIN" inspect --database-url "$plain")
inspect_tls=$(median_ms "$BIN" inspect --database-url "$tls")
psql_plain=$(median_ms psql -X -q -d "$plain" -c 'select 1')
psql_tls=$(median_ms psql -X -q -d "$tls" -c 'select 1')
calls_plain=$(syscalls "$BIN" inspect --database-url "$plain")
calls_tls=$(syscalls "$BIN" inspect --database-url "$tls")

printf '\n| %-34s | %10s | %16s | %s\n' "" "no TLS" "verify-full TLS" "TLS costs"
printf '| %-34s | %7s ms | %13s ms | %+.1f ms\n' "schemaplan inspect (example schema)" \
    "$inspect_plain" "$inspect_tls" "$(python3 -c "print($inspect_tls - $inspect_plain)")"
printf '| %-34s | %7s ms | %13s ms | %+.1f ms\n' "psql -c 'select 1' (libpq)" \
    "$psql_plain" "$psql_tls" "$(python3 -c "print($psql_tls - $psql_plain)")"
printf '| %-34s | %10s | %16s |\n' "inspect socket calls (strace)" "$calls_plain" "$calls_tls"
