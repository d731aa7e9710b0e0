/**
 * One hostile output never breaks another: a saved notebook with good outputs around
 * capacity bombs, a packed payload that lies about its size and engine traps (forced
 * through the test hook at construction, in a search and in a legend) — each hostile
 * output shows its own message, every good one renders and keeps working.
 */
import { expect, galata, test } from '@jupyterlab/galata';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { deflateSync } from 'node:zlib';
import { notebookWithOutputs, openWithoutKernel, ROOT, treeStatus } from './helpers';

const fixture = (name: string) => fs.readFileSync(path.join(ROOT, 'tests/fixtures', name), 'utf-8');
const SNAPSHOT = path.join(ROOT, 'tests/fixtures/memory_snapshot.csv');
/** A status line, with the JavaScript engine's notice where the page has no WebAssembly. */
const status = (line: string) =>
  new RegExp(
    `^${line.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}( · JavaScript engine: this page does not allow WebAssembly)?$`
  );
const STOPPED =
  /^huntviz stopped while showing this result: panicked at .*\n?a panic forced by the test hook\. The engine was restarted/;

test.describe('isolation', () => {
  test.use({ autoGoto: true });

  test('traps, bombs and a size lie stay in their own outputs; the good ones render and work', async ({
    page,
    tmpPath
  }) => {
    // The hook only exists on a page that asks for it (data cannot set this).
    await page.evaluate(() => {
      (window as unknown as { __huntvizTestHooks: boolean }).__huntvizTestHooks = true;
    });
    const table = 'Host,Account\nwks-01,alice\nwks-02,bob\n';
    const packed = deflateSync(Buffer.from('x'.repeat(1000))).toString('base64');
    const outputs = [
      { view: 'table', data: table },
      { data: fixture('bomb_columnar_rows.hvc') },
      { data: fixture('bomb_columnar_dict.hvc') },
      { data: packed, encoding: 'zlib-base64', size: 1 << 30 },
      { data: table, options: { test_panic: 'constructor' } },
      { data: table, options: { test_panic: 'constructor' } },
      { data: table, options: { test_panic: 'constructor' } },
      { view: 'process-tree', data: fixture('sysmon.csv'), options: { test_panic: 'search' } },
      { view: 'timeline', data: fixture('timeline_events.json'), options: { test_panic: 'toggle_legend' } },
      { view: 'process-tree', data: fixture('memory_snapshot.csv') }
    ];
    await page.contents.uploadContent(notebookWithOutputs(outputs), 'text', `${tmpPath}/hostile.ipynb`);
    await openWithoutKernel(page, `${tmpPath}/hostile.ipynb`);
    const out = (i: number) => page.locator('.jp-HuntvizOutput').nth(i);
    const error = (i: number) => out(i).locator('.hv-error-message');
    const tree = `${treeStatus(SNAPSHOT)} · 3 warnings`;
    const good = async () => {
      await expect(out(0).locator('.hv-status')).toHaveText(status('Table · 2 rows × 2 columns'));
      await expect(out(0).locator('.hv-sr-only tbody tr').first().locator('td').nth(1)).toHaveText('alice');
      await expect(out(9).locator('.hv-status')).toHaveText(status(tree));
      await expect(out(9).locator('.hv-sr-only tbody tr').first()).toBeAttached();
    };
    await good();
    await expect(error(1)).toContainText('declares 4000000000 rows but only');
    await expect(error(2)).toContainText('declares 999999999 dictionary entries');
    await expect(error(3)).toContainText('more than');
    await expect(error(3)).toContainText('compressed bytes can hold');
    // Three traps in a row, each in its own output.
    for (const i of [4, 5, 6]) {
      await expect(error(i)).toContainText(STOPPED);
    }
    // The two outputs that trap only when used render first.
    await expect(out(7).locator('.hv-status')).toHaveText(/^Process tree · /);
    await expect(out(8).locator('.hv-status')).toHaveText(/^Timeline · /);

    // A trap in a search: that output shows it; the others are drawn again and work.
    await out(7).locator('.hv-search').fill('cmd');
    await out(7).locator('.hv-search').press('Enter');
    await expect(error(7)).toContainText(STOPPED);
    await good();
    await expect(out(8).locator('.hv-status')).toHaveText(/^Timeline · /);
    // A trap in a legend click.
    await out(8).locator('.hv-legend-item').first().click();
    await expect(error(8)).toContainText(STOPPED);
    await good();
    // The good tree still searches on the new instance.
    await out(9).locator('.hv-search').fill('csrss');
    await out(9).locator('.hv-search').press('Enter');
    await expect(out(9).locator('.hv-count')).toHaveText('1 / 1 match');
    await expect(out(9).locator('.hv-detail-title')).toHaveText('csrss.exe (556)');
    // Nothing else failed: the earlier messages are unchanged and there are no others.
    await expect(page.locator('.jp-HuntvizOutput .hv-error')).toHaveCount(8);
  });
});

void galata;
