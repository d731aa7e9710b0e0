//! Tables whose source gives no types (CSV, JSON lines, pandas records/split): cells are
//! collected as spans with their JSON kind, each column's type is inferred, then the
//! typed column is built from the same spans.
//!
//! The rule, per column, over its non-null cells (documented in docs/formats.md):
//! 1. JSON values of one kind keep it: all booleans → bool; all numbers → long when every
//!    one is an integer that fits 64 bits, else real; all objects/arrays → dynamic.
//!    Mixed objects and scalars → dynamic; mixed numbers and strings → string.
//! 2. Text (CSV fields, JSON strings), first rule that holds for every value:
//!    ISO 8601 datetime → datetime; the Azure portal's `M/D/YYYY, h:mm:ss AM` → datetime;
//!    GUID → guid; integer without leading zeros or `+` that fits 64 bits → long;
//!    number (also `NaN`, `Infinity`) → real; `true`/`false` (any case) → bool;
//!    `{…}`/`[…]` that parses as JSON → dynamic; otherwise string.
//!    Strings with escapes or CSV doubled quotes are never numbers or dates.
//! 3. Empty text and JSON null are null; a column with no value at all is string.

use super::RawTable;
use crate::build::{ColumnBuilder, ParseCtx};
use crate::datetime::{parse_datetime, parse_portal_datetime};
use crate::json::parse_i64;
use crate::store::{Span, ESCAPED};
use crate::types::ColumnType;
use crate::TableKind;

/// What a cell held.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub(crate) enum Kind {
    Null,
    Bool,
    Number,
    /// Text without escapes.
    Text,
    /// Text with escapes (JSON backslashes or CSV doubled quotes): kept as a flagged span.
    Escaped,
    /// An object or array: its JSON text.
    Json,
}

/// One column's cells.
pub(crate) struct Cells {
    pub name: String,
    pub spans: Vec<Span>,
    pub kinds: Vec<Kind>,
}

impl Cells {
    pub fn new(name: String) -> Self {
        Cells { name, spans: Vec::new(), kinds: Vec::new() }
    }

    pub fn len(&self) -> usize {
        self.kinds.len()
    }

    pub fn push(&mut self, span: Span, kind: Kind) {
        self.spans.push(span);
        self.kinds.push(kind);
    }

    /// Pads with nulls up to `rows` cells.
    pub fn pad(&mut self, rows: usize) {
        while self.kinds.len() < rows {
            self.push(Span::EMPTY, Kind::Null);
        }
    }
}

fn is_guid(t: &[u8]) -> bool {
    // Sysmon writes GUIDs in braces.
    let t = t.strip_prefix(b"{").and_then(|x| x.strip_suffix(b"}")).unwrap_or(t);
    t.len() == 36
        && t.iter()
            .enumerate()
            .all(|(i, &b)| if matches!(i, 8 | 13 | 18 | 23) { b == b'-' } else { b.is_ascii_hexdigit() })
}

fn is_plain_integer(t: &[u8]) -> bool {
    let digits = t.strip_prefix(b"-").unwrap_or(t);
    !digits.is_empty() && (digits == b"0" || digits.first() != Some(&b'0')) && parse_i64(t).is_some()
}

fn is_real(t: &[u8]) -> bool {
    // Leading zeros ("0042") would be lost: such values stay text.
    let digits = t.strip_prefix(b"-").or_else(|| t.strip_prefix(b"+")).unwrap_or(t);
    let leading_zero = digits.first() == Some(&b'0') && digits.get(1).is_some_and(u8::is_ascii_digit);
    !leading_zero && crate::build::parse_real(t).is_some()
}

