//! What the panes of an investigation cost, natively: the memory each view's model adds
//! to the one parsed result (resident memory after each is built), and how long one
//! pane's selection takes to reach the others (`View::select_rows`), and a search and
//! "matches only" in every pane.
//!
//! `cargo run --release -p huntviz-session --example panes FILE` (FILE: process events,
//! e.g. from `huntviz-gen N --mde`).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stdout)]
use std::time::Instant;

use huntviz_draw::Theme;
use huntviz_session::{Session, Spec, ViewKind};

/// Resident memory of this process in MB (Linux `/proc/self/statm`; 0 elsewhere).
fn resident() -> f64 {
    let pages = std::fs::read_to_string("/proc/self/statm")
        .ok()
        .and_then(|s| s.split_whitespace().nth(1).and_then(|p| p.parse::<f64>().ok()))
        .unwrap_or(0.0);
    pages * 4096.0 / 1e6
}

fn main() {
    let path = std::env::args().nth(1).expect("usage: panes FILE");
    let bytes = std::fs::read(&path).expect("read");
    let input_mb = bytes.len() as f64 / 1e6;
    let before = resident();
    let options = serde_json::json!({"source": "AccountName", "target": "DeviceName"});
    let spec = Spec { view: Some("table".into()), options: options.as_object().cloned().unwrap(), notes: Vec::new() };
    let mut s = Session::open(bytes, spec, Theme::light()).expect("open");
    let rows = s.table().rows();
    let table = s.table();
    let table_mb =
        (table.store().heap_bytes() + table.columns.iter().map(|c| c.heap_bytes()).sum::<usize>()) as f64 / 1e6;
    println!(
        "{rows} rows ({input_mb:.0} MB of JSON): the parsed result holds {table_mb:.1} MB; resident {:.0} MB → {:.0} MB",
        before,
        resident()
    );
    let mut total = table_mb;
    for kind in [ViewKind::ProcessTree, ViewKind::Timeline, ViewKind::Graph] {
        let at = resident();
        let t = Instant::now();
        assert!(s.activate(kind), "{kind:?} builds");
        s.set_viewport(900.0, 600.0, 1.0);
        let model = resident() - at;
        total += model;
        println!("  + {:<12} {model:>7.1} MB (built in {:.0} ms)", kind.id(), t.elapsed().as_secs_f64() * 1e3);
    }
    println!(
        "four panes: the result once ({table_mb:.1} MB) and each view's own model: {:.1} MB more in all",
        total - table_mb
    );

    // One pane's selection into the three others: 200 single processes, then a range.
    assert!(s.activate(ViewKind::ProcessTree));
    let mut picks = Vec::new();
    let mut times = Vec::new();
    for item in (0..rows as u32).step_by((rows / 200).max(1)) {
        let _ = s.view_mut().select(item);
        let selected = s.view().selected_rows();
        if selected.is_empty() {
            continue;
        }
        picks.push(selected);
    }
    for rows_of in &picks {
        let t = Instant::now();
        for kind in [ViewKind::Timeline, ViewKind::Graph, ViewKind::Table] {
            assert!(s.activate(kind));
            let _ = s.view_mut().select_rows(rows_of);
        }
        times.push(t.elapsed().as_secs_f64() * 1e3);
    }
    times.sort_by(f64::total_cmp);
    let p = |q: f64| times[((times.len() - 1) as f64 * q).round() as usize];
    println!(
        "a process selected → timeline, graph and table: median {:.1} ms, p95 {:.1} ms, max {:.1} ms ({} selections)",
        p(0.5),
        p(0.95),
        p(1.0),
        times.len()
    );
    let range: Vec<u32> = (0..rows as u32 / 10).collect();
    let t = Instant::now();
    for kind in [ViewKind::ProcessTree, ViewKind::Graph, ViewKind::Table] {
        assert!(s.activate(kind));
        let _ = s.view_mut().select_rows(&range);
    }
    println!("a range of {} rows → tree, graph and table: {:.1} ms", range.len(), t.elapsed().as_secs_f64() * 1e3);

    // A search in every pane, then "matches only" on and off in every pane (each view's
    // own filter and its status line, what a toggle costs besides drawing).
    let kinds = [ViewKind::ProcessTree, ViewKind::Timeline, ViewKind::Graph, ViewKind::Table];
    for kind in kinds {
        assert!(s.activate(kind));
        let t = Instant::now();
        let n = s.view_mut().search("certutil", false).unwrap();
        println!(
            "  search \"certutil\" in the {:<12} {n:>7} matches, {:.1} ms",
            kind.id(),
            t.elapsed().as_secs_f64() * 1e3
        );
    }
    for on in [true, false, true, false] {
        let mut line = String::new();
        let all = Instant::now();
        for kind in kinds {
            assert!(s.activate(kind));
            let t = Instant::now();
            let _ = s.command(huntviz_session::Command::SetMatchesOnly { on }).unwrap();
            let _ = s.view().status_line(0);
            line.push_str(&format!(" {} {:.1} ms,", kind.id(), t.elapsed().as_secs_f64() * 1e3));
        }
        println!(
            "\"matches only\" {}: every pane {:.1} ms:{line}",
            if on { "on" } else { "off" },
            all.elapsed().as_secs_f64() * 1e3
        );
    }
}
