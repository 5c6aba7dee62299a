//! Peer implementations that iocmatch is measured against. Each is the straightforward way to
//! get the same result from a general-purpose crate, written for speed but without tricks that
//! change its nature.
//!
//! Constructors lower-case ASCII, which is all the normalization the blocklists need. Domain
//! lookups take names that are already lower-case and without a root dot, so that with sets
//! built from iocmatch's normalized domains every peer returns exactly what iocmatch returns.

use std::collections::HashSet as StdHashSet;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, AhoCorasickKind, MatchKind};
use daachorse::{DoubleArrayAhoCorasick, DoubleArrayAhoCorasickBuilder};
use fst::raw::Fst;

/// hashbrown's set with the foldhash hasher, which is fast but not resistant to hash flooding.
pub type FoldHashSet<T> = hashbrown::HashSet<T, foldhash::fast::RandomState>;

/// Returns whether `name` or one of its suffixes after a `.` satisfies `contains`.
fn any_label_suffix(name: &str, contains: impl Fn(&str) -> bool) -> bool {
    if contains(name) {
        return true;
    }
    memchr::memchr_iter(b'.', name.as_bytes()).any(|dot| contains(&name[dot + 1..]))
}

/// Counts `name` and its suffixes after a `.` that satisfy `contains`.
fn count_label_suffixes(name: &str, contains: impl Fn(&str) -> bool) -> usize {
    usize::from(contains(name))
        + memchr::memchr_iter(b'.', name.as_bytes())
            .filter(|&dot| contains(&name[dot + 1..]))
            .count()
}

/// `std::collections::HashSet<String>` with the standard SipHash hasher.
pub struct StdSuffixSet(StdHashSet<String>);

impl StdSuffixSet {
    pub fn new<'a>(domains: impl IntoIterator<Item = &'a str>) -> Self {
        StdSuffixSet(domains.into_iter().map(str::to_ascii_lowercase).collect())
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Returns the table and string sizes, without allocator overhead.
    pub fn heap_bytes(&self) -> usize {
        let table = self.0.capacity() * (std::mem::size_of::<String>() + 1);
        table + self.0.iter().map(String::capacity).sum::<usize>()
    }

    /// Tests the name and every suffix after a `.`.
    pub fn is_match(&self, name: &str) -> bool {
        any_label_suffix(name, |suffix| self.0.contains(suffix))
    }
}

/// hashbrown + foldhash set of domain strings.
pub struct FoldSuffixSet(FoldHashSet<String>);

impl FoldSuffixSet {
    pub fn new<'a>(domains: impl IntoIterator<Item = &'a str>) -> Self {
        FoldSuffixSet(domains.into_iter().map(str::to_ascii_lowercase).collect())
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Tests the name and every suffix after a `.`.
    pub fn is_match(&self, name: &str) -> bool {
        any_label_suffix(name, |suffix| self.0.contains(suffix))
    }

    /// Counts the indicators covering `name`, as a label-aware scan reports them.
    pub fn count_matches(&self, name: &str) -> usize {
        count_label_suffixes(name, |suffix| self.0.contains(suffix))
    }

    /// Returns the table and string sizes, without allocator overhead.
    pub fn heap_bytes(&self) -> usize {
        let table = self.0.capacity() * (std::mem::size_of::<String>() + 1);
        table + self.0.iter().map(String::capacity).sum::<usize>()
    }
}

/// A set of 64-bit FNV-1a hashes of byte-reversed domains. A lookup hashes the name from its last
/// byte towards its first and probes the set at every label start, so it never re-reads a byte.
/// Probabilistic: a hash collision would report a false match (about `n / 2^64` per probe).
pub struct ReversedHashSet(FoldHashSet<u64>);

const FNV_OFFSET_BASIS: u64 = 0xcbf2_9ce4_8422_2325;
const FNV_PRIME: u64 = 0x0000_0100_0000_01b3;

