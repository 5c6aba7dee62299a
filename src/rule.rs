//! Rules and verdicts: indicators, the event fields to test, the match mode, and named exclusion
//! scenarios.
//!
//! A [`RuleDefinition`] is plain data (serde, JSON); [`Rule::new`] compiles it. Evaluating an
//! event gives one [`Verdict`]: no match, a hit, or a hit suppressed by a scenario. A suppressed
//! hit is never reported as a miss, because SOC teams audit their exclusions.

use std::fmt;
use std::ops::{ControlFlow, Range};

use serde::{Deserialize, Serialize};

use crate::error::DomainError;
use crate::event::{AliasedEvent, Event, FieldAliases};
use crate::filter::{Filter, FilterError, FilterOptions};
use crate::indicator::IndicatorRecord;
use crate::kql::{KqlError, KqlList, KqlOperator};
use crate::set::{IndicatorSet, Rejected, SetBuilder};

/// The comparison a rule applies between event values and its indicators.
///
/// Written the same way everywhere (JSON, command lines, messages): `domain`, `text`, or `kql:`
/// followed by a Kusto operator, such as `kql:has_any`.
///
/// ```
/// use iocmatch::rule::MatchMode;
///
/// let mode: MatchMode = "kql:has_any".parse().unwrap();
/// assert_eq!(mode.to_string(), "kql:has_any");
/// assert_eq!(serde_json::to_string(&mode).unwrap(), "\"kql:has_any\"");
/// assert!("kql".parse::<MatchMode>().is_err());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub enum MatchMode {
    /// DNS-correct domain lookup: the value is a name, matching an indicator or its subdomains on
    /// label boundaries.
    Domain,
    /// Label-aware scan of free text (URLs, command lines) for indicator domains.
    Text,
    /// A Kusto string operator over the raw indicator values, with Sentinel's results.
    Kql(KqlOperator),
}

impl fmt::Display for MatchMode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            MatchMode::Domain => f.write_str("domain"),
            MatchMode::Text => f.write_str("text"),
            MatchMode::Kql(operator) => write!(f, "kql:{operator}"),
        }
    }
}

impl std::str::FromStr for MatchMode {
    type Err = String;

    fn from_str(text: &str) -> Result<MatchMode, String> {
        match text {
            "domain" => Ok(MatchMode::Domain),
            "text" => Ok(MatchMode::Text),
            other => {
                let operator = other.strip_prefix("kql:").ok_or_else(|| {
                    format!(
                        "invalid match mode {other:?}; expected domain, text or kql:OPERATOR \
                         (for example kql:has_any)"
                    )
                })?;
                operator
                    .parse()
                    .map(MatchMode::Kql)
                    .map_err(|error| format!("invalid match mode {other:?}: {error}"))
            }
        }
    }
}

impl TryFrom<String> for MatchMode {
    type Error = String;

    fn try_from(text: String) -> Result<MatchMode, String> {
        text.parse()
    }
}

impl From<MatchMode> for String {
    fn from(mode: MatchMode) -> String {
        mode.to_string()
    }
}

/// A named false-positive scenario: events that match its filter are suppressed, not dropped.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScenarioDefinition {
    /// The scenario's name, reported with every hit it suppresses.
    pub name: String,
    /// The scenario's description.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    /// The exclusion filter, in the Lucene/Kibana-style language of [`crate::filter`].
    pub filter: String,
}

/// A rule as data, ready for JSON.
///
/// ```
/// use iocmatch::rule::{MatchMode, RuleDefinition};
///
/// let json = r#"{
///     "name": "Remus C2",
///     "fields": ["dns.question.name"],
///     "mode": "domain",
///     "indicators": [{"value": "demale.shop"}],
///     "scenarios": [{"name": "Lab", "filter": "host.name:lab-*"}]
/// }"#;
/// let definition: RuleDefinition = serde_json::from_str(json).unwrap();
/// assert_eq!(definition.mode, MatchMode::Domain);
/// assert_eq!(definition.scenarios[0].filter, "host.name:lab-*");
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleDefinition {
    /// The rule's name.
    pub name: String,
    /// The rule's description: what it detects.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    /// The table the rule was written for, such as Sentinel's `DnsEvents`; informative only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub table: Option<String>,
    /// The event fields to test, in order. Names resolve through field aliases, so `Name`,
    /// `QueryName` and `dns.question.name` all reach the DNS query name.
    pub fields: Vec<String>,
    /// The comparison between values and indicators.
    pub mode: MatchMode,
    /// In domain and text modes, whether plain indicators match only identical names.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub exact_only: bool,
    /// Whether exclusion filters compare case-sensitively (the default is ASCII case-insensitive).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub case_sensitive_filters: bool,
    /// The indicators. In KQL mode their raw values form the operator's list, in this order.
    pub indicators: Vec<IndicatorRecord>,
    /// Exclusion scenarios, tested in order; the first that matches suppresses the hit.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub scenarios: Vec<ScenarioDefinition>,
}

