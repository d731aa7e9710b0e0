/**
 * Input wiring: pointer, keyboard, wheel and double-click on the scroller go to the
 * viewer, and its replies come back to the output. Pointer capture is the view's
 * decision (`Response.capture`: a drag began), not a guess from the cursor.
 */
import type { Response, Tooltip, Viewer } from './viewer';

/** What the output does with the viewer's replies. */
export interface IInputHost {
  /** The viewer (null once torn down). */
  viewer(): Viewer | null;
  /** Applies a reply (cursor, size, scroll, redraw, selection). */
  apply(response: Response): void;
  /** Refreshes the detail bar or panel. */
  showSelection(): void;
  /** Shows a tooltip (null hides it). */
  showTooltip(tip: Tooltip | null): void;
  /** Copies the selection's exact value. */
  copy(): void;
  /** Focuses the active toolbar's search box; whether there is one. */
  focusSearch(): boolean;
  /** This frame answers the pointer or the wheel (the graph's layout yields to it). */
  interacting(): void;
  /** Runs a viewer call; a trap restarts the engine. */
  guard(fn: () => void): void;
}

/** Wires `scroller`'s input events to the viewer until `signal` aborts. */
export function wireInput(scroller: HTMLElement, host: IInputHost, signal: AbortSignal): void {
  const point = (e: MouseEvent): [number, number] => {
    const r = scroller.getBoundingClientRect();
    return [e.clientX - r.left, e.clientY - r.top];
  };
  const on = <K extends keyof HTMLElementEventMap>(
    type: K,
    fn: (e: HTMLElementEventMap[K], viewer: Viewer) => void,
    passive?: boolean
  ) =>
    scroller.addEventListener(
      type,
      e => {
        const viewer = host.viewer();
        if (viewer) {
          fn(e, viewer);
        }
      },
      { signal, passive }
    );

  on('pointerdown', (e, viewer) => {
    const [x, y] = point(e);
    if (x > scroller.clientWidth || y > scroller.clientHeight) {
      return; // the native scrollbars
    }
    scroller.focus({ preventScroll: true });
    host.guard(() => {
      // Ctrl (⌘ on a Mac): add to the selection, or brush a time range on a timeline.
      const r =
        (e.ctrlKey || e.metaKey) && typeof viewer.pointer_down_add === 'function'
          ? viewer.pointer_down_add(x, y)
          : viewer.pointer_down(x, y, e.shiftKey);
      // Drags (column resize, pan, box zoom, the overview window) follow the pointer
      // outside the view.
      if (r.capture) {
        scroller.setPointerCapture(e.pointerId);
      }
      host.apply(r);
      host.showSelection();
    });
  });
  on('pointermove', (e, viewer) => {
    const [x, y] = point(e);
    if (e.buttons !== 0) {
      host.interacting();
    }
    host.guard(() => {
      host.apply(viewer.pointer_move(x, y));
      host.showTooltip(e.buttons === 0 ? viewer.tooltip(x, y) : null);
    });
  });
  on('pointerup', (e, viewer) => {
    const [x, y] = point(e);
    host.guard(() => host.apply(viewer.pointer_up(x, y)));
  });
  on('pointerleave', (_e, viewer) => {
    host.showTooltip(null);
    host.guard(() => host.apply(viewer.pointer_leave()));
  });
  on('keydown', (e, viewer) => {
    if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === 'c') {
      e.preventDefault();
      host.copy();
      return;
    }
    if (e.key === '/' && host.focusSearch()) {
      e.preventDefault();
      return;
    }
    host.guard(() => {
      const r = viewer.key(e.key, e.ctrlKey || e.metaKey, e.shiftKey);
      if (r.redraw || r.scroll_to) {
        e.preventDefault();
        e.stopPropagation();
        host.apply(r);
        host.showSelection();
      }
    });
  });
  on(
    'wheel',
    (e, viewer) => {
      const [x, y] = point(e);
      // Lines or pages (Firefox, some mice) in pixels.
      const unit = e.deltaMode === 1 ? 16 : e.deltaMode === 2 ? scroller.clientHeight : 1;
      host.interacting();
      host.guard(() => {
        const r = viewer.wheel(x, y, e.deltaX * unit, e.deltaY * unit, e.shiftKey);
        if (r.redraw || r.scroll_to) {
          // The view's wheel (zoom, pan): not the page's.
          e.preventDefault();
          host.showTooltip(null);
          host.apply(r);
        }
      });
    },
    false
  );
  on('dblclick', (e, viewer) => {
    const [x, y] = point(e);
    host.guard(() => host.apply(viewer.double_click(x, y, e.shiftKey)));
  });
}
