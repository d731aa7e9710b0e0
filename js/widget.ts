/**
 * The output widget: one per huntviz output. It builds the chrome (`chrome.ts`), wires
 * input to the viewer (`input.ts`), shows the active view's toolbar from the registry
 * (`views.ts`), and draws on the canvas once per animation frame. Every string from
 * data reaches the DOM only as `textContent`.
 */
import type { IRenderMime } from '@jupyterlab/rendermime-interfaces';
import type { ReadonlyPartialJSONObject } from '@lumino/coreutils';
import { Widget } from '@lumino/widgets';

import {
  buildChrome,
  IChrome,
  showCellSelection,
  showError,
  showStatus,
  showTooltip,
  showWarnings,
  updateMirror
} from './chrome';
import { el, setText, whenIdle } from './dom';
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
import { picture, pictureSvg, pictureTheme, pictureWriteBack, wantsPicture, withPicture } from './fallback';
import { inflateToWasm } from './inflate';
import { ILayout, Investigation, readLayout, savedLayout } from './investigation';
import { wireInput } from './input';
import { IPivotCaps, IPivotInfo, IPivotState, IUpdate, KernelLink, LinkSession, LinkState, viewIdOf } from './link';
import { IDataset, IPayload, MIME_TYPE, optionsOf, payloadIdentity, readPayload } from './payload';
import { contentY, scrollTopFor, spacerHeight } from './scroll';
import type { ISearch } from './search';
import { readTheme, themeFingerprint, watchTheme } from './theme';
import type { IToolbar, IToolbarContext } from './toolbar';
import { renderDetail } from './tree';
import type { Input, Memory, Response, Viewer, ViewKind } from './viewer';
import { VIEWS } from './views';

export type { Viewer } from './viewer';

/** Loads the engine; injectable for tests. */
export type EngineLoader = () => Promise<IEngine>;

/** Default widget height cap. */
const DEFAULT_MAX_HEIGHT = 420;
// The highest row cap a pivot can be raised to (the kernel's limit, _pivot.MAX_LIMIT).
const PIVOT_MAX_LIMIT = 10_000_000;
// The most levels a pivot's level caps can be raised to (_pivot.MAX_LEVELS).
const PIVOT_MAX_LEVELS = 1_000;

const CLASS = 'jp-HuntvizOutput';

/** A pane of an investigation: one view of its parent's parsed result. */
export interface IPane {
  /** This pane's Viewer on `canvas` (sharing the parent's session: nothing parsed again). */
  make: (canvas: HTMLCanvasElement) => Viewer;
  /** The reader changed this pane's selection: the result rows behind it. */
  selected: (rows: Uint32Array) => void;
  /** The reader ran a search (or set "matches only") in this pane. */
  searched: (search: ISearch) => void;
  /**
   * The investigation's kernel link, held by its first pane: the notebook's session,
   * the output's model (its view id, where the kernel's new data is written) and the
   * output widget (whose output area a pivot's new output joins).
   */
  link?: { session: LinkSession; model: IRenderMime.IMimeModel; host: Widget };
}

/** The panes an investigation's options ask for, in order (null: one view). */
function panesOf(spec: string, offered: ViewKind[]): ViewKind[] | null {
  let asked: unknown;
  try {
    asked = (JSON.parse(spec) as { options?: Record<string, unknown> }).options?.['panes'];
  } catch {
    return null;
  }
  // "investigation": every view the result offers, the tree and timeline first.
  const order: ViewKind[] = ['process-tree', 'timeline', 'graph', 'table'];
  let names: ViewKind[] = [];
  if (asked === 'investigation') {
    names = order.filter(v => offered.includes(v));
  } else if (Array.isArray(asked)) {
    // Views by name, each once (the engine has said what else was wrong).
    names = asked.filter((v, i): v is ViewKind => order.includes(v as ViewKind) && asked.indexOf(v) === i);
  }
  return names.length > 1 ? names : null;
}

/**
 * A huntviz output in a notebook.
 */
export class HuntvizOutput extends Widget implements IRenderMime.IRenderer {
  constructor(
    options: Pick<IRenderMime.IRendererOptions, 'mimeType'>,
    load: EngineLoader = loadEngine,
    private readonly _options: {
      exportHtml: boolean;
      fill?: boolean;
      /** The notebook's session, where the `huntviz:kernel-link` plugin made this renderer. */
      session?: LinkSession;
      /** A pane of an investigation (its parent parsed the result). */
      pane?: IPane;
    } = { exportHtml: true }
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
    mark('render');
    // The same payload again (JupyterLab renders an output once more after its bundle
    // gained a picture): the view stays as it is, nothing is parsed again.
    // Read once: JupyterLab's `model.data` hands out a deep copy (a JSON round trip of
    // the whole payload) on every read.
    const value = model.data[this._mimeType];
    const identity = payloadIdentity(value);
    const same =
      identity !== null &&
      this._identity !== null &&
      identity.rest === this._identity.rest &&
      identity.data === this._identity.data;
    if (same && this._viewer && this._payload) {
      this._model = model;
      // An investigation's layout is not part of the identity: one saved (or undone)
      // elsewhere is laid out here without parsing again.
      this._investigation?.apply(readLayout(optionsOf(value)['layout'], this._panes.length));
      return;
    }
    // A rewrite from the kernel (`v.update`, a pivot) knows nothing of the layout the
    // reader made: the same panes keep it (also when the output is rendered again
    // before they are built).
    if (this._investigation) {
      this._keptLayout = {
        panes: this.node.dataset.hvPanes ?? '',
        layout: savedLayout(this._investigation.layout)
      };
    }
    this._teardown();
    // What became of the static picture is said again for this rendering.
    delete this.node.dataset.hvPicture;
    this._model = model;
    this._identity = identity;
    let payload: IPayload;
    try {
      payload = readPayload(value);
    } catch (error) {
      this._showError(error instanceof Error ? error.message : String(error));
      return;
    }
    await this._start(payload);
  }

  /**
   * Renders a payload that is not an output's (a result file opened as a document):
   * no picture is written back for it.
   */
  async renderPayload(payload: IPayload): Promise<void> {
    this._teardown();
    this._model = null;
    this._identity = null;
    await this._start(payload);
  }

  /** Renders this pane of an investigation on `engine`, which its parent opened. */
  async renderPane(engine: IEngine, payload: IPayload): Promise<void> {
    this._payload = payload;
    this._engine = engine;
    await this._build();
  }

