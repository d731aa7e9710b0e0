"""HVC1, huntviz's compact columnar text: exact round trips through the Rust engine and size."""

import json

import huntviz
import pytest

pd = pytest.importorskip("pandas")
np = pytest.importorskip("numpy")


@pytest.fixture(params=["text", "binary"])
def encode(request):
    """Each round trip in both layouts: text (small results, readable in the notebook)
    and binary (large ones, always compressed); the engine must read the same values."""
    from huntviz._columnar import encode_frame

    if request.param == "text":
        return huntviz.encode_dataframe
    return lambda df: encode_frame(df, binary=True)


def header_of(payload):
    return json.loads((payload if isinstance(payload, bytes) else payload.encode()).split(b"\n")[1])


def test_exact_int64_and_every_type_round_trip_through_the_engine(read_rows, encode):
    df = pd.DataFrame(
        {
            "Pid": pd.array([9223372036854775807, -9223372036854775808, 9007199254740993, None], dtype="Int64"),
            "Plain": np.array([1, 2, 3, 4], dtype="int64"),
            "Time": pd.to_datetime(
                ["2024-05-06T01:02:03.1234567Z", "1970-01-01T00:00:00Z", None, "2262-04-11T23:47:16.854775807Z"],
                utc=True,
                format="ISO8601",
            ),
            "Score": [1.5, float("nan"), float("inf"), -0.0],
            "Ok": [True, False, True, False],
            "Host": ["WS-1", "WS-1", None, "WS-2"],
            # object dtype: pandas' default string dtype is Arrow-backed when pyarrow is
            # installed, and Arrow cannot hold a lone surrogate.
            "Cmd": pd.Series(['a\nb "q" \\ ', "é 😀", "lone \ud800", "<img src=x onerror=alert(1)>"], dtype=object),
            "Props": [{"a": [1, 2]}, None, [1, "x"], {"n": float("nan")}],
            "Dur": pd.to_timedelta(["1s", None, "-2 days 00:00:00.0000001", "0s"]),  # -2 d + 100 ns
            "Cat": pd.Categorical(["x", "y", None, "x"]),
        }
    )
    columns, rows = read_rows(encode(df))
    assert columns == list(df.columns)
    assert [r[0] for r in rows] == ["9223372036854775807", "-9223372036854775808", "9007199254740993", None]
    assert [r[1] for r in rows] == ["1", "2", "3", "4"]
    # pandas holds nanoseconds; huntviz (like Kusto) keeps 100 ns: the last value is truncated.
    assert [r[2] for r in rows] == [
        "2024-05-06T01:02:03.1234567Z",
        "1970-01-01T00:00:00Z",
        None,
        "2262-04-11T23:47:16.8547758Z",
    ]
    assert [r[3] for r in rows] == ["1.5", None, "Infinity", "-0"]
    assert [r[4] for r in rows] == ["true", "false", "true", "false"]
    assert [r[5] for r in rows] == ["WS-1", "WS-1", None, "WS-2"]
    assert [r[6] for r in rows] == ['a\nb "q" \\ ', "é 😀", "lone \ufffd", "<img src=x onerror=alert(1)>"]
    assert [json.loads(r[7]) if r[7] else None for r in rows] == [{"a": [1, 2]}, None, [1, "x"], {"n": "NaN"}]
    assert [r[8] for r in rows] == ["00:00:01", None, "-1.23:59:59.9999999", "00:00:00"]
    assert [r[9] for r in rows] == ["x", "y", None, "x"]


