//! Lenient decoding of response bodies.
//!
//! Alibaba's responses do not always match their documents: a count documented as a string
//! arrives as `24`, a boolean as `"False"`, a list wrapped in an object (`{"Image": [...]}`) or
//! not. The generated types decode through the functions here, which accept every such form.
//!
//! A value that no leniency can turn into its declared type (an object where a string was
//! declared) must not lose the whole response: [`decode_response`] first tries a plain, fast
//! decode; only when that fails does it decode once more from a JSON tree, in one pass, leaving
//! every bad field empty and recording it as an [`Anomaly`] with its path and raw value.

use std::cell::RefCell;
use std::fmt;
use std::marker::PhantomData;

use serde::de::{
    self, DeserializeOwned, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor,
};
use serde::ser::{SerializeMap, Serializer};
use serde::{Deserialize, Serialize};

/// How many bad fields of one response are recorded as anomalies; the rest are left empty all the
/// same, and counted in one last anomaly.
const MAX_ANOMALIES: usize = 256;

/// A response field that arrived in a form its declared type cannot hold.
#[derive(Debug, Clone, PartialEq)]
pub struct Anomaly {
    /// Path of the field in the response body, as on the wire (`Images.Image[0].Size`).
    pub path: String,
    /// What the decoder expected there and what it found.
    pub reason: String,
    /// The value as it arrived.
    pub raw: serde_json::Value,
}

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

/// How much of a value an anomaly's reason quotes: reasons go into `tracing` warnings, so they
/// describe a value rather than repeat it (the value itself is kept in [`Anomaly::raw`]).
const SHOWN_CHARS: usize = 64;

/// How much of a body a [`DecodeError`] keeps, in characters.
pub const EXCERPT_CHARS: usize = 200;

/// A value as a reason quotes it: at most [`SHOWN_CHARS`] characters, and its size when cut.
fn shown(v: &str) -> std::borrow::Cow<'_, str> {
    if v.chars().nth(SHOWN_CHARS).is_none() {
        return std::borrow::Cow::Borrowed(v);
    }
    std::borrow::Cow::Owned(format!(
        "{} ({} bytes)",
        excerpt(v.as_bytes(), SHOWN_CHARS),
        v.len()
    ))
}

