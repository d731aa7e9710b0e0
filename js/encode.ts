/**
 * Writing a string's UTF-8 straight into wasm memory. Standalone (no imports) so the
 * benchmark page loads the very same code as the plugin.
 */

/**
 * A byte buffer the engine owns in its linear memory.
 */
export interface IInputBuffer {
  ptr(): number;
  len(): number;
  resize(len: number): void;
  truncate(len: number): void;
}

/**
 * Encodes `text` into a new engine buffer with `encodeInto` (one pass, no intermediate
 * copy). The buffer starts at one byte per UTF-16 unit (exact for ASCII) and grows for
 * non-ASCII text.
 */
export function encodeText<T extends IInputBuffer>(
  memory: WebAssembly.Memory,
  makeInput: (len: number) => T,
  text: string
): T {
  const encoder = new TextEncoder();
  const input = makeInput(text.length);
  let read = 0;
  let written = 0;
  for (;;) {
    const view = new Uint8Array(memory.buffer, input.ptr() + written, input.len() - written);
    const r = encoder.encodeInto(read === 0 ? text : text.slice(read), view);
    read += r.read;
    written += r.written;
    if (read >= text.length) {
      break;
    }
    // At most 3 bytes per remaining UTF-16 unit.
    input.resize(written + (text.length - read) * 3);
  }
  input.truncate(written);
  return input;
}
