//! The tree view: status, folding, search, focus, keyboard, colour, hostile text, golden SVGs.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use huntviz_draw::testing::golden_svg;
use std::sync::Arc;

use huntviz_draw::{to_svg, Item, Theme, WEAK};
use huntviz_process_tree::view::{PidFormat, TreeOptions, TreeView};
use huntviz_process_tree::{build, Evidence, Link, NONE};
use huntviz_table::{parse, schema, ParseOptions};

fn fixture(path: &str) -> Vec<u8> {
    let p = format!("{}/../../{path}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&p).unwrap_or_else(|e| panic!("{p}: {e}"))
}

fn view_of(bytes: Vec<u8>, options: &TreeOptions) -> TreeView {
    let d = parse(bytes, &ParseOptions::default()).unwrap();
    let t = Arc::new(d.tables.into_iter().next().unwrap());
    let info = schema::detect(&t, &Default::default());
    let f = build(&t, &info).unwrap();
    let mut v = TreeView::new(t, &info, f, &Theme::light(), options);
    v.set_viewport(1400.0, 600.0);
    v
}

fn demo() -> TreeView {
    view_of(fixture("examples/data/process_events.json"), &TreeOptions::default())
}

#[test]
fn status_line_counts_processes_roots_depth_hosts_inferred() {
    let v = demo();
    let s = v.forest().summary;
    assert_eq!(
        v.status_line(0),
        format!(
            "Process tree · 1,035 processes · {} roots · depth {} · 5 hosts · {} inferred",
            s.roots, s.depth, s.inferred
        )
    );
    assert_eq!((s.processes, s.hosts), (1035, 5));
}

#[test]
fn folding_a_row_hides_exactly_its_subtree_and_unfolding_restores_it() {
    let mut v = demo();
    let before = v.row_count();
    assert_eq!(before, 1040, "small trees open fully: 5 hosts + 1,035 processes");
    // Fold the first host's first root via its fold control.
    let text = v.visible_text();
    let root = &text.rows[1];
    let (rh, hh) = (text.rows[2].top - text.rows[1].top, text.rows[0].top);
    let descendants = {
        let id = (root.row - 1) as u32;
        let mut n = 0;
        let mut stack = vec![id];
        while let Some(x) = stack.pop() {
            let c = v.forest().children(x);
            n += c.len();
            stack.extend_from_slice(c);
        }
        n
    };
    assert!(descendants > 0);
    // A root is level 1: its fold control sits one indent (2 characters) in.
    let toggle_x = 6.0 + 2.0 * Theme::light().char_width + 1.0;
    v.pointer_down(toggle_x, hh + rh * 1.5, false);
    assert_eq!(v.row_count(), before - descendants);
    assert_eq!(v.visible_text().rows[1].expanded, Some(false));
    v.pointer_down(toggle_x, hh + rh * 1.5, false);
    assert_eq!(v.row_count(), before);
    // Fold all, unfold to depth 1, unfold all.
    v.collapse_all();
    assert_eq!(v.row_count(), 5, "only the host rows");
    v.expand_to_depth(1);
    assert_eq!(v.row_count(), 5 + v.forest().summary.roots);
    v.expand_all();
    assert_eq!(v.row_count(), before);
}

#[test]
fn large_trees_open_folded_and_expand_depth_is_an_option() {
    let v = view_of(
        fixture("examples/data/process_events.json"),
        &TreeOptions { expand_depth: Some(1), ..TreeOptions::default() },
    );
    assert_eq!(v.row_count(), 5 + v.forest().summary.roots);
}

#[test]
fn search_counts_steps_through_matches_and_unfolds_their_ancestors() {
    let mut v = demo();
    v.collapse_all();
    let n = v.search("whoami", false).unwrap();
    let expected = v
        .forest()
        .nodes
        .iter()
        .filter(|x| !x.inferred())
        .filter(|x| {
            // Any column contains "whoami" (case-insensitive): file name or command lines.
            (0..15).any(|c| v_cell(&v, x.row as usize, c).to_lowercase().contains("whoami"))
        })
        .count();
    assert_eq!(n, expected);
    assert!(n > 1);
    let r = v.step_match(true);
    assert!(r.selection && r.scroll_to.is_some());
    let first = v.selected().unwrap();
    assert_eq!(v.match_position(), (n, Some(1)));
    // Its ancestors are unfolded: it is a visible row.
    assert!(v.visible_text().rows.iter().any(|r| r.row == first as usize + 1) || v.row_count() > 5);
    v.step_match(true);
    assert_ne!(v.selected(), Some(first));
    v.step_match(false);
    assert_eq!(v.selected(), Some(first));
    v.step_match(false);
    assert_eq!(v.match_position().1, Some(n), "previous wraps to the last");
    // Matches only: every shown process is a match or an ancestor of one.
    v.set_matches_only(true);
    let shown = v.row_count();
    assert!(shown < 1040 && shown > n);
    // Regex, and an invalid one is an error, not a panic.
    assert_eq!(
        v.search("^WHOAMI\\.exe$", true).unwrap(),
        v.forest().nodes.iter().filter(|x| !x.inferred() && v_cell(&v, x.row as usize, 3) == "whoami.exe").count()
    );
    assert!(v.search("(", true).unwrap_err().contains("invalid regular expression"));
    v.search("", false).unwrap();
    assert_eq!(v.match_position(), (0, None));
}

#[test]
fn search_reads_every_column_kind_and_ignores_case() {
    let mut v = demo();
    let lower = v.search("whoami", false).unwrap();
    assert_eq!(v.search("WhoAmI", false).unwrap(), lower);
    // A datetime and a long column match their shown text; the first row's node is among them.
    let first = v.forest().nodes.iter().position(|x| !x.inferred() && x.row == 0).unwrap() as u32;
    for col in [0, 5] {
        let text = v_cell(&v, 0, col);
        assert!(!text.is_empty());
        let n = v.search(&text, false).unwrap();
        assert!(n >= 1, "{text}");
        let mut seen = false;
        for _ in 0..n {
            v.step_match(true);
            seen |= v.selected() == Some(first);
        }
        assert!(seen, "row 0 matches its own column {col} text {text:?}");
    }
}

fn v_cell(_v: &TreeView, row: usize, col: usize) -> String {
    thread_local! {
        static TABLE: huntviz_table::Table =
            parse(fixture("examples/data/process_events.json"), &ParseOptions::default()).unwrap().tables.remove(0);
    }
    TABLE.with(|t| t.cell_text(row, col).unwrap_or_default())
}

#[test]
fn focus_shows_only_ancestors_and_descendants() {
    let mut v = demo();
    // The deepest process.
    let deepest = (0..v.forest().nodes.len() as u32).max_by_key(|&n| v.forest().node(n).unwrap().depth).unwrap();
    let ancestors = v.forest().ancestors(deepest);
    v.set_focus(Some(deepest));
    let shown: Vec<usize> = v.visible_text().rows.iter().map(|r| r.row).collect();
    let _ = shown;
    assert_eq!(v.row_count(), 1 + ancestors.len() + 1, "host + ancestors + the leaf");
    v.set_focus(None);
    assert_eq!(v.row_count(), 1040);
}

#[test]
fn keyboard_moves_and_folds() {
    let mut v = demo();
    v.key("ArrowDown");
    let first = v.selected().unwrap();
    assert_eq!(v.forest().node(first).unwrap().parent, NONE, "the first process row is a root");
    v.key("ArrowLeft");
    assert!(v.row_count() < 1040, "left folds an open node");
    v.key("ArrowRight");
    assert_eq!(v.row_count(), 1040, "right unfolds it");
    v.key("ArrowRight");
    assert_eq!(v.forest().node(v.selected().unwrap()).unwrap().parent, first, "right again goes to the first child");
    v.key("ArrowLeft");
    v.key("ArrowLeft");
    assert_eq!(v.selected(), Some(first), "left on a leaf goes to the parent");
    let d = v.detail().unwrap();
    assert!(d.title.contains(&format!("({})", v.forest().node(first).unwrap().pid)));
}

#[test]
fn detail_lists_every_column_and_the_ancestor_chain() {
    let mut v = demo();
    let deepest = (0..v.forest().nodes.len() as u32)
        .filter(|&n| !v.forest().node(n).unwrap().inferred())
        .max_by_key(|&n| v.forest().node(n).unwrap().depth)
        .unwrap();
    v.select_node(deepest);
    let d = v.detail().unwrap();
    assert_eq!(d.fields.len(), 15);
    assert_eq!(d.fields[0].0, "TimeGenerated");
    assert_eq!(d.related.len(), v.forest().ancestors(deepest).len());
    assert_eq!(d.related.last().unwrap().0, v.forest().node(deepest).unwrap().parent, "root first, parent last");
    // Inferred processes say so.
    let inferred = (0..v.forest().nodes.len() as u32).find(|&n| v.forest().node(n).unwrap().inferred()).unwrap();
    v.select_node(inferred);
    let d = v.detail().unwrap();
    assert!(d.inferred && d.fields.iter().any(|f| f.1.starts_with("inferred")));
}

#[test]
fn colour_by_a_column_builds_a_legend() {
    let mut v = demo();
    let legend = v.set_color_by(Some("AccountName"));
    assert!(!legend.is_empty());
    let total: usize = legend.iter().map(|e| e.count).sum();
    assert_eq!(total, 1010, "every real process has a colour");
    let legend = v.set_color_by(Some("TimeGenerated"));
    assert_eq!(legend.len(), 2, "a gradient from the first to the last time");
    assert_eq!(v.color_by(), Some("TimeGenerated"), "the toolbar says which column");
    assert!(v.set_color_by(Some("NoSuchColumn")).is_empty());
    assert_eq!(v.color_by(), None);
}

#[test]
fn highlight_and_pid_format_options() {
    let v = view_of(
        fixture("examples/data/process_events.json"),
        &TreeOptions { highlight: vec!["/^certutil/".into()], pid_format: PidFormat::Hex, ..TreeOptions::default() },
    );
    let scene = v.scene(&Theme::light());
    let pids: Vec<&str> = scene.texts().filter(|t| t.starts_with("0x")).collect();
    assert!(!pids.is_empty(), "PIDs shown in hex");
    let sec = view_of(fixture("tests/fixtures/sysmon.csv"), &TreeOptions::default());
    assert!(sec.scene(&Theme::light()).texts().any(|t| t == "4242"), "decimal sources stay decimal");
}

#[test]
fn hostile_command_lines_are_drawn_as_visible_text() {
    let mut csv = String::from("TimeGenerated,Computer,EventID,ProcessGuid,ProcessId,Image,CommandLine,ParentProcessGuid,ParentProcessId,ParentImage\n");
    csv.push_str("2024-05-06T00:00:01Z,ws-01,1,{00000000-0000-0000-0000-000000000001},7,C:\\evil\u{202e}gpj.exe,\"<img src=x onerror=alert(1)> </text><script>x</script>\",{00000000-0000-0000-0000-000000000000},4,C:\\Windows\\explorer.exe\n");
    let v = view_of(csv.into_bytes(), &TreeOptions::default());
    let scene = v.scene(&Theme::light());
    assert!(scene.texts().any(|t| t.starts_with("evil⟨U+202E⟩gpj.exe")));
    assert!(scene.texts().any(|t| t.starts_with("<img src=x onerror=alert(1)>")));
    assert!(scene.texts().all(|t| !t.contains('\u{202e}')));
    let svg = to_svg(&scene, &Theme::light());
    assert!(!svg.contains("<img") && !svg.contains("<script"));
}

#[test]
fn golden_svgs_folded_and_unfolded() {
    for (name, fold) in [("tree_sysmon_unfolded", false), ("tree_sysmon_folded", true)] {
        let mut v = view_of(fixture("tests/fixtures/sysmon.csv"), &TreeOptions::default());
        v.set_viewport(1100.0, 160.0);
        if fold {
            v.collapse_all();
            v.expand_to_depth(1);
        }
        golden_svg(name, &to_svg(&v.scene(&Theme::light()), &Theme::light()));
    }
}

#[test]
fn the_whole_fold_glyph_is_clickable() {
    for dx in [0.0f32, 0.5, 1.0, 1.5] {
        let mut v = demo();
        let cw = Theme::light().char_width;
        let text = v.visible_text();
        let (rh, hh) = (text.rows[2].top - text.rows[1].top, text.rows[0].top);
        let before = v.row_count();
        v.pointer_down(6.0 + 2.0 * cw + dx * cw, hh + rh * 1.5, false);
        assert!(v.row_count() < before, "click {dx} characters into the glyph folds");
    }
}

/// The view of the hand-made memory image, and the node of a row.
fn snapshot() -> TreeView {
    view_of(fixture("tests/fixtures/memory_snapshot.csv"), &TreeOptions::default())
}

fn node_of(v: &TreeView, row: u32) -> u32 {
    v.forest().nodes.iter().position(|n| n.row == row).unwrap() as u32
}

#[test]
fn every_link_says_how_it_was_made_in_the_detail_and_the_tooltip() {
    let mut v = snapshot();
    let mut link_of = |row: u32| {
        v.select_node(node_of(&v, row));
        v.detail().unwrap().link.unwrap()
    };
    // csrss.exe names PID 548, which a later svchost holds: its parent is inferred, and
    // the detail says why.
    let l = link_of(3);
    assert_eq!((l.kind.as_str(), l.evidence), (Link::Inferred.id(), Evidence::Inferred));
    assert!(l.explanation.contains("svchost.exe (548)") && l.explanation.contains("reused"), "{}", l.explanation);
    let l = link_of(1);
    assert_eq!((l.kind.as_str(), l.evidence), (Link::System.id(), Evidence::Weak));
    assert!(l.explanation.contains("PID 4") && l.explanation.contains("4.000 s after"), "{}", l.explanation);
    let l = link_of(2);
    assert_eq!(l.kind, Link::SameTick.id());
    assert!(l.explanation.contains("in the same second"), "{}", l.explanation);
    let l = link_of(5);
    assert_eq!((l.kind.as_str(), l.evidence), (Link::PidTime.id(), Evidence::Exact));
    assert!(
        l.explanation.contains("wininit.exe (632) is the latest")
            && l.explanation.contains("05:05:00 < 2024-05-06 05:05:01"),
        "{}",
        l.explanation
    );
    // The tooltip names the kind too.
    let text = v.visible_text();
    let csrss = text.rows.iter().find(|r| r.cells[0] == "csrss.exe").unwrap();
    let tip = v.tooltip(10.0, csrss.top + 2.0).unwrap();
    assert!(tip.text.contains("parent link: inferred parent"), "{}", tip.text);
    let registry = text.rows.iter().find(|r| r.cells[0] == "Registry").unwrap();
    assert!(v.tooltip(10.0, registry.top + 2.0).unwrap().text.contains("parent link: System process (PID 4)"));
    // The legend counts every kind in the tree.
    let legend: Vec<(String, usize)> = v.link_legend().into_iter().map(|e| (e.kind, e.count)).collect();
    let want = [("pid-time", 4), ("same-tick", 3), ("system", 1), ("inferred", 4)];
    assert_eq!(legend, want.map(|(k, n)| (k.to_string(), n)));
}

#[test]
fn weaker_links_are_drawn_dashed_in_their_own_colour() {
    let weak_lines = |v: &TreeView| {
        v.scene(&Theme::light())
            .items
            .iter()
            .filter(|i| matches!(i, Item::Line { color, .. } if *color == WEAK))
            .count()
    };
    let v = snapshot();
    // Registry, smss and svchost 908 are weak links; each elbow is several dashes.
    assert!(weak_lines(&v) > 6, "{}", weak_lines(&v));
    // A tree of GUID links has none.
    let exact = view_of(fixture("tests/fixtures/sysmon.csv"), &TreeOptions::default());
    assert_eq!(weak_lines(&exact), 0);
    assert!(exact.scene(&Theme::light()).items.iter().any(|i| matches!(i, Item::Line { .. })));
}

#[test]
fn a_process_known_by_path_and_base_name_shows_the_path_and_keeps_both() {
    let csv = "ComputerDnsName,CreatedProcessId,CreatedProcessName,CreatedProcessCreationTime,InitiatingProcessId,InitiatingProcessName,InitiatingProcessCreationTime,InitiatingProcessParentProcessId,InitiatingProcessParentProcessName,InitiatingProcessParentCreationTime\n\
        ws1,768,services.exe,2021-06-23 00:00:01+00:00,632,wininit.exe,2021-06-23 00:00:00+00:00,548,smss.exe,2021-06-22 23:59:59+00:00\n\
        ws1,3000,cmd.exe,2021-06-23 00:10:00+00:00,2000,svchost.exe,2021-06-23 00:05:00+00:00,768,\\Device\\HarddiskVolume3\\Windows\\System32\\services.exe,2021-06-23 00:00:01+00:00\n";
    let mut v = view_of(csv.as_bytes().to_vec(), &TreeOptions::default());
    let services = node_of(&v, 0);
    v.select_node(services);
    let d = v.detail().unwrap();
    assert_eq!(d.names, ["services.exe", "\\Device\\HarddiskVolume3\\Windows\\System32\\services.exe"]);
    assert_eq!(v.name(services), d.names[1], "the longest name known");
    assert_eq!(d.title, "services.exe (768)", "rows and titles show the base name");
    // Searching the path finds the one services node.
    assert_eq!(v.search("HarddiskVolume3", false).unwrap(), 1);
}

#[test]
fn a_link_by_pid_alone_says_what_time_is_missing() {
    let mut v = view_of(b"Pid,Ppid,Name\n4,0,System\n404,4,smss.exe\n".to_vec(), &TreeOptions::default());
    v.select_node(node_of(&v, 1));
    let l = v.detail().unwrap().link.unwrap();
    assert_eq!((l.kind.as_str(), l.evidence), (Link::PidOnly.id(), Evidence::Weak));
    assert_eq!(
        l.explanation,
        "System (4) has the parent's PID, but neither has a start time, so it cannot be checked that it was alive when this process started"
    );
}

#[test]
fn highlight_work_is_bounded_and_what_is_left_out_is_said() {
    let mut patterns: Vec<String> = (0..20).map(|i| format!("/no-such-{i}/")).collect();
    patterns[0] = "/WHOAMI/".into();
    patterns[1] = "x".repeat(300);
    patterns[2] = "/(unclosed/".into();
    let v =
        view_of(fixture("tests/fixtures/sysmon.csv"), &TreeOptions { highlight: patterns, ..TreeOptions::default() });
    assert_eq!(v.notes().len(), 3, "{:?}", v.notes());
    assert!(v.notes()[0].message.contains("only the first 16 of 20 patterns"));
    assert!(v.notes()[1].message.contains("longer than 256 characters"));
    assert!(v.notes()[2].message.contains("invalid regular expression"));
    // The patterns kept still work: whoami.exe by its name, cmd.exe by its command line
    // (`cmd.exe /c whoami`).
    let marked: Vec<String> = v
        .scene(&Theme::light())
        .items
        .iter()
        .filter_map(|i| match i {
            Item::Text { text, color, .. } if *color == huntviz_draw::HIGHLIGHT => Some(text.clone()),
            _ => None,
        })
        .collect();
    assert_eq!(marked, ["cmd.exe", "whoami.exe"]);
}

#[test]
fn a_selected_process_names_its_row_and_its_subtree_rows() {
    use huntviz_draw::view::View;
    let mut v = demo();
    let nodes = v.forest().nodes.clone();
    // The rows under each node, from the parent links alone (walking up from every node).
    let under = |root: u32| -> Vec<u32> {
        let mut rows: Vec<u32> = (0..nodes.len() as u32)
            .filter(|&n| {
                let mut at = n;
                loop {
                    if at == root {
                        return true;
                    }
                    match nodes.get(at as usize) {
                        Some(node) if node.parent != NONE => at = node.parent,
                        _ => return false,
                    }
                }
            })
            .filter_map(|n| nodes.get(n as usize).filter(|node| !node.inferred()).map(|node| node.row))
            .collect();
        rows.sort_unstable();
        rows
    };
    let mut big = 0;
    for n in 0..nodes.len() as u32 {
        v.select_node(n);
        let node = &nodes[n as usize];
        let own = if node.inferred() { vec![] } else { vec![node.row] };
        assert_eq!(View::selected_rows(&v), own, "node {n}");
        let subtree = View::selected_subtree_rows(&v);
        assert_eq!(subtree, under(n), "subtree of node {n}");
        big = big.max(subtree.len());
    }
    assert!(big > 50, "some subtree is large: {big}");
}

#[test]
fn ctrl_click_adds_processes_to_the_selection_and_a_plain_click_starts_over() {
    use huntviz_draw::view::View;
    let mut v = demo();
    let text = v.visible_text();
    let (rh, hh) = (text.rows[2].top - text.rows[1].top, text.rows[0].top);
    // Rows 3 and 6 of the view (below a host and a root): processes with rows.
    let row_of = |v: &TreeView, i: usize| {
        let node = v.visible_text().rows[i].row - 1;
        v.forest().nodes[node].row
    };
    let y = |i: usize| hh + rh * (i as f32 + 0.5);
    let x = 600.0; // in the command line column: never a fold control
    let (a, b) = (row_of(&v, 3), row_of(&v, 6));
    let _ = View::pointer_down(&mut v, x, y(3), false);
    assert_eq!(View::selected_rows(&v), vec![a]);
    let r = View::pointer_down_add(&mut v, x, y(6));
    assert!(r.selection && r.redraw);
    let mut both = vec![a, b];
    both.sort_unstable();
    assert_eq!(View::selected_rows(&v), both);
    // Shift adds too; the same process again takes it out.
    let _ = View::pointer_down(&mut v, x, y(6), true);
    assert_eq!(View::selected_rows(&v), vec![a]);
    let _ = View::pointer_down_add(&mut v, x, y(6));
    // Taking out the first keeps the other, which the detail panel now shows.
    let _ = View::pointer_down_add(&mut v, x, y(3));
    assert_eq!(View::selected_rows(&v), vec![b]);
    assert_eq!(v.selected().map(|n| v.forest().nodes[n as usize].row), Some(b));
    // Both subtrees, each row once.
    let _ = View::pointer_down_add(&mut v, x, y(3));
    let subtree = View::selected_subtree_rows(&v);
    assert!(subtree.contains(&a) && subtree.contains(&b));
    assert!(subtree.windows(2).all(|w| w[0] < w[1]));
    // A plain click selects that one only.
    let _ = View::pointer_down(&mut v, x, y(3), false);
    assert_eq!(View::selected_rows(&v), vec![a]);
}

#[test]
fn folds_survive_a_new_rendering_of_the_output_by_row_and_host() {
    let mut v = demo();
    let open = v.row_count();
    let text = v.visible_text();
    let (rh, hh) = (text.rows[2].top - text.rows[1].top, text.rows[0].top);
    // Fold the first root, then (separately) the first host.
    let toggle_x = 6.0 + 2.0 * Theme::light().char_width + 1.0;
    v.pointer_down(toggle_x, hh + rh * 1.5, false);
    let root_folded = v.row_count();
    assert!(root_folded < open);
    // A new view of the same result (as after a pivot's rewrite) opens fully, then takes the folds back.
    let mut again = demo();
    assert_eq!(again.row_count(), open);
    assert!(again.remember(&v.memory()).resized);
    assert_eq!(again.row_count(), root_folded);
    assert_eq!(again.visible_text().rows[1].expanded, Some(false));
    v.pointer_down(10.0, hh + rh * 0.5, false);
    assert!(v.row_count() < root_folded, "the host is shut");
    let mut third = demo();
    let _ = third.remember(&v.memory());
    assert_eq!((third.row_count(), third.memory()), (v.row_count(), v.memory()));
    // Nothing recorded: nothing changes.
    assert!(!again.remember(&huntviz_process_tree::view::Memory::default()).resized);
}
