//! Properties comparing every KQL operator with the naive reference over generated haystacks.
//!
//! Haystacks are built from the list's own values (with ASCII case flipped at random) and from
//! fragments that sit next to them: other terms, dots, hyphens, underscores, digits, non-ASCII
//! letters and URL punctuation. That makes overlapping, adjacent and edge-failing occurrences
//! common.

mod common;

use common::naive_kql;
use iocmatch::kql::{self, KqlList, KqlOperator, TermChars, evaluate, evaluate_multi};
use proptest::prelude::*;

const FRAGMENTS: &[&str] = &[
    "demale", "DEMALE", "shop", "Shop", "evil", "com", "x", "a", "B", "ba", "Explorer", "backup",
    "www", "xn--", "0", "42", "é", "É", "ß", "Д", "д", "中", "①", ".", ".", "-", "_", ":", "/",
    "?", "=", "&", "@", "%", " ", "#", "://",
];

fn fragment() -> impl Strategy<Value = String> {
    proptest::sample::select(FRAGMENTS).prop_map(str::to_string)
}

/// Generates a non-blank value made of one to three fragments.
fn value() -> impl Strategy<Value = String> {
    prop::collection::vec(fragment(), 1..=3)
        .prop_map(|parts| parts.concat())
        .prop_filter("blank values are build errors", |v| !v.trim().is_empty())
}

/// Flips the ASCII case of the characters selected by `mask`.
fn flip_case(text: &str, mask: u8) -> String {
    text.chars()
        .enumerate()
        .map(|(i, c)| {
            let flip = mask & (1 << (i % 8)) != 0;
            match (flip, c.is_ascii_lowercase()) {
                (false, _) => c,
                (true, true) => c.to_ascii_uppercase(),
                (true, false) => c.to_ascii_lowercase(),
            }
        })
        .collect()
}

/// Generates a haystack mixing fragments with case-flipped copies of the list's values.
fn haystack(values: Vec<String>) -> impl Strategy<Value = String> {
    let value_count = values.len();
    let piece = prop_oneof![
        2 => fragment(),
        3 => (0..value_count.max(1), any::<u8>(), any::<bool>()).prop_map(move |(i, mask, keep)| {
            match values.get(i) {
                Some(value) if keep => value.clone(),
                Some(value) => flip_case(value, mask),
                None => String::new(),
            }
        }),
    ];
    prop::collection::vec(piece, 0..8).prop_map(|pieces| pieces.concat())
}

/// Generates a value list (0 to 5 values, plus an upper-cased copy of the first) with one to three
/// haystacks built from it, and whether terms are ASCII-only.
fn case() -> impl Strategy<Value = (Vec<String>, Vec<String>, bool)> {
    prop::collection::vec(value(), 0..=5).prop_flat_map(|values| {
        let mut with_duplicates = values.clone();
        if let Some(first) = values.first() {
            with_duplicates.push(first.to_ascii_uppercase());
        }
        let haystacks = prop::collection::vec(haystack(with_duplicates.clone()), 1..=3);
        (Just(with_duplicates), haystacks, any::<bool>())
    })
}

