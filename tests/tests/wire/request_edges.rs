//! Request parameters that break naive encoders: `&`, `=`, `%`, `+`, `#`, line breaks, emoji,
//! NUL, 64 KiB strings, empty strings, lists of one and of many, lists longer than documented,
//! numbers at and beyond their limits, for every parameter of every operation.
//!
//! Each case is either encoded exactly or rejected before anything is sent with a `BuildError`
//! naming the parameter and the limit it broke. "Exactly" is judged by an oracle written here
//! from the specs and the wire rules (`specs/README.md`): the parameters the request writes
//! (`Params`) must be the pairs the oracle derives, and the canonical query and form body must be
//! what an RFC 3986 encoder written here makes of them. Which cases must be rejected is derived
//! from the specs' `limits` the same way.
//!
//! The bulk of the cases load requests from JSON under their wire names (the serde form every
//! request has) and check them with `validate()`, the same check `build()` runs; typed builder
//! cases confirm `build()` agrees. Whole calls then go through an in-memory transport (the URL
//! and body sent must be the encoder's) and through the local gateway, which checks the V3 and V2
//! signatures of requests full of such values and decodes the parameters back.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

use acs_runtime::SdkError;
use acs_runtime::catalog;
use acs_runtime::credentials::Credentials;
use acs_runtime::http::{HttpResponse, InMemoryTransport, TransportErrorKind};
use acs_runtime::retry::RetryPolicy;
use acs_runtime::sign::SignatureVersion;
use acs_runtime::validate::BuildError;
use acs_runtime::wire::{self, Params, WriteParams};
use acs_sdk::catalog::OPERATIONS;
use acs_sdk::{appstream_center, ecs, ens, swas_open};
use acs_test_gateway::specs;
use serde_json::{Value, json};

// ---------------------------------------------------------------------------------------------
// The independent encoders.
// ---------------------------------------------------------------------------------------------

