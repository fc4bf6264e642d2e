#!/usr/bin/env bash
# Builds the independent Go verifier (golang.org/x/mod/sumdb/note + transparency-dev/merkle) used by the
# interop tests. Modules come from the Go module proxy; the binary is cached and rebuilt when its source changes.
set -euo pipefail
cd "$(dirname "$0")/../.."
src=test/interop/go
out=.cache/interop/docket-interop
if ! command -v go >/dev/null 2>&1; then
  echo "go is not installed: installing golang-go from Debian"
  apt-get update -qq && apt-get install -y -qq golang-go >/dev/null
fi
stamp=$(cat "$src"/go.mod "$src"/go.sum "$src"/*.go | sha256sum | cut -c1-16)
if [ -x "$out" ] && [ "$(cat "$out.stamp" 2>/dev/null)" = "$stamp" ]; then
  echo "docket-interop is up to date"
  exit 0
fi
mkdir -p "$(dirname "$out")"
(cd "$src" && GOFLAGS=-mod=mod go build -o "../../../$out" .)
echo "$stamp" > "$out.stamp"
echo "built $out"
