//! The page's KQL query: `//` comments, `let NAME = dynamic([...]);` lists, the table name and
//! the `|` stages, of which exactly one is `where FIELD OPERATOR (LIST)`.

use crate::feed::rule_page::{LetList, Parser, SCENARIO, WhereClause, has_label, text_line};
use crate::feed::{FeedError, FeedErrorKind};

/// The form of a `let` statement that rule pages use, for error messages.
const LET_FORM: &str = "'let NAME = dynamic([\"value\", ...]);'";

/// The stages that do not change which rows match, so the importer keeps them as text.
const KEPT_STAGES: [&str; 8] = [
    "project",
    "project-away",
    "project-keep",
    "project-rename",
    "project-reorder",
    "extend",
    "take",
    "limit",
];

/// Returns whether a line starts the query: a `//` comment or a `let` statement.
pub(super) fn is_query_start(line: &str) -> bool {
    line.starts_with("//") || starts_with_word(line, "let")
}

impl Parser<'_> {
    /// Reads the query up to the connector table, the scenarios, or a line that cannot continue
    /// a complete query.
    pub(super) fn query(&mut self) -> Result<(), FeedError> {
        while let Some((number, line)) = self.peek() {
            let trimmed = line.trim();
            if self.is_table_start(self.at) || has_label(trimmed, SCENARIO) {
                break;
            }
            if let Some(comment) = trimmed.strip_prefix("//") {
                self.comments.push(text_line(number, comment));
                self.at += 1;
                continue;
            }
            if starts_with_word(trimmed, "let") {
                if self.table.is_some() {
                    let kind = FeedErrorKind::UnexpectedLine {
                        expected: "'let' statements before the table name",
                    };
                    return Err(self.fail(number, line, kind));
                }
                self.let_statement()?;
                continue;
            }

            let segments = split_pipes(trimmed);
            let (first, stages) = segments
                .split_first()
                .expect("split_pipes returns at least one segment");
            if self.table.is_none() {
                if !is_identifier(first.trim()) {
                    let expected = if self.comments.is_empty() && self.lets.is_empty() {
                        "the IOC table or the KQL query (a '//' comment, a 'let' statement or \
                         the table name)"
                    } else {
                        "the table name alone on a line, after the 'let' statements"
                    };
                    let kind = FeedErrorKind::UnexpectedLine { expected };
                    return Err(self.fail(number, line, kind));
                }
                self.table = Some(text_line(number, first));
            } else if !first.trim().is_empty() {
                if self.where_clause.is_some() {
                    break;
                }
                let kind = FeedErrorKind::UnexpectedLine {
                    expected: "a '| where FIELD OPERATOR (LIST)' stage",
                };
                return Err(self.fail(number, line, kind));
            }
            for stage in stages {
                self.stage(number, line, stage)?;
            }
            self.at += 1;
        }
        Ok(())
    }

    /// Reads one `|` stage of the query.
    fn stage(&mut self, number: usize, line: &str, stage: &str) -> Result<(), FeedError> {
        let stage = stage.trim();
        let mut words = stage.split_whitespace();
        let keyword = words.next().unwrap_or_default().to_ascii_lowercase();
        let is_kept = KEPT_STAGES.contains(&keyword.as_str())
            || matches!(keyword.as_str(), "order" | "sort")
                && words
                    .next()
                    .is_some_and(|word| word.eq_ignore_ascii_case("by"));
        if is_kept {
            self.stages.push(text_line(number, stage));
            return Ok(());
        }
        if keyword != "where" {
            let kind = FeedErrorKind::UnexpectedLine {
                expected: "a 'where', 'project', 'extend', 'order by', 'sort by', 'take' or \
                           'limit' stage after '|'",
            };
            return Err(self.fail(number, line, kind));
        }

        let Some(clause) = parse_where(number, stage) else {
            let kind = FeedErrorKind::UnexpectedLine {
                expected: "'where FIELD OPERATOR (LIST)' naming one 'let' list, because other \
                           where clauses would change what the rule matches",
            };
            return Err(self.fail(number, line, kind));
        };
        if self.where_clause.is_some() {
            let kind = FeedErrorKind::Duplicate {
                what: "where clause",
            };
            return Err(self.fail(number, line, kind));
        }
        if !self.lets.iter().any(|list| list.name == clause.list) {
            let location = Some(crate::error::Location::Line(number));
            return Err(FeedError::new(
                crate::feed::Format::RulePage,
                location,
                &clause.list,
                FeedErrorKind::UnknownList,
            ));
        }
        self.where_clause = Some(clause);
        Ok(())
    }

    /// Reads a `let NAME = dynamic([...]);` statement that starts at the current line and may
    /// span several, leaving the cursor on the line after its `;`.
    fn let_statement(&mut self) -> Result<(), FeedError> {
        let start = self.at;
        let (let_number, let_line) = self.lines[start];
        let mut scanner = Scanner {
            lines: &self.lines,
            row: start,
            column: let_line.len() - let_line.trim_start().len() + "let".len(),
        };
        let outcome = scanner.let_body();
        let (name, values) = match outcome {
            Ok(parsed) => parsed,
            Err(ScanError::EndOfInput) => {
                return Err(self.fail(let_number, let_line, FeedErrorKind::UnclosedLet));
            }
            Err(ScanError::Unexpected { row, expected }) => {
                let (number, line) = self.lines[row];
                return Err(self.fail(number, line, FeedErrorKind::UnexpectedLine { expected }));
            }
        };
        if self.lets.iter().any(|list| list.name == name) {
            let kind = FeedErrorKind::Duplicate { what: "let list" };
            return Err(self.fail(let_number, let_line, kind));
        }

        // Only a comment may follow the `;` on its line.
        let (end_number, end_line) = self.lines[scanner.row];
        let rest = end_line[scanner.column..].trim();
        if let Some(comment) = rest.strip_prefix("//") {
            self.comments.push(text_line(end_number, comment));
        } else if !rest.is_empty() {
            let kind = FeedErrorKind::UnexpectedLine {
                expected: "nothing but a '//' comment after the ';' of a let statement",
            };
            return Err(self.fail(end_number, end_line, kind));
        }

        self.lets.push(LetList {
            name,
            line: let_number,
            end_line: end_number,
            values,
        });
        self.at = scanner.row + 1;
        Ok(())
    }
}

