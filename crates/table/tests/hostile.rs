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

/// A binary-layout HVC1 document: the header's columns, then each section and `\n`.
fn binary_doc(rows: usize, columns: &str, sections: &[&[u8]]) -> Vec<u8> {
    let columns = columns.replace('\n', "");
    let mut doc = format!("HVC1\n{{\"rows\":{rows},\"columns\":[{columns}]}}\n").into_bytes();
    for s in sections {
        doc.extend_from_slice(s);
        doc.push(b'\n');
    }
    doc
}

fn parse_bytes(doc: Vec<u8>) -> Result<huntviz_table::Dataset, huntviz_table::ParseError> {
    huntviz_table::parse(doc, &huntviz_table::ParseOptions::default())
}

#[test]
fn binary_columnar_sections_read_exactly_and_refuse_what_does_not_fit() {
    // dict (u8 codes, 255 = null), plain (u32 lengths, all ones = null), delta with a
    // null bitmap, and int in one byte.
    let dict = [&2u32.to_le_bytes()[..], &2u32.to_le_bytes(), b"ab", "é".as_bytes(), &[1, 255, 0]].concat();
    let plain = [&1u32.to_le_bytes()[..], &u32::MAX.to_le_bytes(), &0u32.to_le_bytes(), b"x"].concat();
    let delta = [&[0b010u8][..], &10i64.to_le_bytes(), &0i64.to_le_bytes(), &(-3i64).to_le_bytes()].concat();
    let int = [0x80u8, 0x7f, 0xff];
    let cols = r#"{"name":"d","type":"string","enc":"dict","dict":2,"width":1},
        {"name":"p","type":"string","enc":"plain","width":4},
        {"name":"t","type":"long","enc":"delta","width":8,"nulls":true},
        {"name":"i","type":"long","enc":"int","width":1}"#;
    let d = parse_bytes(binary_doc(3, cols, &[&dict, &plain, &delta, &int])).unwrap();
    let t = d.primary().unwrap();
    let cells: Vec<Vec<Option<String>>> =
        (0..3).map(|r| (0..4).map(|c| t.cell_text(r, c).map(|s| s.to_string())).collect()).collect();
    let s = |v: &str| Some(v.to_string());
    assert_eq!(cells[0], vec![s("é"), s("x"), s("10"), s("-128")]);
    assert_eq!(cells[1], vec![None, None, None, s("127")]);
    assert_eq!(cells[2], vec![s("ab"), s(""), s("7"), s("-1")]);
    assert!(d.warnings.is_empty(), "{:?}", d.warnings);

    // A code outside the dictionary, a section cut short, a width the encoding has not,
    // and a length past the end: each a clear error, never a panic or a huge allocation.
    let bad_code = [&dict[..dict.len() - 3], &[2, 0, 0]].concat();
    let e = parse_bytes(binary_doc(3, cols, &[&bad_code, &plain, &delta, &int])).unwrap_err();
    assert!(e.to_string().contains("code 2 is outside the dictionary of 2 entries"), "{e}");
    let e = parse_bytes(binary_doc(3, cols, &[&dict, &plain, &delta[..20]])).unwrap_err();
    assert!(e.to_string().contains("runs past the end of the input"), "{e}");
    let odd = cols.replace(r#""width":4"#, r#""width":3"#);
    let e = parse_bytes(binary_doc(3, &odd, &[&dict, &plain, &delta, &int])).unwrap_err();
    assert!(e.to_string().contains("cannot use width 3"), "{e}");
    let long = [&u32::MAX.to_le_bytes()[..], &4_000_000_000u32.to_le_bytes(), &0u32.to_le_bytes()].concat();
    let e =
        parse_bytes(binary_doc(3, r#"{"name":"p","type":"string","enc":"plain","width":4}"#, &[&long])).unwrap_err();
    assert!(e.to_string().contains("runs past the end of the input"), "{e}");
    let huge = r#"{"name":"d","type":"string","enc":"dict","dict":1000000000,"width":4}"#;
    let e = parse_bytes(binary_doc(3, huge, &[b"xxxxxxxx"])).unwrap_err();
    assert!(e.to_string().contains("dictionary entries but only"), "{e}");
}

#[test]
fn bytes_that_are_not_utf8_in_a_columnar_string_are_shown_replaced_and_reported() {
    let plain = [&2u32.to_le_bytes()[..], &[0xff, b'a']].concat();
    let doc = binary_doc(1, r#"{"name":"p","type":"string","enc":"plain","width":4}"#, &[&plain]);
    let d = parse_bytes(doc).unwrap();
    assert_eq!(d.primary().unwrap().cell_text(0, 0).as_deref(), Some("\u{fffd}a"));
    assert!(
        d.warnings.iter().any(|w| w.message.contains("not valid UTF-8") && w.message.contains('p')),
        "{:?}",
        d.warnings
    );
}
