//! The oracle: what a request given as JSON must put on the wire, or why it must be refused.

use super::*;

/// Parameter names and values, un-encoded.
pub(super) type Pairs = Vec<(String, String)>;

/// A limit a value breaks: the parameter's wire name and a word the error must contain.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Violation {
    pub(super) parameter: String,
    pub(super) mentions: String,
}

pub(super) fn scalar_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        other => panic!("not a scalar: {other}"),
    }
}

pub(super) fn check_scalar(name: &str, v: &Value, l: &Limits, out: &mut Vec<Violation>) {
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
    pub(super) fn write(
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
            // An empty map sends nothing, in either style.
            (Ty::Map(_), Value::Object(entries)) if entries.is_empty() => {}
            (Ty::Map(item), Value::Object(entries)) => {
                // serde_json's maps keep their keys sorted, as the SDK's `BTreeMap` does.
                if field.style.as_deref() == Some("json") {
                    let parts: Vec<String> = entries
                        .iter()
                        .map(|(k, v)| format!("{}:{}", json_string(k), self.json(item, v)))
                        .collect();
                    out.push((name.to_owned(), format!("{{{}}}", parts.join(","))));
                } else {
                    for (k, v) in entries {
                        self.write(&format!("{name}.{k}"), field, item, v, out);
                    }
                }
            }
            (_, scalar) => out.push((name.to_owned(), scalar_text(scalar))),
        }
    }

    /// `v`, of type `ty`, as the SDK writes it inside a JSON parameter: an object's fields in
    /// declared order, unset ones left out.
    fn json(&self, ty: &Ty, v: &Value) -> String {
        match (ty, v) {
            (Ty::Shape(shape), Value::Object(map)) => {
                let parts: Vec<String> = self.shapes[shape]
                    .iter()
                    .filter_map(|f| {
                        let fv = map.get(&f.name)?;
                        Some(format!("{}:{}", json_string(&f.name), self.json(&f.ty, fv)))
                    })
                    .collect();
                format!("{{{}}}", parts.join(","))
            }
            (Ty::Array(item, _), Value::Array(items)) => {
                let parts: Vec<String> = items.iter().map(|i| self.json(item, i)).collect();
                format!("[{}]", parts.join(","))
            }
            (Ty::Map(item), Value::Object(entries)) => {
                let parts: Vec<String> = entries
                    .iter()
                    .map(|(k, v)| format!("{}:{}", json_string(k), self.json(item, v)))
                    .collect();
                format!("{{{}}}", parts.join(","))
            }
            (_, Value::String(text)) => json_string(text),
            (_, scalar) => scalar_text(scalar),
        }
    }

    pub(super) fn check(
        &self,
        name: &str,
        field: &Field,
        ty: &Ty,
        v: &Value,
        out: &mut Vec<Violation>,
    ) {
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
            // Limits on a map's values are errors in a spec: only shapes inside have any.
            (Ty::Map(item), Value::Object(entries)) => {
                if let Ty::Shape(_) = item.as_ref() {
                    for (k, v) in entries {
                        self.check(&format!("{name}.{k}"), field, item, v, out);
                    }
                }
            }
            (_, scalar) => check_scalar(name, scalar, &field.limits, out),
        }
    }

    /// The query and body pairs `request` must write, in declared order, or the limits it breaks.
    pub(super) fn expect(&self, request: &Value) -> Result<(Pairs, Pairs), Vec<Violation>> {
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
