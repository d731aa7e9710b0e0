"""huntviz.show: the MIME bundle a notebook saves."""

import json
import math
import pathlib

import huntviz
import pytest


def test_bundle_has_the_huntviz_payload_and_a_plain_text_summary():
    raw = '{"tables":[{"name":"PrimaryResult","columns":[],"rows":[]}]}'
    bundle = huntviz.show(raw, view="table", title="T", height=500)._repr_mimebundle_()
    assert set(bundle) == {huntviz.MIME_TYPE, "text/plain", "text/html"}
    assert bundle[huntviz.MIME_TYPE] == {
        "view": "table",
        "data": raw,
        "options": {"height": 500},
        "title": "T",
        "fallback": "auto",
    }
    assert bundle["text/plain"] == "huntviz table view of a Log Analytics response (60 characters): T"
    # The payload is plain JSON: it survives a notebook save.
    assert json.loads(json.dumps(bundle)) == bundle


def test_raw_text_is_sent_unchanged_so_64_bit_integers_stay_exact():
    raw = '{"tables":[{"name":"T","columns":[{"name":"id","type":"long"}],"rows":[[9223372036854775807]]}]}'
    assert huntviz.show(raw).data is raw
    assert huntviz.show(raw.encode()).data == raw


def test_dataframe_summary(process_events):
    view = huntviz.show(process_events)
    rows, cols = process_events.shape
    assert view.summary == f"huntviz auto view of table of {rows:,} rows × {cols:,} columns"
    assert view.data.startswith("HVC1\n")


def test_parsed_json_keeps_nan_and_infinity_as_kusto_strings(read_rows):
    doc = {
        "tables": [
            {
                "name": "T",
                "columns": [{"name": "x", "type": "real"}],
                "rows": [[math.nan], [math.inf], [-math.inf], [1.5]],
            }
        ]
    }
    text = huntviz.show(doc).data
    assert "NaN" in text and json.loads(text)  # valid JSON (no bare NaN literal)
    _, rows = read_rows(text)
    assert rows == [["NaN"], ["Infinity"], ["-Infinity"], ["1.5"]]


def test_deeply_nested_input_gets_a_clear_message_not_a_crash():
    from huntviz._show import _finite_json

    deep: object = float("nan")
    for _ in range(50_000):
        deep = [deep]
    # huntviz's own walk is iterative...
    copy = _finite_json(deep)
    for _ in range(50_000):
        copy = copy[0]
    assert copy == "NaN"
    # ...and where Python's encoder gives up, the message says what to do.
    with pytest.raises(ValueError, match="pass the raw response text instead"):
        huntviz.show({"tables": [], "extra": deep})


def test_bad_arguments_are_refused_in_python():
    with pytest.raises(ValueError, match="view must be one of"):
        huntviz.show("{}", view="pie")
    with pytest.raises(TypeError, match="a pandas or polars DataFrame, a pyarrow Table"):
        huntviz.show(42)
    with pytest.raises(ValueError, match="unknown option 'callback'"):
        huntviz.show("{}", callback=lambda: None)


def test_options_are_checked_against_the_views_own_list():
    from huntviz._contract import OPTIONS, VIEW_OPTIONS

    # A typo names the valid options, the engine's list for that view.
    with pytest.raises(ValueError) as error:
        huntviz.show("{}", view="process-tree", colour_by="AccountName")
    message = str(error.value)
    assert "unknown option 'colour_by' for view='process-tree'" in message
    for key in VIEW_OPTIONS["process-tree"]:
        assert key in message
    # A timeline option is not a table's; every option is some view's, so "auto" takes all.
    with pytest.raises(ValueError, match="'group_by', 'kind' for view='table'"):
        huntviz.show("{}", view="table", group_by="Computer", kind="line")
    assert huntviz.show("{}", view="timeline", group_by="Computer").options == {"group_by": "Computer"}
    assert set(VIEW_OPTIONS["auto"]) == set(OPTIONS)
    huntviz.show("{}", **{key: None for key in OPTIONS})


def test_dataframes_have_a_huntviz_accessor(process_events):
    view = process_events.huntviz.process_tree(color_by="AccountName", title="MDE")
    assert (view.view, view.options, view.title) == ("process-tree", {"color_by": "AccountName"}, "MDE")
    assert view.data == huntviz.show(process_events).data
    assert process_events.huntviz.timeline().view == "timeline"
    assert process_events.huntviz.graph(source="AccountName", target="DeviceName").view == "graph"
    assert process_events.huntviz.table().view == "table"
    with pytest.raises(ValueError, match="unknown option 'group_by' for view='process-tree'"):
        process_events.huntviz.process_tree(group_by="DeviceName")
    # Each method documents its view's options with the engine's descriptions.
    from huntviz._contract import OPTION_DOCS, VIEW_OPTIONS

    doc = type(process_events.huntviz).process_tree.__doc__
    for key in VIEW_OPTIONS["process-tree"]:
        assert f"    {key}: {OPTION_DOCS[key]}" in doc
    assert "group_by" not in doc and "group_by" in type(process_events.huntviz).timeline.__doc__


