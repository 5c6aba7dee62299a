//! Indicator normalization and log-name preparation, table by table.

use iocmatch::{
    DomainErrorKind, Location, Reduction, SetBuilder, from_dns_debug, normalize_indicator,
    prepare_name,
};

#[test]
fn normalize_case_and_root_dot() {
    let cases = [
        ("Evil.COM", "evil.com"),
        ("evil.com.", "evil.com"),
        ("  evil.com \t", "evil.com"),
        ("_dmarc.example.org", "_dmarc.example.org"),
        ("1password.com", "1password.com"),
        ("xn--bcher-kva.example", "xn--bcher-kva.example"),
    ];
    for (input, expected) in cases {
        let normalized = normalize_indicator(input).unwrap();
        assert_eq!(normalized.domain(), expected, "input {input:?}");
        assert!(!normalized.is_refanged(), "input {input:?}");
        assert_eq!(normalized.reduction(), None, "input {input:?}");
    }
}

#[test]
fn normalize_refangs() {
    let cases = [
        ("demale[.]shop", "demale.shop"),
        ("demale(.)shop", "demale.shop"),
        ("demale{.}shop", "demale.shop"),
        ("demale[dot]shop", "demale.shop"),
        ("demale(dot)shop", "demale.shop"),
        ("www[.]demale[.]shop[.]", "www.demale.shop"),
    ];
    for (input, expected) in cases {
        let normalized = normalize_indicator(input).unwrap();
        assert_eq!(normalized.domain(), expected, "input {input:?}");
        assert!(normalized.is_refanged(), "input {input:?}");
    }
}

#[test]
fn normalize_reduces_urls_and_ports() {
    let cases = [
        (
            "hxxp://demale[.]shop/gate.php",
            "demale.shop",
            Reduction::Url,
        ),
        (
            "hXXps://user:pw@Demale.Shop:8443/a?b#c",
            "demale.shop",
            Reduction::Url,
        ),
        ("https[://]demale.shop", "demale.shop", Reduction::Url),
        ("http://demale.shop", "demale.shop", Reduction::Url),
        ("demale.shop/path/x.exe", "demale.shop", Reduction::Url),
        ("ftp://demale.shop:/x", "demale.shop", Reduction::Url),
        ("demale.shop:443", "demale.shop", Reduction::HostPort),
        ("demale.shop[:]443", "demale.shop", Reduction::HostPort),
    ];
    for (input, expected, reduction) in cases {
        let normalized = normalize_indicator(input).unwrap();
        assert_eq!(normalized.domain(), expected, "input {input:?}");
        assert_eq!(normalized.reduction(), Some(reduction), "input {input:?}");
    }
}

#[test]
fn normalize_idn_non_transitional() {
    let cases = [
        ("faß.de", "xn--fa-hia.de"),
        ("bücher.example", "xn--bcher-kva.example"),
        ("BÜCHER.example", "xn--bcher-kva.example"),
        ("例え。テスト", "xn--r8jz45g.xn--zckzah"),
        ("bücher.example。", "xn--bcher-kva.example"),
        ("XN--BCHER-KVA.example", "xn--bcher-kva.example"),
    ];
    for (input, expected) in cases {
        assert_eq!(
            normalize_indicator(input).unwrap().domain(),
            expected,
            "input {input:?}"
        );
    }
}

#[test]
fn normalize_wildcards() {
    let normalized = normalize_indicator("*.Demale.shop").unwrap();
    assert!(normalized.is_wildcard());
    assert_eq!(normalized.domain(), "demale.shop");
    assert_eq!(normalized.to_pattern(), "*.demale.shop");

    for input in ["*", "a.*.shop", "*demale.shop", "demale.*", "**.shop"] {
        let err = normalize_indicator(input).unwrap_err();
        assert!(
            matches!(
                err.kind(),
                DomainErrorKind::MisplacedWildcard | DomainErrorKind::EmptyLabel
            ),
            "input {input:?}: {err}"
        );
    }
}

#[test]
fn normalize_warnings() {
    let edge = normalize_indicator("-evil-.com").unwrap();
    assert!(edge.warnings().hyphen_at_label_edge);
    assert!(!edge.warnings().single_label);

    let single = normalize_indicator("onion").unwrap();
    assert!(single.warnings().single_label);
    assert!(single.warnings().is_any());

    assert!(!normalize_indicator("evil.com").unwrap().warnings().is_any());
}