  /**
   * Selects what `rows` (another pane's selection) are in this pane's view. Not said
   * back: a linked selection does not travel on.
   */
  linkRows(rows: Uint32Array): void {
    const viewer = this._viewer;
    if (!viewer || typeof viewer.select_rows !== 'function') {
      return;
    }
    this._linking = true;
    this._linkedRows = rows;
    try {
      this._guard(() => {
        this._apply(viewer.select_rows(rows));
        this._showSelection();
      });
    } finally {
      this._linking = false;
      this._linkedRows = null;
    }
  }

  /** Runs another pane's search and filter in this one (not said back). */
  linkSearch(search: ISearch): void {
    this._guard(() => this._activeToolbar()?.searchFor(search));
  }

  /** Loads the engine and builds the view of `payload`. */
  private async _start(payload: IPayload): Promise<void> {
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
  get viewer(): Viewer | null {
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
    payload: Pick<IPayload, 'text' | 'packed' | 'stream'>,
    announce = true
  ): Input | Promise<Input> {
    if (payload.stream) {
      return payload.stream(
        engine.memory,
        len => new engine.module.Input(len),
        note => {
          if (announce) {
            const status = el('div', 'hv-loading', undefined, note);
            status.setAttribute('role', 'status');
            this.node.replaceChildren(status);
          }
        }
      );
    }
    if (!payload.packed) {
      return encodeToWasm(engine, payload.text);
    }
    const { base64, size } = payload.packed;
    if (announce) {
      const note = el(
        'div',
        'hv-loading',
        undefined,
        `Unpacking ${(size / 1e6).toLocaleString('en-US', { maximumFractionDigits: 1 })} MB result…`
      );
      note.setAttribute('role', 'status');
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
    const pane = this._options.pane;
    let input: Input | null = null;
    if (!pane) {
      try {
        // Text payloads are encoded synchronously: no extra frame before the first paint.
        const made = this._input(engine, payload);
        input = made instanceof Promise ? await made : made;
        mark('unpacked');
      } catch (error) {
        this._fail(error);
        return;
      }
    }
    if (engine.generation !== generation) {
      // The engine restarted while unpacking: this handle died with it; the reset
      // listener rebuilds this output.
      return;
    }
    if (this.isDisposed || this._payload !== payload || this._engine !== engine) {
      input?.free();
      return;
    }
    const signal = (this._abort = new AbortController()).signal;
    if (input && panesOf(payload.spec, ['process-tree', 'timeline', 'graph', 'table'])) {
      await this._buildInvestigation(engine, payload, input, signal);
      return;
    }
    const dom = buildChrome(this.node, pane ? null : payload.title, signal);

    let viewer: Viewer;
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
        pane
          ? pane.make(dom.canvas)
          : new engine.module.Viewer(dom.canvas, input!, payload.spec, JSON.stringify(readTheme(this.node))),
        error => this._fail(error),
        hook
      );
    } catch (error) {
      this._fail(error);
      return;
    }
    this._viewer = viewer;
    this._generation = engine.generation;
    mark('built');
    if (!pane && payload.datasets.length > 0 && !(await this._addDatasets(engine, viewer, payload.datasets))) {
      return;
    }
    this.node.dataset.hvBuilds = String(Number(this.node.dataset.hvBuilds) + 1);
    this._dom = dom;

    const views = pane ? [] : viewer.views();
    if (views.length > 1) {
      for (const v of views) {
        el('option', '', dom.viewSelect, v.title).value = v.id;
      }
      dom.viewSelect.hidden = false;
      dom.viewSelect.addEventListener(
        'change',
        () =>
          this._guard(() => {
            viewer.set_view(dom.viewSelect.value);
            this._afterViewChange();
          }),
        { signal }
      );
    }
    const [contentWidth, contentHeight] = viewer.content_size();
    if (this._options.fill) {
      // A document: the view takes the height the document area gives it (CSS).
      this.addClass('hv-fill');
    } else {
      const height = payload.height ?? Math.min(contentHeight + 18, DEFAULT_MAX_HEIGHT);
      dom.viewport.style.height = `${Math.ceil(height)}px`;
    }
    this._sizeSpacer();

    dom.scroller.addEventListener(
      'scroll',
      () => {
        this._syncScroll();
        dom.tooltip.hidden = true;
        this._scheduleRender();
      },
      { signal, passive: true }
    );
    wireInput(
      dom.scroller,
      {
        viewer: () => this._viewer,
        apply: r => this._apply(r),
        showSelection: () => this._showSelection(),
        showTooltip: tip => showTooltip(dom, tip),
        copy: () => void this._copy(),
        focusSearch: () => {
          const search = this._activeToolbar()?.search;
          search?.focus();
          return !!search;
        },
        interacting: () => {
          this._interacting = true;
        },
        guard: fn => this._guard(fn)
      },
      signal
    );
    dom.detailCopy.addEventListener('click', () => void this._copy(), { signal });
    dom.exportButton.addEventListener('click', () => this._exportSvg(), { signal });
    dom.exportHtmlButton.hidden = !this._options.exportHtml;
    dom.exportHtmlButton.addEventListener('click', () => void this._exportHtml(), { signal });

    this._resizeObserver = new ResizeObserver(() => this._scheduleRender(true));
    this._resizeObserver.observe(dom.viewport);
    this._resizeObserver.observe(dom.scroller);
    // A pane's view took the theme its parent read (maybe before the output was on the
    // page): its own is applied at its first drawing.
    this._themeKey = pane ? '' : themeFingerprint(this.node);
    // Theme changes are picked up on the next frame (see _applyTheme).
    this._unsubscribeTheme = watchTheme(() => this._scheduleRender());
    this.node.dataset.hvWidth = String(Math.round(contentWidth));

    // A toolbar for every view the result offers, made once (each keeps its state
    // while another view is shown).
    const context: IToolbarContext = {
      viewer: () => this._viewer,
      apply: r => {
        if (r) {
          this._apply(r);
          if (r.resized && !r.selection) {
            // Rows came or went (a fold, "matches only"): the detail panel again; the
            // selection itself did not change, so neither the kernel nor the other
            // panes are told (at a million rows that is most of a filter's cost).
            this._showSelection(false);
          }
        }
      },
      fail: e => this._fail(e),
      rebuilt: () => this._updateChrome(),
      signal,
      searched: search => this._options.pane?.searched(search)
    };
    for (const v of views) {
      const make = VIEWS[v.id].toolbar;
      if (make) {
        this._toolbars.set(v.id, make(dom.toolbarSlot, context));
      }
    }
    if (pane) {
      // The pane's own view's toolbar (a pane shows one view).
      const make = VIEWS[viewer.view()].toolbar;
      if (make) {
        this._toolbars.set(viewer.view(), make(dom.toolbarSlot, context));
      }
    }
    this._updateChrome();
    if (!pane || pane.link) {
      this._startLink(dom);
    }
    // Rendered again with the kernel's new data: where the reader was, and what was selected.
    const keep = this._keep;
    this._keep = null;
    const [w, h] = [dom.scroller.clientWidth, dom.scroller.clientHeight];
    if (keep && w > 0 && h > 0) {
      // The viewport first: bringing the selection into view needs its height.
      this._guard(() => viewer.set_viewport(w, h, window.devicePixelRatio || 1));
      const m = keep.memory;
      if (m && typeof viewer.remember === 'function') {
        this._guard(() =>
          this._apply(
            viewer.remember(
              Uint32Array.from(m.open),
              Uint32Array.from(m.shut),
              m.open_inferred,
              m.shut_inferred,
              m.hosts_shut,
              Float32Array.from(m.camera)
            )
          )
        );
      }
      dom.scroller.scrollTop = keep.top;
      dom.scroller.scrollLeft = keep.left;
      this._syncScroll();
      if (keep.row !== null && typeof viewer.select_row === 'function') {
        const row = keep.row;
        this._guard(() => {
          this._apply(viewer.select_row(row));
          this._showSelection();
        });
      }
    }
    this._scheduleRender(true);
  }

