//! The parameters of one request and the writers of each wire style.

use std::fmt;

use super::pairs::{Pairs, PairsInner};
use super::scalar::{ParamKey, WireScalar};
use super::{Location, json};

/// One written parameter: its name is `text[start..name_end]`, its value `text[name_end..end]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Entry {
    pub(super) start: usize,
    pub(super) name_end: usize,
    pub(super) end: usize,
}

/// The parameters of one request, un-encoded, in the order they were written.
#[derive(Default)]
pub struct Params {
    /// Every name and value, back to back.
    text: String,
    query: Vec<Entry>,
    body: Vec<Entry>,
    headers: Vec<Entry>,
    /// A list's item prefixes (`Tag.7`) are built here, reused from item to item and list to
    /// list; a list nested in a listed shape builds its own.
    scratch: String,
    /// Where the values of secret parameters (a password, a token) sit in `text`, as
    /// `(name_end, end)` of their entries: `Debug` blanks them, and the client blanks them in
    /// what a service's error quotes. Empty, and not allocated, for most requests.
    secret: Vec<(usize, usize)>,
}

// By hand: the scratch buffer is working space, not state, and a clone starts without it.
impl Clone for Params {
    fn clone(&self) -> Self {
        Params {
            text: self.text.clone(),
            query: self.query.clone(),
            body: self.body.clone(),
            headers: self.headers.clone(),
            scratch: String::new(),
            secret: self.secret.clone(),
        }
    }
}

impl PartialEq for Params {
    fn eq(&self, other: &Self) -> bool {
        self.query_pairs() == other.query_pairs()
            && self.body_pairs() == other.body_pairs()
            && self.header_pairs() == other.header_pairs()
    }
}

impl Eq for Params {}

impl fmt::Debug for Params {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Params")
            .field("query", &self.query_pairs())
            .field("body", &self.body_pairs())
            .field("headers", &self.header_pairs())
            .finish()
    }
}

impl Params {
    /// An empty set of parameters.
    pub fn new() -> Self {
        // Room for a typical request's names and values, so that the text is grown a few times
        // for a large request and not at all for most.
        Params {
            text: String::with_capacity(512),
            query: Vec::with_capacity(16),
            ..Self::default()
        }
    }

    fn list_mut(&mut self, loc: Location) -> &mut Vec<Entry> {
        match loc {
            Location::Query => &mut self.query,
            Location::Body => &mut self.body,
            Location::Header => &mut self.headers,
        }
    }

    /// Records the parameter whose name was written from `start` to `name_end` and whose value
    /// runs from there to the end of the text.
    fn finish_entry(&mut self, loc: Location, start: usize, name_end: usize) {
        let end = self.text.len();
        self.list_mut(loc).push(Entry {
            start,
            name_end,
            end,
        });
    }

    /// Adds one parameter exactly as given.
    pub fn push(&mut self, loc: Location, name: impl AsRef<str>, value: impl AsRef<str>) {
        let start = self.text.len();
        self.text.push_str(name.as_ref());
        let name_end = self.text.len();
        self.text.push_str(value.as_ref());
        self.finish_entry(loc, start, name_end);
    }

    /// `Name=value`.
    pub fn plain<V: WireScalar + ?Sized>(&mut self, loc: Location, name: impl ParamKey, value: &V) {
        let start = self.text.len();
        name.write_name(&mut self.text);
        let name_end = self.text.len();
        value.write_wire(&mut self.text);
        self.finish_entry(loc, start, name_end);
    }

    /// `Name=value` of a secret (a password, a token): sent as [`Params::plain`] sends it, and
    /// shown as `<redacted>` by the `Debug` of the parameters.
    pub fn secret<V: WireScalar + ?Sized>(
        &mut self,
        loc: Location,
        name: impl ParamKey,
        value: &V,
    ) {
        self.plain(loc, name, value);
        if let Some(entry) = self.list_mut(loc).last() {
            let value = (entry.name_end, entry.end);
            self.secret.push(value);
        }
    }

    /// As [`Params::secret`] when the value is set; nothing when it is `None`.
    // Generated code's shorthand for an optional field: hidden, as `crate::codegen` is.
    #[doc(hidden)]
    pub fn secret_opt<V: WireScalar>(
        &mut self,
        loc: Location,
        name: impl ParamKey,
        value: &Option<V>,
    ) {
        if let Some(value) = value {
            self.secret(loc, name, value);
        }
    }

