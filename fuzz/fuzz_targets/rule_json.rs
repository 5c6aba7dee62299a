//! Arbitrary text through `Rule::from_json`: no panic, JSON errors carry a line and column
//! inside the text, and a rule that compiles writes JSON that compiles to the same
//! definition.

#![no_main]

use iocmatch::rule::{Rule, RuleError};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let rule = match Rule::from_json(&text) {
        Ok(rule) => rule,
        Err(error) => return check_error(&text, &error),
    };
    let json = rule.to_json();
    let again = Rule::from_json(&json)
        .unwrap_or_else(|error| panic!("to_json output {json:?} does not compile: {error}"));
    assert_eq!(again.definition(), rule.definition());
    let _ = rule.unknown_fields();
    let _ = rule.evaluate(&serde_json::json!({ "name": text.as_ref() }));
});

fn check_error(text: &str, error: &RuleError) {
    let _ = error.to_string();
    if let RuleError::Json { line, column, .. } = error {
        // serde_json counts columns in bytes, and column 0 means before the line's first byte.
        let lines: Vec<&str> = text.split('\n').collect();
        assert!(
            (1..=lines.len()).contains(line),
            "line {line} of {} in {error}",
            lines.len()
        );
        let line_len = lines[line - 1].len();
        assert!(
            *column <= line_len + 1,
            "column {column} past the line of {line_len} bytes in {error}"
        );
    }
}
