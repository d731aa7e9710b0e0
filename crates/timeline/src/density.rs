//! Exact per-pixel density: how many events fall in each pixel column.

/// The start of pixel column `i` of `columns` over `[t0, t1)`.
pub fn boundary(t0: i64, t1: i64, columns: usize, i: usize) -> i64 {
    let span = i128::from(t1) - i128::from(t0);
    let at = i128::from(t0) + span * i as i128 / columns.max(1) as i128;
    at.clamp(i128::from(i64::MIN), i128::from(i64::MAX)) as i64
}

/// The pixel column of instant `t` (`None` outside `[t0, t1)`); the inverse of
/// [`boundary`].
pub fn column_of(t0: i64, t1: i64, columns: usize, t: i64) -> Option<usize> {
    if t < t0 || t >= t1 || columns == 0 {
        return None;
    }
    let span = i128::from(t1) - i128::from(t0);
    let mut i = ((i128::from(t) - i128::from(t0)) * columns as i128 / span) as usize;
    // Integer rounding of the boundaries: step to the column whose range holds `t`.
    while i > 0 && boundary(t0, t1, columns, i) > t {
        i -= 1;
    }
    while i + 1 < columns && boundary(t0, t1, columns, i + 1) <= t {
        i += 1;
    }
    Some(i.min(columns - 1))
}

/// Adds to `counts[i]` the number of `times` (sorted ascending) in pixel column `i` of
/// `[t0, t1)` split into `counts.len()` columns. Every time in `[t0, t1)` is counted
/// exactly once; times outside are not counted. Cost: one binary search per column
/// boundary when the range holds more times than columns, one step per time otherwise.
pub fn bin(times: &[i64], t0: i64, t1: i64, counts: &mut [u32]) {
    let columns = counts.len();
    if columns == 0 || t1 <= t0 {
        return;
    }
    let lo = times.partition_point(|&t| t < t0);
    let hi = times.partition_point(|&t| t < t1);
    let inside = times.get(lo..hi).unwrap_or_default();
    if inside.len() <= columns * 4 {
        for &t in inside {
            if let Some(i) = column_of(t0, t1, columns, t) {
                counts[i] += 1;
            }
        }
        return;
    }
    let mut from = 0usize;
    for (i, c) in counts.iter_mut().enumerate() {
        let b = boundary(t0, t1, columns, i + 1);
        let rest = inside.get(from..).unwrap_or_default();
        let n = if i + 1 == columns { rest.len() } else { rest.partition_point(|&t| t < b) };
        *c += n as u32;
        from += n;
    }
}

/// The number of `times` (sorted) in `[t0, t1)`.
pub fn count(times: &[i64], t0: i64, t1: i64) -> usize {
    times.partition_point(|&t| t < t1).saturating_sub(times.partition_point(|&t| t < t0))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A small deterministic generator (no dependency for tests).
    fn lcg(seed: &mut u64) -> u64 {
        *seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        *seed >> 33
    }

    #[test]
    fn counts_drawn_equal_the_events_in_range_at_every_zoom() {
        let mut seed = 7;
        let mut times: Vec<i64> = (0..20_000).map(|_| (lcg(&mut seed) % 1_000_000) as i64 - 500_000).collect();
        // Bursts: many events on the same instant.
        times.extend(std::iter::repeat_n(123_456, 5000));
        times.sort_unstable();
        for (t0, t1, cols) in [
            (-500_000, 500_000, 1000),
            (-600_000, 600_000, 7),
            (123_000, 124_000, 333),
            (123_456, 123_457, 900),
            (0, 3, 1000),
            (-1, 10_000_000, 1),
        ] {
            let mut counts = vec![0u32; cols];
            bin(&times, t0, t1, &mut counts);
            let total: u64 = counts.iter().map(|&c| u64::from(c)).sum();
            assert_eq!(total as usize, count(&times, t0, t1), "{t0}..{t1} / {cols}");
            // Each event is in the column whose boundaries hold it.
            for (i, &c) in counts.iter().enumerate() {
                let (a, b) = (boundary(t0, t1, cols, i), boundary(t0, t1, cols, i + 1));
                assert_eq!(c as usize, count(&times, a, if i + 1 == cols { t1 } else { b }), "column {i}");
            }
        }
    }

    #[test]
    fn column_of_inverts_boundary_and_extremes_do_not_overflow() {
        for (t0, t1, cols) in [(0i64, 10i64, 3usize), (-7, 1_000_003, 977), (i64::MIN / 2, i64::MAX / 2, 1000)] {
            for i in 0..cols {
                let b = boundary(t0, t1, cols, i);
                if b < t1 && (i + 1 == cols || boundary(t0, t1, cols, i + 1) > b) {
                    assert_eq!(column_of(t0, t1, cols, b), Some(i));
                }
            }
            assert_eq!(column_of(t0, t1, cols, t1), None);
        }
        let mut c = vec![0u32; 10];
        bin(&[i64::MIN, 0, i64::MAX], i64::MIN, i64::MAX, &mut c);
        assert_eq!(c.iter().sum::<u32>(), 2);
    }
}
