//! Field access on JSON objects and string maps, against the naive lookup in `tests/common`.

mod common;

use std::collections::{BTreeMap, HashMap};
use std::ops::ControlFlow;

use common::naive_filter::naive_json_values;
use iocmatch::event::Event;
use proptest::prelude::*;
use serde_json::{Value, json};

/// Sorts values so lookups that visit in different orders compare equal.
fn sorted(mut values: Vec<String>) -> Vec<String> {
    values.sort();
    values
}

#[test]
fn json_nested_and_dotted_keys() {
    let event = json!({
        "process": {"user": "nested", "parent": {"name": "deep"}},
        "process.user": "dotted",
        "process.parent": {"name": "mixed"},
    });
    assert_eq!(
        sorted(event.collect_values("process.user")),
        ["dotted", "nested"]
    );
    assert_eq!(
        sorted(event.collect_values("process.parent.name")),
        ["deep", "mixed"]
    );
    assert!(event.has_field("process.parent.name"));
    assert!(!event.has_field("process.pid"));
    assert!(!event.has_field("process.user.name"));
}

#[test]
fn json_arrays_are_multi_valued() {
    let event = json!({
        "tags": ["a", ["b", ["c"]], null],
        "procs": [{"user": "x"}, {"user": ["y", "z"]}, "not an object", [{"user": "w"}]],
        "empty": [],
        "nulls": [null, [null]],
    });
    assert_eq!(event.collect_values("tags"), ["a", "b", "c"]);
    assert_eq!(event.collect_values("procs.user"), ["x", "y", "z", "w"]);
    assert!(!event.has_field("empty"));
    assert!(!event.has_field("nulls"));
    assert!(event.has_field("tags"));
}

#[test]
fn json_scalars_render_as_json_text() {
    let event = json!({
        "int": 4688,
        "negative": -9223372036854775808i64,
        "float": 2.5,
        "whole_float": 1000.0,
        "yes": true,
        "no": false,
        "empty": "",
        "none": null,
        "object": {"k": "v"},
    });
    assert_eq!(event.collect_values("int"), ["4688"]);
    assert_eq!(event.collect_values("negative"), ["-9223372036854775808"]);
    assert_eq!(event.collect_values("float"), ["2.5"]);
    assert_eq!(event.collect_values("whole_float"), ["1000.0"]);
    assert_eq!(event.collect_values("yes"), ["true"]);
    assert_eq!(event.collect_values("no"), ["false"]);
    assert_eq!(event.collect_values("empty"), [""]);
    assert!(event.has_field("empty"));
    assert!(!event.has_field("none"));
    assert!(event.collect_values("none").is_empty());
    assert!(event.has_field("object"));
    assert!(event.collect_values("object").is_empty());
}

#[test]
fn json_non_object_has_no_fields() {
    for event in [json!(null), json!("user"), json!(["user"]), json!(3)] {
        assert!(!event.has_field("user"), "{event}");
        assert!(event.collect_values("user").is_empty(), "{event}");
    }
}

#[test]
fn visiting_stops_on_break() {
    let event = json!({"user": ["a", "b", "c"]});
    let mut seen = Vec::new();
    let flow = event.visit_values("user", &mut |value| {
        seen.push(value.to_owned());
        if value == "b" {
            ControlFlow::Break(())
        } else {
            ControlFlow::Continue(())
        }
    });
    assert!(flow.is_break());
    assert_eq!(seen, ["a", "b"]);
}

#[test]
fn string_maps_are_events() {
    let single = HashMap::from([("user".to_owned(), "root".to_owned())]);
    assert_eq!(single.collect_values("user"), ["root"]);
    assert!(!single.has_field("host"));

    let sorted_map = BTreeMap::from([("user".to_owned(), String::new())]);
    assert!(sorted_map.has_field("user"));
    assert_eq!(sorted_map.collect_values("user"), [""]);

    let multi = HashMap::from([
        ("user".to_owned(), vec!["root".to_owned(), "bob".to_owned()]),
        ("none".to_owned(), Vec::new()),
    ]);
    assert_eq!(multi.collect_values("user"), ["root", "bob"]);
    assert!(!multi.has_field("none"));

    let borrowed: HashMap<&str, &str> = HashMap::from([("user", "root")]);
    assert!(borrowed.has_field("user"));

    let optional: BTreeMap<&str, Option<&str>> = BTreeMap::from([("a", Some("x")), ("b", None)]);
    assert!(optional.has_field("a"));
    assert!(!optional.has_field("b"));

    let json_values = HashMap::from([("user".to_owned(), json!(["root", null, 7]))]);
    assert_eq!(json_values.collect_values("user"), ["root", "7"]);
}

#[test]
fn map_keys_are_not_split_on_dots() {
    let event = HashMap::from([("process.user".to_owned(), "root".to_owned())]);
    assert!(event.has_field("process.user"));
    assert!(!event.has_field("process"));
}

#[test]
fn references_and_boxes_are_events() {
    let event = json!({"user": "root"});
    let boxed: Box<dyn Event> = Box::new(event.clone());
    assert!(boxed.has_field("user"));
    let reference: &dyn Event = &event;
    assert_eq!((&reference).collect_values("user"), ["root"]);
}

/// Generates a JSON node: a string, number, boolean or null, or an array or object whose keys
/// may contain dots.
fn json_node() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        "[ab]{0,2}".prop_map(Value::from),
        (-3i64..3).prop_map(Value::from),
        any::<bool>().prop_map(Value::from),
        Just(Value::Null),
    ];
    leaf.prop_recursive(3, 24, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..3).prop_map(Value::Array),
            prop::collection::btree_map(key(), inner, 0..4)
                .prop_map(|map| Value::Object(map.into_iter().collect())),
        ]
    })
}

fn key() -> impl Strategy<Value = String> {
    prop::sample::select(vec!["a", "b", "a.b", "b.a", "a.a", "a.b.a"]).prop_map(str::to_owned)
}

proptest! {
    #[test]
    fn json_lookup_equals_naive(
        map in prop::collection::btree_map(key(), json_node(), 0..5),
        field in key(),
    ) {
        let event = Value::Object(map.into_iter().collect());
        let naive = naive_json_values(&event, &field);
        prop_assert_eq!(event.has_field(&field), naive.is_some());
        prop_assert_eq!(sorted(event.collect_values(&field)), sorted(naive.unwrap_or_default()));
    }
}
