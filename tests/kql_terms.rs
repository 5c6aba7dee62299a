//! Term-semantics tables for KQL mode, each row run against every engine: the single-value
//! functions, a compiled `KqlList` through `evaluate` and `find_with`, and the naive reference.

mod common;

use common::naive_kql;
use iocmatch::kql::{self, KqlList, KqlOperator, TermChars, evaluate};

/// One table row: `haystack <operator> value` should be `expected`.
type Row = (&'static str, &'static str, bool);

/// Returns the single-value function for a positive operator, if there is one.
fn single_value_function(operator: KqlOperator) -> Option<fn(TermChars, &str, &str) -> bool> {
    match operator.positive() {
        KqlOperator::Has => Some(TermChars::has),
        KqlOperator::HasCs => Some(TermChars::has_cs),
        KqlOperator::HasPrefix => Some(TermChars::hasprefix),
        KqlOperator::HasPrefixCs => Some(TermChars::hasprefix_cs),
        KqlOperator::HasSuffix => Some(TermChars::hassuffix),
        KqlOperator::HasSuffixCs => Some(TermChars::hassuffix_cs),
        KqlOperator::EqualsCi => Some(|_, haystack, value| kql::equals_ci(haystack, value)),
        _ => None,
    }
}

/// Checks one row against every engine, with one assert per engine.
fn check_row(operator: KqlOperator, term_chars: TermChars, row: Row) {
    let (haystack, value, expected) = row;
    let ascii_only = term_chars == TermChars::Ascii;
    let case = format!("{haystack:?} {operator} {value:?} with {term_chars:?} terms");

    if let Some(function) = single_value_function(operator) {
        let positive = function(term_chars, haystack, value);
        assert_eq!(
            positive != operator.is_negated(),
            expected,
            "single-value function: {case}"
        );
    }

    let list = KqlList::builder()
        .term_chars(term_chars)
        .build([value])
        .unwrap();
    assert_eq!(
        evaluate(operator, &list, haystack),
        expected,
        "evaluate: {case}"
    );

    let found = list.find_with(operator, haystack);
    assert_eq!(
        found.is_some() != operator.is_negated(),
        expected,
        "find_with: {case}"
    );

    let values = [value.to_string()];
    let naive = naive_kql::evaluate(operator, &values, haystack, ascii_only);
    assert_eq!(naive, expected, "naive reference: {case}");
}

fn check_table(operator: KqlOperator, term_chars: TermChars, rows: &[Row]) {
    for &row in rows {
        check_row(operator, term_chars, row);
    }
}

/// The consequences listed for KQL mode: hyphen, dot and underscore separate terms, and a value
/// must end on a term boundary.
const SPEC_HAS: &[Row] = &[
    ("www.demale.shop", "demale.shop", true),
    ("x-demale.shop", "demale.shop", true),
    ("demale.shop.evil.com", "demale.shop", true),
    ("xdemale.shop", "demale.shop", false),
    ("demale.shopping", "demale.shop", false),
    ("BA", "b", false),
    ("KustoExplorerQueryRun", "Explorer", false),
    ("remus_backup.exe", "backup", true),
    ("demale.shop", "demale.shop", true),
    ("DEMALE.SHOP", "demale.shop", true),
    ("demale:shop", "demale.shop", false),
    ("a demale.shop b", "demale.shop", true),
    ("https://cdn.demale.shop:443/x", "demale.shop", true),
    ("user@demale.shop", "demale.shop", true),
    ("demale.shop.", "demale.shop", true),
    ("demale_shop", "shop", true),
    ("", "shop", false),
];

#[test]
fn spec_examples_has() {
    check_table(KqlOperator::Has, TermChars::Unicode, SPEC_HAS);
    check_table(KqlOperator::Has, TermChars::Ascii, SPEC_HAS);
    check_table(KqlOperator::HasAny, TermChars::Unicode, SPEC_HAS);
}

#[test]
fn spec_examples_negated() {
    let negated: Vec<Row> = SPEC_HAS.iter().map(|&(h, v, e)| (h, v, !e)).collect();
    check_table(KqlOperator::NotHas, TermChars::Unicode, &negated);
}

