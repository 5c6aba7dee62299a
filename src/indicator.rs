//! Indicator records: the value a feed reported and the metadata the feed reported with it.
//!
//! A set keeps every record that normalizes to the same domain, so a domain reported by three
//! feeds leads back to all three reports.

use serde::{Deserialize, Serialize};

/// The type of an indicator as its feed labelled it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum IndicatorKind {
    /// A domain or host name.
    #[default]
    Domain,
    /// A URL; a domain set stores its host.
    Url,
    /// A `host:port` pair; a domain set stores its host.
    HostPort,
    /// An IP address, with or without a port. A domain set does not store these.
    Ip,
    /// A file hash (MD5, SHA-1, SHA-256). A domain set does not store these.
    Hash,
    /// Any other type.
    Other,
}

impl IndicatorKind {
    /// Returns whether a domain set can store indicators of this kind.
    ///
    /// ```
    /// use iocmatch::IndicatorKind;
    /// assert!(IndicatorKind::Url.has_domain());
    /// assert!(!IndicatorKind::Hash.has_domain());
    /// ```
    pub fn has_domain(self) -> bool {
        matches!(
            self,
            IndicatorKind::Domain | IndicatorKind::Url | IndicatorKind::HostPort
        )
    }
}

/// The metadata a feed reported with an indicator, besides its value. Every field is optional.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(default)]
pub struct Metadata {
    /// The feed's own identifier for the report, such as a ThreatFox IOC id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// The threat type, such as `botnet_cc` or `payload_delivery`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub threat_type: Option<String>,
    /// The malware family, such as `Remus`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub malware: Option<String>,
    /// The feed's confidence, from 0 to 100.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub confidence: Option<u8>,
    /// When the feed first saw the indicator, as the feed wrote it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub first_seen: Option<String>,
    /// When the feed last saw the indicator, as the feed wrote it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_seen: Option<String>,
    /// Free-form tags.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
    /// A reference URL for the report.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reference: Option<String>,
    /// The feed or list the record came from.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
}

impl Metadata {
    /// Returns whether no field is set.
    pub fn is_empty(&self) -> bool {
        *self == Metadata::default()
    }
}

/// One indicator as a feed reported it: the original value, its type and optional metadata.
///
/// Records without metadata cost no allocation beyond the value, which keeps plain blocklists of
/// hundreds of thousands of domains small.
///
/// ```
/// use iocmatch::{IndicatorKind, IndicatorRecord, Metadata};
///
/// let record = IndicatorRecord::new("hxxp://demale[.]shop/gate.php")
///     .with_kind(IndicatorKind::Url)
///     .with_metadata(Metadata {
///         malware: Some("Remus".into()),
///         confidence: Some(100),
///         ..Metadata::default()
///     });
/// assert_eq!(record.metadata().malware.as_deref(), Some("Remus"));
/// assert_eq!(IndicatorRecord::new("evil.com").metadata().confidence, None);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct IndicatorRecord {
    /// The value exactly as the feed gave it, before normalization.
    pub value: String,
    /// The type the feed gave.
    #[serde(default)]
    pub kind: IndicatorKind,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    metadata: Option<Box<Metadata>>,
}

impl IndicatorRecord {
    /// Creates a domain record with no metadata.
    pub fn new(value: impl Into<String>) -> Self {
        IndicatorRecord {
            value: value.into(),
            kind: IndicatorKind::Domain,
            metadata: None,
        }
    }

    /// Sets the indicator type.
    pub fn with_kind(mut self, kind: IndicatorKind) -> Self {
        self.kind = kind;
        self
    }

    /// Sets the metadata; empty metadata is stored as none.
    pub fn with_metadata(mut self, metadata: Metadata) -> Self {
        self.metadata = (!metadata.is_empty()).then(|| Box::new(metadata));
        self
    }

    /// Returns an estimate of the heap bytes this record owns, without allocator overhead.
    pub(crate) fn heap_bytes(&self) -> usize {
        let metadata = self.metadata.as_deref().map_or(0, |m| {
            let strings = [
                &m.id,
                &m.threat_type,
                &m.malware,
                &m.first_seen,
                &m.last_seen,
                &m.reference,
                &m.source,
            ];
            std::mem::size_of::<Metadata>()
                + strings
                    .iter()
                    .map(|s| s.as_ref().map_or(0, String::len))
                    .sum::<usize>()
                + m.tags
                    .iter()
                    .map(|t| t.len() + std::mem::size_of::<String>())
                    .sum::<usize>()
        });
        self.value.len() + metadata
    }

    /// Returns the metadata, empty when the feed gave none.
    pub fn metadata(&self) -> &Metadata {
        static EMPTY: Metadata = Metadata {
            id: None,
            threat_type: None,
            malware: None,
            confidence: None,
            first_seen: None,
            last_seen: None,
            tags: Vec::new(),
            reference: None,
            source: None,
        };
        self.metadata.as_deref().unwrap_or(&EMPTY)
    }
}
