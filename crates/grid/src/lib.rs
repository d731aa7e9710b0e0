//! The huntviz results grid: a virtualized, typed view of one [`Table`].
//!
//! Pure Rust: layout (column widths, frozen header and row-number column), typed sort,
//! hit-testing, keyboard and pointer interaction, and a [`Scene`] of only the visible
//! cells. The wasm crate forwards browser events here and draws the scene on a canvas;
//! tests and the CLI draw it to SVG.

use huntviz_draw::text::{columns, elide, thousands, visible};
/// The reply types every view shares.
pub use huntviz_draw::view::{CellSelection as Selection, Response, Tooltip, VisibleRow, VisibleText};
use huntviz_draw::{Align, Face, Scene, Theme};
use std::sync::Arc;

use huntviz_table::search::MatchCursor;
use huntviz_table::{ColumnType, Table};

/// Bytes of a cell read for drawing: far more than any column can show.
const DRAW_PREFIX_BYTES: usize = 1024;
/// Characters of a value shown in a tooltip or the detail bar.
pub const TOOLTIP_MAX_CHARS: usize = 4000;
/// Padding inside a cell, in CSS pixels.
const PAD: f32 = 6.0;
/// How close to a header's right edge a press starts a column resize.
const RESIZE_GRIP: f32 = 5.0;
/// Narrowest column a user can drag to.
const MIN_COLUMN_WIDTH: f32 = 24.0;

/// Sizes derived from the theme's font.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Metrics {
    /// Height of a body row.
    pub row_height: f32,
    /// Height of the header (name line + type line).
    pub header_height: f32,
    /// Advance of one monospace character.
    pub char_width: f32,
    /// Font size.
    pub font_size: f32,
}

impl Metrics {
    /// Metrics for a theme's font.
    pub fn for_theme(theme: &Theme) -> Self {
        let font_size = theme.font_size.clamp(6.0, 40.0);
        Metrics {
            row_height: (font_size * 1.85).round(),
            header_height: (font_size * 3.3).round(),
            char_width: theme.char_width.clamp(2.0, 40.0),
            font_size,
        }
    }
}

/// What lies under a point of the grid.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Hit {
    /// Outside any cell.
    None,
    /// The top-left corner.
    Corner,
    /// A column header; `edge` when on the resize grip at its right edge.
    Header {
        /// Column index.
        col: usize,
        /// On the resize grip.
        edge: bool,
    },
    /// A row number.
    RowNumber {
        /// Position in the current (sorted) order.
        view_row: usize,
    },
    /// A data cell.
    Cell {
        /// Position in the current (sorted) order.
        view_row: usize,
        /// Column index.
        col: usize,
    },
}

/// Sort state of the grid.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sort {
    /// Sorted column.
    pub col: usize,
    /// Descending.
    pub descending: bool,
}

/// A pointer drag in progress.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Drag {
    Resize { col: usize, start_x: f32, start_width: f32 },
    HeaderPress { col: usize },
}

/// The grid over one table.
pub struct Grid {
    table: Arc<Table>,
    metrics: Metrics,
    widths: Vec<f32>,
    /// Left edge of each column relative to the first column.
    offsets: Vec<f32>,
    /// Result rows in sorted order (`None`: the result's order).
    order: Option<Vec<u32>>,
    sort: Option<Sort>,
    /// "Matches only" asked for, and the rows it shows in view order (`None`: every row).
    matches_only: bool,
    shown: Option<Vec<u32>>,
    viewport: (f32, f32),
    scroll: (f32, f32),
    hover: Option<Hit>,
    selected: Option<(usize, usize)>,
    /// Result rows added to the selection by Ctrl/Shift+click besides the selected
    /// cell's (ascending; by result row, so a sort keeps them).
    also: Vec<u32>,
    /// Rows a search matched (by result row; empty: no search), and the matches in
    /// the order the grid shows them.
    matched: Arc<Vec<bool>>,
    matches: MatchCursor,
    drag: Option<Drag>,
}

