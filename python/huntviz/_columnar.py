"""huntviz compact columnar text (HVC1): how DataFrames travel to the notebook view.

The format is specified in docs/columnar.md. In short: a magic line, a one-line JSON
header naming each column's type and encoding, then one section per column —
dictionary-encoded strings (`<utf8-length>:<bytes>` entries and comma-separated
codes), plain length-prefixed strings, delta-encoded integer timestamps in the
coarsest exact unit, decimal integers (exact int64), reals as Python's shortest
repr, and booleans as one character per row. Empty fields are null.

Large results (which always travel compressed) use the binary layout of the same
sections (`width`, docs/columnar.md): codes, integers and times as little-endian
integers of the narrowest width, strings as u32 lengths then their bytes. Written
from numpy arrays and, when pyarrow is installed, from Arrow's own string buffers,
with no work per value in Python.
"""

from __future__ import annotations

import datetime as _dt
import decimal as _decimal
import json
import math
import os
import re
import uuid as _uuid
from collections.abc import Iterable
from typing import Any

MAGIC = "HVC1\n"

# A string column is dictionary-encoded while it has at most this share of distinct values.
DICT_MAX_DISTINCT_SHARE = 0.5
# ... unless it is longer than twice PLAIN_SAMPLE rows and its first PLAIN_SAMPLE rows have
# more than this share of distinct values: then it is written plain without counting.
PLAIN_SAMPLE = 4096
PLAIN_SAMPLE_DISTINCT_SHARE = 0.9

_UNITS = (("s", 10**9), ("ms", 10**6), ("us", 10**3), ("ticks", 100), ("ns", 1))


def _utf8(s: str) -> bytes:
    try:
        return s.encode("utf-8")
    except UnicodeEncodeError:
        # Lone surrogates: shown as U+FFFD, as a browser's TextEncoder would.
        return s.encode("utf-16", "surrogatepass").decode("utf-16", "replace").encode("utf-8")


def _length_prefixed(values: Iterable[bytes | None]) -> str:
    parts = []
    for b in values:
        if b is None:
            parts.append(b"-")
        else:
            parts.append(b"%d:%s" % (len(b), b))
    return b"".join(parts).decode("utf-8")


def _int_array(values: Any, mask: Any = None) -> str:
    """Comma-separated decimal text of an int64 numpy array, empty where `mask` is true.

    Written with numpy, a digit position at a time over the whole array, into one byte
    buffer: 2–3× faster than `",".join(map(str, values.tolist()))` (10 against 20 ms for
    100,000 dictionary codes, 65 against 195 ms for a million), which was the largest
    single cost of `show()`: dictionary codes, datetime deltas and integer columns are all
    written here. (Filling a fixed-width digit grid and dropping the padding with one
    boolean mask measured the same.)"""
    import numpy as np

    values = np.asarray(values, dtype=np.int64)
    n = len(values)
    if n == 0:
        return ""
    neg = values < 0
    # Two's-complement magnitude: exact for INT64_MIN, which has no positive int64.
    bits = values.view(np.uint64)
    mag = np.where(neg, ~bits + np.uint64(1), bits)
    # 10**0 … 10**19: a magnitude's digit count is where it falls among these.
    pow10 = np.array([10**k for k in range(20)], dtype=np.uint64)
    ndig = np.searchsorted(pow10, mag, side="right").astype(np.int64)
    ndig = np.maximum(ndig, 1)
    if mask is not None and mask.any():
        mask = np.asarray(mask, dtype=bool)
        ndig[mask] = 0
        neg = neg & ~mask
    # Each field: sign, digits, then a comma (the last one's is dropped).
    ends = np.cumsum(ndig + neg + 1)
    buf = np.full(int(ends[-1]), ord(","), dtype=np.uint8)
    buf[(ends - ndig - 2)[neg]] = ord("-")
    last = ends - 2
    rest = mag
    ten = np.uint64(10)
    # Digit positions every field has are written without selecting rows.
    every = int(ndig.min())
    for d in range(int(ndig.max())):
        rest, digit = np.divmod(rest, ten)
        digit = digit.astype(np.uint8) + np.uint8(ord("0"))
        if d < every:
            buf[last - d] = digit
        else:
            live = ndig > d
            buf[(last - d)[live]] = digit[live]
    return buf[:-1].tobytes().decode("ascii")


