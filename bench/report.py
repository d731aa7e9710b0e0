"""One-file report sizes: huntviz's (huntviz.save from the DataFrame and from the raw
response, `huntviz html` from the file) next to MSTICPy's Bokeh process tree saved with
`file_html(..., INLINE)` — the same 100k generated DeviceProcessEvents, in one run.

Usage: python bench/report.py [ROWS]    (make bench-report; MSTICPy needs
bench/.venv-msticpy from bench/setup-msticpy.sh, else its column says why it is missing)
Prints one JSON object of figures.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT / "python"))
import huntviz  # noqa: E402
import la_frame  # noqa: E402


def main() -> None:
    rows = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    out: dict[str, object] = {"rows": rows}
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "events.json"
        subprocess.run([str(ROOT / "target/release/huntviz-gen"), str(rows), "--full", "-o", str(source)], check=True)
        out["response_bytes"] = source.stat().st_size
        df = la_frame.load(source)
        out["columns"] = df.shape[1]
        for name, obj in (("dataframe", df), ("raw_text", source.read_text(encoding="utf-8"))):
            path = Path(tmp) / f"{name}.html"
            t0 = time.perf_counter()
            huntviz.save(huntviz.show(obj, view="process-tree"), path)
            out[f"huntviz_{name}"] = {"bytes": path.stat().st_size, "save_s": round(time.perf_counter() - t0, 2)}
        path = Path(tmp) / "cli.html"
        t0 = time.perf_counter()
        cli = [str(ROOT / "target/release/huntviz"), "html", str(source), "--view", "process-tree", "-o", str(path)]
        subprocess.run(cli, check=True, capture_output=True)
        out["huntviz_cli"] = {"bytes": path.stat().st_size, "save_s": round(time.perf_counter() - t0, 2)}
        peer = ROOT / "bench/.venv-msticpy/bin/python"
        if peer.exists():
            page = Path(tmp) / "msticpy.html"
            run = subprocess.run(
                [str(peer), str(ROOT / "bench/tree_msticpy.py"), str(source), str(page)],
                check=True,
                capture_output=True,
                text=True,
            )
            figures = json.loads(run.stdout.strip().splitlines()[-1])
            out["msticpy_file_html"] = {"bytes": figures["html_bytes"], "plot_s": round(figures["plot_s"], 2)}
        else:
            out["msticpy_file_html"] = "bench/.venv-msticpy missing: run bench/setup-msticpy.sh"
    print(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()
