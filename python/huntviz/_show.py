"""Building the huntviz MIME bundle."""

from __future__ import annotations

import base64
import json
import math
import os
import time
import zlib
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from ._contract import VIEW_OPTIONS, VIEWS
from ._fallback import FALLBACKS, head_of_frame, head_of_text, summary_html, visible

MIME_TYPE = "application/vnd.huntviz.v1+json"

# Results above this many UTF-8 bytes are saved zlib-compressed and base64-encoded
# (`"encoding": "zlib-base64"`): query results compress 4-5x, so a 100,000-event
# process tree saves in about 5 MB instead of 17 MB. Smaller ones stay readable text.
COMPRESS_ABOVE = 256 * 1024
# zlib level 1: 0.15 s for 16 MB; level 6 saves another 14% for six times the time.
COMPRESS_LEVEL = 1
try:
    # zlib-ng writes the same zlib streams faster (used for large outputs): at a million rows (177 MB of binary
    # HVC1, both cores) 0.53 s instead of 0.82 s at the same size. Its level 1 is a
    # weaker strategy (34% larger there); its level 2 matches zlib's level 1 in size.
    from zlib_ng import zlib_ng as _zlib

    _LEVELS = {1: 2}
except ImportError:  # no wheel for this platform: the standard library's zlib
    _zlib = zlib  # type: ignore[assignment]
    _LEVELS = {}
# Above this many bytes, pieces of PARALLEL_PIECE bytes are compressed on every core
# (zlib releases the GIL) into one zlib stream, as pigz does.
PARALLEL_ABOVE = 4 * 1024 * 1024
PARALLEL_PIECE = 2 * 1024 * 1024


def _finite_json(obj: Any) -> Any:
    """Copies `obj` with NaN/Infinity floats as the strings Kusto uses (JSON has no
    literal for them). Iterative, so deep input cannot exhaust the stack."""
    root: list[Any] = [None]
    stack: list[tuple[Any, Any, Any]] = [(obj, root, 0)]
    while stack:
        value, parent, key = stack.pop()
        if isinstance(value, float) and not math.isfinite(value):
            parent[key] = "NaN" if math.isnan(value) else ("Infinity" if value > 0 else "-Infinity")
        elif isinstance(value, dict):
            copy: dict[str, Any] = {}
            parent[key] = copy
            for k, v in value.items():
                # The key now, its value when popped: the keys keep their order.
                copy[str(k)] = None
                stack.append((v, copy, str(k)))
        elif isinstance(value, (list, tuple)):
            items: list[Any] = [None] * len(value)
            parent[key] = items
            for i, v in enumerate(value):
                stack.append((v, items, i))
        else:
            parent[key] = value
    return root[0]


def _utf8(text: str) -> bytes:
    """UTF-8 as a browser's TextEncoder writes it: lone surrogates become U+FFFD."""
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError:
        return text.encode("utf-16", "surrogatepass").decode("utf-16", "replace").encode("utf-8")


def _is_dataframe(obj: Any) -> bool:
    module = type(obj).__module__ or ""
    return module.startswith("pandas") and type(obj).__name__ == "DataFrame"


def _describe_text(text: str) -> str:
    head = text[:512].lstrip("\ufeff \t\r\n")
    if head.startswith("HVC1"):
        return "a DataFrame"
    if head.startswith("["):
        return "a Kusto response"
    if '"tables"' in head:
        return "a Log Analytics response"
    if '"Tables"' in head:
        return "a Kusto response"
    if '"Schema"' in head or '"schema"' in head:
        return "a hunting query result"
    return "a query result"


