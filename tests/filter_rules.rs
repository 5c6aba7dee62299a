//! The five exclusion filters of the ThreatFox Remus rule page, on hand-made events and on every
//! real process-creation event, through the Sysmon and Windows Security alias profiles.

mod common;

use std::io::BufRead;

use common::naive_filter::naive_is_match_aliased;
use iocmatch::event::{AliasedEvent, FieldAliases};
use iocmatch::filter::Filter;
use serde_json::{Value, json};

/// The `Filter/Exclusion:` lines of the rule page, in page order.
const SEED_FILTERS: [&str; 5] = [
    "process.parent_process_name:*backup_service* OR process.command_line:*remus_backup*",
    "process.user:*admin* AND process.command_line:*remus_log_aggregation*",
    "process.machine_name:*dev-* OR process.user:*dev*",
    "process.command_line:*remus_monitor* OR process.parent_process_name:*monitoring_service*",
    "process.parent_process_name:*splunk* OR process.parent_process_name:*elasticsearch*",
];

/// Builds a Sysmon event 1 record with the fields the seed filters read.
fn sysmon(user: &str, parent_image: &str, command_line: &str, host: &str) -> Value {
    json!({
        "Channel": "Microsoft-Windows-Sysmon/Operational",
        "EventID": 1,
        "User": user,
        "AccountName": "SYSTEM",
        "ParentImage": parent_image,
        "Image": r"C:\Tools\remus.exe",
        "CommandLine": command_line,
        "Hostname": host,
    })
}

/// Builds a Windows Security event 4688 record with the fields the seed filters read.
fn security(user: &str, parent_process: &str, command_line: &str, host: &str) -> Value {
    json!({
        "Channel": "Security",
        "EventID": 4688,
        "SubjectUserName": user,
        "ParentProcessName": parent_process,
        "NewProcessName": r"C:\Tools\remus.exe",
        "CommandLine": command_line,
        "Hostname": host,
    })
}

/// Checks a filter on an event through a profile, compiled and naive.
fn check(filter: &str, event: &Value, aliases: &FieldAliases, expected: bool) {
    let parsed = Filter::parse(filter).unwrap();
    let aliased = AliasedEvent::new(event, aliases);
    assert_eq!(parsed.is_match(&aliased), expected, "{filter} on {event}");
    assert_eq!(
        naive_is_match_aliased(parsed.ast(), event, aliases, false),
        expected,
        "naive"
    );
}

#[test]
fn seed_filters_match_rule_page() {
    let Some(dir) = common::data::shared_data(module_path!()) else {
        return;
    };
    let page = std::fs::read_to_string(dir.join("rules/threatfox-remus.md")).unwrap();
    let filters: Vec<&str> = page
        .lines()
        .filter_map(|line| line.strip_prefix("Filter/Exclusion:"))
        .map(str::trim)
        .collect();
    assert_eq!(filters, SEED_FILTERS);
}

#[test]
fn seed_filters_use_known_fields() {
    let builtin = FieldAliases::builtin();
    for filter in SEED_FILTERS {
        let parsed = Filter::parse(filter).unwrap();
        assert!(parsed.unknown_fields(&builtin).is_empty(), "{filter}");
        assert!(
            parsed.unknown_fields(&FieldAliases::sysmon()).is_empty(),
            "{filter}"
        );
        assert_eq!(
            Filter::parse(&parsed.to_string()).unwrap().ast(),
            parsed.ast()
        );
    }
}

#[test]
fn scheduled_backup_exclusion() {
    let [filter, ..] = SEED_FILTERS;
    let sysmon_profile = FieldAliases::sysmon();
    let security_profile = FieldAliases::windows_security();
    let backup_parent = sysmon(
        r"CORP\svc",
        r"C:\Program Files\Backup\Backup_Service.exe",
        "remus.exe --sync",
        "srv-01",
    );
    let backup_command = security(
        "svc",
        r"C:\Windows\explorer.exe",
        r"C:\x\REMUS_BACKUP.exe -q",
        "srv-01",
    );
    let unrelated = sysmon(
        r"CORP\svc",
        r"C:\Windows\explorer.exe",
        "remus.exe --exfil",
        "srv-01",
    );
    // The parent path contains the name, but only its basename is tested: a folder named
    // backup_service does not exclude.
    let folder_only = sysmon(
        r"CORP\svc",
        r"C:\backup_service\launcher.exe",
        "remus.exe",
        "srv-01",
    );

    check(filter, &backup_parent, &sysmon_profile, true);
    check(filter, &backup_command, &security_profile, true);
    check(filter, &unrelated, &sysmon_profile, false);
    check(filter, &folder_only, &sysmon_profile, false);
}

