//! `acs_codegen::import`: small metadata in, spec YAML out; the spec it writes generates; bad
//! metadata is refused with the place to mend it; imported and written specs merge with the
//! written one winning.

use acs_codegen::import::{ImportOptions, ImportSource, ReviewKind, import};
use acs_codegen::{SpecSource, generate, spec_warnings};

use crate::support::demo_spec;

fn source(text: &str) -> ImportSource {
    ImportSource {
        name: "demo-2020-01-01.json".to_owned(),
        text: text.to_owned(),
    }
}

fn all() -> ImportOptions {
    ImportOptions {
        operations: Vec::new(),
        facts: None,
    }
}

/// The short form: requests only, as in `../shared/metadata/`.
const SHORT: &str = r#"{
  "info": {"product": "Demo", "style": "RPC", "version": "2020-01-01"},
  "apis": {
    "DescribeThings": {
      "methods": ["post", "get"],
      "parameters": [
        {"in": "query", "name": "RegionId", "schema": {"required": true, "type": "string"}},
        {"in": "query", "name": "RegionId", "schema": {"required": true, "type": "string"}},
        {"in": "query", "name": "ThingIds", "schema": {"type": "string"}},
        {"in": "formData", "name": "PageSize", "schema": {"type": "integer", "format": "int32", "minimum": "1", "maximum": "100"}},
        {"in": "query", "name": "PageNumber", "schema": {"type": "integer", "format": "int32"}},
        {"in": "query", "name": "Status", "schema": {"type": "string", "enum": ["Available", "Creating"]}},
        {"in": "query", "name": "Tag", "style": "repeatList", "schema": {"type": "array", "maxItems": 20,
          "items": {"type": "object", "properties": {"Key": {"type": "string"}, "key": {"type": "string"}}}}},
        {"in": "query", "name": "Zones", "style": "simple", "schema": {"type": "array", "items": {"type": "string"}}},
        {"in": "query", "name": "Size", "schema": {"type": "integer", "format": "int64"}}
      ],
      "security": [{"AK": []}]
    },
    "CreateThing": {
      "methods": ["post"],
      "parameters": [
        {"in": "query", "name": "ClientToken", "schema": {"type": "string"}},
        {"in": "query", "name": "Settings", "style": "json", "schema": {"type": "object", "properties": {"A": {"type": "boolean"}}}}
      ],
      "security": [{"Anonymous": []}]
    }
  },
  "components": {"schemas": []},
  "endpoints": [
    {"regionId": "cn-hangzhou", "endpoint": "demo.cn-hangzhou.aliyuncs.com"},
    {"regionId": "cn-beijing", "endpoint": "demo.aliyuncs.com"},
    {"regionId": "cn-shanghai", "endpoint": "demo.aliyuncs.com"},
    {"regionId": "eu-west-1", "endpoint": "demo.eu-west-1.aliyuncs.com"},
    {"regionId": "us-east-1", "endpoint": "demo-us.aliyuncs.com"}
  ]
}"#;

