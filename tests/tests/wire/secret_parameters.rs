//! Secret parameters (`secret: true`: a password, a token), for every operation the SDK has
//! that takes one, at the top of its request or inside a shape the request sends: each is set to
//! a distinctive value; the request's `Debug`, its parameters' `Debug` and the errors of its limits
//! never show it, while the wire and the request's serde form keep it.
//!
//! The operations are those of the written specs and those the imported specs add (an imported
//! operation the written spec of its module has is the written one in the SDK), read as YAML:
//! what is secret is what the specs say, not a list kept here.

use std::collections::BTreeSet;
use std::sync::Arc;

use acs_catalog::OPERATIONS;
use acs_runtime::catalog;
use acs_runtime::credentials::Credentials;
use acs_runtime::http::{HttpResponse, InMemoryTransport};
use acs_runtime::retry::RetryPolicy;
use acs_runtime::wire::{Params, WriteParams};
use acs_sts as sts;
use acs_test_gateway::specs::{self, Spec, SpecOperation};
use serde_json::{Map, Value, json};
use serde_yaml::Value as Yaml;

/// Every operation the SDK has, with the spec it comes from.
fn every_operation(specs: &[Spec]) -> Vec<SpecOperation<'_>> {
    let written: BTreeSet<(String, String)> = specs
        .iter()
        .filter(|spec| {
            !spec
                .path
                .parent()
                .is_some_and(|dir| dir.ends_with("imported"))
        })
        .flat_map(Spec::operations)
        .map(|op| (op.module().to_owned(), op.action().to_owned()))
        .collect();
    specs
        .iter()
        .flat_map(Spec::operations)
        .filter(|op| {
            let imported = op
                .spec
                .path
                .parent()
                .is_some_and(|dir| dir.ends_with("imported"));
            !imported || !written.contains(&(op.module().to_owned(), op.action().to_owned()))
        })
        .collect()
}

fn all_specs() -> Vec<Spec> {
    let mut out = specs::workspace_specs().unwrap_or_else(|e| panic!("{e}"));
    out.extend(
        specs::read_specs(&specs::specs_dir().join("imported")).unwrap_or_else(|e| panic!("{e}")),
    );
    out
}

fn text<'a>(field: &'a Yaml, key: &str) -> &'a str {
    field[key].as_str().unwrap_or_default()
}

fn is_secret(field: &Yaml) -> bool {
    field["secret"].as_bool() == Some(true)
}

/// The type name a field holds: its own, or its items' for a list or a map.
fn held_type(field: &Yaml) -> &str {
    match text(field, "type") {
        "array" | "map" => match &field["items"] {
            Yaml::String(name) => name,
            items => text(items, "type"),
        },
        own => own,
    }
}

/// Whether `ty` is a shape with a secret field somewhere inside (`seen`: the shapes on the way,
/// so that a shape that contains itself ends the walk).
fn holds_secret(spec: &Spec, ty: &str, seen: &mut Vec<String>) -> bool {
    let Some(fields) = spec.shape(ty)["fields"].as_sequence() else {
        return false;
    };
    if seen.iter().any(|s| s == ty) {
        return false;
    }
    seen.push(ty.to_owned());
    let holds = fields
        .iter()
        .any(|f| is_secret(f) || holds_secret(spec, held_type(f), seen));
    seen.pop();
    holds
}

/// The distinctive value of the secret at `at`: characters that encoding changes around a core
/// no other text has.
fn secret_at(at: &str, secrets: &mut Vec<(String, String)>) -> String {
    let value = format!("s3cr3t-{}-QzX/+=", secrets.len());
    secrets.push((at.to_owned(), value.clone()));
    value
}

/// The value of `field` with each secret inside set to a value of its own (pushed on `secrets`
/// with where it sits); other fields of its shapes left out.
fn with_secrets(spec: &Spec, field: &Yaml, at: &str, secrets: &mut Vec<(String, String)>) -> Value {
    if is_secret(field) {
        return Value::String(secret_at(at, secrets));
    }
    let shape = held_type(field);
    let one = |secrets: &mut Vec<(String, String)>, at: &str| {
        let mut object = Map::new();
        for inner in spec.shape(shape)["fields"]
            .as_sequence()
            .into_iter()
            .flatten()
        {
            let name = text(inner, "name");
            if is_secret(inner) || holds_secret(spec, held_type(inner), &mut vec![shape.to_owned()])
            {
                let here = format!("{at}.{name}");
                object.insert(name.to_owned(), with_secrets(spec, inner, &here, secrets));
            }
        }
        Value::Object(object)
    };
    match text(field, "type") {
        "array" => Value::Array(vec![one(secrets, &format!("{at}.1"))]),
        "map" => Value::Object(Map::from_iter([(
            "k".to_owned(),
            one(secrets, &format!("{at}.k")),
        )])),
        _ => one(secrets, at),
    }
}

