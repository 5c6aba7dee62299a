//! Reading events: JSON lines (Sysmon, Windows Security, Zeek JSON, Sentinel-style records) or
//! Zeek TSV logs, optionally gzip-compressed, and joining DNS events with process events.

use std::collections::HashMap;
use std::io::Read;
use std::path::Path;

use serde_json::{Map, Value};

/// Events from one source, with the lines that could not be read.
pub struct EventSource {
    pub name: String,
    pub events: Vec<Value>,
    /// One-based line numbers and reasons of lines that are not events.
    pub malformed: Vec<(usize, String)>,
}

/// Reads a file, decompressing it when its name ends in `.gz`.
pub fn read_file(path: &Path) -> Result<String, String> {
    let bytes = std::fs::read(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    if path.extension().is_some_and(|ext| ext == "gz") {
        let mut text = String::new();
        flate2::read::GzDecoder::new(bytes.as_slice())
            .read_to_string(&mut text)
            .map_err(|e| format!("cannot decompress {}: {e}", path.display()))?;
        return Ok(text);
    }
    String::from_utf8(bytes).map_err(|e| format!("{} is not UTF-8: {e}", path.display()))
}

/// Parses events, choosing the format by content: Zeek TSV starts with `#separator`.
pub fn parse_events(name: &str, text: &str) -> EventSource {
    if text.starts_with("#separator") {
        parse_zeek_tsv(name, text)
    } else {
        parse_json_lines(name, text)
    }
}

fn parse_json_lines(name: &str, text: &str) -> EventSource {
    let mut source = EventSource {
        name: name.to_owned(),
        events: Vec::new(),
        malformed: Vec::new(),
    };
    for (index, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        match serde_json::from_str::<Value>(line) {
            Ok(event @ Value::Object(_)) => source.events.push(event),
            Ok(_) => source
                .malformed
                .push((index + 1, "not a JSON object".to_owned())),
            Err(error) => source.malformed.push((index + 1, error.to_string())),
        }
    }
    source
}

/// Reads a Zeek TSV log: the `#fields` header names the columns, `-` is an unset field and
/// `(empty)` an empty one.
fn parse_zeek_tsv(name: &str, text: &str) -> EventSource {
    let mut source = EventSource {
        name: name.to_owned(),
        events: Vec::new(),
        malformed: Vec::new(),
    };
    let mut fields: Option<Vec<&str>> = None;
    for (index, line) in text.lines().enumerate() {
        if let Some(header) = line.strip_prefix("#fields\t") {
            fields = Some(header.split('\t').collect());
            continue;
        }
        if line.starts_with('#') || line.is_empty() {
            continue;
        }
        let Some(fields) = &fields else {
            source
                .malformed
                .push((index + 1, "record before the #fields header".to_owned()));
            continue;
        };
        let values: Vec<&str> = line.split('\t').collect();
        if values.len() != fields.len() {
            source.malformed.push((
                index + 1,
                format!(
                    "{} columns, the header names {}",
                    values.len(),
                    fields.len()
                ),
            ));
            continue;
        }
        let mut event = Map::new();
        for (field, value) in fields.iter().zip(values) {
            let value = match value {
                "-" => continue,
                "(empty)" => "",
                other => other,
            };
            event.insert((*field).to_owned(), Value::String(value.to_owned()));
        }
        source.events.push(Value::Object(event));
    }
    source
}

/// Process fields copied onto a DNS event from the process that made the query.
const JOINED_FIELDS: [&str; 7] = [
    "CommandLine",
    "User",
    "ParentImage",
    "ParentCommandLine",
    "ParentProcessGuid",
    "IntegrityLevel",
    "CurrentDirectory",
];

/// Indexes process-creation events by `ProcessGuid`.
pub fn index_processes(events: &[Value]) -> HashMap<String, Map<String, Value>> {
    let mut processes = HashMap::new();
    for event in events {
        let Some(guid) = event.get("ProcessGuid").and_then(Value::as_str) else {
            continue;
        };
        let mut fields = Map::new();
        for field in JOINED_FIELDS {
            if let Some(value) = event.get(field) {
                fields.insert(field.to_owned(), value.clone());
            }
        }
        processes.insert(guid.to_owned(), fields);
    }
    processes
}

/// Copies the process fields onto each event whose `ProcessGuid` is known, without replacing
/// fields the event already has. Returns how many events were joined.
pub fn join_processes(
    events: &mut [Value],
    processes: &HashMap<String, Map<String, Value>>,
) -> usize {
    let mut joined = 0;
    for event in events {
        let Some(object) = event.as_object_mut() else {
            continue;
        };
        let Some(process) = object
            .get("ProcessGuid")
            .and_then(Value::as_str)
            .and_then(|guid| processes.get(guid))
        else {
            continue;
        };
        for (field, value) in process {
            object.entry(field.clone()).or_insert_with(|| value.clone());
        }
        joined += 1;
    }
    joined
}
