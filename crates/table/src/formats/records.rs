//! Rows given as JSON objects with no schema: JSON lines (osquery, Velociraptor, any
//! tool's NDJSON), a JSON array of objects (pandas `orient="records"`), an object of
//! objects (keyed records, e.g. alert entities by `$id`) and pandas `orient="split"`.
//! Keys become columns in first-seen order; duplicate keys keep the first value. In JSON
//! lines, objects nested one level are flattened as `outer.inner` (osquery's `columns`,
//! Velociraptor's `Hash`); elsewhere, and deeper, objects stay JSON text (dynamic).
//! osquery result logs are split into one table per query `name`, with the `columns.`
//! prefix dropped.

use std::collections::HashMap;

use super::infer::{self, Cells, Kind};
use super::Parsed;
use crate::build::ParseCtx;
use crate::detect::Format;
use crate::error::{ParseError, WarningKind};
use crate::json::{Peek, Reader};
use crate::store::Span;

/// Collects cells of rows whose keys are discovered as they come.
#[derive(Default)]
struct Collector {
    columns: Vec<Cells>,
    index: HashMap<Vec<u8>, usize>,
    rows: usize,
    duplicate_keys: usize,
}

impl Collector {
    fn column(&mut self, name: &[u8]) -> usize {
        if let Some(&i) = self.index.get(name) {
            return i;
        }
        let i = self.columns.len();
        let mut cells = Cells::new(String::from_utf8_lossy(name).into_owned());
        cells.pad(self.rows);
        self.columns.push(cells);
        self.index.insert(name.to_vec(), i);
        i
    }

    fn put(&mut self, name: &[u8], span: Span, kind: Kind) {
        let i = self.column(name);
        if let Some(c) = self.columns.get_mut(i) {
            if c.len() == self.rows {
                c.push(span, kind);
            } else {
                self.duplicate_keys += 1;
            }
        }
    }

    fn end_row(&mut self) {
        self.rows += 1;
        for c in &mut self.columns {
            c.pad(self.rows);
        }
    }
}

/// One value's cell: its span and kind (strings without their quotes).
fn cell(r: &mut Reader<'_>) -> Result<(Span, Kind), ParseError> {
    Ok(match r.peek()? {
        Peek::String => {
            let raw = r.string()?;
            let span = Span { start: raw.start as u32, len: (raw.end - raw.start) as u32 };
            (span, if raw.escaped { Kind::Escaped } else { Kind::Text })
        }
        Peek::Number => {
            let start = r.pos_after_ws();
            let n = r.number()?;
            (Span { start: start as u32, len: n.len() as u32 }, Kind::Number)
        }
        Peek::True | Peek::False => {
            let start = r.pos_after_ws();
            let end = {
                r.literal()?;
                r.pos()
            };
            (Span { start: start as u32, len: (end - start) as u32 }, Kind::Bool)
        }
        Peek::Null => {
            r.literal()?;
            (Span::EMPTY, Kind::Null)
        }
        Peek::Object | Peek::Array => {
            let (s, e) = r.skip_value()?;
            (Span { start: s as u32, len: (e - s) as u32 }, Kind::Json)
        }
    })
}

/// Reads one row object into `(key, span, kind)` triples, flattening nested objects
/// one level when asked.
fn row(r: &mut Reader<'_>, out: &mut Vec<(Vec<u8>, Span, Kind)>, flatten: bool) -> Result<(), ParseError> {
    out.clear();
    r.begin_object("a row object")?;
    let mut first = true;
    while let Some(key) = r.next_key(&mut first)? {
        let name = if key.escaped { r.decode(key).0.into_bytes() } else { r.raw_bytes(key).to_vec() };
        if flatten && r.peek()? == Peek::Object {
            let at = r.pos_after_ws();
            r.begin_object("a nested object")?;
            let mut f = true;
            let mut any = false;
            while let Some(inner) = r.next_key(&mut f)? {
                any = true;
                let mut full = name.clone();
                full.push(b'.');
                if inner.escaped {
                    full.extend_from_slice(r.decode(inner).0.as_bytes());
                } else {
                    full.extend_from_slice(r.raw_bytes(inner));
                }
                let (span, kind) = cell(r)?;
                out.push((full, span, kind));
            }
            if !any {
                let end = r.pos();
                out.push((name, Span { start: at as u32, len: (end - at) as u32 }, Kind::Json));
            }
        } else {
            let (span, kind) = cell(r)?;
            out.push((name, span, kind));
        }
    }
    Ok(())
}

fn is_osquery(fields: &[(Vec<u8>, Span, Kind)]) -> bool {
    let has = |k: &[u8]| fields.iter().any(|f| f.0 == k);
    has(b"name") && has(b"hostIdentifier") && fields.iter().any(|f| f.0.starts_with(b"columns."))
}

