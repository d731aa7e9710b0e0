/**
 * The static fallback a huntviz output carries for readers without huntviz (GitHub,
 * nbviewer, nbconvert, VS Code, JupyterLab without the extension): a PNG of the view,
 * written into the output's MIME bundle once, after the first complete drawing.
 *
 * - Pixels only: a picture cannot carry script, every viewer shows it, untrusted
 *   JupyterLab included; SVG is unsafe in untrusted notebooks and unreliable on GitHub.
 * - The light theme at a fixed 960 CSS px wide (at most 600 px tall), device pixel ratio
 *   1, whatever the screen: the file does not change with the window or the theme.
 * - At most `MAX_PICTURE_BYTES` of base64; a larger picture is drawn once more at 3/4
 *   scale, then given up.
 * - The kernel's `text/html` summary is dropped once the picture exists: nbconvert and
 *   GitHub rank `text/html` above `image/png` and would hide it.
 */
import type { ThemeSpec, Viewer } from './viewer';

/** How an output falls back, as the kernel asked (`huntviz.show(..., fallback=…)`). */
export type Fallback = 'auto' | 'html' | 'png' | 'none';

/** The largest picture written, in bytes of base64 (documented in README). */
export const MAX_PICTURE_BYTES = 300_000;
/** The picture's width in CSS pixels. */
export const PICTURE_WIDTH = 960;
/** Its largest height. */
export const PICTURE_MAX_HEIGHT = 600;

/** A PNG as base64, and its size in CSS pixels. */
export interface IPicture {
  png: string;
  width: number;
  height: number;
}

let writeBack = true;

/** Turns writing pictures back on or off (JupyterLab's huntviz setting). */
export function setPictureWriteBack(on: boolean): void {
  writeBack = on;
}

/** Whether pictures are written back in this page. */
export function pictureWriteBack(): boolean {
  return writeBack;
}

/** Whether an output asks for a picture written back. */
export function wantsPicture(fallback: Fallback): boolean {
  return fallback === 'auto' || fallback === 'png';
}

/** The theme a picture is drawn in: the engine's light colours, the page's fonts. */
export function pictureTheme(page: ThemeSpec): string {
  // The fonts stay the page's: the browser rasterizes the SVG's text with them, and a
  // view measures its columns with them (swapping the metrics would re-measure the live
  // view's columns).
  const { mono_family, font_size, char_width } = page;
  return JSON.stringify({ dark: false, mono_family, font_size, char_width });
}

/** The view's SVG as it would be drawn on a light page 960 px wide. */
export function pictureSvg(
  viewer: Viewer,
  page: ThemeSpec,
  restore: { width: number; height: number; dpr: number }
): {
  svg: string;
  width: number;
  height: number;
} {
  const width = PICTURE_WIDTH;
  viewer.set_theme(pictureTheme(page));
  viewer.set_viewport(width, Math.max(restore.height, 100), 1);
  const content = viewer.content_size()[1];
  // A graph has no height of its own: it keeps the output's.
  const height = Math.round(
    Math.min(PICTURE_MAX_HEIGHT, Math.max(100, viewer.view() === 'graph' ? restore.height : content))
  );
  viewer.set_viewport(width, height, 1);
  try {
    return { svg: viewer.export_svg(), width, height };
  } finally {
    // Back as the reader sees it, before the next frame: nothing of this is drawn.
    viewer.set_theme(JSON.stringify(page));
    viewer.set_viewport(restore.width, restore.height, restore.dpr);
  }
}

/** Rasterizes an SVG document at `scale` into a PNG (base64); null where the page cannot. */
export async function rasterize(svg: string, width: number, height: number, scale = 1): Promise<string | null> {
  const image = new Image();
  image.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`;
  try {
    await image.decode();
  } catch {
    return null; // an image policy or a browser that cannot decode it: no picture
  }
  const canvas = document.createElement('canvas');
  canvas.width = Math.round(width * scale);
  canvas.height = Math.round(height * scale);
  const ctx = canvas.getContext('2d');
  if (!ctx) {
    return null;
  }
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  ctx.drawImage(image, 0, 0, canvas.width, canvas.height);
  const url = canvas.toDataURL('image/png');
  const comma = url.indexOf(',');
  return url.startsWith('data:image/png;base64,') ? url.slice(comma + 1) : null;
}

/** The picture within the size bound (full scale, else 3/4), or null. */
export async function picture(svg: string, width: number, height: number): Promise<IPicture | null> {
  for (const scale of [1, 0.75]) {
    const png = await rasterize(svg, width, height, scale);
    if (png === null) {
      return null;
    }
    if (png.length <= MAX_PICTURE_BYTES) {
      return { png, width: Math.round(width * scale), height: Math.round(height * scale) };
    }
  }
  return null;
}

/** The output's MIME bundle with the picture in and the kernel's HTML summary out. */
export function withPicture(
  data: Record<string, unknown>,
  metadata: Record<string, unknown>,
  pic: IPicture
): { data: Record<string, unknown>; metadata: Record<string, unknown> } {
  const without = (bundle: Record<string, unknown>) =>
    Object.fromEntries(Object.entries(bundle).filter(([mime]) => mime !== 'text/html'));
  return {
    data: { ...without(data), 'image/png': pic.png },
    metadata: { ...without(metadata), 'image/png': { width: pic.width, height: pic.height } }
  };
}
