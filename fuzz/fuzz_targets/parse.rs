//! Any bytes: detection and every reader must return a table or an error, never panic;
//! whatever parses must then survive everything a view does with it.
#![no_main]

use huntviz_table::{parse, ParseOptions};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(d) = parse(data.to_vec(), &ParseOptions::default()) {
        exercise(&d);
    }
});

fn exercise(d: &huntviz_table::Dataset) {
    for t in &d.tables {
        for c in 0..t.columns.len() {
            let _ = t.sort_order(c, false);
            let _ = t.sort_order(c, true);
            for r in 0..t.rows().min(64) {
                let _ = t.cell_text(r, c);
                let mut s = String::new();
                let _ = t.write_cell_prefix(r, c, 7, &mut s);
            }
        }
        let _ = huntviz_table::schema::detect(t, &Default::default());
        let _ = huntviz_table::export::write_csv(t, &mut std::io::sink());
        let _ = huntviz_table::export::write_jsonl(t, &mut std::io::sink());
    }
    if let Some(t) = d.tables.first() {
        let theme = huntviz_draw::Theme::light();
        let mut g = huntviz_grid::Grid::new(std::sync::Arc::new(t.clone()), &theme);
        g.set_viewport(400.0, 200.0);
        let _ = g.scene(&theme);
        let _ = g.visible_text();
        g.toggle_sort(0);
        let _ = g.scene(&theme);
        // The timeline, when the result has a time column: build, draw, zoom, hit-test.
        let source = huntviz_timeline::Source::new("fuzz", std::sync::Arc::new(t.clone()), false);
        if let Ok(model) = huntviz_timeline::build(vec![source], &Default::default()) {
            let mut v = huntviz_timeline::TimelineView::new(model, &theme);
            v.set_viewport(500.0, 240.0);
            let _ = v.scene(&theme);
            let _ = v.wheel(300.0, 60.0, 0.0, -500.0, false);
            let _ = v.tooltip(300.0, 60.0);
            let _ = v.pointer_down(300.0, 60.0, false);
            let _ = v.pointer_up(300.0, 60.0);
            let _ = v.detail();
            let _ = v.search("a", false);
            let _ = v.step_match(true);
            let _ = v.scene(&theme);
            let _ = v.visible_text();
        }
        let schema = huntviz_table::schema::detect(t, &Default::default());
        // The process tree, when the result has process roles: build, open, draw, search, walk.
        if let Ok(forest) = huntviz_process_tree::build(t, &schema) {
            // What the tree promises on every input: no process twice, no parent that
            // started after its child but by a flagged rule, no link across hosts.
            if let Err(broken) = forest.check_invariants() {
                panic!("process-tree invariant broken: {broken}");
            }
            let options = huntviz_process_tree::view::TreeOptions {
                color_by: t.columns.first().map(|c| c.name.clone()),
                highlight: vec!["a".into(), "/[0-9]+/".into()],
                ..Default::default()
            };
            let table = std::sync::Arc::new(t.clone());
            let mut v = huntviz_process_tree::view::TreeView::new(table, &schema, forest, &theme, &options);
            v.set_viewport(400.0, 300.0);
            let _ = v.expand_all();
            let _ = v.scene(&theme);
            let _ = v.search("a", false);
            let _ = v.step_match(true);
            let _ = v.set_matches_only(true);
            let _ = v.search("(a|1)+$", true);
            let _ = v.pointer_move(40.0, 30.0);
            let _ = v.pointer_down(40.0, 30.0);
            for key in ["ArrowDown", "ArrowRight", "ArrowLeft", "End", "PageUp", "PageDown", "ArrowUp", "Enter", "Home"] {
                let _ = v.key(key);
            }
            let _ = v.detail();
            let _ = v.detail_value(0);
            let _ = v.selection_value();
            let _ = v.tooltip(40.0, 30.0);
            if let Some(node) = v.selected() {
                let _ = v.set_subtree(node, false);
                let _ = v.set_subtree(node, true);
                let _ = v.set_focus(Some(node));
                let _ = v.scene(&theme);
                let _ = v.set_focus(None);
            }
            let _ = v.set_color_by(t.columns.last().map(|c| c.name.as_str()));
            v.set_scroll(0.0, 1.0e6);
            let _ = v.collapse_all();
            let _ = v.expand_to_depth(2);
            let _ = v.scene(&theme);
            let _ = v.visible_text();
        }
        // The graph, when the result has entities or an edge list: build, lay out, draw.
        if let Ok(g) = huntviz_graph::build(t, &schema, &Default::default()) {
            let mut v = huntviz_graph::GraphView::new(g, &theme, None);
            v.set_viewport(400.0, 300.0);
            for _ in 0..5 {
                v.tick();
            }
            let _ = v.scene(&theme);
            let _ = v.tooltip(200.0, 150.0);
            let _ = v.pointer_down(200.0, 150.0);
            let _ = v.pointer_move(220.0, 160.0);
            let _ = v.pointer_up(220.0, 160.0);
            let _ = v.search("a", false);
            let _ = v.step_match(true);
            let _ = v.detail();
            let _ = v.visible_text();
        }
    }
}