/// The portal's full form: prose, a response schema with `$ref` and a wrapper object, error
/// codes and a sample.
const FULL: &str = r##"{
  "info": {"product": "Demo", "style": "RPC", "version": "2020-01-01", "title": "Demo Service"},
  "apis": {
    "ListThings": {
      "title": "Lists things.",
      "description": "Lists the things of a region.",
      "methods": ["get"],
      "parameters": [
        {"in": "query", "name": "NextToken", "schema": {"type": "string", "description": "The token.", "example": "abc"}},
        {"in": "query", "name": "MaxResults", "schema": {"type": "integer", "format": "int32", "default": "10"}},
        {"in": "query", "name": "Names", "schema": {"type": "string", "description": "A JSON array of names."}}
      ],
      "responses": {"200": {"schema": {"$ref": "#/components/schemas/ListThingsResponse"}}},
      "errorCodes": {"400": [{"errorCode": "InvalidToken", "errorMessage": "The token is invalid."}],
                     "404": [{"errorCode": "NotFound", "errorMessage": "Nothing."}]},
      "responseDemo": "[{\"type\":\"json\",\"example\":\"{\\\"RequestId\\\":\\\"r-1\\\",\\\"NextToken\\\":\\\"\\\",\\\"Things\\\":{\\\"Thing\\\":[{\\\"Name\\\":\\\"a\\\",\\\"Size\\\":4}]}}\"}]"
    }
  },
  "components": {"schemas": {
    "ListThingsResponse": {"type": "object", "properties": {
      "RequestId": {"type": "string", "description": "The request ID."},
      "NextToken": {"type": "string"},
      "Things": {"type": "object", "properties": {"Thing": {"type": "array", "items": {"$ref": "#/components/schemas/Thing"}}}}
    }},
    "Thing": {"type": "object", "description": "A thing.", "properties": {
      "Name": {"type": "string"}, "Size": {"type": "integer", "format": "int64"}
    }}
  }},
  "endpoints": [{"regionId": "cn-hangzhou", "endpoint": "demo.cn-hangzhou.aliyuncs.com"}]
}"##;

fn spec_of(yaml: &str, name: &str) -> SpecSource {
    SpecSource {
        name: name.to_owned(),
        text: yaml.to_owned(),
    }
}

#[test]
fn the_short_form_becomes_a_spec() {
    let out = import(&source(SHORT), &all()).expect("import");
    insta::assert_snapshot!("import_short_form", out.yaml);
    assert_eq!(out.summary.operations, 2);
    assert_eq!(out.summary.parameters, 10);
    assert_eq!(out.summary.responses_untyped, 2);
    assert_eq!(
        out.summary.notes.by_kind.get(&ReviewKind::ListInString),
        Some(&1)
    );
    assert_eq!(
        out.summary.notes.by_kind.get(&ReviewKind::NameClash),
        Some(&1)
    );
    assert_eq!(
        out.summary
            .notes
            .by_kind
            .get(&ReviewKind::PagingWithoutItems),
        Some(&1)
    );
}

#[test]
fn the_full_form_brings_prose_responses_errors_and_samples() {
    let out = import(&source(FULL), &all()).expect("import");
    insta::assert_snapshot!("import_full_form", out.yaml);
    assert_eq!(out.summary.responses_from_metadata, 1);
    assert_eq!(out.summary.paged, 1);
}

#[test]
fn imported_specs_generate_and_review_notes_are_warnings() {
    for text in [SHORT, FULL] {
        let out = import(&source(text), &all()).expect("import");
        let specs = [spec_of(&out.yaml, "specs/imported/demo-2020-01-01.yaml")];
        generate(&specs).unwrap_or_else(|e| panic!("{e}\n{}", out.yaml));
        let warnings = spec_warnings(&specs);
        let reviews = warnings
            .iter()
            .filter(|w| w.help.contains("`Review:`"))
            .count();
        let written: usize = out.summary.notes.by_kind.values().sum();
        assert_eq!(reviews, written, "{warnings:?}");
        for w in &warnings {
            assert_eq!(w.file, "specs/imported/demo-2020-01-01.yaml");
        }
    }
}

#[test]
fn re_importing_changes_nothing() {
    let a = import(&source(SHORT), &all()).expect("import");
    let b = import(&source(SHORT), &all()).expect("import");
    assert_eq!(a.yaml, b.yaml);
    // The provenance header names the file, not the folder it was read from.
    let elsewhere = ImportSource {
        name: "/elsewhere/demo-2020-01-01.json".to_owned(),
        text: SHORT.to_owned(),
    };
    assert_eq!(import(&elsewhere, &all()).expect("import").yaml, a.yaml);
}

