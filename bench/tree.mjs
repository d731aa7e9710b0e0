// Process tree: huntviz versus MSTICPy on the same generated DeviceProcessEvents, in
// the same headless Chromium, in one run. Usage:
//   node bench/tree.mjs [--sizes 100000,1000000] [--repeats 3] [--steps 200]
//                       [--msticpy-sizes 100000,1000000] [--msticpy-timeout 900]
// For each size: bench/gen writes the response (with the columns MSTICPy's MDE builder
// needs); bench/tree_huntviz.py turns it into a DataFrame and a saved huntviz output;
// bench/tree_msticpy.py plots the same DataFrame with MSTICPy and saves the Bokeh page.
// Chromium then times payload → first paint (huntviz) and page load → Bokeh document
// idle (MSTICPy), and huntviz's scroll and fold frames. Writes
// bench/results/tree.json and prints Markdown tables.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { arg, root } from './common.mjs';
import { runPeerBenchmark } from './peer.mjs';

const sizes = arg('sizes', '100000,1000000').split(',').map(Number);
const msticpySizes = arg('msticpy-sizes', arg('sizes', '100000,1000000')).split(',').filter(Boolean).map(Number);
const repeats = Number(arg('repeats', '3'));
const steps = Number(arg('steps', '200'));
const msticpyTimeout = Number(arg('msticpy-timeout', '900'));
const seed = arg('seed', '42');

const { rows, chromium: version } = await runPeerBenchmark({
  view: 'tree',
  pageFn: 'runTree',
  label: 'plot_process_tree',
  sizes,
  msticpySizes,
  repeats,
  steps,
  timeoutS: msticpyTimeout,
  seed
});

writeFileSync(
  join(root, 'bench/results/tree.json'),
  JSON.stringify({ date: new Date().toISOString(), chromium: version, seed, repeats, steps, rows }, null, 2)
);

const mb = b => `${(b / 1e6).toFixed(1)} MB`;
const s = x => `${x.toFixed(2)} s`;
const ms = x => `${x.toFixed(x < 10 ? 1 : 0)} ms`;
console.log(`\nChromium ${version}; median of ${repeats} loads; frames: ${steps} each\n`);
console.log('| events | huntviz kernel (`show`) | huntviz saved notebook | huntviz payload → first paint | MSTICPy kernel (`plot_process_tree` + save) | MSTICPy saved page | MSTICPy page → idle |');
console.log('|---:|---:|---:|---:|---:|---:|---:|');
for (const r of rows) {
  const m = r.msticpy;
  const mp = !m
    ? '| not run | | |'
    : m.failed
      ? `| ${m.failed} | – | – |`
      : `| ${s(m.plot_s + m.html_s)} | ${mb(m.html_bytes)} | ${m.medianRenderMs ? ms(m.medianRenderMs) : m.renderFailed} |`;
  console.log(
    `| ${r.rows.toLocaleString('en-US')} | ${s(r.huntviz.show_s)} | ${mb(r.huntviz.notebook_bytes)} | ${ms(r.browser.medianFirstPaintMs)} ` +
      `(unpack ${ms(r.browser.medianUnpackMs)}, parse + tree ${ms(r.browser.medianBuildMs)}) ${mp}`
  );
}
console.log('\n| events | status | scroll p95 (folded) | expand all | scroll p95 (all expanded) | fold p95 | unfold p95 | search | wasm memory |');
console.log('|---:|---|---:|---:|---:|---:|---:|---:|---:|');
for (const r of rows) {
  const b = r.browser;
  console.log(
    `| ${r.rows.toLocaleString('en-US')} | ${b.status} | ${ms(b.scrollFolded.p95)} | ${ms(b.expandAllMs)} | ${ms(b.scrollExpanded.p95)} | ` +
      `${ms(b.fold.p95)} | ${ms(b.unfold.p95)} | ${ms(b.searchMs)} (${b.searchMatches.toLocaleString('en-US')}) | ${mb(b.wasmMemoryBytes)} |`
  );
}