/// The reason the `let` scanner stopped.
enum ScanError {
    /// The page ended inside the statement.
    EndOfInput,
    /// The character at `row` does not fit the statement.
    Unexpected { row: usize, expected: &'static str },
}

/// A cursor over the page's lines for statements that span lines.
struct Scanner<'l, 'a> {
    lines: &'l [(usize, &'a str)],
    /// Index in `lines` of the current line.
    row: usize,
    /// Byte offset in the current line.
    column: usize,
}

impl<'a> Scanner<'_, 'a> {
    /// Reads ` NAME = dynamic([...]);` after `let`, stopping just after the `;`.
    fn let_body(&mut self) -> Result<(String, Vec<String>), ScanError> {
        self.skip_space()?;
        let name = self
            .identifier()
            .ok_or(self.unexpected("a list name after 'let'"))?;
        self.skip_space()?;
        self.expect('=', LET_FORM)?;
        self.skip_space()?;
        if self.identifier().as_deref() != Some("dynamic") {
            return Err(self.unexpected(LET_FORM));
        }
        self.skip_space()?;
        self.expect('(', LET_FORM)?;
        self.skip_space()?;
        self.expect('[', LET_FORM)?;

        let mut values = Vec::new();
        self.skip_space()?;
        if self.peek() == Some(']') {
            self.column += 1;
        } else {
            loop {
                self.skip_space()?;
                values.push(self.string_literal()?);
                self.skip_space()?;
                match self.peek() {
                    Some(',') => self.column += 1,
                    Some(']') => {
                        self.column += 1;
                        break;
                    }
                    _ => return Err(self.unexpected("',' or ']' after a list value")),
                }
            }
        }

        self.skip_space()?;
        self.expect(')', "')' after the list's ']'")?;
        self.skip_space()?;
        self.expect(';', "';' to end the let statement")?;
        Ok((name, values))
    }

    /// Returns the current line; its lifetime is the page's, so the cursor can move while the
    /// line is read.
    fn line(&self) -> &'a str {
        self.lines[self.row].1
    }

    /// Returns the character at the cursor, or `None` at the end of the line.
    fn peek(&self) -> Option<char> {
        self.line()[self.column..].chars().next()
    }

    fn unexpected(&self, expected: &'static str) -> ScanError {
        ScanError::Unexpected {
            row: self.row,
            expected,
        }
    }

    fn expect(&mut self, wanted: char, expected: &'static str) -> Result<(), ScanError> {
        if self.peek() != Some(wanted) {
            return Err(self.unexpected(expected));
        }
        self.column += wanted.len_utf8();
        Ok(())
    }

    /// Skips white space, line ends and `//` comments; fails at the end of the page.
    fn skip_space(&mut self) -> Result<(), ScanError> {
        loop {
            let rest = &self.line()[self.column..];
            let trimmed = rest.trim_start();
            self.column += rest.len() - trimmed.len();
            if !trimmed.is_empty() && !trimmed.starts_with("//") {
                return Ok(());
            }
            if self.row + 1 >= self.lines.len() {
                return Err(ScanError::EndOfInput);
            }
            self.row += 1;
            self.column = 0;
        }
    }

    fn identifier(&mut self) -> Option<String> {
        let rest = &self.line()[self.column..];
        let len = identifier_len(rest);
        if len == 0 {
            return None;
        }
        self.column += len;
        Some(rest[..len].to_owned())
    }

    /// Reads a Kusto string literal: `"…"` or `'…'` with backslash escapes, or a verbatim
    /// `@"…"` or `@'…'` where a doubled quote stands for one.
    fn string_literal(&mut self) -> Result<String, ScanError> {
        let verbatim = self.peek() == Some('@');
        if verbatim {
            self.column += 1;
        }
        let quote = match self.peek() {
            Some(quote @ ('"' | '\'')) => quote,
            _ => return Err(self.unexpected("a string literal in '\"' or '\\''")),
        };
        self.column += 1;

        let unterminated = "the string's closing quote on the same line";
        let mut value = String::new();
        let mut chars = self.line()[self.column..].char_indices();
        while let Some((offset, c)) = chars.next() {
            if c == quote {
                if verbatim && self.line()[self.column + offset + 1..].starts_with(quote) {
                    chars.next();
                    value.push(quote);
                    continue;
                }
                self.column += offset + 1;
                return Ok(value);
            }
            if c != '\\' || verbatim {
                value.push(c);
                continue;
            }
            let escaped = match chars.next() {
                Some((_, '\\')) => '\\',
                Some((_, '"')) => '"',
                Some((_, '\'')) => '\'',
                Some((_, 'n')) => '\n',
                Some((_, 'r')) => '\r',
                Some((_, 't')) => '\t',
                Some((_, 'u')) => {
                    let hex: String = chars.by_ref().take(4).map(|(_, h)| h).collect();
                    u32::from_str_radix(&hex, 16)
                        .ok()
                        .filter(|_| hex.len() == 4)
                        .and_then(char::from_u32)
                        .ok_or(self.unexpected("four hexadecimal digits after '\\u'"))?
                }
                Some(_) => {
                    return Err(self
                        .unexpected("a known escape (\\\\, \\\", \\', \\n, \\r, \\t or \\uXXXX)"));
                }
                None => return Err(self.unexpected(unterminated)),
            };
            value.push(escaped);
        }
        Err(self.unexpected(unterminated))
    }
}

