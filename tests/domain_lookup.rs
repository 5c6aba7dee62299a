//! Domain mode and text scan: the same tables run against the compiled set and the naive oracle.

mod common;

use common::naive::NaiveSet;
use iocmatch::{IndicatorRecord, IndicatorSet, Metadata, ScanEngine, SetBuilder};

fn build(patterns: &[&str], exact_only: bool, engine: ScanEngine) -> IndicatorSet {
    let mut builder = SetBuilder::new();
    for pattern in patterns {
        builder.push(pattern);
    }
    builder.exact_only(exact_only).scan_engine(engine);
    builder.build().unwrap()
}

/// Checks one name against every engine: set lookup, text scan of the bare name, and the oracle.
fn check_lookup(patterns: &[&str], exact_only: bool, name: &str, expected: bool) {
    let oracle = NaiveSet::new(patterns.iter().copied(), exact_only);
    assert_eq!(
        !oracle.covering(name).is_empty(),
        expected,
        "oracle, name {name:?}"
    );
    for engine in [ScanEngine::Tokens, ScanEngine::Automaton] {
        let set = build(patterns, exact_only, engine);
        assert_eq!(set.is_match(name), expected, "set lookup, name {name:?}");
        assert_eq!(
            set.find(name).is_some(),
            expected,
            "set find, name {name:?}"
        );
        assert_eq!(
            set.is_match_text(name.as_bytes()),
            expected,
            "text scan of the bare name {name:?}, engine {engine:?}"
        );
    }
}

#[test]
fn label_boundaries() {
    let patterns = ["demale.shop", "evil.com", "gan.example"];
    let cases = [
        ("demale.shop", true),
        ("cdn.demale.shop", true),
        ("a.b.c.demale.shop", true),
        ("notdemale.shop", false),
        ("x-demale.shop", false),
        ("x_demale.shop", false),
        ("demale.shopping", false),
        ("demale.shop.evil.org", false),
        ("evil.com.attacker.net", false),
        ("michigan.example", false),
        ("gan.example", true),
        ("shop", false),
        ("", false),
    ];
    for (name, expected) in cases {
        check_lookup(&patterns, false, name, expected);
    }
}

#[test]
fn case_and_trailing_dot() {
    let patterns = ["demale.shop"];
    let cases = [
        ("DEMALE.SHOP", true),
        ("Cdn.Demale.Shop.", true),
        ("demale.shop..", false),
        ("demale.shop.", true),
    ];
    for (name, expected) in cases {
        check_lookup(&patterns, false, name, expected);
    }
}

#[test]
fn idn_names_match_punycode_indicators() {
    let set = build(
        &["bücher.example", "xn--fa-hia.de"],
        false,
        ScanEngine::Auto,
    );
    assert!(set.is_match("xn--bcher-kva.example"));
    assert!(set.is_match("www.bücher.example"));
    assert!(set.is_match("faß.de"));
    assert!(set.is_match("WWW.FAß.DE."));
    assert!(!set.is_match("fass.de"));

    let hit = set.find("www.bücher.example").unwrap();
    assert_eq!(hit.indicator(), "xn--bcher-kva.example");
    assert_eq!(hit.span(), 4.."www.bücher.example".len());
}

#[test]
fn wildcard_matches_strict_subdomains_only() {
    let patterns = ["*.demale.shop"];
    let cases = [
        ("demale.shop", false),
        ("a.demale.shop", true),
        ("a.b.demale.shop", true),
        ("xdemale.shop", false),
    ];
    for (name, expected) in cases {
        check_lookup(&patterns, false, name, expected);
    }
}

#[test]
fn exact_only_is_zeek_semantics() {
    let patterns = ["demale.shop", "*.evil.com"];
    let cases = [
        ("demale.shop", true),
        ("cdn.demale.shop", false),
        ("a.evil.com", true),
        ("evil.com", false),
    ];
    for (name, expected) in cases {
        check_lookup(&patterns, true, name, expected);
    }
}

#[test]
fn most_specific_and_all_covering() {
    let set = build(
        &["evil.com", "a.evil.com", "*.a.evil.com", "com"],
        false,
        ScanEngine::Auto,
    );
    let all: Vec<_> = set
        .find_iter("x.a.evil.com")
        .map(|hit| hit.indicator())
        .collect();
    assert_eq!(all, ["com", "evil.com", "a.evil.com", "*.a.evil.com"]);
    assert_eq!(
        set.find("x.a.evil.com").unwrap().indicator(),
        "*.a.evil.com"
    );
    assert_eq!(set.find("a.evil.com").unwrap().indicator(), "a.evil.com");

    let spans: Vec<_> = set
        .find_iter("x.a.evil.com")
        .map(|hit| hit.span())
        .collect();
    assert_eq!(spans, [9..12, 4..12, 2..12, 2..12]);
}

