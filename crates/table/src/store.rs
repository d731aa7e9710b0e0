//! Text storage shared by every string column of a dataset.
//!
//! Strings that need no unescaping stay where they are in the input; the rest are
//! decoded once into an `extra` buffer. A [`Span`] addresses both as one space:
//! offsets below `input.len()` are in the input, the rest in `extra`.

/// A string value's place in a [`TextStore`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Span {
    /// Start offset in the combined address space.
    pub start: u32,
    /// Length in bytes.
    pub len: u32,
}

impl Span {
    /// The empty string.
    pub const EMPTY: Span = Span { start: 0, len: 0 };
}

/// Owns the bytes that string spans point into.
#[derive(Debug, Clone, Default)]
pub struct TextStore {
    input: Vec<u8>,
    extra: Vec<u8>,
}

impl TextStore {
    pub(crate) fn new(input: Vec<u8>, extra: Vec<u8>) -> Self {
        TextStore { input, extra }
    }

    /// The bytes of a span (empty if the span is out of range, which parsing never produces).
    pub fn bytes(&self, span: Span) -> &[u8] {
        let start = span.start as usize;
        let end = start + span.len as usize;
        if end <= self.input.len() {
            self.input.get(start..end).unwrap_or_default()
        } else {
            let base = self.input.len();
            self.extra.get(start.saturating_sub(base)..end - base).unwrap_or_default()
        }
    }

    /// The text of a span. Input is validated as UTF-8 before parsing, so this only
    /// replaces bytes when a span was cut inside a character, which parsing never does.
    pub fn text(&self, span: Span) -> std::borrow::Cow<'_, str> {
        String::from_utf8_lossy(self.bytes(span))
    }

    /// Bytes held (input and decoded strings).
    pub fn heap_bytes(&self) -> usize {
        self.input.capacity() + self.extra.capacity()
    }
}

/// Read-only view of the store while parsing: the borrowed input plus the growing
/// buffer of decoded strings.
pub(crate) struct StoreView<'a> {
    pub input: &'a [u8],
    pub extra: &'a [u8],
}

impl StoreView<'_> {
    pub fn bytes(&self, span: Span) -> &[u8] {
        let start = span.start as usize;
        let end = start + span.len as usize;
        if end <= self.input.len() {
            self.input.get(start..end).unwrap_or_default()
        } else {
            let base = self.input.len();
            self.extra.get(start.saturating_sub(base)..end - base).unwrap_or_default()
        }
    }
}
