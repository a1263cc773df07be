#!/usr/bin/env bash
# Builds the peer OpenTelemetry Collector of the side-by-side benchmark (OTLP receiver -> Kafka exporter,
# described by builder-config.yaml) with the official builder, from the Go module proxy, and prints the
# binary's path on stdout (progress goes to stderr). Idempotent: the binary is cached in the project's
# download cache (SEXTANT_CACHE_DIR, see infra/versions.env) under a key made of the builder version and the
# manifest's hash, so a second run, or a run in another clone, returns at once. Needs Go >= 1.26 on PATH.
#
#   bash bench/peer/build.sh            # -> .../otelcol-peer-0.165.0-<hash>/otelcol-peer
set -euo pipefail

PEER_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck disable=SC2034 # read by versions.env
SEXTANT_REPO_ROOT=$(cd "${PEER_DIR}/../.." && pwd)
# shellcheck source=../../infra/versions.env
source "${SEXTANT_REPO_ROOT}/infra/versions.env"
SEXTANT_CACHE_DIR=$(realpath -m "${SEXTANT_CACHE_DIR}")

: "${SEXTANT_OTELCOL_BUILDER_VERSION:=0.165.0}"   # go.opentelemetry.io/collector/cmd/builder; the manifest pins the rest

say() { printf '[peer] %s\n' "$*" >&2; }
die() { printf '[peer] ERROR: %s\n' "$*" >&2; exit 1; }

manifest="${PEER_DIR}/builder-config.yaml"
key="otelcol-peer-${SEXTANT_OTELCOL_BUILDER_VERSION}-$(sha256sum "${manifest}" | cut -c1-12)"
dest="${SEXTANT_CACHE_DIR}/${key}"
binary="${dest}/otelcol-peer"

if [[ -x "${binary}" ]]; then echo "${binary}"; exit 0; fi

command -v go >/dev/null || die "go is not on PATH (the Collector is built from source with Go >= 1.26)"
mkdir -p "${SEXTANT_CACHE_DIR}"
# Two benchmark runs at once must not both spend minutes building the same binary.
exec 9>"${dest}.lock"
flock -w 900 9 || die "another build has held ${dest}.lock for 15 minutes"
if [[ -x "${binary}" ]]; then echo "${binary}"; exit 0; fi

builder_dir="${SEXTANT_CACHE_DIR}/tools/otelcol-builder-${SEXTANT_OTELCOL_BUILDER_VERSION}"
if [[ ! -x "${builder_dir}/builder" ]]; then
  say "installing the Collector builder v${SEXTANT_OTELCOL_BUILDER_VERSION}"
  GOBIN="${builder_dir}" go install "go.opentelemetry.io/collector/cmd/builder@v${SEXTANT_OTELCOL_BUILDER_VERSION}" >&2
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/otelcol-peer-build.XXXXXX")
trap 'rm -rf "${work}"' EXIT
cp "${manifest}" "${work}/builder-config.yaml"
say "building the peer Collector (${key}); this takes a few minutes the first time"
(cd "${work}" && "${builder_dir}/builder" --config builder-config.yaml) >&2 || die "the Collector build failed"
[[ -x "${work}/out/otelcol-peer" ]] || die "the builder reported success but left no binary"

# Publish atomically: a half-copied binary must never look cached.
rm -rf "${dest}.tmp"
mkdir -p "${dest}.tmp"
mv "${work}/out/otelcol-peer" "${dest}.tmp/otelcol-peer"
rm -rf "${dest}"
mv -T "${dest}.tmp" "${dest}"
say "built ${binary}"
echo "${binary}"
