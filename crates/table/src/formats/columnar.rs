//! huntviz compact columnar text (`HVC1`), the format the Python package writes for
//! DataFrames. Specified in `docs/columnar.md`; in short:
//!
//! ```text
//! HVC1\n
//! {"rows":N,"columns":[{"name":…,"type":…,"enc":…,…},…]}\n
//! one section per column, each ending in \n
//! ```
//! Encodings: `dict` (entries `<len>:<bytes>` × `dict`, `\n`, then N comma-separated
//! codes, empty = null), `plain` (N × `<len>:<bytes>` or `-` for null), `int` (N
//! comma-separated integers), `delta` (N comma-separated differences from the previous
//! non-null value), `text` (N comma-separated values read as the column type), `bool`
//! (N characters `0`, `1` or `-`). Lengths count UTF-8 bytes. Empty = null everywhere.
//!
//! A column with `width` is written in binary, little-endian (large results, which
//! always travel compressed): `dict` codes are `width`-byte unsigned integers (all ones =
//! null) after `dict` u32 entry lengths and the entries' bytes; `plain` is N u32 lengths
//! (`u32::MAX` = null) then the bytes; `int`/`delta` are N `width`-byte signed integers,
//! after a null bitmap (bit set = null, least significant bit first) when `nulls`.

use super::{Parsed, RawTable};
use crate::build::{plural, ColumnBuilder, ParseCtx};
use crate::datetime::TICKS_PER_SECOND;
use crate::detect::Format;
use crate::error::{ParseError, WarningKind};
use crate::store::Span;
use crate::types::ColumnType;
use crate::TableKind;

pub(crate) const MAGIC: &[u8] = b"HVC1\n";

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct Header {
    rows: usize,
    columns: Vec<ColumnHeader>,
    #[serde(default)]
    name: Option<String>,
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct ColumnHeader {
    name: String,
    #[serde(rename = "type")]
    ty: String,
    enc: String,
    #[serde(default)]
    dict: Option<usize>,
    #[serde(default)]
    unit: Option<String>,
    /// Datetimes had no time zone (read as UTC, reported).
    #[serde(default)]
    naive: bool,
    /// Bytes per value of a binary section (absent: the section is text).
    #[serde(default)]
    width: Option<usize>,
    /// A binary integer section starts with a null bitmap.
    #[serde(default)]
    nulls: bool,
}

struct Cursor<'a> {
    buf: &'a [u8],
    pos: usize,
}

impl<'a> Cursor<'a> {
    fn err(&self, message: impl Into<String>) -> ParseError {
        ParseError::at(message, self.buf, self.pos)
    }

    fn expect_newline(&mut self, what: &str) -> Result<(), ParseError> {
        if self.buf.get(self.pos) == Some(&b'\n') {
            self.pos += 1;
            Ok(())
        } else {
            Err(self.err(format!("huntviz columnar: expected the end of {what}")))
        }
    }

