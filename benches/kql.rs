//! KQL `has_any` over real DNS query names and command lines, against peers that answer the
//! same question another way.
//!
//! Every group counts the haystacks for which `has_any` is true. The peers:
//! - `regex_boundary`: one `regex` alternation of the values, each wrapped in term-boundary
//!   classes (`[^\p{Alphabetic}\p{N}]`, which is `!char::is_alphanumeric`) on the sides where the
//!   value has a term character, with ASCII-only case folding. Same counts as iocmatch.
//! - `hash_windows`: a `HashSet` of the ASCII-lower-cased values, probed with every window of the
//!   lower-cased haystack that starts and ends where a value may start and end. Same counts.
//! - `naive_contains`: per value, `str::find` over the lower-cased haystack and a boundary check
//!   at each occurrence. Same counts. It runs for the Sentinel lists only, because its time grows
//!   with the list length: one pass over the DNS names with 10k values would take about 25 s,
//!   scaled from the 73-value time.
//! - `aho_corasick_plain`: an ASCII case-insensitive `aho-corasick` automaton without boundary
//!   checks, as a plain substring search would do it. It ignores term boundaries, so it counts
//!   more haystacks, and the bench prints both counts.
//!
//! Run with `cargo bench --bench kql`. Set `IOCMATCH_BENCH_GENERATED=1` to use the generated
//! corpus instead of the shared data.

#[path = "common/event_corpus.rs"]
mod event_corpus;

use std::collections::HashSet;
use std::hint::black_box;
use std::time::{Duration, Instant};

use aho_corasick::AhoCorasick;
use criterion::measurement::WallTime;
use criterion::{BenchmarkGroup, Criterion, Throughput, criterion_group, criterion_main};
use iocmatch::kql::KqlList;
use regex::Regex;

use event_corpus::Source;

/// Returns whether `c` is a Kusto term character: a Unicode alphanumeric, Kusto's default.
fn is_term_char(c: char) -> bool {
    c.is_alphanumeric()
}

/// One distinct value, ASCII-lower-cased, with the edges its occurrences must sit on.
#[derive(Debug, Clone)]
struct Value {
    folded: String,
    starts_with_term: bool,
    ends_with_term: bool,
}

/// Folds and deduplicates a list the way `has_any` treats it.
fn distinct_values(values: &[String]) -> Vec<Value> {
    let mut seen = HashSet::new();
    values
        .iter()
        .filter_map(|value| {
            let folded = value.to_ascii_lowercase();
            if !seen.insert(folded.clone()) {
                return None;
            }
            let starts_with_term = folded.chars().next().is_some_and(is_term_char);
            let ends_with_term = folded.chars().next_back().is_some_and(is_term_char);
            Some(Value {
                folded,
                starts_with_term,
                ends_with_term,
            })
        })
        .collect()
}

/// Builds the boundary-class translation of `has_any`: one alternation per edge combination, so a
/// value that starts or ends with a separator is not required to sit on a term boundary there.
///
/// The values compare with ASCII case folding (`(?i-u:…)`), as Kusto's `has` does, and the
/// boundary classes are Unicode, as Kusto's term characters are.
fn boundary_regex(values: &[Value]) -> Regex {
    const EDGE_BEFORE: &str = r"(?:^|[^\p{Alphabetic}\p{N}])";
    const EDGE_AFTER: &str = r"(?:$|[^\p{Alphabetic}\p{N}])";
    let mut branches = Vec::new();
    for (left, right) in [(true, true), (true, false), (false, true), (false, false)] {
        let alternatives: Vec<String> = values
            .iter()
            .filter(|v| v.starts_with_term == left && v.ends_with_term == right)
            .map(|v| regex::escape(&v.folded))
            .collect();
        if alternatives.is_empty() {
            continue;
        }
        let before = if left { EDGE_BEFORE } else { "" };
        let after = if right { EDGE_AFTER } else { "" };
        branches.push(format!("{before}(?i-u:{}){after}", alternatives.join("|")));
    }
    if branches.is_empty() {
        // An empty list matches nothing.
        branches.push(r"[^\s\S]".to_owned());
    }
    regex::RegexBuilder::new(&branches.join("|"))
        .size_limit(1 << 30)
        .dfa_size_limit(1 << 28)
        .build()
        .expect("the boundary translation of a value list compiles")
}

