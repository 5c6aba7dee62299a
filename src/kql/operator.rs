//! The KQL operators a rule can name, and the evaluation entry points.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use super::error::KqlError;
use super::list::{KqlList, KqlMatch};
use super::terms::{Case, Edges};

/// A Kusto string operator of the `has` family, with `in~` and `=~`.
///
/// [`Display`](fmt::Display), [`FromStr`] and serde use the Kusto spelling (`has_any`, `!has`,
/// `in~`, `=~`), which is case-sensitive as in Kusto.
///
/// Over a [`KqlList`], a single-value operator (`has`, `hasprefix`, `=~`, ...) is true when it
/// holds for some value, so `has` behaves as `has_any` and `=~` as `in~`. A negated operator is the
/// negation of its positive form over the whole list: `!has` is true when no value is a term match,
/// and so it is true for an empty list.
///
/// ```
/// use iocmatch::kql::KqlOperator;
///
/// let op: KqlOperator = "!has_cs".parse()?;
/// assert_eq!(op, KqlOperator::NotHasCs);
/// assert_eq!(op.to_string(), "!has_cs");
/// assert_eq!(serde_json::to_string(&KqlOperator::InCi).unwrap(), "\"in~\"");
/// # Ok::<(), iocmatch::kql::KqlError>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "&'static str")]
pub enum KqlOperator {
    /// `has`: a value occurs as whole terms, ASCII case-insensitively.
    Has,
    /// `!has`: the negation of `has`.
    NotHas,
    /// `has_cs`: `has` without case folding.
    HasCs,
    /// `!has_cs`: the negation of `has_cs`.
    NotHasCs,
    /// `has_any`: some distinct value occurs as whole terms, ASCII case-insensitively.
    HasAny,
    /// `has_all`: every distinct value occurs as whole terms, ASCII case-insensitively. False for
    /// an empty list.
    HasAll,
    /// `hasprefix`: a value occurs at the start of a term, ASCII case-insensitively.
    HasPrefix,
    /// `!hasprefix`: the negation of `hasprefix`.
    NotHasPrefix,
    /// `hasprefix_cs`: `hasprefix` without case folding.
    HasPrefixCs,
    /// `!hasprefix_cs`: the negation of `hasprefix_cs`.
    NotHasPrefixCs,
    /// `hassuffix`: a value occurs at the end of a term, ASCII case-insensitively.
    HasSuffix,
    /// `!hassuffix`: the negation of `hassuffix`.
    NotHasSuffix,
    /// `hassuffix_cs`: `hassuffix` without case folding.
    HasSuffixCs,
    /// `!hassuffix_cs`: the negation of `hassuffix_cs`.
    NotHasSuffixCs,
    /// `in~`: the whole haystack equals a value up to ASCII case.
    InCi,
    /// `!in~`: the negation of `in~`.
    NotInCi,
    /// `=~`: the whole haystack equals the value up to ASCII case.
    EqualsCi,
    /// `!~`: the negation of `=~`.
    NotEqualsCi,
}

/// The comparison that a positive operator makes between the values and a haystack.
#[derive(Clone, Copy, Debug)]
enum Comparison {
    /// Some value occurs with the given case handling and edge checks.
    AnyTerm(Case, Edges),
    /// Every distinct value occurs as whole terms, ASCII case-insensitively.
    AllTerms,
    /// The whole haystack equals some value up to ASCII case.
    WholeValue,
}

impl KqlOperator {
    /// Every operator, in declaration order.
    pub const ALL: [KqlOperator; 18] = [
        KqlOperator::Has,
        KqlOperator::NotHas,
        KqlOperator::HasCs,
        KqlOperator::NotHasCs,
        KqlOperator::HasAny,
        KqlOperator::HasAll,
        KqlOperator::HasPrefix,
        KqlOperator::NotHasPrefix,
        KqlOperator::HasPrefixCs,
        KqlOperator::NotHasPrefixCs,
        KqlOperator::HasSuffix,
        KqlOperator::NotHasSuffix,
        KqlOperator::HasSuffixCs,
        KqlOperator::NotHasSuffixCs,
        KqlOperator::InCi,
        KqlOperator::NotInCi,
        KqlOperator::EqualsCi,
        KqlOperator::NotEqualsCi,
    ];

