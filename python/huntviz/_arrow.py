"""Arrow tables (pyarrow, and polars through `to_arrow()`) as huntviz columnar text.

Read through Arrow's own columns, never through pandas: Arrow keeps what pandas loses
(a null apart from NaN, nanosecond times outside 1677–2262 in their own unit, unsigned
64-bit integers, decimals), and its compute kernels do the per-column work.
"""

from __future__ import annotations

import json
from typing import Any

from ._columnar import (
    DICT_MAX_DISTINCT_SHARE,
    PLAIN_SAMPLE,
    PLAIN_SAMPLE_DISTINCT_SHARE,
    _arrow_binary_strings,
    _codes_section,
    _int_array,
    _int_section,
    _length_prefixed,
    _time_section,
    _time_unit,
    _utf8,
    assemble,
    each_column,
    unique_names,
)

_NS = {"s": 10**9, "ms": 10**6, "us": 10**3, "ns": 1}


def _mask(col: Any) -> Any:
    import numpy as np
    import pyarrow.compute as pc

    return np.asarray(pc.is_null(col).to_numpy(zero_copy_only=False), dtype=bool)


def _ints(col: Any) -> Any:
    import pyarrow as pa
    import pyarrow.compute as pc

    return pc.fill_null(col.cast(pa.int64()), 0).to_numpy(zero_copy_only=False)


def _string_column(kind: str, col: Any, binary: bool) -> tuple[dict[str, Any], bytes]:
    """Text values, dictionary-encoded by Arrow while they repeat."""
    import pyarrow as pa
    import pyarrow.compute as pc

    n = len(col)
    if pa.types.is_dictionary(col.type):
        dictionary = col.dictionary if isinstance(col, pa.DictionaryArray) else None
        if dictionary is not None:
            if not pa.types.is_string(dictionary.type) and not pa.types.is_large_string(dictionary.type):
                dictionary = pa.array([str(e) for e in dictionary.to_pylist()], type=pa.large_string())
            return _dict_section(kind, dictionary, col.indices, binary)
        col = col.cast(col.type.value_type)
    head = col.slice(0, PLAIN_SAMPLE)
    plain = n > 2 * PLAIN_SAMPLE and len(pc.unique(head)) > PLAIN_SAMPLE_DISTINCT_SHARE * PLAIN_SAMPLE
    if not plain and n:
        encoded = pc.dictionary_encode(col)
        if len(encoded.dictionary) <= max(1, DICT_MAX_DISTINCT_SHARE * n):
            return _dict_section(kind, encoded.dictionary, encoded.indices, binary)
    if binary:
        return {"type": kind, "enc": "plain", "width": 4}, _arrow_binary_strings(col)
    body = _length_prefixed(None if t is None else _utf8(t) for t in col.to_pylist())
    return {"type": kind, "enc": "plain"}, body.encode("utf-8")


def _dict_section(kind: str, entries: Any, indices: Any, binary: bool) -> tuple[dict[str, Any], bytes]:
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    # Arrow's own integer codes (no copy without nulls); a null is -1.
    if indices.null_count and not pa.types.is_signed_integer(indices.type):
        indices = indices.cast(pa.int64())
    codes = (indices if indices.null_count == 0 else pc.fill_null(indices, -1)).to_numpy(zero_copy_only=False)
    head = {"type": kind, "enc": "dict", "dict": len(entries)}
    if binary:
        codes_head, body = _codes_section(codes, len(entries))
        return {**head, **codes_head}, _arrow_binary_strings(entries) + body
    codes = np.asarray(codes, dtype=np.int64)
    text = _length_prefixed(_utf8(str(e)) for e in entries.to_pylist()) + "\n" + _int_array(codes, codes < 0)
    return head, text.encode("utf-8")


def _json_texts(col: Any) -> list[str | None]:
    from ._show import _finite_json

    return [
        None if v is None else json.dumps(_finite_json(v), ensure_ascii=False, separators=(",", ":"), default=str)
        for v in col.to_pylist()
    ]


