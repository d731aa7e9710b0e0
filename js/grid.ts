/**
 * The results grid's toolbar: search over every cell (rows that match are tinted;
 * Enter selects the next in the order shown).
 */
import { el } from './dom';
import { type ISearch, SearchBox } from './search';
import type { IToolbar, IToolbarContext } from './toolbar';

export class GridToolbar implements IToolbar {
  readonly node: HTMLDivElement;
  readonly search: HTMLInputElement;

  constructor(parent: HTMLElement, context: IToolbarContext) {
    this.node = el('div', 'hv-toolbar hv-grid-toolbar', parent);
    this.node.setAttribute('role', 'toolbar');
    this.node.setAttribute('aria-label', 'Result rows');
    this._find = new SearchBox(this.node, 'rows, any column', context);
    this.search = this._find.input;
  }

  init(): void {
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
}
