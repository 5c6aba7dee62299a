//! Exclusion filters: parsing, the five rule-page exclusions over real process events, 100
//! generated wildcard predicates against `regex`, `globset` and `wildmatch`, and the pattern
//! `*a*a*a*a*a*b`, which a matcher that backtracks over every `*` takes polynomial time on.
//!
//! Run with `cargo bench --bench filter`. Set `IOCMATCH_BENCH_GENERATED=1` to use the generated
//! corpus instead of the shared data.

#[path = "common/event_corpus.rs"]
mod event_corpus;

use std::borrow::Cow;
use std::collections::HashMap;
use std::hint::black_box;
use std::ops::ControlFlow;
use std::time::Duration;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use globset::{Candidate, GlobBuilder, GlobMatcher, GlobSet, GlobSetBuilder};
use iocmatch::event::{AliasedEvent, Event, FieldAliases};
use iocmatch::filter::Filter;
use memchr::memmem;
use regex::{Regex, RegexSet};
use serde_json::Value;
use wildmatch::WildMatch;

use event_corpus::{Lcg, Source};

/// The fields a generated predicate may test, with the names the rule page uses.
const FIELDS: [&str; 6] = [
    "process.command_line",
    "process.executable",
    "process.name",
    "process.parent_process_name",
    "process.user",
    "process.machine_name",
];

/// A process event with its values resolved once, field by field, through the built-in
/// aliases: the shape an application with typed events hands to a filter.
#[derive(Debug, Clone)]
struct FlatEvent {
    values: [Vec<String>; FIELDS.len()],
}

/// Returns the position of a field in [`FIELDS`]. A `match` on the name, as a typed event
/// implementation would do it.
fn field_index(field: &str) -> Option<usize> {
    match field {
        "process.command_line" => Some(0),
        "process.executable" => Some(1),
        "process.name" => Some(2),
        "process.parent_process_name" => Some(3),
        "process.user" => Some(4),
        "process.machine_name" => Some(5),
        _ => None,
    }
}

impl FlatEvent {
    fn resolve(event: &Value, aliases: &FieldAliases) -> FlatEvent {
        let aliased = AliasedEvent::new(event, aliases);
        FlatEvent {
            values: FIELDS.map(|field| aliased.collect_values(field)),
        }
    }

    /// Returns a copy with every value folded to ASCII lower case, so that case-insensitive
    /// matching finds no upper-case letter to fold.
    fn folded(&self) -> FlatEvent {
        FlatEvent {
            values: self
                .values
                .clone()
                .map(|values| values.iter().map(|v| v.to_ascii_lowercase()).collect()),
        }
    }

    fn values(&self, field: &str) -> &[String] {
        field_index(field).map_or(&[], |i| self.values[i].as_slice())
    }
}

impl Event for FlatEvent {
    fn visit_values(
        &self,
        field: &str,
        visit: &mut dyn FnMut(&str) -> ControlFlow<()>,
    ) -> ControlFlow<()> {
        for value in self.values(field) {
            visit(value)?;
        }
        ControlFlow::Continue(())
    }

    fn has_field(&self, field: &str) -> bool {
        !self.values(field).is_empty()
    }
}

/// Folds a value to ASCII lower case, copying only when it has an upper-case letter.
fn fold(value: &str) -> Cow<'_, str> {
    if value.bytes().any(|b| b.is_ascii_uppercase()) {
        Cow::Owned(value.to_ascii_lowercase())
    } else {
        Cow::Borrowed(value)
    }
}

fn config() -> Criterion {
    Criterion::default()
        .sample_size(10)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(2))
}

// ---------------------------------------------------------------------------------------------
// filter/parse

/// Builds `count` clauses joined by `OR`, each a contains pattern over a rule-page field.
fn generated_or_filter(count: usize) -> String {
    (0..count)
        .map(|i| format!("{}:*fragment_{i}*", FIELDS[i % FIELDS.len()]))
        .collect::<Vec<_>>()
        .join(" OR ")
}

