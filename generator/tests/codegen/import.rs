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
    let cases: [(&str, String, &str, Option<&str>); 4] = [
        ("not JSON", "{\"apis\": ".to_owned(), "not JSON", None),
        (
            "unknown style",
            SHORT.replace("\"style\": \"simple\"", "\"style\": \"spaceDelimited\""),
            "apis.DescribeThings.parameters[7].style",
            Some("DescribeThings"),
        ),
        (
            "a $ref that is not text",
            FULL.replace("\"$ref\": \"#/components/schemas/Thing\"", "\"$ref\": 7"),
            "apis.ListThings.responses.200.schema",
            Some("ListThings"),
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
/// others and the fields the written ones lack, and an imported shape of another structure
/// whose name the written spec uses is named after the operation that holds it.
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
        .find(|f| f.path == "demo/src/create_thing.rs")
        .expect("create_thing.rs");
    assert!(create.contents.contains("Creates a thing, as written."));
    // The written operation gains the parameters of the imported one that it lacks.
    assert!(create.contents.contains("pub client_token: Option<String>"));
    assert!(
        files
            .iter()
            .any(|f| f.path == "demo/src/describe_things.rs")
    );
    let types = files
        .iter()
        .find(|f| f.path == "demo/src/types.rs")
        .expect("types.rs");
    assert!(
        types.contents.contains("pub struct Tag "),
        "{}",
        types.contents
    );
    assert!(
        types.contents.contains("pub struct DescribeThingsTag "),
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

/// A written operation wins field by field: it keeps every field it declares as written, and
/// gains the request parameters, response fields and nested shape fields of its imported
/// counterpart that it lacks, each located in the imported file.
#[test]
fn a_written_operation_gains_the_fields_it_lacks() {
    let written = demo_spec!(
        "Demo",
        r#"shapes:
  Tag:
    fields:
      - {name: Key, type: string, description: The written key.}
  Thing:
    fields:
      - {name: Name, type: string, description: The written name.}
      - {name: Disks, type: array, items: Disk, wrapper: Disk}
  Disk:
    fields:
      - {name: Device, type: string}
operations:
  - action: DescribeThings
    title: Describes things, as written.
    methods: [POST]
    request:
      - {name: RegionId, type: string, required: true}
      - {name: Tag, type: array, items: Tag}
    response:
      fields:
        - {name: Things, type: array, items: Thing, wrapper: Thing}
"#
    );
    let imported = format!(
        "{}\n{}",
        acs_codegen::import::IMPORT_HEADER,
        demo_spec!(
            "Demo",
            r#"shapes:
  Tag:
    fields:
      - {name: Key, type: integer}
      - {name: key, rust_name: key_2, type: string}
      - {name: Value, type: string}
  DescribeThingsThing:
    fields:
      - {name: Name, type: integer}
      - name: Description
        type: string
        notes: ["Review: an imported field's note"]
      - {name: Disks, type: array, items: DescribeThingsDisk, wrapper: Disk}
      - {name: Features, type: ThingFeatures}
  DescribeThingsDisk:
    fields:
      - {name: Device, type: integer}
      - {name: Encrypted, type: boolean}
  ThingFeatures:
    fields:
      - {name: NvmeSupport, type: string}
  Unused:
    fields:
      - {name: Nothing, type: string}
operations:
  - action: DescribeThings
    title: Calls DescribeThings.
    methods: [GET]
    request:
      - {name: RegionId, type: integer}
      - {name: Tag, type: array, items: Tag}
      - {name: Size, type: integer, format: int64, limits: {max: 10}}
    response:
      fields:
        - {name: Things, type: array, items: DescribeThingsThing, wrapper: Thing}
        - {name: TotalCount, type: integer}
"#
        )
    );
    let specs = [
        spec_of(written, "specs/demo-2020-01-01.yaml"),
        spec_of(&imported, "specs/imported/demo-2020-01-01.yaml"),
    ];
    let products = acs_codegen::validate_all(&specs).unwrap_or_else(|e| panic!("{e}"));
    let [product] = products.as_slice() else {
        panic!("one product expected, got {}", products.len());
    };
    let op = &product.operations[0];
    assert_eq!(op.title.as_deref(), Some("Describes things, as written."));
    assert_eq!(op.methods, ["POST"]);
    let names = |fields: &[acs_codegen::model::Field]| -> Vec<String> {
        fields.iter().map(|f| f.wire_name.clone()).collect()
    };
    let field = |fields: &[acs_codegen::model::Field], name: &str| {
        fields
            .iter()
            .find(|f| f.wire_name == name)
            .cloned()
            .unwrap_or_else(|| panic!("no field {name} among {:?}", names(fields)))
    };
    assert_eq!(names(&op.request), ["RegionId", "Tag", "Size"]);
    assert!(
        field(&op.request, "RegionId").required,
        "the written field stays"
    );
    assert_eq!(field(&op.request, "Size").limits.max, Some(10));
    assert_eq!(names(&op.response), ["Things", "TotalCount"]);
    let shape = |name: &str| {
        product
            .shapes
            .iter()
            .find(|s| s.rust_name == name)
            .unwrap_or_else(|| panic!("no shape {name}"))
    };
    let thing = shape("Thing");
    assert_eq!(
        names(&thing.fields),
        ["Name", "Disks", "Description", "Features"]
    );
    assert_eq!(
        field(&thing.fields, "Name").description.as_deref(),
        Some("The written name.")
    );
    assert_eq!(
        format!("{:?}", field(&thing.fields, "Name").ty),
        format!("{:?}", field(&shape("Disk").fields, "Device").ty),
        "a written field keeps its written type (string)"
    );
    assert_eq!(names(&shape("Disk").fields), ["Device", "Encrypted"]);
    assert_eq!(names(&shape("ThingFeatures").fields), ["NvmeSupport"]);
    // The lower-case `key` makes the written `Key`'s Rust name: the written one stays alone.
    assert_eq!(names(&shape("Tag").fields), ["Key", "Value"]);
    for absent in [
        "DescribeThingsThing",
        "DescribeThingsDisk",
        "Unused",
        "Tag2",
    ] {
        assert!(
            product.shapes.iter().all(|s| s.rust_name != absent),
            "{absent} came along though nothing added refers to it"
        );
    }
    // A warning about an added field points into the imported file, at that field.
    let warnings = spec_warnings(&specs);
    let line = imported
        .lines()
        .position(|l| l.contains("name: Description"))
        .map(|i| i + 1);
    assert!(
        warnings.iter().any(|w| {
            w.file == "specs/imported/demo-2020-01-01.yaml"
                && Some(w.line) >= line
                && w.message.contains("an imported field's note")
        }),
        "expected a warning at line {line:?} of the imported file: {warnings:?}"
    );
    // And the whole generates.
    generate(&specs).unwrap_or_else(|e| panic!("{e}"));
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
            text: r##"{"operations": {"DescribeThings": {"type": "object", "properties": {"X": {"$ref": ["#/components/schemas/Thing"]}}}}}"##.to_owned(),
        }),
    };
    let err = import(&source(SHORT), &bad).expect_err("bad facts");
    assert_eq!(err.file, "specs/responses/demo-2020-01-01.json");
    assert!(
        err.path.contains("operations.DescribeThings.properties.X"),
        "{err}"
    );
}

