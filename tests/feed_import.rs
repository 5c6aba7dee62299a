//! Importers on the committed samples and on small tables of lines, format by format.

mod common;

use common::feed_samples::sample;
use iocmatch::feed::{
    self, FeedErrorKind, Import, Mode, NoteKind, RulePage, SkipReason, Warninglist, WarninglistKind,
};
use iocmatch::{IndicatorKind, Location, SetBuilder};

/// Imports a one-line plain list and describes each row's outcome as short text.
fn outcome(line: &str) -> Vec<String> {
    let import = feed::plain_list(line, Mode::Lenient).unwrap();
    assert!(import.is_accounted(), "line {line:?}");
    let mut outcome: Vec<String> = import
        .records
        .iter()
        .map(|(record, _)| format!("{:?} {}", record.kind, record.value))
        .collect();
    outcome.extend(
        import
            .skipped
            .iter()
            .map(|s| format!("skipped {:?}", s.reason)),
    );
    outcome.extend(
        import
            .rejected
            .iter()
            .map(|r| format!("rejected {:?}", r.error.kind())),
    );
    if import.ignored_lines > 0 {
        outcome.push("ignored".to_owned());
    }
    outcome
}

/// Pushes an import into a set with a lenient build and checks that the build rejects nothing.
fn build_without_rejections(import: &Import) -> iocmatch::IndicatorSet {
    let mut builder = SetBuilder::new();
    let pushed = import.push_into(&mut builder);
    assert_eq!(pushed, import.domain_records().count());
    let built = builder.build_lenient();
    assert!(built.rejected.is_empty(), "{:?}", built.rejected);
    built.set
}

#[test]
fn plain_list_values_by_shape() {
    let cases: [(&str, &[&str]); 14] = [
        ("evil.com", &["Domain evil.com"]),
        ("EVIL.com.", &["Domain EVIL.com."]),
        ("evil[.]com", &["Domain evil[.]com"]),
        ("*.evil.com", &["Domain *.evil.com"]),
        ("http://evil.com/x", &["Url http://evil.com/x"]),
        ("evil.com:8080", &["HostPort evil.com:8080"]),
        ("10.0.0.1", &["Ip 10.0.0.1"]),
        ("10.0.0.1:80", &["Ip 10.0.0.1:80"]),
        ("10.0.0.0/8", &["Ip 10.0.0.0/8"]),
        ("2001:db8::1", &["Ip 2001:db8::1"]),
        (
            "d41d8cd98f00b204e9800998ecf8427e",
            &["Hash d41d8cd98f00b204e9800998ecf8427e"],
        ),
        ("http://10.0.0.1/x", &["skipped IpHost"]),
        ("http://[::1]/x", &["skipped IpHost"]),
        (
            "evil..com",
            &[
                "rejected InvalidDomain(DomainError { value: \"evil..com\", kind: EmptyLabel, location: None })",
            ],
        ),
    ];
    for (line, expected) in cases {
        assert_eq!(outcome(line), expected, "line {line:?}");
    }
}

#[test]
fn plain_list_comments_and_blanks() {
    let cases: [(&str, &[&str]); 8] = [
        ("# comment", &["ignored"]),
        ("! adblock comment", &["ignored"]),
        ("", &[]),
        ("   \t", &["ignored"]),
        ("[Adblock Plus 2.0]", &["ignored"]),
        ("evil.com # reported twice", &["Domain evil.com"]),
        ("evil.com\t# tab before the comment", &["Domain evil.com"]),
        (
            "http://evil.com/#fragment",
            &["Url http://evil.com/#fragment"],
        ),
    ];
    for (line, expected) in cases {
        assert_eq!(outcome(line), expected, "line {line:?}");
    }
}

#[test]
fn plain_list_hosts_lines() {
    let cases: [(&str, &[&str]); 6] = [
        ("0.0.0.0 evil.com", &["Domain evil.com"]),
        (
            "127.0.0.1\tevil.com www.evil.com",
            &["Domain evil.com", "Domain www.evil.com"],
        ),
        ("127.0.0.1 localhost", &["skipped LocalHost"]),
        (
            "::1 ip6-localhost ip6-loopback",
            &["skipped LocalHost", "skipped LocalHost"],
        ),
        ("0.0.0.0 0.0.0.0", &["skipped LocalHost"]),
        ("255.255.255.255 broadcasthost", &["skipped LocalHost"]),
    ];
    for (line, expected) in cases {
        assert_eq!(outcome(line), expected, "line {line:?}");
    }
}

