/**
 * A legend whose entries are buttons that hide and show their series (timeline) or
 * node type (graph). Labels come from data and are set as text; colours come from the
 * engine's palette and are checked to be `#rrggbb`.
 */
import { el } from './dom';
import { guard, IToolbarContext } from './toolbar';
import type { LegendItem } from './viewer';

/** Whether a colour is the engine's `#rrggbb` (data never styles anything). */
export function isPaletteColor(color: string): boolean {
  return /^#[0-9a-f]{6}$/i.test(color);
}

/** A swatch of the engine's colour, with its label and count, in `parent`. */
export function legendEntry(parent: HTMLElement, e: LegendItem, swatchClass = 'hv-swatch', labelClass = ''): void {
  const swatch = el('span', swatchClass, parent);
  if (isPaletteColor(e.color)) {
    swatch.style.background = e.color;
  }
  el('span', labelClass, parent, `${e.label} (${e.count.toLocaleString('en-US')})`);
}

/**
 * Fills `container` with one toggle button per entry of the viewer's legend; a click
 * hides or shows that entry and redraws the legend.
 */
export function showLegend(container: HTMLElement, context: IToolbarContext): void {
  container.replaceChildren();
  const v = context.viewer();
  if (!v) {
    return;
  }
  v.legend().forEach((e, index) => {
    const item = el('button', 'hv-legend-item', container);
    item.type = 'button';
    item.setAttribute('aria-pressed', String(!e.hidden));
    item.title = e.hidden ? 'Show' : 'Hide';
    legendEntry(item, e, 'hv-swatch', 'hv-legend-label');
    item.addEventListener(
      'click',
      guard(context, () => {
        context.apply(context.viewer()?.toggle_legend(index));
        showLegend(container, context);
      }),
      { signal: context.signal }
    );
  });
}
