//! The view contract: what every interactive view — grid, process tree, timeline,
//! entity graph — does, and what it hands its host. A host (the browser binding, the
//! CLI, the fuzz target, `huntviz_session`) drives any view through [`View`] alone;
//! what only one kind of view does (folding, zooming to a factor, relayout) stays on its
//! own type, reached through the session's one typed command dispatch.
//!
//! The types here cross to the browser as JSON; their TypeScript declarations are
//! generated from them (`js/types.ts`, with the `ts` feature).

use crate::{Scene, Theme};

/// What the host should do after an event.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Response {
    /// Draw again.
    pub redraw: bool,
    /// The content size changed.
    pub resized: bool,
    /// Scroll so this content point is visible.
    pub scroll_to: Option<(f32, f32)>,
    /// CSS cursor.
    #[cfg_attr(feature = "ts", ts(type = "string"))]
    pub cursor: &'static str,
    /// The selection changed.
    pub selection: bool,
    /// A drag began: the host keeps the pointer (pointer capture) until it is released,
    /// so the drag follows it outside the view.
    pub capture: bool,
}

impl Default for Response {
    fn default() -> Self {
        Response { redraw: false, resized: false, scroll_to: None, cursor: "default", selection: false, capture: false }
    }
}

impl Response {
    /// Just draw again.
    pub fn redraw() -> Response {
        Response { redraw: true, ..Default::default() }
    }

    /// Draw again, the content size changed.
    pub fn changed() -> Response {
        Response { redraw: true, resized: true, ..Default::default() }
    }
}

/// A tooltip: visible text anchored at a viewport point.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Tooltip {
    /// Visible text.
    pub text: String,
    /// Anchor x (viewport px).
    pub x: f32,
    /// Anchor y (viewport px).
    pub y: f32,
}

/// A legend entry that can hide and show what it stands for.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct LegendItem {
    /// Label (visible text).
    pub label: String,
    /// `#rrggbb`.
    pub color: String,
    /// How many it stands for.
    pub count: usize,
    /// Hidden by the user.
    pub hidden: bool,
}

/// The visible part as text: a table mirrored for screen readers and tests.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct VisibleText {
    /// Column titles.
    pub columns: Vec<String>,
    /// 1-based index of the first column listed.
    pub first_col: usize,
    /// Left edge and width of each column (viewport px).
    pub geometry: Vec<(f32, f32)>,
    /// The visible rows.
    pub rows: Vec<VisibleRow>,
}

/// One row of [`VisibleText`].
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct VisibleRow {
    /// 1-based position.
    pub position: usize,
    /// The thing's index + 1.
    pub row: usize,
    /// Top edge, or centre for a point (viewport px).
    pub top: f32,
    /// x of its mark (first event in view, node centre), when it has one.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub mark: Option<f32>,
    /// Tree level (process-tree hosts are 1); absent outside trees.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub level: Option<u32>,
    /// Expanded (`Some(true)`), folded (`Some(false)`); absent for leaves and non-trees.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub expanded: Option<bool>,
    /// Left edge of the fold control (viewport px), for rows that have one.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub toggle: Option<f32>,
    /// Selected (or holding the selection: a timeline lane with a selected event);
    /// absent when not.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    #[cfg_attr(feature = "ts", ts(as = "Option<bool>", optional))]
    pub selected: bool,
    /// Cell texts.
    pub cells: Vec<String>,
}

impl VisibleRow {
    /// A row with no mark and no tree state.
    pub fn new(position: usize, row: usize, top: f32, cells: Vec<String>) -> VisibleRow {
        VisibleRow { position, row, top, mark: None, level: None, expanded: None, toggle: None, selected: false, cells }
    }
}

/// How much a relation (a process's link to its parent) can be trusted, which is how it
/// is drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub enum Evidence {
    /// No relation (a root).
    None,
    /// Identity, or an order that proves it: drawn solid.
    Exact,
    /// Weaker: an order that cannot be proved, a tolerance or a documented rule — dashed.
    Weak,
    /// The other end is inferred: dotted.
    Inferred,
}

/// How a detail's item is related to its parent (a process tree's parent link).
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct LinkDetail {
    /// The kind's id (`pid-time`, …).
    pub kind: String,
    /// Its short label.
    pub label: String,
    /// How it is drawn.
    pub evidence: Evidence,
    /// Why, in a sentence.
    pub explanation: String,
}

