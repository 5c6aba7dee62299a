//! Exclusion filters: a small query language, the shared subset of Lucene `query_string` and
//! Kibana KQL over dotted field names, that decides whether an event should be excluded.
//!
//! A filter is parsed once into a [`Filter`] and then tested against many events with
//! [`Filter::is_match`], which returns a `bool` and has no error case. The pipeline is lexer → parser → syntax tree
//! ([`ast`]) → compiled matchers.
//!
//! ```
//! use iocmatch::filter::Filter;
//! use serde_json::json;
//!
//! let filter = Filter::parse(
//!     "process.parent_process_name:*backup_service* OR process.command_line:*remus_backup*",
//! )?;
//! assert!(filter.is_match(&json!({"process.command_line": r"C:\x\REMUS_BACKUP.exe -q"})));
//! assert!(!filter.is_match(&json!({"process.command_line": "remus.exe"})));
//! # Ok::<(), iocmatch::filter::FilterError>(())
//! ```
//!
//! # Syntax
//!
//! | form | meaning |
//! |---|---|
//! | `field:value` | some value of `field` equals `value` (whole value, case-insensitive by default) |
//! | `field:a*b?c` | `*` is any run of characters (also none), `?` exactly one character |
//! | `field:"a b*"` | quoted: whitespace allowed, `*` and `?` literal |
//! | `field:a\ b\*` | `\` escapes the next character |
//! | `field:(a OR b)` | a group of values for one field: `field:a OR field:b` |
//! | `field:*`, `_exists_:field` | the field is present |
//! | `field:[1 TO 5]`, `{1 TO 5}`, `[1 TO 5}`, `[1 TO *]` | numeric range, `[`/`]` inclusive, `{`/`}` exclusive, `*` open |
//! | `field:>=10`, `>10`, `<=10`, `<10` | numeric comparison |
//! | `field:/regex/` | [`regex`] crate syntax, anchored to the whole value |
//! | `field:10.0.0.0/8`, `field:2001:db8::/32` | the value is an IP address inside the network |
//! | `NOT x`, `!x` | negation |
//! | `a AND b`, `a && b` | conjunction |
//! | `a OR b`, `a \|\| b` | disjunction |
//! | `( … )` | grouping |
//!
//! Keywords are recognized in any letter case. Precedence is `NOT` > `AND` > `OR`, as in
//! Kibana; [`FilterOptions::strict_precedence`] rejects `AND` and `OR` mixed at one level
//! without parentheses instead, for filters that must mean the same in Lucene.
//!
//! # Matching
//!
//! - A clause matches if any value of a multi-valued field matches; `NOT` negates that.
//! - A missing field never matches a positive clause, so `NOT field:x` matches an event
//!   without `field`. A JSON `null` counts as missing.
//! - Case-insensitive matching folds ASCII letters only, following the Sigma convention: an
//!   exclusion that misses because of case keeps an alert alive for nothing. Regexes fold with
//!   the Unicode rules of the `regex` crate. [`FilterOptions::case_sensitive`] turns folding off.
//! - Wildcard patterns and regexes run in time linear in the value length (see the `glob`
//!   module notes for the exact bound).
//! - Ranges compare values that parse as finite numbers (`f64`); others never match.
//! - CIDR values match values that parse as an IP address in the network; an IPv4 network
//!   also contains IPv4-mapped IPv6 addresses.
//!
//! # Deliberate differences from Lucene and Kibana
//!
//! - There is no default field and no implicit operator: `user:root bob` and
//!   `user:root host:a` are errors rather than a search of `bob` in all fields or an implicit
//!   `OR`.
//! - `-field:x` and `+field:x` are errors; write `NOT field:x`.
//! - `/` starts a regex only at the start of a value, and `/`, `=`, `:`, `[`, `{`, `&` and `|`
//!   inside a value are ordinary characters (`url:http://a/b` needs no escapes). As a
//!   consequence `user:(root OR host:x)` tests `user` against `host:x`.
//! - A bare value of the form `address/prefix` is a CIDR network; quote it to match the text.
//! - A keyword or a leading `!` directly after `field:` is an error rather than a literal; quote
//!   it (`field:"NOT"`).
//! - `&&` and `||` are operators only as separate words: `a:1&&b:2` is the single value `1&&b:2`.
//! - Ranges are numeric only; a word or date bound is an error.
//! - Regexes use Rust `regex` syntax, not Lucene's, and `.` matches a newline.
//!
//! # Limits
//!
//! [`MAX_FILTER_LEN`] bytes of text, [`MAX_DEPTH`] levels of parentheses and `NOT`, and
//! [`MAX_REGEX_SIZE`] bytes per compiled regex. Each is checked before any work that could
//! exceed it, and each returns a [`FilterError`].

