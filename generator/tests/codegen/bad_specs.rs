//! Each kind of bad spec is rejected with its file, line, column, what is wrong and how to mend it.

use acs_codegen::{SpecSource, generate, validate_all};

use crate::support::{
    GoodSpec, assert_first_says, assert_one, demo_spec, errors_of, line_of, list_things_request,
};

/// A small valid spec that each test breaks in one place.
const GOOD: GoodSpec = GoodSpec(demo_spec!(
    "Demo Service",
    r#"shapes:
  Tag:
    fields:
      - name: Key
        type: string
      - name: Value
        type: string
"#,
    list_things_request!(),
    r#"      - name: Tag
        type: array
        items: Tag
      - name: PageSize
        type: integer
        limits: {max: 100}
    response:
      fields:
        - name: RequestId
          type: string
        - name: TotalCount
          type: integer
    samples:
      - name: success
        body: |
          {"RequestId": "r-1", "TotalCount": "4"}
"#
));

#[test]
fn the_good_spec_generates() {
    let files = generate(&[SpecSource {
        name: "specs/demo.yaml".into(),
        text: GOOD.0.into(),
    }])
    .unwrap();
    assert!(files.iter().any(|f| f.path == "src/demo/mod.rs"));
}

#[test]
fn invalid_yaml() {
    let text = GOOD.broken("    title: Lists things.", "    title: [Lists things.");
    let errors = errors_of(&text);
    assert_eq!(errors.len(), 1);
    assert!(
        errors[0].message.starts_with("cannot read the spec"),
        "{}",
        errors[0]
    );
    assert!(errors[0].line >= line_of(&text, "title:"), "{}", errors[0]);
}

#[test]
fn unknown_key() {
    let text = GOOD.broken(
        "    methods: [POST]",
        "    methods: [POST]\n    metods: [GET]",
    );
    let errors = errors_of(&text);
    assert_eq!(errors[0].line, line_of(&text, "metods"), "{}", errors[0]);
    assert_first_says(&errors, "unknown field `metods`");
}

#[test]
fn unknown_type() {
    let text = GOOD.broken(
        "        type: integer\n        limits",
        "        type: int\n        limits",
    );
    assert_one(
        &errors_of(&text),
        line_of(&text, "type: int"),
        "unknown type `int`",
        "integer",
    );
}

#[test]
fn unknown_shape_reference() {
    let text = GOOD.broken("        items: Tag", "        items: Tags");
    assert_one(
        &errors_of(&text),
        line_of(&text, "items: Tags"),
        "unknown type `Tags`",
        "a shape: Tag",
    );
}

#[test]
fn missing_wire_name() {
    let text = GOOD.broken("      - name: RegionId\n", "      - rust_name: region_id\n");
    assert_one(
        &errors_of(&text),
        line_of(&text, "rust_name: region_id"),
        "no wire name",
        "add `name:`",
    );
}

#[test]
fn two_fields_with_one_rust_name() {
    let text = GOOD.broken(
        "        - name: TotalCount",
        "        - name: totalCount\n          type: long\n        - name: TotalCount",
    );
    assert_one(
        &errors_of(&text),
        line_of(&text, "- name: TotalCount"),
        "both become the Rust field `total_count`",
        "rust_name",
    );
}

#[test]
fn flat_style_on_a_string() {
    let text = GOOD.broken(
        "        required: true",
        "        required: true\n        style: flat",
    );
    assert_one(
        &errors_of(&text),
        line_of(&text, "style: flat"),
        "style `flat` does not fit `RegionId`, a scalar",
        "plain",
    );
}

#[test]
fn comma_style_on_an_object_that_is_not_a_list() {
    let text = GOOD.broken(
        "        type: array\n        items: Tag",
        "        type: Tag\n        style: comma",
    );
    assert_one(
        &errors_of(&text),
        line_of(&text, "style: comma"),
        "an object that is not a list",
        "flat",
    );
}

#[test]
fn a_limit_that_contradicts_itself() {
    let text = GOOD.broken("limits: {max: 100}", "limits: {min: 10, max: 1}");
    assert_one(
        &errors_of(&text),
        line_of(&text, "limits: {min: 10"),
        "`min` 10 is greater than `max` 1",
        "correct one",
    );
}