/// A value of a required parameter that its limits accept.
fn accepted(field: &Yaml) -> Value {
    let limits = &field["limits"];
    let low = limits["min"].as_i64().unwrap_or(1);
    match text(field, "type") {
        "integer" | "long" => json!(low),
        "number" | "double" => json!(low as f64),
        "boolean" => json!(true),
        "array" => Value::Array(vec![accepted(&items_of(field))]),
        "map" => json!({}),
        "string" => match field["values"][0]["value"].as_str() {
            Some(value) => json!(value),
            None => {
                let length = limits["min_length"].as_u64().unwrap_or(1).max(1);
                json!("v".repeat(usize::try_from(length).unwrap_or(1)))
            }
        },
        _ => json!({}),
    }
}

/// `items:` as a field: a bare type name becomes `{type: name}`.
fn items_of(field: &Yaml) -> Yaml {
    match &field["items"] {
        Yaml::String(name) => {
            let mut items = serde_yaml::Mapping::new();
            items.insert("type".into(), name.clone().into());
            Yaml::Mapping(items)
        }
        items => items.clone(),
    }
}

/// Every required parameter of `op` set to a value its limits accept.
fn baseline(op: &SpecOperation<'_>) -> Map<String, Value> {
    op.request()
        .iter()
        .filter(|p| p["required"].as_bool() == Some(true))
        .map(|p| (text(p, "name").to_owned(), accepted(p)))
        .collect()
}

/// The forms a secret is looked for in: as set, and as a JSON string.
fn json_string(value: &str) -> String {
    Value::String(value.to_owned()).to_string()
}

#[test]
fn no_secret_parameter_shows_in_debug_and_every_one_reaches_the_wire() {
    let specs = all_specs();
    let mut operations_checked = 0;
    let mut secrets_checked = 0;
    let mut failures = Vec::new();
    for op in every_operation(&specs) {
        let mut request = baseline(&op);
        let mut secrets = Vec::new();
        for p in op.request() {
            if is_secret(p) || holds_secret(op.spec, held_type(p), &mut Vec::new()) {
                let name = text(p, "name");
                let value = with_secrets(op.spec, p, name, &mut secrets);
                request.insert(name.to_owned(), value);
            }
        }
        if secrets.is_empty() {
            continue;
        }
        operations_checked += 1;
        secrets_checked += secrets.len();
        let name = op.name();
        let request = Value::Object(request);
        let entry =
            catalog::find(&OPERATIONS, op.module(), op.action()).unwrap_or_else(|e| panic!("{e}"));
        let loaded = (entry.load_request)(&request)
            .unwrap_or_else(|e| panic!("{name}: the request does not load from {request}: {e}"));
        let params = loaded.params();
        let shown = [
            format!("{loaded:?}"),
            format!("{loaded:#?}"),
            format!("{params:?}"),
            format!("{:?}", params.query_pairs()),
            format!("{:?}", params.body_pairs()),
        ]
        .join("\n");
        let sent: String = [
            params.query_pairs(),
            params.body_pairs(),
            params.header_pairs(),
        ]
        .iter()
        .flat_map(|pairs| pairs.iter())
        .map(|(name, value)| format!("{name}={value}\n"))
        .collect();
        let again = (entry.request_to_json)(&request)
            .unwrap_or_else(|e| panic!("{name}: the request does not go to JSON and back: {e}"))
            .to_string();
        for (at, value) in &secrets {
            if shown.contains(value.trim_end_matches("/+=")) {
                failures.push(format!("{name} {at}: shown by Debug:\n{shown}"));
            }
            if !sent.contains(value.as_str()) && !sent.contains(&json_string(value)) {
                failures.push(format!("{name} {at}: not sent:\n{sent}"));
            }
            if !again.contains(&json_string(value)) {
                failures.push(format!("{name} {at}: lost by the serde form: {again}"));
            }
        }
    }
    println!("secret parameters: {secrets_checked} in {operations_checked} operations");
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
    // A password in 15 operations, and more: the specs' marks are read, not missed (where the
    // imported specs are there: a scratch copy of the workspace may leave them out).
    assert!(
        (operations_checked >= 20 && secrets_checked >= 24)
            || !acs_test_gateway::specs::has_imported_specs(),
        "only {secrets_checked} secrets in {operations_checked} operations"
    );
}

