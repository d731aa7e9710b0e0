//! MSTICPy's figures on its own test data, and the cases where huntviz links
//! differently on purpose.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::PathBuf;

use huntviz_process_tree::{build, Summary};
use huntviz_table::{parse, schema, ParseOptions};

fn shared() -> Option<PathBuf> {
    let dir = std::env::var_os("HUNTVIZ_SHARED_DATASETS")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/datasets")));
    if dir.is_dir() {
        Some(dir)
    } else {
        eprintln!("skipped: {} is absent (set HUNTVIZ_SHARED_DATASETS to run these)", dir.display());
        None
    }
}

fn summary_of(path: &std::path::Path) -> Summary {
    let d = parse(std::fs::read(path).unwrap(), &ParseOptions::default()).unwrap();
    let t = d.primary().unwrap();
    let info = schema::detect(t, &Default::default());
    build(t, &info).unwrap().summary
}

#[test]
fn msticpy_parity() {
    let Some(dir) = shared() else { return };
    for (file, processes, roots, leaves, branches, depth) in [
        ("msticpy/process/win_proc_test.csv", 1010, 10, 815, 185, 7),
        ("msticpy/process/linux_proc_test.csv", 1029, 29, 497, 503, 5),
        ("msticpy/process/mde_proc_pub.csv", 266, 3, 200, 63, 10),
    ] {
        let s = summary_of(&dir.join(file));
        eprintln!("{file}: {s:?}");
        assert_eq!(
            (s.processes, s.roots, s.leaves, s.branches, s.depth),
            (processes, roots, leaves, branches, depth),
            "{file}"
        );
    }
}
