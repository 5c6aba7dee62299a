//! Indicator sets and KQL lists against their naive oracles.
//!
//! A small indicator list, lookup names and a haystack, all built from a vocabulary of labels and
//! separators, go through a lenient `SetBuilder` with each scan engine and with exact-only on
//! and off. `find_iter`, `find`, `is_match`, `scan` and `is_match_text` must equal the oracle in
//! `tests/common/naive.rs`; accepted plus rejected records must equal the records pushed; and the
//! set loaded from `to_bytes` must answer the same. The same values then build a `KqlList`,
//! and every `KqlOperator` through `evaluate` and `find_with` must equal
//! `tests/common/naive_kql.rs`.

#![no_main]

#[allow(dead_code)]
#[path = "../../tests/common/naive.rs"]
mod naive;
#[allow(dead_code)]
#[path = "../../tests/common/naive_kql.rs"]
mod naive_kql;

use arbitrary::Arbitrary;
use iocmatch::kql::{KqlList, KqlOperator, TermChars, evaluate};
use iocmatch::{IndicatorSet, ScanEngine, SetBuilder, normalize_indicator};
use iocmatch_fuzz::{DomainText, flip_case};
use libfuzzer_sys::fuzz_target;
use naive::NaiveSet;

#[derive(Arbitrary, Debug)]
struct Input {
    indicators: Vec<DomainText>,
    names: Vec<Name>,
    haystack: Vec<HaystackPart>,
    exact_only: bool,
    round_trip: bool,
    kql_haystacks: Vec<Vec<KqlPart>>,
}

/// A lookup name: text around an accepted indicator's domain, or free text.
#[derive(Arbitrary, Debug)]
struct Name {
    prefix: DomainText,
    indicator: Option<(u8, u8)>,
    suffix: DomainText,
}

#[derive(Arbitrary, Debug)]
enum HaystackPart {
    Text(DomainText),
    /// An accepted indicator's domain with its case flipped by the mask.
    Indicator(u8, u8),
    Byte(u8),
}

#[derive(Arbitrary, Debug)]
enum KqlPart {
    Text(DomainText),
    /// A list value with its case flipped by the mask.
    Value(u8, u8),
}

/// Caps on the generated lists, so each run stays fast: the oracles are quadratic.
const MAX_INDICATORS: usize = 12;
const MAX_NAMES: usize = 12;
const MAX_HAYSTACK_PARTS: usize = 48;
const MAX_KQL_HAYSTACKS: usize = 4;

fuzz_target!(|input: Input| {
    let mut input = input;
    input.indicators.truncate(MAX_INDICATORS);
    input.names.truncate(MAX_NAMES);
    input.haystack.truncate(MAX_HAYSTACK_PARTS);
    input.kql_haystacks.truncate(MAX_KQL_HAYSTACKS);
    for parts in &mut input.kql_haystacks {
        parts.truncate(MAX_HAYSTACK_PARTS);
    }
    let values: Vec<String> = input.indicators.iter().map(DomainText::render).collect();
    check_sets(&values, &input);
    check_kql(&values, &input.kql_haystacks);
});

