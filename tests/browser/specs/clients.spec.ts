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
import { DEMO, demoStatuses, ROOT } from './helpers';

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

  for (const app of ['lab', 'notebooks']) {
    test(`a JupyterLite site (${app}) shows the saved demo outputs with no server`, async ({ page }) => {
      await page.goto(`${LITE}/${app}/index.html?path=demo.ipynb`);
      await expect(page.locator('.jp-HuntvizOutput .hv-status')).toHaveText(demoStatuses(), { timeout: 60_000 });
      await expect(page.locator('.jp-HuntvizOutput').nth(2).locator('.hv-sr-only tbody tr').first()).toBeAttached();
    });
  }
});