def _deflate(raw: bytes, level: int) -> bytes:
    """`zlib.compress(raw, level)`, on every core for large inputs: each piece is raw
    deflate ended by a sync flush (byte-aligned, no reference across pieces), so the
    pieces joined, between a zlib header and the Adler-32 of the whole, are one valid
    zlib stream that any inflater (the browser's DecompressionStream) reads."""
    workers = min(os.cpu_count() or 1, 8)
    if workers < 2 or len(raw) <= PARALLEL_ABOVE:
        # The standard library's: small outputs are the same bytes on every machine.
        return zlib.compress(raw, level)
    level = _LEVELS.get(level, level)
    view = memoryview(raw)
    starts = range(0, len(raw), PARALLEL_PIECE)

    def piece(start: int) -> bytes:
        deflater = _zlib.compressobj(level, _zlib.DEFLATED, -15)
        out = deflater.compress(view[start : start + PARALLEL_PIECE])
        last = start + PARALLEL_PIECE >= len(raw)
        return out + deflater.flush(_zlib.Z_FINISH if last else _zlib.Z_SYNC_FLUSH)

    with ThreadPoolExecutor(workers) as pool:
        pieces = list(pool.map(piece, starts))
    # CMF 0x78 (deflate, 32 KB window), FLG 0x01 (no dictionary; header check bits).
    return b"\x78\x01" + b"".join(pieces) + _zlib.adler32(raw).to_bytes(4, "big")


def payload_text(payload: dict[str, Any]) -> str:
    """The payload's text form: the payload without `data` as one line of JSON, a
    newline, then `data` (the plugin reads both forms; ARCHITECTURE.md, the contract)."""
    header = {k: v for k, v in payload.items() if k != "data"}
    return json.dumps(header, separators=(",", ":"), sort_keys=True) + "\n" + payload["data"]


def read_payload(value: dict[str, Any] | str) -> dict[str, Any]:
    """A payload as an object, whichever form the output holds."""
    if isinstance(value, dict):
        return value
    header, newline, data = value.partition("\n")
    try:
        out = json.loads(header)
    except ValueError:
        out = None
    if not newline or not isinstance(out, dict) or "data" in out:
        raise ValueError("not a huntviz payload: a line of JSON (an object without data), a newline, the data")
    out["data"] = data
    return out


def _pack(data: str | bytes, level: int = COMPRESS_LEVEL) -> dict[str, Any]:
    """`{"data": text}`, or the zlib-base64 form above COMPRESS_ABOVE bytes. `bytes`
    are binary HVC1 (not text): always packed."""
    raw = data if isinstance(data, bytes) else _utf8(data)
    if isinstance(data, bytes) or len(raw) > COMPRESS_ABOVE:
        packed = base64.b64encode(_deflate(raw, level)).decode("ascii")
        return {"data": packed, "encoding": "zlib-base64", "size": len(raw)}
    return {"data": data}


class Options:
    """huntviz's defaults for every later `show`.

    `static_fallback`: what a huntviz output carries for readers without huntviz —
    `True` or `"auto"` (an HTML summary from the kernel, replaced by a picture of the
    view once JupyterLab with huntviz has drawn it), `"html"` (the summary only),
    `"png"` (the picture only), `False` or `"none"` (one line of text only).

    `kernel_picture`: whether the kernel draws that picture itself — `"auto"` only when
    no interactive front end runs the code (papermill, `nbconvert --execute`), `True`
    always, `False` never. `picture_font`: a font file for those pictures (monospace;
    by default matplotlib's or the system's DejaVu Sans Mono).
    """

    static_fallback: bool | str = True
    kernel_picture: bool | str = "auto"
    picture_font: str | None = None


options = Options()


def _fallback_mode(fallback: bool | str | None) -> str:
    value = options.static_fallback if fallback is None else fallback
    mode = {True: "auto", False: "none"}.get(value, value) if isinstance(value, bool) else value
    if mode not in FALLBACKS:
        raise ValueError(f"fallback must be one of {', '.join(FALLBACKS)} (or True/False); got {value!r}")
    return mode


