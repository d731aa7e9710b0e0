//! Grid layout, interaction and drawing on real tables.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use huntviz_draw::testing::golden_svg;
use huntviz_draw::{to_svg, Face, Item, Theme};
use huntviz_grid::{status_line, Grid, Hit, Sort};
use huntviz_table::{parse, parse_str, ParseOptions, Table};

fn fixture(name: &str) -> Table {
    let path = format!("{}/../../tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    parse(bytes, &ParseOptions::default()).unwrap().tables.remove(0)
}

fn numbers(rows: usize) -> Table {
    let mut doc = String::from("{\"tables\":[{\"name\":\"T\",\"columns\":[{\"name\":\"n\",\"type\":\"long\"},{\"name\":\"host\",\"type\":\"string\"}],\"rows\":[");
    for i in 0..rows {
        if i > 0 {
            doc.push(',');
        }
        // Descending values so sorting visibly reorders.
        doc.push_str(&format!("[{},\"host-{}\"]", rows - i, i % 3));
    }
    doc.push_str("]}]}");
    parse_str(&doc).unwrap().tables.remove(0)
}

fn grid(table: Table, w: f32, h: f32) -> Grid {
    let mut g = Grid::new(std::sync::Arc::new(table), &Theme::light());
    g.set_viewport(w, h);
    g
}

#[test]
fn status_line_counts_rows_columns_and_warnings() {
    let t = fixture("la_types.json");
    assert_eq!(status_line(&t, 4), "Table · 5 rows × 10 columns · 4 warnings");
    assert_eq!(status_line(&numbers(1), 0), "Table · 1 row × 2 columns");
    assert_eq!(status_line(&numbers(1_010), 1), "Table · 1,010 rows × 2 columns · 1 warning");
}

#[test]
fn only_visible_rows_are_drawn_at_a_million_rows() {
    let mut g = grid(numbers(1_000_000), 600.0, 400.0);
    let m = g.metrics();
    let (_, h) = g.content_size();
    assert_eq!(h, m.header_height + 1_000_000.0 * m.row_height);
    g.set_scroll(0.0, 500_000.0 * m.row_height);
    let rows = g.visible_rows();
    assert_eq!(rows.start, 500_000);
    assert!(rows.len() <= ((400.0 - m.header_height) / m.row_height).ceil() as usize + 1);
    let scene = g.scene(&Theme::light());
    let texts: Vec<&str> = scene.texts().collect();
    // Row numbers of exactly the visible rows, and their values (n = rows - i).
    assert!(texts.contains(&"500001"));
    assert!(texts.contains(&"500000"), "value of row 500,001 is 1,000,000 - 500,000");
    assert!(!texts.contains(&"1"), "row 1 is not drawn");
    assert!(scene.items.len() < 400, "{} items", scene.items.len());
}

#[test]
fn hit_testing_after_scrolling() {
    let mut g = grid(numbers(1000), 600.0, 400.0);
    let m = g.metrics();
    let rn = g.row_number_width();
    let w0 = g.widths()[0];
    g.set_scroll(0.0, 10.0 * m.row_height);
    assert_eq!(g.hit(rn + 3.0, m.header_height + 1.0), Hit::Cell { view_row: 10, col: 0 });
    assert_eq!(g.hit(rn + w0 + 3.0, m.header_height + m.row_height + 1.0), Hit::Cell { view_row: 11, col: 1 });
    assert_eq!(g.hit(3.0, m.header_height + 1.0), Hit::RowNumber { view_row: 10 });
    assert_eq!(g.hit(rn + 3.0, 3.0), Hit::Header { col: 0, edge: false });
    assert_eq!(g.hit(rn + w0 - 1.0, 3.0), Hit::Header { col: 0, edge: true });
    assert_eq!(g.hit(3.0, 3.0), Hit::Corner);
}

#[test]
fn clicking_a_header_sorts_by_type_and_selection_follows_its_row() {
    let mut g = grid(numbers(1000), 600.0, 400.0);
    let m = g.metrics();
    let rn = g.row_number_width();
    let header = (rn + 10.0, m.header_height / 2.0);
    g.select(0, 0);
    assert_eq!(g.selection_value().as_deref(), Some("1000"));
    g.pointer_down(header.0, header.1);
    g.pointer_up(header.0, header.1);
    assert_eq!(g.sort(), Some(Sort { col: 0, descending: false }));
    assert_eq!(g.source_row(0), 999, "numeric ascending: value 1 first");
    assert_eq!(g.selected(), Some((999, 0)), "selection moved with its row");
    assert_eq!(g.selection_value().as_deref(), Some("1000"));
    g.pointer_down(header.0, header.1);
    g.pointer_up(header.0, header.1);
    assert_eq!(g.sort(), Some(Sort { col: 0, descending: true }));
    assert_eq!(g.source_row(0), 0);
    g.toggle_sort(0);
    assert_eq!(g.sort(), None);
    let scene = g.scene(&Theme::light());
    assert!(!scene.texts().any(|t| t == "▲" || t == "▼"));
}

#[test]
fn dragging_a_header_edge_resizes_the_column() {
    let mut g = grid(numbers(10), 600.0, 400.0);
    let rn = g.row_number_width();
    let w0 = g.widths()[0];
    let (cw, _) = g.content_size();
    let edge = rn + w0 - 1.0;
    assert_eq!(g.pointer_down(edge, 5.0).cursor, "col-resize");
    let r = g.pointer_move(edge + 80.0, 5.0);
    assert!(r.redraw && r.resized);
    g.pointer_up(edge + 80.0, 5.0);
    assert!((g.widths()[0] - (w0 + 80.0)).abs() < 0.01);
    assert!((g.content_size().0 - (cw + 80.0)).abs() < 0.01);
    // Not below the minimum.
    g.set_column_width(0, 1.0);
    assert!(g.widths()[0] >= 24.0);
}

#[test]
fn long_values_are_elided_with_the_full_value_in_tooltip_and_copy() {
    let long = "x".repeat(300);
    let doc = format!("{{\"tables\":[{{\"name\":\"T\",\"columns\":[{{\"name\":\"cmd\",\"type\":\"string\"}},{{\"name\":\"n\",\"type\":\"long\"}}],\"rows\":[[\"{long}\",1],[\"short\",null]]}}]}}");
    let mut g = grid(parse_str(&doc).unwrap().tables.remove(0), 800.0, 300.0);
    let m = g.metrics();
    let rn = g.row_number_width();
    let scene = g.scene(&Theme::light());
    let cell = scene.texts().find(|t| t.starts_with("xxx")).unwrap();
    assert!(cell.ends_with('…') && cell.len() < 300, "elided: {cell}");
    let row0 = m.header_height + m.row_height / 2.0;
    let tip = g.tooltip(rn + 10.0, row0).expect("tooltip on the elided cell");
    assert_eq!(tip.text, long);
    assert_eq!(g.tooltip(rn + 10.0, row0 + m.row_height), None, "no tooltip when the value fits");
    g.pointer_down(rn + 10.0, row0);
    assert_eq!(g.selection_value(), Some(long));
    // Null is drawn as a visible, muted, italic marker and copies as nothing.
    let null = scene.items.iter().find_map(|i| match i {
        Item::Text { text, face: Face::MonoItalic, color, .. } if text == "null" => Some(*color),
        _ => None,
    });
    assert_eq!(null, Some(Theme::light().muted));
    g.select(1, 1);
    assert_eq!(g.selection_value(), None);
    assert!(g.selection().unwrap().null);
}

#[test]
fn huge_values_are_not_copied_into_frames_or_tooltips() {
    let huge = "A".repeat(5_000_000);
    let doc = format!("{{\"tables\":[{{\"name\":\"T\",\"columns\":[{{\"name\":\"cmd\",\"type\":\"string\"}}],\"rows\":[[\"{huge}\"]]}}]}}");
    let mut g = grid(parse_str(&doc).unwrap().tables.remove(0), 800.0, 300.0);
    let m = g.metrics();
    let tip = g.tooltip(g.row_number_width() + 5.0, m.header_height + 5.0).unwrap();
    assert!(
        tip.text.len() < 5_000 && tip.text.ends_with("(5,000,000 bytes in all; copy for the full value)"),
        "{}",
        &tip.text[tip.text.len() - 60..]
    );
    g.select(0, 0);
    assert_eq!(g.selection_value().map(|v| v.len()), Some(5_000_000));
}

#[test]
fn hostile_strings_are_drawn_as_literal_visible_text() {
    let g = grid(fixture("hostile.json"), 3000.0, 300.0);
    let scene = g.scene(&Theme::light());
    let texts: Vec<&str> = scene.texts().collect();
    assert!(texts.iter().any(|t| t.starts_with("<img src=x onerror=")), "{texts:?}");
    assert!(texts.iter().any(|t| t.starts_with("<script>")), "{texts:?}");
    assert!(texts.iter().any(|t| t.starts_with("evil⟨U+202E⟩gnp.exe")), "{texts:?}");
    assert!(texts.iter().any(|t| t.starts_with("zero⟨U+200B⟩width⟨U+200D⟩name.exe")), "{texts:?}");
    assert!(texts.iter().all(|t| !t.contains('\u{202e}') && !t.contains('\u{200b}')));
    let a11y = g.visible_text();
    assert_eq!(a11y.rows[1].cells[1], "evil⟨U+202E⟩gnp.exe");
}

#[test]
fn keyboard_moves_the_selection_and_reveals_it() {
    let mut g = grid(numbers(1000), 600.0, 200.0);
    g.select(0, 0);
    let r = g.key("PageDown", false);
    let (view_row, _) = g.selected().unwrap();
    assert!(view_row > 1);
    let (_, y) = r.scroll_to.unwrap();
    let m = g.metrics();
    assert!(y + (200.0 - m.header_height) >= (view_row + 1) as f32 * m.row_height);
    g.key("End", true);
    assert_eq!(g.selected(), Some((999, 1)));
    assert_eq!(g.key("x", false), Default::default());
    g.key("Escape", false);
    assert_eq!(g.selected(), None);
}

#[test]
fn golden_svg_of_a_small_grid() {
    let mut g = grid(fixture("la_types.json"), 900.0, 190.0);
    g.select(1, 2);
    golden_svg("grid_la_types", &to_svg(&g.scene(&Theme::light()), &Theme::light()));
}

#[test]
fn ctrl_and_shift_click_select_several_rows_that_survive_a_sort() {
    use huntviz_draw::view::View;
    let mut g = grid(numbers(1000), 600.0, 400.0);
    let m = g.metrics();
    let rn = g.row_number_width();
    let cell = |v: usize| (rn + 3.0, m.header_height + v as f32 * m.row_height + 1.0);
    let click = |g: &mut Grid, v: usize| {
        let (x, y) = cell(v);
        let _ = g.pointer_down(x, y);
        g.pointer_up(x, y);
    };
    click(&mut g, 2);
    let (x, y) = cell(5);
    assert!(View::pointer_down_add(&mut g, x, y).selection);
    assert_eq!(View::selected_rows(&g), vec![2, 5]);
    assert!(View::status_line(&g, 0).ends_with(" · 2 selected"));
    // Shift+click: every row from the selected one to it.
    let (x, y) = cell(8);
    let _ = View::pointer_down(&mut g, x, y, true);
    assert_eq!(View::selected_rows(&g), vec![2, 3, 4, 5, 6, 7, 8]);
    // Multi-selected rows are drawn selected (their row numbers in the accent colour).
    let accent = Theme::light().accent;
    let accented: Vec<String> = g
        .scene(&Theme::light())
        .items
        .iter()
        .filter_map(|i| match i {
            Item::Text { text, color, .. } if *color == accent => Some(text.clone()),
            _ => None,
        })
        .collect();
    assert_eq!(accented, ["3", "4", "5", "6", "7", "8", "9"]);
    // By result row: a sort keeps them.
    g.toggle_sort(0);
    assert_eq!(View::selected_rows(&g), vec![2, 3, 4, 5, 6, 7, 8]);
    // Ctrl+click takes one out; a plain click selects one; Escape clears.
    g.set_scroll(0.0, 990.0 * m.row_height);
    let view_of_4 = (0..1000).find(|&v| g.source_row(v) == 4).unwrap();
    let (x, y) = cell(view_of_4 - g.visible_rows().start);
    let _ = View::pointer_down_add(&mut g, x, y);
    g.pointer_up(x, y);
    assert_eq!(View::selected_rows(&g), vec![2, 3, 5, 6, 7, 8]);
    g.select(view_of_4, 0);
    assert_eq!(View::selected_rows(&g), vec![4], "a plain select starts again");
    let _ = View::key(&mut g, "Escape", false, false);
    assert!(View::selected_rows(&g).is_empty());
}

#[test]
fn a_search_finds_rows_and_steps_through_them_in_the_order_shown() {
    use huntviz_draw::view::View;
    // host-0 is every third row (i % 3 == 0).
    let mut g = grid(numbers(30), 600.0, 400.0);
    assert_eq!(View::search(&mut g, "HOST-0", false).unwrap(), 10);
    assert_eq!(View::match_position(&g), (10, None));
    let _ = View::search_step(&mut g, true);
    assert_eq!(View::selected_rows(&g), vec![0]);
    let _ = View::search_step(&mut g, true);
    assert_eq!(View::selected_rows(&g), vec![3]);
    assert_eq!(View::match_position(&g), (10, Some(2)));
    // Sorted by n ascending (the last rows first): the matches follow the rows shown.
    g.toggle_sort(0);
    let _ = View::search_step(&mut g, true);
    assert_eq!(View::selected_rows(&g), vec![27], "the first match as now shown");
    assert_eq!(View::search(&mut g, "host-[12]$", true).unwrap(), 20);
    assert!(View::search(&mut g, "(", true).is_err(), "an invalid regex says so");
    assert_eq!(View::search(&mut g, "", false).unwrap(), 0);
    assert_eq!(View::match_position(&g), (0, None));
}

#[test]
fn matches_only_shows_the_matching_rows_in_the_order_shown_and_keeps_the_selection_by_row() {
    use huntviz_draw::view::View;
    // host-0 is every third row (i % 3 == 0); n descends.
    let mut g = grid(numbers(30), 600.0, 400.0);
    let full_height = g.content_size().1;
    let _ = View::select_rows(&mut g, &[4, 6]);
    assert_eq!(View::search(&mut g, "HOST-0", false).unwrap(), 10);
    let r = View::set_matches_only(&mut g, true);
    assert!(r.redraw && r.resized);
    let shown = |g: &Grid| (0..g.view_len()).map(|v| g.source_row(v)).collect::<Vec<_>>();
    assert_eq!(shown(&g), (0..30).step_by(3).collect::<Vec<_>>());
    assert_eq!(View::row_count(&g), 10);
    assert!(g.content_size().1 < full_height);
    let line = View::status_line(&g, 0);
    assert!(line.ends_with(" · matches only: 10 of 30 · 2 selected"), "{line}");
    // Row 4 is not shown: no cell is selected here, but both rows stay selected.
    assert_eq!(g.selected(), None);
    assert_eq!(View::selected_rows(&g), vec![4, 6]);
    // A sort keeps the filter; the matches step in the order shown.
    g.toggle_sort(0);
    assert_eq!(shown(&g), (0..30).step_by(3).rev().collect::<Vec<_>>());
    let _ = View::search_step(&mut g, true);
    assert_eq!(View::selected_rows(&g), vec![27]);
    // A linked selection whose first row is hidden selects the first shown one's cell.
    let _ = View::select_rows(&mut g, &[1, 3]);
    assert_eq!(g.selected().map(|(v, _)| g.source_row(v)), Some(3));
    assert_eq!(View::selected_rows(&g), vec![1, 3]);
    // Hidden rows are not hit: the last view row is the last match.
    let _ = View::key(&mut g, "End", true, false);
    assert_eq!(g.selected().map(|(v, _)| g.source_row(v)), Some(0));
    // A new search keeps "matches only"; an empty one shows every row.
    assert_eq!(View::search(&mut g, "host-[12]$", true).unwrap(), 20);
    assert_eq!(g.view_len(), 20);
    assert!(shown(&g).iter().all(|r| r % 3 != 0));
    assert_eq!(View::search(&mut g, "", false).unwrap(), 0);
    assert_eq!(g.view_len(), 30);
    assert_eq!(View::search(&mut g, "host-1", false).unwrap(), 10);
    let _ = View::set_matches_only(&mut g, false);
    assert_eq!(g.view_len(), 30);
    assert!(!View::status_line(&g, 0).contains("matches only"));
    assert_eq!(g.content_size().1, full_height);
}
