//! A deliberately naive evaluator of filter syntax trees, the oracle for the compiled filter.
//!
//! Everything here is written the slow, obvious way and shares no code with the library's
//! matchers: wildcards are matched by a table over every (pattern, value) position pair, JSON fields are found by
//! trying every key of every object, CIDR membership is computed with explicit masks, and aliases
//! are resolved by scanning the alias list. Regexes use the `regex` crate with the source wrapped
//! in text anchors, which is the obvious way and breaks only for `(?x)` comments.

use std::collections::HashMap;
use std::net::IpAddr;

use iocmatch::event::{FieldAliases, Transform};
use iocmatch::filter::ast::{Bound, Cidr, Expr, Piece, Range, Value};
use serde_json::Value as Json;

/// Looks up a field: `None` when missing, otherwise its values (possibly none, for an object).
pub type Lookup<'a> = dyn Fn(&str) -> Option<Vec<String>> + 'a;

/// Evaluates `expr` with field values from `lookup`.
pub fn naive_is_match(expr: &Expr, lookup: &Lookup<'_>, case_sensitive: bool) -> bool {
    match expr {
        Expr::Not(inner) => !naive_is_match(inner, lookup, case_sensitive),
        Expr::And(children) => {
            let mut all = true;
            for child in children {
                if !naive_is_match(child, lookup, case_sensitive) {
                    all = false;
                }
            }
            all
        }
        Expr::Or(children) => {
            let mut any = false;
            for child in children {
                if naive_is_match(child, lookup, case_sensitive) {
                    any = true;
                }
            }
            any
        }
        Expr::Clause(clause) => {
            let Some(values) = lookup(&clause.field) else {
                return false;
            };
            if clause.value == Value::Exists {
                return true;
            }
            let mut any = false;
            for value in &values {
                if naive_value_matches(&clause.value, value, case_sensitive) {
                    any = true;
                }
            }
            any
        }
    }
}

/// Evaluates `expr` against a JSON event.
pub fn naive_is_match_json(expr: &Expr, event: &Json, case_sensitive: bool) -> bool {
    naive_is_match(
        expr,
        &|field| naive_json_values(event, field),
        case_sensitive,
    )
}

/// Evaluates `expr` against a JSON event seen through `aliases`.
pub fn naive_is_match_aliased(
    expr: &Expr,
    event: &Json,
    aliases: &FieldAliases,
    case_sensitive: bool,
) -> bool {
    naive_is_match(
        expr,
        &|field| naive_aliased_values(event, aliases, field),
        case_sensitive,
    )
}

/// Tests one value against one clause value.
pub fn naive_value_matches(test: &Value, value: &str, case_sensitive: bool) -> bool {
    match test {
        Value::Exists => true,
        Value::Pattern(pattern) => naive_glob(&pattern.pieces, value, case_sensitive),
        Value::Regex(source) => naive_regex(source, value, case_sensitive),
        Value::Range(range) => naive_range(range, value),
        Value::Cidr(cidr) => naive_cidr(cidr, value),
    }
}

/// One pattern element: a character, `?` or `*`.
#[derive(Clone, Copy, PartialEq)]
enum Element {
    Char(char),
    One,
    Many,
}

/// Wildcard match by dynamic programming over characters, folding ASCII case when asked.
pub fn naive_glob(pieces: &[Piece], value: &str, case_sensitive: bool) -> bool {
    let fold = |c: char| {
        if case_sensitive {
            c
        } else {
            c.to_ascii_lowercase()
        }
    };
    let mut pattern = Vec::new();
    for piece in pieces {
        match piece {
            Piece::Literal(text) => pattern.extend(text.chars().map(|c| Element::Char(fold(c)))),
            Piece::AnyChar => pattern.push(Element::One),
            Piece::AnyRun => pattern.push(Element::Many),
        }
    }
    let value: Vec<char> = value.chars().map(fold).collect();

    // matches[p][v]: pattern[p..] matches value[v..]. Filled from the ends backwards.
    let mut matches = vec![vec![false; value.len() + 1]; pattern.len() + 1];
    matches[pattern.len()][value.len()] = true;
    for p in (0..pattern.len()).rev() {
        for v in (0..=value.len()).rev() {
            matches[p][v] = match pattern[p] {
                Element::Many => matches[p + 1][v] || (v < value.len() && matches[p][v + 1]),
                Element::One => v < value.len() && matches[p + 1][v + 1],
                Element::Char(c) => v < value.len() && value[v] == c && matches[p + 1][v + 1],
            };
        }
    }
    matches[0][0]
}

fn naive_regex(source: &str, value: &str, case_sensitive: bool) -> bool {
    thread_local! {
        // Compiling is slow in debug builds, so each wrapped source is compiled once per thread.
        static CACHE: std::cell::RefCell<HashMap<String, regex::Regex>> = Default::default();
    }
    let flags = if case_sensitive { "s" } else { "si" };
    let text = format!("(?{flags})^(?:{source})$");
    CACHE.with(|cache| {
        let mut cache = cache.borrow_mut();
        let regex = cache.entry(text.clone()).or_insert_with(|| {
            regex::Regex::new(&text)
                .unwrap_or_else(|error| panic!("oracle cannot wrap regex {source:?}: {error}"))
        });
        regex.is_match(value)
    })
}

