//! Format readers. Each walks the payload once and appends typed cells to column
//! builders; metadata (errors, hints, table of contents) becomes warnings and hints.

pub(crate) mod columnar;
mod csv;
mod hint;
mod infer;
mod kusto_v2;
mod object;
mod records;

use std::sync::Arc;

use crate::build::{ColumnBuilder, Escapes, ParseCtx};
use crate::detect::{shape, Format, Shape};
use crate::error::{ParseError, Warning, WarningKind};
use crate::json::{Peek, Reader};
use crate::store::TextStore;
use crate::types::ColumnType;
use crate::{Dataset, ParseOptions, Table, TableKind, VisualizationHint};

/// A table before its text store exists.
pub(crate) struct RawTable {
    pub name: String,
    pub kind: TableKind,
    pub columns: Vec<ColumnBuilder>,
    /// Rows that did not fit the columns, and in-band row errors; reported only for
    /// tables that are kept as results.
    pub shape: RowShape,
    pub row_errors: Vec<(usize, String)>,
    /// How flagged string spans are escaped.
    pub escapes: Escapes,
}

impl RawTable {
    pub fn new(name: String, kind: TableKind, columns: Vec<ColumnBuilder>) -> Self {
        RawTable { name, kind, columns, shape: RowShape::default(), row_errors: Vec::new(), escapes: Escapes::Json }
    }
}

/// What a format reader produces.
pub(crate) struct Parsed {
    pub format: Format,
    pub tables: Vec<RawTable>,
    pub warnings: Vec<Warning>,
    pub hint: Option<VisualizationHint>,
}

impl Parsed {
    pub fn new(format: Format) -> Self {
        Parsed { format, tables: Vec::new(), warnings: Vec::new(), hint: None }
    }

    pub fn warn(&mut self, kind: WarningKind, message: impl Into<String>) {
        self.warnings.push(Warning::new(kind, message));
    }
}

pub(crate) fn parse(input: Vec<u8>, options: &ParseOptions) -> Result<Dataset, ParseError> {
    let mut pre_warnings = Vec::new();
    // Columnar input may hold binary sections: its reader checks its strings itself.
    let columnar = crate::detect::shape(&input) == crate::detect::Shape::Columnar;
    let input = if options.validate_utf8 && !columnar {
        match String::from_utf8(input) {
            Ok(s) => s.into_bytes(),
            Err(e) => {
                let at = e.utf8_error().valid_up_to();
                pre_warnings.push(Warning::new(
                    WarningKind::Encoding,
                    format!("the input is not valid UTF-8 (first bad byte at offset {at}); invalid bytes are shown as U+FFFD"),
                ));
                String::from_utf8_lossy(e.as_bytes()).into_owned().into_bytes()
            }
        }
    } else {
        input
    };
    if input.len() >= u32::MAX as usize {
        return Err(ParseError::new("the result is larger than 4 GiB, which huntviz cannot hold"));
    }
    let (parsed, mut bad_escapes) = {
        let mut ctx = ParseCtx::new(&input);
        let parsed = read(&input, &mut ctx, options)?;
        (parsed, ctx.bad_escapes)
    };
    let Parsed { format, mut tables, mut warnings, hint } = parsed;
    let mut input = input;
    let mut scratch = Vec::new();
    for table in &mut tables {
        bad_escapes += crate::build::decode_escapes(&mut table.columns, &mut input, &mut scratch, table.escapes);
    }
    let mut all_warnings = pre_warnings;
    if bad_escapes > 0 {
        all_warnings.push(Warning::new(
            WarningKind::Encoding,
            format!(
                "{bad_escapes} string escape{} (lone surrogates or invalid escapes) were replaced by U+FFFD",
                crate::build::plural(bad_escapes)
            ),
        ));
    }
    let store = Arc::new(TextStore::new(input));
    let mut out_tables = Vec::with_capacity(tables.len());
    let mut column_warnings = Vec::new();
    for t in tables {
        let mut table_warnings = Parsed::new(format);
        t.shape.report(&mut table_warnings, &t.name);
        for (row, text) in &t.row_errors {
            table_warnings
                .warn(WarningKind::PartialError, format!("{} reported an error after row {row}: {text}", t.name));
        }
        warnings.append(&mut table_warnings.warnings);
        let rows = t.columns.first().map_or(0, ColumnBuilder::len);
        let mut no_offset = Vec::new();
        let mut columns: Vec<crate::Column> =
            t.columns.into_iter().map(|c| c.finish(&t.name, &mut column_warnings, &mut no_offset)).collect();
        unique_names(&t.name, &mut columns, &mut column_warnings);
        if !no_offset.is_empty() {
            let list: Vec<String> = no_offset.iter().map(|(c, n)| format!("{c} ({n})")).collect();
            column_warnings.push(Warning::new(
                WarningKind::NoOffset,
                format!("datetimes without a UTC offset were read as UTC in {}: {}", t.name, list.join(", ")),
            ));
        }
        out_tables.push(Table::new(t.name, t.kind, columns, rows, Arc::clone(&store)));
    }
    // Primary results first, keeping their relative order.
    out_tables.sort_by_key(|t| t.kind != TableKind::PrimaryResult);
    all_warnings.append(&mut warnings);
    all_warnings.append(&mut column_warnings);
    Ok(Dataset { format, tables: out_tables, warnings: all_warnings, hint })
}

