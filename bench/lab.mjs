// From the cell to the screen in a real JupyterLab with a live kernel: huntviz's process
// tree next to MSTICPy's, on the project's own 39-column DeviceProcessEvents. Usage:
//   node bench/lab.mjs [--sizes 100000,1000000] [--repeats 3] [--msticpy-sizes 100000]
//                      [--msticpy-timeout 300] [--seed 7]
// For each size: bench/gen writes the response (`--mde`: 39 columns, as Defender returns
// them); JupyterLab (the project's venv, the built extension) opens a notebook whose
// first cell loads it as a DataFrame (bench/la_frame.py, not timed). Chromium then
// presses Shift+Enter on `huntviz.show(df, view="process-tree")` and times the key press
// to the tree's status line on screen (a MutationObserver, then the next frame), with
// each stage: the kernel's encoding and compression (View._timings), the trip through
// iopub, the server and the websocket (the output's frame arriving), JupyterLab's
// output model (up to the renderer's `huntviz:render` mark), unpacking into wasm,
// parsing and building the view, and painting. The same for MSTICPy's
// `df.mp_plot.process_tree()` in a kernel of bench/.venv-msticpy, up to Bokeh's document
// idle. Writes bench/results/lab.json and prints Markdown tables.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { arg, launchChromium, root } from './common.mjs';

const sizes = arg('sizes', '100000,1000000').split(',').map(Number);
const msticpySizes = arg('msticpy-sizes', '100000').split(',').filter(Boolean).map(Number);
const repeats = Number(arg('repeats', '3'));
const mpTimeoutS = Number(arg('msticpy-timeout', '300'));
const seed = arg('seed', '7');
const port = Number(arg('port', '8931'));
// --profile: a CPU profile of the page from the key press to the status line (huntviz
// runs only), written to bench/results/lab-<rows>.cpuprofile with its heaviest functions printed.
const profile = process.argv.includes('--profile');
// --select: also time a selection of every row reaching Python over the kernel link
// (issue 16): an edge-list graph whose ActionType node came from all N rows is selected
// (search, Enter) and the clock stops when the kernel says it holds N rows.
const select = process.argv.includes('--select');
// --pivot: also time a pivot's round trip (issue 16): a process selected in the tree, its
// pivot button pressed, the kernel's function returning PIVOT_ROWS children, the merge,
// the rewritten output and the grown tree on screen.
const pivot = process.argv.includes('--pivot');
// --linked: also time linked panes (issue 17): an investigation of the tree, timeline,
// graph and table over one parsed copy, 30 processes selected in the tree one after
// another, each selection's time to reach the other three panes; then a search and
// "matches only" toggled from each pane, each time to reach the other three.
const linked = process.argv.includes('--linked');
const PIVOT_ROWS = 1000;
// What the linked panes' filter is timed with: a process a hunter looks for (about 1.5%
// of the generator's processes, and their children name it as their parent).
const FILTER_QUERY = 'certutil';
const data = join(root, 'bench/data');
mkdirSync(data, { recursive: true });
mkdirSync(join(root, 'bench/results'), { recursive: true });

const median = xs => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const s = x => (x === undefined ? '–' : `${(x / 1000).toFixed(2)} s`);