impl Grid {
    /// A grid over `table`, with column widths fitted to the names and the first rows.
    pub fn new(table: Arc<Table>, theme: &Theme) -> Self {
        let metrics = Metrics::for_theme(theme);
        let sample = table.rows().min(200);
        let mut chars = Vec::with_capacity(table.columns.len());
        let mut buf = String::new();
        for (c, col) in table.columns.iter().enumerate() {
            let mut want = columns(&col.name).max(col.ty.name().len() + 2).max(4);
            for r in 0..sample {
                buf.clear();
                if table.write_cell_prefix(r, c, 256, &mut buf).is_some() {
                    want = want.max(columns(&visible(&buf, 64).0));
                }
            }
            chars.push(want.clamp(4, 48));
        }
        let mut grid = Grid {
            table,
            metrics,
            widths: Vec::new(),
            offsets: Vec::new(),
            order: None,
            sort: None,
            matches_only: false,
            shown: None,
            viewport: (0.0, 0.0),
            scroll: (0.0, 0.0),
            hover: None,
            selected: None,
            also: Vec::new(),
            matched: Arc::default(),
            matches: MatchCursor::default(),
            drag: None,
        };
        grid.widths = chars.iter().map(|&n| n as f32 * metrics.char_width + 2.0 * PAD).collect();
        grid.relayout();
        grid
    }

    /// The table shown.
    pub fn table(&self) -> &Table {
        &self.table
    }

    /// Current metrics.
    pub fn metrics(&self) -> Metrics {
        self.metrics
    }

    /// Current sort.
    pub fn sort(&self) -> Option<Sort> {
        self.sort
    }

    /// Column widths in CSS pixels.
    pub fn widths(&self) -> &[f32] {
        &self.widths
    }

    fn relayout(&mut self) {
        let mut x = 0.0;
        self.offsets.clear();
        for w in &self.widths {
            self.offsets.push(x);
            x += w;
        }
    }

    /// Width of the frozen row-number column.
    pub fn row_number_width(&self) -> f32 {
        let digits = self.table.rows().max(1).to_string().len().max(2);
        (digits as f32 + 1.0) * self.metrics.char_width + 2.0 * PAD
    }

    /// Size of the whole grid in CSS pixels (for the scroll area).
    pub fn content_size(&self) -> (f32, f32) {
        let w = self.row_number_width() + self.widths.iter().sum::<f32>();
        let h = self.metrics.header_height + self.view_len() as f32 * self.metrics.row_height;
        (w, h)
    }

    /// Applies a new theme: colours change; font metrics may change the layout
    /// (column widths keep their character counts). The table is not read again.
    pub fn set_theme(&mut self, theme: &Theme) {
        let old = self.metrics;
        self.metrics = Metrics::for_theme(theme);
        if old.char_width != self.metrics.char_width {
            let ratio = self.metrics.char_width / old.char_width;
            for w in &mut self.widths {
                *w = (*w - 2.0 * PAD) * ratio + 2.0 * PAD;
            }
            self.relayout();
        }
    }

    /// Sets the size of the visible area.
    pub fn set_viewport(&mut self, width: f32, height: f32) {
        self.viewport = (width.max(0.0), height.max(0.0));
        self.clamp_scroll();
    }

    /// Sets the scroll position (content pixels of the top-left visible point).
    pub fn set_scroll(&mut self, x: f32, y: f32) {
        self.scroll = (x, y);
        self.clamp_scroll();
    }

    /// Current scroll position.
    pub fn scroll(&self) -> (f32, f32) {
        self.scroll
    }

    fn clamp_scroll(&mut self) {
        let (cw, ch) = self.content_size();
        let max_x = (cw - self.viewport.0).max(0.0);
        let max_y = (ch - self.viewport.1).max(0.0);
        let (x, y) = self.scroll;
        self.scroll = (
            if x.is_finite() { x.clamp(0.0, max_x) } else { 0.0 },
            if y.is_finite() { y.clamp(0.0, max_y) } else { 0.0 },
        );
    }

    /// Source row shown at a view position.
    pub fn source_row(&self, view_row: usize) -> usize {
        match self.shown.as_ref().or(self.order.as_ref()) {
            Some(order) => order.get(view_row).map_or(view_row, |&r| r as usize),
            None => view_row,
        }
    }

    /// Rows shown (all, or the matches only).
    pub fn view_len(&self) -> usize {
        self.shown.as_ref().map_or(self.table.rows(), Vec::len)
    }

    /// The view row showing result row `row`, if it is shown.
    fn view_row_of(&self, row: usize) -> Option<usize> {
        match self.shown.as_ref().or(self.order.as_ref()) {
            Some(order) => order.iter().position(|&r| r as usize == row),
            None => (row < self.table.rows()).then_some(row),
        }
    }

    fn body_height(&self) -> f32 {
        (self.viewport.1 - self.metrics.header_height).max(0.0)
    }

    /// View rows whose band intersects the viewport.
    pub fn visible_rows(&self) -> std::ops::Range<usize> {
        let rh = self.metrics.row_height;
        let first = (self.scroll.1 / rh).floor().max(0.0) as usize;
        let last = ((self.scroll.1 + self.body_height()) / rh).ceil().max(0.0) as usize;
        first.min(self.view_len())..last.min(self.view_len())
    }

