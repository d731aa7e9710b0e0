//! The session decides what the browser binding used to: the view `auto` picks for
//! every kind of result, what a requested view falls back to and why, every option
//! error, switching without reading the result again, extra datasets, the one typed
//! command dispatch and the toolbar state — all on the host.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use huntviz_draw::Theme;
use huntviz_session::{Command, Session, Spec, ViewKind, ViewState, WarningKind};
use serde_json::json;

fn fixture(name: &str) -> Vec<u8> {
    let path = format!("{}/../../tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn spec(view: Option<&str>, options: serde_json::Value) -> Spec {
    Spec {
        view: view.map(str::to_string),
        options: options.as_object().cloned().unwrap_or_default(),
        notes: Vec::new(),
    }
}

fn open(name: &str, view: Option<&str>, options: serde_json::Value) -> Session {
    Session::open(fixture(name), spec(view, options), Theme::light()).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn open_text(text: &str, view: Option<&str>, options: serde_json::Value) -> Session {
    Session::open(text.as_bytes().to_vec(), spec(view, options), Theme::light()).unwrap()
}

/// A result with nothing but a number and a string column.
const PLAIN: &str = "n,word\n1,x\n2,y\n";

fn warning_with(s: &Session, needle: &str) -> Option<huntviz_session::Warning> {
    s.warnings().into_iter().find(|w| w.message.contains(needle))
}

#[test]
fn auto_picks_the_view_the_result_calls_for() {
    for (file, want) in [
        ("sysmon.csv", ViewKind::ProcessTree),
        ("memory_snapshot.csv", ViewKind::ProcessTree),
        ("alert_entities.json", ViewKind::Graph),
        ("timeline_events.json", ViewKind::Timeline),
    ] {
        let s = open(file, None, json!({}));
        assert_eq!(s.active(), want, "{file}");
        assert_eq!(s.auto_choice(), want, "{file}");
        assert_eq!(open(file, Some("auto"), json!({})).active(), want, "{file}: \"auto\" is the same as none");
    }
    // Nothing but strings and numbers: the table.
    assert_eq!(open_text(PLAIN, None, json!({})).active(), ViewKind::Table);
    // Two columns named like an edge list make a graph.
    let edges = "SrcIP,DestIP,Bytes\n10.0.0.1,10.0.0.2,5\n10.0.0.2,10.0.0.3,7\n";
    assert_eq!(open_text(edges, None, json!({})).active(), ViewKind::Graph);
    // A KQL `render timechart` hint opens the timeline.
    // A KQL `render timechart` hint opens the timeline as a chart of the result's number.
    let hinted = r#"{"tables":[{"name":"PrimaryResult","columns":[{"name":"t","type":"datetime"},{"name":"n","type":"long"}],"rows":[["2024-01-01T00:00:00Z",1]]}],
        "render":{"visualization":"timechart"}}"#;
    let s = open_text(hinted, None, json!({}));
    assert_eq!(s.active(), ViewKind::Timeline);
    assert_eq!(s.options().timeline.value_column.as_deref(), Some("n"));
}

#[test]
fn a_view_that_cannot_be_built_falls_back_to_the_table_and_says_why() {
    let s = open_text(PLAIN, Some("process-tree"), json!({}));
    assert_eq!(s.active(), ViewKind::Table);
    let w = warning_with(&s, "the process tree cannot be built").unwrap();
    assert_eq!(w.kind, WarningKind::View);
    assert!(w.message.contains("no process id and parent process id columns"), "{}", w.message);
    assert!(s.why_not(ViewKind::ProcessTree).is_some());
    let s = open_text(PLAIN, Some("timeline"), json!({}));
    assert_eq!(s.active(), ViewKind::Table);
    assert!(warning_with(&s, "the timeline cannot be built").is_some());
    // The table itself never fails, and auto falling back to it says nothing.
    let s = open_text(PLAIN, Some("table"), json!({}));
    assert!(s.warnings().iter().all(|w| w.kind != WarningKind::View));
    assert_eq!(s.views(), [ViewKind::Table]);
}

#[test]
fn unknown_views_and_formats_are_errors_naming_them() {
    let err = |view: Option<&str>, options| {
        Session::open(fixture("sysmon.csv"), spec(view, options), Theme::light()).err().map(|e| e.to_string())
    };
    let e = err(Some("pie-chart"), json!({})).unwrap();
    assert!(e.contains("unknown view \"pie-chart\": use one of auto, table, process-tree, timeline, graph"), "{e}");
    let e = err(None, json!({"format": "xml"})).unwrap();
    assert!(e.contains("unknown format \"xml\""), "{e}");
    // A forced format is used.
    assert!(err(None, json!({"format": "csv"})).is_none());
    assert!(err(None, json!({"format": "kusto-v2"})).is_some(), "a CSV is not a Kusto response");
}

#[test]
fn every_option_problem_is_a_warning_of_kind_option_naming_it() {
    let s = open(
        "sysmon.csv",
        None,
        json!({
            "no_such_option": 1,
            "color_by": 5,
            "pid_format": "octal",
            "expand_depth": "deep",
            "highlight": {"a": 1},
            "focus": [1],
            "columns": {"process_id": 7, "nonsense_role": "x"},
            "group_by": 3,
            "kind": "pie",
            "directed": "yes",
        }),
    );
    let options: Vec<String> =
        s.warnings().into_iter().filter(|w| w.kind == WarningKind::Option).map(|w| w.message).collect();
    for needle in [
        "unknown option \"no_such_option\"",
        "options.color_by must be a column name",
        "options.pid_format must be",
        "options.expand_depth must be a whole number",
        "options.highlight must be",
        "options.focus must be",
        "options.columns.process_id must be a column name",
        "unknown role \"nonsense_role\"",
        "options.group_by must be a column name",
        "options.kind must be",
        "options.directed must be true or false",
    ] {
        assert!(options.iter().any(|m| m.contains(needle)), "{needle} not in {options:?}");
    }
    // Known options give no warning.
    let s = open("sysmon.csv", None, json!({"expand_depth": 1, "pid_format": "hex", "height": 300}));
    assert!(s.warnings().iter().all(|w| w.kind != WarningKind::Option), "{:?}", s.warnings());
}

#[test]
fn result_warnings_keep_their_kind() {
    // A Kusto v2 partial result: its errors are partial errors, not just text.
    let s = open("kusto_v2_progressive.json", None, json!({}));
    let kinds: Vec<WarningKind> = s.warnings().iter().map(|w| w.kind).collect();
    assert!(!kinds.is_empty());
    // The process tree's own notices are data warnings with their counts.
    let s = open("memory_snapshot.csv", None, json!({}));
    let reused = warning_with(&s, "reused").unwrap();
    assert_eq!((reused.kind, reused.count), (WarningKind::Data, Some(2)));
    let offset = warning_with(&s, "without a UTC offset").unwrap();
    assert_eq!(offset.kind, WarningKind::NoOffset);
    assert!(s.status().ends_with("· 3 warnings"), "{}", s.status());
}

#[test]
fn switching_builds_each_view_once_and_keeps_its_state() {
    let mut s = open("timeline_events.json", Some("table"), json!({}));
    s.set_viewport(900.0, 400.0, 1.0);
    assert_eq!(s.views(), [ViewKind::Table, ViewKind::Timeline]);
    assert!(s.switch(ViewKind::Timeline));
    let _ = s.command(Command::Zoom { factor: 0.5 }).unwrap();
    let ViewState::Timeline { range_text: zoomed, .. } = s.state() else { panic!("a timeline") };
    assert!(s.switch(ViewKind::Table));
    assert!(s.switch(ViewKind::Timeline));
    let ViewState::Timeline { range_text, .. } = s.state() else { panic!("a timeline") };
    assert_eq!(range_text, zoomed, "the timeline kept its zoom");
    assert!(!s.switch(ViewKind::ProcessTree));
    assert_eq!(s.active(), ViewKind::Table);
}

#[test]
fn commands_reach_only_the_view_that_has_them() {
    let mut s = open("sysmon.csv", None, json!({}));
    s.set_viewport(1200.0, 400.0, 1.0);
    let rows = s.view().row_count();
    s.command(Command::CollapseAll).unwrap();
    assert!(s.view().row_count() < rows);
    s.command(Command::ExpandAll).unwrap();
    assert_eq!(s.view().row_count(), rows);
    s.command(Command::SetColorBy { column: "Image".into() }).unwrap();
    assert!(!s.view().legend().is_empty());
    let e = s.command(Command::Fit).unwrap_err();
    assert!(e.to_string().contains("the process tree has no command fit"), "{e}");
    let state = s.state();
    let ViewState::ProcessTree { focused, color_choices, color_by, link_legend } = &state else { panic!("{state:?}") };
    assert!(!focused && color_choices.contains(&"Image".to_string()) && !link_legend.is_empty(), "{state:?}");
    assert_eq!(color_by.as_deref(), Some("Image"), "the toolbar shows the colouring in force");
    let mut t = open_text(PLAIN, None, json!({}));
    assert!(t.command(Command::ExpandAll).is_err());
    assert_eq!(t.state(), ViewState::Table);
}

#[test]
fn a_grouping_the_data_does_not_allow_keeps_the_timeline() {
    let mut s = open("timeline_events.json", None, json!({}));
    s.set_viewport(900.0, 400.0, 1.0);
    let status = s.status();
    let e = s
        .command(Command::SetGrouping {
            group_by: "NoSuchColumn".into(),
            color_by: String::new(),
            lane_order: "first".into(),
        })
        .unwrap_err();
    assert!(e.to_string().contains("NoSuchColumn"), "{e}");
    assert_eq!(s.status(), status);
    s.command(Command::SetGrouping {
        group_by: "ActionType".into(),
        color_by: String::new(),
        lane_order: "name".into(),
    })
    .unwrap();
    let ViewState::Timeline { group_by, .. } = s.state() else { panic!() };
    assert_eq!(group_by, "ActionType");
}

#[test]
fn datasets_join_the_timeline_and_bad_ones_say_why() {
    let mut s = open("timeline_events.json", None, json!({}));
    let lanes = s.view().row_count();
    s.add_dataset("More", "events", fixture("timeline_events.json")).unwrap();
    assert_eq!(s.active(), ViewKind::Timeline);
    assert!(s.view().row_count() != lanes || s.status().contains("events"));
    let ViewState::Timeline { group_choices, .. } = s.state() else { panic!() };
    assert_eq!(group_choices.first().map(String::as_str), Some("dataset"));
    let e = s.add_dataset("X", "charts", fixture("timeline_events.json")).unwrap_err();
    assert!(e.to_string().contains("unknown kind \"charts\""), "{e}");
    let e = s.add_dataset("Broken", "events", b"{\"tables\": [".to_vec()).unwrap_err();
    assert!(e.to_string().starts_with("dataset \"Broken\": "), "{e}");
}

#[test]
fn the_tree_options_reach_the_tree() {
    let rows = |options| {
        let mut s = open("sysmon.csv", None, options);
        s.set_viewport(1200.0, 400.0, 1.0);
        s.view().row_count()
    };
    assert!(rows(json!({"expand_depth": 1})) < rows(json!({})));
    let mut s = open("sysmon.csv", None, json!({"pid_format": "hex"}));
    s.set_viewport(1200.0, 400.0, 1.0);
    assert!(s.view().visible_text().rows.iter().any(|r| r.cells.get(1).is_some_and(|c| c.starts_with("0x"))));
}

#[test]
fn several_tables_are_noted() {
    let two = r#"{"tables":[{"name":"PrimaryResult","columns":[{"name":"a","type":"string"}],"rows":[["x"]]},
        {"name":"Second","columns":[{"name":"b","type":"long"}],"rows":[[1]]}]}"#;
    let s = open_text(two, None, json!({}));
    assert_eq!(s.tables(), 2);
    let w = warning_with(&s, "the result has 1 more table; huntviz shows the primary result").unwrap();
    assert_eq!((w.kind, w.count), (WarningKind::Structure, Some(1)));
}

