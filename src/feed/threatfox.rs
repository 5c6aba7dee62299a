//! ThreatFox exports: the JSON export keyed by IOC id, and the hosts-file export.

use std::fmt;

use serde::Deserialize;
use serde::de::{MapAccess, Visitor};
use serde_json::Value;

use crate::error::Location;
use crate::feed::plain::{hosts_line, numbered_lines, push_value, strip_comment};
use crate::feed::value::is_hash;
use crate::feed::{Collector, FeedError, FeedErrorKind, Format, Import, Mode};
use crate::indicator::{IndicatorKind, IndicatorRecord, Metadata};

/// The `source` that ThreatFox records carry in their metadata.
const SOURCE: &str = "threatfox";

/// Imports a ThreatFox JSON export.
///
/// The export is an object whose keys are IOC ids and whose values are arrays of IOC objects.
/// Keys of an IOC object are read by name, so keys added to the export are ignored:
///
/// | key | becomes |
/// |---|---|
/// | `ioc_value` (required) | [`IndicatorRecord::value`], as written |
/// | `ioc_type` (required) | the kind: `domain`, `url`, `ip:port` ([`IndicatorKind::Ip`]), `md5_hash`, `sha1_hash`, `sha256_hash` ([`IndicatorKind::Hash`]); any other type is [`IndicatorKind::Other`] |
/// | the object's key | [`Metadata::id`] |
/// | `malware_printable`, else `malware` | [`Metadata::malware`] |
/// | `threat_type`, `first_seen_utc`, `last_seen_utc`, `reference` | the metadata fields of those names |
/// | `confidence_level` | [`Metadata::confidence`], an integer from 0 to 100 |
/// | `tags` | [`Metadata::tags`]: a comma-separated string (as the export writes them), an array of strings, or `null` |
///
/// Every record's [`Metadata::source`] is `threatfox`. Each IOC object is one row, located by
/// [`Location::Record`] with its key, or `key[i]` when the array contains several objects. Domain
/// and URL values must pass [`normalize_indicator`](crate::normalize_indicator), `ip:port`
/// values must parse as socket addresses, and hashes must have the digest length of their type.
/// A URL whose host is an IP address is skipped with
/// [`SkipReason::IpHost`](crate::feed::SkipReason::IpHost).
///
/// ```
/// use iocmatch::{IndicatorKind, Location};
/// use iocmatch::feed::{self, Mode};
///
/// let json = r#"{
///   "1856790": [{"ioc_value": "sup.merahsm188.top", "ioc_type": "domain",
///                "malware_printable": "Vidar", "confidence_level": 100,
///                "tags": "vidar,stealer", "threat_type": "botnet_cc"}],
///   "1856781": [{"ioc_value": "221.132.16.23:8000", "ioc_type": "ip:port"}]
/// }"#;
/// let import = feed::threatfox_json(json, Mode::Strict).unwrap();
/// let (record, location) = &import.records[0];
/// assert_eq!(location, &Location::Record("1856790".into()));
/// assert_eq!(record.metadata().malware.as_deref(), Some("Vidar"));
/// assert_eq!(record.metadata().tags, ["vidar", "stealer"]);
/// assert_eq!(import.records[1].0.kind, IndicatorKind::Ip);
/// ```
///
/// # Errors
///
/// Fails in both modes when the text is not well-formed JSON ([`FeedErrorKind::Json`], with line
/// and column) or its top level is not an object ([`FeedErrorKind::UnexpectedJson`]). In
/// [`Mode::Strict`], also fails on the first invalid IOC: a missing key, a key of the wrong
/// type, or a value that does not fit its type.
pub fn threatfox_json(text: &str, mode: Mode) -> Result<Import, FeedError> {
    let mut collector = Collector::new(Format::ThreatFoxJson, mode);
    let entries = parse_entries(text, &collector)?;
    for (key, value) in entries {
        let Value::Array(iocs) = value else {
            let location = Location::Record(key);
            let found = value.to_string();
            let kind = FeedErrorKind::InvalidField {
                field: "record",
                expected: "an array of IOC objects",
            };
            collector.reject(location, &found, kind)?;
            continue;
        };
        let several = iocs.len() > 1;
        for (index, ioc) in iocs.iter().enumerate() {
            let location = if several {
                Location::Record(format!("{key}[{index}]"))
            } else {
                Location::Record(key.clone())
            };
            match read_ioc(&key, ioc) {
                Ok(record) => {
                    collector.push(record, location)?;
                }
                Err((value, kind)) => collector.reject(location, &value, kind)?,
            }
        }
    }
    Ok(collector.finish())
}

