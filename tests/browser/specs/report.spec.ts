/**
 * One-file reports (`huntviz.save`) opened from file:// in Chromium, offline: every view
 * draws and answers as in the notebook, nothing is fetched, the page's
 * Content-Security-Policy is never violated, and hostile strings stay text.
 */
import { expect, test } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { offline, ROOT, sampleReport, treeStatus } from './helpers';

const FIXTURES = path.join(ROOT, 'tests/fixtures');

test('a saved report works offline from file://, fetches nothing and runs nothing from the data', async ({
  browser
}) => {
  const file = sampleReport('Case </script><b>42</b>');
  const page = await browser.newPage();
  const requests = await offline(page);
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', e => {
      const w = window as unknown as { __violations?: string[] };
      (w.__violations ??= []).push(`${e.violatedDirective} ${e.blockedURI}`);
    });
  });
  const dialogs: string[] = [];
  page.on('dialog', async d => {
    dialogs.push(d.message());
    await d.dismiss();
  });
  await page.goto(`file://${file}`);
  await expect(page.locator('body')).toHaveAttribute('data-hv-ready', 'true');
  expect(await page.title()).toBe('Case </script><b>42</b>');
  await expect(page.locator('.hv-report-toc a')).toHaveText([
    'Processes',
    '<img src=x onerror="window.__huntvizPwned=1">',
    'Timeline'
  ]);
  const outputs = page.locator('.jp-HuntvizOutput');
  await expect(outputs.locator('.hv-status')).toHaveText([
    treeStatus(path.join(FIXTURES, 'sysmon.csv')),
    'Table · 3 rows × 4 columns',
    /^Timeline · \d+ events · \d+ lanes/
  ]);
  // The tree answers as in the notebook: search, then the detail of the match.
  const tree = outputs.first();
  await tree.locator('.hv-search').fill('whoami.exe');
  await tree.locator('.hv-search').press('Enter');
  await expect(tree.locator('.hv-count')).toHaveText('1 / 1 match');
  await expect(tree.locator('.hv-detail-title')).toHaveText('whoami.exe (4250)');
  // The hostile table: its strings are text in the mirror, nothing ran.
  const table = outputs.nth(1);
  await expect(table.locator('.hv-sr-only tbody tr').first().locator('td').nth(1)).toHaveText(
    `<img src=x onerror="window.__huntvizPwned='img'">`
  );
  const box = (await table.locator('.hv-scroller').boundingBox())!;
  for (let y = 40; y < 120; y += 10) {
    await page.mouse.move(box.x + 260, box.y + y);
  }
  expect(await page.evaluate(() => (window as unknown as { __huntvizPwned?: unknown }).__huntvizPwned)).toBeUndefined();
  expect(await page.locator('main img, main script, main b').count()).toBe(0);
  expect(dialogs).toEqual([]);
  expect(requests).toEqual([]);
  expect(await page.evaluate(() => (window as unknown as { __violations?: string[] }).__violations ?? [])).toEqual([]);
  await page.close();
});

test('a report from the command line opens the same way', async ({ browser }) => {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'huntviz-cli-report-')), 'report.html');
  execFileSync(path.join(ROOT, 'target/debug/huntviz'), [
    'html',
    path.join(FIXTURES, 'sysmon.csv'),
    path.join(FIXTURES, 'alert_entities.json'),
    '-o',
    file
  ]);
  const page = await browser.newPage();
  const requests = await offline(page);
  await page.goto(`file://${file}`);
  await expect(page.locator('body')).toHaveAttribute('data-hv-ready', 'true');
  await expect(page.locator('.hv-report-toc a')).toHaveText(['sysmon.csv', 'alert_entities.json']);
  const outputs = page.locator('.jp-HuntvizOutput');
  await expect(outputs.locator('.hv-status')).toHaveText([
    treeStatus(path.join(FIXTURES, 'sysmon.csv')),
    /^Entity graph · \d+ entities/
  ]);
  // The graph lays itself out in the report as in the notebook.
  await expect(outputs.nth(1)).toHaveAttribute('data-hv-settled', 'true');
  expect(requests).toEqual([]);
  await page.close();
});
