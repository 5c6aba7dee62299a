//! Hunt for indicators in event logs: the whole iocmatch job on real input.
//!
//! With no arguments it runs an embedded default: the ThreatFox Remus rule page (a Sentinel
//! `has_any` query with five exclusion scenarios) and a rule built from a sample of real
//! tracking and ad blocklists, over real Sysmon DNS events from the OTRF Security-Datasets lab
//! logs joined with their process-creation events, plus a few constructed Remus events (the
//! Remus domains occur in no public log). `examples/data/SOURCES` gives provenance and licences.
//!
//! ```text
//! cargo run --release --example hunt
//! cargo run --release --example hunt -- --rule PAGE.md|RULE.json [--rule …]
//!     [--list BLOCKLIST.txt --field FIELD [--mode domain|text]] [--mode domain|text|kql:OP]
//!     [--join PROCESS_EVENTS.jsonl[.gz]] [--json] EVENTS.jsonl[.gz]|dns.log[.gz] …
//! ```

mod input;
#[macro_use]
mod report;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use iocmatch::event::{AliasProfile, FieldAliases};
use iocmatch::feed::{Mode, RulePage, plain_list};
use iocmatch::rule::{MatchMode, Rule, RuleDefinition, ScenarioDefinition};
use serde_json::Value;

use input::{EventSource, index_processes, join_processes, parse_events, read_file};
use report::{RuleCounts, Summary, print_summary, print_verdict};

const USAGE: &str = "usage: hunt [--rule PAGE.md|RULE.json]... [--list FILE --field FIELD] \
[--mode domain|text|kql:OPERATOR] [--join PROCESS_EVENTS] [--json] [EVENTS]...
  --rule FILE     a rule page (.md) or a JSON rule definition (.json); repeatable
  --list FILE     a plain blocklist (one domain a line, hosts and adblock lines too) as a rule;
                  repeatable
  --field FIELD   the event field the --list rules test (for example dns.question.name)
  --mode MODE     match mode of the rules: domain, text or kql:OPERATOR (for example kql:has_any);
                  rule pages default to their query's operator, lists to domain
  --join FILE     process-creation events joined to the events by ProcessGuid; repeatable
  --json          print one JSON object per verdict and a JSON summary
  EVENTS          JSON-lines or Zeek TSV files, optionally .gz
With no arguments, runs the embedded default (see examples/data/SOURCES).";

const REMUS_PAGE: &str = include_str!("../data/threatfox-remus.md");
const TRACKING_LIST: &str = include_str!("../data/tracking_ads_blocklist.txt");
const MORDOR_DNS: &str = include_str!("../data/mordor_sysmon_dns.jsonl");
const MORDOR_PROCESS: &str = include_str!("../data/mordor_sysmon_process.jsonl");
const CONSTRUCTED_DNS: &str = include_str!("../data/constructed_remus_events.jsonl");
const CONSTRUCTED_PROCESS: &str = include_str!("../data/constructed_remus_process.jsonl");

/// The rules, the event sources and the process-creation sources to join, ready to run.
struct Job {
    rules: Vec<Rule>,
    sources: Vec<EventSource>,
    processes: Vec<EventSource>,
}

/// The parsed command-line options.
#[derive(Default)]
struct Options {
    rules: Vec<PathBuf>,
    lists: Vec<PathBuf>,
    field: Option<String>,
    mode: Option<MatchMode>,
    joins: Vec<PathBuf>,
    events: Vec<PathBuf>,
    json: bool,
}

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("hunt: {message}");
            ExitCode::FAILURE
        }
    }
}

fn run() -> Result<(), String> {
    let options = parse_arguments(std::env::args().skip(1))?;
    let embedded = options.rules.is_empty()
        && options.lists.is_empty()
        && options.events.is_empty()
        && options.joins.is_empty();

    let Job {
        rules,
        sources,
        processes,
    } = if embedded {
        embedded_default(options.mode)?
    } else {
        from_files(&options)?
    };
    if rules.is_empty() {
        return Err(format!("no rule given; pass --rule or --list\n{USAGE}"));
    }
    let aliases = event_aliases();
    let rules: Vec<Rule> = rules
        .into_iter()
        .map(|rule| rule.with_aliases(aliases.clone()))
        .collect();
    if !options.json {
        for rule in &rules {
            let unknown = rule.unknown_fields();
            if !unknown.is_empty() {
                eprintln!(
                    "hunt: rule {:?} names fields no alias profile knows: {}",
                    rule.name(),
                    unknown.join(", ")
                );
            }
        }
    }
    hunt(&rules, sources, processes, options.json);
    if embedded && !options.json && options.mode.is_none() {
        out!(
            "\nnote: the Remus rule runs in KQL has_any mode, as Sentinel does, so it also matches \
             demale.shop.attacker.example (a name under another domain).\n      \
             Run with --mode domain for DNS-correct matching, which does not."
        );
    }
    Ok(())
}

