//! Time-axis ticks from centuries down to microseconds, in UTC or a fixed offset.

use huntviz_table::{civil_from_days, days_from_civil, TICKS_PER_SECOND};

/// 100-ns ticks in a microsecond, millisecond, minute, hour, day.
pub const US: i64 = 10;
/// Ticks per millisecond.
pub const MS: i64 = 10_000;
/// Ticks per second.
pub const SEC: i64 = TICKS_PER_SECOND;
/// Ticks per minute.
pub const MIN: i64 = 60 * SEC;
/// Ticks per hour.
pub const HOUR: i64 = 60 * MIN;
/// Ticks per day.
pub const DAY: i64 = 24 * HOUR;

/// The zone times are shown in: UTC or a fixed offset (the browser's local offset at
/// the visible time).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Zone {
    /// Minutes east of UTC.
    pub offset_minutes: i32,
    /// `UTC`, or the local zone's name.
    pub name: String,
}

impl Default for Zone {
    fn default() -> Self {
        Zone { offset_minutes: 0, name: "UTC".to_string() }
    }
}

impl Zone {
    /// A fixed offset; the name says both the zone and the offset.
    pub fn fixed(offset_minutes: i32, name: &str) -> Zone {
        let offset_minutes = offset_minutes.clamp(-18 * 60, 18 * 60);
        let sign = if offset_minutes < 0 { '-' } else { '+' };
        let m = offset_minutes.unsigned_abs();
        let base: String = name.chars().filter(|c| !c.is_control()).take(40).collect();
        let base = if base.is_empty() { "local".to_string() } else { base };
        Zone { offset_minutes, name: format!("{base} (UTC{sign}{:02}:{:02})", m / 60, m % 60) }
    }

    fn offset(&self) -> i64 {
        i64::from(self.offset_minutes) * MIN
    }

    /// Civil parts of an instant in this zone: (year, month, day, hour, minute, second,
    /// ticks within the second).
    pub fn parts(&self, t: i64) -> (i64, i64, i64, i64, i64, i64, i64) {
        let local = t.saturating_add(self.offset());
        let days = local.div_euclid(DAY);
        let rem = local.rem_euclid(DAY);
        let (y, mo, d) = civil_from_days(days);
        (y, mo, d, rem / HOUR, rem / MIN % 60, rem / SEC % 60, rem % SEC)
    }

    /// `2024-05-06 14:05` (minutes) in this zone.
    pub fn minute_text(&self, t: i64) -> String {
        let (y, mo, d, h, mi, _, _) = self.parts(t);
        format!("{y:04}-{mo:02}-{d:02} {h:02}:{mi:02}")
    }

    /// Every digit: `2024-05-06 14:05:30.1234567`.
    pub fn full_text(&self, t: i64) -> String {
        let (y, mo, d, h, mi, s, f) = self.parts(t);
        format!("{y:04}-{mo:02}-{d:02} {h:02}:{mi:02}:{s:02}.{f:07}")
    }
}

/// One tick on the axis.
#[derive(Debug, Clone, PartialEq)]
pub struct Tick {
    /// The instant (UTC ticks).
    pub at: i64,
    /// Its label.
    pub label: String,
    /// A boundary of the next larger unit (a new day on an hour axis): drawn stronger.
    pub major: bool,
}

/// The ticks of a range and a context label (the date the labels are relative to).
#[derive(Debug, Clone, PartialEq)]
pub struct Axis {
    /// The tick step.
    pub step: Step,
    /// Ticks inside the range, in time order.
    pub ticks: Vec<Tick>,
    /// `2024-05-06 UTC`, or just the zone when labels carry the date.
    pub context: String,
}

/// A tick step: a fixed duration, or calendar months or years.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// A fixed number of 100-ns ticks.
    Fixed(i64),
    /// Calendar months.
    Months(i64),
    /// Calendar years.
    Years(i64),
}

