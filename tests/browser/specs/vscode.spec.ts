/**
 * The VS Code notebook renderer (lib/vscode, built by `npm run build`) against the
 * renderer API's contract, in Chromium: the module is imported as VS Code's notebook
 * webview imports a renderer's entrypoint, `activate(context)` is called, then
 * `renderOutputItem(item, element)` with a saved output's JSON and `disposeOutputItem`.
 * VS Code itself cannot be started here (its test runners download it).
 */
import { expect, test } from '@playwright/test';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { MIME, ROOT, treeStatus } from './helpers';

const ORIGIN = 'http://vscode-webview.test';
const FIXTURES = path.join(ROOT, 'tests/fixtures');

test('the VS Code renderer draws a saved output in the webview theme and disposes it', async ({ page }) => {
  const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, 'lib/vscode/package.json'), 'utf-8'));
  const [contribution] = manifest.contributes.notebookRenderer;
  expect(contribution.mimeTypes).toEqual([MIME]);
  expect(manifest.version).toBe(JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf-8')).version);
  const payload = { view: 'process-tree', data: fs.readFileSync(path.join(FIXTURES, 'sysmon.csv'), 'utf-8') };
  const requests: string[] = [];
  await page.route('**', async route => {
    const url = route.request().url();
    if (url === `${ORIGIN}/index.html`) {
      // A webview page as VS Code's: a theme class on the body, its CSS variables.
      return route.fulfill({
        contentType: 'text/html',
        body:
          '<!DOCTYPE html><html><head><style>:root{--vscode-editor-background:#1e1e1e;' +
          '--vscode-foreground:#ccc;--vscode-editor-foreground:#d4d4d4}</style></head>' +
          '<body class="vscode-dark"><div id="a"></div><div id="b"></div></body></html>'
      });
    }
    if (url === `${ORIGIN}/renderer.js`) {
      return route.fulfill({
        contentType: 'text/javascript',
        body: fs.readFileSync(path.join(ROOT, 'lib/vscode', contribution.entrypoint), 'utf-8')
      });
    }
    requests.push(url);
    return route.abort();
  });
  await page.goto(`${ORIGIN}/index.html`);
  await page.evaluate(
    async ([p, mime]) => {
      const { activate } = await import('./renderer.js' as string);
      const renderer = activate({ workspace: { isTrusted: false } });
      (window as unknown as { renderer: unknown }).renderer = renderer;
      renderer.renderOutputItem({ id: 'a', mime, json: () => p }, document.getElementById('a'));
      renderer.renderOutputItem({ id: 'b', mime, json: () => ({ nodata: 1 }) }, document.getElementById('b'));
    },
    [payload, MIME] as const
  );
  const output = page.locator('#a .jp-HuntvizOutput');
  await expect(output.locator('.hv-status')).toHaveText(treeStatus(path.join(FIXTURES, 'sysmon.csv')));
  // A payload it cannot use is a message in the output, not a blank.
  await expect(page.locator('#b .hv-error')).toContainText('has no "data"');
  // The webview's dark theme reaches the canvas (the engine draws a dark background).
  const pixel = await output
    .locator('canvas.hv-canvas')
    .evaluate((c: HTMLCanvasElement) => Array.from(c.getContext('2d')!.getImageData(2, c.height - 2, 1, 1).data));
  expect(pixel[0] + pixel[1] + pixel[2]).toBeLessThan(200);
  await expect(page.locator('#a .hv-export-html')).toBeHidden();
  // Disposing the item removes the view.
  await page.evaluate(() =>
    (window as unknown as { renderer: { disposeOutputItem(id?: string): void } }).renderer.disposeOutputItem('a')
  );
  await expect(page.locator('#a .jp-HuntvizOutput')).toHaveCount(0);
  expect(requests).toEqual([]);
});
