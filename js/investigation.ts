/**
 * An investigation: several views of one result side by side (issue 17). This module
 * lays the panes out — a splitter between neighbours (drag, or arrow keys on it), a
 * collapse button per pane, side by side or stacked — and says when the reader changed
 * the layout, which the output saves with its options. The panes themselves are
 * `HuntvizOutput`s sharing their parent's parsed result; linking them is the parent's.
 */
import { el, setText } from './dom';

/** How the panes are laid out: as saved in the output's `options.layout`. */
export interface ILayout {
  direction: 'row' | 'column';
  /** Each pane's share of the room (summing to 1 over the open panes). */
  sizes: number[];
  collapsed: boolean[];
}

/** One pane to lay out: its view's title and the node that shows it. */
export interface IPaneSlot {
  title: string;
  view: string;
  node: HTMLElement;
}

/** The smallest share a pane keeps while its neighbour is dragged over it. */
const MIN_SHARE = 0.08;
/** How far an arrow key on a splitter moves it. */
const KEY_STEP = 0.05;

/**
 * The layout `value` says for `n` panes, with what is missing or malformed made even
 * (the engine has already said what was wrong with it).
 */
export function readLayout(value: unknown, n: number): ILayout {
  const given = (value !== null && typeof value === 'object' && !Array.isArray(value) ? value : {}) as Record<
    string,
    unknown
  >;
  const direction = given['direction'] === 'column' ? 'column' : 'row';
  const collapsed = Array.from({ length: n }, (_, i) => {
    const c = Array.isArray(given['collapsed']) ? given['collapsed'][i] : false;
    return c === true;
  });
  const raw = Array.isArray(given['sizes']) ? given['sizes'] : [];
  let sizes = Array.from({ length: n }, (_, i) => {
    const s = raw[i];
    return typeof s === 'number' && Number.isFinite(s) && s > 0 ? s : 1 / n;
  });
  const total = sizes.reduce((a, b) => a + b, 0);
  sizes = sizes.map(s => s / total);
  return { direction, sizes, collapsed };
}

/** Rounds a layout's shares for saving (four digits: enough for any screen). */
export function savedLayout(layout: ILayout): ILayout {
  return {
    direction: layout.direction,
    sizes: layout.sizes.map(s => Math.round(s * 10_000) / 10_000),
    collapsed: [...layout.collapsed]
  };
}

/**
 * Lays out panes in `host`: a bar (the direction switch), then the panes with a
 * splitter between neighbours. `changed` is called once per change the reader makes
 * (a drag when it ends, a collapse, a switch), never for `apply`.
 */
export class Investigation {
  constructor(
    host: HTMLElement,
    panes: IPaneSlot[],
    layout: ILayout,
    height: number,
    private readonly _changed: (layout: ILayout) => void,
    signal: AbortSignal,
    actions: { label: string; className: string; run: () => void }[] = []
  ) {
    this._layout = layout;
    const root = el('div', 'hv-investigation', host);
    root.setAttribute('role', 'group');
    root.setAttribute('aria-label', `Investigation: ${panes.map(p => p.title).join(', ')}`);
    const bar = el('div', 'hv-investigation-bar', root);
    el('span', 'hv-investigation-title', bar, `${panes.length} linked views`);
    this._switch = el('button', 'hv-layout-switch', bar);
    this._switch.type = 'button';
    this._switch.addEventListener(
      'click',
      () => {
        this._layout = { ...this._layout, direction: this._layout.direction === 'row' ? 'column' : 'row' };
        this._place();
        this._changed(this._layout);
      },
      { signal }
    );
    for (const a of actions) {
      const b = el('button', a.className, bar, a.label);
      b.type = 'button';
      b.addEventListener('click', () => a.run(), { signal });
    }
    this._row = el('div', 'hv-panes', root);
    this._row.style.height = `${Math.round(height)}px`;
    panes.forEach((pane, i) => {
      if (i > 0) {
        this._splitters.push(this._splitter(i - 1, signal));
      }
      const section = el('section', 'hv-pane', this._row);
      section.dataset.view = pane.view;
      section.setAttribute('aria-label', pane.title);
      const head = el('div', 'hv-pane-head', section);
      el('span', 'hv-pane-title', head, pane.title);
      const collapse = el('button', 'hv-pane-collapse', head);
      collapse.type = 'button';
      collapse.addEventListener(
        'click',
        () => {
          const collapsed = [...this._layout.collapsed];
          collapsed[i] = !collapsed[i];
          if (collapsed.every(c => c)) {
            return; // one pane always stays open
          }
          this._layout = { ...this._layout, collapsed };
          this._place();
          this._changed(this._layout);
        },
        { signal }
      );
      const body = el('div', 'hv-pane-body', section);
      body.append(pane.node);
      this._sections.push({ section, body, collapse, title: pane.title });
    });
    // F6 / Shift+F6 inside the investigation: the next (previous) open pane's view.
    root.addEventListener(
      'keydown',
      event => {
        if (event.key !== 'F6') {
          return;
        }
        const open = this._sections.filter((_, i) => !this._layout.collapsed[i]);
        const at = open.findIndex(s => s.section.contains(document.activeElement));
        const next = open[(at + (event.shiftKey ? open.length - 1 : 1) + open.length) % open.length];
        const target = next?.body.querySelector<HTMLElement>('.hv-scroller');
        if (target) {
          event.preventDefault();
          target.focus();
        }
      },
      { signal }
    );
    this._place();
  }

