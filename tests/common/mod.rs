//! Helpers shared by the integration tests.

#![allow(dead_code)]

pub mod naive_filter;

use std::path::PathBuf;

/// Returns the shared data directory, or `None` (after printing why) when it is absent.
pub fn data_dir() -> Option<PathBuf> {
    let dir = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/data"));
    if dir.is_dir() {
        Some(dir)
    } else {
        println!("skipping: data directory {} is absent", dir.display());
        None
    }
}
