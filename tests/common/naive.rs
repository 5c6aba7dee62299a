//! Deliberately naive reference implementations of domain lookup and text scan.
//!
//! They follow the written rules directly (split on dots, compare label lists, try every
//! position) and are slow on purpose, so that a fast path and its oracle share no code.

use std::collections::HashSet;

/// A set of indicator patterns (`evil.com`, `*.evil.com`) as plain hash sets of strings.
#[derive(Debug, Default)]
pub struct NaiveSet {
    plain: HashSet<String>,
    wildcard: HashSet<String>,
    pub exact_only: bool,
}

impl NaiveSet {
    /// Builds the oracle from already normalized patterns.
    pub fn new<'a>(patterns: impl IntoIterator<Item = &'a str>, exact_only: bool) -> Self {
        let mut set = NaiveSet {
            exact_only,
            ..NaiveSet::default()
        };
        for pattern in patterns {
            match pattern.strip_prefix("*.") {
                Some(domain) => set.wildcard.insert(domain.to_owned()),
                None => set.plain.insert(pattern.to_owned()),
            };
        }
        set
    }

    /// Returns the patterns covering `name`, shortest domain first and at one domain the plain
    /// pattern before the wildcard, each with the byte offset where its domain starts.
    pub fn covering(&self, name: &str) -> Vec<(String, usize)> {
        let name = name.strip_suffix('.').unwrap_or(name).to_ascii_lowercase();
        let labels: Vec<&str> = name.split('.').collect();
        let mut found = Vec::new();
        for first in (0..labels.len()).rev() {
            let suffix = labels[first..].join(".");
            let start = name.len() - suffix.len();
            if self.plain.contains(&suffix) && (!self.exact_only || first == 0) {
                found.push((suffix.clone(), start));
            }
            let has_label_before = first > 0 && !labels[first - 1].is_empty();
            if has_label_before && self.wildcard.contains(&suffix) {
                found.push((format!("*.{suffix}"), start));
            }
        }
        found
    }

    /// Returns every text-scan match as (pattern, start, end), sorted, by testing every
    /// pattern at every byte position against the token rule.
    pub fn scan(&self, haystack: &[u8]) -> Vec<(String, usize, usize)> {
        let is_token = |b: u8| b.is_ascii_alphanumeric() || b == b'.' || b == b'-' || b == b'_';
        let mut found = Vec::new();
        let patterns = self
            .plain
            .iter()
            .map(|d| (d, false))
            .chain(self.wildcard.iter().map(|d| (d, true)));
        for (domain, wildcard) in patterns {
            let needle = domain.as_bytes();
            if needle.len() > haystack.len() {
                continue;
            }
            for start in 0..=haystack.len() - needle.len() {
                let end = start + needle.len();
                if !haystack[start..end].eq_ignore_ascii_case(needle) {
                    continue;
                }
                // The token, minus one trailing dot, must end exactly here.
                let ends_token = end == haystack.len()
                    || !is_token(haystack[end])
                    || (haystack[end] == b'.'
                        && (end + 1 == haystack.len() || !is_token(haystack[end + 1])));
                if !ends_token {
                    continue;
                }
                let token_starts_here = start == 0 || !is_token(haystack[start - 1]);
                let after_dot = start > 0 && haystack[start - 1] == b'.';
                let accepted = if wildcard {
                    after_dot
                        && start >= 2
                        && is_token(haystack[start - 2])
                        && haystack[start - 2] != b'.'
                } else if self.exact_only {
                    token_starts_here
                } else {
                    token_starts_here || after_dot
                };
                if accepted {
                    let pattern = if wildcard {
                        format!("*.{domain}")
                    } else {
                        domain.clone()
                    };
                    found.push((pattern, start, end));
                }
            }
        }
        found.sort();
        found
    }

    /// Returns the same matches as [`NaiveSet::scan`], found by hash look-ups instead of by
    /// trying every pattern: at every position where a domain may start, the text up to the end
    /// of its token (minus one trailing dot) is looked up whole. Fast enough for sets of
    /// hundreds of thousands of patterns.
    pub fn scan_by_position(&self, haystack: &[u8]) -> Vec<(String, usize, usize)> {
        let is_token = |b: u8| b.is_ascii_alphanumeric() || b == b'.' || b == b'-' || b == b'_';
        let mut found = Vec::new();
        for start in 0..haystack.len() {
            if !is_token(haystack[start]) {
                continue;
            }
            let token_starts_here = start == 0 || !is_token(haystack[start - 1]);
            let after_dot = start > 0 && haystack[start - 1] == b'.';
            if !token_starts_here && !after_dot {
                continue;
            }
            let mut end = start;
            while end < haystack.len() && is_token(haystack[end]) {
                end += 1;
            }
            if haystack[end - 1] == b'.' {
                end -= 1;
            }
            if end <= start {
                continue;
            }
            let candidate = String::from_utf8_lossy(&haystack[start..end]).to_ascii_lowercase();
            if self.plain.contains(&candidate) && (token_starts_here || !self.exact_only) {
                found.push((candidate.clone(), start, end));
            }
            let label_before = after_dot
                && start >= 2
                && is_token(haystack[start - 2])
                && haystack[start - 2] != b'.';
            if label_before && self.wildcard.contains(&candidate) {
                found.push((format!("*.{candidate}"), start, end));
            }
        }
        found.sort();
        found
    }
}
