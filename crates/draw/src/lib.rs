//! huntviz scenes and their drawing.
//!
//! A view builds a [`Scene`] (filled rectangles, lines, text) in CSS pixels; [`render`]
//! draws it on any plotters [`DrawingBackend`] — the HTML canvas in the browser, SVG on
//! the host for golden tests, exports and the CLI. [`text`] turns hostile data into
//! text that is safe and honest to show (visible control characters, no bidi tricks,
//! elision by display width).

#[cfg(any(test, feature = "testing"))]
pub mod testing;
pub mod text;
mod theme;
pub mod view;

pub use theme::{Color, Theme};

/// Categorical colours (Tableau 10), readable on light and dark backgrounds.
pub const PALETTE: [Color; 10] = [
    Color::rgb(0x4e, 0x79, 0xa7),
    Color::rgb(0xf2, 0x8e, 0x2b),
    Color::rgb(0xe1, 0x57, 0x59),
    Color::rgb(0x76, 0xb7, 0xb2),
    Color::rgb(0x59, 0xa1, 0x4f),
    Color::rgb(0xed, 0xc9, 0x48),
    Color::rgb(0xb0, 0x7a, 0xa1),
    Color::rgb(0xff, 0x9d, 0xa7),
    Color::rgb(0x9c, 0x75, 0x5f),
    Color::rgb(0xba, 0xb0, 0xac),
];
/// The colour of everything past the palette ("other").
pub const OTHER: Color = Color::rgb(0x9e, 0x9e, 0x9e);
/// Marks highlighted and searched items.
pub const HIGHLIGHT: Color = Color::rgb(0xd3, 0x2f, 0x2f);
/// Marks what rests on weaker evidence (a process tree's weak parent links); amber,
/// apart from the palette's reds and the highlight.
pub const WEAK: Color = Color::rgb(0xc7, 0x7c, 0x02);

use plotters_backend::text_anchor::{HPos, Pos, VPos};
use plotters_backend::{
    BackendColor, BackendCoord, BackendStyle, BackendTextStyle, DrawingBackend, DrawingErrorKind, FontFamily,
    FontStyle, FontTransform,
};

/// Which font a text item uses; the families come from the [`Theme`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Face {
    /// Monospace, regular.
    Mono,
    /// Monospace, bold.
    MonoBold,
    /// Monospace, italic.
    MonoItalic,
}

/// Horizontal alignment of a text item relative to its `x`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Align {
    /// `x` is the left edge.
    Left,
    /// `x` is the centre.
    Center,
    /// `x` is the right edge.
    Right,
}

/// One drawing primitive, in CSS pixels.
#[derive(Debug, Clone, PartialEq)]
pub enum Item {
    /// A filled rectangle.
    Fill {
        /// Left.
        x: f32,
        /// Top.
        y: f32,
        /// Width.
        w: f32,
        /// Height.
        h: f32,
        /// Fill colour.
        color: Color,
    },
    /// A straight line.
    Line {
        /// Start x.
        x1: f32,
        /// Start y.
        y1: f32,
        /// End x.
        x2: f32,
        /// End y.
        y2: f32,
        /// Stroke colour.
        color: Color,
    },
    /// An opaque RGB picture of `w` × `h` device pixels with its top-left corner at
    /// (x, y) CSS px — for layers cheaper to rasterize in wasm than to describe (a
    /// graph's 50,000 links). Backends without bitmaps get it pixel by pixel, so views
    /// use it only for the canvas, never for SVG.
    Bitmap {
        /// Left.
        x: f32,
        /// Top.
        y: f32,
        /// Width in device pixels.
        w: u32,
        /// Height in device pixels.
        h: u32,
        /// `w * h * 3` bytes, rows top to bottom.
        rgb: Vec<u8>,
    },
    /// A line of text, vertically centred on `y`.
    Text {
        /// Anchor x.
        x: f32,
        /// Vertical centre.
        y: f32,
        /// The text, already made visible and elided by the view.
        text: String,
        /// Font.
        face: Face,
        /// Size in CSS pixels.
        size: f32,
        /// Colour.
        color: Color,
        /// Alignment.
        align: Align,
    },
}

/// What a view draws for one frame.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Scene {
    /// Width in CSS pixels.
    pub width: f32,
    /// Height in CSS pixels.
    pub height: f32,
    /// Items in painting order.
    pub items: Vec<Item>,
}

impl Scene {
    /// An empty scene of this size.
    pub fn new(width: f32, height: f32) -> Self {
        Scene { width, height, items: Vec::new() }
    }

    /// Adds a filled rectangle.
    pub fn fill(&mut self, x: f32, y: f32, w: f32, h: f32, color: Color) {
        if w > 0.0 && h > 0.0 && color.a > 0 {
            self.items.push(Item::Fill { x, y, w, h, color });
        }
    }

