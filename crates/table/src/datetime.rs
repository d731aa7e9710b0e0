//! Exact datetimes (100-ns ticks since the Unix epoch, UTC) and timespans (100-ns ticks).
//!
//! Parsing is strict ISO 8601 / RFC 3339 as Kusto writes it (`2024-05-06T01:02:03.1234567Z`),
//! plus what other sources send: a space instead of `T`, offsets (`+02:00`, `+0200`),
//! no offset (read as UTC and reported), up to 9 fraction digits (truncated to 100 ns
//! and reported), and a bare date.

/// 100-ns ticks per second.
pub const TICKS_PER_SECOND: i64 = 10_000_000;
const TICKS_PER_DAY: i64 = 86_400 * TICKS_PER_SECOND;

/// The outcome of reading one datetime.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DateTimeParse {
    /// Ticks since 1970-01-01T00:00:00Z.
    pub ticks: i64,
    /// The text had no UTC offset and was read as UTC.
    pub no_offset: bool,
    /// Digits beyond 100 ns were dropped.
    pub truncated: bool,
}

fn digits(b: &[u8], at: usize, n: usize) -> Option<i64> {
    number(b.get(at..at + n)?)
}

/// The value of a run of ASCII digits (short runs only: no overflow check).
#[inline(always)]
fn number(s: &[u8]) -> Option<i64> {
    let mut v = 0i64;
    for &d in s {
        if !d.is_ascii_digit() {
            return None;
        }
        v = v * 10 + i64::from(d - b'0');
    }
    Some(v)
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
pub fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The proleptic Gregorian (year, month, day) of a day number since 1970-01-01.
pub fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (if m <= 2 { y + 1 } else { y }, m, d)
}

fn days_in_month(y: i64, m: i64) -> i64 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        _ => 28,
    }
}

/// Parses a datetime. `None` when the text is not a datetime.
pub fn parse_datetime(text: &[u8]) -> Option<DateTimeParse> {
    parse_datetime_cached(text, &mut DateCache::default())
}

/// The last date part read (`YYYY-MM-DD` → days since the epoch): the events of a
/// result mostly share a few dates, so a column keeps one and skips the calendar math.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct DateCache {
    key: [u8; 10],
    days: i64,
    valid: bool,
}

