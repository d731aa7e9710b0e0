"""MSTICPy side of the timeline benchmark (bench/timeline.mjs runs it in
bench/.venv-msticpy, made by bench/setup-msticpy.sh).

Usage: python bench/timeline_msticpy.py RESPONSE.json OUT.html

The same DataFrame as the huntviz side (bench/la_frame.py, the same six columns),
through MSTICPy's `display_timeline` (what `df.mp_plot.timeline()` calls) with one row
per device and the other columns as hover tooltips, `hide=True` so the Bokeh layout is
returned instead of shown, then saved as a self-contained HTML page (Bokeh's JS inline:
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
from msticpy.vis import timeline  # noqa: E402

# The columns the huntviz side keeps (bench/timeline_huntviz.py).
COLUMNS = ["Timestamp", "DeviceName", "ActionType", "AccountName", "FileName", "ProcessCommandLine"]


def main() -> None:
    source, out = sys.argv[1], sys.argv[2]
    t0 = time.perf_counter()
    df = la_frame.load(source)
    df = df[[c for c in COLUMNS if c in df.columns]]
    load_s = time.perf_counter() - t0

    # display_timeline resets Bokeh's output and loads BokehJS into a notebook first;
    # outside a notebook there is none.
    timeline.output_notebook = lambda *a, **k: None
    timeline.reset_output = lambda *a, **k: None

    t0 = time.perf_counter()
    layout = timeline.display_timeline(
        df,
        time_column="Timestamp",
        group_by="DeviceName",
        source_columns=[c for c in COLUMNS[2:] if c in df.columns],
        hide=True,
    )
    plot_s = time.perf_counter() - t0

    page = la_frame.save_page(layout, out, "MSTICPy timeline")
    print(json.dumps({"rows": len(df), "load_s": load_s, "plot_s": plot_s, **page}))


if __name__ == "__main__":
    main()
