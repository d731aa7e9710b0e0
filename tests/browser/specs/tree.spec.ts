/**
 * The process tree in a real JupyterLab and Chromium: folding, search, matches-only,
 * focus, the detail panel, the keyboard, and hostile strings — on saved outputs with no
 * kernel.
 */
import { expect, galata, IJupyterLabPageFixture, test } from '@jupyterlab/galata';
import type { Locator } from '@playwright/test';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DEMO, expectInertExport, notebookWithOutputs, openWithoutKernel, ROOT, treeStatus } from './helpers';

const EVENTS = path.join(ROOT, 'examples/data/process_events.json');
const TABLE: { columns: { name: string }[]; rows: unknown[][] } = JSON.parse(fs.readFileSync(EVENTS, 'utf-8'))
  .tables[0];
const COL = (name: string) => TABLE.columns.findIndex(c => c.name === name);

/** Opens the demo with no kernel and returns its first output (the process tree). */
async function demoTree(page: IJupyterLabPageFixture, tmpPath: string): Promise<Locator> {
  await page.setViewportSize({ width: 1600, height: 1000 });
  await page.contents.uploadFile(DEMO, `${tmpPath}/demo.ipynb`);
  await openWithoutKernel(page, `${tmpPath}/demo.ipynb`);
  const output = page.locator('.jp-HuntvizOutput').first();
  await expect(output.locator('.hv-sr-only tbody tr').first()).toBeAttached();
  return output;
}

/** The detail title of a process named as the tree shows it: "name (PID)". */
function titled(name: string): RegExp {
  const bare = name.replace(/ \(inferred\)$/, '').replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`^${bare} \\(\\w+\\)( · inferred)?$`);
}

function mirrorRows(output: Locator): Locator {
  return output.locator('.hv-sr-only tbody tr');
}

/** Clicks a mirror row on the canvas, at `x` px from the viewport's left edge. */
async function clickRow(output: Locator, row: Locator, x: number): Promise<void> {
  const box = (await output.locator('.hv-scroller').boundingBox())!;
  const top = Number(await row.getAttribute('data-top'));
  await output.page().mouse.click(box.x + x, box.y + top + 8);
}

/** Levels of the rows the mirror lists (the visible window of the tree). */
async function levels(output: Locator): Promise<number[]> {
  return mirrorRows(output).evaluateAll(rows => rows.map(r => Number(r.getAttribute('aria-level'))));
}

