//! Entity graphs: `$id`/`$ref` resolution, merging by strong identifiers, edge lists,
//! hostile and broken references, layout determinism, interaction, golden SVG; and the
//! real MSTICPy alert and network files when `../shared` is present.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use huntviz_draw::testing::golden_svg;
use std::collections::{HashMap, HashSet};

use huntviz_draw::{to_svg, Theme};
use huntviz_graph::{build, EntityGraph, GraphOptions, GraphView, Origin};
use huntviz_table::{parse, parse_str, Table};
use serde_json::Value;

fn fixture(name: &str) -> String {
    std::fs::read_to_string(format!("{}/../../tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"))).unwrap()
}

fn shared(path: &str) -> Option<Vec<u8>> {
    let p = huntviz_table::testing::shared_datasets()?.join(path);
    Some(std::fs::read(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display())))
}

fn table_of(bytes: Vec<u8>) -> Table {
    let mut d = parse(bytes, &Default::default()).unwrap();
    d.tables.swap_remove(0)
}

fn graph_of(t: &Table, options: &GraphOptions) -> EntityGraph {
    let schema = huntviz_table::schema::detect(t, &Default::default());
    build(t, &schema, options).unwrap()
}

fn node(g: &EntityGraph, kind: &str, label: &str) -> petgraph::graph::NodeIndex {
    g.graph.node_indices().find(|&n| g.graph[n].kind == kind && g.graph[n].label == label).unwrap_or_else(|| {
        let all: Vec<_> = g.graph.node_weights().map(|n| (&n.kind, &n.label)).collect();
        panic!("no {kind} {label:?} in {all:?}")
    })
}

fn edge_labels(g: &EntityGraph, a: petgraph::graph::NodeIndex, b: petgraph::graph::NodeIndex) -> Vec<String> {
    g.graph.edges_connecting(a, b).map(|e| e.weight().label.clone()).collect()
}

#[test]
fn own_alerts_merge_by_strong_identifiers_and_keep_bad_references_as_warnings() {
    let t = table_of(fixture("alert_entities.json").into_bytes());
    let g = graph_of(&t, &GraphOptions::default());
    assert_eq!(g.origin, Origin::Alerts);
    let count = |k: &str| g.graph.node_weights().filter(|n| n.kind == k).count();
    assert_eq!(count("alert"), 4);
    // WKS-01.contoso.local in two spellings, alice by SID in two spellings: one node each.
    assert_eq!(count("host"), 1);
    assert_eq!(count("account"), 1);
    // cmd.exe (twice, same path), the hostile file.
    assert_eq!(count("file"), 2);
    // The whoami process (same host, PID and creation time in both alerts), its child,
    // and the three processes of the reference soup.
    assert_eq!(count("process"), 5);
    let host = node(&g, "host", "WKS-01");
    let a1 = node(&g, "alert", "Suspicious whoami");
    let a2 = node(&g, "alert", "<b onmouseover=alert(1)>Masquerading</b>");
    // Both alerts reach the shared host directly: they are linked through it.
    assert_eq!(edge_labels(&g, a1, host), ["entity"]);
    assert_eq!(edge_labels(&g, a2, host), ["entity"]);
    let whoami = node(&g, "process", "cmd.exe (0x1558)");
    let child = g.graph.node_indices().find(|&n| g.graph[n].label.contains("(0x99)")).unwrap();
    assert_eq!(edge_labels(&g, child, whoami), ["ParentProcess"]);
    assert_eq!(edge_labels(&g, whoami, host), ["Host"]);
    assert_eq!(g.graph[whoami].rows, [0, 1], "the rows it came from");
    // The hostile file name is a label, kept as text.
    assert!(g.graph.node_weights().any(|n| n.label == "<img src=x onerror=alert(1)>.exe"));
    // The cycle is two edges; the dangling and self references are warnings.
    let (p1, p2) = (node(&g, "process", "process (1)"), node(&g, "process", "process (2)"));
    assert_eq!(edge_labels(&g, p1, p2), ["ParentProcess"]);
    assert_eq!(edge_labels(&g, p2, p1), ["ParentProcess"]);
    let w = g.warnings.join("\n");
    assert!(w.contains("$ref \"99\" (Account) points to no entity"), "{w}");
    assert!(w.contains("entity 3 refers to itself (ParentProcess)"), "{w}");
    assert!(w.contains("row 4: its Entities are not JSON"), "{w}");
    assert!(
        w.contains("row 3 (Reference soup): entities refer to each other in a cycle (through ParentProcess)"),
        "{w}"
    );
    assert_eq!(g.warnings.len(), 4, "{w}");
}

