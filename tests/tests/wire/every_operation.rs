//! Every operation of the five products against the official Python SDKs' wire, with no Python:
//! `tests/conformance/record_all.py` drew a few seeded cases per operation from the specs and
//! recorded what the pinned official SDK sent for each (`tests/conformance/fixtures/every_operation/`).
//! Here each case is loaded into the generated request type (JSON under wire names, through the
//! generated catalog), sent by the client to an in-memory transport, and what it sent (method,
//! query and form-body pairs, the headers naming the operation) is compared with the recording.
//! Pairs are compared as a set per place (query or body): the order does not reach the service,
//! whose signature sorts them.
//!
//! What still differs is listed by class in `tests/conformance/every_operation_differences.json`,
//! each with why it is the official SDK's doing and not ours. A difference not listed fails, and
//! so does a listed one that no longer occurs, so that the list stays true. The test prints, per
//! product, the operations and cases, how many are identical, and the differences by class.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use acs_runtime::catalog::{self, Entry};
use acs_runtime::credentials::Credentials;
use acs_runtime::http::{HttpRequest, HttpResponse, InMemoryTransport};
use acs_runtime::retry::RetryPolicy;
use serde_json::Value;

use crate::conformance::{AnyAnswer, AnyError, Loaded};

/// The generated operations: the one place this test names the SDK's paths.
fn generated_operations() -> &'static [Entry] {
    &acs_catalog::OPERATIONS
}

/// The products recorded, by module (one fixture file each).
const PRODUCTS: &[&str] = &["appstream_center", "ecs", "ens", "sts", "swas_open"];

fn conformance_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("conformance")
}

/// One recorded case.
struct Case {
    module: String,
    action: String,
    name: String,
    request: Value,
    recorded: Value,
}

/// The header line of a product's file and its cases.
fn read_product(module: &str) -> (Value, Vec<Case>) {
    let path = conformance_dir()
        .join("fixtures/every_operation")
        .join(format!("{module}.jsonl"));
    let text = fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut lines = text.lines().enumerate().map(|(at, line)| {
        serde_json::from_str::<Value>(line)
            .unwrap_or_else(|e| panic!("{}:{}: {e}", path.display(), at + 1))
    });
    let header = lines
        .next()
        .unwrap_or_else(|| panic!("{}: empty", path.display()));
    let cases = lines
        .map(|line| Case {
            module: module.to_owned(),
            action: line["action"].as_str().unwrap_or_default().to_owned(),
            name: line["case"].as_str().unwrap_or_default().to_owned(),
            request: line["request"].clone(),
            recorded: line,
        })
        .collect();
    (header, cases)
}

/// What the client sent for `request`, with the recording's fixed date and nonce.
async fn send(entry: &Entry, request: &Value, fixed: &Value) -> Result<HttpRequest, String> {
    let loaded = (entry.load_request)(request).map_err(|e| e.to_string())?;
    let date = time::OffsetDateTime::parse(
        fixed["date"].as_str().unwrap_or_default(),
        &time::format_description::well_known::Rfc3339,
    )
    .map_err(|e| format!("the recording's date: {e}"))?;
    let nonce = fixed["nonce"].as_str().unwrap_or_default().to_owned();
    let transport = Arc::new(InMemoryTransport::from_fn(|_| {
        Ok(HttpResponse::new(200, "{}"))
    }));
    let config = acs_runtime::Config::builder()
        .credentials(Credentials::new("conformance-id", "conformance-secret"))
        .region("cn-hangzhou")
        .transport(transport.clone())
        .retry_policy(RetryPolicy::disabled())
        .clock(move || std::time::SystemTime::from(date))
        .nonce_source(move || nonce.clone())
        .build()
        .map_err(|e| e.to_string())?;
    let client = acs_runtime::Client::new(entry.service, config);
    client
        .invoke::<_, AnyAnswer, AnyError>(entry.operation, &Loaded(loaded))
        .await
        .map_err(|e| e.to_string())?;
    transport
        .requests()
        .into_iter()
        .next()
        .ok_or_else(|| "nothing was sent".to_owned())
}

/// Where a parameter went.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Place {
    Query,
    Body,
}

/// Each parameter's place and values, by name.
type Sent = BTreeMap<String, (Place, Vec<String>)>;

fn add_pairs(sent: &mut Sent, place: Place, pairs: impl IntoIterator<Item = (String, String)>) {
    for (name, value) in pairs {
        let slot = sent.entry(name).or_insert((place, Vec::new()));
        slot.1.push(value);
    }
}

