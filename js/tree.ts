/**
 * The process-tree toolbar (search, fold, focus, colour) and the detail panel of a
 * selected process. Every string from data is set with `textContent`.
 */
import { el, setText, visible } from './dom';
import { ISearchable, SearchBox } from './search';

/** The viewer calls the toolbar uses. */
export interface ITreeViewer extends ISearchable {
  set_matches_only(on: boolean): unknown;
  set_focus(on: boolean): unknown;
  focused(): boolean;
  expand_all(): unknown;
  collapse_all(): unknown;
  expand_to_depth(depth: number): unknown;
  select_node(node: number): unknown;
  set_color_by(column: string): { label: string; color: string; count: number }[];
  color_choices(): string[];
  link_legend(): ILinkLegendItem[];
}

/** How a process's parent link was made (`evidence` decides how it is drawn). */
export interface ILinkDetail {
  kind: string;
  label: string;
  evidence: string;
  explanation: string;
}

/** One kind of parent link in the tree, for the legend. */
export interface ILinkLegendItem {
  kind: string;
  label: string;
  evidence: string;
  count: number;
}

/** The line styles the engine draws links with; anything else is shown unstyled. */
const EVIDENCE = new Set(['exact', 'weak', 'inferred']);

/** A selected process. */
export interface ITreeDetail {
  node: number;
  title: string;
  inferred: boolean;
  fields: [string, string][];
  ancestors: [number, string][];
  children: number;
  link?: ILinkDetail;
  names?: string[];
}

/**
 * The toolbar. `apply` takes a viewer response (redraw, scroll, selection).
 */
export class TreeToolbar {
  readonly node: HTMLDivElement;
  readonly search: HTMLInputElement;

  constructor(
    parent: HTMLElement,
    private readonly viewer: () => ITreeViewer | null,
    private readonly apply: (response: unknown) => void,
    private readonly fail: (error: unknown) => void,
    signal: AbortSignal
  ) {
    this.node = el('div', 'hv-toolbar', parent);
    this.node.setAttribute('role', 'toolbar');
    this.node.setAttribute('aria-label', 'Process tree');
    this._find = new SearchBox(
      this.node,
      'name, command line, user, any column',
      viewer,
      apply,
      fail,
      signal,
      () => {
        if (this._only.checked) {
          this.apply(this.viewer()?.set_matches_only(true));
        }
      }
    );
    this.search = this._find.input;
    const onlyLabel = el('label', 'hv-check', this._find.node);
    this._only = el('input', 'hv-only', onlyLabel);
    this._only.type = 'checkbox';
    onlyLabel.append(' matches only');

    const fold = el('div', 'hv-fold', this.node);
    const expand = el('button', 'hv-expand-all', fold, 'Expand all');
    expand.type = 'button';
    const collapse = el('button', 'hv-collapse-all', fold, 'Collapse all');
    collapse.type = 'button';
    const depth = el('select', 'hv-depth', fold);
    depth.setAttribute('aria-label', 'Unfold to depth');
    el('option', '', depth, 'depth…').value = '';
    for (let d = 1; d <= 8; d++) {
      el('option', '', depth, `to depth ${d}`).value = String(d);
    }
    this._focus = el('button', 'hv-focus', fold, 'Focus');
    this._focus.type = 'button';
    this._focus.title = 'Show only the selected process, its ancestors and descendants';
    const colorLabel = el('label', 'hv-color', fold, 'colour by ');
    this._color = el('select', 'hv-color-by', colorLabel);
    el('option', '', this._color, 'nothing').value = '';
    this._legend = el('div', 'hv-legend', this.node);
    this._links = el('div', 'hv-legend hv-link-legend', this.node);
    this._links.setAttribute('aria-label', 'Parent links');

    const run = (fn: () => void) => () => {
      try {
        fn();
      } catch (error) {
        this.fail(error);
      }
    };
    this._only.addEventListener(
      'change',
      run(() => this.apply(this.viewer()?.set_matches_only(this._only.checked))),
      { signal }
    );
    expand.addEventListener('click', run(() => this.apply(this.viewer()?.expand_all())), { signal });
    collapse.addEventListener('click', run(() => this.apply(this.viewer()?.collapse_all())), { signal });
    depth.addEventListener(
      'change',
      run(() => {
        if (depth.value) {
          this.apply(this.viewer()?.expand_to_depth(Number(depth.value)));
        }
        depth.value = '';
      }),
      { signal }
    );
    this._focus.addEventListener(
      'click',
      run(() => {
        const v = this.viewer();
        if (v) {
          this.apply(v.set_focus(!v.focused()));
          this.updateFocus();
        }
      }),
      { signal }
    );
    this._color.addEventListener(
      'change',
      run(() => {
        const v = this.viewer();
        if (v) {
          this.showLegend(v.set_color_by(this._color.value));
          this.apply({ redraw: true, resized: false, scroll_to: null, cursor: 'default', selection: false });
        }
      }),
      { signal }
    );
  }

