//! huntviz on the host: one parsed result and everything a host does with it.
//!
//! A [`Session`] holds the parsed result, what its columns mean, every view's options
//! (each parsed and validated by its own crate), the views the result can be shown in
//! and why not, the `auto` choice, the views built so far (each built once, on first
//! use) and the active one, and the payload's extra datasets. The browser binding
//! (`crates/wasm`), the CLI and the fuzz target drive it alike: any view through the
//! [`View`] contract, what only one kind of view does through [`Session::command`] — the
//! one typed dispatch — and its toolbar's state through [`Session::state`].
//!
//! ```text
//!            bytes + Spec {view, options, notes}
//!                         │
//!   huntviz_table::parse ─┴─▶ Session::open ──▶ Options::from_json (each view's own)
//!                                  │             schema::detect, the auto choice
//!                                  ▼
//!        Slot<Grid> · Slot<TreeView> · Slot<TimelineView> · Slot<GraphView>
//!                                  │ active
//!                                  ▼
//!      &dyn View (events, scene, tooltip, detail, search, legend, …)
//!      Session::command(Command) ─ fold, focus, colour, zoom, zone, grouping, fit, relayout
//!      Session::state() ─ what a view's toolbar shows
//! ```

use std::collections::BTreeMap;
use std::sync::Arc;

pub use huntviz_draw::view::{
    CellSelection, Detail, Entity, Evidence, LegendItem, LinkDetail, LinkLegendItem, Memory, Response, Tooltip, View,
    ViewError, VisibleRow, VisibleText, Warning, WarningKind,
};
use huntviz_draw::{Color, Theme};
use huntviz_graph::{GraphOptions, GraphView};
use huntviz_grid::Grid;
use huntviz_process_tree::{TreeOptions, TreeView};
use huntviz_table::schema::{self, Role, SchemaInfo};
use huntviz_table::{ColumnType, Dataset, Format, ParseOptions, Table, VisualizationHint};
use huntviz_timeline::ticks::Zone;
use huntviz_timeline::{LaneOrder, Source, TimelineOptions, TimelineView};

/// A view of a result.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub enum ViewKind {
    /// The results grid.
    Table,
    /// The process tree.
    ProcessTree,
    /// The timeline.
    Timeline,
    /// The entity graph.
    Graph,
}

impl ViewKind {
    /// Every view, in the order they are offered.
    pub const ALL: [ViewKind; 4] = [ViewKind::Table, ViewKind::ProcessTree, ViewKind::Timeline, ViewKind::Graph];

    /// The view's name in the MIME contract (`process-tree`, …).
    pub fn id(self) -> &'static str {
        match self {
            ViewKind::Table => "table",
            ViewKind::ProcessTree => "process-tree",
            ViewKind::Timeline => "timeline",
            ViewKind::Graph => "graph",
        }
    }

    /// The view named `id`.
    pub fn from_id(id: &str) -> Option<ViewKind> {
        ViewKind::ALL.into_iter().find(|k| k.id() == id)
    }

    /// The view's title, for a view selector.
    pub fn title(self) -> &'static str {
        match self {
            ViewKind::Table => "Table",
            ViewKind::ProcessTree => "Process tree",
            ViewKind::Timeline => "Timeline",
            ViewKind::Graph => "Entity graph",
        }
    }

    /// The view's name in sentences.
    pub fn label(self) -> &'static str {
        match self {
            ViewKind::Table => "table",
            ViewKind::ProcessTree => "process tree",
            ViewKind::Timeline => "timeline",
            ViewKind::Graph => "graph",
        }
    }
}

/// A view a result can be shown in, for a view selector.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ViewChoice {
    /// Its name in the MIME contract.
    pub id: ViewKind,
    /// Its title (`Process tree`).
    pub title: &'static str,
}

impl From<ViewKind> for ViewChoice {
    fn from(id: ViewKind) -> Self {
        ViewChoice { id, title: id.title() }
    }
}

/// Every name a payload's `view` may have: `auto`, then each view's.
pub fn view_names() -> String {
    std::iter::once("auto").chain(ViewKind::ALL.iter().map(|k| k.id())).collect::<Vec<_>>().join(", ")
}

/// What the plugin hands the engine with the result: the view asked for, the payload's
/// options, and what it noticed while reading the output.
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Spec {
    /// `auto` (or absent) or a view's name.
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub view: Option<String>,
    /// The payload's `options` (their shape: [`OptionsShape`]).
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(type = "OptionsShape"))]
    pub options: serde_json::Map<String, serde_json::Value>,
    /// What the plugin noticed (rounded integers, unknown output keys).
    #[serde(default)]
    pub notes: Vec<String>,
}