/// RFC 3986 percent-encoding of UTF-8: only `A-Z a-z 0-9 - _ . ~` stay as they are; every other
/// byte becomes `%XX` in upper-case hex.
fn rfc3986(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'_' | b'.' | b'~') {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// Pairs sorted by name (byte order), each side encoded, joined `name=value` with `&`.
fn canonical(pairs: &[(String, String)]) -> String {
    let mut sorted: Vec<&(String, String)> = pairs.iter().collect();
    sorted.sort_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
    sorted
        .iter()
        .map(|(name, value)| format!("{}={}", rfc3986(name), rfc3986(value)))
        .collect::<Vec<_>>()
        .join("&")
}

/// A JSON string literal: `"` and `\` escaped, `\b \f \n \r \t` by name, other control
/// characters as `\u00xx`; everything else, non-ASCII included, as it is.
fn json_string(text: &str) -> String {
    let mut out = String::from("\"");
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            c if u32::from(c) < 0x20 => out.push_str(&format!("\\u{:04x}", u32::from(c))),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

// ---------------------------------------------------------------------------------------------
// The specs, as far as the wire is concerned.
// ---------------------------------------------------------------------------------------------

#[derive(Debug, Clone, Default)]
struct Limits {
    min_length: Option<usize>,
    max_length: Option<usize>,
    ascii: bool,
    min: Option<i64>,
    max: Option<i64>,
    min_items: Option<usize>,
    max_items: Option<usize>,
}

#[derive(Debug, Clone)]
enum Ty {
    Str,
    Int,
    Long,
    Double,
    Bool,
    Shape(String),
    Array(Box<Ty>, Limits),
}

#[derive(Debug, Clone)]
struct Field {
    name: String,
    ty: Ty,
    style: Option<String>,
    body: bool,
    required: bool,
    limits: Limits,
}

#[derive(Debug)]
struct Operation {
    module: String,
    action: String,
    params: Vec<Field>,
    shapes: BTreeMap<String, Vec<Field>>,
}

fn limits_of(v: Option<&serde_yaml::Value>) -> Limits {
    let Some(v) = v else {
        return Limits::default();
    };
    let n = |k: &str| v.get(k).and_then(serde_yaml::Value::as_i64);
    let u = |k: &str| n(k).and_then(|x| usize::try_from(x).ok());
    Limits {
        min_length: u("min_length"),
        max_length: u("max_length"),
        ascii: v
            .get("ascii")
            .and_then(serde_yaml::Value::as_bool)
            .unwrap_or(false),
        min: n("min"),
        max: n("max"),
        min_items: u("min_items"),
        max_items: u("max_items"),
    }
}

fn ty_of(name: &str, shapes: &BTreeMap<String, serde_yaml::Value>) -> Ty {
    match name {
        "string" => Ty::Str,
        "integer" => Ty::Int,
        "long" => Ty::Long,
        "double" => Ty::Double,
        "boolean" => Ty::Bool,
        shape if shapes.contains_key(shape) => Ty::Shape(shape.to_owned()),
        other => panic!("unknown type `{other}` in a spec"),
    }
}

fn field_of(v: &serde_yaml::Value, shapes: &BTreeMap<String, serde_yaml::Value>) -> Field {
    let s = |k: &str| {
        v.get(k)
            .and_then(serde_yaml::Value::as_str)
            .map(str::to_owned)
    };
    let ty_name = s("type").unwrap_or_default();
    let ty = if ty_name == "array" {
        let items = v.get("items");
        let (item_ty, item_limits) = match items {
            Some(serde_yaml::Value::String(name)) => (ty_of(name, shapes), Limits::default()),
            Some(map) => (
                ty_of(
                    map.get("type")
                        .and_then(serde_yaml::Value::as_str)
                        .unwrap_or_default(),
                    shapes,
                ),
                limits_of(map.get("limits")),
            ),
            None => panic!("an array without items"),
        };
        Ty::Array(Box::new(item_ty), item_limits)
    } else {
        ty_of(&ty_name, shapes)
    };
    Field {
        name: s("name").unwrap_or_default(),
        ty,
        style: s("style"),
        body: s("location").as_deref() == Some("body"),
        required: v
            .get("required")
            .and_then(serde_yaml::Value::as_bool)
            .unwrap_or(false),
        limits: limits_of(v.get("limits")),
    }
}

/// Every operation of every spec, with the shapes of its product.
fn operations() -> Vec<Operation> {
    let specs = specs::workspace_specs().unwrap_or_else(|e| panic!("{e}"));
    let mut out = Vec::new();
    for spec in &specs {
        let raw_shapes: BTreeMap<String, serde_yaml::Value> = spec
            .shape_names()
            .into_iter()
            .map(|name| (name.to_owned(), spec.shape(name).clone()))
            .collect();
        let shapes: BTreeMap<String, Vec<Field>> = raw_shapes
            .iter()
            .map(|(name, shape)| {
                let fields = shape
                    .get("fields")
                    .and_then(serde_yaml::Value::as_sequence)
                    .map(|fs| fs.iter().map(|f| field_of(f, &raw_shapes)).collect())
                    .unwrap_or_default();
                (name.clone(), fields)
            })
            .collect();
        for op in spec.operations() {
            out.push(Operation {
                module: op.module().to_owned(),
                action: op.action().to_owned(),
                params: op
                    .request()
                    .iter()
                    .map(|p| field_of(p, &raw_shapes))
                    .collect(),
                shapes: shapes.clone(),
            });
        }
    }
    out
}

// ---------------------------------------------------------------------------------------------
// The oracle: what a request given as JSON must put on the wire, or why it must be refused.
// ---------------------------------------------------------------------------------------------

/// Parameter names and values, un-encoded.
type Pairs = Vec<(String, String)>;

/// A limit a value breaks: the parameter's wire name and a word the error must contain.
#[derive(Debug, Clone, PartialEq)]
struct Violation {
    parameter: String,
    mentions: String,
}

fn scalar_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        other => panic!("not a scalar: {other}"),
    }
}

fn check_scalar(name: &str, v: &Value, l: &Limits, out: &mut Vec<Violation>) {
    let mut broke = |limit: String| {
        out.push(Violation {
            parameter: name.to_owned(),
            mentions: limit,
        });
    };
    if let Value::String(s) = v {
        let len = s.chars().count();
        if let Some(min) = l.min_length.filter(|m| len < *m) {
            broke(min.to_string());
        }
        if let Some(max) = l.max_length.filter(|m| len > *m) {
            broke(max.to_string());
        }
        if l.ascii && !s.is_ascii() {
            broke("ASCII".to_owned());
        }
    }
    if let Some(x) = v.as_f64() {
        if let Some(min) = l.min.filter(|m| x < *m as f64) {
            broke(min.to_string());
        }
        if let Some(max) = l.max.filter(|m| x > *m as f64) {
            broke(max.to_string());
        }
    }
}