/// Builds the sets and the oracle, and checks every lookup and scan.
fn check_sets(values: &[String], input: &Input) {
    let patterns: Vec<String> = values
        .iter()
        .filter_map(|value| normalize_indicator(value).ok())
        .map(|normalized| normalized.to_pattern())
        .collect();
    let domains: Vec<String> = patterns
        .iter()
        .map(|pattern| pattern.strip_prefix("*.").unwrap_or(pattern).to_owned())
        .collect();
    let names: Vec<String> = input
        .names
        .iter()
        .map(|name| render_name(name, &domains))
        .collect();
    let haystack = render_haystack(&input.haystack, &domains);

    for engine in [ScanEngine::Tokens, ScanEngine::Automaton, ScanEngine::Auto] {
        let mut builder = SetBuilder::new();
        for value in values {
            builder.push(value);
        }
        builder.exact_only(input.exact_only).scan_engine(engine);
        let built = builder.build_lenient();
        assert_eq!(
            built.rejected.len() + built.set.record_count(),
            values.len(),
            "accepted plus rejected must equal the records pushed"
        );
        assert_eq!(built.set.record_count(), patterns.len());
        let oracle = NaiveSet::new(patterns.iter().map(String::as_str), input.exact_only);
        check_set(&built.set, &oracle, &names, &haystack);

        // Serializing and loading each build an FST, whose builder takes milliseconds to set
        // up under coverage instrumentation, so only inputs that ask for it make the round
        // trip, with one engine. The `bundle_load` target checks that loaded bytes serialize
        // back unchanged.
        if !input.round_trip || engine != ScanEngine::Tokens {
            continue;
        }
        let bytes = built.set.to_bytes();
        let loaded = IndicatorSet::from_bytes(&bytes)
            .unwrap_or_else(|error| panic!("a set's own bytes fail to load: {error}"));
        assert_eq!(loaded.len(), built.set.len());
        assert_eq!(loaded.record_count(), built.set.record_count());
        assert_eq!(loaded.is_exact_only(), input.exact_only);
        check_set(&loaded, &oracle, &names, &haystack);
    }
}

fn check_set(set: &IndicatorSet, oracle: &NaiveSet, names: &[String], haystack: &[u8]) {
    for name in names {
        check_lookup(set, oracle, name);
    }

    let mut found: Vec<(String, usize, usize)> = set
        .scan(haystack)
        .map(|hit| (hit.indicator().to_owned(), hit.span().start, hit.span().end))
        .collect();
    assert!(
        found.windows(2).all(|pair| pair[0].1 <= pair[1].1),
        "scan out of order: {found:?}"
    );
    found.sort();
    assert_eq!(found, oracle.scan(haystack), "scan of {haystack:?}");
    assert_eq!(
        found,
        oracle.scan_by_position(haystack),
        "scan of {haystack:?}"
    );
    assert_eq!(set.is_match_text(haystack), !found.is_empty());
}

fn check_lookup(set: &IndicatorSet, oracle: &NaiveSet, name: &str) {
    let hits: Vec<_> = set.find_iter(name).collect();
    let found: Vec<String> = hits.iter().map(|hit| hit.indicator().to_owned()).collect();
    assert_eq!(set.is_match(name), !hits.is_empty(), "is_match {name:?}");
    assert_eq!(
        set.find(name).map(|hit| hit.indicator().to_owned()),
        found.last().cloned(),
        "find {name:?}"
    );

    if name.is_ascii() {
        let stripped = name.strip_suffix('.').unwrap_or(name);
        let expected = oracle.covering(name);
        let found: Vec<(String, usize)> = hits
            .iter()
            .map(|hit| (hit.indicator().to_owned(), hit.span().start))
            .collect();
        assert_eq!(found, expected, "find_iter {name:?}");
        for hit in &hits {
            assert_eq!(hit.span().end, stripped.len(), "span end, name {name:?}");
        }
        return;
    }

    // A non-ASCII name is looked up in its UTS #46 form without one root dot; the oracle sees
    // that form with a dot appended, which it strips.
    let expected: Vec<String> =
        match idna::domain_to_ascii_cow(name.as_bytes(), idna::AsciiDenyList::EMPTY) {
            Ok(mapped) => {
                let mapped = mapped.strip_suffix('.').unwrap_or(&mapped);
                oracle
                    .covering(&format!("{mapped}."))
                    .into_iter()
                    .map(|(pattern, _)| pattern)
                    .collect()
            }
            Err(_) => Vec::new(),
        };
    assert_eq!(found, expected, "find_iter of the non-ASCII name {name:?}");

    // Each span covers the labels of the hit's domain in the name as given.
    for hit in &hits {
        let span = hit.span();
        let covered = name
            .get(span.clone())
            .unwrap_or_else(|| panic!("span {span:?} is not a slice of {name:?}"));
        let mapped = idna::domain_to_ascii_cow(covered.as_bytes(), idna::AsciiDenyList::EMPTY)
            .unwrap_or_else(|_| panic!("span {span:?} of {name:?} does not map"));
        let mapped = mapped.strip_suffix('.').unwrap_or(&mapped);
        assert_eq!(
            mapped,
            hit.domain(),
            "span {span:?} of {name:?} covers {covered:?}"
        );
    }
}