    /// Columns whose band intersects the viewport.
    pub fn visible_columns(&self) -> std::ops::Range<usize> {
        let left = self.scroll.0;
        let right = self.scroll.0 + (self.viewport.0 - self.row_number_width()).max(0.0);
        let first = self.offsets.partition_point(|&x| x <= left).saturating_sub(1);
        let last = self.offsets.partition_point(|&x| x < right);
        first.min(self.widths.len())..last.min(self.widths.len())
    }

    fn column_left(&self, col: usize) -> f32 {
        self.row_number_width() + self.offsets.get(col).copied().unwrap_or(0.0) - self.scroll.0
    }

    fn row_top(&self, view_row: usize) -> f32 {
        self.metrics.header_height + view_row as f32 * self.metrics.row_height - self.scroll.1
    }

    /// What is at viewport point (x, y).
    pub fn hit(&self, x: f32, y: f32) -> Hit {
        if x < 0.0 || y < 0.0 || x > self.viewport.0 || y > self.viewport.1 {
            return Hit::None;
        }
        let rn = self.row_number_width();
        let in_header = y < self.metrics.header_height;
        let col = if x < rn {
            None
        } else {
            let cx = x - rn + self.scroll.0;
            let i = self.offsets.partition_point(|&o| o <= cx).checked_sub(1);
            i.filter(|&i| self.widths.get(i).is_some_and(|w| cx < self.offsets.get(i).copied().unwrap_or(0.0) + w))
        };
        if in_header {
            // The grip belongs to the column whose right edge is near.
            for c in self.visible_columns() {
                let right = self.column_left(c) + self.widths.get(c).copied().unwrap_or(0.0);
                if (x - right).abs() <= RESIZE_GRIP && x >= rn {
                    return Hit::Header { col: c, edge: true };
                }
            }
            return match col {
                Some(col) => Hit::Header { col, edge: false },
                None if x < rn => Hit::Corner,
                None => Hit::None,
            };
        }
        let view_row = ((y - self.metrics.header_height + self.scroll.1) / self.metrics.row_height).floor();
        if view_row < 0.0 || view_row as usize >= self.view_len() {
            return Hit::None;
        }
        let view_row = view_row as usize;
        match col {
            Some(col) => Hit::Cell { view_row, col },
            None if x < rn => Hit::RowNumber { view_row },
            None => Hit::None,
        }
    }

    /// Sorts by `col`: ascending, then descending, then back to the source order.
    pub fn toggle_sort(&mut self, col: usize) {
        let next = match self.sort {
            Some(Sort { col: c, descending: false }) if c == col => Some(Sort { col, descending: true }),
            Some(Sort { col: c, descending: true }) if c == col => None,
            _ => Some(Sort { col, descending: false }),
        };
        self.set_sort(next);
    }

    /// Sets the sort (or the source order with `None`); the selection follows its row.
    pub fn set_sort(&mut self, sort: Option<Sort>) {
        if sort.is_some_and(|s| s.col >= self.table.columns.len()) {
            return;
        }
        let selected_source = self.selected.map(|(v, c)| (self.source_row(v), c));
        self.sort = sort;
        self.order = sort.map(|s| self.table.sort_order(s.col, s.descending));
        self.reorder(selected_source);
    }

    /// Rows shown and matches stepped in view order after a sort, a search or
    /// "matches only"; the selected cell follows its row (none when it is not shown).
    fn reorder(&mut self, selected_source: Option<(usize, usize)>) {
        // The matching rows in the grid's sort: the matches to step through, and what
        // "matches only" shows.
        let hit = |r: &u32| self.matched.get(*r as usize).copied().unwrap_or(false);
        let in_order: Vec<u32> = match &self.order {
            _ if self.matched.is_empty() => Vec::new(),
            Some(order) => order.iter().copied().filter(hit).collect(),
            None => (0..self.table.rows() as u32).filter(hit).collect(),
        };
        self.shown = (self.matches_only && !in_order.is_empty()).then(|| in_order.clone());
        self.matches = MatchCursor::new(in_order);
        self.selected = selected_source.and_then(|(row, col)| Some((self.view_row_of(row)?, col)));
        if let Some((row, _)) = selected_source.filter(|_| self.selected.is_none()) {
            // Hidden by "matches only": still selected, without a cell.
            if let Err(at) = self.also.binary_search(&(row as u32)) {
                self.also.insert(at, row as u32);
            }
        }
        self.clamp_scroll();
    }

