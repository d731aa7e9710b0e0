/**
 * The static fallback in a real JupyterLab, nbconvert and Chromium: a run cell gains a
 * picture of its view once (light, bounded, never rewritten on interaction), opening an
 * untrusted notebook writes nothing, huntviz stays the renderer beside a picture and a
 * summary (trusted or not), and the kernel's summary and the picture read safely in
 * nbconvert's HTML (what nbviewer shows; GitHub's view is close to the sanitized one).
 */
import { expect, galata, test } from '@jupyterlab/galata';
import type { Page } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { MIME, notebookWithOutputs, offline, openWithoutKernel, ROOT } from './helpers';

const PYTHON = path.join(ROOT, '.venv/bin/python');
const JUPYTER = path.join(ROOT, '.venv/bin/jupyter');

/** A notebook file's JSON through the server. */
async function savedNotebook(page: Page, file: string): Promise<any> {
  const response = await page.request.get(`/api/contents/${file}?content=1&type=notebook`);
  expect(response.ok()).toBe(true);
  return (await response.json()).content;
}

/** The RGBA of a pixel of a base64 PNG, decoded by the browser. */
async function pngPixel(page: Page, png: string, x: number, y: number): Promise<number[]> {
  return page.evaluate(
    async ([b64, px, py]) => {
      const image = new Image();
      image.src = `data:image/png;base64,${b64}`;
      await image.decode();
      const canvas = document.createElement('canvas');
      canvas.width = image.naturalWidth;
      canvas.height = image.naturalHeight;
      const ctx = canvas.getContext('2d')!;
      ctx.drawImage(image, 0, 0);
      return Array.from(ctx.getImageData(px as number, py as number, 1, 1).data);
    },
    [png, x, y] as const
  );
}

