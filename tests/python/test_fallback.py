"""The kernel's static fallback: what readers without huntviz see, and that it is safe."""

import html.parser
import json
import pathlib
import unicodedata

import huntviz
import pandas as pd
import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
MIME = huntviz.MIME_TYPE
HOSTILE = (ROOT / "tests/fixtures/hostile.json").read_text(encoding="utf-8")


class _Tags(html.parser.HTMLParser):
    """Every element and attribute in a piece of HTML."""

    def __init__(self):
        super().__init__()
        self.tags: set[str] = set()
        self.attributes: list[tuple[str, str | None]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.add(tag)
        self.attributes.extend(attrs)

    def handle_data(self, data):
        self.text.append(data)


def _parse(markup: str) -> _Tags:
    p = _Tags()
    p.feed(markup)
    p.close()
    return p


@pytest.fixture(autouse=True)
def _default_options():
    yield
    huntviz.options.static_fallback = True


def test_each_mode_writes_what_it_says():
    df = pd.DataFrame({"a": [1, 2], "b": ["x", "y"]})
    for mode, keys in [
        ("auto", {MIME, "text/plain", "text/html"}),
        ("html", {MIME, "text/plain", "text/html"}),
        ("png", {MIME, "text/plain"}),
        ("none", {MIME, "text/plain"}),
        (True, {MIME, "text/plain", "text/html"}),
        (False, {MIME, "text/plain"}),
    ]:
        bundle = huntviz.show(df, fallback=mode)._repr_mimebundle_()
        assert set(bundle) == keys, mode
        want = {True: "auto", False: "none"}.get(mode, mode) if isinstance(mode, bool) else mode
        assert bundle[MIME]["fallback"] == want
    # The global default, and a clear error for a value that means nothing.
    huntviz.options.static_fallback = False
    assert set(huntviz.show(df)._repr_mimebundle_()) == {MIME, "text/plain"}
    huntviz.options.static_fallback = "png"
    assert huntviz.show(df).payload()["fallback"] == "png"
    with pytest.raises(ValueError, match="fallback must be one of auto, html, png, none"):
        huntviz.show(df, fallback="svg")


def test_the_summary_shows_the_first_rows_of_a_frame_and_of_a_raw_response():
    df = pd.DataFrame({"Computer": [f"ws-{i:02}" for i in range(50)], "Count": range(50)})
    page = _parse(huntviz.show(df, view="table")._repr_mimebundle_()["text/html"])
    text = "".join(page.text)
    assert "huntviz table view of table of 50 rows × 2 columns" in text
    assert "ws-00" in text and "ws-19" in text and "ws-20" not in text
    assert "First 20 of 50 rows." in text
    raw = json.dumps(
        {
            "tables": [
                {
                    "name": "PrimaryResult",
                    "columns": [{"name": "Account", "type": "string"}, {"name": "n", "type": "long"}],
                    "rows": [["alice", 9223372036854775807], ["bob", 1]],
                }
            ]
        }
    )
    text = "".join(_parse(huntviz.show(raw)._repr_mimebundle_()["text/html"]).text)
    assert "Account" in text and "alice" in text and "9223372036854775807" in text


def test_hostile_strings_are_escaped_text_in_a_few_plain_elements():
    for obj in (HOSTILE, pd.DataFrame(json.loads(HOSTILE)["tables"][0]["rows"])):
        bundle = huntviz.show(obj, title="<b onmouseover=alert(1)>t</b>\x1b]8;;x\x07")._repr_mimebundle_()
        markup = bundle["text/html"]
        page = _parse(markup)
        assert page.tags <= {"div", "b", "table", "tr", "td"}, page.tags
        assert page.attributes == []
        # Markup from the data only ever appears escaped (a `javascript:` string is text in a
        # cell: no element here takes a link).
        for needle in ("<img", "<script", "<b ", "<svg", "</text>"):
            assert needle not in markup, needle
        text = "".join(page.text)
        if isinstance(obj, str):
            assert "<img src=x onerror=" in text  # shown, as text
            assert "evil\u27e8U+202E\u27e9gnp.exe" in text  # the override is shown, not obeyed
        for out in (markup, bundle["text/plain"]):
            bad = [c for c in out if unicodedata.category(c) in ("Cc", "Cf")]
            assert bad == [], [hex(ord(c)) for c in bad]


def test_the_summary_stays_small_whatever_the_data():
    wide = pd.DataFrame({f"c{i}": ["\u00e9" * 5000] * 200 for i in range(60)})
    markup = huntviz.show(wide)._repr_mimebundle_()["text/html"]
    assert len(markup.encode("utf-8")) <= 16 * 1024
    assert markup.count("<tr>") <= 21
    assert markup.count("<td>") <= 21 * 8
