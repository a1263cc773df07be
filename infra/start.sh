#!/usr/bin/env bash
# Starts Sextant's local infrastructure (Kafka, schema registry, Redis) unless
# already running, waits until each is healthy, and writes ${SEXTANT_HOME}/env
# for other scripts to source. Runs setup.sh first when something is missing.
# Usage: infra/start.sh [--fresh] [kafka|registry|redis ...]
#   --fresh  stop the selected services and wipe their data before starting.
set -euo pipefail
# shellcheck source=lib/env.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/env.sh"

fresh=0
names=()
for arg in "$@"; do
  case $arg in
    --fresh) fresh=1 ;;
    -h | --help) sed -n '2,7p' "$0"; exit 0 ;;
    -*) die "unknown option $arg (usage: infra/start.sh [--fresh] [service...])" ;;
    *) names+=("$arg") ;;
  esac
done
selected=$(select_services "${names[@]}") || exit 1
mapfile -t services <<<"$selected"

if ! infra_installed; then
  "${SEXTANT_INFRA_DIR}/setup.sh"
fi
lock_home

if ((fresh)); then
  for ((i = ${#services[@]} - 1; i >= 0; i--)); do
    s=${services[i]}
    stop_service "$s" "$("${s}_marker")"
    rm -rf "$("${s}_data_dir")"
    say "$s: data wiped"
  done
fi

# Launches SERVICE unless our instance already runs; refuses a port held by a stranger.
launch() {
  local s=$1 marker port pid
  marker=$("${s}_marker")
  port=$("${s}_port")
  if pid=$(service_pid "$s" "$marker"); then
    say "$s: already running (pid $pid)"
    return 0
  fi
  if port_open "$port"; then
    die "$s: port $port is taken by a process this SEXTANT_HOME did not start. Stop it, or pick another port (see infra/versions.env)"
  fi
  "${s}_launch"
  say "$s: started (pid $(<"$(pid_file "$s")"), log $(log_file "$s"))"
}

await() {
  local s=$1 start=$SECONDS
  wait_healthy "$s" "$("${s}_marker")" "${s}_healthy"
  say "$s: healthy on 127.0.0.1:$("${s}_port") ($((SECONDS - start))s)"
}

ensure_state_dirs
# Kafka first (a registry on kafkasql storage would need it); Redis starts
# meanwhile. The registry waits for a healthy broker so the two JVMs do not
# fight over the CPU during their start-up.
has() { [[ " ${services[*]} " == *" $1 "* ]]; }
if has kafka; then launch kafka; fi
if has redis; then launch redis; fi
if has kafka; then await kafka; fi
if has registry; then launch registry; await registry; fi
if has redis; then await redis; fi

tmp_env=$(mktemp "${SEXTANT_HOME}/.env.XXXXXX")
cat >"$tmp_env" <<ENV
# Written by infra/start.sh; source it to reach the local infrastructure.
export SEXTANT_KAFKA_BROKERS=127.0.0.1:${SEXTANT_KAFKA_PORT}
export SEXTANT_SCHEMA_REGISTRY_URL=$(registry_url)
export SEXTANT_REDIS_URL=redis://127.0.0.1:${SEXTANT_REDIS_PORT}
ENV
mv -f "$tmp_env" "${SEXTANT_ENV_FILE}"
say "ready; environment in ${SEXTANT_ENV_FILE}, logs in ${SEXTANT_LOG_DIR}"