/// A lower-cased haystack with the char-boundary offsets where some value may start (`starts`)
/// and end (`ends`): a term edge, or next to a separator, which a value may itself start or end
/// with. Reused across haystacks to avoid allocating.
#[derive(Debug, Default)]
struct Windows {
    lowered: String,
    starts: Vec<usize>,
    ends: Vec<usize>,
}

impl Windows {
    fn fill(&mut self, haystack: &str) {
        self.lowered.clear();
        self.lowered.push_str(haystack);
        self.lowered.make_ascii_lowercase();
        self.starts.clear();
        self.ends.clear();
        let mut previous_is_term = false;
        for (offset, c) in self.lowered.char_indices() {
            let is_term = is_term_char(c);
            if !previous_is_term || !is_term {
                self.starts.push(offset);
                if offset > 0 {
                    self.ends.push(offset);
                }
            }
            previous_is_term = is_term;
        }
        if !self.lowered.is_empty() {
            self.ends.push(self.lowered.len());
        }
    }
}

/// The `hash_windows` peer.
#[derive(Debug)]
struct WindowTable {
    values: HashSet<String>,
    max_len: usize,
}

impl WindowTable {
    fn new(values: &[Value]) -> WindowTable {
        WindowTable {
            values: values.iter().map(|v| v.folded.clone()).collect(),
            max_len: values.iter().map(|v| v.folded.len()).max().unwrap_or(0),
        }
    }

    /// Returns whether some value occurs as whole terms.
    ///
    /// A window that starts where a term starts or at a separator, and ends where a term ends or
    /// after a separator, satisfies the edge checks of any value equal to it. So a set lookup is
    /// the whole test.
    fn has_any(&self, haystack: &str, windows: &mut Windows) -> bool {
        windows.fill(haystack);
        let text = windows.lowered.as_str();
        for &start in &windows.starts {
            let first_end = windows.ends.partition_point(|&end| end <= start);
            for &end in &windows.ends[first_end..] {
                if end - start > self.max_len {
                    break;
                }
                if self.values.contains(&text[start..end]) {
                    return true;
                }
            }
        }
        false
    }
}

/// Returns whether some value occurs as whole terms, trying every occurrence of every value,
/// overlapping ones included (the `naive_contains` peer).
fn naive_has_any(values: &[Value], haystack: &str) -> bool {
    let lowered = haystack.to_ascii_lowercase();
    values.iter().any(|value| {
        let mut from = 0;
        while let Some(offset) = lowered[from..].find(value.folded.as_str()) {
            let start = from + offset;
            let end = start + value.folded.len();
            let left_ok = !value.starts_with_term
                || !lowered[..start]
                    .chars()
                    .next_back()
                    .is_some_and(is_term_char);
            let right_ok =
                !value.ends_with_term || !lowered[end..].chars().next().is_some_and(is_term_char);
            if left_ok && right_ok {
                return true;
            }
            from = start + lowered[start..].chars().next().map_or(1, char::len_utf8);
        }
        false
    })
}

/// The value lists, built once for every peer that runs on them.
struct Lists {
    name: &'static str,
    raw: Vec<String>,
    distinct: Vec<Value>,
    iocmatch: KqlList,
    plain: AhoCorasick,
    windows: WindowTable,
    /// Absent for the 0.5M list. A throwaway program on this machine measured its alternation
    /// once: it compiles in 40 s with a 5.2 GB peak resident size. It then takes about 19 ms per
    /// DNS name, presumably because the lazy DFA's cache overflows and the search falls back to
    /// a slower engine.
    regex: Option<Regex>,
    /// Whether the per-value peer runs: only for the short Sentinel lists.
    run_naive: bool,
}