/// The JSON shape of a payload's `options`, for the TypeScript declarations (the
/// options are read key by key by [`Options::from_json`], each view's by its own crate,
/// so that one bad value is a warning, not a failed output). A test checks that its
/// fields are exactly [`Options::keys`].
#[cfg(feature = "ts")]
#[derive(ts_rs::TS)]
#[ts(optional_fields)]
#[allow(missing_docs, dead_code)]
pub struct OptionsShape {
    /// Force a format by name.
    pub format: Option<String>,
    /// The output's height in CSS pixels.
    pub height: Option<f64>,
    /// Role → column overrides.
    pub columns: Option<BTreeMap<String, String>>,
    /// Linked views side by side: their names, or `"investigation"` (all).
    #[ts(type = "string | Array<string>", optional)]
    pub panes: Option<Vec<String>>,
    /// How the panes are laid out, as the reader left them.
    #[ts(
        type = "Partial<{ direction: \"row\" | \"column\"; sizes: Array<number>; collapsed: Array<boolean> }>",
        optional
    )]
    pub layout: Option<String>,
    /// Process tree and timeline: colour by this column.
    pub color_by: Option<String>,
    /// Process tree: how PIDs are shown.
    #[ts(type = "\"hex\" | \"decimal\" | \"auto\"", optional)]
    pub pid_format: Option<String>,
    /// Process tree: levels unfolded below the hosts.
    pub expand_depth: Option<u32>,
    /// Process tree: values (or `/regex/`) to mark.
    #[ts(type = "string | number | Array<string | number>", optional)]
    pub highlight: Option<String>,
    /// Process tree: focus on this PID or process name.
    #[ts(type = "string | number", optional)]
    pub focus: Option<String>,
    /// Timeline: the time column.
    pub time_column: Option<String>,
    /// Timeline: one lane per value of this column (`"dataset"`: per dataset).
    pub group_by: Option<String>,
    /// Timeline: end times (events become spans).
    pub end_column: Option<String>,
    /// Timeline: plot this number over time.
    pub value_column: Option<String>,
    /// Timeline: how values are drawn.
    #[ts(type = "\"bars\" | \"line\" | \"points\"", optional)]
    pub kind: Option<String>,
    /// Timeline: columns in the tooltip.
    pub tooltip: Option<Vec<String>>,
    /// Timeline: labelled reference times.
    #[ts(type = "Array<[string, string] | { time: string; label: string }>", optional)]
    pub ref_times: Option<Vec<String>>,
    /// Timeline: lane order.
    #[ts(type = "\"first\" | \"count\" | \"name\"", optional)]
    pub lane_order: Option<String>,
    /// Graph: the edge list's source column.
    pub source: Option<String>,
    /// Graph: its target column.
    pub target: Option<String>,
    /// Graph: whether links have a direction.
    pub directed: Option<bool>,
    /// Graph: size nodes by this numeric property (default: degree).
    pub size_by: Option<String>,
}

/// Every option of a payload, each view's parsed by its own crate.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// A format forced by name.
    pub format: Option<Format>,
    /// Role → column overrides.
    pub columns: BTreeMap<String, String>,
    /// The process tree's.
    pub tree: TreeOptions,
    /// The timeline's.
    pub timeline: TimelineOptions,
    /// The graph's.
    pub graph: GraphOptions,
    /// The panes of an investigation, in order (empty: one view).
    pub panes: Vec<ViewKind>,
}

impl Options {
    /// The keys the result itself reads (the views read theirs).
    pub const RESULT_KEYS: [&'static str; 5] = ["format", "height", "columns", "panes", "layout"];

    /// Every key the result or a view reads, once each, the result's first.
    pub fn keys() -> Vec<&'static str> {
        let all = Options::RESULT_KEYS.into_iter().chain(TreeOptions::KEYS).chain(TimelineOptions::KEYS);
        let mut keys: Vec<&'static str> = Vec::new();
        for key in all.chain(GraphOptions::KEYS) {
            if !keys.contains(&key) {
                keys.push(key);
            }
        }
        keys
    }

    /// The keys one view reads, the result's first (`auto`: every key).
    pub fn view_keys(view: Option<ViewKind>) -> Vec<&'static str> {
        let own: &[&'static str] = match view {
            None => return Options::keys(),
            Some(ViewKind::Table) => &[],
            Some(ViewKind::ProcessTree) => &TreeOptions::KEYS,
            Some(ViewKind::Timeline) => &TimelineOptions::KEYS,
            Some(ViewKind::Graph) => &GraphOptions::KEYS,
        };
        Options::RESULT_KEYS.iter().chain(own).copied().collect()
    }

    /// Whether some view or the result reads `key`.
    pub fn known(key: &str) -> bool {
        Options::keys().contains(&key)
    }

    /// Reads the payload's options. An unknown key or a value of the wrong kind is a
    /// warning of kind [`WarningKind::Option`] naming it (the CLI makes those errors);
    /// an unknown format is an error.
    pub fn from_json(map: &serde_json::Map<String, serde_json::Value>) -> Result<(Options, Vec<Warning>), ViewError> {
        let mut notes = Vec::new();
        let mut o = Options::default();
        for (key, value) in map {
            if !Options::known(key) {
                notes.push(Warning::new(
                    WarningKind::Option,
                    format!("unknown option \"{}\" was ignored", key.chars().take(40).collect::<String>()),
                ));
            }
            if key == "format" {
                let id = value.as_str().unwrap_or_default();
                o.format = Some(Format::from_id(id).ok_or_else(|| {
                    ViewError(format!("unknown format \"{}\"", id.chars().take(40).collect::<String>()))
                })?);
            }
        }
        match map.get("columns") {
            None => {}
            Some(serde_json::Value::Object(roles)) => {
                for (role, col) in roles {
                    match col.as_str() {
                        Some(c) => {
                            o.columns.insert(role.clone(), c.to_string());
                        }
                        None => notes.push(Warning::new(
                            WarningKind::Option,
                            format!("options.columns.{role} must be a column name (a string)"),
                        )),
                    }
                }
            }
            Some(_) => notes.push(Warning::new(WarningKind::Option, "options.columns must map roles to column names")),
        }
        o.panes = read_panes(map.get("panes"), &mut notes);
        if let Some(layout) = map.get("layout") {
            check_layout(layout, &mut notes);
        }
        o.tree = TreeOptions::from_json(map, &mut notes);
        o.timeline = TimelineOptions::from_json(map, &mut notes);
        o.graph = GraphOptions::from_json(map, &mut notes);
        Ok((o, notes))
    }

    /// What the parser needs of them.
    pub fn parse_options(&self) -> ParseOptions {
        ParseOptions { format: self.format, ..ParseOptions::default() }
    }
}

