//! Builds a domain set from every line of the blocklists in a folder and prints its size, so
//! that the peak resident memory of a build can be measured from outside:
//!
//! ```text
//! cargo build --release --example build_memory
//! /usr/bin/time -v target/release/examples/build_memory lines   # loading the lines only
//! /usr/bin/time -v target/release/examples/build_memory build   # loading and building
//! ```
//!
//! The difference between the two "Maximum resident set size" figures is what the build
//! itself needs. An optional second argument names the folder of `.txt` lists; the default is
//! the ShadowWhisperer lists under `../shared/data`.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use iocmatch::SetBuilder;

const DEFAULT_LISTS: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../shared/data/domain-lists/shadowwhisperer"
);

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let mode = args.next().unwrap_or_else(|| "build".to_owned());
    if mode != "lines" && mode != "build" {
        eprintln!("usage: build_memory [lines|build] [FOLDER_OF_TXT_LISTS]");
        return ExitCode::FAILURE;
    }
    let folder = args
        .next()
        .map_or_else(|| PathBuf::from(DEFAULT_LISTS), PathBuf::from);
    if !folder.is_dir() {
        eprintln!("{} is absent: nothing to measure", folder.display());
        return ExitCode::SUCCESS;
    }

    let lines = match read_union(&folder) {
        Ok(lines) => lines,
        Err(error) => {
            eprintln!("reading {} failed: {error}", folder.display());
            return ExitCode::FAILURE;
        }
    };
    println!("{} distinct lines read", lines.len());
    if mode == "lines" {
        print_peak_memory();
        return ExitCode::SUCCESS;
    }

    let start = Instant::now();
    let mut builder = SetBuilder::new();
    for line in &lines {
        builder.push(line);
    }
    let built = builder.build_lenient();
    let elapsed = start.elapsed();
    let set = built.set;
    println!(
        "built {} indicators ({} lines rejected) in {:.2} s",
        set.len(),
        built.rejected.len(),
        elapsed.as_secs_f64()
    );

    let usage = set.memory_usage();
    let per_indicator = |bytes: usize| bytes as f64 / set.len() as f64;
    for (part, bytes) in [
        ("index (lookup table)", usage.index),
        ("records", usage.records),
        ("automaton", usage.automaton),
    ] {
        println!(
            "{part:>12}: {bytes:>10} bytes, {:6.2} bytes per indicator",
            per_indicator(bytes)
        );
    }
    print_peak_memory();
    ExitCode::SUCCESS
}

/// Reads the distinct non-empty, non-comment lines of every `.txt` file in `folder`.
fn read_union(folder: &Path) -> std::io::Result<Vec<String>> {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(folder)?
        .map(|entry| entry.map(|entry| entry.path()))
        .collect::<std::io::Result<_>>()?;
    paths.retain(|path| path.extension().is_some_and(|ext| ext == "txt"));
    paths.sort();

    let mut seen = HashSet::new();
    let mut lines = Vec::new();
    for path in paths {
        for line in std::fs::read_to_string(&path)?.lines() {
            let line = line.trim();
            if !line.is_empty() && !line.starts_with('#') && seen.insert(line.to_owned()) {
                lines.push(line.to_owned());
            }
        }
    }
    Ok(lines)
}

/// Prints the process's peak resident set size as Linux reports it (`VmHWM`), where available.
fn print_peak_memory() {
    let Ok(status) = std::fs::read_to_string("/proc/self/status") else {
        return;
    };
    if let Some(line) = status.lines().find(|line| line.starts_with("VmHWM:")) {
        println!("peak resident memory: {}", line["VmHWM:".len()..].trim());
    }
}
