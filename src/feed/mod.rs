//! Importers for threat-intelligence feeds and rule pages.
//!
//! Every importer takes the feed's text (the library does no I/O) and returns an [`Import`]: the
//! records it read with their [`Location`], the rows it skipped and the rows it rejected, each
//! with a reason. Formats:
//!
//! - [`threatfox_json`]: the ThreatFox JSON export, keyed by IOC id;
//! - [`threatfox_hostfile`]: the ThreatFox hosts-file export;
//! - [`plain_list`]: one value a line, hosts lines and adblock `||host^` rules;
//! - [`Warninglist`]: MISP warninglists, for exclusions and benign lookups;
//! - [`RulePage`]: a Markdown hunting-rule page with an IOC table, a KQL query and scenarios.
//!
//! # Strict and lenient
//!
//! In [`Mode::Strict`] the first rejected row ends the import with its [`FeedError`]. In
//! [`Mode::Lenient`] the import goes on and lists every rejected row in [`Import::rejected`].
//! Problems with the whole input fail in both modes: malformed JSON, a top level of the wrong
//! shape, a stated entry count that disagrees with the rows, and a rule page the importer does
//! not understand.
//!
//! # Nothing is dropped silently
//!
//! Every row read ends in exactly one of three lists, so
//! `records.len() + skipped.len() + rejected.len() == rows`:
//!
//! - [`Import::records`]: valid rows of any kind, including IP addresses and hashes, which
//!   [`Import::push_into`] leaves out of a domain set;
//! - [`Import::skipped`]: valid rows that are not indicators a set can hold, such as a hosts
//!   file's `localhost` or a URL whose host is an IP address, with the reason;
//! - [`Import::rejected`]: invalid rows, each with a [`FeedError`] naming its location.
//!
//! Blank and comment lines are not rows; [`Import::ignored_lines`] counts them.
//!
//! # Where domains are validated
//!
//! Importers validate each domain, URL and `host:port` record with
//! [`normalize_indicator`](crate::normalize_indicator), the same function a
//! [`SetBuilder`] applies. So an invalid domain is rejected at import time with its line or
//! record key, and a set built from [`Import::push_into`] rejects nothing: a lenient import
//! followed by a lenient build accounts for every row. Records keep the value as the feed wrote
//! it, and the set normalizes it again when it builds. That second pass over the domains is the
//! price of records that show the feed's own text.
//!
//! ```
//! use iocmatch::SetBuilder;
//! use iocmatch::feed::{self, Mode};
//!
//! let list = "# my blocklist\n||ads.example^$third-party\n0.0.0.0 evil.com localhost\nnot valid!\n";
//! let import = feed::plain_list(list, Mode::Lenient).unwrap();
//! assert_eq!(import.rows, 4);
//! assert_eq!(import.records.len(), 2);
//! assert_eq!(import.skipped.len(), 1);
//! assert_eq!(import.rejected.len(), 1);
//! assert_eq!(import.ignored_lines, 1);
//!
//! let mut builder = SetBuilder::new();
//! assert_eq!(import.push_into(&mut builder), 2);
//! let built = builder.build_lenient();
//! assert!(built.rejected.is_empty());
//! assert!(built.set.is_match("www.evil.com"));
//! ```

mod error;
mod plain;
mod rule_page;
mod threatfox;
mod value;
mod warninglist;

pub use error::{FeedError, FeedErrorKind, Format, MAX_ERROR_VALUE_CHARS};
pub use plain::plain_list;
pub use rule_page::{
    ConnectorNote, IocComparison, IocSummary, LetList, RulePage, Scenario, TextLine, WhereClause,
};
pub use threatfox::{threatfox_hostfile, threatfox_json};
pub use warninglist::{Warninglist, WarninglistKind};

use crate::error::Location;
use crate::indicator::IndicatorRecord;
use crate::set::SetBuilder;

use value::Verdict;