def test_polars_dataframes_have_it_too(process_events):
    pl = pytest.importorskip("polars")
    pytest.importorskip("pyarrow")
    frame = pl.from_pandas(process_events)
    view = frame.huntviz.timeline(group_by="DeviceName")
    assert view.view == "timeline" and "polars DataFrame of 1,010 rows" in view.summary


def test_large_results_are_saved_compressed_and_unpack_to_the_exact_text():
    import base64
    import zlib

    from huntviz._show import COMPRESS_ABOVE

    row = '["2024-05-06T00:00:02.1844054Z","wks-000","C:\\\\Windows\\\\cmd.exe /c «ü» \ud800",9223372036854775807]'
    big = '{"tables":[{"name":"T","columns":[],"rows":[' + ",".join([row] * 5000) + "]}]}"
    assert len(big.encode("utf-8", "surrogatepass")) > COMPRESS_ABOVE
    payload = huntviz.show(big, view="process-tree").payload()
    assert payload["encoding"] == "zlib-base64"
    raw = zlib.decompress(base64.b64decode(payload["data"]))
    assert payload["size"] == len(raw)
    # What a browser's TextEncoder writes for the same string: the lone surrogate is U+FFFD.
    assert raw.decode("utf-8") == big.replace("\ud800", "\ufffd")
    assert len(payload["data"]) < len(big) / 4
    small = huntviz.show(big[:1000]).payload()
    assert "encoding" not in small and small["data"] == big[:1000]


