//! Domain benches: building sets, looking up DNS query names, and label-aware text scans, each
//! group with the peers it competes with. See `benches/README.md` for the recorded results.
//!
//! Every engine is built on the first call of its bench closure, so a name filter such as
//! `cargo bench --bench domain -- scan/2/` skips the setup of the benches it leaves out. The
//! lookup split still needs the full iocmatch set, which every run builds.

mod common;

use std::cell::OnceCell;
use std::collections::HashSet;
use std::hint::black_box;
use std::sync::Once;
use std::time::{Duration, Instant};

use criterion::{BenchmarkGroup, Criterion, SamplingMode, Throughput};
use iocmatch::{IndicatorSet, ScanEngine, SetBuilder, normalize_indicator};

use common::corpus::{Corpus, Haystacks, SEED_DOMAINS};
use common::cpu_time::ThreadCpuTime;
use common::peers::{
    BoundaryRegex, DaachorseSuffixSet, FoldSuffixSet, FstSuffixSet, NameLookup, PlainAhoCorasick,
    PlainDaachorse, PlainKind, ReversedHashSet, StdSuffixSet, TextCounter, TokenSuffixScan,
};

/// Set sizes of the `build/*` group; the last one is the whole blocklist union.
const BUILD_SIZES: [(&str, usize); 3] = [("10k", 10_000), ("100k", 100_000), ("500k", usize::MAX)];

/// Largest set for which the boundary-regex peer runs. It stands for a hand-written detection
/// rule, which lists tens of domains, not thousands.
const REGEX_MAX_INDICATORS: usize = 100;

/// Inputs shared by the groups, each computed on first use.
struct Inputs {
    corpus: Corpus,
    /// Normalized, distinct domains of `corpus.indicators`, in the same order.
    domains: OnceCell<Vec<String>>,
    /// The iocmatch set of every domain, with the token scan engine.
    full_set: OnceCell<IndicatorSet>,
}

impl Inputs {
    fn domains(&self) -> &[String] {
        self.domains.get_or_init(|| {
            let mut seen = HashSet::new();
            self.corpus
                .indicators
                .iter()
                .filter_map(|line| normalize_indicator(line).ok())
                .filter(|indicator| !indicator.is_wildcard())
                .map(|indicator| indicator.domain().to_owned())
                .filter(|domain| seen.insert(domain.clone()))
                .collect()
        })
    }

    fn full_set(&self) -> &IndicatorSet {
        self.full_set.get_or_init(|| {
            let set = timed("iocmatch, all domains", || {
                build_iocmatch(self.domains(), ScanEngine::Tokens)
            });
            report_memory(&set);
            set
        })
    }
}

fn main() {
    let clock = ThreadCpuTime::new();
    eprintln!("measuring {}", clock.describe());
    let mut criterion = Criterion::default()
        .with_measurement(clock)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3))
        .sample_size(10)
        .nresamples(20_000)
        .configure_from_args();

    let corpus = Corpus::load();
    eprintln!("{}", corpus.describe());
    let inputs = Inputs {
        corpus,
        domains: OnceCell::new(),
        full_set: OnceCell::new(),
    };

    bench_build(&mut criterion, &inputs);
    bench_lookup(&mut criterion, &inputs);
    bench_scan(&mut criterion, &inputs);

    criterion.final_summary();
}

fn build_iocmatch<S: AsRef<str>>(values: &[S], engine: ScanEngine) -> IndicatorSet {
    let mut builder = SetBuilder::new();
    builder.scan_engine(engine);
    for value in values {
        builder.push(value.as_ref());
    }
    builder.build_lenient().set
}

/// Runs `work` once and prints how long it took, for setup steps criterion does not time.
fn timed<T>(what: &str, work: impl FnOnce() -> T) -> T {
    let start = Instant::now();
    let result = work();
    eprintln!("built {what} in {:.2} s", start.elapsed().as_secs_f64());
    result
}

