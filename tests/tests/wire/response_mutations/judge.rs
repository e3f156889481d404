//! Judging one decode of a mutated body against the promises: no panic, failure only for a
//! body that is not JSON, every anomaly at a path that exists and keeping the value found there.

use super::*;

/// The concrete steps of an anomaly path in a document; keys may hold `.` or `[`, so every
/// reading is tried.
fn find_steps(v: &Value, rest: &str, first: bool) -> Option<Vec<Result<String, usize>>> {
    if rest.is_empty() {
        return Some(Vec::new());
    }
    if let (Some(after), Value::Array(items)) = (rest.strip_prefix('['), v) {
        let close = after.find(']')?;
        let index: usize = after[..close].parse().ok()?;
        let mut steps = find_steps(items.get(index)?, &after[close + 1..], false)?;
        steps.insert(0, Err(index));
        return Some(steps);
    }
    let Value::Object(map) = v else {
        return None;
    };
    let rest = if first { rest } else { rest.strip_prefix('.')? };
    for (key, child) in map {
        let Some(after) = rest.strip_prefix(key.as_str()) else {
            continue;
        };
        if !(after.is_empty() || after.starts_with('.') || after.starts_with('[')) {
            continue;
        }
        if let Some(mut steps) = find_steps(child, after, false) {
            steps.insert(0, Ok(key.clone()));
            return Some(steps);
        }
    }
    None
}

fn node_mut<'a>(v: &'a mut Value, steps: &[Result<String, usize>]) -> Option<&'a mut Value> {
    let mut node = v;
    for step in steps {
        node = match step {
            Ok(key) => node.get_mut(key.as_str())?,
            Err(index) => node.get_mut(*index)?,
        };
    }
    Some(node)
}

/// Whether `path` is `site` or lies under it.
fn within(path: &str, site: &str) -> bool {
    site.is_empty()
        || path == site
        || path
            .strip_prefix(site)
            .is_some_and(|rest| rest.starts_with('.') || rest.starts_with('['))
}

/// What is wrong with the decode of `body`, if anything.
pub(super) fn judge(
    body: &[u8],
    site: Option<&str>,
    outcome: &Decoded,
    original: &(Value, Vec<Anomaly>),
    kind: Kind,
) -> Option<String> {
    let verdict = Grammar::check(body);
    let (decoded, anomalies) = match (verdict, outcome) {
        (Verdict::NotJson, Err(_)) => return None,
        (Verdict::NotJson, Ok(_)) => {
            return Some("a body that is not JSON decoded without an error".into());
        }
        (Verdict::Json { depth, .. }, Err(e)) if depth > PARSER_DEPTH_LIMIT => {
            return (!e.message.contains("recursion limit")).then(|| {
                format!(
                    "a JSON body nested {depth} deep failed without naming the nesting limit: {e}"
                )
            });
        }
        (Verdict::Json { huge_number, .. }, Err(e)) => {
            let why = if huge_number {
                " (a number in it is beyond f64; only that field should be lost)"
            } else {
                ""
            };
            return Some(format!("a JSON body failed to decode{why}: {e}"));
        }
        (_, Ok(ok)) => ok,
    };
    // The document as the decoder reads it (the last of duplicate keys wins; a number beyond f64
    // is read as its text; a string that is not text as it was written).
    // Deeper than the parser reads, a value can only have been skipped (an unknown field): the
    // copy holds null there, and so no anomaly can point into it or keep it.
    let readable = strings_as_written(&quote_huge_numbers(body));
    let Ok(mut doc) = serde_json::from_slice::<Value>(&deep_values_as_null(&readable)) else {
        return Some("decoded, though serde_json cannot read it as a document".into());
    };
    if !doc.is_object() {
        return match anomalies.as_slice() {
            [only] if only.path.is_empty() && only.raw == doc => None,
            _ => Some(format!(
                "a top-level {} should give one anomaly at the root keeping the body, got {anomalies:?}",
                kind_of(&doc)
            )),
        };
    }
    for anomaly in anomalies {
        if anomaly.path.is_empty() {
            return Some(format!("an anomaly has an empty path: {anomaly:?}"));
        }
        if anomaly.reason.trim().is_empty() {
            return Some(format!("an anomaly has no reason: {anomaly:?}"));
        }
        let Some(steps) = find_steps(&doc, &anomaly.path, true) else {
            return Some(format!(
                "anomaly path `{}` does not exist in the document (reason: {})",
                anomaly.path, anomaly.reason
            ));
        };
        let Some(node) = node_mut(&mut doc, &steps) else {
            return Some(format!("anomaly path `{}` vanished", anomaly.path));
        };
        // A value in a field that holds a secret is recorded by its path only: what it keeps
        // is the redaction mark, whatever the document holds there.
        let redacted =
            anomaly.raw == Value::String("<redacted>".to_owned()) && holds_a_secret(&anomaly.path);
        if !redacted && *node != anomaly.raw {
            return Some(format!(
                "anomaly at `{}` keeps {} but the document holds {}",
                anomaly.path,
                short(&anomaly.raw),
                short(node)
            ));
        }
        // The decoder blanks each bad value before it decodes again; so does this copy.
        *node = Value::Null;
        if let Some(site) = site {
            if !within(&anomaly.path, site) {
                return Some(format!(
                    "a change at `{site}` gave an anomaly elsewhere, at `{}`",
                    anomaly.path
                ));
            }
        }
    }
    // One value replaced must not lose the rest of the response.
    if let Some(site) = site {
        let request_id = original.0.get("RequestId");
        if !site.is_empty()
            && !within("RequestId", site)
            && request_id.is_some()
            && decoded.get("RequestId") != request_id
        {
            return Some(format!(
                "a change at `{site}` lost `RequestId` ({:?} became {:?})",
                request_id,
                decoded.get("RequestId")
            ));
        }
    }
    if kind == Kind::DuplicateKey && (decoded, anomalies.len()) != (&original.0, 0) {
        return Some(
            "a duplicate key placed before the original changed the decoded response".into(),
        );
    }
    if kind == Kind::DropField && !anomalies.is_empty() {
        return Some(format!("dropping a field gave anomalies: {anomalies:?}"));
    }
    None
}

