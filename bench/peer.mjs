// The run shared by the process-tree and timeline benchmarks: for each size, generate
// the events (bench/gen), let huntviz and MSTICPy each turn the same DataFrame into a
// saved output (bench/<view>_huntviz.py, bench/<view>_msticpy.py), then time both in
// the same headless Chromium: huntviz payload → first paint plus its frames
// (bench/page/<view>.mjs), MSTICPy's saved page → Bokeh document idle.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { arg, launchChromium, root, serve } from './common.mjs';

const data = join(root, 'bench/data');

/** Figures as the tables show them. */
export const mb = b => `${(b / 1e6).toFixed(1)} MB`;
export const s = x => `${x.toFixed(2)} s`;
export const ms = x => `${x.toFixed(x < 10 ? 1 : 0)} ms`;

/**
 * `view` names the scripts, the page and bench/results/<view>.json (`tree`,
 * `timeline`); `pageFn` is the page's entry (`runTree`, …); `label` is MSTICPy's
 * function for the log. Reads the command line (`--sizes`, `--msticpy-sizes`,
 * `--repeats`, `--steps`, `--msticpy-timeout`, `--seed`), writes the results file and
 * returns {rows, chromium, repeats, steps}, one row per size: {rows, responseBytes,
 * huntviz, msticpy?, browser}.
 */
export async function runPeerBenchmark({ view, pageFn, label }) {
  const sizes = arg('sizes', '100000,1000000').split(',').map(Number);
  const msticpySizes = arg('msticpy-sizes', arg('sizes', '100000,1000000')).split(',').filter(Boolean).map(Number);
  const repeats = Number(arg('repeats', '3'));
  const steps = Number(arg('steps', '200'));
  const timeoutS = Number(arg('msticpy-timeout', '900'));
  const seed = arg('seed', '42');
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
      execFileSync(python, [join(root, `bench/${view}_huntviz.py`), source, join(data, `${view}_${n}`)])
    );
    if (msticpySizes.includes(n)) {
      console.log(`${n}: MSTICPy ${label} (timeout ${timeoutS} s) …`);
      const p = spawnSync(
        mpPython,
        [join(root, `bench/${view}_msticpy.py`), source, join(data, `msticpy_${view}_${n}.html`)],
        {
          timeout: timeoutS * 1000,
          maxBuffer: 1 << 20
        }
      );
      if (p.status === 0) {
        r.msticpy = JSON.parse(p.stdout.toString());
      } else {
        const why =
          p.error?.code === 'ETIMEDOUT'
            ? `did not finish in ${timeoutS} s`
            : p.stderr.toString().trim().split('\n').pop();
        r.msticpy = { failed: why };
      }
    }
    rows.push(r);
  }

  const { server, port } = await serve();
  const browser = await launchChromium();
  const chromium = browser.version();
  try {
    for (const r of rows) {
      // A fresh page per measurement, so memory reflects one output alone.
      let page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
      page.on('pageerror', e => console.error('page error:', e.message));
      await page.goto(`http://127.0.0.1:${port}/${view}.html`);
      r.browser = await page.evaluate(
        ([fn, o]) => window[fn](o),
        [pageFn, { file: `${view}_${r.rows}.mime.json`, repeats, steps }]
      );
      console.log(`${r.rows}: huntviz first paint ${r.browser.medianFirstPaintMs.toFixed(0)} ms · ${r.browser.status}`);
      await page.close();
      if (r.msticpy && !r.msticpy.failed) {
        page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
        const times = [];
        for (let i = 0; i < repeats; i++) {
          try {
            await page.goto(`http://127.0.0.1:${port}/data/msticpy_${view}_${r.rows}.html`, {
              timeout: timeoutS * 1000
            });
            // Bokeh marks its document idle once every view has rendered.
            await page.waitForFunction(() => window.Bokeh?.documents?.[0]?.is_idle === true, null, {
              polling: 'raf',
              timeout: timeoutS * 1000
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
    join(root, `bench/results/${view}.json`),
    JSON.stringify({ date: new Date().toISOString(), chromium, seed, repeats, steps, rows }, null, 2)
  );
  return { rows, chromium, repeats, steps };
}