/// Parses `where FIELD OPERATOR (LIST)`; the parentheses are optional.
fn parse_where(number: usize, stage: &str) -> Option<WhereClause> {
    let rest = stage.get("where".len()..)?.trim_start();

    let field_len = rest
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '.'))
        .unwrap_or(rest.len());
    let field = &rest[..field_len];
    if identifier_len(field) == 0 {
        return None;
    }
    let rest = rest[field_len..].trim_start();

    let operator_len = rest
        .find(|c: char| c.is_whitespace() || c == '(')
        .unwrap_or(rest.len());
    let operator = &rest[..operator_len];
    let is_operator = !operator.is_empty()
        && operator
            .chars()
            .all(|c| c.is_ascii_alphabetic() || matches!(c, '_' | '~' | '=' | '!' | '-'));
    if !is_operator {
        return None;
    }
    let rest = rest[operator_len..].trim();

    let list = match rest.strip_prefix('(') {
        Some(inner) => inner.strip_suffix(')')?.trim(),
        None => rest,
    };
    if !is_identifier(list) {
        return None;
    }
    Some(WhereClause {
        line: number,
        field: field.to_owned(),
        operator: operator.to_owned(),
        list: list.to_owned(),
    })
}

/// Splits a query line at each `|` outside string literals, parentheses and brackets.
fn split_pipes(line: &str) -> Vec<&str> {
    let mut segments = Vec::new();
    let mut start = 0;
    let mut depth = 0usize;
    let mut quote: Option<char> = None;
    let mut escaped = false;
    for (at, c) in line.char_indices() {
        if let Some(open) = quote {
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == open {
                quote = None;
            }
            continue;
        }
        match c {
            '"' | '\'' => quote = Some(c),
            '(' | '[' | '{' => depth += 1,
            ')' | ']' | '}' => depth = depth.saturating_sub(1),
            '|' if depth == 0 => {
                segments.push(&line[start..at]);
                start = at + 1;
            }
            _ => {}
        }
    }
    segments.push(&line[start..]);
    segments
}