/// An error that stops a rule definition from compiling.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum RuleError {
    /// The definition names no field to test.
    #[error("rule {rule:?} names no field to test; add at least one to \"fields\"")]
    NoFields {
        /// The rule's name.
        rule: String,
    },
    /// A KQL rule uses a negated operator, which finds no indicator to report.
    #[error(
        "rule {rule:?} uses the negated operator {operator}, which reports no indicator; \
         use the positive operator and express the negation as an exclusion scenario"
    )]
    NegatedOperator {
        /// The rule's name.
        rule: String,
        /// The operator.
        operator: KqlOperator,
    },
    /// An indicator is not a valid domain (domain and text modes).
    #[error("rule {rule:?}: {source}")]
    Indicator {
        /// The rule's name.
        rule: String,
        /// The first invalid indicator, with its index in `indicators`.
        source: DomainError,
    },
    /// The indicator values do not form a valid KQL list (KQL mode).
    #[error("rule {rule:?}: {source}")]
    Kql {
        /// The rule's name.
        rule: String,
        /// The list error, with the index of the bad value.
        source: KqlError,
    },
    /// A rule page's `where` clause uses an operator this library does not implement.
    #[error(
        "rule page line {line}: unsupported operator {operator:?} in the where clause; \
         supported are the Kusto has family, in~ and =~"
    )]
    UnsupportedOperator {
        /// The operator as written.
        operator: String,
        /// One-based line of the `where` clause.
        line: usize,
    },
    /// A scenario's filter does not parse.
    #[error("rule {rule:?}, scenario {scenario:?}{}: {source}", line.map(|l| format!(" (line {l})")).unwrap_or_default())]
    Filter {
        /// The rule's name.
        rule: String,
        /// The scenario's name.
        scenario: String,
        /// One-based line of the filter in a rule page, when the rule came from one.
        line: Option<usize>,
        /// The parse error, which renders the filter with a caret under the problem.
        source: Box<FilterError>,
    },
    /// The JSON text is not a valid rule definition.
    #[error("invalid rule JSON at line {line}, column {column}: {message}")]
    Json {
        /// One-based line of the error.
        line: usize,
        /// One-based column of the error.
        column: usize,
        /// The message of serde_json.
        message: String,
    },
}

impl RuleError {
    /// Returns the kind of error, without its details.
    pub fn kind(&self) -> RuleErrorKind {
        match self {
            RuleError::NoFields { .. } => RuleErrorKind::NoFields,
            RuleError::NegatedOperator { .. } => RuleErrorKind::NegatedOperator,
            RuleError::UnsupportedOperator { .. } => RuleErrorKind::UnsupportedOperator,
            RuleError::Indicator { .. } => RuleErrorKind::Indicator,
            RuleError::Kql { .. } => RuleErrorKind::Kql,
            RuleError::Filter { .. } => RuleErrorKind::Filter,
            RuleError::Json { .. } => RuleErrorKind::Json,
        }
    }
}

/// The kinds of [`RuleError`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum RuleErrorKind {
    /// See [`RuleError::NoFields`].
    NoFields,
    /// See [`RuleError::NegatedOperator`].
    NegatedOperator,
    /// See [`RuleError::UnsupportedOperator`].
    UnsupportedOperator,
    /// See [`RuleError::Indicator`].
    Indicator,
    /// See [`RuleError::Kql`].
    Kql,
    /// See [`RuleError::Filter`].
    Filter,
    /// See [`RuleError::Json`].
    Json,
}

