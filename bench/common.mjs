// Shared by the benchmark drivers: a static server for the page, the engine and the
// data, and Debian's headless Chromium with the flags the figures were taken with.
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { extname, join, normalize, resolve } from 'node:path';
import { chromium } from 'playwright-core';

export const root = resolve(new URL('..', import.meta.url).pathname);

const types = {
  '.html': 'text/html',
  '.mjs': 'text/javascript',
  '.js': 'text/javascript',
  '.wasm': 'application/wasm',
  '.json': 'application/json'
};
const mounts = { '/pkg/': 'js/pkg/', '/lib/': 'lib/', '/data/': 'bench/data/', '/': 'bench/page/' };

/** Serves the page, the engine and bench/data on 127.0.0.1; resolves to {server, port}. */
export async function serve() {
  const server = createServer((req, res) => {
    const url = new URL(req.url, 'http://localhost').pathname;
    const prefix = Object.keys(mounts).find(p => url.startsWith(p));
    const rel = normalize(decodeURIComponent(url.slice(prefix.length)) || 'index.html');
    if (rel.startsWith('..')) {
      res.writeHead(403).end();
      return;
    }
    const file = join(root, mounts[prefix], rel);
    if (!existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, {
      'content-type': types[extname(file)] ?? 'application/octet-stream',
      'content-length': statSync(file).size
    });
    createReadStream(file).pipe(res);
  });
  await new Promise(r => server.listen(0, '127.0.0.1', r));
  return { server, port: server.address().port };
}

export function launchChromium() {
  return chromium.launch({
    executablePath: process.env.HUNTVIZ_CHROMIUM ?? '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--js-flags=--expose-gc'
    ]
  });
}

/** `--name value` from argv, else the fallback. */
export function arg(name, fallback) {
  const args = process.argv.slice(2);
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : fallback;
}
