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

/** The viewer calls a legend makes. */
export interface ILegendViewer {
  legend(): ILegendItem[];
  toggle_series(index: number): unknown;
}

/**
 * Fills `container` with one toggle button per entry of the viewer's legend; a click
 * hides or shows that entry (`apply` takes the viewer's response) and redraws the
 * legend.
 */
export function showLegend(
  container: HTMLElement,
  viewer: () => ILegendViewer | null,
  apply: (response: unknown) => void
): void {
  container.replaceChildren();
  const v = viewer();
  if (!v) {
    return;
  }
  v.legend().forEach((e, index) => {
    const item = el('button', 'hv-legend-item', container);
    item.type = 'button';
    item.setAttribute('aria-pressed', String(!e.hidden));
    item.title = e.hidden ? 'Show' : 'Hide';
    const swatch = el('span', 'hv-swatch', item);
    if (/^#[0-9a-f]{6}$/i.test(e.color)) {
      swatch.style.background = e.color;
    }
    el('span', 'hv-legend-label', item, `${e.label} (${e.count.toLocaleString('en-US')})`);
    item.addEventListener('click', () => {
      apply(viewer()?.toggle_series(index));
      showLegend(container, viewer, apply);
    });
  });
}
