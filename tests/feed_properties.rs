//! Properties of the importers: rendered records import back to the same values, arbitrary
//! text never panics and every row is accounted for, strict and lenient agree, and warninglist
//! lookups equal a naive scan.

mod common;

use common::feed_samples::{naive_warninglist_matches, sample};
use iocmatch::IndicatorKind;
use iocmatch::feed::{self, FeedErrorKind, Import, Mode, RulePage, Warninglist, WarninglistKind};
use proptest::prelude::*;
use serde_json::json;

/// A label that starts with a letter, so no domain looks like an IP address or a hash, and has
/// no `--`, so none is an `xn--` label that must decode.
fn label() -> impl Strategy<Value = String> {
    "[a-z][a-z0-9]{0,8}(-[a-z0-9]{1,4})?"
}

/// Generates a valid domain of two to four labels that no hosts file uses for the local machine.
fn domain() -> impl Strategy<Value = String> {
    prop::collection::vec(label(), 2..5)
        .prop_map(|labels| labels.join("."))
        .prop_filter("local host name", |d| d != "localhost.localdomain")
}

fn values(import: &Import) -> Vec<&str> {
    import
        .records
        .iter()
        .map(|(record, _)| record.value.as_str())
        .collect()
}

/// Text that mixes arbitrary characters with the markers the importers look for.
fn feed_text() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        "\\PC{0,12}",
        Just("\n".to_owned()),
        Just(" ".to_owned()),
        Just("\t".to_owned()),
        Just("#".to_owned()),
        Just("!".to_owned()),
        Just("||".to_owned()),
        Just("^$".to_owned()),
        Just("@@".to_owned()),
        Just("0.0.0.0 ".to_owned()),
        Just("127.0.0.1\t".to_owned()),
        Just("localhost".to_owned()),
        Just("http://".to_owned()),
        Just("[.]".to_owned()),
        Just(":443".to_owned()),
        Just("# Number of entries: 1".to_owned()),
        domain(),
    ];
    prop::collection::vec(piece, 0..30).prop_map(|pieces| pieces.concat())
}

