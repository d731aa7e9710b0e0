/**
 * huntviz's plugins beside the MIME renderer (renderers get neither the settings
 * registry nor the document registry): its settings (`staticFallback` turns writing
 * pictures into outputs on or off for the whole page) and its documents (`document.ts`).
 */
import type { JupyterFrontEnd, JupyterFrontEndPlugin } from '@jupyterlab/application';
import { ISettingRegistry } from '@jupyterlab/settingregistry';

import type { DocumentRegistry } from '@jupyterlab/docregistry';
import type { IRenderMime } from '@jupyterlab/rendermime-interfaces';
import type { Widget } from '@lumino/widgets';

import { registerFiles } from './document';
import { whenIdle } from './dom';
import { rendererFactory } from './index';
import { HuntvizOutput } from './widget';
import { loadEngine } from './engine';
import { setPictureWriteBack } from './fallback';

const PLUGIN_ID = 'huntviz:settings';

/** What the link needs of a notebook panel (no dependency on @jupyterlab/notebook). */
type NotebookLike = Widget & {
  content: { rendermime: { addFactory(factory: IRenderMime.IRendererFactory, rank?: number): void } };
};

const settingsPlugin: JupyterFrontEndPlugin<void> = {
  id: PLUGIN_ID,
  description: 'huntviz settings: whether outputs get a picture of their view.',
  autoStart: true,
  optional: [ISettingRegistry],
  activate: (_app: JupyterFrontEnd, registry: ISettingRegistry | null) => {
    if (!registry) {
      return;
    }
    void registry.load(PLUGIN_ID).then(
      settings => {
        const apply = () => setPictureWriteBack(settings.get('staticFallback').composite !== false);
        apply();
        settings.changed.connect(apply);
      },
      () => undefined // no settings (a page without the registry's schema): the default stays
    );
  }
};

/**
 * Result files (`.json`, `.csv`, `.jsonl`) open with huntviz; saved `.huntviz.json`
 * payloads open with it by default.
 */
const filesPlugin: JupyterFrontEndPlugin<void> = {
  id: 'huntviz:files',
  description: 'Opens query-result files and saved huntviz views as documents.',
  autoStart: true,
  activate: (app: JupyterFrontEnd) => registerFiles(app)
};

/**
 * The engine is fetched and compiled once the page is idle after start, not when the
 * first huntviz output arrives: at a million rows that output's unpacking, parsing and
 * drawing already fill the main thread, and compiling 1.1 MB of WebAssembly behind them
 * cost 1.2 s of the cell-to-screen time (BENCHMARKS.md, issue 15). A failure here is
 * silent: the first output loads again and reports it in the output area.
 */
const preloadPlugin: JupyterFrontEndPlugin<void> = {
  id: 'huntviz:preload',
  description: 'Loads the huntviz engine when the page is idle after start.',
  autoStart: true,
  activate: (app: JupyterFrontEnd) => {
    const load = () => void loadEngine().catch(() => undefined);
    void app.restored.then(() => whenIdle(5000, load, 1000));
  }
};

/**
 * The kernel link (`link.ts`): every notebook's own rendermime gets a huntviz factory that
 * hands its renderers the notebook's session. Same MIME type, rank and `safe: true` as
 * the MIME extension's factory, which still renders everywhere else (documents,
 * reports, a notebook this plugin is off in) — without a link.
 */
const linkPlugin: JupyterFrontEndPlugin<void> = {
  id: 'huntviz:kernel-link',
  description: 'Links huntviz outputs to the kernel that made them (selections reach Python).',
  autoStart: true,
  activate: (app: JupyterFrontEnd) => {
    const extension: DocumentRegistry.IWidgetExtension<NotebookLike, DocumentRegistry.IModel> = {
      createNew: (panel, context) => {
        panel.content.rendermime.addFactory(
          {
            ...rendererFactory,
            createRenderer: (options: IRenderMime.IRendererOptions) =>
              new HuntvizOutput(options, loadEngine, { exportHtml: true, session: context.sessionContext })
          },
          rendererFactory.defaultRank
        );
      }
    };
    app.docRegistry.addWidgetExtension('Notebook', extension);
  }
};

export default [settingsPlugin, filesPlugin, preloadPlugin, linkPlugin];
