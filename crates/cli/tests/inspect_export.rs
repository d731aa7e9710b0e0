//! `huntviz inspect` and `huntviz export` from the command line: the documented JSON
//! shape, the `--format` override for every format, and exact, formula-safe exports.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::process::Command;

fn path(rel: &str) -> String {
    format!("{}/../../{rel}", env!("CARGO_MANIFEST_DIR"))
}

fn huntviz(args: &[&str]) -> (bool, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_huntviz")).args(args).output().expect("runs");
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn inspect_json_has_the_documented_shape() {
    let file = path("examples/data/process_events.json");
    let source: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
    let (ok, out, err) = huntviz(&["inspect", "--json", &file]);
    assert!(ok, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["format"], "log-analytics");
    let table = &v["tables"][0];
    assert_eq!(table["name"], "PrimaryResult");
    assert_eq!(table["kind"], "primary");
    assert_eq!(table["rows"].as_u64(), Some(source["tables"][0]["rows"].as_array().unwrap().len() as u64));
    // Kusto type names, as the response declared them.
    let declared: Vec<(String, String)> = source["tables"][0]["columns"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| (c["name"].as_str().unwrap().to_string(), c["type"].as_str().unwrap().to_string()))
        .collect();
    let read: Vec<(String, String)> = table["columns"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| (c["name"].as_str().unwrap().to_string(), c["type"].as_str().unwrap().to_string()))
        .collect();
    assert_eq!(read, declared);
    assert!(v["warnings"].is_array());
    assert_eq!(v["schema"]["name"], "mde-device-process-events");
    assert_eq!(v["schema"]["roles"]["process_id"], "ProcessId");
    assert_eq!(v["schema"]["roles"]["parent_id"], "InitiatingProcessId");
}

#[test]
fn every_format_can_be_forced_by_name() {
    // Each fixture, forced to the format it is in: the same result as detection.
    for (fixture, format) in [
        ("la_types.json", "log-analytics"),
        ("kusto_v1.json", "kusto-v1"),
        ("kusto_v2_progressive.json", "kusto-v2"),
        ("pandas_table.json", "pandas-table"),
        ("defender.json", "defender-hunting"),
        ("split.json", "pandas-split"),
        ("records.json", "json-records"),
        ("osquery.jsonl", "json-lines"),
        ("sysmon.csv", "csv"),
    ] {
        let file = path(&format!("tests/fixtures/{fixture}"));
        let (ok, detected, err) = huntviz(&["inspect", "--json", &file]);
        assert!(ok, "{fixture}: {err}");
        let (ok, forced, err) = huntviz(&["inspect", "--json", "--format", format, &file]);
        assert!(ok, "{fixture} as {format}: {err}");
        let (detected, forced): (serde_json::Value, serde_json::Value) =
            (serde_json::from_str(&detected).unwrap(), serde_json::from_str(&forced).unwrap());
        assert_eq!(forced["format"], format, "{fixture}");
        assert_eq!(forced["tables"], detected["tables"], "{fixture}");
    }
    // A format the input is not in is a clear error, not a guess.
    let (ok, _, err) = huntviz(&["inspect", "--format", "kusto-v2", &path("tests/fixtures/la_types.json")]);
    assert!(!ok);
    assert!(err.contains("does not look like Kusto v2"), "{err}");
    let (ok, _, err) = huntviz(&["inspect", "--format", "xml", &path("tests/fixtures/la_types.json")]);
    assert!(!ok);
    assert!(err.contains("unknown format \"xml\"") && err.contains("csv"), "{err}");
}

#[test]
fn export_is_exact_and_safe_to_open_in_a_spreadsheet() {
    let dir = std::env::temp_dir().join(format!("huntviz-export-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let input = dir.join("in.json");
    std::fs::write(
        &input,
        r#"{"tables":[{"name":"PrimaryResult","columns":[{"name":"T","type":"datetime"},{"name":"N","type":"long"},{"name":"Cmd","type":"string"},{"name":"D","type":"dynamic"}],
        "rows":[["2024-05-06T01:02:03.1234567Z",9223372036854775807,"=cmd|' /C calc'!A0","{\"a\":[1,2]}"],
                [null,-9223372036854775808,"@SUM(1,2)",null]]}]}"#,
    )
    .unwrap();
    let input = input.to_str().unwrap();

    let (ok, csv, err) = huntviz(&["export", input, "--to", "csv"]);
    assert!(ok, "{err}");
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines[0], "T,N,Cmd,D");
    assert_eq!(lines[1], r#"2024-05-06T01:02:03.1234567Z,9223372036854775807,"'=cmd|' /C calc'!A0","{""a"":[1,2]}""#);
    assert_eq!(lines[2], r#",-9223372036854775808,"'@SUM(1,2)","#);

    let out = dir.join("out.jsonl");
    let (ok, _, err) = huntviz(&["export", input, "--to", "jsonl", "-o", out.to_str().unwrap()]);
    assert!(ok, "{err}");
    let text = std::fs::read_to_string(&out).unwrap();
    let rows: Vec<serde_json::Value> = text.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[0]["T"], "2024-05-06T01:02:03.1234567Z");
    // 64-bit integers as JSON integers, exactly; dynamic as its JSON text.
    assert_eq!(rows[0]["N"].as_i64(), Some(i64::MAX));
    assert_eq!(rows[1]["N"].as_i64(), Some(i64::MIN));
    assert_eq!(rows[0]["D"], r#"{"a":[1,2]}"#);
    assert_eq!(rows[0]["Cmd"], "=cmd|' /C calc'!A0", "JSON lines keep the text as it is");
    assert!(rows[1]["T"].is_null());
    std::fs::remove_dir_all(&dir).ok();
}
