"""The kernel link's Python side: ids only in a kernel, selections read from the page's
buffer and refused when malformed, selected rows in the result's own type. The link
itself (comm, click → v.selected, restart) is tested in a real JupyterLab:
tests/browser/specs/link.spec.ts."""

import json
import struct

import huntviz
import pandas as pd
import pytest
from conftest import ROOT
from huntviz import _link
from huntviz._show import MIME_TYPE


def test_outside_a_kernel_an_output_has_no_link_id(process_events):
    v = huntviz.show(process_events, view="process-tree")
    assert v.view_id is None and not v.linked
    bundle = v._repr_mimebundle_()
    assert isinstance(bundle, dict) and MIME_TYPE in bundle
    assert v.selection == [] and len(v.selected) == 0


def test_selections_come_as_u32_positions_and_bad_ones_are_refused():
    rows = [0, 7, 41, 1009]
    assert _link.rows_from([struct.pack("<4I", *rows)], 4, 1010) == rows
    assert _link.rows_from([memoryview(struct.pack("<4I", *rows))], 4, 1010) == rows
    assert _link.rows_from([], 0, 10) == []
    with pytest.raises(ValueError, match="needs 16 bytes, got 12"):
        _link.rows_from([struct.pack("<3I", 1, 2, 3)], 4, 1010)
    with pytest.raises(ValueError, match="beyond the result's 1010 rows"):
        _link.rows_from([struct.pack("<2I", 1, 1010)], 2, 1010)
    for count in (-1, "2", None, 1.5):
        with pytest.raises(ValueError, match="row count"):
            _link.rows_from([b""], count, 10)


def test_a_selection_message_sets_the_rows_and_calls_back_and_errors_go_to_the_view(process_events):
    v = huntviz.show(process_events, view="table")
    sent = []

    class Comm:  # what the view writes back to: recorded
        def send(self, data):
            sent.append(data)

    v._attach(Comm())
    seen = []
    handle = v.on_select(lambda view: seen.append(view.selection))
    v._on_message({"content": {"data": {"type": "select", "count": 2}}, "buffers": [struct.pack("<2I", 3, 5)]})
    assert seen == [[3, 5]] and v.selected.equals(process_events.iloc[[3, 5]])
    # The page hears how many rows Python holds; without a subtree it is the selection.
    assert sent == [{"type": "selected", "count": 2, "pivots": []}] and v.selected_subtree.equals(v.selected)
    handle.remove()
    v._on_message(
        {
            "content": {"data": {"type": "select", "count": 1, "subtree": 3}},
            "buffers": [struct.pack("<I", 3), struct.pack("<3I", 3, 4, 9)],
        }
    )
    assert v.selection == [3] and v.selected_subtree.equals(process_events.iloc[[3, 4, 9]])

    def broken(view):
        raise RuntimeError("lookup failed")

    v.on_select(broken)
    v._on_message({"content": {"data": {"type": "select", "count": 1}}, "buffers": [struct.pack("<I", 4)]})
    assert sent[-2:] == [
        {"type": "selected", "count": 1, "pivots": []},
        {"type": "error", "message": "RuntimeError: lookup failed"},
    ]
    assert seen == [[3, 5]], "a removed callback is not called"
    # A malformed message keeps the last selection and says why in the view.
    v._on_message({"content": {"data": {"type": "select", "count": 3}}, "buffers": [b"\x00"]})
    assert v.selection == [4] and "needs 12 bytes" in sent[-1]["message"]


def test_selected_rows_keep_the_results_type(process_events):
    pa = pytest.importorskip("pyarrow")
    pl = pytest.importorskip("polars")
    table = pa.Table.from_pandas(process_events, preserve_index=False)
    frame = pl.from_pandas(process_events)
    for source, check in (
        (
            table,
            lambda r: (
                r.num_rows == 2 and r.column("ProcessId").to_pylist() == table.column("ProcessId").to_pylist()[8:10]
            ),
        ),
        (frame, lambda r: r.height == 2 and r["ProcessId"].to_list() == frame["ProcessId"].to_list()[8:10]),
    ):
        v = huntviz.show(source, view="table")
        v._selection = [8, 9]
        assert check(v.selected)
    from huntviz._columnar import encode_frame

    columnar = huntviz.show(encode_frame(process_events.head(3)))
    columnar._selection = [0]
    with pytest.raises(TypeError, match="View.selection gives the selected row positions"):
        _ = columnar.selected


