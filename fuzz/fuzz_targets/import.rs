//! Arbitrary text through every importer in `iocmatch::feed`, strict and lenient: no panic, and
//! every row read is accounted for as a record, a skipped row or a rejected row. A lenient import
//! pushed into a lenient set build rejects nothing more, because importers validate domains with
//! the same normalization the set applies. Line locations lie inside the text, errors render,
//! and an error shows at most `MAX_ERROR_VALUE_CHARS` characters of the value plus the note of
//! its full length. A rule page's scenario filters go through the filter parser.

#![no_main]

use iocmatch::feed::{self, FeedError, Import, MAX_ERROR_VALUE_CHARS, Mode, RulePage, Warninglist};
use iocmatch::filter::Filter;
use iocmatch::rule::RuleDefinition;
use iocmatch::{Location, SetBuilder};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    // The maximum line number an importer can report, counting an empty last line.
    let lines = text.split('\n').count();

    for mode in [Mode::Strict, Mode::Lenient] {
        check(feed::plain_list(&text, mode), mode, lines);
        check(feed::threatfox_json(&text, mode), mode, lines);
        check(feed::threatfox_hostfile(&text, mode), mode, lines);
        match RulePage::parse(&text, mode) {
            Ok(page) => {
                check(Ok(page.iocs.clone()), mode, lines);
                let _ = page.indicator_values();
                let _ = page.compare_iocs();
                for scenario in &page.scenarios {
                    assert!((1..=lines).contains(&scenario.filter.line));
                    let _ = Filter::parse(&scenario.filter.text);
                }
                if let Ok(definition) = RuleDefinition::from_page(&page) {
                    let _ = iocmatch::Rule::new_lenient(definition);
                }
            }
            Err(error) => check_error(&error),
        }
    }

    match Warninglist::parse(&text) {
        Ok(list) => {
            for value in ["evil.com", "", text.as_ref()] {
                let _ = list.matches(value);
            }
            for mode in [Mode::Strict, Mode::Lenient] {
                check(list.to_import(mode), mode, lines);
            }
        }
        Err(error) => check_error(&error),
    }
});

/// Checks that an import accounts for every row, locates rows inside the text, and that its
/// records build into a set without further rejections.
fn check(result: Result<Import, FeedError>, mode: Mode, lines: usize) {
    let import = match result {
        Ok(import) => import,
        Err(error) => return check_error(&error),
    };
    assert!(import.is_accounted(), "rows not accounted for: {import:?}");
    if mode == Mode::Strict {
        assert!(
            import.rejected.is_empty(),
            "a strict import returned rejected rows"
        );
    }

    let locations = import
        .records
        .iter()
        .map(|(_, location)| location)
        .chain(import.skipped.iter().map(|skipped| &skipped.location))
        .chain(import.rejected.iter().map(|rejected| &rejected.location));
    for location in locations {
        if let Location::Line(line) = location {
            assert!((1..=lines).contains(line), "line {line} of {lines}");
        }
    }
    for rejected in &import.rejected {
        check_error(&rejected.error);
    }

    let mut builder = SetBuilder::new();
    let pushed = import.push_into(&mut builder);
    assert_eq!(pushed, import.domain_records().count());
    let built = builder.build_lenient();
    assert!(
        built.rejected.is_empty(),
        "an imported record was rejected by the set: {:?}",
        built.rejected
    );
    assert_eq!(built.set.record_count(), pushed);
}

/// Checks that an error renders and that its value is cut to the documented length.
fn check_error(error: &FeedError) {
    let _ = error.to_string();
    let value = error.value();
    let value_shown = match value.rfind("... (") {
        Some(cut) if value.ends_with(" bytes in all)") => &value[..cut],
        _ => value,
    };
    assert!(
        value_shown.chars().count() <= MAX_ERROR_VALUE_CHARS,
        "error value of {} characters: {error}",
        value_shown.chars().count()
    );
}