def _column(col: Any, binary: bool) -> tuple[dict[str, Any], bytes]:
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    t = col.type
    if pa.types.is_dictionary(t):
        return _string_column("string", col, binary)
    if pa.types.is_null(t):
        if binary:
            return {"type": "string", "enc": "plain", "width": 4}, b"\xff\xff\xff\xff" * len(col)
        return {"type": "string", "enc": "plain"}, b"-" * len(col)
    if pa.types.is_boolean(t):
        mask = _mask(col)
        values = pc.fill_null(col, False).to_numpy(zero_copy_only=False)
        chars = np.where(mask, ord("-"), np.where(values, ord("1"), ord("0"))).astype(np.uint8)
        return {"type": "bool", "enc": "bool"}, chars.tobytes()
    if pa.types.is_integer(t):
        if t == pa.uint64():
            texts = pc.cast(col, pa.string()).to_pylist()
            return _string_from_texts("decimal", texts, binary)
        head, body = _int_section(_ints(col), _mask(col), binary)
        return {"type": "long", "enc": "int", **head}, body
    if pa.types.is_floating(t):
        mask = _mask(col)
        values = pc.fill_null(col.cast(pa.float64()), 0.0).to_numpy(zero_copy_only=False)
        # Arrow tells a null from NaN: NaN stays a value (written as Kusto writes it).
        return {"type": "real", "enc": "text"}, ",".join(
            "" if m else ("NaN" if v != v else repr(float(v))) for v, m in zip(values.tolist(), mask.tolist())
        ).encode("ascii")
    if pa.types.is_timestamp(t) or pa.types.is_date(t):
        if pa.types.is_date(t):
            col, unit, tz = col.cast(pa.timestamp("s")), "s", "UTC"
        else:
            unit, tz = t.unit, t.tz
        mask = _mask(col)
        raw = _ints(col)
        unit_name, factor = _time_unit(raw[~mask], _NS[unit])
        section, body = _time_section(raw, mask, factor, binary)
        header: dict[str, Any] = {"type": "datetime", **section, "unit": unit_name}
        if tz is None:
            header["naive"] = True
        return header, body
    if pa.types.is_duration(t) or pa.types.is_time(t):
        mask = _mask(col)
        raw = _ints(col)
        unit_name, factor = _time_unit(raw[~mask], _NS[t.unit])
        head, body = _int_section(raw // factor, mask, binary)
        return {"type": "timespan", "enc": "int", "unit": unit_name, **head}, body
    if pa.types.is_decimal(t):
        # Plain notation without the type's padding zeros (`1.1`, not `1.100…` or `1E-18`).
        texts = [None if d is None else _decimal_text(d) for d in col.to_pylist()]
        return _string_from_texts("decimal", texts, binary)
    if pa.types.is_string(t) or pa.types.is_large_string(t) or getattr(pa.types, "is_string_view", bool)(t):
        return _string_column("string", col, binary)
    if pa.types.is_fixed_size_binary(t) and t.byte_width == 16 or str(t) in ("extension<arrow.uuid>", "uuid"):
        import uuid

        storage = col.storage if hasattr(col, "storage") else col
        texts = [None if b is None else str(uuid.UUID(bytes=b)) for b in storage.to_pylist()]
        return _string_from_texts("guid", texts, binary)
    if pa.types.is_binary(t) or pa.types.is_large_binary(t) or pa.types.is_fixed_size_binary(t):
        return _string_from_texts("string", [None if b is None else b.hex() for b in col.to_pylist()], binary)
    # Lists, structs, maps, unions: JSON, as Kusto's dynamic.
    return _string_from_texts("dynamic", _json_texts(col), binary)


def _decimal_text(d: Any) -> str:
    text = format(d.normalize(), "f")
    return "0" if text in ("-0", "0") else text


def _string_from_texts(kind: str, texts: list[str | None], binary: bool) -> tuple[dict[str, Any], bytes]:
    import pyarrow as pa

    return _string_column(kind, pa.array(texts, type=pa.string()), binary)


def encode_arrow(table: Any, name: str = "Arrow table", binary: bool = False) -> bytes:
    """Encodes a pyarrow Table or RecordBatch as HVC1 bytes: text, or with `binary`
    the binary layout (not UTF-8; only ever stored compressed)."""
    import pyarrow as pa

    if isinstance(table, pa.RecordBatch):
        table = pa.Table.from_batches([table])
    names = unique_names(str(field.name) for field in table.schema)

    def encode(i: int) -> tuple[dict[str, Any], bytes]:
        chunked = table.column(i)
        return _column(chunked.combine_chunks() if chunked.num_chunks != 1 else chunked.chunk(0), binary)

    encoded = each_column(encode, list(range(table.num_columns)), parallel=binary)
    columns = [{"name": n, **header} for n, (header, _) in zip(names, encoded)]
    return assemble(int(table.num_rows), columns, [body for _, body in encoded], name)