/// Text built from the rule page's own lines and markers, in any order.
fn rule_page_text() -> impl Strategy<Value = String> {
    let page = sample("threatfox-remus.md");
    let mut lines: Vec<String> = page.lines().map(str::to_owned).collect();
    lines.extend(
        [
            "",
            "```",
            "let x = dynamic([\"a\", 'b', @\"c\"\"d\"",
            "]);",
            "| where Name has_any (x)",
            "| where Name has_any (malicious_domains",
            "let malicious_domains = dynamic([\"\\u00e9\\",
            "Total IOCs: 99999999999999999999999",
            "| a | b |",
            "|---|",
            "Scenario:",
            "Filter/Exclusion:",
        ]
        .map(str::to_owned),
    );
    let line = prop::sample::select(lines);
    let piece = prop_oneof![4 => line, 1 => "\\PC{0,20}"];
    prop::collection::vec(piece, 0..40).prop_map(|lines| lines.join("\n"))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn plain_list_round_trip(
        domains in prop::collection::vec(domain(), 0..20),
        comments in prop::collection::vec(any::<bool>(), 20),
    ) {
        let mut text = String::from("# rendered list\n");
        for (domain, comment) in domains.iter().zip(&comments) {
            text.push_str(domain);
            if *comment {
                text.push_str(" # reported\n\n");
            } else {
                text.push('\n');
            }
        }
        let import = feed::plain_list(&text, Mode::Strict).unwrap();
        prop_assert_eq!(values(&import), domains.iter().map(String::as_str).collect::<Vec<_>>());
        prop_assert!(import.records.iter().all(|(r, _)| r.kind == IndicatorKind::Domain));
    }

    #[test]
    fn hosts_file_round_trip(groups in prop::collection::vec(prop::collection::vec(domain(), 1..4), 0..10)) {
        let mut text = String::from("127.0.0.1 localhost\n");
        for hosts in &groups {
            text.push_str("0.0.0.0\t");
            text.push_str(&hosts.join(" "));
            text.push('\n');
        }
        let import = feed::plain_list(&text, Mode::Strict).unwrap();
        let expected: Vec<&str> = groups.iter().flatten().map(String::as_str).collect();
        prop_assert_eq!(values(&import), expected);
        prop_assert_eq!(import.skipped.len(), 1);
    }

    #[test]
    fn threatfox_json_round_trip(
        rows in prop::collection::vec(
            (domain(), 0..3usize, 0..=100u8, prop::collection::vec("[a-z]{1,6}", 0..3), 1..65_535u16),
            0..12,
        ),
    ) {
        let mut object = serde_json::Map::new();
        let mut expected = Vec::new();
        for (index, (domain, kind, confidence, tags, port)) in rows.iter().enumerate() {
            let (value, ioc_type) = match kind {
                0 => (domain.clone(), "domain"),
                1 => (format!("https://{domain}:{port}/gate.php"), "url"),
                _ => (format!("10.{}.0.1:{port}", index % 256), "ip:port"),
            };
            // Zero-padded keys, because `serde_json::Map` sorts its keys.
            object.insert(format!("{index:04}"), json!([{
                "ioc_value": value,
                "ioc_type": ioc_type,
                "confidence_level": confidence,
                "tags": if tags.is_empty() { serde_json::Value::Null } else { json!(tags.join(",")) },
                "malware_printable": "Test",
            }]));
            expected.push((value, *confidence, tags.clone()));
        }
        let text = serde_json::to_string_pretty(&serde_json::Value::Object(object)).unwrap();
        let import = feed::threatfox_json(&text, Mode::Strict).unwrap();
        prop_assert_eq!(import.records.len(), expected.len());
        for ((record, _), (value, confidence, tags)) in import.records.iter().zip(&expected) {
            prop_assert_eq!(&record.value, value);
            prop_assert_eq!(record.metadata().confidence, Some(*confidence));
            prop_assert_eq!(&record.metadata().tags, tags);
        }
    }

    #[test]
    fn warninglist_round_trip(domains in prop::collection::vec(domain(), 0..20)) {
        let text = json!({"name": "rendered", "type": "hostname", "list": domains}).to_string();
        let list = Warninglist::parse(&text).unwrap();
        prop_assert_eq!(list.values(), domains.as_slice());
        let import = list.to_import(Mode::Strict).unwrap();
        prop_assert_eq!(values(&import), domains.iter().map(String::as_str).collect::<Vec<_>>());
    }

    #[test]
    fn warninglist_matches_equal_naive_scan(
        kind in prop::sample::select(vec![
            WarninglistKind::Hostname,
            WarninglistKind::String,
            WarninglistKind::Substring,
        ]),
        entries in prop::collection::vec("[a-cA-C.]{1,5}", 1..8),
        probes in prop::collection::vec("[a-cA-C.]{0,9}", 1..20),
    ) {
        let text = json!({"name": "n", "type": kind.name(), "list": entries}).to_string();
        let list = Warninglist::parse(&text).unwrap();
        for probe in &probes {
            prop_assert_eq!(
                list.matches(probe).unwrap(),
                naive_warninglist_matches(kind, &entries, probe),
                "probe {:?}", probe
            );
        }
    }

    #[test]
    fn plain_list_never_panics_and_accounts(text in feed_text()) {
        let lenient = feed::plain_list(&text, Mode::Lenient).unwrap();
        prop_assert!(lenient.is_accounted());
        let lines = text.strip_prefix('\u{feff}').unwrap_or(&text).lines().count();
        prop_assert!(lenient.ignored_lines <= lines);
        match feed::plain_list(&text, Mode::Strict) {
            Ok(strict) => prop_assert_eq!(strict, lenient),
            Err(error) => prop_assert_eq!(&error, &lenient.rejected[0].error),
        }
    }

    #[test]
    fn hostfile_never_panics_and_accounts(text in feed_text()) {
        match feed::threatfox_hostfile(&text, Mode::Lenient) {
            Ok(import) => prop_assert!(import.is_accounted()),
            Err(error) => {
                let is_count = matches!(error.kind(), FeedErrorKind::CountMismatch { .. });
                prop_assert!(is_count, "{}", error);
            }
        }
    }

    #[test]
    fn threatfox_json_never_panics(text in "[{}\\[\\]\":, 0-9a-z_.\n-]{0,80}") {
        if let Ok(import) = feed::threatfox_json(&text, Mode::Lenient) {
            prop_assert!(import.is_accounted());
        }
    }

    #[test]
    fn threatfox_json_rows_never_panic(
        rows in prop::collection::vec(
            (
                prop::sample::select(vec!["domain", "url", "ip:port", "md5_hash", "sha256_hash", "other"]),
                "\\PC{0,20}",
                prop_oneof![Just(json!(null)), Just(json!(50)), Just(json!(-1)), Just(json!("x")), Just(json!([1]))],
            ),
            0..10,
        ),
    ) {
        let mut object = serde_json::Map::new();
        for (index, (ioc_type, value, odd)) in rows.iter().enumerate() {
            object.insert(index.to_string(), json!([{
                "ioc_value": value, "ioc_type": ioc_type, "confidence_level": odd, "tags": odd,
            }]));
        }
        let text = serde_json::Value::Object(object).to_string();
        let import = feed::threatfox_json(&text, Mode::Lenient).unwrap();
        prop_assert_eq!(import.rows, rows.len());
        prop_assert!(import.is_accounted());
    }

    #[test]
    fn rule_page_never_panics(text in rule_page_text()) {
        let lenient = RulePage::parse(&text, Mode::Lenient);
        if let Ok(page) = &lenient {
            prop_assert!(page.iocs.is_accounted());
            prop_assert!(page.query_list().is_some());
        }
        if let Ok(strict) = RulePage::parse(&text, Mode::Strict) {
            prop_assert_eq!(Some(&strict), lenient.as_ref().ok());
        }
    }

    #[test]
    fn warninglist_never_panics(text in "[{}\\[\\]\":, a-z]{0,80}") {
        let _ = Warninglist::parse(&text);
    }
}
