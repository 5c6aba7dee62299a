//! iocmatch: match threat-intel indicators against events.
//!
//! Crate documentation is written once the public API settles.

#![forbid(unsafe_code)]
#![deny(missing_docs)]
#![warn(missing_debug_implementations)]

pub mod event;
pub mod filter;
pub mod kql;

pub use event::{AliasedEvent, Event, FieldAliases};
pub use filter::{Filter, FilterError, FilterOptions};
