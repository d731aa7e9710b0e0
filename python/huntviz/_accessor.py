"""`df.huntviz.process_tree(...)`: huntviz on pandas and polars DataFrames, in the style
of MSTICPy's `df.mp_plot.*`.

Registered on `import huntviz` for whichever of pandas and polars is installed. Each
method is `huntviz.show(df, view=…, **options)`; its docstring lists the view's options
(the engine's own list and descriptions, from `_contract.py`).
"""

from __future__ import annotations

import importlib.util
from typing import Any

from ._contract import OPTION_DOCS, VIEW_OPTIONS

_COMMON = (
    "    title: a heading above the view.\n"
    '    fallback: what readers without huntviz see ("auto", "html", "png", "none").\n'
)


def _doc(view: str, summary: str) -> str:
    lines = [summary, "", f'Same as `huntviz.show(df, view="{view}", **options)`.', "", "Options:"]
    for key in VIEW_OPTIONS[view]:
        lines.append(f"    {key}: {OPTION_DOCS.get(key, '')}")
    return "\n".join(lines) + "\n" + _COMMON + "\nUnknown options are a ValueError naming the valid ones.\n"


class HuntvizAccessor:
    """huntviz views of this DataFrame: `.table()`, `.process_tree()`, `.timeline()`,
    `.graph()`, and `.show(view=...)`."""

    def __init__(self, obj: Any) -> None:
        self._obj = obj

    def show(self, view: str = "auto", **options: Any) -> Any:
        """`huntviz.show(df, view, **options)`: the view huntviz picks for the data by default."""
        from ._show import show

        return show(self._obj, view, **options)

    def table(self, **options: Any) -> Any:
        return self.show("table", **options)

    def process_tree(self, **options: Any) -> Any:
        return self.show("process-tree", **options)

    def timeline(self, **options: Any) -> Any:
        return self.show("timeline", **options)

    def graph(self, **options: Any) -> Any:
        return self.show("graph", **options)

    table.__doc__ = _doc("table", "The rows as a grid: sort, select, copy exact values.")
    process_tree.__doc__ = _doc(
        "process-tree", "Process events (MDE, Security 4688, Sysmon 1, auditd, EDR exports) as a process tree."
    )
    timeline.__doc__ = _doc("timeline", "Events on a time axis, one lane per host (or per `group_by` value).")
    graph.__doc__ = _doc("graph", "Alerts' entities, or a source/target edge list, as an entity graph.")


def register() -> None:
    """Adds `.huntviz` to pandas and polars DataFrames (those installed)."""
    if importlib.util.find_spec("pandas") is not None:
        import pandas as pd

        if not hasattr(pd.DataFrame, "huntviz"):
            pd.api.extensions.register_dataframe_accessor("huntviz")(HuntvizAccessor)
    if importlib.util.find_spec("polars") is not None:
        import polars as pl

        if not hasattr(pl.DataFrame, "huntviz"):
            pl.api.register_dataframe_namespace("huntviz")(HuntvizAccessor)
