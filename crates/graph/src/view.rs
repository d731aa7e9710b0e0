//! The interactive entity graph: nodes coloured and lettered by type and sized by
//! degree, directed links with arrows, labels where they fit, zoom, pan, drag (which
//! pins a node while the rest relaxes), hover highlighting of neighbours, a legend whose
//! types hide and show, search, a detail record with every property and the rows a
//! node came from.

use huntviz_draw::text::{elide, thousands, visible};
pub use huntviz_draw::view::Detail;
use huntviz_draw::view::{Entity, LegendItem, Memory, Response, Tooltip, ViewError, VisibleRow, VisibleText, Warning};
use huntviz_draw::{Align, Color, Face, Scene, Theme, HIGHLIGHT, OTHER, PALETTE};
use huntviz_table::search::{matcher, MatchCursor};
use huntviz_table::Table;
use petgraph::visit::EdgeRef;
use std::sync::Arc;

use crate::build::{EntityGraph, Origin};
use crate::layout::Layout;

/// Pointer radius for hit tests beyond a node's half size, in pixels.
const HIT_PX: f32 = 3.0;
/// Labels drawn at most per frame.
const MAX_LABELS: usize = 250;
/// Label grid cell, in pixels.
const CELL: f32 = 8.0;

#[derive(Debug, Clone, Copy, PartialEq)]
enum Drag {
    None,
    Pan {
        x: f32,
        y: f32,
        tx: f32,
        ty: f32,
        moved: bool,
    },
    /// `add`: a Ctrl+press, which adds the node to the selection (or takes it out).
    Node {
        node: u32,
        x: f32,
        y: f32,
        moved: bool,
        add: bool,
    },
}

/// A selection a filter hid (selected, others) and the part it left shown.
type HiddenSelection = ((Option<u32>, Vec<u32>), (Option<u32>, Vec<u32>));

/// The graph view.
pub struct GraphView {
    g: EntityGraph,
    layout: Layout,
    /// (source, target, edge index) of every edge.
    edges: Vec<(u32, u32, u32)>,
    degree: Vec<u32>,
    kind_of: Vec<u16>,
    kind_hidden: Vec<bool>,
    colors: Vec<Color>,
    /// Nodes by degree, most linked first (label priority).
    by_degree: Vec<u32>,
    /// Drawing order: by type (so the canvas fills each type's squares in one call),
    /// least linked first within a type (hubs on top).
    draw_order: Vec<u32>,
    size: Vec<f32>,
    viewport: (f32, f32),
    /// World → screen: scale, then offset.
    scale: f32,
    offset: (f32, f32),
    auto_fit: bool,
    drag: Drag,
    hover: Option<u32>,
    selected: Option<u32>,
    /// Entities selected beside `selected` (Ctrl+click), ascending.
    also: Vec<u32>,
    matched: Vec<bool>,
    matches: MatchCursor,
    /// The result an edge list was made from: a search finds the entities of the rows
    /// it matches, as the other views of that result do.
    table: Option<Arc<Table>>,
    /// "Matches only" asked for, and the entities it shows (empty: every one).
    matches_only: bool,
    kept: Vec<bool>,
    /// The selection "matches only" hid, and the part it left shown: given back when
    /// the filter changes, unless the reader selected something else meanwhile.
    filter_hid: Option<HiddenSelection>,
    font: f32,
    char_width: f32,
    /// Device pixels per CSS pixel; set, links are rasterized here instead of drawn
    /// one by one (the canvas path of 50,000 links costs more than a frame).
    pixel_ratio: Option<f32>,
}

fn marker(kind: &str) -> String {
    match kind {
        "alert" => "!".into(),
        "ip" => "IP".into(),
        "filehash" => "#".into(),
        "host-logon-session" => "S".into(),
        "registry-key" => "RK".into(),
        "registry-value" => "RV".into(),
        k => k.chars().next().map(|c| c.to_uppercase().collect()).unwrap_or_default(),
    }
}

/// How far what is not lit fades into the background while a node is focused.
const DIM: f32 = 0.75;

/// Whether node `i` is lit: nothing is focused, or it is the focused node or one of its
/// neighbours (`near`, sorted).
fn lit(focus: Option<u32>, near: &[u32], i: u32) -> bool {
    focus.is_none_or(|f| f == i || near.binary_search(&i).is_ok())
}

impl GraphView {
    /// A view of `g`, laid out from the start.
    pub fn new(g: EntityGraph, theme: &Theme, size_by: Option<&str>) -> GraphView {
        let n = g.graph.node_count();
        let edges: Vec<(u32, u32, u32)> = g
            .graph
            .edge_references()
            .map(|e| (e.source().index() as u32, e.target().index() as u32, e.id().index() as u32))
            .collect();
        let mut degree = vec![0u32; n];
        for &(a, b, _) in &edges {
            degree[a as usize] += 1;
            degree[b as usize] += 1;
        }
        let kind_index: std::collections::HashMap<&str, u16> =
            g.kinds.iter().enumerate().map(|(i, (k, _))| (k.as_str(), i as u16)).collect();
        let kind_of: Vec<u16> =
            g.graph.node_weights().map(|w| kind_index.get(w.kind.as_str()).copied().unwrap_or(0)).collect();
        let mut next = 0;
        let colors = g
            .kinds
            .iter()
            .map(|(k, _)| {
                if k == "alert" {
                    HIGHLIGHT
                } else if next < PALETTE.len() {
                    next += 1;
                    PALETTE[next - 1]
                } else {
                    OTHER
                }
            })
            .collect();
        let mut by_degree: Vec<u32> = (0..n as u32).collect();
        by_degree.sort_by(|&a, &b| degree[b as usize].cmp(&degree[a as usize]).then(a.cmp(&b)));
        let mut draw_order: Vec<u32> = by_degree.iter().rev().copied().collect();
        draw_order.sort_by_key(|&i| kind_of[i as usize]);
        // Size by degree (or a numeric property), on a square-root scale.
        let weight: Vec<f32> = match size_by {
            Some(p) => g
                .graph
                .node_weights()
                .map(|w| {
                    w.props
                        .iter()
                        .find(|(k, _)| k == p)
                        .and_then(|(_, v)| v.parse::<f32>().ok())
                        .unwrap_or(0.0)
                        .max(0.0)
                })
                .collect(),
            None => degree.iter().map(|&d| d as f32).collect(),
        };
        let max = weight.iter().copied().fold(1.0f32, f32::max);
        // Half sizes in pixels: smaller as the graph grows, so 10,000 nodes fitted in a
        // notebook output are not one blob.
        let shrink = (3.0 / (n.max(1) as f32).powf(0.25)).clamp(0.3, 1.0);
        let size = weight.iter().map(|&w| ((4.0 + 10.0 * (w / max).sqrt()) * shrink).max(1.5)).collect();
        let layout = Layout::new(n, edges.iter().map(|&(a, b, _)| (a, b)).collect());
        let mut v = GraphView {
            kind_hidden: vec![false; g.kinds.len()],
            g,
            layout,
            edges,
            degree,
            kind_of,
            colors,
            by_degree,
            draw_order,
            size,
            viewport: (0.0, 0.0),
            scale: 1.0,
            offset: (0.0, 0.0),
            auto_fit: true,
            drag: Drag::None,
            hover: None,
            selected: None,
            also: Vec::new(),
            matched: Vec::new(),
            matches: MatchCursor::default(),
            table: None,
            matches_only: false,
            kept: Vec::new(),
            filter_hid: None,
            font: 12.0,
            char_width: 7.2,
            pixel_ratio: None,
        };
        v.set_theme(theme);
        v
    }

