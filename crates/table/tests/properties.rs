//! Property tests: random typed tables, written the way each service writes them, read
//! back exactly.
//!
//! A generated table (every Kusto type, nulls, repeated and arbitrary Unicode strings,
//! values at the ends of their ranges) is serialised as a Log Analytics response, Kusto
//! REST v1, Kusto REST v2 frames and a Defender advanced-hunting response. Strings are
//! escaped at random (`\uXXXX`, surrogate pairs, short escapes), datetimes are written
//! with 0–7 fraction digits, `Z` or an offset, timespans as text or ticks, dynamic values
//! inline or as JSON text, Defender rows with keys in any case and order. Each must be
//! detected as its format and give back every value exactly, with no warning.

use huntviz_table::{
    days_from_civil, format_datetime, format_datetime_full, format_timespan, parse, parse_datetime, parse_timespan,
    ColumnData, ColumnType, Dataset, Format, ParseOptions, StrColumn, TICKS_PER_SECOND,
};
use proptest::prelude::*;
use serde_json::Value;
use std::fmt::Write;

const TICKS_PER_DAY: i64 = 86_400 * TICKS_PER_SECOND;

/// Datetimes from 0002-01-01 to 9998-12-31, so that any offset stays within 4-digit years.
fn datetime_ticks() -> impl Strategy<Value = i64> {
    let lo = days_from_civil(2, 1, 1) * TICKS_PER_DAY;
    let hi = days_from_civil(9998, 12, 31) * TICKS_PER_DAY;
    prop_oneof![
        lo..hi,
        // Whole seconds and milliseconds: the shorter fractions writers emit.
        (lo / TICKS_PER_SECOND..hi / TICKS_PER_SECOND).prop_map(|s| s * TICKS_PER_SECOND),
        (lo / 10_000..hi / 10_000).prop_map(|ms| ms * 10_000),
    ]
}

#[derive(Debug, Clone)]
enum Val {
    Null,
    Bool(bool),
    Int(i32),
    Long(i64),
    Real(f64),
    /// Ticks, offset in minutes, and whether to write the shortest fraction.
    Date(i64, i32, bool),
    /// Ticks, and whether to write them as a number instead of `[-][d.]hh:mm:ss[.f]`.
    Span(i64, bool),
    /// Text, and the seed that picks which characters to escape.
    Str(String, u64),
    Guid(String),
    /// A JSON object or array, and whether it is written inline (else as JSON text).
    Dyn(Value, bool),
    Dec(String),
}

const TYPES: [ColumnType; 10] = [
    ColumnType::Bool,
    ColumnType::Int,
    ColumnType::Long,
    ColumnType::Real,
    ColumnType::DateTime,
    ColumnType::TimeSpan,
    ColumnType::String,
    ColumnType::Guid,
    ColumnType::Dynamic,
    ColumnType::Decimal,
];

fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        // Repeated values: the dictionary's lookups.
        Just(String::new()),
        Just("cmd.exe".to_string()),
        Just("C:\\Windows\\System32\\cmd.exe /c \"whoami\"".to_string()),
        Just("é😀\u{0}\u{1f}\u{7f}\u{2028}".to_string()),
        // Anything printable (proptest's `any::<String>()` has no control characters),
        // control characters and JSON's specials, and printable ASCII.
        any::<String>(),
        "[\\x00-\\x1f\"\\\\/\\x7f\u{2028}a-z]{0,12}",
        "[ -~]{0,40}",
    ]
}

fn json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<String>().prop_map(Value::String),
    ];
    let nested = leaf.prop_recursive(3, 16, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::vec(("[a-zA-Z_]{1,6}", inner), 0..4)
                .prop_map(|kv| Value::Object(kv.into_iter().collect())),
        ]
    });
    // Objects and arrays only: an inline JSON string and a JSON-text dynamic would look alike.
    prop_oneof![
        prop::collection::vec(nested.clone(), 0..4).prop_map(Value::Array),
        prop::collection::vec(("[a-zA-Z_]{1,6}", nested), 0..4).prop_map(|kv| Value::Object(kv.into_iter().collect())),
    ]
}

