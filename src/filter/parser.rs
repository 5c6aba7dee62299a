//! Recursive-descent parser from tokens to an [`Expr`].
//!
//! Grammar, lowest precedence first (`ctx` is the field of an enclosing `field:( … )` group, if
//! any):
//!
//! ```text
//! filter  = or END
//! or      = and { OR and }
//! and     = not { AND not }
//! not     = NOT not | primary
//! primary = "(" or ")"
//!         | FIELD value_or_group          (only outside a field group)
//!         | VALUE                         (only inside a field group)
//! value_or_group = "(" or ")" | VALUE     (`_exists_:` takes a field name instead)
//! ```
//!
//! Each `(` and each `NOT` adds one level of nesting, checked against [`MAX_DEPTH`] before the
//! parser recurses, so recursion never goes deeper than that limit.

use crate::filter::ast::{Clause, Expr, Value};
use crate::filter::error::{FilterError, FilterErrorKind, Span};
use crate::filter::eval::RegexCache;
use crate::filter::lexer::{Lexer, Token, TokenKind, describe_text, is_field_name};
use crate::filter::{FilterOptions, MAX_DEPTH};

/// Parser state: the lexer, one token of lookahead and the current nesting depth.
#[derive(Debug)]
pub(crate) struct Parser<'t> {
    text: &'t str,
    lexer: Lexer<'t>,
    peeked: Option<Token>,
    depth: usize,
    strict_precedence: bool,
}

/// The result of parsing one `AND` level: the expression and the span of its first `AND`, if
/// the level had one outside parentheses.
struct AndLevel {
    expr: Expr,
    first_and: Option<Span>,
}

