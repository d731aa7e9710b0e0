#!/usr/bin/env bash
# Installs huntviz into .venv in development mode: the Python package editable and
# the labextension linked to python/huntviz/labextension (rebuilt by `npm run build`).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/.venv/bin:$HOME/.cargo/bin:$PATH"
if [ ! -f .venv/.huntviz-editable ] || [ pyproject.toml -nt .venv/.huntviz-editable ]; then
  pip install -q --no-deps -e .
  touch .venv/.huntviz-editable
fi
link=.venv/share/jupyter/labextensions/huntviz
if [ "$(readlink -f "$link" 2>/dev/null)" != "$PWD/python/huntviz/labextension" ]; then
  jupyter labextension develop --overwrite . >/dev/null
fi
