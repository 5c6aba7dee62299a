//! Properties over generated filters and events: the canonical text parses back to the same
//! tree, the compiled filter agrees with the naive evaluator, and no input makes parsing panic.

mod common;

use common::naive_filter::{naive_glob, naive_is_match_json};
use iocmatch::filter::ast::{Bound, Cidr, Clause, Expr, Pattern, Piece, Range, Value};
use iocmatch::filter::{Filter, FilterOptions};
use proptest::prelude::*;
use serde_json::Value as Json;

/// Literal text for round trips: every character that needs quoting or escaping, and words that
/// read as keywords or CIDR networks without quotes.
fn tricky_literal() -> impl Strategy<Value = String> + Clone {
    prop_oneof![
        "[aB \\*\\?\\\\\"()/:!\\[\\]{}<>=é&|\t\n-]{0,5}",
        prop::sample::select(vec![
            "AND",
            "or",
            "Not",
            "&&",
            "||",
            "TO",
            "10.0.0.0/8",
            "::1/128",
            "1.2.3.4/99",
            "_exists_",
            ">=5",
            "<",
            "-x",
            "+x",
            "*",
            "?",
        ])
        .prop_map(str::to_owned),
    ]
}

/// Literal text for evaluation: a small alphabet so patterns and values often meet.
fn small_literal() -> impl Strategy<Value = String> + Clone {
    "[aAbé.]{0,3}"
}

fn pattern(literal: impl Strategy<Value = String> + 'static) -> impl Strategy<Value = Value> {
    let piece = prop_oneof![
        3 => literal.prop_map(Piece::Literal),
        1 => Just(Piece::AnyRun),
        1 => Just(Piece::AnyChar),
    ];
    prop::collection::vec(piece, 0..5).prop_map(|pieces| {
        let pattern = Pattern::new(pieces);
        if pattern.pieces == [Piece::AnyRun] {
            Value::Exists
        } else {
            Value::Pattern(pattern)
        }
    })
}

fn regex() -> impl Strategy<Value = Value> {
    prop::sample::select(vec![
        "a+", "[ab]*é?", "(a|ab)b", "", ".*", "A.", "\\/", "a\\.b", "[^a]",
    ])
    .prop_map(|source| Value::Regex(source.to_owned()))
}

fn range() -> impl Strategy<Value = Value> {
    let number = (-8i32..8).prop_map(|n| f64::from(n) / 2.0);
    let bound = prop_oneof![
        1 => Just(None),
        3 => (number, any::<bool>()).prop_map(Some),
    ];
    (bound.clone(), bound).prop_map(|(a, b)| {
        // Order the bounds so the range is valid.
        let (lower, upper) = match (a, b) {
            (Some(a), Some(b)) if a.0 > b.0 => (Some(b), Some(a)),
            other => other,
        };
        let make = |bound: Option<(f64, bool)>| match bound {
            None => Bound::Unbounded,
            Some((value, true)) => Bound::Included(value),
            Some((value, false)) => Bound::Excluded(value),
        };
        Value::Range(Range {
            lower: make(lower),
            upper: make(upper),
        })
    })
}

fn cidr() -> impl Strategy<Value = Value> {
    prop_oneof![
        (any::<[u8; 4]>(), 0u8..=32).prop_map(|(octets, prefix_len)| Cidr {
            addr: std::net::IpAddr::from(octets),
            prefix_len,
        }),
        (any::<[u8; 16]>(), 0u8..=128).prop_map(|(octets, prefix_len)| Cidr {
            addr: std::net::IpAddr::from(octets),
            prefix_len,
        }),
        (0u8..4, 0u8..=32).prop_map(|(last, prefix_len)| Cidr {
            addr: std::net::IpAddr::from([10, 0, 0, last]),
            prefix_len,
        }),
    ]
    .prop_map(Value::Cidr)
}

fn field() -> impl Strategy<Value = String> {
    prop::sample::select(vec![
        "a",
        "b",
        "c.d",
        "@timestamp",
        "user-name",
        "x_1",
        "ünï",
    ])
    .prop_map(str::to_owned)
}

fn expr(value: BoxedStrategy<Value>) -> impl Strategy<Value = Expr> {
    let clause = (field(), value).prop_map(|(field, value)| Expr::Clause(Clause { field, value }));
    clause.prop_recursive(4, 24, 4, |inner| {
        prop_oneof![
            inner.clone().prop_map(|e| Expr::Not(Box::new(e))),
            prop::collection::vec(inner.clone(), 2..4).prop_map(Expr::And),
            prop::collection::vec(inner, 2..4).prop_map(Expr::Or),
        ]
    })
}

fn roundtrip_value() -> BoxedStrategy<Value> {
    prop_oneof![
        1 => Just(Value::Exists),
        4 => pattern(tricky_literal()),
        1 => regex(),
        1 => range(),
        1 => cidr(),
    ]
    .boxed()
}

fn eval_value() -> BoxedStrategy<Value> {
    prop_oneof![
        1 => Just(Value::Exists),
        6 => pattern(small_literal()),
        1 => regex(),
        1 => range(),
        1 => cidr(),
    ]
    .boxed()
}

/// Generates one field value: text from the pattern alphabet, a number or an address.
fn scalar() -> impl Strategy<Value = Json> {
    prop_oneof![
        4 => "[aAbé.]{0,4}".prop_map(Json::from),
        1 => (-8i32..8).prop_map(|n| Json::from(f64::from(n) / 2.0)),
        1 => (-4i64..4).prop_map(Json::from),
        1 => (0u8..4).prop_map(|last| Json::from(format!("10.0.0.{last}"))),
        1 => Just(Json::from("::ffff:10.0.0.1")),
        1 => Just(Json::Null),
        1 => any::<bool>().prop_map(Json::from),
    ]
}

