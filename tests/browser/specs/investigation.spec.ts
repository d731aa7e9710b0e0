/**
 * An investigation (issue 17) in a real JupyterLab with a real kernel: one output with
 * the process tree, the timeline and the entity graph of one result, linked by result
 * row; a brushed time range selects the tree's processes in it; the reader's layout is
 * saved with the output and comes back when the notebook is opened again.
 */
import { expect, IJupyterLabPageFixture, test } from '@jupyterlab/galata';
import type { Locator } from '@playwright/test';
import * as fs from 'node:fs';

import { execFileSync } from 'node:child_process';
import * as os from 'node:os';
import * as path from 'node:path';

import { EVENTS, notebookWithOutputs, openWithoutKernel, ROOT } from './helpers';

const SHOW = [
  'import json, pandas as pd, huntviz',
  't = json.load(open("process_events.json", encoding="utf-8"))["tables"][0]',
  'df = pd.DataFrame(t["rows"], columns=[c["name"] for c in t["columns"]])',
  'v = huntviz.show(df, view=["process-tree", "timeline", "graph"], source="AccountName", target="DeviceName", height=800)',
  'v'
].join('\n');

async function investigation(page: IJupyterLabPageFixture, tmpPath: string): Promise<Locator> {
  await page.setViewportSize({ width: 1800, height: 1400 });
  await page.contents.uploadFile(EVENTS, `${tmpPath}/process_events.json`);
  await page.notebook.createNew('investigation.ipynb');
  await page.notebook.setCell(0, 'code', SHOW);
  await page.notebook.runCell(0);
  const output = page.locator('.jp-HuntvizOutput').first();
  await expect(output).toHaveAttribute('data-hv-panes', 'process-tree timeline graph');
  for (const view of ['process-tree', 'timeline', 'graph']) {
    await expect(pane(output, view).locator('.hv-status')).toBeVisible();
  }
  await expect(pane(output, 'graph')).toHaveAttribute('data-hv-settled', 'true');
  return output;
}

/** The pane showing `view`. */
function pane(output: Locator, view: string): Locator {
  return output.locator(`.jp-HuntvizOutput[data-hv-pane="${view}"]`);
}

/** A field of a pane's detail panel, as shown. */
async function field(p: Locator, name: string): Promise<string> {
  const names = await p.locator('.hv-fields dt').allTextContents();
  const at = names.indexOf(name);
  expect(at).toBeGreaterThanOrEqual(0);
  return (await p.locator('.hv-fields dd').nth(at).locator('pre.hv-field-value').textContent())!;
}

