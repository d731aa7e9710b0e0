/**
 * Result files opened directly: Log Analytics / Kusto / Defender `.json`, portal `.csv`,
 * `.jsonl` and saved `.huntviz.json` payloads open in a document with the same views as
 * an output (Open With → huntviz; the default for `.huntviz.json`).
 *
 * The document never holds the file as a JavaScript string: its model factory asks the
 * contents service for no content (`fileFormat: null`), and the widget streams the
 * file's bytes from the server straight into the engine's buffer. Saved payloads are
 * the exception (JSON, read whole; their data is compressed above 256 KiB).
 */
import type { JupyterFrontEnd } from '@jupyterlab/application';
import { ABCWidgetFactory, DocumentModel, DocumentRegistry, DocumentWidget } from '@jupyterlab/docregistry';
import { Contents, ServerConnection } from '@jupyterlab/services';
import { LabIcon } from '@jupyterlab/ui-components';
import { PanelLayout, Widget } from '@lumino/widgets';

import { encodeText } from './encode';
import { loadEngine } from './engine';
import { IPackedInput, MAX_UNPACKED_BYTES, streamToWasm } from './inflate';
import { IPayload, MIME_TYPE, readPayload } from './payload';
import { HuntvizOutput } from './widget';

/** The widget factory's name (Open With → huntviz). */
export const FACTORY = 'huntviz';
/** The model factory that loads no content. */
const MODEL = 'huntviz-result';
/** The file type of saved payloads. */
export const FILE_TYPE = 'huntviz';

/** The file types huntviz opens, by JupyterLab's names for them. */
const RESULT_TYPES = ['json', 'jsonl', 'csv'];

/** The engine's format for an extension that names one (others are detected). */
const FORMAT_OF: Record<string, string> = { '.csv': 'csv', '.jsonl': 'json-lines', '.ndjson': 'json-lines' };

/**
 * huntviz's file icon: a process tree (three nodes and their links) in the theme's icon
 * colours.
 */
export const huntvizIcon = new LabIcon({
  name: 'huntviz:file',
  svgstr:
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24" width="16">' +
    '<g class="jp-icon3" fill="#616161">' +
    '<rect x="3" y="3" width="7" height="5" rx="1"/>' +
    '<rect x="14" y="9" width="7" height="5" rx="1"/>' +
    '<rect x="14" y="16" width="7" height="5" rx="1"/>' +
    '<path d="M6 8v10.5h8v-1.5H7.5v-4.5H14V11H7.5V8z"/>' +
    '</g></svg>'
});

/** How a file is read: its path, the URL of its bytes and the server's settings. */
export interface IFileSource {
  path: string;
  url: () => Promise<string>;
  settings: ServerConnection.ISettings;
  /** The file as text through the contents service (where no bytes URL serves it). */
  text: () => Promise<string>;
}

/**
 * The payload for a result file: its bytes streamed into the engine, the format
 * named by the extension where it names one.
 */
export function resultPayload(source: IFileSource): IPayload {
  const lower = source.path.toLowerCase();
  const ext = lower.slice(lower.lastIndexOf('.'));
  const format = FORMAT_OF[ext];
  return {
    text: '',
    packed: null,
    spec: JSON.stringify({ view: 'auto', options: format ? { format } : {}, notes: [] }),
    testPanic: null,
    title: null,
    height: null,
    datasets: [],
    fallback: 'none',
    stream: (memory, makeInput, note) => readFile(source, memory, makeInput, note)
  };
}

/**
 * Streams a file into a new engine buffer: from its bytes URL when the server has
 * one (Jupyter Server's `/files/`), else from the contents service as text.
 */
