//! Arithmetic on data never panics or wraps: process start times anywhere in the
//! 64-bit tick range (HVC1 carries any `i64`), through linking (the clock-skew window,
//! the 10 µs match), the invariants, the time lane, tooltips and link explanations.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::Arc;

use huntviz_draw::Theme;
use huntviz_process_tree::build;
use huntviz_process_tree::view::{TreeOptions, TreeView};
use huntviz_table::{parse_str, schema};
use proptest::prelude::*;

fn tick() -> impl Strategy<Value = i64> {
    prop_oneof![Just(i64::MIN), Just(i64::MIN + 1), Just(i64::MAX), Just(0i64), any::<i64>(), -100i64..100]
}

/// DeviceProcessEvents as HVC1: creation times (linked by creation time) or only
/// report times (the time join with its clock-skew window), as `creation` says.
/// (start, parent start, pid, parent pid) of one process.
type Row = (i64, i64, u8, u8);

fn hvc1(rows: &[Row], creation: bool) -> String {
    let col = |f: &dyn Fn(&Row) -> String| rows.iter().map(f).collect::<Vec<_>>().join(",");
    let (t, pt) =
        if creation { ("ProcessCreationTime", "InitiatingProcessCreationTime") } else { ("Timestamp", "ReportTime") };
    format!(
        "HVC1\n{{\"rows\":{},\"columns\":[\
         {{\"name\":\"{t}\",\"type\":\"datetime\",\"enc\":\"int\",\"unit\":\"ticks\"}},\
         {{\"name\":\"{pt}\",\"type\":\"datetime\",\"enc\":\"int\",\"unit\":\"ticks\"}},\
         {{\"name\":\"ProcessId\",\"type\":\"long\",\"enc\":\"int\"}},\
         {{\"name\":\"InitiatingProcessId\",\"type\":\"long\",\"enc\":\"int\"}},\
         {{\"name\":\"FileName\",\"type\":\"string\",\"enc\":\"dict\",\"dict\":2}},\
         {{\"name\":\"InitiatingProcessFileName\",\"type\":\"string\",\"enc\":\"dict\",\"dict\":2}},\
         {{\"name\":\"DeviceName\",\"type\":\"string\",\"enc\":\"dict\",\"dict\":1}}]}}\n\
         {}\n{}\n{}\n{}\n5:a.exe5:b.exe\n{}\n5:a.exe5:b.exe\n{}\n2:ws\n{}\n",
        rows.len(),
        col(&|r| r.0.to_string()),
        col(&|r| r.1.to_string()),
        col(&|r| (r.2 % 4).to_string()),
        col(&|r| (r.3 % 4).to_string()),
        col(&|r| (r.2 % 2).to_string()),
        col(&|r| (r.3 % 2).to_string()),
        col(&|_| "0".to_string()),
    )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn extreme_start_times_never_panic_or_wrap(
        rows in proptest::collection::vec((tick(), tick(), any::<u8>(), any::<u8>()), 1..10),
        creation in any::<bool>(),
    ) {
        let mut doc = hvc1(&rows, creation);
        if !creation {
            // Report times only: drop the parent's time column from the schema's reach.
            doc = doc.replace("\"ReportTime\"", "\"Unrelated\"");
        }
        let t = Arc::new(parse_str(&doc).unwrap().tables.swap_remove(0));
        let info = schema::detect(&t, &Default::default());
        let forest = build(&t, &info).unwrap();
        forest.check_invariants().map_err(TestCaseError::fail)?;
        let n = forest.nodes.len() as u32;
        let mut v = TreeView::new(Arc::clone(&t), &info, forest, &Theme::light(), &TreeOptions::default());
        v.set_viewport(1200.0, 400.0);
        let _ = v.scene(&Theme::light());
        for node in 0..n {
            v.select_node(node);
            let d = v.detail().unwrap();
            prop_assert!(d.link.is_some_and(|l| !l.explanation.is_empty()));
        }
        for y in [10.0f32, 60.0, 120.0] {
            let _ = v.tooltip(100.0, y);
        }
    }
}
