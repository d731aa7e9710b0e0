"""MSTICPy as a pivot provider: `huntviz.use_provider(qry_prov)` (issue 16).

Every query of a MSTICPy `QueryProvider` whose parameters name an entity (`host_name`,
`account_name`, `ip_address_list`, `process_id`, …) — or, for queries that declare none
(LocalData's own), whose name does (`get_process_tree`, `…_by_ip`, `list_host_…`) —
becomes a pivot for that entity's kind. Run from a view, it is called once with the
selected rows' values for each parameter it declares (a list for `…_list` parameters:
one batched query for a multi-row selection) and `start`/`end` a time window around the
selected rows. MSTICPy stays an optional dependency: nothing here imports it.
"""

from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Callable
from typing import Any

from ._pivot import DEFAULT_LIMIT, KIND_COLUMNS, Pivot, entity_column, pivot

# MSTICPy's parameter names (across its Sentinel, MDE/M365D and Splunk queries) and the
# entity kind each names.
PARAM_KINDS = {
    "host_name": "host",
    "host_names": "host",
    "hostname": "host",
    "account_name": "account",
    "user": "account",
    "upn": "account",
    "ip_address": "ip",
    "ip_address_list": "ip",
    "source_ip_list": "ip",
    "process_id": "process",
    "process_name": "process",
    "file_hash": "file",
    "file_name": "file",
    "url": "url",
    "alert_id": "alert",
}
# Where a parameter's value is read when it is not the kind's key column.
PARAM_COLUMNS = {
    "process_name": ("NewProcessName", "FileName", "ProcessName", "Process", "exe"),
    "file_name": ("FileName",),
    "file_hash": ("SHA256", "SHA1", "MD5"),
}
# For queries that declare no entity parameter: what their name says they pivot on.
NAME_KINDS = (
    (re.compile(r"process_tree|_processes_for_|parent_process"), "process"),
    (re.compile(r"(by|for)_ips?\b|_by_ip_"), "ip"),
    (re.compile(r"(by|for)_account|account_"), "account"),
    (re.compile(r"(by|for)_url"), "url"),
    (re.compile(r"(by|for)_host|host_"), "host"),
)
TIME_COLUMNS = ("TimeGenerated", "Timestamp", "TimeCreatedUtc", "EventTime", "StartTime", "FlowStartTime")


def kind_of(name: str, params: dict[str, Any]) -> str | None:
    """The entity kind a query pivots on, from its parameters or else its name."""
    kinds = [PARAM_KINDS[p] for p in params if p in PARAM_KINDS]
    # A process query names its host too: the most specific kind wins.
    for kind in ("process", "ip", "account", "file", "url", "alert", "host"):
        if kind in kinds:
            return kind
    if any(p in PARAM_KINDS for p in params):
        return None
    return next((kind for pattern, kind in NAME_KINDS if pattern.search(name)), None)


def _column(param: str, columns: Any) -> str | None:
    names = {str(c) for c in columns}
    own = next((c for c in PARAM_COLUMNS.get(param, ()) if c in names), None)
    return own or entity_column(columns, PARAM_KINDS[param])


def time_window(rows: Any, window: _dt.timedelta) -> tuple[_dt.datetime, _dt.datetime] | None:
    """From `window` before the earliest selected row to `window` after the latest."""
    import pandas as pd

    column = next((c for c in TIME_COLUMNS if c in rows.columns), None)
    if column is None:
        return None
    times = pd.to_datetime(rows[column], errors="coerce", utc=True).dropna()
    if times.empty:
        return None
    return (times.min() - window).to_pydatetime(), (times.max() + window).to_pydatetime()


def arguments(label: str, params: dict[str, Any], rows: Any, window: _dt.timedelta) -> dict[str, Any]:
    """The keyword arguments a query gets for the selected rows: each entity parameter
    it declares, from the rows' column for it (a list parameter gets every distinct
    value: one query), and `start`/`end` around the rows."""
    kwargs: dict[str, Any] = {}
    for param in params:
        if param not in PARAM_KINDS:
            continue
        column = _column(param, rows.columns)
        if column is None:
            continue
        values = list(dict.fromkeys(str(v) for v in rows[column].dropna()))
        if param.endswith(("_list", "_names")):
            kwargs[param] = values
        elif len(values) == 1:
            kwargs[param] = values[0]
        elif values:
            kind = PARAM_KINDS[param]
            raise ValueError(
                f"{label} takes one {param} and the selection has {len(values)}: select rows of one {kind}"
            )
    span = time_window(rows, window)
    if span is not None and ("start" in params or not params):
        kwargs["start"], kwargs["end"] = span
    return kwargs


def _caller(query: Callable[..., Any], label: str, params: dict[str, Any], window: _dt.timedelta) -> Callable[..., Any]:
    def run(rows: Any) -> Any:
        return query(**arguments(label, params, rows, window))

    return run


def use_provider(
    provider: Any, *, window: _dt.timedelta = _dt.timedelta(hours=1), limit: int = DEFAULT_LIMIT
) -> list[Pivot]:
    """Registers a pivot for every query of a MSTICPy `QueryProvider` that fits an
    entity kind (see `huntviz.pivot`), labelled `Family.query`, called with the selected
    entities and `window` either side of the selected rows' times. Returns the pivots
    (`p.remove()` each to take them back)."""
    listing = getattr(provider, "list_queries", None)
    store = getattr(provider, "query_store", None)
    if listing is None or store is None:
        raise TypeError(f"use_provider takes a MSTICPy QueryProvider; got {type(provider).__name__}")
    registered = []
    for qualified in listing():
        family, _, name = str(qualified).rpartition(".")
        try:
            source = store.get_query(qualified)
            query = getattr(getattr(provider, family), name) if family else getattr(provider, name)
        except (AttributeError, LookupError, ValueError):
            continue
        params = dict(getattr(source, "params", {}) or {})
        kind = kind_of(name, params)
        if kind is None or kind not in KIND_COLUMNS:
            continue
        # A required parameter huntviz cannot fill (a table name, a query text): not a pivot.
        required = getattr(source, "required_params", {}) or {}
        if any(p not in PARAM_KINDS and p not in ("start", "end") for p in required):
            continue
        registered.append(pivot(kind, str(qualified), _caller(query, str(qualified), params, window), limit=limit))
    return registered
