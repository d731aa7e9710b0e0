//! A pull reader over JSON bytes that builds nothing on its own.
//!
//! Written by hand because no JSON library gives all of: borrowed string slices with
//! their escape status (so unescaped strings are stored as spans, not copied), the
//! exact source text of numbers (64-bit integers and decimals stay exact without a
//! `Value` per cell), tolerance of lone surrogates (serde_json rejects `"\uD800"`), and
//! iterative skipping of values of any depth. Structure helpers are callback-free so
//! format readers drive it with plain loops.

use crate::error::ParseError;

/// A string token: byte range of its contents (between the quotes) in the input.
#[derive(Debug, Clone, Copy)]
pub(crate) struct RawStr {
    pub start: usize,
    pub end: usize,
    /// Contains at least one backslash escape.
    pub escaped: bool,
}

/// A JSON token kind as seen from its first byte.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Peek {
    Object,
    Array,
    String,
    Number,
    True,
    False,
    Null,
}

pub(crate) struct Reader<'a> {
    buf: &'a [u8],
    pos: usize,
}

pub(crate) type Result<T> = std::result::Result<T, ParseError>;

impl<'a> Reader<'a> {
    #[cfg(test)]
    pub fn new(buf: &'a [u8]) -> Self {
        Reader { buf, pos: 0 }
    }

    pub fn at(buf: &'a [u8], pos: usize) -> Self {
        Reader { buf, pos }
    }

