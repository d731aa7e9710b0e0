//! The timeline: lanes, series, density equal to the events in range at every zoom,
#![allow(clippy::unwrap_used, clippy::expect_used)]
//! durations, values, markers, datasets, interaction, search, hostile text, golden SVGs.

use huntviz_draw::testing::golden_svg;
use std::sync::Arc;

use huntviz_draw::{to_svg, Item, Theme};
use huntviz_table::{parse_str, Table};
use huntviz_timeline::build::{apply_hint, Mode};
use huntviz_timeline::ticks::{DAY, HOUR, MIN, SEC};
use huntviz_timeline::{build, LaneOrder, Source, TimelineOptions, TimelineView, ValueKind};
use serde_json::{json, Value};

fn fixture(name: &str) -> String {
    let path = format!("{}/../../tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn table(text: &str) -> Arc<Table> {
    let mut d = parse_str(text).expect("parses");
    Arc::new(d.tables.swap_remove(0))
}

/// A Log Analytics response from column (name, type) pairs and rows.
fn la(columns: &[(&str, &str)], rows: Vec<Value>) -> String {
    let cols: Vec<Value> = columns.iter().map(|(n, t)| json!({"name": n, "type": t})).collect();
    json!({"tables": [{"name": "PrimaryResult", "columns": cols, "rows": rows}]}).to_string()
}

fn ticks(text: &str) -> i64 {
    huntviz_table::parse_datetime(text.as_bytes()).expect("datetime").ticks
}

fn iso(t: i64) -> String {
    let mut s = String::new();
    huntviz_table::format_datetime_full(t, &mut s);
    s
}

fn source(t: Arc<Table>) -> Source {
    Source::new("result", t, false)
}

fn view(text: &str, options: &TimelineOptions, w: f32, h: f32) -> TimelineView {
    let model = build(vec![source(table(text))], options).expect("builds");
    let mut v = TimelineView::new(model, &Theme::light());
    v.set_viewport(w, h);
    v
}

/// `n` events over a day on `hosts` hosts with four action types (a tiny deterministic
/// generator: no randomness crate needed).
fn generated(n: usize, hosts: usize) -> String {
    let base = ticks("2024-05-06T00:00:00Z");
    let mut seed = 12345u64;
    let mut rows = Vec::with_capacity(n);
    for i in 0..n {
        seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        let t = base + ((seed >> 20) % (DAY as u64)) as i64;
        let host = format!("HOST-{:03}", (seed >> 8) as usize % hosts);
        let action = ["ProcessCreated", "LogonSuccess", "ConnectionSuccess", "FileCreated"][i % 4];
        rows.push(json!([iso(t), host, action, i]));
    }
    la(&[("TimeGenerated", "datetime"), ("DeviceName", "string"), ("ActionType", "string"), ("Seq", "long")], rows)
}

#[test]
fn lanes_default_to_the_host_and_order_by_first_event_and_rows_without_time_are_reported() {
    let v = view(&fixture("timeline_events.json"), &TimelineOptions::default(), 1000.0, 400.0);
    let m = v.model();
    assert_eq!(m.group_by.as_deref(), Some("Computer"));
    assert_eq!(m.color_by.as_deref(), Some("ActionType"));
    assert_eq!(m.len(), 61, "60 events and one hostile row; the row without a time is not on the axis");
    assert!(
        m.warnings.iter().any(|w| w.message == "1 rows have no TimeGenerated and are not drawn"),
        "{:?}",
        m.warnings
    );
    let firsts: Vec<i64> = m.lanes.iter().map(|l| l.first).collect();
    assert!(firsts.windows(2).all(|w| w[0] <= w[1]), "{firsts:?}");
    assert_eq!(m.lanes.iter().map(|l| l.count).sum::<usize>(), 61);
    // Each lane's events are its host's rows.
    let t = &m.sources[0].table;
    let host = t.column_index("Computer").expect("column");
    for (i, lane) in m.lanes.iter().enumerate() {
        let (a, b) = m.lane_groups[i];
        let n: usize = m.groups[a as usize..b as usize].iter().map(|g| (g.end - g.start) as usize).sum();
        assert_eq!(n, lane.count);
        for g in &m.groups[a as usize..b as usize] {
            for e in g.start..g.end {
                let text = t.cell_text(m.row[e as usize] as usize, host).expect("host");
                assert_eq!(huntviz_draw::text::visible(&text, 80).0, lane.label);
            }
        }
    }
    assert!(v.status_line(1).starts_with("Timeline · 61 events · 4 lanes · 2024-05-06 00:"), "{}", v.status_line(1));
    assert!(v.status_line(1).ends_with(" UTC · 1 warning"), "{}", v.status_line(1));
    // An export carries the legend the notebook shows in its toolbar.
    let export = v.export_scene(&Theme::light());
    assert!(export.height > v.scene(&Theme::light()).height);
    for s in &m.series {
        let entry = format!("{} ({})", s.label, s.count);
        assert!(export.texts().any(|t| t == entry), "{entry}");
    }
}

#[test]
fn lane_order_by_count_or_name_and_group_by_any_column() {
    let text = generated(2000, 5);
    let by_count =
        view(&text, &TimelineOptions { lane_order: LaneOrder::Count, ..TimelineOptions::default() }, 800.0, 300.0);
    let counts: Vec<usize> = by_count.model().lanes.iter().map(|l| l.count).collect();
    assert!(counts.windows(2).all(|w| w[0] >= w[1]), "{counts:?}");
    let by_name =
        view(&text, &TimelineOptions { lane_order: LaneOrder::Name, ..TimelineOptions::default() }, 800.0, 300.0);
    let names: Vec<&str> = by_name.model().lanes.iter().map(|l| l.label.as_str()).collect();
    assert_eq!(names, ["HOST-000", "HOST-001", "HOST-002", "HOST-003", "HOST-004"]);
    let by_action = view(
        &text,
        &TimelineOptions { group_by: Some("ActionType".into()), ..TimelineOptions::default() },
        800.0,
        300.0,
    );
    assert_eq!(by_action.model().lanes.len(), 4);
    assert!(build(
        vec![source(table(&text))],
        &TimelineOptions { group_by: Some("Nope".into()), ..TimelineOptions::default() }
    )
    .is_err_and(|e| e.0.contains("no column \"Nope\"")));
}

#[test]
fn too_many_lanes_share_one_and_say_so() {
    let text = generated(3000, 1500);
    let v = view(
        &text,
        &TimelineOptions { group_by: Some("DeviceName".into()), ..TimelineOptions::default() },
        800.0,
        300.0,
    );
    let m = v.model();
    assert_eq!(m.lanes.len(), huntviz_timeline::build::MAX_LANES);
    assert_eq!(m.lanes.iter().map(|l| l.count).sum::<usize>(), 3000, "no event is dropped");
    assert!(m.lanes.last().is_some_and(|l| l.label.ends_with("other values)")));
    assert!(m.warnings.iter().any(|w| w.message.contains("share the last lane")), "{:?}", m.warnings);
}

/// Events of `lane` in `[a, b)` counted from the table itself, not from the model.
fn events_in(v: &TimelineView, lane_label: &str, a: i64, b: i64, skip_action: Option<&str>) -> usize {
    let t = &v.model().sources[0].table;
    let (tc, hc, ac) = (0, t.column_index("DeviceName").expect("c"), t.column_index("ActionType").expect("c"));
    (0..t.rows())
        .filter(|&r| {
            let time = t.column(tc).and_then(|c| c.i64_value(r)).expect("time");
            time >= a
                && time < b
                && t.cell_text(r, hc).as_deref() == Some(lane_label)
                && skip_action.is_none_or(|s| t.cell_text(r, ac).as_deref() != Some(s))
        })
        .count()
}

#[test]
fn density_counts_equal_the_events_in_range_at_every_zoom_and_hidden_series_are_not_counted() {
    let text = generated(20_000, 3);
    let mut v = view(&text, &TimelineOptions::default(), 900.0, 300.0);
    let base = ticks("2024-05-06T00:00:00Z");
    for (a, b) in
        [(base, base + DAY), (base + 6 * HOUR, base + 7 * HOUR), (base + 12 * HOUR, base + 12 * HOUR + 5 * MIN)]
    {
        let _ = v.set_range(a, b);
        let (a, b) = v.range();
        for lane in 0..v.model().lanes.len() {
            let label = v.model().lanes[lane].label.clone();
            let (counts, _) = v.lane_density(lane, 873);
            let drawn: u64 = counts.iter().map(|&c| u64::from(c)).sum();
            assert_eq!(drawn as usize, events_in(&v, &label, a, b, None), "lane {label} in {a}..{b}");
        }
    }
    // Hide the "ConnectionSuccess" series: its events leave every count.
    let _ = v.reset();
    let i = v.legend().iter().position(|l| l.label == "ConnectionSuccess").expect("series");
    let _ = v.toggle_series(i);
    assert!(v.legend()[i].hidden);
    let (a, b) = v.range();
    let label = v.model().lanes[0].label.clone();
    let (counts, _) = v.lane_density(0, 500);
    assert_eq!(counts.iter().sum::<u32>() as usize, events_in(&v, &label, a, b, Some("ConnectionSuccess")));
}

#[test]
fn a_dense_lane_draws_density_and_zooming_in_draws_each_event() {
    let text = generated(20_000, 2);
    let mut v = view(&text, &TimelineOptions::default(), 900.0, 200.0);
    let marks = |v: &TimelineView| {
        v.scene(&Theme::light())
            .items
            .iter()
            .filter(|i| matches!(i, Item::Fill { w, .. } if (*w - 3.0).abs() < 0.01))
            .count()
    };
    assert!(v.tooltip(500.0, 60.0).is_some_and(|t| t.text.contains("zoom in to see each event")));
    let dense_marks = marks(&v);
    let base = ticks("2024-05-06T10:00:00Z");
    let _ = v.set_range(base, base + 10 * SEC);
    let (a, b) = v.range();
    let expected: usize = (0..2).map(|l| events_in(&v, &v.model().lanes[l].label.clone(), a, b + 1, None)).sum();
    assert!(expected > 0, "the generator puts events in every 10 s");
    assert!(marks(&v) >= expected && dense_marks < marks(&v) + 50, "{} marks for {expected} events", marks(&v));
}

#[test]
fn zoom_pan_wheel_drag_box_and_overview_change_the_visible_range() {
    let text = generated(5000, 3);
    let mut v = view(&text, &TimelineOptions::default(), 1000.0, 300.0);
    let full = v.range();
    // Wheel up zooms in, keeping the instant under the pointer in place.
    let x = 600.0;
    let t_before = full.0 + ((full.1 - full.0) as f64 * f64::from((x - 110.0) / 880.0)) as i64;
    assert!(v.wheel(x, 100.0, 0.0, -300.0, false).redraw);
    let r = v.range();
    assert!(r.1 - r.0 < (full.1 - full.0) * 6 / 10, "{r:?}");
    assert!(r.0 < t_before && r.1 > t_before);
    // Sideways wheel and arrow keys pan.
    let before = v.range();
    let _ = v.wheel(600.0, 100.0, 120.0, 0.0, false);
    assert!(v.range().0 > before.0);
    let before = v.range();
    let _ = v.key("ArrowLeft", false);
    assert!(v.range().0 < before.0);
    // Drag to pan: content follows the pointer.
    let before = v.range();
    let _ = v.pointer_down(500.0, 80.0, false);
    let _ = v.pointer_move(400.0, 80.0);
    let _ = v.pointer_up(400.0, 80.0);
    assert!(v.range().0 > before.0, "dragging left shows later times");
    assert_eq!(v.range().1 - v.range().0, before.1 - before.0);
    // Shift-drag: box zoom to exactly the dragged pixels.
    let _ = v.reset();
    let _ = v.pointer_down(300.0, 80.0, true);
    let _ = v.pointer_move(500.0, 80.0);
    let _ = v.pointer_up(500.0, 80.0);
    let r = v.range();
    assert!((r.1 - r.0) < (full.1 - full.0) / 3, "{r:?}");
    // Double-click zooms in; "0" shows everything again.
    let before = v.range();
    let _ = v.double_click(500.0, 80.0, false);
    assert!(v.range().1 - v.range().0 < before.1 - before.0);
    let _ = v.key("0", false);
    assert_eq!(v.range(), full);
    // The overview window: zoom in, then drag the window right; the main range follows.
    let _ = v.zoom_at(500.0, 0.1);
    let before = v.range();
    let (w, h) = (1000.0, 300.0);
    let _ = (w, h);
    let vt = v.visible_text();
    let _ = vt;
    let oy = 300.0 - 48.0 + 10.0;
    let wx = 110.0 + 880.0 * ((before.0 + before.1) / 2 - full.0) as f32 / (full.1 - full.0) as f32;
    let _ = v.pointer_down(wx, oy, false);
    let _ = v.pointer_move(wx + 200.0, oy);
    let _ = v.pointer_up(wx + 200.0, oy);
    let after = v.range();
    assert_eq!(after.1 - after.0, before.1 - before.0, "moving keeps the span");
    let moved = (after.0 - before.0) as f64 / (full.1 - full.0) as f64;
    assert!((moved - 200.0 / 880.0).abs() < 0.02, "window moved {moved} of the axis");
    // Zoom never goes below a microsecond or beyond the data.
    for _ in 0..100 {
        let _ = v.zoom_at(500.0, 0.05);
    }
    assert!(v.range().1 - v.range().0 >= 10);
    assert!(v.range_text().contains('.'), "{}", v.range_text());
    for _ in 0..100 {
        let _ = v.zoom_at(500.0, 20.0);
    }
    assert_eq!(v.range(), full);
}

#[test]
fn click_selects_the_event_under_the_pointer_and_the_detail_has_every_field() {
    let mut v = view(&fixture("timeline_events.json"), &TimelineOptions::default(), 1000.0, 400.0);
    let vt = v.visible_text();
    let row = &vt.rows[0];
    let x = row.mark.expect("a mark in view");
    let y = row.top + 10.0;
    let _ = v.pointer_down(x, y, false);
    let r = v.pointer_up(x, y);
    assert!(r.selection);
    let d = v.detail().expect("selected");
    assert_eq!(d.fields.len(), 5);
    assert_eq!(d.fields[1].1, row.cells[0], "the clicked lane's host");
    assert_eq!(ticks(&d.fields[0].1), ticks(&row.cells[2]), "the first event in view, to the tick");
    assert!(v.tooltip(x, y).is_some_and(|t| t.text.starts_with(&row.cells[2])));
    assert!(v.selection_value().is_some_and(|s| s.starts_with("TimeGenerated\t2024-05-06T")));
    let _ = v.key("Escape", false);
    assert!(v.detail().is_none());
}

#[test]
fn search_marks_and_steps_through_matches_in_time_order() {
    let mut v = view(&generated(5000, 3), &TimelineOptions::default(), 1000.0, 300.0);
    assert_eq!(v.search("logonsuccess", false), Ok(1250));
    let r = v.step_match(true);
    assert!(r.selection);
    let first = v.selected().expect("selected") as usize;
    let _ = v.step_match(true);
    let second = v.selected().expect("selected") as usize;
    assert!(v.model().time[first] <= v.model().time[second]);
    assert_eq!(v.match_position(), (1250, Some(2)));
    assert_eq!(v.search("^Host-00[12]$", true), Ok(5000 - events_in(&v, "HOST-000", i64::MIN, i64::MAX, None)));
    assert!(v.search("(", true).is_err());
    assert_eq!(v.search("", false), Ok(0));
}

/// The result rows of the events a timeline shows.
fn shown_rows(v: &TimelineView) -> Vec<u32> {
    let mut rows = v.model().row.clone();
    rows.sort_unstable();
    rows
}

#[test]
fn matches_only_shows_the_matched_events_and_their_lanes_and_gives_everything_back() {
    use huntviz_draw::view::View;
    let text = generated(5000, 3);
    let mut v = view(&text, &TimelineOptions::default(), 1000.0, 300.0);
    let t = v.model().sources[0].table.clone();
    let host = t.column_index("DeviceName").expect("column");
    let on_host = |r: u32, h: &str| t.cell_text(r as usize, host).as_deref() == Some(h);
    let host1: Vec<u32> = (0..5000u32).filter(|&r| on_host(r, "HOST-001")).collect();
    let other = (0..5000u32).find(|&r| !on_host(r, "HOST-001")).expect("a row elsewhere");
    let mut pick = [host1[3], other];
    pick.sort_unstable();
    let _ = View::select_rows(&mut v, &pick);
    let extent = v.model().extent;

    // Without a search there is nothing to keep to: everything stays.
    let r = View::set_matches_only(&mut v, true);
    assert!(!r.redraw);
    assert_eq!(v.model().len(), 5000);
    assert_eq!(View::search(&mut v, "^host-001$", true), Ok(host1.len()));
    let m = v.model();
    assert_eq!(shown_rows(&v), host1, "exactly the matched events, by result row");
    assert_eq!(m.lanes.iter().map(|l| l.label.as_str()).collect::<Vec<_>>(), ["HOST-001"], "lanes without one go");
    assert_eq!(m.lanes[0].count, host1.len());
    assert_eq!(m.series.iter().map(|s| s.count).sum::<usize>(), host1.len(), "the legend counts what is shown");
    assert_eq!(m.extent, extent, "the time axis does not jump");
    let (density, _) = v.lane_density(0, 500);
    assert_eq!(density.iter().map(|&c| c as usize).sum::<usize>(), host1.len());
    let line = v.status_line(0);
    assert!(line.starts_with("Timeline · 5,000 events · 3 lanes"), "{line}");
    let n = huntviz_draw::text::thousands(host1.len());
    assert!(line.contains(&format!(" · matches only: {n} of 5,000 events")), "{line}");
    assert_eq!(View::selected_rows(&v), [host1[3]], "the shown selected event stays selected");
    let _ = View::set_matches_only(&mut v, false);
    assert_eq!(View::selected_rows(&v), pick, "off: the selection the filter hid is back");
    let _ = View::set_matches_only(&mut v, true);
    assert_eq!(v.model().len(), host1.len());

    // A new search keeps "matches only", over every event.
    assert_eq!(View::search(&mut v, "logonsuccess", false), Ok(1250));
    assert_eq!(v.model().len(), 1250);
    assert_eq!(v.model().lanes.len(), 3);
    let _ = v.step_match(true);
    let _ = v.step_match(true);
    assert_eq!(v.match_position(), (1250, Some(2)));
    let current = View::selected_rows(&v);

    // Off: every event, the same match current and the same row selected (a selection
    // made while filtered replaces the one the filter hid).
    let r = View::set_matches_only(&mut v, false);
    assert!(r.redraw && r.resized);
    assert_eq!(v.model().len(), 5000);
    assert!(!v.status_line(0).contains("matches only"));
    assert_eq!(v.match_position(), (1250, Some(2)));
    assert_eq!(View::selected_rows(&v), current);
    let _ = v.step_match(true);
    assert_eq!(v.match_position(), (1250, Some(3)));
    // An empty search shows everything even with "matches only" on.
    let _ = View::set_matches_only(&mut v, true);
    assert_eq!(View::search(&mut v, "", false), Ok(0));
    assert_eq!(v.model().len(), 5000);
    assert!(View::search(&mut v, "(", true).is_err());
    assert_eq!(v.model().len(), 5000);
}

#[test]
fn durations_draw_spans_from_start_to_end() {
    let rows = vec![
        json!(["2024-05-06T10:00:00Z", "2024-05-06T12:00:00Z", "svc-a", "backup"]),
        json!(["2024-05-06T11:00:00Z", "2024-05-06T11:30:00Z", "svc-b", "scan"]),
        json!(["2024-05-06T13:00:00Z", "2024-05-06T12:00:00Z", "svc-b", "bad clock"]),
    ];
    let text = la(&[("StartTime", "datetime"), ("EndTime", "datetime"), ("Name", "string"), ("Op", "string")], rows);
    let mut v =
        view(&text, &TimelineOptions { group_by: Some("Name".into()), ..TimelineOptions::default() }, 1000.0, 300.0);
    assert_eq!(v.model().mode, Mode::Durations);
    assert_eq!(v.model().end_column.as_deref(), Some("EndTime"));
    assert!(v.model().warnings.iter().any(|w| w.message.contains("1 events end before they start")));
    assert!(v.status_line(0).starts_with("Timeline · 3 spans · 2 lanes"));
    let _ = v.set_range(ticks("2024-05-06T10:30:00Z"), ticks("2024-05-06T11:45:00Z"));
    // The backup started before the range and is still drawn across it.
    let spans: Vec<f32> = v
        .scene(&Theme::light())
        .items
        .iter()
        .filter_map(|i| match i {
            Item::Fill { w, color, .. } if color.a == 110 => Some(*w),
            _ => None,
        })
        .collect();
    assert_eq!(spans.len(), 2, "{spans:?}");
    assert!(spans.iter().any(|&w| w > 800.0), "the 2-hour span covers the range: {spans:?}");
    let vt = v.visible_text();
    assert_eq!(vt.rows[0].cells[1], "1", "svc-a's span is in view");
}

#[test]
fn values_mode_plots_numbers_per_series_and_a_timechart_hint_opens_it() {
    let mut rows = Vec::new();
    for h in 0..24 {
        for (k, host) in ["A", "B"].iter().enumerate() {
            rows.push(json!([format!("2024-05-06T{h:02}:00:00Z"), host, (h * 10 + k * 3) as i64]));
        }
    }
    let cols = [("TimeGenerated", "datetime"), ("Computer", "string"), ("count_", "long")];
    let text = la(&cols, rows.clone());
    let opts = TimelineOptions {
        value_column: Some("count_".into()),
        group_by: Some("Computer".into()),
        kind: ValueKind::Line,
        ..TimelineOptions::default()
    };
    let v = view(&text, &opts, 1000.0, 400.0);
    assert_eq!(v.model().mode, Mode::Values(ValueKind::Line));
    assert_eq!(v.model().series.len(), 2, "one series per computer");
    assert!(v.status_line(0).starts_with("Timeline · 48 values · 2 series"));
    let lines = v
        .scene(&Theme::light())
        .items
        .iter()
        .filter(|i| matches!(i, Item::Line { color, .. } if color.a == 255 && *color == huntviz_draw::PALETTE[0]))
        .count();
    assert!(lines >= 23, "a line through each series: {lines}");
    // The highest value is at the top of the plot, the lowest near the bottom.
    let legend = v.legend();
    assert_eq!(legend.iter().map(|l| l.count).sum::<usize>(), 48);
    // A Log Analytics response that says `render timechart` opens as values.
    let cols_json: Vec<Value> = cols.iter().map(|(n, t)| json!({"name": n, "type": t})).collect();
    let hinted = json!({"tables": [{"name": "PrimaryResult", "columns": cols_json, "rows": rows}],
        "render": {"visualization": "timechart"}})
    .to_string();
    let d = parse_str(&hinted).expect("parses");
    let mut o = TimelineOptions::default();
    apply_hint(&mut o, d.hint.as_ref(), &d.tables[0]);
    assert_eq!(o.value_column.as_deref(), Some("count_"));
    let m = build(vec![source(Arc::new(d.tables[0].clone()))], &o).expect("builds");
    assert_eq!(m.mode, Mode::Values(ValueKind::Line));
    assert_eq!(m.series.len(), 2);
    // Bars with more values than pixels: every column's extent, nothing dropped.
    let many: Vec<Value> =
        (0..5000).map(|i| json!([iso(ticks("2024-05-06T00:00:00Z") + i * SEC), "A", i % 97])).collect();
    let v = view(
        &la(&cols, many),
        &TimelineOptions { value_column: Some("count_".into()), ..TimelineOptions::default() },
        600.0,
        400.0,
    );
    assert_eq!(v.model().mode, Mode::Values(ValueKind::Bars));
    assert!(v.scene(&Theme::light()).items.len() > 400);
    assert!(build(
        vec![source(table(&text))],
        &TimelineOptions { value_column: Some("Computer".into()), ..TimelineOptions::default() }
    )
    .is_err_and(|e| e.0.contains("not a numeric column")));
}

#[test]
fn datasets_become_labelled_series_and_alerts_become_markers() {
    let logons = la(
        &[("TimeGenerated", "datetime"), ("Account", "string")],
        vec![json!(["2024-05-06T09:00:00Z", "alice"]), json!(["2024-05-06T09:05:00Z", "bob"])],
    );
    let procs = la(
        &[("TimeGenerated", "datetime"), ("NewProcessName", "string")],
        vec![json!(["2024-05-06T09:01:00Z", "cmd.exe"]), json!(["2024-05-06T09:02:00Z", "whoami.exe"])],
    );
    let alerts = la(
        &[("StartTimeUtc", "datetime"), ("AlertName", "string")],
        vec![json!(["2024-05-06T09:03:00Z", "Suspicious whoami"])],
    );
    let sources = vec![
        Source::new("Logons", table(&logons), false),
        Source::new("Processes", table(&procs), false),
        Source::new("Alerts", table(&alerts), true),
    ];
    let m = build(sources, &TimelineOptions::default()).expect("builds");
    assert_eq!(m.group_by.as_deref(), Some("dataset"));
    assert_eq!(m.lanes.iter().map(|l| l.label.as_str()).collect::<Vec<_>>(), ["Logons", "Processes"]);
    assert_eq!(m.markers.len(), 1);
    assert_eq!(m.markers[0].label, "Suspicious whoami");
    let mut v = TimelineView::new(m, &Theme::light());
    v.set_viewport(900.0, 300.0);
    assert!(v.scene(&Theme::light()).texts().any(|t| t == "◀ Suspicious whoami"));
    assert_eq!(v.search("whoami", false), Ok(1), "alerts are markers, not searchable events");
    let _ = v.step_match(true);
    let d = v.detail().expect("detail");
    assert!(d.title.ends_with("· Processes"), "{}", d.title);
    assert_eq!(d.fields[1].1, "whoami.exe");
}

#[test]
fn ref_times_options_are_read_and_bad_ones_reported() {
    let mut notes = Vec::new();
    let opts = json!({"ref_times": [["2024-05-06T10:00:00Z", "first"], {"time": "2024-05-06T11:00:00Z", "label": "second"}, "nope"],
        "kind": "line", "lane_order": "sideways", "tooltip": ["Account"], "group_by": 5});
    let o = TimelineOptions::from_json(opts.as_object().expect("object"), &mut notes);
    assert_eq!(o.ref_times.len(), 2);
    assert_eq!(o.ref_times[1], (ticks("2024-05-06T11:00:00Z"), "second".to_string()));
    assert_eq!(o.kind, ValueKind::Line);
    assert_eq!(o.tooltip, ["Account"]);
    assert_eq!(notes.len(), 3, "{notes:?}");
    let v = view(&fixture("timeline_events.json"), &o, 1000.0, 300.0);
    assert!(v.status_line(0).contains("· 2 markers"));
    assert!(v.scene(&Theme::light()).texts().any(|t| t == "◀ first"));
}

#[test]
fn hostile_text_is_shown_visibly_and_the_svg_has_no_markup_from_data() {
    let v = view(&fixture("timeline_events.json"), &TimelineOptions::default(), 1000.0, 400.0);
    let svg = to_svg(&v.scene(&Theme::light()), &Theme::light());
    assert!(!svg.contains("<img"), "{svg}");
    assert!(svg.contains("&lt;img src=x onerror=alert(1)&gt;"));
    let m = v.model();
    let evil = m.lanes.iter().position(|l| l.label.starts_with("<img")).expect("hostile lane");
    let (a, _) = m.lane_groups[evil];
    let e = m.groups[a as usize].start as usize;
    let mut v = v;
    let _ = v.select(e);
    let d = v.detail().expect("detail");
    assert!(d.fields.iter().any(|(_, val)| val.contains("\\u{202E}") || val.contains("U+202E")), "{:?}", d.fields);
    assert!(!d.fields.iter().any(|(_, val)| val.contains('\u{202e}')));
}

#[test]
fn no_time_column_or_no_rows_is_a_clear_error() {
    let text = la(&[("Name", "string")], vec![json!(["x"])]);
    assert!(build(vec![source(table(&text))], &TimelineOptions::default())
        .is_err_and(|e| e.0 == "the result has no datetime column"));
    let text = la(&[("TimeGenerated", "datetime")], vec![json!([null])]);
    assert!(build(vec![source(table(&text))], &TimelineOptions::default())
        .is_err_and(|e| e.0 == "no row has a TimeGenerated"));
    let one = la(&[("TimeGenerated", "datetime")], vec![json!(["2024-05-06T10:00:00Z"])]);
    let v = view(&one, &TimelineOptions::default(), 600.0, 200.0);
    assert!(v.range().1 - v.range().0 >= 2 * MIN, "a single event gets a range around it");
}

#[test]
fn golden_svgs_of_events_and_values() {
    let mut o = TimelineOptions::default();
    o.ref_times.push((ticks("2024-05-06T09:30:00Z"), "first alert".into()));
    let mut v = view(&fixture("timeline_events.json"), &o, 1000.0, 260.0);
    let _ = v.search("whoami", false);
    golden_svg("timeline_events", &to_svg(&v.scene(&Theme::light()), &Theme::light()));
    let rows: Vec<Value> = (0..48usize)
        .map(|h| {
            let host = if h % 2 == 0 { "A" } else { "B" };
            json!([format!("2024-05-06T{:02}:{:02}:00Z", h / 2, (h % 2) * 30), host, (h * h % 37) as i64])
        })
        .collect();
    let text = la(&[("TimeGenerated", "datetime"), ("Computer", "string"), ("count_", "long")], rows);
    let opts = TimelineOptions {
        value_column: Some("count_".into()),
        group_by: Some("Computer".into()),
        kind: ValueKind::Line,
        ..TimelineOptions::default()
    };
    let v = view(&text, &opts, 800.0, 380.0);
    golden_svg("timeline_values", &to_svg(&v.scene(&Theme::light()), &Theme::light()));
}

#[test]
fn group_choices_are_few_valued_text_and_whole_number_columns() {
    let t = table(&generated(3000, 7));
    let choices = huntviz_timeline::build::group_choices(&t);
    assert!(choices.contains(&"DeviceName".to_string()) && choices.contains(&"ActionType".to_string()), "{choices:?}");
    assert!(!choices.contains(&"TimeGenerated".to_string()), "not a time");
    assert!(!choices.contains(&"Seq".to_string()), "3,000 distinct numbers are not a grouping");
}

#[test]
fn ctrl_drag_brushes_a_time_range_whose_events_are_selected_and_ctrl_click_adds_one() {
    use huntviz_draw::view::View;
    let text = generated(5000, 3);
    let times: Vec<i64> = serde_json::from_str::<Value>(&text).unwrap()["tables"][0]["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| ticks(r[0].as_str().unwrap()))
        .collect();
    let mut v = view(&text, &TimelineOptions::default(), 1000.0, 300.0);
    let range = v.range();
    let r = View::pointer_down_add(&mut v, 300.0, 80.0);
    assert!(r.capture);
    let _ = v.pointer_move(500.0, 80.0);
    let r = v.pointer_up(500.0, 80.0);
    assert!(r.selection);
    assert_eq!(v.range(), range, "a brush selects; it does not zoom");
    let (a, b) = v.brush().expect("a brushed range");
    assert!(a < b);
    // Exactly the rows whose time is in the range, from the response itself.
    let want: Vec<u32> = (0..times.len() as u32).filter(|&r| (a..=b).contains(&times[r as usize])).collect();
    assert!(want.len() > 500, "{}", want.len());
    assert_eq!(View::selected_rows(&v), want);
    assert!(v.status_line(0).ends_with(&format!(" · {} selected", thousands(want.len()))), "{}", v.status_line(0));
    // A hidden series leaves the brush: its events are not selected.
    let _ = v.toggle_series(0);
    assert!(View::selected_rows(&v).len() < want.len());
    let _ = v.toggle_series(0);
    // Ctrl+click on an event outside the range adds it; a plain click starts over.
    let row = v.visible_text().rows[0].clone();
    let x = row.mark.expect("a mark in view");
    let _ = View::pointer_down_add(&mut v, x, row.top + 10.0);
    let _ = v.pointer_up(x, row.top + 10.0);
    assert!(x < 300.0, "the lane's first event in view is left of the brush: {x}");
    assert_eq!(View::selected_rows(&v).len(), want.len() + 1);
    let _ = v.pointer_down(x, row.top + 10.0, false);
    let _ = v.pointer_up(x, row.top + 10.0);
    assert_eq!(View::selected_rows(&v).len(), 1);
    assert!(v.brush().is_none() && !v.status_line(0).contains("selected"));
    // Escape clears a brush.
    let _ = v.set_brush(Some((a, b)));
    let _ = v.key("Escape", false);
    assert!(v.brush().is_none() && View::selected_rows(&v).is_empty());
}

fn thousands(n: usize) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}
