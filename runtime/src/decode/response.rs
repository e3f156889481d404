//! Decoding a whole response body: the fast typed decode, and when it fails, the one-pass
//! recovery through the body (its strings that are not text repaired first).

use serde::de::DeserializeOwned;

use super::anomaly::{Anomaly, MAX_ANOMALIES, MAX_REASON_CHARS, Recovery, restore_markers};
use super::lenient::object;
use super::repair::{Markers, Repaired};
use crate::redact::excerpt::{EXCERPT_CHARS, excerpt};
use crate::redact::{hide_in_value, hide_secrets};

/// A response body that is not JSON at all, or not the JSON value a response must be.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "response body is not valid JSON ({message}) at line {line}, column {column}; it begins: {excerpt:?}"
)]
pub struct DecodeError {
    /// The parser's complaint.
    pub message: String,
    /// Line of the problem, from 1.
    pub line: usize,
    /// Column of the problem, from 1.
    pub column: usize,
    /// The start of the body, for a first look at what arrived.
    pub excerpt: String,
}

/// Decodes a response body into `T`, leniently. Fields that cannot be decoded are left empty and
/// reported as anomalies (and as `tracing` warnings naming their path); only a body that is not
/// JSON is an error. However many fields are bad, the rest of the body is decoded; the first 256
/// are recorded one by one, and one last anomaly (with an empty path and a null value) counts
/// the others.
///
/// A number too large for `f64` (`1e400`) is valid JSON that the parser cannot hold: it is read
/// as its text, so a text field keeps it and any other field reports it as an anomaly, rather
/// than the whole body being lost.
///
/// A string that is not text (bytes that are not UTF-8, or a `\u` escape of a surrogate without
/// its other half, as Java writes for a string cut inside a pair) is a value that fits no field:
/// its field is left empty and reported with the string as it was written, each byte that is not
/// UTF-8 as `\xHH`. In a key, it names no field.
pub fn decode_response<T: DeserializeOwned + Default>(
    body: &[u8],
) -> Result<(T, Vec<Anomaly>), DecodeError> {
    decode_response_hiding(body, &[])
}

/// [`decode_response`], with the given secret values (the call's AccessKey secret and security
/// token) blanked wherever an anomaly or its warning would quote them: a body may echo the
/// request into a declared field.
pub fn decode_response_hiding<T: DeserializeOwned + Default>(
    body: &[u8],
    secrets: &[&str],
) -> Result<(T, Vec<Anomaly>), DecodeError> {
    // Most bodies fit their type: the plain typed decode, and nothing else.
    let plain_failure = match decode_plain::<T>(body, secrets) {
        Ok(decoded) => return Ok(decoded),
        Err(err) => err,
    };
    // Strings that are not text become markers that only the recovering decode reads.
    let repaired = Repaired::scan(body);
    let (text, mut markers) = match repaired {
        Some(ref repaired) => (repaired.body.as_slice(), repaired.markers.clone()),
        None => (body, Markers::default()),
    };
    // The numbers read as text so far, as spans of `text`, in order.
    let mut quoted: Vec<(usize, usize)> = Vec::new();
    let mut first_failure = Some(plain_failure);
    loop {
        let patched = (!quoted.is_empty()).then(|| with_quotes(text, &quoted));
        let bytes = patched.as_deref().unwrap_or(text);
        let attempt = match first_failure.take() {
            // The plain decode of the body as it came has failed already: on its data, or on
            // strings that are not text, the recovering decode takes over; on anything else,
            // that failure is the one to look at.
            Some(err) if repaired.is_none() && !err.is_data() => Err(err),
            Some(_) => recover::<T>(bytes, secrets, &mut markers),
            // A repaired body holds markers, which the plain decode would read as text.
            None if repaired.is_some() => recover::<T>(bytes, secrets, &mut markers),
            None => match decode_plain::<T>(bytes, secrets) {
                Err(err) if err.is_data() => recover::<T>(bytes, secrets, &mut markers),
                plain => plain,
            },
        };
        let err = match attempt {
            Ok(decoded) => return Ok(decoded),
            Err(err) => err,
        };
        // Positions are the patched text's; the caller sees the body's.
        let at = unpatched(offset_of(bytes, err.line(), err.column()), &quoted);
        if quoted.len() < MAX_HUGE_NUMBERS && is_number_out_of_range(&err) {
            if let Some(span) = number_around(text, at) {
                if !quoted.contains(&span) {
                    let place = quoted.partition_point(|known| *known < span);
                    quoted.insert(place, span);
                    continue;
                }
            }
        }
        let at = repaired
            .as_ref()
            .map_or(at, |repaired| repaired.original_offset(at));
        let (line, column) = line_column(body, at);
        let message = err.to_string();
        // serde_json ends its text with the position, which is given separately (and would be
        // the patched text's).
        let message = match message.rfind(" at line ") {
            Some(cut) => message.get(..cut).unwrap_or_default().to_owned(),
            None => message,
        };
        return Err(DecodeError {
            message,
            line,
            column,
            excerpt: excerpt(body, EXCERPT_CHARS),
        });
    }
}