impl ReversedHashSet {
    pub fn new<'a>(domains: impl IntoIterator<Item = &'a str>) -> Self {
        let hashes = domains
            .into_iter()
            .map(|domain| {
                domain.bytes().rev().fold(FNV_OFFSET_BASIS, |state, byte| {
                    fnv_step(state, byte.to_ascii_lowercase())
                })
            })
            .collect();
        ReversedHashSet(hashes)
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Returns the table size, without allocator overhead.
    pub fn heap_bytes(&self) -> usize {
        self.0.capacity() * (std::mem::size_of::<u64>() + 1)
    }

    pub fn is_match(&self, name: &str) -> bool {
        let bytes = name.as_bytes();
        let mut state = FNV_OFFSET_BASIS;
        for at in (0..bytes.len()).rev() {
            state = fnv_step(state, bytes[at]);
            let at_label_start = at == 0 || bytes[at - 1] == b'.';
            if at_label_start && self.0.contains(&state) {
                return true;
            }
        }
        false
    }
}

fn fnv_step(state: u64, byte: u8) -> u64 {
    (state ^ u64::from(byte)).wrapping_mul(FNV_PRIME)
}

/// `fst::Set` of byte-reversed domains, walked node by node with `fst::raw`.
pub struct FstSuffixSet(fst::Set<Vec<u8>>);

impl FstSuffixSet {
    /// Builds the set from domains in any order: reverse, sort, deduplicate, insert.
    pub fn new<'a>(domains: impl IntoIterator<Item = &'a str>) -> Self {
        let mut keys: Vec<Vec<u8>> = domains
            .into_iter()
            .map(|domain| {
                domain
                    .bytes()
                    .rev()
                    .map(|b| b.to_ascii_lowercase())
                    .collect()
            })
            .collect();
        keys.sort_unstable();
        keys.dedup();
        FstSuffixSet(fst::Set::from_iter(keys).expect("keys are sorted and distinct"))
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn heap_bytes(&self) -> usize {
        self.0.as_fst().as_bytes().len()
    }

    pub fn is_match(&self, name: &str) -> bool {
        let fst: &Fst<Vec<u8>> = self.0.as_fst();
        let bytes = name.as_bytes();
        let mut node = fst.root();
        for at in (0..bytes.len()).rev() {
            let Some(index) = node.find_input(bytes[at]) else {
                return false;
            };
            node = fst.node(node.transition(index).addr);
            let at_label_start = at == 0 || bytes[at - 1] == b'.';
            if at_label_start && node.is_final() {
                return true;
            }
        }
        false
    }
}

/// daachorse automaton over `"." + domain` reversed (`evil.com` as `moc.live.`), searched with
/// the reversed name plus a final `.`. The stepper is anchored by hand: once its state is
/// shallower than the bytes consumed, it has left the root path and no pattern can start at
/// the name's end any more, so the lookup stops.
pub struct DaachorseSuffixSet(DoubleArrayAhoCorasick<u32>);

impl DaachorseSuffixSet {
    pub fn new<'a>(domains: impl IntoIterator<Item = &'a str>) -> Self {
        let patterns: Vec<Vec<u8>> = domains
            .into_iter()
            .map(|domain| {
                let reversed = domain.bytes().rev().map(|b| b.to_ascii_lowercase());
                reversed.chain([b'.']).collect()
            })
            .collect();
        let mut automaton = DoubleArrayAhoCorasick::new(patterns)
            .expect("patterns are distinct, non-empty and far below daachorse's limits");
        automaton
            .cache_depths()
            .expect("depths of a freshly built automaton");
        DaachorseSuffixSet(automaton)
    }

    pub fn heap_bytes(&self) -> usize {
        self.0.heap_bytes()
    }

    pub fn is_match(&self, name: &str) -> bool {
        let mut stepper = self.0.find_overlapping_stepper();
        let reversed = name.bytes().rev().chain([b'.']);
        for (consumed, byte) in (1u32..).zip(reversed) {
            stepper.consume(byte);
            if stepper.depth() != Some(consumed) {
                return false;
            }
            if byte == b'.' && stepper.matches().any(|hit| hit.start() == 0) {
                return true;
            }
        }
        false
    }
}

