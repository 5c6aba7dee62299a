//! Importers on the full real feeds: row counts pinned after checking them against the files
//! (`grep -c`, `wc -l`, and a JSON count by `ioc_type`). Each test skips when the data is absent.

mod common;

use std::collections::HashMap;

use common::data;
use common::feed_samples::naive_warninglist_matches;
use iocmatch::feed::{self, FeedErrorKind, Import, Mode, RulePage, SkipReason, Warninglist};
use iocmatch::{IndicatorKind, SetBuilder};

/// Counts records by kind.
fn kinds(import: &Import) -> HashMap<IndicatorKind, usize> {
    let mut counts = HashMap::new();
    for (record, _) in &import.records {
        *counts.entry(record.kind).or_default() += 1;
    }
    counts
}

/// Builds a set from an import and checks that every domain record got in.
fn assert_builds_cleanly(import: &Import) {
    let mut builder = SetBuilder::new();
    let pushed = import.push_into(&mut builder);
    let built = builder.build_lenient();
    assert!(built.rejected.is_empty(), "{:?}", built.rejected.first());
    assert!(built.set.len() <= pushed);
}

#[test]
fn threatfox_json_export_counts() {
    let Some(data) = data::shared_data("threatfox_json_export_counts") else {
        return;
    };
    let text = data::read_text(&data.join("threatfox/threatfox_export_json_recent_20260724.json"));
    let import = feed::threatfox_json(&text, Mode::Strict).unwrap();

    // 4,488 IOCs: 1,207 domain, 408 url, 2,412 ip:port, 169 + 146 + 146 hashes.
    assert_eq!(import.rows, 4488);
    assert!(import.is_accounted());
    assert!(import.rejected.is_empty());
    let expected = HashMap::from([
        (IndicatorKind::Domain, 1207),
        (IndicatorKind::Url, 222),
        (IndicatorKind::Ip, 2412),
        (IndicatorKind::Hash, 461),
    ]);
    assert_eq!(kinds(&import), expected);

    // The other 186 URLs have an IP address as host, such as http://59.180.156.235:42443/Mozi.m.
    assert_eq!(import.skipped.len(), 186);
    assert!(
        import
            .skipped
            .iter()
            .all(|s| s.reason == SkipReason::IpHost && s.record.kind == IndicatorKind::Url)
    );

    let with_tags = import
        .records
        .iter()
        .filter(|(r, _)| !r.metadata().tags.is_empty())
        .count();
    assert!(with_tags > 3000, "{with_tags} records with tags");
    assert_builds_cleanly(&import);
}

#[test]
fn threatfox_hostfile_counts() {
    let Some(data) = data::shared_data("threatfox_hostfile_counts") else {
        return;
    };
    let text = data::read_text(&data.join("threatfox/threatfox_hostfile_20220219.txt"));
    let import = feed::threatfox_hostfile(&text, Mode::Strict).unwrap();
    // The closing comment states 2,415 entries; the 8-line banner and that comment are ignored.
    assert_eq!(import.rows, 2415);
    assert_eq!(import.records.len(), 2415);
    assert_eq!(import.ignored_lines, 9);
    assert_builds_cleanly(&import);
}

#[test]
fn shadowwhisperer_lists_counts() {
    let Some(data) = data::shared_data("shadowwhisperer_lists_counts") else {
        return;
    };
    // Line counts from `wc -l`; the lists have no comments, blank lines or characters outside
    // [a-z0-9._-] (`grep -c`), so every line is a domain record.
    let expected = [
        ("Ads", 27_504),
        ("Adult", 219_522),
        ("Gambling", 9_604),
        ("Malware", 43_726),
        ("Scam", 7_307),
        ("Tracking", 116_348),
        ("Typo", 73_796),
        ("UrlShortener", 5_812),
        ("Wild_Ads", 19_039),
        ("Wild_Tracking", 17_449),
    ];
    for (name, lines) in expected {
        let path = data.join(format!("domain-lists/shadowwhisperer/RAW_{name}.txt"));
        let import = feed::plain_list(&data::read_text(&path), Mode::Strict).unwrap();
        assert_eq!(import.rows, lines, "{name}");
        assert_eq!(import.records.len(), lines, "{name}");
        assert_eq!(import.ignored_lines, 0, "{name}");
        assert_eq!(
            kinds(&import).get(&IndicatorKind::Domain),
            Some(&lines),
            "{name}"
        );
        if name == "Malware" {
            assert_builds_cleanly(&import);
        }
    }
}

#[test]
fn misp_warninglists() {
    let Some(data) = data::shared_data("misp_warninglists") else {
        return;
    };
    let read = |name: &str| {
        let path = data.join(format!("domain-lists/misp_warninglist_{name}.json"));
        Warninglist::parse(&data::read_text(&path)).unwrap()
    };

    let tranco = read("tranco10k");
    assert_eq!(tranco.values().len(), 10_000);
    let import = tranco.to_import(Mode::Strict).unwrap();
    assert_eq!(import.records.len(), 10_000);
    assert_builds_cleanly(&import);

    let cisco = read("cisco_top20k");
    assert_eq!(cisco.values().len(), 20_000);
    let cloudflare = read("cloudflare-top100k");
    assert_eq!(cloudflare.values().len(), 100_001);
    for list in [&cisco, &cloudflare] {
        let error = list.to_import(Mode::Lenient).unwrap_err();
        assert!(matches!(
            error.kind(),
            FeedErrorKind::UnsupportedListType { .. }
        ));
    }

    // Every query name of the Sysmon DNS log against each list, indexed and naive.
    let mut names = data::sysmon_query_names(&data);
    names.sort();
    names.dedup();
    for list in [&tranco, &cisco, &cloudflare] {
        let mut hits = 0;
        for name in &names {
            let expected = naive_warninglist_matches(list.kind(), list.values(), name);
            assert_eq!(
                list.matches(name).unwrap(),
                expected,
                "{} {name}",
                list.name()
            );
            hits += usize::from(expected);
        }
        assert!(hits > 0, "{} matched no query name", list.name());
    }
}

#[test]
fn remus_rule_page() {
    let Some(data) = data::shared_data("remus_rule_page") else {
        return;
    };
    let page = RulePage::parse(
        &data::read_text(&data.join("rules/threatfox-remus.md")),
        Mode::Strict,
    )
    .unwrap();
    assert_eq!(page.iocs.records.len(), 2);
    assert_eq!(page.scenarios.len(), 5);
    assert!(page.compare_iocs().is_empty());
}
