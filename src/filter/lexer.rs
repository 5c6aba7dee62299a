//! Splits filter text into tokens, one at a time as the parser requests them.
//!
//! The lexer is context-sensitive in one way: it tracks whether the next token is a value. Values
//! follow `field:` and fill the groups that follow it (`user:(root OR bob)`); everywhere else a
//! word followed by `:` is a field name. Value tokens are complete values: a bare pattern, a
//! quoted string, a `/regex/`, a `[a TO b]` range, a `>=n` comparison or a CIDR network.
//!
//! Lexing is lazy so the parser reports the first problem in reading order: in
//! `user:root bob "open`, the missing field of `bob` is reported, not the unclosed quote after it.

use std::net::IpAddr;

use crate::filter::MAX_REGEX_SIZE;
use crate::filter::ast::{Bound, Cidr, Pattern, Piece, Range, Value};
use crate::filter::error::{FilterError, FilterErrorKind, Span};
use crate::filter::eval::{RegexCache, RegexProblem, compile_regex};

/// A token with its byte span in the filter text.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Token {
    pub(crate) kind: TokenKind,
    pub(crate) span: Span,
}

/// The kinds of token.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum TokenKind {
    /// `(`
    LParen,
    /// `)`
    RParen,
    /// `NOT` in any case, or `!`.
    Not,
    /// `AND` in any case, or `&&`.
    And,
    /// `OR` in any case, or `||`.
    Or,
    /// A field name followed by `:`. The span covers both.
    Field(String),
    /// A complete value.
    Value(Value),
    /// The end of the filter. Its span is empty and sits at the end of the text.
    End,
}

/// The content of an open parenthesis, which decides how the lexer reads the words inside.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Group {
    /// `( … )` around clauses.
    Clauses,
    /// `field:( … )` around values of one field.
    Values,
}

/// The lexer state: the cursor, what the next word is, and the regexes compiled so far.
#[derive(Debug)]
pub(crate) struct Lexer<'t> {
    text: &'t str,
    pos: usize,
    groups: Vec<Group>,
    after_field: bool,
    case_sensitive: bool,
    regexes: RegexCache,
}

/// Returns `true` for `AND`, `OR`, `NOT` in any letter case and for `&&`, `||`.
pub(crate) fn is_keyword(word: &str) -> bool {
    ["and", "or", "not"]
        .iter()
        .any(|keyword| word.eq_ignore_ascii_case(keyword))
        || word == "&&"
        || word == "||"
}

/// Returns `true` when `name` is a valid field name: it starts with a letter, digit, `_` or `@`
/// and continues with letters, digits, `_`, `.`, `-` or `@`. Letters and digits may be
/// non-ASCII.
///
/// The first character excludes `-` and `+` so that Lucene's `-field:value` is an error rather
/// than a clause on a field literally named `-field`.
pub(crate) fn is_field_name(name: &str) -> bool {
    let mut chars = name.chars();
    let Some(first) = chars.next() else {
        return false;
    };
    let first_ok = first.is_alphanumeric() || first == '_' || first == '@';
    first_ok && chars.all(|c| c.is_alphanumeric() || matches!(c, '_' | '.' | '-' | '@'))
}

/// Returns `true` for characters that end a bare word: whitespace and parentheses.
fn ends_word(c: char) -> bool {
    c.is_whitespace() || c == '(' || c == ')'
}

