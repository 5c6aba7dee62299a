//! Parse errors: every message pinned with its caret rendering, and every limit crossed.

use iocmatch::filter::{
    Filter, FilterError, FilterErrorKind, FilterOptions, MAX_DEPTH, MAX_FILTER_LEN, MAX_REGEX_SIZE,
};

/// (filter, kind, full `Display` output) for one error of each kind and the common variants.
const PINNED: &[(&str, FilterErrorKind, &str)] = &[
    (
        "",
        FilterErrorKind::Empty,
        "empty filter at bytes 0..0 (line 1, column 1): found an empty filter, expected at least one clause such as `field:value`\n  \n  ^",
    ),
    (
        "   ",
        FilterErrorKind::Empty,
        "empty filter at bytes 0..3 (line 1, column 1): found only whitespace, expected at least one clause such as `field:value`\n     \n  ^^^",
    ),
    (
        "user:root bob",
        FilterErrorKind::MissingField,
        "value without a field at bytes 10..13 (line 1, column 11): found `bob`, expected `field:value` because there is no default field\n  user:root bob\n            ^^^",
    ),
    (
        "user:root host:x",
        FilterErrorKind::MissingOperator,
        "missing operator at bytes 10..15 (line 1, column 11): found `host:`, expected `AND`, `OR` or the end; there is no implicit operator between clauses or values\n  user:root host:x\n            ^^^^^",
    ),
    (
        "user:",
        FilterErrorKind::MissingValue,
        "missing value at bytes 5..5 (line 1, column 6): found end of filter, expected a value after `user:`\n  user:\n       ^",
    ),
    (
        "user:AND",
        FilterErrorKind::MissingValue,
        "missing value at bytes 5..8 (line 1, column 6): found `AND`, expected a value after `user:`; quote keywords and a leading `!` to match them as text\n  user:AND\n       ^^^",
    ),
    (
        "user:!x",
        FilterErrorKind::MissingValue,
        "missing value at bytes 5..6 (line 1, column 6): found `!`, expected a value after `user:`; quote keywords and a leading `!` to match them as text\n  user:!x\n       ^",
    ),
    (
        "(a:1",
        FilterErrorKind::UnclosedGroup,
        "unclosed group at bytes 4..4 (line 1, column 5): found end of filter, expected `)` to close the group; opened at bytes 0..1 (line 1, column 1)\n  (a:1\n  -   ^",
    ),
    (
        "a:1)",
        FilterErrorKind::UnmatchedParen,
        "unmatched closing parenthesis at bytes 3..4 (line 1, column 4): found `)`, expected `AND`, `OR` or the end, because no `(` is open\n  a:1)\n     ^",
    ),
    (
        "a:1 AND",
        FilterErrorKind::UnexpectedEnd,
        "unexpected end of filter at bytes 7..7 (line 1, column 8): found end of filter, expected a clause or `(`\n  a:1 AND\n         ^",
    ),
    (
        "a:1 AND )",
        FilterErrorKind::UnexpectedToken,
        "unexpected token at bytes 8..9 (line 1, column 9): found `)`, expected a clause or `(`\n  a:1 AND )\n          ^",
    ),
    (
        "f:\"abc",
        FilterErrorKind::UnclosedQuote,
        "unclosed quoted value at bytes 6..6 (line 1, column 7): found end of filter, expected a closing `\"`; opened at bytes 2..3 (line 1, column 3)\n  f:\"abc\n    -   ^",
    ),
    (
        "f:/abc",
        FilterErrorKind::UnclosedRegex,
        "unclosed regex at bytes 6..6 (line 1, column 7): found end of filter, expected a closing `/`; opened at bytes 2..3 (line 1, column 3)\n  f:/abc\n    -   ^",
    ),
    (
        "f:[1 TO",
        FilterErrorKind::UnclosedRange,
        "unclosed range at bytes 7..7 (line 1, column 8): found end of filter, expected a range of the form `[lower TO upper]`; opened at bytes 2..3 (line 1, column 3)\n  f:[1 TO\n    -    ^",
    ),
    (
        "f:[1 TO 5",
        FilterErrorKind::UnclosedRange,
        "unclosed range at bytes 9..9 (line 1, column 10): found end of filter, expected `]` or `}` to close the range; opened at bytes 2..3 (line 1, column 3)\n  f:[1 TO 5\n    -      ^",
    ),
    (
        "f:[1 x 5]",
        FilterErrorKind::InvalidRange,
        "invalid range at bytes 5..6 (line 1, column 6): found `x`, expected `TO` between the range bounds, as in `[1 TO 5]`\n  f:[1 x 5]\n       ^",
    ),
    (
        "f:[a TO 5]",
        FilterErrorKind::InvalidRange,
        "invalid range at bytes 3..4 (line 1, column 4): found `a`, expected a finite number such as `10` or `-2.5`; ranges compare numbers only\n  f:[a TO 5]\n     ^",
    ),
    (
        "f:[5 TO 1]",
        FilterErrorKind::InvalidRange,
        "invalid range at bytes 2..10 (line 1, column 3): found `[5 TO 1]`, expected a lower bound that is not greater than the upper bound\n  f:[5 TO 1]\n    ^^^^^^^^",
    ),
    (
        "f:>=",
        FilterErrorKind::InvalidRange,
        "invalid range at bytes 2..4 (line 1, column 3): found `>=`, expected a number right after `>=`, as in `>=10`; quote the value to match `>=` literally\n  f:>=\n    ^^",
    ),
    (
        "f:<script>",
        FilterErrorKind::InvalidRange,
        "invalid range at bytes 3..10 (line 1, column 4): found `script>`, expected a finite number after `<`; quote the value to match `<script>` as text\n  f:<script>\n     ^^^^^^^",
    ),
    (
        "f:10.0.0.0/33",
        FilterErrorKind::InvalidCidr,
        "invalid CIDR network at bytes 11..13 (line 1, column 12): found `33`, expected a prefix length from 0 to 32 for an IPv4 address; quote the value to match it as text\n  f:10.0.0.0/33\n             ^^",
    ),
    (
        "f:abc\\",
        FilterErrorKind::TrailingEscape,
        "trailing escape at bytes 5..6 (line 1, column 6): found `\\` at the end of the filter, expected a character after `\\`; write `\\\\` for a literal backslash\n  f:abc\\\n       ^",
    ),
    (
        "f:ab\"c",
        FilterErrorKind::UnescapedQuote,
        "unescaped quote in value at bytes 4..5 (line 1, column 5): found `\"` inside an unquoted value, expected `\\\"` for a literal quote, or quotes around the whole value\n  f:ab\"c\n      ^",
    ),
    (
        "-user:root",
        FilterErrorKind::InvalidFieldName,
        "invalid field name at bytes 0..5 (line 1, column 1): found `-user`, expected a field name; the Lucene prefixes `-` and `+` are not supported, so write `NOT field:value` instead of `-field:value`\n  -user:root\n  ^^^^^",
    ),
    (
        "proc*:x",
        FilterErrorKind::InvalidFieldName,
        "invalid field name at bytes 0..5 (line 1, column 1): found `proc*`, expected a field name without wildcards\n  proc*:x\n  ^^^^^",
    ),
    (
        "us$er:x",
        FilterErrorKind::InvalidFieldName,
        "invalid field name at bytes 0..5 (line 1, column 1): found `us$er`, expected a field name of letters, digits, `_`, `.`, `-` and `@`, starting with a letter, digit, `_` or `@`\n  us$er:x\n  ^^^^^",
    ),
    (
        ":x",
        FilterErrorKind::InvalidFieldName,
        "invalid field name at bytes 0..1 (line 1, column 1): found `:` with no field name before it, expected a field name before `:`, as in `user:root`\n  :x\n  ^",
    ),
    (
        "_exists_:",
        FilterErrorKind::MissingValue,
        "missing value at bytes 0..9 (line 1, column 1): found end of filter, expected a field name after `_exists_:`, as in `_exists_:process.user`\n  _exists_:\n  ^^^^^^^^^",
    ),
    (
        "_exists_:\"x\"",
        FilterErrorKind::InvalidFieldName,
        "invalid field name at bytes 9..12 (line 1, column 10): found `\"x\"`, expected a field name after `_exists_:`, as in `_exists_:process.user`\n  _exists_:\"x\"\n           ^^^",
    ),
    (
        "f:/a(/",
        FilterErrorKind::InvalidRegex,
        "invalid regex at bytes 2..6 (line 1, column 3): found `/a(/`, expected a valid regex in Rust `regex` syntax, but it has an error: unclosed group\n  f:/a(/\n    ^^^^",
    ),
    (
        "f:/a{1000}{1000}/",
        FilterErrorKind::RegexTooLarge,
        "regex too large at bytes 2..17 (line 1, column 3): found `/a{1000}{1000}/`, expected a regex that compiles to at most 1048576 bytes; use fewer or smaller repetitions, or a wildcard pattern\n  f:/a{1000}{1000}/\n    ^^^^^^^^^^^^^^^",
    ),
    (
        "f:\"a\"b",
        FilterErrorKind::UnexpectedToken,
        "unexpected token at bytes 5..6 (line 1, column 6): found `b`, expected whitespace, `(`, `)` or the end of the filter after a quoted value, regex or range\n  f:\"a\"b\n       ^",
    ),
    (
        "a:1 NOT b:1",
        FilterErrorKind::MissingOperator,
        "missing operator at bytes 4..7 (line 1, column 5): found `NOT`, expected `AND`, `OR` or the end; `NOT` negates but does not join, so write `AND NOT` or `OR NOT`\n  a:1 NOT b:1\n      ^^^",
    ),
    (
        "a:1 (b:1)",
        FilterErrorKind::MissingOperator,
        "missing operator at bytes 4..5 (line 1, column 5): found `(`, expected `AND`, `OR` or the end; there is no implicit operator, and parentheses inside a value must be escaped as `\\(` and `\\)`\n  a:1 (b:1)\n      ^",
    ),
    (
        "f:(a b)",
        FilterErrorKind::MissingOperator,
        "missing operator at bytes 5..6 (line 1, column 6): found `b`, expected `AND`, `OR` or `)`; there is no implicit operator between clauses or values; opened at bytes 2..3 (line 1, column 3)\n  f:(a b)\n    -  ^",
    ),
    (
        "a:1\nAND (b:1 OR\n c:2",
        FilterErrorKind::UnclosedGroup,
        "unclosed group at bytes 20..20 (line 3, column 5): found end of filter, expected `)` to close the group; opened at bytes 8..9 (line 2, column 5)\n  AND (b:1 OR\n      -\n   c:2\n      ^",
    ),
    (
        "user:röot bob",
        FilterErrorKind::MissingField,
        "value without a field at bytes 11..14 (line 1, column 11): found `bob`, expected `field:value` because there is no default field\n  user:röot bob\n            ^^^",
    ),
];

