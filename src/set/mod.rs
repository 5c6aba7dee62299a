//! The compiled indicator set: domain lookups and text scans.
//!
//! An [`IndicatorSet`] is built once by a [`SetBuilder`] and then only read, so it can be shared
//! between threads. It holds:
//!
//! - a hash table of domains, probed once per label of a name by the domain walk;
//! - one entry per distinct normalized indicator, and every record that normalized to it;
//! - an Aho-Corasick automaton for text scans of small sets, built on first use only.
//!
//! The serialized form ([`IndicatorSet::to_bytes`]) is an `fst::Map` from byte-reversed domains
//! to entry numbers, built when the set is serialized.

mod builder;
mod bundle;
mod domain_walk;
mod suffix_table;
mod text_scan;

use std::ops::Range;
use std::sync::OnceLock;

use aho_corasick::AhoCorasick;

use crate::domain::prepare_for_lookup;
use crate::indicator::IndicatorRecord;

pub use builder::{LenientBuild, Rejected, SetBuilder, Warned};
pub use text_scan::{AUTOMATON_MAX_INDICATORS, ScanEngine, TextMatches};

use domain_walk::CoveringKeys;
use suffix_table::SuffixTable;

/// One distinct normalized indicator.
#[derive(Debug, Clone)]
struct Entry {
    /// `evil.com`, or `*.evil.com` for a wildcard.
    pattern: Box<str>,
    /// End of this entry's records in `IndicatorSet::records`; they start where the previous
    /// entry's end.
    records_end: usize,
}

impl Entry {
    fn domain(&self) -> &str {
        self.pattern.strip_prefix("*.").unwrap_or(&self.pattern)
    }

    fn is_wildcard(&self) -> bool {
        self.pattern.starts_with("*.")
    }
}

/// A compiled, immutable set of indicator domains.
///
/// Domain lookups are DNS-correct: a name matches an indicator when it equals it or is a
/// subdomain of it on a label boundary.
///
/// ```
/// use iocmatch::SetBuilder;
///
/// let mut builder = SetBuilder::new();
/// builder.push("demale.shop").push("*.thequarterlymethod.com");
/// let set = builder.build().unwrap();
///
/// assert!(set.is_match("demale.shop"));
/// assert!(set.is_match("CDN.Demale.Shop."));
/// assert!(!set.is_match("notdemale.shop"));
/// assert!(!set.is_match("demale.shop.attacker.net"));
/// assert!(set.is_match("a.thequarterlymethod.com"));
/// assert!(!set.is_match("thequarterlymethod.com"));
///
/// let hit = set.find("cdn.demale.shop").unwrap();
/// assert_eq!(hit.indicator(), "demale.shop");
/// assert_eq!(hit.span(), 4..15);
/// ```
#[derive(Debug)]
pub struct IndicatorSet {
    table: SuffixTable,
    entries: Vec<Entry>,
    records: Vec<IndicatorRecord>,
    exact_only: bool,
    has_single_label: bool,
    scan_engine: ScanEngine,
    automaton: OnceLock<AhoCorasick>,
}

/// An indicator that matched, with the records behind it and where it matched.
///
/// For a domain lookup the span is a byte range of the name as given; for a text scan, of the
/// haystack. It covers the indicator's domain: for `*.evil.com` matching `cdn.evil.com`, the
/// span covers `evil.com`. For a non-ASCII name, which is looked up in its `xn--` form, the span
/// covers the same labels in the name as given.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DomainHit<'s> {
    pattern: &'s str,
    records: &'s [IndicatorRecord],
    span: Range<usize>,
}

impl<'s> DomainHit<'s> {
    /// Returns the normalized indicator: `evil.com`, or `*.evil.com` for a wildcard.
    pub fn indicator(&self) -> &'s str {
        self.pattern
    }

    /// Returns the indicator's domain without the `*.` of a wildcard.
    pub fn domain(&self) -> &'s str {
        self.pattern.strip_prefix("*.").unwrap_or(self.pattern)
    }

    /// Returns whether the indicator is a wildcard (`*.evil.com`).
    pub fn is_wildcard(&self) -> bool {
        self.pattern.starts_with("*.")
    }

    /// Returns every record that normalized to this indicator, in the order they were pushed.
    pub fn records(&self) -> &'s [IndicatorRecord] {
        self.records
    }

    /// Returns the byte range that matched.
    pub fn span(&self) -> Range<usize> {
        self.span.clone()
    }
}

