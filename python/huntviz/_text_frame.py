"""The rows of a raw query response as a pandas DataFrame: what `View.selected` gives
for a view shown from raw text (issue 16).

The kernel reads the primary table of every raw format the engine reads, at the
engine's row positions: Log Analytics (`{"tables": …}`, the first table), Kusto v1
(`{"Tables": …}`, the first table), Kusto v2 (the `PrimaryResult` data table, whole
or in progressive fragments), Defender hunting and pandas `orient="table"` typed by
their own column types; pandas `split`/`records`, an object of records, JSON lines
and CSV typed by the engine's inference rule (docs/formats.md), re-stated here for
Python. Checked against the engine on every fixture format (tests/python/test_link.py).
An osquery result log gives its first query's table, as the view shows it; huntviz's
columnar text gives row positions only.
"""

from __future__ import annotations

import json
import re
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


def _defender_table(doc: dict[str, Any]) -> tuple[list[tuple[str, str]], list[Any]]:
    """Defender advanced hunting / Graph runHuntingQuery: `Schema` names and types, rows
    as objects matched to the schema by name (exactly, then ignoring case)."""
    schema = _get(doc, "schema") or []
    columns = [
        (str(_get(c, "name")), _DEFENDER_TYPES.get(str(_get(c, "type") or "string").lower(), "dynamic"))
        for c in schema
        if isinstance(c, dict)
    ]
    return columns, _object_rows([name for name, _ in columns], _get(doc, "results") or [])


def _pandas_table(doc: dict[str, Any]) -> tuple[list[tuple[str, str]], list[Any]]:
    """pandas `orient="table"`: the schema's fields and types; a default RangeIndex
    (`index` = 0, 1, 2, …, the primary key) is dropped as the engine drops it."""
    schema = doc["schema"]
    fields = [f for f in schema.get("fields") or [] if isinstance(f, dict)]
    columns = [(str(f.get("name")), _PANDAS_TYPES.get(str(f.get("type", "any")), "string")) for f in fields]
    rows = _object_rows([name for name, _ in columns], doc.get("data") or [])
    at = next((i for i, (name, _) in enumerate(columns) if name == "index"), None)
    if schema.get("primaryKey") == ["index"] and at is not None and [r[at] for r in rows] == list(range(len(rows))):
        columns.pop(at)
        rows = [r[:at] + r[at + 1 :] for r in rows]
    return columns, rows


def _get(obj: dict[str, Any], key: str) -> Any:
    """obj[key], the key matched exactly, then ignoring case (`Schema` / `schema`)."""
    if key in obj:
        return obj[key]
    return next((v for k, v in obj.items() if k.lower() == key.lower()), None)


def _object_rows(names: list[str], items: list[Any]) -> list[list[Any]]:
    """Row objects as lists in `names` order: each key matched exactly, then ignoring
    case; a second value for a column in one row is ignored (the engine keeps the first)."""
    exact = {}
    lower = {}
    for i, name in enumerate(names):
        exact.setdefault(name, i)
        lower.setdefault(name.lower(), i)
    rows = []
    for item in items:
        if not isinstance(item, dict):
            continue
        row: list[Any] = [None] * len(names)
        filled = [False] * len(names)
        for key, value in item.items():
            i = exact.get(key, lower.get(key.lower()))
            if i is not None and not filled[i]:
                row[i], filled[i] = value, True
        rows.append(row)
    return rows


def _records(items: list[Any], flatten: bool) -> tuple[list[tuple[str, str]], list[Any]]:
    """Schema-less row objects (pandas records, an object of records, JSON lines): keys
    become columns in first-seen order; in JSON lines objects nested one level are
    flattened as `outer.inner`. Types are inferred as the engine infers them."""
    names: dict[str, int] = {}
    rows: list[dict[int, Any]] = []
    for item in items:
        if not isinstance(item, dict):
            continue
        row: dict[int, Any] = {}
        for key, value in item.items():
            pairs = (
                [(f"{key}.{k}", v) for k, v in value.items()] if flatten and isinstance(value, dict) else [(key, value)]
            )
            for name, v in pairs:
                i = names.setdefault(name, len(names))
                row.setdefault(i, v)
        rows.append(row)
    return [(name, "") for name in names], [[r.get(i) for i in range(len(names))] for r in rows]


def _csv_table(text: str) -> tuple[list[tuple[str, str]], list[Any]]:
    """CSV with a header row: the delimiter the header uses most outside quotes (`,`,
    tab, `;`, `|`), RFC 4180 quoting, the portal's ` [UTC]` header suffix dropped,
    empty fields null; types inferred as the engine infers them."""
    import csv
    import io

    text = text.removeprefix("\ufeff")
    header, quoted = [], False
    for ch in text:
        if ch == '"':
            quoted = not quoted
        elif ch in "\r\n" and not quoted:
            break
        elif not quoted:
            header.append(ch)
    delimiter = max(",\t;|", key=lambda d: header.count(d))
    records = [r for r in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter) if r]
    if not records:
        raise ValueError("the CSV has no header row")
    names = [n.removesuffix(" [UTC]") for n in records[0]]
    rows = [[(r[i] if r[i] != "" else None) if i < len(r) else None for i in range(len(names))] for r in records[1:]]
    return [(name, "") for name in names], rows


