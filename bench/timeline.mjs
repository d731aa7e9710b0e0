// Timeline: huntviz versus MSTICPy's display_timeline on the same generated
// DeviceProcessEvents, in the same headless Chromium, in one run. Usage:
//   node bench/timeline.mjs [--sizes 100000,1000000] [--repeats 3] [--steps 200]
//                           [--msticpy-sizes 100000,1000000] [--msticpy-timeout 900]
// For each size: bench/gen writes the response; bench/timeline_huntviz.py turns it into
// a DataFrame (the columns MSTICPy shows) and a saved huntviz output;
// bench/timeline_msticpy.py plots the same DataFrame with display_timeline and saves
// the Bokeh page. Chromium then times payload → first paint (huntviz) and page load →
// Bokeh document idle (MSTICPy), and huntviz's zoom, pan and overview frames. Writes
// bench/results/timeline.json and prints Markdown tables.
import { mb, ms, runPeerBenchmark, s } from './peer.mjs';

const {
  rows,
  chromium: version,
  repeats,
  steps
} = await runPeerBenchmark({ view: 'timeline', pageFn: 'runTimeline', label: 'display_timeline' });

console.log(`\nChromium ${version}; median of ${repeats} loads; frames: ${steps} each\n`);
console.log(
  '| events | huntviz kernel (`show`) | huntviz saved notebook | huntviz payload → first paint | MSTICPy kernel (`display_timeline` + save) | MSTICPy saved page | MSTICPy page → idle | saved size ratio |'
);
console.log('|---:|---:|---:|---:|---:|---:|---:|---:|');
for (const r of rows) {
  const m = r.msticpy;
  const mp = !m
    ? '| not run | | | |'
    : m.failed
      ? `| ${m.failed} | – | – | – |`
      : `| ${s(m.plot_s + m.html_s)} | ${mb(m.html_bytes)} | ${m.medianRenderMs ? ms(m.medianRenderMs) : m.renderFailed} | ` +
        `${(r.huntviz.notebook_bytes / m.html_bytes).toFixed(2)}× |`;
  console.log(
    `| ${r.rows.toLocaleString('en-US')} | ${s(r.huntviz.show_s)} | ${mb(r.huntviz.notebook_bytes)} | ${ms(r.browser.medianFirstPaintMs)} ` +
      `(unpack ${ms(r.browser.medianUnpackMs)}, parse ${ms(r.browser.medianParseMs)}, parse + timeline ${ms(r.browser.medianBuildMs)}) ${mp}`
  );
}
console.log(
  '\n| events | status | zoom p95 | pan p95 | overview drag p95 | hover p95 | search | hide a series | wasm memory |'
);
console.log('|---:|---|---:|---:|---:|---:|---:|---:|---:|');
for (const r of rows) {
  const b = r.browser;
  console.log(
    `| ${r.rows.toLocaleString('en-US')} | ${b.status} | ${ms(b.zoom.p95)} | ${ms(b.pan.p95)} | ${ms(b.overview.p95)} | ` +
      `${ms(b.hover.p95)} | ${ms(b.searchMs)} (${b.searchMatches.toLocaleString('en-US')}) | ${ms(b.toggleMs)} | ${mb(b.wasmMemoryBytes)} |`
  );
}