    /// Shows only the rows the search matched (in the current sort), or every row again.
    pub fn set_matches_only(&mut self, on: bool) -> Response {
        self.matches_only = on;
        let selected_source = self.selected.map(|(v, c)| (self.source_row(v), c));
        self.reorder(selected_source);
        Response { redraw: true, resized: true, ..Response::default() }
    }

    /// Searches every cell (substring, case-insensitive; or a regex); the number of
    /// matching rows. An empty query clears the search.
    pub fn search(&mut self, query: &str, regex: bool) -> Result<usize, String> {
        let selected_source = self.selected.map(|(v, c)| (self.source_row(v), c));
        // The table's search (kept for the other panes of an investigation).
        let found = if query.is_empty() { Ok(Arc::default()) } else { self.table.rows_matching(query, regex) };
        let result = found.map(|rows| self.matched = rows);
        if result.is_err() {
            self.matched = Arc::default();
        }
        self.reorder(selected_source);
        result.map(|()| self.matches.order().len())
    }

    /// Selects the next (or previous) matching row.
    pub fn step_match(&mut self, forward: bool) -> Response {
        match self.matches.step(forward) {
            Some(row) => {
                let col = self.selected.map_or(0, |(_, c)| c);
                match self.view_row_of(row as usize) {
                    Some(v) => self.select(v, col),
                    None => Response::default(),
                }
            }
            None => Response::default(),
        }
    }

    /// Sets a column's width (clamped to a minimum).
    pub fn set_column_width(&mut self, col: usize, width: f32) {
        if let Some(w) = self.widths.get_mut(col) {
            *w = width.max(MIN_COLUMN_WIDTH);
            self.relayout();
            self.clamp_scroll();
        }
    }

    /// The selected cell (view row, column).
    pub fn selected(&self) -> Option<(usize, usize)> {
        self.selected
    }

    /// Selects a cell (view row, column); out-of-range values are clamped.
    pub fn select(&mut self, view_row: usize, col: usize) -> Response {
        if self.view_len() == 0 || self.widths.is_empty() {
            return Response::default();
        }
        let view_row = view_row.min(self.view_len() - 1);
        let col = col.min(self.widths.len() - 1);
        self.selected = Some((view_row, col));
        self.also.clear();
        Response { redraw: true, selection: true, scroll_to: Some(self.reveal(view_row, col)), ..Response::default() }
    }

    /// Ctrl+click on a row: adds it to the selection, or takes it out again.
    fn toggle_row(&mut self, view_row: usize, col: usize) -> Response {
        let mut first = self.selected.map(|(v, _)| self.source_row(v) as u32);
        let col = self.selected.map_or(col, |(_, c)| c);
        let row = self.source_row(view_row) as u32;
        huntviz_draw::view::toggle_selected(&mut first, &mut self.also, row);
        self.selected = first.and_then(|row| Some((self.view_row_of(row as usize)?, col)));
        Response { redraw: true, selection: true, ..Response::default() }
    }

    /// Shift+click on a row: adds every row from the selected one to it.
    fn add_range(&mut self, view_row: usize, col: usize) -> Response {
        let Some((anchor, _)) = self.selected else { return self.select(view_row, col) };
        let first = self.source_row(anchor) as u32;
        let (lo, hi) = (anchor.min(view_row), anchor.max(view_row).min(self.view_len().saturating_sub(1)));
        let mut rows: Vec<u32> = (lo..=hi).map(|v| self.source_row(v) as u32).filter(|&r| r != first).collect();
        rows.extend_from_slice(&self.also);
        rows.sort_unstable();
        rows.dedup();
        self.also = rows;
        Response { redraw: true, selection: true, ..Response::default() }
    }

    /// Whether view row `v` is in the selection beyond the selected cell's row.
    fn also_selected(&self, v: usize) -> bool {
        !self.also.is_empty() && self.also.binary_search(&(self.source_row(v) as u32)).is_ok()
    }

    /// Pointer pressed with Ctrl (⌘) or Shift: a row added to the selection (or taken
    /// out again), or every row up to it.
    pub fn pointer_down_add(&mut self, x: f32, y: f32, range: bool) -> Response {
        let (view_row, col) = match self.hit(x, y) {
            Hit::Cell { view_row, col } => (view_row, col),
            Hit::RowNumber { view_row } => (view_row, self.selected.map_or(0, |s| s.1)),
            _ => return self.pointer_down(x, y),
        };
        if range {
            self.add_range(view_row, col)
        } else {
            self.toggle_row(view_row, col)
        }
    }

