//! Normalization and validation of one indicator domain or one log name.
//!
//! Indicators arrive defanged, as URLs, as `host:port`, in Unicode or with a root dot.
//! [`normalize_indicator`] turns each into the lower-case ASCII (`xn--`) domain that a set
//! stores, and reports what it changed. Log names take the lighter [`prepare_name`]: no refanging and
//! no URL reduction, because a DNS log contains names, not indicators.

use std::borrow::Cow;
use std::net::{Ipv4Addr, Ipv6Addr};

use serde::{Deserialize, Serialize};

use crate::error::{DomainError, DomainErrorKind};

/// Maximum length of one label in octets (RFC 1035, section 2.3.4).
pub const MAX_LABEL_LEN: usize = 63;

/// Maximum length of a name in octets, without the root dot (RFC 1035 and RFC 2181).
pub const MAX_NAME_LEN: usize = 253;

/// The form an indicator value was reduced from to get its host.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Reduction {
    /// A URL, with or without a scheme: scheme, user info, port, path, query and fragment were removed.
    Url,
    /// A `host:port` pair: the port was removed.
    HostPort,
}

/// Conditions that DNS allows but a rule author should know about.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Warnings {
    /// A label starts or ends with `-`, which DNS accepts but host names (RFC 1123) do not.
    pub hyphen_at_label_edge: bool,
    /// The domain is a single label, such as `onion`: in domain mode it covers a whole top-level domain.
    pub single_label: bool,
}

impl Warnings {
    /// Returns whether any warning is set.
    pub fn is_any(&self) -> bool {
        self.hyphen_at_label_edge || self.single_label
    }
}

/// An indicator domain after normalization, with a record of what normalization changed.
///
/// ```
/// let n = iocmatch::normalize_indicator("hxxps://CDN.Evil[.]com:8443/payload").unwrap();
/// assert_eq!(n.domain(), "cdn.evil.com");
/// assert!(n.is_refanged());
/// assert_eq!(n.reduction(), Some(iocmatch::Reduction::Url));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct NormalizedIndicator {
    domain: String,
    wildcard: bool,
    refanged: bool,
    reduction: Option<Reduction>,
    warnings: Warnings,
}

impl NormalizedIndicator {
    /// Returns the normalized domain, without the `*.` of a wildcard indicator.
    pub fn domain(&self) -> &str {
        &self.domain
    }

    /// Returns whether the indicator was `*.domain`, which matches strict subdomains only.
    pub fn is_wildcard(&self) -> bool {
        self.wildcard
    }

    /// Returns whether defanging such as `[.]` or `hxxp` was undone.
    pub fn is_refanged(&self) -> bool {
        self.refanged
    }

    /// Returns what the value was reduced from, when it was a URL or `host:port`.
    pub fn reduction(&self) -> Option<Reduction> {
        self.reduction
    }

    /// Returns the warnings raised during validation.
    pub fn warnings(&self) -> Warnings {
        self.warnings
    }

    /// Returns the indicator as a domain pattern: `*.domain` for wildcards, else the domain.
    pub fn to_pattern(&self) -> String {
        if self.wildcard {
            format!("*.{}", self.domain)
        } else {
            self.domain.clone()
        }
    }
}

/// Normalizes and validates one indicator value.
///
/// The steps, in order: trim white space; undo defanging (`[.]`, `(.)`, `{.}`, `[dot]`, `(dot)`,
/// `hxxp`, `[:]`, `[://]`, `[@]`, `[/]`); reduce a URL or `host:port` to its host; take a leading
/// `*.` as a wildcard; map to ASCII with UTS #46 non-transitional processing, which also lower-cases
/// (`faß.de` becomes `xn--fa-hia.de`); strip one root dot; validate labels (1 to
/// [`MAX_LABEL_LEN`] octets of letters, digits, `-` and `_`) and length (at most [`MAX_NAME_LEN`]).
///
/// ```
/// use iocmatch::normalize_indicator;
///
/// assert_eq!(normalize_indicator(" Demale[.]Shop. ").unwrap().domain(), "demale.shop");
/// assert_eq!(normalize_indicator("bücher.example").unwrap().domain(), "xn--bcher-kva.example");
/// assert!(normalize_indicator("*.demale.shop").unwrap().is_wildcard());
/// assert!(normalize_indicator("onion").unwrap().warnings().single_label);
/// assert!(normalize_indicator("10.0.0.1:443").is_err());
/// ```
///
/// # Errors
///
/// Returns a [`DomainError`] naming the value and the rule it breaks: empty value, invalid
/// character, empty label, label or name too long, IDN mapping failure, misplaced wildcard, IP
/// address, or a URL without a host.
pub fn normalize_indicator(value: &str) -> Result<NormalizedIndicator, DomainError> {
    let fail = |kind| DomainError::new(value, kind);

    let trimmed = value.trim();
    if trimmed.is_empty() {
        return Err(fail(DomainErrorKind::Empty));
    }

    let refanged = refang(trimmed);
    let is_refanged = matches!(refanged, Cow::Owned(_));

    let (host, reduction) = reduce_to_host(&refanged).map_err(fail)?;

    let (host, wildcard) = match host.strip_prefix("*.") {
        Some(rest) => (rest, true),
        None => (host, false),
    };
    if host.contains('*') {
        return Err(fail(DomainErrorKind::MisplacedWildcard));
    }

    let domain = to_ascii_domain(host).map_err(|kind| locate_in(value, kind))?;
    let domain = strip_root_dot(&domain);
    let warnings = validate(domain).map_err(|kind| locate_in(value, kind))?;
    if is_ip_address(domain) {
        return Err(fail(DomainErrorKind::IpAddress));
    }

    Ok(NormalizedIndicator {
        domain: domain.to_owned(),
        wildcard,
        refanged: is_refanged,
        reduction,
        warnings,
    })
}

