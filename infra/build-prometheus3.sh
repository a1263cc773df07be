#!/usr/bin/env bash
# Builds Prometheus 3 (module github.com/prometheus/prometheus, the version below) from the Go module proxy and
# prints the binary's path on stdout (progress on stderr). The end-to-end tests use it as the reference remote
# write 2.0 client and PromQL engine; Debian's prometheus package is the 2.x line, which speaks remote write 1.0
# only. Idempotent: the binary is cached in the project's download cache (SEXTANT_CACHE_DIR, see
# infra/versions.env) under its version, so later runs return at once. Needs Go >= 1.26 on PATH. The web UI's
# assets are not built (the tests use the HTTP API only).
#
#   bash infra/build-prometheus3.sh     # -> .../prometheus-0.316.0/prometheus
set -euo pipefail

INFRA_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck disable=SC2034 # read by versions.env
SEXTANT_REPO_ROOT=$(cd "${INFRA_DIR}/.." && pwd)
# shellcheck source=versions.env
source "${INFRA_DIR}/versions.env"
SEXTANT_CACHE_DIR=$(realpath -m "${SEXTANT_CACHE_DIR}")

say() { printf '[prometheus3] %s\n' "$*" >&2; }
die() { printf '[prometheus3] ERROR: %s\n' "$*" >&2; exit 1; }

version="${SEXTANT_PROMETHEUS3_MODULE_VERSION}"
dest="${SEXTANT_CACHE_DIR}/tools/prometheus-${version#v}"
binary="${dest}/prometheus"
if [[ -x "${binary}" ]]; then echo "${binary}"; exit 0; fi

command -v go >/dev/null || die "go is not on PATH (Prometheus 3 is built from source with Go >= 1.26)"
mkdir -p "${SEXTANT_CACHE_DIR}/tools"
exec 9>"${dest}.lock"
flock -w 1800 9 || die "another build has held ${dest}.lock for 30 minutes"
if [[ -x "${binary}" ]]; then echo "${binary}"; exit 0; fi

say "downloading github.com/prometheus/prometheus@${version}"
src=$(GOFLAGS=-mod=mod go mod download -json "github.com/prometheus/prometheus@${version}" | sed -n 's/^\s*"Dir": "\(.*\)",$/\1/p')
[[ -d "${src}" ]] || die "go mod download gave no source directory"
work=$(mktemp -d "${TMPDIR:-/tmp}/prometheus3-build.XXXXXX")
trap 'chmod -R u+w "${work}" 2>/dev/null; rm -rf "${work}"' EXIT
cp -r "${src}/." "${work}/"
chmod -R u+w "${work}"
say "building prometheus ${version}; this takes several minutes the first time"
(cd "${work}" && GOWORK=off GOFLAGS=-buildvcs=false CGO_ENABLED=0 go build -o prometheus ./cmd/prometheus) >&2 || die "the build failed"
rm -rf "${dest}.tmp"
mkdir -p "${dest}.tmp"
mv "${work}/prometheus" "${dest}.tmp/prometheus"
rm -rf "${dest}"
mv -T "${dest}.tmp" "${dest}"
say "built ${binary}"
echo "${binary}"