/// The first `max` characters of a body, cut on a character boundary. Only the start of the
/// body is looked at (a character is at most 4 bytes), so a large body costs nothing here.
pub fn excerpt(body: &[u8], max: usize) -> String {
    let window = body
        .get(..max.saturating_mul(4).saturating_add(4))
        .unwrap_or(body);
    let text = String::from_utf8_lossy(window);
    let mut chars = text.chars();
    let mut out: String = chars.by_ref().take(max).collect();
    if chars.next().is_some() || window.len() < body.len() {
        out.push('…');
    }
    out
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
    // The numbers read as text so far, as spans of `body`, in order.
    let mut quoted: Vec<(usize, usize)> = Vec::new();
    loop {
        let patched = (!quoted.is_empty()).then(|| with_quotes(body, &quoted));
        let bytes = patched.as_deref().unwrap_or(body);
        let err = match decode_json::<T>(bytes, secrets) {
            Ok(decoded) => return Ok(decoded),
            Err(err) => err,
        };
        // Positions are the patched text's; the caller sees the body's.
        let at = unpatched(offset_of(bytes, err.line(), err.column()), &quoted);
        if quoted.len() < MAX_HUGE_NUMBERS && is_number_out_of_range(&err) {
            if let Some(span) = number_around(body, at) {
                if !quoted.contains(&span) {
                    let place = quoted.partition_point(|known| *known < span);
                    quoted.insert(place, span);
                    continue;
                }
            }
        }
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

/// How long an anomaly's reason may be, in characters.
const MAX_REASON_CHARS: usize = 512;

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

/// One attempt at decoding a body that parses: the fast typed decode, then, on a data error, the
/// one-pass recovery over a JSON tree.
fn decode_json<T: DeserializeOwned + Default>(
    body: &[u8],
    secrets: &[&str],
) -> Result<(T, Vec<Anomaly>), serde_json::Error> {
    // Derived struct decoding would read a top-level array positionally, into the wrong fields.
    let first = body.iter().find(|b| !b.is_ascii_whitespace());
    if first.is_some_and(|b| *b != b'{') {
        if let Ok(mut tree) = serde_json::from_slice::<serde_json::Value>(body) {
            tracing::warn!("response body is not an object; every field left empty");
            let reason = format!("expected an object, found {}", kind_of(&tree));
            crate::error::hide_in_value(&mut tree, secrets);
            return Ok((
                T::default(),
                vec![Anomaly {
                    path: String::new(),
                    reason,
                    raw: tree,
                }],
            ));
        }
    }
    let err = match serde_json::from_slice::<T>(body) {
        Ok(value) => return Ok((value, Vec::new())),
        Err(e) => e,
    };
    if !err.is_data() {
        return Err(err);
    }
    let tree: serde_json::Value = serde_json::from_slice(body)?;
    let (decoded, mut recovery) = Recovery::run(secrets, || object::<_, T>(&tree));
    let value = match decoded {
        Ok(value) => value.unwrap_or_default(),
        Err(err) => {
            // A failure no field caught (a top-level field decoded without the lenient
            // functions): keep the body, and give the caller an empty response rather than none.
            let reason = crate::error::hide_secrets(
                &excerpt(err.to_string().as_bytes(), MAX_REASON_CHARS),
                secrets,
            );
            tracing::warn!(%reason, "response body does not fit its type; every field left empty");
            let mut raw = tree;
            crate::error::hide_in_value(&mut raw, secrets);
            recovery.anomalies.push(Anomaly {
                path: String::new(),
                reason,
                raw,
            });
            T::default()
        }
    };
    if recovery.unrecorded > 0 {
        recovery.anomalies.push(Anomaly {
            path: String::new(),
            reason: format!(
                "{} more fields did not fit their declared types and were left empty; only the first {MAX_ANOMALIES} are recorded",
                recovery.unrecorded
            ),
            raw: serde_json::Value::Null,
        });
    }
    Ok((value, recovery.anomalies))
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

/// One step of a field's path in the body.
enum Step {
    Key(String),
    Index(usize),
}

/// The state of the recovering decode on this thread: where in the body it is, and what it found.
///
/// The lenient functions the generated types decode through ([`opt`], [`list`], list items...)
/// are where a bad value can be caught: each keeps its value aside, decodes it, and on failure
/// records the value and leaves the field empty, so that one pass decodes the whole body however
/// many fields are bad. They learn the path from the objects and lists around them, which push
/// their keys and indices here as they go. Outside a recovering decode none of this runs: the
/// fast path is a plain serde decode.
struct Recovery {
    path: Vec<Step>,
    anomalies: Vec<Anomaly>,
    unrecorded: usize,
    secrets: Vec<String>,
}

thread_local! {
    static RECOVERY: RefCell<Option<Recovery>> = const { RefCell::new(None) };
}

impl Recovery {
    /// Runs `decode` as a recovering decode and returns what it found.
    fn run<R>(secrets: &[&str], decode: impl FnOnce() -> R) -> (R, Recovery) {
        /// Puts back the state from before the run even if `decode` panics, so the thread is
        /// left as it was.
        struct Restore(Option<Option<Recovery>>);
        impl Drop for Restore {
            fn drop(&mut self) {
                if let Some(previous) = self.0.take() {
                    RECOVERY.with(|state| *state.borrow_mut() = previous);
                }
            }
        }
        let fresh = |secrets: &[&str]| Recovery {
            path: Vec::new(),
            anomalies: Vec::new(),
            unrecorded: 0,
            secrets: secrets.iter().map(|secret| (*secret).to_owned()).collect(),
        };
        let previous = RECOVERY.with(|state| state.borrow_mut().replace(fresh(secrets)));
        let restore = Restore(Some(previous));
        let result = decode();
        let found = RECOVERY
            .with(|state| state.borrow_mut().take())
            .unwrap_or_else(|| fresh(&[]));
        drop(restore);
        (result, found)
    }

    fn active() -> bool {
        RECOVERY.with(|state| state.borrow().is_some())
    }

    fn with<R>(f: impl FnOnce(&mut Recovery) -> R) -> Option<R> {
        RECOVERY.with(|state| state.borrow_mut().as_mut().map(f))
    }

    /// The current path as on the wire: `Images.Image[0].Size`.
    fn path_text(&self) -> String {
        let mut text = String::new();
        for step in &self.path {
            match step {
                // An object whose first key is not read yet.
                Step::Key(key) if key.is_empty() => {}
                Step::Key(key) => {
                    if !text.is_empty() {
                        text.push('.');
                    }
                    text.push_str(key);
                }
                Step::Index(index) => {
                    text.push('[');
                    text.push_str(itoa::Buffer::new().format(*index));
                    text.push(']');
                }
            }
        }
        text
    }

    /// Records a value that failed to decode at the current path.
    fn record(&mut self, reason: &str, mut raw: serde_json::Value) {
        if self.anomalies.len() >= MAX_ANOMALIES {
            self.unrecorded += 1;
            return;
        }
        let secrets: Vec<&str> = self.secrets.iter().map(String::as_str).collect();
        let reason =
            crate::error::hide_secrets(&excerpt(reason.as_bytes(), MAX_REASON_CHARS), &secrets);
        crate::error::hide_in_value(&mut raw, &secrets);
        let path = self.path_text();
        tracing::warn!(field = %path, %reason, "response field left empty: it does not fit its declared type");
        self.anomalies.push(Anomaly { path, reason, raw });
    }
}

/// A step pushed on the recovering decode's path while a value inside it decodes.
struct PathStep {
    active: bool,
}

impl PathStep {
    fn push(step: Step) -> PathStep {
        let active = Recovery::with(|recovery| recovery.path.push(step)).is_some();
        PathStep { active }
    }

    fn set(&self, step: Step) {
        if self.active {
            Recovery::with(|recovery| {
                if let Some(last) = recovery.path.last_mut() {
                    *last = step;
                }
            });
        }
    }
}

impl Drop for PathStep {
    fn drop(&mut self) {
        if self.active {
            Recovery::with(|recovery| recovery.path.pop());
        }
    }
}

/// In a recovering decode: keeps the value aside, decodes it with `decode`, and on failure
/// records it and returns `empty()`.
fn caught<'de, D, V>(
    d: D,
    decode: impl FnOnce(&serde_json::Value) -> Result<V, serde_json::Error>,
    empty: impl FnOnce() -> V,
) -> Result<V, D::Error>
where
    D: Deserializer<'de>,
{
    let value = serde_json::Value::deserialize(d)?;
    match decode(&value) {
        Ok(decoded) => Ok(decoded),
        Err(err) => {
            let reason = err.to_string();
            Recovery::with(|recovery| recovery.record(&reason, value));
            Ok(empty())
        }
    }
}

/// Whether a recovering decode is under way on this thread (see [`Recovery`]).
pub(crate) fn recovering() -> bool {
    Recovery::active()
}

impl<A> PathMap<A> {
    /// `map`, its keys pushed on the recovering decode's path as they are read.
    pub(crate) fn new(map: A) -> Self {
        PathMap {
            inner: map,
            step: PathStep::push(Step::Key(String::new())),
        }
    }
}

/// A map whose keys are pushed on the recovering decode's path as they are read.
pub(crate) struct PathMap<A> {
    inner: A,
    step: PathStep,
}

impl<'de, A: MapAccess<'de>> MapAccess<'de> for PathMap<A> {
    type Error = A::Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, A::Error> {
        let Some(key) = self.inner.next_key::<String>()? else {
            return Ok(None);
        };
        self.step.set(Step::Key(key.clone()));
        seed.deserialize(de::value::StringDeserializer::<A::Error>::new(key))
            .map(Some)
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, A::Error> {
        self.inner.next_value_seed(seed)
    }

    fn size_hint(&self) -> Option<usize> {
        self.inner.size_hint()
    }
}

/// A type that decodes leniently: `None` for null or an empty value, an error only when no
/// reading of the wire value fits.
pub trait Lenient: Sized {
    /// Decodes one value.
    fn deserialize_lenient<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Self>, D::Error>;
}

/// `deserialize_with` for `Option<T>` fields.
pub fn opt<'de, D: Deserializer<'de>, T: Lenient>(d: D) -> Result<Option<T>, D::Error> {
    if Recovery::active() {
        return caught(d, |value| T::deserialize_lenient(value), || None);
    }
    T::deserialize_lenient(d)
}

/// `deserialize_with` for required request fields: like [`opt`], but null is an error.
pub fn required<'de, D: Deserializer<'de>, T: Lenient>(d: D) -> Result<T, D::Error> {
    T::deserialize_lenient(d)?
        .ok_or_else(|| de::Error::custom("a value is required here, found null"))
}

/// `deserialize_with` for list fields: a JSON array, an array wrapped in a one-key object
/// (`{"Image": [...]}`), or null; null items are skipped.
pub fn list<'de, D: Deserializer<'de>, T: Lenient>(d: D) -> Result<Vec<T>, D::Error> {
    if Recovery::active() {
        return caught(
            d,
            |value| value.deserialize_any(ListVisitor::<T>::new(None)),
            Vec::new,
        );
    }
    d.deserialize_any(ListVisitor::<T>::new(None))
}

/// `deserialize_with` for lists the spec declares wrapped (`{"Image": [...]}`): the list under
/// the declared key (other keys beside it are ignored, as the official SDKs do), or a plain list;
/// a value under the declared key that is no list is an anomaly at that key, not at the whole
/// wrapper.
pub fn wrapped_list<'de, K: WrapperKey, D: Deserializer<'de>, T: Lenient>(
    d: D,
) -> Result<Vec<T>, D::Error> {
    if Recovery::active() {
        return caught(
            d,
            |value| value.deserialize_any(ListVisitor::<T>::new(Some(K::KEY))),
            Vec::new,
        );
    }
    d.deserialize_any(ListVisitor::<T>::new(Some(K::KEY)))
}

/// `deserialize_with` for request lists that are `Option<Vec<T>>`: null or missing is `None`,
/// anything [`list`] reads (an empty array too) is `Some`.
pub fn opt_list<'de, D: Deserializer<'de>, T: Lenient>(d: D) -> Result<Option<Vec<T>>, D::Error> {
    d.deserialize_option(OptListVisitor(PhantomData))
}

struct OptListVisitor<T>(PhantomData<T>);

impl<'de, T: Lenient> Visitor<'de> for OptListVisitor<T> {
    type Value = Option<Vec<T>>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a list, an object wrapping a list, or null")
    }

    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        if Recovery::active() {
            return caught(
                d,
                |value| value.deserialize_any(ListVisitor::<T>::new(None)).map(Some),
                || None,
            );
        }
        list(d).map(Some)
    }
}

