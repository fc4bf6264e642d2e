#!/usr/bin/env bash
# The whole test suite, from a bare machine: installs what the tests need (idempotently), builds, checks style
# and types, then runs every test. `npm test` and .ci/run both call this.
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n== %s\n' "$*"; }

step "node dependencies"
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
fi

step "real services and independent verifiers (each script is idempotent)"
bash scripts/setup/go-interop.sh   # Go: sumdb/note + transparency-dev/merkle verifier
bash scripts/setup/s3.sh           # versitygw (S3 with Object Lock), built from the Go module proxy
bash scripts/setup/mlflow.sh       # MLflow tracking server, pip-installed into its own venv
bash scripts/setup/postgres.sh     # PostgreSQL server binaries (Debian); tests start throwaway clusters
bash scripts/setup/chromium.sh     # Chromium (Debian) for the approver UI browser tests, driven by playwright-core

step "build, types, lint"
npm run --silent build
npm run --silent typecheck
npm run --silent lint

step "tests"
mkdir -p test-output
set +e
npx vitest run --reporter=default --reporter=json --outputFile.json=test-output/vitest.json "$@"
status=$?
set -e
node scripts/test-summary.js test-output/vitest.json || true
exit "$status"
