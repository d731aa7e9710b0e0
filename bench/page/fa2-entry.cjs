/* eslint-disable @typescript-eslint/no-require-imports -- a CommonJS entry for webpack */
// Bundled by bench/graph.mjs (webpack) so the benchmark page can run graphology's
// ForceAtlas2 next to huntviz in the same page.
module.exports = {
  Graph: require('graphology'),
  forceAtlas2: require('graphology-layout-forceatlas2')
};