#[test]
fn a_limit_that_does_not_fit_the_type() {
    let text = GOOD.broken("limits: {max: 100}", "limits: {max_items: 5}");
    assert_one(
        &errors_of(&text),
        line_of(&text, "max_items: 5"),
        "not a list",
        "max",
    );
}

#[test]
fn a_rust_keyword_as_a_name_generates_a_raw_identifier() {
    let text = GOOD.broken(
        "        - name: TotalCount",
        "        - name: Type\n          type: string\n        - name: TotalCount",
    );
    let files = generate(&[SpecSource {
        name: "specs/demo.yaml".into(),
        text,
    }])
    .unwrap();
    let module: String = files
        .iter()
        .filter(|f| f.path.starts_with("src/demo/"))
        .map(|f| f.contents.as_str())
        .collect();
    assert!(module.contains("pub r#type: Option<String>"), "{module}");
    // Encoding and decoding name the wire name itself, never the Rust one.
    assert!(
        module.contains("out.opt(\"Type\", &self.r#type)?;"),
        "wire name encoded: {module}"
    );
    assert!(
        module.contains("\"Type\" => acs_runtime::object::opt(map, &mut self.r#type)"),
        "wire name decoded: {module}"
    );
}

#[test]
fn a_sample_that_does_not_match_the_shape() {
    let text = GOOD.broken(
        r#"{"RequestId": "r-1", "TotalCount": "4"}"#,
        r#"{"RequestId": "r-1", "TotalCount": {"n": 4}, "Extra": 1}"#,
    );
    let errors = errors_of(&text);
    assert_eq!(errors.len(), 2, "{errors:#?}");
    assert!(errors.iter().any(|e| {
        e.message
            .contains("`TotalCount` is an object, declared `integer`")
    }));
    assert!(
        errors
            .iter()
            .any(|e| e.message.contains("field `Extra` is not declared"))
    );
    assert!(
        errors
            .iter()
            .all(|e| e.line == line_of(&text, "\"Extra\": 1")),
        "{errors:#?}"
    );
}

#[test]
fn a_sample_that_is_not_json_must_be_marked_and_repaired() {
    let text = GOOD.broken(
        r#"{"RequestId": "r-1", "TotalCount": "4"}"#,
        r#"{"RequestId": "r-1" "TotalCount": "4"}"#,
    );
    let errors = errors_of(&text);
    assert_one(
        &errors,
        line_of(&text, "\"r-1\" \"TotalCount\""),
        "not valid JSON: expected `,` or `}`",
        "valid_json: false",
    );
    // Column points into the JSON: the opening brace is at column 11, the error 20 characters on.
    assert_eq!(errors[0].column, 31, "{}", errors[0]);
}

/// serde_json counts columns in bytes; the error must point at the character, also after
/// non-ASCII text on the same line.
#[test]
fn a_json_error_after_non_ascii_text_points_at_its_character() {
    let text = GOOD.broken(
        r#"{"RequestId": "r-1", "TotalCount": "4"}"#,
        r#"{"RequestId": "镜像镜像" "TotalCount": "4"}"#,
    );
    let errors = errors_of(&text);
    assert_eq!(errors.len(), 1, "{errors:#?}");
    let line = line_of(&text, "镜像镜像");
    let expected = text
        .lines()
        .nth(line - 1)
        .and_then(|l| {
            l.find("\" \"TotalCount")
                .map(|byte| l[..byte].chars().count() + 3)
        })
        .unwrap_or_default();
    assert_eq!(
        (errors[0].line, errors[0].column),
        (line, expected),
        "{}",
        errors[0]
    );
}

#[test]
fn paging_that_names_a_missing_field() {
    let text = GOOD.broken(
        "    samples:",
        "    paging:\n      page_number: PageNumber\n      page_size: PageSize\n      items: Things\n    samples:",
    );
    let errors = errors_of(&text);
    assert_eq!(errors.len(), 2, "{errors:#?}");
    assert!(
        errors[0]
            .message
            .contains("`PageNumber` is not a request parameter")
    );
    assert_eq!(errors[0].line, line_of(&text, "page_number: PageNumber"));
}