struct ListVisitor<T> {
    /// The key the spec wraps the list under, when it declares one.
    wrapper: Option<&'static str>,
    items: PhantomData<T>,
}

impl<T> ListVisitor<T> {
    fn new(wrapper: Option<&'static str>) -> Self {
        ListVisitor {
            wrapper,
            items: PhantomData,
        }
    }
}

impl<'de, T: Lenient> Visitor<'de> for ListVisitor<T> {
    type Value = Vec<T>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a list, or an object wrapping a list")
    }

    fn visit_unit<E: de::Error>(self) -> Result<Vec<T>, E> {
        Ok(Vec::new())
    }

    fn visit_none<E: de::Error>(self) -> Result<Vec<T>, E> {
        Ok(Vec::new())
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Vec<T>, D::Error> {
        d.deserialize_any(self)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Vec<T>, A::Error> {
        let mut out = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(1024));
        let step = Recovery::active().then(|| PathStep::push(Step::Index(0)));
        let mut index = 0;
        loop {
            if let Some(step) = &step {
                step.set(Step::Index(index));
            }
            let Some(item) = seq.next_element_seed(LenientSeed::<T>(PhantomData))? else {
                break;
            };
            if let Some(item) = item {
                out.push(item);
            }
            index += 1;
        }
        Ok(out)
    }

    /// A wrapper object (`{"Image": [...]}`) holds one list under one key.
    ///
    /// When the spec declares the key, only the list under it is read and any other key beside it
    /// is ignored, as the official SDKs do: a stray `"Other": "x"` neither empties the list nor
    /// adds items to it. Under the declared key the value may also be one object where a list of
    /// one was meant (JSON converted from XML loses the array of a single element): it is read as
    /// that one item. An object without the declared key is not the wrapper at all (a lone item
    /// where the list belongs, say), and is refused whole, so that the anomaly names the list and
    /// keeps the object.
    ///
    /// When the spec declares no key, the lists under all keys are joined in key order (a key
    /// repeated replaces its earlier list), and an object with anything but lists under its keys
    /// is refused whole.
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Vec<T>, A::Error> {
        let step = Recovery::active().then(|| PathStep::push(Step::Key(String::new())));
        if let Some(declared) = self.wrapper {
            let mut found: Option<Vec<T>> = None;
            let mut other: Option<String> = None;
            while let Some(key) = map.next_key_seed(KeySeed)? {
                if key != declared {
                    map.next_value::<de::IgnoredAny>()?;
                    other.get_or_insert_with(|| key.into_owned());
                    continue;
                }
                if let Some(step) = &step {
                    step.set(Step::Key(key.into_owned()));
                }
                if let Some(items) = map.next_value_seed(DeclaredSeed::<T>(PhantomData))? {
                    found = Some(items);
                }
            }
            return match (found, other) {
                (Some(items), _) => Ok(items),
                (None, None) => Ok(Vec::new()),
                (None, Some(key)) => Err(de::Error::custom(format!(
                    "expected a list, or an object wrapping one under `{declared}`; found an object with `{}` instead",
                    shown(&key)
                ))),
            };
        }
        // The one key a wrapper has is kept aside, so that the usual case allocates nothing
        // beyond its items.
        let mut first: Option<(std::borrow::Cow<'de, str>, Vec<T>)> = None;
        let mut more: Vec<(std::borrow::Cow<'de, str>, Vec<T>)> = Vec::new();
        let mut not_a_wrapper: Option<String> = None;
        while let Some(key) = map.next_key_seed(KeySeed)? {
            if let Some(step) = &step {
                step.set(Step::Key(key.as_ref().to_owned()));
            }
            let Some(items) = map.next_value_seed(WrappedSeed::<T>::new(false))? else {
                not_a_wrapper.get_or_insert_with(|| key.into_owned());
                continue;
            };
            match &mut first {
                None => first = Some((key, items)),
                Some((seen, earlier)) if *seen == key => *earlier = items,
                Some(_) => match more.iter_mut().find(|(seen, _)| *seen == key) {
                    Some((_, earlier)) => *earlier = items,
                    None => more.push((key, items)),
                },
            }
        }
        if let Some(key) = not_a_wrapper {
            return Err(de::Error::custom(format!(
                "expected a list, or an object wrapping one; found an object whose `{}` is not a list",
                shown(&key)
            )));
        }
        let Some(first) = first else {
            return Ok(Vec::new());
        };
        if more.is_empty() {
            return Ok(first.1);
        }
        more.push(first);
        more.sort_by(|(a, _), (b, _)| a.cmp(b));
        Ok(more.into_iter().flat_map(|(_, items)| items).collect())
    }
}

/// The value under a wrapper's declared key; in a recovering decode, a bad one is an anomaly at
/// that key and the list is left empty.
struct DeclaredSeed<T>(PhantomData<T>);

impl<'de, T: Lenient> DeserializeSeed<'de> for DeclaredSeed<T> {
    type Value = Option<Vec<T>>;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        if Recovery::active() {
            return caught(
                d,
                |value| WrappedSeed::<T>::new(true).deserialize(value),
                || None,
            );
        }
        WrappedSeed::<T>::new(true).deserialize(d)
    }
}

/// The value under a wrapper's key: a list, or null (no items). Under the key the spec declares
/// (`strict`), also one object (one item, its array lost in a conversion from XML), and a text,
/// number or boolean is an error there: the object is the wrapper, its value is bad. Under any
/// other key, an object or a scalar is `None`: the object holding it wraps no list.
struct WrappedSeed<T> {
    strict: bool,
    items: PhantomData<T>,
}

impl<T> WrappedSeed<T> {
    fn new(strict: bool) -> Self {
        WrappedSeed {
            strict,
            items: PhantomData,
        }
    }

    fn scalar<E: de::Error>(&self, found: de::Unexpected<'_>) -> Result<Option<Vec<T>>, E> {
        if self.strict {
            Err(E::invalid_type(found, &"a list, or one object"))
        } else {
            Ok(None)
        }
    }
}

impl<'de, T: Lenient> DeserializeSeed<'de> for WrappedSeed<T> {
    type Value = Option<Vec<T>>;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de, T: Lenient> Visitor<'de> for WrappedSeed<T> {
    type Value = Option<Vec<T>>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a list, or one object")
    }

    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(Some(Vec::new()))
    }

    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(Some(Vec::new()))
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
        ListVisitor::<T>::new(None).visit_seq(seq).map(Some)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        if !self.strict {
            // Under a key the spec does not declare, an object is no list at all; reading it as
            // an item would invent one.
            while map
                .next_entry::<de::IgnoredAny, de::IgnoredAny>()?
                .is_some()
            {}
            return Ok(None);
        }
        let item = T::deserialize_lenient(de::value::MapAccessDeserializer::new(map))?;
        Ok(Some(item.into_iter().collect()))
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
        self.scalar(de::Unexpected::Bool(v))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
        self.scalar(de::Unexpected::Signed(v))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
        self.scalar(de::Unexpected::Unsigned(v))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
        self.scalar(de::Unexpected::Float(v))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        self.scalar(de::Unexpected::Str(&shown(v)))
    }
}