#[test]
fn case_folding_is_ascii_only() {
    let rows: &[Row] = &[
        ("CAFÉ.com", "café.com", false),
        ("café.COM", "CAFé.com", true),
        ("ÉVIL.com", "évil.com", false),
        ("straße.de", "STRASSE.de", false),
        ("ДОМЕН.рф", "домен.рф", false),
        ("домен.РФ", "домен.РФ", true),
        ("İstanbul", "istanbul", false),
        ("KELVIN", "kelvin", true),
    ];
    check_table(KqlOperator::Has, TermChars::Unicode, rows);
    check_table(KqlOperator::Has, TermChars::Ascii, rows);
}

#[test]
fn case_sensitive_operators_do_not_fold() {
    let rows: &[Row] = &[
        ("a.Evil.com", "Evil.com", true),
        ("a.evil.com", "Evil.com", false),
        ("a.EVIL.com", "Evil.com", false),
        ("KustoExplorer", "KustoExplorer", true),
        ("Kusto Explorer", "explorer", false),
    ];
    check_table(KqlOperator::HasCs, TermChars::Unicode, rows);
    let negated: Vec<Row> = rows.iter().map(|&(h, v, e)| (h, v, !e)).collect();
    check_table(KqlOperator::NotHasCs, TermChars::Unicode, &negated);
}

#[test]
fn unicode_letters_join_terms() {
    let rows: &[Row] = &[
        ("caféevil.com", "evil.com", false),
        ("évil.com", "vil.com", false),
        ("evil.comé", "evil.com", false),
        ("evil.comß", "evil.com", false),
        ("Дevil.com", "evil.com", false),
        ("中evil.com", "evil.com", false),
        ("evil.com中", "evil.com", false),
        ("x.évil.com", "évil.com", true),
        ("ДОМ-evil", "evil", true),
        ("①evil", "evil", false),
    ];
    check_table(KqlOperator::Has, TermChars::Unicode, rows);
}

#[test]
fn ascii_terms_split_at_non_ascii() {
    let rows: &[Row] = &[
        ("caféevil.com", "evil.com", true),
        ("évil.com", "vil.com", true),
        ("evil.comé", "evil.com", true),
        ("evil.comß", "evil.com", true),
        ("Дevil.com", "evil.com", true),
        ("中evil.com", "evil.com", true),
        ("evil.com中", "evil.com", true),
        ("x.évil.com", "évil.com", true),
        ("①evil", "evil", true),
        ("xevil.com", "evil.com", false),
    ];
    check_table(KqlOperator::Has, TermChars::Ascii, rows);
}

#[test]
fn values_edged_with_separators() {
    let rows: &[Row] = &[
        // A leading separator leaves no left edge to check.
        ("evil.com", ".com", true),
        ("x.evil.com", ".com", true),
        ("evil.community", ".com", false),
        ("evil.com.au", ".com", true),
        // A trailing separator leaves no right edge to check.
        ("evil.com", "evil.", true),
        ("xevil.com", "evil.", false),
        ("devil.evil.net", "evil.", true),
        ("evil", "evil.", false),
        // Separators on both sides: a plain substring test.
        ("a.b.c", ".b.", true),
        ("x-backup-y", "-backup-", true),
        ("xx-backup-yy", "-backup-", true),
        ("_", "_", true),
        ("::1", ":", true),
    ];
    check_table(KqlOperator::Has, TermChars::Unicode, rows);
    check_table(KqlOperator::Has, TermChars::Ascii, rows);
}

#[test]
fn trailing_spaces_are_significant() {
    let rows: &[Row] = &[
        ("evil.com", "evil.com ", false),
        ("evil.com x", "evil.com ", true),
        ("xevil.com x", "evil.com ", false),
        ("evil.com  ", " evil.com", false),
    ];
    check_table(KqlOperator::Has, TermChars::Unicode, rows);
    let in_rows: &[Row] = &[
        ("evil.com", "evil.com ", false),
        ("EVIL.com ", "evil.com ", true),
    ];
    check_table(KqlOperator::InCi, TermChars::Unicode, in_rows);
    check_table(KqlOperator::EqualsCi, TermChars::Unicode, in_rows);
}

#[test]
fn prefix_checks_left_edge_only() {
    let rows: &[Row] = &[
        ("demale.shopping", "demale.shop", true),
        ("cdn.demale.shopping", "demale.shop", true),
        ("xdemale.shop", "demale.shop", false),
        ("KustoExplorerQueryRun", "Kusto", true),
        ("KustoExplorerQueryRun", "Explorer", false),
        ("backup_2024", "BACK", true),
        ("évil", "vil", false),
    ];
    check_table(KqlOperator::HasPrefix, TermChars::Unicode, rows);
    let negated: Vec<Row> = rows.iter().map(|&(h, v, e)| (h, v, !e)).collect();
    check_table(KqlOperator::NotHasPrefix, TermChars::Unicode, &negated);
    check_table(
        KqlOperator::HasPrefixCs,
        TermChars::Unicode,
        &[
            ("backup_2024", "BACK", false),
            ("Backup_2024", "Back", true),
        ],
    );
}