/// Returns the length of the Kusto identifier at the start of `text`: a letter or `_`, then
/// letters, digits and `_`.
fn identifier_len(text: &str) -> usize {
    let mut bytes = text.bytes();
    if !bytes
        .next()
        .is_some_and(|b| b.is_ascii_alphabetic() || b == b'_')
    {
        return 0;
    }
    1 + bytes
        .take_while(|b| b.is_ascii_alphanumeric() || *b == b'_')
        .count()
}

fn is_identifier(text: &str) -> bool {
    !text.is_empty() && identifier_len(text) == text.len()
}

/// Returns whether `line` starts with `word` followed by white space or its end.
fn starts_with_word(line: &str, word: &str) -> bool {
    line.strip_prefix(word)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with(char::is_whitespace))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn where_clause_shapes() {
        let clause = parse_where(3, "where Name has_any (malicious_domains)").unwrap();
        assert_eq!(
            (
                clause.field.as_str(),
                clause.operator.as_str(),
                clause.list.as_str()
            ),
            ("Name", "has_any", "malicious_domains")
        );
        let clause = parse_where(3, "where QueryName in~(d)").unwrap();
        assert_eq!(clause.operator, "in~");
        let clause = parse_where(3, "where Name !has d").unwrap();
        assert_eq!(clause.operator, "!has");
        let clause = parse_where(3, "where process.name =~ (d)").unwrap();
        assert_eq!(clause.field, "process.name");
        assert!(parse_where(3, "where Name has_any (d) and x").is_none());
        assert!(parse_where(3, "where TimeGenerated > ago(1d)").is_none());
        assert!(parse_where(3, "where Name has \"x\"").is_none());
    }

    #[test]
    fn split_pipes_respects_literals() {
        assert_eq!(
            split_pipes("T | where a | project b"),
            ["T ", " where a ", " project b"]
        );
        assert_eq!(
            split_pipes("| where a has \"x|y\""),
            ["", " where a has \"x|y\""]
        );
        assert_eq!(split_pipes("T | where f(a | b)"), ["T ", " where f(a | b)"]);
    }
}