def test_compressed_outputs_travel_as_one_string_the_plugin_reads_back():
    # JupyterLab deep-copies an object MIME value on every read and hands a string over
    # as it is: compressed (large) payloads go in the text form, small ones stay objects.
    from huntviz._show import COMPRESS_ABOVE, payload_text, read_payload

    row = '["2024-05-06T00:00:02Z","wks-000","cmd.exe /c \\"a\\nb\\""]'
    big = '{"tables":[{"name":"T","columns":[],"rows":[' + ",".join([row] * (COMPRESS_ABOVE // 40)) + "]}]}"
    view = huntviz.show(big, view="process-tree", title="line\nbreak")
    value = view._repr_mimebundle_()[huntviz.MIME_TYPE]
    assert isinstance(value, str)
    header, _, data = value.partition("\n")
    assert "data" not in json.loads(header) and json.loads(header)["title"] == "line\nbreak"
    assert read_payload(value) == view.payload() and data == view.payload()["data"]
    assert payload_text(view.payload()) == value
    small = huntviz.show(big[:1000], fallback="none")._repr_mimebundle_()[huntviz.MIME_TYPE]
    assert isinstance(small, dict) and read_payload(small) is small
    for bad in ("", "{}", '{"data":"x"}\nx', "[1]\nx"):
        with pytest.raises(ValueError, match="not a huntviz payload"):
            read_payload(bad)


def test_large_inputs_are_compressed_on_every_core_into_one_zlib_stream(monkeypatch):
    import base64
    import zlib

    from huntviz import _show

    # Several pieces (a small piece size, two workers even on one core): the joined
    # stream must be one zlib stream, read whole and read as a browser streams it.
    monkeypatch.setattr(_show, "PARALLEL_ABOVE", 1000)
    monkeypatch.setattr(_show, "PARALLEL_PIECE", 4096)
    monkeypatch.setattr(_show.os, "cpu_count", lambda: 2)
    raw = b"".join(b"%d:cmd.exe /c echo %d \xc3\xa9|" % (i % 97, i) for i in range(20000))
    # zlib-ng (a dependency where it has wheels) and the standard library's zlib both
    # write streams the standard inflater reads, whole and streamed.
    implementations = [zlib]
    try:
        from zlib_ng import zlib_ng

        implementations.append(zlib_ng)
    except ImportError:
        print("zlib-ng is not installed: only the standard library's zlib is tested")
    for implementation in implementations:
        monkeypatch.setattr(_show, "_zlib", implementation)
        packed = _show._deflate(raw, 1)
        assert zlib.decompress(packed) == raw
        inflater = zlib.decompressobj()
        streamed = b"".join(inflater.decompress(packed[i : i + 999]) for i in range(0, len(packed), 999))
        assert streamed + inflater.flush() == raw and inflater.eof
        assert len(packed) < len(raw) / 3
    payload = _show._pack(raw)
    assert zlib.decompress(base64.b64decode(payload["data"])) == raw and payload["size"] == len(raw)


def test_large_frames_travel_in_the_binary_layout_and_read_the_same(process_events, read_rows):
    import base64
    import zlib

    import pandas as pd
    from huntviz._columnar import BINARY_ROWS

    big = pd.concat([process_events] * (BINARY_ROWS // len(process_events) + 1), ignore_index=True)
    payload = huntviz.show(big, view="process-tree").payload()
    assert payload["encoding"] == "zlib-base64"
    raw = zlib.decompress(base64.b64decode(payload["data"]))
    header = json.loads(raw.split(b"\n")[1])
    assert all("width" in c for c in header["columns"] if c["type"] in ("string", "long", "datetime"))
    assert read_rows(raw) == read_rows(huntviz.encode_dataframe(big))
    # Smaller frames are text (readable in the notebook when small enough to be unpacked).
    small = huntviz.show(big.head(BINARY_ROWS - 1)).payload()
    text = zlib.decompress(base64.b64decode(small["data"])) if "encoding" in small else small["data"].encode()
    assert not any("width" in c for c in json.loads(text.decode("utf-8").split("\n")[1])["columns"])


def test_timeline_datasets_and_alerts_travel_with_the_result(process_events, read_rows):
    logons = (
        '{"tables":[{"name":"T","columns":[{"name":"TimeGenerated","type":"datetime"}],'
        '"rows":[["2024-05-06T01:00:00Z"]]}]}'
    )
    alerts = process_events.head(3)
    view = huntviz.show(
        process_events.head(10), view="timeline", datasets={"Logons": logons}, alerts=alerts, group_by="dataset"
    )
    payload = view.payload()
    assert payload["options"] == {"group_by": "dataset"}
    assert [(d["name"], d["kind"]) for d in payload["datasets"]] == [("Logons", "events"), ("alerts", "alerts")]
    assert payload["datasets"][0]["data"] == logons
    # A DataFrame dataset is HVC1 that the engine reads back exactly.
    columns, rows = read_rows(payload["datasets"][1]["data"])
    assert columns == list(alerts.columns) and len(rows) == 3
    assert view.summary.startswith("huntviz timeline view of table of 10 rows") and "and 2 more results" in view.summary
    assert "datasets" not in huntviz.show(logons).payload()
    with pytest.raises(TypeError, match="a pandas or polars DataFrame"):
        huntviz.show(logons, datasets={"bad": 42})


def test_the_version_is_package_json_s():
    root = pathlib.Path(__file__).resolve().parents[2]
    assert huntviz.__version__ == json.loads((root / "package.json").read_text())["version"]


def test_parsed_json_keeps_the_order_of_its_keys(read_rows):
    # response.json() of a Log Analytics query: dynamic values keep their keys' order.
    response = {
        "tables": [
            {
                "name": "PrimaryResult",
                "columns": [{"name": "Props", "type": "dynamic"}],
                "rows": [[{"z": 1, "a": {"y": [1, {"c": 2, "b": 3}], "x": None}}]],
            }
        ]
    }
    _, rows = read_rows(huntviz.show(response).data)
    assert rows == [['{"z":1,"a":{"y":[1,{"c":2,"b":3}],"x":null}}']]


def test_several_views_are_panes_of_one_output(process_events):
    """A list of views (or "investigation") is one output whose options name the panes;
    the first pane is the view opened first, and any pane's options are allowed."""
    from huntviz._show import read_payload

    v = huntviz.show(process_events, view=["process-tree", "graph"], source="AccountName", target="DeviceName")
    payload = read_payload(v._repr_mimebundle_()[huntviz.MIME_TYPE])
    assert payload["view"] == "process-tree"
    assert payload["options"] == {"source": "AccountName", "target": "DeviceName", "panes": ["process-tree", "graph"]}
    whole = huntviz.show(process_events, view="investigation", layout={"direction": "column"})
    payload = read_payload(whole._repr_mimebundle_()[huntviz.MIME_TYPE])
    assert payload["view"] == "auto" and payload["options"]["panes"] == "investigation"
    assert payload["options"]["layout"] == {"direction": "column"}
    # One view in a list is that view; bad lists say what is wrong.
    assert (
        "panes"
        not in read_payload(huntviz.show(process_events, view=["timeline"])._repr_mimebundle_()[huntviz.MIME_TYPE])[
            "options"
        ]
    )
    for bad, message in (
        (["timeline", "timeline"], "named twice"),
        (["timeline", "pie"], "each pane is one of"),
        ([], "each pane is one of"),
        (["auto", "timeline"], "each pane is one of"),
    ):
        with pytest.raises(ValueError, match=message):
            huntviz.show(process_events, view=bad)
