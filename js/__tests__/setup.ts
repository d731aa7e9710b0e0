// jsdom lacks these browser APIs; the widget uses them.
import { TextDecoder, TextEncoder } from 'node:util';

Object.assign(globalThis, { TextEncoder, TextDecoder });

if (typeof window !== 'undefined') {
  class ResizeObserverStub {
    static live = 0;
    constructor(private readonly callback: () => void) {}
    observe(): void {
      ResizeObserverStub.live += 1;
      this.callback();
    }
    disconnect(): void {
      ResizeObserverStub.live = 0;
    }
  }
  Object.assign(globalThis, { ResizeObserver: ResizeObserverStub });

  // jsdom has no canvas: the widget copes with a missing 2D context.
  HTMLCanvasElement.prototype.getContext = (() => null) as unknown as HTMLCanvasElement['getContext'];

  // Lumino's drag-and-drop module subclasses DragEvent, which jsdom lacks.
  if (typeof (globalThis as { DragEvent?: unknown }).DragEvent === 'undefined') {
    Object.assign(globalThis, { DragEvent: class DragEvent extends MouseEvent {} });
  }
}
