//! Arbitrary bytes through `normalize_indicator`, `prepare_name` and `from_dns_debug`.
//!
//! None of them panics. A normalized indicator normalizes to itself and its domain passes
//! `prepare_name` unchanged; a prepared name prepares to itself; a decoded debug-log name
//! encodes and decodes back to itself. Errors name the value and point inside it.

#![no_main]

use iocmatch::{
    DomainError, DomainErrorKind, MAX_LABEL_LEN, MAX_NAME_LEN, from_dns_debug, normalize_indicator,
    prepare_name,
};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let lossy = String::from_utf8_lossy(data);
    check(&lossy);
    // For invalid UTF-8, also the valid prefix as it is, without a replacement character.
    if let Err(error) = std::str::from_utf8(data) {
        let valid = std::str::from_utf8(&data[..error.valid_up_to()]).expect("valid prefix");
        check(valid);
    }
});

fn check(value: &str) {
    check_normalize(value);
    check_prepare(value);
    check_dns_debug(value);
}

fn check_normalize(value: &str) {
    let normalized = match normalize_indicator(value) {
        Ok(normalized) => normalized,
        Err(error) => return check_error(value, &error),
    };
    let pattern = normalized.to_pattern();
    let again = normalize_indicator(&pattern)
        .unwrap_or_else(|error| panic!("pattern {pattern:?} of {value:?} is invalid: {error}"));
    assert_eq!(again.to_pattern(), pattern, "normalizing {value:?} twice");
    assert!(
        !again.is_refanged() && again.reduction().is_none(),
        "{pattern:?}"
    );
    assert_eq!(again.is_wildcard(), normalized.is_wildcard());

    let domain = normalized.domain();
    assert_valid_name(domain);
    let prepared = prepare_name(domain).unwrap_or_else(|error| {
        panic!("domain {domain:?} of {value:?} fails prepare_name: {error}")
    });
    assert_eq!(
        prepared, domain,
        "prepare_name changed the normalized domain"
    );
}

fn check_prepare(value: &str) {
    let prepared = match prepare_name(value) {
        Ok(prepared) => prepared,
        Err(error) => return check_error(value, &error),
    };
    assert_valid_name(&prepared);
    let again = prepare_name(&prepared)
        .unwrap_or_else(|error| panic!("prepared {prepared:?} of {value:?} is invalid: {error}"));
    assert_eq!(again, prepared, "preparing {value:?} twice");
}

fn check_dns_debug(value: &str) {
    let name = match from_dns_debug(value) {
        Ok(name) => name,
        Err(error) => return check_error(value, &error),
    };
    let _ = prepare_name(&name);
    // Encode the dotted name again, when every label fits the form, and decode it.
    let labels: Vec<&str> = name.split('.').collect();
    let encodable = labels
        .iter()
        .all(|label| (1..=999).contains(&label.len()) && !label.contains(['(', ')']));
    if encodable {
        let mut encoded = String::new();
        for label in &labels {
            encoded.push_str(&format!("({}){label}", label.len()));
        }
        encoded.push_str("(0)");
        let decoded = from_dns_debug(&encoded)
            .unwrap_or_else(|error| panic!("re-encoded {encoded:?} of {value:?}: {error}"));
        assert_eq!(decoded, name, "debug form {encoded:?}");
    }
}

/// Checks that a name is lower-case ASCII within the length limits.
fn assert_valid_name(name: &str) {
    assert!(name.len() <= MAX_NAME_LEN, "{name:?} is too long");
    assert!(!name.ends_with('.'), "{name:?} keeps its root dot");
    for label in name.split('.') {
        assert!(
            (1..=MAX_LABEL_LEN).contains(&label.len()),
            "label {label:?} of {name:?}"
        );
        assert!(
            label
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_'),
            "label {label:?} of {name:?}"
        );
    }
}

/// Checks that an error names the value and that offsets point inside it.
fn check_error(value: &str, error: &DomainError) {
    assert_eq!(error.value(), value);
    let _ = error.to_string();
    match error.kind() {
        DomainErrorKind::InvalidCharacter { character, offset } => {
            assert!(
                value.is_char_boundary(*offset) && value[*offset..].starts_with(*character),
                "offset {offset} of {character:?} in {value:?}"
            );
        }
        DomainErrorKind::DnsDebugForm { offset } => {
            assert!(
                *offset <= value.len() && value.is_char_boundary(*offset),
                "offset {offset} in {value:?}"
            );
        }
        _ => {}
    }
}