/// One kind of relation in a view, for its legend (a process tree's parent links).
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct LinkLegendItem {
    /// The kind's id.
    pub kind: String,
    /// Its label.
    pub label: String,
    /// How it is drawn.
    pub evidence: Evidence,
    /// How many there are.
    pub count: usize,
}

/// The selected item described for a detail panel: a process, an event, an entity.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Detail {
    /// The item (node id, event index).
    pub item: u32,
    /// Its title (visible text).
    pub title: String,
    /// Known only from others (an inferred process).
    pub inferred: bool,
    /// Every field: (name, visible value); copying asks for the exact value by index.
    pub fields: Vec<(String, String)>,
    /// Related items, each selectable: a process's ancestors (root first), an entity's
    /// neighbours.
    pub related: Vec<(u32, String)>,
    /// Children (a process tree's).
    pub children: usize,
    /// How it is related to its parent (a process tree's link).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub link: Option<LinkDetail>,
    /// Every spelling of its name, when there are several.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[cfg_attr(feature = "ts", ts(as = "Option<Vec<String>>", optional))]
    pub names: Vec<String>,
}

impl Detail {
    /// A detail with only a title and fields.
    pub fn new(item: u32, title: String, fields: Vec<(String, String)>) -> Detail {
        Detail { item, title, inferred: false, fields, related: Vec::new(), children: 0, link: None, names: Vec::new() }
    }
}

/// The selected cell of a grid, for its detail bar.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct CellSelection {
    /// Source row (0-based).
    pub row: usize,
    /// Column name.
    pub column: String,
    /// Column type name.
    pub column_type: String,
    /// The cell is null.
    pub null: bool,
    /// Visible text, capped (the detail bar shows it).
    pub text: String,
    /// Size of the exact value in bytes.
    pub bytes: usize,
}

/// What a warning is about: the result's own kinds (from the parser), then what the
/// options and the views noticed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub enum WarningKind {
    /// The service reported a partial failure.
    PartialError,
    /// The result was cut short.
    Truncated,
    /// Values that could not be read as the column's type.
    BadValue,
    /// Datetimes without a UTC offset, read as UTC.
    NoOffset,
    /// Digits below 100 ns were dropped.
    Precision,
    /// Invalid UTF-8 or lone surrogates.
    Encoding,
    /// Unexpected structure that was skipped.
    Structure,
    /// An option that was unknown, of the wrong type, or left out.
    Option,
    /// A view could not be built and another is shown.
    View,
    /// Something a view noticed in the data (parents inferred, lanes merged, references
    /// dangling).
    Data,
}

/// Something the user must know: its kind, one readable sentence, and how many things it
/// is about when it counts them.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Warning {
    /// What it is about.
    pub kind: WarningKind,
    /// One sentence; data values, if quoted, come last.
    pub message: String,
    /// How many things it is about, when it counts them.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub count: Option<u64>,
}

impl Warning {
    /// A warning.
    pub fn new(kind: WarningKind, message: impl Into<String>) -> Warning {
        Warning { kind, message: message.into(), count: None }
    }

    /// A warning about `count` things.
    pub fn counted(kind: WarningKind, count: usize, message: impl Into<String>) -> Warning {
        Warning { kind, message: message.into(), count: Some(count as u64) }
    }

    /// Warnings about the data from plain sentences.
    pub fn data(messages: &[String]) -> Vec<Warning> {
        messages.iter().map(|m| Warning::new(WarningKind::Data, m.clone())).collect()
    }
}

/// Why a view could not be built or an action could not be done.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ViewError(pub String);

impl std::fmt::Display for ViewError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ViewError {}

impl From<String> for ViewError {
    fn from(message: String) -> Self {
        ViewError(message)
    }
}

/// Adds `item` to a multi-selection or takes it out (Ctrl/Shift+click): `first` is the
/// item the detail panel shows, `also` the others, ascending. Taking out the first makes
/// the next one first.
pub fn toggle_selected(first: &mut Option<u32>, also: &mut Vec<u32>, item: u32) {
    if *first == Some(item) {
        *first = if also.is_empty() { None } else { Some(also.remove(0)) };
    } else if first.is_none() {
        *first = Some(item);
    } else {
        match also.binary_search(&item) {
            Ok(at) => {
                also.remove(at);
            }
            Err(at) => also.insert(at, item),
        }
    }
}

