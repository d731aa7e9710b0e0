//! Column builders: typed values are appended cell by cell while a format reader walks
//! the payload, so no intermediate row or `Value` is ever built.

use std::hash::BuildHasher;

use hashbrown::HashTable;

use crate::column::{Column, ColumnData, StrColumn, Validity, NULL_CODE, NULL_SPAN};
use crate::datetime::{parse_datetime_cached, parse_portal_datetime, parse_timespan, DateCache};
use crate::error::{ParseError, Warning, WarningKind};
use crate::json::{parse_i64, same_bytes, unescape_in_place, Peek, Reader};
use crate::store::{Span, StoreView, ESCAPED};
use crate::types::ColumnType;

/// State shared by every builder of one parse.
pub(crate) struct ParseCtx<'a> {
    pub input: &'a [u8],
    /// Lone surrogates / invalid escapes replaced in values read as numbers, dates, ….
    pub bad_escapes: usize,
}

impl<'a> ParseCtx<'a> {
    pub fn new(input: &'a [u8]) -> Self {
        ParseCtx { input, bad_escapes: 0 }
    }

    pub fn view(&self) -> StoreView<'_> {
        StoreView { input: self.input }
    }

    /// A span over a string that still has its escapes; decoded in place after parsing.
    pub fn escaped_span(start: usize, end: usize) -> Result<Span, ParseError> {
        let len = end - start;
        if len >= ESCAPED as usize {
            return Err(ParseError::new("a string is longer than 2 GiB, which huntviz cannot hold"));
        }
        Ok(Span { start: start as u32, len: len as u32 | ESCAPED })
    }

    /// A span over raw input bytes.
    #[inline]
    pub fn input_span(start: usize, end: usize) -> Span {
        Span { start: start as u32, len: (end - start) as u32 }
    }
}

/// How a table's flagged string spans are escaped in the input.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) enum Escapes {
    /// JSON backslash escapes.
    #[default]
    Json,
    /// A quoted CSV field: `""` stands for `"`.
    CsvQuotes,
}

/// Decodes a quoted CSV field's contents (`""` → `"`).
fn unquote_csv_into(src: &[u8], out: &mut Vec<u8>) {
    let mut i = 0;
    while let Some(&b) = src.get(i) {
        out.push(b);
        i += if b == b'"' && src.get(i + 1) == Some(&b'"') { 2 } else { 1 };
    }
}

fn hasher() -> foldhash::fast::FixedState {
    foldhash::fast::FixedState::with_seed(0x6875_6e74_7669_7a00)
}

/// The distinct values of a dictionary-encoded column. Values are compared against a
/// compact private copy (`arena`), not against their first occurrence somewhere in a
/// 500 MB input: lookups stay in cache.
#[derive(Default)]
pub(crate) struct Dictionary {
    table: HashTable<u32>,
    /// Per code: hash, offset and length in `arena`.
    entries: Vec<(u64, u32, u32)>,
    arena: Vec<u8>,
    /// Per code: where the value is stored for the finished column.
    spans: Vec<Span>,
    /// The code of the previous row (runs of equal values skip hashing).
    last: Option<u32>,
}

impl Dictionary {
    fn entry_bytes(&self, code: u32) -> &[u8] {
        match self.entries.get(code as usize) {
            Some(&(_, off, len)) => self.arena.get(off as usize..(off + len) as usize).unwrap_or_default(),
            None => &[],
        }
    }

    /// The code of `bytes`, and its hash when it is not in the dictionary yet.
    #[inline]
    fn find(&mut self, bytes: &[u8]) -> Result<u32, u64> {
        if let Some(last) = self.last {
            if same_bytes(self.entry_bytes(last), bytes) {
                return Ok(last);
            }
        }
        let hash = hasher().hash_one(bytes);
        let (entries, arena) = (&self.entries, &self.arena);
        let found = self.table.find(hash, |&code| {
            entries.get(code as usize).is_some_and(|&(h, off, len)| {
                h == hash && same_bytes(arena.get(off as usize..(off + len) as usize).unwrap_or_default(), bytes)
            })
        });
        match found {
            Some(&code) => {
                self.last = Some(code);
                Ok(code)
            }
            None => Err(hash),
        }
    }

