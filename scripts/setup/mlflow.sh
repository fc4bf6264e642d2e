#!/usr/bin/env bash
# Installs the real MLflow tracking server used by the registry tests into a Python virtual environment outside
# the clone (${DOCKET_CACHE:-$HOME/.cache/docket}/mlflow-venv), from PyPI, at the version pinned in
# scripts/setup/mlflow-requirements.txt. Idempotent: when that exact version is already installed it does nothing.
set -euo pipefail
cd "$(dirname "$0")/../.."
requirements=scripts/setup/mlflow-requirements.txt
cache=${DOCKET_CACHE:-$HOME/.cache/docket}
venv=$cache/mlflow-venv
pinned=$(sed -n 's/^mlflow==\([^[:space:]#]*\).*/\1/p' "$requirements")
if [ -z "$pinned" ]; then
  echo "no 'mlflow==<version>' line in $requirements" >&2
  exit 1
fi
installed() {
  "$venv/bin/python" -c 'import importlib.metadata as m; print(m.version("mlflow"))' 2>/dev/null || true
}
if [ -x "$venv/bin/mlflow" ] && [ "$(installed)" = "$pinned" ]; then
  echo "mlflow $pinned is installed in $venv"
  exit 0
fi
python=${PYTHON:-$(command -v python3 || true)}
if [ -z "$python" ]; then
  echo "python3 is not installed: installing python3-venv from Debian"
  apt-get update -qq && apt-get install -y -qq python3 python3-venv >/dev/null
  python=$(command -v python3)
fi
if [ ! -x "$venv/bin/python" ]; then
  mkdir -p "$cache"
  "$python" -m venv "$venv" || {
    echo "$python cannot create a venv: installing python3-venv from Debian"
    apt-get update -qq && apt-get install -y -qq python3-venv >/dev/null
    rm -rf "$venv"
    "$python" -m venv "$venv"
  }
fi
echo "installing mlflow $pinned into $venv"
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check --no-input -r "$requirements"
if [ "$(installed)" != "$pinned" ]; then
  echo "mlflow $pinned did not install into $venv (found '$(installed)')" >&2
  exit 1
fi
echo "installed mlflow $pinned in $venv"
