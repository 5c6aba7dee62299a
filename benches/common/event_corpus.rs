//! Inputs of the KQL, filter and rule benches: real logs, rules and blocklists from the shared
//! data folder, or a deterministic generated corpus when that folder is absent.
//!
//! Set `IOCMATCH_BENCH_GENERATED=1` to use the generated corpus even when the data is present, so
//! the fallback can be checked on a machine that has the data.

#![allow(dead_code)]

use std::collections::BTreeSet;
use std::io::Read;
use std::path::{Path, PathBuf};

use serde_json::{Value, json};

/// The origin of the inputs.
#[derive(Debug, Clone)]
pub enum Source {
    /// The shared data folder.
    Real(PathBuf),
    /// The generated corpus of this file.
    Generated,
}

impl Source {
    /// Locates the shared data folder, printing which corpus the bench uses.
    pub fn locate(bench: &str) -> Source {
        let dir = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/data"));
        if std::env::var_os("IOCMATCH_BENCH_GENERATED").is_some() {
            eprintln!("{bench}: IOCMATCH_BENCH_GENERATED is set, using the generated corpus");
            return Source::Generated;
        }
        if dir.is_dir() {
            eprintln!("{bench}: using the real data in {}", dir.display());
            Source::Real(dir)
        } else {
            eprintln!(
                "{bench}: {} is absent, using the deterministic generated corpus",
                dir.display()
            );
            Source::Generated
        }
    }

    /// Returns whether the inputs are the real data.
    pub fn is_real(&self) -> bool {
        matches!(self, Source::Real(_))
    }

    /// Picks the expected count for this corpus.
    pub fn expect(&self, real: usize, generated: usize) -> usize {
        if self.is_real() { real } else { generated }
    }
}

/// Reads a file, decompressing it when its name ends in `.gz`.
fn read_text(path: &Path) -> String {
    let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("reading {}: {e}", path.display()));
    if path.extension().is_some_and(|ext| ext == "gz") {
        let mut text = String::new();
        flate2::read::GzDecoder::new(bytes.as_slice())
            .read_to_string(&mut text)
            .unwrap_or_else(|e| panic!("decompressing {}: {e}", path.display()));
        text
    } else {
        String::from_utf8(bytes).unwrap_or_else(|e| panic!("{} is not UTF-8: {e}", path.display()))
    }
}

/// Parses every non-blank line of a JSON-lines file.
fn json_lines(path: &Path) -> Vec<Value> {
    read_text(path)
        .lines()
        .filter(|line| !line.trim().is_empty())
        .map(|line| serde_json::from_str(line).expect("every line of the extract is JSON"))
        .collect()
}

/// Returns the Sysmon event ID 22 (DNS query) records.
pub fn dns_events(source: &Source) -> Vec<Value> {
    match source {
        Source::Real(dir) => {
            json_lines(&dir.join("dns-logs/otrf_mordor_sysmon_eid22_dnsquery.jsonl.gz"))
        }
        Source::Generated => generated_dns_names(2_000, 7)
            .into_iter()
            .enumerate()
            .map(|(i, name)| {
                json!({
                    "EventID": 22,
                    "QueryName": name,
                    "Image": format!(r"C:\Program Files\App{}\app.exe", i % 13),
                    "AccountName": "SYSTEM",
                    "Hostname": format!("WORKSTATION{}.corp.local", i % 23),
                })
            })
            .collect(),
    }
}

/// Returns every DNS query name as logged: the Sysmon `QueryName` values, then the Zeek `query`
/// column (found by its `#fields` header) without the unset (`-`) and `(empty)` markers.
pub fn dns_names(source: &Source) -> Vec<String> {
    let Source::Real(dir) = source else {
        return generated_dns_names(40_000, 11);
    };
    let mut names: Vec<String> = dns_events(source)
        .iter()
        .filter_map(|event| event.get("QueryName")?.as_str().map(str::to_owned))
        .collect();

    let zeek = read_text(&dir.join("dns-logs/zeek_wrccdc2018_dns.log.gz"));
    let mut column = None;
    for line in zeek.lines() {
        if let Some(fields) = line.strip_prefix("#fields\t") {
            column = fields.split('\t').position(|field| field == "query");
            continue;
        }
        if line.starts_with('#') {
            continue;
        }
        let column = column.expect("a #fields header precedes the first Zeek record");
        match line.split('\t').nth(column) {
            Some("-" | "(empty)") | None => {}
            Some(query) => names.push(query.to_owned()),
        }
    }
    names
}

/// Returns the Sysmon event ID 1 and Windows Security 4688 process-creation records.
pub fn process_events(source: &Source) -> Vec<Value> {
    match source {
        Source::Real(dir) => {
            json_lines(&dir.join("process-events/otrf_mordor_sysmon_eid1_security_4688.jsonl.gz"))
        }
        Source::Generated => generated_process_events(3_000),
    }
}

