//! Match threat-intel indicators against security events, inside any Rust program.
//!
//! iocmatch takes indicator feeds (ThreatFox, MISP warninglists, blocklists, hunting-rule pages)
//! and answers, for millions of events, the question a SIEM query would: does this DNS name, URL
//! or command line contain an indicator, which one, and does a false-positive scenario excuse it?
//!
//! # Overview
//!
//! - [`SetBuilder`] normalizes indicators (case, root dot, IDN to `xn--`, defanged `[.]` and
//!   `hxxp`, URLs and `host:port` reduced to hosts), validates them and compiles an
//!   [`IndicatorSet`].
//! - [`IndicatorSet`] answers DNS-correct domain lookups ([`IndicatorSet::find`]) and label-aware
//!   text scans ([`IndicatorSet::scan`]).
//! - [`kql`] reproduces Kusto's `has`, `has_any`, `has_all`, `hasprefix`, `hassuffix`, `has_cs`
//!   and `in~` exactly, quirks included, so results equal Sentinel's.
//! - [`filter`] parses Lucene/Kibana-style exclusion filters such as
//!   `process.user:*admin* AND process.command_line:*remus_log_aggregation*`, and [`event`]
//!   resolves their field names across ECS, Sysmon, Windows Security, Sentinel and Zeek.
//! - [`feed`] imports ThreatFox JSON and hostfiles, plain and hosts lists, MISP warninglists and
//!   rule pages from `&str`.
//! - [`rule`] ties indicators, fields, a match mode and named scenarios into a [`Rule`], whose
//!   [`Verdict`] for an event is no match, a hit, or a hit suppressed by a scenario.
//!
//! # Examples
//!
//! A DNS name matches an indicator or any of its subdomains:
//!
//! ```
//! let mut builder = iocmatch::SetBuilder::new();
//! builder.push("demale[.]shop");
//! let set = builder.build()?;
//!
//! let hit = set.find("CDN.demale.shop.").unwrap();
//! assert_eq!(hit.indicator(), "demale.shop");
//! assert_eq!(hit.span(), 4..15);
//! # Ok::<(), iocmatch::DomainError>(())
//! ```
//!
//! Only on label boundaries: look-alikes and names under another domain do not match, although
//! Kusto's `has` says otherwise for some of them:
//!
//! ```
//! let mut builder = iocmatch::SetBuilder::new();
//! builder.push("evil.com");
//! let set = builder.build()?;
//!
//! for name in ["notevil.com", "x-evil.com", "evil.com.attacker.net"] {
//!     assert!(!set.is_match(name), "{name}");
//! }
//! let kusto = iocmatch::kql::KqlList::new(["evil.com"]).unwrap();
//! assert!(kusto.has_any("x-evil.com"));
//! assert!(kusto.has_any("evil.com.attacker.net"));
//! # Ok::<(), iocmatch::DomainError>(())
//! ```
//!
//! An exclusion scenario suppresses a hit, and the verdict says which scenario did:
//!
//! ```
//! use iocmatch::rule::{MatchMode, Rule, RuleDefinition, ScenarioDefinition};
//! use iocmatch::IndicatorRecord;
//! use serde_json::json;
//!
//! let rule = Rule::new(RuleDefinition {
//!     name: "Remus C2".into(),
//!     description: String::new(),
//!     table: None,
//!     fields: vec!["dns.question.name".into()],
//!     mode: MatchMode::Domain,
//!     exact_only: false,
//!     case_sensitive_filters: false,
//!     indicators: vec![IndicatorRecord::new("thequarterlymethod.com")],
//!     scenarios: vec![ScenarioDefinition {
//!         name: "Admin log aggregation".into(),
//!         description: String::new(),
//!         filter: "process.user:*admin* AND process.command_line:*remus_log_aggregation*".into(),
//!     }],
//! })?;
//!
//! // A Sysmon-shaped event: `QueryName`, `User` and `CommandLine` resolve through aliases.
//! let event = json!({
//!     "QueryName": "api.thequarterlymethod.com",
//!     "User": "CORP\\sysadmin",
//!     "CommandLine": "remus.exe --mode remus_log_aggregation",
//! });
//! let verdict = rule.evaluate(&event);
//! assert!(verdict.is_suppressed());
//! assert_eq!(verdict.scenario().unwrap().name(), "Admin log aggregation");
//! assert_eq!(verdict.hit().unwrap().indicator(), "thequarterlymethod.com");
//! # Ok::<(), iocmatch::rule::RuleError>(())
//! ```
//!
//! # Why a hash table, an FST and an Aho-Corasick automaton
//!
//! "Label-aware" means an indicator matches only whole DNS labels: `evil.com` covers `evil.com`
//! and `cdn.evil.com`, never `notevil.com` or `evil.com.attacker.net`. A domain lookup walks a
//! name once from its last label to its first, hashing each label-aligned suffix (`com`,
//! `evil.com`, `cdn.evil.com`) and probing a compact open-addressing table (about 15 bytes per
//! domain) whose candidates are verified by comparing the domain. Only label-aligned suffixes are
//! ever probed, which is what keeps `notevil.com` from matching `evil.com`.
//!
//! The first design walked an FST of byte-reversed domains behind a Bloom filter. On the real
//! DNS logs that walk cost about 500 ns per matching name, slower than a plain `HashSet`, so the
//! table replaced it for lookups. The [`fst`] map remains the serialized form
//! ([`IndicatorSet::to_bytes`]): compact, sorted and language-neutral.
//!
//! Text scans split free text into hostname tokens (runs of `[A-Za-z0-9._-]`) and run the same
//! walk on each token that can hold a domain. For small sets an [`aho_corasick`] automaton over
//! the domains can find candidate tokens instead; [`ScanEngine`] chooses, and the automaton is
//! built only on the first scan that needs it. KQL mode uses an automaton too, because Kusto's
//! `has` is a substring search with term-boundary checks, not a label lookup.
//!
//! # Input safety
//!
//! The library does no I/O, prints nothing, reads no environment and has no `unsafe` code.
//! Building and parsing fail with typed errors that name the value, its location and the fix;
//! matching never fails and never panics, on any bytes. Documented limits: [`MAX_NAME_LEN`],
//! [`MAX_LABEL_LEN`], [`filter::MAX_DEPTH`] and [`filter::MAX_FILTER_LEN`].
//!
//! # Limitations
//!
//! - Text scans compare ASCII only: a Unicode domain written in its Unicode form inside free text
//!   is not mapped to `xn--` and does not match. Domain lookups do map whole Unicode names.
//! - Kusto caps `has_any` at 10,000 values; this library has no cap, so a list Sentinel rejects
//!   still runs here.
//! - IP addresses and CIDR ranges are not indicators of a domain set; filters can match them.

#![forbid(unsafe_code)]
#![deny(missing_docs)]
#![warn(missing_debug_implementations)]

pub mod domain;
pub mod error;
pub mod event;
pub mod feed;
pub mod filter;
pub mod indicator;
pub mod kql;
pub mod rule;
pub mod set;

/// The README's Rust examples, compiled and run as doctests.
#[doc = include_str!("../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;

pub use domain::{
    MAX_LABEL_LEN, MAX_NAME_LEN, NormalizedIndicator, Reduction, Warnings, from_dns_debug,
    normalize_indicator, prepare_name,
};
pub use error::{BundleError, DomainError, DomainErrorKind, Location};
pub use event::{AliasedEvent, Event, FieldAliases};
pub use feed::{FeedError, FeedErrorKind};
pub use filter::{Filter, FilterError, FilterOptions};
pub use indicator::{IndicatorKind, IndicatorRecord, Metadata};
pub use kql::{KqlList, KqlOperator};
pub use rule::{Rule, RuleDefinition, Verdict};
pub use set::{
    DomainHit, DomainMatches, IndicatorSet, LenientBuild, MemoryUsage, Rejected, ScanEngine,
    SetBuilder, TextMatches, Warned,
};
