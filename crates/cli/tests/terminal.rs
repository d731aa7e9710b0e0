//! What the CLI prints for a terminal: no raw ESC, OSC, BEL or C1 control from the data,
//! and no line a value can forge.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::process::Command;

fn run(args: &[&str]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_huntviz")).args(args).output().expect("runs");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

/// A terminal would obey these: ESC (and so CSI/OSC sequences), BEL, C1 CSI.
fn raw_controls(text: &str) -> bool {
    text.chars().any(|c| c == '\u{1b}' || c == '\u{7}' || ('\u{7f}'..='\u{9f}').contains(&c))
}

#[test]
fn text_and_json_output_never_carry_terminal_controls() {
    let dir = std::env::temp_dir().join(format!("huntviz-terminal-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("hostile.csv");
    // A column name with an OSC title sequence, a command line with a C1 CSI and a
    // newline that would forge a tree line, a host name with a bidi override.
    std::fs::write(
        &file,
        "TimeGenerated,Computer,EventID,NewProcessId,NewProcessName,ProcessId,ParentProcessName,CommandLine,\"Note\u{1b}]0;pwned\u{7}\"\n\
         2024-05-06T10:00:00Z,ws\u{202e}1,4688,0x10,C:\\x.exe,0x4,C:\\p.exe,\"a\u{9b}31mred\n  fake.exe (1)\",n\n",
    )
    .unwrap();
    let f = file.to_str().unwrap();
    let inspect = run(&["inspect", f]);
    assert!(!raw_controls(&inspect), "{inspect:?}");
    assert!(inspect.contains("Note⟨U+001B⟩]0;pwned⟨U+0007⟩"), "{inspect}");
    let tree = run(&["tree", f, "--text"]);
    assert!(!raw_controls(&tree), "{tree:?}");
    assert!(tree.contains("ws⟨U+202E⟩1"), "{tree}");
    assert!(tree.contains("a⟨U+009B⟩31mred↵  fake.exe (1)"), "{tree}");
    assert!(!tree.lines().any(|l| l.trim_start().starts_with("fake.exe")), "no forged line: {tree}");
    for args in [&["inspect", f, "--json"][..], &["tree", f, "--json"], &["rows", f], &["export", f, "--to", "jsonl"]] {
        let out = run(args);
        assert!(!raw_controls(&out), "{args:?}: {out:?}");
    }
    // The JSON still means the exact value.
    let rows = run(&["rows", f]);
    let row: Vec<Option<String>> = serde_json::from_str(rows.lines().nth(1).unwrap()).unwrap();
    assert_eq!(row[7].as_deref(), Some("a\u{9b}31mred\n  fake.exe (1)"));
    std::fs::remove_dir_all(&dir).ok();
}