/// Generates an event over the generated field names, with `c.d` either nested or dotted.
fn event() -> impl Strategy<Value = Json> {
    let value = prop_oneof![
        3 => scalar(),
        1 => prop::collection::vec(scalar(), 0..3).prop_map(Json::Array),
    ];
    let slot = prop::option::of(value);
    (prop::collection::vec(slot, 7), any::<bool>()).prop_map(|(values, nest)| {
        let names = ["a", "b", "c.d", "@timestamp", "user-name", "x_1", "ünï"];
        let mut map = serde_json::Map::new();
        for (name, value) in names.iter().zip(values) {
            let Some(value) = value else { continue };
            if *name == "c.d" && nest {
                map.insert("c".to_owned(), serde_json::json!({ "d": value }));
            } else {
                map.insert((*name).to_owned(), value);
            }
        }
        Json::Object(map)
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn display_parses_back_to_same_tree(tree in expr(roundtrip_value())) {
        prop_assert!(tree.is_representable(), "{tree:?}");
        let text = tree.to_string();
        let parsed = Filter::parse(&text);
        prop_assert!(parsed.is_ok(), "{text:?}: {}", parsed.unwrap_err());
        let parsed = parsed.unwrap();
        prop_assert_eq!(parsed.ast(), &tree, "{}", text);
        let strict = FilterOptions::new().strict_precedence(true);
        prop_assert!(Filter::parse_with(&text, strict).is_ok(), "{} under strict", text);
    }

    #[test]
    fn compiled_equals_naive(
        tree in expr(eval_value()),
        event in event(),
        case_sensitive in any::<bool>(),
    ) {
        let options = FilterOptions::new().case_sensitive(case_sensitive);
        let filter = Filter::parse_with(&tree.to_string(), options).unwrap();
        let expected = naive_is_match_json(filter.ast(), &event, case_sensitive);
        prop_assert_eq!(filter.is_match(&event), expected, "{} on {}", filter, event);
    }

    #[test]
    fn glob_equals_naive(
        pieces in prop::collection::vec(
            prop_oneof![
                3 => "[abAé]{1,3}".prop_map(Piece::Literal),
                2 => Just(Piece::AnyRun),
                2 => Just(Piece::AnyChar),
            ],
            0..8,
        ),
        value in "[abAé]{0,24}",
        case_sensitive in any::<bool>(),
    ) {
        let pattern = Pattern::new(pieces);
        let clause = if pattern.pieces == [Piece::AnyRun] {
            Value::Exists
        } else {
            Value::Pattern(pattern.clone())
        };
        let tree = Expr::Clause(Clause { field: "f".to_owned(), value: clause });
        let options = FilterOptions::new().case_sensitive(case_sensitive);
        let filter = Filter::parse_with(&tree.to_string(), options).unwrap();
        let event = serde_json::json!({ "f": value });
        let expected = naive_glob(&pattern.pieces, &value, case_sensitive);
        prop_assert_eq!(filter.is_match(&event), expected, "{} on {:?}", filter, value);
    }

    #[test]
    fn parse_never_panics(text in "[a-z:*?\"\\\\()!&|/\\[\\]{}<> 0-9.TONDR\n-]{0,40}") {
        match Filter::parse(&text) {
            Ok(filter) => {
                // Whatever parses prints to text that parses back to the same tree.
                let canonical = filter.to_string();
                let reparsed = Filter::parse(&canonical).unwrap();
                prop_assert_eq!(reparsed.ast(), filter.ast());
                prop_assert!(filter.ast().is_representable());
            }
            Err(error) => {
                let span = error.span();
                prop_assert!(span.start <= span.end && span.end <= text.len());
                prop_assert!(text.is_char_boundary(span.start) && text.is_char_boundary(span.end));
                prop_assert!(!error.to_string().is_empty());
            }
        }
    }

    #[test]
    fn parse_never_panics_on_any_text(text in any::<String>()) {
        if let Err(error) = Filter::parse(&text) {
            let _ = error.to_string();
        }
    }
}

#[test]
fn unrepresentable_trees_detected() {
    let clause = |field: &str, value: Value| {
        Expr::Clause(Clause {
            field: field.to_owned(),
            value,
        })
    };
    let root = clause("f", Value::Pattern(Pattern::literal("x")));
    assert!(root.is_representable());
    let cases = [
        Expr::And(vec![root.clone()]),
        Expr::Or(Vec::new()),
        clause("bad field", Value::Exists),
        clause("_exists_", Value::Exists),
        clause(
            "f",
            Value::Pattern(Pattern {
                pieces: vec![Piece::AnyRun],
            }),
        ),
        clause(
            "f",
            Value::Pattern(Pattern {
                pieces: vec![Piece::Literal(String::new())],
            }),
        ),
        clause("f", Value::Regex("a/b".to_owned())),
        clause("f", Value::Regex("a(".to_owned())),
        clause("f", Value::Regex("a\\".to_owned())),
        clause(
            "f",
            Value::Range(Range {
                lower: Bound::Included(f64::NAN),
                upper: Bound::Unbounded,
            }),
        ),
        clause(
            "f",
            Value::Range(Range {
                lower: Bound::Included(2.0),
                upper: Bound::Included(1.0),
            }),
        ),
        clause(
            "f",
            Value::Cidr(Cidr {
                addr: [10, 0, 0, 0].into(),
                prefix_len: 33,
            }),
        ),
    ];
    for tree in cases {
        assert!(!tree.is_representable(), "{tree:?}");
    }
    let mut deep = root;
    for _ in 0..=iocmatch::filter::MAX_DEPTH {
        deep = Expr::Not(Box::new(deep));
    }
    assert!(!deep.is_representable());
}