#[test]
fn error_messages_pinned() {
    for &(filter, kind, message) in PINNED {
        let error = Filter::parse(filter).unwrap_err();
        assert_eq!(error.kind(), kind, "{filter:?}");
        assert_eq!(error.to_string(), message, "{filter:?}");
    }
}

#[test]
fn error_messages_are_lowercase() {
    for &(filter, _, _) in PINNED {
        let message = Filter::parse(filter).unwrap_err().to_string();
        let first = message.chars().next().unwrap();
        assert!(first.is_lowercase(), "{message}");
    }
}

#[test]
fn mixed_precedence_message_pinned() {
    let strict = FilterOptions::new().strict_precedence(true);
    let error = Filter::parse_with("a:1 OR b:1 AND c:1", strict).unwrap_err();
    assert_eq!(error.kind(), FilterErrorKind::MixedPrecedence);
    assert_eq!(
        error.to_string(),
        "mixed AND and OR without parentheses at bytes 11..14 (line 1, column 12): \
         found `AND` after `OR` at byte 4, expected parentheses around the `AND` clauses, \
         because strict precedence does not assume that `AND` binds tighter than `OR`\n  \
         a:1 OR b:1 AND c:1\n             ^^^"
    );
    let error = Filter::parse_with("a:1 AND b:1 OR c:1", strict).unwrap_err();
    assert_eq!(error.span().range(), 12..14);
    assert_eq!(error.found(), "`OR` after `AND` at byte 4");
}

