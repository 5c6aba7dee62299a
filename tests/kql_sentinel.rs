//! Acceptance: the `has_any` lists of two Azure Sentinel DNS rules, run over every query name of
//! two real DNS logs, must give the naive reference's answer for every name.
//!
//! The data lives outside the repository. When it is absent the tests print a message and pass.

mod common;

use std::collections::BTreeSet;
use std::io::Read;
use std::path::{Path, PathBuf};

use common::naive_kql;
use iocmatch::kql::{KqlList, KqlOperator, evaluate};

fn data_dir() -> Option<PathBuf> {
    let dir = Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/data"));
    if dir.is_dir() {
        Some(dir.to_path_buf())
    } else {
        println!("skipping: data directory {} is absent", dir.display());
        None
    }
}

fn read_gzip(path: &Path) -> String {
    let file = std::fs::File::open(path).unwrap_or_else(|e| panic!("open {}: {e}", path.display()));
    let mut text = String::new();
    flate2::read::GzDecoder::new(file)
        .read_to_string(&mut text)
        .unwrap_or_else(|e| panic!("decompress {}: {e}", path.display()));
    text
}

/// Extracts the quoted values of the `has_any (...)` list in a Sentinel rule's query, in order,
/// with duplicates and any spaces inside the quotes kept.
fn has_any_values(rule: &str) -> Vec<String> {
    let start = rule.find("has_any").expect("rule has no has_any");
    let after = &rule[start..];
    let open = after.find('(').expect("has_any without '('");
    let mut values = Vec::new();
    let mut chars = after[open + 1..].chars();
    while let Some(c) = chars.next() {
        match c {
            ')' => return values,
            '"' => values.push(chars.by_ref().take_while(|&c| c != '"').collect()),
            _ => {}
        }
    }
    panic!("has_any list without ')'");
}

fn sentinel_rule_values(data: &Path, file: &str) -> Vec<String> {
    let path = data.join("rules/sentinel").join(file);
    let rule =
        std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()));
    has_any_values(&rule)
}

/// Distinct `QueryName` values of the Sysmon event 22 extract.
fn sysmon_query_names(data: &Path) -> BTreeSet<String> {
    let text = read_gzip(&data.join("dns-logs/otrf_mordor_sysmon_eid22_dnsquery.jsonl.gz"));
    let mut names = BTreeSet::new();
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        let event: serde_json::Value = serde_json::from_str(line).expect("invalid JSON line");
        if let Some(name) = event["QueryName"].as_str() {
            names.insert(name.to_string());
        }
    }
    names
}

/// Distinct `query` column values of the Zeek `dns.log`, located by its `#fields` header. The
/// unset (`-`) and empty (`(empty)`) markers are not query names and are skipped.
fn zeek_query_names(data: &Path) -> BTreeSet<String> {
    let text = read_gzip(&data.join("dns-logs/zeek_wrccdc2018_dns.log.gz"));
    let fields_line = text
        .lines()
        .find(|l| l.starts_with("#fields\t"))
        .expect("no #fields header");
    let column = fields_line
        .split('\t')
        .skip(1)
        .position(|field| field == "query")
        .expect("no query column");
    let mut names = BTreeSet::new();
    for line in text.lines().filter(|l| !l.starts_with('#')) {
        let query = line.split('\t').nth(column).expect("short Zeek record");
        if query != "-" && query != "(empty)" {
            names.insert(query.to_string());
        }
    }
    names
}

/// Compares `has_any`, `find` and `has_any_index` with the reference on every name, and returns
/// the number of names that matched.
fn compare_has_any(values: &[String], names: &BTreeSet<String>) -> usize {
    let list = KqlList::new(values).unwrap();
    let mut hits = 0;
    for name in names {
        let expected = naive_kql::evaluate(KqlOperator::HasAny, values, name, false);
        assert_eq!(list.has_any(name), expected, "has_any on {name:?}");
        assert_eq!(
            evaluate(KqlOperator::HasAny, &list, name),
            expected,
            "evaluate on {name:?}"
        );

        let naive_found = naive_kql::find(KqlOperator::HasAny, values, name, false)
            .map(|m| (m.index, m.start..m.end));
        let found = list.find(name).map(|m| (m.index(), m.span()));
        assert_eq!(found, naive_found, "find on {name:?}");

        let naive_index = naive_kql::has_any_index(values, name, false);
        assert_eq!(
            list.has_any_index(name),
            naive_index,
            "has_any_index on {name:?}"
        );
        hits += usize::from(expected);
    }
    hits
}

#[test]
fn rule_lists_extract_with_duplicates() {
    let Some(data) = data_dir() else { return };
    let miners = sentinel_rule_values(&data, "DNS_Miners.yaml");
    assert_eq!(miners.len(), 73);
    assert_eq!(miners.iter().collect::<BTreeSet<_>>().len(), 70);
    assert_eq!(miners[0], "monerohash.com");
    assert_eq!(miners[72], "shscrypto.net");
    let tor = sentinel_rule_values(&data, "DNS_TorProxies.yaml");
    assert_eq!(tor.len(), 32);
    assert_eq!(tor[31], "hiddenservice.net");
    assert_eq!(KqlList::new(miners).unwrap().distinct_len(), 70);
}

#[test]
fn sentinel_rules_over_sysmon_dns() {
    let Some(data) = data_dir() else { return };
    let names = sysmon_query_names(&data);
    assert!(
        names.len() > 100,
        "only {} distinct Sysmon query names",
        names.len()
    );
    for rule in ["DNS_Miners.yaml", "DNS_TorProxies.yaml"] {
        let values = sentinel_rule_values(&data, rule);
        let hits = compare_has_any(&values, &names);
        println!(
            "{rule}: {hits} of {} distinct Sysmon query names match",
            names.len()
        );
    }
}

#[test]
fn sentinel_rules_over_zeek_dns() {
    let Some(data) = data_dir() else { return };
    let names = zeek_query_names(&data);
    assert!(
        names.len() > 1_000,
        "only {} distinct Zeek query names",
        names.len()
    );
    for rule in ["DNS_Miners.yaml", "DNS_TorProxies.yaml"] {
        let values = sentinel_rule_values(&data, rule);
        let hits = compare_has_any(&values, &names);
        println!(
            "{rule}: {hits} of {} distinct Zeek query names match",
            names.len()
        );
    }
}

/// The rule lists match no name in these lab logs, so this list of common terms checks that real
/// names with many hits and near misses agree too, for every operator.
#[test]
fn common_terms_over_real_names() {
    let Some(data) = data_dir() else { return };
    let mut names = sysmon_query_names(&data);
    names.extend(zeek_query_names(&data));
    let values: Vec<String> = [
        "microsoft.com",
        "wrccdc",
        "Google.com",
        "windows",
        "com",
        ".net",
        "update.",
    ]
    .map(String::from)
    .to_vec();
    let list = KqlList::new(values.clone()).unwrap();

    let hits = compare_has_any(&values, &names);
    assert!(hits > 100, "only {hits} names matched the common terms");
    for operator in KqlOperator::ALL {
        for name in &names {
            let expected = naive_kql::evaluate(operator, &values, name, false);
            assert_eq!(
                evaluate(operator, &list, name),
                expected,
                "{name:?} {operator}"
            );
        }
    }
    println!(
        "common terms: {hits} of {} distinct names match",
        names.len()
    );
}
