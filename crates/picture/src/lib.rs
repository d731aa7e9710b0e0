//! huntviz in the kernel: the picture of a view (PNG) for runs no front end draws
//! (papermill, `nbconvert --execute`), so their saved outputs show the view on GitHub,
//! nbviewer and in nbconvert's HTML like outputs JupyterLab drew.
//!
//! The same session as the notebook builds the view and exports its SVG exactly as the
//! plugin's picture does (960 CSS px wide, at most 600 tall, light theme); resvg
//! rasterizes it. The module is plain WebAssembly with no imports, run by the Python
//! package under wasmtime (`python/huntviz/_picture.py`), so one file serves every
//! platform. It holds no font: the kernel hands over a monospace font it finds
//! (matplotlib's DejaVu Sans Mono, or the system's).
//!
//! The exports pass bytes through one buffer the module owns ([`hv_buffer`]), so no
//! raw pointer is dereferenced here: the host writes into the buffer's memory and calls
//! the next export.

use std::cell::RefCell;
use std::sync::Arc;

use huntviz_draw::Theme;
use huntviz_session::{Session, Spec, ViewKind};
use resvg::{tiny_skia, usvg};

/// The picture's width in CSS pixels (as the plugin's).
pub const WIDTH: f32 = 960.0;
/// Its largest height.
pub const MAX_HEIGHT: f32 = 600.0;
/// A graph's height (it has none of its own): the output's default height.
pub const GRAPH_HEIGHT: f32 = 420.0;

/// A view's picture.
#[derive(Debug, Clone)]
pub struct Picture {
    /// PNG bytes.
    pub png: Vec<u8>,
    /// Size in pixels.
    pub width: u32,
    /// Size in pixels.
    pub height: u32,
}

/// Opens a result as the notebook does: `spec` is the payload's view and options
/// (`{"view": …, "options": {…}}`), drawn in the light theme.
pub fn open(data: Vec<u8>, spec: &str) -> Result<Session, String> {
    let spec: Spec = serde_json::from_str(spec).map_err(|e| format!("invalid huntviz spec: {e}"))?;
    Session::open(data, spec, Theme::light()).map_err(|e| e.to_string())
}

/// The view's SVG at the picture's size, and that size (a graph is laid out first).
/// `graph_height` is the output's height (`options.height`, else [`GRAPH_HEIGHT`]): a
/// graph has no height of its own.
pub fn picture_svg(session: &mut Session, graph_height: f32) -> (String, f32, f32) {
    session.set_viewport(WIDTH, GRAPH_HEIGHT, 1.0);
    let height = match session.active() {
        ViewKind::Graph if graph_height.is_finite() => graph_height,
        ViewKind::Graph => GRAPH_HEIGHT,
        _ => session.view().content_size().1,
    };
    let height = height.clamp(100.0, MAX_HEIGHT).round();
    session.set_viewport(WIDTH, height, 1.0);
    session.view_mut().settle();
    (session.export_svg(), WIDTH, height)
}

/// Fonts for the pictures: every face of each font file given, the first one's family
/// standing for the generic families the export names (`monospace` above all).
pub fn fonts(files: Vec<Vec<u8>>) -> Result<Arc<usvg::fontdb::Database>, String> {
    let mut db = usvg::fontdb::Database::new();
    for file in files {
        db.load_font_data(file);
    }
    let family =
        db.faces().find_map(|f| f.families.first().map(|(name, _)| name.clone())).ok_or("no usable font was given")?;
    db.set_monospace_family(family.clone());
    db.set_sans_serif_family(family.clone());
    db.set_serif_family(family);
    Ok(Arc::new(db))
}

/// Rasterizes an SVG of `width` × `height` CSS pixels at `scale` on white.
pub fn rasterize(
    svg: &str,
    width: f32,
    height: f32,
    scale: f32,
    fonts: &Arc<usvg::fontdb::Database>,
) -> Result<Picture, String> {
    let options = usvg::Options { fontdb: Arc::clone(fonts), ..usvg::Options::default() };
    let tree = usvg::Tree::from_str(svg, &options).map_err(|e| format!("the view's SVG did not read: {e}"))?;
    let (w, h) = ((width * scale).round() as u32, (height * scale).round() as u32);
    let mut pixmap = tiny_skia::Pixmap::new(w.max(1), h.max(1)).ok_or("the picture has no size")?;
    pixmap.fill(tiny_skia::Color::WHITE);
    let sx = scale * width / tree.size().width().max(1.0);
    let sy = scale * height / tree.size().height().max(1.0);
    resvg::render(&tree, tiny_skia::Transform::from_scale(sx, sy), &mut pixmap.as_mut());
    let png = pixmap.encode_png().map_err(|e| format!("the picture could not be encoded: {e}"))?;
    Ok(Picture { png, width: w, height: h })
}

// The module's state between calls: the host is single-threaded.
thread_local! {
    static BUFFER: RefCell<Vec<u8>> = const { RefCell::new(Vec::new()) };
    static SESSION: RefCell<Option<Session>> = const { RefCell::new(None) };
    static FONTS: RefCell<Option<Arc<usvg::fontdb::Database>>> = const { RefCell::new(None) };
    static FONT_FILES: RefCell<Vec<Vec<u8>>> = const { RefCell::new(Vec::new()) };
    static OUT: RefCell<Vec<u8>> = const { RefCell::new(Vec::new()) };
}

