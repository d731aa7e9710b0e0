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

fn rows(d: &Dataset) -> Vec<Vec<Option<String>>> {
    let t = d.primary().unwrap();
    (0..t.rows()).map(|r| (0..t.columns.len()).map(|c| t.cell_text(r, c)).collect()).collect()
}

fn types(d: &Dataset) -> Vec<(String, ColumnType)> {
    d.primary().unwrap().columns.iter().map(|c| (c.name.clone(), c.ty)).collect()
}

fn s(v: &str) -> Option<String> {
    Some(v.to_string())
}

#[test]
fn csv_as_the_portal_exports_it() {
    let d = load("portal_export.csv");
    assert_eq!(d.format, Format::Csv);
    use ColumnType::*;
    let names: Vec<(std::string::String, ColumnType)> = [
        ("TimeGenerated", DateTime),
        ("Computer", String),
        ("EventID", Long),
        ("CommandLine", String),
        ("Score", Real),
        ("Notes", String),
    ]
    .iter()
    .map(|(n, t)| (n.to_string(), *t))
    .collect();
    assert_eq!(types(&d), names, "BOM stripped, [UTC] dropped, types inferred");
    let r = rows(&d);
    assert_eq!(r[0][0], s("2024-05-06T13:02:03.123Z"));
    assert_eq!(r[2][0], s("2024-05-06T00:00:00Z"), "12 AM is midnight");
    assert_eq!(r[0][3], s("cmd.exe /c \"echo hi\""), "doubled quotes decoded");
    assert_eq!(r[1][3], s("=cmd|'/c calc'!A1"));
    assert_eq!(r[1][4], None, "an empty field is null");
    assert_eq!(r[1][5], s("line one\r\nline two"), "quoted newline kept");
    assert_eq!(r[2][5], s("trailing, comma"));
    assert_eq!(r[2][4], s("1000"));
}

#[test]
fn csv_edge_cases() {
    let cases: [(&str, usize, usize); 5] = [
        ("a,b\n1,2\n", 1, 2),
        ("a\tb\tc\r\n1\t2\t3\r\n4\t5\t6", 2, 3),
        ("a;b\n\n1;2\n\n", 1, 2),
        ("a,b\n1\n2,3,4\n", 2, 2),
        ("\"x,y\",z\n\"1\",\"\"\n", 1, 2),
    ];
    for (text, n_rows, n_cols) in cases {
        let d = parse_str(text).unwrap_or_else(|e| panic!("{text:?}: {e}"));
        let t = d.primary().unwrap();
        assert_eq!((t.rows(), t.columns.len()), (n_rows, n_cols), "{text:?}");
    }
    let d = parse_str("a,b\n1\n2,3,4\n").unwrap();
    assert!(has_warning(&d, WarningKind::Structure, "fewer cells"));
    assert!(has_warning(&d, WarningKind::Structure, "more cells"));
    let err = parse_str("a,b\n\"open,1\n").unwrap_err();
    assert!(err.to_string().contains("quoted CSV field is not closed (line 2, column 1"), "{err}");
}

#[test]
fn osquery_logs_split_per_query() {
    let d = load("osquery.jsonl");
    assert_eq!(d.format, Format::JsonLines);
    let names: Vec<&str> = d.tables.iter().map(|t| t.name.as_str()).collect();
    assert_eq!(names, ["pack_processes", "pack_listening_ports"]);
    let t = d.primary().unwrap();
    let col = |n: &str| t.column_index(n).unwrap_or_else(|| panic!("no {n}"));
    assert_eq!(t.column(col("pid")).unwrap().ty, ColumnType::Long, "osquery's text numbers become numbers");
    assert_eq!(t.cell_text(1, col("parent")).as_deref(), Some("4242"));
    assert_eq!(t.cell_text(0, col("columns.name")).as_deref(), Some("sshd"), "prefix kept where 'name' is taken");
    assert_eq!(t.cell_text(0, col("decorations.username")).as_deref(), Some("LOGIN"));
    let info = huntviz_table::schema::detect(t, &Default::default());
    assert_eq!(info.name.as_deref(), Some("osquery-processes"));
    assert_eq!(info.roles.get("process_name").map(String::as_str), Some("columns.name"));
}