/// The panes an investigation asks for: view names, each once (`"investigation"`:
/// every view, those the result cannot show left out when it is opened).
fn read_panes(value: Option<&serde_json::Value>, notes: &mut Vec<Warning>) -> Vec<ViewKind> {
    let mut panes = Vec::new();
    match value {
        None => {}
        Some(serde_json::Value::String(s)) if s == "investigation" => panes = ViewKind::ALL.to_vec(),
        Some(serde_json::Value::Array(names)) => {
            for name in names {
                match name.as_str().and_then(ViewKind::from_id) {
                    Some(kind) if !panes.contains(&kind) => panes.push(kind),
                    Some(_) => notes.push(Warning::new(WarningKind::Option, "options.panes names a view twice")),
                    None => notes.push(Warning::new(
                        WarningKind::Option,
                        format!("options.panes: each pane is one of {}", view_names()),
                    )),
                }
            }
        }
        Some(_) => {
            notes.push(Warning::new(WarningKind::Option, "options.panes must be a list of views or \"investigation\""))
        }
    }
    panes
}

/// Checks an investigation's layout (`direction`, `sizes`, `collapsed`): what is
/// malformed is said; the page lays the panes out evenly instead.
fn check_layout(layout: &serde_json::Value, notes: &mut Vec<Warning>) {
    let Some(map) = layout.as_object() else {
        notes.push(Warning::new(WarningKind::Option, "options.layout must be an object"));
        return;
    };
    for (key, value) in map {
        let ok = match key.as_str() {
            "direction" => matches!(value.as_str(), Some("row" | "column")),
            "sizes" => value.as_array().is_some_and(|a| a.iter().all(|v| v.as_f64().is_some_and(|f| f >= 0.0))),
            "collapsed" => value.as_array().is_some_and(|a| a.iter().all(serde_json::Value::is_boolean)),
            _ => false,
        };
        if !ok {
            notes.push(Warning::new(
                WarningKind::Option,
                format!(
                    "options.layout.{} is not a direction (\"row\" or \"column\"), sizes (numbers) or collapsed (booleans)",
                    key.chars().take(40).collect::<String>()
                ),
            ));
        }
    }
}

/// Theme values read from JupyterLab's CSS variables; missing ones keep the defaults.
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(default)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ThemeSpec {
    /// A dark theme.
    pub dark: bool,
    /// The background (CSS colours, as the browser computes them).
    #[cfg_attr(feature = "ts", ts(optional))]
    pub background: Option<String>,
    /// Text.
    #[cfg_attr(feature = "ts", ts(optional))]
    pub foreground: Option<String>,
    /// Secondary text and lines.
    #[cfg_attr(feature = "ts", ts(optional))]
    pub muted: Option<String>,
    /// Borders and grid lines.
    #[cfg_attr(feature = "ts", ts(optional))]
    pub border: Option<String>,
    /// Column headers.
    #[cfg_attr(feature = "ts", ts(optional))]
    pub header_background: Option<String>,
    /// The selected row or item.
    #[cfg_attr(feature = "ts", ts(optional))]
    pub selection: Option<String>,
    /// Hover, focus and matches.
    #[cfg_attr(feature = "ts", ts(optional))]
    pub accent: Option<String>,
    /// The code font's family.
    #[cfg_attr(feature = "ts", ts(optional))]
    pub mono_family: Option<String>,
    /// Its size in CSS pixels.
    #[cfg_attr(feature = "ts", ts(optional))]
    pub font_size: Option<f32>,
    /// Its character width in CSS pixels (measured).
    #[cfg_attr(feature = "ts", ts(optional))]
    pub char_width: Option<f32>,
}

impl ThemeSpec {
    /// The theme from its JSON (defaults for anything missing or unreadable).
    pub fn theme_from_json(json: &str) -> Theme {
        serde_json::from_str::<ThemeSpec>(json).unwrap_or_default().theme()
    }

    /// The theme these values make.
    pub fn theme(&self) -> Theme {
        let mut t = if self.dark { Theme::dark() } else { Theme::light() };
        let set = |slot: &mut Color, v: &Option<String>| {
            if let Some(c) = v.as_deref().and_then(Color::parse) {
                *slot = c;
            }
        };
        set(&mut t.background, &self.background);
        set(&mut t.foreground, &self.foreground);
        set(&mut t.muted, &self.muted);
        set(&mut t.border, &self.border);
        set(&mut t.header_background, &self.header_background);
        set(&mut t.selection, &self.selection);
        set(&mut t.accent, &self.accent);
        // Subtle bands derived from the theme's own colours.
        t.stripe = t.background.mix(t.foreground, 0.035);
        t.hover = t.background.mix(t.accent, 0.12);
        if let Some(f) = self.mono_family.clone().filter(|f| !f.trim().is_empty() && f.len() < 512) {
            t.mono_family = f;
        }
        if let Some(s) = self.font_size.filter(|s| s.is_finite() && *s > 0.0) {
            t.font_size = s;
        }
        if let Some(w) = self.char_width.filter(|w| w.is_finite() && *w > 0.0) {
            t.char_width = w;
        }
        t
    }
}

/// What only one kind of view does: the session's one typed dispatch.
///
/// As JSON it is internally tagged (`{"command": "zoom", "factor": 0.5}`); it is read
/// through [`CommandFields`], a flat struct (which the browser binding fills from the
/// JavaScript object directly): a fraction of the code serde's buffering of a tagged
/// enum costs the wasm module.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(tag = "command", rename_all = "snake_case"))]
pub enum Command {
    /// Process tree: unfold everything.
    ExpandAll,
    /// Process tree: fold everything to the hosts.
    CollapseAll,
    /// Process tree: show `depth` levels below the hosts.
    ExpandToDepth {
        /// Levels.
        depth: u32,
    },
    /// Process tree: focus on the selected process, or show everything again.
    SetFocus {
        /// Focus.
        on: bool,
    },
    /// Every view: show only what the search matched (a process tree with the matches'
    /// ancestors, a graph with the entities linked to them), or everything again.
    SetMatchesOnly {
        /// Only matches.
        on: bool,
    },
    /// Process tree: colour by a column (`""` for none).
    SetColorBy {
        /// The column.
        column: String,
    },
    /// Timeline: zoom by `factor` around the centre (< 1 zooms in); 0 shows everything.
    Zoom {
        /// The factor.
        factor: f64,
    },
    /// Timeline: show times in UTC (`"UTC"`, 0) or a fixed offset.
    SetTimeZone {
        /// Minutes east of UTC.
        offset_minutes: i32,
        /// The zone's name.
        name: String,
    },
    /// Timeline: lanes by `group_by`, colours by `color_by` (`""`: chosen
    /// automatically, `"dataset"`: by dataset), lanes in `lane_order` (`first`, `count`,
    /// `name`); keeps the visible range and zone.
    SetGrouping {
        /// Lanes by.
        group_by: String,
        /// Colours by.
        color_by: String,
        /// Lane order.
        lane_order: String,
    },
    /// Graph: show the whole graph.
    Fit,
    /// Graph: unpin every node and lay it out again.
    Relayout,
}