fn build(values: &[String], ascii_only: bool) -> KqlList {
    let term_chars = if ascii_only {
        TermChars::Ascii
    } else {
        TermChars::Unicode
    };
    KqlList::builder()
        .term_chars(term_chars)
        .build(values.iter().cloned())
        .unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1024))]

    #[test]
    fn every_operator_matches_reference((values, haystacks, ascii_only) in case()) {
        let list = build(&values, ascii_only);
        for haystack in &haystacks {
            for operator in KqlOperator::ALL {
                let expected = naive_kql::evaluate(operator, &values, haystack, ascii_only);
                let actual = evaluate(operator, &list, haystack);
                prop_assert_eq!(actual, expected, "{:?} {} {:?}", haystack, operator, values);
            }
        }
    }

    #[test]
    fn find_with_matches_reference((values, haystacks, ascii_only) in case()) {
        let list = build(&values, ascii_only);
        for haystack in &haystacks {
            for operator in KqlOperator::ALL {
                let expected = naive_kql::find(operator, &values, haystack, ascii_only)
                    .map(|m| (m.index, m.start..m.end));
                let actual = list.find_with(operator, haystack).map(|m| (m.index(), m.span()));
                prop_assert_eq!(actual, expected, "{:?} {} {:?}", haystack, operator, values);
            }
            let expected = naive_kql::find(KqlOperator::HasAny, &values, haystack, ascii_only)
                .map(|m| (m.index, m.start..m.end));
            let actual = list.find(haystack).map(|m| (m.index(), m.span()));
            prop_assert_eq!(actual, expected, "find {:?} {:?}", haystack, values);
        }
    }

    #[test]
    fn list_methods_match_reference((values, haystacks, ascii_only) in case()) {
        let list = build(&values, ascii_only);
        for haystack in &haystacks {
            let index = naive_kql::has_any_index(&values, haystack, ascii_only);
            prop_assert_eq!(list.has_any_index(haystack), index, "{:?} {:?}", haystack, values);
            let any = naive_kql::evaluate(KqlOperator::HasAny, &values, haystack, ascii_only);
            prop_assert_eq!(list.has_any(haystack), any);
            let all = naive_kql::evaluate(KqlOperator::HasAll, &values, haystack, ascii_only);
            prop_assert_eq!(list.has_all(haystack), all);
            let in_ci = naive_kql::evaluate(KqlOperator::InCi, &values, haystack, ascii_only);
            prop_assert_eq!(list.in_ci(haystack), in_ci);
        }
    }

    #[test]
    fn multi_valued_matches_reference((values, haystacks, ascii_only) in case()) {
        let list = build(&values, ascii_only);
        for operator in KqlOperator::ALL {
            let expected = naive_kql::evaluate_multi(operator, &values, &haystacks, ascii_only);
            let actual = evaluate_multi(operator, &list, &haystacks);
            prop_assert_eq!(actual, expected, "{:?} {} {:?}", haystacks, operator, values);
        }
    }

    #[test]
    fn single_value_functions_match_reference((values, haystacks, ascii_only) in case()) {
        let terms = if ascii_only { TermChars::Ascii } else { TermChars::Unicode };
        for haystack in &haystacks {
            for value in &values {
                let single = std::slice::from_ref(value);
                let naive = |op| naive_kql::evaluate(op, single, haystack, ascii_only);
                let case = format!("{haystack:?} {value:?}");
                let checks = [
                    ("has", terms.has(haystack, value), KqlOperator::Has),
                    ("has_cs", terms.has_cs(haystack, value), KqlOperator::HasCs),
                    ("hasprefix", terms.hasprefix(haystack, value), KqlOperator::HasPrefix),
                    ("hasprefix_cs", terms.hasprefix_cs(haystack, value), KqlOperator::HasPrefixCs),
                    ("hassuffix", terms.hassuffix(haystack, value), KqlOperator::HasSuffix),
                    ("hassuffix_cs", terms.hassuffix_cs(haystack, value), KqlOperator::HasSuffixCs),
                    ("equals_ci", kql::equals_ci(haystack, value), KqlOperator::EqualsCi),
                ];
                for (name, actual, operator) in checks {
                    prop_assert_eq!(actual, naive(operator), "{} {}", name, case);
                }
            }
        }
    }

    #[test]
    fn single_value_functions_any_text(haystack in "\\PC{0,12}", value in "\\PC{0,4}") {
        let single = [value.clone()];
        for (terms, ascii_only) in [(TermChars::Unicode, false), (TermChars::Ascii, true)] {
            let naive = |op| naive_kql::evaluate(op, &single, &haystack, ascii_only);
            prop_assert_eq!(terms.has(&haystack, &value), naive(KqlOperator::Has));
            prop_assert_eq!(terms.hasprefix(&haystack, &value), naive(KqlOperator::HasPrefix));
            prop_assert_eq!(terms.hassuffix(&haystack, &value), naive(KqlOperator::HasSuffix));
            prop_assert_eq!(terms.has_cs(&haystack, &value), naive(KqlOperator::HasCs));
        }
    }

    #[test]
    fn list_any_text_matches_reference(
        values in prop::collection::vec("\\PC{1,4}", 0..4),
        haystack in "\\PC{0,16}",
        ascii_only in any::<bool>(),
    ) {
        let values: Vec<String> = values.into_iter().filter(|v| !v.trim().is_empty()).collect();
        let list = build(&values, ascii_only);
        for operator in KqlOperator::ALL {
            let expected = naive_kql::find(operator, &values, &haystack, ascii_only)
                .map(|m| (m.index, m.start..m.end));
            let actual = list.find_with(operator, &haystack).map(|m| (m.index(), m.span()));
            prop_assert_eq!(actual, expected, "{:?} {} {:?}", haystack, operator, values);
            let evaluated = naive_kql::evaluate(operator, &values, &haystack, ascii_only);
            prop_assert_eq!(evaluate(operator, &list, &haystack), evaluated);
        }
    }
}
