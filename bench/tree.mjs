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
import { mb, ms, runPeerBenchmark, s } from './peer.mjs';

const {
  rows,
  chromium: version,
  repeats,
  steps
} = await runPeerBenchmark({ view: 'tree', pageFn: 'runTree', label: 'plot_process_tree' });

console.log(`\nChromium ${version}; median of ${repeats} loads; frames: ${steps} each\n`);
console.log(
  '| events | huntviz kernel (`show`) | huntviz saved notebook | huntviz payload → first paint | MSTICPy kernel (`plot_process_tree` + save) | MSTICPy saved page | MSTICPy page → idle |'
);
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
console.log(
  '\n| events | status | scroll p95 (folded) | expand all | scroll p95 (all expanded) | fold p95 | unfold p95 | search | wasm memory |'
);
console.log('|---:|---|---:|---:|---:|---:|---:|---:|---:|');
for (const r of rows) {
  const b = r.browser;
  console.log(
    `| ${r.rows.toLocaleString('en-US')} | ${b.status} | ${ms(b.scrollFolded.p95)} | ${ms(b.expandAllMs)} | ${ms(b.scrollExpanded.p95)} | ` +
      `${ms(b.fold.p95)} | ${ms(b.unfold.p95)} | ${ms(b.searchMs)} (${b.searchMatches.toLocaleString('en-US')}) | ${mb(b.wasmMemoryBytes)} |`
  );
}
