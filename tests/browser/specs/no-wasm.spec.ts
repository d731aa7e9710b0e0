/**
 * Where the page has no WebAssembly (V8 without its JIT, as browsers in their strictest
 * security modes run), the same engine runs as JavaScript: the demo's saved outputs
 * render, each status line says which engine drew it, and the views work.
 */
import { expect, galata, test } from '@jupyterlab/galata';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DEMO, openWithoutKernel, ROOT, statuses, treeStatus } from './helpers';

const NOTICE = ' · JavaScript engine: this page does not allow WebAssembly';

test.describe('no WebAssembly', () => {
  test.use({ autoGoto: true });

  test('the demo renders with the JavaScript engine and says so', async ({ page, tmpPath }) => {
    expect(await page.evaluate(() => typeof WebAssembly)).toBe('undefined');
    const events = path.join(ROOT, 'examples/data/process_events.json');
    const table = JSON.parse(fs.readFileSync(events, 'utf-8')).tables[0];
    await page.contents.uploadFile(DEMO, `${tmpPath}/demo.ipynb`);
    await openWithoutKernel(page, `${tmpPath}/demo.ipynb`);
    const tree = treeStatus(events);
    const counts = `Table · ${table.rows.length.toLocaleString('en-US')} rows × ${table.columns.length} columns`;
    // The first two outputs are the process tree (one of them packed), the third the table.
    await expect(statuses(page).nth(0)).toHaveText(tree + NOTICE, { timeout: 120_000 });
    await expect(statuses(page).nth(1)).toHaveText(tree + NOTICE);
    await expect(statuses(page).nth(2)).toHaveText(counts + NOTICE);
    await expect(statuses(page)).toHaveCount(6);
    for (let i = 3; i < 6; i++) {
      await expect(statuses(page).nth(i)).toHaveText(new RegExp(`${NOTICE}$`));
    }
    // The views work: the grid's mirror lists the first row, the tree searches.
    const grid = page.locator('.jp-HuntvizOutput').nth(2);
    await expect(grid.locator('.hv-sr-only tbody tr').first().locator('td').first()).toHaveText(table.rows[0][0]);
    const first = page.locator('.jp-HuntvizOutput').first();
    await first.locator('.hv-search').fill('certutil');
    await first.locator('.hv-search').press('Enter');
    await expect(first.locator('.hv-detail-title')).toHaveText(/^certutil\.exe \(\w+\)$/);
  });
});

void galata;
