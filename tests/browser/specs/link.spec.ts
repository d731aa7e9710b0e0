/**
 * The kernel link (issue 16) in a real JupyterLab with a real kernel: a process clicked in
 * the tree reaches Python as `v.selected`; a restarted kernel leaves the view drawn and
 * says the link is off; a saved notebook opened with no kernel renders as before.
 */
import { expect, IJupyterLabPageFixture, test } from '@jupyterlab/galata';
import type { Locator } from '@playwright/test';

import * as path from 'node:path';

import { EVENTS, openWithoutKernel, ROOT } from './helpers';

const SHOW = [
  'import json, pandas as pd, huntviz',
  't = json.load(open("process_events.json", encoding="utf-8"))["tables"][0]',
  'df = pd.DataFrame(t["rows"], columns=[c["name"] for c in t["columns"]])',
  'v = huntviz.show(df, view="process-tree")',
  'v'
].join('\n');

/** The text a cell printed. */
async function printed(page: IJupyterLabPageFixture, cell: number): Promise<string> {
  const out = page.locator('.jp-Notebook .jp-Cell').nth(cell).locator('.jp-OutputArea-output').first();
  await expect(out).toBeVisible();
  return (await out.innerText()).trim();
}

/** Clicks the process on mirror row `row` (in its second column, the PID: never a fold control). */
async function clickProcess(output: Locator, row: Locator): Promise<void> {
  const box = (await output.locator('.hv-scroller').boundingBox())!;
  const top = Number(await row.getAttribute('data-top'));
  const left = Number(await output.locator('.hv-sr-only thead th').nth(1).getAttribute('data-left'));
  await output.page().mouse.click(box.x + left + 10, box.y + top + 8);
}

/** A new notebook whose first cell ran `code` (the events uploaded beside it), and its
 *  first huntviz output once linked. */
async function linkedOutput(
  page: IJupyterLabPageFixture,
  tmpPath: string,
  name: string,
  code: string
): Promise<Locator> {
  await page.setViewportSize({ width: 1600, height: 1000 });
  await page.contents.uploadFile(EVENTS, `${tmpPath}/process_events.json`);
  await page.notebook.createNew(name);
  await page.notebook.setCell(0, 'code', code);
  await page.notebook.runCell(0);
  const output = page.locator('.jp-HuntvizOutput').first();
  await expect(output.locator('.hv-kernel-link')).toHaveAttribute('data-state', 'on');
  return output;
}

/** How many processes a tree's status line counts. */
async function processCount(output: Locator): Promise<number> {
  return Number((await output.locator('.hv-status').textContent())!.match(/([\d,]+) processes/)![1].replace(/,/g, ''));
}

/** A field of the detail panel, as shown. */
async function field(output: Locator, name: string): Promise<string> {
  const names = await output.locator('.hv-fields dt').allTextContents();
  const at = names.indexOf(name);
  expect(at).toBeGreaterThanOrEqual(0);
  return (await output.locator('.hv-fields dd').nth(at).locator('pre.hv-field-value').textContent())!;
}

