//! Format names and detection from the first bytes.

use std::fmt;

/// A query-result format huntviz reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Format {
    /// Azure Monitor Log Analytics query API (`tables/columns/rows`, also the batch form).
    LogAnalytics,
    /// Kusto REST v1 (`Tables` with `TableName`/`Columns`/`Rows`).
    KustoV1,
    /// Kusto REST v2 (a JSON array of frames).
    KustoV2,
    /// pandas `DataFrame.to_json(orient="table")`.
    PandasTable,
    /// Microsoft Defender advanced hunting (`Schema`/`Results`) and Graph `runHuntingQuery`.
    DefenderHunting,
    /// pandas `DataFrame.to_json(orient="split")`.
    PandasSplit,
    /// A JSON array of row objects (pandas `orient="records"`), or an object of them.
    JsonRecords,
    /// JSON lines: one row object per line (osquery, Velociraptor).
    JsonLines,
    /// Comma- (or tab-, semicolon-, pipe-) separated values with a header row.
    Csv,
    /// huntviz's compact columnar text (`HVC1`).
    HuntvizColumnar,
}

impl Format {
    /// Every format.
    pub const ALL: [Format; 10] = [
        Format::LogAnalytics,
        Format::KustoV1,
        Format::KustoV2,
        Format::PandasTable,
        Format::DefenderHunting,
        Format::PandasSplit,
        Format::JsonRecords,
        Format::JsonLines,
        Format::Csv,
        Format::HuntvizColumnar,
    ];

    /// Stable machine name (`log-analytics`, `kusto-v2`, …).
    pub fn id(self) -> &'static str {
        match self {
            Format::LogAnalytics => "log-analytics",
            Format::KustoV1 => "kusto-v1",
            Format::KustoV2 => "kusto-v2",
            Format::PandasTable => "pandas-table",
            Format::DefenderHunting => "defender-hunting",
            Format::PandasSplit => "pandas-split",
            Format::JsonRecords => "json-records",
            Format::JsonLines => "json-lines",
            Format::Csv => "csv",
            Format::HuntvizColumnar => "huntviz-columnar",
        }
    }

    /// Human name.
    pub fn label(self) -> &'static str {
        match self {
            Format::LogAnalytics => "Log Analytics",
            Format::KustoV1 => "Kusto v1",
            Format::KustoV2 => "Kusto v2",
            Format::PandasTable => "pandas table JSON",
            Format::DefenderHunting => "Defender hunting",
            Format::PandasSplit => "pandas split JSON",
            Format::JsonRecords => "JSON records",
            Format::JsonLines => "JSON lines",
            Format::Csv => "CSV",
            Format::HuntvizColumnar => "huntviz columnar",
        }
    }

    /// Reads a machine name (as given in `options.format`).
    pub fn from_id(id: &str) -> Option<Format> {
        Format::ALL.into_iter().find(|f| f.id().eq_ignore_ascii_case(id.trim()))
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// What the first meaningful byte says about the payload.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Shape {
    /// A JSON object: read its keys to decide.
    Object,
    /// A JSON array: Kusto v2 frames.
    Array,
    /// huntviz columnar text.
    Columnar,
    /// Delimited text with a header row.
    Csv,
    /// Nothing recognisable.
    Unknown,
    /// Only whitespace.
    Empty,
}

/// Offset of the first byte after a UTF-8 byte-order mark and whitespace.
pub(crate) fn content_start(input: &[u8]) -> usize {
    let start = if input.starts_with(&[0xEF, 0xBB, 0xBF]) { 3 } else { 0 };
    start + input.get(start..).unwrap_or_default().iter().take_while(|b| b.is_ascii_whitespace()).count()
}

pub(crate) fn shape(input: &[u8]) -> Shape {
    let at = content_start(input);
    let rest = input.get(at..).unwrap_or_default();
    if rest.starts_with(crate::formats::columnar::MAGIC) {
        return Shape::Columnar;
    }
    match rest.first() {
        None => Shape::Empty,
        Some(b'{') => Shape::Object,
        Some(b'[') => Shape::Array,
        Some(_) => Shape::Unknown,
    }
}
