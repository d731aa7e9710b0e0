//! The interactive timeline: lanes on a zoomable time axis, an overview strip with a
//! draggable window, exact per-pixel density when a lane holds more events than
//! pixels and individual marks (points, spans or values) once zoomed in, hover
//! tooltips, selection, search, a legend whose series hide and show, reference lines.
//! Only what is in the visible range is looked at: every lane's events are sorted by
//! time, so a frame costs binary searches, not a pass over a million events.

use huntviz_draw::text::{elide, thousands, visible};
pub use huntviz_draw::view::Detail;
use huntviz_draw::view::{LegendItem, Response, Tooltip, ViewError, VisibleRow, VisibleText, Warning};
use huntviz_draw::{Align, Face, Scene, Theme, HIGHLIGHT};
use huntviz_table::search::{matcher, MatchCursor};
use huntviz_table::{format_real, format_timespan};

use crate::build::{Events, Mode, Model, ValueKind};
use crate::density::{bin, boundary, column_of};
use crate::ticks::{axis, Zone};

/// Padding inside cells.
const PAD: f32 = 6.0;
/// Right margin of the plot.
const RIGHT: f32 = 10.0;
/// Gap between the lanes and the overview strip.
const GAP: f32 = 6.0;
/// Height of the values plot.
const VALUES_HEIGHT: f32 = 260.0;
/// Pointer radius for hit tests, in pixels.
const HIT_PX: f32 = 5.0;
/// Narrowest visible range: 1 µs.
const MIN_SPAN: i64 = 10;
/// Characters of a value in a tooltip.
const TIP_CHARS: usize = 120;
/// Characters of a value in the detail record.
const DETAIL_CHARS: usize = 20_000;

#[derive(Debug, Clone, Copy, PartialEq)]
enum Drag {
    None,
    /// Panning the plot: pointer x and range at the start.
    Pan {
        x: f32,
        y: f32,
        range: (i64, i64),
        scroll: f32,
        moved: bool,
    },
    /// Box zoom from x.
    Box {
        x: f32,
        to: f32,
    },
    /// Brushing a time range from x (Ctrl+drag): the events in it are selected.
    Brush {
        x: f32,
        to: f32,
    },
    /// Moving the overview window: grab offset from the window's start, in ticks.
    Window {
        grab: i128,
    },
    /// Moving one edge of the overview window.
    Edge {
        left: bool,
    },
}

struct Metrics {
    font: f32,
    char_width: f32,
    lane: f32,
    axis: f32,
    overview: f32,
    label: f32,
}

/// The timeline view.
pub struct TimelineView {
    model: Model,
    zone: Zone,
    hidden: Vec<bool>,
    full: (i64, i64),
    range: (i64, i64),
    viewport: (f32, f32),
    scroll_y: f32,
    metrics: Metrics,
    drag: Drag,
    selected: Option<u32>,
    /// Events selected beside `selected` (Ctrl+click), ascending.
    also: Vec<u32>,
    /// A brushed time range (Ctrl+drag): its events (visible series) are selected too.
    brush: Option<(i64, i64)>,
    matched: Vec<bool>,
    matches: MatchCursor,
    match_times: Vec<Vec<i64>>,
    /// "Matches only": every event (the model holds the matches only).
    unfiltered: Option<Unfiltered>,
    matches_only: bool,
    overview_counts: Vec<u32>,
    value_range: (f64, f64),
}

/// Every event while "matches only" shows a part of them.
struct Unfiltered {
    events: Events,
    /// The index among `events` of each event shown (ascending).
    index: Vec<u32>,
    /// The selection the filter hid (indices among `events`), and the shown part of it
    /// as it was: when the reader did not select anything else meanwhile, turning the
    /// filter off selects the hidden events again.
    hidden: (Option<u32>, Vec<u32>),
    shown: (Option<u32>, Vec<u32>),
}

/// `b - a` without overflow (times span the whole 64-bit range).
fn span(a: i64, b: i64) -> i128 {
    i128::from(b) - i128::from(a)
}

/// An `i128` time back in `i64`, saturating at the ends.
fn to_tick(t: i128) -> i64 {
    t.clamp(i128::from(i64::MIN), i128::from(i64::MAX)) as i64
}

fn lerp_x(left: f32, width: f32, range: (i64, i64), t: i64) -> f32 {
    let full = span(range.0, range.1).max(1) as f64;
    left + (span(range.0, t) as f64 / full * f64::from(width)) as f32
}

impl TimelineView {
    /// A view of `model`, showing everything.
    pub fn new(model: Model, theme: &Theme) -> Self {
        let (a, b) = model.extent;
        let pad = (span(a, b) / 30).max(if b == a { 60 * 10_000_000 } else { 1 });
        let full = (to_tick(i128::from(a) - pad), to_tick(i128::from(b) + pad));
        let longest = model.lanes.iter().map(|l| l.label.chars().count()).max().unwrap_or(6).clamp(10, 32);
        let mut view = TimelineView {
            hidden: vec![false; model.series.len()],
            match_times: vec![Vec::new(); model.lanes.len()],
            matched: Vec::new(),
            model,
            zone: Zone::default(),
            full,
            range: full,
            viewport: (0.0, 0.0),
            scroll_y: 0.0,
            metrics: Metrics { font: 13.0, char_width: 7.8, lane: 26.0, axis: 30.0, overview: 48.0, label: 0.0 },
            drag: Drag::None,
            selected: None,
            also: Vec::new(),
            brush: None,
            matches: MatchCursor::default(),
            unfiltered: None,
            matches_only: false,
            overview_counts: Vec::new(),
            value_range: (0.0, 1.0),
        };
        view.metrics.label = longest as f32;
        view.set_theme(theme);
        view.update_values();
        view
    }

    /// The events.
    pub fn model(&self) -> &Model {
        &self.model
    }

    // ----- status and text -----

    /// `Timeline · 1,000,000 events · 100 lanes · 2024-05-06 00:00 – 23:59 UTC`.
    pub fn status_line(&self, warnings: usize) -> String {
        let m = &self.model;
        // Every event and lane, also while "matches only" shows a part.
        let (total, lanes) =
            self.unfiltered.as_ref().map_or((m.len(), m.lanes.len()), |u| (u.events.time.len(), u.events.lanes.len()));
        let plural = |n: usize, one: &str, many: &str| format!("{} {}", thousands(n), if n == 1 { one } else { many });
        let (a, b) = m.extent;
        let start = self.zone.minute_text(a);
        let end = self.zone.minute_text(b);
        let end = if end.get(..10) == start.get(..10) { end.get(11..).unwrap_or_default().to_string() } else { end };
        let zone = if self.zone.offset_minutes == 0 && self.zone.name == "UTC" { "UTC" } else { "local" };
        let what = match m.mode {
            Mode::Values(_) => {
                format!("{} · {}", plural(total, "value", "values"), plural(m.series.len(), "series", "series"))
            }
            Mode::Durations => {
                format!("{} · {}", plural(total, "span", "spans"), plural(lanes, "lane", "lanes"))
            }
            Mode::Events => {
                format!("{} · {}", plural(total, "event", "events"), plural(lanes, "lane", "lanes"))
            }
        };
        let mut line = format!("Timeline · {what} · {start} – {end} {zone}");
        if !m.markers.is_empty() {
            line.push_str(" · ");
            line.push_str(&plural(m.markers.len(), "marker", "markers"));
        }
        if self.unfiltered.is_some() {
            let what = match m.mode {
                Mode::Values(_) => "values",
                Mode::Durations => "spans",
                Mode::Events => "events",
            };
            line.push_str(&format!(" · matches only: {} of {} {what}", thousands(m.len()), thousands(total)));
        }
        if self.brush.is_some() || !self.also.is_empty() {
            line.push_str(" · ");
            line.push_str(&thousands(self.selected_events().len()));
            line.push_str(" selected");
        }
        if warnings > 0 {
            line.push_str(" · ");
            line.push_str(&plural(warnings, "warning", "warnings"));
        }
        line
    }

    /// The visible range (UTC ticks).
    pub fn range(&self) -> (i64, i64) {
        self.range
    }

    /// The visible range as text in the current zone, every digit the zoom needs.
    pub fn range_text(&self) -> String {
        let (a, b) = self.range;
        let digits = match span(a, b) {
            s if s > i128::from(10 * crate::ticks::MIN) => 16,
            s if s > i128::from(10 * crate::ticks::SEC) => 19,
            s if s > i128::from(10 * crate::ticks::MS) => 23,
            _ => 27,
        };
        let cut = |t: i64| {
            let s = self.zone.full_text(t);
            s.get(..digits).unwrap_or(&s).to_string()
        };
        format!("{} – {} {}", cut(a), cut(b), self.zone.name)
    }