    /// Searches find an edge list's entities by the rows of `table` they were made
    /// from, too (an alert graph's entities are found by their own text only).
    pub fn with_rows_of(mut self, table: Arc<Table>) -> GraphView {
        self.table = Some(table);
        self
    }

    /// The graph.
    pub fn graph(&self) -> &EntityGraph {
        &self.g
    }

    /// The layout.
    pub fn layout(&self) -> &Layout {
        &self.layout
    }

    /// `Entity graph · 312 entities · 1,205 links · 8 types · 3 warnings`.
    pub fn status_line(&self, warnings: usize) -> String {
        let plural = |n: usize, one: &str, many: &str| format!("{} {}", thousands(n), if n == 1 { one } else { many });
        let what = match self.g.origin {
            Origin::Alerts => "Entity graph",
            Origin::EdgeList => "Graph",
        };
        let mut line = format!(
            "{what} · {} · {} · {}",
            plural(self.g.graph.node_count(), "entity", "entities"),
            plural(self.g.graph.edge_count(), "link", "links"),
            plural(self.g.kinds.len(), "type", "types")
        );
        if !self.kept.is_empty() {
            let matched = self.matched.iter().filter(|&&m| m).count();
            let linked = self.kept.iter().filter(|&&k| k).count() - matched;
            line.push_str(&format!(
                " · matches only: {} of {} (and {} linked)",
                thousands(matched),
                plural(self.g.graph.node_count(), "entity", "entities"),
                thousands(linked)
            ));
        }
        if !self.also.is_empty() {
            // Several selected (Ctrl/Shift+click, or a linked pane's range): how many.
            line.push_str(&format!(
                " · {} selected",
                thousands(self.also.len() + usize::from(self.selected.is_some()))
            ));
        }
        if warnings > 0 {
            line.push_str(" · ");
            line.push_str(&plural(warnings, "warning", "warnings"));
        }
        line
    }

    /// New colours and fonts.
    pub fn set_theme(&mut self, theme: &Theme) {
        self.font = theme.font_size.clamp(6.0, 40.0);
        self.char_width = theme.char_width.clamp(2.0, 40.0);
    }

    /// The view's size: what it is given (a graph does not scroll); before that, the
    /// height it asks for.
    pub fn content_size(&self) -> (f32, f32) {
        if self.viewport.1 > 0.0 {
            self.viewport
        } else {
            (1.0, 402.0)
        }
    }

    /// Sets the visible size.
    pub fn set_viewport(&mut self, w: f32, h: f32) {
        self.viewport = (w.max(1.0), h.max(1.0));
        if !self.viewport.0.is_finite() || !self.viewport.1.is_finite() {
            self.viewport = (1.0, 1.0);
        }
        if self.auto_fit {
            self.fit_now();
        }
    }

    /// Rasterize links at this device pixel ratio (the canvas); `None` draws them as
    /// lines (SVG).
    pub fn set_pixel_ratio(&mut self, ratio: Option<f32>) {
        self.pixel_ratio = ratio.filter(|r| r.is_finite() && *r > 0.0).map(|r| r.min(4.0));
    }

    /// No scrolling: the camera moves instead.
    pub fn set_scroll(&mut self, _x: f32, _y: f32) {}

    /// Always (0, 0).
    pub fn scroll(&self) -> (f32, f32) {
        (0.0, 0.0)
    }

    // ----- layout -----

    /// Runs one layout iteration; returns whether it should run again.
    pub fn tick(&mut self) -> bool {
        if self.layout.settled() {
            return false;
        }
        self.layout.step();
        if self.auto_fit {
            self.fit_now();
        }
        !self.layout.settled()
    }

    /// Whether the layout has settled.
    pub fn settled(&self) -> bool {
        self.layout.settled()
    }

    /// Runs the layout until it settles (the CLI and tests).
    pub fn settle(&mut self) {
        while self.tick() {}
        if self.auto_fit {
            self.fit_now();
        }
    }

    /// Shows the whole graph and follows the layout again.
    pub fn fit(&mut self) -> Response {
        self.auto_fit = true;
        self.fit_now();
        Response::redraw()
    }

    /// Unpins every node and lays the graph out again from where it is.
    pub fn relayout(&mut self) -> Response {
        self.layout.pinned.iter_mut().for_each(|p| *p = false);
        self.layout.reheat();
        self.auto_fit = true;
        Response::redraw()
    }

    fn fit_now(&mut self) {
        let (x0, y0, x1, y1) = self.layout.bounds();
        let (w, h) = self.viewport;
        let pad = 30.0;
        let scale = ((w - 2.0 * pad) / (x1 - x0).max(1e-3)).min((h - 2.0 * pad) / (y1 - y0).max(1e-3));
        self.scale = if scale.is_finite() && scale > 0.0 { scale.min(20.0) } else { 1.0 };
        self.offset = (w / 2.0 - (x0 + x1) / 2.0 * self.scale, h / 2.0 - (y0 + y1) / 2.0 * self.scale);
    }

    fn screen(&self, i: usize) -> (f32, f32) {
        let [x, y] = self.layout.pos[i];
        (x * self.scale + self.offset.0, y * self.scale + self.offset.1)
    }

    fn world(&self, x: f32, y: f32) -> [f32; 2] {
        [(x - self.offset.0) / self.scale, (y - self.offset.1) / self.scale]
    }

