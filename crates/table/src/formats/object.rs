//! Payloads that are one JSON object: Log Analytics (single, batch, API examples),
//! Kusto v1, Defender / Graph hunting, pandas `orient="table"`, and service error bodies.

use super::infer::{self, Cells};
use super::records;
use super::{error_text, hint, read_array_row, read_columns, Parsed, RawTable, RowShape};
use crate::build::{plural, ColumnBuilder, ParseCtx};
use crate::detect::Format;
use crate::error::{ParseError, WarningKind};
use crate::json::{Peek, Reader};
use crate::types::ColumnType;
use crate::TableKind;

/// Top-level keys listed in the "not recognised" message.
const MAX_KEYS_LISTED: usize = 8;

/// What an object payload turned out to be.
pub(crate) enum Outcome {
    Parsed(Box<Parsed>),
    /// Another JSON object follows the first: JSON lines.
    JsonLines,
    /// An object of row objects (no known keys).
    KeyedRecords,
}

pub(crate) fn read(r: &mut Reader<'_>, ctx: &mut ParseCtx<'_>, forced: Option<Format>) -> Result<Outcome, ParseError> {
    let mut out = Parsed::new(forced.unwrap_or(Format::LogAnalytics));
    let body = read_body(r, ctx, &mut out, 0)?;
    if !r.at_end() {
        if r.peek()? == Peek::Object {
            return Ok(Outcome::JsonLines);
        }
        return Err(r.error("unexpected text after the end of the JSON document"));
    }
    if !body.saw_tables && out.tables.is_empty() && body.error.is_none() && body.all_objects && !body.keys.is_empty() {
        return Ok(Outcome::KeyedRecords);
    }
    finish(body, &mut out, ctx)?;
    Ok(Outcome::Parsed(Box::new(out)))
}

/// What the keys of one response object held.
#[derive(Default)]
struct Body {
    saw_tables: bool,
    error: Option<serde_json::Value>,
    /// pandas `orient="table"`: a `schema` object and `data`.
    pandas: Option<ObjectRows>,
    /// Defender / Graph hunting: a `Schema`/`schema` list and `Results`/`results`.
    hunting: Option<ObjectRows>,
    /// pandas `orient="split"`: `columns`, `index`, `data` (rows as arrays).
    split_names: Option<Vec<String>>,
    split: Option<(Vec<Cells>, usize)>,
    /// `data` seen before the keys that say how to read it.
    data_at: Option<usize>,
    keys: Vec<String>,
    /// Every unrecognised key held an object (an object of row objects).
    all_objects: bool,
}

fn finish(mut body: Body, out: &mut Parsed, ctx: &ParseCtx<'_>) -> Result<(), ParseError> {
    if let Some((cells, rows)) = body.split.take() {
        out.format = Format::PandasSplit;
        out.tables.push(infer::table("DataFrame".to_string(), cells, rows, ctx.input, ctx));
        body.saw_tables = true;
    }
    if let Some(p) = body.pandas {
        p.finish(out, "DataFrame", true)?;
    }
    if let Some(h) = body.hunting {
        h.finish(out, "PrimaryResult", false)?;
    }
    if let Some(err) = body.error {
        let text = error_text(&err);
        if body.saw_tables || !out.tables.is_empty() {
            out.warn(WarningKind::PartialError, format!("the query returned a partial result: {text}"));
        } else {
            return Err(ParseError::new(format!("the query failed: {text}")));
        }
    }
    if !body.saw_tables && out.tables.is_empty() {
        let mut keys = body.keys;
        let more = keys.len().saturating_sub(MAX_KEYS_LISTED);
        keys.truncate(MAX_KEYS_LISTED);
        let listed = if keys.is_empty() { "none".to_string() } else { keys.join(", ") };
        let more = if more > 0 { format!(" and {more} more") } else { String::new() };
        return Err(ParseError::new(format!(
            "not a recognised query result: a JSON object with keys {listed}{more}; expected Log Analytics (\"tables\"), Kusto v1 (\"Tables\"), a batch (\"responses\"), Defender hunting (\"Schema\" and \"Results\") or pandas orient=\"table\" (\"schema\" and \"data\")"
        )));
    }
    Ok(())
}

