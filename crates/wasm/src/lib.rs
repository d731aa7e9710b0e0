//! huntviz in the browser: glue only.
//!
//! The only crate that uses wasm-bindgen. JavaScript creates one [`Viewer`] per output
//! with the whole payload as bytes (one copy across the boundary), then forwards
//! resize, scroll, theme, pointer and key events; every reply is small (a status
//! line, a tooltip, a selection). Everything a view decides — which view, its options,
//! switching, datasets, commands — is [`huntviz_session::Session`]'s, tested on the
//! host; this crate converts arguments and replies and draws on a canvas.
//!
//! The replies' TypeScript types are generated from the Rust types (`js/types.ts`,
//! written by the session's tests) and declared in the module's `.d.ts` with the
//! methods that return them, so JavaScript reads them without casts.

mod canvas;

use std::cell::{RefCell, RefMut};
use std::rc::Rc;

use huntviz_draw::Target;
use huntviz_session::{Command, CommandFields, Session, Spec, ThemeSpec, ViewChoice, ViewKind};
use wasm_bindgen::prelude::*;
use web_sys::HtmlCanvasElement;

// The boundary types, generated from the Rust types by the session's tests.
#[wasm_bindgen(typescript_custom_section)]
const BOUNDARY_TYPES: &str = include_str!("../../../js/types.ts");

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
#[wasm_bindgen(unchecked_return_type = "WebAssembly.Memory")]
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

fn to_js<T: serde::Serialize>(value: &T) -> JsValue {
    value.serialize(&serde_wasm_bindgen::Serializer::json_compatible()).unwrap_or(JsValue::NULL)
}

fn error(e: impl std::fmt::Display) -> JsError {
    JsError::new(&e.to_string())
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

/// One rendered view: the [`Session`] of its result and the canvas it draws on. The
/// panes of an investigation are Viewers sharing one session (one parsed copy of the
/// result; [`Viewer::pane`]), each bound to its own view.
#[wasm_bindgen]
pub struct Viewer {
    canvas: HtmlCanvasElement,
    session: Rc<RefCell<Session>>,
    /// The view this Viewer shows (made active before every call).
    kind: ViewKind,
    parse_ms: f64,
}

impl Viewer {
    /// The session with this Viewer's view active.
    fn s(&self) -> RefMut<'_, Session> {
        let mut session = self.session.borrow_mut();
        session.activate(self.kind);
        session
    }
}

#[wasm_bindgen]
impl Viewer {
    /// Parses `payload` (the raw result as UTF-8 bytes, consumed) and opens the view
    /// `spec` asks for (`{"view": …, "options": {…}, "notes": […]}`); `theme` is JSON from
    /// the CSS variables. Throws an `Error` whose message says what is wrong and where.
    #[wasm_bindgen(constructor)]
    pub fn new(canvas: HtmlCanvasElement, payload: Input, spec: &str, theme: &str) -> Result<Viewer, JsError> {
        let spec: Spec = serde_json::from_str(spec).map_err(|e| error(format!("invalid huntviz output: {e}")))?;
        let started = js_sys::Date::now();
        let session =
            Session::open_with(payload.bytes, spec, ThemeSpec::theme_from_json(theme), false).map_err(error)?;
        let kind = session.active();
        Ok(Viewer { canvas, session: Rc::new(RefCell::new(session)), kind, parse_ms: js_sys::Date::now() - started })
    }

    /// Another pane over the same parsed result, showing view `id` on `canvas`: nothing
    /// is parsed again, and the view is built once. Throws when the result has no such
    /// view (saying why).
    pub fn pane(&self, canvas: HtmlCanvasElement, id: &str) -> Result<Viewer, JsError> {
        let kind = ViewKind::from_id(id)
            .ok_or_else(|| error(format!("unknown view {:?}", id.chars().take(40).collect::<String>())))?;
        let mut session = self.session.borrow_mut();
        if !session.activate(kind) {
            let why = session.why_not(kind).unwrap_or_default();
            return Err(error(format!("the {} cannot be shown: {why}", kind.label())));
        }
        Ok(Viewer { canvas, session: Rc::clone(&self.session), kind, parse_ms: 0.0 })
    }