    /// Writes with `write`, and hides what it wrote at `loc` as [`Params::secret`] hides a
    /// value: for a parameter that holds a secret inside it, a shape sent as one JSON text.
    pub fn hiding(&mut self, loc: Location, write: impl FnOnce(&mut Params)) {
        let before = self.list_mut(loc).len();
        write(self);
        let written = match loc {
            Location::Query => &self.query,
            Location::Body => &self.body,
            Location::Header => &self.headers,
        };
        let hidden = written
            .get(before..)
            .unwrap_or_default()
            .iter()
            .map(|entry| (entry.name_end, entry.end));
        self.secret.extend(hidden);
    }

    /// The values of the parameters written by [`Params::secret`] or [`Params::hiding`], as
    /// written.
    pub(crate) fn secret_values(&self) -> impl Iterator<Item = &str> {
        self.secret
            .iter()
            .map(|&(start, end)| self.text.get(start..end).unwrap_or_default())
    }

    /// `Name=value` when the value is set; nothing when it is `None`.
    // Generated code's shorthand for an optional field: hidden, as `crate::codegen` is.
    #[doc(hidden)]
    pub fn plain_opt<V: WireScalar>(
        &mut self,
        loc: Location,
        name: impl ParamKey,
        value: &Option<V>,
    ) {
        if let Some(value) = value {
            self.plain(loc, name, value);
        }
    }

    /// `Name.1=a&Name.2=b`, numbered from 1; nothing for an empty list.
    pub fn repeat_list<V: WireScalar>(&mut self, loc: Location, name: impl ParamKey, values: &[V]) {
        if values.is_empty() {
            return;
        }
        let mut numbers = itoa::Buffer::new();
        let mut stem = std::mem::take(&mut self.scratch);
        stem.clear();
        name.write_name(&mut stem);
        for (index, value) in values.iter().enumerate() {
            let start = self.text.len();
            self.text.push_str(&stem);
            self.text.push('.');
            self.text.push_str(numbers.format(index + 1));
            let name_end = self.text.len();
            value.write_wire(&mut self.text);
            self.finish_entry(loc, start, name_end);
        }
        self.scratch = stem;
    }

    /// `Name=a,b`; nothing for an empty list.
    pub fn comma_list<V: WireScalar>(&mut self, loc: Location, name: impl ParamKey, values: &[V]) {
        if values.is_empty() {
            return;
        }
        let start = self.text.len();
        name.write_name(&mut self.text);
        let name_end = self.text.len();
        for (index, value) in values.iter().enumerate() {
            if index > 0 {
                self.text.push(',');
            }
            value.write_wire(&mut self.text);
        }
        self.finish_entry(loc, start, name_end);
    }

    /// `Name=["a","b"]`: the list as one compact JSON string (no spaces after separators, non-ASCII
    /// kept as UTF-8), the bytes the official SDKs send; nothing for an empty list.
    ///
    /// A value serde cannot represent as JSON (a map with non-string keys) is left out and logged;
    /// generated code only passes strings and numbers here, which always serialise.
    pub fn json_list<V: serde::Serialize>(
        &mut self,
        loc: Location,
        name: impl ParamKey,
        values: &[V],
    ) {
        if values.is_empty() {
            return;
        }
        self.json_value(loc, name, values, "list");
    }

    /// Writes `value` as compact JSON under `name`, or nothing (and a warning) when serde cannot
    /// represent it as JSON.
    fn json_value<V: serde::Serialize + ?Sized>(
        &mut self,
        loc: Location,
        name: impl ParamKey,
        value: &V,
        what: &str,
    ) {
        let start = self.text.len();
        name.write_name(&mut self.text);
        let name_end = self.text.len();
        match json::write(value, &mut self.text) {
            Ok(()) => self.finish_entry(loc, start, name_end),
            Err(error) => {
                let parameter = self
                    .text
                    .get(start..name_end)
                    .unwrap_or_default()
                    .to_owned();
                self.text.truncate(start);
                tracing::warn!(%parameter, %error, "{what} not representable as JSON; left out");
            }
        }
    }