    /// The scroll position that shows a cell, changing as little as possible.
    fn reveal(&self, view_row: usize, col: usize) -> (f32, f32) {
        let (mut x, mut y) = self.scroll;
        let top = view_row as f32 * self.metrics.row_height;
        let bottom = top + self.metrics.row_height;
        let body = self.body_height();
        if top < y {
            y = top;
        } else if bottom > y + body {
            y = bottom - body;
        }
        let left = self.offsets.get(col).copied().unwrap_or(0.0);
        let right = left + self.widths.get(col).copied().unwrap_or(0.0);
        let avail = (self.viewport.0 - self.row_number_width()).max(0.0);
        if left < x || right - left > avail {
            x = left;
        } else if right > x + avail {
            x = right - avail;
        }
        (x.max(0.0), y.max(0.0))
    }

    /// Handles a key press (`ArrowUp`, `PageDown`, `Home`, …). `Response::default()`
    /// when the key is not the grid's.
    pub fn key(&mut self, key: &str, ctrl: bool) -> Response {
        let rows = self.view_len();
        let cols = self.widths.len();
        if rows == 0 || cols == 0 {
            return Response::default();
        }
        let (r, c) = self.selected.unwrap_or((self.visible_rows().start, self.visible_columns().start));
        let page = ((self.body_height() / self.metrics.row_height).floor() as usize).max(1);
        let (r, c) = match key {
            "ArrowDown" => (r.saturating_add(1), c),
            "ArrowUp" => (r.saturating_sub(1), c),
            "ArrowRight" => (r, c.saturating_add(1)),
            "ArrowLeft" => (r, c.saturating_sub(1)),
            "PageDown" => (r.saturating_add(page), c),
            "PageUp" => (r.saturating_sub(page), c),
            "Home" if ctrl => (0, 0),
            "End" if ctrl => (rows - 1, cols - 1),
            "Home" => (r, 0),
            "End" => (r, cols - 1),
            "Escape" => {
                self.selected = None;
                self.also.clear();
                return Response { redraw: true, selection: true, ..Response::default() };
            }
            _ => return Response::default(),
        };
        self.select(r, c)
    }

    /// Pointer pressed at viewport (x, y).
    pub fn pointer_down(&mut self, x: f32, y: f32) -> Response {
        match self.hit(x, y) {
            Hit::Header { col, edge: true } => {
                let start_width = self.widths.get(col).copied().unwrap_or(0.0);
                self.drag = Some(Drag::Resize { col, start_x: x, start_width });
                Response { cursor: "col-resize", capture: true, ..Response::default() }
            }
            Hit::Header { col, edge: false } => {
                self.drag = Some(Drag::HeaderPress { col });
                Response::default()
            }
            Hit::Cell { view_row, col } => self.select(view_row, col),
            Hit::RowNumber { view_row } => self.select(view_row, self.selected.map_or(0, |s| s.1)),
            Hit::Corner | Hit::None => Response::default(),
        }
    }

    /// Pointer moved to viewport (x, y); updates hover and drags.
    pub fn pointer_move(&mut self, x: f32, y: f32) -> Response {
        if let Some(Drag::Resize { col, start_x, start_width }) = self.drag {
            self.set_column_width(col, start_width + (x - start_x));
            return Response { redraw: true, resized: true, cursor: "col-resize", ..Response::default() };
        }
        let hit = self.hit(x, y);
        let cursor = match hit {
            Hit::Header { edge: true, .. } => "col-resize",
            Hit::Header { .. } => "pointer",
            _ => "default",
        };
        let changed = self.hover != Some(hit);
        self.hover = Some(hit);
        Response { redraw: changed, cursor, ..Response::default() }
    }

    /// Pointer released at viewport (x, y): a press and release on one header sorts.
    pub fn pointer_up(&mut self, x: f32, y: f32) -> Response {
        let drag = self.drag.take();
        match drag {
            Some(Drag::HeaderPress { col }) if self.hit(x, y) == (Hit::Header { col, edge: false }) => {
                self.toggle_sort(col);
                Response { redraw: true, ..Response::default() }
            }
            Some(Drag::Resize { .. }) => Response { redraw: true, resized: true, ..Response::default() },
            _ => Response::default(),
        }
    }

    /// Pointer left the grid.
    pub fn pointer_leave(&mut self) -> Response {
        let redraw = self.hover.take().is_some();
        Response { redraw, ..Response::default() }
    }

