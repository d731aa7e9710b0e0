//! The interactive process tree: a virtualized tree-table (fold control, name, PID,
//! start, user, command line, and a time lane where each process marks its start on one
//! shared axis), host rows at the top level, search with match navigation and a
//! "matches only" filter, focus on one process, colour by any column, highlights, a
//! detail record with the ancestor chain. Only visible rows are laid out and drawn.

use std::sync::Arc;

use huntviz_draw::text::{elide, thousands, visible};
/// The reply types every view shares.
pub use huntviz_draw::view::{
    Detail, LegendItem, LinkDetail, LinkLegendItem, Memory, Response, Tooltip, ViewError, VisibleRow, VisibleText,
    Warning, WarningKind,
};
use huntviz_draw::{Align, Color, Face, Scene, Theme, HIGHLIGHT, OTHER, PALETTE, WEAK};
use huntviz_table::schema::{Role, SchemaInfo};
use huntviz_table::search::{matcher, MatchCursor, Test};
use huntviz_table::{format_datetime, ColumnData, ColumnType, StrColumn, Table};

use crate::build::{Evidence, Forest, Link, NodeId, NONE, NO_TIME};

/// A visible row: a node id, or a host (`HOST_BIT | host index`).
type RowRef = u32;
const HOST_BIT: u32 = 1 << 31;
/// Indent per tree level, in characters.
const INDENT_CHARS: f32 = 2.0;
/// Padding inside a cell.
const PAD: f32 = 6.0;
/// Width of the time lane.
const LANE_WIDTH: f32 = 180.0;
/// The command line column gets the room left, at least this many characters.
const MIN_COMMAND_CHARS: f32 = 40.0;
/// Trees with more processes than this open folded to [`LARGE_TREE_DEPTH`].
const LARGE_TREE: usize = 5_000;
const LARGE_TREE_DEPTH: u32 = 2;
/// At most this many `highlight` patterns are used.
pub const MAX_HIGHLIGHTS: usize = 16;
/// A longer `highlight` pattern is left out.
pub const MAX_PATTERN_CHARS: usize = 256;
/// Highlights test this many bytes of a value (a command line can be megabytes).
const HIGHLIGHT_PREFIX: usize = 4096;
/// Characters of a value in a tooltip or the detail record.
const DETAIL_MAX_CHARS: usize = 20_000;

/// How PIDs are shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum PidFormat {
    /// As the source writes them (hex when its PIDs are `0x…` text).
    #[default]
    Auto,
    /// `0x1994`.
    Hex,
    /// `6548`.
    Decimal,
}

/// View options (the `options` of the MIME payload).
#[derive(Debug, Clone, Default)]
pub struct TreeOptions {
    /// Colour processes by this column.
    pub color_by: Option<String>,
    /// PID display.
    pub pid_format: PidFormat,
    /// Open folded to this depth (hosts are level 0).
    pub expand_depth: Option<u32>,
    /// Values or `/regex/`es whose processes are marked (name, command line, PID, user).
    pub highlight: Vec<String>,
    /// Open focused on the first process whose PID or name is this.
    pub focus: Option<String>,
}

impl TreeOptions {
    /// The option keys a process tree reads.
    pub const KEYS: [&'static str; 5] = ["color_by", "pid_format", "expand_depth", "highlight", "focus"];

    /// Reads the tree's options from the payload's `options`; a value of the wrong kind
    /// is left out with a warning naming it.
    pub fn from_json(opts: &serde_json::Map<String, serde_json::Value>, notes: &mut Vec<Warning>) -> TreeOptions {
        let mut o = TreeOptions::default();
        let mut bad = |message: &str| notes.push(Warning::new(WarningKind::Option, message));
        if let Some(v) = opts.get("color_by") {
            match v.as_str() {
                Some(c) => o.color_by = Some(c.to_string()),
                None => bad("options.color_by must be a column name"),
            }
        }
        if let Some(v) = opts.get("pid_format") {
            o.pid_format = match v.as_str() {
                Some("hex") => PidFormat::Hex,
                Some("decimal") => PidFormat::Decimal,
                Some("auto") => PidFormat::Auto,
                _ => {
                    bad("options.pid_format must be \"hex\", \"decimal\" or \"auto\"");
                    PidFormat::Auto
                }
            };
        }
        if let Some(v) = opts.get("expand_depth") {
            match v.as_u64() {
                Some(d) => o.expand_depth = Some(d.min(1000) as u32),
                None => bad("options.expand_depth must be a whole number"),
            }
        }
        match opts.get("highlight") {
            None => {}
            Some(serde_json::Value::String(s)) => o.highlight = vec![s.clone()],
            Some(serde_json::Value::Array(items)) => {
                o.highlight = items
                    .iter()
                    .filter_map(|v| v.as_str().map(str::to_string).or_else(|| v.as_i64().map(|n| n.to_string())))
                    .collect();
            }
            Some(_) => bad("options.highlight must be a value or a list of values (\"/…/\" for a regex)"),
        }
        match opts.get("focus") {
            None => {}
            Some(serde_json::Value::String(s)) => o.focus = Some(s.clone()),
            Some(serde_json::Value::Number(n)) => o.focus = Some(n.to_string()),
            Some(_) => bad("options.focus must be a PID or a process name"),
        }
        o
    }
}

struct Cols {
    pid: Option<usize>,
    user: Option<usize>,
    cmd: Option<usize>,
}

/// The process tree view.
pub struct TreeView {
    table: Arc<Table>,
    forest: Forest,
    cols: Cols,
    pid_hex: bool,
    expanded: Vec<bool>,
    host_expanded: Vec<bool>,
    rows: Vec<RowRef>,
    widths: [f32; 6],
    metrics: (f32, f32, f32, f32),
    viewport: (f32, f32),
    scroll: (f32, f32),
    selected: Option<NodeId>,
    /// Processes selected beside `selected` (Ctrl/Shift+click), ascending.
    also: Vec<NodeId>,
    /// The selection came from a linked pane with several rows (a brushed time range):
    /// the processes outside it are drawn dimmed.
    dim_unselected: bool,
    hover_row: Option<usize>,
    matches: Vec<bool>,
    match_cursor: MatchCursor,
    /// "Matches only" as shown (on, and a search matched) and as asked for.
    matches_only: bool,
    only_wanted: bool,
    match_below: Vec<bool>,
    focus: Option<NodeId>,
    in_focus: Vec<bool>,
    highlighted: Vec<bool>,
    color_of: Vec<u8>,
    /// The column the processes are coloured by, if any.
    color_column: Option<String>,
    legend: Vec<LegendItem>,
    legend_colors: Vec<Color>,
    link_counts: Vec<(Link, usize)>,
    notes: Vec<Warning>,
}

fn basename(path: &str) -> &str {
    path.rsplit(['\\', '/']).next().filter(|s| !s.is_empty()).unwrap_or(path)
}

impl TreeView {
    /// A view of `forest` (built from `table` with `schema`).
    pub fn new(table: Arc<Table>, schema: &SchemaInfo, forest: Forest, theme: &Theme, options: &TreeOptions) -> Self {
        let col = |r: Role| schema.column(&table, r);
        let cols = Cols { pid: col(Role::ProcessId), user: col(Role::User), cmd: col(Role::CommandLine) };
        let pid_hex = match options.pid_format {
            PidFormat::Hex => true,
            PidFormat::Decimal => false,
            PidFormat::Auto => cols.pid.is_some_and(|c| {
                (0..table.rows().min(50))
                    .any(|r| table.cell_text(r, c).is_some_and(|t| t.trim_start().starts_with("0x")))
            }),
        };
        let n = forest.nodes.len();
        let depth = options.expand_depth.unwrap_or(if n > LARGE_TREE { LARGE_TREE_DEPTH } else { u32::MAX });
        let expanded = forest.nodes.iter().map(|x| x.depth < depth).collect();
        let host_expanded = vec![depth > 0; forest.hosts.len()];
        let cw = theme.char_width.clamp(2.0, 40.0);
        let fs = theme.font_size.clamp(6.0, 40.0);
        let metrics = ((fs * 1.85).round(), (fs * 3.3).round(), cw, fs);
        let widths = [40.0 * cw, 10.0 * cw, 23.0 * cw, 16.0 * cw, MIN_COMMAND_CHARS * cw, LANE_WIDTH];
        let mut view = TreeView {
            table,
            forest,
            cols,
            pid_hex,
            expanded,
            host_expanded,
            rows: Vec::new(),
            widths: widths.map(|w| w + 2.0 * PAD),
            metrics,
            viewport: (0.0, 0.0),
            scroll: (0.0, 0.0),
            selected: None,
            also: Vec::new(),
            dim_unselected: false,
            hover_row: None,
            matches: vec![false; n],
            match_cursor: MatchCursor::default(),
            matches_only: false,
            only_wanted: false,
            match_below: Vec::new(),
            focus: None,
            in_focus: Vec::new(),
            highlighted: vec![false; n],
            color_of: vec![u8::MAX; n],
            color_column: None,
            legend: Vec::new(),
            legend_colors: Vec::new(),
            link_counts: Vec::new(),
            notes: Vec::new(),
        };
        view.link_counts = Link::ALL
            .into_iter()
            .filter(|&k| k != Link::Root)
            .map(|k| (k, view.forest.links.iter().filter(|&&l| l == k).count()))
            .filter(|&(_, c)| c > 0)
            .collect();
        view.notes = view.set_highlight(&options.highlight);
        if let Some(c) = &options.color_by {
            view.set_color_by(Some(c));
        }
        if let Some(f) = options.focus.as_deref().and_then(|f| view.find_process(f)) {
            view.set_focus(Some(f));
        }
        view.rebuild();
        view
    }

