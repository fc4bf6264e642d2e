#!/usr/bin/env bash
# Installs Debian's Chromium for the browser tests (test/e2e), idempotently. playwright-core drives it at
# /usr/bin/chromium; nothing ever downloads a browser build of its own (PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD is set
# for good measure, and the tests pass executablePath).
set -euo pipefail
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
if [ -x /usr/bin/chromium ]; then
  echo "chromium is installed: $(/usr/bin/chromium --version 2>/dev/null || echo unknown version)"
  exit 0
fi
echo "installing chromium from Debian"
if [ "$(id -u)" -ne 0 ]; then
  echo "chromium.sh: /usr/bin/chromium is missing and installing it needs root (apt-get install -y chromium)" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# Fonts so that screenshots show text: DejaVu ships with chromium's recommends on most images, but not all.
apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core >/dev/null
echo "installed $(/usr/bin/chromium --version 2>/dev/null || echo chromium)"