    fn visible_cell_text(&self, row: usize, col: usize, max: usize) -> Option<(String, bool)> {
        let mut buf = String::new();
        let cut = self.table.write_cell_prefix(row, col, DRAW_PREFIX_BYTES.max(max * 4), &mut buf)?;
        let (text, more) = visible(&buf, max);
        Some((text, cut || more))
    }

    /// The tooltip for a cell under the pointer: only when its value does not fit.
    pub fn tooltip(&self, x: f32, y: f32) -> Option<Tooltip> {
        let Hit::Cell { view_row, col } = self.hit(x, y) else { return None };
        let row = self.source_row(view_row);
        let avail = self.widths.get(col).copied().unwrap_or(0.0) - 2.0 * PAD;
        let fits = ((avail / self.metrics.char_width).floor().max(0.0)) as usize;
        let (text, cut) = self.visible_cell_text(row, col, TOOLTIP_MAX_CHARS)?;
        if columns(&text) <= fits && !cut {
            return None;
        }
        Some(Tooltip {
            text: self.capped_note(text, cut, row, col),
            x: self.column_left(col),
            y: self.row_top(view_row) + self.metrics.row_height,
        })
    }

    fn capped_note(&self, mut text: String, cut: bool, row: usize, col: usize) -> String {
        if cut {
            let total = self.table.cell_len(row, col);
            text.push_str(&format!(" … ({} bytes in all; copy for the full value)", thousands(total)));
        }
        text
    }

    /// The selected cell, for the detail bar.
    pub fn selection(&self) -> Option<Selection> {
        let (view_row, col) = self.selected?;
        let row = self.source_row(view_row);
        let column = self.table.columns.get(col)?;
        let (text, null) = match self.visible_cell_text(row, col, TOOLTIP_MAX_CHARS) {
            Some((t, cut)) => (self.capped_note(t, cut, row, col), false),
            None => ("null".to_string(), true),
        };
        Some(Selection {
            row,
            column: column.name.clone(),
            column_type: column.ty.name().to_string(),
            null,
            text,
            bytes: self.table.cell_len(row, col),
        })
    }

    /// The exact, complete value of the selected cell (for copying); `None` when
    /// nothing is selected or the cell is null.
    pub fn selection_value(&self) -> Option<String> {
        let (view_row, col) = self.selected?;
        self.table.cell_text(self.source_row(view_row), col)
    }

    /// The visible cells as text, for the accessibility mirror and tests.
    pub fn visible_text(&self) -> VisibleText {
        let cols = self.visible_columns();
        let columns = self.table.columns.iter().map(|c| format!("{} ({})", c.name, c.ty)).collect();
        let rows = self
            .visible_rows()
            .map(|v| {
                let row = self.source_row(v);
                let cells = cols
                    .clone()
                    .map(|c| self.visible_cell_text(row, c, 200).map_or_else(|| "null".to_string(), |t| t.0))
                    .collect();
                let selected = self.selected.is_some_and(|(r, _)| r == v) || self.also_selected(v);
                VisibleRow { selected, ..VisibleRow::new(v + 1, row + 1, self.row_top(v), cells) }
            })
            .collect();
        let geometry =
            cols.clone().map(|c| (self.column_left(c), self.widths.get(c).copied().unwrap_or(0.0))).collect();
        VisibleText { columns, first_col: cols.start + 1, geometry, rows }
    }

