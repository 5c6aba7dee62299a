//! Arbitrary text through `Filter::parse_with` under every option combination.
//!
//! Parsing never panics. An error's spans lie inside the text it reports, on character
//! boundaries, and that text is the start of the input; rendering the error does not panic. A
//! filter that parses prints a canonical form that parses back to an equal tree.

#![no_main]

use iocmatch::filter::{Filter, FilterOptions, MAX_FILTER_LEN};
use iocmatch_fuzz::check_filter_error;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    for (case_sensitive, strict) in [(false, false), (true, false), (false, true)] {
        let options = FilterOptions::new()
            .case_sensitive(case_sensitive)
            .strict_precedence(strict);
        match Filter::parse_with(&text, options) {
            Err(error) => check_filter_error(&text, &error),
            Ok(filter) => check_round_trip(&text, &filter, options),
        }
    }
});

fn check_round_trip(text: &str, filter: &Filter, options: FilterOptions) {
    assert_eq!(filter.text(), text);
    let canonical = filter.to_string();
    // Expanding field groups can lengthen the text, and a canonical form past the length
    // limit is rejected by design.
    if canonical.len() > MAX_FILTER_LEN {
        return;
    }
    let reparsed = Filter::parse_with(&canonical, options).unwrap_or_else(|error| {
        panic!("canonical form {canonical:?} of {text:?} does not parse: {error}")
    });
    assert_eq!(
        reparsed.ast(),
        filter.ast(),
        "canonical form {canonical:?} of {text:?} parses to another tree"
    );
    assert_eq!(
        reparsed.to_string(),
        canonical,
        "canonical form is not stable"
    );
}
