//! Native timing of the graph pipeline on a generated graph (the benchmark's shape):
//! `cargo run --release -p huntviz-graph --example graph_timing [NODES] [EDGES]`.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::time::Instant;

fn main() {
    let args: Vec<usize> = std::env::args().skip(1).filter_map(|a| a.parse().ok()).collect();
    let (nodes, edges) = (args.first().copied().unwrap_or(10_000), args.get(1).copied().unwrap_or(50_000));
    let mut s = 42u64;
    let mut rand = move || {
        s = s.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        (s >> 33) as f64 / (1u64 << 31) as f64
    };
    let mut seen = std::collections::HashSet::new();
    let mut csv = String::from("source,target\n");
    let mut n = 0;
    while n < edges {
        let a = (rand() * nodes as f64) as usize;
        let b = if rand() < 0.9 {
            (a / 100 * 100 + (rand() * 100.0) as usize).min(nodes - 1)
        } else {
            (rand() * nodes as f64) as usize
        };
        if a != b && seen.insert((a.min(b), a.max(b))) {
            csv.push_str(&format!("n{a},n{b}\n"));
            n += 1;
        }
    }
    let t = Instant::now();
    let mut d = huntviz_table::parse(csv.into_bytes(), &Default::default()).unwrap();
    let table = d.tables.swap_remove(0);
    let schema = huntviz_table::schema::detect(&table, &Default::default());
    let g = huntviz_graph::build(
        &table,
        &schema,
        &huntviz_graph::GraphOptions { directed: Some(false), ..Default::default() },
    )
    .unwrap();
    println!("parse + build: {:?} ({} nodes, {} edges)", t.elapsed(), g.graph.node_count(), g.graph.edge_count());
    let theme = huntviz_draw::Theme::light();
    let mut v = huntviz_graph::GraphView::new(g, &theme, None);
    v.set_viewport(1200.0, 600.0);
    let t = Instant::now();
    let mut k = 0;
    while v.tick() {
        k += 1;
        if k % 100 == 0 {
            println!("  {k} iterations, {:?}", t.elapsed());
        }
    }
    println!(
        "layout: {} iterations in {:?} ({:?} per iteration)",
        v.layout().iterations,
        t.elapsed(),
        t.elapsed() / v.layout().iterations.max(1)
    );
    let t = Instant::now();
    let mut scene = v.scene(&theme);
    for _ in 0..19 {
        scene = v.scene(&theme);
    }
    println!("scene: {:?} each, {} items", t.elapsed() / 20, scene.items.len());
    if let Ok(path) = std::env::var("HV_SVG") {
        std::fs::write(path, huntviz_draw::to_svg(&scene, &theme)).unwrap();
    }
}
