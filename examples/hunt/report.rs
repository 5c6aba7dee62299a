//! Printing verdicts and the run summary, as readable text or as JSON lines.

use std::collections::BTreeMap;
use std::io::Write;
use std::time::Duration;

use iocmatch::rule::{Hit, Rule, Verdict};
use serde_json::{Value, json};

/// Prints a line to standard output, and exits quietly when the reader has gone away (as with
/// `hunt | head`), instead of panicking as `println!` does.
macro_rules! out {
    ($($arg:tt)*) => {{
        let mut stdout = std::io::stdout().lock();
        if let Err(error) = writeln!(stdout, $($arg)*) {
            if error.kind() == std::io::ErrorKind::BrokenPipe {
                std::process::exit(0);
            }
            eprintln!("hunt: cannot write to standard output: {error}");
            std::process::exit(1);
        }
    }};
}

/// Counts of one rule's verdicts.
#[derive(Default)]
pub struct RuleCounts {
    pub hits: usize,
    pub suppressed: usize,
    pub by_scenario: BTreeMap<String, usize>,
}

/// Event context shown next to a verdict, when the event has it: a label and the fields to try.
const CONTEXT_FIELDS: [(&str, &[&str]); 6] = [
    ("time", &["@timestamp", "ts"]),
    ("host", &["process.machine_name"]),
    ("client", &["source.ip"]),
    ("uid", &["uid"]),
    ("image", &["process.executable"]),
    ("user", &["process.user"]),
];

fn context(rule: &Rule, event: &Value) -> Vec<(&'static str, String)> {
    use iocmatch::event::{AliasedEvent, Event};

    let event = AliasedEvent::new(event, rule.aliases());
    CONTEXT_FIELDS
        .iter()
        .filter_map(|(label, fields)| {
            let value = fields
                .iter()
                .find_map(|field| event.collect_values(field).into_iter().next())?;
            Some((*label, value))
        })
        .collect()
}

fn hit_json(hit: &Hit<'_>) -> Value {
    let metadata = hit.records().first().map(|record| record.metadata());
    json!({
        "indicator": hit.indicator(),
        "field": hit.field(),
        "value": hit.value(),
        "span": [hit.span().start, hit.span().end],
        "records": hit.records().len(),
        "malware": metadata.and_then(|m| m.malware.clone()),
        "threat_type": metadata.and_then(|m| m.threat_type.clone()),
        "source": metadata.and_then(|m| m.source.clone()),
    })
}

/// Prints one hit or suppressed hit; prints nothing for no match.
pub fn print_verdict(rule: &Rule, verdict: &Verdict<'_>, event: &Value, as_json: bool) {
    let Some(hit) = verdict.hit() else {
        return;
    };
    let context = context(rule, event);
    if as_json {
        let mut line = json!({
            "verdict": if verdict.is_suppressed() { "suppressed" } else { "hit" },
            "rule": rule.name(),
            "hit": hit_json(hit),
        });
        if let Some(scenario) = verdict.scenario() {
            line["scenario"] = json!({"name": scenario.name(), "filter": scenario.filter().text()});
        }
        for (label, value) in context {
            line[label] = Value::String(value);
        }
        out!("{line}");
        return;
    }

    let kind = if verdict.is_suppressed() {
        "SUPPRESSED"
    } else {
        "HIT"
    };
    let mut line = format!(
        "{kind:<10} rule={:?} {}={:?} indicator={} span={}..{}",
        rule.name(),
        hit.field(),
        hit.value(),
        hit.indicator(),
        hit.span().start,
        hit.span().end
    );
    if let Some(malware) = hit
        .records()
        .first()
        .and_then(|r| r.metadata().malware.as_ref())
    {
        line.push_str(&format!(" malware={malware:?}"));
    }
    for (label, value) in context {
        line.push_str(&format!(" {label}={value:?}"));
    }
    if let Some(scenario) = verdict.scenario() {
        line.push_str(&format!(
            "\n           by scenario {:?}: {}",
            scenario.name(),
            scenario.filter().text()
        ));
    }
    out!("{line}");
}

/// One event source in the summary: its name, its event count and its malformed lines.
pub type SourceCounts = (String, usize, Vec<(usize, String)>);

/// The counts and timings of a run, for the closing summary.
pub struct Summary<'a> {
    pub sources: Vec<SourceCounts>,
    pub joined: usize,
    pub rules: Vec<(&'a Rule, RuleCounts)>,
    pub elapsed: Duration,
    pub events: usize,
}

/// Prints the summary: events read, malformed lines with their numbers, verdict counts per rule
/// and scenario, elapsed time and throughput.
pub fn print_summary(summary: &Summary<'_>, as_json: bool) {
    let seconds = summary.elapsed.as_secs_f64();
    let per_second = if seconds > 0.0 {
        summary.events as f64 / seconds
    } else {
        0.0
    };
    if as_json {
        let rules: Vec<Value> = summary
            .rules
            .iter()
            .map(|(rule, counts)| {
                json!({
                    "rule": rule.name(),
                    "mode": rule.definition().mode.to_string(),
                    "hits": counts.hits,
                    "suppressed": counts.suppressed,
                    "suppressed_by_scenario": counts.by_scenario,
                })
            })
            .collect();
        let sources: Vec<Value> = summary
            .sources
            .iter()
            .map(|(name, events, malformed)| {
                json!({"source": name, "events": events, "malformed_lines": malformed})
            })
            .collect();
        let line = json!({"summary": {
            "events": summary.events,
            "sources": sources,
            "joined_with_process": summary.joined,
            "rules": rules,
            "elapsed_seconds": seconds,
            "events_per_second": per_second,
        }});
        out!("{line}");
        return;
    }

    out!();
    out!("summary");
    for (name, events, malformed) in &summary.sources {
        out!(
            "  {name}: {events} events, {} malformed lines skipped",
            malformed.len()
        );
        for (line, reason) in malformed.iter().take(10) {
            out!("    line {line}: {reason}");
        }
        if malformed.len() > 10 {
            out!("    … and {} more", malformed.len() - 10);
        }
    }
    out!(
        "  events joined with their process-creation event: {}",
        summary.joined
    );
    for (rule, counts) in &summary.rules {
        out!(
            "  rule {:?} ({} on {}): {} hits, {} suppressed",
            rule.name(),
            rule.definition().mode,
            rule.definition().fields.join(", "),
            counts.hits,
            counts.suppressed
        );
        for (scenario, count) in &counts.by_scenario {
            out!("    suppressed by {scenario:?}: {count}");
        }
    }
    out!(
        "  {} events in {:.1} ms, {:.0} events/s (all rules)",
        summary.events,
        seconds * 1e3,
        per_second
    );
}
