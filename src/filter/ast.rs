//! The syntax tree of a parsed filter.
//!
//! The parser builds these types and [`Display`](std::fmt::Display) prints them back in a
//! canonical form, so `parse(display(ast)) == ast` holds for every tree the parser can produce.
//! A tree built by hand (or by the `arbitrary` feature) may have no text form, for example an
//! `And` with one child or a field name with a space. [`Expr::is_representable`] returns whether
//! a tree prints and parses back unchanged.
//!
//! Field groups (`user:(root OR bob)`) are expanded while parsing into one clause per value
//! (`user:root OR user:bob`), so the tree has a single shape for both spellings.

use std::net::IpAddr;

use crate::filter::MAX_DEPTH;
use crate::filter::lexer::is_field_name;

/// A boolean expression over clauses.
///
/// `And` and `Or` are n-ary: `a AND b AND c` parses to one `And` with three children, while
/// parentheses create a nested node (`(a AND b) AND c` has an `And` inside an `And`).
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
pub enum Expr {
    /// A test of one field, such as `user:root`.
    Clause(Clause),
    /// `NOT expr` or `!expr`.
    Not(Box<Expr>),
    /// `a AND b AND …` (also `&&`), with at least two children.
    And(Vec<Expr>),
    /// `a OR b OR …` (also `||`), with at least two children.
    Or(Vec<Expr>),
}

/// A field and the test applied to its values.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
pub struct Clause {
    /// The dotted field name, such as `process.command_line`.
    pub field: String,
    /// The test applied to each value of the field.
    pub value: Value,
}

/// The test in a clause.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
pub enum Value {
    /// `field:*` or `_exists_:field`: the field is present.
    Exists,
    /// A whole-value match, exact or with `*` and `?` wildcards.
    Pattern(Pattern),
    /// `/regex/`, anchored to the whole value. The string is the regex source between the
    /// slashes, exactly as written (an escaped slash stays `\/`).
    Regex(String),
    /// `[a TO b]`, `{a TO b}`, `>=a` and the like, on values that parse as numbers.
    Range(Range),
    /// `10.0.0.0/8` or `2001:db8::/32`, on values that parse as IP addresses.
    Cidr(Cidr),
}

/// A wildcard pattern: a sequence of literal text, `*` and `?`.
///
/// Use [`Pattern::new`] to build one from pieces in canonical form: adjacent literals merged,
/// empty literals dropped and runs of `*` collapsed to one. An empty pattern matches only the
/// empty value (`field:""`).
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
pub struct Pattern {
    /// The pieces in order.
    pub pieces: Vec<Piece>,
}

/// One piece of a [`Pattern`].
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
pub enum Piece {
    /// Literal text (wildcard characters inside it are not special).
    Literal(String),
    /// `*`: any run of characters, including none.
    AnyRun,
    /// `?`: exactly one character.
    AnyChar,
}

/// A numeric range. Either bound may be open.
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
pub struct Range {
    /// The lower bound.
    pub lower: Bound,
    /// The upper bound.
    pub upper: Bound,
}

/// One end of a [`Range`].
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
pub enum Bound {
    /// No limit on this side (`*` in the bracket form).
    Unbounded,
    /// The value may equal the bound (`[` or `]`, `>=`, `<=`).
    Included(f64),
    /// The value must differ from the bound (`{` or `}`, `>`, `<`).
    Excluded(f64),
}

/// An IP network in CIDR notation.
///
/// The address is kept as written, so `10.1.2.3/8` stays distinct from `10.0.0.0/8` in the tree;
/// matching ignores the host bits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
pub struct Cidr {
    /// The network address as written.
    pub addr: IpAddr,
    /// The prefix length in bits: at most 32 for IPv4 and 128 for IPv6.
    pub prefix_len: u8,
}

impl Expr {
    /// Returns the nesting depth: the largest number of `Not`, `And` and `Or` nodes on one path
    /// from the root to a clause. A lone clause has depth 0.
    ///
    /// ```
    /// use iocmatch::filter::Filter;
    ///
    /// let filter = Filter::parse("NOT (a:1 OR b:2)").unwrap();
    /// assert_eq!(filter.ast().depth(), 2);
    /// ```
    pub fn depth(&self) -> usize {
        // Iterative walk, so a hand-built tree of any depth cannot overflow the stack here.
        let mut max = 0;
        let mut stack = vec![(self, 0usize)];
        while let Some((expr, depth)) = stack.pop() {
            match expr {
                Expr::Clause(_) => max = max.max(depth),
                Expr::Not(inner) => stack.push((inner, depth + 1)),
                Expr::And(children) | Expr::Or(children) => {
                    max = max.max(depth + 1);
                    stack.extend(children.iter().map(|child| (child, depth + 1)));
                }
            }
        }
        max
    }

