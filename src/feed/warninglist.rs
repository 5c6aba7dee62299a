//! MISP warninglists: lists of known-benign values used to flag false positives.

use std::collections::HashSet;
use std::fmt;

use aho_corasick::AhoCorasick;
use serde_json::{Map, Value};

use crate::error::Location;
use crate::feed::threatfox::json_error;
use crate::feed::{Collector, FeedError, FeedErrorKind, Format, Import, Mode};
use crate::indicator::{IndicatorKind, IndicatorRecord, Metadata};

/// The matching semantics of a MISP warninglist, from its `type` key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum WarninglistKind {
    /// `hostname`: a value matches an entry or any subdomain of it.
    Hostname,
    /// `string`: a value matches an entry exactly (ASCII case-insensitive here).
    String,
    /// `substring`: a value matches when it contains an entry.
    Substring,
    /// `cidr`: IP ranges. Parsed, but neither matched nor converted by this library.
    Cidr,
    /// `regex`: regular expressions. Parsed, but neither matched nor converted by this library.
    Regex,
}

impl WarninglistKind {
    /// Returns the kind named by a `type` value, or `None` for an unknown type.
    ///
    /// ```
    /// use iocmatch::feed::WarninglistKind;
    /// assert_eq!(WarninglistKind::from_name("hostname"), Some(WarninglistKind::Hostname));
    /// assert_eq!(WarninglistKind::from_name("cidr "), None);
    /// ```
    pub fn from_name(name: &str) -> Option<Self> {
        match name {
            "hostname" => Some(WarninglistKind::Hostname),
            "string" => Some(WarninglistKind::String),
            "substring" => Some(WarninglistKind::Substring),
            "cidr" => Some(WarninglistKind::Cidr),
            "regex" => Some(WarninglistKind::Regex),
            _ => None,
        }
    }

    /// Returns the `type` value that names this kind.
    ///
    /// ```
    /// assert_eq!(iocmatch::feed::WarninglistKind::Substring.name(), "substring");
    /// ```
    pub fn name(self) -> &'static str {
        match self {
            WarninglistKind::Hostname => "hostname",
            WarninglistKind::String => "string",
            WarninglistKind::Substring => "substring",
            WarninglistKind::Cidr => "cidr",
            WarninglistKind::Regex => "regex",
        }
    }
}

impl fmt::Display for WarninglistKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A parsed MISP warninglist with an index for [`matches`](Warninglist::matches).
///
/// ```
/// use iocmatch::feed::{Warninglist, WarninglistKind};
///
/// let json = r#"{"name": "Top sites", "type": "string", "version": 20260811,
///                "description": "Popular domains", "list": ["google.com", "Example.ORG"],
///                "matching_attributes": ["hostname", "domain"]}"#;
/// let list = Warninglist::parse(json).unwrap();
/// assert_eq!(list.kind(), WarninglistKind::String);
/// assert_eq!(list.version(), Some(20260811));
/// assert!(list.matches("example.org").unwrap());
/// assert!(!list.matches("www.google.com").unwrap());
/// ```
#[derive(Debug, Clone)]
pub struct Warninglist {
    name: String,
    description: Option<String>,
    version: Option<u64>,
    kind: WarninglistKind,
    values: Vec<String>,
    matching_attributes: Vec<String>,
    index: Index,
}

/// The lookup structure that suits the list's kind.
#[derive(Debug, Clone)]
enum Index {
    /// ASCII-lower-cased entries; hostname entries also lose one root dot.
    Set(HashSet<String>),
    Substrings(AhoCorasick),
    Unsupported,
}

