//! Shared pieces of the fuzz targets: checks that several targets run, and structured inputs
//! that build domain-like text out of a small vocabulary so that indicators, names and
//! haystacks meet often.

use arbitrary::Arbitrary;
use iocmatch::filter::FilterError;

/// Checks the invariants of a filter parse error for the input `input`.
///
/// The error's text is the start of the input (all of it, except for a too-long filter), its
/// span and opener lie inside that text on character boundaries, its line and column are
/// 1-based, and rendering it does not panic.
pub fn check_filter_error(input: &str, error: &FilterError) {
    let text = error.text();
    assert!(
        input.starts_with(text),
        "error text {text:?} is not the start of the input {input:?}"
    );
    for span in std::iter::once(error.span()).chain(error.opener()) {
        assert!(
            span.start <= span.end && span.end <= text.len(),
            "span {span} outside the text {text:?} in {error:?}"
        );
        assert!(
            text.is_char_boundary(span.start) && text.is_char_boundary(span.end),
            "span {span} is not on character boundaries of {text:?}"
        );
    }
    let (line, column) = error.line_column();
    assert!(line >= 1, "line {line} of {error:?}");
    assert!(column >= 1, "column {column} of {error:?}");
    let rendered = error.to_string();
    assert!(!rendered.is_empty());
}

/// Words that domain-like text is built from: labels, mixed case, punycode and its Unicode form,
/// characters that case-fold or map specially under UTS #46, and labels with edge hyphens.
const WORDS: &[&str] = &[
    "evil",
    "com",
    "a",
    "b",
    "EvIl",
    "COM",
    "demale",
    "shop",
    "cdn",
    "www",
    "co",
    "uk",
    "0",
    "1",
    "_srv",
    "x-",
    "-x",
    "xn--bcher-kva",
    "bücher",
    "BÜCHER",
    "münchen",
    "faß",
    "ß",
    "İ",
    "ı",
    "\u{212a}",
    "xn--",
    "xn--a",
    "ab",
    "ba",
];

/// Separators and decorations: dots (ASCII, the ones UTS #46 maps to `.`, and `⒈`, which maps
/// to `1.`), wildcards, defanging, URL parts, ports, whitespace and other token breaks.
const SEPARATORS: &[&str] = &[
    ".",
    ".",
    ".",
    "..",
    "*.",
    "*",
    "[.]",
    "(.)",
    "{.}",
    "[dot]",
    "hxxp://",
    "https://",
    "http://user@",
    ":443",
    ":",
    "/gate?x=1#y",
    "@",
    " ",
    "\t",
    "\n",
    "-",
    "_",
    "\u{3002}",
    "\u{ff0e}",
    "\u{ff61}",
    "\u{fe52}",
    "\u{2488}",
    "/",
    "\\",
    "\"",
    "é",
    "=",
    ",",
    "[",
    "]",
    "(",
    ")",
];

/// One piece of domain-like text.
#[derive(Arbitrary, Debug, Clone)]
pub enum Part {
    /// A word from a fixed vocabulary.
    Word(u8),
    /// A separator from a fixed vocabulary.
    Separator(u8),
    /// Any character.
    Char(char),
}

/// Text built from [`Part`]s.
#[derive(Arbitrary, Debug, Clone, Default)]
pub struct DomainText(pub Vec<Part>);

impl DomainText {
    /// Joins the parts into a string.
    pub fn render(&self) -> String {
        let mut text = String::new();
        for part in &self.0 {
            match part {
                Part::Word(index) => text.push_str(pick(WORDS, *index)),
                Part::Separator(index) => text.push_str(pick(SEPARATORS, *index)),
                Part::Char(character) => text.push(*character),
            }
        }
        text
    }
}

/// Returns the item at `index` modulo the slice length.
pub fn pick<T: Copy>(items: &[T], index: u8) -> T {
    items[usize::from(index) % items.len()]
}

/// Flips the ASCII case of the characters whose position has its bit set in `mask` (cycling
/// every 8 characters).
pub fn flip_case(text: &str, mask: u8) -> String {
    text.chars()
        .enumerate()
        .map(|(position, character)| {
            if mask & (1 << (position % 8)) == 0 {
                character
            } else if character.is_ascii_lowercase() {
                character.to_ascii_uppercase()
            } else {
                character.to_ascii_lowercase()
            }
        })
        .collect()
}
