#!/usr/bin/env bash
# Provisions Sextant's local infrastructure: Debian packages (redis-server,
# kcat, prometheus, promtool and prometheus-node-exporter, and maven/curl/Java 17 when missing), the Kafka classpath and the
# Apicurio Registry app in the download cache, and Prometheus 3 built from the Go module proxy. Idempotent: a second run only
# checks and prints "cached". Usage: infra/setup.sh
set -euo pipefail
# shellcheck source=lib/env.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/env.sh"

[[ $# -eq 0 ]] || die "usage: infra/setup.sh (no arguments; see infra/README.md)"

mkdir -p "${SEXTANT_CACHE_DIR}"
# Two clones provisioning at once share one cache: one downloads, the other waits.
exec 9>"${SEXTANT_CACHE_DIR}/.lock"
if ! flock -n 9; then
  say "waiting for another setup using ${SEXTANT_CACHE_DIR}..."
  flock -w 900 9 || die "timed out waiting for ${SEXTANT_CACHE_DIR}/.lock"
fi

mapfile -t packages < <(missing_packages | sort -u)
if ((${#packages[@]})); then
  apt_install "${packages[@]}"
else
  say "packages: redis-server $(redis-server --version | sed -n 's/.*v=\([^ ]*\).*/\1/p'), kcat, prometheus, prometheus-node-exporter, maven, curl present"
fi

if kafka_installed; then
  say "kafka ${SEXTANT_KAFKA_VERSION}: cached in $(kafka_cache_dir)"
else
  start=$SECONDS
  say "kafka ${SEXTANT_KAFKA_VERSION}: resolving the classpath with Maven..."
  kafka_install
  say "kafka ${SEXTANT_KAFKA_VERSION}: $(find "$(kafka_cache_dir)/libs" -name '*.jar' | wc -l) jars in $(kafka_cache_dir)/libs ($((SECONDS - start))s)"
fi

if registry_installed; then
  say "apicurio-registry ${SEXTANT_APICURIO_VERSION}: cached in $(registry_cache_dir)"
else
  start=$SECONDS
  say "apicurio-registry ${SEXTANT_APICURIO_VERSION}: fetching with Maven and extracting..."
  registry_install
  say "apicurio-registry ${SEXTANT_APICURIO_VERSION}: ready in $(registry_app_dir) ($((SECONDS - start))s)"
fi

kafka_jvm=$(kafka_java)
say "java for kafka: ${kafka_jvm} (Java $(java_major "$kafka_jvm"))"
registry_jvm=$(registry_java)
say "java for the registry: ${registry_jvm} (Java $(java_major "$registry_jvm"))"

# Prometheus 3, the reference remote write 2.0 sender of the end-to-end tests (Debian ships the 2.x line).
# The lock above is held: build-prometheus3.sh takes its own, on another file.
prometheus3=$(bash "$(dirname "${BASH_SOURCE[0]}")/build-prometheus3.sh") || die "building Prometheus 3 failed"
say "prometheus 3 (${SEXTANT_PROMETHEUS3_MODULE_VERSION}): ${prometheus3}"
say "setup complete"
