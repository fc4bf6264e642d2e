#!/usr/bin/env bash
# Installs the Python side of the credit-decisioning example into its own virtual environment outside the clone:
# ${DOCKET_CACHE:-$HOME/.cache/docket}/credit-venv, with exactly the versions pinned in requirements.txt (from PyPI).
# Idempotent: when every pinned package is already installed at its pinned version, it installs nothing.
# Prints the venv's python on its last line, so callers can do: py=$(examples/credit-decisioning/setup.sh | tail -1)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
requirements=$here/requirements.txt
cache=${DOCKET_CACHE:-$HOME/.cache/docket}
venv=$cache/credit-venv

# Exit 0 when every `name==version` line of requirements.txt is installed at that version, else list what differs.
pinned_set_present() {
  [ -x "$venv/bin/python" ] || return 1
  "$venv/bin/python" - "$requirements" <<'PY'
import importlib.metadata as metadata
import re
import sys

missing = []
for line in open(sys.argv[1], encoding="utf-8"):
    line = line.split("#", 1)[0].strip()
    if not line:
        continue
    name, _, version = line.partition("==")
    try:
        found = metadata.version(name)
    except metadata.PackageNotFoundError:
        found = None
    if found != version:
        missing.append(f"{name}=={version} (found {found})")
if missing:
    print("not installed at the pinned version: " + ", ".join(missing[:10]), file=sys.stderr)
    sys.exit(1)
PY
}

if pinned_set_present 2>/dev/null; then
  echo "credit-decisioning: the pinned set is installed in $venv" >&2
  echo "$venv/bin/python"
  exit 0
fi

python=${PYTHON:-$(command -v python3 || true)}
if [ -z "$python" ]; then
  echo "python3 is not installed: installing it from Debian" >&2
  apt-get update -qq && apt-get install -y -qq python3 python3-venv >/dev/null
  python=$(command -v python3)
fi
if ! "$python" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)'; then
  echo "credit-decisioning needs Python >= 3.11 (found $("$python" --version 2>&1)); set PYTHON" >&2
  exit 1
fi

# A venv whose interpreter no longer runs (the python it was made from is gone) is rebuilt.
if [ -e "$venv" ] && ! "$venv/bin/python" -c 'pass' 2>/dev/null; then
  echo "rebuilding the broken venv $venv" >&2
  rm -rf "$venv"
fi
if [ ! -x "$venv/bin/python" ]; then
  mkdir -p "$cache"
  "$python" -m venv "$venv" || {
    echo "$python cannot create a venv: installing python3-venv from Debian" >&2
    apt-get update -qq && apt-get install -y -qq python3-venv >/dev/null
    rm -rf "$venv"
    "$python" -m venv "$venv"
  }
fi

echo "installing the pinned set ($(grep -c '==' "$requirements") packages) into $venv" >&2
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check --no-input -r "$requirements" >&2
if ! pinned_set_present; then
  echo "the pinned set did not install into $venv" >&2
  exit 1
fi
echo "credit-decisioning: installed the pinned set in $venv" >&2
echo "$venv/bin/python"
