/**
 * JupyterLab's theme, read from its CSS variables, and a single watcher that tells
 * every huntviz view when the theme changes (no data is read again).
 */

import type { ThemeSpec } from './viewer';

/**
 * The theme as the engine takes it (colours as the browser computes them): every field
 * of the generated `ThemeSpec`, read.
 */
export type ITheme = Required<ThemeSpec>;

let probe: CanvasRenderingContext2D | null | undefined;

function context(): CanvasRenderingContext2D | null {
  if (probe === undefined) {
    try {
      probe = document.createElement('canvas').getContext('2d');
    } catch {
      probe = null;
    }
  }
  return probe;
}

/**
 * A CSS colour in the form the browser gives back (`#rrggbb` or `rgba(…)`), or
 * `fallback` when it is empty or not a colour.
 */
export function normalizeColor(value: string, fallback: string): string {
  const v = value.trim();
  const ctx = context();
  if (!v || !ctx) {
    return v || fallback;
  }
  ctx.fillStyle = '#000001';
  ctx.fillStyle = v;
  const out = String(ctx.fillStyle);
  return out === '#000001' && v !== '#000001' ? fallback : out;
}

/**
 * Reads the theme from the CSS variables visible at `node`.
 */
export function readTheme(node: Element): ITheme {
  const css = getComputedStyle(node);
  const get = (name: string) => css.getPropertyValue(name).trim();
  // JupyterLab's theme flag, or VS Code's theme classes (the notebook renderer).
  const classes = document.body.classList;
  const dark =
    document.body.dataset.jpThemeLight === 'false' ||
    classes.contains('vscode-dark') ||
    classes.contains('vscode-high-contrast');
  const color = (names: string[], fallback: string) => {
    for (const name of names) {
      const v = get(name);
      if (v) {
        return normalizeColor(v, fallback);
      }
    }
    return fallback;
  };
  const family = get('--jp-code-font-family') || "Menlo, Consolas, 'DejaVu Sans Mono', monospace";
  const size = parseFloat(get('--jp-code-font-size')) || 13;
  const fontSize = Math.max(9, Math.min(size - 1, 20));
  let charWidth = fontSize * 0.6;
  const ctx = context();
  if (ctx) {
    ctx.font = `${fontSize}px ${family}`;
    const measured = ctx.measureText('0000000000').width / 10;
    if (measured > 0) {
      charWidth = measured;
    }
  }
  return {
    dark,
    background: color(['--jp-layout-color0'], dark ? '#111111' : '#ffffff'),
    foreground: color(['--jp-content-font-color1', '--jp-ui-font-color1'], dark ? '#e6e6e6' : '#212121'),
    muted: color(['--jp-ui-font-color2'], dark ? '#9e9e9e' : '#757575'),
    border: color(['--jp-border-color2'], dark ? '#424242' : '#e0e0e0'),
    header_background: color(['--jp-layout-color2'], dark ? '#2a2a2a' : '#eeeeee'),
    selection: color(['--jp-brand-color3'], dark ? '#0d47a1' : '#bbdefb'),
    accent: color(['--jp-brand-color1'], dark ? '#64b5f6' : '#1976d2'),
    mono_family: family,
    font_size: fontSize,
    char_width: charWidth
  };
}

const subscribers = new Set<() => void>();
let observer: MutationObserver | null = null;

function notify(): void {
  for (const fn of [...subscribers]) {
    fn();
  }
}

/**
 * Calls `changed` whenever JupyterLab's theme may have changed: when the body's theme
 * attributes change and when a stylesheet added to the page finishes loading (the new
 * theme's variables exist only then). One observer serves every view; it stops when
 * the last subscriber leaves. Returns the unsubscriber.
 */
export function watchTheme(changed: () => void): () => void {
  subscribers.add(changed);
  if (!observer && typeof MutationObserver !== 'undefined') {
    observer = new MutationObserver(records => {
      for (const record of records) {
        record.addedNodes.forEach(node => {
          if (node instanceof HTMLLinkElement && node.rel === 'stylesheet') {
            node.addEventListener('load', notify, { once: true });
          }
        });
      }
      notify();
    });
    observer.observe(document.body, {
      attributes: true,
      attributeFilter: ['data-jp-theme-light', 'data-jp-theme-name'],
      childList: true
    });
  }
  return () => {
    subscribers.delete(changed);
    if (subscribers.size === 0 && observer) {
      observer.disconnect();
      observer = null;
    }
  };
}

/**
 * A cheap fingerprint of the current theme (changes when its colours do).
 */
export function themeFingerprint(node: Element): string {
  const css = getComputedStyle(node);
  return [
    css.getPropertyValue('--jp-layout-color0'),
    css.getPropertyValue('--jp-ui-font-color1'),
    css.getPropertyValue('--jp-code-font-size'),
    document.body.dataset.jpThemeLight ?? ''
  ].join('|');
}

/**
 * Number of live theme subscriptions (for tests of disposal).
 */
export function themeSubscriberCount(): number {
  return subscribers.size;
}