/// Plain Aho-Corasick over indicator domains with no label boundaries: every substring match
/// counts. The variants differ in how they handle case.
pub struct PlainAhoCorasick {
    automaton: AhoCorasick,
    lower_case_haystack: bool,
}

/// Build variants of [`PlainAhoCorasick`].
#[derive(Debug, Clone, Copy)]
pub enum PlainKind {
    /// The default kind (a contiguous NFA at large sizes), haystack lower-cased per search.
    LowerCased,
    /// The default kind with `ascii_case_insensitive(true)`, haystack as given.
    CaseInsensitive,
    /// A DFA, haystack lower-cased per search.
    Dfa,
}

impl PlainAhoCorasick {
    pub fn new<'a>(domains: impl IntoIterator<Item = &'a str>, kind: PlainKind) -> Self {
        let mut builder = AhoCorasickBuilder::new();
        builder.match_kind(MatchKind::LeftmostLongest);
        match kind {
            PlainKind::LowerCased => {}
            PlainKind::CaseInsensitive => {
                builder.ascii_case_insensitive(true);
            }
            PlainKind::Dfa => {
                builder.kind(Some(AhoCorasickKind::DFA));
            }
        }
        let automaton = builder
            .build(domains)
            .expect("indicator domains fit aho-corasick's limits");
        PlainAhoCorasick {
            automaton,
            lower_case_haystack: !matches!(kind, PlainKind::CaseInsensitive),
        }
    }

    pub fn heap_bytes(&self) -> usize {
        self.automaton.memory_usage()
    }

    /// Counts non-overlapping leftmost-longest matches; `buffer` is reused for the lower-cased
    /// copy.
    pub fn count(&self, haystack: &[u8], buffer: &mut Vec<u8>) -> usize {
        if self.lower_case_haystack {
            lower_case_into(haystack, buffer);
            self.automaton.find_iter(buffer.as_slice()).count()
        } else {
            self.automaton.find_iter(haystack).count()
        }
    }
}

fn lower_case_into(haystack: &[u8], buffer: &mut Vec<u8>) {
    buffer.clear();
    buffer.extend_from_slice(haystack);
    buffer.make_ascii_lowercase();
}

/// daachorse leftmost-longest search over a lower-cased haystack, with no label boundaries.
pub struct PlainDaachorse(DoubleArrayAhoCorasick<u32>);

impl PlainDaachorse {
    pub fn new<'a>(domains: impl IntoIterator<Item = &'a str>) -> Self {
        let automaton = DoubleArrayAhoCorasickBuilder::new()
            .match_kind(daachorse::MatchKind::LeftmostLongest)
            .build(domains)
            .expect("patterns are distinct, non-empty and far below daachorse's limits");
        PlainDaachorse(automaton)
    }

    pub fn heap_bytes(&self) -> usize {
        self.0.heap_bytes()
    }

    pub fn count(&self, haystack: &[u8], buffer: &mut Vec<u8>) -> usize {
        lower_case_into(haystack, buffer);
        self.0.leftmost_find_iter(buffer.as_slice()).count()
    }
}

/// Returns whether a byte belongs to a hostname token, the same class iocmatch scans for.
fn is_token_byte(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || matches!(byte, b'.' | b'-' | b'_')
}

/// A `regex` that matches an indicator domain with label boundaries on both sides. Before the
/// domain comes the start of the text, a `.` or a byte that cannot be in a hostname. After it
/// comes one optional root dot, then the end of the text or such a byte. The `regex` crate has
/// no look-around, so the boundary bytes are part of the match, and two hits separated by a
/// single byte count as one.
pub struct BoundaryRegex(regex::bytes::Regex);

