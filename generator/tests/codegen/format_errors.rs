//! Bad values of the constructs in `tests/format/formats.yaml` are rejected with their file,
//! line, column, what is wrong and how to mend it.

use acs_codegen::validate_all;

use crate::support::{
    GoodSpec, assert_first_says, assert_one, demo_source, demo_spec, errors_of, line_of,
    list_things_request,
};

/// A small valid spec that each test breaks in one place.
const GOOD: GoodSpec = GoodSpec(demo_spec!(
    "Demo Service",
    r#"shapes:
  Filter:
    fields:
      - name: Key
        type: string
"#,
    list_things_request!(),
    r#"      - name: Size
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
"#
));

#[test]
fn the_good_spec_is_accepted() {
    validate_all(&[demo_source(GOOD.0)]).unwrap_or_else(|e| panic!("{e}"));
}

#[test]
fn an_empty_deprecation_reason() {
    let text = GOOD.broken(
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
    let text = GOOD.broken(
        "    methods: [POST]",
        "    methods: [POST]\n    deprecated: [soon]",
    );
    let errors = errors_of(&text);
    assert_eq!(errors.len(), 1, "{errors:#?}");
    assert_first_says(&errors, "cannot read the spec");
}

#[test]
fn deprecated_false_deprecates_nothing() {
    let text = GOOD.broken(
        "    methods: [POST]",
        "    methods: [POST]\n    deprecated: false",
    );
    let products = validate_all(&[demo_source(&text)]).unwrap_or_else(|e| panic!("{e}"));
    assert!(products[0].operations[0].deprecated.is_none());
}

#[test]
fn a_format_that_does_not_fit_the_type() {
    let text = GOOD.broken(
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
    let text = GOOD.broken(
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
    let text = GOOD.broken(
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
    let text = GOOD.broken(
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
    let text = GOOD.broken(
        "      - name: Ids\n        type: array\n        items: string\n",
        "      - name: Ids\n        type: array\n        items: {type: integer, format: int64}\n",
    );
    let products = validate_all(&[demo_source(&text)]).unwrap_or_else(|e| panic!("{e}"));
    let ids = &products[0].operations[0].request[2];
    assert_eq!(
        ids.ty,
        acs_codegen::model::Type::List(Box::new(acs_codegen::model::Type::Scalar(
            acs_codegen::model::ScalarType::Long
        )))
    );
}

/// The good spec with token paging: `NextToken` in the request and the response.
fn token_paged() -> String {
    GOOD.broken(
        "      - name: Size\n        type: integer\n",
        "      - name: Size\n        type: integer\n      - name: NextToken\n        type: string\n",
    )
    .replace(
        "        - name: RequestId\n          type: string\n",
        "        - name: RequestId\n          type: string\n        - name: NextToken\n          type: string\n",
    )
}

#[test]
fn token_paging_is_accepted() {
    let text =
        token_paged() + "    paging: {next_token: NextToken, max_results: Size, items: Things}\n";
    let products = validate_all(&[demo_source(&text)]).unwrap_or_else(|e| panic!("{e}"));
    let paging = products[0].operations[0]
        .token_paging
        .as_ref()
        .expect("token paging");
    assert_eq!(paging.request_token, "next_token");
    assert_eq!(paging.max_results.as_deref(), Some("size"));
    assert!(products[0].operations[0].paging.is_none());
}

#[test]
fn token_paging_beside_page_numbers() {
    let text = token_paged()
        + "    paging: {next_token: NextToken, page_number: Size, page_size: Size, items: Things}\n";
    let errors = errors_of(&text);
    assert_eq!(errors.len(), 2, "{errors:#?}");
    assert!(
        errors[0]
            .message
            .contains("`page_number` beside `next_token`"),
        "{}",
        errors[0]
    );
    assert!(errors[0].help.as_deref().unwrap_or("").contains("keep one"));
}

#[test]
fn a_token_that_is_not_a_response_field() {
    let text = GOOD.0.replace(
        "      - name: Size\n        type: integer\n",
        "      - name: Size\n        type: integer\n      - name: NextToken\n        type: string\n",
    ) + "    paging: {next_token: NextToken, items: Things}\n";
    assert_one(
        &errors_of(&text),
        line_of(&text, "paging:"),
        "paging token `NextToken` is not a response field",
        "response: fields:",
    );
}

#[test]
fn a_token_that_is_not_a_string() {
    let text = token_paged().replace(
        "      - name: NextToken\n        type: string\n      - name: Ids",
        "      - name: NextToken\n        type: integer\n      - name: Ids",
    ) + "    paging: {next_token: NextToken, items: Things}\n";
    assert_one(
        &errors_of(&text),
        line_of(&text, "paging:"),
        "`NextToken` is not an optional string parameter",
        "type: string",
    );
}

#[test]
fn max_results_that_is_not_an_integer() {
    let text = token_paged()
        + "    paging: {next_token: NextToken, max_results: RegionId, items: Things}\n";
    assert_one(
        &errors_of(&text),
        line_of(&text, "paging:"),
        "`RegionId` is not an integer",
        "`integer` or `long`",
    );
}

#[test]
fn paging_with_neither_page_numbers_nor_a_token() {
    let text = GOOD.0.to_owned() + "    paging: {items: Things}\n";
    assert_one(
        &errors_of(&text),
        line_of(&text, "paging:"),
        "neither `page_number` and `page_size` nor `next_token`",
        "next_token: NextToken",
    );
}

#[test]
fn a_map_without_a_value_type() {
    let text = GOOD.broken(
        "      - name: Ids\n        type: array\n        items: string\n",
        "      - name: Ids\n        type: map\n",
    );
    assert_one(
        &errors_of(&text),
        line_of(&text, "- name: Ids"),
        "map `Ids` has no `items`",
        "the type of its values",
    );
}

#[test]
fn a_map_in_a_list_style() {
    let text = GOOD.broken(
        "      - name: Ids\n        type: array\n        items: string\n",
        "      - name: Ids\n        type: map\n        items: string\n        style: repeat_list\n",
    );
    assert_one(
        &errors_of(&text),
        line_of(&text, "style: repeat_list"),
        "a map",
        "`Name.key=value`",
    );
}

#[test]
fn limits_on_map_values() {
    let text = GOOD.broken(
        "      - name: Ids\n        type: array\n        items: string\n",
        "      - name: Ids\n        type: map\n        items: {type: string, limits: {max_length: 3}}\n",
    );
    assert_one(
        &errors_of(&text),
        line_of(&text, "limits: {max_length: 3}"),
        "limits on the values of a map",
        "notes",
    );
}

fn warnings_of(text: &str) -> Vec<acs_codegen::SpecWarning> {
    validate_all(&[demo_source(text)]).unwrap_or_else(|e| panic!("{e}"));
    acs_codegen::spec_warnings(&[demo_source(text)])
}

#[test]
fn the_good_spec_has_no_warnings() {
    assert_eq!(warnings_of(GOOD.0), []);
}

#[test]
fn a_null_example_is_a_warning_with_its_position() {
    let text = GOOD.broken(
        "      - name: Size\n        type: integer\n",
        "      - name: Size\n        type: integer\n        example: null\n",
    );
    let warnings = warnings_of(&text);
    assert_eq!(warnings.len(), 1, "{warnings:#?}");
    let w = &warnings[0];
    assert_eq!(
        (w.file.as_str(), w.line),
        ("specs/demo.yaml", line_of(&text, "example: null"))
    );
    assert!(w.column > 1);
    assert!(
        w.message.contains("`example: null` on `Size` is dropped"),
        "{w}"
    );
    assert!(w.help.contains("quoted"), "{w}");
    assert!(
        w.to_string().starts_with("warning: specs/demo.yaml:"),
        "{w}"
    );
    // A quoted "null" is an example like any other.
    let quoted = text.replace("example: null", "example: \"null\"");
    assert_eq!(warnings_of(&quoted), []);
}

#[test]
fn empty_descriptions_and_null_defaults_are_warnings() {
    let text = GOOD.broken(
        "      - name: Size\n        type: integer\n",
        "      - name: Size\n        type: integer\n        description: \"  \"\n        default: ~\n",
    )
    .replace("    title: Lists things.\n", "    title: Lists things.\n    description: \"\"\n");
    let warnings = warnings_of(&text);
    let lines: Vec<(usize, bool)> = warnings
        .iter()
        .map(|w| (w.line, w.message.contains("empty `description`")))
        .collect();
    assert_eq!(
        lines,
        [
            (line_of(&text, "    description: \"\""), true),
            (line_of(&text, "default: ~"), false),
            (line_of(&text, "description: \"  \""), true),
        ],
        "{warnings:#?}"
    );
}

#[test]
fn a_format_on_a_string_is_a_warning() {
    let text = GOOD.broken(
        "      - name: RegionId\n        type: string\n",
        "      - name: RegionId\n        type: string\n        format: iso8601\n",
    );
    let warnings = warnings_of(&text);
    assert_eq!(warnings.len(), 1, "{warnings:#?}");
    assert_eq!(warnings[0].line, line_of(&text, "format: iso8601"));
    assert!(warnings[0].message.contains("changes nothing"));
}

#[test]
fn a_list_cannot_be_a_header() {
    let text = GOOD.broken(
        "      - name: Ids\n        type: array\n        items: string\n",
        "      - name: Ids\n        type: array\n        items: string\n        location: header\n",
    );
    assert_one(
        &errors_of(&text),
        line_of(&text, "location: header"),
        "not a scalar and cannot be a header",
        "query or the body",
    );
}

#[test]
fn a_header_name_http_does_not_accept() {
    let text = GOOD.broken(
        "      - name: Size\n        type: integer\n",
        "      - name: Size Limit\n        rust_name: size\n        type: integer\n        location: header\n",
    );
    assert_one(
        &errors_of(&text),
        line_of(&text, "name: Size Limit"),
        "not a valid HTTP header name",
        "ASCII letters",
    );
}

#[test]
fn a_header_location_is_kept() {
    let text = GOOD.broken(
        "      - name: Size\n        type: integer\n",
        "      - name: x-acs-size\n        type: integer\n        location: header\n",
    );
    let products = validate_all(&[demo_source(&text)]).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        products[0].operations[0].request[1].location,
        acs_codegen::model::Location::Header
    );
}

#[test]
fn a_header_named_like_one_the_client_sets_is_refused() {
    // Any case: HTTP header names are case-insensitive, and the client lower-cases them.
    for name in [
        "Host",
        "x-acs-action",
        "Authorization",
        "X-Acs-Date",
        "x-acs-signature-nonce",
        "x-acs-content-sha256",
        "x-acs-security-token",
        "x-acs-version",
        "Content-Type",
        "content-length",
        "User-Agent",
        "x-acs-accesskey-id",
    ] {
        let text = GOOD.broken(
            "      - name: Size\n        type: integer\n",
            &format!(
                "      - name: {name}\n        rust_name: size\n        type: string\n        location: header\n"
            ),
        );
        let errors = errors_of(&text);
        assert_one(
            &errors,
            line_of(&text, &format!("name: {name}")),
            "a header the client or the signature sets",
            "remove the parameter",
        );
        assert_eq!(errors[0].column, 15, "{}", errors[0]);
    }
}

#[test]
fn the_reserved_names_are_the_runtimes() {
    let mut generator: Vec<&str> = acs_codegen::model::RESERVED_HEADERS.to_vec();
    let mut runtime: Vec<&str> = acs_runtime::client::RESERVED_HEADERS.to_vec();
    generator.sort_unstable();
    runtime.sort_unstable();
    assert_eq!(generator, runtime);
}

#[test]
fn a_reserved_name_outside_the_headers_is_a_parameter_like_any() {
    let text = GOOD.broken(
        "      - name: Size\n        type: integer\n",
        "      - name: Host\n        type: string\n        location: body\n",
    );
    validate_all(&[demo_source(&text)]).unwrap_or_else(|e| panic!("{e}"));
}

#[test]
fn an_idempotency_token_cannot_be_a_header() {
    let text = GOOD.broken(
        "      - name: Size\n        type: integer\n",
        "      - name: x-acs-client-token\n        type: string\n        idempotency_token: true\n        location: header\n",
    );
    assert_one(
        &errors_of(&text),
        line_of(&text, "idempotency_token: true"),
        "cannot be a header",
        "query",
    );
}
