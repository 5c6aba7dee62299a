//! Every feed error message, pinned: format, location, value, expectation and advice.

use iocmatch::Location;
use iocmatch::feed::{
    self, FeedError, FeedErrorKind, Format, MAX_ERROR_VALUE_CHARS, Mode, RulePage, Warninglist,
};

fn plain_error(text: &str) -> FeedError {
    feed::plain_list(text, Mode::Strict).unwrap_err()
}

fn hostfile_error(text: &str) -> FeedError {
    feed::threatfox_hostfile(text, Mode::Strict).unwrap_err()
}

fn json_error(text: &str) -> FeedError {
    feed::threatfox_json(text, Mode::Strict).unwrap_err()
}

fn parse_list(json: &str) -> Warninglist {
    Warninglist::parse(json).unwrap()
}

fn list_error(json: &str) -> FeedError {
    Warninglist::parse(json).unwrap_err()
}

fn page_error(text: &str) -> FeedError {
    RulePage::parse(text, Mode::Strict).unwrap_err()
}

/// A complete minimal query, for rule pages whose error lies elsewhere.
const QUERY: &str = "let d = dynamic([\"a.example\"]);\nDnsEvents\n| where Name has_any (d)\n";

#[test]
fn json_malformed() {
    let error = json_error("{\n  \"1\": [\n");
    assert!(
        matches!(error.kind(), FeedErrorKind::Json { .. }),
        "{:?}",
        error.kind()
    );
    assert_eq!(
        error.to_string(),
        r#"threatfox json line 3: malformed JSON at column 0: EOF while parsing a list; fix the file or download it again"#,
    );
}

#[test]
fn json_top_level_array() {
    let error = json_error("[1, 2]");
    assert!(
        matches!(error.kind(), FeedErrorKind::UnexpectedJson { .. }),
        "{:?}",
        error.kind()
    );
    assert_eq!(
        error.to_string(),
        r#"threatfox json: the JSON is an array, expected an object keyed by IOC id; check that the file is in this format"#,
    );
}

