//! Wildcard matching of whole values in time linear in the value length.
//!
//! A pattern compiles to the cheapest matcher that fits its shape: exact (`abc`), prefix
//! (`abc*`), suffix (`*abc`), contains (`*abc*`, with [`memchr::memmem`]) or a general matcher.
//!
//! The general matcher splits the pattern at each `*` into segments of literal text and `?`.
//! Every segment matches a fixed number of characters, so placing each middle segment at its
//! leftmost occurrence after the previous one is optimal: any later occurrence leaves less
//! room for the segments after it. The first segment is anchored at the start of the value and
//! the last at the end. Each position of the value is therefore examined a bounded number of
//! times per segment, with no backtracking: `*a*a*a*a*a*b` against a long run of `a` costs one
//! pass. A segment of literal text alone is found by `memmem` in O(n) for a value of n bytes.
//! A segment of m characters that contains `?` is tried at each candidate start, so the worst
//! case is O(n × m).
//!
//! Case-insensitive matching folds ASCII letters only (`A`–`Z`); other characters compare
//! exactly, so `Ä` does not match `ä`.

use std::borrow::Cow;

use memchr::memmem::Finder;

use crate::filter::ast::{Pattern, Piece};

/// A compiled wildcard pattern.
#[derive(Debug, Clone)]
pub(crate) struct Glob {
    shape: Shape,
    case_sensitive: bool,
}

/// The matcher chosen for a pattern's shape. Literal bytes are already folded to lower case
/// when matching is case-insensitive.
#[derive(Debug, Clone)]
enum Shape {
    /// `*`: every value.
    Any,
    /// No wildcards: the whole value.
    Exact(Box<[u8]>),
    /// `text*`.
    Prefix(Box<[u8]>),
    /// `*text`.
    Suffix(Box<[u8]>),
    /// `*text*`. The finder is boxed because it is several hundred bytes.
    Contains(Box<Finder<'static>>),
    /// Anything else.
    General(General),
}

/// The general matcher: optional anchored first and last segments with floating segments
/// between them.
#[derive(Debug, Clone)]
struct General {
    /// The segment before the first `*`, matched at the start of the value.
    first: Option<Segment>,
    /// The segments between two `*`, matched leftmost in order.
    middle: Vec<Segment>,
    /// The segment after the last `*`, matched at the end of the value.
    last: Option<Segment>,
    /// Whether the pattern has no `*` at all, so `first` must cover the whole value.
    whole: bool,
}

/// A run of literal text and `?`, matching a fixed number of characters.
#[derive(Debug, Clone)]
struct Segment {
    items: Vec<Item>,
    /// The number of characters the segment matches.
    char_count: usize,
    /// A searcher for the literal that starts the segment, used to skip to candidate starts.
    lead: Option<Box<Finder<'static>>>,
}

#[derive(Debug, Clone)]
enum Item {
    Literal(Box<[u8]>),
    AnyChar,
}

impl Glob {
    /// Compiles a pattern. Patterns not in canonical form are normalized first.
    pub(crate) fn new(pattern: &Pattern, case_sensitive: bool) -> Glob {
        let canonical;
        let pattern = if pattern.is_canonical() {
            pattern
        } else {
            canonical = Pattern::new(pattern.pieces.iter().cloned());
            &canonical
        };
        let fold = |text: &str| -> Box<[u8]> {
            if case_sensitive {
                text.as_bytes().into()
            } else {
                text.to_ascii_lowercase().into_bytes().into()
            }
        };

        let shape = match pattern.pieces.as_slice() {
            [] => Shape::Exact(Box::default()),
            [Piece::AnyRun] => Shape::Any,
            [Piece::Literal(text)] => Shape::Exact(fold(text)),
            [Piece::Literal(text), Piece::AnyRun] => Shape::Prefix(fold(text)),
            [Piece::AnyRun, Piece::Literal(text)] => Shape::Suffix(fold(text)),
            [Piece::AnyRun, Piece::Literal(text), Piece::AnyRun] => {
                Shape::Contains(Box::new(Finder::new(&fold(text)).into_owned()))
            }
            pieces => Shape::General(General::new(pieces, &fold)),
        };
        Glob {
            shape,
            case_sensitive,
        }
    }