    /// The zone times are shown in.
    pub fn zone(&self) -> &Zone {
        &self.zone
    }

    /// Shows times in `zone` (UTC or the browser's local offset).
    pub fn set_zone(&mut self, zone: Zone) -> Response {
        self.zone = zone;
        Response::redraw()
    }

    /// The legend.
    pub fn legend(&self) -> Vec<LegendItem> {
        self.model
            .series
            .iter()
            .zip(&self.hidden)
            .map(|(s, &hidden)| LegendItem { label: s.label.clone(), color: s.color.to_hex(), count: s.count, hidden })
            .collect()
    }

    /// Hides or shows series `index`.
    pub fn toggle_series(&mut self, index: usize) -> Response {
        if let Some(h) = self.hidden.get_mut(index) {
            *h = !*h;
            self.update_overview();
            self.update_values();
            return Response::redraw();
        }
        Response::default()
    }

    /// The column the lanes are by, and the one the colours are by.
    pub fn grouping(&self) -> (Option<String>, Option<String>) {
        (self.model.group_by.clone(), self.model.color_by.clone())
    }

    // ----- geometry -----

    /// New colours and fonts.
    pub fn set_theme(&mut self, theme: &Theme) {
        let font = theme.font_size.clamp(6.0, 40.0);
        let cw = theme.char_width.clamp(2.0, 40.0);
        let chars = self.metrics.label;
        self.metrics = Metrics {
            font,
            char_width: cw,
            lane: (font * 2.0).round(),
            axis: (font * 2.4).round(),
            overview: (font * 3.6).round(),
            label: chars,
        };
    }

    fn label_width(&self) -> f32 {
        (self.metrics.label * self.metrics.char_width + 2.0 * PAD).min(self.viewport.0 * 0.35).max(40.0)
    }

    /// Left, top, width, height of the plot (lanes or values).
    fn plot(&self) -> (f32, f32, f32, f32) {
        let x = self.label_width();
        let y = self.metrics.axis;
        let w = (self.viewport.0 - x - RIGHT).max(10.0);
        let h = (self.viewport.1 - y - GAP - self.metrics.overview).max(self.metrics.lane);
        (x, y, w, h)
    }

    fn overview_rect(&self) -> (f32, f32, f32, f32) {
        let (x, _, w, _) = self.plot();
        let h = self.metrics.overview - 4.0;
        (x, (self.viewport.1 - self.metrics.overview).max(self.metrics.axis + self.metrics.lane + GAP), w, h)
    }

    fn body_height(&self) -> f32 {
        match self.model.mode {
            Mode::Values(_) => VALUES_HEIGHT,
            _ => self.model.lanes.len() as f32 * self.metrics.lane,
        }
    }

    /// `[width, height]` of the whole view: the lanes scroll, axis and overview stay.
    pub fn content_size(&self) -> (f32, f32) {
        (self.viewport.0.max(1.0), self.metrics.axis + self.body_height() + GAP + self.metrics.overview)
    }

    /// Sets the visible size.
    pub fn set_viewport(&mut self, w: f32, h: f32) {
        self.viewport = (w.max(0.0), h.max(0.0));
        self.clamp_scroll();
        self.update_overview();
    }

    /// Sets the vertical scroll (content px); there is no horizontal scroll.
    pub fn set_scroll(&mut self, _x: f32, y: f32) {
        self.scroll_y = y;
        self.clamp_scroll();
    }

    /// The scroll position.
    pub fn scroll(&self) -> (f32, f32) {
        (0.0, self.scroll_y)
    }

    fn clamp_scroll(&mut self) {
        let max = (self.content_size().1 - self.viewport.1).max(0.0);
        self.scroll_y = if self.scroll_y.is_finite() { self.scroll_y.clamp(0.0, max) } else { 0.0 };
    }

    fn x_of(&self, t: i64) -> f32 {
        let (x, _, w, _) = self.plot();
        lerp_x(x, w, self.range, t)
    }

    fn t_of(&self, px: f32) -> i64 {
        let (x, _, w, _) = self.plot();
        let t =
            self.range.0 as f64 + f64::from(px - x) / f64::from(w.max(1.0)) * span(self.range.0, self.range.1) as f64;
        t.clamp(i64::MIN as f64, i64::MAX as f64) as i64
    }

    fn columns(&self) -> usize {
        self.plot().2.floor().max(1.0) as usize
    }

    fn lane_top(&self, lane: usize) -> f32 {
        self.plot().1 + lane as f32 * self.metrics.lane - self.scroll_y
    }

    fn visible_lanes(&self) -> std::ops::Range<usize> {
        if matches!(self.model.mode, Mode::Values(_)) {
            return 0..0;
        }
        let (_, _, _, h) = self.plot();
        let first = (self.scroll_y / self.metrics.lane).floor().max(0.0) as usize;
        let last = ((self.scroll_y + h) / self.metrics.lane).ceil() as usize;
        first.min(self.model.lanes.len())..last.min(self.model.lanes.len())
    }

    fn lane_at(&self, y: f32) -> Option<usize> {
        let (_, top, _, h) = self.plot();
        if y < top || y >= top + h {
            return None;
        }
        let i = ((y - top + self.scroll_y) / self.metrics.lane).floor();
        (i >= 0.0 && (i as usize) < self.model.lanes.len()).then_some(i as usize)
    }

    // ----- range -----

    /// Sets the visible range, clamped to the data (with its padding) and to 1 µs.
    pub fn set_range(&mut self, a: i64, b: i64) -> Response {
        self.set_range_wide(i128::from(a), i128::from(b))
    }

    /// [`TimelineView::set_range`] in 128 bits: the data may span the whole 64-bit
    /// range, so ranges are moved and centred without overflow.
    fn set_range_wide(&mut self, a: i128, b: i128) -> Response {
        let (fa, fb) = (i128::from(self.full.0), i128::from(self.full.1));
        let (mut a, mut b) = if a <= b { (a, b) } else { (b, a) };
        let min = i128::from(MIN_SPAN);
        if b - a < min {
            let mid = (a + b) / 2;
            a = mid - min / 2;
            b = a + min;
        }
        if b - a >= fb - fa {
            (a, b) = (fa, fb);
        } else if a < fa {
            (a, b) = (fa, fa + (b - a));
        } else if b > fb {
            (a, b) = (fb - (b - a), fb);
        }
        let (a, b) = (to_tick(a), to_tick(b));
        if (a, b) == self.range {
            return Response::default();
        }
        self.range = (a, b);
        self.update_values();
        Response::redraw()
    }

    /// Zooms by `factor` (< 1 zooms in) keeping the instant at `px` in place.
    pub fn zoom_at(&mut self, px: f32, factor: f64) -> Response {
        let (a, b) = self.range;
        let at = self.t_of(px) as f64;
        let factor = factor.clamp(0.01, 100.0);
        let na = at - (at - a as f64) * factor;
        let nb = at + (b as f64 - at) * factor;
        self.set_range(na as i64, nb as i64)
    }

    /// Moves the range by `dx` pixels.
    pub fn pan_px(&mut self, dx: f32) -> Response {
        let (a, b) = self.range;
        let dt = (f64::from(dx) / f64::from(self.plot().2.max(1.0)) * span(a, b) as f64) as i128;
        self.set_range_wide(i128::from(a) + dt, i128::from(b) + dt)
    }

    /// Zooms by `factor` around the centre of the range (< 1 zooms in); 0 shows
    /// everything.
    pub fn zoom(&mut self, factor: f64) -> Response {
        if factor == 0.0 {
            return self.reset();
        }
        let (a, b) = self.range;
        let mid = i128::from(a / 2 + b / 2);
        let half = (span(a, b) as f64 * factor / 2.0) as i128;
        self.set_range_wide(mid - half, mid + half)
    }

    /// The centre of the visible range in milliseconds since the epoch (to ask the
    /// browser for the local offset there).
    pub fn range_center_ms(&self) -> f64 {
        let (a, b) = self.range;
        (a / 2 + b / 2) as f64 / 10_000.0
    }

    /// Shows everything.
    pub fn reset(&mut self) -> Response {
        self.set_range(self.full.0, self.full.1)
    }

    // ----- caches -----

    fn series_visible(&self, s: u16) -> bool {
        !self.hidden.get(s as usize).copied().unwrap_or(false)
    }

    fn update_overview(&mut self) {
        let cols = self.columns();
        let mut counts = vec![0u32; cols];
        for g in &self.model.groups {
            if self.series_visible(g.series) {
                bin(&self.model.time[g.start as usize..g.end as usize], self.full.0, self.full.1, &mut counts);
            }
        }
        self.overview_counts = counts;
    }

