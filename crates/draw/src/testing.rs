//! Test support shared by every crate's tests (feature `testing`): files the tests
//! check against what the code makes now — golden SVGs, generated TypeScript.
//!
//! Each comparison fails with the first differing line when the committed file differs;
//! `HUNTVIZ_BLESS=1` writes the fresh output instead (then review the diff in git).
//! TESTING.md lists every such file.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::PathBuf;

/// The variable that writes committed files instead of checking them.
pub const BLESS: &str = "HUNTVIZ_BLESS";

/// A path relative to the workspace root.
pub fn workspace_path(relative: &str) -> PathBuf {
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../..")).join(relative)
}

/// Checks `fresh` against the committed file at `relative` (from the workspace root),
/// or writes it when `HUNTVIZ_BLESS` is set. `what` names it in the failure.
pub fn check_file(relative: &str, fresh: &str, what: &str) {
    let path = workspace_path(relative);
    if std::env::var_os(BLESS).is_some() {
        std::fs::write(&path, fresh).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        return;
    }
    let committed = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{relative}: {e}; write it with {BLESS}=1 and review it"));
    if committed != fresh {
        let line = committed.lines().zip(fresh.lines()).position(|(a, b)| a != b).map_or_else(
            || format!("lengths differ ({} vs {} lines)", committed.lines().count(), fresh.lines().count()),
            |i| format!("line {}", i + 1),
        );
        panic!("{what} changed ({relative}, {line}): inspect it and write it again with {BLESS}=1");
    }
}

/// Checks an SVG against `tests/golden/{name}.svg`.
pub fn golden_svg(name: &str, svg: &str) {
    check_file(&format!("tests/golden/{name}.svg"), svg, &format!("the rendering {name}"));
}