impl Command {
    /// Its name as JSON spells it (`expand_all`).
    pub fn name(&self) -> &'static str {
        match self {
            Command::ExpandAll => "expand_all",
            Command::CollapseAll => "collapse_all",
            Command::ExpandToDepth { .. } => "expand_to_depth",
            Command::SetFocus { .. } => "set_focus",
            Command::SetMatchesOnly { .. } => "set_matches_only",
            Command::SetColorBy { .. } => "set_color_by",
            Command::Zoom { .. } => "zoom",
            Command::SetTimeZone { .. } => "set_time_zone",
            Command::SetGrouping { .. } => "set_grouping",
            Command::Fit => "fit",
            Command::Relayout => "relayout",
        }
    }
}

/// A [`Command`] as read: its name and every field any command has.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(missing_docs)]
pub struct CommandFields {
    pub command: String,
    pub depth: Option<u32>,
    pub on: Option<bool>,
    pub column: Option<String>,
    pub factor: Option<f64>,
    pub offset_minutes: Option<i32>,
    pub name: Option<String>,
    pub group_by: Option<String>,
    pub color_by: Option<String>,
    pub lane_order: Option<String>,
}

impl<'de> serde::Deserialize<'de> for Command {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Command, D::Error> {
        Command::try_from(CommandFields::deserialize(deserializer)?).map_err(serde::de::Error::custom)
    }
}

impl TryFrom<CommandFields> for Command {
    type Error = String;

    fn try_from(r: CommandFields) -> Result<Command, String> {
        fn need<T>(v: Option<T>, command: &str, field: &str) -> Result<T, String> {
            v.ok_or_else(|| format!("the command {command} needs {field}"))
        }
        let c = r.command.as_str();
        Ok(match c {
            "expand_all" => Command::ExpandAll,
            "collapse_all" => Command::CollapseAll,
            "expand_to_depth" => Command::ExpandToDepth { depth: need(r.depth, c, "depth")? },
            "set_focus" => Command::SetFocus { on: need(r.on, c, "on")? },
            "set_matches_only" => Command::SetMatchesOnly { on: need(r.on, c, "on")? },
            "set_color_by" => Command::SetColorBy { column: need(r.column, c, "column")? },
            "zoom" => Command::Zoom { factor: need(r.factor, c, "factor")? },
            "set_time_zone" => Command::SetTimeZone {
                offset_minutes: need(r.offset_minutes, c, "offset_minutes")?,
                name: need(r.name, c, "name")?,
            },
            "set_grouping" => Command::SetGrouping {
                group_by: need(r.group_by, c, "group_by")?,
                color_by: need(r.color_by, c, "color_by")?,
                lane_order: need(r.lane_order, c, "lane_order")?,
            },
            "fit" => Command::Fit,
            "relayout" => Command::Relayout,
            other => return Err(format!("unknown command \"{}\"", other.chars().take(40).collect::<String>())),
        })
    }
}

/// What a view's toolbar shows, for the active view.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[serde(tag = "view", rename_all = "kebab-case")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub enum ViewState {
    /// The grid has no toolbar.
    Table,
    /// The process tree's.
    ProcessTree {
        /// Focused on a process.
        focused: bool,
        /// Columns worth colouring by.
        color_choices: Vec<String>,
        /// The column the processes are coloured by (from the options or the toolbar).
        color_by: Option<String>,
        /// The kinds of parent link and their counts.
        link_legend: Vec<LinkLegendItem>,
    },
    /// The timeline's.
    Timeline {
        /// The visible range as text.
        range_text: String,
        /// Its centre in milliseconds since the epoch.
        range_center_ms: f64,
        /// Lanes by (`""` when chosen automatically).
        group_by: String,
        /// Colours by.
        color_by: String,
        /// Columns lanes and colours can be by (`dataset` first with datasets).
        group_choices: Vec<String>,
    },
    /// The graph's.
    Graph {
        /// Layout iterations so far.
        iterations: u32,
        /// Whether the layout has settled.
        settled: bool,
    },
}

/// A view built on first use, or why it could not be.
enum Slot<V> {
    Unbuilt,
    Built(Box<V>),
    Failed(String),
}

impl<V> Slot<V> {
    fn get(&self) -> Option<&V> {
        match self {
            Slot::Built(v) => Some(v),
            _ => None,
        }
    }
    fn get_mut(&mut self) -> Option<&mut V> {
        match self {
            Slot::Built(v) => Some(v),
            _ => None,
        }
    }
    fn error(&self) -> Option<&str> {
        match self {
            Slot::Failed(e) => Some(e),
            _ => None,
        }
    }
}