/// The type of a column (see the module docs for the rule). Returns the type and
/// whether datetimes are in the portal's format.
pub(crate) fn infer(cells: &Cells, input: &[u8]) -> (ColumnType, bool) {
    let mut kinds = [0usize; 6];
    for &k in &cells.kinds {
        kinds[k as usize] += 1;
    }
    let [_, bools, numbers, texts, escaped, json] = kinds;
    let values = bools + numbers + texts + escaped + json;
    if values == 0 {
        return (ColumnType::String, false);
    }
    if json > 0 {
        return (ColumnType::Dynamic, false);
    }
    if bools == values {
        return (ColumnType::Bool, false);
    }
    if numbers == values {
        let all_int = cells
            .kinds
            .iter()
            .zip(&cells.spans)
            .filter(|(k, _)| **k == Kind::Number)
            .all(|(_, sp)| parse_i64(bytes(input, *sp)).is_some());
        return (if all_int { ColumnType::Long } else { ColumnType::Real }, false);
    }
    if texts != values {
        // Escaped text, or text mixed with numbers/booleans.
        return (ColumnType::String, false);
    }
    let text_values =
        || cells.kinds.iter().zip(&cells.spans).filter(|(k, _)| **k == Kind::Text).map(|(_, sp)| bytes(input, *sp));
    let all = |pred: &dyn Fn(&[u8]) -> bool| text_values().all(pred);
    if all(&|t| parse_datetime(t).is_some()) {
        (ColumnType::DateTime, false)
    } else if all(&|t| parse_portal_datetime(t).is_some()) {
        (ColumnType::DateTime, true)
    } else if all(&is_guid) {
        (ColumnType::Guid, false)
    } else if all(&is_plain_integer) {
        (ColumnType::Long, false)
    } else if all(&is_real) {
        (ColumnType::Real, false)
    } else if all(&|t| t.eq_ignore_ascii_case(b"true") || t.eq_ignore_ascii_case(b"false")) {
        (ColumnType::Bool, false)
    } else if all(&|t| {
        matches!(t.first(), Some(b'{' | b'[')) && serde_json::from_slice::<serde::de::IgnoredAny>(t).is_ok()
    }) {
        (ColumnType::Dynamic, false)
    } else {
        (ColumnType::String, false)
    }
}

pub(crate) fn bytes(input: &[u8], span: Span) -> &[u8] {
    let start = span.start as usize;
    input.get(start..start + span.byte_len()).unwrap_or_default()
}

/// Builds the typed column from the cells.
pub(crate) fn build(cells: Cells, input: &[u8], ctx: &ParseCtx<'_>) -> ColumnBuilder {
    let (ty, portal) = infer(&cells, input);
    let Cells { name, spans, kinds } = cells;
    let mut b = ColumnBuilder::new(name, ty);
    b.portal_dates = portal;
    b.reserve(kinds.len());
    for (span, kind) in spans.into_iter().zip(kinds) {
        match kind {
            Kind::Null => b.push_null(),
            Kind::Escaped => b.push_span(Span { len: span.len | ESCAPED, ..span }, ctx),
            _ => b.push_text(bytes(input, span), span, ctx),
        }
    }
    b
}

/// A whole table from collected columns (all padded to the same row count).
pub(crate) fn table(name: String, mut columns: Vec<Cells>, rows: usize, input: &[u8], ctx: &ParseCtx<'_>) -> RawTable {
    for c in &mut columns {
        c.pad(rows);
    }
    let built = columns.into_iter().map(|c| build(c, input, ctx)).collect();
    RawTable::new(name, TableKind::PrimaryResult, built)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn infer_texts(values: &[&str]) -> (ColumnType, bool) {
        let mut input = Vec::new();
        let mut cells = Cells::new("c".into());
        for v in values {
            let start = input.len() as u32;
            input.extend_from_slice(v.as_bytes());
            let kind = if v.is_empty() { Kind::Null } else { Kind::Text };
            cells.push(Span { start, len: v.len() as u32 }, kind);
        }
        infer(&cells, &input)
    }

    #[test]
    fn text_inference_rule() {
        use ColumnType::*;
        assert_eq!(infer_texts(&["2019-02-10 15:21:06.890", "", "2019-02-10T15:21:07Z"]).0, DateTime);
        assert_eq!(infer_texts(&["5/6/2024, 1:02:03.123 PM"]), (DateTime, true));
        assert_eq!(infer_texts(&["74be27de-1e4e-49d9-b579-fe0b331d3642"]).0, Guid);
        assert_eq!(infer_texts(&["{74BE27DE-1E4E-49D9-B579-FE0B331D3642}"]).0, Guid);
        assert_eq!(infer_texts(&["4688", "-1", "9223372036854775807"]).0, Long);
        assert_eq!(infer_texts(&["4688", "0042"]).0, String, "leading zeros are kept as text");
        assert_eq!(infer_texts(&["0.5", "00.5"]).0, String);
        assert_eq!(infer_texts(&["9223372036854775808"]).0, Real);
        assert_eq!(infer_texts(&["1.5", "NaN", "3"]).0, Real);
        assert_eq!(infer_texts(&["True", "false"]).0, Bool);
        assert_eq!(infer_texts(&["{\"a\":1}", "[1,2]"]).0, Dynamic);
        assert_eq!(infer_texts(&["{not json"]).0, String);
        assert_eq!(infer_texts(&["0x1994", "4"]).0, String);
        assert_eq!(infer_texts(&["", ""]).0, String);
    }
}
