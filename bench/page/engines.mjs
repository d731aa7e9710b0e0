// The same engine as WebAssembly and as JavaScript (scripts/build-js-engine.sh): a
// Log Analytics response's text → the process tree built and painted, `repeats` times.
import { encodeText } from '/lib/encode.js';
import { nextPaint, quantile } from './frame.mjs';

const THEME = JSON.stringify({ dark: false, font_size: 12, char_width: 7.2 });

window.runEngine = async (kind, file, repeats) => {
  let api;
  if (kind === 'wasm') {
    const glue = await import('/pkg/huntviz_wasm.js');
    await glue.default();
    api = glue;
  } else {
    api = await import('/lib/pkg-js/index.js');
  }
  const text = await (await fetch(`/data/${file}`)).text();
  const canvas = document.getElementById('view');
  const spec = JSON.stringify({ view: 'process-tree', options: {}, notes: [] });
  const times = [];
  let status = '';
  for (let i = 0; i < repeats; i++) {
    const t0 = performance.now();
    const input = encodeText(api.engine_memory(), len => new api.Input(len), text);
    const viewer = new api.Viewer(canvas, input, spec, THEME);
    viewer.set_viewport(1200, 600, 1);
    viewer.render();
    await nextPaint();
    times.push(performance.now() - t0);
    status = viewer.status();
    viewer.free();
  }
  return { kind, file, status, firstPaintMs: times, medianFirstPaintMs: quantile(times, 0.5) };
};
