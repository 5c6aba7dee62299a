//! Helpers shared by the integration tests: naive oracles and real-data loading.

#![allow(dead_code)]

pub mod data;
pub mod feed_samples;
pub mod naive;
pub mod naive_filter;
pub mod naive_kql;