// MSTICPy's kernel: its own venv with ipykernel, its kernelspec under the work
// directory (`--prefix`), found through JUPYTER_PATH.
const work = mkdtempSync(join(tmpdir(), 'huntviz-lab-'));
const jupyterPath = [join(work, 'share/jupyter')];
if (msticpySizes.length) {
  execFileSync(join(root, 'bench/setup-msticpy.sh'), { stdio: 'inherit' });
  const mp = join(root, 'bench/.venv-msticpy/bin/python');
  try {
    execFileSync(mp, ['-c', 'import ipykernel']);
  } catch {
    execFileSync(mp, ['-m', 'pip', 'install', '-q', 'ipykernel==6.30.1'], { stdio: 'inherit' });
  }
  execFileSync(mp, ['-m', 'ipykernel', 'install', '--name', 'msticpy-bench', '--prefix', work], { stdio: 'inherit' });
  // Bokeh plots render in JupyterLab 4 only through the jupyter_bokeh extension (what
  // MSTICPy's docs have JupyterLab users install), which needs the widget manager: their
  // prebuilt labextensions, from the wheels, are found through JUPYTER_PATH; nothing is
  // installed into the project's venv.
  const wheels = join(work, 'wheels');
  const extensions = ['jupyter_bokeh==4.1.0', 'jupyterlab_widgets==3.0.15'];
  execFileSync(join(root, '.venv/bin/pip'), ['download', '-q', '--no-deps', '-d', wheels, ...extensions], {
    stdio: 'inherit'
  });
  const found = execFileSync(join(root, '.venv/bin/python'), [
    '-c',
    'import sys, zipfile, glob\n' +
      'for w in glob.glob(sys.argv[1] + "/*.whl"):\n' +
      '    zipfile.ZipFile(w).extractall(sys.argv[2])\n' +
      'print("\\n".join(glob.glob(sys.argv[2] + "/*.data/data/share/jupyter")))',
    wheels,
    join(work, 'extensions')
  ]);
  jupyterPath.push(...found.toString().trim().split('\n'));
}

function notebook(kernel, cells) {
  return JSON.stringify({
    nbformat: 4,
    nbformat_minor: 5,
    metadata: { kernelspec: { name: kernel, display_name: kernel, language: 'python' } },
    cells: cells.map((source, i) => ({
      id: `c${i}`,
      cell_type: 'code',
      source,
      metadata: {},
      outputs: [],
      execution_count: null
    }))
  });
}

const load = (source, imports) =>
  `import sys, json, time\nsys.path.insert(0, ${JSON.stringify(join(root, 'bench'))})\n` +
  `import la_frame\n${imports}\n` +
  // The kernel outlives the page between runs: the frame is loaded once.
  `if "df" not in globals():\n    df = la_frame.load(${JSON.stringify(source)})\ndf.shape`;

const server = spawn(
  join(root, '.venv/bin/jupyter'),
  [
    'lab',
    '--no-browser',
    `--port=${port}`,
    '--ServerApp.token=',
    '--ServerApp.password=',
    '--ServerApp.disable_check_xsrf=True',
    '--ServerApp.allow_root=True',
    `--ServerApp.root_dir=${work}`,
    '--LabApp.news_url=None',
    '--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate'
  ],
  { env: { ...process.env, JUPYTER_PATH: jupyterPath.join(':') }, stdio: ['ignore', 'ignore', 'pipe'] }
);
let serverLog = '';
server.stderr.on('data', d => (serverLog = (serverLog + d).slice(-4000)));

async function serverUp() {
  for (let i = 0; i < 120; i++) {
    try {
      if ((await fetch(`http://127.0.0.1:${port}/lab`)).ok) {
        return;
      }
    } catch {
      // not listening yet
    }
    await new Promise(r => setTimeout(r, 500));
  }
  throw new Error(`JupyterLab did not start:\n${serverLog}`);
}

/**
 * Opens `name`, runs its first cell (the load), then times Shift+Enter on the second
 * until its output is on screen (`until`: 'huntviz' or 'bokeh'). Returns {totalMs, frames, marks, timings}.
 */
