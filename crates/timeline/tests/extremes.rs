//! Arithmetic on data never panics or wraps: times anywhere in the 64-bit tick range
//! (HVC1 carries any `i64`), spans from the far past to the far future, values at both
//! ends — through building, zooming, panning, dragging, ticks, density, tooltips and
//! drawing. Run in debug (overflow panics) and, by `make test`, in release (where a
//! wrap would show as a range that no longer holds the data).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::Arc;

use huntviz_draw::Theme;
use huntviz_table::parse_str;
use huntviz_timeline::ticks::Zone;
use huntviz_timeline::{build, Source, TimelineOptions, TimelineView};
use proptest::prelude::*;

/// A tick anywhere, the ends and their neighbours often.
fn tick() -> impl Strategy<Value = i64> {
    prop_oneof![
        Just(i64::MIN),
        Just(i64::MIN + 1),
        Just(i64::MAX),
        Just(i64::MAX - 1),
        Just(0i64),
        -1_000_000_000_000i64..1_000_000_000_000,
        any::<i64>(),
    ]
}

/// (start, end, value, host) of one event.
type Row = (i64, Option<i64>, i64, u8);

/// An HVC1 result: time, end (spans), value and host columns.
fn hvc1(rows: &[Row]) -> String {
    let join = |f: &dyn Fn(&Row) -> String| rows.iter().map(f).collect::<Vec<_>>().join(",");
    format!(
        "HVC1\n{{\"rows\":{},\"columns\":[\
         {{\"name\":\"StartTime\",\"type\":\"datetime\",\"enc\":\"int\",\"unit\":\"ticks\"}},\
         {{\"name\":\"EndTime\",\"type\":\"datetime\",\"enc\":\"int\",\"unit\":\"ticks\"}},\
         {{\"name\":\"Bytes\",\"type\":\"long\",\"enc\":\"int\"}},\
         {{\"name\":\"Computer\",\"type\":\"string\",\"enc\":\"dict\",\"dict\":3}}]}}\n\
         {}\n{}\n{}\n1:a1:b1:c\n{}\n",
        rows.len(),
        join(&|r| r.0.to_string()),
        join(&|r| r.1.map_or(String::new(), |e| e.to_string())),
        join(&|r| r.2.to_string()),
        join(&|r| (r.3 % 3).to_string()),
    )
}

/// What a user can do to a view, with coordinates and factors from the test.
#[derive(Debug, Clone)]
enum Act {
    Zoom(f32, f64),
    Pan(f32),
    Wheel(f32, f32, f32, bool),
    Drag(f32, f32, f32, f32, bool),
    Key(usize),
    Double(f32),
    Range(i64, i64),
    Zone(i32),
}

fn act() -> impl Strategy<Value = Act> {
    let x = -50.0f32..900.0;
    prop_oneof![
        (x.clone(), prop_oneof![Just(0.0), Just(1e-300), Just(1e300), 0.001f64..1000.0])
            .prop_map(|(x, f)| Act::Zoom(x, f)),
        (-1e7f32..1e7).prop_map(Act::Pan),
        (x.clone(), 0f32..300.0, -1e6f32..1e6, any::<bool>()).prop_map(|(x, y, d, s)| Act::Wheel(x, y, d, s)),
        (x.clone(), 0f32..300.0, x.clone(), 0f32..300.0, any::<bool>())
            .prop_map(|(a, b, c, d, s)| Act::Drag(a, b, c, d, s)),
        (0usize..8).prop_map(Act::Key),
        x.prop_map(Act::Double),
        (tick(), tick()).prop_map(|(a, b)| Act::Range(a, b)),
        (-2000i32..2000).prop_map(Act::Zone),
    ]
}

fn check(v: &mut TimelineView, acts: &[Act]) {
    let theme = Theme::light();
    for a in acts {
        match *a {
            Act::Zoom(x, f) => drop(v.zoom_at(x, f)),
            Act::Pan(dx) => drop(v.pan_px(dx)),
            Act::Wheel(x, y, d, s) => drop(v.wheel(x, y, d, d, s)),
            Act::Drag(x0, y0, x1, y1, s) => {
                v.pointer_down(x0, y0, s);
                v.pointer_move(x1, y1);
                v.pointer_up(x1, y1);
            }
            Act::Key(k) => drop(v.key(["+", "-", "0", "ArrowLeft", "ArrowRight", "ArrowUp", "Home", "End"][k], false)),
            Act::Double(x) => drop(v.double_click(x, 40.0, false)),
            Act::Range(a, b) => drop(v.set_range(a, b)),
            Act::Zone(m) => drop(v.set_zone(Zone::fixed(m, "local"))),
        }
        let (a, b) = v.range();
        assert!(a < b, "the visible range stays ordered: {a} .. {b}");
        let _ = v.scene(&theme);
        let _ = v.export_scene(&theme);
        let _ = v.range_text();
        let _ = v.tooltip(300.0, 60.0);
        let _ = v.visible_text();
        for lane in 0..3 {
            let _ = v.lane_density(lane, 97);
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn extreme_times_never_panic_or_wrap(
        rows in proptest::collection::vec((tick(), proptest::option::of(tick()), any::<i64>(), any::<u8>()), 1..12),
        acts in proptest::collection::vec(act(), 0..12),
        spans in any::<bool>(),
        values in any::<bool>(),
    ) {
        let table = Arc::new(parse_str(&hvc1(&rows)).unwrap().tables.swap_remove(0));
        let mut options = TimelineOptions::default();
        if values {
            options.value_column = Some("Bytes".into());
        } else if !spans {
            options.end_column = None;
        }
        let Ok(model) = build(vec![Source::new("r", table, false)], &options) else { return Ok(()) };
        let mut v = TimelineView::new(model, &Theme::light());
        v.set_viewport(800.0, 300.0);
        // The whole range holds every event.
        let (a, b) = v.range();
        for r in &rows {
            prop_assert!(a <= r.0 && r.0 <= b, "{a} .. {b} misses {}", r.0);
        }
        check(&mut v, &acts);
    }
}