def _int_section(values: Any, mask: Any, binary: bool) -> tuple[dict[str, Any], bytes]:
    """Integers as a section: text, or (binary) little-endian in the narrowest signed
    width that holds them, after a null bitmap when any is null."""
    import numpy as np

    if not binary:
        return {}, _int_array(values, mask).encode("ascii")
    values = np.asarray(values, dtype=np.int64)
    nulls = mask is not None and bool(np.any(mask))
    if nulls:
        values = np.where(mask, 0, values)
    lo, hi = (int(values.min()), int(values.max())) if len(values) else (0, 0)
    width = next(w for w in (1, 2, 4, 8) if -(2 ** (8 * w - 1)) <= lo and hi < 2 ** (8 * w - 1))
    head: dict[str, Any] = {"width": width}
    bitmap = b""
    if nulls:
        head["nulls"] = True
        bitmap = np.packbits(np.asarray(mask, dtype=bool), bitorder="little").tobytes()
    return head, bitmap + values.astype(f"<i{width}").tobytes()


def _codes_section(codes: Any, size: int) -> tuple[dict[str, Any], bytes]:
    """Dictionary codes (negative = null) as unsigned little-endian integers of the
    narrowest width whose all-ones value (null) is not a code."""
    import numpy as np

    width = 1 if size < 0xFF else 2 if size < 0xFFFF else 4
    codes = np.asarray(codes)
    if codes.dtype.kind not in "iu":
        codes = codes.astype(np.int64)
    # A negative code wraps to all ones (null) in numpy's integer cast, from any width.
    return {"width": width}, codes.astype(f"<u{width}").tobytes()


def _lengths_and_bytes(values: list[bytes | None]) -> bytes:
    """Binary strings from Python values: u32 lengths (all ones = null), then the bytes."""
    import numpy as np

    lengths = np.fromiter((0xFFFFFFFF if v is None else len(v) for v in values), dtype="<u4", count=len(values))
    return lengths.tobytes() + b"".join(v for v in values if v is not None)


def _arrow_strings(series: Any) -> Any:
    """The column as an Arrow large_string array, or None (no pyarrow, or a value Arrow
    cannot hold, such as a lone surrogate)."""
    try:
        import pyarrow as pa
    except ImportError:
        return None
    try:
        # As Arrow holds it (pandas' Arrow-backed strings: no copy); only an all-null
        # column needs a string type given.
        array = pa.array(series, from_pandas=True)
        if pa.types.is_null(array.type):
            array = array.cast(pa.large_string())
    except (pa.ArrowException, UnicodeError, TypeError, ValueError):
        return None
    if not (pa.types.is_string(array.type) or pa.types.is_large_string(array.type)):
        return None
    if isinstance(array, pa.ChunkedArray):
        # One array; over 2 GiB of text only fits with 64-bit offsets.
        whole = array.nbytes >= 2**31 and pa.types.is_string(array.type)
        array = (array.cast(pa.large_string()) if whole else array).combine_chunks()
    return array