def _positions(source: Any, rows: Any) -> list[int]:
    """Row positions from what `View.select` was given."""
    if _is_dataframe(source) and (_is_dataframe(rows) or type(rows).__name__ == "Series"):
        found = source.index.get_indexer(rows.index)
        if (found < 0).any():
            raise KeyError("some rows to select are not in the result (by index)")
        return [int(p) for p in found]
    if isinstance(rows, int):
        return [rows]
    return [int(p) for p in rows]


def _entities_from(described: Any, buffers: list[Any], limit: int) -> list[Any]:
    """A graph's selected entities from a selection message: their JSON description
    (type, label, properties, how many rows) and their rows one after another in one
    buffer. Anything that is not what huntviz sends is refused."""
    from ._link import rows_from

    if described is None:
        return []
    if not isinstance(described, list) or not all(isinstance(e, dict) for e in described):
        raise ValueError("a selection's entities are a list of objects")
    counts = [e.get("rows") for e in described]
    if not all(isinstance(c, int) and c >= 0 for c in counts):
        raise ValueError("each selected entity needs its row count")
    flat = rows_from(buffers[:1], sum(counts), limit)
    out, at = [], 0
    for e, n in zip(described, counts):
        props = e.get("props")
        if not isinstance(props, list) or not all(
            isinstance(p, list) and len(p) == 2 and all(isinstance(x, str) for x in p) for p in props
        ):
            raise ValueError("an entity's properties are [name, value] pairs of text")
        out.append((str(e.get("kind", "")), str(e.get("label", "")), [(k, v) for k, v in props], flat[at : at + n]))
        at += n
    return out


def _take(source: Any, rows: list[int]) -> Any:
    """`rows` (positions) of a result, in its own type (raw text arrives parsed:
    `View._readable`)."""
    module = type(source).__module__ or ""
    if _is_dataframe(source):
        return source.iloc[rows]
    if module.startswith("polars") and type(source).__name__ == "DataFrame":
        return source[rows]
    if module.startswith("pyarrow") and type(source).__name__ in ("Table", "RecordBatch"):
        return source.take(rows)
    raise TypeError(
        "View.selected is available for pandas and polars DataFrames and pyarrow Tables; for "
        f"{type(source).__name__} results, View.selection gives the selected row positions"
    )


def _to_text(obj: Any) -> tuple[str | bytes, str]:
    """A result as the text huntviz reads (bytes: binary HVC1), and a few words on what
    it is."""
    if _is_dataframe(obj):
        from ._columnar import BINARY_ROWS, encode_frame

        rows, cols = obj.shape
        binary = rows >= BINARY_ROWS
        data = encode_frame(obj, binary=binary)
        return data if binary else data.decode("utf-8"), f"table of {rows:,} rows × {cols:,} columns"
    if isinstance(obj, str):
        return obj, f"{_describe_text(obj)} ({len(obj):,} characters)"
    if isinstance(obj, (bytes, bytearray, memoryview)):
        text = bytes(obj).decode("utf-8", errors="replace")
        return text, f"{_describe_text(text)} ({len(obj):,} bytes)"
    from ._clients import recognise

    client = recognise(obj)
    if client is not None:
        return client
    if isinstance(obj, (dict, list)):
        try:
            text = json.dumps(_finite_json(obj), ensure_ascii=False, separators=(",", ":"), allow_nan=False)
        except RecursionError:
            raise ValueError(
                "the result is nested deeper than Python's JSON encoder allows; pass the raw response text instead"
            ) from None
        return text, f"{_describe_text(text)} ({len(text):,} characters)"
    raise TypeError(
        "huntviz.show takes a query result: a pandas or polars DataFrame, a pyarrow Table, what "
        "azure-monitor-query or azure-kusto-data return, or a raw response (str, bytes, dict or list); "
        f"got {type(obj).__module__}.{type(obj).__name__}"
    )


