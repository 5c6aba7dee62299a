//! The label-aware text scan: indicator domains inside URLs, command lines and other free text.
//!
//! A hostname token is a maximal run of `[A-Za-z0-9._-]`. An indicator matches a token when the
//! token, minus one trailing dot, equals it or ends with `.` plus it, compared without ASCII case.
//! That is exactly a domain lookup of the token, so the scan has two steps: find the tokens that
//! may contain an indicator, then run the FST walk of the domain lookup on each of them. Because
//! every candidate token is looked up whole and then skipped, a candidate that fails its label
//! check cannot hide a valid match that starts inside it.
//!
//! Two engines find candidate tokens; [`ScanEngine`] chooses between them.

use std::ops::Range;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, Input, MatchKind};
use serde::{Deserialize, Serialize};

use crate::set::domain_walk::CoveringKeys;
use crate::set::{DomainHit, IndicatorSet};

/// The engine a text scan uses to find tokens that may contain an indicator.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ScanEngine {
    /// [`Tokens`](ScanEngine::Tokens) or [`Automaton`](ScanEngine::Automaton), chosen by the
    /// number of indicators (see [`AUTOMATON_MAX_INDICATORS`]).
    #[default]
    Auto,
    /// Look up every token that contains a dot (every token, when the set contains single-label
    /// indicators). Cost grows with the number of dotted tokens, not with the set size.
    Tokens,
    /// Search an Aho-Corasick automaton over the indicator domains and look up only the tokens
    /// it finds. Built on first use; fast for small sets, slow to build and cache-bound for large
    /// ones.
    Automaton,
}

/// Largest set for which [`ScanEngine::Auto`] picks the automaton: zero, so `Auto` means
/// `Tokens`.
///
/// The `scan/*` criterion benches found the token engine faster at every size measured (2, 70,
/// 10k and 0.5M indicators) on real command lines and URLs: 1.6 to 7.7 times. Haystacks made
/// almost entirely of host names were not measured; [`ScanEngine::Automaton`] remains for them.
pub const AUTOMATON_MAX_INDICATORS: usize = 0;

/// Returns whether a byte belongs to a hostname token.
pub(crate) fn is_token_byte(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || matches!(byte, b'.' | b'-' | b'_')
}

/// Builds the automaton over the set's domains (the part after `*.` for wildcards).
pub(crate) fn build_automaton(set: &IndicatorSet) -> AhoCorasick {
    let domains = set.entries.iter().map(|entry| entry.domain());
    // Case-insensitive search disables the packed (Teddy) and memmem prefilters in aho-corasick
    // 1.1. Lower-casing the haystack would keep them but copy every haystack, and the benches
    // compare both.
    AhoCorasickBuilder::new()
        .match_kind(MatchKind::LeftmostFirst)
        .ascii_case_insensitive(true)
        .build(domains)
        .expect("domains are at most 253 bytes, far below the automaton's limits")
}

/// Iterator over the label-aware matches of a set's indicators in a haystack, in order of
/// position. Within one token, a longer indicator (starting further left) comes first.
///
/// Created by [`IndicatorSet::scan`].
#[derive(Debug)]
pub struct TextMatches<'s, 'h> {
    set: &'s IndicatorSet,
    haystack: &'h [u8],
    position: usize,
    automaton: Option<&'s AhoCorasick>,
    every_token: bool,
    /// Hits of the current token, the leftmost last so that `pop` returns it first.
    token_hits: Vec<DomainHit<'s>>,
}

impl<'s, 'h> TextMatches<'s, 'h> {
    pub(crate) fn new(set: &'s IndicatorSet, haystack: &'h [u8]) -> Self {
        let automaton = match set.effective_scan_engine() {
            ScanEngine::Automaton => Some(set.automaton()),
            _ => None,
        };
        TextMatches {
            set,
            haystack,
            position: 0,
            automaton,
            every_token: set.has_single_label,
            token_hits: Vec::new(),
        }
    }

    /// Returns the next token at or after `self.position` that may hold a match.
    fn next_candidate_token(&mut self) -> Option<Range<usize>> {
        let haystack = self.haystack;
        let seed = if let Some(automaton) = self.automaton {
            let input = Input::new(haystack).span(self.position..haystack.len());
            automaton.find(input)?.start()
        } else if self.every_token {
            let offset = haystack[self.position..]
                .iter()
                .position(|&b| is_token_byte(b))?;
            self.position + offset
        } else {
            self.position + memchr::memchr(b'.', &haystack[self.position..])?
        };
        Some(token_around(haystack, seed))
    }
}

/// Expands a position inside a token to the whole token.
fn token_around(haystack: &[u8], inside: usize) -> Range<usize> {
    let start = haystack[..inside]
        .iter()
        .rposition(|&b| !is_token_byte(b))
        .map_or(0, |at| at + 1);
    let end = haystack[inside..]
        .iter()
        .position(|&b| !is_token_byte(b))
        .map_or(haystack.len(), |at| inside + at);
    start..end
}

impl<'s> Iterator for TextMatches<'s, '_> {
    type Item = DomainHit<'s>;

    fn next(&mut self) -> Option<DomainHit<'s>> {
        loop {
            if let Some(hit) = self.token_hits.pop() {
                return Some(hit);
            }
            if self.position >= self.haystack.len() {
                return None;
            }
            let Some(token) = self.next_candidate_token() else {
                self.position = self.haystack.len();
                return None;
            };
            self.position = token.end;
            let name_end = if self.haystack[token.start..token.end].ends_with(b".") {
                token.end - 1
            } else {
                token.end
            };
            let name = &self.haystack[token.start..name_end];
            let keys = CoveringKeys::new(
                &self.set.table,
                &self.set.entries,
                name,
                self.set.exact_only,
            );
            for key in keys {
                let span = token.start + key.start..name_end;
                self.token_hits.push(self.set.hit(key.entry, span));
            }
        }
    }
}