/// Prepares a name read from a log for comparison: strips one root dot, lower-cases ASCII and maps
/// a non-ASCII name to its `xn--` form, then validates it like an indicator.
///
/// Lookups do this themselves and never fail; call this to reject malformed log names up front.
/// Unlike [`normalize_indicator`], it neither refangs nor reduces URLs, and `*` is an invalid
/// character.
///
/// ```
/// use iocmatch::prepare_name;
///
/// assert_eq!(prepare_name("WWW.Demale.Shop.").unwrap(), "www.demale.shop");
/// assert_eq!(prepare_name("münchen.example").unwrap(), "xn--mnchen-3ya.example");
/// assert!(prepare_name("evil[.]com").is_err());
/// ```
///
/// # Errors
///
/// Returns a [`DomainError`] when the name is empty, contains an invalid character or an empty
/// label, is too long, or fails IDN mapping.
pub fn prepare_name(name: &str) -> Result<Cow<'_, str>, DomainError> {
    let fail = |kind| DomainError::new(name, kind);
    if name.is_empty() {
        return Err(fail(DomainErrorKind::Empty));
    }
    let prepared = prepare_for_lookup(name).ok_or_else(|| fail(DomainErrorKind::Idna))?;
    validate(&prepared).map_err(|kind| locate_in(name, kind))?;
    Ok(prepared)
}

/// Prepares a log name for a lookup without validating it: strips one root dot, and maps a
/// non-ASCII name through UTS #46. ASCII names are borrowed unchanged, because lookups fold ASCII
/// case byte by byte. Returns `None` when IDN mapping fails: such a name matches nothing.
///
/// A non-ASCII name loses its root dot after mapping, so that a root dot written as `。` counts
/// as the one root dot too.
pub(crate) fn prepare_for_lookup(name: &str) -> Option<Cow<'_, str>> {
    if name.is_ascii() {
        let name = strip_root_dot(name);
        if name.bytes().any(|b| b.is_ascii_uppercase()) {
            return Some(Cow::Owned(name.to_ascii_lowercase()));
        }
        return Some(Cow::Borrowed(name));
    }
    let mapped = idna::domain_to_ascii_cow(name.as_bytes(), idna::AsciiDenyList::EMPTY).ok()?;
    Some(Cow::Owned(strip_root_dot(&mapped).to_owned()))
}

/// Converts a name in Windows DNS debug-log form, such as `(3)www(6)demale(4)shop(0)`, to
/// dotted form.
///
/// ```
/// assert_eq!(iocmatch::from_dns_debug("(3)www(6)demale(4)shop(0)").unwrap(), "www.demale.shop");
/// assert!(iocmatch::from_dns_debug("(3)www(9)demale(0)").is_err());
/// ```
///
/// # Errors
///
/// Returns a [`DomainError`] of kind [`DomainErrorKind::DnsDebugForm`] with the byte offset where
/// the form breaks: a missing `(`, a length that is not a number, a label shorter than its length,
/// or a missing `(0)` at the end. The root name `(0)` alone is [`DomainErrorKind::Empty`].
pub fn from_dns_debug(debug_name: &str) -> Result<String, DomainError> {
    let fail_at = |offset| DomainError::new(debug_name, DomainErrorKind::DnsDebugForm { offset });
    let bytes = debug_name.as_bytes();
    let mut labels: Vec<&str> = Vec::new();
    let mut at = 0;
    loop {
        if bytes.get(at) != Some(&b'(') {
            return Err(fail_at(at));
        }
        let digits_start = at + 1;
        let digits_len = bytes[digits_start..]
            .iter()
            .take_while(|b| b.is_ascii_digit())
            .count();
        let close = digits_start + digits_len;
        if digits_len == 0 || digits_len > 3 || bytes.get(close) != Some(&b')') {
            return Err(fail_at(digits_start));
        }
        let len: usize = debug_name[digits_start..close]
            .parse()
            .map_err(|_| fail_at(digits_start))?;
        let label_start = close + 1;
        if len == 0 {
            if label_start != bytes.len() {
                return Err(fail_at(label_start));
            }
            break;
        }
        let label_end = label_start + len;
        let label = debug_name
            .get(label_start..label_end)
            .filter(|label| !label.contains(['(', ')']))
            .ok_or_else(|| fail_at(label_start))?;
        labels.push(label);
        at = label_end;
    }
    if labels.is_empty() {
        return Err(DomainError::new(debug_name, DomainErrorKind::Empty));
    }
    Ok(labels.join("."))
}