impl Lists {
    fn new(name: &'static str, raw: Vec<String>, with_regex: bool) -> Lists {
        let distinct = distinct_values(&raw);

        let started = Instant::now();
        let iocmatch = KqlList::new(&raw).expect("list values are not blank");
        let iocmatch_build = started.elapsed();

        let started = Instant::now();
        let plain = AhoCorasick::builder()
            .ascii_case_insensitive(true)
            .build(distinct.iter().map(|v| v.folded.as_str()))
            .expect("the plain automaton builds");
        let plain_build = started.elapsed();

        let started = Instant::now();
        let regex = with_regex.then(|| boundary_regex(&distinct));
        let regex_build = started.elapsed();

        eprintln!(
            "kql list {name}: {} values, {} distinct; build iocmatch {:.2?}, plain aho-corasick \
             {:.2?}, regex {}",
            raw.len(),
            distinct.len(),
            iocmatch_build,
            plain_build,
            if with_regex {
                format!("{regex_build:.2?}")
            } else {
                "skipped".to_owned()
            },
        );
        Lists {
            name,
            windows: WindowTable::new(&distinct),
            run_naive: distinct.len() <= 100,
            raw,
            distinct,
            iocmatch,
            plain,
            regex,
        }
    }
}

/// The haystacks of one group.
struct Haystacks {
    name: &'static str,
    items: Vec<String>,
    /// Whether throughput is reported per haystack (DNS names) or per byte (command lines).
    per_element: bool,
}

impl Haystacks {
    fn throughput(&self) -> Throughput {
        if self.per_element {
            Throughput::Elements(self.items.len() as u64)
        } else {
            Throughput::Bytes(self.items.iter().map(|h| h.len() as u64).sum())
        }
    }
}

/// Every how many haystacks a seeded copy carries a list value.
const SEED_EVERY: usize = 50;

/// Copies `haystacks`, rewriting every [`SEED_EVERY`]-th one (the first included) with
/// `insert(haystack, value)`, taking the list values in turn.
fn seed(
    haystacks: &[String],
    values: &[String],
    insert: impl Fn(&str, &str) -> String,
) -> Vec<String> {
    haystacks
        .iter()
        .enumerate()
        .map(|(i, haystack)| {
            if i % SEED_EVERY == 0 {
                insert(haystack, &values[(i / SEED_EVERY) % values.len()])
            } else {
                haystack.clone()
            }
        })
        .collect()
}

fn count(haystacks: &[String], mut test: impl FnMut(&str) -> bool) -> usize {
    haystacks.iter().filter(|h| test(h)).count()
}

/// Checks every peer's count against the pinned one (or, for the plain automaton, prints it),
/// then times them all in one group.
fn bench_pair(
    c: &mut Criterion,
    haystacks: &Haystacks,
    lists: &Lists,
    expected: usize,
    expected_plain: usize,
) {
    let items = &haystacks.items;
    let mut windows = Windows::default();

    // Step 1: the counts, before any timing.
    let hits = count(items, |h| lists.iocmatch.has_any(h));
    assert_eq!(
        hits, expected,
        "iocmatch has_any over {} with {}",
        haystacks.name, lists.name
    );
    let window_hits = count(items, |h| lists.windows.has_any(h, &mut windows));
    assert_eq!(window_hits, hits, "hash_windows disagrees with iocmatch");
    if let Some(regex) = &lists.regex {
        assert_eq!(
            count(items, |h| regex.is_match(h)),
            hits,
            "regex disagrees with iocmatch"
        );
    }
    if lists.run_naive {
        let naive_hits = count(items, |h| naive_has_any(&lists.distinct, h));
        assert_eq!(naive_hits, hits, "naive_contains disagrees with iocmatch");
    }
    let plain_hits = count(items, |h| lists.plain.is_match(h));
    assert_eq!(
        plain_hits, expected_plain,
        "plain aho-corasick count changed"
    );
    eprintln!(
        "kql/{}_{}: {} haystacks, has_any true for {hits}; plain aho-corasick (no boundaries) \
         matches {plain_hits}",
        haystacks.name,
        lists.name,
        items.len(),
    );

    // Step 2: the timings, iocmatch first so every ratio reads against it.
    let mut group = c.benchmark_group(format!("kql/{}_{}", haystacks.name, lists.name));
    group.throughput(haystacks.throughput());
    group.bench_function("iocmatch", |b| {
        b.iter(|| count(black_box(items), |h| lists.iocmatch.has_any(h)))
    });
    if let Some(regex) = &lists.regex {
        group.bench_function("regex_boundary", |b| {
            b.iter(|| count(black_box(items), |h| regex.is_match(h)))
        });
    }
    group.bench_function("hash_windows", |b| {
        b.iter(|| count(black_box(items), |h| lists.windows.has_any(h, &mut windows)))
    });
    if lists.run_naive {
        group.bench_function("naive_contains", |b| {
            b.iter(|| count(black_box(items), |h| naive_has_any(&lists.distinct, h)))
        });
    }
    group.bench_function("aho_corasick_plain", |b| {
        b.iter(|| count(black_box(items), |h| lists.plain.is_match(h)))
    });
    group.finish();
}