/// A map key, borrowed from the body when it holds no escapes.
struct KeySeed;

impl<'de> DeserializeSeed<'de> for KeySeed {
    type Value = std::borrow::Cow<'de, str>;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for KeySeed {
    type Value = std::borrow::Cow<'de, str>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a key")
    }

    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
        Ok(std::borrow::Cow::Borrowed(v))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(std::borrow::Cow::Owned(v.to_owned()))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
        Ok(std::borrow::Cow::Owned(v))
    }
}

struct LenientSeed<T>(PhantomData<T>);

impl<'de, T: Lenient> DeserializeSeed<'de> for LenientSeed<T> {
    type Value = Option<T>;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Option<T>, D::Error> {
        if Recovery::active() {
            return caught(d, |value| T::deserialize_lenient(value), || None);
        }
        T::deserialize_lenient(d)
    }
}

/// The key of a wrapper object, for re-encoding a wrapped list as it came.
pub trait WrapperKey {
    /// The key (`Image` in `{"Images": {"Image": [...]}}`).
    const KEY: &'static str;
}

/// `serialize_with` for wrapped lists: writes `{KEY: [...]}`.
#[allow(clippy::ptr_arg)] // serde hands over `&Vec<T>` for a `Vec<T>` field
pub fn wrapped<K: WrapperKey, T: Serialize, S: Serializer>(
    items: &Vec<T>,
    s: S,
) -> Result<S::Ok, S::Error> {
    let mut map = s.serialize_map(Some(1))?;
    map.serialize_entry(K::KEY, items)?;
    map.end()
}