impl BoundaryRegex {
    pub fn new<'a>(domains: impl IntoIterator<Item = &'a str>) -> Self {
        let alternation: Vec<String> = domains.into_iter().map(regex::escape).collect();
        let pattern = format!(
            r"(?i-u)(?:^|[^A-Za-z0-9_-])(?:{})\.?(?:$|[^A-Za-z0-9._-])",
            alternation.join("|")
        );
        BoundaryRegex(regex::bytes::Regex::new(&pattern).expect("escaped domains form a regex"))
    }

    pub fn count(&self, haystack: &[u8]) -> usize {
        self.0.find_iter(haystack).count()
    }
}

/// Splits the haystack into hostname tokens, lower-cases each token that contains a dot, strips
/// one root dot and counts its suffix hits in a hashbrown + foldhash set.
pub struct TokenSuffixScan(FoldSuffixSet);

impl TokenSuffixScan {
    pub fn new<'a>(domains: impl IntoIterator<Item = &'a str>) -> Self {
        TokenSuffixScan(FoldSuffixSet::new(domains))
    }

    pub fn count(&self, haystack: &[u8], buffer: &mut Vec<u8>) -> usize {
        let mut hits = 0;
        let mut at = 0;
        while at < haystack.len() {
            if !is_token_byte(haystack[at]) {
                at += 1;
                continue;
            }
            let start = at;
            while at < haystack.len() && is_token_byte(haystack[at]) {
                at += 1;
            }
            let token = &haystack[start..at];
            if memchr::memchr(b'.', token).is_none() {
                continue;
            }
            lower_case_into(token, buffer);
            if buffer.last() == Some(&b'.') {
                buffer.pop();
            }
            let name = std::str::from_utf8(buffer).expect("hostname tokens are ASCII");
            hits += self.0.count_matches(name);
        }
        hits
    }
}

/// A domain-mode lookup: whether some indicator covers a lower-case name without a root dot.
pub trait NameLookup {
    fn is_match(&self, name: &str) -> bool;
}

impl NameLookup for iocmatch::IndicatorSet {
    fn is_match(&self, name: &str) -> bool {
        iocmatch::IndicatorSet::is_match(self, name)
    }
}

macro_rules! impl_name_lookup {
    ($($peer:ty),*) => {
        $(impl NameLookup for $peer {
            fn is_match(&self, name: &str) -> bool {
                <$peer>::is_match(self, name)
            }
        })*
    };
}

impl_name_lookup!(
    StdSuffixSet,
    FoldSuffixSet,
    ReversedHashSet,
    FstSuffixSet,
    DaachorseSuffixSet
);

/// A text scan that counts its matches in one haystack. `buffer` is scratch space that a scan
/// may use for a lower-cased copy.
pub trait TextCounter {
    fn count(&self, haystack: &[u8], buffer: &mut Vec<u8>) -> usize;
}

impl TextCounter for iocmatch::IndicatorSet {
    fn count(&self, haystack: &[u8], _buffer: &mut Vec<u8>) -> usize {
        self.scan(haystack).count()
    }
}

impl<T: TextCounter> TextCounter for &T {
    fn count(&self, haystack: &[u8], buffer: &mut Vec<u8>) -> usize {
        (**self).count(haystack, buffer)
    }
}

impl TextCounter for PlainAhoCorasick {
    fn count(&self, haystack: &[u8], buffer: &mut Vec<u8>) -> usize {
        PlainAhoCorasick::count(self, haystack, buffer)
    }
}

impl TextCounter for PlainDaachorse {
    fn count(&self, haystack: &[u8], buffer: &mut Vec<u8>) -> usize {
        PlainDaachorse::count(self, haystack, buffer)
    }
}

impl TextCounter for TokenSuffixScan {
    fn count(&self, haystack: &[u8], buffer: &mut Vec<u8>) -> usize {
        TokenSuffixScan::count(self, haystack, buffer)
    }
}

impl TextCounter for BoundaryRegex {
    fn count(&self, haystack: &[u8], _buffer: &mut Vec<u8>) -> usize {
        BoundaryRegex::count(self, haystack)
    }
}
