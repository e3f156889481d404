//! Endpoint rules of the four products (as in the design's wire facts) and endpoint overrides.

use acs_runtime::endpoint::{Endpoint, EndpointError, EndpointRule, Scheme};

static SWAS: EndpointRule = EndpointRule {
    regional: Some("swas.{region_id}.aliyuncs.com"),
    central: None,
    central_regions: &[],
    regions: &[],
    networks: &[("vpc", "swas-vpc.{region_id}.aliyuncs.com")],
};

static ENS: EndpointRule = EndpointRule {
    regional: Some("ens.{region_id}.aliyuncs.com"),
    central: Some("ens.aliyuncs.com"),
    central_regions: &[
        "cn-beijing",
        "cn-chengdu",
        "cn-hangzhou",
        "cn-heyuan",
        "cn-shanghai",
        "cn-wulanchabu",
        "cn-zhangjiakou",
    ],
    regions: &[],
    networks: &[],
};

static ECS: EndpointRule = EndpointRule {
    regional: Some("ecs.{region_id}.aliyuncs.com"),
    central: Some("ecs.aliyuncs.com"),
    central_regions: &[],
    regions: &[
        ("cn-hangzhou-finance", "ecs.aliyuncs.com"),
        ("cn-shenzhen-finance-1", "ecs-cn-hangzhou.aliyuncs.com"),
    ],
    networks: &[],
};

static APPSTREAM: EndpointRule = EndpointRule {
    regional: Some("appstream-center.{region_id}.aliyuncs.com"),
    central: None,
    central_regions: &[],
    regions: &[],
    networks: &[],
};

fn host(rule: &EndpointRule, region: Option<&str>, network: Option<&str>) -> String {
    let endpoint = rule.resolve(region, network).unwrap();
    assert_eq!(endpoint.scheme(), Scheme::Https);
    assert_eq!(endpoint.port(), None);
    endpoint.authority()
}

#[test]
fn swas_regional_and_vpc() {
    assert_eq!(
        host(&SWAS, Some("cn-hangzhou"), None),
        "swas.cn-hangzhou.aliyuncs.com"
    );
    assert_eq!(
        host(&SWAS, Some("ap-southeast-1"), Some("public")),
        "swas.ap-southeast-1.aliyuncs.com"
    );
    assert_eq!(
        host(&SWAS, Some("cn-hangzhou"), Some("vpc")),
        "swas-vpc.cn-hangzhou.aliyuncs.com"
    );
}

#[test]
fn swas_needs_a_region() {
    let err = SWAS.resolve(None, None).unwrap_err();
    assert!(matches!(err, EndpointError::RegionRequired { .. }), "{err}");
    assert!(err.to_string().contains("ALIBABA_CLOUD_REGION_ID"), "{err}");
    let err = SWAS.resolve(None, Some("vpc")).unwrap_err();
    assert!(matches!(err, EndpointError::RegionRequired { .. }), "{err}");
}

#[test]
fn unknown_network_lists_the_known_ones() {
    let err = SWAS.resolve(Some("cn-hangzhou"), Some("intl")).unwrap_err();
    assert_eq!(
        err,
        EndpointError::UnknownNetwork {
            network: "intl".to_owned(),
            known: vec!["public", "vpc"],
        }
    );
    assert!(err.to_string().contains("public, vpc"), "{err}");
    assert!(ECS.resolve(Some("cn-hangzhou"), Some("vpc")).is_err());
}

#[test]
fn ens_central_regions_and_the_rest() {
    for region in ENS.central_regions {
        assert_eq!(
            host(&ENS, Some(region), None),
            "ens.aliyuncs.com",
            "{region}"
        );
    }
    assert_eq!(
        host(&ENS, Some("cn-guangzhou"), None),
        "ens.cn-guangzhou.aliyuncs.com"
    );
    assert_eq!(
        host(&ENS, Some("ap-southeast-1"), None),
        "ens.ap-southeast-1.aliyuncs.com"
    );
    assert_eq!(host(&ENS, None, None), "ens.aliyuncs.com");
}

#[test]
fn ecs_region_overrides_win() {
    assert_eq!(
        host(&ECS, Some("cn-hangzhou-finance"), None),
        "ecs.aliyuncs.com"
    );
    assert_eq!(
        host(&ECS, Some("cn-shenzhen-finance-1"), None),
        "ecs-cn-hangzhou.aliyuncs.com"
    );
    assert_eq!(
        host(&ECS, Some("cn-hangzhou"), None),
        "ecs.cn-hangzhou.aliyuncs.com"
    );
    assert_eq!(host(&ECS, None, None), "ecs.aliyuncs.com");
}