# Defender's and pandas' type names → the kernel's.
_DEFENDER_TYPES = {
    "datetime": "datetime",
    "string": "string",
    "int64": "long",
    "int32": "int",
    "int": "int",
    "long": "long",
    "double": "real",
    "real": "real",
    "boolean": "bool",
    "bool": "bool",
    "guid": "string",
    "object": "dynamic",
    "dynamic": "dynamic",
}
_PANDAS_TYPES = {
    "integer": "long",
    "number": "real",
    "boolean": "bool",
    "datetime": "datetime",
    "string": "string",
    "any": "dynamic",
}

_ISO_DATETIME = re.compile(
    r"\s*\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?)?(?:Z|[+-]\d{2}:?\d{2})?\s*"
)
_PORTAL_DATETIME = re.compile(r"\d{1,2}/\d{1,2}/\d{4},? \d{1,2}:\d{2}:\d{2}(?:\.\d{1,7})? [AP]M")
_GUID = re.compile(r"\{?[0-9a-fA-F]{8}-(?:[0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}\}?")
_INTEGER = re.compile(r"-?(?:0|[1-9]\d*)")
_REAL = re.compile(r"[+-]?(?:(?:[1-9]\d*|0)(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?|[+-]?(?:NaN|Infinity)")


def _infer(values: list[Any]) -> str:
    """A column's type by the engine's rule (docs/formats.md): JSON values of one kind
    keep it; text is a datetime, a GUID, an integer, a real, a boolean or JSON when
    every value is; otherwise text."""
    present = [v for v in values if v is not None and v != ""]
    if not present:
        return "string"
    if any(isinstance(v, (dict, list)) for v in present):
        return "dynamic"
    if all(isinstance(v, bool) for v in present):
        return "bool"
    if all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in present):
        fits = all(isinstance(v, int) and -(2**63) <= v < 2**63 for v in present)
        return "long" if fits else "real"
    if not all(isinstance(v, str) for v in present):
        return "string"

    def every(pattern: re.Pattern[str]) -> bool:
        return all(pattern.fullmatch(v) for v in present)

    if every(_ISO_DATETIME):
        return "datetime"
    if every(_PORTAL_DATETIME):
        return "portal datetime"
    if every(_GUID):
        return "string"
    if every(_INTEGER) and all(-(2**63) <= int(v) < 2**63 for v in present):
        return "long"
    if every(_REAL):
        return "real"
    if all(v.lower() in ("true", "false") for v in present):
        return "text bool"
    return "string"


def frame_of_text(text: str | bytes) -> Any:
    """The primary table of a raw response as a DataFrame, at the engine's row
    positions: Log Analytics, Kusto v1/v2, Defender hunting and pandas `table` typed by
    their own column types (64-bit integers as nullable Int64, datetimes as UTC
    timestamps, reals, booleans; dynamic values as they came); pandas `split` and
    `records`, an object of records, JSON lines and CSV typed by the engine's inference
    rule (an osquery log: its first query's table)."""
    import pandas as pd

    if isinstance(text, bytes):
        text = text.decode("utf-8", errors="replace")
    try:
        doc = json.loads(text, object_pairs_hook=_first_of_each_key)
    except ValueError:
        doc = None
    if doc is None and text.startswith("HVC1"):
        raise TypeError(
            "huntviz's columnar text: View.selection gives the selected row positions (or show a DataFrame)"
        )
    if isinstance(doc, dict) and isinstance(doc.get("responses"), list):
        # A Log Analytics batch: the first response's table.
        first = next((r for r in doc["responses"] if isinstance(r, dict)), {})
        doc = first.get("body") if isinstance(first.get("body"), dict) else {}
    if isinstance(doc, dict) and isinstance(doc.get("tables"), list):
        columns, rows = _la_table(doc)
    elif isinstance(doc, dict) and isinstance(doc.get("Tables"), list):
        columns, rows = _kusto_v1_table(doc)
    elif isinstance(doc, list) and any(isinstance(f, dict) and "FrameType" in f for f in doc):
        columns, rows = _kusto_v2_table(doc)
    elif isinstance(doc, dict) and isinstance(_get(doc, "schema"), list):
        columns, rows = _defender_table(doc)
    elif isinstance(doc, dict) and isinstance(doc.get("schema"), dict) and "data" in doc:
        columns, rows = _pandas_table(doc)
    elif isinstance(doc, dict) and isinstance(doc.get("columns"), list) and isinstance(doc.get("data"), list):
        columns = [(str(c), "") for c in doc["columns"]]
        rows = [list(r)[: len(columns)] + [None] * (len(columns) - len(r)) for r in doc["data"] if isinstance(r, list)]
    elif isinstance(doc, list):
        columns, rows = _records(doc, flatten=False)
    elif isinstance(doc, dict) and doc and all(isinstance(v, dict) for v in doc.values()):
        columns, rows = _records(list(doc.values()), flatten=False)
    elif doc is None and text.lstrip().startswith("{"):
        items = [json.loads(line, object_pairs_hook=_first_of_each_key) for line in text.splitlines() if line.strip()]
        osquery = [i for i in items if isinstance(i, dict) and "name" in i and isinstance(i.get("columns"), dict)]
        if osquery:
            # An osquery result log: a table per query name, the first shown; its
            # `columns.` prefix dropped where no other column has the name.
            first = osquery[0]["name"]
            items = [i for i in osquery if i["name"] == first]
        columns, rows = _records(items, flatten=True)
        if osquery:
            names = {n for n, _ in columns}
            columns = [(n[8:] if n.startswith("columns.") and n[8:] not in names else n, k) for n, k in columns]
    elif doc is None:
        columns, rows = _csv_table(text)
    else:
        raise TypeError(
            "View.selected reads the raw formats huntviz shows; this one is not a table: "
            "View.selection gives the selected row positions (or show a DataFrame)"
        )
    # Rows as the engine counts them: lists (an exceptions object in a v1 table is not one).
    rows = [r for r in rows if isinstance(r, list)]
    data = {name: [_clean(r[i]) if i < len(r) else None for r in rows] for i, (name, _) in enumerate(columns)}
    if any(not kind for _, kind in columns):
        # JSON lines: a column an object was flattened into does not stay when it only
        # ever held null.
        heads = {name.split(".", 1)[0] for name, _ in columns if "." in name}
        columns = [(n, k) for n, k in columns if not (n in heads and all(v is None for v in data[n]))]
    frame = pd.DataFrame({name: _typed(data[name], kind) for name, kind in columns}, columns=[n for n, _ in columns])
    return frame


