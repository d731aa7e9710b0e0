//! Writing a table out with exact values: CSV (RFC 4180, spreadsheet formulas
//! neutralised) and JSON lines.

use std::io::{self, Write};

use crate::column::{format_real, ColumnData};
use crate::datetime::{format_datetime_full, format_timespan};
use crate::types::ColumnType;
use crate::Table;

/// A cell's value for export: `None` for null.
fn value(table: &Table, row: usize, col: usize, out: &mut String) -> bool {
    let Some(c) = table.column(col) else { return false };
    match (&c.data, c.ty) {
        (ColumnData::I64(v, valid), ColumnType::DateTime) => match v.get(row).filter(|_| valid.is_valid(row)) {
            Some(&t) => {
                format_datetime_full(t, out);
                true
            }
            None => false,
        },
        (ColumnData::I64(v, valid), ColumnType::TimeSpan) => match v.get(row).filter(|_| valid.is_valid(row)) {
            Some(&t) => {
                format_timespan(t, out);
                true
            }
            None => false,
        },
        _ => table.write_cell(row, col, out),
    }
}

/// Whether a text cell would be read as a formula by a spreadsheet (OWASP: `=`, `+`,
/// `-`, `@`, tab, carriage return; NUL too).
pub fn is_formula_trigger(text: &str) -> bool {
    matches!(text.as_bytes().first(), Some(b'=' | b'+' | b'-' | b'@' | b'\t' | b'\r' | b'\0'))
}

/// Whether text is a plain number (`-1.5`, `+3e-7`): a spreadsheet reads it as the
/// number it is, so a leading sign needs no neutralising.
fn is_plain_number(text: &str) -> bool {
    let b = text.as_bytes();
    let mut i = usize::from(matches!(b.first(), Some(b'+' | b'-')));
    let digits = |i: &mut usize| {
        let start = *i;
        while b.get(*i).is_some_and(u8::is_ascii_digit) {
            *i += 1;
        }
        *i - start
    };
    let mut n = digits(&mut i);
    if b.get(i) == Some(&b'.') {
        i += 1;
        n += digits(&mut i);
    }
    if n == 0 {
        return false;
    }
    if matches!(b.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(b.get(i), Some(b'+' | b'-')) {
            i += 1;
        }
        if digits(&mut i) == 0 {
            return false;
        }
    }
    i == b.len()
}

fn csv_field(text: &str, neutralise: bool, out: &mut Vec<u8>) {
    let prefix = neutralise && is_formula_trigger(text) && !is_plain_number(text);
    let quote = prefix
        || text.bytes().any(|b| matches!(b, b',' | b'"' | b'\n' | b'\r'))
        || text.starts_with(' ')
        || text.ends_with(' ');
    if quote {
        out.push(b'"');
    }
    if prefix {
        out.push(b'\'');
    }
    for b in text.bytes() {
        if b == b'"' {
            out.push(b'"');
        }
        out.push(b);
    }
    if quote {
        out.push(b'"');
    }
}

/// Writes the table as CSV: a header row, CRLF line ends, null as an empty field.
/// Every cell held as text — whatever its declared type (string, dynamic, guid,
/// decimal, or anything the source typed loosely) — that starts like a spreadsheet
/// formula gets a leading `'`, unless it is a plain number; numbers, datetimes,
/// timespans and booleans the engine typed are written as they are.
pub fn write_csv(table: &Table, w: &mut dyn Write) -> io::Result<()> {
    let mut line = Vec::new();
    for (i, c) in table.columns.iter().enumerate() {
        if i > 0 {
            line.push(b',');
        }
        csv_field(&c.name, true, &mut line);
    }
    line.extend_from_slice(b"\r\n");
    w.write_all(&line)?;
    let mut cell = String::new();
    for row in 0..table.rows() {
        line.clear();
        for (i, c) in table.columns.iter().enumerate() {
            if i > 0 {
                line.push(b',');
            }
            cell.clear();
            if value(table, row, i, &mut cell) {
                csv_field(&cell, matches!(c.data, ColumnData::Str(_)), &mut line);
            }
        }
        line.extend_from_slice(b"\r\n");
        w.write_all(&line)?;
    }
    Ok(())
}

fn json_string(text: &str, out: &mut String) {
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            // Controls (C0, DEL, C1 — a terminal obeys some) and the separators some
            // JSON readers choke on, escaped: the value is the same.
            c if (c as u32) < 0x20 || ('\u{7f}'..='\u{9f}').contains(&c) || c == '\u{2028}' || c == '\u{2029}' => {
                use std::fmt::Write as _;
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

/// Writes the table as JSON lines: one object per row, keys in column order. Integers
/// are JSON integers with every digit, reals are numbers (`"NaN"`, `"Infinity"` as
/// strings), datetimes are ISO 8601 strings with 7 fraction digits, dynamic values are
/// their JSON text as a string, null is `null`.
pub fn write_jsonl(table: &Table, w: &mut dyn Write) -> io::Result<()> {
    let mut line = String::new();
    let mut cell = String::new();
    for row in 0..table.rows() {
        line.clear();
        line.push('{');
        for (i, c) in table.columns.iter().enumerate() {
            if i > 0 {
                line.push(',');
            }
            json_string(&c.name, &mut line);
            line.push(':');
            cell.clear();
            match &c.data {
                ColumnData::I64(v, valid) if matches!(c.ty, ColumnType::Int | ColumnType::Long) => {
                    match v.get(row).filter(|_| valid.is_valid(row)) {
                        Some(x) => line.push_str(&x.to_string()),
                        None => line.push_str("null"),
                    }
                }
                ColumnData::F64(v, valid) => match v.get(row).filter(|_| valid.is_valid(row)) {
                    Some(x) if x.is_finite() => {
                        format_real(*x, &mut cell);
                        line.push_str(&cell);
                    }
                    Some(x) => {
                        format_real(*x, &mut cell);
                        json_string(&cell, &mut line);
                    }
                    None => line.push_str("null"),
                },
                ColumnData::Bool(v) => line.push_str(match v.get(row) {
                    Some(0) => "false",
                    Some(1) => "true",
                    _ => "null",
                }),
                _ => {
                    if value(table, row, i, &mut cell) {
                        json_string(&cell, &mut line);
                    } else {
                        line.push_str("null");
                    }
                }
            }
        }
        line.push_str("}\n");
        w.write_all(line.as_bytes())?;
    }
    Ok(())
}