/// One parsed result and its views.
pub struct Session {
    table: Arc<Table>,
    schema: SchemaInfo,
    format: Format,
    tables: usize,
    hint: Option<VisualizationHint>,
    datasets: Vec<Source>,
    options: Options,
    requested: Option<ViewKind>,
    warnings: Vec<Warning>,
    theme: Theme,
    viewport: (f32, f32),
    dpr: f32,
    grid: Slot<Grid>,
    tree: Slot<TreeView>,
    timeline: Slot<TimelineView>,
    graph: Slot<GraphView>,
    active: ViewKind,
    /// The columns a timeline's lanes can be by: found once (counting a number
    /// column's values reads every row; the toolbar asks at every redraw).
    lane_choices: std::cell::OnceCell<Vec<String>>,
    /// What `view_mut` hands out if the active view were missing (it never is).
    empty: EmptyView,
}

/// A parser warning as the views' warnings are: the same kinds, kept.
fn result_warning(w: &huntviz_table::Warning) -> Warning {
    use huntviz_table::WarningKind as K;
    let kind = match w.kind {
        K::PartialError => WarningKind::PartialError,
        K::Truncated => WarningKind::Truncated,
        K::BadValue => WarningKind::BadValue,
        K::NoOffset => WarningKind::NoOffset,
        K::Precision => WarningKind::Precision,
        K::Encoding => WarningKind::Encoding,
        K::Structure => WarningKind::Structure,
    };
    Warning::new(kind, w.message.clone())
}

impl Session {
    /// What the spec asks of the parser (a forced format), before the bytes are read.
    pub fn parse_options(spec: &Spec) -> Result<ParseOptions, ViewError> {
        Ok(Options::from_json(&spec.options)?.0.parse_options())
    }

    /// Parses `bytes` and opens the view `spec` asks for.
    pub fn open(bytes: Vec<u8>, spec: Spec, theme: Theme) -> Result<Session, ViewError> {
        Session::open_with(bytes, spec, theme, true)
    }

    /// [`Session::open`], skipping the UTF-8 check when `validate_utf8` is false (bytes
    /// that came from a JavaScript string through `TextEncoder` are UTF-8 by
    /// construction).
    pub fn open_with(bytes: Vec<u8>, spec: Spec, theme: Theme, validate_utf8: bool) -> Result<Session, ViewError> {
        let options = ParseOptions { validate_utf8, ..Session::parse_options(&spec)? };
        let dataset = huntviz_table::parse(bytes, &options).map_err(|e| ViewError(e.to_string()))?;
        Session::from_dataset(dataset, spec, theme)
    }

    /// Opens the view `spec` asks for on a parsed result: `auto` (or absent) picks the
    /// process tree for process events, the graph for alerts with entities or an edge
    /// list, the timeline for anything with a datetime column (or a `timechart` hint),
    /// else the table. A view that cannot be built falls back to the table with a
    /// warning; an unknown view name is an error.
    pub fn from_dataset(mut dataset: Dataset, spec: Spec, theme: Theme) -> Result<Session, ViewError> {
        let requested = match spec.view.as_deref() {
            None | Some("auto") => None,
            Some(v) => Some(ViewKind::from_id(v).ok_or_else(|| {
                ViewError(format!(
                    "unknown view \"{}\": use one of {}",
                    v.chars().take(40).collect::<String>(),
                    view_names()
                ))
            })?),
        };
        let (mut options, option_notes) = Options::from_json(&spec.options)?;
        let mut warnings: Vec<Warning> = dataset.warnings.iter().map(result_warning).collect();
        warnings.extend(spec.notes.iter().map(|n| Warning::new(WarningKind::Structure, n.clone())));
        warnings.extend(option_notes);
        let tables = dataset.tables.len();
        if tables > 1 {
            warnings.push(Warning::counted(
                WarningKind::Structure,
                tables - 1,
                format!(
                    "the result has {} more table{}; huntviz shows the primary result",
                    tables - 1,
                    if tables == 2 { "" } else { "s" }
                ),
            ));
        }
        if dataset.tables.is_empty() {
            return Err(ViewError("the result holds no table".into()));
        }
        let table = Arc::new(dataset.tables.swap_remove(0));
        let schema = schema::detect(&table, &options.columns);
        warnings.extend(schema.notes.iter().map(|n| Warning::new(WarningKind::Option, n.clone())));
        huntviz_timeline::build::apply_hint(&mut options.timeline, dataset.hint.as_ref(), &table);
        let mut session = Session {
            table,
            schema,
            format: dataset.format,
            tables,
            hint: dataset.hint.take(),
            datasets: Vec::new(),
            options,
            requested,
            warnings,
            theme,
            viewport: (0.0, 0.0),
            dpr: 1.0,
            grid: Slot::Unbuilt,
            tree: Slot::Unbuilt,
            timeline: Slot::Unbuilt,
            graph: Slot::Unbuilt,
            active: ViewKind::Table,
            lane_choices: std::cell::OnceCell::new(),
            empty: EmptyView,
        };
        let want = requested.unwrap_or_else(|| session.auto_choice());
        session.open_or_fall_back(want);
        Ok(session)
    }

    /// Activates `want`, or the table with a warning saying why not (unless `auto` chose
    /// a view that turned out impossible: then the table is simply the choice).
    fn open_or_fall_back(&mut self, want: ViewKind) {
        if self.switch(want) || want == ViewKind::Table {
            return;
        }
        let why = self.why_not(want).unwrap_or_default();
        if self.requested.is_some() || want == ViewKind::ProcessTree {
            self.warnings.push(Warning::new(
                WarningKind::View,
                format!("the {} cannot be built ({why}); showing the table", want.label()),
            ));
        }
    }

    /// The view `auto` picks for this result.
    pub fn auto_choice(&self) -> ViewKind {
        let timechart = self.hint.as_ref().is_some_and(|h| h.visualization.eq_ignore_ascii_case("timechart"));
        if self.schema.name.is_some() {
            ViewKind::ProcessTree
        } else if huntviz_graph::can_build(&self.table, &self.schema, &self.options.graph) {
            ViewKind::Graph
        } else if timechart || self.has_time() {
            ViewKind::Timeline
        } else {
            ViewKind::Table
        }
    }

