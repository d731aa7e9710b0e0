/**
 * The timeline toolbar: search, zoom, the time zone, the visible range, and the legend
 * whose entries hide and show their series. Every string from data is set with
 * `textContent`.
 */
import { el, setText } from './dom';
import { EngineStopped } from './engine';
import { ILegendViewer, showLegend } from './legend';
import { ISearchable, SearchBox } from './search';


/** The viewer calls the toolbar uses. */
export interface ITimelineViewer extends ISearchable, ILegendViewer {
  range_text(): string;
  zoom(factor: number): unknown;
  set_time_zone(offsetMinutes: number, name: string): unknown;
  range_center_ms(): number;
  grouping(): string[];
  group_choices(): string[];
  set_grouping(groupBy: string, colorBy: string, laneOrder: string): unknown;
}

export class TimelineToolbar {
  readonly node: HTMLDivElement;
  readonly search: HTMLInputElement;

  constructor(
    parent: HTMLElement,
    private readonly viewer: () => ITimelineViewer | null,
    private readonly apply: (response: unknown) => void,
    fail: (error: unknown) => void,
    signal: AbortSignal,
    private readonly rebuilt: () => void = () => undefined
  ) {
    this.node = el('div', 'hv-toolbar hv-timeline-toolbar', parent);
    this.node.setAttribute('role', 'toolbar');
    this.node.setAttribute('aria-label', 'Timeline');
    this._find = new SearchBox(this.node, 'events, any column', viewer, apply, fail, signal);
    this.search = this._find.input;
    const zoom = el('div', 'hv-zoom', this.node);
    const button = (cls: string, text: string, title: string, fn: () => void) => {
      const b = el('button', cls, zoom, text);
      b.type = 'button';
      b.title = title;
      b.setAttribute('aria-label', title);
      b.addEventListener('click', () => {
        try {
          fn();
        } catch (error) {
          fail(error);
        }
      }, { signal });
      return b;
    };
    button('hv-zoom-out', '−', 'Zoom out (−)', () => this.apply(this.viewer()?.zoom(2)));
    button('hv-zoom-in', '+', 'Zoom in (+)', () => this.apply(this.viewer()?.zoom(0.5)));
    button('hv-zoom-reset', 'All', 'Show everything (0)', () => this.apply(this.viewer()?.zoom(0)));
    this._zone = el('select', 'hv-zone', zoom);
    this._zone.setAttribute('aria-label', 'Time zone');
    el('option', '', this._zone, 'UTC').value = 'utc';
    el('option', '', this._zone, 'local time').value = 'local';
    this._zone.addEventListener('change', () => {
      try {
        this.applyZone();
      } catch (error) {
        fail(error);
      }
    }, { signal });
    this._range = el('span', 'hv-range', zoom);
    this._range.title = 'Visible range';
    const group = el('div', 'hv-group', this.node);
    const select = (cls: string, label: string) => {
      const wrap = el('label', 'hv-color', group, `${label} `);
      const s = el('select', cls, wrap);
      s.addEventListener('change', () => this.regroup(), { signal });
      return s;
    };
    this._lanes = select('hv-lanes-by', 'lanes');
    this._colors = select('hv-color-by', 'colour');
    this._order = select('hv-lane-order', 'order');
    for (const [value, text] of [['first', 'first event'], ['count', 'most events'], ['name', 'name']]) {
      el('option', '', this._order, text).value = value;
    }
    this._grouping = el('span', 'hv-grouping', this.node);
    group.append(this._error);
    this._legend = el('div', 'hv-legend', this.node);
    this._legend.setAttribute('aria-label', 'Series: click to hide or show');
  }

  /** Reads what the viewer shows (once it exists). */
  init(): void {
    const v = this.viewer();
    if (!v) {
      return;
    }
    const [group, color] = v.grouping();
    if (this._lanes.options.length === 0) {
      const choices = v.group_choices();
      for (const s of [this._lanes, this._colors]) {
        el('option', '', s, 'automatic').value = '';
        for (const name of new Set([...choices, group, color].filter(Boolean))) {
          el('option', '', s, name).value = name;
        }
      }
    }
    this._lanes.value = group;
    this._colors.value = color;
    const parts = [group ? `lanes: ${group}` : '', color ? `colour: ${color}` : ''].filter(Boolean);
    setText(this._grouping, parts.join(' · '));
    this.showLegend();
    this.update();
    this._find.updateCount();
  }

  /** The visible range (after zoom, pan, or a new zone). */
  update(): void {
    const v = this.viewer();
    if (v) {
      setText(this._range, v.range_text());
    }
  }

  updateCount(): void {
    this._find.updateCount();
  }

  /** Rebuilds the timeline with the chosen lanes, colours and order. */
  private regroup(): void {
    const v = this.viewer();
    if (!v) {
      return;
    }
    try {
      this.apply(v.set_grouping(this._lanes.value, this._colors.value, this._order.value));
      setText(this._error, '');
    } catch (error) {
      if (error instanceof EngineStopped) {
        throw error; // the output shows it
      }
      // The timeline cannot be built that way (e.g. a column absent from a dataset):
      // the current one stays, and the reason is shown next to the choices.
      setText(this._error, error instanceof Error ? error.message : String(error));
      return;
    }
    this.rebuilt();
  }

  private applyZone(): void {
    const v = this.viewer();
    if (!v) {
      return;
    }
    if (this._zone.value === 'local') {
      // The offset at the visible time (fixed across the view; DST is not followed).
      const at = new Date(v.range_center_ms());
      const name = Intl.DateTimeFormat().resolvedOptions().timeZone || 'local';
      this.apply(v.set_time_zone(-at.getTimezoneOffset(), name));
    } else {
      this.apply(v.set_time_zone(0, 'UTC'));
    }
    this.update();
  }

  private showLegend(): void {
    showLegend(this._legend, this.viewer, this.apply);
  }

  private _find: SearchBox;
  private _zone: HTMLSelectElement;
  private _range: HTMLSpanElement;
  private _grouping: HTMLSpanElement;
  private _lanes: HTMLSelectElement;
  private _colors: HTMLSelectElement;
  private _order: HTMLSelectElement;
  private _error = el('span', 'hv-count-error');
  private _legend: HTMLDivElement;
}
