//! Kusto terms and the single-value operators of the `has` family.
//!
//! A term is a maximal run of term characters. Every other character separates terms, including
//! `_`, `.`, `-` and `:`. A value occurs as a term match at `start..end` of a haystack when its
//! text occurs there and each requested edge sits on a term boundary. An edge is only checked when
//! the value itself has a term character on that side, so `.com` has no left edge to check and
//! `evil.` no right edge.

use std::ops::Range;

use serde::{Deserialize, Serialize};

/// The characters that form Kusto terms.
///
/// Stored in rule definitions as `"unicode"` or `"ascii"`.
///
/// ```
/// use iocmatch::kql::TermChars;
///
/// // "é" is a letter in Unicode, so it joins "café" and "evil" into one term.
/// assert!(!TermChars::Unicode.has("caféevil.com", "evil.com"));
/// // With ASCII-only term characters "é" separates them.
/// assert!(TermChars::Ascii.has("caféevil.com", "evil.com"));
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TermChars {
    /// Unicode alphanumerics (`char::is_alphanumeric`) are term characters, as the current Kusto
    /// documentation describes terms.
    #[default]
    Unicode,
    /// Only ASCII letters and digits are term characters, as older Kusto documentation described
    /// terms. Every non-ASCII character separates terms.
    Ascii,
}

/// Whether a comparison folds ASCII case.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Case {
    /// ASCII letters compare without regard to case. Non-ASCII characters compare exactly.
    Insensitive,
    /// Every byte compares exactly.
    Sensitive,
}

/// The edges of a value occurrence that must sit on a term boundary.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Edges {
    /// The character before the occurrence must not be a term character.
    pub(crate) left: bool,
    /// The character after the occurrence must not be a term character.
    pub(crate) right: bool,
}

impl Edges {
    /// Both edges, as `has` checks them.
    pub(crate) const BOTH: Edges = Edges {
        left: true,
        right: true,
    };
    /// The left edge only, as `hasprefix` checks it.
    pub(crate) const LEFT: Edges = Edges {
        left: true,
        right: false,
    };
    /// The right edge only, as `hassuffix` checks it.
    pub(crate) const RIGHT: Edges = Edges {
        left: false,
        right: true,
    };
}

impl TermChars {
    /// Returns whether `c` is a term character.
    ///
    /// ```
    /// use iocmatch::kql::TermChars;
    ///
    /// assert!(TermChars::Unicode.is_term_char('ß'));
    /// assert!(!TermChars::Ascii.is_term_char('ß'));
    /// assert!(!TermChars::Unicode.is_term_char('_'));
    /// ```
    pub fn is_term_char(self, c: char) -> bool {
        match self {
            TermChars::Unicode => c.is_alphanumeric(),
            TermChars::Ascii => c.is_ascii_alphanumeric(),
        }
    }

    /// Returns whether `haystack has value`: the value occurs as whole terms, ASCII
    /// case-insensitively.
    ///
    /// A blank `value` (empty or whitespace-only) never matches.
    ///
    /// ```
    /// use iocmatch::kql::TermChars;
    ///
    /// assert!(TermChars::Unicode.has("www.Demale.shop", "demale.shop"));
    /// assert!(!TermChars::Unicode.has("xdemale.shop", "demale.shop"));
    /// ```
    pub fn has(self, haystack: &str, value: &str) -> bool {
        self.find_value(haystack, value, Case::Insensitive, Edges::BOTH)
            .is_some()
    }

    /// Returns whether `haystack has_cs value`: like [`has`](Self::has) but case-sensitive.
    ///
    /// ```
    /// use iocmatch::kql::TermChars;
    ///
    /// assert!(TermChars::Unicode.has_cs("a.Evil.com", "Evil.com"));
    /// assert!(!TermChars::Unicode.has_cs("a.evil.com", "Evil.com"));
    /// ```
    pub fn has_cs(self, haystack: &str, value: &str) -> bool {
        self.find_value(haystack, value, Case::Sensitive, Edges::BOTH)
            .is_some()
    }

    /// Returns whether `haystack hasprefix value`: the value occurs ASCII case-insensitively at the
    /// start of a term. Only its left edge is checked.
    ///
    /// ```
    /// use iocmatch::kql::TermChars;
    ///
    /// assert!(TermChars::Unicode.hasprefix("demale.shopping", "demale.shop"));
    /// assert!(!TermChars::Unicode.hasprefix("xdemale.shop", "demale.shop"));
    /// ```
    pub fn hasprefix(self, haystack: &str, value: &str) -> bool {
        self.find_value(haystack, value, Case::Insensitive, Edges::LEFT)
            .is_some()
    }

