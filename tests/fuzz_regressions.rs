//! Inputs that made a fuzz target (under `fuzz/`) fail, each kept as an ordinary test of the
//! behaviour the target checks. The comment on each test gives the target and the bug.

use iocmatch::kql::KqlOperator;
use iocmatch::rule::{MatchMode, Rule, RuleDefinition, ScenarioDefinition};
use iocmatch::{
    DomainErrorKind, IndicatorRecord, IndicatorSet, Metadata, ScanEngine, SetBuilder,
    normalize_indicator,
};

/// Returns the byte offset of an `InvalidCharacter` error, failing on any other result.
fn invalid_character_offset(value: &str) -> (char, usize) {
    let error = normalize_indicator(value).expect_err("an invalid value");
    match error.kind() {
        DomainErrorKind::InvalidCharacter { character, offset } => (*character, *offset),
        other => panic!("{value:?}: expected an invalid character, got {other:?}"),
    }
}

// Target `normalize`: an ASCII character that is invalid in a value with non-ASCII characters
// was reported at byte 0 instead of its place in the value.
#[test]
fn invalid_ascii_beside_unicode_offset() {
    assert_eq!(invalid_character_offset("\u{f7}'\u{f7}"), ('\'', 2));
    assert_eq!(invalid_character_offset("b\u{fc}cher!.de"), ('!', 7));
    assert_eq!(invalid_character_offset("xm\u{fc}nchen de"), (' ', 9));
}

// Target `normalize`: UTS #46 maps some characters to text with a space (`\u{37a}` to a space
// and a combining mark, `\u{b8}` to a space and a cedilla). The space was reported as an
// invalid character at an offset of the mapped name, where the value has something else.
#[test]
fn mapped_invalid_character_is_idn_error() {
    for value in ["\u{37a}.com", "a\u{b8}b.com", "evil\u{b8}"] {
        let error = normalize_indicator(value).expect_err("an invalid value");
        assert_eq!(error.kind(), &DomainErrorKind::Idna, "{value:?}: {error}");
    }
}