impl Warninglist {
    /// Parses a warninglist from its JSON text.
    ///
    /// `name`, `type` and `list` are required; `description`, `version` (an integer) and
    /// `matching_attributes` are optional. Other keys are ignored. A `substring` list must not
    /// hold an empty value, which would match everything.
    ///
    /// # Errors
    ///
    /// Returns a [`FeedError`] for malformed JSON ([`FeedErrorKind::Json`]), a top level that is
    /// not an object, a missing required key, or a key of the wrong type. A `list` entry that is
    /// not a string is located by its [`Location::Index`]. An unknown `type` fails with
    /// [`FeedErrorKind::UnknownListType`], and so does an empty value in a `substring` list with
    /// [`FeedErrorKind::InvalidField`].
    pub fn parse(text: &str) -> Result<Warninglist, FeedError> {
        let collector = Collector::new(Format::Warninglist, Mode::Strict);
        let fail = |location, value: &str, kind| Err(collector.error(location, value, kind));

        let json: Value = serde_json::from_str(text).map_err(|e| json_error(&e, &collector))?;
        let Value::Object(object) = json else {
            let kind = FeedErrorKind::UnexpectedJson {
                expected: "an object with \"name\", \"type\" and \"list\"",
            };
            return fail(None, json_type_name(&json), kind);
        };

        let name = required_string(&object, "name", &collector)?;
        let type_name = required_string(&object, "type", &collector)?;
        let Some(kind) = WarninglistKind::from_name(&type_name) else {
            return fail(None, &type_name, FeedErrorKind::UnknownListType);
        };
        let values = string_array(&object, "list", true, &collector)?;
        let description = match object.get("description") {
            None | Some(Value::Null) => None,
            Some(_) => Some(required_string(&object, "description", &collector)?),
        };
        let version = match object.get("version") {
            None | Some(Value::Null) => None,
            Some(Value::Number(number)) if number.as_u64().is_some() => number.as_u64(),
            Some(other) => {
                let kind = FeedErrorKind::InvalidField {
                    field: "version",
                    expected: "a non-negative integer",
                };
                return fail(None, &other.to_string(), kind);
            }
        };
        let matching_attributes = string_array(&object, "matching_attributes", false, &collector)?;

        if kind == WarninglistKind::Substring {
            if let Some(index) = values.iter().position(String::is_empty) {
                let kind = FeedErrorKind::InvalidField {
                    field: "list",
                    expected: "a non-empty substring, because an empty one matches every value",
                };
                return fail(Some(Location::Index(index)), "", kind);
            }
        }

        let index = build_index(kind, &values).map_err(|kind| collector.error(None, "", kind))?;
        Ok(Warninglist {
            name,
            description,
            version,
            kind,
            values,
            matching_attributes,
            index,
        })
    }

    /// Returns the list's `name`.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Returns the list's `description`, when it has one.
    pub fn description(&self) -> Option<&str> {
        self.description.as_deref()
    }

    /// Returns the list's `version`, when it has one.
    pub fn version(&self) -> Option<u64> {
        self.version
    }

    /// Returns how the list's values match.
    pub fn kind(&self) -> WarninglistKind {
        self.kind
    }

    /// Returns the values as the list gives them, in order.
    pub fn values(&self) -> &[String] {
        &self.values
    }

    /// Returns the MISP attribute types the list applies to, such as `hostname` or `domain`.
    pub fn matching_attributes(&self) -> &[String] {
        &self.matching_attributes
    }

    /// Returns whether a value is on the list.
    ///
    /// - `string` lists: the value equals an entry, ASCII case-insensitively;
    /// - `substring` lists: the value contains an entry, ASCII case-insensitively;
    /// - `hostname` lists: the value, without one root dot, equals an entry or is a subdomain
    ///   of one, ASCII case-insensitively.
    ///
    /// ```
    /// use iocmatch::feed::Warninglist;
    ///
    /// let list = Warninglist::parse(r#"{"name": "cdn", "type": "substring", "list": ["akamai"]}"#)
    ///     .unwrap();
    /// assert!(list.matches("a1.AKAMAIedge.net").unwrap());
    ///
    /// let list = Warninglist::parse(r#"{"name": "top", "type": "hostname", "list": ["google.com"]}"#)
    ///     .unwrap();
    /// assert!(list.matches("mail.google.com.").unwrap());
    /// assert!(!list.matches("notgoogle.com").unwrap());
    /// ```
    ///
    /// # Errors
    ///
    /// Returns [`FeedErrorKind::UnsupportedListType`] for `cidr` and `regex` lists, whatever
    /// the value.
    pub fn matches(&self, value: &str) -> Result<bool, FeedError> {
        match &self.index {
            Index::Set(entries) if self.kind == WarninglistKind::Hostname => {
                let name = value
                    .strip_suffix('.')
                    .unwrap_or(value)
                    .to_ascii_lowercase();
                Ok(domain_suffixes(&name).any(|suffix| entries.contains(suffix)))
            }
            Index::Set(entries) => Ok(entries.contains(&value.to_ascii_lowercase())),
            Index::Substrings(automaton) => Ok(automaton.is_match(value)),
            Index::Unsupported => {
                Err(self.unsupported("matching", "hostname, string and substring"))
            }
        }
    }

