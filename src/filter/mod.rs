//! Exclusion filter language.
