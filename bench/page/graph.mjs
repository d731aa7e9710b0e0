// The entity-graph benchmark page: one generated graph (10k nodes, 50k edges by
// default: communities with some links between them), laid out by huntviz until it
// settles, then by graphology's ForceAtlas2 (Barnes–Hut, the same forces) for the
// same number of iterations from the same starting positions — in this page, one after
// the other. Then huntviz's pan, zoom and node-drag frames, each timed as the widget
// runs a frame (event, up to 8 ms of layout while it moves, draw).
import init, { Input, Viewer } from '/pkg/huntviz_wasm.js';
import { encodeText } from '/lib/encode.js';
import { gc, nextPaint, quantile } from './frame.mjs';

const THEME = JSON.stringify({ dark: false, font_size: 12, char_width: 7.2 });
const WIDTH = 1200;
const HEIGHT = 600;

function lcg(seed) {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** Communities of about 100 nodes; 90% of edges inside a community. No duplicates. */
function generate(nodes, edges, seed) {
  const rand = lcg(seed);
  const size = 100;
  const seen = new Set();
  const list = [];
  while (list.length < edges) {
    const a = Math.floor(rand() * nodes);
    const b =
      rand() < 0.9
        ? Math.min(nodes - 1, Math.floor(a / size) * size + Math.floor(rand() * size))
        : Math.floor(rand() * nodes);
    const key = a < b ? `${a},${b}` : `${b},${a}`;
    if (a !== b && !seen.has(key)) {
      seen.add(key);
      list.push([a, b]);
    }
  }
  return list;
}

function stats(v) {
  return { p50: quantile(v, 0.5), p95: quantile(v, 0.95), max: Math.max(...v), n: v.length };
}

let drawMs = 8;
let tickMs = 4;

/** A frame answering a pointer or wheel event, as js/widget.ts runs it: the event,
 * layout iterations only if they fit in what the last drawing left of 16 ms, the
 * drawing. Returns the frame's time; `idle` runs the frames between events (at least
 * one iteration each) until the layout settles again. */
function frame(viewer, event) {
  const t0 = performance.now();
  event();
  let moving = !viewer.settled();
  const budget = Math.max(2, 14 - drawMs);
  while (moving && performance.now() - t0 + tickMs <= budget) {
    const t = performance.now();
    moving = viewer.tick();
    tickMs = 0.8 * tickMs + 0.2 * (performance.now() - t);
  }
  const t1 = performance.now();
  viewer.render();
  drawMs = performance.now() - t1;
  return performance.now() - t0;
}

window.runGraph = async ({ nodes, edges, steps, seed }) => {
  const exports = await init();
  const canvas = document.getElementById('view');
  const list = generate(nodes, edges, seed);
  // huntviz reads the edge list as CSV, as it would a query result.
  const csv = 'source,target\n' + list.map(([a, b]) => `n${a},n${b}`).join('\n');
  await gc();
  const t0 = performance.now();
  const viewer = new Viewer(
    canvas,
    encodeText(exports.memory, len => new Input(len), csv),
    JSON.stringify({ view: 'graph', options: { directed: false }, notes: [] }),
    THEME
  );
  viewer.set_viewport(WIDTH, HEIGHT, 1);
  viewer.render();
  await nextPaint();
  const firstPaint = performance.now() - t0;
  const t1 = performance.now();
  while (viewer.tick()) {
    // until settled
  }
  const layoutMs = performance.now() - t1;
  const iterations = viewer.state().iterations;
  viewer.render();
  await nextPaint();
  const result = {
    status: viewer.status(),
    firstPaintMs: firstPaint,
    settledMs: performance.now() - t0,
    iterations,
    huntvizPerIterationMs: layoutMs / iterations
  };

  // graphology + ForceAtlas2 on the same graph, from the same spiral, same number of
  // iterations, Barnes–Hut on with the same theta (1.2, Gephi’s default), strong gravity as huntviz uses.
  const { Graph, forceAtlas2 } = window.FA2;
  const g = new Graph({ type: 'undirected' });
  const golden = Math.PI * (3 - Math.sqrt(5));
  const order = [];
  for (const [a, b] of list) {
    for (const v of [a, b]) {
      if (!g.hasNode(v)) {
        // huntviz numbers nodes in order of first appearance: the same spiral slot.
        const i = order.length;
        order.push(v);
        const r = 10 * Math.sqrt(i + 0.5);
        g.addNode(v, { x: r * Math.cos(i * golden), y: r * Math.sin(i * golden) });
      }
    }
    g.addEdge(a, b);
  }
  await gc();
  const t2 = performance.now();
  forceAtlas2.assign(g, {
    iterations,
    settings: {
      barnesHutOptimize: true,
      barnesHutTheta: 1.2,
      scalingRatio: 2,
      gravity: 0.3,
      strongGravityMode: true,
      linLogMode: false,
      outboundAttractionDistribution: false,
      adjustSizes: false,
      edgeWeightInfluence: 1,
      slowDown: 1
    }
  });
  result.graphologyPerIterationMs = (performance.now() - t2) / iterations;
  result.ratio = result.huntvizPerIterationMs / result.graphologyPerIterationMs;

  // What one frame's drawing costs on its own (no event, no layout).
  {
    const t = performance.now();
    for (let i = 0; i < 5; i++) {
      viewer.render();
    }
    result.drawMs = (performance.now() - t) / 5;
  }
  // Frames on the settled huntviz graph: pan (drag the background), wheel zoom, and
  // dragging a node (which pins it and wakes the layout).
  const rand = lcg(3);
  const pan = [];
  viewer.pointer_down(5, 5, false);
  for (let i = 0; i < steps; i++) {
    const x = 5 + (i % 40 < 20 ? i % 20 : 20 - (i % 20)) * 10;
    pan.push(frame(viewer, () => viewer.pointer_move(x, 5 + (i % 7))));
  }
  viewer.pointer_up(5, 5);
  result.pan = stats(pan);
  viewer.command({ command: 'fit' });
  const zoom = [];
  for (let i = 0; i < steps; i++) {
    const dir = Math.floor(i / 25) % 2 === 0 ? -1 : 1;
    zoom.push(frame(viewer, () => viewer.wheel(rand() * WIDTH, rand() * HEIGHT, 0, dir * 120, false)));
  }
  result.zoom = stats(zoom);
  viewer.command({ command: 'fit' });
  viewer.render();
  const rows = viewer.visible_text().rows;
  const node = rows[Math.min(5, rows.length - 1)];
  const drag = [];
  let [x, y] = [node.mark, node.top];
  viewer.pointer_down(x, y, false);
  for (let i = 0; i < steps; i++) {
    x += i % 40 < 20 ? 4 : -4;
    y += i % 20 < 10 ? 2 : -2;
    drag.push(frame(viewer, () => viewer.pointer_move(x, y)));
  }
  viewer.pointer_up(x, y);
  result.drag = stats(drag);
  // After the drag, the rest relaxes around the pinned node (frames between events).
  const t4 = performance.now();
  while (viewer.tick()) {
    // until settled
  }
  result.relaxAfterDragMs = performance.now() - t4;
  result.wasmMemoryBytes = exports.memory.buffer.byteLength;
  viewer.free();
  return result;
};
