# Schema registry: Apicurio Registry 3 (Quarkus app from Maven Central) serving
# the Confluent-compatible API under /apis/ccompat/v7. Storage is H2 in a file
# under the data folder, so schema ids survive a restart (records in Kafka carry
# them). The global compatibility rule defaults to BACKWARD, like Confluent's
# registry; a subject-level PUT /config/<subject> overrides it. Sourced;
# defines the registry_* service functions.

registry_cache_dir() { printf '%s/apicurio-registry-%s\n' "${SEXTANT_CACHE_DIR}" "${SEXTANT_APICURIO_VERSION}"; }
registry_tarball() { printf '%s/apicurio-registry-app-%s-all.tar.gz\n' "$(registry_cache_dir)" "${SEXTANT_APICURIO_VERSION}"; }
registry_app_dir() { printf '%s/app\n' "$(registry_cache_dir)"; }
registry_data_dir() { printf '%s/registry\n' "${SEXTANT_DATA_DIR}"; }
registry_port() { printf '%s\n' "${SEXTANT_REGISTRY_PORT}"; }
# The H2 file path is on the command line and unique to this SEXTANT_HOME.
registry_marker() { printf 'jdbc:h2:file:%s/\n' "$(registry_data_dir)"; }
registry_url() { printf 'http://127.0.0.1:%s/apis/ccompat/v7\n' "${SEXTANT_REGISTRY_PORT}"; }

registry_installed() { [[ -f $(registry_app_dir)/.complete && -f $(registry_tarball) ]]; }

registry_install() {
  local dir tarball tmp
  dir=$(registry_cache_dir)
  tarball=$(registry_tarball)
  mkdir -p "$dir"
  if [[ ! -f $tarball ]]; then
    tmp=$(mktemp -d "$dir/.download.XXXXXX")
    maven_run \
      "org.apache.maven.plugins:maven-dependency-plugin:${SEXTANT_MAVEN_DEPENDENCY_PLUGIN_VERSION}:copy" \
      -Dartifact="io.apicurio:apicurio-registry-app:${SEXTANT_APICURIO_VERSION}:tar.gz:all" \
      -DoutputDirectory="$tmp" \
      || { rm -rf "$tmp"; die "Maven could not fetch Apicurio Registry ${SEXTANT_APICURIO_VERSION}"; }
    mv "$tmp/$(basename "$tarball")" "$tarball"
    rm -rf "$tmp"
  fi
  # Extracted once into the cache: the Quarkus fast-jar layout is read-only at run time.
  tmp=$(mktemp -d "$dir/.extract.XXXXXX")
  tar -xzf "$tarball" -C "$tmp" || { rm -rf "$tmp"; die "cannot extract $tarball (delete it and re-run setup)"; }
  [[ -f $tmp/quarkus-run.jar ]] || { rm -rf "$tmp"; die "$tarball holds no quarkus-run.jar"; }
  touch "$tmp/.complete"
  rm -rf "$(registry_app_dir)"
  mv "$tmp" "$(registry_app_dir)"
}

registry_launch() {
  local java data
  java=$(registry_java)
  data=$(registry_data_dir)
  mkdir -p "$data/tmp"
  rotate_log "$(log_file registry)"
  # The management interface (health, metrics) is fixed on at build time and
  # would bind 0.0.0.0:9000; it is moved to loopback on the configured port
  # (0 = any free one), since start.sh checks health through the API itself.
  # Small JDBC pool: H2 is embedded, and the machine is shared.
  local rules=()
  [[ ${SEXTANT_REGISTRY_COMPATIBILITY} != NONE ]] \
    && rules=(-Dapicurio.rules.global.compatibility="${SEXTANT_REGISTRY_COMPATIBILITY}")
  spawn_service registry "$java" "-Xmx${SEXTANT_REGISTRY_HEAP}" -XX:+UseSerialGC \
    -Djava.io.tmpdir="$data/tmp" \
    -Dquarkus.http.host=127.0.0.1 -Dquarkus.http.port="${SEXTANT_REGISTRY_PORT}" \
    -Dquarkus.management.host=127.0.0.1 -Dquarkus.management.port="${SEXTANT_REGISTRY_MANAGEMENT_PORT}" \
    -Dapicurio.storage.kind=sql -Dapicurio.storage.sql.kind=h2 \
    -Dapicurio.datasource.url="jdbc:h2:file:${data}/registry" \
    -Dapicurio.datasource.jdbc.initial-size=2 -Dapicurio.datasource.jdbc.min-size=2 \
    -Dapicurio.datasource.jdbc.max-size=16 \
    -Dapicurio.storage.snapshot.location="$data/tmp" -Dapicurio.import.work-dir="$data/tmp" \
    "${rules[@]}" \
    -jar "$(registry_app_dir)/quarkus-run.jar"
}

registry_healthy() {
  [[ $(curl -s -o /dev/null -m 5 -w '%{http_code}' "$(registry_url)/subjects" 2>/dev/null) == 200 ]]
}