/// Builds a filter nested `depth` levels deep, alternating `AND`, `OR` and `NOT`.
fn generated_nested_filter(depth: usize) -> String {
    let mut filter = String::from("process.user:*admin*");
    for level in 0..depth {
        let field = FIELDS[level % FIELDS.len()];
        filter = match level % 3 {
            0 => format!("{field}:v{level}* AND ({filter})"),
            1 => format!("{field}:*v{level} OR ({filter})"),
            _ => format!("NOT ({filter})"),
        };
    }
    filter
}

/// A filter with every value form: quoted, escaped, grouped, range, comparison, regex, CIDR.
const MIXED_FILTER: &str = r#"(process.user:(root OR admin* OR "svc backup") AND NOT host.name:dev-?? ) OR (event.code:[4688 TO 4690} AND process.pid:>=4) OR process.command_line:/.*-enc(odedcommand)? [a-z0-9+\/=]{16,}.*/ OR source.ip:10.0.0.0/8 OR source.ip:2001:db8::/32 OR process.executable:C\:\\Windows\\Temp\\*.exe OR _exists_:process.parent.command_line"#;

fn bench_parse(c: &mut Criterion, source: &Source) {
    let seed = event_corpus::seed_exclusions(source);
    let or100 = generated_or_filter(100);
    let nested = generated_nested_filter(40);
    let inputs: [(&str, Vec<String>, usize); 4] = [
        ("seed5", seed, 10),
        ("or100", vec![or100], 100),
        ("nested40", vec![nested], 28),
        ("mixed", vec![MIXED_FILTER.to_owned()], 11),
    ];

    let mut group = c.benchmark_group("filter/parse");
    for (name, texts, clauses) in &inputs {
        // Each input parses, and the clause count proves the whole text was read.
        let parsed: usize = texts
            .iter()
            .map(|text| {
                let filter = Filter::parse(text).unwrap_or_else(|e| panic!("{name}: {e}"));
                let mut count = 0;
                filter.ast().for_each_clause(|_| count += 1);
                count
            })
            .sum();
        assert_eq!(parsed, *clauses, "clauses parsed from {name}");
        let bytes: usize = texts.iter().map(String::len).sum();
        eprintln!(
            "filter/parse/{name}: {} filters, {bytes} bytes, {parsed} clauses",
            texts.len()
        );

        group.throughput(Throughput::Bytes(bytes as u64));
        group.bench_function(*name, |b| {
            b.iter(|| {
                for text in texts {
                    black_box(Filter::parse(black_box(text)).expect("parsed above"));
                }
            })
        });
    }
    group.finish();
}

// ---------------------------------------------------------------------------------------------
// filter/eval_seed

/// Evaluates the five seed exclusions, written by hand over pre-resolved values, and counts the
/// ones that match. This is a floor for any general filter engine on the same values.
fn hand_written_seed(event: &FlatEvent, finders: &[memmem::Finder<'static>; 10]) -> usize {
    let contains = |field: &str, finder: &memmem::Finder<'_>| {
        event
            .values(field)
            .iter()
            .any(|value| finder.find(fold(value).as_bytes()).is_some())
    };
    let parent = "process.parent_process_name";
    let command_line = "process.command_line";
    let user = "process.user";
    [
        contains(parent, &finders[0]) || contains(command_line, &finders[1]),
        contains(user, &finders[2]) && contains(command_line, &finders[3]),
        contains("process.machine_name", &finders[4]) || contains(user, &finders[5]),
        contains(command_line, &finders[6]) || contains(parent, &finders[7]),
        contains(parent, &finders[8]) || contains(parent, &finders[9]),
    ]
    .into_iter()
    .filter(|&hit| hit)
    .count()
}

