"""The kernel's share of `huntviz.show` next to pyarrow's, in one process (issue 15).

Usage: python bench/show_vs_arrow.py RESPONSE.json [--repeats 3]

Loads a generated response (`huntviz-gen N --mde`: 39-column DeviceProcessEvents) as
a DataFrame (bench/la_frame.py), in the two shapes hunters' frames come in: text
columns as pandas 3 holds them with pyarrow installed (Arrow-backed `str`) and as
object columns (pandas 2, MSTICPy's environment). For each, times:

- pyarrow: `pa.Table.from_pandas(df)` + an lz4-compressed IPC file write;
- huntviz: `huntviz.show(df, view="process-tree")` and its MIME bundle (what the
  kernel does before the output leaves it), split into encode and compress.

Prints one line per repetition and the medians as JSON.
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import huntviz  # noqa: E402
import la_frame  # noqa: E402
import pyarrow as pa  # noqa: E402
import pyarrow.ipc as ipc  # noqa: E402
from huntviz._show import read_payload  # noqa: E402


def arrow_ipc(df) -> int:
    table = pa.Table.from_pandas(df)
    sink = pa.BufferOutputStream()
    with ipc.new_file(sink, table.schema, options=ipc.IpcWriteOptions(compression="lz4")) as writer:
        writer.write_table(table)
    return sink.getvalue().size


def main() -> None:
    source = sys.argv[1]
    repeats = int(sys.argv[sys.argv.index("--repeats") + 1]) if "--repeats" in sys.argv else 3
    frame = la_frame.load(source)
    objects = frame.copy()
    for name in objects.columns:
        if objects[name].dtype == "str" or str(objects[name].dtype).startswith("string"):
            objects[name] = objects[name].astype(object)
    results = {}
    for shape, df in (("arrow-backed text", frame), ("object text", objects)):
        runs = []
        for _ in range(repeats):
            started = time.perf_counter()
            ipc_bytes = arrow_ipc(df)
            arrow_s = time.perf_counter() - started
            started = time.perf_counter()
            view = huntviz.show(df, view="process-tree", fallback="none")
            bundle = view._repr_mimebundle_()
            show_s = time.perf_counter() - started
            payload = read_payload(bundle[huntviz.MIME_TYPE])
            run = {
                "pyarrow_s": arrow_s,
                "pyarrow_ipc_mb": ipc_bytes / 1e6,
                "show_s": show_s,
                "encode_s": view._timings["encode_s"],
                "compress_s": view._timings.get("compress_s", 0.0),
                "payload_mb": len(payload["data"]) / 1e6,
                "ratio": show_s / arrow_s,
            }
            runs.append(run)
            print(shape, json.dumps({k: round(v, 3) for k, v in run.items()}), flush=True)
        results[shape] = {k: statistics.median(r[k] for r in runs) for k in runs[0]}
    print(json.dumps({"rows": len(frame), "columns": frame.shape[1], "medians": results}, indent=1))


if __name__ == "__main__":
    main()