    fn insert(&mut self, bytes: &[u8], span: Span, hash: u64) -> u32 {
        let code = self.entries.len() as u32;
        let off = self.arena.len() as u32;
        self.arena.extend_from_slice(bytes);
        self.entries.push((hash, off, bytes.len() as u32));
        self.spans.push(span);
        let entries = &self.entries;
        self.table.insert_unique(hash, code, |&c| entries.get(c as usize).map_or(0, |e| e.0));
        self.last = Some(code);
        code
    }

    /// Whether dictionary-encoding `rows` values still pays: a distinct value costs its
    /// bytes in the arena plus ~40 bytes of bookkeeping, a row saves 4 bytes (a code
    /// instead of a span). Keep it while distinct values are at most 1/8 of the rows and
    /// their copies average under 2 bytes a row.
    fn worth_it(&self, rows: usize) -> bool {
        self.entries.len() * 8 <= rows && self.arena.len() <= rows * 2
    }
}

/// Builds a string column, dictionary-encoding it while values repeat.
pub(crate) enum StrBuilder {
    Dict {
        dict: Dictionary,
        codes: Vec<u32>,
    },
    /// `shared`: the first rows, from when the column was a dictionary, hold one span
    /// per distinct value (so several rows may hold the same span).
    Plain {
        spans: Vec<Span>,
        shared: usize,
    },
}

/// Every this many rows a dictionary column checks whether it is still worth it.
const DICT_CHECK_EVERY: usize = 4096;

impl StrBuilder {
    fn new() -> Self {
        StrBuilder::Dict { dict: Dictionary::default(), codes: Vec::new() }
    }

    fn len(&self) -> usize {
        match self {
            StrBuilder::Dict { codes, .. } => codes.len(),
            StrBuilder::Plain { spans, .. } => spans.len(),
        }
    }

    /// Pushes a value already stored at `span`.
    #[inline]
    fn push(&mut self, span: Span, view: &StoreView<'_>) {
        match self {
            StrBuilder::Dict { dict, codes } => {
                let bytes = view.bytes(span);
                let code = match dict.find(bytes) {
                    Ok(code) => code,
                    Err(hash) => dict.insert(bytes, span, hash),
                };
                codes.push(code);
                self.check_worth();
            }
            StrBuilder::Plain { spans, .. } => spans.push(span),
        }
    }

    fn check_worth(&mut self) {
        if let StrBuilder::Dict { dict, codes } = self {
            if codes.len() % DICT_CHECK_EVERY == 0 && !dict.worth_it(codes.len()) {
                // Keep the room reserved for the rows still to come.
                let mut spans = Vec::with_capacity(codes.capacity());
                spans.extend(codes.iter().map(|&c| dict.spans.get(c as usize).copied().unwrap_or(NULL_SPAN)));
                let shared = spans.len();
                *self = StrBuilder::Plain { spans, shared };
            }
        }
    }

    /// Pushes an escaped string without decoding it: a dictionary keys it by its raw
    /// (escaped) bytes — a backslash never appears unescaped, so raw keys cannot collide
    /// with plain ones, and a value spelled with two different escapings merely gets two
    /// codes. Every stored span is decoded in place once parsing is done.
    fn push_escaped(&mut self, span: Span, ctx: &ParseCtx<'_>) {
        self.push(span, &ctx.view());
    }

    fn reserve(&mut self, additional: usize) {
        match self {
            StrBuilder::Dict { codes, .. } => codes.reserve(additional),
            StrBuilder::Plain { spans, .. } => spans.reserve(additional),
        }
    }

    #[inline]
    fn push_null(&mut self) {
        match self {
            StrBuilder::Dict { codes, .. } => codes.push(NULL_CODE),
            StrBuilder::Plain { spans, .. } => spans.push(NULL_SPAN),
        }
    }

