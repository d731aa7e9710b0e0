/**
 * What every view's toolbar has in common, and the registry of toolbars by view kind:
 * the widget asks the registry, never a view name.
 */
import type { ISearch } from './search';
import type { Command, Response, Viewer, ViewKind } from './viewer';

/** What a toolbar gets from its output. */
export interface IToolbarContext {
  /** The output's viewer (null while it is rebuilt). */
  readonly viewer: () => Viewer | null;
  /** Takes a viewer reply: redraw, scroll, selection. */
  readonly apply: (response: Response | undefined) => void;
  /** Shows an error (a trap restarts the engine). */
  readonly fail: (error: unknown) => void;
  /** The view was built again (new lanes): the status line and warnings change. */
  readonly rebuilt: () => void;
  /** Ends every listener of this build. */
  readonly signal: AbortSignal;
  /** The reader ran a search (an investigation runs it in its other panes too). */
  readonly searched?: (search: ISearch) => void;
}

/** A view's toolbar. */
export interface IToolbar {
  readonly node: HTMLElement;
  /** Its search box (`/` focuses it). */
  readonly search: HTMLInputElement;
  /** Reads what the view shows; called each time the view is shown. */
  init(): void;
  /** After a redraw (a timeline's visible range). */
  update(): void;
  /** After the selection changed. */
  selectionChanged(): void;
  /** Runs a linked pane's search (and its "matches only") as if set here; not said back. */
  searchFor(search: ISearch): void;
}

/** Makes a view's toolbar. */
export type ToolbarFactory = (parent: HTMLElement, context: IToolbarContext) => IToolbar;

/** How a view's detail panel lists the items related to the selected one. */
export interface IChain {
  label: string;
  separator: string;
  /** The selected item ends the chain (a process after its ancestors). */
  self: boolean;
}

/** What the output shows for one kind of view. */
export interface IViewChrome {
  /** Its toolbar, if it has one. */
  toolbar?: ToolbarFactory;
  /**
   * The detail panel: absent for the grid (a cell's detail bar), `null` for a detail
   * without related items.
   */
  chain?: IChain | null;
  /** The accessibility mirror's role and name. */
  mirror: { role: 'grid' | 'treegrid'; label: string };
}

/** Runs `command` on the viewer and applies its reply; errors go to `fail`. */
export function command(context: IToolbarContext, c: Command): void {
  try {
    context.apply(context.viewer()?.command(c));
  } catch (error) {
    context.fail(error);
  }
}

/** An event listener whose errors go to `fail`. */
export function guard(context: IToolbarContext, fn: () => void): () => void {
  return () => {
    try {
      fn();
    } catch (error) {
      context.fail(error);
    }
  };
}

/** A toolbar button. */
export function onClick(button: HTMLElement, context: IToolbarContext, fn: () => void): void {
  button.addEventListener('click', guard(context, fn), { signal: context.signal });
}

export type { ViewKind };
