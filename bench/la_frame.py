"""Loads a generated Log Analytics response (bench/gen) into a pandas DataFrame the way
the Azure Monitor Query SDK / MSTICPy hand results to a notebook: datetimes as
`datetime64[ns, UTC]`, longs as `int64` (nullable `Int64` only when a null is present;
MSTICPy's plot fills nulls with the text "NA", which a nullable integer column refuses). Both sides of the process-tree
benchmark (huntviz and MSTICPy) start from this same frame. Also how each side saves
what it made (`save_output`, `save_page`), shared by the tree and timeline scripts."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import pandas as pd


def load(path: str | Path) -> pd.DataFrame:
    with open(path, encoding="utf-8") as f:
        table = json.load(f)["tables"][0]
    names = [c["name"] for c in table["columns"]]
    df = pd.DataFrame(table["rows"], columns=names)
    for col in table["columns"]:
        name, kind = col["name"], col["type"]
        if kind == "datetime":
            df[name] = pd.to_datetime(df[name], utc=True, format="ISO8601")
        elif kind in ("long", "int"):
            df[name] = df[name].astype("Int64" if df[name].isna().any() else "int64")
    return df


def save_output(bundle: dict[str, Any], prefix: str, code: str) -> dict[str, Any]:
    """Writes PREFIX.mime.json (the huntviz payload the browser page renders) and
    PREFIX.ipynb (a notebook whose cell `code` holds the output: what a user saves and
    shares); returns the payload's encoding and sizes."""
    import nbformat
    from huntviz._show import MIME_TYPE, read_payload

    Path(f"{prefix}.mime.json").write_text(json.dumps(bundle[MIME_TYPE]), encoding="utf-8")
    payload = read_payload(bundle[MIME_TYPE])
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell(code)
    cell.outputs = [nbformat.v4.new_output("execute_result", data=bundle, execution_count=1)]
    nb.cells = [cell]
    nbformat.write(nb, f"{prefix}.ipynb")
    return {
        "encoding": payload.get("encoding", "text"),
        "unpacked_bytes": payload.get("size", len(str(payload["data"]).encode())),
        "payload_bytes": len(json.dumps(bundle[MIME_TYPE])),
        "notebook_bytes": Path(f"{prefix}.ipynb").stat().st_size,
    }


def save_page(layout: Any, out: str, title: str) -> dict[str, Any]:
    """Saves a Bokeh layout as a self-contained HTML page (Bokeh's JS inline: what a
    notebook saved with `output_notebook()` carries, and what renders offline); returns
    the time it took and the page's size."""
    from bokeh.embed import file_html
    from bokeh.resources import INLINE

    t0 = time.perf_counter()
    Path(out).write_text(file_html(layout, INLINE, title), encoding="utf-8")
    return {"html_s": time.perf_counter() - t0, "html_bytes": Path(out).stat().st_size}
