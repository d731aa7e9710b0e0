import { readLayout, savedLayout } from '../investigation';
import { optionsOf, payloadIdentity } from '../payload';

describe('an investigation layout', () => {
  it('reads what was saved and makes the rest even', () => {
    expect(readLayout({ direction: 'column', sizes: [3, 1], collapsed: [false, true] }, 2)).toEqual({
      direction: 'column',
      sizes: [0.75, 0.25],
      collapsed: [false, true]
    });
    // Malformed or missing parts: side by side, even shares, all open.
    for (const bad of [undefined, null, 'row', [], { direction: 'diagonal', sizes: [-1, 'x'], collapsed: [1] }]) {
      expect(readLayout(bad, 3)).toEqual({
        direction: 'row',
        sizes: [1 / 3, 1 / 3, 1 / 3],
        collapsed: [false, false, false]
      });
    }
    expect(savedLayout({ direction: 'row', sizes: [1 / 3, 2 / 3], collapsed: [false, false] }).sizes).toEqual([
      0.3333, 0.6667
    ]);
  });

  it('is not part of what identifies the result: saving it draws nothing again', () => {
    const header = (layout?: unknown) => JSON.stringify({ view: 'auto', options: { panes: 'investigation', layout } });
    const data = 'HVC1 rows';
    const a = payloadIdentity(`${header()}\n${data}`);
    const b = payloadIdentity(`${header({ direction: 'column' })}\n${data}`);
    expect(a).toEqual(b);
    expect(payloadIdentity(`${header()}\nother rows`)).not.toEqual(a);
    const object = { view: 'auto', data: 'x', options: { panes: ['timeline', 'table'], layout: { sizes: [1, 2] } } };
    expect(payloadIdentity(object)).toEqual(payloadIdentity({ ...object, options: { panes: ['timeline', 'table'] } }));
    expect(payloadIdentity(object)).not.toEqual(payloadIdentity({ ...object, options: { panes: ['table'] } }));
    expect(optionsOf(`${header({ direction: 'column' })}\n${data}`)['layout']).toEqual({ direction: 'column' });
    expect(optionsOf(object)['panes']).toEqual(['timeline', 'table']);
    expect(optionsOf('no header')).toEqual({});
  });
});
