#!/usr/bin/env bash
# Builds crates/wasm into js/pkg: cargo (wasm32, wasm-release profile) → wasm-bindgen
# (the exact version Cargo.lock pins) → wasm-opt from the npm `binaryen` package.
set -euo pipefail
cd "$(dirname "$0")/.."

want=$(awk '/^name = "wasm-bindgen"$/{getline; gsub(/[^0-9.]/, ""); print; exit}' Cargo.lock)
have=$(wasm-bindgen --version 2>/dev/null | awk '{print $2}' || true)
if [ "$want" != "$have" ]; then
  echo "wasm-bindgen-cli $want is needed (found '${have:-none}'): run scripts/setup.sh" >&2
  exit 1
fi

cargo build -p huntviz-wasm --target wasm32-unknown-unknown --profile wasm-release
rm -rf js/pkg
wasm-bindgen --target web --experimental-reset-state-function --out-dir js/pkg \
  "${CARGO_TARGET_DIR:-target}/wasm32-unknown-unknown/wasm-release/huntviz_wasm.wasm"
# Never Debian's binaryen (wasm-opt 108 silently breaks the module); the npm one.
node_modules/.bin/wasm-opt -O3 \
  --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
  --enable-mutable-globals --enable-reference-types --enable-multivalue --enable-simd \
  js/pkg/huntviz_wasm_bg.wasm -o js/pkg/huntviz_wasm_bg.wasm
ls -l js/pkg/huntviz_wasm_bg.wasm | awk '{print "wasm: " $5 " bytes"}'
# The same engine as JavaScript, for pages that refuse WebAssembly.
scripts/build-js-engine.sh

# The kernel's picture engine (crates/picture): plain WebAssembly for wasmtime, shipped
# in the Python package (not committed).
cargo build -p huntviz-picture --target wasm32-unknown-unknown --profile wasm-release
node_modules/.bin/wasm-opt -Oz \
  --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
  --enable-mutable-globals --enable-reference-types --enable-multivalue \
  "${CARGO_TARGET_DIR:-target}/wasm32-unknown-unknown/wasm-release/huntviz_picture.wasm" \
  -o python/huntviz/picture.wasm
ls -l python/huntviz/picture.wasm | awk '{print "picture engine: " $5 " bytes"}'
