//! huntviz result-parsing engine.
//!
//! Turns the raw text of a query result (Log Analytics, Kusto REST v2 frames, pandas
//! `to_json(orient="table")`, huntviz's compact columnar text) into typed, columnar
//! [`Table`]s plus [`Warning`]s for everything the result said about itself that a
//! hunter must see: partial errors, truncation, values that did not fit their type.
//!
//! Design points:
//! - Input is bytes, never one big JS string; strings without escapes are kept as
//!   [`Span`]s into the input (no per-cell allocation) and low-cardinality string
//!   columns are dictionary-encoded while parsing.
//! - Every value is exact: 64-bit integers never pass through `f64`, datetimes are
//!   100-ns ticks, decimals stay text.
//! - No recursion over data: skipping nested JSON is iterative, so any depth parses.
//! - No panics on user data: every failure is a [`ParseError`] with a position or a
//!   [`Warning`] on the dataset.

mod build;
mod column;
mod datetime;
mod detect;
mod error;
pub mod export;
mod formats;
mod json;
pub mod schema;
pub mod search;
mod store;
pub mod testing;
mod types;

pub use column::{format_real, Column, ColumnData, StrColumn, Validity};
pub use datetime::{
    civil_from_days, days_from_civil, format_datetime, format_datetime_full, format_timespan, parse_datetime,
    parse_timespan, DateTimeParse, TICKS_PER_SECOND,
};
pub use detect::Format;
pub use error::{ParseError, Warning, WarningKind};
pub use store::{Span, TextStore};
pub use types::ColumnType;

use std::sync::Arc;

/// Options that change how a payload is read.
#[derive(Debug, Clone)]
pub struct ParseOptions {
    /// Force a format instead of detecting it.
    pub format: Option<Format>,
    /// Check that the input is UTF-8 (and replace invalid bytes with a warning).
    /// Callers whose bytes come from a JS string through `TextEncoder` can skip it:
    /// those are UTF-8 by construction.
    pub validate_utf8: bool,
}

impl Default for ParseOptions {
    fn default() -> Self {
        ParseOptions { format: None, validate_utf8: true }
    }
}

/// Kind of a table in a multi-table response.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TableKind {
    /// The query's result rows.
    PrimaryResult,
    /// Any other result table (secondary results of a batch or a multi-statement query).
    Secondary,
}

/// A typed, columnar table.
#[derive(Debug, Clone)]
pub struct Table {
    /// Table name as the source gave it (`PrimaryResult`, `Table_0`, …).
    pub name: String,
    /// Primary or secondary result.
    pub kind: TableKind,
    /// Columns, all of length [`Table::rows`].
    pub columns: Vec<Column>,
    rows: usize,
    store: Arc<TextStore>,
    /// The last search's rows ([`Table::rows_matching`]), shared by clones.
    search_memo: search::Memo,
}

impl Table {
    pub(crate) fn new(name: String, kind: TableKind, columns: Vec<Column>, rows: usize, store: Arc<TextStore>) -> Self {
        Table { name, kind, columns, rows, store, search_memo: search::Memo::default() }
    }

    /// A table with no columns and no rows.
    pub fn empty() -> Self {
        Table::new(String::new(), TableKind::PrimaryResult, Vec::new(), 0, Arc::new(TextStore::default()))
    }

    /// Number of rows.
    pub fn rows(&self) -> usize {
        self.rows
    }

    /// The text storage that string spans point into.
    pub fn store(&self) -> &TextStore {
        &self.store
    }

    /// Column by index.
    pub fn column(&self, index: usize) -> Option<&Column> {
        self.columns.get(index)
    }

    /// Index of the first column with this name (exact match).
    pub fn column_index(&self, name: &str) -> Option<usize> {
        self.columns.iter().position(|c| c.name == name)
    }

    /// Whether the cell is null. Out-of-range cells are null.
    pub fn is_null(&self, row: usize, col: usize) -> bool {
        self.columns.get(col).is_none_or(|c| c.is_null(row))
    }

    /// Appends the cell's exact text (as a hunter would copy it) to `out`.
    /// Returns `false` (and appends nothing) for null or out-of-range cells.
    pub fn write_cell(&self, row: usize, col: usize, out: &mut String) -> bool {
        match self.columns.get(col) {
            Some(c) => c.write_value(row, &self.store, out),
            None => false,
        }
    }

    /// `f` of each row's text in `col` (`None` for nulls and missing columns), calling `f`
    /// once per distinct value of a dictionary-encoded column and reusing one buffer
    /// otherwise — a per-row key (host id, name hash, filter match) without a `String` per
    /// row.
    pub fn map_text<T: Clone>(&self, col: usize, mut f: impl FnMut(&str) -> T) -> Vec<Option<T>> {
        let Some(c) = self.columns.get(col) else { return vec![None; self.rows] };
        match &c.data {
            ColumnData::Str(StrColumn::Dict { dict, codes }) => {
                let values: Vec<T> = dict.iter().map(|&span| f(&self.store.text(span))).collect();
                codes.iter().map(|&code| values.get(code as usize).cloned()).collect()
            }
            ColumnData::Str(s @ StrColumn::Plain { .. }) => {
                (0..self.rows).map(|row| s.span(row).map(|span| f(&self.store.text(span)))).collect()
            }
            _ => {
                let mut buf = String::new();
                (0..self.rows)
                    .map(|row| {
                        buf.clear();
                        c.write_value(row, &self.store, &mut buf).then(|| f(&buf))
                    })
                    .collect()
            }
        }
    }

