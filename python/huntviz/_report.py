"""One-file interactive reports: `huntviz.save(views, "report.html")`.

The file holds the engine, the viewer and the data (compressed as in notebooks); it
opens by double-click, offline, and fetches nothing: its Content-Security-Policy allows
only its own script and WebAssembly. The template is built with the labextension
(`scripts/build-report.mjs`); this module only puts the data in.
"""

from __future__ import annotations

import json
import os
from importlib import resources
from typing import Any

from ._show import View, show

MARKER = "<!--HUNTVIZ-DATA-->"


def _template() -> str:
    try:
        return resources.files("huntviz").joinpath("report-template.html").read_text(encoding="utf-8")
    except FileNotFoundError:
        raise RuntimeError(
            "this huntviz has no report template (a source checkout that was never built): run `npm run build`"
        ) from None


def _script_json(value: Any) -> str:
    """JSON that cannot end or comment out the script element holding it."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")


def report_html(views: Any, title: str = "huntviz report") -> str:
    """The report page for one view or several (`View`s, or anything `show` takes)."""
    items = views if isinstance(views, (list, tuple)) else [views]
    outputs = []
    for i, item in enumerate(items):
        view = item if isinstance(item, View) else show(item)
        # Saved once and kept: the smallest compression (2 s for a 60 MB response).
        outputs.append({"title": view.title or f"{i + 1}. {view.summary}", "payload": view.payload(level=9)})
    data = {"title": str(title), "outputs": outputs}
    page = _template()
    if page.count(MARKER) != 1:
        raise RuntimeError("the report template is damaged (its data marker is missing): rebuild huntviz")
    return page.replace(MARKER, f'<script type="application/json" id="huntviz-data">{_script_json(data)}</script>')


def save(views: Any, path: str | os.PathLike[str], title: str = "huntviz report") -> None:
    """Writes a one-file interactive report of one view or several to `path`.

    `views` is a `huntviz.show(...)` result, a list of them (one section each, with a
    table of contents), or anything `show` takes (drawn with `view="auto"`). The file
    opens in a browser by double-click, offline, with every interaction of the notebook
    view; it fetches nothing.

    A path ending in `.huntviz.json` gets the view's payload instead (one view): the
    file JupyterLab with huntviz opens as a document, and `huntviz html` turns into a
    report.
    """
    if os.fspath(path).lower().endswith(".huntviz.json"):
        if isinstance(views, (list, tuple)):
            raise ValueError("a .huntviz.json file holds one view; save a list as a .html report")
        view = views if isinstance(views, View) else show(views)
        with open(path, "w", encoding="utf-8") as f:
            json.dump(view.payload(level=9), f, ensure_ascii=False, separators=(",", ":"))
        return
    html = report_html(views, title)
    with open(path, "w", encoding="utf-8") as f:
        f.write(html)
