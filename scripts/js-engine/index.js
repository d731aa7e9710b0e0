// The engine as JavaScript (wasm2js), with the API of the WebAssembly glue: the same
// classes and functions, `__wbg_reset_state()` for a fresh instance after a trap.
import * as glue from './huntviz_wasm_bg.js';
import { instantiate } from './huntviz_engine.js';

function start() {
  const exports = instantiate();
  glue.__wbg_set_wasm(exports);
  exports.__wbindgen_start();
}

start();

export { Input, Viewer, engine_memory, last_panic, test_panic } from './huntviz_wasm_bg.js';

/** Replaces the instance (and its memory) after a trap. */
export function __wbg_reset_state() {
  start();
}
