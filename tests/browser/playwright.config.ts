/**
 * Browser tests: a real JupyterLab (started from the project's venv) driven in
 * Debian's Chromium through galata.
 */
import { defineConfig } from '@playwright/test';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const baseConfig = require('@jupyterlab/galata/lib/playwright-config');

const chromium = process.env.HUNTVIZ_CHROMIUM ?? '/usr/bin/chromium';
const args = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync'
];

export default defineConfig({
  ...baseConfig,
  testDir: './specs',
  outputDir: './test-results',
  reporter: [['list']],
  workers: 1,
  retries: 0,
  timeout: 120_000,
  expect: { timeout: 30_000 },
  use: {
    ...baseConfig.use,
    baseURL: 'http://localhost:8888',
    video: 'off',
    trace: 'off',
    viewport: { width: 1280, height: 900 },
    launchOptions: { executablePath: chromium, args }
  },
  projects: [
    { name: 'chromium', testIgnore: /no-wasm\.spec\.ts/ },
    {
      // A browser without WebAssembly: V8 without its JIT (as Edge's enhanced security
      // mode and Safari's Lockdown Mode run pages) has none. The JavaScript engine draws
      // the demo there, and one hostile output still breaks no other.
      name: 'no-wasm',
      testMatch: /(no-wasm|isolation)\.spec\.ts/,
      use: { launchOptions: { executablePath: chromium, args: [...args, '--js-flags=--jitless'] } }
    }
  ],
  webServer: [
    {
      command: '../../.venv/bin/jupyter lab --config jupyter_server_test_config.py',
      url: 'http://localhost:8888/lab',
      timeout: 120_000,
      reuseExistingServer: false
    },
    {
      // Notebook 7 (the `notebook` package) on its own server, for clients.spec.ts.
      command:
        '../../.venv/bin/jupyter notebook --config jupyter_server_test_config.py --port 8889 ' +
        '--JupyterNotebookApp.expose_app_in_browser=True',
      url: 'http://localhost:8889/tree',
      timeout: 120_000,
      reuseExistingServer: false
    },
    {
      // A JupyterLite site of the examples, built from the installed labextension and
      // served as static files (no Jupyter server), for clients.spec.ts.
      command:
        'rm -rf lite-site .jupyterlite.doit.db && ' +
        '../../.venv/bin/jupyter lite build --contents ../../examples --output-dir lite-site && ' +
        '../../.venv/bin/python -m http.server 8890 --bind 127.0.0.1 --directory lite-site',
      url: 'http://127.0.0.1:8890/lab/index.html',
      timeout: 180_000,
      reuseExistingServer: false
    }
  ]
});