    fn finish(self) -> StrColumn {
        match self {
            StrBuilder::Dict { dict, codes } => StrColumn::Dict { dict: dict.spans, codes },
            StrBuilder::Plain { spans, .. } => StrColumn::Plain { spans },
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
    /// Datetimes are written as the Azure portal's CSV export writes them.
    pub portal_dates: bool,
    dates: DateCache,
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
        ColumnBuilder { name, ty, data, stats: Stats::default(), portal_dates: false, dates: DateCache::default() }
    }

    /// A string-typed column from an existing dictionary and codes (huntviz columnar).
    pub fn with_dict(name: String, ty: ColumnType, dict: Vec<Span>, codes: Vec<u32>) -> Self {
        let dictionary = Dictionary { spans: dict, ..Dictionary::default() };
        let data = Data::Str(StrBuilder::Dict { dict: dictionary, codes });
        ColumnBuilder { name, ty, data, stats: Stats::default(), portal_dates: false, dates: DateCache::default() }
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
            StrBuilder::Dict { dict, codes } => codes.get(row).and_then(|&c| dict.spans.get(c as usize)).copied(),
            StrBuilder::Plain { spans, .. } => spans.get(row).copied().filter(|&sp| sp != NULL_SPAN),
        }?;
        Some(view.text(span))
    }

    /// Whether this is an integer column holding exactly 0, 1, 2, … (a default pandas index).
    pub fn is_range_index(&self) -> bool {
        match &self.data {
            Data::I64(v, valid) => valid.null_count() == 0 && v.iter().enumerate().all(|(i, &x)| x == i as i64),
            _ => false,
        }
    }