async function timeCell(browser, name, { until, timeoutMs, kernelTimings, profileTo }) {
  const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  const cdp = profileTo ? await page.context().newCDPSession(page) : null;
  try {
    // A fresh workspace: no tab of an earlier run restored beside this notebook.
    await page.goto(`http://127.0.0.1:${port}/lab/tree/${name}?reset`);
    const cells = page.locator('.jp-Notebook .jp-Cell');
    await cells.nth(1).waitFor({ timeout: 120_000 });
    await page.locator('.jp-Notebook-ExecutionIndicator[data-status="idle"]').waitFor({ timeout: 120_000 });
    await cells.nth(0).locator('.jp-InputArea-editor').click();
    await page.keyboard.press('Shift+Enter');
    await cells
      .nth(0)
      .locator('.jp-OutputArea-output')
      .first()
      .waitFor({ state: 'attached', timeout: Number(arg('load-timeout', '900')) * 1000 })
      .catch(async e => {
        await page.screenshot({ path: join(root, 'bench/results/lab-load.png') });
        throw e;
      });
    await page.locator('.jp-Notebook-ExecutionIndicator[data-status="idle"]').waitFor({ timeout: 900_000 });
    // Cell 1 is active now. The page records the key press and the end condition.
    await page.evaluate(until => {
      // huntviz: the tree's status line in the second cell; bokeh: every document idle.
      const check = () =>
        until === 'huntviz'
          ? Array.from(
              document.querySelectorAll('.jp-Notebook .jp-Cell')[1]?.querySelectorAll('.jp-HuntvizOutput .hv-status') ??
                []
            ).some(e => /process/i.test(e.textContent ?? ''))
          : window.Bokeh?.documents?.length > 0 && window.Bokeh.documents.every(d => d.is_idle);
      performance.clearMarks();
      window.__bench = { pressed: 0, done: 0 };
      window.addEventListener(
        'keydown',
        e => e.key === 'Enter' && e.shiftKey && (window.__bench.pressed ||= performance.now()),
        true
      );
      const observer = new MutationObserver(() => {
        if (!window.__bench.done && check()) {
          observer.disconnect();
          // On screen: the frame after the change, and the task after that frame.
          requestAnimationFrame(() => setTimeout(() => (window.__bench.done = performance.now())));
        }
      });
      observer.observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true });
    }, until);
    if (cdp) {
      await cdp.send('Profiler.enable');
      await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
      await cdp.send('Profiler.start');
    }
    await page.keyboard.press('Shift+Enter');
    await page
      .waitForFunction(() => window.__bench.done > 0, null, { timeout: timeoutMs, polling: 50 })
      .catch(async e => {
        await page.screenshot({ path: join(root, 'bench/results/lab-timeout.png') });
        throw e;
      });
    if (cdp) {
      const { profile: cpu } = await cdp.send('Profiler.stop');
      writeFileSync(profileTo, JSON.stringify(cpu));
      printProfile(cpu);
    }
    const result = await page.evaluate(() => ({
      origin: performance.timeOrigin,
      pressed: window.__bench.pressed,
      done: window.__bench.done,
      marks: performance.getEntriesByType('mark').map(m => ({ name: m.name, at: m.startTime, detail: m.detail }))
    }));
    const toPage = epochMs => epochMs - result.origin;
    let timings = null;
    if (kernelTimings) {
      // The View's own figures, read in a third cell once the second has finished.
      await page.locator('.jp-Notebook-ExecutionIndicator[data-status="idle"]').waitFor({ timeout: 120_000 });
      await page.keyboard.press('Shift+Enter');
      const out = cells.nth(2).locator('.jp-OutputArea-output');
      await out.first().waitFor({ timeout: 60_000 });
      timings = JSON.parse(await out.first().innerText());
    }
    return {
      totalMs: result.done - result.pressed,
      pressed: result.pressed,
      done: result.done,
      frameBytes: timings?.payload_bytes,
      marks: result.marks,
      timings: timings && {
        ...timings,
        startedAt: toPage(timings.started_at * 1000),
        bundleAt: toPage(timings.bundle_at * 1000)
      }
    };
  } finally {
    await page.close();
  }
}