  /** The layout now. */
  get layout(): ILayout {
    return this._layout;
  }

  /** Lays the panes out as `layout` says (a saved layout coming back). */
  apply(layout: ILayout): void {
    this._layout = layout;
    this._place();
  }

  private _place(): void {
    const { direction, sizes, collapsed } = this._layout;
    this._row.dataset.direction = direction;
    this._row.style.flexDirection = direction;
    setText(this._switch, direction === 'row' ? 'Stack the views' : 'Views side by side');
    this._switch.setAttribute('aria-pressed', String(direction === 'column'));
    this._sections.forEach(({ section, body, collapse, title }, i) => {
      const shut = collapsed[i];
      section.classList.toggle('hv-pane-collapsed', shut);
      body.hidden = shut;
      section.style.flex = shut ? '0 0 auto' : `${sizes[i]} 1 0`;
      setText(collapse, shut ? 'Expand' : 'Collapse');
      collapse.setAttribute('aria-expanded', String(!shut));
      collapse.title = `${shut ? 'Expand' : 'Collapse'} ${title}`;
    });
    this._splitters.forEach((s, i) => {
      s.setAttribute('aria-orientation', direction === 'row' ? 'vertical' : 'horizontal');
      // A splitter moves only between two open panes.
      s.hidden = collapsed[i] || collapsed[i + 1];
      s.setAttribute('aria-valuenow', String(Math.round(sizes[i] * 100)));
    });
  }

  /** The splitter between pane `i` and pane `i + 1`. */
  private _splitter(i: number, signal: AbortSignal): HTMLElement {
    const s = el('div', 'hv-splitter', this._row);
    s.setAttribute('role', 'separator');
    s.setAttribute('aria-label', 'Resize the views');
    s.setAttribute('aria-valuemin', '0');
    s.setAttribute('aria-valuemax', '100');
    s.tabIndex = 0;
    let drag: { at: number; a: number; b: number; room: number } | null = null;
    const along = (e: PointerEvent) => (this._layout.direction === 'row' ? e.clientX : e.clientY);
    const move = (delta: number, from: { a: number; b: number }) => {
      const pair = from.a + from.b;
      const a = Math.min(Math.max(from.a + delta, MIN_SHARE * pair), pair - MIN_SHARE * pair);
      const sizes = [...this._layout.sizes];
      sizes[i] = a;
      sizes[i + 1] = pair - a;
      this._layout = { ...this._layout, sizes };
      this._place();
    };
    s.addEventListener(
      'pointerdown',
      e => {
        const box = this._row.getBoundingClientRect();
        const room = this._layout.direction === 'row' ? box.width : box.height;
        drag = { at: along(e), a: this._layout.sizes[i], b: this._layout.sizes[i + 1], room: Math.max(room, 1) };
        s.setPointerCapture(e.pointerId);
        e.preventDefault();
      },
      { signal }
    );
    s.addEventListener(
      'pointermove',
      e => {
        if (drag) {
          // Shares of the whole row: the open panes' shares sum to 1.
          move((along(e) - drag.at) / drag.room, drag);
        }
      },
      { signal }
    );
    const end = () => {
      if (drag) {
        drag = null;
        this._changed(this._layout);
      }
    };
    s.addEventListener('pointerup', end, { signal });
    s.addEventListener('pointercancel', end, { signal });
    s.addEventListener(
      'keydown',
      e => {
        const back = this._layout.direction === 'row' ? 'ArrowLeft' : 'ArrowUp';
        const forward = this._layout.direction === 'row' ? 'ArrowRight' : 'ArrowDown';
        if (e.key !== back && e.key !== forward) {
          return;
        }
        e.preventDefault();
        move(e.key === back ? -KEY_STEP : KEY_STEP, { a: this._layout.sizes[i], b: this._layout.sizes[i + 1] });
        this._changed(this._layout);
      },
      { signal }
    );
    return s;
  }

  private _layout: ILayout;
  private _row: HTMLElement;
  private _switch: HTMLButtonElement;
  private _sections: { section: HTMLElement; body: HTMLElement; collapse: HTMLButtonElement; title: string }[] = [];
  private _splitters: HTMLElement[] = [];
}