impl Step {
    /// Rough length in ticks (for choosing a step).
    pub fn approx(self) -> i64 {
        match self {
            Step::Fixed(t) => t,
            Step::Months(m) => m * 30 * DAY + m * DAY / 2,
            Step::Years(y) => y * 365 * DAY + y * DAY / 4,
        }
    }

    /// Characters of a label at this step.
    fn label_chars(self) -> usize {
        match self {
            Step::Years(_) => 4,
            Step::Months(_) => 7,
            Step::Fixed(t) if t >= DAY => 5,
            Step::Fixed(t) if t >= MIN => 5,
            Step::Fixed(t) if t >= SEC => 8,
            Step::Fixed(t) if t >= MS => 12,
            Step::Fixed(_) => 15,
        }
    }
}

const STEPS: [Step; 45] = [
    Step::Fixed(US),
    Step::Fixed(2 * US),
    Step::Fixed(5 * US),
    Step::Fixed(10 * US),
    Step::Fixed(20 * US),
    Step::Fixed(50 * US),
    Step::Fixed(100 * US),
    Step::Fixed(200 * US),
    Step::Fixed(500 * US),
    Step::Fixed(MS),
    Step::Fixed(2 * MS),
    Step::Fixed(5 * MS),
    Step::Fixed(10 * MS),
    Step::Fixed(20 * MS),
    Step::Fixed(50 * MS),
    Step::Fixed(100 * MS),
    Step::Fixed(200 * MS),
    Step::Fixed(500 * MS),
    Step::Fixed(SEC),
    Step::Fixed(2 * SEC),
    Step::Fixed(5 * SEC),
    Step::Fixed(10 * SEC),
    Step::Fixed(15 * SEC),
    Step::Fixed(30 * SEC),
    Step::Fixed(MIN),
    Step::Fixed(2 * MIN),
    Step::Fixed(5 * MIN),
    Step::Fixed(10 * MIN),
    Step::Fixed(15 * MIN),
    Step::Fixed(30 * MIN),
    Step::Fixed(HOUR),
    Step::Fixed(2 * HOUR),
    Step::Fixed(3 * HOUR),
    Step::Fixed(6 * HOUR),
    Step::Fixed(12 * HOUR),
    Step::Fixed(DAY),
    Step::Fixed(2 * DAY),
    Step::Fixed(7 * DAY),
    Step::Months(1),
    Step::Months(3),
    Step::Months(6),
    Step::Years(1),
    Step::Years(5),
    Step::Years(10),
    Step::Years(100),
];

/// Ticks for `[t0, t1]` drawn `width` pixels wide with characters `char_width` wide:
/// the finest step whose labels do not collide.
pub fn axis(t0: i64, t1: i64, width: f32, char_width: f32, zone: &Zone) -> Axis {
    let span = (i128::from(t1) - i128::from(t0)).max(1) as f64;
    let px_per_tick = f64::from(width.max(1.0)) / span;
    let step = STEPS
        .iter()
        .copied()
        .find(|s| s.approx() as f64 * px_per_tick >= (s.label_chars() as f64 + 3.0) * f64::from(char_width.max(1.0)))
        .unwrap_or(Step::Years(100));
    let ticks: Vec<Tick> = tick_times(t0, t1, step, zone)
        .into_iter()
        .map(|at| {
            let (label, major) = label(at, step, zone);
            Tick { at, label, major }
        })
        .collect();
    let context = match step {
        Step::Fixed(s) if s < DAY => {
            // The date of the first labelled instant (the range may start the day before).
            let (y, mo, d, ..) = zone.parts(ticks.first().map_or(t0, |k| k.at));
            format!("{y:04}-{mo:02}-{d:02} {}", zone.name)
        }
        _ => zone.name.clone(),
    };
    Axis { step, ticks, context }
}