    fn update_values(&mut self) {
        if !matches!(self.model.mode, Mode::Values(_)) {
            return;
        }
        let (mut lo, mut hi) = (0.0f64, f64::NEG_INFINITY);
        for g in &self.model.groups {
            if !self.series_visible(g.series) {
                continue;
            }
            let times = &self.model.time[g.start as usize..g.end as usize];
            let a = times.partition_point(|&t| t < self.range.0);
            let b = times.partition_point(|&t| t <= self.range.1);
            for v in &self.model.value[g.start as usize + a..g.start as usize + b] {
                lo = lo.min(*v);
                hi = hi.max(*v);
            }
        }
        if !hi.is_finite() {
            hi = 1.0;
        }
        if hi <= lo {
            hi = lo + 1.0;
        }
        self.value_range = (lo, hi + (hi - lo) * 0.05);
    }

    // ----- what is where -----

    /// Events of a group with start in `[a, b]`, or (durations) overlapping it.
    fn group_range(&self, g: &crate::build::Group, a: i64, b: i64) -> std::ops::Range<usize> {
        let times = &self.model.time[g.start as usize..g.end as usize];
        let from = times.partition_point(|&t| t < a.saturating_sub(g.max_duration));
        let to = times.partition_point(|&t| t <= b);
        g.start as usize + from..g.start as usize + to.max(from)
    }

    fn end_of(&self, e: usize) -> i64 {
        self.model.end.get(e).copied().unwrap_or_else(|| self.model.time[e])
    }

    /// Events in view in a lane (visible series): count, first, last.
    fn lane_in_view(&self, lane: usize) -> (usize, Option<i64>, Option<i64>) {
        let (mut n, mut first, mut last) = (0, None::<i64>, None::<i64>);
        let Some(&(ga, gb)) = self.model.lane_groups.get(lane) else { return (0, None, None) };
        for g in &self.model.groups[ga as usize..gb as usize] {
            if !self.series_visible(g.series) {
                continue;
            }
            let r = self.group_range(g, self.range.0, self.range.1);
            for e in r.clone() {
                if self.end_of(e) >= self.range.0 {
                    n += 1;
                    let t = self.model.time[e].max(self.range.0);
                    first = Some(first.map_or(t, |f| f.min(t)));
                    last = Some(last.map_or(t, |l| l.max(t)));
                    if n > 4096 {
                        break;
                    }
                }
            }
            if n > 4096 {
                // Dense lane: count exactly by binary search, first/last from the ends.
                n = self.lane_count_exact(lane);
                break;
            }
        }
        (n, first, last)
    }

    fn lane_count_exact(&self, lane: usize) -> usize {
        let Some(&(ga, gb)) = self.model.lane_groups.get(lane) else { return 0 };
        self.model.groups[ga as usize..gb as usize]
            .iter()
            .filter(|g| self.series_visible(g.series))
            .map(|g| {
                let t = &self.model.time[g.start as usize..g.end as usize];
                crate::density::count(t, self.range.0, self.range.1.saturating_add(1))
            })
            .sum()
    }

    /// Per pixel column of a lane: event count and the series with most events.
    pub fn lane_density(&self, lane: usize, cols: usize) -> (Vec<u32>, Vec<u16>) {
        let mut total = vec![0u32; cols];
        let mut best = vec![(0u32, u16::MAX); cols];
        let mut tmp = vec![0u32; cols];
        let Some(&(ga, gb)) = self.model.lane_groups.get(lane) else { return (total, vec![u16::MAX; cols]) };
        for g in &self.model.groups[ga as usize..gb as usize] {
            if !self.series_visible(g.series) {
                continue;
            }
            tmp.iter_mut().for_each(|c| *c = 0);
            bin(&self.model.time[g.start as usize..g.end as usize], self.range.0, self.range.1, &mut tmp);
            for ((t, b), &c) in total.iter_mut().zip(best.iter_mut()).zip(&tmp) {
                *t += c;
                if c > b.0 {
                    *b = (c, g.series);
                }
            }
        }
        (total, best.into_iter().map(|b| b.1).collect())
    }

    /// The event nearest to (x, y) within a few pixels.
    fn event_at(&self, x: f32, y: f32) -> Option<usize> {
        let (px, top, w, h) = self.plot();
        if x < px || x > px + w || y < top || y >= top + h {
            return None;
        }
        let (a, b) = (self.t_of(x - HIT_PX), self.t_of(x + HIT_PX));
        let lanes: Vec<usize> = match self.model.mode {
            Mode::Values(_) => (0..self.model.lanes.len()).collect(),
            _ => vec![self.lane_at(y)?],
        };
        let mut best: Option<(f32, usize)> = None;
        for lane in lanes {
            let Some(&(ga, gb)) = self.model.lane_groups.get(lane) else { continue };
            for g in &self.model.groups[ga as usize..gb as usize] {
                if !self.series_visible(g.series) {
                    continue;
                }
                for e in self.group_range(g, a, b).take(100_000) {
                    let (s, end) = (self.model.time[e], self.end_of(e));
                    if end < a {
                        continue;
                    }
                    let mut d = if s <= self.t_of(x) && end >= self.t_of(x) { 0.0 } else { (self.x_of(s) - x).abs() };
                    if let Mode::Values(_) = self.model.mode {
                        d += (self.value_y(self.model.value[e]) - y).abs() * 0.5;
                    }
                    if best.is_none_or(|(bd, _)| d < bd) {
                        best = Some((d, e));
                    }
                }
            }
        }
        best.filter(|(d, _)| *d <= HIT_PX * 3.0).map(|(_, e)| e)
    }

    fn value_y(&self, v: f64) -> f32 {
        let (_, top, _, h) = self.plot();
        let (lo, hi) = self.value_range;
        let inner = h - 8.0;
        top + 4.0 + inner - ((v - lo) / (hi - lo).max(f64::MIN_POSITIVE) * f64::from(inner)) as f32
    }

    fn lane_of_event(&self, e: usize) -> Option<usize> {
        let i = self.model.groups.partition_point(|g| (g.end as usize) <= e);
        self.model.groups.get(i).filter(|g| g.start as usize <= e).map(|g| g.lane as usize)
    }

    // ----- interaction -----

    fn in_overview(&self, x: f32, y: f32) -> bool {
        let (ox, oy, ow, oh) = self.overview_rect();
        x >= ox - HIT_PX && x <= ox + ow + HIT_PX && y >= oy && y <= oy + oh
    }

    fn window_px(&self) -> (f32, f32) {
        let (ox, _, ow, _) = self.overview_rect();
        let a = lerp_x(ox, ow, self.full, self.range.0);
        let b = lerp_x(ox, ow, self.full, self.range.1).max(a + 4.0);
        (a, b)
    }

    fn overview_t(&self, x: f32) -> i64 {
        let (ox, _, ow, _) = self.overview_rect();
        let full = span(self.full.0, self.full.1) as f64;
        (self.full.0 as f64 + f64::from(x - ox) / f64::from(ow.max(1.0)) * full) as i64
    }

    /// Pointer pressed: pan (or, with Shift, box zoom) in the plot; move or resize the
    /// overview window.
    pub fn pointer_down(&mut self, x: f32, y: f32, shift: bool) -> Response {
        if self.in_overview(x, y) {
            let (a, b) = self.window_px();
            if (x - a).abs() <= HIT_PX {
                self.drag = Drag::Edge { left: true };
                return Response { cursor: "ew-resize", capture: true, ..Default::default() };
            }
            if (x - b).abs() <= HIT_PX {
                self.drag = Drag::Edge { left: false };
                return Response { cursor: "ew-resize", capture: true, ..Default::default() };
            }
            let mut r = Response::default();
            if x < a || x > b {
                // Centre the window where the user pressed, then move it from there.
                let width = span(self.range.0, self.range.1);
                let at = i128::from(self.overview_t(x));
                r = self.set_range_wide(at - width / 2, at - width / 2 + width);
            }
            self.drag = Drag::Window { grab: span(self.range.0, self.overview_t(x)) };
            r.cursor = "grabbing";
            r.capture = true;
            return r;
        }
        let (px, _, _, _) = self.plot();
        if x < px || y > self.overview_rect().1 {
            return Response::default();
        }
        self.drag = if shift {
            Drag::Box { x, to: x }
        } else {
            Drag::Pan { x, y, range: self.range, scroll: self.scroll_y, moved: false }
        };
        Response { cursor: if shift { "crosshair" } else { "grabbing" }, capture: true, ..Default::default() }
    }

    /// Pointer pressed with Ctrl (⌘): a drag in the plot brushes a time range, a click
    /// adds the event under it to the selection or takes it out. Over the overview, as
    /// a plain press.
    pub fn pointer_down_add(&mut self, x: f32, y: f32) -> Response {
        let (px, _, _, _) = self.plot();
        if self.in_overview(x, y) || x < px || y > self.overview_rect().1 {
            return self.pointer_down(x, y, false);
        }
        self.drag = Drag::Brush { x, to: x };
        Response { cursor: "crosshair", capture: true, ..Default::default() }
    }