#[test]
fn entities_json_keyed_by_id_with_repeated_inline_ids() {
    let Some(bytes) = shared("msticpy/alerts/entities.json") else { return };
    let text = String::from_utf8(bytes).unwrap();
    let doc = serde_json::json!({"tables": [{"name": "PrimaryResult",
        "columns": [{"name": "AlertDisplayName", "type": "string"}, {"name": "Entities", "type": "string"}],
        "rows": [["mimikatz", text]]}]});
    let t = table_of(doc.to_string().into_bytes());
    let g = graph_of(&t, &GraphOptions::default());
    assert!(g.warnings.is_empty(), "{:?}", g.warnings);
    let kinds: HashMap<&str, usize> = g.kinds.iter().map(|(k, n)| (k.as_str(), *n)).collect();
    // 7 entities (the ImageFile repeated inline by its $id is the same file) and the alert.
    assert_eq!(g.graph.node_count(), 8);
    assert_eq!(kinds.get("file"), Some(&2));
    assert_eq!(kinds.get("process"), Some(&2));
    let mimikatz = node(&g, "process", "mimikatz.exe (0x6b8)");
    let cmd = node(&g, "process", "cmd.exe (0x1558)");
    assert_eq!(edge_labels(&g, mimikatz, cmd), ["ParentProcess"]);
    assert_eq!(edge_labels(&g, mimikatz, node(&g, "file", "mimikatz.exe")), ["ImageFile"]);
    assert_eq!(edge_labels(&g, mimikatz, node(&g, "account", "WORKGROUP\\MSTICAlertsWin1$")), ["Account"]);
}

/// Every entity object (not a `$ref`) in an alert's JSON, walked without recursion.
fn entity_objects(v: &Value) -> Vec<&serde_json::Map<String, Value>> {
    let mut out = Vec::new();
    let mut stack = vec![v];
    while let Some(v) = stack.pop() {
        match v {
            Value::Array(a) => stack.extend(a),
            Value::Object(o) => {
                if o.contains_key("Type") {
                    out.push(o);
                }
                stack.extend(o.values());
            }
            _ => {}
        }
    }
    out
}

#[test]
fn msticpy_alertlist_resolves_every_reference_and_merges_as_documented() {
    let Some(bytes) = shared("msticpy/alerts/alertlist.csv") else { return };
    let t = table_of(bytes);
    assert_eq!(t.rows(), 189);
    let g = graph_of(&t, &GraphOptions::default());
    assert!(g.warnings.is_empty(), "every $ref resolves: {:?}", g.warnings);
    let col = t.column_index("Entities").unwrap();
    let (mut refs, mut ips, mut hosts, mut accounts) = (0, HashSet::new(), HashSet::new(), HashSet::new());
    for row in 0..t.rows() {
        let Some(text) = t.cell_text(row, col).filter(|t| !t.is_empty()) else { continue };
        refs += text.matches("\"$ref\"").count();
        let v: Value = serde_json::from_str(&text).unwrap();
        for o in entity_objects(&v) {
            let s = |k: &str| o.get(k).and_then(Value::as_str).filter(|s| !s.is_empty()).map(str::to_lowercase);
            match o.get("Type").and_then(Value::as_str) {
                Some("ip") => {
                    ips.insert(s("Address").unwrap());
                }
                Some("host") => {
                    // FQDN, Azure id, agent id, then name (with its DNS domain).
                    let name = s("HostName").or_else(|| s("NetBiosName")).map(|n| match s("DnsDomain") {
                        Some(d) => format!("{n}.{d}"),
                        None => n,
                    });
                    hosts.insert(s("FQDN").or_else(|| s("AzureID")).or_else(|| s("OMSAgentID")).or(name).unwrap());
                }
                Some("account") => {
                    accounts.insert(s("Sid").unwrap_or_else(|| {
                        format!("{}\\{}", s("NTDomain").unwrap_or_default(), s("Name").unwrap_or_default())
                    }));
                }
                _ => {}
            }
        }
    }
    assert_eq!(refs, 1295, "the file's $refs (MANIFEST.md)");
    let count = |k: &str| g.graph.node_weights().filter(|n| n.kind == k).count();
    assert_eq!(count("alert"), 189);
    // IPs by address, hosts by FQDN (or name), accounts by SID (or domain\name).
    assert_eq!(count("ip"), ips.len());
    assert_eq!(count("host"), hosts.len());
    assert_eq!(count("account"), accounts.len());
    // Merging never makes more nodes than raw entities (MANIFEST.md's per-type counts).
    for (kind, raw) in
        [("file", 272), ("process", 272), ("account", 205), ("host", 176), ("host-logon-session", 137), ("ip", 26)]
    {
        assert!(count(kind) <= raw && count(kind) > 0, "{kind}: {} of {raw}", count(kind));
    }
    // Alerts sharing a host are linked through it.
    let shared_host = g
        .graph
        .node_indices()
        .filter(|&n| g.graph[n].kind == "host")
        .map(|n| {
            g.graph.neighbors_directed(n, petgraph::Direction::Incoming).filter(|&a| g.graph[a].kind == "alert").count()
        })
        .max()
        .unwrap();
    assert!(shared_host >= 10, "a host shared by {shared_host} alerts");
}

