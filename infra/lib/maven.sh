# Maven access for downloads from Maven Central. Sourced.

# maven_run ARGS...: mvn in batch mode, quietly; its output goes to
# ${SEXTANT_CACHE_DIR}/maven.log and is shown only when it fails. Uses a
# dedicated local repository when SEXTANT_MAVEN_REPO is set (CI may cache it
# together with the download cache), else Maven's own ~/.m2.
maven_run() {
  local log="${SEXTANT_CACHE_DIR}/maven.log" repo=()
  [[ -n ${SEXTANT_MAVEN_REPO} ]] && repo=(-Dmaven.repo.local="${SEXTANT_MAVEN_REPO}")
  if ! mvn -B -ntp --strict-checksums "${repo[@]}" "$@" >"$log" 2>&1; then
    grep -E '^\[(ERROR|WARNING)\]' "$log" | head -n 20 >&2
    warn "full Maven output: $log"
    return 1
  fi
}