#[test]
fn every_problem_is_reported_and_nothing_is_generated() {
    let text = GOOD
        .broken("        items: Tag", "        items: Tags")
        .replace("style: rpc", "style: rest");
    let source = SpecSource {
        name: "specs/demo.yaml".into(),
        text,
    };
    let err = generate(&[source]).unwrap_err();
    let shown = err.to_string();
    assert!(shown.contains("unknown API style `rest`"), "{shown}");
    assert!(shown.contains("unknown type `Tags`"), "{shown}");
    assert!(shown.contains("specs/demo.yaml:"), "{shown}");
}

/// The whole report of a rejected spec, as `cargo xtask codegen` prints it.
fn report_of(text: &str) -> String {
    acs_codegen::SpecErrors(errors_of(text)).to_string()
}

#[test]
fn a_value_nested_fifty_thousand_levels_deep_is_refused_before_it_is_parsed() {
    let depth = 50_000;
    let text = GOOD.broken(
        "    title: Lists things.",
        &format!("    title: {}{}", "[".repeat(depth), "]".repeat(depth)),
    );
    let line = line_of(&text, "title: [[[");
    // The scanner reads brackets ahead and gives up at the 256th, at column 12 + 255, before the
    // 65th level is reached as an event.
    assert_eq!(
        report_of(&text),
        format!(
            "specs/demo.yaml:{line}:267: values nest more than 64 levels deep here\n  help: a spec \
             nests a few levels (operations, fields, items, values); close the brackets or fix \
             the indentation that opens level after level"
        )
    );
}

#[test]
fn block_mappings_nested_by_indentation_are_refused_too() {
    let mut nested = String::new();
    for level in 0..3_000 {
        nested.push('\n');
        nested.push_str(&" ".repeat(level + 6));
        nested.push_str("k:");
    }
    nested.push_str(" 1");
    let text = GOOD.broken("    title: Lists things.", &format!("    title:{nested}"));
    let errors = errors_of(&text);
    assert_eq!(errors.len(), 1, "{errors:#?}");
    assert_first_says(&errors, "more than 64 levels");
    // The document, `operations` and the operation are three levels: the 62nd `k:` is past the
    // limit, on the 62nd line after `title:`; the scanner marks a block mapping's start at the
    // colon of its first key.
    assert_eq!(
        (errors[0].line, errors[0].column),
        (line_of(&text, "title:") + 62, 6 + 61 + 2),
        "{}",
        errors[0]
    );
}

#[test]
fn a_spec_with_a_byte_order_mark_is_read() {
    let text = format!("\u{feff}{}", GOOD.0);
    let products = validate_all(&[SpecSource {
        name: "specs/demo.yaml".into(),
        text,
    }])
    .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(products[0].module, "demo");
}

/// The report for the good spec with its `endpoint:` entries replaced by `entries` (lines under
/// `endpoint:`, indented four spaces).
fn endpoint_report(entries: &str) -> String {
    report_of(&GOOD.broken(
        "    regional: \"demo.{region_id}.aliyuncs.com\"\n",
        &format!("{entries}\n"),
    ))
}