fn report_memory(set: &IndicatorSet) {
    let usage = set.memory_usage();
    let serialized = set.to_bytes().len();
    let per = |bytes: usize| bytes as f64 / set.len() as f64;
    eprintln!(
        "iocmatch memory for {} indicators: index {} B ({:.2} B/indicator), \
         serialized set (FST and tables) {} B ({:.2}), records {} B ({:.2}), automaton {} B ({:.2})",
        set.len(),
        usage.index,
        per(usage.index),
        serialized,
        per(serialized),
        usage.records,
        per(usage.records),
        usage.automaton,
        per(usage.automaton),
    );
}

/// Creates a benchmark group with flat sampling, in which every sample runs the same number of
/// iterations, so that ten samples of a slow routine need only ten iterations.
fn flat_group<'c>(
    criterion: &'c mut Criterion<ThreadCpuTime>,
    name: &str,
) -> BenchmarkGroup<'c, ThreadCpuTime> {
    let mut group = criterion.benchmark_group(name);
    group.sampling_mode(SamplingMode::Flat);
    group
}

// ---------------------------------------------------------------------------------------------
// build/*

/// Normalizes and compiles 10k, 100k and every blocklist line, against hash sets and an FST.
fn bench_build(criterion: &mut Criterion<ThreadCpuTime>, inputs: &Inputs) {
    let all = &inputs.corpus.indicators;
    for (label, size) in BUILD_SIZES {
        let lines = &all[..size.min(all.len())];
        let mut group = flat_group(criterion, &format!("build/{label}"));
        group.throughput(Throughput::Elements(lines.len() as u64));
        if lines.len() > 200_000 {
            group.measurement_time(Duration::from_secs(8));
        }

        // The peers keep every distinct line; iocmatch keeps the distinct normalized ones.
        let distinct = || lines.len();
        let accepted = || {
            let patterns: HashSet<String> = lines
                .iter()
                .filter_map(|line| normalize_indicator(line).ok())
                .map(|indicator| indicator.to_pattern())
                .collect();
            patterns.len()
        };
        bench_builder(&mut group, "iocmatch", lines, &accepted, &|lines| {
            build_iocmatch(lines, ScanEngine::Auto).len()
        });
        bench_builder(&mut group, "std_hashset", lines, &distinct, &|lines| {
            StdSuffixSet::new(lines.iter().map(String::as_str)).len()
        });
        bench_builder(
            &mut group,
            "hashbrown_foldhash",
            lines,
            &distinct,
            &|lines| FoldSuffixSet::new(lines.iter().map(String::as_str)).len(),
        );
        bench_builder(&mut group, "reversed_hash", lines, &distinct, &|lines| {
            ReversedHashSet::new(lines.iter().map(String::as_str)).len()
        });
        bench_builder(&mut group, "fst_reversed", lines, &distinct, &|lines| {
            FstSuffixSet::new(lines.iter().map(String::as_str)).len()
        });
        group.finish();
    }
}

/// Times `build`, which returns the size of the set it built, after asserting that size once.
fn bench_builder(
    group: &mut BenchmarkGroup<'_, ThreadCpuTime>,
    id: &str,
    lines: &[String],
    expected_len: &dyn Fn() -> usize,
    build: &dyn Fn(&[String]) -> usize,
) {
    let checked = Once::new();
    group.bench_function(id, |b| {
        checked.call_once(|| assert_eq!(build(lines), expected_len(), "build/{id}"));
        b.iter(|| build(black_box(lines)));
    });
}

// ---------------------------------------------------------------------------------------------
// lookup/*