/// Header parameters, two of them named like headers the client sets (as `dyplsapi`'s
/// `Content-Type`), and a client token sent as a header.
const HEADERS: &str = r#"{
  "info": {"product": "Demo", "style": "RPC", "version": "2020-01-01"},
  "apis": {
    "CreateThing": {
      "methods": ["post"],
      "parameters": [
        {"in": "header", "name": "Content-Type", "schema": {"type": "string", "required": true}},
        {"in": "header", "name": "x-acs-resource-group-id", "schema": {"type": "string"}},
        {"in": "query", "name": "ClientToken", "schema": {"type": "string"}},
        {"in": "header", "name": "X-Acs-Date", "schema": {"type": "string"}},
        {"in": "query", "name": "Host", "schema": {"type": "string"}}
      ]
    },
    "UpdateThing": {
      "methods": ["post"],
      "parameters": [
        {"in": "header", "name": "ClientToken", "schema": {"type": "string"}}
      ]
    }
  },
  "endpoints": [{"regionId": "cn-hangzhou", "endpoint": "demo.cn-hangzhou.aliyuncs.com"}]
}"#;

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
fn a_header_named_like_one_the_client_sets_is_left_out_with_a_note() {
    let out = import(&source(HEADERS), &all()).expect("import");
    let yaml = &out.yaml;
    assert!(!yaml.contains("name: Content-Type"), "{yaml}");
    assert!(!yaml.contains("name: X-Acs-Date"), "{yaml}");
    // A header of another name is kept, as is a query parameter named like a header.
    assert!(yaml.contains("name: x-acs-resource-group-id"), "{yaml}");
    assert!(yaml.contains("name: Host"), "{yaml}");
    assert_eq!(out.summary.parameters, 4);
    assert_eq!(
        out.summary.notes.by_kind.get(&ReviewKind::ReservedHeader),
        Some(&2)
    );
    assert!(
        yaml.contains("`Content-Type` (apis.CreateThing.parameters[0]) is named like the `content-type` header"),
        "{yaml}"
    );
    // The spec generates, and each note is a warning at its place.
    let specs = [spec_of(yaml, "specs/imported/demo-2020-01-01.yaml")];
    generate(&specs).unwrap_or_else(|e| panic!("{e}\n{yaml}"));
    let reserved: Vec<_> = spec_warnings(&specs)
        .into_iter()
        .filter(|w| w.message.contains("is named like the"))
        .collect();
    assert_eq!(reserved.len(), 2, "{reserved:#?}");
    assert!(reserved.iter().all(|w| w.line > 0), "{reserved:#?}");
}