/// Returns the `CommandLine` of every process-creation record that has one.
pub fn command_lines(source: &Source) -> Vec<String> {
    process_events(source)
        .iter()
        .filter_map(|event| event.get("CommandLine")?.as_str().map(str::to_owned))
        .collect()
}

/// Returns the `has_any` values of the Sentinel mining-pool rule (73 values, duplicates and
/// trailing spaces kept), or 73 generated pool domains.
pub fn miners_list(source: &Source) -> Vec<String> {
    match source {
        Source::Real(dir) => sentinel_has_any(&dir.join("rules/sentinel/DNS_Miners.yaml")),
        Source::Generated => (0..73).map(generated_pool_domain).collect(),
    }
}

/// Returns the `has_any` values of the Sentinel Tor-proxy rule (32 values), or 32 generated
/// proxy domains.
pub fn tor_proxies_list(source: &Source) -> Vec<String> {
    match source {
        Source::Real(dir) => sentinel_has_any(&dir.join("rules/sentinel/DNS_TorProxies.yaml")),
        Source::Generated => (0..32).map(|i| format!("onion{i}.proxy")).collect(),
    }
}

/// Extracts the quoted strings of the `has_any (...)` list of a Sentinel rule's query, in order,
/// with duplicates and spaces inside the quotes kept.
fn sentinel_has_any(path: &Path) -> Vec<String> {
    let rule = read_text(path);
    let start = rule.find("has_any").expect("the rule's query uses has_any");
    let after = &rule[start..];
    let open = after.find('(').expect("has_any is followed by '('");
    let mut values = Vec::new();
    let mut chars = after[open + 1..].chars();
    while let Some(c) = chars.next() {
        match c {
            ')' => return values,
            '"' => values.push(chars.by_ref().take_while(|&c| c != '"').collect()),
            _ => {}
        }
    }
    panic!("the has_any list of {} has no ')'", path.display());
}

/// Returns the five `Filter/Exclusion:` lines of the ThreatFox Remus rule page.
pub fn seed_exclusions(source: &Source) -> Vec<String> {
    let exclusions: Vec<String> = match source {
        Source::Real(dir) => read_text(&dir.join("rules/threatfox-remus.md"))
            .lines()
            .filter_map(|line| line.strip_prefix("Filter/Exclusion:"))
            .map(|filter| filter.trim().to_owned())
            .collect(),
        // The same five filters, so the generated corpus evaluates the same shapes.
        Source::Generated => [
            "process.parent_process_name:*backup_service* OR process.command_line:*remus_backup*",
            "process.user:*admin* AND process.command_line:*remus_log_aggregation*",
            "process.machine_name:*dev-* OR process.user:*dev*",
            "process.command_line:*remus_monitor* OR process.parent_process_name:*monitoring_service*",
            "process.parent_process_name:*splunk* OR process.parent_process_name:*elasticsearch*",
        ]
        .map(str::to_owned)
        .into(),
    };
    assert_eq!(exclusions.len(), 5, "the rule page has five exclusions");
    exclusions
}

/// Returns the distinct lines of every `shadowwhisperer/RAW_*.txt` list, sorted: 503,611
/// domains, or 500,000 generated ones.
pub fn blocklist_union(source: &Source) -> Vec<String> {
    let Source::Real(dir) = source else {
        return (0..500_000).map(generated_blocklist_domain).collect();
    };
    let lists = dir.join("domain-lists/shadowwhisperer");
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&lists)
        .unwrap_or_else(|e| panic!("listing {}: {e}", lists.display()))
        .map(|entry| entry.expect("a readable directory entry").path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "txt"))
        .collect();
    paths.sort();
    let mut union = BTreeSet::new();
    for path in &paths {
        for line in read_text(path).lines() {
            let line = line.trim();
            if !line.is_empty() && !line.starts_with('#') {
                union.insert(line.to_owned());
            }
        }
    }
    union.into_iter().collect()
}

/// Returns the domains of one ShadowWhisperer list in file order, such as `RAW_Malware.txt`
/// (43,726) or `RAW_Tracking.txt` (116k). The generated corpus returns `count` generated
/// blocklist domains instead, starting at number `first`.
pub fn shadowwhisperer_list(
    source: &Source,
    file: &str,
    first: usize,
    count: usize,
) -> Vec<String> {
    match source {
        Source::Real(dir) => read_text(&dir.join("domain-lists/shadowwhisperer").join(file))
            .lines()
            .map(str::trim)
            .filter(|line| !line.is_empty() && !line.starts_with('#'))
            .map(str::to_owned)
            .collect(),
        Source::Generated => (first..first + count)
            .map(generated_blocklist_domain)
            .collect(),
    }
}

/// Takes `count` values spread evenly over `values` (every n-th one), so a sample of a sorted
/// list covers all of it.
pub fn evenly_spaced(values: &[String], count: usize) -> Vec<String> {
    let step = (values.len() / count).max(1);
    values.iter().step_by(step).take(count).cloned().collect()
}

