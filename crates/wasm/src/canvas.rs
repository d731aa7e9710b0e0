//! The canvas backend: a plotters [`DrawingBackend`] over `CanvasRenderingContext2d`
//! that batches. `plotters-canvas` formats and sets the fill style and issues a separate
//! draw call for every rectangle; a timeline frame of per-pixel density is tens of
//! thousands of rectangles, so that costs more than a frame. Here consecutive opaque
//! rectangles of one colour become one path filled once, consecutive opaque lines of
//! one colour one path stroked once, and style, font and alignment are set only when
//! they change. (A graph's tens of thousands of links are not drawn here at all: the
//! graph view rasterizes them into one bitmap, put on the canvas at once.) Painting order is kept: a batch ends as soon as anything else is drawn.
//! Translucent shapes are drawn one by one (a batched path would paint overlaps once).

use plotters_backend::text_anchor::{HPos, VPos};
use plotters_backend::{
    BackendColor, BackendCoord, BackendStyle, BackendTextStyle, DrawingBackend, DrawingErrorKind, FontTransform,
};
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement};

/// A drawing error (the canvas refused a call).
#[derive(Debug)]
pub struct CanvasError(String);

impl std::fmt::Display for CanvasError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "canvas: {}", self.0)
    }
}

impl std::error::Error for CanvasError {}

fn error(e: JsValue) -> DrawingErrorKind<CanvasError> {
    DrawingErrorKind::DrawingError(CanvasError(e.as_string().unwrap_or_else(|| format!("{e:?}"))))
}

type Rgba = (u8, u8, u8, u8);

fn rgba(c: BackendColor) -> Rgba {
    let (r, g, b) = c.rgb;
    (r, g, b, (c.alpha.clamp(0.0, 1.0) * 255.0).round() as u8)
}

