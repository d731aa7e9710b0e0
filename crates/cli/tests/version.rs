//! The version is written once, in package.json; the CLI reports it.
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[test]
fn the_cli_reports_package_json_s_version() {
    let package = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../package.json")).unwrap();
    let json: serde_json::Value = serde_json::from_str(&package).unwrap();
    let want = json["version"].as_str().unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_huntviz")).arg("--version").output().unwrap();
    assert!(out.status.success());
    assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), format!("huntviz {want}"));
}
