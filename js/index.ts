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
  // Ahead of text/html (50) and image/png (90): an output that also carries the
  // kernel's HTML summary or the written-back picture is still drawn by huntviz.
  defaultRank: 40,
  createRenderer: options => new HuntvizOutput(options)
};

const extension: IRenderMime.IExtension = {
  id: 'huntviz:renderer',
  rendererFactory,
  rank: 40,
  dataType: 'json'
};

export default extension;