    /// The scene for the current viewport.
    pub fn scene(&self, theme: &Theme) -> Scene {
        let m = self.metrics;
        let (vw, vh) = self.viewport;
        let mut s = Scene::new(vw, vh);
        s.fill(0.0, 0.0, vw, vh, theme.background);
        let rn = self.row_number_width();
        let cw = m.char_width;
        let fs = m.font_size;
        let cols = self.visible_columns();
        let rows = self.visible_rows();
        let hovered_row = match self.hover {
            Some(Hit::Cell { view_row, .. } | Hit::RowNumber { view_row }) => Some(view_row),
            _ => None,
        };

        // Body.
        for v in rows.clone() {
            let top = self.row_top(v);
            let mid = top + m.row_height / 2.0;
            if hovered_row == Some(v) {
                s.fill(rn, top, vw - rn, m.row_height, theme.hover);
            } else if v % 2 == 1 {
                s.fill(rn, top, vw - rn, m.row_height, theme.stripe);
            }
            let row = self.source_row(v);
            if self.matched.get(row).copied().unwrap_or(false) {
                s.fill(rn, top + 1.0, vw - rn, m.row_height - 2.0, theme.accent.with_alpha(40));
            }
            let also = self.also_selected(v);
            for c in cols.clone() {
                let left = self.column_left(c);
                let w = self.widths.get(c).copied().unwrap_or(0.0);
                if also || self.selected == Some((v, c)) {
                    s.fill(left, top, w, m.row_height, theme.selection);
                }
                let fits = (((w - 2.0 * PAD) / cw).floor().max(0.0)) as usize;
                let ty = self.table.columns.get(c).map_or(ColumnType::String, |col| col.ty);
                match self.visible_cell_text(row, c, fits + 1) {
                    Some((text, _)) => {
                        let (text, _) = elide(&text, fits);
                        if ty.is_numeric() {
                            s.text(
                                left + w - PAD,
                                mid,
                                text,
                                huntviz_draw::Face::Mono,
                                fs,
                                theme.foreground,
                                Align::Right,
                            );
                        } else {
                            s.text(left + PAD, mid, text, Face::Mono, fs, theme.foreground, Align::Left);
                        }
                    }
                    None => {
                        let (text, _) = elide("null", fits);
                        s.text(left + PAD, mid, text, Face::MonoItalic, fs, theme.muted, Align::Left);
                    }
                }
            }
        }
        // Column separators through header and body.
        for c in cols.clone() {
            let right = (self.column_left(c) + self.widths.get(c).copied().unwrap_or(0.0)).round() - 0.5;
            if right > rn {
                s.line(right, 0.0, right, vh.min(self.content_size().1 - self.scroll.1), theme.border);
            }
        }
        // Frozen row-number column.
        s.fill(0.0, m.header_height, rn, vh - m.header_height, theme.header_background);
        for v in rows {
            let mid = self.row_top(v) + m.row_height / 2.0;
            let label = (self.source_row(v) + 1).to_string();
            let selected = self.selected.is_some_and(|(r, _)| r == v) || self.also_selected(v);
            let color = if selected { theme.accent } else { theme.muted };
            s.text(rn - PAD, mid, label, Face::Mono, fs, color, Align::Right);
        }
        s.line(rn - 0.5, 0.0, rn - 0.5, vh, theme.border);
        // Frozen header.
        s.fill(0.0, 0.0, vw, m.header_height, theme.header_background);
        for c in cols {
            let Some(col) = self.table.columns.get(c) else { continue };
            let left = self.column_left(c);
            let w = self.widths.get(c).copied().unwrap_or(0.0);
            let fits = (((w - 2.0 * PAD) / cw).floor().max(0.0)) as usize;
            let arrow = match self.sort {
                Some(Sort { col: sc, descending }) if sc == c => Some(if descending { "▼" } else { "▲" }),
                _ => None,
            };
            let name_fits = if arrow.is_some() { fits.saturating_sub(2) } else { fits };
            let (name, _) = elide(&visible(&col.name, 200).0, name_fits);
            s.text(left + PAD, m.header_height * 0.32, name, Face::MonoBold, fs, theme.foreground, Align::Left);
            let (ty, _) = elide(col.ty.name(), fits);
            s.text(left + PAD, m.header_height * 0.72, ty, Face::Mono, fs * 0.9, theme.muted, Align::Left);
            if let Some(a) = arrow {
                s.text(
                    left + w - PAD,
                    m.header_height * 0.32,
                    a.to_string(),
                    Face::Mono,
                    fs,
                    theme.accent,
                    Align::Right,
                );
            }
            let right = (left + w).round() - 0.5;
            if right > rn {
                s.line(right, 0.0, right, m.header_height, theme.border);
            }
        }
        s.fill(0.0, 0.0, rn, m.header_height, theme.header_background);
        s.text(rn - PAD, m.header_height * 0.32, "#".to_string(), Face::Mono, fs, theme.muted, Align::Right);
        s.line(0.0, m.header_height - 0.5, vw, m.header_height - 0.5, theme.border);
        s.line(rn - 0.5, 0.0, rn - 0.5, m.header_height, theme.border);
        s
    }
}

/// The status line of a table: `Table · 1,010 rows × 18 columns · 2 warnings`.
pub fn status_line(table: &Table, warnings: usize) -> String {
    let plural = |n: usize, one: &str, many: &str| format!("{} {}", thousands(n), if n == 1 { one } else { many });
    let mut s = format!(
        "Table · {} × {}",
        plural(table.rows(), "row", "rows"),
        plural(table.columns.len(), "column", "columns")
    );
    if warnings > 0 {
        s.push_str(" · ");
        s.push_str(&plural(warnings, "warning", "warnings"));
    }
    s
}

