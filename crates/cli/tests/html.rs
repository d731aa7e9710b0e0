//! `huntviz html`: one-file reports with the data inside, escaped for their script element.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::process::Command;

fn fixture(name: &str) -> String {
    format!("{}/../../tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"))
}

fn html(args: &[&str]) -> (bool, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_huntviz")).arg("html").args(args).output().expect("runs");
    (out.status.success(), String::from_utf8_lossy(&out.stderr).into_owned())
}

/// The report's data: the JSON between its data script's tags.
fn data(page: &str) -> serde_json::Value {
    let start = r#"<script type="application/json" id="huntviz-data">"#;
    let from = page.find(start).expect("a data element") + start.len();
    let to = from + page[from..].find("</script>").expect("closed");
    serde_json::from_str(&page[from..to]).unwrap()
}

#[test]
fn a_report_holds_every_file_exactly_and_nothing_can_break_out_of_its_element() {
    let dir = std::env::temp_dir().join(format!("huntviz-html-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let out = dir.join("report.html");
    // A result large enough to travel compressed.
    let big = dir.join("big.csv");
    let mut csv = String::from("TimeGenerated,Computer,Note\n");
    for i in 0..12_000 {
        csv.push_str(&format!("2024-05-06T00:{:02}:{:02}Z,ws-{:02},</script><!-- {i}\n", (i / 60) % 60, i % 60, i % 7));
    }
    std::fs::write(&big, &csv).unwrap();
    let (ok, err) = html(&[
        &fixture("hostile.json"),
        &fixture("sysmon.csv"),
        big.to_str().unwrap(),
        "--title",
        "Case </script><b>42</b>",
        "-o",
        out.to_str().unwrap(),
    ]);
    assert!(ok, "{err}");
    let page = std::fs::read_to_string(&out).unwrap();
    assert!(page.starts_with("<!DOCTYPE html>"));
    assert!(
        page.contains("script-src 'sha256-")
            && page.contains("'wasm-unsafe-eval'")
            && page.contains("default-src 'none'")
    );
    // Only the template's own three script elements: the data cannot close one or open another.
    assert_eq!(page.matches("<script").count(), 3);
    assert_eq!(page.matches("</script>").count(), 3);
    assert!(!page.contains("<img") && !page.contains("<b>") && !page.contains("<!-- 1"));
    let d = data(&page);
    assert_eq!(d["title"], "Case </script><b>42</b>");
    let outputs = d["outputs"].as_array().unwrap();
    assert_eq!(outputs.len(), 3);
    assert_eq!(outputs[0]["title"], "hostile.json");
    assert_eq!(outputs[0]["payload"]["data"], std::fs::read_to_string(fixture("hostile.json")).unwrap());
    assert_eq!(outputs[0]["payload"]["view"], "auto");
    let packed = &outputs[2]["payload"];
    assert_eq!(packed["encoding"], "zlib-base64");
    assert_eq!(packed["size"], csv.len());
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn options_and_views_are_checked_before_anything_is_written() {
    let out = std::env::temp_dir().join(format!("huntviz-html-bad-{}.html", std::process::id()));
    let (ok, err) = html(&[&fixture("sysmon.csv"), "--option", "expand_dept=1", "-o", out.to_str().unwrap()]);
    assert!(!ok && err.contains("unknown option \"expand_dept\""), "{err}");
    let (ok, err) = html(&[&fixture("records.json"), "--view", "process-tree", "-o", out.to_str().unwrap()]);
    assert!(!ok && err.contains("the process tree cannot be built"), "{err}");
    assert!(!out.exists());
}
