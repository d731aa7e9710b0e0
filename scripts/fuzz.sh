#!/usr/bin/env bash
# Runs every cargo-fuzz target for a bounded time (FUZZ_SECONDS each, default 30),
# seeded with the project's fixtures. cargo-fuzz wants nightly flags; RUSTC_BOOTSTRAP
# lets the stable toolchain accept them. A crash fails the run and leaves its input in
# fuzz/artifacts/<target>/: add it to tests/fixtures once fixed.
set -euo pipefail
cd "$(dirname "$0")/../fuzz"
export PATH="$HOME/.cargo/bin:$PATH" RUSTC_BOOTSTRAP=1
seconds="${FUZZ_SECONDS:-30}"
if ! cargo fuzz --version >/dev/null 2>&1; then
  cargo install cargo-fuzz --locked
fi
mkdir -p corpus/parse corpus/parse_as
cp ../tests/fixtures/* corpus/parse/
for f in ../tests/fixtures/*; do
  for pick in 0 1 2 3 4 5 6 7 8 9; do
    printf "\\x$(printf %02x "$pick")" | cat - "$f" > "corpus/parse_as/${pick}_$(basename "$f")"
  done
done
# Build first: a fuzz workspace that does not build must fail the run, not fuzz nothing.
cargo fuzz build
for target in parse parse_as; do
  echo "fuzzing $target for ${seconds}s"
  log=$(mktemp)
  status=0
  cargo fuzz run "$target" "corpus/$target" -- -max_total_time="$seconds" >"$log" 2>&1 || status=$?
  grep -E "^(Done|==|SUMMARY)|panicked" "$log" || true
  found=$(ls "artifacts/$target"/{crash,oom,timeout,leak}-* 2>/dev/null | head -1 || true)
  if [ -n "$found" ]; then
    echo "FAIL: $target found an input that crashes, hangs or leaks: fuzz/$found" >&2
    exit 1
  fi
  if [ "$status" -ne 0 ] || ! grep -q "^Done" "$log"; then
    tail -n 30 "$log" >&2
    echo "FAIL: cargo fuzz run $target exited with $status without finishing its run" >&2
    exit 1
  fi
  rm -f "$log"
done