    fn shown(&self, i: usize) -> bool {
        !self.kind_hidden.get(self.kind_of[i] as usize).copied().unwrap_or(false)
            && (self.kept.is_empty() || self.kept.get(i).copied().unwrap_or(false))
    }

    /// Shows only the matched entities and those linked to them (or every one again),
    /// fitted to the window; the layout is not disturbed. Without a search, every
    /// entity stays shown.
    pub fn set_matches_only(&mut self, on: bool) -> Response {
        self.matches_only = on;
        if self.apply_matches_only() {
            self.fit_now();
        }
        // `resized`: what is shown changed (the status line says so).
        Response { redraw: true, resized: true, ..Default::default() }
    }

    /// Recomputes the entities "matches only" keeps; whether that changed anything.
    fn apply_matches_only(&mut self) -> bool {
        // What an earlier filter hid is selected again first (unless the reader selected
        // something else meanwhile); this one hides what it must of it again.
        if let Some((hidden, shown)) = self.filter_hid.take() {
            if (self.selected, &self.also) == (shown.0, &shown.1) {
                huntviz_draw::view::restore_selection(&mut self.selected, &mut self.also, hidden);
            }
        }
        let selection = (self.selected, self.also.clone());
        let before = std::mem::take(&mut self.kept);
        if self.matches_only && self.matched.iter().any(|&m| m) {
            let mut kept = self.matched.clone();
            for &(a, b, _) in &self.edges {
                let (a, b) = (a as usize, b as usize);
                if self.matched.get(a).copied().unwrap_or(false) || self.matched.get(b).copied().unwrap_or(false) {
                    for i in [a, b] {
                        if let Some(k) = kept.get_mut(i) {
                            *k = true;
                        }
                    }
                }
            }
            self.kept = kept;
        }
        self.hide_unshown();
        if selection != (self.selected, self.also.clone()) {
            let hidden_also = selection.1.into_iter().filter(|n| self.also.binary_search(n).is_err()).collect();
            let hidden = (selection.0.filter(|&s| Some(s) != self.selected), hidden_also);
            self.filter_hid = Some((hidden, (self.selected, self.also.clone())));
        }
        before != self.kept
    }

    /// Leaves entities no longer shown out of the layout and the selection.
    fn hide_unshown(&mut self) {
        for i in 0..self.layout.hidden.len() {
            self.layout.hidden[i] = !self.shown(i);
        }
        if self.selected.is_some_and(|s| !self.shown(s as usize)) {
            self.selected = None;
        }
        let also = std::mem::take(&mut self.also);
        self.also = also.into_iter().filter(|&n| self.shown(n as usize)).collect();
    }

    // ----- legend -----

    /// The legend: node types.
    pub fn legend(&self) -> Vec<LegendItem> {
        self.g
            .kinds
            .iter()
            .zip(&self.colors)
            .zip(&self.kind_hidden)
            .map(|(((k, n), c), &hidden)| LegendItem { label: visible(k, 40).0, color: c.to_hex(), count: *n, hidden })
            .collect()
    }

    /// Hides or shows a node type (and its links); the layout relaxes without them.
    pub fn toggle_kind(&mut self, index: usize) -> Response {
        let Some(h) = self.kind_hidden.get_mut(index) else { return Response::default() };
        *h = !*h;
        self.hide_unshown();
        self.layout.reheat();
        Response { redraw: true, selection: true, ..Default::default() }
    }

    // ----- interaction -----

    /// The node under (x, y).
    pub fn node_at(&self, x: f32, y: f32) -> Option<u32> {
        let mut best: Option<(f32, u32)> = None;
        for i in 0..self.layout.pos.len() {
            if !self.shown(i) {
                continue;
            }
            let (sx, sy) = self.screen(i);
            let r = self.size[i] + HIT_PX;
            let (dx, dy) = ((sx - x).abs(), (sy - y).abs());
            if dx <= r && dy <= r {
                let d = dx.max(dy);
                if best.is_none_or(|(bd, _)| d < bd) {
                    best = Some((d, i as u32));
                }
            }
        }
        best.map(|b| b.1)
    }

    /// The link under (x, y) (within 4 px of its line).
    fn edge_at(&self, x: f32, y: f32) -> Option<usize> {
        let mut best: Option<(f32, usize)> = None;
        for (k, &(a, b, _)) in self.edges.iter().enumerate() {
            if !self.shown(a as usize) || !self.shown(b as usize) {
                continue;
            }
            let ((ax, ay), (bx, by)) = (self.screen(a as usize), self.screen(b as usize));
            let (vx, vy) = (bx - ax, by - ay);
            let len2 = vx * vx + vy * vy;
            if len2 < 1.0 {
                continue;
            }
            let t = (((x - ax) * vx + (y - ay) * vy) / len2).clamp(0.0, 1.0);
            let (px, py) = (ax + t * vx - x, ay + t * vy - y);
            let d = (px * px + py * py).sqrt();
            if d <= 4.0 && best.is_none_or(|(bd, _)| d < bd) {
                best = Some((d, k));
            }
        }
        best.map(|b| b.1)
    }

    /// Pointer pressed: on a node, start dragging it; elsewhere, start panning.
    pub fn pointer_down(&mut self, x: f32, y: f32) -> Response {
        self.press(x, y, false)
    }

    /// Pointer pressed with Ctrl (⌘): as a press, but a click adds the node to the
    /// selection or takes it out.
    pub fn pointer_down_add(&mut self, x: f32, y: f32) -> Response {
        self.press(x, y, true)
    }

    fn press(&mut self, x: f32, y: f32, add: bool) -> Response {
        self.drag = match self.node_at(x, y) {
            Some(node) => Drag::Node { node, x, y, moved: false, add },
            None => Drag::Pan { x, y, tx: self.offset.0, ty: self.offset.1, moved: false },
        };
        Response { cursor: "grabbing", capture: true, ..Default::default() }
    }

