//! A compiled list of KQL values for `has_any`, `has_all`, `in~` and `has_any_index`.

use std::borrow::Cow;
use std::collections::HashMap;
use std::ops::{ControlFlow, Range};

use aho_corasick::{AhoCorasick, MatchKind};

use super::error::KqlError;
use super::terms::{Case, Edges, TermChars, is_blank};

/// Kusto's cap on the distinct values that `has_any` considers. This library does not enforce it.
///
/// A [`KqlList`] accepts any number of values. Compare [`KqlList::distinct_len`] with this constant
/// to warn that a list will not behave the same once pasted into a Sentinel query.
pub const KUSTO_HAS_ANY_MAX_DISTINCT_VALUES: usize = 10_000;

/// Kusto's cap on the distinct values that `has_all` considers. This library does not enforce it.
///
/// Use it like [`KUSTO_HAS_ANY_MAX_DISTINCT_VALUES`], for lists evaluated with `has_all`.
pub const KUSTO_HAS_ALL_MAX_DISTINCT_VALUES: usize = 256;

/// A compiled list of KQL values, matched with Kusto term semantics.
///
/// Values are used raw: they are never trimmed or domain-normalized, and trailing spaces are
/// significant. Duplicates are kept, so list indices match the input. `has_any` and `has_all` work
/// over the distinct values.
///
/// ```
/// use iocmatch::kql::KqlList;
///
/// let list = KqlList::new(["demale.shop", "onion.to"])?;
/// assert!(list.has_any("cdn.demale.shop"));
/// assert!(!list.has_any("xdemale.shop"));
/// assert_eq!(list.has_any_index("a.ONION.to"), Some(1));
///
/// let found = list.find("GET http://cdn.demale.shop/x").unwrap();
/// assert_eq!((found.index(), found.span()), (0, 15..26));
/// # Ok::<(), iocmatch::kql::KqlError>(())
/// ```
///
/// # Limitations
///
/// Kusto considers at most [`KUSTO_HAS_ANY_MAX_DISTINCT_VALUES`] distinct values in `has_any` and
/// [`KUSTO_HAS_ALL_MAX_DISTINCT_VALUES`] in `has_all`. This list has no cap, so a longer list
/// matches here but will not behave the same in a Sentinel query.
#[derive(Clone, Debug)]
pub struct KqlList {
    /// The values as given, in list order.
    values: Vec<String>,
    term_chars: TermChars,
    /// One group per distinct ASCII-lower-cased value, in order of first appearance. Group `g` is
    /// pattern `g` of `automaton`.
    groups: Vec<ValueGroup>,
    /// ASCII case-insensitive automaton whose pattern `g` is the first value of group `g`.
    automaton: AhoCorasick,
    /// Folded value to group number, for the whole-haystack comparisons of `in~`.
    group_by_folded: HashMap<String, usize>,
}

/// The values of a list that are equal up to ASCII case.
#[derive(Clone, Debug)]
struct ValueGroup {
    /// List indices of the values in this group, ascending.
    indices: Vec<usize>,
    /// Whether the value begins with a term character, so that its left edge is checked.
    starts_with_term: bool,
    /// Whether the value ends with a term character, so that its right edge is checked.
    ends_with_term: bool,
}

/// One match of a list value in a haystack.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct KqlMatch {
    index: usize,
    span: Range<usize>,
}

impl KqlMatch {
    /// Returns the list index of the matched value. When several values match the same bytes, it
    /// is the lowest of their indices.
    pub fn index(&self) -> usize {
        self.index
    }

    /// Returns the byte span of the match in the haystack.
    pub fn span(&self) -> Range<usize> {
        self.span.clone()
    }

    /// Returns the byte offset where the match starts.
    pub fn start(&self) -> usize {
        self.span.start
    }

    /// Returns the byte offset just past the end of the match.
    pub fn end(&self) -> usize {
        self.span.end
    }
}

/// A builder for a [`KqlList`] with non-default options.
///
/// ```
/// use iocmatch::kql::{KqlListBuilder, TermChars};
///
/// let list = KqlListBuilder::new().term_chars(TermChars::Ascii).build(["evil.com"])?;
/// assert!(list.has_any("caféevil.com"));
/// # Ok::<(), iocmatch::kql::KqlError>(())
/// ```
#[derive(Clone, Debug, Default)]
pub struct KqlListBuilder {
    term_chars: TermChars,
}

