#!/usr/bin/env bash
# Start a throwaway PostgreSQL server for the tests (Debian's package) and print its address.
#
#   eval "$(scripts/start-postgres.sh)"     # exports MARSAD_TEST_POSTGRES=postgresql://...
#
# Installs the package if it is missing (apt-get, as root or with sudo), creates a cluster in a
# temporary directory owned by the postgres user (the server refuses to run as root), listens on
# 127.0.0.1 only, and creates the database marsad_test. Idempotent: a server already started by
# this script on the same port is reused.
set -euo pipefail
PORT="${MARSAD_PG_PORT:-54329}"
DATA="${MARSAD_PG_DATA:-/tmp/marsad-pg-$PORT}"
SUDO=""
if [ "$(id -u)" != "0" ] && command -v sudo >/dev/null 2>&1; then SUDO="sudo"; fi

BIN="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)"
if [ -z "$BIN" ] || [ ! -x "$BIN/initdb" ]; then
    $SUDO apt-get update -q >/dev/null 2>&1 || true
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q postgresql >/dev/null
    BIN="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)"
fi

as_pg() {
    if [ "$(id -u)" = "0" ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

if ! as_pg "$BIN/pg_isready" -h 127.0.0.1 -p "$PORT" -q 2>/dev/null; then
    if [ ! -f "$DATA/PG_VERSION" ]; then
        mkdir -p "$DATA"
        if [ "$(id -u)" = "0" ]; then chown postgres:postgres "$DATA"; fi
        as_pg "$BIN/initdb" -D "$DATA" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
    fi
    as_pg "$BIN/pg_ctl" -D "$DATA" -l "$DATA/server.log" -w -t 60 \
        -o "-c listen_addresses=127.0.0.1 -p $PORT -k /tmp -c max_connections=100 -c fsync=off" start >/dev/null
fi
as_pg "$BIN/psql" -h 127.0.0.1 -p "$PORT" -U postgres -tAc "SELECT 1 FROM pg_database WHERE datname = 'marsad_test'" \
    | grep -q 1 || as_pg "$BIN/createdb" -h 127.0.0.1 -p "$PORT" -U postgres marsad_test
echo "export MARSAD_TEST_POSTGRES=postgresql://postgres@127.0.0.1:$PORT/marsad_test"
