//! Deliberately naive reference for Kusto term matching.
//!
//! It tries every character position of the haystack, compares characters (not bytes), and checks
//! the term rule directly. It shares no matching code with the library, so the property and
//! real-data tests can compare the two.

use iocmatch::kql::KqlOperator;

/// A match found by the reference: list index and byte span in the haystack.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NaiveMatch {
    pub index: usize,
    pub start: usize,
    pub end: usize,
}

/// Returns whether `c` is a term character: alphanumeric, in Unicode or ASCII only.
pub fn is_term(c: char, ascii_only: bool) -> bool {
    if ascii_only {
        c.is_ascii_alphanumeric()
    } else {
        c.is_alphanumeric()
    }
}

/// Returns whether a value is empty or whitespace-only, which never matches.
pub fn is_blank(value: &str) -> bool {
    value.trim().is_empty()
}

/// Lower-cases ASCII letters only, character by character.
fn fold(text: &str, case_insensitive: bool) -> Vec<char> {
    text.chars()
        .map(|c| {
            if case_insensitive {
                c.to_ascii_lowercase()
            } else {
                c
            }
        })
        .collect()
}

/// Converts a character index of `text` to a byte offset.
fn byte_offset(text: &str, char_index: usize) -> usize {
    match text.char_indices().nth(char_index) {
        Some((offset, _)) => offset,
        None => text.len(),
    }
}

/// Returns the byte span of every occurrence of `value` in `haystack` that passes the term rule.
///
/// The left edge is checked when `check_left` is set and the value starts with a term character.
/// The right edge is checked when `check_right` is set and the value ends with one.
pub fn occurrences(
    haystack: &str,
    value: &str,
    case_insensitive: bool,
    check_left: bool,
    check_right: bool,
    ascii_only: bool,
) -> Vec<(usize, usize)> {
    if is_blank(value) {
        return Vec::new();
    }
    let h = fold(haystack, case_insensitive);
    let v = fold(value, case_insensitive);
    let value_starts_with_term = is_term(v[0], ascii_only);
    let value_ends_with_term = is_term(v[v.len() - 1], ascii_only);

    let mut found = Vec::new();
    for i in 0..h.len() {
        let j = i + v.len();
        if j > h.len() {
            break;
        }
        if h[i..j] != v[..] {
            continue;
        }
        if check_left && value_starts_with_term && i > 0 && is_term(h[i - 1], ascii_only) {
            continue;
        }
        if check_right && value_ends_with_term && j < h.len() && is_term(h[j], ascii_only) {
            continue;
        }
        found.push((byte_offset(haystack, i), byte_offset(haystack, j)));
    }
    found
}

/// How the reference reads an operator: whether it folds case, which edges it checks, whether it
/// compares whole values, and whether it is negated.
struct Reading {
    case_insensitive: bool,
    check_left: bool,
    check_right: bool,
    all_values: bool,
    whole_value: bool,
    negated: bool,
}

fn read(operator: KqlOperator) -> Reading {
    use KqlOperator::*;
    let terms = |case_insensitive, check_left, check_right, negated| Reading {
        case_insensitive,
        check_left,
        check_right,
        all_values: false,
        whole_value: false,
        negated,
    };
    match operator {
        Has | HasAny => terms(true, true, true, false),
        NotHas => terms(true, true, true, true),
        HasCs => terms(false, true, true, false),
        NotHasCs => terms(false, true, true, true),
        HasAll => Reading {
            all_values: true,
            ..terms(true, true, true, false)
        },
        HasPrefix => terms(true, true, false, false),
        NotHasPrefix => terms(true, true, false, true),
        HasPrefixCs => terms(false, true, false, false),
        NotHasPrefixCs => terms(false, true, false, true),
        HasSuffix => terms(true, false, true, false),
        NotHasSuffix => terms(true, false, true, true),
        HasSuffixCs => terms(false, false, true, false),
        NotHasSuffixCs => terms(false, false, true, true),
        InCi | EqualsCi => Reading {
            whole_value: true,
            ..terms(true, false, false, false)
        },
        NotInCi | NotEqualsCi => Reading {
            whole_value: true,
            ..terms(true, false, false, true)
        },
    }
}

/// Returns every match of every value, ordered by start and then list index.
fn all_matches(
    reading: &Reading,
    values: &[String],
    haystack: &str,
    ascii_only: bool,
) -> Vec<NaiveMatch> {
    let mut matches = Vec::new();
    for (index, value) in values.iter().enumerate() {
        if reading.whole_value {
            let equal = fold(haystack, true) == fold(value, true);
            if equal && !is_blank(value) {
                matches.push(NaiveMatch {
                    index,
                    start: 0,
                    end: haystack.len(),
                });
            }
            continue;
        }
        let spans = occurrences(
            haystack,
            value,
            reading.case_insensitive,
            reading.check_left,
            reading.check_right,
            ascii_only,
        );
        for (start, end) in spans {
            matches.push(NaiveMatch { index, start, end });
        }
    }
    matches.sort_by_key(|m| (m.start, m.index));
    matches
}

/// Returns whether the positive form of `operator` holds.
fn positive_holds(reading: &Reading, values: &[String], haystack: &str, ascii_only: bool) -> bool {
    let matches = all_matches(reading, values, haystack, ascii_only);
    if reading.all_values {
        let every_value_found =
            (0..values.len()).all(|index| matches.iter().any(|m| m.index == index));
        !values.is_empty() && every_value_found
    } else {
        !matches.is_empty()
    }
}

/// Evaluates `haystack <operator> (values)`.
pub fn evaluate(
    operator: KqlOperator,
    values: &[String],
    haystack: &str,
    ascii_only: bool,
) -> bool {
    let reading = read(operator);
    positive_holds(&reading, values, haystack, ascii_only) != reading.negated
}

/// Evaluates `operator` over a multi-valued haystack: the positive form holds for some element,
/// negated when the operator is.
pub fn evaluate_multi(
    operator: KqlOperator,
    values: &[String],
    haystacks: &[String],
    ascii_only: bool,
) -> bool {
    let reading = read(operator);
    let any = haystacks
        .iter()
        .any(|h| positive_holds(&reading, values, h, ascii_only));
    any != reading.negated
}

/// Finds the match that decides the positive form of `operator`: the first by start, then by list
/// index. For `has_all` only when every value matched.
pub fn find(
    operator: KqlOperator,
    values: &[String],
    haystack: &str,
    ascii_only: bool,
) -> Option<NaiveMatch> {
    let reading = read(operator);
    if reading.all_values && !positive_holds(&reading, values, haystack, ascii_only) {
        return None;
    }
    all_matches(&reading, values, haystack, ascii_only)
        .into_iter()
        .next()
}

/// Returns the lowest list index whose value `has` a match, as Kusto's `has_any_index`.
pub fn has_any_index(values: &[String], haystack: &str, ascii_only: bool) -> Option<usize> {
    let reading = read(KqlOperator::HasAny);
    all_matches(&reading, values, haystack, ascii_only)
        .into_iter()
        .map(|m| m.index)
        .min()
}
