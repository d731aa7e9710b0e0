/**
 * The huntviz MIME payload (contract version 1) as the notebook hands it over.
 */
import type { ReadonlyPartialJSONObject } from '@lumino/coreutils';

import type { Fallback } from './fallback';
import type { IPackedInput } from './inflate';

/**
 * The MIME type huntviz renders.
 */
export const MIME_TYPE = 'application/vnd.huntviz.v1+json';

/**
 * A payload checked and ready for the engine.
 */
export interface IPayload {
  /** The result text (encoded into wasm memory by the engine); empty when packed. */
  text: string;
  /** A compressed result (`"encoding": "zlib-base64"`) and its unpacked byte count. */
  packed: { base64: string; size: number } | null;
  /** JSON for the engine: view, options and notes found while reading. */
  spec: string;
  /**
   * The engine call to force a trap in (`"constructor"`, `"search"`, …): the browser
   * tests' hook, honoured only on a page that set `window.__huntvizTestHooks = true`
   * (which data in a notebook cannot do).
   */
  testPanic: string | null;
  /** Optional heading. */
  title: string | null;
  /** Requested widget height in CSS pixels, if any. */
  height: number | null;
  /** More results on the same timeline. */
  datasets: IDataset[];
  /**
   * The static fallback the kernel asked for (`fallback`): a picture is written back
   * only for `auto` and `png`, which only huntviz's Python package writes.
   */
  fallback: Fallback;
  /**
   * Where the result's bytes come from when not from `text`/`packed`: a result file
   * streamed into the engine's buffer (`note` says how far reading got).
   */
  stream?: <T extends IPackedInput>(
    memory: WebAssembly.Memory,
    makeInput: (len: number) => T,
    note: (text: string) => void
  ) => Promise<T>;
}

/** One of the payload's `datasets`. */
export interface IDataset {
  name: string;
  kind: 'events' | 'alerts';
  text: string;
  packed: IPayload['packed'];
}

const KNOWN_KEYS = new Set(['view', 'data', 'options', 'title', 'datasets', 'encoding', 'size', 'fallback']);
const FALLBACKS: readonly Fallback[] = ['auto', 'html', 'png', 'none'];

/**
 * Counts integers that `JSON.parse` has already rounded (beyond 2^53), walking the
 * value iteratively so deep input cannot overflow the stack.
 */
export function countUnsafeIntegers(value: unknown): number {
  let count = 0;
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const v = stack.pop();
    if (typeof v === 'number') {
      if (Number.isInteger(v) && !Number.isSafeInteger(v)) {
        count += 1;
      }
    } else if (Array.isArray(v)) {
      for (const item of v) {
        stack.push(item);
      }
    } else if (v !== null && typeof v === 'object') {
      for (const item of Object.values(v as Record<string, unknown>)) {
        stack.push(item);
      }
    }
  }
  return count;
}

/**
 * Reads the MIME data. Throws an `Error` with a readable message when the payload
 * cannot be used at all.
 */
export function readPayload(data: ReadonlyPartialJSONObject | unknown): IPayload {
  if (typeof data === 'string') {
    data = fromText(data);
  }
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    throw new Error(`the ${MIME_TYPE} output must be a JSON object with a "data" key`);
  }
  const record = data as Record<string, unknown>;
  const notes: string[] = [];
  for (const key of Object.keys(record)) {
    if (!KNOWN_KEYS.has(key)) {
      notes.push(`unknown output key "${key.slice(0, 40)}" was ignored`);
    }
  }
  const { text, packed } = readData(record, '', notes);
  const view = record['view'];
  if (view !== undefined && typeof view !== 'string') {
    throw new Error('"view" must be a string such as "table" or "auto"');
  }
  const options = record['options'];
  if (options !== undefined && (options === null || typeof options !== 'object' || Array.isArray(options))) {
    throw new Error('"options" must be a JSON object');
  }
  let engineOptions = options as Record<string, unknown> | undefined;
  let testPanic: string | null = null;
  const hooks = (globalThis as { __huntvizTestHooks?: unknown }).__huntvizTestHooks === true;
  if (hooks && typeof engineOptions?.['test_panic'] === 'string') {
    const { test_panic: method, ...rest } = engineOptions;
    testPanic = method as string;
    engineOptions = rest;
  }
  const datasets = readDatasets(record['datasets'], notes);
  const title = typeof record['title'] === 'string' ? record['title'] : null;
  const requested = (options as Record<string, unknown> | undefined)?.['height'];
  const height =
    typeof requested === 'number' && Number.isFinite(requested) && requested > 0
      ? Math.min(Math.max(requested, 80), 4000)
      : null;
  const fallback = FALLBACKS.find(f => f === record['fallback']) ?? 'none';
  if (record['fallback'] !== undefined && record['fallback'] !== fallback) {
    notes.push('"fallback" must be "auto", "html", "png" or "none"; no picture is written');
  }
  return {
    fallback,
    text,
    packed,
    spec: JSON.stringify({ view: view ?? 'auto', options: engineOptions ?? {}, notes }),
    testPanic,
    title,
    height,
    datasets
  };
}

/**
 * The payload's text form (what huntviz's Python package sends for large results): the
 * payload without `data` as one line of JSON, a newline, then `data` itself. A string
 * is a primitive to JupyterLab, which hands it to renderers as it is, where an object is
 * deep-copied (a JSON round trip of the whole payload) on every read of the output.
 * `data` stays a slice of the string: the only copy made is the header's.
 */
