/**
 * One-file reports in Firefox: opened from file:// by Debian's Firefox ESR, driven over
 * WebDriver BiDi by puppeteer-core (Playwright drives only its own patched Firefox,
 * which it downloads). Every view draws and answers, nothing is fetched, the page's
 * Content-Security-Policy is never violated and hostile strings stay text.
 */
import { expect, test } from '@playwright/test';
import * as fs from 'node:fs';
import * as path from 'node:path';
import puppeteer from 'puppeteer-core';
import { ROOT, sampleReport, treeStatus } from './helpers';

const FIXTURES = path.join(ROOT, 'tests/fixtures');
const FIREFOX = process.env.HUNTVIZ_FIREFOX ?? '/usr/bin/firefox-esr';

test.skip(
  !fs.existsSync(FIREFOX),
  `no Firefox at ${FIREFOX} (HUNTVIZ_BROWSER=1 scripts/setup.sh installs firefox-esr)`
);

test('a saved report works offline from file:// in Firefox', async () => {
  const file = sampleReport('Case 42');
  const browser = await puppeteer.launch({
    browser: 'firefox',
    executablePath: FIREFOX,
    headless: true,
    // Firefox's own window size (ESR 140 has no BiDi viewport override).
    defaultViewport: null,
    // Offline: every request through a proxy that does not exist.
    extraPrefsFirefox: {
      'network.proxy.type': 1,
      'network.proxy.http': '127.0.0.1',
      'network.proxy.http_port': 9,
      'network.proxy.ssl': '127.0.0.1',
      'network.proxy.ssl_port': 9,
      'network.proxy.allow_hijacking_localhost': true
    }
  });
  try {
    const page = await browser.newPage();
    const requests: string[] = [];
    page.on('request', r => {
      if (!r.url().startsWith('file:')) {
        requests.push(r.url());
      }
    });
    const dialogs: string[] = [];
    page.on('dialog', d => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    await page.evaluateOnNewDocument(() => {
      document.addEventListener('securitypolicyviolation', e => {
        const w = window as unknown as { __violations?: string[] };
        (w.__violations ??= []).push(`${e.violatedDirective} ${e.blockedURI}`);
      });
    });
    await page.goto(`file://${file}`);
    await page.waitForSelector('body[data-hv-ready="true"]', { timeout: 60_000 });
    expect(await page.evaluate(() => navigator.userAgent)).toContain('Firefox/');

    const texts = (selector: string) =>
      page.$$eval(selector, els => els.map(e => (e.textContent ?? '').replace(/\s+/g, ' ').trim()));
    expect(await texts('.hv-report-toc a')).toEqual([
      'Processes',
      '<img src=x onerror="window.__huntvizPwned=1">',
      'Timeline'
    ]);
    const statuses = await texts('.jp-HuntvizOutput .hv-status');
    expect(statuses.slice(0, 2)).toEqual([treeStatus(path.join(FIXTURES, 'sysmon.csv')), 'Table · 3 rows × 4 columns']);
    expect(statuses[2]).toMatch(/^Timeline · \d+ events · \d+ lanes/);

    // The canvases are drawn (not blank). The exact status lines above also say the engine
    // ran as WebAssembly (the JavaScript engine adds a note to them).
    const inked = await page.$$eval('.jp-HuntvizOutput canvas.hv-canvas', canvases =>
      canvases.map(c => {
        const canvas = c as HTMLCanvasElement;
        const data = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
        const first = data.slice(0, 4).join();
        let other = 0;
        for (let i = 0; i < data.length; i += 4) {
          if (data.slice(i, i + 4).join() !== first) {
            other++;
          }
        }
        return other;
      })
    );
    expect(inked.every(n => n > 1000)).toBe(true);

    // The tree answers as in the notebook: search, then the detail of the match.
    await page.type('.jp-HuntvizOutput .hv-search', 'whoami.exe');
    await page.keyboard.press('Enter');
    // (Polled from here: puppeteer's waitForFunction compiles a Function in the page,
    // which the report's CSP rightly refuses.)
    await expect.poll(() => texts('.jp-HuntvizOutput .hv-count')).toContain('1 / 1 match');
    expect(await texts('.jp-HuntvizOutput .hv-detail-title')).toContain('whoami.exe (4250)');

    // Hostile strings are text: nothing ran, no element came from the data.
    expect(await page.evaluate(() => (window as unknown as { __huntvizPwned?: unknown }).__huntvizPwned)).toBe(
      undefined
    );
    expect(await page.$$eval('main img, main script, main b', els => els.length)).toBe(0);
    expect(dialogs).toEqual([]);
    expect(requests).toEqual([]);
    expect(await page.evaluate(() => (window as unknown as { __violations?: string[] }).__violations ?? [])).toEqual(
      []
    );
  } finally {
    await browser.close();
  }
});