    /// Returns `true` when the whole `value` matches the pattern.
    pub(crate) fn is_match(&self, value: &str) -> bool {
        let value = value.as_bytes();
        match &self.shape {
            Shape::Any => true,
            Shape::Exact(text) => self.bytes_equal(value, text),
            Shape::Prefix(text) => {
                value.len() >= text.len() && self.bytes_equal(&value[..text.len()], text)
            }
            Shape::Suffix(text) => {
                value.len() >= text.len()
                    && self.bytes_equal(&value[value.len() - text.len()..], text)
            }
            Shape::Contains(finder) => finder.find(&self.fold(value)).is_some(),
            Shape::General(general) => general.is_match(&self.fold(value)),
        }
    }

    fn bytes_equal(&self, value: &[u8], pattern: &[u8]) -> bool {
        if self.case_sensitive {
            value == pattern
        } else {
            value.eq_ignore_ascii_case(pattern)
        }
    }

    /// Folds the value to ASCII lower case when matching ignores case, copying only when the
    /// value has an upper-case ASCII letter.
    fn fold<'v>(&self, value: &'v [u8]) -> Cow<'v, [u8]> {
        if self.case_sensitive || !value.iter().any(u8::is_ascii_uppercase) {
            Cow::Borrowed(value)
        } else {
            Cow::Owned(value.to_ascii_lowercase())
        }
    }
}

impl General {
    /// Splits canonical pieces at each `*` into anchored and floating segments.
    fn new(pieces: &[Piece], fold: &dyn Fn(&str) -> Box<[u8]>) -> General {
        let mut segments: Vec<Vec<Item>> = vec![Vec::new()];
        for piece in pieces {
            let item = match piece {
                Piece::AnyRun => {
                    segments.push(Vec::new());
                    continue;
                }
                Piece::AnyChar => Item::AnyChar,
                Piece::Literal(text) => Item::Literal(fold(text)),
            };
            if let Some(segment) = segments.last_mut() {
                segment.push(item);
            }
        }

        let whole = segments.len() == 1;
        // The split always yields at least one segment, and at least two when there is a `*`.
        // The first or last segment is empty when the pattern starts or ends with `*`.
        let first_items = segments.remove(0);
        let last_items = if whole {
            Vec::new()
        } else {
            segments.pop().unwrap_or_default()
        };
        let first = (!first_items.is_empty() || whole).then(|| Segment::new(first_items));
        let last = (!last_items.is_empty()).then(|| Segment::new(last_items));
        let middle = segments
            .into_iter()
            .filter(|s| !s.is_empty())
            .map(Segment::new)
            .collect();
        General {
            first,
            middle,
            last,
            whole,
        }
    }

    fn is_match(&self, value: &[u8]) -> bool {
        // Step 1: the first segment must match at the start of the value.
        let mut pos = 0;
        if let Some(first) = &self.first {
            match first.match_at(value, 0) {
                Some(end) => pos = end,
                None => return false,
            }
        }
        if self.whole {
            return pos == value.len();
        }

        // Step 2: the last segment must cover exactly the last characters of the value, after
        // the first segment.
        let mut limit = value.len();
        if let Some(last) = &self.last {
            let Some(start) = start_of_last_chars(value, last.char_count) else {
                return false;
            };
            if start < pos || last.match_at(value, start) != Some(value.len()) {
                return false;
            }
            limit = start;
        }

        // Step 3: each middle segment at its leftmost occurrence between the two.
        for segment in &self.middle {
            match segment.find(value, pos, limit) {
                Some(end) => pos = end,
                None => return false,
            }
        }
        true
    }
}

impl Segment {
    fn new(items: Vec<Item>) -> Segment {
        let char_count = items
            .iter()
            .map(|item| match item {
                // The literal came from a `str`, so it is valid UTF-8 and counting the bytes
                // that start a character counts its characters.
                Item::Literal(bytes) => bytes.iter().filter(|&&b| !is_continuation(b)).count(),
                Item::AnyChar => 1,
            })
            .sum();
        let lead = match items.first() {
            Some(Item::Literal(bytes)) => Some(Box::new(Finder::new(bytes).into_owned())),
            _ => None,
        };
        Segment {
            items,
            char_count,
            lead,
        }
    }

