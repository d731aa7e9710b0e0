#!/usr/bin/env bash
# Builds the same engine as JavaScript into js/pkg-js, for pages that refuse
# WebAssembly (a Content-Security-Policy without 'wasm-unsafe-eval', Safari's Lockdown
# Mode, browsers with WebAssembly turned off): the wasm crate compiled for the MVP
# (no SIMD128, no reference types), bound by wasm-bindgen for a bundler, the features
# the standard library still uses lowered, then translated by binaryen's wasm2js (the
# npm package's, as for wasm-opt). Skipped when the module has not changed.
set -euo pipefail
cd "$(dirname "$0")/.."

target="${CARGO_TARGET_DIR:-target}/wasm-mvp"
# RUSTFLAGS replaces .cargo/config.toml's +simd128 for this build only.
CARGO_TARGET_DIR="$target" RUSTFLAGS="-C target-cpu=mvp" \
  cargo build -p huntviz-wasm --target wasm32-unknown-unknown --profile wasm-release
module="$target/wasm32-unknown-unknown/wasm-release/huntviz_wasm.wasm"
stamp="$(sha256sum "$module" scripts/build-js-engine.sh scripts/js-engine/*.js | sha256sum | cut -c1-16)"
if [ -f js/pkg-js/.stamp ] && [ "$(cat js/pkg-js/.stamp)" = "$stamp" ]; then
  echo "js engine: unchanged"
  exit 0
fi
opt=node_modules/.bin/wasm-opt
all="--enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext --enable-mutable-globals --enable-reference-types --enable-multivalue"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
# The standard library is prebuilt with newer features than the MVP code around it;
# without the features section wasm-bindgen binds JS values the MVP way (a heap of
# objects, no externref table), which wasm2js can translate.
$opt $all --strip-target-features "$module" -o "$tmp/mvp.wasm"
rm -rf js/pkg-js
wasm-bindgen --target bundler --out-dir js/pkg-js --out-name huntviz_wasm "$tmp/mvp.wasm"
$opt $all --llvm-memory-copy-fill-lowering --signext-lowering --llvm-nontrapping-fptoint-lowering -O2 \
  js/pkg-js/huntviz_wasm_bg.wasm -o "$tmp/lowered.wasm"
node_modules/.bin/wasm2js "$tmp/lowered.wasm" -O3 -o "$tmp/engine.mjs"
rm js/pkg-js/huntviz_wasm_bg.wasm js/pkg-js/huntviz_wasm_bg.wasm.d.ts js/pkg-js/huntviz_wasm.js
node scripts/js-engine/assemble.mjs "$tmp/engine.mjs" js/pkg-js
echo "$stamp" > js/pkg-js/.stamp
ls -l js/pkg-js/huntviz_engine.js | awk '{print "js engine: " $5 " bytes"}'