#[test]
fn msticpy_network_flows_as_an_edge_list() {
    let Some(bytes) = shared("msticpy/network/az_net_flows.csv") else { return };
    let t = table_of(bytes);
    let options =
        GraphOptions { source: Some("VMIPAddress".into()), target: Some("AllExtIPs".into()), ..Default::default() };
    let g = graph_of(&t, &options);
    assert_eq!(g.origin, Origin::EdgeList);
    let (s, d) = (t.column_index("VMIPAddress").unwrap(), t.column_index("AllExtIPs").unwrap());
    let mut pairs: HashMap<(String, String), u32> = HashMap::new();
    let mut rows = 0;
    for row in 0..t.rows() {
        if let (Some(a), Some(b)) = (t.cell_text(row, s), t.cell_text(row, d)) {
            *pairs.entry((a, b)).or_default() += 1;
            rows += 1;
        }
    }
    assert_eq!(g.graph.edge_count(), pairs.len(), "parallel rows are one edge");
    assert_eq!(g.graph.edge_weights().map(|e| e.count as usize).sum::<usize>(), rows);
    assert!(g.graph.edge_weights().all(|e| e.first.is_some() && e.first <= e.last));
    assert!(g.warnings.iter().any(|w| w.contains("8 rows have no VMIPAddress")), "{:?}", g.warnings);
    // The detected SrcIP → DestIP pair is used without options.
    let auto = graph_of(&t, &GraphOptions::default());
    assert_eq!(auto.graph.edge_count(), 3);
}

#[test]
fn deep_nesting_is_read_and_too_deep_json_is_a_warning() {
    let mut v = serde_json::json!({"$id": "0", "Type": "process", "ProcessId": "0"});
    for i in 1..100 {
        v = serde_json::json!({"$id": i.to_string(), "Type": "process", "ProcessId": i.to_string(), "ParentProcess": v});
    }
    let mut deep = String::from("[");
    for _ in 0..5000 {
        deep.push_str("{\"Type\":\"x\",\"A\":[");
    }
    let doc = serde_json::json!({"tables": [{"name": "T",
        "columns": [{"name": "Entities", "type": "string"}],
        "rows": [[serde_json::to_string(&vec![v]).unwrap()], [deep]]}]});
    let t = table_of(doc.to_string().into_bytes());
    let g = graph_of(&t, &GraphOptions::default());
    assert_eq!(g.graph.node_weights().filter(|n| n.kind == "process").count(), 100);
    assert_eq!(g.graph.edge_weights().filter(|e| e.label == "ParentProcess").count(), 99);
    assert!(g.warnings.iter().any(|w| w.starts_with("row 2: its Entities are not JSON")), "{:?}", g.warnings);
}

fn view_of(text: &str, w: f32, h: f32) -> GraphView {
    let t = table_of(text.as_bytes().to_vec());
    let mut v = GraphView::new(graph_of(&t, &GraphOptions::default()), &Theme::light(), None);
    v.set_viewport(w, h);
    v.settle();
    v
}

