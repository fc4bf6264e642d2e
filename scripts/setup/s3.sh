#!/usr/bin/env bash
# Builds versitygw, the S3-compatible server (posix backend, Object Lock in COMPLIANCE mode) that the S3 artefact
# backend and checkpoint-anchor tests run against. The module comes from the Go module proxy; the binary is cached
# outside the clone, in ${DOCKET_CACHE:-$HOME/.cache/docket}/bin, and kept while it is the pinned version (read
# from the binary's own build info, so a stale or foreign binary of that name is rebuilt).
set -euo pipefail
module=github.com/versity/versitygw
version=v1.7.0
bin="${DOCKET_CACHE:-$HOME/.cache/docket}/bin"
out="$bin/versitygw"
if ! command -v go >/dev/null 2>&1; then
  echo "go is not installed: installing golang-go from Debian"
  apt-get update -qq && apt-get install -y -qq golang-go >/dev/null
fi
if [ -x "$out" ] && go version -m "$out" 2>/dev/null | grep -Eq "^[[:space:]]+mod[[:space:]]+$module[[:space:]]+$version[[:space:]]"; then
  echo "versitygw $version is up to date ($out)"
  exit 0
fi
mkdir -p "$bin"
started=$(date +%s)
# `go install pkg@version` ignores any go.mod around the working directory; GOFLAGS such as -mod=vendor would not.
GOFLAGS='' GOBIN="$bin" go install "$module/cmd/versitygw@$version"
echo "built versitygw $version in $(($(date +%s) - started))s: $out"