async function readFile<T extends IPackedInput>(
  source: IFileSource,
  memory: WebAssembly.Memory,
  makeInput: (len: number) => T,
  note: (text: string) => void
): Promise<T> {
  const name = source.path.slice(source.path.lastIndexOf('/') + 1);
  note(`Reading ${name}…`);
  let response: Response | null = null;
  try {
    response = await ServerConnection.makeRequest(await source.url(), { method: 'GET' }, source.settings);
  } catch {
    response = null;
  }
  if (!response || !response.ok || !response.body) {
    // No bytes URL (JupyterLite keeps files in the browser): the text, encoded.
    const text = await source.text();
    return encodeText(memory, makeInput, text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  }
  const declared = Number(response.headers.get('Content-Length'));
  const known = Number.isSafeInteger(declared) && declared > 0;
  if (known && declared > MAX_UNPACKED_BYTES) {
    void response.body.cancel();
    throw new Error(tooLarge(name, declared));
  }
  const mb = (n: number) => (n / 1e6).toLocaleString('en-US', { maximumFractionDigits: 1 });
  let shown = 0;
  const { input } = await streamToWasm(memory, makeInput, response.body.getReader(), {
    first: known ? declared : 1 << 20,
    limit: MAX_UNPACKED_BYTES,
    skipBom: true,
    tooLarge: () => new Error(tooLarge(name, MAX_UNPACKED_BYTES + 1)),
    broken: why => new Error(`reading ${name} failed (${why})`),
    progress: written => {
      // A note every 16 MB: enough to see a large file move.
      if (written - shown >= 1 << 24) {
        shown = written;
        note(`Reading ${name}: ${mb(written)}${known ? ` of ${mb(declared)}` : ''} MB…`);
      }
    }
  });
  return input;
}

function tooLarge(name: string, bytes: number): string {
  return (
    `${name} has ${bytes.toLocaleString('en-US')} bytes, over huntviz's limit of ` +
    `${MAX_UNPACKED_BYTES.toLocaleString('en-US')}; narrow the query that made it`
  );
}

/**
 * A result file's view: one huntviz output that fills the document area.
 */
export class HuntvizFile extends Widget {
  constructor(private readonly _source: IFileSource) {
    super();
    this.addClass('jp-HuntvizDocument');
    this.output = new HuntvizOutput({ mimeType: MIME_TYPE }, loadEngine, { exportHtml: false, fill: true });
    const layout = (this.layout = new PanelLayout());
    layout.addWidget(this.output);
  }

  /** The output that draws the file. */
  readonly output: HuntvizOutput;

  /** Reads the file and draws it. */
  async load(): Promise<void> {
    const path = this._source.path.toLowerCase();
    if (!path.endsWith('.huntviz.json')) {
      await this.output.renderPayload(resultPayload(this._source));
      return;
    }
    // A saved payload: the MIME bundle's value as `huntviz.save` wrote it.
    let payload: IPayload;
    try {
      const value: unknown = JSON.parse(await this._source.text());
      payload = readPayload(value);
    } catch (error) {
      const why = error instanceof Error ? error.message : String(error);
      payload = {
        ...resultPayload(this._source),
        stream: () => Promise.reject(new Error(`not a huntviz view: ${why}`))
      };
    }
    await this.output.renderPayload(payload);
  }
}

/** Documents read nothing into their model and are never saved. */
class ResultModelFactory implements DocumentRegistry.IModelFactory<DocumentRegistry.IModel> {
  readonly name = MODEL;
  readonly contentType: Contents.ContentType = 'file';
  readonly fileFormat = null;
  readonly collaborative = false;
  isDisposed = false;

  createNew(): DocumentRegistry.IModel {
    const model = new DocumentModel();
    model.readOnly = true;
    return model;
  }

  preferredLanguage(): string {
    return '';
  }

  dispose(): void {
    this.isDisposed = true;
  }
}

/** Makes the documents. */
class HuntvizFileFactory extends ABCWidgetFactory<DocumentWidget<HuntvizFile>> {
  constructor(
    options: DocumentRegistry.IWidgetFactoryOptions<DocumentWidget<HuntvizFile>>,
    private readonly _app: JupyterFrontEnd
  ) {
    super(options);
  }

  protected createNewWidget(context: DocumentRegistry.Context): DocumentWidget<HuntvizFile> {
    const contents = this._app.serviceManager.contents;
    const content = new HuntvizFile({
      path: context.path,
      url: () => contents.getDownloadUrl(context.path),
      settings: this._app.serviceManager.serverSettings,
      text: async () => {
        const model = await contents.get(context.path, { type: 'file', format: 'text', content: true });
        return typeof model.content === 'string' ? model.content : '';
      }
    });
    const widget = new DocumentWidget({ content, context });
    widget.title.icon = huntvizIcon;
    void context.ready.then(() => content.load());
    return widget;
  }
}

/**
 * Registers the file type, the model factory and the document factory.
 */
export function registerFiles(app: JupyterFrontEnd): void {
  const registry = app.docRegistry;
  registry.addFileType({
    name: FILE_TYPE,
    displayName: 'huntviz view',
    extensions: ['.huntviz.json'],
    mimeTypes: [MIME_TYPE],
    contentType: 'file',
    fileFormat: null,
    icon: huntvizIcon
  });
  registry.addModelFactory(new ResultModelFactory());
  registry.addWidgetFactory(
    new HuntvizFileFactory(
      {
        name: FACTORY,
        label: 'huntviz',
        modelName: MODEL,
        fileTypes: [FILE_TYPE, ...RESULT_TYPES],
        defaultFor: [FILE_TYPE],
        readOnly: true
      },
      app
    )
  );
}