    pub fn input(&self) -> &'a [u8] {
        self.buf
    }

    pub fn pos(&self) -> usize {
        self.pos
    }

    pub fn error(&self, message: impl Into<String>) -> ParseError {
        ParseError::at(message, self.buf, self.pos)
    }

    fn error_at(&self, message: impl Into<String>, pos: usize) -> ParseError {
        ParseError::at(message, self.buf, pos)
    }

    /// Skips whitespace and returns the next byte without consuming it.
    #[inline]
    pub fn skip_ws(&mut self) -> Option<u8> {
        while let Some(&b) = self.buf.get(self.pos) {
            match b {
                b' ' | b'\n' | b'\r' | b'\t' => self.pos += 1,
                _ => return Some(b),
            }
        }
        None
    }

    /// Position of the next non-whitespace byte.
    pub fn pos_after_ws(&mut self) -> usize {
        self.skip_ws();
        self.pos
    }

    /// True when only whitespace remains.
    pub fn at_end(&mut self) -> bool {
        self.skip_ws().is_none()
    }

    fn describe(b: Option<u8>) -> String {
        match b {
            None => "the end of the input".to_string(),
            Some(b) if b.is_ascii_graphic() => format!("'{}'", b as char),
            Some(b) => format!("byte 0x{b:02x}"),
        }
    }

    /// The next byte described for an error message ("'x'", "the end of the input").
    pub fn describe_next(&mut self) -> String {
        let next = self.skip_ws();
        Self::describe(next)
    }

    /// Kind of the next value.
    #[inline]
    pub fn peek(&mut self) -> Result<Peek> {
        match self.skip_ws() {
            Some(b'{') => Ok(Peek::Object),
            Some(b'[') => Ok(Peek::Array),
            Some(b'"') => Ok(Peek::String),
            Some(b'-' | b'0'..=b'9') => Ok(Peek::Number),
            Some(b't') => Ok(Peek::True),
            Some(b'f') => Ok(Peek::False),
            Some(b'n') => Ok(Peek::Null),
            other => Err(self.error(format!("expected a JSON value, found {}", Self::describe(other)))),
        }
    }

    /// Consumes `b` (after whitespace) or fails with "expected `what`".
    #[inline]
    pub fn expect(&mut self, b: u8, what: &str) -> Result<()> {
        let next = self.skip_ws();
        if next == Some(b) {
            self.pos += 1;
            Ok(())
        } else {
            Err(self.error(format!("expected {what}, found {}", Self::describe(next))))
        }
    }

    /// Starts iterating an array: consumes `[`.
    pub fn begin_array(&mut self, what: &str) -> Result<()> {
        self.expect(b'[', what)
    }

    /// Advances to the next array element. `first` tracks whether a comma is due.
    /// Returns `false` after consuming the closing `]`.
    #[inline]
    pub fn next_element(&mut self, first: &mut bool) -> Result<bool> {
        let next = self.skip_ws();
        if next == Some(b']') {
            self.pos += 1;
            return Ok(false);
        }
        if !*first {
            if next != Some(b',') {
                return Err(self.error(format!("expected ',' or ']' in an array, found {}", Self::describe(next))));
            }
            self.pos += 1;
            if self.skip_ws() == Some(b']') {
                return Err(self.error("trailing comma before ']'"));
            }
        }
        *first = false;
        Ok(true)
    }

    /// Starts iterating an object: consumes `{`.
    pub fn begin_object(&mut self, what: &str) -> Result<()> {
        self.expect(b'{', what)
    }

    /// Advances to the next key of an object and consumes the `:` after it.
    /// Returns `None` after consuming the closing `}`.
    #[inline]
    pub fn next_key(&mut self, first: &mut bool) -> Result<Option<RawStr>> {
        let next = self.skip_ws();
        if next == Some(b'}') {
            self.pos += 1;
            return Ok(None);
        }
        if !*first {
            if next != Some(b',') {
                return Err(self.error(format!("expected ',' or '}}' in an object, found {}", Self::describe(next))));
            }
            self.pos += 1;
        }
        *first = false;
        if self.skip_ws() != Some(b'"') {
            let next = self.skip_ws();
            return Err(self.error(format!("expected an object key (a string), found {}", Self::describe(next))));
        }
        let key = self.string()?;
        self.expect(b':', "':' after an object key")?;
        Ok(Some(key))
    }

    /// Reads a string token (the reader must be at its opening quote).
    #[inline]
    pub fn string(&mut self) -> Result<RawStr> {
        if self.skip_ws() != Some(b'"') {
            let next = self.skip_ws();
            return Err(self.error(format!("expected a string, found {}", Self::describe(next))));
        }
        self.string_here()
    }

    /// Reads a string token whose opening quote is the current byte.
    #[inline(always)]
    pub fn string_here(&mut self) -> Result<RawStr> {
        let start = self.pos + 1;
        let mut i = start;
        let mut escaped = false;
        loop {
            match find_quote_or_backslash(self.buf.get(i..).unwrap_or_default()) {
                Some(off) => {
                    let at = i + off;
                    if self.buf.get(at) == Some(&b'"') {
                        self.pos = at + 1;
                        return Ok(RawStr { start, end: at, escaped });
                    }
                    escaped = true;
                    i = at + 2;
                }
                None => return Err(self.error_at("unterminated string", start - 1)),
            }
        }
    }

    /// The current byte, without skipping whitespace.
    #[inline(always)]
    pub fn byte(&self) -> Option<u8> {
        self.buf.get(self.pos).copied()
    }

    /// Steps over `n` bytes already looked at.
    #[inline(always)]
    pub fn advance(&mut self, n: usize) {
        self.pos += n;
    }

    /// Reads a plain decimal integer token (`-`? digits, at most 18 of them, so it
    /// cannot overflow) starting at the current byte. `None`, with nothing consumed,
    /// when the token is anything else (a fraction, an exponent, more digits): the
    /// caller then reads it as a general number.
    #[inline(always)]
    pub fn small_integer(&mut self) -> Option<i64> {
        let neg = self.byte() == Some(b'-');
        let start = self.pos + usize::from(neg);
        let mut i = start;
        let mut value: i64 = 0;
        while let Some(&b) = self.buf.get(i) {
            let digit = b.wrapping_sub(b'0');
            if digit > 9 {
                break;
            }
            if i - start == 18 {
                return None;
            }
            value = value * 10 + i64::from(digit);
            i += 1;
        }
        if i == start || matches!(self.buf.get(i), Some(b'.' | b'e' | b'E' | b'+' | b'-')) {
            return None;
        }
        self.pos = i;
        Some(if neg { -value } else { value })
    }

    /// Reads the source text of a number token.
    #[inline]
    pub fn number(&mut self) -> Result<&'a [u8]> {
        self.skip_ws();
        let start = self.pos;
        let mut i = start;
        while let Some(&b) = self.buf.get(i) {
            if b.is_ascii_digit() || matches!(b, b'-' | b'+' | b'.' | b'e' | b'E') {
                i += 1;
            } else {
                break;
            }
        }
        if i == start {
            return Err(self.error("expected a number"));
        }
        self.pos = i;
        Ok(self.buf.get(start..i).unwrap_or_default())
    }

    /// Consumes `true`, `false` or `null`.
    #[inline]
    pub fn literal(&mut self) -> Result<Peek> {
        self.skip_ws();
        let rest = self.buf.get(self.pos..).unwrap_or_default();
        let (kind, len) = if rest.starts_with(b"true") {
            (Peek::True, 4)
        } else if rest.starts_with(b"false") {
            (Peek::False, 5)
        } else if rest.starts_with(b"null") {
            (Peek::Null, 4)
        } else {
            return Err(self.error("expected true, false or null"));
        };
        self.pos += len;
        Ok(kind)
    }

    /// Skips one value of any depth without recursion; returns its byte range.
    pub fn skip_value(&mut self) -> Result<(usize, usize)> {
        self.skip_ws();
        let start = self.pos;
        let mut stack: Vec<u8> = Vec::new();
        loop {
            match self.peek_structural()? {
                b'{' | b'[' => {
                    let open = self.buf.get(self.pos).copied().unwrap_or(b'[');
                    stack.push(if open == b'{' { b'}' } else { b']' });
                    self.pos += 1;
                    continue;
                }
                b'}' | b']' => {
                    let close = self.buf.get(self.pos).copied().unwrap_or(0);
                    if stack.pop() != Some(close) {
                        return Err(self.error(format!("unexpected '{}'", close as char)));
                    }
                    self.pos += 1;
                }
                b',' | b':' => {
                    if stack.is_empty() {
                        return Err(self.error("expected a JSON value"));
                    }
                    self.pos += 1;
                    continue;
                }
                b'"' => {
                    self.string()?;
                }
                b'-' | b'0'..=b'9' => {
                    self.number()?;
                }
                _ => {
                    self.literal()?;
                }
            }
            if stack.is_empty() {
                return Ok((start, self.pos));
            }
        }
    }

    fn peek_structural(&mut self) -> Result<u8> {
        match self.skip_ws() {
            Some(b) => Ok(b),
            None => Err(self.error("unexpected end of input inside a value")),
        }
    }

    /// Reads a string value and decodes it (for keys and small metadata).
    pub fn string_value(&mut self) -> Result<String> {
        let raw = self.string()?;
        Ok(self.decode(raw).0)
    }

    /// Decodes a raw string token into text. Returns the text and how many lone
    /// surrogates were replaced by U+FFFD.
    pub fn decode(&self, raw: RawStr) -> (String, usize) {
        let bytes = self.buf.get(raw.start..raw.end).unwrap_or_default();
        if !raw.escaped {
            return (String::from_utf8_lossy(bytes).into_owned(), 0);
        }
        let mut out = Vec::with_capacity(bytes.len());
        let bad = unescape_into(bytes, &mut out);
        (String::from_utf8_lossy(&out).into_owned(), bad)
    }

    /// Whether the raw string equals `expected` (keys never need escapes to match ours).
    #[inline]
    pub fn raw_eq(&self, raw: RawStr, expected: &str) -> bool {
        !raw.escaped && self.buf.get(raw.start..raw.end) == Some(expected.as_bytes())
    }

    /// Case-insensitive comparison of a raw key.
    #[inline]
    pub fn raw_eq_ignore_case(&self, raw: RawStr, expected: &str) -> bool {
        !raw.escaped && self.buf.get(raw.start..raw.end).is_some_and(|b| b.eq_ignore_ascii_case(expected.as_bytes()))
    }

    /// The raw bytes of a string token's contents.
    pub fn raw_bytes(&self, raw: RawStr) -> &'a [u8] {
        self.buf.get(raw.start..raw.end).unwrap_or_default()
    }

    /// Reads a number, string or null as a small integer (for metadata like `TableId`).
    pub fn int_value(&mut self) -> Result<Option<i64>> {
        match self.peek()? {
            Peek::Number => {
                let n = self.number()?;
                Ok(parse_i64(n))
            }
            Peek::String => {
                let s = self.string_value()?;
                Ok(s.trim().parse().ok())
            }
            _ => {
                self.skip_value()?;
                Ok(None)
            }
        }
    }

    /// Reads a JSON value as a `serde_json::Value` (for small metadata only).
    pub fn small_value(&mut self) -> Result<serde_json::Value> {
        let (start, end) = self.skip_value()?;
        let bytes = self.buf.get(start..end).unwrap_or_default();
        serde_json::from_slice(bytes).map_err(|e| self.error_at(format!("invalid JSON: {e}"), start))
    }
}