class View:
    """A huntviz output. Displaying it (as a cell's last expression, or with
    IPython's `display`) renders the view; `text/plain` says what it is for
    front ends without the extension."""

    def __init__(
        self,
        data: str | bytes,
        view: str,
        options: dict[str, Any],
        title: str | None,
        summary: str,
        datasets: list[tuple[str, str, str | bytes]] | None = None,
        fallback: str = "auto",
        head: tuple[list[str], list[list[str]]] | None = None,
        rows: int | None = None,
    ):
        self.data = data
        self.view = view
        self.options = options
        self.title = title
        self.summary = summary
        # (name, kind, text) of each extra result on the timeline's axis.
        self.datasets = datasets or []
        self.fallback = fallback
        # The first rows and columns (as text) for the HTML summary, and the row count.
        self._head = head
        self._rows = rows
        self._packed: dict[str, Any] | None = None
        # Where the kernel's time went (seconds; `*_at`: wall-clock time.time()), for
        # the JupyterLab benchmark's stage profile (bench/lab.mjs).
        self._timings: dict[str, float] = {}
        # The kernel's picture once drawn (False: it could not be).
        self._picture: tuple[str, int, int] | bool | None = None
        # The kernel link (_link.py): this output's id, its open comms, what the page
        # last selected (row positions into the result), who wants to hear of it.
        self.view_id: str | None = None
        self._source: Any = None
        self._comms: list[Any] = []
        self._selection: list[int] = []
        self._subtree: list[int] = []
        # A graph's selected entities: (type, label, properties, rows).
        self._entities: list[tuple[str, str, list[tuple[str, str]], list[int]]] = []
        self._on_select: list[Any] = []
        # The pivot running for this view (_pivot.Run), if any, and what the last one
        # returned (as it returned it: also when it did not fit this view).
        self._running: Any = None
        self.pivot_result: Any = None
        # A raw-text result parsed into a DataFrame, once, when its rows are first read.
        self._text_frame: Any = None
        # Outputs opened beside this one by pivots whose result did not fit it.
        self._opened: list[View] = []

    @property
    def linked(self) -> bool:
        """Whether a rendering of this output is linked to this kernel now."""
        return bool(self._comms)

    @property
    def selection(self) -> list[int]:
        """The selected rows as positions into the result (ascending): what the view
        last sent. Empty until a cell after the one that displayed the view runs: the
        page's messages wait for the running cell."""
        return list(self._selection)

    @property
    def selected(self) -> Any:
        """The selected rows of the result, in the result's own type: a pandas or
        polars DataFrame, or a pyarrow Table (for a tree: the selected process's row; a
        timeline: the event's; a graph: the rows the entity came from)."""
        return _take(self._readable(), self._selection)

    @property
    def selected_entities(self) -> Any:
        """For a graph: the selected entities as a pandas DataFrame, one row each —
        `Type`, `Label`, every property the entities have (their exact values; empty
        where an entity lacks it) and `Rows`, the result rows it came from (positions:
        `selected` holds those rows of every selected entity). Elsewhere empty."""
        import pandas as pd

        names: dict[str, None] = {}
        for _, _, props, _ in self._entities:
            names.update(dict.fromkeys(k for k, _ in props))
        # Columns named like ours keep their own under "Property.<name>".
        ours = {"Type", "Label", "Rows"}
        column = {k: f"Property.{k}" if k in ours else k for k in names}
        records = []
        for kind, label, props, rows in self._entities:
            record: dict[str, Any] = {"Type": kind, "Label": label}
            for k, value in props:
                record.setdefault(column[k], value)
            record["Rows"] = rows
            records.append(record)
        return pd.DataFrame(records, columns=["Type", "Label", *column.values(), "Rows"])

    def _readable(self) -> Any:
        """The result as `selected` reads it: raw text parsed once into a DataFrame."""
        if isinstance(self._source, (str, bytes, dict, list)):
            if self._text_frame is None:
                from ._text_frame import frame_of_text

                self._text_frame = frame_of_text(self._source)
            return self._text_frame
        return self._source

    @property
    def selected_subtree(self) -> Any:
        """For a process tree: the rows of the selected process and of every process
        under it (ascending); elsewhere the same as `selected`."""
        return _take(self._readable(), self._subtree)

    def select(self, rows: Any) -> None:
        """Selects in the view the item of the first of `rows`: positions into the
        result, or rows of a pandas result (a DataFrame or Series taken from it, found by
        index). The view answers with its selection (`selection`, `selected`) once this
        cell has finished. Needs the link: run it in a cell after the one that displayed
        the view."""
        import struct

        positions = _positions(self._source, rows)
        if self._rows is not None and any(not 0 <= p < self._rows for p in positions):
            raise IndexError(f"a row to select is outside the result's {self._rows:,} rows")
        if not self._comms:
            raise RuntimeError(
                "this view is not linked to the kernel yet: select in a cell after the one that displayed it"
            )
        buffer = struct.pack(f"<{len(positions)}I", *positions)
        for comm in self._comms:
            comm.send({"type": "select", "count": len(positions)}, buffers=[buffer])

    def on_select(self, callback: Any) -> Any:
        """Calls `callback(view)` after every selection the page sends. Returns a
        handle whose `remove()` stops it. An error in it is shown in the view."""
        self._on_select.append(callback)
        listeners = self._on_select

        class Handle:
            def remove(self) -> None:
                if callback in listeners:
                    listeners.remove(callback)

        return Handle()

    def update(self, obj: Any) -> None:
        """Puts `obj` (the next version of the result) into this output in place: the
        same view and options, the output rewritten once so the saved notebook holds the
        new data. Rows at the same positions stay selected. Needs the link (run it in a
        cell after the one that displayed the view)."""
        self._require_link("update")
        self._replace(obj)

    def add(self, obj: Any, name: str | None = None) -> None:
        """Adds a result to this view: on a timeline, a dataset drawn on the same axis
        (its own series, named `name`); elsewhere, its rows not already in the result,
        appended and marked `name` in the `HuntvizPivot` column (a graph grows their
        nodes and links, a tree their processes). Needs the link."""
        from . import _pivot

        self._require_link("add")
        label = str(name) if name is not None else f"added {len(self.datasets) + 1}"
        if self.view == "timeline":
            self._add_dataset(obj, label)
            return
        grown, *_ = _pivot.merge(self._pandas_source("add"), _pivot.as_frame(obj), label, _pivot.MAX_LIMIT)
        self._replace(grown)

    def _add_dataset(self, obj: Any, name: str) -> None:
        self.datasets = [*self.datasets, (name, "events", _to_text(obj)[0])]
        self._replace(self._source)

    def highlight(self, *values: str) -> None:
        """Marks the processes whose fields hold any of `values` (text, or `/regex/`) in
        a process tree, in place; no values: none. Needs the link."""
        self._restyle("highlight", [str(v) for v in values] or None)

    def focus(self, value: Any) -> None:
        """Focuses a process tree on a PID or a process name, in place (None: the whole
        tree). Needs the link."""
        self._restyle("focus", None if value is None else str(value))

    def _restyle(self, option: str, value: Any) -> None:
        if option not in VIEW_OPTIONS.get(self.view, ()):
            views = [v for v, keys in VIEW_OPTIONS.items() if option in keys and v != "auto"]
            raise ValueError(f"{option} applies to {', '.join(views)} views, not {self.view}")
        self._require_link(option)
        options = {k: v for k, v in self.options.items() if k != option}
        if value is not None:
            options[option] = value
        self.options = options
        self._replace(self._source)

    def _require_link(self, what: str) -> None:
        if not self._comms:
            raise RuntimeError(
                f"this view is not linked to the kernel yet: {what} in a cell after the one that displayed it"
            )

    def _pandas_source(self, what: str) -> Any:
        """The result as a pandas DataFrame, for merging rows into it."""
        source = self._source
        if _is_dataframe(source):
            return source
        module = type(source).__module__ or ""
        if module.startswith(("polars", "pyarrow")):
            return source.to_pandas()
        if isinstance(source, (str, bytes, dict, list)):
            return self._readable()
        raise TypeError(f"{what} needs a DataFrame or a raw Log Analytics / Kusto response")

    def _frame_rows(self, rows: list[int]) -> Any:
        """`rows` of the result as a pandas DataFrame (what a pivot function gets)."""
        return self._pandas_source("a pivot").iloc[rows]

    def _replace(self, obj: Any) -> None:
        """Rebuilds this output's data from `obj` and rewrites every linked rendering
        of it (the page writes the new bundle into the notebook: JupyterLab applies
        `update_display_data` only within the cell that is running)."""
        fresh = _build(obj, self.view, self.title, self.datasets, self.fallback, self.options)
        self.data, self.summary, self._source, self._text_frame = fresh.data, fresh.summary, obj, None
        self._head, self._rows = fresh._head, fresh._rows
        self._packed, self._picture = None, None
        message, payload = self._bundle_message("update")
        if self._rows is not None:
            # Rows past the old end are new: the page keeps the selection where it was.
            message["rows"] = self._rows
        for comm in list(self._comms):
            comm.send(message, buffers=[payload])

    def _bundle_message(self, kind: str) -> tuple[dict[str, Any], bytes]:
        """This output's bundle as a link message: the huntviz payload as one buffer
        (its text form, or JSON), the other MIME types and the metadata as JSON."""
        bundle = self._repr_mimebundle_()
        data, metadata = bundle if isinstance(bundle, tuple) else (bundle, {})
        value = data[MIME_TYPE]
        payload = value.encode("utf-8") if isinstance(value, str) else json.dumps(value).encode("utf-8")
        rest = {k: v for k, v in data.items() if k != MIME_TYPE}
        return {"type": kind, "text": isinstance(value, str), "bundle": rest, "metadata": metadata}, payload

    def _open_beside(self, obj: Any, title: str) -> View:
        """A new output with `obj`, added by the page under this one in the same cell
        (a comm has no cell to display in); kept alive here so it links."""
        opened = show(obj, title=title)
        self._opened.append(opened)
        message, payload = opened._bundle_message("output")
        for comm in list(self._comms):
            comm.send(message, buffers=[payload])
        return opened

    def _attach(self, comm: Any) -> None:
        self._comms.append(comm)

    def _detach(self, comm: Any) -> None:
        if comm in self._comms:
            self._comms.remove(comm)

    def _send(self, message: dict[str, Any]) -> None:
        for comm in list(self._comms):
            comm.send(message)

    def _on_message(self, msg: dict[str, Any]) -> None:
        from . import _pivot
        from ._link import rows_from

        data = (msg.get("content") or {}).get("data") or {}
        kind = data.get("type") if isinstance(data, dict) else None
        buffers = list(msg.get("buffers") or [])
        limit = self._rows if self._rows is not None else 2**32
        try:
            if kind == "select":
                rows = rows_from(buffers[:1], data.get("count"), limit)
                subtree = rows_from(buffers[1:2], data["subtree"], limit) if "subtree" in data else rows
                entities = _entities_from(data.get("entities"), buffers[1 + ("subtree" in data) :], limit)
                self._selection, self._subtree, self._entities = rows, subtree, entities
                # How many rows Python holds, and the pivots that apply (registered since).
                self._send({"type": "selected", "count": len(rows), "pivots": _pivot.available(self._source)})
                for callback in list(self._on_select):
                    callback(self)
            elif kind == "pivot":
                chosen = _pivot.find(data.get("pivot"))
                if chosen is None:
                    raise KeyError("that pivot is not registered in this kernel (any more)")
                cap = data.get("limit", chosen.limit)
                if not isinstance(cap, int) or not 1 <= cap <= _pivot.MAX_LIMIT:
                    raise ValueError(f"a pivot's row limit is a whole number from 1 to {_pivot.MAX_LIMIT:,}")
                # Level caps raised from the view apply only where the pivot has them.
                levels = chosen.levels()
                for name in levels:
                    raised = data.get(name, levels[name])
                    if not isinstance(raised, int) or not 0 <= raised <= _pivot.MAX_LEVELS:
                        most = _pivot.MAX_LEVELS
                        raise ValueError(f"a pivot's {name} is a whole number of levels from 0 to {most:,}")
                    levels[name] = raised
                rows = rows_from(buffers[:1], data.get("count"), limit)
                if not rows:
                    raise ValueError("select something to pivot on first")
                if self._running is not None:
                    raise RuntimeError(f"{self._running.pivot.label} is still running: cancel it first")
                self._running = _pivot.Run(self, chosen, rows, cap, self._send, levels)
                self._running.start()
            elif kind == "cancel":
                running, self._running = self._running, None
                if running is not None:
                    running.cancel()
        except Exception as error:  # shown in the view: comm callbacks have no cell
            self._send({"type": "error", "message": f"{type(error).__name__}: {error}"[:2000]})

    def payload(self, level: int = COMPRESS_LEVEL) -> dict[str, Any]:
        """The MIME payload (contract version 1); `level` is zlib's for large results
        (reports, saved once, take the smallest)."""
        if level != COMPRESS_LEVEL:
            packed = _pack(self.data, level)
        else:
            if self._packed is None:
                started = time.perf_counter()
                self._packed = _pack(self.data)
                self._timings["compress_s"] = time.perf_counter() - started
            packed = self._packed
        out: dict[str, Any] = {"view": self.view, **packed, "options": self.options, "fallback": self.fallback}
        if self.title is not None:
            out["title"] = self.title
        if self.datasets:
            out["datasets"] = [{"name": n, "kind": k, **_pack(t, level)} for n, k, t in self.datasets]
        return out

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> Any:
        payload = self.payload()
        # Compressed payloads travel in the text form: JupyterLab deep-copies an object
        # (a JSON round trip of all of it) on every read of the output, a string never.
        value = payload_text(payload) if "encoding" in payload else payload
        bundle = {MIME_TYPE: value, "text/plain": visible(self.summary)}
        # The id the page links this output by (only a live kernel gives one).
        metadata: dict[str, Any] = {MIME_TYPE: {"view_id": self.view_id}} if self.view_id else {}
        picture = self._kernel_picture()
        if picture is not None:
            # As the plugin writes it: the picture instead of the HTML summary (which
            # nbconvert and GitHub would show instead of it).
            png, width, height = picture
            bundle["image/png"] = png
            return bundle, {**metadata, "image/png": {"width": width, "height": height}}
        if self.fallback in ("auto", "html"):
            bundle["text/html"] = summary_html(self.summary, self._head, self._rows)
        self._timings["bundle_at"] = time.time()
        return (bundle, metadata) if metadata else bundle

    def _kernel_picture(self) -> tuple[str, int, int] | None:
        """The picture drawn in the kernel, when this output wants one from it."""
        if self.fallback not in ("auto", "png"):
            return None
        from . import _picture

        if not _picture.wanted():
            return None
        if self._picture is None:
            try:
                self._picture = _picture.draw(self)
            except (_picture.PictureUnavailable, ValueError) as e:
                _picture.say_once(f"huntviz: no picture of this view in the saved output: {e}")
                self._picture = False
        return self._picture or None

    def __repr__(self) -> str:
        return visible(self.summary)