    /// Converts a `hostname` list into domain records, one per value, located by
    /// [`Location::Index`] in `list` and with the list's name as [`Metadata::source`].
    ///
    /// Push the result into a [`SetBuilder`](crate::SetBuilder) to get an exclusion set that
    /// matches the same names as [`matches`](Warninglist::matches) does.
    ///
    /// ```
    /// use iocmatch::SetBuilder;
    /// use iocmatch::feed::{Mode, Warninglist};
    ///
    /// let json = r#"{"name": "Top 10K", "type": "hostname", "list": ["google.com", "bad value"]}"#;
    /// let list = Warninglist::parse(json).unwrap();
    /// let import = list.to_import(Mode::Lenient).unwrap();
    /// assert_eq!(import.records[0].0.metadata().source.as_deref(), Some("Top 10K"));
    /// assert_eq!(import.rejected.len(), 1);
    ///
    /// let mut builder = SetBuilder::new();
    /// import.push_into(&mut builder);
    /// assert!(builder.build().unwrap().is_match("mail.google.com"));
    /// ```
    ///
    /// # Errors
    ///
    /// Returns [`FeedErrorKind::UnsupportedListType`] for lists of any type but `hostname`:
    /// a `string` list means exact matches, which a domain set would widen to subdomains. In
    /// [`Mode::Strict`], also returns the first value that is not a valid domain.
    pub fn to_import(&self, mode: Mode) -> Result<Import, FeedError> {
        if self.kind != WarninglistKind::Hostname {
            return Err(self.unsupported("conversion to records", "hostname"));
        }
        let mut collector = Collector::new(Format::Warninglist, mode);
        let metadata = Metadata {
            source: Some(self.name.clone()),
            ..Metadata::default()
        };
        for (index, value) in self.values.iter().enumerate() {
            let record = IndicatorRecord::new(value.as_str())
                .with_kind(IndicatorKind::Domain)
                .with_metadata(metadata.clone());
            collector.push(record, Location::Index(index))?;
        }
        Ok(collector.finish())
    }

    fn unsupported(&self, operation: &'static str, supported: &'static str) -> FeedError {
        let kind = FeedErrorKind::UnsupportedListType {
            operation,
            supported,
        };
        FeedError::new(Format::Warninglist, None, self.kind.name(), kind)
    }
}

/// Builds the lookup structure for a list's kind.
fn build_index(kind: WarninglistKind, values: &[String]) -> Result<Index, FeedErrorKind> {
    let index = match kind {
        WarninglistKind::String => {
            Index::Set(values.iter().map(|v| v.to_ascii_lowercase()).collect())
        }
        WarninglistKind::Hostname => Index::Set(
            values
                .iter()
                .map(|v| v.strip_suffix('.').unwrap_or(v).to_ascii_lowercase())
                .collect(),
        ),
        WarninglistKind::Substring => {
            // aho-corasick fails a build only when state or pattern IDs overflow their type.
            let automaton = AhoCorasick::builder()
                .ascii_case_insensitive(true)
                .build(values)
                .map_err(|_| FeedErrorKind::InvalidField {
                    field: "list",
                    expected: "substrings that fit the Aho-Corasick automaton's size limit",
                })?;
            Index::Substrings(automaton)
        }
        WarninglistKind::Cidr | WarninglistKind::Regex => Index::Unsupported,
    };
    Ok(index)
}

/// Iterates over a name and each of its parent domains: `a.b.c`, `b.c`, `c`.
fn domain_suffixes(name: &str) -> impl Iterator<Item = &str> {
    std::iter::once(name).chain(name.match_indices('.').map(move |(at, _)| &name[at + 1..]))
}

fn json_type_name(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

fn required_string(
    object: &Map<String, Value>,
    field: &'static str,
    collector: &Collector,
) -> Result<String, FeedError> {
    match object.get(field) {
        Some(Value::String(text)) => Ok(text.clone()),
        None | Some(Value::Null) => {
            Err(collector.error(None, "", FeedErrorKind::MissingField { field }))
        }
        Some(other) => {
            let kind = FeedErrorKind::InvalidField {
                field,
                expected: "a string",
            };
            Err(collector.error(None, &other.to_string(), kind))
        }
    }
}

/// Reads an array of strings; a missing optional array is empty.
fn string_array(
    object: &Map<String, Value>,
    field: &'static str,
    required: bool,
    collector: &Collector,
) -> Result<Vec<String>, FeedError> {
    let kind = FeedErrorKind::InvalidField {
        field,
        expected: "an array of strings",
    };
    let items = match object.get(field) {
        Some(Value::Array(items)) => items,
        None | Some(Value::Null) if required => {
            return Err(collector.error(None, "", FeedErrorKind::MissingField { field }));
        }
        None | Some(Value::Null) => return Ok(Vec::new()),
        Some(other) => return Err(collector.error(None, &other.to_string(), kind)),
    };
    let mut strings = Vec::with_capacity(items.len());
    for (index, item) in items.iter().enumerate() {
        match item {
            Value::String(text) => strings.push(text.clone()),
            other => {
                let location = Some(Location::Index(index));
                return Err(collector.error(location, &other.to_string(), kind));
            }
        }
    }
    Ok(strings)
}