fn read_body(r: &mut Reader<'_>, ctx: &mut ParseCtx<'_>, out: &mut Parsed, depth: usize) -> Result<Body, ParseError> {
    let mut body = Body { all_objects: true, ..Body::default() };
    r.begin_object("a JSON object")?;
    let mut first = true;
    while let Some(key) = r.next_key(&mut first)? {
        if r.raw_eq(key, "tables") {
            body.saw_tables = true;
            read_tables(r, ctx, out, false)?;
        } else if r.raw_eq(key, "Tables") {
            body.saw_tables = true;
            out.format = Format::KustoV1;
            read_tables(r, ctx, out, true)?;
        } else if r.raw_eq_ignore_case(key, "error") {
            body.error = Some(r.small_value()?);
        } else if r.raw_eq(key, "render") {
            let v = r.small_value()?;
            out.hint = hint::from_value(&v).or(out.hint.take());
        } else if r.raw_eq(key, "Exceptions") {
            let v = r.small_value()?;
            for e in v.as_array().into_iter().flatten() {
                out.warn(WarningKind::PartialError, format!("the query reported an exception: {}", error_text(e)));
            }
        } else if r.raw_eq(key, "responses") && depth == 0 {
            if r.peek()? == Peek::Object {
                read_spec_example(r, ctx, out)?;
            } else {
                read_batch(r, ctx, out)?;
            }
            body.saw_tables = true;
        } else if r.raw_eq_ignore_case(key, "schema") && r.peek()? == Peek::Array {
            let state = body.hunting.get_or_insert_with(ObjectRows::default);
            state.columns = Some(read_columns(r, out, "the result")?);
            state.resume(r, ctx)?;
            out.format = Format::DefenderHunting;
        } else if r.raw_eq_ignore_case(key, "results") {
            let state = body.hunting.get_or_insert_with(ObjectRows::default);
            state.read_or_defer(r, ctx)?;
        } else if r.raw_eq(key, "schema") {
            let state = body.pandas.get_or_insert_with(ObjectRows::default);
            state.read_pandas_schema(r, out)?;
            state.deferred = body.data_at.take();
            state.resume(r, ctx)?;
        } else if r.raw_eq(key, "columns") && r.peek()? == Peek::Array && body.pandas.is_none() {
            let names: Vec<String> = match r.small_value()? {
                serde_json::Value::Array(items) => items
                    .into_iter()
                    .map(|v| match v {
                        serde_json::Value::String(s) => s,
                        other => other.to_string(),
                    })
                    .collect(),
                _ => Vec::new(),
            };
            if let Some(at) = body.data_at.take() {
                body.split = Some(records::read_split_rows(&mut Reader::at(r.input(), at), &names)?);
            }
            body.split_names = Some(names);
        } else if r.raw_eq(key, "index") && (body.split_names.is_some() || body.data_at.is_some()) {
            r.skip_value()?;
        } else if r.raw_eq(key, "data") {
            if body.pandas.as_ref().is_some_and(|p| p.columns.is_some()) {
                if let Some(state) = body.pandas.as_mut() {
                    state.read_or_defer(r, ctx)?;
                }
            } else if let Some(names) = &body.split_names {
                body.split = Some(records::read_split_rows(r, names)?);
            } else {
                // Rows before the keys that say how to read them: come back later.
                body.data_at = Some(r.skip_value()?.0);
            }
        } else {
            body.all_objects &= r.peek()? == Peek::Object;
            body.keys.push(format!("\"{}\"", r.decode(key).0.chars().take(40).collect::<String>()));
            r.skip_value()?;
        }
    }
    if body.pandas.as_ref().is_some_and(|p| p.columns.is_some()) {
        out.format = Format::PandasTable;
        body.saw_tables = true;
    }
    if body.split.is_some() {
        body.saw_tables = true;
    }
    if body.hunting.as_ref().is_some_and(|p| p.columns.is_some()) {
        body.saw_tables = true;
    }
    Ok(body)
}