impl Operation {
    /// Appends the pairs of `field` holding `v` under `name` (the field's name, or a prefix).
    fn write(
        &self,
        name: &str,
        field: &Field,
        ty: &Ty,
        v: &Value,
        out: &mut Vec<(String, String)>,
    ) {
        match (ty, v) {
            (Ty::Shape(shape), Value::Object(map)) => {
                for f in &self.shapes[shape] {
                    if let Some(fv) = map.get(&f.name) {
                        self.write(&format!("{name}.{}", f.name), f, &f.ty, fv, out);
                    }
                }
            }
            (Ty::Array(item, _), Value::Array(items)) => {
                // A top-level JSON or comma list that is set but empty is sent empty, as the
                // official SDKs send it (`Name=[]`, `Name=`); every other empty list sends nothing.
                if items.is_empty() {
                    let top_level = name == field.name;
                    match field.style.as_deref() {
                        Some("comma") if top_level => out.push((name.to_owned(), String::new())),
                        Some("json") if top_level => out.push((name.to_owned(), "[]".to_owned())),
                        _ => {}
                    }
                    return;
                }
                match field.style.as_deref() {
                    Some("comma") => out.push((
                        name.to_owned(),
                        items.iter().map(scalar_text).collect::<Vec<_>>().join(","),
                    )),
                    Some("json") => {
                        let parts: Vec<String> = items
                            .iter()
                            .map(|i| match i {
                                Value::String(s) => json_string(s),
                                other => scalar_text(other),
                            })
                            .collect();
                        out.push((name.to_owned(), format!("[{}]", parts.join(","))));
                    }
                    _ => {
                        for (i, iv) in items.iter().enumerate() {
                            self.write(&format!("{name}.{}", i + 1), field, item, iv, out);
                        }
                    }
                }
            }
            (_, scalar) => out.push((name.to_owned(), scalar_text(scalar))),
        }
    }

    fn check(&self, name: &str, field: &Field, ty: &Ty, v: &Value, out: &mut Vec<Violation>) {
        match (ty, v) {
            (Ty::Shape(shape), Value::Object(map)) => {
                for f in &self.shapes[shape] {
                    if let Some(fv) = map.get(&f.name) {
                        self.check(&format!("{name}.{}", f.name), f, &f.ty, fv, out);
                    }
                }
            }
            (Ty::Array(item, item_limits), Value::Array(items)) => {
                let l = &field.limits;
                let count = |n: usize| Violation {
                    parameter: name.to_owned(),
                    mentions: n.to_string(),
                };
                if let Some(min) = l.min_items.filter(|m| items.len() < *m) {
                    out.push(count(min));
                }
                if let Some(max) = l.max_items.filter(|m| items.len() > *m) {
                    out.push(count(max));
                }
                for (i, iv) in items.iter().enumerate() {
                    let item_name = format!("{name}.{}", i + 1);
                    match item.as_ref() {
                        Ty::Shape(_) => self.check(&item_name, field, item, iv, out),
                        _ => check_scalar(&item_name, iv, item_limits, out),
                    }
                }
            }
            (_, scalar) => check_scalar(name, scalar, &field.limits, out),
        }
    }

    /// The query and body pairs `request` must write, in declared order, or the limits it breaks.
    fn expect(&self, request: &Value) -> Result<(Pairs, Pairs), Vec<Violation>> {
        let mut violations = Vec::new();
        let (mut query, mut body) = (Vec::new(), Vec::new());
        for p in &self.params {
            let Some(v) = request.get(&p.name) else {
                continue;
            };
            self.check(&p.name, p, &p.ty, v, &mut violations);
            let out = if p.body { &mut body } else { &mut query };
            self.write(&p.name, p, &p.ty, v, out);
        }
        if violations.is_empty() {
            Ok((query, body))
        } else {
            Err(violations)
        }
    }
}

// ---------------------------------------------------------------------------------------------
// The generated request types, loaded from JSON and checked with the same `validate()` that
// `build()` runs.
// ---------------------------------------------------------------------------------------------

type Outcome = Result<Params, BuildError>;

