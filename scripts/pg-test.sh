#!/usr/bin/env bash
# Starts a throwaway PostgreSQL 15 cluster on 127.0.0.1 for the test suite and prints its URL.
# Usage: eval "$(scripts/pg-test.sh start)"  …  scripts/pg-test.sh stop
set -euo pipefail
BIN=/usr/lib/postgresql/15/bin
DIR=${PGTEST_DIR:-/tmp/tvpb-pgtest}
PORT=${PGTEST_PORT:-55439}
as_pg() { if [ "$(id -u)" = "0" ]; then su postgres -s /bin/bash -c "$*"; else bash -c "$*"; fi; }
case "${1:-start}" in
  start)
    if [ -f "$DIR/postmaster.pid" ] && as_pg "$BIN/pg_ctl -D $DIR status" >/dev/null 2>&1; then
      echo "export DATABASE_URL=postgres://postgres@127.0.0.1:$PORT/postgres"; exit 0
    fi
    rm -rf "$DIR"; mkdir -p "$DIR"
    [ "$(id -u)" = "0" ] && chown postgres:postgres "$DIR"
    as_pg "$BIN/initdb -D $DIR -A trust -U postgres -E UTF8 --locale=C.UTF-8" >/dev/null
    as_pg "$BIN/pg_ctl -D $DIR -o \"-p $PORT -k /tmp -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c max_connections=200\" -l $DIR/server.log -w start" >/dev/null
    echo "export DATABASE_URL=postgres://postgres@127.0.0.1:$PORT/postgres"
    ;;
  stop)
    as_pg "$BIN/pg_ctl -D $DIR -m fast stop" >/dev/null 2>&1 || true
    ;;
esac
