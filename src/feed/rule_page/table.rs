//! The page's two Markdown tables: the IOC table and the table-to-connector note.

use crate::error::Location;
use crate::feed::rule_page::{ConnectorNote, Parser, SCENARIO, has_label, query};
use crate::feed::threatfox::kind_of;
use crate::feed::{FeedError, FeedErrorKind};
use crate::indicator::{IndicatorRecord, Metadata};

/// The positions of the IOC table's columns, found by header name.
struct IocColumns {
    kind: usize,
    value: usize,
    threat_type: Option<usize>,
    first_seen: Option<usize>,
    confidence: Option<usize>,
}

impl<'a> Parser<'a> {
    /// Returns whether the line at `at` is a table header: it has a `|` and the next line is a
    /// separator row such as `|---|---|`.
    pub(super) fn is_table_start(&self, at: usize) -> bool {
        self.lines[at].1.contains('|')
            && self
                .lines
                .get(at + 1)
                .is_some_and(|(_, next)| is_separator(next))
    }

    /// Reads the optional IOC table into the page's IOC import.
    pub(super) fn ioc_table(&mut self) -> Result<(), FeedError> {
        if self.peek().is_none() || !self.is_table_start(self.at) {
            return Ok(());
        }
        let (header_line, header) = self.table_header()?;
        let column = |name: &str| {
            header
                .iter()
                .position(|cell| cell.eq_ignore_ascii_case(name))
        };
        let missing = |field| {
            let kind = FeedErrorKind::MissingField { field };
            self.fail(header_line.0, header_line.1, kind)
        };
        let columns = IocColumns {
            kind: column("Type").ok_or_else(|| missing("Type"))?,
            value: column("Value").ok_or_else(|| missing("Value"))?,
            threat_type: column("Threat Type"),
            first_seen: column("First Seen"),
            confidence: column("Confidence"),
        };

        for (number, line) in self.table_rows() {
            let location = Location::Line(number);
            let cells = split_cells(line);
            if cells.len() != header.len() {
                let kind = FeedErrorKind::CellCount {
                    expected: header.len(),
                    found: cells.len(),
                };
                self.iocs.reject(location, line.trim(), kind)?;
                continue;
            }
            match self.ioc_record(&columns, &cells) {
                Ok(record) => {
                    self.iocs.push(record, location)?;
                }
                Err((value, kind)) => self.iocs.reject(location, &value, kind)?,
            }
        }
        Ok(())
    }

    /// Builds the record of one IOC table row.
    fn ioc_record(
        &self,
        columns: &IocColumns,
        cells: &[String],
    ) -> Result<IndicatorRecord, (String, FeedErrorKind)> {
        // Column indices come from the header, and the caller checked that the row has as many
        // cells, so indexing cannot go out of bounds.
        let cell = |index: Option<usize>| {
            index
                .map(|index| cells[index].as_str())
                .filter(|text| !text.is_empty())
        };
        let confidence = match cell(columns.confidence) {
            None => None,
            Some(text) => Some(parse_confidence(text).ok_or_else(|| {
                let kind = FeedErrorKind::InvalidField {
                    field: "Confidence",
                    expected: "a percentage from 0% to 100%",
                };
                (text.to_owned(), kind)
            })?),
        };
        let metadata = Metadata {
            threat_type: cell(columns.threat_type).map(str::to_owned),
            malware: self
                .summary
                .as_ref()
                .and_then(|summary| summary.malware_family.clone()),
            confidence,
            first_seen: cell(columns.first_seen).map(str::to_owned),
            ..Metadata::default()
        };
        let value = strip_code_span(&cells[columns.value]);
        let kind = kind_of(&cells[columns.kind].to_ascii_lowercase());
        Ok(IndicatorRecord::new(value)
            .with_kind(kind)
            .with_metadata(metadata))
    }

    /// Reads the optional table-to-connector note.
    pub(super) fn connector_table(&mut self) -> Result<(), FeedError> {
        if self.peek().is_none() || !self.is_table_start(self.at) {
            return Ok(());
        }
        let (header_line, header) = self.table_header()?;
        let column = |name: &str| {
            header
                .iter()
                .position(|cell| cell.eq_ignore_ascii_case(name))
        };
        let Some(table_column) = column("Sentinel Table") else {
            let kind = FeedErrorKind::MissingField {
                field: "Sentinel Table",
            };
            return Err(self.fail(header_line.0, header_line.1, kind));
        };
        let note_column = column("Notes");

        for (number, line) in self.table_rows() {
            let cells = split_cells(line);
            if cells.len() != header.len() {
                let kind = FeedErrorKind::CellCount {
                    expected: header.len(),
                    found: cells.len(),
                };
                return Err(self.fail(number, line, kind));
            }
            self.connectors.push(ConnectorNote {
                line: number,
                table: cells[table_column].clone(),
                note: note_column.map_or_else(String::new, |index| cells[index].clone()),
            });
        }
        Ok(())
    }