/// Sizes of a set's parts in bytes, for capacity planning.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MemoryUsage {
    /// The hash table that domain lookups and text scans probe.
    pub index: usize,
    /// Entries and records, with their strings and metadata, counted without allocator overhead.
    pub records: usize,
    /// The scan automaton, or zero if it was not built.
    pub automaton: usize,
}

impl IndicatorSet {
    /// Returns a builder.
    pub fn builder() -> SetBuilder {
        SetBuilder::new()
    }

    /// Returns the number of distinct normalized indicators (`evil.com` and `*.evil.com` count
    /// as two).
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Returns whether the set contains no indicator.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Returns the number of records, counting every duplicate report.
    pub fn record_count(&self) -> usize {
        self.records.len()
    }

    /// Returns whether plain indicators match only identical names (see
    /// [`SetBuilder::exact_only`]).
    pub fn is_exact_only(&self) -> bool {
        self.exact_only
    }

    /// Returns the normalized indicators in byte-reversed order, each with its records.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &[IndicatorRecord])> + '_ {
        (0..self.entries.len()).map(|index| {
            let hit = self.hit(index as u32, 0..0);
            (hit.pattern, hit.records)
        })
    }

    /// Returns whether an indicator covers `name`. Allocates nothing for ASCII names.
    ///
    /// The name may carry one root dot and any ASCII case. A non-ASCII name is mapped to its
    /// `xn--` form first; a name that fails that mapping matches nothing.
    ///
    /// ```
    /// let mut builder = iocmatch::SetBuilder::new();
    /// builder.push("evil.com");
    /// let set = builder.build().unwrap();
    /// assert!(set.is_match("cdn.evil.com"));
    /// assert!(!set.is_match("x-evil.com"));
    /// ```
    pub fn is_match(&self, name: &str) -> bool {
        let trimmed = name.strip_suffix('.').unwrap_or(name);
        if trimmed.is_ascii() {
            // The common case, without the iterator layers of `find_iter`.
            return self.covering_keys(trimmed.as_bytes()).next().is_some();
        }
        self.find_iter(name).next().is_some()
    }

    /// Returns the most specific indicator covering `name`: the one with the longest domain.
    ///
    /// ```
    /// let mut builder = iocmatch::SetBuilder::new();
    /// builder.push("evil.com").push("a.evil.com");
    /// let set = builder.build().unwrap();
    /// assert_eq!(set.find("x.a.evil.com").unwrap().indicator(), "a.evil.com");
    /// assert!(set.find("evil.org").is_none());
    /// ```
    pub fn find<'s>(&'s self, name: &str) -> Option<DomainHit<'s>> {
        self.find_iter(name).last()
    }

    /// Returns every indicator covering `name`, the least specific (shortest domain) first.
    ///
    /// ```
    /// let mut builder = iocmatch::SetBuilder::new();
    /// builder.push("evil.com").push("a.evil.com").push("b.evil.com");
    /// let set = builder.build().unwrap();
    /// let hits: Vec<_> = set.find_iter("x.a.evil.com").map(|h| h.indicator()).collect();
    /// assert_eq!(hits, ["evil.com", "a.evil.com"]);
    /// ```
    pub fn find_iter<'s, 'n>(&'s self, name: &'n str) -> DomainMatches<'s, 'n> {
        if name.is_ascii() {
            let name = name.strip_suffix('.').unwrap_or(name);
            return DomainMatches {
                set: self,
                name_len: name.len(),
                source: MatchSource::Walk(self.covering_keys(name.as_bytes())),
            };
        }

        // Non-ASCII names are rare in DNS logs; mapping them allocates. The mapping strips the
        // one root dot, which the name may write as `.` or as a Unicode full stop such as `。`.
        let source = match prepare_for_lookup(name) {
            Some(mapped) => {
                let keys: Vec<_> = self
                    .covering_keys(mapped.as_bytes())
                    .map(|key| (key.entry, mapped_suffix_span(name, &mapped[key.start..])))
                    .collect();
                MatchSource::Mapped(keys.into_iter())
            }
            None => MatchSource::Done,
        };
        DomainMatches {
            set: self,
            name_len: name.len(),
            source,
        }
    }

    /// Returns every label-aware match of the set's indicators in `haystack`, in order of
    /// position.
    ///
    /// ```
    /// let mut builder = iocmatch::SetBuilder::new();
    /// builder.push("demale.shop");
    /// let set = builder.build().unwrap();
    ///
    /// let text = b"curl https://cdn.Demale.shop:443/x; ping xdemale.shop";
    /// let spans: Vec<_> = set.scan(text).map(|hit| hit.span()).collect();
    /// assert_eq!(spans, [17..28]);
    /// ```
    pub fn scan<'s, 'h>(&'s self, haystack: &'h [u8]) -> TextMatches<'s, 'h> {
        TextMatches::new(self, haystack)
    }

    /// Returns whether any indicator matches inside `haystack`.
    pub fn is_match_text(&self, haystack: &[u8]) -> bool {
        self.scan(haystack).next().is_some()
    }

    /// Serializes the set; [`IndicatorSet::from_bytes`] loads it back.
    ///
    /// ```
    /// let mut builder = iocmatch::SetBuilder::new();
    /// builder.push("evil.com");
    /// let set = builder.build().unwrap();
    /// let loaded = iocmatch::IndicatorSet::from_bytes(&set.to_bytes()).unwrap();
    /// assert!(loaded.is_match("cdn.evil.com"));
    /// ```
    pub fn to_bytes(&self) -> Vec<u8> {
        bundle::to_bytes(self)
    }

    /// Loads a set serialized by [`IndicatorSet::to_bytes`], checking every part that lookups
    /// rely on.
    ///
    /// # Errors
    ///
    /// Returns a [`BundleError`](crate::error::BundleError) when the bytes lack the magic, are
    /// truncated, or have a corrupt FST or tables, or tables that disagree with the FST.
    pub fn from_bytes(bytes: &[u8]) -> Result<IndicatorSet, crate::error::BundleError> {
        bundle::from_bytes(bytes)
    }

    /// Returns the sizes of the set's parts.
    pub fn memory_usage(&self) -> MemoryUsage {
        let entries = self.entries.capacity() * std::mem::size_of::<Entry>()
            + self.entries.iter().map(|e| e.pattern.len()).sum::<usize>();
        let records = self.records.capacity() * std::mem::size_of::<IndicatorRecord>()
            + self
                .records
                .iter()
                .map(|record| record.heap_bytes())
                .sum::<usize>();
        MemoryUsage {
            index: self.table.heap_bytes(),
            records: entries + records,
            automaton: self.automaton.get().map_or(0, AhoCorasick::memory_usage),
        }
    }

    /// Assembles a set from entries in reversed-key order and their grouped records.
    fn from_parts(
        entries: Vec<Entry>,
        records: Vec<IndicatorRecord>,
        exact_only: bool,
        scan_engine: ScanEngine,
    ) -> IndicatorSet {
        let table = SuffixTable::build(entries.iter().map(Entry::domain));
        IndicatorSet {
            table,
            has_single_label: entries.iter().any(|entry| !entry.pattern.contains('.')),
            entries,
            records,
            exact_only,
            scan_engine,
            automaton: OnceLock::new(),
        }
    }

    fn covering_keys<'s, 'n>(&'s self, name: &'n [u8]) -> CoveringKeys<'s, 'n> {
        CoveringKeys::new(&self.table, &self.entries, name, self.exact_only)
    }

    fn hit(&self, entry: u32, span: Range<usize>) -> DomainHit<'_> {
        // Entry numbers come from the suffix table, which the builder filled with valid indices.
        let index = entry as usize;
        let start = if index == 0 {
            0
        } else {
            self.entries[index - 1].records_end
        };
        let entry = &self.entries[index];
        DomainHit {
            pattern: &entry.pattern,
            records: &self.records[start..entry.records_end],
            span,
        }
    }

    // The threshold is zero today, which makes the comparison constant; it stays so that a
    // measured threshold can be set in one place.
    #[allow(clippy::absurd_extreme_comparisons)]
    fn effective_scan_engine(&self) -> ScanEngine {
        match self.scan_engine {
            ScanEngine::Auto if self.entries.len() < AUTOMATON_MAX_INDICATORS => {
                ScanEngine::Automaton
            }
            ScanEngine::Auto => ScanEngine::Tokens,
            engine => engine,
        }
    }

    fn automaton(&self) -> &AhoCorasick {
        self.automaton
            .get_or_init(|| text_scan::build_automaton(self))
    }
}

