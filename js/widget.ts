/**
 * The output widget: one per huntviz output. It owns the DOM chrome (status line,
 * warnings, detail bar, tooltip, accessibility mirror), forwards events to the wasm
 * viewer and draws on its canvas. Every string from data reaches the DOM only as
 * `textContent`.
 */
import type { IRenderMime } from '@jupyterlab/rendermime-interfaces';
import { Widget } from '@lumino/widgets';

import {
  encodeToWasm,
  EngineStopped,
  guarded,
  IEngine,
  isTrap,
  loadEngine,
  loadFailureMessage,
  onReset,
  recover
} from './engine';
import { el, setText, visible } from './dom';
import { inflateToWasm } from './inflate';
import { IDataset, IPayload, MIME_TYPE, readPayload } from './payload';
import type * as Wasm from './pkg/huntviz_wasm';
import { readTheme, themeFingerprint, watchTheme } from './theme';
import { GraphToolbar, IGraphViewer } from './graph';
import { ITimelineViewer, TimelineToolbar } from './timeline';
import { ITreeDetail, ITreeViewer, renderTreeDetail, TreeToolbar } from './tree';

/** What the viewer answers to an event. */
interface IResponse {
  redraw: boolean;
  resized: boolean;
  scroll_to: [number, number] | null;
  cursor: string;
  selection?: boolean;
}

interface ITooltip {
  text: string;
  x: number;
  y: number;
}

interface ISelection {
  row: number;
  column: string;
  column_type: string;
  null: boolean;
  text: string;
  bytes: number;
}

interface IVisibleText {
  columns: string[];
  first_col: number;
  geometry: [number, number][];
  rows: {
    position: number;
    row: number;
    top: number;
    cells: string[];
    level?: number;
    expanded?: boolean | null;
    toggle?: number | null;
    mark?: number | null;
  }[];
}

/**
 * The part of the wasm `Viewer` the widget uses.
 */
export interface IViewer extends Partial<ITreeViewer>, Partial<Omit<ITimelineViewer, keyof ITreeViewer>> {
  free(): void;
  views?(): string[];
  row_count?(): number;
  view?(): string;
  set_view?(id: string): boolean;
  detail?(): ITreeDetail | null;
  detail_value?(index: number): string | undefined;
  status(): string;
  warnings(): string[];
  content_size(): Float32Array | number[];
  set_viewport(width: number, height: number, dpr: number): void;
  set_scroll(x: number, y: number): void;
  set_theme(theme: string): void;
  render(): void;
  pointer_down(x: number, y: number, shift?: boolean): IResponse;
  pointer_move(x: number, y: number): IResponse;
  pointer_up(x: number, y: number): IResponse;
  pointer_leave(): IResponse;
  key(key: string, ctrl: boolean, shift?: boolean): IResponse;
  wheel?(x: number, y: number, dx: number, dy: number, shift: boolean): IResponse;
  double_click?(x: number, y: number, shift: boolean): IResponse;
  add_dataset?(name: string, kind: string, input: Wasm.Input): void;
  tick?(): boolean;
  settled?(): boolean;
  fit?(): IResponse;
  relayout?(): IResponse;
  tooltip(x: number, y: number): ITooltip | null;
  selection(): ISelection | null;
  selection_value(): string | undefined;
  visible_text(): IVisibleText;
  export_svg(): string;
}

/** Loads the engine; injectable for tests. */
export type EngineLoader = () => Promise<IEngine>;

/** Largest scroll-area height used; taller content is scrolled proportionally. */
const MAX_SPACER_PX = 8_000_000;
/** Default widget height cap. */
const DEFAULT_MAX_HEIGHT = 420;

const CLASS = 'jp-HuntvizOutput';

/**
 * A huntviz output in a notebook.
 */
export class HuntvizOutput extends Widget implements IRenderMime.IRenderer {
  constructor(
    options: IRenderMime.IRendererOptions,
    load: EngineLoader = loadEngine
  ) {
    super();
    this._mimeType = options.mimeType || MIME_TYPE;
    this._load = load;
    this.addClass(CLASS);
    this.node.setAttribute('role', 'region');
    this.node.setAttribute('aria-label', 'huntviz result');
    this.node.dataset.hvBuilds = '0';
  }

