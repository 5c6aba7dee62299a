//! The committed feed samples under `tests/data/feeds`, and a naive warninglist oracle.

use iocmatch::feed::WarninglistKind;

/// Reads a committed sample by file name.
pub fn sample(name: &str) -> String {
    let path = format!("{}/tests/data/feeds/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("reading {path}: {e}"))
}

/// Decides warninglist membership by scanning every value, the slow and obvious way.
pub fn naive_warninglist_matches(kind: WarninglistKind, values: &[String], value: &str) -> bool {
    let value = value.to_lowercase_ascii();
    match kind {
        WarninglistKind::String => values
            .iter()
            .any(|entry| entry.to_lowercase_ascii() == value),
        WarninglistKind::Substring => values
            .iter()
            .any(|entry| value.contains(&entry.to_lowercase_ascii())),
        WarninglistKind::Hostname => {
            let name = value.strip_suffix('.').unwrap_or(&value);
            values.iter().any(|entry| {
                let entry = entry.to_lowercase_ascii();
                let entry = entry.strip_suffix('.').unwrap_or(&entry);
                name == entry || name.ends_with(&format!(".{entry}"))
            })
        }
        _ => panic!("the oracle has no semantics for {kind} lists"),
    }
}

trait AsciiLower {
    fn to_lowercase_ascii(&self) -> String;
}

impl AsciiLower for str {
    fn to_lowercase_ascii(&self) -> String {
        self.chars().map(|c| c.to_ascii_lowercase()).collect()
    }
}