/// Undoes the common defanging notations. Returns a borrowed value when there was nothing to undo.
fn refang(value: &str) -> Cow<'_, str> {
    const BRACKETED: [(&str, &str); 10] = [
        ("[.]", "."),
        ("(.)", "."),
        ("{.}", "."),
        ("[dot]", "."),
        ("(dot)", "."),
        ("[:]", ":"),
        ("[://]", "://"),
        ("[@]", "@"),
        ("[/]", "/"),
        ("[:]//", "://"),
    ];
    let has_scheme_defang = is_defanged_scheme(value);
    if !has_scheme_defang && !value.contains(['[', '(', '{']) {
        return Cow::Borrowed(value);
    }

    let mut out = String::with_capacity(value.len());
    let mut rest = value;
    if has_scheme_defang {
        out.push_str("http");
        rest = &rest[4..];
    }
    'outer: while let Some(c) = rest.chars().next() {
        if matches!(c, '[' | '(' | '{') {
            for (from, to) in BRACKETED {
                if rest.len() >= from.len()
                    && rest.is_char_boundary(from.len())
                    && rest[..from.len()].eq_ignore_ascii_case(from)
                {
                    out.push_str(to);
                    rest = &rest[from.len()..];
                    continue 'outer;
                }
            }
        }
        out.push(c);
        rest = &rest[c.len_utf8()..];
    }
    if out == value {
        Cow::Borrowed(value)
    } else {
        Cow::Owned(out)
    }
}

/// Returns whether a value starts with a defanged scheme: `hxxp` or `hxxps` in any case, then
/// `://` or a bracketed separator such as `[://]` or `[:]//`. Without the separator, `hxxp` is
/// only the start of a name such as `hxxpbin.com`, which must stay as it is.
fn is_defanged_scheme(value: &str) -> bool {
    let bytes = value.as_bytes();
    if bytes.len() < 4 || !bytes[..4].eq_ignore_ascii_case(b"hxxp") {
        return false;
    }
    let rest = match &bytes[4..] {
        [b's' | b'S', rest @ ..] => rest,
        rest => rest,
    };
    rest.starts_with(b"://") || rest.starts_with(b"[:")
}

/// Reduces a URL or `host:port` value to its host. Other values pass through unchanged.
fn reduce_to_host(value: &str) -> Result<(&str, Option<Reduction>), DomainErrorKind> {
    let (after_scheme, is_url) = match value.find("://") {
        Some(at) if is_scheme(&value[..at]) => (&value[at + 3..], true),
        _ => (value, false),
    };

    let authority_end = after_scheme
        .find(['/', '?', '#', '\\'])
        .unwrap_or(after_scheme.len());
    let is_url = is_url || authority_end < after_scheme.len();
    let authority = &after_scheme[..authority_end];
    let host_port = if is_url {
        authority
            .rsplit_once('@')
            .map_or(authority, |(_, host)| host)
    } else {
        authority
    };

    if host_port.starts_with('[') {
        return Err(match host_port.find(']') {
            Some(close) if host_port[1..close].parse::<Ipv6Addr>().is_ok() => {
                DomainErrorKind::IpAddress
            }
            _ => DomainErrorKind::InvalidHost,
        });
    }
    if host_port.parse::<Ipv6Addr>().is_ok() {
        return Err(DomainErrorKind::IpAddress);
    }

    let (host, has_port) = match host_port.rsplit_once(':') {
        Some((host, port)) => {
            let port_ok = port.is_empty() && is_url
                || (!port.is_empty()
                    && port.len() <= 5
                    && port.bytes().all(|b| b.is_ascii_digit())
                    && port.parse::<u32>().is_ok_and(|p| p <= 65_535));
            if !port_ok || host.contains(':') {
                return Err(DomainErrorKind::InvalidHost);
            }
            (host, true)
        }
        None => (host_port, false),
    };
    if host.is_empty() && (is_url || has_port) {
        return Err(DomainErrorKind::InvalidHost);
    }

    let reduction = if is_url {
        Some(Reduction::Url)
    } else if has_port {
        Some(Reduction::HostPort)
    } else {
        None
    };
    Ok((host, reduction))
}

