//! `KqlList`, `KqlOperator` and the evaluation entry points: list semantics, errors, limits and
//! multi-valued haystacks.

mod common;

use common::naive_kql;
use iocmatch::kql::{
    KUSTO_HAS_ALL_MAX_DISTINCT_VALUES, KUSTO_HAS_ANY_MAX_DISTINCT_VALUES, KqlError, KqlErrorKind,
    KqlList, KqlListBuilder, KqlMatch, KqlOperator, TermChars, evaluate, evaluate_multi,
};

fn list(values: &[&str]) -> KqlList {
    KqlList::new(values.iter().copied()).unwrap()
}

fn strings(values: &[&str]) -> Vec<String> {
    values.iter().map(|v| v.to_string()).collect()
}

#[test]
fn has_any_over_distinct_values() {
    let miners = list(&["xmrpool.eu", "minexmr.com", "xmrpool.eu", "XMRPOOL.EU"]);
    assert_eq!(miners.len(), 4);
    assert_eq!(miners.distinct_len(), 2);
    assert!(miners.has_any("pool.xmrpool.eu"));
    assert!(miners.has_any("MINEXMR.com"));
    assert!(!miners.has_any("myxmrpool.eu"));
    assert_eq!(miners.has_any_index("pool.XMRpool.eu"), Some(0));
    assert_eq!(miners.values()[3], "XMRPOOL.EU");
}

#[test]
fn empty_list_matches_nothing() {
    let empty = KqlList::new(Vec::<String>::new()).unwrap();
    assert!(empty.is_empty());
    assert!(!empty.has_any("anything"));
    assert!(!empty.has_all("anything"));
    assert!(!empty.in_ci("anything"));
    assert_eq!(empty.has_any_index("anything"), None);
    assert_eq!(empty.find("anything"), None);
    for operator in KqlOperator::ALL {
        let expected = operator.is_negated();
        assert_eq!(
            evaluate(operator, &empty, "anything"),
            expected,
            "{operator}"
        );
        assert_eq!(
            evaluate(operator, &empty, ""),
            expected,
            "{operator} on empty haystack"
        );
    }
}

#[test]
fn has_all_needs_every_value() {
    let values = list(&["powershell", "-enc", "POWERSHELL"]);
    assert!(values.has_all("PowerShell.exe -enc SQBFAFgA"));
    assert!(!values.has_all("powershell.exe -nop"));
    assert!(!values.has_all("-enc only"));
    assert!(evaluate(KqlOperator::HasAll, &values, "-enc PowerShell"));
}

#[test]
fn has_any_index_returns_lowest_index() {
    // The examples of Kusto's has_any_index documentation.
    assert_eq!(
        list(&["this", "example"]).has_any_index("this is an example"),
        Some(0)
    );
    assert_eq!(
        list(&["not", "example"]).has_any_index("this is an example"),
        Some(1)
    );
    assert_eq!(
        list(&["not", "found"]).has_any_index("this is an example"),
        None
    );
    assert_eq!(list(&["1", "2"]).has_any_index("Example number 2"), Some(1));
    // The lowest index wins even when a later value occurs earlier in the haystack.
    assert_eq!(
        list(&["z", "example", "this"]).has_any_index("this is an example"),
        Some(1)
    );
}

#[test]
fn find_prefers_leftmost_then_lowest_index() {
    let values = list(&["demale.shop", "shop", "cdn"]);
    let found = values.find("https://cdn.demale.shop/").unwrap();
    assert_eq!(found.index(), 2);
    assert_eq!(found.span(), 8..11);

    let same_start = list(&["evil", "evil.com"]);
    let found = same_start.find("x.evil.com").unwrap();
    assert_eq!((found.index(), found.start(), found.end()), (0, 2, 6));

    let reversed = list(&["evil.com", "evil"]);
    let found = reversed.find("x.evil.com").unwrap();
    assert_eq!((found.index(), found.span()), (0, 2..10));
}

#[test]
fn find_span_after_non_ascii() {
    let values = list(&["demale.shop"]);
    let haystack = "中文 demale.shop";
    let found = values.find(haystack).unwrap();
    assert_eq!(&haystack[found.span()], "demale.shop");
    assert_eq!(found.start(), 7);
}

#[test]
fn overlap_trap_finds_valid_match() {
    // "xdemale.shop" fails its left edge, and "shop" inside it is valid.
    let values = list(&["demale.shop", "shop"]);
    let found = values.find("xdemale.shop").unwrap();
    assert_eq!((found.index(), found.span()), (1, 8..12));
    // A failing occurrence of one value overlapping a valid occurrence of the same value.
    let same = list(&["x.x"]);
    assert_eq!(same.find("ax.x.x").map(|m| m.span()), Some(3..6));
}