#[cfg(not(all(target_arch = "wasm32", target_feature = "simd128")))]
const LOW_BITS: u64 = 0x0101_0101_0101_0101;
#[cfg(not(all(target_arch = "wasm32", target_feature = "simd128")))]
const HIGH_BITS: u64 = 0x8080_8080_8080_8080;

/// The high bit of the first byte of `x` (little-endian) equal to `b` is the lowest set
/// bit of the result (bits above it may be false hits, so only the lowest is used).
#[cfg(not(all(target_arch = "wasm32", target_feature = "simd128")))]
#[inline(always)]
fn eq_bytes(x: u64, b: u8) -> u64 {
    let y = x ^ (LOW_BITS * u64::from(b));
    y.wrapping_sub(LOW_BITS) & !y & HIGH_BITS
}

/// Eight bytes as a little-endian word.
#[inline(always)]
fn word(chunk: &[u8]) -> u64 {
    let mut w = [0u8; 8];
    w.copy_from_slice(chunk);
    u64::from_le_bytes(w)
}

/// Bytes scanned per step: a 16-byte SIMD128 vector in wasm, a 64-bit word elsewhere.
/// Query-result strings are mostly short (and paths escape every few bytes), where an
/// inline block loop beats the setup of a search call.
#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
const BLOCK: usize = 16;
#[cfg(not(all(target_arch = "wasm32", target_feature = "simd128")))]
const BLOCK: usize = 8;