    /// Matches the segment starting at byte `start` (a character boundary) and returns the end.
    fn match_at(&self, value: &[u8], start: usize) -> Option<usize> {
        let mut pos = start;
        for item in &self.items {
            match item {
                Item::Literal(bytes) => {
                    if !value.get(pos..)?.starts_with(bytes) {
                        return None;
                    }
                    pos += bytes.len();
                }
                Item::AnyChar => {
                    let &lead = value.get(pos)?;
                    pos += utf8_width(lead);
                }
            }
        }
        Some(pos)
    }

    /// Finds the leftmost match starting at or after `from` and ending at or before `limit`,
    /// and returns its end.
    fn find(&self, value: &[u8], from: usize, limit: usize) -> Option<usize> {
        let window = &value[..limit];
        let mut start = from;
        while start <= limit {
            if let Some(lead) = &self.lead {
                start += lead.find(&window[start..])?;
            }
            if let Some(end) = self.match_at(window, start) {
                return Some(end);
            }
            // Advance one character; `start` is always on a character boundary.
            match window.get(start) {
                Some(&byte) => start += utf8_width(byte),
                None => return None,
            }
        }
        None
    }
}

/// Returns the byte offset where the last `count` characters of `value` begin, or `None` if it
/// has fewer characters.
fn start_of_last_chars(value: &[u8], count: usize) -> Option<usize> {
    let mut pos = value.len();
    for _ in 0..count {
        if pos == 0 {
            return None;
        }
        pos -= 1;
        while pos > 0 && is_continuation(value[pos]) {
            pos -= 1;
        }
    }
    Some(pos)
}

/// Returns `true` for a UTF-8 continuation byte (`10xxxxxx`).
fn is_continuation(byte: u8) -> bool {
    byte & 0b1100_0000 == 0b1000_0000
}

/// Returns the length of the UTF-8 sequence that starts with `lead`.
fn utf8_width(lead: u8) -> usize {
    match lead {
        0x00..=0x7F => 1,
        0xC0..=0xDF => 2,
        0xE0..=0xEF => 3,
        _ => 4,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn glob(pieces: Vec<Piece>, case_sensitive: bool) -> Glob {
        Glob::new(&Pattern::new(pieces), case_sensitive)
    }

    fn lit(text: &str) -> Piece {
        Piece::Literal(text.to_owned())
    }

    #[test]
    fn shapes_chosen_by_pattern() {
        let cases = [
            (vec![lit("ab")], "Exact"),
            (vec![lit("ab"), Piece::AnyRun], "Prefix"),
            (vec![Piece::AnyRun, lit("ab")], "Suffix"),
            (vec![Piece::AnyRun, lit("ab"), Piece::AnyRun], "Contains"),
            (vec![Piece::AnyRun], "Any"),
            (vec![lit("a"), Piece::AnyChar], "General"),
        ];
        for (pieces, expected) in cases {
            let shape = format!("{:?}", glob(pieces, false).shape);
            assert!(shape.starts_with(expected), "{shape} should be {expected}");
        }
    }

    #[test]
    fn any_char_is_one_character_not_one_byte() {
        let pattern = glob(vec![lit("a"), Piece::AnyChar, lit("b")], true);
        assert!(pattern.is_match("aßb"));
        assert!(pattern.is_match("a😀b"));
        assert!(!pattern.is_match("ab"));
        let suffix = glob(vec![Piece::AnyRun, Piece::AnyChar, lit("x")], true);
        assert!(suffix.is_match("😀x"));
        assert!(!suffix.is_match("x"));
    }

    #[test]
    fn segments_must_not_overlap() {
        // The first and last segments share the middle `b`, which a correct matcher refuses.
        let pattern = glob(vec![lit("ab"), Piece::AnyRun, lit("bc")], true);
        assert!(!pattern.is_match("abc"));
        assert!(pattern.is_match("abbc"));
    }

    #[test]
    fn middle_segment_stays_before_last() {
        let pattern = glob(vec![Piece::AnyRun, lit("x"), Piece::AnyRun, lit("x")], true);
        assert!(!pattern.is_match("x"));
        assert!(pattern.is_match("xx"));
    }
}
