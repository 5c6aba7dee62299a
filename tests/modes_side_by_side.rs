//! The same names under the two named semantics: DNS-correct domain mode and Kusto `has`.
//! Each row states both results, so the differences are explicit.

use iocmatch::kql::{KqlList, KqlOperator, evaluate};
use iocmatch::{ScanEngine, SetBuilder};

#[test]
fn domain_and_kql_columns() {
    // (indicator, log value, domain mode, KQL has)
    let rows = [
        ("demale.shop", "demale.shop", true, true),
        ("demale.shop", "www.demale.shop", true, true),
        ("demale.shop", "x-demale.shop", false, true),
        ("demale.shop", "x_demale.shop", false, true),
        ("demale.shop", "demale.shop.evil.com", false, true),
        ("demale.shop", "xdemale.shop", false, false),
        ("demale.shop", "demale.shopping", false, false),
        ("demale.shop", "DEMALE.SHOP.", true, true),
        ("gan.example", "michigan.example", false, false),
        ("evil.com", "evil.com.attacker.net", false, true),
        ("evil.com", "notevil.com", false, false),
    ];
    for (indicator, value, domain_expected, kql_expected) in rows {
        let mut builder = SetBuilder::new();
        builder.push(indicator);
        let set = builder.build().unwrap();
        assert_eq!(
            set.is_match(value),
            domain_expected,
            "domain: {value:?} vs {indicator:?}"
        );

        let list = KqlList::new([indicator]).unwrap();
        assert_eq!(
            evaluate(KqlOperator::Has, &list, value),
            kql_expected,
            "kql has: {value:?} vs {indicator:?}"
        );
    }
}

#[test]
fn text_scan_and_kql_on_free_text() {
    // (haystack, text scan, KQL has) for the indicator demale.shop
    let rows = [
        ("https://cdn.demale.shop:443/x", true, true),
        ("user@demale.shop", true, true),
        ("visit demale.shop.", true, true),
        ("curl http://x-demale.shop/", false, true),
        ("ping demale.shop.evil.com", false, true),
        ("remus_demale.shop", false, true),
    ];
    for engine in [ScanEngine::Tokens, ScanEngine::Automaton] {
        let mut builder = SetBuilder::new();
        builder.push("demale.shop").scan_engine(engine);
        let set = builder.build().unwrap();
        let list = KqlList::new(["demale.shop"]).unwrap();
        for (text, scan_expected, kql_expected) in rows {
            assert_eq!(
                set.is_match_text(text.as_bytes()),
                scan_expected,
                "scan {engine:?}: {text:?}"
            );
            assert_eq!(list.has_any(text), kql_expected, "kql: {text:?}");
        }
    }
}