#[test]
fn endpoint_hosts_that_would_send_requests_elsewhere_are_refused() {
    let plain = "help: write the host name alone (`ecs.aliyuncs.com`): the SDK adds the scheme and the path";
    let between = "help: put the region inside the host: `ecs.{region_id}.aliyuncs.com` or `ecs-{region_id}.aliyuncs.com`";
    let cases: &[(&str, String)] = &[
        (
            "    regional: \"{region_id}\"",
            format!("8:15: host `{{region_id}}` does not have `{{region_id}}` between fixed text and a domain of two labels\n  {between}"),
        ),
        (
            "    regional: \"{region_id}.aliyuncs.com\"",
            format!("8:15: host `{{region_id}}.aliyuncs.com` does not have `{{region_id}}` between fixed text and a domain of two labels\n  {between}"),
        ),
        (
            "    regional: \"demo-{region_id}.com\"",
            format!("8:15: host `demo-{{region_id}}.com` does not have `{{region_id}}` between fixed text and a domain of two labels\n  {between}"),
        ),
        (
            "    regional: demo.{region_id}",
            format!("8:15: host `demo.{{region_id}}` does not have `{{region_id}}` between fixed text and a domain of two labels\n  {between}"),
        ),
        (
            "    regional: \"demo.{region_id}.{region_id}.com\"",
            "8:15: host `demo.{region_id}.{region_id}.com` has `{region_id}` more than once\n  help: write the region's place in the host once".to_owned(),
        ),
        (
            "    regional: \"demo.{region}.aliyuncs.com\"",
            "8:15: host `demo.{region}.aliyuncs.com` has the placeholder `{region}`\n  help: `{region_id}` is the only placeholder a host can have".to_owned(),
        ),
        (
            "    regional: \"https://demo.{region_id}.aliyuncs.com\"",
            format!("8:15: host `https://demo.{{region_id}}.aliyuncs.com` has a scheme\n  {plain}"),
        ),
        (
            "    regional: \"demo.{region_id}.aliyuncs.com\"\n    central: demo.aliyuncs.com/v1",
            format!("9:14: host `demo.aliyuncs.com/v1` has a path\n  {plain}"),
        ),
        (
            "    central: \"demo.aliyuncs.com?Version=1\"",
            format!("8:14: host `demo.aliyuncs.com?Version=1` has a query\n  {plain}"),
        ),
        (
            "    central: \"demo.aliyuncs.com#top\"",
            format!("8:14: host `demo.aliyuncs.com#top` has a fragment\n  {plain}"),
        ),
        (
            "    central: \"admin@demo.aliyuncs.com\"",
            format!("8:14: host `admin@demo.aliyuncs.com` has user information (`user@`)\n  {plain}"),
        ),
        (
            "    central: \"demo.{region_id}.aliyuncs.com\"",
            "8:14: host `demo.{region_id}.aliyuncs.com` has `{region_id}`, but this host serves fixed regions\n  help: write the host itself; a host that follows the region goes under `regional:`".to_owned(),
        ),
        (
            "    central: demo..aliyuncs.com",
            "8:14: host `demo..aliyuncs.com` has an empty label (`..`, or a dot at an end)\n  help: remove the extra dot".to_owned(),
        ),
        (
            "    regional: \"demo_api.{region_id}.aliyuncs.com\"",
            "8:15: host `demo_api.{region_id}.aliyuncs.com` has `_`, which a host name cannot hold\n  help: a host name holds ASCII letters, digits, `-` and dots".to_owned(),
        ),
        (
            "    regional: \"-demo.{region_id}.aliyuncs.com\"",
            "8:15: host `-demo.{region_id}.aliyuncs.com` has the label `-demo`, which starts or ends with `-`\n  help: a label of a host name starts and ends with a letter or digit".to_owned(),
        ),
        (
            "    central: demo.aliyuncs.com\n    regions:\n      cn-hangzhou-finance: https://demo.aliyuncs.com/",
            format!("10:28: host `https://demo.aliyuncs.com/` has a scheme\n  {plain}"),
        ),
        (
            "    regional: \"demo.{region_id}.aliyuncs.com\"\n    networks:\n      vpc: \"demo-vpc.{region_id}.aliyuncs.com:8080\"",
            "10:12: host `demo-vpc.{region_id}.aliyuncs.com:8080` has a port\n  help: the SDK always calls port 443: remove the port".to_owned(),
        ),
        (
            "    regional: \"demo.{region_id}.aliyuncs.com\"\n    networks:\n      vpc: demo-vpc.aliyuncs.com",
            "10:12: host `demo-vpc.aliyuncs.com` has no `{region_id}`\n  help: write the region's place in the host as `{region_id}`".to_owned(),
        ),
    ];
    for (entries, expected) in cases {
        assert_eq!(
            endpoint_report(entries),
            format!("specs/demo.yaml:{expected}"),
            "endpoint:\n{entries}"
        );
    }
}

