#!/usr/bin/env bash
# Builds the parse benchmark's serde peer (bench/serde-peer) into bench/page/serde-peer
# the way scripts/build-wasm.sh builds the engine: same profile, same wasm-bindgen,
# same wasm-opt passes.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build -p huntviz-serde-peer --target wasm32-unknown-unknown --profile wasm-release
rm -rf bench/page/serde-peer
wasm-bindgen --target web --out-dir bench/page/serde-peer \
  "${CARGO_TARGET_DIR:-target}/wasm32-unknown-unknown/wasm-release/huntviz_serde_peer.wasm"
node_modules/.bin/wasm-opt -O3 \
  --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
  --enable-mutable-globals --enable-reference-types --enable-multivalue --enable-simd \
  bench/page/serde-peer/huntviz_serde_peer_bg.wasm -o bench/page/serde-peer/huntviz_serde_peer_bg.wasm
