"""huntviz.save: one-file reports with the data inside, escaped for their script element."""

import json
import pathlib

import huntviz
import pandas as pd
import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
HOSTILE = (ROOT / "tests/fixtures/hostile.json").read_text(encoding="utf-8")


def _data(page: str) -> dict:
    start = '<script type="application/json" id="huntviz-data">'
    body = page[page.index(start) + len(start) :]
    return json.loads(body[: body.index("</script>")])


def test_a_report_holds_every_view_and_nothing_breaks_out_of_its_element(tmp_path):
    df = pd.DataFrame({"ProcessId": [4, 8], "Note": ["</script><script>alert(1)</script>", "<!--"]})
    path = tmp_path / "report.html"
    huntviz.save(
        [huntviz.show(HOSTILE, view="table", title="<img src=x onerror=alert(1)>"), df],
        path,
        title="Case </script>",
    )
    page = path.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>")
    assert "default-src 'none'" in page and "'wasm-unsafe-eval'" in page
    # The template's three script elements, no more: the data cannot close or open one.
    assert page.count("<script") == 3 and page.count("</script>") == 3
    assert "<img" not in page and "<!--HUNTVIZ" not in page
    data = _data(page)
    assert data["title"] == "Case </script>"
    first, second = data["outputs"]
    assert first["title"] == "<img src=x onerror=alert(1)>"
    assert first["payload"]["data"] == HOSTILE
    assert second["payload"]["view"] == "auto" and second["title"].startswith("2. huntviz auto view of table")


def test_a_single_view_and_a_large_result(tmp_path):
    big = pd.DataFrame({"Computer": [f"ws-{i % 50}" for i in range(60_000)], "n": range(60_000)})
    path = tmp_path / "one.html"
    huntviz.save(huntviz.show(big, view="table"), path)
    data = _data(path.read_text(encoding="utf-8"))
    (only,) = data["outputs"]
    # Compressed as in a notebook.
    assert only["payload"]["encoding"] == "zlib-base64"
    assert path.stat().st_size < 2_000_000


def test_a_huntviz_json_file_holds_the_views_payload(tmp_path):
    view = huntviz.show(HOSTILE, view="table", title="<b>case</b>", height=500)
    path = tmp_path / "case.HUNTVIZ.json"
    huntviz.save(view, path)
    saved = json.loads(path.read_text(encoding="utf-8"))
    assert saved == view.payload(level=9)
    assert saved["data"] == HOSTILE and saved["title"] == "<b>case</b>" and saved["options"] == {"height": 500}
    # One view per file: a list is a report.
    with pytest.raises(ValueError, match="one view"):
        huntviz.save([view, view], tmp_path / "two.huntviz.json")
    assert not (tmp_path / "two.huntviz.json").exists()
