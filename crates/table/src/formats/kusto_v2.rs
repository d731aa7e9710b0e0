//! Kusto REST v2: a JSON array of frames (`DataSetHeader`, `DataTable`, progressive
//! `TableHeader`/`TableFragment`/`TableProgress`/`TableCompletion`, `DataSetCompletion`).

use std::collections::BTreeMap;

use super::object::read_rows;
use super::{error_text, hint, read_columns, Parsed, RawTable, RowShape};
use crate::build::{plural, ColumnBuilder, ParseCtx};
use crate::detect::Format;
use crate::error::{ParseError, WarningKind};
use crate::json::{Peek, Reader};
use crate::TableKind;

/// A table being assembled from frames.
struct Building {
    name: String,
    kind: String,
    columns: Vec<ColumnBuilder>,
    shape: RowShape,
    row_errors: Vec<(usize, String)>,
    expected_rows: Option<i64>,
}

/// The keys of one frame that matter, read in any order.
#[derive(Default)]
struct Frame {
    frame_type: Option<String>,
    table_id: Option<i64>,
    table_kind: Option<String>,
    table_name: Option<String>,
    columns: Option<Vec<ColumnBuilder>>,
    /// Rows seen before the frame said which table they belong to.
    deferred_rows: Option<usize>,
    fragment_replace: bool,
    has_errors: bool,
    cancelled: bool,
    errors: Vec<serde_json::Value>,
    row_count: Option<i64>,
    shape: RowShape,
    row_errors: Vec<(usize, String)>,
}

