//! Errors from building a [`KqlList`](super::KqlList) and from parsing a
//! [`KqlOperator`](super::KqlOperator).

use super::KqlOperator;

/// An error from building a KQL value list or parsing a KQL operator.
///
/// Only building and parsing can fail. Matching a built list against a haystack never fails.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum KqlError {
    /// A value in the list is empty or contains only whitespace.
    #[error(
        "kql value at list index {index} is {} ({value:?}); \
         remove it or replace it with the intended term",
        if .value.is_empty() { "empty" } else { "whitespace-only" }
    )]
    BlankValue {
        /// Zero-based position of the value in the list given to the builder.
        index: usize,
        /// The value as given.
        value: String,
    },

    /// A string is not the Kusto spelling of any supported operator.
    #[error(
        "unknown kql operator {found:?}; expected one of {}",
        KqlOperator::spellings_for_message()
    )]
    UnknownOperator {
        /// The string that failed to parse.
        found: String,
    },

    /// The Aho-Corasick automaton over the values could not be built.
    #[error(
        "failed to build the kql matcher over {distinct_values} distinct values: {message}; \
         split the list into smaller lists"
    )]
    AutomatonBuild {
        /// Number of distinct case-folded values the automaton was built from.
        distinct_values: usize,
        /// The `aho-corasick` build error, rendered as text.
        message: String,
    },
}

/// The category of a [`KqlError`], for callers that branch on the failure.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum KqlErrorKind {
    /// See [`KqlError::BlankValue`].
    BlankValue,
    /// See [`KqlError::UnknownOperator`].
    UnknownOperator,
    /// See [`KqlError::AutomatonBuild`].
    AutomatonBuild,
}

impl KqlError {
    /// Returns the category of this error.
    ///
    /// ```
    /// use iocmatch::kql::{KqlErrorKind, KqlList};
    ///
    /// let err = KqlList::new(["evil.com", " "]).unwrap_err();
    /// assert_eq!(err.kind(), KqlErrorKind::BlankValue);
    /// ```
    pub fn kind(&self) -> KqlErrorKind {
        match self {
            KqlError::BlankValue { .. } => KqlErrorKind::BlankValue,
            KqlError::UnknownOperator { .. } => KqlErrorKind::UnknownOperator,
            KqlError::AutomatonBuild { .. } => KqlErrorKind::AutomatonBuild,
        }
    }
}
