#!/usr/bin/env bash
# The whole test suite, from a fresh clone: installs dependencies and local infrastructure, builds, lints,
# starts Kafka + schema registry + Redis (embedded ClickHouse runs in-process), runs the unit, integration and
# end-to-end tests, stops the infrastructure, and ends with one line "N passed, N failed".
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export NX_DAEMON=false NX_NO_CLOUD=true NX_TUI=false
export SEXTANT_HOME="${SEXTANT_HOME:-$PWD/.sextant}"
log() { printf '\n=== %s\n' "$*"; }
die() { printf 'test-all: %s\n' "$*" >&2; echo "0 passed, 1 failed"; exit 1; }

log "dependencies"
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  bash deploy/npm-ci.sh || die "npm ci failed"
fi
log "infrastructure tools"
bash infra/setup.sh || die "infra/setup.sh failed"
bash deploy/install-tools.sh || die "deploy/install-tools.sh failed"

log "build"
npx tsc -b tsconfig.json || die "build failed"
log "lint"
npm run --silent lint || die "lint failed"

log "start infrastructure"
bash infra/start.sh --fresh || die "infra/start.sh failed (logs in $SEXTANT_HOME/logs)"
# shellcheck disable=SC1091
source "$SEXTANT_HOME/env"
trap 'bash infra/stop.sh >/dev/null 2>&1' EXIT

passed=0
failed=0
for kind in unit int e2e; do
  log "$kind tests"
  out=$(mktemp)
  node tools/run-tests.mjs "$kind" 2>&1 | tee "$out"
  status=${PIPESTATUS[0]}
  p=$(grep -E '^ℹ pass [0-9]+' "$out" | tail -1 | awk '{print $3}')
  f=$(grep -E '^ℹ fail [0-9]+' "$out" | tail -1 | awk '{print $3}')
  passed=$((passed + ${p:-0}))
  failed=$((failed + ${f:-0}))
  if [ "$status" -ne 0 ] && [ "${f:-0}" -eq 0 ]; then failed=$((failed + 1)); echo "$kind test run exited $status"; fi
  rm -f "$out"
done

echo
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
