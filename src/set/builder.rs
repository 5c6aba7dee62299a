//! Compiles indicator records into an [`IndicatorSet`].

use crate::domain::{Warnings, normalize_indicator};
use crate::error::{DomainError, DomainErrorKind, Location};
use crate::indicator::IndicatorRecord;
use crate::set::domain_walk::reversed_key;
use crate::set::text_scan::ScanEngine;
use crate::set::{Entry, IndicatorSet};

/// An indicator that a lenient build left out, with the reason.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rejected {
    /// The record as it was pushed.
    pub record: IndicatorRecord,
    /// The reason it was left out, with the record's location.
    pub error: DomainError,
}

/// The result of a lenient build: the set of valid indicators, and every record left out.
#[derive(Debug)]
pub struct LenientBuild {
    /// The compiled set.
    pub set: IndicatorSet,
    /// Every rejected record in push order, each with its reason and location.
    pub rejected: Vec<Rejected>,
    /// Every accepted indicator that DNS allows but a rule author should review, in push
    /// order: a single label (`com` covers every `.com` name) or a label edge hyphen.
    pub warnings: Vec<Warned>,
}

/// An accepted indicator with a warning, from a lenient build.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Warned {
    /// The normalized indicator, such as `com` or `*.-x.example`.
    pub indicator: String,
    /// The record's location in the caller's input.
    pub location: Location,
    /// The warnings to review.
    pub warnings: Warnings,
}

/// Collects indicator records and compiles them into an [`IndicatorSet`].
///
/// ```
/// use iocmatch::{IndicatorRecord, SetBuilder};
///
/// let mut builder = SetBuilder::new();
/// builder.push("evil.com");
/// builder.push("not a domain");
/// builder.push_record(IndicatorRecord::new("hxxp://demale[.]shop/gate"));
///
/// // Strict: the first invalid value fails the build, naming its index.
/// let err = builder.clone().build().unwrap_err();
/// assert_eq!(err.location(), Some(&iocmatch::Location::Index(1)));
///
/// // Lenient: the valid values, plus every rejected one with its reason.
/// let built = builder.build_lenient();
/// assert_eq!(built.set.len(), 2);
/// assert_eq!(built.rejected.len(), 1);
/// assert!(built.warnings.is_empty());
/// assert!(built.set.is_match("cdn.demale.shop"));
/// ```
#[derive(Debug, Clone, Default)]
pub struct SetBuilder {
    pending: Vec<(IndicatorRecord, Location)>,
    exact_only: bool,
    scan_engine: ScanEngine,
}

/// A record that normalized, waiting to be sorted into the FST.
struct Normalized {
    key: Vec<u8>,
    pattern: Box<str>,
    record: IndicatorRecord,
}

impl SetBuilder {
    /// Creates an empty builder with subdomain matching and automatic scan engine choice.
    pub fn new() -> Self {
        SetBuilder::default()
    }

    /// Adds a domain-type indicator value without metadata. Its location is its push index.
    pub fn push(&mut self, value: &str) -> &mut Self {
        self.push_record(IndicatorRecord::new(value))
    }

    /// Adds a record. Its location is its push index.
    pub fn push_record(&mut self, record: IndicatorRecord) -> &mut Self {
        let location = Location::Index(self.pending.len());
        self.push_record_at(record, location)
    }

    /// Adds a record found at `location` in the caller's input, such as a feed line.
    pub fn push_record_at(&mut self, record: IndicatorRecord, location: Location) -> &mut Self {
        self.pending.push((record, location));
        self
    }

    /// Returns the number of records pushed so far.
    pub fn len(&self) -> usize {
        self.pending.len()
    }

    /// Returns whether no record was pushed.
    pub fn is_empty(&self) -> bool {
        self.pending.is_empty()
    }

