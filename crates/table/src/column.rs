//! Columnar storage: typed vectors, validity bitmaps and dictionary-encoded strings.

use std::cmp::Ordering;

use crate::datetime::{format_datetime, format_timespan};
use crate::store::{Span, TextStore};
use crate::types::ColumnType;

/// Which rows hold a value. One bit per row.
#[derive(Debug, Clone, Default)]
pub struct Validity {
    bits: Vec<u64>,
    len: usize,
    nulls: usize,
}

impl Validity {
    #[inline]
    pub(crate) fn push(&mut self, valid: bool) {
        let word = self.len / 64;
        if word == self.bits.len() {
            self.bits.push(0);
        }
        if valid {
            if let Some(w) = self.bits.get_mut(word) {
                *w |= 1 << (self.len % 64);
            }
        } else {
            self.nulls += 1;
        }
        self.len += 1;
    }

    pub(crate) fn reserve(&mut self, additional: usize) {
        self.bits.reserve((self.len + additional).div_ceil(64).saturating_sub(self.bits.len()));
    }

    /// Whether row `i` holds a value (out of range: no).
    #[inline]
    pub fn is_valid(&self, i: usize) -> bool {
        i < self.len && self.bits.get(i / 64).is_some_and(|w| w & (1 << (i % 64)) != 0)
    }

    /// Number of null rows.
    pub fn null_count(&self) -> usize {
        self.nulls
    }
}

/// Code of a null in a dictionary-encoded column.
pub(crate) const NULL_CODE: u32 = u32::MAX;
/// Span of a null in a plain string column.
pub(crate) const NULL_SPAN: Span = Span { start: u32::MAX, len: u32::MAX };

/// A string column: dictionary-encoded when values repeat, plain spans otherwise.
#[derive(Debug, Clone)]
pub enum StrColumn {
    /// `codes[row]` indexes `dict`; [`u32::MAX`] is null.
    Dict {
        /// Distinct values in first-seen order.
        dict: Vec<Span>,
        /// One code per row.
        codes: Vec<u32>,
    },
    /// One span per row; a span with `start == u32::MAX` is null.
    Plain {
        /// One span per row.
        spans: Vec<Span>,
    },
}

impl StrColumn {
    /// The span of row `i`, or `None` for null.
    #[inline]
    pub fn span(&self, i: usize) -> Option<Span> {
        match self {
            StrColumn::Dict { dict, codes } => codes.get(i).and_then(|&c| dict.get(c as usize)).copied(),
            StrColumn::Plain { spans } => spans.get(i).copied().filter(|s| *s != NULL_SPAN),
        }
    }

    /// Number of distinct values, when dictionary-encoded.
    pub fn distinct(&self) -> Option<usize> {
        match self {
            StrColumn::Dict { dict, .. } => Some(dict.len()),
            StrColumn::Plain { .. } => None,
        }
    }

    fn heap_bytes(&self) -> usize {
        match self {
            StrColumn::Dict { dict, codes } => dict.capacity() * 8 + codes.capacity() * 4,
            StrColumn::Plain { spans } => spans.capacity() * 8,
        }
    }
}

/// The values of a column.
#[derive(Debug, Clone)]
pub enum ColumnData {
    /// bool: 0 false, 1 true, 2 null.
    Bool(Vec<u8>),
    /// int, long, datetime (ticks since the epoch), timespan (ticks).
    I64(Vec<i64>, Validity),
    /// real.
    F64(Vec<f64>, Validity),
    /// string, guid, dynamic (JSON text), decimal (exact text).
    Str(StrColumn),
}

/// One typed column.
#[derive(Debug, Clone)]
pub struct Column {
    /// Column name.
    pub name: String,
    /// Column type.
    pub ty: ColumnType,
    /// Values.
    pub data: ColumnData,
}

/// Formats a real the way a hunter expects: shortest exact digits, exponent only for
/// very large or small magnitudes, `NaN` / `Infinity` spelled as Kusto does.
pub fn format_real(v: f64, out: &mut String) {
    use std::fmt::Write;
    if v.is_nan() {
        out.push_str("NaN");
    } else if v.is_infinite() {
        out.push_str(if v > 0.0 { "Infinity" } else { "-Infinity" });
    } else if v != 0.0 && (v.abs() >= 1e16 || v.abs() < 1e-5) {
        let _ = write!(out, "{v:e}");
    } else {
        let _ = write!(out, "{v}");
    }
}

impl Column {
    /// Whether row `i` is null.
    pub fn is_null(&self, i: usize) -> bool {
        match &self.data {
            ColumnData::Bool(v) => v.get(i).is_none_or(|&b| b > 1),
            ColumnData::I64(_, valid) | ColumnData::F64(_, valid) => !valid.is_valid(i),
            ColumnData::Str(s) => s.span(i).is_none(),
        }
    }

