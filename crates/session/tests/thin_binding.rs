//! The browser binding is glue: every decision about views is the session's (tested in
//! `session.rs`), none is made in `crates/wasm`. This fails when view logic creeps back:
//! a view crate used directly, a branch on the kind of view, a view's option parsed there.
#![allow(clippy::unwrap_used, clippy::expect_used)]

fn read(relative: &str) -> String {
    let path = format!("{}/../{relative}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

#[test]
fn the_wasm_crate_reaches_views_only_through_the_session() {
    let manifest = read("wasm/Cargo.toml");
    let deps: Vec<&str> =
        manifest.lines().filter(|l| l.starts_with("huntviz-")).map(|l| l.split('.').next().unwrap_or(l)).collect();
    assert_eq!(deps, ["huntviz-session", "huntviz-draw"], "the binding depends on the session and the drawing only");
    for file in ["wasm/src/lib.rs", "wasm/src/canvas.rs"] {
        let code = read(file);
        for crate_name in ["huntviz_grid", "huntviz_process_tree", "huntviz_timeline", "huntviz_graph", "huntviz_table"]
        {
            assert!(!code.contains(crate_name), "{file} uses {crate_name}: view logic belongs in the session");
        }
        if file.ends_with("lib.rs") {
            // No branch on the view (or anything else): arguments in, replies out.
            let code: String = code.lines().filter(|l| !l.trim_start().starts_with("//")).collect();
            for branch in
                ["match ", "ViewKind::Table", "ViewKind::ProcessTree", "ViewKind::Timeline", "ViewKind::Graph"]
            {
                assert!(!code.contains(branch), "{file} has `{branch}`: decide it in the session");
            }
        }
    }
}
