/**
 * The search box every view's toolbar shares: a query (substring or regex), the
 * match count, previous/next, and "matches only" (the view shows only what matched).
 * Matches are found, stepped through and filtered by the viewer.
 */
import { el, setText } from './dom';
import { EngineStopped } from './engine';
import type { IToolbarContext } from './toolbar';
import { REDRAW } from './viewer';

/** A search as a pane says it to the others of its investigation. */
export interface ISearch {
  query: string;
  regex: boolean;
  /** "Matches only". */
  only: boolean;
}

export class SearchBox {
  readonly node: HTMLDivElement;
  readonly input: HTMLInputElement;

  constructor(
    parent: HTMLElement,
    what: string,
    private readonly context: IToolbarContext
  ) {
    const signal = context.signal;
    this.node = el('div', 'hv-find', parent);
    this.input = el('input', 'hv-search', this.node);
    this.input.type = 'search';
    this.input.placeholder = `Search ${what} ( / )`;
    this.input.setAttribute('aria-label', `Search ${what}`);
    const regexLabel = el('label', 'hv-check', this.node);
    this._regex = el('input', '', regexLabel);
    this._regex.type = 'checkbox';
    regexLabel.append(' regex');
    this._count = el('span', 'hv-count', this.node);
    this._count.setAttribute('aria-live', 'polite');
    const prev = el('button', 'hv-prev', this.node, '◀');
    prev.type = 'button';
    prev.title = 'Previous match (Shift+Enter)';
    prev.setAttribute('aria-label', 'Previous match');
    const next = el('button', 'hv-next', this.node, '▶');
    next.type = 'button';
    next.title = 'Next match (Enter)';
    next.setAttribute('aria-label', 'Next match');
    const onlyLabel = el('label', 'hv-check', this.node);
    this._only = el('input', 'hv-only', onlyLabel);
    this._only.type = 'checkbox';
    onlyLabel.append(' matches only');
    onlyLabel.title = 'Show only what the search matched';

    const step = (forward: boolean) =>
      this.run(() => {
        const v = this.context.viewer();
        if (!v) {
          return;
        }
        if (this._last !== this.key()) {
          this.search();
        }
        this.context.apply(v.search_step(forward));
        this.updateCount();
      });
    this.input.addEventListener(
      'keydown',
      e => {
        if (e.key === 'Enter') {
          e.preventDefault();
          step(!e.shiftKey)();
        } else if (e.key === 'Escape') {
          this.input.value = '';
          this.search();
        }
        e.stopPropagation();
      },
      { signal }
    );
    // 'change' also fires on blur (e.g. when Next is clicked): only re-run the search,
    // which resets the current match, if the query changed.
    this.input.addEventListener(
      'change',
      () => {
        if (this._last !== this.key()) {
          this.search();
        }
      },
      { signal }
    );
    this._regex.addEventListener('change', () => this.search(), { signal });
    this._only.addEventListener('change', () => this.filter(), { signal });
    next.addEventListener('click', step(true), { signal });
    prev.addEventListener('click', step(false), { signal });
  }

  /** Runs the current query. */
  search(): void {
    this.run(() => {
      const v = this.context.viewer();
      if (!v) {
        return;
      }
      this._error = '';
      try {
        if (this._only.checked !== this._onlyTold) {
          // The view keeps "matches only" through its searches once told.
          v.command({ command: 'set_matches_only', on: this._only.checked });
          this._onlyTold = this._only.checked;
        }
        v.search(this.input.value, this._regex.checked);
      } catch (error) {
        if (error instanceof EngineStopped) {
          throw error; // the output shows it
        }
        this._error = error instanceof Error ? error.message : String(error);
      }
      this._last = this.key();
      this.context.apply(REDRAW);
      this.updateCount();
      this.said();
    })();
  }

  /** Runs the search again (the view was built again, with other lanes). */
  rerun(): void {
    this._last = '';
    this._onlyTold = false; // a new view knows nothing of it
    this.search();
  }

  /** Turns "matches only" on or off as the checkbox says. */
  private filter(): void {
    this.run(() => {
      const v = this.context.viewer();
      if (!v) {
        return;
      }
      this.context.apply(v.command({ command: 'set_matches_only', on: this._only.checked }));
      this._onlyTold = this._only.checked;
      this.updateCount();
      this.said();
    })();
  }

  /** Tells the investigation (its other panes do the same), unless it told us. */
  private said(): void {
    if (!this._linking) {
      this.context.searched?.({ query: this.input.value, regex: this._regex.checked, only: this._only.checked });
    }
  }

  /** Runs a linked pane's search and filter as if set here, without saying it back. */
  searchFor(search: ISearch): void {
    const same = this._last === this.key() && this.key() === `${search.regex}:${search.query}`;
    const onlyChanged = this._only.checked !== search.only;
    this.input.value = search.query;
    this._regex.checked = search.regex;
    this._only.checked = search.only;
    this._linking = true;
    try {
      if (!same) {
        this.search();
      } else if (onlyChanged) {
        this.filter();
      }
    } finally {
      this._linking = false;
    }
  }

  updateCount(): void {
    const v = this.context.viewer();
    if (this._error) {
      setText(this._count, this._error);
      this._count.classList.add('hv-count-error');
      return;
    }
    this._count.classList.remove('hv-count-error');
    if (!v || !this.input.value) {
      setText(this._count, '');
      return;
    }
    const [n, cur] = v.match_position();
    setText(
      this._count,
      n === 0
        ? 'no match'
        : `${cur ? `${cur.toLocaleString('en-US')} / ` : ''}${n.toLocaleString('en-US')} match${n === 1 ? '' : 'es'}`
    );
  }

  private key(): string {
    return `${this._regex.checked}:${this.input.value}`;
  }

  private run(fn: () => void): () => void {
    return () => {
      try {
        fn();
      } catch (error) {
        this.context.fail(error);
      }
    };
  }

  private _regex: HTMLInputElement;
  private _only: HTMLInputElement;
  /** What the view was last told of "matches only". */
  private _onlyTold = false;
  private _count: HTMLSpanElement;
  private _last = '';
  private _error = '';
  private _linking = false;
}
