/**
 * The timeline in a real JupyterLab and Chromium, on saved outputs with no kernel:
 * status line, wheel/drag/keyboard zoom and pan, the overview window, legend toggles,
 * click-to-detail, datasets and alert markers, and hostile strings.
 */
import { expect, galata, IJupyterLabPageFixture, test } from '@jupyterlab/galata';
import type { Locator } from '@playwright/test';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { expectInertExport, notebookWithOutputs, openWithoutKernel, ROOT } from './helpers';

const FIXTURE = path.join(ROOT, 'tests/fixtures/timeline_events.json');
const TEXT = fs.readFileSync(FIXTURE, 'utf-8');
const TABLE: { columns: { name: string }[]; rows: (string | null)[][] } = JSON.parse(TEXT).tables[0];

/** The status line the fixture must give, computed from its rows. */
function expectedStatus(): RegExp {
  const times = TABLE.rows
    .map(r => r[0])
    .filter((t): t is string => t !== null)
    .sort();
  const minute = (t: string) => t.slice(11, 16);
  const hosts = new Set(TABLE.rows.filter(r => r[0] !== null).map(r => r[1])).size;
  return new RegExp(
    `^Timeline · ${times.length} events · ${hosts} lanes · ${times[0].slice(0, 10)} ${minute(times[0])} – ` +
      `${minute(times[times.length - 1])} UTC · 1 marker · 1 warning$`
  );
}

/** The visible range from the toolbar, as [start, end] in milliseconds. */
async function range(output: Locator): Promise<[number, number]> {
  const text = (await output.locator('.hv-range').textContent()) ?? '';
  const m = /^(\S+ [\d:.]+) – (\S+ [\d:.]+) UTC$/.exec(text);
  expect(m, text).not.toBeNull();
  const ms = (s: string) => Date.parse(`${s.replace(' ', 'T').slice(0, 23)}Z`);
  return [ms(m![1]), ms(m![2])];
}

/** Events in view per lane, from the accessible mirror. */
async function inView(output: Locator): Promise<number[]> {
  return output
    .locator('.hv-sr-only tbody tr')
    .evaluateAll(rows => rows.map(r => Number(r.querySelectorAll('td')[1]?.textContent ?? 'NaN')));
}

/** Plot geometry (viewport px) from the mirror's column geometry. */
async function plot(output: Locator): Promise<{ left: number; width: number }> {
  const th = output.locator('.hv-sr-only th').nth(1);
  await expect(th).toBeAttached();
  const left = Number(await th.getAttribute('data-left'));
  return { left, width: Number(await th.getAttribute('data-width')) * 3 };
}

async function openTimeline(
  page: IJupyterLabPageFixture,
  tmpPath: string,
  payloads: Record<string, unknown>[]
): Promise<Locator> {
  await page.setViewportSize({ width: 1400, height: 1000 });
  await page.contents.uploadContent(notebookWithOutputs(payloads), 'text', `${tmpPath}/timeline.ipynb`);
  await openWithoutKernel(page, `${tmpPath}/timeline.ipynb`);
  const output = page.locator('.jp-HuntvizOutput').first();
  await expect(output.locator('.hv-sr-only tbody tr').first()).toBeAttached();
  return output;
}

const OPTIONS = { ref_times: [['2024-05-06T09:30:00Z', 'first alert']] };