fn params_of(request: &impl WriteParams) -> Params {
    let mut params = Params::new();
    request.write_params(&mut params);
    params
}

/// Loads `request` into the generated request type of `module::action`, found in the generated
/// catalog, and runs the checks `build()` runs.
fn through_validate(module: &str, action: &str, request: &Value) -> Outcome {
    let entry = catalog::find(OPERATIONS, module, action).unwrap_or_else(|e| panic!("{e}"));
    let loaded = (entry.load_request)(request).unwrap_or_else(|e| {
        panic!("{module}::{action}: the request does not load from {request}: {e}")
    });
    loaded.validate().map(|()| loaded.params())
}

// ---------------------------------------------------------------------------------------------
// The edge values.
// ---------------------------------------------------------------------------------------------

fn edge_strings() -> Vec<String> {
    let mut v: Vec<String> = [
        "a&b",
        "a=b",
        "100%",
        "%41%2",
        "a+b",
        "a b",
        "a#b",
        "a?b/c",
        "line\nbreak",
        "\r\n",
        "tab\there",
        "😀",
        "镜像名称",
        "nul\0byte",
        "",
        " ",
        "!*'();:@$,[]",
        "~-._",
        "\"quoted\"",
        "back\\slash",
        "[\"m-1\",\"m-2\"]",
        "\u{7f}\u{1}\u{1f}",
        "\u{feff}bom",
        "é",
    ]
    .iter()
    .map(|s| (*s).to_owned())
    .collect();
    v.push("x".repeat(64 * 1024));
    v.push("镜".repeat(64 * 1024 / 3));
    // Right at and just past the longest limit the specs give (64 characters).
    v.push("k".repeat(64));
    v.push("k".repeat(65));
    v
}

fn edge_numbers(ty: &Ty, l: &Limits) -> Vec<Value> {
    let mut v: Vec<i64> = vec![0, 1, -1];
    for bound in [l.min, l.max].into_iter().flatten() {
        v.extend([bound - 1, bound, bound + 1]);
    }
    match ty {
        Ty::Int => v.extend([i64::from(i32::MIN), i64::from(i32::MAX)]),
        Ty::Long => v.extend([i64::MIN, i64::MAX]),
        _ => {}
    }
    v.sort_unstable();
    v.dedup();
    let mut out: Vec<Value> = v
        .into_iter()
        .filter(|n| !matches!(ty, Ty::Int) || i32::try_from(*n).is_ok())
        .map(Value::from)
        .collect();
    if matches!(ty, Ty::Double) {
        out.extend([json!(0.1), json!(-2.5), json!(1e21), json!(5e-324)]);
    }
    out
}

/// A value of `ty` built from the `i`-th edge string or number.
fn sample_of(op: &Operation, ty: &Ty, strings: &[String], i: usize) -> Value {
    match ty {
        Ty::Str => Value::String(strings[i % strings.len()].clone()),
        Ty::Int | Ty::Long => Value::from(i as i64 - 3),
        Ty::Double => json!(i as f64 / 4.0),
        Ty::Bool => Value::Bool(i % 2 == 0),
        Ty::Shape(shape) => {
            let mut map = serde_json::Map::new();
            for (k, f) in op.shapes[shape].iter().enumerate() {
                map.insert(f.name.clone(), sample_of(op, &f.ty, strings, i + k));
            }
            Value::Object(map)
        }
        Ty::Array(item, _) => Value::Array(vec![sample_of(op, item, strings, i)]),
    }
}

/// The values one parameter is tried with.
fn values_for(op: &Operation, p: &Field, strings: &[String]) -> Vec<Value> {
    match &p.ty {
        Ty::Str => strings.iter().cloned().map(Value::String).collect(),
        Ty::Int | Ty::Long | Ty::Double => edge_numbers(&p.ty, &p.limits),
        Ty::Bool => vec![json!(true), json!(false)],
        Ty::Shape(_) => (0..strings.len())
            .map(|i| sample_of(op, &p.ty, strings, i))
            .collect(),
        Ty::Array(item, _) => {
            let mut out = Vec::new();
            // One item of each edge value.
            for i in 0..strings.len() {
                out.push(Value::Array(vec![sample_of(op, item, strings, i)]));
            }
            // Lists of many lengths: none, one, two, at and past the limit, and many.
            let mut lengths = vec![0, 1, 2, 1_000];
            for bound in [p.limits.min_items, p.limits.max_items]
                .into_iter()
                .flatten()
            {
                lengths.extend([bound.saturating_sub(1), bound, bound + 1]);
            }
            lengths.sort_unstable();
            lengths.dedup();
            for n in lengths {
                // Short, unremarkable items, so that only the length can break a limit.
                let items = (0..n)
                    .map(|i| match item.as_ref() {
                        Ty::Str => Value::String(format!("v-{i}")),
                        Ty::Shape(_) => sample_of(op, item, &[format!("v-{i}")], 0),
                        other => sample_of(op, other, strings, i),
                    })
                    .collect();
                out.push(Value::Array(items));
            }
            out
        }
    }
}