/// Seeds that only the library can write: `to_bytes` output for the `bundle_load` target and
/// `to_json` output for the `rule_json` target, as (target, file name, bytes).
fn library_seeds() -> Vec<(&'static str, &'static str, Vec<u8>)> {
    let remus = Metadata {
        threat_type: Some("botnet_cc".into()),
        malware: Some("Remus".into()),
        confidence: Some(100),
        first_seen: Some("2026-05-27".into()),
        source: Some("ThreatFox".into()),
        ..Metadata::default()
    };
    let remus_records: Vec<IndicatorRecord> = ["demale.shop", "thequarterlymethod.com"]
        .into_iter()
        .map(|value| IndicatorRecord::new(value).with_metadata(remus.clone()))
        .collect();

    let mut builder = SetBuilder::new();
    for record in &remus_records {
        builder.push_record(record.clone());
    }
    let remus_set = builder.build().expect("valid indicators");

    let mut builder = SetBuilder::new();
    builder
        .push("*.thequarterlymethod.com")
        .push("b\u{fc}cher.example")
        .push("onion")
        .push("_dmarc.demale.shop")
        .push("hxxps://cdn.demale[.]shop/gate.php")
        .exact_only(true)
        .scan_engine(ScanEngine::Automaton);
    let exact_set = builder.build().expect("valid indicators");

    // The first domains of the ShadowWhisperer blocklists, and a duplicate report.
    let mut builder = SetBuilder::new();
    for value in [
        "00000.live",
        "0000o.xyz",
        "007-dvd.com",
        "0009casino.com",
        "00oo.lol",
    ] {
        builder.push(value);
    }
    builder.push("007-DVD.com.").scan_engine(ScanEngine::Tokens);
    let blocklist_set = builder.build().expect("valid indicators");

    let scenario = |name: &str, filter: &str| ScenarioDefinition {
        name: name.into(),
        description: String::new(),
        filter: filter.into(),
    };
    let remus_rule = Rule::new(RuleDefinition {
        name: "ThreatFox: Remus IOCs".into(),
        description: "DNS queries to Remus command-and-control domains.".into(),
        table: Some("DnsEvents".into()),
        fields: vec!["Name".into()],
        mode: MatchMode::Domain,
        exact_only: false,
        case_sensitive_filters: false,
        indicators: remus_records.clone(),
        scenarios: vec![
            scenario(
                "Scheduled System Backup Using Remus",
                "process.parent_process_name:*backup_service* OR process.command_line:*remus_backup*",
            ),
            scenario(
                "Admin Task Using Remus for Log Aggregation",
                "process.user:*admin* AND process.command_line:*remus_log_aggregation*",
            ),
        ],
    })
    .expect("a valid rule");
    let miners_rule = Rule::new(RuleDefinition {
        name: "Mining pool domains".into(),
        description: String::new(),
        table: Some("DnsEvents".into()),
        fields: vec!["Name".into()],
        mode: MatchMode::Kql(KqlOperator::HasAny),
        exact_only: false,
        case_sensitive_filters: true,
        indicators: vec![
            IndicatorRecord::new("monerohash.com"),
            IndicatorRecord::new("xmrpool.eu "),
        ],
        scenarios: vec![scenario(
            "Lab hosts",
            "host.name:lab-* AND NOT user.name:/adm.n/",
        )],
    })
    .expect("a valid rule");
    let text_rule = Rule::new(RuleDefinition {
        name: "Remus URLs in command lines".into(),
        description: String::new(),
        table: None,
        fields: vec!["process.command_line".into()],
        mode: MatchMode::Text,
        exact_only: true,
        case_sensitive_filters: false,
        indicators: remus_records,
        scenarios: vec![],
    })
    .expect("a valid rule");

    vec![
        ("bundle_load", "remus", remus_set.to_bytes()),
        ("bundle_load", "exact-automaton", exact_set.to_bytes()),
        ("bundle_load", "blocklist-tokens", blocklist_set.to_bytes()),
        (
            "rule_json",
            "remus-domain",
            remus_rule.to_json().into_bytes(),
        ),
        (
            "rule_json",
            "miners-kql",
            miners_rule.to_json().into_bytes(),
        ),
        ("rule_json", "remus-text", text_rule.to_json().into_bytes()),
    ]
}

// Keeps the committed seeds of `bundle_load` and `rule_json` equal to what the library writes
// today, so the targets start from inputs that load. Set IOCMATCH_WRITE_FUZZ_SEEDS=1 to
// rewrite them after a format change.
#[test]
fn fuzz_seeds_match_library_output() {
    let seeds = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/seeds");
    let write = std::env::var_os("IOCMATCH_WRITE_FUZZ_SEEDS").is_some();
    for (target, name, bytes) in library_seeds() {
        let path = seeds.join(target).join(name);
        if write {
            std::fs::create_dir_all(path.parent().expect("a seed folder")).unwrap_or_else(
                |error| panic!("creating the folder of {}: {error}", path.display()),
            );
            std::fs::write(&path, &bytes)
                .unwrap_or_else(|error| panic!("writing {}: {error}", path.display()));
            continue;
        }
        let committed = std::fs::read(&path).unwrap_or_else(|error| {
            panic!(
                "reading {}: {error}; write it with IOCMATCH_WRITE_FUZZ_SEEDS=1",
                path.display()
            )
        });
        assert!(
            committed == bytes,
            "{} differs from the library's output; rewrite it with IOCMATCH_WRITE_FUZZ_SEEDS=1",
            path.display()
        );
    }
}

#[test]
fn library_seeds_load() {
    for (target, name, bytes) in library_seeds() {
        match target {
            "bundle_load" => {
                let set = IndicatorSet::from_bytes(&bytes)
                    .unwrap_or_else(|error| panic!("seed {name}: {error}"));
                assert_eq!(set.to_bytes(), bytes, "seed {name}");
            }
            _ => {
                let json = String::from_utf8(bytes).expect("JSON text");
                let rule =
                    Rule::from_json(&json).unwrap_or_else(|error| panic!("seed {name}: {error}"));
                assert_eq!(rule.to_json(), json, "seed {name}");
            }
        }
    }
}