def show(
    obj: Any,
    view: str | list[str] | tuple[str, ...] = "auto",
    *,
    title: str | None = None,
    datasets: dict[str, Any] | None = None,
    alerts: Any = None,
    fallback: bool | str | None = None,
    **options: Any,
) -> View:
    """Shows a query result with huntviz.

    `obj` is a pandas DataFrame, or a raw query response: the response text (`str`
    or `bytes`) or its parsed JSON (`dict`/`list`). Raw text is sent as it is, so
    64-bit integers and 100-ns datetimes stay exact. `view` is "auto", "table",
    "process-tree", "timeline" or "graph"; other keyword arguments are view options
    (for example `height=600`, `format="kusto-v2"`, `group_by="Computer"`).

    Several views side by side over one parsed copy, linked (a selection in one
    selects the same rows in the others): a list of views (`["process-tree",
    "timeline"]`), or "investigation" for every view the result allows. `layout=`
    sets how they are laid out (`{"direction": "row" | "column", "sizes": [...],
    "collapsed": [...]}`); the reader's changes are saved with the output.

    Timeline: `datasets` maps names to more results drawn on the same axis as their
    own series (MSTICPy's overlay data); `alerts` is a result of alerts (SecurityAlert
    rows) drawn as labelled reference lines at their start times.

    `fallback` is what readers without huntviz see (GitHub, nbviewer, nbconvert, VS
    Code): "auto" (an escaped HTML summary with the first rows, replaced by a picture of
    the view once JupyterLab with huntviz draws it), "html", "png", "none"; the default
    is `huntviz.options.static_fallback`.
    """
    view, panes = _panes(view)
    if panes is not None:
        options = {**options, "panes": panes}
    # Panes of several views take any view's options.
    allowed = VIEW_OPTIONS["auto" if panes is not None else view]
    unknown = [key for key in options if key not in allowed]
    if unknown:
        raise ValueError(
            f"unknown option{'s' if len(unknown) > 1 else ''} {', '.join(map(repr, unknown))} for "
            f"view={view!r}; its options are: {', '.join(allowed)} "
            "(and title, datasets, alerts, fallback)"
        )
    mode = _fallback_mode(fallback)
    json.dumps(options)  # options travel as JSON: fail here, not in the browser
    extra: list[tuple[str, str, str | bytes]] = []
    for name, value in (datasets or {}).items():
        extra.append((str(name), "events", _to_text(value)[0]))
    if alerts is not None:
        extra.append(("alerts", "alerts", _to_text(alerts)[0]))
    shown = _build(obj, view, title, extra, mode, dict(options))
    from . import _link

    shown.view_id = _link.register(shown)
    return shown