#[test]
fn find_with_matches_evaluate() {
    let values = list(&["evil", "demale.shop", "Backup"]);
    let haystacks = [
        "www.demale.shopping",
        "remus_Backup.exe",
        "EVIL",
        "xevil",
        "",
    ];
    for operator in KqlOperator::ALL {
        for haystack in haystacks {
            let decided = values.find_with(operator, haystack).is_some() != operator.is_negated();
            assert_eq!(
                decided,
                evaluate(operator, &values, haystack),
                "{haystack:?} {operator}"
            );
        }
    }
}

#[test]
fn case_sensitive_list_picks_exact_value() {
    let values = list(&["backup", "Backup", "BACKUP"]);
    assert_eq!(values.distinct_len(), 1);
    let found = values
        .find_with(KqlOperator::HasCs, "remus_Backup.exe")
        .unwrap();
    assert_eq!((found.index(), found.span()), (1, 6..12));
    assert!(!evaluate(KqlOperator::HasCs, &values, "remus_BackUp.exe"));
    assert!(evaluate(KqlOperator::Has, &values, "remus_BackUp.exe"));
}

#[test]
fn in_ci_and_equals_ci_over_list() {
    let values = list(&["Demale.shop", "evil.com", "demale.SHOP"]);
    let found = values.find_with(KqlOperator::InCi, "DEMALE.shop").unwrap();
    assert_eq!((found.index(), found.span()), (0, 0..11));
    assert!(evaluate(KqlOperator::EqualsCi, &values, "EVIL.COM"));
    assert!(!evaluate(KqlOperator::InCi, &values, "www.evil.com"));
    assert!(evaluate(KqlOperator::NotInCi, &values, "www.evil.com"));
    assert!(!evaluate(KqlOperator::NotEqualsCi, &values, "evil.com"));
}

#[test]
fn ascii_term_list_option() {
    let unicode = list(&["evil.com"]);
    let ascii = KqlListBuilder::new()
        .term_chars(TermChars::Ascii)
        .build(["evil.com"])
        .unwrap();
    assert_eq!(unicode.term_chars(), TermChars::Unicode);
    assert_eq!(ascii.term_chars(), TermChars::Ascii);
    assert!(!unicode.has_any("caféevil.com"));
    assert!(ascii.has_any("caféevil.com"));
    assert_eq!(ascii.find("caféevil.com").map(|m| m.span()), Some(5..13));
}

#[test]
fn multi_valued_elements_never_join() {
    let values = list(&["demale.shop"]);
    let split = ["demale", ".shop"];
    assert!(!evaluate_multi(KqlOperator::Has, &values, split));
    assert!(!evaluate_multi(KqlOperator::HasAny, &values, split));
    assert!(evaluate_multi(KqlOperator::NotHas, &values, split));
    // Joined without a separator the value would match.
    assert!(evaluate(KqlOperator::Has, &values, &split.concat()));

    let a_then_b = list(&["alpha", "beta"]);
    assert!(!evaluate_multi(
        KqlOperator::HasAll,
        &a_then_b,
        ["alpha", "beta"]
    ));
    assert!(evaluate_multi(
        KqlOperator::HasAll,
        &a_then_b,
        ["x", "beta alpha"]
    ));
}

#[test]
fn multi_valued_any_element_matches() {
    let values = list(&["demale.shop"]);
    let elements = vec!["example.org".to_string(), "cdn.demale.shop".to_string()];
    assert!(evaluate_multi(KqlOperator::Has, &values, &elements));
    assert!(!evaluate_multi(KqlOperator::NotHas, &values, &elements));
    assert!(!evaluate_multi(KqlOperator::InCi, &values, &elements));
    assert!(evaluate_multi(KqlOperator::InCi, &values, ["DEMALE.shop"]));
}

#[test]
fn multi_valued_without_elements() {
    let values = list(&["demale.shop"]);
    for operator in KqlOperator::ALL {
        let result = evaluate_multi(operator, &values, std::iter::empty::<&str>());
        assert_eq!(result, operator.is_negated(), "{operator}");
    }
}

#[test]
fn multi_valued_agrees_with_reference() {
    let values = strings(&["demale.shop", "evil", "Backup"]);
    let compiled = KqlList::new(values.clone()).unwrap();
    let element_sets = [
        strings(&["demale", ".shop"]),
        strings(&["x", "remus_Backup"]),
        strings(&["evil", "demale.shop", "BACKUP"]),
        strings(&[]),
    ];
    for operator in KqlOperator::ALL {
        for elements in &element_sets {
            let expected = naive_kql::evaluate_multi(operator, &values, elements, false);
            let actual = evaluate_multi(operator, &compiled, elements);
            assert_eq!(actual, expected, "{operator} over {elements:?}");
        }
    }
}