/// [`parse_datetime`] with a cache of the last date part.
pub(crate) fn parse_datetime_cached(text: &[u8], cache: &mut DateCache) -> Option<DateTimeParse> {
    let b = text.trim_ascii();
    let date = b.get(..10)?;
    let days = if cache.valid && cache.key == date {
        cache.days
    } else {
        let year = digits(b, 0, 4)?;
        if b.get(4) != Some(&b'-') || b.get(7) != Some(&b'-') {
            return None;
        }
        let month = digits(b, 5, 2)?;
        let day = digits(b, 8, 2)?;
        if !(1..=12).contains(&month) || day < 1 || day > days_in_month(year, month) {
            return None;
        }
        let days = days_from_civil(year, month, day);
        cache.key.copy_from_slice(date);
        cache.days = days;
        cache.valid = true;
        days
    };
    // The form Kusto and Log Analytics write, read without the general rules' branches.
    // The fraction's length is matched before its digits are read: a long run would overflow.
    if let [_, _, _, _, _, _, _, _, _, _, b'T', h1, h2, b':', m1, m2, b':', s1, s2, b'.', f @ .., b'Z'] = b {
        if let (Some(hour), Some(minute), Some(second), Some(frac)) =
            (number(&[*h1, *h2]), number(&[*m1, *m2]), number(&[*s1, *s2]), if f.len() == 7 { number(f) } else { None })
        {
            if hour < 24 && minute < 60 && second < 60 {
                let ticks = days * TICKS_PER_DAY + (hour * 3600 + minute * 60 + second) * TICKS_PER_SECOND + frac;
                return Some(DateTimeParse { ticks, no_offset: false, truncated: false });
            }
        }
    }
    let mut ticks = days * TICKS_PER_DAY;
    let mut no_offset = true;
    let mut truncated = false;
    if b.len() == 10 {
        return Some(DateTimeParse { ticks, no_offset: false, truncated });
    }
    if !matches!(b.get(10), Some(b'T' | b't' | b' ')) {
        return None;
    }
    let hour = digits(b, 11, 2)?;
    if b.get(13) != Some(&b':') {
        return None;
    }
    let minute = digits(b, 14, 2)?;
    let mut i = 16;
    let mut second = 0;
    if b.get(16) == Some(&b':') {
        second = digits(b, 17, 2)?;
        i = 19;
    }
    // 24:00:00 is accepted as the end of the day; a leap second 23:59:60 is kept as :59.9999999.
    if hour > 24 || minute > 59 || second > 60 || (hour == 24 && (minute > 0 || second > 0)) {
        return None;
    }
    let leap = second == 60;
    let second = if leap { 59 } else { second };
    ticks += (hour * 3600 + minute * 60 + second) * TICKS_PER_SECOND;
    if matches!(b.get(i), Some(b'.' | b',')) {
        i += 1;
        let start = i;
        let mut frac = 0i64;
        while let Some(&d) = b.get(i) {
            if !d.is_ascii_digit() {
                break;
            }
            let n = i - start;
            if n < 7 {
                frac = frac * 10 + i64::from(d - b'0');
            } else if d != b'0' {
                truncated = true;
            }
            i += 1;
        }
        let n = i - start;
        if n == 0 {
            return None;
        }
        for _ in n..7 {
            frac *= 10;
        }
        ticks += frac;
    }
    if leap {
        ticks += TICKS_PER_SECOND - 1;
    }
    match b.get(i) {
        None => {}
        Some(b'Z' | b'z') if i + 1 == b.len() => no_offset = false,
        Some(&sign @ (b'+' | b'-')) => {
            let oh = digits(b, i + 1, 2)?;
            let om = match (b.get(i + 3), b.len() - i) {
                (Some(b':'), 6) => digits(b, i + 4, 2)?,
                (_, 5) => digits(b, i + 3, 2)?,
                (_, 3) => 0,
                _ => return None,
            };
            if oh > 23 || om > 59 {
                return None;
            }
            let offset = (oh * 3600 + om * 60) * TICKS_PER_SECOND;
            ticks = if sign == b'+' { ticks - offset } else { ticks + offset };
            no_offset = false;
        }
        _ => return None,
    }
    Some(DateTimeParse { ticks, no_offset, truncated })
}

/// Parses the US-style datetime the Azure portal writes in CSV exports
/// (`5/6/2024, 1:02:03.123 PM`; the column header says `[UTC]`). `None` otherwise.
pub fn parse_portal_datetime(text: &[u8]) -> Option<i64> {
    let t = std::str::from_utf8(text.trim_ascii()).ok()?;
    let (date, rest) = t.split_once(',')?;
    let mut d = date.trim().split('/');
    let month: i64 = d.next()?.parse().ok()?;
    let day: i64 = d.next()?.parse().ok()?;
    let year: i64 = d.next()?.parse().ok()?;
    // Four-digit years, as the portal writes them (and as ISO 8601 here is read):
    // a fuzzed 290024 must not overflow the ticks.
    if d.next().is_some()
        || !(1..=9999).contains(&year)
        || !(1..=12).contains(&month)
        || day < 1
        || day > days_in_month(year, month)
    {
        return None;
    }
    let rest = rest.trim();
    let (clock, meridiem) = rest.rsplit_once(' ')?;
    let mut c = clock.split(':');
    let mut hour: i64 = c.next()?.parse().ok()?;
    let minute: i64 = c.next()?.parse().ok()?;
    let sec_text = c.next().unwrap_or("0");
    if c.next().is_some() || !(1..=12).contains(&hour) || !(0..=59).contains(&minute) {
        return None;
    }
    let (sec, frac) = match sec_text.split_once('.') {
        Some((s, f)) => (s, f),
        None => (sec_text, ""),
    };
    let second: i64 = sec.parse().ok()?;
    if !(0..=59).contains(&second) || frac.len() > 7 || !frac.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let mut fraction = 0i64;
    for (k, b) in frac.bytes().enumerate() {
        fraction += i64::from(b - b'0') * 10i64.pow(6 - k as u32);
    }
    match meridiem {
        "AM" | "am" => {
            if hour == 12 {
                hour = 0;
            }
        }
        "PM" | "pm" => {
            if hour != 12 {
                hour += 12;
            }
        }
        _ => return None,
    }
    Some(
        days_from_civil(year, month, day) * TICKS_PER_DAY
            + (hour * 3600 + minute * 60 + second) * TICKS_PER_SECOND
            + fraction,
    )
}

