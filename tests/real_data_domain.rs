//! Acceptance on real data: the 0.5M-domain blocklist union against every DNS query name and
//! command line in the shared logs, compared with the naive oracle.

mod common;

use std::collections::BTreeSet;

use common::data;
use common::naive::NaiveSet;
use iocmatch::{IndicatorSet, SetBuilder, normalize_indicator};

fn blocklist_union(data: &std::path::Path) -> (IndicatorSet, NaiveSet, usize) {
    let lines = data::blocklist_lines(data);
    let mut builder = SetBuilder::new();
    let mut patterns = Vec::new();
    for line in lines.iter().filter(|line| !line.trim().is_empty()) {
        builder.push(line);
        if let Ok(normalized) = normalize_indicator(line) {
            patterns.push(normalized.to_pattern());
        }
    }
    let pushed = builder.len();
    let built = builder.build_lenient();
    assert_eq!(built.rejected.len() + patterns.len(), pushed);
    for rejected in &built.rejected {
        assert!(rejected.error.location().is_some(), "{}", rejected.error);
    }
    let oracle = NaiveSet::new(patterns.iter().map(String::as_str), false);
    (built.set, oracle, built.rejected.len())
}

#[test]
fn blocklist_union_against_dns_and_process_logs() {
    let Some(data) = data::shared_data("blocklist_union_against_dns_and_process_logs") else {
        return;
    };
    let (set, oracle, rejected) = blocklist_union(&data);
    assert!(set.len() > 500_000, "only {} indicators", set.len());
    eprintln!("{} indicators, {rejected} rejected lines", set.len());

    let mut names: Vec<String> = data::sysmon_query_names(&data);
    let sysmon_count = names.len();
    names.extend(data::zeek_query_names(&data));
    assert!(
        sysmon_count > 2_000 && names.len() > 55_000,
        "{sysmon_count} and {}",
        names.len()
    );

    let distinct: BTreeSet<&str> = names.iter().map(String::as_str).collect();
    let mut hits = 0;
    for name in &distinct {
        let expected = oracle.covering(name);
        let found: Vec<(String, usize)> = set
            .find_iter(name)
            .map(|hit| (hit.indicator().to_owned(), hit.span().start))
            .collect();
        assert_eq!(found, expected, "name {name:?}");
        hits += usize::from(!found.is_empty());
    }
    eprintln!("{} distinct names, {hits} covered", distinct.len());
    assert!(
        hits > 0,
        "real blocklists must produce real hits on these logs"
    );

    let mut scan_hits = 0;
    for line in data::command_lines(&data) {
        let mut found: Vec<(String, usize, usize)> = set
            .scan(line.as_bytes())
            .map(|hit| (hit.indicator().to_owned(), hit.span().start, hit.span().end))
            .collect();
        found.sort();
        assert_eq!(
            found,
            oracle.scan_by_position(line.as_bytes()),
            "command line {line:?}"
        );
        scan_hits += found.len();
    }
    eprintln!("{scan_hits} matches in command lines");
}
