//! Parse errors of the filter language, with byte spans and caret rendering.

use std::fmt;

/// A half-open byte range `start..end` in the filter text.
///
/// An empty span (`start == end`) points between two characters, for example at the end of the
/// filter when a closing parenthesis is missing.
///
/// ```
/// use iocmatch::filter::Span;
///
/// let span = Span::new(5, 8);
/// assert_eq!(span.len(), 3);
/// assert_eq!(span.range(), 5..8);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Span {
    /// Byte offset of the first byte.
    pub start: usize,
    /// Byte offset one past the last byte.
    pub end: usize,
}

impl Span {
    /// Creates a span from byte offsets. `end` is raised to `start` if it is smaller.
    pub fn new(start: usize, end: usize) -> Span {
        Span {
            start,
            end: end.max(start),
        }
    }

    /// Returns the number of bytes the span covers.
    pub fn len(&self) -> usize {
        self.end - self.start
    }

    /// Returns `true` when the span covers no bytes.
    pub fn is_empty(&self) -> bool {
        self.start == self.end
    }

    /// Returns the span as a `Range` for slicing the filter text.
    pub fn range(&self) -> std::ops::Range<usize> {
        self.start..self.end
    }
}

impl fmt::Display for Span {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}..{}", self.start, self.end)
    }
}

/// The category of a [`FilterError`].
///
/// Match on it to react to a class of mistake; the message itself is for people.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum FilterErrorKind {
    /// The filter is empty or contains only whitespace.
    Empty,
    /// The filter is longer than [`MAX_FILTER_LEN`](crate::filter::MAX_FILTER_LEN) bytes.
    TooLong,
    /// Parentheses and `NOT` nest deeper than [`MAX_DEPTH`](crate::filter::MAX_DEPTH).
    TooDeep,
    /// A value appears without a `field:` in front of it. There is no default field.
    MissingField,
    /// Two clauses follow each other without `AND` or `OR` between them.
    MissingOperator,
    /// A field name is followed by `:` but no value.
    MissingValue,
    /// A token appears where the grammar does not allow it.
    UnexpectedToken,
    /// The filter ends where more input is required.
    UnexpectedEnd,
    /// A `(` has no matching `)`.
    UnclosedGroup,
    /// A `)` has no matching `(`.
    UnmatchedParen,
    /// A `"` has no closing `"`.
    UnclosedQuote,
    /// A `/regex/` has no closing `/`.
    UnclosedRegex,
    /// A `[` or `{` range has no closing `]` or `}`.
    UnclosedRange,
    /// A `\` is the last character of the filter, so it escapes nothing.
    TrailingEscape,
    /// A field name contains a character outside letters, digits, `_`, `.`, `-` and `@`.
    InvalidFieldName,
    /// A `"` appears inside an unquoted value.
    UnescapedQuote,
    /// A range or comparison is malformed, has a bound that is not a finite number, or has its
    /// lower bound above its upper bound.
    InvalidRange,
    /// A CIDR value has a prefix length larger than the address allows.
    InvalidCidr,
    /// A `/regex/` does not compile.
    InvalidRegex,
    /// A `/regex/` compiles to more than [`MAX_REGEX_SIZE`](crate::filter::MAX_REGEX_SIZE) bytes.
    RegexTooLarge,
    /// `AND` and `OR` are mixed at one level without parentheses while strict precedence is on.
    MixedPrecedence,
}

