//! Inputs that made a fuzz target (under `fuzz/`) fail, each kept as an ordinary test of the
//! behaviour the target checks. The comment on each test gives the target and the bug.

mod common;

use iocmatch::{DomainErrorKind, normalize_indicator};

/// Returns the byte offset of an `InvalidCharacter` error, failing on any other result.
fn invalid_character_offset(value: &str) -> (char, usize) {
    let error = normalize_indicator(value).expect_err("an invalid value");
    match error.kind() {
        DomainErrorKind::InvalidCharacter { character, offset } => (*character, *offset),
        other => panic!("{value:?}: expected an invalid character, got {other:?}"),
    }
}

// Target `normalize`: an ASCII character that is invalid in a value with non-ASCII characters
// was reported at byte 0 instead of its place in the value.
#[test]
fn invalid_ascii_beside_unicode_offset() {
    assert_eq!(invalid_character_offset("\u{f7}'\u{f7}"), ('\'', 2));
    assert_eq!(invalid_character_offset("b\u{fc}cher!.de"), ('!', 7));
    assert_eq!(invalid_character_offset("xm\u{fc}nchen de"), (' ', 9));
}

// Target `normalize`: UTS #46 maps some characters to text with a space (`\u{37a}` to a space
// and a combining mark, `\u{b8}` to a space and a cedilla). The space was reported as an
// invalid character at an offset of the mapped name, where the value has something else.
#[test]
fn mapped_invalid_character_is_idn_error() {
    for value in ["\u{37a}.com", "a\u{b8}b.com", "evil\u{b8}"] {
        let error = normalize_indicator(value).expect_err("an invalid value");
        assert_eq!(error.kind(), &DomainErrorKind::Idna, "{value:?}: {error}");
    }
}
