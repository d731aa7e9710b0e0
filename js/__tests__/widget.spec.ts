import type { IRenderMime } from '@jupyterlab/rendermime-interfaces';
import { Widget } from '@lumino/widgets';

import type { IEngine } from '../engine';
import { MIME_TYPE } from '../payload';
import { themeSubscriberCount } from '../theme';
import { HuntvizOutput } from '../widget';

/** Calls every fake viewer received, by method. */
const calls: string[] = [];
let failOn: string | null = null;

/** The fake instance's linear memory: a reset replaces it, as a real one does. */
let memory = new WebAssembly.Memory({ initial: 4 });
const INPUT_AT = 1024;

/** The engine's input buffer, at a fixed place in the fake memory. */
class FakeInput {
  constructor(private size: number) {}
  ptr() {
    return INPUT_AT;
  }
  len() {
    return this.size;
  }
  resize(n: number) {
    this.size = n;
  }
  truncate(n: number) {
    this.size = Math.min(this.size, n);
  }
  text() {
    return new TextDecoder().decode(new Uint8Array(memory.buffer, INPUT_AT, this.size));
  }
}

class FakeViewer {
  static built = 0;
  freed = 0;
  text: string;
  constructor(
    readonly canvas: HTMLCanvasElement,
    input: FakeInput,
    readonly spec: string
  ) {
    const text = (this.text = input.text());
    if (text.startsWith('BAD')) {
      throw new Error("expected a JSON value, found 'B' (line 1, column 1, byte 0)");
    }
    FakeViewer.built += 1;
  }
  private call<T>(name: string, value: T): T {
    calls.push(name);
    if (failOn === name) {
      throw new WebAssembly.RuntimeError('unreachable');
    }
    return value;
  }
  free() {
    this.freed += 1;
    calls.push('free');
  }
  status() {
    return 'Table · 2 rows × 1 column · 2 warnings';
  }
  warnings() {
    return [
      { kind: 'structure', message: 'first <b>warning</b>' },
      { kind: 'option', message: 'second' }
    ];
  }
  views() {
    return [{ id: 'table', title: 'Table' }];
  }
  view() {
    return 'table';
  }
  row_count() {
    return 2;
  }
  settled() {
    return true;
  }
  tick() {
    return false;
  }
  content_size() {
    return [300, 100];
  }
  set_viewport() {
    this.call('set_viewport', undefined);
  }
  set_scroll() {
    this.call('set_scroll', undefined);
  }
  set_theme() {
    this.call('set_theme', undefined);
  }
  render() {
    this.call('render', undefined);
  }
  /** What the next pointer_down replies (a drag's cursor and capture flag). */
  static down = { cursor: 'default', capture: false };
  pointer_down() {
    return this.call('pointer_down', {
      redraw: false,
      resized: false,
      scroll_to: null,
      selection: false,
      ...FakeViewer.down
    });
  }
  pointer_move() {
    return this.call('pointer_move', {
      redraw: false,
      resized: false,
      scroll_to: null,
      cursor: 'default',
      selection: false,
      capture: false
    });
  }
  pointer_up() {
    return this.call('pointer_up', {
      redraw: false,
      resized: false,
      scroll_to: null,
      cursor: 'default',
      selection: false,
      capture: false
    });
  }
  pointer_leave() {
    return this.call('pointer_leave', {
      redraw: false,
      resized: false,
      scroll_to: null,
      cursor: 'default',
      selection: false,
      capture: false
    });
  }
  key() {
    return this.call('key', {
      redraw: true,
      resized: false,
      scroll_to: null,
      cursor: 'default',
      selection: false,
      capture: false
    });
  }
  tooltip() {
    return null;
  }
  selection() {
    return null;
  }
  selection_value() {
    return undefined;
  }
  visible_text() {
    return { columns: [], first_col: 1, geometry: [], rows: [] };
  }
  export_svg() {
    return '<svg/>';
  }
}

let resets = 0;
const engine: IEngine = {
  module: {
    Viewer: FakeViewer,
    Input: FakeInput,
    last_panic: () => 'panicked at crates/grid/src/lib.rs:1:1',
    __wbg_reset_state: () => {
      resets += 1;
      memory = new WebAssembly.Memory({ initial: 4 });
    },
    engine_memory: () => memory
  } as unknown as IEngine['module'],
  memory,
  generation: 0
};

