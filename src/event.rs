//! Field access on events: the [`Event`] trait, its implementations for JSON objects and string
//! maps, and field aliases ([`FieldAliases`], [`AliasedEvent`]).
//!
//! Filters and rules read events only through [`Event`], so any record type can be matched by
//! implementing two methods. Field names compare exactly (case-sensitively); only values are
//! folded by case-insensitive filters.
//!
//! # Values of JSON events
//!
//! For a [`serde_json::Value`] object event:
//!
//! - A dotted field name resolves through nested objects and literal dotted keys alike:
//!   `process.user` finds `{"process": {"user": …}}`, `{"process.user": …}` and mixes such as
//!   `{"process": {"user.name": …}}` when the field is `process.user.name`. When several spellings
//!   are present, the values of all of them are visited.
//! - Arrays are multi-valued, at the leaf and on the way (`{"process": [{"user": "a"},
//!   {"user": "b"}]}` gives `process.user` the values `a` and `b`). Nested arrays flatten.
//! - Strings are visited as they are, numbers and booleans as their JSON text (`4688`, `true`).
//!   A float prints as `serde_json` writes it, so `1e3` becomes `1000.0`.
//! - `null` is missing, and so is an array with no non-null element. An object at the leaf is
//!   present (for [`Event::has_field`]) but has no values.

mod aliases;

use std::borrow::{Borrow, Cow};
use std::collections::{BTreeMap, HashMap};
use std::hash::{BuildHasher, Hash};
use std::ops::ControlFlow;

pub use aliases::{Alias, AliasProfile, AliasedEvent, FieldAliases, Transform};

/// A record whose fields a filter can test.
///
/// Implementations exist for [`serde_json::Value`] and [`serde_json::Map`] (object events), for
/// [`HashMap`] and [`BTreeMap`] keyed by strings with values that implement [`FieldValues`]
/// (`String`, `&str`, `Vec<String>`, `Option<String>`, `serde_json::Value`, …), and for references
/// and boxes of events.
///
/// ```
/// use std::collections::HashMap;
/// use iocmatch::event::Event;
///
/// let event = HashMap::from([("user".to_owned(), vec!["root".to_owned(), "bob".to_owned()])]);
/// assert_eq!(event.collect_values("user"), ["root", "bob"]);
/// assert!(event.has_field("user"));
/// assert!(!event.has_field("host"));
/// ```
pub trait Event {
    /// Calls `visit` with each string value of `field`, stopping when it returns `Break`.
    ///
    /// Returns `Break` if `visit` did, `Continue` otherwise (also when the field is missing).
    fn visit_values(
        &self,
        field: &str,
        visit: &mut dyn FnMut(&str) -> ControlFlow<()>,
    ) -> ControlFlow<()>;

    /// Returns whether the field is present (a JSON null counts as missing).
    fn has_field(&self, field: &str) -> bool;

    /// Collects the values of `field` into owned strings, in visiting order.
    fn collect_values(&self, field: &str) -> Vec<String> {
        let mut values = Vec::new();
        let _ = self.visit_values(field, &mut |value| {
            values.push(value.to_owned());
            ControlFlow::Continue(())
        });
        values
    }
}

impl<E: Event + ?Sized> Event for &E {
    fn visit_values(
        &self,
        field: &str,
        visit: &mut dyn FnMut(&str) -> ControlFlow<()>,
    ) -> ControlFlow<()> {
        (**self).visit_values(field, visit)
    }

    fn has_field(&self, field: &str) -> bool {
        (**self).has_field(field)
    }
}

impl<E: Event + ?Sized> Event for Box<E> {
    fn visit_values(
        &self,
        field: &str,
        visit: &mut dyn FnMut(&str) -> ControlFlow<()>,
    ) -> ControlFlow<()> {
        (**self).visit_values(field, visit)
    }

    fn has_field(&self, field: &str) -> bool {
        (**self).has_field(field)
    }
}

/// The value side of a map event: one or several strings, or none.
///
/// A value with no strings (an empty `Vec`, `None`, a JSON `null`) makes the field missing.
pub trait FieldValues {
    /// Calls `visit` with each string, stopping when it returns `Break`.
    fn visit_each(&self, visit: &mut dyn FnMut(&str) -> ControlFlow<()>) -> ControlFlow<()>;