#[test]
fn json_missing_value() {
    let error = json_error(r#"{"7": [{"ioc_type": "domain"}]}"#);
    assert!(
        matches!(
            error.kind(),
            FeedErrorKind::MissingField { field: "ioc_value" }
        ),
        "{:?}",
        error.kind()
    );
    assert_eq!(
        error.to_string(),
        r#"threatfox json record 7: missing "ioc_value", which is required; add it"#,
    );
}

#[test]
fn json_confidence_out_of_range() {
    let error = json_error(
        r#"{"7": [{"ioc_value": "a.example", "ioc_type": "domain", "confidence_level": 150}]}"#,
    );
    assert!(
        matches!(
            error.kind(),
            FeedErrorKind::InvalidField {
                field: "confidence_level",
                ..
            }
        ),
        "{:?}",
        error.kind()
    );
    assert_eq!(
        error.to_string(),
        r#"threatfox json record 7: "confidence_level" is "150", expected an integer from 0 to 100 or null; correct the value"#,
    );
}

#[test]
fn json_invalid_domain() {
    let error = json_error(r#"{"7": [{"ioc_value": "evil..com", "ioc_type": "domain"}]}"#);
    assert!(
        matches!(error.kind(), FeedErrorKind::InvalidDomain(_)),
        "{:?}",
        error.kind()
    );
    assert_eq!(
        error.to_string(),
        r#"threatfox json record 7: invalid domain "evil..com": empty label; remove the leading, doubled or second trailing dot"#,
    );
}

#[test]
fn json_invalid_ip_port() {
    let error = json_error(r#"{"7": [{"ioc_value": "1.2.3:80", "ioc_type": "ip:port"}]}"#);
    assert!(
        matches!(error.kind(), FeedErrorKind::InvalidIp),
        "{:?}",
        error.kind()
    );
    assert_eq!(
        error.to_string(),
        r#"threatfox json record 7: "1.2.3:80" is not an IP address, ip:port or CIDR range; correct the value or remove the row"#,
    );
}

#[test]
fn json_invalid_hash() {
    let error = json_error(r#"{"7": [{"ioc_value": "abc", "ioc_type": "md5_hash"}]}"#);
    assert!(
        matches!(error.kind(), FeedErrorKind::InvalidHash { .. }),
        "{:?}",
        error.kind()
    );
    assert_eq!(
        error.to_string(),
        r#"threatfox json record 7: "abc" is not a hash of 32 hexadecimal digits; correct the value or remove the row"#,
    );
}

#[test]
fn json_record_not_array() {
    let error = json_error(r#"{"7": {"ioc_value": "a.example"}}"#);
    assert!(
        matches!(
            error.kind(),
            FeedErrorKind::InvalidField {
                field: "record",
                ..
            }
        ),
        "{:?}",
        error.kind()
    );
    assert_eq!(
        error.to_string(),
        r#"threatfox json record 7: "record" is "{\"ioc_value\":\"a.example\"}", expected an array of IOC objects; correct the value"#,
    );
}

#[test]
fn plain_not_an_indicator() {
    let error = plain_error("a.example\nnot an indicator\n");
    assert!(
        matches!(error.kind(), FeedErrorKind::NotAnIndicator),
        "{:?}",
        error.kind()
    );
    assert_eq!(
        error.to_string(),
        r#"plain list line 2: "not an indicator" is not one value, a hosts line or an adblock '||host^' rule; remove the line or comment it out with '#'"#,
    );
}

#[test]
fn plain_unsupported_adblock_rule() {
    let error = plain_error("|http://ads.example/banner\n");
    assert!(
        matches!(error.kind(), FeedErrorKind::UnsupportedAdblockRule),
        "{:?}",
        error.kind()
    );
    assert_eq!(
        error.to_string(),
        r#"plain list line 1: adblock rule "|http://ads.example/banner" is not of the form '||host^' with optional '$options'; only host rules can be imported, so remove or comment out the line"#,
    );
}

#[test]
fn hostfile_count_mismatch() {
    let error = hostfile_error("127.0.0.1\ta.example\n# Number of entries: 2\n");
    assert!(
        matches!(
            error.kind(),
            FeedErrorKind::CountMismatch {
                stated: 2,
                found: 1,
                ..
            }
        ),
        "{:?}",
        error.kind()
    );
    assert_eq!(
        error.to_string(),
        r##"threatfox hostfile line 2: "# Number of entries: 2" states 2 entries but the input contains 1; it may be truncated or edited, so get a complete copy"##,
    );
}

#[test]
fn hostfile_unexpected_line() {
    let error = hostfile_error("a.example\n");
    assert!(
        matches!(error.kind(), FeedErrorKind::UnexpectedLine { .. }),
        "{:?}",
        error.kind()
    );
    assert_eq!(
        error.to_string(),
        r#"threatfox hostfile line 1: unexpected line "a.example", expected '127.0.0.1<TAB>domain' or a '#' comment; remove or correct the line"#,
    );
}

#[test]
fn warninglist_unknown_type() {
    let error = list_error(r#"{"name": "x", "type": "ip-src", "list": []}"#);
    assert!(
        matches!(error.kind(), FeedErrorKind::UnknownListType),
        "{:?}",
        error.kind()
    );
    assert_eq!(
        error.to_string(),
        r#"misp warninglist: unknown warninglist type "ip-src"; expected hostname, string, substring, cidr or regex"#,
    );
}

#[test]
fn warninglist_cidr_matching() {
    let error = parse_list(r#"{"name": "x", "type": "cidr", "list": ["10.0.0.0/8"]}"#)
        .matches("10.0.0.1")
        .unwrap_err();
    assert!(
        matches!(error.kind(), FeedErrorKind::UnsupportedListType { .. }),
        "{:?}",
        error.kind()
    );
    assert_eq!(
        error.to_string(),
        r#"misp warninglist: warninglist type "cidr" is not supported for matching; only hostname, string and substring lists are"#,
    );
}

#[test]
fn warninglist_string_to_records() {
    let error = parse_list(r#"{"name": "x", "type": "string", "list": ["a.example"]}"#)
        .to_import(Mode::Lenient)
        .unwrap_err();
    assert!(
        matches!(error.kind(), FeedErrorKind::UnsupportedListType { .. }),
        "{:?}",
        error.kind()
    );
    assert_eq!(
        error.to_string(),
        r#"misp warninglist: warninglist type "string" is not supported for conversion to records; only hostname lists are"#,
    );
}

#[test]
fn warninglist_missing_type() {
    let error = list_error(r#"{"name": "x", "list": []}"#);
    assert!(
        matches!(error.kind(), FeedErrorKind::MissingField { field: "type" }),
        "{:?}",
        error.kind()
    );
    assert_eq!(
        error.to_string(),
        r#"misp warninglist: missing "type", which is required; add it"#,
    );
}

#[test]
fn warninglist_value_not_string() {
    let error = list_error(r#"{"name": "x", "type": "string", "list": ["a", 5]}"#);
    assert!(
        matches!(
            error.kind(),
            FeedErrorKind::InvalidField { field: "list", .. }
        ),
        "{:?}",
        error.kind()
    );
    assert_eq!(
        error.to_string(),
        r#"misp warninglist index 1: "list" is "5", expected an array of strings; correct the value"#,
    );
}

#[test]
fn warninglist_empty_substring() {
    let error = list_error(r#"{"name": "x", "type": "substring", "list": ["a", ""]}"#);
    assert!(
        matches!(
            error.kind(),
            FeedErrorKind::InvalidField { field: "list", .. }
        ),
        "{:?}",
        error.kind()
    );
    assert_eq!(
        error.to_string(),
        r#"misp warninglist index 1: "list" is "", expected a non-empty substring, because an empty one matches every value; correct the value"#,
    );
}

#[test]
fn page_unknown_line() {
    let error = page_error(&format!(
        "{QUERY}Scenario: s\nFilter/Exclusion: user:x\nsomething else\n"
    ));
    assert!(
        matches!(error.kind(), FeedErrorKind::UnexpectedLine { .. }),
        "{:?}",
        error.kind()
    );
    assert_eq!(
        error.to_string(),
        r#"rule page line 6: unexpected line "something else", expected 'Scenario:', 'Description:' or 'Filter/Exclusion:'; remove or correct the line"#,
    );
}

#[test]
fn page_unclosed_let() {
    let error = page_error("let d = dynamic([\"a.example\",\n\"b.example\"\n");
    assert!(
        matches!(error.kind(), FeedErrorKind::UnclosedLet),
        "{:?}",
        error.kind()
    );
    assert_eq!(
        error.to_string(),
        r#"rule page line 1: the let statement "let d = dynamic([\"a.example\"," is not closed; expected a list of string literals ending in ']);'"#,
    );
}

#[test]
fn page_cell_count() {
    let error = page_error(&format!(
        "| Type | Value |\n|---|---|\n| domain | a.example | extra |\n{QUERY}"
    ));
    assert!(
        matches!(
            error.kind(),
            FeedErrorKind::CellCount {
                expected: 2,
                found: 3
            }
        ),
        "{:?}",
        error.kind()
    );
    assert_eq!(
        error.to_string(),
        r#"rule page line 3: the table row "| domain | a.example | extra |" has 3 cells, expected 2 like the header; escape '|' inside a cell as '\|'"#,
    );
}

#[test]
fn page_scenario_without_filter() {
    let error = page_error(&format!(
        "{QUERY}Scenario: s\nDescription: d\nScenario: t\n"
    ));
    assert!(
        matches!(error.kind(), FeedErrorKind::MissingFilter),
        "{:?}",
        error.kind()
    );
    assert_eq!(
        error.to_string(),
        r#"rule page line 4: scenario "s" has no 'Filter/Exclusion:' line; add one after its 'Description:' or remove the scenario"#,
    );
}

#[test]
fn page_without_table_name() {
    let error = page_error("let d = dynamic([\"a.example\"]);\n");
    assert!(
        matches!(error.kind(), FeedErrorKind::MissingSection { .. }),
        "{:?}",
        error.kind()
    );
    assert_eq!(
        error.to_string(),
        r#"rule page: the page has no KQL query table name; add it"#,
    );
}

#[test]
fn page_second_where_clause() {
    let error = page_error(&format!("{QUERY}| where Name has_any (d)\n"));
    assert!(
        matches!(
            error.kind(),
            FeedErrorKind::Duplicate {
                what: "where clause"
            }
        ),
        "{:?}",
        error.kind()
    );
    assert_eq!(
        error.to_string(),
        r#"rule page line 4: "| where Name has_any (d)" repeats a where clause; give each only once"#,
    );
}

#[test]
fn page_unknown_list() {
    let error =
        page_error("let d = dynamic([\"a.example\"]);\nDnsEvents\n| where Name has_any (e)\n");
    assert!(
        matches!(error.kind(), FeedErrorKind::UnknownList),
        "{:?}",
        error.kind()
    );
    assert_eq!(
        error.to_string(),
        r#"rule page line 3: the where clause names the list "e", which no 'let' defines; define it with 'let e = dynamic([...]);' before the query"#,
    );
}

#[test]
fn page_total_disagrees() {
    let error = page_error(&format!(
        "IOC Summary\nMalware Family: Remus Total IOCs: 2 IOC Types: domain\n| Type | Value |\n|---|---|\n| domain | a.example |\n{QUERY}"
    ));
    assert!(
        matches!(
            error.kind(),
            FeedErrorKind::CountMismatch {
                stated: 2,
                found: 1,
                ..
            }
        ),
        "{:?}",
        error.kind()
    );
    assert_eq!(
        error.to_string(),
        r#"rule page line 2: "Malware Family: Remus Total IOCs: 2 IOC Types: domain" states 2 IOCs but the input contains 1; it may be truncated or edited, so get a complete copy"#,
    );
}

#[test]
fn page_unknown_escape() {
    let error = page_error("let d = dynamic([\"a\\qb\"]);\nDnsEvents\n| where Name has_any (d)\n");
    assert!(
        matches!(error.kind(), FeedErrorKind::UnexpectedLine { .. }),
        "{:?}",
        error.kind()
    );
    assert_eq!(
        error.to_string(),
        r#"rule page line 1: unexpected line "let d = dynamic([\"a\\qb\"]);", expected a known escape (\\, \", \', \n, \r, \t or \uXXXX); remove or correct the line"#,
    );
}

#[test]
fn page_unsupported_stage() {
    let error = page_error(
        "let d = dynamic([\"a.example\"]);\nDnsEvents\n| where Name has_any (d)\n| summarize count() by Name\n",
    );
    assert!(
        matches!(error.kind(), FeedErrorKind::UnexpectedLine { .. }),
        "{:?}",
        error.kind()
    );
    assert_eq!(
        error.to_string(),
        r#"rule page line 4: unexpected line "| summarize count() by Name", expected a 'where', 'project', 'extend', 'order by', 'sort by', 'take' or 'limit' stage after '|'; remove or correct the line"#,
    );
}

#[test]
fn page_other_where_shape() {
    let error = page_error(
        "let d = dynamic([\"a.example\"]);\nDnsEvents\n| where Name has_any (d) and QueryType == 1\n",
    );
    assert!(
        matches!(error.kind(), FeedErrorKind::UnexpectedLine { .. }),
        "{:?}",
        error.kind()
    );
    assert_eq!(
        error.to_string(),
        r#"rule page line 3: unexpected line "| where Name has_any (d) and QueryType == 1", expected 'where FIELD OPERATOR (LIST)' naming one 'let' list, because other where clauses would change what the rule matches; remove or correct the line"#,
    );
}

#[test]
fn page_bad_confidence() {
    let error = page_error(&format!(
        "| Type | Value | Confidence |\n|---|---|---|\n| domain | a.example | high |\n{QUERY}"
    ));
    assert!(
        matches!(
            error.kind(),
            FeedErrorKind::InvalidField {
                field: "Confidence",
                ..
            }
        ),
        "{:?}",
        error.kind()
    );
    assert_eq!(
        error.to_string(),
        r#"rule page line 3: "Confidence" is "high", expected a percentage from 0% to 100%; correct the value"#,
    );
}

#[test]
fn error_accessors_name_format_location_value() {
    let error = plain_error("a.example\nnot an indicator\n");
    assert_eq!(error.format(), Format::PlainList);
    assert_eq!(error.location(), Some(&Location::Line(2)));
    assert_eq!(error.value(), "not an indicator");
}

#[test]
fn long_value_is_cut_in_message() {
    let long = format!("{} {}", "a".repeat(100), "b".repeat(100));
    let import = feed::plain_list(&long, Mode::Lenient).unwrap();
    let rejected = &import.rejected[0];
    assert_eq!(
        rejected.value, long,
        "the rejected row keeps the whole value"
    );
    let shown = rejected.error.value();
    assert_eq!(
        shown.chars().take_while(|&c| c == 'a').count(),
        MAX_ERROR_VALUE_CHARS
    );
    assert!(shown.ends_with("... (201 bytes in all)"), "{shown}");
    assert!(rejected.error.to_string().len() < long.len() + 100);
}

#[test]
fn value_at_limit_is_not_cut() {
    let value = "x".repeat(MAX_ERROR_VALUE_CHARS - 2) + " y";
    let error = plain_error(&value);
    assert_eq!(error.value(), value);
}
