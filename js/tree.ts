/**
 * The process-tree toolbar (search, fold, focus, colour) and the detail panel of a
 * selected process. Every string from data is set with `textContent`.
 */
import { el, setText, visible } from './dom';
import { legendEntry } from './legend';
import { type ISearch, SearchBox } from './search';
import { command, IChain, IToolbar, IToolbarContext, onClick } from './toolbar';
import type { Detail, ViewState } from './viewer';

type TreeState = Extract<ViewState, { view: 'process-tree' }>;

/** The line styles the engine draws links with; anything else is shown unstyled. */
const EVIDENCE = new Set(['exact', 'weak', 'inferred']);

/** The process-tree toolbar. */
export class TreeToolbar implements IToolbar {
  readonly node: HTMLDivElement;
  readonly search: HTMLInputElement;

  constructor(
    parent: HTMLElement,
    private readonly context: IToolbarContext
  ) {
    const signal = context.signal;
    this.node = el('div', 'hv-toolbar', parent);
    this.node.setAttribute('role', 'toolbar');
    this.node.setAttribute('aria-label', 'Process tree');
    this._find = new SearchBox(this.node, 'name, command line, user, any column', context);
    this.search = this._find.input;

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

    onClick(expand, context, () => command(context, { command: 'expand_all' }));
    onClick(collapse, context, () => command(context, { command: 'collapse_all' }));
    depth.addEventListener(
      'change',
      () => {
        if (depth.value) {
          command(context, { command: 'expand_to_depth', depth: Number(depth.value) });
        }
        depth.value = '';
      },
      { signal }
    );
    onClick(this._focus, context, () => {
      command(context, { command: 'set_focus', on: !this.state()?.focused });
      this.selectionChanged();
    });
    this._color.addEventListener(
      'change',
      () => {
        command(context, { command: 'set_color_by', column: this._color.value });
        this.showLegend();
      },
      { signal }
    );
  }

  /** Fills the colour choices (once) and the kinds of parent link. */
  init(): void {
    const state = this.state();
    if (!state) {
      return;
    }
    if (this._color.options.length === 1) {
      for (const name of state.color_choices) {
        el('option', '', this._color, name).value = name;
      }
      // Coloured from the options (`color_by=`, or a pivot's added rows): said here too.
      const by = state.color_by;
      if (by) {
        if (!state.color_choices.includes(by)) {
          el('option', '', this._color, by).value = by;
        }
        this._color.value = by;
        this.showLegend();
      }
    }
    this._links.replaceChildren();
    if (state.link_legend.length) {
      el('span', 'hv-legend-title', this._links, 'parent links:');
    }
    for (const k of state.link_legend) {
      const item = el('span', 'hv-legend-item', this._links);
      item.title = visible(k.label);
      const swatch = el('span', 'hv-link-swatch', item);
      if (EVIDENCE.has(k.evidence)) {
        swatch.classList.add(`hv-link-${k.evidence}`);
      }
      el('span', '', item, `${k.label} (${k.count.toLocaleString('en-US')})`);
    }
    this._find.updateCount();
    this.selectionChanged();
  }

  update(): void {}

  /** The focus button says whether the tree is focused. */
  searchFor(search: ISearch): void {
    this._find.searchFor(search);
  }

  selectionChanged(): void {
    const on = this.state()?.focused ?? false;
    setText(this._focus, on ? 'Unfocus' : 'Focus');
    this._focus.setAttribute('aria-pressed', String(on));
  }

  private state(): TreeState | null {
    const state = this.context.viewer()?.state();
    return state?.view === 'process-tree' ? state : null;
  }

  /** The colours in use (not toggles: every process is shown). */
  private showLegend(): void {
    this._legend.replaceChildren();
    for (const e of this.context.viewer()?.legend() ?? []) {
      legendEntry(el('span', 'hv-legend-item', this._legend), e);
    }
  }

  private _find: SearchBox;
  private _focus: HTMLButtonElement;
  private _color: HTMLSelectElement;
  private _legend: HTMLDivElement;
  private _links: HTMLDivElement;
}

/**
 * Renders a selected process, event or entity into `panel`: its title, how it links to
 * its parent, the related items (a process's ancestors, an entity's neighbours) as
 * buttons that select each (`chain`), and every field with its full value and a copy
 * button.
 */
export function renderDetail(
  panel: HTMLElement,
  detail: Detail,
  select: (item: number) => void,
  copy: (index: number) => void,
  chain: IChain | null
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
    detail.related.forEach(([node, label], i) => {
      const b = el('button', 'hv-ancestor', nav, label);
      b.type = 'button';
      b.addEventListener('click', () => select(node));
      if (chain.self || i < detail.related.length - 1) {
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
