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
# The furthest a level cap reaches (parent links up or down from the selected process).
MAX_LEVELS = 1_000

# A process's parent: the column with its parent's id (given the column with its own),
# and its own and its parent's start times. 4688 events name the parent ProcessId.
PARENT_COLUMNS: dict[str, tuple[str, ...]] = {
    "NewProcessId": ("ProcessId",),
    "": ("InitiatingProcessId", "ParentProcessId", "ParentProcessID", "ppid", "parent_pid"),
}
START_COLUMNS = ("ProcessCreationTime", "TimeCreatedUtc", "CreationTime", "TimeGenerated", "Timestamp")
PARENT_START_COLUMNS = ("InitiatingProcessCreationTime", "ParentProcessCreationTime")

_ids = itertools.count(1)


@dataclass
class Pivot:
    """A registered pivot; `remove()` unregisters it."""

    kind: str
    label: str
    fn: Callable[..., Any]
    limit: int = DEFAULT_LIMIT
    # Level caps on a process tree: parent links up (ancestors) and down (descendants)
    # from the selected processes an added process may be; None: no cap.
    ancestors: int | None = None
    descendants: int | None = None
    id: str = field(default_factory=lambda: f"p{next(_ids)}")

    def levels(self) -> dict[str, int]:
        """The level caps that are set, as the view is told them."""
        caps = {"ancestors": self.ancestors, "descendants": self.descendants}
        return {k: v for k, v in caps.items() if v is not None}

    def remove(self) -> None:
        if self in _pivots:
            _pivots.remove(self)
            announce()


_pivots: list[Pivot] = []


def pivot(
    kind: str,
    label: str,
    fn: Callable[..., Any],
    *,
    limit: int = DEFAULT_LIMIT,
    ancestors: int | None = None,
    descendants: int | None = None,
) -> Pivot:
    """Registers `fn` as a pivot for entities of `kind`, shown as `label` in the detail
    panel of every linked view whose result has such entities.

    `fn(rows)` gets the selected rows of the view's result (a pandas DataFrame; one row
    for a click, all of them for a multi-row selection: one batched call) and returns
    a result to merge (anything `huntviz.show` reads as a DataFrame). At most `limit`
    returned rows are added; the view says when the cap cut some, and offers to run the
    pivot again with a cap ten times higher.

    On a process tree, `ancestors` and `descendants` cap by levels as process-tree
    peers do (Elastic's resolver: ancestors, descendants, descendant levels): an added
    process is kept only when it is an ancestor of a selected process at most
    `ancestors` parent links above it, or a descendant at most `descendants` below it
    (None: that direction is not capped). With either set, processes that are neither
    (a sibling, another host's) are not added. The view says how many lay beyond the
    levels and offers twice as many."""
    if kind not in KIND_COLUMNS:
        raise ValueError(f"kind must be one of {', '.join(KINDS)}; got {kind!r}")
    if not callable(fn):
        raise TypeError("fn must be callable: fn(rows) -> DataFrame")
    if not isinstance(limit, int) or not 1 <= limit <= MAX_LIMIT:
        raise ValueError(f"limit must be a whole number of rows from 1 to {MAX_LIMIT:,}")
    for name, levels in (("ancestors", ancestors), ("descendants", descendants)):
        if levels is not None and (not isinstance(levels, int) or not 0 <= levels <= MAX_LEVELS):
            raise ValueError(f"{name} must be a whole number of levels from 0 to {MAX_LEVELS:,}, or None")
    registered = Pivot(kind, str(label), fn, limit, ancestors, descendants)
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
        {"id": p.id, "kind": p.kind, "label": p.label, "limit": p.limit, **p.levels()}
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


def parents(frame: Any) -> Any:
    """Each row's parent process row (a position into `frame`, -1: none known), linked
    as a process tree links them: the parent is the row on the same host whose process
    id is the row's parent id and which started at the parent's start time when the row
    gives it, else the latest that started at or before the row (so a reused id links
    to the process that held it then). None when `frame` has no process columns."""
    import numpy as np
    import pandas as pd

    columns = [str(c) for c in frame.columns]
    pid = entity_column(columns, "process")
    if pid is None:
        return None
    ppid = next((c for c in PARENT_COLUMNS.get(pid, PARENT_COLUMNS[""]) if c in columns), None)
    start = next((c for c in START_COLUMNS if c in columns), None)
    if ppid is None or start is None:
        return None
    parent_start = next((c for c in PARENT_START_COLUMNS if c in columns), None)
    host = entity_column(columns, "host")

    def times(column: str) -> Any:
        t = pd.to_datetime(frame[column], utc=True, errors="coerce", format="mixed")
        return t.to_numpy(dtype="datetime64[ns]")

    def keys(column: str) -> Any:
        # Ids as text: a 4688 event's are hex strings, MDE's integers, some nullable.
        ids = frame[column].astype("string").fillna("")
        return (frame[host].astype("string").fillna("") + "\x1f" + ids) if host else ids

    n = len(frame)
    own = pd.DataFrame({"key": keys(pid), "t": times(start), "at": np.arange(n)})
    want = pd.DataFrame({"key": keys(ppid), "t": times(parent_start or start), "child": np.arange(n)})
    own = own[own["t"].notna() & (own["key"] != "")].sort_values("t", kind="stable")
    want = want[want["t"].notna()].sort_values("t", kind="stable")
    found = pd.merge_asof(want, own, on="t", by="key", direction="backward", allow_exact_matches=True)
    out = np.full(n, -1, dtype=np.int64)
    linked = found["at"].notna().to_numpy()
    child = found["child"].to_numpy()[linked]
    parent = found["at"].to_numpy()[linked].astype(np.int64)
    keep = child != parent  # a process is not its own parent
    out[child[keep]] = parent[keep]
    return out


