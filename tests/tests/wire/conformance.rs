//! Conformance with Alibaba's official Python SDKs: the fixtures under `tests/conformance/fixtures/`
//! were recorded by `tests/conformance/record.py` from the official SDK building each request
//! (stopped before the network). Here the generated SDK builds the same requests from the same
//! inputs, and the parameters must match byte for byte, but for the one documented difference:
//! the Python SDK writes booleans `True`/`False`, the Go and Java SDKs and this one `true`/`false`.
//!
//! The operations come from the specs and the generated catalog: an operation without fixtures
//! is listed as not compared, and a fixture for an operation no spec declares fails.

use std::fs;
use std::path::{Path, PathBuf};

use acs_catalog::OPERATIONS;
use acs_runtime::catalog;
use acs_runtime::wire::{Pairs, Params};
use acs_test_gateway::specs;
use serde_json::Value;

fn fixtures_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("conformance/fixtures")
}

/// The cases of one fixture file: a list, or an object with `cases`.
fn cases(file: &Path) -> Vec<Value> {
    let text = fs::read_to_string(file).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
    let value: Value =
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
    match value {
        Value::Array(items) => items,
        Value::Object(mut map) => match map.remove("cases") {
            Some(Value::Array(items)) => items,
            _ => panic!("{}: no `cases` list", file.display()),
        },
        _ => panic!("{}: neither a list nor an object", file.display()),
    }
}

/// Every case of every fixture file (`signatures.json` holds signing vectors, not cases), each
/// with the file it came from.
fn all_cases() -> Vec<(String, Value)> {
    let dir = fixtures_dir();
    let mut files: Vec<PathBuf> = fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(|entry| entry.ok().map(|entry| entry.path()))
        .filter(|p| {
            p.extension().is_some_and(|x| x == "json")
                && p.file_stem().is_some_and(|s| s != "signatures")
        })
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no fixture files in {}", dir.display());
    let mut out = Vec::new();
    for file in &files {
        let shown = file
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        out.extend(cases(file).into_iter().map(|case| (shown.clone(), case)));
    }
    out
}

/// The operation a case is for, as `module::Action`.
fn operation_of(case: &Value) -> (&str, &str) {
    (
        case["module"].as_str().unwrap_or_default(),
        case["action"].as_str().unwrap_or_default(),
    )
}

/// Builds a case's request with the generated SDK, through the operation's entry in the
/// generated catalog.
fn our_params(module: &str, action: &str, request: &Value) -> Result<Params, String> {
    let entry = catalog::find(&OPERATIONS, module, action)?;
    let request = (entry.load_request)(request).map_err(|e| e.to_string())?;
    Ok(request.params())
}

/// The operations of the specs no fixture records, printed: they are not compared with the
/// official SDK.
fn report_uncovered(cases: &[(String, Value)]) -> Vec<String> {
    let specs = specs::workspace_specs().unwrap_or_else(|e| panic!("{e}"));
    let uncovered: Vec<String> = specs::operations(&specs)
        .iter()
        .filter(|op| {
            !cases
                .iter()
                .any(|(_, c)| operation_of(c) == (op.module(), op.action()))
        })
        .map(|op| op.name())
        .collect();
    if !uncovered.is_empty() {
        println!(
            "conformance: no official-SDK fixture for {} operation(s), not compared: {}",
            uncovered.len(),
            uncovered.join(", ")
        );
    }
    uncovered
}

/// `[["k", "v"], ...]` as sorted pairs; booleans written the Python way become `true`/`false`.
fn official(list: Option<&Value>) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = list
        .and_then(Value::as_array)
        .map(|items| {
            items
                .iter()
                .filter_map(|pair| {
                    let k = pair.get(0)?.as_str()?.to_owned();
                    let v = match pair.get(1)? {
                        Value::String(s) if s == "True" => "true".to_owned(),
                        Value::String(s) if s == "False" => "false".to_owned(),
                        Value::String(s) => s.clone(),
                        other => other.to_string(),
                    };
                    Some((k, v))
                })
                .collect()
        })
        .unwrap_or_default();
    out.sort();
    out
}

fn sorted(list: Pairs<'_>) -> Vec<(String, String)> {
    let mut out = list.to_vec();
    out.sort();
    out
}

