//! Field aliases: built-in profiles, resolution order, transforms and caller additions.

mod common;

use std::io::BufRead;

use iocmatch::event::{Alias, AliasedEvent, Event, FieldAliases, Transform};
use serde_json::json;

/// Returns the alias fields of `field` in order, with `()` marking a basename transform.
fn alias_names(aliases: &FieldAliases, field: &str) -> Vec<String> {
    aliases
        .aliases(field)
        .iter()
        .map(|alias| match alias.transform() {
            Transform::Basename => format!("basename({})", alias.field()),
            _ => alias.field().to_owned(),
        })
        .collect()
}

#[test]
fn builtin_profiles_map_required_fields() {
    let builtin = FieldAliases::builtin();
    let cases: &[(&str, &[&str])] = &[
        (
            "process.user",
            &[
                "user.name",
                "User",
                "SubjectUserName",
                "AccountName",
                "InitiatingProcessAccountName",
            ],
        ),
        (
            "process.parent_process_name",
            &[
                "process.parent.name",
                "basename(ParentImage)",
                "basename(ParentProcessName)",
                "InitiatingProcessFileName",
            ],
        ),
        (
            "process.machine_name",
            &[
                "host.name",
                "host.hostname",
                "Hostname",
                "Computer",
                "DeviceName",
            ],
        ),
        (
            "process.command_line",
            &["CommandLine", "ProcessCommandLine"],
        ),
        (
            "process.executable",
            &["Image", "NewProcessName", "FolderPath"],
        ),
        (
            "process.name",
            &[
                "basename(Image)",
                "basename(NewProcessName)",
                "Process",
                "FileName",
            ],
        ),
        ("dns.question.name", &["QueryName", "Name", "query"]),
        ("process.entity_id", &["ProcessGuid"]),
        ("source.ip", &["ClientIP", "id.orig_h"]),
    ];
    for &(field, expected) in cases {
        assert_eq!(alias_names(&builtin, field), expected, "{field}");
    }
}

#[test]
fn source_fields_alias_back() {
    let builtin = FieldAliases::builtin();
    assert_eq!(alias_names(&builtin, "user.name")[0], "process.user");
    assert_eq!(
        alias_names(&builtin, "CommandLine"),
        ["process.command_line", "ProcessCommandLine"]
    );
    assert_eq!(
        alias_names(&builtin, "QueryName"),
        ["dns.question.name", "Name", "query"]
    );
    // A transformed source has no aliases of its own: its raw value is a path.
    assert!(
        builtin
            .aliases("ParentProcessName")
            .iter()
            .all(|a| a.field() != "process.parent_process_name")
    );
}

#[test]
fn first_present_alias_wins() {
    let aliases = FieldAliases::builtin();
    let sysmon = json!({"User": r"CORP\alice", "AccountName": "SYSTEM"});
    let event = AliasedEvent::new(&sysmon, &aliases);
    assert_eq!(event.collect_values("process.user"), [r"CORP\alice"]);

    let own = json!({"process.user": "own", "User": "other"});
    let event = AliasedEvent::new(&own, &aliases);
    assert_eq!(event.collect_values("process.user"), ["own"]);

    // A null field is missing, so the next alias is read.
    let null_first = json!({"user": {"name": null}, "User": "fallback"});
    let event = AliasedEvent::new(&null_first, &aliases);
    assert_eq!(event.collect_values("process.user"), ["fallback"]);
    assert_eq!(event.resolve("process.user"), Some(Alias::new("User")));
}