test.describe('timeline', () => {
  test.use({ autoGoto: true });

  test('status line; wheel, drag, keys and the overview window move the visible range', async ({ page, tmpPath }) => {
    const output = await openTimeline(page, tmpPath, [{ data: TEXT, options: OPTIONS }]);
    await expect(output.locator('.hv-status')).toHaveText(expectedStatus());
    await expect(output).toHaveAttribute('data-hv-view', 'timeline');
    const box = (await output.locator('.hv-scroller').boundingBox())!;
    const { left, width } = await plot(output);
    const full = await range(output);
    const total = (await inView(output)).reduce((a, b) => a + b, 0);
    expect(total).toBe(TABLE.rows.filter(r => r[0] !== null).length);

    // The wheel zooms in around the pointer.
    await page.mouse.move(box.x + left + width / 2, box.y + 60);
    await page.mouse.wheel(0, -400);
    await expect
      .poll(async () => (await range(output))[1] - (await range(output))[0])
      .toBeLessThan((full[1] - full[0]) / 2);
    const zoomed = await range(output);
    expect((await inView(output)).reduce((a, b) => a + b, 0)).toBeLessThan(total);

    // Dragging left shows later times, keeping the span.
    await page.mouse.move(box.x + left + width / 2, box.y + 60);
    await page.mouse.down();
    await page.mouse.move(box.x + left + width / 2 - 150, box.y + 60, { steps: 5 });
    await page.mouse.up();
    await expect.poll(async () => (await range(output))[0]).toBeGreaterThan(zoomed[0]);
    const panned = await range(output);
    expect(Math.abs(panned[1] - panned[0] - (zoomed[1] - zoomed[0]))).toBeLessThan(2);

    // The overview window: press near its left end, drag to its right end; the main
    // range follows the window.
    const overviewY = box.y + (await output.locator('.hv-scroller').evaluate(e => e.clientHeight)) - 20;
    await page.mouse.move(box.x + left + width * 0.1, overviewY);
    await page.mouse.down();
    await expect.poll(async () => (await range(output))[0]).toBeLessThan(panned[0]);
    const early = await range(output);
    await page.mouse.move(box.x + left + width * 0.9, overviewY, { steps: 8 });
    await page.mouse.up();
    await expect.poll(async () => (await range(output))[0]).toBeGreaterThan(early[0] + (full[1] - full[0]) * 0.6);
    const late = await range(output);
    expect(Math.abs(late[1] - late[0] - (early[1] - early[0]))).toBeLessThan(2);

    // Keys: "+" zooms in, "0" shows everything; the buttons do the same.
    await output.locator('.hv-scroller').focus();
    await page.keyboard.press('+');
    await expect.poll(async () => (await range(output))[1] - (await range(output))[0]).toBeLessThan(late[1] - late[0]);
    await page.keyboard.press('0');
    await expect.poll(() => range(output)).toEqual(full);
    await output.locator('.hv-zoom-in').click();
    await expect.poll(async () => (await range(output))[1] - (await range(output))[0]).toBeLessThan(full[1] - full[0]);
    await output.locator('.hv-zoom-reset').click();
    await expect.poll(() => range(output)).toEqual(full);
  });

  test('legend toggles a series; click opens the detail; search finds events', async ({ page, tmpPath }) => {
    const output = await openTimeline(page, tmpPath, [{ data: TEXT, options: OPTIONS }]);
    const items = output.locator('.hv-legend-item');
    await expect(items.first()).toHaveAttribute('aria-pressed', 'true');
    const label = (await items.first().textContent()) ?? '';
    const count = Number(/\((\d+)\)$/.exec(label)![1]);
    const before = (await inView(output)).reduce((a, b) => a + b, 0);
    await items.first().click();
    await expect(items.first()).toHaveAttribute('aria-pressed', 'false');
    await expect.poll(async () => (await inView(output)).reduce((a, b) => a + b, 0)).toBe(before - count);
    await items.first().click();
    await expect.poll(async () => (await inView(output)).reduce((a, b) => a + b, 0)).toBe(before);

    // Click the first event of the first lane: the detail lists its fields.
    const row = output.locator('.hv-sr-only tbody tr').first();
    const lane = (await row.locator('td').first().textContent()) ?? '';
    const mark = Number(await row.getAttribute('data-mark'));
    const top = Number(await row.getAttribute('data-top'));
    const box = (await output.locator('.hv-scroller').boundingBox())!;
    await page.mouse.click(box.x + mark, box.y + top + 12);
    await expect(output.locator('.hv-detail-title')).toContainText(` · ${lane}`);
    await expect(output.locator('.hv-fields dt')).toHaveText(TABLE.columns.map(c => c.name));
    await expect(output.locator('.hv-fields dd').nth(1).locator('.hv-field-value')).toHaveText(lane);

    // Lanes by another column: the timeline is rebuilt with one lane per action type,
    // ordered by name, keeping the visible range.
    const shown = await range(output);
    await output.locator('select.hv-lanes-by').selectOption('ActionType');
    await output.locator('select.hv-lane-order').selectOption('name');
    const actions = [...new Set(TABLE.rows.filter(r => r[0] !== null).map(r => String(r[2])))].sort();
    await expect(output.locator('.hv-sr-only tbody td:first-child')).toHaveText(actions);
    await expect(output.locator('.hv-status')).toContainText(` · ${actions.length} lanes · `);
    await expect(output.locator('.hv-grouping')).toHaveText(/^lanes: ActionType/);
    expect(await range(output)).toEqual(shown);
    await output.locator('select.hv-lanes-by').selectOption('Computer');

    // Search: the count, and Enter selects each match in time order.
    await output.locator('.hv-search').fill('whoami');
    await output.locator('.hv-search').press('Enter');
    const n = TABLE.rows.filter(
      r => r[0] !== null && r.some(c => typeof c === 'string' && c.includes('whoami'))
    ).length;
    await expect(output.locator('.hv-count')).toHaveText(`1 / ${n} matches`);
    await expect(output.locator('.hv-fields dd').nth(4).locator('.hv-field-value')).toContainText('whoami');
  });

  test('datasets are their own lanes and alerts draw markers', async ({ page, tmpPath }) => {
    const la = (columns: [string, string][], rows: unknown[][]) =>
      JSON.stringify({
        tables: [{ name: 'PrimaryResult', columns: columns.map(([name, type]) => ({ name, type })), rows }]
      });
    const logons = la(
      [
        ['TimeGenerated', 'datetime'],
        ['Account', 'string']
      ],
      [
        ['2024-05-06T09:00:00Z', 'alice'],
        ['2024-05-06T09:05:00Z', 'bob']
      ]
    );
    const procs = la(
      [
        ['TimeGenerated', 'datetime'],
        ['NewProcessName', 'string']
      ],
      [['2024-05-06T09:01:00Z', 'whoami.exe']]
    );
    const alerts = la(
      [
        ['StartTimeUtc', 'datetime'],
        ['AlertName', 'string']
      ],
      [['2024-05-06T09:03:00Z', 'Suspicious whoami']]
    );
    const output = await openTimeline(page, tmpPath, [
      {
        view: 'timeline',
        data: logons,
        datasets: [
          { name: 'Processes', data: procs },
          { name: 'Alerts', kind: 'alerts', data: alerts }
        ]
      }
    ]);
    await expect(output.locator('.hv-status')).toHaveText(/^Timeline · 3 events · 2 lanes · .* · 1 marker$/);
    await expect(output.locator('.hv-sr-only tbody td:first-child')).toHaveText(['result', 'Processes']);
    await expect(output.locator('.hv-grouping')).toHaveText('lanes: dataset');
  });

  test('hostile strings in a timeline stay literal text and nothing runs', async ({ page, tmpPath }) => {
    const pwned: string[] = [];
    page.on('dialog', async dialog => {
      pwned.push(dialog.message());
      await dialog.dismiss();
    });
    const output = await openTimeline(page, tmpPath, [{ view: 'timeline', data: TEXT }]);
    const lanes = output.locator('.hv-sr-only tbody td:first-child');
    await expect(lanes.filter({ hasText: 'onerror' })).toHaveText('<img src=x onerror=alert(1)>');
    // Select the hostile event and hover everything so tooltips are built from it.
    await output.locator('.hv-search').fill('onerror');
    await output.locator('.hv-search').press('Enter');
    await expect(output.locator('.hv-detail-title')).toContainText('<img src=x onerror=alert(1)>');
    await expect(output.locator('.hv-fields dd').nth(3).locator('.hv-field-value')).toHaveText('⟨U+202E⟩evil');
    const box = (await output.locator('.hv-scroller').boundingBox())!;
    for (let x = 200; x < box.width; x += 25) {
      await page.mouse.move(box.x + x, box.y + 100);
    }
    expect(await expectInertExport(page, output, pwned)).toBe('huntviz-timeline.svg');
  });
});

void galata;
