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
 * A byte buffer the engine owns in its linear memory.
 */
export interface IPackedInput {
  ptr(): number;
  len(): number;
  free(): void;
}

/**
 * Base64 text to bytes, with the browser's native decoder where there is one.
 */
export function decodeBase64(text: string): Uint8Array {
  const native = (Uint8Array as unknown as { fromBase64?: (s: string) => Uint8Array }).fromBase64;
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
 * Inflates zlib-compressed, base64-encoded text into a new engine buffer of exactly
 * `size` bytes, chunk by chunk as the browser's `DecompressionStream` produces them
 * (no second copy of the whole result). Data that would expand past `size` (a
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
  const reader = new Blob([packed as BlobPart])
    .stream()
    .pipeThrough(new DecompressionStream('deflate'))
    .getReader();
  const input = makeInput(size);
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
      // Re-read memory.buffer each time: another output may have grown the memory.
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