    fn has_time(&self) -> bool {
        self.schema
            .column(&self.table, Role::Time)
            .and_then(|c| self.table.column(c))
            .is_some_and(|c| c.ty == ColumnType::DateTime)
    }

    /// The views this result can be shown in, in the order they are offered.
    pub fn views(&self) -> Vec<ViewKind> {
        ViewKind::ALL.into_iter().filter(|&k| self.offers(k)).collect()
    }

    fn offers(&self, kind: ViewKind) -> bool {
        match kind {
            ViewKind::Table => true,
            ViewKind::ProcessTree => {
                self.schema.column(&self.table, Role::ProcessId).is_some()
                    && self.schema.column(&self.table, Role::ParentId).is_some()
            }
            ViewKind::Timeline => self.has_time() || !self.datasets.is_empty(),
            ViewKind::Graph => huntviz_graph::can_build(&self.table, &self.schema, &self.options.graph),
        }
    }

    /// Why a view cannot be shown: the result lacks what it needs, or building it failed
    /// (`None` when it can be, or has not been tried).
    pub fn why_not(&self, kind: ViewKind) -> Option<String> {
        let failed = match kind {
            ViewKind::Table => None,
            ViewKind::ProcessTree => self.tree.error(),
            ViewKind::Timeline => self.timeline.error(),
            ViewKind::Graph => self.graph.error(),
        };
        if let Some(e) = failed {
            return Some(e.to_string());
        }
        (!self.offers(kind)).then(|| {
            match kind {
                ViewKind::Table => "",
                ViewKind::ProcessTree => "the result has no process id and parent process id columns; set them with options.columns (process_id, parent_id)",
                ViewKind::Timeline => "the result has no datetime column",
                ViewKind::Graph => "the result has no Entities column and no source and target columns",
            }
            .to_string()
        })
    }

    /// The active view.
    pub fn active(&self) -> ViewKind {
        self.active
    }

    /// Activates a view, building it the first time (the result is not read again).
    /// `false`, and the table active, when it cannot be built.
    pub fn switch(&mut self, kind: ViewKind) -> bool {
        let built = self.build(kind);
        self.active = if built { kind } else { ViewKind::Table };
        if !built {
            self.build(ViewKind::Table);
        }
        let (w, h) = self.viewport;
        let (theme, dpr) = (self.theme.clone(), self.dpr);
        let v = self.view_mut();
        v.set_theme(&theme);
        v.set_pixel_ratio(dpr);
        if w > 0.0 && h > 0.0 {
            v.set_viewport(w, h);
        }
        built
    }

    /// Makes `kind` the view the next calls act on — a pane of an investigation, where
    /// several views of this one result are shown at once, each with its own canvas —
    /// building it the first time. Unlike [`Session::switch`] it leaves every view's own
    /// viewport as its pane set it. `false` (and nothing changed) when it cannot be built.
    pub fn activate(&mut self, kind: ViewKind) -> bool {
        if self.active == kind {
            return true;
        }
        let fresh = match kind {
            ViewKind::Table => matches!(self.grid, Slot::Unbuilt),
            ViewKind::ProcessTree => matches!(self.tree, Slot::Unbuilt),
            ViewKind::Timeline => matches!(self.timeline, Slot::Unbuilt),
            ViewKind::Graph => matches!(self.graph, Slot::Unbuilt),
        };
        if !self.build(kind) {
            return false;
        }
        self.active = kind;
        if fresh {
            let (theme, dpr) = (self.theme.clone(), self.dpr);
            let v = self.view_mut();
            v.set_theme(&theme);
            v.set_pixel_ratio(dpr);
        }
        true
    }

    /// Builds a view once; whether it exists.
    fn build(&mut self, kind: ViewKind) -> bool {
        let theme = &self.theme;
        match kind {
            ViewKind::Table => {
                if matches!(self.grid, Slot::Unbuilt) {
                    self.grid = Slot::Built(Box::new(Grid::new(Arc::clone(&self.table), theme)));
                }
                true
            }
            ViewKind::ProcessTree => {
                if matches!(self.tree, Slot::Unbuilt) {
                    self.tree = match huntviz_process_tree::build(&self.table, &self.schema) {
                        Ok(forest) => Slot::Built(Box::new(TreeView::new(
                            Arc::clone(&self.table),
                            &self.schema,
                            forest,
                            theme,
                            &self.options.tree,
                        ))),
                        Err(e) => Slot::Failed(e.to_string()),
                    };
                }
                self.tree.get().is_some()
            }
            ViewKind::Timeline => {
                if matches!(self.timeline, Slot::Unbuilt) {
                    self.timeline = match huntviz_timeline::build(self.sources(), &self.options.timeline) {
                        Ok(model) => Slot::Built(Box::new(TimelineView::new(model, theme))),
                        Err(e) => Slot::Failed(e.to_string()),
                    };
                }
                self.timeline.get().is_some()
            }
            ViewKind::Graph => {
                if matches!(self.graph, Slot::Unbuilt) {
                    self.graph = match huntviz_graph::build(&self.table, &self.schema, &self.options.graph) {
                        Ok(g) => Slot::Built(Box::new(
                            GraphView::new(g, theme, self.options.graph.size_by.as_deref())
                                .with_rows_of(Arc::clone(&self.table)),
                        )),
                        Err(e) => Slot::Failed(e.to_string()),
                    };
                }
                self.graph.get().is_some()
            }
        }
    }

    /// The result and the payload's datasets, for the timeline.
    fn sources(&self) -> Vec<Source> {
        let mut sources = vec![Source {
            name: "result".to_string(),
            table: Arc::clone(&self.table),
            schema: self.schema.clone(),
            alerts: false,
        }];
        sources.extend(self.datasets.iter().cloned());
        sources
    }

