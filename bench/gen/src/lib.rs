//! Data for huntviz's benchmarks and tests, deterministic for a seed: the
//! `huntviz-gen` DeviceProcessEvents generator's building blocks, and [`truth`], the
//! process-tree ground-truth generators (Defender-internal rows with mixed name
//! spellings; memory-snapshot listings with exited parents and reused PIDs), whose
//! every row comes with its true parent.

pub mod truth;

/// 100-ns ticks in a second.
pub const TICKS_PER_SECOND: i64 = 10_000_000;

/// splitmix64: tiny, fast and stable across versions (a benchmark's data must not
/// change when a dependency does).
pub struct Rng(pub u64);

impl Rng {
    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// A number in `0..n` (0 when `n` is 0).
    pub fn below(&mut self, n: u64) -> u64 {
        if n == 0 {
            0
        } else {
            self.next_u64() % n
        }
    }
    /// One of `items` (which must not be empty).
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }
    /// True with probability `p`.
    pub fn chance(&mut self, p: f64) -> bool {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64 <= p
    }
    /// A random GUID in its usual text form.
    pub fn guid(&mut self) -> String {
        let a = self.next_u64();
        let b = self.next_u64();
        format!(
            "{:08x}-{:04x}-{:04x}-{:04x}-{:012x}",
            a >> 32,
            (a >> 16) & 0xffff,
            a & 0xffff,
            b >> 48,
            b & 0xffff_ffff_ffff
        )
    }
    /// `n` random hex digits.
    pub fn hex(&mut self, n: usize) -> String {
        let mut s = String::with_capacity(n);
        while s.len() < n {
            s.push_str(&format!("{:016x}", self.next_u64()));
        }
        s.truncate(n);
        s
    }
}

/// Appends `ticks` (100 ns since the Unix epoch) as `YYYY-MM-DD{sep}HH:MM:SS`, then a
/// fraction of `digits` digits (none for 0) and `suffix`.
pub fn write_time(out: &mut String, ticks: i64, sep: char, digits: usize, suffix: &str) {
    use std::fmt::Write;
    let (days, rem) = (ticks.div_euclid(86_400 * TICKS_PER_SECOND), ticks.rem_euclid(86_400 * TICKS_PER_SECOND));
    let (y, m, d) = huntviz_table::civil_from_days(days);
    let secs = rem / TICKS_PER_SECOND;
    let _ = write!(out, "{y:04}-{m:02}-{d:02}{sep}{:02}:{:02}:{:02}", secs / 3600, secs / 60 % 60, secs % 60);
    if digits > 0 {
        let frac = format!("{:07}", rem % TICKS_PER_SECOND);
        out.push('.');
        out.push_str(frac.get(..digits.min(7)).unwrap_or(&frac));
    }
    out.push_str(suffix);
}

/// Appends `ticks` as a quoted ISO 8601 JSON string with 100-ns digits.
pub fn write_time_json(out: &mut String, ticks: i64) {
    out.push('"');
    write_time(out, ticks, 'T', 7, "Z");
    out.push('"');
}
