//! huntviz in the browser.
//!
//! The only crate that uses wasm-bindgen. JavaScript creates one [`Viewer`] per output
//! with the whole payload as bytes (one copy across the boundary), then forwards
//! resize, scroll, theme, pointer and key events; every reply is small (a status
//! line, a tooltip, a selection). Parsing and layout live in the host crates.

mod canvas;

use std::cell::RefCell;

use huntviz_draw::{Color, Target, Theme};
use std::sync::Arc;

use huntviz_graph::{GraphOptions, GraphView};
use huntviz_grid::{status_line, Grid};
use huntviz_process_tree::view::{PidFormat, TreeOptions, TreeView};
use huntviz_table::{Format, ParseOptions, Table};
use huntviz_timeline::{Source, TimelineView};
use wasm_bindgen::prelude::*;
use web_sys::HtmlCanvasElement;

thread_local! {
    static LAST_PANIC: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// Installs a panic hook that keeps the message, so the page can say what went wrong
/// after a trap (the instance is then re-created by the plugin).
#[wasm_bindgen(start)]
pub fn start() {
    std::panic::set_hook(Box::new(|info| {
        let message = info.to_string();
        LAST_PANIC.with(|p| *p.borrow_mut() = Some(message));
    }));
}

/// The message of the last panic, if any.
#[wasm_bindgen]
pub fn last_panic() -> Option<String> {
    LAST_PANIC.with(|p| p.borrow().clone())
}

/// The engine's linear memory (a new `WebAssembly.Memory` after every reset): where
/// JavaScript writes payload bytes.
#[wasm_bindgen]
pub fn engine_memory() -> JsValue {
    wasm_bindgen::memory()
}

/// Panics: the browser tests force a trap through this to check that one failing
/// output never breaks another. Harmless to ship — only code already running in the
/// page can call it, and a trap is recovered from like any other.
#[wasm_bindgen]
pub fn test_panic() {
    panic!("a panic forced by the test hook")
}

/// View names of the MIME contract.
const VIEWS: [&str; 5] = ["auto", "table", "process-tree", "timeline", "graph"];
/// Option keys this version understands (others are reported, not ignored silently).
const KNOWN_OPTIONS: [&str; 8] =
    ["format", "height", "columns", "color_by", "pid_format", "expand_depth", "highlight", "focus"];

fn known_option(key: &str) -> bool {
    KNOWN_OPTIONS.contains(&key) || huntviz_timeline::Options::KEYS.contains(&key) || GraphOptions::KEYS.contains(&key)
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct Spec {
    #[serde(default)]
    view: Option<String>,
    #[serde(default)]
    options: Option<serde_json::Map<String, serde_json::Value>>,
    /// What the plugin noticed while reading the output (rounded integers, unknown keys).
    #[serde(default)]
    notes: Vec<String>,
}

/// Theme values read from JupyterLab's CSS variables; missing ones keep the defaults.
#[derive(serde::Deserialize, Default)]
#[serde(default)]
struct ThemeSpec {
    dark: bool,
    background: Option<String>,
    foreground: Option<String>,
    muted: Option<String>,
    border: Option<String>,
    header_background: Option<String>,
    selection: Option<String>,
    accent: Option<String>,
    mono_family: Option<String>,
    font_size: Option<f32>,
    char_width: Option<f32>,
}

fn theme_from_json(json: &str) -> Theme {
    let spec: ThemeSpec = serde_json::from_str(json).unwrap_or_default();
    let mut t = if spec.dark { Theme::dark() } else { Theme::light() };
    let set = |slot: &mut Color, v: &Option<String>| {
        if let Some(c) = v.as_deref().and_then(Color::parse) {
            *slot = c;
        }
    };
    set(&mut t.background, &spec.background);
    set(&mut t.foreground, &spec.foreground);
    set(&mut t.muted, &spec.muted);
    set(&mut t.border, &spec.border);
    set(&mut t.header_background, &spec.header_background);
    set(&mut t.selection, &spec.selection);
    set(&mut t.accent, &spec.accent);
    // Subtle bands derived from the theme's own colours.
    t.stripe = t.background.mix(t.foreground, 0.035);
    t.hover = t.background.mix(t.accent, 0.12);
    if let Some(f) = spec.mono_family.filter(|f| !f.trim().is_empty() && f.len() < 512) {
        t.mono_family = f;
    }
    if let Some(s) = spec.font_size.filter(|s| s.is_finite() && *s > 0.0) {
        t.font_size = s;
    }
    if let Some(w) = spec.char_width.filter(|w| w.is_finite() && *w > 0.0) {
        t.char_width = w;
    }
    t
}

fn to_js<T: serde::Serialize>(value: &T) -> JsValue {
    value.serialize(&serde_wasm_bindgen::Serializer::json_compatible()).unwrap_or(JsValue::NULL)
}

#[derive(serde::Serialize)]
struct JsResponse {
    redraw: bool,
    resized: bool,
    scroll_to: Option<(f32, f32)>,
    cursor: &'static str,
    selection: bool,
}

/// The grid's reply: it reports a moved selection as a redraw the caller knows caused.
fn grid_response(r: huntviz_draw::view::Response, selection: bool) -> JsValue {
    view_response(huntviz_draw::view::Response { selection: selection && r.redraw, ..r })
}

/// The reply of any view (`huntviz_draw::view::Response`), for JavaScript.
fn view_response(r: huntviz_draw::view::Response) -> JsValue {
    to_js(&JsResponse {
        redraw: r.redraw,
        resized: r.resized,
        scroll_to: r.scroll_to,
        cursor: if r.cursor.is_empty() { "default" } else { r.cursor },
        selection: r.selection,
    })
}

/// The payload's bytes, written by JavaScript straight into wasm memory with
/// `TextEncoder.encodeInto` (no intermediate copy of a 500 MB string's bytes).
///
/// ```js
/// const input = new Input(text.length);            // enough for ASCII
/// let r = encoder.encodeInto(text, new Uint8Array(memory.buffer, input.ptr(), input.len()));
/// // non-ASCII: input.resize(…) and encode the rest, then:
/// input.truncate(written);
/// ```
#[wasm_bindgen]
pub struct Input {
    bytes: Vec<u8>,
}

#[wasm_bindgen]
impl Input {
    /// A zeroed buffer of `len` bytes; an error (not an abort) when the engine's
    /// memory cannot hold it.
    #[wasm_bindgen(constructor)]
    pub fn new(len: usize) -> Result<Input, JsError> {
        let mut input = Input { bytes: Vec::new() };
        input.resize(len)?;
        Ok(input)
    }

    /// Address of the first byte in wasm memory.
    pub fn ptr(&mut self) -> usize {
        self.bytes.as_mut_ptr() as usize
    }

    /// Length in bytes.
    pub fn len(&self) -> usize {
        self.bytes.len()
    }

    /// Whether it holds no bytes.
    pub fn is_empty(&self) -> bool {
        self.bytes.is_empty()
    }

    /// Grows (zero-filled) or shrinks to `len` bytes, keeping the bytes before it; an
    /// error when the memory cannot grow that far.
    pub fn resize(&mut self, len: usize) -> Result<(), JsError> {
        if let Some(more) = len.checked_sub(self.bytes.len()) {
            self.bytes.try_reserve_exact(more).map_err(|_| {
                JsError::new(&format!("not enough memory for a {len}-byte result in this tab; narrow the query"))
            })?;
        }
        self.bytes.resize(len, 0);
        Ok(())
    }

    /// Keeps the first `len` bytes.
    pub fn truncate(&mut self, len: usize) {
        self.bytes.truncate(len);
    }
}

/// The views a result can be shown in.
enum View {
    Table(Grid),
    Tree(Box<TreeView>),
    Timeline(Box<TimelineView>),
    Graph(Box<GraphView>),
}

fn tree_options(opts: &serde_json::Map<String, serde_json::Value>, notes: &mut Vec<String>) -> TreeOptions {
    let mut o = TreeOptions::default();
    if let Some(v) = opts.get("color_by") {
        match v.as_str() {
            Some(c) => o.color_by = Some(c.to_string()),
            None => notes.push("options.color_by must be a column name".to_string()),
        }
    }
    if let Some(v) = opts.get("pid_format") {
        o.pid_format = match v.as_str() {
            Some("hex") => PidFormat::Hex,
            Some("decimal") => PidFormat::Decimal,
            Some("auto") => PidFormat::Auto,
            _ => {
                notes.push("options.pid_format must be \"hex\", \"decimal\" or \"auto\"".to_string());
                PidFormat::Auto
            }
        };
    }
    if let Some(v) = opts.get("expand_depth") {
        match v.as_u64() {
            Some(d) => o.expand_depth = Some(d.min(1000) as u32),
            None => notes.push("options.expand_depth must be a whole number".to_string()),
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
        Some(_) => {
            notes.push("options.highlight must be a value or a list of values (\"/…/\" for a regex)".to_string())
        }
    }
    match opts.get("focus") {
        None => {}
        Some(serde_json::Value::String(s)) => o.focus = Some(s.clone()),
        Some(serde_json::Value::Number(n)) => o.focus = Some(n.to_string()),
        Some(_) => notes.push("options.focus must be a PID or a process name".to_string()),
    }
    o
}

#[derive(serde::Serialize)]
struct JsTreeDetail<'a> {
    node: u32,
    title: &'a str,
    inferred: bool,
    fields: &'a [(String, String)],
    ancestors: &'a [(u32, String)],
    children: usize,
    /// How a process's parent link was made (tree only).
    #[serde(skip_serializing_if = "Option::is_none")]
    link: Option<&'a huntviz_process_tree::view::LinkDetail>,
    /// Every spelling of a process's image name, when there are several (tree only).
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    names: &'a [String],
}

/// One rendered output: the parsed result and its view.
#[wasm_bindgen]
pub struct Viewer {
    canvas: HtmlCanvasElement,
    table: Arc<Table>,
    view: View,
    grid: Option<Grid>,
    tree: Option<Box<TreeView>>,
    tree_error: Option<String>,
    tree_options: TreeOptions,
    tree_warnings: Vec<String>,
    timeline: Option<Box<TimelineView>>,
    timeline_error: Option<String>,
    timeline_options: huntviz_timeline::Options,
    timeline_warnings: Vec<String>,
    datasets: Vec<Source>,
    graph: Option<Box<GraphView>>,
    graph_error: Option<String>,
    graph_options: GraphOptions,
    graph_warnings: Vec<String>,
    requested: String,
    theme: Theme,
    dpr: f32,
    viewport: (f32, f32),
    warnings: Vec<String>,
    format: Format,
    tables: usize,
    parse_ms: f64,
    schema: huntviz_table::schema::SchemaInfo,
}

#[wasm_bindgen]
impl Viewer {
    /// Parses `payload` (the raw result as UTF-8 bytes, consumed) and prepares the view.
    /// `spec` is JSON `{"view": …, "options": {…}}`; `theme` is JSON from the CSS
    /// variables. Throws an `Error` whose message says what is wrong and where.
    #[wasm_bindgen(constructor)]
    pub fn new(canvas: HtmlCanvasElement, payload: Input, spec: &str, theme: &str) -> Result<Viewer, JsError> {
        let payload = payload.bytes;
        let spec: Spec =
            serde_json::from_str(spec).map_err(|e| JsError::new(&format!("invalid huntviz output: {e}")))?;
        let mut notes = spec.notes;
        let view = spec.view.unwrap_or_else(|| "auto".to_string());
        if !VIEWS.contains(&view.as_str()) {
            return Err(JsError::new(&format!(
                "unknown view \"{}\": use one of auto, table, process-tree, timeline, graph",
                view.chars().take(40).collect::<String>()
            )));
        }
        let mut options = ParseOptions { validate_utf8: false, ..ParseOptions::default() };
        let opts = spec.options.unwrap_or_default();
        for (key, value) in &opts {
            if !known_option(key) {
                notes.push(format!("unknown option \"{}\" was ignored", key.chars().take(40).collect::<String>()));
            }
            if key == "format" {
                let id = value.as_str().unwrap_or_default();
                options.format = Some(Format::from_id(id).ok_or_else(|| {
                    JsError::new(&format!("unknown format \"{}\"", id.chars().take(40).collect::<String>()))
                })?);
            }
        }
        let started = js_sys::Date::now();
        let mut dataset = huntviz_table::parse(payload, &options).map_err(|e| JsError::new(&e.to_string()))?;
        let parse_ms = js_sys::Date::now() - started;
        let tables = dataset.tables.len();
        if tables > 1 {
            notes.push(format!(
                "the result has {} more table{}; huntviz shows the primary result",
                tables - 1,
                if tables == 2 { "" } else { "s" }
            ));
        }
        let mut overrides = std::collections::BTreeMap::new();
        match opts.get("columns") {
            None => {}
            Some(serde_json::Value::Object(map)) => {
                for (role, col) in map {
                    match col.as_str() {
                        Some(c) => {
                            overrides.insert(role.clone(), c.to_string());
                        }
                        None => notes.push(format!("options.columns.{role} must be a column name (a string)")),
                    }
                }
            }
            Some(_) => notes.push("options.columns must map roles to column names".to_string()),
        }
        let schema = dataset.tables.first().map(|t| huntviz_table::schema::detect(t, &overrides)).unwrap_or_default();
        notes.extend(schema.notes.iter().cloned());
        let mut warnings: Vec<String> = dataset.warnings.iter().map(|w| w.message.clone()).collect();
        warnings.extend(notes);
        if dataset.tables.is_empty() {
            return Err(JsError::new("the result holds no table"));
        }
        let table = Arc::new(dataset.tables.swap_remove(0));
        let theme = theme_from_json(theme);
        let tree_options = tree_options(&opts, &mut warnings);
        let mut timeline_options = huntviz_timeline::Options::from_json(&opts, &mut warnings);
        let graph_options = GraphOptions::from_json(&opts, &mut warnings);
        huntviz_timeline::model::apply_hint(&mut timeline_options, dataset.hint.as_ref(), &table);
        let mut viewer = Viewer {
            canvas,
            table,
            view: View::Table(Grid::new(Arc::new(Table::empty()), &theme)),
            grid: None,
            tree: None,
            tree_error: None,
            tree_options,
            tree_warnings: Vec::new(),
            timeline: None,
            timeline_error: None,
            timeline_options,
            timeline_warnings: Vec::new(),
            datasets: Vec::new(),
            graph: None,
            graph_error: None,
            graph_options,
            graph_warnings: Vec::new(),
            requested: view.clone(),
            theme,
            dpr: 1.0,
            viewport: (0.0, 0.0),
            warnings,
            format: dataset.format,
            tables,
            parse_ms,
            schema,
        };
        // `auto`: process events open as a tree, a timechart hint or anything else with
        // a time column as a timeline, the rest as a table.
        let timechart = dataset.hint.as_ref().is_some_and(|h| h.visualization.eq_ignore_ascii_case("timechart"));
        let want = match view.as_str() {
            "process-tree" => "process-tree",
            "timeline" => "timeline",
            "graph" => "graph",
            "auto" if viewer.schema.name.is_some() => "process-tree",
            "auto" if huntviz_graph::can_build(&viewer.table, &viewer.schema, &viewer.graph_options) => "graph",
            "auto" if timechart || viewer.has_time() => "timeline",
            _ => "table",
        };
        if !viewer.switch_to(want) && view != "table" {
            let (what, why) = match want {
                "timeline" => ("timeline", viewer.timeline_error.clone()),
                "graph" => ("graph", viewer.graph_error.clone()),
                _ => ("process tree", viewer.tree_error.clone()),
            };
            if view != "auto" || want == "process-tree" {
                viewer
                    .warnings
                    .push(format!("the {what} cannot be built ({}); showing the table", why.unwrap_or_default()));
            }
        }
        if matches!(viewer.view, View::Table(_)) && viewer.grid.is_none() {
            viewer.switch_to("table");
        }
        Ok(viewer)
    }

    /// The one-line status (`Table · 1,010 rows × 18 columns · 2 warnings`).
    pub fn status(&self) -> String {
        let count = self.warnings().len();
        match &self.view {
            View::Table(_) => status_line(&self.table, count),
            View::Tree(t) => t.status_line(count),
            View::Timeline(t) => t.status_line(count),
            View::Graph(g) => g.status_line(count),
        }
    }

    /// Every warning, one sentence each (the result's, then the active view's).
    pub fn warnings(&self) -> Vec<String> {
        let mut all = self.warnings.clone();
        match self.view {
            View::Tree(_) => all.extend(self.tree_warnings.iter().cloned()),
            View::Timeline(_) => all.extend(self.timeline_warnings.iter().cloned()),
            View::Graph(_) => all.extend(self.graph_warnings.iter().cloned()),
            View::Table(_) => {}
        }
        all
    }

    /// The views this result can be shown in (`table`, `process-tree`).
    pub fn views(&self) -> Vec<String> {
        let mut v = vec!["table".to_string()];
        if self.schema.column(&self.table, huntviz_table::schema::Role::ProcessId).is_some()
            && self.schema.column(&self.table, huntviz_table::schema::Role::ParentId).is_some()
        {
            v.push("process-tree".to_string());
        }
        if self.has_time() || !self.datasets.is_empty() {
            v.push("timeline".to_string());
        }
        if huntviz_graph::can_build(&self.table, &self.schema, &self.graph_options) {
            v.push("graph".to_string());
        }
        v
    }

    /// Rows the active view shows (table rows, or visible tree rows).
    pub fn row_count(&self) -> usize {
        match &self.view {
            View::Table(g) => g.table().rows(),
            View::Tree(t) => t.row_count(),
            View::Timeline(t) => t.model().lanes.len(),
            View::Graph(g) => g.graph().graph.node_count(),
        }
    }

    /// The active view's id.
    pub fn view(&self) -> String {
        match self.view {
            View::Table(_) => "table".into(),
            View::Tree(_) => "process-tree".into(),
            View::Timeline(_) => "timeline".into(),
            View::Graph(_) => "graph".into(),
        }
    }

    /// Switches view (the result is not read again). Returns whether it switched.
    pub fn set_view(&mut self, id: &str) -> bool {
        self.switch_to(id)
    }

    /// The detected format's name.
    pub fn format(&self) -> String {
        self.format.label().to_string()
    }

    /// What the columns mean: `{name, label, roles, evidence, scores, …}`.
    pub fn schema(&self) -> JsValue {
        to_js(&self.schema)
    }

    /// Number of tables in the result.
    pub fn tables(&self) -> usize {
        self.tables
    }

    /// Milliseconds spent parsing.
    pub fn parse_ms(&self) -> f64 {
        self.parse_ms
    }

    /// `[width, height]` of the whole view in CSS pixels.
    pub fn content_size(&self) -> Vec<f32> {
        let (w, h) = match &self.view {
            View::Table(g) => g.content_size(),
            View::Tree(t) => t.content_size(),
            View::Timeline(t) => t.content_size(),
            View::Graph(g) => g.content_size(),
        };
        vec![w, h]
    }

    /// Sets the visible size (CSS pixels) and the device pixel ratio.
    pub fn set_viewport(&mut self, width: f32, height: f32, dpr: f32) {
        self.dpr = if dpr.is_finite() && dpr > 0.0 { dpr.min(4.0) } else { 1.0 };
        match &mut self.view {
            View::Table(g) => g.set_viewport(width, height),
            View::Tree(t) => t.set_viewport(width, height),
            View::Timeline(t) => t.set_viewport(width, height),
            View::Graph(g) => {
                g.set_pixel_ratio(Some(self.dpr));
                g.set_viewport(width, height);
            }
        }
        self.viewport = (width, height);
        let px = |v: f32| (v * self.dpr).round().clamp(1.0, 16_384.0) as u32;
        self.canvas.set_width(px(width));
        self.canvas.set_height(px(height));
    }

    /// Sets the scroll position in content pixels.
    pub fn set_scroll(&mut self, x: f32, y: f32) {
        match &mut self.view {
            View::Table(g) => g.set_scroll(x, y),
            View::Tree(t) => t.set_scroll(x, y),
            View::Timeline(t) => t.set_scroll(x, y),
            View::Graph(g) => g.set_scroll(x, y),
        }
    }

    /// The scroll position after clamping.
    pub fn scroll(&self) -> Vec<f32> {
        let (x, y) = match &self.view {
            View::Table(g) => g.scroll(),
            View::Tree(t) => t.scroll(),
            View::Timeline(t) => t.scroll(),
            View::Graph(g) => g.scroll(),
        };
        vec![x, y]
    }

    /// Applies theme colours and fonts (JSON from the CSS variables). No re-parse.
    pub fn set_theme(&mut self, theme: &str) {
        self.theme = theme_from_json(theme);
        match &mut self.view {
            View::Table(g) => g.set_theme(&self.theme),
            View::Tree(t) => t.set_theme(&self.theme),
            View::Timeline(t) => t.set_theme(&self.theme),
            View::Graph(g) => g.set_theme(&self.theme),
        }
    }

    /// Draws the visible part on the canvas.
    pub fn render(&self) -> Result<(), JsError> {
        let mut backend =
            canvas::Canvas::new(self.canvas.clone()).ok_or_else(|| JsError::new("the canvas has no 2D context"))?;
        let scene = self.scene();
        huntviz_draw::render(&scene, &self.theme, &mut backend, Target::canvas(self.dpr))
            .map_err(|e| JsError::new(&format!("drawing failed: {e:?}")))
    }

    /// Pointer pressed at (x, y) in CSS pixels of the viewport (Shift: box zoom on a
    /// timeline).
    pub fn pointer_down(&mut self, x: f32, y: f32, shift: bool) -> JsValue {
        match &mut self.view {
            View::Table(g) => grid_response(g.pointer_down(x, y), true),
            View::Tree(t) => view_response(t.pointer_down(x, y)),
            View::Timeline(t) => view_response(t.pointer_down(x, y, shift)),
            View::Graph(g) => view_response(g.pointer_down(x, y)),
        }
    }

    /// Pointer moved.
    pub fn pointer_move(&mut self, x: f32, y: f32) -> JsValue {
        match &mut self.view {
            View::Table(g) => grid_response(g.pointer_move(x, y), false),
            View::Tree(t) => view_response(t.pointer_move(x, y)),
            View::Timeline(t) => view_response(t.pointer_move(x, y)),
            View::Graph(g) => view_response(g.pointer_move(x, y)),
        }
    }

    /// Pointer released.
    pub fn pointer_up(&mut self, x: f32, y: f32) -> JsValue {
        match &mut self.view {
            View::Table(g) => grid_response(g.pointer_up(x, y), false),
            View::Tree(_) => view_response(Default::default()),
            View::Timeline(t) => view_response(t.pointer_up(x, y)),
            View::Graph(g) => view_response(g.pointer_up(x, y)),
        }
    }

    /// Pointer left the view.
    pub fn pointer_leave(&mut self) -> JsValue {
        match &mut self.view {
            View::Table(g) => grid_response(g.pointer_leave(), false),
            View::Tree(t) => view_response(t.pointer_leave()),
            View::Timeline(t) => view_response(t.pointer_leave()),
            View::Graph(g) => view_response(g.pointer_leave()),
        }
    }

    /// A key press (`KeyboardEvent.key`); the reply says whether it was handled.
    pub fn key(&mut self, key: &str, ctrl: bool, shift: bool) -> JsValue {
        match &mut self.view {
            View::Table(g) => grid_response(g.key(key, ctrl), true),
            View::Tree(t) => view_response(t.key(key)),
            View::Timeline(t) => view_response(t.key(key, shift)),
            View::Graph(g) => view_response(g.key(key)),
        }
    }

    /// The tooltip for the point, or `null`.
    pub fn tooltip(&self, x: f32, y: f32) -> JsValue {
        match &self.view {
            View::Table(g) => g.tooltip(x, y).map_or(JsValue::NULL, |t| to_js(&t)),
            View::Tree(t) => t.tooltip(x, y).map_or(JsValue::NULL, |t| to_js(&t)),
            View::Timeline(t) => t.tooltip(x, y).map_or(JsValue::NULL, |t| to_js(&t)),
            View::Graph(g) => g.tooltip(x, y).map_or(JsValue::NULL, |t| to_js(&t)),
        }
    }

    /// The selected cell (table) described for the detail bar, or `null`.
    pub fn selection(&self) -> JsValue {
        match &self.view {
            View::Table(g) => g.selection().map_or(JsValue::NULL, |s| to_js(&s)),
            View::Tree(_) | View::Timeline(_) | View::Graph(_) => JsValue::NULL,
        }
    }

    /// The selected process (tree): title, every field, the ancestor chain; or `null`.
    pub fn detail(&self) -> JsValue {
        match &self.view {
            View::Tree(t) => t.detail().map_or(JsValue::NULL, |d| {
                to_js(&JsTreeDetail {
                    node: d.node,
                    title: &d.title,
                    inferred: d.inferred,
                    fields: &d.fields,
                    ancestors: &d.ancestors,
                    children: d.children,
                    link: Some(&d.link),
                    names: &d.names,
                })
            }),
            View::Timeline(t) => t.detail().map_or(JsValue::NULL, |d| {
                to_js(&JsTreeDetail {
                    node: d.event,
                    title: &d.title,
                    inferred: false,
                    fields: &d.fields,
                    ancestors: &[],
                    children: 0,
                    link: None,
                    names: &[],
                })
            }),
            View::Graph(g) => g.detail().map_or(JsValue::NULL, |d| {
                to_js(&JsTreeDetail {
                    node: d.node,
                    title: &d.title,
                    inferred: false,
                    fields: &d.fields,
                    ancestors: &d.neighbours,
                    children: 0,
                    link: None,
                    names: &[],
                })
            }),
            View::Table(_) => JsValue::NULL,
        }
    }

    /// The exact value of field `index` of the selected process's (or event's) detail.
    pub fn detail_value(&self, index: usize) -> Option<String> {
        match &self.view {
            View::Tree(t) => t.detail_value(index),
            View::Timeline(t) => t.detail_value(index),
            View::Graph(g) => g.detail_value(index),
            View::Table(_) => None,
        }
    }

    /// The exact value of the selection, for the clipboard.
    pub fn selection_value(&self) -> Option<String> {
        match &self.view {
            View::Table(g) => g.selection_value(),
            View::Tree(t) => t.selection_value(),
            View::Timeline(t) => t.selection_value(),
            View::Graph(g) => g.selection_value(),
        }
    }

    /// The visible cells as text (accessibility mirror).
    pub fn visible_text(&self) -> JsValue {
        match &self.view {
            View::Table(g) => to_js(&g.visible_text()),
            View::Tree(t) => to_js(&t.visible_text()),
            View::Timeline(t) => to_js(&t.visible_text()),
            View::Graph(g) => to_js(&g.visible_text()),
        }
    }

    // ----- timeline -----

    /// Adds one of the payload's `datasets` (its text in `payload`, consumed): events
    /// (`kind` "events") become their own labelled series on the timeline's axis;
    /// alerts (`kind` "alerts") become labelled reference lines. Throws when it cannot
    /// be read.
    pub fn add_dataset(&mut self, name: &str, kind: &str, payload: Input) -> Result<(), JsError> {
        let name: String = name.chars().take(200).collect();
        let options = ParseOptions { validate_utf8: false, ..ParseOptions::default() };
        let mut dataset = huntviz_table::parse(payload.bytes, &options)
            .map_err(|e| JsError::new(&format!("dataset \"{name}\": {e}")))?;
        self.warnings.extend(dataset.warnings.iter().map(|w| format!("dataset \"{name}\": {}", w.message)));
        if dataset.tables.is_empty() {
            return Err(JsError::new(&format!("dataset \"{name}\" holds no table")));
        }
        let alerts = match kind {
            "alerts" => true,
            "events" | "" => false,
            other => {
                return Err(JsError::new(&format!(
                    "dataset \"{name}\": unknown kind \"{}\" (use \"events\" or \"alerts\")",
                    other.chars().take(40).collect::<String>()
                )))
            }
        };
        let table = Arc::new(dataset.tables.swap_remove(0));
        self.datasets.push(Source::new(&name, table, alerts));
        // The timeline is built again with every dataset (switching away first stashes
        // the active one, which is then dropped).
        let active = matches!(self.view, View::Timeline(_));
        if active {
            self.switch_to("table");
        }
        self.timeline = None;
        self.timeline_error = None;
        if (active || matches!(self.requested.as_str(), "auto" | "timeline")) && !self.switch_to("timeline") {
            let why = self.timeline_error.clone().unwrap_or_default();
            self.warnings.push(format!("the timeline cannot be built ({why}); showing the table"));
        }
        Ok(())
    }

    /// The timeline's legend `[{label, color, count, hidden}]` (empty for other views).
    pub fn legend(&self) -> JsValue {
        match &self.view {
            View::Timeline(t) => to_js(&t.legend()),
            View::Graph(g) => to_js(&g.legend()),
            _ => to_js(&Vec::<u8>::new()),
        }
    }

    /// Hides or shows a legend series.
    pub fn toggle_series(&mut self, index: usize) -> JsValue {
        match &mut self.view {
            View::Timeline(t) => view_response(t.toggle_series(index)),
            View::Graph(g) => view_response(g.toggle_kind(index)),
            _ => view_response(Default::default()),
        }
    }

    /// The timeline's visible range as text (`2024-05-06 10:00 – 12:00 UTC`).
    pub fn range_text(&self) -> String {
        match &self.view {
            View::Timeline(t) => t.range_text(),
            _ => String::new(),
        }
    }

    /// What the lanes and the colours are by: `[group_by, color_by]` (`""` for none).
    pub fn grouping(&self) -> Vec<String> {
        match &self.view {
            View::Timeline(t) => {
                let (g, c) = t.grouping();
                vec![g.unwrap_or_default(), c.unwrap_or_default()]
            }
            _ => vec![String::new(), String::new()],
        }
    }

    /// Rebuilds the timeline with lanes by `group_by`, colours by `color_by` (`""`:
    /// chosen automatically, `"dataset"`: by dataset) and `lane_order` (`first`,
    /// `count`, `name`), keeping the visible range and zone. Throws (and keeps the
    /// current timeline) when the timeline cannot be built that way.
    pub fn set_grouping(&mut self, group_by: &str, color_by: &str, lane_order: &str) -> Result<JsValue, JsError> {
        let View::Timeline(current) = &self.view else { return Ok(view_response(Default::default())) };
        let (range, zone) = (current.range(), current.zone().clone());
        let mut o = self.timeline_options.clone();
        let pick = |v: &str| (!v.is_empty()).then(|| v.to_string());
        o.group_by = pick(group_by);
        o.color_by = pick(color_by);
        o.lane_order = match lane_order {
            "count" => huntviz_timeline::LaneOrder::Count,
            "name" => huntviz_timeline::LaneOrder::Name,
            _ => huntviz_timeline::LaneOrder::First,
        };
        let model = huntviz_timeline::build(self.sources(), &o).map_err(|e| JsError::new(&e.to_string()))?;
        self.timeline_options = o;
        self.timeline_warnings = model.warnings.clone();
        let mut t = TimelineView::new(model, &self.theme);
        t.set_viewport(self.viewport.0, self.viewport.1);
        let _ = t.set_zone(zone);
        let _ = t.set_range(range.0, range.1);
        self.view = View::Timeline(Box::new(t));
        Ok(view_response(huntviz_draw::view::Response {
            redraw: true,
            resized: true,
            selection: true,
            ..Default::default()
        }))
    }

    /// Columns a timeline can have lanes or colours by (`dataset` first with datasets).
    pub fn group_choices(&self) -> Vec<String> {
        let mut v = if self.datasets.is_empty() { Vec::new() } else { vec!["dataset".to_string()] };
        v.extend(huntviz_timeline::model::group_choices(&self.table));
        v
    }

    /// Wheel over the view; the reply has nothing to do when the page should scroll.
    pub fn wheel(&mut self, x: f32, y: f32, dx: f32, dy: f32, shift: bool) -> JsValue {
        match &mut self.view {
            View::Timeline(t) => view_response(t.wheel(x, y, dx, dy, shift)),
            View::Graph(g) => view_response(g.wheel(x, y, dx, dy)),
            _ => view_response(Default::default()),
        }
    }

    /// Double-click: zoom in (Shift: out) around x.
    pub fn double_click(&mut self, x: f32, y: f32, shift: bool) -> JsValue {
        match &mut self.view {
            View::Timeline(t) => view_response(t.double_click(x, y, shift)),
            View::Graph(g) => view_response(g.double_click(x, y)),
            _ => view_response(Default::default()),
        }
    }

    /// Zooms by `factor` around the centre (< 1 zooms in); 0 shows everything.
    pub fn zoom(&mut self, factor: f64) -> JsValue {
        match &mut self.view {
            View::Timeline(t) if factor == 0.0 => view_response(t.reset()),
            View::Timeline(t) => {
                let (a, b) = t.range();
                let mid = a / 2 + b / 2;
                let half = ((b - a) as f64 * factor / 2.0) as i64;
                view_response(t.set_range(mid - half, mid + half))
            }
            _ => view_response(Default::default()),
        }
    }

    /// Shows times in UTC (`offset_minutes` 0 and name "UTC") or a fixed local offset.
    pub fn set_time_zone(&mut self, offset_minutes: i32, name: &str) -> JsValue {
        match &mut self.view {
            View::Timeline(t) => {
                let zone = if name == "UTC" && offset_minutes == 0 {
                    huntviz_timeline::ticks::Zone::default()
                } else {
                    huntviz_timeline::ticks::Zone::fixed(offset_minutes, name)
                };
                view_response(t.set_zone(zone))
            }
            _ => view_response(Default::default()),
        }
    }

    /// The centre of the timeline's visible range in milliseconds since the epoch (to
    /// ask the browser for the local offset there).
    pub fn range_center_ms(&self) -> f64 {
        match &self.view {
            View::Timeline(t) => {
                let (a, b) = t.range();
                (a / 2 + b / 2) as f64 / 10_000.0
            }
            _ => 0.0,
        }
    }

    // ----- graph -----

    /// Runs one layout iteration of a graph; `true` while it has not settled.
    pub fn tick(&mut self) -> bool {
        match &mut self.view {
            View::Graph(g) => g.tick(),
            _ => false,
        }
    }

    /// Whether the layout has settled (true for views without one).
    pub fn settled(&self) -> bool {
        match &self.view {
            View::Graph(g) => g.settled(),
            _ => true,
        }
    }

    /// Shows the whole graph (and follows the layout again).
    pub fn fit(&mut self) -> JsValue {
        match &mut self.view {
            View::Graph(g) => view_response(g.fit()),
            _ => view_response(Default::default()),
        }
    }

    /// Unpins every node and lays the graph out again.
    pub fn relayout(&mut self) -> JsValue {
        match &mut self.view {
            View::Graph(g) => view_response(g.relayout()),
            _ => view_response(Default::default()),
        }
    }

    /// Layout iterations run so far.
    pub fn layout_iterations(&self) -> u32 {
        match &self.view {
            View::Graph(g) => g.layout().iterations,
            _ => 0,
        }
    }

    // ----- process tree -----

    /// Searches the tree; returns the number of matches. Throws for an invalid regex.
    pub fn search(&mut self, query: &str, regex: bool) -> Result<usize, JsError> {
        match &mut self.view {
            View::Tree(t) => t.search(query, regex).map_err(|e| JsError::new(&e)),
            View::Timeline(t) => t.search(query, regex).map_err(|e| JsError::new(&e)),
            View::Graph(g) => g.search(query, regex).map_err(|e| JsError::new(&e)),
            View::Table(_) => Ok(0),
        }
    }

    /// Goes to the next (or previous) match.
    pub fn search_step(&mut self, forward: bool) -> JsValue {
        match &mut self.view {
            View::Tree(t) => view_response(t.step_match(forward)),
            View::Timeline(t) => view_response(t.step_match(forward)),
            View::Graph(g) => view_response(g.step_match(forward)),
            _ => view_response(Default::default()),
        }
    }

    /// `[matches, current (1-based, 0 if none)]`.
    pub fn match_position(&self) -> Vec<u32> {
        match &self.view {
            View::Tree(t) => {
                let (n, cur) = t.match_position();
                vec![n as u32, cur.unwrap_or(0) as u32]
            }
            View::Timeline(t) => {
                let (n, cur) = t.match_position();
                vec![n as u32, cur.unwrap_or(0) as u32]
            }
            View::Graph(g) => {
                let (n, cur) = g.match_position();
                vec![n as u32, cur.unwrap_or(0) as u32]
            }
            View::Table(_) => vec![0, 0],
        }
    }

    /// Shows only matches and their ancestors.
    pub fn set_matches_only(&mut self, on: bool) -> JsValue {
        match &mut self.view {
            View::Tree(t) => view_response(t.set_matches_only(on)),
            _ => view_response(Default::default()),
        }
    }

    /// Focuses on the selected process (`true`) or shows everything again (`false`).
    pub fn set_focus(&mut self, on: bool) -> JsValue {
        match &mut self.view {
            View::Tree(t) => {
                let node = if on { t.selected() } else { None };
                view_response(t.set_focus(node))
            }
            _ => view_response(Default::default()),
        }
    }

    /// Whether the tree is focused.
    pub fn focused(&self) -> bool {
        matches!(&self.view, View::Tree(t) if t.focus().is_some())
    }

    /// Unfolds everything.
    pub fn expand_all(&mut self) -> JsValue {
        match &mut self.view {
            View::Tree(t) => view_response(t.expand_all()),
            _ => view_response(Default::default()),
        }
    }

    /// Folds everything.
    pub fn collapse_all(&mut self) -> JsValue {
        match &mut self.view {
            View::Tree(t) => view_response(t.collapse_all()),
            _ => view_response(Default::default()),
        }
    }

    /// Shows `depth` levels below the hosts.
    pub fn expand_to_depth(&mut self, depth: u32) -> JsValue {
        match &mut self.view {
            View::Tree(t) => view_response(t.expand_to_depth(depth)),
            _ => view_response(Default::default()),
        }
    }

    /// Selects a process by node id (the detail panel's ancestor links).
    pub fn select_node(&mut self, node: u32) -> JsValue {
        match &mut self.view {
            View::Tree(t) => view_response(t.select_node(node)),
            View::Graph(g) => view_response(g.select(node)),
            _ => view_response(Default::default()),
        }
    }

    /// Colours by a column (`""` for none); returns the legend `[{label, color, count}]`.
    pub fn set_color_by(&mut self, column: &str) -> JsValue {
        match &mut self.view {
            View::Tree(t) => to_js(&t.set_color_by((!column.is_empty()).then_some(column))),
            _ => to_js(&Vec::<u8>::new()),
        }
    }

    /// The process tree's kinds of parent link `[{kind, label, evidence, count}]`
    /// (empty for other views).
    pub fn link_legend(&self) -> JsValue {
        match &self.view {
            View::Tree(t) => to_js(&t.link_legend()),
            _ => to_js(&Vec::<u8>::new()),
        }
    }

    /// Columns worth colouring by.
    pub fn color_choices(&self) -> Vec<String> {
        huntviz_process_tree::view::color_choices(&self.table)
    }

    /// The current view as a standalone SVG document.
    pub fn export_svg(&self) -> String {
        match &self.view {
            View::Timeline(t) => huntviz_draw::to_svg(&t.export_scene(&self.theme), &self.theme),
            View::Graph(g) => huntviz_draw::to_svg(&g.export_scene(&self.theme), &self.theme),
            _ => huntviz_draw::to_svg(&self.scene(), &self.theme),
        }
    }
}

impl Viewer {
    fn scene(&self) -> huntviz_draw::Scene {
        match &self.view {
            View::Table(g) => g.scene(&self.theme),
            View::Tree(t) => t.scene(&self.theme),
            View::Timeline(t) => t.scene(&self.theme),
            View::Graph(g) => g.scene(&self.theme),
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

    fn has_time(&self) -> bool {
        self.schema
            .column(&self.table, huntviz_table::schema::Role::Time)
            .and_then(|c| self.table.column(c))
            .is_some_and(|c| c.ty == huntviz_table::ColumnType::DateTime)
    }

    /// Activates a view, building it the first time. `false` when it cannot be built.
    fn switch_to(&mut self, id: &str) -> bool {
        let old = std::mem::replace(&mut self.view, View::Table(Grid::new(Arc::new(Table::empty()), &self.theme)));
        match old {
            View::Table(g) if g.table().columns.is_empty() => {}
            View::Table(g) => self.grid = Some(g),
            View::Tree(t) => self.tree = Some(t),
            View::Timeline(t) => self.timeline = Some(t),
            View::Graph(g) => self.graph = Some(g),
        }
        let (w, h) = self.viewport;
        match id {
            "process-tree" => {
                if self.tree.is_none() && self.tree_error.is_none() {
                    match huntviz_process_tree::build(&self.table, &self.schema) {
                        Ok(forest) => {
                            self.tree_warnings = forest.warnings.clone();
                            let view = TreeView::new(
                                Arc::clone(&self.table),
                                &self.schema,
                                forest,
                                &self.theme,
                                &self.tree_options,
                            );
                            self.tree_warnings.extend(view.notes().iter().cloned());
                            self.tree = Some(Box::new(view));
                        }
                        Err(e) => self.tree_error = Some(e.to_string()),
                    }
                }
                if let Some(mut t) = self.tree.take() {
                    t.set_theme(&self.theme);
                    t.set_viewport(w, h);
                    self.view = View::Tree(t);
                    return true;
                }
                self.switch_to("table");
                false
            }
            "graph" => {
                if self.graph.is_none() && self.graph_error.is_none() {
                    match huntviz_graph::build(&self.table, &self.schema, &self.graph_options) {
                        Ok(graph) => {
                            self.graph_warnings = graph.warnings.clone();
                            let size_by = self.graph_options.size_by.clone();
                            self.graph = Some(Box::new(GraphView::new(graph, &self.theme, size_by.as_deref())));
                        }
                        Err(e) => self.graph_error = Some(e.to_string()),
                    }
                }
                if let Some(mut g) = self.graph.take() {
                    g.set_theme(&self.theme);
                    if w > 0.0 && h > 0.0 {
                        g.set_viewport(w, h);
                    }
                    self.view = View::Graph(g);
                    return true;
                }
                self.switch_to("table");
                false
            }
            "timeline" => {
                if self.timeline.is_none() && self.timeline_error.is_none() {
                    match huntviz_timeline::build(self.sources(), &self.timeline_options) {
                        Ok(model) => {
                            self.timeline_warnings = model.warnings.clone();
                            self.timeline = Some(Box::new(TimelineView::new(model, &self.theme)));
                        }
                        Err(e) => self.timeline_error = Some(e.to_string()),
                    }
                }
                if let Some(mut t) = self.timeline.take() {
                    t.set_theme(&self.theme);
                    t.set_viewport(w, h);
                    self.view = View::Timeline(t);
                    return true;
                }
                self.switch_to("table");
                false
            }
            _ => {
                let mut g = self.grid.take().unwrap_or_else(|| Grid::new(Arc::clone(&self.table), &self.theme));
                g.set_theme(&self.theme);
                g.set_viewport(w, h);
                self.view = View::Table(g);
                id == "table"
            }
        }
    }
}
