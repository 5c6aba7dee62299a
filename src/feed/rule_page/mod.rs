//! Markdown hunting-rule pages: description, IOC summary and table, a KQL query over a `let`
//! list, a table-to-connector note, and false-positive scenarios with exclusion filters.

mod query;
mod table;

use crate::error::Location;
use crate::feed::plain::numbered_lines;
use crate::feed::{Collector, FeedError, FeedErrorKind, Format, Import, Mode};

/// One line of text from the page, trimmed, with its line number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TextLine {
    /// One-based line number.
    pub line: usize,
    /// The text, without surrounding white space.
    pub text: String,
}

/// The `Malware Family: … Total IOCs: … IOC Types: …` summary above the IOC table.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct IocSummary {
    /// Line number of the summary's first line.
    pub line: usize,
    /// The malware family, such as `Remus`.
    pub malware_family: Option<String>,
    /// The number of IOCs the page states; the importer checks it against the IOC table.
    pub total: Option<usize>,
    /// The IOC types the page states, such as `domain`, as written.
    pub types: Vec<String>,
}

/// A `let NAME = dynamic([...]);` statement of the query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LetList {
    /// The list's name.
    pub name: String,
    /// Line number of `let`.
    pub line: usize,
    /// Line number of the closing `;`.
    pub end_line: usize,
    /// The string literals with escapes resolved, in order, duplicates and surrounding white
    /// space kept: Sentinel compares exactly these values.
    pub values: Vec<String>,
}

/// The query's `where FIELD OPERATOR (LIST)` clause.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WhereClause {
    /// One-based line number.
    pub line: usize,
    /// The column tested, such as `Name`.
    pub field: String,
    /// The operator as written, such as `has_any`, `in~` or `!contains`; the rule layer maps it.
    pub operator: String,
    /// The name of the `let` list tested against.
    pub list: String,
}

/// A row of the table-to-connector note.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConnectorNote {
    /// One-based line number.
    pub line: usize,
    /// The Sentinel table, such as `DnsEvents`.
    pub table: String,
    /// The note, empty when the row has none.
    pub note: String,
}

/// A false-positive scenario: a name, an optional description and an exclusion filter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scenario {
    /// Line number of `Scenario:`.
    pub line: usize,
    /// The scenario's name.
    pub name: String,
    /// The `Description:` text, when the page gives one.
    pub description: Option<TextLine>,
    /// The `Filter/Exclusion:` text, unparsed, with its line number for filter parse errors.
    pub filter: TextLine,
}

/// Values on which the IOC table and the query list disagree.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct IocComparison {
    /// IOC table values missing from the query list, in table order.
    pub table_only: Vec<String>,
    /// Query list values missing from the IOC table, in list order.
    pub query_only: Vec<String>,
}

impl IocComparison {
    /// Returns whether both sides hold the same values.
    pub fn is_empty(&self) -> bool {
        self.table_only.is_empty() && self.query_only.is_empty()
    }
}