/// A secret that breaks a documented limit is refused by name and limit; the error never quotes
/// it, its length or a character of it.
#[test]
fn a_secret_that_breaks_a_limit_is_refused_without_being_quoted() {
    let specs = all_specs();
    let mut refused = 0;
    for op in every_operation(&specs) {
        for p in op.request().iter().filter(|p| is_secret(p)) {
            let limits = &p["limits"];
            let mut broken = Vec::new();
            if let Some(min) = limits["min_length"].as_u64().filter(|min| *min > 1) {
                let length = usize::try_from(min - 1).unwrap_or(0);
                broken.push("Qz".repeat(length).chars().take(length).collect::<String>());
            }
            if let Some(max) = limits["max_length"].as_u64() {
                broken.push("QzX".repeat(usize::try_from(max / 3 + 1).unwrap_or(0)));
            }
            if limits["ascii"].as_bool() == Some(true) {
                broken.push("QzX令QzX".to_owned());
            }
            for value in broken {
                let name = text(p, "name");
                let mut request = baseline(&op);
                request.insert(name.to_owned(), Value::String(value.clone()));
                let entry = catalog::find(&OPERATIONS, op.module(), op.action())
                    .unwrap_or_else(|e| panic!("{e}"));
                let loaded = (entry.load_request)(&Value::Object(request))
                    .unwrap_or_else(|e| panic!("{}: {e}", op.name()));
                let err = loaded.validate().expect_err("a broken limit is refused");
                let shown = format!("{err} {err:?}");
                assert_eq!(err.parameter, name, "{shown}");
                assert!(!shown.contains("Qz") && !shown.contains('令'), "{shown}");
                let length = value.chars().count().to_string();
                assert!(!shown.contains(&format!(" {length} ")), "{shown}");
                refused += 1;
            }
        }
    }
    // ENS EventMigrateInstance's password takes 8 to 30 characters (an imported operation).
    assert!(
        refused >= 2 || !acs_test_gateway::specs::has_imported_specs(),
        "only {refused} limits of secrets broken"
    );
}

fn config(transport: Arc<InMemoryTransport>) -> acs_runtime::Config {
    acs_runtime::Config::builder()
        .credentials(Credentials::new("secret-test-id", "secret-test-key"))
        .region("cn-hangzhou")
        .transport(transport)
        .retry_policy(RetryPolicy::disabled())
        .build()
        .unwrap_or_else(|e| panic!("config: {e}"))
}

fn params_of(request: &impl WriteParams) -> Params {
    let mut params = Params::new();
    request.write_params(&mut params);
    params
}

/// The typed builders, with and without a client, and the requests they build show no secret;
/// the request still carries it. (STS's calls are written by hand, so they are there in every
/// copy of the workspace; shapes holding a secret are held by the test over every operation.)
#[test]
fn builders_and_fluent_builders_show_no_secret() {
    const PASSWORD: &str = "s3cr3t-builder-QzX";
    const ROLE: &str = "acs:ram::1:role/builder-test";
    let transport = Arc::new(InMemoryTransport::from_fn(|_| {
        Ok(HttpResponse::new(200, "{\"RequestId\":\"r\"}"))
    }));
    let sts_client = sts::Client::new(config(Arc::clone(&transport)));
    let builder = sts::AssumeRoleWithOidcRequest::builder()
        .oidc_provider_arn("acs:ram::1:oidc-provider/p")
        .role_arn(ROLE)
        .role_session_name("s")
        .oidc_token(PASSWORD);
    let fluent = sts_client
        .assume_role_with_oidc()
        .oidc_provider_arn("acs:ram::1:oidc-provider/p")
        .role_arn(ROLE)
        .oidc_token(PASSWORD);
    let saml = sts_client
        .assume_role_with_saml()
        .saml_provider_arn("acs:ram::1:saml-provider/p")
        .role_arn(ROLE)
        .saml_assertion(PASSWORD);
    let built = builder.clone().build().unwrap_or_else(|e| panic!("{e}"));
    let shown = [
        format!("{builder:?}"),
        format!("{fluent:#?}"),
        format!("{saml:?}"),
        format!("{built:?}"),
        format!("{:?}", params_of(&built)),
    ];
    for text in &shown {
        assert!(!text.contains(PASSWORD), "{text}");
        assert!(text.contains("<redacted>"), "{text}");
    }
    assert!(shown[0].contains(ROLE), "{}", shown[0]);
    let json = serde_json::to_value(&built).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(json["OIDCToken"], PASSWORD);
    let params = params_of(&built);
    assert!(
        params
            .query_pairs()
            .iter()
            .chain(params.body_pairs().iter())
            .any(|pair| pair == ("OIDCToken", PASSWORD))
    );
}
