/**
 * The entity graph in a real JupyterLab and Chromium, on saved outputs with no kernel:
 * status line, the layout settling, drag to move and pin, legend toggles, click to
 * detail with linked entities, search, and hostile strings.
 */
import { expect, galata, IJupyterLabPageFixture, test } from '@jupyterlab/galata';
import type { Locator } from '@playwright/test';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { expectInertExport, notebookWithOutputs, openWithoutKernel, ROOT } from './helpers';

const ALERTS = fs.readFileSync(path.join(ROOT, 'tests/fixtures/alert_entities.json'), 'utf-8');

async function openGraph(
  page: IJupyterLabPageFixture,
  tmpPath: string,
  payloads: Record<string, unknown>[]
): Promise<Locator> {
  await page.setViewportSize({ width: 1400, height: 1000 });
  await page.contents.uploadContent(notebookWithOutputs(payloads), 'text', `${tmpPath}/graph.ipynb`);
  await openWithoutKernel(page, `${tmpPath}/graph.ipynb`);
  const output = page.locator('.jp-HuntvizOutput').first();
  await expect(output).toHaveAttribute('data-hv-view', 'graph');
  await expect(output).toHaveAttribute('data-hv-settled', 'true');
  return output;
}

/** A node's centre (viewport px) from the accessible mirror, by its row id. */
async function nodeAt(output: Locator, row: string): Promise<[number, number]> {
  const tr = output.locator(`.hv-sr-only tbody tr[data-row="${row}"]`);
  return [Number(await tr.getAttribute('data-mark')), Number(await tr.getAttribute('data-top'))];
}

test.describe('entity graph', () => {
  test.use({ autoGoto: true });

  test('status line; drag moves and pins a node; the legend hides a type', async ({ page, tmpPath }) => {
    const output = await openGraph(page, tmpPath, [{ data: ALERTS }]);
    await expect(output.locator('.hv-status')).toHaveText(
      'Entity graph · 14 entities · 22 links · 6 types · 4 warnings'
    );
    const box = (await output.locator('.hv-scroller').boundingBox())!;
    // Drag the most linked node 80 px right and 50 px down.
    const first = output.locator('.hv-sr-only tbody tr').first();
    const row = (await first.getAttribute('data-row'))!;
    const [x, y] = await nodeAt(output, row);
    await page.mouse.move(box.x + x, box.y + y);
    await page.mouse.down();
    await page.mouse.move(box.x + x + 80, box.y + y + 50, { steps: 6 });
    await page.mouse.up();
    await expect(output).toHaveAttribute('data-hv-settled', 'true');
    // The rest relaxed around it; it stayed where it was dropped.
    await expect
      .poll(async () => (await nodeAt(output, row)).map(Math.round))
      .toEqual([x + 80, y + 50].map(Math.round));

    // Hide processes: no process node is listed or drawn; show them again.
    const processes = output.locator('.hv-legend-item', { hasText: 'process (5)' });
    await processes.click();
    await expect(processes).toHaveAttribute('aria-pressed', 'false');
    await expect(output.locator('.hv-sr-only tbody td:nth-child(2)', { hasText: /^process$/ })).toHaveCount(0);
    await processes.click();
    await output.locator('.hv-fit').click();
    await expect(output.locator('.hv-sr-only tbody td:nth-child(2)', { hasText: /^process$/ })).toHaveCount(5);
  });

  test('click opens the detail; linked entities select each other; search', async ({ page, tmpPath }) => {
    const output = await openGraph(page, tmpPath, [{ data: ALERTS }]);
    const box = (await output.locator('.hv-scroller').boundingBox())!;
    const host = output.locator('.hv-sr-only tbody tr', { hasText: 'WKS-01' });
    const [x, y] = await nodeAt(output, (await host.getAttribute('data-row'))!);
    await page.mouse.click(box.x + x, box.y + y);
    await expect(output.locator('.hv-detail-title')).toHaveText('WKS-01 · host');
    await expect(output.locator('.hv-fields dt')).toContainText([
      'HostName',
      'DnsDomain',
      'type',
      'links',
      'from rows'
    ]);
    await expect(output.locator('.hv-fields dd').last()).toHaveText(/^1, 2Copy$/);
    // The host's links include both alerts that name it.
    const linked = output.locator('.hv-ancestor');
    await expect(linked.filter({ hasText: 'Suspicious whoami' })).toHaveCount(1);
    await linked.filter({ hasText: 'Suspicious whoami' }).click();
    await expect(output.locator('.hv-detail-title')).toHaveText('Suspicious whoami · alert');
    // Search across labels and properties.
    await output.locator('.hv-search').fill('203.0.113');
    await output.locator('.hv-search').press('Enter');
    await expect(output.locator('.hv-count')).toHaveText('1 / 1 match');
    await expect(output.locator('.hv-detail-title')).toHaveText('203.0.113.7 · ip');
  });

  test('hostile strings in a graph stay literal text and nothing runs', async ({ page, tmpPath }) => {
    const pwned: string[] = [];
    page.on('dialog', async dialog => {
      pwned.push(dialog.message());
      await dialog.dismiss();
    });
    const output = await openGraph(page, tmpPath, [{ data: ALERTS }]);
    // The hostile file and the process it is the image of, as text.
    await expect(output.locator('.hv-sr-only td', { hasText: 'onerror' })).toHaveText([
      '<img src=x onerror=alert(1)>.exe (0x99)',
      '<img src=x onerror=alert(1)>.exe'
    ]);
    await output.locator('.hv-search').fill('Masquerading');
    await output.locator('.hv-search').press('Enter');
    await expect(output.locator('.hv-detail-title')).toHaveText('<b onmouseover=alert(1)>Masquerading</b> · alert');
    const box = (await output.locator('.hv-scroller').boundingBox())!;
    for (let x = 40; x < box.width; x += 30) {
      await page.mouse.move(box.x + x, box.y + box.height / 2);
    }
    expect(await expectInertExport(page, output, pwned)).toBe('huntviz-graph.svg');
  });
});

void galata;