/// A parsed hunting-rule page.
///
/// # Format
///
/// The parts, in this order; each is optional unless marked required:
///
/// 1. Description: every line before the first of the other parts.
/// 2. IOC summary: an `IOC Summary` heading and a line with `Malware Family:`, `Total IOCs:` and
///    `IOC Types:` (together or on separate lines).
/// 3. IOC table: a Markdown table read by header name. `Type` and `Value` are required;
///    `Threat Type`, `First Seen` and `Confidence` (`100%` or `100`) fill the metadata, and
///    other columns are ignored. Each row becomes a record in [`RulePage::iocs`], with the
///    summary's malware family and the `// Source:` comment of the query as metadata.
/// 4. KQL query (required): `//` comments, `let NAME = dynamic([...]);` statements (over
///    several lines if need be), the table name alone on a line, then `|` stages. Exactly one
///    stage must be `where FIELD OPERATOR (LIST)` naming a `let` list; `project`, `extend`,
///    `order by`, `sort by`, `take` and `limit` stages are kept in [`RulePage::stages`].
/// 5. Table-to-connector note: a Markdown table with a `Sentinel Table` column and an optional
///    `Notes` column; rows may omit the leading `|`.
/// 6. Scenarios: `Scenario:`, an optional `Description:`, then `Filter/Exclusion:`. The filter
///    text is kept as written, for the filter parser.
///
/// Tolerated anywhere: blank lines, Markdown code fences, and `#` marks before `IOC Summary`.
/// Everything else is an error naming the line:
///
/// - an unknown line, or a query stage other than those above;
/// - a second `where` clause, or one of another shape, because ignoring it would change what
///   the rule matches;
/// - a `let` of another form, one without its closing `]);`, or a string literal with an
///   unknown escape;
/// - a table row with the wrong number of cells (in [`Mode::Lenient`], an IOC table row is
///   rejected instead);
/// - a scenario without a filter, or a repeated scenario name;
/// - a `Total IOCs` that differs from the IOC table's row count.
///
/// The summary's `IOC Types` are reported as written and not checked.
///
/// # IOC table and query list
///
/// The IOC table and the `let` list can disagree, for example when a list value carries a
/// trailing space. The page keeps both: [`RulePage::iocs`] for the table with its metadata,
/// [`RulePage::indicator_values`] for the list values that Sentinel compares, and
/// [`RulePage::compare_iocs`] to see the difference. Which one to match is the caller's choice.
///
/// ```
/// use iocmatch::feed::{Mode, RulePage};
///
/// let text = "\
/// Hunts for Remus command and control.
/// IOC Summary
/// Malware Family: Remus Total IOCs: 1 IOC Types: domain
/// | Type | Value | Threat Type | First Seen | Confidence |
/// |---|---|---|---|---|
/// | domain | demale.shop | botnet_cc | 2026-05-27 | 100% |
/// let malicious_domains = dynamic([\"demale.shop\", \"demale.shop \"]);
/// DnsEvents
/// | where Name has_any (malicious_domains)
/// Scenario: Backup job
/// Description: A backup job resolves the domain.
/// Filter/Exclusion: process.command_line:*remus_backup*
/// ";
/// let page = RulePage::parse(text, Mode::Strict).unwrap();
/// assert_eq!(page.table, "DnsEvents");
/// assert_eq!(page.where_clause.operator, "has_any");
/// assert_eq!(page.iocs.records[0].0.metadata().confidence, Some(100));
/// assert_eq!(page.indicator_values(), ["demale.shop", "demale.shop "]);
/// assert_eq!(page.compare_iocs().query_only, ["demale.shop "]);
/// assert_eq!(page.scenarios[0].filter.line, 12);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RulePage {
    /// The description lines before the first section.
    pub description: Vec<TextLine>,
    /// The IOC summary, when the page has one.
    pub summary: Option<IocSummary>,
    /// The IOC table rows as records located by [`Location::Line`]; a table row with the wrong
    /// number of cells or an invalid value is a rejected row here.
    pub iocs: Import,
    /// The query's `//` comments.
    pub comments: Vec<TextLine>,
    /// The query's `let` lists, in order.
    pub lets: Vec<LetList>,
    /// The table the query reads, such as `DnsEvents`.
    pub table: String,
    /// Line number of the table name.
    pub table_line: usize,
    /// The `where` clause that tests a field against a `let` list.
    pub where_clause: WhereClause,
    /// The other query stages (`project`, `order by` …), as written without the leading `|`.
    pub stages: Vec<TextLine>,
    /// The table-to-connector note rows.
    pub connectors: Vec<ConnectorNote>,
    /// The false-positive scenarios, in order.
    pub scenarios: Vec<Scenario>,
}

impl RulePage {
    /// Parses a rule page; see [`RulePage`] for the format and what is an error.
    ///
    /// `mode` applies to IOC table rows only: in [`Mode::Lenient`] an invalid row goes to
    /// [`Import::rejected`] of [`RulePage::iocs`]. Every other problem fails in both modes.
    ///
    /// # Errors
    ///
    /// Returns a [`FeedError`] naming the line (for a missing part, the part) and what was
    /// expected there.
    pub fn parse(text: &str, mode: Mode) -> Result<RulePage, FeedError> {
        let mut parser = Parser::new(text, mode);
        parser.description();
        parser.summary()?;
        parser.ioc_table()?;
        parser.query()?;
        parser.connector_table()?;
        parser.scenarios()?;
        parser.finish()
    }

    /// Returns the values of the list that the `where` clause tests: what Sentinel matches.
    ///
    /// ```
    /// use iocmatch::feed::{Mode, RulePage};
    ///
    /// let text = "let d = dynamic([\"a.example\", 'b.example']);\nDnsEvents\n| where Name in~ (d)\n";
    /// let page = RulePage::parse(text, Mode::Strict).unwrap();
    /// assert_eq!(page.indicator_values(), ["a.example", "b.example"]);
    /// ```
    pub fn indicator_values(&self) -> &[String] {
        self.query_list().map_or(&[], |list| list.values.as_slice())
    }