#[test]
fn blank_value_error_names_index() {
    let err = KqlList::new(["evil.com", "ok", ""]).unwrap_err();
    assert_eq!(err.kind(), KqlErrorKind::BlankValue);
    assert_eq!(
        err,
        KqlError::BlankValue {
            index: 2,
            value: String::new()
        }
    );
    assert_eq!(
        err.to_string(),
        "kql value at list index 2 is empty (\"\"); remove it or replace it with the intended term",
    );

    let err = KqlList::new(["  \t", "evil.com", ""]).unwrap_err();
    assert_eq!(
        err.to_string(),
        "kql value at list index 0 is whitespace-only (\"  \\t\"); remove it or replace it with \
         the intended term",
    );
}

#[test]
fn unknown_operator_error_lists_spellings() {
    let err = "HAS_ANY".parse::<KqlOperator>().unwrap_err();
    assert_eq!(err.kind(), KqlErrorKind::UnknownOperator);
    assert_eq!(
        err.to_string(),
        "unknown kql operator \"HAS_ANY\"; expected one of has, !has, has_cs, !has_cs, has_any, \
         has_all, hasprefix, !hasprefix, hasprefix_cs, !hasprefix_cs, hassuffix, !hassuffix, \
         hassuffix_cs, !hassuffix_cs, in~, !in~, =~, !~",
    );
    assert!(" has".parse::<KqlOperator>().is_err());
    assert!("contains".parse::<KqlOperator>().is_err());
}

#[test]
fn automaton_build_error_message() {
    let err = KqlError::AutomatonBuild {
        distinct_values: 3,
        message: "too many states".into(),
    };
    assert_eq!(err.kind(), KqlErrorKind::AutomatonBuild);
    assert_eq!(
        err.to_string(),
        "failed to build the kql matcher over 3 distinct values: too many states; split the list \
         into smaller lists",
    );
}

#[test]
fn operator_spellings_round_trip() {
    let expected = [
        "has",
        "!has",
        "has_cs",
        "!has_cs",
        "has_any",
        "has_all",
        "hasprefix",
        "!hasprefix",
        "hasprefix_cs",
        "!hasprefix_cs",
        "hassuffix",
        "!hassuffix",
        "hassuffix_cs",
        "!hassuffix_cs",
        "in~",
        "!in~",
        "=~",
        "!~",
    ];
    for (operator, spelling) in KqlOperator::ALL.into_iter().zip(expected) {
        assert_eq!(operator.to_string(), spelling);
        assert_eq!(spelling.parse::<KqlOperator>().unwrap(), operator);
        let json = serde_json::to_string(&operator).unwrap();
        assert_eq!(json, format!("\"{spelling}\""));
        assert_eq!(
            serde_json::from_str::<KqlOperator>(&json).unwrap(),
            operator
        );
    }
}

#[test]
fn operator_serde_rejects_unknown() {
    let err = serde_json::from_str::<KqlOperator>("\"has any\"").unwrap_err();
    assert!(
        err.to_string()
            .starts_with("unknown kql operator \"has any\""),
        "{err}"
    );
}

#[test]
fn operator_negation_pairs() {
    let negated: Vec<KqlOperator> = KqlOperator::ALL
        .into_iter()
        .filter(|op| op.is_negated())
        .collect();
    assert_eq!(negated.len(), 8);
    for operator in negated {
        // "!~" negates "=~". Every other negation puts "!" before the positive spelling.
        let spelled = format!("!{}", operator.positive()).replace("!=~", "!~");
        assert_eq!(spelled, operator.as_str());
        assert!(!operator.positive().is_negated());
    }
}

#[test]
fn has_any_above_kusto_cap() {
    let count = KUSTO_HAS_ANY_MAX_DISTINCT_VALUES + 1;
    let values: Vec<String> = (0..count).map(|i| format!("host{i}.example")).collect();
    let compiled = KqlList::new(values).unwrap();
    assert_eq!(compiled.distinct_len(), count);
    let last = format!("a.host{}.example", count - 1);
    assert_eq!(compiled.has_any_index(&last), Some(count - 1));
    assert!(!compiled.has_any("a.host10001x.example"));
}

#[test]
fn has_all_above_kusto_cap() {
    let count = KUSTO_HAS_ALL_MAX_DISTINCT_VALUES + 1;
    let values: Vec<String> = (0..count).map(|i| format!("t{i}")).collect();
    let haystack = values.join(" ");
    let compiled = KqlList::new(values).unwrap();
    assert!(compiled.has_all(&haystack));
    let without_last = haystack.rsplit_once(' ').unwrap().0;
    assert!(!compiled.has_all(without_last));
}

#[test]
fn public_types_are_thread_safe() {
    fn assert_traits<T: Send + Sync + std::panic::UnwindSafe + std::panic::RefUnwindSafe>() {}
    assert_traits::<KqlList>();
    assert_traits::<KqlListBuilder>();
    assert_traits::<KqlMatch>();
    assert_traits::<KqlOperator>();
    assert_traits::<KqlError>();
    assert_traits::<TermChars>();
}