  /**
   * An investigation: the result parsed once (this output's Viewer, on a canvas never
   * shown), then a pane per view, each a `HuntvizOutput` whose Viewer shares it. A
   * selection in one pane selects the same result rows in the others.
   */
  private async _buildInvestigation(
    engine: IEngine,
    payload: IPayload,
    input: Input,
    signal: AbortSignal
  ): Promise<void> {
    let primary: Viewer;
    try {
      primary = guarded(
        new engine.module.Viewer(
          document.createElement('canvas'),
          input,
          payload.spec,
          JSON.stringify(readTheme(this.node))
        ),
        error => this._fail(error),
        () => undefined
      );
    } catch (error) {
      this._fail(error);
      return;
    }
    this._viewer = primary;
    this._generation = engine.generation;
    if (payload.datasets.length > 0 && !(await this._addDatasets(engine, primary, payload.datasets))) {
      return;
    }
    const offered = primary.views();
    const kinds =
      panesOf(
        payload.spec,
        offered.map(v => v.id)
      ) ?? [];
    this.node.replaceChildren();
    if (payload.title) {
      el('div', 'hv-title', this.node, payload.title);
    }
    const options = (JSON.parse(payload.spec) as { options?: Record<string, unknown> }).options ?? {};
    const kept = this._keptLayout;
    this._keptLayout = null;
    const keep = options['layout'] === undefined && kept !== null && kept.panes === kinds.join(' ');
    const layout = keep ? kept.layout : readLayout(options['layout'], kinds.length);
    const session = this._options.session;
    const model = this._model;
    const panes = kinds.map((kind, i) => {
      const child: HuntvizOutput = new HuntvizOutput({ mimeType: this._mimeType }, this._load, {
        exportHtml: false,
        fill: true,
        pane: {
          make: canvas => primary.pane(canvas, kind),
          selected: rows => this._linkFrom(child, rows),
          searched: search => {
            const started = performance.now();
            for (const p of this._panes) {
              if (p !== child) {
                p.linkSearch(search);
              }
            }
            // How long a search or "matches only" took to reach every pane (the benchmark reads it).
            this.node.dataset.hvSearchMs = (performance.now() - started).toFixed(2);
            this.node.dataset.hvSearchOnly = String(search.only);
          },
          // The kernel link (selections → v.selected, pivots) on the first pane.
          link: i === 0 && session && model ? { session, model, host: this } : undefined
        }
      });
      child.node.dataset.hvPane = kind;
      return child;
    });
    this._panes = panes;
    const titles: Record<ViewKind, string> = {
      'process-tree': 'Process tree',
      timeline: 'Timeline',
      graph: 'Entity graph',
      table: 'Table'
    };
    const height = payload.height ?? (layout.direction === 'row' ? 560 : Math.min(360 * kinds.length, 1400));
    this._investigation = new Investigation(
      this.node,
      kinds.map((kind, i) => ({ title: titles[kind], view: kind, node: panes[i].node })),
      layout,
      height,
      changed => this._saveLayout(changed),
      signal,
      [
        { label: 'Export SVG', className: 'hv-export', run: () => this._exportPanesSvg() },
        ...(this._options.exportHtml
          ? [{ label: 'Export HTML', className: 'hv-export-html', run: () => void this._exportHtml() }]
          : [])
      ]
    );
    this.node.dataset.hvPanes = kinds.join(' ');
    this.node.dataset.hvBuilds = String(Number(this.node.dataset.hvBuilds) + 1);
    const paneOf: IPayload = { ...payload, title: null, height: null, datasets: [] };
    await Promise.all(panes.map(p => p.renderPane(engine, paneOf)));
    if (keep) {
      this._saveLayout(layout); // and saved with the rewritten output
    }
    whenIdle(1000, () => this._writePanesPicture());
  }

  /**
   * The whole investigation as one SVG, as laid out: each open pane's drawing (the
   * engine's vector export of what it shows) where the pane is. `light`: in the light
   * theme the static picture uses (each pane's own theme again right after).
   */
  private _panesSvg(light: boolean): { svg: string; width: number; height: number } | null {
    const row = this.node.querySelector('.hv-panes');
    if (!row) {
      return null;
    }
    const box = row.getBoundingClientRect();
    const parts: string[] = [];
    for (const p of this._panes) {
      const scroller = p.node.querySelector('.hv-scroller');
      const viewer = p.viewer;
      if (!scroller || !viewer || !p.node.isConnected || p.node.offsetParent === null) {
        continue; // collapsed
      }
      const at = scroller.getBoundingClientRect();
      const page = readTheme(p.node);
      let svg: string;
      if (light) {
        viewer.set_theme(pictureTheme(page));
      }
      try {
        svg = viewer.export_svg();
      } finally {
        if (light) {
          viewer.set_theme(JSON.stringify(page));
        }
      }
      const x = Math.round(at.left - box.left);
      const y = Math.round(at.top - box.top);
      // Nested <svg> placed at the pane (the engine's export is a whole SVG document).
      parts.push(svg.replace(/^\s*(<\?xml[^>]*>\s*)?<svg\b/, `<svg x="${x}" y="${y}"`));
    }
    const width = Math.round(box.width);
    const height = Math.round(box.height);
    const svg =
      `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">` +
      `${parts.join('\n')}</svg>`;
    return { svg, width, height };
  }

