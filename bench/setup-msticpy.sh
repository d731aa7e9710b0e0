#!/usr/bin/env bash
# The MSTICPy side of the benchmarks lives in its own venv (bench/.venv-msticpy):
# MSTICPy pins its own pandas/bokeh, which must not leak into huntviz's environment.
# Versions are pinned so the figures in BENCHMARKS.md can be reproduced.
set -euo pipefail
cd "$(dirname "$0")"
if [ ! -x .venv-msticpy/bin/python ] || ! .venv-msticpy/bin/python -c 'import msticpy, bokeh' 2>/dev/null; then
  python3 -m venv .venv-msticpy
  .venv-msticpy/bin/pip install -q --upgrade pip
  .venv-msticpy/bin/pip install -q 'msticpy==3.0.2' 'bokeh==3.9.2' 'pandas==2.3.3'
fi
# pytest for tests/msticpy (make test-msticpy).
.venv-msticpy/bin/python -c 'import pytest' 2>/dev/null || .venv-msticpy/bin/pip install -q 'pytest==8.4.2'
.venv-msticpy/bin/python -c 'import msticpy, bokeh, pandas; print(f"msticpy {msticpy.__version__}, bokeh {bokeh.__version__}, pandas {pandas.__version__}")'