/// Gives repeated column names a suffix (`Name_2`, `Name_3`, …, never one already
/// taken): a name that means two columns reads differently in different tools (a JSON
/// lines export with a key twice) and makes `options.columns` ambiguous.
fn unique_names(table: &str, columns: &mut [crate::Column], warnings: &mut Vec<Warning>) {
    let mut taken: std::collections::HashSet<String> = std::collections::HashSet::new();
    let mut renamed = Vec::new();
    let all: std::collections::HashSet<String> = columns.iter().map(|c| c.name.clone()).collect();
    for c in columns.iter_mut() {
        if taken.insert(c.name.clone()) {
            continue;
        }
        let mut k = 2usize;
        let name = loop {
            let candidate = format!("{}_{k}", c.name);
            if !taken.contains(&candidate) && !all.contains(&candidate) {
                break candidate;
            }
            k += 1;
        };
        renamed.push(format!("{} → {name}", c.name));
        taken.insert(name.clone());
        c.name = name;
    }
    if !renamed.is_empty() {
        warnings.push(Warning::new(
            WarningKind::Structure,
            format!("{table} repeats column names; renamed: {}", renamed.join(", ")),
        ));
    }
}

fn read(input: &[u8], ctx: &mut ParseCtx<'_>, options: &ParseOptions) -> Result<Parsed, ParseError> {
    let start = crate::detect::content_start(input);
    let mut detected = shape(input);
    if detected == Shape::Unknown && csv::looks_like_csv(input, start) {
        detected = Shape::Csv;
    }
    if let Some(forced) = options.format {
        let ok = matches!(
            (forced, detected),
            (Format::HuntvizColumnar, Shape::Columnar)
                | (Format::KustoV2 | Format::JsonRecords, Shape::Array)
                | (Format::Csv, _)
                | (
                    Format::LogAnalytics
                        | Format::KustoV1
                        | Format::PandasTable
                        | Format::DefenderHunting
                        | Format::PandasSplit
                        | Format::JsonRecords
                        | Format::JsonLines,
                    Shape::Object
                )
        );
        if !ok {
            return Err(ParseError::at(
                format!("the input does not look like {} (the format option asked for it)", forced.label()),
                input,
                start,
            ));
        }
        match forced {
            Format::Csv => return csv::read(input, start, ctx),
            Format::JsonLines => return records::read_lines(input, start, ctx),
            Format::JsonRecords if detected == Shape::Array => return records::read_array(input, start, ctx),
            Format::JsonRecords => return records::read_keyed(input, start, ctx),
            _ => {}
        }
    }
    match detected {
        Shape::Empty => Err(ParseError::new("the result is empty")),
        Shape::Columnar => columnar::read(input, start, ctx),
        Shape::Array if first_element_is_frame(input, start) => kusto_v2::read(&mut Reader::at(input, start), ctx),
        Shape::Array => records::read_array(input, start, ctx),
        Shape::Csv => csv::read(input, start, ctx),
        Shape::Object => match object::read(&mut Reader::at(input, start), ctx, options.format)? {
            object::Outcome::Parsed(p) => Ok(*p),
            object::Outcome::JsonLines => records::read_lines(input, start, ctx),
            object::Outcome::KeyedRecords => records::read_keyed(input, start, ctx),
        },
        Shape::Unknown => {
            let preview: String =
                String::from_utf8_lossy(input.get(start..(start + 40).min(input.len())).unwrap_or_default())
                    .chars()
                    .map(|c| if c.is_control() { ' ' } else { c })
                    .collect();
            Err(ParseError::at(
                format!(
                    "not a recognised query result: expected JSON (Log Analytics, Kusto, Defender, pandas, JSON lines), CSV or huntviz columnar text, but it starts with \"{preview}\""
                ),
                input,
                start,
            ))
        }
    }
}

