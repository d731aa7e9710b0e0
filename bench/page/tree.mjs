// The process-tree benchmark page: the notebook's own path from a saved MIME payload
// (lib/payload.js, lib/inflate.js, the wasm engine) to the first painted frame, then
// the per-frame cost of scrolling and folding on the same viewer.
import { quantile } from './frame.mjs';
import { firstPaints, HEIGHT } from './load.mjs';

/** A deterministic sequence in [0, 1). */
function lcg(seed) {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** Applies a viewer response the way the widget does, then draws. */
function applyAndRender(viewer, r) {
  if (r && r.scroll_to) {
    viewer.set_scroll(r.scroll_to[0], r.scroll_to[1]);
  }
  viewer.render();
}

/** Times `steps` calls of `frame(i)` (the work of one frame), in ms. */
function frames(steps, frame) {
  const times = [];
  for (let i = 0; i < steps; i++) {
    const t0 = performance.now();
    frame(i);
    times.push(performance.now() - t0);
  }
  return { p50: quantile(times, 0.5), p95: quantile(times, 0.95), max: Math.max(...times), n: times.length };
}

function scrollFrames(viewer, steps, rand) {
  const height = viewer.content_size()[1];
  return frames(steps, i => {
    // Half small wheel steps, half long jumps (dragging the scrollbar).
    const y = i % 2 ? viewer.scroll()[1] + 120 : rand() * Math.max(0, height - HEIGHT);
    viewer.set_scroll(0, y);
    viewer.render();
  });
}

window.runTree = async ({ file, repeats, steps }) => {
  const { viewer, result } = await firstPaints(file, repeats);
  const rand = lcg(7);
  result.scrollFolded = scrollFrames(viewer, steps, rand);
  let t0 = performance.now();
  applyAndRender(viewer, viewer.command({ command: 'expand_all' }));
  result.expandAllMs = performance.now() - t0;
  result.visibleRowsExpanded = viewer.row_count();
  result.scrollExpanded = scrollFrames(viewer, steps, rand);
  // Fold and unfold a random process's parent (a node with children), from the
  // keyboard as a user would: select, ArrowLeft to the parent, ArrowLeft folds,
  // ArrowRight unfolds. Only the fold and unfold frames are timed.
  const nodes = viewer.row_count();
  const fold = [];
  const unfold = [];
  for (let i = 0; i < steps; i++) {
    applyAndRender(viewer, viewer.select(Math.floor(rand() * nodes * 0.9)));
    applyAndRender(viewer, viewer.key('ArrowLeft', false));
    let t = performance.now();
    applyAndRender(viewer, viewer.key('ArrowLeft', false));
    fold.push(performance.now() - t);
    t = performance.now();
    applyAndRender(viewer, viewer.key('ArrowRight', false));
    unfold.push(performance.now() - t);
  }
  const stats = v => ({ p50: quantile(v, 0.5), p95: quantile(v, 0.95), max: Math.max(...v), n: v.length });
  result.fold = stats(fold);
  result.unfold = stats(unfold);
  t0 = performance.now();
  applyAndRender(viewer, viewer.command({ command: 'collapse_all' }));
  result.collapseAllMs = performance.now() - t0;
  t0 = performance.now();
  result.searchMatches = viewer.search('certutil', false);
  applyAndRender(viewer, viewer.search_step(true));
  result.searchMs = performance.now() - t0;
  viewer.free();
  return result;
};
