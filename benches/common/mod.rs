//! Helpers shared by the bench files: input corpora and the peer implementations they are
//! compared with.

// Each bench file uses a different part of these helpers.
#![allow(dead_code)]

pub mod corpus;
pub mod cpu_time;
pub mod peers;