#[test]
fn admin_log_aggregation_exclusion() {
    let [_, filter, ..] = SEED_FILTERS;
    let sysmon_profile = FieldAliases::sysmon();
    let security_profile = FieldAliases::windows_security();
    let hit = sysmon(
        r"CORP\Administrator",
        r"C:\Windows\explorer.exe",
        "remus --mode remus_log_aggregation",
        "srv-02",
    );
    let sysadmin_hit = security(
        "sysadmin",
        r"C:\Windows\cmd.exe",
        "remus_log_aggregation.exe",
        "srv-02",
    );
    // The specification's example: the user matches but the command line does not.
    let wrong_command = sysmon(
        "sysadmin",
        r"C:\Windows\cmd.exe",
        "/opt/remus_log --run",
        "srv-02",
    );
    let wrong_user = security(
        "alice",
        r"C:\Windows\cmd.exe",
        "remus_log_aggregation.exe",
        "srv-02",
    );

    check(filter, &hit, &sysmon_profile, true);
    check(filter, &sysadmin_hit, &security_profile, true);
    check(filter, &wrong_command, &sysmon_profile, false);
    check(filter, &wrong_user, &security_profile, false);
}

#[test]
fn development_environment_exclusion() {
    let [_, _, filter, ..] = SEED_FILTERS;
    let sysmon_profile = FieldAliases::sysmon();
    let security_profile = FieldAliases::windows_security();
    let dev_host = sysmon(
        r"CORP\alice",
        r"C:\Windows\explorer.exe",
        "remus.exe",
        "DEV-LAPTOP7.corp.local",
    );
    let dev_user = security("devops", r"C:\Windows\explorer.exe", "remus.exe", "prod-01");
    let prod = sysmon(
        r"CORP\alice",
        r"C:\Windows\explorer.exe",
        "remus.exe",
        "prod-01",
    );
    // `*dev-*` needs the hyphen, so a host named `devbox` is not excluded by the host clause.
    let no_hyphen = security("alice", r"C:\Windows\explorer.exe", "remus.exe", "devbox");

    check(filter, &dev_host, &sysmon_profile, true);
    check(filter, &dev_user, &security_profile, true);
    check(filter, &prod, &sysmon_profile, false);
    check(filter, &no_hyphen, &security_profile, false);
}

#[test]
fn internal_monitoring_exclusion() {
    let [_, _, _, filter, _] = SEED_FILTERS;
    let sysmon_profile = FieldAliases::sysmon();
    let security_profile = FieldAliases::windows_security();
    let command = sysmon(
        r"CORP\svc",
        r"C:\Windows\explorer.exe",
        "remus_monitor.exe --interval 60",
        "mon-01",
    );
    let parent = security(
        "svc",
        r"D:\apps\Monitoring_Service.exe",
        "remus.exe",
        "mon-01",
    );
    let other = sysmon(
        r"CORP\svc",
        r"C:\Windows\services.exe",
        "remus.exe --monitor",
        "mon-01",
    );

    check(filter, &command, &sysmon_profile, true);
    check(filter, &parent, &security_profile, true);
    check(filter, &other, &sysmon_profile, false);
    check(filter, &other, &security_profile, false);
}