/// How many numbers beyond `f64` one body may have before decoding gives up on it; each costs a
/// parse of the body.
const MAX_HUGE_NUMBERS: usize = 32;

/// serde_json gives no code for this error, only its text.
fn is_number_out_of_range(err: &serde_json::Error) -> bool {
    err.is_syntax() && err.to_string().starts_with("number out of range")
}

/// The byte offset of serde_json's `line` and `column` (from 1, counted in bytes).
fn offset_of(text: &[u8], line: usize, column: usize) -> usize {
    let line_start = if line <= 1 {
        0
    } else {
        text.iter()
            .enumerate()
            .filter(|(_, b)| **b == b'\n')
            .nth(line - 2)
            .map_or(text.len(), |(at, _)| at + 1)
    };
    (line_start + column.saturating_sub(1)).min(text.len())
}

/// The line and column (from 1, the column in bytes) of a byte offset.
fn line_column(text: &[u8], offset: usize) -> (usize, usize) {
    let before = text.get(..offset).unwrap_or(text);
    let line = 1 + before.iter().filter(|b| **b == b'\n').count();
    let line_start = before
        .iter()
        .rposition(|b| *b == b'\n')
        .map_or(0, |at| at + 1);
    (line, offset - line_start + 1)
}

/// The body with each span wrapped in quotes.
fn with_quotes(body: &[u8], spans: &[(usize, usize)]) -> Vec<u8> {
    let mut out = Vec::with_capacity(body.len() + 2 * spans.len());
    let mut copied = 0;
    for &(start, end) in spans {
        out.extend_from_slice(body.get(copied..start).unwrap_or_default());
        out.push(b'"');
        out.extend_from_slice(body.get(start..end).unwrap_or_default());
        out.push(b'"');
        copied = end;
    }
    out.extend_from_slice(body.get(copied..).unwrap_or_default());
    out
}

/// The body's offset of an offset in [`with_quotes`]'s text (an added quote maps to the edge of
/// its number).
fn unpatched(offset: usize, spans: &[(usize, usize)]) -> usize {
    let mut shift = 0;
    for &(start, end) in spans {
        if offset <= start + shift {
            break;
        }
        if offset <= end + shift + 1 {
            return (offset - shift - 1).min(end);
        }
        shift += 2;
    }
    offset - shift
}

/// The span of the number literal at or just before `offset` (serde_json stops inside or just
/// after the literal it cannot hold), or `None` when no number is there.
fn number_around(body: &[u8], offset: usize) -> Option<(usize, usize)> {
    let is_number_byte =
        |b: &u8| b.is_ascii_digit() || matches!(b, b'-' | b'+' | b'.' | b'e' | b'E');
    let mut start = (offset + 1).min(body.len());
    while start > 0 && body.get(start - 1).is_some_and(is_number_byte) {
        start -= 1;
    }
    let mut end = start;
    while body.get(end).is_some_and(is_number_byte) {
        end += 1;
    }
    let first = body.get(start)?;
    (end > start && (first.is_ascii_digit() || *first == b'-')).then_some((start, end))
}