#[test]
fn endpoint_hosts_the_real_specs_use_are_accepted() {
    for entries in [
        "    regional: \"demo.{region_id}.aliyuncs.com\"\n    networks:\n      internal: \"demo-intranet.{region_id}.aliyuncs.com\"",
        "    regional: \"demo-{region_id}.aliyuncs.com\"",
        "    regional: \"demo.{region_id}.aliyuncs.com\"\n    central: demo.aliyuncs.com\n    regions:\n      cn-shenzhen-finance-1: ecs-cn-hangzhou.aliyuncs.com\n    networks:\n      vpc: \"swas-vpc.{region_id}.aliyuncs.com\"",
    ] {
        let text = GOOD.broken(
            "    regional: \"demo.{region_id}.aliyuncs.com\"\n",
            &format!("{entries}\n"),
        );
        validate_all(&[SpecSource {
            name: "specs/demo.yaml".into(),
            text,
        }])
        .unwrap_or_else(|e| panic!("{e}"));
    }
}

/// The report for the good spec with `from` (which must occur once) replaced by `to`.
fn report_for(from: &str, to: &str) -> String {
    report_of(&GOOD.broken(from, to))
}

const PARAMETER: &str = "      - name: PageSize\n";
const RESPONSE_FIELD: &str = "        - name: TotalCount\n";

/// A request parameter of type string named `name`, before `PageSize`.
fn with_parameter(lines: &str) -> String {
    format!("{lines}{PARAMETER}")
}

#[test]
fn names_with_nothing_to_make_an_identifier_of_are_refused() {
    for name in ["_", "\"-\"", "名前", "é"] {
        let shown = name.trim_matches('"');
        assert_eq!(
            report_for(
                PARAMETER,
                &with_parameter(&format!("      - name: {name}\n        type: string\n"))
            ),
            format!(
                "specs/demo.yaml:27:15: `{shown}` has no ASCII letter or digit to make a Rust name of\n  help: set `rust_name:` to a lower snake case name for it"
            )
        );
    }
}

#[test]
fn wire_names_that_meet_in_one_identifier_are_refused() {
    assert_eq!(
        report_for(
            PARAMETER,
            &with_parameter(
                "      - name: ImageId\n        type: string\n      - name: Image_Id\n        type: string\n"
            )
        ),
        "specs/demo.yaml:29:15: `Image_Id` and `ImageId` both become the Rust field `image_id`\n  help: set `rust_name:` on one of them"
    );
    assert_eq!(
        report_for(
            PARAMETER,
            &with_parameter(
                "      - name: Self\n        type: string\n      - name: self\n        type: string\n"
            )
        ),
        "specs/demo.yaml:29:15: `self` and `Self` both become the Rust field `self_`\n  help: set `rust_name:` on one of them"
    );
}

#[test]
fn a_rust_name_given_in_the_spec_that_the_generated_code_has_is_refused() {
    assert_eq!(
        report_for(
            PARAMETER,
            &with_parameter(
                "      - name: Builder\n        rust_name: build\n        type: string\n"
            )
        ),
        "specs/demo.yaml:28:20: `build` is a name the request builder already has\n  help: choose another `rust_name:` (taken: client, build, send, into_paginator, empty, into_parts, clone, clone_from, default, eq, ne, fmt)"
    );
    assert_eq!(
        report_for(
            RESPONSE_FIELD,
            &format!(
                "        - name: Meta\n          rust_name: meta\n          type: string\n{RESPONSE_FIELD}"
            )
        ),
        "specs/demo.yaml:35:22: `meta` is a name the response already has\n  help: choose another `rust_name:` (taken: meta)"
    );
    assert_eq!(
        report_for(
            PARAMETER,
            &with_parameter(
                "      - name: Foo\n        type: string\n      - name: FooSetter\n        rust_name: set_foo\n        type: string\n"
            )
        ),
        "specs/demo.yaml:29:15: the builder method `set_foo` would be both the setter of `FooSetter` and the replacing setter of `Foo`\n  help: set `rust_name:` on one of them"
    );
}

