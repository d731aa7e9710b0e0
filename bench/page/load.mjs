// Shared by the view benchmark pages: a saved MIME payload to the first painted frame
// the way the notebook does it (lib/payload.js, lib/inflate.js, the wasm engine),
// `repeats` times, keeping the last viewer for the frame measurements.
import { encodeText } from '/lib/encode.js';
import { inflateToWasm } from '/lib/inflate.js';
import { readPayload } from '/lib/payload.js';
import init, { Input, Viewer } from '/pkg/huntviz_wasm.js';
import { gc, nextPaint, quantile } from './frame.mjs';

export const THEME = JSON.stringify({ dark: false, font_size: 12, char_width: 7.2 });
export const WIDTH = 1200;
export const HEIGHT = 600;

/** Loads `/data/<file>` and times payload → first paint. Returns {exports, viewer, result}. */
export async function firstPaints(file, repeats) {
  const exports = await init();
  const canvas = document.getElementById('view');
  const bundleText = await (await fetch(`/data/${file}`)).text();
  const firstPaint = [];
  const unpack = [];
  const build = [];
  const parse = [];
  let viewer = null;
  for (let i = 0; i < repeats; i++) {
    viewer?.free();
    viewer = null;
    await gc();
    const t0 = performance.now();
    // What JupyterLab hands the renderer: the output's JSON, parsed.
    const payload = readPayload(JSON.parse(bundleText));
    const input = payload.packed
      ? await inflateToWasm(exports.memory, len => new Input(len), payload.packed.base64, payload.packed.size)
      : encodeText(exports.memory, len => new Input(len), payload.text);
    const t1 = performance.now();
    viewer = new Viewer(canvas, input, payload.spec, THEME);
    const t2 = performance.now();
    viewer.set_viewport(WIDTH, HEIGHT, 1);
    viewer.render();
    await nextPaint();
    firstPaint.push(performance.now() - t0);
    unpack.push(t1 - t0);
    build.push(t2 - t1);
    parse.push(viewer.parse_ms());
  }
  const result = {
    file,
    status: viewer.status(),
    view: viewer.view(),
    firstPaintMs: firstPaint,
    unpackMs: unpack,
    buildMs: build,
    parseMs: parse,
    medianFirstPaintMs: quantile(firstPaint, 0.5),
    medianUnpackMs: quantile(unpack, 0.5),
    medianBuildMs: quantile(build, 0.5),
    medianParseMs: quantile(parse, 0.5),
    wasmMemoryBytes: exports.memory.buffer.byteLength
  };
  return { exports, viewer, result };
}
