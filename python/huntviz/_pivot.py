"""Pivots: the next query, run from the view on what the hunter selected (issue 16).

`huntviz.pivot(kind, label, fn)` registers a function for an entity kind. A linked view
lists the pivots whose kind its result has a column for (a host pivot needs a host
column, a process pivot a process id); the page sends only (view id, pivot id, the
selected rows' positions) and the kernel calls `fn` once with the selected rows — one
batched call for a multi-row selection, never one per row. What `fn` returns is merged
into the same view: rows not already in the result are appended (kept in the order
`fn` gave them, at most the pivot's row limit, marked in the `HuntvizPivot` column) and
the output is rewritten once with the grown result, so the saved notebook holds it.

`fn` runs on a worker thread: the kernel stays free to take a cancel (the page's
Cancel drops the result when it arrives) and the page never waits on it.
"""

from __future__ import annotations

import itertools
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

# The kinds a pivot can be for, and the columns (as the hunting sources name them) whose
# presence in a result says it has such entities. The first present is the entity's key.
KIND_COLUMNS: dict[str, tuple[str, ...]] = {
    # Windows 4688 events name the process NewProcessId (their ProcessId is the parent).
    "process": ("NewProcessId", "ProcessId", "ProcessID", "pid", "process_id"),
    "host": ("DeviceName", "Computer", "HostName", "Hostname", "Host", "host"),
    "account": ("AccountName", "SubjectUserName", "TargetUserName", "UserName", "Account", "user"),
    "ip": ("RemoteIP", "IPAddress", "IpAddress", "SourceIP", "DestinationIP", "LocalIP", "ClientIP", "SrcIP", "DestIP"),
    "file": ("SHA256", "FileName", "FolderPath", "SHA1", "MD5"),
    "url": ("RemoteUrl", "Url", "URL", "url"),
    "alert": ("SystemAlertId", "AlertId", "AlertName"),
}
KINDS = tuple(KIND_COLUMNS)

# The column that says which pivot added a row (empty for the result's own rows).
ADDED_COLUMN = "HuntvizPivot"
DEFAULT_LIMIT = 10_000
MAX_LIMIT = 10_000_000

_ids = itertools.count(1)


@dataclass
class Pivot:
    """A registered pivot; `remove()` unregisters it."""

    kind: str
    label: str
    fn: Callable[..., Any]
    limit: int = DEFAULT_LIMIT
    id: str = field(default_factory=lambda: f"p{next(_ids)}")

    def remove(self) -> None:
        if self in _pivots:
            _pivots.remove(self)
            announce()


_pivots: list[Pivot] = []


def pivot(kind: str, label: str, fn: Callable[..., Any], *, limit: int = DEFAULT_LIMIT) -> Pivot:
    """Registers `fn` as a pivot for entities of `kind`, shown as `label` in the detail
    panel of every linked view whose result has such entities.

    `fn(rows)` gets the selected rows of the view's result (a pandas DataFrame; one row
    for a click, all of them for a multi-row selection: one batched call) and returns
    a result to merge (anything `huntviz.show` reads as a DataFrame). At most `limit`
    returned rows are added; the view says when the cap cut some, and offers to run the
    pivot again with a cap ten times higher."""
    if kind not in KIND_COLUMNS:
        raise ValueError(f"kind must be one of {', '.join(KINDS)}; got {kind!r}")
    if not callable(fn):
        raise TypeError("fn must be callable: fn(rows) -> DataFrame")
    if not isinstance(limit, int) or not 1 <= limit <= MAX_LIMIT:
        raise ValueError(f"limit must be a whole number of rows from 1 to {MAX_LIMIT:,}")
    registered = Pivot(kind, str(label), fn, limit)
    _pivots.append(registered)
    announce()
    return registered


def announce() -> None:
    """Tells every linked view which pivots it offers now (one was added or removed)."""
    from ._link import _views

    for view in list(_views.values()):
        if view._comms:
            view._send({"type": "pivots", "pivots": available(view._source)})


def entity_column(columns: Any, kind: str) -> str | None:
    """The column of `columns` that holds entities of `kind`, if any."""
    names = {str(c) for c in columns}
    return next((c for c in KIND_COLUMNS.get(kind, ()) if c in names), None)


def available(source: Any) -> list[dict[str, Any]]:
    """The pivots a view over `source` offers: those whose kind it has a column for."""
    columns = getattr(source, "columns", None)
    if columns is None:
        return []
    return [
        {"id": p.id, "kind": p.kind, "label": p.label, "limit": p.limit}
        for p in _pivots
        if entity_column(columns, p.kind) is not None
    ]


def find(pivot_id: Any) -> Pivot | None:
    return next((p for p in _pivots if p.id == pivot_id), None)


def as_frame(result: Any) -> Any:
    """What a pivot returned, as a pandas DataFrame (None: nothing)."""
    import pandas as pd

    if result is None or isinstance(result, pd.DataFrame):
        return result
    module = type(result).__module__ or ""
    if (module.startswith("polars") and type(result).__name__ == "DataFrame") or (
        module.startswith("pyarrow") and type(result).__name__ == "Table"
    ):
        return result.to_pandas()
    raise TypeError(f"a pivot returns a pandas or polars DataFrame or a pyarrow Table; got {type(result).__name__}")


def _row_keys(frame: Any, columns: list[str]) -> Any:
    """A 64-bit hash of each row's values in `columns`."""
    import pandas as pd

    return pd.util.hash_pandas_object(frame[columns], index=False)