    /// Pointer moved: drag a node (pinning it), pan, or hover.
    pub fn pointer_move(&mut self, x: f32, y: f32) -> Response {
        match self.drag {
            Drag::Node { node, x: x0, y: y0, moved, add } => {
                if !moved && (x - x0).abs() < 3.0 && (y - y0).abs() < 3.0 {
                    return Response { cursor: "grabbing", ..Default::default() };
                }
                self.drag = Drag::Node { node, x: x0, y: y0, moved: true, add };
                self.auto_fit = false;
                let w = self.world(x, y);
                if let Some(p) = self.layout.pos.get_mut(node as usize) {
                    *p = w;
                    self.layout.pinned[node as usize] = true;
                    self.layout.reheat();
                }
                Response { redraw: true, cursor: "grabbing", ..Default::default() }
            }
            Drag::Pan { x: x0, y: y0, tx, ty, moved } => {
                if !moved && (x - x0).abs() < 3.0 && (y - y0).abs() < 3.0 {
                    return Response { cursor: "grabbing", ..Default::default() };
                }
                self.drag = Drag::Pan { x: x0, y: y0, tx, ty, moved: true };
                self.auto_fit = false;
                self.offset = (tx + x - x0, ty + y - y0);
                Response { redraw: true, cursor: "grabbing", ..Default::default() }
            }
            Drag::None => {
                let hover = self.node_at(x, y);
                let changed = hover != self.hover;
                self.hover = hover;
                Response {
                    redraw: changed,
                    cursor: if hover.is_some() { "pointer" } else { "grab" },
                    ..Default::default()
                }
            }
        }
    }

    /// Pointer released: a press without movement selects the node under it (or clears).
    pub fn pointer_up(&mut self, _x: f32, _y: f32) -> Response {
        match std::mem::replace(&mut self.drag, Drag::None) {
            Drag::Node { node, moved: false, add: true, .. } => {
                huntviz_draw::view::toggle_selected(&mut self.selected, &mut self.also, node);
                Response { redraw: true, selection: true, cursor: "pointer", ..Default::default() }
            }
            Drag::Node { node, moved: false, .. } => {
                self.selected = Some(node);
                self.also.clear();
                Response { redraw: true, selection: true, cursor: "pointer", ..Default::default() }
            }
            Drag::Pan { moved: false, .. } => {
                let had = self.selected.take().is_some() | !std::mem::take(&mut self.also).is_empty();
                Response { redraw: had, selection: had, cursor: "grab", ..Default::default() }
            }
            _ => Response { redraw: true, cursor: "grab", ..Default::default() },
        }
    }

    /// Pointer left: no hover.
    pub fn pointer_leave(&mut self) -> Response {
        let had = self.hover.take().is_some();
        Response { redraw: had, ..Default::default() }
    }

    /// Zooms by `factor` (> 1 in) keeping (x, y) in place.
    pub fn zoom_at(&mut self, x: f32, y: f32, factor: f32) -> Response {
        let factor = factor.clamp(0.1, 10.0);
        let scale = (self.scale * factor).clamp(1e-4, 1e4);
        let f = scale / self.scale;
        self.offset = (x - (x - self.offset.0) * f, y - (y - self.offset.1) * f);
        self.scale = scale;
        self.auto_fit = false;
        Response::redraw()
    }

    /// Wheel: zoom around the pointer (sideways: pan).
    pub fn wheel(&mut self, x: f32, y: f32, dx: f32, dy: f32) -> Response {
        if !(dx.is_finite() && dy.is_finite()) {
            return Response::default();
        }
        if dx.abs() > dy.abs() {
            self.offset.0 -= dx;
            self.auto_fit = false;
            return Response::redraw();
        }
        self.zoom_at(x, y, 2f32.powf(-dy.clamp(-600.0, 600.0) / 300.0))
    }

    /// Double-click: zoom in around the point.
    pub fn double_click(&mut self, x: f32, y: f32) -> Response {
        self.zoom_at(x, y, 2.0)
    }

    /// Keys: arrows pan, +/− zoom, 0 fits, Escape clears the selection.
    pub fn key(&mut self, key: &str) -> Response {
        let (w, h) = self.viewport;
        let step = 60.0;
        match key {
            "ArrowLeft" => self.offset.0 += step,
            "ArrowRight" => self.offset.0 -= step,
            "ArrowUp" => self.offset.1 += step,
            "ArrowDown" => self.offset.1 -= step,
            "+" | "=" => return self.zoom_at(w / 2.0, h / 2.0, 1.5),
            "-" | "_" => return self.zoom_at(w / 2.0, h / 2.0, 1.0 / 1.5),
            "0" | "Home" => return self.fit(),
            "Escape" if self.selected.is_some() => {
                self.selected = None;
                self.also.clear();
                return Response { redraw: true, selection: true, ..Default::default() };
            }
            _ => return Response::default(),
        }
        self.auto_fit = false;
        Response::redraw()
    }

    /// Whether a node is selected (the first or another).
    fn is_selected(&self, node: u32) -> bool {
        self.selected == Some(node) || self.also.binary_search(&node).is_ok()
    }

    /// Selects a node and centres it.
    pub fn select(&mut self, node: u32) -> Response {
        if node as usize >= self.layout.pos.len() {
            return Response::default();
        }
        self.selected = Some(node);
        self.also.clear();
        let (sx, sy) = self.screen(node as usize);
        let (w, h) = self.viewport;
        if sx < 0.0 || sy < 0.0 || sx > w || sy > h {
            self.offset = (self.offset.0 + w / 2.0 - sx, self.offset.1 + h / 2.0 - sy);
            self.auto_fit = false;
        }
        Response { redraw: true, selection: true, ..Default::default() }
    }

    /// The selected node.
    pub fn selected(&self) -> Option<u32> {
        self.selected
    }

    // ----- search -----

    /// Searches node labels, types and properties (and an edge list's rows); returns
    /// the number of matches.
    pub fn search(&mut self, query: &str, regex: bool) -> Result<usize, String> {
        self.matched.clear();
        self.matches = MatchCursor::default();
        let test = match matcher(query, regex) {
            Ok(test) if !query.is_empty() => test,
            other => {
                if self.apply_matches_only() {
                    self.fit_now();
                }
                return other.map(|_| 0);
            }
        };
        let rows = match (&self.table, self.g.origin) {
            (Some(t), Origin::EdgeList) => t.rows_matching(query, regex)?,
            _ => Arc::default(),
        };
        let row_hit = |r: &u32| rows.get(*r as usize).copied().unwrap_or(false);
        self.matched = self
            .g
            .graph
            .node_weights()
            .map(|n| {
                test(&n.label) || test(&n.kind) || n.props.iter().any(|(_, v)| test(v)) || n.rows.iter().any(row_hit)
            })
            .collect();
        self.matches = MatchCursor::new(self.by_degree.iter().copied().filter(|&i| self.matched[i as usize]).collect());
        if self.apply_matches_only() {
            self.fit_now();
        }
        Ok(self.matches.order().len())
    }

