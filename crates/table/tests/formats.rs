//! Every format on the project's own fixtures, with exact values.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use huntviz_table::{parse, parse_str, ColumnType, Dataset, Format, ParseOptions, WarningKind};

fn fixture(name: &str) -> Vec<u8> {
    let path = format!("{}/../../tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn load(name: &str) -> Dataset {
    parse(fixture(name), &ParseOptions::default()).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn cell(d: &Dataset, row: usize, col: &str) -> Option<String> {
    let t = d.primary().expect("a table");
    t.cell_text(row, t.column_index(col).unwrap_or_else(|| panic!("no column {col}")))
}

fn has_warning(d: &Dataset, kind: WarningKind, needle: &str) -> bool {
    d.warnings.iter().any(|w| w.kind == kind && w.message.contains(needle))
}

#[test]
fn log_analytics_types_are_exact() {
    let d = load("la_types.json");
    assert_eq!(d.format, Format::LogAnalytics);
    let t = d.primary().unwrap();
    assert_eq!((t.rows(), t.columns.len()), (5, 10));
    let types: Vec<ColumnType> = t.columns.iter().map(|c| c.ty).collect();
    use ColumnType::*;
    assert_eq!(types, [DateTime, String, Long, Int, Real, Bool, TimeSpan, Dynamic, Guid, Decimal]);

    assert_eq!(cell(&d, 0, "TimeGenerated").as_deref(), Some("2024-05-06T01:02:03.1234567Z"));
    assert_eq!(cell(&d, 0, "ProcessId").as_deref(), Some("9223372036854775807"));
    assert_eq!(cell(&d, 1, "ProcessId").as_deref(), Some("-9223372036854775808"));
    // 2^53 + 1: a JS number would round it to ...992.
    assert_eq!(cell(&d, 2, "ProcessId").as_deref(), Some("9007199254740993"));
    assert_eq!(cell(&d, 3, "ProcessId"), None);
    assert_eq!(cell(&d, 1, "Count").as_deref(), Some("2"), "long sent as a string");
    assert_eq!(cell(&d, 1, "Score").as_deref(), Some("NaN"));
    assert_eq!(cell(&d, 2, "Score").as_deref(), Some("Infinity"));
    assert_eq!(cell(&d, 3, "Score").as_deref(), Some("-Infinity"));
    assert_eq!(cell(&d, 4, "Score").as_deref(), Some("2.5e-7"));
    assert_eq!(cell(&d, 1, "Elevated").as_deref(), Some("true"), "bool sent as a string");
    assert_eq!(cell(&d, 3, "Elevated"), None);
    assert_eq!(cell(&d, 0, "Duration").as_deref(), Some("00:00:01.5000000"));
    assert_eq!(cell(&d, 1, "Duration").as_deref(), Some("-1.02:03:04"));
    assert_eq!(cell(&d, 2, "Duration").as_deref(), Some("01:00:00"), "ticks");
    assert_eq!(cell(&d, 0, "Props").as_deref(), Some("{\"a\":[1,2]}"), "JSON string kept as its text");
    assert_eq!(cell(&d, 1, "Props").as_deref(), Some("{\"inline\":true}"), "inline JSON kept as its text");
    assert_eq!(cell(&d, 3, "Props").as_deref(), Some("not json"));
    assert_eq!(cell(&d, 0, "Amount").as_deref(), Some("79228162514264337593543950335"));
    assert_eq!(cell(&d, 2, "Computer").as_deref(), Some("Tab\there \"quoted\" é 😀"));
    assert_eq!(cell(&d, 3, "Computer").as_deref(), Some("lone \u{FFFD} surrogate"));
    // No offset: read as UTC and reported; an unreadable datetime is null and reported.
    assert_eq!(cell(&d, 3, "TimeGenerated").as_deref(), Some("2024-05-06T03:00:00Z"));
    assert_eq!(cell(&d, 4, "TimeGenerated"), None);
    assert!(has_warning(&d, WarningKind::NoOffset, "read as UTC in PrimaryResult: TimeGenerated (1)"));
    assert!(has_warning(&d, WarningKind::BadValue, "row 5: not a date"));
    assert!(has_warning(&d, WarningKind::Encoding, "lone surrogates"));
    assert!(has_warning(&d, WarningKind::PartialError, "exceed the set limit of 5 records"));
    let hint = d.hint.as_ref().expect("render hint");
    assert_eq!(hint.visualization, "timechart");
    assert_eq!(hint.title.as_deref(), Some("Process starts"));
}

#[test]
fn typed_sort_orders_by_type_with_nulls_last() {
    let d = load("la_types.json");
    let t = d.primary().unwrap();
    let col = |n: &str| t.column_index(n).unwrap();
    // long: i64::MIN < 12 < 2^53+1 < i64::MAX, null last.
    assert_eq!(t.sort_order(col("ProcessId"), false), [1, 4, 2, 0, 3]);
    assert_eq!(t.sort_order(col("ProcessId"), true), [0, 2, 4, 1, 3]);
    // datetime: chronological, the two nulls last in input order.
    assert_eq!(t.sort_order(col("TimeGenerated"), false), [0, 1, 3, 2, 4]);
    // real: -inf < 2.5e-7 < 1.5 < inf < NaN.
    assert_eq!(t.sort_order(col("Score"), false), [3, 4, 0, 2, 1]);
    // decimal: numeric, not lexicographic ("-0.5" < "1.25" < "2" < huge).
    assert_eq!(t.sort_order(col("Amount"), false), [1, 3, 4, 0, 2]);
}

#[test]
fn kusto_v2_progressive_fragments_and_errors() {
    let d = load("kusto_v2_progressive.json");
    assert_eq!(d.format, Format::KustoV2);
    assert_eq!(d.tables.len(), 1, "only the primary result is a table");
    let t = d.primary().unwrap();
    // DataReplace dropped the stale row; the later DataAppend (keys in another order) added one.
    assert_eq!(t.rows(), 3);
    assert_eq!(cell(&d, 0, "Account").as_deref(), Some("alice"));
    assert_eq!(cell(&d, 2, "Account").as_deref(), Some("carol"));
    assert!(has_warning(&d, WarningKind::Truncated, "announced 4 rows but 3 arrived"));
    assert!(has_warning(&d, WarningKind::PartialError, "80DA0003"));
    assert!(has_warning(&d, WarningKind::PartialError, "QueryLimitsExceeded"));
    let hint = d.hint.as_ref().expect("visualization hint");
    assert_eq!(hint.visualization, "barchart");
    assert_eq!(hint.x_column.as_deref(), Some("Account"));
    assert_eq!(hint.y_columns, ["count_"]);
    assert_eq!(hint.kind.as_deref(), Some("stacked"));
}

#[test]
fn pandas_table_orient() {
    let d = load("pandas_table.json");
    assert_eq!(d.format, Format::PandasTable);
    let t = d.primary().unwrap();
    let names: Vec<&str> = t.columns.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(names, ["Account", "EventID", "TimeGenerated", "Score", "Ok"], "default index dropped");
    assert_eq!(cell(&d, 0, "Account").as_deref(), Some("NT AUTHORITY\\SYSTEM"));
    assert_eq!(cell(&d, 2, "EventID").as_deref(), Some("4625"), "keys out of order");
    assert_eq!(cell(&d, 1, "TimeGenerated").as_deref(), Some("2019-02-09T20:05:00.250Z"));
    assert_eq!(cell(&d, 2, "Score").as_deref(), Some("1000"));
    assert!(has_warning(&d, WarningKind::Structure, "matched no column"));
}

#[test]
fn hostile_strings_are_kept_verbatim() {
    let d = load("hostile.json");
    assert_eq!(cell(&d, 0, "FileName").as_deref(), Some("<img src=x onerror=\"window.__huntvizPwned='img'\">"));
    assert_eq!(cell(&d, 1, "FileName").as_deref(), Some("evil\u{202e}gnp.exe"));
}

#[test]
fn errors_say_what_and_where() {
    let cases: [(&str, &str); 8] = [
        ("", "empty"),
        ("hello", "not a recognised query result"),
        (
            "{\"tables\":[{\"name\":\"T\",\"columns\":[{\"name\":\"a\",\"type\":\"long\"}],\"rows\":[[1],[2,]]}]}",
            "trailing comma",
        ),
        (
            "{\"tables\":[{\"name\":\"T\",\"columns\":[{\"name\":\"a\",\"type\":\"long\"}],\"rows\":[[1]",
            "end of the input",
        ),
        ("{\"foo\":1,\"bar\":2}", "keys \"foo\", \"bar\""),
        (
            "{\"error\":{\"code\":\"BadArgumentError\",\"message\":\"The request had some invalid properties\"}}",
            "the query failed: BadArgumentError",
        ),
        ("[]", "no Kusto v2 frames"),
        ("[{\"FrameType\":\"TableFragment\",\"TableId\":3,\"Rows\":[]}]", "never described"),
    ];
    for (input, needle) in cases {
        let err = parse_str(input).expect_err(input);
        assert!(err.to_string().contains(needle), "{input:?} gave {err}");
    }
    let err = parse_str("{\n \"tables\": [1]\n}").unwrap_err();
    assert_eq!(err.line_column(), Some((2, 13)));
}

#[test]
fn rows_before_columns_and_deep_dynamic_values() {
    let depth = 100_000;
    let deep = format!("{}{}", "[".repeat(depth), "]".repeat(depth));
    let doc = format!(
        "{{\"tables\":[{{\"rows\":[[{deep}, \"x\"]],\"name\":\"T\",\"columns\":[{{\"name\":\"d\",\"type\":\"dynamic\"}},{{\"name\":\"s\",\"type\":\"string\"}}]}}]}}"
    );
    let d = parse_str(&doc).unwrap();
    let t = d.primary().unwrap();
    assert_eq!(t.rows(), 1);
    assert_eq!(t.cell_text(0, 0).map(|s| s.len()), Some(2 * depth));
    assert_eq!(t.cell_text(0, 1).as_deref(), Some("x"));
}

#[test]
fn invalid_utf8_is_replaced_and_reported() {
    let mut bytes =
        b"{\"tables\":[{\"name\":\"T\",\"columns\":[{\"name\":\"s\",\"type\":\"string\"}],\"rows\":[[\"a".to_vec();
    bytes.push(0xFF);
    bytes.extend_from_slice(b"b\"]]}]}");
    let d = parse(bytes, &ParseOptions::default()).unwrap();
    assert_eq!(d.primary().unwrap().cell_text(0, 0).as_deref(), Some("a\u{FFFD}b"));
    assert!(d.warnings.iter().any(|w| w.kind == WarningKind::Encoding));
}

#[test]
fn repeated_strings_are_dictionary_encoded() {
    let mut doc = String::from("{\"tables\":[{\"name\":\"T\",\"columns\":[{\"name\":\"host\",\"type\":\"string\"},{\"name\":\"cmd\",\"type\":\"string\"}],\"rows\":[");
    for i in 0..20_000 {
        if i > 0 {
            doc.push(',');
        }
        doc.push_str(&format!("[\"host-{}\",\"cmd.exe /c job {i}\"]", i % 7));
    }
    doc.push_str("]}]}");
    let d = parse_str(&doc).unwrap();
    let t = d.primary().unwrap();
    let distinct = |c: usize| match &t.columns[c].data {
        huntviz_table::ColumnData::Str(s) => s.distinct(),
        _ => None,
    };
    assert_eq!(distinct(0), Some(7), "low-cardinality column keeps a dictionary");
    assert_eq!(distinct(1), None, "unique values fall back to plain spans");
    assert_eq!(t.cell_text(19_999, 0).as_deref(), Some("host-0"));
    assert_eq!(t.cell_text(19_999, 1).as_deref(), Some("cmd.exe /c job 19999"));
}
