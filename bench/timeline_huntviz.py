"""huntviz side of the timeline benchmark (bench/timeline.mjs runs it in .venv).

Usage: python bench/timeline_huntviz.py RESPONSE.json OUT_PREFIX

Loads the generated response as a DataFrame (bench/la_frame.py), keeps the columns the
MSTICPy side shows (time, lane and hover columns: bench/timeline_msticpy.py embeds
exactly these in its page), times `huntviz.show(df, view="timeline", …)` and its MIME
bundle, and writes OUT_PREFIX.mime.json (the payload the browser page renders) and
OUT_PREFIX.ipynb (a notebook holding that output: what a user saves and shares).
Prints one JSON object of figures.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import huntviz  # noqa: E402
import la_frame  # noqa: E402

# The same columns MSTICPy's display_timeline embeds for the same call.
COLUMNS = ["Timestamp", "DeviceName", "ActionType", "AccountName", "FileName", "ProcessCommandLine"]


def main() -> None:
    source, prefix = sys.argv[1], sys.argv[2]
    t0 = time.perf_counter()
    df = la_frame.load(source)
    df = df[[c for c in COLUMNS if c in df.columns]]
    load_s = time.perf_counter() - t0

    t0 = time.perf_counter()
    shown = huntviz.show(df, view="timeline", time_column="Timestamp", group_by="DeviceName")
    bundle = shown._repr_mimebundle_()
    show_s = time.perf_counter() - t0

    figures = la_frame.save_output(
        bundle, prefix, "huntviz.show(df, view='timeline', time_column='Timestamp', group_by='DeviceName')"
    )
    print(json.dumps({"rows": len(df), "columns": list(df.columns), "load_s": load_s, "show_s": show_s, **figures}))


if __name__ == "__main__":
    main()
