//! `huntviz tree`: every node says how its parent link was made.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::process::Command;

fn tree(args: &[&str]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_huntviz")).arg("tree").args(args).output().expect("runs");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

fn fixture(name: &str) -> String {
    format!("{}/../../tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn json_nodes_carry_their_link_and_every_name() {
    let v: serde_json::Value = serde_json::from_str(&tree(&[&fixture("memory_snapshot.csv"), "--json"])).unwrap();
    let nodes = v["nodes"].as_array().unwrap();
    let by_pid = |pid: u64, inferred: bool| {
        nodes.iter().find(|n| n["pid"] == pid && n["inferred"] == inferred).unwrap_or_else(|| panic!("pid {pid}"))
    };
    assert_eq!(by_pid(88, false)["link"], "system");
    assert_eq!(by_pid(404, false)["link"], "same-tick");
    assert_eq!(by_pid(768, false)["link"], "pid-time");
    assert_eq!(by_pid(556, false)["link"], "inferred");
    assert_eq!(by_pid(548, true)["link"], "root");
    assert!(nodes.iter().all(|n| n["link"].is_string() && n["names"].is_array()));
    assert_eq!(v["summary"]["weak_links"], 4);
    assert!(v["warnings"][0].as_str().unwrap().contains("reused"));
}

#[test]
fn text_marks_weaker_links() {
    let text = tree(&[&fixture("memory_snapshot.csv"), "--text"]);
    assert!(text.lines().any(|l| l.trim_start().starts_with("Registry (88) [system]")), "{text}");
    assert!(text.lines().any(|l| l.trim_start().starts_with("smss.exe (404) [same-tick]")), "{text}");
    assert!(
        text.lines().any(|l| l.trim_start().starts_with("services.exe (768) 2024")),
        "exact links unmarked: {text}"
    );
}
