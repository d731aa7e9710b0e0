"""Hunting clients' results into huntviz, compared with the raw response read directly.

Objects are built by the SDKs themselves from real responses (their own deserializers:
`KustoResponseDataSetV2(json)`, `LogsQueryResult._from_generated(json)`, as their
clients do), never by hand. Each SDK is optional: its tests skip when it is absent.
"""

from __future__ import annotations

import decimal
import json
import pathlib

import huntviz
import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests/fixtures"
SHARED = ROOT.parent / "shared/datasets/responses"


def _warnings(inspected: dict) -> list[tuple[str, str]]:
    """(kind, message) of each warning `huntviz inspect --json` reports."""
    return list(zip(inspected["warning_kinds"], inspected["warnings"]))


def _text(obj) -> str:
    return huntviz.show(obj, fallback="none").data


# A Log Analytics response with every type and its edge cases, and the same values as
# Arrow would hold them.
LA_RAW = json.dumps(
    {
        "tables": [
            {
                "name": "PrimaryResult",
                "columns": [
                    {"name": "Pid", "type": "long"},
                    {"name": "Time", "type": "datetime"},
                    {"name": "Took", "type": "timespan"},
                    {"name": "Score", "type": "real"},
                    {"name": "Ok", "type": "bool"},
                    {"name": "Cmd", "type": "string"},
                    {"name": "Amount", "type": "decimal"},
                    {"name": "Props", "type": "dynamic"},
                ],
                "rows": [
                    [
                        9223372036854775807,
                        "2024-05-06T01:02:03.1234567Z",
                        "1.02:03:04.5000001",
                        1.5,
                        True,
                        'cmd.exe /c "whoami" <img src=x onerror=alert(1)>',
                        "1234567890123456789.123456789",
                        '{"a":[1,2]}',
                    ],
                    [-9223372036854775808, "1601-01-01T00:00:00Z", "-00:00:00.0000001", "NaN", False, "", "-0.5", "[]"],
                    [None, None, None, None, None, None, None, None],
                    [9007199254740993, "9999-12-31T23:59:59.9999999Z", "00:00:00", "Infinity", True, "é 😀", "1", "{}"],
                ],
            }
        ]
    }
)


@pytest.fixture(scope="module")
def pa():
    return pytest.importorskip("pyarrow")


def _arrow_table(pa):
    ns = pa.timestamp("ns", tz="UTC")
    return pa.table(
        {
            "Pid": pa.array([9223372036854775807, -9223372036854775808, None, 9007199254740993], pa.int64()),
            # 1601 and 9999 do not fit int64 nanoseconds: microseconds for those two rows
            # would lose the 100 ns, so the column is in ns and the extremes in their own
            # table below.
            "Time": pa.array([1714957323123456700, None, None, None], ns),
            "Took": pa.array([93784500000100, -100, None, 0], pa.duration("ns")),
            "Score": pa.array([1.5, float("nan"), None, float("inf")]),
            "Ok": pa.array([True, False, None, True]),
            "Cmd": pa.array(['cmd.exe /c "whoami" <img src=x onerror=alert(1)>', "", None, "é 😀"]),
            "Amount": pa.array(
                [decimal.Decimal("1234567890123456789.123456789"), decimal.Decimal("-0.5"), None, decimal.Decimal(1)],
                pa.decimal128(38, 9),
            ),
            "Props": pa.array(['{"a":[1,2]}', "[]", None, "{}"]),
        }
    )


def test_pyarrow_and_polars_read_exactly_as_the_raw_response(pa, read_rows):
    raw = json.loads(LA_RAW)
    # The two datetimes no int64 nanosecond can hold are compared in a table of their own.
    raw["tables"][0]["rows"][1][1] = None
    raw["tables"][0]["rows"][3][1] = None
    columns, expected = read_rows(json.dumps(raw))
    table = _arrow_table(pa)
    # (Props: dynamic in the response, its JSON text in Arrow: the same cells.)
    assert read_rows(_text(table)) == (columns, expected)
    polars = pytest.importorskip("polars")
    assert read_rows(_text(polars.from_arrow(table))) == (columns, expected)


