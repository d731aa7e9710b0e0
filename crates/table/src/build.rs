//! Column builders: typed values are appended cell by cell while a format reader walks
//! the payload, so no intermediate row or `Value` is ever built.

use std::hash::BuildHasher;

use hashbrown::HashTable;

use crate::column::{Column, ColumnData, StrColumn, Validity, NULL_CODE, NULL_SPAN};
use crate::datetime::{parse_datetime, parse_timespan};
use crate::error::{ParseError, Warning, WarningKind};
use crate::json::{parse_i64, unescape_into, Peek, RawStr, Reader};
use crate::store::{Span, StoreView};
use crate::types::ColumnType;

/// State shared by every builder of one parse: the input and the decoded-string buffer.
pub(crate) struct ParseCtx<'a> {
    pub input: &'a [u8],
    pub extra: Vec<u8>,
    /// Lone surrogates / invalid escapes replaced while decoding.
    pub bad_escapes: usize,
}

impl<'a> ParseCtx<'a> {
    pub fn new(input: &'a [u8]) -> Self {
        ParseCtx { input, extra: Vec::new(), bad_escapes: 0 }
    }

    pub fn view(&self) -> StoreView<'_> {
        StoreView { input: self.input, extra: &self.extra }
    }

    /// The span of a raw string token: in place when it has no escapes, decoded into
    /// `extra` otherwise.
    #[inline]
    pub fn span_of(&mut self, raw: RawStr) -> Result<Span, ParseError> {
        if !raw.escaped {
            return Ok(Span { start: raw.start as u32, len: (raw.end - raw.start) as u32 });
        }
        let src = self.input.get(raw.start..raw.end).unwrap_or_default();
        let start = self.extra.len();
        self.bad_escapes += unescape_into(src, &mut self.extra);
        self.span_of_extra(start)
    }

    /// The span of bytes appended to `extra` since `start`.
    pub fn span_of_extra(&self, start: usize) -> Result<Span, ParseError> {
        let begin = self.input.len() + start;
        let end = self.input.len() + self.extra.len();
        if end > u32::MAX as usize - 1 {
            return Err(ParseError::new("the result is larger than 4 GiB, which huntviz cannot hold"));
        }
        Ok(Span { start: begin as u32, len: (end - begin) as u32 })
    }

    /// A span over raw input bytes.
    #[inline]
    pub fn input_span(start: usize, end: usize) -> Span {
        Span { start: start as u32, len: (end - start) as u32 }
    }
}

fn hasher() -> foldhash::fast::FixedState {
    foldhash::fast::FixedState::with_seed(0x6875_6e74_7669_7a00)
}

/// Builds a string column, dictionary-encoding it while values repeat.
pub(crate) enum StrBuilder {
    Dict { table: HashTable<u32>, hashes: Vec<u64>, dict: Vec<Span>, codes: Vec<u32> },
    Plain { spans: Vec<Span> },
}

/// Every this many rows a dictionary column checks whether it is still worth it.
const DICT_CHECK_EVERY: usize = 4096;

impl StrBuilder {
    fn new() -> Self {
        StrBuilder::Dict { table: HashTable::new(), hashes: Vec::new(), dict: Vec::new(), codes: Vec::new() }
    }

    fn len(&self) -> usize {
        match self {
            StrBuilder::Dict { codes, .. } => codes.len(),
            StrBuilder::Plain { spans } => spans.len(),
        }
    }

    #[inline]
    fn push(&mut self, span: Span, view: &StoreView<'_>) {
        match self {
            StrBuilder::Dict { table, hashes, dict, codes } => {
                let bytes = view.bytes(span);
                let hash = hasher().hash_one(bytes);
                let found = table.find(hash, |&idx| dict.get(idx as usize).is_some_and(|&d| view.bytes(d) == bytes));
                let code = match found {
                    Some(&code) => code,
                    None => {
                        let code = dict.len() as u32;
                        dict.push(span);
                        hashes.push(hash);
                        table.insert_unique(hash, code, |&c| hashes.get(c as usize).copied().unwrap_or(0));
                        code
                    }
                };
                codes.push(code);
                if codes.len() % DICT_CHECK_EVERY == 0 && dict.len() * 2 > codes.len() {
                    self.switch_to_plain();
                }
            }
            StrBuilder::Plain { spans } => spans.push(span),
        }
    }

