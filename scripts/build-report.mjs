// Builds the one-file report template (report-template.html): the standalone bundle
// (js/standalone.ts with the widget, lumino and the wasm glue, by esbuild), the engine
// (gzip + base64), the styles, and a Content-Security-Policy that allows exactly that
// script (by its hash) and WebAssembly. Writers (huntviz.save, `huntviz html`, Export
// HTML) put the data where `<!--HUNTVIZ-DATA-->` is, as a JSON script element.
// Written to lib/ (the labextension's asset) and python/huntviz/ (the wheel's).
import { build } from 'esbuild';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';

// The JavaScript twin of the engine (2.3 MB) stays out of reports and the VS Code
// renderer: a page that refuses WebAssembly says so instead.
const noJsEngine = {
  name: 'no-js-engine',
  setup(b) {
    b.onResolve({ filter: /pkg-js\/index\.js$/ }, () => ({ path: 'js-engine', namespace: 'stub' }));
    b.onLoad({ filter: /.*/, namespace: 'stub' }, () => ({
      contents: 'export function engine_memory() { throw new Error("this page needs WebAssembly, which it refuses"); }',
      loader: 'js'
    }));
  }
};

const bundle = await build({
  entryPoints: ['js/standalone.ts'],
  bundle: true,
  format: 'iife',
  minify: true,
  target: 'es2022',
  write: false,
  legalComments: 'none',
  logLevel: 'error',
  // The glue's default wasm URL (import.meta.url) is never used: the engine starts from bytes.
  define: { 'import.meta.url': '"about:blank"' },
  plugins: [noJsEngine]
});
// Inline, `<!--` and `<script` could move the script element into its escaped states
// (and esbuild leaves them in string literals: the report's own data marker and data
// element): `<\!--` and `<\x73cript` are the same strings in JavaScript.
const script = bundle.outputFiles[0].text.trim().replaceAll('<!--', '<\\!--').replaceAll('<script', '<\\x73cript');
if (/<\/?script|<!--/i.test(script)) {
  throw new Error('the bundle holds "<script", "</script" or "<!--": it cannot be inlined');
}
const hash = createHash('sha256').update(script, 'utf8').digest('base64');
const engine = gzipSync(readFileSync('js/pkg/huntviz_wasm_bg.wasm'), { level: 9 }).toString('base64');
const css = readFileSync('style/base.css', 'utf8');
const csp = [
  "default-src 'none'",
  `script-src 'sha256-${hash}' 'wasm-unsafe-eval'`,
  "style-src 'unsafe-inline'",
  'img-src data: blob:',
  "connect-src 'none'",
  "base-uri 'none'",
  "form-action 'none'"
].join('; ');
const page = `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="huntviz">
<title>huntviz report</title>
<style>
:root {
  --jp-ui-font-family: system-ui, -apple-system, 'Segoe UI', sans-serif;
  --jp-ui-font-size0: 11px; --jp-ui-font-size1: 13px; --jp-ui-font-size2: 15px;
  --jp-ui-font-color0: #000; --jp-ui-font-color1: #212121; --jp-ui-font-color2: #616161; --jp-ui-font-color3: #9e9e9e;
  --jp-content-font-color1: #212121; --jp-layout-color0: #fff; --jp-layout-color1: #fff; --jp-layout-color2: #eee;
  --jp-border-color1: #bdbdbd; --jp-border-color2: #e0e0e0; --jp-brand-color1: #1976d2; --jp-brand-color3: #bbdefb;
  --jp-warn-color0: #e65100; --jp-error-color1: #d32f2f;
  --jp-code-font-family: Menlo, Consolas, 'DejaVu Sans Mono', monospace; --jp-code-font-size: 13px;
}
body { margin: 0 auto; max-width: 1400px; padding: 16px 24px; font-family: var(--jp-ui-font-family); color: #212121; background: #fff; }
.hv-report-section { margin: 24px 0 40px; }
.hv-report-toc ol { padding-left: 20px; }
${css}
</style>
</head>
<body>
<main id="huntviz-report"></main>
<!--HUNTVIZ-DATA-->
<script type="application/octet-stream" id="huntviz-engine">${engine}</script>
<script>${script}</script>
</body>
</html>
`;
for (const out of ['lib/report-template.html', 'python/huntviz/report-template.html']) {
  writeFileSync(out, page);
}
console.log(`report template: ${page.length} bytes (engine ${engine.length}, script ${script.length})`);