/// An API-specification example (`{"parameters": …, "responses": {"200": {"body": …}}}`):
/// the bodies of its responses.
fn read_spec_example(r: &mut Reader<'_>, ctx: &mut ParseCtx<'_>, out: &mut Parsed) -> Result<(), ParseError> {
    r.begin_object("the responses of an API example")?;
    let mut first = true;
    while let Some(status) = r.next_key(&mut first)? {
        let status = r.decode(status).0;
        r.begin_object("an API example response")?;
        let mut k = true;
        while let Some(key) = r.next_key(&mut k)? {
            if r.raw_eq(key, "body") {
                let b = read_body(r, ctx, out, 1)?;
                if let Some(err) = &b.error {
                    out.warn(WarningKind::PartialError, format!("response {status}: {}", error_text(err)));
                }
            } else {
                r.skip_value()?;
            }
        }
    }
    Ok(())
}

/// `{"responses":[{"id","status","body":{…}}]}`: every response's tables, in order.
fn read_batch(r: &mut Reader<'_>, ctx: &mut ParseCtx<'_>, out: &mut Parsed) -> Result<(), ParseError> {
    r.begin_array("a list of batch responses")?;
    let mut first = true;
    let mut n = 0;
    while r.next_element(&mut first)? {
        n += 1;
        r.begin_object("a batch response")?;
        let mut k = true;
        let (mut id, mut status) = (format!("response {n}"), None);
        let mut body = None;
        while let Some(key) = r.next_key(&mut k)? {
            if r.raw_eq(key, "id") {
                id = match r.peek()? {
                    Peek::String => format!("response {}", r.string_value()?),
                    _ => {
                        let (s, e) = r.skip_value()?;
                        format!("response {}", String::from_utf8_lossy(r.input().get(s..e).unwrap_or_default()))
                    }
                };
            } else if r.raw_eq(key, "status") {
                status = r.int_value()?;
            } else if r.raw_eq(key, "body") {
                let before = out.tables.len();
                let b = read_body(r, ctx, out, 1)?;
                for t in out.tables.iter_mut().skip(before) {
                    t.name = format!("{} ({id})", t.name);
                }
                body = Some(b);
            } else {
                r.skip_value()?;
            }
        }
        let failed = status.is_some_and(|s| !(200..300).contains(&s));
        match body {
            Some(b) if b.error.is_some() => {
                let kind = if b.saw_tables { "returned a partial result" } else { "failed" };
                let text = b.error.as_ref().map(error_text).unwrap_or_default();
                out.warn(WarningKind::PartialError, format!("batch {id} {kind}: {text}"));
            }
            _ if failed => {
                out.warn(
                    WarningKind::PartialError,
                    format!("batch {id} failed with HTTP status {}", status.unwrap_or(0)),
                );
            }
            _ => {}
        }
    }
    Ok(())
}

/// Reads `tables`/`Tables`: an array of `{name, columns, rows}` (or Kusto v1 spellings).
fn read_tables(r: &mut Reader<'_>, ctx: &mut ParseCtx<'_>, out: &mut Parsed, v1: bool) -> Result<(), ParseError> {
    r.begin_array("a list of tables")?;
    let mut first = true;
    let before = out.tables.len();
    while r.next_element(&mut first)? {
        let table = read_table(r, ctx, out)?;
        out.tables.push(table);
    }
    if v1 {
        apply_v1_table_of_contents(out, before, ctx);
    } else {
        // Log Analytics: PrimaryResult is primary; if none is named so, the first is.
        let tables = out.tables.get_mut(before..).unwrap_or_default();
        let has_primary = tables.iter().any(|t| t.name == "PrimaryResult");
        for (i, t) in tables.iter_mut().enumerate() {
            let primary = if has_primary { t.name == "PrimaryResult" } else { i == 0 };
            t.kind = if primary { TableKind::PrimaryResult } else { TableKind::Secondary };
        }
    }
    Ok(())
}