/// Decodes an object type: a JSON object, or null. Anything else is an error rather than a
/// positional reading (derived `Deserialize` would read `[1, 2]` into the first two fields).
pub fn object<'de, D: Deserializer<'de>, T: Deserialize<'de>>(d: D) -> Result<Option<T>, D::Error> {
    d.deserialize_any(ObjectVisitor(PhantomData))
}

struct ObjectVisitor<T>(PhantomData<T>);

impl<'de, T: Deserialize<'de>> Visitor<'de> for ObjectVisitor<T> {
    type Value = Option<T>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an object")
    }

    fn visit_unit<E: de::Error>(self) -> Result<Option<T>, E> {
        Ok(None)
    }

    fn visit_none<E: de::Error>(self) -> Result<Option<T>, E> {
        Ok(None)
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Option<T>, D::Error> {
        d.deserialize_any(self)
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Option<T>, A::Error> {
        if Recovery::active() {
            let map = PathMap {
                inner: map,
                step: PathStep::push(Step::Key(String::new())),
            };
            return T::deserialize(de::value::MapAccessDeserializer::new(map)).map(Some);
        }
        T::deserialize(de::value::MapAccessDeserializer::new(map)).map(Some)
    }
}

/// Implements [`Lenient`] for types whose own `Deserialize` is already lenient field by field
/// (generated object types).
#[macro_export]
macro_rules! lenient_via_serde {
    ($($t:ty),* $(,)?) => {
        $(
            impl $crate::decode::Lenient for $t {
                fn deserialize_lenient<'de, D: $crate::__private::serde::Deserializer<'de>>(
                    d: D,
                ) -> ::core::result::Result<::core::option::Option<Self>, D::Error> {
                    $crate::decode::object(d)
                }
            }
        )*
    };
}

macro_rules! scalar_visitor {
    ($name:ident, $t:ty, $expecting:literal, { $($body:tt)* }) => {
        struct $name;

        impl<'de> Visitor<'de> for $name {
            type Value = Option<$t>;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str($expecting)
            }

            fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
                Ok(None)
            }

            fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
                Ok(None)
            }

            fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
                d.deserialize_any(self)
            }

            $($body)*
        }
    };
}

scalar_visitor!(
    StringVisitor,
    String,
    "a string (or a number or boolean to read as text)",
    {
        fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
            Ok(Some(v.to_owned()))
        }
        fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
            Ok(Some(v))
        }
        fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
            Ok(Some(v.to_string()))
        }
        fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
            Ok(Some(v.to_string()))
        }
        fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
            Ok(Some(v.to_string()))
        }
        fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
            Ok(Some(v.to_string()))
        }
    }
);

/// A shape that contains itself holds the inner value behind a `Box`; it decodes as the value.
impl<T: Lenient> Lenient for Box<T> {
    fn deserialize_lenient<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Self>, D::Error> {
        Ok(T::deserialize_lenient(d)?.map(Box::new))
    }
}

impl Lenient for String {
    fn deserialize_lenient<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Self>, D::Error> {
        d.deserialize_any(StringVisitor)
    }
}

macro_rules! integer {
    ($visitor:ident, $t:ty) => {
        scalar_visitor!($visitor, $t, "an integer (or a string holding one)", {
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
                <$t>::try_from(v)
                    .map(Some)
                    .map_err(|_| E::custom(format!("{v} is out of range")))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
                <$t>::try_from(v)
                    .map(Some)
                    .map_err(|_| E::custom(format!("{v} is out of range")))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
                if v.fract() == 0.0 && v >= <$t>::MIN as f64 && v <= <$t>::MAX as f64 {
                    Ok(Some(v as $t))
                } else {
                    Err(E::custom(format!("{v} is not a whole number in range")))
                }
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
                let t = v.trim();
                if t.is_empty() {
                    // Recorded rather than read as "no value": a number the service failed to
                    // fill is worth knowing about.
                    return Err(E::invalid_value(de::Unexpected::Str(v), &self));
                }
                t.parse::<$t>()
                    .map(Some)
                    .map_err(|_| E::invalid_value(de::Unexpected::Str(&shown(v)), &self))
            }
        });

        impl Lenient for $t {
            fn deserialize_lenient<'de, D: Deserializer<'de>>(
                d: D,
            ) -> Result<Option<Self>, D::Error> {
                d.deserialize_any($visitor)
            }
        }
    };
}

integer!(I32Visitor, i32);
integer!(I64Visitor, i64);

scalar_visitor!(F64Visitor, f64, "a number (or a string holding one)", {
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
        Ok(Some(v as f64))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
        Ok(Some(v as f64))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
        Ok(Some(v))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        let t = v.trim();
        if t.is_empty() {
            return Err(E::invalid_value(de::Unexpected::Str(v), &self));
        }
        match t.parse::<f64>() {
            Ok(n) if n.is_finite() => Ok(Some(n)),
            _ => Err(E::invalid_value(de::Unexpected::Str(&shown(v)), &self)),
        }
    }
});

impl Lenient for f64 {
    fn deserialize_lenient<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Self>, D::Error> {
        d.deserialize_any(F64Visitor)
    }
}

