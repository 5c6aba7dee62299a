//! Errors raised while normalizing indicators, preparing log names and building sets.
//!
//! Matching never fails: only building a set and validating input can. Every error names the
//! offending value, where it was in the input and what to do about it.

use std::fmt;

/// Location of a rejected value in the caller's input.
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Location {
    /// Zero-based position in a list of values handed to a builder.
    Index(usize),
    /// One-based line number in a text feed.
    Line(usize),
    /// A record key in a structured feed, such as a ThreatFox IOC id.
    Record(String),
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Location::Index(index) => write!(f, "index {index}"),
            Location::Line(line) => write!(f, "line {line}"),
            Location::Record(key) => write!(f, "record {key}"),
        }
    }
}

/// The rule of the domain syntax that a value breaks.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum DomainErrorKind {
    /// The value is empty or only white space.
    Empty,
    /// The value contains a character outside letters, digits, `-`, `_` and `.`.
    InvalidCharacter {
        /// The character.
        character: char,
        /// Its byte offset in the value as given.
        offset: usize,
    },
    /// A label is empty: a leading dot, two dots in a row, or two trailing dots.
    EmptyLabel,
    /// A label is longer than [`MAX_LABEL_LEN`](crate::MAX_LABEL_LEN) octets.
    LabelTooLong {
        /// The label's length in octets after IDN mapping.
        len: usize,
    },
    /// The name is longer than [`MAX_NAME_LEN`](crate::MAX_NAME_LEN) octets.
    NameTooLong {
        /// The name's length in octets after IDN mapping.
        len: usize,
    },
    /// IDN mapping (UTS #46) rejected the name, for example an `xn--` label that does not decode.
    Idna,
    /// A `*` appears anywhere but as the whole first label.
    MisplacedWildcard,
    /// The value is an IP address, which a domain set cannot hold.
    IpAddress,
    /// A URL or `host:port` value has no host, or its port is not a number from 0 to 65535.
    InvalidHost,
    /// The record's [`IndicatorKind`](crate::IndicatorKind) is not one a domain set stores, such
    /// as an IP address or a file hash.
    NotADomainKind,
    /// A Windows DNS debug name such as `(3)www(7)example(3)com(0)` is malformed.
    DnsDebugForm {
        /// Byte offset of the first byte that does not fit the form.
        offset: usize,
    },
}

impl DomainErrorKind {
    fn describe(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DomainErrorKind::Empty => {
                f.write_str("the value is empty; remove the row or give a domain")
            }
            DomainErrorKind::InvalidCharacter { character, offset } => write!(
                f,
                "invalid character {character:?} at byte {offset}; a domain contains only \
                 letters, digits, '-', '_' and '.'"
            ),
            DomainErrorKind::EmptyLabel => {
                f.write_str("empty label; remove the leading, doubled or second trailing dot")
            }
            DomainErrorKind::LabelTooLong { len } => write!(
                f,
                "a label is {len} octets long, over the DNS maximum of {}",
                crate::MAX_LABEL_LEN
            ),
            DomainErrorKind::NameTooLong { len } => write!(
                f,
                "the name is {len} octets long, over the DNS maximum of {}",
                crate::MAX_NAME_LEN
            ),
            DomainErrorKind::Idna => f.write_str(
                "IDN mapping (UTS #46) failed; check the 'xn--' labels and Unicode characters",
            ),
            DomainErrorKind::MisplacedWildcard => {
                f.write_str("'*' is only allowed as the whole first label, as in '*.example.com'")
            }
            DomainErrorKind::IpAddress => f.write_str(
                "the value is an IP address, not a domain; match it with an IP rule instead",
            ),
            DomainErrorKind::InvalidHost => f.write_str(
                "the URL or host:port has no host or an invalid port; give the host alone",
            ),
            DomainErrorKind::NotADomainKind => f.write_str(
                "the record is not of a domain, URL or host:port type; keep it out of domain sets",
            ),
            DomainErrorKind::DnsDebugForm { offset } => write!(
                f,
                "malformed DNS debug name at byte {offset}; expected '(N)' followed by N bytes, \
                 ending in '(0)'"
            ),
        }
    }
}

