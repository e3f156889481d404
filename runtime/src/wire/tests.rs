//! How parameters are written and encoded, held against the wire's rules.

use super::encode::compare_names;
use super::*;

/// A shape that contains itself, as the generator writes one.
struct Filter {
    key: Option<String>,
    not: Option<Box<Filter>>,
}

impl FlatObject for Filter {
    fn write_flat(&self, params: &mut Params, loc: Location, prefix: &str) {
        params.plain_opt(loc, (prefix, "Key"), &self.key);
        params.flat_opt(loc, (prefix, "Not"), &self.not);
    }
}

#[test]
fn a_boxed_shape_is_written_as_the_shape() {
    let filter = Filter {
        key: Some("a".to_owned()),
        not: Some(Box::new(Filter {
            key: Some("b".to_owned()),
            not: None,
        })),
    };
    let mut params = Params::new();
    params.flat(Location::Query, "Filter", &filter);
    let written: Vec<(&str, &str)> = params.query_pairs().iter().collect();
    assert_eq!(written, [("Filter.Key", "a"), ("Filter.Not.Key", "b")]);
}

/// The chunked encoder writes exactly what the crate's RFC 3986 set says, for every byte
/// alone, between unreserved text, and for multi-byte characters.
#[test]
fn encoding_agrees_with_the_rfc3986_set() {
    let reference =
        |text: &str| percent_encoding::utf8_percent_encode(text, RFC3986_ESCAPED).to_string();
    for byte in 0..=127u8 {
        let one = char::from(byte).to_string();
        assert_eq!(percent_encode(&one), reference(&one), "byte {byte:#04x}");
        let framed = format!("ab{one}{one}cd");
        assert_eq!(
            percent_encode(&framed),
            reference(&framed),
            "byte {byte:#04x}"
        );
    }
    for text in [
        "",
        "镜像 a*b~c",
        "😀",
        "a+b/c=d&e%f",
        "[\"m-1\",\"m-2\"]",
        "é",
    ] {
        assert_eq!(percent_encode(text), reference(text), "{text:?}");
    }
}

/// The encoder works a chunk of 16 bytes at a time and copies runs of unreserved bytes as whole
/// chunks cut back to length: every length of text across three chunks, with an escape at every
/// position (and two escapes a run apart), long runs on either side, and text ending in the
/// middle of a chunk all encode as the crate's RFC 3986 set says.
#[test]
fn encoding_agrees_across_chunk_boundaries_and_runs() {
    let reference =
        |text: &str| percent_encoding::utf8_percent_encode(text, RFC3986_ESCAPED).to_string();
    for len in 0..=50 {
        let plain = "abcdefghijklmnopqrstuvwxyz0123456789-_.~ABCDEFGHIJKLMNOP"
            .get(..len)
            .unwrap_or_default()
            .to_owned();
        assert_eq!(percent_encode(&plain), reference(&plain), "{plain:?}");
        for at in 0..len {
            for escape in ["\"", " ", "é"] {
                let mut text = plain.clone();
                text.replace_range(at..=at, escape);
                assert_eq!(percent_encode(&text), reference(&text), "{text:?}");
                let second = (at + 17) % len;
                if text.is_char_boundary(second) && text.is_char_boundary(second + 1) {
                    text.replace_range(second..=second, ",");
                    assert_eq!(percent_encode(&text), reference(&text), "{text:?}");
                }
            }
        }
    }
    let long = format!("{}\"{}", "a".repeat(100), "b".repeat(33));
    assert_eq!(percent_encode(&long), reference(&long));
}

/// Names ordered by their first eight bytes order as their bytes do, whatever their lengths
/// and shared prefixes (and bytes that are zero).
#[test]
fn names_compare_as_their_bytes() {
    let names = [
        "",
        "\0",
        "\0\0",
        "A",
        "A\0",
        "Tag",
        "Tag.1",
        "Tag.1.Key",
        "Tag.1.Value",
        "Tag.10.Key",
        "Tag.2.Key",
        "Tag.1.Ke",
        "Tag.1.Kf",
        "ImageIds",
        "ImageIdsX",
        "ImageNames",
        "a",
        "é",
        "镜像",
        "Tag.1.Key\0",
    ];
    for a in names {
        for b in names {
            assert_eq!(compare_names(a, b), a.cmp(b), "{a:?} {b:?}");
        }
    }
}