fn value(ty: ColumnType) -> BoxedStrategy<Val> {
    let v = match ty {
        ColumnType::Bool => any::<bool>().prop_map(Val::Bool).boxed(),
        ColumnType::Int => prop_oneof![any::<i32>(), Just(i32::MIN), Just(i32::MAX)].prop_map(Val::Int).boxed(),
        ColumnType::Long => {
            prop_oneof![any::<i64>(), Just(i64::MIN), Just(i64::MAX), -100i64..100].prop_map(Val::Long).boxed()
        }
        ColumnType::Real => prop_oneof![
            any::<f64>(),
            Just(f64::NAN),
            Just(f64::INFINITY),
            Just(f64::NEG_INFINITY),
            Just(-0.0),
            Just(f64::MIN_POSITIVE),
            Just(5e-324),
            -1e6f64..1e6,
        ]
        .prop_map(Val::Real)
        .boxed(),
        ColumnType::DateTime => (datetime_ticks(), prop_oneof![Just(0), -14 * 60..=14 * 60], any::<bool>())
            .prop_map(|(t, off, short)| Val::Date(t, off, short))
            .boxed(),
        ColumnType::TimeSpan => {
            (prop_oneof![any::<i64>(), Just(i64::MIN), -TICKS_PER_DAY..TICKS_PER_DAY], any::<bool>())
                .prop_map(|(t, ticks)| Val::Span(t, ticks))
                .boxed()
        }
        ColumnType::String => (text(), any::<u64>()).prop_map(|(s, seed)| Val::Str(s, seed)).boxed(),
        ColumnType::Guid => any::<u128>()
            .prop_map(|g| {
                let h = format!("{g:032x}");
                Val::Guid(format!("{}-{}-{}-{}-{}", &h[..8], &h[8..12], &h[12..16], &h[16..20], &h[20..]))
            })
            .boxed(),
        ColumnType::Dynamic => (json(), any::<bool>()).prop_map(|(v, inline)| Val::Dyn(v, inline)).boxed(),
        ColumnType::Decimal => prop_oneof![
            "-?[0-9]{1,29}(\\.[0-9]{1,10})?",
            Just("79228162514264337593543950335".to_string()),
            Just("-0.0000000000000000000000000001".to_string()),
        ]
        .prop_map(Val::Dec)
        .boxed(),
    };
    // One value in eight is null.
    prop_oneof![1 => Just(Val::Null), 7 => v].boxed()
}

/// Column types and rows of values of those types.
fn table() -> impl Strategy<Value = (Vec<ColumnType>, Vec<Vec<Val>>)> {
    prop::collection::vec(prop::sample::select(TYPES.to_vec()), 1..8).prop_flat_map(|types| {
        let row: Vec<BoxedStrategy<Val>> = types.iter().map(|&t| value(t)).collect();
        (Just(types), prop::collection::vec(row, 0..40))
    })
}

