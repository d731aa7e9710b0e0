//! Making data text safe and honest to draw.
//!
//! Attacker-written strings reach the screen only through [`visible`]: control
//! characters, bidi overrides and isolates (Trojan Source, RLO file names),
//! zero-width and other invisible characters are shown as `⟨U+202E⟩` markers, so a
//! hunter sees the true name; newlines and tabs are shown as `↵` and `→`.

use unicode_width::UnicodeWidthChar;

/// Whether a character must be shown as a visible marker instead of itself: controls,
/// Unicode's default-ignorable code points (bidi controls, zero-width characters,
/// variation selectors, tags, fillers, format controls that draw nothing) and the
/// noncharacters (U+FFFE, U+FFFF and their kind, which XML also forbids).
///
/// The plugin applies the same rule to the text it sets in the page: `js/hidden.ts` is
/// generated from this function (`cargo test -p huntviz-draw`, `HUNTVIZ_BLESS=1` to
/// write it) and checked against it.
pub fn is_hidden(c: char) -> bool {
    let u = c as u32;
    // Noncharacters: U+FDD0–U+FDEF and the last two code points of every plane.
    if (0xfdd0..=0xfdef).contains(&u) || u & 0xfffe == 0xfffe {
        return true;
    }
    matches!(c,
        '\u{0}'..='\u{8}' | '\u{b}' | '\u{c}' | '\u{e}'..='\u{1f}' | '\u{7f}'..='\u{9f}'
        | '\u{ad}'                     // soft hyphen
        | '\u{34f}'                    // combining grapheme joiner
        | '\u{61c}'                    // Arabic letter mark
        | '\u{115f}' | '\u{1160}'      // Hangul fillers
        | '\u{17b4}' | '\u{17b5}'
        | '\u{180b}'..='\u{180f}'      // Mongolian variation selectors / vowel separator
        | '\u{200b}'..='\u{200f}'      // zero width space/non-joiner/joiner, LRM, RLM
        | '\u{2028}'..='\u{202e}'      // separators, LRE RLE PDF LRO RLO
        | '\u{2060}'..='\u{206f}'      // word joiner, invisible operators, LRI RLI FSI PDI, …
        | '\u{3164}'                   // Hangul filler
        | '\u{fe00}'..='\u{fe0f}'      // variation selectors
        | '\u{feff}'                   // BOM / zero width no-break space
        | '\u{ffa0}'
        | '\u{fff0}'..='\u{fffb}'      // interlinear annotations, object replacement
        | '\u{110bd}' | '\u{110cd}'    // Kaithi number signs (format)
        | '\u{13430}'..='\u{1343f}'    // Egyptian hieroglyph format controls
        | '\u{1bca0}'..='\u{1bca3}'    // shorthand format controls
        | '\u{1d173}'..='\u{1d17a}'    // musical symbol format controls
        | '\u{e0000}'..='\u{e0fff}'    // tags, variation selectors supplement, reserved ignorables
    )
}

/// Whether the text holds any character [`visible`] would mark.
pub fn has_hidden(text: &str) -> bool {
    text.chars().any(|c| is_hidden(c) || c == '\n' || c == '\r' || c == '\t')
}

/// The text as it should be drawn: hidden characters as `⟨U+XXXX⟩`, `\n` as `↵`,
/// `\r` as `␍`, `\t` as `→`; at most `max_chars` characters are read (the rest is
/// reported by the `bool`).
pub fn visible(raw: &str, max_chars: usize) -> (String, bool) {
    let mut out = String::with_capacity(raw.len().min(max_chars.saturating_mul(4)));
    let mut truncated = false;
    for (n, c) in raw.chars().enumerate() {
        if n >= max_chars {
            truncated = true;
            break;
        }
        match c {
            '\n' => out.push('↵'),
            '\r' => out.push('␍'),
            '\t' => out.push('→'),
            c if is_hidden(c) => {
                use std::fmt::Write;
                let _ = write!(out, "⟨U+{:04X}⟩", c as u32);
            }
            c => out.push(c),
        }
    }
    (out, truncated)
}

/// Display width of a character in monospace cells (wide CJK = 2, combining = 0).
pub fn char_columns(c: char) -> usize {
    c.width().unwrap_or(0)
}

