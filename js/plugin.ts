/**
 * huntviz's settings in JupyterLab: a plugin beside the MIME renderer (renderers get no
 * settings registry). `staticFallback` turns writing pictures into outputs on or off
 * for the whole page.
 */
import type { JupyterFrontEnd, JupyterFrontEndPlugin } from '@jupyterlab/application';
import { ISettingRegistry } from '@jupyterlab/settingregistry';

import { setPictureWriteBack } from './fallback';

const PLUGIN_ID = 'huntviz:settings';

const plugin: JupyterFrontEndPlugin<void> = {
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

export default plugin;
