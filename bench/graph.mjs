// Entity graph: huntviz's layout versus graphology-layout-forceatlas2 on the same
// generated graph in the same headless Chromium page, plus huntviz's pan, zoom and
// drag frames. Usage:
//   node bench/graph.mjs [--nodes 10000] [--edges 50000] [--steps 200] [--seed 42]
// Bundles graphology + ForceAtlas2 for the page with webpack (bench/data/fa2.bundle.js),
// writes bench/results/graph.json and prints a Markdown table.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import webpack from 'webpack';
import { arg, launchChromium, root, serve } from './common.mjs';

const nodes = Number(arg('nodes', '10000'));
const edges = Number(arg('edges', '50000'));
const steps = Number(arg('steps', '200'));
const seed = Number(arg('seed', '42'));

mkdirSync(join(root, 'bench/data'), { recursive: true });
mkdirSync(join(root, 'bench/results'), { recursive: true });
await new Promise((resolve, reject) =>
  webpack({
    mode: 'production',
    entry: join(root, 'bench/page/fa2-entry.cjs'),
    output: { path: join(root, 'bench/data'), filename: 'fa2.bundle.js', library: { name: 'FA2', type: 'window' } }
  }).run((err, stats) => (err || stats.hasErrors() ? reject(err ?? new Error(stats.toString())) : resolve()))
);

const { server, port } = await serve();
const browser = await launchChromium();
const version = browser.version();
let r;
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
  page.on('pageerror', e => console.error('page error:', e.message));
  await page.goto(`http://127.0.0.1:${port}/graph.html`);
  r = await page.evaluate(o => window.runGraph(o), { nodes, edges, steps, seed });
} finally {
  await browser.close();
  server.close();
}
writeFileSync(
  join(root, 'bench/results/graph.json'),
  JSON.stringify({ date: new Date().toISOString(), chromium: version, nodes, edges, steps, seed, ...r }, null, 2)
);
const ms = x => `${x.toFixed(x < 10 ? 2 : 0)} ms`;
console.log(
  `\nChromium ${version}; ${nodes.toLocaleString('en-US')} nodes, ${edges.toLocaleString('en-US')} edges; frames: ${steps} each\n`
);
console.log(
  '| status | iterations to settle | huntviz per iteration | graphology FA2 per iteration | ratio | payload → settled | first paint | draw | pan p95 | zoom p95 | drag p95 | settled again after the drag | wasm memory |'
);
console.log('|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
console.log(
  `| ${r.status} | ${r.iterations} | ${ms(r.huntvizPerIterationMs)} | ${ms(r.graphologyPerIterationMs)} | ${r.ratio.toFixed(2)}× | ` +
    `${(r.settledMs / 1000).toFixed(2)} s | ${ms(r.firstPaintMs)} | ${ms(r.drawMs)} | ${ms(r.pan.p95)} | ${ms(r.zoom.p95)} | ${ms(r.drag.p95)} | ${ms(r.relaxAfterDragMs)} | ` +
    `${(r.wasmMemoryBytes / 1e6).toFixed(0)} MB |`
);