def _arrow_binary_strings(array: Any) -> bytes:
    """An Arrow string array in the binary layout, straight from its buffers."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    if not (pa.types.is_string(array.type) or pa.types.is_large_string(array.type)):
        array = array.cast(pa.large_string())
    n = len(array)
    # 32-bit offsets (string) or 64-bit (large_string), read as they are.
    size = 4 if pa.types.is_string(array.type) else 8
    offsets = np.frombuffer(array.buffers()[1], dtype=f"<i{size}", count=n + 1, offset=array.offset * size)
    lengths = np.diff(offsets).astype("<u4")
    if array.null_count:
        lengths[np.asarray(pc.is_null(array).to_numpy(zero_copy_only=False), dtype=bool)] = 0xFFFFFFFF
    data = array.buffers()[2]
    body = b"" if data is None else memoryview(data)[int(offsets[0]) : int(offsets[-1])].tobytes()
    return lengths.tobytes() + body


def _time_unit(valid: Any, base_ns: int) -> tuple[str, int]:
    """The coarsest unit in which every value (counted in units of `base_ns` ns) is a
    whole number, and how many values make one of it."""
    import numpy as np

    for unit, size in _UNITS:
        if size >= base_ns and size % base_ns == 0:
            factor = size // base_ns
            if len(valid) == 0 or not np.any(valid % factor):
                return unit, factor
    return "ns", 1


def _native_ticks(values: Any) -> tuple[Any, int]:
    """The int64 counts behind a datetime64/timedelta64 array and the ns each counts.

    Kept in the array's own unit: pandas stores second-, ms- and µs-unit values far
    outside 1677–2262 (Windows' 1601-01-01, a 9999-12-31 "never"), which in ns would
    overflow."""
    import numpy as np

    unit = np.datetime_data(values.dtype)[0]
    return values.view("i8"), {"s": 10**9, "ms": 10**6, "us": 10**3, "ns": 1}.get(unit, 1)


def _time_section(values: Any, mask: Any, factor: int, binary: bool = False) -> tuple[dict[str, Any], bytes]:
    """`{"enc": "delta"}`: each valid value minus the previous valid one (the first
    minus 0), in `factor`s; `{"enc": "int"}`, the values themselves, when a difference
    could overflow 64 bits (valid values more than 2^63 apart)."""
    import numpy as np

    valid = values[~mask] // factor
    if len(valid) and int(valid.max()) - int(valid.min()) > 2**63 - 1:
        head, body = _int_section(values // factor, mask, binary)
        return {"enc": "int", **head}, body
    if not mask.any():
        head, body = _int_section(np.diff(valid, prepend=np.int64(0)), None, binary)
        return {"enc": "delta", **head}, body
    deltas = np.zeros(len(values), dtype=np.int64)
    deltas[~mask] = np.diff(valid, prepend=np.int64(0))
    head, body = _int_section(deltas, mask, binary)
    return {"enc": "delta", **head}, body


def _datetime_column(series: Any, mask: Any, binary: bool) -> tuple[dict[str, Any], bytes]:
    tz = getattr(series.dtype, "tz", None)
    naive = tz is None
    values = series if naive else series.dt.tz_convert("UTC").dt.tz_localize(None)
    raw, base = _native_ticks(values.to_numpy())
    unit_name, factor = _time_unit(raw[~mask], base)
    section, body = _time_section(raw, mask, factor, binary)
    header = {"type": "datetime", **section, "unit": unit_name}
    if naive:
        header["naive"] = True
    return header, body


def _timedelta_column(series: Any, mask: Any, binary: bool) -> tuple[dict[str, Any], bytes]:
    raw, base = _native_ticks(series.to_numpy())
    unit_name, factor = _time_unit(raw[~mask], base)
    head, body = _int_section(raw // factor, mask, binary)
    return {"type": "timespan", "enc": "int", "unit": unit_name, **head}, body


def _string_column(
    kind: str, texts: list[str | None] | None, series: Any = None, binary: bool = False
) -> tuple[dict[str, Any], bytes]:
    """A text column from `texts`, or from `series` when the column's own values are its
    texts (all strings, no nulls): factorized as it is, listed only if written plain."""
    import pandas as pd

    if binary:
        array = _arrow_strings(series if series is not None else pd.Series(texts, dtype="object"))
        if array is not None:
            from ._arrow import _string_column as arrow_string_column

            return arrow_string_column(kind, array, binary=True)
    source = series if series is not None else pd.Series(texts, dtype="object")
    n = len(source)
    # pandas' factorize is the writer's largest cost: a long column whose first rows are
    # nearly all distinct (command lines, hashes) is written plain without it.
    head_distinct = 0
    if n > 2 * PLAIN_SAMPLE:
        head_distinct = len(pd.factorize(source.iloc[:PLAIN_SAMPLE], use_na_sentinel=True)[1])
    if head_distinct <= PLAIN_SAMPLE_DISTINCT_SHARE * PLAIN_SAMPLE:
        codes, uniques = pd.factorize(source, use_na_sentinel=True)
        if n and len(uniques) <= max(1, DICT_MAX_DISTINCT_SHARE * n):
            if binary:
                head, body = _codes_section(codes, len(uniques))
                entries = _lengths_and_bytes([_utf8(u) for u in uniques.tolist()])
                return {"type": kind, "enc": "dict", "dict": len(uniques), **head}, entries + body
            entries = _length_prefixed(_utf8(u) for u in uniques.tolist())
            body = entries + "\n" + _int_array(codes, codes < 0)
            return {"type": kind, "enc": "dict", "dict": len(uniques)}, body.encode("utf-8")
    values = texts if texts is not None else source.tolist()
    if binary:
        return {"type": kind, "enc": "plain", "width": 4}, _lengths_and_bytes(
            [None if t is None else _utf8(t) for t in values]
        )
    body = _length_prefixed(None if t is None else _utf8(t) for t in values)
    return {"type": kind, "enc": "plain"}, body.encode("utf-8")


def _object_texts(series: Any) -> tuple[str, list[str | None] | None]:
    """The Kusto type and text of each value of an object column; `None` for the texts
    when they are the column's own values (all strings, no nulls)."""
    import pandas as pd

    # Most object columns are all strings: nothing to test or convert (pandas' compiled
    # `infer_dtype` checks that ~10× faster than a Python loop; any null makes it "mixed").
    # pandas' `str`/`string` dtypes answer "string" from the dtype, nulls or not.
    if pd.api.types.infer_dtype(series, skipna=False) == "string" and not series.hasnans:
        return "string", None
    values = series.tolist()
    kinds = set()
    for v in values:
        if v is None or (isinstance(v, float) and math.isnan(v)) or v is pd.NA or v is pd.NaT:
            continue
        if isinstance(v, (dict, list, tuple)):
            kinds.add("dynamic")
        elif isinstance(v, _uuid.UUID):
            kinds.add("guid")
        elif isinstance(v, _decimal.Decimal):
            kinds.add("decimal")
        else:
            kinds.add("string")
    kind = kinds.pop() if len(kinds) == 1 else ("dynamic" if "dynamic" in kinds else "string")

    def text(v: Any) -> str | None:
        if v is None or v is pd.NA or v is pd.NaT or (isinstance(v, float) and math.isnan(v)):
            return None
        if isinstance(v, str):
            return v
        if isinstance(v, (dict, list, tuple)):
            from ._show import _finite_json

            return json.dumps(_finite_json(v), ensure_ascii=False, separators=(",", ":"), default=str)
        if isinstance(v, (_dt.datetime, _dt.date)):
            return v.isoformat()
        if isinstance(v, bytes):
            return v.hex()
        return str(v)

    return kind, [text(v) for v in values]


def _column(series: Any, binary: bool = False) -> tuple[dict[str, Any], bytes]:
    import pandas as pd
    from pandas.api import types as t

    dtype = series.dtype
    # Nulls are found per type below; text columns do without (isna over strings is slow).
    is_text = t.is_object_dtype(dtype) or t.is_string_dtype(dtype)
    mask = None if is_text else series.isna().to_numpy()
    if t.is_bool_dtype(dtype):
        body = "".join("-" if m else ("1" if v else "0") for v, m in zip(series.tolist(), mask.tolist()))
        return {"type": "bool", "enc": "bool"}, body.encode("ascii")
    if t.is_integer_dtype(dtype):
        if str(dtype).lower() in ("uint64",):
            texts = [None if m else str(v) for v, m in zip(series.tolist(), mask.tolist())]
            return _string_column("decimal", texts, binary=binary)
        head, body = _int_section(series.to_numpy(dtype="int64", na_value=0), mask, binary)
        return {"type": "long", "enc": "int", **head}, body
    if t.is_float_dtype(dtype):
        # pandas uses NaN for missing values: NaN is null here; infinities are kept.
        return {"type": "real", "enc": "text"}, ",".join(
            "" if m else repr(float(v)) for v, m in zip(series.tolist(), mask.tolist())
        ).encode("ascii")
    if isinstance(dtype, pd.DatetimeTZDtype) or t.is_datetime64_dtype(dtype):
        return _datetime_column(series, mask, binary)
    if t.is_timedelta64_dtype(dtype):
        return _timedelta_column(series, mask, binary)
    if isinstance(dtype, pd.CategoricalDtype):
        cats = [str(c) for c in dtype.categories.tolist()]
        codes = series.cat.codes.to_numpy()
        if binary:
            head, body = _codes_section(codes, len(cats))
            entries = _lengths_and_bytes([_utf8(c) for c in cats])
            return {"type": "string", "enc": "dict", "dict": len(cats), **head}, entries + body
        entries = _length_prefixed(_utf8(c) for c in cats)
        body = entries + "\n" + _int_array(codes, codes < 0)
        return {"type": "string", "enc": "dict", "dict": len(cats)}, body.encode("utf-8")
    kind, texts = _object_texts(series)
    if kind == "string":
        times = _iso_datetimes(series, binary)
        if times is not None:
            return times
    return _string_column(kind, texts, series if texts is None else None, binary)


# An ISO 8601 date and time at the start of a text ("2021-12-15 23:00:03.4494644+00:00").
_ISO_START = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}")
_HAS_OFFSET = re.compile(r"(Z|[+-]\d{2}:?\d{2})$")


