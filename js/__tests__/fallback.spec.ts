import { MAX_PICTURE_BYTES, wantsPicture, withPicture } from '../fallback';
import { payloadIdentity, readPayload } from '../payload';

describe('static fallback', () => {
  it('puts the picture in, with its size, and takes the HTML summary out', () => {
    const data = {
      'application/vnd.huntviz.v1+json': { data: 'x', fallback: 'auto' },
      'text/plain': 'huntviz table view',
      'text/html': '<div>summary</div>'
    };
    const metadata = { 'text/html': { isolated: true }, other: 1 };
    const next = withPicture(data, metadata, { png: 'iVBORw0KGgo=', width: 960, height: 300 });
    expect(next.data).toEqual({
      'application/vnd.huntviz.v1+json': { data: 'x', fallback: 'auto' },
      'text/plain': 'huntviz table view',
      'image/png': 'iVBORw0KGgo='
    });
    expect(next.metadata).toEqual({ other: 1, 'image/png': { width: 960, height: 300 } });
    // The payload itself is the same object: nothing about the view changes.
    expect(next.data['application/vnd.huntviz.v1+json']).toBe(data['application/vnd.huntviz.v1+json']);
  });

  it('is written only where the kernel asked for a picture', () => {
    expect(['auto', 'html', 'png', 'none'].filter(f => wantsPicture(f as never))).toEqual(['auto', 'png']);
    // No "fallback" (an older output, or a file not written by huntviz.show): none.
    expect(readPayload({ data: 'x' }).fallback).toBe('none');
    expect(readPayload({ data: 'x', fallback: 'png' }).fallback).toBe('png');
    const odd = readPayload({ data: 'x', fallback: '<img>' });
    expect(odd.fallback).toBe('none');
    expect(JSON.parse(odd.spec).notes).toEqual([
      '"fallback" must be "auto", "html", "png" or "none"; no picture is written'
    ]);
    expect(MAX_PICTURE_BYTES).toBe(300_000);
  });

  it('identifies a payload by its content, not by the copy JupyterLab hands over', () => {
    const a = payloadIdentity({ data: 'x'.repeat(10), view: 'table', options: {} });
    const b = payloadIdentity(JSON.parse(JSON.stringify({ data: 'x'.repeat(10), view: 'table', options: {} })));
    expect(a).toEqual(b);
    expect(payloadIdentity({ data: 'y', view: 'table', options: {} })).not.toEqual(a);
    expect(payloadIdentity({ data: 'x'.repeat(10), view: 'graph', options: {} })).not.toEqual(a);
    expect(payloadIdentity(42)).toBeNull();
  });
});