    /// The brushed time range, if any.
    pub fn brush(&self) -> Option<(i64, i64)> {
        self.brush
    }

    /// Brushes a time range (its events of visible series are selected), or clears it.
    pub fn set_brush(&mut self, range: Option<(i64, i64)>) -> Response {
        self.brush = range.map(|(a, b)| (a.min(b), a.max(b)));
        Response { redraw: true, selection: true, ..Default::default() }
    }

    /// Every selected event (the clicked ones and those of visible series that start in
    /// the brushed range), ascending: marked in one pass, no sort.
    fn selected_events(&self) -> Vec<usize> {
        let mut marked = vec![false; self.model.len()];
        if let Some((a, b)) = self.brush {
            for g in self.model.groups.iter().filter(|g| self.series_visible(g.series)) {
                // Events that start in the range (a span that only overlaps it is not "in" it).
                let times = &self.model.time[g.start as usize..g.end as usize];
                let from = times.partition_point(|&t| t < a);
                let to = times.partition_point(|&t| t <= b);
                marked[g.start as usize + from..g.start as usize + to.max(from)].fill(true);
            }
        }
        for &e in self.selected.iter().chain(&self.also) {
            if let Some(m) = marked.get_mut(e as usize) {
                *m = true;
            }
        }
        marked.iter().enumerate().filter_map(|(e, &m)| m.then_some(e)).collect()
    }

    /// Pointer moved (dragging or hovering).
    pub fn pointer_move(&mut self, x: f32, y: f32) -> Response {
        match self.drag {
            Drag::Brush { x: x0, .. } => {
                self.drag = Drag::Brush { x: x0, to: x };
                Response { redraw: true, cursor: "crosshair", ..Default::default() }
            }
            Drag::Pan { x: x0, y: y0, range, scroll, moved } => {
                let moved = moved || (x - x0).abs() > 3.0 || (y - y0).abs() > 3.0;
                self.drag = Drag::Pan { x: x0, y: y0, range, scroll, moved };
                if !moved {
                    return Response { cursor: "grabbing", ..Default::default() };
                }
                let dt =
                    (f64::from(x0 - x) / f64::from(self.plot().2.max(1.0)) * span(range.0, range.1) as f64) as i128;
                let mut r = self.set_range_wide(i128::from(range.0) + dt, i128::from(range.1) + dt);
                if !matches!(self.model.mode, Mode::Values(_)) && (y - y0).abs() > 3.0 {
                    r.scroll_to = Some((0.0, (scroll + (y0 - y)).max(0.0)));
                }
                r.cursor = "grabbing";
                r
            }
            Drag::Box { x: x0, .. } => {
                self.drag = Drag::Box { x: x0, to: x };
                Response { redraw: true, cursor: "crosshair", ..Default::default() }
            }
            Drag::Window { grab } => {
                let width = span(self.range.0, self.range.1);
                let a = i128::from(self.overview_t(x)) - grab;
                let mut r = self.set_range_wide(a, a + width);
                r.cursor = "grabbing";
                r
            }
            Drag::Edge { left } => {
                let t = self.overview_t(x);
                let mut r = if left {
                    self.set_range(t.min(self.range.1.saturating_sub(MIN_SPAN)), self.range.1)
                } else {
                    self.set_range(self.range.0, t.max(self.range.0.saturating_add(MIN_SPAN)))
                };
                r.cursor = "ew-resize";
                r
            }
            Drag::None => {
                let cursor = if self.in_overview(x, y) {
                    let (a, b) = self.window_px();
                    if (x - a).abs() <= HIT_PX || (x - b).abs() <= HIT_PX {
                        "ew-resize"
                    } else if x > a && x < b {
                        "grab"
                    } else {
                        "pointer"
                    }
                } else if self.event_at(x, y).is_some() {
                    "pointer"
                } else {
                    "default"
                };
                Response { cursor, ..Default::default() }
            }
        }
    }

    /// Pointer released: ends a drag; a press without movement selects the event under
    /// it (or clears the selection).
    pub fn pointer_up(&mut self, x: f32, y: f32) -> Response {
        let drag = std::mem::replace(&mut self.drag, Drag::None);
        match drag {
            Drag::Box { x: x0, to } => {
                if (to - x0).abs() > 3.0 {
                    let (a, b) = (self.t_of(x0.min(to)), self.t_of(x0.max(to)));
                    let mut r = self.set_range(a, b);
                    r.redraw = true;
                    return r;
                }
                Response::redraw()
            }
            Drag::Brush { x: x0, to } => {
                if (to - x0).abs() > 3.0 {
                    let (px, _, pw, _) = self.plot();
                    let (a, b) = (x0.min(to).max(px), x0.max(to).min(px + pw));
                    return self.set_brush(Some((self.t_of(a), self.t_of(b))));
                }
                if let Some(e) = self.event_at(x, y) {
                    huntviz_draw::view::toggle_selected(&mut self.selected, &mut self.also, e as u32);
                }
                Response { redraw: true, selection: true, ..Default::default() }
            }
            Drag::Pan { moved: false, .. } => {
                let e = self.event_at(x, y).map(|e| e as u32);
                let changed = e != self.selected || !self.also.is_empty() || self.brush.is_some();
                self.selected = e;
                self.also.clear();
                self.brush = None;
                Response { redraw: changed, selection: true, ..Default::default() }
            }
            _ => Response::default(),
        }
    }

    /// Pointer left the view.
    pub fn pointer_leave(&mut self) -> Response {
        Response::default()
    }

    /// Wheel: zoom (or, sideways, pan) over the plot and overview; Shift scrolls the lanes.
    /// Returns a response with nothing to do when the wheel is not the view's (over the
    /// lane labels), so the page scrolls.
    pub fn wheel(&mut self, x: f32, y: f32, dx: f32, dy: f32, shift: bool) -> Response {
        let (px, _, _, _) = self.plot();
        if x < px || !(dx.is_finite() && dy.is_finite()) {
            return Response::default();
        }
        if shift {
            let max = (self.content_size().1 - self.viewport.1).max(0.0);
            let to = (self.scroll_y + if dy != 0.0 { dy } else { dx }).clamp(0.0, max);
            return Response { redraw: true, scroll_to: Some((0.0, to)), ..Default::default() };
        }
        let mut r = if dx.abs() > dy.abs() {
            self.pan_px(dx)
        } else {
            let at = if self.in_overview(x, y) { self.x_of(self.range.0 / 2 + self.range.1 / 2) } else { x };
            self.zoom_at(at, 2f64.powf(f64::from(dy.clamp(-600.0, 600.0)) / 300.0))
        };
        // The wheel was the view's even when the range is already at its limit.
        r.redraw = true;
        r
    }

    /// Double-click: zoom in around the point (Shift: out).
    pub fn double_click(&mut self, x: f32, _y: f32, shift: bool) -> Response {
        let (px, _, _, _) = self.plot();
        if x < px {
            return Response::default();
        }
        self.zoom_at(x, if shift { 2.5 } else { 0.4 })
    }

    /// Keys: ←/→ pan, +/− zoom, 0 or Home shows everything, ↑/↓ and Page keys scroll
    /// lanes, Escape clears the selection.
    pub fn key(&mut self, key: &str, shift: bool) -> Response {
        let w = self.plot().2;
        let centre = self.x_of(self.range.0 / 2 + self.range.1 / 2);
        let scroll = |v: &Self, dy: f32| {
            let max = (v.content_size().1 - v.viewport.1).max(0.0);
            Response { redraw: true, scroll_to: Some((0.0, (v.scroll_y + dy).clamp(0.0, max))), ..Default::default() }
        };
        let mut r = match key {
            "ArrowLeft" => self.pan_px(-w * if shift { 0.5 } else { 0.1 }),
            "ArrowRight" => self.pan_px(w * if shift { 0.5 } else { 0.1 }),
            "+" | "=" => self.zoom_at(centre, 0.5),
            "-" | "_" => self.zoom_at(centre, 2.0),
            "0" | "Home" => self.reset(),
            "ArrowUp" => return scroll(self, -self.metrics.lane),
            "ArrowDown" => return scroll(self, self.metrics.lane),
            "PageUp" => return scroll(self, -self.plot().3),
            "PageDown" => return scroll(self, self.plot().3),
            "Escape" if self.selected.is_some() || self.brush.is_some() => {
                self.selected = None;
                self.also.clear();
                self.brush = None;
                return Response { redraw: true, selection: true, ..Default::default() };
            }
            _ => return Response::default(),
        };
        r.redraw = true;
        r
    }

    // ----- selection, search -----

