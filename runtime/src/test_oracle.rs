//! The oracle of the sample tests: whether a response, decoded and encoded again, still says
//! what the body it came from said.
//!
//! The generated crate's sample tests and the end-to-end tests call it; it is public only so
//! that they can, and is no part of the API a program uses.

/// Whether `decoded` (a response re-encoded after decoding) holds everything `original` (the body
/// as it arrived) held, value for value as the lenient decoder reads them: `"4"` and `4` are the
/// same count, `"False"` and `false` the same boolean, and a null or empty list may be left out.
/// On a difference, returns the path of the first one.
pub fn equivalent(original: &serde_json::Value, decoded: &serde_json::Value) -> Result<(), String> {
    equivalent_at(original, decoded, "")
}

fn is_empty_value(v: &serde_json::Value) -> bool {
    match v {
        serde_json::Value::Null => true,
        serde_json::Value::Array(items) => items.is_empty(),
        serde_json::Value::Object(map) => map.values().all(is_empty_value),
        _ => false,
    }
}

fn equivalent_at(a: &serde_json::Value, b: &serde_json::Value, path: &str) -> Result<(), String> {
    use serde_json::Value as J;
    let differ = || {
        Err(format!(
            "`{}`: {a} became {b}",
            if path.is_empty() { "(body)" } else { path }
        ))
    };
    match (a, b) {
        (J::Object(x), J::Object(y)) => {
            for (k, va) in x {
                let p = if path.is_empty() {
                    k.clone()
                } else {
                    format!("{path}.{k}")
                };
                match y.get(k) {
                    Some(vb) => equivalent_at(va, vb, &p)?,
                    None if is_empty_value(va) => {}
                    None => return Err(format!("`{p}` was lost")),
                }
            }
            match y.keys().find(|k| !x.contains_key(*k)) {
                Some(k) => Err(format!("`{path}.{k}` appeared from nowhere")),
                None => Ok(()),
            }
        }
        (J::Array(x), J::Array(y)) if x.len() == y.len() => {
            for (i, (va, vb)) in x.iter().zip(y).enumerate() {
                equivalent_at(va, vb, &format!("{path}[{i}]"))?;
            }
            Ok(())
        }
        (J::String(s), J::Number(n)) | (J::Number(n), J::String(s)) => {
            match (s.trim().parse::<f64>(), n.as_f64()) {
                (Ok(x), Some(y)) if x == y => Ok(()),
                _ => differ(),
            }
        }
        (J::String(s), J::Bool(v)) | (J::Bool(v), J::String(s)) => {
            if s.trim()
                .eq_ignore_ascii_case(if *v { "true" } else { "false" })
            {
                Ok(())
            } else {
                differ()
            }
        }
        (J::Number(x), J::Number(y)) => {
            if x.as_f64() == y.as_f64() {
                Ok(())
            } else {
                differ()
            }
        }
        _ if a == b => Ok(()),
        _ => differ(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equivalence_reads_values_as_the_decoder_does() {
        use serde_json::json;
        let original = json!({"TotalCount": "4", "IsCopied": "False", "Empty": [], "Gone": null, "Tags": [{"Key": "k"}]});
        let decoded = json!({"TotalCount": 4, "IsCopied": false, "Tags": [{"Key": "k"}]});
        assert_eq!(equivalent(&original, &decoded), Ok(()));
        let lost = json!({"TotalCount": 4, "IsCopied": false, "Tags": [{}]});
        assert_eq!(
            equivalent(&original, &lost),
            Err("`Tags[0].Key` was lost".to_owned())
        );
        let changed = json!({"TotalCount": 5, "IsCopied": false, "Tags": [{"Key": "k"}]});
        assert!(
            equivalent(&original, &changed)
                .unwrap_err()
                .starts_with("`TotalCount`")
        );
    }
}