test.describe('static fallback', () => {
  test.use({ autoGoto: true });

  test('a run cell gains a light picture of its view once; interaction never rewrites it', async ({
    page,
    tmpPath
  }) => {
    // The UI is dark; the picture is drawn light whatever the reader's theme.
    await page.theme.setDarkTheme();
    await page.notebook.createNew('picture.ipynb');
    await page.notebook.setCell(
      0,
      'code',
      [
        'import pandas as pd, huntviz',
        'df = pd.DataFrame({"ProcessId": list(range(40)), "FileName": ["<img src=x onerror=alert(1)>"] * 40})',
        'huntviz.show(df, view="table")'
      ].join('\n')
    );
    await page.notebook.runCell(0);
    const output = page.locator('.jp-HuntvizOutput').first();
    await expect(output).toHaveAttribute('data-hv-picture', /^\d+x\d+$/);
    // Writing the picture rendered the output again: nothing was parsed again.
    await expect(output).toHaveAttribute('data-hv-builds', '1');
    await expect(output.locator('.hv-status')).toHaveText('Table · 40 rows × 2 columns');
    await page.notebook.save();
    const file = `${tmpPath}/picture.ipynb`;
    const saved = await savedNotebook(page, file);
    const out = saved.cells[0].outputs[0];
    expect(Object.keys(out.data).sort()).toEqual([MIME, 'image/png', 'text/plain']);
    const png: string = out.data['image/png'];
    expect(png.length).toBeLessThanOrEqual(300_000);
    expect(Buffer.from(png, 'base64').subarray(1, 4).toString()).toBe('PNG');
    const { width, height } = out.metadata['image/png'];
    expect(width).toBe(960);
    expect(height).toBeGreaterThanOrEqual(100);
    expect(height).toBeLessThanOrEqual(600);
    expect(out.data[MIME].fallback).toBe('auto');
    const corner = await pngPixel(page, png, 2, height - 2);
    expect(Math.min(...corner.slice(0, 3))).toBeGreaterThan(230);

    // Scroll, select, resize: the saved output is byte for byte the same afterwards.
    const scroller = output.locator('.hv-scroller');
    await scroller.evaluate(el => (el.scrollTop = el.scrollHeight));
    const box = (await scroller.boundingBox())!;
    await page.mouse.click(box.x + 120, box.y + 40);
    await page.evaluate(() => (window as any).jupyterapp.commands.execute('application:toggle-left-area'));
    await page.notebook.setCell(1, 'code', '1 + 1');
    await page.notebook.save();
    const again = await savedNotebook(page, file);
    expect(again.cells[0].outputs).toEqual(saved.cells[0].outputs);
    await expect(output).toHaveAttribute('data-hv-builds', '1');

    // nbconvert's HTML (nbviewer's) shows the picture, offline.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'huntviz-picture-'));
    fs.writeFileSync(path.join(dir, 'picture.ipynb'), JSON.stringify(again));
    execFileSync(JUPYTER, ['nbconvert', '--to', 'html', path.join(dir, 'picture.ipynb')], { stdio: 'pipe' });
    const viewer = await page.context().newPage();
    await offline(viewer);
    await viewer.goto(`file://${path.join(dir, 'picture.html')}`);
    const img = viewer.locator('img[src^="data:image/png;base64,"]');
    await expect(img).toHaveCount(1);
    expect(await img.evaluate((i: HTMLImageElement) => i.naturalWidth)).toBe(960);
    await viewer.close();
  });

  test('opening a saved notebook writes into it only when it is trusted', async ({ page, tmpPath }) => {
    const csv = 'ProcessId,FileName\n4,System\n8,smss.exe\n';
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'huntviz-open-'));
    const notebook = JSON.parse(notebookWithOutputs([{ view: 'table', data: csv, fallback: 'auto' }]));
    notebook.metadata.huntviz_test_copy = `${Date.now()}-${Math.random()}`;
    const unsigned = path.join(dir, 'shared.ipynb');
    fs.writeFileSync(unsigned, JSON.stringify(notebook));
    const signed = path.join(dir, 'mine.ipynb');
    fs.writeFileSync(signed, JSON.stringify({ ...notebook, metadata: { ...notebook.metadata, mine: true } }));
    execFileSync(JUPYTER, ['trust', signed]);
    await page.contents.uploadFile(unsigned, `${tmpPath}/shared.ipynb`);
    await page.contents.uploadFile(signed, `${tmpPath}/mine.ipynb`);

    // A colleague's notebook: shown, not modified. (No kernel: starting one records its
    // language in the notebook's metadata, a change of its own.)
    await openWithoutKernel(page, `${tmpPath}/shared.ipynb`);
    const shared = page.locator('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-HuntvizOutput');
    await expect(shared).toHaveAttribute('data-hv-picture', 'untrusted');
    await expect(shared.locator('.hv-status')).toHaveText('Table · 2 rows × 2 columns');
    // Its output in the open document is as saved: huntviz wrote nothing into it.
    // (Whether JupyterLab itself marks the tab dirty is its own business: choosing a
    // kernel, or none, already does.)
    const inMemory = await page.evaluate(() => {
      const model = (window as any).jupyterapp.shell.currentWidget.content.model;
      return model.cells.get(0).outputs.get(0).toJSON();
    });
    expect(inMemory).toEqual(notebook.cells[0].outputs[0]);
    await page.notebook.close(true);

    // The user's own (signed) notebook from before pictures existed: it gains one.
    await openWithoutKernel(page, `${tmpPath}/mine.ipynb`);
    const mine = page.locator('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-HuntvizOutput');
    await expect(mine).toHaveAttribute('data-hv-picture', /^\d+x\d+$/);
    await expect(mine).toHaveAttribute('data-hv-builds', '1');
    await page.notebook.save();
    const saved = await savedNotebook(page, `${tmpPath}/mine.ipynb`);
    expect(Object.keys(saved.cells[0].outputs[0].data).sort()).toEqual([MIME, 'image/png', 'text/plain']);
    await page.notebook.close(true);
  });

  test('huntviz stays the renderer beside a picture and a summary, trusted or not', async ({ page, tmpPath }) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'huntviz-rank-'));
    const notebook = JSON.parse(notebookWithOutputs([{ view: 'table', data: 'a,b\n1,x\n', fallback: 'auto' }]));
    const onePixel = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=';
    Object.assign(notebook.cells[0].outputs[0].data, {
      'image/png': onePixel,
      'text/html': '<div class="kernel-summary">summary</div>'
    });
    notebook.metadata.huntviz_test_copy = `${Date.now()}-${Math.random()}`;
    const signed = path.join(dir, 'trusted.ipynb');
    fs.writeFileSync(signed, JSON.stringify(notebook));
    execFileSync(JUPYTER, ['trust', signed]);
    notebook.metadata.huntviz_test_copy += '-shared';
    const unsigned = path.join(dir, 'untrusted.ipynb');
    fs.writeFileSync(unsigned, JSON.stringify(notebook));
    for (const [name, file] of [
      ['trusted.ipynb', signed],
      ['untrusted.ipynb', unsigned]
    ]) {
      await page.contents.uploadFile(file, `${tmpPath}/${name}`);
      await page.notebook.openByPath(`${tmpPath}/${name}`);
      const panel = page.locator('.jp-NotebookPanel:not(.lm-mod-hidden)');
      await expect(panel.locator('.jp-HuntvizOutput .hv-status')).toHaveText('Table · 1 row × 2 columns');
      await expect(panel.locator('.jp-OutputArea-output img, .kernel-summary')).toHaveCount(0);
      // The bundle already has a picture: it is kept as it is.
      await expect(panel.locator('.jp-HuntvizOutput')).toHaveAttribute(
        'data-hv-picture',
        name === 'trusted.ipynb' ? 'present' : 'untrusted'
      );
      await page.notebook.close(true);
    }
  });
});