/// Whether a JSON array's first element is a Kusto v2 frame (an object with `FrameType`)
/// or the array is empty; otherwise it is a list of records.
fn first_element_is_frame(input: &[u8], start: usize) -> bool {
    let mut r = Reader::at(input, start);
    let mut check = || -> Result<bool, ParseError> {
        r.begin_array("")?;
        let mut first = true;
        if !r.next_element(&mut first)? {
            return Ok(true);
        }
        if r.peek()? != Peek::Object {
            return Ok(true);
        }
        r.begin_object("")?;
        let mut k = true;
        while let Some(key) = r.next_key(&mut k)? {
            if r.raw_eq(key, "FrameType") {
                return Ok(true);
            }
            r.skip_value()?;
        }
        Ok(false)
    };
    // A malformed first element is reported by the frame reader.
    check().unwrap_or(true)
}

/// Reads a `columns` array in any of the shapes sources use:
/// `{"name","type"}` (Log Analytics), `{"ColumnName","ColumnType","DataType"}` (Kusto),
/// `{"Name","Type"}` (Defender). Unknown type names become `dynamic` with a warning.
pub(crate) fn read_columns(
    r: &mut Reader<'_>,
    out: &mut Parsed,
    table: &str,
) -> Result<Vec<ColumnBuilder>, ParseError> {
    r.begin_array("a list of columns")?;
    let mut columns = Vec::new();
    let mut first = true;
    while r.next_element(&mut first)? {
        let at = r.pos();
        r.begin_object("a column description ({\"name\": …, \"type\": …})")?;
        let (mut name, mut kusto_type, mut data_type) = (None, None, None);
        let mut k = true;
        while let Some(key) = r.next_key(&mut k)? {
            if r.raw_eq_ignore_case(key, "name") || r.raw_eq_ignore_case(key, "ColumnName") {
                name = Some(r.string_value()?);
            } else if r.raw_eq_ignore_case(key, "type") || r.raw_eq_ignore_case(key, "ColumnType") {
                kusto_type = text_or_null(r)?;
            } else if r.raw_eq_ignore_case(key, "DataType") {
                data_type = text_or_null(r)?;
            } else {
                r.skip_value()?;
            }
        }
        let Some(name) = name else {
            return Err(ParseError::at("a column has no name", r.input(), at));
        };
        let type_name = kusto_type.filter(|t| !t.is_empty()).or(data_type).unwrap_or_default();
        let ty = match ColumnType::from_name(&type_name) {
            Some(ty) => ty,
            None => {
                out.warn(
                    WarningKind::Structure,
                    format!(
                        "column {name} of {table} has an unknown type \"{type_name}\"; its values are kept as text"
                    ),
                );
                ColumnType::Dynamic
            }
        };
        columns.push(ColumnBuilder::new(name, ty));
    }
    Ok(columns)
}

