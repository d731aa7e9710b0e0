"""The kernel's side of the link between a huntviz output and the kernel that made it.

`huntviz.show` in a live IPython kernel gives its View a random `view_id` (MIME metadata)
and registers the `huntviz` comm target. The plugin in the page opens a comm to it with
that id; an id this kernel did not create (a restart, another kernel, an edited
notebook) is refused by closing the comm, and the view says the link is off. The page
sends ids and row positions (one little-endian u32 buffer) — never code; nothing here
evaluates anything it receives. Messages from the page wait until the running cell
finishes: a selection read in the cell that displayed the view is empty.
"""

from __future__ import annotations

import uuid
import weakref
from typing import Any

TARGET = "huntviz"

# The views this kernel created, by id; a view nobody holds any more (not even
# IPython's output history) cannot be linked.
_views: weakref.WeakValueDictionary[str, Any] = weakref.WeakValueDictionary()
_registered_with: Any = None


def _kernel() -> Any:
    try:
        from IPython import get_ipython
    except ImportError:
        return None
    shell = get_ipython()
    return getattr(shell, "kernel", None) if shell is not None else None


def register(view: Any) -> str | None:
    """An id for `view` when a kernel can link it (the comm target registered once per
    kernel), else None: outside a kernel the output simply has no link."""
    global _registered_with
    kernel = _kernel()
    manager = getattr(kernel, "comm_manager", None)
    if manager is None:
        return None
    if _registered_with is not manager:
        manager.register_target(TARGET, _on_open)
        _registered_with = manager
    view_id = uuid.uuid4().hex
    _views[view_id] = view
    return view_id


def _on_open(comm: Any, msg: dict[str, Any]) -> None:
    data = (msg.get("content") or {}).get("data") or {}
    view_id = data.get("view_id") if isinstance(data, dict) else None
    view = _views.get(view_id) if isinstance(view_id, str) else None
    if view is None:
        comm.close({"type": "unknown"})
        return
    view._attach(comm)
    comm.on_msg(view._on_message)
    comm.on_close(lambda _msg: view._detach(comm))
    from ._pivot import available

    comm.send({"type": "linked", "pivots": available(view._source)})


def rows_from(buffers: list[Any] | None, count: Any, limit: int) -> list[int]:
    """Row positions from a selection message: `count` u32 values in the first buffer,
    each below `limit` (anything else is refused)."""
    import struct

    if not isinstance(count, int) or count < 0:
        raise ValueError("a selection needs its row count")
    data = bytes(memoryview(buffers[0])) if buffers else b""
    if len(data) != 4 * count:
        raise ValueError(f"a selection of {count} rows needs {4 * count} bytes, got {len(data)}")
    try:
        import numpy as np

        rows = np.frombuffer(data, dtype="<u4")
        if count and int(rows.max()) >= limit:
            raise ValueError(f"a selected row is beyond the result's {limit} rows")
        return rows.astype("int64").tolist()
    except ImportError:
        values = list(struct.unpack(f"<{count}I", data))
        if any(v >= limit for v in values):
            raise ValueError(f"a selected row is beyond the result's {limit} rows") from None
        return values
