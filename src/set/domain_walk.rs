//! The label-aware domain walk: one pass from the end of a name towards its start, one table
//! probe per label.
//!
//! After each whole label the walk has the hash of the suffix read so far (`com`, then
//! `evil.com`, then `cdn.evil.com`) and probes the suffix table for entries with that hash. A
//! candidate counts only if its domain equals the suffix (ASCII case folded) and its kind allows
//! the position: a plain indicator anywhere (at the whole name only, in exact-only sets), a
//! wildcard only with a non-empty label to its left. Probing only at label starts is what makes
//! `notevil.com` miss `evil.com`. The walk allocates nothing.

use crate::set::Entry;
use crate::set::suffix_table::{SuffixHashes, SuffixTable};

/// One indicator that covers a name: its entry number, and where its domain starts in the name
/// (it always ends at the end of the name).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct CoveringKey {
    pub(crate) entry: u32,
    pub(crate) start: usize,
}

/// Iterator over the indicators covering one name, shortest suffix first. At one suffix a plain
/// indicator comes before a wildcard one.
pub(crate) struct CoveringKeys<'s, 'n> {
    table: &'s SuffixTable,
    entries: &'s [Entry],
    name: &'n [u8],
    suffixes: SuffixHashes<'n>,
    exact_only: bool,
    /// A wildcard hit found together with a plain one at the same suffix, returned next.
    pending_wildcard: Option<CoveringKey>,
}

impl<'s, 'n> CoveringKeys<'s, 'n> {
    /// Starts a walk of `name`, which has no root dot and may be in any ASCII case.
    pub(crate) fn new(
        table: &'s SuffixTable,
        entries: &'s [Entry],
        name: &'n [u8],
        exact_only: bool,
    ) -> Self {
        CoveringKeys {
            table,
            entries,
            name,
            suffixes: SuffixHashes::new(name),
            exact_only,
            pending_wildcard: None,
        }
    }

    /// Returns the plain and the wildcard entry, if any, whose domain is `name[start..]`.
    #[inline]
    fn entries_at(&self, hash: u64, start: usize) -> (Option<u32>, Option<u32>) {
        let suffix = &self.name[start..];
        let wildcard_allowed = start >= 2 && self.name[start - 2] != b'.';
        let plain_allowed = !self.exact_only || start == 0;
        let (mut plain, mut wildcard) = (None, None);
        self.table.for_each_candidate(hash, |entry| {
            let candidate = &self.entries[entry as usize];
            if !candidate.domain().as_bytes().eq_ignore_ascii_case(suffix) {
                return;
            }
            if candidate.is_wildcard() {
                if wildcard_allowed {
                    wildcard = Some(entry);
                }
            } else if plain_allowed {
                plain = Some(entry);
            }
        });
        (plain, wildcard)
    }
}

impl Iterator for CoveringKeys<'_, '_> {
    type Item = CoveringKey;

    #[inline]
    fn next(&mut self) -> Option<CoveringKey> {
        if let Some(wildcard) = self.pending_wildcard.take() {
            return Some(wildcard);
        }
        while let Some((hash, start)) = self.suffixes.next() {
            let key = |entry| CoveringKey { entry, start };
            match self.entries_at(hash, start) {
                (Some(plain), wildcard) => {
                    self.pending_wildcard = wildcard.map(key);
                    return Some(key(plain));
                }
                (None, Some(wildcard)) => return Some(key(wildcard)),
                (None, None) => {}
            }
        }
        None
    }
}

/// Builds the FST key of a lower-case domain: its bytes reversed, then `.*` for a wildcard.
/// Reversed keys put every suffix of a name on one path from the root, which keeps the FST small.
pub(crate) fn reversed_key(domain: &str, wildcard: bool) -> Vec<u8> {
    let mut key: Vec<u8> = domain.bytes().rev().collect();
    if wildcard {
        key.extend_from_slice(b".*");
    }
    key
}