#[test]
fn plain_list_adblock_rules() {
    let cases: [(&str, &[&str]); 7] = [
        ("||ads.example^", &["Domain ads.example"]),
        ("||ads.example^|", &["Domain ads.example"]),
        ("||ads.example^$third-party", &["Domain ads.example"]),
        ("@@||good.example^", &["skipped AdblockException"]),
        ("|http://ads.example/", &["rejected UnsupportedAdblockRule"]),
        ("example.com##.banner", &["rejected UnsupportedAdblockRule"]),
        ("||ads.example", &["rejected UnsupportedAdblockRule"]),
    ];
    for (line, expected) in cases {
        assert_eq!(outcome(line), expected, "line {line:?}");
    }
}

#[test]
fn plain_list_notes_adblock_options() {
    let import = feed::plain_list(
        "a.example\n||ads.example^$third-party,script\n",
        Mode::Strict,
    )
    .unwrap();
    assert_eq!(import.notes.len(), 1);
    assert_eq!(import.notes[0].location, Location::Line(2));
    assert_eq!(
        import.notes[0].kind,
        NoteKind::AdblockOptionsIgnored {
            options: "third-party,script".into()
        }
    );
}

#[test]
fn plain_list_line_numbers_with_bom_and_crlf() {
    let import = feed::plain_list("\u{feff}a.example\r\n\r\nb.example\r\n", Mode::Strict).unwrap();
    let locations: Vec<&Location> = import.records.iter().map(|(_, l)| l).collect();
    assert_eq!(locations, [&Location::Line(1), &Location::Line(3)]);
    assert_eq!(import.records[0].0.value, "a.example");
}

#[test]
fn plain_list_strict_stops_lenient_goes_on() {
    let text = "a.example\nbad value here\nb.example\nevil..com\n";
    let error = feed::plain_list(text, Mode::Strict).unwrap_err();
    assert_eq!(error.location(), Some(&Location::Line(2)));

    let import = feed::plain_list(text, Mode::Lenient).unwrap();
    assert_eq!(import.records.len(), 2);
    let lines: Vec<&Location> = import.rejected.iter().map(|r| &r.location).collect();
    assert_eq!(lines, [&Location::Line(2), &Location::Line(4)]);
    assert!(import.is_accounted());
}

#[test]
fn plain_list_sample_of_malware_list() {
    let text = sample("RAW_Malware_head50.txt");
    let import = feed::plain_list(&text, Mode::Strict).unwrap();
    assert_eq!(import.rows, 50);
    assert_eq!(import.records.len(), 50);
    assert_eq!(import.ignored_lines, 0);
    let first_line = text.lines().next().unwrap();
    assert_eq!(import.records[0].0.value, first_line);
    assert!(
        import
            .records
            .iter()
            .all(|(r, _)| r.kind == IndicatorKind::Domain)
    );
    let set = build_without_rejections(&import);
    assert!(set.is_match(&format!("www.{first_line}")));
}

#[test]
fn plain_list_with_source() {
    let import = feed::plain_list("a.example\n127.0.0.1 localhost\n", Mode::Strict)
        .unwrap()
        .with_source("local list");
    assert_eq!(
        import.records[0].0.metadata().source.as_deref(),
        Some("local list")
    );
    assert_eq!(
        import.skipped[0].record.metadata().source.as_deref(),
        Some("local list")
    );
}

