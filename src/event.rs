//! Field access on events.