/// Returns the byte range of a non-ASCII `name` that UTS #46 maps to `suffix`, a label-aligned
/// suffix of the name's mapped form without its root dot.
///
/// Counting separators in the name as given cannot find that range: a root dot may be written as
/// `。`, and characters such as `⒈` map to text that ends in a dot. So the range starts at the
/// last label boundary of the name (a character whose mapping ends in `.`) whose remainder maps
/// to `suffix`.
fn mapped_suffix_span(name: &str, suffix: &str) -> Range<usize> {
    let maps_to_suffix =
        |text: &str| map_name(text).is_some_and(|m| m.strip_suffix('.').unwrap_or(&m) == suffix);

    // Step 1: leave a root dot out of the span, in whichever form it is written.
    let end = match name.chars().next_back() {
        Some(last) if map_char(last).is_some_and(|m| m == ".") => name.len() - last.len_utf8(),
        _ => name.len(),
    };

    // Step 2: try label starts from the right, so the first that maps to `suffix` is the one.
    for (at, character) in name[..end].char_indices().rev() {
        let start = at + character.len_utf8();
        let ends_label = map_char(character).is_some_and(|m| m.ends_with('.'));
        if ends_label && maps_to_suffix(&name[start..end]) {
            return start..end;
        }
    }
    0..end
}

