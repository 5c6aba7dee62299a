//! Plain lists: one value a line, hosts-file lines and adblock host rules.

use std::net::IpAddr;

use crate::error::Location;
use crate::feed::value::{classify, is_local_host};
use crate::feed::{
    Collector, FeedError, FeedErrorKind, Format, Import, Mode, NoteKind, SkipReason,
};
use crate::indicator::{IndicatorKind, IndicatorRecord};

/// Imports a plain list.
///
/// Each line is read as one of:
///
/// - blank, a comment starting with `#` or `!`, or an `[Adblock …]` header: ignored and counted
///   in [`Import::ignored_lines`]. A ` #` (space or tab, then `#`) starts a trailing comment;
///   a `#` inside a value, as in a URL fragment, does not;
/// - a hosts line, `ADDRESS HOST [HOST…]` such as `0.0.0.0 evil.com www.evil.com`: one row per
///   host. Names that a hosts file maps to the machine itself (`localhost`, `broadcasthost`,
///   `ip6-loopback`, `0.0.0.0` …) are skipped with [`SkipReason::LocalHost`];
/// - an adblock host rule `||host^`, with `$options` ignored and listed in [`Import::notes`];
///   an exception `@@…` is skipped with [`SkipReason::AdblockException`], and any other adblock
///   rule (`|http://…`, cosmetic `##` rules) is rejected;
/// - one value: an IP address, `ip:port` or CIDR range becomes an
///   [`IndicatorKind::Ip`] record, 32, 40 or 64 hexadecimal digits a
///   [`IndicatorKind::Hash`] record, a value with `/` a URL, one with `:` a `host:port`, and
///   anything else a domain. Domains, URLs and `host:port` values must pass
///   [`normalize_indicator`](crate::normalize_indicator).
///
/// Any other line, such as several words that do not start with an IP address, is rejected
/// with [`FeedErrorKind::NotAnIndicator`]. Locations are [`Location::Line`], counted from 1.
///
/// ```
/// use iocmatch::{IndicatorKind, Location};
/// use iocmatch::feed::{self, Mode, SkipReason};
///
/// let text = "! adblock comment\nevil.com # trailing comment\n127.0.0.1 localhost\n\
///             ||ads.example^\n10.0.0.0/8\n";
/// let import = feed::plain_list(text, Mode::Strict).unwrap();
/// let values: Vec<&str> = import.records.iter().map(|(r, _)| r.value.as_str()).collect();
/// assert_eq!(values, ["evil.com", "ads.example", "10.0.0.0/8"]);
/// assert_eq!(import.records[2].0.kind, IndicatorKind::Ip);
/// assert_eq!(import.records[1].1, Location::Line(4));
/// assert_eq!(import.skipped[0].reason, SkipReason::LocalHost);
/// ```
///
/// # Errors
///
/// In [`Mode::Strict`], returns the [`FeedError`] of the first invalid line. In
/// [`Mode::Lenient`] it never fails and lists invalid lines in [`Import::rejected`].
pub fn plain_list(text: &str, mode: Mode) -> Result<Import, FeedError> {
    let mut collector = Collector::new(Format::PlainList, mode);
    for (number, line) in numbered_lines(text) {
        let location = Location::Line(number);
        let content = strip_comment(line);
        if content.is_empty() || is_adblock_header(content) {
            collector.ignore_line();
            continue;
        }
        if let Some(exception) = content.strip_prefix("@@") {
            let record = IndicatorRecord::new(exception).with_kind(IndicatorKind::Other);
            collector.skip(record, location, SkipReason::AdblockException);
            continue;
        }
        if is_adblock_rule(content) {
            push_adblock_rule(&mut collector, content, location)?;
            continue;
        }
        if let Some(hosts) = hosts_line(content) {
            for host in hosts {
                push_value(&mut collector, host, location.clone(), None)?;
            }
            continue;
        }
        if content.split_whitespace().nth(1).is_some() {
            collector.reject(location, content, FeedErrorKind::NotAnIndicator)?;
            continue;
        }
        push_value(&mut collector, content, location, None)?;
    }
    Ok(collector.finish())
}