#[test]
fn normalize_rejects_by_rule() {
    let long_label = format!("{}.com", "a".repeat(64));
    let long_name = format!("{}com", "abcdefghi.".repeat(26));
    let many_labels = "a.".repeat(300) + "com";
    let cases: Vec<(&str, DomainErrorKind)> = vec![
        ("", DomainErrorKind::Empty),
        ("   \t", DomainErrorKind::Empty),
        ("a..b", DomainErrorKind::EmptyLabel),
        (".evil.com", DomainErrorKind::EmptyLabel),
        ("evil.com..", DomainErrorKind::EmptyLabel),
        (".", DomainErrorKind::EmptyLabel),
        (&long_label, DomainErrorKind::LabelTooLong { len: 64 }),
        (&long_name, DomainErrorKind::NameTooLong { len: 263 }),
        (&many_labels, DomainErrorKind::NameTooLong { len: 603 }),
        (
            "evil com",
            DomainErrorKind::InvalidCharacter {
                character: ' ',
                offset: 4,
            },
        ),
        (
            "evil!.com",
            DomainErrorKind::InvalidCharacter {
                character: '!',
                offset: 4,
            },
        ),
        ("xn--zz.com", DomainErrorKind::Idna),
        ("10.0.0.1", DomainErrorKind::IpAddress),
        ("10.0.0.1:443", DomainErrorKind::IpAddress),
        ("http://[2001:db8::1]:80/", DomainErrorKind::IpAddress),
        ("2001:db8::1", DomainErrorKind::IpAddress),
        ("http:///path", DomainErrorKind::InvalidHost),
        ("evil.com:99999", DomainErrorKind::InvalidHost),
        ("evil.com:http", DomainErrorKind::InvalidHost),
    ];
    for (input, expected) in cases {
        let err = match normalize_indicator(input) {
            Ok(n) => panic!("input {input:?} normalized to {:?}", n.domain()),
            Err(err) => err,
        };
        assert_eq!(err.kind(), &expected, "input {input:?}: {err}");
        assert_eq!(err.value(), input);
    }
}

#[test]
fn name_length_limit_is_inclusive() {
    // 63 + 1 + 63 + 1 + 63 + 1 + 61 = 253 octets: the longest valid name.
    let longest = format!("{0}.{0}.{0}.{1}", "a".repeat(63), "b".repeat(61));
    assert_eq!(longest.len(), iocmatch::MAX_NAME_LEN);
    assert!(normalize_indicator(&longest).is_ok());
    let over = format!("c{longest}");
    assert_eq!(
        normalize_indicator(&over).unwrap_err().kind(),
        &DomainErrorKind::NameTooLong { len: 254 }
    );

    let label = "a".repeat(iocmatch::MAX_LABEL_LEN);
    assert!(normalize_indicator(&format!("{label}.com")).is_ok());
    assert!(normalize_indicator(&format!("{label}a.com")).is_err());
}

#[test]
fn error_messages_name_value_location_and_fix() {
    let mut builder = SetBuilder::new();
    builder.push("evil.com").push("evil .com");
    let err = builder.build().unwrap_err();
    assert_eq!(err.location(), Some(&Location::Index(1)));
    assert_eq!(
        err.to_string(),
        "invalid domain \"evil .com\" at index 1: invalid character ' ' at byte 4; a domain \
         contains only letters, digits, '-', '_' and '.'"
    );

    let messages = [
        (
            "",
            "invalid domain \"\": the value is empty; remove the row or give a domain",
        ),
        (
            "10.1.2.3",
            "invalid domain \"10.1.2.3\": the value is an IP address, not a domain; match it with \
             an IP rule instead",
        ),
        (
            "a.*.b",
            "invalid domain \"a.*.b\": '*' is only allowed as the whole first label, as in \
             '*.example.com'",
        ),
        (
            "xn--zz.com",
            "invalid domain \"xn--zz.com\": IDN mapping (UTS #46) failed; check the 'xn--' labels \
             and Unicode characters",
        ),
    ];
    for (input, message) in messages {
        assert_eq!(normalize_indicator(input).unwrap_err().to_string(), message);
    }
}

#[test]
fn prepare_name_for_logs() {
    assert_eq!(prepare_name("WWW.Demale.SHOP.").unwrap(), "www.demale.shop");
    assert_eq!(prepare_name("faß.de").unwrap(), "xn--fa-hia.de");
    assert_eq!(
        prepare_name("_ldap._tcp.dc.example").unwrap(),
        "_ldap._tcp.dc.example"
    );
    for bad in [
        "",
        "a..b",
        "evil[.]com",
        "http://evil.com",
        "*.evil.com",
        "evil.com..",
    ] {
        assert!(prepare_name(bad).is_err(), "{bad:?}");
    }
}

#[test]
fn dns_debug_form() {
    assert_eq!(
        from_dns_debug("(3)www(6)demale(4)shop(0)").unwrap(),
        "www.demale.shop"
    );
    assert_eq!(
        from_dns_debug("(5)_ldap(4)_tcp(2)dc(0)").unwrap(),
        "_ldap._tcp.dc"
    );

    let malformed = [
        ("www.demale.shop", 0),
        ("(3)www", 6),
        ("(3)www(6)demale(4)shop", 22),
        ("(x)www(0)", 1),
        ("(3)ww(0)", 3),
        ("(3)www(0)extra", 9),
        ("(1234)a(0)", 1),
    ];
    for (input, offset) in malformed {
        let err = from_dns_debug(input).unwrap_err();
        assert_eq!(
            err.kind(),
            &DomainErrorKind::DnsDebugForm { offset },
            "input {input:?}"
        );
    }
    assert_eq!(
        from_dns_debug("(0)").unwrap_err().kind(),
        &DomainErrorKind::Empty
    );
}