pub(crate) fn read(r: &mut Reader<'_>, ctx: &mut ParseCtx<'_>) -> Result<Parsed, ParseError> {
    let mut out = Parsed::new(Format::KustoV2);
    let mut tables: BTreeMap<i64, Building> = BTreeMap::new();
    let mut order: Vec<i64> = Vec::new();
    let mut saw_frame = false;
    let mut anonymous = -1i64;
    r.begin_array("a list of Kusto v2 frames")?;
    let mut first = true;
    while r.next_element(&mut first)? {
        if r.peek()? != Peek::Object {
            return Err(r.error("expected a Kusto v2 frame (a JSON object with \"FrameType\")"));
        }
        let frame_start = r.pos();
        let mut frame = Frame::default();
        r.begin_object("a frame")?;
        let mut k = true;
        while let Some(key) = r.next_key(&mut k)? {
            if r.raw_eq(key, "FrameType") {
                frame.frame_type = Some(r.string_value()?);
            } else if r.raw_eq(key, "TableId") {
                frame.table_id = r.int_value()?;
            } else if r.raw_eq(key, "TableKind") {
                frame.table_kind = Some(r.string_value()?);
            } else if r.raw_eq(key, "TableName") {
                frame.table_name = Some(r.string_value()?);
            } else if r.raw_eq(key, "Columns") {
                let name = frame.table_name.clone().unwrap_or_else(|| "a table".to_string());
                frame.columns = Some(read_columns(r, &mut out, &name)?);
            } else if r.raw_eq(key, "Rows") {
                // Rows can be read now if this frame's table is known; otherwise later.
                let target = match (&frame.frame_type, frame.table_id) {
                    (Some(t), Some(id)) if t == "TableFragment" => tables.get_mut(&id),
                    _ => None,
                };
                match (target, frame.columns.as_mut()) {
                    (Some(b), _) => {
                        if frame.fragment_replace {
                            b.columns.iter_mut().for_each(ColumnBuilder::clear);
                        }
                        read_rows(r, ctx, &mut b.columns, &mut b.shape, &mut b.row_errors)?;
                    }
                    (None, Some(cols)) => {
                        read_rows(r, ctx, cols, &mut frame.shape, &mut frame.row_errors)?;
                    }
                    (None, None) => frame.deferred_rows = Some(r.skip_value()?.0),
                }
            } else if r.raw_eq(key, "TableFragmentType") {
                frame.fragment_replace = r.string_value()? == "DataReplace";
            } else if r.raw_eq(key, "HasErrors") {
                frame.has_errors = r.peek()? == Peek::True;
                r.skip_value()?;
            } else if r.raw_eq(key, "Cancelled") {
                frame.cancelled = r.peek()? == Peek::True;
                r.skip_value()?;
            } else if r.raw_eq(key, "OneApiErrors") {
                if let serde_json::Value::Array(list) = r.small_value()? {
                    frame.errors = list;
                }
            } else if r.raw_eq(key, "RowCount") {
                frame.row_count = r.int_value()?;
            } else {
                r.skip_value()?;
            }
        }
        let Some(frame_type) = frame.frame_type.clone() else {
            return Err(ParseError::at("a Kusto v2 frame has no \"FrameType\"", r.input(), frame_start));
        };
        saw_frame = true;
        // Rows that came before the keys that place them.
        if let Some(at) = frame.deferred_rows.take() {
            let mut again = Reader::at(r.input(), at);
            match (frame_type.as_str(), frame.table_id.and_then(|id| tables.get_mut(&id)), frame.columns.as_mut()) {
                ("TableFragment", Some(b), _) => {
                    if frame.fragment_replace {
                        b.columns.iter_mut().for_each(ColumnBuilder::clear);
                    }
                    read_rows(&mut again, ctx, &mut b.columns, &mut b.shape, &mut b.row_errors)?;
                }
                (_, _, Some(cols)) => {
                    read_rows(&mut again, ctx, cols, &mut frame.shape, &mut frame.row_errors)?;
                }
                _ => {
                    return Err(ParseError::at(
                        format!("a {frame_type} frame has rows for a table that was never described"),
                        r.input(),
                        frame_start,
                    ))
                }
            }
        }
        match frame_type.as_str() {
            "DataSetHeader" | "TableProgress" => {}
            "DataTable" | "TableHeader" => {
                let id = frame.table_id.unwrap_or_else(|| {
                    anonymous -= 1;
                    anonymous
                });
                let Some(columns) = frame.columns else {
                    return Err(ParseError::at(
                        format!("a {frame_type} frame has no \"Columns\""),
                        r.input(),
                        frame_start,
                    ));
                };
                let name = frame.table_name.unwrap_or_else(|| format!("Table_{id}"));
                let kind = frame.table_kind.unwrap_or_else(|| "PrimaryResult".to_string());
                let building = Building {
                    name,
                    kind,
                    columns,
                    shape: frame.shape,
                    row_errors: frame.row_errors,
                    expected_rows: None,
                };
                if tables.insert(id, building).is_none() {
                    order.push(id);
                }
            }
            "TableFragment" => {
                if frame.table_id.is_none_or(|id| !tables.contains_key(&id)) {
                    return Err(ParseError::at(
                        "a TableFragment frame refers to a table with no TableHeader",
                        r.input(),
                        frame_start,
                    ));
                }
            }
            "TableCompletion" => {
                if let Some(b) = frame.table_id.and_then(|id| tables.get_mut(&id)) {
                    b.expected_rows = frame.row_count;
                    for e in &frame.errors {
                        out.warn(WarningKind::PartialError, format!("{}: {}", b.name, error_text(e)));
                    }
                }
            }
            "DataSetCompletion" => {
                for e in &frame.errors {
                    out.warn(WarningKind::PartialError, format!("the query reported an error: {}", error_text(e)));
                }
                if frame.has_errors && frame.errors.is_empty() {
                    out.warn(WarningKind::PartialError, "the query completed with errors (no details were sent)");
                }
                if frame.cancelled {
                    out.warn(WarningKind::Truncated, "the query was cancelled; the result may be incomplete");
                }
            }
            other => {
                out.warn(WarningKind::Structure, format!("a frame of unknown type \"{other}\" was skipped"));
            }
        }
    }
    if !r.at_end() {
        return Err(r.error("unexpected text after the end of the JSON array"));
    }
    if !saw_frame {
        return Err(ParseError::new("the result is an empty JSON array (no Kusto v2 frames)"));
    }
    let mut primary_seen = false;
    for id in order {
        let Some(b) = tables.remove(&id) else { continue };
        let rows = b.columns.first().map_or(0, ColumnBuilder::len);
        if let Some(expected) = b.expected_rows {
            if expected != rows as i64 {
                out.warn(
                    WarningKind::Truncated,
                    format!(
                        "{} announced {expected} row{} but {rows} arrived",
                        b.name,
                        plural(expected.unsigned_abs() as usize)
                    ),
                );
            }
        }
        let raw = RawTable {
            shape: b.shape,
            row_errors: b.row_errors,
            ..RawTable::new(b.name, TableKind::PrimaryResult, b.columns)
        };
        match b.kind.as_str() {
            "PrimaryResult" => {
                let kind = if primary_seen { TableKind::Secondary } else { TableKind::PrimaryResult };
                primary_seen = true;
                out.tables.push(RawTable { kind, ..raw });
            }
            "QueryProperties" => {
                if let Some(h) = hint::from_properties_table(&raw, ctx) {
                    out.hint = Some(h);
                }
            }
            "QueryCompletionInformation" => completion_warnings(&raw, ctx, &mut out),
            _ => {}
        }
    }
    Ok(out)
}

/// QueryCompletionInformation rows at level Warning or worse (Level ≤ 3) become warnings.
fn completion_warnings(t: &RawTable, ctx: &ParseCtx<'_>, out: &mut Parsed) {
    let view = ctx.view();
    let find = |n: &str| t.columns.iter().find(|c| c.name == n);
    let (Some(level), Some(name)) = (find("LevelName"), find("EventTypeName")) else { return };
    let payload = find("Payload");
    for row in 0..level.len() {
        let l = level.text_at(row, &view).unwrap_or_default();
        if matches!(l.as_str(), "Critical" | "Error" | "Warning") {
            let n = name.text_at(row, &view).unwrap_or_default();
            let mut p = payload.and_then(|c| c.text_at(row, &view)).unwrap_or_default();
            if p.chars().count() > 300 {
                p = p.chars().take(300).collect::<String>() + "…";
            }
            out.warn(WarningKind::PartialError, format!("query completion {l}: {n} {p}"));
        }
    }
}