    /// Returns whether `haystack hasprefix_cs value`: like [`hasprefix`](Self::hasprefix) but
    /// case-sensitive.
    ///
    /// ```
    /// use iocmatch::kql::TermChars;
    ///
    /// assert!(TermChars::Unicode.hasprefix_cs("Backup_2024", "Back"));
    /// assert!(!TermChars::Unicode.hasprefix_cs("backup_2024", "Back"));
    /// ```
    pub fn hasprefix_cs(self, haystack: &str, value: &str) -> bool {
        self.find_value(haystack, value, Case::Sensitive, Edges::LEFT)
            .is_some()
    }

    /// Returns whether `haystack hassuffix value`: the value occurs ASCII case-insensitively at the
    /// end of a term. Only its right edge is checked.
    ///
    /// ```
    /// use iocmatch::kql::TermChars;
    ///
    /// assert!(TermChars::Unicode.hassuffix("xdemale.SHOP", "demale.shop"));
    /// assert!(!TermChars::Unicode.hassuffix("demale.shopping", "demale.shop"));
    /// ```
    pub fn hassuffix(self, haystack: &str, value: &str) -> bool {
        self.find_value(haystack, value, Case::Insensitive, Edges::RIGHT)
            .is_some()
    }

    /// Returns whether `haystack hassuffix_cs value`: like [`hassuffix`](Self::hassuffix) but
    /// case-sensitive.
    ///
    /// ```
    /// use iocmatch::kql::TermChars;
    ///
    /// assert!(TermChars::Unicode.hassuffix_cs("remus_Backup", "Backup"));
    /// assert!(!TermChars::Unicode.hassuffix_cs("remus_backup", "Backup"));
    /// ```
    pub fn hassuffix_cs(self, haystack: &str, value: &str) -> bool {
        self.find_value(haystack, value, Case::Sensitive, Edges::RIGHT)
            .is_some()
    }

    /// Finds the leftmost occurrence of `value` in `haystack` that satisfies `case` and `edges`.
    ///
    /// Every candidate position is tried, so a candidate that fails its edge check never hides a
    /// later overlapping one (`"x.x"` in `"ax.x.x"` fails at 1 and matches at 3).
    pub(crate) fn find_value(
        self,
        haystack: &str,
        value: &str,
        case: Case,
        edges: Edges,
    ) -> Option<Range<usize>> {
        if is_blank(value) {
            return None;
        }
        let value_bytes = value.as_bytes();
        let (starts_with_term, ends_with_term) = self.value_edges(value);

        // Candidate starts are the positions of the value's first byte, in either ASCII case when
        // folding. The last possible start leaves room for the whole value.
        let last_start = haystack.len().checked_sub(value_bytes.len())?;
        let searched = &haystack.as_bytes()[..=last_start];
        let first = value_bytes[0];
        let (lower, upper) = (first.to_ascii_lowercase(), first.to_ascii_uppercase());
        let fold_first = case == Case::Insensitive && lower != upper;

        let mut from = 0;
        while from < searched.len() {
            let offset = if fold_first {
                memchr::memchr2(lower, upper, &searched[from..])
            } else {
                memchr::memchr(first, &searched[from..])
            }?;
            let start = from + offset;
            let span = start..start + value_bytes.len();
            let candidate = &haystack.as_bytes()[span.clone()];
            let text_matches = match case {
                Case::Insensitive => candidate.eq_ignore_ascii_case(value_bytes),
                Case::Sensitive => candidate == value_bytes,
            };
            if text_matches
                && self.edges_hold(haystack, &span, starts_with_term, ends_with_term, edges)
            {
                return Some(span);
            }
            from = start + 1;
        }
        None
    }

    /// Returns whether the value's first and last characters are term characters, which decides
    /// whether its left and right edges are checked at all.
    pub(crate) fn value_edges(self, value: &str) -> (bool, bool) {
        let starts = value.chars().next().is_some_and(|c| self.is_term_char(c));
        let ends = value
            .chars()
            .next_back()
            .is_some_and(|c| self.is_term_char(c));
        (starts, ends)
    }

    /// Returns whether an occurrence at `span` satisfies the requested edges.
    ///
    /// `span` must lie on char boundaries of `haystack`. It does whenever the occurrence's bytes
    /// equal a `&str` value up to ASCII case, because then they begin with a UTF-8 lead byte and
    /// end after a complete character.
    pub(crate) fn edges_hold(
        self,
        haystack: &str,
        span: &Range<usize>,
        starts_with_term: bool,
        ends_with_term: bool,
        edges: Edges,
    ) -> bool {
        if edges.left && starts_with_term {
            let before = haystack[..span.start].chars().next_back();
            if before.is_some_and(|c| self.is_term_char(c)) {
                return false;
            }
        }
        if edges.right && ends_with_term {
            let after = haystack[span.end..].chars().next();
            if after.is_some_and(|c| self.is_term_char(c)) {
                return false;
            }
        }
        true
    }
}