    /// The active view.
    pub fn view(&self) -> &dyn View {
        let v: Option<&dyn View> = match self.active {
            ViewKind::Table => self.grid.get().map(|v| v as &dyn View),
            ViewKind::ProcessTree => self.tree.get().map(|v| v as &dyn View),
            ViewKind::Timeline => self.timeline.get().map(|v| v as &dyn View),
            ViewKind::Graph => self.graph.get().map(|v| v as &dyn View),
        };
        // The active view is always built (switch falls back to the table, which always
        // builds); the empty grid is never reached.
        v.unwrap_or(&EMPTY_GRID_VIEW)
    }

    /// The active view, to act on.
    pub fn view_mut(&mut self) -> &mut dyn View {
        if !self.build(self.active) {
            self.active = ViewKind::Table;
            self.build(ViewKind::Table);
        }
        match self.active {
            ViewKind::ProcessTree => {
                if let Some(v) = self.tree.get_mut() {
                    return v;
                }
            }
            ViewKind::Timeline => {
                if let Some(v) = self.timeline.get_mut() {
                    return v;
                }
            }
            ViewKind::Graph => {
                if let Some(v) = self.graph.get_mut() {
                    return v;
                }
            }
            ViewKind::Table => {}
        }
        match &mut self.grid {
            Slot::Built(g) => g.as_mut(),
            _ => &mut self.empty,
        }
    }

    /// Every warning: the result's, the options', then the active view's.
    pub fn warnings(&self) -> Vec<Warning> {
        let mut all = self.warnings.clone();
        all.extend(self.view().warnings());
        all
    }

    /// The one-line status of the active view, counting the warnings.
    pub fn status(&self) -> String {
        self.view().status_line(self.warnings().len())
    }

    /// The visible size (CSS pixels) and the device pixel ratio.
    pub fn set_viewport(&mut self, width: f32, height: f32, dpr: f32) {
        self.dpr = if dpr.is_finite() && dpr > 0.0 { dpr.min(4.0) } else { 1.0 };
        self.viewport = (width, height);
        let dpr = self.dpr;
        let v = self.view_mut();
        v.set_pixel_ratio(dpr);
        v.set_viewport(width, height);
    }

    /// The device pixel ratio in use.
    pub fn pixel_ratio(&self) -> f32 {
        self.dpr
    }

    /// Colours and fonts (no data is read again).
    pub fn set_theme(&mut self, theme: Theme) {
        self.theme = theme;
        let theme = self.theme.clone();
        self.view_mut().set_theme(&theme);
    }

    /// The theme in use.
    pub fn theme(&self) -> &Theme {
        &self.theme
    }

    /// The active view as a standalone SVG document.
    pub fn export_svg(&self) -> String {
        huntviz_draw::to_svg(&self.view().export_scene(&self.theme), &self.theme)
    }

    /// The parsed result's primary table.
    pub fn table(&self) -> &Arc<Table> {
        &self.table
    }

    /// What its columns mean.
    pub fn schema(&self) -> &SchemaInfo {
        &self.schema
    }

    /// The detected format.
    pub fn format(&self) -> Format {
        self.format
    }

    /// Tables in the result.
    pub fn tables(&self) -> usize {
        self.tables
    }

    /// The options, as parsed.
    pub fn options(&self) -> &Options {
        &self.options
    }

    /// Adds one of the payload's `datasets`: events (`kind` `events` or empty) are
    /// their own labelled series on the timeline; alerts (`alerts`) labelled reference
    /// lines. The timeline is built again with every dataset.
    pub fn add_dataset(&mut self, name: &str, kind: &str, bytes: Vec<u8>) -> Result<(), ViewError> {
        let name: String = name.chars().take(200).collect();
        let alerts = match kind {
            "alerts" => true,
            "events" | "" => false,
            other => {
                return Err(ViewError(format!(
                    "dataset \"{name}\": unknown kind \"{}\" (use \"events\" or \"alerts\")",
                    other.chars().take(40).collect::<String>()
                )))
            }
        };
        let mut dataset = huntviz_table::parse(bytes, &ParseOptions::default())
            .map_err(|e| ViewError(format!("dataset \"{name}\": {e}")))?;
        self.warnings.extend(dataset.warnings.iter().map(|w| {
            let mut w = result_warning(w);
            w.message = format!("dataset \"{name}\": {}", w.message);
            w
        }));
        if dataset.tables.is_empty() {
            return Err(ViewError(format!("dataset \"{name}\" holds no table")));
        }
        let table = Arc::new(dataset.tables.swap_remove(0));
        self.datasets.push(Source::new(&name, table, alerts));
        let active = self.active == ViewKind::Timeline;
        self.timeline = Slot::Unbuilt;
        if active || matches!(self.requested, None | Some(ViewKind::Timeline)) {
            if active {
                self.active = ViewKind::Table;
            }
            if !self.switch(ViewKind::Timeline) {
                let why = self.why_not(ViewKind::Timeline).unwrap_or_default();
                self.warnings.push(Warning::new(
                    WarningKind::View,
                    format!("the timeline cannot be built ({why}); showing the table"),
                ));
            }
        }
        Ok(())
    }

