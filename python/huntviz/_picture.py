"""The picture of a view drawn in the kernel, for runs no front end draws.

papermill and `nbconvert --execute` run notebooks with no JupyterLab to draw the view
and write its picture back, so their outputs would carry only the HTML summary. Here
the kernel draws the same picture the plugin does (960 px wide, light theme, the same
size bound) with the same engine: `picture.wasm` (crates/picture: the session that
builds the view, its export SVG, resvg), run under wasmtime. The module holds no font:
a monospace font is looked up on this machine (matplotlib's DejaVu Sans Mono, which
MSTICPy installs, else the system's).

When: `huntviz.options.kernel_picture` — `"auto"` (the default) draws only when the
code runs without an interactive front end (the request cannot take input: nbclient,
which papermill and `nbconvert --execute` use, sends `allow_stdin=False`; JupyterLab,
Notebook 7 and VS Code send `True`), `True` always, `False` never.
"""

from __future__ import annotations

import atexit
import base64
import importlib.util
import os
import struct
import sys
import threading
from importlib import resources
from pathlib import Path
from typing import Any

# As the plugin's (js/fallback.ts): at most this many bytes of base64, else drawn once
# more at 3/4 scale, else no picture.
MAX_PICTURE_BYTES = 300_000
GRAPH_HEIGHT = 420.0

_FONT_NAMES = ("DejaVuSansMono.ttf", "DejaVuSansMono-Bold.ttf", "DejaVuSansMono-Oblique.ttf")
_SYSTEM_FONTS = (
    # Debian/Ubuntu (fonts-dejavu-core), Fedora, Arch.
    "/usr/share/fonts/truetype/dejavu",
    "/usr/share/fonts/dejavu-sans-mono-fonts",
    "/usr/share/fonts/TTF",
)
_OTHER_FONTS = (
    "/usr/share/fonts/truetype/liberation/LiberationMono-Regular.ttf",
    "/System/Library/Fonts/Menlo.ttc",  # macOS
    os.path.join(os.environ.get("WINDIR", r"C:\Windows"), "Fonts", "consola.ttf"),
)


class PictureUnavailable(RuntimeError):
    """No picture can be drawn here (no wasmtime, no font, no engine): said once."""


def fonts() -> list[Path]:
    """The font files pictures are drawn with (the first one's family stands in for
    every family the view names); `huntviz.options.picture_font` comes first."""
    from ._show import options

    found: list[Path] = []
    if options.picture_font:
        found.append(Path(options.picture_font))
    spec = importlib.util.find_spec("matplotlib")
    dirs = [Path(d) for d in _SYSTEM_FONTS]
    if spec is not None and spec.origin:
        dirs.insert(0, Path(spec.origin).parent / "mpl-data" / "fonts" / "ttf")
    for d in dirs:
        hits = [d / name for name in _FONT_NAMES if (d / name).is_file()]
        if hits:
            found.extend(hits)
            break
    else:
        found.extend(Path(p) for p in _OTHER_FONTS if Path(p).is_file())
    return [p for p in found if p.is_file()]