#[test]
fn layout_is_deterministic_and_a_dragged_node_stays_pinned() {
    let a = view_of(&fixture("alert_entities.json"), 800.0, 500.0);
    let b = view_of(&fixture("alert_entities.json"), 800.0, 500.0);
    assert!(a.settled());
    assert_eq!(a.layout().pos, b.layout().pos);
    let mut v = b;
    let vt = v.visible_text();
    let row = &vt.rows[0];
    let (x, y) = (row.mark.unwrap(), row.top);
    let _ = v.pointer_down(x, y);
    let _ = v.pointer_move(x + 40.0, y + 30.0);
    let _ = v.pointer_up(x + 40.0, y + 30.0);
    v.settle();
    let moved = v.visible_text().rows.iter().find(|r| r.row == row.row).map(|r| (r.mark.unwrap(), r.top)).unwrap();
    assert!((moved.0 - (x + 40.0)).abs() < 0.5 && (moved.1 - (y + 30.0)).abs() < 0.5, "{moved:?}");
    assert!(v.layout().pinned[row.row - 1]);
}

#[test]
fn status_legend_search_detail_and_hostile_text() {
    let mut v = view_of(&fixture("alert_entities.json"), 900.0, 500.0);
    assert_eq!(v.status_line(4), "Entity graph · 14 entities · 22 links · 6 types · 4 warnings");
    let legend = v.legend();
    assert_eq!(legend[0].label, "process");
    let before = v.visible_text().rows.len();
    let _ = v.toggle_kind(0);
    assert!(v.legend()[0].hidden);
    assert!(v.visible_text().rows.iter().all(|r| r.cells[1] != "process"));
    assert!(v.visible_text().rows.len() < before);
    let _ = v.toggle_kind(0);
    assert_eq!(v.search("onerror", false), Ok(2), "the hostile file and the alert's name");
    let _ = v.step_match(true);
    let d = v.detail().unwrap();
    assert!(d.fields.iter().any(|(k, val)| k == "from rows" && !val.is_empty()));
    let svg = to_svg(&v.scene(&Theme::light()), &Theme::light());
    assert!(!svg.contains("<img") && !svg.contains("<b "));
    // The right-to-left override in a command line is shown, not obeyed.
    assert_eq!(v.search("exe.tab", false), Ok(1));
    let _ = v.step_match(true);
    let d = v.detail().unwrap();
    assert!(d.fields.iter().any(|(k, val)| k == "CommandLine" && val.contains("U+202E")), "{:?}", d.fields);
    // Click on empty space clears the selection.
    let _ = v.pointer_down(2.0, 2.0);
    assert!(v.pointer_up(2.0, 2.0).selection);
    assert!(v.detail().is_none());
}

#[test]
fn matches_only_shows_the_matched_entities_and_those_linked_to_them() {
    let mut v = view_of(&fixture("alert_entities.json"), 900.0, 500.0);
    let all: HashSet<String> = v.visible_text().rows.into_iter().map(|r| r.cells[0].clone()).collect();
    assert_eq!(v.search("onerror", false), Ok(2));
    let g = &v.graph().graph;
    let hit = |n: &huntviz_graph::build::Node| {
        [&n.label, &n.kind]
            .into_iter()
            .chain(n.props.iter().map(|(_, p)| p))
            .any(|t| t.to_lowercase().contains("onerror"))
    };
    let mut want = HashSet::new();
    for i in g.node_indices().filter(|&i| hit(&g[i])) {
        want.insert(g[i].label.clone());
        want.extend(g.neighbors_undirected(i).map(|j| g[j].label.clone()));
    }
    assert!(want.len() > 2 && want.len() < all.len(), "{want:?}");
    let outside = g.node_indices().find(|&i| !want.contains(&g[i].label)).expect("an entity the filter hides");
    let inside = g.node_indices().find(|&i| want.contains(&g[i].label)).expect("an entity it keeps");
    let (outside, inside) = (outside.index() as u32, inside.index() as u32);
    let _ = v.select(outside);
    let _ = v.set_matches_only(true);
    assert_eq!(v.selected(), None, "a hidden entity is not selected while hidden");
    let _ = v.set_matches_only(false);
    assert_eq!(v.selected(), Some(outside), "and selected again when the filter is off");
    let _ = v.set_matches_only(true);
    let _ = v.select(inside);
    let _ = v.set_matches_only(false);
    assert_eq!(v.selected(), Some(inside), "a selection made meanwhile is kept instead");
    let _ = v.set_matches_only(true);
    let shown: HashSet<String> = v.visible_text().rows.into_iter().map(|r| r.cells[0].clone()).collect();
    assert_eq!(shown, want, "the matches and their neighbours, all in the fitted window");
    let line = v.status_line(0);
    assert!(line.ends_with(&format!(" · matches only: 2 of 14 entities (and {} linked)", want.len() - 2)), "{line}");
    // Hidden entities are not hit.
    let hidden = all.difference(&want).count();
    assert!(hidden > 0);
    // Off: every entity again.
    let _ = v.set_matches_only(false);
    let back: HashSet<String> = v.visible_text().rows.into_iter().map(|r| r.cells[0].clone()).collect();
    assert_eq!(back, all);
    assert!(!v.status_line(0).contains("matches only"));
    // On without a match: everything stays.
    let _ = v.set_matches_only(true);
    assert_eq!(v.search("no such entity", false), Ok(0));
    assert_eq!(v.visible_text().rows.len(), all.len());
}