function fromText(value: string): Record<string, unknown> {
  const bad = `the ${MIME_TYPE} output is text but does not start with a line of JSON (an object) and a newline`;
  const end = value.indexOf('\n');
  if (end < 0) {
    throw new Error(bad);
  }
  let header: unknown;
  try {
    header = JSON.parse(value.slice(0, end));
  } catch {
    throw new Error(bad);
  }
  if (header === null || typeof header !== 'object' || Array.isArray(header)) {
    throw new Error(bad);
  }
  if ('data' in header) {
    throw new Error(`the ${MIME_TYPE} output's first line must not hold "data": the data follows it`);
  }
  return { ...(header as Record<string, unknown>), data: value.slice(end + 1) };
}

/** `datasets`: more results for the same timeline axis (events or alerts). */
function readDatasets(value: unknown, notes: string[]): IDataset[] {
  if (value === undefined) {
    return [];
  }
  if (!Array.isArray(value)) {
    throw new Error('"datasets" must be a list of {"name", "data", "kind"} objects');
  }
  return value.map((item, i) => {
    if (item === null || typeof item !== 'object' || Array.isArray(item)) {
      throw new Error(`datasets[${i}] must be an object with "data"`);
    }
    const d = item as Record<string, unknown>;
    const name = typeof d['name'] === 'string' ? d['name'].slice(0, 200) : `dataset ${i + 1}`;
    const kind = d['kind'] ?? 'events';
    if (kind !== 'events' && kind !== 'alerts') {
      throw new Error(`datasets[${i}].kind must be "events" or "alerts"`);
    }
    return { name, kind, ...readData(d, `datasets[${i}]: `, notes) };
  });
}

/** The text (or packed bytes) of a result object: the payload itself or a dataset. */
function readData(
  record: Record<string, unknown>,
  where: string,
  notes: string[]
): { text: string; packed: IPayload['packed'] } {
  const raw = record['data'];
  const encoding = record['encoding'];
  let text: string;
  let packed: IPayload['packed'] = null;
  if (encoding !== undefined && encoding !== 'zlib-base64') {
    throw new Error(
      `${where}unknown "encoding" ${JSON.stringify(String(encoding).slice(0, 40))}: ` + 'expected "zlib-base64" or none'
    );
  }
  if (encoding === 'zlib-base64') {
    const size = record['size'];
    if (typeof raw !== 'string') {
      throw new Error(`${where}a "zlib-base64" output needs "data" as a base64 string`);
    }
    if (typeof size !== 'number' || !Number.isSafeInteger(size) || size < 0) {
      throw new Error(`${where}a "zlib-base64" output needs "size", the unpacked byte count`);
    }
    packed = { base64: raw, size };
    text = '';
  } else if (typeof raw === 'string') {
    text = raw;
  } else if (raw !== undefined && raw !== null && typeof raw === 'object') {
    const unsafe = countUnsafeIntegers(raw);
    if (unsafe > 0) {
      notes.push(
        `${where}${unsafe} integer${unsafe === 1 ? ' was' : 's were'} above 2^53 and had ` +
          'already been rounded by the notebook reader; send the result as a ' +
          'string to keep them exact'
      );
    }
    text = JSON.stringify(raw);
  } else {
    throw new Error(`${where}the output has no "data": expected the query result as a string (or a JSON object)`);
  }
  return { text, packed };
}

/**
 * What identifies an output's payload for re-rendering: everything but `data` as JSON,
 * and `data` itself (compared as a string: JupyterLab hands renderers a fresh copy of
 * the payload on every read, so identity says nothing; the text form is one string).
 */
export function payloadIdentity(value: unknown): { rest: string; data: unknown } | null {
  if (typeof value === 'string') {
    // The text form: the header line (without the layout) and the data after it (a
    // slice: no copy), compared in one step when the same string comes back.
    const end = value.indexOf('\n');
    if (end < 0) {
      return { rest: '', data: value };
    }
    try {
      return { rest: withoutLayout(JSON.parse(value.slice(0, end))), data: value.slice(end + 1) };
    } catch {
      return { rest: '', data: value };
    }
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return null;
  }
  const { data, ...rest } = value as Record<string, unknown>;
  return { rest: withoutLayout(rest), data: typeof data === 'string' ? data : JSON.stringify(data) };
}

/**
 * A payload's header as JSON without `options.layout`: an investigation's layout,
 * which the reader changes and the output saves, is not a new result to draw.
 */
function withoutLayout(header: unknown): string {
  if (header === null || typeof header !== 'object' || Array.isArray(header)) {
    return JSON.stringify(header);
  }
  const { options, ...rest } = header as Record<string, unknown>;
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    return JSON.stringify(header);
  }
  const own: Record<string, unknown> = { ...(options as Record<string, unknown>) };
  delete own['layout'];
  return JSON.stringify({ ...rest, options: own });
}

/** A payload's `options` (an object, or the text form's header), `{}` when it has none. */
export function optionsOf(value: unknown): Record<string, unknown> {
  let header: unknown = value;
  if (typeof value === 'string') {
    const end = value.indexOf('\n');
    try {
      header = end < 0 ? null : JSON.parse(value.slice(0, end));
    } catch {
      header = null;
    }
  }
  const options =
    header !== null && typeof header === 'object' && !Array.isArray(header)
      ? (header as Record<string, unknown>)['options']
      : null;
  return options !== null && typeof options === 'object' && !Array.isArray(options)
    ? (options as Record<string, unknown>)
    : {};
}