test.describe('process tree', () => {
  test.use({ autoGoto: true });

  test('fold and unfold a host, a process, everything and to a depth', async ({ page, tmpPath }) => {
    const output = await demoTree(page, tmpPath);
    const rows = mirrorRows(output);
    // Hosts are the top level; a click anywhere on a host row folds it.
    const host = rows.first();
    await expect(host).toHaveAttribute('aria-expanded', 'true');
    await expect(rows.nth(1)).toHaveAttribute('aria-level', '2');
    await clickRow(output, host, 60);
    await expect(host).toHaveAttribute('aria-expanded', 'false');
    await expect(rows.nth(1)).toHaveAttribute('aria-level', '1');
    await clickRow(output, host, 60);
    await expect(rows.nth(1)).toHaveAttribute('aria-level', '2');
    // A process with children folds at its ▸ control, and opens again.
    const parent = output.locator('.hv-sr-only tbody tr[data-toggle][aria-level="2"]').first();
    const id = await parent.getAttribute('data-row');
    const same = output.locator(`.hv-sr-only tbody tr[data-row="${id}"]`);
    await expect(same).toHaveAttribute('aria-expanded', 'true');
    const toggle = Number(await parent.getAttribute('data-toggle'));
    const index = await same.evaluate(r => Array.from(r.parentElement!.children).indexOf(r));
    await clickRow(output, same, toggle + 4);
    await expect(same).toHaveAttribute('aria-expanded', 'false');
    // Folded: the next row is no deeper than it.
    expect(Number(await rows.nth(index + 1).getAttribute('aria-level'))).toBeLessThanOrEqual(2);
    await clickRow(output, same, toggle + 4);
    await expect(same).toHaveAttribute('aria-expanded', 'true');
    await expect(rows.nth(index + 1)).toHaveAttribute('aria-level', '3');
    // Collapse all leaves only the hosts; "to depth 2" opens two levels of processes.
    await output.locator('.hv-collapse-all').click();
    await expect.poll(() => levels(output)).toEqual(new Array(5).fill(1));
    await output.locator('select.hv-depth').selectOption('2');
    await expect.poll(async () => Math.max(...(await levels(output)))).toBe(3);
    await output.locator('.hv-expand-all').click();
    await expect.poll(async () => Math.max(...(await levels(output)))).toBeGreaterThan(3);
  });

  test('search with next and previous, matches only, focus and back', async ({ page, tmpPath }) => {
    const output = await demoTree(page, tmpPath);
    // Every process whose row mentions whoami in any column (case-insensitive).
    const expected = TABLE.rows.filter(r => r.some(v => String(v).toLowerCase().includes('whoami'))).length;
    expect(expected).toBeGreaterThan(2);
    const search = output.locator('.hv-search');
    // "/" in the tree jumps to the search box.
    await output.locator('.hv-scroller').focus();
    await page.keyboard.press('/');
    await expect(search).toBeFocused();
    await page.keyboard.type('WHOAMI');
    await page.keyboard.press('Enter');
    const count = output.locator('.hv-count');
    await expect(count).toHaveText(`1 / ${expected} matches`);
    // The current match is selected, its ancestors unfolded, its row on screen.
    const title = output.locator('.hv-detail-title');
    await expect(title).toHaveText(titled('whoami.exe'));
    await expect(output.locator('.hv-sr-only td', { hasText: /^whoami\.exe$/ }).first()).toBeAttached();
    const firstChain = await output.locator('.hv-chain').textContent();
    await output.locator('.hv-next').click();
    await expect(count).toHaveText(`2 / ${expected} matches`);
    await expect(output.locator('.hv-chain')).not.toHaveText(firstChain!);
    await output.locator('.hv-prev').click();
    await expect(count).toHaveText(`1 / ${expected} matches`);
    await expect(output.locator('.hv-chain')).toHaveText(firstChain!);
    // Matches only: what is left is the matches and their ancestors.
    await output.locator('.hv-only').check();
    await expect
      .poll(() =>
        mirrorRows(output).evaluateAll(rows =>
          rows.every(r => r.hasAttribute('aria-expanded') || r.querySelector('td')?.textContent === 'whoami.exe')
        )
      )
      .toBe(true);
    await output.locator('.hv-only').uncheck();
    // Focus on the selected match: its host, its ancestors and itself (a leaf).
    const ancestors = await output.locator('.hv-ancestor').count();
    expect(ancestors).toBeGreaterThan(0);
    const focus = output.locator('.hv-focus');
    await focus.click();
    await expect(focus).toHaveText('Unfocus');
    await expect(focus).toHaveAttribute('aria-pressed', 'true');
    await expect(mirrorRows(output)).toHaveCount(1 + ancestors + 1);
    await expect(mirrorRows(output).last().locator('td').first()).toHaveText('whoami.exe');
    await focus.click();
    await expect(focus).toHaveText('Focus');
    await expect.poll(() => mirrorRows(output).count()).toBeGreaterThan(1 + ancestors + 1);
    // A regex that does not compile says why, in place of the count.
    await output.locator('.hv-check input').first().check();
    await search.fill('(unclosed');
    await search.press('Enter');
    await expect(count).toContainText('invalid regular expression');
  });

  test('the detail panel lists every field, copies exact values, walks the ancestors', async ({ page, tmpPath }) => {
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
    const output = await demoTree(page, tmpPath);
    const search = output.locator('.hv-search');
    await search.fill('certutil');
    await search.press('Enter');
    await expect(output.locator('.hv-detail-title')).toHaveText(titled('certutil.exe'));
    // Every column of the event, by name, with its full value.
    const names = await output.locator('.hv-fields dt').allTextContents();
    expect(names).toEqual(TABLE.columns.map(c => c.name));
    const field = (name: string) => output.locator('.hv-fields dd').nth(COL(name)).locator('.hv-field-value');
    const pid = await field('ProcessId').textContent();
    const device = await field('DeviceName').textContent();
    const row = TABLE.rows.find(
      r =>
        String(r[COL('ProcessId')]) === pid && r[COL('DeviceName')] === device && r[COL('FileName')] === 'certutil.exe'
    )!;
    expect(row).toBeDefined();
    for (const name of ['FileName', 'ProcessCommandLine', 'AccountName', 'InitiatingProcessFileName', 'SHA1']) {
      await expect(field(name)).toHaveText(String(row[COL(name)]));
    }
    // Copy gives the exact value.
    await output.locator('.hv-fields dd').nth(COL('ProcessCommandLine')).locator('.hv-copy-field').click();
    await expect
      .poll(() => page.evaluate(() => navigator.clipboard.readText()))
      .toBe(String(row[COL('ProcessCommandLine')]));
    // The ancestor chain: the last button is the parent, named by the event's
    // InitiatingProcessFileName; clicking the first selects the root.
    const chain = output.locator('.hv-ancestor');
    await expect(chain.last()).toContainText(String(row[COL('InitiatingProcessFileName')]));
    const root = (await chain.first().textContent())!;
    await chain.first().click();
    // Ancestor buttons carry the same "name (PID)" label as the title.
    const escaped = root.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    await expect(output.locator('.hv-detail-title')).toHaveText(new RegExp(`^${escaped}( · inferred)?$`));
    await expect(output.locator('.hv-ancestor')).toHaveCount(0);
  });

  test('keyboard: arrows move and fold, Enter selects', async ({ page, tmpPath }) => {
    const output = await demoTree(page, tmpPath);
    const rows = mirrorRows(output);
    // Select the first process with children (click its name, not its control).
    const parent = output.locator('.hv-sr-only tbody tr[data-toggle][aria-level="2"]').first();
    const id = await parent.getAttribute('data-row');
    const same = output.locator(`.hv-sr-only tbody tr[data-row="${id}"]`);
    const name = (await same.locator('td').first().textContent())!;
    const toggle = Number(await parent.getAttribute('data-toggle'));
    await clickRow(output, same, toggle + 60);
    const title = output.locator('.hv-detail-title');
    await expect(title).toHaveText(titled(name));
    await page.keyboard.press('ArrowLeft');
    await expect(same).toHaveAttribute('aria-expanded', 'false');
    await page.keyboard.press('ArrowRight');
    await expect(same).toHaveAttribute('aria-expanded', 'true');
    // ArrowDown moves to the first child.
    const index = await same.evaluate(r => Array.from(r.parentElement!.children).indexOf(r));
    const child = (await rows
      .nth(index + 1)
      .locator('td')
      .first()
      .textContent())!;
    await page.keyboard.press('ArrowDown');
    await expect(title).toHaveText(titled(child));
    await page.keyboard.press('ArrowUp');
    await expect(title).toHaveText(titled(name));
    // ArrowLeft on a leaf or an open node's child goes to the parent: here fold first.
    await page.keyboard.press('ArrowLeft');
    await expect(same).toHaveAttribute('aria-expanded', 'false');
  });

  test('hostile strings in a process tree stay literal text and nothing runs', async ({ page, tmpPath }) => {
    const pwned: string[] = [];
    page.on('dialog', async dialog => {
      pwned.push(dialog.message());
      await dialog.dismiss();
    });
    const img = `<img src=x onerror="window.__huntvizPwned='name'">`;
    const script = "<script>window.__huntvizPwned='cmd'</script>";
    const rtl = 'evil\u202Egnp.exe';
    const host = '<b onmouseover="window.__huntvizPwned=1">wks</b>';
    const columns = [
      ['TimeGenerated', 'datetime'],
      ['DeviceName', 'string'],
      ['FileName', 'string'],
      ['ProcessId', 'long'],
      ['ProcessCommandLine', 'string'],
      ['ProcessCreationTime', 'datetime'],
      ['AccountName', 'string'],
      ['InitiatingProcessFileName', 'string'],
      ['InitiatingProcessId', 'long'],
      ['InitiatingProcessCreationTime', 'datetime']
    ].map(([name, type]) => ({ name, type }));
    const t = (s: number) => `2024-05-06T00:00:0${s}.0000000Z`;
    const rows = [
      [t(1), host, 'cmd.exe', 100, 'cmd.exe /c run.bat', t(1), 'alice', 'explorer.exe', 10, t(0)],
      [t(2), host, img, 200, script, t(2), rtl, 'cmd.exe', 100, t(1)],
      [t(3), host, rtl, 300, `powershell -c "${img}"`.repeat(20), t(3), 'alice', img, 200, t(2)]
    ];
    const data = JSON.stringify({ tables: [{ name: 'PrimaryResult', columns, rows }] });
    await page.contents.uploadContent(
      notebookWithOutputs([{ view: 'process-tree', data, title: host }]),
      'text',
      `${tmpPath}/hostile-tree.ipynb`
    );
    await openWithoutKernel(page, `${tmpPath}/hostile-tree.ipynb`);
    const output = page.locator('.jp-HuntvizOutput').first();
    await expect(output.locator('.hv-status')).toHaveText(
      'Process tree · 4 processes · 1 root · depth 4 · 1 host · 1 inferred'
    );
    await expect(output.locator('.hv-title')).toHaveText(host);
    const cells = output.locator('.hv-sr-only tbody td');
    await expect(cells.first()).toHaveText(host);
    await expect(output.locator('.hv-sr-only td', { hasText: 'onerror' }).first()).toHaveText(img);
    await expect(output.locator('.hv-sr-only td', { hasText: '<script>' }).first()).toHaveText(script);
    // The right-to-left override is shown, not obeyed.
    await expect(output.locator('.hv-sr-only td', { hasText: 'gnp.exe' }).first()).toHaveText('evil⟨U+202E⟩gnp.exe');
    // Search, select and read the hostile process: its fields are text.
    await output.locator('.hv-search').fill('onerror');
    await output.locator('.hv-search').press('Enter');
    await expect(output.locator('.hv-count')).toHaveText('1 / 2 matches');
    await expect(output.locator('.hv-detail-title')).toHaveText(`${img} (200)`);
    await expect(output.locator('.hv-fields dd').nth(4).locator('.hv-field-value')).toHaveText(script);
    // Hover every row so tooltips are built from the hostile text too.
    const box = (await output.locator('.hv-scroller').boundingBox())!;
    for (let y = 10; y < 120; y += 8) {
      await page.mouse.move(box.x + 500, box.y + y);
    }
    expect(await expectInertExport(page, output, pwned)).toBe('huntviz-process-tree.svg');
  });

  test('a memory image: a reused PID gets an inferred parent and the detail names every link', async ({
    page,
    tmpPath
  }) => {
    const data = fs.readFileSync(path.join(ROOT, 'tests/fixtures/memory_snapshot.csv'), 'utf-8');
    await page.contents.uploadContent(
      notebookWithOutputs([{ view: 'process-tree', data }]),
      'text',
      `${tmpPath}/snapshot.ipynb`
    );
    await openWithoutKernel(page, `${tmpPath}/snapshot.ipynb`);
    const output = page.locator('.jp-HuntvizOutput').first();
    // Warnings: times without an offset read as UTC, the reused PID, the exited parent.
    const status = treeStatus(path.join(ROOT, 'tests/fixtures/memory_snapshot.csv'));
    await expect(output.locator('.hv-status')).toHaveText(`${status} · 3 warnings`);
    // csrss.exe and wininit.exe name PID 548, which a svchost started 2 s later holds:
    // they hang off an inferred PID 548, not off that svchost.
    const rows = mirrorRows(output);
    const names = await rows.evaluateAll(rs =>
      rs.map(r => [r.children[0].textContent, r.children[1].textContent, r.getAttribute('aria-level')])
    );
    const at = (name: string) => names.findIndex(r => r[0] === name);
    const csrss = at('csrss.exe');
    expect(names[csrss - 1]).toEqual(['(inferred)', '548', String(Number(names[csrss][2]) - 1)]);
    const svchost = names.find(r => r[0] === 'svchost.exe' && r[1] === '548')!;
    expect(Number(svchost[2])).toBeGreaterThan(Number(names[csrss][2]));
    // The detail panel says how each link was made, and why.
    const link = output.locator('.hv-link');
    await clickRow(output, rows.nth(csrss), 120);
    await expect(output.locator('.hv-detail-title')).toHaveText('csrss.exe (556)');
    await expect(link.locator('.hv-link-kind')).toHaveText('Parent link: inferred parent');
    await expect(link.locator('.hv-link-why')).toContainText('svchost.exe (548), which started after this process');
    await expect(link.locator('.hv-link-swatch')).toHaveClass(/hv-link-inferred/);
    await clickRow(output, rows.nth(at('Registry')), 120);
    await expect(link.locator('.hv-link-kind')).toHaveText('Parent link: System process (PID 4)');
    await expect(link.locator('.hv-link-swatch')).toHaveClass(/hv-link-weak/);
    await clickRow(output, rows.nth(at('services.exe')), 120);
    await expect(link.locator('.hv-link-kind')).toHaveText('Parent link: PID + earlier start');
    // The legend lists each kind of link with its count and line style.
    const legend = output.locator('.hv-link-legend .hv-legend-item');
    await expect(legend).toHaveText([
      'PID + earlier start (4)',
      'PID, started in the same tick (3)',
      'System process (PID 4) (1)',
      'inferred parent (4)'
    ]);
    await expect(legend.nth(1).locator('.hv-link-swatch')).toHaveClass(/hv-link-weak/);
  });
});

void galata;
