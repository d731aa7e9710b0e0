/**
 * Shared by the browser specs: notebooks made of saved huntviz outputs, opening them
 * with no kernel, and reading the canvas.
 */
import { expect, IJupyterLabPageFixture } from '@jupyterlab/galata';
import type { Locator, Page } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export const ROOT = path.resolve(__dirname, '../../..');
export const DEMO = path.join(ROOT, 'examples/demo.ipynb');
export const EVENTS = path.join(ROOT, 'examples/data/process_events.json');
export const MIME = 'application/vnd.huntviz.v1+json';

/** A notebook whose code cells show these huntviz payloads as saved outputs. */
export function notebookWithOutputs(payloads: (Record<string, unknown> | string)[]): string {
  return JSON.stringify({
    nbformat: 4,
    nbformat_minor: 5,
    metadata: {
      kernelspec: { name: 'python3', display_name: 'Python 3 (ipykernel)', language: 'python' }
    },
    cells: payloads.map((p, i) => ({
      cell_type: 'code',
      id: `cell-${i}`,
      execution_count: i + 1,
      metadata: {},
      source: `huntviz.show(...)  # saved output ${i}`,
      outputs: [
        {
          output_type: 'execute_result',
          execution_count: i + 1,
          metadata: {},
          data: { [MIME]: p, 'text/plain': `huntviz output ${i}` }
        }
      ]
    }))
  });
}

export function statuses(page: IJupyterLabPageFixture): Locator {
  return page.locator('.jp-HuntvizOutput .hv-status');
}

/**
 * Opens a notebook with no kernel: creating a session is refused, JupyterLab reports
 * "Error Starting Kernel", then "No Kernel" is chosen; the outputs must render from the
 * saved notebook alone.
 */
export async function openWithoutKernel(page: IJupyterLabPageFixture, file: string): Promise<void> {
  // A session left from an earlier opening (closing a notebook does not end it) would be
  // joined without asking: ended first, so this opening has no kernel.
  const sessions = (await (await page.request.get('/api/sessions')).json()) as { id: string; path: string }[];
  for (const s of sessions.filter(s => s.path === file || s.path.endsWith(`/${file}`))) {
    expect((await page.request.delete(`/api/sessions/${s.id}`)).ok()).toBe(true);
  }
  await page.route('**/api/sessions**', route =>
    route.request().method() === 'POST' ? route.abort() : route.continue()
  );
  await page.notebook.openByPath(file);
  const dialog = page.locator('.jp-Dialog');
  await expect(dialog).toContainText('Error Starting Kernel');
  await dialog.locator('.jp-Dialog-footer button').last().click();
  await expect(dialog).toContainText('Select Kernel');
  await dialog.getByRole('button', { name: 'No Kernel' }).click();
  await expect(dialog).toHaveCount(0);
}

export async function canvasPixel(output: Locator, fromRight: number, fromBottom: number): Promise<number[]> {
  return output.locator('canvas.hv-canvas').evaluate(
    (c: HTMLCanvasElement, [dx, dy]) => {
      const ctx = c.getContext('2d');
      if (!ctx) {
        return [];
      }
      return Array.from(ctx.getImageData(c.width - dx, c.height - dy, 1, 1).data);
    },
    [fromRight, fromBottom]
  );
}

/**
 * How far two screenshots of the same size are apart: the largest difference of any
 * colour channel, decoded by the page. Chromium's compositor may shade an anti-aliased
 * corner one level apart between two identical pages; what a page really draws
 * differently (a colour, a missing line, text) is far beyond that.
 */
export async function screenshotDistance(page: Page, a: Buffer, b: Buffer): Promise<number> {
  return page.evaluate(
    async ([x, y]) => {
      const pixels = async (b64: string) => {
        const bytes = Uint8Array.from(atob(b64), ch => ch.charCodeAt(0));
        const bitmap = await createImageBitmap(new Blob([bytes], { type: 'image/png' }));
        const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
        const ctx = canvas.getContext('2d') as OffscreenCanvasRenderingContext2D;
        ctx.drawImage(bitmap, 0, 0);
        return ctx.getImageData(0, 0, bitmap.width, bitmap.height);
      };
      const [p, q] = [await pixels(x), await pixels(y)];
      if (p.width !== q.width || p.height !== q.height) {
        return 255;
      }
      let most = 0;
      for (let i = 0; i < p.data.length; i++) {
        most = Math.max(most, Math.abs(p.data[i] - q.data[i]));
      }
      return most;
    },
    [a.toString('base64'), b.toString('base64')]
  );
}

