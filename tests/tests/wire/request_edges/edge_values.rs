//! The edge values: the texts, numbers and lists that break naive encoders, for every parameter
//! of every operation.

use super::*;

pub(super) fn edge_strings() -> Vec<String> {
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

pub(super) fn edge_numbers(ty: &Ty, l: &Limits) -> Vec<Value> {
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
pub(super) fn sample_of(op: &Operation, ty: &Ty, strings: &[String], i: usize) -> Value {
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
        Ty::Map(item) => json!({ format!("k-{i}"): sample_of(op, item, strings, i) }),
    }
}

/// The values one parameter is tried with.
pub(super) fn values_for(op: &Operation, p: &Field, strings: &[String]) -> Vec<Value> {
    match &p.ty {
        Ty::Str => strings.iter().cloned().map(Value::String).collect(),
        Ty::Int | Ty::Long | Ty::Double => edge_numbers(&p.ty, &p.limits),
        Ty::Bool => vec![json!(true), json!(false)],
        Ty::Shape(_) => (0..strings.len())
            .map(|i| sample_of(op, &p.ty, strings, i))
            .collect(),
        Ty::Map(item) => {
            // Each edge value under a plain key, then no entry, and many in key order.
            let mut out: Vec<Value> = (0..strings.len())
                .map(|i| json!({ "env": sample_of(op, item, strings, i) }))
                .collect();
            out.push(json!({}));
            let many: serde_json::Map<String, Value> = (0..20)
                .map(|i| (format!("k-{i:02}"), sample_of(op, item, strings, i)))
                .collect();
            out.push(Value::Object(many));
            out
        }
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
pub(super) fn baseline(op: &Operation) -> serde_json::Map<String, Value> {
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