/// `body` with every number literal that `f64` cannot hold written as a string, as the decoder
/// documents that it reads them. A scanner of its own, so that it checks the decoder's reading
/// rather than repeating it.
fn quote_huge_numbers(body: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(body.len());
    let (mut in_string, mut escaped) = (false, false);
    let mut i = 0;
    while i < body.len() {
        let b = body[i];
        if in_string {
            out.push(b);
            match (escaped, b) {
                (true, _) => escaped = false,
                (false, b'\\') => escaped = true,
                (false, b'"') => in_string = false,
                _ => {}
            }
            i += 1;
            continue;
        }
        if b == b'"' {
            in_string = true;
            out.push(b);
            i += 1;
            continue;
        }
        if b == b'-' || b.is_ascii_digit() {
            let end = body[i..]
                .iter()
                .position(|c| {
                    !(c.is_ascii_digit() || matches!(c, b'-' | b'+' | b'.' | b'e' | b'E'))
                })
                .map_or(body.len(), |n| i + n);
            let literal = &body[i..end];
            let huge = std::str::from_utf8(literal)
                .ok()
                .and_then(|text| text.parse::<f64>().ok())
                .is_some_and(|n| n.is_infinite());
            if huge {
                out.push(b'"');
                out.extend_from_slice(literal);
                out.push(b'"');
            } else {
                out.extend_from_slice(literal);
            }
            i = end;
            continue;
        }
        out.push(b);
        i += 1;
    }
    out
}

/// `body` with every string literal that is not text (bytes that are not UTF-8, or a `\u` escape
/// of a surrogate without its other half) replaced by a JSON string of its content as written,
/// each byte that is not UTF-8 as `\xHH`: the value the decoder documents that it reports for
/// such a string. A scanner of its own, as `quote_huge_numbers` is.
fn strings_as_written(body: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(body.len());
    let mut i = 0;
    while i < body.len() {
        if body[i] != b'"' {
            out.push(body[i]);
            i += 1;
            continue;
        }
        let mut end = i + 1;
        while end < body.len() && body[end] != b'"' {
            end += if body[end] == b'\\' { 2 } else { 1 };
        }
        let Some(content) = body.get(i + 1..end) else {
            out.extend_from_slice(&body[i..]);
            break;
        };
        if is_text(content) {
            out.extend_from_slice(&body[i..=end]);
        } else {
            let mut written = String::new();
            for chunk in content.utf8_chunks() {
                written.push_str(chunk.valid());
                for byte in chunk.invalid() {
                    written.push_str(&format!("\\x{byte:02x}"));
                }
            }
            out.extend_from_slice(Value::String(written).to_string().as_bytes());
        }
        i = end + 1;
    }
    out
}

/// `body` with every array or object that opens deeper than [`PARSER_DEPTH_LIMIT`] written as
/// `null`.
fn deep_values_as_null(body: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(body.len());
    let (mut in_string, mut escaped) = (false, false);
    let mut depth = 0;
    // While inside a value written as null: the depth at which it opened.
    let mut cut_at: Option<usize> = None;
    for &b in body {
        if in_string {
            match (escaped, b) {
                (true, _) => escaped = false,
                (false, b'\\') => escaped = true,
                (false, b'"') => in_string = false,
                _ => {}
            }
        } else {
            match b {
                b'"' => in_string = true,
                b'[' | b'{' => {
                    depth += 1;
                    if cut_at.is_none() && depth > PARSER_DEPTH_LIMIT {
                        cut_at = Some(depth);
                        out.extend_from_slice(b"null");
                    }
                }
                b']' | b'}' => {
                    if cut_at == Some(depth) {
                        cut_at = None;
                        depth -= 1;
                        continue;
                    }
                    depth = depth.saturating_sub(1);
                }
                _ => {}
            }
        }
        if cut_at.is_none() {
            out.push(b);
        }
    }
    out
}

/// Whether a string literal's content is UTF-8 whose `\u` escapes pair every surrogate.
fn is_text(content: &[u8]) -> bool {
    let Ok(text) = std::str::from_utf8(content) else {
        return false;
    };
    let mut units: Vec<u16> = Vec::new();
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            units.extend(c.encode_utf16(&mut [0; 2]).iter());
            continue;
        }
        match chars.next() {
            Some('u') => {
                let hex: String = chars.by_ref().take(4).collect();
                match u16::from_str_radix(&hex, 16) {
                    Ok(unit) => units.push(unit),
                    // Not JSON: the grammar has refused it already.
                    Err(_) => return true,
                }
            }
            // Any other escape is one character, never half of a pair.
            Some(_) => units.push(u16::from(b'x')),
            None => return true,
        }
    }
    char::decode_utf16(units).all(|unit| unit.is_ok())
}

fn kind_of(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

fn short(v: &Value) -> String {
    let text = v.to_string();
    if text.len() > 120 {
        let mut end = 120;
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        format!("{}… ({} bytes)", &text[..end], text.len())
    } else {
        text
    }
}
