/**
 * The one-file report: the outputs saved in a report page (`huntviz.save`,
 * `huntviz html`, Export HTML), each drawn by the same widget and engine as in
 * JupyterLab. Everything comes from the file itself: the data (a JSON script element),
 * the engine (gzip + base64, started from bytes: a page opened from `file://` cannot
 * fetch a sibling file) and this code. The page's Content-Security-Policy allows only
 * this script (by hash) and WebAssembly; nothing is fetched.
 */
import type { IRenderMime } from '@jupyterlab/rendermime-interfaces';
import { Widget } from '@lumino/widgets';

import { el } from './dom';
import { loadInlineEngine } from './inline-engine';
import { MIME_TYPE } from './payload';
import { HuntvizOutput } from './widget';

/** What a report file carries (`<script type="application/json" id="huntviz-data">`). */
interface IReport {
  title: string;
  outputs: { title: string; payload: IRenderMime.IMimeModel['data'][string] }[];
}

/** The engine, from the bytes inside the page. */
const loadEngine = () => loadInlineEngine(() => document.getElementById('huntviz-engine')?.textContent?.trim() ?? '');

/** Builds the page: a table of contents and one section per output. */
async function main(): Promise<void> {
  const source = document.getElementById('huntviz-data')?.textContent ?? '';
  const report: IReport = JSON.parse(source);
  document.title = report.title;
  const main = document.getElementById('huntviz-report')!;
  el('h1', 'hv-report-title', main, report.title);
  const toc = el('nav', 'hv-report-toc', main);
  toc.setAttribute('aria-label', 'Contents');
  const list = el('ol', '', toc);
  const outputs: Promise<void>[] = [];
  report.outputs.forEach((output, i) => {
    const id = `view-${i + 1}`;
    const link = el('a', '', el('li', '', list), output.title);
    link.href = `#${id}`;
    const section = el('section', 'hv-report-section', main);
    section.id = id;
    el('h2', '', section, output.title);
    // A report is already the HTML export.
    const widget = new HuntvizOutput({ mimeType: MIME_TYPE }, loadEngine, { exportHtml: false });
    Widget.attach(widget, section);
    outputs.push(
      widget.renderModel({
        trusted: false,
        data: { [MIME_TYPE]: output.payload },
        metadata: {},
        setData: () => undefined
      })
    );
  });
  await Promise.all(outputs);
  document.body.dataset.hvReady = 'true';
}

void main();