    /// Reads a header row and its separator row, checking that their cell counts agree.
    fn table_header(&mut self) -> Result<((usize, &'a str), Vec<String>), FeedError> {
        let (number, line) = self.lines[self.at];
        let (separator_number, separator) = self.lines[self.at + 1];
        self.at += 2;
        let header = split_cells(line);
        let separator_cells = split_cells(separator).len();
        if separator_cells != header.len() {
            let kind = FeedErrorKind::CellCount {
                expected: header.len(),
                found: separator_cells,
            };
            return Err(self.fail(separator_number, separator, kind));
        }
        Ok(((number, line), header))
    }

    /// Consumes the rows after a table's separator: non-blank lines with a `|` that start no
    /// other part of the page. The leading `|` is optional, as in GitHub Flavored Markdown.
    fn table_rows(&mut self) -> Vec<(usize, &'a str)> {
        let mut rows = Vec::new();
        while let Some(&(number, line)) = self.lines.get(self.at) {
            let trimmed = line.trim();
            let is_row = !trimmed.is_empty()
                && trimmed.contains('|')
                && !query::is_query_start(trimmed)
                && !has_label(trimmed, SCENARIO);
            if !is_row {
                break;
            }
            rows.push((number, line));
            self.at += 1;
        }
        rows
    }
}

/// Returns whether a line is a table separator row: cells of `-` with optional `:` alignment
/// marks, such as `|---|:---:|`.
fn is_separator(line: &str) -> bool {
    line.contains('|')
        && split_cells(line).iter().all(|cell| {
            let dashes = cell.trim_start_matches(':').trim_end_matches(':');
            !dashes.is_empty() && dashes.bytes().all(|b| b == b'-')
        })
}

/// Splits a table row into trimmed cells, without the optional outer `|`, reading `\|` as a
/// `|` inside a cell.
pub(super) fn split_cells(line: &str) -> Vec<String> {
    let line = line.trim();
    let line = line.strip_prefix('|').unwrap_or(line);
    let line = match line.strip_suffix('|') {
        Some(rest) if !rest.ends_with('\\') => rest,
        _ => line,
    };
    let mut cells = Vec::new();
    let mut cell = String::new();
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => match chars.next() {
                Some('|') => cell.push('|'),
                Some(other) => {
                    cell.push('\\');
                    cell.push(other);
                }
                None => cell.push('\\'),
            },
            '|' => cells.push(std::mem::take(&mut cell).trim().to_owned()),
            _ => cell.push(c),
        }
    }
    cells.push(cell.trim().to_owned());
    cells
}

/// Reads `100%` or `100` as a confidence from 0 to 100.
fn parse_confidence(text: &str) -> Option<u8> {
    let digits = text.strip_suffix('%').unwrap_or(text).trim();
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse::<u8>().ok().filter(|&level| level <= 100)
}

/// Removes one pair of Markdown code-span backticks around a cell value.
fn strip_code_span(cell: &str) -> &str {
    cell.strip_prefix('`')
        .and_then(|rest| rest.strip_suffix('`'))
        .unwrap_or(cell)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn split_cells_cases() {
        assert_eq!(split_cells("| a | b |"), ["a", "b"]);
        assert_eq!(split_cells("a | b |"), ["a", "b"]);
        assert_eq!(split_cells("| a \\| b | c |"), ["a | b", "c"]);
        assert_eq!(split_cells("| a | |"), ["a", ""]);
    }

    #[test]
    fn separator_cases() {
        assert!(is_separator("|---|---|"));
        assert!(is_separator("| :--- | ---: |"));
        assert!(!is_separator("| a | --- |"));
        assert!(!is_separator("---"));
    }

    #[test]
    fn confidence_cases() {
        assert_eq!(parse_confidence("100%"), Some(100));
        assert_eq!(parse_confidence("75"), Some(75));
        assert_eq!(parse_confidence("101%"), None);
        assert_eq!(parse_confidence("+5"), None);
        assert_eq!(parse_confidence("high"), None);
    }
}