fn read_table(r: &mut Reader<'_>, ctx: &mut ParseCtx<'_>, out: &mut Parsed) -> Result<RawTable, ParseError> {
    r.begin_object("a table ({\"name\", \"columns\", \"rows\"})")?;
    let mut name = format!("Table_{}", out.tables.len());
    let mut columns: Option<Vec<ColumnBuilder>> = None;
    let mut deferred_rows = None;
    let mut shape = RowShape::default();
    let mut row_errors = Vec::new();
    let mut first = true;
    while let Some(key) = r.next_key(&mut first)? {
        if r.raw_eq_ignore_case(key, "name") || r.raw_eq_ignore_case(key, "TableName") {
            name = r.string_value()?;
        } else if r.raw_eq_ignore_case(key, "columns") {
            let mut cols = read_columns(r, out, &name)?;
            if let Some(at) = deferred_rows.take() {
                let mut again = Reader::at(r.input(), at);
                read_rows(&mut again, ctx, &mut cols, &mut shape, &mut row_errors)?;
            }
            columns = Some(cols);
        } else if r.raw_eq_ignore_case(key, "rows") {
            match columns.as_mut() {
                Some(cols) => read_rows(r, ctx, cols, &mut shape, &mut row_errors)?,
                None => deferred_rows = Some(r.skip_value()?.0),
            }
        } else {
            r.skip_value()?;
        }
    }
    let Some(columns) = columns else {
        return Err(r.error(format!("table {name} has no \"columns\"")));
    };
    Ok(RawTable { shape, row_errors, ..RawTable::new(name, TableKind::PrimaryResult, columns) })
}

/// Rows read before the total is estimated and every column is sized for it.
const ROWS_BEFORE_ESTIMATE: usize = 2048;

/// Sizes every column for the rows still to come, estimated from the bytes the first
/// rows took: columns then grow once instead of doubling (less time, less peak memory).
fn reserve_estimate(columns: &mut [ColumnBuilder], r: &Reader<'_>, rows_start: usize, seen: usize) {
    let used = r.pos().saturating_sub(rows_start).max(1);
    let left = r.input().len().saturating_sub(r.pos());
    let more = (left as f64 / used as f64 * seen as f64 * 1.02) as usize;
    for c in columns {
        c.reserve(more);
    }
}

/// Reads a `rows` array. Rows that are objects rather than arrays are in-band errors
/// (Kusto `{"Exceptions": […]}`, `{"OneApiErrors": […]}`); they are collected with the
/// number of rows before them.
pub(crate) fn read_rows(
    r: &mut Reader<'_>,
    ctx: &mut ParseCtx<'_>,
    columns: &mut [ColumnBuilder],
    shape: &mut RowShape,
    row_errors: &mut Vec<(usize, String)>,
) -> Result<(), ParseError> {
    r.begin_array("a list of rows")?;
    let rows_start = r.pos();
    let mut seen = 0usize;
    let mut first = true;
    while r.next_element(&mut first)? {
        seen += 1;
        if seen == ROWS_BEFORE_ESTIMATE {
            reserve_estimate(columns, r, rows_start, seen);
        }
        if r.peek()? == Peek::Object {
            let v = r.small_value()?;
            let rows = columns.first().map_or(0, ColumnBuilder::len);
            let listed = v.as_object().and_then(|o| {
                o.iter()
                    .find(|(k, _)| k.eq_ignore_ascii_case("exceptions") || k.eq_ignore_ascii_case("OneApiErrors"))
                    .map(|(_, list)| list)
            });
            let text = match listed {
                Some(serde_json::Value::Array(l)) => l.iter().map(error_text).collect::<Vec<_>>().join("; "),
                Some(other) => error_text(other),
                None => error_text(&v),
            };
            row_errors.push((rows, text));
            continue;
        }
        read_array_row(r, ctx, columns, shape)?;
    }
    Ok(())
}