#[test]
fn an_edge_list_search_finds_the_entities_of_the_rows_it_matches() {
    // Accounts → hosts of process events: "certutil" is in no account or host name,
    // but in rows; the entities of those rows are the matches (as in the other views).
    let t = table_of(
        std::fs::read(format!("{}/../../examples/data/process_events.json", env!("CARGO_MANIFEST_DIR"))).unwrap(),
    );
    let options =
        GraphOptions { source: Some("AccountName".into()), target: Some("DeviceName".into()), ..Default::default() };
    let (account, device) = (t.column_index("AccountName").unwrap(), t.column_index("DeviceName").unwrap());
    let mut want = HashSet::new();
    for r in (0..t.rows()).filter(|&r| {
        (0..t.columns.len()).any(|c| t.cell_text(r, c).is_some_and(|v| v.to_lowercase().contains("certutil")))
    }) {
        want.insert(t.cell_text(r, account).unwrap());
        want.insert(t.cell_text(r, device).unwrap());
    }
    let alone = GraphView::new(graph_of(&t, &options), &Theme::light(), None);
    let t = std::sync::Arc::new(t);
    let mut v = GraphView::new(graph_of(&t, &options), &Theme::light(), None).with_rows_of(t.clone());
    v.set_viewport(900.0, 500.0);
    let n = v.search("certutil", false).unwrap();
    assert_eq!(n, want.len(), "{want:?}");
    let mut found = HashSet::new();
    for _ in 0..n {
        let _ = v.step_match(true);
        found.extend(huntviz_draw::view::View::selected_entities(&v).into_iter().map(|e| e.label));
    }
    assert_eq!(found, want);
    let mut alone = alone;
    assert_eq!(alone.search("certutil", false), Ok(0), "without the rows only the entities' own text");
}

#[test]
fn golden_svg_of_a_small_graph() {
    let v = view_of(&fixture("alert_entities.json"), 700.0, 420.0);
    golden_svg("graph_alert_entities", &to_svg(&v.export_scene(&Theme::light()), &Theme::light()));
}