/// Returns whether a value is empty or whitespace-only. Such a value is rejected by
/// [`KqlList`](super::KqlList) builds and never matches in the single-value functions.
pub(crate) fn is_blank(value: &str) -> bool {
    value.trim().is_empty()
}

/// Returns whether `haystack has value` with Unicode term characters (the Kusto default).
///
/// The value occurs ASCII case-insensitively, and wherever the value begins or ends with a term
/// character, the neighbouring haystack character is not one. A blank value (empty or
/// whitespace-only) never matches.
///
/// ```
/// use iocmatch::kql::has;
///
/// assert!(has("www.demale.shop", "demale.shop"));
/// assert!(has("x-demale.shop", "demale.shop")); // '-' separates terms
/// assert!(has("demale.shop.evil.com", "demale.shop"));
/// assert!(!has("xdemale.shop", "demale.shop"));
/// assert!(!has("demale.shopping", "demale.shop"));
/// assert!(!has("KustoExplorerQueryRun", "Explorer"));
/// assert!(has("remus_backup.exe", "backup")); // '_' separates terms
/// ```
pub fn has(haystack: &str, value: &str) -> bool {
    TermChars::Unicode.has(haystack, value)
}

/// Returns whether `haystack has_cs value`: [`has`] without case folding.
///
/// ```
/// use iocmatch::kql::has_cs;
///
/// assert!(has_cs("KustoExplorer Run", "KustoExplorer"));
/// assert!(!has_cs("kustoexplorer run", "KustoExplorer"));
/// ```
pub fn has_cs(haystack: &str, value: &str) -> bool {
    TermChars::Unicode.has_cs(haystack, value)
}

/// Returns whether `haystack hasprefix value`: the value starts a term, ASCII case-insensitively.
///
/// ```
/// use iocmatch::kql::hasprefix;
///
/// assert!(hasprefix("cdn.demale.shopping", "demale.shop"));
/// assert!(!hasprefix("xdemale.shop", "demale.shop"));
/// ```
pub fn hasprefix(haystack: &str, value: &str) -> bool {
    TermChars::Unicode.hasprefix(haystack, value)
}

/// Returns whether `haystack hasprefix_cs value`: [`hasprefix`] without case folding.
///
/// ```
/// use iocmatch::kql::hasprefix_cs;
///
/// assert!(hasprefix_cs("C:\\Temp\\Remus_x", "Remus"));
/// assert!(!hasprefix_cs("C:\\Temp\\remus_x", "Remus"));
/// ```
pub fn hasprefix_cs(haystack: &str, value: &str) -> bool {
    TermChars::Unicode.hasprefix_cs(haystack, value)
}

/// Returns whether `haystack hassuffix value`: the value ends a term, ASCII case-insensitively.
///
/// ```
/// use iocmatch::kql::hassuffix;
///
/// assert!(hassuffix("xdemale.shop", "demale.shop"));
/// assert!(!hassuffix("demale.shopping", "demale.shop"));
/// ```
pub fn hassuffix(haystack: &str, value: &str) -> bool {
    TermChars::Unicode.hassuffix(haystack, value)
}

/// Returns whether `haystack hassuffix_cs value`: [`hassuffix`] without case folding.
///
/// ```
/// use iocmatch::kql::hassuffix_cs;
///
/// assert!(hassuffix_cs("remus_Backup.exe", "Backup"));
/// assert!(!hassuffix_cs("remus_BACKUP.exe", "Backup"));
/// ```
pub fn hassuffix_cs(haystack: &str, value: &str) -> bool {
    TermChars::Unicode.hassuffix_cs(haystack, value)
}

/// Returns whether `haystack =~ value`: the whole haystack equals the value up to ASCII case.
///
/// Only ASCII letters fold, so `"É" =~ "é"` is false. A blank value (empty or whitespace-only)
/// never matches, as in the other functions here.
///
/// ```
/// use iocmatch::kql::equals_ci;
///
/// assert!(equals_ci("Demale.SHOP", "demale.shop"));
/// assert!(!equals_ci("www.demale.shop", "demale.shop"));
/// assert!(!equals_ci("É", "é"));
/// ```
pub fn equals_ci(haystack: &str, value: &str) -> bool {
    !is_blank(value) && haystack.eq_ignore_ascii_case(value)
}
