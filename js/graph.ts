/**
 * The entity-graph toolbar: search, fit, lay out again, and the legend of node types
 * (each hides and shows its nodes and their links).
 */
import { el } from './dom';
import { showLegend } from './legend';
import { type ISearch, SearchBox } from './search';
import { command, IToolbar, IToolbarContext, onClick } from './toolbar';

export class GraphToolbar implements IToolbar {
  readonly node: HTMLDivElement;
  readonly search: HTMLInputElement;

  constructor(
    parent: HTMLElement,
    private readonly context: IToolbarContext
  ) {
    this.node = el('div', 'hv-toolbar hv-graph-toolbar', parent);
    this.node.setAttribute('role', 'toolbar');
    this.node.setAttribute('aria-label', 'Entity graph');
    this._find = new SearchBox(this.node, 'entities, any property', context);
    this.search = this._find.input;
    const tools = el('div', 'hv-zoom', this.node);
    const fit = el('button', 'hv-fit', tools, 'Fit');
    fit.type = 'button';
    fit.title = 'Show the whole graph (0)';
    onClick(fit, context, () => command(context, { command: 'fit' }));
    const relayout = el('button', 'hv-relayout', tools, 'Lay out again');
    relayout.type = 'button';
    relayout.title = 'Unpin every node and lay the graph out again';
    onClick(relayout, context, () => command(context, { command: 'relayout' }));
    el('span', 'hv-grouping', tools, 'wheel: zoom · drag: pan or move a node (it stays) · click: details');
    this._legend = el('div', 'hv-legend', this.node);
    this._legend.setAttribute('aria-label', 'Entity types: click to hide or show');
  }

  init(): void {
    showLegend(this._legend, this.context);
    this._find.updateCount();
  }

  update(): void {}

  searchFor(search: ISearch): void {
    this._find.searchFor(search);
  }

  selectionChanged(): void {
    this._find.updateCount();
  }

  private _find: SearchBox;
  private _legend: HTMLDivElement;
}