impl huntviz_draw::view::View for Grid {
    fn status_line(&self, warnings: usize) -> String {
        let mut line = status_line(&self.table, warnings);
        if let Some(shown) = &self.shown {
            line.push_str(&format!(" · matches only: {} of {}", thousands(shown.len()), thousands(self.table.rows())));
        }
        if !self.also.is_empty() {
            // Several rows selected (Ctrl/Shift+click, or a linked pane's), shown or not.
            let n = self.also.len() + usize::from(self.selected.is_some());
            line.push_str(&format!(" · {} selected", thousands(n)));
        }
        line
    }
    fn row_count(&self) -> usize {
        self.view_len()
    }
    fn content_size(&self) -> (f32, f32) {
        Grid::content_size(self)
    }
    fn set_viewport(&mut self, width: f32, height: f32) {
        Grid::set_viewport(self, width, height);
    }
    fn set_scroll(&mut self, x: f32, y: f32) {
        Grid::set_scroll(self, x, y);
    }
    fn scroll(&self) -> (f32, f32) {
        Grid::scroll(self)
    }
    fn set_theme(&mut self, theme: &Theme) {
        Grid::set_theme(self, theme);
    }
    fn scene(&self, theme: &Theme) -> Scene {
        Grid::scene(self, theme)
    }
    fn pointer_down(&mut self, x: f32, y: f32, shift: bool) -> Response {
        if shift {
            Grid::pointer_down_add(self, x, y, true)
        } else {
            Grid::pointer_down(self, x, y)
        }
    }
    fn pointer_down_add(&mut self, x: f32, y: f32) -> Response {
        Grid::pointer_down_add(self, x, y, false)
    }
    fn pointer_move(&mut self, x: f32, y: f32) -> Response {
        Grid::pointer_move(self, x, y)
    }
    fn pointer_up(&mut self, x: f32, y: f32) -> Response {
        Grid::pointer_up(self, x, y)
    }
    fn pointer_leave(&mut self) -> Response {
        Grid::pointer_leave(self)
    }
    fn key(&mut self, key: &str, ctrl: bool, _shift: bool) -> Response {
        Grid::key(self, key, ctrl)
    }
    fn tooltip(&self, x: f32, y: f32) -> Option<Tooltip> {
        Grid::tooltip(self, x, y)
    }
    fn selection(&self) -> Option<Selection> {
        Grid::selection(self)
    }
    fn selection_value(&self) -> Option<String> {
        Grid::selection_value(self)
    }
    fn select_row(&mut self, row: u32) -> Response {
        match self.view_row_of(row as usize) {
            Some(v) => Grid::select(self, v, self.selected.map_or(0, |(_, c)| c)),
            None => Response::default(),
        }
    }
    fn select_rows(&mut self, rows: &[u32]) -> Response {
        let n = self.table.rows();
        let rows: Vec<u32> = rows.iter().copied().filter(|&r| (r as usize) < n).collect();
        // The first row shown holds the selected cell; the others are selected beside it
        // (shown or not: "matches only" may hide them).
        let shown = self.shown.as_ref().map(|s| huntviz_draw::view::row_set(s, n));
        let first = rows.iter().copied().find(|&r| shown.as_ref().is_none_or(|s| s.get(r as usize) == Some(&true)));
        let Some((first, view)) = first.and_then(|r| Some((r, self.view_row_of(r as usize)?))) else {
            self.selected = None;
            self.also.clear();
            return Response { redraw: true, selection: true, ..Response::default() };
        };
        let col = self.selected.map_or(0, |(_, c)| c);
        let mut r = Grid::select(self, view, col);
        self.also = rows.into_iter().filter(|&x| x != first).collect();
        r.selection = true;
        r
    }
    fn set_matches_only(&mut self, on: bool) -> Response {
        Grid::set_matches_only(self, on)
    }
    fn search(&mut self, query: &str, regex: bool) -> Result<usize, huntviz_draw::view::ViewError> {
        Grid::search(self, query, regex).map_err(huntviz_draw::view::ViewError)
    }
    fn search_step(&mut self, forward: bool) -> Response {
        self.step_match(forward)
    }
    fn match_position(&self) -> (usize, Option<usize>) {
        self.matches.position()
    }
    fn selected_rows(&self) -> Vec<u32> {
        let mut rows: Vec<u32> = self.selected.map(|(v, _)| self.source_row(v) as u32).into_iter().collect();
        rows.extend_from_slice(&self.also);
        rows.sort_unstable();
        rows.dedup();
        rows
    }
    fn visible_text(&self) -> VisibleText {
        Grid::visible_text(self)
    }
}
