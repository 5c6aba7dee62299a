//! Arbitrary syntax trees: printing never panics, and every tree that `is_representable`
//! accepts prints to text that parses back to an equal tree and prints the same again.

#![no_main]

use iocmatch::filter::ast::Expr;
use iocmatch::filter::{Filter, MAX_FILTER_LEN};
use iocmatch_fuzz::check_filter_error;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|tree: Expr| {
    let text = tree.to_string();
    let parsed = Filter::parse(&text);
    if let Err(error) = &parsed {
        check_filter_error(&text, error);
    }
    if !tree.is_representable() || text.len() > MAX_FILTER_LEN {
        return;
    }
    let parsed = parsed
        .unwrap_or_else(|error| panic!("representable tree {tree:?} prints {text:?}: {error}"));
    assert_eq!(parsed.ast(), &tree, "{text:?} parses to another tree");
    assert_eq!(parsed.to_string(), text, "canonical form is not stable");
});
