//! Where the time of opening a process tree goes, natively:
//! `cargo run --release -p huntviz-process-tree --example tree_timing FILE`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stdout)]
use std::sync::Arc;
use std::time::Instant;

use huntviz_draw::Theme;
use huntviz_process_tree::build;
use huntviz_process_tree::view::{TreeOptions, TreeView};
use huntviz_table::{parse, schema, ParseOptions};

fn main() {
    let path = std::env::args().nth(1).expect("usage: tree_timing FILE");
    let bytes = std::fs::read(&path).expect("read");
    let t = Instant::now();
    let d = parse(bytes, &ParseOptions::default()).expect("parse");
    let parse_ms = t.elapsed().as_secs_f64() * 1e3;
    let table = Arc::new(d.tables.into_iter().next().expect("a table"));
    let t = Instant::now();
    let info = schema::detect(&table, &Default::default());
    let detect_ms = t.elapsed().as_secs_f64() * 1e3;
    // The fastest of five builds: one run on a shared machine is noisy.
    let mut build_ms = f64::MAX;
    let mut forest = None;
    for _ in 0..5 {
        let t = Instant::now();
        forest = Some(build(&table, &info).expect("build"));
        build_ms = build_ms.min(t.elapsed().as_secs_f64() * 1e3);
    }
    let forest = forest.expect("built");
    let t = Instant::now();
    let mut view = TreeView::new(table, &info, forest, &Theme::light(), &TreeOptions::default());
    let view_ms = t.elapsed().as_secs_f64() * 1e3;
    let t = Instant::now();
    let matches = view.search("certutil", false).expect("search");
    let search_ms = t.elapsed().as_secs_f64() * 1e3;
    println!("search \"certutil\": {matches} matches in {search_ms:.0} ms");
    println!(
        "parse {parse_ms:.0} ms · detect {detect_ms:.0} ms · build {build_ms:.0} ms (best of 5) · view {view_ms:.0} ms · {}",
        view.status_line(0)
    );
}
