//! The error every importer returns: which format, where, which value and what to do.

use std::fmt;

use crate::error::{DomainError, Location};

/// Maximum number of characters of an offending value that an error message shows.
///
/// A longer value is cut to this many characters and marked with its full length in bytes, so
/// a megabyte-long line cannot flood a log. [`RejectedRow::value`](crate::feed::RejectedRow)
/// keeps the whole value.
pub const MAX_ERROR_VALUE_CHARS: usize = 80;

/// The feed format an importer reads; it opens every error message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Format {
    /// The ThreatFox JSON export, an object keyed by IOC id.
    ThreatFoxJson,
    /// The ThreatFox hosts-file export.
    ThreatFoxHostfile,
    /// A plain list: one value a line, hosts lines or adblock `||host^` rules.
    PlainList,
    /// A MISP warninglist in JSON.
    Warninglist,
    /// A Markdown hunting-rule page with an IOC table and a KQL query.
    RulePage,
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Format::ThreatFoxJson => "threatfox json",
            Format::ThreatFoxHostfile => "threatfox hostfile",
            Format::PlainList => "plain list",
            Format::Warninglist => "misp warninglist",
            Format::RulePage => "rule page",
        })
    }
}

/// The problem with a row or a feed.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum FeedErrorKind {
    /// The text is not well-formed JSON. The error's location is the line.
    Json {
        /// Column of the error on its line as `serde_json` reports it: one-based, except 0
        /// when the text ends right after a line break.
        column: usize,
        /// The JSON parser's description, without its position.
        reason: String,
    },
    /// Well-formed JSON whose top level has the wrong shape.
    UnexpectedJson {
        /// The expected shape, such as "an object keyed by IOC id".
        expected: &'static str,
    },
    /// A required key or table column is missing.
    MissingField {
        /// The key or column name.
        field: &'static str,
    },
    /// A key or table cell contains a value of the wrong type or out of range.
    InvalidField {
        /// The key or column name.
        field: &'static str,
        /// The values the field accepts.
        expected: &'static str,
    },
    /// A domain, URL or `host:port` indicator that does not normalize.
    InvalidDomain(DomainError),
    /// A value of IP type that is not an IP address, `ip:port` or CIDR range.
    InvalidIp,
    /// A value of hash type that is not a hexadecimal digest of the right length.
    InvalidHash {
        /// The accepted lengths, such as "32, 40 or 64".
        expected_digits: &'static str,
    },
    /// A plain-list line that is neither one value, nor a hosts line, nor an adblock rule.
    NotAnIndicator,
    /// An adblock rule other than `||host^` with optional `$options`.
    UnsupportedAdblockRule,
    /// A count that the feed states disagrees with what it contains.
    CountMismatch {
        /// The counted items, such as "entries" or "IOCs".
        what: &'static str,
        /// The count the feed states.
        stated: usize,
        /// The count found.
        found: usize,
    },
    /// A MISP warninglist `type` other than `hostname`, `string`, `substring`, `cidr` and
    /// `regex`.
    UnknownListType,
    /// A warninglist type that the requested operation does not support.
    UnsupportedListType {
        /// The operation, such as "matching" or "conversion to records".
        operation: &'static str,
        /// The types that operation supports.
        supported: &'static str,
    },
    /// A rule-page line that does not belong where it is.
    UnexpectedLine {
        /// The lines the importer accepts at that point.
        expected: &'static str,
    },
    /// A `let NAME = dynamic([...]);` statement without its closing `]);`.
    UnclosedLet,
    /// A Markdown table row whose number of cells differs from the header's.
    CellCount {
        /// The number of header columns.
        expected: usize,
        /// The number of cells in the row.
        found: usize,
    },
    /// A `Scenario:` without a `Filter/Exclusion:` line.
    MissingFilter,
    /// A rule page without a required part.
    MissingSection {
        /// The part, such as "KQL query table name".
        section: &'static str,
    },
    /// A name defined or a clause given twice.
    Duplicate {
        /// The repeated item, such as "let list" or "where clause".
        what: &'static str,
    },
    /// A `where` clause names a list that no `let` defines.
    UnknownList,
}

/// A row or a feed that an importer rejected.
///
/// The message names the format, the location (line, record key or index), the offending value
/// (cut to [`MAX_ERROR_VALUE_CHARS`] characters), what was expected and what to do:
///
/// ```
/// use iocmatch::feed::{self, FeedErrorKind, Mode};
///
/// let err = feed::plain_list("evil.com\nnot an indicator\n", Mode::Strict).unwrap_err();
/// assert_eq!(err.kind(), &FeedErrorKind::NotAnIndicator);
/// assert_eq!(
///     err.to_string(),
///     "plain list line 2: \"not an indicator\" is not one value, a hosts line or an adblock \
///      '||host^' rule; remove the line or comment it out with '#'",
/// );
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct FeedError {
    format: Format,
    location: Option<Location>,
    value: String,
    kind: FeedErrorKind,
}

impl FeedError {
    /// Creates an error; the value is cut to [`MAX_ERROR_VALUE_CHARS`] characters here, so no
    /// error can carry a huge value.
    pub(crate) fn new(
        format: Format,
        location: Option<Location>,
        value: &str,
        kind: FeedErrorKind,
    ) -> Self {
        FeedError {
            format,
            location,
            value: shorten(value),
            kind,
        }
    }