    /// The selected event.
    pub fn selected(&self) -> Option<u32> {
        self.selected
    }

    /// Selects an event and brings it into view.
    pub fn select(&mut self, event: usize) -> Response {
        if event >= self.model.len() {
            return Response::default();
        }
        self.selected = Some(event as u32);
        self.also.clear();
        self.brush = None;
        let t = self.model.time[event];
        let mut r = Response { redraw: true, selection: true, ..Default::default() };
        if t < self.range.0 || t > self.range.1 {
            let width = span(self.range.0, self.range.1);
            let _ = self.set_range_wide(i128::from(t) - width / 2, i128::from(t) - width / 2 + width);
        }
        if let (Some(lane), false) = (self.lane_of_event(event), matches!(self.model.mode, Mode::Values(_))) {
            let top = lane as f32 * self.metrics.lane;
            let h = self.plot().3;
            if top < self.scroll_y || top + self.metrics.lane > self.scroll_y + h {
                r.scroll_to = Some((0.0, (top - h / 2.0).max(0.0)));
            }
        }
        r
    }

    /// Searches every column of every event (substring, case-insensitive; or a regex).
    /// Returns the number of matching events; an empty query clears the search.
    pub fn search(&mut self, query: &str, regex: bool) -> Result<usize, String> {
        // A search reads every event: back to all of them, "matches only" again after.
        self.unfilter();
        self.matched.clear();
        self.matches = MatchCursor::default();
        let test = match matcher(query, regex) {
            Ok(test) if !query.is_empty() => test,
            other => {
                self.refresh_caches();
                return other.map(|_| 0);
            }
        };
        drop(test); // the query is valid; each source's rows come from its table's search
        let mut hits: Vec<std::sync::Arc<Vec<bool>>> = Vec::with_capacity(self.model.sources.len());
        for s in &self.model.sources {
            hits.push(if s.alerts { std::sync::Arc::default() } else { s.table.rows_matching(query, regex)? });
        }
        let n = self.model.len();
        self.matched = vec![false; n];
        let mut order = Vec::new();
        for g in &self.model.groups {
            for e in g.start as usize..g.end as usize {
                let src = self.model.src.get(e).map_or(0, |&s| s as usize);
                let row = self.model.row[e] as usize;
                if hits.get(src).and_then(|h| h.get(row)).copied().unwrap_or(false) {
                    self.matched[e] = true;
                    order.push(e as u32);
                }
            }
        }
        let time = &self.model.time;
        let order = crate::build::sort_by_keys(order.iter().map(|&e| (time[e as usize], i64::from(e), e)).collect());
        self.matches = MatchCursor::new(order.into_iter().map(|e| e as u32).collect());
        if self.matches_only {
            self.filter();
        }
        self.refresh_caches();
        Ok(self.matches.order().len())
    }

    /// Shows only the events the search matched (lanes without one left out; the time
    /// axis stays), or every event again. Without a search, everything stays shown.
    pub fn set_matches_only(&mut self, on: bool) -> Response {
        let was = self.unfiltered.is_some();
        self.matches_only = on;
        self.unfilter();
        if on {
            self.filter();
        }
        if !was && self.unfiltered.is_none() {
            return Response::default();
        }
        self.refresh_caches();
        Response { redraw: true, resized: true, ..Default::default() }
    }

    /// Whether "matches only" is on.
    pub fn matches_only(&self) -> bool {
        self.matches_only
    }

    /// Keeps only the matched events; the selection and the matches follow them (a
    /// selected event that does not match is no longer selected here).
    fn filter(&mut self) {
        if self.matches.order().is_empty() || self.unfiltered.is_some() {
            return;
        }
        let (mut events, index) = self.model.subset(&self.matched);
        let here = |e: u32| index.binary_search(&e).ok().map(|i| i as u32);
        let hidden = (
            self.selected.filter(|&e| here(e).is_none()),
            self.also.iter().copied().filter(|&e| here(e).is_none()).collect(),
        );
        self.selected = self.selected.and_then(here);
        self.also = self.also.iter().filter_map(|&e| here(e)).collect();
        self.matches = self.matches.mapped(|e| here(e).unwrap_or(e));
        self.matched = vec![true; index.len()];
        self.model.swap_events(&mut events);
        let shown = (self.selected, self.also.clone());
        self.unfiltered = Some(Unfiltered { events, index, hidden, shown });
    }

    /// Every event again; the selection and the matches follow them.
    fn unfilter(&mut self) {
        let Some(Unfiltered { mut events, index, hidden, shown }) = self.unfiltered.take() else { return };
        let there = |e: u32| index.get(e as usize).copied();
        let untouched = (self.selected, &self.also) == (shown.0, &shown.1);
        self.selected = self.selected.and_then(there);
        self.also = self.also.iter().filter_map(|&e| there(e)).collect();
        if untouched {
            huntviz_draw::view::restore_selection(&mut self.selected, &mut self.also, hidden);
        }
        self.matches = self.matches.mapped(|e| there(e).unwrap_or(e));
        let mut matched = vec![false; events.time.len()];
        for &e in &index {
            if let Some(m) = matched.get_mut(e as usize) {
                *m = true;
            }
        }
        self.matched = matched;
        self.model.swap_events(&mut events);
    }

    /// What depends on the events shown: matches per lane, the overview, the value
    /// range, the scroll.
    fn refresh_caches(&mut self) {
        let mut times = vec![Vec::new(); self.model.lanes.len()];
        for g in &self.model.groups {
            for e in g.start as usize..g.end as usize {
                if self.matched.get(e).copied().unwrap_or(false) {
                    if let Some(l) = times.get_mut(g.lane as usize) {
                        l.push(self.model.time[e]);
                    }
                }
            }
        }
        times.iter_mut().for_each(|l| l.sort_unstable());
        self.match_times = times;
        self.update_overview();
        self.update_values();
        self.clamp_scroll();
    }

    /// `(matches, current)` (current 1-based).
    pub fn match_position(&self) -> (usize, Option<usize>) {
        self.matches.position()
    }

    /// Selects the next (or previous) match in time order and brings it into view.
    pub fn step_match(&mut self, forward: bool) -> Response {
        match self.matches.step(forward) {
            Some(e) => self.select(e as usize),
            None => Response::default(),
        }
    }

    // ----- tooltip and detail -----

    fn cell(&self, e: usize, name: &str) -> Option<String> {
        let (s, row) = self.model.source_row(e)?;
        s.table.cell_text(row, s.table.column_index(name)?)
    }

    fn time_text(&self, t: i64) -> String {
        format!("{} {}", self.zone.full_text(t), self.zone.name)
    }

    /// The tooltip at (x, y): the event under the pointer, or what a density column holds.
    pub fn tooltip(&self, x: f32, y: f32) -> Option<Tooltip> {
        if self.drag != Drag::None {
            return None;
        }
        let at = (x + 14.0, y + 16.0);
        if let Some(e) = self.event_at(x, y).filter(|_| !self.dense_at(y)) {
            let m = &self.model;
            let mut lines = vec![self.time_text(m.time[e])];
            if let Some(lane) = self.lane_of_event(e).filter(|_| m.group_by.is_some()) {
                lines.push(format!("{}: {}", m.group_by.as_deref().unwrap_or_default(), m.lanes[lane].label));
            }
            if m.mode == Mode::Durations {
                let mut d = String::new();
                format_timespan(self.end_of(e).saturating_sub(m.time[e]), &mut d);
                lines.push(format!("until {} · {d}", self.time_text(self.end_of(e))));
            }
            if let (Some(v), Some(name)) = (m.value.get(e), &m.value_column) {
                let mut s = String::new();
                format_real(*v, &mut s);
                lines.push(format!("{name}: {s}"));
            }
            if m.sources.len() > 1 {
                if let Some((s, _)) = m.source_row(e) {
                    lines.push(format!("dataset: {}", visible(&s.name, 60).0));
                }
            }
            for col in m.tooltip.iter().filter(|c| m.group_by.as_ref() != Some(*c)) {
                if let Some(v) = self.cell(e, col) {
                    lines.push(format!("{}: {}", visible(col, 40).0, visible(&v, TIP_CHARS).0));
                }
            }
            return Some(Tooltip { text: lines.join("\n"), x: at.0, y: at.1 });
        }
        // A density column: how many events, when, and of which series.
        let lane = self.lane_at(y)?;
        let cols = self.columns();
        let col = column_of(self.range.0, self.range.1, cols, self.t_of(x))?;
        let (a, b) =
            (boundary(self.range.0, self.range.1, cols, col), boundary(self.range.0, self.range.1, cols, col + 1));
        let &(ga, gb) = self.model.lane_groups.get(lane)?;
        let mut per: Vec<(usize, u16)> = Vec::new();
        for g in &self.model.groups[ga as usize..gb as usize] {
            if self.series_visible(g.series) {
                let n = crate::density::count(&self.model.time[g.start as usize..g.end as usize], a, b);
                if n > 0 {
                    per.push((n, g.series));
                }
            }
        }
        let total: usize = per.iter().map(|p| p.0).sum();
        if total == 0 {
            return None;
        }
        let per: Vec<(usize, u16)> = crate::build::sort_by_keys(
            per.iter().enumerate().map(|(i, p)| (-(p.0 as i64), i64::from(p.1), i as u32)).collect(),
        )
        .into_iter()
        .map(|i| per[i])
        .collect();
        let mut lines = vec![
            format!(
                "{} event{} · {}",
                thousands(total),
                if total == 1 { "" } else { "s" },
                self.model.lanes[lane].label
            ),
            format!("{} – {}", self.time_text(a), self.zone.full_text(b)),
        ];
        if self.model.series.len() > 1 {
            for (n, s) in per.iter().take(5) {
                lines.push(format!("{}: {}", self.model.series[*s as usize].label, thousands(*n)));
            }
        }
        lines.push("zoom in to see each event".to_string());
        Some(Tooltip { text: lines.join("\n"), x: at.0, y: at.1 })
    }

