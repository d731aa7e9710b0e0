// Copies the wasm-bindgen output (glue module, types, wasm) next to the compiled
// TypeScript so the labextension builder bundles it.
import { cpSync, existsSync, mkdirSync, readdirSync } from 'node:fs';

const from = 'js/pkg';
const to = 'lib/pkg';
if (!existsSync(`${from}/huntviz_wasm_bg.wasm`)) {
  console.error('js/pkg has no wasm: run `npm run build:wasm` first');
  process.exit(1);
}
mkdirSync(to, { recursive: true });
for (const name of readdirSync(from)) {
  if (/\.(js|d\.ts|wasm)$/.test(name)) {
    cpSync(`${from}/${name}`, `${to}/${name}`);
  }
}
// The engine as JavaScript (scripts/build-js-engine.sh), loaded only where a page
// refuses WebAssembly.
if (!existsSync('js/pkg-js/index.js')) {
  console.error('js/pkg-js has no engine: run `npm run build:wasm` first');
  process.exit(1);
}
mkdirSync('lib/pkg-js', { recursive: true });
for (const name of readdirSync('js/pkg-js')) {
  if (/\.(js|d\.ts)$/.test(name)) {
    cpSync(`js/pkg-js/${name}`, `lib/pkg-js/${name}`);
  }
}