#[test]
fn commands_read_as_the_typescript_side_writes_them() {
    let read = |json: &str| serde_json::from_str::<Command>(json).map_err(|e| e.to_string());
    for (json, want) in [
        (r#"{"command":"expand_all"}"#, Command::ExpandAll),
        (r#"{"command":"collapse_all"}"#, Command::CollapseAll),
        (r#"{"command":"expand_to_depth","depth":3}"#, Command::ExpandToDepth { depth: 3 }),
        (r#"{"command":"set_focus","on":true}"#, Command::SetFocus { on: true }),
        (r#"{"command":"set_matches_only","on":false}"#, Command::SetMatchesOnly { on: false }),
        (r#"{"command":"set_color_by","column":"User"}"#, Command::SetColorBy { column: "User".into() }),
        (r#"{"command":"zoom","factor":0.5}"#, Command::Zoom { factor: 0.5 }),
        (
            r#"{"command":"set_time_zone","offset_minutes":330,"name":"Asia/Kolkata"}"#,
            Command::SetTimeZone { offset_minutes: 330, name: "Asia/Kolkata".into() },
        ),
        (
            r#"{"command":"set_grouping","group_by":"A","color_by":"","lane_order":"count"}"#,
            Command::SetGrouping { group_by: "A".into(), color_by: String::new(), lane_order: "count".into() },
        ),
        (r#"{"command":"fit"}"#, Command::Fit),
        (r#"{"command":"relayout"}"#, Command::Relayout),
    ] {
        let command = read(json).unwrap();
        assert_eq!(command, want);
        // The name the TypeScript type spells is the one the command reports.
        assert!(json.contains(&format!("\"{}\"", command.name())), "{json}");
    }
    for (json, says) in [
        (r#"{"command":"zoom"}"#, "the command zoom needs factor"),
        (r#"{"command":"explode"}"#, "unknown command \"explode\""),
        (r#"{"command":"fit","speed":1}"#, "unknown field `speed`"),
    ] {
        let e = read(json).unwrap_err();
        assert!(e.contains(says), "{json}: {e}");
    }
}

/// Every field of the detail that names a column holds that column's cell of `row`.
fn detail_is_row(s: &Session, row: usize) -> usize {
    let d = s.view().detail().expect("a detail");
    let table = s.table();
    let mut checked = 0;
    for (i, (name, _)) in d.fields.iter().enumerate() {
        if let Some(c) = table.column_index(name) {
            assert_eq!(s.view().detail_value(i), table.cell_text(row, c), "{name} of row {row}");
            checked += 1;
        }
    }
    checked
}

#[test]
fn the_selection_names_the_result_rows_behind_it_in_every_view() {
    // Process tree: a process's row (its detail's fields are that row's cells); an
    // inferred process has none.
    let demo = format!("{}/../../examples/data/process_events.json", env!("CARGO_MANIFEST_DIR"));
    let mut s =
        Session::open(std::fs::read(demo).unwrap(), spec(Some("process-tree"), json!({})), Theme::light()).unwrap();
    s.set_viewport(1200.0, 600.0, 1.0);
    assert!(s.view().selected_rows().is_empty(), "nothing selected yet");
    let (mut real, mut inferred) = (0, 0);
    for item in 0..1100u32 {
        let _ = s.view_mut().select(item);
        let Some(d) = s.view().detail().filter(|d| d.item == item) else { continue };
        let rows = s.view().selected_rows();
        if d.inferred {
            assert!(rows.is_empty(), "an inferred process has no row");
            inferred += 1;
        } else {
            assert_eq!(rows.len(), 1);
            assert!(detail_is_row(&s, rows[0] as usize) > 3);
            real += 1;
        }
    }
    assert!(real > 1000 && inferred > 0, "{real} processes, {inferred} inferred");

    // Timeline: the event's row.
    let mut s = open("timeline_events.json", Some("timeline"), json!({}));
    s.set_viewport(1200.0, 600.0, 1.0);
    let rows = s.table().rows();
    let mut seen = std::collections::HashSet::new();
    let mut events = 0;
    for event in 0..rows as u32 {
        let _ = s.view_mut().select(event);
        if s.view().detail().is_none_or(|d| d.item != event) {
            break; // past the last event (rows without a time are no event)
        }
        let selected = s.view().selected_rows();
        assert_eq!(selected.len(), 1);
        assert!(detail_is_row(&s, selected[0] as usize) > 1);
        seen.insert(selected[0]);
        events += 1;
    }
    assert!(events > rows / 2 && seen.len() == events, "each event its own row: {events} events, {} rows", seen.len());

    // Graph: the rows an entity came from, as its detail lists them (1-based).
    let mut s = open("alert_entities.json", Some("graph"), json!({}));
    s.set_viewport(1200.0, 600.0, 1.0);
    let mut with_rows = 0;
    for item in 0..50u32 {
        let _ = s.view_mut().select(item);
        let Some(d) = s.view().detail().filter(|d| d.item == item) else { break };
        let listed: Vec<u32> = d
            .fields
            .iter()
            .find(|(name, _)| name == "from rows")
            .map(|(_, v)| v.split(|c: char| !c.is_ascii_digit()).filter_map(|n| n.parse::<u32>().ok()).collect())
            .unwrap_or_default();
        let rows: Vec<u32> = s.view().selected_rows().iter().map(|r| r + 1).collect();
        assert_eq!(rows, listed, "entity {item}");
        with_rows += usize::from(!rows.is_empty());
    }
    assert!(with_rows > 3);

    // Table: the selected cell's row, through a sort.
    let mut s = open("timeline_events.json", Some("table"), json!({}));
    s.set_viewport(1200.0, 600.0, 1.0);
    let _ = s.view_mut().key("ArrowDown", false, false);
    let _ = s.view_mut().key("ArrowDown", false, false);
    let cell = s.view().selection().expect("a cell");
    assert_eq!(s.view().selected_rows(), vec![cell.row as u32]);
}

#[test]
fn selecting_a_result_row_selects_its_item_in_every_view() {
    let demo = format!("{}/../../examples/data/process_events.json", env!("CARGO_MANIFEST_DIR"));
    let bytes = std::fs::read(demo).unwrap();
    for view in ["process-tree", "timeline", "table"] {
        let mut s = Session::open(bytes.clone(), spec(Some(view), json!({})), Theme::light()).unwrap();
        s.set_viewport(1200.0, 600.0, 1.0);
        let rows = s.table().rows() as u32;
        for row in (0..rows).step_by(7) {
            let r = s.view_mut().select_row(row);
            assert!(r.selection, "{view}: row {row} selects something");
            assert_eq!(s.view().selected_rows(), vec![row], "{view}: row {row}");
        }
        assert!(!s.view_mut().select_row(rows).selection, "{view}: no item for a row past the end");
    }
    // The graph: the most specific entity made from the row.
    let mut s = open("alert_entities.json", Some("graph"), json!({}));
    s.set_viewport(1200.0, 600.0, 1.0);
    for row in 0..s.table().rows() as u32 {
        if s.view_mut().select_row(row).selection {
            assert!(s.view().selected_rows().contains(&row), "graph: row {row}");
        }
    }
}

#[test]
fn panes_share_one_parsed_result_and_a_selection_in_one_selects_the_same_rows_in_the_others() {
    // An investigation of process events: the tree, the timeline, a graph of accounts
    // and hosts, and the table, each its own pane (viewport) over one session.
    let demo = format!("{}/../../examples/data/process_events.json", env!("CARGO_MANIFEST_DIR"));
    let options = json!({"source": "AccountName", "target": "DeviceName"});
    let mut s =
        Session::open(std::fs::read(demo).unwrap(), spec(Some("process-tree"), options), Theme::light()).unwrap();
    let table = std::sync::Arc::clone(s.table());
    let panes = [ViewKind::ProcessTree, ViewKind::Timeline, ViewKind::Graph, ViewKind::Table];
    for (i, &kind) in panes.iter().enumerate() {
        assert!(s.activate(kind), "{kind:?} builds");
        s.set_viewport(600.0 + 100.0 * i as f32, 400.0, 1.0);
    }
    // One parsed copy: every view holds the same table (no view re-reads the result).
    assert!(std::sync::Arc::ptr_eq(&table, s.table()));

    // A process clicked in the tree: its event on the timeline, its row in the table,
    // the entities made from it in the graph — each selected and marked in the mirror.
    assert!(s.activate(ViewKind::ProcessTree));
    let mut picked = None;
    for item in 0..200u32 {
        let _ = s.view_mut().select(item);
        if s.view().selected_rows().len() == 1 {
            picked = Some(s.view().selected_rows());
            break;
        }
    }
    let rows = picked.expect("a process with a row");
    for &kind in &panes[1..] {
        assert!(s.activate(kind));
        let r = s.view_mut().select_rows(&rows);
        assert!(r.selection, "{kind:?}");
        let got = s.view().selected_rows();
        assert!(got.contains(&rows[0]), "{kind:?} selects what row {} is in: {got:?}", rows[0]);
        if kind != ViewKind::Graph {
            assert_eq!(got, rows, "{kind:?}");
        }
        assert!(s.view().detail().is_some() || kind == ViewKind::Table, "{kind:?} details it");
    }
    assert!(s.activate(ViewKind::Table));
    let marked: Vec<usize> = s.view().visible_text().rows.iter().filter(|r| r.selected).map(|r| r.row - 1).collect();
    assert_eq!(marked, vec![rows[0] as usize], "the table's mirror marks the row");
    assert!(s.activate(ViewKind::Graph));
    let text = s.view().visible_text();
    let account = table.cell_text(rows[0] as usize, table.column_index("AccountName").unwrap()).unwrap();
    assert!(
        text.rows.iter().any(|r| r.selected && r.cells[0] == account),
        "the graph's mirror marks the account {account}"
    );

    // Many rows (a brushed range) select many processes, and the rest are dimmed.
    let many: Vec<u32> = (0..table.rows() as u32).step_by(10).collect();
    assert!(s.activate(ViewKind::ProcessTree));
    let _ = s.view_mut().select_rows(&many);
    let got = s.view().selected_rows();
    assert!(got.len() > 50 && got.iter().all(|r| many.binary_search(r).is_ok()), "{} processes", got.len());
    // No rows: nothing selected anywhere.
    for &kind in &panes {
        assert!(s.activate(kind));
        let _ = s.view_mut().select_rows(&[]);
        assert!(s.view().selected_rows().is_empty(), "{kind:?}");
    }
}

#[test]
fn matches_only_applies_in_every_pane_of_one_result() {
    let demo = format!("{}/../../examples/data/process_events.json", env!("CARGO_MANIFEST_DIR"));
    let options = json!({"source": "AccountName", "target": "DeviceName"});
    let mut s =
        Session::open(std::fs::read(demo).unwrap(), spec(Some("process-tree"), options), Theme::light()).unwrap();
    let table = std::sync::Arc::clone(s.table());
    let hits: Vec<usize> = (0..table.rows())
        .filter(|&r| {
            (0..table.columns.len())
                .any(|c| table.cell_text(r, c).is_some_and(|v| v.to_lowercase().contains("certutil")))
        })
        .collect();
    assert!(hits.len() > 5 && hits.len() < 100, "{}", hits.len());
    let panes = [ViewKind::ProcessTree, ViewKind::Timeline, ViewKind::Graph, ViewKind::Table];
    for &kind in &panes {
        assert!(s.activate(kind));
        s.set_viewport(800.0, 2000.0, 1.0);
        let before = s.view().row_count();
        assert!(s.view_mut().search("certutil", false).unwrap() > 0, "{kind:?}");
        let r = s.command(Command::SetMatchesOnly { on: true }).unwrap();
        assert!(r.redraw, "{kind:?} filters");
        let line = s.view().status_line(0);
        assert!(line.contains(" · matches only: "), "{kind:?}: {line}");
        if kind != ViewKind::Graph {
            assert!(s.view().row_count() < before, "{kind:?} shows fewer");
        }
    }
    let n = huntviz_draw::text::thousands(hits.len());
    assert!(s.activate(ViewKind::Table));
    assert_eq!(s.view().row_count(), hits.len());
    let shown: Vec<usize> = s.view().visible_text().rows.iter().map(|r| r.row - 1).collect();
    assert_eq!(shown, hits, "the table shows exactly the matching rows");
    assert!(s.activate(ViewKind::Timeline));
    assert!(s.view().status_line(0).contains(&format!("matches only: {n} of 1,010 events")));
    assert!(s.view().selected_rows().is_empty());
    // Every pane gives everything back.
    for &kind in &panes {
        assert!(s.activate(kind));
        let _ = s.command(Command::SetMatchesOnly { on: false }).unwrap();
        assert!(!s.view().status_line(0).contains("matches only"), "{kind:?}");
    }
}