#[test]
fn basename_of_windows_and_posix_paths() {
    let aliases = FieldAliases::builtin();
    let cases = [
        (
            json!({"ParentImage": r"C:\Program Files\Splunk\splunkd.exe"}),
            "splunkd.exe",
        ),
        (
            json!({"ParentProcessName": r"C:\Windows\System32\services.exe"}),
            "services.exe",
        ),
        (
            json!({"ParentImage": "/usr/share/elasticsearch/bin/java"}),
            "java",
        ),
        (json!({"ParentImage": "plain.exe"}), "plain.exe"),
        (json!({"ParentImage": r"C:\dir\"}), ""),
    ];
    for (event, expected) in cases {
        let aliased = AliasedEvent::new(&event, &aliases);
        assert_eq!(
            aliased.collect_values("process.parent_process_name"),
            [expected],
            "{event}"
        );
    }
}

#[test]
fn missing_everywhere_is_missing() {
    let aliases = FieldAliases::builtin();
    let event = json!({"Image": "x.exe"});
    let aliased = AliasedEvent::new(&event, &aliases);
    assert!(!aliased.has_field("process.user"));
    assert!(aliased.collect_values("process.user").is_empty());
    assert_eq!(aliased.resolve("process.user"), None);
    assert!(aliased.has_field("process.name"));
}

#[test]
fn callers_add_aliases() {
    let aliases = FieldAliases::new()
        .alias("team", "Department")
        .alias("team", Alias::basename("OrgPath"))
        .alias("team", "Department")
        .alias("team", "team");
    assert_eq!(
        alias_names(&aliases, "team"),
        ["Department", "basename(OrgPath)"]
    );
    let event = json!({"OrgPath": "corp/finance"});
    assert_eq!(
        AliasedEvent::new(&event, &aliases).collect_values("team"),
        ["finance"]
    );

    let merged = FieldAliases::sysmon().merge(&aliases);
    assert!(merged.is_known("team"));
    assert!(merged.is_known("OrgPath"));
    assert!(merged.is_known("ParentImage"));
    assert!(!merged.is_known("SubjectUserName"));

    let mut table = FieldAliases::new();
    table.insert("a", "b");
    assert_eq!(table.fields(), ["a"]);
    assert_eq!(
        FieldAliases::new().equivalent(&["x", "y"]).fields(),
        ["x", "y"]
    );
}

#[test]
fn profiles_resolve_real_events() {
    let Some(dir) = common::data::shared_data(module_path!()) else {
        return;
    };
    let sysmon = FieldAliases::sysmon();
    let security = FieldAliases::windows_security();
    let file = std::fs::File::open(
        dir.join("process-events/otrf_mordor_sysmon_eid1_security_4688.jsonl.gz"),
    )
    .unwrap();

    let reader = std::io::BufReader::new(flate2::read::GzDecoder::new(file));

    let mut resolved = std::collections::BTreeMap::<(&str, &str), usize>::new();
    for line in reader.lines() {
        let event: serde_json::Value = serde_json::from_str(&line.unwrap()).unwrap();
        let channel = event["Channel"]
            .as_str()
            .unwrap_or_default()
            .to_ascii_lowercase();
        let (name, aliases) = match channel.as_str() {
            "security" => ("security", &security),
            _ if event.get("EventData").is_none() => ("sysmon", &sysmon),
            _ => continue,
        };
        let aliased = AliasedEvent::new(&event, aliases);
        for field in [
            "process.user",
            "process.parent_process_name",
            "process.machine_name",
            "process.command_line",
            "process.name",
        ] {
            if aliased.has_field(field) {
                *resolved.entry((name, field)).or_default() += 1;
            }
        }
    }

    println!("{resolved:#?}");
    // Every Sysmon event 1 record names its user, parent image and host.
    assert_eq!(resolved[&("sysmon", "process.user")], 1957);
    assert_eq!(resolved[&("sysmon", "process.parent_process_name")], 1957);
    assert!(resolved[&("sysmon", "process.machine_name")] >= 1950);
    assert!(resolved[&("security", "process.user")] >= 1590);
    assert!(resolved[&("security", "process.parent_process_name")] >= 1590);
}

#[test]
fn dns_profile_resolves_real_queries() {
    let Some(dir) = common::data::shared_data(module_path!()) else {
        return;
    };
    let aliases = FieldAliases::sysmon();
    let file = std::fs::File::open(dir.join("dns-logs/otrf_mordor_sysmon_eid22_dnsquery.jsonl.gz"))
        .unwrap();

    let reader = std::io::BufReader::new(flate2::read::GzDecoder::new(file));
    let mut with_name = 0;
    let mut total = 0;
    for line in reader.lines() {
        let event: serde_json::Value = serde_json::from_str(&line.unwrap()).unwrap();
        total += 1;
        if AliasedEvent::new(&event, &aliases).has_field("dns.question.name") {
            with_name += 1;
        }
    }
    assert_eq!(total, 2043);
    assert_eq!(with_name, 2041);
}