    /// Number of nulls.
    pub fn null_count(&self) -> usize {
        match &self.data {
            ColumnData::Bool(v) => v.iter().filter(|&&b| b > 1).count(),
            ColumnData::I64(_, valid) | ColumnData::F64(_, valid) => valid.null_count(),
            ColumnData::Str(StrColumn::Dict { codes, .. }) => codes.iter().filter(|&&c| c == NULL_CODE).count(),
            ColumnData::Str(StrColumn::Plain { spans }) => spans.iter().filter(|&&s| s == NULL_SPAN).count(),
        }
    }

    /// The 64-bit integer value of row `i` (int, long, datetime ticks, timespan ticks).
    pub fn i64_value(&self, i: usize) -> Option<i64> {
        match &self.data {
            ColumnData::I64(v, valid) if valid.is_valid(i) => v.get(i).copied(),
            _ => None,
        }
    }

    /// Appends row `i`'s exact text to `out`; `false` for null.
    pub fn write_value(&self, i: usize, store: &TextStore, out: &mut String) -> bool {
        use std::fmt::Write;
        match &self.data {
            ColumnData::Bool(v) => match v.get(i) {
                Some(0) => out.push_str("false"),
                Some(1) => out.push_str("true"),
                _ => return false,
            },
            ColumnData::I64(v, valid) => {
                let Some(&x) = v.get(i).filter(|_| valid.is_valid(i)) else { return false };
                match self.ty {
                    ColumnType::DateTime => format_datetime(x, out),
                    ColumnType::TimeSpan => format_timespan(x, out),
                    _ => {
                        let _ = write!(out, "{x}");
                    }
                }
            }
            ColumnData::F64(v, valid) => {
                let Some(&x) = v.get(i).filter(|_| valid.is_valid(i)) else { return false };
                format_real(x, out);
            }
            ColumnData::Str(s) => {
                let Some(span) = s.span(i) else { return false };
                out.push_str(&store.text(span));
            }
        }
        true
    }

    /// Bytes this column holds outside the text store.
    pub fn heap_bytes(&self) -> usize {
        match &self.data {
            ColumnData::Bool(v) => v.capacity(),
            ColumnData::I64(v, _) => v.capacity() * 8 + v.capacity() / 8,
            ColumnData::F64(v, _) => v.capacity() * 8 + v.capacity() / 8,
            ColumnData::Str(s) => s.heap_bytes(),
        }
    }

    /// Stable sort order over `rows` rows, nulls last in both directions.
    pub fn sort_order(&self, rows: usize, store: &TextStore, descending: bool) -> Vec<u32> {
        let mut valid: Vec<u32> = Vec::with_capacity(rows);
        let mut nulls: Vec<u32> = Vec::new();
        for i in 0..rows {
            if self.is_null(i) {
                nulls.push(i as u32);
            } else {
                valid.push(i as u32);
            }
        }
        let dir = |o: Ordering| if descending { o.reverse() } else { o };
        match &self.data {
            ColumnData::Bool(v) => {
                valid.sort_by(|&a, &b| dir(v.get(a as usize).cmp(&v.get(b as usize))));
            }
            ColumnData::I64(v, _) => {
                let key = |i: u32| v.get(i as usize).copied().unwrap_or(0);
                valid.sort_by(|&a, &b| dir(key(a).cmp(&key(b))));
            }
            ColumnData::F64(v, _) => {
                // NaN after every number, before nulls.
                let key = |i: u32| v.get(i as usize).copied().unwrap_or(f64::NAN);
                valid.sort_by(|&a, &b| {
                    let (x, y) = (key(a), key(b));
                    dir(match (x.is_nan(), y.is_nan()) {
                        (true, true) => Ordering::Equal,
                        (true, false) => Ordering::Greater,
                        (false, true) => Ordering::Less,
                        _ => x.total_cmp(&y),
                    })
                });
            }
            ColumnData::Str(s) => {
                let cmp_bytes = |x: &[u8], y: &[u8]| {
                    if self.ty == ColumnType::Decimal {
                        compare_decimal(x, y)
                    } else {
                        compare_text(x, y)
                    }
                };
                match s {
                    StrColumn::Dict { dict, codes } => {
                        // Rank the dictionary once, then sort rows by rank.
                        let mut order: Vec<u32> = (0..dict.len() as u32).collect();
                        let text = |c: u32| dict.get(c as usize).map_or(&[][..], |&sp| store.bytes(sp));
                        order.sort_by(|&a, &b| cmp_bytes(text(a), text(b)));
                        let mut rank = vec![0u32; dict.len()];
                        let mut r = 0u32;
                        for (k, &code) in order.iter().enumerate() {
                            if k > 0 {
                                let prev = order.get(k - 1).copied().unwrap_or(code);
                                if cmp_bytes(text(prev), text(code)) != Ordering::Equal {
                                    r += 1;
                                }
                            }
                            if let Some(slot) = rank.get_mut(code as usize) {
                                *slot = r;
                            }
                        }
                        let key = |i: u32| {
                            codes.get(i as usize).and_then(|&c| rank.get(c as usize)).copied().unwrap_or(u32::MAX)
                        };
                        valid.sort_by(|&a, &b| dir(key(a).cmp(&key(b))));
                    }
                    StrColumn::Plain { spans } => {
                        let text = |i: u32| spans.get(i as usize).map_or(&[][..], |&sp| store.bytes(sp));
                        valid.sort_by(|&a, &b| dir(cmp_bytes(text(a), text(b))));
                    }
                }
            }
        }
        valid.extend_from_slice(&nulls);
        valid
    }
}

