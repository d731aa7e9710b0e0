//! `huntviz-parse-bench FILE [--repeats N]`: native parse + type throughput of a file
//! (read once, parsed N times; the median is reported), for BENCHMARKS.md next to the
//! wasm figures from bench/run.mjs.

use std::time::Instant;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let Some(path) = args.get(1) else {
        eprintln!("usage: huntviz-parse-bench FILE [--repeats N]");
        std::process::exit(2);
    };
    let repeats: usize = args
        .iter()
        .position(|a| a == "--repeats")
        .and_then(|i| args.get(i + 1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(5);
    let bytes = std::fs::read(path).unwrap_or_else(|e| {
        eprintln!("cannot read {path}: {e}");
        std::process::exit(1)
    });
    let options = huntviz_table::ParseOptions { validate_utf8: false, ..Default::default() };
    let mut times = Vec::new();
    let mut rows = 0;
    let mut memory = 0;
    for _ in 0..repeats.max(1) {
        let input = bytes.clone();
        let t0 = Instant::now();
        let d = huntviz_table::parse(input, &options).unwrap_or_else(|e| {
            eprintln!("{path}: {e}");
            std::process::exit(1)
        });
        times.push(t0.elapsed().as_secs_f64());
        if let Some(t) = d.primary() {
            rows = t.rows();
            memory = t.store().heap_bytes() + t.columns.iter().map(|c| c.heap_bytes()).sum::<usize>();
        }
    }
    times.sort_by(f64::total_cmp);
    let median = times[times.len() / 2];
    let mb = bytes.len() as f64 / 1e6;
    println!(
        "{{\"file\":{:?},\"bytes\":{},\"rows\":{},\"median_ms\":{:.1},\"mb_per_s\":{:.0},\"memory_ratio\":{:.2}}}",
        path,
        bytes.len(),
        rows,
        median * 1000.0,
        mb / median,
        memory as f64 / bytes.len() as f64
    );
}