#[test]
fn error_accessors_describe_problem() {
    let error = Filter::parse("user:(root OR\nbob").unwrap_err();
    assert_eq!(error.kind(), FilterErrorKind::UnclosedGroup);
    assert_eq!(error.text(), "user:(root OR\nbob");
    assert_eq!(error.span().range(), 17..17);
    assert_eq!(error.opener().map(|span| span.range()), Some(5..6));
    assert_eq!(error.found(), "end of filter");
    assert_eq!(error.expected(), "`)` to close the group");
    assert_eq!(error.line_column(), (2, 4));
}

#[test]
fn first_error_in_reading_order_wins() {
    // The missing field of `bob` comes before the unclosed quote.
    let error = Filter::parse("user:root bob \"open").unwrap_err();
    assert_eq!(error.kind(), FilterErrorKind::MissingField);
    // The unclosed quote comes before the missing operator would be noticed.
    let error = Filter::parse("user:\"open bob").unwrap_err();
    assert_eq!(error.kind(), FilterErrorKind::UnclosedQuote);
}

#[test]
fn long_line_rendered_in_window() {
    let filter = format!("cmd:{} bob", "x".repeat(200));
    let message = Filter::parse(&filter).unwrap_err().to_string();
    let lines: Vec<&str> = message.lines().collect();
    assert_eq!(lines.len(), 3);
    assert!(lines[1].starts_with("  …x"), "{}", lines[1]);
    assert!(lines[1].ends_with("x bob"), "{}", lines[1]);
    let caret = lines[2].find('^').unwrap();
    assert_eq!(lines[1].chars().nth(caret), Some('b'));
    assert!(lines[2].ends_with("^^^"));
}

