// Grid first paint versus JSON.parse, in headless Chromium, on generated Log Analytics
// responses (bench/gen), with the plugin's own encoder (lib/encode.js). Usage: node bench/run.mjs [--sizes 100000,1000000] [--repeats 5]
// Writes bench/results/grid-first-paint.json and prints a Markdown table.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { arg, launchChromium, root, serve } from './common.mjs';

const sizes = arg('sizes', '100000,1000000').split(',').map(Number);
const repeats = Number(arg('repeats', '5'));
const seed = arg('seed', '42');

mkdirSync(join(root, 'bench/data'), { recursive: true });
mkdirSync(join(root, 'bench/results'), { recursive: true });
const gen = join(root, 'target/release/huntviz-gen');
for (const n of sizes) {
  const file = join(root, `bench/data/la_${n}_s${seed}.json`);
  if (!existsSync(file)) {
    console.log(`generating ${n} rows …`);
    execFileSync(gen, [String(n), '--seed', seed, '-o', file], { stdio: 'inherit' });
  }
}

const { server, port } = await serve();
const browser = await launchChromium();
const version = browser.version();
const results = [];
try {
  for (const n of sizes) {
    // A fresh page per size, so wasm memory reflects this payload alone.
    const page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
    page.on('pageerror', e => console.error('page error:', e.message));
    await page.goto(`http://127.0.0.1:${port}/index.html`);
    const r = await page.evaluate(o => window.runBench(o), { file: `la_${n}_s${seed}.json`, repeats });
    results.push({ rows: n, ...r });
    console.log(
      `${n} rows: first paint ${r.medianFirstPaintMs.toFixed(0)} ms, JSON.parse ${r.medianJsonParseMs.toFixed(0)} ms`
    );
    await page.close();
  }
} finally {
  await browser.close();
  server.close();
}

// Native parse of the same files (same engine, compiled for the host).
for (const r of results) {
  const file = join(root, `bench/data/la_${r.rows}_s${seed}.json`);
  const native = JSON.parse(
    execFileSync(join(root, 'target/release/huntviz-parse-bench'), [file, '--repeats', String(repeats)]).toString()
  );
  r.nativeParseMs = native.median_ms;
  r.nativeMemoryRatio = native.memory_ratio;
}

// JSON.parse and the engine run back to back in every repetition; on a shared machine
// whose speed drifts, the ratio within a repetition is steadier than a ratio of medians.
const middle = values => [...values].sort((a, b) => a - b)[values.length >> 1];
for (const r of results) {
  r.pairedRatios = r.jsonParseMs.map((j, i) => j / r.parseMs[i]);
  r.medianPairedRatio = middle(r.pairedRatios);
}

const out = { date: new Date().toISOString(), chromium: version, seed, repeats, results };
writeFileSync(join(root, 'bench/results/grid-first-paint.json'), JSON.stringify(out, null, 2));
const mb = b => (b / 1e6).toFixed(1);
console.log(`\nChromium ${version}, median of ${repeats}\n`);
const rate = (bytes, ms) => `${(bytes / 1e6 / (ms / 1000)).toFixed(0)} MB/s`;
console.log(
  '| rows | payload | JSON.parse | huntviz first paint | ratio | parse, wasm | parse, native | wasm parse ÷ JSON.parse throughput | wasm memory / payload | serde typed structs, wasm | its memory / payload |'
);
console.log('|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
for (const r of results) {
  console.log(
    `| ${r.rows.toLocaleString('en-US')} | ${mb(r.payloadBytes)} MB | ${r.medianJsonParseMs.toFixed(0)} ms (${rate(r.payloadBytes, r.medianJsonParseMs)}) | ` +
      `${r.medianFirstPaintMs.toFixed(0)} ms | ${(r.medianFirstPaintMs / r.medianJsonParseMs).toFixed(2)}× | ` +
      `${r.medianParseMs.toFixed(0)} ms (${rate(r.payloadBytes, r.medianParseMs)}) | ${r.nativeParseMs.toFixed(0)} ms (${rate(r.payloadBytes, r.nativeParseMs)}) | ` +
      `${(r.medianJsonParseMs / r.medianParseMs).toFixed(2)}× | ${(r.wasmMemoryBytes / r.payloadBytes).toFixed(2)}× | ` +
      `${r.medianSerdeParseMs.toFixed(0)} ms (${rate(r.payloadBytes, r.medianSerdeParseMs)}) | ${(r.serdeMemoryBytes / r.payloadBytes).toFixed(2)}× |`
  );
}
console.log('');
for (const r of results) {
  console.log(
    `${r.rows.toLocaleString('en-US')} rows: JSON.parse ÷ wasm parse within each run ` +
      `${r.pairedRatios.map(x => x.toFixed(2)).join(', ')}; median ${r.medianPairedRatio.toFixed(2)}×`
  );
}
