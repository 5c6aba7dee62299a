//! iocmatch: match threat-intel indicators against events.
//!
//! Crate documentation is written once the public API settles.

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
pub mod set;

pub use domain::{
    MAX_LABEL_LEN, MAX_NAME_LEN, NormalizedIndicator, Reduction, Warnings, from_dns_debug,
    normalize_indicator, prepare_name,
};
pub use error::{DomainError, DomainErrorKind, Location};
pub use feed::{FeedError, FeedErrorKind};
pub use indicator::{IndicatorKind, IndicatorRecord, Metadata};
pub use set::{
    DomainHit, DomainMatches, IndicatorSet, LenientBuild, Rejected, ScanEngine, SetBuilder,
    TextMatches,
};