/// Returns the alias table for the event sources this example reads: ECS, Sysmon, Windows
/// Security, Sentinel `DnsEvents` and Zeek. The Defender `DeviceProcessEvents` profile is left
/// out on purpose: it reads the user from `AccountName`, which in Sysmon records shipped by NXLog
/// is the shipper's own account.
fn event_aliases() -> FieldAliases {
    FieldAliases::from_profiles(&[
        AliasProfile::Ecs,
        AliasProfile::Sysmon,
        AliasProfile::WindowsSecurity,
        AliasProfile::SentinelDnsEvents,
        AliasProfile::ZeekDns,
    ])
}

/// Builds the embedded default: the Remus rule page as Sentinel runs it, and a domain rule built from a
/// real blocklist sample with one exclusion scenario, over real and constructed events.
fn embedded_default(mode: Option<MatchMode>) -> Result<Job, String> {
    let remus = rule_from_page(REMUS_PAGE, "threatfox-remus.md", mode)?;

    let mut tracking = list_definition(
        TRACKING_LIST,
        "Tracking and ad domains (ShadowWhisperer sample)",
        "dns.question.name",
    )?;
    tracking.mode = mode.unwrap_or(MatchMode::Domain);
    tracking.scenarios.push(ScenarioDefinition {
        name: "Windows telemetry from system processes".into(),
        description: "Background telemetry and content lookups made by Windows itself.".into(),
        filter: "process.name:(svchost.exe OR backgroundTaskHost.exe OR SearchUI.exe)".into(),
    });
    let tracking = Rule::new(tracking).map_err(|e| e.to_string())?;

    let sources = vec![
        parse_events("embedded mordor_sysmon_dns.jsonl (real)", MORDOR_DNS),
        parse_events(
            "embedded constructed_remus_events.jsonl (constructed)",
            CONSTRUCTED_DNS,
        ),
    ];
    let processes = vec![
        parse_events("embedded mordor_sysmon_process.jsonl", MORDOR_PROCESS),
        parse_events(
            "embedded constructed_remus_process.jsonl",
            CONSTRUCTED_PROCESS,
        ),
    ];
    Ok(Job {
        rules: vec![remus, tracking],
        sources,
        processes,
    })
}

fn from_files(options: &Options) -> Result<Job, String> {
    let mut rules = Vec::new();
    for path in &options.rules {
        let text = read_file(path)?;
        let name = path.display().to_string();
        let rule = if path.extension().is_some_and(|ext| ext == "json") {
            let rule = Rule::from_json(&text).map_err(|e| format!("{name}: {e}"))?;
            match options.mode {
                Some(mode) => with_mode(rule.definition().clone(), mode)?,
                None => rule,
            }
        } else {
            rule_from_page(&text, &name, options.mode)?
        };
        rules.push(rule);
    }
    for path in &options.lists {
        let field = options
            .field
            .as_deref()
            .ok_or("--list needs --field, the event field to test")?;
        let text = read_file(path)?;
        let title = path.file_name().map_or_else(
            || path.display().to_string(),
            |n| n.to_string_lossy().into_owned(),
        );
        let definition = list_definition(&text, &title, field)?;
        if definition.indicators.is_empty() {
            return Err(format!(
                "{title}: no valid indicator in the list; is it a blocklist (one domain a line)?"
            ));
        }
        rules.push(with_mode(
            definition,
            options.mode.unwrap_or(MatchMode::Domain),
        )?);
    }
    if options.events.is_empty() {
        return Err(format!("no event file given\n{USAGE}"));
    }
    let sources = read_sources(&options.events)?;
    let processes = read_sources(&options.joins)?;
    Ok(Job {
        rules,
        sources,
        processes,
    })
}

fn read_sources(paths: &[PathBuf]) -> Result<Vec<EventSource>, String> {
    paths
        .iter()
        .map(|path| Ok(parse_events(&path.display().to_string(), &read_file(path)?)))
        .collect()
}

fn rule_from_page(text: &str, name: &str, mode: Option<MatchMode>) -> Result<Rule, String> {
    let page = RulePage::parse(text, Mode::Strict).map_err(|e| format!("{name}: {e}"))?;
    let definition = RuleDefinition::from_page(&page).map_err(|e| format!("{name}: {e}"))?;
    match mode {
        Some(mode) => with_mode(definition, mode),
        None => Rule::new(definition).map_err(|e| format!("{name}: {e}")),
    }
}

/// Builds a domain-mode definition from a plain blocklist, keeping every rejected line visible.
fn list_definition(text: &str, title: &str, field: &str) -> Result<RuleDefinition, String> {
    let import = plain_list(text, Mode::Lenient)
        .map_err(|e| format!("{title}: {e}"))?
        .with_source(title);
    for rejected in import.rejected.iter().take(MAX_REPORTED_ROWS) {
        eprintln!("hunt: {title}: skipped {}", rejected.error);
    }
    if import.rejected.len() > MAX_REPORTED_ROWS {
        eprintln!(
            "hunt: {title}: skipped {} more invalid lines",
            import.rejected.len() - MAX_REPORTED_ROWS
        );
    }
    warn_about_broad_indicators(&import, title);
    let indicators = import
        .domain_records()
        .map(|(record, _)| record.clone())
        .collect();
    Ok(RuleDefinition {
        name: title.to_owned(),
        description: String::new(),
        table: None,
        fields: vec![field.to_owned()],
        mode: MatchMode::Domain,
        exact_only: false,
        case_sensitive_filters: false,
        indicators,
        scenarios: Vec::new(),
    })
}

