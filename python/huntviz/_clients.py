"""What hunting clients return, as the text huntviz reads, exact where the client allows.

- **azure-kusto-data** keeps each table's raw JSON (`raw_columns`, `raw_rows`): a
  `KustoResponseDataSet` (v1 or v2) or a `KustoResultTable` is written back as the
  response it came from, value for value (64-bit integers, 100-ns datetimes, timespans,
  decimals, dynamic values and nulls exactly as Kusto sent them). The
  QueryCompletionInformation table travels too, so its errors are warnings as in the
  raw response.
- **azure-monitor-query** converts datetimes to Python `datetime` (its deserializer
  cuts the 7th fractional digit: microseconds) and timespans and GUIDs to `str` (a null
  becomes `"None"`, which is read as null here); everything else is the JSON value. A
  `LogsQueryResult`, `LogsQueryPartialResult` (its `partial_error` becomes the
  response's `error`, a partial-error warning), `LogsTable` or a batch (`query_batch`'s
  list, failed queries included) is written as the Log Analytics response. For 100-ns
  datetimes pass the raw response text instead.
- **Kqlmagic** result sets keep the service's parsed JSON (`_json_response`), written
  back as the response (exact but for the whitespace inside dynamic objects).
- **pyarrow** `Table`/`RecordBatch` and **polars** `DataFrame` are read through Arrow's
  columns (`_arrow.py`).

Each client stays optional: nothing here imports one; objects are recognised by their
type's module and name.
"""

from __future__ import annotations

import datetime as _dt
import json
import re
from typing import Any

_KUSTO = "azure.kusto.data"
_MONITOR = "azure.monitor.query"


def _kind(obj: Any) -> tuple[str, str]:
    t = type(obj)
    return t.__module__ or "", t.__name__


def recognise(obj: Any) -> tuple[str, str] | None:
    """`(text, what)` for a client's result, or None when `obj` is not one."""
    module, name = _kind(obj)
    if module.startswith(_KUSTO):
        if name.startswith("KustoResponseDataSet"):
            return _kusto_dataset(obj), f"Kusto result ({len(obj.tables)} tables, azure-kusto-data)"
        if name == "KustoResultTable":
            return _kusto_tables([obj], v1=False), f"Kusto table {obj.table_name!r} (azure-kusto-data)"
    if module.startswith(_MONITOR) and name in ("LogsQueryResult", "LogsQueryPartialResult", "LogsTable"):
        return _logs_response([obj]), f"Log Analytics {_monitor_what(obj)} (azure-monitor-query)"
    if isinstance(obj, (list, tuple)) and obj and all(_kind(o)[0].startswith(_MONITOR) for o in obj):
        return _logs_response(list(obj)), f"Log Analytics batch of {len(obj)} results (azure-monitor-query)"
    if module.startswith("Kqlmagic") and name == "ResultSet" and hasattr(obj, "_json_response"):
        # Kqlmagic keeps the service's parsed JSON (Kusto v1/v2 or Log Analytics).
        return _dumps(obj._json_response), f"Kqlmagic result of {len(obj):,} rows"
    if module.startswith("pyarrow") and name in ("Table", "RecordBatch"):
        return _arrow_data(obj, "Arrow table"), f"Arrow table of {obj.num_rows:,} rows × {obj.num_columns:,} columns"
    if module.startswith("polars") and name == "DataFrame":
        rows, cols = obj.shape
        return _arrow_data(obj.to_arrow(), "DataFrame"), f"polars DataFrame of {rows:,} rows × {cols:,} columns"
    return None


def _arrow_data(table: Any, name: str) -> str | bytes:
    """HVC1 of an Arrow table: binary bytes for large ones, text otherwise."""
    from ._arrow import encode_arrow
    from ._columnar import BINARY_ROWS

    binary = table.num_rows >= BINARY_ROWS
    data = encode_arrow(table, name=name, binary=binary)
    return data if binary else data.decode("utf-8")