test.describe('investigation', () => {
  test.use({ autoGoto: true });

  test('a process clicked in the tree lights its event on the timeline and its entities in the graph', async ({
    page,
    tmpPath
  }) => {
    const output = await investigation(page, tmpPath);
    const tree = pane(output, 'process-tree');
    const timeline = pane(output, 'timeline');
    const graph = pane(output, 'graph');
    // One parsed copy: the panes were built on the output's one result.
    await expect(output).toHaveAttribute('data-hv-builds', '1');

    // A real process (not inferred) three levels down.
    const row = tree.locator('.hv-sr-only tbody tr[aria-level="3"]', { hasNotText: '(inferred)' }).first();
    const text = (await row.textContent())!;
    const box = (await tree.locator('.hv-scroller').boundingBox())!;
    const left = Number(await tree.locator('.hv-sr-only thead th').nth(1).getAttribute('data-left'));
    await page.mouse.click(box.x + left + 10, box.y + Number(await row.getAttribute('data-top')) + 8);
    await expect(tree.locator('.hv-sr-only tbody tr[aria-selected="true"]')).toHaveText([text]);
    const account = await field(tree, 'AccountName');
    const pid = await field(tree, 'ProcessId');

    // The timeline selected the process's event: its detail is that process's row.
    await expect(output).toHaveAttribute('data-hv-linked', '1');
    await expect(timeline.locator('.hv-sr-only tbody tr[aria-selected="true"]')).toHaveCount(1);
    expect(await field(timeline, 'ProcessId')).toBe(pid);
    expect(await field(timeline, 'AccountName')).toBe(account);
    // The graph selected the entities made from that row: the account among them.
    await expect(graph.locator('.hv-sr-only tbody tr[aria-selected="true"]', { hasText: account })).toHaveCount(1);
    // How long it took to reach every pane (said for the benchmark).
    expect(Number(await output.getAttribute('data-hv-link-ms'))).toBeGreaterThanOrEqual(0);

    // Linked to the kernel (through the first pane): the selection reaches Python, and a
    // selection made in another pane reaches it as that pane made it.
    await expect(tree.locator('.hv-kernel-link')).toHaveAttribute('data-state', 'on');
    const rowOf =
      'import numpy as np; print(v.selection, np.flatnonzero(df.ProcessId.astype(str) == "' + pid + '").tolist())';
    await page.notebook.setCell(1, 'code', rowOf);
    await page.notebook.runCell(1);
    const printed = page.locator('.jp-Notebook .jp-Cell').nth(1).locator('.jp-OutputArea-output').first();
    const [selection, rows] = (await printed.innerText()).trim().split('] [');
    expect(JSON.parse(`${selection}]`)).toHaveLength(1);
    expect(rows.replace(']', '').split(', ').map(Number)).toContain(JSON.parse(`${selection}]`)[0]);
    const gbox = (await graph.locator('.hv-scroller').boundingBox())!;
    const node = graph.locator('.hv-sr-only tbody tr', { hasText: /^alice/ }).first();
    await page.mouse.click(
      gbox.x + Number(await node.getAttribute('data-mark')),
      gbox.y + Number(await node.getAttribute('data-top'))
    );
    await expect(graph.locator('.hv-detail-title')).toContainText('alice');
    await page.notebook.setCell(
      2,
      'code',
      'print(v.selection == sorted(np.flatnonzero(df.AccountName == "alice").tolist()), len(v.selection) > 0)'
    );
    await page.notebook.runCell(2);
    await expect(page.locator('.jp-Notebook .jp-Cell').nth(2).locator('.jp-OutputArea-output').first()).toHaveText(
      'True True'
    );

    // The keyboard: F6 moves to the next pane's view, Shift+F6 back; a pane's own
    // shortcuts work there ("/" focuses its search).
    await tree.locator('.hv-scroller').focus();
    await page.keyboard.press('F6');
    await expect(timeline.locator('.hv-scroller')).toBeFocused();
    await page.keyboard.press('F6');
    await expect(graph.locator('.hv-scroller')).toBeFocused();
    await page.keyboard.press('Shift+F6');
    await expect(timeline.locator('.hv-scroller')).toBeFocused();
    await page.keyboard.press('/');
    await expect(timeline.locator('.hv-search')).toBeFocused();

    // A search in one pane runs in every pane that searches.
    const search = tree.locator('.hv-search');
    await search.fill('msiexec');
    await search.press('Enter');
    for (const p of [timeline, graph]) {
      await expect(p.locator('.hv-search')).toHaveValue('msiexec');
    }
    await expect(timeline.locator('.hv-count')).toContainText('match');
    await expect(tree.locator('.hv-count')).toContainText('match');

    // "Matches only" set in one pane filters every pane to the search's matches, and
    // each status line says how many it shows; cleared in another, every pane is whole.
    const counted = async (p: Locator) =>
      Number((await p.locator('.hv-count').textContent())!.match(/([\d,]+) match/)![1].replace(/,/g, ''));
    const events = await counted(timeline);
    const lanes = async () =>
      (await timeline
        .locator('.hv-sr-only tbody tr')
        .evaluateAll(rows => rows.map(r => Number(r.querySelectorAll('td')[1]?.textContent ?? 'NaN')))) as number[];
    const lanesBefore = await lanes();
    await timeline.locator('.hv-only').check();
    for (const p of [tree, timeline, graph]) {
      await expect(p.locator('.hv-only')).toBeChecked();
      await expect(p.locator('.hv-status')).toContainText(' · matches only: ');
    }
    await expect(timeline.locator('.hv-status')).toContainText(`matches only: ${events} of 1,010 events`);
    await expect(tree.locator('.hv-status')).toContainText(`matches only: ${await counted(tree)} of `);
    // The timeline's lanes hold the matched events only.
    const sum = (counts: number[]) => counts.reduce((a, b) => a + b, 0);
    expect(sum(await lanes())).toBe(events);
    expect(sum(lanesBefore)).toBeGreaterThan(events);
    // The tree shows the matches and their ancestors only: a row that does not say
    // msiexec has a match below it (the next row is its child), or is one through the
    // columns naming its parent (its parent says msiexec).
    const shown = (await tree
      .locator('.hv-sr-only tbody tr')
      .evaluateAll(rows => rows.map(r => [Number(r.getAttribute('aria-level')), r.textContent ?? '']))) as [
      number,
      string
    ][];
    const says = (t: string) => /msiexec/i.test(t);
    expect(shown.filter(([, t]) => says(t)).length).toBeGreaterThan(0);
    shown.slice(0, -1).forEach(([level, t], i) => {
      const parent = shown
        .slice(0, i)
        .reverse()
        .find(([l]) => l < level);
      expect(says(t) || shown[i + 1][0] > level || (parent !== undefined && says(parent[1])), t).toBe(true);
    });
    await graph.locator('.hv-only').uncheck();
    for (const p of [tree, timeline, graph]) {
      await expect(p.locator('.hv-only')).not.toBeChecked();
      await expect(p.locator('.hv-status')).not.toContainText('matches only');
    }
    expect(await lanes()).toEqual(lanesBefore);

    // The whole investigation as one SVG, as laid out: a drawing per pane, inert.
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      output.locator('.hv-investigation-bar .hv-export').click()
    ]);
    const svg = fs.readFileSync((await download.path())!, 'utf-8');
    expect(download.suggestedFilename()).toBe('huntviz-investigation.svg');
    expect(svg.match(/<svg x="\d+" y="\d+"/g)).toHaveLength(3);
    expect(svg).not.toContain('<script');
    expect(svg).toContain(account);
  });

  test('a brushed time range selects the processes in it; the layout comes back after reopening', async ({
    page,
    tmpPath
  }) => {
    const output = await investigation(page, tmpPath);
    const tree = pane(output, 'process-tree');
    const timeline = pane(output, 'timeline');

    // Ctrl+drag across the middle of the timeline: its events, and those processes in the tree.
    const box = (await timeline.locator('.hv-scroller').boundingBox())!;
    await page.keyboard.down('Control');
    await page.mouse.move(box.x + box.width * 0.4, box.y + 40);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width * 0.6, box.y + 40, { steps: 5 });
    await page.mouse.up();
    await page.keyboard.up('Control');
    const status = timeline.locator('.hv-status');
    await expect(status).toContainText(' selected');
    const count = Number((await status.textContent())!.match(/([\d,]+) selected/)![1].replace(/,/g, ''));
    expect(count).toBeGreaterThan(5);
    await expect(output).toHaveAttribute('data-hv-linked', String(count));
    // Every process event is a process: the tree selects as many (the rest dimmed), and
    // its status line says so.
    await expect(tree.locator('.hv-status')).toContainText(`· ${count.toLocaleString('en-US')} selected`);

    // The reader's layout: the graph collapsed, the first splitter dragged, stacked.
    await output.locator('.hv-pane[data-view="graph"] .hv-pane-collapse').click();
    await expect(output.locator('.hv-pane[data-view="graph"]')).toHaveClass(/hv-pane-collapsed/);
    const splitter = output.locator('.hv-splitter').first();
    const s = (await splitter.boundingBox())!;
    await page.mouse.move(s.x + s.width / 2, s.y + s.height / 2);
    await page.mouse.down();
    await page.mouse.move(s.x + s.width / 2 + 200, s.y + s.height / 2, { steps: 5 });
    await page.mouse.up();
    const treeWidth = (await output.locator('.hv-pane[data-view="process-tree"]').boundingBox())!.width;
    const timelineWidth = (await output.locator('.hv-pane[data-view="timeline"]').boundingBox())!.width;
    expect(treeWidth).toBeGreaterThan(timelineWidth + 200);
    await output.locator('.hv-layout-switch').click();
    await expect(output.locator('.hv-panes')).toHaveAttribute('data-direction', 'column');
    // Saving the layout did not draw the result again.
    await expect(output).toHaveAttribute('data-hv-builds', '1');

    // The static fallback: one picture of every open pane as laid out (written once
    // the panes have drawn; this copy is trusted: its cell ran here).
    await expect(output).toHaveAttribute('data-hv-picture', /^\d+x\d+$/);
    const [pw, ph] = (await output.getAttribute('data-hv-picture'))!.split('x').map(Number);
    const panes = (await output.locator('.hv-panes').boundingBox())!;
    expect(pw / panes.width).toBeCloseTo(ph / panes.height, 1);

    // A rewrite from the kernel (the next version of the result) keeps the reader's
    // layout, and the rewritten output carries it.
    await expect(tree.locator('.hv-kernel-link')).toHaveAttribute('data-state', 'on');
    await page.notebook.setCell(1, 'code', 'v.update(df.head(900))');
    await page.notebook.runCell(1);
    await expect(output).toHaveAttribute('data-hv-builds', '2');
    await expect(tree.locator('.hv-status')).toContainText('Process tree');
    await expect(output.locator('.hv-panes')).toHaveAttribute('data-direction', 'column');
    await expect(output.locator('.hv-pane[data-view="graph"]')).toHaveClass(/hv-pane-collapsed/);
    await expect(output).toHaveAttribute('data-hv-picture', /^\d+x\d+$/);

    await page.notebook.save();
    const saved = await (await page.request.get(`/api/contents/${tmpPath}/investigation.ipynb?content=1`)).json();
    const bundle = saved.content.cells[0].outputs[0].data;
    expect(typeof bundle['image/png']).toBe('string');
    expect(bundle['application/vnd.huntviz.v1+json']).toBeTruthy();
    await page.notebook.close();
    await openWithoutKernel(page, `${tmpPath}/investigation.ipynb`);
    const reopened = page.locator('.jp-HuntvizOutput').first();
    await expect(reopened).toHaveAttribute('data-hv-panes', 'process-tree timeline graph');
    await expect(reopened.locator('.hv-panes')).toHaveAttribute('data-direction', 'column');
    await expect(reopened.locator('.hv-pane[data-view="graph"]')).toHaveClass(/hv-pane-collapsed/);
    const treeHeight = (await reopened.locator('.hv-pane[data-view="process-tree"]').boundingBox())!.height;
    const timelineHeight = (await reopened.locator('.hv-pane[data-view="timeline"]').boundingBox())!.height;
    // The tree's larger share, now along the stacked direction.
    expect(treeHeight).toBeGreaterThan(timelineHeight);
  });

  test('an untrusted notebook shows the investigation exactly as a trusted one', async ({ page, tmpPath }) => {
    await page.setViewportSize({ width: 1800, height: 1200 });
    // A saved investigation (the demo's events, tree and timeline stacked, the tree
    // given more room), signed by this user and as a colleague's copy.
    const payload = {
      view: 'process-tree',
      data: fs.readFileSync(EVENTS, 'utf-8'),
      options: { panes: ['process-tree', 'timeline'], layout: { direction: 'column', sizes: [0.6, 0.4] }, height: 700 }
    };
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'huntviz-investigation-'));
    const signed = path.join(dir, 'trusted.ipynb');
    const unsigned = path.join(dir, 'untrusted.ipynb');
    // Copies that differ only in metadata: signing one does not sign the other.
    const copy = (which: string) => {
      const nb = JSON.parse(notebookWithOutputs([payload]));
      nb.metadata.huntviz_test_copy = `${Date.now()}-${Math.random()}-${which}`;
      return JSON.stringify(nb);
    };
    fs.writeFileSync(signed, copy('signed'));
    fs.writeFileSync(unsigned, copy('shared'));
    execFileSync(path.join(ROOT, '.venv/bin/jupyter'), ['trust', signed]);
    await page.contents.uploadFile(signed, `${tmpPath}/trusted.ipynb`);
    await page.contents.uploadFile(unsigned, `${tmpPath}/untrusted.ipynb`);
    const seen: { texts: string[]; pixels: string[]; mirrors: string[]; direction: string | null }[] = [];
    for (const [name, trusted] of [
      ['trusted.ipynb', true],
      ['untrusted.ipynb', false]
    ] as const) {
      await openWithoutKernel(page, `${tmpPath}/${name}`);
      const isTrusted = await page.evaluate(() => {
        const app = (window as any).jupyterapp;
        return app.shell.currentWidget.content.model.cells.get(0).trusted as boolean;
      });
      expect(isTrusted).toBe(trusted);
      const output = page.locator('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-HuntvizOutput').first();
      await expect(output).toHaveAttribute('data-hv-panes', 'process-tree timeline');
      for (const view of ['process-tree', 'timeline']) {
        await expect(pane(output, view).locator('.hv-sr-only tbody tr').first()).toBeAttached();
      }
      await page.evaluate(() => document.fonts.ready.then(() => undefined));
      await page.mouse.move(0, 0);
      seen.push({
        texts: await output.locator('.hv-status, .hv-pane-title').allTextContents(),
        pixels: await output
          .locator('canvas.hv-canvas')
          .evaluateAll(cs => cs.map(c => (c as HTMLCanvasElement).toDataURL())),
        mirrors: await output
          .locator('.hv-sr-only')
          .evaluateAll(ms => ms.map(m => new XMLSerializer().serializeToString(m))),
        direction: await output.locator('.hv-panes').getAttribute('data-direction')
      });
      await page.notebook.close(true);
    }
    expect(seen[0].direction).toBe('column');
    expect(seen[0].pixels).toHaveLength(2);
    expect(seen[1]).toEqual(seen[0]);
  });
});