def within_levels(up: Any, start: list[int], ancestors: int | None, descendants: int | None) -> Any:
    """Which rows are ancestors of a `start` row at most `ancestors` parent links above
    it, or descendants at most `descendants` below it (None: any number), or a start
    row itself. `up` is `parents(frame)`. Walked level by level, never recursively."""
    import numpy as np

    n = len(up)
    reached = np.zeros(n, dtype=bool)
    reached[start] = True
    level, seen = 0, np.zeros(n, dtype=bool)
    front = np.unique(np.asarray(start, dtype=np.int64))
    while len(front) and (ancestors is None or level < ancestors):
        seen[front] = True
        front = up[front]
        front = np.unique(front[front >= 0])
        front = front[~seen[front]]  # a cycle (bad data) ends the walk
        reached[front] = True
        level += 1
    if descendants is None or descendants > 0:
        has_parent = up >= 0
        children_of = up[has_parent]
        child_rows = np.nonzero(has_parent)[0]
        level, seen = 0, np.zeros(n, dtype=bool)
        front = np.unique(np.asarray(start, dtype=np.int64))
        while len(front) and (descendants is None or level < descendants):
            seen[front] = True
            mask = np.zeros(n, dtype=bool)
            mask[front] = True
            front = child_rows[mask[children_of]]
            front = front[~seen[front]]
            reached[front] = True
            level += 1
    return reached


def merge(
    source: Any,
    found: Any,
    mark: str,
    limit: int,
    *,
    around: list[int] | None = None,
    ancestors: int | None = None,
    descendants: int | None = None,
) -> tuple[Any, int, bool, int]:
    """`source` with the rows of `found` it does not already have appended (at most
    `limit`, marked `mark` in ADDED_COLUMN; with a level cap, only processes within it
    of the rows `around`); how many were added, whether the row cap cut any, and how
    many lay beyond the levels. The result's own rows keep their positions (a selection
    stays valid)."""
    import pandas as pd

    if found is None or len(found) == 0:
        return source, 0, False, 0
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
    base = source if ADDED_COLUMN in source.columns else source.assign(**{ADDED_COLUMN: ""})
    beyond = 0
    if (ancestors is not None or descendants is not None) and around and len(new):
        # Linked over the whole grown result: a new process may hang under another new one.
        whole = pd.concat([base, new], ignore_index=True, sort=False)
        up = parents(whole)
        if up is not None:
            inside = within_levels(up, around, ancestors, descendants)[len(base) :]
            beyond = int((~inside).sum())
            new = new[inside]
    capped = len(new) > limit
    new = new.iloc[:limit].assign(**{ADDED_COLUMN: mark})
    if len(new) == 0:
        return source, 0, False, beyond
    # Columns only one side has stay, empty on the other's rows.
    grown = pd.concat([base, new], ignore_index=True, sort=False)
    return grown, len(new), capped, beyond


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

    def __init__(
        self,
        view: Any,
        chosen: Pivot,
        rows: list[int],
        limit: int,
        send: Callable[[dict[str, Any]], None],
        levels: dict[str, int] | None = None,
    ):
        self.view = view
        self.pivot = chosen
        self.rows = rows
        self.limit = limit
        # The level caps of this run (the pivot's, or raised from the view).
        self.levels = chosen.levels() if levels is None else levels
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
            levels = self.levels if self.view.view == "process-tree" else {}
            grown, added, capped, beyond = merge(
                source,
                found,
                mark,
                self.limit,
                around=self.rows,
                ancestors=levels.get("ancestors"),
                descendants=levels.get("descendants"),
            )
            self.view.pivot_result = found
            if self.cancelled:
                return
            # Said before the output is rewritten: the page renders it again then.
            done = {"type": "pivot", "state": "done", "label": label, "added": added, "capped": capped}
            done["limit"] = self.limit
            if levels:
                # The level caps, and how many processes lay beyond them.
                done.update(levels, beyond=beyond)
            self.send(done)
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
