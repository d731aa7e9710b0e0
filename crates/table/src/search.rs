//! Searching a table the way every view does: a case-insensitive substring or a regex,
//! over every column's exact text, without formatting cells that cannot match.

use crate::{ColumnType, Table};
use std::sync::{Arc, Mutex};

/// A text test (substring or regex).
pub type Test = Box<dyn Fn(&str) -> bool>;

/// Case-insensitive substring test against an already lower-cased needle. An ASCII
/// needle is found with ASCII folding and no allocation (memchr for its first byte);
/// any other folds the haystack with `to_lowercase`.
pub fn contains_folded(hay: &str, needle: &str) -> bool {
    if !needle.is_ascii() {
        return hay.to_lowercase().contains(needle);
    }
    let (h, n) = (hay.as_bytes(), needle.as_bytes());
    let Some(&first) = n.first() else { return true };
    let Some(last_start) = h.len().checked_sub(n.len()) else { return false };
    let starts = h.get(..=last_start).unwrap_or_default();
    memchr::memchr2_iter(first.to_ascii_lowercase(), first.to_ascii_uppercase(), starts)
        .any(|i| h.get(i..i + n.len()).is_some_and(|w| w.eq_ignore_ascii_case(n)))
}

/// A longer search or highlight text is refused: matching cost grows with the
/// pattern, and a saved output must not be able to hang the tab.
pub const MAX_QUERY_CHARS: usize = 1_000;

/// The test for a query: a case-insensitive substring, or (with `regex`) a
/// case-insensitive regular expression of bounded size (text at most
/// [`MAX_QUERY_CHARS`] characters, compiled program at most 1 MB, nesting at most 64).
/// An invalid or oversized query is an error message for the user.
pub fn matcher(query: &str, regex: bool) -> Result<Test, String> {
    if query.chars().count() > MAX_QUERY_CHARS {
        return Err(format!("search text longer than {MAX_QUERY_CHARS} characters"));
    }
    if regex {
        let re = regex_lite::RegexBuilder::new(query)
            .case_insensitive(true)
            .size_limit(1 << 20)
            .nest_limit(64)
            .build()
            .map_err(|e| format!("invalid regular expression: {e}"))?;
        Ok(Box::new(move |t: &str| re.is_match(t)))
    } else {
        let needle = query.to_lowercase();
        Ok(Box::new(move |t: &str| contains_folded(t, &needle)))
    }
}

/// The matches of a search in the order the view steps through them, and which one
/// is current: next and previous wrap around, the first step forward goes to the
/// first match and the first step back to the last.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MatchCursor {
    order: Vec<u32>,
    current: Option<usize>,
}

impl MatchCursor {
    /// Matches in stepping order, none current.
    pub fn new(order: Vec<u32>) -> MatchCursor {
        MatchCursor { order, current: None }
    }

    /// The matches, in stepping order.
    pub fn order(&self) -> &[u32] {
        &self.order
    }

    /// `(matches, current)`, current 1-based.
    pub fn position(&self) -> (usize, Option<usize>) {
        (self.order.len(), self.current.map(|c| c + 1))
    }

    /// The same matches under other numbers (a view that renumbered its items), the
    /// same one current.
    pub fn mapped(&self, f: impl Fn(u32) -> u32) -> MatchCursor {
        MatchCursor { order: self.order.iter().map(|&m| f(m)).collect(), current: self.current }
    }

    /// Moves to the next (or previous) match and returns it; `None` without matches.
    pub fn step(&mut self, forward: bool) -> Option<u32> {
        let n = self.order.len();
        if n == 0 {
            return None;
        }
        let next = match self.current {
            None if forward => 0,
            None => n - 1,
            Some(c) if forward => (c + 1) % n,
            Some(c) => (c + n - 1) % n,
        };
        self.current = Some(next);
        self.order.get(next).copied()
    }
}

/// A table's last search: the query, regex or not, and the rows it matched.
pub(crate) type Memo = Arc<Mutex<Option<(String, bool, Arc<Vec<bool>>)>>>;

impl Table {
    /// The rows `query` matches (substring, case-insensitive, or a regex): the same
    /// as [`Table::matching_rows`] with [`matcher`], kept for the next caller asking
    /// the same. Every pane of an investigation searches one table: a million rows are
    /// read once, not once per pane. (Columns are public: a table changed after a
    /// search must be searched with `matching_rows`.)
    pub fn rows_matching(&self, query: &str, regex: bool) -> Result<Arc<Vec<bool>>, String> {
        let last = self.search_memo.lock().ok().and_then(|m| m.clone());
        if let Some((q, r, hits)) = last {
            if q == query && r == regex {
                return Ok(hits);
            }
        }
        let test = matcher(query, regex)?;
        let needle = (!regex).then(|| query.to_lowercase());
        let hits = Arc::new(self.matching_rows(&*test, needle.as_deref()));
        if let Ok(mut m) = self.search_memo.lock() {
            *m = Some((query.to_string(), regex, Arc::clone(&hits)));
        }
        Ok(hits)
    }

