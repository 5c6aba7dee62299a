//! KQL mode: the Kusto `has` operator family, quirks included.
//!
//! This mode exists so that a rule returns here exactly the result of the same Microsoft Sentinel
//! (Kusto) query. It is not DNS-aware: `"x-demale.shop" has "demale.shop"` is true because `-`
//! separates terms, and `"demale.shop.evil.com" has "demale.shop"` is true as well. Use domain
//! mode when label-correct results matter more than agreement with Sentinel.
//!
//! # Terms
//!
//! A term is a maximal run of term characters, and every other character separates terms,
//! including `_`, `.`, `-` and `:`. By default the term characters are the Unicode alphanumerics
//! (`char::is_alphanumeric`), as the current Kusto documentation describes them.
//! [`TermChars::Ascii`] selects ASCII letters and digits only, as older documentation described.
//!
//! `L has R` holds when, after ASCII case folding, `R` occurs in `L` at bytes `i..j` where:
//! - if `R` starts with a term character, `i == 0` or the character before `i` is not one;
//! - if `R` ends with a term character, `j == L.len()` or the character at `j` is not one.
//!
//! `hasprefix` checks only the first condition, `hassuffix` only the second, and the `_cs`
//! variants do not fold case. A value that starts or ends with a separator (`.com`, `evil.`) has no
//! edge to check on that side. Case folding is ASCII-only: `"É" has "é"` is false.
//!
//! # Values
//!
//! Values are used raw: never trimmed and never domain-normalized, so a trailing space in a value
//! must be present in the haystack too. An empty or whitespace-only value is a build error in a
//! [`KqlList`] and never matches in the single-value functions, because a blank term would match
//! nearly everything.
//!
//! # Main types
//!
//! - [`has`], [`has_cs`], [`hasprefix`], [`hasprefix_cs`], [`hassuffix`], [`hassuffix_cs`] and
//!   [`equals_ci`] compare one haystack with one value. The methods of the same names on
//!   [`TermChars`] choose the term characters.
//! - [`KqlList`] compiles a value list into an Aho-Corasick automaton for `has_any`, `has_all`,
//!   `in~` and `has_any_index`, and [`KqlList::find`] reports which bytes matched.
//! - [`KqlOperator`] names an operator in its Kusto spelling, and [`evaluate`] and
//!   [`evaluate_multi`] apply it to a list and a single or multi-valued haystack.
//!
//! ```
//! use iocmatch::kql::{KqlList, KqlOperator, evaluate, has};
//!
//! assert!(has("www.demale.shop", "demale.shop"));
//! assert!(!has("demale.shopping", "demale.shop"));
//! assert!(!has("BA", "b"));
//!
//! let list = KqlList::new(["monerohash.com", "xmrpool.eu"])?;
//! let operator: KqlOperator = "has_any".parse()?;
//! assert!(evaluate(operator, &list, "pool.XMRPOOL.eu"));
//! assert!(!evaluate(operator, &list, "myxmrpool.eu"));
//! # Ok::<(), iocmatch::kql::KqlError>(())
//! ```
//!
//! # Limitations
//!
//! - The Kusto documentation (learn.microsoft.com, `has_any` and `has_all` operator pages) states
//!   that `has_any` considers up to [`KUSTO_HAS_ANY_MAX_DISTINCT_VALUES`] distinct values and
//!   `has_all` up to [`KUSTO_HAS_ALL_MAX_DISTINCT_VALUES`]. This library has no cap, so a longer
//!   list matches here but will not behave the same in a Sentinel query.
//! - `has_all` over an empty list is false here. The Kusto documentation gives no result for that
//!   case, and a vacuous true would make a rule over an empty feed match every event.
//! - [`evaluate_multi`] tests each element of a multi-valued haystack on its own and never joins
//!   the elements.

mod error;
mod list;
mod operator;
mod terms;

pub use error::{KqlError, KqlErrorKind};
pub use list::{
    KUSTO_HAS_ALL_MAX_DISTINCT_VALUES, KUSTO_HAS_ANY_MAX_DISTINCT_VALUES, KqlList, KqlListBuilder,
    KqlMatch,
};
pub use operator::{KqlOperator, evaluate, evaluate_multi};
pub use terms::{
    TermChars, equals_ci, has, has_cs, hasprefix, hasprefix_cs, hassuffix, hassuffix_cs,
};