    /// Selects what the rows of another pane's selection are in this view (its
    /// processes, events, entities or rows), the first brought into view.
    #[wasm_bindgen(unchecked_return_type = "Response")]
    pub fn select_rows(&mut self, rows: Vec<u32>) -> JsValue {
        to_js(&self.s().view_mut().select_rows(&rows))
    }

    /// The one-line status (`Table · 1,010 rows × 18 columns · 2 warnings`).
    pub fn status(&self) -> String {
        self.s().status()
    }

    /// Every warning with its kind and count (the result's, the options', the view's).
    #[wasm_bindgen(unchecked_return_type = "Warning[]")]
    pub fn warnings(&self) -> JsValue {
        to_js(&self.s().warnings())
    }

    /// The views this result can be shown in.
    #[wasm_bindgen(unchecked_return_type = "ViewChoice[]")]
    pub fn views(&self) -> JsValue {
        to_js(&self.s().views().into_iter().map(ViewChoice::from).collect::<Vec<_>>())
    }

    /// The active view's name.
    #[wasm_bindgen(unchecked_return_type = "ViewKind")]
    pub fn view(&self) -> JsValue {
        to_js(&self.s().active())
    }

    /// Switches view (the result is not read again); whether it switched.
    pub fn set_view(&mut self, id: &str) -> bool {
        let Some(kind) = ViewKind::from_id(id) else { return false };
        let switched = self.s().switch(kind);
        if switched {
            self.kind = kind;
        }
        switched
    }

    /// What the active view's toolbar shows.
    #[wasm_bindgen(unchecked_return_type = "ViewState")]
    pub fn state(&self) -> JsValue {
        to_js(&self.s().state())
    }

