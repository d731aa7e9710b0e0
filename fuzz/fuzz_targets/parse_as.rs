//! Any bytes read as each format forced (the first byte picks it): every reader gets
//! inputs its detection would never send it.
#![no_main]

use huntviz_table::{parse, Format, ParseOptions};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&pick, rest)) = data.split_first() else { return };
    let format = Format::ALL[pick as usize % Format::ALL.len()];
    let options = ParseOptions { format: Some(format), ..ParseOptions::default() };
    if let Ok(d) = parse(rest.to_vec(), &options) {
        for t in &d.tables {
            for c in 0..t.columns.len() {
                let _ = t.sort_order(c, true);
                for r in 0..t.rows().min(16) {
                    let _ = t.cell_text(r, c);
                }
            }
        }
    }
});