fn text_or_null(r: &mut Reader<'_>) -> Result<Option<String>, ParseError> {
    Ok(match r.peek()? {
        Peek::String => Some(r.string_value()?),
        _ => {
            r.skip_value()?;
            None
        }
    })
}

/// Counters for rows that did not match their columns.
#[derive(Default)]
pub(crate) struct RowShape {
    pub short_rows: usize,
    pub long_rows: usize,
}

impl RowShape {
    pub fn report(&self, out: &mut Parsed, table: &str) {
        if self.short_rows > 0 {
            out.warn(
                WarningKind::Structure,
                format!(
                    "{} row{} of {table} had fewer cells than columns; the missing cells are null",
                    self.short_rows,
                    crate::build::plural(self.short_rows)
                ),
            );
        }
        if self.long_rows > 0 {
            out.warn(
                WarningKind::Structure,
                format!(
                    "{} row{} of {table} had more cells than columns; the extra cells were ignored",
                    self.long_rows,
                    crate::build::plural(self.long_rows)
                ),
            );
        }
    }
}

/// Reads one row given as an array of cells into `columns`.
#[inline]
pub(crate) fn read_array_row(
    r: &mut Reader<'_>,
    ctx: &mut ParseCtx<'_>,
    columns: &mut [ColumnBuilder],
    shape: &mut RowShape,
) -> Result<(), ParseError> {
    r.begin_array("a row")?;
    let mut i = 0;
    if r.skip_ws() == Some(b']') {
        r.advance(1);
    } else {
        // Cells and separators read in one loop (not through `next_element`): most of a
        // row's structure is a `,` right after a value.
        loop {
            match columns.get_mut(i) {
                Some(c) => c.push_json(r, ctx)?,
                None => {
                    r.skip_value()?;
                }
            }
            i += 1;
            match r.skip_ws() {
                Some(b',') => {
                    r.advance(1);
                    if r.skip_ws() == Some(b']') {
                        return Err(r.error("trailing comma before ']'"));
                    }
                }
                Some(b']') => {
                    r.advance(1);
                    break;
                }
                _ => {
                    let found = r.describe_next();
                    return Err(r.error(format!("expected ',' or ']' in an array, found {found}")));
                }
            }
        }
    }
    if i < columns.len() {
        shape.short_rows += 1;
        for c in columns.iter_mut().skip(i) {
            c.push_null();
        }
    } else if i > columns.len() {
        shape.long_rows += 1;
    }
    Ok(())
}

/// Text of a service error object (`{"code","message","details","innererror"}` or
/// OneApi `{"error":{…}}`), flattened to one line, innermost messages included.
pub(crate) fn error_text(value: &serde_json::Value) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut stack = vec![value];
    let mut seen = 0;
    while let Some(v) = stack.pop() {
        seen += 1;
        if seen > 64 {
            break;
        }
        let Some(obj) = v.as_object() else {
            if let Some(s) = v.as_str() {
                parts.push(s.to_string());
            }
            continue;
        };
        let get = |k: &str| obj.iter().find(|(key, _)| key.eq_ignore_ascii_case(k)).map(|(_, v)| v);
        if let Some(inner) = get("error") {
            stack.push(inner);
            continue;
        }
        let code = get("code").and_then(|v| v.as_str()).unwrap_or_default();
        let message = get("@message").or_else(|| get("message")).and_then(|v| v.as_str()).unwrap_or_default();
        let text = match (code.is_empty(), message.is_empty()) {
            (false, false) => format!("{code}: {message}"),
            (true, false) => message.to_string(),
            (false, true) => code.to_string(),
            (true, true) => String::new(),
        };
        if !text.is_empty() && !parts.contains(&text) {
            parts.push(text);
        }
        if let Some(pos) = get("@line").zip(get("@pos")) {
            parts.push(format!("at query line {}, position {}", json_scalar(pos.0), json_scalar(pos.1)));
        }
        if let Some(inner) = get("innererror") {
            stack.push(inner);
        }
        if let Some(details) = get("details").and_then(|d| d.as_array()) {
            stack.extend(details.iter().rev());
        }
    }
    parts.join(" — ")
}

fn json_scalar(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}
