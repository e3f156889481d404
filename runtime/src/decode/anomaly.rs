//! The state of a recovering decode: where in the body it is, and what it found.

use std::borrow::Cow;
use std::cell::RefCell;

use serde::de::{self, DeserializeSeed, MapAccess};

use super::repair::Markers;
use crate::codegen::object::Key;
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
    /// The value as it arrived. A string that is not text (bytes that are not UTF-8, or a `\u`
    /// escape of a surrogate without its other half) is kept as it was written between its
    /// quotes, escapes and all, each byte that is not UTF-8 as `\xHH`.
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
/// [`list`](super::list::list), list items...) are where a bad value can be caught: each decodes
/// its value through [`caught`](super::catch::caught), which on failure records the value and
/// leaves the field empty, so that one pass decodes the whole body however many fields are bad.
/// They learn the path from the objects and lists around them, which push their keys and indices
/// here as they go. Outside a recovering decode none of this runs: the fast path is a plain
/// serde decode.
pub(super) struct Recovery {
    path: Vec<Step>,
    anomalies: Vec<Anomaly>,
    unrecorded: usize,
    secrets: Vec<String>,
    /// The strings of the body that are not text, which it holds as markers.
    pub(super) markers: Markers,
    /// Set when a value that does not fit has just been recorded, for the
    /// [`caught`](super::catch::caught) around it to leave its field empty.
    caught: bool,
    /// A value read whole before it was found not to fit, left for the catcher to record.
    read_whole: Option<serde_json::Value>,
    /// Anomalies of values a repeated key replaced, by their index in `anomalies`.
    forgotten: Vec<std::ops::Range<usize>>,
    /// How many fields that hold a secret the decode is inside ([`HiddenValues`]): a bad value
    /// found there is recorded without its value.
    hidden: usize,
}

thread_local! {
    static RECOVERY: RefCell<Option<Recovery>> = const { RefCell::new(None) };
}

/// Why a string that is not text was left empty.
const NOT_TEXT: &str = "expected text; found bytes that are not UTF-8 (shown as \\xHH) or a \\u escape of a surrogate without its other half";

impl Recovery {
    /// Runs `decode` as a recovering decode of a body holding `markers`, and returns what it
    /// found.
    pub(super) fn run<R>(
        secrets: &[&str],
        markers: Markers,
        decode: impl FnOnce() -> R,
    ) -> (R, Recovery) {
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
        let fresh = |secrets: &[&str], markers: Markers| Recovery {
            path: Vec::new(),
            anomalies: Vec::new(),
            unrecorded: 0,
            secrets: secrets.iter().map(|secret| (*secret).to_owned()).collect(),
            markers,
            caught: false,
            read_whole: None,
            forgotten: Vec::new(),
            hidden: 0,
        };
        let previous = RECOVERY.with(|state| state.borrow_mut().replace(fresh(secrets, markers)));
        let restore = Restore(Some(previous));
        let result = decode();
        let found = RECOVERY
            .with(|state| state.borrow_mut().take())
            .unwrap_or_else(|| fresh(&[], Markers::default()));
        drop(restore);
        (result, found)
    }

    pub(super) fn active() -> bool {
        RECOVERY.with(|state| state.borrow().is_some())
    }

    fn with<R>(f: impl FnOnce(&mut Recovery) -> R) -> Option<R> {
        RECOVERY.with(|state| state.borrow_mut().as_mut().map(f))
    }

    /// In a recovering decode: records `raw`, which does not fit, at the current path, for the
    /// [`caught`](super::catch::caught) around it to leave its field empty.
    pub(super) fn catch(reason: &str, raw: serde_json::Value) {
        Recovery::with(|recovery| {
            recovery.record(reason, raw);
            recovery.caught = true;
        });
    }