def _dumps(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False, default=_json_default)
    # A surrogate in a Python string is a lone one (pairs are one character): written as
    # the escape the service sent, so the engine reports it as for the raw response.
    return _LONE_SURROGATE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def _json_default(value: Any) -> Any:
    if isinstance(value, _dt.datetime):
        return _iso(value)
    if isinstance(value, (_dt.date, _dt.time)):
        return value.isoformat()
    return str(value)


def _iso(value: _dt.datetime) -> str:
    if value.tzinfo is not None:
        value = value.astimezone(_dt.timezone.utc).replace(tzinfo=None)
    return value.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


# --- azure-kusto-data ------------------------------------------------------------------


def _kusto_dataset(dataset: Any) -> str:
    return _kusto_tables(list(dataset.tables), v1=type(dataset).__name__.endswith("V1"))


def _kusto_tables(tables: list[Any], v1: bool) -> str:
    """The response the tables came from, from their raw JSON."""
    if v1:
        return _dumps(
            {"Tables": [{"TableName": t.table_name, "Columns": t.raw_columns, "Rows": t.raw_rows} for t in tables]}
        )
    frames: list[dict[str, Any]] = [{"FrameType": "DataSetHeader", "IsProgressive": False, "Version": "v2.0"}]
    for i, t in enumerate(tables):
        kind = getattr(t.table_kind, "value", t.table_kind) or ("PrimaryResult" if i == 0 else "Unknown")
        frames.append(
            {
                "FrameType": "DataTable",
                "TableId": t.table_id if t.table_id is not None else i,
                "TableKind": kind,
                "TableName": t.table_name or ("PrimaryResult" if kind == "PrimaryResult" else f"Table_{i}"),
                "Columns": t.raw_columns,
                "Rows": t.raw_rows,
            }
        )
    frames.append({"FrameType": "DataSetCompletion", "HasErrors": False, "Cancelled": False})
    return _dumps(frames)


# --- azure-monitor-query ---------------------------------------------------------------


def _monitor_what(obj: Any) -> str:
    name = type(obj).__name__
    if name == "LogsTable":
        return f"table {obj.name!r}"
    return "partial result" if name == "LogsQueryPartialResult" else "result"


def _logs_table(table: Any) -> dict[str, Any]:
    types = list(table.columns_types)
    rows = []
    for row in table.rows:
        values = list(row)
        for i, v in enumerate(values):
            ty = types[i] if i < len(types) else ""
            if isinstance(v, _dt.datetime):
                values[i] = _iso(v)
            elif ty in ("timespan", "guid") and v == "None":
                # The SDK's str() of a null.
                values[i] = None
        rows.append(values)
    return {
        "name": table.name,
        "columns": [{"name": c, "type": t} for c, t in zip(table.columns, types)],
        "rows": rows,
    }


def _error(error: Any) -> dict[str, Any]:
    out: dict[str, Any] = {"code": str(getattr(error, "code", "") or "Error"), "message": str(error.message)}
    details = getattr(error, "details", None)
    if details:
        out["details"] = details
    return out


def _logs_response(results: list[Any]) -> str:
    """One Log Analytics response of every table; the failures and partial errors as
    its `error` (a partial-error warning, as the service's own)."""
    tables: list[dict[str, Any]] = []
    errors: list[dict[str, Any]] = []
    render = None
    for result in results:
        name = type(result).__name__
        if name == "LogsTable":
            tables.append(_logs_table(result))
        elif name == "LogsQueryResult":
            tables.extend(_logs_table(t) for t in result.tables)
            render = render or result.visualization
        elif name == "LogsQueryPartialResult":
            tables.extend(_logs_table(t) for t in (result.partial_data or []))
            if result.partial_error is not None:
                errors.append(_error(result.partial_error))
            render = render or result.visualization
        elif name == "LogsQueryError":
            errors.append(_error(result))
        else:
            raise TypeError(f"huntviz cannot read a {name} from azure-monitor-query")
    response: dict[str, Any] = {"tables": tables}
    if render:
        response["render"] = render
    if len(errors) == 1:
        response["error"] = errors[0]
    elif errors:
        response["error"] = {
            "code": "PartialError",
            "message": f"{len(errors)} of the batch's queries failed or returned partial results",
            "details": errors,
        }
    return _dumps(response)