#[test]
fn one_operation_can_be_imported_alone() {
    let only = ImportOptions {
        operations: vec!["CreateThing".to_owned()],
        facts: None,
    };
    let out = import(&source(SHORT), &only).expect("import");
    assert_eq!(out.summary.operations, 1);
    assert!(out.yaml.contains("action: CreateThing"));
    assert!(!out.yaml.contains("DescribeThings"));
    let wrong = ImportOptions {
        operations: vec!["creatething".to_owned()],
        facts: None,
    };
    let err = import(&source(SHORT), &wrong).expect_err("unknown operation");
    assert!(
        err.to_string().contains("no operation `creatething`"),
        "{err}"
    );
    assert!(err.help.contains("CreateThing"), "{err}");
}

#[test]
fn the_endpoint_rule_comes_from_the_list() {
    let out = import(&source(SHORT), &all()).expect("import");
    let spec: serde_yaml::Value = serde_yaml::from_str(&out.yaml).expect("yaml");
    let endpoint = &spec["product"]["endpoint"];
    assert_eq!(endpoint["regional"], "demo.{region_id}.aliyuncs.com");
    assert_eq!(endpoint["central"], "demo.aliyuncs.com");
    assert_eq!(endpoint["central_regions"][0], "cn-beijing");
    assert_eq!(endpoint["central_regions"][1], "cn-shanghai");
    assert_eq!(endpoint["regions"]["us-east-1"], "demo-us.aliyuncs.com");
}

/// Each bad input is refused with the operation and the path inside the file.
#[test]
fn bad_metadata_is_refused_with_the_place() {
    let cases: [(&str, String, &str, Option<&str>); 6] = [
        ("not JSON", "{\"apis\": ".to_owned(), "not JSON", None),
        (
            "unknown style",
            SHORT.replace("\"style\": \"simple\"", "\"style\": \"spaceDelimited\""),
            "apis.DescribeThings.parameters[7].style",
            Some("DescribeThings"),
        ),
        (
            "a $ref to nothing",
            FULL.replace(
                "#/components/schemas/Thing\"",
                "#/components/schemas/Nothing\"",
            ),
            "apis.ListThings.responses.200.schema",
            Some("ListThings"),
        ),
        (
            "a cycle",
            FULL.replace(
                "\"Size\": {\"type\": \"integer\", \"format\": \"int64\"}",
                "\"Size\": {\"$ref\": \"#/components/schemas/Thing\"}",
            ),
            "is a cycle",
            Some("ListThings"),
        ),
        (
            "a limit that is no number",
            SHORT.replace("\"maximum\": \"100\"", "\"maximum\": \"many\""),
            "apis.DescribeThings.parameters[3].schema.maximum",
            Some("DescribeThings"),
        ),
        (
            "an unknown placement",
            SHORT.replace("\"in\": \"formData\"", "\"in\": \"host\""),
            "apis.DescribeThings.parameters[3].in",
            Some("DescribeThings"),
        ),
    ];
    for (what, text, shown, operation) in cases {
        let err = import(&source(&text), &all()).expect_err(what);
        let message = err.to_string();
        assert!(message.contains(shown), "{what}: {message}");
        assert!(
            message.starts_with("demo-2020-01-01.json: "),
            "{what}: {message}"
        );
        assert!(message.contains("help: "), "{what}: {message}");
        assert_eq!(err.operation.as_deref(), operation, "{what}: {message}");
    }
}