/// Domain-mode lookups of real DNS query names against every blocklist domain, split by hit
/// rate.
fn bench_lookup(criterion: &mut Criterion<ThreadCpuTime>, inputs: &Inputs) {
    let set = inputs.full_set();
    // The names are slices of one buffer, as a log parser hands them over. 55k separately
    // allocated strings would add a cache miss per name to every engine alike.
    let buffer = inputs.corpus.query_names.concat();
    let mut all: Vec<&str> = Vec::with_capacity(inputs.corpus.query_names.len());
    let mut start = 0;
    for name in &inputs.corpus.query_names {
        all.push(&buffer[start..start + name.len()]);
        start += name.len();
    }
    let (hits, misses): (Vec<&str>, Vec<&str>) = all.iter().partition(|name| set.is_match(name));
    eprintln!(
        "lookup names: {} in all, {} covered ({:.1} %), {} distinct",
        all.len(),
        hits.len(),
        100.0 * hits.len() as f64 / all.len() as f64,
        all.iter().collect::<HashSet<_>>().len()
    );
    let hit_count = hits.len();
    let splits = [
        ("never", misses, 0),
        ("rare", all, hit_count),
        ("common", hits, hit_count),
    ];

    let peers = LookupPeers::default();
    for (split, names, expected) in &splits {
        let mut group = flat_group(criterion, &format!("lookup/{split}"));
        group.throughput(Throughput::Elements(names.len() as u64));
        let case = LookupCase {
            names,
            expected: *expected,
        };
        case.bench(&mut group, "iocmatch", || set);
        case.bench(&mut group, "std_hashset", || peers.std(inputs));
        case.bench(&mut group, "hashbrown_foldhash", || peers.fold(inputs));
        case.bench(&mut group, "reversed_hash", || peers.reversed(inputs));
        case.bench(&mut group, "daachorse_anchored", || peers.daachorse(inputs));
        case.bench(&mut group, "fst_walk", || peers.fst(inputs));
        group.finish();
    }
}

/// The names of one lookup split and how many of them an indicator covers.
struct LookupCase<'n> {
    names: &'n [&'n str],
    expected: usize,
}

impl LookupCase<'_> {
    /// Times lookups of every name after asserting the hit count once. `lookup` returns the
    /// engine, building it on first use.
    fn bench<'l, L: NameLookup + 'l>(
        &self,
        group: &mut BenchmarkGroup<'_, ThreadCpuTime>,
        id: &str,
        lookup: impl Fn() -> &'l L,
    ) {
        let checked = Once::new();
        group.bench_function(id, |b| {
            let lookup = lookup();
            checked.call_once(|| {
                assert_eq!(count_names(self.names, lookup), self.expected, "{id}");
            });
            b.iter(|| count_names(black_box(self.names), lookup));
        });
    }
}

fn count_names(names: &[&str], lookup: &impl NameLookup) -> usize {
    names.iter().filter(|name| lookup.is_match(name)).count()
}

/// The lookup peers over every blocklist domain, each built on first use and then kept for the
/// three splits.
#[derive(Default)]
struct LookupPeers {
    std: OnceCell<StdSuffixSet>,
    fold: OnceCell<FoldSuffixSet>,
    reversed: OnceCell<ReversedHashSet>,
    daachorse: OnceCell<DaachorseSuffixSet>,
    fst: OnceCell<FstSuffixSet>,
}

impl LookupPeers {
    fn std(&self, inputs: &Inputs) -> &StdSuffixSet {
        self.std.get_or_init(|| {
            let peer = timed("std HashSet", || StdSuffixSet::new(domain_strs(inputs)));
            eprintln!("std HashSet heap: {} B", peer.heap_bytes());
            peer
        })
    }

    fn fold(&self, inputs: &Inputs) -> &FoldSuffixSet {
        self.fold.get_or_init(|| {
            let peer = timed("hashbrown set", || FoldSuffixSet::new(domain_strs(inputs)));
            eprintln!("hashbrown set heap: {} B", peer.heap_bytes());
            peer
        })
    }

    fn reversed(&self, inputs: &Inputs) -> &ReversedHashSet {
        self.reversed.get_or_init(|| {
            let peer = timed("reversed-hash set", || {
                ReversedHashSet::new(domain_strs(inputs))
            });
            eprintln!("reversed-hash set heap: {} B", peer.heap_bytes());
            peer
        })
    }

    fn daachorse(&self, inputs: &Inputs) -> &DaachorseSuffixSet {
        self.daachorse.get_or_init(|| {
            let peer = timed("daachorse suffix automaton", || {
                DaachorseSuffixSet::new(domain_strs(inputs))
            });
            eprintln!("daachorse suffix automaton heap: {} B", peer.heap_bytes());
            peer
        })
    }