/// Imports a ThreatFox hosts-file export: a `#` banner, then `127.0.0.1<TAB>domain` lines.
///
/// Every record is a domain with [`Metadata::source`] `threatfox`, located by
/// [`Location::Line`]. A `# Number of entries: N` comment, which the export writes last, is
/// checked against the rows read. Any line that is not a comment or a hosts line is rejected.
///
/// ```
/// use iocmatch::feed::{self, Mode};
///
/// let text = "# ThreatFox IOCs: host file\n127.0.0.1\treseptors.com\n\
///             127.0.0.1\tcontentcdns.net\n# Number of entries: 2\n";
/// let import = feed::threatfox_hostfile(text, Mode::Strict).unwrap();
/// assert_eq!(import.records.len(), 2);
/// assert_eq!(import.records[1].0.value, "contentcdns.net");
/// assert_eq!(import.records[1].0.metadata().source.as_deref(), Some("threatfox"));
/// ```
///
/// # Errors
///
/// Fails in both modes when the `# Number of entries` comment disagrees with the rows read
/// ([`FeedErrorKind::CountMismatch`]). In [`Mode::Strict`], also fails on the first line that is
/// not a hosts line ([`FeedErrorKind::UnexpectedLine`]) or whose domain is invalid.
pub fn threatfox_hostfile(text: &str, mode: Mode) -> Result<Import, FeedError> {
    let mut collector = Collector::new(Format::ThreatFoxHostfile, mode);
    let mut stated: Option<(usize, usize, &str)> = None;
    for (number, line) in numbered_lines(text) {
        let location = Location::Line(number);
        if let Some(count) = stated_entries(line) {
            stated = Some((number, count, line.trim()));
        }
        let content = strip_comment(line);
        if content.is_empty() {
            collector.ignore_line();
            continue;
        }
        let Some(hosts) = hosts_line(content) else {
            let kind = FeedErrorKind::UnexpectedLine {
                expected: "'127.0.0.1<TAB>domain' or a '#' comment",
            };
            collector.reject(location, content, kind)?;
            continue;
        };
        for host in hosts {
            push_value(&mut collector, host, location.clone(), Some(SOURCE))?;
        }
    }

    if let Some((number, count, line)) = stated {
        if count != collector.rows() {
            let kind = FeedErrorKind::CountMismatch {
                what: "entries",
                stated: count,
                found: collector.rows(),
            };
            return Err(collector.error(Some(Location::Line(number)), line, kind));
        }
    }
    Ok(collector.finish())
}

/// Reads `N` from a `# Number of entries: N` comment.
fn stated_entries(line: &str) -> Option<usize> {
    let rest = line.trim().strip_prefix('#')?.trim_start();
    let count = rest.strip_prefix("Number of entries:")?.trim();
    count.parse().ok()
}

/// Parses the top-level object, keeping its keys in file order.
fn parse_entries(text: &str, collector: &Collector) -> Result<Vec<(String, Value)>, FeedError> {
    let first = text.trim_start().chars().next();
    if let Some(found) = first.and_then(json_type_name) {
        let kind = FeedErrorKind::UnexpectedJson {
            expected: "an object keyed by IOC id",
        };
        return Err(collector.error(None, found, kind));
    }
    serde_json::from_str::<OrderedEntries>(text)
        .map(|entries| entries.0)
        .map_err(|error| json_error(&error, collector))
}

/// Names the JSON type that starts with `first`, unless it is an object or not JSON at all.
fn json_type_name(first: char) -> Option<&'static str> {
    match first {
        '[' => Some("an array"),
        '"' => Some("a string"),
        '-' | '0'..='9' => Some("a number"),
        't' | 'f' => Some("a boolean"),
        'n' => Some("null"),
        _ => None,
    }
}

/// Converts a `serde_json` error into a [`FeedErrorKind::Json`] located at its line.
pub(crate) fn json_error(error: &serde_json::Error, collector: &Collector) -> FeedError {
    let message = error.to_string();
    // serde_json appends " at line L column C" to its message; the location gives that already.
    let reason = match message.rfind(" at line ") {
        Some(at) => &message[..at],
        None => &message,
    };
    let kind = FeedErrorKind::Json {
        column: error.column(),
        reason: reason.to_owned(),
    };
    collector.error(Some(Location::Line(error.line())), "", kind)
}

/// The entries of a JSON object in file order (a `serde_json::Map` would sort them).
struct OrderedEntries(Vec<(String, Value)>);

impl<'de> Deserialize<'de> for OrderedEntries {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_map(EntriesVisitor)
    }
}

struct EntriesVisitor;

impl<'de> Visitor<'de> for EntriesVisitor {
    type Value = OrderedEntries;

    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str("an object keyed by IOC id")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<OrderedEntries, A::Error> {
        let mut entries = Vec::with_capacity(map.size_hint().unwrap_or(0));
        while let Some(entry) = map.next_entry::<String, Value>()? {
            entries.push(entry);
        }
        Ok(OrderedEntries(entries))
    }
}