/// The method sent is the official SDKs': POST whenever the metadata lists it, whatever its
/// place in the list, and GET only for an operation that takes GET alone.
#[test]
fn post_is_sent_whenever_the_metadata_allows_it() {
    let metadata = r#"{
  "info": {"product": "Demo", "style": "RPC", "version": "2020-01-01"},
  "apis": {
    "DeleteThing": {"methods": ["get", "post"], "parameters": []},
    "DescribeThing": {"methods": ["get"], "parameters": []},
    "CreateThing": {"methods": ["post", "get"], "parameters": []}
  },
  "endpoints": [{"regionId": "cn-hangzhou", "endpoint": "demo.cn-hangzhou.aliyuncs.com"}]
}"#;
    let out = import(&source(metadata), &all()).expect("import");
    let spec: serde_yaml::Value = serde_yaml::from_str(&out.yaml).expect("yaml");
    let methods = |action: &str| -> Vec<String> {
        spec["operations"]
            .as_sequence()
            .and_then(|ops| ops.iter().find(|op| op["action"] == action))
            .and_then(|op| op["methods"].as_sequence())
            .map(|m| {
                m.iter()
                    .filter_map(|m| m.as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default()
    };
    // The first is the one sent; every method the metadata lists is kept.
    assert_eq!(methods("DeleteThing"), ["POST", "GET"]);
    assert_eq!(methods("CreateThing"), ["POST", "GET"]);
    assert_eq!(methods("DescribeThing"), ["GET"]);
    let files = generate(&[spec_of(&out.yaml, "specs/imported/demo-2020-01-01.yaml")])
        .unwrap_or_else(|e| panic!("{e}\n{}", out.yaml));
    let sent = |file: &str| -> bool {
        files
            .iter()
            .find(|f| f.path == file)
            .is_some_and(|f| f.contents.contains("method: \"POST\""))
    };
    assert!(sent("demo/src/delete_thing.rs"));
    assert!(!sent("demo/src/describe_thing.rs"));
}

/// A flat parameter that a list (or an object) of the same operation also writes is folded into
/// it, as in ECS `DescribePrice` (`DataDisk.1.Size` ... beside the list `DataDisk`): the list is
/// kept, the flat ones left out with a note, and the spec generates.
#[test]
fn flat_parameters_a_list_also_writes_are_folded_into_it() {
    let metadata = r#"{
  "info": {"product": "Demo", "style": "RPC", "version": "2020-01-01"},
  "apis": {
    "DescribePrice": {"methods": ["post"], "parameters": [
      {"in": "query", "name": "DataDisk.1.Size", "schema": {"type": "integer", "format": "int32"}},
      {"in": "query", "name": "DataDisk.2.Category", "schema": {"type": "string"}},
      {"in": "query", "name": "DataDisk.1.Iops", "schema": {"type": "integer", "format": "int32"}},
      {"in": "query", "name": "SystemDisk.Size", "schema": {"type": "integer", "format": "int32"}},
      {"in": "query", "name": "SystemDisk.Category", "schema": {"type": "string"}},
      {"in": "query", "name": "DataDisk", "style": "repeatList", "schema": {"type": "array", "items": {"type": "object",
        "properties": {"Size": {"type": "integer", "format": "int32"}, "Category": {"type": "string"}}}}},
      {"in": "query", "name": "SystemDisk", "style": "flat", "schema": {"type": "object",
        "properties": {"Size": {"type": "integer", "format": "int32"}}}}
    ]}
  },
  "endpoints": [{"regionId": "cn-hangzhou", "endpoint": "demo.cn-hangzhou.aliyuncs.com"}]
}"#;
    let out = import(&source(metadata), &all()).expect("import");
    let spec: serde_yaml::Value = serde_yaml::from_str(&out.yaml).expect("yaml");
    let request = spec["operations"][0]["request"]
        .as_sequence()
        .expect("request");
    let names: Vec<&str> = request.iter().filter_map(|p| p["name"].as_str()).collect();
    // What the list or the object writes goes; what they cannot write stays.
    assert_eq!(
        names,
        [
            "DataDisk.1.Iops",
            "SystemDisk.Category",
            "DataDisk",
            "SystemDisk"
        ],
        "{}",
        out.yaml
    );
    assert_eq!(out.summary.parameters, 4);
    let notes = |name: &str| -> String {
        request
            .iter()
            .find(|p| p["name"] == name)
            .and_then(|p| p["notes"].as_sequence())
            .map(|n| {
                n.iter()
                    .filter_map(|n| n.as_str())
                    .collect::<Vec<_>>()
                    .join("\n")
            })
            .unwrap_or_default()
    };
    assert!(
        notes("DataDisk").contains(
            "The metadata also lists `DataDisk.1.Size`, `DataDisk.2.Category` as parameters of their own; `DataDisk` writes them"
        ),
        "{}",
        out.yaml
    );
    assert!(
        notes("SystemDisk").contains("`SystemDisk.Size`"),
        "{}",
        out.yaml
    );
    // A folding decides nothing a person must review.
    assert!(!out.yaml.contains("Review: The metadata also lists"));
    generate(&[spec_of(&out.yaml, "specs/imported/demo-2020-01-01.yaml")])
        .unwrap_or_else(|e| panic!("{e}\n{}", out.yaml));
}

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
        .find(|f| f.path == "demo/src/reset_thing.rs")
        .map(|f| f.contents.as_str())
        .unwrap_or_default();
    assert!(
        operation.contains("impl ::core::fmt::Debug for ResetThingRequest "),
        "{operation}"
    );
}

/// What the spec format cannot carry is a `Review:` note with a fallback, never a refusal: the
/// spec generates, and codegen reports every note. Each case was a refusal (by the import or
/// by codegen) before.
#[test]
fn what_the_spec_cannot_carry_is_a_review_note_and_the_spec_generates() {
    let cases: [(&str, String, &str); 12] = [
        (
            "a $ref that contains itself",
            FULL.replace(
                "\"Size\": {\"type\": \"integer\", \"format\": \"int64\"}",
                "\"Size\": {\"type\": \"integer\", \"format\": \"int64\"}, \"Parts\": {\"type\": \"array\", \"items\": {\"$ref\": \"#/components/schemas/Thing\"}}",
            ),
            "contains itself",
        ),
        (
            "PUT and DELETE",
            SHORT.replace("\"methods\": [\"post\"]", "\"methods\": [\"put\", \"post\", \"delete\"]"),
            "`PUT`, `DELETE`",
        ),
        (
            "PUT only",
            SHORT.replace("\"methods\": [\"post\"]", "\"methods\": [\"put\"]"),
            "the SDK sends POST",
        ),
        (
            "a limit that is no number",
            SHORT.replace("\"maximum\": \"100\"", "\"maximum\": \"many\""),
            "`maximum: many`, not a whole number",
        ),
        (
            "a limit beyond 64 bits",
            SHORT.replace("\"maximum\": \"100\"", "\"maximum\": \"99999999999999999999\""),
            "beyond a 64-bit integer",
        ),
        (
            "minimum above maximum",
            SHORT.replace("\"minimum\": \"1\"", "\"minimum\": \"500\""),
            "lower bound 500 is above its upper bound 100",
        ),
        (
            "maxItems 0",
            SHORT.replace("\"maxItems\": 20", "\"maxItems\": 0"),
            "could never be sent",
        ),
        (
            "a list of lists",
            SHORT.replace(
                "\"items\": {\"type\": \"string\"}}}",
                "\"items\": {\"type\": \"array\", \"items\": {\"type\": \"string\"}}}}",
            ),
            "a list of lists",
        ),
        (
            "the type any",
            SHORT.replace(
                "\"Size\", \"schema\": {\"type\": \"integer\", \"format\": \"int64\"}",
                "\"Size\", \"schema\": {\"type\": \"any\"}",
            ),
            "the type `any`",
        ),
        (
            "a map of maps",
            SHORT.replace(
                "\"Size\", \"schema\": {\"type\": \"integer\", \"format\": \"int64\"}",
                "\"Size\", \"schema\": {\"type\": \"object\", \"additionalProperties\": {\"type\": \"object\", \"additionalProperties\": {\"type\": \"string\"}}}",
            ),
            "a map of lists or maps",
        ),
        (
            "a list of objects without properties",
            SHORT.replace(
                "\"items\": {\"type\": \"string\"}}}",
                "\"items\": {\"type\": \"object\"}}}",
            ),
            "a list of objects without properties",
        ),
        (
            "a host with a tab and one with a space",
            SHORT
                .replace("\"demo.eu-west-1.aliyuncs.com\"", "\"demo.eu-west-1.aliyuncs.com\\t\"")
                .replace("\"demo-us.aliyuncs.com\"", "\"demo us.aliyuncs.com\""),
            "is not a host name",
        ),
    ];
    for (what, text, note) in cases {
        assert_ne!(text, SHORT, "{what}: the case changes nothing");
        assert_ne!(text, FULL, "{what}: the case changes nothing");
        let out = import(&source(&text), &all()).unwrap_or_else(|e| panic!("{what}: {e}"));
        let specs = [spec_of(&out.yaml, "specs/imported/demo-2020-01-01.yaml")];
        generate(&specs).unwrap_or_else(|e| panic!("{what}: {e}\n{}", out.yaml));
        let reported: Vec<String> = spec_warnings(&specs)
            .into_iter()
            .filter(|w| w.help.contains("`Review:`"))
            .map(|w| w.message)
            .collect();
        assert!(
            reported.iter().any(|m| m.contains(note)),
            "{what}: no reported note says {note:?}: {reported:#?}"
        );
    }
}

