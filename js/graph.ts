/**
 * The entity-graph toolbar: search, fit, lay out again, and the legend of node types
 * (each hides and shows its nodes and their links).
 */
import { el } from './dom';
import { ILegendViewer, showLegend } from './legend';
import { ISearchable, SearchBox } from './search';

/** The viewer calls the toolbar uses. */
export interface IGraphViewer extends ISearchable, ILegendViewer {
  fit(): unknown;
  relayout(): unknown;
}

export class GraphToolbar {
  readonly node: HTMLDivElement;
  readonly search: HTMLInputElement;

  constructor(
    parent: HTMLElement,
    private readonly viewer: () => IGraphViewer | null,
    private readonly apply: (response: unknown) => void,
    fail: (error: unknown) => void,
    signal: AbortSignal
  ) {
    this.node = el('div', 'hv-toolbar hv-graph-toolbar', parent);
    this.node.setAttribute('role', 'toolbar');
    this.node.setAttribute('aria-label', 'Entity graph');
    this._find = new SearchBox(this.node, 'entities, any property', viewer, apply, fail, signal);
    this.search = this._find.input;
    const tools = el('div', 'hv-zoom', this.node);
    const button = (cls: string, text: string, title: string, fn: () => unknown) => {
      const b = el('button', cls, tools, text);
      b.type = 'button';
      b.title = title;
      b.addEventListener(
        'click',
        () => {
          try {
            this.apply(fn());
          } catch (error) {
            fail(error);
          }
        },
        { signal }
      );
    };
    button('hv-fit', 'Fit', 'Show the whole graph (0)', () => this.viewer()?.fit());
    button('hv-relayout', 'Lay out again', 'Unpin every node and lay the graph out again', () =>
      this.viewer()?.relayout()
    );
    el('span', 'hv-grouping', tools, 'wheel: zoom · drag: pan or move a node (it stays) · click: details');
    this._legend = el('div', 'hv-legend', this.node);
    this._legend.setAttribute('aria-label', 'Entity types: click to hide or show');
  }

  /** Reads the legend (once the viewer exists). */
  init(): void {
    this.showLegend();
    this._find.updateCount();
  }

  updateCount(): void {
    this._find.updateCount();
  }

  private showLegend(): void {
    showLegend(this._legend, this.viewer, this.apply);
  }

  private _find: SearchBox;
  private _legend: HTMLDivElement;
}
