//! Arbitrary bytes through `IndicatorSet::from_bytes`: loading never panics, and a set that
//! loads runs lookups and scans without panicking, and its own bytes load back unchanged.

#![no_main]

use iocmatch::IndicatorSet;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let set = match IndicatorSet::from_bytes(data) {
        Ok(set) => set,
        Err(error) => {
            assert!(
                error.offset() <= data.len(),
                "offset past the input: {error}"
            );
            let _ = error.to_string();
            return;
        }
    };
    // The JSON tables may differ from what `to_bytes` writes (whitespace, key order, unknown
    // metadata keys), so the loaded set's own bytes must load and serialize unchanged.
    let canonical = set.to_bytes();
    let reloaded = IndicatorSet::from_bytes(&canonical)
        .unwrap_or_else(|error| panic!("a loaded set's own bytes fail to load: {error}"));
    assert_eq!(reloaded.to_bytes(), canonical, "serializing is not stable");
    assert_eq!(reloaded.len(), set.len());

    // Look up every stored indicator, a subdomain of it and a look-alike, then scan all of them
    // as one haystack.
    let mut haystack = String::new();
    let patterns: Vec<String> = set.iter().map(|(pattern, _)| pattern.to_owned()).collect();
    for pattern in &patterns {
        let domain = pattern.strip_prefix("*.").unwrap_or(pattern);
        for name in [
            domain.to_owned(),
            format!("sub.{domain}"),
            format!("x{domain}"),
            format!("{domain}."),
        ] {
            let hits: Vec<_> = set.find_iter(&name).collect();
            assert_eq!(set.is_match(&name), !hits.is_empty());
            haystack.push_str(&name);
            haystack.push(' ');
        }
        let exact = set.find(domain);
        assert!(
            pattern.starts_with("*.") || exact.is_some(),
            "{pattern} does not match itself"
        );
    }
    let scanned = set.scan(haystack.as_bytes()).count();
    assert_eq!(set.is_match_text(haystack.as_bytes()), scanned > 0);
    let _ = set.memory_usage();
});