    /// Does what only one kind of view does (fold, focus, colour, zoom, zone, grouping,
    /// fit, relayout). Throws when the command is malformed or the active view cannot.
    #[wasm_bindgen(unchecked_return_type = "Response")]
    pub fn command(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "Command")] command: JsValue,
    ) -> Result<JsValue, JsError> {
        // Read field by field (no serde deserializer for JavaScript values in the module).
        let get = |key: &str| js_sys::Reflect::get(&command, &JsValue::from_str(key)).ok();
        let text = |key: &str| get(key).and_then(|v| v.as_string());
        let number = |key: &str| get(key).and_then(|v| v.as_f64()).filter(|n| n.is_finite());
        let fields = CommandFields {
            command: text("command").unwrap_or_default(),
            depth: number("depth").map(|d| d.clamp(0.0, u32::MAX as f64) as u32),
            on: get("on").and_then(|v| v.as_bool()),
            column: text("column"),
            factor: number("factor"),
            offset_minutes: number("offset_minutes").map(|m| m.clamp(-1440.0, 1440.0) as i32),
            name: text("name"),
            group_by: text("group_by"),
            color_by: text("color_by"),
            lane_order: text("lane_order"),
        };
        let command = Command::try_from(fields).map_err(|e| error(format!("not a huntviz command: {e}")))?;
        Ok(to_js(&self.s().command(command).map_err(error)?))
    }

    /// Adds one of the payload's `datasets` (its text in `payload`, consumed): events
    /// (`kind` "events") become their own labelled series on the timeline; alerts
    /// (`kind` "alerts") labelled reference lines. Throws when it cannot be read.
    pub fn add_dataset(&mut self, name: &str, kind: &str, payload: Input) -> Result<(), JsError> {
        self.s().add_dataset(name, kind, payload.bytes).map_err(error)
    }

    /// Milliseconds spent opening the result: parsing it and building its view.
    pub fn parse_ms(&self) -> f64 {
        self.parse_ms
    }

    /// Rows the active view shows (table rows, visible tree rows, lanes, nodes).
    pub fn row_count(&self) -> usize {
        self.s().view().row_count()
    }

    /// `[width, height]` of the whole view in CSS pixels.
    pub fn content_size(&self) -> Vec<f32> {
        let (w, h) = self.s().view().content_size();
        vec![w, h]
    }

    /// Sets the visible size (CSS pixels) and the device pixel ratio.
    pub fn set_viewport(&mut self, width: f32, height: f32, dpr: f32) {
        self.s().set_viewport(width, height, dpr);
        let dpr = self.s().pixel_ratio();
        let px = |v: f32| (v * dpr).round().clamp(1.0, 16_384.0) as u32;
        self.canvas.set_width(px(width));
        self.canvas.set_height(px(height));
    }

    /// Sets the scroll position in content pixels.
    pub fn set_scroll(&mut self, x: f32, y: f32) {
        self.s().view_mut().set_scroll(x, y);
    }

    /// The scroll position after clamping.
    pub fn scroll(&self) -> Vec<f32> {
        let (x, y) = self.s().view().scroll();
        vec![x, y]
    }

    /// Applies theme colours and fonts (JSON from the CSS variables). No re-parse.
    pub fn set_theme(&mut self, theme: &str) {
        self.s().set_theme(ThemeSpec::theme_from_json(theme));
    }

    /// Draws the visible part on the canvas.
    pub fn render(&self) -> Result<(), JsError> {
        let mut backend =
            canvas::Canvas::new(self.canvas.clone()).ok_or_else(|| error("the canvas has no 2D context"))?;
        let session = self.s();
        let theme = session.theme();
        let scene = session.view().scene(theme);
        huntviz_draw::render(&scene, theme, &mut backend, Target::canvas(session.pixel_ratio()))
            .map_err(|e| error(format!("drawing failed: {e:?}")))
    }

    /// Pointer pressed at (x, y) in CSS pixels of the viewport (Shift: box zoom on a
    /// timeline).
    #[wasm_bindgen(unchecked_return_type = "Response")]
    pub fn pointer_down(&mut self, x: f32, y: f32, shift: bool) -> JsValue {
        to_js(&self.s().view_mut().pointer_down(x, y, shift))
    }

    /// What the reader changed that a new rendering with new data keeps: folds, camera.
    #[wasm_bindgen(unchecked_return_type = "Memory")]
    pub fn memory(&self) -> JsValue {
        to_js(&self.s().view().memory())
    }

    /// Applies a `memory()` of an earlier rendering of this output (its fields, as
    /// plain arrays: nothing to parse).
    #[wasm_bindgen(unchecked_return_type = "Response")]
    #[allow(clippy::too_many_arguments)]
    pub fn remember(
        &mut self,
        open: Vec<u32>,
        shut: Vec<u32>,
        open_inferred: Vec<String>,
        shut_inferred: Vec<String>,
        hosts_shut: Vec<String>,
        camera: Vec<f32>,
    ) -> JsValue {
        let memory = huntviz_draw::view::Memory { open, shut, open_inferred, shut_inferred, hosts_shut, camera };
        to_js(&self.s().view_mut().remember(&memory))
    }

    /// Pointer pressed with Ctrl (⌘): multi-select; a timeline drag brushes a range.
    #[wasm_bindgen(unchecked_return_type = "Response")]
    pub fn pointer_down_add(&mut self, x: f32, y: f32) -> JsValue {
        to_js(&self.s().view_mut().pointer_down_add(x, y))
    }

    /// Pointer moved.
    #[wasm_bindgen(unchecked_return_type = "Response")]
    pub fn pointer_move(&mut self, x: f32, y: f32) -> JsValue {
        to_js(&self.s().view_mut().pointer_move(x, y))
    }

    /// Pointer released.
    #[wasm_bindgen(unchecked_return_type = "Response")]
    pub fn pointer_up(&mut self, x: f32, y: f32) -> JsValue {
        to_js(&self.s().view_mut().pointer_up(x, y))
    }

    /// Pointer left the view.
    #[wasm_bindgen(unchecked_return_type = "Response")]
    pub fn pointer_leave(&mut self) -> JsValue {
        to_js(&self.s().view_mut().pointer_leave())
    }

    /// A key press (`KeyboardEvent.key`); the reply says whether it was handled.
    #[wasm_bindgen(unchecked_return_type = "Response")]
    pub fn key(&mut self, key: &str, ctrl: bool, shift: bool) -> JsValue {
        to_js(&self.s().view_mut().key(key, ctrl, shift))
    }

    /// Wheel over the view; the reply has nothing to do when the page should scroll.
    #[wasm_bindgen(unchecked_return_type = "Response")]
    pub fn wheel(&mut self, x: f32, y: f32, dx: f32, dy: f32, shift: bool) -> JsValue {
        to_js(&self.s().view_mut().wheel(x, y, dx, dy, shift))
    }

    /// Double-click: zoom in (Shift: out) around the point.
    #[wasm_bindgen(unchecked_return_type = "Response")]
    pub fn double_click(&mut self, x: f32, y: f32, shift: bool) -> JsValue {
        to_js(&self.s().view_mut().double_click(x, y, shift))
    }

    /// The tooltip for the point, or `null`.
    #[wasm_bindgen(unchecked_return_type = "Tooltip | null")]
    pub fn tooltip(&self, x: f32, y: f32) -> JsValue {
        to_js(&self.s().view().tooltip(x, y))
    }

    /// The selected cell (table) described for the detail bar, or `null`.
    #[wasm_bindgen(unchecked_return_type = "CellSelection | null")]
    pub fn selection(&self) -> JsValue {
        to_js(&self.s().view().selection())
    }

    /// The selected process, event or entity for the detail panel, or `null`.
    #[wasm_bindgen(unchecked_return_type = "Detail | null")]
    pub fn detail(&self) -> JsValue {
        to_js(&self.s().view().detail())
    }

    /// The exact value of field `index` of the detail.
    pub fn detail_value(&self, index: usize) -> Option<String> {
        self.s().view().detail_value(index)
    }

    /// The exact value of the selection, for the clipboard.
    pub fn selection_value(&self) -> Option<String> {
        self.s().view().selection_value()
    }

    /// The rows of the result behind the selection (ascending), for the kernel link.
    pub fn selected_rows(&self) -> Vec<u32> {
        self.s().view().selected_rows()
    }

    /// The selected entities with their properties and rows (a graph's), for the kernel link.
    #[wasm_bindgen(unchecked_return_type = "Entity[]")]
    pub fn selected_entities(&self) -> JsValue {
        to_js(&self.s().view().selected_entities())
    }

    /// Selects the item result row `row` is in (Python's `View.select`).
    #[wasm_bindgen(unchecked_return_type = "Response")]
    pub fn select_row(&mut self, row: u32) -> JsValue {
        to_js(&self.s().view_mut().select_row(row))
    }

    /// The rows of the selection and everything under it (a process's subtree).
    pub fn selected_subtree_rows(&self) -> Vec<u32> {
        self.s().view().selected_subtree_rows()
    }

    /// Selects an item by id (a detail's related items).
    #[wasm_bindgen(unchecked_return_type = "Response")]
    pub fn select(&mut self, item: u32) -> JsValue {
        to_js(&self.s().view_mut().select(item))
    }

    /// The visible cells as text (the accessibility mirror).
    #[wasm_bindgen(unchecked_return_type = "VisibleText")]
    pub fn visible_text(&self) -> JsValue {
        to_js(&self.s().view().visible_text())
    }

    /// Searches the active view; the number of matches. Throws for an invalid regex.
    pub fn search(&mut self, query: &str, regex: bool) -> Result<usize, JsError> {
        self.s().view_mut().search(query, regex).map_err(error)
    }

    /// Goes to the next (or previous) match.
    #[wasm_bindgen(unchecked_return_type = "Response")]
    pub fn search_step(&mut self, forward: bool) -> JsValue {
        to_js(&self.s().view_mut().search_step(forward))
    }

    /// `[matches, current (1-based, 0 if none)]`.
    pub fn match_position(&self) -> Vec<u32> {
        let (n, current) = self.s().view().match_position();
        vec![n as u32, current.unwrap_or(0) as u32]
    }

    /// The active view's legend.
    #[wasm_bindgen(unchecked_return_type = "LegendItem[]")]
    pub fn legend(&self) -> JsValue {
        to_js(&self.s().view().legend())
    }

    /// Hides or shows the legend's entry `index`.
    #[wasm_bindgen(unchecked_return_type = "Response")]
    pub fn toggle_legend(&mut self, index: usize) -> JsValue {
        to_js(&self.s().view_mut().toggle_legend(index))
    }

    /// Runs one step of an animated layout; `true` while it has not settled.
    pub fn tick(&mut self) -> bool {
        self.s().view_mut().tick()
    }

    /// Whether the layout has settled (always, for views without one).
    pub fn settled(&self) -> bool {
        self.s().view().settled()
    }

    /// The active view as a standalone SVG document.
    pub fn export_svg(&self) -> String {
        self.s().export_svg()
    }
}
