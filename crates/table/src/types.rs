//! Column types and the type names each source uses for them.

use std::fmt;

/// The scalar types of Kusto / Log Analytics, which every other source maps onto.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ColumnType {
    /// `true` / `false`.
    Bool,
    /// UTC instant with 100-ns precision.
    DateTime,
    /// Any JSON value (kept as its JSON text), or a string that is not JSON.
    Dynamic,
    /// A GUID, kept as text.
    Guid,
    /// 32-bit signed integer.
    Int,
    /// 64-bit signed integer.
    Long,
    /// 64-bit float, including NaN and infinities.
    Real,
    /// 128-bit decimal, kept as exact text.
    Decimal,
    /// Text.
    String,
    /// A signed duration with 100-ns precision.
    TimeSpan,
}

impl ColumnType {
    /// The Kusto name of the type.
    pub fn name(self) -> &'static str {
        match self {
            ColumnType::Bool => "bool",
            ColumnType::DateTime => "datetime",
            ColumnType::Dynamic => "dynamic",
            ColumnType::Guid => "guid",
            ColumnType::Int => "int",
            ColumnType::Long => "long",
            ColumnType::Real => "real",
            ColumnType::Decimal => "decimal",
            ColumnType::String => "string",
            ColumnType::TimeSpan => "timespan",
        }
    }

    /// Whether values are numbers (drawn right-aligned, sorted numerically).
    pub fn is_numeric(self) -> bool {
        matches!(self, ColumnType::Int | ColumnType::Long | ColumnType::Real | ColumnType::Decimal)
    }

    /// Reads a type name as Kusto, Log Analytics, Kusto v1 `DataType` (.NET names),
    /// Defender and the SDKs write it. Case-insensitive. `None` when unknown.
    pub fn from_name(name: &str) -> Option<ColumnType> {
        let lower = name.trim().to_ascii_lowercase();
        let lower = lower.strip_prefix("system.").unwrap_or(&lower);
        Some(match lower {
            "bool" | "boolean" | "sbyte" => ColumnType::Bool,
            "datetime" | "date" | "datetimeoffset" => ColumnType::DateTime,
            "dynamic" | "object" | "json" => ColumnType::Dynamic,
            "guid" | "uuid" | "uniqueid" => ColumnType::Guid,
            "int" | "int32" | "int16" | "byte" | "uint16" | "short" => ColumnType::Int,
            "long" | "int64" | "uint32" => ColumnType::Long,
            "real" | "double" | "float" | "single" | "number" => ColumnType::Real,
            "decimal" | "sqldecimal" => ColumnType::Decimal,
            "string" | "text" => ColumnType::String,
            "timespan" | "time" => ColumnType::TimeSpan,
            _ => return None,
        })
    }
}

impl fmt::Display for ColumnType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aliases_map_to_kusto_types() {
        let cases = [
            ("SByte", ColumnType::Bool),
            ("Boolean", ColumnType::Bool),
            ("DateTime", ColumnType::DateTime),
            ("date", ColumnType::DateTime),
            ("Object", ColumnType::Dynamic),
            ("uuid", ColumnType::Guid),
            ("Int32", ColumnType::Int),
            ("Int64", ColumnType::Long),
            ("System.Int64", ColumnType::Long),
            ("double", ColumnType::Real),
            ("SqlDecimal", ColumnType::Decimal),
            ("TimeSpan", ColumnType::TimeSpan),
            ("String", ColumnType::String),
        ];
        for (name, ty) in cases {
            assert_eq!(ColumnType::from_name(name), Some(ty), "{name}");
        }
        assert_eq!(ColumnType::from_name("bogus"), None);
    }
}