fn render_name(name: &Name, domains: &[String]) -> String {
    let mut text = name.prefix.render();
    if let Some((index, mask)) = name.indicator {
        if !domains.is_empty() {
            text.push_str(&flip_case(
                &domains[usize::from(index) % domains.len()],
                mask,
            ));
        }
    }
    text.push_str(&name.suffix.render());
    text
}

fn render_haystack(parts: &[HaystackPart], domains: &[String]) -> Vec<u8> {
    let mut haystack = Vec::new();
    for part in parts {
        match part {
            HaystackPart::Text(text) => haystack.extend_from_slice(text.render().as_bytes()),
            HaystackPart::Indicator(index, mask) if !domains.is_empty() => {
                let domain = &domains[usize::from(*index) % domains.len()];
                haystack.extend_from_slice(flip_case(domain, *mask).as_bytes());
            }
            HaystackPart::Indicator(..) => {}
            HaystackPart::Byte(byte) => haystack.push(*byte),
        }
    }
    haystack
}

/// Builds KQL lists from the raw values (Unicode and ASCII term characters) and compares every
/// operator with the naive reference.
fn check_kql(values: &[String], haystacks: &[Vec<KqlPart>]) {
    let haystacks: Vec<String> = haystacks
        .iter()
        .map(|parts| render_kql_haystack(parts, values))
        .collect();
    for ascii_only in [false, true] {
        let term_chars = if ascii_only {
            TermChars::Ascii
        } else {
            TermChars::Unicode
        };
        let list = match KqlList::builder().term_chars(term_chars).build(values) {
            Ok(list) => list,
            Err(error) => {
                assert!(
                    values.iter().any(|value| naive_kql::is_blank(value)),
                    "list {values:?} rejected without a blank value: {error}"
                );
                continue;
            }
        };
        if !ascii_only {
            let default = KqlList::new(values).expect("the same values built with the builder");
            assert_eq!(default.values(), list.values());
        }
        for haystack in &haystacks {
            for operator in KqlOperator::ALL {
                let expected = naive_kql::evaluate(operator, values, haystack, ascii_only);
                assert_eq!(
                    evaluate(operator, &list, haystack),
                    expected,
                    "{haystack:?} {operator} {values:?}, ascii {ascii_only}"
                );
                let expected = naive_kql::find(operator, values, haystack, ascii_only)
                    .map(|found| (found.index, found.start..found.end));
                let found = list
                    .find_with(operator, haystack)
                    .map(|found| (found.index(), found.span()));
                assert_eq!(
                    found, expected,
                    "find_with {haystack:?} {operator} {values:?}, ascii {ascii_only}"
                );
            }
            assert_eq!(
                list.has_any_index(haystack),
                naive_kql::has_any_index(values, haystack, ascii_only),
                "has_any_index {haystack:?} {values:?}"
            );
        }
    }
}

fn render_kql_haystack(parts: &[KqlPart], values: &[String]) -> String {
    let mut haystack = String::new();
    for part in parts {
        match part {
            KqlPart::Text(text) => haystack.push_str(&text.render()),
            KqlPart::Value(index, mask) if !values.is_empty() => {
                haystack.push_str(&flip_case(pick_value(values, *index), *mask));
            }
            KqlPart::Value(..) => {}
        }
    }
    haystack
}

fn pick_value(values: &[String], index: u8) -> &str {
    &values[usize::from(index) % values.len()]
}
