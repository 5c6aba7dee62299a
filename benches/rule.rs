//! Whole verdicts per event: a compiled rule resolves its fields through the built-in aliases,
//! finds the first indicator and tests its exclusion scenarios on a hit.
//!
//! Each group compares `Rule::evaluate` with the bare match on values extracted beforehand
//! (`match_only`), so the difference is the cost of the verdict: event access, aliases, the hit
//! record and the scenarios.
//!
//! Run with `cargo bench --bench rule`. Set `IOCMATCH_BENCH_GENERATED=1` to use the generated
//! corpus instead of the shared data.

#[path = "common/event_corpus.rs"]
mod event_corpus;

use std::hint::black_box;
use std::time::{Duration, Instant};

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use iocmatch::IndicatorRecord;
use iocmatch::kql::KqlOperator;
use iocmatch::rule::{MatchMode, Rule, RuleDefinition, ScenarioDefinition, Verdict};
use serde_json::Value;

use event_corpus::Source;

/// Verdict counts over a corpus.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
struct Tally {
    hits: usize,
    suppressed: usize,
    no_match: usize,
}

fn tally(rule: &Rule, events: &[Value]) -> Tally {
    let mut tally = Tally::default();
    for event in events {
        match rule.evaluate(event) {
            Verdict::NoMatch => tally.no_match += 1,
            Verdict::Hit(_) => tally.hits += 1,
            Verdict::Suppressed { .. } => tally.suppressed += 1,
        }
    }
    tally
}

/// Builds a rule over `field` with the five seed exclusions as scenarios.
fn rule(source: &Source, name: &str, field: &str, mode: MatchMode, indicators: &[String]) -> Rule {
    let scenarios = event_corpus::seed_exclusions(source)
        .into_iter()
        .enumerate()
        .map(|(i, filter)| ScenarioDefinition {
            name: format!("seed exclusion {}", i + 1),
            description: String::new(),
            filter,
        })
        .collect();
    let started = Instant::now();
    let (rule, rejected) = Rule::new_lenient(RuleDefinition {
        name: name.to_owned(),
        description: String::new(),
        table: None,
        fields: vec![field.to_owned()],
        mode,
        exact_only: false,
        case_sensitive_filters: false,
        indicators: indicators.iter().map(IndicatorRecord::new).collect(),
        scenarios,
    })
    .unwrap_or_else(|e| panic!("rule {name}: {e}"));
    eprintln!(
        "rule {name}: {} indicators, {} rejected, compiled in {:.2?}",
        indicators.len(),
        rejected.len(),
        started.elapsed()
    );
    rule
}

/// Extracts the first string value of `field` from each event, for the `match_only` line.
fn values_of(events: &[Value], field: &str) -> Vec<String> {
    events
        .iter()
        .filter_map(|event| event.get(field)?.as_str().map(str::to_owned))
        .collect()
}

/// Asserts the verdicts and the bare match count, then times both.
fn bench_rule(
    c: &mut Criterion,
    group_name: &str,
    rule: &Rule,
    events: &[Value],
    expected: Tally,
    values: &[String],
    match_value: impl Fn(&str) -> bool,
) {
    let verdicts = tally(rule, events);
    assert_eq!(verdicts, expected, "{group_name}: verdicts");
    let matched = values.iter().filter(|v| match_value(v)).count();
    assert_eq!(
        matched,
        expected.hits + expected.suppressed,
        "{group_name}: the bare match finds every event with a verdict hit"
    );
    eprintln!("{group_name}: {} events, {verdicts:?}", events.len());

    let mut group = c.benchmark_group(group_name);
    group.throughput(Throughput::Elements(events.len() as u64));
    group.bench_function("iocmatch_rule", |b| {
        b.iter(|| tally(rule, black_box(events)))
    });
    group.bench_function("match_only", |b| {
        b.iter(|| black_box(values).iter().filter(|v| match_value(v)).count())
    });
    group.finish();
}

/// Every how many DNS events a seeded copy queries a mining-pool domain.
const SEED_EVERY: usize = 50;

/// Copies the DNS events, appending a mining-pool value to every [`SEED_EVERY`]-th `QueryName`,
/// because the real queries contain none of them.
fn seeded_dns_events(events: &[Value], pools: &[String]) -> Vec<Value> {
    events
        .iter()
        .enumerate()
        .map(|(i, event)| {
            let mut event = event.clone();
            if i % SEED_EVERY == 0 {
                let pool = &pools[(i / SEED_EVERY) % pools.len()];
                if let Some(Value::String(name)) = event.get_mut("QueryName") {
                    name.push('.');
                    name.push_str(pool);
                }
            }
            event
        })
        .collect()
}

