/**
 * @jest-environment node
 */
// Node has the same DecompressionStream, Blob and WebAssembly.Memory as the browser.
import { deflateSync } from 'node:zlib';
import { inflateToWasm, MAX_DEFLATE_RATIO, MAX_UNPACKED_BYTES, streamToWasm } from '../inflate';

/** A stand-in for the engine's Input: `len` bytes at a fixed place in a real wasm memory. */
function engine() {
  const memory = new WebAssembly.Memory({ initial: 64 });
  const made: { ptr: number; size: number; freed: boolean; sizes: number[] }[] = [];
  const makeInput = (len: number) => {
    const handle = { ptr: 1024, size: len, freed: false, sizes: [len] };
    made.push(handle);
    return {
      ptr: () => handle.ptr,
      len: () => handle.size,
      resize: (n: number) => void handle.sizes.push((handle.size = n)),
      truncate: (n: number) => void (handle.size = Math.min(handle.size, n)),
      free: () => void (handle.freed = true)
    };
  };
  const bytes = (at: number, len: number) => Buffer.from(new Uint8Array(memory.buffer, at, len)).toString('utf8');
  return { memory, makeInput, made, bytes };
}

const b64 = (b: Uint8Array) => Buffer.from(b).toString('base64');

describe('inflateToWasm', () => {
  it('unpacks into the engine buffer byte for byte', async () => {
    const text = 'HVC1\n' + 'C:\\Windows\\System32\\cmd.exe /c «ü» 🦀\n'.repeat(2000);
    const raw = Buffer.from(text, 'utf8');
    const e = engine();
    const input = await inflateToWasm(e.memory, e.makeInput, b64(deflateSync(raw, { level: 1 })), raw.length);
    expect(input.len()).toBe(raw.length);
    expect(e.bytes(input.ptr(), raw.length)).toBe(text);
    expect(e.made[0].freed).toBe(false);
  });

  it('unpacks data fed to the stream in many pieces, and stops a bomb past the first piece', async () => {
    // Bytes that barely compress: several megabytes of compressed input, written into
    // the stream a piece at a time.
    const raw = new Uint8Array(5_000_000);
    let x = 2463534242;
    for (let i = 0; i < raw.length; i++) {
      x ^= x << 13;
      x ^= x >>> 17;
      x ^= x << 5;
      raw[i] = x & 0xff;
    }
    const packed = deflateSync(raw, { level: 1 });
    expect(packed.length).toBeGreaterThan(3 << 20);
    const e = engine();
    e.memory.grow(200);
    const input = await inflateToWasm(e.memory, e.makeInput, b64(packed), raw.length);
    expect(input.len()).toBe(raw.length);
    expect(
      Buffer.compare(Buffer.from(new Uint8Array(e.memory.buffer, input.ptr(), raw.length)), Buffer.from(raw))
    ).toBe(0);
    const f = engine();
    f.memory.grow(200);
    await expect(inflateToWasm(f.memory, f.makeInput, b64(packed), 3_000_000)).rejects.toThrow(
      'unpacks to more than its declared 3,000,000 bytes'
    );
    expect(f.made[0].freed).toBe(true);
  });

  it('stops a decompression bomb at the declared size and frees the buffer', async () => {
    const bomb = deflateSync(Buffer.alloc(10_000_000));
    expect(bomb.length).toBeLessThan(20_000);
    const e = engine();
    await expect(inflateToWasm(e.memory, e.makeInput, b64(bomb), 1000)).rejects.toThrow(
      'unpacks to more than its declared 1,000 bytes'
    );
    expect(e.made[0].freed).toBe(true);
  });

  it('refuses a size deflate cannot produce before reserving anything', async () => {
    const e = engine();
    const packed = deflateSync(Buffer.from('x'.repeat(100)));
    await expect(
      inflateToWasm(e.memory, e.makeInput, b64(packed), packed.length * MAX_DEFLATE_RATIO + 1000)
    ).rejects.toThrow(`more than ${packed.length} compressed bytes can hold`);
    expect(e.made).toHaveLength(0);
  });

  it('grows the buffer as data arrives instead of trusting the declared size', async () => {
    const raw = Buffer.from('HVC1\n' + 'powershell -enc AAAA\n'.repeat(150_000));
    expect(raw.length).toBeGreaterThan(3 << 20);
    const e = engine();
    const input = await inflateToWasm(e.memory, e.makeInput, b64(deflateSync(raw)), raw.length);
    expect(e.made[0].sizes[0]).toBe(1 << 20);
    expect(e.made[0].sizes.length).toBeGreaterThan(1);
    expect(input.len()).toBe(raw.length);
    expect(e.bytes(input.ptr(), raw.length)).toBe(raw.toString('utf8'));
  });

  it('says what is wrong with short, corrupt, non-base64 and oversized data', async () => {
    const e = engine();
    const packed = deflateSync(Buffer.from('x'.repeat(5000)));
    await expect(inflateToWasm(e.memory, e.makeInput, b64(packed), 6000)).rejects.toThrow(
      'ends early: 5,000 of 6,000 bytes'
    );
    const corrupt = Buffer.from(packed);
    corrupt[corrupt.length - 2] ^= 0xff; // breaks the checksum
    await expect(inflateToWasm(e.memory, e.makeInput, b64(corrupt), 5000)).rejects.toThrow(
      'the compressed result is corrupt'
    );
    await expect(inflateToWasm(e.memory, e.makeInput, '<script>', 10)).rejects.toThrow('not valid base64');
    await expect(inflateToWasm(e.memory, e.makeInput, '', MAX_UNPACKED_BYTES + 1)).rejects.toThrow(
      "over huntviz's limit"
    );
    // Nothing was left allocated.
    expect(e.made.every(h => h.freed)).toBe(true);
  });
});

