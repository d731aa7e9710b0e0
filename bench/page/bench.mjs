// The benchmark page: the same engine the notebook loads (js/pkg), fed a generated
// Log Analytics response, next to Chromium's own JSON.parse of the same text.
import { encodeText } from '/lib/encode.js';
import init, { Input, Viewer } from '/pkg/huntviz_wasm.js';
import { gc, nextPaint, quantile } from './frame.mjs';

const median = values => quantile(values, 0.5);

const THEME = JSON.stringify({ dark: false, font_size: 12, char_width: 7.2 });
const SPEC = JSON.stringify({ view: 'table', options: {}, notes: [] });

window.runBench = async ({ file, repeats }) => {
  const exports = await init();
  const canvas = document.getElementById('grid');
  const text = await (await fetch(`/data/${file}`)).text();
  const payloadBytes = new TextEncoder().encode(text).length;
  const jsonParse = [];
  const firstPaint = [];
  const encode = [];
  const parse = [];
  let memoryAfterFirstParse = 0;
  let memorySteps = [];
  let status = '';
  for (let i = 0; i < repeats; i++) {
    await gc();
    let t0 = performance.now();
    const parsed = JSON.parse(text);
    jsonParse.push(performance.now() - t0);
    if (!parsed.tables) {
      throw new Error('unexpected payload');
    }
    await gc();
    t0 = performance.now();
    const memoryBefore = exports.memory.buffer.byteLength;
    const input = encodeText(exports.memory, len => new Input(len), text);
    const t1 = performance.now();
    const memoryWithInput = exports.memory.buffer.byteLength;
    const viewer = new Viewer(canvas, input, SPEC, THEME);
    viewer.set_viewport(1200, 600, 1);
    viewer.render();
    await nextPaint();
    firstPaint.push(performance.now() - t0);
    encode.push(t1 - t0);
    parse.push(viewer.parse_ms());
    if (i === 0) {
      memoryAfterFirstParse = exports.memory.buffer.byteLength;
      memorySteps = [memoryBefore, memoryWithInput, memoryAfterFirstParse];
      status = viewer.status();
    }
    viewer.free();
  }
  return {
    file,
    payloadBytes,
    status,
    repeats,
    jsonParseMs: jsonParse,
    firstPaintMs: firstPaint,
    encodeMs: encode,
    parseMs: parse,
    medianJsonParseMs: median(jsonParse),
    medianFirstPaintMs: median(firstPaint),
    medianParseMs: median(parse),
    wasmMemoryBytes: memoryAfterFirstParse,
    wasmMemorySteps: memorySteps
  };
};