/** The functions with the most self time in a CDP CPU profile, by function and URL. */
function printProfile(cpu) {
  const dt = new Map();
  for (let i = 0; i < cpu.samples.length; i++) {
    dt.set(cpu.samples[i], (dt.get(cpu.samples[i]) ?? 0) + (cpu.timeDeltas[i] ?? 0) / 1000);
  }
  const self = new Map();
  for (const node of cpu.nodes) {
    const f = node.callFrame;
    const key = `${f.functionName || '(anonymous)'} ${f.url.split('/').pop()}:${f.lineNumber}`;
    self.set(key, (self.get(key) ?? 0) + (dt.get(node.id) ?? 0));
  }
  for (const [key, ms] of [...self].sort((a, b) => b[1] - a[1]).slice(0, 25)) {
    console.log(`  ${ms.toFixed(0).padStart(6)} ms  ${key}`);
  }
}

/**
 * Opens notebook `name` (`count` cells) and runs its first two: the frame loaded (waited
 * for), then the huntviz output's cell.
 */
async function runTwoCells(page, name, count) {
  await page.goto(`http://127.0.0.1:${port}/lab/tree/${name}?reset`);
  const cells = page.locator('.jp-Notebook .jp-Cell');
  const idle = () => page.locator('.jp-Notebook-ExecutionIndicator[data-status="idle"]').waitFor({ timeout: 900_000 });
  await cells.nth(count - 1).waitFor({ timeout: 120_000 });
  await idle();
  await cells.nth(0).locator('.jp-InputArea-editor').click();
  await page.keyboard.press('Shift+Enter');
  await cells.nth(0).locator('.jp-OutputArea-output').first().waitFor({ state: 'attached', timeout: 900_000 });
  await idle();
  await page.keyboard.press('Shift+Enter');
  return { cells, idle };
}

/**
 * Opens notebook `name` (`count` cells: the frame loaded, then a huntviz output), runs
 * its first two cells and waits until the output is linked to the kernel.
 */
async function linkedView(page, name, count) {
  const { cells, idle } = await runTwoCells(page, name, count);
  const output = cells.nth(1).locator('.jp-HuntvizOutput');
  await output.locator('.hv-kernel-link[data-state="on"]').waitFor({ timeout: 300_000 });
  return { cells, idle, output };
}

/**
 * Shift+Enter on a graph of `n` rows, then the time from selecting the entity every row
 * came from to the kernel's answer that `v.selected` holds them; checked in Python after.
 */
async function timeSelection(browser, n, source) {
  const name = `select_${n}.ipynb`;
  writeFileSync(
    join(work, name),
    notebook('python3', [
      load(source, 'import huntviz'),
      'v = huntviz.show(df, view="graph", source="ActionType", target="DeviceName")\nv',
      'print(len(v.selected), v.selection == list(range(len(df))))'
    ])
  );
  const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  try {
    const { cells, output } = await linkedView(page, name, 3);
    const search = output.locator('.hv-search');
    await search.fill('ProcessCreated');
    await page.evaluate(n => {
      const node = document.querySelectorAll('.jp-Notebook .jp-Cell')[1].querySelector('.jp-HuntvizOutput');
      window.__sel = { pressed: 0, done: 0 };
      window.addEventListener('keydown', e => e.key === 'Enter' && (window.__sel.pressed ||= performance.now()), true);
      new MutationObserver((_, observer) => {
        if (node.dataset.hvKernelSelected === String(n)) {
          window.__sel.done = performance.now();
          observer.disconnect();
        }
      }).observe(node, { attributes: true });
    }, n);
    await search.press('Enter');
    await page.waitForFunction(() => window.__sel.done > 0, null, { timeout: 120_000, polling: 20 });
    const ms = await page.evaluate(() => window.__sel.done - window.__sel.pressed);
    await cells.nth(2).locator('.jp-InputArea-editor').click();
    await page.keyboard.press('Shift+Enter');
    const out = cells.nth(2).locator('.jp-OutputArea-output').first();
    await out.waitFor({ timeout: 60_000 });
    const check = (await out.innerText()).trim();
    if (check !== `${n} True`) {
      throw new Error(`Python holds the wrong selection: ${check}`);
    }
    return ms;
  } finally {
    await page.close();
  }
}