/// Instants of the ticks of `step` in `[t0, t1]`, aligned in `zone`.
pub fn tick_times(t0: i64, t1: i64, step: Step, zone: &Zone) -> Vec<i64> {
    let mut out = Vec::new();
    let off = zone.offset();
    match step {
        Step::Fixed(s) => {
            // Weeks start on Monday (1970-01-05 was one).
            let base = if s == 7 * DAY { 4 * DAY } else { 0 };
            let local0 = t0.saturating_add(off).saturating_sub(base);
            let floor = (i128::from(local0.div_euclid(s)) * i128::from(s)).max(i128::from(i64::MIN)) as i64;
            let mut at = floor.saturating_add(base).saturating_sub(off);
            if at < t0 {
                at = at.saturating_add(s);
            }
            while at <= t1 && out.len() < 10_000 {
                out.push(at);
                let Some(next) = at.checked_add(s) else { break };
                at = next;
            }
        }
        Step::Months(_) | Step::Years(_) => {
            let months = match step {
                Step::Months(m) => m,
                Step::Years(y) => 12 * y,
                Step::Fixed(_) => 1,
            };
            let (y, mo, ..) = zone.parts(t0);
            let mut index = (y * 12 + mo - 1).div_euclid(months) * months;
            loop {
                let (yy, mm) = (index.div_euclid(12), index.rem_euclid(12) + 1);
                let at = days_from_civil(yy, mm, 1).saturating_mul(DAY).saturating_sub(off);
                if at > t1 || out.len() >= 10_000 {
                    break;
                }
                if at >= t0 {
                    out.push(at);
                }
                index += months;
            }
        }
    }
    out
}