    fn fst(&self, inputs: &Inputs) -> &FstSuffixSet {
        self.fst.get_or_init(|| {
            let peer = timed("fst::Set", || FstSuffixSet::new(domain_strs(inputs)));
            eprintln!("fst::Set heap: {} B", peer.heap_bytes());
            peer
        })
    }
}

fn domain_strs(inputs: &Inputs) -> impl Iterator<Item = &str> {
    inputs.domains().iter().map(String::as_str)
}

// ---------------------------------------------------------------------------------------------
// scan/*

/// Label-aware scans of command lines and URLs with sets of 2, 70, 10k and every blocklist
/// domain, against plain (boundary-blind) automata, a boundary regex and a tokenizer.
fn bench_scan(criterion: &mut Criterion<ThreadCpuTime>, inputs: &Inputs) {
    let corpus = &inputs.corpus;
    let haystacks = Haystacks::new(corpus);
    eprintln!(
        "scan haystacks: {} ({} command lines, {} URLs), {} bytes; seed domain appended to {}, \
         miner domain to {}, label-boundary decoys to {}",
        haystacks.texts.len(),
        corpus.command_lines.len(),
        corpus.urls.len(),
        haystacks.total_bytes,
        haystacks.with_seed,
        haystacks.with_miner,
        haystacks.with_decoy
    );

    let seeds: Vec<String> = SEED_DOMAINS.iter().map(|d| d.to_string()).collect();
    let set_sizes: [(&str, Option<usize>); 4] = [
        ("2", Some(haystacks.with_seed)),
        ("70", Some(haystacks.with_miner)),
        ("10k", None),
        ("500k", None),
    ];
    for (label, expected_hits) in set_sizes {
        let domains = || -> &[String] {
            match label {
                "2" => &seeds,
                "70" => &corpus.miner_domains,
                "10k" => &inputs.domains()[..10_000.min(inputs.domains().len())],
                _ => inputs.domains(),
            }
        };
        let domain_strs = || domains().iter().map(String::as_str);
        let case = ScanCase {
            label,
            haystacks: &haystacks,
            expected_hits,
            is_seed_set: label == "2",
            label_aware_hits: OnceCell::new(),
        };

        let mut group = flat_group(criterion, &format!("scan/{label}"));
        group.throughput(Throughput::Bytes(haystacks.total_bytes as u64));

        case.bench(&mut group, "iocmatch_tokens", Boundaries::Label, || {
            if label == "500k" {
                Either::Shared(inputs.full_set())
            } else {
                Either::Owned(build_iocmatch(domains(), ScanEngine::Tokens))
            }
        });
        case.bench(&mut group, "iocmatch_automaton", Boundaries::Label, || {
            let set = build_iocmatch(domains(), ScanEngine::Automaton);
            // The first scan builds the automaton.
            timed(&format!("iocmatch automaton for scan/{label}"), || {
                set.scan(b"").count()
            });
            report_memory(&set);
            set
        });
        case.bench(&mut group, "tokens_hashbrown", Boundaries::Label, || {
            TokenSuffixScan::new(domain_strs())
        });
        if domains().len() <= REGEX_MAX_INDICATORS {
            case.bench(&mut group, "regex_boundaries", Boundaries::Label, || {
                BoundaryRegex::new(domain_strs())
            });
        }
        for (id, kind) in [
            ("aho_corasick_lowercased", PlainKind::LowerCased),
            ("aho_corasick_case_insensitive", PlainKind::CaseInsensitive),
            ("aho_corasick_dfa", PlainKind::Dfa),
        ] {
            case.bench(&mut group, id, Boundaries::None, || {
                let peer = timed(&format!("{id} for scan/{label}"), || {
                    PlainAhoCorasick::new(domain_strs(), kind)
                });
                eprintln!("{id} for scan/{label} heap: {} B", peer.heap_bytes());
                peer
            });
        }
        case.bench(&mut group, "daachorse", Boundaries::None, || {
            let peer = timed(&format!("daachorse for scan/{label}"), || {
                PlainDaachorse::new(domain_strs())
            });
            eprintln!("daachorse for scan/{label} heap: {} B", peer.heap_bytes());
            peer
        });
        group.finish();
    }
}

