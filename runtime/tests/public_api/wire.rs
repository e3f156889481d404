//! Wire styles and percent-encoding.
//!
//! `tests/vectors/wire/` holds what Alibaba's official Python runtime produces for the JSON-list
//! style and for percent-encoding (recorded by `tests/vectors/record.py`); the flattening styles
//! are checked against the rules in the design's wire facts.

use std::fs;
use std::path::Path;

use acs_runtime::wire::{
    self, FlatObject, Location, Pairs, Params, WireScalar, WriteParams, canonical_query, form_body,
    percent_encode,
};
use serde::Deserialize;

fn pairs(list: Pairs<'_>) -> Vec<(&str, &str)> {
    list.iter().collect()
}

fn vector<T: serde::de::DeserializeOwned>(file: &str) -> T {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/vectors/wire")
        .join(file);
    serde_json::from_str(&fs::read_to_string(&path).unwrap()).unwrap()
}

#[derive(Deserialize)]
struct JsonListCase {
    values: Vec<serde_json::Value>,
    expected: String,
}

#[derive(Deserialize)]
struct PercentCase {
    text: String,
    expected: String,
}

#[test]
fn json_list_matches_the_official_runtime() {
    let cases: Vec<JsonListCase> = vector("json-lists.json");
    assert!(cases.len() >= 8);
    for case in cases {
        let mut params = Params::new();
        params.json_list(Location::Query, "Name", &case.values);
        assert_eq!(
            pairs(params.query_pairs()),
            [("Name", case.expected.as_str())]
        );
    }
}