fn label(at: i64, step: Step, zone: &Zone) -> (String, bool) {
    let (y, mo, d, h, mi, s, f) = zone.parts(at);
    let midnight = h == 0 && mi == 0 && s == 0 && f == 0;
    match step {
        Step::Years(_) => (format!("{y:04}"), true),
        Step::Months(_) => (format!("{y:04}-{mo:02}"), mo == 1),
        Step::Fixed(t) if t >= DAY => (format!("{mo:02}-{d:02}"), d == 1),
        Step::Fixed(t) if t >= MIN => {
            if midnight {
                (format!("{mo:02}-{d:02}"), true)
            } else {
                (format!("{h:02}:{mi:02}"), false)
            }
        }
        Step::Fixed(t) if t >= SEC => (format!("{h:02}:{mi:02}:{s:02}"), mi == 0 && s == 0),
        Step::Fixed(t) if t >= MS => (format!("{h:02}:{mi:02}:{s:02}.{:03}", f / MS), f == 0),
        Step::Fixed(_) => (format!("{h:02}:{mi:02}:{s:02}.{:06}", f / US), f == 0),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(text: &str) -> i64 {
        huntviz_table::parse_datetime(text.as_bytes()).expect("datetime").ticks
    }

    #[test]
    fn steps_follow_the_zoom_from_centuries_to_microseconds() {
        let zone = Zone::default();
        let start = t("2024-05-06T10:00:00Z");
        let cases: [(i64, Step); 7] = [
            (200 * 365 * DAY, Step::Years(10)),
            (3 * 365 * DAY, Step::Months(3)),
            (10 * DAY, Step::Fixed(DAY)),
            (DAY, Step::Fixed(2 * HOUR)),
            (10 * MIN, Step::Fixed(MIN)),
            (15 * SEC / 10, Step::Fixed(200 * MS)),
            (50 * US, Step::Fixed(10 * US)),
        ];
        for (span, want) in cases {
            let a = axis(start, start + span, 1000.0, 7.0, &zone);
            assert_eq!(a.step, want, "span {span}");
            assert!(a.ticks.len() >= 3, "span {span}: {:?}", a.ticks);
            // Labels never overlap: their spacing is wider than their text.
            for w in a.ticks.windows(2) {
                let px = (w[1].at - w[0].at) as f64 / span as f64 * 1000.0;
                assert!(px >= (w[0].label.chars().count() as f64 + 1.0) * 7.0, "{w:?} {px}");
            }
        }
    }

    #[test]
    fn ticks_are_aligned_in_the_zone_and_labelled_there() {
        let start = t("2024-05-06T00:10:00Z");
        let end = start + 12 * HOUR;
        let utc = tick_times(start, end, Step::Fixed(3 * HOUR), &Zone::default());
        assert_eq!(utc.first().copied(), Some(t("2024-05-06T03:00:00Z")));
        // India is UTC+05:30: local 06:00 is 00:30 UTC.
        let ist = Zone::fixed(330, "Asia/Kolkata");
        let local = tick_times(start, end, Step::Fixed(3 * HOUR), &ist);
        assert_eq!(local.first().copied(), Some(t("2024-05-06T00:30:00Z")));
        let a = axis(start, end, 900.0, 7.0, &ist);
        assert!(a.ticks.iter().all(|k| k.at % (30 * MIN) == 0));
        assert!(a.ticks.iter().any(|k| k.label == "09:00"), "{:?}", a.ticks);
        assert!(a.context.starts_with("2024-05-06 Asia/Kolkata (UTC+05:30)"), "{}", a.context);
        // Midnight in Los Angeles (UTC-08:00 fixed) is a major day tick labelled by date.
        let la = Zone::fixed(-480, "America/Los_Angeles");
        let a = axis(t("2024-01-01T00:00:00Z"), t("2024-01-02T00:00:00Z"), 900.0, 7.0, &la);
        let midnight = a.ticks.iter().find(|k| k.at == t("2024-01-01T08:00:00Z")).expect("local midnight");
        assert_eq!((midnight.label.as_str(), midnight.major), ("01-01", true));
    }

    #[test]
    fn weeks_start_on_monday_and_months_and_years_follow_the_calendar() {
        let zone = Zone::default();
        let weeks = tick_times(t("2024-05-01T00:00:00Z"), t("2024-06-01T00:00:00Z"), Step::Fixed(7 * DAY), &zone);
        assert_eq!(weeks.first().copied(), Some(t("2024-05-06T00:00:00Z")), "Monday");
        let months = tick_times(t("2023-11-15T00:00:00Z"), t("2024-04-15T00:00:00Z"), Step::Months(3), &zone);
        assert_eq!(months, vec![t("2024-01-01T00:00:00Z"), t("2024-04-01T00:00:00Z")]);
        let years = tick_times(t("1999-06-01T00:00:00Z"), t("2021-01-01T00:00:00Z"), Step::Years(10), &zone);
        assert_eq!(years, vec![t("2000-01-01T00:00:00Z"), t("2010-01-01T00:00:00Z"), t("2020-01-01T00:00:00Z")]);
        let a = axis(t("2023-01-01T00:00:00Z"), t("2026-01-01T00:00:00Z"), 1000.0, 7.0, &zone);
        assert!(a.ticks.iter().any(|k| k.label == "2024-01" && k.major), "{:?}", a.ticks);
    }

    #[test]
    fn sub_second_labels_keep_their_digits_and_extremes_do_not_overflow() {
        let zone = Zone::default();
        let s = t("2024-05-06T10:00:00.1234567Z");
        let a = axis(s, s + 50 * US, 800.0, 7.0, &zone);
        assert!(a.ticks.iter().all(|k| k.label.len() == 15), "{:?}", a.ticks);
        assert!(a.ticks.iter().any(|k| k.label.starts_with("10:00:00.1234")), "{:?}", a.ticks);
        let a = axis(i64::MIN / 2, i64::MAX / 2, 800.0, 7.0, &zone);
        assert!(a.ticks.len() <= 10_000);
        let a = axis(s, s, 800.0, 7.0, &Zone::fixed(i32::MAX, "x"));
        assert!(a.ticks.len() <= 10_000);
    }
}