/// Index in `chunk` (`BLOCK` bytes) of the first byte equal to `a` or `b`.
#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
#[inline(always)]
fn block_find2(chunk: &[u8], a: u8, b: u8) -> Option<usize> {
    use core::arch::wasm32::{u8x16_bitmask, u8x16_eq, u8x16_splat, v128, v128_or};
    use zerocopy::FromBytes;
    let v = v128::read_from_bytes(chunk).ok()?;
    let hit = u8x16_bitmask(v128_or(u8x16_eq(v, u8x16_splat(a)), u8x16_eq(v, u8x16_splat(b))));
    (hit != 0).then(|| hit.trailing_zeros() as usize)
}

/// Index in `chunk` (`BLOCK` bytes) of the first byte equal to `a` or `b`.
#[cfg(not(all(target_arch = "wasm32", target_feature = "simd128")))]
#[inline(always)]
fn block_find2(chunk: &[u8], a: u8, b: u8) -> Option<usize> {
    let x = word(chunk);
    let hit = eq_bytes(x, a) | eq_bytes(x, b);
    (hit != 0).then(|| (hit.trailing_zeros() / 8) as usize)
}

/// Index of the first byte equal to `a` or `b`, a block at a time.
#[inline(always)]
fn find2(bytes: &[u8], a: u8, b: u8) -> Option<usize> {
    let mut at = 0;
    let mut chunks = bytes.chunks_exact(BLOCK);
    for chunk in &mut chunks {
        if let Some(k) = block_find2(chunk, a, b) {
            return Some(at + k);
        }
        at += BLOCK;
    }
    chunks.remainder().iter().position(|&c| c == a || c == b).map(|p| at + p)
}

/// Index of the first `"` or `\\`.
#[inline]
fn find_quote_or_backslash(bytes: &[u8]) -> Option<usize> {
    find2(bytes, b'"', b'\\')
}

/// Index of the first `\\`.
#[inline]
fn find_backslash(bytes: &[u8]) -> Option<usize> {
    find2(bytes, b'\\', b'\\')
}

/// Byte equality a word at a time (slice `==` is a `memcmp` call, a byte loop in wasm).
#[inline]
pub(crate) fn same_bytes(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    let (mut ca, mut cb) = (a.chunks_exact(8), b.chunks_exact(8));
    for (x, y) in (&mut ca).zip(&mut cb) {
        if word(x) != word(y) {
            return false;
        }
    }
    ca.remainder().iter().zip(cb.remainder()).all(|(x, y)| x == y)
}

