"""The demo notebook's saved outputs are what running it produces now (no stale demo)."""

import json
import pathlib
import subprocess
import sys

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
MIME = "application/vnd.huntviz.v1+json"


def _outputs(nb: dict) -> list:
    return [o["data"] for c in nb["cells"] if c["cell_type"] == "code" for o in c.get("outputs", []) if "data" in o]


def test_saved_outputs_match_a_fresh_run(tmp_path):
    pytest.importorskip("nbconvert")
    saved = json.loads((ROOT / "examples/demo.ipynb").read_text(encoding="utf-8"))
    out = tmp_path / "demo.ipynb"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "jupyter",
            "nbconvert",
            "--to",
            "notebook",
            "--execute",
            "--output",
            str(out),
            "demo.ipynb",
        ],
        cwd=ROOT / "examples",
        check=True,
        capture_output=True,
    )
    fresh = json.loads(out.read_text(encoding="utf-8"))
    assert [d[MIME] for d in _outputs(fresh)] == [d[MIME] for d in _outputs(saved)]
    assert len(_outputs(saved)) == 6
