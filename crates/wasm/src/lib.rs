//! huntviz in the browser.
//!
//! The only crate that uses wasm-bindgen. JavaScript creates one [`Viewer`] per output
//! with the whole payload as bytes (one copy across the boundary), then forwards
//! resize, scroll, theme, pointer and key events; every reply is small (a status
//! line, a tooltip, a selection). Parsing and layout live in the host crates.

use std::cell::RefCell;

use huntviz_draw::{Color, Target, Theme};
use huntviz_grid::{status_line, Grid, Response};
use huntviz_table::{Format, ParseOptions};
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

/// View names of the MIME contract.
const VIEWS: [&str; 5] = ["auto", "table", "process-tree", "timeline", "graph"];
/// Option keys this version understands (others are reported, not ignored silently).
const KNOWN_OPTIONS: [&str; 3] = ["format", "height", "columns"];

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
}

fn response(r: Response) -> JsValue {
    to_js(&JsResponse {
        redraw: r.redraw,
        resized: r.resized,
        scroll_to: r.scroll_to,
        cursor: if r.cursor.is_empty() { "default" } else { r.cursor },
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
    /// A zeroed buffer of `len` bytes.
    #[wasm_bindgen(constructor)]
    pub fn new(len: usize) -> Input {
        Input { bytes: vec![0; len] }
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

    /// Grows (zero-filled) or shrinks to `len` bytes, keeping the bytes before it.
    pub fn resize(&mut self, len: usize) {
        self.bytes.resize(len, 0);
    }

    /// Keeps the first `len` bytes.
    pub fn truncate(&mut self, len: usize) {
        self.bytes.truncate(len);
    }
}

/// One rendered output: the parsed result and its view.
#[wasm_bindgen]
pub struct Viewer {
    canvas: HtmlCanvasElement,
    grid: Grid,
    theme: Theme,
    dpr: f32,
    status: String,
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
        if !matches!(view.as_str(), "auto" | "table") {
            notes.push(format!("the {view} view is not available in this version of huntviz; showing the table"));
        }
        let mut options = ParseOptions { validate_utf8: false, ..ParseOptions::default() };
        let opts = spec.options.unwrap_or_default();
        for (key, value) in &opts {
            if !KNOWN_OPTIONS.contains(&key.as_str()) {
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
        let table = dataset.tables.swap_remove(0);
        let theme = theme_from_json(theme);
        let status = status_line(&table, warnings.len());
        let grid = Grid::new(std::sync::Arc::new(table), &theme);
        Ok(Viewer { canvas, grid, theme, dpr: 1.0, status, warnings, format: dataset.format, tables, parse_ms, schema })
    }

    /// The one-line status (`Table · 1,010 rows × 18 columns · 2 warnings`).
    pub fn status(&self) -> String {
        self.status.clone()
    }

    /// Every warning, one sentence each.
    pub fn warnings(&self) -> Vec<String> {
        self.warnings.clone()
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

    /// `[width, height]` of the whole grid in CSS pixels.
    pub fn content_size(&self) -> Vec<f32> {
        let (w, h) = self.grid.content_size();
        vec![w, h]
    }

    /// Sets the visible size (CSS pixels) and the device pixel ratio.
    pub fn set_viewport(&mut self, width: f32, height: f32, dpr: f32) {
        self.dpr = if dpr.is_finite() && dpr > 0.0 { dpr.min(4.0) } else { 1.0 };
        self.grid.set_viewport(width, height);
        let px = |v: f32| (v * self.dpr).round().clamp(1.0, 16_384.0) as u32;
        self.canvas.set_width(px(width));
        self.canvas.set_height(px(height));
    }

    /// Sets the scroll position in content pixels.
    pub fn set_scroll(&mut self, x: f32, y: f32) {
        self.grid.set_scroll(x, y);
    }

    /// The scroll position after clamping.
    pub fn scroll(&self) -> Vec<f32> {
        let (x, y) = self.grid.scroll();
        vec![x, y]
    }

    /// Applies theme colours and fonts (JSON from the CSS variables). No re-parse.
    pub fn set_theme(&mut self, theme: &str) {
        self.theme = theme_from_json(theme);
        self.grid.set_theme(&self.theme);
    }

    /// Draws the visible part on the canvas.
    pub fn render(&self) -> Result<(), JsError> {
        let mut backend = plotters_canvas::CanvasBackend::with_canvas_object(self.canvas.clone())
            .ok_or_else(|| JsError::new("the canvas has no 2D context"))?;
        let scene = self.grid.scene(&self.theme);
        huntviz_draw::render(&scene, &self.theme, &mut backend, Target::canvas(self.dpr))
            .map_err(|e| JsError::new(&format!("drawing failed: {e:?}")))
    }

    /// Pointer pressed at (x, y) in CSS pixels of the viewport.
    pub fn pointer_down(&mut self, x: f32, y: f32) -> JsValue {
        response(self.grid.pointer_down(x, y))
    }

    /// Pointer moved.
    pub fn pointer_move(&mut self, x: f32, y: f32) -> JsValue {
        response(self.grid.pointer_move(x, y))
    }

    /// Pointer released.
    pub fn pointer_up(&mut self, x: f32, y: f32) -> JsValue {
        response(self.grid.pointer_up(x, y))
    }

    /// Pointer left the view.
    pub fn pointer_leave(&mut self) -> JsValue {
        response(self.grid.pointer_leave())
    }

    /// A key press (`KeyboardEvent.key`); the reply says whether it was handled.
    pub fn key(&mut self, key: &str, ctrl: bool) -> JsValue {
        response(self.grid.key(key, ctrl))
    }

    /// The tooltip for the point, or `null`.
    pub fn tooltip(&self, x: f32, y: f32) -> JsValue {
        self.grid.tooltip(x, y).map_or(JsValue::NULL, |t| to_js(&t))
    }

    /// The selected cell described for the detail bar, or `null`.
    pub fn selection(&self) -> JsValue {
        self.grid.selection().map_or(JsValue::NULL, |s| to_js(&s))
    }

    /// The exact value of the selected cell, for the clipboard.
    pub fn selection_value(&self) -> Option<String> {
        self.grid.selection_value()
    }

    /// The visible cells as text (accessibility mirror).
    pub fn visible_text(&self) -> JsValue {
        to_js(&self.grid.visible_text())
    }

    /// The current view as a standalone SVG document.
    pub fn export_svg(&self) -> String {
        huntviz_draw::to_svg(&self.grid.scene(&self.theme), &self.theme)
    }
}