    /// Makes room for `additional` more values (no reallocation while they arrive).
    pub fn reserve(&mut self, additional: usize) {
        match &mut self.data {
            Data::Bool(v) => v.reserve(additional),
            Data::I64(v, valid) => {
                v.reserve(additional);
                valid.reserve(additional);
            }
            Data::F64(v, valid) => {
                v.reserve(additional);
                valid.reserve(additional);
            }
            Data::Str(s) => s.reserve(additional),
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
        // The cells of typed results: a string in a string column, an integer in an
        // integer column, a string in a datetime column. Anything else takes the general
        // path below.
        match (&mut self.data, r.skip_ws()) {
            (Data::Str(s), Some(b'"')) => {
                let raw = r.string_here()?;
                if raw.escaped {
                    s.push_escaped(ParseCtx::escaped_span(raw.start, raw.end)?, ctx);
                } else {
                    s.push(ParseCtx::input_span(raw.start, raw.end), &ctx.view());
                }
                return Ok(());
            }
            (Data::I64(values, valid), Some(b'-' | b'0'..=b'9'))
                if matches!(self.ty, ColumnType::Long | ColumnType::Int | ColumnType::TimeSpan) =>
            {
                let at = r.pos();
                if let Some(x) = r.small_integer() {
                    if self.ty != ColumnType::Int || i32::try_from(x).is_ok() {
                        values.push(x);
                        valid.push(true);
                        return Ok(());
                    }
                    // Out of range for an int: read again below, reported as a bad value.
                    *r = Reader::at(r.input(), at);
                }
            }
            (Data::I64(values, valid), Some(b'"')) if self.ty == ColumnType::DateTime && !self.portal_dates => {
                let raw = r.string_here()?;
                if !raw.escaped {
                    match parse_datetime_cached(r.raw_bytes(raw), &mut self.dates) {
                        Some(p) => {
                            self.stats.no_offset += usize::from(p.no_offset);
                            self.stats.truncated += usize::from(p.truncated);
                            values.push(p.ticks);
                            valid.push(true);
                        }
                        // Blank (null) or not a datetime: the general rules decide.
                        None => self.push_scalar(Scalar::Text(r.raw_bytes(raw))),
                    }
                    return Ok(());
                }
                let (text, bad) = r.decode(raw);
                ctx.bad_escapes += bad;
                self.push_scalar(Scalar::Text(text.as_bytes()));
                return Ok(());
            }
            _ => {}
        }
        if let Data::Str(s) = &mut self.data {
            // Strings were taken above.
            match r.peek()? {
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
                    ColumnType::DateTime if self.portal_dates => parse_portal_datetime(t),
                    ColumnType::DateTime => match parse_datetime_cached(t, &mut self.dates) {
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

    /// Finishes the column; warnings about its values go to `warnings`, and the number
    /// of offset-less datetimes to `no_offset` (reported once per table).
    pub fn finish(self, table: &str, warnings: &mut Vec<Warning>, no_offset: &mut Vec<(String, usize)>) -> Column {
        let ColumnBuilder { name, ty, data, stats, .. } = self;
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
            no_offset.push((name.clone(), stats.no_offset));
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

/// Decodes every still-escaped string of a table's columns in place, once parsing is
/// done; returns how many lone surrogates or invalid escapes were replaced.
///
/// Per-row spans (plain columns) are visited row by row across the columns, so the
/// walk through the input is sequential and the hardware prefetches it: column after
/// column, every value of an input larger than the cache was a cache miss (a quarter
/// of the whole parse at 100k rows). Dictionaries hold only distinct values and are
/// decoded column by column.
pub(crate) fn decode_escapes(
    columns: &mut [ColumnBuilder],
    input: &mut [u8],
    scratch: &mut Vec<u8>,
    escapes: Escapes,
) -> usize {
    let mut bad = 0;
    let mut per_row: Vec<&mut [Span]> = Vec::new();
    for column in columns.iter_mut() {
        match &mut column.data {
            Data::Str(StrBuilder::Plain { spans, shared }) => {
                // The rows from the dictionary's time share spans: each is decoded once
                // (decoding twice in place would unescape the decoded text again).
                let split = (*shared).min(spans.len());
                let (early, late) = spans.split_at_mut(split);
                let mut decoded: hashbrown::HashMap<u32, Span, foldhash::fast::FixedState> =
                    hashbrown::HashMap::with_hasher(hasher());
                for span in early.iter_mut() {
                    if !span.is_escaped() || *span == NULL_SPAN {
                        continue;
                    }
                    if let Some(done) = decoded.get(&span.start) {
                        *span = *done;
                    } else {
                        bad += decode_span(span, input, scratch, escapes);
                        decoded.insert(span.start, *span);
                    }
                }
                per_row.push(late);
            }
            Data::Str(StrBuilder::Dict { dict, .. }) => {
                for span in &mut dict.spans {
                    bad += decode_span(span, input, scratch, escapes);
                }
            }
            _ => {}
        }
    }
    // Row by row across columns: the input is read about in the order it was written.
    let rows = per_row.iter().map(|s| s.len()).max().unwrap_or(0);
    for row in 0..rows {
        for spans in per_row.iter_mut() {
            if let Some(span) = spans.get_mut(row) {
                bad += decode_span(span, input, scratch, escapes);
            }
        }
    }
    bad
}

/// Decodes one escaped span in place (decoding never lengthens a string) and clears
/// its flag; returns how many lone surrogates or invalid escapes were replaced.
#[inline]
fn decode_span(span: &mut Span, input: &mut [u8], scratch: &mut Vec<u8>, escapes: Escapes) -> usize {
    if !span.is_escaped() || *span == NULL_SPAN {
        return 0;
    }
    let start = span.start as usize;
    let Some(raw) = input.get_mut(start..start + span.byte_len()) else { return 0 };
    let (n, bad) = match escapes {
        Escapes::Json => unescape_in_place(raw, scratch),
        Escapes::CsvQuotes => {
            scratch.clear();
            unquote_csv_into(raw, scratch);
            let n = scratch.len().min(raw.len());
            if let (Some(dst), Some(src)) = (raw.get_mut(..n), scratch.get(..n)) {
                dst.copy_from_slice(src);
            }
            (n, 0)
        }
    };
    *span = Span { start: span.start, len: n as u32 };
    bad
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