/// Integer limits stay integers from the metadata to the generated checks: 64-bit bounds above
/// 2^53 come out as written, and no generated test probes past the edge of its field's type.
#[test]
fn integer_limits_stay_whole_numbers_end_to_end() {
    let text = SHORT
        .replace(
            "\"Size\", \"schema\": {\"type\": \"integer\", \"format\": \"int64\"}",
            "\"Size\", \"schema\": {\"type\": \"integer\", \"format\": \"int64\", \"minimum\": \"-9223372036854775808\", \"maximum\": \"9999999999999999\"}",
        )
        .replace(
            "\"name\": \"PageNumber\", \"schema\": {\"type\": \"integer\", \"format\": \"int32\"}",
            "\"name\": \"PageNumber\", \"schema\": {\"type\": \"integer\", \"format\": \"int32\", \"maximum\": 2147483647}",
        );
    assert!(text.contains("9999999999999999") && text.contains("2147483647"));
    let out = import(&source(&text), &all()).expect("import");
    assert!(out.yaml.contains("max: 9999999999999999"), "{}", out.yaml);
    assert!(
        out.yaml.contains("min: -9223372036854775808"),
        "{}",
        out.yaml
    );
    let specs = [spec_of(&out.yaml, "specs/imported/demo-2020-01-01.yaml")];
    let files = generate(&specs).unwrap_or_else(|e| panic!("{e}\n{}", out.yaml));
    let all_text: String = files.iter().map(|f| f.contents.as_str()).collect();
    assert!(
        all_text.contains("9999999999999999"),
        "the bound is not in the checks"
    );
    assert!(!all_text.contains("1e16"), "the bound went through f64");
    assert!(
        !all_text.contains("2147483648"),
        "a test probes past i32::MAX"
    );
    assert!(
        !all_text.contains("9223372036854775809"),
        "a test probes past i64::MIN"
    );
}

/// A `$ref` reached along many paths is read once: 40 levels, each referring twice to the next,
/// would be 2^40 readings read again at every use.
#[test]
fn refs_are_read_once_however_many_paths_reach_them() {
    let levels = 40;
    let mut schemas = Vec::new();
    for i in 0..levels {
        schemas.push(format!(
            "\"L{i}\": {{\"type\": \"object\", \"properties\": {{\"A\": {{\"$ref\": \"#/components/schemas/L{n}\"}}, \"B\": {{\"$ref\": \"#/components/schemas/L{n}\"}}}}}}",
            n = i + 1
        ));
    }
    schemas.push(format!(
        "\"L{levels}\": {{\"type\": \"object\", \"properties\": {{\"Name\": {{\"type\": \"string\"}}}}}}"
    ));
    let text = format!(
        r##"{{"info": {{"product": "Demo", "style": "RPC", "version": "2020-01-01"}},
  "apis": {{"CreateThing": {{"methods": ["post"], "parameters": [
    {{"in": "query", "name": "Thing", "style": "json", "schema": {{"$ref": "#/components/schemas/L0"}}}}]}}}},
  "components": {{"schemas": {{{}}}}},
  "endpoints": [{{"regionId": "cn-hangzhou", "endpoint": "demo.cn-hangzhou.aliyuncs.com"}}]}}"##,
        schemas.join(", ")
    );
    let out = import(&source(&text), &all()).expect("import");
    let specs = [spec_of(&out.yaml, "specs/imported/demo-2020-01-01.yaml")];
    generate(&specs).unwrap_or_else(|e| panic!("{e}\n{}", out.yaml));
}

