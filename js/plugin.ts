/**
 * huntviz's plugins beside the MIME renderer (renderers get neither the settings
 * registry nor the document registry): its settings (`staticFallback` turns writing
 * pictures into outputs on or off for the whole page) and its documents (`document.ts`).
 */
import type { JupyterFrontEnd, JupyterFrontEndPlugin } from '@jupyterlab/application';
import { ISettingRegistry } from '@jupyterlab/settingregistry';

import { registerFiles } from './document';
import { setPictureWriteBack } from './fallback';

const PLUGIN_ID = 'huntviz:settings';

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

export default [settingsPlugin, filesPlugin];
