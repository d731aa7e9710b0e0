/**
 * The link between a rendered output and the kernel that made it (issue 16).
 *
 * JupyterLab gives MIME renderers no kernel (jupyterlab#5954), so the `huntviz:kernel-link`
 * plugin puts a huntviz factory on each notebook's own rendermime that hands its
 * renderers the notebook's session (the jupyter_bokeh / pyviz_comms pattern). A renderer
 * whose output carries a `view_id` (MIME metadata, written by `huntviz.show` in a live
 * kernel) opens a comm to the kernel's `huntviz` target with that id. The kernel answers
 * only for ids it created; any other kernel (a restart, another notebook's, one without
 * huntviz) closes the comm and the output stays as it renders from a saved notebook, saying
 * the link is off. The browser sends ids, row positions and pivot ids — never code.
 * Row positions travel as one little-endian u32 buffer, not JSON.
 */
import type { DocumentRegistry } from '@jupyterlab/docregistry';
import type { Kernel } from '@jupyterlab/services';
import type { JSONObject } from '@lumino/coreutils';
import type { Entity } from './types';

/** The comm target `huntviz` registers in the kernel. */
export const COMM_TARGET = 'huntviz';

/** Where the link stands, as the view shows it. */
export type LinkState = 'connecting' | 'on' | 'off';

/** A session the link follows: the notebook's. */
export type LinkSession = Pick<
  DocumentRegistry.IContext<DocumentRegistry.IModel>['sessionContext'],
  'session' | 'statusChanged' | 'kernelChanged'
>;

/** A pivot the kernel offers for this output (`huntviz.pivot`). */
export interface IPivotInfo {
  id: string;
  kind: string;
  label: string;
  limit: number;
  /** Level caps on a process tree (parent links up / down), when the pivot has them. */
  ancestors?: number;
  descendants?: number;
}

/** A pivot's caps as the view raises them: rows, and the levels the pivot caps. */
export interface IPivotCaps {
  limit?: number;
  ancestors?: number;
  descendants?: number;
}

/** Where a pivot run stands, as the kernel reports it. */
export interface IPivotState {
  state: 'running' | 'done' | 'error' | 'cancelled';
  label: string;
  added: number;
  capped: boolean;
  limit: number;
  message: string;
  /** Rows that did not fit this view, opened in a new output instead (and why). */
  opened: number;
  why: string;
  /** The run's level caps (when the pivot has them) and how many processes lay beyond. */
  ancestors?: number;
  descendants?: number;
  beyond: number;
}

/** The output's new bundle (`v.update`, `v.add`, a pivot's merge), to write into the notebook. */
export interface IUpdate {
  value: string | Record<string, unknown>;
  bundle: Record<string, unknown>;
  metadata: Record<string, unknown>;
}

/**
 * What the kernel says: how many rows it holds, an error, rows Python selects, the
 * pivots it offers, a pivot's progress, or the output's new data.
 */
export type LinkReply =
  | { type: 'selected'; count: number }
  | { type: 'error'; message: string }
  | { type: 'select'; rows: Uint32Array }
  | { type: 'pivots'; pivots: IPivotInfo[] }
  | ({ type: 'pivot' } & IPivotState)
  | ({ type: 'update' } & IUpdate)
  | ({ type: 'output' } & IUpdate);

// The most selected entities (and their properties) sent to the kernel at once.
const MAX_ENTITIES_SENT = 10_000;

const PIVOT_STATES = ['running', 'done', 'error', 'cancelled'];

/** The pivots of a kernel message, only as far as they are what huntviz sends. */
export function pivotsOf(value: unknown): IPivotInfo[] {
  if (!Array.isArray(value)) {
    return [];
  }
  return value.flatMap(p => {
    const r = (p ?? {}) as Record<string, unknown>;
    return typeof r['id'] === 'string' &&
      typeof r['kind'] === 'string' &&
      typeof r['label'] === 'string' &&
      typeof r['limit'] === 'number'
      ? [{ id: r['id'], kind: r['kind'], label: r['label'].slice(0, 200), limit: r['limit'], ...levelsOf(r) }]
      : [];
  });
}

