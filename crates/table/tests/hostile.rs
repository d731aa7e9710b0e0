//! Hostile inputs: sizes a payload declares never become allocations the rest of the
//! input cannot back; exports stay inert in every column; names stay unambiguous.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use huntviz_table::{parse, parse_str, ParseOptions};

fn fixture(name: &str) -> Vec<u8> {
    let path = format!("{}/../../tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

#[test]
fn columnar_headers_cannot_declare_more_than_the_input_holds() {
    // Four billion rows or a billion dictionary entries in a 100-byte input: an error
    // naming the lie, before anything is reserved (a capacity of that size aborts).
    let e = parse(fixture("bomb_columnar_rows.hvc"), &ParseOptions::default()).unwrap_err();
    assert!(e.to_string().contains("declares 4000000000 rows but only"), "{e}");
    let e = parse(fixture("bomb_columnar_dict.hvc"), &ParseOptions::default()).unwrap_err();
    assert!(e.to_string().contains("declares 999999999 dictionary entries"), "{e}");
    // The honest version of the same file reads.
    let d = parse_str(
        "HVC1\n{\"rows\":1,\"columns\":[{\"name\":\"a\",\"type\":\"string\",\"enc\":\"dict\",\"dict\":1}]}\n1:x\n0\n",
    )
    .unwrap();
    assert_eq!(d.primary().unwrap().cell_text(0, 0).as_deref(), Some("x"));
}

fn csv_of(doc: &str) -> String {
    let d = parse_str(doc).unwrap();
    let mut out = Vec::new();
    huntviz_table::export::write_csv(d.primary().unwrap(), &mut out).unwrap();
    String::from_utf8(out).unwrap()
}

#[test]
fn csv_exports_neutralise_formulas_in_every_text_cell_whatever_its_type() {
    // A decimal, a guid, a dynamic and a string column, each holding a formula; numbers
    // with a sign stay numbers; typed longs and timespans are written as they are.
    let doc = r#"{"tables":[{"name":"PrimaryResult","columns":[
        {"name":"d","type":"decimal"},{"name":"g","type":"guid"},{"name":"j","type":"dynamic"},
        {"name":"s","type":"string"},{"name":"n","type":"long"},{"name":"t","type":"timespan"}],
      "rows":[
        ["=HYPERLINK(\"http://x\",\"y\")","@SUM(1)","+cmd|' /C calc'!A0","-2+3","-5","-00:00:01"],
        ["-1.5","+1e-3","-7","\tTAB","7","00:00:01"]]}]}"#;
    let csv = csv_of(doc);
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines[1], r#""'=HYPERLINK(""http://x"",""y"")","'@SUM(1)","'+cmd|' /C calc'!A0","'-2+3",-5,-00:00:01"#);
    assert_eq!(lines[2], "-1.5,+1e-3,-7,\"'\tTAB\",7,00:00:01");
}

#[test]
fn repeated_column_names_are_made_unique_on_read() {
    let d = parse_str("a,a,a_2,b\n1,2,3,4\n").unwrap();
    let t = d.primary().unwrap();
    let names: Vec<&str> = t.columns.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(names, ["a", "a_3", "a_2", "b"]);
    assert!(
        d.warnings.iter().any(|w| w.message.contains("repeats column names; renamed: a → a_3")),
        "{:?}",
        d.warnings
    );
    // A JSON lines export then has one key per column.
    let mut out = Vec::new();
    huntviz_table::export::write_jsonl(t, &mut out).unwrap();
    assert_eq!(String::from_utf8(out).unwrap(), "{\"a\":1,\"a_3\":2,\"a_2\":3,\"b\":4}\n");
}

#[test]
fn search_text_is_bounded() {
    let long = "a".repeat(1_001);
    assert!(huntviz_table::search::matcher(&long, false).is_err());
    let Err(e) = huntviz_table::search::matcher(&long, true) else { panic!("a 1,001-character regex") };
    assert!(e.contains("longer than 1000 characters"), "{e}");
    assert!(huntviz_table::search::matcher(&"(".repeat(100), true).is_err(), "nesting is limited");
    assert!(huntviz_table::search::matcher(&"a".repeat(1_000), true).is_ok());
}

#[test]
fn a_one_row_columnar_section_holding_a_null_is_one_empty_cell() {
    // An empty line is that row's null (found by the timeline's extreme-times test).
    let d = parse_str("HVC1\n{\"rows\":1,\"columns\":[{\"name\":\"t\",\"type\":\"datetime\",\"enc\":\"int\",\"unit\":\"ticks\"},{\"name\":\"n\",\"type\":\"long\",\"enc\":\"delta\"}]}\n\n\n")
        .unwrap();
    let t = d.primary().unwrap();
    assert_eq!(t.rows(), 1);
    assert!(t.is_null(0, 0) && t.is_null(0, 1));
}