/// Kusto v1: the last table is a table of contents naming the others. Keep the query
/// results, turn `QueryStatus` errors into warnings, read `@ExtendedProperties` hints.
fn apply_v1_table_of_contents(out: &mut Parsed, from: usize, ctx: &ParseCtx<'_>) {
    let toc_is_last = out.tables.len() > from + 1
        && out.tables.last().is_some_and(|t| {
            let names: Vec<&str> = t.columns.iter().map(|c| c.name.as_str()).collect();
            names.starts_with(&["Ordinal", "Kind", "Name"])
        });
    if !toc_is_last {
        return;
    }
    let Some(toc) = out.tables.pop() else { return };
    let view = ctx.view();
    let text = |col: usize, row: usize| toc.columns.get(col).and_then(|c| c.text_at(row, &view)).unwrap_or_default();
    let tables: Vec<RawTable> = out.tables.drain(from..).collect();
    let mut primary_seen = false;
    for (i, mut t) in tables.into_iter().enumerate() {
        match text(1, i).as_str() {
            "QueryResult" => {
                let name = text(2, i);
                if !name.is_empty() {
                    t.name = name;
                }
                t.kind = if primary_seen { TableKind::Secondary } else { TableKind::PrimaryResult };
                primary_seen = true;
                out.tables.push(t);
            }
            "QueryProperties" => {
                if let Some(h) = hint::from_properties_table(&t, ctx) {
                    out.hint = Some(h);
                }
            }
            "QueryStatus" => status_warnings(&t, ctx, out),
            _ => {}
        }
    }
}

/// QueryStatus rows with severity Error or Warning become warnings.
fn status_warnings(t: &RawTable, ctx: &ParseCtx<'_>, out: &mut Parsed) {
    let find = |n: &str| t.columns.iter().find(|c| c.name == n);
    let (Some(sev), Some(desc)) = (find("SeverityName"), find("StatusDescription")) else { return };
    let view = ctx.view();
    for row in 0..sev.len() {
        let s = sev.text_at(row, &view).unwrap_or_default();
        if s.eq_ignore_ascii_case("error") || s.eq_ignore_ascii_case("warning") {
            let d = desc.text_at(row, &view).unwrap_or_default();
            out.warn(WarningKind::PartialError, format!("query status {s}: {d}"));
        }
    }
}

/// A table whose rows are JSON objects keyed by column name: pandas `orient="table"`
/// (`data`) and Defender / Graph hunting (`Results`). The schema may come before or
/// after the rows.
#[derive(Default)]
struct ObjectRows {
    columns: Option<Vec<ColumnBuilder>>,
    primary_key: Vec<String>,
    deferred: Option<usize>,
    duplicate_keys: usize,
    unknown_keys: usize,
}

impl ObjectRows {
    fn read_or_defer(&mut self, r: &mut Reader<'_>, ctx: &mut ParseCtx<'_>) -> Result<(), ParseError> {
        if self.columns.is_some() {
            self.read_rows(r, ctx)
        } else {
            // Rows before the schema: come back to them once it is known.
            self.deferred = Some(r.skip_value()?.0);
            Ok(())
        }
    }

    fn resume(&mut self, r: &Reader<'_>, ctx: &mut ParseCtx<'_>) -> Result<(), ParseError> {
        if let Some(at) = self.deferred.take() {
            let mut again = Reader::at(r.input(), at);
            self.read_rows(&mut again, ctx)?;
        }
        Ok(())
    }

    fn read_pandas_schema(&mut self, r: &mut Reader<'_>, out: &mut Parsed) -> Result<(), ParseError> {
        let schema = r.small_value()?;
        let fields = schema
            .get("fields")
            .and_then(|f| f.as_array())
            .ok_or_else(|| ParseError::new("pandas table JSON: \"schema\" has no \"fields\" list"))?;
        let mut columns = Vec::new();
        for f in fields {
            let name = match f.get("name") {
                Some(serde_json::Value::String(s)) => s.clone(),
                Some(other) => other.to_string(),
                None => return Err(ParseError::new("pandas table JSON: a field has no name")),
            };
            let ty = match f.get("type").and_then(|t| t.as_str()).unwrap_or("any") {
                "integer" => ColumnType::Long,
                "number" => ColumnType::Real,
                "boolean" => ColumnType::Bool,
                "datetime" => ColumnType::DateTime,
                "duration" => ColumnType::TimeSpan,
                "string" => ColumnType::String,
                "any" => ColumnType::Dynamic,
                other => {
                    out.warn(WarningKind::Structure, format!("pandas field {name} has type \"{other}\"; kept as text"));
                    ColumnType::String
                }
            };
            columns.push(ColumnBuilder::new(name, ty));
        }
        self.primary_key = schema
            .get("primaryKey")
            .and_then(|p| p.as_array())
            .map(|a| a.iter().filter_map(|v| v.as_str().map(str::to_string)).collect())
            .unwrap_or_default();
        self.columns = Some(columns);
        Ok(())
    }