/// An import of the catalogue's `file` (operations `actions`) with response facts as the facts
/// script writes them.
fn import_catalogue(file: &str, actions: &[&str], facts: &str) -> acs_codegen::import::Imported {
    let path = crate::sent_methods::metadata_dir()
        .join("catalogue")
        .join(format!("{file}.json"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let options = ImportOptions {
        operations: actions.iter().map(|a| (*a).to_owned()).collect(),
        facts: Some(ImportSource {
            name: format!("specs/responses/{file}.json"),
            text: facts.to_owned(),
        }),
    };
    import(
        &ImportSource {
            name: format!("{file}.json"),
            text,
        },
        &options,
    )
    .unwrap_or_else(|e| panic!("{file}: {e}"))
}

#[test]
fn ram_access_keys_and_mfa_seeds_are_secret_in_the_response() {
    // RAM's response models as the official SDK has them (`scripts/response_facts.py`).
    let facts = r#"{"operations": {
      "CreateAccessKey": {"type": "object", "properties": {
        "RequestId": {"type": "string"},
        "AccessKey": {"type": "object", "properties": {
          "AccessKeyId": {"type": "string"}, "AccessKeySecret": {"type": "string"},
          "CreateDate": {"type": "string"}, "Status": {"type": "string"}}}}},
      "CreateVirtualMFADevice": {"type": "object", "properties": {
        "RequestId": {"type": "string"},
        "VirtualMFADevice": {"type": "object", "properties": {
          "SerialNumber": {"type": "string"}, "Base32StringSeed": {"type": "string"},
          "QRCodePNG": {"type": "string"}}}}}
    }}"#;
    let out = import_catalogue(
        "ram-2015-05-01",
        &["CreateAccessKey", "CreateVirtualMFADevice"],
        facts,
    );
    assert_eq!(
        out.summary.secrets,
        [
            "CreateAccessKey response AccessKey.AccessKeySecret",
            "CreateVirtualMFADevice response VirtualMFADevice.Base32StringSeed",
            "CreateVirtualMFADevice response VirtualMFADevice.QRCodePNG",
        ]
    );
    let spec: serde_yaml::Value = serde_yaml::from_str(&out.yaml).expect("yaml");
    let marked = |shape: &str| -> Vec<String> {
        spec["shapes"][shape]["fields"]
            .as_sequence()
            .into_iter()
            .flatten()
            .filter(|f| f["secret"] == true)
            .filter_map(|f| f["name"].as_str().map(str::to_owned))
            .collect()
    };
    assert_eq!(marked("AccessKey"), ["AccessKeySecret"]);
    assert_eq!(
        marked("VirtualMfaDevice"),
        ["Base32StringSeed", "QRCodePNG"]
    );

    // What the user prints: the shapes' `Debug` shows the ids and blanks the key material.
    let files = generate(&[spec_of(&out.yaml, "specs/imported/ram-2015-05-01.yaml")])
        .unwrap_or_else(|e| panic!("{e}\n{}", out.yaml));
    let types = files
        .iter()
        .find(|f| f.path == "ram/src/types.rs")
        .map(|f| f.contents.replace([' ', '\n'], "").replace(",)", ")"))
        .unwrap_or_default();
    for (shape, secret, plain) in [
        ("AccessKey", "access_key_secret", "access_key_id"),
        ("VirtualMfaDevice", "base32_string_seed", "serial_number"),
        ("VirtualMfaDevice", "qr_code_png", "serial_number"),
    ] {
        let debug = types
            .split(&format!("impl::core::fmt::Debugfor{shape}{{"))
            .nth(1)
            .and_then(|rest| rest.split("impl").next())
            .unwrap_or_else(|| panic!("no written Debug for {shape}:\n{types}"));
        assert!(
            debug.contains(&format!(
                ".field(\"{secret}\",&self.{secret}.as_ref().map(|_|\"<redacted>\"))"
            )),
            "{shape}.{secret} is shown: {debug}"
        );
        assert!(
            debug.contains(&format!(".field(\"{plain}\",&self.{plain})")),
            "{shape}.{plain} is hidden: {debug}"
        );
    }
}

#[test]
fn key_material_of_kms_and_vpc_is_secret_both_ways() {
    // KMS hands back decrypted data and private keys; VPC's IPsec pre-shared key is sent and read.
    let kms = import_catalogue(
        "kms-2016-01-20",
        &["Decrypt", "Encrypt", "CreateClientKey", "GetSecretValue"],
        r#"{"operations": {
          "Decrypt": {"type": "object", "properties": {"KeyId": {"type": "string"}, "Plaintext": {"type": "string"}}},
          "CreateClientKey": {"type": "object", "properties": {"ClientKeyId": {"type": "string"}, "PrivateKeyData": {"type": "string"}}},
          "GetSecretValue": {"type": "object", "properties": {"SecretName": {"type": "string"}, "SecretData": {"type": "string"}}}
        }}"#,
    );
    let mut secrets = kms.summary.secrets.clone();
    secrets.sort();
    assert_eq!(
        secrets,
        [
            "CreateClientKey request Password",
            "CreateClientKey response PrivateKeyData",
            "Decrypt response Plaintext",
            "Encrypt request Plaintext",
            "GetSecretValue response SecretData",
        ]
    );
    let vpc = import_catalogue(
        "vpc-2016-04-28",
        &["CreateVpnConnection", "DescribeVpnConnection"],
        r#"{"operations": {"DescribeVpnConnection": {"type": "object", "properties": {
          "IkeConfig": {"type": "object", "properties": {"Psk": {"type": "string"}, "IkeVersion": {"type": "string"}}}}}}}"#,
    );
    assert!(
        vpc.summary
            .secrets
            .iter()
            .any(|s| s.starts_with("CreateVpnConnection request ") && s.ends_with(".Psk")),
        "{:?}",
        vpc.summary.secrets
    );
    assert!(
        vpc.summary
            .secrets
            .contains(&"DescribeVpnConnection response IkeConfig.Psk".to_owned()),
        "{:?}",
        vpc.summary.secrets
    );
}