class _Engine:
    """One instance of the picture module, with its fonts loaded."""

    def __init__(self) -> None:
        try:
            import wasmtime
        except ImportError:
            raise PictureUnavailable("wasmtime is not installed (pip install wasmtime)") from None
        font_files = fonts()
        if not font_files:
            raise PictureUnavailable(
                "no monospace font was found (install matplotlib or DejaVu Sans Mono, "
                "or set huntviz.options.picture_font)"
            )
        try:
            module_bytes = resources.files("huntviz").joinpath("picture.wasm").read_bytes()
        except FileNotFoundError:
            raise PictureUnavailable(
                "this huntviz has no picture engine (a source checkout never built: npm run build)"
            ) from None
        config = wasmtime.Config()
        config.cache = True  # the compiled module is kept on disk between kernels
        self._engine = wasmtime.Engine(config)
        self._wasmtime = wasmtime
        self._store = wasmtime.Store(self._engine)
        self._module = wasmtime.Module(self._engine, module_bytes)
        instance = wasmtime.Instance(self._store, self._module, [])
        self._exports = instance.exports(self._store)
        self._memory = self._exports["memory"]
        for path in font_files:
            self._put(path.read_bytes())
            self._call("hv_add_font")

    def close(self) -> None:
        """Frees the instance now (wasmtime's finalizers fail at interpreter exit)."""
        for handle in (self._store, self._module, self._engine):
            handle.close()

    def _call(self, name: str, *args: Any) -> Any:
        return self._exports[name](self._store, *args)

    def _put(self, data: bytes) -> None:
        ptr = self._call("hv_buffer", len(data))
        if data:
            self._memory.write(self._store, data, ptr)

    def _answer(self) -> bytes:
        ptr, length = self._call("hv_out_ptr"), self._call("hv_out_len")
        return bytes(self._memory.read(self._store, ptr, ptr + length))

    def draw(self, data: bytes, spec: bytes, datasets: list[tuple[str, str, bytes]], graph_height: float) -> Any:
        """(base64 png, width, height) of the view, the png None when over the size
        bound; a ValueError with the engine's message when it cannot be drawn."""
        try:
            self._put(spec + data)
            if self._call("hv_open", len(spec)) != 0:
                raise ValueError(self._answer().decode("utf-8", "replace"))
            for name, kind, text in datasets:
                raw_name = name.encode("utf-8")
                self._put(raw_name + text)
                if self._call("hv_add_dataset", len(raw_name), 1 if kind == "alerts" else 0) != 0:
                    raise ValueError(self._answer().decode("utf-8", "replace"))
            for scale in (1.0, 0.75):
                if self._call("hv_picture", scale, graph_height) != 0:
                    raise ValueError(self._answer().decode("utf-8", "replace"))
                out = self._answer()
                width, height = struct.unpack_from("<II", out)
                png = base64.b64encode(out[8:]).decode("ascii")
                if len(png) <= MAX_PICTURE_BYTES:
                    return png, width, height
            return None, 0, 0
        finally:
            self._call("hv_close")


_engine: _Engine | None = None
_unavailable: str | None = None
_lock = threading.Lock()


@atexit.register
def close() -> None:
    """Frees the picture engine (at exit, and when a trap left it unusable)."""
    global _engine
    if _engine is not None:
        engine, _engine = _engine, None
        engine.close()


def _get_engine() -> _Engine:
    global _engine, _unavailable
    if _unavailable is not None:
        raise PictureUnavailable(_unavailable)
    if _engine is None:
        try:
            _engine = _Engine()
        except PictureUnavailable as e:
            _unavailable = str(e)
            raise
    return _engine


def draw(view: Any) -> tuple[str, int, int] | None:
    """The view's picture as (base64 PNG, width, height), or None when it is over the
    size bound. Raises PictureUnavailable or ValueError (the result cannot be drawn)."""
    import json

    from ._show import _utf8

    height = view.options.get("height")
    graph_height = float(min(max(height, 80), 4000)) if isinstance(height, (int, float)) else GRAPH_HEIGHT
    spec = json.dumps({"view": view.view, "options": view.options}, ensure_ascii=False).encode("utf-8")
    datasets = [(n, k, _utf8(t)) for n, k, t in view.datasets]
    with _lock:
        engine = _get_engine()
        try:
            data = view.data if isinstance(view.data, bytes) else _utf8(view.data)
            png, width, h = engine.draw(data, spec, datasets, graph_height)
        except engine._wasmtime.Trap as trap:
            # A trap leaves the instance unusable: the next picture starts a new one.
            close()
            raise ValueError(f"huntviz stopped while drawing this view: {trap}") from None
    return None if png is None else (png, width, h)


def headless() -> bool:
    """Whether the running cell came from a client with no interactive front end
    (the execute request cannot take input)."""
    ipython = sys.modules.get("IPython")
    get = getattr(ipython, "get_ipython", None)
    shell = get() if get else None
    kernel = getattr(shell, "kernel", None)
    if kernel is None:
        return False  # plain Python or a terminal IPython: no notebook output at all
    try:
        parent = kernel.get_parent()
    except Exception:
        return False
    content = parent.get("content") if isinstance(parent, dict) else None
    return isinstance(content, dict) and content.get("allow_stdin") is False


_said: set[str] = set()


def say_once(message: str) -> None:
    """Tells the user why a picture is missing, once per reason (on stderr, which the
    run's notebook keeps)."""
    if message not in _said:
        _said.add(message)
        print(message, file=sys.stderr)


def wanted() -> bool:
    """Whether this output gets its picture from the kernel."""
    from ._show import options

    mode = options.kernel_picture
    if mode == "auto":
        return headless()
    return bool(mode)