#[test]
fn threatfox_json_sample_counts_and_metadata() {
    let import =
        feed::threatfox_json(&sample("threatfox_export_sample.json"), Mode::Strict).unwrap();
    assert_eq!(import.rows, 9);
    assert!(import.is_accounted());
    let kinds: Vec<IndicatorKind> = import.records.iter().map(|(r, _)| r.kind).collect();
    use IndicatorKind::{Domain, Hash, Ip, Url};
    assert_eq!(kinds, [Url, Domain, Domain, Ip, Ip, Hash, Hash, Hash]);
    assert_eq!(import.skipped.len(), 1);
    assert_eq!(import.skipped[0].reason, SkipReason::IpHost);
    assert_eq!(
        import.skipped[0].record.value,
        "http://59.180.156.235:42443/Mozi.m"
    );
    assert_eq!(
        import.skipped[0].record.metadata().malware.as_deref(),
        Some("Mozi")
    );

    let (record, location) = &import.records[0];
    assert_eq!(location, &Location::Record("1856791".into()));
    assert_eq!(record.value, "https://sup.merahsm188.top/");
    let metadata = record.metadata();
    assert_eq!(metadata.id.as_deref(), Some("1856791"));
    assert_eq!(metadata.threat_type.as_deref(), Some("botnet_cc"));
    assert_eq!(metadata.malware.as_deref(), Some("Vidar"));
    assert_eq!(metadata.confidence, Some(100));
    assert_eq!(metadata.first_seen.as_deref(), Some("2026-07-24 13:50:06"));
    assert_eq!(metadata.last_seen, None);
    assert_eq!(metadata.tags, ["vidar"]);
    assert_eq!(metadata.reference, None);
    assert_eq!(metadata.source.as_deref(), Some("threatfox"));

    let tags = &import.records[2].0.metadata().tags;
    assert_eq!(tags, &["ClearFake", "win-0x0cd5", "windows"]);

    let set = build_without_rejections(&import);
    assert_eq!(
        set.len(),
        2,
        "two distinct domains: the URL's host and the other domain"
    );
    assert!(set.is_match("sup.merahsm188.top"));
}

#[test]
fn threatfox_json_reads_keys_by_name() {
    let json = r#"{
        "2": [{"reporter": "x", "ioc_type": "domain", "added_later": {"a": 1}, "ioc_value": "b.example"}],
        "1": [{"ioc_value": "a.example", "ioc_type": "domain", "malware": "win.vidar",
               "tags": ["one", " two ", ""], "confidence_level": null}]
    }"#;
    let import = feed::threatfox_json(json, Mode::Strict).unwrap();
    let values: Vec<&str> = import
        .records
        .iter()
        .map(|(r, _)| r.value.as_str())
        .collect();
    assert_eq!(
        values,
        ["b.example", "a.example"],
        "file order, not key order"
    );
    let metadata = import.records[1].0.metadata();
    assert_eq!(metadata.malware.as_deref(), Some("win.vidar"));
    assert_eq!(metadata.tags, ["one", "two"]);
    assert_eq!(metadata.confidence, None);
}

#[test]
fn threatfox_json_several_iocs_under_one_key() {
    let json = r#"{"5": [{"ioc_value": "a.example", "ioc_type": "domain"},
                          {"ioc_value": "b.example", "ioc_type": "domain"}], "6": []}"#;
    let import = feed::threatfox_json(json, Mode::Strict).unwrap();
    let locations: Vec<&Location> = import.records.iter().map(|(_, l)| l).collect();
    assert_eq!(
        locations,
        [
            &Location::Record("5[0]".into()),
            &Location::Record("5[1]".into())
        ]
    );
    assert_eq!(import.rows, 2);
}

#[test]
fn threatfox_json_unknown_type_is_other() {
    let json = r#"{"9": [{"ioc_value": "someone@evil.example", "ioc_type": "envelope_from"}]}"#;
    let import = feed::threatfox_json(json, Mode::Strict).unwrap();
    assert_eq!(import.records[0].0.kind, IndicatorKind::Other);
    assert_eq!(import.domain_records().count(), 0);
}

#[test]
fn threatfox_json_lenient_rejects_rows_not_the_file() {
    let json = r#"{"1": [{"ioc_value": "a.example", "ioc_type": "domain"}],
                   "2": [{"ioc_type": "domain"}],
                   "3": "not an array",
                   "4": [{"ioc_value": "c.example", "ioc_type": "domain", "tags": 5}]}"#;
    let import = feed::threatfox_json(json, Mode::Lenient).unwrap();
    assert_eq!(import.records.len(), 1);
    let keys: Vec<&Location> = import.rejected.iter().map(|r| &r.location).collect();
    assert_eq!(
        keys,
        [
            &Location::Record("2".into()),
            &Location::Record("3".into()),
            &Location::Record("4".into())
        ]
    );
    assert!(import.is_accounted());

    let error = feed::threatfox_json("{\"1\": [", Mode::Lenient).unwrap_err();
    assert!(matches!(error.kind(), FeedErrorKind::Json { .. }));
}

#[test]
fn threatfox_json_deep_nesting_is_an_error() {
    // serde_json stops at a recursion depth of 128, so deep input fails instead of overflowing
    // the stack.
    let json = format!("{{\"1\": {}{}}}", "[".repeat(10_000), "]".repeat(10_000));
    let error = feed::threatfox_json(&json, Mode::Lenient).unwrap_err();
    assert!(
        matches!(error.kind(), FeedErrorKind::Json { .. }),
        "{error}"
    );
    assert!(
        error.to_string().contains("recursion limit exceeded"),
        "{error}"
    );
}