    /// The bytes up to the next `\n` (not consumed).
    fn line(&self) -> &'a [u8] {
        let rest = self.buf.get(self.pos..).unwrap_or_default();
        let end = memchr::memchr(b'\n', rest).unwrap_or(rest.len());
        rest.get(..end).unwrap_or_default()
    }

    /// Reads `<len>:<bytes>` (or `-` when `nullable`); returns the byte range.
    fn length_prefixed(&mut self, nullable: bool) -> Result<Option<(usize, usize)>, ParseError> {
        if nullable && self.buf.get(self.pos) == Some(&b'-') {
            self.pos += 1;
            return Ok(None);
        }
        let mut len = 0usize;
        let start = self.pos;
        while let Some(&d) = self.buf.get(self.pos) {
            if !d.is_ascii_digit() {
                break;
            }
            len = len
                .checked_mul(10)
                .and_then(|l| l.checked_add(usize::from(d - b'0')))
                .ok_or_else(|| self.err("huntviz columnar: string length too large"))?;
            self.pos += 1;
        }
        if self.pos == start || self.buf.get(self.pos) != Some(&b':') {
            return Err(self.err("huntviz columnar: expected a string as <length>:<bytes>"));
        }
        self.pos += 1;
        let begin = self.pos;
        let end = begin
            .checked_add(len)
            .filter(|&e| e <= self.buf.len())
            .ok_or_else(|| self.err("huntviz columnar: a string runs past the end of the input"))?;
        self.pos = end;
        Ok(Some((begin, end)))
    }

    /// The next `n` bytes (a binary section's), consumed.
    fn take(&mut self, n: Option<usize>, what: &str) -> Result<&'a [u8], ParseError> {
        let end = n
            .and_then(|n| self.pos.checked_add(n))
            .filter(|&e| e <= self.buf.len())
            .ok_or_else(|| self.err(format!("huntviz columnar: {what} runs past the end of the input")))?;
        let out = self.buf.get(self.pos..end).unwrap_or_default();
        self.pos = end;
        Ok(out)
    }

    /// A string of `len` bytes from here (binary sections), as a span.
    fn span(&mut self, len: u64, what: &str) -> Result<Span, ParseError> {
        let start = self.pos;
        let len = usize::try_from(len).ok();
        let taken = self.take(len, what)?;
        Ok(Span { start: start as u32, len: taken.len() as u32 })
    }

    /// Splits the current line into comma-separated fields, calling `each` per field,
    /// and consumes the line and its `\n`. Returns the number of fields.
    /// An empty line is no field, except when the section holds one row: then it is
    /// that row's empty (null) field.
    fn fields(
        &mut self,
        what: &str,
        rows: usize,
        mut each: impl FnMut(&'a [u8], usize) -> Result<(), String>,
    ) -> Result<usize, ParseError> {
        let line = self.line();
        let base = self.pos;
        let mut n = 0;
        if line.is_empty() && rows == 1 {
            each(line, 0).map_err(|m| ParseError::at(format!("huntviz columnar: {m} in {what}"), self.buf, base))?;
            n = 1;
        } else if !line.is_empty() {
            let mut start = 0;
            for part in line.split(|&c| c == b',') {
                each(part, n)
                    .map_err(|m| ParseError::at(format!("huntviz columnar: {m} in {what}"), self.buf, base + start))?;
                start += part.len() + 1;
                n += 1;
            }
        }
        self.pos += line.len();
        self.expect_newline(what)?;
        Ok(n)
    }
}

fn ticks_per_unit(unit: Option<&str>) -> Result<(i64, i64), ParseError> {
    // (multiply, divide) to get 100-ns ticks.
    Ok(match unit.unwrap_or("ticks") {
        "ticks" => (1, 1),
        "ns" => (1, 100),
        "us" => (10, 1),
        "ms" => (10_000, 1),
        "s" => (TICKS_PER_SECOND, 1),
        other => return Err(ParseError::new(format!("huntviz columnar: unknown time unit \"{other}\""))),
    })
}

/// A little-endian unsigned integer of 1 to 8 bytes.
fn uint_le(bytes: &[u8]) -> u64 {
    bytes.iter().rev().fold(0, |acc, &b| (acc << 8) | u64::from(b))
}

/// A little-endian two's-complement integer of 1 to 8 bytes.
fn int_le(bytes: &[u8]) -> i64 {
    let shift = 64 - 8 * bytes.len() as u32;
    ((uint_le(bytes) << shift) as i64) >> shift
}

/// The all-ones value of `width` bytes: a binary code's or length's null.
fn all_ones(width: usize) -> u64 {
    u64::MAX >> (64 - 8 * width as u32)
}

/// Notes `column` when `buf[start..end]` (its strings, with text lengths between them)
/// is not UTF-8.
fn check_utf8(buf: &[u8], start: usize, end: usize, column: &str, not_utf8: &mut Vec<String>) {
    if std::str::from_utf8(buf.get(start..end).unwrap_or_default()).is_err() {
        not_utf8.push(column.to_string());
    }
}

fn parse_int(field: &[u8]) -> Result<Option<i64>, String> {
    if field.is_empty() {
        return Ok(None);
    }
    crate::json::parse_i64(field)
        .map(Some)
        .ok_or_else(|| format!("\"{}\" is not an integer", String::from_utf8_lossy(field)))
}