/// The plain typed decode of a body (or, for a body that is not an object, an empty response
/// with one anomaly keeping the body).
fn decode_plain<T: DeserializeOwned + Default>(
    body: &[u8],
    secrets: &[&str],
) -> Result<(T, Vec<Anomaly>), serde_json::Error> {
    if let Some(not_an_object) = not_an_object(body, secrets, &Markers::default()) {
        return Ok(not_an_object);
    }
    serde_json::from_slice::<T>(body).map(|value| (value, Vec::new()))
}

/// For a body that is JSON but not an object, an empty response and one anomaly keeping the
/// body: derived struct decoding would read a top-level array positionally, into the wrong
/// fields.
fn not_an_object<T: Default>(
    body: &[u8],
    secrets: &[&str],
    markers: &Markers,
) -> Option<(T, Vec<Anomaly>)> {
    let first = body.iter().find(|b| !b.is_ascii_whitespace());
    if first.is_none_or(|b| *b == b'{') {
        return None;
    }
    let mut tree = serde_json::from_slice::<serde_json::Value>(body).ok()?;
    tracing::warn!("response body is not an object; every field left empty");
    let reason = format!("expected an object, found {}", kind_of(&tree));
    restore_markers(&mut tree, markers);
    hide_in_value(&mut tree, secrets);
    Some((
        T::default(),
        vec![Anomaly {
            path: String::new(),
            reason,
            raw: tree,
        }],
    ))
}

/// The recovering decode: one pass through the body, in which every field that does not fit its
/// type is left empty and recorded as an anomaly (see [`Recovery`] and `catch.rs`). Fails only
/// where the body is not JSON (or holds a number beyond `f64`, for the caller to read as text).
fn recover<T: DeserializeOwned + Default>(
    body: &[u8],
    secrets: &[&str],
    markers: &mut Markers,
) -> Result<(T, Vec<Anomaly>), serde_json::Error> {
    if let Some(not_an_object) = not_an_object(body, secrets, markers) {
        return Ok(not_an_object);
    }
    let mut json = serde_json::Deserializer::from_slice(body);
    let (decoded, mut recovery) = Recovery::run(secrets, std::mem::take(markers), || {
        let value = object::<_, T>(&mut json)?;
        json.end()?;
        Ok::<_, serde_json::Error>(value)
    });
    *markers = std::mem::take(&mut recovery.markers);
    let (mut anomalies, unrecorded) = recovery.into_anomalies();
    let value = match decoded {
        Ok(value) => value.unwrap_or_default(),
        Err(err) if err.is_data() => {
            // A failure no field caught (a top-level field decoded without the lenient
            // functions): keep the body, and give the caller an empty response rather than none.
            let mut raw: serde_json::Value = serde_json::from_slice(body)?;
            restore_markers(&mut raw, markers);
            let reason = hide_secrets(
                &excerpt(err.to_string().as_bytes(), MAX_REASON_CHARS),
                secrets,
            );
            tracing::warn!(%reason, "response body does not fit its type; every field left empty");
            hide_in_value(&mut raw, secrets);
            anomalies.push(Anomaly {
                path: String::new(),
                reason,
                raw,
            });
            T::default()
        }
        Err(err) => return Err(err),
    };
    if unrecorded > 0 {
        anomalies.push(Anomaly {
            path: String::new(),
            reason: format!(
                "{unrecorded} more fields did not fit their declared types and were left empty; only the first {MAX_ANOMALIES} are recorded"
            ),
            raw: serde_json::Value::Null,
        });
    }
    Ok((value, anomalies))
}

fn kind_of(v: &serde_json::Value) -> &'static str {
    match v {
        serde_json::Value::Null => "null",
        serde_json::Value::Bool(_) => "a boolean",
        serde_json::Value::Number(_) => "a number",
        serde_json::Value::String(_) => "a string",
        serde_json::Value::Array(_) => "an array",
        serde_json::Value::Object(_) => "an object",
    }
}
