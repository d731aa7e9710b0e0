//! Text storage shared by every string column of a dataset.
//!
//! Every string value stays where it is in the input. Strings with JSON escapes are
//! decoded in place once parsing is done (a decoded string is never longer than its
//! escaped form), so no value is ever copied to a second buffer.

/// A string value's place in a [`TextStore`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Span {
    /// Start offset in the input.
    pub start: u32,
    /// Length in bytes (while parsing, the top bit marks a still-escaped string).
    pub len: u32,
}

/// Marks a span whose bytes are still JSON-escaped (only while parsing).
pub(crate) const ESCAPED: u32 = 1 << 31;

impl Span {
    /// The empty string.
    pub const EMPTY: Span = Span { start: 0, len: 0 };

    /// Length in bytes.
    pub fn byte_len(self) -> usize {
        (self.len & !ESCAPED) as usize
    }

    pub(crate) fn is_escaped(self) -> bool {
        self.len & ESCAPED != 0
    }
}

fn slice(input: &[u8], span: Span) -> &[u8] {
    let start = span.start as usize;
    input.get(start..start + span.byte_len()).unwrap_or_default()
}

/// Owns the bytes that string spans point into.
#[derive(Debug, Clone, Default)]
pub struct TextStore {
    input: Vec<u8>,
}

impl TextStore {
    pub(crate) fn new(input: Vec<u8>) -> Self {
        TextStore { input }
    }

    /// The bytes of a span (empty if the span is out of range, which parsing never produces).
    pub fn bytes(&self, span: Span) -> &[u8] {
        slice(&self.input, span)
    }

    /// The text of a span. Input is UTF-8 (validated, or produced by a browser's
    /// `TextEncoder`) and spans never cut a character, so nothing is replaced.
    pub fn text(&self, span: Span) -> std::borrow::Cow<'_, str> {
        String::from_utf8_lossy(self.bytes(span))
    }

    /// Bytes held.
    pub fn heap_bytes(&self) -> usize {
        self.input.capacity()
    }
}

/// Read-only view of the input while parsing.
pub(crate) struct StoreView<'a> {
    pub input: &'a [u8],
}

impl StoreView<'_> {
    /// The raw bytes of a span (still escaped if the span is).
    pub fn bytes(&self, span: Span) -> &[u8] {
        slice(self.input, span)
    }

    /// The text of a span, decoding escapes when the span still has them.
    pub fn text(&self, span: Span) -> String {
        let raw = self.bytes(span);
        if span.is_escaped() {
            let mut out = Vec::with_capacity(raw.len());
            crate::json::unescape_into(raw, &mut out);
            String::from_utf8_lossy(&out).into_owned()
        } else {
            String::from_utf8_lossy(raw).into_owned()
        }
    }
}