impl RuleDefinition {
    /// Converts an imported rule page into a definition that behaves as the page's Sentinel
    /// query does.
    ///
    /// The mode is the `where` clause's Kusto operator over the clause's field, and the indicators
    /// are the values of the list the clause tests, raw, in order: what Sentinel matches. Each
    /// value takes the metadata of the IOC table row with the same value (trimmed, ASCII case
    /// folded); values without a row have none. The name comes from the page's first sentence
    /// (`The NAME rule detects …`), else from the malware family, else from the table. Scenario
    /// filters are parsed here, so an invalid filter is reported with its page line.
    ///
    /// ```
    /// use iocmatch::feed::{Mode, RulePage};
    /// use iocmatch::rule::{MatchMode, RuleDefinition};
    ///
    /// let page = "let bad = dynamic([\"demale.shop\"]);\nDnsEvents\n| where Name has_any (bad)\n";
    /// let page = RulePage::parse(page, Mode::Strict).unwrap();
    /// let definition = RuleDefinition::from_page(&page).unwrap();
    /// assert_eq!(definition.fields, ["Name"]);
    /// assert_eq!(definition.mode, MatchMode::Kql("has_any".parse().unwrap()));
    /// assert_eq!(definition.indicators[0].value, "demale.shop");
    /// ```
    ///
    /// # Errors
    ///
    /// Returns [`RuleError::UnsupportedOperator`] for an operator outside the Kusto `has`
    /// family, `in~` and `=~`, and [`RuleError::Filter`] with the page line for a scenario
    /// filter that does not parse.
    pub fn from_page(page: &crate::feed::RulePage) -> Result<RuleDefinition, RuleError> {
        let clause = &page.where_clause;
        let operator: KqlOperator =
            clause
                .operator
                .parse()
                .map_err(|_| RuleError::UnsupportedOperator {
                    operator: clause.operator.clone(),
                    line: clause.line,
                })?;

        let indicators =
            page.indicator_values()
                .iter()
                .map(|value| {
                    let row =
                        page.iocs.records.iter().find(|(record, _)| {
                            record.value.trim().eq_ignore_ascii_case(value.trim())
                        });
                    match row {
                        Some((record, _)) => {
                            let mut record = record.clone();
                            record.value.clone_from(value);
                            record
                        }
                        None => IndicatorRecord::new(value.clone()),
                    }
                })
                .collect();

        let name = page_rule_name(page);
        let scenarios = page
            .scenarios
            .iter()
            .map(|scenario| {
                Filter::parse(&scenario.filter.text).map_err(|source| RuleError::Filter {
                    rule: name.clone(),
                    scenario: scenario.name.clone(),
                    line: Some(scenario.filter.line),
                    source: Box::new(source),
                })?;
                Ok(ScenarioDefinition {
                    name: scenario.name.clone(),
                    description: scenario
                        .description
                        .as_ref()
                        .map(|line| line.text.clone())
                        .unwrap_or_default(),
                    filter: scenario.filter.text.clone(),
                })
            })
            .collect::<Result<Vec<_>, RuleError>>()?;

        Ok(RuleDefinition {
            description: page
                .description
                .iter()
                .map(|line| line.text.as_str())
                .collect::<Vec<_>>()
                .join(" "),
            name,
            table: Some(page.table.clone()),
            fields: vec![clause.field.clone()],
            mode: MatchMode::Kql(operator),
            exact_only: false,
            case_sensitive_filters: false,
            indicators,
            scenarios,
        })
    }
}

/// Names a rule after its page: `The NAME rule detects …`, else the malware family, else the
/// table.
fn page_rule_name(page: &crate::feed::RulePage) -> String {
    let first = page.description.first().map(|line| line.text.trim());
    if let Some(name) = first
        .and_then(|text| text.strip_prefix("The "))
        .and_then(|text| text.split_once(" rule "))
        .map(|(name, _)| name.trim())
        .filter(|name| !name.is_empty())
    {
        return name.to_owned();
    }
    match page
        .summary
        .as_ref()
        .and_then(|s| s.malware_family.as_deref())
    {
        Some(family) => format!("{family} indicators"),
        None => format!("{} hunting rule", page.table),
    }
}

/// A compiled exclusion scenario.
#[derive(Debug, Clone)]
pub struct Scenario {
    name: String,
    description: String,
    filter: Filter,
}

impl Scenario {
    /// Returns the scenario's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Returns the scenario's description.
    pub fn description(&self) -> &str {
        &self.description
    }

