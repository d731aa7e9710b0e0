/**
 * Loading the WebAssembly engine: lazily, once per page, and again after a trap.
 */
import { encodeText } from './encode';
import type * as Wasm from './pkg/huntviz_wasm';

/**
 * The engine module and the generation of its instance. A trap leaves a wasm
 * instance unusable; the engine is then re-instantiated with a new linear memory:
 * `memory` is replaced and `generation` changes, so handles made by the old instance
 * are dropped, never used or freed in the new one.
 */
/** What the plugin uses of the engine module (the WebAssembly one or its JavaScript twin). */
export type EngineModule = Pick<
  typeof Wasm,
  'Input' | 'Viewer' | 'engine_memory' | 'last_panic' | 'test_panic' | '__wbg_reset_state'
>;

export interface IEngine {
  readonly module: EngineModule;
  memory: WebAssembly.Memory;
  generation: number;
  /**
   * `js` when the page refused WebAssembly and the same engine runs as JavaScript
   * (wasm2js; slower, said in every status line).
   */
  readonly kind?: 'wasm' | 'js';
}

let ready: Promise<IEngine> | null = null;
/** Live outputs: each rebuilds itself when its handles belong to an older instance. */
const listeners = new Set<() => Promise<void>>();

/**
 * The engine, loaded on first use (opening JupyterLab costs nothing).
 */
export function loadEngine(): Promise<IEngine> {
  if (!ready) {
    ready = (async () => {
      if (typeof WebAssembly === 'undefined') {
        return loadJsEngine();
      }
      const module = await import('./pkg/huntviz_wasm');
      try {
        const exports = await module.default();
        return { module, memory: exports.memory, generation: 0, kind: 'wasm' as const };
      } catch (error) {
        if (!refused(error)) {
          throw error;
        }
        return loadJsEngine();
      }
    })();
    ready.catch(() => {
      ready = null;
    });
  }
  return ready;
}

/**
 * Whether instantiating WebAssembly was refused by the page (a Content-Security-Policy
 * without 'wasm-unsafe-eval' makes compiling throw a CompileError, or an EvalError in
 * some browsers), rather than failing for another reason.
 */
function refused(error: unknown): boolean {
  return (
    (typeof WebAssembly !== 'undefined' && error instanceof WebAssembly.CompileError) || error instanceof EvalError
  );
}

/** The engine as JavaScript, from its own chunk (loaded only on such pages). */
async function loadJsEngine(): Promise<IEngine> {
  const module: EngineModule = await import('./pkg-js/index.js');
  return { module, memory: module.engine_memory(), generation: 0, kind: 'js' };
}

/**
 * Writes a string's UTF-8 bytes straight into wasm memory and returns the engine's
 * input handle.
 */
export function encodeToWasm(engine: IEngine, text: string): Wasm.Input {
  return encodeText(engine.memory, len => new engine.module.Input(len), text);
}

/**
 * Whether an error means the instance is broken and must be re-created: a WebAssembly
 * trap (a panic, an abort, running out of memory), or wasm-bindgen finding a handle's
 * bookkeeping corrupt.
 */
export function isTrap(error: unknown): boolean {
  if (typeof WebAssembly !== 'undefined' && error instanceof WebAssembly.RuntimeError) {
    return true;
  }
  const text = error instanceof Error ? error.message : '';
  return (
    // The JavaScript engine (wasm2js) aborts with this where WebAssembly traps.
    text === 'abort' ||
    (error instanceof RangeError && text.includes('call stack')) ||
    text.includes('attempted to take ownership of Rust value while it was borrowed') ||
    text.includes('recursive use of an object detected') ||
    text.includes('null pointer passed to rust')
  );
}

/**
 * Thrown after a trap has been reported to its output, so that the caller stops
 * without reporting it again (see `guarded`).
 */
export class EngineStopped extends Error {
  constructor() {
    super('the huntviz engine stopped; its output shows why');
    this.name = 'EngineStopped';
  }
}

/**
 * `target` with every method call checked: a trap in any call (search, legend,
 * toolbar, timeline controls, drawing) goes to `onTrap` and ends the caller with
 * `EngineStopped`; other errors (an invalid regular expression) are the caller's.
 * `before(method)` runs inside the same check before each call (the tests' panic hook).
 */
export function guarded<T extends object>(
  target: T,
  onTrap: (error: unknown) => void,
  before?: (method: string) => void
): T {
  // After a trap the handle belongs to a dead instance: no later call may reach the
  // new one with it.
  let dead = false;
  return new Proxy(target, {
    get(t, prop) {
      const value = Reflect.get(t, prop, t);
      if (typeof value !== 'function') {
        return value;
      }
      return (...args: unknown[]) => {
        if (dead) {
          throw new EngineStopped();
        }
        try {
          before?.(String(prop));
          return value.apply(t, args);
        } catch (error) {
          if (error instanceof EngineStopped || !isTrap(error)) {
            throw error;
          }
          dead = true;
          onTrap(error);
          throw new EngineStopped();
        }
      };
    }
  });
}

// An EngineStopped that reaches an event listener has already been shown to the user.
if (typeof window !== 'undefined') {
  window.addEventListener('error', e => {
    if (e.error instanceof EngineStopped) {
      e.preventDefault();
    }
  });
  window.addEventListener('unhandledrejection', e => {
    if (e.reason instanceof EngineStopped) {
      e.preventDefault();
    }
  });
}

/**
 * Re-creates the instance after a trap — a new linear memory, so `engine.memory` is
 * replaced — and schedules every live output to rebuild. Returns the panic message the
 * old instance recorded, if any.
 */
export function recover(engine: IEngine): string | undefined {
  let message: string | undefined;
  try {
    message = engine.module.last_panic();
  } catch {
    message = undefined;
  }
  engine.module.__wbg_reset_state();
  engine.memory = engine.module.engine_memory();
  engine.generation += 1;
  scheduleRebuilds();
  return message;
}

let rebuilding = false;
let again = false;

/**
 * Rebuilds the live outputs one after another, outside the failing call's stack; a
 * trap during the pass starts another pass once this one ends.
 */
function scheduleRebuilds(): void {
  if (rebuilding) {
    again = true;
    return;
  }
  rebuilding = true;
  queueMicrotask(async () => {
    do {
      again = false;
      for (const rebuild of [...listeners]) {
        try {
          await rebuild();
        } catch {
          // Each output reports its own failure.
        }
      }
    } while (again);
    rebuilding = false;
  });
}

/**
 * Calls `rebuild` after the engine is re-created. Returns the unsubscriber.
 */
export function onReset(rebuild: () => Promise<void>): () => void {
  listeners.add(rebuild);
  return () => listeners.delete(rebuild);
}

/**
 * A readable message for a failure to start WebAssembly (for example a
 * Content-Security-Policy without 'wasm-unsafe-eval').
 */
export function loadFailureMessage(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  if (typeof WebAssembly !== 'undefined' && error instanceof WebAssembly.CompileError) {
    return (
      `huntviz could not start WebAssembly (${text}). If this server sets a ` +
      "Content-Security-Policy, its script-src must allow 'wasm-unsafe-eval'."
    );
  }
  return `huntviz could not load its engine: ${text}`;
}