pub mod ast;
mod display;
mod error;
mod eval;
mod glob;
mod lexer;
mod parser;

use std::fmt;
use std::str::FromStr;

use crate::event::{Event, FieldAliases};

pub use error::{FilterError, FilterErrorKind, Span};

/// Maximum nesting depth: each `(` and each `NOT` or `!` adds one level.
///
/// The parser checks the depth before it recurses, so a filter of 10,000 `(` is an error rather
/// than a stack overflow.
pub const MAX_DEPTH: usize = 64;

/// Maximum length of a filter, in bytes.
pub const MAX_FILTER_LEN: usize = 64 * 1024;

/// Maximum size of one compiled regex, in bytes of the `regex` crate's program (its
/// `size_limit`), also used as the limit of its lazy DFA cache.
pub const MAX_REGEX_SIZE: usize = 1 << 20;

/// Options for [`Filter::parse_with`].
///
/// ```
/// use iocmatch::filter::{Filter, FilterOptions};
/// use serde_json::json;
///
/// let options = FilterOptions::new().case_sensitive(true);
/// let filter = Filter::parse_with("user:Root", options)?;
/// assert!(filter.is_match(&json!({"user": "Root"})));
/// assert!(!filter.is_match(&json!({"user": "root"})));
/// # Ok::<(), iocmatch::filter::FilterError>(())
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct FilterOptions {
    case_sensitive: bool,
    strict_precedence: bool,
}

impl FilterOptions {
    /// Returns the default options: ASCII case-insensitive values, Kibana precedence.
    pub fn new() -> FilterOptions {
        FilterOptions::default()
    }

    /// Sets whether values compare case-sensitively. Field names always do.
    pub fn case_sensitive(mut self, yes: bool) -> FilterOptions {
        self.case_sensitive = yes;
        self
    }

    /// Sets whether `AND` and `OR` mixed at one level without parentheses are rejected.
    ///
    /// ```
    /// use iocmatch::filter::{Filter, FilterErrorKind, FilterOptions};
    ///
    /// let strict = FilterOptions::new().strict_precedence(true);
    /// let error = Filter::parse_with("a:1 OR b:2 AND c:3", strict).unwrap_err();
    /// assert_eq!(error.kind(), FilterErrorKind::MixedPrecedence);
    /// assert!(Filter::parse_with("a:1 OR (b:2 AND c:3)", strict).is_ok());
    /// ```
    pub fn strict_precedence(mut self, yes: bool) -> FilterOptions {
        self.strict_precedence = yes;
        self
    }

    /// Returns `true` when values compare case-sensitively.
    pub fn is_case_sensitive(&self) -> bool {
        self.case_sensitive
    }

    /// Returns `true` when mixing `AND` and `OR` without parentheses is rejected.
    pub fn is_strict_precedence(&self) -> bool {
        self.strict_precedence
    }
}

/// A parsed and compiled exclusion filter.
///
/// `Display` prints the canonical form of the filter (see [`ast`]), which parses back to the
/// same tree; [`text`](Filter::text) returns the text as written.
#[derive(Debug, Clone)]
pub struct Filter {
    text: String,
    ast: ast::Expr,
    options: FilterOptions,
    program: eval::Node,
    fields: Vec<String>,
}