/// Warns about indicators that DNS allows but that match more than a rule author may think: a
/// single label covers a whole top-level domain.
fn warn_about_broad_indicators(import: &iocmatch::feed::Import, title: &str) {
    let mut warned = 0;
    for (record, location) in import.domain_records() {
        let Ok(normalized) = iocmatch::normalize_indicator(&record.value) else {
            continue;
        };
        let warnings = normalized.warnings();
        if !warnings.is_any() {
            continue;
        }
        warned += 1;
        if warned > MAX_REPORTED_ROWS {
            continue;
        }
        let reason = if warnings.single_label {
            "a single label, which matches every name under that top-level domain"
        } else {
            "a label that starts or ends with '-'"
        };
        eprintln!(
            "hunt: {title}: warning at {location}: {:?} is {reason}",
            record.value
        );
    }
    if warned > MAX_REPORTED_ROWS {
        eprintln!(
            "hunt: {title}: {} more warnings",
            warned - MAX_REPORTED_ROWS
        );
    }
}

/// Rejected or warned rows printed one by one before the rest are only counted.
const MAX_REPORTED_ROWS: usize = 10;

fn with_mode(mut definition: RuleDefinition, mode: MatchMode) -> Result<Rule, String> {
    definition.mode = mode;
    let name = definition.name.clone();
    let (rule, rejected) = Rule::new_lenient(definition).map_err(|e| e.to_string())?;
    for rejected in rejected.iter().take(MAX_REPORTED_ROWS) {
        eprintln!("hunt: rule {name:?}: left out {}", rejected.error);
    }
    if rejected.len() > MAX_REPORTED_ROWS {
        eprintln!(
            "hunt: rule {name:?}: left out {} more indicators",
            rejected.len() - MAX_REPORTED_ROWS
        );
    }
    Ok(rule)
}

/// Evaluates every event against every rule, printing hits and suppressions, then the summary.
fn hunt(rules: &[Rule], mut sources: Vec<EventSource>, processes: Vec<EventSource>, json: bool) {
    let mut process_counts = Vec::new();
    let mut process_events: Vec<Value> = Vec::new();
    for source in processes {
        process_counts.push((
            format!("{} (joined)", source.name),
            source.events.len(),
            source.malformed,
        ));
        process_events.extend(source.events);
    }
    let index = index_processes(&process_events);
    let joined: usize = sources
        .iter_mut()
        .map(|source| join_processes(&mut source.events, &index))
        .sum();

    let mut counts: Vec<RuleCounts> = rules.iter().map(|_| RuleCounts::default()).collect();
    let started = Instant::now();
    let mut events = 0;
    for source in &sources {
        for event in &source.events {
            events += 1;
            for (rule, counts) in rules.iter().zip(counts.iter_mut()) {
                let verdict = rule.evaluate(event);
                if verdict.hit().is_none() {
                    continue;
                }
                match verdict.scenario() {
                    Some(scenario) => {
                        counts.suppressed += 1;
                        *counts
                            .by_scenario
                            .entry(scenario.name().to_owned())
                            .or_default() += 1;
                    }
                    None => counts.hits += 1,
                }
                print_verdict(rule, &verdict, event, json);
            }
        }
    }
    let elapsed = started.elapsed();

    let summary = Summary {
        sources: sources
            .into_iter()
            .map(|s| (s.name, s.events.len(), s.malformed))
            .chain(process_counts)
            .collect(),
        joined,
        rules: rules.iter().zip(counts).collect(),
        elapsed,
        events,
    };
    print_summary(&summary, json);
}

fn parse_arguments(arguments: impl Iterator<Item = String>) -> Result<Options, String> {
    let mut options = Options::default();
    let mut arguments = arguments.peekable();
    while let Some(argument) = arguments.next() {
        let mut value = |flag: &str| {
            arguments
                .next()
                .ok_or_else(|| format!("{flag} needs a value\n{USAGE}"))
        };
        match argument.as_str() {
            "--rule" => options.rules.push(PathBuf::from(value("--rule")?)),
            "--list" => options.lists.push(PathBuf::from(value("--list")?)),
            "--field" => options.field = Some(value("--field")?),
            "--join" => options.joins.push(PathBuf::from(value("--join")?)),
            "--mode" => options.mode = Some(value("--mode")?.parse()?),
            "--json" => options.json = true,
            "-h" | "--help" => {
                out!("{USAGE}");
                std::process::exit(0);
            }
            flag if flag.starts_with('-') && flag != "-" => {
                return Err(format!("unknown option {flag}\n{USAGE}"));
            }
            path => options.events.push(Path::new(path).to_path_buf()),
        }
    }
    Ok(options)
}