#[test]
fn shapes_and_enums_named_like_generated_types_are_refused() {
    let shape =
        |name: &str| report_for("  Tag:\n", &format!("  {name}:\n    fields: []\n  Tag:\n"));
    assert_eq!(
        shape("Client"),
        "specs/demo.yaml:11:11: shape `Client` has the name of `Client`, which generated code uses\n  help: rename the shape"
    );
    assert_eq!(
        shape("BlockingClient"),
        "specs/demo.yaml:11:11: shape `BlockingClient` has the name of `BlockingClient`, which generated code uses\n  help: rename the shape"
    );
    assert_eq!(
        shape("Error"),
        "specs/demo.yaml:11:11: shape `Error` has the name of `Error`, which generated code uses\n  help: rename the shape"
    );
    assert_eq!(
        shape("ListThingsRequest"),
        "specs/demo.yaml:11:11: shape `ListThingsRequest` has the name of a type generated for operation ListThings\n  help: rename the shape"
    );
    assert_eq!(
        shape("_"),
        "specs/demo.yaml:11:11: shape name `_` is not a Rust identifier\n  help: name the shape in UpperCamelCase ASCII (`ImageTag`)"
    );
    assert_eq!(
        report_for(
            PARAMETER,
            &with_parameter(
                "      - name: Kind\n        type: string\n        enum: Tag\n        values:\n          - value: a\n"
            )
        ),
        "specs/demo.yaml:31:11: enum `Tag` has the name of shape Tag\n  help: set `enum:` on this field to another name"
    );
}

#[test]
fn enum_values_without_a_variant_of_their_own_are_refused() {
    let values = |lines: &str| {
        report_for(
            PARAMETER,
            &with_parameter(&format!(
                "      - name: Mode\n        type: string\n        values:\n{lines}"
            )),
        )
    };
    assert_eq!(
        values("          - value: on\n          - value: ON\n"),
        "specs/demo.yaml:31:18: values `on` and `ON` both become variant `On`\n  help: set `name:` on one of them"
    );
    assert_eq!(
        values("          - value: \"-\"\n"),
        "specs/demo.yaml:30:18: value `-` has no ASCII letter or digit to make a variant name of\n  help: set `name:` to an UpperCamelCase name for it"
    );
    assert_eq!(
        values("          - value: Unknown\n"),
        "specs/demo.yaml:30:18: variant name `Unknown` is not usable\n  help: set `name:` to an UpperCamelCase name other than `Unknown` and `VALUES`"
    );
}

#[test]
fn names_the_generated_crate_and_module_need_for_themselves_are_refused() {
    assert_eq!(
        report_for("  module: demo\n", "  module: full\n"),
        "specs/demo.yaml:4:11: module `full` is the name of a cargo feature the crate has beside its products\n  help: choose another module name"
    );
    assert_eq!(
        report_for("  module: demo\n", "  module: blocking\n"),
        "specs/demo.yaml:4:11: module `blocking` is the name of a cargo feature the crate has beside its products\n  help: choose another module name"
    );
    assert_eq!(
        report_for(
            "  - action: ListThings\n",
            "  - action: Service\n    title: Named like the service.\n    methods: [POST]\n    response:\n      fields: []\n  - action: ListThings\n"
        ),
        "specs/demo.yaml:17:13: operation `Service` would define the static `SERVICE`, which is already the product's service\n  help: an operation's static is its method in upper case: the two cannot share one module; split the spec"
    );
    assert_eq!(
        report_for(
            "    samples:\n      - name: success\n",
            "    samples:\n      - name: Success\n        body: '{}'\n      - name: success\n"
        ),
        "specs/demo.yaml:39:15: sample `success` would be tested by `list_things_success`, as sample `Success` of ListThings is\n  help: give the sample another name"
    );
    assert_eq!(
        report_for(
            RESPONSE_FIELD,
            &format!(
                "        - name: Images\n          type: array\n          items: string\n          wrapper: Image\n        - name: Others\n          type: array\n          items: string\n          wrapper: image\n{RESPONSE_FIELD}"
            )
        ),
        "specs/demo.yaml:41:20: wrapper keys `Image` and `image` both become the marker type `ImageKey`\n  help: write each key exactly as the samples have it; keys that differ only in case or punctuation cannot share one spec"
    );
}