#[test]
fn velociraptor_nested_values_are_flattened_one_level() {
    let d = load("pslist.jsonl");
    let names: Vec<String> = types(&d).into_iter().map(|(n, _)| n).collect();
    assert_eq!(names, ["Pid", "Ppid", "Name", "CommandLine", "Username", "CreateTime", "Hash.MD5", "Hash.SHA1"]);
    assert_eq!(rows(&d)[1][3], s("\\SystemRoot\\System32\\smss.exe"));
    assert_eq!(rows(&d)[0][6], None);
}

#[test]
fn records_keep_the_first_of_duplicate_keys_and_say_so() {
    let d = load("records.json");
    assert_eq!(d.format, Format::JsonRecords);
    assert_eq!(rows(&d)[0][1], s("4624"));
    assert_eq!(rows(&d)[0][4], s("{\"LogonType\":3}"), "nested objects stay JSON outside JSON lines");
    assert!(has_warning(&d, WarningKind::Structure, "1 duplicate key"));
    assert!(has_warning(&d, WarningKind::NoOffset, "TimeGenerated (2)"));
}

#[test]
fn pandas_split_keeps_int64_exact() {
    let d = load("split.json");
    assert_eq!(d.format, Format::PandasSplit);
    assert_eq!(rows(&d)[1], [s("ws-01"), s("9223372036854775807"), None]);
}

#[test]
fn defender_hunting_rows_are_objects_with_any_key_case() {
    let d = load("defender.json");
    assert_eq!(d.format, Format::DefenderHunting);
    use ColumnType::*;
    let tys: Vec<ColumnType> = types(&d).into_iter().map(|(_, t)| t).collect();
    assert_eq!(tys, [DateTime, String, Long, Bool, Dynamic, Real]);
    let r = rows(&d);
    assert_eq!(r[0][0], s("2024-03-26T09:39:50.7688641Z"), "'timestamp' matched 'Timestamp'");
    assert_eq!(r[0][2], s("9223372036854775807"));
    assert_eq!(r[1][5], s("NaN"));
    assert_eq!(r[1][4], s("{\"b\":2}"));
    assert!(has_warning(&d, WarningKind::Structure, "matched no column"));
}

#[test]
fn kusto_v1_table_of_contents_status_and_exceptions() {
    let d = load("kusto_v1.json");
    assert_eq!(d.format, Format::KustoV1);
    assert_eq!(d.tables.len(), 1);
    assert_eq!(d.primary().unwrap().name, "PrimaryResult");
    assert_eq!(
        rows(&d),
        [[s("ws-01"), s("12"), s("true"), s("{\"k\":\"v\"}")], [s("ws-02"), s("3"), s("false"), None]]
    );
    assert!(has_warning(&d, WarningKind::PartialError, "query status Error"));
    assert!(has_warning(&d, WarningKind::PartialError, "80DA0007"));
    assert!(has_warning(&d, WarningKind::PartialError, "after row 2: Query result set has exceeded"));
    assert_eq!(d.hint.as_ref().map(|h| h.visualization.as_str()), Some("piechart"));
}

#[test]
fn schema_detection_scores_reports_and_obeys_overrides() {
    use huntviz_table::schema::{detect, Evidence};
    let d = load("sysmon.csv");
    let t = d.primary().unwrap();
    let info = detect(t, &Default::default());
    assert_eq!(info.name.as_deref(), Some("sysmon-process-create"));
    assert_eq!(info.roles.get("process_guid").map(String::as_str), Some("ProcessGuid"));
    assert_eq!(info.event_filter, Some(("EventID".to_string(), "1".to_string())));
    // 4688 also matches (ProcessId is its parent id) but scores lower.
    assert!(info.scores.iter().any(|(n, _)| n == "windows-4688") || info.scores.len() == 1);
    assert_eq!(info.scores.first().map(|s| s.0.as_str()), Some("sysmon-process-create"));
    // Overrides win and are reported; bad ones are notes.
    let mut o = std::collections::BTreeMap::new();
    o.insert("user".to_string(), "Computer".to_string());
    o.insert("colour".to_string(), "Image".to_string());
    o.insert("host".to_string(), "NoSuchColumn".to_string());
    let info = detect(t, &o);
    assert_eq!(info.roles.get("user").map(String::as_str), Some("Computer"));
    assert_eq!(info.evidence.get("user"), Some(&Evidence::Option));
    assert_eq!(info.roles.get("host").map(String::as_str), Some("Computer"));
    assert_eq!(info.notes.len(), 2, "{:?}", info.notes);
    // Deterministic: the same input gives the same answer.
    assert_eq!(detect(t, &o), info);
    // The project's generated DeviceProcessEvents: MDE with exact creation times.
    let d = load("../../examples/data/process_events.json");
    let info = detect(d.primary().unwrap(), &Default::default());
    assert_eq!(info.name.as_deref(), Some("mde-device-process-events"));
    assert_eq!(info.roles.get("parent_creation_time").map(String::as_str), Some("InitiatingProcessCreationTime"));
}