/// An invalid IOC: the value to show and what is wrong.
type IocError = (String, FeedErrorKind);

/// Reads one IOC object into a record.
fn read_ioc(key: &str, ioc: &Value) -> Result<IndicatorRecord, IocError> {
    let Value::Object(fields) = ioc else {
        let kind = FeedErrorKind::InvalidField {
            field: "record",
            expected: "an IOC object",
        };
        return Err((ioc.to_string(), kind));
    };
    let get = |field: &'static str| fields.get(field).filter(|value| !value.is_null());

    let value = required_string(get("ioc_value"), "ioc_value")?;
    let ioc_type = required_string(get("ioc_type"), "ioc_type")?;
    let kind = kind_of(ioc_type);
    if let Some(digits) = hash_digits(ioc_type) {
        if !is_hash(value, &[digits.0]) {
            let kind = FeedErrorKind::InvalidHash {
                expected_digits: digits.1,
            };
            return Err((value.to_owned(), kind));
        }
    }

    let malware = match optional_string(get("malware_printable"), "malware_printable")? {
        Some(printable) => Some(printable),
        None => optional_string(get("malware"), "malware")?,
    };
    let metadata = Metadata {
        id: Some(key.to_owned()),
        threat_type: optional_string(get("threat_type"), "threat_type")?,
        malware,
        confidence: confidence(get("confidence_level"))?,
        first_seen: optional_string(get("first_seen_utc"), "first_seen_utc")?,
        last_seen: optional_string(get("last_seen_utc"), "last_seen_utc")?,
        tags: tags(get("tags"))?,
        reference: optional_string(get("reference"), "reference")?,
        source: Some(SOURCE.to_owned()),
    };
    Ok(IndicatorRecord::new(value)
        .with_kind(kind)
        .with_metadata(metadata))
}

/// Maps a ThreatFox `ioc_type` (also used by rule-page IOC tables) to an indicator kind.
pub(crate) fn kind_of(ioc_type: &str) -> IndicatorKind {
    match ioc_type {
        "domain" => IndicatorKind::Domain,
        "url" => IndicatorKind::Url,
        "ip:port" => IndicatorKind::Ip,
        _ if hash_digits(ioc_type).is_some() => IndicatorKind::Hash,
        _ => IndicatorKind::Other,
    }
}

/// Returns the digest length of a hash `ioc_type`, as a number and as text for messages.
fn hash_digits(ioc_type: &str) -> Option<(usize, &'static str)> {
    match ioc_type {
        "md5_hash" => Some((32, "32")),
        "sha1_hash" => Some((40, "40")),
        "sha256_hash" => Some((64, "64")),
        _ => None,
    }
}

fn required_string<'a>(value: Option<&'a Value>, field: &'static str) -> Result<&'a str, IocError> {
    match value {
        None => Err((String::new(), FeedErrorKind::MissingField { field })),
        Some(Value::String(text)) => Ok(text),
        Some(other) => Err((
            other.to_string(),
            FeedErrorKind::InvalidField {
                field,
                expected: "a string",
            },
        )),
    }
}

fn optional_string(value: Option<&Value>, field: &'static str) -> Result<Option<String>, IocError> {
    match value {
        None => Ok(None),
        Some(Value::String(text)) => Ok(Some(text.clone())),
        Some(other) => Err((
            other.to_string(),
            FeedErrorKind::InvalidField {
                field,
                expected: "a string or null",
            },
        )),
    }
}

fn confidence(value: Option<&Value>) -> Result<Option<u8>, IocError> {
    let Some(value) = value else {
        return Ok(None);
    };
    match value.as_u64() {
        Some(level) if level <= 100 => Ok(Some(level as u8)),
        _ => Err((
            value.to_string(),
            FeedErrorKind::InvalidField {
                field: "confidence_level",
                expected: "an integer from 0 to 100 or null",
            },
        )),
    }
}

/// Reads tags from a comma-separated string or an array of strings, dropping empty tags.
fn tags(value: Option<&Value>) -> Result<Vec<String>, IocError> {
    let invalid = |value: &Value| {
        (
            value.to_string(),
            FeedErrorKind::InvalidField {
                field: "tags",
                expected: "a comma-separated string, an array of strings or null",
            },
        )
    };
    let Some(value) = value else {
        return Ok(Vec::new());
    };
    let mut tags = Vec::new();
    match value {
        Value::String(text) => tags.extend(text.split(',').map(str::trim).map(str::to_owned)),
        Value::Array(items) => {
            for item in items {
                let text = item.as_str().ok_or_else(|| invalid(value))?;
                tags.push(text.trim().to_owned());
            }
        }
        _ => return Err(invalid(value)),
    }
    tags.retain(|tag| !tag.is_empty());
    Ok(tags)
}