/// A written spec of the same module wins: its operations stay, the imported spec adds the
/// others, and an imported shape whose name the written spec uses is renamed.
#[test]
fn a_written_operation_wins_over_an_imported_one() {
    let imported = import(&source(SHORT), &all()).expect("import");
    let written = demo_spec!(
        "Demo",
        r#"shapes:
  Tag:
    fields:
      - {name: Key, type: string}
      - {name: Value, type: string}
operations:
  - action: CreateThing
    title: Creates a thing, as written.
    methods: [POST]
    request:
      - {name: Tag, type: array, items: Tag}
    response:
      fields:
        - {name: RequestId, type: string}
"#
    );
    let specs = [
        spec_of(written, "specs/demo-2020-01-01.yaml"),
        spec_of(&imported.yaml, "specs/imported/demo-2020-01-01.yaml"),
    ];
    let files = generate(&specs).unwrap_or_else(|e| panic!("{e}"));
    let create = files
        .iter()
        .find(|f| f.path == "src/demo/create_thing.rs")
        .expect("create_thing.rs");
    assert!(create.contents.contains("Creates a thing, as written."));
    assert!(!create.contents.contains("client_token"));
    assert!(
        files
            .iter()
            .any(|f| f.path == "src/demo/describe_things.rs")
    );
    let types = files
        .iter()
        .find(|f| f.path == "src/demo/types.rs")
        .expect("types.rs");
    assert!(
        types.contents.contains("pub struct Tag "),
        "{}",
        types.contents
    );
    assert!(
        types.contents.contains("pub struct Tag2 "),
        "{}",
        types.contents
    );
    // A warning about an imported operation points into the imported file.
    let warnings = spec_warnings(&specs);
    assert!(
        warnings
            .iter()
            .any(|w| w.file == "specs/imported/demo-2020-01-01.yaml"),
        "{warnings:?}"
    );
}

/// Response facts (read from the official SDK's models into `specs/responses/`) type the
/// response where the metadata has no schema, with its wrappers and paging.
#[test]
fn response_facts_type_the_response() {
    let facts = r#"{"source": "demo-sdk==1.0", "operations": {"DescribeThings": {"type": "object", "properties": {
        "RequestId": {"type": "string"},
        "TotalCount": {"type": "integer", "format": "int64"},
        "Things": {"type": "object", "properties": {"Thing": {"type": "array", "items": {"type": "object",
            "properties": {"Name": {"type": "string"}, "Labels": {"type": "object"}}}}}}
    }}}}"#;
    let options = ImportOptions {
        operations: vec!["DescribeThings".to_owned()],
        facts: Some(ImportSource {
            name: "specs/responses/demo-2020-01-01.json".to_owned(),
            text: facts.to_owned(),
        }),
    };
    let out = import(&source(SHORT), &options).expect("import");
    assert_eq!(out.summary.responses_from_facts, 1);
    assert_eq!(
        out.summary.paged, 1,
        "PageNumber, PageSize and one list: page-number paging"
    );
    let spec: serde_yaml::Value = serde_yaml::from_str(&out.yaml).expect("yaml");
    let fields = &spec["operations"][0]["response"]["fields"];
    let things = fields
        .as_sequence()
        .and_then(|f| f.iter().find(|f| f["name"] == "Things"))
        .expect("Things");
    assert_eq!(things["type"], "array");
    assert_eq!(things["wrapper"], "Thing");
    assert!(
        out.yaml
            .contains("# response facts: demo-2020-01-01.json (sha256 ")
    );
    generate(&[spec_of(&out.yaml, "specs/imported/demo-2020-01-01.yaml")])
        .unwrap_or_else(|e| panic!("{e}\n{}", out.yaml));

    let bad = ImportOptions {
        operations: Vec::new(),
        facts: Some(ImportSource {
            name: "specs/responses/demo-2020-01-01.json".to_owned(),
            text: r#"{"operations": {"DescribeThings": {"type": "object", "properties": {"X": {"type": "tuple"}}}}}"#.to_owned(),
        }),
    };
    let err = import(&source(SHORT), &bad).expect_err("bad facts");
    assert_eq!(err.file, "specs/responses/demo-2020-01-01.json");
    assert!(
        err.path
            .contains("operations.DescribeThings.properties.X.type"),
        "{err}"
    );
}

