# Shared environment of the infra scripts: locates the repository, loads the
# pinned versions (infra/versions.env), derives the state folders, provides the
# messages every script prints, and sources the rest of the toolkit (lib/ and
# one file per service under services/). Sourced, never executed.

# shellcheck source-path=SCRIPTDIR
SEXTANT_INFRA_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck disable=SC2034 # read by versions.env
SEXTANT_REPO_ROOT=$(cd "${SEXTANT_INFRA_DIR}/.." && pwd)
# shellcheck source=../versions.env
source "${SEXTANT_INFRA_DIR}/versions.env"

# Absolute, because paths end up in pid markers and generated configs.
SEXTANT_HOME=$(realpath -m "${SEXTANT_HOME}")
SEXTANT_CACHE_DIR=$(realpath -m "${SEXTANT_CACHE_DIR}")
SEXTANT_LOG_DIR="${SEXTANT_HOME}/logs"
SEXTANT_DATA_DIR="${SEXTANT_HOME}/data"
SEXTANT_RUN_DIR="${SEXTANT_HOME}/run"
SEXTANT_CONF_DIR="${SEXTANT_HOME}/conf"
# shellcheck disable=SC2034 # read by start.sh and status.sh
SEXTANT_ENV_FILE="${SEXTANT_HOME}/env"

# Services in start order; stop walks it backwards.
SEXTANT_SERVICES=(kafka registry redis)

say() { printf '[infra] %s\n' "$*"; }
warn() { printf '[infra] WARNING: %s\n' "$*" >&2; }
die() { printf '[infra] ERROR: %s\n' "$*" >&2; exit 1; }

ensure_state_dirs() {
  mkdir -p "${SEXTANT_LOG_DIR}" "${SEXTANT_DATA_DIR}" "${SEXTANT_RUN_DIR}" "${SEXTANT_CONF_DIR}"
}

# Serialises scripts working on the same SEXTANT_HOME (two test runs calling
# start.sh at once must not both launch a broker). Held until the script exits.
lock_home() {
  ensure_state_dirs
  exec 8>"${SEXTANT_RUN_DIR}/.lock"
  if ! flock -n 8; then
    say "waiting for another infra script working on ${SEXTANT_HOME} (lock ${SEXTANT_RUN_DIR}/.lock)..."
    flock -w 600 8 || die "another infra script has held ${SEXTANT_RUN_DIR}/.lock for 10 minutes"
  fi
}

# Validates service names given on a command line; prints them in start order.
select_services() {
  local s wanted
  if [[ $# -eq 0 ]]; then printf '%s\n' "${SEXTANT_SERVICES[@]}"; return; fi
  for wanted in "$@"; do
    [[ " ${SEXTANT_SERVICES[*]} " == *" ${wanted} "* ]] || die "unknown service '${wanted}' (known: ${SEXTANT_SERVICES[*]})"
  done
  for s in "${SEXTANT_SERVICES[@]}"; do
    [[ " $* " == *" ${s} "* ]] && printf '%s\n' "$s"
  done
  return 0
}

# The rest of the toolkit: process supervision, Java and Maven, one file per service.
# shellcheck source=process.sh
source "${SEXTANT_INFRA_DIR}/lib/process.sh"
# shellcheck source=java.sh
source "${SEXTANT_INFRA_DIR}/lib/java.sh"
# shellcheck source=maven.sh
source "${SEXTANT_INFRA_DIR}/lib/maven.sh"
for _service in "${SEXTANT_SERVICES[@]}"; do
  # shellcheck disable=SC1090
  source "${SEXTANT_INFRA_DIR}/services/${_service}.sh"
done
unset _service
# shellcheck source=packages.sh
source "${SEXTANT_INFRA_DIR}/lib/packages.sh"
