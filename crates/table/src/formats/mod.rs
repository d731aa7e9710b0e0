//! Format readers. Each walks the payload once and appends typed cells to column
//! builders; metadata (errors, hints, table of contents) becomes warnings and hints.

pub(crate) mod columnar;
mod hint;
mod kusto_v2;
mod object;

use std::sync::Arc;

use crate::build::{ColumnBuilder, ParseCtx};
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
}

impl RawTable {
    pub fn new(name: String, kind: TableKind, columns: Vec<ColumnBuilder>) -> Self {
        RawTable { name, kind, columns, shape: RowShape::default(), row_errors: Vec::new() }
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
    let input = if options.validate_utf8 {
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
    for column in tables.iter_mut().flat_map(|t| t.columns.iter_mut()) {
        bad_escapes += column.decode_escapes(&mut input, &mut scratch);
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
        let columns = t.columns.into_iter().map(|c| c.finish(&t.name, &mut column_warnings)).collect();
        out_tables.push(Table::new(t.name, t.kind, columns, rows, Arc::clone(&store)));
    }
    // Primary results first, keeping their relative order.
    out_tables.sort_by_key(|t| t.kind != TableKind::PrimaryResult);
    all_warnings.append(&mut warnings);
    all_warnings.append(&mut column_warnings);
    Ok(Dataset { format, tables: out_tables, warnings: all_warnings, hint })
}

fn read(input: &[u8], ctx: &mut ParseCtx<'_>, options: &ParseOptions) -> Result<Parsed, ParseError> {
    let start = crate::detect::content_start(input);
    let detected = shape(input);
    if let Some(forced) = options.format {
        let ok = matches!(
            (forced, detected),
            (Format::HuntvizColumnar, Shape::Columnar)
                | (Format::KustoV2, Shape::Array)
                | (
                    Format::LogAnalytics | Format::KustoV1 | Format::PandasTable | Format::DefenderHunting,
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
    }
    let parsed = match detected {
        Shape::Empty => return Err(ParseError::new("the result is empty")),
        Shape::Columnar => columnar::read(input, start, ctx)?,
        Shape::Array => kusto_v2::read(&mut Reader::at(input, start), ctx)?,
        Shape::Object => object::read(&mut Reader::at(input, start), ctx, options.format)?,
        Shape::Unknown => {
            let preview: String =
                String::from_utf8_lossy(input.get(start..(start + 40).min(input.len())).unwrap_or_default())
                    .chars()
                    .map(|c| if c.is_control() { ' ' } else { c })
                    .collect();
            return Err(ParseError::at(
                format!(
                    "not a recognised query result: expected JSON (Log Analytics, Kusto, pandas) or huntviz columnar text, but it starts with \"{preview}\""
                ),
                input,
                start,
            ));
        }
    };
    Ok(parsed)
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
    let mut first = true;
    let mut i = 0;
    while r.next_element(&mut first)? {
        match columns.get_mut(i) {
            Some(c) => c.push_json(r, ctx)?,
            None => {
                r.skip_value()?;
            }
        }
        i += 1;
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