def test_arrow_keeps_far_dates_nulls_apart_from_nan_and_nested_values(pa, read_rows):
    far = pa.table(
        {
            "Time": pa.array([-11644473600000000, 253402300799999999, None], pa.timestamp("us", tz="UTC")),
            "Nested": pa.array(
                [{"a": [1, 2], "b": None}, None, {"a": [], "b": "x"}],
                pa.struct([("a", pa.list_(pa.int64())), ("b", pa.string())]),
            ),
            "Big": pa.array([18446744073709551615, None, 0], pa.uint64()),
            "Cat": pa.array(["x", None, "x"]).dictionary_encode(),
        }
    )
    columns, rows = read_rows(_text(far))
    assert columns == ["Time", "Nested", "Big", "Cat"]
    assert rows[0] == ["1601-01-01T00:00:00Z", '{"a":[1,2],"b":null}', "18446744073709551615", "x"]
    assert rows[1] == ["9999-12-31T23:59:59.999999Z", None, None, None]
    assert rows[2] == [None, '{"a":[],"b":"x"}', "0", "x"]


# --- azure-kusto-data ------------------------------------------------------------------

KUSTO_FILES = sorted((SHARED / "azure-kusto-python").glob("*.json")) if SHARED.exists() else []


@pytest.mark.skipif(not KUSTO_FILES, reason="../shared/datasets is not here (a clone of the project alone)")
@pytest.mark.parametrize("path", KUSTO_FILES, ids=lambda p: p.stem)
def test_azure_kusto_data_results_read_as_their_raw_response(path, read_rows, inspect):
    response = pytest.importorskip("azure.kusto.data.response")
    from azure.kusto.data.exceptions import KustoMultiApiError

    text = path.read_text(encoding="utf-8")
    value = json.loads(text)
    make = response.KustoResponseDataSetV1 if isinstance(value, dict) else response.KustoResponseDataSetV2
    try:
        dataset = make(value)
    except KustoMultiApiError:
        pytest.skip("the SDK itself refuses this response (row-level errors): there is no object to show")
    if not any(getattr(t.table_kind, "value", None) == "PrimaryResult" for t in dataset.tables):
        # KustoResponseDataSetV2 keeps DataTable frames only: a progressive response's
        # TableHeader/TableFragment frames (its primary result) are not in the object.
        pytest.skip("the SDK's object holds no primary result of this progressive response")
    # (Compared with the response without whitespace: the SDK parsed it, so a dynamic
    # object's spacing is gone, its content the same.)
    expected = read_rows(_compact(value))
    assert read_rows(_text(dataset)) == expected
    # The primary table alone, as `dataset.primary_results[0]`.
    primary = dataset.primary_results[0]
    assert read_rows(_text(primary)) == expected
    # The same warnings (errors in QueryCompletionInformation included), minus what the
    # SDK drops (DataSetCompletion's OneApiErrors, progress frames).
    raw_kinds = {k for k, _ in _warnings(inspect(text))}
    got_kinds = {k for k, _ in _warnings(inspect(_text(dataset)))}
    assert got_kinds <= raw_kinds


# --- Kqlmagic ----------------------------------------------------------------------------


@pytest.mark.skipif(not KUSTO_FILES, reason="../shared/datasets is not here (a clone of the project alone)")
@pytest.mark.parametrize("name", ["deft", "dynamic", "null_values", "alternative_order", "adminthenquery"])
def test_kqlmagic_result_sets_read_as_their_raw_response(name, read_rows):
    pytest.importorskip("Kqlmagic.results")
    from Kqlmagic.kql_proxy import KqlResponse
    from Kqlmagic.kql_response import KqlQueryResponse
    from Kqlmagic.results import ResultSet

    value = json.loads((SHARED / "azure-kusto-python" / f"{name}.json").read_text(encoding="utf-8"))
    # Kqlmagic's own path after its HTTP call: the client's response, the engine's
    # wrapper, the result set the magic returns.
    version = "v2" if isinstance(value, list) else "v1"
    result = ResultSet(
        {"parsed": {"options": {}, "query": name}, "engine": None}, KqlResponse(KqlQueryResponse(value, version))
    )
    view = huntviz.show(result)
    assert f"Kqlmagic result of {len(result):,} rows" in view.summary
    assert read_rows(view.data) == read_rows(_compact(value))


