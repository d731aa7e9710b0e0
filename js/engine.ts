/**
 * Loading the WebAssembly engine: lazily, once per page, and again after a trap.
 */
import { encodeText } from './encode';
import type * as Wasm from './pkg/huntviz_wasm';

/**
 * The engine module and the generation of its instance. A trap leaves a wasm
 * instance unusable; the engine is then re-instantiated and `generation` changes, so
 * handles made by the old instance are dropped, never freed into the new one.
 */
export interface IEngine {
  readonly module: typeof Wasm;
  readonly memory: WebAssembly.Memory;
  generation: number;
}

let ready: Promise<IEngine> | null = null;
const listeners = new Set<() => void>();

/**
 * The engine, loaded on first use (opening JupyterLab costs nothing).
 */
export function loadEngine(): Promise<IEngine> {
  if (!ready) {
    ready = (async () => {
      const module = await import('./pkg/huntviz_wasm');
      const exports = await module.default();
      return { module, memory: exports.memory, generation: 0 };
    })();
    ready.catch(() => {
      ready = null;
    });
  }
  return ready;
}

/**
 * Writes a string's UTF-8 bytes straight into wasm memory and returns the engine's
 * input handle.
 */
export function encodeToWasm(engine: IEngine, text: string): Wasm.Input {
  return encodeText(engine.memory, len => new engine.module.Input(len), text);
}

/**
 * Whether an error is a WebAssembly trap (the instance must be re-created).
 */
export function isTrap(error: unknown): boolean {
  return (
    typeof WebAssembly !== 'undefined' &&
    error instanceof WebAssembly.RuntimeError
  );
}

/**
 * Re-creates the instance after a trap and tells every live view to rebuild.
 * Returns the panic message the old instance recorded, if any.
 */
export function recover(engine: IEngine): string | undefined {
  let message: string | undefined;
  try {
    message = engine.module.last_panic();
  } catch {
    message = undefined;
  }
  engine.module.__wbg_reset_state();
  engine.generation += 1;
  for (const listener of [...listeners]) {
    listener();
  }
  return message;
}

/**
 * Calls `rebuild` whenever the engine is re-created. Returns the unsubscriber.
 */
export function onReset(rebuild: () => void): () => void {
  listeners.add(rebuild);
  return () => listeners.delete(rebuild);
}

/**
 * A readable message for a failure to start WebAssembly (for example a
 * Content-Security-Policy without 'wasm-unsafe-eval').
 */
export function loadFailureMessage(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  if (
    typeof WebAssembly !== 'undefined' &&
    error instanceof WebAssembly.CompileError
  ) {
    return (
      `huntviz could not start WebAssembly (${text}). If this server sets a ` +
      "Content-Security-Policy, its script-src must allow 'wasm-unsafe-eval'."
    );
  }
  return `huntviz could not load its engine: ${text}`;
}
