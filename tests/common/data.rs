//! Loading the real data sets under `../shared/data`, when they are present.

use std::io::Read;
use std::path::PathBuf;

/// Returns the shared data folder, or `None` (after printing why) when it is absent, so that a
/// test can skip instead of failing on a machine without the data.
pub fn shared_data(test: &str) -> Option<PathBuf> {
    let dir = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/data"));
    if dir.is_dir() {
        Some(dir)
    } else {
        eprintln!("{test}: skipped, {} is absent", dir.display());
        None
    }
}

/// Reads a file, decompressing it when its name ends in `.gz`.
pub fn read_text(path: &std::path::Path) -> String {
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

/// Returns the `QueryName` of every Sysmon event ID 22 record.
pub fn sysmon_query_names(data: &std::path::Path) -> Vec<String> {
    let text = read_text(&data.join("dns-logs/otrf_mordor_sysmon_eid22_dnsquery.jsonl.gz"));
    text.lines()
        .filter(|line| !line.trim().is_empty())
        .filter_map(|line| {
            let event: serde_json::Value = serde_json::from_str(line).expect("valid JSON line");
            event.get("QueryName")?.as_str().map(str::to_owned)
        })
        .collect()
}

/// Returns the `query` column of a Zeek TSV `dns.log`, found by its `#fields` header.
pub fn zeek_query_names(data: &std::path::Path) -> Vec<String> {
    let text = read_text(&data.join("dns-logs/zeek_wrccdc2018_dns.log.gz"));
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
        let column = column.expect("#fields header before the first record");
        if let Some(query) = line.split('\t').nth(column) {
            if query != "-" {
                names.push(query.to_owned());
            }
        }
    }
    names
}

/// Returns the `CommandLine` of every process-creation event.
pub fn command_lines(data: &std::path::Path) -> Vec<String> {
    let text =
        read_text(&data.join("process-events/otrf_mordor_sysmon_eid1_security_4688.jsonl.gz"));
    text.lines()
        .filter(|line| !line.trim().is_empty())
        .filter_map(|line| {
            let event: serde_json::Value = serde_json::from_str(line).expect("valid JSON line");
            event.get("CommandLine")?.as_str().map(str::to_owned)
        })
        .collect()
}

/// Returns the lines of every `shadowwhisperer/RAW_*.txt` blocklist, comments and blanks included.
pub fn blocklist_lines(data: &std::path::Path) -> Vec<String> {
    let dir = data.join("domain-lists/shadowwhisperer");
    let mut paths: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("listing {}: {e}", dir.display()))
        .map(|entry| entry.expect("directory entry").path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "txt"))
        .collect();
    paths.sort();
    paths
        .iter()
        .flat_map(|path| {
            read_text(path)
                .lines()
                .map(str::to_owned)
                .collect::<Vec<_>>()
        })
        .collect()
}