#[test]
fn threatfox_json_empty_object() {
    let import = feed::threatfox_json(" {} ", Mode::Strict).unwrap();
    assert_eq!(import, Import::default());
}

#[test]
fn threatfox_hostfile_sample() {
    let import =
        feed::threatfox_hostfile(&sample("threatfox_hostfile_head48.txt"), Mode::Strict).unwrap();
    assert_eq!(import.rows, 40);
    assert_eq!(import.records.len(), 40);
    assert_eq!(import.ignored_lines, 8);
    assert_eq!(import.records[0].0.value, "reseptors.com");
    assert_eq!(import.records[0].1, Location::Line(9));
    assert_eq!(
        import.records[0].0.metadata().source.as_deref(),
        Some("threatfox")
    );
    build_without_rejections(&import);
}

#[test]
fn threatfox_hostfile_checks_stated_count() {
    let text = "# banner\n127.0.0.1\ta.example\n127.0.0.1\tb.example\n# Number of entries: 2";
    assert_eq!(
        feed::threatfox_hostfile(text, Mode::Strict).unwrap().rows,
        2
    );
    let text = text.replace("entries: 2", "entries: 3");
    let error = feed::threatfox_hostfile(&text, Mode::Lenient).unwrap_err();
    assert_eq!(error.location(), Some(&Location::Line(4)));
}

#[test]
fn warninglist_hostname_sample() {
    let list = Warninglist::parse(&sample("misp_warninglist_tranco10k_sample.json")).unwrap();
    assert_eq!(list.name(), "Top 10K most-used sites from Tranco");
    assert_eq!(list.kind(), WarninglistKind::Hostname);
    assert_eq!(list.version(), Some(20250115));
    assert_eq!(list.values().len(), 25);
    assert_eq!(
        list.matching_attributes(),
        ["hostname", "domain", "url", "domain|ip"]
    );
    assert!(list.description().unwrap().contains("tranco-list.eu"));

    assert!(list.matches("037hdmovie.com").unwrap());
    assert!(list.matches("CDN.037hdmovie.com.").unwrap());
    assert!(!list.matches("x037hdmovie.com").unwrap());

    let import = list.to_import(Mode::Strict).unwrap();
    assert_eq!(import.records.len(), 25);
    assert_eq!(import.records[3].1, Location::Index(3));
    let source = import.records[0].0.metadata().source.as_deref();
    assert_eq!(source, Some(list.name()));
    let set = build_without_rejections(&import);
    for value in list.values() {
        let name = format!("www.{value}");
        assert_eq!(set.is_match(&name), list.matches(&name).unwrap(), "{name}");
    }
}

#[test]
fn warninglist_string_sample() {
    let list = Warninglist::parse(&sample("misp_warninglist_cisco_top20k_sample.json")).unwrap();
    assert_eq!(list.kind(), WarninglistKind::String);
    assert!(list.matches("0-courier.push.apple.com").unwrap());
    assert!(list.matches("0-COURIER.push.apple.com").unwrap());
    assert!(!list.matches("x.0-courier.push.apple.com").unwrap());
    assert!(!list.matches("0-courier.push.apple.com.").unwrap());
    assert!(list.to_import(Mode::Lenient).is_err());
}