#[test]
fn appstream_regional() {
    assert_eq!(
        host(&APPSTREAM, Some("cn-shanghai"), None),
        "appstream-center.cn-shanghai.aliyuncs.com"
    );
    assert!(APPSTREAM.resolve(None, None).is_err());
}

#[test]
fn order_is_override_then_central_region_then_network_then_regional() {
    static RULE: EndpointRule = EndpointRule {
        regional: Some("p.{region_id}.example.com"),
        central: Some("p.example.com"),
        central_regions: &["both", "central-only"],
        regions: &[("both", "override.example.com")],
        networks: &[("vpc", "p-vpc.{region_id}.example.com")],
    };
    assert_eq!(
        host(&RULE, Some("both"), Some("vpc")),
        "override.example.com"
    );
    assert_eq!(
        host(&RULE, Some("central-only"), Some("vpc")),
        "p.example.com"
    );
    assert_eq!(host(&RULE, Some("r1"), Some("vpc")), "p-vpc.r1.example.com");
    assert_eq!(host(&RULE, Some("r1"), None), "p.r1.example.com");

    static CENTRAL_ONLY: EndpointRule = EndpointRule {
        regional: None,
        central: Some("c.example.com"),
        central_regions: &[],
        regions: &[],
        networks: &[],
    };
    assert_eq!(host(&CENTRAL_ONLY, Some("anywhere"), None), "c.example.com");

    static NOTHING: EndpointRule = EndpointRule {
        regional: None,
        central: None,
        central_regions: &[],
        regions: &[],
        networks: &[],
    };
    assert!(matches!(
        NOTHING.resolve(Some("r1"), None),
        Err(EndpointError::NoRule { .. })
    ));
}

#[test]
fn regions_that_are_not_dns_labels_are_refused() {
    for region in [
        "",
        "cn hangzhou",
        "cn-hangzhou/evil",
        "evil.com/",
        "a..b",
        ".a",
        "a.",
        "-cn",
        "cn-",
        "cn_hangzhou",
        "例子",
        "a@b",
        "cn-hangzhou:443",
        &"a".repeat(64),
        &["abc"; 70].join("."),
        // A dot would make the region part of another host name.
        "a.b",
        "cn-hangzhou.log",
        "127.0.0.1",
    ] {
        let err = ECS.resolve(Some(region), None).unwrap_err();
        assert!(
            matches!(err, EndpointError::InvalidRegion { .. }),
            "{region:?}: {err}"
        );
    }
    assert_eq!(host(&APPSTREAM, Some(&"a".repeat(63)), None).len(), 63 + 30);
    assert_eq!(
        host(&ECS, Some("cn-shanghai-finance-1"), None),
        "ecs.cn-shanghai-finance-1.aliyuncs.com"
    );
    // The dotted region's error says why, and names no host.
    let err = ECS.resolve(Some("cn-hangzhou.log"), None).unwrap_err();
    assert!(err.to_string().contains("dot"), "{err}");
}

#[test]
fn override_with_full_urls() {
    let local = Endpoint::parse("http://127.0.0.1:8080").unwrap();
    assert_eq!(local.scheme(), Scheme::Http);
    assert_eq!(local.host(), "127.0.0.1");
    assert_eq!(local.port(), Some(8080));
    assert_eq!(local.authority(), "127.0.0.1:8080");
    assert_eq!(local.base_url(), "http://127.0.0.1:8080/");
    assert_eq!(local.to_string(), "http://127.0.0.1:8080");

    let remote: Endpoint = "https://ecs.cn-hangzhou.aliyuncs.com/".parse().unwrap();
    assert_eq!(remote.scheme(), Scheme::Https);
    assert_eq!(remote.authority(), "ecs.cn-hangzhou.aliyuncs.com");
    assert_eq!(remote.base_url(), "https://ecs.cn-hangzhou.aliyuncs.com/");

    // The default port is the scheme's: not part of the Host header.
    assert_eq!(
        Endpoint::parse("https://h.example.com:443").unwrap().port(),
        None
    );
    let ipv6 = Endpoint::parse("http://[::1]:9000").unwrap();
    assert_eq!(ipv6.authority(), "[::1]:9000");
}

#[test]
fn override_with_a_bare_host_is_https() {
    let bare = Endpoint::parse("ecs-cn-hangzhou.aliyuncs.com").unwrap();
    assert_eq!(bare.scheme(), Scheme::Https);
    assert_eq!(bare.authority(), "ecs-cn-hangzhou.aliyuncs.com");

    let with_port = Endpoint::parse("localhost:8443").unwrap();
    assert_eq!(with_port.scheme(), Scheme::Https);
    assert_eq!(with_port.authority(), "localhost:8443");

    // Host names are case-insensitive; the URL parser writes them in lower case.
    assert_eq!(
        Endpoint::parse("ECS.Example.COM").unwrap().host(),
        "ecs.example.com"
    );
}

