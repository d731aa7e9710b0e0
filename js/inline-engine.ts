/**
 * The engine started from bytes carried inside the page or the bundle (gzip + base64):
 * for one-file reports (a `file://` page cannot fetch a sibling file) and the VS Code
 * renderer (no fetch, whatever the webview's resource roots).
 */
import type { IEngine } from './engine';
import { decodeBase64 } from './inflate';
import * as Wasm from './pkg/huntviz_wasm';

let engine: Promise<IEngine> | null = null;

/** The engine, started once per page from `packed()` (gzip + base64 of the module). */
export function loadInlineEngine(packed: () => string): Promise<IEngine> {
  if (!engine) {
    engine = (async () => {
      const stream = new Blob([decodeBase64(packed())]).stream().pipeThrough(new DecompressionStream('gzip'));
      const bytes = await new Response(stream).arrayBuffer();
      const exports = await Wasm.default({ module_or_path: bytes });
      return { module: Wasm, memory: exports.memory, generation: 0, kind: 'wasm' as const };
    })();
    engine.catch(() => {
      engine = null;
    });
  }
  return engine;
}