/**
 * Shift+Enter on a process tree of `n` rows, Python selects a process, then the time from
 * pressing the view's pivot button to the grown tree on screen (the frame after the
 * rebuild); also when the kernel's answer came. Checked in Python after.
 */
async function timePivot(browser, n, source) {
  const name = `pivot_${n}.ipynb`;
  const children = [
    'def children(rows):',
    '    p = rows.iloc[0]',
    `    kids = df.iloc[:${PIVOT_ROWS}].copy()`,
    '    for c in ("DeviceName", "DeviceId"):',
    '        kids[c] = p[c]',
    '    kids["InitiatingProcessId"] = p["ProcessId"]',
    '    kids["InitiatingProcessFileName"] = p["FileName"]',
    '    kids["InitiatingProcessCreationTime"] = p["ProcessCreationTime"]',
    `    kids["ProcessId"] = range(5_000_000, 5_000_000 + ${PIVOT_ROWS})`,
    '    kids["ReportId"] = kids["ProcessId"]',
    '    return kids',
    'huntviz.pivot("process", "Children", children, limit=100_000)'
  ].join('\n');
  writeFileSync(
    join(work, name),
    notebook('python3', [
      `${load(source, 'import huntviz')}\n${children}`,
      'v = huntviz.show(df, view="process-tree")\nv',
      'v.select([0])',
      'print(len(v._source) - len(df), (v._source["HuntvizPivot"] != "").sum())'
    ])
  );
  const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  try {
    const { cells, idle, output } = await linkedView(page, name, 4);
    await page.keyboard.press('Shift+Enter');
    await output.locator('.hv-detail:not([hidden])').waitFor({ timeout: 60_000 });
    await idle();
    const button = output.locator('.hv-pivots button.hv-pivot', { hasText: 'Children' });
    await button.waitFor({ timeout: 60_000 });
    await page.evaluate(() => {
      const node = document.querySelectorAll('.jp-Notebook .jp-Cell')[1].querySelector('.jp-HuntvizOutput');
      const builds = node.dataset.hvBuilds;
      window.__pivot = { pressed: 0, answered: 0, done: 0 };
      node.addEventListener('click', () => (window.__pivot.pressed ||= performance.now()), true);
      new MutationObserver((_, observer) => {
        const status = node.querySelector('.hv-pivot-status')?.textContent ?? '';
        if (!window.__pivot.answered && /added/.test(status)) {
          window.__pivot.answered = performance.now();
        }
        if (node.dataset.hvBuilds !== builds && node.querySelector('.hv-status')) {
          observer.disconnect();
          requestAnimationFrame(() => setTimeout(() => (window.__pivot.done = performance.now())));
        }
      }).observe(node, { attributes: true, subtree: true, childList: true, characterData: true });
    });
    await button.click();
    await page.waitForFunction(() => window.__pivot.done > 0, null, { timeout: 300_000, polling: 20 });
    const t = await page.evaluate(() => window.__pivot);
    await cells.nth(3).locator('.jp-InputArea-editor').click();
    await page.keyboard.press('Shift+Enter');
    const out = cells.nth(3).locator('.jp-OutputArea-output').first();
    await out.waitFor({ timeout: 60_000 });
    const check = (await out.innerText()).trim();
    if (check !== `${PIVOT_ROWS} ${PIVOT_ROWS}`) {
      throw new Error(`the pivot did not add ${PIVOT_ROWS} rows: ${check}`);
    }
    return { totalMs: t.done - t.pressed, answerMs: t.answered - t.pressed };
  } finally {
    await page.close();
  }
}

/**
 * Shift+Enter on an investigation of `n` rows (tree, timeline, graph and table panes over
 * one parsed copy), then 30 processes selected one after another in the tree (↓): the
 * time each selection takes to reach the three other panes (`data-hv-link-ms`, the
 * panes' `select_rows` and their detail panels), and each pane's last drawing time.
 */
