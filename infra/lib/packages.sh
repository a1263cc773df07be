# Debian packages the infrastructure needs, and the check that decides whether
# setup.sh has anything left to do. Sourced after env.sh, java.sh and services.

# command -> Debian package providing it.
declare -A SEXTANT_APT_PACKAGES=(
  [redis-server]=redis-server
  [redis-cli]=redis-tools
  [kcat]=kcat
  [mvn]=maven
  [curl]=curl
  [flock]=util-linux
  # Prometheus 2 (and promtool), the reference remote-write sender and scraper of the end-to-end tests.
  [prometheus]=prometheus
  [promtool]=prometheus
  # The exporter that Prometheus and Sextant's scraper both scrape in the end-to-end tests.
  [prometheus-node-exporter]=prometheus-node-exporter
)

# Prints the packages whose commands are missing (plus a JRE when no Java 17+).
missing_packages() {
  local cmd
  for cmd in "${!SEXTANT_APT_PACKAGES[@]}"; do
    command -v "$cmd" >/dev/null || printf '%s\n' "${SEXTANT_APT_PACKAGES[$cmd]}"
  done
  (kafka_java >/dev/null 2>&1) || printf '%s\n' openjdk-17-jre-headless
  return 0
}

# apt_install PKG...: one `apt-get update`, then a non-interactive install.
# Service start-up is blocked during the install (policy-rc.d), so Debian's
# own redis-server does not grab port 6379 on machines where init scripts run.
apt_install() {
  local sudo="" policy=/usr/sbin/policy-rc.d added_policy=0
  if ((EUID != 0)); then
    command -v sudo >/dev/null || die "installing $* needs root (or sudo)"
    sudo=sudo
  fi
  if [[ ! -e $policy ]]; then
    printf '#!/bin/sh\nexit 101\n' | $sudo tee "$policy" >/dev/null && $sudo chmod +x "$policy" && added_policy=1
  fi
  local log="${SEXTANT_CACHE_DIR}/apt.log" rc=0
  say "apt-get: installing $* (output in $log)"
  {
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get update \
      && $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "$@"
  } >"$log" 2>&1 || rc=$?
  if ((added_policy)); then $sudo rm -f "$policy"; fi
  if ((rc != 0)); then
    tail -n 20 "$log" >&2
    die "apt-get install $* failed (exit $rc); full output: $log"
  fi
}

# True when setup.sh would have nothing to do.
infra_installed() {
  [[ -z $(missing_packages) ]] && kafka_installed && registry_installed
}
