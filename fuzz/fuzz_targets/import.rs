//! Arbitrary text through every importer in `iocmatch::feed`, strict and lenient: no panic, and
//! every row read is accounted for as a record, a skipped row or a rejected row. A lenient import
//! pushed into a lenient set build rejects nothing more, because importers validate domains with
//! the same normalization the set applies.

#![no_main]

use iocmatch::SetBuilder;
use iocmatch::feed::{self, Import, Mode, RulePage, Warninglist};
use iocmatch::rule::RuleDefinition;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);

    for mode in [Mode::Strict, Mode::Lenient] {
        check(feed::plain_list(&text, mode), mode);
        check(feed::threatfox_json(&text, mode), mode);
        check(feed::threatfox_hostfile(&text, mode), mode);
        if let Ok(page) = RulePage::parse(&text, mode) {
            check(Ok(page.iocs.clone()), mode);
            let _ = page.indicator_values();
            let _ = page.compare_iocs();
            if let Ok(definition) = RuleDefinition::from_page(&page) {
                let _ = iocmatch::Rule::new_lenient(definition);
            }
        }
    }

    if let Ok(list) = Warninglist::parse(&text) {
        for value in ["evil.com", "", text.as_ref()] {
            let _ = list.matches(value);
        }
        if let Ok(import) = list.to_import(Mode::Lenient) {
            check(Ok(import), Mode::Lenient);
        }
    }
});

/// Checks that an import accounts for every row and that its records build into a set without
/// further rejections.
fn check(result: Result<Import, feed::FeedError>, mode: Mode) {
    let import = match result {
        Ok(import) => import,
        Err(error) => {
            let _ = error.to_string();
            return;
        }
    };
    assert!(import.is_accounted(), "rows not accounted for: {import:?}");
    if mode == Mode::Strict {
        assert!(import.rejected.is_empty(), "a strict import returned rejected rows");
    }
    let mut builder = SetBuilder::new();
    import.push_into(&mut builder);
    let built = builder.build_lenient();
    assert!(
        built.rejected.is_empty(),
        "an imported record was rejected by the set: {:?}",
        built.rejected
    );
}
