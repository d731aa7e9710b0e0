import { countUnsafeIntegers, MIME_TYPE, payloadIdentity, readPayload } from '../payload';

describe('readPayload', () => {
  it('sends string data as UTF-8 bytes untouched (64-bit integers stay exact)', () => {
    const text = '{"tables":[{"name":"T","columns":[{"name":"a","type":"long"}],"rows":[[9223372036854775807]]}]}';
    const p = readPayload({ data: text, view: 'table', options: { height: 300 }, title: 'T' });
    expect(p.text).toBe(text);
    expect(JSON.parse(p.spec)).toEqual({ view: 'table', options: { height: 300 }, notes: [] });
    expect(p.title).toBe('T');
    expect(p.height).toBe(300);
  });

  it('stringifies object data and reports integers the notebook already rounded', () => {
    // What JupyterLab hands over after JSON.parse of a notebook holding 2^53 + 1.
    const parsed = JSON.parse('{"data":{"tables":[{"rows":[[9007199254740993,1,2.5]]}]}}');
    const p = readPayload(parsed);
    expect(p.text).toBe('{"tables":[{"rows":[[9007199254740992,1,2.5]]}]}');
    const notes: string[] = JSON.parse(p.spec).notes;
    expect(notes).toHaveLength(1);
    expect(notes[0]).toMatch(/^1 integer was above 2\^53/);
  });

  it('reports unknown keys and rejects payloads it cannot use', () => {
    expect(JSON.parse(readPayload({ data: 'x', extra: 1 }).spec).notes).toEqual([
      'unknown output key "extra" was ignored'
    ]);
    expect(() => readPayload(null)).toThrow(`the ${MIME_TYPE} output must be a JSON object`);
    expect(() => readPayload({})).toThrow('the output has no "data"');
    expect(() => readPayload({ data: 'x', view: 3 })).toThrow('"view" must be a string');
    expect(() => readPayload({ data: 'x', options: [] })).toThrow('"options" must be a JSON object');
  });

  it('clamps the requested height', () => {
    expect(readPayload({ data: 'x', options: { height: 5 } }).height).toBe(80);
    expect(readPayload({ data: 'x', options: { height: 'big' } }).height).toBeNull();
  });
});

describe('the text form (a header line, then the data)', () => {
  it('reads the same payload as the object form, data untouched', () => {
    const object = { data: 'eJwrAQAAdQB1', encoding: 'zlib-base64', size: 1, view: 'process-tree', title: 'T' };
    const { data, ...header } = object;
    const text = readPayload(`${JSON.stringify(header)}\n${data}`);
    expect(text).toEqual(readPayload(object));
    expect(text.packed?.base64).toBe(data);
    // Newlines after the first belong to the data (raw result text may hold them).
    const raw = 'a,b\n1,2\n';
    expect(readPayload(`{"view":"table"}\n${raw}`).text).toBe(raw);
  });

  it('refuses text without a JSON object line, or with the data in its header', () => {
    for (const bad of ['', 'eJwrAQAAdQB1', '[1]\nx', 'null\nx', '{"view":\nx']) {
      expect(() => readPayload(bad)).toThrow('does not start with a line of JSON (an object) and a newline');
    }
    expect(() => readPayload('{"data":"x"}\ny')).toThrow('must not hold "data"');
  });

  it('identifies the text form by the string itself', () => {
    const value = '{"view":"table"}\na,b\n';
    expect(payloadIdentity(value)).toEqual(payloadIdentity(`{"view":"table"}\na,b\n`));
    expect(payloadIdentity(value)).not.toEqual(payloadIdentity('{"view":"auto"}\na,b\n'));
  });
});

describe('countUnsafeIntegers', () => {
  it('walks deep values without recursion', () => {
    let deep: unknown = 2 ** 60;
    for (let i = 0; i < 100_000; i++) {
      deep = [deep];
    }
    expect(countUnsafeIntegers(deep)).toBe(1);
    expect(countUnsafeIntegers({ a: [1, 2 ** 53 - 1, -(2 ** 53) - 2, 1.5e300] })).toBe(2);
  });
});

describe('compressed payloads', () => {
  it('reads "zlib-base64" data with its unpacked size', () => {
    const p = readPayload({ data: 'eJwrAQAAdQB1', encoding: 'zlib-base64', size: 1, view: 'process-tree' });
    expect(p.packed).toEqual({ base64: 'eJwrAQAAdQB1', size: 1 });
    expect(p.text).toBe('');
    expect(JSON.parse(p.spec).notes).toEqual([]);
  });

  it('refuses unknown encodings and missing sizes', () => {
    expect(() => readPayload({ data: 'x', encoding: 'gzip' })).toThrow('unknown "encoding" "gzip"');
    expect(() => readPayload({ data: 'x', encoding: 'zlib-base64' })).toThrow('needs "size"');
    expect(() => readPayload({ data: 'x', encoding: 'zlib-base64', size: -1 })).toThrow('needs "size"');
    expect(() => readPayload({ data: { a: 1 }, encoding: 'zlib-base64', size: 1 })).toThrow(
      'needs "data" as a base64 string'
    );
  });
});

describe('datasets', () => {
  it('reads each dataset like the main data: text, objects, compressed; events by default', () => {
    const p = readPayload({
      data: 'a',
      datasets: [
        { name: 'Logons', data: 'b' },
        { name: 'Alerts', kind: 'alerts', data: { tables: [], big: 2 ** 60 } },
        { data: 'eJwrAQAAdQB1', encoding: 'zlib-base64', size: 1 }
      ]
    });
    expect(p.datasets.map(d => [d.name, d.kind])).toEqual([
      ['Logons', 'events'],
      ['Alerts', 'alerts'],
      ['dataset 3', 'events']
    ]);
    expect(p.datasets[0].text).toBe('b');
    expect(p.datasets[2].packed).toEqual({ base64: 'eJwrAQAAdQB1', size: 1 });
    expect(JSON.parse(p.spec).notes).toEqual([
      'datasets[1]: 1 integer was above 2^53 and had already been rounded by the notebook reader; send the result as a string to keep them exact'
    ]);
    expect(readPayload({ data: 'a' }).datasets).toEqual([]);
  });

  it('says which dataset is wrong', () => {
    expect(() => readPayload({ data: 'a', datasets: {} })).toThrow('"datasets" must be a list');
    expect(() => readPayload({ data: 'a', datasets: [1] })).toThrow('datasets[0] must be an object');
    expect(() => readPayload({ data: 'a', datasets: [{ data: 'x', kind: 'graph' }] })).toThrow(
      'datasets[0].kind must be "events" or "alerts"'
    );
    expect(() => readPayload({ data: 'a', datasets: [{ name: 'x' }] })).toThrow(
      'datasets[0]: the output has no "data"'
    );
  });
});