    fn dense_at(&self, y: f32) -> bool {
        match self.lane_at(y) {
            Some(l) if !matches!(self.model.mode, Mode::Values(_)) => self.lane_is_dense(l),
            _ => false,
        }
    }

    fn lane_is_dense(&self, lane: usize) -> bool {
        let limit = self.columns() / 3;
        let Some(&(ga, gb)) = self.model.lane_groups.get(lane) else { return false };
        let mut n = 0;
        for g in &self.model.groups[ga as usize..gb as usize] {
            if self.series_visible(g.series) {
                n += self.group_range(g, self.range.0, self.range.1).len();
                if n > limit {
                    return true;
                }
            }
        }
        false
    }

    /// The selected event described for the detail panel.
    pub fn detail(&self) -> Option<Detail> {
        let e = self.selected? as usize;
        let (s, row) = self.model.source_row(e)?;
        let fields = s
            .table
            .columns
            .iter()
            .enumerate()
            .map(|(c, col)| {
                let v = s.table.cell_text(row, c).map_or_else(|| "null".to_string(), |v| visible(&v, DETAIL_CHARS).0);
                (visible(&col.name, 200).0, v)
            })
            .collect();
        let mut title = self.time_text(self.model.time[e]);
        if let Some(lane) = self.lane_of_event(e).filter(|_| self.model.group_by.is_some()) {
            title = format!("{title} · {}", self.model.lanes[lane].label);
        }
        if self.model.sources.len() > 1 {
            title = format!("{title} · {}", visible(&s.name, 60).0);
        }
        Some(Detail::new(e as u32, title, fields))
    }

    /// The exact value of column `index` of the selected event's row.
    pub fn detail_value(&self, index: usize) -> Option<String> {
        let (s, row) = self.model.source_row(self.selected? as usize)?;
        s.table.cell_text(row, index)
    }

    /// The selected event as `column<TAB>value` lines, exact, for the clipboard.
    pub fn selection_value(&self) -> Option<String> {
        let (s, row) = self.model.source_row(self.selected? as usize)?;
        let lines: Vec<String> = s
            .table
            .columns
            .iter()
            .enumerate()
            .map(|(c, col)| format!("{}\t{}", col.name, s.table.cell_text(row, c).unwrap_or_default()))
            .collect();
        Some(lines.join("\n"))
    }

    /// The visible lanes as text.
    pub fn visible_text(&self) -> VisibleText {
        let lw = self.label_width();
        let (px, _, pw, _) = self.plot();
        let lanes: Vec<usize> = match self.model.mode {
            Mode::Values(_) => (0..self.model.lanes.len()).collect(),
            _ => self.visible_lanes().collect(),
        };
        // Lanes holding a selected event (clicked or added; a brush is said by its count).
        let chosen: Vec<usize> = self
            .selected
            .iter()
            .chain(self.also.iter().take(10_000))
            .filter_map(|&e| self.lane_of_event(e as usize))
            .collect();
        let rows = lanes
            .into_iter()
            .map(|l| {
                let (n, first, last) = self.lane_in_view(l);
                let t = |v: Option<i64>| v.map(|t| self.zone.full_text(t)).unwrap_or_default();
                let top = if matches!(self.model.mode, Mode::Values(_)) { self.plot().1 } else { self.lane_top(l) };
                let cells = vec![self.model.lanes[l].label.clone(), n.to_string(), t(first), t(last)];
                VisibleRow {
                    mark: first.map(|f| self.x_of(f)),
                    selected: chosen.contains(&l),
                    ..VisibleRow::new(l + 1, l + 1, top, cells)
                }
            })
            .collect();
        VisibleText {
            columns: vec!["lane".into(), "events in view".into(), "first in view".into(), "last in view".into()],
            first_col: 1,
            geometry: vec![(0.0, lw), (px, pw / 3.0), (px + pw / 3.0, pw / 3.0), (px + 2.0 * pw / 3.0, pw / 3.0)],
            rows,
        }
    }

    // ----- drawing -----

    /// The visible part as a scene.
    pub fn scene(&self, theme: &Theme) -> Scene {
        let (vw, vh) = self.viewport;
        let mut s = Scene::new(vw, vh);
        s.fill(0.0, 0.0, vw, vh, theme.background);
        let (px, top, pw, ph) = self.plot();
        let axis = axis(self.range.0, self.range.1, pw, self.metrics.char_width, &self.zone);
        // Grid lines under everything.
        for t in &axis.ticks {
            let x = self.x_of(t.at).round() + 0.5;
            let c = if t.major { theme.border } else { theme.border.mix(theme.background, 0.55) };
            s.line(x, top, x, top + ph, c);
        }
        match self.model.mode {
            Mode::Values(kind) => self.draw_values(&mut s, theme, kind),
            _ => self.draw_lanes(&mut s, theme),
        }
        self.draw_markers(&mut s, theme, top, ph);
        // Axis on top (covers lanes scrolled above it).
        let fs = self.metrics.font;
        s.fill(0.0, 0.0, vw, top, theme.header_background);
        s.line(0.0, top - 0.5, vw, top - 0.5, theme.border);
        let label_chars = ((px - 2.0 * PAD) / self.metrics.char_width).max(1.0) as usize;
        s.text(PAD, top / 2.0, elide(&axis.context, label_chars).0, Face::Mono, fs * 0.85, theme.muted, Align::Left);
        for t in &axis.ticks {
            let x = self.x_of(t.at);
            s.line(x.round() + 0.5, top - 5.0, x.round() + 0.5, top, theme.muted);
            let face = if t.major { Face::MonoBold } else { Face::Mono };
            s.text(x, top / 2.0 - 1.0, t.label.clone(), face, fs * 0.85, theme.foreground, Align::Center);
        }
        // The label column's edge; mask the plot's overflow on the left.
        s.line(px - 0.5, top, px - 0.5, top + ph, theme.border);
        self.draw_overview(&mut s, theme);
        let band = match self.drag {
            Drag::Box { x, to } | Drag::Brush { x, to } => Some((x.min(to).max(px), x.max(to).min(px + pw))),
            _ => self.brush.map(|(a, b)| (self.x_of(a).max(px), self.x_of(b).min(px + pw))),
        };
        if let Some((a, b)) = band.filter(|(a, b)| b >= a) {
            s.fill(a, top, b - a, ph, theme.selection.with_alpha(90));
            s.line(a, top, a, top + ph, theme.accent);
            s.line(b, top, b, top + ph, theme.accent);
        }
        s
    }

    /// The scene for an export: the view, then the legend under it (in the notebook
    /// the legend is part of the toolbar, which an SVG does not carry).
    pub fn export_scene(&self, theme: &Theme) -> Scene {
        let mut s = self.scene(theme);
        if self.model.series.len() < 2 && self.model.color_by.is_none() {
            return s;
        }
        let fs = self.metrics.font;
        let cw = self.metrics.char_width;
        let row = (fs * 1.8).round();
        let (w, top) = (s.width, s.height);
        let mut x = PAD;
        let mut y = top + row / 2.0;
        let mut items = Vec::new();
        for (series, &hidden) in self.model.series.iter().zip(&self.hidden) {
            let label = format!(
                "{} ({}){}",
                elide(&series.label, 40).0,
                thousands(series.count),
                if hidden { " hidden" } else { "" }
            );
            let width = 14.0 + label.chars().count() as f32 * cw + 16.0;
            if x + width > w && x > PAD {
                x = PAD;
                y += row;
            }
            items.push((x, y, label, if hidden { theme.muted } else { series.color }));
            x += width;
        }
        s.height = y + row / 2.0;
        s.fill(0.0, top, w, s.height - top, theme.background);
        if let Some(by) = &self.model.color_by {
            s.text(
                w - PAD,
                top + row / 2.0,
                format!("colour: {}", visible(by, 40).0),
                Face::Mono,
                fs * 0.85,
                theme.muted,
                Align::Right,
            );
        }
        for (x, y, label, color) in items {
            s.fill(x, y - 5.0, 10.0, 10.0, color);
            s.text(x + 14.0, y, label, Face::Mono, fs * 0.85, theme.foreground, Align::Left);
        }
        s
    }