def _iso_datetimes(series: Any, binary: bool = False) -> tuple[dict[str, Any], bytes] | None:
    """A text column whose every value is an ISO 8601 datetime, as a datetime column.

    Text columns of a DataFrame are untyped, like a CSV's: pandas leaves the times of a
    CSV or JSON export as text (MSTICPy's LocalData, `read_csv` without `parse_dates`).
    The engine infers the types of a CSV; here it is told they are strings, so the times
    are read here. Exact to the nanosecond; values without an offset stay naive (read as
    UTC, with the engine's warning). One value that does not parse keeps the column text."""
    import pandas as pd

    if not len(series):
        return None
    # The first value decides whether to look further (isna over text is slow).
    first = series.iloc[0]
    if isinstance(first, str) and not _ISO_START.match(first):
        return None
    nulls = series.isna().to_numpy()
    if nulls.all():
        return None
    first = series.iloc[int(nulls.argmin())]
    if not isinstance(first, str) or not _ISO_START.match(first):
        return None
    aware = bool(_HAS_OFFSET.search(first.strip()))
    try:
        parsed = pd.to_datetime(series, format="ISO8601", utc=aware)
    except (ValueError, TypeError, OverflowError):
        return None
    mask = parsed.isna().to_numpy()
    if (mask != nulls).any():
        return None  # a text that is not a time: the column stays text
    return _datetime_column(parsed, mask, binary)