    /// Rows with any column passing `test`. For a plain substring (`needle`,
    /// lower-cased), columns whose text cannot contain it — digits-only numbers and
    /// times for a word — are skipped without formatting a cell.
    pub fn matching_rows(&self, test: &dyn Fn(&str) -> bool, needle: Option<&str>) -> Vec<bool> {
        let mut hits = vec![false; self.rows()];
        for (c, col) in self.columns.iter().enumerate() {
            let alphabet = match col.ty {
                ColumnType::Int | ColumnType::Long => Some("0123456789-"),
                ColumnType::DateTime => Some("0123456789-:.tz"),
                ColumnType::TimeSpan => Some("0123456789-:."),
                ColumnType::Real => Some("0123456789-+.e nainfty"),
                ColumnType::Bool => Some("truefals"),
                _ => None,
            };
            if let (Some(a), Some(n)) = (alphabet, needle) {
                if !n.chars().all(|ch| a.contains(ch)) {
                    continue;
                }
            }
            self.mark_rows(c, test, &mut hits);
        }
        hits
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folded_substring_matches_to_lowercase_contains() {
        let hays = [
            "",
            "C:\\Windows\\System32\\WHOAMI.exe /all",
            "whoami",
            "who",
            "ÉCOLE Straße İstanbul whoAMI",
            "ẞ and ß",
            "ab\u{0}c\u{202e}WhoamI",
        ];
        let needles = ["", "whoami", "WhoAmI", "i.exe /", "straße", "école", "ß", "\u{0}c", "x", "whoamii"];
        for h in hays {
            for n in needles {
                let needle = n.to_lowercase();
                assert_eq!(contains_folded(h, &needle), h.to_lowercase().contains(&needle), "{h:?} contains {n:?}");
            }
        }
    }

    #[test]
    fn the_cursor_wraps_both_ways() {
        let mut c = MatchCursor::new(vec![7, 8, 9]);
        assert_eq!(c.position(), (3, None));
        assert_eq!(c.step(false), Some(9));
        assert_eq!(c.step(true), Some(7));
        assert_eq!(c.step(true), Some(8));
        assert_eq!(c.position(), (3, Some(2)));
        assert_eq!(MatchCursor::default().step(true), None);
    }

    #[test]
    fn matching_rows_skips_columns_that_cannot_match_but_finds_numbers_and_times() {
        let d = crate::parse_str(
            r#"{"tables":[{"name":"PrimaryResult","columns":[{"name":"T","type":"datetime"},{"name":"N","type":"long"},{"name":"S","type":"string"}],
            "rows":[["2024-05-06T01:02:03Z",42,"Whoami"],["2024-05-07T00:00:00Z",7,null]]}]}"#,
        )
        .expect("parses");
        let t = &d.tables[0];
        let rows = |q: &str, re: bool| {
            let test = matcher(q, re).expect("valid");
            let needle = (!re).then(|| q.to_lowercase());
            t.matching_rows(&*test, needle.as_deref())
        };
        assert_eq!(rows("WHO", false), vec![true, false]);
        assert_eq!(rows("42", false), vec![true, false]);
        assert_eq!(rows("05-07", false), vec![false, true]);
        assert_eq!(rows("^7$", true), vec![false, true]);
        assert!(matcher("(", true).is_err());

        // The same search again (another pane) is the same rows, not a second read;
        // another query, or the same text as a regex, is searched.
        let first = t.rows_matching("who", false).expect("valid");
        assert_eq!(*first, rows("who", false));
        assert!(Arc::ptr_eq(&first, &t.rows_matching("who", false).expect("valid")));
        assert!(Arc::ptr_eq(&first, &t.clone().rows_matching("who", false).expect("valid")), "clones share it");
        let regex = t.rows_matching("who", true).expect("valid");
        assert!(!Arc::ptr_eq(&first, &regex));
        assert_eq!(*t.rows_matching("^7$", true).expect("valid"), vec![false, true]);
        assert!(t.rows_matching("(", true).is_err());
        assert_eq!(*t.rows_matching("^7$", true).expect("valid"), vec![false, true]);
    }
}