    fn draw_lanes(&self, s: &mut Scene, theme: &Theme) {
        let (px, top, pw, ph) = self.plot();
        let lh = self.metrics.lane;
        let cols = self.columns();
        let fs = self.metrics.font;
        let label_chars = ((px - 2.0 * PAD) / self.metrics.char_width).max(1.0) as usize;
        for lane in self.visible_lanes() {
            let y = self.lane_top(lane);
            if lane % 2 == 1 {
                s.fill(0.0, y.max(top), px + pw, (y + lh).min(top + ph) - y.max(top), theme.stripe);
            }
            if y + lh / 2.0 > top && y + lh / 2.0 < top + ph {
                let label = elide(&self.model.lanes[lane].label, label_chars).0;
                s.text(PAD, y + lh / 2.0, label, Face::Mono, fs, theme.foreground, Align::Left);
            }
            if self.lane_is_dense(lane) {
                self.draw_density(s, theme, lane, y, cols);
            } else {
                self.draw_marks(s, theme, lane, y);
            }
        }
    }

    /// Per-pixel columns: height by count (log scale, never below a quarter of the lane
    /// so a single event shows), colour of the series with most events there.
    fn draw_density(&self, s: &mut Scene, theme: &Theme, lane: usize, y: f32, cols: usize) {
        let (px, top, _, ph) = self.plot();
        let lh = self.metrics.lane;
        let (counts, best) = self.lane_density(lane, cols);
        let max = counts.iter().copied().max().unwrap_or(0).max(1);
        let scale = (1.0 + max as f32).ln();
        let inner = lh - 6.0;
        let height =
            |c: u32| if c == 0 { 0.0 } else { (inner * (0.25 + 0.75 * (1.0 + c as f32).ln() / scale)).round() };
        let color = |b: u16| self.model.series.get(b as usize).map_or(theme.accent, |s| s.color);
        let mut i = 0;
        while i < cols {
            let h = height(counts[i]);
            if h == 0.0 {
                i += 1;
                continue;
            }
            let c = best[i];
            let mut j = i + 1;
            while j < cols && height(counts[j]) == h && best[j] == c {
                j += 1;
            }
            let (y0, y1) = ((y + lh - 3.0 - h).max(top), (y + lh - 3.0).min(top + ph));
            s.fill(px + i as f32, y0, (j - i) as f32, y1 - y0, color(c));
            i = j;
        }
        // Columns holding a search match get a mark above the density.
        if let Some(times) = self.match_times.get(lane).filter(|t| !t.is_empty()) {
            let mut hits = vec![0u32; cols];
            bin(times, self.range.0, self.range.1, &mut hits);
            for (i, &h) in hits.iter().enumerate() {
                if h > 0 && y + 1.0 >= top {
                    s.fill(px + i as f32 - 1.0, y + 1.0, 3.0, 3.0, HIGHLIGHT);
                }
            }
        }
    }

    fn draw_marks(&self, s: &mut Scene, theme: &Theme, lane: usize, y: f32) {
        let (px, top, pw, ph) = self.plot();
        let lh = self.metrics.lane;
        let Some(&(ga, gb)) = self.model.lane_groups.get(lane) else { return };
        let clip = |a: f32, b: f32| (a.max(top), b.min(top + ph));
        for g in &self.model.groups[ga as usize..gb as usize] {
            if !self.series_visible(g.series) {
                continue;
            }
            let color = self.model.series.get(g.series as usize).map_or(theme.accent, |s| s.color);
            for e in self.group_range(g, self.range.0, self.range.1) {
                let (t, end) = (self.model.time[e], self.end_of(e));
                if end < self.range.0 {
                    continue;
                }
                let x = self.x_of(t);
                if self.model.mode == Mode::Durations && end > t {
                    let x1 = self.x_of(end).min(px + pw);
                    let x0 = x.max(px);
                    let (a, b) = clip(y + lh * 0.3, y + lh * 0.7);
                    s.fill(x0, a, (x1 - x0).max(1.0), b - a, color.with_alpha(110));
                }
                if x < px - 3.0 || x > px + pw + 3.0 {
                    continue;
                }
                let (a, b) = clip(y + lh * 0.2, y + lh * 0.8);
                s.fill(x - 1.5, a, 3.0, b - a, color);
                self.decorate(s, theme, e, x, y + lh * 0.2, y + lh * 0.8, top, ph);
            }
        }
    }

    /// Selection and search marks around an event's mark.
    #[allow(clippy::too_many_arguments)]
    fn decorate(&self, s: &mut Scene, theme: &Theme, e: usize, x: f32, y0: f32, y1: f32, top: f32, ph: f32) {
        let (a, b) = ((y0 - 2.0).max(top), (y1 + 2.0).min(top + ph));
        if b <= a {
            return;
        }
        if self.matched.get(e).copied().unwrap_or(false) {
            s.line(x - 4.0, a, x + 4.0, a, HIGHLIGHT);
            s.line(x - 4.0, b, x + 4.0, b, HIGHLIGHT);
        }
        if self.selected == Some(e as u32) || self.also.binary_search(&(e as u32)).is_ok() {
            let c = theme.foreground;
            s.line(x - 4.0, a, x - 4.0, b, c);
            s.line(x + 4.0, a, x + 4.0, b, c);
            s.line(x - 4.0, a, x + 4.0, a, c);
            s.line(x - 4.0, b, x + 4.0, b, c);
        }
    }

    fn draw_values(&self, s: &mut Scene, theme: &Theme, kind: ValueKind) {
        let (px, top, pw, ph) = self.plot();
        let cols = self.columns();
        let fs = self.metrics.font;
        // Value labels in the label column.
        let (lo, hi) = self.value_range;
        for k in 0..=4 {
            let v = lo + (hi - lo) * f64::from(k) / 4.0;
            let y = self.value_y(v);
            if y < top + fs * 0.6 {
                continue;
            }
            let mut t = String::new();
            format_real((v * 1000.0).round() / 1000.0, &mut t);
            s.text(px - PAD, y, t, Face::Mono, fs * 0.85, theme.muted, Align::Right);
            s.line(px, y.round() + 0.5, px + pw, y.round() + 0.5, theme.border.mix(theme.background, 0.55));
        }
        let zero = self.value_y(0.0_f64.clamp(lo, hi));
        for g in &self.model.groups {
            if !self.series_visible(g.series) {
                continue;
            }
            let color = self.model.series.get(g.series as usize).map_or(theme.accent, |s| s.color);
            let r = self.group_range(g, self.range.0, self.range.1);
            if r.len() <= cols {
                let mut prev: Option<(f32, f32)> = None;
                for e in r {
                    let (x, y) = (self.x_of(self.model.time[e]), self.value_y(self.model.value[e]));
                    match kind {
                        ValueKind::Bars => s.fill(x - 1.5, y.min(zero), 3.0, (zero - y).abs().max(1.0), color),
                        ValueKind::Points => s.fill(x - 2.0, y - 2.0, 4.0, 4.0, color),
                        ValueKind::Line => {
                            if let Some((x0, y0)) = prev {
                                s.line(x0, y0, x, y, color);
                            }
                            s.fill(x - 1.0, y - 1.0, 2.0, 2.0, color);
                        }
                    }
                    prev = Some((x, y));
                    self.decorate(s, theme, e, x, y - 3.0, y + 3.0, top, ph);
                }
            } else {
                // More values than pixels: each column's minimum to maximum, exactly.
                let mut ext: Vec<(f64, f64)> = vec![(f64::INFINITY, f64::NEG_INFINITY); cols];
                for e in r {
                    if let Some(c) = column_of(self.range.0, self.range.1, cols, self.model.time[e]) {
                        let v = self.model.value[e];
                        ext[c] = (ext[c].0.min(v), ext[c].1.max(v));
                    }
                }
                let mut prev: Option<(f32, f32)> = None;
                for (c, &(a, b)) in ext.iter().enumerate() {
                    if a > b {
                        continue;
                    }
                    let x = px + c as f32 + 0.5;
                    let (ya, yb) = (self.value_y(a), self.value_y(b));
                    match kind {
                        ValueKind::Bars => s.fill(x - 0.5, yb.min(zero), 1.0, (zero - yb).abs().max(1.0), color),
                        _ => s.line(x, ya, x, yb - 0.5, color),
                    }
                    if kind == ValueKind::Line {
                        if let Some((x0, y0)) = prev {
                            s.line(x0, y0, x, (ya + yb) / 2.0, color);
                        }
                        prev = Some((x, (ya + yb) / 2.0));
                    }
                }
            }
        }
    }