#[test]
fn requests_match_the_official_sdk_parameter_for_parameter() {
    let cases = all_cases();
    let mut checked = 0;
    let mut failures = Vec::new();
    for (file, case) in &cases {
        let (module, action) = operation_of(case);
        let name = format!(
            "{file}: {module}::{action} {}",
            case["name"].as_str().unwrap_or("?")
        );
        let ours = match our_params(module, action, &case["request"]) {
            Ok(p) => p,
            Err(e) => {
                failures.push(format!("{name}: {e}"));
                continue;
            }
        };
        let (want_query, want_body) = (official(case.get("query")), official(case.get("body")));
        let (got_query, got_body) = (sorted(ours.query_pairs()), sorted(ours.body_pairs()));
        if got_query != want_query {
            failures.push(format!(
                "{name}: query differs\n  official: {want_query:?}\n  ours:     {got_query:?}"
            ));
        }
        if got_body != want_body {
            failures.push(format!(
                "{name}: form body differs\n  official: {want_body:?}\n  ours:     {got_body:?}"
            ));
        }
        checked += 1;
    }
    println!("conformance: {checked} requests checked against the official SDK's fixtures");
    report_uncovered(&cases);
    assert!(
        failures.is_empty(),
        "{} of {} cases differ:\n{}",
        failures.len(),
        checked + failures.len(),
        failures.join("\n")
    );
    assert!(checked > 0, "no case was checked");
}

/// A fixture for an operation the specs do not declare is a failure, named by its file.
#[test]
fn every_fixture_is_for_an_operation_of_the_specs() {
    let specs = specs::workspace_specs().unwrap_or_else(|e| panic!("{e}"));
    let spec_operations = specs::operations(&specs);
    let strays: Vec<String> = all_cases()
        .iter()
        .filter(|(_, case)| {
            let (module, action) = operation_of(case);
            !spec_operations
                .iter()
                .any(|op| (op.module(), op.action()) == (module, action))
        })
        .map(|(file, case)| {
            let (module, action) = operation_of(case);
            format!("{file}: {module}::{action}")
        })
        .collect();
    assert!(
        strays.is_empty(),
        "fixtures for operations no spec declares (remove or re-record them): {strays:?}"
    );
}

/// Every documented request parameter (and every field of a list-of-objects parameter) of an
/// operation with fixtures is set in at least one of its recorded cases, so the comparison above
/// leaves none of its parameters untested. Operations without fixtures are listed, not failed.
#[test]
fn fixtures_cover_every_documented_parameter() {
    let all_cases = all_cases();
    let specs = specs::workspace_specs().unwrap_or_else(|e| panic!("{e}"));
    let mut missing = Vec::new();
    let mut covered = 0;
    for op in specs::operations(&specs) {
        let requests: Vec<&Value> = all_cases
            .iter()
            .filter(|(_, c)| operation_of(c) == (op.module(), op.action()))
            .map(|(_, c)| &c["request"])
            .collect();
        if requests.is_empty() {
            continue;
        }
        covered += 1;
        let action = op.action();
        for param in op.request() {
            let name = param["name"].as_str().unwrap_or_default();
            if !requests.iter().any(|r| r.get(name).is_some()) {
                missing.push(format!("{action}.{name}"));
                continue;
            }
            let item = match &param["items"] {
                serde_yaml::Value::String(s) => s.clone(),
                other => other["type"].as_str().unwrap_or_default().to_owned(),
            };
            for field in op.spec.shape(&item)["fields"]
                .as_sequence()
                .into_iter()
                .flatten()
            {
                let field = field["name"].as_str().unwrap_or_default();
                let set = requests.iter().any(|r| {
                    r.get(name)
                        .and_then(Value::as_array)
                        .is_some_and(|items| items.iter().any(|i| i.get(field).is_some()))
                });
                if !set {
                    missing.push(format!("{action}.{name}.N.{field}"));
                }
            }
        }
    }
    let uncovered = report_uncovered(&all_cases);
    println!(
        "conformance: {covered} operation(s) with fixtures, {} without",
        uncovered.len()
    );
    assert!(
        missing.is_empty(),
        "parameters no recorded case sets: {missing:?}"
    );
}

/// A generated request loaded from a case, written as the client writes any request.
pub(crate) struct Loaded(pub(crate) Box<dyn catalog::CatalogRequest>);

impl acs_runtime::wire::WriteParams for Loaded {
    fn write_params(&self, params: &mut Params) {
        self.0.write_params(params);
    }
}

/// Any answer: the unsigned calls are judged by what they send.
#[derive(Debug, Default, serde::Deserialize)]
pub(crate) struct AnyAnswer {}

impl acs_runtime::OperationOutput for AnyAnswer {
    fn set_meta(&mut self, _: acs_runtime::ResponseMeta) {}
}

#[derive(Debug)]
pub(crate) struct AnyError(acs_runtime::ServiceError);

impl std::fmt::Display for AnyError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

impl std::error::Error for AnyError {}

impl acs_runtime::OperationError for AnyError {
    fn from_service(err: acs_runtime::ServiceError) -> Self {
        AnyError(err)
    }
    fn service_error(&self) -> &acs_runtime::ServiceError {
        &self.0
    }
}