/// Formats ticks as ISO 8601 UTC with as many fraction digits as needed (0, 3, 6 or 7).
pub fn format_datetime(ticks: i64, out: &mut String) {
    use std::fmt::Write;
    let days = ticks.div_euclid(TICKS_PER_DAY);
    let rem = ticks.rem_euclid(TICKS_PER_DAY);
    let (y, m, d) = civil_from_days(days);
    let secs = rem / TICKS_PER_SECOND;
    let frac = rem % TICKS_PER_SECOND;
    let _ = write!(out, "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}", secs / 3600, secs / 60 % 60, secs % 60);
    write_fraction(frac, out);
    out.push('Z');
}

/// Formats ticks as ISO 8601 UTC with all 7 fraction digits (exports).
pub fn format_datetime_full(ticks: i64, out: &mut String) {
    use std::fmt::Write;
    let days = ticks.div_euclid(TICKS_PER_DAY);
    let rem = ticks.rem_euclid(TICKS_PER_DAY);
    let (y, m, d) = civil_from_days(days);
    let secs = rem / TICKS_PER_SECOND;
    let frac = rem % TICKS_PER_SECOND;
    let _ = write!(out, "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}.{frac:07}Z", secs / 3600, secs / 60 % 60, secs % 60);
}

fn write_fraction(frac: i64, out: &mut String) {
    use std::fmt::Write;
    if frac == 0 {
        return;
    }
    if frac % 10_000 == 0 {
        let _ = write!(out, ".{:03}", frac / 10_000);
    } else if frac % 10 == 0 {
        let _ = write!(out, ".{:06}", frac / 10);
    } else {
        let _ = write!(out, ".{frac:07}");
    }
}

/// Parses a timespan: `[-][d.]hh:mm:ss[.fffffff]` or a number of ticks.
pub fn parse_timespan(text: &[u8]) -> Option<i64> {
    let b = text.trim_ascii();
    if let Some(t) = crate::json::parse_i64(b) {
        return Some(t);
    }
    let (neg, rest) = match b.first() {
        Some(b'-') => (true, b.get(1..)?),
        _ => (false, b),
    };
    let colon = rest.iter().position(|&c| c == b':')?;
    let head = rest.get(..colon)?;
    let (days, hours_text) = match head.iter().position(|&c| c == b'.') {
        Some(dot) => (std::str::from_utf8(head.get(..dot)?).ok()?.parse::<i64>().ok()?, head.get(dot + 1..)?),
        None => (0, head),
    };
    let hours: i64 = std::str::from_utf8(hours_text).ok()?.parse().ok()?;
    let tail = rest.get(colon + 1..)?;
    let minutes = digits(tail, 0, 2)?;
    if tail.get(2) != Some(&b':') {
        return None;
    }
    let seconds = digits(tail, 3, 2)?;
    let mut frac = 0i64;
    if tail.len() > 5 {
        if tail.get(5) != Some(&b'.') {
            return None;
        }
        let f = tail.get(6..)?;
        if f.is_empty() || f.len() > 9 || !f.iter().all(u8::is_ascii_digit) {
            return None;
        }
        for (k, &d) in f.iter().enumerate() {
            if k < 7 {
                frac = frac * 10 + i64::from(d - b'0');
            }
        }
        for _ in f.len().min(7)..7 {
            frac *= 10;
        }
    }
    if minutes > 59 || seconds > 59 || hours < 0 || days < 0 {
        return None;
    }
    // In 128 bits: the magnitude of the most negative timespan, -(2^63), is not an i64.
    let total = i128::from(days) * i128::from(TICKS_PER_DAY)
        + i128::from(hours) * i128::from(3600 * TICKS_PER_SECOND)
        + i128::from((minutes * 60 + seconds) * TICKS_PER_SECOND + frac);
    i64::try_from(if neg { -total } else { total }).ok()
}

