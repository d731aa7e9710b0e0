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
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { arg, launchChromium, root, serve } from './common.mjs';

const sizes = arg('sizes', '100000,1000000').split(',').map(Number);
const msticpySizes = arg('msticpy-sizes', arg('sizes', '100000,1000000')).split(',').filter(Boolean).map(Number);
const repeats = Number(arg('repeats', '3'));
const steps = Number(arg('steps', '200'));
const msticpyTimeout = Number(arg('msticpy-timeout', '900'));
const seed = arg('seed', '42');

const data = join(root, 'bench/data');
mkdirSync(data, { recursive: true });
mkdirSync(join(root, 'bench/results'), { recursive: true });

const python = join(root, '.venv/bin/python');
const mpPython = join(root, 'bench/.venv-msticpy/bin/python');
if (msticpySizes.length) {
  execFileSync(join(root, 'bench/setup-msticpy.sh'), { stdio: 'inherit' });
}

const rows = [];
for (const n of sizes) {
  const source = join(data, `la_full_${n}_s${seed}.json`);
  if (!existsSync(source)) {
    console.log(`generating ${n} rows …`);
    execFileSync(join(root, 'target/release/huntviz-gen'), [String(n), '--seed', seed, '--full', '-o', source], {
      stdio: 'inherit'
    });
  }
  const r = { rows: n, responseBytes: statSync(source).size };
  console.log(`${n}: huntviz.show …`);
  r.huntviz = JSON.parse(
    execFileSync(python, [join(root, 'bench/timeline_huntviz.py'), source, join(data, `timeline_${n}`)])
  );
  if (msticpySizes.includes(n)) {
    console.log(`${n}: MSTICPy display_timeline (timeout ${msticpyTimeout} s) …`);
    const html = join(data, `msticpy_timeline_${n}.html`);
    const p = spawnSync(mpPython, [join(root, 'bench/timeline_msticpy.py'), source, html], {
      timeout: msticpyTimeout * 1000,
      maxBuffer: 1 << 20
    });
    if (p.status === 0) {
      r.msticpy = JSON.parse(p.stdout.toString());
    } else {
      const why = p.error?.code === 'ETIMEDOUT' ? `did not finish in ${msticpyTimeout} s` : p.stderr.toString().trim().split('\n').pop();
      r.msticpy = { failed: why };
    }
  }
  rows.push(r);
}

const { server, port } = await serve();
const browser = await launchChromium();
const version = browser.version();
try {
  for (const r of rows) {
    // A fresh page per measurement, so memory reflects one output alone.
    let page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
    page.on('pageerror', e => console.error('page error:', e.message));
    await page.goto(`http://127.0.0.1:${port}/timeline.html`);
    r.browser = await page.evaluate(o => window.runTimeline(o), { file: `timeline_${r.rows}.mime.json`, repeats, steps });
    console.log(`${r.rows}: huntviz first paint ${r.browser.medianFirstPaintMs.toFixed(0)} ms · ${r.browser.status}`);
    await page.close();
    if (r.msticpy && !r.msticpy.failed) {
      page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
      const times = [];
      for (let i = 0; i < repeats; i++) {
        try {
          await page.goto(`http://127.0.0.1:${port}/data/msticpy_timeline_${r.rows}.html`, {
            timeout: msticpyTimeout * 1000
          });
          // Bokeh marks its document idle once every view has rendered.
          await page.waitForFunction(() => window.Bokeh?.documents?.[0]?.is_idle === true, null, {
            polling: 'raf',
            timeout: msticpyTimeout * 1000
          });
          times.push(await page.evaluate(() => performance.now()));
        } catch (e) {
          r.msticpy.renderFailed = String(e.message).split('\n')[0];
          break;
        }
      }
      if (times.length) {
        r.msticpy.renderMs = times;
        r.msticpy.medianRenderMs = [...times].sort((a, b) => a - b)[Math.floor(times.length / 2)];
      }
      console.log(`${r.rows}: MSTICPy page idle ${r.msticpy.medianRenderMs?.toFixed(0) ?? r.msticpy.renderFailed}`);
      await page.close();
    }
  }
} finally {
  await browser.close();
  server.close();
}

writeFileSync(
  join(root, 'bench/results/timeline.json'),
  JSON.stringify({ date: new Date().toISOString(), chromium: version, seed, repeats, steps, rows }, null, 2)
);

const mb = b => `${(b / 1e6).toFixed(1)} MB`;
const s = x => `${x.toFixed(2)} s`;
const ms = x => `${x.toFixed(x < 10 ? 1 : 0)} ms`;
console.log(`\nChromium ${version}; median of ${repeats} loads; frames: ${steps} each\n`);
console.log('| events | huntviz kernel (`show`) | huntviz saved notebook | huntviz payload → first paint | MSTICPy kernel (`display_timeline` + save) | MSTICPy saved page | MSTICPy page → idle | saved size ratio |');
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
console.log('\n| events | status | zoom p95 | pan p95 | overview drag p95 | hover p95 | search | hide a series | wasm memory |');
console.log('|---:|---|---:|---:|---:|---:|---:|---:|---:|');
for (const r of rows) {
  const b = r.browser;
  console.log(
    `| ${r.rows.toLocaleString('en-US')} | ${b.status} | ${ms(b.zoom.p95)} | ${ms(b.pan.p95)} | ${ms(b.overview.p95)} | ` +
      `${ms(b.hover.p95)} | ${ms(b.searchMs)} (${b.searchMatches.toLocaleString('en-US')}) | ${ms(b.toggleMs)} | ${mb(b.wasmMemoryBytes)} |`
  );
}