scalar_visitor!(
    BoolVisitor,
    bool,
    "a boolean (or \"true\"/\"false\" in any case, or 0/1)",
    {
        fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
            Ok(Some(v))
        }
        fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
            match v {
                0 => Ok(Some(false)),
                1 => Ok(Some(true)),
                _ => Err(E::invalid_value(de::Unexpected::Signed(v), &self)),
            }
        }
        fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
            match v {
                0 => Ok(Some(false)),
                1 => Ok(Some(true)),
                _ => Err(E::invalid_value(de::Unexpected::Unsigned(v), &self)),
            }
        }
        fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
            let t = v.trim();
            if t.is_empty() {
                Ok(None)
            } else if t.eq_ignore_ascii_case("true") || t == "1" {
                Ok(Some(true))
            } else if t.eq_ignore_ascii_case("false") || t == "0" {
                Ok(Some(false))
            } else {
                Err(E::invalid_value(de::Unexpected::Str(&shown(v)), &self))
            }
        }
    }
);

impl Lenient for bool {
    fn deserialize_lenient<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Self>, D::Error> {
        d.deserialize_any(BoolVisitor)
    }
}

/// Decodes an open enum's wire value: text, or a number read as text.
pub fn enum_value<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    String::deserialize_lenient(d)
}

/// Implements an open enum's behaviour for an enum with documented unit variants plus
/// `Unknown(String)`, so a value the service adds later never breaks a caller: `as_str`,
/// `VALUES`, `From<&str>`, `FromStr`, `Display`, serde in the wire form, and the wire encoding.
///
/// ```
/// #[derive(Debug, Clone, PartialEq, Eq, Hash)]
/// pub enum Usage { Instance, None_, Unknown(String) }
/// acs_runtime::open_enum!(Usage { Instance = "instance", None_ = "none" });
///
/// assert_eq!(Usage::from("none"), Usage::None_);
/// assert_eq!(Usage::from("image").as_str(), "image");
/// ```
#[macro_export]
macro_rules! open_enum {
    ($name:ident { $( $variant:ident = $wire:literal ),* $(,)? }) => {
        impl $name {
            /// Every documented value, as it goes on the wire.
            pub const VALUES: &'static [&'static str] = &[$($wire),*];

            /// The value as it goes on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    $( Self::$variant => $wire, )*
                    Self::Unknown(value) => value.as_str(),
                }
            }
        }

        impl ::core::convert::From<&str> for $name {
            fn from(value: &str) -> Self {
                match value {
                    $( $wire => Self::$variant, )*
                    other => Self::Unknown(other.to_owned()),
                }
            }
        }

        impl ::core::convert::From<::std::string::String> for $name {
            fn from(value: ::std::string::String) -> Self {
                Self::from(value.as_str())
            }
        }

        impl ::core::str::FromStr for $name {
            type Err = ::core::convert::Infallible;
            fn from_str(value: &str) -> ::core::result::Result<Self, Self::Err> {
                ::core::result::Result::Ok(Self::from(value))
            }
        }

        impl ::core::convert::AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                self.as_str()
            }
        }

        impl ::core::fmt::Display for $name {
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl $crate::__private::serde::Serialize for $name {
            fn serialize<S: $crate::__private::serde::Serializer>(&self, s: S) -> ::core::result::Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl<'de> $crate::__private::serde::Deserialize<'de> for $name {
            fn deserialize<D: $crate::__private::serde::Deserializer<'de>>(d: D) -> ::core::result::Result<Self, D::Error> {
                let value = $crate::decode::enum_value(d)?.unwrap_or_default();
                ::core::result::Result::Ok(Self::from(value))
            }
        }

        impl $crate::decode::Lenient for $name {
            fn deserialize_lenient<'de, D: $crate::__private::serde::Deserializer<'de>>(
                d: D,
            ) -> ::core::result::Result<::core::option::Option<Self>, D::Error> {
                ::core::result::Result::Ok($crate::decode::enum_value(d)?.map(Self::from))
            }
        }

        impl $crate::wire::WireScalar for $name {
            fn write_wire(&self, out: &mut ::std::string::String) {
                out.push_str(self.as_str());
            }
        }
    };
}

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

    #[derive(Debug, Clone, Default, PartialEq, Deserialize)]
    struct Disk {
        #[serde(rename = "Size", default, deserialize_with = "opt")]
        size: Option<i32>,
        #[serde(rename = "Device", default, deserialize_with = "opt")]
        device: Option<String>,
    }
    crate::lenient_via_serde!(Disk);

    #[derive(Debug, Default, PartialEq, Deserialize)]
    struct Page {
        #[serde(rename = "TotalCount", default, deserialize_with = "opt")]
        total: Option<i64>,
        #[serde(rename = "IsCopied", default, deserialize_with = "opt")]
        copied: Option<bool>,
        #[serde(rename = "Name", default, deserialize_with = "opt")]
        name: Option<String>,
        #[serde(rename = "Disks", default, deserialize_with = "list")]
        disks: Vec<Disk>,
    }

    /// A shape that contains itself, as the generator writes one.
    #[derive(Debug, Default, PartialEq, Deserialize)]
    struct Node {
        #[serde(rename = "Name", default, deserialize_with = "opt")]
        name: Option<String>,
        #[serde(rename = "Parent", default, deserialize_with = "opt")]
        parent: Option<Box<Node>>,
    }
    crate::lenient_via_serde!(Node);

    #[test]
    fn a_boxed_value_decodes_as_the_value() {
        let node: Node =
            serde_json::from_str(r#"{"Name": "a", "Parent": {"Name": 2, "Parent": null}}"#)
                .expect("the chain decodes");
        let parent = node.parent.expect("the parent is set");
        assert_eq!(parent.name.as_deref(), Some("2"));
        assert_eq!(parent.parent, None);
    }

    #[test]
    fn accepts_the_forms_the_service_sends() {
        let body = br#"{"TotalCount":"24","IsCopied":"False","Name":7,"Disks":{"Disk":[{"Size":"20","Device":"/dev/xvda"},null]},"New":1}"#;
        let (page, anomalies) = decode_response::<Page>(body).unwrap();
        assert!(anomalies.is_empty());
        assert_eq!(page.total, Some(24));
        assert_eq!(page.copied, Some(false));
        assert_eq!(page.name.as_deref(), Some("7"));
        assert_eq!(
            page.disks,
            vec![Disk {
                size: Some(20),
                device: Some("/dev/xvda".into())
            }]
        );
    }

    #[test]
    fn a_bad_field_is_kept_aside_and_the_rest_decodes() {
        let body = br#"{"TotalCount":5,"Name":{"odd":true},"Disks":[{"Size":[1],"Device":"a"},{"Size":3}]}"#;
        let (page, anomalies) = decode_response::<Page>(body).unwrap();
        assert_eq!(page.total, Some(5));
        assert_eq!(page.name, None);
        assert_eq!(page.disks.len(), 2);
        assert_eq!(page.disks[0].device.as_deref(), Some("a"));
        assert_eq!(page.disks[1].size, Some(3));
        let mut paths: Vec<&str> = anomalies.iter().map(|a| a.path.as_str()).collect();
        paths.sort_unstable();
        assert_eq!(paths, ["Disks[0].Size", "Name"]);
        let name = anomalies.iter().find(|a| a.path == "Name").unwrap();
        assert_eq!(name.raw, serde_json::json!({"odd": true}));
    }

    #[test]
    fn an_array_where_an_object_is_declared_is_not_read_positionally() {
        let body = br#"{"TotalCount":1,"Disks":[["20","/dev/xvda"],{"Size":3}]}"#;
        let (page, anomalies) = decode_response::<Page>(body).unwrap();
        assert_eq!(
            page.disks,
            vec![Disk {
                size: Some(3),
                device: None
            }]
        );
        assert_eq!(anomalies.len(), 1);
        assert_eq!(anomalies[0].path, "Disks[0]");
        assert_eq!(anomalies[0].raw, serde_json::json!(["20", "/dev/xvda"]));
    }

    #[test]
    fn a_top_level_array_gives_an_empty_response_and_keeps_the_body() {
        let (page, anomalies) = decode_response::<Page>(b"[1,2]").unwrap();
        assert_eq!(page, Page::default());
        assert_eq!(anomalies[0].raw, serde_json::json!([1, 2]));
    }

    #[derive(Debug, Default, PartialEq, Deserialize)]
    struct Wrapped {
        #[serde(
            rename = "Disks",
            default,
            deserialize_with = "wrapped_list::<DiskKey, _, _>"
        )]
        disks: Vec<Disk>,
    }

    struct DiskKey;

    impl WrapperKey for DiskKey {
        const KEY: &'static str = "Disk";
    }

    fn disks_of(body: &str) -> (Vec<Disk>, Vec<String>) {
        let (page, anomalies) = decode_response::<Wrapped>(body.as_bytes()).unwrap();
        (page.disks, anomalies.into_iter().map(|a| a.path).collect())
    }

    #[test]
    fn a_wrapper_is_read_by_its_declared_key() {
        let one = Disk {
            size: Some(1),
            device: None,
        };
        // The usual form, and one object whose array was lost.
        assert_eq!(
            disks_of(r#"{"Disks":{"Disk":[{"Size":1}]}}"#),
            (vec![one.clone()], vec![])
        );
        assert_eq!(
            disks_of(r#"{"Disks":{"Disk":{"Size":1}}}"#),
            (vec![one.clone()], vec![])
        );
        // A bad value under the declared key is an anomaly there.
        assert_eq!(
            disks_of(r#"{"Disks":{"Disk":"x"}}"#),
            (vec![], vec!["Disks.Disk".to_owned()])
        );
        // Keys beside the declared one are ignored, whatever they hold: they neither empty the
        // list nor add to it.
        let two = Disk {
            size: Some(2),
            device: None,
        };
        assert_eq!(
            disks_of(r#"{"Disks":{"Disk":[{"Size":1}],"Meta":{"Count":1}}}"#),
            (vec![one.clone()], vec![])
        );
        assert_eq!(
            disks_of(r#"{"Disks":{"Disk":[{"Size":1}],"Other":"x"}}"#),
            (vec![one.clone()], vec![])
        );
        assert_eq!(
            disks_of(r#"{"Disks":{"Extra":[{"Size":2}],"Disk":[{"Size":1}]}}"#),
            (vec![one.clone()], vec![])
        );
        // Also on the recovering path, after a bad field elsewhere.
        assert_eq!(
            disks_of(
                r#"{"Disks":{"Disk":[{"Size":1},{"Size":[2]},{"Size":2}],"Other":"x","Extra":[{"Size":3}]}}"#
            ),
            (
                vec![
                    one.clone(),
                    Disk {
                        size: None,
                        device: None
                    },
                    two
                ],
                vec!["Disks.Disk[1].Size".to_owned()]
            )
        );
        // A lone item where the wrapper belongs is one anomaly at the list.
        assert_eq!(
            disks_of(r#"{"Disks":{"Size":1}}"#),
            (vec![], vec!["Disks".to_owned()])
        );
    }

    #[test]
    fn an_error_after_a_number_read_as_text_points_into_the_body_as_sent() {
        let body = "{\"Name\": 1e400,\n \"Disks\": [], \"TotalCount\": 3,}";
        let err = decode_response::<Page>(body.as_bytes()).unwrap_err();
        // The stray `}` after the last comma, on line 2 of the body itself.
        assert_eq!((err.line, err.column), (2, 31), "{err}");
        assert!(!err.message.contains(" at line "), "{err}");
        let same_line = br#"{"Name": 1e400, "TotalCount": 3,}"#;
        let err = decode_response::<Page>(same_line).unwrap_err();
        assert_eq!((err.line, err.column), (1, 33), "{err}");
    }

    #[test]
    fn numbers_beyond_f64_anywhere_cost_only_their_field() {
        let body = "{\n  \"TotalCount\": -1.5e999,\n  \"Name\": 2E+400,\n  \"Disks\": [{\"Size\": 1e400, \"Device\": \"a\"}, {\"Size\": 3}],\n  \"IsCopied\": true}";
        let (page, anomalies) = decode_response::<Page>(body.as_bytes()).unwrap();
        assert_eq!(
            page.name.as_deref(),
            Some("2E+400"),
            "a text field keeps the number's text"
        );
        assert_eq!(page.copied, Some(true));
        assert_eq!(page.disks.len(), 2);
        assert_eq!(page.disks[0].device.as_deref(), Some("a"));
        assert_eq!(page.disks[1].size, Some(3));
        let mut found: Vec<(&str, &serde_json::Value)> = anomalies
            .iter()
            .map(|a| (a.path.as_str(), &a.raw))
            .collect();
        found.sort_by_key(|(path, _)| *path);
        assert_eq!(
            found,
            [
                ("Disks[0].Size", &serde_json::json!("1e400")),
                ("TotalCount", &serde_json::json!("-1.5e999"))
            ]
        );
    }

    #[test]
    fn a_body_that_is_not_json_is_an_error_with_an_excerpt() {
        let err = decode_response::<Page>(b"<html>502 Bad Gateway</html>").unwrap_err();
        assert!(err.excerpt.starts_with("<html>"), "{err}");
        let err = decode_response::<Page>(br#"{"TotalCount": 4"#).unwrap_err();
        assert!(err.to_string().contains("not valid JSON"));
    }

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

    /// A page of `n` disks, each with a `Size` of the wrong type, and a total.
    fn page_of_bad_disks(n: usize) -> String {
        let disks: Vec<String> = (0..n)
            .map(|i| format!(r#"{{"Size":{{"odd":{i}}},"Device":"d{i}"}}"#))
            .collect();
        format!(
            r#"{{"TotalCount":{n},"Name":"page","Disks":{{"Disk":[{}]}}}}"#,
            disks.join(",")
        )
    }

    #[test]
    fn however_many_fields_are_bad_the_rest_decodes() {
        for n in [1, 256, 257, 10_000] {
            let (page, anomalies) =
                decode_response::<Page>(page_of_bad_disks(n).as_bytes()).unwrap();
            assert_eq!(page.total, Some(n as i64), "{n}");
            assert_eq!(page.name.as_deref(), Some("page"), "{n}");
            assert_eq!(page.disks.len(), n, "{n}");
            assert!(page.disks.iter().all(|disk| disk.size.is_none()));
            assert_eq!(page.disks[n - 1].device, Some(format!("d{}", n - 1)));
            let recorded = n.min(MAX_ANOMALIES);
            assert_eq!(anomalies[0].path, "Disks.Disk[0].Size");
            assert_eq!(anomalies[0].raw, serde_json::json!({"odd": 0}));
            assert_eq!(
                anomalies[recorded - 1].path,
                format!("Disks.Disk[{}].Size", recorded - 1)
            );
            if n > MAX_ANOMALIES {
                assert_eq!(anomalies.len(), MAX_ANOMALIES + 1, "{n}");
                let summary = &anomalies[MAX_ANOMALIES];
                assert_eq!(summary.path, "");
                assert!(
                    summary
                        .reason
                        .starts_with(&format!("{} more fields", n - MAX_ANOMALIES)),
                    "{}",
                    summary.reason
                );
            } else {
                assert_eq!(anomalies.len(), n);
            }
        }
    }

    #[test]
    fn an_empty_string_where_a_number_is_declared_is_an_anomaly() {
        let (page, anomalies) =
            decode_response::<Page>(br#"{"TotalCount":"","Name":"n","Disks":[{"Size":" "}]}"#)
                .unwrap();
        assert_eq!(page.total, None);
        assert_eq!(page.name.as_deref(), Some("n"));
        assert_eq!(page.disks.len(), 1);
        let mut found: Vec<(&str, &serde_json::Value)> = anomalies
            .iter()
            .map(|a| (a.path.as_str(), &a.raw))
            .collect();
        found.sort_by_key(|(path, _)| *path);
        assert_eq!(
            found,
            [
                ("Disks[0].Size", &serde_json::json!(" ")),
                ("TotalCount", &serde_json::json!(""))
            ]
        );
        // Text fields still take an empty string as it is.
        let (page, anomalies) = decode_response::<Page>(br#"{"Name":""}"#).unwrap();
        assert_eq!(page.name.as_deref(), Some(""));
        assert!(anomalies.is_empty());
    }

    #[test]
    fn secrets_echoed_into_a_bad_field_are_blanked_in_its_anomaly() {
        let body = br#"{"TotalCount":{"SecurityToken":"sts-echoed-value"},"Disks":[{"Size":"sts-echoed-value"}]}"#;
        let (_, anomalies) = decode_response_hiding::<Page>(body, &["sts-echoed-value"]).unwrap();
        assert_eq!(anomalies.len(), 2);
        let shown = format!("{anomalies:?}");
        assert!(!shown.contains("sts-echoed"), "{shown}");
        assert!(shown.contains("<redacted>"), "{shown}");
    }

    #[test]
    fn excerpt_cuts_on_a_character_boundary() {
        assert_eq!(excerpt("镜像镜像".as_bytes(), 2), "镜像…");
        assert_eq!(excerpt(b"ab", 5), "ab");
    }
}