def encode_dataframe(df: Any, name: str = "DataFrame") -> str:
    """Encodes a pandas DataFrame as huntviz compact columnar text (HVC1)."""
    return encode_frame(df, name).decode("utf-8")


# From this many rows `show` writes the binary layout (such results are always sent
# compressed); smaller ones stay readable text in the notebook.
BINARY_ROWS = 2048


def encode_frame(df: Any, name: str = "DataFrame", binary: bool = False) -> bytes:
    """A pandas DataFrame as HVC1 bytes: text, or with `binary` the binary layout
    (not UTF-8; only ever stored compressed)."""
    import pandas as pd

    frame = df
    if not isinstance(frame.index, pd.RangeIndex) or frame.index.start != 0 or frame.index.step != 1:
        frame = frame.reset_index()
    names = unique_names(" / ".join(str(p) for p in c) if isinstance(c, tuple) else str(c) for c in frame.columns)
    series = [frame.iloc[:, i] for i in range(frame.shape[1])]
    encoded = each_column(lambda s: _column(s, binary), series, parallel=binary)
    columns = [{"name": n, **header} for n, (header, _) in zip(names, encoded)]
    return assemble(int(frame.shape[0]), columns, [body for _, body in encoded], name)


def unique_names(names: Iterable[str]) -> list[str]:
    """Column names made unique in order: a repeated name gets " (2)", " (3)", …."""
    out: list[str] = []
    used: set[str] = set()
    for name in names:
        unique, k = name, 2
        while unique in used:
            unique = f"{name} ({k})"
            k += 1
        used.add(unique)
        out.append(unique)
    return out


def each_column(encode: Any, items: list[Any], parallel: bool) -> list[Any]:
    """`encode` of each column, in order; large (binary) frames on every core: Arrow's
    kernels, numpy and zlib release the GIL for most of a column's work."""
    workers = min(os.cpu_count() or 1, 8)
    if not parallel or workers < 2 or len(items) < 2:
        return [encode(item) for item in items]
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(workers) as pool:
        return list(pool.map(encode, items))


def assemble(rows: int, columns: list[dict[str, Any]], sections: list[bytes], name: str) -> bytes:
    """The HVC1 document: magic, header line, each section and its newline."""
    header = {"rows": rows, "columns": columns, "name": name}
    header_line = json.dumps(header, ensure_ascii=False, separators=(",", ":"))
    parts = [MAGIC.encode("ascii"), _utf8(header_line), b"\n"]
    for body in sections:
        parts += [body, b"\n"]
    return b"".join(parts)