@pytest.mark.parametrize(
    "fixture",
    [
        "examples/data/process_events.json",
        "tests/fixtures/kusto_v1.json",
        "tests/fixtures/kusto_v2_progressive.json",
        "tests/fixtures/la_batch.json",
        "tests/fixtures/la_types.json",
        "tests/fixtures/defender.json",
        "tests/fixtures/pandas_table.json",
        "tests/fixtures/split.json",
        "tests/fixtures/records.json",
        "tests/fixtures/alert_entities.json",
        "tests/fixtures/pslist.jsonl",
        "tests/fixtures/osquery.jsonl",
        "tests/fixtures/sysmon.csv",
        "tests/fixtures/portal_export.csv",
        "tests/fixtures/memory_snapshot.csv",
        "tests/fixtures/volatility_pstree.csv",
        "tests/fixtures/escapes.json",
        "tests/fixtures/hostile.json",
    ],
)
def test_a_raw_response_gives_its_selected_rows_as_a_typed_dataframe_at_the_engines_positions(fixture, read_rows):
    """Raw text of every table format the engine reads: the rows the engine counts,
    typed by the response where it says (exact 64-bit integers, datetimes to the 100
    ns) or as the engine infers, compared with what the Rust engine reads from the
    same text."""
    from conftest import ROOT

    text = (ROOT / fixture).read_text(encoding="utf-8")
    names, rows = read_rows(text)
    v = huntviz.show(text, view="table")
    v._selection = list(range(len(rows)))
    got = v.selected
    assert list(got.columns) == names and len(got) == len(rows)
    for c, name in enumerate(names):
        for r, row in enumerate(rows):
            want, value = row[c], got[name].iloc[r]
            if want is None or (isinstance(want, str) and want == ""):
                continue
            if str(got[name].dtype) == "Int64":
                assert int(value) == int(want), (name, r)
            elif str(got[name].dtype).startswith("datetime64"):
                # The engine's text, 100-ns ticks: pandas holds nanoseconds.
                assert value == pd.Timestamp(want), (name, r)
            elif str(got[name].dtype) == "boolean":
                assert str(bool(value)).lower() == want.lower(), (name, r)
            elif str(got[name].dtype).startswith("timedelta64"):
                assert kusto_timespan(value) == want, (name, r)
            elif str(got[name].dtype) == "float64":
                assert value == pytest.approx(float(want), nan_ok=True), (name, r)
            elif isinstance(value, str):
                assert value == want, (name, r)
            elif isinstance(value, (dict, list)):
                assert value == json.loads(want), (name, r)
            else:
                assert str(value) == want, (name, r)
    # Read once, then from the cache.
    assert v._readable() is v._readable()


def kusto_timespan(value):
    """A Timedelta as Kusto writes a timespan: [-][d.]hh:mm:ss[.fffffff]."""
    ticks = value.value // 100
    sign, ticks = ("-" if ticks < 0 else ""), abs(ticks)
    days, rest = divmod(ticks, 864_000_000_000)
    hours, rest = divmod(rest, 36_000_000_000)
    minutes, rest = divmod(rest, 600_000_000)
    seconds, fraction = divmod(rest, 10_000_000)
    text = f"{sign}{f'{days}.' if days else ''}{hours:02}:{minutes:02}:{seconds:02}"
    return text + (f".{fraction:07}" if fraction else "")


def test_select_sends_row_positions_to_every_linked_rendering(process_events):
    v = huntviz.show(process_events, view="process-tree")
    with pytest.raises(RuntimeError, match="not linked to the kernel yet"):
        v.select([3])
    sent = []

    class Comm:  # the page's side, recorded
        def send(self, data, buffers=None):
            sent.append((data, [bytes(b) for b in buffers or []]))

    v._attach(Comm())
    v.select([7, 2])
    v.select(process_events.iloc[[5]])
    v.select(process_events["ProcessId"].iloc[[9]])
    v.select(11)
    assert sent == [
        ({"type": "select", "count": 2}, [struct.pack("<2I", 7, 2)]),
        ({"type": "select", "count": 1}, [struct.pack("<I", 5)]),
        ({"type": "select", "count": 1}, [struct.pack("<I", 9)]),
        ({"type": "select", "count": 1}, [struct.pack("<I", 11)]),
    ]
    with pytest.raises(IndexError, match="outside the result's 1,010 rows"):
        v.select([1010])


def test_a_graphs_selected_entities_come_with_their_properties_and_rows():
    """What the page sends for a graph selection (its entities' properties as JSON,
    their rows in one buffer after the selection's) read as a DataFrame per entity."""
    doc = json.loads((ROOT / "tests/fixtures/alert_entities.json").read_text(encoding="utf-8"))
    v = huntviz.show(doc, view="graph")
    assert list(v.selected_entities.columns) == ["Type", "Label", "Rows"] and len(v.selected_entities) == 0
    entities = [
        {"kind": "host", "label": "ws-01", "props": [["HostName", "ws-01"], ["OSFamily", "Windows"]], "rows": 2},
        {"kind": "account", "label": "alice", "props": [["Name", "alice"], ["Type", "x<script>"]], "rows": 1},
    ]
    rows = struct.pack("<2I", 0, 1)
    per_entity = struct.pack("<3I", 0, 1, 1)
    message = {"type": "select", "count": 2, "entities": entities}
    v._on_message({"content": {"data": message}, "buffers": [rows, per_entity]})
    got = v.selected_entities
    assert list(got.columns) == ["Type", "Label", "HostName", "OSFamily", "Name", "Property.Type", "Rows"]
    assert got["Type"].tolist() == ["host", "account"] and got["Rows"].tolist() == [[0, 1], [1]]
    assert got.loc[1, "Property.Type"] == "x<script>" and pd.isna(got.loc[0, "Name"])
    assert v.selection == [0, 1]
    # Malformed entities are refused with the reason, the last selection kept.
    sent = []

    class Comm:
        def send(self, data, buffers=None):
            sent.append(data)

    v._attach(Comm())
    bad = {**message, "entities": [{"kind": "host", "label": "x", "props": [["a", 1]], "rows": 1}]}
    v._on_message({"content": {"data": bad}, "buffers": [rows, struct.pack("<I", 0)]})
    assert "properties are [name, value] pairs" in sent[-1]["message"]
    short = {**message, "entities": entities}
    v._on_message({"content": {"data": short}, "buffers": [rows, struct.pack("<I", 0)]})
    assert "needs 12 bytes" in sent[-1]["message"]
    assert v.selected_entities["Label"].tolist() == ["ws-01", "alice"]
