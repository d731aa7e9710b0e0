/**
 * The scroll-spacer maths. A view scrolls in its own content pixels; the browser
 * scrolls a spacer element whose height is capped (browsers stop laying out elements
 * taller than a few million pixels), so past the cap one scroller pixel stands for
 * several content pixels.
 */

/** Largest spacer height used; taller content is scrolled proportionally. */
export const MAX_SPACER_PX = 8_000_000;

/** The spacer's height for content this tall. */
export function spacerHeight(content: number): number {
  return Math.ceil(Math.min(content, MAX_SPACER_PX));
}

/** Content pixels per scroller pixel, for content this tall in a viewport this tall. */
export function scrollRatio(content: number, view: number): number {
  const spacer = Math.min(content, MAX_SPACER_PX);
  return spacer - view > 0 ? (content - view) / (spacer - view) : 1;
}

/**
 * The content y for the scroller's position. `exact` is the y last scrolled to on
 * purpose (a selection kept in view): kept when the scroller's rounding is all that
 * separates them.
 */
export function contentY(scrollTop: number, content: number, view: number, exact: number | null): number {
  const ratio = scrollRatio(content, view);
  const y = scrollTop * ratio;
  return exact !== null && Math.abs(exact - y) <= ratio + 1 ? exact : y;
}

/** The scroller position that shows content y at the top. */
export function scrollTopFor(y: number, content: number, view: number): number {
  return y / scrollRatio(content, view);
}