    /// Returns the compiled filter; [`Filter::text`] gives its source text.
    pub fn filter(&self) -> &Filter {
        &self.filter
    }
}

/// The compiled comparison of a rule.
#[derive(Debug)]
enum Matcher {
    Domain(IndicatorSet),
    Text(IndicatorSet),
    Kql(KqlOperator, KqlList),
}

/// A compiled rule.
///
/// ```
/// use iocmatch::rule::{MatchMode, Rule, RuleDefinition, ScenarioDefinition, Verdict};
/// use iocmatch::IndicatorRecord;
/// use serde_json::json;
///
/// let rule = Rule::new(RuleDefinition {
///     name: "Remus C2".into(),
///     description: String::new(),
///     table: None,
///     fields: vec!["QueryName".into()],
///     mode: MatchMode::Domain,
///     exact_only: false,
///     case_sensitive_filters: false,
///     indicators: vec![IndicatorRecord::new("demale.shop")],
///     scenarios: vec![ScenarioDefinition {
///         name: "Backup job".into(),
///         description: String::new(),
///         filter: "process.command_line:*remus_backup*".into(),
///     }],
/// })?;
///
/// let hit = rule.evaluate(&json!({"QueryName": "cdn.demale.shop"}));
/// assert_eq!(hit.hit().unwrap().indicator(), "demale.shop");
/// assert!(!hit.is_suppressed());
///
/// let suppressed = rule.evaluate(&json!({
///     "QueryName": "cdn.demale.shop",
///     "CommandLine": r"C:\remus\REMUS_BACKUP.exe -q",
/// }));
/// assert_eq!(suppressed.scenario().unwrap().name(), "Backup job");
///
/// assert!(matches!(rule.evaluate(&json!({"QueryName": "notdemale.shop"})), Verdict::NoMatch));
/// # Ok::<(), iocmatch::rule::RuleError>(())
/// ```
#[derive(Debug)]
pub struct Rule {
    definition: RuleDefinition,
    matcher: Matcher,
    scenarios: Vec<Scenario>,
    aliases: FieldAliases,
}

/// One indicator found in one event field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Hit<'r> {
    indicator: &'r str,
    records: &'r [IndicatorRecord],
    field: &'r str,
    value: String,
    span: Range<usize>,
}

impl<'r> Hit<'r> {
    /// Returns the indicator that matched: the normalized domain (`*.x` for wildcards) in domain
    /// and text modes, the raw list value in KQL mode.
    pub fn indicator(&self) -> &'r str {
        self.indicator
    }

    /// Returns the records behind the indicator, with their metadata.
    pub fn records(&self) -> &'r [IndicatorRecord] {
        self.records
    }

    /// Returns the rule field that matched, as the rule names it.
    pub fn field(&self) -> &'r str {
        self.field
    }

    /// Returns the event value that matched.
    pub fn value(&self) -> &str {
        &self.value
    }

    /// Returns the byte range of the match in [`value`](Hit::value).
    pub fn span(&self) -> Range<usize> {
        self.span.clone()
    }
}

/// The outcome of evaluating one event.
#[derive(Debug, Clone)]
pub enum Verdict<'r> {
    /// No indicator matched.
    NoMatch,
    /// An indicator matched and no scenario excluded the event.
    Hit(Hit<'r>),
    /// An indicator matched, and a scenario's filter excluded the event.
    Suppressed {
        /// The hit that was suppressed.
        hit: Hit<'r>,
        /// The first scenario whose filter matched.
        scenario: &'r Scenario,
    },
}

impl<'r> Verdict<'r> {
    /// Returns the hit, suppressed or not.
    pub fn hit(&self) -> Option<&Hit<'r>> {
        match self {
            Verdict::NoMatch => None,
            Verdict::Hit(hit) | Verdict::Suppressed { hit, .. } => Some(hit),
        }
    }

    /// Returns the suppressing scenario, when there is one.
    pub fn scenario(&self) -> Option<&'r Scenario> {
        match self {
            Verdict::Suppressed { scenario, .. } => Some(scenario),
            _ => None,
        }
    }

    /// Returns whether an indicator matched and no scenario excluded the event.
    pub fn is_hit(&self) -> bool {
        matches!(self, Verdict::Hit(_))
    }

    /// Returns whether an indicator matched and a scenario excluded the event.
    pub fn is_suppressed(&self) -> bool {
        matches!(self, Verdict::Suppressed { .. })
    }
}

