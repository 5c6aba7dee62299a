//! The seed rule page end to end: imported, compiled and evaluated on the committed sample
//! events, in Sentinel's KQL mode and in domain mode.

use std::collections::HashMap;

use iocmatch::feed::{Mode, RulePage};
use iocmatch::kql::KqlOperator;
use iocmatch::rule::{MatchMode, Rule, RuleDefinition};
use serde_json::Value;

const PAGE: &str = include_str!("../examples/data/threatfox-remus.md");
const DNS: &str = include_str!("../examples/data/constructed_remus_events.jsonl");
const PROCESS: &str = include_str!("../examples/data/constructed_remus_process.jsonl");

/// Returns the constructed DNS events with the fields of their process joined in.
fn joined_events() -> Vec<Value> {
    let processes: HashMap<String, Value> = PROCESS
        .lines()
        .map(|line| serde_json::from_str::<Value>(line).unwrap())
        .map(|event| (event["ProcessGuid"].as_str().unwrap().to_owned(), event))
        .collect();
    DNS.lines()
        .map(|line| {
            let mut event: Value = serde_json::from_str(line).unwrap();
            let guid = event["ProcessGuid"].as_str().unwrap().to_owned();
            for (field, value) in processes[&guid].as_object().unwrap() {
                event
                    .as_object_mut()
                    .unwrap()
                    .entry(field.clone())
                    .or_insert_with(|| value.clone());
            }
            event
        })
        .collect()
}

fn seed_definition() -> RuleDefinition {
    let page = RulePage::parse(PAGE, Mode::Strict).unwrap();
    RuleDefinition::from_page(&page).unwrap()
}

#[test]
fn seed_page_becomes_a_kql_rule() {
    let definition = seed_definition();
    assert_eq!(definition.name, "ThreatFox: Remus IOCs");
    assert_eq!(definition.table.as_deref(), Some("DnsEvents"));
    assert_eq!(definition.fields, ["Name"]);
    assert_eq!(definition.mode, MatchMode::Kql(KqlOperator::HasAny));
    let values: Vec<&str> = definition
        .indicators
        .iter()
        .map(|r| r.value.as_str())
        .collect();
    assert_eq!(values, ["demale.shop", "thequarterlymethod.com"]);
    assert_eq!(
        definition.indicators[0].metadata().threat_type.as_deref(),
        Some("botnet_cc")
    );
    assert_eq!(definition.indicators[0].metadata().confidence, Some(100));
    assert_eq!(definition.scenarios.len(), 5);
    assert_eq!(
        definition.scenarios[1].name,
        "Admin Task Using Remus for Log Aggregation"
    );
    assert_eq!(
        definition.scenarios[1].filter,
        "process.user:*admin* AND process.command_line:*remus_log_aggregation*"
    );
}

#[test]
fn seed_verdicts_in_kql_and_domain_mode() {
    let events = joined_events();
    let expected = [
        // (query name, KQL verdict, domain verdict)
        ("cdn.demale.shop", "hit", "hit"),
        ("thequarterlymethod.com", "suppressed", "suppressed"),
        ("xdemale.shop", "none", "none"),
        ("demale.shop.attacker.example", "hit", "none"),
    ];
    let kql = Rule::new(seed_definition()).unwrap();
    let mut domain_definition = seed_definition();
    domain_definition.mode = MatchMode::Domain;
    let domain = Rule::new(domain_definition).unwrap();

    let label = |verdict: &iocmatch::Verdict<'_>| {
        if verdict.is_suppressed() {
            "suppressed"
        } else if verdict.is_hit() {
            "hit"
        } else {
            "none"
        }
    };
    assert_eq!(events.len(), expected.len());
    for (event, (name, kql_expected, domain_expected)) in events.iter().zip(expected) {
        assert_eq!(event["QueryName"], name);
        assert_eq!(
            label(&kql.evaluate(event)),
            kql_expected,
            "KQL mode, {name}"
        );
        assert_eq!(
            label(&domain.evaluate(event)),
            domain_expected,
            "domain mode, {name}"
        );
    }

    let suppressed = kql.evaluate(&events[1]);
    assert_eq!(
        suppressed.scenario().unwrap().name(),
        "Scheduled System Backup Using Remus"
    );
}

#[test]
fn seed_rule_json_round_trip() {
    let rule = Rule::new(seed_definition()).unwrap();
    let again = Rule::from_json(&rule.to_json()).unwrap();
    assert_eq!(again.definition(), rule.definition());
}
