/**
 * The saved demo notebook in the other Jupyter clients huntviz's prebuilt extension
 * loads in, with no kernel needed: Notebook 7 (the `notebook` package, on its own server)
 * and a JupyterLite site built with jupyterlite-core from the installed labextension
 * (served as static files: no Jupyter server at all).
 */
import { expect, test } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DEMO, demoStatuses, EVENTS, ROOT } from './helpers';

const NOTEBOOK7 = 'http://localhost:8889';
const LITE = 'http://127.0.0.1:8890';

test.describe('other clients', () => {
  for (const trusted of [false, true]) {
    test(`Notebook 7 shows the saved demo outputs (${trusted ? 'trusted' : 'untrusted'})`, async ({
      page,
      request
    }) => {
      // The demo's outputs carry the kernel's HTML summary too: huntviz is still chosen.
      const notebook = JSON.parse(fs.readFileSync(DEMO, 'utf-8'));
      notebook.metadata.huntviz_test_copy = `${Date.now()}-${Math.random()}`;
      if (trusted) {
        const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'huntviz-nb7-')), 'demo.ipynb');
        fs.writeFileSync(file, JSON.stringify(notebook));
        execFileSync(path.join(ROOT, '.venv/bin/jupyter'), ['trust', file]);
      }
      const name = `clients-demo-${trusted ? 'trusted' : 'shared'}-${Date.now()}.ipynb`;
      const put = await request.put(`${NOTEBOOK7}/api/contents/${name}`, {
        data: { type: 'notebook', format: 'json', content: notebook }
      });
      expect(put.ok()).toBe(true);
      await page.goto(`${NOTEBOOK7}/notebooks/${name}`);
      await expect(page.locator('.jp-HuntvizOutput .hv-status')).toHaveText(demoStatuses());
      expect(await page.locator('.jp-OutputArea-output.jp-RenderedHTMLCommon').count()).toBe(0);
      // Drawn, not only described: the tree's accessible mirror has its first host.
      await expect(page.locator('.jp-HuntvizOutput').first().locator('.hv-sr-only tbody tr').first()).toHaveAttribute(
        'aria-level',
        '1'
      );
      const isTrusted = await page.evaluate(() => {
        const app = (window as any).jupyterapp;
        return app.shell.currentWidget.content.model.cells.get(1).trusted as boolean;
      });
      expect(isTrusted).toBe(trusted);
    });
  }

  test('Notebook 7 links a live output to its kernel: a clicked process reaches Python, a pivot grows the tree', async ({
    page,
    request
  }) => {
    const stamp = `${Date.now()}-${Math.floor(Math.random() * 1e6)}`;
    const data = `link-events-${stamp}.json`;
    const put = (name: string, body: object) => request.put(`${NOTEBOOK7}/api/contents/${name}`, { data: body });
    expect((await put(data, { type: 'file', format: 'text', content: fs.readFileSync(EVENTS, 'utf-8') })).ok()).toBe(
      true
    );
    const source = [
      'import json, pandas as pd, huntviz',
      `t = json.load(open(${JSON.stringify(data)}, encoding="utf-8"))["tables"][0]`,
      'df = pd.DataFrame(t["rows"], columns=[c["name"] for c in t["columns"]])',
      'v = huntviz.show(df, view="process-tree")',
      'v'
    ].join('\n');
    const cell = (code: string, i: number) => ({
      cell_type: 'code',
      id: `c${i}`,
      metadata: {},
      source: code,
      outputs: [],
      execution_count: null
    });
    const notebook = {
      nbformat: 4,
      nbformat_minor: 5,
      metadata: { kernelspec: { name: 'python3', display_name: 'Python 3 (ipykernel)', language: 'python' } },
      cells: [cell(source, 0), cell('print(json.dumps(v.selected["ProcessCommandLine"].tolist()))', 1), cell('', 2)]
    };
    const name = `link-${stamp}.ipynb`;
    expect((await put(name, { type: 'notebook', format: 'json', content: notebook })).ok()).toBe(true);
    await page.goto(`${NOTEBOOK7}/notebooks/${name}`);
    const cells = page.locator('.jp-Notebook .jp-Cell');
    await expect(page.locator('.jp-Notebook-ExecutionIndicator[data-status="idle"]')).toBeAttached({ timeout: 60_000 });
    await cells.nth(0).locator('.jp-InputArea-editor').click();
    await page.keyboard.press('Shift+Enter');
    const output = page.locator('.jp-HuntvizOutput').first();
    await expect(output.locator('.hv-kernel-link')).toHaveText('linked to the kernel', { timeout: 60_000 });
    const row = output.locator('.hv-sr-only tbody tr[aria-level="3"]', { hasNotText: '(inferred)' }).first();
    const box = (await output.locator('.hv-scroller').boundingBox())!;
    const left = Number(await output.locator('.hv-sr-only thead th').nth(1).getAttribute('data-left'));
    await page.mouse.click(box.x + left + 10, box.y + Number(await row.getAttribute('data-top')) + 8);
    const names = await output.locator('.hv-fields dt').allTextContents();
    const command = await output
      .locator('.hv-fields dd')
      .nth(names.indexOf('ProcessCommandLine'))
      .locator('pre.hv-field-value')
      .textContent();
    await cells.nth(1).locator('.jp-InputArea-editor').click();
    await page.keyboard.press('Shift+Enter');
    const printed = cells.nth(1).locator('.jp-OutputArea-output').first();
    await expect(printed).toBeVisible({ timeout: 60_000 });
    expect(JSON.parse(await printed.innerText())).toEqual([command]);

    // A pivot registered after the view was drawn is offered at once; run on the
    // selected process, it grows the tree in the same output.
    const processes = async () =>
      Number((await output.locator('.hv-status').textContent())!.match(/([\d,]+) processes/)![1].replace(/,/g, ''));
    const before = await processes();
    await cells.nth(2).locator('.jp-InputArea-editor').click();
    await page.keyboard.insertText(
      [
        // One-line definitions: nothing depends on how the editor indents.
        'grow = lambda p: pd.DataFrame([p] * 2).reset_index(drop=True).assign(InitiatingProcessId=p["ProcessId"], ' +
          'InitiatingProcessFileName=p["FileName"], InitiatingProcessCreationTime=p["ProcessCreationTime"], ' +
          'ProcessId=[80001, 80002])',
        'children_pivot = huntviz.pivot("process", "Children", lambda rows: grow(rows.iloc[0]))'
      ].join('\n')
    );
    await page.keyboard.press('Shift+Enter');
    const bar = output.locator('.hv-pivots');
    await bar.getByRole('button', { name: 'Children' }).click();
    await expect(bar.locator('.hv-pivot-status')).toHaveText('Children: added 2 rows');
    await expect.poll(processes).toBe(before + 2);
    await expect(output.locator('.hv-kernel-link')).toHaveAttribute('data-state', 'on');
  });

  for (const app of ['lab', 'notebooks']) {
    test(`a JupyterLite site (${app}) shows the saved demo outputs with no server`, async ({ page }) => {
      await page.goto(`${LITE}/${app}/index.html?path=demo.ipynb`);
      await expect(page.locator('.jp-HuntvizOutput .hv-status')).toHaveText(demoStatuses(), { timeout: 60_000 });
      await expect(page.locator('.jp-HuntvizOutput').nth(2).locator('.hv-sr-only tbody tr').first()).toBeAttached();
    });
  }
});
