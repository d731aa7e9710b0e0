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
