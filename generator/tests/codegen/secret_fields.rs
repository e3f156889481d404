//! `secret: true`: a type holding a secret writes its own `Debug`, which shows `<redacted>` for
//! it; a secret on anything but a string field of a response or shape is refused.

use acs_codegen::{SpecSource, generate};

fn spec(request_secret: bool) -> SpecSource {
    let extra = if request_secret {
        "\n        secret: true"
    } else {
        ""
    };
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
        type: string{extra}
    response:
      fields:
        - {{name: Keys, type: Keys}}
        - {{name: Token, type: string, secret: true}}
"#
        ),
    }
}

#[test]
fn a_secret_field_is_redacted_in_debug() {
    let files = generate(&[spec(false)]).unwrap_or_else(|e| panic!("{e}"));
    let text = |path: &str| {
        files
            .iter()
            .find(|f| f.path == path)
            .map(|f| f.contents.clone())
            .unwrap_or_else(|| panic!("{path}"))
    };
    for (path, ty) in [
        ("src/demo/types.rs", "Keys"),
        ("src/demo/get_keys.rs", "GetKeysResponse"),
    ] {
        let code = text(path);
        assert!(
            code.contains(&format!("impl ::core::fmt::Debug for {ty}")),
            "{code}"
        );
        assert!(code.contains("\"<redacted>\""), "{code}");
        let derive_before = code
            .split(&format!("pub struct {ty} "))
            .next()
            .and_then(|head| head.rsplit("#[derive(").next())
            .unwrap_or_default()
            .to_owned();
        assert!(
            !derive_before.starts_with("Debug"),
            "{ty} still derives Debug"
        );
    }
}

#[test]
fn a_secret_request_parameter_is_refused() {
    let err = generate(&[spec(true)]).expect_err("secret on a request parameter");
    let shown = err.to_string();
    assert!(shown.contains("`secret: true` on `Name`"), "{shown}");
    assert!(shown.contains("specs/demo.yaml:"), "{shown}");
}