#[test]
fn an_imported_products_example_is_a_read_only_call_it_can_send_as_generated() {
    for file in [
        "vpc-2016-04-28",
        "ram-2015-05-01",
        "slb-2014-05-15",
        "kms-2016-01-20",
        "alidns-2015-01-09",
        "resourcemanager-2020-03-31",
    ] {
        let out = import_catalogue(file, &[], r#"{"operations": {}}"#);
        let spec = spec_of(&out.yaml, &format!("specs/imported/{file}.yaml"));
        let products = acs_codegen::validate_all(&[spec]).unwrap_or_else(|e| panic!("{file}: {e}"));
        let product = &products[0];
        let [example] = product.examples.as_slice() else {
            panic!("{file}: examples {:?}", product.examples)
        };
        let op = product
            .operations
            .iter()
            .find(|op| op.action == *example)
            .unwrap_or_else(|| panic!("{file}: {example}"));
        assert!(
            ["Describe", "List", "Get"]
                .iter()
                .any(|verb| example.starts_with(verb)),
            "{file}: the example calls {example}, which may change what the account holds"
        );
        let required: Vec<&str> = op
            .request
            .iter()
            .filter(|f| f.required)
            .map(|f| f.wire_name.as_str())
            .filter(|name| *name != "RegionId")
            .collect();
        assert!(
            required.is_empty(),
            "{file}: the example calls {example}, which needs {required:?}: it fails to build"
        );
        assert_ne!(
            Some(example),
            product.operations.first().map(|op| &op.action),
            "{file}: the example is the first operation, as before"
        );
    }
}

#[test]
fn an_endpoint_rule_the_metadata_does_not_give_is_reported_by_codegen() {
    // Alidns lists one endpoint, for the region `public`: no rule can be learnt from it.
    let out = import_catalogue(
        "alidns-2015-01-09",
        &["DescribeDomains"],
        r#"{"operations": {}}"#,
    );
    assert_eq!(
        out.summary.notes.by_kind.get(&ReviewKind::Endpoint),
        Some(&1)
    );
    let specs = [spec_of(&out.yaml, "specs/imported/alidns-2015-01-09.yaml")];
    let warnings = spec_warnings(&specs);
    let endpoint: Vec<_> = warnings
        .iter()
        .filter(|w| w.message.contains("the endpoint rule") && w.message.contains("no endpoint"))
        .collect();
    assert_eq!(endpoint.len(), 1, "{warnings:#?}");
    // It points at the note, in the spec, where a person settles it.
    let line = out.yaml.lines().nth(endpoint[0].line.saturating_sub(1));
    assert!(
        line.is_some_and(|l| l.contains("Review: the metadata lists no endpoint")),
        "{:?} points at {line:?}",
        endpoint[0]
    );
    let reviews = warnings
        .iter()
        .filter(|w| w.help.contains("`Review:`"))
        .count();
    let written: usize = out.summary.notes.by_kind.values().sum();
    assert_eq!(reviews, written, "{warnings:#?}");
}

#[test]
fn a_review_note_on_a_lists_items_is_reported_too() {
    let spec = SpecSource {
        name: "specs/demo-2020-01-01.yaml".to_owned(),
        text: r#"product:
  code: Demo
  name: Demo
  module: demo
  version: "2020-01-01"
  style: rpc
  endpoint: {regional: "demo.{region_id}.aliyuncs.com"}
operations:
  - action: ListThings
    methods: [POST]
    request:
      - name: Names
        type: array
        items: {type: string, notes: ["Review: each name may hold a comma list"]}
    response:
      fields:
        - {name: RequestId, type: string}
"#
        .to_owned(),
    };
    let warnings = spec_warnings(&[spec]);
    assert!(
        warnings.iter().any(|w| w
            .message
            .contains("the items of `Names`: each name may hold a comma list")),
        "{warnings:#?}"
    );
}

/// An imported shape named like a written one is that shape only if it holds its fields the
/// same way: a list of strings is not one string. ECS's imported `Filter` (`Filter.N.Value.M`, a
/// list, for `DescribePhysicalConnections` and three more) was taken for the written `Filter` of
/// `DescribeImages` (one `Value`), and those operations could send one value only.
#[test]
fn an_imported_shape_holding_a_list_where_the_written_one_holds_a_scalar_stays_its_own() {
    let written = demo_spec!(
        "Demo",
        r#"shapes:
  Filter:
    fields:
      - {name: Key, type: string}
      - {name: Value, type: string}
operations:
  - action: DescribeThings
    title: Describes things, as written.
    methods: [POST]
    request:
      - {name: Filter, type: array, items: Filter}
    response:
      fields:
        - {name: RequestId, type: string}
"#
    );
    let imported = format!(
        "{}\n{}",
        acs_codegen::import::IMPORT_HEADER,
        demo_spec!(
            "Demo",
            r#"shapes:
  Filter:
    fields:
      - {name: Key, type: string}
      - {name: Value, type: array, items: string}
operations:
  - action: DescribeConnections
    title: Calls DescribeConnections.
    methods: [POST]
    request:
      - {name: Filter, type: array, items: Filter}
    response:
      fields:
        - {name: RequestId, type: string}
"#
        )
    );
    let specs = [
        spec_of(written, "specs/demo-2020-01-01.yaml"),
        spec_of(&imported, "specs/imported/demo-2020-01-01.yaml"),
    ];
    let products = acs_codegen::validate_all(&specs).unwrap_or_else(|e| panic!("{e}"));
    let [product] = products.as_slice() else {
        panic!("one product expected, got {}", products.len());
    };
    let value_of = |action: &str| {
        let op = product
            .operations
            .iter()
            .find(|op| op.action == action)
            .unwrap_or_else(|| panic!("no operation {action}"));
        let filter = op
            .request
            .iter()
            .find(|f| f.wire_name == "Filter")
            .unwrap_or_else(|| panic!("{action} has no Filter"));
        let acs_codegen::model::Type::List(item) = &filter.ty else {
            panic!("{action}'s Filter is not a list: {:?}", filter.ty);
        };
        let acs_codegen::model::Type::Shape(shape) = item.as_ref() else {
            panic!("{action}'s Filter holds no shape: {item:?}");
        };
        let shape = product
            .shapes
            .iter()
            .find(|s| &s.rust_name == shape)
            .unwrap_or_else(|| panic!("no shape {shape}"));
        shape
            .fields
            .iter()
            .find(|f| f.wire_name == "Value")
            .map(|f| f.ty.clone())
            .unwrap_or_else(|| panic!("{} has no Value", shape.rust_name))
    };
    assert!(
        !matches!(
            value_of("DescribeThings"),
            acs_codegen::model::Type::List(_)
        ),
        "the written Filter keeps its one Value"
    );
    assert!(
        matches!(
            value_of("DescribeConnections"),
            acs_codegen::model::Type::List(_)
        ),
        "the imported operation's Filter.N.Value is a list, as imported: {:?}",
        value_of("DescribeConnections")
    );
}

/// A list of free-form objects (ActionTrail's `LookupEvents.Events`, the product's main call)
/// keeps its data: in a response it is a list of `json` values, each object whole; in a request
/// one `json` value, sent as one JSON text, with a note where the metadata asks for another
/// style. Before, it was a string, which a JSON array cannot fill.
#[test]
fn a_list_of_free_form_objects_keeps_its_data() {
    let text = FULL
        .replace(
            "\"NextToken\": {\"type\": \"string\"},\n",
            "\"NextToken\": {\"type\": \"string\"},\n      \"Events\": {\"type\": \"array\", \"items\": {\"type\": \"object\"}},\n",
        )
        .replace(
            "{\"in\": \"query\", \"name\": \"Names\",",
            "{\"in\": \"query\", \"name\": \"Filters\", \"style\": \"json\", \"schema\": {\"type\": \"array\", \"items\": {\"type\": \"object\"}}},\n        {\"in\": \"query\", \"name\": \"Conditions\", \"style\": \"flat\", \"schema\": {\"type\": \"array\", \"items\": {\"type\": \"object\"}}},\n        {\"in\": \"query\", \"name\": \"Names\",",
        );
    assert!(text.contains("\"Events\"") && text.contains("\"Filters\""));
    let out = import(&source(&text), &all()).expect("import");
    let spec: serde_yaml::Value = serde_yaml::from_str(&out.yaml).expect("yaml");
    let op = &spec["operations"][0];
    let field = |fields: &serde_yaml::Value, name: &str| -> serde_yaml::Value {
        fields
            .as_sequence()
            .into_iter()
            .flatten()
            .find(|f| f["name"] == name)
            .cloned()
            .unwrap_or_else(|| panic!("no field {name}:\n{}", out.yaml))
    };
    let events = field(&op["response"]["fields"], "Events");
    assert_eq!(events["type"], "array", "{}", out.yaml);
    assert_eq!(events["items"], "json", "{}", out.yaml);
    for name in ["Filters", "Conditions"] {
        let param = field(&op["request"], name);
        assert_eq!(param["type"], "json", "{name}: {}", out.yaml);
        assert!(param.get("style").is_none(), "{name}: {}", out.yaml);
    }
    let conditions = serde_yaml::to_string(&field(&op["request"], "Conditions")).unwrap();
    assert!(
        conditions.contains("sent as one JSON text"),
        "the flat style the SDK cannot write is noted: {conditions}"
    );

    let specs = [spec_of(&out.yaml, "specs/imported/demo-2020-01-01.yaml")];
    let files = generate(&specs).unwrap_or_else(|e| panic!("{e}\n{}", out.yaml));
    let operation: String = files
        .iter()
        .find(|f| f.path == "demo/src/list_things.rs")
        .map(|f| f.contents.split_whitespace().collect())
        .unwrap_or_default();
    assert!(
        operation.contains("pubevents:Vec<acs_runtime::JsonValue>,"),
        "{operation}"
    );
    assert!(
        operation.contains("params.json_object_opt(Location::Query,\"Filters\",&self.filters)"),
        "{operation}"
    );
}

/// Where the spec cannot type a value (a `$ref` met again inside itself, a list of lists, a map
/// of maps, the type `any`), the fallback is `json`, which keeps the value whole; before, a
/// string or a map of strings, which a JSON array or a nested object cannot fill.
#[test]
fn what_the_spec_cannot_type_is_kept_whole_as_json() {
    let size = "\"Size\", \"schema\": {\"type\": \"integer\", \"format\": \"int64\"}";
    let cases = [
        (
            "a $ref that contains itself",
            FULL.replace(
                "\"Size\": {\"type\": \"integer\", \"format\": \"int64\"}",
                "\"Size\": {\"type\": \"integer\", \"format\": \"int64\"}, \"Parts\": {\"type\": \"array\", \"items\": {\"$ref\": \"#/components/schemas/Thing\"}}, \"Parent\": {\"$ref\": \"#/components/schemas/Thing\"}",
            ),
            vec![("Parts", "array", Some("json")), ("Parent", "json", None)],
        ),
        (
            "a list of lists",
            SHORT.replace(
                size,
                "\"Size\", \"schema\": {\"type\": \"array\", \"items\": {\"type\": \"array\", \"items\": {\"type\": \"string\"}}}",
            ),
            vec![("Size", "json", None)],
        ),
        (
            "a map of maps and the type any",
            SHORT.replace(
                size,
                "\"Size\", \"schema\": {\"type\": \"object\", \"additionalProperties\": {\"type\": \"object\", \"additionalProperties\": {\"type\": \"string\"}}}},\n        {\"in\": \"query\", \"name\": \"Anything\", \"schema\": {\"type\": \"any\"}",
            ),
            vec![("Size", "json", None), ("Anything", "json", None)],
        ),
    ];
    for (what, text, expected) in cases {
        let out = import(&source(&text), &all()).unwrap_or_else(|e| panic!("{what}: {e}"));
        let spec: serde_yaml::Value = serde_yaml::from_str(&out.yaml).expect("yaml");
        // Every field of the operations and shapes, by name.
        let mut fields = Vec::new();
        for op in spec["operations"].as_sequence().into_iter().flatten() {
            fields.extend(op["request"].as_sequence().into_iter().flatten());
            fields.extend(op["response"]["fields"].as_sequence().into_iter().flatten());
        }
        for shape in spec["shapes"]
            .as_mapping()
            .into_iter()
            .flat_map(|m| m.values())
        {
            fields.extend(shape["fields"].as_sequence().into_iter().flatten());
        }
        for (name, ty, items) in expected {
            let field = fields
                .iter()
                .find(|f| f["name"] == name)
                .unwrap_or_else(|| panic!("{what}: no field {name}:\n{}", out.yaml));
            assert_eq!(field["type"], ty, "{what}: {name}:\n{}", out.yaml);
            if let Some(items) = items {
                assert_eq!(field["items"], items, "{what}: {name}:\n{}", out.yaml);
            }
        }
        generate(&[spec_of(&out.yaml, "specs/imported/demo-2020-01-01.yaml")])
            .unwrap_or_else(|e| panic!("{what}: {e}\n{}", out.yaml));
    }
}

/// Metadata shapes the spec format or Rust cannot take as they are: each is decided by the
/// import with a reported `Review:` note, and the spec it writes generates.
#[test]
fn hostile_names_and_texts_are_decided_with_a_note_and_the_spec_generates() {
    let cases: [(&str, String, &str); 10] = [
        (
            "enum values that make one Rust name",
            SHORT.replace("[\"Available\", \"Creating\"]", "[\"a-b\", \"a_b\", \"Creating\"]"),
            "the value `a_b` makes the same Rust name as `a-b`",
        ),
        (
            "an empty response field name",
            FULL.replace("\"NextToken\": {\"type\": \"string\"},", "\"NextToken\": {\"type\": \"string\"}, \"\": {\"type\": \"string\"},"),
            "a field without a name",
        ),
        (
            "two actions that make one Rust name",
            SHORT.replace("\"CreateThing\": {", "\"describeThings\": {"),
            "`describeThings` makes the same Rust name as `DescribeThings`",
        ),
        (
            "an action that is not an identifier",
            SHORT.replace("\"CreateThing\": {", "\"Create Thing!\": {"),
            "`Create Thing!` is not an action name",
        ),
        (
            "a header name that is not an HTTP header name",
            SHORT.replace(
                "{\"in\": \"query\", \"name\": \"ClientToken\"",
                "{\"in\": \"header\", \"name\": \"x-acs-bad name:\", \"schema\": {\"type\": \"string\"}},\n        {\"in\": \"query\", \"name\": \"ClientToken\"",
            ),
            "`x-acs-bad name:` (apis.CreateThing.parameters[0]) is not an HTTP header name",
        ),
        (
            "a right-to-left override in a description",
            FULL.replace("\"description\": \"The request ID.\"", "\"description\": \"The request \u{202e}DI.\""),
            "control characters",
        ),
        (
            "control characters in a title",
            FULL.replace("\"title\": \"Lists things.\"", "\"title\": \"Lists\\u0000\\u0007\\u001b[31m things\\r.\""),
            "control characters",
        ),
        (
            "a $ref to a schema the metadata lacks",
            FULL
                // A list of objects the import cannot type is carried as text, which a sample of
                // objects would contradict: the sample is left out of this case.
                .replace("\"responseDemo\"", "\"unusedDemo\"")
                .replace("\"$ref\": \"#/components/schemas/Thing\"", "\"$ref\": \"#/components/schemas/Missing\""),
            "`#/components/schemas/Missing` names no schema",
        ),
        (
            "a response $ref to a schema the metadata lacks",
            FULL.replace("\"$ref\": \"#/components/schemas/ListThingsResponse\"", "\"$ref\": \"#/components/schemas/Gone\"")
                .replace("\"responseDemo\"", "\"unusedDemo\""),
            "response `$ref` `#/components/schemas/Gone` names no schema",
        ),
        (
            "a $ref that is not to a schema",
            FULL
                // A list of objects the import cannot type is carried as text, which a sample of
                // objects would contradict: the sample is left out of this case.
                .replace("\"responseDemo\"", "\"unusedDemo\"")
                .replace("\"$ref\": \"#/components/schemas/Thing\"", "\"$ref\": \"https://example.com/Thing\""),
            "`https://example.com/Thing` names no schema",
        ),
    ];
    let mut failures = Vec::new();
    for (what, text, note) in cases {
        assert_ne!(text, SHORT, "{what}: the case changes nothing");
        assert_ne!(text, FULL, "{what}: the case changes nothing");
        let out = match import(&source(&text), &all()) {
            Ok(out) => out,
            Err(e) => {
                failures.push(format!("{what}: the import refused it: {e}"));
                continue;
            }
        };
        let specs = [spec_of(&out.yaml, "specs/imported/demo-2020-01-01.yaml")];
        let files = match generate(&specs) {
            Ok(files) => files,
            Err(e) => {
                failures.push(format!("{what}: codegen refused it: {e}"));
                continue;
            }
        };
        let reported: Vec<String> = spec_warnings(&specs)
            .into_iter()
            .filter(|w| w.help.contains("`Review:`"))
            .map(|w| w.message)
            .collect();
        if !reported.iter().any(|m| m.contains(note)) {
            failures.push(format!(
                "{what}: no reported note says {note:?}: {reported:#?}"
            ));
        }
        // rustc refuses bidirectional controls in doc comments, and a terminal obeys escapes.
        for file in &files {
            if file.contents.chars().any(is_unprintable) {
                failures.push(format!("{what}: {} holds a control character", file.path));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

/// Characters no generated file may hold: controls (but the line feed and the tab) and the
/// bidirectional formatting characters rustc refuses in comments.
fn is_unprintable(c: char) -> bool {
    (c.is_control() && c != '\n' && c != '\t')
        || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{200e}' | '\u{200f}' | '\u{061c}')
}
