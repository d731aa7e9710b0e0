"""The kernel's picture: runs no front end draws (nbconvert --execute, papermill) save a
picture of each view, interactive front ends draw their own."""

import base64
import json
import pathlib
import struct
import subprocess
import sys

import huntviz
import nbformat
import pytest
from huntviz import _picture

ROOT = pathlib.Path(__file__).resolve().parents[2]
MIME = huntviz.MIME_TYPE
EVENTS = ROOT / "examples/data/process_events.json"
HOSTILE = ROOT / "tests/fixtures/hostile.json"

pytestmark = pytest.mark.skipif(
    not _picture.fonts(), reason="no DejaVu Sans Mono here (apt-get install fonts-dejavu-core, or matplotlib)"
)


def _png_size(b64: str) -> tuple[int, int]:
    raw = base64.b64decode(b64)
    assert raw[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", raw[16:24])


@pytest.fixture
def fresh(monkeypatch):
    """A new picture engine for the test, and the options as they were after it."""
    monkeypatch.setattr(_picture, "_engine", None)
    monkeypatch.setattr(_picture, "_unavailable", None)
    monkeypatch.setattr(_picture, "_said", set())
    for name in ("static_fallback", "kernel_picture", "picture_font"):
        monkeypatch.setattr(huntviz.options, name, getattr(huntviz.options, name))
    yield
    _picture.close()


def test_a_headless_run_saves_the_picture_instead_of_the_summary(tmp_path):
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_code_cell(
            f"import huntviz\ntext = open({str(EVENTS)!r}).read()\nhuntviz.show(text, view='process-tree')"
        ),
        nbformat.v4.new_code_cell("huntviz.show(text, view='timeline', fallback='html')"),
        nbformat.v4.new_code_cell(f"huntviz.show(open({str(HOSTILE)!r}).read(), view='table')"),
    ]
    path = tmp_path / "run.ipynb"
    nbformat.write(nb, path)
    subprocess.run(
        [sys.executable, "-m", "jupyter", "nbconvert", "--to", "notebook", "--execute", "--inplace", str(path)],
        check=True,
        capture_output=True,
    )
    cells = nbformat.read(path, as_version=4).cells
    tree, timeline, hostile = (c.outputs[0] for c in cells)

    assert sorted(tree.data) == [MIME, "image/png", "text/plain"]
    assert tree.metadata["image/png"] == {"width": 960, "height": 600}
    assert _png_size(tree.data["image/png"]) == (960, 600)
    assert len(tree.data["image/png"]) <= _picture.MAX_PICTURE_BYTES
    # The very picture this process draws of the same view: the engine is deterministic.
    huntviz.options.kernel_picture = True
    try:
        here = _picture.draw(huntviz.show(EVENTS.read_text(), view="process-tree"))
    finally:
        huntviz.options.kernel_picture = "auto"
    assert here is not None and here[0] == tree.data["image/png"]

    # fallback="html" keeps the summary and gets no picture.
    assert "image/png" not in timeline.data and "<table>" in timeline.data["text/html"]
    # Attacker-written strings are drawn as text: the export escapes them, so it reads.
    assert "image/png" in hostile.data and "text/html" not in hostile.data
    # No stderr output: nothing went wrong.
    assert not any(o.output_type == "stream" for c in cells for o in c.outputs)


def _run_in_kernel(kc, code: str, allow_stdin: bool) -> dict:
    msg_id = kc.execute(code, allow_stdin=allow_stdin)
    result = None
    while True:
        msg = kc.get_iopub_msg(timeout=60)
        if msg["parent_header"].get("msg_id") != msg_id:
            continue
        if msg["msg_type"] in ("execute_result", "display_data"):
            result = msg["content"]
        elif msg["msg_type"] == "error":
            raise AssertionError("\n".join(msg["content"]["traceback"]))
        elif msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle":
            return result


def test_an_interactive_front_end_draws_its_own_picture():
    from jupyter_client.manager import start_new_kernel

    km, kc = start_new_kernel(kernel_name="python3")
    try:
        setup = f"import huntviz\ntext = open({str(EVENTS)!r}).read()"
        _run_in_kernel(kc, setup, allow_stdin=True)
        # JupyterLab, Notebook 7 and VS Code can take input: the plugin draws the picture.
        shown = _run_in_kernel(kc, "huntviz.show(text, view='timeline')", allow_stdin=True)
        assert "image/png" not in shown["data"] and "text/html" in shown["data"]
        # nbclient (papermill, nbconvert --execute) cannot: the kernel draws it.
        headless = _run_in_kernel(kc, "huntviz.show(text, view='timeline')", allow_stdin=False)
        assert "image/png" in headless["data"] and "text/html" not in headless["data"]
        width, height = _png_size(headless["data"]["image/png"])
        assert width == 960 and headless["metadata"]["image/png"] == {"width": 960, "height": height}
        # Turned off, it never does.
        _run_in_kernel(kc, "huntviz.options.kernel_picture = False", allow_stdin=False)
        off = _run_in_kernel(kc, "huntviz.show(text, view='timeline')", allow_stdin=False)
        assert "image/png" not in off["data"] and "text/html" in off["data"]
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)


def test_the_size_bound_scales_then_gives_up(fresh, monkeypatch):
    huntviz.options.kernel_picture = True
    view = huntviz.show(EVENTS.read_text(), view="table")
    full = _picture.draw(view)
    assert full is not None and full[1:] == (960, 600)
    # Over the bound at full size: drawn once more at 3/4.
    monkeypatch.setattr(_picture, "MAX_PICTURE_BYTES", len(full[0]) - 1)
    smaller = _picture.draw(view)
    assert smaller is not None and smaller[1:] == (720, 450) and _png_size(smaller[0]) == (720, 450)
    # Over it even then: no picture, and the output keeps its HTML summary.
    monkeypatch.setattr(_picture, "MAX_PICTURE_BYTES", 1000)
    bundle = huntviz.show(EVENTS.read_text(), view="table")._repr_mimebundle_()
    assert isinstance(bundle, dict) and "image/png" not in bundle and "text/html" in bundle


def test_without_a_font_the_summary_stays_and_the_reason_is_said_once(fresh, monkeypatch, capsys):
    huntviz.options.kernel_picture = True
    monkeypatch.setattr(_picture, "fonts", lambda: [])
    for _ in range(2):
        bundle = huntviz.show(EVENTS.read_text(), view="timeline")._repr_mimebundle_()
        assert "image/png" not in bundle and "text/html" in bundle
    err = capsys.readouterr().err
    assert err.count("no monospace font was found") == 1


def test_only_auto_and_png_outputs_get_a_kernel_picture(fresh):
    huntviz.options.kernel_picture = True
    text = EVENTS.read_text()
    for fallback, picture in (("auto", True), ("png", True), ("html", False), ("none", False)):
        bundle = huntviz.show(text, view="timeline", fallback=fallback)._repr_mimebundle_()
        data = bundle[0] if isinstance(bundle, tuple) else bundle
        assert ("image/png" in data) is picture, fallback
    # A result the engine cannot read: the reason, and the summary.
    bundle = huntviz.show(json.dumps({"hello": 1}))._repr_mimebundle_()
    assert "image/png" not in bundle