fn bench_eval_seed(c: &mut Criterion, source: &Source, events: &[Value], flat: &[FlatEvent]) {
    let aliases = FieldAliases::builtin();
    let filters: Vec<Filter> = event_corpus::seed_exclusions(source)
        .iter()
        .map(|text| Filter::parse(text).expect("the seed exclusions parse"))
        .collect();
    let finders = [
        "backup_service",
        "remus_backup",
        "admin",
        "remus_log_aggregation",
        "dev-",
        "dev",
        "remus_monitor",
        "monitoring_service",
        "splunk",
        "elasticsearch",
    ]
    .map(|needle| memmem::Finder::new(needle).into_owned());

    let aliased_hits = |events: &[Value]| -> usize {
        events
            .iter()
            .map(|event| {
                let event = AliasedEvent::new(event, &aliases);
                filters.iter().filter(|f| f.is_match(&event)).count()
            })
            .sum()
    };
    let flat_hits = |events: &[FlatEvent]| -> usize {
        events
            .iter()
            .map(|event| filters.iter().filter(|f| f.is_match(event)).count())
            .sum()
    };
    let hand_hits = |events: &[FlatEvent]| -> usize {
        events.iter().map(|e| hand_written_seed(e, &finders)).sum()
    };
    let folded: Vec<FlatEvent> = flat.iter().map(FlatEvent::folded).collect();

    // Field access alone: every field read the five filters make when none of them matches,
    // resolved through the aliases and visited without testing the values.
    let clause_fields: Vec<String> = filters
        .iter()
        .flat_map(|filter| {
            let mut fields = Vec::new();
            filter
                .ast()
                .for_each_clause(|clause| fields.push(clause.field.clone()));
            fields
        })
        .collect();
    let resolve_only = |events: &[Value]| -> usize {
        let mut values = 0;
        for event in events {
            let event = AliasedEvent::new(event, &aliases);
            for field in &clause_fields {
                let _ = event.visit_values(field, &mut |_| {
                    values += 1;
                    ControlFlow::Continue(())
                });
            }
        }
        values
    };

    // The count is of matching (event, exclusion) pairs, and every engine must give the same.
    let expected = source.expect(0, 2_899);
    let hits = aliased_hits(events);
    assert_eq!(
        hits, expected,
        "five seed exclusions over the aliased JSON events"
    );
    assert_eq!(
        flat_hits(flat),
        hits,
        "flat events disagree with aliased JSON events"
    );
    assert_eq!(
        hand_hits(flat),
        hits,
        "hand-written exclusions disagree with the filters"
    );
    assert_eq!(
        flat_hits(&folded),
        hits,
        "folded flat events disagree with flat events"
    );
    eprintln!(
        "filter/eval_seed: {} events, {hits} (event, exclusion) matches; {} field reads per event \
         visit {} values in all",
        events.len(),
        clause_fields.len(),
        resolve_only(events),
    );

    let mut group = c.benchmark_group("filter/eval_seed");
    group.throughput(Throughput::Elements(events.len() as u64));
    group.bench_function("iocmatch_aliased_json", |b| {
        b.iter(|| aliased_hits(black_box(events)))
    });
    group.bench_function("iocmatch_flat", |b| b.iter(|| flat_hits(black_box(flat))));
    group.bench_function("iocmatch_flat_prefolded", |b| {
        b.iter(|| flat_hits(black_box(&folded)))
    });
    group.bench_function("hand_written_memmem", |b| {
        b.iter(|| hand_hits(black_box(flat)))
    });
    group.bench_function("aliased_json_field_reads_only", |b| {
        b.iter(|| resolve_only(black_box(events)))
    });
    group.finish();
}

// ---------------------------------------------------------------------------------------------
// filter/eval_100

/// One generated wildcard predicate: a field and a pattern of `*`, `?` and literal text.
#[derive(Debug, Clone)]
struct Predicate {
    field: &'static str,
    /// The pattern with `*` and `?` as wildcards and no other special character.
    pattern: String,
}

impl Predicate {
    /// Writes the filter text, escaping every character but the wildcards with `\`.
    fn filter_text(&self) -> String {
        let mut text = format!("{}:", self.field);
        for c in self.pattern.chars() {
            if !(c.is_ascii_alphanumeric() || c == '*' || c == '?') {
                text.push('\\');
            }
            text.push(c);
        }
        text
    }

    /// Translates the pattern into an anchored regex: `*` as `.*`, `?` as `.`, and literal runs
    /// folded as ASCII only, as the filter folds them.
    fn regex_source(&self) -> String {
        let mut source = String::from("(?s)^");
        let mut literal = String::new();
        let flush = |literal: &mut String, source: &mut String| {
            if !literal.is_empty() {
                source.push_str(&format!("(?i-u:{})", regex::escape(literal)));
                literal.clear();
            }
        };
        for c in self.pattern.chars() {
            match c {
                '*' => {
                    flush(&mut literal, &mut source);
                    source.push_str(".*");
                }
                '?' => {
                    flush(&mut literal, &mut source);
                    source.push('.');
                }
                _ => literal.push(c),
            }
        }
        flush(&mut literal, &mut source);
        source.push('$');
        source
    }

