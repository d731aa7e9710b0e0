"""MSTICPy side of the process-tree benchmark (bench/tree.mjs runs it in
bench/.venv-msticpy, made by bench/setup-msticpy.sh).

Usage: python bench/tree_msticpy.py RESPONSE.json OUT.html

The same DataFrame as the huntviz side (bench/la_frame.py), through MSTICPy's
`plot_process_tree` (which builds the tree itself, as `df.mp_plot.process_tree()`
does), then the Bokeh document saved as a self-contained HTML page (Bokeh's JS inline:
what a notebook saved with `output_notebook()` carries, and what renders offline).
Prints one JSON object of figures.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import la_frame  # noqa: E402
from msticpy.vis import process_tree  # noqa: E402


def main() -> None:
    source, out = sys.argv[1], sys.argv[2]
    t0 = time.perf_counter()
    df = la_frame.load(source)
    load_s = time.perf_counter() - t0

    # plot_process_tree ends with bokeh's show() into the notebook; keep the layout
    # instead and save it as a file.
    shown = []
    process_tree.show = shown.append
    process_tree.output_notebook = lambda *a, **k: None
    process_tree.reset_output = lambda *a, **k: None

    t0 = time.perf_counter()
    process_tree.plot_process_tree(df)
    plot_s = time.perf_counter() - t0

    page = la_frame.save_page(shown[0], out, "MSTICPy process tree")
    print(json.dumps({"rows": len(df), "load_s": load_s, "plot_s": plot_s, **page}))


if __name__ == "__main__":
    main()