  /**
   * Renders a model. The same for trusted and untrusted outputs: nothing in the
   * data is ever executed or inserted as markup.
   */
  async renderModel(model: IRenderMime.IMimeModel): Promise<void> {
    this._teardown();
    let payload: IPayload;
    try {
      payload = readPayload(model.data[this._mimeType]);
    } catch (error) {
      this._showError(error instanceof Error ? error.message : String(error));
      return;
    }
    this._payload = payload;
    let engine: IEngine;
    try {
      engine = await this._load();
    } catch (error) {
      this._showError(loadFailureMessage(error));
      return;
    }
    if (this.isDisposed || this._payload !== payload) {
      return;
    }
    this._engine = engine;
    this._unsubscribeReset = onReset(() => this._rebuild());
    await this._build();
  }

  /** The viewer, for tests. */
  get viewer(): IViewer | null {
    return this._viewer;
  }

  dispose(): void {
    if (this.isDisposed) {
      return;
    }
    this._teardown();
    super.dispose();
  }

  protected onAfterAttach(): void {
    this._scheduleRender();
  }

  /** The payload's bytes in a new engine buffer (unpacked first when compressed). */
  private _input(
    engine: IEngine,
    payload: Pick<IPayload, 'text' | 'packed'>,
    announce = true
  ): Wasm.Input | Promise<Wasm.Input> {
    if (!payload.packed) {
      return encodeToWasm(engine, payload.text);
    }
    const { base64, size } = payload.packed;
    if (announce) {
      const note = el('div', 'hv-loading');
      note.setAttribute('role', 'status');
      setText(
        note,
        `Unpacking ${(size / 1e6).toLocaleString('en-US', { maximumFractionDigits: 1 })} MB result…`
      );
      this.node.replaceChildren(note);
    }
    return inflateToWasm(engine.memory, len => new engine.module.Input(len), base64, size);
  }

  /** Builds the viewer and its DOM from the stored payload. */
  private async _build(): Promise<void> {
    const engine = this._engine;
    const payload = this._payload;
    if (!engine || !payload) {
      return;
    }
    const generation = engine.generation;
    this._building = generation;
    try {
      await this._buildFor(engine, payload, generation);
    } finally {
      if (this._building === generation) {
        this._building = null;
      }
    }
  }

