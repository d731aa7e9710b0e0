/**
 * Result files opened directly in JupyterLab: Open With → huntviz on a Log Analytics
 * `.json`, a portal `.csv` (with its byte order mark) and a large `.jsonl`; saved
 * `.huntviz.json` payloads open with huntviz by default and carry its icon. The file's
 * bytes come from the server's `/files/` stream, never as content through the contents
 * API (which would make them one JavaScript string).
 */
import { expect, IJupyterLabPageFixture, test } from '@jupyterlab/galata';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { EVENTS, ROOT, treeStatus } from './helpers';

const PYTHON = path.join(ROOT, '.venv/bin/python');
const FIXTURES = path.join(ROOT, 'tests/fixtures');

/** Every request for the contents of `name` through the contents API or `/files/`. */
function watchReads(page: IJupyterLabPageFixture, name: string): { api: string[]; files: string[] } {
  const seen = { api: [] as string[], files: [] as string[] };
  page.on('request', request => {
    const url = new URL(request.url());
    if (!decodeURIComponent(url.pathname).endsWith(name)) {
      return;
    }
    if (url.pathname.includes('/api/contents/') && url.searchParams.get('content') !== '0') {
      seen.api.push(request.url());
    } else if (url.pathname.includes('/files/')) {
      seen.files.push(request.url());
    }
  });
  return seen;
}

/** Opens `name` in the file browser's listing with Open With → huntviz. */
async function openWithHuntviz(page: IJupyterLabPageFixture, dir: string, name: string): Promise<void> {
  await page.filebrowser.openDirectory(dir);
  await page.locator(`.jp-DirListing-item[data-file-type] >> text="${name}"`).click({ button: 'right' });
  // The submenu's item is a list item, not a menu item, in JupyterLab's markup.
  await page.locator('.lm-Menu-item[data-type="submenu"]', { hasText: 'Open With' }).hover();
  await page.getByRole('menuitem', { name: 'huntviz', exact: true }).click();
}

/** The open document's huntviz output. */
function documentOutput(page: IJupyterLabPageFixture) {
  return page.locator('.jp-MainAreaWidget:not(.lm-mod-hidden) .jp-HuntvizDocument .jp-HuntvizOutput');
}

test.describe('result files', () => {
  test.use({ autoGoto: true });

  test('a Log Analytics .json opens with huntviz as its process tree, streamed from /files/', async ({
    page,
    tmpPath
  }) => {
    await page.contents.uploadFile(EVENTS, `${tmpPath}/events.json`);
    const reads = watchReads(page, 'events.json');
    await openWithHuntviz(page, tmpPath, 'events.json');
    const output = documentOutput(page);
    await expect(output.locator('.hv-status')).toHaveText(treeStatus(EVENTS));
    // The same views as an output: the view menu offers the others.
    await expect(output.locator('select.hv-view option')).toHaveText(['Table', 'Process tree', 'Timeline']);
    // The document fills its area (taller than an output's 420 px cap).
    const box = await output.locator('.hv-viewport').boundingBox();
    expect(box!.height).toBeGreaterThan(500);
    expect(reads.files).toHaveLength(1);
    expect(reads.api).toEqual([]);
  });

  test('a portal .csv with a byte order mark and a large .jsonl open with huntviz', async ({ page, tmpPath }) => {
    await page.contents.uploadFile(path.join(FIXTURES, 'portal_export.csv'), `${tmpPath}/portal_export.csv`);
    await openWithHuntviz(page, tmpPath, 'portal_export.csv');
    const csv = documentOutput(page);
    // Three records (one spans two lines).
    await expect(csv.locator('.hv-status')).toHaveText(/^\w[\w ]* · 3 (rows × 6 columns|events)\b/);
    await expect(csv.locator('.hv-warning')).toHaveCount(0);

    // 40 copies of the demo's events (each on its own hosts) as JSON lines: ~18 MB.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'huntviz-files-'));
    const big = path.join(dir, 'big.jsonl');
    execFileSync(PYTHON, [
      '-c',
      [
        'import json, sys',
        't = json.load(open(sys.argv[1]))["tables"][0]',
        'names = [c["name"] for c in t["columns"]]',
        'with open(sys.argv[2], "w") as f:',
        '    for i in range(40):',
        '        for r in t["rows"]:',
        '            rec = dict(zip(names, r)); rec["DeviceName"] = f"{rec[\'DeviceName\']}-{i}"',
        '            f.write(json.dumps(rec) + "\\n")'
      ].join('\n'),
      EVENTS,
      big
    ]);
    expect(fs.statSync(big).size).toBeGreaterThan(16 << 20);
    await page.contents.uploadFile(big, `${tmpPath}/big.jsonl`);
    const reads = watchReads(page, 'big.jsonl');
    await openWithHuntviz(page, tmpPath, 'big.jsonl');
    const output = documentOutput(page);
    // A progress note while the bytes arrive, then the tree the native engine builds.
    await expect(output.locator('.hv-status')).toHaveText(treeStatus(big), { timeout: 60_000 });
    expect(reads.files).toHaveLength(1);
    expect(reads.api).toEqual([]);
  });

  test('a saved .huntviz.json opens with huntviz by default and has its icon', async ({ page, tmpPath }) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'huntviz-files-'));
    const saved = path.join(dir, 'incident.huntviz.json');
    execFileSync(PYTHON, [
      '-c',
      [
        'import sys, huntviz',
        'text = open(sys.argv[1]).read()',
        'huntviz.save(huntviz.show(text, view="timeline", title="<b>incident</b> 42"), sys.argv[2])'
      ].join('\n'),
      EVENTS,
      saved
    ]);
    await page.contents.uploadFile(saved, `${tmpPath}/incident.huntviz.json`);
    await page.filebrowser.openDirectory(tmpPath);
    const item = page.locator('.jp-DirListing-item', { hasText: 'incident.huntviz.json' });
    await expect(item.locator('.jp-DirListing-itemIcon svg[data-icon="huntviz:file"]')).toHaveCount(1);
    await item.dblclick();
    const output = documentOutput(page);
    await expect(output.locator('.hv-status')).toHaveText(/^Timeline · 1,010 events · /);
    // The title is text, never markup.
    await expect(output.locator('.hv-title')).toHaveText('<b>incident</b> 42');
    await expect(output.locator('b')).toHaveCount(0);
    await expect(page.locator('.lm-TabBar-tab.lm-mod-current svg[data-icon="huntviz:file"]')).toBeVisible();
  });

  test('a file that is not a result says so in the document', async ({ page, tmpPath }) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'huntviz-files-'));
    fs.writeFileSync(path.join(dir, 'notes.json'), '{"hello": "<img src=x onerror=alert(1)>"}');
    fs.writeFileSync(path.join(dir, 'broken.huntviz.json'), '{"data": ');
    await page.contents.uploadFile(path.join(dir, 'notes.json'), `${tmpPath}/notes.json`);
    await page.contents.uploadFile(path.join(dir, 'broken.huntviz.json'), `${tmpPath}/broken.huntviz.json`);
    await openWithHuntviz(page, tmpPath, 'notes.json');
    const notes = documentOutput(page);
    await expect(notes.locator('.hv-error-message')).toContainText('not a recognised query result');
    await expect(notes.locator('img')).toHaveCount(0);
    await page.filebrowser.openDirectory(tmpPath);
    await page.locator('.jp-DirListing-item', { hasText: 'broken.huntviz.json' }).dblclick();
    await expect(documentOutput(page).locator('.hv-error-message')).toContainText('not a huntviz view');
  });
});
