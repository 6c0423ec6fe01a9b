#!/usr/bin/env bash
# npm test: static checks, then the whole suite on the embedded PGlite, then again on a real
# PostgreSQL 15 (a throwaway cluster this script starts, unless DATABASE_URL already points at one)
# the test files that touch the database (scripts/database-tests.ts lists them; the rule is in
# test/support/databaseTests.ts). Ends with one closing line that adds up both runs:
# "N passed, N failed, N skipped".
set -uo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-deps.sh || exit 1
MOCHA=node_modules/.bin/mocha
status=0
log=$(mktemp)

echo "== Type check and lint =="
node_modules/.bin/tsc --noEmit -p . || status=1
node_modules/.bin/eslint . || status=1
node_modules/.bin/prettier --check --log-level warn . || status=1

echo "== Test suite on PGlite (embedded) =="
env -u DATABASE_URL "$MOCHA" "$@" | tee -a "$log"
[ "${PIPESTATUS[0]}" -eq 0 ] || status=1

echo "== Test suite on PostgreSQL (the test files that touch the database) =="
files=$(node_modules/.bin/tsx scripts/database-tests.ts) || status=1
started=""
if [ -z "${DATABASE_URL:-}" ]; then
  eval "$(bash scripts/pg-test.sh start)" || { echo "could not start PostgreSQL" >&2; exit 1; }
  started=1
fi
TVPB_TEST_FILES="$files" "$MOCHA" --config test/mocharc.database.cjs "$@" | tee -a "$log"
[ "${PIPESTATUS[0]}" -eq 0 ] || status=1
[ -n "$started" ] && bash scripts/pg-test.sh stop

read -r p f s < <(grep -E '^[0-9]+ passed, [0-9]+ failed, [0-9]+ skipped$' "$log" | awk '{p+=$1; f+=$3; s+=$5} END {print p+0, f+0, s+0}')
rm -f "$log"
[ "$status" -ne 0 ] && [ "$f" -eq 0 ] && f=1   # a run that crashed or a static check that failed still counts
echo ""
echo "Both databases:"
echo "$p passed, $f failed, $s skipped"
exit $status
