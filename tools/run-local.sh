#!/usr/bin/env bash
# Runs the whole pipeline on this machine without Docker: installs dependencies and infrastructure, starts
# Kafka, the schema registry and Redis, builds, and starts ingest, parser and sink (the sink embeds
# ClickHouse and serves read-only queries on :8123). Logs: .sextant/logs/<name>.log. Stop: npm run stop.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export SEXTANT_HOME="${SEXTANT_HOME:-$PWD/.sextant}"
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  bash deploy/npm-ci.sh
fi
bash infra/start.sh
# shellcheck disable=SC1091
source "$SEXTANT_HOME/env"
npx tsc -b tsconfig.json
mkdir -p "$SEXTANT_HOME/logs" "$SEXTANT_HOME/run" "$SEXTANT_HOME/data"

export SEXTANT_AUTH_ANONYMOUS="${SEXTANT_AUTH_ANONYMOUS:-true}"
export SEXTANT_CLICKHOUSE_PATH="${SEXTANT_CLICKHOUSE_PATH:-$SEXTANT_HOME/data/clickhouse}"

declare -A PORTS=([ingest]=4318 [parser]=8301 [sink]=8302)
for app in sink parser ingest; do
  pidf="$SEXTANT_HOME/run/$app.pid"
  if [ -f "$pidf" ] && kill -0 "$(cat "$pidf")" 2>/dev/null; then
    echo "$app: already running (pid $(cat "$pidf"))"
    continue
  fi
  nohup node "apps/$app/dist/main.js" >>"$SEXTANT_HOME/logs/$app.log" 2>&1 &
  echo $! >"$pidf"
  echo "$app: started (pid $!, log $SEXTANT_HOME/logs/$app.log)"
done
for app in sink parser ingest; do
  port=${PORTS[$app]}
  for _ in $(seq 1 120); do
    if curl -fsS "http://127.0.0.1:$port/readyz" >/dev/null 2>&1; then echo "$app: ready on :$port"; continue 2; fi
    if ! kill -0 "$(cat "$SEXTANT_HOME/run/$app.pid")" 2>/dev/null; then echo "$app exited; see $SEXTANT_HOME/logs/$app.log" >&2; tail -20 "$SEXTANT_HOME/logs/$app.log" >&2; exit 1; fi
    sleep 0.5
  done
  echo "$app: not ready after 60 s; see $SEXTANT_HOME/logs/$app.log" >&2
  exit 1
done
echo
echo "Sextant is running: OTLP/HTTP on http://127.0.0.1:4318, queries on http://127.0.0.1:8123. Stop with: npm run stop"