    /// Builds the `globset` glob, in which backslashes are literal and `*` crosses `/`.
    fn glob(&self) -> globset::Glob {
        GlobBuilder::new(&self.pattern)
            .case_insensitive(true)
            .literal_separator(false)
            .backslash_escape(false)
            .build()
            .unwrap_or_else(|e| panic!("glob {:?}: {e}", self.pattern))
    }
}

/// Returns whether `c` may appear in a generated literal: a character special to none of the
/// engines. So `[`, `{` and `,` (special to globset) are out, and so is `/`, which could make a
/// value read as a CIDR network.
fn is_plain(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '.' | '\\' | '-' | '_' | ' ' | ':')
}

/// Takes up to `len` plain characters of `value` starting at char `start`.
fn fragment(value: &str, start: usize, len: usize) -> String {
    value
        .chars()
        .skip(start)
        .take(len)
        .filter(|&c| is_plain(c))
        .collect()
}

/// Generates 100 predicates from the values of the events: contains, prefix, suffix, two
/// fragments in order, and `?` patterns. About a quarter get `zq` after their first `*`, so
/// they rarely match.
fn generated_predicates(events: &[FlatEvent]) -> Vec<Predicate> {
    let mut rng = Lcg::new(100);
    let mut predicates = Vec::new();
    while predicates.len() < 100 {
        let event = rng.pick(events);
        let field_number = rng.below(FIELDS.len());
        let Some(value) = event.values[field_number].first() else {
            continue;
        };
        let chars = value.chars().count();
        if chars < 6 {
            continue;
        }
        let start = rng.below(chars - 4);
        let len = 4 + rng.below(8);
        let middle = fragment(value, start, len);
        let pattern = match predicates.len() % 5 {
            0 => format!("*{middle}*"),
            1 => format!("{}*", fragment(value, 0, len)),
            2 => format!("*{}", fragment(value, chars.saturating_sub(len), len)),
            3 => {
                let later = fragment(value, (start + len).min(chars - 1), 5);
                format!("*{middle}*{later}*")
            }
            _ => {
                let mut head: Vec<char> = fragment(value, 0, len).chars().collect();
                if let Some(c) = head.get_mut(1) {
                    *c = '?';
                }
                format!("{}*", head.into_iter().collect::<String>())
            }
        };
        // A pattern without literal text would match too much to be a realistic exclusion.
        if pattern
            .chars()
            .filter(|c| c.is_ascii_alphanumeric())
            .count()
            < 3
        {
            continue;
        }
        let pattern = if rng.below(4) == 0 {
            pattern.replacen('*', "*zq", 1)
        } else {
            pattern
        };
        predicates.push(Predicate {
            field: FIELDS[field_number],
            pattern,
        });
    }
    predicates
}

/// Counts the (event, predicate) pairs where some value of the field passes `test`.
fn count_pairs(
    events: &[FlatEvent],
    predicates: &[Predicate],
    mut test: impl FnMut(usize, &str) -> bool,
) -> usize {
    let mut hits = 0;
    for event in events {
        for (i, predicate) in predicates.iter().enumerate() {
            if event.values(predicate.field).iter().any(|v| test(i, v)) {
                hits += 1;
            }
        }
    }
    hits
}

/// One multi-pattern matcher per field that some predicate tests, with the field's position in
/// [`FIELDS`].
struct PerField<T> {
    matchers: Vec<(usize, T)>,
}

impl<T> PerField<T> {
    fn new(predicates: &[Predicate], build: impl Fn(&[&Predicate]) -> T) -> PerField<T> {
        let mut matchers = Vec::new();
        for (field_number, field) in FIELDS.iter().enumerate() {
            let members: Vec<&Predicate> =
                predicates.iter().filter(|p| p.field == *field).collect();
            if members.is_empty() {
                continue;
            }
            matchers.push((field_number, build(&members)));
        }
        PerField { matchers }
    }