pub(crate) fn read(input: &[u8], start: usize, ctx: &mut ParseCtx<'_>) -> Result<Parsed, ParseError> {
    let mut c = Cursor { buf: input, pos: start + MAGIC.len() };
    let header_line = c.line();
    let header: Header = serde_json::from_slice(header_line)
        .map_err(|e| c.err(format!("huntviz columnar: the header is not valid: {e}")))?;
    c.pos += header_line.len();
    c.expect_newline("the header")?;
    let mut out = Parsed::new(Format::HuntvizColumnar);
    let rows = header.rows;
    // Every declared size is checked against what the rest of the input can hold before
    // anything is allocated for it: a 100-byte header must not reserve gigabytes. Each
    // column's section holds at least `rows - 1` bytes (the commas between its values).
    let room = |c: &Cursor<'_>| c.buf.len().saturating_sub(c.pos);
    if !header.columns.is_empty() && rows > room(&c) + 1 {
        return Err(
            c.err(format!("huntviz columnar: the header declares {rows} rows but only {} bytes follow it", room(&c)))
        );
    }
    let mut columns = Vec::with_capacity(header.columns.len());
    let mut truncated_ns = 0usize;
    // Columns whose strings are not all UTF-8 (the input as a whole is not checked:
    // binary sections are not text).
    let mut not_utf8 = Vec::new();
    for h in header.columns {
        let ty = ColumnType::from_name(&h.ty)
            .ok_or_else(|| c.err(format!("huntviz columnar: column {} has an unknown type \"{}\"", h.name, h.ty)))?;
        let what = format!("column {}", h.name);
        let widths: &[usize] = match h.enc.as_str() {
            "dict" => &[1, 2, 4],
            "plain" => &[4],
            "int" | "delta" => &[1, 2, 4, 8],
            _ => &[],
        };
        if let Some(w) = h.width.filter(|w| !widths.contains(w)) {
            return Err(c.err(format!("huntviz columnar: {what} cannot use width {w} with enc \"{}\"", h.enc)));
        }
        let mut b = ColumnBuilder::new(h.name.clone(), ty);
        match h.enc.as_str() {
            "dict" => {
                if !matches!(ty, ColumnType::String | ColumnType::Guid | ColumnType::Dynamic | ColumnType::Decimal) {
                    return Err(c.err(format!("huntviz columnar: {what} is {ty} and cannot use enc \"dict\"")));
                }
                let k = h
                    .dict
                    .ok_or_else(|| c.err(format!("huntviz columnar: {what} has enc \"dict\" but no \"dict\" size")))?;
                // Each entry is at least `0:` (2 bytes; a binary length 4).
                if k > room(&c) / 2 {
                    return Err(c.err(format!(
                        "huntviz columnar: {what} declares {k} dictionary entries but only {} bytes remain",
                        room(&c)
                    )));
                }
                let mut dict = Vec::with_capacity(k);
                let mut codes;
                if let Some(w) = h.width {
                    let lengths = c.take(k.checked_mul(4), &format!("the dictionary of {what}"))?;
                    let text_start = c.pos;
                    for length in lengths.chunks_exact(4) {
                        dict.push(c.span(uint_le(length), &format!("the dictionary of {what}"))?);
                    }
                    check_utf8(c.buf, text_start, c.pos, &h.name, &mut not_utf8);
                    let raw = c.take(rows.checked_mul(w), &what)?;
                    codes = Vec::with_capacity(rows);
                    let null = all_ones(w);
                    for code in raw.chunks_exact(w).map(uint_le) {
                        match code {
                            _ if code == null => codes.push(crate::column::NULL_CODE),
                            _ if code < k as u64 => codes.push(code as u32),
                            _ => {
                                return Err(c.err(format!(
                                    "huntviz columnar: {what}: code {code} is outside the dictionary of {k} entries"
                                )))
                            }
                        }
                    }
                    c.expect_newline(&what)?;
                } else {
                    let text_start = c.pos;
                    for _ in 0..k {
                        if let Some((s, e)) = c.length_prefixed(false)? {
                            dict.push(Span { start: s as u32, len: (e - s) as u32 });
                        }
                    }
                    check_utf8(c.buf, text_start, c.pos, &h.name, &mut not_utf8);
                    c.expect_newline(&format!("the dictionary of {what}"))?;
                    codes = Vec::with_capacity(rows.min(room(&c) + 1));
                    c.fields(&what, rows, |f, _| {
                        match parse_int(f)? {
                            None => codes.push(crate::column::NULL_CODE),
                            Some(code) if code >= 0 && (code as usize) < k => codes.push(code as u32),
                            Some(code) => return Err(format!("code {code} is outside the dictionary of {k} entries")),
                        }
                        Ok(())
                    })?;
                }
                b = ColumnBuilder::with_dict(h.name.clone(), ty, dict, codes);
            }
            "plain" if h.width.is_some() => {
                let lengths = c.take(rows.checked_mul(4), &what)?;
                let text_start = c.pos;
                for length in lengths.chunks_exact(4).map(uint_le) {
                    if length == all_ones(4) {
                        b.push_null();
                    } else {
                        let span = c.span(length, &what)?;
                        b.push_span(span, ctx);
                    }
                }
                check_utf8(c.buf, text_start, c.pos, &h.name, &mut not_utf8);
                c.expect_newline(&what)?;
            }
            "plain" => {
                let text_start = c.pos;
                for _ in 0..rows {
                    match c.length_prefixed(true)? {
                        Some((s, e)) => b.push_span(Span { start: s as u32, len: (e - s) as u32 }, ctx),
                        None => b.push_null(),
                    }
                }
                check_utf8(c.buf, text_start, c.pos, &h.name, &mut not_utf8);
                c.expect_newline(&what)?;
            }
            "int" | "delta" => {
                let delta = h.enc == "delta";
                let (mul, div) = if matches!(ty, ColumnType::DateTime | ColumnType::TimeSpan) {
                    ticks_per_unit(h.unit.as_deref())?
                } else {
                    (1, 1)
                };
                let mut running = 0i64;
                let mut out_of_range = 0usize;
                let mut push = |value: Option<i64>| -> Result<(), String> {
                    match value {
                        None => b.push_null(),
                        Some(v) => {
                            let v = if delta {
                                running = running.checked_add(v).ok_or("a running total overflows 64 bits")?;
                                running
                            } else {
                                v
                            };
                            if div > 1 && v % div != 0 {
                                truncated_ns += 1;
                            }
                            match v.div_euclid(div).checked_mul(mul) {
                                Some(t) if ty == ColumnType::Int && i32::try_from(t).is_err() => {
                                    return Err(format!("{t} does not fit an int"));
                                }
                                Some(t) => b.push_i64(t),
                                // A time 64-bit 100-ns ticks cannot hold (pandas keeps
                                // second-unit times to ±2.9e11 years): one empty cell.
                                None => {
                                    out_of_range += 1;
                                    b.push_null();
                                }
                            }
                        }
                    }
                    Ok(())
                };
                if let Some(w) = h.width {
                    let bitmap = if h.nulls { Some(c.take(Some(rows.div_ceil(8)), &what)?) } else { None };
                    let raw = c.take(rows.checked_mul(w), &what)?;
                    let base = c.pos;
                    for (i, value) in raw.chunks_exact(w).map(int_le).enumerate() {
                        let null = bitmap.is_some_and(|m| m.get(i / 8).is_some_and(|byte| byte >> (i % 8) & 1 == 1));
                        push(if null { None } else { Some(value) }).map_err(|m| {
                            ParseError::at(format!("huntviz columnar: {m} in {what} (row {})", i + 1), c.buf, base)
                        })?;
                    }
                    c.expect_newline(&what)?;
                } else {
                    c.fields(&what, rows, |f, _| push(parse_int(f)?))?;
                }
                if out_of_range > 0 {
                    out.warn(
                        WarningKind::BadValue,
                        format!(
                            "{what}: time values more than about 29,000 years from 1970 do not fit 100-ns ticks \
                             and are shown empty ({out_of_range})"
                        ),
                    );
                }
            }
            "text" => {
                c.fields(&what, rows, |f, _| {
                    let span = Span { start: 0, len: 0 };
                    b.push_text(f, span, ctx);
                    Ok(())
                })?;
                if matches!(ty, ColumnType::String | ColumnType::Guid | ColumnType::Dynamic | ColumnType::Decimal) {
                    return Err(c.err(format!(
                        "huntviz columnar: {what} is text-typed and must use enc \"dict\" or \"plain\""
                    )));
                }
            }
            "bool" => {
                let line = c.line();
                for &ch in line {
                    match ch {
                        b'0' | b'1' => b.push_text(&[ch], Span::EMPTY, ctx),
                        b'-' => b.push_null(),
                        _ => return Err(c.err(format!("huntviz columnar: {what}: expected 0, 1 or -"))),
                    }
                }
                c.pos += line.len();
                c.expect_newline(&what)?;
            }
            other => return Err(c.err(format!("huntviz columnar: {what} has an unknown encoding \"{other}\""))),
        }
        if h.naive && ty == ColumnType::DateTime && rows > 0 {
            out.warn(
                WarningKind::NoOffset,
                format!("column {} holds datetimes without a time zone; they were read as UTC", h.name),
            );
        }
        if b.len() != rows {
            return Err(
                c.err(format!("huntviz columnar: {what} has {} values but the header says {rows} rows", b.len()))
            );
        }
        columns.push(b);
    }
    if !not_utf8.is_empty() {
        out.warn(
            WarningKind::Encoding,
            format!("text that is not valid UTF-8 is shown as U+FFFD in {}", not_utf8.join(", ")),
        );
    }
    if truncated_ns > 0 {
        out.warn(
            WarningKind::Precision,
            format!("{truncated_ns} time value{} had digits below 100 ns, which were dropped", plural(truncated_ns)),
        );
    }
    let name = header.name.unwrap_or_else(|| "DataFrame".to_string());
    out.tables.push(RawTable::new(name, TableKind::PrimaryResult, columns));
    Ok(out)
}