/** The level caps a kernel message gives (whole numbers only). */
function levelsOf(r: Record<string, unknown>): Pick<IPivotInfo, 'ancestors' | 'descendants'> {
  const out: Pick<IPivotInfo, 'ancestors' | 'descendants'> = {};
  for (const key of ['ancestors', 'descendants'] as const) {
    const v = r[key];
    if (typeof v === 'number' && Number.isInteger(v) && v >= 0) {
      out[key] = v;
    }
  }
  return out;
}

/** The metadata `huntviz.show` writes beside the payload. */
export function viewIdOf(metadata: unknown, mimeType: string): string | null {
  const entry = (metadata as Record<string, unknown> | null | undefined)?.[mimeType];
  const id = (entry as Record<string, unknown> | null | undefined)?.['view_id'];
  // A uuid4 in hex from huntviz; anything else (an edited notebook) never links.
  return typeof id === 'string' && /^[0-9a-f]{32}$/.test(id) ? id : null;
}

/** One output's link to its kernel. */
export class KernelLink {
  constructor(
    private readonly _session: LinkSession,
    private readonly _viewId: string,
    private readonly _onState: (state: LinkState, why: string) => void,
    private readonly _onReply: (reply: LinkReply) => void = () => undefined
  ) {
    this._session.statusChanged.connect(this._statusChanged, this);
    this._session.kernelChanged.connect(this._kernelChanged, this);
    this._open();
  }

  get state(): LinkState {
    return this._state;
  }

  /**
   * Sends the selection's result rows (ascending positions) to the kernel, and those of
   * its subtree when the view has one (a process tree).
   */
  sendSelection(rows: Uint32Array, subtree: Uint32Array | null = null, entities: Entity[] = []): void {
    const comm = this._comm;
    if (this._state !== 'on' || !comm || comm.isDisposed) {
      return;
    }
    // Copies of exactly these bytes (an array may view a larger buffer).
    const buffers = [new Uint32Array(rows).buffer];
    const data: Record<string, unknown> = { type: 'select', count: rows.length };
    if (subtree) {
      buffers.push(new Uint32Array(subtree).buffer);
      data['subtree'] = subtree.length;
    }
    if (entities.length > 0) {
      // A graph's entities: their properties as JSON, their rows one buffer after another.
      const shown = entities.slice(0, MAX_ENTITIES_SENT);
      data['entities'] = shown.map(e => ({ kind: e.kind, label: e.label, props: e.props, rows: e.rows.length }));
      buffers.push(Uint32Array.from(shown.flatMap(e => e.rows)).buffer);
    }
    comm.send(data as JSONObject, undefined, buffers);
  }

  /**
   * Asks the kernel to run pivot `id` on these result rows (one batched call), with
   * its caps raised as `caps` says when given.
   */
  sendPivot(id: string, rows: Uint32Array, caps: IPivotCaps = {}): boolean {
    const comm = this._comm;
    if (this._state !== 'on' || !comm || comm.isDisposed) {
      return false;
    }
    const data: Record<string, number | string> = { type: 'pivot', pivot: id, count: rows.length };
    for (const key of ['limit', 'ancestors', 'descendants'] as const) {
      const v = caps[key];
      if (v !== undefined) {
        data[key] = v;
      }
    }
    comm.send(data, undefined, [new Uint32Array(rows).buffer]);
    return true;
  }

  /** Cancels the pivot running for this output: its result is dropped when it comes. */
  cancelPivot(): void {
    const comm = this._comm;
    if (this._state === 'on' && comm && !comm.isDisposed) {
      comm.send({ type: 'cancel' });
    }
  }

  dispose(): void {
    if (this._disposed) {
      return;
    }
    this._disposed = true;
    this._session.statusChanged.disconnect(this._statusChanged, this);
    this._session.kernelChanged.disconnect(this._kernelChanged, this);
    const comm = this._comm;
    this._comm = null;
    if (comm && !comm.isDisposed) {
      try {
        comm.close();
      } catch {
        // The kernel is gone already.
      }
    }
  }