// The VS Code notebook renderer (lib/vscode: a VS Code extension folder; `npx @vscode/vsce
// package` in it makes the .vsix): the same widget and engine, the engine and styles
// inside the module, JupyterLab's style variables mapped to VS Code's.
const version = JSON.parse(readFileSync('package.json', 'utf8')).version;
const vscodeStyle = `:root {
  --jp-ui-font-family: var(--vscode-font-family); --jp-ui-font-size0: 11px;
  --jp-ui-font-size1: var(--vscode-font-size, 13px); --jp-ui-font-size2: 15px;
  --jp-ui-font-color1: var(--vscode-foreground); --jp-ui-font-color2: var(--vscode-descriptionForeground);
  --jp-content-font-color1: var(--vscode-editor-foreground); --jp-layout-color0: var(--vscode-editor-background);
  --jp-layout-color1: var(--vscode-editor-background); --jp-layout-color2: var(--vscode-editorWidget-background);
  --jp-border-color1: var(--vscode-panel-border); --jp-border-color2: var(--vscode-panel-border);
  --jp-brand-color1: var(--vscode-focusBorder); --jp-brand-color3: var(--vscode-editor-selectionBackground);
  --jp-warn-color0: var(--vscode-editorWarning-foreground); --jp-error-color1: var(--vscode-errorForeground);
  --jp-code-font-family: var(--vscode-editor-font-family); --jp-code-font-size: var(--vscode-editor-font-size);
}
${css}`;
const renderer = await build({
  entryPoints: ['js/vscode.ts'],
  bundle: true,
  format: 'esm',
  minify: true,
  target: 'es2022',
  write: false,
  legalComments: 'none',
  logLevel: 'error',
  define: {
    'import.meta.url': '"about:blank"',
    HUNTVIZ_ENGINE: JSON.stringify(engine),
    HUNTVIZ_STYLE: JSON.stringify(vscodeStyle)
  },
  plugins: [noJsEngine]
});
mkdirSync('lib/vscode', { recursive: true });
writeFileSync('lib/vscode/renderer.js', renderer.outputFiles[0].text);
writeFileSync(
  'lib/vscode/package.json',
  JSON.stringify(
    {
      name: 'huntviz-notebook-renderer',
      displayName: 'huntviz',
      description:
        'Renders huntviz outputs (process trees, timelines, entity graphs, result grids) in VS Code notebooks.',
      publisher: 'huntviz',
      version,
      license: 'MIT',
      engines: { vscode: '^1.80.0' },
      categories: ['Notebooks', 'Visualization'],
      contributes: {
        notebookRenderer: [
          {
            id: 'huntviz',
            displayName: 'huntviz',
            entrypoint: './renderer.js',
            mimeTypes: ['application/vnd.huntviz.v1+json']
          }
        ]
      }
    },
    null,
    2
  ) + '\n'
);
writeFileSync(
  'lib/vscode/README.md',
  '# huntviz notebook renderer\n\nRenders huntviz outputs (`application/vnd.huntviz.v1+json`: process trees, ' +
    'timelines, entity graphs, result grids) in VS Code notebooks, from the saved output alone: no kernel, ' +
    'no network. The same engine and viewer as the huntviz JupyterLab extension.\n'
);
console.log(`vscode renderer: ${renderer.outputFiles[0].text.length} bytes`);
