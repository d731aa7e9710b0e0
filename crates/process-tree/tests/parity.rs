//! MSTICPy's figures on its own test data, and the cases where huntviz links
//! differently on purpose.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::PathBuf;

use huntviz_process_tree::{build, Summary};
use huntviz_table::{parse, schema, ParseOptions};

fn shared() -> Option<PathBuf> {
    huntviz_table::testing::shared_datasets()
}

fn summary_of(path: &std::path::Path) -> Summary {
    let d = parse(std::fs::read(path).unwrap(), &ParseOptions::default()).unwrap();
    let t = d.primary().unwrap();
    let info = schema::detect(t, &Default::default());
    let f = build(t, &info).unwrap();
    f.check_invariants().unwrap();
    f.summary
}

/// MSTICPy's own test data (`tests/testdata` of a microsoft/msticpy checkout), which
/// `../shared` does not carry: the Defender-internal capture and the Volatility image.
fn msticpy_testdata() -> Option<PathBuf> {
    match std::env::var_os("HUNTVIZ_MSTICPY_TESTDATA").map(PathBuf::from) {
        Some(dir) if dir.is_dir() => Some(dir),
        _ => {
            eprintln!(
                "skipped: set HUNTVIZ_MSTICPY_TESTDATA to a microsoft/msticpy checkout's tests/testdata to run these"
            );
            None
        }
    }
}

#[test]
fn msticpy_parity_on_defender_internal_and_memory_images() {
    let Some(dir) = msticpy_testdata() else { return };
    // mde_proc_cs1: 1,564 rows whose grandparent names are device paths; MSTICPy's figures.
    let s = summary_of(&dir.join("mde_proc_cs1.csv"));
    assert_eq!((s.processes, s.roots, s.leaves, s.branches, s.depth), (1642, 9, 1177, 456, 16), "{s:?}");
    // winproctree-minimal: MSTICPy reports 126/10/97/19/7 because it infers a second
    // PID 4 for Registry, which memory images record starting before System; huntviz
    // links Registry to System (the PID 4 rule) and has one process and root fewer.
    let s = summary_of(&dir.join("winproctree-minimal.csv"));
    assert_eq!((s.processes, s.roots, s.leaves, s.branches, s.depth), (125, 9, 97, 19, 7), "{s:?}");
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
