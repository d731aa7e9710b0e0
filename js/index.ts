/**
 * huntviz JupyterLab extension: renders `application/vnd.huntviz.v1+json`.
 */
import type { IRenderMime } from '@jupyterlab/rendermime-interfaces';

import { MIME_TYPE } from './payload';
import { HuntvizOutput } from './widget';

export { MIME_TYPE } from './payload';
export { HuntvizOutput } from './widget';

/**
 * The renderer factory. `safe: true`: the renderer treats every output as untrusted
 * (nothing from the data runs or becomes markup), so it renders the same in trusted
 * and untrusted notebooks.
 */
export const rendererFactory: IRenderMime.IRendererFactory = {
  safe: true,
  mimeTypes: [MIME_TYPE],
  defaultRank: 50,
  createRenderer: options => new HuntvizOutput(options)
};

const extension: IRenderMime.IExtension = {
  id: 'huntviz:renderer',
  rendererFactory,
  rank: 50,
  dataType: 'json'
};

export default extension;