#[test]
fn override_refusals_say_why() {
    for (input, reason) in [
        ("", "empty"),
        ("ftp://h.example.com", "scheme `ftp`"),
        ("https://user:pw@h.example.com", "credentials"),
        ("https://h.example.com/path", "path"),
        ("https://h.example.com/?a=b", "query"),
        ("https://h.example.com#frag", "fragment"),
        ("http://h.example.com:99999", "invalid port"),
        ("https://", "empty host"),
    ] {
        let err = Endpoint::parse(input).unwrap_err();
        assert!(matches!(err, EndpointError::InvalidUrl { .. }), "{input}");
        assert!(err.to_string().contains(reason), "{input}: {err}");
    }
}

#[test]
fn override_refusals_never_quote_credentials() {
    for input in [
        "https://LTAI-id:s3cr3t-key@h.example.com",
        "https://LTAI-id:s3cr3t-key@h.example.com/path?x=1",
        "h.example.com/?SecurityToken=s3cr3t-key",
        "https://h.example.com/?a=1&SecurityToken=s3cr3t-key&b=2",
        "https://h.example.com/?AccessKeySecret=s3cr3t-key",
        "ftp://LTAI-id:s3cr3t-key@h.example.com",
        "https://LTAI-id:s3cr3t-key@[::1",
        // A `/`, `?` or `#` in the password ends the authority early as a URL parser reads it;
        // everything up to the last `@` is blanked all the same.
        "https://AK:s3cr3t-key/attack+Value=9&x@ecs.aliyuncs.com",
        "https://AK:s3cr3t-key?x@ecs.aliyuncs.com",
        "https://AK:s3cr3t-key#x@ecs.aliyuncs.com",
        "AK:s3cr3t-key/x@ecs.aliyuncs.com",
        "https://AK:a/b@c/s3cr3t-key@ecs.aliyuncs.com",
        "https://h.example.com/?Signature=s3cr3t-key",
    ] {
        let err = Endpoint::parse(input).unwrap_err();
        let shown = format!("{err} {err:?}");
        assert!(!shown.contains("s3cr3t-key"), "{input}: {shown}");
        assert!(shown.contains("<redacted>"), "{input}: {shown}");
    }
    let err = Endpoint::parse("https://LTAI-id:s3cr3t-key@h.example.com").unwrap_err();
    assert!(err.to_string().contains("h.example.com"), "{err}");
    assert!(!err.to_string().contains("LTAI-id"), "{err}");
}

#[test]
fn a_config_never_quotes_the_password_of_its_endpoint() {
    let given = "https://AK:s3cr3t-key/attack+Value=9&x@ecs.aliyuncs.com";
    let builder = acs_runtime::Config::builder()
        .credentials(acs_runtime::credentials::Credentials::new("id", "secret"))
        .endpoint(given);
    let debug = format!("{builder:?}");
    let err = builder.build().unwrap_err();
    let shown = format!("{debug} {err} {err:?}");
    assert!(!shown.contains("s3cr3t-key"), "{shown}");
    assert!(!shown.contains("attack"), "{shown}");
    assert!(shown.contains("ecs.aliyuncs.com"), "{shown}");
    assert!(err.to_string().contains("credentials"), "{err}");
}

#[test]
fn a_huge_region_network_or_override_is_quoted_cut_short() {
    // A value from the environment (ALIBABA_CLOUD_REGION_ID...) is outside the program's hands.
    let huge = "a".repeat(60_000);
    let errors = [
        ECS.resolve(Some(&huge), None).unwrap_err(),
        SWAS.resolve(Some("cn-hangzhou"), Some(&huge)).unwrap_err(),
        SWAS.resolve(None, Some(&huge)).unwrap_err(),
        Endpoint::parse(&format!("https://{huge}/path")).unwrap_err(),
    ];
    for err in errors {
        let shown = err.to_string();
        assert!(
            shown.len() < 2_048 + 300,
            "{} bytes shown: {:.120}",
            shown.len(),
            shown
        );
        assert!(shown.contains("bytes in all"), "{:.120}", shown);
        assert!(format!("{err:?}").len() < 2_048 + 300, "Debug is cut too");
    }
}

#[test]
fn an_international_host_must_be_given_in_its_ascii_form() {
    for input in ["https://例え.jp", "例え.jp:8443", "https://ecs.例え.jp/"] {
        let err = Endpoint::parse(input).unwrap_err();
        assert!(matches!(err, EndpointError::InvalidUrl { .. }), "{input}");
        assert!(err.to_string().contains("`xn--`"), "{input}: {err}");
    }
    let ascii = Endpoint::parse("https://xn--r8jz45g.jp").unwrap();
    assert_eq!(ascii.host(), "xn--r8jz45g.jp");
}