/// Gives back a selection a filter hid (`hidden`: the selected item and the others)
/// to a view's selection (`also` stays ascending, without the selected item).
pub fn restore_selection(selected: &mut Option<u32>, also: &mut Vec<u32>, hidden: (Option<u32>, Vec<u32>)) {
    let (first, rest) = hidden;
    *selected = selected.or(first);
    also.extend(rest);
    also.extend(first.filter(|&f| *selected != Some(f)));
    also.sort_unstable();
    also.dedup();
    if let Some(s) = *selected {
        also.retain(|&a| a != s);
    }
}

/// Membership of result rows, for [`View::select_rows`]: `rows` (ascending, any
/// length) as a bitmap over `0..len`; rows at or past `len` are left out.
pub fn row_set(rows: &[u32], len: usize) -> Vec<bool> {
    let mut set = vec![false; len];
    for &r in rows {
        if let Some(m) = set.get_mut(r as usize) {
            *m = true;
        }
    }
    set
}

/// What a reader changed in a view that a new rendering of the same output keeps
/// ([`View::memory`]): folds by result row (inferred processes by host and PID, hosts
/// by name) and a moved camera (`[x, y, scale]`; empty: fitted).
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Memory {
    /// Rows of processes shown open.
    pub open: Vec<u32>,
    /// Rows of processes shown shut.
    pub shut: Vec<u32>,
    /// Inferred processes shown open, as `host\u{1f}pid`.
    pub open_inferred: Vec<String>,
    /// Inferred processes shown shut.
    pub shut_inferred: Vec<String>,
    /// Hosts shown shut.
    pub hosts_shut: Vec<String>,
    /// A graph's camera once moved: offset x, y and scale.
    pub camera: Vec<f32>,
}

/// A selected entity of a graph as Python's `View.selected_entities` gets it: what it
/// is, its own properties (exact values), and the result rows it came from.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Entity {
    /// Its type (`account`, `host`, `ip`, …, `alert`, or an edge list column's).
    pub kind: String,
    /// What the view shows for it.
    pub label: String,
    /// Every property: (name, value).
    pub props: Vec<(String, String)>,
    /// The result rows it came from, ascending.
    pub rows: Vec<u32>,
}

/// What every view does. Methods a view has nothing for keep their defaults (a grid
/// has no legend, a table no search).
pub trait View {
    /// The one-line status (`Process tree · 1,010 processes · …`), counting `warnings`.
    fn status_line(&self, warnings: usize) -> String;
    /// What building the view noticed.
    fn warnings(&self) -> Vec<Warning> {
        Vec::new()
    }
    /// Things the view shows (rows, visible tree rows, lanes, entities).
    fn row_count(&self) -> usize;

    /// The whole content's size in CSS pixels.
    fn content_size(&self) -> (f32, f32);
    /// The visible size in CSS pixels.
    fn set_viewport(&mut self, width: f32, height: f32);
    /// The device pixel ratio (for views that rasterize).
    fn set_pixel_ratio(&mut self, _dpr: f32) {}
    /// The scroll position in content pixels.
    fn set_scroll(&mut self, x: f32, y: f32);
    /// The scroll position after clamping.
    fn scroll(&self) -> (f32, f32);
    /// Colours and fonts.
    fn set_theme(&mut self, theme: &Theme);

    /// The visible part as a scene.
    fn scene(&self, theme: &Theme) -> Scene;
    /// What an export draws (the visible part, with a legend where the view has one).
    fn export_scene(&self, theme: &Theme) -> Scene {
        self.scene(theme)
    }

    /// Pointer pressed (Shift held: box zoom where the view has it).
    fn pointer_down(&mut self, x: f32, y: f32, shift: bool) -> Response;
    /// Pointer moved.
    fn pointer_move(&mut self, x: f32, y: f32) -> Response;
    /// Pointer released.
    fn pointer_up(&mut self, _x: f32, _y: f32) -> Response {
        Response::default()
    }
    /// Pointer left the view.
    fn pointer_leave(&mut self) -> Response;
    /// A key (`KeyboardEvent.key`); the reply says whether it was handled.
    fn key(&mut self, key: &str, ctrl: bool, shift: bool) -> Response;
    /// The wheel (nothing to do when the page should scroll).
    fn wheel(&mut self, _x: f32, _y: f32, _dx: f32, _dy: f32, _shift: bool) -> Response {
        Response::default()
    }
    /// A double click.
    fn double_click(&mut self, _x: f32, _y: f32, _shift: bool) -> Response {
        Response::default()
    }

