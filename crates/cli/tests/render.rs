//! `huntviz render`: the views as standalone SVG from the command line.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::process::Command;

fn fixture(name: &str) -> String {
    format!("{}/../../tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"))
}

/// Whether the SVG has a text element with exactly this text.
fn has_text(svg: &str, text: &str) -> bool {
    svg.contains(&format!(">\n{text}\n</text>"))
}

fn render(args: &[&str]) -> (bool, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_huntviz")).arg("render").args(args).output().expect("runs");
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn auto_renders_a_result_with_a_time_column_as_a_timeline_with_escaped_text() {
    let (ok, svg, err) = render(&[&fixture("timeline_events.json")]);
    assert!(ok, "{err}");
    assert!(svg.starts_with("<svg"), "{}", &svg[..svg.len().min(200)]);
    for lane in ["WKS-01", "WKS-02", "DC-01"] {
        assert!(has_text(&svg, lane), "lane {lane}");
    }
    assert!(has_text(&svg, "02:00"), "hour ticks");
    assert!(svg.contains("&lt;img src=x onerror=alert(1)&gt;"));
    assert!(!svg.contains("<img"));
}

#[test]
fn options_and_size_are_applied_and_written_to_a_file() {
    let dir = std::env::temp_dir().join(format!("huntviz-render-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let out = dir.join("t.svg");
    let (ok, _, err) = render(&[
        &fixture("timeline_events.json"),
        "--view",
        "timeline",
        "--width",
        "800",
        "--height",
        "300",
        "--option",
        "group_by=ActionType",
        "--option",
        r#"ref_times=[["2024-05-06T09:30:00Z","first alert"]]"#,
        "-o",
        out.to_str().unwrap(),
    ]);
    assert!(ok, "{err}");
    let svg = std::fs::read_to_string(&out).unwrap();
    assert!(svg.contains(r#"width="800""#) && svg.contains(r#"height="300""#), "{}", &svg[..200]);
    assert!(has_text(&svg, "LogonSuccess"), "lanes by ActionType");
    assert!(has_text(&svg, "◀ first alert"));
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn process_events_render_as_a_tree_and_impossible_views_are_errors() {
    let (ok, svg, err) = render(&[&fixture("sysmon.csv")]);
    assert!(ok, "{err}");
    assert!(svg.contains("Process") || svg.contains(".exe"), "a process tree");
    let (ok, _, err) = render(&[&fixture("kusto_v1.json"), "--view", "timeline"]);
    assert!(!ok);
    assert!(err.contains("the timeline cannot be built"), "{err}");
    let (ok, _, err) = render(&[&fixture("timeline_events.json"), "--option", "group_by"]);
    assert!(!ok);
    assert!(err.contains("--option wants KEY=VALUE"), "{err}");
}

#[test]
fn alerts_with_entities_render_as_a_laid_out_graph() {
    let (ok, svg, err) = render(&[&fixture("alert_entities.json"), "--width", "800", "--height", "500"]);
    assert!(ok, "{err}");
    for entry in ["alert (4)", "process (5)", "host (1)"] {
        assert!(has_text(&svg, entry), "legend entry {entry}");
    }
    assert!(!svg.contains("<img") && !svg.contains("<b "));
    let (ok, svg2, _) =
        render(&[&fixture("alert_entities.json"), "--view", "graph", "--width", "800", "--height", "500"]);
    assert!(ok);
    assert_eq!(svg, svg2, "the same picture every time (deterministic layout)");
    let (ok, _, err) = render(&[&fixture("timeline_events.json"), "--view", "graph"]);
    assert!(!ok && err.contains("the graph cannot be built"), "{err}");
}

/// Every text element as (its attributes, its text).
fn texts(svg: &str) -> Vec<(String, String)> {
    svg.split("<text ")
        .skip(1)
        .filter_map(|t| {
            let (attrs, rest) = t.split_once(">\n")?;
            let (text, _) = rest.split_once("\n</text>")?;
            Some((attrs.to_string(), text.to_string()))
        })
        .collect()
}

/// Fill colours of the swatches a colour-by draws just before names.
fn swatches(svg: &str) -> std::collections::BTreeSet<String> {
    let lines: Vec<&str> = svg.lines().collect();
    lines
        .windows(2)
        .filter(|w| w[0].starts_with("<rect ") && w[0].contains(r#"height="8""#) && w[1].starts_with("<text "))
        .filter_map(|w| w[0].split("fill=\"").nth(1)?.split('"').next().map(str::to_string))
        .collect()
}

#[test]
fn every_tree_option_changes_the_picture_as_in_the_notebook() {
    let tree = |options: &[&str]| {
        let mut args = vec![fixture("sysmon.csv"), "--view".into(), "process-tree".into()];
        for o in options {
            args.push("--option".into());
            args.push((*o).into());
        }
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let (ok, svg, err) = render(&args);
        assert!(ok, "{options:?}: {err}");
        svg
    };
    let plain = tree(&[]);
    let shown = |svg: &str, text: &str| texts(svg).iter().any(|(_, t)| t == text);
    assert!(shown(&plain, "cmd.exe") && shown(&plain, "whoami.exe") && shown(&plain, "4242"));

    // expand_depth=1: only the first level below the host, folded.
    let folded = tree(&["expand_depth=1"]);
    assert!(shown(&folded, "explorer.exe (inferred)") && shown(&folded, "▸"));
    assert!(!shown(&folded, "cmd.exe") && !shown(&folded, "whoami.exe"));

    // pid_format=hex: every PID in hexadecimal.
    let hex = tree(&["pid_format=hex"]);
    assert!(shown(&hex, "0x1092") && shown(&hex, "0x109a") && shown(&hex, "0x3e8"));
    assert!(!shown(&hex, "4242"));

    // highlight: the matching process is marked (bold), the others not.
    let bold = |svg: &str| -> Vec<String> {
        texts(svg).into_iter().filter(|(a, _)| a.contains(r#"font-weight="bold""#)).map(|(_, t)| t).collect()
    };
    assert!(!bold(&plain).contains(&"whoami.exe".to_string()));
    let marked = bold(&tree(&["highlight=whoami"]));
    assert!(marked.contains(&"whoami.exe".to_string()) && !marked.contains(&"cmd.exe".to_string()), "{marked:?}");
    // A list of patterns, a regex among them.
    let marked = bold(&tree(&[r#"highlight=["/^cmd/", "whoami"]"#]));
    assert!(marked.contains(&"whoami.exe".to_string()) && marked.contains(&"cmd.exe".to_string()), "{marked:?}");

    // color_by: a swatch per process, one colour per image.
    assert!(swatches(&plain).is_empty());
    assert!(swatches(&tree(&["color_by=Image"])).len() >= 2);

    // Unknown options and bad values are errors naming them; nothing is drawn.
    for (option, says) in [
        ("expand_dept=1", "unknown option \"expand_dept\""),
        ("pid_format=octal", "options.pid_format must be"),
        ("expand_depth=deep", "options.expand_depth must be a whole number"),
        ("color_by=5", "options.color_by must be a column name"),
    ] {
        let (ok, svg, err) = render(&[&fixture("sysmon.csv"), "--option", option]);
        assert!(!ok && svg.is_empty(), "{option}");
        assert!(err.contains(says), "{option}: {err}");
    }
    let (ok, _, err) = render(&[&fixture("sysmon.csv"), "--view", "pie"]);
    assert!(
        !ok && err.contains("unknown view \"pie\": use one of auto, table, process-tree, timeline, graph"),
        "{err}"
    );
}