fn naive_range(range: &Range, value: &str) -> bool {
    let Ok(number) = value.parse::<f64>() else {
        return false;
    };
    if number.is_nan() || number.is_infinite() {
        return false;
    }
    let lower_ok = match range.lower {
        Bound::Unbounded => true,
        Bound::Included(bound) => bound <= number,
        Bound::Excluded(bound) => bound < number,
    };
    let upper_ok = match range.upper {
        Bound::Unbounded => true,
        Bound::Included(bound) => number <= bound,
        Bound::Excluded(bound) => number < bound,
    };
    lower_ok && upper_ok
}

fn naive_cidr(cidr: &Cidr, value: &str) -> bool {
    let Ok(addr) = value.parse::<IpAddr>() else {
        return false;
    };
    let (network, addr, width) = match (cidr.addr, addr) {
        (IpAddr::V4(network), IpAddr::V4(addr)) => {
            (u32::from(network) as u128, u32::from(addr) as u128, 32)
        }
        (IpAddr::V4(network), IpAddr::V6(addr)) => {
            let octets = addr.octets();
            let mapped =
                octets[..10].iter().all(|&b| b == 0) && octets[10] == 0xff && octets[11] == 0xff;
            if !mapped {
                return false;
            }
            let low = u32::from_be_bytes([octets[12], octets[13], octets[14], octets[15]]);
            (u32::from(network) as u128, low as u128, 32)
        }
        (IpAddr::V6(network), IpAddr::V6(addr)) => (u128::from(network), u128::from(addr), 128),
        (IpAddr::V6(_), IpAddr::V4(_)) => return false,
    };
    // Build the mask bit by bit.
    let mut mask: u128 = 0;
    for bit in 0..u32::from(cidr.prefix_len).min(width) {
        mask |= 1u128 << (width - 1 - bit);
    }
    network & mask == addr & mask
}

/// Finds the values of `field` in a JSON object by trying every key of every object on the way.
pub fn naive_json_values(event: &Json, field: &str) -> Option<Vec<String>> {
    let Json::Object(_) = event else {
        return None;
    };
    let mut nodes = Vec::new();
    find_nodes(event, field, &mut nodes);
    let present: Vec<&Json> = nodes.into_iter().filter(|node| is_present(node)).collect();
    if present.is_empty() {
        return None;
    }
    let mut values = Vec::new();
    for node in present {
        flatten(node, &mut values);
    }
    Some(values)
}

fn find_nodes<'a>(node: &'a Json, path: &str, out: &mut Vec<&'a Json>) {
    let Json::Object(map) = node else {
        return;
    };
    for (key, child) in map {
        if key == path {
            out.push(child);
        } else if let Some(rest) = path.strip_prefix(key.as_str()) {
            if let Some(rest) = rest.strip_prefix('.') {
                descend(child, rest, out);
            }
        }
    }
}

fn descend<'a>(child: &'a Json, rest: &str, out: &mut Vec<&'a Json>) {
    match child {
        Json::Object(_) => find_nodes(child, rest, out),
        Json::Array(items) => {
            for item in items {
                descend(item, rest, out);
            }
        }
        _ => {}
    }
}

fn is_present(node: &Json) -> bool {
    match node {
        Json::Null => false,
        Json::Array(items) => items.iter().any(is_present),
        _ => true,
    }
}

fn flatten(node: &Json, out: &mut Vec<String>) {
    match node {
        Json::String(text) => out.push(text.clone()),
        Json::Number(number) => out.push(number.to_string()),
        Json::Bool(true) => out.push("true".to_owned()),
        Json::Bool(false) => out.push("false".to_owned()),
        Json::Array(items) => {
            for item in items {
                flatten(item, out);
            }
        }
        Json::Null | Json::Object(_) => {}
    }
}

/// Resolves `field` through `aliases`: the field itself, else the first alias present, with
/// the basename taken by splitting on both path separators.
pub fn naive_aliased_values(
    event: &Json,
    aliases: &FieldAliases,
    field: &str,
) -> Option<Vec<String>> {
    if let Some(values) = naive_json_values(event, field) {
        return Some(values);
    }
    for alias in aliases.aliases(field) {
        if let Some(values) = naive_json_values(event, alias.field()) {
            if alias.transform() == Transform::Basename {
                let names = values
                    .iter()
                    .map(|value| {
                        let mut last = value.as_str();
                        for part in value.split(['\\', '/']) {
                            last = part;
                        }
                        last.to_owned()
                    })
                    .collect();
                return Some(names);
            }
            return Some(values);
        }
    }
    None
}