  /** Downloads the whole investigation as one SVG. */
  private _exportPanesSvg(): void {
    let whole: { svg: string } | null = null;
    try {
      whole = this._panesSvg(false);
    } catch (error) {
      this._fail(error);
      return;
    }
    if (whole) {
      this._download(new Blob([whole.svg], { type: 'image/svg+xml' }), 'huntviz-investigation.svg');
    }
  }

  /**
   * The static fallback of an investigation: one picture of every open pane as laid
   * out, written as a single view's is (once, trusted, where asked for), when every
   * pane has drawn (the graph laid out).
   */
  private _writePanesPicture(tries = 0): void {
    const model = this._model;
    const payload = this._payload;
    if (!model || !payload || this.isDisposed || this._panes.length === 0) {
      return;
    }
    const skip = pictureSkip(model, payload);
    if (skip) {
      this.node.dataset.hvPicture = skip;
      return;
    }
    // Every open pane drawn (a collapsed one is not in the picture, and never draws).
    const collapsed = this._investigation?.layout.collapsed ?? [];
    const ready = this._panes.every(
      (p, i) => collapsed[i] || (p.node.dataset.hvPainted && p.node.dataset.hvSettled !== 'false')
    );
    if (!ready) {
      if (tries < 30) {
        whenIdle(1000, () => this._writePanesPicture(tries + 1));
      }
      return;
    }
    let whole: { svg: string; width: number; height: number } | null = null;
    this._guard(() => {
      whole = this._panesSvg(true);
    });
    if (!whole) {
      return;
    }
    const { svg, width, height } = whole;
    this._storePicture(model, svg, width, height);
  }

  /** A pane's selection, made in the others: the same result rows. */
  private _linkFrom(from: HuntvizOutput, rows: Uint32Array): void {
    const started = performance.now();
    for (const p of this._panes) {
      if (p !== from) {
        p.linkRows(rows);
      }
    }
    // How long the selection took to reach every pane (the benchmark reads it).
    this.node.dataset.hvLinkMs = (performance.now() - started).toFixed(2);
    this.node.dataset.hvLinked = String(rows.length);
  }

  /**
   * Saves the reader's layout with the output's options, so the notebook reopens as it
   * was left. Only the options change: the result is not parsed or drawn again.
   */
  private _saveLayout(layout: ILayout): void {
    const model = this._model;
    if (!model) {
      return;
    }
    const value = model.data[this._mimeType];
    const saved = withLayout(value, savedLayout(layout));
    if (saved === null) {
      return;
    }
    // The same identity (layout is not part of it): renderModel keeps the panes.
    this._identity = payloadIdentity(saved);
    model.setData({ data: { ...model.data, [this._mimeType]: saved } as ReadonlyPartialJSONObject });
  }

  /** Applies a viewer reply: cursor, size, scroll, redraw, selection. */
  private _apply(r: Response): void {
    const dom = this._dom;
    if (!dom) {
      return;
    }
    dom.scroller.style.cursor = r.cursor;
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
    // What is selected or shown changed ("matches only"): the status line counts it.
    const viewer = this._viewer;
    if ((r.selection || r.resized) && viewer) {
      this._showStatus(viewer, dom);
    }
    if (r.redraw) {
      this._activeToolbar()?.update();
    }
  }

  /** The toolbar of the active view, if it has one. */
  private _activeToolbar(): IToolbar | null {
    const bar = this._toolbars.get(this._view);
    return bar?.node.isConnected ? bar : null;
  }

