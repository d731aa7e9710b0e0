//! CSV (RFC 4180): a header row, then records; fields optionally quoted, `""` inside
//! quotes for a quote, quoted fields may hold newlines; CRLF or LF; a UTF-8 BOM; the
//! delimiter (`,`, tab, `;` or `|`) is the one the header uses most outside quotes.
//! Types are inferred per column (see `infer`). The Azure portal's export headers
//! (`TimeGenerated [UTC]`) lose their ` [UTC]` suffix; its datetimes are read as UTC.

use super::infer::{self, Cells, Kind};
use super::{Parsed, RowShape};
use crate::build::{Escapes, ParseCtx};
use crate::detect::Format;
use crate::error::{ParseError, WarningKind};
use crate::store::Span;

/// Picks the delimiter from the header line.
fn delimiter(input: &[u8], start: usize) -> u8 {
    let line_end = memchr::memchr(b'\n', input.get(start..).unwrap_or_default()).map_or(input.len(), |p| start + p);
    let header = input.get(start..line_end).unwrap_or_default();
    let mut counts = [(b',', 0usize), (b'\t', 0), (b';', 0), (b'|', 0)];
    let mut quoted = false;
    for &b in header {
        if b == b'"' {
            quoted = !quoted;
        } else if !quoted {
            for c in &mut counts {
                if c.0 == b {
                    c.1 += 1;
                }
            }
        }
    }
    counts
        .iter()
        .max_by_key(|c| (c.1, std::cmp::Reverse(c.0 == b',')))
        .map_or(b',', |c| if c.1 == 0 { b',' } else { c.0 })
}

/// Whether the text looks like CSV: a first line with a delimiter and no JSON start.
pub(crate) fn looks_like_csv(input: &[u8], start: usize) -> bool {
    let line_end = memchr::memchr(b'\n', input.get(start..).unwrap_or_default()).map_or(input.len(), |p| start + p);
    let header = input.get(start..line_end).unwrap_or_default();
    !header.is_empty() && header.iter().any(|b| matches!(b, b',' | b'\t' | b';' | b'|'))
}

struct Field {
    span: Span,
    kind: Kind,
}

/// Reads one field at `pos`; returns it and the position after its delimiter, and
/// whether it ended the record.
fn field(input: &[u8], mut pos: usize, delim: u8) -> Result<(Field, usize, bool), ParseError> {
    if input.get(pos) == Some(&b'"') {
        let start = pos + 1;
        let mut i = start;
        let mut doubled = false;
        loop {
            let Some(off) = memchr::memchr(b'"', input.get(i..).unwrap_or_default()) else {
                return Err(ParseError::at("a quoted CSV field is not closed", input, pos));
            };
            let at = i + off;
            if input.get(at + 1) == Some(&b'"') {
                doubled = true;
                i = at + 2;
                continue;
            }
            let span = Span { start: start as u32, len: (at - start) as u32 };
            let kind = if at == start {
                Kind::Text
            } else if doubled {
                Kind::Escaped
            } else {
                Kind::Text
            };
            pos = at + 1;
            // Lenient: text after the closing quote up to the delimiter is ignored.
            let rest = input.get(pos..).unwrap_or_default();
            let end = memchr::memchr3(delim, b'\n', b'\r', rest).map_or(input.len(), |p| pos + p);
            let (next, last) = after(input, end, delim);
            return Ok((Field { span, kind }, next, last));
        }
    }
    let rest = input.get(pos..).unwrap_or_default();
    let end = memchr::memchr3(delim, b'\n', b'\r', rest).map_or(input.len(), |p| pos + p);
    let span = Span { start: pos as u32, len: (end - pos) as u32 };
    let kind = if end == pos { Kind::Null } else { Kind::Text };
    let (next, last) = after(input, end, delim);
    Ok((Field { span, kind }, next, last))
}

/// Position after the field ending at `end`, and whether the record ended there.
fn after(input: &[u8], end: usize, delim: u8) -> (usize, bool) {
    match input.get(end) {
        Some(&b) if b == delim => (end + 1, false),
        Some(b'\r') if input.get(end + 1) == Some(&b'\n') => (end + 2, true),
        Some(b'\r' | b'\n') => (end + 1, true),
        _ => (input.len(), true),
    }
}

pub(crate) fn read(input: &[u8], start: usize, ctx: &ParseCtx<'_>) -> Result<Parsed, ParseError> {
    if input.len() >= (1 << 31) {
        return Err(ParseError::new("CSV input larger than 2 GiB is not supported"));
    }
    let delim = delimiter(input, start);
    let mut pos = start;
    let mut columns: Vec<Cells> = Vec::new();
    // Header.
    loop {
        let (f, next, last) = field(input, pos, delim)?;
        let raw = String::from_utf8_lossy(infer::bytes(input, f.span)).replace("\"\"", "\"");
        let mut name = raw.trim().to_string();
        if let Some(stripped) = name.strip_suffix(" [UTC]") {
            name = stripped.to_string();
        }
        columns.push(Cells::new(name));
        pos = next;
        if last {
            break;
        }
    }
    let mut shape = RowShape::default();
    let mut rows = 0usize;
    while pos < input.len() {
        // Skip blank lines.
        if matches!(input.get(pos), Some(b'\n' | b'\r')) {
            pos += 1;
            continue;
        }
        let mut i = 0;
        let mut extra = false;
        loop {
            let (f, next, last) = field(input, pos, delim)?;
            match columns.get_mut(i) {
                Some(c) => c.push(f.span, f.kind),
                None => extra |= f.kind != Kind::Null,
            }
            i += 1;
            pos = next;
            if last {
                break;
            }
        }
        shape.long_rows += usize::from(extra);
        shape.short_rows += usize::from(i < columns.len());
        rows += 1;
        for c in &mut columns {
            c.pad(rows);
        }
    }
    let mut out = Parsed::new(Format::Csv);
    // pandas writes its index with an empty header: call it "index"; other empty
    // names become column_N, and the result says so.
    if columns.first().is_some_and(|c| c.name.is_empty()) {
        if let Some(c) = columns.first_mut() {
            c.name = "index".to_string();
        }
    }
    if columns.iter().any(|c| c.name.is_empty()) {
        out.warn(WarningKind::Structure, "the CSV header has empty column names; they are shown as column_N");
    }
    let mut t = infer::table("PrimaryResult".to_string(), columns, rows, input, ctx);
    for (k, c) in t.columns.iter_mut().enumerate() {
        if c.name.is_empty() {
            c.name = format!("column_{}", k + 1);
        }
    }
    t.shape = shape;
    t.escapes = Escapes::CsvQuotes;
    out.tables.push(t);
    Ok(out)
}