/// Parses an exact decimal integer (optional sign, digits only). `None` on overflow or
/// any other character.
#[inline]
pub(crate) fn parse_i64(text: &[u8]) -> Option<i64> {
    let (neg, digits) = match text.first() {
        Some(b'-') => (true, text.get(1..)?),
        Some(b'+') => (false, text.get(1..)?),
        _ => (false, text),
    };
    if digits.is_empty() {
        return None;
    }
    // Leading zeros do not count towards the 19 digits an i64 can have.
    let significant = digits.iter().position(|&d| d != b'0').and_then(|p| digits.get(p..)).unwrap_or(&[]);
    if significant.len() > 19 {
        return None;
    }
    let mut value: u64 = 0;
    for &d in significant {
        let digit = d.wrapping_sub(b'0');
        if digit > 9 {
            return None;
        }
        // Up to 18 digits cannot overflow; checked 64-bit multiplication is a 128-bit
        // library call in wasm, so only the 19th digit pays for it.
        value = if value < 100_000_000_000_000_000 {
            value * 10 + u64::from(digit)
        } else {
            value.checked_mul(10)?.checked_add(u64::from(digit))?
        };
    }
    if neg {
        if value == 1u64 << 63 {
            Some(i64::MIN)
        } else {
            i64::try_from(value).ok().map(|v| -v)
        }
    } else {
        i64::try_from(value).ok()
    }
}

/// One decoded escape: the UTF-8 bytes it stands for.
struct Escape {
    /// Bytes of the escaped form consumed (at least 1).
    used: usize,
    bytes: [u8; 4],
    len: usize,
    /// A lone surrogate or an invalid escape (replaced by U+FFFD or kept as written).
    bad: bool,
}

impl Escape {
    fn byte(used: usize, b: u8) -> Self {
        Escape { used, bytes: [b, 0, 0, 0], len: 1, bad: false }
    }

    fn code(used: usize, code: u32, bad: bool) -> Self {
        let mut bytes = [0u8; 4];
        let len = char::from_u32(code).unwrap_or(char::REPLACEMENT_CHARACTER).encode_utf8(&mut bytes).len();
        Escape { used, bytes, len, bad }
    }

    /// Kept literally: the backslash and what follows it, as written.
    fn literal(src: &[u8], used: usize) -> Self {
        let mut bytes = [0u8; 4];
        let len = used.min(2);
        if let (Some(dst), Some(s)) = (bytes.get_mut(..len), src.get(..len)) {
            dst.copy_from_slice(s);
        }
        Escape { used, bytes, len, bad: true }
    }

    fn as_bytes(&self) -> &[u8] {
        self.bytes.get(..self.len).unwrap_or_default()
    }
}

/// The byte a two-byte escape (`\\n`, `\\\\`, …) stands for; `None` for `\\u` and invalid ones.
#[inline(always)]
fn simple_escape(b: Option<&u8>) -> Option<u8> {
    match b {
        Some(b'\\') => Some(b'\\'),
        Some(b'"') => Some(b'"'),
        Some(b'/') => Some(b'/'),
        Some(b'n') => Some(b'\n'),
        Some(b't') => Some(b'\t'),
        Some(b'r') => Some(b'\r'),
        Some(b'b') => Some(0x08),
        Some(b'f') => Some(0x0c),
        _ => None,
    }
}

/// Decodes the escape at the start of `src` (which begins with a backslash). Lone
/// surrogates become U+FFFD; invalid escapes, `\\u` without four hex digits and a trailing
/// backslash are kept as written, so the original text shows. A decoded escape is
/// never longer than its escaped form.
fn decode_escape(src: &[u8]) -> Escape {
    if let Some(b) = simple_escape(src.get(1)) {
        return Escape::byte(2, b);
    }
    match src.get(1) {
        None => return Escape::literal(src, 1),
        Some(b'u') => {}
        Some(_) => return Escape::literal(src, 2),
    }
    let Some(hi) = hex4(src.get(2..6)) else { return Escape::literal(src, 2) };
    if (0xD800..0xDC00).contains(&hi) {
        // A high surrogate needs a following \uDC00-\uDFFF.
        let lo = match (src.get(6), src.get(7)) {
            (Some(b'\\'), Some(b'u')) => hex4(src.get(8..12)).filter(|lo| (0xDC00..0xE000).contains(lo)),
            _ => None,
        };
        match lo {
            Some(lo) => Escape::code(12, 0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00), false),
            None => Escape::code(6, 0xFFFD, true),
        }
    } else if (0xDC00..0xE000).contains(&hi) {
        Escape::code(6, 0xFFFD, true)
    } else {
        Escape::code(6, hi, false)
    }
}

