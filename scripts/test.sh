#!/usr/bin/env bash
# npm test: the whole suite on the embedded PGlite, then on a real PostgreSQL 15 (a throwaway
# cluster this script starts, unless DATABASE_URL already points at one).
set -uo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-deps.sh || exit 1
MOCHA=node_modules/.bin/mocha
status=0

echo "== Test suite on PGlite (embedded) =="
env -u DATABASE_URL "$MOCHA" "$@" || status=1

echo "== Test suite on PostgreSQL =="
started=""
if [ -z "${DATABASE_URL:-}" ]; then
  eval "$(bash scripts/pg-test.sh start)" || { echo "could not start PostgreSQL" >&2; exit 1; }
  started=1
fi
"$MOCHA" "$@" || status=1
[ -n "$started" ] && bash scripts/pg-test.sh stop
exit $status
