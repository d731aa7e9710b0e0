// Makes wasm2js's translation of the engine a drop-in for the WebAssembly one
// (scripts/build-js-engine.sh): `huntviz_engine.js` exports `instantiate()` instead of
// one instance made at import, so a trap can be recovered from with a fresh instance;
// the wasm-bindgen glue re-reads the memory whenever its buffer changes (wasm2js grows
// memory by replacing the ArrayBuffer, and a reset replaces the whole memory) and
// frees handles only when asked (a finalizer could free an old instance's pointer into
// a new one); `index.js` ties them together with the same API as the WebAssembly glue.
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const [engineIn, outDir] = process.argv.slice(2);
const replaceOnce = (text, pattern, by, what) => {
  const out = text.replace(pattern, by);
  if (out === text) {
    console.error(`js engine: ${what} not found; wasm2js or wasm-bindgen changed its output`);
    process.exit(1);
  }
  return out;
};

let engine = readFileSync(engineIn, 'utf8');
engine = replaceOnce(
  engine,
  /\nvar retasmFunc = asmFunc\((\{[^}]*\})\);\n(export var \w+ = retasmFunc\.\w+;\n)+/,
  '\n/** A new instance of the engine (its own memory). */\nexport function instantiate() {\n  return asmFunc($1);\n}\n',
  'the instance and its exports'
);
writeFileSync(join(outDir, 'huntviz_engine.js'), engine);

const gluePath = join(outDir, 'huntviz_wasm_bg.js');
let glue = readFileSync(gluePath, 'utf8');
glue = replaceOnce(
  glue,
  /(cached\w+Memory0) === null \|\| \1\.byteLength === 0/g,
  '$1 === null || $1.buffer !== wasm.memory.buffer',
  'the typed-array memory caches'
);
glue = replaceOnce(
  glue,
  /cachedDataViewMemory0 === null \|\| cachedDataViewMemory0\.buffer\.detached === true \|\| \(cachedDataViewMemory0\.buffer\.detached === undefined && cachedDataViewMemory0\.buffer !== wasm\.memory\.buffer\)/,
  'cachedDataViewMemory0 === null || cachedDataViewMemory0.buffer !== wasm.memory.buffer',
  'the DataView memory cache'
);
glue = replaceOnce(glue, /\(typeof FinalizationRegistry === 'undefined'\)/g, 'true', 'the finalizers');
writeFileSync(gluePath, glue);

const here = dirname(fileURLToPath(import.meta.url));
copyFileSync(join(here, 'index.js'), join(outDir, 'index.js'));
copyFileSync(join(here, 'index.d.ts'), join(outDir, 'index.d.ts'));