/// Copies the process events, appending a URL on a malware domain to every [`SEED_EVERY`]-th
/// `CommandLine`, because no real command line contains one. Every second seeded line also
/// carries `remus_backup`, which the first seed exclusion suppresses.
fn seeded_process_events(events: &[Value], domains: &[String]) -> Vec<Value> {
    events
        .iter()
        .enumerate()
        .map(|(i, event)| {
            let mut event = event.clone();
            if i % SEED_EVERY == 0 {
                let seeded = i / SEED_EVERY;
                let domain = &domains[(seeded * 97) % domains.len()];
                if let Some(Value::String(line)) = event.get_mut("CommandLine") {
                    line.push_str(&format!(" --url http://cdn.{domain}/x"));
                    if seeded % 2 == 1 {
                        line.push_str(" --mode remus_backup");
                    }
                }
            }
            event
        })
        .collect()
}

fn rule_benches(c: &mut Criterion) {
    let source = Source::locate("rule");
    let dns_events = event_corpus::dns_events(&source);
    let process_events = event_corpus::process_events(&source);
    let malware = event_corpus::shadowwhisperer_list(&source, "RAW_Malware.txt", 0, 44_000);
    let tracking = event_corpus::shadowwhisperer_list(&source, "RAW_Tracking.txt", 44_000, 116_000);
    let miners = event_corpus::miners_list(&source);
    let dns_names = values_of(&dns_events, "QueryName");
    let command_lines = values_of(&process_events, "CommandLine");

    // Domain mode: the malware blocklist over the DNS query names.
    let domain_rule = rule(
        &source,
        "malware domains",
        "dns.question.name",
        MatchMode::Domain,
        &malware,
    );
    let set = domain_rule
        .indicator_set()
        .expect("a domain rule has a set");
    bench_rule(
        c,
        "rule/domain_dns_malware",
        &domain_rule,
        &dns_events,
        pinned(&source, [0, 0, 2043], [212, 0, 1788]),
        &dns_names,
        |name| set.is_match(name),
    );

    // KQL mode: the Sentinel mining-pool list over the DNS query names, read as the `Name`
    // field of `DnsEvents`. The events are seeded, because no real query names a pool.
    let kql_rule = rule(
        &source,
        "mining pools",
        "Name",
        MatchMode::Kql(KqlOperator::HasAny),
        &miners,
    );
    let list = iocmatch::kql::KqlList::new(&miners).expect("list values are not blank");
    let seeded_events = seeded_dns_events(&dns_events, &miners);
    let seeded_names = values_of(&seeded_events, "QueryName");
    bench_rule(
        c,
        "rule/kql_dns_seeded",
        &kql_rule,
        &seeded_events,
        pinned(&source, [41, 0, 2002], [77, 0, 1923]),
        &seeded_names,
        |name| list.has_any(name),
    );

    // Domain mode with the tracking list, which matches about half of the real query names, so
    // the hit path and the scenarios run too.
    let tracking_rule = rule(
        &source,
        "tracking domains",
        "dns.question.name",
        MatchMode::Domain,
        &tracking,
    );
    let tracking_set = tracking_rule
        .indicator_set()
        .expect("a domain rule has a set");
    bench_rule(
        c,
        "rule/domain_dns_tracking",
        &tracking_rule,
        &dns_events,
        pinned(&source, [1106, 0, 937], [32, 0, 1968]),
        &dns_names,
        |name| tracking_set.is_match(name),
    );

    // Text mode: the malware blocklist inside command lines.
    let text_rule = rule(
        &source,
        "malware in command lines",
        "process.command_line",
        MatchMode::Text,
        &malware,
    );
    let text_set = text_rule.indicator_set().expect("a text rule has a set");
    bench_rule(
        c,
        "rule/text_cmdline",
        &text_rule,
        &process_events,
        pinned(&source, [0, 0, 3556], [18, 15, 2967]),
        &command_lines,
        |line| text_set.is_match_text(line.as_bytes()),
    );

    let seeded_processes = seeded_process_events(&process_events, &malware);
    let seeded_lines = values_of(&seeded_processes, "CommandLine");
    bench_rule(
        c,
        "rule/text_cmdline_seeded",
        &text_rule,
        &seeded_processes,
        pinned(&source, [35, 35, 3486], [26, 67, 2907]),
        &seeded_lines,
        |line| text_set.is_match_text(line.as_bytes()),
    );
}

/// Picks the verdict counts `[hits, suppressed, no match]` pinned for this corpus.
fn pinned(source: &Source, real: [usize; 3], generated: [usize; 3]) -> Tally {
    let [hits, suppressed, no_match] = if source.is_real() { real } else { generated };
    Tally {
        hits,
        suppressed,
        no_match,
    }
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .sample_size(10)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(2));
    targets = rule_benches
}
criterion_main!(benches);
