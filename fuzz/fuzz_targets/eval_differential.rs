//! Compiled filters against the naive evaluator in `tests/common/naive_filter.rs`.
//!
//! Input layout: when the first byte is `0xff`, the rest is structured data for an arbitrary
//! syntax tree and an event. Otherwise the bytes up to the first NUL are the filter text and the
//! bytes after it are structured data for the event, so plain filter texts work as seeds. The
//! event is JSON built over the filter's own fields (and their built-in aliases), with values
//! drawn from the filter's literals, numbers and addresses, nested or flat, in arrays or not.
//! `Filter::is_match` must equal the oracle on the event, and through `AliasedEvent` with
//! `FieldAliases::builtin()`, both case-insensitive and case-sensitive.

#![no_main]

#[allow(dead_code)]
#[path = "../../tests/common/naive_filter.rs"]
mod naive_filter;

use arbitrary::{Arbitrary, Unstructured};
use iocmatch::event::{AliasedEvent, FieldAliases};
use iocmatch::filter::ast::{Bound, Expr, Piece, Value};
use iocmatch::filter::{Filter, FilterOptions};
use iocmatch_fuzz::{DomainText, flip_case};
use libfuzzer_sys::fuzz_target;
use serde_json::{Map, Value as Json};

/// One field of the generated event.
#[derive(Arbitrary, Debug)]
struct Slot {
    field: u8,
    /// Which dot of the field name becomes a nesting level (0 keeps the name flat).
    nest: u8,
    /// Wraps the nested object in an array.
    in_array: bool,
    value: Node,
}

#[derive(Arbitrary, Debug)]
enum Node {
    Scalar(Scalar),
    Array(Vec<Scalar>),
    Null,
    EmptyObject,
}

#[derive(Arbitrary, Debug)]
enum Scalar {
    /// A literal of the filter, case-flipped, with text around it.
    Literal {
        index: u8,
        mask: u8,
        prefix: DomainText,
        suffix: DomainText,
    },
    /// A literal of the filter behind a Windows or Unix path, for basename aliases.
    Path {
        index: u8,
        windows: bool,
    },
    Text(DomainText),
    Integer(i16),
    Float(f64),
    Bool(bool),
}

fuzz_target!(|data: &[u8]| {
    let (text, event_data) = match data.split_first() {
        Some((0xff, rest)) => {
            let mut input = Unstructured::new(rest);
            let Ok(tree) = Expr::arbitrary(&mut input) else {
                return;
            };
            (tree.to_string(), input.take_rest())
        }
        _ => {
            let end = data.iter().position(|&b| b == 0).unwrap_or(data.len());
            let text = String::from_utf8_lossy(&data[..end]).into_owned();
            (text, data.get(end + 1..).unwrap_or_default())
        }
    };
    let Ok(filter) = Filter::parse(&text) else {
        return;
    };
    if has_extended_regex(filter.ast()) {
        // The oracle wraps regex sources in text, which an `(?x)` comment breaks.
        return;
    }
    let aliases = FieldAliases::builtin();
    let Ok(slots) = Unstructured::new(event_data).arbitrary::<Vec<Slot>>() else {
        return;
    };
    let event = build_event(&filter, &aliases, &slots);

    let check = || {
        for case_sensitive in [false, true] {
            let options = FilterOptions::new().case_sensitive(case_sensitive);
            let filter = Filter::parse_with(&text, options).expect("parsed without options");
            let expr = filter.ast();
            assert_eq!(
                filter.is_match(&event),
                naive_filter::naive_is_match_json(expr, &event, case_sensitive),
                "filter {text:?}, case-sensitive {case_sensitive}, event {event}"
            );
            let aliased = AliasedEvent::new(&event, &aliases);
            assert_eq!(
                filter.is_match(&aliased),
                naive_filter::naive_is_match_aliased(expr, &event, &aliases, case_sensitive),
                "aliased: filter {text:?}, case-sensitive {case_sensitive}, event {event}"
            );
        }
    };
    if has_regex(filter.ast()) {
        // The oracle caches every compiled regex in a thread-local map for the life of its
        // thread; a short-lived thread per input frees them, so a long campaign does not grow.
        std::thread::scope(|scope| {
            scope.spawn(check);
        });
    } else {
        check();
    }
});

fn has_regex(expr: &Expr) -> bool {
    let mut found = false;
    expr.for_each_clause(|clause| found |= matches!(clause.value, Value::Regex(_)));
    found
}