    /// Makes plain indicators match only the identical name, not its subdomains, as Zeek's
    /// intelligence framework does for `DOMAIN` indicators. Wildcard indicators (`*.x`) still
    /// match strict subdomains, because that is what they state.
    pub fn exact_only(&mut self, yes: bool) -> &mut Self {
        self.exact_only = yes;
        self
    }

    /// Chooses how text scans find candidate tokens; see [`ScanEngine`].
    pub fn scan_engine(&mut self, engine: ScanEngine) -> &mut Self {
        self.scan_engine = engine;
        self
    }

    /// Compiles the set, failing on the first invalid record.
    ///
    /// # Errors
    ///
    /// Returns the [`DomainError`] of the first record, in push order, that does not normalize;
    /// its [`location`](DomainError::location) gives where the record was.
    pub fn build(self) -> Result<IndicatorSet, DomainError> {
        let options = self.options();
        let (normalized, rejected, _) = normalize_all(self.pending, true);
        if let Some(first) = rejected.into_iter().next() {
            return Err(first.error);
        }
        Ok(compile(normalized, options))
    }

    /// Compiles the set from every valid record and returns the others with their reasons.
    pub fn build_lenient(self) -> LenientBuild {
        let options = self.options();
        let (normalized, rejected, warnings) = normalize_all(self.pending, false);
        LenientBuild {
            set: compile(normalized, options),
            rejected,
            warnings,
        }
    }

    fn options(&self) -> Options {
        Options {
            exact_only: self.exact_only,
            scan_engine: self.scan_engine,
        }
    }
}

/// The builder's knobs, carried into the set.
#[derive(Clone, Copy)]
struct Options {
    exact_only: bool,
    scan_engine: ScanEngine,
}

/// Normalizes every pending record, stopping at the first rejection when `stop_early`.
fn normalize_all(
    pending: Vec<(IndicatorRecord, Location)>,
    stop_early: bool,
) -> (Vec<Normalized>, Vec<Rejected>, Vec<Warned>) {
    let mut normalized = Vec::with_capacity(pending.len());
    let mut rejected = Vec::new();
    let mut warned = Vec::new();
    for (record, location) in pending {
        let result = if !record.kind.has_domain() {
            Err(DomainError::new(
                &record.value,
                DomainErrorKind::NotADomainKind,
            ))
        } else {
            normalize_indicator(&record.value)
        };
        match result {
            Ok(indicator) => {
                if indicator.warnings().is_any() {
                    warned.push(Warned {
                        indicator: indicator.to_pattern(),
                        location,
                        warnings: indicator.warnings(),
                    });
                }
                normalized.push(Normalized {
                    key: reversed_key(indicator.domain(), indicator.is_wildcard()),
                    pattern: indicator.to_pattern().into_boxed_str(),
                    record,
                });
            }
            Err(error) => {
                rejected.push(Rejected {
                    record,
                    error: error.at(location),
                });
                if stop_early {
                    break;
                }
            }
        }
    }
    (normalized, rejected, warned)
}

/// Sorts the normalized records by key, groups duplicates into one entry, and builds the FST
/// and the suffix filter.
fn compile(mut normalized: Vec<Normalized>, options: Options) -> IndicatorSet {
    // Sorting by reversed key groups each domain's records (a stable sort keeps them in push
    // order) and puts entries in the order the serialized FST needs.
    normalized.sort_by(|a, b| a.key.cmp(&b.key));

    let mut entries: Vec<Entry> = Vec::new();
    let mut records = Vec::with_capacity(normalized.len());
    let mut previous_key: Option<Vec<u8>> = None;
    for item in normalized {
        if previous_key.as_deref() != Some(item.key.as_slice()) {
            entries.push(Entry {
                pattern: item.pattern,
                records_end: 0,
            });
            previous_key = Some(item.key);
        }
        records.push(item.record);
        if let Some(entry) = entries.last_mut() {
            entry.records_end = records.len();
        }
    }

    IndicatorSet::from_parts(entries, records, options.exact_only, options.scan_engine)
}