test.describe('Export HTML', () => {
  test.use({ autoGoto: true });

  test('downloads a one-file report of the output that opens offline', async ({ page, tmpPath }) => {
    await page.contents.uploadFile(path.join(ROOT, 'tests/fixtures/sysmon.csv'), `${tmpPath}/sysmon.csv`);
    const csv = fs.readFileSync(path.join(ROOT, 'tests/fixtures/sysmon.csv'), 'utf-8');
    await page.contents.uploadContent(
      notebookWithOutputs([{ view: 'process-tree', data: csv, title: 'Processes' }]),
      'text',
      `${tmpPath}/export.ipynb`
    );
    await openWithoutKernel(page, `${tmpPath}/export.ipynb`);
    const output = page.locator('.jp-HuntvizOutput').first();
    const status = await output.locator('.hv-status').textContent();
    const [download] = await Promise.all([page.waitForEvent('download'), output.locator('.hv-export-html').click()]);
    expect(download.suggestedFilename()).toBe('huntviz-process-tree.html');
    const report = await page.context().newPage();
    const requests = await offline(report);
    const saved = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'huntviz-export-')), download.suggestedFilename());
    await download.saveAs(saved);
    await report.goto(`file://${saved}`);
    await expect(report.locator('body')).toHaveAttribute('data-hv-ready', 'true');
    await expect(report.locator('.hv-report-toc a')).toHaveText(['Processes']);
    await expect(report.locator('.jp-HuntvizOutput .hv-status')).toHaveText(status!);
    // A report is already the export: it offers no Export HTML of its own.
    await expect(report.locator('.hv-export-html')).toBeHidden();
    expect(requests).toEqual([]);
    await report.close();
  });
});

test.describe('the JupyterLab setting', () => {
  // galata serves the settings from the test (the page's settings requests never reach
  // the server): huntviz's set to off, as the Settings Editor would save it.
  test.use({
    autoGoto: true,
    mockSettings: { ...galata.DEFAULT_SETTINGS, 'huntviz:settings': { staticFallback: false } }
  });

  test('turns pictures off', async ({ page }) => {
    await page.notebook.createNew('off.ipynb');
    await page.notebook.setCell(0, 'code', 'import huntviz\nhuntviz.show("a,b\\n1,x\\n", view="table")');
    await page.notebook.runCell(0);
    const output = page.locator('.jp-HuntvizOutput').first();
    await expect(output.locator('.hv-status')).toHaveText('Table · 1 row × 2 columns');
    await expect(output).toHaveAttribute('data-hv-picture', 'off');
  });
});

test.describe('nbconvert', () => {
  test("the hostile fixture's summary is text in nbconvert's HTML, and nothing runs", async ({ browser }) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'huntviz-nbconvert-'));
    const notebook = path.join(dir, 'hostile.ipynb');
    // The bundle as a kernel writes it, from the hostile fixture (no front end ran).
    execFileSync(PYTHON, [
      '-c',
      [
        'import sys, nbformat, huntviz',
        'text = open(sys.argv[1], encoding="utf-8").read()',
        'bundle = huntviz.show(text, view="table", title="<b onmouseover=\\"window.__huntvizPwned=1\\">t</b>")._repr_mimebundle_()',
        'nb = nbformat.v4.new_notebook()',
        'nb.cells.append(nbformat.v4.new_code_cell("huntviz.show(text)", outputs=[nbformat.v4.new_output("execute_result", data=bundle, execution_count=1)]))',
        'nbformat.write(nb, sys.argv[2])'
      ].join('\n'),
      path.join(ROOT, 'tests/fixtures/hostile.json'),
      notebook
    ]);
    for (const extra of [[], ['--HTMLExporter.sanitize_html=True']]) {
      execFileSync(JUPYTER, ['nbconvert', '--to', 'html', ...extra, notebook], { stdio: 'pipe' });
      const page = await browser.newPage();
      const pwned: string[] = [];
      page.on('dialog', async dialog => {
        pwned.push(dialog.message());
        await dialog.dismiss();
      });
      // Offline: nbconvert's template may reference CDNs (MathJax); every request but the file fails.
      await offline(page);
      await page.goto(`file://${path.join(dir, 'hostile.html')}`);
      const output = page.locator('.jp-OutputArea-output').first();
      await expect(output).toContainText('huntviz table view of a Log Analytics response');
      await expect(output.locator('td', { hasText: `<img src=x onerror="window.__huntvizPwned='img'">` })).toHaveCount(
        1
      );
      await expect(output.locator('td', { hasText: "<script>window.__huntvizPwned='script'</script>" })).toHaveCount(1);
      await expect(output.locator('td', { hasText: 'evil⟨U+202E⟩gnp.exe' })).toHaveCount(1);
      // Hover every cell: no handler from the data exists to fire.
      for (const td of await output.locator('td').all()) {
        await td.hover();
      }
      expect(await output.locator('img, script, a, svg, [onerror], [onmouseover], [style]').count()).toBe(0);
      expect(await page.evaluate(() => (window as any).__huntvizPwned)).toBeUndefined();
      expect(pwned).toEqual([]);
      await page.close();
    }
  });
});