  private async _buildFor(engine: IEngine, payload: IPayload, generation: number): Promise<void> {
    let input: Wasm.Input;
    try {
      // Text payloads are encoded synchronously: no extra frame before the first paint.
      const made = this._input(engine, payload);
      input = made instanceof Promise ? await made : made;
    } catch (error) {
      this._fail(error);
      return;
    }
    if (engine.generation !== generation) {
      // The engine restarted while unpacking: this handle died with it; the reset
      // listener rebuilds this output.
      return;
    }
    if (this.isDisposed || this._payload !== payload || this._engine !== engine) {
      input.free();
      return;
    }
    this.node.replaceChildren();
    const signal = (this._abort = new AbortController()).signal;
    const root = this.node;
    if (payload.title) {
      setText(el('div', 'hv-title', root), payload.title);
    }
    const bar = el('div', 'hv-statusbar', root);
    const status = el('span', 'hv-status', bar);
    status.setAttribute('role', 'status');
    const warnButton = el('button', 'hv-warnings-toggle', bar);
    warnButton.type = 'button';
    el('span', 'hv-bar-spacer', bar);
    const viewSelect = el('select', 'hv-view', bar);
    viewSelect.setAttribute('aria-label', 'View');
    viewSelect.hidden = true;
    const svgButton = el('button', 'hv-export', bar);
    svgButton.type = 'button';
    setText(svgButton, 'Export SVG');
    svgButton.title = 'Download the visible part of the view as SVG';
    const warnList = el('ul', 'hv-warnings', root);
    warnList.hidden = true;
    const toolbarSlot = el('div', 'hv-toolbar-slot', root);

    const viewport = el('div', 'hv-viewport', root);
    const canvas = el('canvas', 'hv-canvas', viewport);
    canvas.setAttribute('dir', 'ltr');
    canvas.setAttribute('aria-hidden', 'true');
    const scroller = el('div', 'hv-scroller', viewport);
    scroller.tabIndex = 0;
    scroller.setAttribute('aria-label', 'Result grid: arrow keys move, Ctrl+C copies');
    // Keys typed here belong to the grid, not to notebook shortcuts.
    scroller.dataset.lmSuppressShortcuts = 'true';
    const spacer = el('div', 'hv-spacer', scroller);
    const tooltip = el('div', 'hv-tooltip', viewport);
    tooltip.hidden = true;
    tooltip.setAttribute('role', 'tooltip');

    const detail = el('div', 'hv-detail', root);
    detail.hidden = true;
    const detailLabel = el('span', 'hv-detail-label', detail);
    const copyButton = el('button', 'hv-copy', detail);
    copyButton.type = 'button';
    setText(copyButton, 'Copy');
    copyButton.title = 'Copy the full, exact value';
    const detailValue = el('pre', 'hv-detail-value', detail);
    detailValue.setAttribute('dir', 'ltr');

    const mirror = el('table', 'hv-sr-only', root);
    mirror.setAttribute('role', 'grid');
    mirror.setAttribute('aria-label', 'Result rows');

    let viewer: IViewer;
    // The tests' hook: a trap in the named engine call (never set by data).
    const hook = (method: string) => {
      if (payload.testPanic === method) {
        engine.module.test_panic();
      }
    };
    try {
      hook('constructor');
      // Every later call into the engine goes through the trap check.
      viewer = guarded(
        new engine.module.Viewer(canvas, input, payload.spec, JSON.stringify(readTheme(this.node))) as unknown as IViewer,
        error => this._fail(error),
        hook
      );
    } catch (error) {
      this._fail(error);
      return;
    }
    this._viewer = viewer;
    this._generation = engine.generation;
    if (payload.datasets.length > 0 && !(await this._addDatasets(engine, viewer, payload.datasets))) {
      return;
    }
    this.node.dataset.hvBuilds = String(Number(this.node.dataset.hvBuilds) + 1);
    this._dom = {
      viewport,
      canvas,
      scroller,
      spacer,
      tooltip,
      detail,
      detailLabel,
      detailValue,
      mirror,
      status,
      detailCopy: copyButton,
      warnButton,
      warnList,
      viewSelect,
      toolbar: null,
      timelineToolbar: null,
      graphToolbar: null,
      toolbarSlot
    };
    warnButton.addEventListener(
      'click',
      () => {
        warnList.hidden = !warnList.hidden;
        warnButton.setAttribute('aria-expanded', String(!warnList.hidden));
      },
      { signal }
    );
    const views = viewer.views?.() ?? ['table'];
    if (views.length > 1) {
      const names: Record<string, string> = {
        table: 'Table',
        'process-tree': 'Process tree',
        timeline: 'Timeline',
        graph: 'Entity graph'
      };
      for (const v of views) {
        const option = el('option', '', viewSelect);
        option.value = v;
        setText(option, names[v] ?? v);
      }
      viewSelect.hidden = false;
      viewSelect.addEventListener(
        'change',
        () => this._guard(() => {
          viewer.set_view?.(viewSelect.value);
          this._afterViewChange();
        }),
        { signal }
      );
    }

    const [contentWidth, contentHeight] = viewer.content_size();
    const height =
      payload.height ?? Math.min(contentHeight + 18, DEFAULT_MAX_HEIGHT);
    viewport.style.height = `${Math.ceil(height)}px`;
    this._sizeSpacer();

    const point = (e: PointerEvent | MouseEvent): [number, number] => {
      const r = scroller.getBoundingClientRect();
      return [e.clientX - r.left, e.clientY - r.top];
    };
    const apply = (r: IResponse) => {
      scroller.style.cursor = r.cursor;
      if (r.resized) {
        this._sizeSpacer();
      }
      if (r.scroll_to) {
        this._scrollTo(r.scroll_to[0], r.scroll_to[1]);
      }
      if (r.redraw || r.resized || r.scroll_to) {
        this._scheduleRender();
      }
      if (r.selection) {
        this._showSelection();
      }
      if (r.redraw) {
        this._dom?.timelineToolbar?.update();
      }
    };
    scroller.addEventListener(
      'scroll',
      () => {
        this._syncScroll();
        tooltip.hidden = true;
        this._scheduleRender();
      },
      { signal, passive: true }
    );
    scroller.addEventListener(
      'pointerdown',
      e => {
        const [x, y] = point(e);
        if (x > scroller.clientWidth || y > scroller.clientHeight) {
          return; // the native scrollbars
        }
        scroller.focus({ preventScroll: true });
        this._guard(() => {
          const r = viewer.pointer_down(x, y, e.shiftKey);
          // Drags (column resize, pan, box zoom, the overview window) follow the
          // pointer outside the view.
          if (['col-resize', 'grabbing', 'crosshair', 'ew-resize'].includes(r.cursor)) {
            scroller.setPointerCapture(e.pointerId);
          }
          apply(r);
          this._showSelection();
        });
      },
      { signal }
    );
    scroller.addEventListener(
      'pointermove',
      e => {
        const [x, y] = point(e);
        this._interacting = e.buttons !== 0;
        this._guard(() => {
          apply(viewer.pointer_move(x, y));
          const tip = e.buttons === 0 ? viewer.tooltip(x, y) : null;
          this._showTooltip(tip);
        });
      },
      { signal }
    );
    scroller.addEventListener(
      'pointerup',
      e => {
        const [x, y] = point(e);
        this._guard(() => apply(viewer.pointer_up(x, y)));
      },
      { signal }
    );
    scroller.addEventListener(
      'pointerleave',
      () => {
        tooltip.hidden = true;
        this._guard(() => apply(viewer.pointer_leave()));
      },
      { signal }
    );
    scroller.addEventListener(
      'keydown',
      e => {
        if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === 'c') {
          e.preventDefault();
          void this._copy();
          return;
        }
        const bar = [this._dom?.toolbar, this._dom?.timelineToolbar, this._dom?.graphToolbar].find(
          t => t?.node.isConnected
        );
        if (e.key === '/' && bar) {
          e.preventDefault();
          bar.search.focus();
          return;
        }
        this._guard(() => {
          const r = viewer.key(e.key, e.ctrlKey || e.metaKey, e.shiftKey);
          if (r.redraw || r.scroll_to) {
            e.preventDefault();
            e.stopPropagation();
            apply(r);
            this._showSelection();
          }
        });
      },
      { signal }
    );
    scroller.addEventListener(
      'wheel',
      e => {
        if (!viewer.wheel) {
          return;
        }
        const [x, y] = point(e);
        // Lines or pages (Firefox, some mice) in pixels.
        const unit = e.deltaMode === 1 ? 16 : e.deltaMode === 2 ? scroller.clientHeight : 1;
        this._interacting = true;
        this._guard(() => {
          const r = viewer.wheel!(x, y, e.deltaX * unit, e.deltaY * unit, e.shiftKey);
          if (r.redraw || r.scroll_to) {
            // The view's wheel (zoom, pan): not the page's.
            e.preventDefault();
            tooltip.hidden = true;
            apply(r);
          }
        });
      },
      { signal, passive: false }
    );
    scroller.addEventListener(
      'dblclick',
      e => {
        if (!viewer.double_click) {
          return;
        }
        const [x, y] = point(e);
        this._guard(() => apply(viewer.double_click!(x, y, e.shiftKey)));
      },
      { signal }
    );
    copyButton.addEventListener('click', () => void this._copy(), { signal });
    svgButton.addEventListener('click', () => this._exportSvg(), { signal });