#[test]
fn shape_fields_and_items_are_named_as_on_the_wire() {
    let mut params = Params::new();
    params.plain(Location::Query, ("Tag.12", "Key"), "k");
    params.repeat_list(Location::Query, "Id", &["a", "b"]);
    params.comma_list(Location::Query, "Ids", &[1_i32, -20]);
    let names: Vec<(&str, &str)> = params.query_pairs().iter().collect();
    assert_eq!(
        names,
        [
            ("Tag.12.Key", "k"),
            ("Id.1", "a"),
            ("Id.2", "b"),
            ("Ids", "1,-20")
        ]
    );
}

/// A shape with a secret field, as the generator writes one.
struct Login {
    user: Option<String>,
    password: Option<String>,
}

impl FlatObject for Login {
    fn write_flat(&self, params: &mut Params, loc: Location, prefix: &str) {
        params.plain_opt(loc, (prefix, "User"), &self.user);
        params.secret_opt(loc, (prefix, "Password"), &self.password);
    }
}

#[test]
fn secret_parameters_are_sent_but_never_shown() {
    let mut params = Params::new();
    params.plain(Location::Query, "RegionId", "cn-hangzhou");
    params.secret(Location::Query, "Password", "hunter2-top");
    params.secret_opt(Location::Body, "VncPassword", &Some("vnc-top".to_owned()));
    params.secret_opt::<String>(Location::Body, "AuthPassword", &None);
    params.flat(
        Location::Query,
        "Login",
        &Login {
            user: Some("root".to_owned()),
            password: Some("login-top".to_owned()),
        },
    );
    // Sent as set.
    let query: Vec<(&str, &str)> = params.query_pairs().iter().collect();
    assert_eq!(
        query,
        [
            ("RegionId", "cn-hangzhou"),
            ("Password", "hunter2-top"),
            ("Login.User", "root"),
            ("Login.Password", "login-top"),
        ]
    );
    let body: Vec<(&str, &str)> = params.body_pairs().iter().collect();
    assert_eq!(body, [("VncPassword", "vnc-top")]);
    assert!(canonical_query(params.query_pairs()).contains("Password=hunter2-top"));
    assert_eq!(
        params.secret_values().collect::<Vec<_>>(),
        ["hunter2-top", "vnc-top", "login-top"]
    );
    // Never shown, in the parameters, in a copy of them or in their pairs.
    for shown in [
        format!("{params:?}"),
        format!("{:#?}", params.clone()),
        format!("{:?}", params.query_pairs()),
    ] {
        assert!(!shown.contains("-top"), "{shown}");
        assert!(shown.contains("<redacted>"), "{shown}");
        assert!(
            shown.contains("cn-hangzhou") || shown.contains("Password"),
            "{shown}"
        );
    }
    assert!(format!("{params:?}").contains("root"));
}

#[test]
fn a_parameter_written_while_hiding_is_sent_but_never_shown() {
    let mut params = Params::new();
    params.plain(Location::Query, "RegionId", "cn-hangzhou");
    params.hiding(Location::Query, |params| {
        params.json_object(
            Location::Query,
            "Login",
            &serde_json::json!({"User": "root", "Password": "json-top"}),
        );
    });
    // Nothing written, nothing hidden: the parameter before stays shown.
    params.hiding(Location::Query, |params| {
        params.json_object_opt::<serde_json::Value>(Location::Query, "Other", &None);
    });
    let query: Vec<(&str, &str)> = params.query_pairs().iter().collect();
    assert_eq!(query[1].0, "Login");
    assert!(
        query[1].1.contains("\"Password\":\"json-top\""),
        "{query:?}"
    );
    assert_eq!(params.secret_values().count(), 1);
    let shown = format!("{params:?}");
    assert!(!shown.contains("json-top"), "{shown}");
    assert!(shown.contains("cn-hangzhou"), "{shown}");
}
