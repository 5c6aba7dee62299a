//! Every lookup and scan API against the naive oracle, over generated sets, names and text.

mod common;

use common::naive::NaiveSet;
use iocmatch::{IndicatorSet, ScanEngine, SetBuilder, normalize_indicator};
use proptest::prelude::*;

/// Labels that share bytes but not label boundaries (`gan` inside `michigan`), plus hyphens,
/// digits and underscores.
fn label() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => prop::sample::select(vec![
            "evil", "gan", "michigan", "a", "b", "x-y", "_dmarc", "1", "com", "example", "shop",
            "demale", "-x", "y-",
        ])
        .prop_map(str::to_owned),
        1 => "[a-z0-9_-]{1,4}",
    ]
}

fn domain(max_labels: usize) -> impl Strategy<Value = String> {
    prop::collection::vec(label(), 1..=max_labels).prop_map(|labels| labels.join("."))
}

fn indicator() -> impl Strategy<Value = String> {
    (domain(3), prop::bool::weighted(0.15)).prop_map(|(domain, wildcard)| {
        if wildcard {
            format!("*.{domain}")
        } else {
            domain
        }
    })
}

/// Generates a log name: labels in mixed case, sometimes a root dot, sometimes an empty label.
fn name() -> impl Strategy<Value = String> {
    (domain(5), any::<u64>(), 0..4u8).prop_map(|(name, case_bits, decoration)| {
        let mut name: String = name
            .chars()
            .enumerate()
            .map(|(i, c)| {
                if case_bits >> (i % 64) & 1 == 1 {
                    c.to_ascii_uppercase()
                } else {
                    c
                }
            })
            .collect();
        match decoration {
            1 => name.push('.'),
            2 => name.insert_str(0, "x.."),
            _ => {}
        }
        name
    })
}

fn haystack() -> impl Strategy<Value = Vec<u8>> {
    let piece = prop_oneof![
        3 => name().prop_map(String::into_bytes),
        2 => prop::sample::select(vec![
            " ", "/", ":", "@", ".", "..", "-", "_", "x", "é", "\"", "\\", "https://", ":443/",
        ])
        .prop_map(|s| s.as_bytes().to_vec()),
        1 => prop::collection::vec(any::<u8>(), 1..3),
    ];
    prop::collection::vec(piece, 0..8).prop_map(|pieces| pieces.concat())
}

fn build(indicators: &[String], exact_only: bool, engine: ScanEngine) -> (IndicatorSet, NaiveSet) {
    let mut builder = SetBuilder::new();
    for indicator in indicators {
        builder.push(indicator);
    }
    builder.exact_only(exact_only).scan_engine(engine);
    let built = builder.build_lenient();
    let patterns: Vec<String> = indicators
        .iter()
        .filter_map(|i| normalize_indicator(i).ok())
        .map(|n| n.to_pattern())
        .collect();
    assert_eq!(
        built.rejected.len() + patterns.len(),
        indicators.len(),
        "accepted plus rejected must account for every indicator"
    );
    let oracle = NaiveSet::new(patterns.iter().map(String::as_str), exact_only);
    (built.set, oracle)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn lookup_equals_oracle(
        indicators in prop::collection::vec(indicator(), 0..12),
        names in prop::collection::vec(name(), 1..12),
        exact_only in any::<bool>(),
    ) {
        let (set, oracle) = build(&indicators, exact_only, ScanEngine::Auto);
        for name in &names {
            let expected = oracle.covering(name);
            let found: Vec<(String, usize)> = set
                .find_iter(name)
                .map(|hit| (hit.indicator().to_owned(), hit.span().start))
                .collect();
            prop_assert_eq!(&found, &expected, "find_iter, name {:?}", name);
            prop_assert_eq!(set.is_match(name), !expected.is_empty(), "is_match, name {:?}", name);
            let most_specific = set.find(name).map(|hit| hit.indicator().to_owned());
            prop_assert_eq!(most_specific, expected.last().map(|(p, _)| p.clone()), "find, name {:?}", name);
        }
    }

    #[test]
    fn indicators_match_themselves(indicators in prop::collection::vec(indicator(), 1..12)) {
        let (set, _) = build(&indicators, false, ScanEngine::Auto);
        for indicator in &indicators {
            let Ok(normalized) = normalize_indicator(indicator) else { continue };
            let name = if normalized.is_wildcard() {
                format!("sub.{}", normalized.domain())
            } else {
                normalized.domain().to_owned()
            };
            prop_assert!(set.is_match(&name), "indicator {:?} misses {:?}", indicator, name);
        }
    }

    #[test]
    fn scan_equals_oracle(
        indicators in prop::collection::vec(indicator(), 0..10),
        haystack in haystack(),
        exact_only in any::<bool>(),
    ) {
        for engine in [ScanEngine::Tokens, ScanEngine::Automaton] {
            let (set, oracle) = build(&indicators, exact_only, engine);
            let mut found: Vec<(String, usize, usize)> = set
                .scan(&haystack)
                .map(|hit| (hit.indicator().to_owned(), hit.span().start, hit.span().end))
                .collect();
            let starts: Vec<usize> = found.iter().map(|m| m.1).collect();
            prop_assert!(starts.windows(2).all(|w| w[0] <= w[1]), "scan order {:?}", starts);
            found.sort();
            prop_assert_eq!(&found, &oracle.scan(&haystack), "engine {:?}", engine);
            prop_assert_eq!(&found, &oracle.scan_by_position(&haystack), "engine {:?}", engine);
            prop_assert_eq!(set.is_match_text(&haystack), !found.is_empty());
        }
    }

    #[test]
    fn normalize_is_idempotent(value in "\\PC{0,40}") {
        if let Ok(once) = normalize_indicator(&value) {
            let twice = normalize_indicator(&once.to_pattern()).expect("normalized output is valid");
            prop_assert_eq!(twice.to_pattern(), once.to_pattern());
            prop_assert!(iocmatch::prepare_name(once.domain()).is_ok());
        }
    }
}