impl KqlListBuilder {
    /// Creates a builder with Unicode term characters.
    pub fn new() -> KqlListBuilder {
        KqlListBuilder::default()
    }

    /// Sets which characters form terms. The default is [`TermChars::Unicode`].
    pub fn term_chars(&mut self, term_chars: TermChars) -> &mut KqlListBuilder {
        self.term_chars = term_chars;
        self
    }

    /// Builds a list from `values`, keeping their order and duplicates.
    ///
    /// # Errors
    ///
    /// Returns [`KqlError::BlankValue`] for the first empty or whitespace-only value, because a
    /// blank term would match nearly every haystack. Returns [`KqlError::AutomatonBuild`] when the
    /// automaton exceeds the `aho-corasick` crate's size limits.
    pub fn build<I, S>(&self, values: I) -> Result<KqlList, KqlError>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let values: Vec<String> = values.into_iter().map(|v| v.as_ref().to_string()).collect();

        // Reject blank values before any work, so the error names the first bad index.
        if let Some((index, value)) = values.iter().enumerate().find(|(_, v)| is_blank(v)) {
            return Err(KqlError::BlankValue {
                index,
                value: value.clone(),
            });
        }

        // Group values equal up to ASCII case: one automaton pattern per group keeps every
        // candidate reported once, and the group remembers the lowest list index.
        let mut groups: Vec<ValueGroup> = Vec::new();
        let mut group_by_folded: HashMap<String, usize> = HashMap::new();
        let mut patterns: Vec<&str> = Vec::new();
        for (index, value) in values.iter().enumerate() {
            let folded = value.to_ascii_lowercase();
            if let Some(&group) = group_by_folded.get(&folded) {
                groups[group].indices.push(index);
                continue;
            }
            let (starts_with_term, ends_with_term) = self.term_chars.value_edges(value);
            group_by_folded.insert(folded, groups.len());
            groups.push(ValueGroup {
                indices: vec![index],
                starts_with_term,
                ends_with_term,
            });
            patterns.push(value);
        }

        // Standard match semantics are required for overlapping search, which reports every
        // occurrence of every value. A leftmost search could report an occurrence that fails
        // its edge check and skip an overlapping one that passes.
        //
        // ASCII case folding happens in the automaton, not in a lower-cased copy of the haystack,
        // because that measured as fast and needs no per-search buffer, so the list stays `Sync`
        // without a scratch argument. The measurement used a throwaway release-mode timing
        // program on a shared 2-core machine, with the 73 values of the Sentinel mining-pool rule.
        // Over 55,656 DNS names (about 17 bytes each), the folding automaton scanned 190-205 MB/s,
        // a case-sensitive automaton over a reused lower-cased buffer 190-195 MB/s, and one over a
        // fresh lower-cased String per name 165-170 MB/s. Over 3,478 command lines the same three
        // scanned 860-940, 725-905 and 750-810 MB/s.
        let automaton = AhoCorasick::builder()
            .match_kind(MatchKind::Standard)
            .ascii_case_insensitive(true)
            .build(&patterns)
            .map_err(|err| KqlError::AutomatonBuild {
                distinct_values: patterns.len(),
                message: err.to_string(),
            })?;

        Ok(KqlList {
            values,
            term_chars: self.term_chars,
            groups,
            automaton,
            group_by_folded,
        })
    }
}