async function timeLinked(browser, n, source) {
  const name = `linked_${n}.ipynb`;
  writeFileSync(
    join(work, name),
    notebook('python3', [
      load(source, 'import huntviz'),
      'v = huntviz.show(df, view=["process-tree", "timeline", "graph", "table"], source="AccountName", ' +
        'target="DeviceName", height=900)\nv'
    ])
  );
  const page = await browser.newPage({ viewport: { width: 1800, height: 1200 } });
  try {
    const output = await openPanes(page, name);
    const tree = output.locator('.jp-HuntvizOutput[data-hv-pane="process-tree"]');
    const row = tree.locator('.hv-sr-only tbody tr[aria-level="3"]').first();
    const box = await tree.locator('.hv-scroller').boundingBox();
    await page.mouse.click(box.x + box.width / 2, box.y + Number(await row.getAttribute('data-top')) + 8);
    await page.evaluate(() => {
      const node = document.querySelectorAll('.jp-Notebook .jp-Cell')[1].querySelector('.jp-HuntvizOutput');
      window.__links = [];
      new MutationObserver(() => window.__links.push(Number(node.dataset.hvLinkMs))).observe(node, {
        attributes: true,
        attributeFilter: ['data-hv-link-ms']
      });
    });
    const selections = 30;
    for (let i = 0; i < selections; i++) {
      await page.keyboard.press('ArrowDown');
      await page.waitForFunction(k => window.__links.length > k, i, { timeout: 60_000, polling: 10 });
    }
    const links = (await page.evaluate(() => window.__links)).sort((a, b) => a - b);

    // A search typed in the tree runs in the three other panes; then "matches only" is
    // turned on and off, from each pane in turn: each time until it reached the others.
    await page.evaluate(() => {
      const node = document.querySelectorAll('.jp-Notebook .jp-Cell')[1].querySelector('.jp-HuntvizOutput');
      window.__filters = [];
      new MutationObserver(() =>
        window.__filters.push([node.dataset.hvSearchOnly, Number(node.dataset.hvSearchMs)])
      ).observe(node, { attributes: true, attributeFilter: ['data-hv-search-ms'] });
    });
    const search = tree.locator('.hv-search');
    await search.fill(FILTER_QUERY);
    await search.press('Enter');
    await page.waitForFunction(() => window.__filters.length > 0, null, { timeout: 600_000, polling: 10 });
    const searchMs = (await page.evaluate(() => window.__filters))[0][1];
    const matches = (await tree.locator('.hv-count').textContent()).trim();
    const paneNames = ['process-tree', 'timeline', 'graph', 'table'];
    const toggles = 20;
    for (let i = 0; i < toggles; i++) {
      const pane = output.locator(`.jp-HuntvizOutput[data-hv-pane="${paneNames[i % paneNames.length]}"]`);
      await pane.locator('.hv-only').setChecked(i % 2 === 0);
      await page.waitForFunction(k => window.__filters.length > k + 1, i, { timeout: 600_000, polling: 10 });
    }
    const filters = (await page.evaluate(() => window.__filters)).slice(1);
    const on = filters.filter(f => f[0] === 'true').map(f => f[1]);
    const off = filters.filter(f => f[0] === 'false').map(f => f[1]);
    const all = filters.map(f => f[1]).sort((a, b) => a - b);
    const draws = await output.evaluate(node =>
      Object.fromEntries(
        [...node.querySelectorAll('.jp-HuntvizOutput[data-hv-pane]')].map(p => [
          p.dataset.hvPane,
          Number(p.dataset.hvDrawMs)
        ])
      )
    );
    const p95 = xs => xs[Math.min(xs.length - 1, Math.round(0.95 * (xs.length - 1)))];
    return {
      selections: links.length,
      medianMs: links[Math.floor(links.length / 2)],
      p95Ms: p95(links),
      drawMs: draws,
      filter: {
        query: FILTER_QUERY,
        matches,
        searchMs,
        toggles: all.length,
        onMedianMs: median(on),
        offMedianMs: median(off),
        p95Ms: p95(all)
      }
    };
  } finally {
    await page.close();
  }
}

