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