/// Pushes one value with the kind its shape suggests, skipping names of the local machine.
pub(crate) fn push_value(
    collector: &mut Collector,
    value: &str,
    location: Location,
    source: Option<&str>,
) -> Result<(), FeedError> {
    let mut record = IndicatorRecord::new(value).with_kind(classify(value));
    if let Some(source) = source {
        record = record.with_metadata(crate::indicator::Metadata {
            source: Some(source.to_owned()),
            ..Default::default()
        });
    }
    if is_local_host(value) {
        collector.skip(record, location, SkipReason::LocalHost);
        return Ok(());
    }
    collector.push(record, location).map(|_| ())
}

/// Pushes the host of an adblock `||host^$options` rule, noting ignored options.
fn push_adblock_rule(
    collector: &mut Collector,
    rule: &str,
    location: Location,
) -> Result<(), FeedError> {
    let Some((host, options)) = adblock_host(rule) else {
        return collector.reject(location, rule, FeedErrorKind::UnsupportedAdblockRule);
    };
    let record = IndicatorRecord::new(host);
    let accepted = collector.push(record, location.clone())?;
    if accepted && !options.is_empty() {
        let options = options.to_owned();
        collector.note(location, NoteKind::AdblockOptionsIgnored { options });
    }
    Ok(())
}

/// Splits `||host^$options` into the host and the options; `None` for any other rule.
fn adblock_host(rule: &str) -> Option<(&str, &str)> {
    let rest = rule.strip_prefix("||")?;
    let (pattern, options) = rest.split_once('$').unwrap_or((rest, ""));
    let host = pattern
        .strip_suffix("^|")
        .or_else(|| pattern.strip_suffix('^'))?;
    let bare = host.strip_prefix("*.").unwrap_or(host);
    let is_host = !bare.is_empty() && !bare.contains(['/', '^', '|', '$', '*']);
    is_host.then_some((host, options))
}

/// Returns whether a line uses adblock rule syntax that a plain value never has.
fn is_adblock_rule(content: &str) -> bool {
    content.starts_with('|') || content.contains("##") || content.contains("#@#")
}

fn is_adblock_header(content: &str) -> bool {
    content.starts_with('[')
        && content.ends_with(']')
        && content
            .get(1..9)
            .is_some_and(|word| word.eq_ignore_ascii_case("adblock "))
}

/// Returns the hosts of a hosts-file line `ADDRESS HOST [HOST…]`, or `None` when the line does not
/// start with an IP address followed by at least one more word.
pub(crate) fn hosts_line(content: &str) -> Option<impl Iterator<Item = &str>> {
    let mut words = content.split_whitespace();
    let address = words.next()?;
    address.parse::<IpAddr>().ok()?;
    let mut hosts = words.peekable();
    hosts.peek()?;
    Some(hosts)
}

/// Iterates over lines numbered from 1, without line terminators or a leading byte-order mark.
pub(crate) fn numbered_lines(text: &str) -> impl Iterator<Item = (usize, &str)> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    text.lines()
        .enumerate()
        .map(|(index, line)| (index + 1, line))
}

/// Removes a whole-line `#` or `!` comment, or a trailing comment after white space and `#`,
/// and trims the rest.
pub(crate) fn strip_comment(line: &str) -> &str {
    let line = line.trim();
    if line.starts_with('#') || line.starts_with('!') {
        return "";
    }
    let end = line
        .char_indices()
        .find(|&(at, c)| c == '#' && line[..at].ends_with(char::is_whitespace))
        .map_or(line.len(), |(at, _)| at);
    line[..end].trim_end()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strip_comment_cases() {
        let cases = [
            ("# comment", ""),
            ("! comment", ""),
            ("  evil.com  ", "evil.com"),
            ("evil.com # why", "evil.com"),
            ("evil.com\t#why", "evil.com"),
            ("http://evil.com/#frag", "http://evil.com/#frag"),
        ];
        for (line, expected) in cases {
            assert_eq!(strip_comment(line), expected, "line {line:?}");
        }
    }

    #[test]
    fn adblock_host_cases() {
        assert_eq!(adblock_host("||evil.com^"), Some(("evil.com", "")));
        assert_eq!(
            adblock_host("||evil.com^$third-party"),
            Some(("evil.com", "third-party"))
        );
        assert_eq!(adblock_host("||evil.com^|"), Some(("evil.com", "")));
        assert_eq!(adblock_host("||*.evil.com^"), Some(("*.evil.com", "")));
        assert_eq!(adblock_host("||evil.com"), None);
        assert_eq!(adblock_host("||evil.com/ads^"), None);
        assert_eq!(adblock_host("||ev*il.com^"), None);
        assert_eq!(adblock_host("|http://evil.com"), None);
    }
}
