#!/usr/bin/env bash
# Stops Sextant's local infrastructure: SIGTERM, up to SEXTANT_STOP_TIMEOUT
# seconds of grace, then SIGKILL; pid files are removed. Only processes named
# by our pid files (and still matching their command line) are signalled.
# Usage: infra/stop.sh [kafka|registry|redis ...]
set -euo pipefail
# shellcheck source=lib/env.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/env.sh"

for arg in "$@"; do
  [[ $arg == -h || $arg == --help ]] && { sed -n '2,5p' "$0"; exit 0; }
done
selected=$(select_services "$@") || exit 1
mapfile -t services <<<"$selected"
lock_home

# Reverse start order: clients of Kafka go before the broker.
for ((i = ${#services[@]} - 1; i >= 0; i--)); do
  s=${services[i]}
  stop_service "$s" "$("${s}_marker")"
done
