//! The compiled form of a filter and its evaluation against an [`Event`].
//!
//! Compiling turns each clause into a matcher chosen once (a [`Glob`] shape, a regex, a numeric
//! range, a CIDR network) so evaluation does no parsing of the filter. Evaluation has no error
//! case: a value that does not parse as a number or address simply does not match a range or CIDR
//! clause.

use std::collections::HashMap;
use std::net::IpAddr;
use std::ops::ControlFlow;

use regex::Regex;
use regex_syntax::hir::{Hir, Look};

use crate::event::Event;
use crate::filter::MAX_REGEX_SIZE;
use crate::filter::ast::{Cidr, Expr, Range, Value};
use crate::filter::glob::Glob;

/// A compiled filter expression.
#[derive(Debug, Clone)]
pub(crate) enum Node {
    /// The field is present.
    Exists(Box<str>),
    /// Some value of the field matches.
    Test {
        field: Box<str>,
        matcher: Matcher,
    },
    Not(Box<Node>),
    And(Box<[Node]>),
    Or(Box<[Node]>),
}

/// The test applied to one value.
#[derive(Debug, Clone)]
pub(crate) enum Matcher {
    Glob(Glob),
    Regex(Regex),
    Range(Range),
    Cidr(Cidr),
}

/// The reason a regex source was rejected.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum RegexProblem {
    /// The syntax is invalid; the message comes from `regex-syntax`.
    Invalid(String),
    /// The compiled program exceeds [`MAX_REGEX_SIZE`].
    TooLarge,
}

/// Compiles a regex source anchored to the whole value.
///
/// Case-insensitive matching uses the Unicode simple case folding of the `regex` crate, which is
/// wider than the ASCII folding of wildcard patterns. `.` matches any character including a
/// newline, as in Lucene.
pub(crate) fn compile_regex(source: &str, case_sensitive: bool) -> Result<Regex, RegexProblem> {
    // Step 1: parse the source on its own, so that wrapping it cannot change its meaning (an
    // unbalanced `)` or an `(?x)` comment would otherwise swallow the anchors).
    let hir = regex_syntax::ParserBuilder::new()
        .case_insensitive(!case_sensitive)
        .dot_matches_new_line(true)
        .build()
        .parse(source)
        .map_err(|error| RegexProblem::Invalid(syntax_error_message(&error)))?;

    // Step 2: anchor at both ends of the value in the syntax tree, not in the text.
    let anchored = Hir::concat(vec![Hir::look(Look::Start), hir, Hir::look(Look::End)]);

    // Step 3: compile the printed tree, which is an equivalent pattern, under the size limits.
    regex::RegexBuilder::new(&anchored.to_string())
        .size_limit(MAX_REGEX_SIZE)
        .dfa_size_limit(MAX_REGEX_SIZE)
        .build()
        .map_err(|error| match error {
            regex::Error::CompiledTooBig(_) => RegexProblem::TooLarge,
            other => RegexProblem::Invalid(other.to_string()),
        })
}

/// Returns the one-line description of a `regex-syntax` error, without its rendered pattern.
fn syntax_error_message(error: &regex_syntax::Error) -> String {
    match error {
        regex_syntax::Error::Parse(error) => error.kind().to_string(),
        regex_syntax::Error::Translate(error) => error.kind().to_string(),
        other => other.to_string(),
    }
}

/// Regexes compiled while parsing, keyed by source, so compiling the tree reuses them.
pub(crate) type RegexCache = HashMap<String, Regex>;

impl Node {
    /// Compiles a syntax tree. Regexes come from `regexes` when present and are compiled
    /// otherwise.
    ///
    /// # Errors
    ///
    /// Returns the problem of the first regex that does not compile. The parser has compiled
    /// every regex of a parsed tree already, so this fails only for trees built by hand.
    pub(crate) fn compile(
        expr: &Expr,
        case_sensitive: bool,
        regexes: &RegexCache,
    ) -> Result<Node, RegexProblem> {
        Ok(match expr {
            Expr::Clause(clause) => {
                let field: Box<str> = clause.field.as_str().into();
                let matcher = match &clause.value {
                    Value::Exists => return Ok(Node::Exists(field)),
                    Value::Pattern(pattern) => Matcher::Glob(Glob::new(pattern, case_sensitive)),
                    Value::Regex(source) => Matcher::Regex(match regexes.get(source) {
                        Some(regex) => regex.clone(),
                        None => compile_regex(source, case_sensitive)?,
                    }),
                    Value::Range(range) => Matcher::Range(*range),
                    Value::Cidr(cidr) => Matcher::Cidr(*cidr),
                };
                Node::Test { field, matcher }
            }
            Expr::Not(inner) => Node::Not(Box::new(Node::compile(inner, case_sensitive, regexes)?)),
            Expr::And(children) => Node::And(compile_all(children, case_sensitive, regexes)?),
            Expr::Or(children) => Node::Or(compile_all(children, case_sensitive, regexes)?),
        })
    }

    /// Evaluates the node against an event.
    ///
    /// Recursion depth equals the tree depth, which the parser limits to
    /// [`MAX_DEPTH`](crate::filter::MAX_DEPTH).
    pub(crate) fn is_match<E: Event + ?Sized>(&self, event: &E) -> bool {
        match self {
            Node::Exists(field) => event.has_field(field),
            Node::Test { field, matcher } => event
                .visit_values(field, &mut |value| {
                    if matcher.is_match(value) {
                        ControlFlow::Break(())
                    } else {
                        ControlFlow::Continue(())
                    }
                })
                .is_break(),
            Node::Not(inner) => !inner.is_match(event),
            Node::And(children) => children.iter().all(|child| child.is_match(event)),
            Node::Or(children) => children.iter().any(|child| child.is_match(event)),
        }
    }
}

fn compile_all(
    children: &[Expr],
    case_sensitive: bool,
    regexes: &RegexCache,
) -> Result<Box<[Node]>, RegexProblem> {
    children
        .iter()
        .map(|child| Node::compile(child, case_sensitive, regexes))
        .collect()
}

impl Matcher {
    /// Returns `true` when one value passes the test.
    fn is_match(&self, value: &str) -> bool {
        match self {
            Matcher::Glob(glob) => glob.is_match(value),
            Matcher::Regex(regex) => regex.is_match(value),
            Matcher::Range(range) => {
                parse_number(value).is_some_and(|number| range.contains(number))
            }
            Matcher::Cidr(cidr) => value
                .parse::<IpAddr>()
                .is_ok_and(|addr| cidr.contains(addr)),
        }
    }
}

/// Parses a value as a finite number the way Rust's `f64` parser reads it. Surrounding
/// whitespace is not allowed and `NaN` or infinities never match a range.
pub(crate) fn parse_number(value: &str) -> Option<f64> {
    value
        .parse::<f64>()
        .ok()
        .filter(|number| number.is_finite())
}