    /// Returns the `let` list that the `where` clause tests.
    ///
    /// Every page that [`parse`](RulePage::parse) returns has it, because parsing rejects a
    /// clause naming an undefined list. A page assembled by hand may lack it.
    pub fn query_list(&self) -> Option<&LetList> {
        self.lets
            .iter()
            .find(|list| list.name == self.where_clause.list)
    }

    /// Compares the IOC table values with the query list values, exactly as written.
    ///
    /// Every table row counts, including skipped and rejected ones.
    ///
    /// ```
    /// use iocmatch::feed::{Mode, RulePage};
    ///
    /// let text = "| Type | Value |\n|---|---|\n| domain | a.example |\n\
    ///             let d = dynamic([\"b.example\"]);\nDnsEvents\n| where Name has_any (d)\n";
    /// let page = RulePage::parse(text, Mode::Strict).unwrap();
    /// let comparison = page.compare_iocs();
    /// assert_eq!(comparison.table_only, ["a.example"]);
    /// assert_eq!(comparison.query_only, ["b.example"]);
    /// ```
    pub fn compare_iocs(&self) -> IocComparison {
        let table = self.ioc_values();
        let query = self.indicator_values();
        IocComparison {
            table_only: table
                .iter()
                .filter(|value| !query.contains(value))
                .cloned()
                .collect(),
            query_only: query
                .iter()
                .filter(|value| !table.contains(value))
                .cloned()
                .collect(),
        }
    }

    /// Returns the value of every IOC table row in line order, whatever became of the row.
    fn ioc_values(&self) -> Vec<String> {
        let mut rows: Vec<(&Location, &str)> = self
            .iocs
            .records
            .iter()
            .map(|(record, location)| (location, record.value.as_str()))
            .chain(
                self.iocs
                    .skipped
                    .iter()
                    .map(|skipped| (&skipped.location, skipped.record.value.as_str())),
            )
            .chain(
                self.iocs
                    .rejected
                    .iter()
                    .map(|rejected| (&rejected.location, rejected.value.as_str())),
            )
            .collect();
        rows.sort_by_key(|(location, _)| match location {
            Location::Line(line) => *line,
            _ => 0,
        });
        rows.into_iter()
            .map(|(_, value)| value.to_owned())
            .collect()
    }
}

