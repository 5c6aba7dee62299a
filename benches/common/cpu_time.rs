//! A criterion measurement of the bench thread's CPU time.
//!
//! Other jobs share the 2-core machine these benches run on, and wall time then counts the
//! periods in which the scheduler ran them instead of the bench. CPU time leaves those periods
//! out, so ratios between engines stay comparable under load. Cache contention from the other
//! jobs still shows.

use std::time::{Duration, Instant};

use criterion::measurement::{Measurement, ValueFormatter, WallTime};

/// Linux's per-thread scheduler statistics. The first field is the CPU time in nanoseconds.
const SCHEDSTAT: &str = "/proc/thread-self/schedstat";

/// CPU time of the calling thread, read from `/proc/thread-self/schedstat`, or wall time where
/// that file cannot be read.
pub struct ThreadCpuTime {
    wall: WallTime,
    has_schedstat: bool,
}

/// A clock reading taken when a sample starts.
pub enum Reading {
    CpuNanos(u64),
    Wall(Instant),
}

impl ThreadCpuTime {
    /// Checks that the scheduler statistics can be read, and prints a notice when they cannot.
    pub fn new() -> Self {
        let has_schedstat = read_cpu_nanos().is_some();
        if !has_schedstat {
            eprintln!("{SCHEDSTAT} cannot be read: measuring wall time instead of CPU time");
        }
        ThreadCpuTime {
            wall: WallTime,
            has_schedstat,
        }
    }

    /// Returns what the measurement measures, for the bench log.
    pub fn describe(&self) -> &'static str {
        if self.has_schedstat {
            "thread CPU time"
        } else {
            "wall time"
        }
    }
}

fn read_cpu_nanos() -> Option<u64> {
    let text = std::fs::read_to_string(SCHEDSTAT).ok()?;
    text.split_whitespace().next()?.parse().ok()
}

impl Measurement for ThreadCpuTime {
    type Intermediate = Reading;
    type Value = Duration;

    fn start(&self) -> Reading {
        match self.has_schedstat.then(read_cpu_nanos).flatten() {
            Some(nanos) => Reading::CpuNanos(nanos),
            None => Reading::Wall(Instant::now()),
        }
    }

    fn end(&self, start: Reading) -> Duration {
        match start {
            Reading::CpuNanos(start) => {
                let end = read_cpu_nanos().expect("schedstat was readable when the sample started");
                Duration::from_nanos(end.saturating_sub(start))
            }
            Reading::Wall(start) => start.elapsed(),
        }
    }

    fn add(&self, first: &Duration, second: &Duration) -> Duration {
        *first + *second
    }

    fn zero(&self) -> Duration {
        Duration::ZERO
    }

    fn to_f64(&self, value: &Duration) -> f64 {
        value.as_nanos() as f64
    }

    /// Returns wall time's formatter, because both measurements are in nanoseconds.
    fn formatter(&self) -> &dyn ValueFormatter {
        self.wall.formatter()
    }
}
