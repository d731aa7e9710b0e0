/**
 * A legend whose entries are buttons that hide and show their series (timeline) or
 * node type (graph). Labels come from data and are set as text; colours come from the
 * engine's palette and are checked to be `#rrggbb`.
 */
import { el } from './dom';

/** A legend entry as the engine describes it. */
export interface ILegendItem {
  label: string;
  color: string;
  count: number;
  hidden: boolean;
}

/** Fills `container` with one toggle button per entry; `toggle(i)` hides or shows one. */
export function renderLegend(container: HTMLElement, items: ILegendItem[], toggle: (index: number) => void): void {
  container.replaceChildren();
  items.forEach((e, index) => {
    const item = el('button', 'hv-legend-item', container);
    item.type = 'button';
    item.setAttribute('aria-pressed', String(!e.hidden));
    item.title = e.hidden ? 'Show' : 'Hide';
    const swatch = el('span', 'hv-swatch', item);
    if (/^#[0-9a-f]{6}$/i.test(e.color)) {
      swatch.style.background = e.color;
    }
    el('span', 'hv-legend-label', item, `${e.label} (${e.count.toLocaleString('en-US')})`);
    item.addEventListener('click', () => toggle(index));
  });
}
