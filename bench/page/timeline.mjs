// The timeline benchmark page: the notebook's own path from a saved MIME payload
// (lib/payload.js, lib/inflate.js, the wasm engine) to the first painted frame, then
// the per-frame cost of wheel zoom, drag pan and overview-window drags on the same
// viewer — each timed from the event to the drawn canvas, as the widget does it.
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

function stats(v) {
  return { p50: quantile(v, 0.5), p95: quantile(v, 0.95), max: Math.max(...v), n: v.length };
}

/** Times `steps` frames: `frame(i)` returns a viewer response, which is applied and drawn. */
function frames(viewer, steps, frame) {
  const times = [];
  for (let i = 0; i < steps; i++) {
    const t0 = performance.now();
    const r = frame(i);
    if (r && r.scroll_to) {
      viewer.set_scroll(r.scroll_to[0], r.scroll_to[1]);
    }
    viewer.render();
    times.push(performance.now() - t0);
  }
  return stats(times);
}

/** Plot left and width from the accessible mirror's geometry. */
function plot(viewer) {
  const g = viewer.visible_text().geometry;
  return { left: g[1][0], width: g[1][1] * 3 };
}

window.runTimeline = async ({ file, repeats, steps }) => {
  const { viewer, result } = await firstPaints(file, repeats);
  const rand = lcg(11);
  const { left, width } = plot(viewer);
  const y = 80;
  // Wheel zoom at random points, so frames cover every level from all events
  // (density) to single marks.
  result.zoom = frames(viewer, steps, i => {
    // 50 wheel steps in (a day down to a fraction of a second), 50 out, and so on.
    const dir = Math.floor(i / 50) % 2 === 0 ? -1 : 1;
    return viewer.wheel(left + rand() * width, y, 0, dir * 120, false);
  });
  // Pan by dragging, at a middle zoom (an hour of a day).
  viewer.command({ command: 'zoom', factor: 0 });
  viewer.command({ command: 'zoom', factor: 1 / 24 });
  // A drag from the middle at height `at`, back and forth `stride` px a frame.
  const drag = (at, stride) => {
    let x = left + width / 2;
    viewer.pointer_down(x, at, false);
    const timed = frames(viewer, steps, i => {
      x += (i % 40 < 20 ? -1 : 1) * stride;
      return viewer.pointer_move(x, at);
    });
    viewer.pointer_up(x, at);
    return timed;
  };
  result.pan = drag(y, 15);
  // Drag the overview window back and forth.
  viewer.command({ command: 'zoom', factor: 0 });
  viewer.command({ command: 'zoom', factor: 0.2 });
  result.overview = drag(HEIGHT - 20, 10);
  // Hover tooltips over the whole view (dense columns and marks).
  viewer.command({ command: 'zoom', factor: 0 });
  result.hover = frames(viewer, steps, () => {
    viewer.tooltip(left + rand() * width, 40 + rand() * (HEIGHT - 120));
    return viewer.pointer_move(left + rand() * width, 40 + rand() * (HEIGHT - 120));
  });
  let t0 = performance.now();
  result.searchMatches = viewer.search('certutil', false);
  viewer.search_step(true);
  viewer.render();
  result.searchMs = performance.now() - t0;
  t0 = performance.now();
  viewer.toggle_legend(0);
  viewer.render();
  result.toggleMs = performance.now() - t0;
  viewer.free();
  return result;
};