def merge(source: Any, found: Any, mark: str, limit: int) -> tuple[Any, int, bool]:
    """`source` with the rows of `found` it does not already have appended (at most
    `limit`, marked `mark` in ADDED_COLUMN); how many were added and whether the cap
    cut any. The result's own rows keep their positions (a selection stays valid)."""
    import pandas as pd

    if found is None or len(found) == 0:
        return source, 0, False
    found = found.drop(columns=[ADDED_COLUMN], errors="ignore")
    # A row is already there when the columns both have hold the same values: for
    # process events, the process's identity (host, id, start) says it, and hashing
    # three columns instead of forty is what keeps a pivot on a million rows quick.
    shared = [c for c in source.columns if c != ADDED_COLUMN and c in found.columns]
    identity = [
        entity_column(shared, "host"),
        entity_column(shared, "process"),
        next((c for c in ("ProcessCreationTime", "TimeCreatedUtc", "TimeGenerated", "Timestamp") if c in shared), None),
    ]
    if all(identity):
        shared = [c for c in identity if c is not None]
    if shared:
        try:
            theirs = _row_keys(found, shared)
            new = found[(~theirs.isin(set(_row_keys(source, shared))) & ~theirs.duplicated()).to_numpy()]
        except TypeError:  # unhashable values (lists, dicts): every row is new
            new = found
    else:
        new = found
    capped = len(new) > limit
    new = new.iloc[:limit].assign(**{ADDED_COLUMN: mark})
    if len(new) == 0:
        return source, 0, False
    base = source if ADDED_COLUMN in source.columns else source.assign(**{ADDED_COLUMN: ""})
    # Columns only one side has stay, empty on the other's rows.
    grown = pd.concat([base, new], ignore_index=True, sort=False)
    return grown, len(new), capped


def misfit(view: Any, source: Any, found: Any) -> str | None:
    """Why `found` cannot grow `view` over `source` (None: it fits). A tree grows by
    rows with its process id column, a graph by rows with its link columns, a grid by
    rows with most of its columns; a timeline takes any result as a lane of its own."""
    columns = {str(c) for c in found.columns}
    if view.view == "process-tree":
        pid = entity_column(source.columns, "process")
        if pid is not None and pid not in columns:
            return f"it has no {pid} column"
    elif view.view == "graph":
        ends = [view.options.get(k) for k in ("source", "target") if view.options.get(k)]
        missing = [c for c in ends if c not in columns]
        if missing:
            return f"it has no {', '.join(missing)} column"
    elif view.view != "timeline":
        own = [str(c) for c in source.columns if c != ADDED_COLUMN]
        if own and sum(c in columns for c in own) * 2 < len(own):
            return "it shares fewer than half of the result's columns"
    return None


class Run:
    """One pivot running for one view: started on a worker thread, cancellable."""

    def __init__(self, view: Any, chosen: Pivot, rows: list[int], limit: int, send: Callable[[dict[str, Any]], None]):
        self.view = view
        self.pivot = chosen
        self.rows = rows
        self.limit = limit
        self.send = send
        self.cancelled = False
        self.thread = threading.Thread(target=self._run, name=f"huntviz pivot {chosen.label}", daemon=True)

    def start(self) -> None:
        self.send({"type": "pivot", "state": "running", "label": self.pivot.label})
        self.thread.start()

    def cancel(self) -> None:
        self.cancelled = True
        self.send({"type": "pivot", "state": "cancelled", "label": self.pivot.label})

    def _run(self) -> None:
        label = self.pivot.label
        try:
            selected = self.view._frame_rows(self.rows)
            found = as_frame(self.pivot.fn(selected))
            if self.cancelled:
                return
            column = entity_column(selected.columns, self.pivot.kind)
            keys = selected[column].astype(str).unique().tolist() if column else []
            mark = f"{label}: {', '.join(keys[:3])}{'…' if len(keys) > 3 else ''}" if keys else label
            source = self.view._pandas_source("a pivot")
            why = None if found is None else misfit(self.view, source, found)
            if why is not None:
                # A new output under this one (the page adds it to the cell), and the rows
                # in v.pivot_result for the next cell.
                self.view.pivot_result = found
                shown = found.iloc[: self.limit]
                self.send(
                    {
                        "type": "pivot",
                        "state": "done",
                        "label": label,
                        "added": 0,
                        "opened": len(shown),
                        "why": why,
                        "capped": len(found) > self.limit,
                        "limit": self.limit,
                    }
                )
                self.view._open_beside(shown, mark)
                return
            if self.view.view == "timeline" and found is not None and len(found):
                # A lane of its own on the same axis.
                capped = len(found) > self.limit
                self.view.pivot_result = found
                self.send(
                    {
                        "type": "pivot",
                        "state": "done",
                        "label": label,
                        "added": min(len(found), self.limit),
                        "capped": capped,
                        "limit": self.limit,
                    }
                )
                self.view._add_dataset(found.iloc[: self.limit], mark)
                return
            grown, added, capped = merge(source, found, mark, self.limit)
            self.view.pivot_result = found
            if self.cancelled:
                return
            # Said before the output is rewritten: the page renders it again then.
            self.send(
                {
                    "type": "pivot",
                    "state": "done",
                    "label": label,
                    "added": added,
                    "capped": capped,
                    "limit": self.limit,
                }
            )
            if added:
                if self.view.view == "process-tree" and "color_by" not in self.view.options:
                    # The added processes drawn apart: coloured by the pivot that added them
                    # (the legend names it), unless the hunter chose a colouring.
                    self.view.options = {**self.view.options, "color_by": ADDED_COLUMN}
                self.view._replace(grown)
        except Exception as error:  # shown in the view: this thread has no cell
            if not self.cancelled:
                message = f"{label}: {type(error).__name__}: {error}"[:2000]
                self.send({"type": "pivot", "state": "error", "label": label, "message": message})
        finally:
            if self.view._running is self:
                self.view._running = None