/// Formats ticks as a Kusto timespan `[-][d.]hh:mm:ss[.fffffff]`.
pub fn format_timespan(ticks: i64, out: &mut String) {
    use std::fmt::Write;
    if ticks < 0 {
        out.push('-');
    }
    let t = ticks.unsigned_abs();
    let tps = TICKS_PER_SECOND as u64;
    let days = t / (TICKS_PER_DAY as u64);
    let rem = t % (TICKS_PER_DAY as u64);
    let secs = rem / tps;
    let frac = rem % tps;
    if days > 0 {
        let _ = write!(out, "{days}.");
    }
    let _ = write!(out, "{:02}:{:02}:{:02}", secs / 3600, secs / 60 % 60, secs % 60);
    if frac > 0 {
        let _ = write!(out, ".{frac:07}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ticks(s: &str) -> i64 {
        parse_datetime(s.as_bytes()).unwrap().ticks
    }

    #[test]
    fn round_trips_with_100ns_precision() {
        for s in [
            "2024-05-06T01:02:03.1234567Z",
            "1970-01-01T00:00:00Z",
            "0001-01-01T00:00:00Z",
            "9999-12-31T23:59:59.9999999Z",
            "1969-12-31T23:59:59.9000000Z",
            "2000-02-29T12:00:00.123Z",
        ] {
            let mut out = String::new();
            format_datetime(ticks(s), &mut out);
            let expected = s.replace(".9000000Z", ".900Z");
            assert_eq!(out, expected);
        }
    }

    #[test]
    fn the_kusto_form_reads_as_the_general_rules_do() {
        // `…Z` with 7 fraction digits takes a shortcut; `+00:00` takes the general path.
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        let mut cache = DateCache::default();
        for _ in 0..20_000 {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            let ticks = (seed % (400 * 365 * TICKS_PER_DAY as u64)) as i64;
            let mut text = String::new();
            format_datetime(ticks, &mut text);
            let (date, time) = text.trim_end_matches('Z').split_at(19);
            let z = format!("{date}{:.<1}{:0<7}Z", ".", time.trim_start_matches('.'));
            let offset = z.replace('Z', "+00:00");
            let fast = parse_datetime_cached(z.as_bytes(), &mut cache).unwrap();
            let general = parse_datetime(offset.as_bytes()).unwrap();
            assert_eq!(fast.ticks, general.ticks, "{z}");
            assert_eq!(fast.ticks, ticks, "{z}");
            assert!(!fast.no_offset && !fast.truncated);
            assert_eq!(z.len(), 28, "{z}");
        }
        // What the shortcut leaves to the general rules.
        assert_eq!(ticks("2024-05-06T24:00:00.0000000Z"), ticks("2024-05-07T00:00:00Z"));
        assert_eq!(ticks("2024-05-06T23:59:60.0000000Z"), ticks("2024-05-06T23:59:59.9999999Z"));
        assert!(parse_datetime(b"2024-05-06T23:60:00.0000000Z").is_none());
        assert!(parse_datetime(b"2024-05-06T2a:00:00.0000000Z").is_none());
        // A fraction longer than 7 digits goes to the general rules too (fuzzing found the
        // shortcut reading a long one before checking its length, and overflowing).
        let long = format!("2024-05-06T01:02:03.{}Z", "9".repeat(40));
        let p = parse_datetime(long.as_bytes()).unwrap();
        assert!(p.truncated);
        assert_eq!(p.ticks, ticks("2024-05-06T01:02:03.9999999Z"));
    }

    #[test]
    fn offsets_convert_to_utc() {
        assert_eq!(ticks("2024-05-06T03:00:00+02:00"), ticks("2024-05-06T01:00:00Z"));
        assert_eq!(ticks("2024-05-06T03:00:00-0130"), ticks("2024-05-06T04:30:00Z"));
        let p = parse_datetime(b"2024-05-06 03:00:00").unwrap();
        assert!(p.no_offset);
        assert_eq!(p.ticks, ticks("2024-05-06T03:00:00Z"));
    }

    #[test]
    fn nanoseconds_are_truncated_and_reported() {
        let p = parse_datetime(b"2024-05-06T00:00:00.123456789Z").unwrap();
        assert!(p.truncated);
        assert_eq!(p.ticks % TICKS_PER_SECOND, 1_234_567);
        assert!(!parse_datetime(b"2024-05-06T00:00:00.123456700Z").unwrap().truncated);
    }

    #[test]
    fn invalid_datetimes_are_rejected() {
        for s in [
            "",
            "NaN",
            "2024-02-30T00:00:00Z",
            "2024-13-01",
            "2024-05-06T25:00:00Z",
            "2024-05-06T00:00:00Q",
            "2024-05-06T00:00:00.",
        ] {
            assert!(parse_datetime(s.as_bytes()).is_none(), "{s}");
        }
    }

    #[test]
    fn year_zero_and_leap_second() {
        assert!(parse_datetime(b"0000-01-01T00:00:00Z").is_some());
        assert_eq!(ticks("2016-12-31T23:59:60Z"), ticks("2017-01-01T00:00:00Z") - 1);
    }

    #[test]
    fn portal_csv_datetimes() {
        assert_eq!(parse_portal_datetime(b"5/6/2024, 1:02:03.123 PM"), Some(ticks("2024-05-06T13:02:03.123Z")));
        assert_eq!(parse_portal_datetime(b"12/31/2023, 12:00:00 AM"), Some(ticks("2023-12-31T00:00:00Z")));
        assert_eq!(parse_portal_datetime(b"2/30/2024, 1:00:00 PM"), None);
        // Found by fuzzing: a six-digit year overflowed the ticks.
        assert_eq!(parse_portal_datetime(b"5/6/290024, 1:02:03.123 PM"), None);
        assert_eq!(parse_portal_datetime(b"5/6/2024, 1:-2:03 PM"), None);
        assert_eq!(
            parse_portal_datetime(b"5/6/9999, 11:59:59.9999999 PM"),
            Some(ticks("9999-05-06T23:59:59.9999999Z"))
        );
        assert_eq!(parse_portal_datetime(b"2024-05-06T00:00:00Z"), None);
    }

    #[test]
    fn timespans() {
        assert_eq!(parse_timespan(b"-2.00:00:02.0020002"), Some(-(2 * TICKS_PER_DAY + 20_020_002)));
        assert_eq!(parse_timespan(b"00:00:00.0000001"), Some(1));
        assert_eq!(parse_timespan(b"36000000000"), Some(36_000_000_000));
        assert_eq!(parse_timespan(b"1:2:3"), None);
        let mut out = String::new();
        format_timespan(-(2 * TICKS_PER_DAY + 20_020_002), &mut out);
        assert_eq!(out, "-2.00:00:02.0020002");
        // The ends of the range, which export writes and must read back.
        for ticks in [i64::MIN, i64::MAX] {
            out.clear();
            format_timespan(ticks, &mut out);
            assert_eq!(parse_timespan(out.as_bytes()), Some(ticks), "{out}");
        }
        assert_eq!(parse_timespan(b"-10675199.02:48:05.4775809"), None);
    }
}