/// Decodes JSON string escapes from `src` into `out`; returns the number of lone
/// surrogates (and invalid escapes) replaced by U+FFFD or kept as written.
pub(crate) fn unescape_into(src: &[u8], out: &mut Vec<u8>) -> usize {
    let mut bad = 0;
    let mut rest = src;
    while let Some(off) = find_backslash(rest) {
        out.extend_from_slice(rest.get(..off).unwrap_or_default());
        let esc = decode_escape(rest.get(off..).unwrap_or_default());
        bad += usize::from(esc.bad);
        out.extend_from_slice(esc.as_bytes());
        rest = rest.get(off + esc.used..).unwrap_or_default();
    }
    out.extend_from_slice(rest);
    bad
}

/// Decodes JSON string escapes in place (a decoded string is never longer than its
/// escaped form), with `scratch` holding the escaped text from the first backslash
/// on. Returns the decoded length and the number of lone surrogates or invalid escapes
/// (as [`unescape_into`] counts them).
///
/// Paths and command lines escape every few bytes, so runs are copied a word at a time
/// inline rather than by a search and a `memmove` per run.
pub(crate) fn unescape_in_place(buf: &mut [u8], scratch: &mut Vec<u8>) -> (usize, usize) {
    let Some(first) = find_backslash(buf) else { return (buf.len(), 0) };
    scratch.clear();
    scratch.extend_from_slice(buf.get(first..).unwrap_or_default());
    let src = scratch.as_slice();
    let mut bad = 0;
    let (mut r, mut w) = (0, first);
    // Invariant: w <= first + r (decoding never lengthens), so a block written at w
    // while a block can be read at r stays inside `buf`.
    while let Some(&b) = src.get(r) {
        if let Some(chunk) = src.get(r..r + BLOCK) {
            if let Some(dst) = buf.get_mut(w..w + BLOCK) {
                dst.copy_from_slice(chunk);
            }
            let Some(k) = block_find2(chunk, b'\\', b'\\') else {
                r += BLOCK;
                w += BLOCK;
                continue;
            };
            // The bytes written after the run are overwritten next.
            r += k;
            w += k;
        } else if b != b'\\' {
            if let Some(slot) = buf.get_mut(w) {
                *slot = b;
            }
            r += 1;
            w += 1;
            continue;
        }
        // src[r] is a backslash. Single bytes are stored one by one: a variable-length
        // copy is a `memory.copy` call in wasm, dearer than the byte.
        if let Some(b) = simple_escape(src.get(r + 1)) {
            if let Some(slot) = buf.get_mut(w) {
                *slot = b;
            }
            r += 2;
            w += 1;
            continue;
        }
        let esc = decode_escape(src.get(r..).unwrap_or_default());
        bad += usize::from(esc.bad);
        for (slot, &b) in buf.iter_mut().skip(w).zip(esc.as_bytes()) {
            *slot = b;
        }
        r += esc.used;
        w += esc.len;
    }
    (w, bad)
}