    /// Returns `true` when displaying this tree gives text that parses back to an equal tree.
    ///
    /// A tree is representable when every `And` and `Or` has at least two children, the depth is
    /// at most [`MAX_DEPTH`], every field name is valid and is not `_exists_`, and every value is
    /// representable: patterns in canonical form other than a lone `*` (which is
    /// [`Value::Exists`]), regexes that escape their slashes and compile, ranges with finite
    /// bounds and the lower bound not above the upper, and CIDR prefixes within the address
    /// size. Every tree the parser returns is representable. The printed text may still exceed
    /// [`MAX_FILTER_LEN`](crate::filter::MAX_FILTER_LEN).
    ///
    /// ```
    /// use iocmatch::filter::ast::{Clause, Expr, Pattern, Value};
    ///
    /// let clause = Expr::Clause(Clause {
    ///     field: "user".to_owned(),
    ///     value: Value::Pattern(Pattern::literal("root")),
    /// });
    /// assert!(clause.is_representable());
    /// assert!(!Expr::And(vec![clause]).is_representable());
    /// ```
    pub fn is_representable(&self) -> bool {
        if self.depth() > MAX_DEPTH {
            return false;
        }
        let mut stack = vec![self];
        while let Some(expr) = stack.pop() {
            match expr {
                Expr::Clause(clause) => {
                    if !clause.is_representable() {
                        return false;
                    }
                }
                Expr::Not(inner) => stack.push(inner),
                Expr::And(children) | Expr::Or(children) => {
                    if children.len() < 2 {
                        return false;
                    }
                    stack.extend(children.iter());
                }
            }
        }
        true
    }

    /// Calls `visit` with every clause, left to right.
    ///
    /// ```
    /// use iocmatch::filter::Filter;
    ///
    /// let filter = Filter::parse("a:1 OR (b:2 AND NOT c:*)")?;
    /// let mut fields = Vec::new();
    /// filter.ast().for_each_clause(|clause| fields.push(clause.field.clone()));
    /// assert_eq!(fields, ["a", "b", "c"]);
    /// # Ok::<(), iocmatch::filter::FilterError>(())
    /// ```
    pub fn for_each_clause<'a>(&'a self, mut visit: impl FnMut(&'a Clause)) {
        let mut stack = vec![self];
        while let Some(expr) = stack.pop() {
            match expr {
                Expr::Clause(clause) => visit(clause),
                Expr::Not(inner) => stack.push(inner),
                Expr::And(children) | Expr::Or(children) => stack.extend(children.iter().rev()),
            }
        }
    }
}

impl Clause {
    /// Returns `true` when the field name and value print and parse back unchanged.
    fn is_representable(&self) -> bool {
        is_field_name(&self.field) && self.field != "_exists_" && self.value.is_representable()
    }
}

impl Value {
    /// Returns `true` when the value prints and parses back unchanged.
    fn is_representable(&self) -> bool {
        match self {
            Value::Exists => true,
            Value::Pattern(pattern) => pattern.is_canonical() && pattern.pieces != [Piece::AnyRun],
            Value::Regex(source) => {
                is_regex_source_delimitable(source)
                    && crate::filter::eval::compile_regex(source, false).is_ok()
            }
            Value::Range(range) => range.is_valid(),
            Value::Cidr(cidr) => cidr.is_valid(),
        }
    }
}

/// Returns `true` when `source` can sit between two slashes: every `/` is escaped and the source
/// does not end inside an escape.
fn is_regex_source_delimitable(source: &str) -> bool {
    let mut chars = source.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' if chars.next().is_none() => return false,
            '/' => return false,
            _ => {}
        }
    }
    true
}

impl Pattern {
    /// Builds a pattern in canonical form from pieces in any form.
    ///
    /// ```
    /// use iocmatch::filter::ast::{Pattern, Piece};
    ///
    /// let pattern = Pattern::new(vec![
    ///     Piece::AnyRun,
    ///     Piece::AnyRun,
    ///     Piece::Literal("ab".into()),
    ///     Piece::Literal(String::new()),
    ///     Piece::Literal("c".into()),
    /// ]);
    /// assert_eq!(pattern.pieces, vec![Piece::AnyRun, Piece::Literal("abc".into())]);
    /// ```
    pub fn new(pieces: impl IntoIterator<Item = Piece>) -> Pattern {
        let mut canonical: Vec<Piece> = Vec::new();
        for piece in pieces {
            match (canonical.last_mut(), piece) {
                (_, Piece::Literal(text)) if text.is_empty() => {}
                (Some(Piece::Literal(last)), Piece::Literal(text)) => last.push_str(&text),
                (Some(Piece::AnyRun), Piece::AnyRun) => {}
                (_, piece) => canonical.push(piece),
            }
        }
        Pattern { pieces: canonical }
    }

    /// Builds a pattern that matches exactly `text`, with no wildcards.
    pub fn literal(text: &str) -> Pattern {
        Pattern::new([Piece::Literal(text.to_owned())])
    }

    /// Returns `true` when the pattern contains `*` or `?`.
    pub fn has_wildcards(&self) -> bool {
        self.pieces
            .iter()
            .any(|piece| !matches!(piece, Piece::Literal(_)))
    }