def _panes(view: Any) -> tuple[str, Any]:
    """The view to open first and the panes `view` asks for (None: one view)."""
    if isinstance(view, (list, tuple)):
        names = list(view)
        bad = [v for v in names if v not in VIEWS or v == "auto"]
        if not names or bad:
            views = ", ".join(v for v in VIEWS if v != "auto")
            raise ValueError(f"each pane is one of {views}; got {bad or names!r}")
        if len(set(names)) < len(names):
            raise ValueError(f"a view is named twice in {names!r}")
        return names[0], (names if len(names) > 1 else None)
    if view == "investigation":
        return "auto", "investigation"
    if view not in VIEWS:
        raise ValueError(f'view must be one of {", ".join(VIEWS)}, "investigation" or a list of views; got {view!r}')
    return view, None


def _build(
    obj: Any,
    view: str,
    title: str | None,
    extra: list[tuple[str, str, str | bytes]],
    mode: str,
    options: dict[str, Any],
) -> View:
    """The View of `obj` (not linked yet): what `show` and `View.update` make."""
    started_at, started = time.time(), time.perf_counter()
    text, what = _to_text(obj)
    encode_s = time.perf_counter() - started
    summary = f"huntviz {view} view of {what}"
    if extra:
        summary += f" and {len(extra)} more result{'s' if len(extra) > 1 else ''}"
    if title:
        summary += f": {title}"
    head, rows = None, None
    if mode in ("auto", "html"):
        if _is_dataframe(obj):
            head, rows = head_of_frame(obj), len(obj)
        elif isinstance(obj, (str, dict, list)):
            head = head_of_text(text)
    if rows is None and _is_dataframe(obj):
        rows = len(obj)
    shown = View(text, view, options, title, summary, extra, mode, head, rows)
    shown._source = obj
    shown._timings.update(started_at=started_at, encode_s=encode_s, show_s=time.perf_counter() - started)
    return shown
