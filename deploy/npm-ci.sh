#!/bin/sh
# `npm ci` with exactly one tolerated defect of package-lock.json: missing entries for chdb's native libraries
# of other platforms (@chdb/lib-darwin-*, @chdb/lib-linux-arm64-gnu). The registry the lock is resolved against
# here does not serve them, so npm leaves them out and `npm ci` then refuses the lock as out of sync. Only in
# that case it installs with `npm install --no-save`, which takes every version from the same lock (it only
# lacks packages for other platforms, which npm would skip on linux/x64 anyway) and leaves the lock untouched.
# Any other complaint fails as `npm ci` would. Arguments go to npm unchanged.
# Usage: sh deploy/npm-ci.sh --omit=dev --ignore-scripts
set -eu

log="$(mktemp)"
trap 'rm -f "$log"' EXIT

if npm ci "$@" 2>"$log"; then
  exit 0
fi
missing="$(grep -E '^npm (error|ERR!) Missing: ' "$log" || true)"
others="$(printf '%s\n' "$missing" | grep -vE 'Missing: @chdb/lib-[a-z0-9-]+@' || true)"
if [ -n "$missing" ] && [ -z "$others" ]; then
  echo "npm-ci: package-lock.json lacks chdb's native libraries for other platforms; installing the locked versions with npm install --no-save" >&2
  npm install --no-save "$@"
  exit 0
fi
cat "$log" >&2
exit 1
