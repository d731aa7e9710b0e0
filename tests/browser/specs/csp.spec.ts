/**
 * A page whose Content-Security-Policy refuses WebAssembly (`script-src 'self'`, no
 * 'wasm-unsafe-eval'): WebAssembly is refused with the error the plugin falls back on,
 * and the engine as JavaScript runs there, eval-free. (JupyterLab 4.6 itself needs
 * 'unsafe-eval' — its settings validator compiles schemas — which also allows
 * WebAssembly, so this page is plain HTML; no-wasm.spec.ts runs the plugin in a
 * JupyterLab without WebAssembly.)
 */
import { expect, test } from '@playwright/test';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { ROOT } from './helpers';

const CSP = "default-src 'self'; script-src 'self'";
const TYPES: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.wasm': 'application/wasm' };

let server: http.Server;
let base = '';

test.beforeAll(async () => {
  server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const rel =
      url.pathname === '/'
        ? 'tests/browser/csp/index.html'
        : url.pathname.startsWith('/csp/')
          ? `tests/browser${url.pathname}`
          : url.pathname.slice(1);
    const file = path.join(ROOT, rel);
    if (
      !file.startsWith(ROOT) ||
      !(rel.startsWith('lib/pkg') || rel.startsWith('tests/browser/csp/')) ||
      !fs.existsSync(file)
    ) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, {
      'Content-Type': TYPES[path.extname(file)] ?? 'application/octet-stream',
      'Content-Security-Policy': CSP
    });
    res.end(fs.readFileSync(file));
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

test.afterAll(() => new Promise<void>(resolve => server.close(() => resolve())));

test('WebAssembly is refused by the policy and the JavaScript engine draws the result', async ({ page }) => {
  await page.goto(`${base}/`);
  await page.waitForFunction(() => (window as unknown as { __result?: unknown }).__result !== undefined);
  const result = await page.evaluate(() => (window as unknown as { __result: Record<string, string> }).__result);
  expect(result.wasm).toMatch(/^CompileError: .*Content Security Policy/i);
  expect(result.error).toBeUndefined();
  expect(result.status).toBe('Table · 2 rows × 2 columns');
  expect(result.cell).toBe('alice');
});
