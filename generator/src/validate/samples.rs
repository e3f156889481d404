//! Samples: each is JSON (or is marked as not, with a repaired copy) and matches the declared
//! response, read as leniently as the decoder reads the wire.

use crate::location::NodePath;
use crate::model::Sample;
use crate::spec::{FieldSpec, ItemsSpec, SpecFile};

use super::Validator;

impl Validator<'_> {
    pub(super) fn sample(
        &mut self,
        spec: &SpecFile,
        s: &crate::spec::SampleSpec,
        fields: &[FieldSpec],
        path: &NodePath,
    ) -> Option<Sample> {
        let published = serde_json::from_str::<serde_json::Value>(&s.body);
        let (body, repaired, bpath) = match (s.valid_json, &s.repaired, published) {
            (Some(false), Some(repaired), Err(_)) => (repaired.clone(), true, path.key("repaired")),
            (Some(false), _, Ok(_)) => {
                self.error(
                    &path.key("valid_json"),
                    "the sample is marked `valid_json: false` but it parses",
                    "remove `valid_json` and `repaired`",
                );
                return None;
            }
            (Some(false), None, Err(_)) => {
                self.error(
                    path,
                    "a sample marked `valid_json: false` has no `repaired` copy",
                    "add `repaired:` with a corrected copy for the tests",
                );
                return None;
            }
            (_, _, Err(e)) => {
                let message = format!("the sample is not valid JSON: {}", json_message(&e));
                let column = char_column(&s.body, e.line(), e.column());
                self.error_within(&path.key("body"), e.line(), column, message, "if the page publishes it so, keep it, set `valid_json: false` and add a `repaired:` copy");
                return None;
            }
            (_, _, Ok(_)) => (s.body.clone(), false, path.key("body")),
        };
        let value: serde_json::Value = match serde_json::from_str(&body) {
            Ok(v) => v,
            Err(e) => {
                let message = format!(
                    "the repaired sample is not valid JSON: {}",
                    json_message(&e)
                );
                let column = char_column(&body, e.line(), e.column());
                self.error_within(
                    &bpath,
                    e.line(),
                    column,
                    message,
                    "correct the repaired copy",
                );
                return None;
            }
        };
        let mut problems = Vec::new();
        check_object(spec, fields, &value, "", &mut problems);
        for p in problems {
            self.error(
                &bpath,
                format!("sample `{}` does not match the response: {p}", s.name),
                "declare the field with a type that holds this value, or correct the sample",
            );
        }
        Some(Sample {
            name: s.name.clone(),
            status: s.status.unwrap_or(200),
            body,
            repaired,
        })
    }
}

/// serde_json counts a column in bytes, the spec's positions count characters: the character
/// column of byte column `column` (from 1) on line `line` of `text`.
fn char_column(text: &str, line: usize, column: usize) -> usize {
    let Some(line_text) = text.lines().nth(line.saturating_sub(1)) else {
        return column;
    };
    let mut bytes = column.saturating_sub(1).min(line_text.len());
    while !line_text.is_char_boundary(bytes) {
        bytes -= 1;
    }
    line_text
        .get(..bytes)
        .map_or(column, |before| before.chars().count() + 1)
}

/// serde_json's message without its own " at line L column C": the position is reported apart.
fn json_message(e: &serde_json::Error) -> String {
    let s = e.to_string();
    match s.find(" at line ") {
        Some(i) => s[..i].to_owned(),
        None => s,
    }
}

/// Walks a sample against declared fields, leniently as the decoder reads the wire.
fn check_object(
    spec: &SpecFile,
    fields: &[FieldSpec],
    value: &serde_json::Value,
    path: &str,
    out: &mut Vec<String>,
) {
    let serde_json::Value::Object(map) = value else {
        out.push(format!(
            "`{}` is {}, not an object",
            display_path(path),
            kind(value)
        ));
        return;
    };
    for (key, v) in map {
        let fpath = if path.is_empty() {
            key.clone()
        } else {
            format!("{path}.{key}")
        };
        match fields
            .iter()
            .find(|f| f.name.as_deref() == Some(key.as_str()))
        {
            None => out.push(format!("field `{fpath}` is not declared")),
            Some(f) => check_value(
                spec,
                f.ty.as_deref().unwrap_or(""),
                f.items.as_ref(),
                f.wrapper.as_deref(),
                v,
                &fpath,
                out,
            ),
        }
    }
}

fn check_value(
    spec: &SpecFile,
    ty: &str,
    items: Option<&ItemsSpec>,
    wrapper: Option<&str>,
    v: &serde_json::Value,
    path: &str,
    out: &mut Vec<String>,
) {
    use serde_json::Value as J;
    if v.is_null() {
        return;
    }
    let ok = match ty {
        "string" => matches!(v, J::String(_) | J::Number(_) | J::Bool(_)),
        "integer" | "long" => match v {
            J::Number(n) => n.is_i64() || n.is_u64(),
            J::String(s) => s.is_empty() || s.trim().parse::<i64>().is_ok(),
            _ => false,
        },
        "double" | "number" => match v {
            J::Number(_) => true,
            J::String(s) => s.is_empty() || s.trim().parse::<f64>().is_ok(),
            _ => false,
        },
        "boolean" => match v {
            J::Bool(_) => true,
            J::String(s) => s.eq_ignore_ascii_case("true") || s.eq_ignore_ascii_case("false"),
            _ => false,
        },
        "array" => {
            let list = match (wrapper, v) {
                (Some(w), J::Object(m)) => match m.get(w) {
                    Some(inner) => inner,
                    None => {
                        out.push(format!("`{path}` has no wrapper key `{w}`"));
                        return;
                    }
                },
                _ => v,
            };
            let J::Array(list) = list else {
                out.push(format!("`{path}` is {}, not a list", kind(list)));
                return;
            };
            let (ity, iitems) = match items {
                Some(ItemsSpec::Name(n)) => (n.as_str(), None),
                Some(ItemsSpec::Detailed(d)) => (d.ty.as_str(), None),
                None => ("", None),
            };
            let inner = match wrapper {
                Some(w) => format!("{path}.{w}"),
                None => path.to_owned(),
            };
            for (i, item) in list.iter().enumerate() {
                check_value(spec, ity, iitems, None, item, &format!("{inner}[{i}]"), out);
            }
            return;
        }
        // Any JSON value is one.
        "json" => return,
        "map" => {
            let J::Object(entries) = v else {
                out.push(format!("`{path}` is {}, not an object", kind(v)));
                return;
            };
            let ity = match items {
                Some(ItemsSpec::Name(n)) => n.as_str(),
                Some(ItemsSpec::Detailed(d)) => d.ty.as_str(),
                None => "",
            };
            for (key, value) in entries {
                check_value(spec, ity, None, None, value, &format!("{path}.{key}"), out);
            }
            return;
        }
        shape => match spec.shapes.get(shape) {
            Some(s) => {
                check_object(spec, &s.fields, v, path, out);
                return;
            }
            None => return, // unknown types are reported where they are declared
        },
    };
    if !ok {
        out.push(format!("`{path}` is {}, declared `{ty}`", kind(v)));
    }
}

fn display_path(path: &str) -> &str {
    if path.is_empty() { "(body)" } else { path }
}

fn kind(v: &serde_json::Value) -> &'static str {
    match v {
        serde_json::Value::Null => "null",
        serde_json::Value::Bool(_) => "a boolean",
        serde_json::Value::Number(_) => "a number",
        serde_json::Value::String(_) => "a string",
        serde_json::Value::Array(_) => "a list",
        serde_json::Value::Object(_) => "an object",
    }
}