/// Returns whether `text` is a URL scheme: a letter, then letters, digits, `+`, `-` or `.`.
fn is_scheme(text: &str) -> bool {
    let mut bytes = text.bytes();
    bytes.next().is_some_and(|b| b.is_ascii_alphabetic())
        && bytes.all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'-' | b'.'))
}

/// Maps a host to lower-case ASCII, through UTS #46 when it has non-ASCII characters or `xn--`
/// labels (which must decode).
fn to_ascii_domain(host: &str) -> Result<Cow<'_, str>, DomainErrorKind> {
    let has_punycode = host
        .as_bytes()
        .windows(4)
        .any(|w| w.eq_ignore_ascii_case(b"xn--"));
    if host.is_ascii() && !has_punycode {
        if host.bytes().any(|b| b.is_ascii_uppercase()) {
            return Ok(Cow::Owned(host.to_ascii_lowercase()));
        }
        return Ok(Cow::Borrowed(host));
    }
    if let Some(character) = host
        .chars()
        .find(|&c| c.is_ascii() && c != '.' && !is_name_byte(c as u8))
    {
        // UTS #46 would pass such ASCII through or fail with a vaguer message. The caller
        // replaces the offset with the character's place in the value as given.
        return Err(DomainErrorKind::InvalidCharacter {
            character,
            offset: 0,
        });
    }
    idna::domain_to_ascii_cow(host.as_bytes(), idna::AsciiDenyList::EMPTY)
        .map(|mapped| Cow::Owned(mapped.into_owned()))
        .map_err(|_| DomainErrorKind::Idna)
}

fn strip_root_dot(name: &str) -> &str {
    name.strip_suffix('.').unwrap_or(name)
}

/// Returns whether a byte may appear in a label: LDH plus `_` (RFC 2782 and RFC 8552 names).
pub(crate) fn is_name_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'-' || b == b'_'
}

/// Checks label syntax and lengths of a lower-case ASCII name without its root dot.
fn validate(name: &str) -> Result<Warnings, DomainErrorKind> {
    if name.is_empty() {
        return Err(DomainErrorKind::EmptyLabel);
    }
    if let Some((offset, character)) = name
        .char_indices()
        .find(|&(_, c)| !(c == '.' || c.is_ascii() && is_name_byte(c as u8)))
    {
        return Err(DomainErrorKind::InvalidCharacter { character, offset });
    }
    if name.len() > MAX_NAME_LEN {
        return Err(DomainErrorKind::NameTooLong { len: name.len() });
    }

    let mut warnings = Warnings::default();
    let mut label_count = 0;
    for label in name.split('.') {
        label_count += 1;
        if label.is_empty() {
            return Err(DomainErrorKind::EmptyLabel);
        }
        if label.len() > MAX_LABEL_LEN {
            return Err(DomainErrorKind::LabelTooLong { len: label.len() });
        }
        if label.starts_with('-') || label.ends_with('-') {
            warnings.hyphen_at_label_edge = true;
        }
    }
    warnings.single_label = label_count == 1;
    Ok(warnings)
}

/// Rewrites the offset of an invalid character to its place in the caller's value.
///
/// A character that the value does not contain came out of IDN mapping (UTS #46 maps `¸` to a
/// space and a combining cedilla, for example), so the error is an IDN mapping failure: no
/// offset in the value points at it.
fn locate_in(value: &str, kind: DomainErrorKind) -> DomainError {
    let kind = match kind {
        DomainErrorKind::InvalidCharacter { character, .. } => match value.find(character) {
            Some(offset) => DomainErrorKind::InvalidCharacter { character, offset },
            None => DomainErrorKind::Idna,
        },
        other => other,
    };
    DomainError::new(value, kind)
}

fn is_ip_address(name: &str) -> bool {
    name.parse::<Ipv4Addr>().is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refang_undoes_each_notation() {
        let cases = [
            ("evil[.]com", "evil.com"),
            ("evil(.)com", "evil.com"),
            ("evil{.}com", "evil.com"),
            ("evil[dot]com", "evil.com"),
            ("evil(DOT)com", "evil.com"),
            ("hxxps[://]evil.com", "https://evil.com"),
            ("hXXp://evil.com", "http://evil.com"),
            ("evil.com[:]443", "evil.com:443"),
            ("a[@]evil.com[/]x", "a@evil.com/x"),
        ];
        for (input, expected) in cases {
            assert_eq!(refang(input), expected, "input {input:?}");
        }
    }

    #[test]
    fn refang_borrows_clean_values() {
        assert!(matches!(refang("evil.com"), Cow::Borrowed(_)));
        assert!(matches!(refang("evil[x].com"), Cow::Borrowed(_)));
    }
}