/// Text order a hunter expects: ASCII case folded (`cmd.exe` next to `CMD.EXE`), then
/// byte order to break ties, so the order is total and stable.
pub(crate) fn compare_text(x: &[u8], y: &[u8]) -> Ordering {
    let folded = x.iter().map(u8::to_ascii_lowercase).cmp(y.iter().map(u8::to_ascii_lowercase));
    folded.then_with(|| x.cmp(y))
}

/// Compares two decimal texts numerically (exactly for plain decimal notation;
/// other spellings such as exponents or NaN fall back to their `f64` value).
pub(crate) fn compare_decimal(x: &[u8], y: &[u8]) -> Ordering {
    fn split(t: &[u8]) -> Option<(bool, &[u8], &[u8])> {
        let t = t.trim_ascii();
        let (neg, t) = match t.first() {
            Some(b'-') => (true, t.get(1..)?),
            Some(b'+') => (false, t.get(1..)?),
            _ => (false, t),
        };
        let (int, frac) = match t.iter().position(|&c| c == b'.') {
            Some(p) => (t.get(..p)?, t.get(p + 1..)?),
            None => (t, &[][..]),
        };
        if int.is_empty() && frac.is_empty() || !int.iter().chain(frac).all(u8::is_ascii_digit) {
            return None;
        }
        let int = &int[int.iter().position(|&c| c != b'0').unwrap_or(int.len())..];
        let frac = &frac[..frac.iter().rposition(|&c| c != b'0').map_or(0, |p| p + 1)];
        let zero = int.is_empty() && frac.is_empty();
        Some((neg && !zero, int, frac))
    }
    fn magnitude(a: (&[u8], &[u8]), b: (&[u8], &[u8])) -> Ordering {
        a.0.len().cmp(&b.0.len()).then_with(|| a.0.cmp(b.0)).then_with(|| a.1.cmp(b.1))
    }
    match (split(x), split(y)) {
        (Some((nx, ix, fx)), Some((ny, iy, fy))) => match (nx, ny) {
            (false, true) => Ordering::Greater,
            (true, false) => Ordering::Less,
            (false, false) => magnitude((ix, fx), (iy, fy)),
            (true, true) => magnitude((iy, fy), (ix, fx)),
        },
        _ => {
            let f =
                |t: &[u8]| std::str::from_utf8(t).ok().and_then(|s| s.trim().parse::<f64>().ok()).unwrap_or(f64::NAN);
            let (a, b) = (f(x), f(y));
            a.partial_cmp(&b).unwrap_or_else(|| a.is_nan().cmp(&b.is_nan()))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimals_compare_exactly() {
        let c = |a: &str, b: &str| compare_decimal(a.as_bytes(), b.as_bytes());
        assert_eq!(c("79228162514264337593543950335", "79228162514264337593543950334"), Ordering::Greater);
        assert_eq!(c("-1.5", "-1.25"), Ordering::Less);
        assert_eq!(c("10", "9.99"), Ordering::Greater);
        assert_eq!(c("0.10", "0.1"), Ordering::Equal);
        assert_eq!(c("-0", "0"), Ordering::Equal);
        assert_eq!(c("1e3", "999"), Ordering::Greater);
    }

    #[test]
    fn text_order_folds_ascii_case() {
        let mut names = ["winword.exe", "CMD.EXE", "cmd.exe", "Explorer.EXE", "a"];
        names.sort_by(|a, b| compare_text(a.as_bytes(), b.as_bytes()));
        assert_eq!(names, ["a", "CMD.EXE", "cmd.exe", "Explorer.EXE", "winword.exe"]);
    }

    #[test]
    fn reals_format_like_kusto() {
        let f = |v: f64| {
            let mut s = String::new();
            format_real(v, &mut s);
            s
        };
        assert_eq!(f(1.286), "1.286");
        assert_eq!(f(f64::NAN), "NaN");
        assert_eq!(f(f64::NEG_INFINITY), "-Infinity");
        assert_eq!(f(1e300), "1e300");
        assert_eq!(f(0.0), "0");
    }
}
