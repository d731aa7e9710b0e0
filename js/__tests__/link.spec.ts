import { pivotsOf, viewIdOf } from '../link';

const MIME = 'application/vnd.huntviz.v1+json';

describe('viewIdOf', () => {
  it('reads the id huntviz.show writes and nothing else', () => {
    const id = '0123456789abcdef0123456789abcdef';
    expect(viewIdOf({ [MIME]: { view_id: id } }, MIME)).toBe(id);
    // Edited or foreign metadata never links.
    for (const bad of [
      { [MIME]: { view_id: id.toUpperCase() } },
      { [MIME]: { view_id: `${id}0` } },
      { [MIME]: { view_id: 42 } },
      { [MIME]: 'x' },
      { other: { view_id: id } },
      null,
      undefined
    ]) {
      expect(viewIdOf(bad, MIME)).toBeNull();
    }
  });
});

describe('pivotsOf', () => {
  it('keeps the pivots huntviz sends and drops anything else', () => {
    const good = { id: 'p1', kind: 'process', label: 'Children', limit: 10000 };
    expect(pivotsOf([good])).toEqual([good]);
    expect(
      pivotsOf([
        good,
        { ...good, id: 7 },
        { ...good, limit: '10' },
        { kind: 'host', label: 'x', limit: 1 },
        null,
        'p2',
        { ...good, id: 'p3', label: 'L'.repeat(500) }
      ])
    ).toEqual([good, { ...good, id: 'p3', label: 'L'.repeat(200) }]);
    for (const bad of [undefined, null, {}, 'pivots', 3]) {
      expect(pivotsOf(bad)).toEqual([]);
    }
  });

  it('keeps level caps only as whole numbers of levels', () => {
    const good = { id: 'p1', kind: 'process', label: 'Tree', limit: 10, ancestors: 0, descendants: 3 };
    expect(pivotsOf([good])).toEqual([good]);
    const [odd] = pivotsOf([{ ...good, ancestors: -1, descendants: 1.5 }]);
    expect(odd).toEqual({ id: 'p1', kind: 'process', label: 'Tree', limit: 10 });
    expect(pivotsOf([{ ...good, descendants: '3' }])[0].descendants).toBeUndefined();
  });
});
