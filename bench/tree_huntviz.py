"""huntviz side of the process-tree benchmark (bench/tree.mjs runs it in .venv).

Usage: python bench/tree_huntviz.py RESPONSE.json OUT_PREFIX

Loads the generated response as a DataFrame (bench/la_frame.py), times
`huntviz.show(df, view="process-tree")` and its MIME bundle — the kernel's share of the
work — and writes OUT_PREFIX.mime.json (the payload the browser page renders) and
OUT_PREFIX.ipynb (a notebook holding that output, whose size is what a user saves and
shares). Prints one JSON object of figures.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import huntviz  # noqa: E402
import la_frame  # noqa: E402


def main() -> None:
    source, prefix = sys.argv[1], sys.argv[2]
    t0 = time.perf_counter()
    df = la_frame.load(source)
    load_s = time.perf_counter() - t0

    t0 = time.perf_counter()
    bundle = huntviz.show(df, view="process-tree")._repr_mimebundle_()
    show_s = time.perf_counter() - t0

    figures = la_frame.save_output(bundle, prefix, "huntviz.show(df, view='process-tree')")
    print(json.dumps({"rows": len(df), "load_s": load_s, "show_s": show_s, **figures}))


if __name__ == "__main__":
    main()