#[test]
fn siem_integration_exclusion() {
    let [.., filter] = SEED_FILTERS;
    let sysmon_profile = FieldAliases::sysmon();
    let security_profile = FieldAliases::windows_security();
    let splunk = sysmon(
        r"CORP\svc",
        r"C:\Program Files\Splunk\bin\splunkd.exe",
        "remus.exe",
        "siem-01",
    );
    let elastic = security(
        "svc",
        r"C:\elastic\Elasticsearch-service-x64.exe",
        "remus.exe",
        "siem-01",
    );
    let other = sysmon(
        r"CORP\svc",
        r"C:\Windows\explorer.exe",
        "splunk remus.exe",
        "siem-01",
    );

    check(filter, &splunk, &sysmon_profile, true);
    check(filter, &elastic, &security_profile, true);
    check(filter, &other, &sysmon_profile, false);
    // Without aliases the Sysmon record has no `process.parent_process_name` at all.

    check(filter, &splunk, &FieldAliases::new(), false);
}

#[test]
fn seed_filters_on_real_events_equal_naive() {
    let Some(dir) = common::data::shared_data(module_path!()) else {
        return;
    };
    let path = dir.join("process-events/otrf_mordor_sysmon_eid1_security_4688.jsonl.gz");
    let file = std::fs::File::open(path).unwrap();
    let reader = std::io::BufReader::new(flate2::read::GzDecoder::new(file));
    let events: Vec<Value> = reader
        .lines()
        .map(|line| serde_json::from_str(&line.unwrap()).unwrap())
        .collect();
    assert_eq!(events.len(), 3556);

    let filters: Vec<Filter> = SEED_FILTERS
        .iter()
        .map(|text| Filter::parse(text).unwrap())
        .collect();
    let profiles = [
        ("sysmon", FieldAliases::sysmon()),
        ("security", FieldAliases::windows_security()),
        ("builtin", FieldAliases::builtin()),
    ];
    let mut disagreements = Vec::new();
    for (name, aliases) in &profiles {
        let mut hits = [0usize; 5];
        for event in &events {
            let aliased = AliasedEvent::new(event, aliases);
            for (index, filter) in filters.iter().enumerate() {
                let compiled = filter.is_match(&aliased);
                let naive = naive_is_match_aliased(filter.ast(), event, aliases, false);
                if compiled != naive {
                    disagreements.push(format!("{name} filter {index}: {event}"));
                }
                hits[index] += usize::from(compiled);
            }
        }
        println!("{name}: hits per seed filter {hits:?}");
    }
    assert!(
        disagreements.is_empty(),
        "{} disagreements, first: {}",
        disagreements.len(),
        disagreements[0]
    );
}

#[test]
fn wildcards_on_real_command_lines_equal_naive() {
    let Some(dir) = common::data::shared_data(module_path!()) else {
        return;
    };
    let path = dir.join("process-events/otrf_mordor_sysmon_eid1_security_4688.jsonl.gz");
    let file = std::fs::File::open(path).unwrap();
    let reader = std::io::BufReader::new(flate2::read::GzDecoder::new(file));
    let aliases = FieldAliases::builtin();
    // Patterns chosen to hit real values: each one matches at least one event.
    let filters = [
        "process.command_line:*powershell*",
        r"process.parent_process_name:services.exe",
        r"process.command_line:C\:\\windows\\system32\\*.exe",
        "process.command_line:*-?nc*",
        "process.user:*SYSTEM",
        "process.machine_name:WORKSTATION?.*",
        "process.command_line:/.*\\.exe\"?( .*)?/",
        "NOT _exists_:process.command_line",
    ];

    let filters: Vec<Filter> = filters
        .iter()
        .map(|text| Filter::parse(text).unwrap())
        .collect();

    let mut hits = vec![0usize; filters.len()];
    for line in reader.lines() {
        let event: Value = serde_json::from_str(&line.unwrap()).unwrap();
        let aliased = AliasedEvent::new(&event, &aliases);
        for (index, filter) in filters.iter().enumerate() {
            let compiled = filter.is_match(&aliased);
            let naive = naive_is_match_aliased(filter.ast(), &event, &aliases, false);
            assert_eq!(compiled, naive, "{} on {event}", filter.text());
            hits[index] += usize::from(compiled);
        }
    }

    println!("hits per filter {hits:?}");
    for (filter, count) in filters.iter().zip(&hits) {
        assert!(*count > 0, "{} matched no event", filter.text());
    }
}