    fn read_rows(&mut self, r: &mut Reader<'_>, ctx: &mut ParseCtx<'_>) -> Result<(), ParseError> {
        let Some(columns) = self.columns.as_mut() else { return Ok(()) };
        let mut by_name: std::collections::HashMap<Vec<u8>, usize> = std::collections::HashMap::new();
        for (i, c) in columns.iter().enumerate() {
            by_name.entry(c.name.as_bytes().to_vec()).or_insert(i);
        }
        let mut by_lower: std::collections::HashMap<Vec<u8>, usize> = std::collections::HashMap::new();
        for (i, c) in columns.iter().enumerate() {
            by_lower.entry(c.name.to_ascii_lowercase().into_bytes()).or_insert(i);
        }
        let mut seen_in_row = vec![usize::MAX; columns.len()];
        r.begin_array("a list of row objects")?;
        let mut first = true;
        let mut row = 0usize;
        while r.next_element(&mut first)? {
            r.begin_object("a row object")?;
            let mut k = true;
            let mut expected = 0usize;
            while let Some(key) = r.next_key(&mut k)? {
                // Fast path: keys come in schema order. Then exact, then case-insensitive.
                let idx = match columns.get(expected) {
                    Some(c) if r.raw_eq(key, &c.name) => Some(expected),
                    _ => {
                        let name = if key.escaped { r.decode(key).0.into_bytes() } else { r.raw_bytes(key).to_vec() };
                        by_name.get(&name).or_else(|| by_lower.get(&name.to_ascii_lowercase())).copied()
                    }
                };
                match idx {
                    Some(i) if seen_in_row.get(i) != Some(&row) => {
                        if let (Some(c), Some(s)) = (columns.get_mut(i), seen_in_row.get_mut(i)) {
                            c.push_json(r, ctx)?;
                            *s = row;
                        }
                        expected = i + 1;
                    }
                    Some(_) => {
                        self.duplicate_keys += 1;
                        r.skip_value()?;
                    }
                    None => {
                        self.unknown_keys += 1;
                        r.skip_value()?;
                    }
                }
            }
            for (c, s) in columns.iter_mut().zip(seen_in_row.iter_mut()) {
                if *s != row {
                    c.push_null();
                    *s = row;
                }
            }
            row += 1;
        }
        Ok(())
    }

    fn finish(self, out: &mut Parsed, name: &str, pandas: bool) -> Result<(), ParseError> {
        let Some(mut columns) = self.columns else {
            if self.deferred.is_some() {
                return Err(ParseError::new(format!("rows without a schema: {name} cannot be typed")));
            }
            return Ok(());
        };
        if self.duplicate_keys > 0 {
            out.warn(
                WarningKind::Structure,
                format!(
                    "{} duplicate key{} in row objects; the first value of each was kept",
                    self.duplicate_keys,
                    plural(self.duplicate_keys)
                ),
            );
        }
        if self.unknown_keys > 0 {
            out.warn(
                WarningKind::Structure,
                format!(
                    "{} key{} in row objects matched no column and were ignored",
                    self.unknown_keys,
                    plural(self.unknown_keys)
                ),
            );
        }
        // A default pandas RangeIndex ("index" = 0, 1, 2, …) carries nothing: drop it.
        if pandas && self.primary_key == ["index"] {
            if let Some(pos) = columns.iter().position(|c| c.name == "index") {
                if columns.get(pos).is_some_and(ColumnBuilder::is_range_index) {
                    columns.remove(pos);
                }
            }
        }
        out.tables.push(RawTable::new(name.to_string(), TableKind::PrimaryResult, columns));
        Ok(())
    }
}
