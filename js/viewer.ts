/**
 * The engine's viewer as the plugin sees it: the wasm-bindgen class, whose methods
 * return the boundary types generated from the Rust types (`types.ts`).
 */
import type * as Wasm from './pkg/huntviz_wasm';
import type { Response } from './types';

export type * from './types';

/** One output's viewer (the WebAssembly engine's, or the same API as JavaScript). */
export type Viewer = Wasm.Viewer;

/** The engine's input buffer. */
export type Input = Wasm.Input;

/** The reply that redraws everything (after a new search or a rebuilt view). */
export const REDRAW: Response = {
  redraw: true,
  resized: true,
  scroll_to: null,
  cursor: 'default',
  selection: false,
  capture: false
};