/** Opens notebook `name` (the frame loaded, then an investigation), runs both cells and
 * waits until every pane has drawn (the graph laid out). */
async function openPanes(page, name) {
  const { cells } = await runTwoCells(page, name, 2);
  const output = cells.nth(1).locator('.jp-HuntvizOutput').first();
  await output.locator('.jp-HuntvizOutput[data-hv-pane="graph"][data-hv-settled="true"]').waitFor({ timeout: 600_000 });
  for (const view of ['process-tree', 'timeline', 'table']) {
    await output.locator(`.jp-HuntvizOutput[data-hv-pane="${view}"][data-hv-painted]`).waitFor({ timeout: 600_000 });
  }
  return output;
}

/** huntviz's stages (ms) from one run. */
function stages(r) {
  // The first of each after the key press (JupyterLab renders an output again when its
  // bundle gains the picture; that render returns at once).
  const mark = name => r.marks.find(m => m.name === `huntviz:${name}`);
  const render = mark('render')?.at;
  const unpacked = mark('unpacked')?.at;
  const built = mark('built');
  const t = r.timings;
  return {
    total: r.totalMs,
    toKernel: t.startedAt - r.pressed,
    encode: t.encode_s * 1000,
    compress: (t.compress_s ?? 0) * 1000,
    kernelRest: t.bundleAt - t.startedAt - t.show_s * 1000 - (t.compress_s ?? 0) * 1000,
    toRenderer: render - t.bundleAt,
    unpack: unpacked - render,
    parseBuild: built.at - unpacked,
    paint: r.done - built.at,
    frameMB: r.frameBytes / 1e6
  };
}

