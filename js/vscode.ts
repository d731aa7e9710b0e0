/**
 * huntviz as a VS Code notebook renderer for `application/vnd.huntviz.v1+json`: the same
 * widget and engine as in JupyterLab, the engine inside this module (no fetch). VS Code
 * loads renderers as ES modules and calls `activate(context)` once, then
 * `renderOutputItem(item, element)` per output (the renderer API of
 * `vscode-notebook-renderer`, typed here with only what is used). Renders the same with
 * or without workspace trust: nothing in the data runs or becomes markup.
 */
import type { ReadonlyPartialJSONValue } from '@lumino/coreutils';
import { Widget } from '@lumino/widgets';

import { loadInlineEngine } from './inline-engine';
import { MIME_TYPE } from './payload';
import { HuntvizOutput } from './widget';

/** The engine module, gzip + base64, put in by the build. */
declare const HUNTVIZ_ENGINE: string;
/** The styles (the plugin's, with JupyterLab's variables mapped to VS Code's). */
declare const HUNTVIZ_STYLE: string;

/** The output item VS Code hands a renderer (the part used). */
export interface IOutputItem {
  readonly id: string;
  readonly mime: string;
  json(): ReadonlyPartialJSONValue;
}

/** What `activate` returns. */
export interface IRenderer {
  renderOutputItem(item: IOutputItem, element: HTMLElement): void;
  disposeOutputItem(id?: string): void;
}

const load = () => loadInlineEngine(() => HUNTVIZ_ENGINE);

/** Adds the styles to the webview once. */
function addStyle(): void {
  if (document.getElementById('huntviz-style')) {
    return;
  }
  const style = document.createElement('style');
  style.id = 'huntviz-style';
  style.textContent = HUNTVIZ_STYLE;
  document.head.append(style);
}

export function activate(): IRenderer {
  addStyle();
  const outputs = new Map<string, HuntvizOutput>();
  const dispose = (id: string) => {
    outputs.get(id)?.dispose();
    outputs.delete(id);
  };
  return {
    renderOutputItem(item, element) {
      dispose(item.id);
      // No Export HTML here: the report template is an asset of the JupyterLab extension.
      const widget = new HuntvizOutput({ mimeType: MIME_TYPE }, load, { exportHtml: false });
      element.replaceChildren();
      Widget.attach(widget, element);
      outputs.set(item.id, widget);
      let payload: ReadonlyPartialJSONValue;
      try {
        payload = item.json();
      } catch {
        payload = null; // the widget says the payload cannot be used
      }
      void widget.renderModel({
        trusted: false,
        data: { [MIME_TYPE]: payload },
        metadata: {},
        setData: () => undefined
      });
    },
    disposeOutputItem(id) {
      for (const key of id === undefined ? [...outputs.keys()] : [id]) {
        dispose(key);
      }
    }
  };
}
