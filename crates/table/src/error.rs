//! Errors (the payload cannot be read) and warnings (it was read, with caveats).

use std::fmt;

/// Why a payload could not be read, and where.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct ParseError {
    message: String,
    /// Byte offset, line and column (1-based) of the problem, when it has a place.
    location: Option<(usize, usize, usize)>,
}

impl ParseError {
    /// An error without a position (for example an error the service returned).
    pub fn new(message: impl Into<String>) -> Self {
        ParseError { message: message.into(), location: None }
    }

    /// An error at a byte offset of `input`; line and column are computed from it.
    pub fn at(message: impl Into<String>, input: &[u8], offset: usize) -> Self {
        let offset = offset.min(input.len());
        let before = input.get(..offset).unwrap_or_default();
        let line = memchr::memchr_iter(b'\n', before).count() + 1;
        let line_start = memchr::memrchr(b'\n', before).map_or(0, |p| p + 1);
        let column = String::from_utf8_lossy(before.get(line_start..).unwrap_or_default()).chars().count() + 1;
        ParseError { message: message.into(), location: Some((offset, line, column)) }
    }

    /// What is wrong.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// Byte offset of the problem, when it has one.
    pub fn offset(&self) -> Option<usize> {
        self.location.map(|l| l.0)
    }

    /// 1-based line and column of the problem, when it has one.
    pub fn line_column(&self) -> Option<(usize, usize)> {
        self.location.map(|l| (l.1, l.2))
    }
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)?;
        if let Some((offset, line, column)) = self.location {
            write!(f, " (line {line}, column {column}, byte {offset})")?;
        }
        Ok(())
    }
}

/// Category of a [`Warning`], for filtering and tests.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum WarningKind {
    /// The service reported a partial failure (Log Analytics `PartialError`, Kusto
    /// `OneApiErrors`, exceptions).
    PartialError,
    /// The result was cut short (row or size limits, cancelled query, missing rows).
    Truncated,
    /// Values that could not be read as the column's type (shown as null).
    BadValue,
    /// Datetimes without a UTC offset, read as UTC.
    NoOffset,
    /// Datetimes with more than 7 fraction digits, truncated to 100 ns.
    Precision,
    /// Text that was not valid UTF-8 or held lone surrogates (replaced by U+FFFD).
    Encoding,
    /// Structure that was unexpected but skipped (unknown keys, duplicate keys, extra cells).
    Structure,
}

/// Something the user must know about a result that was otherwise read.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Warning {
    /// Category.
    pub kind: WarningKind,
    /// One readable sentence; data values, if quoted, come last.
    pub message: String,
}

impl Warning {
    pub(crate) fn new(kind: WarningKind, message: impl Into<String>) -> Self {
        Warning { kind, message: message.into() }
    }
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}