    this._resizeObserver = new ResizeObserver(() => this._scheduleRender(true));
    this._resizeObserver.observe(viewport);
    this._resizeObserver.observe(scroller);
    this._themeKey = themeFingerprint(this.node);
    // Theme changes are picked up on the next frame (see _applyTheme).
    this._unsubscribeTheme = watchTheme(() => this._scheduleRender());
    this.node.dataset.hvWidth = String(Math.round(contentWidth));
    const respond = (r: unknown) => {
      if (r) {
        apply(r as IResponse);
        if ((r as IResponse).selection || (r as IResponse).resized) {
          this._showSelection();
        }
      }
    };
    if (views.includes('timeline') && viewer.legend) {
      this._dom.timelineToolbar = new TimelineToolbar(
        toolbarSlot,
        () => this._viewer as unknown as ITimelineViewer | null,
        respond,
        e => this._fail(e),
        signal,
        () => this._updateChrome()
      );
    }
    if (views.includes('graph')) {
      this._dom.graphToolbar = new GraphToolbar(
        toolbarSlot,
        () => this._viewer as unknown as IGraphViewer | null,
        respond,
        e => this._fail(e),
        signal
      );
    }
    if (views.includes('process-tree')) {
      const toolbar = new TreeToolbar(
        toolbarSlot,
        () => this._viewer as unknown as ITreeViewer | null,
        r => {
          if (r) {
            apply(r as IResponse);
            if ((r as IResponse).selection || (r as IResponse).resized) {
              this._showSelection();
            }
          }
        },
        e => this._fail(e),
        signal
      );
      toolbar.init(viewer as unknown as ITreeViewer);
      this._dom.toolbar = toolbar;
    }
    this._apply = apply;
    this._updateChrome();
    this._scheduleRender(true);
  }

  /**
   * Adds the payload's `datasets` to the viewer (before the first paint). `false` when
   * this build was abandoned (disposed, new payload, engine restarted) or failed.
   */
  private async _addDatasets(engine: IEngine, viewer: IViewer, datasets: IDataset[]): Promise<boolean> {
    const payload = this._payload;
    for (const d of datasets) {
      let input: Wasm.Input;
      try {
        const made = this._input(engine, d, false);
        input = made instanceof Promise ? await made : made;
      } catch (error) {
        this._fail(error);
        return false;
      }
      if (engine.generation !== this._generation) {
        return false;
      }
      if (this.isDisposed || this._payload !== payload || this._viewer !== viewer) {
        input.free();
        return false;
      }
      try {
        viewer.add_dataset?.(d.name, d.kind, input);
      } catch (error) {
        this._fail(error);
        return false;
      }
    }
    return true;
  }

  /** Status line, warnings, view choice, toolbar: whatever depends on the active view. */
  private _updateChrome(): void {
    const viewer = this._viewer;
    const dom = this._dom;
    if (!viewer || !dom) {
      return;
    }
    // Where the page refused WebAssembly, the same engine runs as JavaScript: said, as
    // it is several times slower.
    const line =
      viewer.status() + (this._engine?.kind === 'js' ? ' · JavaScript engine: this page does not allow WebAssembly' : '');
    setText(dom.status, line);
    dom.status.setAttribute('aria-label', visible(line));
    const warnings = viewer.warnings();
    dom.warnList.replaceChildren();
    for (const w of warnings) {
      setText(el('li', 'hv-warning', dom.warnList), w);
    }
    dom.warnButton.hidden = warnings.length === 0;
    setText(dom.warnButton, `⚠ ${warnings.length} warning${warnings.length === 1 ? '' : 's'}`);
    dom.warnButton.setAttribute('aria-expanded', String(!dom.warnList.hidden));
    const view = viewer.view?.() ?? 'table';
    dom.viewSelect.value = view;
    this.node.dataset.hvView = view;
    // Only the active view's toolbar is in the document (the others keep their state).
    const bars: Record<string, { node: HTMLElement } | null> = {
      'process-tree': dom.toolbar,
      timeline: dom.timelineToolbar,
      graph: dom.graphToolbar
    };
    const bar = bars[view] ?? null;
    dom.toolbarSlot.replaceChildren(...(bar ? [bar.node] : []));
    if (view === 'timeline') {
      dom.timelineToolbar?.init();
    } else if (view === 'graph') {
      dom.graphToolbar?.init();
    }
    dom.mirror.setAttribute('role', view === 'process-tree' ? 'treegrid' : 'grid');
    const labels: Record<string, string> = {
      'process-tree': 'Processes',
      timeline: 'Timeline lanes',
      graph: 'Entities'
    };
    dom.mirror.setAttribute('aria-label', labels[view] ?? 'Result rows');
  }

  private _afterViewChange(): void {
    const dom = this._dom;
    if (!dom) {
      return;
    }
    dom.detail.hidden = true;
    dom.tooltip.hidden = true;
    this._mirrorKey = '';
    this._sizeSpacer();
    dom.scroller.scrollTop = 0;
    dom.scroller.scrollLeft = 0;
    this._viewer?.set_scroll(0, 0);
    this._updateChrome();
    this._scheduleRender(true);
  }

  /** Runs a viewer call; a trap re-creates the engine and every view. */
  private _guard(fn: () => void): void {
    try {
      fn();
    } catch (error) {
      this._fail(error);
    }
  }

  private _fail(error: unknown): void {
    if (error instanceof EngineStopped) {
      return; // already shown
    }
    if (this._engine && isTrap(error)) {
      // This output crashed the engine: it shows the error and is not rebuilt (its
      // handles died with the old instance and are not freed into the new one); every
      // other output is rebuilt on the new instance.
      this._viewer = null;
      this._unsubscribeReset?.();
      this._unsubscribeReset = null;
      const panic = recover(this._engine);
      this._showError(
        `huntviz stopped while showing this result${panic ? `: ${panic}` : ''}. ` +
          'The engine was restarted and the other outputs are drawn again.'
      );
      return;
    }
    this._showError(error instanceof Error ? error.message : String(error));
  }

  /** Rebuilds after the engine was re-created (old handles are not freed). */
  private async _rebuild(): Promise<void> {
    const engine = this._engine;
    if (engine && this._generation !== engine.generation && this._building !== engine.generation) {
      this._viewer = null;
      this._releaseDom();
      await this._build();
    }
  }

  private _sizeSpacer(): void {
    const viewer = this._viewer;
    const dom = this._dom;
    if (!viewer || !dom) {
      return;
    }
    const [w, h] = viewer.content_size();
    this._contentHeight = h;
    dom.spacer.style.width = `${Math.ceil(w)}px`;
    dom.spacer.style.height = `${Math.ceil(Math.min(h, MAX_SPACER_PX))}px`;
  }

  /** Content y for the scroller's position (scaled when the content is huge). */
  private _syncScroll(): void {
    const viewer = this._viewer;
    const dom = this._dom;
    if (!viewer || !dom) {
      return;
    }
    const view = dom.scroller.clientHeight;
    const spacer = Math.min(this._contentHeight, MAX_SPACER_PX);
    const ratio =
      spacer - view > 0 ? (this._contentHeight - view) / (spacer - view) : 1;
    let y = dom.scroller.scrollTop * ratio;
    if (this._exactY !== null && Math.abs(this._exactY - y) <= ratio + 1) {
      y = this._exactY;
    }
    this._exactY = null;
    viewer.set_scroll(dom.scroller.scrollLeft, y);
  }

  private _scrollTo(x: number, y: number): void {
    const dom = this._dom;
    if (!dom || !this._viewer) {
      return;
    }
    const view = dom.scroller.clientHeight;
    const spacer = Math.min(this._contentHeight, MAX_SPACER_PX);
    const ratio =
      spacer - view > 0 ? (this._contentHeight - view) / (spacer - view) : 1;
    this._exactY = y;
    dom.scroller.scrollLeft = x;
    dom.scroller.scrollTop = y / ratio;
    this._viewer.set_scroll(x, y);
  }

  /** Draws on the next animation frame (once, however many events asked). */
  private _scheduleRender(resized = false): void {
    this._needsResize = this._needsResize || resized;
    if (this._frame !== 0 || !this._viewer) {
      return;
    }
    this._frame = requestAnimationFrame(() => {
      this._frame = 0;
      this._renderNow();
    });
  }

  private _renderNow(): void {
    const viewer = this._viewer;
    const dom = this._dom;
    if (!viewer || !dom || !this.node.isConnected) {
      return;
    }
    const w = dom.scroller.clientWidth;
    const h = dom.scroller.clientHeight;
    if (w === 0 || h === 0) {
      // Hidden (collapsed output, theme swap, background tab): draw when shown again.
      this._needsResize = true;
      return;
    }
    this._guard(() => {
      this._applyTheme(viewer);
      if (this._needsResize || w !== this._size[0] || h !== this._size[1]) {
        this._needsResize = false;
        this._size = [w, h];
        dom.canvas.style.width = `${w}px`;
        dom.canvas.style.height = `${h}px`;
        viewer.set_viewport(w, h, window.devicePixelRatio || 1);
        this._syncScroll();
      }
      // A graph lays itself out a few iterations per frame until it settles, with
      // what the last frame's drawing left of a 16 ms frame (at least 2 ms); every
      // other view returns false at once.
      // In a frame that answers the pointer or the wheel, iterations run only if they
      // fit, so dragging and zooming stay fluid; the layout catches up in the frames
      // between (at least one iteration each).
      let moving = viewer.tick ? !viewer.settled?.() : false;
      if (viewer.tick && moving) {
        const start = performance.now();
        const budget = Math.max(2, 14 - this._drawMs);
        let first = !this._interacting;
        while (moving && (first || performance.now() - start + this._tickMs <= budget)) {
          const t = performance.now();
          moving = viewer.tick();
          this._tickMs = 0.8 * this._tickMs + 0.2 * (performance.now() - t);
          first = false;
        }
      }
      this._interacting = false;
      const drawStart = performance.now();
      viewer.render();
      this._drawMs = performance.now() - drawStart;
      this._updateMirror(viewer, dom.mirror);
      this.node.dataset.hvSettled = String(!moving);
      if (moving) {
        this._scheduleRender();
      }
      this.node.dataset.hvPainted = String(Number(this.node.dataset.hvPainted ?? 0) + 1);
    });
  }

  /** Re-reads the theme when its variables changed; the data is not read again. */
  private _applyTheme(viewer: IViewer): void {
    const key = themeFingerprint(this.node);
    if (key === this._themeKey) {
      return;
    }
    this._themeKey = key;
    viewer.set_theme(JSON.stringify(readTheme(this.node)));
    this._sizeSpacer();
    this._needsResize = true;
  }

  private _updateMirror(viewer: IViewer, mirror: HTMLTableElement): void {
    const text = viewer.visible_text();
    const key = JSON.stringify([
      text.geometry,
      text.rows.map(r => [r.row, r.expanded, Math.round(r.top), Math.round(r.mark ?? 0)]),
      text.rows[0]?.cells
    ]);
    if (key === this._mirrorKey) {
      return;
    }
    this._mirrorKey = key;
    mirror.replaceChildren();
    mirror.setAttribute('aria-colcount', String(text.columns.length));
    mirror.setAttribute('aria-rowcount', String(this._rowCount(viewer) + 1));
    const head = el('tr', '', el('thead', '', mirror));
    head.setAttribute('aria-rowindex', '1');
    const first = text.first_col - 1;
    const shown = text.geometry.length;
    for (let c = first; c < first + shown && c < text.columns.length; c++) {
      const th = el('th', '', head);
      setText(th, text.columns[c]);
      th.setAttribute('aria-colindex', String(c + 1));
      const [left, width] = text.geometry[c - first] ?? [0, 0];
      th.dataset.left = String(Math.round(left));
      th.dataset.width = String(Math.round(width));
    }
    const body = el('tbody', '', mirror);
    for (const row of text.rows) {
      const tr = el('tr', '', body);
      tr.setAttribute('aria-rowindex', String(row.position + 1));
      tr.dataset.row = String(row.row);
      tr.dataset.top = String(Math.round(row.top));
      if (row.level !== undefined) {
        tr.setAttribute('aria-level', String(row.level));
      }
      if (row.expanded !== undefined && row.expanded !== null) {
        tr.setAttribute('aria-expanded', String(row.expanded));
      }
      if (row.toggle !== undefined && row.toggle !== null) {
        tr.dataset.toggle = String(Math.round(row.toggle));
      }
      if (row.mark !== undefined && row.mark !== null) {
        tr.dataset.mark = String(Math.round(row.mark));
      }
      row.cells.forEach((cell, k) => {
        const td = el('td', '', tr);
        setText(td, cell);
        td.setAttribute('aria-colindex', String(first + k + 1));
      });
    }
  }

  private _rowCount(viewer: IViewer): number {
    if (viewer.row_count) {
      return viewer.row_count();
    }
    const match = /([\d,]+) rows?/.exec(viewer.status());
    return match ? Number(match[1].replace(/,/g, '')) : 0;
  }

  private _showTooltip(tip: ITooltip | null): void {
    const dom = this._dom;
    if (!dom) {
      return;
    }
    if (!tip) {
      dom.tooltip.hidden = true;
      return;
    }
    setText(dom.tooltip, tip.text, true);
    dom.tooltip.hidden = false;
    const maxX = Math.max(0, dom.scroller.clientWidth - dom.tooltip.offsetWidth - 4);
    dom.tooltip.style.left = `${Math.min(Math.max(tip.x, 0), maxX)}px`;
    dom.tooltip.style.top = `${Math.max(tip.y, 0)}px`;
  }

  private _showSelection(): void {
    const viewer = this._viewer;
    const dom = this._dom;
    if (!viewer || !dom) {
      return;
    }
    const view = viewer.view?.();
    if (view === 'process-tree' || view === 'timeline' || view === 'graph') {
      const d = viewer.detail?.() ?? null;
      dom.detail.hidden = !d;
      dom.detail.classList.toggle('hv-detail-tree', !!d);
      if (d) {
        renderTreeDetail(
          dom.detail,
          d,
          node => this._guard(() => this._apply?.(viewer.select_node?.(node) as IResponse)),
          index => void this._copyText(viewer.detail_value?.(index)),
          view === 'process-tree'
            ? { label: 'Ancestors', separator: '›', self: true }
            : view === 'graph'
              ? { label: 'Linked', separator: '·', self: false }
              : null
        );
      }
      if (view === 'process-tree') {
        dom.toolbar?.updateFocus();
      } else if (view === 'graph') {
        dom.graphToolbar?.updateCount();
      } else {
        dom.timelineToolbar?.updateCount();
      }
      return;
    }
    if (dom.detail.classList.contains('hv-detail-tree')) {
      dom.detail.classList.remove('hv-detail-tree');
      dom.detail.replaceChildren(dom.detailLabel, dom.detailCopy, dom.detailValue);
    }
    const s = viewer.selection();
    if (!s) {
      dom.detail.hidden = true;
      return;
    }
    dom.detail.hidden = false;
    const size = s.null ? 'null' : `${s.bytes.toLocaleString('en-US')} bytes`;
    setText(
      dom.detailLabel,
      `Row ${(s.row + 1).toLocaleString('en-US')} · ${s.column} (${s.column_type}) · ${size}`
    );
    setText(dom.detailValue, s.text);
  }

  private async _copy(): Promise<void> {
    await this._copyText(this._viewer?.selection_value());
  }

  private async _copyText(value: string | undefined): Promise<void> {
    const dom = this._dom;
    if (value === undefined || !dom) {
      return;
    }
    try {
      await navigator.clipboard.writeText(value);
      dom.detail.dataset.copied = 'true';
    } catch {
      // No clipboard access (insecure context): select the shown value instead.
      const range = document.createRange();
      range.selectNodeContents(dom.detailValue);
      const sel = window.getSelection();
      sel?.removeAllRanges();
      sel?.addRange(range);
    }
  }

  private _exportSvg(): void {
    const viewer = this._viewer;
    if (!viewer) {
      return;
    }
    let svg: string;
    try {
      svg = viewer.export_svg();
    } catch (error) {
      this._fail(error);
      return;
    }
    const url = URL.createObjectURL(new Blob([svg], { type: 'image/svg+xml' }));
    const a = document.createElement('a');
    a.href = url;
    const view = viewer.view?.() ?? 'table';
    a.download = `huntviz-${/^[a-z-]{1,20}$/.test(view) ? view : 'view'}.svg`;
    a.rel = 'noopener noreferrer';
    a.click();
    URL.revokeObjectURL(url);
  }

  private _showError(message: string): void {
    this._releaseDom();
    this.node.replaceChildren();
    const bar = el('div', 'hv-statusbar', this.node);
    const status = el('span', 'hv-status', bar);
    status.setAttribute('role', 'status');
    setText(status, 'Error · huntviz could not show this result');
    status.setAttribute('aria-label', status.textContent ?? '');
    const box = el('div', 'hv-error', this.node);
    box.setAttribute('role', 'alert');
    setText(el('pre', 'hv-error-message', box), message);
  }

  /** Removes listeners, observers and the pending frame (keeps the payload). */
  private _releaseDom(): void {
    this._abort?.abort();
    this._abort = null;
    this._resizeObserver?.disconnect();
    this._resizeObserver = null;
    this._unsubscribeTheme?.();
    this._unsubscribeTheme = null;
    if (this._frame !== 0) {
      cancelAnimationFrame(this._frame);
      this._frame = 0;
    }
    this._dom = null;
    this._mirrorKey = '';
    this._size = [0, 0];
  }

  /** Frees the viewer (unless its instance is gone) and everything it listens to. */
  private _teardown(): void {
    this._releaseDom();
    this._unsubscribeReset?.();
    this._unsubscribeReset = null;
    const viewer = this._viewer;
    this._viewer = null;
    if (viewer && this._engine && this._generation === this._engine.generation) {
      viewer.free();
    }
    this._payload = null;
  }

  private _mimeType: string;
  private _load: EngineLoader;
  private _engine: IEngine | null = null;
  private _payload: IPayload | null = null;
  private _viewer: IViewer | null = null;
  private _generation = -1;
  /** The engine generation a build is under way for, if any. */
  private _building: number | null = null;
  private _dom: {
    viewport: HTMLDivElement;
    canvas: HTMLCanvasElement;
    scroller: HTMLDivElement;
    spacer: HTMLDivElement;
    tooltip: HTMLDivElement;
    detail: HTMLDivElement;
    detailLabel: HTMLSpanElement;
    detailValue: HTMLPreElement;
    mirror: HTMLTableElement;
    status: HTMLSpanElement;
    detailCopy: HTMLButtonElement;
    warnButton: HTMLButtonElement;
    warnList: HTMLUListElement;
    viewSelect: HTMLSelectElement;
    toolbar: TreeToolbar | null;
    timelineToolbar: TimelineToolbar | null;
    graphToolbar: GraphToolbar | null;
    toolbarSlot: HTMLDivElement;
  } | null = null;
  private _apply: ((r: IResponse) => void) | null = null;
  private _abort: AbortController | null = null;
  private _resizeObserver: ResizeObserver | null = null;
  private _unsubscribeTheme: (() => void) | null = null;
  private _unsubscribeReset: (() => void) | null = null;
  private _frame = 0;
  private _needsResize = false;
  private _size: [number, number] = [0, 0];
  private _contentHeight = 0;
  private _exactY: number | null = null;
  private _mirrorKey = '';
  private _themeKey = '';
  /** How long the last frame's drawing took (the layout gets the rest of a frame). */
  private _drawMs = 8;
  /** How long a layout iteration takes (moving average). */
  private _tickMs = 4;
  /** This frame answers a pointer or wheel event. */
  private _interacting = false;
}