  private _open(): void {
    const kernel = this._session.session?.kernel;
    if (!kernel) {
      this._set('off', 'no kernel');
      return;
    }
    let comm: Kernel.IComm;
    try {
      comm = kernel.createComm(COMM_TARGET);
    } catch (error) {
      this._set('off', error instanceof Error ? error.message : String(error));
      return;
    }
    this._comm = comm;
    comm.onMsg = msg => {
      const data = msg.content.data as Record<string, unknown>;
      if (comm !== this._comm) {
        return;
      }
      if (data['type'] === 'linked') {
        this._set('on', '');
        this._onReply({ type: 'pivots', pivots: pivotsOf(data['pivots']) });
      } else if (data['type'] === 'selected' && typeof data['count'] === 'number') {
        this._onReply({ type: 'selected', count: data['count'] });
        this._onReply({ type: 'pivots', pivots: pivotsOf(data['pivots']) });
      } else if (data['type'] === 'pivots') {
        this._onReply({ type: 'pivots', pivots: pivotsOf(data['pivots']) });
      } else if (data['type'] === 'pivot' && PIVOT_STATES.includes(data['state'] as string)) {
        const number = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : 0);
        this._onReply({
          type: 'pivot',
          state: data['state'] as IPivotState['state'],
          label: String(data['label'] ?? '').slice(0, 200),
          added: number(data['added']),
          capped: data['capped'] === true,
          limit: number(data['limit']),
          message: String(data['message'] ?? '').slice(0, 2000),
          opened: number(data['opened']),
          why: String(data['why'] ?? '').slice(0, 500),
          beyond: number(data['beyond']),
          ...levelsOf(data)
        });
      } else if (data['type'] === 'update' || data['type'] === 'output') {
        // The output's new bundle: the huntviz payload in the buffer (its text form, or JSON).
        const buffer = msg.buffers?.[0];
        const bytes = buffer instanceof ArrayBuffer ? new Uint8Array(buffer) : buffer;
        const bundle = data['bundle'];
        const metadata = data['metadata'];
        if (bytes && bundle && typeof bundle === 'object' && metadata && typeof metadata === 'object') {
          try {
            const text = new TextDecoder().decode(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength));
            this._onReply({
              type: data['type'],
              value: data['text'] === true ? text : (JSON.parse(text) as Record<string, unknown>),
              bundle: bundle as Record<string, unknown>,
              metadata: metadata as Record<string, unknown>
            });
          } catch (error) {
            this._onReply({ type: 'error', message: `the kernel's update could not be read: ${String(error)}` });
          }
        }
      } else if (data['type'] === 'error' && typeof data['message'] === 'string') {
        this._onReply({ type: 'error', message: data['message'].slice(0, 2000) });
      } else if (data['type'] === 'select' && typeof data['count'] === 'number') {
        // Row positions from Python (`v.select`): as many u32 as it says, or nothing.
        const buffer = msg.buffers?.[0];
        const bytes = buffer instanceof ArrayBuffer ? new Uint8Array(buffer) : buffer;
        if (bytes && bytes.byteLength === 4 * data['count']) {
          const rows = new Uint32Array(data['count']);
          new Uint8Array(rows.buffer).set(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength));
          this._onReply({ type: 'select', rows });
        }
      }
    };
    comm.onClose = msg => {
      if (comm !== this._comm) {
        return;
      }
      this._comm = null;
      const data = (msg.content.data ?? {}) as Record<string, unknown>;
      this._set('off', data['type'] === 'unknown' ? 'this kernel did not make this output' : 'the kernel closed it');
    };
    this._set('connecting', '');
    try {
      comm.open({ view_id: this._viewId });
    } catch (error) {
      this._comm = null;
      this._set('off', error instanceof Error ? error.message : String(error));
    }
  }

  private _statusChanged(_: unknown, status: Kernel.Status): void {
    if (status === 'restarting' || status === 'autorestarting' || status === 'dead') {
      this._comm = null;
      this._set('off', 'the kernel restarted');
    }
  }

  private _kernelChanged(): void {
    this._comm = null;
    this._set('off', 'the notebook changed kernel');
  }

  private _set(state: LinkState, why: string): void {
    if (this._disposed || (state === this._state && why === this._why)) {
      return;
    }
    this._state = state;
    this._why = why;
    this._onState(state, why);
  }

  private _comm: Kernel.IComm | null = null;
  private _state: LinkState = 'off';
  private _why = '';
  private _disposed = false;
}