#[test]
fn export_csv_is_exact_and_neutralises_formulas() {
    let d = load("portal_export.csv");
    let mut out = Vec::new();
    huntviz_table::export::write_csv(d.primary().unwrap(), &mut out).unwrap();
    let text = String::from_utf8(out).unwrap();
    let lines: Vec<&str> = text.split("\r\n").collect();
    assert_eq!(lines[0], "TimeGenerated,Computer,EventID,CommandLine,Score,Notes");
    assert_eq!(lines[1], "2024-05-06T13:02:03.1230000Z,WS-01,4688,\"cmd.exe /c \"\"echo hi\"\"\",0.5,");
    assert!(lines[2].contains(",\"'=cmd|'/c calc'!A1\","), "{}", lines[2]);
    // Read back: every value but the neutralised one is unchanged.
    let back = parse_str(&text).unwrap();
    let (a, b) = (rows(&d), rows(&back));
    assert_eq!(b[1][3], s("'=cmd|'/c calc'!A1"));
    for (r, (ra, rb)) in a.iter().zip(&b).enumerate() {
        for (c, (va, vb)) in ra.iter().zip(rb).enumerate() {
            if (r, c) != (1, 3) {
                assert_eq!(va, vb, "row {r} column {c}");
            }
        }
    }
}

#[test]
fn export_csv_never_leaves_a_formula_trigger_at_the_start_of_a_text_field() {
    // Deterministic pseudo-random strings built from formula triggers and CSV specials.
    let alphabet = ["=", "+", "-", "@", "\t", "\r", "\n", "\"", ",", "a", "1", " ", "é"];
    let mut seed = 0x2545_f491_4f6c_dd1du64;
    let mut doc = String::from("{\"tables\":[{\"name\":\"T\",\"columns\":[{\"name\":\"s\",\"type\":\"string\"},{\"name\":\"n\",\"type\":\"long\"}],\"rows\":[");
    let mut values = Vec::new();
    for i in 0..500 {
        let mut v = String::new();
        for _ in 0..(1 + i % 7) {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            v.push_str(alphabet[(seed % alphabet.len() as u64) as usize]);
        }
        if i > 0 {
            doc.push(',');
        }
        doc.push_str(&format!("[{},{}]", serde_json_string(&v), -(i as i64)));
        values.push(v);
    }
    doc.push_str("]}]}");
    let d = parse_str(&doc).unwrap();
    let mut out = Vec::new();
    huntviz_table::export::write_csv(d.primary().unwrap(), &mut out).unwrap();
    let back = parse(out, &ParseOptions { format: Some(Format::Csv), ..ParseOptions::default() }).unwrap();
    let t = back.primary().unwrap();
    for (i, v) in values.iter().enumerate() {
        let got = t.cell_text(i, 0).unwrap_or_default();
        let trigger = huntviz_table::export::is_formula_trigger(v);
        let expected = if trigger { format!("'{v}") } else { v.clone() };
        // The reader treats an empty field as null and only strips nothing else.
        assert_eq!(got, expected, "value {i}: {v:?}");
        assert!(!huntviz_table::export::is_formula_trigger(&got), "value {i} starts with a trigger: {got:?}");
        assert_eq!(t.cell_text(i, 1), Some((-(i as i64)).to_string()), "numbers are not prefixed");
    }
}

