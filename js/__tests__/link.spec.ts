import { viewIdOf } from '../link';

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
