//! Trees from the `arbitrary` feature, as a fuzz target would generate them: every tree that
//! [`Expr::is_representable`] accepts prints to text that parses back to it, and no tree makes
//! printing or parsing panic. Run with `cargo test --features arbitrary`.

#![cfg(feature = "arbitrary")]

use arbitrary::{Arbitrary, Unstructured};
use iocmatch::filter::Filter;
use iocmatch::filter::ast::Expr;
use proptest::prelude::*;
use std::sync::atomic::{AtomicUsize, Ordering};

/// How many generated trees were representable, printed to show the property was exercised.
static REPRESENTABLE: AtomicUsize = AtomicUsize::new(0);

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2048))]

    #[test]
    fn representable_arbitrary_trees_round_trip(bytes in prop::collection::vec(any::<u8>(), 0..256)) {
        let mut input = Unstructured::new(&bytes);
        let Ok(tree) = Expr::arbitrary(&mut input) else {
            return Ok(());
        };
        let text = tree.to_string();
        let parsed = Filter::parse(&text);
        if tree.is_representable() {
            prop_assert!(parsed.is_ok(), "{text:?}: {}", parsed.unwrap_err());
            let parsed = parsed.unwrap();
            prop_assert_eq!(parsed.ast(), &tree, "{}", text);
            REPRESENTABLE.fetch_add(1, Ordering::Relaxed);
        }
    }
}

#[test]
fn arbitrary_trees_exercise_round_trip() {
    // Runs the property once more and checks that some trees got past `is_representable`, so
    // the property does not pass by skipping everything.
    representable_arbitrary_trees_round_trip();
    let count = REPRESENTABLE.load(Ordering::Relaxed);
    println!("{count} representable trees");
    assert!(count > 0, "no generated tree was representable");
}