impl Rule {
    /// Compiles a definition, failing on the first invalid indicator or filter.
    ///
    /// # Errors
    ///
    /// Returns a [`RuleError`] when no field is named, an indicator is invalid for the mode, a
    /// KQL operator is negated, or a scenario filter does not parse.
    pub fn new(definition: RuleDefinition) -> Result<Rule, RuleError> {
        let (rule, rejected) = Rule::compile(definition, true)?;
        debug_assert!(
            rejected.is_empty(),
            "strict compilation rejects nothing silently"
        );
        Ok(rule)
    }

    /// Compiles a definition, leaving out invalid indicators (domain and text modes) and returning
    /// them with their reasons. The rule's stored definition lists only the indicators kept.
    ///
    /// # Errors
    ///
    /// Returns a [`RuleError`] for everything but invalid domain indicators.
    pub fn new_lenient(definition: RuleDefinition) -> Result<(Rule, Vec<Rejected>), RuleError> {
        Rule::compile(definition, false)
    }

    /// Parses a JSON definition and compiles it.
    ///
    /// # Errors
    ///
    /// Returns [`RuleError::Json`] with the line and column of invalid JSON, or the errors of
    /// [`Rule::new`].
    pub fn from_json(json: &str) -> Result<Rule, RuleError> {
        let definition: RuleDefinition = serde_json::from_str(json).map_err(|error| {
            // serde_json appends the position to its message; the error states it once.
            let position = format!(" at line {} column {}", error.line(), error.column());
            let message = error.to_string();
            RuleError::Json {
                line: error.line(),
                column: error.column(),
                message: message
                    .strip_suffix(&position)
                    .unwrap_or(&message)
                    .to_owned(),
            }
        })?;
        Rule::new(definition)
    }

    /// Returns the definition as JSON; [`Rule::from_json`] reads it back.
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(&self.definition)
            .expect("a definition has only string keys and serializable values")
    }

    /// Replaces the field aliases (by default [`FieldAliases::builtin`]).
    pub fn with_aliases(mut self, aliases: FieldAliases) -> Rule {
        self.aliases = aliases;
        self
    }

    /// Returns the definition the rule was compiled from.
    pub fn definition(&self) -> &RuleDefinition {
        &self.definition
    }

    /// Returns the rule's name.
    pub fn name(&self) -> &str {
        &self.definition.name
    }

    /// Returns the compiled scenarios in order.
    pub fn scenarios(&self) -> &[Scenario] {
        &self.scenarios
    }

    /// Returns the field aliases in use.
    pub fn aliases(&self) -> &FieldAliases {
        &self.aliases
    }

    /// Returns the fields named by the rule or its filters that the alias table does not know,
    /// so a typo shows before the rule runs.
    pub fn unknown_fields(&self) -> Vec<&str> {
        let mut unknown: Vec<&str> = self
            .definition
            .fields
            .iter()
            .map(String::as_str)
            .filter(|field| !self.aliases.is_known(field))
            .collect();
        for scenario in &self.scenarios {
            unknown.extend(scenario.filter.unknown_fields(&self.aliases));
        }
        unknown.sort_unstable();
        unknown.dedup();
        unknown
    }

    /// Returns the indicator set, in domain and text modes.
    pub fn indicator_set(&self) -> Option<&IndicatorSet> {
        match &self.matcher {
            Matcher::Domain(set) | Matcher::Text(set) => Some(set),
            Matcher::Kql(..) => None,
        }
    }

    /// Evaluates one event: finds the first indicator in the rule's fields (in field order, then
    /// value order), then tests the scenarios in order. Allocates nothing when no indicator
    /// matches an ASCII value.
    pub fn evaluate<E: Event + ?Sized>(&self, event: &E) -> Verdict<'_> {
        let event = AliasedEvent::new(event, &self.aliases);
        let Some(hit) = self.find_hit(&event) else {
            return Verdict::NoMatch;
        };
        match self.scenarios.iter().find(|s| s.filter.is_match(&event)) {
            Some(scenario) => Verdict::Suppressed { hit, scenario },
            None => Verdict::Hit(hit),
        }
    }

    fn find_hit<E: Event + ?Sized>(&self, event: &E) -> Option<Hit<'_>> {
        for field in &self.definition.fields {
            let mut found = None;
            let _ = event.visit_values(field, &mut |value| match self.match_value(field, value) {
                Some(hit) => {
                    found = Some(hit);
                    ControlFlow::Break(())
                }
                None => ControlFlow::Continue(()),
            });
            if found.is_some() {
                return found;
            }
        }
        None
    }

    /// Matches one value of one field.
    fn match_value<'r>(&'r self, field: &'r str, value: &str) -> Option<Hit<'r>> {
        let (indicator, records, span) = match &self.matcher {
            Matcher::Domain(set) => {
                let hit = set.find(value)?;
                (hit.indicator(), hit.records(), hit.span())
            }
            Matcher::Text(set) => {
                let hit = set.scan(value.as_bytes()).next()?;
                (hit.indicator(), hit.records(), hit.span())
            }
            Matcher::Kql(operator, list) => {
                let found = list.find_with(*operator, value)?;
                let index = found.index();
                let records = &self.definition.indicators[index..=index];
                (list.values()[index].as_str(), records, found.span())
            }
        };
        Some(Hit {
            indicator,
            records,
            field,
            value: value.to_owned(),
            span,
        })
    }

    /// Compiles a definition; `strict` fails on the first invalid domain indicator.
    fn compile(
        mut definition: RuleDefinition,
        strict: bool,
    ) -> Result<(Rule, Vec<Rejected>), RuleError> {
        let rule_name = definition.name.clone();
        if definition.fields.is_empty() {
            return Err(RuleError::NoFields { rule: rule_name });
        }

        let scenarios = compile_scenarios(&definition)?;

        let mut rejected = Vec::new();
        let matcher = match definition.mode {
            MatchMode::Kql(operator) => {
                if operator.is_negated() {
                    return Err(RuleError::NegatedOperator {
                        rule: rule_name,
                        operator,
                    });
                }
                let values = definition
                    .indicators
                    .iter()
                    .map(|record| record.value.as_str());
                let list = KqlList::new(values).map_err(|source| RuleError::Kql {
                    rule: rule_name.clone(),
                    source,
                })?;
                Matcher::Kql(operator, list)
            }
            MatchMode::Domain | MatchMode::Text => {
                let set = build_set(&mut definition, strict, &mut rejected)?;
                if definition.mode == MatchMode::Domain {
                    Matcher::Domain(set)
                } else {
                    Matcher::Text(set)
                }
            }
        };

        let rule = Rule {
            definition,
            matcher,
            scenarios,
            aliases: FieldAliases::builtin(),
        };
        Ok((rule, rejected))
    }
}

