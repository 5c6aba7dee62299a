//! The serialized form of an [`IndicatorSet`]: build once, ship the bytes, load them anywhere.
//!
//! Layout, all integers little-endian:
//!
//! | bytes | content |
//! |---|---|
//! | 8 | magic `IOCMSET1` |
//! | 1 | flags: bit 0 exact-only |
//! | 1 | scan engine: 0 auto, 1 tokens, 2 automaton |
//! | 8 | FST length `n` |
//! | n | the `fst::Map` bytes |
//! | rest | JSON: `{"entries": [[pattern, records_end], …], "records": [IndicatorRecord, …]}` |
//!
//! Loading checks everything a lookup relies on, so a corrupt or hostile bundle is an error, never
//! a panic or a wrong result. The `fst` crate trusts the bytes it reads (a crafted FST can make it
//! panic), so the loader never parses the stored FST. Instead it validates the tables, rebuilds
//! the FST from them and requires the result to equal the stored bytes. Loading therefore costs
//! about as much as building. The stored FST is the format's integrity check and its
//! language-neutral index. The lookup hash table is rebuilt, not stored.

use serde::{Deserialize, Serialize};

use crate::domain::normalize_indicator;
use crate::error::{BundleError, BundleErrorKind};
use crate::indicator::IndicatorRecord;
use crate::set::domain_walk::reversed_key;
use crate::set::{Entry, IndicatorSet, ScanEngine};

const MAGIC: &[u8; 8] = b"IOCMSET1";
const HEADER_LEN: usize = 8 + 1 + 1 + 8;

#[derive(Serialize, Deserialize)]
struct Tables {
    entries: Vec<(Box<str>, usize)>,
    records: Vec<IndicatorRecord>,
}

/// Serializes a set.
pub(crate) fn to_bytes(set: &IndicatorSet) -> Vec<u8> {
    let map = build_fst(&set.entries).expect("a set's entries are in reversed-key order");
    let fst_bytes = map.as_fst().as_bytes();
    let tables = Tables {
        entries: set
            .entries
            .iter()
            .map(|entry| (entry.pattern.clone(), entry.records_end))
            .collect(),
        records: set.records.clone(),
    };
    let mut bytes = Vec::with_capacity(HEADER_LEN + fst_bytes.len());
    bytes.extend_from_slice(MAGIC);
    bytes.push(u8::from(set.exact_only));
    bytes.push(match set.scan_engine {
        ScanEngine::Auto => 0,
        ScanEngine::Tokens => 1,
        ScanEngine::Automaton => 2,
    });
    bytes.extend_from_slice(&(fst_bytes.len() as u64).to_le_bytes());
    bytes.extend_from_slice(fst_bytes);
    serde_json::to_writer(&mut bytes, &tables).expect("tables have string keys only");
    bytes
}

/// Loads and validates a serialized set.
pub(crate) fn from_bytes(bytes: &[u8]) -> Result<IndicatorSet, BundleError> {
    let fail = |kind, offset| BundleError::new(kind, offset);

    // Step 1: the fixed header, so that every later length is checked against the input size.
    if bytes.len() < HEADER_LEN || &bytes[..8] != MAGIC {
        return Err(fail(BundleErrorKind::BadMagic, 0));
    }
    let exact_only = match bytes[8] {
        0 => false,
        1 => true,
        _ => return Err(fail(BundleErrorKind::BadHeader, 8)),
    };
    let scan_engine = match bytes[9] {
        0 => ScanEngine::Auto,
        1 => ScanEngine::Tokens,
        2 => ScanEngine::Automaton,
        _ => return Err(fail(BundleErrorKind::BadHeader, 9)),
    };
    let fst_len = u64::from_le_bytes(bytes[10..18].try_into().expect("8 header bytes"));
    let fst_end = usize::try_from(fst_len)
        .ok()
        .and_then(|len| HEADER_LEN.checked_add(len))
        .filter(|&end| end <= bytes.len())
        .ok_or_else(|| fail(BundleErrorKind::Truncated, 10))?;

    // Step 2: the tables, then the FST rebuilt from them and compared with the stored bytes.
    let tables: Tables = serde_json::from_slice(&bytes[fst_end..])
        .map_err(|_| fail(BundleErrorKind::BadTables, fst_end))?;
    let entries = validate_entries(&tables, fst_end)?;
    let map = build_fst(&entries).ok_or_else(|| fail(BundleErrorKind::BadTables, fst_end))?;
    if map.as_fst().as_bytes() != &bytes[HEADER_LEN..fst_end] {
        return Err(fail(BundleErrorKind::KeyMismatch, HEADER_LEN));
    }

    Ok(IndicatorSet::from_parts(
        entries,
        tables.records,
        exact_only,
        scan_engine,
    ))
}

/// Checks that each pattern is a normalized indicator and that record ranges ascend within
/// bounds.
fn validate_entries(tables: &Tables, offset: usize) -> Result<Vec<Entry>, BundleError> {
    let mut entries = Vec::with_capacity(tables.entries.len());
    let mut previous_end = 0;
    for (pattern, records_end) in &tables.entries {
        let normalized = normalize_indicator(pattern)
            .map_err(|_| BundleError::new(BundleErrorKind::BadTables, offset))?;
        if normalized.to_pattern() != **pattern {
            return Err(BundleError::new(BundleErrorKind::BadTables, offset));
        }
        if *records_end <= previous_end || *records_end > tables.records.len() {
            return Err(BundleError::new(BundleErrorKind::BadTables, offset));
        }
        previous_end = *records_end;
        entries.push(Entry {
            pattern: pattern.clone(),
            records_end: *records_end,
        });
    }
    if previous_end != tables.records.len() {
        return Err(BundleError::new(BundleErrorKind::BadTables, offset));
    }
    Ok(entries)
}

/// Builds the FST of the entries, or returns `None` when they are not in reversed-key order.
fn build_fst(entries: &[Entry]) -> Option<fst::Map<Vec<u8>>> {
    let mut builder = fst::MapBuilder::memory();
    for (index, entry) in entries.iter().enumerate() {
        let key = reversed_key(entry.domain(), entry.is_wildcard());
        builder.insert(&key, index as u64).ok()?;
    }
    let bytes = builder.into_inner().expect("writing to memory cannot fail");
    Some(fst::Map::new(bytes).expect("the builder wrote a valid FST"))
}