    fn draw_markers(&self, s: &mut Scene, theme: &Theme, top: f32, ph: f32) {
        let (px, _, pw, _) = self.plot();
        let fs = self.metrics.font;
        let first = self.model.markers.partition_point(|m| m.at < self.range.0);
        let mut last_label_end = f32::NEG_INFINITY;
        for m in self.model.markers.iter().skip(first).take_while(|m| m.at <= self.range.1) {
            let x = self.x_of(m.at).round() + 0.5;
            // Dashed: 5 px on, 3 px off.
            let mut y = top;
            while y < top + ph {
                s.line(x, y, x, (y + 5.0).min(top + ph), HIGHLIGHT);
                y += 8.0;
            }
            let label = format!("◀ {}", m.label);
            if x + 3.0 > last_label_end && x < px + pw {
                let chars = ((px + pw - x - 4.0) / self.metrics.char_width).max(1.0) as usize;
                let (text, _) = elide(&label, chars.min(40));
                last_label_end = x + 3.0 + text.chars().count() as f32 * self.metrics.char_width;
                s.fill(x + 2.0, top + 2.0, last_label_end - x - 1.0, fs * 1.3, theme.background.with_alpha(220));
                s.text(x + 3.0, top + 2.0 + fs * 0.65, text, Face::Mono, fs * 0.85, HIGHLIGHT, Align::Left);
            }
        }
    }

    fn draw_overview(&self, s: &mut Scene, theme: &Theme) {
        let (ox, oy, ow, oh) = self.overview_rect();
        let (vw, vh) = self.viewport;
        s.fill(0.0, oy - GAP / 2.0, vw, vh - oy + GAP / 2.0, theme.background);
        s.line(0.0, oy - GAP / 2.0, vw, oy - GAP / 2.0, theme.border);
        s.text(PAD, oy + oh / 2.0, "overview".into(), Face::Mono, self.metrics.font * 0.85, theme.muted, Align::Left);
        s.fill(ox, oy, ow, oh, theme.stripe);
        let max = self.overview_counts.iter().copied().max().unwrap_or(0).max(1);
        let scale = (1.0 + max as f32).ln();
        let color = theme.muted;
        for (i, &c) in self.overview_counts.iter().enumerate() {
            if c > 0 {
                let h = ((oh - 4.0) * (0.15 + 0.85 * (1.0 + c as f32).ln() / scale)).round();
                s.fill(ox + i as f32, oy + oh - 2.0 - h, 1.0, h, color);
            }
        }
        for m in &self.model.markers {
            let x = lerp_x(ox, ow, self.full, m.at).round() + 0.5;
            s.line(x, oy, x, oy + oh, HIGHLIGHT);
        }
        let (a, b) = self.window_px();
        let (a, b) = (a.max(ox), b.min(ox + ow));
        s.fill(a, oy, (b - a).max(2.0), oh, theme.selection.with_alpha(100));
        for x in [a, b] {
            s.line(x.round() + 0.5, oy, x.round() + 0.5, oy + oh, theme.accent);
        }
    }
}

impl huntviz_draw::view::View for TimelineView {
    fn status_line(&self, warnings: usize) -> String {
        TimelineView::status_line(self, warnings)
    }
    fn warnings(&self) -> Vec<Warning> {
        self.model.warnings.clone()
    }
    fn row_count(&self) -> usize {
        self.model.lanes.len()
    }
    fn content_size(&self) -> (f32, f32) {
        TimelineView::content_size(self)
    }
    fn set_viewport(&mut self, width: f32, height: f32) {
        TimelineView::set_viewport(self, width, height);
    }
    fn set_scroll(&mut self, x: f32, y: f32) {
        TimelineView::set_scroll(self, x, y);
    }
    fn scroll(&self) -> (f32, f32) {
        TimelineView::scroll(self)
    }
    fn set_theme(&mut self, theme: &Theme) {
        TimelineView::set_theme(self, theme);
    }
    fn scene(&self, theme: &Theme) -> Scene {
        TimelineView::scene(self, theme)
    }
    fn export_scene(&self, theme: &Theme) -> Scene {
        TimelineView::export_scene(self, theme)
    }
    fn pointer_down(&mut self, x: f32, y: f32, shift: bool) -> Response {
        TimelineView::pointer_down(self, x, y, shift)
    }
    fn pointer_move(&mut self, x: f32, y: f32) -> Response {
        TimelineView::pointer_move(self, x, y)
    }
    fn pointer_up(&mut self, x: f32, y: f32) -> Response {
        TimelineView::pointer_up(self, x, y)
    }
    fn pointer_leave(&mut self) -> Response {
        TimelineView::pointer_leave(self)
    }
    fn key(&mut self, key: &str, _ctrl: bool, shift: bool) -> Response {
        TimelineView::key(self, key, shift)
    }
    fn wheel(&mut self, x: f32, y: f32, dx: f32, dy: f32, shift: bool) -> Response {
        TimelineView::wheel(self, x, y, dx, dy, shift)
    }
    fn double_click(&mut self, x: f32, y: f32, shift: bool) -> Response {
        TimelineView::double_click(self, x, y, shift)
    }
    fn tooltip(&self, x: f32, y: f32) -> Option<Tooltip> {
        TimelineView::tooltip(self, x, y)
    }
    fn detail(&self) -> Option<Detail> {
        TimelineView::detail(self)
    }
    fn detail_value(&self, index: usize) -> Option<String> {
        TimelineView::detail_value(self, index)
    }
    fn selection_value(&self) -> Option<String> {
        TimelineView::selection_value(self)
    }
    fn select(&mut self, item: u32) -> Response {
        TimelineView::select(self, item as usize)
    }
    fn select_row(&mut self, row: u32) -> Response {
        let event = (0..self.model.len())
            .find(|&e| self.model.row.get(e) == Some(&row) && self.model.src.get(e).is_none_or(|&s| s == 0));
        match event {
            Some(e) => TimelineView::select(self, e),
            None => Response::default(),
        }
    }
    fn select_rows(&mut self, rows: &[u32]) -> Response {
        // The result's events (source 0) made from those rows, in time order.
        let Some(len) = rows.last().map(|&r| r as usize + 1) else {
            self.selected = None;
            self.also.clear();
            self.brush = None;
            return Response { redraw: true, selection: true, ..Response::default() };
        };
        let set = huntviz_draw::view::row_set(rows, len);
        let events: Vec<u32> = (0..self.model.len())
            .filter(|&e| {
                self.model.src.get(e).is_none_or(|&s| s == 0)
                    && self.model.row.get(e).is_some_and(|&r| set.get(r as usize).copied().unwrap_or(false))
            })
            .map(|e| e as u32)
            .collect();
        match events.split_first() {
            Some((&first, rest)) => {
                let mut r = TimelineView::select(self, first as usize);
                self.also = rest.to_vec();
                r.selection = true;
                r
            }
            None => {
                self.selected = None;
                self.also.clear();
                self.brush = None;
                Response { redraw: true, selection: true, ..Response::default() }
            }
        }
    }
    fn selected_rows(&self) -> Vec<u32> {
        // The result's own rows (source 0), not those of an added dataset.
        let mut rows: Vec<u32> = self
            .selected_events()
            .into_iter()
            .filter(|&e| self.model.src.get(e).is_none_or(|&s| s == 0))
            .filter_map(|e| self.model.row.get(e).copied())
            .collect();
        // Events are in time order, rows in the result's: one sort (of u32, as the tree's).
        rows.sort_unstable();
        rows
    }
    fn pointer_down_add(&mut self, x: f32, y: f32) -> Response {
        TimelineView::pointer_down_add(self, x, y)
    }
    fn visible_text(&self) -> VisibleText {
        TimelineView::visible_text(self)
    }
    fn search(&mut self, query: &str, regex: bool) -> Result<usize, ViewError> {
        TimelineView::search(self, query, regex).map_err(ViewError)
    }
    fn search_step(&mut self, forward: bool) -> Response {
        self.step_match(forward)
    }
    fn match_position(&self) -> (usize, Option<usize>) {
        TimelineView::match_position(self)
    }
    fn set_matches_only(&mut self, on: bool) -> Response {
        TimelineView::set_matches_only(self, on)
    }
    fn legend(&self) -> Vec<LegendItem> {
        TimelineView::legend(self)
    }
    fn toggle_legend(&mut self, index: usize) -> Response {
        self.toggle_series(index)
    }
}