#[test]
fn duplicate_reports_keep_every_record() {
    let mut builder = SetBuilder::new();
    for (value, source) in [
        ("demale.shop", "threatfox"),
        ("hxxp://DEMALE[.]shop/gate", "misp"),
        ("demale.shop.", "blocklist"),
        ("other.example", "blocklist"),
    ] {
        let metadata = Metadata {
            source: Some(source.into()),
            ..Metadata::default()
        };
        builder.push_record(IndicatorRecord::new(value).with_metadata(metadata));
    }
    let set = builder.build().unwrap();
    assert_eq!(set.len(), 2);
    assert_eq!(set.record_count(), 4);

    let hit = set.find("x.demale.shop").unwrap();
    let sources: Vec<_> = hit
        .records()
        .iter()
        .map(|record| record.metadata().source.as_deref().unwrap())
        .collect();
    assert_eq!(sources, ["threatfox", "misp", "blocklist"]);
    assert_eq!(hit.records()[1].value, "hxxp://DEMALE[.]shop/gate");
}

#[test]
fn scan_finds_domains_in_free_text() {
    let patterns = ["demale.shop", "gan.example"];
    let cases: [(&str, &[(usize, usize)]); 9] = [
        ("https://cdn.demale.shop:443/x", &[(12, 23)]),
        ("user@demale.shop", &[(5, 16)]),
        ("visit demale.shop.", &[(6, 17)]),
        ("visit demale.shop..", &[]),
        ("michigan.example", &[]),
        ("demale.shop.evil.com", &[]),
        ("xdemale.shop then shop demale.shop", &[(23, 34)]),
        ("C:\\x\\DEMALE.SHOP\\a.exe", &[(5, 16)]),
        ("", &[]),
    ];
    let oracle = NaiveSet::new(patterns, false);
    for engine in [ScanEngine::Tokens, ScanEngine::Automaton] {
        let set = build(&patterns, false, engine);
        for (text, expected) in cases {
            let spans: Vec<_> = set
                .scan(text.as_bytes())
                .map(|h| (h.span().start, h.span().end))
                .collect();
            assert_eq!(spans, expected, "engine {engine:?}, text {text:?}");
            let oracle_spans: Vec<_> = oracle
                .scan(text.as_bytes())
                .into_iter()
                .map(|(_, s, e)| (s, e))
                .collect();
            assert_eq!(oracle_spans, expected, "oracle, text {text:?}");
        }
    }
}

#[test]
fn scan_overlap_does_not_hide_a_later_match() {
    // `xdemale.shop` contains the candidate `demale.shop`, which fails its label check; the
    // valid match `shop` inside the same token must still be found.
    let set = build(&["demale.shop", "shop"], false, ScanEngine::Automaton);
    let found: Vec<_> = set
        .scan(b"xdemale.shop")
        .map(|h| (h.indicator(), h.span()))
        .collect();
    assert_eq!(found, [("shop", 8..12)]);
}

#[test]
fn scan_of_bytes_that_are_not_utf8() {
    let set = build(&["demale.shop"], false, ScanEngine::Auto);
    let haystack = b"\xff\xfe demale.shop \xc3\x28 x.demale.shop\x80";
    let spans: Vec<_> = set.scan(haystack).map(|hit| hit.span()).collect();
    assert_eq!(spans, [3..14, 20..31]);
}

#[test]
fn lenient_build_reports_warnings() {
    let mut builder = SetBuilder::new();
    builder.push("evil.com").push("com").push("-x-.example");
    let built = builder.build_lenient();
    let warned: Vec<(&str, &iocmatch::Location)> = built
        .warnings
        .iter()
        .map(|w| (w.indicator.as_str(), &w.location))
        .collect();
    assert_eq!(
        warned,
        [
            ("com", &iocmatch::Location::Index(1)),
            ("-x-.example", &iocmatch::Location::Index(2))
        ]
    );
    assert!(built.warnings[0].warnings.single_label);
    assert!(built.warnings[1].warnings.hyphen_at_label_edge);
    assert!(built.set.is_match("anything.com"));
}

#[test]
fn empty_set_matches_nothing() {
    let set = SetBuilder::new().build().unwrap();
    assert!(set.is_empty());
    assert!(!set.is_match("evil.com"));
    assert!(!set.is_match_text(b"evil.com"));
}

#[test]
fn public_types_are_send_and_sync() {
    fn assert_send_sync<T: Send + Sync + std::panic::UnwindSafe>() {}
    assert_send_sync::<IndicatorSet>();
    assert_send_sync::<SetBuilder>();
    assert_send_sync::<iocmatch::DomainHit<'static>>();
    assert_send_sync::<iocmatch::DomainError>();
    assert_send_sync::<iocmatch::IndicatorRecord>();
    assert_send_sync::<iocmatch::LenientBuild>();
}