test.describe('kernel link', () => {
  test.use({ autoGoto: true });

  test('a clicked process reaches Python; a restart turns the link off and the view stays', async ({
    page,
    tmpPath
  }) => {
    await page.setViewportSize({ width: 1600, height: 1000 });
    await page.contents.uploadFile(EVENTS, `${tmpPath}/process_events.json`);
    await page.notebook.createNew('link.ipynb');
    await page.notebook.setCell(0, 'code', SHOW);
    await page.notebook.runCell(0);
    const output = page.locator('.jp-HuntvizOutput').first();
    const badge = output.locator('.hv-kernel-link');
    await expect(badge).toHaveText('linked to the kernel');
    await expect(badge).toHaveAttribute('data-state', 'on');

    // Nothing selected yet: an empty frame.
    // Running a cell adds the next one (empty): each check goes into it.
    await page.notebook.setCell(1, 'code', 'print(len(v.selected), v.linked)');
    await page.notebook.runCell(1);
    expect(await printed(page, 1)).toBe('0 True');

    // Click a process (not an inferred one: those have no row); its row comes back as v.selected.
    const row = output.locator('.hv-sr-only tbody tr[aria-level="3"]', { hasNotText: '(inferred)' }).nth(1);
    await clickProcess(output, row);
    await expect(output.locator('.hv-detail-title')).not.toHaveText('');
    const created = await field(output, 'ProcessCreationTime');
    const command = await field(output, 'ProcessCommandLine');
    await page.notebook.setCell(
      2,
      'code',
      'import json\nprint(json.dumps({"n": len(v.selected), "rows": v.selection, ' +
        '"created": v.selected["ProcessCreationTime"].tolist(), "command": v.selected["ProcessCommandLine"].tolist()}))'
    );
    await page.notebook.runCell(2);
    const got = JSON.parse(await printed(page, 2));
    await expect(output).toHaveAttribute('data-hv-kernel-selected', '1');
    expect(got.n).toBe(1);
    expect(got.created).toEqual([created]);
    expect(got.command).toEqual([command]);
    // The position is the frame's own: the same row read by position.
    await page.notebook.setCell(
      3,
      'code',
      `print(df.iloc[${got.rows[0]}]["ProcessCommandLine"] == ${JSON.stringify(command)})`
    );
    await page.notebook.runCell(3);
    expect(await printed(page, 3)).toBe('True');

    // A process with children: its subtree's rows, its own first among them.
    const parent = output.locator('.hv-sr-only tbody tr[data-toggle][aria-expanded="true"]', {
      hasNotText: '(inferred)'
    });
    const at = await parent.first().evaluate(r => Array.from(r.parentElement!.children).indexOf(r));
    const visibleBelow = await parent.first().evaluate(r => {
      const level = Number(r.getAttribute('aria-level'));
      let n = 0;
      for (let next = r.nextElementSibling; next && Number(next.getAttribute('aria-level')) > level;) {
        n += 1;
        next = next.nextElementSibling;
      }
      return n;
    });
    expect(at).toBeGreaterThanOrEqual(0);
    await clickProcess(output, parent.first());
    await page.notebook.setCell(
      4,
      'code',
      'print(json.dumps({"own": v.selection, "subtree": v.selected_subtree.index.tolist()}))'
    );
    await page.notebook.runCell(4);
    const tree = JSON.parse(await printed(page, 4));
    expect(tree.subtree).toContain(tree.own[0]);
    // At least the descendants the tree shows open below it (the mirror may end first).
    expect(tree.subtree.length).toBeGreaterThanOrEqual(Math.min(visibleBelow, 2) + 1);

    // Python selects a row: the view shows it, and answers with its selection.
    await page.notebook.setCell(5, 'code', 'v.select([100])\nprint(json.dumps(df.iloc[100]["ProcessCommandLine"]))');
    await page.notebook.runCell(5);
    const wanted = JSON.parse(await printed(page, 5));
    await expect.poll(() => field(output, 'ProcessCommandLine')).toBe(wanted);
    await page.notebook.setCell(6, 'code', 'print(v.selection)');
    await page.notebook.runCell(6);
    expect(await printed(page, 6)).toBe('[100]');

    // A restart: the link goes off, the view stays drawn and usable.
    await page.evaluate(() => void (window as any).jupyterapp.commands.execute('notebook:restart-kernel'));
    await page.locator('.jp-Dialog').locator('.jp-mod-accept').click();
    await expect(badge).toHaveText('kernel link off');
    await expect(output.locator('.hv-status')).toContainText('Process tree · ');
    await clickProcess(output, output.locator('.hv-sr-only tbody tr[aria-level="3"]').first());
    await expect(output.locator('.hv-detail-title')).not.toHaveText('');

    // Saved and reopened with no kernel: drawn as before, no link offered.
    await page.notebook.save();
    const file = `${tmpPath}/link.ipynb`;
    await page.notebook.close();
    await openWithoutKernel(page, file);
    const reopened = page.locator('.jp-HuntvizOutput').first();
    await expect(reopened.locator('.hv-status')).toContainText('Process tree · ');
    await expect(reopened.locator('.hv-kernel-link')).toHaveText('kernel link off');
  });

  test('a pivot run from the view grows the tree in place, and the saved notebook holds it', async ({
    page,
    tmpPath
  }) => {
    // A plain Python pivot: three children for the clicked process, as a query for its
    // children would return them; and one that fails, as an unreachable workspace does.
    // (One-line definitions: the editor indents what is typed into it.)
    const pivots = [
      'grow = lambda p: pd.DataFrame([p] * 3).reset_index(drop=True).assign(InitiatingProcessId=p["ProcessId"], ' +
        'InitiatingProcessFileName=p["FileName"], InitiatingProcessCreationTime=p["ProcessCreationTime"], ' +
        'ProcessId=[70001, 70002, 70003], FileName=["child-a.exe", "child-b.exe", "child-c.exe"])',
      'children = lambda rows: grow(rows.iloc[0])',
      'def broken(rows): raise ConnectionError("workspace unreachable")',
      'huntviz.pivot("process", "Children", children)',
      'huntviz.pivot("host", "Broken", broken)',
      'huntviz.pivot("host", "Logons", lambda rows: df[["TimeGenerated", "DeviceName", "AccountName"]].head(7))'
    ].join('\n');
    const code = SHOW.replace('v = huntviz', `${pivots}\nv = huntviz`);
    const output = await linkedOutput(page, tmpPath, 'pivot.ipynb', code);
    const bar = output.locator('.hv-pivots');
    await expect(bar.locator('button.hv-pivot')).toHaveText(['Children', 'Broken', 'Logons']);
    const processes = () => processCount(output);
    const before = await processes();

    // A failing pivot says so in the view; nothing changes.
    // A process with children (real, not inferred).
    const row = output
      .locator('.hv-sr-only tbody tr[data-toggle][aria-expanded="true"]', { hasNotText: '(inferred)' })
      .filter({ has: page.locator('xpath=self::tr[number(@aria-level) >= 3]') })
      .first();
    await clickProcess(output, row);
    const selectedRow = output.locator('.hv-sr-only tbody tr', { hasText: (await row.textContent())! });
    const name = await field(output, 'FileName');
    // (From the context menu on the view: it lists the pivots for the selection.)
    const box = (await output.locator('.hv-scroller').boundingBox())!;
    await page.mouse.click(box.x + box.width / 2, box.y + Number(await row.getAttribute('data-top')) + 8, {
      button: 'right'
    });
    const menu = output.getByRole('menu');
    await expect(menu.locator('.hv-menu-title')).toHaveText('Pivot on 1 selected row');
    await expect(menu.getByRole('menuitem')).toHaveText(['Children (process)', 'Broken (host)', 'Logons (host)']);
    await menu.getByRole('menuitem', { name: 'Broken (host)' }).click();
    await expect(menu).toHaveCount(0);
    await expect(bar.locator('.hv-pivot-status')).toHaveText('Broken: ConnectionError: workspace unreachable');
    expect(await processes()).toBe(before);

    // The reader shuts the selected process (←): its fold survives the rewrite.
    await clickProcess(output, selectedRow);
    await page.keyboard.press('ArrowLeft');
    await expect(selectedRow).toHaveAttribute('aria-expanded', 'false');

    // The children pivot: the tree grows by three processes in the same output, which
    // stays linked, keeps the clicked process selected and says what was added.
    await bar.getByRole('button', { name: 'Children' }).click();
    await expect(bar.locator('.hv-pivot-status')).toHaveText('Children: added 3 rows');
    await expect.poll(processes).toBe(before + 3);
    await expect(output.locator('.hv-kernel-link')).toHaveAttribute('data-state', 'on');
    // The added processes are coloured apart, the legend naming the pivot that added them.
    await expect(output.locator('.hv-legend-item', { hasText: /^Children: \d+/ })).toHaveCount(1);
    expect(await field(output, 'FileName')).toBe(name);
    // (Its new children are under it: shut, as the reader left it.)
    await expect(selectedRow).toHaveAttribute('aria-expanded', 'false');
    await page.notebook.setCell(1, 'code', 'print(len(v._source), sorted(set(v._source["HuntvizPivot"])))');
    await page.notebook.runCell(1);
    expect(await printed(page, 1)).toMatch(/^1013 \['', 'Children: \d+'\]$/);

    // Logons do not fit a process tree: they open in a new output under it, linked too.
    await bar.getByRole('button', { name: 'Logons' }).click();
    await expect(bar.locator('.hv-pivot-status')).toHaveText(
      'Logons: 7 rows in a new output below (they do not fit this view: it has no ProcessId column)'
    );
    const cellOutputs = page.locator('.jp-Notebook .jp-Cell').first().locator('.jp-HuntvizOutput');
    await expect(cellOutputs).toHaveCount(2);
    await expect(cellOutputs.nth(1).locator('.hv-status')).toContainText('Timeline · 7 events');
    await expect(cellOutputs.nth(1).locator('.hv-kernel-link')).toHaveAttribute('data-state', 'on');

    // Saved and reopened with no kernel: the grown tree, as it was left.
    await page.notebook.save();
    await page.notebook.close();
    await openWithoutKernel(page, `${tmpPath}/pivot.ipynb`);
    const reopened = page.locator('.jp-HuntvizOutput').first();
    await expect(reopened.locator('.hv-status')).toContainText(`${(before + 3).toLocaleString('en-US')} processes`);
    await expect(reopened.locator('.hv-pivots')).toBeHidden();
    await expect(page.locator('.jp-Notebook .jp-Cell').first().locator('.jp-HuntvizOutput')).toHaveCount(2);
  });

  test('Ctrl+click selects several processes and a Ctrl+drag brushes a time range: both reach Python', async ({
    page,
    tmpPath
  }) => {
    const output = await linkedOutput(page, tmpPath, 'brush.ipynb', SHOW);
    const rows = output.locator('.hv-sr-only tbody tr[aria-level="3"]', { hasNotText: '(inferred)' });
    await clickProcess(output, rows.nth(1));
    await page.keyboard.down('Control');
    await clickProcess(output, rows.nth(3));
    await page.keyboard.up('Control');
    await expect(output).toHaveAttribute('data-hv-kernel-selected', '2');
    await page.notebook.setCell(1, 'code', 'print(len(v.selected), len(set(v.selection)))');
    await page.notebook.runCell(1);
    expect(await printed(page, 1)).toBe('2 2');

    // A timeline of the same frame: Ctrl+drag across the middle of the plot.
    await page.notebook.setCell(2, 'code', 't = huntviz.show(df, view="timeline")\nt');
    await page.notebook.runCell(2);
    const timeline = page.locator('.jp-HuntvizOutput').nth(1);
    await expect(timeline.locator('.hv-kernel-link')).toHaveAttribute('data-state', 'on');
    await timeline.scrollIntoViewIfNeeded();
    const box = (await timeline.locator('.hv-scroller').boundingBox())!;
    const y = box.y + 50;
    await page.keyboard.down('Control');
    await page.mouse.move(box.x + box.width * 0.45, y);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width * 0.55, y, { steps: 5 });
    await page.mouse.up();
    await page.keyboard.up('Control');
    const status = timeline.locator('.hv-status');
    await expect(status).toContainText(' selected');
    const count = Number((await status.textContent())!.match(/([\d,]+) selected/)![1].replace(/,/g, ''));
    expect(count).toBeGreaterThan(10);
    await expect(timeline).toHaveAttribute('data-hv-kernel-selected', String(count));
    // Python holds every row whose time is inside the brushed range and no other.
    await page.notebook.setCell(
      3,
      'code',
      [
        'when = pd.to_datetime(df["TimeGenerated"], utc=True)',
        'got = when.iloc[t.selection]',
        'inside = ((when >= got.min()) & (when <= got.max())).sum()',
        'print(len(t.selected), inside, t.selection == sorted(t.selection))'
      ].join('\n')
    );
    await page.notebook.runCell(3);
    expect(await printed(page, 3)).toBe(`${count} ${count} True`);
  });

  test('a level-capped pivot says how many processes lay beyond and raises the levels from the view', async ({
    page,
    tmpPath
  }) => {
    // Two children of the clicked process and two grandchildren under the first: what a
    // whole-tree query returns. Capped at one level down.
    const pivots = [
      'gen = lambda p, pid: pd.DataFrame([p] * 2).reset_index(drop=True).assign(InitiatingProcessId=p["ProcessId"], ' +
        'InitiatingProcessFileName=p["FileName"], ' +
        'InitiatingProcessCreationTime=p["ProcessCreationTime"], ProcessId=[pid, pid + 1], ' +
        'FileName=[f"gen-{pid}.exe", f"gen-{pid + 1}.exe"])',
      'tree = lambda rows: (lambda kids: pd.concat([kids, gen(kids.iloc[0], 81000)], ignore_index=True))(gen(rows.iloc[0], 80000))',
      'huntviz.pivot("process", "Tree", tree, descendants=1)'
    ].join('\n');
    const output = await linkedOutput(
      page,
      tmpPath,
      'levels.ipynb',
      SHOW.replace('v = huntviz', `${pivots}\nv = huntviz`)
    );
    const bar = output.locator('.hv-pivots');
    await expect(bar.locator('button.hv-pivot')).toHaveAttribute('title', /1 levels down/);
    const processes = () => processCount(output);
    const before = await processes();
    const rows = output.locator('.hv-sr-only tbody tr[aria-level="3"]', { hasNotText: '(inferred)' });
    await clickProcess(output, rows.nth(2));
    // Offered in the selected process's detail panel too.
    const inDetail = output.getByRole('group', { name: 'Pivots on the selection' });
    await expect(inDetail.getByRole('button')).toHaveText(['Tree']);
    await inDetail.getByRole('button', { name: 'Tree' }).click();
    const status = bar.locator('.hv-pivot-status');
    await expect(status).toHaveText('Tree: added 2 rows; 2 processes beyond the level cap (1 down)');
    await expect.poll(processes).toBe(before + 2);
    const raise = bar.locator('.hv-pivot-raise');
    await expect(raise).toHaveText('Raise to 2 down');
    await raise.click();
    await expect(status).toHaveText('Tree: added 2 rows');
    await expect.poll(processes).toBe(before + 4);
    await expect(raise).toBeHidden();
  });

  test("a grid's Ctrl/Shift+clicked rows and a graph's Ctrl+clicked entities reach Python", async ({
    page,
    tmpPath
  }) => {
    await page.contents.uploadFile(path.join(ROOT, 'tests/fixtures/alert_entities.json'), `${tmpPath}/alerts.json`);
    const grid = await linkedOutput(page, tmpPath, 'multi.ipynb', SHOW.replace('view="process-tree"', 'view="table"'));
    const rows = grid.locator('.hv-sr-only tbody tr');
    await clickProcess(grid, rows.nth(1));
    await page.keyboard.down('Shift');
    await clickProcess(grid, rows.nth(4));
    await page.keyboard.up('Shift');
    await page.keyboard.down('Control');
    await clickProcess(grid, rows.nth(2));
    await clickProcess(grid, rows.nth(7));
    await page.keyboard.up('Control');
    await expect(grid.locator('.hv-status')).toContainText('· 4 selected');
    await expect(grid).toHaveAttribute('data-hv-kernel-selected', '4');
    await page.notebook.setCell(1, 'code', 'print(v.selection, len(v.selected))');
    await page.notebook.runCell(1);
    expect(await printed(page, 1)).toBe('[1, 3, 4, 7] 4');

    // A graph of raw alert text: two entities Ctrl+clicked, each with its own properties.
    await page.notebook.setCell(2, 'code', 'g = huntviz.show(open("alerts.json").read(), view="graph")\ng');
    await page.notebook.runCell(2);
    const graph = page.locator('.jp-HuntvizOutput').nth(1);
    await expect(graph.locator('.hv-kernel-link')).toHaveAttribute('data-state', 'on');
    await expect(graph).toHaveAttribute('data-hv-settled', 'true');
    await graph.scrollIntoViewIfNeeded();
    const box = (await graph.locator('.hv-scroller').boundingBox())!;
    const node = async (text: string) => {
      const tr = graph.locator('.hv-sr-only tbody tr', { hasText: text }).first();
      return [Number(await tr.getAttribute('data-mark')), Number(await tr.getAttribute('data-top'))];
    };
    const [hx, hy] = await node('WKS-01');
    await page.mouse.click(box.x + hx, box.y + hy);
    await expect(graph.locator('.hv-detail-title')).toHaveText('WKS-01 · host');
    const [ax, ay] = await node('alice');
    await page.keyboard.down('Control');
    await page.mouse.click(box.x + ax, box.y + ay);
    await page.keyboard.up('Control');
    await page.notebook.setCell(
      3,
      'code',
      [
        'e = g.selected_entities',
        'rows = sorted({r for rs in e["Rows"] for r in rs})',
        'print(list(e["Type"]), " | ".join(e["Label"]), e["HostName"].iloc[0], e["NTDomain"].iloc[1], rows == g.selection, len(g.selected) == len(rows))'
      ].join('\n')
    );
    await page.notebook.runCell(3);
    expect(await printed(page, 3)).toBe("['host', 'account'] WKS-01 | CONTOSO\\alice WKS-01 CONTOSO True True");
  });
});
