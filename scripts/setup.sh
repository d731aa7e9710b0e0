#!/usr/bin/env bash
# Installs everything building, testing and running huntviz needs. Safe to re-run:
# each step checks first and is skipped when already done.
#   HUNTVIZ_BROWSER=1  also install Chromium (browser tests, benchmarks).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
step() { printf '\033[1m==> %s\033[0m\n' "$*"; }

# Rust: the WebAssembly target and the wasm-bindgen CLI that matches Cargo.lock.
if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  step "rustup target add wasm32-unknown-unknown"
  rustup target add wasm32-unknown-unknown
fi
want=$(awk '/^name = "wasm-bindgen"$/{getline; gsub(/[^0-9.]/, ""); print; exit}' Cargo.lock)
have=$(wasm-bindgen --version 2>/dev/null | awk '{print $2}' || true)
if [ "$want" != "$have" ]; then
  step "cargo install wasm-bindgen-cli $want (a few minutes, once)"
  # Not --locked: its lockfile asks for a crate version the index may lack.
  cargo install wasm-bindgen-cli --version "$want" --force
fi

# Node packages (exactly as package-lock.json says).
if [ ! -f node_modules/.huntviz-stamp ] || [ package-lock.json -nt node_modules/.huntviz-stamp ]; then
  step "npm ci"
  npm ci --no-audit --no-fund
  touch node_modules/.huntviz-stamp
fi

# Python: a venv with JupyterLab, pandas and the test tools.
if [ ! -x .venv/bin/python ]; then
  step "python3 -m venv .venv"
  python3 -m venv .venv
fi
if [ ! -f .venv/.huntviz-stamp ] || [ requirements-dev.txt -nt .venv/.huntviz-stamp ]; then
  step "pip install -r requirements-dev.txt"
  .venv/bin/pip install -q --upgrade pip
  .venv/bin/pip install -q -r requirements-dev.txt
  # Kqlmagic for its result classes only (tests/python/test_clients.py): its own
  # dependencies (plotly, flask, lxml, …) serve its display and sign-in, not these.
  .venv/bin/pip install -q --no-deps "Kqlmagic==0.1.114.post26"
  touch .venv/.huntviz-stamp
fi
# No news pop-up or update check in the lab this venv serves.
mkdir -p .venv/share/jupyter/lab/settings
cp scripts/lab/overrides.json .venv/share/jupyter/lab/settings/overrides.json

# The font the kernel draws pictures with in tests (matplotlib's or the system's
# DejaVu Sans Mono on a hunter's machine).
if [ ! -f /usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf ] && command -v apt-get > /dev/null; then
  step "apt-get install fonts-dejavu-core"
  sudo=""
  [ "$(id -u)" = 0 ] || sudo=sudo
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq fonts-dejavu-core
fi

# Chromium and Firefox ESR (Debian's; a test tool's own browser download does not work
# offline). Firefox opens the one-file reports (tests/browser/specs/firefox.spec.ts).
if [ "${HUNTVIZ_BROWSER:-0}" = 1 ] && { [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/firefox-esr ]; }; then
  step "apt-get install chromium chromium-driver firefox-esr"
  sudo=""
  [ "$(id -u)" = 0 ] || sudo=sudo
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium chromium-driver firefox-esr
fi
