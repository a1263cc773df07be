#!/usr/bin/env bash
# Reports each service of the local infrastructure: running or not, pid, port
# and health. Exit status 0 when every selected service is healthy, 1 otherwise.
# Usage: infra/status.sh [kafka|registry|redis ...]
set -euo pipefail
# shellcheck source=lib/env.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/env.sh"

for arg in "$@"; do
  [[ $arg == -h || $arg == --help ]] && { sed -n '2,4p' "$0"; exit 0; }
done
selected=$(select_services "$@") || exit 1
mapfile -t services <<<"$selected"

all_healthy=1
printf '%-9s %-8s %-8s %-16s %-10s %s\n' SERVICE STATE PID ADDRESS HEALTH LOG
for s in "${services[@]}"; do
  address="127.0.0.1:$("${s}_port")"
  if pid=$(service_pid "$s" "$("${s}_marker")"); then
    state=running
    if "${s}_healthy"; then health=healthy; else health=unhealthy; all_healthy=0; fi
  else
    state=stopped pid=- all_healthy=0
    if port_open "$("${s}_port")"; then health="port-taken"; else health=-; fi
  fi
  printf '%-9s %-8s %-8s %-16s %-10s %s\n' "$s" "$state" "$pid" "$address" "$health" "$(log_file "$s")"
done
[[ -f ${SEXTANT_ENV_FILE} ]] && printf 'env: %s\n' "${SEXTANT_ENV_FILE}"
((all_healthy))
