//! `secret: true`: every type holding a secret (a response, a shape, a request and the parameters
//! its builder holds) writes its own `Debug`, which shows `<redacted>` for it; a secret on
//! anything but a string field is refused; the specs mark every field the import's name rule
//! calls a secret.

use acs_codegen::{SpecSource, generate};

use crate::support::spec_sources;

fn spec(request_secret_type: &str) -> SpecSource {
    SpecSource {
        name: "specs/demo.yaml".to_owned(),
        text: format!(
            r#"product:
  code: Demo
  name: Demo
  module: demo
  version: "2020-01-01"
  style: rpc
  endpoint: {{regional: "demo.{{region_id}}.aliyuncs.com"}}
shapes:
  Keys:
    fields:
      - {{name: Id, type: string}}
      - {{name: Secret, type: string, secret: true}}
operations:
  - action: GetKeys
    title: Gets keys.
    methods: [POST]
    request:
      - name: Name
        type: string
      - name: Password
        type: {request_secret_type}
        required: true
        secret: true
        limits: {{min_length: 8, ascii: true}}
      - name: VncPassword
        type: {request_secret_type}
        secret: true
      - name: Login
        type: Keys
      - name: Logins
        type: array
        items: Keys
        style: json
    response:
      fields:
        - {{name: Keys, type: Keys}}
        - {{name: Token, type: string, secret: true}}
"#
        ),
    }
}

fn generated(source: SpecSource) -> impl Fn(&str) -> String {
    let files = generate(&[source]).unwrap_or_else(|e| panic!("{e}"));
    move |path: &str| {
        files
            .iter()
            .find(|f| f.path == path)
            .map(|f| f.contents.clone())
            .unwrap_or_else(|| panic!("{path}"))
    }
}

/// The `#[derive(...)]` list right before `struct {ty}`.
fn derives_of(code: &str, ty: &str) -> String {
    code.split(&format!("struct {ty} "))
        .next()
        .and_then(|head| head.rsplit("#[derive(").next())
        .and_then(|list| list.split(')').next())
        .unwrap_or_default()
        .to_owned()
}

/// The body of `impl Debug for {ty}`.
fn debug_of(code: &str, ty: &str) -> String {
    let start = code
        .find(&format!("impl ::core::fmt::Debug for {ty} "))
        .unwrap_or_else(|| panic!("{ty} writes no Debug of its own:\n{code}"));
    let body = &code[start..];
    body[..body.find("\n}\n").unwrap_or(body.len())].to_owned()
}

