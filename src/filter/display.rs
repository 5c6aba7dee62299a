//! Canonical text form of the syntax tree.
//!
//! The printed form parses back to an equal tree (see [`Expr::is_representable`] for the trees
//! that have a text form). Choices that make the form canonical:
//!
//! - Keywords print in upper case: `AND`, `OR`, `NOT`.
//! - A child `And` or `Or` always prints inside parentheses, even where precedence would allow
//!   leaving them out, so the text also parses under strict precedence.
//! - A pattern without wildcards prints bare when it can and in double quotes otherwise (empty,
//!   whitespace, a keyword, a leading `/`, or text that would read as a CIDR network).
//! - A pattern with wildcards prints bare with `\` before each special character.
//! - A half-open range prints as a comparison (`>=10`), other ranges as `[a TO b]` with `[`/`{`
//!   and `]`/`}` as the bounds require.
//! - Existence prints as `field:*`.

use std::fmt::{self, Display, Formatter, Write};
use std::net::IpAddr;

use crate::filter::ast::{Bound, Cidr, Clause, Expr, Pattern, Piece, Range, Value};
use crate::filter::lexer::is_keyword;

impl Display for Expr {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        match self {
            Expr::Clause(clause) => clause.fmt(f),
            Expr::Not(inner) => {
                f.write_str("NOT ")?;
                write_operand(f, inner)
            }
            Expr::And(children) => write_joined(f, children, " AND "),
            Expr::Or(children) => write_joined(f, children, " OR "),
        }
    }
}

/// Writes the children separated by `separator`, each wrapped as an operand.
fn write_joined(f: &mut Formatter<'_>, children: &[Expr], separator: &str) -> fmt::Result {
    for (index, child) in children.iter().enumerate() {
        if index > 0 {
            f.write_str(separator)?;
        }
        write_operand(f, child)?;
    }
    Ok(())
}

/// Writes an operand of `NOT`, `AND` or `OR`, in parentheses when it is itself `AND` or `OR`.
fn write_operand(f: &mut Formatter<'_>, expr: &Expr) -> fmt::Result {
    match expr {
        Expr::And(_) | Expr::Or(_) => write!(f, "({expr})"),
        Expr::Clause(_) | Expr::Not(_) => expr.fmt(f),
    }
}

impl Display for Clause {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.field, self.value)
    }
}

impl Display for Value {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        match self {
            Value::Exists => f.write_str("*"),
            Value::Pattern(pattern) => pattern.fmt(f),
            Value::Regex(source) => write!(f, "/{source}/"),
            Value::Range(range) => range.fmt(f),
            Value::Cidr(cidr) => cidr.fmt(f),
        }
    }
}

impl Display for Pattern {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        match self.as_literal() {
            Some(text) if needs_quotes(&text) => write_quoted(f, &text),
            Some(text) => f.write_str(&text),
            None => write_escaped_pattern(f, &self.pieces),
        }
    }
}

/// Returns `true` when a literal would not read back as the same literal without quotes.
fn needs_quotes(text: &str) -> bool {
    let Some(first) = text.chars().next() else {
        return true;
    };
    is_keyword(text)
        || starts_special(first)
        || text.chars().any(is_special_anywhere)
        || looks_like_cidr(text)
}

/// Characters that need an escape anywhere in a bare value.
fn is_special_anywhere(c: char) -> bool {
    c.is_whitespace() || matches!(c, '(' | ')' | '"' | '\\' | '*' | '?')
}

/// Characters that change how a bare value is read when they come first: a regex, a range, a
/// comparison or `NOT`.
fn starts_special(c: char) -> bool {
    matches!(c, '/' | '[' | '{' | '<' | '>' | '!')
}

/// Returns `true` when bare `text` would be read as a CIDR network (or rejected as one).
fn looks_like_cidr(text: &str) -> bool {
    match text.rsplit_once('/') {
        Some((addr, prefix)) => {
            addr.parse::<IpAddr>().is_ok()
                && !prefix.is_empty()
                && prefix.bytes().all(|b| b.is_ascii_digit())
        }
        None => false,
    }
}

/// Writes `"text"` with `"` and `\` escaped.
fn write_quoted(f: &mut Formatter<'_>, text: &str) -> fmt::Result {
    f.write_char('"')?;
    for c in text.chars() {
        if c == '"' || c == '\\' {
            f.write_char('\\')?;
        }
        f.write_char(c)?;
    }
    f.write_char('"')
}

/// Writes a wildcard pattern bare, escaping special characters in its literals.
fn write_escaped_pattern(f: &mut Formatter<'_>, pieces: &[Piece]) -> fmt::Result {
    let mut first = true;
    for piece in pieces {
        match piece {
            Piece::AnyRun => f.write_char('*')?,
            Piece::AnyChar => f.write_char('?')?,
            Piece::Literal(text) => {
                for c in text.chars() {
                    if is_special_anywhere(c) || (first && starts_special(c)) {
                        f.write_char('\\')?;
                    }
                    f.write_char(c)?;
                    first = false;
                }
            }
        }
        first = false;
    }
    Ok(())
}

impl Display for Range {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        match (self.lower, self.upper) {
            (Bound::Included(lower), Bound::Unbounded) => write!(f, ">={lower}"),
            (Bound::Excluded(lower), Bound::Unbounded) => write!(f, ">{lower}"),
            (Bound::Unbounded, Bound::Included(upper)) => write!(f, "<={upper}"),
            (Bound::Unbounded, Bound::Excluded(upper)) => write!(f, "<{upper}"),
            (lower, upper) => {
                let open = if matches!(lower, Bound::Excluded(_)) {
                    '{'
                } else {
                    '['
                };
                let close = if matches!(upper, Bound::Excluded(_)) {
                    '}'
                } else {
                    ']'
                };
                f.write_char(open)?;
                write_bound(f, lower)?;
                f.write_str(" TO ")?;
                write_bound(f, upper)?;
                f.write_char(close)
            }
        }
    }
}

/// Writes a bound's number, or `*` when unbounded.
fn write_bound(f: &mut Formatter<'_>, bound: Bound) -> fmt::Result {
    match bound.value() {
        Some(value) => write!(f, "{value}"),
        None => f.write_char('*'),
    }
}

impl Display for Cidr {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.addr, self.prefix_len)
    }
}