function model(data: unknown): IRenderMime.IMimeModel {
  return {
    trusted: false,
    data: { [MIME_TYPE]: data },
    metadata: {},
    setData: () => undefined
  } as unknown as IRenderMime.IMimeModel;
}

async function render(data: unknown, load = () => Promise.resolve(engine)): Promise<HuntvizOutput> {
  const w = new HuntvizOutput({ mimeType: MIME_TYPE, sanitizer: {} as never, resolver: null } as never, load);
  Widget.attach(w, document.body);
  await w.renderModel(model(data));
  return w;
}

/** Lets queued rebuilds (microtasks) run to the end. */
async function settle(): Promise<void> {
  for (let i = 0; i < 100; i++) {
    await Promise.resolve();
  }
}

beforeEach(() => {
  calls.length = 0;
  failOn = null;
  document.body.replaceChildren();
});

describe('HuntvizOutput', () => {
  it('shows the status line as text and as its accessible name, and warnings on demand', async () => {
    const w = await render({ data: 'x', title: '<img src=x onerror="alert(1)">' });
    const status = w.node.querySelector('.hv-status')!;
    expect(status.textContent).toBe('Table · 2 rows × 1 column · 2 warnings');
    expect(status.getAttribute('aria-label')).toBe(status.textContent);
    expect(status.getAttribute('role')).toBe('status');
    expect(w.node.querySelector('.hv-title')!.textContent).toBe('<img src=x onerror="alert(1)">');
    const toggle = w.node.querySelector<HTMLButtonElement>('.hv-warnings-toggle')!;
    const list = w.node.querySelector<HTMLUListElement>('.hv-warnings')!;
    expect(toggle.textContent).toBe('⚠ 2 warnings');
    expect(list.hidden).toBe(true);
    toggle.click();
    expect(list.hidden).toBe(false);
    expect(toggle.getAttribute('aria-expanded')).toBe('true');
    expect([...list.querySelectorAll('li')].map(li => li.textContent)).toEqual(['first <b>warning</b>', 'second']);
    // Data never becomes markup.
    expect(w.node.querySelectorAll('img, b, script')).toHaveLength(0);
    w.dispose();
  });

  it('shows a clear message for a payload it cannot use, or one the engine rejects', async () => {
    const none = await render({ nodata: 1 });
    expect(none.node.querySelector('.hv-error[role="alert"]')!.textContent).toContain('has no "data"');
    const bad = await render({ data: 'BAD' });
    expect(bad.node.querySelector('.hv-error')!.textContent).toBe(
      "expected a JSON value, found 'B' (line 1, column 1, byte 0)"
    );
    expect(bad.node.querySelector('.hv-status')!.textContent).toBe('Error · huntviz could not show this result');
  });

  it('explains a WebAssembly start failure (Content-Security-Policy)', async () => {
    const w = await render({ data: 'x' }, () => Promise.reject(new WebAssembly.CompileError('refused')));
    expect(w.node.querySelector('.hv-error')!.textContent).toContain("'wasm-unsafe-eval'");
  });

  it('captures the pointer when the view says a drag began, whatever the cursor', async () => {
    const w = await render({ data: 'x' });
    const scroller = w.node.querySelector<HTMLDivElement>('.hv-scroller')!;
    const captured: number[] = [];
    scroller.setPointerCapture = (id: number) => void captured.push(id);
    const press = (id: number) => {
      const e = new MouseEvent('pointerdown', { bubbles: true });
      Object.defineProperty(e, 'pointerId', { value: id });
      scroller.dispatchEvent(e);
    };
    FakeViewer.down = { cursor: 'grabbing', capture: false };
    press(1);
    FakeViewer.down = { cursor: 'default', capture: true };
    press(2);
    FakeViewer.down = { cursor: 'default', capture: false };
    expect(captured).toEqual([2]);
    // The reply's cursor is the scroller's.
    FakeViewer.down = { cursor: 'col-resize', capture: true };
    press(3);
    FakeViewer.down = { cursor: 'default', capture: false };
    expect(scroller.style.cursor).toBe('col-resize');
    expect(captured).toEqual([2, 3]);
    w.dispose();
  });

  it('frees its viewer once and drops every listener and subscription on dispose', async () => {
    const before = themeSubscriberCount();
    const w = await render({ data: 'x' });
    expect(themeSubscriberCount()).toBe(before + 1);
    const scroller = w.node.querySelector('.hv-scroller')!;
    const viewer = w.viewer as unknown as FakeViewer;
    scroller.dispatchEvent(new Event('pointerleave'));
    expect(calls).toContain('pointer_leave');
    w.dispose();
    expect(viewer.freed).toBe(1);
    expect(themeSubscriberCount()).toBe(before);
    calls.length = 0;
    scroller.dispatchEvent(new Event('pointerleave'));
    scroller.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowDown' }));
    expect(calls).toEqual([]);
    w.dispose();
    expect(viewer.freed).toBe(1);
  });

  it('hands the engine the exact text, non-ASCII included', async () => {
    const text = 'é 😀 \u202e ' + 'x'.repeat(100);
    const w = await render({ data: text });
    expect((w.viewer as unknown as FakeViewer).text).toBe(text);
    w.dispose();
  });

  it('renders the same payload again without parsing it again (a bundle that gained a picture)', async () => {
    const w = await render({ data: 'x', view: 'table' });
    const first = w.viewer;
    const built = FakeViewer.built;
    // JupyterLab renders again after setData, with a fresh copy of the same payload.
    await w.renderModel(model({ data: 'x', view: 'table' }));
    expect(w.viewer).toBe(first);
    expect(FakeViewer.built).toBe(built);
    expect(w.node.dataset.hvBuilds).toBe('1');
    // A different payload is a new view.
    await w.renderModel(model({ data: 'x', view: 'graph' }));
    expect(w.viewer).not.toBe(first);
    expect(FakeViewer.built).toBe(built + 1);
    w.dispose();
  });

  it('re-renders a new model in place, freeing the previous viewer', async () => {
    const w = await render({ data: 'x' });
    const first = w.viewer as unknown as FakeViewer;
    await w.renderModel(model({ data: 'y' }));
    expect(first.freed).toBe(1);
    expect(w.viewer).not.toBe(first);
    expect(w.node.querySelectorAll('.hv-status')).toHaveLength(1);
    w.dispose();
  });

  it('after a trap, restarts the engine, reports it, and rebuilds other outputs', async () => {
    const other = await render({ data: 'other' });
    const w = await render({ data: 'x' });
    const otherViewer = other.viewer as unknown as FakeViewer;
    const built = FakeViewer.built;
    failOn = 'key';
    w.node.querySelector('.hv-scroller')!.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowDown' }));
    failOn = null;
    expect(resets).toBe(1);
    expect(w.node.querySelector('.hv-error')!.textContent).toContain('panicked at crates/grid/src/lib.rs:1:1');
    await settle();
    // The other output got a new viewer from the new instance, its payload written into
    // the new instance's memory; the old handle is not freed into the new instance.
    expect(engine.memory).toBe(memory);
    expect(FakeViewer.built).toBe(built + 1);
    expect(other.viewer).not.toBe(otherViewer);
    expect((other.viewer as unknown as FakeViewer).text).toBe('other');
    expect(other.node.querySelector('.hv-status')!.textContent).toBe('Table · 2 rows × 1 column · 2 warnings');
    expect(otherViewer.freed).toBe(0);
    other.dispose();
    w.dispose();
    expect(otherViewer.freed).toBe(0);
  });

  it('catches a trap in any engine call, not only the ones the widget guards itself', async () => {
    const other = await render({ data: 'other' });
    const w = await render({ data: 'x' });
    const before = resets;
    // A toolbar, legend or search box calls the viewer directly.
    failOn = 'pointer_leave';
    expect(() => w.viewer!.pointer_leave()).toThrow('the huntviz engine stopped');
    failOn = null;
    expect(resets).toBe(before + 1);
    expect(w.node.querySelector('.hv-error')!.textContent).toContain('huntviz stopped while showing this result');
    await settle();
    expect((other.viewer as unknown as FakeViewer).text).toBe('other');
    // An ordinary error is the caller's to show, not a restart.
    other.dispose();
    w.dispose();
  });
});
