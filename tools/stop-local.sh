#!/usr/bin/env bash
# Stops what tools/run-local.sh started: the stages first (SIGTERM: they drain and commit), then the store, then
# the infrastructure (unless --services-only).
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export SEXTANT_HOME="${SEXTANT_HOME:-$PWD/.sextant}"
# The declared stages in pipeline order (receivers first), so upstream stops before what it feeds.
while read -r app _port; do
  pidf="$SEXTANT_HOME/run/$app.pid"
  [ -f "$pidf" ] || continue
  pid=$(cat "$pidf")
  if kill -TERM "$pid" 2>/dev/null; then
    for _ in $(seq 1 80); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    kill -0 "$pid" 2>/dev/null && kill -KILL "$pid"
    echo "$app: stopped"
  fi
  rm -f "$pidf"
done < <(node tools/stages.mjs; echo "store 8123")
[ "${1:-}" = "--services-only" ] || bash infra/stop.sh
