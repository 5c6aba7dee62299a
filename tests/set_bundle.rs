//! Serialized sets: round trips, and corrupt bytes that must fail cleanly.

use iocmatch::error::BundleErrorKind;
use iocmatch::{IndicatorRecord, IndicatorSet, Metadata, ScanEngine, SetBuilder};
use proptest::prelude::*;

fn sample_set() -> IndicatorSet {
    let mut builder = SetBuilder::new();
    builder
        .push("evil.com")
        .push("*.demale.shop")
        .push("onion")
        .push_record(
            IndicatorRecord::new("hxxp://Evil[.]com/x").with_metadata(Metadata {
                malware: Some("Remus".into()),
                confidence: Some(90),
                ..Metadata::default()
            }),
        );
    builder.scan_engine(ScanEngine::Tokens).exact_only(true);
    builder.build().unwrap()
}

#[test]
fn bundle_round_trip_keeps_answers() {
    let set = sample_set();
    let loaded = IndicatorSet::from_bytes(&set.to_bytes()).unwrap();
    assert_eq!(loaded.len(), set.len());
    assert_eq!(loaded.record_count(), 4);
    assert!(loaded.is_exact_only());
    for name in [
        "evil.com",
        "cdn.evil.com",
        "a.demale.shop",
        "demale.shop",
        "x.onion",
        "onion",
    ] {
        assert_eq!(loaded.is_match(name), set.is_match(name), "{name}");
    }
    let hit = loaded.find("evil.com").unwrap();
    assert_eq!(
        hit.records()[1].metadata().malware.as_deref(),
        Some("Remus")
    );
    assert_eq!(loaded.to_bytes(), set.to_bytes());
}

#[test]
fn bundle_rejects_wrong_magic_and_truncation() {
    let bytes = sample_set().to_bytes();
    assert_eq!(
        IndicatorSet::from_bytes(b"").unwrap_err().kind(),
        BundleErrorKind::BadMagic
    );
    assert_eq!(
        IndicatorSet::from_bytes(&bytes[..20]).unwrap_err().kind(),
        BundleErrorKind::Truncated
    );
    let mut bad_flag = bytes.clone();
    bad_flag[8] = 7;
    let err = IndicatorSet::from_bytes(&bad_flag).unwrap_err();
    assert_eq!(err.kind(), BundleErrorKind::BadHeader);
    assert_eq!(err.offset(), 8);
}

#[test]
fn bundle_rejects_tables_that_disagree_with_the_fst() {
    let bytes = sample_set().to_bytes();
    // Swap one pattern in the tables for another valid one: the FST keys no longer agree.
    let needle = b"\"evil.com\"";
    let at = bytes
        .windows(needle.len())
        .position(|w| w == needle)
        .unwrap();
    let mut swapped = bytes.clone();
    swapped[at..at + needle.len()].copy_from_slice(b"\"evil.org\"");
    let err = IndicatorSet::from_bytes(&swapped).unwrap_err();
    assert_eq!(err.kind(), BundleErrorKind::KeyMismatch);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn corrupt_bundles_never_panic(position in any::<prop::sample::Index>(), byte in any::<u8>()) {
        let set = sample_set();
        let mut bytes = set.to_bytes();
        let at = position.index(bytes.len());
        bytes[at] = byte;
        if let Ok(loaded) = IndicatorSet::from_bytes(&bytes) {
            // A change that still loads must leave a set that behaves like a valid one.
            for name in ["evil.com", "a.demale.shop", "x.onion", "other.net"] {
                let _ = loaded.find_iter(name).count();
                let _ = loaded.scan(name.as_bytes()).count();
            }
        }
    }
}
