#!/usr/bin/env bash
# Runs the whole pipeline on this machine without Docker: installs dependencies and infrastructure, starts
# Kafka, the schema registry and Redis, builds, and starts the store (embedded ClickHouse behind ClickHouse's
# HTTP interface on :8123) and the stages. Logs: .sextant/logs/<name>.log. Stop: npm run stop.
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
# The store: the embedded ClickHouse engine in a process of its own, serving ClickHouse's HTTP interface, which
# every stage reaches as it would reach a server.
export SEXTANT_STORE_PORT="${SEXTANT_STORE_PORT:-8123}"
export SEXTANT_STORE_PATH="${SEXTANT_STORE_PATH:-$SEXTANT_HOME/data/clickhouse}"
export CLICKHOUSE_URL="${CLICKHOUSE_URL:-http://127.0.0.1:$SEXTANT_STORE_PORT}"

# start <name> <script> <port> [node options]: starts a process unless it runs, then waits for its /readyz.
start() {
  local name=$1 script=$2 port=$3 options=${4:-} pidf="$SEXTANT_HOME/run/$1.pid"
  if [ -f "$pidf" ] && kill -0 "$(cat "$pidf")" 2>/dev/null; then
    echo "$name: already running (pid $(cat "$pidf"))"
  else
    NODE_OPTIONS="${NODE_OPTIONS:-} $options" nohup node "$script" >>"$SEXTANT_HOME/logs/$name.log" 2>&1 &
    echo $! >"$pidf"
    echo "$name: started (pid $!, log $SEXTANT_HOME/logs/$name.log)"
  fi
  for _ in $(seq 1 120); do
    if curl -fsS "http://127.0.0.1:$port/readyz" >/dev/null 2>&1; then echo "$name: ready on :$port"; return 0; fi
    if ! kill -0 "$(cat "$pidf")" 2>/dev/null; then echo "$name exited; see $SEXTANT_HOME/logs/$name.log" >&2; tail -20 "$SEXTANT_HOME/logs/$name.log" >&2; exit 1; fi
    sleep 0.5
  done
  echo "$name: not ready after 60 s; see $SEXTANT_HOME/logs/$name.log" >&2
  exit 1
}

# The store first (unless a ClickHouse server is configured), then the declared stages
# (libs/contracts/src/stages.ts), storage side first.
if [ "$CLICKHOUSE_URL" = "http://127.0.0.1:$SEXTANT_STORE_PORT" ]; then
  start store infra/store/dist/main.js "$SEXTANT_STORE_PORT"
fi
while read -r name port options; do
  start "$name" "apps/$name/dist/main.js" "$port" "$options"
done < <(node tools/stages.mjs --reverse)
echo
echo "Sextant is running: OTLP/HTTP on http://127.0.0.1:4318, ClickHouse HTTP on $CLICKHOUSE_URL. Stop with: npm run stop"