fn hex4(bytes: Option<&[u8]>) -> Option<u32> {
    let bytes = bytes?;
    if bytes.len() != 4 {
        return None;
    }
    let mut v = 0u32;
    for &b in bytes {
        v = v * 16 + (b as char).to_digit(16)?;
    }
    Some(v)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integers_are_exact_to_the_i64_limits() {
        assert_eq!(parse_i64(b"9223372036854775807"), Some(i64::MAX));
        assert_eq!(parse_i64(b"-9223372036854775808"), Some(i64::MIN));
        assert_eq!(parse_i64(b"9223372036854775808"), None);
        assert_eq!(parse_i64(b"12a"), None);
        assert_eq!(parse_i64(b"-"), None);
        assert_eq!(parse_i64(b"9007199254740993"), Some(9_007_199_254_740_993));
        // Leading zeros are not significant digits (a property test found these refused).
        assert_eq!(parse_i64(b"00000000000000000000"), Some(0));
        assert_eq!(parse_i64(b"-0000000000009223372036854775808"), Some(i64::MIN));
        assert_eq!(parse_i64(b"0000000000009223372036854775808"), None);
    }

    #[test]
    fn escapes_decode_and_lone_surrogates_are_replaced() {
        let mut out = Vec::new();
        let bad = unescape_into(br#"a\"b\\c\n\u00e9\ud83d\ude00\ud800x\udc00"#, &mut out);
        assert_eq!(String::from_utf8(out).unwrap(), "a\"b\\c\né😀\u{FFFD}x\u{FFFD}");
        assert_eq!(bad, 2);
        // Invalid escapes stay as written.
        let mut out = Vec::new();
        assert_eq!(unescape_into(br#"\x\u12\"#, &mut out), 3);
        assert_eq!(out, br#"\x\u12\"#);
    }

    #[test]
    fn in_place_decoding_matches_decoding_into_a_buffer() {
        let cases: [&[u8]; 9] = [
            br#"a\"b\\c\n\u00e9\ud83d\ude00\ud800x\udc00"#,
            br#"C:\\Windows\\System32\\cmd.exe"#,
            br#"plain"#,
            br#"\u0041\u00e9\u20ac"#,
            br#"tail\"#,
            br#"\x"#,
            br#"\u12"#,
            br#"\ud800"#,
            br#"\\\\\\"#,
        ];
        for case in cases {
            let mut expected = Vec::new();
            let bad_expected = unescape_into(case, &mut expected);
            let mut buf = case.to_vec();
            let (n, bad) = unescape_in_place(&mut buf, &mut Vec::new());
            assert_eq!(&buf[..n], &expected[..], "{}", String::from_utf8_lossy(case));
            assert_eq!(bad, bad_expected, "{}", String::from_utf8_lossy(case));
        }
    }

    #[test]
    fn in_place_decoding_agrees_on_random_escape_soup() {
        let alphabet: &[&[u8]] =
            &[b"\\", b"u", b"d", b"8", b"0", b"c", b"f", b"x", b"\"", b"n", b"/", "é".as_bytes(), b"a"];
        let mut seed = 0x9e37_79b9_7f4a_7c15u64;
        for _ in 0..20_000 {
            let mut case = Vec::new();
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            for k in 0..(seed % 24) {
                let pick = (seed.rotate_left(k as u32 * 5) % alphabet.len() as u64) as usize;
                case.extend_from_slice(alphabet[pick]);
            }
            let mut expected = Vec::new();
            let bad_expected = unescape_into(&case, &mut expected);
            let mut buf = case.clone();
            let (n, bad) = unescape_in_place(&mut buf, &mut Vec::new());
            assert!(n <= case.len());
            assert_eq!(&buf[..n], &expected[..], "{}", String::from_utf8_lossy(&case));
            assert_eq!(bad, bad_expected);
        }
    }

    #[test]
    fn word_scan_finds_the_first_quote_or_backslash() {
        for text in [
            "",
            "a",
            "abc\"",
            "abcdefgh\"",
            "abcdefghijklmnopqrstuvwxyz0123456789\\x",
            "\u{e9}\u{e9}\u{e9}\u{e9}\"",
            "no end at all, long enough to leave the word loop",
        ] {
            let expected = text.bytes().position(|b| b == b'"' || b == b'\\');
            assert_eq!(find_quote_or_backslash(text.as_bytes()), expected, "{text:?}");
        }
        // Every position in a 40-byte string.
        for at in 0..40 {
            let mut t = vec![b'x'; 40];
            t[at] = if at % 2 == 0 { b'"' } else { b'\\' };
            assert_eq!(find_quote_or_backslash(&t), Some(at));
        }
    }

    #[test]
    fn skipping_is_iterative_at_any_depth() {
        let depth = 200_000;
        let mut doc = "[".repeat(depth);
        doc.push_str(&"]".repeat(depth));
        let mut r = Reader::new(doc.as_bytes());
        assert_eq!(r.skip_value().unwrap(), (0, doc.len()));
    }

    #[test]
    fn skipping_rejects_mismatched_brackets() {
        let mut r = Reader::new(b"[{]}");
        let err = r.skip_value().unwrap_err();
        assert!(err.to_string().contains("unexpected ']'"), "{err}");
    }

    #[test]
    fn errors_carry_line_and_column() {
        let doc = b"{\n  \"a\": [1, 2,]\n}";
        let mut r = Reader::new(doc);
        let mut first = true;
        r.begin_object("object").unwrap();
        r.next_key(&mut first).unwrap();
        r.begin_array("array").unwrap();
        let mut f = true;
        r.next_element(&mut f).unwrap();
        r.number().unwrap();
        r.next_element(&mut f).unwrap();
        r.number().unwrap();
        let err = r.next_element(&mut f).unwrap_err();
        assert_eq!(err.line_column(), Some((2, 14)));
        assert!(err.to_string().contains("trailing comma"));
    }
}
