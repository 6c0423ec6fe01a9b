#!/usr/bin/env bash
# npm test: static checks (tsc, eslint, prettier), the whole suite on the embedded PGlite, and on a
# real PostgreSQL 15 (a throwaway cluster this script starts, unless DATABASE_URL already points at
# one) the test files that touch the database (scripts/database-tests.ts lists them; the rule is in
# test/support/databaseTests.ts). Ends with one closing line that adds up both runs:
# "N passed, N failed, N skipped".
#
# On a machine with 4 cores or more the three parts run side by side (the PGlite run prints as it
# goes, the others when they end); with fewer, one after another. TVPB_TEST_PARALLEL=1 or 0 decides.
set -uo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-deps.sh || exit 1
MOCHA=node_modules/.bin/mocha
cores=$(nproc 2>/dev/null || echo 1)
parallel=${TVPB_TEST_PARALLEL:-$([ "$cores" -ge 4 ] && echo 1 || echo 0)}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

static_checks() {
  echo "== Type check and lint =="
  local ok=0
  node_modules/.bin/tsc --noEmit -p . || ok=1
  node_modules/.bin/eslint . || ok=1
  node_modules/.bin/prettier --check --log-level warn . || ok=1
  return $ok
}

pglite_run() {
  echo "== Test suite on PGlite (embedded) =="
  env -u DATABASE_URL "$MOCHA" "$@"
}

postgres_run() {
  echo "== Test suite on PostgreSQL (the test files that touch the database) =="
  local files started="" ok=0
  files=$(node_modules/.bin/tsx scripts/database-tests.ts) || return 1
  if [ -z "${DATABASE_URL:-}" ]; then
    eval "$(bash scripts/pg-test.sh start)" || { echo "could not start PostgreSQL" >&2; return 1; }
    started=1
  fi
  TVPB_TEST_FILES="$files" "$MOCHA" --config test/mocharc.database.cjs "$@" || ok=1
  [ -n "$started" ] && bash scripts/pg-test.sh stop
  return $ok
}

status=0
if [ "$parallel" = "1" ]; then
  echo "(static checks and the PostgreSQL run go alongside the PGlite run; their output follows it)"
  static_checks >"$work/static" 2>&1 &
  static_pid=$!
  postgres_run "$@" >"$work/postgres" 2>&1 &
  postgres_pid=$!
  pglite_run "$@" 2>&1 | tee "$work/pglite"
  [ "${PIPESTATUS[0]}" -eq 0 ] || status=1
  wait "$static_pid" || status=1
  wait "$postgres_pid" || status=1
  cat "$work/static" "$work/postgres"
else
  static_checks || status=1
  pglite_run "$@" 2>&1 | tee "$work/pglite"
  [ "${PIPESTATUS[0]}" -eq 0 ] || status=1
  postgres_run "$@" 2>&1 | tee "$work/postgres"
  [ "${PIPESTATUS[0]}" -eq 0 ] || status=1
fi

read -r p f s < <(cat "$work/pglite" "$work/postgres" | grep -E '^[0-9]+ passed, [0-9]+ failed, [0-9]+ skipped$' |
  awk '{p+=$1; f+=$3; s+=$5} END {print p+0, f+0, s+0}')
[ "$status" -ne 0 ] && [ "$f" -eq 0 ] && f=1 # a run that crashed or a static check that failed still counts
echo ""
echo "Both databases:"
echo "$p passed, $f failed, $s skipped"
exit $status