    /// What applying the options noticed (patterns left out), for the warnings.
    pub fn notes(&self) -> &[Warning] {
        &self.notes
    }

    /// The forest.
    pub fn forest(&self) -> &Forest {
        &self.forest
    }

    /// The status line: `Process tree · 1,010 processes · 10 roots · depth 7 · 1 host · 0 inferred`.
    pub fn status_line(&self, warnings: usize) -> String {
        let s = self.forest.summary;
        let plural = |n: usize, one: &str, many: &str| format!("{} {}", thousands(n), if n == 1 { one } else { many });
        let mut line = format!(
            "Process tree · {} · {} · depth {} · {} · {} inferred",
            plural(s.processes, "process", "processes"),
            plural(s.roots, "root", "roots"),
            s.depth,
            plural(s.hosts, "host", "hosts"),
            thousands(s.inferred)
        );
        if self.matches_only {
            line.push_str(&format!(
                " · matches only: {} of {}",
                thousands(self.match_cursor.order().len()),
                plural(s.processes, "process", "processes")
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

    // ----- text of a node -----

    fn cell(&self, node: NodeId, col: Option<usize>) -> Option<String> {
        let n = self.forest.node(node)?;
        if n.inferred() {
            return None;
        }
        self.table.cell_text(n.row as usize, col?)
    }

    /// The process name: the longest spelling the result gives it (a full path over a
    /// base name).
    pub fn name(&self, node: NodeId) -> String {
        self.forest.display_name(node).to_string()
    }

    fn command_line(&self, node: NodeId) -> Option<String> {
        match self.forest.node(node) {
            Some(n) if n.inferred() => self.forest.inferred_info.get(&node).and_then(|i| i.command_line.clone()),
            _ => self.cell(node, self.cols.cmd),
        }
    }

    fn pid_text(&self, node: NodeId) -> String {
        let Some(n) = self.forest.node(node) else { return String::new() };
        if self.pid_hex {
            format!("0x{:x}", n.pid)
        } else {
            n.pid.to_string()
        }
    }

    /// Start time to the millisecond (the detail panel has every digit).
    fn start_text(&self, node: NodeId) -> String {
        let Some(n) = self.forest.node(node).filter(|n| n.start != NO_TIME) else { return String::new() };
        let mut s = String::new();
        format_datetime(n.start, &mut s);
        let s = s.replace('T', " ");
        let s = s.trim_end_matches('Z');
        s.get(..23).unwrap_or(s).to_string()
    }

    fn label(&self, node: NodeId) -> String {
        format!("{} ({})", basename(&self.name(node)), self.pid_text(node))
    }

    // ----- visible rows -----

    fn included(&self, n: NodeId) -> bool {
        let i = n as usize;
        (!self.matches_only || self.match_below.get(i).copied().unwrap_or(false))
            && (self.focus.is_none() || self.in_focus.get(i).copied().unwrap_or(false))
    }

    fn push_subtree(&self, root: NodeId, out: &mut Vec<RowRef>) {
        let mut stack = vec![root];
        while let Some(n) = stack.pop() {
            out.push(n);
            if self.expanded.get(n as usize).copied().unwrap_or(false) {
                for &c in self.forest.children(n).iter().rev() {
                    if self.included(c) {
                        stack.push(c);
                    }
                }
            }
        }
    }

    /// Recomputes every visible row from the fold, filter and focus state.
    fn rebuild(&mut self) {
        let mut rows = Vec::with_capacity(self.rows.len());
        for (h, host) in self.forest.hosts.iter().enumerate() {
            let roots: Vec<NodeId> = host.roots.iter().copied().filter(|&r| self.included(r)).collect();
            if roots.is_empty() {
                continue;
            }
            rows.push(HOST_BIT | h as u32);
            if self.host_expanded.get(h).copied().unwrap_or(true) {
                for r in roots {
                    self.push_subtree(r, &mut rows);
                }
            }
        }
        self.rows = rows;
        self.clamp_scroll();
    }

    fn level(&self, r: RowRef) -> u32 {
        if r & HOST_BIT != 0 {
            0
        } else {
            self.forest.node(r).map_or(1, |n| n.depth)
        }
    }

    /// Folds or unfolds the node (or host) at a visible row, splicing only its subtree.
    fn toggle_row(&mut self, index: usize) {
        let Some(&r) = self.rows.get(index) else { return };
        let level = self.level(r);
        let open = if r & HOST_BIT != 0 {
            let h = (r & !HOST_BIT) as usize;
            let now = !self.host_expanded.get(h).copied().unwrap_or(true);
            if let Some(x) = self.host_expanded.get_mut(h) {
                *x = now;
            }
            now
        } else {
            if self.forest.children(r).is_empty() {
                return;
            }
            let now = !self.expanded.get(r as usize).copied().unwrap_or(false);
            if let Some(x) = self.expanded.get_mut(r as usize) {
                *x = now;
            }
            now
        };
        if open {
            let mut inserted = Vec::new();
            if r & HOST_BIT != 0 {
                let h = (r & !HOST_BIT) as usize;
                let roots: Vec<NodeId> = self.forest.hosts.get(h).map(|x| x.roots.clone()).unwrap_or_default();
                for root in roots.into_iter().filter(|&x| self.included(x)) {
                    self.push_subtree(root, &mut inserted);
                }
            } else {
                self.push_subtree(r, &mut inserted);
                inserted.remove(0);
            }
            let at = index + 1;
            self.rows.splice(at..at, inserted);
        } else {
            let end = self.rows.get(index + 1..).map_or(index + 1, |rest| {
                index + 1 + rest.iter().position(|&x| self.level(x) <= level).unwrap_or(rest.len())
            });
            self.rows.drain(index + 1..end);
        }
        self.clamp_scroll();
    }

    /// Visible row of a node, if shown.
    fn row_of(&self, node: NodeId) -> Option<usize> {
        self.rows.iter().position(|&r| r == node)
    }

    /// Unfolds the ancestors of a node (and its host) so it is shown.
    fn reveal_node(&mut self, node: NodeId) {
        for a in self.forest.ancestors(node) {
            if let Some(x) = self.expanded.get_mut(a as usize) {
                *x = true;
            }
        }
        if let Some(h) = self.forest.node(node).map(|n| n.host as usize) {
            if let Some(x) = self.host_expanded.get_mut(h) {
                *x = true;
            }
        }
        self.rebuild();
    }

    /// Unfolds everything.
    pub fn expand_all(&mut self) -> Response {
        self.expanded.iter_mut().for_each(|x| *x = true);
        self.host_expanded.iter_mut().for_each(|x| *x = true);
        self.rebuild();
        self.changed()
    }

    /// Folds everything to the host rows.
    pub fn collapse_all(&mut self) -> Response {
        self.expanded.iter_mut().for_each(|x| *x = false);
        self.host_expanded.iter_mut().for_each(|x| *x = false);
        self.rebuild();
        self.changed()
    }

    /// Shows `depth` levels below the hosts.
    pub fn expand_to_depth(&mut self, depth: u32) -> Response {
        for (x, n) in self.expanded.iter_mut().zip(&self.forest.nodes) {
            *x = n.depth < depth;
        }
        self.host_expanded.iter_mut().for_each(|x| *x = depth > 0);
        self.rebuild();
        self.changed()
    }

    /// Unfolds (or folds) a node and its whole subtree.
    pub fn set_subtree(&mut self, node: NodeId, open: bool) -> Response {
        let mut stack = vec![node];
        while let Some(n) = stack.pop() {
            if let Some(x) = self.expanded.get_mut(n as usize) {
                *x = open;
            }
            stack.extend_from_slice(self.forest.children(n));
        }
        self.rebuild();
        self.changed()
    }

    fn changed(&self) -> Response {
        Response { redraw: true, resized: true, ..Response::default() }
    }

    // ----- search, highlight, focus, colour -----

    /// Whether an inferred process (no row of its own) matches: its name, command line
    /// or PID.
    fn inferred_matches(&self, node: NodeId, test: &dyn Fn(&str) -> bool) -> bool {
        let info = self.forest.inferred_info.get(&node);
        self.forest.names(node).into_iter().any(test)
            || info.is_some_and(|i| i.command_line.as_deref().is_some_and(test))
            || test(&self.pid_text(node))
    }

    /// Searches every column of every process (substring, case-insensitive; or a
    /// regex). Returns the number of matches; an empty query clears the search.
    pub fn search(&mut self, query: &str, regex: bool) -> Result<usize, String> {
        self.matches.iter_mut().for_each(|m| *m = false);
        self.match_cursor = MatchCursor::default();
        let test = match matcher(query, regex) {
            Ok(test) if !query.is_empty() => test,
            other => {
                self.matches_only = false;
                self.rebuild();
                return other.map(|_| 0);
            }
        };
        let hits = self.table.rows_matching(query, regex)?;
        let mut order = Vec::new();
        // Tree order (hosts, then depth-first), so next/previous walk the tree.
        for host in &self.forest.hosts {
            let mut stack: Vec<NodeId> = host.roots.iter().rev().copied().collect();
            while let Some(n) = stack.pop() {
                let hit = match self.forest.node(n) {
                    Some(x) if x.inferred() => self.inferred_matches(n, &*test),
                    // A hex PID is shown differently from its source text.
                    Some(x) => {
                        hits.get(x.row as usize).copied().unwrap_or(false) || (self.pid_hex && test(&self.pid_text(n)))
                    }
                    None => false,
                };
                if hit {
                    if let Some(m) = self.matches.get_mut(n as usize) {
                        *m = true;
                    }
                    order.push(n);
                }
                stack.extend(self.forest.children(n).iter().rev());
            }
        }
        self.match_cursor = MatchCursor::new(order);
        self.compute_match_below();
        self.apply_matches_only();
        self.rebuild();
        Ok(self.match_cursor.order().len())
    }

    fn compute_match_below(&mut self) {
        let n = self.forest.nodes.len();
        let mut below = self.matches.clone();
        // Children are deeper than parents: propagate from the deepest level up.
        let mut order: Vec<NodeId> = (0..n as NodeId).collect();
        order.sort_unstable_by_key(|&i| std::cmp::Reverse(self.forest.nodes.get(i as usize).map_or(0, |x| x.depth)));
        for i in order {
            let p = self.forest.nodes.get(i as usize).map_or(NONE, |x| x.parent);
            if p != NONE && below.get(i as usize).copied().unwrap_or(false) {
                if let Some(x) = below.get_mut(p as usize) {
                    *x = true;
                }
            }
        }
        self.match_below = below;
    }

    /// Matches so far and the 1-based index of the current one.
    pub fn match_position(&self) -> (usize, Option<usize>) {
        self.match_cursor.position()
    }

    /// Goes to the next (or previous) match: unfolds its ancestors and selects it.
    pub fn step_match(&mut self, forward: bool) -> Response {
        let Some(node) = self.match_cursor.step(forward) else { return Response::default() };
        self.reveal_node(node);
        self.select_node(node)
    }

    /// Shows only matches and their ancestors (or everything again).
    pub fn set_matches_only(&mut self, on: bool) -> Response {
        self.only_wanted = on;
        self.apply_matches_only();
        self.rebuild();
        self.changed()
    }

    /// "Matches only" as asked for, when a search matched: the matches' ancestors unfolded.
    fn apply_matches_only(&mut self) {
        self.matches_only = self.only_wanted && !self.match_cursor.order().is_empty();
        if self.matches_only {
            for m in self.match_cursor.order().to_vec() {
                for a in self.forest.ancestors(m) {
                    if let Some(x) = self.expanded.get_mut(a as usize) {
                        *x = true;
                    }
                }
            }
            self.host_expanded.iter_mut().for_each(|x| *x = true);
        }
    }

    fn find_process(&self, text: &str) -> Option<NodeId> {
        let pid = crate::build::parse_pid(text);
        let lower = text.to_lowercase();
        (0..self.forest.nodes.len() as NodeId).find(|&n| {
            pid.is_some_and(|p| self.forest.node(n).is_some_and(|x| x.pid == p))
                || basename(&self.name(n)).to_lowercase() == lower
        })
    }

    /// Focuses on the selected process (`true`), or shows everything again.
    pub fn focus_selected(&mut self, on: bool) -> Response {
        let node = if on { self.selected } else { None };
        self.set_focus(node)
    }

    /// Shows only a process's ancestors and descendants (`None`: everything again).
    pub fn set_focus(&mut self, node: Option<NodeId>) -> Response {
        self.focus = node.filter(|&n| (n as usize) < self.forest.nodes.len());
        if let Some(f) = self.focus {
            let mut mark = vec![false; self.forest.nodes.len()];
            for a in self.forest.ancestors(f) {
                if let Some(x) = mark.get_mut(a as usize) {
                    *x = true;
                }
                if let Some(x) = self.expanded.get_mut(a as usize) {
                    *x = true;
                }
            }
            let mut stack = vec![f];
            while let Some(n) = stack.pop() {
                if let Some(x) = mark.get_mut(n as usize) {
                    *x = true;
                }
                stack.extend_from_slice(self.forest.children(n));
            }
            if let Some(h) = self.forest.node(f).map(|n| n.host as usize) {
                if let Some(x) = self.host_expanded.get_mut(h) {
                    *x = true;
                }
            }
            self.in_focus = mark;
        } else {
            self.in_focus.clear();
        }
        self.rebuild();
        let mut r = self.changed();
        if let Some(f) = self.focus {
            r.scroll_to = self.row_of(f).map(|i| self.reveal_row(i));
        }
        r
    }

    /// The focused process.
    pub fn focus(&self) -> Option<NodeId> {
        self.focus
    }

    /// Marks the processes whose name, base name, command line, PID or user equals a
    /// value (without case) or matches a `/regex/`. The work a saved output can ask for
    /// when it opens is bounded: at most [`MAX_HIGHLIGHTS`] patterns of at most
    /// [`MAX_PATTERN_CHARS`] characters, each tested once per distinct value of a
    /// dictionary column and against the first 4 KB of a command line. Returns a note
    /// per pattern left out.
    pub fn set_highlight(&mut self, patterns: &[String]) -> Vec<Warning> {
        self.highlighted.iter_mut().for_each(|h| *h = false);
        let mut notes = Vec::new();
        if patterns.len() > MAX_HIGHLIGHTS {
            notes.push(Warning::counted(
                WarningKind::Option,
                patterns.len() - MAX_HIGHLIGHTS,
                format!("options.highlight: only the first {MAX_HIGHLIGHTS} of {} patterns are used", patterns.len()),
            ));
        }
        let mut tests: Vec<Test> = Vec::new();
        for p in patterns.iter().take(MAX_HIGHLIGHTS) {
            if p.chars().count() > MAX_PATTERN_CHARS {
                notes.push(Warning::new(
                    WarningKind::Option,
                    format!("options.highlight: a pattern longer than {MAX_PATTERN_CHARS} characters was left out"),
                ));
                continue;
            }
            match p.strip_prefix('/').and_then(|x| x.strip_suffix('/')) {
                Some(re) => match matcher(re, true) {
                    Ok(t) => tests.push(t),
                    Err(e) => notes.push(Warning::new(WarningKind::Option, format!("options.highlight: {e}"))),
                },
                None => {
                    let want = p.to_lowercase();
                    tests.push(if want.is_ascii() {
                        Box::new(move |t: &str| t.eq_ignore_ascii_case(&want))
                    } else {
                        Box::new(move |t: &str| t.to_lowercase() == want)
                    });
                }
            }
        }
        if tests.is_empty() {
            return notes;
        }
        let any = |t: &str| {
            let mut end = t.len().min(HIGHLIGHT_PREFIX);
            while !t.is_char_boundary(end) {
                end -= 1;
            }
            let t = t.get(..end).unwrap_or_default();
            tests.iter().any(|f| f(t))
        };
        // Rows whose command line or user matches, each distinct value tested once.
        let mut row_hit = vec![false; self.table.rows()];
        for c in [self.cols.cmd, self.cols.user].into_iter().flatten() {
            self.table.mark_rows(c, &any, &mut row_hit);
        }
        for n in 0..self.forest.nodes.len() as NodeId {
            let Some(node) = self.forest.node(n) else { continue };
            let name = self.forest.display_name(n);
            let hit = (!node.inferred() && row_hit.get(node.row as usize).copied().unwrap_or(false))
                || any(name)
                || any(basename(name))
                || any(&self.pid_text(n))
                || (node.inferred() && self.command_line(n).is_some_and(|c| any(&c)));
            if hit {
                if let Some(h) = self.highlighted.get_mut(n as usize) {
                    *h = true;
                }
            }
        }
        notes
    }

    /// The folds a reader set, by result row (real processes with children), by host
    /// and PID (inferred ones) and by host name.
    pub fn memory(&self) -> Memory {
        let mut m = Memory::default();
        for (n, node) in self.forest.nodes.iter().enumerate() {
            if self.forest.children(n as NodeId).is_empty() {
                continue;
            }
            let open = self.expanded.get(n).copied().unwrap_or(false);
            match (node.inferred(), open) {
                (true, true) => m.open_inferred.push(self.inferred_key(node)),
                (true, false) => m.shut_inferred.push(self.inferred_key(node)),
                (false, true) => m.open.push(node.row),
                (false, false) => m.shut.push(node.row),
            }
        }
        for (host, &open) in self.forest.hosts.iter().zip(&self.host_expanded) {
            if !open {
                m.hosts_shut.push(host.name.clone());
            }
        }
        m
    }

    fn inferred_key(&self, node: &crate::build::Node) -> String {
        let host = self.forest.hosts.get(node.host as usize).map_or("", |h| h.name.as_str());
        format!("{host}\u{1f}{}", node.pid)
    }

    /// Folds as [`TreeView::memory`] recorded them: processes at those rows (inferred
    /// ones by host and PID) and hosts of those names open or shut; the rest as the view
    /// opened them.
    pub fn remember(&mut self, memory: &Memory) -> Response {
        if *memory == Memory::default() {
            return Response::default();
        }
        let sorted = |v: &[u32]| {
            let mut v = v.to_vec();
            v.sort_unstable();
            v
        };
        let (open, shut) = (sorted(&memory.open), sorted(&memory.shut));
        for n in 0..self.forest.nodes.len() {
            let Some(node) = self.forest.nodes.get(n) else { continue };
            let (is_open, is_shut) = if node.inferred() {
                let key = self.inferred_key(node);
                (memory.open_inferred.contains(&key), memory.shut_inferred.contains(&key))
            } else {
                (open.binary_search(&node.row).is_ok(), shut.binary_search(&node.row).is_ok())
            };
            if let Some(x) = self.expanded.get_mut(n) {
                if is_open || is_shut {
                    *x = is_open;
                }
            }
        }
        for (h, host) in self.forest.hosts.iter().enumerate() {
            if let Some(x) = self.host_expanded.get_mut(h) {
                *x = !memory.hosts_shut.contains(&host.name);
            }
        }
        self.rebuild();
        Response { redraw: true, resized: true, ..Response::default() }
    }

    /// The column the processes are coloured by, if any.
    pub fn color_by(&self) -> Option<&str> {
        self.color_column.as_deref()
    }

    /// Colours processes by a column (categorical: the 9 most common values, then
    /// "other"; numbers and times: a gradient). `None` removes the colouring.
    pub fn set_color_by(&mut self, column: Option<&str>) -> Vec<LegendItem> {
        self.color_of.iter_mut().for_each(|c| *c = u8::MAX);
        self.legend.clear();
        self.legend_colors.clear();
        self.color_column = None;
        let Some(c) = column.and_then(|name| self.table.column_index(name)) else { return Vec::new() };
        self.color_column = column.map(str::to_string);
        let Some(col) = self.table.column(c) else { return Vec::new() };
        let rows: Vec<Option<usize>> =
            self.forest.nodes.iter().map(|n| (!n.inferred()).then_some(n.row as usize)).collect();
        match (&col.data, col.ty) {
            (ColumnData::I64(..) | ColumnData::F64(..), _) if col.ty != ColumnType::Bool => {
                let value = |r: usize| -> Option<f64> {
                    match &col.data {
                        ColumnData::I64(..) => col.i64_value(r).map(|v| v as f64),
                        ColumnData::F64(v, valid) => {
                            valid.is_valid(r).then(|| v.get(r).copied()).flatten().filter(|x| x.is_finite())
                        }
                        _ => None,
                    }
                };
                let vals: Vec<f64> = rows.iter().flatten().filter_map(|&r| value(r)).collect();
                let (lo, hi) = vals.iter().fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), &v| (a.min(v), b.max(v)));
                if !lo.is_finite() {
                    return Vec::new();
                }
                let steps = 8u8;
                let (start, end) = (PALETTE[0], PALETTE[1]);
                for k in 0..steps {
                    self.legend_colors.push(start.mix(end, f32::from(k) / f32::from(steps - 1)));
                }
                for (i, r) in rows.iter().enumerate() {
                    if let Some(v) = r.and_then(value) {
                        let t = if hi > lo { (v - lo) / (hi - lo) } else { 0.0 };
                        self.color_of[i] = ((t * f64::from(steps - 1)).round() as u8).min(steps - 1);
                    }
                }
                let fmt = |v: f64| {
                    if col.ty == ColumnType::DateTime {
                        let mut s = String::new();
                        format_datetime(v as i64, &mut s);
                        s
                    } else {
                        format!("{v}")
                    }
                };
                self.legend = vec![
                    LegendItem { hidden: false, label: fmt(lo), color: start.to_hex(), count: vals.len() },
                    LegendItem { hidden: false, label: fmt(hi), color: end.to_hex(), count: vals.len() },
                ];
            }
            _ => {
                let mut counts: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
                let texts: Vec<Option<String>> =
                    rows.iter().map(|r| r.and_then(|r| self.table.cell_text(r, c))).collect();
                for t in texts.iter().flatten() {
                    *counts.entry(t.clone()).or_default() += 1;
                }
                let mut top: Vec<(String, usize)> = counts.into_iter().collect();
                top.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
                let kept = top.len().min(PALETTE.len() - 1);
                let index: std::collections::HashMap<&str, u8> =
                    top.iter().take(kept).enumerate().map(|(i, (v, _))| (v.as_str(), i as u8)).collect();
                for (i, t) in texts.iter().enumerate() {
                    if let Some(t) = t {
                        self.color_of[i] = index.get(t.as_str()).copied().unwrap_or(kept as u8);
                    }
                }
                self.legend_colors = PALETTE.iter().take(kept).copied().chain(std::iter::once(OTHER)).collect();
                for (i, (v, n)) in top.iter().take(kept).enumerate() {
                    self.legend.push(LegendItem {
                        hidden: false,
                        label: visible(v, 60).0,
                        color: PALETTE[i].to_hex(),
                        count: *n,
                    });
                }
                let rest: usize = top.iter().skip(kept).map(|x| x.1).sum();
                if rest > 0 {
                    self.legend.push(LegendItem {
                        hidden: false,
                        label: "other".into(),
                        color: OTHER.to_hex(),
                        count: rest,
                    });
                }
            }
        }
        self.legend.clone()
    }

    /// The current legend.
    pub fn legend(&self) -> &[LegendItem] {
        &self.legend
    }

    /// New colours and fonts: metrics follow the font; nothing is rebuilt.
    pub fn set_theme(&mut self, theme: &Theme) {
        let cw = theme.char_width.clamp(2.0, 40.0);
        let fs = theme.font_size.clamp(6.0, 40.0);
        let ratio = cw / self.metrics.2;
        self.metrics = ((fs * 1.85).round(), (fs * 3.3).round(), cw, fs);
        for w in self.widths.iter_mut().take(5) {
            *w = (*w - 2.0 * PAD) * ratio + 2.0 * PAD;
        }
        self.clamp_scroll();
    }

    // ----- geometry -----

    /// Content size in CSS px (the time lane stays at the right of the viewport).
    pub fn content_size(&self) -> (f32, f32) {
        (self.widths.iter().sum(), self.metrics.1 + self.rows.len() as f32 * self.metrics.0)
    }

    /// Sets the visible area; the command line column takes the width left over.
    pub fn set_viewport(&mut self, w: f32, h: f32) {
        self.viewport = (w.max(0.0), h.max(0.0));
        let fixed: f32 = self.widths.iter().take(4).sum::<f32>() + self.widths[5];
        self.widths[4] = (self.viewport.0 - fixed).max(MIN_COMMAND_CHARS * self.metrics.2 + 2.0 * PAD);
        self.clamp_scroll();
    }

    /// Sets the scroll position.
    pub fn set_scroll(&mut self, x: f32, y: f32) {
        self.scroll = (x, y);
        self.clamp_scroll();
    }

    /// The scroll position.
    pub fn scroll(&self) -> (f32, f32) {
        self.scroll
    }

    fn clamp_scroll(&mut self) {
        let (cw, ch) = self.content_size();
        let mx = (cw - self.viewport.0).max(0.0);
        let my = (ch - self.viewport.1).max(0.0);
        let (x, y) = self.scroll;
        self.scroll =
            (if x.is_finite() { x.clamp(0.0, mx) } else { 0.0 }, if y.is_finite() { y.clamp(0.0, my) } else { 0.0 });
    }

    /// Visible rows count.
    pub fn row_count(&self) -> usize {
        self.rows.len()
    }

    fn body_height(&self) -> f32 {
        (self.viewport.1 - self.metrics.1).max(0.0)
    }

    fn visible_range(&self) -> std::ops::Range<usize> {
        let rh = self.metrics.0;
        let first = (self.scroll.1 / rh).floor().max(0.0) as usize;
        let last = ((self.scroll.1 + self.body_height()) / rh).ceil().max(0.0) as usize;
        first.min(self.rows.len())..last.min(self.rows.len())
    }

    /// Left edge of a column in the viewport. The time lane (column 5) is frozen at the
    /// right edge; the others scroll under it.
    fn column_left(&self, i: usize) -> f32 {
        if i >= 5 {
            return (self.viewport.0 - self.widths[5]).max(self.widths.iter().take(5).sum::<f32>() - self.scroll.0);
        }
        self.widths.iter().take(i).sum::<f32>() - self.scroll.0
    }

    fn row_top(&self, i: usize) -> f32 {
        self.metrics.1 + i as f32 * self.metrics.0 - self.scroll.1
    }

    fn reveal_row(&self, i: usize) -> (f32, f32) {
        let (x, mut y) = self.scroll;
        let top = i as f32 * self.metrics.0;
        let body = self.body_height();
        if top < y {
            y = top;
        } else if top + self.metrics.0 > y + body {
            y = top + self.metrics.0 - body;
        }
        (x, y.max(0.0))
    }

    fn row_at(&self, y: f32) -> Option<usize> {
        if y < self.metrics.1 {
            return None;
        }
        let i = ((y - self.metrics.1 + self.scroll.1) / self.metrics.0).floor();
        (i >= 0.0 && (i as usize) < self.rows.len()).then_some(i as usize)
    }

    fn toggle_x(&self, r: RowRef) -> f32 {
        self.column_left(0) + PAD + self.level(r) as f32 * INDENT_CHARS * self.metrics.2
    }

    // ----- interaction -----

    /// Selects a node (unfolding its ancestors) and scrolls to it.
    pub fn select_node(&mut self, node: NodeId) -> Response {
        if (node as usize) >= self.forest.nodes.len() {
            return Response::default();
        }
        if self.row_of(node).is_none() {
            self.reveal_node(node);
        }
        self.selected = Some(node);
        self.also.clear();
        self.dim_unselected = false;
        let scroll_to = self.row_of(node).map(|i| self.reveal_row(i));
        Response { redraw: true, resized: true, scroll_to, selection: true, ..Response::default() }
    }

    /// Adds a process to the selection, or takes it out (Ctrl/Shift+click): the first
    /// one selected stays the one the detail panel shows while it is selected.
    pub fn toggle_selected(&mut self, node: NodeId) -> Response {
        if (node as usize) >= self.forest.nodes.len() {
            return Response::default();
        }
        huntviz_draw::view::toggle_selected(&mut self.selected, &mut self.also, node);
        self.dim_unselected = false;
        Response { redraw: true, selection: true, ..Response::default() }
    }

    /// Every selected process: the first, then the others ascending.
    pub fn selected_nodes(&self) -> impl Iterator<Item = NodeId> + '_ {
        self.selected.into_iter().chain(self.also.iter().copied())
    }

    /// The selected node.
    pub fn selected(&self) -> Option<NodeId> {
        self.selected
    }

    /// Pointer pressed: the fold control folds, anywhere else selects.
    pub fn pointer_down(&mut self, x: f32, y: f32, add: bool) -> Response {
        let Some(i) = self.row_at(y) else { return Response::default() };
        let Some(&r) = self.rows.get(i) else { return Response::default() };
        let tx = self.toggle_x(r);
        if x >= tx - 2.0 && x <= tx + self.metrics.2 * 1.8 || r & HOST_BIT != 0 {
            self.toggle_row(i);
            return self.changed();
        }
        if add {
            self.toggle_selected(r)
        } else {
            self.select_node(r)
        }
    }

    /// Pointer moved.
    pub fn pointer_move(&mut self, x: f32, y: f32) -> Response {
        let row = self.row_at(y);
        let redraw = row != self.hover_row;
        self.hover_row = row;
        let cursor = match row.and_then(|i| self.rows.get(i)) {
            Some(&r) if (x - self.toggle_x(r)).abs() < self.metrics.2 * 1.5 || r & HOST_BIT != 0 => "pointer",
            _ => "default",
        };
        Response { redraw, cursor, ..Response::default() }
    }

    /// Pointer left.
    pub fn pointer_leave(&mut self) -> Response {
        let redraw = self.hover_row.take().is_some();
        Response { redraw, ..Response::default() }
    }

    /// Keys: arrows move and fold, Enter selects, PageUp/PageDown/Home/End.
    pub fn key(&mut self, key: &str) -> Response {
        if self.rows.is_empty() {
            return Response::default();
        }
        let cur = self.selected.and_then(|s| self.row_of(s)).unwrap_or_else(|| self.visible_range().start);
        let page = ((self.body_height() / self.metrics.0) as usize).max(1);
        let node_at = |v: &Self, i: usize| v.rows.get(i).copied().filter(|r| r & HOST_BIT == 0);
        match key {
            "ArrowDown" | "ArrowUp" | "PageDown" | "PageUp" | "Home" | "End" => {
                let last = self.rows.len() - 1;
                let mut i = match key {
                    "ArrowDown" => (cur + 1).min(last),
                    "ArrowUp" => cur.saturating_sub(1),
                    "PageDown" => (cur + page).min(last),
                    "PageUp" => cur.saturating_sub(page),
                    "Home" => 0,
                    _ => last,
                };
                // Skip host rows in the direction of travel.
                while node_at(self, i).is_none() {
                    let down = matches!(key, "ArrowDown" | "PageDown" | "End");
                    if down && i < last {
                        i += 1;
                    } else if !down && i > 0 {
                        i -= 1;
                    } else {
                        return Response::default();
                    }
                }
                node_at(self, i).map_or_else(Response::default, |n| self.select_node(n))
            }
            "ArrowRight" => match node_at(self, cur) {
                Some(n)
                    if !self.expanded.get(n as usize).copied().unwrap_or(false)
                        && !self.forest.children(n).is_empty() =>
                {
                    self.toggle_row(cur);
                    self.changed()
                }
                Some(n) => match self.forest.children(n).first() {
                    Some(&c) if self.row_of(c).is_some() => self.select_node(c),
                    _ => Response::default(),
                },
                None => Response::default(),
            },
            "ArrowLeft" => match node_at(self, cur) {
                Some(n)
                    if self.expanded.get(n as usize).copied().unwrap_or(false)
                        && !self.forest.children(n).is_empty() =>
                {
                    self.toggle_row(cur);
                    self.changed()
                }
                Some(n) => match self.forest.node(n).map(|x| x.parent) {
                    Some(p) if p != NONE => self.select_node(p),
                    _ => Response::default(),
                },
                None => Response::default(),
            },
            "Enter" => node_at(self, cur).map_or_else(Response::default, |n| self.select_node(n)),
            _ => Response::default(),
        }
    }

    /// The tooltip for the row under the pointer.
    pub fn tooltip(&self, x: f32, y: f32) -> Option<Tooltip> {
        let i = self.row_at(y)?;
        let r = *self.rows.get(i)?;
        let text = if r & HOST_BIT != 0 {
            let h = self.forest.hosts.get((r & !HOST_BIT) as usize)?;
            format!("{} · {} root processes", h.name, h.roots.len())
        } else {
            let mut t = format!("{} · PID {}", visible(&self.name(r), 400).0, self.pid_text(r));
            let start = self.start_text(r);
            if !start.is_empty() {
                t.push_str(&format!(" · {start}"));
            }
            if self.forest.node(r).is_some_and(|n| n.inferred()) {
                t.push_str(" · inferred: referenced as a parent, not in the result");
            }
            let link = self.forest.link(r);
            if link != Link::Root {
                t.push_str(" · parent link: ");
                t.push_str(link.label());
            }
            if let Some(cmd) = self.command_line(r) {
                let (v, cut) = visible(&cmd, 2000);
                t.push('\n');
                t.push_str(&v);
                if cut {
                    t.push_str(" …");
                }
            }
            t
        };
        Some(Tooltip { text, x: x + 12.0, y: self.row_top(i) + self.metrics.0 })
    }

    /// The selected process, for the detail panel.
    pub fn detail(&self) -> Option<Detail> {
        let node = self.selected?;
        let n = self.forest.node(node)?;
        let mut fields = Vec::new();
        if n.inferred() {
            let info = self.forest.inferred_info.get(&node);
            fields.push(("name".to_string(), info.map(|i| i.name.clone()).unwrap_or_default()));
            fields.push(("process id".to_string(), info.map(|i| i.pid_text.clone()).unwrap_or_default()));
            if let Some(c) = info.and_then(|i| i.command_line.clone()) {
                fields.push(("command line".to_string(), c));
            }
            if n.start != NO_TIME {
                fields.push(("started".to_string(), self.start_text(node)));
            }
            fields.push((
                "source".to_string(),
                "inferred: referenced by its children's parent columns, not in the result".to_string(),
            ));
        } else {
            for (c, col) in self.table.columns.iter().enumerate() {
                let mut v = String::new();
                let value = match self.table.write_cell_prefix(n.row as usize, c, DETAIL_MAX_CHARS * 4, &mut v) {
                    None => "null".to_string(),
                    Some(cut) => {
                        let (mut t, more) = visible(&v, DETAIL_MAX_CHARS);
                        if cut || more {
                            t.push_str(&format!(
                                " … ({} bytes in all)",
                                thousands(self.table.cell_len(n.row as usize, c))
                            ));
                        }
                        t
                    }
                };
                fields.push((col.name.clone(), value));
            }
        }
        let mut ancestors: Vec<(NodeId, String)> =
            self.forest.ancestors(node).into_iter().map(|a| (a, self.label(a))).collect();
        ancestors.reverse();
        let names = self.forest.names(node);
        Some(Detail {
            item: node,
            title: visible(&self.label(node), 400).0,
            inferred: n.inferred(),
            link: Some(self.link_detail(node)),
            names: if names.len() > 1 { names.iter().map(|t| visible(t, 2000).0).collect() } else { Vec::new() },
            fields,
            related: ancestors,
            children: self.forest.children(node).len(),
        })
    }

    /// How a node's parent link was made, with the evidence in a sentence.
    pub fn link_detail(&self, node: NodeId) -> LinkDetail {
        let link = self.forest.link(node);
        let parent = self.forest.node(node).map_or(NONE, |n| n.parent);
        let start = self.forest.node(node).map_or(NO_TIME, |n| n.start);
        let pstart = self.forest.node(parent).map_or(NO_TIME, |p| p.start);
        let plabel = visible(&self.label(parent), 400).0;
        let pid = self.pid_text(parent);
        let (t, pt) = (self.start_text(node), self.start_text(parent));
        let after = || {
            let ms = pstart.saturating_sub(start) / 10_000;
            format!("{}.{:03} s", ms / 1000, ms % 1000)
        };
        let explanation = match link {
            Link::Root => {
                "the result names no parent for it, or its link was cut (see the warnings)".to_string()
            }
            Link::Guid => format!("the parent GUID in its row is the GUID of {plabel}"),
            Link::CreationTime => format!(
                "its row names the parent's PID {pid} and creation time {pt}, which identify {plabel} exactly"
            ),
            Link::PidTime => format!(
                "{plabel} is the latest process on this host with that PID{} that started before it ({pt} < {t})",
                if self.forest.join_names { " and image name" } else { "" }
            ),
            Link::SameTick => format!(
                "{plabel} has the parent's PID and started {} as this process ({pt}); at the source's resolution which came first cannot be proved, so the link is weaker",
                if start % 10_000_000 == 0 { "in the same second" } else { "at the same recorded time" }
            ),
            Link::PidOnly => format!(
                "{plabel} has the parent's PID, but {}, so it cannot be checked that it was alive when this process started",
                match (start == NO_TIME, pstart == NO_TIME) {
                    (true, true) => "neither has a start time",
                    (true, false) => "this process has no start time",
                    _ => "it has no start time",
                }
            ),
            Link::ClockSkew => format!(
                "no process with PID {pid} was reported before this one; {plabel} was reported {} after it and is taken because these times are report stamps, not creation times (up to 2 s allowed)",
                after()
            ),
            Link::System => format!(
                "PID 4 is the kernel's System process for the machine's whole life; this source records it starting {} after this process (memory images do), so the times are not used",
                after()
            ),
            Link::Inferred => {
                let mut e = format!(
                    "PID {pid} is named by this process's parent columns but is not in the result"
                );
                if let Some(later) = self.reused_by(node) {
                    e.push_str(&format!(
                        "; the result's PID {pid} is {}, which started after this process ({}): the PID was reused once the parent exited",
                        visible(&self.label(later), 400).0,
                        self.start_text(later)
                    ));
                }
                e
            }
        };
        LinkDetail {
            kind: link.id().to_string(),
            label: link.label().to_string(),
            evidence: link.evidence(),
            explanation,
        }
    }

    /// The first real process with a node's parent PID on its host that started after
    /// the node: why its parent is inferred, when the PID was reused.
    fn reused_by(&self, node: NodeId) -> Option<NodeId> {
        let n = self.forest.node(node)?;
        let p = self.forest.node(n.parent)?;
        if n.start == NO_TIME {
            return None;
        }
        (0..self.forest.nodes.len() as NodeId)
            .filter(|&c| {
                self.forest
                    .node(c)
                    .is_some_and(|x| !x.inferred() && x.host == n.host && x.pid == p.pid && x.start > n.start)
            })
            .min_by_key(|&c| self.forest.node(c).map_or(i64::MAX, |x| x.start))
    }

    /// The kinds of parent link in the tree and how many processes each links, for the
    /// legend (roots left out).
    pub fn link_legend(&self) -> Vec<LinkLegendItem> {
        self.link_counts
            .iter()
            .map(|&(kind, count)| LinkLegendItem {
                kind: kind.id().to_string(),
                label: kind.label().to_string(),
                evidence: kind.evidence(),
                count,
            })
            .collect()
    }

    /// The exact, complete value of field `index` of [`TreeView::detail`], for copying.
    pub fn detail_value(&self, index: usize) -> Option<String> {
        let node = self.selected?;
        let n = self.forest.node(node)?;
        if n.inferred() {
            return self.detail()?.fields.get(index).map(|f| f.1.clone());
        }
        self.table.cell_text(n.row as usize, index)
    }

    /// The exact command line (or name) of the selected process, for copying.
    pub fn selection_value(&self) -> Option<String> {
        let s = self.selected?;
        self.command_line(s).or_else(|| Some(self.name(s)))
    }

    // ----- drawing -----

    const TITLES: [&'static str; 6] = ["process", "PID", "started (UTC)", "user", "command line", "start time"];

    fn cells(&self, r: RowRef) -> [String; 5] {
        if r & HOST_BIT != 0 {
            let h = self.forest.hosts.get((r & !HOST_BIT) as usize);
            let name =
                h.map(|h| if h.name.is_empty() { "(no host)".to_string() } else { h.name.clone() }).unwrap_or_default();
            return [name, String::new(), String::new(), String::new(), String::new()];
        }
        let mut name = basename(&self.name(r)).to_string();
        if self.forest.node(r).is_some_and(|n| n.inferred()) {
            name.push_str(if name.is_empty() { "(inferred)" } else { " (inferred)" });
        }
        [
            name,
            self.pid_text(r),
            self.start_text(r),
            self.cell(r, self.cols.user).unwrap_or_default(),
            self.command_line(r).map(|c| c.chars().take(400).collect()).unwrap_or_default(),
        ]
    }

    fn lane_x(&self, start: i64) -> Option<f32> {
        let (lo, hi) = self.forest.time_range?;
        if start == NO_TIME {
            return None;
        }
        let left = self.column_left(5) + PAD;
        let w = self.widths[5] - 2.0 * PAD;
        // In 128 bits: start times may span the whole 64-bit range.
        let t = if hi > lo {
            (i128::from(start) - i128::from(lo)) as f64 / (i128::from(hi) - i128::from(lo)) as f64
        } else {
            0.5
        };
        Some(left + (t as f32) * w)
    }

    /// The scene of the current viewport.
    pub fn scene(&self, theme: &Theme) -> Scene {
        let (rh, hh, cw, fs) = self.metrics;
        let (vw, vh) = self.viewport;
        let mut s = Scene::new(vw, vh);
        s.fill(0.0, 0.0, vw, vh, theme.background);
        let range = self.visible_range();
        let lane_left = self.column_left(5);
        for i in range.clone() {
            let Some(&r) = self.rows.get(i) else { continue };
            let top = self.row_top(i);
            let mid = top + rh / 2.0;
            let host = r & HOST_BIT != 0;
            let selected = !host && (self.selected == Some(r) || self.also.binary_search(&r).is_ok());
            // Outside a linked pane's range: drawn as an inferred process is.
            let dimmed = self.dim_unselected && !host && !selected;
            let is_match = !host && self.matches.get(r as usize).copied().unwrap_or(false);
            if selected {
                s.fill(0.0, top, vw, rh, theme.selection);
            } else if self.hover_row == Some(i) {
                s.fill(0.0, top, vw, rh, theme.hover);
            } else if host {
                s.fill(0.0, top, vw, rh, theme.header_background);
            } else if i % 2 == 1 {
                s.fill(0.0, top, vw, rh, theme.stripe);
            }
            if is_match {
                s.fill(0.0, top + 1.0, vw, rh - 2.0, theme.accent.with_alpha(40));
            }
            let level = self.level(r);
            let inferred = !host && self.forest.node(r).is_some_and(|n| n.inferred());
            let highlighted = !host && self.highlighted.get(r as usize).copied().unwrap_or(false);
            if highlighted {
                s.fill(0.0, top, 3.0, rh, HIGHLIGHT);
            }
            let cells = self.cells(r);
            // Tree column: fold control, colour mark, name.
            let tx = self.toggle_x(r);
            let has_children = host || !self.forest.children(r).is_empty();
            let open = if host {
                self.host_expanded.get((r & !HOST_BIT) as usize).copied().unwrap_or(true)
            } else {
                self.expanded.get(r as usize).copied().unwrap_or(false)
            };
            if has_children {
                s.text(tx, mid, (if open { "▾" } else { "▸" }).to_string(), Face::Mono, fs, theme.muted, Align::Left);
            }
            let mut x = tx + 1.8 * cw;
            if let Some(&c) = self.color_of.get(r as usize).filter(|&&c| c != u8::MAX && !host) {
                if let Some(&col) = self.legend_colors.get(c as usize) {
                    s.fill(x, mid - fs * 0.35, fs * 0.7, fs * 0.7, col);
                }
                x += fs;
            }
            let name_room = self.column_left(1) - PAD - x;
            let fits = ((name_room / cw).floor().max(0.0)) as usize;
            let (name, _) = elide(&visible(&cells[0], 300).0, fits);
            let face = if host || highlighted {
                Face::MonoBold
            } else if inferred {
                Face::MonoItalic
            } else {
                Face::Mono
            };
            let color = if inferred || dimmed {
                theme.muted
            } else if highlighted {
                HIGHLIGHT
            } else {
                theme.foreground
            };
            if level > 0 || host {
                s.text(x, mid, name, face, fs, color, Align::Left);
            }
            if host {
                let count = format!(
                    "{} roots",
                    thousands(self.forest.hosts.get((r & !HOST_BIT) as usize).map_or(0, |h| h.roots.len()))
                );
                s.text(self.column_left(1) + PAD, mid, count, Face::Mono, fs, theme.muted, Align::Left);
                continue;
            }
            for (k, text) in cells.iter().enumerate().skip(1) {
                let left = self.column_left(k);
                // Columns scroll under the frozen time lane.
                let w = self.widths[k].min(lane_left - left);
                if left > vw || left >= lane_left || left + w < 0.0 {
                    continue;
                }
                let fits = (((w - 2.0 * PAD) / cw).floor().max(0.0)) as usize;
                let (t, _) = elide(&visible(text, 400).0, fits);
                let align = if k == 1 { Align::Right } else { Align::Left };
                let ax = if k == 1 { left + w - PAD } else { left + PAD };
                s.text(
                    ax,
                    mid,
                    t,
                    Face::Mono,
                    fs,
                    if inferred || dimmed { theme.muted } else { theme.foreground },
                    align,
                );
            }
            if let Some(lx) = self.forest.node(r).and_then(|n| self.lane_x(n.start)) {
                let color = self
                    .color_of
                    .get(r as usize)
                    .and_then(|&c| self.legend_colors.get(c as usize))
                    .copied()
                    .unwrap_or(theme.accent);
                s.fill(lx - 2.0, mid - 4.0, 4.0, 8.0, color);
            }
        }
        // Links after the rows' backgrounds: they sit in the indentation, left of the names.
        self.draw_links(&mut s, theme, range);
        // The frozen lane's edge.
        s.line(lane_left.round() - 0.5, hh, lane_left.round() - 0.5, vh, theme.border);
        // Header.
        s.fill(0.0, 0.0, vw, hh, theme.header_background);
        for (k, title) in Self::TITLES.iter().enumerate() {
            let left = self.column_left(k);
            s.text(left + PAD, hh * 0.32, (*title).to_string(), Face::MonoBold, fs, theme.foreground, Align::Left);
            if k > 0 {
                s.line(left.round() - 0.5, 0.0, left.round() - 0.5, vh, theme.border);
            }
        }
        if let Some((lo, hi)) = self.forest.time_range {
            let left = self.column_left(5);
            let w = self.widths[5];
            let fmt = |t: i64| {
                let mut x = String::new();
                format_datetime(t, &mut x);
                x.get(5..16).unwrap_or_default().replace('T', " ")
            };
            s.text(left + PAD, hh * 0.72, fmt(lo), Face::Mono, fs * 0.85, theme.muted, Align::Left);
            s.text(left + w - PAD, hh * 0.72, fmt(hi), Face::Mono, fs * 0.85, theme.muted, Align::Right);
        }
        s.line(0.0, hh - 0.5, vw, hh - 0.5, theme.border);
        s
    }

    /// Draws each visible process's link to its parent: an elbow from the parent's fold
    /// control (or the sibling above) to the process, solid for exact links, dashed
    /// amber for weaker evidence, dotted for inferred parents. A link whose parent or
    /// previous sibling is above the viewport starts at the viewport's top.
    fn draw_links(&self, s: &mut Scene, theme: &Theme, range: std::ops::Range<usize>) {
        let (rh, hh, cw, _) = self.metrics;
        let lane_left = self.column_left(5);
        let first = range.start;
        for i in range {
            let Some(&r) = self.rows.get(i) else { continue };
            if r & HOST_BIT != 0 {
                continue;
            }
            let link = self.forest.link(r);
            let Some(parent) = self.forest.node(r).map(|n| n.parent).filter(|&p| p != NONE) else { continue };
            let level = self.level(r);
            // The row above where this link starts: the parent, or the previous sibling.
            let mut from = hh;
            for j in (first..i).rev() {
                let Some(&above) = self.rows.get(j) else { break };
                if above == parent {
                    from = self.row_top(j) + rh * 0.78;
                    break;
                }
                let l = self.level(above);
                if above & HOST_BIT != 0 || l < level {
                    break;
                }
                if l == level {
                    from = self.row_top(j) + rh / 2.0;
                    break;
                }
            }
            let x = self.toggle_x(r) - INDENT_CHARS * cw + cw * 0.45;
            let mid = self.row_top(i) + rh / 2.0;
            let leaf = self.forest.children(r).is_empty();
            let end = (self.toggle_x(r) + if leaf { cw * 1.3 } else { -cw * 0.2 }).min(lane_left);
            if x >= lane_left {
                continue;
            }
            let (color, on, off) = match link.evidence() {
                Evidence::Weak => (WEAK, 4.0, 3.0),
                Evidence::Inferred => (theme.muted, 1.5, 2.5),
                _ => (theme.muted.with_alpha(150), 0.0, 0.0),
            };
            for (x1, y1, x2, y2) in [(x, from.max(hh), x, mid), (x, mid, end, mid)] {
                if off == 0.0 {
                    s.line(x1, y1, x2, y2, color);
                } else {
                    s.dashed(x1, y1, x2, y2, color, on, off);
                }
            }
        }
    }

    /// The visible rows as text (accessibility mirror).
    pub fn visible_text(&self) -> VisibleText {
        let geometry = (0..6).map(|k| (self.column_left(k), self.widths[k])).collect();
        let rows = self
            .visible_range()
            .filter_map(|i| {
                let r = *self.rows.get(i)?;
                let host = r & HOST_BIT != 0;
                let has_children = host || !self.forest.children(r).is_empty();
                let open = if host {
                    self.host_expanded.get((r & !HOST_BIT) as usize).copied().unwrap_or(true)
                } else {
                    self.expanded.get(r as usize).copied().unwrap_or(false)
                };
                let cells = self.cells(r).into_iter().map(|c| visible(&c, 200).0).collect();
                let row = if host { 0 } else { r as usize + 1 };
                Some(VisibleRow {
                    selected: !host && (self.selected == Some(r) || self.also.binary_search(&r).is_ok()),
                    level: Some(self.level(r) + 1),
                    expanded: has_children.then_some(open),
                    toggle: has_children.then(|| self.toggle_x(r)),
                    ..VisibleRow::new(i + 1, row, self.row_top(i), cells)
                })
            })
            .collect();
        VisibleText {
            columns: Self::TITLES.iter().take(5).map(|t| (*t).to_string()).collect(),
            first_col: 1,
            geometry,
            rows,
        }
    }
}

/// Names of the string columns with few distinct values (good `color_by` choices).
pub fn color_choices(table: &Table) -> Vec<String> {
    table
        .columns
        .iter()
        .filter(|c| match &c.data {
            ColumnData::Str(StrColumn::Dict { dict, .. }) => dict.len() > 1 && dict.len() <= 500,
            ColumnData::Bool(_) => true,
            _ => matches!(c.ty, ColumnType::DateTime | ColumnType::Long | ColumnType::Int | ColumnType::Real),
        })
        .map(|c| c.name.clone())
        .collect()
}

impl huntviz_draw::view::View for TreeView {
    fn status_line(&self, warnings: usize) -> String {
        TreeView::status_line(self, warnings)
    }
    fn warnings(&self) -> Vec<Warning> {
        self.forest.warnings.iter().chain(&self.notes).cloned().collect()
    }
    fn row_count(&self) -> usize {
        TreeView::row_count(self)
    }
    fn content_size(&self) -> (f32, f32) {
        TreeView::content_size(self)
    }
    fn set_viewport(&mut self, width: f32, height: f32) {
        TreeView::set_viewport(self, width, height);
    }
    fn set_scroll(&mut self, x: f32, y: f32) {
        TreeView::set_scroll(self, x, y);
    }
    fn scroll(&self) -> (f32, f32) {
        TreeView::scroll(self)
    }
    fn set_theme(&mut self, theme: &Theme) {
        TreeView::set_theme(self, theme);
    }
    fn scene(&self, theme: &Theme) -> Scene {
        TreeView::scene(self, theme)
    }
    fn pointer_down(&mut self, x: f32, y: f32, shift: bool) -> Response {
        TreeView::pointer_down(self, x, y, shift)
    }
    fn pointer_down_add(&mut self, x: f32, y: f32) -> Response {
        TreeView::pointer_down(self, x, y, true)
    }
    fn memory(&self) -> Memory {
        TreeView::memory(self)
    }
    fn remember(&mut self, memory: &Memory) -> Response {
        TreeView::remember(self, memory)
    }
    fn pointer_move(&mut self, x: f32, y: f32) -> Response {
        TreeView::pointer_move(self, x, y)
    }
    fn pointer_leave(&mut self) -> Response {
        TreeView::pointer_leave(self)
    }
    fn key(&mut self, key: &str, _ctrl: bool, _shift: bool) -> Response {
        TreeView::key(self, key)
    }
    fn tooltip(&self, x: f32, y: f32) -> Option<Tooltip> {
        TreeView::tooltip(self, x, y)
    }
    fn detail(&self) -> Option<Detail> {
        TreeView::detail(self)
    }
    fn detail_value(&self, index: usize) -> Option<String> {
        TreeView::detail_value(self, index)
    }
    fn selection_value(&self) -> Option<String> {
        TreeView::selection_value(self)
    }
    fn select_row(&mut self, row: u32) -> Response {
        match self.forest.nodes.iter().position(|n| n.row == row && !n.inferred()) {
            Some(node) => self.select_node(node as NodeId),
            None => Response::default(),
        }
    }
    fn select_rows(&mut self, rows: &[u32]) -> Response {
        // The processes made from those rows (one pass over the processes: no index).
        let set = huntviz_draw::view::row_set(rows, self.table.rows());
        let nodes: Vec<NodeId> = (0..self.forest.nodes.len() as NodeId)
            .filter(|&n| {
                self.forest.node(n).is_some_and(|p| !p.inferred() && set.get(p.row as usize).copied().unwrap_or(false))
            })
            .collect();
        let Some((&first, rest)) = nodes.split_first() else {
            self.selected = None;
            self.also.clear();
            self.dim_unselected = false;
            return Response { redraw: true, selection: true, ..Response::default() };
        };
        let mut r = self.select_node(first);
        self.also = rest.to_vec();
        self.dim_unselected = !self.also.is_empty();
        r.selection = true;
        r
    }
    fn selected_subtree_rows(&self) -> Vec<u32> {
        // Iterative: a 100,000-deep chain must not overflow the stack.
        let mut rows = Vec::new();
        let mut stack: Vec<NodeId> = self.selected_nodes().collect();
        while let Some(n) = stack.pop() {
            if let Some(node) = self.forest.nodes.get(n as usize).filter(|node| !node.inferred()) {
                rows.push(node.row);
            }
            stack.extend_from_slice(self.forest.children(n));
        }
        rows.sort_unstable();
        // Selected processes under one another: each row once.
        rows.dedup();
        rows
    }
    fn selected_rows(&self) -> Vec<u32> {
        let mut rows: Vec<u32> = self
            .selected_nodes()
            .filter_map(|n| self.forest.nodes.get(n as usize))
            .filter(|n| !n.inferred())
            .map(|n| n.row)
            .collect();
        rows.sort_unstable();
        rows.dedup();
        rows
    }
    fn select(&mut self, item: u32) -> Response {
        self.select_node(item)
    }
    fn visible_text(&self) -> VisibleText {
        TreeView::visible_text(self)
    }
    fn search(&mut self, query: &str, regex: bool) -> Result<usize, ViewError> {
        TreeView::search(self, query, regex).map_err(ViewError)
    }
    fn search_step(&mut self, forward: bool) -> Response {
        self.step_match(forward)
    }
    fn match_position(&self) -> (usize, Option<usize>) {
        TreeView::match_position(self)
    }
    fn set_matches_only(&mut self, on: bool) -> Response {
        TreeView::set_matches_only(self, on)
    }
    fn legend(&self) -> Vec<LegendItem> {
        TreeView::legend(self).to_vec()
    }
}