/** A stream of `chunks` as a server response body delivers them. */
function chunked(chunks: Uint8Array[]): ReadableStreamDefaultReader<Uint8Array> {
  let i = 0;
  return new ReadableStream<Uint8Array>({
    pull: controller => (i < chunks.length ? controller.enqueue(chunks[i++]) : controller.close())
  }).getReader();
}

const bounds = {
  tooLarge: () => new Error('too large'),
  broken: (why: string) => new Error(`broken: ${why}`)
};

describe('streamToWasm', () => {
  it('reads a file chunk by chunk, drops its byte order mark and keeps no trailing bytes', async () => {
    const csv = Buffer.from('\ufeffTimeGenerated,Computer\r\n' + '2024-05-06T13:02:03Z,WS-01\r\n'.repeat(3000));
    const chunks = [csv.subarray(0, 2), csv.subarray(2, 65536), csv.subarray(65536)];
    const e = engine();
    const progress: number[] = [];
    // The server declared the file's size: the buffer starts there and is trimmed to
    // the bytes kept (three fewer, the mark).
    const { input, written } = await streamToWasm(e.memory, e.makeInput, chunked(chunks), {
      ...bounds,
      first: csv.length,
      limit: 1 << 30,
      skipBom: true,
      progress: n => progress.push(n)
    });
    expect(written).toBe(csv.length - 3);
    expect(input.len()).toBe(written);
    expect(e.bytes(input.ptr(), written)).toBe(csv.subarray(3).toString('utf8'));
    expect(progress).toEqual([65533, csv.length - 3]);
  });

  it('keeps a mark that is not at the start and grows past a small first size', async () => {
    const text = Buffer.from('a\ufeffb'.repeat(1000));
    const e = engine();
    const { input, written } = await streamToWasm(e.memory, e.makeInput, chunked([text]), {
      ...bounds,
      first: 16,
      limit: 1 << 20,
      skipBom: true
    });
    expect(written).toBe(text.length);
    expect(e.bytes(input.ptr(), written)).toBe(text.toString('utf8'));
  });

  it('stops at its limit and frees the buffer; a failing stream says why', async () => {
    const e = engine();
    const big = new Uint8Array(5000);
    await expect(
      streamToWasm(e.memory, e.makeInput, chunked([big, big]), { ...bounds, first: 1024, limit: 8000 })
    ).rejects.toThrow('too large');
    const failing = new ReadableStream<Uint8Array>({
      pull: controller => controller.error(new Error('connection reset'))
    }).getReader();
    await expect(streamToWasm(e.memory, e.makeInput, failing, { ...bounds, first: 1024, limit: 8000 })).rejects.toThrow(
      'broken: connection reset'
    );
    expect(e.made.every(h => h.freed)).toBe(true);
  });
});