    fn switch_to_plain(&mut self) {
        if let StrBuilder::Dict { dict, codes, .. } = self {
            let spans = codes.iter().map(|&c| dict.get(c as usize).copied().unwrap_or(NULL_SPAN)).collect();
            *self = StrBuilder::Plain { spans };
        }
    }

    #[inline]
    fn push_null(&mut self) {
        match self {
            StrBuilder::Dict { codes, .. } => codes.push(NULL_CODE),
            StrBuilder::Plain { spans } => spans.push(NULL_SPAN),
        }
    }

    fn finish(self) -> StrColumn {
        match self {
            StrBuilder::Dict { dict, codes, .. } => StrColumn::Dict { dict, codes },
            StrBuilder::Plain { spans } => StrColumn::Plain { spans },
        }
    }
}

enum Data {
    Bool(Vec<u8>),
    I64(Vec<i64>, Validity),
    F64(Vec<f64>, Validity),
    Str(StrBuilder),
}

/// Counters behind a column's warnings.
#[derive(Default)]
struct Stats {
    bad: usize,
    first_bad: Option<(usize, String)>,
    no_offset: usize,
    truncated: usize,
}

/// Appends typed values to one column.
pub(crate) struct ColumnBuilder {
    pub name: String,
    pub ty: ColumnType,
    data: Data,
    stats: Stats,
}