fn finish(groups: Vec<(String, Collector)>, osquery: bool, input: &[u8], ctx: &ParseCtx<'_>, out: &mut Parsed) {
    let mut duplicates = 0;
    for (n, (name, mut c)) in groups.into_iter().enumerate() {
        duplicates += c.duplicate_keys;
        if osquery {
            // osquery's result columns are the data: drop the `columns.` prefix, then
            // `decorations.`, wherever the short name is still free.
            for prefix in ["columns.", "decorations."] {
                for i in 0..c.columns.len() {
                    let Some(short) = c.columns.get(i).and_then(|x| x.name.strip_prefix(prefix)).map(str::to_string)
                    else {
                        continue;
                    };
                    if !c.columns.iter().any(|x| x.name == short) {
                        if let Some(col) = c.columns.get_mut(i) {
                            col.name = short;
                        }
                    }
                }
            }
        }
        // A key that was null in some rows and an object (flattened) in others: its
        // flattened columns carry the values; the all-null column goes.
        let flattened: Vec<String> =
            c.columns.iter().filter_map(|x| x.name.split_once('.').map(|(head, _)| head.to_string())).collect();
        c.columns.retain(|x| !(flattened.contains(&x.name) && x.kinds.iter().all(|k| *k == Kind::Null)));
        let rows = c.rows;
        let mut t = infer::table(name, c.columns, rows, input, ctx);
        if n > 0 {
            t.kind = crate::TableKind::Secondary;
        }
        out.tables.push(t);
    }
    if duplicates > 0 {
        out.warn(
            WarningKind::Structure,
            format!(
                "{duplicates} duplicate key{} in row objects; the first value of each was kept",
                crate::build::plural(duplicates)
            ),
        );
    }
}

/// JSON lines: one object per line (blank lines skipped).
pub(crate) fn read_lines(input: &[u8], start: usize, ctx: &ParseCtx<'_>) -> Result<Parsed, ParseError> {
    let mut out = Parsed::new(Format::JsonLines);
    let mut r = Reader::at(input, start);
    let mut fields = Vec::new();
    let mut groups: Vec<(String, Collector)> = Vec::new();
    let mut osquery: Option<bool> = None;
    while !r.at_end() {
        row(&mut r, &mut fields, true)?;
        let is_osq = *osquery.get_or_insert_with(|| is_osquery(&fields));
        let group = if is_osq {
            fields
                .iter()
                .find(|f| f.0 == b"name")
                .map(|f| String::from_utf8_lossy(infer::bytes(input, f.1)).into_owned())
                .unwrap_or_default()
        } else {
            "PrimaryResult".to_string()
        };
        let g = match groups.iter().position(|(n, _)| *n == group) {
            Some(g) => g,
            None => {
                groups.push((group, Collector::default()));
                groups.len() - 1
            }
        };
        if let Some((_, c)) = groups.get_mut(g) {
            for (k, span, kind) in fields.drain(..) {
                c.put(&k, span, kind);
            }
            c.end_row();
        }
        // Lines are separated by newlines; tolerate a trailing comma-free stream of objects.
        if !r.at_end() && r.peek()? != Peek::Object {
            return Err(r.error("expected the next JSON object of the JSON lines"));
        }
    }
    finish(groups, osquery.unwrap_or(false), input, ctx, &mut out);
    Ok(out)
}

/// A JSON array of row objects.
pub(crate) fn read_array(input: &[u8], start: usize, ctx: &ParseCtx<'_>) -> Result<Parsed, ParseError> {
    let mut out = Parsed::new(Format::JsonRecords);
    let mut r = Reader::at(input, start);
    let mut fields = Vec::new();
    let mut c = Collector::default();
    r.begin_array("a list of row objects")?;
    let mut first = true;
    while r.next_element(&mut first)? {
        if r.peek()? != Peek::Object {
            return Err(r.error("expected a row object in a JSON array of records"));
        }
        row(&mut r, &mut fields, false)?;
        for (k, span, kind) in fields.drain(..) {
            c.put(&k, span, kind);
        }
        c.end_row();
    }
    if !r.at_end() {
        return Err(r.error("unexpected text after the end of the JSON array"));
    }
    finish(vec![("PrimaryResult".to_string(), c)], false, input, ctx, &mut out);
    Ok(out)
}

/// An object whose values are all row objects: one row per key (column `key`).
pub(crate) fn read_keyed(input: &[u8], start: usize, ctx: &ParseCtx<'_>) -> Result<Parsed, ParseError> {
    let mut out = Parsed::new(Format::JsonRecords);
    let mut r = Reader::at(input, start);
    let mut fields = Vec::new();
    let mut c = Collector::default();
    r.begin_object("an object of row objects")?;
    let mut first = true;
    while let Some(key) = r.next_key(&mut first)? {
        let span = Span { start: key.start as u32, len: (key.end - key.start) as u32 };
        c.put(b"key", span, if key.escaped { Kind::Escaped } else { Kind::Text });
        row(&mut r, &mut fields, false)?;
        for (k, span, kind) in fields.drain(..) {
            c.put(&k, span, kind);
        }
        c.end_row();
    }
    finish(vec![("PrimaryResult".to_string(), c)], false, input, ctx, &mut out);
    Ok(out)
}

/// pandas `orient="split"` data: rows as arrays under known column names.
pub(crate) fn read_split_rows(r: &mut Reader<'_>, names: &[String]) -> Result<(Vec<Cells>, usize), ParseError> {
    let mut columns: Vec<Cells> = names.iter().map(|n| Cells::new(n.clone())).collect();
    let mut rows = 0;
    r.begin_array("the \"data\" rows")?;
    let mut first = true;
    while r.next_element(&mut first)? {
        r.begin_array("a row")?;
        let mut f = true;
        let mut i = 0;
        while r.next_element(&mut f)? {
            let (span, kind) = cell(r)?;
            if let Some(c) = columns.get_mut(i) {
                c.push(span, kind);
            }
            i += 1;
        }
        rows += 1;
        for c in &mut columns {
            c.pad(rows);
        }
    }
    Ok((columns, rows))
}
