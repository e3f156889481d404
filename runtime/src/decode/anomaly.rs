//! The state of a recovering decode: where in the body it is, and what it found.

use std::cell::RefCell;

use serde::Deserialize;
use serde::de::{self, DeserializeSeed, Deserializer, MapAccess};

use crate::redact::excerpt::excerpt;
use crate::redact::{hide_in_value, hide_secrets};

/// How many bad fields of one response are recorded as anomalies; the rest are left empty all the
/// same, and counted in one last anomaly.
pub(super) const MAX_ANOMALIES: usize = 256;

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

/// How much of a value an anomaly's reason quotes: reasons go into `tracing` warnings, so they
/// describe a value rather than repeat it (the value itself is kept in [`Anomaly::raw`]).
const SHOWN_CHARS: usize = 64;

/// A value as a reason quotes it: at most [`SHOWN_CHARS`] characters, and its size when cut.
pub(super) fn shown(v: &str) -> std::borrow::Cow<'_, str> {
    if v.chars().nth(SHOWN_CHARS).is_none() {
        return std::borrow::Cow::Borrowed(v);
    }
    std::borrow::Cow::Owned(format!(
        "{} ({} bytes)",
        excerpt(v.as_bytes(), SHOWN_CHARS),
        v.len()
    ))
}

/// How long an anomaly's reason may be, in characters.
pub(super) const MAX_REASON_CHARS: usize = 512;

/// One step of a field's path in the body.
pub(super) enum Step {
    Key(String),
    Index(usize),
}

/// The state of the recovering decode on this thread: where in the body it is, and what it found.
///
/// The lenient functions the generated types decode through ([`opt`](super::lenient::opt),
/// [`list`](super::list::list), list items...) are where a bad value can be caught: each keeps
/// its value aside, decodes it, and on failure records the value and leaves the field empty, so
/// that one pass decodes the whole body however many fields are bad. They learn the path from the objects and lists around them, which push
/// their keys and indices here as they go. Outside a recovering decode none of this runs: the
/// fast path is a plain serde decode.
pub(super) struct Recovery {
    path: Vec<Step>,
    pub(super) anomalies: Vec<Anomaly>,
    pub(super) unrecorded: usize,
    secrets: Vec<String>,
    /// How many fields that hold a secret the decode is inside ([`HiddenValues`]): a bad value
    /// found there is recorded without its value.
    hidden: usize,
}

thread_local! {
    static RECOVERY: RefCell<Option<Recovery>> = const { RefCell::new(None) };
}

impl Recovery {
    /// Runs `decode` as a recovering decode and returns what it found.
    pub(super) fn run<R>(secrets: &[&str], decode: impl FnOnce() -> R) -> (R, Recovery) {
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
            hidden: 0,
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

    pub(super) fn active() -> bool {
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
        let (reason, raw) = if self.hidden > 0 {
            // The value is a secret (or holds one), whatever form it came in: serde's message
            // would quote a text, and the raw value is the secret itself.
            (
                "the value does not fit its declared type; it is not shown, since the field holds a secret".to_owned(),
                serde_json::Value::String(crate::redact::REDACTED.to_owned()),
            )
        } else {
            hide_in_value(&mut raw, &secrets);
            (
                hide_secrets(&excerpt(reason.as_bytes(), MAX_REASON_CHARS), &secrets),
                raw,
            )
        };
        let path = self.path_text();
        tracing::warn!(field = %path, %reason, "response field left empty: it does not fit its declared type");
        self.anomalies.push(Anomaly { path, reason, raw });
    }
}

/// Held while the value of a field that holds a secret decodes (a secret string, or an object
/// with one inside): an anomaly found in it keeps its path but neither its value nor a reason
/// that quotes it.
pub(crate) struct HiddenValues {
    active: bool,
}

impl HiddenValues {
    pub(crate) fn enter() -> HiddenValues {
        let active = Recovery::with(|recovery| recovery.hidden += 1).is_some();
        HiddenValues { active }
    }
}

impl Drop for HiddenValues {
    fn drop(&mut self) {
        if self.active {
            Recovery::with(|recovery| recovery.hidden = recovery.hidden.saturating_sub(1));
        }
    }
}

/// A step pushed on the recovering decode's path while a value inside it decodes.
pub(super) struct PathStep {
    active: bool,
}

impl PathStep {
    pub(super) fn push(step: Step) -> PathStep {
        let active = Recovery::with(|recovery| recovery.path.push(step)).is_some();
        PathStep { active }
    }

    pub(super) fn set(&self, step: Step) {
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
pub(super) fn caught<'de, D, V>(
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
