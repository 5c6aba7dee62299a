//! Classifies and validates one indicator value, the step every importer shares.

use std::net::{IpAddr, SocketAddr};

use crate::domain::normalize_indicator;
use crate::error::DomainErrorKind;
use crate::feed::{FeedErrorKind, SkipReason};
use crate::indicator::{IndicatorKind, IndicatorRecord};

/// The lengths in hexadecimal digits of MD5, SHA-1 and SHA-256 digests.
pub(crate) const HASH_DIGITS: [usize; 3] = [32, 40, 64];

/// Host names that a hosts file maps to the machine itself, which tell nothing about a threat.
const LOCAL_HOST_NAMES: [&str; 12] = [
    "localhost",
    "localhost.localdomain",
    "local",
    "broadcasthost",
    "ip6-localhost",
    "ip6-loopback",
    "ip6-localnet",
    "ip6-mcastprefix",
    "ip6-allnodes",
    "ip6-allrouters",
    "ip6-allhosts",
    "0.0.0.0",
];

/// The outcome for a row whose record an importer built.
#[derive(Debug)]
pub(crate) enum Verdict {
    Accept,
    Skip(SkipReason),
    Reject(FeedErrorKind),
}

/// Validates a record by its kind.
///
/// Domain, URL and `host:port` records must pass [`normalize_indicator`], the same check a
/// [`SetBuilder`](crate::SetBuilder) makes, so an accepted record never fails a build. A URL or
/// `host:port` whose host is an IP address is skipped, because it is valid but a domain set
/// cannot hold it. IP and hash records get a syntax check; records of other kinds pass as given.
pub(crate) fn check(record: &IndicatorRecord) -> Verdict {
    let value = record.value.trim();
    match record.kind {
        IndicatorKind::Domain | IndicatorKind::Url | IndicatorKind::HostPort => {
            if record.kind == IndicatorKind::Domain && is_local_host(value) {
                return Verdict::Skip(SkipReason::LocalHost);
            }
            match normalize_indicator(value) {
                Ok(_) => Verdict::Accept,
                Err(error)
                    if record.kind != IndicatorKind::Domain
                        && *error.kind() == DomainErrorKind::IpAddress =>
                {
                    Verdict::Skip(SkipReason::IpHost)
                }
                Err(error) => Verdict::Reject(FeedErrorKind::InvalidDomain(error)),
            }
        }
        IndicatorKind::Ip if is_ip_like(value) => Verdict::Accept,
        IndicatorKind::Ip => Verdict::Reject(FeedErrorKind::InvalidIp),
        IndicatorKind::Hash if is_hash(value, &HASH_DIGITS) => Verdict::Accept,
        IndicatorKind::Hash => Verdict::Reject(FeedErrorKind::InvalidHash {
            expected_digits: "32, 40 or 64",
        }),
        _ => Verdict::Accept,
    }
}

/// Guesses the kind of a value from a list that does not state it.
///
/// IP addresses, `ip:port` and CIDR ranges are [`IndicatorKind::Ip`]; 32, 40 or 64 hexadecimal
/// digits without a dot are a [`IndicatorKind::Hash`]; a value with `/` is a URL, one with `:`
/// a `host:port`, and anything else a domain.
pub(crate) fn classify(value: &str) -> IndicatorKind {
    if is_ip_like(value) {
        IndicatorKind::Ip
    } else if is_hash(value, &HASH_DIGITS) {
        IndicatorKind::Hash
    } else if value.contains('/') {
        IndicatorKind::Url
    } else if value.contains(':') {
        IndicatorKind::HostPort
    } else {
        IndicatorKind::Domain
    }
}

/// Returns whether a value is a host name that a hosts file maps to the machine itself.
pub(crate) fn is_local_host(value: &str) -> bool {
    LOCAL_HOST_NAMES
        .iter()
        .any(|name| name.eq_ignore_ascii_case(value))
}

/// Returns whether a value is an IP address, a socket address (`1.2.3.4:80`, `[::1]:80`) or a
/// CIDR range (`10.0.0.0/8`).
pub(crate) fn is_ip_like(value: &str) -> bool {
    if value.parse::<IpAddr>().is_ok() || value.parse::<SocketAddr>().is_ok() {
        return true;
    }
    let Some((address, prefix)) = value.split_once('/') else {
        return false;
    };
    // `u8::from_str` accepts a leading `+`, which a CIDR prefix never has.
    if prefix.is_empty() || prefix.len() > 3 || !prefix.bytes().all(|b| b.is_ascii_digit()) {
        return false;
    }
    let Ok(prefix) = prefix.parse::<u8>() else {
        return false;
    };
    match address.parse::<IpAddr>() {
        Ok(IpAddr::V4(_)) => prefix <= 32,
        Ok(IpAddr::V6(_)) => prefix <= 128,
        Err(_) => false,
    }
}

/// Returns whether a value is hexadecimal with one of the given lengths.
pub(crate) fn is_hash(value: &str, digits: &[usize]) -> bool {
    digits.contains(&value.len()) && value.bytes().all(|b| b.is_ascii_hexdigit())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classify_by_shape() {
        let cases = [
            ("evil.com", IndicatorKind::Domain),
            ("10.0.0.1", IndicatorKind::Ip),
            ("10.0.0.1:8080", IndicatorKind::Ip),
            ("[2001:db8::1]:443", IndicatorKind::Ip),
            ("2001:db8::1", IndicatorKind::Ip),
            ("10.0.0.0/8", IndicatorKind::Ip),
            ("d41d8cd98f00b204e9800998ecf8427e", IndicatorKind::Hash),
            ("http://evil.com/x", IndicatorKind::Url),
            ("evil.com:443", IndicatorKind::HostPort),
            ("10.0.0.0/33", IndicatorKind::Url),
        ];
        for (value, kind) in cases {
            assert_eq!(classify(value), kind, "value {value:?}");
        }
    }

    #[test]
    fn check_skips_ip_hosts_of_urls() {
        let record = IndicatorRecord::new("http://10.0.0.1/x").with_kind(IndicatorKind::Url);
        assert!(matches!(check(&record), Verdict::Skip(SkipReason::IpHost)));
        let record = IndicatorRecord::new("10.0.0.1");
        assert!(matches!(check(&record), Verdict::Reject(_)));
    }

    #[test]
    fn check_skips_local_host_names() {
        for name in ["localhost", "LOCALHOST", "ip6-loopback", "0.0.0.0"] {
            let verdict = check(&IndicatorRecord::new(name));
            assert!(
                matches!(verdict, Verdict::Skip(SkipReason::LocalHost)),
                "name {name:?}"
            );
        }
    }
}