#[test]
fn json_list_of_strings_is_compact_and_keeps_unicode() {
    let mut params = Params::new();
    params.json_list(
        Location::Query,
        "ImageIds",
        &["m-1".to_owned(), "镜像 😀".to_owned()],
    );
    assert_eq!(
        pairs(params.query_pairs()),
        [("ImageIds", r#"["m-1","镜像 😀"]"#)]
    );
    assert_eq!(
        canonical_query(params.query_pairs()),
        "ImageIds=%5B%22m-1%22%2C%22%E9%95%9C%E5%83%8F%20%F0%9F%98%80%22%5D"
    );
}

#[test]
fn percent_encoding_matches_the_official_runtime() {
    let cases: Vec<PercentCase> = vector("percent-encoding.json");
    assert!(cases.len() >= 15);
    for case in cases {
        assert_eq!(
            percent_encode(&case.text),
            case.expected,
            "text {:?}",
            case.text
        );
    }
}

#[test]
fn percent_encoding_of_each_special_character() {
    for (text, expected) in [
        (" ", "%20"),
        ("*", "%2A"),
        ("~", "~"),
        ("+", "%2B"),
        ("/", "%2F"),
        ("&", "%26"),
        ("=", "%3D"),
        ("%", "%25"),
        ("\n", "%0A"),
        ("😀", "%F0%9F%98%80"),
        ("é", "%C3%A9"),
        ("", ""),
        ("Az09-_.~", "Az09-_.~"),
    ] {
        assert_eq!(percent_encode(text), expected, "{text:?}");
    }
}

#[test]
fn plain_scalars() {
    let mut params = Params::new();
    params.plain(Location::Query, "S", "a b");
    params.plain(Location::Query, "Owned", &"x".to_owned());
    params.plain(Location::Query, "I32", &-5_i32);
    params.plain(Location::Query, "I64", &9_007_199_254_740_993_i64);
    params.plain(Location::Query, "True", &true);
    params.plain(Location::Query, "False", &false);
    params.plain(Location::Query, "Empty", "");
    assert_eq!(
        pairs(params.query_pairs()),
        [
            ("S", "a b"),
            ("Owned", "x"),
            ("I32", "-5"),
            ("I64", "9007199254740993"),
            ("True", "true"),
            ("False", "false"),
            ("Empty", ""),
        ]
    );
    assert!(params.body_pairs().is_empty());
}

#[test]
fn floats_are_plain_decimals_without_exponent() {
    for (value, expected) in [
        (1.5_f64, "1.5"),
        (2.0, "2"),
        (0.1, "0.1"),
        (-0.25, "-0.25"),
        (1e21, "1000000000000000000000"),
        (1e-7, "0.0000001"),
    ] {
        let mut text = String::new();
        value.write_wire(&mut text);
        assert_eq!(text, expected);
    }
}

#[test]
fn plain_opt_writes_only_set_values() {
    let mut params = Params::new();
    params.plain_opt(Location::Query, "Set", &Some(3_i32));
    params.plain_opt::<i32>(Location::Query, "Unset", &None);
    assert_eq!(pairs(params.query_pairs()), [("Set", "3")]);
}

#[test]
fn repeat_list_numbers_from_one() {
    let mut params = Params::new();
    params.repeat_list(Location::Query, "InstanceId", &["i-1", "i-2", "i 3"]);
    params.repeat_list::<&str>(Location::Query, "Nothing", &[]);
    assert_eq!(
        pairs(params.query_pairs()),
        [
            ("InstanceId.1", "i-1"),
            ("InstanceId.2", "i-2"),
            ("InstanceId.3", "i 3")
        ]
    );
}

#[test]
fn comma_list_joins_and_skips_empty() {
    let mut params = Params::new();
    params.comma_list(Location::Query, "ImageId", &["m-1", "m-2"]);
    params.comma_list::<&str>(Location::Query, "Nothing", &[]);
    params.comma_list(Location::Query, "Numbers", &[1_i64, 2]);
    assert_eq!(
        pairs(params.query_pairs()),
        [("ImageId", "m-1,m-2"), ("Numbers", "1,2")]
    );
    assert_eq!(
        canonical_query(params.query_pairs()),
        "ImageId=m-1%2Cm-2&Numbers=1%2C2"
    );
}

#[test]
fn empty_json_list_writes_nothing() {
    let mut params = Params::new();
    params.json_list::<String>(Location::Query, "ImageIds", &[]);
    assert!(params.query_pairs().is_empty());
}

/// A shape as the generator writes one: `Tag { Key, Value }`.
#[derive(Clone)]
struct Tag {
    key: Option<String>,
    value: Option<String>,
}

impl FlatObject for Tag {
    fn write_flat(&self, params: &mut Params, loc: Location, prefix: &str) {
        params.plain_opt(loc, (prefix, "Key"), &self.key);
        params.plain_opt(loc, (prefix, "Value"), &self.value);
    }
}

/// A shape holding a list of shapes and a list of scalars: `A.1.B.2.C`.
struct Rule {
    name: Option<String>,
    tags: Vec<Tag>,
    ports: Vec<i32>,
}

impl FlatObject for Rule {
    fn write_flat(&self, params: &mut Params, loc: Location, prefix: &str) {
        params.plain_opt(loc, (prefix, "Name"), &self.name);
        params.flat_list(loc, (prefix, "Tag"), &self.tags);
        params.repeat_list(loc, (prefix, "Port"), &self.ports);
    }
}

fn tag(key: &str, value: Option<&str>) -> Tag {
    Tag {
        key: Some(key.to_owned()),
        value: value.map(str::to_owned),
    }
}

#[test]
fn flat_list_of_objects() {
    let mut params = Params::new();
    params.flat_list(
        Location::Query,
        "Tag",
        &[tag("env", Some("prod")), tag("team", None)],
    );
    params.flat_list::<Tag>(Location::Query, "None", &[]);
    assert_eq!(
        pairs(params.query_pairs()),
        [
            ("Tag.1.Key", "env"),
            ("Tag.1.Value", "prod"),
            ("Tag.2.Key", "team")
        ]
    );
}

#[test]
fn object_alone_and_optional() {
    let mut params = Params::new();
    params.flat(Location::Query, "Config", &tag("k", Some("v")));
    params.flat_opt(Location::Query, "Set", &Some(tag("a", None)));
    params.flat_opt::<Tag>(Location::Query, "Unset", &None);
    assert_eq!(
        pairs(params.query_pairs()),
        [("Config.Key", "k"), ("Config.Value", "v"), ("Set.Key", "a")]
    );
}

#[test]
fn nested_flat_lists() {
    let rules = [
        Rule {
            name: Some("first".to_owned()),
            tags: vec![tag("a", Some("1")), tag("b", Some("2"))],
            ports: vec![80, 443],
        },
        Rule {
            name: None,
            tags: vec![],
            ports: vec![22],
        },
    ];
    let mut params = Params::new();
    params.flat_list(Location::Body, "Rule", &rules);
    assert!(params.query_pairs().is_empty());
    assert_eq!(
        pairs(params.body_pairs()),
        [
            ("Rule.1.Name", "first"),
            ("Rule.1.Tag.1.Key", "a"),
            ("Rule.1.Tag.1.Value", "1"),
            ("Rule.1.Tag.2.Key", "b"),
            ("Rule.1.Tag.2.Value", "2"),
            ("Rule.1.Port.1", "80"),
            ("Rule.1.Port.2", "443"),
            ("Rule.2.Port.1", "22"),
        ]
    );
}

#[test]
fn locations_are_kept_apart_and_contains_sees_every_one() {
    let mut params = Params::new();
    params.push(Location::Query, "Distro", "Windows");
    params.push(Location::Body, "RegionId", "cn-shanghai");
    params.push(Location::Header, "x-acs-resource-group-id", "rg-1");
    assert_eq!(pairs(params.query_pairs()), [("Distro", "Windows")]);
    assert_eq!(pairs(params.body_pairs()), [("RegionId", "cn-shanghai")]);
    assert_eq!(
        pairs(params.header_pairs()),
        [("x-acs-resource-group-id", "rg-1")]
    );
    assert!(params.contains("Distro"));
    assert!(params.contains("RegionId"));
    assert!(params.contains("x-acs-resource-group-id"));
    assert!(!params.contains("Region"));
}

#[test]
fn canonical_query_sorts_by_name_and_encodes_names_and_values() {
    let list = vec![
        ("b".to_owned(), "2 *".to_owned()),
        ("A".to_owned(), "~/+".to_owned()),
        ("Tag.10.Key".to_owned(), "x".to_owned()),
        ("Tag.2.Key".to_owned(), "中".to_owned()),
        ("Empty".to_owned(), String::new()),
        ("a&b".to_owned(), "=".to_owned()),
    ];
    assert_eq!(
        canonical_query(&list),
        "A=~%2F%2B&Empty=&Tag.10.Key=x&Tag.2.Key=%E4%B8%AD&a%26b=%3D&b=2%20%2A"
    );
    assert_eq!(canonical_query(&Vec::<(String, String)>::new()), "");
}

#[test]
fn form_body_is_sorted_and_rfc3986_encoded() {
    let list = vec![
        ("RegionId".to_owned(), "cn-shanghai".to_owned()),
        ("ImageName".to_owned(), "a b+c\n".to_owned()),
    ];
    assert_eq!(
        form_body(&list),
        "ImageName=a%20b%2Bc%0A&RegionId=cn-shanghai"
    );
}

#[test]
fn canonical_query_of_borrowed_pairs_matches_owned() {
    let list = vec![
        ("Z".to_owned(), "1".to_owned()),
        ("Y".to_owned(), "2".to_owned()),
    ];
    assert_eq!(
        wire::canonical_query_of([("Z", "1"), ("Y", "2")]),
        canonical_query(&list)
    );
}

/// A request as the generator writes one.
struct DescribeImages {
    region_id: String,
    image_ids: Vec<String>,
    tags: Vec<Tag>,
    dry_run: Option<bool>,
}

impl WriteParams for DescribeImages {
    fn write_params(&self, params: &mut Params) {
        params.plain(Location::Query, "RegionId", &self.region_id);
        params.comma_list(Location::Query, "ImageId", &self.image_ids);
        params.flat_list(Location::Query, "Tag", &self.tags);
        params.plain_opt(Location::Query, "DryRun", &self.dry_run);
    }
}

#[test]
fn a_generated_request_writes_its_query() {
    let request = DescribeImages {
        region_id: "cn-hangzhou".to_owned(),
        image_ids: vec!["m-1".to_owned(), "m-2".to_owned()],
        tags: vec![tag("env", Some("prod test"))],
        dry_run: Some(false),
    };
    let mut params = Params::new();
    request.write_params(&mut params);
    assert_eq!(
        canonical_query(params.query_pairs()),
        "DryRun=false&ImageId=m-1%2Cm-2&RegionId=cn-hangzhou&Tag.1.Key=env&Tag.1.Value=prod%20test"
    );
}

/// An object parameter in `json` style is one compact JSON value under the object's serde names,
/// unset fields left out; `None` writes nothing.
#[test]
fn json_object_is_one_compact_parameter() {
    #[derive(serde::Serialize)]
    #[serde(rename_all = "PascalCase")]
    struct Filter {
        key: String,
        #[serde(skip_serializing_if = "Option::is_none")]
        value: Option<String>,
        count: i64,
    }
    let mut params = acs_runtime::wire::Params::new();
    let filter = Filter {
        key: "a b/\"c\"".to_owned(),
        value: None,
        count: 5_000_000_000,
    };
    params.json_object(acs_runtime::wire::Location::Query, "Filter", &filter);
    params.json_object_opt::<Filter>(acs_runtime::wire::Location::Query, "Other", &None);
    params.json_object_opt(
        acs_runtime::wire::Location::Body,
        ("Outer", "Inner"),
        &Some(&filter),
    );
    assert_eq!(
        params.query_pairs(),
        [(
            "Filter".to_owned(),
            r#"{"Key":"a b/\"c\"","Count":5000000000}"#.to_owned()
        )]
    );
    assert_eq!(
        params.body_pairs().get(0).map(|(name, _)| name),
        Some("Outer.Inner")
    );
}

/// A `json` parameter (`acs_runtime::JsonValue`, a value of no fixed shape) is its compact JSON
/// text in one parameter, whatever JSON type it holds, as the official SDKs send such values; a
/// list of them is one JSON array.
#[test]
fn a_json_value_is_one_compact_parameter() {
    let mut params = Params::new();
    let events: acs_runtime::JsonValue = serde_json::json!([{"a": 1, "b": {"c": [true, null]}}]);
    params.json_object(Location::Query, "Events", &events);
    params.json_object_opt(
        Location::Query,
        "Name",
        &Some(acs_runtime::JsonValue::from("镜像")),
    );
    params.json_object_opt::<acs_runtime::JsonValue>(Location::Query, "Unset", &None);
    params.json_list(
        Location::Query,
        "Rows",
        &[serde_json::json!({"x": 1.5}), serde_json::json!([2])],
    );
    assert_eq!(
        pairs(params.query_pairs()),
        [
            ("Events", r#"[{"a":1,"b":{"c":[true,null]}}]"#),
            ("Name", r#""镜像""#),
            ("Rows", r#"[{"x":1.5},[2]]"#),
        ]
    );
}