impl Filter {
    /// Parses a filter with the default options.
    ///
    /// ```
    /// use iocmatch::filter::Filter;
    /// use serde_json::json;
    ///
    /// let filter = Filter::parse("user:(root OR bob) AND NOT host:dev-*")?;
    /// assert!(filter.is_match(&json!({"user": "BOB", "host": "prod-1"})));
    /// assert!(!filter.is_match(&json!({"user": "bob", "host": "dev-1"})));
    /// # Ok::<(), iocmatch::filter::FilterError>(())
    /// ```
    ///
    /// # Errors
    ///
    /// Returns a [`FilterError`] for empty or blank text, text longer than [`MAX_FILTER_LEN`],
    /// nesting deeper than [`MAX_DEPTH`], any syntax error, an invalid range, CIDR prefix or
    /// regex, and a regex larger than [`MAX_REGEX_SIZE`].
    pub fn parse(text: &str) -> Result<Filter, FilterError> {
        Filter::parse_with(text, FilterOptions::default())
    }

    /// Parses a filter with the given options.
    ///
    /// ```
    /// use iocmatch::filter::{Filter, FilterOptions};
    /// use serde_json::json;
    ///
    /// let options = FilterOptions::new().case_sensitive(true).strict_precedence(true);
    /// let filter = Filter::parse_with("host:DEV-* AND NOT user:(root OR admin)", options)?;
    /// assert!(filter.is_match(&json!({"host": "DEV-7", "user": "Admin"})));
    /// assert!(!filter.is_match(&json!({"host": "dev-7", "user": "bob"})));
    /// # Ok::<(), iocmatch::filter::FilterError>(())
    /// ```
    ///
    /// # Errors
    ///
    /// As [`Filter::parse`], and [`FilterErrorKind::MixedPrecedence`] under strict precedence.
    pub fn parse_with(text: &str, options: FilterOptions) -> Result<Filter, FilterError> {
        // Step 1: reject input outside the limits before reading it.
        if text.len() > MAX_FILTER_LEN {
            // Keep only the start of the text, so an error about a huge input is not huge too.
            let kept = error::floor_char_boundary(text, text.len().min(MAX_FILTER_LEN + 64));
            return Err(FilterError::new(
                FilterErrorKind::TooLong,
                &text[..kept],
                Span::new(MAX_FILTER_LEN, text.len()),
                format!("{} bytes", text.len()),
                format!("at most {MAX_FILTER_LEN} bytes; split the filter into several scenarios"),
            ));
        }
        if text.trim().is_empty() {
            return Err(FilterError::new(
                FilterErrorKind::Empty,
                text,
                Span::new(0, text.len()),
                if text.is_empty() {
                    "an empty filter"
                } else {
                    "only whitespace"
                },
                "at least one clause such as `field:value`",
            ));
        }

        // Step 2: parse, compiling each regex as it is read so errors point at it.
        let (ast, regexes) = parser::Parser::new(text, options).parse()?;

        // Step 3: compile the tree into matchers, reusing the regexes from step 2.
        let program =
            eval::Node::compile(&ast, options.is_case_sensitive(), &regexes).map_err(|_| {
                // NOTE: every regex of a parsed tree is in the cache, so this is unreachable.
                // It is mapped to an error rather than a panic all the same.
                FilterError::new(
                    FilterErrorKind::InvalidRegex,
                    text,
                    Span::new(0, text.len()),
                    "a regex that failed to compile a second time",
                    "a regex that compiles",
                )
            })?;

        let fields = distinct_fields(&ast);
        Ok(Filter {
            text: text.to_owned(),
            ast,
            options,
            program,
            fields,
        })
    }

