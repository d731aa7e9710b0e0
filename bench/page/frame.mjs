// Shared by the benchmark pages: waiting for a painted frame, and quantiles.

/** Resolves after the next frame has been produced (the canvas is on screen). */
export function nextPaint() {
  return new Promise(resolve =>
    requestAnimationFrame(() => {
      const channel = new MessageChannel();
      channel.port1.onmessage = () => resolve();
      channel.port2.postMessage(null);
    })
  );
}

/** Collects garbage when Chromium exposes `gc` (--js-flags=--expose-gc), then waits a frame. */
export async function gc() {
  if (typeof globalThis.gc === 'function') {
    globalThis.gc();
  }
  await nextPaint();
}

/** The q-quantile (0..1) of the values. */
export function quantile(values, q) {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))];
}