/// A value that is not a valid domain indicator or log name.
///
/// The message names the value, its location when known, the rule broken and what to do:
///
/// ```
/// let err = iocmatch::normalize_indicator("evil..com").unwrap_err();
/// assert_eq!(
///     err.to_string(),
///     "invalid domain \"evil..com\": empty label; remove the leading, doubled or second trailing dot",
/// );
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct DomainError {
    value: String,
    kind: DomainErrorKind,
    location: Option<Location>,
}

impl DomainError {
    pub(crate) fn new(value: &str, kind: DomainErrorKind) -> Self {
        DomainError {
            value: value.to_owned(),
            kind,
            location: None,
        }
    }

    /// Attaches the input location, keeping one that was already set.
    pub(crate) fn at(mut self, location: Location) -> Self {
        self.location.get_or_insert(location);
        self
    }

    /// Returns the rule the value breaks.
    pub fn kind(&self) -> &DomainErrorKind {
        &self.kind
    }

    /// Returns the value as the caller gave it.
    pub fn value(&self) -> &str {
        &self.value
    }

    /// Returns where the value was in the input, when the caller's input had positions.
    pub fn location(&self) -> Option<&Location> {
        self.location.as_ref()
    }
}

impl fmt::Display for DomainError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "invalid domain {:?}", self.value)?;
        if let Some(location) = &self.location {
            write!(f, " at {location}")?;
        }
        f.write_str(": ")?;
        self.kind.describe(f)
    }
}

/// Kinds of defect in a serialized set.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum BundleErrorKind {
    /// The bytes do not start with the set magic `IOCMSET1`.
    BadMagic,
    /// A header field has an unknown value, such as a newer format's flag.
    BadHeader,
    /// The input ends before the lengths in the header say it should.
    Truncated,
    /// The entry and record tables are not valid JSON of the expected shape, a pattern is not a
    /// normalized indicator, or record ranges do not ascend within bounds.
    BadTables,
    /// The stored FST differs from the one the entry table describes.
    KeyMismatch,
}

/// A serialized [`IndicatorSet`](crate::IndicatorSet) that could not be loaded.
///
/// ```
/// let err = iocmatch::IndicatorSet::from_bytes(b"not a set").unwrap_err();
/// assert_eq!(err.kind(), iocmatch::error::BundleErrorKind::BadMagic);
/// assert_eq!(
///     err.to_string(),
///     "invalid indicator set bytes at offset 0: missing the IOCMSET1 magic; pass bytes written \
///      by IndicatorSet::to_bytes",
/// );
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid indicator set bytes at offset {offset}: {}", describe_bundle(*.kind))]
pub struct BundleError {
    kind: BundleErrorKind,
    offset: usize,
}

impl BundleError {
    pub(crate) fn new(kind: BundleErrorKind, offset: usize) -> Self {
        BundleError { kind, offset }
    }

    /// Returns what is wrong.
    pub fn kind(&self) -> BundleErrorKind {
        self.kind
    }

    /// Returns the byte offset of the part that failed its check.
    pub fn offset(&self) -> usize {
        self.offset
    }
}

fn describe_bundle(kind: BundleErrorKind) -> &'static str {
    match kind {
        BundleErrorKind::BadMagic => {
            "missing the IOCMSET1 magic; pass bytes written by IndicatorSet::to_bytes"
        }
        BundleErrorKind::BadHeader => {
            "unknown header value; the bytes come from another version of iocmatch, rebuild the set"
        }
        BundleErrorKind::Truncated => {
            "truncated input, shorter than the lengths in its header; write the bytes again"
        }
        BundleErrorKind::BadTables => "the entry or record tables are corrupt; rebuild the set",
        BundleErrorKind::KeyMismatch => {
            "the FST and the entry table disagree; the bytes were altered, rebuild the set"
        }
    }
}