#[test]
fn names_the_generated_code_has_move_aside_and_keep_their_wire_names() {
    let text = GOOD.broken(
        PARAMETER,
        &with_parameter(
            "      - name: Client\n        type: string\n      - name: Foo\n        type: string\n      - name: SetFoo\n        type: string\n      - name: Build\n        type: string\n",
        ),
    )
    .replace(
        RESPONSE_FIELD,
        &format!("        - name: Meta\n          type: string\n{RESPONSE_FIELD}"),
    );
    let products = validate_all(&[SpecSource {
        name: "specs/demo.yaml".into(),
        text,
    }])
    .unwrap_or_else(|e| panic!("{e}"));
    let op = &products[0].operations[0];
    let names = |fields: &[acs_codegen::model::Field]| -> Vec<(String, String)> {
        fields
            .iter()
            .map(|f| (f.wire_name.clone(), f.rust_name.clone()))
            .collect()
    };
    let request = names(&op.request);
    for (wire, rust) in [
        ("Client", "client_"),
        ("Foo", "foo"),
        ("SetFoo", "set_foo_"),
        ("Build", "build_"),
    ] {
        assert!(
            request.contains(&(wire.to_owned(), rust.to_owned())),
            "{request:?}"
        );
    }
    assert!(
        names(&op.response).contains(&("Meta".to_owned(), "meta_".to_owned())),
        "{:?}",
        op.response
    );
}

#[test]
fn operations_named_like_the_clients_own_methods_move_aside() {
    // `Client::send` sends request values, `BlockingClient::with_config` and
    // `from_env_blocking` build the blocking client, and `<module>_blocking` is the product's
    // blocking example.
    for (action, method) in [
        ("Send", "send_"),
        ("WithConfig", "with_config_"),
        ("FromEnvBlocking", "from_env_blocking_"),
        ("Blocking", "blocking_"),
    ] {
        let text = GOOD.broken(
            "  - action: ListThings\n",
            &format!(
                "  - action: {action}\n    title: Named like a client method.\n    methods: [POST]\n    response:\n      fields: []\n  - action: ListThings\n"
            ),
        );
        let products = validate_all(&[SpecSource {
            name: "specs/demo.yaml".into(),
            text,
        }])
        .unwrap_or_else(|e| panic!("{e}"));
        let op = products[0]
            .operations
            .iter()
            .find(|op| op.action == action)
            .unwrap_or_else(|| panic!("no operation {action}"));
        assert_eq!(op.method_name, method);
    }
}

#[test]
fn a_shape_that_contains_itself_holds_itself_in_a_box() {
    let text = GOOD.broken(
        "  Tag:\n",
        "  Node:\n    fields:\n      - name: Parent\n        type: Node\n      - name: Children\n        type: array\n        items: Node\n      - name: Tag\n        type: Tag\n  Tag:\n",
    );
    let products = validate_all(&[SpecSource {
        name: "specs/demo.yaml".into(),
        text,
    }])
    .unwrap_or_else(|e| panic!("{e}"));
    let node = products[0]
        .shapes
        .iter()
        .find(|s| s.rust_name == "Node")
        .unwrap_or_else(|| panic!("no shape Node"));
    let boxed: Vec<(&str, bool)> = node
        .fields
        .iter()
        .map(|f| (f.wire_name.as_str(), f.boxed))
        .collect();
    assert_eq!(
        boxed,
        [("Parent", true), ("Children", false), ("Tag", false)]
    );
}

#[test]
fn two_limits_tested_under_one_name_are_refused() {
    // `Tag.N.Key` of the list `Tag` and the parameter `TagKey` would both be tested by
    // `tag_key_max_length`.
    let text = GOOD.broken(
        "        type: string\n      - name: Value",
        "        type: string\n        limits: {max_length: 128}\n      - name: Value",
    );
    let text = text.replace(
        PARAMETER,
        &with_parameter(
            "      - name: TagKey\n        type: string\n        limits: {max_length: 64}\n",
        ),
    );
    assert_eq!(
        report_of(&text),
        "specs/demo.yaml:28:15: a test of parameter `TagKey` would be named `tag_key_max_length`, as parameter `Tag` is\n  help: set `rust_name:` on one of the two parameters"
    );
}

#[test]
fn an_action_declared_twice_is_reported_once() {
    assert_eq!(
        report_for(
            "  - action: ListThings\n",
            "  - action: ListThings\n    title: Again.\n    methods: [POST]\n    response:\n      fields: []\n  - action: ListThings\n"
        ),
        "specs/demo.yaml:22:13: operation `ListThings` is declared twice\n  help: merge the two entries into one"
    );
}
