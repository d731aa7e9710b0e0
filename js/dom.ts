/**
 * The one way the plugin makes elements and sets text: a tag, its class, optionally
 * appended to a parent, with optional text — always set as `textContent`, never parsed
 * as markup, and always through `visible`, the engine's rule for text that could lie.
 */
import { HIDDEN_RANGES } from './hidden';

function hidden(cp: number): boolean {
  let lo = 0;
  let hi = HIDDEN_RANGES.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const [a, b] = HIDDEN_RANGES[mid];
    if (cp < a) {
      hi = mid - 1;
    } else if (cp > b) {
      lo = mid + 1;
    } else {
      return true;
    }
  }
  return false;
}

/**
 * Text as the engine draws it (`huntviz_draw::text::visible`): bidi controls,
 * zero-width and other invisible characters, controls and noncharacters as
 * `⟨U+202E⟩` markers, newline `↵`, carriage return `␍`, tab `→`. Marked text is left
 * as it is, so applying it twice changes nothing.
 */
export function visible(text: string): string {
  let out = '';
  let start = 0;
  let i = 0;
  while (i < text.length) {
    const cp = text.codePointAt(i)!;
    const width = cp > 0xffff ? 2 : 1;
    let mark: string | null = null;
    if (cp === 0x0a) {
      mark = '↵';
    } else if (cp === 0x0d) {
      mark = '␍';
    } else if (cp === 0x09) {
      mark = '→';
    } else if (hidden(cp) || (cp >= 0xd800 && cp <= 0xdfff)) {
      // (a lone surrogate cannot come from the engine, but can from a JSON payload)
      mark = `⟨U+${cp.toString(16).toUpperCase().padStart(4, '0')}⟩`;
    }
    if (mark !== null) {
      out += text.slice(start, i) + mark;
      start = i + width;
    }
    i += width;
  }
  return start === 0 ? text : out + text.slice(start);
}

/**
 * Sets an element's text through `visible`; with `lines`, the engine's own line breaks
 * (a tooltip's) are kept and each line is marked.
 */
export function setText(node: HTMLElement, text: string, lines = false): void {
  node.textContent = lines ? text.split('\n').map(visible).join('\n') : visible(text);
}

export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  className: string,
  parent?: HTMLElement,
  text?: string
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  node.className = className;
  if (text !== undefined) {
    setText(node, text);
  }
  parent?.appendChild(node);
  return node;
}

/**
 * Runs `fn` when the page is idle (at the latest after `timeoutMs`); where the browser
 * has no idle callbacks, after `fallbackMs`.
 */
export function whenIdle(timeoutMs: number, fn: () => void, fallbackMs = 0): void {
  if (typeof requestIdleCallback === 'function') {
    requestIdleCallback(fn, { timeout: timeoutMs });
  } else {
    setTimeout(fn, fallbackMs);
  }
}