impl KqlList {
    /// Builds a list with Unicode term characters, the Kusto default.
    ///
    /// An empty list is valid: `has_any` and `has_all` are false for it.
    ///
    /// # Errors
    ///
    /// Returns [`KqlError::BlankValue`] naming the list index of the first empty or
    /// whitespace-only value, and [`KqlError::AutomatonBuild`] when the automaton exceeds the
    /// `aho-corasick` crate's size limits.
    ///
    /// ```
    /// use iocmatch::kql::KqlList;
    ///
    /// let err = KqlList::new(["evil.com", ""]).unwrap_err();
    /// assert_eq!(
    ///     err.to_string(),
    ///     "kql value at list index 1 is empty (\"\"); \
    ///      remove it or replace it with the intended term",
    /// );
    /// ```
    pub fn new<I, S>(values: I) -> Result<KqlList, KqlError>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        KqlListBuilder::new().build(values)
    }

    /// Returns a builder for a list with non-default options.
    pub fn builder() -> KqlListBuilder {
        KqlListBuilder::new()
    }

    /// Returns the values as given, duplicates included.
    pub fn values(&self) -> &[String] {
        &self.values
    }

    /// Returns the number of values, duplicates included.
    pub fn len(&self) -> usize {
        self.values.len()
    }

    /// Returns whether the list has no values.
    pub fn is_empty(&self) -> bool {
        self.values.is_empty()
    }

    /// Returns the number of values that differ after ASCII case folding.
    ///
    /// ```
    /// use iocmatch::kql::KqlList;
    ///
    /// let list = KqlList::new(["xmrpool.eu", "XMRPOOL.eu", "minexmr.com"])?;
    /// assert_eq!((list.len(), list.distinct_len()), (3, 2));
    /// # Ok::<(), iocmatch::kql::KqlError>(())
    /// ```
    pub fn distinct_len(&self) -> usize {
        self.groups.len()
    }

    /// Returns the characters this list treats as term characters.
    pub fn term_chars(&self) -> TermChars {
        self.term_chars
    }

    /// Returns whether `haystack has_any (values)`: some value occurs as whole terms, ASCII
    /// case-insensitively. False for an empty list.
    ///
    /// ```
    /// use iocmatch::kql::KqlList;
    ///
    /// let list = KqlList::new(["backup", "onion.to"])?;
    /// assert!(list.has_any("C:\\remus_backup.exe"));
    /// assert!(!list.has_any("backups.onion.top"));
    /// # Ok::<(), iocmatch::kql::KqlError>(())
    /// ```
    pub fn has_any(&self, haystack: &str) -> bool {
        self.any_match(haystack, Case::Insensitive, Edges::BOTH)
    }

    /// Returns whether `haystack has_all (values)`: every distinct value occurs as whole terms,
    /// ASCII case-insensitively.
    ///
    /// An empty list gives false, not the vacuous true, so that an empty indicator feed never turns
    /// a rule into one that matches every event. The Kusto documentation gives no result for this
    /// case.
    ///
    /// ```
    /// use iocmatch::kql::KqlList;
    ///
    /// let list = KqlList::new(["powershell", "-enc"])?;
    /// assert!(list.has_all("PowerShell.exe -enc SQBFAFgA"));
    /// assert!(!list.has_all("powershell.exe -nop"));
    /// assert!(!KqlList::new(Vec::<String>::new())?.has_all("anything"));
    /// # Ok::<(), iocmatch::kql::KqlError>(())
    /// ```
    pub fn has_all(&self, haystack: &str) -> bool {
        if self.groups.is_empty() {
            return false;
        }
        let mut seen = vec![false; self.groups.len()];
        let mut unseen = self.groups.len();
        self.for_each_match(haystack, Case::Insensitive, Edges::BOTH, |group, _, _| {
            if !seen[group] {
                seen[group] = true;
                unseen -= 1;
            }
            if unseen == 0 {
                ControlFlow::Break(())
            } else {
                ControlFlow::Continue(())
            }
        });
        unseen == 0
    }

    /// Returns `has_any_index(haystack, values)`: the lowest list index whose value occurs as whole
    /// terms, ASCII case-insensitively. `None` where Kusto returns -1.
    ///
    /// ```
    /// use iocmatch::kql::KqlList;
    ///
    /// let list = KqlList::new(["not", "example", "this"])?;
    /// assert_eq!(list.has_any_index("this is an example"), Some(1));
    /// assert_eq!(list.has_any_index("nothing"), None);
    /// # Ok::<(), iocmatch::kql::KqlError>(())
    /// ```
    pub fn has_any_index(&self, haystack: &str) -> Option<usize> {
        let mut lowest: Option<usize> = None;
        self.for_each_match(haystack, Case::Insensitive, Edges::BOTH, |_, index, _| {
            if lowest.is_none_or(|low| index < low) {
                lowest = Some(index);
            }
            if index == 0 {
                ControlFlow::Break(())
            } else {
                ControlFlow::Continue(())
            }
        });
        lowest
    }

    /// Returns whether `haystack in~ (values)`: the whole haystack equals some value up to ASCII
    /// case.
    ///
    /// ```
    /// use iocmatch::kql::KqlList;
    ///
    /// let list = KqlList::new(["Demale.shop", "evil.com "])?;
    /// assert!(list.in_ci("DEMALE.SHOP"));
    /// assert!(!list.in_ci("www.demale.shop"));
    /// assert!(!list.in_ci("evil.com")); // the value's trailing space is significant
    /// # Ok::<(), iocmatch::kql::KqlError>(())
    /// ```
    pub fn in_ci(&self, haystack: &str) -> bool {
        self.find_equal(haystack).is_some()
    }

    /// Finds the first `has_any` match: the leftmost in the haystack, and among matches starting
    /// at the same byte, the one with the lowest list index.
    ///
    /// ```
    /// use iocmatch::kql::KqlList;
    ///
    /// let list = KqlList::new(["shop", "demale.shop"])?;
    /// let found = list.find("xdemale.shop").unwrap();
    /// assert_eq!((found.index(), found.span()), (0, 8..12));
    /// # Ok::<(), iocmatch::kql::KqlError>(())
    /// ```
    pub fn find(&self, haystack: &str) -> Option<KqlMatch> {
        self.find_first(haystack, Case::Insensitive, Edges::BOTH)
    }

    /// Returns whether any value occurs in `haystack` under `case` and `edges`.
    pub(crate) fn any_match(&self, haystack: &str, case: Case, edges: Edges) -> bool {
        let mut found = false;
        self.for_each_match(haystack, case, edges, |_, _, _| {
            found = true;
            ControlFlow::Break(())
        });
        found
    }

    /// Finds the leftmost match under `case` and `edges`, breaking ties by lowest list index.
    pub(crate) fn find_first(&self, haystack: &str, case: Case, edges: Edges) -> Option<KqlMatch> {
        // Matches arrive in order of their end offset. A match starts at least
        // `max_pattern_len` bytes before its end, so once an end passes the best start by more
        // than that, no later match can start at or before the best one.
        let max_len = self.automaton.max_pattern_len();
        let mut best: Option<KqlMatch> = None;
        self.for_each_match(haystack, case, edges, |_, index, span| {
            if let Some(current) = &best {
                if span.end > current.span.start + max_len {
                    return ControlFlow::Break(());
                }
                let earlier = (span.start, index) < (current.span.start, current.index);
                if !earlier {
                    return ControlFlow::Continue(());
                }
            }
            best = Some(KqlMatch { index, span });
            ControlFlow::Continue(())
        });
        best
    }

    /// Finds the value equal to the whole haystack up to ASCII case, with the lowest list index.
    pub(crate) fn find_equal(&self, haystack: &str) -> Option<KqlMatch> {
        let folded: Cow<'_, str> = if haystack.bytes().any(|b| b.is_ascii_uppercase()) {
            Cow::Owned(haystack.to_ascii_lowercase())
        } else {
            Cow::Borrowed(haystack)
        };
        let group = *self.group_by_folded.get(folded.as_ref())?;
        Some(KqlMatch {
            index: self.groups[group].indices[0],
            span: 0..haystack.len(),
        })
    }

    /// Calls `visit(group, list_index, span)` for each occurrence of a value that satisfies `case`
    /// and `edges`, in order of end offset, until `visit` breaks.
    ///
    /// With [`Case::Sensitive`] the list index is the lowest one in the group whose value equals
    /// the haystack bytes exactly, and an occurrence that equals no value exactly is skipped.
    fn for_each_match<F>(&self, haystack: &str, case: Case, edges: Edges, mut visit: F)
    where
        F: FnMut(usize, usize, Range<usize>) -> ControlFlow<()>,
    {
        if self.groups.is_empty() {
            return;
        }
        // `find_overlapping_iter` panics only for non-Standard match kinds and anchored
        // searches. The automaton is built with MatchKind::Standard and searched unanchored.
        for candidate in self.automaton.find_overlapping_iter(haystack) {
            let group_number = candidate.pattern().as_usize();
            let group = &self.groups[group_number];
            let span = candidate.span().range();
            let starts = group.starts_with_term;
            let ends = group.ends_with_term;
            if !self
                .term_chars
                .edges_hold(haystack, &span, starts, ends, edges)
            {
                continue;
            }
            let index = match case {
                Case::Insensitive => group.indices[0],
                Case::Sensitive => {
                    let text = &haystack.as_bytes()[span.clone()];
                    let exact = group
                        .indices
                        .iter()
                        .find(|&&i| self.values[i].as_bytes() == text);
                    match exact {
                        Some(&index) => index,
                        None => continue,
                    }
                }
            };
            if visit(group_number, index, span).is_break() {
                return;
            }
        }
    }
}
