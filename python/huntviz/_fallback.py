"""The kernel's static fallback: what a reader without huntviz sees.

Every huntviz output carries a one-line `text/plain`; unless turned off it also carries
a small `text/html` summary (the line, and the first rows and columns of the result as
an escaped table). JupyterLab with huntviz later writes a PNG of the view into the
output and drops this HTML (nbconvert and GitHub rank `text/html` above `image/png`).

Every string here comes from the data and is hostile: HTML is `html.escape`d text in
`div`, `b`, `table`, `tr` and `td` elements, with no attribute, style, link or
Markdown; control, bidi and other invisible characters become `⟨U+XXXX⟩` markers, in
`text/plain` too.
"""

from __future__ import annotations

import html
import json
import unicodedata
from typing import Any

#: The summary's limits: rows, columns, characters per cell, bytes in all.
HEAD_ROWS = 20
HEAD_COLUMNS = 8
CELL_CHARS = 100
MAX_HTML_BYTES = 16 * 1024
#: Raw responses larger than this are not parsed for a head (the summary line stays).
PARSE_LIMIT = 2 * 1024 * 1024

FALLBACKS = ("auto", "html", "png", "none")


def visible(text: str) -> str:
    """`text` with every character that draws nothing or moves text (controls, bidi
    controls, zero-width and format characters, private use, unassigned, separators
    other than space) shown as a `⟨U+XXXX⟩` marker."""
    out = []
    for ch in text:
        cat = unicodedata.category(ch)
        if cat in ("Cc", "Cf", "Co", "Cn", "Cs", "Zl", "Zp") or (cat == "Zs" and ch != " "):
            out.append(f"\u27e8U+{ord(ch):04X}\u27e9")
        else:
            out.append(ch)
    return "".join(out)


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, (dict, list)):
        text = json.dumps(value, ensure_ascii=False)
    else:
        text = str(value)
    text = visible(text[: CELL_CHARS * 2])
    return text if len(text) <= CELL_CHARS else text[: CELL_CHARS - 1] + "\u2026"


def head_of_frame(df: Any) -> tuple[list[str], list[list[str]]]:
    """The first rows and columns of a DataFrame as text."""
    part = df.iloc[:HEAD_ROWS, :HEAD_COLUMNS]
    columns = [_cell(c) for c in part.columns]
    rows = [[_cell(None if _is_null(v) else v) for v in row] for row in part.itertuples(index=False, name=None)]
    return columns, rows


def _is_null(value: Any) -> bool:
    try:
        return bool(value != value) or value is None  # NaN, NaT, None
    except (TypeError, ValueError):
        return False


def head_of_text(text: str) -> tuple[list[str], list[list[str]]] | None:
    """The first rows and columns of a Log Analytics or Kusto response, if it is one
    (and small enough to parse here); None otherwise."""
    if len(text) > PARSE_LIMIT:
        return None
    start = text.lstrip("\ufeff \t\r\n")[:1]
    if start not in ("{", "["):
        return None
    try:
        doc = json.loads(text)
    except ValueError:
        return None
    table = None
    if isinstance(doc, dict):
        tables = doc.get("tables") or doc.get("Tables")
        if isinstance(tables, list) and tables and isinstance(tables[0], dict):
            table = tables[0]
    elif isinstance(doc, list):
        for frame in doc:
            if isinstance(frame, dict) and frame.get("FrameType") == "DataTable":
                if frame.get("TableKind") == "PrimaryResult":
                    table = frame
                    break
    if table is None:
        return None
    cols = table.get("columns") or table.get("Columns") or []
    rows = table.get("rows") or table.get("Rows") or []
    if not isinstance(cols, list) or not isinstance(rows, list):
        return None
    names = []
    for c in cols[:HEAD_COLUMNS]:
        name = c.get("name", c.get("ColumnName", "")) if isinstance(c, dict) else c
        names.append(_cell(name))
    body = [[_cell(v) for v in row[:HEAD_COLUMNS]] for row in rows[:HEAD_ROWS] if isinstance(row, list)]
    return names, body


def summary_html(line: str, head: tuple[list[str], list[list[str]]] | None, total_rows: int | None) -> str:
    """The HTML summary: the line, the head as a table, and how to see the view."""
    parts = [f"<div><b>{html.escape(visible(line))}</b></div>"]
    if head is not None:
        columns, rows = head
        while True:
            table = _table(columns, rows)
            if len(table.encode("utf-8")) <= MAX_HTML_BYTES - 1024 or not rows:
                break
            rows = rows[: len(rows) // 2]
        parts.append(table)
        if total_rows is not None and total_rows > len(rows):
            parts.append(f"<div>First {len(rows):,} of {total_rows:,} rows.</div>")
    parts.append("<div>An interactive huntviz view: open it in JupyterLab with huntviz (pip install huntviz).</div>")
    return "<div>" + "".join(parts) + "</div>"


def _table(columns: list[str], rows: list[list[str]]) -> str:
    out = ["<table><tr>"]
    out.extend(f"<td><b>{html.escape(c)}</b></td>" for c in columns)
    out.append("</tr>")
    for row in rows:
        out.append("<tr>")
        out.extend(f"<td>{html.escape(c)}</td>" for c in row)
        out.append("</tr>")
    out.append("</table>")
    return "".join(out)