fn serde_json_string(v: &str) -> String {
    let mut out = String::from("\"");
    for c in v.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[test]
fn export_jsonl_keeps_types() {
    let d = load("la_types.json");
    let mut out = Vec::new();
    huntviz_table::export::write_jsonl(d.primary().unwrap(), &mut out).unwrap();
    let text = String::from_utf8(out).unwrap();
    let first = text.lines().next().unwrap();
    assert!(first.starts_with("{\"TimeGenerated\":\"2024-05-06T01:02:03.1234567Z\",\"Computer\":\"WS-01\",\"ProcessId\":9223372036854775807,"), "{first}");
    assert!(first.contains("\"Props\":\"{\\\"a\\\":[1,2]}\""), "{first}");
    let second = text.lines().nth(1).unwrap();
    assert!(second.contains("\"TimeGenerated\":\"2024-05-06T01:02:04.0000000Z\""), "7 digits: {second}");
    assert!(second.contains("\"Score\":\"NaN\""), "{second}");
    assert!(second.contains("\"Id\":null"), "{second}");
    assert_eq!(text.lines().count(), 5);
}

#[test]
fn volatility_pstree_csv_is_recognised() {
    let d = load("volatility_pstree.csv");
    let info = huntviz_table::schema::detect(d.primary().unwrap(), &Default::default());
    assert_eq!(info.name.as_deref(), Some("volatility-pstree"));
    assert_eq!(info.roles.get("time").map(String::as_str), Some("CreateTime"));
    assert_eq!(rows(&d)[2][9], s("2024-05-06T00:00:03Z"), "trailing space tolerated");
}

#[test]
fn log_analytics_batch_keeps_good_responses_and_reports_failed_ones() {
    let d = load("la_batch.json");
    assert_eq!(d.format, Format::LogAnalytics);
    assert_eq!(d.primary().unwrap().name, "PrimaryResult (response logons)");
    assert_eq!(rows(&d), [[s("alice"), s("3")], [s("bob"), s("1")]]);
    assert!(has_warning(&d, WarningKind::PartialError, "batch response broken failed: BadArgumentError"));
    assert!(has_warning(&d, WarningKind::PartialError, "A recognition error occurred"));
}

#[test]
fn map_text_and_mark_rows_agree_with_cell_text_and_test_each_distinct_value_once() {
    use huntviz_table::{ColumnData, StrColumn};
    use std::cell::Cell;
    // 10,000 rows (past the dictionary check): a repeating (dictionary) column, a unique (plain) one, a long and a
    // datetime, each with nulls.
    let mut rows = Vec::new();
    for i in 0..10_000 {
        let host = if i % 7 == 0 { "null".to_string() } else { format!("\"Host-{}\"", i % 5) };
        let cmd = if i % 11 == 0 { "null".to_string() } else { format!("\"cmd.exe /c run_{i}.bat\"") };
        let pid = if i % 13 == 0 { "null".to_string() } else { (i * 4).to_string() };
        rows.push(format!("[{host},{cmd},{pid},\"2024-05-06T00:00:{:02}.5Z\"]", i % 60));
    }
    let doc = format!(
        r#"{{"tables":[{{"name":"PrimaryResult","columns":[{{"name":"Host","type":"string"}},{{"name":"Cmd","type":"string"}},{{"name":"Pid","type":"long"}},{{"name":"T","type":"datetime"}}],"rows":[{}]}}]}}"#,
        rows.join(",")
    );
    let d = parse(doc.into_bytes(), &ParseOptions::default()).unwrap();
    let t = d.primary().unwrap();
    assert!(matches!(t.columns[0].data, ColumnData::Str(StrColumn::Dict { .. })));
    assert!(matches!(t.columns[1].data, ColumnData::Str(StrColumn::Plain { .. })));
    for col in 0..4 {
        let calls = Cell::new(0usize);
        let mapped = t.map_text(col, |s| {
            calls.set(calls.get() + 1);
            s.to_lowercase()
        });
        let expected: Vec<Option<String>> =
            (0..t.rows()).map(|r| t.cell_text(r, col).map(|s| s.to_lowercase())).collect();
        assert_eq!(mapped, expected, "column {col}");
        if col == 0 {
            assert_eq!(calls.get(), 5, "one call per distinct host");
        }
        for needle in ["host-3", "run_12", "4", ":07.5z", "zzz"] {
            let mut hits = vec![false; t.rows()];
            t.mark_rows(col, &|s: &str| s.to_lowercase().contains(needle), &mut hits);
            let want: Vec<bool> = expected.iter().map(|v| v.as_deref().is_some_and(|s| s.contains(needle))).collect();
            assert_eq!(hits, want, "column {col}, {needle}");
        }
    }
}

/// Escapes at every offset of a scanning block (8 bytes natively, 16 in wasm), in a
/// dictionary column and, repeated with distinct suffixes, in a plain one: every value
/// decodes as serde_json decodes it.
#[test]
fn escapes_decode_at_every_block_offset() {
    let text = String::from_utf8(fixture("escapes.json")).unwrap();
    let expected: serde_json::Value = serde_json::from_str(&text).unwrap();
    let expected = expected["tables"][0]["rows"].as_array().unwrap();
    let d = parse(text.clone().into_bytes(), &ParseOptions::default()).unwrap();
    assert!(d.warnings.is_empty(), "{:?}", d.warnings);
    for (row, r) in expected.iter().enumerate() {
        assert_eq!(cell(&d, row, "Text").as_deref(), r[1].as_str(), "row {row}");
    }

    // 5,000 copies of each row, each made distinct: past the dictionary's limit.
    let lines: Vec<&str> = text.lines().filter(|l| l.starts_with('[')).map(|l| l.trim_end_matches(',')).collect();
    let mut big = String::from(
        r#"{"tables":[{"name":"PrimaryResult","columns":[{"name":"Row","type":"long"},{"name":"Text","type":"string"}],"rows":["#,
    );
    let mut want = Vec::new();
    for k in 0..5_000 {
        for (line, r) in lines.iter().zip(expected) {
            if !want.is_empty() {
                big.push(',');
            }
            let body = &line[..line.rfind("\"]").unwrap()];
            big.push_str(&format!("{body}{k}\"]"));
            want.push(format!("{}{k}", r[1].as_str().unwrap()));
        }
    }
    big.push_str("]}]}");
    let d = parse(big.into_bytes(), &ParseOptions::default()).unwrap();
    assert_eq!(d.primary().unwrap().rows(), want.len());
    for (row, w) in want.iter().enumerate() {
        assert_eq!(cell(&d, row, "Text").as_deref(), Some(w.as_str()), "row {row}");
    }
}

/// A string column starts as a dictionary and turns plain once its values stop
/// repeating enough (checked every 4,096 rows). The rows it held until then share one
/// stored span per value; each such span must be unescaped once, not once per row
/// (which turned `C:\\Windows` into `C:\Windows` and then `C:�indows`).
#[test]
fn repeated_escaped_values_survive_a_dictionary_turning_plain() {
    for (format, escaped, expected) in [
        (
            "json-lines",
            r#""C:\\Windows\\System32\\cmd.exe /c \"whoami\"""#,
            r#"C:\Windows\System32\cmd.exe /c "whoami""#,
        ),
        ("csv", r#""cmd.exe /c ""whoami"" \\x""#, r#"cmd.exe /c "whoami" \\x"#),
    ] {
        let mut text = String::new();
        if format == "csv" {
            text.push_str("Row,CommandLine\n");
        }
        // Half the rows repeat one escaped value; the rest are long and distinct, so
        // the dictionary is not worth keeping at the first check.
        let rows = 10_000;
        for i in 0..rows {
            let value = if i % 2 == 0 {
                escaped.to_string()
            } else {
                format!("\"unique value number {i:08} {}\"", "x".repeat(40))
            };
            if format == "csv" {
                text.push_str(&format!("{i},{value}\n"));
            } else {
                text.push_str(&format!("{{\"Row\":{i},\"CommandLine\":{value}}}\n"));
            }
        }
        let d = parse(text.into_bytes(), &ParseOptions { format: Format::from_id(format), ..ParseOptions::default() })
            .unwrap_or_else(|e| panic!("{format}: {e}"));
        assert!(d.warnings.is_empty(), "{format}: {:?}", d.warnings);
        let t = d.primary().unwrap();
        assert_eq!(t.rows(), rows);
        let col = t.column_index("CommandLine").unwrap();
        for row in (0..rows).step_by(2) {
            assert_eq!(t.cell_text(row, col).as_deref(), Some(expected), "{format} row {row}");
        }
        assert_eq!(t.cell_text(9_999, col).map(|s| s.starts_with("unique value number 00009999")), Some(true));
    }
}
