/**
 * huntviz in a real JupyterLab and Chromium: saved outputs without a kernel, trust,
 * hostile strings, broken payloads, theme switches, live cells and grid interaction.
 */
import { expect, galata, test } from '@jupyterlab/galata';
import type { Locator } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { deflateSync } from 'node:zlib';
import {
  canvasPixel,
  DEMO,
  demoStatuses,
  EVENTS,
  expectInertExport,
  notebookWithOutputs,
  openWithoutKernel,
  ROOT,
  screenshotDistance,
  statuses,
  treeStatus
} from './helpers';

/** Where a column's header is, from the accessible mirror's geometry. */
async function headerCenter(output: Locator, name: string): Promise<{ x: number; y: number }> {
  const th = output.locator('.hv-sr-only th', { hasText: name }).first();
  await expect(th).toBeAttached();
  const left = Number(await th.getAttribute('data-left'));
  const width = Number(await th.getAttribute('data-width'));
  return { x: left + width / 2, y: 12 };
}

/** The text of a column in the first mirror row. */
async function firstRowCell(output: Locator, name: string): Promise<Locator> {
  const headers = await output.locator('.hv-sr-only th').allTextContents();
  const index = headers.findIndex(h => h.startsWith(`${name} (`));
  expect(index).toBeGreaterThanOrEqual(0);
  return output.locator('.hv-sr-only tbody tr').first().locator('td').nth(index);
}

