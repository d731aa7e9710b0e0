/**
 * Unpacking a compressed payload (`"encoding": "zlib-base64"`) straight into wasm
 * memory. Standalone (no imports) so the benchmark page loads the very same code as
 * the plugin.
 */

/**
 * The largest declared size huntviz unpacks (1 GiB). The wasm engine has 4 GiB at most
 * and needs room for the columns it builds.
 */
export const MAX_UNPACKED_BYTES = 1 << 30;

/**
 * Deflate's largest expansion: a compressed byte stands for at most 1,032 (RFC 1951's
 * longest match every 2 bits); a `size` beyond that of the compressed length is a lie.
 */
export const MAX_DEFLATE_RATIO = 1032;

/** The engine buffer starts this large (or at `size`) and doubles as data arrives. */
const FIRST_CHUNK_BYTES = 1 << 20;

/**
 * A byte buffer the engine owns in its linear memory.
 */
export interface IPackedInput {
  ptr(): number;
  len(): number;
  resize(len: number): void;
  free(): void;
}

/**
 * Base64 text to bytes, with the browser's native decoder where there is one.
 */
export function decodeBase64(text: string): Uint8Array {
  // Newer than TypeScript's DOM library: declared here, looked up at run time.
  const native = (Uint8Array as Uint8ArrayConstructor & { fromBase64?: (s: string) => Uint8Array }).fromBase64;
  try {
    if (native) {
      return native.call(Uint8Array, text);
    }
    const binary = atob(text);
    const bytes = new Uint8Array(binary.length);
    for (let i = 0; i < binary.length; i++) {
      bytes[i] = binary.charCodeAt(i);
    }
    return bytes;
  } catch {
    throw new Error('the compressed result is not valid base64');
  }
}

/**
 * Inflates zlib-compressed, base64-encoded text into a new engine buffer of `size`
 * bytes, chunk by chunk as the browser's `DecompressionStream` produces them (no second
 * copy of the whole result). Nothing is reserved on the payload's word: a `size` more
 * than deflate can produce from the compressed bytes is refused, and the buffer grows
 * with the data that actually arrives. Data that would expand past `size` (a
 * decompression bomb) is stopped at `size`; corrupt or short data is an error.
 */
export async function inflateToWasm<T extends IPackedInput>(
  memory: WebAssembly.Memory,
  makeInput: (len: number) => T,
  base64: string,
  size: number
): Promise<T> {
  if (!Number.isSafeInteger(size) || size < 0) {
    throw new Error('"size" must be the unpacked byte count');
  }
  if (size > MAX_UNPACKED_BYTES) {
    throw new Error(
      `the result unpacks to ${size.toLocaleString('en-US')} bytes, over huntviz's ` +
        `limit of ${MAX_UNPACKED_BYTES.toLocaleString('en-US')}; narrow the query`
    );
  }
  if (typeof DecompressionStream === 'undefined') {
    throw new Error('this browser cannot unpack compressed results (no DecompressionStream)');
  }
  const packed = decodeBase64(base64);
  if (size > packed.length * MAX_DEFLATE_RATIO + 64) {
    throw new Error(
      `the result declares ${size.toLocaleString('en-US')} unpacked bytes, more than ` +
        `${packed.length.toLocaleString('en-US')} compressed bytes can hold`
    );
  }
  const reader = new Blob([packed as BlobPart]).stream().pipeThrough(new DecompressionStream('deflate')).getReader();
  const input = makeInput(Math.min(size, FIRST_CHUNK_BYTES));
  let written = 0;
  try {
    for (;;) {
      let chunk: ReadableStreamReadResult<Uint8Array>;
      try {
        chunk = await reader.read();
      } catch (error) {
        const why = error instanceof Error ? error.message : String(error);
        throw new Error(`the compressed result is corrupt (${why})`);
      }
      if (chunk.done) {
        break;
      }
      const bytes = chunk.value;
      if (written + bytes.length > size) {
        void reader.cancel();
        throw new Error(
          `the compressed result unpacks to more than its declared ${size.toLocaleString('en-US')} bytes`
        );
      }
      if (written + bytes.length > input.len()) {
        input.resize(Math.min(size, Math.max(written + bytes.length, input.len() * 2)));
      }
      // Re-read memory.buffer each time: another output (or a resize) may have grown it.
      new Uint8Array(memory.buffer, input.ptr() + written, bytes.length).set(bytes);
      written += bytes.length;
    }
    if (written !== size) {
      throw new Error(
        `the compressed result ends early: ${written.toLocaleString('en-US')} of ` +
          `${size.toLocaleString('en-US')} bytes`
      );
    }
  } catch (error) {
    input.free();
    throw error;
  }
  return input;
}
