// Loaded by csp.spec.ts from a page whose Content-Security-Policy is `script-src 'self'`
// (no 'wasm-unsafe-eval', no 'unsafe-eval'): WebAssembly is refused, and the engine as
// JavaScript reads and draws a result with no eval of its own.
import init from '/lib/pkg/huntviz_wasm.js';

const result = {};
try {
  await init();
  result.wasm = 'ok';
} catch (error) {
  result.wasm = `${error.constructor.name}: ${error.message}`;
}
try {
  const js = await import('/lib/pkg-js/index.js');
  const text = 'Host,Account\nwks-01,alice\nwks-02,bob\n';
  const input = new js.Input(text.length);
  new TextEncoder().encodeInto(text, new Uint8Array(js.engine_memory().buffer, input.ptr(), input.len()));
  const spec = JSON.stringify({ view: 'table', options: {}, notes: [] });
  const viewer = new js.Viewer(document.querySelector('canvas'), input, spec, '{}');
  viewer.set_viewport(600, 200, 1);
  viewer.render();
  result.status = viewer.status();
  result.cell = viewer.visible_text().rows[0].cells[1];
} catch (error) {
  result.error = String(error);
}
window.__result = result;