    /// Counts the (event, predicate) pairs, asking `matches` for the pattern numbers that match a
    /// value. A predicate matched by several values of one field counts once.
    fn count(
        &self,
        events: &[FlatEvent],
        mut matches: impl FnMut(&T, &str, &mut Vec<usize>),
    ) -> usize {
        let mut found = Vec::new();
        let mut seen = Vec::new();
        let mut hits = 0;
        for event in events {
            for (field_number, matcher) in &self.matchers {
                let values = &event.values[*field_number];
                if let [value] = values.as_slice() {
                    found.clear();
                    matches(matcher, value, &mut found);
                    hits += found.len();
                    continue;
                }
                seen.clear();
                for value in values {
                    found.clear();
                    matches(matcher, value, &mut found);
                    seen.extend_from_slice(&found);
                }
                seen.sort_unstable();
                seen.dedup();
                hits += seen.len();
            }
        }
        hits
    }
}

fn bench_eval_100(c: &mut Criterion, source: &Source, events: &[Value], flat: &[FlatEvent]) {
    let aliases = FieldAliases::builtin();
    let predicates = generated_predicates(flat);
    let filters: Vec<Filter> = predicates
        .iter()
        .map(|p| Filter::parse(&p.filter_text()).unwrap_or_else(|e| panic!("{e}")))
        .collect();
    let regexes: Vec<Regex> = predicates
        .iter()
        .map(|p| Regex::new(&p.regex_source()).expect("the translation compiles"))
        .collect();
    let globs: Vec<GlobMatcher> = predicates
        .iter()
        .map(|p| p.glob().compile_matcher())
        .collect();
    let wildmatches: Vec<WildMatch> = predicates
        .iter()
        .map(|p| WildMatch::new_case_insensitive(&p.pattern))
        .collect();
    let regex_sets = PerField::new(&predicates, |members| {
        RegexSet::new(members.iter().map(|p| p.regex_source())).expect("the translations compile")
    });
    let glob_sets = PerField::new(&predicates, |members| {
        let mut builder = GlobSetBuilder::new();
        for p in members {
            builder.add(p.glob());
        }
        builder.build().expect("the globs compile")
    });

    let iocmatch_flat = |events: &[FlatEvent]| -> usize {
        events
            .iter()
            .map(|event| filters.iter().filter(|f| f.is_match(event)).count())
            .sum()
    };
    let iocmatch_json = |events: &[Value]| -> usize {
        events
            .iter()
            .map(|event| {
                let event = AliasedEvent::new(event, &aliases);
                filters.iter().filter(|f| f.is_match(&event)).count()
            })
            .sum()
    };
    let regex_each =
        |events: &[FlatEvent]| count_pairs(events, &predicates, |i, v| regexes[i].is_match(v));
    let glob_each = |events: &[FlatEvent]| {
        count_pairs(events, &predicates, |i, v| {
            globs[i].is_match_candidate(&Candidate::from_bytes(v.as_bytes()))
        })
    };
    let wildmatch_each =
        |events: &[FlatEvent]| count_pairs(events, &predicates, |i, v| wildmatches[i].matches(v));
    let regex_set = |events: &[FlatEvent]| {
        regex_sets.count(events, |set: &RegexSet, value, found| {
            found.extend(set.matches(value).iter());
        })
    };
    let glob_set = |events: &[FlatEvent]| {
        glob_sets.count(events, |set: &GlobSet, value, found| {
            set.matches_candidate_into(&Candidate::from_bytes(value.as_bytes()), found);
        })
    };

    // Every engine must count the same (event, predicate) pairs.
    let expected = source.expect(54_526, 56_583);
    let hits = iocmatch_flat(flat);
    assert_eq!(
        hits, expected,
        "100 generated predicates over the flat events"
    );
    assert_eq!(
        iocmatch_json(events),
        hits,
        "aliased JSON events disagree with flat events"
    );
    let folded: Vec<FlatEvent> = flat.iter().map(FlatEvent::folded).collect();
    assert_eq!(
        iocmatch_flat(&folded),
        hits,
        "folded flat events disagree with flat events"
    );
    assert_eq!(regex_each(flat), hits, "regex translation disagrees");
    assert_eq!(glob_each(flat), hits, "globset disagrees");
    assert_eq!(wildmatch_each(flat), hits, "wildmatch disagrees");
    assert_eq!(regex_set(flat), hits, "RegexSet disagrees");
    assert_eq!(glob_set(flat), hits, "GlobSet disagrees");
    let shapes: Vec<&str> = predicates
        .iter()
        .take(5)
        .map(|p| p.pattern.as_str())
        .collect();
    eprintln!(
        "filter/eval_100: {} events x 100 predicates, {hits} matching pairs; first patterns {shapes:?}",
        flat.len()
    );

    let mut group = c.benchmark_group("filter/eval_100");
    group.throughput(Throughput::Elements(flat.len() as u64));
    group.bench_function("iocmatch_flat", |b| {
        b.iter(|| iocmatch_flat(black_box(flat)))
    });
    group.bench_function("iocmatch_flat_prefolded", |b| {
        b.iter(|| iocmatch_flat(black_box(&folded)))
    });
    group.bench_function("iocmatch_aliased_json", |b| {
        b.iter(|| iocmatch_json(black_box(events)))
    });
    group.bench_function("regex_each", |b| b.iter(|| regex_each(black_box(flat))));
    group.bench_function("globset_each", |b| b.iter(|| glob_each(black_box(flat))));
    group.bench_function("wildmatch_each", |b| {
        b.iter(|| wildmatch_each(black_box(flat)))
    });
    group.bench_function("regex_set_per_field", |b| {
        b.iter(|| regex_set(black_box(flat)))
    });
    group.bench_function("globset_set_per_field", |b| {
        b.iter(|| glob_set(black_box(flat)))
    });
    group.finish();
}