def _typed(values: list[Any], kind: str) -> Any:
    """A column's values (as the response gave them) as pandas holds them typed."""
    import pandas as pd

    if not kind:
        kind = _infer(values)
    if kind in _TIMES:
        text = [v.strip() if isinstance(v, str) else v for v in values]
        return pd.to_datetime(pd.Series(text, dtype=object), utc=True, format="ISO8601", errors="coerce")
    if kind == "portal datetime":
        return pd.to_datetime(pd.Series(values, dtype=object), utc=True, format="mixed", errors="coerce")
    if kind in _INTS:
        return pd.array([_int(v) for v in values], dtype="Int64")
    if kind == "timespan":
        return pd.Series([_timespan(v) for v in values], dtype="timedelta64[ns]")
    if kind == "decimal":
        # Exact: 128-bit decimals do not fit a float.
        return pd.Series([_decimal(v) for v in values], dtype=object)
    if kind in _REALS:
        return pd.to_numeric(pd.Series(values, dtype=object), errors="coerce")
    if kind in ("bool", "boolean", "text bool"):
        truth = [v.lower() == "true" if isinstance(v, str) else bool(v) for v in values]
        return pd.array([None if v is None or v == "" else t for v, t in zip(values, truth)], dtype="boolean")
    return pd.Series(values, dtype=object)


_TIMESPAN = re.compile(r"(-)?(?:(\d+)\.)?(\d{1,2}):(\d{2}):(\d{2})(?:\.(\d{1,7}))?")


def _timespan(value: Any) -> Any:
    """A Kusto timespan (`[-][d.]hh:mm:ss[.fffffff]`, or 100-ns ticks) as a Timedelta."""
    import pandas as pd

    if isinstance(value, int) and not isinstance(value, bool):
        return pd.Timedelta(value * 100, unit="ns")
    match = _TIMESPAN.fullmatch(value) if isinstance(value, str) else None
    if match is None:
        return pd.NaT
    sign, days, h, m, sec, frac = match.groups()
    ticks = ((int(days or 0) * 24 + int(h)) * 60 + int(m)) * 60 + int(sec)
    ticks = ticks * 10_000_000 + int((frac or "").ljust(7, "0"))
    return pd.Timedelta((-ticks if sign else ticks) * 100, unit="ns")


def _decimal(value: Any) -> Any:
    """A decimal cell (its text, or a number) exactly, None when empty or not one."""
    import decimal

    if value is None or value == "" or isinstance(value, bool):
        return None
    try:
        return decimal.Decimal(str(value))
    except decimal.InvalidOperation:
        return None


def _int(value: Any) -> int | None:
    """A 64-bit integer cell (a number, or its text), None when empty or not one."""
    if value is None or value == "" or isinstance(value, bool):
        return None
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if -(2**63) <= number < 2**63 else None


_SURROGATE = re.compile("[\ud800-\udfff]")


def _clean(value: Any) -> Any:
    """A JSON string's lone surrogates (`"\\ud800"`: no character) as U+FFFD, as the
    engine reads them; anything else as it is."""
    if isinstance(value, str) and not value.isascii():
        return _SURROGATE.sub("\ufffd", value)
    return value


def _first_of_each_key(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """A JSON object whose repeated keys keep their first value, as the engine reads it."""
    out: dict[str, Any] = {}
    for key, value in pairs:
        out.setdefault(key, value)
    return out
