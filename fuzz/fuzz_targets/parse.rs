//! Any bytes: detection and every reader must return a table or an error, never panic;
//! whatever parses must then survive everything a host does with it: every view the
//! session offers, every event of the view contract, every command.
#![no_main]

use huntviz_draw::view::View;
use huntviz_draw::Theme;
use huntviz_session::{Command, Session, Spec};
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
    // Every view the result can be shown in, driven as a host drives it: through the
    // session, the view contract and the command dispatch.
    let options = serde_json::json!({
        "color_by": d.tables.first().and_then(|t| t.columns.first()).map(|c| c.name.clone()),
        "highlight": ["a", "/[0-9]+/"],
    });
    let spec = Spec { view: None, options: options.as_object().cloned().unwrap_or_default(), notes: Vec::new() };
    let Ok(mut session) = Session::from_dataset(d.clone(), spec, Theme::light()) else { return };
    session.set_viewport(400.0, 300.0, 1.0);
    let _ = session.status();
    let _ = session.warnings();
    for kind in session.views() {
        session.switch(kind);
        exercise_view(session.view_mut());
        for command in [
            Command::ExpandAll,
            Command::SetMatchesOnly { on: true },
            Command::SetFocus { on: true },
            Command::SetFocus { on: false },
            Command::SetColorBy { column: d.tables[0].columns.last().map(|c| c.name.clone()).unwrap_or_default() },
            Command::CollapseAll,
            Command::ExpandToDepth { depth: 2 },
            Command::Zoom { factor: 0.25 },
            Command::SetTimeZone { offset_minutes: -330, name: "IST".into() },
            Command::SetGrouping { group_by: String::new(), color_by: String::new(), lane_order: "count".into() },
            Command::Fit,
            Command::Relayout,
        ] {
            let _ = session.command(command);
            let _ = session.state();
        }
        session.view_mut().set_scroll(0.0, 1.0e6);
        let _ = session.view().scene(session.theme());
        let _ = session.export_svg();
    }
    // What the tree promises on every input: no process twice, no parent that started
    // after its child but by a flagged rule, no link across hosts.
    if let Ok(forest) = huntviz_process_tree::build(session.table(), session.schema()) {
        if let Err(broken) = forest.check_invariants() {
            panic!("process-tree invariant broken: {broken}");
        }
    }
}

/// Everything the view contract offers, at a few points.
fn exercise_view(v: &mut dyn View) {
    let theme = Theme::light();
    for _ in 0..5 {
        v.tick();
    }
    let _ = v.scene(&theme);
    let _ = v.visible_text();
    let _ = v.wheel(300.0, 60.0, 0.0, -500.0, false);
    let _ = v.tooltip(40.0, 30.0);
    let _ = v.pointer_move(40.0, 30.0);
    let _ = v.pointer_down(40.0, 30.0, false);
    let _ = v.pointer_move(60.0, 40.0);
    let _ = v.pointer_up(60.0, 40.0);
    let _ = v.double_click(200.0, 150.0, false);
    for key in ["ArrowDown", "ArrowRight", "ArrowLeft", "End", "PageUp", "PageDown", "ArrowUp", "Enter", "Home", "+", "0"] {
        let _ = v.key(key, false, false);
    }
    let _ = v.detail();
    let _ = v.detail_value(0);
    let _ = v.selection();
    let _ = v.selection_value();
    let _ = v.select(0);
    let _ = v.search("a", false);
    let _ = v.search_step(true);
    let _ = v.search("(a|1)+$", true);
    let _ = v.match_position();
    let _ = v.toggle_legend(0);
    let _ = v.legend();
    let _ = v.scene(&theme);
    let _ = v.export_scene(&theme);
}
