//! What every interactive view hands its host, whichever it is: the reply to an event,
//! a tooltip, legend entries, and the visible part as text (accessibility mirror).

/// What the host should do after an event.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Response {
    /// Draw again.
    pub redraw: bool,
    /// The content size changed.
    pub resized: bool,
    /// Scroll so this content point is visible.
    pub scroll_to: Option<(f32, f32)>,
    /// CSS cursor (`""` for the default).
    pub cursor: &'static str,
    /// The selection changed.
    pub selection: bool,
}

impl Response {
    /// Just draw again.
    pub fn redraw() -> Response {
        Response { redraw: true, ..Default::default() }
    }
}

/// A tooltip: visible text anchored at a viewport point.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
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
pub struct VisibleRow {
    /// 1-based position.
    pub position: usize,
    /// The thing's index + 1.
    pub row: usize,
    /// Top edge, or centre for a point (viewport px).
    pub top: f32,
    /// x of its mark (first event in view, node centre), when it has one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mark: Option<f32>,
    /// Tree level (process-tree hosts are 1); absent outside trees.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub level: Option<u32>,
    /// Expanded (`Some(true)`), folded (`Some(false)`); absent for leaves and non-trees.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expanded: Option<bool>,
    /// Left edge of the fold control (viewport px), for rows that have one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub toggle: Option<f32>,
    /// Cell texts.
    pub cells: Vec<String>,
}

impl VisibleRow {
    /// A row with no mark and no tree state.
    pub fn new(position: usize, row: usize, top: f32, cells: Vec<String>) -> VisibleRow {
        VisibleRow { position, row, top, mark: None, level: None, expanded: None, toggle: None, cells }
    }
}