/// Maps text through UTS #46 as lookups do, or returns `None` when the mapping fails.
fn map_name(text: &str) -> Option<std::borrow::Cow<'_, str>> {
    idna::domain_to_ascii_cow(text.as_bytes(), idna::AsciiDenyList::EMPTY).ok()
}

/// Maps one character through UTS #46: `.` and `。` map to `.`, and `⒈` to `1.`.
fn map_char(character: char) -> Option<String> {
    if character.is_ascii() {
        return Some(character.to_ascii_lowercase().to_string());
    }
    let mut buffer = [0; 4];
    map_name(character.encode_utf8(&mut buffer)).map(|mapped| mapped.into_owned())
}

/// Iterator over the indicators covering one name, least specific first.
///
/// Created by [`IndicatorSet::find_iter`].
pub struct DomainMatches<'s, 'n> {
    set: &'s IndicatorSet,
    name_len: usize,
    source: MatchSource<'s, 'n>,
}

enum MatchSource<'s, 'n> {
    /// An ASCII name, walked lazily without allocating.
    Walk(CoveringKeys<'s, 'n>),
    /// A non-ASCII name, walked in its `xn--` form with spans mapped back to the name as given.
    Mapped(std::vec::IntoIter<(u32, Range<usize>)>),
    Done,
}

impl std::fmt::Debug for DomainMatches<'_, '_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DomainMatches")
            .field("name_len", &self.name_len)
            .finish_non_exhaustive()
    }
}

impl<'s> Iterator for DomainMatches<'s, '_> {
    type Item = DomainHit<'s>;

    fn next(&mut self) -> Option<DomainHit<'s>> {
        let (entry, span) = match &mut self.source {
            MatchSource::Walk(keys) => {
                let key = keys.next()?;
                (key.entry, key.start..self.name_len)
            }
            MatchSource::Mapped(keys) => keys.next()?,
            MatchSource::Done => return None,
        };
        Some(self.set.hit(entry, span))
    }
}