    /// Adds a line.
    pub fn line(&mut self, x1: f32, y1: f32, x2: f32, y2: f32, color: Color) {
        self.items.push(Item::Line { x1, y1, x2, y2, color });
    }

    /// Adds a dashed line: `on` pixels drawn, `off` skipped, from the first point (a
    /// dot pattern with a small `on`). Each dash is a line item, so every backend draws it.
    #[allow(clippy::too_many_arguments)]
    pub fn dashed(&mut self, x1: f32, y1: f32, x2: f32, y2: f32, color: Color, on: f32, off: f32) {
        let (dx, dy) = (x2 - x1, y2 - y1);
        let len = (dx * dx + dy * dy).sqrt();
        let period = on.max(0.5) + off.max(0.5);
        if !len.is_finite() || len <= 0.0 || !period.is_finite() {
            return;
        }
        let (ux, uy) = (dx / len, dy / len);
        // Bounded: a line longer than 20,000 periods is drawn solid.
        if len / period > 20_000.0 {
            self.line(x1, y1, x2, y2, color);
            return;
        }
        let mut t = 0.0;
        while t < len {
            let e = (t + on.max(0.5)).min(len);
            self.line(x1 + ux * t, y1 + uy * t, x1 + ux * e, y1 + uy * e, color);
            t += period;
        }
    }

    /// Adds a text item.
    #[allow(clippy::too_many_arguments)]
    pub fn text(&mut self, x: f32, y: f32, text: String, face: Face, size: f32, color: Color, align: Align) {
        // Every text a view draws — cells, column names, titles, legend labels — passes
        // the same rule: nothing hidden reaches the canvas, and the SVG stays valid XML.
        let text = if text::has_hidden(&text) { text::visible(&text, usize::MAX).0 } else { text };
        if !text.is_empty() {
            self.items.push(Item::Text { x, y, text, face, size, color, align });
        }
    }

    /// Every text item's text, in painting order (for tests and accessibility checks).
    pub fn texts(&self) -> impl Iterator<Item = &str> {
        self.items.iter().filter_map(|i| match i {
            Item::Text { text, .. } => Some(text.as_str()),
            _ => None,
        })
    }
}

struct Style {
    color: BackendColor,
}

impl BackendStyle for Style {
    fn color(&self) -> BackendColor {
        self.color
    }
    fn stroke_width(&self) -> u32 {
        1
    }
}

struct TextStyle<'a> {
    color: BackendColor,
    size: f64,
    family: &'a str,
    style: FontStyle,
    anchor: Pos,
}

/// Error type of [`TextStyle`]: layout is never asked of it, drawing is the backend's.
#[derive(Debug)]
pub struct NoLayout;

impl std::fmt::Display for NoLayout {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("text layout is done by the backend")
    }
}

impl std::error::Error for NoLayout {}

impl BackendTextStyle for TextStyle<'_> {
    type FontError = NoLayout;

    fn color(&self) -> BackendColor {
        self.color
    }
    fn size(&self) -> f64 {
        self.size
    }
    fn transform(&self) -> FontTransform {
        FontTransform::None
    }
    fn style(&self) -> FontStyle {
        self.style
    }
    fn anchor(&self) -> Pos {
        self.anchor
    }
    fn family(&self) -> FontFamily<'_> {
        FontFamily::Name(self.family)
    }
    fn layout_box(&self, _text: &str) -> Result<((i32, i32), (i32, i32)), NoLayout> {
        Err(NoLayout)
    }
    fn draw<E, F: FnMut(i32, i32, BackendColor) -> Result<(), E>>(
        &self,
        _text: &str,
        _pos: BackendCoord,
        _draw: F,
    ) -> Result<Result<(), E>, NoLayout> {
        Err(NoLayout)
    }
}

fn backend_color(c: Color) -> BackendColor {
    BackendColor { alpha: f64::from(c.a) / 255.0, rgb: (c.r, c.g, c.b) }
}

/// How a backend wants sizes: `scale` multiplies every coordinate (device pixel
/// ratio for canvas), `font_scale` multiplies font sizes on top (plotters' SVG backend
/// divides sizes by 1.24).
#[derive(Debug, Clone, Copy)]
pub struct Target {
    /// Coordinate scale.
    pub scale: f32,
    /// Extra font-size factor.
    pub font_scale: f32,
}

impl Target {
    /// A canvas with this device pixel ratio.
    pub fn canvas(device_pixel_ratio: f32) -> Self {
        Target { scale: device_pixel_ratio.max(0.25), font_scale: 1.0 }
    }

    /// plotters' SVG backend.
    pub fn svg() -> Self {
        Target { scale: 1.0, font_scale: 1.24 }
    }
}