/// A JSON string literal, escaping characters at random (those JSON requires, always).
fn write_string(s: &str, mut seed: u64, out: &mut String) {
    out.push('"');
    for c in s.chars() {
        seed = seed.rotate_left(5) ^ 0x9e37_79b9_7f4a_7c15;
        let escape = seed & 3 == 0;
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' if seed & 4 == 0 => out.push_str("\\n"),
            '\t' if seed & 4 == 0 => out.push_str("\\t"),
            '/' if escape => out.push_str("\\/"),
            c if (c as u32) < 0x20 || escape => {
                let mut units = [0u16; 2];
                for u in c.encode_utf16(&mut units) {
                    if seed & 8 == 0 {
                        let _ = write!(out, "\\u{u:04x}");
                    } else {
                        let _ = write!(out, "\\u{u:04X}");
                    }
                }
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

fn datetime_text(ticks: i64, offset_minutes: i32, short: bool) -> String {
    let local = ticks + i64::from(offset_minutes) * 60 * TICKS_PER_SECOND;
    let mut s = String::new();
    if short {
        format_datetime(local, &mut s);
    } else {
        format_datetime_full(local, &mut s);
    }
    if offset_minutes != 0 {
        s.pop();
        let sign = if offset_minutes < 0 { '-' } else { '+' };
        let m = offset_minutes.unsigned_abs();
        let _ = write!(s, "{sign}{:02}:{:02}", m / 60, m % 60);
    }
    s
}

fn write_value(v: &Val, out: &mut String) {
    match v {
        Val::Null => out.push_str("null"),
        Val::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Val::Int(i) => {
            let _ = write!(out, "{i}");
        }
        Val::Long(i) => {
            let _ = write!(out, "{i}");
        }
        Val::Real(x) if x.is_nan() => out.push_str("\"NaN\""),
        Val::Real(x) if x.is_infinite() => out.push_str(if *x > 0.0 { "\"Infinity\"" } else { "\"-Infinity\"" }),
        // Shortest round-trip digits, with an exponent for very large or small magnitudes.
        Val::Real(x) => {
            let _ = write!(out, "{x:?}");
        }
        Val::Date(t, off, short) => write_string(&datetime_text(*t, *off, *short), 0, out),
        Val::Span(t, true) => {
            let _ = write!(out, "{t}");
        }
        Val::Span(t, false) => {
            let mut s = String::new();
            format_timespan(*t, &mut s);
            write_string(&s, 0, out);
        }
        Val::Str(s, seed) => write_string(s, *seed, out),
        Val::Guid(s) | Val::Dec(s) => write_string(s, 0, out),
        Val::Dyn(j, true) => out.push_str(&j.to_string()),
        Val::Dyn(j, false) => write_string(&j.to_string(), 1, out),
    }
}

fn write_row(row: &[Val], out: &mut String) {
    out.push('[');
    for (i, v) in row.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        write_value(v, out);
    }
    out.push(']');
}

fn write_rows(rows: &[Vec<Val>], out: &mut String) {
    out.push('[');
    for (i, row) in rows.iter().enumerate() {
        if i > 0 {
            out.push_str(",\n");
        }
        write_row(row, out);
    }
    out.push(']');
}

/// The .NET name Kusto v1 and Defender use for a type.
fn dotnet(ty: ColumnType) -> &'static str {
    match ty {
        ColumnType::Bool => "Boolean",
        ColumnType::Int => "Int32",
        ColumnType::Long => "Int64",
        ColumnType::Real => "Double",
        ColumnType::DateTime => "DateTime",
        ColumnType::TimeSpan => "TimeSpan",
        ColumnType::String => "String",
        ColumnType::Guid => "Guid",
        ColumnType::Dynamic => "Object",
        ColumnType::Decimal => "SqlDecimal",
    }
}

fn log_analytics(types: &[ColumnType], rows: &[Vec<Val>]) -> String {
    let columns: Vec<String> =
        types.iter().enumerate().map(|(i, t)| format!(r#"{{"name":"Col{i}","type":"{}"}}"#, t.name())).collect();
    let mut out = format!(r#"{{"tables":[{{"name":"PrimaryResult","columns":[{}],"rows":"#, columns.join(","));
    write_rows(rows, &mut out);
    out.push_str("}]}");
    out
}

fn kusto_v1(types: &[ColumnType], rows: &[Vec<Val>]) -> String {
    let columns: Vec<String> = types
        .iter()
        .enumerate()
        .map(|(i, t)| format!(r#"{{"ColumnName":"Col{i}","DataType":"{}","ColumnType":"{}"}}"#, dotnet(*t), t.name()))
        .collect();
    let mut out = format!(r#"{{"Tables":[{{"TableName":"Table_0","Columns":[{}],"Rows":"#, columns.join(","));
    write_rows(rows, &mut out);
    out.push_str("}]}");
    out
}

fn kusto_v2(types: &[ColumnType], rows: &[Vec<Val>]) -> String {
    let columns: Vec<String> = types
        .iter()
        .enumerate()
        .map(|(i, t)| format!(r#"{{"ColumnName":"Col{i}","ColumnType":"{}"}}"#, t.name()))
        .collect();
    let mut out = String::from(r#"[{"FrameType":"DataSetHeader","IsProgressive":false,"Version":"v2.0"},"#);
    let _ = write!(
        out,
        r#"{{"FrameType":"DataTable","TableId":0,"TableKind":"PrimaryResult","TableName":"PrimaryResult","Columns":[{}],"Rows":"#,
        columns.join(",")
    );
    write_rows(rows, &mut out);
    out.push_str(r#"},{"FrameType":"DataSetCompletion","HasErrors":false,"Cancelled":false}]"#);
    out
}

/// Rows as objects; `seed` shuffles the keys, changes their case and drops some nulls.
fn defender(types: &[ColumnType], rows: &[Vec<Val>], mut seed: u64) -> String {
    let schema: Vec<String> =
        types.iter().enumerate().map(|(i, t)| format!(r#"{{"Name":"Col{i}","Type":"{}"}}"#, dotnet(*t))).collect();
    let mut out = format!(r#"{{"Schema":[{}],"Results":["#, schema.join(","));
    for (r, row) in rows.iter().enumerate() {
        if r > 0 {
            out.push(',');
        }
        let mut order: Vec<usize> = (0..row.len()).collect();
        for i in (1..order.len()).rev() {
            seed = seed.rotate_left(7) ^ 0xd1b5_4a32_d192_ed03;
            order.swap(i, (seed % (i as u64 + 1)) as usize);
        }
        out.push('{');
        let mut first = true;
        for c in order {
            seed = seed.rotate_left(3) ^ 0x2545_f491_4f6c_dd1d;
            let Some(v) = row.get(c) else { continue };
            if matches!(v, Val::Null) && seed & 1 == 0 {
                continue;
            }
            if !first {
                out.push(',');
            }
            first = false;
            // Keys match their schema names case-insensitively: any mix of cases.
            let key: String = format!("Col{c}")
                .chars()
                .enumerate()
                .map(
                    |(k, ch)| {
                        if (seed >> (k + 1)) & 1 == 0 {
                            ch.to_ascii_lowercase()
                        } else {
                            ch.to_ascii_uppercase()
                        }
                    },
                )
                .collect();
            let _ = write!(out, "\"{key}\":");
            write_value(v, &mut out);
        }
        out.push('}');
    }
    out.push_str("]}");
    out
}

/// Why the dataset does not hold exactly `rows` of `types`, if it does not.
fn mismatch(d: &Dataset, types: &[ColumnType], rows: &[Vec<Val>]) -> Option<String> {
    if !d.warnings.is_empty() {
        return Some(format!("warnings: {:?}", d.warnings));
    }
    let Some(t) = d.primary() else { return Some("no table".into()) };
    if t.rows() != rows.len() || t.columns.len() != types.len() {
        return Some(format!("{} rows × {} columns", t.rows(), t.columns.len()));
    }
    for (c, (column, &ty)) in t.columns.iter().zip(types).enumerate() {
        if column.ty != ty || column.name != format!("Col{c}") {
            return Some(format!("column {c}: {} {}", column.name, column.ty));
        }
        for (r, row) in rows.iter().enumerate() {
            let Some(expected) = row.get(c) else { return Some(format!("row {r} has no column {c}")) };
            let text = t.cell_text(r, c);
            let same = match expected {
                Val::Null => t.is_null(r, c),
                Val::Bool(b) => text.as_deref() == Some(if *b { "true" } else { "false" }),
                Val::Int(i) => column.i64_value(r) == Some(i64::from(*i)),
                Val::Long(i) | Val::Date(i, ..) | Val::Span(i, _) => column.i64_value(r) == Some(*i),
                Val::Real(x) => match &column.data {
                    ColumnData::F64(v, valid) if valid.is_valid(r) => {
                        v.get(r).is_some_and(|y| y.to_bits() == x.to_bits() || (x.is_nan() && y.is_nan()))
                    }
                    _ => false,
                },
                Val::Str(s, _) | Val::Guid(s) | Val::Dec(s) => text.as_deref() == Some(s.as_str()),
                Val::Dyn(j, _) => text.and_then(|s| serde_json::from_str::<Value>(&s).ok()).as_ref() == Some(j),
            };
            if !same {
                return Some(format!("row {r} column {c} ({ty}): expected {expected:?}, read {:?}", t.cell_text(r, c)));
            }
        }
    }
    None
}

fn check(input: String, format: Format, types: &[ColumnType], rows: &[Vec<Val>]) -> Result<(), TestCaseError> {
    let d = parse(input.clone().into_bytes(), &ParseOptions::default())
        .map_err(|e| TestCaseError::fail(format!("{format:?}: {e}\n{input}")))?;
    prop_assert_eq!(d.format, format, "{}", input);
    if let Some(why) = mismatch(&d, types, rows) {
        return Err(TestCaseError::fail(format!("{format:?}: {why}\n{input}")));
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(192))]

    #[test]
    fn every_service_format_reads_back_exactly((types, rows) in table(), seed in any::<u64>()) {
        check(log_analytics(&types, &rows), Format::LogAnalytics, &types, &rows)?;
        check(kusto_v1(&types, &rows), Format::KustoV1, &types, &rows)?;
        check(kusto_v2(&types, &rows), Format::KustoV2, &types, &rows)?;
        check(defender(&types, &rows, seed), Format::DefenderHunting, &types, &rows)?;
    }
}

proptest! {
    // Past the dictionary's first check (every 4,096 rows): a column of distinct strings
    // turns plain, repeated ones stay a dictionary, both with escapes anywhere.
    #![proptest_config(ProptestConfig::with_cases(6))]

    #[test]
    fn long_string_columns_read_back_exactly(
        distinct in prop::collection::vec((any::<String>(), any::<u64>()), 4_100..4_400),
        pool in prop::collection::vec((text(), any::<u64>()), 1..6),
    ) {
        let types = [ColumnType::String, ColumnType::String];
        let rows: Vec<Vec<Val>> = distinct
            .iter()
            .enumerate()
            .map(|(i, (s, seed))| {
                let (p, pseed) = &pool[i % pool.len()];
                vec![Val::Str(format!("{i}:{s}"), *seed), Val::Str(p.clone(), *pseed)]
            })
            .collect();
        let input = log_analytics(&types, &rows);
        check(input.clone(), Format::LogAnalytics, &types, &rows)?;
        // And the storage the engine chose: distinct strings plain, repeated ones a dictionary.
        let d = parse(input.into_bytes(), &ParseOptions::default()).map_err(|e| TestCaseError::fail(e.to_string()))?;
        let t = d.primary().ok_or_else(|| TestCaseError::fail("no table"))?;
        let plain = matches!(t.columns[0].data, ColumnData::Str(StrColumn::Plain { .. }));
        let dict = matches!(t.columns[1].data, ColumnData::Str(StrColumn::Dict { .. }));
        prop_assert!(plain && dict, "distinct column plain: {}, repeated column a dictionary: {}", plain, dict);
    }
}

proptest! {
    #[test]
    fn datetimes_read_back_in_every_spelling(ticks in datetime_ticks(), offset in -14 * 60..=14 * 60i32) {
        for (off, short) in [(0, false), (0, true), (offset, false), (offset, true)] {
            let text = datetime_text(ticks, off, short);
            let p = parse_datetime(text.as_bytes());
            prop_assert_eq!(p.map(|p| (p.ticks, p.no_offset, p.truncated)), Some((ticks, false, false)), "{}", text);
        }
        let full = datetime_text(ticks, offset, false);
        let (clock, zone) = full.split_at(full.len() - if offset == 0 { 1 } else { 6 });
        // Other spellings writers use: a space or a lower-case `t`, a lower-case `z`,
        // `+hhmm`, `+hh` for whole hours.
        let mut spellings = vec![
            full.replacen('T', " ", 1),
            full.replacen('T', "t", 1),
            full.replace('Z', "z"),
            format!("{clock}{}", zone.replace(':', "")),
        ];
        if offset % 60 == 0 && offset != 0 {
            spellings.push(format!("{clock}{}", &zone[..3]));
        }
        for text in spellings {
            let p = parse_datetime(text.as_bytes());
            prop_assert_eq!(p.map(|p| (p.ticks, p.no_offset, p.truncated)), Some((ticks, false, false)), "{}", text);
        }
        // Digits past 100 ns are dropped and reported (only when not all zeros).
        for extra in ["00", "09", "999999999999999999999999"] {
            let text = format!("{clock}{extra}{zone}");
            let p = parse_datetime(text.as_bytes());
            prop_assert_eq!(p.map(|p| (p.ticks, p.truncated)), Some((ticks, extra != "00")), "{}", text);
        }
        // Without an offset: read as UTC, and said so.
        let mut local = String::new();
        format_datetime_full(ticks, &mut local);
        local.pop();
        let p = parse_datetime(local.as_bytes());
        prop_assert_eq!(p.map(|p| (p.ticks, p.no_offset)), Some((ticks, true)), "{}", local);
    }

    #[test]
    fn timespans_read_back_as_text_and_ticks(ticks in prop_oneof![any::<i64>(), Just(i64::MIN), Just(i64::MAX)]) {
        let mut text = String::new();
        format_timespan(ticks, &mut text);
        prop_assert_eq!(parse_timespan(text.as_bytes()), Some(ticks), "{}", text);
        prop_assert_eq!(parse_timespan(ticks.to_string().as_bytes()), Some(ticks));
    }

    #[test]
    fn integers_read_as_rust_reads_them(text in "[+-]?[0-9]{1,22}") {
        // Ticks are read as a 64-bit integer exactly when Rust's own parser can.
        prop_assert_eq!(parse_timespan(text.as_bytes()), text.parse::<i64>().ok());
    }
}