#[test]
fn warninglist_kinds_by_name() {
    for kind in [
        WarninglistKind::Hostname,
        WarninglistKind::String,
        WarninglistKind::Substring,
        WarninglistKind::Cidr,
        WarninglistKind::Regex,
    ] {
        assert_eq!(WarninglistKind::from_name(kind.name()), Some(kind));
        let json = format!(r#"{{"name": "n", "type": "{kind}", "list": ["v"]}}"#);
        assert_eq!(Warninglist::parse(&json).unwrap().kind(), kind);
    }
}

#[test]
fn warninglist_regex_parses_but_does_not_match() {
    let list =
        Warninglist::parse(r#"{"name": "n", "type": "regex", "list": ["^a.*$"], "version": null}"#)
            .unwrap();
    assert_eq!(list.values(), ["^a.*$"]);
    assert_eq!(list.version(), None);
    assert!(list.matches("abc").is_err());
    assert!(list.to_import(Mode::Lenient).is_err());
}

/// Returns the Remus page with one extra line inserted before `line` (one-based).
fn remus_with(line: usize, extra: &str) -> String {
    let text = sample("threatfox-remus.md");
    let mut lines: Vec<&str> = text.lines().collect();
    lines.insert(line - 1, extra);
    lines.join("\n")
}

#[test]
fn rule_page_remus_sample() {
    let page = RulePage::parse(&sample("threatfox-remus.md"), Mode::Strict).unwrap();

    assert_eq!(page.description.len(), 1);
    assert!(
        page.description[0]
            .text
            .starts_with("The ThreatFox: Remus IOCs rule")
    );

    let summary = page.summary.as_ref().unwrap();
    assert_eq!(summary.line, 2);
    assert_eq!(summary.malware_family.as_deref(), Some("Remus"));
    assert_eq!(summary.total, Some(2));
    assert_eq!(summary.types, ["domain"]);

    assert_eq!(page.iocs.rows, 2);
    let (record, location) = &page.iocs.records[1];
    assert_eq!(location, &Location::Line(7));
    assert_eq!(record.value, "thequarterlymethod.com");
    assert_eq!(record.kind, IndicatorKind::Domain);
    let metadata = record.metadata();
    assert_eq!(metadata.threat_type.as_deref(), Some("botnet_cc"));
    assert_eq!(metadata.first_seen.as_deref(), Some("2026-05-27"));
    assert_eq!(metadata.confidence, Some(100));
    assert_eq!(metadata.malware.as_deref(), Some("Remus"));
    assert_eq!(metadata.source.as_deref(), Some("ThreatFox - Remus"));

    assert_eq!(page.comments.len(), 2);
    assert_eq!(page.lets.len(), 1);
    let list = &page.lets[0];
    assert_eq!(
        (list.name.as_str(), list.line, list.end_line),
        ("malicious_domains", 10, 10)
    );
    assert_eq!(page.table, "DnsEvents");
    assert_eq!(page.table_line, 11);
    let clause = &page.where_clause;
    assert_eq!(
        (
            clause.line,
            clause.field.as_str(),
            clause.operator.as_str(),
            clause.list.as_str()
        ),
        (12, "Name", "has_any", "malicious_domains")
    );
    let stages: Vec<&str> = page.stages.iter().map(|s| s.text.as_str()).collect();
    assert_eq!(
        stages,
        [
            "project TimeGenerated, Computer, Name, IPAddresses, QueryType",
            "order by TimeGenerated desc"
        ]
    );
    assert_eq!(page.connectors.len(), 1);
    assert_eq!(page.connectors[0].table, "DnsEvents");
    assert_eq!(
        page.connectors[0].note,
        "Ensure this data connector is enabled"
    );
    assert_eq!(page.connectors[0].line, 17);

    assert_eq!(page.scenarios.len(), 5);
    let filter_lines: Vec<usize> = page.scenarios.iter().map(|s| s.filter.line).collect();
    assert_eq!(filter_lines, [20, 23, 26, 29, 32]);
    let first = &page.scenarios[0];
    assert_eq!(first.name, "Scheduled System Backup Using Remus");
    assert_eq!(first.line, 18);
    assert_eq!(first.description.as_ref().unwrap().line, 19);
    assert_eq!(
        first.filter.text,
        "process.parent_process_name:*backup_service* OR process.command_line:*remus_backup*"
    );

    assert_eq!(
        page.indicator_values(),
        ["demale.shop", "thequarterlymethod.com"]
    );
    assert!(page.compare_iocs().is_empty());
    build_without_rejections(&page.iocs);
}

#[test]
fn rule_page_tolerates_layout_variations() {
    let cases = [
        (1, ""),
        (2, ""),
        (8, "```kql"),
        (8, ""),
        (10, "// another comment"),
        (14, "| extend Domain = tostring(Name)"),
        (15, "| sort by Name asc"),
        (15, "```"),
        (18, ""),
        (21, "   "),
    ];
    for (line, extra) in cases {
        let text = remus_with(line, extra);
        let page = RulePage::parse(&text, Mode::Strict)
            .unwrap_or_else(|e| panic!("extra line {extra:?} at {line}: {e}"));
        assert_eq!(page.scenarios.len(), 5, "extra line {extra:?} at {line}");
        assert_eq!(
            page.indicator_values().len(),
            2,
            "extra line {extra:?} at {line}"
        );
    }
}

#[test]
fn rule_page_tolerates_heading_marks() {
    let text = sample("threatfox-remus.md").replace("IOC Summary\n", "## IOC Summary:\n");
    let page = RulePage::parse(&text, Mode::Strict).unwrap();
    assert_eq!(page.summary.unwrap().total, Some(2));
}

#[test]
fn rule_page_rejects_unknown_lines_by_section() {
    let cases = [
        (8, "Some stray prose after the table"),
        (12, "print 1"),
        (14, "| summarize count() by Name"),
        (18, "stray text between the note and the scenarios"),
        (20, "Notes: a label the page does not use"),
    ];
    for (line, extra) in cases {
        let text = remus_with(line, extra);
        let error = RulePage::parse(&text, Mode::Strict).unwrap_err();
        assert_eq!(error.location(), Some(&Location::Line(line)), "{error}");
    }
}

#[test]
fn rule_page_multi_line_let_with_escapes() {
    let text = "\
let domains = dynamic([
    \"demale.shop\",   // the C2
    'single.example',
    @\"C:\\verbatim\"\"quote\",
    \"tab\\there \",
    \"demale.shop\"
]); // closing comment
DnsEvents | where Name in~ (domains) | project Name
";
    let page = RulePage::parse(text, Mode::Strict).unwrap();
    let list = &page.lets[0];
    assert_eq!((list.line, list.end_line), (1, 7));
    assert_eq!(
        list.values,
        [
            "demale.shop",
            "single.example",
            "C:\\verbatim\"quote",
            "tab\there ",
            "demale.shop"
        ]
    );
    assert_eq!(page.where_clause.operator, "in~");
    assert_eq!(page.where_clause.line, 8);
    assert_eq!(page.stages[0].text, "project Name");
    assert_eq!(page.comments[0].text, "closing comment");
    assert!(page.iocs.records.is_empty());
}

