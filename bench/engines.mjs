// The engine as WebAssembly and as JavaScript (the fallback for pages that refuse
// WebAssembly), on the same generated DeviceProcessEvents, in the same headless
// Chromium: response text → process tree painted. The JavaScript engine runs twice:
// with V8's JIT (a page whose Content-Security-Policy refuses only WebAssembly) and
// without it (`--jitless`, how browsers in their strictest security modes run, where
// WebAssembly does not exist). Usage:
//   node bench/engines.mjs [--sizes 10000,100000] [--repeats 3]
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { arg, launchChromium, root, serve } from './common.mjs';

const sizes = arg('sizes', '10000,100000').split(',').map(Number);
const repeats = Number(arg('repeats', '3'));
const data = join(root, 'bench/data');
mkdirSync(data, { recursive: true });
mkdirSync(join(root, 'bench/results'), { recursive: true });

const { server, port } = await serve();
const jitless = () =>
  chromium.launch({
    executablePath: process.env.HUNTVIZ_CHROMIUM ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--js-flags=--jitless']
  });
const runs = [
  ['WebAssembly', launchChromium, 'wasm'],
  ['JavaScript (JIT)', launchChromium, 'js'],
  ['JavaScript (no JIT)', jitless, 'js']
];
const rows = [];
for (const n of sizes) {
  const file = `la_full_${n}_s42.json`;
  if (!existsSync(join(data, file))) {
    execFileSync(
      join(root, 'target/release/huntviz-gen'),
      [String(n), '--seed', '42', '--full', '-o', join(data, file)],
      {
        stdio: 'inherit'
      }
    );
  }
  const row = { rows: n, responseBytes: statSync(join(data, file)).size, engines: {} };
  for (const [label, launch, kind] of runs) {
    const browser = await launch();
    const page = await browser.newPage();
    await page.goto(`http://127.0.0.1:${port}/engines.html`);
    console.log(`${n}: ${label} …`);
    row.engines[label] = await page.evaluate(([k, f, r]) => window.runEngine(k, f, r), [kind, file, repeats]);
    row.chromium = browser.version();
    await browser.close();
  }
  rows.push(row);
}
server.close();
const size = path => {
  const bytes = readFileSync(path);
  return { raw: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length };
};
const moduleSizes = {
  wasm: size(join(root, 'js/pkg/huntviz_wasm_bg.wasm')),
  js: size(join(root, 'js/pkg-js/huntviz_engine.js'))
};
writeFileSync(join(root, 'bench/results/engines.json'), JSON.stringify({ rows, sizes: moduleSizes }, null, 2));
const kb = b => `${Math.round(b / 1000).toLocaleString('en-US')} KB`;
console.log(`\nChromium ${rows[0]?.chromium}; median of ${repeats}; response text → process tree painted\n`);
console.log('| events | response | WebAssembly | JavaScript (JIT) | JavaScript (no JIT) |');
console.log('|---:|---:|---:|---:|---:|');
for (const r of rows) {
  const e = r.engines;
  const cell = l => `${Math.round(e[l].medianFirstPaintMs).toLocaleString('en-US')} ms`;
  console.log(
    `| ${r.rows.toLocaleString('en-US')} | ${(r.responseBytes / 1e6).toFixed(1)} MB | ${cell('WebAssembly')} | ` +
      `${cell('JavaScript (JIT)')} (×${(e['JavaScript (JIT)'].medianFirstPaintMs / e.WebAssembly.medianFirstPaintMs).toFixed(1)}) | ` +
      `${cell('JavaScript (no JIT)')} (×${(e['JavaScript (no JIT)'].medianFirstPaintMs / e.WebAssembly.medianFirstPaintMs).toFixed(1)}) |`
  );
}
console.log(
  `\nsizes: wasm ${kb(moduleSizes.wasm.raw)} (${kb(moduleSizes.wasm.gzip)} gzip); JavaScript engine before the labextension's minifier ${kb(moduleSizes.js.raw)} (${kb(moduleSizes.js.gzip)} gzip)`
);