fn css(c: Rgba) -> String {
    if c.3 == 255 {
        format!("rgb({},{},{})", c.0, c.1, c.2)
    } else {
        format!("rgba({},{},{},{})", c.0, c.1, c.2, f64::from(c.3) / 255.0)
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Batch {
    None,
    Rects(Rgba),
    Lines(Rgba),
}

/// A batching canvas backend.
pub struct Canvas {
    canvas: HtmlCanvasElement,
    ctx: CanvasRenderingContext2d,
    batch: Batch,
    /// The open batch: rectangles (x, y, w, h) or lines (x1, y1, x2, y2).
    shapes: Vec<[f64; 4]>,
    fill: Option<Rgba>,
    stroke: Option<Rgba>,
    font: String,
    align: &'static str,
    baseline: &'static str,
}

impl Canvas {
    /// The canvas's 2D context, or `None` when it has none.
    pub fn new(canvas: HtmlCanvasElement) -> Option<Canvas> {
        let ctx: CanvasRenderingContext2d = canvas.get_context("2d").ok()??.dyn_into().ok()?;
        ctx.set_line_width(1.0);
        Some(Canvas {
            canvas,
            ctx,
            batch: Batch::None,
            shapes: Vec::new(),
            fill: None,
            stroke: None,
            font: String::new(),
            align: "",
            baseline: "",
        })
    }

    /// Draws the open batch as one path: one `fill` or `stroke` for all its shapes.
    /// (A `Path2D` built from SVG path data was tried: slower for a timeline frame's
    /// thousands of density rectangles than these calls.)
    fn flush(&mut self) {
        let batch = std::mem::replace(&mut self.batch, Batch::None);
        if self.shapes.is_empty() {
            return;
        }
        let rects = matches!(batch, Batch::Rects(_));
        self.ctx.begin_path();
        for &[a, b, c, d] in &self.shapes {
            if rects {
                self.ctx.rect(a, b, c, d);
            } else {
                self.ctx.move_to(a, b);
                self.ctx.line_to(c, d);
            }
        }
        if rects {
            self.ctx.fill();
        } else {
            self.ctx.stroke();
        }
        self.shapes.clear();
    }

    fn set_fill(&mut self, c: Rgba) {
        if self.fill != Some(c) {
            self.ctx.set_fill_style_str(&css(c));
            self.fill = Some(c);
        }
    }

    fn set_stroke(&mut self, c: Rgba) {
        if self.stroke != Some(c) {
            self.ctx.set_stroke_style_str(&css(c));
            self.stroke = Some(c);
        }
    }

    /// Starts (or continues) a batch of this kind; `false` for translucent colours,
    /// which are drawn on their own.
    fn batch(&mut self, want: Batch) -> bool {
        let (Batch::Rects(c) | Batch::Lines(c)) = want else { return false };
        if c.3 != 255 {
            self.flush();
            return false;
        }
        if self.batch != want {
            self.flush();
            match want {
                Batch::Rects(c) => self.set_fill(c),
                Batch::Lines(c) => self.set_stroke(c),
                Batch::None => {}
            }
            self.batch = want;
        }
        true
    }
}

impl DrawingBackend for Canvas {
    type ErrorType = CanvasError;

    fn get_size(&self) -> (u32, u32) {
        (self.canvas.width(), self.canvas.height())
    }

    fn ensure_prepared(&mut self) -> Result<(), DrawingErrorKind<CanvasError>> {
        Ok(())
    }

    fn present(&mut self) -> Result<(), DrawingErrorKind<CanvasError>> {
        self.flush();
        Ok(())
    }

    fn draw_pixel(&mut self, point: BackendCoord, color: BackendColor) -> Result<(), DrawingErrorKind<CanvasError>> {
        self.draw_rect(point, (point.0 + 1, point.1 + 1), &color, true)
    }

    fn draw_line<S: BackendStyle>(
        &mut self,
        from: BackendCoord,
        to: BackendCoord,
        style: &S,
    ) -> Result<(), DrawingErrorKind<CanvasError>> {
        let c = rgba(style.color());
        if c.3 == 0 {
            return Ok(());
        }
        // Horizontal and vertical lines on half pixels, so a 1-px line is crisp.
        let (mut a, mut b) = ((f64::from(from.0), f64::from(from.1)), (f64::from(to.0), f64::from(to.1)));
        if from.0 == to.0 {
            a.0 -= 0.5;
            b.0 -= 0.5;
        }
        if from.1 == to.1 {
            a.1 -= 0.5;
            b.1 -= 0.5;
        }
        if self.batch(Batch::Lines(c)) {
            self.shapes.push([a.0, a.1, b.0, b.1]);
        } else {
            self.set_stroke(c);
            self.ctx.begin_path();
            self.ctx.move_to(a.0, a.1);
            self.ctx.line_to(b.0, b.1);
            self.ctx.stroke();
        }
        Ok(())
    }

    fn draw_rect<S: BackendStyle>(
        &mut self,
        upper_left: BackendCoord,
        bottom_right: BackendCoord,
        style: &S,
        fill: bool,
    ) -> Result<(), DrawingErrorKind<CanvasError>> {
        let c = rgba(style.color());
        if c.3 == 0 {
            return Ok(());
        }
        let (x, y) = (f64::from(upper_left.0), f64::from(upper_left.1));
        let (w, h) = (f64::from(bottom_right.0 - upper_left.0), f64::from(bottom_right.1 - upper_left.1));
        if !fill {
            self.flush();
            self.set_stroke(c);
            self.ctx.stroke_rect(x, y, w, h);
        } else if self.batch(Batch::Rects(c)) {
            self.shapes.push([x, y, w, h]);
        } else {
            self.set_fill(c);
            self.ctx.fill_rect(x, y, w, h);
        }
        Ok(())
    }

    fn blit_bitmap(
        &mut self,
        pos: BackendCoord,
        (w, h): (u32, u32),
        src: &[u8],
    ) -> Result<(), DrawingErrorKind<CanvasError>> {
        self.flush();
        let mut rgba = Vec::with_capacity(src.len() / 3 * 4);
        for p in src.chunks_exact(3) {
            rgba.extend_from_slice(p);
            rgba.push(255);
        }
        let image =
            web_sys::ImageData::new_with_u8_clamped_array_and_sh(wasm_bindgen::Clamped(&rgba), w, h).map_err(error)?;
        self.ctx.put_image_data(&image, f64::from(pos.0), f64::from(pos.1)).map_err(error)
    }

    fn draw_text<S: BackendTextStyle>(
        &mut self,
        text: &str,
        style: &S,
        pos: BackendCoord,
    ) -> Result<(), DrawingErrorKind<CanvasError>> {
        let c = rgba(style.color());
        if c.3 == 0 || !matches!(style.transform(), FontTransform::None) {
            return Ok(());
        }
        self.flush();
        self.set_fill(c);
        let baseline = match style.anchor().v_pos {
            VPos::Top => "top",
            VPos::Center => "middle",
            VPos::Bottom => "bottom",
        };
        if self.baseline != baseline {
            self.ctx.set_text_baseline(baseline);
            self.baseline = baseline;
        }
        let align = match style.anchor().h_pos {
            HPos::Left => "start",
            HPos::Right => "end",
            HPos::Center => "center",
        };
        if self.align != align {
            self.ctx.set_text_align(align);
            self.align = align;
        }
        let font = format!("{} {}px {}", style.style().as_str(), style.size(), style.family().as_str());
        if self.font != font {
            self.ctx.set_font(&font);
            self.font = font;
        }
        self.ctx.fill_text(text, f64::from(pos.0), f64::from(pos.1)).map_err(error)
    }
}