#[test]
fn caret_counts_characters_not_bytes() {
    let error = Filter::parse("user:ä€😀 bob").unwrap_err();
    assert_eq!(error.span().range(), 15..18);
    assert_eq!(error.line_column(), (1, 10));
    let message = error.to_string();
    assert!(
        message.ends_with("\n  user:ä€😀 bob\n           ^^^"),
        "{message}"
    );
}

#[test]
fn tab_renders_as_space() {
    let message = Filter::parse("user:root\tbob").unwrap_err().to_string();
    assert!(
        message.ends_with("\n  user:root bob\n            ^^^"),
        "{message}"
    );
}

#[test]
fn filter_length_limit_crossed() {
    let clause = "f:x";
    let at_limit = format!("{clause}{}", " ".repeat(MAX_FILTER_LEN - clause.len()));
    assert_eq!(at_limit.len(), MAX_FILTER_LEN);
    assert!(Filter::parse(&at_limit).is_ok());

    let over = format!("{at_limit} ");
    let error = Filter::parse(&over).unwrap_err();
    assert_eq!(error.kind(), FilterErrorKind::TooLong);
    assert_eq!(error.span().range(), MAX_FILTER_LEN..MAX_FILTER_LEN + 1);
    assert_eq!(error.found(), format!("{} bytes", MAX_FILTER_LEN + 1));
    let headline = error.to_string().lines().next().unwrap().to_owned();
    assert_eq!(
        headline,
        format!(
            "filter too long at bytes {MAX_FILTER_LEN}..{} (line 1, column {}): found {} bytes, \
             expected at most {MAX_FILTER_LEN} bytes; split the filter into several scenarios",
            MAX_FILTER_LEN + 1,
            MAX_FILTER_LEN + 1,
            MAX_FILTER_LEN + 1,
        )
    );
}

#[test]
fn huge_filter_error_stays_small() {
    let huge = format!("f:{}", "é".repeat(5 * MAX_FILTER_LEN));
    let error = Filter::parse(&huge).unwrap_err();
    assert_eq!(error.kind(), FilterErrorKind::TooLong);
    assert!(error.text().len() <= MAX_FILTER_LEN + 64);
    assert!(huge.starts_with(error.text()));
    assert_eq!(error.span().start, MAX_FILTER_LEN);
    assert_eq!(error.found(), format!("{} bytes", huge.len()));
    assert!(error.to_string().len() < 1_000);
}

/// Nests a clause in `depth` levels of parentheses.
fn nested_parens(depth: usize) -> String {
    format!("{}a:1{}", "(".repeat(depth), ")".repeat(depth))
}