    /// Returns the Kusto spelling of the operator.
    ///
    /// ```
    /// use iocmatch::kql::KqlOperator;
    ///
    /// assert_eq!(KqlOperator::NotEqualsCi.as_str(), "!~");
    /// ```
    pub fn as_str(self) -> &'static str {
        match self {
            KqlOperator::Has => "has",
            KqlOperator::NotHas => "!has",
            KqlOperator::HasCs => "has_cs",
            KqlOperator::NotHasCs => "!has_cs",
            KqlOperator::HasAny => "has_any",
            KqlOperator::HasAll => "has_all",
            KqlOperator::HasPrefix => "hasprefix",
            KqlOperator::NotHasPrefix => "!hasprefix",
            KqlOperator::HasPrefixCs => "hasprefix_cs",
            KqlOperator::NotHasPrefixCs => "!hasprefix_cs",
            KqlOperator::HasSuffix => "hassuffix",
            KqlOperator::NotHasSuffix => "!hassuffix",
            KqlOperator::HasSuffixCs => "hassuffix_cs",
            KqlOperator::NotHasSuffixCs => "!hassuffix_cs",
            KqlOperator::InCi => "in~",
            KqlOperator::NotInCi => "!in~",
            KqlOperator::EqualsCi => "=~",
            KqlOperator::NotEqualsCi => "!~",
        }
    }

    /// Returns whether the operator negates another one (`!has`, `!in~`, `!~`, ...).
    pub fn is_negated(self) -> bool {
        self != self.positive()
    }

    /// Returns the operator without its negation: `Has` for `NotHas`, itself for a positive one.
    ///
    /// ```
    /// use iocmatch::kql::KqlOperator;
    ///
    /// assert_eq!(KqlOperator::NotInCi.positive(), KqlOperator::InCi);
    /// assert_eq!(KqlOperator::HasAll.positive(), KqlOperator::HasAll);
    /// ```
    pub fn positive(self) -> KqlOperator {
        match self {
            KqlOperator::NotHas => KqlOperator::Has,
            KqlOperator::NotHasCs => KqlOperator::HasCs,
            KqlOperator::NotHasPrefix => KqlOperator::HasPrefix,
            KqlOperator::NotHasPrefixCs => KqlOperator::HasPrefixCs,
            KqlOperator::NotHasSuffix => KqlOperator::HasSuffix,
            KqlOperator::NotHasSuffixCs => KqlOperator::HasSuffixCs,
            KqlOperator::NotInCi => KqlOperator::InCi,
            KqlOperator::NotEqualsCi => KqlOperator::EqualsCi,
            positive => positive,
        }
    }

    /// Returns the comparison that the positive form of this operator makes.
    fn comparison(self) -> Comparison {
        use KqlOperator::*;
        match self {
            Has | NotHas | HasAny => Comparison::AnyTerm(Case::Insensitive, Edges::BOTH),
            HasCs | NotHasCs => Comparison::AnyTerm(Case::Sensitive, Edges::BOTH),
            HasPrefix | NotHasPrefix => Comparison::AnyTerm(Case::Insensitive, Edges::LEFT),
            HasPrefixCs | NotHasPrefixCs => Comparison::AnyTerm(Case::Sensitive, Edges::LEFT),
            HasSuffix | NotHasSuffix => Comparison::AnyTerm(Case::Insensitive, Edges::RIGHT),
            HasSuffixCs | NotHasSuffixCs => Comparison::AnyTerm(Case::Sensitive, Edges::RIGHT),
            HasAll => Comparison::AllTerms,
            InCi | NotInCi | EqualsCi | NotEqualsCi => Comparison::WholeValue,
        }
    }

    /// Lists every spelling for the unknown-operator message.
    pub(crate) fn spellings_for_message() -> String {
        let spellings: Vec<&str> = KqlOperator::ALL.iter().map(|op| op.as_str()).collect();
        spellings.join(", ")
    }
}

impl fmt::Display for KqlOperator {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for KqlOperator {
    type Err = KqlError;

    /// Parses the exact Kusto spelling. Surrounding whitespace and other letter cases are rejected.
    fn from_str(text: &str) -> Result<KqlOperator, KqlError> {
        KqlOperator::ALL
            .into_iter()
            .find(|op| op.as_str() == text)
            .ok_or_else(|| KqlError::UnknownOperator {
                found: text.to_string(),
            })
    }
}

impl TryFrom<String> for KqlOperator {
    type Error = KqlError;