#[test]
fn rule_page_keeps_operator_text() {
    for operator in [
        "has_any", "has_all", "has", "in~", "in", "=~", "==", "contains", "endswith", "!has_any",
    ] {
        let text = format!("let d = dynamic([\"a\"]);\nDnsEvents\n| where Name {operator} (d)\n");
        let page = RulePage::parse(&text, Mode::Strict).unwrap();
        assert_eq!(page.where_clause.operator, operator);
    }
}

#[test]
fn rule_page_table_and_list_disagree() {
    let text = sample("threatfox-remus.md").replace(
        "dynamic([\"demale.shop\", \"thequarterlymethod.com\"])",
        "dynamic([\"demale.shop \", \"thequarterlymethod.com\", \"extra.example\"])",
    );
    let page = RulePage::parse(&text, Mode::Strict).unwrap();
    let comparison = page.compare_iocs();
    assert_eq!(comparison.table_only, ["demale.shop"]);
    assert_eq!(comparison.query_only, ["demale.shop ", "extra.example"]);
    assert_eq!(page.iocs.records.len(), 2);
}

#[test]
fn rule_page_lenient_rejects_ioc_rows() {
    let text = sample("threatfox-remus.md")
        .replace(
            "| 2026-05-27 | 100% |\n| domain",
            "| 2026-05-27 | 100% |\n| domain | x |\n| domain",
        )
        .replace("Total IOCs: 2", "Total IOCs: 3");
    let error = RulePage::parse(&text, Mode::Strict).unwrap_err();
    assert!(matches!(error.kind(), FeedErrorKind::CellCount { .. }));
    let page = RulePage::parse(&text, Mode::Lenient).unwrap();
    assert_eq!(page.iocs.rejected.len(), 1);
    assert_eq!(page.iocs.rejected[0].location, Location::Line(7));
    assert_eq!(page.iocs.records.len(), 2);
    assert!(page.iocs.is_accounted());
}

#[test]
fn rule_page_scenario_without_description() {
    let text =
        "let d = dynamic([\"a\"]);\nT\n| where N has (d)\nScenario: s\nFilter/Exclusion: user:x\n";
    let page = RulePage::parse(text, Mode::Strict).unwrap();
    assert_eq!(page.scenarios[0].description, None);
    assert_eq!(page.scenarios[0].filter.line, 5);
}

#[test]
fn public_types_are_send_sync_unwind_safe() {
    fn check<T: Send + Sync + std::panic::UnwindSafe + std::panic::RefUnwindSafe>() {}
    check::<Import>();
    check::<feed::FeedError>();
    check::<RulePage>();
    check::<Warninglist>();
}
