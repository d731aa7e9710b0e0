// The JavaScript engine has the WebAssembly engine's API.
export { Input, Viewer, engine_memory, last_panic, test_panic } from '../pkg/huntviz_wasm';
export function __wbg_reset_state(): void;