/// Times building each list, for the lists short enough to build many times.
fn bench_build(group: &mut BenchmarkGroup<'_, WallTime>, lists: &Lists) {
    group.throughput(Throughput::Elements(lists.raw.len() as u64));
    group.bench_function(format!("{}/iocmatch", lists.name), |b| {
        b.iter(|| KqlList::new(black_box(&lists.raw)).expect("list values are not blank"))
    });
    group.bench_function(format!("{}/regex_boundary", lists.name), |b| {
        b.iter(|| boundary_regex(black_box(&lists.distinct)))
    });
    group.bench_function(format!("{}/hash_windows", lists.name), |b| {
        b.iter(|| WindowTable::new(black_box(&lists.distinct)))
    });
    group.bench_function(format!("{}/aho_corasick_plain", lists.name), |b| {
        b.iter(|| {
            AhoCorasick::builder()
                .ascii_case_insensitive(true)
                .build(lists.distinct.iter().map(|v| v.folded.as_str()))
                .expect("the plain automaton builds")
        })
    });
}

fn kql_benches(c: &mut Criterion) {
    let source = Source::locate("kql");
    let dns = Haystacks {
        name: "dns",
        items: event_corpus::dns_names(&source),
        per_element: true,
    };
    let command_lines = Haystacks {
        name: "cmdline",
        items: event_corpus::command_lines(&source),
        per_element: false,
    };
    eprintln!(
        "kql: {} DNS names ({} bytes), {} command lines ({} bytes)",
        dns.items.len(),
        dns.items.iter().map(String::len).sum::<usize>(),
        command_lines.items.len(),
        command_lines.items.iter().map(String::len).sum::<usize>(),
    );

    let union = event_corpus::blocklist_union(&source);
    let miners = Lists::new("miners73", event_corpus::miners_list(&source), true);
    let tor = Lists::new("tor32", event_corpus::tor_proxies_list(&source), true);
    let sample = Lists::new("list10k", event_corpus::evenly_spaced(&union, 10_000), true);
    let full = Lists::new("list500k", union, false);

    // The Sentinel lists match none of the real names or command lines, so seeded copies
    // carry one list value in every 50th haystack, as a subdomain or a URL host.
    let seeded_dns = Haystacks {
        name: "dns_seeded",
        items: seed(&dns.items, &miners.raw, |name, value| {
            format!("{name}.{value}")
        }),
        per_element: true,
    };
    let seeded_command_lines = Haystacks {
        name: "cmdline_seeded",
        items: seed(&command_lines.items, &miners.raw, |line, value| {
            format!("{line} --url http://{value}/x")
        }),
        per_element: false,
    };
    let seeded = dns.items.len().div_ceil(SEED_EVERY);
    let seeded_lines = command_lines.items.len().div_ceil(SEED_EVERY);

    // Pinned counts: (real data, generated corpus).
    let at = |real: usize, generated: usize| source.expect(real, generated);
    bench_pair(c, &dns, &miners, at(0, 770), at(0, 770));
    bench_pair(c, &seeded_dns, &miners, at(seeded, 1556), at(seeded, 1556));
    bench_pair(c, &dns, &tor, at(0, 0), at(0, 0));
    bench_pair(c, &dns, &sample, at(124, 122), at(235, 136));
    bench_pair(c, &dns, &full, at(5702, 6443), at(15640, 7242));
    bench_pair(c, &command_lines, &miners, at(0, 149), at(0, 149));
    bench_pair(
        c,
        &seeded_command_lines,
        &miners,
        at(seeded_lines, 205),
        at(seeded_lines, 205),
    );
    bench_pair(c, &command_lines, &sample, at(0, 4), at(4, 4));
    bench_pair(c, &command_lines, &full, at(0, 386), at(12, 386));

    let mut group = c.benchmark_group("kql/build");
    bench_build(&mut group, &miners);
    bench_build(&mut group, &sample);
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .sample_size(10)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(2));
    targets = kql_benches
}
criterion_main!(benches);