    /// As [`Params::comma_list`] when the list is set, and `Name=` (an empty value) when it is
    /// set but empty, as the official SDKs send it; nothing when it is `None`.
    // Generated code's shorthand for an optional field: hidden, as `crate::codegen` is.
    #[doc(hidden)]
    pub fn comma_list_opt<V: WireScalar>(
        &mut self,
        loc: Location,
        name: impl ParamKey,
        values: &Option<Vec<V>>,
    ) {
        match values.as_deref() {
            None => {}
            Some([]) => self.plain(loc, name, ""),
            Some(values) => self.comma_list(loc, name, values),
        }
    }

    /// As [`Params::json_list`] when the list is set, and `Name=[]` when it is set but empty, as
    /// the official SDKs send it; nothing when it is `None`.
    // Generated code's shorthand for an optional field: hidden, as `crate::codegen` is.
    #[doc(hidden)]
    pub fn json_list_opt<V: serde::Serialize>(
        &mut self,
        loc: Location,
        name: impl ParamKey,
        values: &Option<Vec<V>>,
    ) {
        match values.as_deref() {
            None => {}
            Some([]) => self.plain(loc, name, "[]"),
            Some(values) => self.json_list(loc, name, values),
        }
    }

    /// `Name={"Key":"k","Value":"v"}`: the object as one compact JSON string under its wire
    /// names, as the official SDKs send an object parameter whose style is `json`. Fields left
    /// unset are left out, as their serialisation skips them.
    ///
    /// A value serde cannot represent as JSON is left out and logged, as in
    /// [`Params::json_list`].
    pub fn json_object<V: serde::Serialize>(
        &mut self,
        loc: Location,
        name: impl ParamKey,
        value: &V,
    ) {
        self.json_value(loc, name, value, "object");
    }

    /// As [`Params::json_object`] when the object is set; nothing when it is `None`.
    // Generated code's shorthand for an optional field: hidden, as `crate::codegen` is.
    #[doc(hidden)]
    pub fn json_object_opt<V: serde::Serialize>(
        &mut self,
        loc: Location,
        name: impl ParamKey,
        value: &Option<V>,
    ) {
        if let Some(value) = value {
            self.json_object(loc, name, value);
        }
    }

    /// `Name.key=value` for each entry of a map, in key order, as the official SDKs flatten a
    /// map; nothing for an empty map.
    pub fn flat_map<V: WireScalar>(
        &mut self,
        loc: Location,
        name: impl ParamKey,
        entries: &std::collections::BTreeMap<String, V>,
    ) {
        if entries.is_empty() {
            return;
        }
        let mut stem = String::new();
        name.write_name(&mut stem);
        for (key, value) in entries {
            self.plain(loc, (stem.as_str(), key.as_str()), value);
        }
    }

    /// `Name.key.Field=v` for each entry of a map of objects, in key order; nothing for an empty
    /// map.
    pub fn flat_object_map<V: FlatObject>(
        &mut self,
        loc: Location,
        name: impl ParamKey,
        entries: &std::collections::BTreeMap<String, V>,
    ) {
        if entries.is_empty() {
            return;
        }
        let mut prefix = String::new();
        name.write_name(&mut prefix);
        let stem = prefix.len();
        for (key, value) in entries {
            prefix.truncate(stem);
            prefix.push('.');
            prefix.push_str(key);
            value.write_flat(self, loc, &prefix);
        }
    }

    /// `Name={"key":"value"}`: a map as one JSON object, keys in order; nothing for an empty map.
    pub fn json_map<V: serde::Serialize>(
        &mut self,
        loc: Location,
        name: impl ParamKey,
        entries: &std::collections::BTreeMap<String, V>,
    ) {
        if !entries.is_empty() {
            self.json_object(loc, name, entries);
        }
    }

    /// `Name.Field=v` for each field the object has set.
    pub fn flat<V: FlatObject>(&mut self, loc: Location, name: impl ParamKey, value: &V) {
        let mut prefix = std::mem::take(&mut self.scratch);
        prefix.clear();
        name.write_name(&mut prefix);
        value.write_flat(self, loc, &prefix);
        self.scratch = prefix;
    }