# --- azure-monitor-query ---------------------------------------------------------------

LA_FILES = [
    FIXTURES / "la_types.json",
    SHARED / "msticpy/az_mon_raw_query.json",
    SHARED / "azure-rest-api-specs/oms-post-example.json",
]


def _monitor():
    return pytest.importorskip("azure.monitor.query")


def _microseconds(cell: str | None) -> str | None:
    """A datetime cell as azure-monitor-query keeps it: the 7th fractional digit cut
    (cells are written in their shortest exact form)."""
    if cell is None or "." not in cell:
        return cell
    head, fraction = cell[:-1].split(".")
    fraction = fraction[:6].rstrip("0")
    return f"{head}.{fraction}Z" if fraction else f"{head}Z"


def _compact(value) -> str:
    """The response as JSON without whitespace: the SDK parsed it, so a dynamic value's
    spacing is gone (its content is the same)."""
    return json.dumps(value, separators=(",", ":"))


def _expected_through_the_sdk(read_rows, text: str):
    columns, rows = read_rows(text)
    types = {c["name"]: c["type"] for t in json.loads(text)["tables"][:1] for c in t["columns"]}
    dt = [i for i, c in enumerate(columns) if types.get(c) == "datetime"]
    return columns, [[_microseconds(v) if i in dt else v for i, v in enumerate(row)] for row in rows]


@pytest.mark.parametrize("path", LA_FILES, ids=lambda p: p.stem)
def test_azure_monitor_query_results_read_as_their_raw_response(path, read_rows):
    query = _monitor()
    if not path.exists():
        pytest.skip(f"{path} is not here")
    text = path.read_text(encoding="utf-8")
    value = json.loads(text)
    # The REST API's example holds the response under responses/200/body.
    body = value["responses"]["200"]["body"] if "responses" in value else value
    raw_text = _compact(body)
    result = query.LogsQueryResult._from_generated(body)
    expected = _expected_through_the_sdk(read_rows, raw_text)
    assert read_rows(_text(result)) == expected
    assert read_rows(_text(result.tables[0])) == expected


def test_a_partial_result_keeps_its_error_as_a_warning_and_a_batch_its_failures(read_rows, inspect):
    query = _monitor()
    from azure.monitor.query import LogsQueryError

    body = json.loads((FIXTURES / "la_types.json").read_text(encoding="utf-8"))
    body["error"] = {
        "code": "PartialError",
        "message": "There were some errors when processing your query.",
        "details": [{"code": "EngineError", "message": "Query exceeded the 64 MB result limit <b>x</b>"}],
    }
    partial = query.LogsQueryPartialResult._from_generated(body, LogsQueryError)
    assert read_rows(_text(partial)) == _expected_through_the_sdk(read_rows, _compact(body))
    raw = [w for w in _warnings(inspect(_compact(body))) if w[0] == "partial_error"]
    got = [w for w in _warnings(inspect(_text(partial))) if w[0] == "partial_error"]
    assert raw and got == raw

    # query_batch's list: a success, the partial result and a failed query.
    failed = LogsQueryError._from_generated(
        {"code": "BadArgumentError", "message": "The request had some invalid properties"}
    )
    success = query.LogsQueryResult._from_generated(json.loads((FIXTURES / "la_types.json").read_text()))
    view = huntviz.show([success, partial, failed])
    assert "batch of 3 results" in view.summary
    warnings = [m for k, m in _warnings(inspect(view.data)) if k == "partial_error"]
    assert len(warnings) == 1 and "invalid properties" in warnings[0] and "64 MB" in warnings[0]


def test_a_missing_client_or_an_unknown_object_is_a_clear_error():
    class Unknown:
        pass

    with pytest.raises(TypeError, match="azure-monitor-query or azure-kusto-data"):
        huntviz.show(Unknown())