    /// Sets `hits[row]` for every row whose text in `col` passes `test` (rows already
    /// set are not tested again; nulls never pass). A dictionary-encoded column tests
    /// each distinct value once, so searching a million rows of a 300-value column is
    /// 300 tests and a pass over the codes.
    pub fn mark_rows(&self, col: usize, test: &dyn Fn(&str) -> bool, hits: &mut [bool]) {
        let Some(c) = self.columns.get(col) else { return };
        match &c.data {
            ColumnData::Str(StrColumn::Dict { dict, codes }) => {
                let pass: Vec<bool> = dict.iter().map(|&span| test(&self.store.text(span))).collect();
                for (hit, &code) in hits.iter_mut().zip(codes) {
                    *hit |= pass.get(code as usize).copied().unwrap_or(false);
                }
            }
            ColumnData::Str(s @ StrColumn::Plain { .. }) => {
                for (row, hit) in hits.iter_mut().enumerate() {
                    if !*hit {
                        *hit = s.span(row).is_some_and(|span| test(&self.store.text(span)));
                    }
                }
            }
            _ => {
                let mut buf = String::new();
                for (row, hit) in hits.iter_mut().enumerate() {
                    if !*hit {
                        buf.clear();
                        *hit = c.write_value(row, &self.store, &mut buf) && test(&buf);
                    }
                }
            }
        }
    }

    /// Appends at most about `max_bytes` bytes of the cell's text (cut at a character
    /// boundary) — what a view needs to draw a cell without copying a 10 MB command
    /// line every frame. Returns `None` for null, else whether the text was cut.
    pub fn write_cell_prefix(&self, row: usize, col: usize, max_bytes: usize, out: &mut String) -> Option<bool> {
        let c = self.columns.get(col)?;
        if let ColumnData::Str(s) = &c.data {
            let bytes = self.store.bytes(s.span(row)?);
            if bytes.len() > max_bytes {
                let head = bytes.get(..max_bytes).unwrap_or_default();
                let text = match std::str::from_utf8(head) {
                    Ok(t) => t.to_string(),
                    Err(e) => String::from_utf8_lossy(head.get(..e.valid_up_to()).unwrap_or_default()).into_owned(),
                };
                out.push_str(&text);
                return Some(true);
            }
        }
        c.write_value(row, &self.store, out).then_some(false)
    }

    /// Length in bytes of the cell's text (without formatting numbers), for "N more" notes.
    pub fn cell_len(&self, row: usize, col: usize) -> usize {
        match self.columns.get(col).map(|c| &c.data) {
            Some(ColumnData::Str(s)) => s.span(row).map_or(0, |sp| sp.len as usize),
            _ => self.cell_text(row, col).map_or(0, |t| t.len()),
        }
    }

    /// The cell's exact text, or `None` for null.
    pub fn cell_text(&self, row: usize, col: usize) -> Option<String> {
        let mut s = String::new();
        self.write_cell(row, col, &mut s).then_some(s)
    }

    /// Row order that sorts `col` ascending (or descending) by its type, nulls last in
    /// both directions, ties kept in their original order (stable).
    pub fn sort_order(&self, col: usize, descending: bool) -> Vec<u32> {
        match self.columns.get(col) {
            Some(c) => c.sort_order(self.rows, &self.store, descending),
            None => (0..self.rows as u32).collect(),
        }
    }
}

/// A typed visualization hint read from the result (`render` in Log Analytics,
/// `Visualization` in Kusto query properties).
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct VisualizationHint {
    /// `timechart`, `barchart`, `table`, …
    pub visualization: String,
    /// Chart title.
    pub title: Option<String>,
    /// `default`, `stacked`, `unstacked`, `stacked100`, `map`.
    pub kind: Option<String>,
    /// X column name.
    pub x_column: Option<String>,
    /// Y column names.
    pub y_columns: Vec<String>,
    /// Series column names.
    pub series: Vec<String>,
    /// Whether values are accumulated.
    pub accumulate: bool,
}

/// Everything read from one payload.
#[derive(Debug, Clone)]
pub struct Dataset {
    /// The detected (or forced) format.
    pub format: Format,
    /// Result tables; the primary result first.
    pub tables: Vec<Table>,
    /// What the payload said about itself that the user must see.
    pub warnings: Vec<Warning>,
    /// Visualization hint, when the result carries one.
    pub hint: Option<VisualizationHint>,
}

impl Dataset {
    /// The primary result table (the first table), if any.
    pub fn primary(&self) -> Option<&Table> {
        self.tables.first()
    }
}

/// Parses a payload (raw bytes of a query result) into a [`Dataset`].
///
/// The input is moved into the dataset: string values without escapes are kept as
/// spans into it rather than copied.
pub fn parse(input: Vec<u8>, options: &ParseOptions) -> Result<Dataset, ParseError> {
    formats::parse(input, options)
}

/// Parses a UTF-8 string payload. Convenience over [`parse`].
pub fn parse_str(input: &str) -> Result<Dataset, ParseError> {
    parse(input.as_bytes().to_vec(), &ParseOptions::default())
}