    /// The tooltip for a point.
    fn tooltip(&self, x: f32, y: f32) -> Option<Tooltip>;
    /// The selected cell (a grid's).
    fn selection(&self) -> Option<CellSelection> {
        None
    }
    /// The selected item, for the detail panel.
    fn detail(&self) -> Option<Detail> {
        None
    }
    /// The exact value of field `index` of the detail, for copying.
    fn detail_value(&self, _index: usize) -> Option<String> {
        None
    }
    /// The exact value of the selection, for copying.
    fn selection_value(&self) -> Option<String>;
    /// The rows of the result behind the selection, ascending: what the kernel link
    /// hands Python as `View.selected` (an inferred process has none).
    fn selected_rows(&self) -> Vec<u32> {
        Vec::new()
    }
    /// The selected entities with their own properties (a graph's; elsewhere none).
    fn selected_entities(&self) -> Vec<Entity> {
        Vec::new()
    }
    /// What a reader changed that should survive the output being drawn again with
    /// new data (a pivot's merge, `View.update`): a tree's folds, a graph's camera.
    fn memory(&self) -> Memory {
        Memory::default()
    }
    /// Applies [`View::memory`] taken from an earlier rendering (rows still in the
    /// result keep their state; the rest stays as the view opened them).
    fn remember(&mut self, _memory: &Memory) -> Response {
        Response::default()
    }
    /// Pointer pressed with Ctrl (⌘ on a Mac): adds the item under it to the selection
    /// or takes it out again (multi-select); on a timeline a drag brushes a time range.
    /// By default a plain press.
    fn pointer_down_add(&mut self, x: f32, y: f32) -> Response {
        self.pointer_down(x, y, false)
    }
    /// Selects what result row `row` is in this view (a process, an event, the entity it
    /// made, its cell) and brings it into view: Python's `View.select`. Nothing when the
    /// view has no item for it.
    fn select_row(&mut self, _row: u32) -> Response {
        Response::default()
    }
    /// Selects every item made from any of `rows` (ascending result rows: another
    /// pane's selection), the first brought into view; clears the selection when none
    /// is. Linked panes of one result call it with each other's `selected_rows`.
    fn select_rows(&mut self, rows: &[u32]) -> Response {
        match rows.first() {
            Some(&row) => self.select_row(row),
            None => Response::default(),
        }
    }
    /// The rows of the selection and of everything under it (a process tree's subtree,
    /// ascending): `View.selected_subtree`. Elsewhere the selection's own rows.
    fn selected_subtree_rows(&self) -> Vec<u32> {
        self.selected_rows()
    }
    /// Selects an item by id (a detail's related items).
    fn select(&mut self, _item: u32) -> Response {
        Response::default()
    }
    /// The visible part as text.
    fn visible_text(&self) -> VisibleText;

    /// Searches (substring, or a regex); the number of matches.
    fn search(&mut self, _query: &str, _regex: bool) -> Result<usize, ViewError> {
        Ok(0)
    }
    /// Goes to the next (or previous) match.
    fn search_step(&mut self, _forward: bool) -> Response {
        Response::default()
    }
    /// Matches and the 1-based current one.
    fn match_position(&self) -> (usize, Option<usize>) {
        (0, None)
    }
    /// "Matches only": shows only what the search matched (with what a match needs
    /// to be read: a process's ancestors, an entity's links), or everything again. It
    /// stays on through later searches; without a match everything is shown.
    fn set_matches_only(&mut self, on: bool) -> Response;

    /// The legend.
    fn legend(&self) -> Vec<LegendItem> {
        Vec::new()
    }
    /// Hides or shows a legend entry.
    fn toggle_legend(&mut self, _index: usize) -> Response {
        Response::default()
    }

    /// Runs one step of work the view does over frames (a graph's layout); `true`
    /// while there is more.
    fn tick(&mut self) -> bool {
        false
    }
    /// Whether that work is done.
    fn settled(&self) -> bool {
        true
    }
    /// Does that work to its end at once (exports without frames: the CLI, tests).
    fn settle(&mut self) {}
}