/// A small deterministic pseudo-random generator (64-bit linear congruential, Knuth's MMIX
/// constants), so the generated corpus is the same on every machine.
#[derive(Debug, Clone)]
pub struct Lcg(u64);

impl Lcg {
    /// Starts a sequence from `seed`.
    pub fn new(seed: u64) -> Lcg {
        Lcg(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }

    /// Returns the next value below `bound`.
    pub fn below(&mut self, bound: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        ((self.0 >> 33) % bound as u64) as usize
    }

    /// Returns one element of `items`.
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

const WORDS: &[&str] = &[
    "cdn", "api", "mail", "login", "update", "static", "img", "web", "portal", "cloud", "data",
    "secure", "shop", "news", "app", "sync", "edge", "media", "auth", "files",
];
const TLDS: &[&str] = &["com", "net", "org", "io", "eu", "shop", "xyz", "info"];

/// Returns generated blocklist domain number `i`. Different numbers give different domains.
fn generated_blocklist_domain(i: usize) -> String {
    let word = WORDS[i % WORDS.len()];
    let tld = TLDS[(i / WORDS.len()) % TLDS.len()];
    format!("{word}{i}.{tld}")
}

/// Returns generated mining-pool domain number `i`.
fn generated_pool_domain(i: usize) -> String {
    format!("pool{i}.mine")
}

/// Generates DNS query names. One in fifty is a subdomain of a pool domain, and six in fifty are
/// subdomains of blocklist domains (five of them among the first 44,000). One in fifty glues a
/// blocklist domain to a word, and the rest are benign names under `example.*`.
fn generated_dns_names(count: usize, seed: u64) -> Vec<String> {
    let mut rng = Lcg::new(seed);
    (0..count)
        .map(|_| {
            let sub = *rng.pick(WORDS);
            match rng.below(50) {
                0 => format!("{sub}.{}", generated_pool_domain(rng.below(73))),
                1..=5 => format!("{sub}.{}", generated_blocklist_domain(rng.below(44_000))),
                6..=8 => format!("{sub}.{}", generated_blocklist_domain(rng.below(500_000))),
                // A look-alike: the domain glued to a word, a substring but not a term match.
                9 => format!("{sub}{}", generated_blocklist_domain(rng.below(500_000))),
                _ => format!("{sub}{}.example.{}", rng.below(500), rng.pick(TLDS)),
            }
        })
        .collect()
}

/// Generates process-creation records in the Sysmon and Windows Security shapes, with command
/// lines that sometimes contain blocklist or pool domains and seed-exclusion keywords.
fn generated_process_events(count: usize) -> Vec<Value> {
    const PROGRAMS: &[&str] = &[
        r"C:\Windows\System32\svchost.exe",
        r"C:\Windows\System32\cmd.exe",
        r"C:\Windows\System32\WindowsPowerShell\v1.0\powershell.exe",
        r"C:\Program Files\Splunk\bin\splunkd.exe",
        r"C:\Tools\backup_service.exe",
        r"C:\Windows\explorer.exe",
    ];
    const USERS: &[&str] = &[
        r"NT AUTHORITY\SYSTEM",
        r"CORP\alice",
        r"CORP\sysadmin",
        r"CORP\devops",
    ];
    const ARGUMENTS: &[&str] = &[
        "-k netsvcs -p",
        "/c whoami",
        "-nop -enc SQBFAFgA",
        "--mode remus_backup",
        "-Embedding",
        "/c curl http://",
    ];
    let mut rng = Lcg::new(3);
    (0..count)
        .map(|i| {
            let image = *rng.pick(PROGRAMS);
            let parent = *rng.pick(PROGRAMS);
            let user = *rng.pick(USERS);
            let mut command_line = format!("\"{image}\" {}", rng.pick(ARGUMENTS));
            if command_line.ends_with("http://") {
                let domain = match rng.below(4) {
                    0 => generated_pool_domain(rng.below(73)),
                    _ => generated_blocklist_domain(rng.below(500_000)),
                };
                command_line.push_str(&format!("{domain}/x.ps1"));
            }
            let host = format!("{}{}.corp.local", rng.pick(&["WKS", "DEV-", "SRV"]), i % 17);
            if i % 2 == 0 {
                json!({
                    "EventID": 1,
                    "Channel": "Microsoft-Windows-Sysmon/Operational",
                    "Image": image,
                    "ParentImage": parent,
                    "CommandLine": command_line,
                    "User": user,
                    "Hostname": host,
                })
            } else {
                json!({
                    "EventID": 4688,
                    "Channel": "Security",
                    "NewProcessName": image,
                    "ParentProcessName": parent,
                    "CommandLine": command_line,
                    "SubjectUserName": user.rsplit('\\').next().unwrap_or(user),
                    "Hostname": host,
                })
            }
        })
        .collect()
}
