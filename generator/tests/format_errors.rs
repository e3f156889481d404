//! Bad values of the constructs in `tests/format/formats.yaml` are rejected with their file,
//! line, column, what is wrong and how to mend it.

use acs_codegen::{SpecError, SpecSource, validate_all};

/// A small valid spec that each test breaks in one place.
const GOOD: &str = r#"product:
  code: Demo
  name: Demo Service
  module: demo
  version: "2020-01-01"
  style: rpc
  endpoint:
    regional: "demo.{region_id}.aliyuncs.com"
shapes:
  Filter:
    fields:
      - name: Key
        type: string
operations:
  - action: ListThings
    title: Lists things.
    methods: [POST]
    request:
      - name: RegionId
        type: string
        required: true
      - name: Size
        type: integer
      - name: Ids
        type: array
        items: string
      - name: Filter
        type: Filter
    response:
      fields:
        - name: RequestId
          type: string
        - name: Things
          type: array
          items: string
"#;

fn source(text: &str) -> SpecSource {
    SpecSource {
        name: "specs/demo.yaml".into(),
        text: text.into(),
    }
}

fn errors_of(text: &str) -> Vec<SpecError> {
    match validate_all(&[source(text)]) {
        Ok(_) => panic!("the spec was accepted:\n{text}"),
        Err(e) => e.0,
    }
}

/// Replaces `from` (which must occur once) in the good spec.
fn broken(from: &str, to: &str) -> String {
    assert_eq!(GOOD.matches(from).count(), 1, "`{from}` must occur once");
    GOOD.replace(from, to)
}

fn line_of(text: &str, needle: &str) -> usize {
    text.lines()
        .position(|l| l.contains(needle))
        .map(|i| i + 1)
        .expect("needle")
}

fn assert_one(errors: &[SpecError], line: usize, message_part: &str, help_part: &str) {
    assert_eq!(errors.len(), 1, "{errors:#?}");
    let e = &errors[0];
    assert_eq!(e.file, "specs/demo.yaml");
    assert_eq!(e.line, line, "{e}");
    assert!(e.column >= 1);
    assert!(e.message.contains(message_part), "message: {e}");
    assert!(
        e.help.as_deref().unwrap_or("").contains(help_part),
        "help: {e}"
    );
}

#[test]
fn the_good_spec_is_accepted() {
    validate_all(&[source(GOOD)]).unwrap_or_else(|e| panic!("{e}"));
}

#[test]
fn an_empty_deprecation_reason() {
    let text = broken(
        "      - name: Size\n        type: integer\n",
        "      - name: Size\n        type: integer\n        deprecated: \" \"\n",
    );
    assert_one(
        &errors_of(&text),
        line_of(&text, "deprecated:"),
        "`deprecated` is an empty text",
        "deprecated: true",
    );
}

#[test]
fn a_deprecation_that_is_neither_a_flag_nor_a_reason() {
    let text = broken(
        "    methods: [POST]",
        "    methods: [POST]\n    deprecated: [soon]",
    );
    let errors = errors_of(&text);
    assert_eq!(errors.len(), 1, "{errors:#?}");
    assert!(errors[0].message.contains("cannot read the spec"), "{}", errors[0]);
}

#[test]
fn deprecated_false_deprecates_nothing() {
    let text = broken(
        "    methods: [POST]",
        "    methods: [POST]\n    deprecated: false",
    );
    let products = validate_all(&[source(&text)]).unwrap_or_else(|e| panic!("{e}"));
    assert!(products[0].operations[0].deprecated.is_none());
}

#[test]
fn a_format_that_does_not_fit_the_type() {
    let text = broken(
        "      - name: Size\n        type: integer\n",
        "      - name: Size\n        type: integer\n        format: double\n",
    );
    assert_one(
        &errors_of(&text),
        line_of(&text, "format: double"),
        "`format: double` does not fit `type: integer`",
        "`int32` or `int64`",
    );
}

#[test]
fn a_format_on_a_boolean() {
    let text = broken(
        "      - name: Size\n        type: integer\n",
        "      - name: Size\n        type: boolean\n        format: int32\n",
    );
    assert_one(
        &errors_of(&text),
        line_of(&text, "format: int32"),
        "does not fit `type: boolean`",
        "only integers and numbers",
    );
}

#[test]
fn long_with_int32_contradicts_itself() {
    let text = broken(
        "      - name: Size\n        type: integer\n",
        "      - name: Size\n        type: long\n        format: int32\n",
    );
    assert_one(
        &errors_of(&text),
        line_of(&text, "format: int32"),
        "`type: long` with `format: int32`",
        "type: integer",
    );
}

#[test]
fn a_format_on_a_list_belongs_to_its_items() {
    let text = broken(
        "      - name: Ids\n        type: array\n        items: string\n",
        "      - name: Ids\n        type: array\n        items: integer\n        format: int64\n",
    );
    assert_one(
        &errors_of(&text),
        line_of(&text, "format: int64"),
        "`format` on a list",
        "items: {type: integer, format: int64}",
    );
}

#[test]
fn a_format_on_list_items_widens_them() {
    let text = broken(
        "      - name: Ids\n        type: array\n        items: string\n",
        "      - name: Ids\n        type: array\n        items: {type: integer, format: int64}\n",
    );
    let products = validate_all(&[source(&text)]).unwrap_or_else(|e| panic!("{e}"));
    let ids = &products[0].operations[0].request[2];
    assert_eq!(
        ids.ty,
        acs_codegen::model::Type::List(Box::new(acs_codegen::model::Type::Scalar(
            acs_codegen::model::ScalarType::Long
        )))
    );
}
