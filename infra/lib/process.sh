# Process supervision for the infra scripts: pid files, port probes, launching a
# detached service, waiting for health and stopping gracefully. A pid file alone
# is not trusted: the pid must be alive and its command line must still contain
# the service's marker, so a recycled pid or a zombie is never mistaken for a
# running service (and never killed). Sourced after env.sh.

pid_file() { printf '%s/%s.pid' "${SEXTANT_RUN_DIR}" "$1"; }
log_file() { printf '%s/%s.log' "${SEXTANT_LOG_DIR}" "$1"; }

# service_pid NAME MARKER: prints the live pid of NAME, or returns 1.
service_pid() {
  local name=$1 marker=$2 pf pid cmdline
  pf=$(pid_file "$name")
  [[ -f $pf ]] || return 1
  pid=$(<"$pf")
  [[ $pid =~ ^[0-9]+$ ]] || return 1
  kill -0 "$pid" 2>/dev/null || return 1
  cmdline=$(tr '\0' ' ' <"/proc/${pid}/cmdline" 2>/dev/null) || return 1
  [[ $cmdline == *"${marker}"* ]] || return 1
  printf '%s\n' "$pid"
}

# port_open PORT: true when something accepts TCP connections on 127.0.0.1:PORT.
port_open() {
  timeout 2 bash -c "exec 3<>/dev/tcp/127.0.0.1/$1" 2>/dev/null
}

# Keeps the previous run's log as <name>.log.1, so a crash stays readable after a restart.
rotate_log() {
  local log=$1
  [[ -s $log ]] && mv -f "$log" "${log}.1"
  : >"$log"
}

# spawn_service NAME CMD...: starts CMD in its own session (it outlives the
# calling shell and its process group), output appended to NAME's log. The
# child writes its own pid before exec, so the pid file names the real process.
spawn_service() {
  local name=$1 pf log i
  shift
  pf=$(pid_file "$name")
  log=$(log_file "$name")
  rm -f "$pf"
  printf '=== %s starting %s: %s\n' "$(date -Is)" "$name" "$*" >>"$log"
  # fds 8 and 9 hold the home and cache locks: a service inheriting them would keep them forever.
  # shellcheck disable=SC2016 # expanded by the child shell
  setsid bash -c 'echo $$ >"$0"; exec "$@"' "$pf" "$@" >>"$log" 2>&1 </dev/null 8>&- 9>&- &
  for ((i = 0; i < 50; i++)); do
    [[ -s $pf ]] && return 0
    sleep 0.1
  done
  die "${name} did not start (no pid file); see $log"
}

# wait_healthy NAME MARKER CHECK_FN: polls CHECK_FN until it succeeds, the
# process dies, or SEXTANT_START_TIMEOUT passes; the last two end the script
# with the log's tail, since that is where the reason is.
wait_healthy() {
  local name=$1 marker=$2 check=$3 log deadline
  log=$(log_file "$name")
  deadline=$((SECONDS + SEXTANT_START_TIMEOUT))
  while ((SECONDS < deadline)); do
    if "$check"; then return 0; fi
    if ! service_pid "$name" "$marker" >/dev/null; then
      rm -f "$(pid_file "$name")"
      tail -n 25 "$log" >&2 || true
      die "${name} exited during start-up; full log: $log"
    fi
    sleep 0.5
  done
  tail -n 25 "$log" >&2 || true
  die "${name} not healthy after ${SEXTANT_START_TIMEOUT}s (SEXTANT_START_TIMEOUT); it is left running for inspection (infra/stop.sh ${name}); full log: $log"
}

# stop_service NAME MARKER: SIGTERM, wait up to SEXTANT_STOP_TIMEOUT, then SIGKILL.
stop_service() {
  local name=$1 marker=$2 pid deadline
  if ! pid=$(service_pid "$name" "$marker"); then
    rm -f "$(pid_file "$name")"
    say "${name}: not running"
    return 0
  fi
  kill -TERM "$pid" 2>/dev/null || true
  deadline=$((SECONDS + SEXTANT_STOP_TIMEOUT))
  while ((SECONDS < deadline)) && service_pid "$name" "$marker" >/dev/null; do
    sleep 0.2
  done
  if service_pid "$name" "$marker" >/dev/null; then
    warn "${name} (pid ${pid}) ignored SIGTERM for ${SEXTANT_STOP_TIMEOUT}s; sending SIGKILL"
    kill -KILL "$pid" 2>/dev/null || true
    sleep 0.5
  fi
  rm -f "$(pid_file "$name")"
  say "${name}: stopped (pid ${pid})"
}
