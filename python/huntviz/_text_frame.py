"""The rows of a raw query response as a pandas DataFrame: what `View.selected` gives
for a view shown from raw text (issue 16).

The engine reads eleven formats; the kernel reads the primary table of the raw REST
responses hunters hold — Log Analytics (`{"tables": …}`, the first table), Kusto v1
(`{"Tables": …}`, the first table) and Kusto v2 (the `PrimaryResult` data table, whole
or in progressive fragments) — typed by the response's own column types, so row
positions are the engine's. Other formats say so.
"""

from __future__ import annotations

import json
from typing import Any

# Kusto and Log Analytics column types → how the column is made typed.
_INTS = {"long", "int", "int32", "int64", "sbyte", "byte", "int16"}
_REALS = {"real", "double", "float", "single"}
_TIMES = {"datetime", "date"}


def _la_table(doc: dict[str, Any]) -> tuple[list[tuple[str, str]], list[Any]]:
    table = (doc.get("tables") or [None])[0]
    if not isinstance(table, dict):
        raise ValueError("the response has no table")
    columns = [(str(c.get("name")), str(c.get("type", "string")).lower()) for c in table.get("columns") or []]
    return columns, list(table.get("rows") or [])


def _kusto_v1_table(doc: dict[str, Any]) -> tuple[list[tuple[str, str]], list[Any]]:
    table = (doc.get("Tables") or [None])[0]
    if not isinstance(table, dict):
        raise ValueError("the response has no table")
    columns = [
        (str(c.get("ColumnName")), str(c.get("ColumnType") or c.get("DataType") or "string").lower())
        for c in table.get("Columns") or []
    ]
    return columns, list(table.get("Rows") or [])


def _kusto_v2_table(frames: list[Any]) -> tuple[list[tuple[str, str]], list[Any]]:
    """The first PrimaryResult: a DataTable frame, or a TableHeader and its fragments."""
    primary: Any = None
    rows: list[Any] = []
    for frame in frames:
        if not isinstance(frame, dict):
            continue
        kind = frame.get("FrameType")
        if kind == "DataTable" and frame.get("TableKind") == "PrimaryResult" and primary is None:
            primary, rows = frame, list(frame.get("Rows") or [])
            break
        if kind == "TableHeader" and frame.get("TableKind") == "PrimaryResult" and primary is None:
            primary = frame
        elif kind == "TableFragment" and primary is not None and frame.get("TableId") == primary.get("TableId"):
            if frame.get("TableFragmentType") == "DataReplace":
                rows = []
            rows.extend(frame.get("Rows") or [])
        elif kind == "TableCompletion" and primary is not None and frame.get("TableId") == primary.get("TableId"):
            break
    if primary is None:
        raise ValueError("the Kusto v2 response has no PrimaryResult table")
    columns = [(str(c.get("ColumnName")), str(c.get("ColumnType") or "string").lower()) for c in primary["Columns"]]
    return columns, rows


def frame_of_text(text: str | bytes) -> Any:
    """The primary table of a raw Log Analytics / Kusto response as a DataFrame: 64-bit
    integers as nullable Int64, datetimes as UTC timestamps, reals, booleans; dynamic
    values as their JSON."""
    import pandas as pd

    if isinstance(text, bytes):
        text = text.decode("utf-8", errors="replace")
    try:
        doc = json.loads(text)
    except ValueError:
        doc = None
    if isinstance(doc, dict) and isinstance(doc.get("tables"), list):
        columns, rows = _la_table(doc)
    elif isinstance(doc, dict) and isinstance(doc.get("Tables"), list):
        columns, rows = _kusto_v1_table(doc)
    elif isinstance(doc, list) and any(isinstance(f, dict) and "FrameType" in f for f in doc):
        columns, rows = _kusto_v2_table(doc)
    else:
        raise TypeError(
            "View.selected reads raw Log Analytics and Kusto (v1, v2) responses; for other raw text "
            "View.selection gives the selected row positions (or show a DataFrame)"
        )
    width = len(columns)
    # Rows as the engine counts them: lists (an exceptions object in a v1 table is not one).
    rows = [r for r in rows if isinstance(r, list)]
    data = {name: [r[i] if i < len(r) else None for r in rows] for i, (name, _) in enumerate(columns[:width])}
    frame = pd.DataFrame(data, columns=[name for name, _ in columns])
    for name, kind in columns:
        values = frame[name]
        if kind in _TIMES:
            frame[name] = pd.to_datetime(values, utc=True, format="ISO8601", errors="coerce")
        elif kind in _INTS:
            frame[name] = pd.array([None if v is None else int(v) for v in values], dtype="Int64")
        elif kind in _REALS:
            frame[name] = pd.to_numeric(values, errors="coerce")
        elif kind in ("bool", "boolean"):
            frame[name] = pd.array([None if v is None else bool(v) for v in values], dtype="boolean")
    return frame