/** The process-tree status line the native engine (`huntviz tree --json`) gives a file. */
export function treeStatus(file: string): string {
  const { summary: s } = JSON.parse(
    execFileSync(path.join(ROOT, 'target/debug/huntviz'), ['tree', file, '--json'], { maxBuffer: 1 << 28 }).toString()
  );
  const n = (v: number, one: string, many: string) => `${v.toLocaleString('en-US')} ${v === 1 ? one : many}`;
  return (
    `Process tree · ${n(s.processes, 'process', 'processes')} · ${n(s.roots, 'root', 'roots')} · ` +
    `depth ${s.depth} · ${n(s.hosts, 'host', 'hosts')} · ${s.inferred.toLocaleString('en-US')} inferred`
  );
}

/**
 * Clicks the output's Export SVG button and checks what a hostile fixture must give:
 * the strings escaped in the file, no script or img element, and nothing ran — no
 * canary, no dialog (`pwned` collects them), no element made from the data.
 * Returns the downloaded file name.
 */
export async function expectInertExport(
  page: IJupyterLabPageFixture,
  output: Locator,
  pwned: string[]
): Promise<string> {
  const [download] = await Promise.all([page.waitForEvent('download'), output.locator('.hv-export').click()]);
  const svg = fs.readFileSync((await download.path())!, 'utf-8');
  expect(svg).not.toContain('<script');
  expect(svg).not.toContain('<img');
  expect(svg).toContain('&lt;img src=x onerror=');
  expect(await page.evaluate(() => (window as any).__huntvizPwned)).toBeUndefined();
  expect(await page.locator('.jp-HuntvizOutput img, .jp-HuntvizOutput script, .jp-HuntvizOutput b').count()).toBe(0);
  expect(pwned).toEqual([]);
  return download.suggestedFilename();
}

/**
 * The status lines of the demo notebook's six outputs, computed from its data (the tree's
 * by the native engine): what every client must show from the saved notebook.
 */
export function demoStatuses(): string[] {
  const table = JSON.parse(fs.readFileSync(EVENTS, 'utf-8')).tables[0];
  const counts = `Table · ${table.rows.length.toLocaleString('en-US')} rows × ${table.columns.length} columns`;
  const tree = treeStatus(EVENTS);
  const times = table.rows.map((r: string[]) => r[0]).sort();
  const hostCount = new Set(table.rows.map((r: unknown[]) => r[1])).size;
  const timeline =
    `Timeline · ${table.rows.length.toLocaleString('en-US')} events · ${hostCount} lanes · ` +
    `${times[0].slice(0, 16).replace('T', ' ')} – ${times[times.length - 1].slice(11, 16)} UTC · 1 marker`;
  const col = (name: string) => table.columns.findIndex((c: { name: string }) => c.name === name);
  const pairs = new Set(table.rows.map((r: string[]) => `${r[col('AccountName')]}→${r[col('DeviceName')]}`));
  const accounts = new Set(table.rows.map((r: string[]) => r[col('AccountName')])).size;
  const graph = `Graph · ${accounts + hostCount} entities · ${pairs.size} links · 2 types`;
  // Process events open as a process tree (the first two outputs are saved compressed);
  // the DataFrame is shown as a table; the Kusto v2 partial result reports its limit
  // error, its completion error and the announced-versus-arrived row count.
  return [tree, tree, counts, 'Table · 3 rows × 2 columns · 3 warnings', timeline, graph];
}

/**
 * Takes `page` offline: every request but for a `file:` URL fails. Returns the list the
 * refused URLs are added to (a report or an exported page must make none).
 */
export async function offline(page: Page): Promise<string[]> {
  const refused: string[] = [];
  await page.route('**', route => {
    const url = route.request().url();
    if (url.startsWith('file:')) {
      return route.continue();
    }
    refused.push(url);
    return route.abort();
  });
  return refused;
}

/**
 * Writes a report of three views of the fixtures with `huntviz.save` — a process tree,
 * the hostile table (its title a markup canary) and a timeline — and returns its path.
 */
export function sampleReport(title: string): string {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'huntviz-report-')), 'report.html');
  execFileSync(path.join(ROOT, '.venv/bin/python'), [
    '-c',
    [
      'import sys, huntviz',
      'read = lambda name: open(f"{sys.argv[1]}/{name}", encoding="utf-8").read()',
      'huntviz.save([',
      '    huntviz.show(read("sysmon.csv"), view="process-tree", title="Processes"),',
      '    huntviz.show(read("hostile.json"), view="table", title="<img src=x onerror=\\"window.__huntvizPwned=1\\">"),',
      '    huntviz.show(read("timeline_events.json"), view="timeline", title="Timeline"),',
      '], sys.argv[2], title=sys.argv[3])'
    ].join('\n'),
    path.join(ROOT, 'tests/fixtures'),
    file,
    title
  ]);
  return file;
}