/// What the host reads after a call that answered (`hv_out_ptr`/`hv_out_len`).
fn answer(bytes: Vec<u8>) {
    OUT.with(|o| *o.borrow_mut() = bytes);
}

/// Replaces the buffer with `len` zero bytes and returns where they are.
#[allow(unsafe_code)]
#[no_mangle]
pub extern "C" fn hv_buffer(len: u32) -> u32 {
    BUFFER.with(|b| {
        let mut b = b.borrow_mut();
        *b = vec![0; len as usize];
        b.as_mut_ptr() as usize as u32
    })
}

/// Takes the buffer as one more font file. Returns 0.
#[allow(unsafe_code)]
#[no_mangle]
pub extern "C" fn hv_add_font() -> u32 {
    let file = BUFFER.with(|b| std::mem::take(&mut *b.borrow_mut()));
    FONT_FILES.with(|f| f.borrow_mut().push(file));
    FONTS.with(|f| *f.borrow_mut() = None);
    0
}

/// Opens the result: the buffer holds the spec's `spec_len` bytes of JSON, then the
/// result. Returns 0, or 1 with the error as the answer.
#[allow(unsafe_code)]
#[no_mangle]
pub extern "C" fn hv_open(spec_len: u32) -> u32 {
    let mut bytes = BUFFER.with(|b| std::mem::take(&mut *b.borrow_mut()));
    let at = (spec_len as usize).min(bytes.len());
    let data = bytes.split_off(at);
    let opened = std::str::from_utf8(&bytes).map_err(|e| e.to_string()).and_then(|spec| open(data, spec));
    match opened {
        Ok(session) => {
            SESSION.with(|s| *s.borrow_mut() = Some(session));
            0
        }
        Err(e) => {
            SESSION.with(|s| *s.borrow_mut() = None);
            answer(e.into_bytes());
            1
        }
    }
}

/// Adds a dataset to the open result's timeline: the buffer holds the name's
/// `name_len` bytes, then the result; `alerts` is 1 for alerts. Returns 0, or 1 with
/// the error as the answer.
#[allow(unsafe_code)]
#[no_mangle]
pub extern "C" fn hv_add_dataset(name_len: u32, alerts: u32) -> u32 {
    let mut bytes = BUFFER.with(|b| std::mem::take(&mut *b.borrow_mut()));
    let at = (name_len as usize).min(bytes.len());
    let data = bytes.split_off(at);
    let name = String::from_utf8_lossy(&bytes).into_owned();
    let kind = if alerts == 1 { "alerts" } else { "events" };
    let added = SESSION.with(|s| match s.borrow_mut().as_mut() {
        Some(session) => session.add_dataset(&name, kind, data).map_err(|e| e.to_string()),
        None => Err("no result is open".to_string()),
    });
    match added {
        Ok(()) => 0,
        Err(e) => {
            answer(e.into_bytes());
            1
        }
    }
}

/// Draws the open result's picture at `scale` (1, or less to fit a size bound; a
/// graph `graph_height` tall): the answer is its width and height (u32, little-endian)
/// then the PNG. Returns 0, or 1 with the error as the answer.
#[allow(unsafe_code)]
#[no_mangle]
pub extern "C" fn hv_picture(scale: f32, graph_height: f32) -> u32 {
    let drawn = SESSION.with(|s| {
        let mut s = s.borrow_mut();
        let session = s.as_mut().ok_or("no result is open")?;
        let fonts = FONTS.with(|f| -> Result<_, String> {
            let mut f = f.borrow_mut();
            if f.is_none() {
                *f = Some(fonts(FONT_FILES.with(|files| files.borrow().clone()))?);
            }
            f.clone().ok_or_else(|| "no fonts".to_string())
        })?;
        let (svg, width, height) = picture_svg(session, graph_height);
        let scale = if scale.is_finite() { scale.clamp(0.1, 2.0) } else { 1.0 };
        rasterize(&svg, width, height, scale, &fonts)
    });
    match drawn {
        Ok(p) => {
            let mut out = Vec::with_capacity(8 + p.png.len());
            out.extend_from_slice(&p.width.to_le_bytes());
            out.extend_from_slice(&p.height.to_le_bytes());
            out.extend_from_slice(&p.png);
            answer(out);
            0
        }
        Err(e) => {
            answer(e.into_bytes());
            1
        }
    }
}

/// Where the last answer is.
#[allow(unsafe_code)]
#[no_mangle]
pub extern "C" fn hv_out_ptr() -> u32 {
    OUT.with(|o| o.borrow().as_ptr() as usize as u32)
}

/// How long the last answer is.
#[allow(unsafe_code)]
#[no_mangle]
pub extern "C" fn hv_out_len() -> u32 {
    OUT.with(|o| o.borrow().len() as u32)
}

/// Drops the open result and the answer (the fonts stay).
#[allow(unsafe_code)]
#[no_mangle]
pub extern "C" fn hv_close() {
    SESSION.with(|s| *s.borrow_mut() = None);
    answer(Vec::new());
    BUFFER.with(|b| *b.borrow_mut() = Vec::new());
}
