/**
 * Bytes straight into wasm memory as they arrive: compressed payloads
 * (`"encoding": "zlib-base64"`) unpacked, result files read from the server. No second
 * copy of the whole result, and never a JavaScript string of it. Standalone (no
 * imports) so the benchmark page loads the very same code as the plugin.
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
 * A compressed payload's declared size is reserved up front up to this many times its
 * compressed length (query results compress 3–5×; the rest grows as data arrives).
 */
const TRUSTED_RATIO = 16;

/**
 * A byte buffer the engine owns in its linear memory.
 */
export interface IPackedInput {
  ptr(): number;
  len(): number;
  resize(len: number): void;
  /** Shrinks the buffer to its first `len` bytes. */
  truncate(len: number): void;
  free(): void;
}

/** How a stream may grow its buffer. */
export interface IStreamBounds {
  /** The buffer's first size (it doubles as data arrives, never past `limit`). */
  first: number;
  /** The most bytes accepted. */
  limit: number;
  /** The error for a stream that goes past `limit` (reading stops there). */
  tooLarge: () => Error;
  /** The error for a stream that fails while reading. */
  broken: (why: string) => Error;
  /** Drops a UTF-8 byte order mark at the start (spreadsheet exports begin with one). */
  skipBom?: boolean;
  /** Told the byte count after each chunk. */
  progress?: (written: number) => void;
}

const BOM = [0xef, 0xbb, 0xbf];

/**
 * Reads `reader` to its end into a new engine buffer, trimmed to the bytes read (a
 * declared size that was too large leaves no trailing bytes for the parser). The
 * buffer is freed when reading fails.
 */
export async function streamToWasm<T extends IPackedInput>(
  memory: WebAssembly.Memory,
  makeInput: (len: number) => T,
  reader: ReadableStreamDefaultReader<Uint8Array>,
  bounds: IStreamBounds
): Promise<{ input: T; written: number }> {
  const input = makeInput(Math.min(bounds.limit, bounds.first));
  let written = 0;
  const put = (bytes: Uint8Array) => {
    if (written + bytes.length > bounds.limit) {
      void reader.cancel();
      throw bounds.tooLarge();
    }
    if (written + bytes.length > input.len()) {
      input.resize(Math.min(bounds.limit, Math.max(written + bytes.length, input.len() * 2)));
    }
    // Re-read memory.buffer each time: another output (or a resize) may have grown it.
    new Uint8Array(memory.buffer, input.ptr() + written, bytes.length).set(bytes);
    written += bytes.length;
    bounds.progress?.(written);
  };
  // The first bytes, held until there are three to compare with the mark (a stream may
  // split it).
  let head: Uint8Array | null = bounds.skipBom ? new Uint8Array(0) : null;
  try {
    for (;;) {
      let chunk: ReadableStreamReadResult<Uint8Array>;
      try {
        chunk = await reader.read();
      } catch (error) {
        throw bounds.broken(error instanceof Error ? error.message : String(error));
      }
      if (chunk.done) {
        break;
      }
      let bytes = chunk.value;
      if (head) {
        const joined = new Uint8Array(head.length + bytes.length);
        joined.set(head);
        joined.set(bytes, head.length);
        if (joined.length < BOM.length) {
          head = joined;
          continue;
        }
        head = null;
        bytes = BOM.every((b, i) => joined[i] === b) ? joined.subarray(BOM.length) : joined;
      }
      put(bytes);
    }
    if (head) {
      put(head);
    }
  } catch (error) {
    input.free();
    throw error;
  }
  if (written < input.len()) {
    input.truncate(written);
  }
  return { input, written };
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

/** Compressed bytes handed to `DecompressionStream` at a time. */
const FEED_BYTES = 1 << 20;

/**
 * A reader of `packed` inflated. The bytes are written into the stream piece by piece
 * from this page, not read back from a `Blob`: a Blob's stream comes through the
 * browser's blob storage in another process, and at a million rows the main thread sat
 * idle for 0.46 s waiting on it. Pieces are written as the stream takes them (its
 * backpressure), so the inflated bytes queue a piece at a time, not all at once.
 */
function inflating(packed: Uint8Array): ReadableStreamDefaultReader<Uint8Array> {
  const stream = new DecompressionStream('deflate');
  const writer = stream.writable.getWriter();
  void (async () => {
    try {
      for (let at = 0; at < packed.length; at += FEED_BYTES) {
        await writer.ready;
        void writer.write(packed.subarray(at, at + FEED_BYTES)).catch(() => undefined);
      }
      await writer.close();
    } catch {
      // The reader stopped early (a bomb, corrupt data): its own error says why.
    }
  })();
  return stream.readable.getReader() as ReadableStreamDefaultReader<Uint8Array>;
}

/**
 * Inflates zlib-compressed, base64-encoded text into a new engine buffer of `size`
 * bytes, chunk by chunk as the browser's `DecompressionStream` produces them (no second
 * copy of the whole result). The payload's word is trusted only as far as its bytes
 * back it: a `size` more than deflate can produce from the compressed bytes is refused,
 * at most 16 times the compressed length is reserved up front, and the buffer grows
 * with the data that actually arrives beyond that. Data that would expand past `size` (a
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
  const reader = inflating(packed);
  const { input, written } = await streamToWasm(memory, makeInput, reader, {
    // The declared size at once (no copy per doubling), as far as an ordinary ratio
    // backs it: a bomb's declared size is not reserved before its bytes arrive.
    first: Math.max(FIRST_CHUNK_BYTES, Math.min(size, packed.length * TRUSTED_RATIO)),
    limit: size,
    tooLarge: () =>
      new Error(`the compressed result unpacks to more than its declared ${size.toLocaleString('en-US')} bytes`),
    broken: why => new Error(`the compressed result is corrupt (${why})`)
  });
  if (written !== size) {
    input.free();
    throw new Error(
      `the compressed result ends early: ${written.toLocaleString('en-US')} of ` +
        `${size.toLocaleString('en-US')} bytes`
    );
  }
  return input;
}
