import { contentY, MAX_SPACER_PX, scrollRatio, scrollTopFor, spacerHeight } from '../scroll';

describe('scroll spacer', () => {
  it('is as tall as the content up to the cap', () => {
    expect(spacerHeight(1234.2)).toBe(1235);
    expect(spacerHeight(MAX_SPACER_PX * 10)).toBe(MAX_SPACER_PX);
  });

  it('maps scroller pixels one to one below the cap', () => {
    expect(scrollRatio(10_000, 400)).toBe(1);
    expect(contentY(1234, 10_000, 400, null)).toBe(1234);
    expect(scrollTopFor(1234, 10_000, 400)).toBe(1234);
    // Content shorter than the viewport does not scroll.
    expect(scrollRatio(100, 400)).toBe(1);
  });

  it('reaches the last content row at the end of a capped scroller', () => {
    // A million-row tree at 22 px a row.
    const content = 22_000_000;
    const view = 400;
    const ratio = scrollRatio(content, view);
    expect(ratio).toBeGreaterThan(2);
    const end = MAX_SPACER_PX - view;
    expect(contentY(end, content, view, null)).toBeCloseTo(content - view, 3);
    expect(contentY(0, content, view, null)).toBe(0);
    // Scrolling to a y and reading it back round-trips.
    const y = 12_345_678;
    expect(contentY(scrollTopFor(y, content, view), content, view, null)).toBeCloseTo(y, 3);
  });

  it('keeps an exact target that the scroller can only approximate', () => {
    const content = 22_000_000;
    const view = 400;
    const y = 12_345_679;
    // The browser rounds scrollTop to whole (or device) pixels.
    const top = Math.round(scrollTopFor(y, content, view));
    expect(contentY(top, content, view, null)).not.toBe(y);
    expect(contentY(top, content, view, y)).toBe(y);
    // A real scroll away from it is not snapped back.
    expect(contentY(top + 1000, content, view, y)).not.toBe(y);
  });
});