impl<'t> Parser<'t> {
    /// Creates a parser over `text`.
    pub(crate) fn new(text: &'t str, options: FilterOptions) -> Parser<'t> {
        Parser {
            text,
            lexer: Lexer::new(text, options.is_case_sensitive()),
            peeked: None,
            depth: 0,
            strict_precedence: options.is_strict_precedence(),
        }
    }

    /// Parses the whole filter and returns the tree with the regexes compiled on the way.
    ///
    /// # Errors
    ///
    /// Returns the first lexical or grammatical error in reading order.
    pub(crate) fn parse(mut self) -> Result<(Expr, RegexCache), FilterError> {
        let expr = self.parse_or(None)?;
        let token = self.next()?;
        match token.kind {
            TokenKind::End => Ok((expr, self.lexer.into_regexes())),
            _ => Err(self.after_operand_error(&token, None)),
        }
    }

    /// Parses `and { OR and }`.
    ///
    /// On entry the next token starts an operand; on exit it is the first token that is not
    /// `OR` after an operand.
    fn parse_or(&mut self, ctx: Option<&str>) -> Result<Expr, FilterError> {
        let first = self.parse_and(ctx)?;
        let mut first_and = first.first_and;
        let mut operands = vec![first.expr];
        while self.peek()?.kind == TokenKind::Or {
            let or_token = self.next()?;
            if let Some(and_span) = first_and {
                self.check_mixed(or_token.span, "`OR` after", and_span)?;
            }
            let next = self.parse_and(ctx)?;
            if let Some(and_span) = next.first_and {
                self.check_mixed(and_span, "`AND` after", or_token.span)?;
                first_and = first_and.or(Some(and_span));
            }
            operands.push(next.expr);
        }
        Ok(if operands.len() == 1 {
            operands.remove(0)
        } else {
            Expr::Or(operands)
        })
    }

    /// Rejects `AND` and `OR` at one level when strict precedence is on.
    fn check_mixed(&self, span: Span, found: &str, other: Span) -> Result<(), FilterError> {
        if !self.strict_precedence {
            return Ok(());
        }
        let other_text = &self.text[other.range()];
        Err(FilterError::new(
            FilterErrorKind::MixedPrecedence,
            self.text,
            span,
            format!(
                "{found} {} at byte {}",
                describe_text(other_text),
                other.start
            ),
            "parentheses around the `AND` clauses, because strict precedence \
             does not assume that `AND` binds tighter than `OR`",
        ))
    }

    /// Parses `not { AND not }`.
    fn parse_and(&mut self, ctx: Option<&str>) -> Result<AndLevel, FilterError> {
        let mut operands = vec![self.parse_not(ctx)?];
        let mut first_and = None;
        while self.peek()?.kind == TokenKind::And {
            let and_token = self.next()?;
            first_and = first_and.or(Some(and_token.span));
            operands.push(self.parse_not(ctx)?);
        }
        let expr = if operands.len() == 1 {
            operands.remove(0)
        } else {
            Expr::And(operands)
        };
        Ok(AndLevel { expr, first_and })
    }

    /// Parses `NOT not | primary`.
    fn parse_not(&mut self, ctx: Option<&str>) -> Result<Expr, FilterError> {
        if self.peek()?.kind != TokenKind::Not {
            return self.parse_primary(ctx);
        }
        let not_token = self.next()?;
        self.enter(not_token.span)?;
        let inner = self.parse_not(ctx)?;
        self.depth -= 1;
        Ok(Expr::Not(Box::new(inner)))
    }

    /// Parses a parenthesized group, a clause, or (inside a field group) a value.
    ///
    /// On entry the next token starts the primary; on exit it is the token after it.
    fn parse_primary(&mut self, ctx: Option<&str>) -> Result<Expr, FilterError> {
        let token = self.next()?;
        match (token.kind, ctx) {
            (TokenKind::LParen, _) => self.parse_group(token.span, ctx),
            (TokenKind::Field(field), None) => self.parse_field_value(field, token.span),
            (TokenKind::Value(value), Some(field)) => Ok(Expr::Clause(Clause {
                field: field.to_owned(),
                value,
            })),
            (TokenKind::Value(_), None) => Err(FilterError::new(
                FilterErrorKind::MissingField,
                self.text,
                token.span,
                describe_text(&self.text[token.span.range()]),
                "`field:value` because there is no default field",
            )),
            (kind, ctx) => {
                let (error_kind, found) = if kind == TokenKind::End {
                    (FilterErrorKind::UnexpectedEnd, "end of filter".to_owned())
                } else {
                    (
                        FilterErrorKind::UnexpectedToken,
                        describe_text(&self.text[token.span.range()]),
                    )
                };
                let expected = if ctx.is_some() {
                    "a value or `(`"
                } else {
                    "a clause or `(`"
                };
                Err(FilterError::new(
                    error_kind, self.text, token.span, found, expected,
                ))
            }
        }
    }

    /// Parses the inside of `( … )` after the `(` and consumes the `)`.
    fn parse_group(&mut self, opener: Span, ctx: Option<&str>) -> Result<Expr, FilterError> {
        self.enter(opener)?;
        let inner = self.parse_or(ctx)?;
        let token = self.next()?;
        if token.kind != TokenKind::RParen {
            return Err(self.after_operand_error(&token, Some(opener)));
        }
        self.depth -= 1;
        Ok(inner)
    }

    /// Parses what follows `field:`: a value, a `( … )` group of values, or for `_exists_:` a
    /// field name.
    fn parse_field_value(&mut self, field: String, field_span: Span) -> Result<Expr, FilterError> {
        if field == "_exists_" {
            return self.parse_exists(field_span);
        }
        let token = self.next()?;
        match token.kind {
            TokenKind::Value(value) => Ok(Expr::Clause(Clause { field, value })),
            TokenKind::LParen => self.parse_group(token.span, Some(&field)),
            TokenKind::End => Err(FilterError::new(
                FilterErrorKind::MissingValue,
                self.text,
                token.span,
                "end of filter",
                format!("a value after `{field}:`"),
            )),
            _ => Err(FilterError::new(
                FilterErrorKind::MissingValue,
                self.text,
                token.span,
                describe_text(&self.text[token.span.range()]),
                format!(
                    "a value after `{field}:`; quote keywords and a leading `!` \
                     to match them as text"
                ),
            )),
        }
    }

    /// Parses the field name after `_exists_:`.
    fn parse_exists(&mut self, field_span: Span) -> Result<Expr, FilterError> {
        let token = self.next()?;
        let raw = &self.text[token.span.range()];
        let is_bare_name = matches!(
            &token.kind,
            TokenKind::Value(Value::Pattern(pattern))
                if pattern.as_literal().as_deref() == Some(raw)
        );
        if is_bare_name && is_field_name(raw) {
            return Ok(Expr::Clause(Clause {
                field: raw.to_owned(),
                value: Value::Exists,
            }));
        }
        let (kind, found) = match token.kind {
            TokenKind::End => (FilterErrorKind::MissingValue, "end of filter".to_owned()),
            _ => (FilterErrorKind::InvalidFieldName, describe_text(raw)),
        };
        let span = if token.kind == TokenKind::End {
            field_span
        } else {
            token.span
        };
        Err(FilterError::new(
            kind,
            self.text,
            span,
            found,
            "a field name after `_exists_:`, as in `_exists_:process.user`",
        ))
    }

    /// Builds the error for a token that cannot follow a complete operand: `opener` is the `(`
    /// of the enclosing group, if any.
    fn after_operand_error(&self, token: &Token, opener: Option<Span>) -> FilterError {
        let found = describe_text(&self.text[token.span.range()]);
        let expected = if opener.is_some() {
            "`AND`, `OR` or `)`"
        } else {
            "`AND`, `OR` or the end"
        };
        let error = match &token.kind {
            TokenKind::End => {
                let Some(opener) = opener else {
                    // NOTE: parse_or only returns on a token that is not an operator, and the
                    // top level accepts End, so this arm is reached only inside a group.
                    return FilterError::new(
                        FilterErrorKind::UnexpectedEnd,
                        self.text,
                        token.span,
                        "end of filter",
                        expected,
                    );
                };
                return FilterError::new(
                    FilterErrorKind::UnclosedGroup,
                    self.text,
                    token.span,
                    "end of filter",
                    "`)` to close the group",
                )
                .with_opener(opener);
            }
            TokenKind::RParen => FilterError::new(
                FilterErrorKind::UnmatchedParen,
                self.text,
                token.span,
                found,
                "`AND`, `OR` or the end, because no `(` is open",
            ),
            TokenKind::Value(_) if opener.is_none() => FilterError::new(
                FilterErrorKind::MissingField,
                self.text,
                token.span,
                found,
                "`field:value` because there is no default field",
            ),
            TokenKind::LParen => FilterError::new(
                FilterErrorKind::MissingOperator,
                self.text,
                token.span,
                found,
                format!(
                    "{expected}; there is no implicit operator, \
                     and parentheses inside a value must be escaped as `\\(` and `\\)`"
                ),
            ),
            TokenKind::Not => FilterError::new(
                FilterErrorKind::MissingOperator,
                self.text,
                token.span,
                found,
                format!(
                    "{expected}; `NOT` negates but does not join, so write `AND NOT` or `OR NOT`"
                ),
            ),
            _ => FilterError::new(
                FilterErrorKind::MissingOperator,
                self.text,
                token.span,
                found,
                format!("{expected}; there is no implicit operator between clauses or values"),
            ),
        };
        match opener {
            Some(opener) if token.kind != TokenKind::RParen => error.with_opener(opener),
            _ => error,
        }
    }

    /// Enters one level of nesting at `span`, failing past [`MAX_DEPTH`].
    fn enter(&mut self, span: Span) -> Result<(), FilterError> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(FilterError::new(
                FilterErrorKind::TooDeep,
                self.text,
                span,
                format!("nesting level {}", self.depth),
                format!("at most {MAX_DEPTH} levels of parentheses and `NOT`"),
            ));
        }
        Ok(())
    }

    fn peek(&mut self) -> Result<&Token, FilterError> {
        let token = match self.peeked.take() {
            Some(token) => token,
            None => self.lexer.next_token()?,
        };
        Ok(self.peeked.insert(token))
    }

    fn next(&mut self) -> Result<Token, FilterError> {
        match self.peeked.take() {
            Some(token) => Ok(token),
            None => self.lexer.next_token(),
        }
    }
}
