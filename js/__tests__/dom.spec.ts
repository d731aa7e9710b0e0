import { el, setText, visible } from '../dom';

describe('visible', () => {
  it('marks what the engine marks, the same way', () => {
    // The same cases as huntviz_draw::text's tests.
    expect(visible('evil\u202egnp.exe')).toBe('evil⟨U+202E⟩gnp.exe');
    expect(visible('a\u200bb\u2066c\ufeff')).toBe('a⟨U+200B⟩b⟨U+2066⟩c⟨U+FEFF⟩');
    expect(visible('l1\nl2\tx\u0000')).toBe('l1↵l2→x⟨U+0000⟩');
    expect(visible('a\ufffeb\uffffc\ufdd0')).toBe('a⟨U+FFFE⟩b⟨U+FFFF⟩c⟨U+FDD0⟩');
    expect(visible('\u{1fffe}\u{10ffff}\u{e0100}\u{1bca0}')).toBe('⟨U+1FFFE⟩⟨U+10FFFF⟩⟨U+E0100⟩⟨U+1BCA0⟩');
    expect(visible('höhe 日本 🦀 plain')).toBe('höhe 日本 🦀 plain');
    // Marked text stays as it is.
    const once = visible('x\u202e\u0000\n');
    expect(visible(once)).toBe(once);
  });

  it('is how every element gets its text', () => {
    const node = el('span', 'x', undefined, 'Account\u202eName');
    expect(node.textContent).toBe('Account⟨U+202E⟩Name');
    setText(node, 'line one\nevil\u200b', true);
    expect(node.textContent).toBe('line one\nevil⟨U+200B⟩');
  });
});