    /// Returns `true` when the value counts as present.
    fn is_present(&self) -> bool;
}

impl FieldValues for str {
    fn visit_each(&self, visit: &mut dyn FnMut(&str) -> ControlFlow<()>) -> ControlFlow<()> {
        visit(self)
    }

    fn is_present(&self) -> bool {
        true
    }
}

impl FieldValues for String {
    fn visit_each(&self, visit: &mut dyn FnMut(&str) -> ControlFlow<()>) -> ControlFlow<()> {
        visit(self)
    }

    fn is_present(&self) -> bool {
        true
    }
}

impl FieldValues for Box<str> {
    fn visit_each(&self, visit: &mut dyn FnMut(&str) -> ControlFlow<()>) -> ControlFlow<()> {
        visit(self)
    }

    fn is_present(&self) -> bool {
        true
    }
}

impl FieldValues for Cow<'_, str> {
    fn visit_each(&self, visit: &mut dyn FnMut(&str) -> ControlFlow<()>) -> ControlFlow<()> {
        visit(self)
    }

    fn is_present(&self) -> bool {
        true
    }
}

impl<T: FieldValues + ?Sized> FieldValues for &T {
    fn visit_each(&self, visit: &mut dyn FnMut(&str) -> ControlFlow<()>) -> ControlFlow<()> {
        (**self).visit_each(visit)
    }

    fn is_present(&self) -> bool {
        (**self).is_present()
    }
}

impl<T: FieldValues> FieldValues for Option<T> {
    fn visit_each(&self, visit: &mut dyn FnMut(&str) -> ControlFlow<()>) -> ControlFlow<()> {
        match self {
            Some(value) => value.visit_each(visit),
            None => ControlFlow::Continue(()),
        }
    }

    fn is_present(&self) -> bool {
        self.as_ref().is_some_and(FieldValues::is_present)
    }
}

impl<T: FieldValues> FieldValues for [T] {
    fn visit_each(&self, visit: &mut dyn FnMut(&str) -> ControlFlow<()>) -> ControlFlow<()> {
        for value in self {
            value.visit_each(visit)?;
        }
        ControlFlow::Continue(())
    }

    fn is_present(&self) -> bool {
        self.iter().any(FieldValues::is_present)
    }
}

impl<T: FieldValues> FieldValues for Vec<T> {
    fn visit_each(&self, visit: &mut dyn FnMut(&str) -> ControlFlow<()>) -> ControlFlow<()> {
        self.as_slice().visit_each(visit)
    }

    fn is_present(&self) -> bool {
        self.as_slice().is_present()
    }
}

impl FieldValues for serde_json::Value {
    fn visit_each(&self, visit: &mut dyn FnMut(&str) -> ControlFlow<()>) -> ControlFlow<()> {
        visit_json_leaf(self, visit)
    }

    fn is_present(&self) -> bool {
        is_json_present(self)
    }
}

impl<K, V, S> Event for HashMap<K, V, S>
where
    K: Borrow<str> + Hash + Eq,
    V: FieldValues,
    S: BuildHasher,
{
    fn visit_values(
        &self,
        field: &str,
        visit: &mut dyn FnMut(&str) -> ControlFlow<()>,
    ) -> ControlFlow<()> {
        match self.get(field) {
            Some(value) => value.visit_each(visit),
            None => ControlFlow::Continue(()),
        }
    }

    fn has_field(&self, field: &str) -> bool {
        self.get(field).is_some_and(FieldValues::is_present)
    }
}

impl<K, V> Event for BTreeMap<K, V>
where
    K: Borrow<str> + Ord,
    V: FieldValues,
{
    fn visit_values(
        &self,
        field: &str,
        visit: &mut dyn FnMut(&str) -> ControlFlow<()>,
    ) -> ControlFlow<()> {
        match self.get(field) {
            Some(value) => value.visit_each(visit),
            None => ControlFlow::Continue(()),
        }
    }

    fn has_field(&self, field: &str) -> bool {
        self.get(field).is_some_and(FieldValues::is_present)
    }
}