/// The treatment of invalid rows: fail the import, or list them and go on.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub enum Mode {
    /// The first invalid row fails the import.
    #[default]
    Strict,
    /// Invalid rows are listed in [`Import::rejected`] and the import goes on.
    Lenient,
}

/// The reason an importer skipped a valid row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum SkipReason {
    /// A name that a hosts file maps to the machine itself, such as `localhost`,
    /// `broadcasthost`, `ip6-loopback` or `0.0.0.0`.
    LocalHost,
    /// A URL or `host:port` whose host is an IP address, which a domain set cannot hold.
    IpHost,
    /// An adblock exception rule (`@@…`), which allows a host instead of blocking it.
    AdblockException,
}

/// A valid row that the importer did not turn into a record, with the reason.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skipped {
    /// The row as a record, with the metadata the feed gave.
    pub record: IndicatorRecord,
    /// The row's place in the input.
    pub location: Location,
    /// The reason for skipping it.
    pub reason: SkipReason,
}

/// An invalid row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RejectedRow {
    /// The row's place in the input.
    pub location: Location,
    /// The offending value in full; the error shows it cut to [`MAX_ERROR_VALUE_CHARS`].
    pub value: String,
    /// The reason for the rejection. The error names the location too.
    pub error: FeedError,
}

/// Something the importer ignored inside an accepted row, worth telling the caller.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum NoteKind {
    /// An adblock rule's `$options` (such as `$third-party`), which a domain set cannot apply:
    /// the host is blocked for every request.
    AdblockOptionsIgnored {
        /// The options after `$`.
        options: String,
    },
}

/// A note about an accepted row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Note {
    /// The row's place in the input.
    pub location: Location,
    /// The part that was ignored.
    pub kind: NoteKind,
}

/// The result of an import: every row read, sorted into records, skipped rows and rejected rows.
///
/// See the [module documentation](self) for how the counts add up.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Import {
    /// Valid rows in input order, of every kind, with their locations.
    pub records: Vec<(IndicatorRecord, Location)>,
    /// Valid rows that are not indicators a set can hold, with the reason.
    pub skipped: Vec<Skipped>,
    /// Invalid rows with their errors; always empty after a strict import.
    pub rejected: Vec<RejectedRow>,
    /// Parts of accepted rows that the importer ignored.
    pub notes: Vec<Note>,
    /// The number of rows read: one per value, so a hosts line naming three hosts is three rows.
    pub rows: usize,
    /// The number of blank lines, comment lines and headers that held no row.
    pub ignored_lines: usize,
}

impl Import {
    /// Pushes every domain, URL and `host:port` record into a builder with its location, and
    /// returns how many it pushed. IP and hash records stay out, because a domain set cannot
    /// hold them.
    ///
    /// ```
    /// use iocmatch::SetBuilder;
    /// use iocmatch::feed::{self, Mode};
    ///
    /// let import = feed::plain_list("evil.com\n10.0.0.1\n", Mode::Strict).unwrap();
    /// let mut builder = SetBuilder::new();
    /// assert_eq!(import.push_into(&mut builder), 1);
    /// assert_eq!(builder.len(), 1);
    /// ```
    pub fn push_into(&self, builder: &mut SetBuilder) -> usize {
        let mut pushed = 0;
        for (record, location) in self.domain_records() {
            builder.push_record_at(record.clone(), location.clone());
            pushed += 1;
        }
        pushed
    }

    /// Returns the records that a domain set can hold: domains, URLs and `host:port` pairs.
    ///
    /// ```
    /// use iocmatch::feed::{self, Mode};
    ///
    /// let import = feed::plain_list("evil.com\nd41d8cd98f00b204e9800998ecf8427e\n", Mode::Strict)
    ///     .unwrap();
    /// assert_eq!(import.records.len(), 2);
    /// assert_eq!(import.domain_records().count(), 1);
    /// ```
    pub fn domain_records(&self) -> impl Iterator<Item = &(IndicatorRecord, Location)> {
        self.records
            .iter()
            .filter(|(record, _)| record.kind.has_domain())
    }

