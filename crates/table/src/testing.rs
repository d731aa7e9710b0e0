//! For the project's tests: where the shared real datasets are.

use std::path::PathBuf;

/// `../shared/datasets` beside the checkout (or `HUNTVIZ_SHARED_DATASETS`), when it is
/// there. A user's clone has no `../shared`: the tests that read it then say so and
/// pass. CI always has it, so under `CI` an absent directory is a failure (a panic)
/// rather than a test that passes having read nothing.
pub fn shared_datasets() -> Option<PathBuf> {
    let dir = std::env::var_os("HUNTVIZ_SHARED_DATASETS")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/datasets")));
    if dir.is_dir() {
        return Some(dir);
    }
    let why = format!("{} is absent (set HUNTVIZ_SHARED_DATASETS to run these)", dir.display());
    assert!(std::env::var_os("CI").is_none_or(|v| v.is_empty()), "CI must read the shared datasets: {why}");
    eprintln!("skipped: {why}");
    None
}