def test_integer_text_is_what_python_writes_for_every_magnitude_and_null():
    # The vectorised writer behind integer columns, dictionary codes and time deltas,
    # against Python's own str(): every digit count, both signs, the int64 ends, nulls.
    from huntviz._columnar import _int_array

    rng = np.random.default_rng(7)
    edges = [0, 1, -1, 9, 10, -10, 99, 100, 2**63 - 1, -(2**63), -(2**63) + 1, 10**18, 10**18 - 1, -(10**18)]
    digits = rng.integers(0, 19, 5000)
    values = np.concatenate([np.array(edges, dtype=np.int64), rng.integers(-(10**18), 10**18, 5000) // 10**digits])
    mask = rng.random(len(values)) < 0.2
    assert _int_array(values) == ",".join(str(v) for v in values.tolist())
    expected = ",".join("" if m else str(v) for v, m in zip(values.tolist(), mask.tolist()))
    assert _int_array(values, mask) == expected
    assert _int_array(values, np.ones(len(values), dtype=bool)) == "," * (len(values) - 1)
    assert _int_array(np.array([], dtype=np.int64)) == ""


def test_datetimes_without_nulls_and_all_string_columns_round_trip(read_rows, encode):
    # The writer's shortcuts: a null-free datetime column (deltas in one pass) and an
    # object column of strings only (no per-value conversion); one null takes the
    # general path, which must agree.
    times = [
        "2024-05-06T01:02:03.1234567Z",
        "2024-05-06T01:02:03.1234568Z",
        "2023-01-01T00:00:00Z",
        "2024-05-06T01:02:04Z",
    ]
    texts = ["C:\\Windows\\cmd.exe", "é 😀", "", "<b>x</b>"]
    df = pd.DataFrame({"Time": pd.to_datetime(times, utc=True, format="ISO8601"), "Text": texts})
    with_null = df.astype({"Text": "object"})
    with_null.loc[3, "Time"] = None
    with_null.loc[3, "Text"] = None
    _, rows = read_rows(encode(df))
    assert [r[0] for r in rows] == times
    assert [r[1] for r in rows] == texts
    _, rows = read_rows(encode(with_null))
    assert [r[0] for r in rows] == times[:3] + [None]
    assert [r[1] for r in rows] == texts[:3] + [None]


def test_long_text_columns_choose_plain_or_dictionary_and_round_trip(read_rows, encode):
    # Dictionary when at most half the values are distinct; plain when they are mostly
    # distinct, which a long column whose first rows are all distinct gets without
    # counting the rest. Either way the values read back exactly.
    from huntviz._columnar import PLAIN_SAMPLE

    n = 3 * PLAIN_SAMPLE
    unique = [f"cmd.exe /c echo {i} é" for i in range(n)]
    repeated = [["svchost.exe", "powershell.exe", "é 😀"][i % 3] for i in range(n)]
    # Distinct at first, then one value: more than half repeated overall.
    head_distinct = unique[:PLAIN_SAMPLE] + ["x"] * (n - PLAIN_SAMPLE)
    with_null = [None if i % 7 == 0 else t for i, t in enumerate(unique)]
    df = pd.DataFrame({"U": unique, "R": repeated, "H": head_distinct, "N": pd.Series(with_null, dtype="object")})
    payload = encode(df)
    header = header_of(payload)
    assert [c["enc"] for c in header["columns"]] == ["plain", "dict", "plain", "plain"]
    assert header["columns"][1]["dict"] == 3
    # A column no longer than twice the sample is counted exactly, whatever its head.
    short = pd.DataFrame({"H": unique[: PLAIN_SAMPLE - 2] + ["x"] * (PLAIN_SAMPLE + 2)})
    assert header_of(encode(short))["columns"][0]["enc"] == "dict"
    columns, rows = read_rows(payload)
    assert columns == ["U", "R", "H", "N"]
    assert [r[0] for r in rows] == unique
    assert [r[1] for r in rows] == repeated
    assert [r[2] for r in rows] == head_distinct
    assert [r[3] for r in rows] == with_null


def test_times_far_from_1970_and_text_nulls_of_pandas_string_dtypes(read_rows, encode):
    # Security data holds Windows' zero time (1601-01-01) and "never" (9999-12-31): pandas
    # keeps them in second or µs units, where scaling to ns overflows. pandas' extreme ns
    # values are 2^64 apart, more than one delta can hold. A `str`/`string` column with a
    # null (pandas 3's default for text) written plain must give a null, not a crash.
    df = pd.DataFrame(
        {
            "Windows": pd.to_datetime(["1601-01-01T00:00:00", "9999-12-31T23:59:59", None], format="ISO8601").astype(
                "datetime64[s]"
            ),
            "Ms": pd.to_datetime(["1601-01-01T00:00:00.001Z", "9999-12-31T00:00:00Z", None], format="ISO8601").astype(
                "datetime64[ms, UTC]"
            ),
            "Long": pd.Series(pd.to_timedelta([10**17, None, -5], unit="us")),
            "Ends": pd.Series([pd.Timestamp.min, pd.Timestamp.max, pd.NaT], dtype="datetime64[ns, UTC]"),
            "Str": pd.Series(["x", None, "y"], dtype="str"),
            "String": pd.Series(["p", pd.NA, "q"], dtype="string"),
        }
    )
    columns, rows = read_rows(encode(df))
    assert columns == list(df.columns)
    assert [r[0] for r in rows] == ["1601-01-01T00:00:00Z", "9999-12-31T23:59:59Z", None]
    assert [r[1] for r in rows] == ["1601-01-01T00:00:00.001Z", "9999-12-31T00:00:00Z", None]
    # 10^17 µs = 1,157,407 days 9:46:40.
    assert [r[2] for r in rows] == ["1157407.09:46:40", None, "-00:00:00.0000050"]
    # pandas holds ns, huntviz 100 ns: both ends are cut to the 100 ns at or before them.
    assert [r[3] for r in rows] == ["1677-09-21T00:12:43.1452241Z", "2262-04-11T23:47:16.8547758Z", None]
    assert [r[4] for r in rows] == ["x", None, "y"]
    assert [r[5] for r in rows] == ["p", None, "q"]


def test_times_beyond_what_ticks_hold_are_empty_and_reported(read_rows, inspect, encode):
    # pandas holds second-unit times to ±2.9e11 years; 100-ns ticks, about ±29,000.
    far = np.array([10**13, 0, -(10**13)], dtype="datetime64[s]")
    df = pd.DataFrame({"Far": far, "Pid": [1, 2, 3]})
    payload = encode(df)
    _, rows = read_rows(payload)
    assert rows == [[None, "1"], ["1970-01-01T00:00:00Z", "2"], [None, "3"]]
    report = inspect(payload)
    assert report["warning_kinds"].count("bad_value") == 1
    assert any("Far" in w and "(2)" in w for w in report["warnings"])


def test_naive_datetimes_are_read_as_utc_and_reported(inspect, encode):
    df = pd.DataFrame({"TimeGenerated": pd.to_datetime(["2019-02-09 20:04:13"])})
    report = inspect(encode(df))
    assert report["tables"][0]["columns"] == [{"name": "TimeGenerated", "type": "datetime", "nulls": 0}]
    assert "no_offset" in report["warning_kinds"]
    assert any("TimeGenerated" in w for w in report["warnings"])


def test_index_and_odd_column_names_are_kept(read_rows, encode):
    df = pd.DataFrame({"a": [1, 2]}, index=pd.Index(["h1", "h2"], name="host"))
    df[("multi", "level")] = [3, 4]
    df["a "] = [5, 6]
    columns, rows = read_rows(encode(df))
    assert columns == ["host", "a", "multi / level", "a "]
    assert rows == [["h1", "1", "3", "5"], ["h2", "2", "4", "6"]]


def test_at_most_half_the_size_of_records_json(process_events):
    hvc = huntviz.encode_dataframe(process_events)
    records = process_events.to_json(orient="records", date_format="iso", date_unit="ns")
    # Compare what the notebook stores: both as JSON string values.
    ratio = len(json.dumps(hvc)) / len(records)
    assert ratio <= 0.5, f"HVC1 is {ratio:.2f}× records JSON"


def test_empty_frame(read_rows, encode):
    columns, rows = read_rows(encode(pd.DataFrame({"a": pd.Series([], dtype="int64")})))
    assert columns == ["a"] and rows == []


def test_text_times_of_an_exported_frame_are_read_as_times(read_rows, inspect, encode):
    # pandas leaves the times of a CSV or JSON export as text (read_csv without
    # parse_dates, MSTICPy's LocalData): they travel as datetimes, to the nanosecond,
    # as the engine reads the same CSV; a column with one non-time stays text.
    df = pd.DataFrame(
        {
            "Created": ["2021-12-15 23:00:03.449464400+00:00", None, "2021-12-16T01:02:03Z"],
            "Naive": ["2021-12-15 23:00:03.4494644", "2021-12-15 23:00:04", "2021-12-15 23:00:05"],
            "Mixed": ["2021-12-15 23:00:03", "not a time", None],
        }
    )
    types = {c["name"]: c["type"] for c in inspect(encode(df))["tables"][0]["columns"]}
    assert types == {"Created": "datetime", "Naive": "datetime", "Mixed": "string"}
    _, rows = read_rows(encode(df))
    assert rows[0][:2] == ["2021-12-15T23:00:03.4494644Z", "2021-12-15T23:00:03.4494644Z"]
    assert rows[1] == [None, "2021-12-15T23:00:04Z", "not a time"]
    assert rows[2][0] == "2021-12-16T01:02:03Z"