enum Scalar<'t> {
    Bool(bool),
    Number(&'t [u8]),
    Text(&'t [u8]),
}

impl ColumnBuilder {
    pub fn new(name: String, ty: ColumnType) -> Self {
        let data = match ty {
            ColumnType::Bool => Data::Bool(Vec::new()),
            ColumnType::Int | ColumnType::Long | ColumnType::DateTime | ColumnType::TimeSpan => {
                Data::I64(Vec::new(), Validity::default())
            }
            ColumnType::Real => Data::F64(Vec::new(), Validity::default()),
            ColumnType::Dynamic | ColumnType::Guid | ColumnType::Decimal | ColumnType::String => {
                Data::Str(StrBuilder::new())
            }
        };
        ColumnBuilder { name, ty, data, stats: Stats::default() }
    }

    /// A string-typed column from an existing dictionary and codes (huntviz columnar).
    pub fn with_dict(name: String, ty: ColumnType, dict: Vec<Span>, codes: Vec<u32>) -> Self {
        let data = Data::Str(StrBuilder::Dict { table: HashTable::new(), hashes: Vec::new(), dict, codes });
        ColumnBuilder { name, ty, data, stats: Stats::default() }
    }

    pub fn len(&self) -> usize {
        match &self.data {
            Data::Bool(v) => v.len(),
            Data::I64(v, _) => v.len(),
            Data::F64(v, _) => v.len(),
            Data::Str(s) => s.len(),
        }
    }

    /// The text of row `row` of a string column (for small metadata tables).
    pub fn text_at(&self, row: usize, view: &StoreView<'_>) -> Option<String> {
        let Data::Str(s) = &self.data else { return None };
        let span = match s {
            StrBuilder::Dict { dict, codes, .. } => codes.get(row).and_then(|&c| dict.get(c as usize)).copied(),
            StrBuilder::Plain { spans } => spans.get(row).copied().filter(|&sp| sp != NULL_SPAN),
        }?;
        Some(String::from_utf8_lossy(view.bytes(span)).into_owned())
    }

    /// Whether this is an integer column holding exactly 0, 1, 2, … (a default pandas index).
    pub fn is_range_index(&self) -> bool {
        match &self.data {
            Data::I64(v, valid) => valid.null_count() == 0 && v.iter().enumerate().all(|(i, &x)| x == i as i64),
            _ => false,
        }
    }

    /// Drops every value (Kusto `DataReplace` fragments).
    pub fn clear(&mut self) {
        self.data = ColumnBuilder::new(String::new(), self.ty).data;
        self.stats = Stats::default();
    }

    pub fn push_null(&mut self) {
        match &mut self.data {
            Data::Bool(v) => v.push(2),
            Data::I64(v, valid) => {
                v.push(0);
                valid.push(false);
            }
            Data::F64(v, valid) => {
                v.push(0.0);
                valid.push(false);
            }
            Data::Str(s) => s.push_null(),
        }
    }

    fn bad_value(&mut self, text: &[u8]) {
        let row = self.len();
        self.stats.bad += 1;
        if self.stats.first_bad.is_none() {
            let mut shown: String = String::from_utf8_lossy(text).chars().take(60).collect();
            if text.len() > shown.len() {
                shown.push('…');
            }
            self.stats.first_bad = Some((row, shown));
        }
        self.push_null();
    }

    /// Reads one JSON value from `r` and appends it.
    #[inline]
    pub fn push_json(&mut self, r: &mut Reader<'_>, ctx: &mut ParseCtx<'_>) -> Result<(), ParseError> {
        if let Data::Str(s) = &mut self.data {
            match r.peek()? {
                Peek::String => {
                    let raw = r.string()?;
                    let span = ctx.span_of(raw)?;
                    s.push(span, &ctx.view());
                }
                Peek::Null => {
                    r.literal()?;
                    s.push_null();
                }
                _ => {
                    // Numbers, booleans, objects, arrays: keep their JSON text.
                    let (start, end) = r.skip_value()?;
                    s.push(ParseCtx::input_span(start, end), &ctx.view());
                }
            }
            return Ok(());
        }
        match r.peek()? {
            Peek::Null => {
                r.literal()?;
                self.push_null();
            }
            Peek::True | Peek::False => {
                let v = r.literal()? == Peek::True;
                self.push_scalar(Scalar::Bool(v));
            }
            Peek::Number => {
                let n = r.number()?;
                self.push_scalar(Scalar::Number(n));
            }
            Peek::String => {
                let raw = r.string()?;
                if raw.escaped {
                    let (text, bad) = r.decode(raw);
                    ctx.bad_escapes += bad;
                    self.push_scalar(Scalar::Text(text.as_bytes()));
                } else {
                    self.push_scalar(Scalar::Text(r.raw_bytes(raw)));
                }
            }
            Peek::Object | Peek::Array => {
                let (start, end) = r.skip_value()?;
                self.bad_value(r.input().get(start..end).unwrap_or_default());
            }
        }
        Ok(())
    }

    /// Appends a value given as text (CSV cells, huntviz columnar numbers). An empty
    /// text is null for every type but string.
    pub fn push_text(&mut self, text: &[u8], span: Span, ctx: &ParseCtx<'_>) {
        match &mut self.data {
            Data::Str(s) => s.push(span, &ctx.view()),
            _ if text.is_empty() => self.push_null(),
            _ => self.push_scalar(Scalar::Text(text)),
        }
    }

    /// Appends an already-typed 64-bit value (huntviz columnar ticks and integers).
    pub fn push_i64(&mut self, v: i64) {
        if let Data::I64(values, valid) = &mut self.data {
            values.push(v);
            valid.push(true);
        } else {
            self.push_null();
        }
    }

    /// Appends a string span (huntviz columnar strings).
    pub fn push_span(&mut self, span: Span, ctx: &ParseCtx<'_>) {
        if let Data::Str(s) = &mut self.data {
            s.push(span, &ctx.view());
        } else {
            self.push_null();
        }
    }

    fn push_scalar(&mut self, value: Scalar<'_>) {
        let ty = self.ty;
        match (&mut self.data, value) {
            (_, Scalar::Text(t)) if t.trim_ascii().is_empty() => self.push_null(),
            (Data::Bool(v), Scalar::Bool(b)) => v.push(u8::from(b)),
            (Data::Bool(v), Scalar::Number(n)) => match n {
                b"0" => v.push(0),
                b"1" => v.push(1),
                _ => self.bad_value(n),
            },
            (Data::Bool(v), Scalar::Text(t)) => {
                let t = t.trim_ascii();
                if t.eq_ignore_ascii_case(b"true") || t == b"1" {
                    v.push(1);
                } else if t.eq_ignore_ascii_case(b"false") || t == b"0" {
                    v.push(0);
                } else {
                    self.bad_value(t);
                }
            }
            (Data::I64(values, valid), Scalar::Number(n)) => {
                let parsed = match ty {
                    ColumnType::TimeSpan => parse_i64(n),
                    ColumnType::DateTime => None,
                    _ => parse_i64(n).or_else(|| integral_f64(n)),
                };
                match parsed.filter(|&x| ty != ColumnType::Int || i32::try_from(x).is_ok()) {
                    Some(x) => {
                        values.push(x);
                        valid.push(true);
                    }
                    None => self.bad_value(n),
                }
            }
            (Data::I64(values, valid), Scalar::Text(t)) => {
                let parsed = match ty {
                    ColumnType::DateTime => match parse_datetime(t) {
                        Some(p) => {
                            self.stats.no_offset += usize::from(p.no_offset);
                            self.stats.truncated += usize::from(p.truncated);
                            Some(p.ticks)
                        }
                        None => None,
                    },
                    ColumnType::TimeSpan => parse_timespan(t),
                    _ => {
                        let t = t.trim_ascii();
                        parse_i64(t).or_else(|| integral_f64(t))
                    }
                };
                match parsed.filter(|&x| ty != ColumnType::Int || i32::try_from(x).is_ok()) {
                    Some(x) => {
                        values.push(x);
                        valid.push(true);
                    }
                    None => self.bad_value(t),
                }
            }
            (Data::F64(values, valid), Scalar::Number(n) | Scalar::Text(n)) => match parse_real(n) {
                Some(x) => {
                    values.push(x);
                    valid.push(true);
                }
                None => self.bad_value(n),
            },
            (_, Scalar::Bool(b)) => self.bad_value(if b { b"true" } else { b"false" }),
            (_, Scalar::Number(t) | Scalar::Text(t)) => self.bad_value(t),
        }
    }

    /// Finishes the column; warnings about its values go to `warnings`.
    pub fn finish(self, table: &str, warnings: &mut Vec<Warning>) -> Column {
        let ColumnBuilder { name, ty, data, stats } = self;
        if stats.bad > 0 {
            let (row, example) = stats.first_bad.unwrap_or_default();
            warnings.push(Warning::new(
                WarningKind::BadValue,
                format!(
                    "{} value{} in column {name} of {table} could not be read as {ty} and {} shown as null (first at row {}: {example})",
                    stats.bad,
                    plural(stats.bad),
                    if stats.bad == 1 { "is" } else { "are" },
                    row + 1
                ),
            ));
        }
        if stats.no_offset > 0 {
            warnings.push(Warning::new(
                WarningKind::NoOffset,
                format!(
                    "{} datetime{} in column {name} of {table} had no UTC offset and {} read as UTC",
                    stats.no_offset,
                    plural(stats.no_offset),
                    if stats.no_offset == 1 { "was" } else { "were" }
                ),
            ));
        }
        if stats.truncated > 0 {
            warnings.push(Warning::new(
                WarningKind::Precision,
                format!(
                    "{} datetime{} in column {name} of {table} had digits below 100 ns, which were dropped",
                    stats.truncated,
                    plural(stats.truncated)
                ),
            ));
        }
        let data = match data {
            Data::Bool(v) => ColumnData::Bool(v),
            Data::I64(v, valid) => ColumnData::I64(v, valid),
            Data::F64(v, valid) => ColumnData::F64(v, valid),
            Data::Str(s) => ColumnData::Str(s.finish()),
        };
        Column { name, ty, data }
    }
}

pub(crate) fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

/// An integer written as a float (`1.0`, `1e3`), when exact.
fn integral_f64(text: &[u8]) -> Option<i64> {
    let f = std::str::from_utf8(text).ok()?.parse::<f64>().ok()?;
    (f.fract() == 0.0 && f.abs() < 9.007_199_254_740_992e15).then_some(f as i64)
}

/// A real as Kusto and Log Analytics send it: a JSON number or a string, including
/// `NaN`, `Infinity` and `-Infinity`.
pub(crate) fn parse_real(text: &[u8]) -> Option<f64> {
    let t = text.trim_ascii();
    match t {
        b"NaN" | b"nan" => return Some(f64::NAN),
        b"Infinity" | b"+Infinity" | b"inf" | b"+inf" => return Some(f64::INFINITY),
        b"-Infinity" | b"-inf" => return Some(f64::NEG_INFINITY),
        _ => {}
    }
    std::str::from_utf8(t).ok()?.parse::<f64>().ok().filter(|_| {
        // Rust accepts "infinity"/"nan" spellings; the match above already took the valid ones.
        t.first().is_some_and(|&c| c.is_ascii_digit() || c == b'-' || c == b'+' || c == b'.')
    })
}