/// Display width of text in monospace cells.
pub fn columns(text: &str) -> usize {
    text.chars().map(char_columns).sum()
}

/// Cuts `text` to at most `max_columns` monospace cells, ending in `…` when cut.
/// Returns the text and whether it was cut.
pub fn elide(text: &str, max_columns: usize) -> (String, bool) {
    if columns(text) <= max_columns {
        return (text.to_string(), false);
    }
    if max_columns == 0 {
        return (String::new(), true);
    }
    let mut out = String::new();
    let mut used = 0;
    for c in text.chars() {
        let w = char_columns(c);
        if used + w > max_columns - 1 {
            break;
        }
        used += w;
        out.push(c);
    }
    out.push('…');
    (out, true)
}

/// Formats a count with thousands separators (`1,000,000`).
pub fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bidi_and_invisible_characters_are_shown() {
        assert_eq!(visible("evil\u{202e}gnp.exe", 100).0, "evil⟨U+202E⟩gnp.exe");
        assert_eq!(visible("a\u{200b}b\u{2066}c\u{feff}", 100).0, "a⟨U+200B⟩b⟨U+2066⟩c⟨U+FEFF⟩");
        assert_eq!(visible("l1\nl2\tx\u{0}", 100).0, "l1↵l2→x⟨U+0000⟩");
        assert_eq!(visible("plain ascii", 100), ("plain ascii".to_string(), false));
        assert_eq!(visible("abcdef", 3), ("abc".to_string(), true));
        assert!(has_hidden("x\u{61c}") && !has_hidden("höhe"));
    }

    #[test]
    fn noncharacters_and_other_ignorables_are_shown() {
        assert_eq!(visible("a\u{fffe}b\u{ffff}c\u{fdd0}", 100).0, "a⟨U+FFFE⟩b⟨U+FFFF⟩c⟨U+FDD0⟩");
        assert_eq!(visible("\u{1fffe}\u{10ffff}\u{e0100}\u{1bca0}", 100).0, "⟨U+1FFFE⟩⟨U+10FFFF⟩⟨U+E0100⟩⟨U+1BCA0⟩");
        // What is shown is itself shown as it is (markers are plain text).
        let once = visible("x\u{202e}\u{0}\n", 100).0;
        assert_eq!(visible(&once, 100).0, once);
    }

    /// The hidden ranges, as the plugin's `js/hidden.ts` lists them.
    fn hidden_ts() -> String {
        let mut ranges: Vec<(u32, u32)> = Vec::new();
        for c in (0..=0x10ffff_u32).filter_map(char::from_u32) {
            if !is_hidden(c) {
                continue;
            }
            let u = c as u32;
            match ranges.last_mut() {
                Some(r) if r.1 + 1 == u => r.1 = u,
                _ => ranges.push((u, u)),
            }
        }
        let mut out = String::from(
            "// Generated from huntviz_draw::text::is_hidden by `cargo test -p huntviz-draw` (HUNTVIZ_BLESS=1\n\
             // writes it); a test fails when it differs. Do not edit.\n\n\
             /** Code point ranges shown as `⟨U+XXXX⟩` markers, sorted, inclusive. */\n\
             export const HIDDEN_RANGES: readonly (readonly [number, number])[] = [\n",
        );
        for (a, b) in ranges {
            out.push_str(&format!("  [0x{a:x}, 0x{b:x}],\n"));
        }
        out.push_str("];\n");
        out
    }

    #[test]
    fn the_plugin_hides_exactly_what_the_engine_hides() {
        crate::testing::check_file("js/hidden.ts", &hidden_ts(), "the plugin's copy of is_hidden");
    }

    #[test]
    fn elision_counts_display_columns() {
        assert_eq!(elide("abcdef", 6), ("abcdef".to_string(), false));
        assert_eq!(elide("abcdef", 4), ("abc…".to_string(), true));
        assert_eq!(elide("日本語テキスト", 5), ("日本…".to_string(), true));
        assert_eq!(elide("abc", 0), (String::new(), true));
    }

    #[test]
    fn thousands_separators() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(1010), "1,010");
        assert_eq!(thousands(1_000_000), "1,000,000");
    }
}