#[test]
fn every_type_holding_a_secret_writes_a_debug_that_redacts_it() {
    let text = generated(spec("string"));
    let types = text("demo/src/types.rs");
    let operation = text("demo/src/get_keys.rs");
    for (code, ty) in [
        (&types, "Keys"),
        (&operation, "GetKeysResponse"),
        (&operation, "GetKeysRequest"),
        (&operation, "GetKeysRequestFields"),
    ] {
        assert!(
            !derives_of(code, ty).contains("Debug"),
            "{ty} still derives Debug:\n{code}"
        );
        let debug = debug_of(code, ty);
        assert!(debug.contains("\"<redacted>\""), "{debug}");
    }
    // A required parameter is held as a `String`, an optional one as an `Option`: both blanked.
    let request = debug_of(&operation, "GetKeysRequest");
    assert!(
        request.contains(r#".field("password", &"<redacted>")"#),
        "{request}"
    );
    assert!(
        request.contains(
            r#".field("vnc_password", &self.vnc_password.as_ref().map(|_| "<redacted>"))"#
        ),
        "{request}"
    );
    assert!(
        request.contains(r#".field("name", &self.name)"#),
        "{request}"
    );
    let fields = debug_of(&operation, "GetKeysRequestFields");
    assert!(
        fields.contains(r#".field("password", &self.password.as_ref().map(|_| "<redacted>"))"#),
        "{fields}"
    );
    // The builder and the fluent builder show their parameters through that `Debug`.
    assert!(
        derives_of(&operation, "GetKeysRequestBuilder<C = ()>").contains("Debug"),
        "{operation}"
    );
    // On the wire: a secret as a value the parameters' `Debug` hides; a shape holding one, sent
    // as one JSON text, hidden whole; a shape sent flat hides its own secret fields.
    assert!(
        operation.contains(r#"params.secret(Location::Query, "Password", &self.password)"#),
        "{operation}"
    );
    assert!(
        operation.contains(".hiding(")
            && operation.contains(
                r#"|params| params.json_list_opt(Location::Query, "Logins", &self.logins)"#
            ),
        "{operation}"
    );
    assert!(
        operation.contains(r#"params.flat_opt(Location::Query, "Login", &self.login)"#),
        "{operation}"
    );
    assert!(
        types.contains(r#"params.secret_opt(loc, (prefix, "Secret"), &self.secret)"#),
        "{types}"
    );
    // Its limits are checked by the checks that never quote a secret.
    assert!(
        operation.contains(r#"codegen::checks::secret_length("Password""#),
        "{operation}"
    );
    assert!(
        operation.contains(r#"codegen::checks::secret_ascii("Password""#),
        "{operation}"
    );
}

#[test]
fn a_type_without_a_secret_derives_its_debug() {
    let text = generated(SpecSource {
        name: "specs/demo.yaml".to_owned(),
        text: spec("string").text.replace("secret: true", "secret: false"),
    });
    let operation = text("demo/src/get_keys.rs");
    for ty in ["GetKeysRequest", "GetKeysRequestFields", "GetKeysResponse"] {
        assert!(
            derives_of(&operation, ty).contains("Debug"),
            "{ty}:\n{operation}"
        );
    }
    assert!(!operation.contains("<redacted>"), "{operation}");
    assert!(!operation.contains("secret_length"), "{operation}");
}

#[test]
fn a_secret_that_is_not_a_string_is_refused() {
    let err = generate(&[spec("integer")]).expect_err("secret on an integer");
    let shown = err.to_string();
    assert!(
        shown.contains("`secret: true` on `Password`, which is not of type string"),
        "{shown}"
    );
    assert!(shown.contains("specs/demo.yaml:"), "{shown}");
}

/// Every field of the specs, written and imported, that the import's name rule calls a secret is
/// marked `secret: true`: a hand-written operation with a password left unmarked fails here.
#[test]
fn the_specs_mark_every_field_named_as_a_secret() {
    fn check(fields: Option<&serde_yaml::Value>, place: &str, unmarked: &mut Vec<String>) {
        for field in fields
            .and_then(serde_yaml::Value::as_sequence)
            .into_iter()
            .flatten()
        {
            let name = field
                .get("name")
                .and_then(serde_yaml::Value::as_str)
                .unwrap_or_default();
            let string = field.get("type").and_then(serde_yaml::Value::as_str) == Some("string");
            let valued = field.get("values").is_some();
            let marked = field.get("secret").and_then(serde_yaml::Value::as_bool) == Some(true);
            if string && !valued && acs_codegen::import::names_a_secret(name) && !marked {
                unmarked.push(format!("{place} {name}"));
            }
        }
    }
    let mut unmarked = Vec::new();
    let mut marked = 0;
    for source in spec_sources(&["specs", "specs/imported"]) {
        marked += source.text.matches("secret: true").count();
        let spec: serde_yaml::Value =
            serde_yaml::from_str(&source.text).unwrap_or_else(|e| panic!("{}: {e}", source.name));
        if let Some(shapes) = spec.get("shapes").and_then(serde_yaml::Value::as_mapping) {
            for (name, shape) in shapes {
                let place = format!("{} shape {}", source.name, name.as_str().unwrap_or("?"));
                check(shape.get("fields"), &place, &mut unmarked);
            }
        }
        for op in spec
            .get("operations")
            .and_then(serde_yaml::Value::as_sequence)
            .into_iter()
            .flatten()
        {
            let action = op
                .get("action")
                .and_then(serde_yaml::Value::as_str)
                .unwrap_or("?");
            let place = format!("{} {action}", source.name);
            check(
                op.get("request"),
                &format!("{place} request"),
                &mut unmarked,
            );
            let response = op.get("response").and_then(|r| r.get("fields"));
            check(response, &format!("{place} response"), &mut unmarked);
        }
    }
    assert!(
        unmarked.is_empty(),
        "fields named as secrets but not marked `secret: true`:\n{}",
        unmarked.join("\n")
    );
    assert!(marked > 30, "only {marked} fields marked secret");
}

#[test]
fn an_examples_table_never_prints_a_secret_column() {
    let files = generated(SpecSource {
        name: "specs/demo.yaml".to_owned(),
        text: r#"product:
  code: Demo
  name: Demo
  module: demo
  version: "2020-01-01"
  style: rpc
  endpoint: {regional: "demo.{region_id}.aliyuncs.com"}
shapes:
  Key:
    fields:
      - {name: KeySecret, type: string, secret: true}
      - {name: KeyId, type: string}
operations:
  - action: ListKeys
    title: Lists keys.
    methods: [POST]
    read_only: true
    response:
      fields:
        - {name: Keys, type: array, items: Key}
"#
        .to_owned(),
    });
    let example = files("demo/examples/list_keys.rs");
    assert!(example.contains("\"KeyId\""), "{example}");
    assert!(
        !example.contains("KeySecret") && !example.contains("key_secret"),
        "the example prints a secret: {example}"
    );
}

#[test]
fn a_response_field_that_holds_a_secret_decodes_without_quoting_a_bad_value() {
    let text = generated(spec("string"));
    let flat = |code: String| code.replace([' ', '\n'], "").replace(",)", ")");
    let types = flat(text("demo/src/types.rs"));
    let operation = flat(text("demo/src/get_keys.rs"));
    for (code, read) in [
        (
            &types,
            r#"codegen::object::secret(map,|map|codegen::object::opt(map,&mutself.secret))"#,
        ),
        (
            &operation,
            r#"codegen::object::secret(map,|map|codegen::object::opt(map,&mutself.token))"#,
        ),
        (
            &operation,
            r#"codegen::object::secret(map,|map|codegen::object::opt(map,&mutself.keys))"#,
        ),
        (&types, r#""Id"=>codegen::object::opt(map,&mutself.id)"#),
    ] {
        assert!(code.contains(read), "no {read} in:\n{code}");
    }
}