#[test]
fn no_entities_and_no_edge_columns_is_a_clear_error() {
    let t = parse_str(r#"{"tables":[{"name":"T","columns":[{"name":"x","type":"string"}],"rows":[["a"]]}]}"#).unwrap();
    let t = &t.tables[0];
    let schema = huntviz_table::schema::detect(t, &Default::default());
    let e = build(t, &schema, &GraphOptions::default()).unwrap_err();
    assert!(e.0.contains("no Entities column and no source/target columns"), "{e}");
    let e = build(
        t,
        &schema,
        &GraphOptions { source: Some("nope".into()), target: Some("x".into()), ..Default::default() },
    )
    .unwrap_err();
    assert_eq!(e.0, "the result has no column \"nope\"");
}

#[test]
fn many_links_are_rasterized_for_the_canvas_and_drawn_as_lines_for_svg() {
    // A ring of 3,000 nodes: 3,000 links.
    let mut csv = String::from("source,target\n");
    for i in 0..3000 {
        csv.push_str(&format!("n{i},n{}\n", (i + 1) % 3000));
    }
    let t = table_of(csv.into_bytes());
    let mut v = GraphView::new(graph_of(&t, &GraphOptions::default()), &Theme::light(), None);
    v.set_viewport(400.0, 300.0);
    for _ in 0..30 {
        v.tick();
    }
    let lines =
        |s: &huntviz_draw::Scene| s.items.iter().filter(|i| matches!(i, huntviz_draw::Item::Line { .. })).count();
    assert!(lines(&v.scene(&Theme::light())) >= 3000, "without a pixel ratio links are lines");
    v.set_pixel_ratio(Some(2.0));
    let scene = v.scene(&Theme::light());
    let bitmaps: Vec<_> = scene
        .items
        .iter()
        .filter_map(|i| match i {
            huntviz_draw::Item::Bitmap { w, h, rgb, .. } => Some((*w, *h, rgb)),
            _ => None,
        })
        .collect();
    assert_eq!(bitmaps.len(), 1);
    let (w, h, rgb) = bitmaps[0];
    assert_eq!((w, h), (800, 600), "device pixels");
    let background = Theme::light().background;
    let inked = rgb.chunks_exact(3).filter(|p| *p != [background.r, background.g, background.b]).count();
    assert!(inked > 3000, "{inked} pixels carry links");
    assert!(lines(&scene) < 100, "no per-link lines on the canvas");
    // The export stays vector.
    assert!(lines(&v.export_scene(&Theme::light())) >= 3000);
}

#[test]
fn ctrl_click_selects_several_entities_and_their_rows_together() {
    use huntviz_draw::view::View;
    let mut v = view_of(&fixture("alert_entities.json"), 900.0, 500.0);
    let rows = v.visible_text().rows;
    let at = |i: usize| (rows[i].mark.unwrap(), rows[i].top);
    let rows_of = |v: &mut GraphView, i: usize| {
        let (x, y) = at(i);
        let _ = v.pointer_down(x, y);
        let _ = v.pointer_up(x, y);
        View::selected_rows(v)
    };
    let (a, b) = (rows_of(&mut v, 0), rows_of(&mut v, 1));
    assert!(!a.is_empty() && !b.is_empty() && a != b);
    let _ = rows_of(&mut v, 0);
    let (x, y) = at(1);
    let _ = View::pointer_down_add(&mut v, x, y);
    assert!(v.pointer_up(x, y).selection);
    let mut both: Vec<u32> = a.iter().chain(&b).copied().collect();
    both.sort_unstable();
    both.dedup();
    assert_eq!(View::selected_rows(&v), both);
    // Python's selected_entities: each entity with its own properties and its own rows,
    // the clicked one first.
    let entities = View::selected_entities(&v);
    assert_eq!(entities.len(), 2);
    assert_eq!((entities[0].rows.clone(), entities[1].rows.clone()), (a.clone(), b.clone()));
    for (e, i) in entities.iter().zip([0, 1]) {
        assert!(
            rows[i].cells.iter().any(|c| c.contains(&e.label)),
            "{} is row {i}'s entity: {:?}",
            e.label,
            rows[i].cells
        );
        assert!(!e.props.is_empty() && !e.kind.is_empty());
        assert!(e.props.iter().all(|(k, _)| !k.is_empty()));
    }
    // Ctrl+click again takes it out; a plain click selects one; empty space clears all.
    let _ = View::pointer_down_add(&mut v, x, y);
    let _ = v.pointer_up(x, y);
    assert_eq!(View::selected_rows(&v), a);
    let _ = View::pointer_down_add(&mut v, x, y);
    let _ = v.pointer_up(x, y);
    let _ = v.pointer_down(2.0, 2.0);
    let _ = v.pointer_up(2.0, 2.0);
    assert!(View::selected_rows(&v).is_empty());
    assert!(View::selected_entities(&v).is_empty());
}

#[test]
fn a_moved_camera_survives_a_new_rendering_and_a_fitted_one_fits_again() {
    use huntviz_draw::view::{Memory, View};
    let mut v = view_of(&fixture("alert_entities.json"), 900.0, 500.0);
    assert!(View::memory(&v).camera.is_empty(), "fitted: the new rendering fits its own graph");
    let _ = v.zoom_at(300.0, 200.0, 2.0);
    let memory = View::memory(&v);
    assert_eq!(memory.camera.len(), 3);
    let mut again = view_of(&fixture("alert_entities.json"), 900.0, 500.0);
    assert!(View::remember(&mut again, &memory).redraw);
    assert_eq!(View::memory(&again), memory);
    for camera in [vec![], vec![1.0, 2.0], vec![1.0, 2.0, -1.0], vec![f32::NAN, 2.0, 1.0]] {
        let bad = Memory { camera: camera.clone(), ..Memory::default() };
        assert!(!View::remember(&mut again, &bad).redraw, "{camera:?}");
    }
}