    /// As [`Params::flat`] when the object is set; nothing when it is `None`.
    // Generated code's shorthand for an optional field: hidden, as `crate::codegen` is.
    #[doc(hidden)]
    pub fn flat_opt<V: FlatObject>(
        &mut self,
        loc: Location,
        name: impl ParamKey,
        value: &Option<V>,
    ) {
        if let Some(value) = value {
            self.flat(loc, name, value);
        }
    }

    /// `Name.1.Field=v&Name.2.Field=w`, numbered from 1; nothing for an empty list.
    pub fn flat_list<V: FlatObject>(&mut self, loc: Location, name: impl ParamKey, values: &[V]) {
        if values.is_empty() {
            return;
        }
        // The prefix is borrowed by the shape while it writes into `self`, so it lives apart;
        // taking the scratch buffer reuses one allocation for every list of a request (a list
        // inside a listed shape finds the scratch taken and allocates its own once).
        let mut prefix = std::mem::take(&mut self.scratch);
        prefix.clear();
        name.write_name(&mut prefix);
        prefix.push('.');
        let stem = prefix.len();
        let mut numbers = itoa::Buffer::new();
        for (index, value) in values.iter().enumerate() {
            prefix.truncate(stem);
            prefix.push_str(numbers.format(index + 1));
            value.write_flat(self, loc, &prefix);
        }
        self.scratch = prefix;
    }

    fn pairs_of<'a>(&'a self, entries: &'a [Entry]) -> Pairs<'a> {
        Pairs(PairsInner::Written {
            text: &self.text,
            entries,
            secret: &self.secret,
        })
    }

    /// The query parameters, un-encoded, in insertion order, borrowed.
    pub fn query_pairs(&self) -> Pairs<'_> {
        self.pairs_of(&self.query)
    }

    /// The body parameters, un-encoded, in insertion order, borrowed.
    pub fn body_pairs(&self) -> Pairs<'_> {
        self.pairs_of(&self.body)
    }

    /// The header parameters, in insertion order, borrowed.
    pub fn header_pairs(&self) -> Pairs<'_> {
        self.pairs_of(&self.headers)
    }

    /// A name written more than once in the query and the body together, if any. The service
    /// reads the two as one set of parameters, so a name sent twice is checked against another
    /// request than the one signed: the client refuses such a request before sending it.
    pub fn repeated_name(&self) -> Option<&str> {
        let mut names: Vec<&str> = self
            .query_pairs()
            .iter()
            .chain(self.body_pairs().iter())
            .map(|(name, _)| name)
            .collect();
        names.sort_unstable();
        names
            .windows(2)
            .find(|pair| pair[0] == pair[1])
            .map(|pair| pair[0])
    }

    /// Every parameter, wherever it goes: the query's, then the body's, then the headers'.
    pub(crate) fn all_pairs(&self) -> impl Iterator<Item = (&str, &str)> {
        self.query_pairs()
            .iter()
            .chain(self.body_pairs().iter())
            .chain(self.header_pairs().iter())
    }

    /// Whether a parameter of that exact name was written, in the query, the body or a header.
    pub fn contains(&self, name: &str) -> bool {
        self.all_pairs().any(|(existing, _)| existing == name)
    }

    /// Leaves out every parameter of that exact name, wherever it goes; the others keep their
    /// places and order.
    pub(crate) fn remove(&mut self, name: &str) {
        let text = &self.text;
        let other = |entry: &Entry| text.get(entry.start..entry.name_end) != Some(name);
        self.query.retain(other);
        self.body.retain(other);
        self.headers.retain(other);
    }
}

/// A structured shape flattened into `Prefix.Field` parameters (generated per shape).
pub trait FlatObject {
    /// Writes each field that is set as `{prefix}.{WireName}`, recursing for nested shapes and
    /// lists.
    fn write_flat(&self, params: &mut Params, loc: Location, prefix: &str);
}

/// A shape that contains itself holds the inner value behind a `Box`; it is written as the value.
impl<T: FlatObject + ?Sized> FlatObject for Box<T> {
    fn write_flat(&self, params: &mut Params, loc: Location, prefix: &str) {
        (**self).write_flat(params, loc, prefix);
    }
}

/// A request that knows its own parameters (generated per request).
pub trait WriteParams {
    /// Writes every parameter that is set, in the request's declared order.
    fn write_params(&self, params: &mut Params);
}