/// Metadata whose parameters and response fields say by their names whether they hold a secret.
const SECRETS: &str = r#"{
  "info": {"product": "Demo", "style": "RPC", "version": "2020-01-01"},
  "apis": {
    "ResetThing": {
      "methods": ["post"],
      "parameters": [
        {"in": "query", "name": "ClientToken", "schema": {"type": "string"}},
        {"in": "query", "name": "NextToken", "schema": {"type": "string"}},
        {"in": "query", "name": "Password", "schema": {"type": "string", "minLength": 8, "maxLength": 30}},
        {"in": "query", "name": "VncPassword", "schema": {"type": "string"}},
        {"in": "query", "name": "PasswordInherit", "schema": {"type": "boolean"}},
        {"in": "query", "name": "PasswordName", "schema": {"type": "string"}},
        {"in": "query", "name": "HasPassword", "schema": {"type": "string"}},
        {"in": "query", "name": "PasswordLength", "schema": {"type": "integer", "format": "int32"}},
        {"in": "query", "name": "OIDCToken", "schema": {"type": "string"}},
        {"in": "query", "name": "AccessTokenId", "schema": {"type": "string"}},
        {"in": "query", "name": "Mode", "schema": {"type": "string", "enum": ["Token", "Password"]}},
        {"in": "query", "name": "LaunchConfiguration.Password", "schema": {"type": "string"}},
        {"in": "query", "name": "Login", "style": "flat", "schema": {"type": "object", "properties": {
          "KeyPairName": {"type": "string"}, "Password": {"type": "string"}}}}
      ]
    }
  },
  "endpoints": [{"regionId": "cn-hangzhou", "endpoint": "demo.cn-hangzhou.aliyuncs.com"}]
}"#;

#[test]
fn fields_named_as_secrets_are_marked_and_listed() {
    let facts = r#"{"operations": {"ResetThing": {"type": "object", "properties": {
        "RequestId": {"type": "string"},
        "PrivateKeyBody": {"type": "string"},
        "KeyPairFingerPrint": {"type": "string"},
        "Credentials": {"type": "object", "properties": {
            "AccessKeyId": {"type": "string"}, "AccessKeySecret": {"type": "string"}}}
    }}}}"#;
    let options = ImportOptions {
        operations: Vec::new(),
        facts: Some(ImportSource {
            name: "specs/responses/demo-2020-01-01.json".to_owned(),
            text: facts.to_owned(),
        }),
    };
    let out = import(&source(SECRETS), &options).expect("import");
    assert_eq!(
        out.summary.secrets,
        [
            "ResetThing request Password",
            "ResetThing request VncPassword",
            "ResetThing request OIDCToken",
            "ResetThing request LaunchConfiguration.Password",
            "ResetThing request Login.Password",
            "ResetThing response Credentials.AccessKeySecret",
            "ResetThing response PrivateKeyBody",
        ]
    );
    let spec: serde_yaml::Value = serde_yaml::from_str(&out.yaml).expect("yaml");
    let secret = |field: &serde_yaml::Value| field["secret"] == true;
    let marked = |fields: &serde_yaml::Value| -> Vec<String> {
        fields
            .as_sequence()
            .into_iter()
            .flatten()
            .filter(|f| secret(f))
            .filter_map(|f| f["name"].as_str().map(str::to_owned))
            .collect()
    };
    let op = &spec["operations"][0];
    assert_eq!(
        marked(&op["request"]),
        [
            "Password",
            "VncPassword",
            "OIDCToken",
            "LaunchConfiguration.Password"
        ]
    );
    assert_eq!(marked(&op["response"]["fields"]), ["PrivateKeyBody"]);
    assert_eq!(marked(&spec["shapes"]["Login"]["fields"]), ["Password"]);
    assert_eq!(
        marked(&spec["shapes"]["Credentials"]["fields"]),
        ["AccessKeySecret"]
    );
    // The imported spec generates, and its types blank what was marked.
    let files = generate(&[spec_of(&out.yaml, "specs/imported/demo-2020-01-01.yaml")])
        .unwrap_or_else(|e| panic!("{e}\n{}", out.yaml));
    let operation = files
        .iter()
        .find(|f| f.path == "src/demo/reset_thing.rs")
        .map(|f| f.contents.as_str())
        .unwrap_or_default();
    assert!(
        operation.contains("impl ::core::fmt::Debug for ResetThingRequest "),
        "{operation}"
    );
}
