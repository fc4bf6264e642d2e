#!/usr/bin/env bash
# Installs PostgreSQL (Debian's `postgresql` package) for the PostgreSQL log-store tests. Idempotent: when the
# server binaries (initdb, pg_ctl, postgres) are already there it only checks them. The tests start throwaway
# clusters of their own (src/test-support/postgres-server.ts), never the Debian one. PostgreSQL refuses to run as
# root, so when run as root this also makes sure the `postgres` system user exists for the tests to run it as.
set -euo pipefail
started=$(date +%s)

bindir() {
  local dir
  # The newest installed major version wins (Debian installs each under /usr/lib/postgresql/<major>/bin).
  for dir in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
    if [ -x "$dir/initdb" ] && [ -x "$dir/pg_ctl" ] && [ -x "$dir/postgres" ]; then
      echo "$dir"
      return 0
    fi
  done
  return 1
}

if ! dir=$(bindir); then
  if [ "$(id -u)" -ne 0 ]; then
    echo "PostgreSQL is not installed and this is not root: apt-get install postgresql, then rerun" >&2
    exit 1
  fi
  echo "PostgreSQL is not installed: installing postgresql from Debian"
  export DEBIAN_FRONTEND=noninteractive
  # Refresh the package lists only when they do not know the package (a bare machine has none).
  if ! apt-get install -y -qq --no-install-recommends postgresql >/dev/null 2>&1; then
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends postgresql >/dev/null
  fi
  dir=$(bindir) || {
    echo "postgresql installed but no initdb/pg_ctl/postgres under /usr/lib/postgresql/*/bin" >&2
    exit 1
  }
fi

if [ "$(id -u)" -eq 0 ] && ! id -u postgres >/dev/null 2>&1; then
  echo "creating the postgres system user (PostgreSQL will not run as root)"
  useradd --system --home-dir /var/lib/postgresql --shell /bin/sh postgres
fi

echo "PostgreSQL $("$dir/postgres" --version | awk '{print $3}') is installed ($dir), checked in $(($(date +%s) - started))s"
