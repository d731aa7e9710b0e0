//! The TypeScript declarations of the boundary types (`js/types.ts`) are generated from
//! the Rust types: this test fails when the committed file differs from a fresh
//! generation. `HUNTVIZ_BLESS=1 cargo test -p huntviz-session --test types` writes it.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use huntviz_session::{
    CellSelection, Command, Detail, Entity, Evidence, LegendItem, LinkDetail, LinkLegendItem, Memory, OptionsShape,
    Response, Spec, ThemeSpec, Tooltip, ViewChoice, ViewKind, ViewState, VisibleRow, VisibleText, Warning, WarningKind,
};
use ts_rs::{Config, TS};

fn declaration<T: TS>(cfg: &Config) -> String {
    let docs = T::docs().unwrap_or_default();
    format!("{docs}export {}\n", T::decl(cfg))
}

fn generate() -> String {
    let cfg = Config::new().with_large_int("number");
    let mut out = String::from(
        "// Generated from the Rust types by crates/session/tests/types.rs: do not edit.\n\
         // HUNTVIZ_BLESS=1 cargo test -p huntviz-session --test types writes it again.\n\n",
    );
    for decl in [
        declaration::<Response>(&cfg),
        declaration::<Memory>(&cfg),
        declaration::<Tooltip>(&cfg),
        declaration::<LegendItem>(&cfg),
        declaration::<VisibleText>(&cfg),
        declaration::<VisibleRow>(&cfg),
        declaration::<Evidence>(&cfg),
        declaration::<LinkDetail>(&cfg),
        declaration::<LinkLegendItem>(&cfg),
        declaration::<Detail>(&cfg),
        declaration::<Entity>(&cfg),
        declaration::<CellSelection>(&cfg),
        declaration::<WarningKind>(&cfg),
        declaration::<Warning>(&cfg),
        declaration::<ViewKind>(&cfg),
        declaration::<ViewChoice>(&cfg),
        declaration::<OptionsShape>(&cfg),
        declaration::<Spec>(&cfg),
        declaration::<ThemeSpec>(&cfg),
        declaration::<Command>(&cfg),
        declaration::<ViewState>(&cfg),
    ] {
        out.push_str(&decl);
        out.push('\n');
    }
    out.truncate(out.trim_end().len());
    out.push('\n');
    out
}

/// The Python package's copy of the view names, the option keys each view reads and
/// what each option does (the doc comments of [`OptionsShape`]).
fn python_contract() -> String {
    let mut out = String::from(
        "\"\"\"The engine's view names, option keys and option descriptions.\n\n\
         Generated from the Rust types by crates/session/tests/types.rs: do not edit.\n\
         HUNTVIZ_BLESS=1 cargo test -p huntviz-session --test types writes it again.\n\"\"\"\n\n",
    );
    let tuple = |items: &[&str]| items.iter().map(|i| format!("    \"{i}\",\n")).collect::<String>();
    let names: Vec<&str> = std::iter::once("auto").chain(ViewKind::ALL.iter().map(|k| k.id())).collect();
    out.push_str(&format!("VIEWS = (\n{})\n\n", tuple(&names)));
    out.push_str(&format!("OPTIONS = (\n{})\n\n", tuple(&huntviz_session::Options::keys())));
    out.push_str("# The options each view reads (\"auto\": all of them).\nVIEW_OPTIONS = {\n");
    for name in &names {
        let keys = huntviz_session::Options::view_keys(ViewKind::from_id(name));
        let items = keys.iter().map(|k| format!("        \"{k}\",\n")).collect::<String>();
        out.push_str(&format!("    \"{name}\": (\n{items}    ),\n"));
    }
    out.push_str("}\n\nOPTION_DOCS = {\n");
    for (key, doc) in option_docs() {
        out.push_str(&format!("    \"{key}\": {},\n", python_string(&doc)));
    }
    out.push_str("}\n");
    out
}

/// Each option's doc comment, from the TypeScript declaration ts-rs writes for
/// [`OptionsShape`] (`/** … */` before `key?: type`).
fn option_docs() -> Vec<(String, String)> {
    // The declaration alone (the type's own doc comment comes before it).
    let decl = OptionsShape::decl(&Config::new());
    let mut docs = Vec::new();
    let mut rest = decl.as_str();
    while let Some(start) = rest.find("/**") {
        let Some(end) = rest[start..].find("*/") else { break };
        let comment = &rest[start + 3..start + end];
        let text = comment.lines().map(|l| l.trim().trim_start_matches('*').trim()).filter(|l| !l.is_empty());
        let doc = text.collect::<Vec<_>>().join(" ");
        rest = &rest[start + end + 2..];
        let key: String = rest.trim_start().chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
        docs.push((key, doc));
    }
    docs
}

/// A Python string literal as ruff formats it (single quotes when that avoids escapes).
fn python_string(text: &str) -> String {
    let text = text.replace('\\', "\\\\");
    if text.contains('"') && !text.contains('\'') {
        format!("'{text}'")
    } else {
        format!("\"{}\"", text.replace('"', "\\\""))
    }
}

#[test]
fn the_python_package_lists_the_engines_views_and_options() {
    huntviz_draw::testing::check_file("python/huntviz/_contract.py", &python_contract(), "the Python view names");
}

#[test]
fn the_options_shape_has_exactly_the_keys_the_engine_reads() {
    let cfg = Config::new();
    let decl = OptionsShape::decl(&cfg);
    let mut fields: Vec<&str> =
        decl.split(['{', ',', ' ', '\n']).filter_map(|t| t.strip_suffix("?:")).collect::<Vec<_>>();
    let mut keys = huntviz_session::Options::keys();
    fields.sort_unstable();
    keys.sort_unstable();
    assert_eq!(fields, keys, "{decl}");
}

#[test]
fn committed_typescript_declarations_match_the_rust_types() {
    huntviz_draw::testing::check_file("js/types.ts", &generate(), "the TypeScript boundary types");
}
