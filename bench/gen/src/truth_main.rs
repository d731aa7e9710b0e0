//! `huntviz-truth SHAPE ROWS [--seed S] [-o FILE] [--truth FILE]`: a process-tree
//! ground-truth result as CSV (`SHAPE` is `defender-internal` or `memory-snapshot`;
//! see `huntviz_bench_gen::truth`), and with `--truth` each row's true parent as JSON
//! lines: `{"row", "pid", "parent_row" (null when the parent is not listed),
//! "parent_pid"}`.

use std::io::Write;

use huntviz_bench_gen::truth::{defender_internal, memory_snapshot};

const USAGE: &str = "usage: huntviz-truth defender-internal|memory-snapshot ROWS [--seed S] [-o FILE] [--truth FILE]";

fn fail(message: &str) -> ! {
    eprintln!("huntviz-truth: {message}");
    std::process::exit(2)
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (mut shape, mut rows, mut seed, mut out, mut truth_out) = (None, None, 1u64, None, None);
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--seed" => seed = it.next().and_then(|s| s.parse().ok()).unwrap_or_else(|| fail(USAGE)),
            "-o" | "--out" => out = it.next().cloned(),
            "--truth" => truth_out = it.next().cloned(),
            "-h" | "--help" => fail(USAGE),
            s if shape.is_none() => shape = Some(s.to_string()),
            s => rows = Some(s.replace('_', "").parse::<usize>().unwrap_or_else(|_| fail(USAGE))),
        }
    }
    let rows = rows.unwrap_or_else(|| fail(USAGE));
    let truth = match shape.as_deref() {
        Some("defender-internal") => defender_internal(rows, seed),
        Some("memory-snapshot") => memory_snapshot(rows, seed),
        _ => fail(USAGE),
    };
    let write = |path: &Option<String>, text: &str| match path {
        Some(p) => std::fs::write(p, text).unwrap_or_else(|e| fail(&format!("cannot write {p}: {e}"))),
        None => std::io::stdout().lock().write_all(text.as_bytes()).unwrap_or_else(|e| fail(&e.to_string())),
    };
    write(&out, &truth.text);
    if truth_out.is_some() {
        let row_of = truth.row_of_process();
        let mut lines = String::new();
        for (row, &p) in truth.rows.iter().enumerate() {
            let parent = truth.processes[p].parent;
            let parent_row = parent.and_then(|q| row_of[q]).map_or("null".to_string(), |r| r.to_string());
            let parent_pid = parent.map_or("null".to_string(), |q| truth.processes[q].pid.to_string());
            lines.push_str(&format!(
                "{{\"row\":{row},\"pid\":{},\"parent_row\":{parent_row},\"parent_pid\":{parent_pid}}}\n",
                truth.processes[p].pid
            ));
        }
        write(&truth_out, &lines);
    }
}