  /**
   * Adds the payload's `datasets` to the viewer (before the first paint). `false` when
   * this build was abandoned (disposed, new payload, engine restarted) or failed.
   */
  private async _addDatasets(engine: IEngine, viewer: Viewer, datasets: IDataset[]): Promise<boolean> {
    const payload = this._payload;
    for (const d of datasets) {
      let input: Input;
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
        viewer.add_dataset(d.name, d.kind, input);
      } catch (error) {
        this._fail(error);
        return false;
      }
    }
    return true;
  }

  /** The status line (it counts what is selected or shown when that is not everything). */
  private _showStatus(viewer: Viewer, dom: IChrome): void {
    // Where the page refused WebAssembly, the same engine runs as JavaScript: said, as
    // it is several times slower.
    showStatus(
      dom,
      viewer.status() +
        (this._engine?.kind === 'js' ? ' · JavaScript engine: this page does not allow WebAssembly' : '')
    );
  }

  /** Status line, warnings, view choice, toolbar: whatever depends on the active view. */
  private _updateChrome(): void {
    const viewer = this._viewer;
    const dom = this._dom;
    if (!viewer || !dom) {
      return;
    }
    this._showStatus(viewer, dom);
    showWarnings(dom, viewer.warnings());
    const view = viewer.view();
    this._view = view;
    dom.viewSelect.value = view;
    this.node.dataset.hvView = view;
    // Only the active view's toolbar is in the document (the others keep their state).
    const bar = this._toolbars.get(view);
    dom.toolbarSlot.replaceChildren(...(bar ? [bar.node] : []));
    bar?.init();
    const { role, label } = VIEWS[view].mirror;
    dom.mirror.setAttribute('role', role);
    dom.mirror.setAttribute('aria-label', label);
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
    dom.spacer.style.height = `${spacerHeight(h)}px`;
  }

  /** Hands the viewer the content position of the scroller's. */
  private _syncScroll(): void {
    const viewer = this._viewer;
    const dom = this._dom;
    if (!viewer || !dom) {
      return;
    }
    const y = contentY(dom.scroller.scrollTop, this._contentHeight, dom.scroller.clientHeight, this._exactY);
    this._exactY = null;
    viewer.set_scroll(dom.scroller.scrollLeft, y);
  }

  private _scrollTo(x: number, y: number): void {
    const dom = this._dom;
    if (!dom || !this._viewer) {
      return;
    }
    this._exactY = y;
    dom.scroller.scrollLeft = x;
    dom.scroller.scrollTop = scrollTopFor(y, this._contentHeight, dom.scroller.clientHeight);
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
      // A view that works over frames (a graph's layout) runs a few steps per frame
      // until it settles, with what the last frame's drawing left of a 16 ms frame (at
      // least 2 ms); every other view is settled at once. In a frame that answers the
      // pointer or the wheel, steps run only if they fit, so dragging and zooming stay
      // fluid; the layout catches up in the frames between (at least one step each).
      let moving = !viewer.settled();
      if (moving) {
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
      // The last drawing's time: an investigation's benchmark reads each pane's.
      this.node.dataset.hvDrawMs = this._drawMs.toFixed(1);
      this._mirrorKey = updateMirror(dom.mirror, viewer.visible_text(), viewer.row_count(), this._mirrorKey);
      this.node.dataset.hvSettled = String(!moving);
      if (moving) {
        this._scheduleRender();
      } else if (!this._pictureTried) {
        this._pictureTried = true;
        // When the page is idle, not in this frame: drawing and encoding the picture
        // kept the first frame off the screen (65 ms at 100,000 rows).
        whenIdle(1000, () => {
          if (this._viewer === viewer && this._dom === dom && !this.isDisposed) {
            this._guard(() => this._writePicture(viewer, this._size[0], this._size[1]));
          }
        });
      }
      this.node.dataset.hvPainted = String(Number(this.node.dataset.hvPainted ?? 0) + 1);
    });
  }

  /**
   * Writes the static fallback picture into the output's bundle, once, after the first
   * complete drawing (a graph: once laid out): only where the kernel asked for one
   * (`fallback` auto or png), the bundle has none, the output is trusted (a freshly run
   * cell; an untrusted notebook is never modified by opening it) and the user has not
   * turned it off. Never on interaction.
   */
  private _writePicture(viewer: Viewer, width: number, height: number): void {
    const model = this._model;
    const payload = this._payload;
    if (!model || !payload) {
      return;
    }
    const skip = pictureSkip(model, payload);
    if (skip) {
      this.node.dataset.hvPicture = skip;
      return;
    }
    const svg = pictureSvg(viewer, readTheme(this.node), { width, height, dpr: window.devicePixelRatio || 1 });
    // The viewport is the reader's again: scroll back where the scroller is, and draw
    // now: sizing the canvas for the picture cleared it, and nothing else may redraw
    // it before the reader looks (a blank grid until the next scroll).
    this._syncScroll();
    viewer.render();
    this._storePicture(model, svg.svg, svg.width, svg.height);
  }

  /**
   * Rasterises `svg` and writes the picture into the output's bundle (in place of the
   * kernel's HTML summary), unless the output was rendered again meanwhile; says how it
   * went in `data-hv-picture`.
   */
  private _storePicture(model: IRenderMime.IMimeModel, svg: string, width: number, height: number): void {
    void picture(svg, width, height).then(pic => {
      if (this._model !== model || this.isDisposed) {
        return;
      }
      if (!pic) {
        this.node.dataset.hvPicture = 'too-large-or-refused';
        return;
      }
      const next = withPicture(model.data as Record<string, unknown>, model.metadata as Record<string, unknown>, pic);
      // The payload is unchanged: the render that follows keeps the view as it is.
      this._identity = payloadIdentity(next.data[this._mimeType]);
      model.setData({
        data: next.data as ReadonlyPartialJSONObject,
        metadata: next.metadata as ReadonlyPartialJSONObject
      });
      this.node.dataset.hvPicture = `${pic.width}x${pic.height}`;
    });
  }

  /** Re-reads the theme when its variables changed; the data is not read again. */
  private _applyTheme(viewer: Viewer): void {
    const key = themeFingerprint(this.node);
    if (key === this._themeKey) {
      return;
    }
    this._themeKey = key;
    viewer.set_theme(JSON.stringify(readTheme(this.node)));
    this._sizeSpacer();
    this._needsResize = true;
  }

  /**
   * Links this output to the kernel that made it, when it carries a `view_id` and was
   * rendered in a notebook (its session); says where the link stands beside the status.
   */
  private _startLink(dom: IChrome): void {
    const session = this._options.session ?? this._options.pane?.link?.session;
    const model = this._linkModel();
    const viewId = model ? viewIdOf(model.metadata, this._mimeType) : null;
    if (!session || !viewId) {
      return;
    }
    const badge = el('span', 'hv-kernel-link', undefined);
    dom.status.after(badge);
    const show = (state: LinkState, why: string) => {
      badge.dataset.state = state;
      setText(badge, state === 'on' ? 'linked to the kernel' : state === 'connecting' ? 'linking…' : 'kernel link off');
      badge.title =
        state === 'on'
          ? 'Selections reach Python: v.selected'
          : state === 'off'
            ? `Not linked${why ? `: ${why}` : ''}. Run the cell again to link it.`
            : 'Waiting for the kernel (it answers once the running cell finishes)';
      if (state === 'on') {
        this._sendSelection();
      }
    };
    const error = el('span', 'hv-kernel-error', undefined);
    error.setAttribute('role', 'alert');
    badge.after(error);
    const pivots = this._pivotBar(dom, badge);
    this._link = new KernelLink(session, viewId, show, reply => {
      if (reply.type === 'pivots') {
        pivots.offer(reply.pivots);
      } else if (reply.type === 'pivot') {
        pivots.progress(reply);
      } else if (reply.type === 'update') {
        this._writeUpdate(reply);
      } else if (reply.type === 'output') {
        if (!this._addOutput(reply) && this._pivotState) {
          pivots.progress({
            ...this._pivotState,
            state: 'error',
            message: `${this._pivotState.label}: no output area to add its result to here: it is in v.pivot_result`
          });
        }
      } else if (reply.type === 'select') {
        // Python's `v.select(rows)`: the first row's item (views select one item).
        const viewer = this._viewer;
        if (viewer && reply.rows.length > 0 && typeof viewer.select_row === 'function') {
          this._guard(() => this._apply(viewer.select_row(reply.rows[0])));
        }
      } else if (reply.type === 'selected') {
        // How many rows Python holds now (`v.selected`): also what the benchmark waits for.
        this.node.dataset.hvKernelSelected = String(reply.count);
        setText(error, '');
      } else {
        setText(error, `Python: ${reply.message}`);
      }
    });
    show(this._link.state, '');
  }

  /**
   * The pivots the kernel offers for the selected rows (`huntviz.pivot`): a button
   * each, a Cancel while one runs, what it added, and a way past its row cap. Only
   * pivot ids and row positions go to the kernel.
   */
  private _pivotBar(
    dom: IChrome,
    after: HTMLElement
  ): { offer: (pivots: IPivotInfo[]) => void; progress: (p: IPivotState) => void } {
    const bar = el('div', 'hv-pivots', undefined);
    bar.hidden = true;
    bar.setAttribute('role', 'group');
    bar.setAttribute('aria-label', 'Pivots');
    el('span', 'hv-pivots-label', bar, 'Pivot:');
    const buttons = el('span', 'hv-pivots-buttons', bar);
    const status = el('span', 'hv-pivot-status', bar);
    status.setAttribute('role', 'status');
    const cancel = el('button', 'hv-pivot-cancel', bar, 'Cancel');
    cancel.type = 'button';
    cancel.hidden = true;
    const raise = el('button', 'hv-pivot-raise', bar);
    raise.type = 'button';
    raise.hidden = true;
    // Under the status line and the link badge, above the view.
    (after.parentElement ?? this.node).after(bar);
    const run = (id: string, caps?: IPivotCaps) => {
      const viewer = this._viewer;
      if (!viewer || typeof viewer.selected_rows !== 'function') {
        return;
      }
      this._guard(() => {
        const last = this._pivotRun;
        const rows = last && caps !== undefined ? last.rows : viewer.selected_rows();
        if (rows.length === 0) {
          setText(status, 'Select something to pivot on first');
          return;
        }
        if (this._link?.sendPivot(id, rows, caps)) {
          this._pivotRun = { id, rows };
        }
      });
    };
    cancel.addEventListener('click', () => this._link?.cancelPivot());
    raise.addEventListener('click', () => {
      if (this._pivotRun) {
        run(this._pivotRun.id, JSON.parse(raise.dataset.caps ?? '{}') as IPivotCaps);
      }
    });
    const progress = (p: IPivotState) => {
      // Kept by the widget: the kernel's update renders the output again, with a new bar.
      this._pivotState = p;
      bar.dataset.state = p.state;
      cancel.hidden = p.state !== 'running';
      raise.hidden = true;
      const detailButtons = this._dom?.detail.querySelectorAll<HTMLButtonElement>('.hv-detail-pivots button') ?? [];
      for (const b of [...Array.from(buttons.children), ...Array.from(detailButtons)] as HTMLButtonElement[]) {
        b.disabled = p.state === 'running';
      }
      if (p.state === 'running') {
        setText(status, `${p.label}: running…`);
      } else if (p.state === 'cancelled') {
        setText(status, `${p.label}: cancelled`);
      } else if (p.state === 'error') {
        setText(status, p.message);
      } else {
        const rows = `${p.added.toLocaleString('en-US')} row${p.added === 1 ? '' : 's'}`;
        if (p.opened > 0) {
          const opened = `${p.opened.toLocaleString('en-US')} row${p.opened === 1 ? '' : 's'}`;
          setText(status, `${p.label}: ${opened} in a new output below (they do not fit this view: ${p.why})`);
          return;
        }
        // What cut the result, and the next run's caps: ten times the rows, twice the levels.
        const said: string[] = [];
        const caps: IPivotCaps = {};
        const offers: string[] = [];
        if (p.capped) {
          said.push(`capped at ${p.limit.toLocaleString('en-US')} rows`);
          if (p.limit * 10 <= PIVOT_MAX_LIMIT) {
            caps.limit = p.limit * 10;
            offers.push(`${caps.limit.toLocaleString('en-US')} rows`);
          }
        }
        if (p.beyond > 0) {
          const levels = [
            p.ancestors !== undefined ? `${p.ancestors} up` : '',
            p.descendants !== undefined ? `${p.descendants} down` : ''
          ].filter(Boolean);
          const many = `${p.beyond.toLocaleString('en-US')} process${p.beyond === 1 ? '' : 'es'}`;
          said.push(`${many} beyond the level cap${levels.length > 1 ? 's' : ''} (${levels.join(', ')})`);
          for (const key of ['ancestors', 'descendants'] as const) {
            const v = p[key];
            if (v !== undefined && v < PIVOT_MAX_LEVELS) {
              caps[key] = Math.min(PIVOT_MAX_LEVELS, Math.max(1, v * 2));
              offers.push(`${caps[key]} ${key === 'ancestors' ? 'up' : 'down'}`);
            }
          }
        }
        setText(status, `${p.label}: added ${rows}${said.length ? `; ${said.join('; ')}` : ''}`);
        if (offers.length > 0) {
          raise.dataset.caps = JSON.stringify(caps);
          setText(raise, `Raise to ${offers.join(', ')}`);
          raise.hidden = false;
        }
      }
    };
    if (this._pivotState) {
      progress(this._pivotState);
    }
    this._contextMenu(dom, () => offered, run);
    let offered: IPivotInfo[] = [];
    return {
      offer: pivots => {
        offered = pivots;
        buttons.replaceChildren();
        for (const p of pivots) {
          const b = el('button', 'hv-pivot', buttons, p.label);
          b.type = 'button';
          b.dataset.kind = p.kind;
          const levels = [
            p.ancestors !== undefined ? `${p.ancestors} levels up` : '',
            p.descendants !== undefined ? `${p.descendants} levels down` : ''
          ].filter(Boolean);
          b.title = `${p.kind} pivot: ${p.label} (at most ${p.limit.toLocaleString('en-US')} rows added${levels.length ? `, ${levels.join(' and ')}` : ''})`;
          b.addEventListener('click', () => run(p.id));
        }
        bar.hidden = pivots.length === 0;
        this._detailPivots = { offered: pivots, run };
        this._showDetailPivots();
      },
      progress
    };
  }

  /**
   * The pivots in the detail panel of the selected item, under its title: the same
   * buttons as the bar's, shown while something with result rows is selected.
   */
  private _showDetailPivots(): void {
    const detail = this._dom?.detail;
    const viewer = this._viewer;
    if (!detail || !viewer) {
      return;
    }
    detail.querySelector('.hv-detail-pivots')?.remove();
    const pivots = this._detailPivots;
    const head = detail.querySelector('.hv-detail-head');
    if (!pivots || pivots.offered.length === 0 || !head || detail.hidden) {
      return;
    }
    const rows = typeof viewer.selected_rows === 'function' ? viewer.selected_rows().length : 0;
    if (rows === 0) {
      return; // an inferred process: nothing of the result to pivot on
    }
    const group = el('div', 'hv-detail-pivots', undefined);
    group.setAttribute('role', 'group');
    group.setAttribute('aria-label', 'Pivots on the selection');
    el('span', 'hv-pivots-label', group, 'Pivot:');
    for (const p of pivots.offered) {
      const b = el('button', 'hv-pivot', group, p.label);
      b.type = 'button';
      b.dataset.kind = p.kind;
      b.title = `${p.kind} pivot: ${p.label}`;
      b.disabled = this._pivotState?.state === 'running';
      b.addEventListener('click', () => pivots.run(p.id));
    }
    head.after(group);
  }

  /**
   * The pivots as a context menu on the view: a right-click on an item selects it when
   * nothing is selected, then lists the pivots that apply to the selection. Without
   * pivots (or a link) the browser's own menu opens.
   */
  private _contextMenu(dom: IChrome, pivots: () => IPivotInfo[], run: (id: string) => void): void {
    const signal = this._abort?.signal;
    let menu: HTMLElement | null = null;
    const close = () => {
      menu?.remove();
      menu = null;
    };
    dom.scroller.addEventListener(
      'contextmenu',
      e => {
        const viewer = this._viewer;
        const offered = pivots();
        if (!viewer || offered.length === 0 || this._link?.state !== 'on') {
          return;
        }
        e.preventDefault();
        close();
        const box = dom.scroller.getBoundingClientRect();
        const [x, y] = [e.clientX - box.left, e.clientY - box.top];
        let rows = 0;
        this._guard(() => {
          if (viewer.selected_rows().length === 0) {
            // What is under the pointer, as a click selects it.
            viewer.pointer_down(x, y, false);
            this._apply(viewer.pointer_up(x, y));
            this._showSelection();
          }
          rows = viewer.selected_rows().length;
        });
        menu = el('div', 'hv-menu', this.node);
        menu.setAttribute('role', 'menu');
        const home = this.node.getBoundingClientRect();
        menu.style.left = `${Math.round(e.clientX - home.left)}px`;
        menu.style.top = `${Math.round(e.clientY - home.top)}px`;
        el(
          'div',
          'hv-menu-title',
          menu,
          rows
            ? `Pivot on ${rows.toLocaleString('en-US')} selected row${rows === 1 ? '' : 's'}`
            : 'Select something to pivot on'
        );
        for (const p of offered) {
          const item = el('button', 'hv-menu-item', menu, `${p.label} (${p.kind})`);
          item.type = 'button';
          item.setAttribute('role', 'menuitem');
          item.disabled = rows === 0;
          item.addEventListener('click', () => {
            close();
            run(p.id);
          });
        }
        const first = menu.querySelector<HTMLButtonElement>('.hv-menu-item:not([disabled])');
        first?.focus();
        menu.addEventListener('keydown', k => {
          if (k.key === 'Escape') {
            close();
            dom.scroller.focus();
          }
        });
      },
      { signal }
    );
    document.addEventListener(
      'pointerdown',
      e => {
        if (menu && !menu.contains(e.target as Node)) {
          close();
        }
      },
      { signal, capture: true }
    );
  }

  /**
   * Adds a new output under this one in the same cell (a pivot's result that does not
   * fit this view): the output area's model gains it, so it renders, links to the
   * kernel (its own view id) and is saved. Outside an output area, says so.
   */
  /** The model the kernel link writes to: this output's, or an investigation's. */
  private _linkModel(): IRenderMime.IMimeModel | null {
    return this._model ?? this._options.pane?.link?.model ?? null;
  }

  private _addOutput(output: IUpdate): boolean {
    type OutputArea = { add: (output: Record<string, unknown>) => number };
    const host = this._options.pane?.link?.host ?? this;
    let at: { parent: unknown; model?: unknown } | null = host.parent as unknown as { parent: unknown };
    let area: OutputArea | null = null;
    for (let depth = 0; at && depth < 4 && !area; depth++) {
      const model = at.model as Partial<OutputArea> | undefined;
      if (model && typeof model.add === 'function' && 'length' in model) {
        area = model as OutputArea;
      }
      at = at.parent as typeof at;
    }
    if (!area) {
      return false;
    }
    area.add({
      output_type: 'display_data',
      data: { ...output.bundle, [this._mimeType]: output.value },
      metadata: output.metadata
    });
    return true;
  }

  /**
   * Writes the kernel's new bundle for this output into the notebook (a pivot's
   * merge, `v.update`, `v.add`): JupyterLab renders it again through this renderer,
   * which keeps the selection and the scroll, and the saved notebook holds it.
   */
  private _writeUpdate(update: IUpdate): void {
    const model = this._linkModel();
    const viewer = this._viewer;
    const dom = this._dom;
    if (!model) {
      return;
    }
    if (viewer && dom && typeof viewer.selected_rows === 'function') {
      this._guard(() => {
        const rows = viewer.selected_rows();
        this._keep = {
          row: rows.length > 0 ? rows[0] : null,
          top: dom.scroller.scrollTop,
          left: dom.scroller.scrollLeft,
          // Folds (by row and host) and a moved graph camera.
          memory: typeof viewer.memory === 'function' ? viewer.memory() : null
        };
      });
    }
    const data: Record<string, unknown> = { ...update.bundle, [this._mimeType]: update.value };
    model.setData({
      data: data as ReadonlyPartialJSONObject,
      metadata: update.metadata as ReadonlyPartialJSONObject
    });
  }

  /** The selection's result rows to the kernel, when linked. */
  private _sendSelection(): void {
    const viewer = this._viewer;
    if (!viewer || !this._link || this._link.state !== 'on' || typeof viewer.selected_rows !== 'function') {
      return;
    }
    const linked = this._linkedRows;
    this._guard(() =>
      this._link?.sendSelection(
        // A selection made in another pane of an investigation: its rows as made.
        linked ?? viewer.selected_rows(),
        !linked && this._view === 'process-tree' ? viewer.selected_subtree_rows() : null,
        !linked && this._view === 'graph' && typeof viewer.selected_entities === 'function'
          ? viewer.selected_entities()
          : []
      )
    );
  }

  /**
   * The detail panel of the selected item, or the grid's detail bar of a cell; with
   * `tell`, the kernel link and the investigation's other panes get the new selection.
   */
  private _showSelection(tell = true): void {
    const viewer = this._viewer;
    const dom = this._dom;
    if (!viewer || !dom) {
      return;
    }
    const pane = this._options.pane;
    if (tell) {
      this._sendSelection();
      if (pane && !this._linking && typeof viewer.selected_rows === 'function') {
        pane.selected(viewer.selected_rows());
      }
    }
    const chain = VIEWS[this._view].chain;
    if (chain === undefined) {
      showCellSelection(dom, viewer.selection());
      return;
    }
    const d = viewer.detail();
    dom.detail.hidden = !d;
    dom.detail.classList.toggle('hv-detail-tree', !!d);
    if (d) {
      renderDetail(
        dom.detail,
        d,
        item => this._guard(() => this._apply(viewer.select(item))),
        index => void this._copyText(viewer.detail_value(index)),
        chain
      );
      this._showDetailPivots();
    }
    this._activeToolbar()?.selectionChanged();
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
    // The view's name comes from the engine's list of views, never from data.
    this._download(new Blob([svg], { type: 'image/svg+xml' }), `huntviz-${this._view}.svg`);
  }

  /** Downloads a one-file report of this output (its payload as saved). */
  private async _exportHtml(): Promise<void> {
    const model = this._model;
    const payload = this._payload;
    if (!model || !payload) {
      return;
    }
    try {
      const [{ reportPage }, { reportTemplate }] = await Promise.all([import('./report'), import('./report-asset')]);
      const page = reportPage(await reportTemplate(), payload.title ?? 'huntviz report', model.data[this._mimeType]);
      this._download(new Blob([page], { type: 'text/html' }), `huntviz-${this._view}.html`);
    } catch (error) {
      this._fail(error);
    }
  }

  /** Saves a blob under `name` (the browser's download). */
  private _download(blob: Blob, name: string): void {
    const url = URL.createObjectURL(blob);
    const a = document.createElement('a');
    a.href = url;
    a.download = name;
    a.rel = 'noopener noreferrer';
    a.click();
    URL.revokeObjectURL(url);
  }

  private _showError(message: string): void {
    this._releaseDom();
    showError(this.node, message);
  }

  /** Removes listeners, observers and the pending frame (keeps the payload). */
  private _releaseDom(): void {
    this._link?.dispose();
    this._link = null;
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
    this._toolbars.clear();
    this._mirrorKey = '';
    this._size = [0, 0];
  }

  /** Frees the viewer (unless its instance is gone) and everything it listens to. */
  private _teardown(): void {
    // An investigation's panes first: their Viewers share this one's result.
    for (const p of this._panes) {
      p.dispose();
    }
    this._panes = [];
    this._investigation = null;
    this._releaseDom();
    this._unsubscribeReset?.();
    this._unsubscribeReset = null;
    const viewer = this._viewer;
    this._viewer = null;
    if (viewer && this._engine && this._generation === this._engine.generation) {
      viewer.free();
    }
    this._payload = null;
    this._identity = null;
    this._pictureTried = false;
  }

  private _mimeType: string;
  /** The model last rendered (the picture is written into it). */
  private _model: IRenderMime.IMimeModel | null = null;
  /** What identifies its payload (a re-render of the same one changes nothing). */
  private _identity: { rest: string; data: unknown } | null = null;
  /** The picture was written, or there was no reason to. */
  private _pictureTried = false;
  private _load: EngineLoader;
  private _engine: IEngine | null = null;
  private _payload: IPayload | null = null;
  private _viewer: Viewer | null = null;
  private _generation = -1;
  /** The engine generation a build is under way for, if any. */
  private _building: number | null = null;
  private _dom: IChrome | null = null;
  /** The active view (from the engine). */
  private _view: ViewKind = 'table';
  private _toolbars = new Map<ViewKind, IToolbar>();
  private _abort: AbortController | null = null;
  private _resizeObserver: ResizeObserver | null = null;
  private _unsubscribeTheme: (() => void) | null = null;
  private _unsubscribeReset: (() => void) | null = null;
  private _link: KernelLink | null = null;
  // What to restore when the kernel's update renders this output again.
  private _keep: { row: number | null; top: number; left: number; memory: Memory | null } | null = null;
  // The last pivot asked for (its rows: what a raised cap runs on again) and where it stands.
  private _pivotRun: { id: string; rows: Uint32Array } | null = null;
  private _pivotState: IPivotState | null = null;
  /** The pivots offered now and how to run one: for the detail panel. */
  private _detailPivots: { offered: IPivotInfo[]; run: (id: string) => void } | null = null;
  /** An investigation's panes and their layout (empty for one view). */
  private _panes: HuntvizOutput[] = [];
  private _investigation: Investigation | null = null;
  /** The layout of the panes a rewrite replaced (their kinds, in order). */
  private _keptLayout: { panes: string; layout: ILayout } | null = null;
  /** A linked selection is being applied (not said back to the other panes). */
  private _linking = false;
  /** Its rows, for the kernel link. */
  private _linkedRows: Uint32Array | null = null;
  private _frame = 0;
  private _needsResize = false;
  private _size: [number, number] = [0, 0];
  private _contentHeight = 0;
  private _exactY: number | null = null;
  private _mirrorKey = '';
  private _themeKey = '';
  /** How long the last frame's drawing took (the layout gets the rest of a frame). */
  private _drawMs = 8;
  /** How long a layout step takes (moving average). */
  private _tickMs = 4;
  /** This frame answers a pointer or wheel event. */
  private _interacting = false;
}

