//! Names: wire names with nothing to make an identifier of, names that meet in one identifier,
//! names the generated code needs for itself, and how the generator moves its own aside.

use super::*;

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
        report_for("  module: demo\n", "  module: catalog\n"),
        "specs/demo.yaml:4:11: module `catalog` would make the crate `acs-catalog` in `generated/catalog/`, which another crate of the workspace is\n  help: choose another module name"
    );
    assert_eq!(
        report_for("  module: demo\n", "  module: test_gateway\n"),
        "specs/demo.yaml:4:11: module `test_gateway` would make the crate `acs-test-gateway` in `generated/test_gateway/`, which another crate of the workspace is\n  help: choose another module name"
    );
    assert_eq!(
        report_for(
            "  - action: ListThings\n",
            "  - action: Service\n    title: Named like the service.\n    methods: [POST]\n    response:\n      fields: []\n  - action: ListThings\n"
        ),
        "specs/demo.yaml:17:13: operation `Service` would generate the type `ServiceError`, which is already `ServiceError`, which generated code uses\n  help: the two actions cannot share one spec; split the spec\n\
         specs/demo.yaml:17:13: operation `Service` would define the static `SERVICE`, which is already the product's service\n  help: an operation's static is its method in upper case: the two cannot share one module; split the spec"
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