#[test]
fn nesting_limit_crossed_by_parentheses() {
    assert!(Filter::parse(&nested_parens(MAX_DEPTH)).is_ok());
    let error = Filter::parse(&nested_parens(MAX_DEPTH + 1)).unwrap_err();
    assert_eq!(error.kind(), FilterErrorKind::TooDeep);
    assert_eq!(error.span().range(), MAX_DEPTH..MAX_DEPTH + 1);
    assert_eq!(error.found(), format!("nesting level {}", MAX_DEPTH + 1));
    assert_eq!(
        error.expected(),
        format!("at most {MAX_DEPTH} levels of parentheses and `NOT`")
    );
}

#[test]
fn nesting_limit_crossed_by_not() {
    let nots = |count: usize| format!("{}a:1", "NOT ".repeat(count));
    assert!(Filter::parse(&nots(MAX_DEPTH)).is_ok());
    assert_eq!(
        Filter::parse(&nots(MAX_DEPTH + 1)).unwrap_err().kind(),
        FilterErrorKind::TooDeep
    );
    let bangs = |count: usize| format!("{}a:1", "!".repeat(count));
    assert!(Filter::parse(&bangs(MAX_DEPTH)).is_ok());
    assert_eq!(
        Filter::parse(&bangs(MAX_DEPTH + 1)).unwrap_err().kind(),
        FilterErrorKind::TooDeep
    );
}

#[test]
fn nesting_limit_counts_field_groups() {
    let groups = |depth: usize| format!("f:{}a{}", "(".repeat(depth), ")".repeat(depth));
    assert!(Filter::parse(&groups(MAX_DEPTH)).is_ok());
    assert_eq!(
        Filter::parse(&groups(MAX_DEPTH + 1)).unwrap_err().kind(),
        FilterErrorKind::TooDeep
    );
}

#[test]
fn ten_thousand_parens_is_error() {
    for text in [
        "(".repeat(10_000),
        "!".repeat(10_000),
        "f:".to_owned() + &"(".repeat(10_000),
    ] {
        let error = Filter::parse(&text).unwrap_err();
        assert_eq!(error.kind(), FilterErrorKind::TooDeep);
    }
    let closing = ")".repeat(10_000);
    assert_eq!(
        Filter::parse(&closing).unwrap_err().kind(),
        FilterErrorKind::UnexpectedToken
    );
}

#[test]
fn long_flat_filter_within_limits() {
    // Many clauses at one level make a wide tree, not a deep one.
    let clauses: Vec<String> = (0..5_000).map(|i| format!("f:{i}")).collect();
    let text = clauses.join(" OR ");
    assert!(text.len() <= MAX_FILTER_LEN);
    let filter = Filter::parse(&text).unwrap();
    assert!(filter.is_match(&serde_json::json!({"f": "4999"})));
    assert!(!filter.is_match(&serde_json::json!({"f": "5000"})));
}

#[test]
fn regex_size_limit_crossed() {
    // `a{n}` compiles to roughly n states; the size in bytes is what the limit counts.
    assert!(Filter::parse("f:/a{100}/").is_ok());
    let error = Filter::parse("f:/a{1000}{1000}/").unwrap_err();
    assert_eq!(error.kind(), FilterErrorKind::RegexTooLarge);
    assert!(error.expected().contains(&MAX_REGEX_SIZE.to_string()));
    // Case folding makes a regex larger, so the limit depends on the option.
    let big_class = "f:/[a-z]{2000}/";
    let sensitive = FilterOptions::new().case_sensitive(true);
    assert!(Filter::parse_with(big_class, sensitive).is_ok());
}

#[test]
fn public_types_are_thread_safe() {
    fn assert_traits<T: Send + Sync + std::panic::UnwindSafe + std::panic::RefUnwindSafe>() {}
    assert_traits::<Filter>();
    assert_traits::<FilterError>();
    assert_traits::<FilterOptions>();
    assert_traits::<iocmatch::event::FieldAliases>();
    assert_traits::<iocmatch::filter::ast::Expr>();
}

#[test]
fn error_is_std_error() {
    fn takes_error(_: &dyn std::error::Error) {}
    let error: FilterError = Filter::parse("").unwrap_err();
    takes_error(&error);
}