/// An object event. Any other JSON value (array, string, …) is an event with no fields.
///
/// ```
/// use iocmatch::event::Event;
/// use serde_json::json;
///
/// let event = json!({
///     "process": {"user": "root", "pid": 4},
///     "process.command_line": "backup.exe -q",
///     "tags": ["a", null, "b"],
///     "parent": null,
/// });
/// assert_eq!(event.collect_values("process.user"), ["root"]);
/// assert_eq!(event.collect_values("process.pid"), ["4"]);
/// assert_eq!(event.collect_values("process.command_line"), ["backup.exe -q"]);
/// assert_eq!(event.collect_values("tags"), ["a", "b"]);
/// assert!(!event.has_field("parent"));
/// ```
impl Event for serde_json::Value {
    fn visit_values(
        &self,
        field: &str,
        visit: &mut dyn FnMut(&str) -> ControlFlow<()>,
    ) -> ControlFlow<()> {
        match self {
            serde_json::Value::Object(map) => map.visit_values(field, visit),
            _ => ControlFlow::Continue(()),
        }
    }

    fn has_field(&self, field: &str) -> bool {
        match self {
            serde_json::Value::Object(map) => map.has_field(field),
            _ => false,
        }
    }
}

impl Event for serde_json::Map<String, serde_json::Value> {
    fn visit_values(
        &self,
        field: &str,
        visit: &mut dyn FnMut(&str) -> ControlFlow<()>,
    ) -> ControlFlow<()> {
        visit_json_nodes(self, field, &mut |node| visit_json_leaf(node, visit))
    }

    fn has_field(&self, field: &str) -> bool {
        let found = visit_json_nodes(self, field, &mut |node| {
            if is_json_present(node) {
                ControlFlow::Break(())
            } else {
                ControlFlow::Continue(())
            }
        });
        found.is_break()
    }
}

/// Calls `visit` with every JSON node that `path` names in `map`: the literal key `path`, and
/// for each `.` in `path` the key before it followed by the rest of the path inside that child.
fn visit_json_nodes(
    map: &serde_json::Map<String, serde_json::Value>,
    path: &str,
    visit: &mut dyn FnMut(&serde_json::Value) -> ControlFlow<()>,
) -> ControlFlow<()> {
    if let Some(node) = map.get(path) {
        visit(node)?;
    }
    for (dot, _) in path.match_indices('.') {
        if let Some(child) = map.get(&path[..dot]) {
            visit_json_child(child, &path[dot + 1..], visit)?;
        }
    }
    ControlFlow::Continue(())
}

/// Continues a path inside a child: an object is searched, an array is searched element by
/// element, anything else has no fields.
fn visit_json_child(
    child: &serde_json::Value,
    rest: &str,
    visit: &mut dyn FnMut(&serde_json::Value) -> ControlFlow<()>,
) -> ControlFlow<()> {
    match child {
        serde_json::Value::Object(map) => visit_json_nodes(map, rest, visit),
        serde_json::Value::Array(items) => {
            for item in items {
                visit_json_child(item, rest, visit)?;
            }
            ControlFlow::Continue(())
        }
        _ => ControlFlow::Continue(()),
    }
}

/// Visits the string values of a node: strings as they are, numbers and booleans as JSON text,
/// arrays element by element. `null` and objects have no values.
fn visit_json_leaf(
    node: &serde_json::Value,
    visit: &mut dyn FnMut(&str) -> ControlFlow<()>,
) -> ControlFlow<()> {
    match node {
        serde_json::Value::String(text) => visit(text),
        serde_json::Value::Number(number) => visit(&number.to_string()),
        serde_json::Value::Bool(flag) => visit(if *flag { "true" } else { "false" }),
        serde_json::Value::Array(items) => {
            for item in items {
                visit_json_leaf(item, visit)?;
            }
            ControlFlow::Continue(())
        }
        serde_json::Value::Null | serde_json::Value::Object(_) => ControlFlow::Continue(()),
    }
}

/// Returns `true` for any node but `null` and arrays without a present element.
fn is_json_present(node: &serde_json::Value) -> bool {
    match node {
        serde_json::Value::Null => false,
        serde_json::Value::Array(items) => items.iter().any(is_json_present),
        _ => true,
    }
}
