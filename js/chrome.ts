/**
 * The DOM chrome of an output: title, status bar (status, warnings toggle, view
 * choice, export), warnings list, toolbar slot, the canvas under a scroller with its
 * spacer and tooltip, the detail bar and the accessibility mirror. Every string from
 * data is set with `textContent`.
 */
import { el, setText, visible } from './dom';
import type { CellSelection, Tooltip, VisibleText, Warning } from './viewer';

/** The elements of one output. */
export interface IChrome {
  viewport: HTMLDivElement;
  canvas: HTMLCanvasElement;
  scroller: HTMLDivElement;
  spacer: HTMLDivElement;
  tooltip: HTMLDivElement;
  detail: HTMLDivElement;
  detailLabel: HTMLSpanElement;
  detailValue: HTMLPreElement;
  detailCopy: HTMLButtonElement;
  mirror: HTMLTableElement;
  status: HTMLSpanElement;
  warnButton: HTMLButtonElement;
  warnList: HTMLUListElement;
  viewSelect: HTMLSelectElement;
  exportButton: HTMLButtonElement;
  exportHtmlButton: HTMLButtonElement;
  toolbarSlot: HTMLDivElement;
}

/** Builds the chrome in `root` (emptied first). */
export function buildChrome(root: HTMLElement, title: string | null, signal: AbortSignal): IChrome {
  root.replaceChildren();
  if (title) {
    setText(el('div', 'hv-title', root), title);
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
  const exportButton = el('button', 'hv-export', bar, 'Export SVG');
  exportButton.type = 'button';
  exportButton.title = 'Download the visible part of the view as SVG';
  const exportHtmlButton = el('button', 'hv-export-html', bar, 'Export HTML');
  exportHtmlButton.type = 'button';
  exportHtmlButton.title = 'Download a one-file interactive report of this output (opens offline, fetches nothing)';
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
  const detailCopy = el('button', 'hv-copy', detail, 'Copy');
  detailCopy.type = 'button';
  detailCopy.title = 'Copy the full, exact value';
  const detailValue = el('pre', 'hv-detail-value', detail);
  detailValue.setAttribute('dir', 'ltr');

  const mirror = el('table', 'hv-sr-only', root);
  mirror.setAttribute('role', 'grid');
  mirror.setAttribute('aria-label', 'Result rows');

  warnButton.addEventListener(
    'click',
    () => {
      warnList.hidden = !warnList.hidden;
      warnButton.setAttribute('aria-expanded', String(!warnList.hidden));
    },
    { signal }
  );
  return {
    viewport,
    canvas,
    scroller,
    spacer,
    tooltip,
    detail,
    detailLabel,
    detailValue,
    detailCopy,
    mirror,
    status,
    warnButton,
    warnList,
    viewSelect,
    exportButton,
    exportHtmlButton,
    toolbarSlot
  };
}

/** The status line, as text and as the status element's accessible name. */
export function showStatus(chrome: IChrome, line: string): void {
  setText(chrome.status, line);
  chrome.status.setAttribute('aria-label', visible(line));
}

/** The warnings list and its toggle (hidden when there are none). */
export function showWarnings(chrome: IChrome, warnings: Warning[]): void {
  chrome.warnList.replaceChildren();
  for (const w of warnings) {
    const item = el('li', 'hv-warning', chrome.warnList, w.message);
    item.dataset.kind = w.kind;
  }
  chrome.warnButton.hidden = warnings.length === 0;
  setText(chrome.warnButton, `⚠ ${warnings.length} warning${warnings.length === 1 ? '' : 's'}`);
  chrome.warnButton.setAttribute('aria-expanded', String(!chrome.warnList.hidden));
}

/** The tooltip at its anchor, kept inside the viewport; hidden for `null`. */
export function showTooltip(chrome: IChrome, tip: Tooltip | null): void {
  if (!tip) {
    chrome.tooltip.hidden = true;
    return;
  }
  setText(chrome.tooltip, tip.text, true);
  chrome.tooltip.hidden = false;
  const maxX = Math.max(0, chrome.scroller.clientWidth - chrome.tooltip.offsetWidth - 4);
  chrome.tooltip.style.left = `${Math.min(Math.max(tip.x, 0), maxX)}px`;
  chrome.tooltip.style.top = `${Math.max(tip.y, 0)}px`;
}

/** The grid's detail bar for a selected cell (hidden without one). */
export function showCellSelection(chrome: IChrome, s: CellSelection | null): void {
  if (chrome.detail.classList.contains('hv-detail-tree')) {
    chrome.detail.classList.remove('hv-detail-tree');
    chrome.detail.replaceChildren(chrome.detailLabel, chrome.detailCopy, chrome.detailValue);
  }
  if (!s) {
    chrome.detail.hidden = true;
    return;
  }
  chrome.detail.hidden = false;
  const size = s.null ? 'null' : `${s.bytes.toLocaleString('en-US')} bytes`;
  setText(chrome.detailLabel, `Row ${(s.row + 1).toLocaleString('en-US')} · ${s.column} (${s.column_type}) · ${size}`);
  setText(chrome.detailValue, s.text);
}

/**
 * The accessibility mirror: the visible cells as a table (`rowCount` rows in all).
 * Returns the key of what it shows; nothing is rebuilt when `key` is already that.
 */
export function updateMirror(mirror: HTMLTableElement, text: VisibleText, rowCount: number, key: string): string {
  const next = JSON.stringify([
    text.geometry,
    text.rows.map(r => [r.row, r.expanded, Math.round(r.top), Math.round(r.mark ?? 0), r.selected === true]),
    text.rows[0]?.cells
  ]);
  if (next === key) {
    return key;
  }
  mirror.replaceChildren();
  mirror.setAttribute('aria-colcount', String(text.columns.length));
  mirror.setAttribute('aria-rowcount', String(rowCount + 1));
  const head = el('tr', '', el('thead', '', mirror));
  head.setAttribute('aria-rowindex', '1');
  const first = text.first_col - 1;
  const shown = text.geometry.length;
  for (let c = first; c < first + shown && c < text.columns.length; c++) {
    const th = el('th', '', head, text.columns[c]);
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
    if (row.selected === true) {
      // Selected here, or by a linked pane of the same result.
      tr.setAttribute('aria-selected', 'true');
    }
    row.cells.forEach((cell, k) => {
      const td = el('td', '', tr, cell);
      td.setAttribute('aria-colindex', String(first + k + 1));
    });
  }
  return next;
}

/** Replaces the output with an error: a status line and the message, as text. */
export function showError(root: HTMLElement, message: string): void {
  root.replaceChildren();
  const bar = el('div', 'hv-statusbar', root);
  const status = el('span', 'hv-status', bar);
  status.setAttribute('role', 'status');
  setText(status, 'Error · huntviz could not show this result');
  status.setAttribute('aria-label', status.textContent ?? '');
  const box = el('div', 'hv-error', root);
  box.setAttribute('role', 'alert');
  setText(el('pre', 'hv-error-message', box), message);
}