impl<'t> Lexer<'t> {
    /// Creates a lexer at the start of `text`. Regexes are compiled with the given case
    /// sensitivity as they are lexed, so an invalid one is reported at its span.
    pub(crate) fn new(text: &'t str, case_sensitive: bool) -> Lexer<'t> {
        Lexer {
            text,
            pos: 0,
            groups: Vec::new(),
            after_field: false,
            case_sensitive,
            regexes: RegexCache::new(),
        }
    }

    /// Returns the regexes compiled while lexing, keyed by source.
    pub(crate) fn into_regexes(self) -> RegexCache {
        self.regexes
    }

    /// Lexes the next token. At the end of the text it returns [`TokenKind::End`] every time.
    ///
    /// # Errors
    ///
    /// Returns an error for a malformed token: an unclosed quote, regex or range, a trailing
    /// escape, an invalid field name, an invalid range bound or CIDR prefix.
    pub(crate) fn next_token(&mut self) -> Result<Token, FilterError> {
        self.skip_whitespace();
        let start = self.pos;
        let Some(c) = self.peek_char() else {
            return Ok(Token {
                kind: TokenKind::End,
                span: Span::new(start, start),
            });
        };

        let in_values = self.after_field || self.groups.last() == Some(&Group::Values);
        let kind = match c {
            '(' => {
                self.pos += 1;
                self.groups.push(if in_values {
                    Group::Values
                } else {
                    Group::Clauses
                });
                TokenKind::LParen
            }
            ')' => {
                self.pos += 1;
                self.groups.pop();
                TokenKind::RParen
            }
            '!' => {
                self.pos += 1;
                TokenKind::Not
            }
            _ if in_values => self.lex_value()?,
            _ => self.lex_field_or_word()?,
        };
        self.after_field = matches!(kind, TokenKind::Field(_));
        Ok(Token {
            kind,
            span: Span::new(start, self.pos),
        })
    }

    /// Lexes a field name and its colon, a keyword, or (in a place that needs a field) a value,
    /// which the parser then reports as a value without a field.
    ///
    /// On entry the cursor is on the first character; on exit it is after the colon, keyword or
    /// value.
    fn lex_field_or_word(&mut self) -> Result<TokenKind, FilterError> {
        let start = self.pos;
        if matches!(self.peek_char(), Some('"' | '/' | '[' | '{')) {
            return self.lex_value();
        }

        // Read up to whitespace, a parenthesis or a colon. Escapes are skipped so an escaped
        // colon stays inside the word.
        let mut escaped = false;
        while let Some(c) = self.peek_char() {
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if ends_word(c) || c == ':' {
                break;
            }
            self.pos += c.len_utf8();
        }
        let word = &self.text[start..self.pos];

        if self.peek_char() == Some(':') {
            self.check_field_name(word, Span::new(start, self.pos))?;
            self.pos += 1;
            return Ok(TokenKind::Field(word.to_owned()));
        }
        if is_keyword(word) {
            return Ok(keyword_kind(word));
        }
        self.pos = start;
        self.lex_value()
    }

    /// Rejects invalid field names, with a hint for the common mistakes.
    fn check_field_name(&self, name: &str, span: Span) -> Result<(), FilterError> {
        if is_field_name(name) {
            return Ok(());
        }
        if name.is_empty() {
            return Err(FilterError::new(
                FilterErrorKind::InvalidFieldName,
                self.text,
                Span::new(span.start, span.start + 1),
                "`:` with no field name before it",
                "a field name before `:`, as in `user:root`",
            ));
        }
        let expected = if name.starts_with('-') || name.starts_with('+') {
            "a field name; the Lucene prefixes `-` and `+` are not supported, \
             so write `NOT field:value` instead of `-field:value`"
                .to_owned()
        } else if name.contains(['*', '?']) {
            "a field name without wildcards".to_owned()
        } else {
            "a field name of letters, digits, `_`, `.`, `-` and `@`, \
             starting with a letter, digit, `_` or `@`"
                .to_owned()
        };
        Err(FilterError::new(
            FilterErrorKind::InvalidFieldName,
            self.text,
            span,
            describe_text(name),
            expected,
        ))
    }

    /// Lexes one value.
    ///
    /// On entry the cursor is on the first character of the value; on exit it is just past the
    /// value. A keyword in value position is returned as the keyword, and the parser decides
    /// whether it is allowed there.
    fn lex_value(&mut self) -> Result<TokenKind, FilterError> {
        let kind = match self.peek_char() {
            Some('"') => self.lex_quoted()?,
            Some('/') => self.lex_regex()?,
            Some('[' | '{') => self.lex_range()?,
            _ => return self.lex_bare_value(),
        };
        self.check_value_end()?;
        Ok(kind)
    }

    /// Requires whitespace, a parenthesis or the end after a quoted value, regex or range, so
    /// `"a"b` is an error rather than two values.
    fn check_value_end(&self) -> Result<(), FilterError> {
        match self.peek_char() {
            None => Ok(()),
            Some(c) if ends_word(c) => Ok(()),
            Some(c) => Err(FilterError::new(
                FilterErrorKind::UnexpectedToken,
                self.text,
                Span::new(self.pos, self.pos + c.len_utf8()),
                describe_text(&c.to_string()),
                "whitespace, `(`, `)` or the end of the filter after a quoted value, \
                 regex or range",
            )),
        }
    }

    /// Lexes `"…"`. Inside the quotes `\` escapes the next character and `*`, `?` are literal.
    fn lex_quoted(&mut self) -> Result<TokenKind, FilterError> {
        let opener = Span::new(self.pos, self.pos + 1);
        self.pos += 1;
        let mut literal = String::new();
        loop {
            let Some(c) = self.peek_char() else {
                return Err(self.unclosed(
                    FilterErrorKind::UnclosedQuote,
                    "a closing `\"`",
                    opener,
                ));
            };
            self.pos += c.len_utf8();
            match c {
                '"' => break,
                '\\' => {
                    let Some(escaped) = self.peek_char() else {
                        return Err(self.unclosed(
                            FilterErrorKind::UnclosedQuote,
                            "a closing `\"`",
                            opener,
                        ));
                    };
                    self.pos += escaped.len_utf8();
                    literal.push(escaped);
                }
                _ => literal.push(c),
            }
        }
        Ok(TokenKind::Value(Value::Pattern(Pattern::literal(&literal))))
    }

    /// Lexes `/…/`. The source between the slashes is kept verbatim; `\/` does not end it.
    fn lex_regex(&mut self) -> Result<TokenKind, FilterError> {
        let opener = Span::new(self.pos, self.pos + 1);
        self.pos += 1;
        let source_start = self.pos;
        loop {
            let Some(c) = self.peek_char() else {
                return Err(self.unclosed(FilterErrorKind::UnclosedRegex, "a closing `/`", opener));
            };
            match c {
                '/' => break,
                '\\' => {
                    self.pos += 1;
                    let Some(escaped) = self.peek_char() else {
                        return Err(self.unclosed(
                            FilterErrorKind::UnclosedRegex,
                            "a closing `/`",
                            opener,
                        ));
                    };
                    self.pos += escaped.len_utf8();
                }
                _ => self.pos += c.len_utf8(),
            }
        }
        let source = self.text[source_start..self.pos].to_owned();
        self.pos += 1;
        self.compile_regex(&source, Span::new(opener.start, self.pos))?;
        Ok(TokenKind::Value(Value::Regex(source)))
    }

    /// Compiles a regex into the cache, or reports why it does not compile.
    fn compile_regex(&mut self, source: &str, span: Span) -> Result<(), FilterError> {
        if self.regexes.contains_key(source) {
            return Ok(());
        }
        let found = describe_text(&self.text[span.range()]);
        match compile_regex(source, self.case_sensitive) {
            Ok(regex) => {
                self.regexes.insert(source.to_owned(), regex);
                Ok(())
            }
            Err(RegexProblem::Invalid(message)) => Err(FilterError::new(
                FilterErrorKind::InvalidRegex,
                self.text,
                span,
                found,
                format!("a valid regex in Rust `regex` syntax, but it has an error: {message}"),
            )),
            Err(RegexProblem::TooLarge) => Err(FilterError::new(
                FilterErrorKind::RegexTooLarge,
                self.text,
                span,
                found,
                format!(
                    "a regex that compiles to at most {MAX_REGEX_SIZE} bytes; \
                     use fewer or smaller repetitions, or a wildcard pattern"
                ),
            )),
        }
    }

    /// Lexes `[lower TO upper]` with `[`/`{` and `]`/`}` in any combination and `*` for an
    /// open end.
    fn lex_range(&mut self) -> Result<TokenKind, FilterError> {
        let opener = Span::new(self.pos, self.pos + 1);
        let lower_inclusive = self.text.as_bytes()[self.pos] == b'[';
        self.pos += 1;

        let (lower_text, lower_span) = self.range_word(opener)?;
        let (to_text, to_span) = self.range_word(opener)?;
        if !to_text.eq_ignore_ascii_case("to") {
            return Err(FilterError::new(
                FilterErrorKind::InvalidRange,
                self.text,
                to_span,
                describe_text(to_text),
                "`TO` between the range bounds, as in `[1 TO 5]`",
            ));
        }
        let (upper_text, upper_span) = self.range_word(opener)?;

        self.skip_whitespace();
        let upper_inclusive = match self.peek_char() {
            Some(']') => true,
            Some('}') => false,
            Some(c) => {
                return Err(FilterError::new(
                    FilterErrorKind::InvalidRange,
                    self.text,
                    Span::new(self.pos, self.pos + c.len_utf8()),
                    describe_text(&c.to_string()),
                    "`]` or `}` to close the range",
                )
                .with_opener(opener));
            }
            None => {
                return Err(self.unclosed(
                    FilterErrorKind::UnclosedRange,
                    "`]` or `}` to close the range",
                    opener,
                ));
            }
        };
        self.pos += 1;

        let lower = self.range_bound(lower_text, lower_span, lower_inclusive)?;
        let upper = self.range_bound(upper_text, upper_span, upper_inclusive)?;
        let range = Range { lower, upper };
        if !range.is_valid() {
            return Err(FilterError::new(
                FilterErrorKind::InvalidRange,
                self.text,
                Span::new(opener.start, self.pos),
                describe_text(&self.text[opener.start..self.pos]),
                "a lower bound that is not greater than the upper bound",
            ));
        }
        Ok(TokenKind::Value(Value::Range(range)))
    }

    /// Reads one whitespace-separated word inside a range, stopping before `]` or `}`.
    fn range_word(&mut self, opener: Span) -> Result<(&'t str, Span), FilterError> {
        self.skip_whitespace();
        let start = self.pos;
        while let Some(c) = self.peek_char() {
            if c.is_whitespace() || c == ']' || c == '}' {
                break;
            }
            self.pos += c.len_utf8();
        }
        if self.pos == start {
            let expected = "a range of the form `[lower TO upper]`";
            return Err(match self.peek_char() {
                None => self.unclosed(FilterErrorKind::UnclosedRange, expected, opener),
                Some(c) => FilterError::new(
                    FilterErrorKind::InvalidRange,
                    self.text,
                    Span::new(start, start + c.len_utf8()),
                    describe_text(&c.to_string()),
                    expected,
                )
                .with_opener(opener),
            });
        }
        Ok((&self.text[start..self.pos], Span::new(start, self.pos)))
    }

    /// Converts a range bound word: `*` is open, anything else must be a finite number.
    fn range_bound(&self, word: &str, span: Span, inclusive: bool) -> Result<Bound, FilterError> {
        if word == "*" {
            return Ok(Bound::Unbounded);
        }
        let number = self.parse_number(word, span)?;
        Ok(if inclusive {
            Bound::Included(number)
        } else {
            Bound::Excluded(number)
        })
    }

    /// Parses a finite number, as Rust's `f64` parser reads it.
    fn parse_number(&self, word: &str, span: Span) -> Result<f64, FilterError> {
        match word.parse::<f64>() {
            Ok(number) if number.is_finite() => Ok(number),
            _ => Err(FilterError::new(
                FilterErrorKind::InvalidRange,
                self.text,
                span,
                describe_text(word),
                "a finite number such as `10` or `-2.5`; ranges compare numbers only",
            )),
        }
    }

    /// Lexes a bare value: a keyword, a comparison, a CIDR network or a wildcard pattern.
    ///
    /// On entry the cursor is on the first character. On exit it is on the whitespace or
    /// parenthesis that ends the value, or at the end of the text.
    fn lex_bare_value(&mut self) -> Result<TokenKind, FilterError> {
        let start = self.pos;
        let mut pieces = Vec::new();
        let mut literal = String::new();
        let mut plain = true;
        while let Some(c) = self.peek_char() {
            if ends_word(c) {
                break;
            }
            let char_start = self.pos;
            self.pos += c.len_utf8();
            match c {
                '\\' => {
                    let Some(escaped) = self.peek_char() else {
                        return Err(FilterError::new(
                            FilterErrorKind::TrailingEscape,
                            self.text,
                            Span::new(char_start, self.pos),
                            "`\\` at the end of the filter",
                            "a character after `\\`; write `\\\\` for a literal backslash",
                        ));
                    };
                    self.pos += escaped.len_utf8();
                    literal.push(escaped);
                    plain = false;
                }
                '"' => {
                    return Err(FilterError::new(
                        FilterErrorKind::UnescapedQuote,
                        self.text,
                        Span::new(char_start, self.pos),
                        "`\"` inside an unquoted value",
                        "`\\\"` for a literal quote, or quotes around the whole value",
                    ));
                }
                '*' | '?' => {
                    pieces.push(Piece::Literal(std::mem::take(&mut literal)));
                    pieces.push(if c == '*' {
                        Piece::AnyRun
                    } else {
                        Piece::AnyChar
                    });
                    plain = false;
                }
                _ => literal.push(c),
            }
        }
        pieces.push(Piece::Literal(literal));
        let raw = &self.text[start..self.pos];
        let span = Span::new(start, self.pos);

        if is_keyword(raw) {
            return Ok(keyword_kind(raw));
        }
        if let Some(range) = self.comparison(raw, span)? {
            return Ok(TokenKind::Value(Value::Range(range)));
        }
        if plain {
            if let Some(cidr) = self.cidr(raw, span)? {
                return Ok(TokenKind::Value(Value::Cidr(cidr)));
            }
        }
        let pattern = Pattern::new(pieces);
        if pattern.pieces == [Piece::AnyRun] {
            return Ok(TokenKind::Value(Value::Exists));
        }
        Ok(TokenKind::Value(Value::Pattern(pattern)))
    }

    /// Recognizes `>=n`, `>n`, `<=n` and `<n`, or returns `None` if `raw` starts with none of
    /// them.
    fn comparison(&self, raw: &str, span: Span) -> Result<Option<Range>, FilterError> {
        let (operator, rest) = if let Some(rest) = raw.strip_prefix(">=") {
            (">=", rest)
        } else if let Some(rest) = raw.strip_prefix("<=") {
            ("<=", rest)
        } else if let Some(rest) = raw.strip_prefix('>') {
            (">", rest)
        } else if let Some(rest) = raw.strip_prefix('<') {
            ("<", rest)
        } else {
            return Ok(None);
        };
        let number_span = Span::new(span.start + operator.len(), span.end);
        if rest.is_empty() {
            return Err(FilterError::new(
                FilterErrorKind::InvalidRange,
                self.text,
                span,
                describe_text(raw),
                format!(
                    "a number right after `{operator}`, as in `{operator}10`; \
                     quote the value to match `{operator}` literally"
                ),
            ));
        }
        let number = rest.parse::<f64>().ok().filter(|number| number.is_finite());
        let Some(number) = number else {
            return Err(FilterError::new(
                FilterErrorKind::InvalidRange,
                self.text,
                number_span,
                describe_text(rest),
                format!(
                    "a finite number after `{operator}`; quote the value to match {} as text",
                    describe_text(raw)
                ),
            ));
        };
        let range = match operator {
            ">=" => Range {
                lower: Bound::Included(number),
                upper: Bound::Unbounded,
            },
            ">" => Range {
                lower: Bound::Excluded(number),
                upper: Bound::Unbounded,
            },
            "<=" => Range {
                lower: Bound::Unbounded,
                upper: Bound::Included(number),
            },
            _ => Range {
                lower: Bound::Unbounded,
                upper: Bound::Excluded(number),
            },
        };
        Ok(Some(range))
    }

    /// Recognizes `address/prefix`, or returns `None` if `raw` does not have that shape.
    fn cidr(&self, raw: &str, span: Span) -> Result<Option<Cidr>, FilterError> {
        let Some((addr, prefix)) = raw.rsplit_once('/') else {
            return Ok(None);
        };
        let Ok(addr) = addr.parse::<IpAddr>() else {
            return Ok(None);
        };
        if prefix.is_empty() || !prefix.bytes().all(|b| b.is_ascii_digit()) {
            return Ok(None);
        }
        let max: u8 = if addr.is_ipv4() { 32 } else { 128 };
        match prefix.parse::<u8>() {
            Ok(prefix_len) if prefix_len <= max => Ok(Some(Cidr { addr, prefix_len })),
            _ => {
                let family = if addr.is_ipv4() { "IPv4" } else { "IPv6" };
                Err(FilterError::new(
                    FilterErrorKind::InvalidCidr,
                    self.text,
                    Span::new(span.end - prefix.len(), span.end),
                    describe_text(prefix),
                    format!(
                        "a prefix length from 0 to {max} for an {family} address; \
                         quote the value to match it as text"
                    ),
                ))
            }
        }
    }

    /// Builds the error for an opener that is never closed: the span is the end of the text.
    fn unclosed(&self, kind: FilterErrorKind, expected: &str, opener: Span) -> FilterError {
        let end = self.text.len();
        FilterError::new(
            kind,
            self.text,
            Span::new(end, end),
            "end of filter",
            expected,
        )
        .with_opener(opener)
    }

    fn skip_whitespace(&mut self) {
        while let Some(c) = self.peek_char() {
            if !c.is_whitespace() {
                break;
            }
            self.pos += c.len_utf8();
        }
    }

    fn peek_char(&self) -> Option<char> {
        self.text[self.pos..].chars().next()
    }
}

/// Maps a keyword word to its token kind. The caller has checked [`is_keyword`].
fn keyword_kind(word: &str) -> TokenKind {
    if word.eq_ignore_ascii_case("and") || word == "&&" {
        TokenKind::And
    } else if word.eq_ignore_ascii_case("or") || word == "||" {
        TokenKind::Or
    } else {
        TokenKind::Not
    }
}

/// Maximum number of characters of a token quoted in an error message.
const MAX_QUOTED_CHARS: usize = 40;

/// Quotes text for an error message, shortened to [`MAX_QUOTED_CHARS`] characters.
pub(crate) fn describe_text(text: &str) -> String {
    if text.chars().count() <= MAX_QUOTED_CHARS {
        return format!("`{text}`");
    }
    let head: String = text.chars().take(MAX_QUOTED_CHARS).collect();
    format!("`{head}…`")
}