    /// `(matches, current)` (current 1-based).
    pub fn match_position(&self) -> (usize, Option<usize>) {
        self.matches.position()
    }

    /// Selects the next (or previous) match, most linked first.
    pub fn step_match(&mut self, forward: bool) -> Response {
        match self.matches.step(forward) {
            Some(n) => self.select(n),
            None => Response::default(),
        }
    }

    // ----- text -----

    fn neighbours(&self, node: u32) -> Vec<u32> {
        let idx = petgraph::graph::NodeIndex::new(node as usize);
        let mut v: Vec<u32> =
            self.g.graph.neighbors_undirected(idx).map(|n| n.index() as u32).filter(|&n| n != node).collect();
        v.sort_unstable();
        v.dedup();
        v
    }

    /// The tooltip: a node's label, type, links and first properties, or a link's
    /// ends, label and count.
    pub fn tooltip(&self, x: f32, y: f32) -> Option<Tooltip> {
        if !matches!(self.drag, Drag::None) {
            return None;
        }
        let at = (x + 14.0, y + 16.0);
        if let Some(n) = self.node_at(x, y) {
            let w = &self.g.graph[petgraph::graph::NodeIndex::new(n as usize)];
            let mut lines =
                vec![w.label.clone(), format!("{} · {} links", visible(&w.kind, 40).0, self.degree[n as usize])];
            for (k, v) in w.props.iter().take(6) {
                lines.push(format!("{}: {}", visible(k, 40).0, visible(v, 100).0));
            }
            return Some(Tooltip { text: lines.join("\n"), x: at.0, y: at.1 });
        }
        let k = self.edge_at(x, y)?;
        let (a, b, e) = self.edges[k];
        let edge = &self.g.graph[petgraph::graph::EdgeIndex::new(e as usize)];
        let name = |i: u32| self.g.graph[petgraph::graph::NodeIndex::new(i as usize)].label.clone();
        let arrow = if self.g.directed { "→" } else { "—" };
        let mut lines = vec![
            format!("{} {arrow} {}", name(a), name(b)),
            format!(
                "{} · {} row{}",
                visible(&edge.label, 40).0,
                thousands(edge.count as usize),
                if edge.count == 1 { "" } else { "s" }
            ),
        ];
        if let (Some(f), Some(l)) = (edge.first, edge.last) {
            let t = |v: i64| {
                let mut s = String::new();
                huntviz_table::format_datetime(v, &mut s);
                s
            };
            lines.push(format!("{} – {}", t(f), t(l)));
        }
        Some(Tooltip { text: lines.join("\n"), x: at.0, y: at.1 })
    }

    /// The selected node's detail: every property, its links, the rows it came from.
    pub fn detail(&self) -> Option<Detail> {
        let n = self.selected?;
        let w = &self.g.graph[petgraph::graph::NodeIndex::new(n as usize)];
        let mut fields: Vec<(String, String)> =
            w.props.iter().map(|(k, v)| (visible(k, 200).0, visible(v, 20_000).0)).collect();
        fields.push(("type".into(), visible(&w.kind, 60).0));
        fields.push(("links".into(), self.degree[n as usize].to_string()));
        let rows: Vec<String> = w.rows.iter().take(200).map(|r| (r + 1).to_string()).collect();
        let more = if w.rows.len() > 200 { format!(" … ({} rows)", thousands(w.rows.len())) } else { String::new() };
        fields.push(("from rows".into(), format!("{}{more}", rows.join(", "))));
        let neighbours = self
            .neighbours(n)
            .into_iter()
            .take(100)
            .map(|m| (m, self.g.graph[petgraph::graph::NodeIndex::new(m as usize)].label.clone()))
            .collect();
        let mut d = Detail::new(n, format!("{} · {}", w.label, visible(&w.kind, 40).0), fields);
        d.related = neighbours;
        Some(d)
    }

    /// The exact value of field `index` of the detail.
    pub fn detail_value(&self, index: usize) -> Option<String> {
        let n = self.selected?;
        let w = &self.g.graph[petgraph::graph::NodeIndex::new(n as usize)];
        match w.props.get(index) {
            Some((_, v)) => Some(v.clone()),
            None => self.detail()?.fields.get(index).map(|f| f.1.clone()),
        }
    }

    /// The selected node's properties as `name<TAB>value` lines.
    pub fn selection_value(&self) -> Option<String> {
        let n = self.selected?;
        let w = &self.g.graph[petgraph::graph::NodeIndex::new(n as usize)];
        Some(w.props.iter().map(|(k, v)| format!("{k}\t{v}")).collect::<Vec<_>>().join("\n"))
    }

    /// Visible nodes (at most 100, most linked first) as text.
    pub fn visible_text(&self) -> VisibleText {
        let (w, h) = self.viewport;
        // The selected entities first (a linked pane's selection is found here), then the
        // most linked.
        let chosen: Vec<u32> = self.selected.iter().chain(&self.also).copied().collect();
        let rows = chosen
            .iter()
            .copied()
            .chain(self.by_degree.iter().copied().filter(|i| !chosen.contains(i)))
            .filter(|&i| self.shown(i as usize))
            .filter_map(|i| {
                let (x, y) = self.screen(i as usize);
                (x >= 0.0 && y >= 0.0 && x <= w && y <= h).then_some((i, x, y))
            })
            .take(100)
            .enumerate()
            .map(|(k, (i, x, y))| {
                let n = &self.g.graph[petgraph::graph::NodeIndex::new(i as usize)];
                let cells = vec![n.label.clone(), n.kind.clone(), self.degree[i as usize].to_string()];
                VisibleRow {
                    mark: Some(x),
                    selected: chosen.contains(&i),
                    ..VisibleRow::new(k + 1, i as usize + 1, y, cells)
                }
            })
            .collect();
        VisibleText {
            columns: vec!["entity".into(), "type".into(), "links".into()],
            first_col: 1,
            geometry: vec![(0.0, 0.0); 3],
            rows,
        }
    }

    // ----- drawing -----

    /// The visible part as a scene.
    pub fn scene(&self, theme: &Theme) -> Scene {
        self.scene_with(theme, self.pixel_ratio.filter(|_| self.edges.len() > 2_000))
    }