    /// Returns `true` when the event matches the filter, that is, when it should be excluded.
    ///
    /// This never fails, and it does not panic unless the event's own methods do. A missing
    /// field, or a value that is not a number or an address, simply does not match the clause
    /// that needs one.
    ///
    /// Field names are looked up exactly as the filter writes them. To let `process.user` reach
    /// `User` or `SubjectUserName`, wrap the event in
    /// [`AliasedEvent`](crate::event::AliasedEvent), as [`Rule`](crate::Rule) does.
    ///
    /// ```
    /// use std::collections::HashMap;
    /// use iocmatch::filter::Filter;
    ///
    /// let filter = Filter::parse("process.user:*dev*")?;
    /// let event = HashMap::from([("process.user", vec!["root", "devops"])]);
    /// assert!(filter.is_match(&event));
    /// # Ok::<(), iocmatch::filter::FilterError>(())
    /// ```
    pub fn is_match<E: Event + ?Sized>(&self, event: &E) -> bool {
        self.program.is_match(event)
    }

    /// Returns the filter text as written.
    ///
    /// ```
    /// use iocmatch::filter::Filter;
    ///
    /// let filter = Filter::parse("user:( root or bob )")?;
    /// assert_eq!(filter.text(), "user:( root or bob )");
    /// assert_eq!(filter.to_string(), "user:root OR user:bob");
    /// # Ok::<(), iocmatch::filter::FilterError>(())
    /// ```
    pub fn text(&self) -> &str {
        &self.text
    }

    /// Returns the syntax tree.
    ///
    /// ```
    /// use iocmatch::filter::Filter;
    /// use iocmatch::filter::ast::{Clause, Expr, Pattern, Value};
    ///
    /// let filter = Filter::parse("NOT user:root")?;
    /// let clause = Expr::Clause(Clause {
    ///     field: "user".to_owned(),
    ///     value: Value::Pattern(Pattern::literal("root")),
    /// });
    /// assert_eq!(filter.ast(), &Expr::Not(Box::new(clause)));
    /// # Ok::<(), iocmatch::filter::FilterError>(())
    /// ```
    pub fn ast(&self) -> &ast::Expr {
        &self.ast
    }

    /// Returns the options the filter was parsed with.
    pub fn options(&self) -> FilterOptions {
        self.options
    }

    /// Returns the distinct field names the filter tests, in order of first appearance.
    ///
    /// ```
    /// use iocmatch::filter::Filter;
    ///
    /// let filter = Filter::parse("user:(a OR b) AND NOT _exists_:host AND user:c")?;
    /// assert_eq!(filter.fields(), ["user", "host"]);
    /// # Ok::<(), iocmatch::filter::FilterError>(())
    /// ```
    pub fn fields(&self) -> &[String] {
        &self.fields
    }

    /// Returns the fields the filter tests that `aliases` neither maps nor uses as an alias, so a
    /// rule author can catch a misspelled field before the rule runs.
    ///
    /// ```
    /// use iocmatch::event::FieldAliases;
    /// use iocmatch::filter::Filter;
    ///
    /// let filter = Filter::parse("process.usr:*admin* OR process.command_line:*remus*")?;
    /// assert_eq!(filter.unknown_fields(&FieldAliases::builtin()), ["process.usr"]);
    /// # Ok::<(), iocmatch::filter::FilterError>(())
    /// ```
    pub fn unknown_fields(&self, aliases: &FieldAliases) -> Vec<&str> {
        self.fields
            .iter()
            .map(String::as_str)
            .filter(|field| !aliases.is_known(field))
            .collect()
    }
}

/// Returns the distinct field names of a tree in order of first appearance.
fn distinct_fields(ast: &ast::Expr) -> Vec<String> {
    let mut seen = std::collections::HashSet::new();
    let mut fields = Vec::new();
    ast.for_each_clause(|clause| {
        if seen.insert(clause.field.as_str()) {
            fields.push(clause.field.clone());
        }
    });
    fields
}

impl fmt::Display for Filter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.ast.fmt(f)
    }
}

impl FromStr for Filter {
    type Err = FilterError;

    fn from_str(text: &str) -> Result<Filter, FilterError> {
        Filter::parse(text)
    }
}