fn compile_scenarios(definition: &RuleDefinition) -> Result<Vec<Scenario>, RuleError> {
    let options = FilterOptions::new().case_sensitive(definition.case_sensitive_filters);
    definition
        .scenarios
        .iter()
        .map(|scenario| {
            let filter = Filter::parse_with(&scenario.filter, options).map_err(|source| {
                RuleError::Filter {
                    rule: definition.name.clone(),
                    scenario: scenario.name.clone(),
                    line: None,
                    source: Box::new(source),
                }
            })?;
            Ok(Scenario {
                name: scenario.name.clone(),
                description: scenario.description.clone(),
                filter,
            })
        })
        .collect()
}

/// Builds the indicator set of a domain or text rule. A lenient build removes the rejected
/// indicators from the definition, so that the stored definition describes the compiled rule.
fn build_set(
    definition: &mut RuleDefinition,
    strict: bool,
    rejected: &mut Vec<Rejected>,
) -> Result<IndicatorSet, RuleError> {
    let mut builder = SetBuilder::new();
    builder.exact_only(definition.exact_only);
    for record in &definition.indicators {
        builder.push_record(record.clone());
    }
    if strict {
        return builder.build().map_err(|source| RuleError::Indicator {
            rule: definition.name.clone(),
            source,
        });
    }
    let built = builder.build_lenient();
    if !built.rejected.is_empty() {
        let bad: std::collections::HashSet<usize> = built
            .rejected
            .iter()
            .filter_map(|r| match r.error.location() {
                Some(crate::error::Location::Index(index)) => Some(*index),
                _ => None,
            })
            .collect();
        let mut index = 0;
        definition.indicators.retain(|_| {
            let keep = !bad.contains(&index);
            index += 1;
            keep
        });
    }
    rejected.extend(built.rejected);
    Ok(built.set)
}
