/**
 * The timeline toolbar: search, zoom, the time zone, the visible range, lanes, colours
 * and lane order, and the legend whose entries hide and show their series. Every string
 * from data is set with `textContent`.
 */
import { el, setText } from './dom';
import { EngineStopped } from './engine';
import { showLegend } from './legend';
import { type ISearch, SearchBox } from './search';
import { command, IToolbar, IToolbarContext, onClick } from './toolbar';
import type { ViewState } from './viewer';

type TimelineState = Extract<ViewState, { view: 'timeline' }>;

export class TimelineToolbar implements IToolbar {
  readonly node: HTMLDivElement;
  readonly search: HTMLInputElement;

  constructor(
    parent: HTMLElement,
    private readonly context: IToolbarContext
  ) {
    const signal = context.signal;
    this.node = el('div', 'hv-toolbar hv-timeline-toolbar', parent);
    this.node.setAttribute('role', 'toolbar');
    this.node.setAttribute('aria-label', 'Timeline');
    this._find = new SearchBox(this.node, 'events, any column', context);
    this.search = this._find.input;
    const zoom = el('div', 'hv-zoom', this.node);
    const button = (cls: string, text: string, title: string, factor: number) => {
      const b = el('button', cls, zoom, text);
      b.type = 'button';
      b.title = title;
      b.setAttribute('aria-label', title);
      onClick(b, context, () => command(context, { command: 'zoom', factor }));
    };
    button('hv-zoom-out', '−', 'Zoom out (−)', 2);
    button('hv-zoom-in', '+', 'Zoom in (+)', 0.5);
    button('hv-zoom-reset', 'All', 'Show everything (0)', 0);
    this._zone = el('select', 'hv-zone', zoom);
    this._zone.setAttribute('aria-label', 'Time zone');
    el('option', '', this._zone, 'UTC').value = 'utc';
    el('option', '', this._zone, 'local time').value = 'local';
    this._zone.addEventListener('change', () => this.applyZone(), { signal });
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
    for (const [value, text] of [
      ['first', 'first event'],
      ['count', 'most events'],
      ['name', 'name']
    ]) {
      el('option', '', this._order, text).value = value;
    }
    this._grouping = el('span', 'hv-grouping', this.node);
    group.append(this._error);
    this._legend = el('div', 'hv-legend', this.node);
    this._legend.setAttribute('aria-label', 'Series: click to hide or show');
  }

  /** Reads what the viewer shows. */
  init(): void {
    const state = this.state();
    if (!state) {
      return;
    }
    const { group_by: group, color_by: color } = state;
    if (this._lanes.options.length === 0) {
      for (const s of [this._lanes, this._colors]) {
        el('option', '', s, 'automatic').value = '';
        for (const name of new Set([...state.group_choices, group, color].filter(Boolean))) {
          el('option', '', s, name).value = name;
        }
      }
    }
    this._lanes.value = group;
    this._colors.value = color;
    const parts = [group ? `lanes: ${group}` : '', color ? `colour: ${color}` : ''].filter(Boolean);
    setText(this._grouping, parts.join(' · '));
    showLegend(this._legend, this.context);
    this.update();
    this._find.updateCount();
  }

  /** The visible range (after zoom, pan, or a new zone). */
  update(): void {
    const state = this.state();
    if (state) {
      setText(this._range, state.range_text);
    }
  }

  searchFor(search: ISearch): void {
    this._find.searchFor(search);
  }

  selectionChanged(): void {
    this._find.updateCount();
  }

  private state(): TimelineState | null {
    const state = this.context.viewer()?.state();
    return state?.view === 'timeline' ? state : null;
  }

  /** Rebuilds the timeline with the chosen lanes, colours and order. */
  private regroup(): void {
    const v = this.context.viewer();
    if (!v) {
      return;
    }
    try {
      this.context.apply(
        v.command({
          command: 'set_grouping',
          group_by: this._lanes.value,
          color_by: this._colors.value,
          lane_order: this._order.value
        })
      );
      setText(this._error, '');
    } catch (error) {
      if (error instanceof EngineStopped) {
        return; // the output shows it
      }
      // The timeline cannot be built that way (e.g. a column absent from a dataset):
      // the current one stays, and the reason is shown next to the choices.
      setText(this._error, error instanceof Error ? error.message : String(error));
      return;
    }
    this.context.rebuilt();
    // The new timeline has no search yet: the box's (and its "matches only") again.
    this._find.rerun();
  }

  private applyZone(): void {
    const state = this.state();
    if (!state) {
      return;
    }
    if (this._zone.value === 'local') {
      // The offset at the visible time (fixed across the view; DST is not followed).
      const at = new Date(state.range_center_ms);
      const name = Intl.DateTimeFormat().resolvedOptions().timeZone || 'local';
      command(this.context, { command: 'set_time_zone', offset_minutes: -at.getTimezoneOffset(), name });
    } else {
      command(this.context, { command: 'set_time_zone', offset_minutes: 0, name: 'UTC' });
    }
    this.update();
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
