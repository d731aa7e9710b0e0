/**
 * @jest-environment node
 */
// Loading the engine where the page refuses WebAssembly: the JavaScript engine, not an
// error; any other failure stays an error.
const memory = new WebAssembly.Memory({ initial: 1 });
let failure: Error | null = null;

jest.mock(
  '../pkg/huntviz_wasm',
  () => ({ __esModule: true, default: () => (failure ? Promise.reject(failure) : Promise.resolve({ memory })) }),
  { virtual: true }
);
jest.mock('../pkg-js/index.js', () => ({ engine_memory: () => memory, kind: 'javascript module' }), {
  virtual: true
});

async function load() {
  let engine: typeof import('../engine');
  jest.isolateModules(() => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    engine = require('../engine'); // a fresh module: the engine is loaded once per page
  });
  return engine!.loadEngine();
}

describe('loadEngine', () => {
  it('uses WebAssembly where it can', async () => {
    failure = null;
    expect((await load()).kind).toBe('wasm');
  });

  it('falls back to the JavaScript engine when the page refuses WebAssembly', async () => {
    // What Chromium throws under `script-src 'self'` (checked in csp.spec.ts).
    failure = new WebAssembly.CompileError(
      "WebAssembly.instantiate(): Compiling or instantiating WebAssembly module violates the following Content Security policy directive because 'unsafe-eval' is not an allowed source of script"
    );
    const engine = await load();
    expect(engine.kind).toBe('js');
    expect(engine.memory).toBe(memory);
    failure = new EvalError('Evaluating a string as JavaScript violates the Content Security Policy');
    expect((await load()).kind).toBe('js');
  });

  it('keeps other failures as errors', async () => {
    failure = new TypeError('Failed to fetch');
    await expect(load()).rejects.toThrow('Failed to fetch');
  });
});