const rows = [];
await serverUp();
const browser = await launchChromium();
try {
  for (const n of sizes) {
    const source = join(data, `mde_${n}_s${seed}.json`);
    if (!existsSync(source)) {
      console.log(`generating ${n} rows (39 columns) …`);
      execFileSync(join(root, 'target/release/huntviz-gen'), [String(n), '--seed', seed, '--mde', '-o', source], {
        stdio: 'inherit'
      });
    }
    const name = `huntviz_${n}.ipynb`;
    writeFileSync(
      join(work, name),
      notebook('python3', [
        load(source, 'import huntviz'),
        'huntviz.show(df, view="process-tree")',
        'print(json.dumps({**_._timings, "payload_bytes": len(json.dumps(_._repr_mimebundle_()))}))'
      ])
    );
    const runs = [];
    for (let i = 0; i < repeats; i++) {
      const r = await timeCell(browser, name, {
        until: 'huntviz',
        timeoutMs: 120_000,
        kernelTimings: true,
        profileTo: profile ? join(root, `bench/results/lab-${n}.cpuprofile`) : null
      });
      runs.push(stages(r));
      console.log(
        `${n}: huntviz run ${i + 1}: ${s(r.totalMs)} ${JSON.stringify(stages(r), (k, v) => (typeof v === 'number' ? Math.round(v) : v))}`
      );
    }
    const row = { rows: n, responseBytes: statSync(source).size, huntviz: runs };
    if (select) {
      row.selectMs = await timeSelection(browser, n, source);
      console.log(
        `${n}: all ${n} rows selected → in Python: ${s(row.selectMs)} (${((4 * n) / 1e6).toFixed(1)} MB of u32)`
      );
    }
    if (pivot) {
      row.pivot = await timePivot(browser, n, source);
      console.log(
        `${n}: pivot adding ${PIVOT_ROWS} children → grown tree on screen: ${s(row.pivot.totalMs)} ` +
          `(the kernel's answer after ${s(row.pivot.answerMs)})`
      );
    }
    if (linked) {
      row.linked = await timeLinked(browser, n, source);
      console.log(
        `${n}: a process selected → timeline, graph and table: median ${row.linked.medianMs.toFixed(1)} ms, ` +
          `p95 ${row.linked.p95Ms.toFixed(1)} ms over ${row.linked.selections} selections; ` +
          `last drawing per pane ${JSON.stringify(row.linked.drawMs)} ms`
      );
      const f = row.linked.filter;
      console.log(
        `${n}: search "${f.query}" (${f.matches} in the tree) → the 3 other panes: ${f.searchMs.toFixed(1)} ms; ` +
          `"matches only" → the 3 other panes: on median ${f.onMedianMs.toFixed(1)} ms, off median ` +
          `${f.offMedianMs.toFixed(1)} ms, p95 ${f.p95Ms.toFixed(1)} ms over ${f.toggles} toggles`
      );
    }
    if (msticpySizes.includes(n)) {
      const mpName = `msticpy_${n}.ipynb`;
      writeFileSync(
        join(work, mpName),
        notebook('msticpy-bench', [
          // BokehJS inline, as a notebook must carry it to render offline (and this
          // browser has no CDN).
          load(source, 'import os\nos.environ["BOKEH_RESOURCES"] = "inline"\nimport msticpy.vis.mp_pandas_plot'),
          'df.mp_plot.process_tree()'
        ])
      );
      try {
        const r = await timeCell(browser, mpName, {
          until: 'bokeh',
          timeoutMs: mpTimeoutS * 1000,
          kernelTimings: false
        });
        row.msticpy = { totalMs: r.totalMs };
        console.log(`${n}: MSTICPy ${s(r.totalMs)}`);
      } catch (e) {
        row.msticpy = { failed: `did not render within ${mpTimeoutS} s (${String(e.message).split('\n')[0]})` };
        console.log(`${n}: MSTICPy ${row.msticpy.failed}`);
      }
    }
    rows.push(row);
  }
} finally {
  await browser.close();
  server.kill('SIGTERM');
  rmSync(work, { recursive: true, force: true });
}

const version = await (async () => {
  const b = await launchChromium();
  const v = b.version();
  await b.close();
  return `Chromium ${v}`;
})();
writeFileSync(join(root, 'bench/results/lab.json'), JSON.stringify({ chromium: version, seed, rows }, null, 1));
console.log(`\n${version}; median of ${repeats} runs; 39-column DeviceProcessEvents, seed ${seed}\n`);
console.log(
  '| events | huntviz Shift+Enter → tree on screen | MSTICPy Shift+Enter → Bokeh idle | huntviz output |\n|---:|---:|---:|---:|'
);
for (const r of rows) {
  const mp = r.msticpy ? (r.msticpy.failed ?? s(r.msticpy.totalMs)) : 'not run';
  console.log(
    `| ${r.rows.toLocaleString('en-US')} | **${s(median(r.huntviz.map(x => x.total)))}** (${r.huntviz.map(x => s(x.total)).join(', ')}) | ${mp} | ${median(r.huntviz.map(x => x.frameMB)).toFixed(1)} MB |`
  );
}
const cols = [
  ['toKernel', 'key → kernel'],
  ['encode', 'encode'],
  ['compress', 'compress'],
  ['kernelRest', 'rest of kernel'],
  ['toRenderer', "iopub, server, websocket and JupyterLab's output model"],
  ['unpack', 'unpack into wasm'],
  ['parseBuild', 'parse + build'],
  ['paint', 'paint']
];
console.log(`\n| events | ${cols.map(c => c[1]).join(' | ')} |\n|---:|${cols.map(() => '---:').join('|')}|`);
for (const r of rows) {
  console.log(
    `| ${r.rows.toLocaleString('en-US')} | ${cols.map(([k]) => `${Math.round(median(r.huntviz.map(x => x[k])))} ms`).join(' | ')} |`
  );
}