/// Returns whether a regex turns on the `x` flag, in a group such as `(?x)` or `(?ix:…)`.
fn has_extended_regex(expr: &Expr) -> bool {
    let mut found = false;
    expr.for_each_clause(|clause| {
        if let Value::Regex(source) = &clause.value {
            found |= source.split("(?").skip(1).any(|rest| {
                let flags_end = rest.find([')', ':']).unwrap_or(rest.len());
                rest[..flags_end].contains('x')
            });
        }
    });
    found
}

/// Collects the text an event value could usefully hold: pattern literals, regex sources,
/// range bounds and CIDR addresses.
fn literals(expr: &Expr) -> Vec<String> {
    let mut literals = vec![String::new()];
    expr.for_each_clause(|clause| match &clause.value {
        Value::Exists => {}
        Value::Pattern(pattern) => {
            let mut joined = String::new();
            for piece in &pattern.pieces {
                match piece {
                    Piece::Literal(text) => {
                        joined.push_str(text);
                        literals.push(text.clone());
                    }
                    Piece::AnyChar => joined.push('é'),
                    Piece::AnyRun => joined.push_str("xy"),
                }
            }
            literals.push(joined);
        }
        Value::Regex(source) => literals.push(source.clone()),
        Value::Range(range) => {
            for bound in [range.lower, range.upper] {
                if let Bound::Included(number) | Bound::Excluded(number) = bound {
                    literals.push(number.to_string());
                    literals.push((number + 0.5).to_string());
                }
            }
        }
        Value::Cidr(cidr) => literals.push(cidr.addr.to_string()),
    });
    literals
}

/// Builds a JSON object event over the filter's fields and their aliases.
fn build_event(filter: &Filter, aliases: &FieldAliases, slots: &[Slot]) -> Json {
    let mut fields: Vec<String> = vec!["other".to_owned()];
    for field in filter.fields() {
        fields.push(field.clone());
        for alias in aliases.aliases(field) {
            fields.push(alias.field().to_owned());
        }
    }
    let literals = literals(filter.ast());

    let mut event = Map::new();
    for slot in slots {
        let field = &fields[usize::from(slot.field) % fields.len()];
        let value = render_node(&slot.value, &literals);
        insert(
            &mut event,
            field,
            usize::from(slot.nest),
            slot.in_array,
            value,
        );
    }
    Json::Object(event)
}

/// Inserts `value` under `field`, splitting the name at its `nest`-th dot (counted from 1,
/// modulo the number of dots plus one) into an outer key and an inner object.
fn insert(event: &mut Map<String, Json>, field: &str, nest: usize, in_array: bool, value: Json) {
    let dots: Vec<usize> = field.match_indices('.').map(|(at, _)| at).collect();
    let choice = nest % (dots.len() + 1);
    if choice == 0 {
        event.insert(field.to_owned(), value);
        return;
    }
    let at = dots[choice - 1];
    let (outer, inner) = (&field[..at], &field[at + 1..]);
    let mut object = Map::new();
    object.insert(inner.to_owned(), value);
    let nested = if in_array {
        Json::Array(vec![Json::Object(object)])
    } else {
        Json::Object(object)
    };
    match (event.get_mut(outer), nested) {
        (Some(Json::Object(existing)), Json::Object(object)) => existing.extend(object),
        (_, nested) => {
            event.insert(outer.to_owned(), nested);
        }
    }
}

fn render_node(node: &Node, literals: &[String]) -> Json {
    match node {
        Node::Scalar(scalar) => render_scalar(scalar, literals),
        Node::Array(items) => Json::Array(
            items
                .iter()
                .map(|item| render_scalar(item, literals))
                .collect(),
        ),
        Node::Null => Json::Null,
        Node::EmptyObject => Json::Object(Map::new()),
    }
}

fn render_scalar(scalar: &Scalar, literals: &[String]) -> Json {
    match scalar {
        Scalar::Literal {
            index,
            mask,
            prefix,
            suffix,
        } => {
            let literal = &literals[usize::from(*index) % literals.len()];
            Json::from(format!(
                "{}{}{}",
                prefix.render(),
                flip_case(literal, *mask),
                suffix.render()
            ))
        }
        Scalar::Path { index, windows } => {
            let literal = &literals[usize::from(*index) % literals.len()];
            let directory = if *windows {
                r"C:\Windows\System32\"
            } else {
                "/usr/bin/"
            };
            Json::from(format!("{directory}{literal}"))
        }
        Scalar::Text(text) => Json::from(text.render()),
        Scalar::Integer(number) => Json::from(*number),
        Scalar::Float(number) => Json::from(*number),
        Scalar::Bool(value) => Json::from(*value),
    }
}