    /// Returns what is wrong.
    pub fn kind(&self) -> &FeedErrorKind {
        &self.kind
    }

    /// Returns the format being read.
    pub fn format(&self) -> Format {
        self.format
    }

    /// Returns where the problem is, when it has a place in the input.
    pub fn location(&self) -> Option<&Location> {
        self.location.as_ref()
    }

    /// Returns the offending value, cut to [`MAX_ERROR_VALUE_CHARS`] characters.
    pub fn value(&self) -> &str {
        &self.value
    }
}

impl fmt::Display for FeedError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.format)?;
        if let Some(location) = &self.location {
            write!(f, " {location}")?;
        }
        f.write_str(": ")?;
        describe(&self.kind, &self.value, f)
    }
}

/// Writes the part of the message after the location.
fn describe(kind: &FeedErrorKind, value: &str, f: &mut fmt::Formatter<'_>) -> fmt::Result {
    match kind {
        FeedErrorKind::Json { column, reason } => write!(
            f,
            "malformed JSON at column {column}: {reason}; fix the file or download it again"
        ),
        FeedErrorKind::UnexpectedJson { expected } => write!(
            f,
            "the JSON is {value}, expected {expected}; check that the file is in this format"
        ),
        FeedErrorKind::MissingField { field } => {
            write!(f, "missing {field:?}, which is required; add it")
        }
        FeedErrorKind::InvalidField { field, expected } => write!(
            f,
            "{field:?} is {value:?}, expected {expected}; correct the value"
        ),
        FeedErrorKind::InvalidDomain(error) => write!(f, "{error}"),
        FeedErrorKind::InvalidIp => write!(
            f,
            "{value:?} is not an IP address, ip:port or CIDR range; correct the value or \
             remove the row"
        ),
        FeedErrorKind::InvalidHash { expected_digits } => write!(
            f,
            "{value:?} is not a hash of {expected_digits} hexadecimal digits; correct the value \
             or remove the row"
        ),
        FeedErrorKind::NotAnIndicator => write!(
            f,
            "{value:?} is not one value, a hosts line or an adblock '||host^' rule; remove the \
             line or comment it out with '#'"
        ),
        FeedErrorKind::UnsupportedAdblockRule => write!(
            f,
            "adblock rule {value:?} is not of the form '||host^' with optional '$options'; only \
             host rules can be imported, so remove or comment out the line"
        ),
        FeedErrorKind::CountMismatch {
            what,
            stated,
            found,
        } => write!(
            f,
            "{value:?} states {stated} {what} but the input contains {found}; it may be \
             truncated or edited, so get a complete copy"
        ),
        FeedErrorKind::UnknownListType => write!(
            f,
            "unknown warninglist type {value:?}; expected hostname, string, substring, cidr or \
             regex"
        ),
        FeedErrorKind::UnsupportedListType {
            operation,
            supported,
        } => write!(
            f,
            "warninglist type {value:?} is not supported for {operation}; only {supported} \
             lists are"
        ),
        FeedErrorKind::UnexpectedLine { expected } => write!(
            f,
            "unexpected line {value:?}, expected {expected}; remove or correct the line"
        ),
        FeedErrorKind::UnclosedLet => write!(
            f,
            "the let statement {value:?} is not closed; expected a list of string literals \
             ending in ']);'"
        ),
        FeedErrorKind::CellCount { expected, found } => write!(
            f,
            "the table row {value:?} has {found} cells, expected {expected} like the header; \
             escape '|' inside a cell as '\\|'"
        ),
        FeedErrorKind::MissingFilter => write!(
            f,
            "scenario {value:?} has no 'Filter/Exclusion:' line; add one after its \
             'Description:' or remove the scenario"
        ),
        FeedErrorKind::MissingSection { section } => {
            write!(f, "the page has no {section}; add it")
        }
        FeedErrorKind::Duplicate { what } => {
            write!(f, "{value:?} repeats a {what}; give each only once")
        }
        FeedErrorKind::UnknownList => write!(
            f,
            "the where clause names the list {value:?}, which no 'let' defines; define it \
             with 'let {value} = dynamic([...]);' before the query"
        ),
    }
}

/// Cuts a value to [`MAX_ERROR_VALUE_CHARS`] characters, marking the cut with the full length.
fn shorten(value: &str) -> String {
    match value.char_indices().nth(MAX_ERROR_VALUE_CHARS) {
        None => value.to_owned(),
        Some((end, _)) => format!("{}... ({} bytes in all)", &value[..end], value.len()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shorten_keeps_short_values() {
        let value = "a".repeat(MAX_ERROR_VALUE_CHARS);
        assert_eq!(shorten(&value), value);
    }

    #[test]
    fn shorten_cuts_on_a_character_boundary() {
        let value = "é".repeat(MAX_ERROR_VALUE_CHARS + 1);
        let shown = shorten(&value);
        assert!(shown.starts_with(&"é".repeat(MAX_ERROR_VALUE_CHARS)));
        assert!(shown.ends_with(&format!("... ({} bytes in all)", value.len())));
    }
}