    /// Returns `true` when [`Pattern::new`] would leave the pieces unchanged.
    pub fn is_canonical(&self) -> bool {
        let no_empty = self
            .pieces
            .iter()
            .all(|piece| !matches!(piece, Piece::Literal(t) if t.is_empty()));
        let no_adjacent = self.pieces.windows(2).all(|pair| {
            !matches!(
                pair,
                [Piece::Literal(_), Piece::Literal(_)] | [Piece::AnyRun, Piece::AnyRun]
            )
        });
        no_empty && no_adjacent
    }

    /// Returns the text of a pattern without wildcards, or `None` if it has any.
    ///
    /// ```
    /// use iocmatch::filter::ast::{Pattern, Piece};
    ///
    /// assert_eq!(Pattern::literal("a*b").as_literal().as_deref(), Some("a*b"));
    /// let wildcard = Pattern::new([Piece::Literal("a".into()), Piece::AnyRun]);
    /// assert!(wildcard.has_wildcards());
    /// assert_eq!(wildcard.as_literal(), None);
    /// ```
    pub fn as_literal(&self) -> Option<String> {
        let mut text = String::new();
        for piece in &self.pieces {
            match piece {
                Piece::Literal(literal) => text.push_str(literal),
                Piece::AnyRun | Piece::AnyChar => return None,
            }
        }
        Some(text)
    }
}

impl Range {
    /// Returns `true` when both bounds are finite or open and the range is not reversed.
    ///
    /// A range whose bounds are equal but exclusive (`{5 TO 5}`) is valid and matches nothing.
    pub fn is_valid(&self) -> bool {
        let lower = self.lower.value();
        let upper = self.upper.value();
        let finite = lower.is_none_or(f64::is_finite) && upper.is_none_or(f64::is_finite);
        let ordered = match (lower, upper) {
            (Some(lower), Some(upper)) => lower <= upper,
            _ => true,
        };
        finite && ordered
    }

    /// Returns `true` when `number` lies inside the range.
    ///
    /// ```
    /// use iocmatch::filter::ast::{Bound, Range};
    ///
    /// let range = Range { lower: Bound::Included(1.0), upper: Bound::Excluded(5.0) };
    /// assert!(range.is_valid());
    /// assert!(range.contains(1.0));
    /// assert!(!range.contains(5.0));
    /// assert_eq!(range.upper.value(), Some(5.0));
    /// ```
    pub fn contains(&self, number: f64) -> bool {
        let above_lower = match self.lower {
            Bound::Unbounded => true,
            Bound::Included(bound) => number >= bound,
            Bound::Excluded(bound) => number > bound,
        };
        let below_upper = match self.upper {
            Bound::Unbounded => true,
            Bound::Included(bound) => number <= bound,
            Bound::Excluded(bound) => number < bound,
        };
        above_lower && below_upper
    }
}

impl Bound {
    /// Returns the bound's number, or `None` when unbounded.
    pub fn value(&self) -> Option<f64> {
        match *self {
            Bound::Unbounded => None,
            Bound::Included(value) | Bound::Excluded(value) => Some(value),
        }
    }
}

impl Cidr {
    /// Returns `true` when the prefix length fits the address family.
    pub fn is_valid(&self) -> bool {
        let max = if self.addr.is_ipv4() { 32 } else { 128 };
        self.prefix_len <= max
    }

    /// Returns `true` when `addr` is inside the network.
    ///
    /// An IPv4 network also contains the IPv4-mapped IPv6 form of its addresses
    /// (`::ffff:10.1.2.3` is inside `10.0.0.0/8`), because DNS logs often print them that way.
    ///
    /// ```
    /// use iocmatch::filter::ast::Cidr;
    ///
    /// let network = Cidr { addr: "10.0.0.0".parse().unwrap(), prefix_len: 8 };
    /// assert!(network.contains("10.200.1.1".parse().unwrap()));
    /// assert!(network.contains("::ffff:10.1.2.3".parse().unwrap()));
    /// assert!(!network.contains("11.0.0.1".parse().unwrap()));
    /// ```
    pub fn contains(&self, addr: IpAddr) -> bool {
        match (self.addr, addr) {
            (IpAddr::V4(network), IpAddr::V4(addr)) => prefix_equal(
                network.to_bits().into(),
                addr.to_bits().into(),
                32,
                self.prefix_len,
            ),
            (IpAddr::V4(network), IpAddr::V6(addr)) => match addr.to_ipv4_mapped() {
                Some(addr) => prefix_equal(
                    network.to_bits().into(),
                    addr.to_bits().into(),
                    32,
                    self.prefix_len,
                ),
                None => false,
            },
            (IpAddr::V6(network), IpAddr::V6(addr)) => {
                prefix_equal(network.to_bits(), addr.to_bits(), 128, self.prefix_len)
            }
            (IpAddr::V6(_), IpAddr::V4(_)) => false,
        }
    }
}

/// Compares the top `prefix_len` bits of two addresses that are `width` bits wide.
fn prefix_equal(network: u128, addr: u128, width: u32, prefix_len: u8) -> bool {
    let prefix_len = u32::from(prefix_len).min(width);
    if prefix_len == 0 {
        return true;
    }
    let shift = width - prefix_len;
    (network >> shift) == (addr >> shift)
}