/// Draws `scene` on `backend`.
pub fn render<B: DrawingBackend>(
    scene: &Scene,
    theme: &Theme,
    backend: &mut B,
    target: Target,
) -> Result<(), DrawingErrorKind<B::ErrorType>> {
    let s = target.scale;
    let px = |v: f32| (v * s).round() as i32;
    backend.ensure_prepared()?;
    for item in &scene.items {
        match item {
            Item::Fill { x, y, w, h, color } => {
                let style = Style { color: backend_color(*color) };
                backend.draw_rect((px(*x), px(*y)), (px(x + w), px(y + h)), &style, true)?;
            }
            Item::Line { x1, y1, x2, y2, color } => {
                let style = Style { color: backend_color(*color) };
                backend.draw_line((px(*x1), px(*y1)), (px(*x2), px(*y2)), &style)?;
            }
            Item::Bitmap { x, y, w, h, rgb } => {
                if rgb.len() == (*w as usize) * (*h as usize) * 3 {
                    backend.blit_bitmap((px(*x), px(*y)), (*w, *h), rgb)?;
                }
            }
            Item::Text { x, y, text, face, size, color, align } => {
                let style = TextStyle {
                    color: backend_color(*color),
                    size: f64::from(size * s * target.font_scale),
                    family: &theme.mono_family,
                    style: match face {
                        Face::Mono => FontStyle::Normal,
                        Face::MonoBold => FontStyle::Bold,
                        Face::MonoItalic => FontStyle::Italic,
                    },
                    anchor: Pos::new(
                        match align {
                            Align::Left => HPos::Left,
                            Align::Center => HPos::Center,
                            Align::Right => HPos::Right,
                        },
                        VPos::Center,
                    ),
                };
                backend.draw_text(text, &style, (px(*x), px(*y)))?;
            }
        }
    }
    backend.present()
}

/// The scene as a standalone SVG document (golden tests, export, CLI). Text is escaped
/// by the backend; the document holds only `svg`, `rect`, `line` and `text` elements.
pub fn to_svg(scene: &Scene, theme: &Theme) -> String {
    let mut out = String::new();
    {
        let size = (scene.width.max(1.0).round() as u32, scene.height.max(1.0).round() as u32);
        let mut backend = plotters_svg::SVGBackend::with_string(&mut out, size);
        // Writing to a String cannot fail.
        let _ = render(scene, theme, &mut backend, Target::svg());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn svg_escapes_text_and_holds_only_safe_elements() {
        let mut scene = Scene::new(200.0, 40.0);
        scene.fill(0.0, 0.0, 200.0, 40.0, Color::rgb(255, 255, 255));
        scene.text(
            4.0,
            20.0,
            "</text><script>alert(1)</script><foreignObject>".into(),
            Face::Mono,
            12.0,
            Color::rgb(0, 0, 0),
            Align::Left,
        );
        let svg = to_svg(&scene, &Theme::light());
        assert!(!svg.contains("<script"), "{svg}");
        assert!(!svg.contains("<foreignObject"), "{svg}");
        assert!(svg.contains("&lt;/text&gt;&lt;script&gt;"), "{svg}");
        let mut tags: Vec<&str> = svg
            .split('<')
            .skip(1)
            .map(|t| t.split(|c: char| c.is_whitespace() || c == '>' || c == '/').next().unwrap_or(""))
            .filter(|t| !t.is_empty())
            .collect();
        tags.sort_unstable();
        tags.dedup();
        assert!(tags.iter().all(|t| ["svg", "rect", "line", "text", "polyline"].contains(t)), "{tags:?}");
    }

    #[test]
    fn every_text_is_shown_as_it_is_and_the_svg_stays_valid_xml() {
        let mut scene = Scene::new(200.0, 40.0);
        // A column name with a terminal escape, a bell, a bidi override and noncharacters.
        let name = "Account\u{1b}]0;pwned\u{7}\u{202e}eman\u{fffe}\u{ffff}\u{0}".to_string();
        scene.text(4.0, 20.0, name, Face::Mono, 12.0, Color::rgb(0, 0, 0), Align::Left);
        assert_eq!(
            scene.texts().collect::<Vec<_>>(),
            ["Account⟨U+001B⟩]0;pwned⟨U+0007⟩⟨U+202E⟩eman⟨U+FFFE⟩⟨U+FFFF⟩⟨U+0000⟩"]
        );
        let svg = to_svg(&scene, &Theme::light());
        // XML 1.0 allows no C0 control but tab, LF and CR, and no U+FFFE / U+FFFF.
        assert!(
            svg.chars().all(
                |c| !matches!(c, '\u{0}'..='\u{8}' | '\u{b}' | '\u{c}' | '\u{e}'..='\u{1f}' | '\u{fffe}' | '\u{ffff}')
            ),
            "{svg}"
        );
    }
}