fn pairs_of(list: &Value) -> Vec<(String, String)> {
    list.as_array()
        .into_iter()
        .flatten()
        .filter_map(|pair| {
            Some((
                pair.get(0)?.as_str()?.to_owned(),
                pair.get(1)?.as_str()?.to_owned(),
            ))
        })
        .collect()
}

/// The unsigned operations (cases with `common_query`, recorded from the official SDK's anonymous
/// RPC path) go whole as the official SDK sends them: the method, the common parameters
/// (`Action`, `Format`, `Version`, `Timestamp`, `SignatureNonce`) in the query beside the
/// operation's own, the same `x-acs-*` headers and no other, and no signature at all.
#[tokio::test]
async fn unsigned_calls_go_whole_as_the_official_sdk_sends_them() {
    use std::sync::Arc;

    use acs_runtime::credentials::CredentialsChain;
    use acs_runtime::http::{HttpResponse, InMemoryTransport};

    let mut checked = 0;
    let mut failures = Vec::new();
    for (file, case) in all_cases()
        .iter()
        .filter(|(_, c)| c.get("common_query").is_some())
    {
        let (module, action) = operation_of(case);
        let name = format!(
            "{file}: {module}::{action} {}",
            case["name"].as_str().unwrap_or("?")
        );
        let common = pairs_of(&case["common_query"]);
        let value_of = |key: &str| {
            common
                .iter()
                .find(|(k, _)| k == key)
                .map(|(_, v)| v.clone())
                .unwrap_or_else(|| panic!("{name}: no {key} in common_query"))
        };
        let date = time::OffsetDateTime::parse(
            &value_of("Timestamp"),
            &time::format_description::well_known::Rfc3339,
        )
        .unwrap_or_else(|e| panic!("{name}: {e}"));
        let nonce = value_of("SignatureNonce");
        let entry = catalog::find(&OPERATIONS, module, action).unwrap_or_else(|e| panic!("{e}"));
        let request =
            (entry.load_request)(&case["request"]).unwrap_or_else(|e| panic!("{name}: {e}"));
        let transport = Arc::new(InMemoryTransport::from_fn(|_| {
            Ok(HttpResponse::new(200, "{}"))
        }));
        let config = acs_runtime::Config::builder()
            .region("cn-hangzhou")
            .transport(transport.clone())
            .clock(move || std::time::SystemTime::from(date))
            .nonce_source(move || nonce.clone())
            // No provider: a call that asked for credentials would fail.
            .credentials_provider(Arc::new(CredentialsChain::new()))
            .build()
            .unwrap_or_else(|e| panic!("{e}"));
        let client = acs_runtime::Client::new(entry.service, config);
        if let Err(e) = client
            .invoke::<_, AnyAnswer, AnyError>(entry.operation, &Loaded(request))
            .await
        {
            failures.push(format!("{name}: {e}"));
            continue;
        }
        let sent = transport.requests();
        let Some(ours) = sent.first() else {
            failures.push(format!("{name}: nothing sent"));
            continue;
        };
        let (before_query, query) = ours.url.split_once('?').unwrap_or((&ours.url, ""));
        let path = before_query
            .split_once("://")
            .and_then(|(_, rest)| rest.find('/').map(|at| &rest[at..]))
            .unwrap_or("/");
        if ours.method != case["method"].as_str().unwrap_or_default() {
            failures.push(format!(
                "{name}: method {} where the official SDK sends {}",
                ours.method, case["method"]
            ));
        }
        if path != case["path"].as_str().unwrap_or_default() {
            failures.push(format!("{name}: path {path}"));
        }
        let mut want: Vec<(String, String)> = common.clone();
        want.extend(pairs_of(&case["query"]));
        want.sort();
        let mut got: Vec<(String, String)> = form_urlencoded::parse(query.as_bytes())
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect();
        got.sort();
        if got != want {
            failures.push(format!(
                "{name}: query differs\n  official: {want:?}\n  ours:     {got:?}"
            ));
        }
        let official_headers = case["headers"].as_object().cloned().unwrap_or_default();
        for (header, value) in &official_headers {
            if ours.header(header) != value.as_str() {
                failures.push(format!(
                    "{name}: header {header} is {:?}, the official SDK sends {value}",
                    ours.header(header)
                ));
            }
        }
        for (header, _) in &ours.headers {
            let signing = header.starts_with("x-acs-") || header == "authorization";
            if signing && !official_headers.contains_key(header) {
                failures.push(format!(
                    "{name}: header {header}, which the official SDK does not send"
                ));
            }
        }
        if ours.body.as_ref() != case["encoded_body"].as_str().unwrap_or_default().as_bytes() {
            failures.push(format!("{name}: body {:?}", ours.body));
        }
        checked += 1;
    }
    println!("conformance: {checked} unsigned calls checked whole against the official SDK");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(checked >= 2, "only {checked} unsigned calls checked");
}