fn recorded_pairs(list: &Value) -> Vec<(String, String)> {
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

fn official_sent(recorded: &Value) -> Sent {
    let mut sent = Sent::new();
    add_pairs(&mut sent, Place::Query, recorded_pairs(&recorded["query"]));
    add_pairs(&mut sent, Place::Body, recorded_pairs(&recorded["body"]));
    sent
}

fn our_sent(request: &HttpRequest) -> Sent {
    let decode = |bytes: &[u8]| -> Vec<(String, String)> {
        form_urlencoded::parse(bytes)
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect()
    };
    let mut sent = Sent::new();
    add_pairs(&mut sent, Place::Query, decode(request.query().as_bytes()));
    let form = request
        .header("content-type")
        .is_some_and(|c| c.starts_with("application/x-www-form-urlencoded"));
    if form {
        add_pairs(&mut sent, Place::Body, decode(&request.body));
    }
    sent
}

/// One difference: its class, where it is (`ecs::DescribePrice DataDisk.N.Size`, the numbers of
/// list items written `N`) and what it is.
#[derive(Debug)]
struct Difference {
    class: String,
    at: String,
    detail: String,
}

/// `Tag.3.Key` as `Tag.N.Key`.
fn pattern_of(name: &str) -> String {
    name.split('.')
        .map(|part| {
            if !part.is_empty() && part.bytes().all(|b| b.is_ascii_digit()) {
                "N"
            } else {
                part
            }
        })
        .collect::<Vec<_>>()
        .join(".")
}

/// Whether the wire name `name` is (part of) a parameter the pinned model lacks: the recording
/// lists those as paths without item numbers (`SystemDisk.Foo`, `Tag.Foo`).
fn model_lacks(recorded: &Value, name: &str) -> bool {
    let wire: Vec<&str> = name
        .split('.')
        .filter(|part| !part.bytes().all(|b| b.is_ascii_digit()))
        .collect();
    recorded["model_lacks"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .any(|path| {
            let path: Vec<&str> = path.split('.').collect();
            let n = path.len().min(wire.len());
            path[..n] == wire[..n]
        })
}

/// The class of two different values of one parameter.
fn value_class(official: &[String], ours: &[String]) -> &'static str {
    if official.len() != ours.len() {
        return "value";
    }
    let same = |test: &dyn Fn(&str, &str) -> bool| {
        official.iter().zip(ours).all(|(o, w)| o == w || test(o, w))
    };
    if same(&|o, w| (o == "True" && w == "true") || (o == "False" && w == "false")) {
        return "python-boolean-text";
    }
    if same(&|o, w| matches!((o.parse::<f64>(), w.parse::<f64>()), (Ok(a), Ok(b)) if a == b)) {
        return "python-float-text";
    }
    let json = |text: &str| {
        serde_json::from_str::<Value>(text)
            .ok()
            .map(|v| numbers_as_f64(&v))
    };
    // serde_json's maps compare without regard to order.
    if same(&|o, w| matches!((json(o), json(w)), (Some(a), Some(b)) if a == b)) {
        return "json-key-order";
    }
    if same(
        &|o, w| matches!((json(o), json(w)), (Some(a), Some(b)) if without_empty_lists_absent_from(&a, &b) == b),
    ) {
        return "python-writes-unset-lists-as-empty";
    }
    "value"
}

/// A JSON value with every number as a float, so that `3.0` and `3` compare equal.
fn numbers_as_f64(value: &Value) -> Value {
    match value {
        Value::Number(n) => n
            .as_f64()
            .and_then(serde_json::Number::from_f64)
            .map_or(Value::Null, Value::Number),
        Value::Array(items) => Value::Array(items.iter().map(numbers_as_f64).collect()),
        Value::Object(map) => Value::Object(
            map.iter()
                .map(|(k, v)| (k.clone(), numbers_as_f64(v)))
                .collect(),
        ),
        other => other.clone(),
    }
}

/// `official` without the empty lists it holds where `ours` holds nothing: the official models'
/// `to_map` writes `result['Name'] = []` for a list field before it looks whether it is set.
fn without_empty_lists_absent_from(official: &Value, ours: &Value) -> Value {
    match (official, ours) {
        (Value::Object(theirs), Value::Object(mine)) => Value::Object(
            theirs
                .iter()
                .filter(|(k, v)| mine.contains_key(*k) || !v.as_array().is_some_and(Vec::is_empty))
                .map(|(k, v)| {
                    let kept = mine
                        .get(k)
                        .map_or_else(|| v.clone(), |m| without_empty_lists_absent_from(v, m));
                    (k.clone(), kept)
                })
                .collect(),
        ),
        (Value::Array(theirs), Value::Array(mine)) if theirs.len() == mine.len() => Value::Array(
            theirs
                .iter()
                .zip(mine)
                .map(|(t, m)| without_empty_lists_absent_from(t, m))
                .collect(),
        ),
        _ => official.clone(),
    }
}

/// The differences of one case, classed.
fn compare(entry: &Entry, case: &Case, ours: &HttpRequest) -> Vec<Difference> {
    let operation = format!("{}::{}", case.module, case.action);
    let mut out = Vec::new();
    let mut differ = |class: &str, at: String, detail: String| {
        out.push(Difference {
            class: class.to_owned(),
            at,
            detail,
        })
    };
    let recorded = &case.recorded;
    let method = recorded["method"].as_str().unwrap_or_default();
    if ours.method != method {
        differ(
            "method",
            operation.clone(),
            format!("{} where the official SDK sends {method}", ours.method),
        );
    }
    for header in ["x-acs-action", "x-acs-version", "content-type"] {
        let theirs = recorded["headers"][header].as_str();
        let ours = ours.header(header);
        // The content type says how a body is encoded; without a body it says nothing.
        let no_body = recorded["encoded_body"].as_str().is_none_or(str::is_empty);
        if header == "content-type" && no_body {
            continue;
        }
        if theirs != ours {
            differ(
                "header",
                format!("{operation} {header}"),
                format!("{ours:?} where the official SDK sends {theirs:?}"),
            );
        }
    }
    let official = official_sent(recorded);
    let ours = our_sent(ours);
    let names: BTreeSet<&String> = official.keys().chain(ours.keys()).collect();
    for name in names {
        let at = format!("{operation} {}", pattern_of(name));
        match (official.get(name), ours.get(name)) {
            (Some(theirs), None)
                if case.request.get(name).is_none() && theirs.1.iter().all(|v| v == "[]") =>
            {
                differ(
                    "python-writes-unset-lists-as-empty",
                    at,
                    format!("{name}={:?}", theirs.1),
                )
            }
            (Some(theirs), None) => differ(
                "sent-only-by-the-official-sdk",
                at,
                format!("{name}={:?}", theirs.1),
            ),
            (None, Some(mine)) if model_lacks(recorded, name) => differ(
                "parameter-the-pinned-model-lacks",
                at,
                format!("{name}={:?}", mine.1),
            ),
            (None, Some(_))
                if entry.operation.idempotency_token == Some(name.as_str())
                    && case.request.get(name).is_none() =>
            {
                differ("filled-client-token", at, name.clone())
            }
            (None, Some(mine)) => differ("sent-only-by-us", at, format!("{name}={:?}", mine.1)),
            (Some(theirs), Some(mine)) => {
                if theirs.0 != mine.0 {
                    differ(
                        "place",
                        at.clone(),
                        format!(
                            "{:?} where the official SDK sends it in the {:?}",
                            mine.0, theirs.0
                        ),
                    );
                }
                if theirs.1 != mine.1 {
                    differ(
                        value_class(&theirs.1, &mine.1),
                        at,
                        format!("{name}: official {:?}, ours {:?}", theirs.1, mine.1),
                    );
                }
            }
            (None, None) => {}
        }
    }
    out
}

/// The checked-in list of what may differ: per class, why, and where (`everywhere` for a class
/// that is the official SDK's text of a value, whatever the parameter).
struct Expected {
    everywhere: BTreeSet<String>,
    at: BTreeMap<String, BTreeSet<String>>,
}

fn expected() -> Expected {
    let path = conformance_dir().join("every_operation_differences.json");
    let text = fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let value: Value =
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut everywhere = BTreeSet::new();
    let mut at = BTreeMap::new();
    for (class, entry) in value["classes"].as_object().into_iter().flatten() {
        assert!(
            entry["why"].as_str().is_some_and(|why| !why.is_empty()),
            "{}: class {class} says not why it is the official SDK's doing",
            path.display()
        );
        if entry["everywhere"].as_bool() == Some(true) {
            everywhere.insert(class.clone());
        }
        let places: BTreeSet<String> = entry["where"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|w| w.as_str().map(str::to_owned))
            .collect();
        at.insert(class.clone(), places);
    }
    Expected { everywhere, at }
}

/// Per product: operations, cases, identical ones, and the cases of each class of difference.
#[derive(Default)]
struct Tally {
    operations: BTreeSet<String>,
    operations_differing: BTreeSet<String>,
    cases: usize,
    identical_cases: usize,
    by_class: BTreeMap<String, usize>,
}

#[tokio::test]
async fn every_operation_sends_what_the_official_sdk_sends() {
    if !acs_test_gateway::specs::has_imported_specs() {
        // A scratch copy of the workspace without the imported specs (the new-product test)
        // generates none of the imported operations the fixtures record.
        println!("every operation: no imported specs here, nothing compared");
        return;
    }
    let expected = expected();
    let mut unexpected = Vec::new();
    let mut seen: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut tallies: BTreeMap<&str, Tally> = BTreeMap::new();
    for module in PRODUCTS {
        let (header, cases) = read_product(module);
        let tally = tallies.entry(module).or_default();
        for case in &cases {
            let name = format!("{}::{} {}", case.module, case.action, case.name);
            let operation = format!("{}::{}", case.module, case.action);
            tally.operations.insert(operation.clone());
            tally.cases += 1;
            let entry = match catalog::find(generated_operations(), module, &case.action) {
                Ok(entry) => entry,
                Err(e) => {
                    unexpected.push(format!("{name}: {e}"));
                    continue;
                }
            };
            let ours = match send(entry, &case.request, &header["fixed"]).await {
                Ok(ours) => ours,
                Err(e) => {
                    unexpected.push(format!("{name}: not sent: {e}"));
                    tally.operations_differing.insert(operation);
                    continue;
                }
            };
            let differences = if case.recorded.get("official_error").is_some() {
                vec![Difference {
                    class: "the-official-sdk-cannot-send-it".to_owned(),
                    at: operation.clone(),
                    detail: case.recorded["official_error"].to_string(),
                }]
            } else {
                compare(entry, case, &ours)
            };
            if differences.is_empty() {
                tally.identical_cases += 1;
                continue;
            }
            tally.operations_differing.insert(operation);
            let classes: BTreeSet<&String> = differences.iter().map(|d| &d.class).collect();
            for class in classes {
                *tally.by_class.entry(class.clone()).or_default() += 1;
            }
            for difference in differences {
                let listed = expected.everywhere.contains(&difference.class)
                    || expected
                        .at
                        .get(&difference.class)
                        .is_some_and(|places| places.contains(&difference.at));
                if !listed {
                    unexpected.push(format!(
                        "{name}: [{}] {}: {}",
                        difference.class, difference.at, difference.detail
                    ));
                }
                seen.entry(difference.class)
                    .or_default()
                    .insert(difference.at);
            }
        }
    }

    let mut total = Tally::default();
    for (module, tally) in &tallies {
        let operations = tally.operations.len();
        println!(
            "every operation: {module}: {operations} operations, {} cases; identical: {} cases, {} operations; cases differing by class: {:?}",
            tally.cases,
            tally.identical_cases,
            operations - tally.operations_differing.len(),
            tally.by_class
        );
        total.operations.extend(tally.operations.iter().cloned());
        total.cases += tally.cases;
    }

    // Every listed difference still occurs.
    let mut stale = Vec::new();
    for (class, places) in &expected.at {
        let occurring = seen.get(class);
        if occurring.is_none() {
            stale.push(format!("class {class} occurs nowhere"));
            continue;
        }
        for place in places {
            if !occurring.is_some_and(|o| o.contains(place)) {
                stale.push(format!("[{class}] {place} no longer differs"));
            }
        }
    }

    // Every generated operation of the five products is recorded.
    let unrecorded: Vec<String> = generated_operations()
        .iter()
        .filter(|entry| PRODUCTS.contains(&entry.module))
        .map(Entry::name)
        .filter(|name| !total.operations.contains(name))
        .collect();
    assert!(
        unrecorded.is_empty(),
        "operations no fixture records (run tests/conformance/record_all.py): {unrecorded:?}"
    );
    assert!(
        total.operations.len() >= 798,
        "only {} operations",
        total.operations.len()
    );
    assert!(
        unexpected.is_empty(),
        "{} difference(s) from the official SDK not listed in tests/conformance/every_operation_differences.json:\n{}",
        unexpected.len(),
        unexpected.join("\n")
    );
    assert!(
        stale.is_empty(),
        "listed differences that no longer occur (remove them from tests/conformance/every_operation_differences.json):\n{}",
        stale.join("\n")
    );
}