/// The smallest request: every required parameter set to a plain value.
fn baseline(op: &Operation) -> serde_json::Map<String, Value> {
    op.params
        .iter()
        .filter(|p| p.required)
        .map(|p| {
            (
                p.name.clone(),
                sample_of(op, &p.ty, &["cn-hangzhou".to_owned()], 3),
            )
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Judging one case.
// ---------------------------------------------------------------------------------------------

#[derive(Default)]
struct Tally {
    cases: usize,
    encoded: usize,
    rejected: usize,
    failures: Vec<String>,
}

fn show(v: &Value) -> String {
    let text = v.to_string();
    if text.len() > 100 {
        let mut end = 100;
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        format!("{}… ({} bytes)", &text[..end], text.len())
    } else {
        text
    }
}

impl Tally {
    fn judge(&mut self, op: &Operation, param: &str, request: &Value) {
        self.cases += 1;
        let label = format!("{} {param}={}", op.action, show(&request[param]));
        let expected = op.expect(request);
        let actual = through_validate(&op.module, &op.action, request);
        match (expected, actual) {
            (Ok((query, body)), Ok(params)) => {
                self.encoded += 1;
                if params.query() != query.as_slice() || params.body() != body.as_slice() {
                    self.failures.push(format!(
                        "{label}: wrote query {:?} body {:?}, expected query {:?} body {:?}",
                        short_pairs(params.query()),
                        short_pairs(params.body()),
                        short_pairs(&query),
                        short_pairs(&body)
                    ));
                    return;
                }
                let (q, want_q) = (wire::canonical_query(params.query()), canonical(&query));
                let (b, want_b) = (wire::form_body(params.body()), canonical(&body));
                if q != want_q || b != want_b {
                    self.failures.push(format!(
                        "{label}: canonical query {q:.200} / body {b:.200}, expected {want_q:.200} / {want_b:.200}"
                    ));
                }
            }
            (Err(violations), Err(e)) => {
                self.rejected += 1;
                let named = violations
                    .iter()
                    .any(|v| v.parameter == e.parameter && e.problem.contains(&v.mentions));
                if !named {
                    self.failures.push(format!(
                        "{label}: rejected with `{e}`, which names none of the broken limits {violations:?}"
                    ));
                }
                if e.to_string().len() > 1_000 {
                    self.failures.push(format!(
                        "{label}: the error repeats the value ({} bytes)",
                        e.to_string().len()
                    ));
                }
            }
            (Ok(_), Err(e)) => self.failures.push(format!(
                "{label}: rejected with `{e}`, though no documented limit is broken"
            )),
            (Err(violations), Ok(params)) => self.failures.push(format!(
                "{label}: accepted (query {:?}), though it breaks {violations:?}",
                short_pairs(params.query())
            )),
        }
    }
}

fn short_pairs(pairs: &[(String, String)]) -> Vec<(String, String)> {
    pairs
        .iter()
        .map(|(k, v)| {
            let shown = if v.len() > 60 {
                format!(
                    "{}… ({} bytes)",
                    v.chars().take(20).collect::<String>(),
                    v.len()
                )
            } else {
                v.clone()
            };
            (k.clone(), shown)
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// The tests.
// ---------------------------------------------------------------------------------------------

#[test]
fn every_parameter_of_every_operation_encodes_exactly_or_is_refused_by_name() {
    let strings = edge_strings();
    let ops = operations();
    assert!(ops.len() >= 4, "found only {} operations", ops.len());
    let mut tally = Tally::default();
    for op in &ops {
        let base = baseline(op);
        for p in &op.params {
            for value in values_for(op, p, &strings) {
                let mut request = base.clone();
                request.insert(p.name.clone(), value);
                tally.judge(op, &p.name, &Value::Object(request));
            }
        }
        // Every parameter at once, each with a different edge value.
        let mut all = base.clone();
        for (i, p) in op.params.iter().enumerate() {
            if !p.required {
                all.insert(p.name.clone(), sample_of(op, &p.ty, &strings[..20], i));
            }
        }
        tally.judge(op, "(all)", &Value::Object(all));
    }
    println!(
        "request edges: {} cases, {} encoded exactly, {} refused by name, {} failures",
        tally.cases,
        tally.encoded,
        tally.rejected,
        tally.failures.len()
    );
    assert!(tally.cases >= 500, "only {} cases", tally.cases);
    assert!(tally.rejected > 0 && tally.encoded > 0);
    assert!(
        tally.failures.is_empty(),
        "{} failures, first {}:\n{}",
        tally.failures.len(),
        tally.failures.len().min(15),
        tally.failures[..tally.failures.len().min(15)].join("\n")
    );
}

/// `build()` on the typed builders gives the verdicts the oracle gives, names the parameter and
/// the limit, and writes what the JSON route writes.
#[test]
fn typed_builders_refuse_by_name_and_agree_with_the_oracle() {
    let strings = edge_strings();
    let mut checked = 0;
    let refused = |r: Result<Params, BuildError>, parameter: &str, mentions: &str| match r {
        Err(e) => assert!(
            e.parameter == parameter && e.problem.contains(mentions),
            "expected `{parameter}` and `{mentions}`, got `{e}`"
        ),
        Ok(p) => panic!(
            "accepted {:?}, expected a refusal of `{parameter}`",
            short_pairs(p.query())
        ),
    };
    let ecs_base = || ecs::DescribeImagesRequest::builder().region_id("cn-hangzhou");
    let swas_base = || swas_open::ListCustomImagesRequest::builder().region_id("cn-hangzhou");
    let built = |r: Result<ecs::DescribeImagesRequest, BuildError>| r.map(|r| params_of(&r));

    refused(
        built(ecs::DescribeImagesRequest::builder().build()),
        "RegionId",
        "required",
    );
    refused(
        built(
            ecs_base()
                .set_image_id(Some((0..101).map(|i| format!("m-{i}")).collect()))
                .build(),
        ),
        "ImageId",
        "100",
    );
    refused(
        built(
            ecs_base()
                .set_tag(vec![ecs::Tag::new().key("k"); 21])
                .build(),
        ),
        "Tag",
        "20",
    );
    refused(
        built(
            ecs_base()
                .tag(ecs::Tag::new().key("k"))
                .tag(ecs::Tag::new().key(""))
                .build(),
        ),
        "Tag.2.Key",
        "1",
    );
    refused(built(ecs_base().page_size(101).build()), "PageSize", "100");
    refused(built(ecs_base().page_number(0).build()), "PageNumber", "1");
    let swas = |b: swas_open::ListCustomImagesRequestBuilder| b.build().map(|r| params_of(&r));
    refused(
        swas(swas_base().client_token("t".repeat(65))),
        "ClientToken",
        "64",
    );
    refused(
        swas(swas_base().client_token("令牌")),
        "ClientToken",
        "ASCII",
    );
    refused(
        swas(swas_base().set_image_names(Some(vec!["n".to_owned(); 101]))),
        "ImageNames",
        "100",
    );
    refused(
        swas(swas_base().tag(swas_open::Tag::new().key("k").value("v".repeat(65)))),
        "Tag.1.Value",
        "64",
    );
    refused(
        swas(swas_base().set_tag(vec![swas_open::Tag::new().key("k").value("v"); 101])),
        "Tag",
        "100",
    );
    refused(
        appstream_center::ListImageRequest::builder()
            .page_size(101)
            .build()
            .map(|r| params_of(&r)),
        "PageSize",
        "100",
    );
    checked += 12;

    // Every edge string through the typed setters, compared with the JSON route.
    for s in &strings {
        let typed = ecs_base()
            .image_name(s.as_str())
            .image_id(s.as_str())
            .image_id("m-2")
            .tag(ecs::Tag::new().key("k").value(s.as_str()))
            .build()
            .map(|r| params_of(&r));
        let loaded = through_validate(
            "ecs",
            "DescribeImages",
            &json!({"RegionId": "cn-hangzhou", "ImageName": s, "ImageId": [s, "m-2"],
                    "Tag": [{"Key": "k", "Value": s}]}),
        );
        assert_eq!(typed, loaded, "ECS with {}", show(&json!(s)));
        let typed = swas_base()
            .image_ids(s.as_str())
            .instance_id(s.as_str())
            .build()
            .map(|r| params_of(&r));
        let loaded = through_validate(
            "swas_open",
            "ListCustomImages",
            &json!({"RegionId": "cn-hangzhou", "ImageIds": [s], "InstanceId": s}),
        );
        assert_eq!(typed, loaded, "SWAS with {}", show(&json!(s)));
        let typed = ens::DescribeSelfImagesRequest::builder()
            .image_name(s.as_str())
            .build()
            .map(|r| params_of(&r));
        let loaded = through_validate("ens", "DescribeSelfImages", &json!({"ImageName": s}));
        assert_eq!(typed, loaded, "ENS with {}", show(&json!(s)));
        let typed = appstream_center::ListImageRequest::builder()
            .image_name(s.as_str())
            .distro(s.as_str())
            .feature_list(s.as_str())
            .build()
            .map(|r| params_of(&r));
        let loaded = through_validate(
            "appstream_center",
            "ListImage",
            &json!({"ImageName": s, "Distro": s, "FeatureList": [s]}),
        );
        assert_eq!(typed, loaded, "appstream-center with {}", show(&json!(s)));
        checked += 4;
    }
    println!("typed builders: {checked} checks agree with the oracle and the JSON route");
}

fn config(transport: Arc<InMemoryTransport>) -> acs_runtime::Config {
    acs_runtime::Config::builder()
        .credentials(Credentials::new("edge-id", "edge-secret"))
        .region("cn-hangzhou")
        .transport(transport)
        .retry_policy(RetryPolicy::disabled())
        .nonce_source(|| "fixed-nonce".to_owned())
        .build()
        .unwrap_or_else(|e| panic!("config: {e}"))
}

/// What is sent is what the encoder makes of the parameters: the URL's query (V3 adds nothing
/// to it) and the form body.
#[tokio::test]
async fn the_request_sent_carries_exactly_the_encoded_parameters() {
    let strings = edge_strings();
    let mut sent = 0;
    for s in &strings {
        let transport = Arc::new(InMemoryTransport::from_fn(|_| {
            Ok(HttpResponse::new(200, "{\"RequestId\":\"r\"}"))
        }));
        let ecs_client = ecs::Client::new(config(Arc::clone(&transport)));
        ecs_client
            .describe_images()
            .region_id("cn-hangzhou")
            .image_name(s.as_str())
            .image_id(s.as_str())
            .image_id("m,2")
            .tag(ecs::Tag::new().key("k&=").value(s.as_str()))
            .send()
            .await
            .unwrap_or_else(|e| panic!("ECS with {}: {e}", show(&json!(s))));
        let app = appstream_center::Client::new(config(Arc::clone(&transport)));
        app.list_image()
            .image_name(s.as_str())
            .distro(s.as_str())
            .feature_list(s.as_str())
            .feature_list("b")
            .send()
            .await
            .unwrap_or_else(|e| panic!("ListImage with {}: {e}", show(&json!(s))));
        let requests = transport.requests();
        assert_eq!(requests.len(), 2);
        let pairs = |list: &[(&str, &str)]| -> Vec<(String, String)> {
            list.iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect()
        };
        let ecs_query = pairs(&[
            ("RegionId", "cn-hangzhou"),
            ("ImageId", &format!("{s},m,2")),
            ("ImageName", s),
            ("Tag.1.Key", "k&="),
            ("Tag.1.Value", s),
        ]);
        assert_eq!(
            requests[0].query(),
            canonical(&ecs_query),
            "ECS URL with {}",
            show(&json!(s))
        );
        assert!(requests[0].body.is_empty());
        assert_eq!(requests[1].query(), canonical(&pairs(&[("Distro", s)])));
        let body = pairs(&[
            ("ImageName", s),
            ("FeatureList.1", s),
            ("FeatureList.2", "b"),
        ]);
        assert_eq!(
            requests[1].body.as_ref(),
            canonical(&body).as_bytes(),
            "ListImage body with {}",
            show(&json!(s))
        );
        sent += 2;
    }
    println!(
        "requests sent through the in-memory transport: {sent}, every URL and body as encoded"
    );
}

/// The local gateway checks the V3 and V2 signatures of requests full of such values, and reads
/// each value back exactly.
#[tokio::test]
async fn the_gateway_verifies_and_reads_back_every_edge_value() {
    let server = acs_test_gateway::TestServer::builder()
        .credential("edge-id", "edge-secret")
        .start()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    server.respond("DescribeSelfImages", 200, json!({"Images": {"Image": []}}));
    server.respond("ListImage", 200, json!({}));
    let strings = edge_strings();
    let mut round_trips = 0;
    let mut too_long_for_a_url = 0;
    for version in [SignatureVersion::V3, SignatureVersion::V2] {
        let config = acs_runtime::Config::builder()
            .credentials(Credentials::new("edge-id", "edge-secret"))
            .region("cn-hangzhou")
            .endpoint(server.endpoint())
            .signature_version(version)
            .retry_policy(RetryPolicy::disabled())
            .read_timeout(Duration::from_secs(10))
            .build()
            .unwrap_or_else(|e| panic!("config: {e}"));
        let ens = ens::Client::new(config.clone());
        let app = appstream_center::Client::new(config);
        for s in &strings {
            server.clear_requests();
            let shown = show(&json!(s));
            // `http::Uri` holds at most 65,534 bytes: a query value longer than that once
            // encoded cannot be sent in the URL. It must fail before sending, as a request the
            // transport cannot express (never retried), not panic or reach the server cut.
            let fits_in_url = rfc3986(s).len() < 65_000;
            let sent = ens
                .describe_self_images()
                .image_name(s.as_str())
                .send()
                .await;
            match (fits_in_url, sent) {
                (true, Ok(_)) => {}
                (false, Err(SdkError::Transport(e))) => {
                    assert_eq!(e.kind(), TransportErrorKind::InvalidRequest, "{e}");
                    too_long_for_a_url += 1;
                }
                (_, other) => panic!("{version:?} ENS with {shown}: {other:?}"),
            }
            // In the form body the same value goes through whatever its length.
            let mut list_image = app.list_image().image_name(s.as_str());
            if fits_in_url {
                list_image = list_image.distro(s.as_str());
            }
            list_image
                .send()
                .await
                .unwrap_or_else(|e| panic!("{version:?} ListImage with {shown}: {e}"));
            let seen = server.requests();
            assert_eq!(
                seen.len(),
                if fits_in_url { 2 } else { 1 },
                "{version:?} {shown}"
            );
            for request in &seen {
                assert!(
                    request.verified(),
                    "{version:?} {shown}: {:?}",
                    request.verdict
                );
                assert_eq!(
                    request.param("ImageName"),
                    Some(s.as_str()),
                    "{version:?} {shown}"
                );
                round_trips += 1;
            }
            if fits_in_url {
                assert_eq!(
                    seen[1].param("Distro"),
                    Some(s.as_str()),
                    "{version:?} {shown}"
                );
            }
        }
    }
    server.shutdown().await;
    println!(
        "gateway round trips (V3 and V2): {round_trips}, every one verified and read back exactly; {too_long_for_a_url} query values too long for a URL refused before sending"
    );
    assert!(round_trips > 0);
}

/// The builder without a client is what `Default` gives, with no annotation; a list that can be
/// sent empty can also be unset again.
#[test]
fn a_default_builder_needs_no_annotation_and_an_optional_list_can_be_cleared() {
    let request = ens::DescribeSelfImagesRequestBuilder::default()
        .image_name("x")
        .build()
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(request.image_name.as_deref(), Some("x"));

    let cleared = swas_open::ListCustomImagesRequest::builder()
        .region_id("cn-hangzhou")
        .image_ids("m-1")
        .set_image_ids(None)
        .set_image_names(Some(Vec::new()))
        .build()
        .unwrap_or_else(|e| panic!("{e}"));
    let params = params_of(&cleared);
    assert!(!params.contains("ImageIds"), "{params:?}");
    assert!(
        params
            .query()
            .iter()
            .any(|(name, value)| name == "ImageNames" && value == "[]"),
        "{params:?}"
    );
}