// ---------------------------------------------------------------------------------------------
// filter/pathological

fn bench_pathological(c: &mut Criterion) {
    const PATTERN: &str = "*a*a*a*a*a*b";
    let filter = Filter::parse(&format!("f:{PATTERN}")).expect("the pattern parses");
    let regex = Regex::new("(?s)^.*a.*a.*a.*a.*a.*b$").expect("the translation compiles");
    let glob = GlobBuilder::new(PATTERN)
        .literal_separator(false)
        .build()
        .expect("the glob compiles")
        .compile_matcher();
    let wildmatch = WildMatch::new(PATTERN);

    let mut group = c.benchmark_group("filter/pathological");
    for len in [1_000, 10_000, 100_000] {
        let value = "a".repeat(len);
        let event = HashMap::from([("f", value.as_str())]);
        // No run of `a` ends in `b`, so every engine must reject it. A matcher that backtracks
        // over every `*` would try every way to place the five `a` first.
        assert!(!filter.is_match(&event));
        assert!(!regex.is_match(&value));
        assert!(!glob.is_match_candidate(&Candidate::from_bytes(value.as_bytes())));
        assert!(!wildmatch.matches(&value));

        group.throughput(Throughput::Bytes(len as u64));
        group.bench_function(format!("iocmatch/{len}"), |b| {
            b.iter(|| filter.is_match(black_box(&event)))
        });
        group.bench_function(format!("regex/{len}"), |b| {
            b.iter(|| regex.is_match(black_box(&value)))
        });
        group.bench_function(format!("globset/{len}"), |b| {
            b.iter(|| glob.is_match_candidate(&Candidate::from_bytes(black_box(value.as_bytes()))))
        });
        group.bench_function(format!("wildmatch/{len}"), |b| {
            b.iter(|| wildmatch.matches(black_box(&value)))
        });
    }
    group.finish();
}

fn filter_benches(c: &mut Criterion) {
    let source = Source::locate("filter");
    let events = event_corpus::process_events(&source);
    let aliases = FieldAliases::builtin();
    let flat: Vec<FlatEvent> = events
        .iter()
        .map(|e| FlatEvent::resolve(e, &aliases))
        .collect();

    bench_parse(c, &source);
    bench_eval_seed(c, &source, &events, &flat);
    bench_eval_100(c, &source, &events, &flat);
    bench_pathological(c);
}

criterion_group! {
    name = benches;
    config = config();
    targets = filter_benches
}
criterion_main!(benches);