    /// Links not touching the focused node, rasterized: each pixel darkens with every
    /// link through it (1 − 0.65ⁿ of the link colour over the background), so dense
    /// bundles read as density. Lines are clipped to the view (Liang–Barsky) and walked
    /// with Bresenham's algorithm in device pixels.
    fn link_bitmap(
        &self,
        ratio: f32,
        focus: Option<u32>,
        near: &[u32],
        color: Color,
        theme: &Theme,
    ) -> huntviz_draw::Item {
        let background = theme.background;
        let (w, h) = self.viewport;
        let (pw, ph) = ((w * ratio).round().max(1.0) as usize, (h * ratio).round().max(1.0) as usize);
        // Past 20,000 links, links are walked at half resolution (a quarter of the
        // pixel steps); nodes stay sharp.
        let half = self.edges.len() > 20_000;
        let lr = if half { ratio / 2.0 } else { ratio };
        let (lw, lh) = if half { (pw.div_ceil(2), ph.div_ceil(2)) } else { (pw, ph) };
        let mut hits = vec![0u8; lw * lh];
        let (xmax, ymax) = (lw as f32 - 1.0, lh as f32 - 1.0);
        for &(a, b, _) in &self.edges {
            if !self.shown(a as usize) || !self.shown(b as usize) || focus.is_some_and(|f| f == a || f == b) {
                continue;
            }
            let ((ax, ay), (bx, by)) = (self.screen(a as usize), self.screen(b as usize));
            let (ax, ay, bx, by) = (ax * lr, ay * lr, bx * lr, by * lr);
            let (dx, dy) = (bx - ax, by - ay);
            let (mut t0, mut t1) = (0.0f32, 1.0f32);
            let mut inside = true;
            for (p, q) in [(-dx, ax), (dx, xmax - ax), (-dy, ay), (dy, ymax - ay)] {
                if p == 0.0 {
                    if q < 0.0 {
                        inside = false;
                    }
                } else {
                    let r = q / p;
                    if p < 0.0 {
                        t0 = t0.max(r);
                    } else {
                        t1 = t1.min(r);
                    }
                }
            }
            if !inside || t0 > t1 || !(t0.is_finite() && t1.is_finite()) {
                continue;
            }
            let (mut x, mut y) = ((ax + t0 * dx).round() as i64, (ay + t0 * dy).round() as i64);
            let (x1, y1) = ((ax + t1 * dx).round() as i64, (ay + t1 * dy).round() as i64);
            let (sx, sy) = (if x1 >= x { 1 } else { -1 }, if y1 >= y { 1 } else { -1 });
            let (ex, ey) = ((x1 - x).abs(), -(y1 - y).abs());
            let mut err = ex + ey;
            loop {
                if x >= 0 && y >= 0 && (x as usize) < lw && (y as usize) < lh {
                    let p = &mut hits[y as usize * lw + x as usize];
                    *p = p.saturating_add(1);
                }
                if x == x1 && y == y1 {
                    break;
                }
                let e2 = 2 * err;
                if e2 >= ey {
                    err += ey;
                    x += sx;
                }
                if e2 <= ex {
                    err += ex;
                    y += sy;
                }
            }
        }
        let shades: Vec<[u8; 3]> = (0..=255u32)
            .map(|n| {
                let c = background.mix(color, 1.0 - 0.65f32.powi(n.min(40) as i32));
                [c.r, c.g, c.b]
            })
            .collect();
        let mut rgb = Vec::with_capacity(pw * ph * 3);
        if half {
            for row in 0..ph {
                let src = &hits[(row / 2) * lw..(row / 2) * lw + lw];
                for col in 0..pw {
                    rgb.extend_from_slice(&shades[src[col / 2] as usize]);
                }
            }
        } else {
            for &n in &hits {
                rgb.extend_from_slice(&shades[n as usize]);
            }
        }
        // The nodes too (the focused one and its neighbours are drawn again on top).
        for &i in &self.draw_order {
            let k = i as usize;
            if !self.shown(k) {
                continue;
            }
            let (x, y) = self.screen(k);
            let r = self.size[k];
            let c = self.node_fill(k, lit(focus, near, i), background);
            let clamp = |v: f32, max: usize| (v * ratio).round().clamp(0.0, max as f32) as usize;
            let (x0, x1) = (clamp(x - r, pw), clamp(x + r, pw));
            let (y0, y1) = (clamp(y - r, ph), clamp(y + r, ph));
            for row in y0..y1 {
                let line = &mut rgb[(row * pw + x0) * 3..(row * pw + x1) * 3];
                for px in line.chunks_exact_mut(3) {
                    px.copy_from_slice(&[c.r, c.g, c.b]);
                }
            }
        }
        huntviz_draw::Item::Bitmap { x: 0.0, y: 0.0, w: pw as u32, h: ph as u32, rgb }
    }

    /// A node's fill: its type's colour, faded into the background when not lit.
    fn node_fill(&self, k: usize, lit: bool, background: Color) -> Color {
        let c = self.colors.get(self.kind_of[k] as usize).copied().unwrap_or(OTHER);
        if lit {
            c
        } else {
            c.mix(background, DIM)
        }
    }