    /// Sets the metadata `source` of every record and skipped row that has none.
    ///
    /// Plain lists carry no name, so this is how their records name the list they came from.
    ///
    /// ```
    /// use iocmatch::feed::{self, Mode};
    ///
    /// let import = feed::plain_list("evil.com\n", Mode::Strict).unwrap().with_source("my-list");
    /// assert_eq!(import.records[0].0.metadata().source.as_deref(), Some("my-list"));
    /// ```
    pub fn with_source(mut self, source: &str) -> Self {
        let records = self
            .records
            .iter_mut()
            .map(|(record, _)| record)
            .chain(self.skipped.iter_mut().map(|skipped| &mut skipped.record));
        for record in records {
            if record.metadata().source.is_none() {
                let mut metadata = record.metadata().clone();
                metadata.source = Some(source.to_owned());
                let taken = std::mem::replace(record, IndicatorRecord::new(""));
                *record = taken.with_metadata(metadata);
            }
        }
        self
    }

    /// Returns whether every row read is a record, a skipped row or a rejected row, the invariant
    /// every importer keeps.
    ///
    /// ```
    /// use iocmatch::feed::{self, Mode};
    ///
    /// let import = feed::plain_list("a.com\nb c d\n", Mode::Lenient).unwrap();
    /// assert!(import.is_accounted());
    /// ```
    pub fn is_accounted(&self) -> bool {
        self.records.len() + self.skipped.len() + self.rejected.len() == self.rows
    }
}

/// Sorts rows into an [`Import`], applying the mode at each rejection.
#[derive(Debug)]
pub(crate) struct Collector {
    format: Format,
    mode: Mode,
    import: Import,
}

impl Collector {
    pub(crate) fn new(format: Format, mode: Mode) -> Self {
        Collector {
            format,
            mode,
            import: Import::default(),
        }
    }

    /// Validates a record by its kind and files it as accepted, skipped or rejected. Returns
    /// whether it was accepted.
    pub(crate) fn push(
        &mut self,
        record: IndicatorRecord,
        location: Location,
    ) -> Result<bool, FeedError> {
        match value::check(&record) {
            Verdict::Accept => {
                self.import.rows += 1;
                self.import.records.push((record, location));
                Ok(true)
            }
            Verdict::Skip(reason) => {
                self.skip(record, location, reason);
                Ok(false)
            }
            Verdict::Reject(kind) => {
                let value = record.value;
                self.reject(location, &value, kind).map(|()| false)
            }
        }
    }

    /// Files a valid row that is not an indicator a set can hold.
    pub(crate) fn skip(&mut self, record: IndicatorRecord, location: Location, reason: SkipReason) {
        self.import.rows += 1;
        self.import.skipped.push(Skipped {
            record,
            location,
            reason,
        });
    }

    /// Files an invalid row; in strict mode, returns its error instead.
    pub(crate) fn reject(
        &mut self,
        location: Location,
        value: &str,
        kind: FeedErrorKind,
    ) -> Result<(), FeedError> {
        let error = self.error(Some(location.clone()), value, kind);
        if self.mode == Mode::Strict {
            return Err(error);
        }
        self.import.rows += 1;
        self.import.rejected.push(RejectedRow {
            location,
            value: value.to_owned(),
            error,
        });
        Ok(())
    }

    /// Records a note about an accepted row.
    pub(crate) fn note(&mut self, location: Location, kind: NoteKind) {
        self.import.notes.push(Note { location, kind });
    }

    /// Counts a line that held no row.
    pub(crate) fn ignore_line(&mut self) {
        self.import.ignored_lines += 1;
    }

    /// Builds an error of this import's format, for failures of the whole input.
    pub(crate) fn error(
        &self,
        location: Option<Location>,
        value: &str,
        kind: FeedErrorKind,
    ) -> FeedError {
        FeedError::new(self.format, location, value, kind)
    }

    /// Returns the number of rows read so far.
    pub(crate) fn rows(&self) -> usize {
        self.import.rows
    }

    pub(crate) fn finish(self) -> Import {
        self.import
    }
}