    fn try_from(text: String) -> Result<KqlOperator, KqlError> {
        text.parse()
    }
}

impl From<KqlOperator> for &'static str {
    fn from(operator: KqlOperator) -> &'static str {
        operator.as_str()
    }
}

/// Evaluates `haystack <operator> (list)` with the list's term characters.
///
/// ```
/// use iocmatch::kql::{KqlList, KqlOperator, evaluate};
///
/// let list = KqlList::new(["demale.shop"])?;
/// assert!(evaluate(KqlOperator::HasAny, &list, "www.demale.shop"));
/// assert!(evaluate(KqlOperator::NotHas, &list, "xdemale.shop"));
/// assert!(evaluate(KqlOperator::HasSuffix, &list, "xdemale.shop"));
/// assert!(!evaluate(KqlOperator::InCi, &list, "www.demale.shop"));
/// # Ok::<(), iocmatch::kql::KqlError>(())
/// ```
pub fn evaluate(operator: KqlOperator, list: &KqlList, haystack: &str) -> bool {
    let positive = match operator.comparison() {
        Comparison::AnyTerm(case, edges) => list.any_match(haystack, case, edges),
        Comparison::AllTerms => list.has_all(haystack),
        Comparison::WholeValue => list.in_ci(haystack),
    };
    positive != operator.is_negated()
}

/// Evaluates `operator` over a multi-valued haystack, such as an array field of an event.
///
/// A positive operator is true when it holds for some element, and a negated operator is the
/// negation of that: `!has` is true when no element has a value. Elements are never joined, so a
/// value that would only occur across two elements does not match. With no elements at all, every
/// positive operator is false and every negated one true, as for a missing field.
///
/// ```
/// use iocmatch::kql::{KqlList, KqlOperator, evaluate_multi};
///
/// let list = KqlList::new(["demale.shop"])?;
/// assert!(evaluate_multi(KqlOperator::Has, &list, ["example.org", "cdn.demale.shop"]));
/// assert!(!evaluate_multi(KqlOperator::Has, &list, ["demale", ".shop"]));
/// assert!(evaluate_multi(KqlOperator::NotHas, &list, ["demale", ".shop"]));
/// # Ok::<(), iocmatch::kql::KqlError>(())
/// ```
pub fn evaluate_multi<I, S>(operator: KqlOperator, list: &KqlList, haystacks: I) -> bool
where
    I: IntoIterator<Item = S>,
    S: AsRef<str>,
{
    let positive = operator.positive();
    let any = haystacks
        .into_iter()
        .any(|haystack| evaluate(positive, list, haystack.as_ref()));
    any != operator.is_negated()
}

impl KqlList {
    /// Finds the match that decides `haystack <operator> (list)`: the leftmost value occurrence
    /// under the operator's term rule, lowest list index first among matches at the same start.
    ///
    /// For a negated operator this is the match of its positive form, so `Some` means the negated
    /// operator is false. For `has_all` it is the leftmost match, returned only when every distinct
    /// value matched. For `in~` and `=~` the span is the whole haystack.
    ///
    /// ```
    /// use iocmatch::kql::{KqlList, KqlOperator};
    ///
    /// let list = KqlList::new(["evil", "demale.shop"])?;
    /// let found = list.find_with(KqlOperator::HasPrefix, "www.demale.shopping").unwrap();
    /// assert_eq!((found.index(), found.span()), (1, 4..15));
    /// assert!(list.find_with(KqlOperator::NotHas, "www.demale.shopping").is_none());
    /// # Ok::<(), iocmatch::kql::KqlError>(())
    /// ```
    pub fn find_with(&self, operator: KqlOperator, haystack: &str) -> Option<KqlMatch> {
        match operator.comparison() {
            Comparison::AnyTerm(case, edges) => self.find_first(haystack, case, edges),
            Comparison::AllTerms if self.has_all(haystack) => {
                self.find_first(haystack, Case::Insensitive, Edges::BOTH)
            }
            Comparison::AllTerms => None,
            Comparison::WholeValue => self.find_equal(haystack),
        }
    }
}