    fn scene_with(&self, theme: &Theme, raster: Option<f32>) -> Scene {
        let (w, h) = self.viewport;
        let mut s = Scene::new(w, h);
        s.fill(0.0, 0.0, w, h, theme.background);
        let focus = self.hover.or(self.selected);
        let near: Vec<u32> = focus.map(|f| self.neighbours(f)).unwrap_or_default();
        let lit = |i: u32| lit(focus, &near, i);
        let dim = |c: Color| c.mix(theme.background, DIM);
        let edge_color = theme.muted.mix(theme.background, 0.45);
        let on_screen = |x: f32, y: f32| x > -50.0 && y > -50.0 && x < w + 50.0 && y < h + 50.0;
        // Links: plain first, then the focused node's on top.
        let arrows = self.g.directed && self.edges.len() <= 20_000;
        if let Some(ratio) = raster {
            let c = if focus.is_some() { dim(edge_color) } else { edge_color };
            s.items.push(self.link_bitmap(ratio, focus, &near, c, theme));
        }
        for pass in 0..2 {
            if pass == 0 && raster.is_some() {
                continue;
            }
            for &(a, b, _) in &self.edges {
                if !self.shown(a as usize) || !self.shown(b as usize) {
                    continue;
                }
                let hot = focus.is_some_and(|f| f == a || f == b);
                if hot != (pass == 1) {
                    continue;
                }
                let ((ax, ay), (bx, by)) = (self.screen(a as usize), self.screen(b as usize));
                if !on_screen(ax, ay) && !on_screen(bx, by) {
                    continue;
                }
                let c = if hot {
                    theme.accent
                } else if focus.is_some() {
                    dim(edge_color)
                } else {
                    edge_color
                };
                s.line(ax, ay, bx, by, c);
                let len = ((bx - ax).powi(2) + (by - ay).powi(2)).sqrt();
                if arrows && len > 3.0 * self.size[b as usize] {
                    // An arrowhead at the target's edge.
                    let (ux, uy) = ((bx - ax) / len, (by - ay) / len);
                    let back = self.size[b as usize] + 2.0;
                    let (tx, ty) = (bx - ux * back, by - uy * back);
                    for side in [-1.0f32, 1.0] {
                        let (c30, s30) = (0.906, 0.423 * side);
                        let (rx, ry) = (ux * c30 - uy * s30, ux * s30 + uy * c30);
                        s.line(tx, ty, tx - rx * 7.0, ty - ry * 7.0, c);
                    }
                }
            }
        }
        // Nodes.
        let show_letters = self.layout.pos.len() <= 5000 || self.scale > 2.0;
        for &i in &self.draw_order {
            let k = i as usize;
            if !self.shown(k) {
                continue;
            }
            let (x, y) = self.screen(k);
            let r = self.size[k];
            if !on_screen(x, y) {
                continue;
            }
            let marked = self.is_selected(i) || self.matched.get(k).copied().unwrap_or(false);
            if !(raster.is_none() || marked || focus.is_some() && lit(i) || show_letters && r >= 6.0) {
                // Already in the bitmap.
                continue;
            }
            let color = self.node_fill(k, lit(i), theme.background);
            if self.matched.get(k).copied().unwrap_or(false) {
                s.fill(x - r - 3.0, y - r - 3.0, 2.0 * r + 6.0, 2.0 * r + 6.0, HIGHLIGHT);
            }
            if self.is_selected(i) {
                s.fill(x - r - 2.0, y - r - 2.0, 2.0 * r + 4.0, 2.0 * r + 4.0, theme.foreground);
            }
            s.fill(x - r, y - r, 2.0 * r, 2.0 * r, color);
            if show_letters && r >= 6.0 {
                let kind = &self.g.graph[petgraph::graph::NodeIndex::new(k)].kind;
                s.text(x, y, marker(kind), Face::MonoBold, (r * 1.1).min(self.font), theme.background, Align::Center);
            }
        }
        self.draw_labels(&mut s, theme, focus, &near);
        s
    }

    /// Labels where they fit: the focused node and its neighbours first, then by degree;
    /// a label is skipped when it would overlap one already drawn.
    fn draw_labels(&self, s: &mut Scene, theme: &Theme, focus: Option<u32>, near: &[u32]) {
        let (w, h) = self.viewport;
        let cols = (w / CELL).ceil() as usize + 1;
        let rows = (h / CELL).ceil() as usize + 1;
        let mut taken = vec![false; cols * rows];
        let fs = self.font * 0.9;
        let mut drawn = 0;
        let first: Vec<u32> = focus.into_iter().chain(near.iter().copied()).chain(self.selected).collect();
        for i in first.iter().copied().chain(self.by_degree.iter().copied()) {
            if drawn >= MAX_LABELS {
                break;
            }
            let k = i as usize;
            if !self.shown(k) {
                continue;
            }
            let (x, y) = self.screen(k);
            if x < -50.0 || y < -50.0 || x > w + 50.0 || y > h + 50.0 {
                continue;
            }
            let r = self.size[k];
            let raw = &self.g.graph[petgraph::graph::NodeIndex::new(k)].label;
            // Width from the character count; the label is elided only once it is drawn.
            let lw = raw.chars().take(41).count().min(40) as f32 * self.char_width * 0.9;
            // Right of the node, or left of it at the right edge.
            let right = x + r + 3.0 + lw <= w;
            let (lx, ly) = (if right { x + r + 3.0 } else { x - r - 3.0 - lw }, y - fs / 2.0);
            if lx > w || ly > h || lx + lw < 0.0 || ly + fs < 0.0 {
                continue;
            }
            let (c0, c1) = ((lx / CELL).floor().max(0.0) as usize, ((lx + lw) / CELL).floor().max(0.0) as usize);
            let (r0, r1) = ((ly / CELL).floor().max(0.0) as usize, ((ly + fs) / CELL).floor().max(0.0) as usize);
            let cells =
                || (r0..=r1.min(rows - 1)).flat_map(move |r| (c0..=c1.min(cols - 1)).map(move |c| r * cols + c));
            let forced = first.contains(&i);
            if !forced && cells().any(|c| taken[c]) {
                continue;
            }
            for c in cells() {
                taken[c] = true;
            }
            let color = if focus.is_none() || forced { theme.foreground } else { theme.muted };
            let label = elide(raw, 40).0;
            s.text(
                if right { lx } else { lx + lw },
                y,
                label,
                Face::Mono,
                fs,
                color,
                if right { Align::Left } else { Align::Right },
            );
            drawn += 1;
        }
    }

    /// The scene for an export (links as lines), with the legend under it.
    pub fn export_scene(&self, theme: &Theme) -> Scene {
        let mut s = self.scene_with(theme, None);
        let fs = self.font * 0.85;
        let row = (self.font * 1.8).round();
        let (w, top) = (s.width, s.height);
        let (mut x, mut y) = (6.0, top + row / 2.0);
        let mut items = Vec::new();
        for item in self.legend() {
            let text =
                format!("{} ({}){}", item.label, thousands(item.count), if item.hidden { " hidden" } else { "" });
            let width = 14.0 + text.chars().count() as f32 * self.char_width + 16.0;
            if x + width > w && x > 6.0 {
                x = 6.0;
                y += row;
            }
            let c = huntviz_draw::Color::parse(&item.color).unwrap_or(OTHER);
            items.push((x, y, text, if item.hidden { theme.muted } else { c }));
            x += width;
        }
        s.height = y + row / 2.0;
        s.fill(0.0, top, w, s.height - top, theme.background);
        for (x, y, text, c) in items {
            s.fill(x, y - 5.0, 10.0, 10.0, c);
            s.text(x + 14.0, y, text, Face::Mono, fs, theme.foreground, Align::Left);
        }
        s
    }
}

