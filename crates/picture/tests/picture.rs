//! The kernel's picture: the view the notebook shows, drawn to PNG with a system font.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use huntviz_picture::{fonts, open, picture_svg, rasterize, Picture, GRAPH_HEIGHT, WIDTH};
use resvg::tiny_skia::Pixmap;

const ROOT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../..");

/// DejaVu Sans Mono from the system (fonts-dejavu-core, which `scripts/setup.sh` installs).
fn system_font() -> Option<Vec<Vec<u8>>> {
    let dir = "/usr/share/fonts/truetype/dejavu";
    let files: Vec<Vec<u8>> = ["DejaVuSansMono.ttf", "DejaVuSansMono-Bold.ttf"]
        .iter()
        .filter_map(|f| std::fs::read(format!("{dir}/{f}")).ok())
        .collect();
    if files.is_empty() {
        eprintln!("skipped: no DejaVu Sans Mono in {dir} (apt-get install fonts-dejavu-core)");
        return None;
    }
    Some(files)
}

fn draw(file: &str, spec: &str, font: Vec<Vec<u8>>) -> (Picture, String) {
    let data = std::fs::read(format!("{ROOT}/{file}")).unwrap();
    let mut session = open(data, spec).unwrap();
    let (svg, w, h) = picture_svg(&mut session, GRAPH_HEIGHT);
    (rasterize(&svg, w, h, 1.0, &fonts(font).unwrap()).unwrap(), session.status())
}

/// Pixels darker than mid-grey (text and lines) in a rectangle of the picture.
fn dark(p: &Pixmap, x: std::ops::Range<u32>, y: std::ops::Range<u32>) -> usize {
    y.flat_map(|y| x.clone().map(move |x| (x, y)))
        .filter(|&(x, y)| {
            p.pixel(x, y).is_some_and(|c| u32::from(c.red()) + u32::from(c.green()) + u32::from(c.blue()) < 3 * 128)
        })
        .count()
}

#[test]
fn a_tree_is_drawn_with_its_text_at_the_plugins_size() {
    let Some(font) = system_font() else { return };
    let (picture, status) = draw("examples/data/process_events.json", r#"{"view": "process-tree"}"#, font);
    assert!(status.starts_with("Process tree · "), "{status}");
    // As tall as the tree's content allows: the 600 px cap.
    assert_eq!((picture.width, picture.height), (WIDTH as u32, 600));
    let p = Pixmap::decode_png(&picture.png).unwrap();
    assert_eq!((p.width(), p.height()), (960, 600));
    // The header row is the theme's grey; the body is white with dark text in it.
    let header = p.pixel(480, 30).unwrap();
    assert_eq!((header.red(), header.green(), header.blue()), (0xEE, 0xEE, 0xEE));
    assert!(dark(&p, 0..300, 40..600) > 2_000, "the process names are drawn");
}

#[test]
fn every_view_draws_and_a_graph_keeps_its_height() {
    let Some(font) = system_font() else { return };
    let (timeline, status) = draw("examples/data/process_events.json", r#"{"view": "timeline"}"#, font.clone());
    assert!(status.starts_with("Timeline · 1,010 events"), "{status}");
    assert_eq!(timeline.width, 960);
    assert!(timeline.height < 600, "a timeline is as tall as its lanes");
    let spec = r#"{"view": "graph", "options": {"source": "AccountName", "target": "DeviceName"}}"#;
    let (graph, status) = draw("examples/data/process_events.json", spec, font);
    assert!(status.starts_with("Graph · "), "{status}");
    assert_eq!((graph.width, graph.height), (960, GRAPH_HEIGHT as u32));
}

#[test]
fn hostile_strings_are_text_in_the_picture() {
    let Some(font) = system_font() else { return };
    // Markup, direction overrides and control characters in every cell: the export
    // escapes them, so the SVG still reads and is drawn.
    let (picture, status) = draw("tests/fixtures/hostile.json", r#"{"view": "table"}"#, font);
    assert!(status.starts_with("Table · "), "{status}");
    let p = Pixmap::decode_png(&picture.png).unwrap();
    assert!(dark(&p, 0..960, 40..p.height()) > 500);
}

#[test]
fn what_cannot_be_drawn_says_why() {
    assert_eq!(fonts(vec![]).unwrap_err(), "no usable font was given");
    assert_eq!(fonts(vec![b"not a font".to_vec()]).unwrap_err(), "no usable font was given");
    let error = |data: &[u8], spec: &str| open(data.to_vec(), spec).err().unwrap();
    assert!(error(b"{}", "{").starts_with("invalid huntviz spec"));
    let err = error(br#"{"hello": 1}"#, "{}");
    assert!(err.contains("not a recognised query result"), "{err}");
}
