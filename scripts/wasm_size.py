#!/usr/bin/env python3
"""The wasm size budget: `check` fails when the built module is over budget;
`show` prints the sizes. Sizes and budget are recorded in BENCHMARKS.md."""

import gzip
import json
import pathlib
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
WASM = ROOT / "js/pkg/huntviz_wasm_bg.wasm"
BUDGET = ROOT / "bench/wasm-size-budget.json"


def sizes() -> tuple[int, int]:
    data = WASM.read_bytes()
    return len(data), len(gzip.compress(data, compresslevel=9, mtime=0))


def main() -> int:
    if not WASM.exists():
        print(f"{WASM} is missing: run `npm run build:wasm` first", file=sys.stderr)
        return 1
    raw, gz = sizes()
    budget = json.loads(BUDGET.read_text())
    print(
        f"wasm: {raw:,} bytes raw (budget {budget['raw_bytes']:,}), {gz:,} bytes gzip (budget {budget['gzip_bytes']:,})"
    )
    if len(sys.argv) > 1 and sys.argv[1] == "check":
        over = [name for name, size in (("raw", raw), ("gzip", gz)) if size > budget[f"{name}_bytes"]]
        if over:
            print(
                f"wasm size over budget ({', '.join(over)}): "
                f"shrink it or raise the budget in {BUDGET.name} with a reason",
                file=sys.stderr,
            )
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