  /** Fills the colour choices (once the viewer exists). */
  init(viewer: ITreeViewer): void {
    for (const name of viewer.color_choices()) {
      el('option', '', this._color, name).value = name;
    }
    this._links.replaceChildren();
    const kinds = viewer.link_legend();
    if (kinds.length) {
      el('span', 'hv-legend-title', this._links, 'parent links:');
    }
    for (const k of kinds) {
      const item = el('span', 'hv-legend-item', this._links);
      item.title = visible(k.label);
      const swatch = el('span', 'hv-link-swatch', item);
      if (EVIDENCE.has(k.evidence)) {
        swatch.classList.add(`hv-link-${k.evidence}`);
      }
      el('span', '', item, `${k.label} (${k.count.toLocaleString('en-US')})`);
    }
    this.updateCount();
    this.updateFocus();
  }

  updateFocus(): void {
    const on = this.viewer()?.focused() ?? false;
    setText(this._focus, on ? 'Unfocus' : 'Focus');
    this._focus.setAttribute('aria-pressed', String(on));
  }

  updateCount(): void {
    this._find.updateCount();
  }

  private showLegend(entries: { label: string; color: string; count: number }[]): void {
    this._legend.replaceChildren();
    for (const e of entries) {
      const item = el('span', 'hv-legend-item', this._legend);
      const swatch = el('span', 'hv-swatch', item);
      // Colours come from the engine's palette (#rrggbb), never from data.
      if (/^#[0-9a-f]{6}$/i.test(e.color)) {
        swatch.style.background = e.color;
      }
      el('span', '', item, `${e.label} (${e.count.toLocaleString('en-US')})`);
    }
  }

  private _find: SearchBox;
  private _only: HTMLInputElement;
  private _focus: HTMLButtonElement;
  private _color: HTMLSelectElement;
  private _legend: HTMLDivElement;
  private _links: HTMLDivElement;
}

/**
 * Renders a selected process (or timeline event) into `panel`: its title, the ancestor
 * chain as buttons that select each ancestor (`chained`), and every field with its full
 * value and a copy button.
 */
export function renderTreeDetail(
  panel: HTMLElement,
  detail: ITreeDetail,
  select: (node: number) => void,
  copy: (index: number) => void,
  chain: { label: string; separator: string; self: boolean } | null = {
    label: 'Ancestors',
    separator: '›',
    self: true
  }
): void {
  panel.replaceChildren();
  const head = el('div', 'hv-detail-head', panel);
  el('span', 'hv-detail-title', head, detail.title + (detail.inferred ? ' · inferred' : ''));
  if (detail.link) {
    // Why this is the parent: the kind (styled like its line) and the evidence.
    const why = el('div', 'hv-link', panel);
    const swatch = el('span', 'hv-link-swatch', why);
    if (EVIDENCE.has(detail.link.evidence)) {
      swatch.classList.add(`hv-link-${detail.link.evidence}`);
    }
    el('span', 'hv-link-kind', why, `Parent link: ${detail.link.label}`);
    el('span', 'hv-link-why', why, ` — ${detail.link.explanation}`);
  }
  if (detail.names && detail.names.length > 1) {
    el('div', 'hv-names', panel, `Names in the result: ${detail.names.join(' · ')}`);
  }
  if (chain) {
    const nav = el('nav', 'hv-chain', panel);
    nav.setAttribute('aria-label', chain.label);
    if (!chain.self) {
      el('span', 'hv-chain-sep', nav, `${chain.label}:`);
    }
    detail.ancestors.forEach(([node, label], i) => {
      const b = el('button', 'hv-ancestor', nav, label);
      b.type = 'button';
      b.addEventListener('click', () => select(node));
      if (chain.self || i < detail.ancestors.length - 1) {
        el('span', 'hv-chain-sep', nav, chain.separator);
      }
    });
    if (chain.self) {
      el('span', 'hv-chain-self', nav, detail.title);
    }
  }
  const list = el('dl', 'hv-fields', panel);
  detail.fields.forEach(([name, value], index) => {
    const dt = el('dt', '', list, name);
    dt.title = visible(name);
    const dd = el('dd', '', list);
    const pre = el('pre', 'hv-field-value', dd, value);
    pre.setAttribute('dir', 'ltr');
    const c = el('button', 'hv-copy-field', dd, 'Copy');
    c.type = 'button';
    c.title = visible(`Copy ${name}`);
    c.addEventListener('click', () => copy(index));
  });
}
