"""Shared helpers: the project's own CLI (to read what Python wrote, through Rust) and data."""

from __future__ import annotations

import json
import pathlib
import subprocess

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]


def _binary(name: str) -> pathlib.Path:
    for profile in ("debug", "release"):
        path = ROOT / "target" / profile / name
        if path.exists():
            return path
    raise RuntimeError(f"{name} is not built: run `cargo build -p huntviz-cli` (make test-python does)")


@pytest.fixture(scope="session")
def read_rows(tmp_path_factory):
    """Parses a payload with huntviz's Rust engine and returns (columns, rows) as exact text."""
    cli = _binary("huntviz")

    def read(payload: str | bytes) -> tuple[list[str], list[list[str | None]]]:
        path = tmp_path_factory.mktemp("payload") / "payload.txt"
        path.write_bytes(payload if isinstance(payload, bytes) else payload.encode("utf-8"))
        out = subprocess.run([str(cli), "rows", str(path)], check=True, capture_output=True, text=True).stdout
        lines = [json.loads(line) for line in out.splitlines()]
        return lines[0], lines[1:]

    return read


@pytest.fixture(scope="session")
def inspect(tmp_path_factory):
    """`huntviz inspect --json` of a payload."""
    cli = _binary("huntviz")

    def run(payload: str | bytes) -> dict:
        path = tmp_path_factory.mktemp("payload") / "payload.txt"
        path.write_bytes(payload if isinstance(payload, bytes) else payload.encode("utf-8"))
        out = subprocess.run(
            [str(cli), "inspect", "--json", str(path)], check=True, capture_output=True, text=True
        ).stdout
        return json.loads(out)

    return run


@pytest.fixture(scope="session")
def process_events():
    """A realistic DeviceProcessEvents DataFrame: the demo's generated Log Analytics response."""
    pd = pytest.importorskip("pandas")
    doc = json.loads((ROOT / "examples/data/process_events.json").read_text(encoding="utf-8"))
    table = doc["tables"][0]
    df = pd.DataFrame(table["rows"], columns=[c["name"] for c in table["columns"]])
    for c in table["columns"]:
        if c["type"] == "datetime":
            df[c["name"]] = pd.to_datetime(df[c["name"]], utc=True, format="ISO8601")
    return df