/// Whether a scan engine checks label boundaries, which decides what its hit count must be.
#[derive(Clone, Copy)]
enum Boundaries {
    Label,
    None,
}

/// An engine that a bench either built for itself or borrows from [`Inputs`].
enum Either<'a, T> {
    Owned(T),
    Shared(&'a T),
}

impl<T: TextCounter> TextCounter for Either<'_, T> {
    fn count(&self, haystack: &[u8], buffer: &mut Vec<u8>) -> usize {
        match self {
            Either::Owned(engine) => engine.count(haystack, buffer),
            Either::Shared(engine) => engine.count(haystack, buffer),
        }
    }
}

/// One scan group's haystacks and expected hit counts.
struct ScanCase<'h> {
    label: &'h str,
    haystacks: &'h Haystacks,
    /// The number of label-aware hits the inserted domains must produce, where known.
    expected_hits: Option<usize>,
    /// Whether the set is the two seed domains, whose decoys give known substring matches.
    is_seed_set: bool,
    /// Label-aware hits per haystack, from the first engine checked.
    label_aware_hits: OnceCell<Vec<usize>>,
}

impl ScanCase<'_> {
    /// Builds an engine on the first call of the bench closure, asserts its hit counts, times
    /// scans of every haystack, and drops the engine when the bench is done.
    fn bench<C: TextCounter>(
        &self,
        group: &mut BenchmarkGroup<'_, ThreadCpuTime>,
        id: &str,
        boundaries: Boundaries,
        build: impl FnOnce() -> C,
    ) {
        let mut build = Some(build);
        let mut engine: Option<C> = None;
        group.bench_function(id, |b| {
            let engine = engine.get_or_insert_with(|| {
                let build = build.take().expect("the engine is built once");
                let engine = build();
                let per_haystack = self.count_each(&engine);
                eprintln!(
                    "scan/{}/{id}: {} hits",
                    self.label,
                    per_haystack.iter().sum::<usize>()
                );
                match boundaries {
                    Boundaries::Label => self.check_label_aware(&per_haystack),
                    Boundaries::None => self.check_plain(&per_haystack),
                }
                engine
            });
            let mut buffer = Vec::new();
            b.iter(|| {
                let texts = black_box(&self.haystacks.texts);
                texts
                    .iter()
                    .map(|text| engine.count(text, &mut buffer))
                    .sum::<usize>()
            });
        });
    }

    fn count_each(&self, engine: &impl TextCounter) -> Vec<usize> {
        let mut buffer = Vec::new();
        let texts = &self.haystacks.texts;
        texts
            .iter()
            .map(|text| engine.count(text, &mut buffer))
            .collect()
    }

    /// Asserts that a label-aware engine finds, haystack by haystack, what the first one found,
    /// and that the inserted domains are all found.
    fn check_label_aware(&self, per_haystack: &[usize]) {
        let reference = self.label_aware_hits.get_or_init(|| per_haystack.to_vec());
        if let Some(expected) = self.expected_hits {
            assert_eq!(
                per_haystack.iter().sum::<usize>(),
                expected,
                "label-aware hits"
            );
        }
        assert_eq!(per_haystack, reference, "label-aware hits per haystack");
    }

    /// Asserts that a boundary-blind engine matches in every haystack where a label-aware one
    /// found something (a label-aware hit is also a substring match) and, for the seed set,
    /// that it also reports both decoys.
    fn check_plain(&self, per_haystack: &[usize]) {
        if let Some(reference) = self.label_aware_hits.get() {
            for (index, (&plain, &aware)) in per_haystack.iter().zip(reference).enumerate() {
                assert!(
                    plain > 0 || aware == 0,
                    "haystack {index}: {aware} label-aware hits but no substring match"
                );
            }
        }
        if self.is_seed_set {
            let expected = self.haystacks.with_seed + 2 * self.haystacks.with_decoy;
            let total: usize = per_haystack.iter().sum();
            assert_eq!(total, expected, "substring matches of the seed domains");
        }
    }
}