impl FilterErrorKind {
    /// Returns the short lowercase description that starts the error message.
    fn headline(self) -> &'static str {
        match self {
            FilterErrorKind::Empty => "empty filter",
            FilterErrorKind::TooLong => "filter too long",
            FilterErrorKind::TooDeep => "filter nested too deeply",
            FilterErrorKind::MissingField => "value without a field",
            FilterErrorKind::MissingOperator => "missing operator",
            FilterErrorKind::MissingValue => "missing value",
            FilterErrorKind::UnexpectedToken => "unexpected token",
            FilterErrorKind::UnexpectedEnd => "unexpected end of filter",
            FilterErrorKind::UnclosedGroup => "unclosed group",
            FilterErrorKind::UnmatchedParen => "unmatched closing parenthesis",
            FilterErrorKind::UnclosedQuote => "unclosed quoted value",
            FilterErrorKind::UnclosedRegex => "unclosed regex",
            FilterErrorKind::UnclosedRange => "unclosed range",
            FilterErrorKind::TrailingEscape => "trailing escape",
            FilterErrorKind::InvalidFieldName => "invalid field name",
            FilterErrorKind::UnescapedQuote => "unescaped quote in value",
            FilterErrorKind::InvalidRange => "invalid range",
            FilterErrorKind::InvalidCidr => "invalid CIDR network",
            FilterErrorKind::InvalidRegex => "invalid regex",
            FilterErrorKind::RegexTooLarge => "regex too large",
            FilterErrorKind::MixedPrecedence => "mixed AND and OR without parentheses",
        }
    }
}

/// An error from parsing or compiling a filter.
///
/// Every error carries the filter text, the byte [`Span`] of the problem, what was found there and
/// what was expected. An unclosed group or quote also points at its opener. `Display` renders a
/// one-line message followed by the filter line with `^^^` under the span (and `-` under the
/// opener, when there is one):
///
/// ```
/// use iocmatch::filter::{Filter, FilterErrorKind};
///
/// let error = Filter::parse("user:root bob").unwrap_err();
/// assert_eq!(error.kind(), FilterErrorKind::MissingField);
/// assert_eq!(error.span().range(), 10..13);
/// assert_eq!(
///     error.to_string(),
///     "value without a field at bytes 10..13 (line 1, column 11): found `bob`, \
///      expected `field:value` because there is no default field\n\
///      \x20 user:root bob\n\
///      \x20           ^^^"
/// );
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct FilterError {
    kind: FilterErrorKind,
    text: String,
    span: Span,
    found: String,
    expected: String,
    opener: Option<Span>,
}

/// Maximum number of characters shown on each side of the span when rendering a long line.
const RENDER_CONTEXT_CHARS: usize = 60;

impl FilterError {
    /// Builds an error. This is the only constructor, so no error lacks a span, a kind, the token
    /// found and what was expected.
    pub(crate) fn new(
        kind: FilterErrorKind,
        text: &str,
        span: Span,
        found: impl Into<String>,
        expected: impl Into<String>,
    ) -> FilterError {
        // Clamp the span to the text on character boundaries, so rendering never slices inside a
        // UTF-8 sequence even if a caller computed an offset carelessly.
        let start = floor_char_boundary(text, span.start.min(text.len()));
        let end = floor_char_boundary(text, span.end.min(text.len())).max(start);
        FilterError {
            kind,
            text: text.to_owned(),
            span: Span::new(start, end),
            found: found.into(),
            expected: expected.into(),
            opener: None,
        }
    }

    /// Adds the span of the opening `(`, `"`, `/`, `[` or `{` that was never closed.
    pub(crate) fn with_opener(mut self, opener: Span) -> FilterError {
        let start = floor_char_boundary(&self.text, opener.start.min(self.text.len()));
        let end = floor_char_boundary(&self.text, opener.end.min(self.text.len())).max(start);
        self.opener = Some(Span::new(start, end));
        self
    }

    /// Returns the category of the error.
    pub fn kind(&self) -> FilterErrorKind {
        self.kind
    }

    /// Returns the byte span of the problem in [`text`](Self::text).
    pub fn span(&self) -> Span {
        self.span
    }

    /// Returns the span of the unclosed opener, for unclosed groups, quotes, regexes and ranges.
    pub fn opener(&self) -> Option<Span> {
        self.opener
    }

    /// Returns a description of what was found at the span, such as `` `bob` `` or `end of filter`.
    pub fn found(&self) -> &str {
        &self.found
    }

    /// Returns a description of what the parser expected at the span.
    pub fn expected(&self) -> &str {
        &self.expected
    }

    /// Returns the filter text the error refers to. For [`FilterErrorKind::TooLong`] this is
    /// only the start of the text, up to a little past the limit, so the error stays small.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// Returns the 1-based line and column (in characters) of the span start.
    pub fn line_column(&self) -> (usize, usize) {
        line_column(&self.text, self.span.start)
    }
}

