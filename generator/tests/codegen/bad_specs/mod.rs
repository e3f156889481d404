//! Each kind of bad spec is rejected with its file, line, column, what is wrong and how to mend it.
//!
//! The small good spec and the first kinds of mistake are here; `documents` holds texts the
//! reader refuses before parsing (or reads despite a byte order mark), `endpoints` the endpoint
//! hosts, `names` the names that cannot become Rust identifiers or clash with generated ones.

use acs_codegen::{SpecSource, generate, validate_all};

use crate::support::{
    GoodSpec, assert_first_says, assert_one, demo_spec, errors_of, line_of, list_things_request,
};

mod documents;
mod endpoints;
mod names;
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
    assert!(files.iter().any(|f| f.path == "demo/src/lib.rs"));
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
fn a_json_value_takes_only_the_json_style() {
    for (ty, style) in [
        ("type: json", "flat"),
        ("type: array\n        items: json", "repeat_list"),
        ("type: array\n        items: json", "comma"),
        ("type: map\n        items: json", "flat"),
    ] {
        let text = GOOD.broken(
            "        type: array\n        items: Tag",
            &format!("        {ty}\n        style: {style}"),
        );
        assert_one(
            &errors_of(&text),
            line_of(&text, &format!("style: {style}")),
            "which holds any JSON value",
            "use `json`",
        );
    }
}

#[test]
fn a_json_value_takes_no_limits_and_is_no_header() {
    let text = GOOD.broken(
        "        type: array\n        items: Tag",
        "        type: json\n        limits: {max_length: 4}",
    );
    assert_one(
        &errors_of(&text),
        line_of(&text, "limits: {max_length: 4}"),
        "a length limit on a field that is not text",
        "",
    );
    let text = GOOD.broken(
        "        type: array\n        items: Tag",
        "        type: array\n        items: {type: json, limits: {max_length: 4}}",
    );
    assert_one(
        &errors_of(&text),
        line_of(&text, "items: {type: json"),
        "limits on items of type `json`",
        "remove them",
    );
    let text = GOOD.broken(
        "        type: array\n        items: Tag",
        "        type: json\n        location: header",
    );
    assert_one(
        &errors_of(&text),
        line_of(&text, "location: header"),
        "is not a scalar and cannot be a header",
        "query or the body",
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
        .filter(|f| f.path.starts_with("demo/src/"))
        .map(|f| f.contents.as_str())
        .collect();
    assert!(module.contains("pub r#type: Option<String>"), "{module}");
    // Encoding and decoding name the wire name itself, never the Rust one.
    assert!(
        module.contains("out.opt(\"Type\", &self.r#type)?;"),
        "wire name encoded: {module}"
    );
    assert!(
        module.contains("\"Type\" => codegen::object::opt(map, &mut self.r#type)"),
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

/// A flat parameter that a list beside it also writes (ECS `DescribePrice` had `DataDisk.2.Size`
/// beside the list `DataDisk`): set together, the request would send the name twice.
#[test]
fn a_flat_name_a_list_also_writes_is_refused() {
    let text = GOOD.broken(
        "      - name: PageSize\n",
        "      - name: Tag.2.Key\n        type: string\n      - name: PageSize\n",
    );
    let errors = errors_of(&text);
    assert_eq!(errors.len(), 1, "{errors:#?}");
    let line = line_of(&text, "- name: Tag.2.Key");
    assert_eq!(
        errors[0].to_string(),
        format!(
            "specs/demo.yaml:{line}:15: `Tag.2.Key` and `Tag` both write `Tag.2.Key`: set together, the request would send it twice\n  help: remove `Tag.2.Key` and set it through `Tag`, or give one of them another wire name"
        )
    );
    // Declared before the list, or beside a lone object, it is refused the same way.
    let before = GOOD.broken(
        "      - name: Tag\n        type: array\n",
        "      - name: Tag.1.Value\n        type: string\n      - name: Tag\n        type: array\n",
    );
    assert_one(
        &errors_of(&before),
        line_of(&before, "- name: Tag.1.Value"),
        "`Tag.1.Value` and `Tag` both write `Tag.1.Value`",
        "remove `Tag.1.Value`",
    );
    let object = GOOD.broken(
        "        type: array\n        items: Tag\n",
        "        type: Tag\n      - name: Tag.Key\n        type: string\n",
    );
    assert_one(
        &errors_of(&object),
        line_of(&object, "- name: Tag.Key"),
        "`Tag.Key` and `Tag` both write `Tag.Key`",
        "set it through `Tag`",
    );
}

/// Names a list cannot write stay apart from it: a field its items lack, a number the wire never
/// writes, a list sent as one JSON value.
#[test]
fn a_flat_name_a_list_cannot_write_is_accepted() {
    for (name, style) in [
        ("Tag.2.Size", ""),
        ("Tag.0.Key", ""),
        ("Tag.01.Key", ""),
        ("Tag.1.Key", "        style: json\n"),
    ] {
        let text = GOOD.broken(
            "        items: Tag\n",
            &format!("        items: Tag\n{style}      - name: {name}\n        type: string\n"),
        );
        validate_all(&[crate::support::demo_source(&text)])
            .unwrap_or_else(|e| panic!("{name} {style}: {e}"));
    }
}
