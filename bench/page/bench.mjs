// The benchmark page: the same engine the notebook loads (js/pkg), fed a generated
// Log Analytics response, next to Chromium's own JSON.parse of the same text.
import { encodeText } from '/lib/encode.js';
import init, { Input, Viewer } from '/pkg/huntviz_wasm.js';
import initSerde, { SerdeInput } from './serde-peer/huntviz_serde_peer.js';
import { gc, nextPaint, quantile } from './frame.mjs';

const median = values => quantile(values, 0.5);

const THEME = JSON.stringify({ dark: false, font_size: 12, char_width: 7.2 });
const SPEC = JSON.stringify({ view: 'table', options: {}, notes: [] });

window.runBench = async ({ file, repeats }) => {
  const exports = await init();
  const serdeExports = await initSerde();
  const canvas = document.getElementById('grid');
  const text = await (await fetch(`/data/${file}`)).text();
  const payloadBytes = new TextEncoder().encode(text).length;
  const jsonParse = [];
  const firstPaint = [];
  const encode = [];
  const parse = [];
  const serde = [];
  let serdeMemory = 0;
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
    // The peer: serde_json into typed structs, same bytes, its own wasm memory.
    await gc();
    const serdeInput = new SerdeInput(payloadBytes);
    new TextEncoder().encodeInto(text, new Uint8Array(serdeExports.memory.buffer, serdeInput.ptr(), payloadBytes));
    t0 = performance.now();
    const serdeRows = serdeInput.parse();
    serde.push(performance.now() - t0);
    if (serdeRows !== Number(file.split('_')[1])) {
      throw new Error(`serde read ${serdeRows} rows`);
    }
    if (i === 0) {
      serdeMemory = serdeExports.memory.buffer.byteLength;
    }
    serdeInput.free();
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
    serdeParseMs: serde,
    medianJsonParseMs: median(jsonParse),
    medianFirstPaintMs: median(firstPaint),
    medianParseMs: median(parse),
    medianSerdeParseMs: median(serde),
    serdeMemoryBytes: serdeMemory,
    wasmMemoryBytes: memoryAfterFirstParse,
    wasmMemorySteps: memorySteps
  };
};