impl fmt::Display for FilterError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (line, column) = self.line_column();
        write!(
            f,
            "{} at bytes {} (line {line}, column {column}): found {}, expected {}",
            self.kind.headline(),
            self.span,
            self.found,
            self.expected
        )?;
        if let Some(opener) = self.opener {
            let (line, column) = line_column(&self.text, opener.start);
            write!(
                f,
                "; opened at bytes {opener} (line {line}, column {column})"
            )?;
        }
        for rendered in render_lines(&self.text, self.span, self.opener) {
            write!(
                f,
                "\n  {}\n  {}",
                rendered.line,
                rendered.markers.trim_end()
            )?;
        }
        Ok(())
    }
}

/// One source line with its marker line (`^` under the span, `-` under the opener).
struct RenderedLine {
    line: String,
    markers: String,
}

/// Renders the line containing the span and, if it is on another line, the line of the opener.
fn render_lines(text: &str, span: Span, opener: Option<Span>) -> Vec<RenderedLine> {
    let span_line = line_bounds(text, span.start);
    let mut marks = vec![(span, '^')];
    let mut lines = Vec::new();
    if let Some(opener) = opener {
        let opener_line = line_bounds(text, opener.start);
        if opener_line == span_line {
            marks.push((opener, '-'));
        } else {
            lines.push(render_line(text, opener_line, &[(opener, '-')]));
        }
    }
    lines.push(render_line(text, span_line, &marks));
    lines
}

/// Renders one line, cut to a window around the first mark when the line is long.
fn render_line(
    text: &str,
    (line_start, line_end): (usize, usize),
    marks: &[(Span, char)],
) -> RenderedLine {
    let line = &text[line_start..line_end];
    let chars: Vec<(usize, char)> = line
        .char_indices()
        .map(|(i, c)| (i + line_start, c))
        .collect();

    // Choose a window of characters around the main span so a long filter stays readable.
    let focus = chars
        .iter()
        .position(|&(i, _)| i >= marks[0].0.start)
        .unwrap_or(chars.len());
    let window_start = focus.saturating_sub(RENDER_CONTEXT_CHARS);
    let window_end = (focus + RENDER_CONTEXT_CHARS).min(chars.len());
    let cut_left = window_start > 0;
    let cut_right = window_end < chars.len();

    let mut rendered = String::new();
    let mut markers = String::new();
    if cut_left {
        rendered.push('…');
        markers.push(' ');
    }
    for &(offset, c) in &chars[window_start..window_end] {
        // Tabs and other control characters would shift the carets, so they print as a space.
        rendered.push(if c.is_control() { ' ' } else { c });
        markers.push(marker_at(offset, marks));
    }
    if cut_right {
        rendered.push('…');
    }
    // A mark at or past the end of the window (an empty span at the end of the line) still
    // needs one caret.
    let end_offset = chars.get(window_end).map_or(line_end, |&(i, _)| i);
    let end_marker = marks
        .iter()
        .find(|(span, _)| span.start >= end_offset && span.start <= line_end)
        .map(|&(_, c)| c);
    if let Some(c) = end_marker {
        if cut_right {
            markers.push(' ');
        }
        markers.push(c);
    }
    RenderedLine {
        line: rendered,
        markers,
    }
}

/// Returns the marker character for the character at byte `offset`, or a space.
fn marker_at(offset: usize, marks: &[(Span, char)]) -> char {
    for &(span, c) in marks {
        let covered = if span.is_empty() {
            offset == span.start
        } else {
            span.start <= offset && offset < span.end
        };
        if covered {
            return c;
        }
    }
    ' '
}

/// Returns the byte bounds of the line that contains `offset`, without its `\n`.
fn line_bounds(text: &str, offset: usize) -> (usize, usize) {
    let start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    let end = text[offset..].find('\n').map_or(text.len(), |i| offset + i);
    (start, end)
}

/// Returns the 1-based line and character column of byte `offset`.
fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = text[line_start..offset].chars().count() + 1;
    (line, column)
}

/// Moves `offset` down to the nearest character boundary of `text`.
pub(crate) fn floor_char_boundary(text: &str, mut offset: usize) -> usize {
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}