impl huntviz_draw::view::View for GraphView {
    fn status_line(&self, warnings: usize) -> String {
        GraphView::status_line(self, warnings)
    }
    fn warnings(&self) -> Vec<Warning> {
        Warning::data(&self.g.warnings)
    }
    fn row_count(&self) -> usize {
        self.g.graph.node_count()
    }
    fn content_size(&self) -> (f32, f32) {
        GraphView::content_size(self)
    }
    fn set_viewport(&mut self, width: f32, height: f32) {
        GraphView::set_viewport(self, width, height);
    }
    fn set_pixel_ratio(&mut self, dpr: f32) {
        GraphView::set_pixel_ratio(self, Some(dpr));
    }
    fn set_scroll(&mut self, x: f32, y: f32) {
        GraphView::set_scroll(self, x, y);
    }
    fn scroll(&self) -> (f32, f32) {
        GraphView::scroll(self)
    }
    fn set_theme(&mut self, theme: &Theme) {
        GraphView::set_theme(self, theme);
    }
    fn scene(&self, theme: &Theme) -> Scene {
        GraphView::scene(self, theme)
    }
    fn export_scene(&self, theme: &Theme) -> Scene {
        GraphView::export_scene(self, theme)
    }
    fn pointer_down(&mut self, x: f32, y: f32, _shift: bool) -> Response {
        GraphView::pointer_down(self, x, y)
    }
    fn pointer_move(&mut self, x: f32, y: f32) -> Response {
        GraphView::pointer_move(self, x, y)
    }
    fn pointer_up(&mut self, x: f32, y: f32) -> Response {
        GraphView::pointer_up(self, x, y)
    }
    fn pointer_leave(&mut self) -> Response {
        GraphView::pointer_leave(self)
    }
    fn key(&mut self, key: &str, _ctrl: bool, _shift: bool) -> Response {
        GraphView::key(self, key)
    }
    fn wheel(&mut self, x: f32, y: f32, dx: f32, dy: f32, _shift: bool) -> Response {
        GraphView::wheel(self, x, y, dx, dy)
    }
    fn double_click(&mut self, x: f32, y: f32, _shift: bool) -> Response {
        GraphView::double_click(self, x, y)
    }
    fn tooltip(&self, x: f32, y: f32) -> Option<Tooltip> {
        GraphView::tooltip(self, x, y)
    }
    fn detail(&self) -> Option<Detail> {
        GraphView::detail(self)
    }
    fn detail_value(&self, index: usize) -> Option<String> {
        GraphView::detail_value(self, index)
    }
    fn selection_value(&self) -> Option<String> {
        GraphView::selection_value(self)
    }
    fn select_row(&mut self, row: u32) -> Response {
        // The entity with the fewest rows among those made from it: the most specific.
        let best = self
            .g
            .graph
            .node_indices()
            .filter(|&i| self.g.graph[i].rows.contains(&row))
            .min_by_key(|&i| (self.g.graph[i].rows.len(), i.index()));
        match best {
            Some(i) => GraphView::select(self, i.index() as u32),
            None => Response::default(),
        }
    }
    fn select_rows(&mut self, rows: &[u32]) -> Response {
        // Every entity made from any of those rows; the most specific (fewest rows) first.
        let set = huntviz_draw::view::row_set(rows, rows.last().map_or(0, |&r| r as usize + 1));
        let mut nodes: Vec<(usize, u32)> = self
            .g
            .graph
            .node_indices()
            .filter(|&i| self.g.graph[i].rows.iter().any(|&r| set.get(r as usize).copied().unwrap_or(false)))
            .map(|i| (self.g.graph[i].rows.len(), i.index() as u32))
            .collect();
        let Some(&(_, first)) = nodes.iter().min() else {
            self.selected = None;
            self.also.clear();
            return Response { redraw: true, selection: true, ..Response::default() };
        };
        let mut r = GraphView::select(self, first);
        nodes.retain(|&(_, n)| n != first);
        let mut also: Vec<u32> = nodes.into_iter().map(|(_, n)| n).collect();
        also.sort_unstable();
        self.also = also;
        r.selection = true;
        r
    }
    fn selected_rows(&self) -> Vec<u32> {
        // Every selected entity's rows, each once.
        let mut rows: Vec<u32> = self
            .selected
            .iter()
            .chain(&self.also)
            .flat_map(|&n| self.g.graph[petgraph::graph::NodeIndex::new(n as usize)].rows.iter().copied())
            .collect();
        rows.sort_unstable();
        rows.dedup();
        rows
    }
    fn pointer_down_add(&mut self, x: f32, y: f32) -> Response {
        GraphView::pointer_down_add(self, x, y)
    }
    fn selected_entities(&self) -> Vec<Entity> {
        // The clicked entity first, then the others added to the selection in order.
        self.selected
            .iter()
            .chain(&self.also)
            .map(|&n| {
                let w = &self.g.graph[petgraph::graph::NodeIndex::new(n as usize)];
                let mut rows = w.rows.clone();
                rows.sort_unstable();
                rows.dedup();
                Entity { kind: w.kind.clone(), label: w.label.clone(), props: w.props.clone(), rows }
            })
            .collect()
    }
    fn memory(&self) -> Memory {
        // The camera, once the reader moved it (a fitted view fits the new graph again).
        let camera = if self.auto_fit { Vec::new() } else { vec![self.offset.0, self.offset.1, self.scale] };
        Memory { camera, ..Memory::default() }
    }
    fn remember(&mut self, memory: &Memory) -> Response {
        match memory.camera[..] {
            [x, y, scale] if x.is_finite() && y.is_finite() && scale.is_finite() && scale > 0.0 => {
                self.offset = (x, y);
                self.scale = scale.clamp(1e-4, 1e4);
                self.auto_fit = false;
                Response::redraw()
            }
            _ => Response::default(),
        }
    }
    fn select(&mut self, item: u32) -> Response {
        GraphView::select(self, item)
    }
    fn visible_text(&self) -> VisibleText {
        GraphView::visible_text(self)
    }
    fn search(&mut self, query: &str, regex: bool) -> Result<usize, ViewError> {
        GraphView::search(self, query, regex).map_err(ViewError)
    }
    fn set_matches_only(&mut self, on: bool) -> Response {
        GraphView::set_matches_only(self, on)
    }
    fn search_step(&mut self, forward: bool) -> Response {
        self.step_match(forward)
    }
    fn match_position(&self) -> (usize, Option<usize>) {
        GraphView::match_position(self)
    }
    fn legend(&self) -> Vec<LegendItem> {
        GraphView::legend(self)
    }
    fn toggle_legend(&mut self, index: usize) -> Response {
        self.toggle_kind(index)
    }
    fn tick(&mut self) -> bool {
        GraphView::tick(self)
    }
    fn settled(&self) -> bool {
        GraphView::settled(self)
    }
    fn settle(&mut self) {
        GraphView::settle(self)
    }
}