    /// Does what only one kind of view does; an error when the active view has no such
    /// command, or cannot do it (a grouping the data does not allow).
    pub fn command(&mut self, command: Command) -> Result<Response, ViewError> {
        let kind = self.active;
        let what = command.name();
        let unsupported = || ViewError(format!("the {} has no command {what}", kind.label()));
        if let Command::SetMatchesOnly { on } = command {
            // Every view filters to its search's matches.
            return Ok(self.view_mut().set_matches_only(on));
        }
        match kind {
            ViewKind::ProcessTree => {
                let t = self.tree.get_mut().ok_or_else(unsupported)?;
                Ok(match command {
                    Command::ExpandAll => t.expand_all(),
                    Command::CollapseAll => t.collapse_all(),
                    Command::ExpandToDepth { depth } => t.expand_to_depth(depth),
                    Command::SetFocus { on } => t.focus_selected(on),
                    Command::SetColorBy { column } => {
                        t.set_color_by((!column.is_empty()).then_some(column.as_str()));
                        Response::redraw()
                    }
                    _ => return Err(unsupported()),
                })
            }
            ViewKind::Timeline => match command {
                Command::SetGrouping { group_by, color_by, lane_order } => {
                    self.regroup(&group_by, &color_by, &lane_order)
                }
                Command::Zoom { factor } => Ok(self.timeline.get_mut().ok_or_else(unsupported)?.zoom(factor)),
                Command::SetTimeZone { offset_minutes, name } => {
                    let zone = if name == "UTC" && offset_minutes == 0 {
                        Zone::default()
                    } else {
                        Zone::fixed(offset_minutes, &name)
                    };
                    Ok(self.timeline.get_mut().ok_or_else(unsupported)?.set_zone(zone))
                }
                _ => Err(unsupported()),
            },
            ViewKind::Graph => {
                let g = self.graph.get_mut().ok_or_else(unsupported)?;
                match command {
                    Command::Fit => Ok(g.fit()),
                    Command::Relayout => Ok(g.relayout()),
                    _ => Err(unsupported()),
                }
            }
            ViewKind::Table => Err(unsupported()),
        }
    }

    /// Rebuilds the timeline by other lanes, colours or order, keeping the visible
    /// range and zone; the current timeline stays when the new one cannot be built.
    fn regroup(&mut self, group_by: &str, color_by: &str, lane_order: &str) -> Result<Response, ViewError> {
        let Some(current) = self.timeline.get() else { return Ok(Response::default()) };
        let (range, zone) = (current.range(), current.zone().clone());
        let mut o = self.options.timeline.clone();
        let pick = |v: &str| (!v.is_empty()).then(|| v.to_string());
        o.group_by = pick(group_by);
        o.color_by = pick(color_by);
        o.lane_order = match lane_order {
            "count" => LaneOrder::Count,
            "name" => LaneOrder::Name,
            _ => LaneOrder::First,
        };
        let model = huntviz_timeline::build(self.sources(), &o)?;
        self.options.timeline = o;
        let mut t = TimelineView::new(model, &self.theme);
        t.set_viewport(self.viewport.0, self.viewport.1);
        let _ = t.set_zone(zone);
        let _ = t.set_range(range.0, range.1);
        self.timeline = Slot::Built(Box::new(t));
        Ok(Response { redraw: true, resized: true, selection: true, ..Default::default() })
    }

    /// What the active view's toolbar shows.
    pub fn state(&self) -> ViewState {
        match self.active {
            ViewKind::ProcessTree => match self.tree.get() {
                Some(t) => ViewState::ProcessTree {
                    focused: t.focus().is_some(),
                    color_choices: huntviz_process_tree::view::color_choices(&self.table),
                    color_by: t.color_by().map(str::to_string),
                    link_legend: t.link_legend(),
                },
                None => ViewState::Table,
            },
            ViewKind::Timeline => match self.timeline.get() {
                Some(t) => {
                    let (g, c) = t.grouping();
                    let mut choices = if self.datasets.is_empty() { Vec::new() } else { vec!["dataset".to_string()] };
                    choices.extend(
                        self.lane_choices
                            .get_or_init(|| huntviz_timeline::build::group_choices(&self.table))
                            .iter()
                            .cloned(),
                    );
                    ViewState::Timeline {
                        range_text: t.range_text(),
                        range_center_ms: t.range_center_ms(),
                        group_by: g.unwrap_or_default(),
                        color_by: c.unwrap_or_default(),
                        group_choices: choices,
                    }
                }
                None => ViewState::Table,
            },
            ViewKind::Graph => match self.graph.get() {
                Some(g) => ViewState::Graph { iterations: g.layout().iterations, settled: g.settled() },
                None => ViewState::Table,
            },
            ViewKind::Table => ViewState::Table,
        }
    }
}

/// A view of nothing: what `Session::view` would show if the active view were missing
/// (it never is: a view that cannot be built falls back to the table, which always
/// builds).
static EMPTY_GRID_VIEW: EmptyView = EmptyView;

/// A view of nothing.
struct EmptyView;

impl View for EmptyView {
    fn set_matches_only(&mut self, _on: bool) -> Response {
        Response::default()
    }
    fn status_line(&self, _warnings: usize) -> String {
        String::new()
    }
    fn row_count(&self) -> usize {
        0
    }
    fn content_size(&self) -> (f32, f32) {
        (0.0, 0.0)
    }
    fn set_viewport(&mut self, _width: f32, _height: f32) {}
    fn set_scroll(&mut self, _x: f32, _y: f32) {}
    fn scroll(&self) -> (f32, f32) {
        (0.0, 0.0)
    }
    fn set_theme(&mut self, _theme: &Theme) {}
    fn scene(&self, _theme: &Theme) -> huntviz_draw::Scene {
        huntviz_draw::Scene::new(0.0, 0.0)
    }
    fn pointer_down(&mut self, _x: f32, _y: f32, _shift: bool) -> Response {
        Response::default()
    }
    fn pointer_move(&mut self, _x: f32, _y: f32) -> Response {
        Response::default()
    }
    fn pointer_leave(&mut self) -> Response {
        Response::default()
    }
    fn key(&mut self, _key: &str, _ctrl: bool, _shift: bool) -> Response {
        Response::default()
    }
    fn tooltip(&self, _x: f32, _y: f32) -> Option<Tooltip> {
        None
    }
    fn selection_value(&self) -> Option<String> {
        None
    }
    fn visible_text(&self) -> VisibleText {
        VisibleText { columns: Vec::new(), first_col: 1, geometry: Vec::new(), rows: Vec::new() }
    }
}