// Target `set_differential`: `hxxp` was refanged to `http` at the start of any value, not only
// before `://`. So `hxxp://hxxp://x` normalized to `hxxp` and that pattern normalized to `http`,
// and a set holding it wrote bytes that failed to load. A domain such as `hxxpbin.com` became
// `httpbin.com`.
#[test]
fn hxxp_refanged_only_as_scheme() {
    let cases = [
        ("hxxpbin.com", "hxxpbin.com"),
        ("HXXPS.example", "hxxps.example"),
        ("hxxp", "hxxp"),
        ("hxxp://hxxp://x", "hxxp"),
        ("hxxp://evil.com", "evil.com"),
        ("hXXps://evil.com/a", "evil.com"),
        ("hxxps[://]evil.com", "evil.com"),
        ("hxxp[:]//evil.com", "evil.com"),
    ];
    for (value, expected) in cases {
        let normalized = normalize_indicator(value).unwrap_or_else(|error| panic!("{error}"));
        assert_eq!(normalized.domain(), expected, "{value:?}");
        let again = normalize_indicator(&normalized.to_pattern()).expect("a valid pattern");
        assert_eq!(again.domain(), expected, "{value:?} normalized twice");
    }

    let mut builder = SetBuilder::new();
    builder.push("hxxp://hxxp://\u{afaa}").push("hxxpbin.com");
    let set = builder.build().expect("valid indicators");
    let loaded = IndicatorSet::from_bytes(&set.to_bytes()).expect("a set's own bytes load");
    assert!(loaded.is_match("hxxp"));
    assert!(loaded.is_match("www.hxxpbin.com"));
    assert!(!loaded.is_match("httpbin.com"));
}

/// Returns (indicator, matched text) for every hit of a lookup.
fn hits_with_text(set: &IndicatorSet, name: &str) -> Vec<(String, String)> {
    set.find_iter(name)
        .map(|hit| (hit.indicator().to_owned(), name[hit.span()].to_owned()))
        .collect()
}

// Target `set_differential`: the span of a hit on a non-ASCII name counted dots from the end of
// the name as given, so a root dot left in it (a second ASCII dot, or a root dot written `。`)
// moved the span one label to the right, down to an empty span. Non-ASCII names also lost up to
// three trailing dots where ASCII names lose one, so `é.shopevil..` matched `shopevil`.
#[test]
fn non_ascii_name_span_and_root_dot() {
    let mut builder = SetBuilder::new();
    builder.push("shopevil").push("evil.com");
    let set = builder.build().expect("valid indicators");

    let hit = |indicator: &str, text: &str| vec![(indicator.to_owned(), text.to_owned())];
    assert_eq!(
        hits_with_text(&set, "cdn.evil.com\u{3002}"),
        hit("evil.com", "evil.com")
    );
    assert_eq!(
        hits_with_text(&set, "\u{e9}.evil.com."),
        hit("evil.com", "evil.com")
    );
    assert_eq!(
        hits_with_text(&set, "\u{e9}.evil\u{3002}com"),
        hit("evil.com", "evil\u{3002}com")
    );
    assert_eq!(
        hits_with_text(&set, "\u{e9}.EVIL.com"),
        hit("evil.com", "EVIL.com")
    );
    assert_eq!(
        hits_with_text(&set, "\u{e9}vil.shopevil\u{ff0e}"),
        hit("shopevil", "shopevil")
    );

    // One root dot in any form, as for ASCII names.
    for name in [
        "\u{1892f}..sHOPevIL..",
        "\u{e9}.evil.com..",
        "\u{e9}.evil.com.\u{3002}",
        "a.evil.com..",
    ] {
        assert!(set.find_iter(name).next().is_none(), "{name:?}");
    }
}