/**
 * A User Timing mark (`huntviz:<stage>`) per rendering stage, for profilers and the
 * JupyterLab benchmark (bench/lab.mjs): render called, payload in wasm memory, view
 * built.
 */
/**
 * Why no static picture is written for this output (`data-hv-picture`, for tests and
 * for the curious), or null when one is: only where the kernel asked for one, the
 * setting allows it, the output is trusted and its bundle has none yet.
 */
function pictureSkip(model: IRenderMime.IMimeModel, payload: IPayload): string | null {
  return !wantsPicture(payload.fallback)
    ? 'not-asked'
    : !pictureWriteBack()
      ? 'off'
      : !model.trusted
        ? 'untrusted'
        : model.data['image/png'] !== undefined
          ? 'present'
          : null;
}

/**
 * The payload `value` (an object, or its text form) with `options.layout` set; null
 * when it is neither.
 */
function withLayout(value: unknown, layout: ILayout): string | Record<string, unknown> | null {
  const set = (header: Record<string, unknown>) => {
    const options = header['options'];
    const own = options !== null && typeof options === 'object' && !Array.isArray(options) ? options : {};
    return { ...header, options: { ...own, layout } };
  };
  if (typeof value === 'string') {
    const end = value.indexOf('\n');
    if (end < 0) {
      return null;
    }
    try {
      const header = JSON.parse(value.slice(0, end)) as Record<string, unknown>;
      return JSON.stringify(set(header)) + value.slice(end);
    } catch {
      return null;
    }
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return null;
  }
  return set(value as Record<string, unknown>);
}

function mark(stage: string): void {
  // Not every host has User Timing (jsdom, some embedded webviews).
  globalThis.performance?.mark?.(`huntviz:${stage}`);
}