    /// In a recovering decode, when `text` is the marker of a string that is not text: records
    /// that string as [`catch`](Self::catch) does, and returns why it was refused.
    pub(super) fn catch_marker(text: &str) -> Option<&'static str> {
        // Markers begin with a noncharacter, whose UTF-8 begins with 0xEF: most text is told
        // apart without a look at the thread's state.
        if text.as_bytes().first() != Some(&0xEF) {
            return None;
        }
        Recovery::with(|recovery| {
            let found = recovery.markers.found(text)?.to_owned();
            recovery.record(NOT_TEXT, serde_json::Value::String(found));
            recovery.caught = true;
            Some(NOT_TEXT)
        })
        .flatten()
    }

    /// Whether `text` is the marker of a string that is not text.
    pub(super) fn is_marker(text: &str) -> bool {
        text.as_bytes().first() == Some(&0xEF)
            && Recovery::with(|recovery| recovery.markers.found(text).is_some()).unwrap_or(false)
    }

    /// In a recovering decode: records `raw` at the current path, the field it belongs to being
    /// left out by the caller.
    pub(super) fn record_here(reason: &str, raw: serde_json::Value) {
        Recovery::with(|recovery| recovery.record(reason, raw));
    }

    /// Takes the flag [`catch`](Self::catch) set: whether the value just decoded was recorded.
    pub(super) fn take_caught() -> bool {
        Recovery::with(|recovery| std::mem::take(&mut recovery.caught)).unwrap_or(false)
    }

    /// How many anomalies were found so far, those past [`MAX_ANOMALIES`] included.
    fn found() -> usize {
        Recovery::with(|recovery| recovery.anomalies.len() + recovery.unrecorded).unwrap_or(0)
    }

    /// Forgets the anomalies found while `found` ran (numbered as [`found`](Self::found)
    /// counts): their value was replaced.
    fn forget(found: std::ops::Range<usize>) {
        Recovery::with(|recovery| {
            let recorded = recovery.anomalies.len();
            let counted = found.end.saturating_sub(found.start.max(recorded));
            recovery.unrecorded = recovery.unrecorded.saturating_sub(counted);
            recovery
                .forgotten
                .push(found.start.min(recorded)..found.end.min(recorded));
        });
    }

    /// The anomalies found, less those forgotten.
    pub(super) fn into_anomalies(mut self) -> (Vec<Anomaly>, usize) {
        if !self.forgotten.is_empty() {
            let mut index = 0;
            let forgotten = std::mem::take(&mut self.forgotten);
            self.anomalies.retain(|_| {
                let keep = !forgotten.iter().any(|range| range.contains(&index));
                index += 1;
                keep
            });
        }
        (self.anomalies, self.unrecorded)
    }

    /// Leaves `raw`, a value read whole before it was found not to fit, for the catcher.
    pub(super) fn set_read_whole(raw: serde_json::Value) {
        Recovery::with(|recovery| recovery.read_whole = Some(raw));
    }

    /// Takes what [`set_read_whole`](Self::set_read_whole) left.
    pub(super) fn take_read_whole() -> Option<serde_json::Value> {
        Recovery::with(|recovery| recovery.read_whole.take()).flatten()
    }

    /// A key or text as the body wrote it: a marker becomes the string it stands for.
    pub(super) fn as_written(text: &str) -> std::borrow::Cow<'_, str> {
        if text.as_bytes().first() != Some(&0xEF) {
            return std::borrow::Cow::Borrowed(text);
        }
        match Recovery::with(|recovery| recovery.markers.found(text).map(str::to_owned)).flatten() {
            Some(found) => std::borrow::Cow::Owned(found),
            None => std::borrow::Cow::Borrowed(text),
        }
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
                    text.push_str(self.markers.found(key).unwrap_or(key));
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
        if !self.markers.is_empty() {
            restore_markers(&mut raw, &self.markers);
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

/// `value` with every marker, in its texts and its keys, turned back into the string it stands
/// for.
pub(super) fn restore_markers(value: &mut serde_json::Value, markers: &Markers) {
    match value {
        serde_json::Value::String(text) => {
            if let Some(found) = markers.found(text) {
                *text = found.to_owned();
            }
        }
        serde_json::Value::Array(items) => {
            for item in items {
                restore_markers(item, markers);
            }
        }
        serde_json::Value::Object(entries) => {
            let marked: Vec<String> = entries
                .keys()
                .filter(|key| markers.found(key).is_some())
                .cloned()
                .collect();
            for key in marked {
                if let (Some(entry), Some(found)) = (entries.remove(&key), markers.found(&key)) {
                    entries.insert(found.to_owned(), entry);
                }
            }
            for (_, entry) in entries.iter_mut() {
                restore_markers(entry, markers);
            }
        }
        _ => {}
    }
}

/// The anomalies found under each key of one object so far. A key that comes again replaces its
/// value, and the anomalies of the value it replaces go with it: the last value of a key is the
/// one the response keeps, and the only one it reports.
#[derive(Default)]
pub(super) struct KeyAnomalies {
    found: Vec<(String, std::ops::Range<usize>)>,
}

impl KeyAnomalies {
    /// Reads the value of `key` with `read`, forgetting the anomalies of its earlier values and
    /// noting those of this one.
    pub(super) fn read<R>(&mut self, key: &str, read: impl FnOnce() -> R) -> R {
        if !self.found.is_empty() {
            self.found.retain(|(earlier, found)| {
                let replaced = earlier == key;
                if replaced {
                    Recovery::forget(found.clone());
                }
                !replaced
            });
        }
        let before = Recovery::found();
        let value = read();
        let after = Recovery::found();
        if after > before {
            self.found.push((key.to_owned(), before..after));
        }
        value
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

    /// Sets the step to the key `key`, reusing the text of the key before it.
    pub(super) fn set_key(&self, key: &str) {
        if self.active {
            Recovery::with(|recovery| match recovery.path.last_mut() {
                Some(Step::Key(last)) => {
                    last.clear();
                    last.push_str(key);
                }
                Some(last) => *last = Step::Key(key.to_owned()),
                None => {}
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
            key: String::new(),
            anomalies: KeyAnomalies::default(),
        }
    }
}

/// A map whose keys are pushed on the recovering decode's path as they are read, and whose
/// repeated keys forget the anomalies of the values they replace.
pub(crate) struct PathMap<A> {
    inner: A,
    step: PathStep,
    /// The key whose value is read next.
    key: String,
    anomalies: KeyAnomalies,
}

impl<'de, A: MapAccess<'de>> MapAccess<'de> for PathMap<A> {
    type Error = A::Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, A::Error> {
        let Some(Key(key)) = self.inner.next_key::<Key<'de>>()? else {
            return Ok(None);
        };
        self.step.set_key(&key);
        self.key.clear();
        self.key.push_str(&key);
        match key {
            Cow::Borrowed(key) => seed
                .deserialize(de::value::BorrowedStrDeserializer::<A::Error>::new(key))
                .map(Some),
            Cow::Owned(key) => seed
                .deserialize(de::value::StringDeserializer::<A::Error>::new(key))
                .map(Some),
        }
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, A::Error> {
        let inner = &mut self.inner;
        self.anomalies
            .read(&self.key, || inner.next_value_seed(seed))
    }

    fn size_hint(&self) -> Option<usize> {
        self.inner.size_hint()
    }
}