test.describe('huntviz renderer', () => {
  test.use({ autoGoto: true });

  test('the engine is compiled once the page is idle, before any huntviz output', async ({ page }) => {
    // The launcher only: no huntviz output anywhere. The wasm module (hashed name in the
    // labextension's static files) is fetched anyway, and not the JavaScript fallback.
    const loaded = () =>
      page.evaluate(() =>
        performance
          .getEntriesByType('resource')
          .map(e => e.name)
          .filter(n => n.includes('/extensions/huntviz/static/'))
      );
    await expect.poll(async () => (await loaded()).some(n => n.endsWith('.wasm')), { timeout: 20_000 }).toBe(true);
    expect((await loaded()).some(n => n.includes('pkg-js'))).toBe(false);
    await expect(page.locator('.jp-HuntvizOutput')).toHaveCount(0);
  });

  test('saved demo outputs render with no kernel running', async ({ page, tmpPath }) => {
    const table = JSON.parse(fs.readFileSync(EVENTS, 'utf-8')).tables[0];
    const expected = demoStatuses();
    const tree = expected[0];
    await page.contents.uploadFile(DEMO, `${tmpPath}/demo.ipynb`);
    await openWithoutKernel(page, `${tmpPath}/demo.ipynb`);
    await expect(statuses(page)).toHaveText(expected);
    // The status line is also the accessible name of the live region.
    await expect(statuses(page).first()).toHaveAttribute('role', 'status');
    await expect(statuses(page).first()).toHaveAttribute('aria-label', tree);
    // The tree painted: its accessible mirror starts with the first host, at level 1.
    const first = page.locator('.jp-HuntvizOutput').first();
    const hosts = [...new Set(table.rows.map((r: unknown[]) => r[1]))].sort();
    await expect(first.locator('.hv-sr-only tbody tr').first().locator('td').first()).toHaveText(String(hosts[0]));
    await expect(first.locator('.hv-sr-only tbody tr').first()).toHaveAttribute('aria-level', '1');
    // The grid painted: its mirror lists the first rows of the DataFrame.
    const grid = page.locator('.jp-HuntvizOutput').nth(2);
    await expect(grid.locator('.hv-sr-only tbody tr').first().locator('td').first()).toHaveText(table.rows[0][0]);
    // Warnings open to list them.
    const partial = page.locator('.jp-HuntvizOutput').nth(3);
    await partial.locator('.hv-warnings-toggle').click();
    await expect(partial.locator('.hv-warning')).toHaveCount(3);
    await expect(partial.locator('.hv-warning').first()).toContainText('80DA0003');
    const kernels = await (await page.request.get('/api/kernels')).json();
    expect(kernels).toEqual([]);
  });

  test('an untrusted notebook renders exactly like a trusted one', async ({ page, tmpPath }) => {
    // The same notebook twice: one signed by this user (trusted), one edited after
    // signing elsewhere, as a colleague's shared notebook is (untrusted).
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'huntviz-trust-'));
    const notebook = JSON.parse(fs.readFileSync(DEMO, 'utf-8'));
    notebook.metadata.huntviz_test_copy = `${Date.now()}-${Math.random()}`;
    const signed = path.join(dir, 'trusted.ipynb');
    const unsigned = path.join(dir, 'untrusted.ipynb');
    fs.writeFileSync(unsigned, JSON.stringify(notebook));
    fs.writeFileSync(signed, JSON.stringify(notebook));
    execFileSync(path.join(ROOT, '.venv/bin/jupyter'), ['trust', signed]);
    notebook.metadata.huntviz_test_copy += '-shared';
    fs.writeFileSync(unsigned, JSON.stringify(notebook));
    await page.contents.uploadFile(signed, `${tmpPath}/trusted.ipynb`);
    await page.contents.uploadFile(unsigned, `${tmpPath}/untrusted.ipynb`);

    const shots: Buffer[][] = [];
    const pixels: string[][] = [];
    const markup: string[][] = [];
    const texts: string[][] = [];
    for (const [name, trusted] of [
      ['trusted.ipynb', true],
      ['untrusted.ipynb', false]
    ] as const) {
      await openWithoutKernel(page, `${tmpPath}/${name}`);
      await page.notebook.activate(name);
      const isTrusted = await page.evaluate(() => {
        const app = (window as any).jupyterapp;
        return app.shell.currentWidget.content.model.cells.get(1).trusted as boolean;
      });
      expect(isTrusted).toBe(trusted);
      const panel = page.locator('.jp-NotebookPanel:not(.lm-mod-hidden)');
      const outputs = panel.locator('.jp-HuntvizOutput');
      await expect(outputs).toHaveCount(6);
      // The graph has laid itself out (deterministically) before it is compared.
      await expect(outputs.nth(5)).toHaveAttribute('data-hv-settled', 'true');
      await expect(outputs.first().locator('.hv-status')).toHaveText(treeStatus(EVENTS));
      texts.push(await panel.locator('.jp-HuntvizOutput .hv-status').allTextContents());
      // Fonts loaded: a view measured with a fallback font is not what either notebook shows.
      await page.evaluate(() => document.fonts.ready.then(() => undefined));
      // The pointer away from every output: a hover highlight or a tooltip that appears
      // in one screenshot and not the other is not a difference between the notebooks.
      await page.mouse.move(0, 0);
      const own: Buffer[] = [];
      const drawn: string[] = [];
      const dom: string[] = [];
      for (const k of [0, 1, 2, 4, 5]) {
        const output = outputs.nth(k);
        await expect(output.locator('.hv-sr-only tbody tr').first()).toBeAttached();
        // The trusted copy writes its missing fallback picture into the notebook once the
        // page is idle; the untrusted one says why it does not. Compared after that.
        await expect(output).toHaveAttribute('data-hv-picture', trusted ? /^\d+x\d+$/ : 'untrusted');
        await output.scrollIntoViewIfNeeded();
        // What was drawn (the canvas's own pixels) and what the page holds (the
        // output's markup, the accessible mirror included) ...
        drawn.push(await output.locator('canvas.hv-canvas').evaluate(c => (c as HTMLCanvasElement).toDataURL()));
        // (its own attributes aside: they say whether a picture was written)
        dom.push(
          await output.evaluate(n => Array.from(n.childNodes, c => new XMLSerializer().serializeToString(c)).join(''))
        );
        // ... and what the screen shows, once two frames in a row agree: a view still
        // settling after the scroll is not a difference between the notebooks.
        let shot = await output.screenshot();
        for (let tries = 0; tries < 10; tries++) {
          await page.evaluate(
            () => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(() => r(undefined))))
          );
          const again = await output.screenshot();
          if (again.equals(shot)) {
            break;
          }
          shot = again;
        }
        own.push(shot);
      }
      shots.push(own);
      pixels.push(drawn);
      markup.push(dom);
      await page.notebook.close(true);
    }
    expect(texts[1]).toEqual(texts[0]);
    const differing = (a: string[], b: string[]) => a.flatMap((x, i) => (x === b[i] ? [] : [i]));
    expect(differing(pixels[1], pixels[0]), 'outputs whose canvas differs').toEqual([]);
    expect(differing(markup[1], markup[0]), 'outputs whose markup differs').toEqual([]);
    const distances: number[] = [];
    for (const [i, shot] of shots[1].entries()) {
      distances.push(await screenshotDistance(page, shots[0][i], shot));
      if (distances[i] > 2) {
        fs.writeFileSync(test.info().outputPath(`trusted-${i}.png`), shots[0][i]);
        fs.writeFileSync(test.info().outputPath(`untrusted-${i}.png`), shot);
      }
    }
    // Each output on the screen: the same to the last anti-aliasing level.
    expect(
      distances.every(d => d <= 2),
      `largest colour difference per output: ${distances}`
    ).toBe(true);
  });

  test('hostile strings stay literal text and nothing runs', async ({ page, tmpPath }) => {
    const pwned: string[] = [];
    page.on('dialog', async dialog => {
      pwned.push(`dialog: ${dialog.message()}`);
      await dialog.dismiss();
    });
    const hostile = fs.readFileSync(path.join(ROOT, 'tests/fixtures/hostile.json'), 'utf-8');
    await page.contents.uploadContent(
      notebookWithOutputs([
        { view: 'table', data: hostile, title: '<b onmouseover="window.__huntvizPwned=1">title</b>' }
      ]),
      'text',
      `${tmpPath}/hostile.ipynb`
    );
    await page.notebook.openByPath(`${tmpPath}/hostile.ipynb`);
    const output = page.locator('.jp-HuntvizOutput').first();
    await expect(output.locator('.hv-status')).toHaveText('Table · 3 rows × 4 columns');
    await expect(output.locator('.hv-title')).toHaveText('<b onmouseover="window.__huntvizPwned=1">title</b>');
    const mirror = output.locator('.hv-sr-only');
    await expect(mirror.locator('th').first()).toHaveText('TimeGenerated (datetime)');
    // Scroll to the last column: the mirror follows the visible columns.
    await output.locator('.hv-scroller').evaluate(el => (el.scrollLeft = el.scrollWidth));
    await expect(mirror.locator('th').last()).toHaveText(
      `<img src=x onerror="window.__huntvizPwned='column'"> (string)`
    );
    await output.locator('.hv-scroller').evaluate(el => (el.scrollLeft = 0));
    await expect(mirror.locator('th').first()).toHaveText('TimeGenerated (datetime)');
    await expect(mirror.locator('tbody tr').first().locator('td').nth(1)).toHaveText(
      `<img src=x onerror="window.__huntvizPwned='img'">`
    );
    await expect(mirror.locator('tbody tr').first().locator('td').nth(2)).toHaveText(
      "<script>window.__huntvizPwned='script'</script>"
    );
    // The right-to-left override is shown, not obeyed.
    await expect(mirror.locator('tbody tr').nth(1).locator('td').nth(1)).toHaveText('evil⟨U+202E⟩gnp.exe');
    // Select the hostile cell: the detail bar shows it as text, copy gives the raw value.
    const box = (await output.locator('.hv-scroller').boundingBox())!;
    await page.mouse.click(box.x + 260, box.y + 60);
    await expect(output.locator('.hv-detail-value')).toHaveText(`<img src=x onerror="window.__huntvizPwned='img'">`);
    // Hover every row so tooltips (elided cells) are built from hostile text too.
    for (let y = 50; y < 130; y += 10) {
      await page.mouse.move(box.x + 260, box.y + y);
    }
    // Export: the SVG holds the strings escaped; nothing ran.
    expect(await expectInertExport(page, output, pwned)).toBe('huntviz-table.svg');
  });

  test('escaped strings decode exactly in the engine (the wasm SIMD scan)', async ({ page, tmpPath }) => {
    // Escapes at every offset of a 16-byte block: the wasm build scans and decodes
    // strings a SIMD vector at a time, which the host tests do not run.
    const text = fs.readFileSync(path.join(ROOT, 'tests/fixtures/escapes.json'), 'utf-8');
    const expected: string[] = JSON.parse(text).tables[0].rows.map((r: unknown[]) => String(r[1]));
    await page.contents.uploadContent(
      notebookWithOutputs([{ view: 'table', data: text }]),
      'text',
      `${tmpPath}/escapes.ipynb`
    );
    await page.notebook.openByPath(`${tmpPath}/escapes.ipynb`);
    const output = page.locator('.jp-HuntvizOutput').first();
    await expect(output.locator('.hv-status')).toHaveText(`Table · ${expected.length} rows × 2 columns`);
    const seen = new Set<number>();
    const check = async () => {
      const rows = await output
        .locator('.hv-sr-only tbody tr')
        .evaluateAll(trs =>
          trs.map(
            tr => [Number((tr as HTMLElement).dataset.row), tr.querySelectorAll('td')[1]?.textContent ?? ''] as const
          )
        );
      for (const [row, cell] of rows) {
        expect(cell, `row ${row}`).toBe(expected[row - 1]);
        seen.add(row);
      }
    };
    await expect(output.locator('.hv-sr-only tbody tr').first()).toBeAttached();
    await check();
    await output.locator('.hv-scroller').evaluate(el => (el.scrollTop = el.scrollHeight));
    await expect(output.locator(`.hv-sr-only tbody tr[data-row="${expected.length}"]`)).toBeAttached();
    await check();
    expect(seen.size).toBe(expected.length);
  });

  test('a broken payload shows what is wrong and where', async ({ page, tmpPath }) => {
    await page.contents.uploadContent(
      notebookWithOutputs([
        { data: '{"tables":[{"name":"T","columns":[{"name":"a","type":"long"}],"rows":[[1],[2,]]}]}' },
        { data: 'this is not a query result' },
        { view: 'pie', data: '{"tables":[]}' },
        { nodata: true },
        { data: '<b>not base64</b>', encoding: 'zlib-base64', size: 10 },
        // A decompression bomb: 50 KB that would unpack to 50 MB, declared as 100 bytes.
        { data: deflateSync(Buffer.alloc(50_000_000)).toString('base64'), encoding: 'zlib-base64', size: 100 },
        // The text form with no header line.
        'eJwrAQAAdQB1'
      ]),
      'text',
      `${tmpPath}/broken.ipynb`
    );
    await openWithoutKernel(page, `${tmpPath}/broken.ipynb`);
    const errors = page.locator('.jp-HuntvizOutput .hv-error[role="alert"]');
    await expect(errors).toHaveCount(7);
    await expect(errors.nth(0)).toContainText("trailing comma before ']' (line 1, column");
    await expect(errors.nth(1)).toContainText('not a recognised query result');
    await expect(errors.nth(2)).toContainText('unknown view "pie"');
    await expect(errors.nth(3)).toContainText('has no "data"');
    await expect(errors.nth(4)).toContainText('the compressed result is not valid base64');
    await expect(errors.nth(5)).toContainText('unpacks to more than its declared 100 bytes');
    await expect(errors.nth(6)).toContainText('does not start with a line of JSON (an object) and a newline');
    await expect(statuses(page).first()).toHaveText('Error · huntviz could not show this result');
  });

  test('a theme switch recolours the grid without reading the data again', async ({ page, tmpPath }) => {
    await page.contents.uploadFile(DEMO, `${tmpPath}/demo.ipynb`);
    await openWithoutKernel(page, `${tmpPath}/demo.ipynb`);
    const output = page.locator('.jp-HuntvizOutput').first();
    await expect(output.locator('.hv-sr-only tbody tr').first()).toBeAttached();
    await expect.poll(() => canvasPixel(output, 4, 4)).not.toEqual([]);
    const light = await canvasPixel(output, 4, 4);
    await page.theme.setDarkTheme();
    await expect.poll(async () => (await canvasPixel(output, 4, 4)).join(',')).not.toBe(light.join(','));
    const dark = await canvasPixel(output, 4, 4);
    // Dark background: much darker than the light one.
    expect(dark[0] + dark[1] + dark[2]).toBeLessThan(light[0] + light[1] + light[2] - 200);
    await expect(output).toHaveAttribute('data-hv-builds', '1');
    await page.theme.setLightTheme();
    await expect.poll(async () => (await canvasPixel(output, 4, 4)).join(',')).toBe(light.join(','));
    // The grid follows its container: hiding the side panel widens the notebook.
    const canvas = output.locator('canvas.hv-canvas');
    const width = await canvas.evaluate((c: HTMLCanvasElement) => c.clientWidth);
    await page.evaluate(() => (window as any).jupyterapp.commands.execute('application:toggle-left-area'));
    await expect.poll(() => canvas.evaluate((c: HTMLCanvasElement) => c.clientWidth)).not.toBe(width);
    await expect(output).toHaveAttribute('data-hv-builds', '1');
  });

  test('a live huntviz.show(df) cell renders, with exact 64-bit integers', async ({ page }) => {
    await page.notebook.createNew('live.ipynb');
    await page.notebook.setCell(
      0,
      'code',
      [
        'import pandas as pd, huntviz',
        'df = pd.DataFrame({"ProcessId": [9223372036854775807, 9007199254740993, 4],',
        '                   "FileName": ["lsass.exe", "cmd.exe", "System"]})',
        'huntviz.show(df)'
      ].join('\n')
    );
    await page.notebook.runCell(0);
    const output = page.locator('.jp-HuntvizOutput').first();
    await expect(output.locator('.hv-status')).toHaveText('Table · 3 rows × 2 columns');
    const cells = output.locator('.hv-sr-only tbody td');
    await expect(cells.nth(0)).toHaveText('9223372036854775807');
    await expect(cells.nth(2)).toHaveText('9007199254740993');
  });

  test('grid: typed sort, tooltip for elided values, exact copy, keyboard', async ({ page, tmpPath }) => {
    await page.setViewportSize({ width: 1800, height: 900 });
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
    await page.contents.uploadFile(DEMO, `${tmpPath}/demo.ipynb`);
    await openWithoutKernel(page, `${tmpPath}/demo.ipynb`);
    // The first output opened as a process tree; the view menu switches it to the table.
    const output = page.locator('.jp-HuntvizOutput').first();
    await output.locator('select.hv-view').selectOption('table');
    await expect(output.locator('.hv-status')).toHaveText('Table · 1,010 rows × 15 columns');
    const scroller = output.locator('.hv-scroller');
    const firstRow = output.locator('.hv-sr-only tbody tr').first();
    await expect(firstRow).toBeAttached();
    // The row-number column is frozen at the left; the header at the top.
    const box = (await scroller.boundingBox())!;
    // Sort by ProcessId (a long column), ascending then descending: numeric order,
    // not text order (text order would put 1048 before 712).
    const rows: unknown[][] = JSON.parse(fs.readFileSync(EVENTS, 'utf-8')).tables[0].rows;
    const pids = rows.map(r => Number(r[5]));
    const pidHeader = await headerCenter(output, 'ProcessId');
    await scroller.click({ position: pidHeader });
    await expect(await firstRowCell(output, 'ProcessId')).toHaveText(String(Math.min(...pids)));
    await scroller.click({ position: pidHeader });
    await expect(await firstRowCell(output, 'ProcessId')).toHaveText(String(Math.max(...pids)));
    // Datetimes sort by time: descending puts the latest event first.
    const times = rows.map(r => String(r[0])).sort();
    const timeHeader = await headerCenter(output, 'TimeGenerated');
    await scroller.click({ position: timeHeader });
    await scroller.click({ position: timeHeader });
    await expect(await firstRowCell(output, 'TimeGenerated')).toHaveText(times[times.length - 1]);
    // A long command line is elided on the canvas; hovering shows it whole.
    const longRow = rows.findIndex(r => String(r[6]).length > 80);
    expect(longRow).toBeGreaterThanOrEqual(0);
    await scroller.click({ position: timeHeader }); // back to the source order
    const tr = output.locator(`.hv-sr-only tbody tr[data-row="${longRow + 1}"]`);
    await expect(tr).toBeAttached();
    const th = output.locator('.hv-sr-only th', { hasText: 'ProcessCommandLine' }).first();
    const cellX = box.x + Number(await th.getAttribute('data-left')) + 20;
    const cellY = box.y + Number(await tr.getAttribute('data-top')) + 8;
    const tooltip = output.locator('.hv-tooltip');
    await expect
      .poll(async () => {
        await page.mouse.move(cellX, cellY);
        await page.mouse.move(cellX + 2, cellY + 1);
        return tooltip.isVisible();
      })
      .toBe(true);
    await expect(tooltip).toHaveText(String(rows[longRow][6]));
    const tip = await tooltip.textContent();
    // Click the cell and copy: the clipboard gets the full, exact value.
    await page.mouse.click(cellX + 2, cellY + 1);
    await page.keyboard.press('Control+c');
    const copied = await page.evaluate(() => navigator.clipboard.readText());
    expect(copied).toBe(String(rows[longRow][6]));
    expect(tip).toBe(copied);
    await expect(output.locator('.hv-detail-value')).toHaveText(copied);
    // Dragging a header's right edge widens the column.
    const pid = output.locator('.hv-sr-only th', { hasText: 'ProcessId' }).first();
    const pidLeft = Number(await pid.getAttribute('data-left'));
    const pidWidth = Number(await pid.getAttribute('data-width'));
    await page.mouse.move(box.x + pidLeft + pidWidth - 1, box.y + 10);
    await page.mouse.down();
    await page.mouse.move(box.x + pidLeft + pidWidth + 60, box.y + 10, { steps: 4 });
    await page.mouse.up();
    await expect.poll(async () => Number(await pid.getAttribute('data-width'))).toBeGreaterThan(pidWidth + 55);
    expect(Number(await pid.getAttribute('data-width'))).toBeLessThan(pidWidth + 67);
    // Keyboard: ArrowDown moves the selection one row.
    const label = output.locator('.hv-detail-label');
    const before = await label.textContent();
    await page.keyboard.press('ArrowDown');
    await expect(label).not.toHaveText(before!);
    // Search ("/" focuses it): the rows with a match anywhere, Enter selects the next.
    await page.keyboard.press('/');
    const search = output.locator('.hv-search');
    await expect(search).toBeFocused();
    const wanted = rows.filter(r => r.some(c => String(c).toLowerCase().includes('msiexec'))).length;
    expect(wanted).toBeGreaterThan(0);
    await search.fill('msiexec');
    await search.press('Enter');
    await expect(output.locator('.hv-count')).toHaveText(
      `1 / ${wanted.toLocaleString('en-US')} match${wanted === 1 ? '' : 'es'}`
    );
    const first = rows.findIndex(r => r.some(c => String(c).toLowerCase().includes('msiexec')));
    await expect(output.locator('.hv-detail-label')).toContainText(`Row ${(first + 1).toLocaleString('en-US')} ·`);
  });
});

// Keep the galata symbol referenced (its fixtures are used through `test`).
void galata;