#[test]
fn suffix_checks_right_edge_only() {
    let rows: &[Row] = &[
        ("xdemale.shop", "demale.shop", true),
        ("demale.shopping", "demale.shop", false),
        ("KustoExplorerQueryRun", "Run", true),
        ("KustoExplorerQueryRun", "Explorer", false),
        ("remus_backup", "BACKUP", true),
        ("vilé", "vil", false),
    ];
    check_table(KqlOperator::HasSuffix, TermChars::Unicode, rows);
    let negated: Vec<Row> = rows.iter().map(|&(h, v, e)| (h, v, !e)).collect();
    check_table(KqlOperator::NotHasSuffix, TermChars::Unicode, &negated);
    check_table(
        KqlOperator::HasSuffixCs,
        TermChars::Unicode,
        &[
            ("remus_backup", "BACKUP", false),
            ("remus_Backup", "Backup", true),
        ],
    );
}

#[test]
fn equality_compares_whole_haystack() {
    let rows: &[Row] = &[
        ("Demale.SHOP", "demale.shop", true),
        ("www.demale.shop", "demale.shop", false),
        ("demale.shop.", "demale.shop", false),
        ("É", "é", false),
    ];
    check_table(KqlOperator::EqualsCi, TermChars::Unicode, rows);
    check_table(KqlOperator::InCi, TermChars::Unicode, rows);
    let negated: Vec<Row> = rows.iter().map(|&(h, v, e)| (h, v, !e)).collect();
    check_table(KqlOperator::NotEqualsCi, TermChars::Unicode, &negated);
    check_table(KqlOperator::NotInCi, TermChars::Unicode, &negated);
}

#[test]
fn failed_edge_keeps_later_match() {
    // The first occurrence fails its left edge and overlaps the valid one.
    let rows: &[Row] = &[
        ("ax.x.x", "x.x", true),
        ("aa.a", "a.a", false),
        ("xa.a.a", "a.a", true),
        ("bbb b", "b", true),
        ("aaaa", "aa", false),
    ];
    check_table(KqlOperator::Has, TermChars::Unicode, rows);
    check_table(KqlOperator::HasCs, TermChars::Unicode, rows);
}

#[test]
fn blank_value_never_matches_single() {
    for value in ["", " ", "\t", "\u{3000}"] {
        for haystack in ["", " ", "a b", "\u{3000}"] {
            assert!(!kql::has(haystack, value), "has {haystack:?} {value:?}");
            assert!(
                !kql::has_cs(haystack, value),
                "has_cs {haystack:?} {value:?}"
            );
            assert!(
                !kql::hasprefix(haystack, value),
                "hasprefix {haystack:?} {value:?}"
            );
            assert!(
                !kql::hasprefix_cs(haystack, value),
                "hasprefix_cs {haystack:?} {value:?}"
            );
            assert!(
                !kql::hassuffix(haystack, value),
                "hassuffix {haystack:?} {value:?}"
            );
            assert!(
                !kql::hassuffix_cs(haystack, value),
                "hassuffix_cs {haystack:?} {value:?}"
            );
            assert!(
                !kql::equals_ci(haystack, value),
                "equals_ci {haystack:?} {value:?}"
            );
        }
    }
}

#[test]
fn free_functions_use_unicode_terms() {
    assert!(!kql::has("caféevil.com", "evil.com"));
    assert!(TermChars::Ascii.has("caféevil.com", "evil.com"));
    assert!(!kql::hasprefix("évil", "vil"));
    assert!(!kql::hassuffix("vilé", "vil"));
}

#[test]
fn term_chars_serde_names() {
    assert_eq!(
        serde_json::to_string(&TermChars::Unicode).unwrap(),
        "\"unicode\""
    );
    assert_eq!(
        serde_json::to_string(&TermChars::Ascii).unwrap(),
        "\"ascii\""
    );
    let parsed: TermChars = serde_json::from_str("\"ascii\"").unwrap();
    assert_eq!(parsed, TermChars::Ascii);
    assert_eq!(TermChars::default(), TermChars::Unicode);
}