/// The parser's state: the page's lines, a cursor, and the parts found so far.
struct Parser<'a> {
    lines: Vec<(usize, &'a str)>,
    /// Index in `lines` of the next line to read.
    at: usize,
    iocs: Collector,
    description: Vec<TextLine>,
    summary: Option<IocSummary>,
    /// The line of `Total IOCs:`, where a count mismatch is reported.
    total_line: Option<(usize, &'a str)>,
    comments: Vec<TextLine>,
    lets: Vec<LetList>,
    table: Option<TextLine>,
    where_clause: Option<WhereClause>,
    stages: Vec<TextLine>,
    connectors: Vec<ConnectorNote>,
    scenarios: Vec<Scenario>,
}

/// The labels of a scenario triple.
const SCENARIO: &str = "Scenario:";
const DESCRIPTION: &str = "Description:";
const FILTER: &str = "Filter/Exclusion:";

/// The labels of the IOC summary, which may share one line.
const SUMMARY_LABELS: [&str; 3] = ["Malware Family:", "Total IOCs:", "IOC Types:"];

impl<'a> Parser<'a> {
    fn new(text: &'a str, mode: Mode) -> Self {
        Parser {
            lines: numbered_lines(text).collect(),
            at: 0,
            iocs: Collector::new(Format::RulePage, mode),
            description: Vec::new(),
            summary: None,
            total_line: None,
            comments: Vec::new(),
            lets: Vec::new(),
            table: None,
            where_clause: None,
            stages: Vec::new(),
            connectors: Vec::new(),
            scenarios: Vec::new(),
        }
    }

    /// Returns the next line that is neither blank nor a code fence, skipping those, without
    /// consuming it.
    fn peek(&mut self) -> Option<(usize, &'a str)> {
        while let Some(&(number, line)) = self.lines.get(self.at) {
            let trimmed = line.trim();
            if !trimmed.is_empty() && !trimmed.starts_with("```") {
                return Some((number, line));
            }
            self.at += 1;
        }
        None
    }

    /// Builds an error located at a line, showing the line's text.
    fn fail(&self, number: usize, line: &str, kind: FeedErrorKind) -> FeedError {
        FeedError::new(
            Format::RulePage,
            Some(Location::Line(number)),
            line.trim(),
            kind,
        )
    }

    /// Returns whether the line at `at` starts a part after the description.
    fn is_section_start(&self, at: usize) -> bool {
        let line = self.lines[at].1.trim();
        is_summary_heading(line)
            || summary_field_positions(line).is_some()
            || self.is_table_start(at)
            || query::is_query_start(line)
            || has_label(line, SCENARIO)
    }

    /// Reads description lines up to the first other part.
    fn description(&mut self) {
        while let Some((number, line)) = self.peek() {
            if self.is_section_start(self.at) {
                break;
            }
            self.description.push(text_line(number, line));
            self.at += 1;
        }
    }

    /// Reads the optional `IOC Summary` heading and its field lines.
    fn summary(&mut self) -> Result<(), FeedError> {
        let Some((number, line)) = self.peek() else {
            return Ok(());
        };
        let mut summary = IocSummary {
            line: number,
            ..IocSummary::default()
        };
        let mut found = false;
        if is_summary_heading(line.trim()) {
            found = true;
            self.at += 1;
        }
        while let Some((number, line)) = self.peek() {
            let Some(fields) = summary_field_positions(line.trim()) else {
                break;
            };
            found = true;
            self.summary_fields(number, line, &fields, &mut summary)?;
            self.at += 1;
        }
        if found {
            self.summary = Some(summary);
        }
        Ok(())
    }

    /// Reads the labelled values of one summary line into `summary`.
    fn summary_fields(
        &mut self,
        number: usize,
        line: &'a str,
        fields: &[(usize, usize)],
        summary: &mut IocSummary,
    ) -> Result<(), FeedError> {
        let trimmed = line.trim();
        for (position, &(start, label)) in fields.iter().enumerate() {
            let value_start = start + SUMMARY_LABELS[label].len();
            let value_end = fields
                .get(position + 1)
                .map_or(trimmed.len(), |&(next, _)| next);
            let value = trimmed[value_start..value_end].trim();
            let duplicate = match label {
                0 => summary.malware_family.is_some(),
                1 => summary.total.is_some(),
                _ => !summary.types.is_empty(),
            };
            if duplicate {
                let kind = FeedErrorKind::Duplicate {
                    what: "summary field",
                };
                return Err(self.fail(number, line, kind));
            }
            match label {
                0 => summary.malware_family = Some(value.to_owned()).filter(|v| !v.is_empty()),
                1 => {
                    let total = value.parse::<usize>().map_err(|_| {
                        let kind = FeedErrorKind::InvalidField {
                            field: "Total IOCs",
                            expected: "a whole number",
                        };
                        FeedError::new(Format::RulePage, Some(Location::Line(number)), value, kind)
                    })?;
                    summary.total = Some(total);
                    self.total_line = Some((number, line));
                }
                _ => {
                    summary.types = value
                        .split(',')
                        .map(str::trim)
                        .filter(|t| !t.is_empty())
                        .map(str::to_owned)
                        .collect();
                }
            }
        }
        Ok(())
    }

    /// Reads the scenario triples, which run to the end of the page.
    fn scenarios(&mut self) -> Result<(), FeedError> {
        let mut pending: Option<(usize, &str, Option<TextLine>)> = None;
        while let Some((number, line)) = self.peek() {
            self.at += 1;
            let trimmed = line.trim();
            if let Some(name) = strip_label(trimmed, SCENARIO) {
                if let Some((start, pending_line, _)) = pending {
                    return Err(self.missing_filter(start, pending_line));
                }
                if name.is_empty() {
                    let kind = FeedErrorKind::InvalidField {
                        field: "Scenario",
                        expected: "a scenario name",
                    };
                    return Err(self.fail(number, line, kind));
                }
                if self.scenarios.iter().any(|s| s.name == name) {
                    let kind = FeedErrorKind::Duplicate {
                        what: "scenario name",
                    };
                    return Err(self.fail(number, line, kind));
                }
                pending = Some((number, trimmed, None));
            } else if let Some(text) = strip_label(trimmed, DESCRIPTION) {
                match &mut pending {
                    Some((_, _, description @ None)) => {
                        *description = Some(TextLine {
                            line: number,
                            text: text.to_owned(),
                        });
                    }
                    _ => {
                        let kind = FeedErrorKind::UnexpectedLine {
                            expected: "one 'Description:' after each 'Scenario:'",
                        };
                        return Err(self.fail(number, line, kind));
                    }
                }
            } else if let Some(filter) = strip_label(trimmed, FILTER) {
                let Some((start, scenario_line, description)) = pending.take() else {
                    let kind = FeedErrorKind::UnexpectedLine {
                        expected: "'Scenario:' before 'Filter/Exclusion:'",
                    };
                    return Err(self.fail(number, line, kind));
                };
                if filter.is_empty() {
                    let kind = FeedErrorKind::InvalidField {
                        field: "Filter/Exclusion",
                        expected: "an exclusion filter",
                    };
                    return Err(self.fail(number, line, kind));
                }
                let name = strip_label(scenario_line, SCENARIO).unwrap_or_default();
                self.scenarios.push(Scenario {
                    line: start,
                    name: name.to_owned(),
                    description,
                    filter: TextLine {
                        line: number,
                        text: filter.to_owned(),
                    },
                });
            } else {
                let kind = FeedErrorKind::UnexpectedLine {
                    expected: "'Scenario:', 'Description:' or 'Filter/Exclusion:'",
                };
                return Err(self.fail(number, line, kind));
            }
        }
        if let Some((start, pending_line, _)) = pending {
            return Err(self.missing_filter(start, pending_line));
        }
        Ok(())
    }

    /// Builds the error for a scenario without a filter, naming the scenario.
    fn missing_filter(&self, number: usize, scenario_line: &str) -> FeedError {
        let name = strip_label(scenario_line, SCENARIO).unwrap_or_default();
        self.fail(number, name, FeedErrorKind::MissingFilter)
    }

    /// Checks the parts that must be present or agree, and assembles the page.
    fn finish(self) -> Result<RulePage, FeedError> {
        let missing = |section| {
            FeedError::new(
                Format::RulePage,
                None,
                "",
                FeedErrorKind::MissingSection { section },
            )
        };
        let table = self.table.ok_or_else(|| missing("KQL query table name"))?;
        let where_clause = self
            .where_clause
            .ok_or_else(|| missing("'| where FIELD OPERATOR (LIST)' query stage"))?;

        let mut iocs = self.iocs.finish();
        if let (Some(summary), Some((number, line))) = (&self.summary, self.total_line) {
            let stated = summary.total.unwrap_or_default();
            if stated != iocs.rows {
                let kind = FeedErrorKind::CountMismatch {
                    what: "IOCs",
                    stated,
                    found: iocs.rows,
                };
                let location = Some(Location::Line(number));
                return Err(FeedError::new(
                    Format::RulePage,
                    location,
                    line.trim(),
                    kind,
                ));
            }
        }
        if let Some(source) = source_comment(&self.comments) {
            iocs = iocs.with_source(source);
        }

        Ok(RulePage {
            description: self.description,
            summary: self.summary,
            iocs,
            comments: self.comments,
            lets: self.lets,
            table: table.text,
            table_line: table.line,
            where_clause,
            stages: self.stages,
            connectors: self.connectors,
            scenarios: self.scenarios,
        })
    }
}

fn text_line(number: usize, line: &str) -> TextLine {
    TextLine {
        line: number,
        text: line.trim().to_owned(),
    }
}

/// Returns the text of a `// Source: …` query comment.
fn source_comment(comments: &[TextLine]) -> Option<&str> {
    comments
        .iter()
        .find_map(|comment| strip_label(&comment.text, "Source:"))
        .filter(|source| !source.is_empty())
}

/// Returns whether a line is the `IOC Summary` heading, with optional `#` marks and colon.
fn is_summary_heading(line: &str) -> bool {
    let heading = line.trim_start_matches('#').trim();
    let heading = heading.strip_suffix(':').unwrap_or(heading);
    heading.eq_ignore_ascii_case("IOC Summary")
}

/// Returns the byte offset and label index of each summary label on a line, in line order,
/// when the line starts with one.
fn summary_field_positions(line: &str) -> Option<Vec<(usize, usize)>> {
    let lower = line.to_ascii_lowercase();
    let mut fields: Vec<(usize, usize)> = SUMMARY_LABELS
        .iter()
        .enumerate()
        .filter_map(|(index, label)| Some((lower.find(&label.to_ascii_lowercase())?, index)))
        .collect();
    fields.sort_unstable();
    (fields.first()?.0 == 0).then_some(fields)
}

/// Returns whether a line starts with a label, ignoring ASCII case.
fn has_label(line: &str, label: &str) -> bool {
    line.get(..label.len())
        .is_some_and(|start| start.eq_ignore_ascii_case(label))
}

/// Returns the trimmed text after a label, ignoring the label's ASCII case.
fn strip_label<'t>(line: &'t str, label: &str) -> Option<&'t str> {
    has_label(line, label).then(|| line[label.len()..].trim())
}
