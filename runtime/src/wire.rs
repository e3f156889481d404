//! Wire encoding of request parameters: the flattening styles of Alibaba Cloud's RPC APIs and the
//! RFC 3986 percent-encoding used both on the wire and in the signatures.
//!
//! Generated request types write themselves into a [`Params`] through [`WriteParams`]; shapes
//! nest through [`FlatObject`], so `A.1.B.2.C` comes from a list writer calling a shape that
//! calls a list writer with its own prefix. Values are kept un-encoded and in insertion order;
//! encoding and sorting happen once, in [`canonical_query`] and [`form_body`].
//!
//! Every name and value is written into one text buffer that the parameters share, and read back
//! as borrowed pairs ([`Pairs`]): writing the 51 parameters of a large request costs a few
//! growths of that buffer instead of two allocations per parameter.

use std::fmt::{self, Write as _};

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, percent_encode_byte};

mod json;

/// Everything but the RFC 3986 unreserved characters `A-Z a-z 0-9 - _ . ~` is escaped, so a space
/// is `%20`, `*` is `%2A`, `+` is `%2B` and `/` is `%2F`: the form both signatures require, and
/// the form sent, so that what the gateway reads is exactly what was signed.
pub const RFC3986_ESCAPED: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~');

/// Where a parameter travels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Location {
    /// In the query string.
    Query,
    /// In an `application/x-www-form-urlencoded` body.
    Body,
    /// As an HTTP header of that name (signed by V3 with the other headers; V2 signs none).
    Header,
}

/// One written parameter: its name is `text[start..name_end]`, its value `text[name_end..end]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Entry {
    start: usize,
    name_end: usize,
    end: usize,
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

    /// Whether a parameter of that exact name was written, in the query or the body.
    pub fn contains(&self, name: &str) -> bool {
        self.query_pairs()
            .iter()
            .chain(self.body_pairs().iter())
            .any(|(existing, _)| existing == name)
    }
}

/// A list of parameters as `(name, value)` pairs, borrowed: from a [`Params`], or from owned
/// pairs (`(&pairs[..]).into()`).
#[derive(Clone, Copy)]
pub struct Pairs<'a>(PairsInner<'a>);

#[derive(Clone, Copy)]
enum PairsInner<'a> {
    Written { text: &'a str, entries: &'a [Entry] },
    Owned(&'a [(String, String)]),
    Borrowed(&'a [(&'a str, &'a str)]),
}

impl<'a> Pairs<'a> {
    /// No parameters.
    pub const EMPTY: Pairs<'static> = Pairs(PairsInner::Borrowed(&[]));

    /// The pairs in order.
    pub fn iter(&self) -> PairsIter<'a> {
        PairsIter {
            inner: *self,
            next: 0,
            len: self.len(),
        }
    }

    /// How many pairs there are.
    pub fn len(&self) -> usize {
        match self.0 {
            PairsInner::Written { entries, .. } => entries.len(),
            PairsInner::Owned(pairs) => pairs.len(),
            PairsInner::Borrowed(pairs) => pairs.len(),
        }
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The pair at `index`, if there is one.
    pub fn get(&self, index: usize) -> Option<(&'a str, &'a str)> {
        match self.0 {
            PairsInner::Written { text, entries } => entries.get(index).map(|entry| {
                (
                    text.get(entry.start..entry.name_end).unwrap_or_default(),
                    text.get(entry.name_end..entry.end).unwrap_or_default(),
                )
            }),
            PairsInner::Owned(pairs) => pairs
                .get(index)
                .map(|(name, value)| (name.as_str(), value.as_str())),
            PairsInner::Borrowed(pairs) => pairs.get(index).copied(),
        }
    }

    /// Owned copies of the pairs.
    pub fn to_vec(&self) -> Vec<(String, String)> {
        self.iter()
            .map(|(name, value)| (name.to_owned(), value.to_owned()))
            .collect()
    }
}

impl Default for Pairs<'_> {
    fn default() -> Self {
        Pairs::EMPTY
    }
}

impl<'a> From<&'a [(String, String)]> for Pairs<'a> {
    fn from(pairs: &'a [(String, String)]) -> Self {
        Pairs(PairsInner::Owned(pairs))
    }
}

impl<'a> From<&'a Vec<(String, String)>> for Pairs<'a> {
    fn from(pairs: &'a Vec<(String, String)>) -> Self {
        Pairs(PairsInner::Owned(pairs))
    }
}

impl<'a, const N: usize> From<&'a [(String, String); N]> for Pairs<'a> {
    fn from(pairs: &'a [(String, String); N]) -> Self {
        Pairs(PairsInner::Owned(pairs))
    }
}

impl<'a> From<&'a [(&'a str, &'a str)]> for Pairs<'a> {
    fn from(pairs: &'a [(&'a str, &'a str)]) -> Self {
        Pairs(PairsInner::Borrowed(pairs))
    }
}

impl<'a, const N: usize> From<&'a [(&'a str, &'a str); N]> for Pairs<'a> {
    fn from(pairs: &'a [(&'a str, &'a str); N]) -> Self {
        Pairs(PairsInner::Borrowed(pairs))
    }
}

impl PartialEq for Pairs<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.len() == other.len() && self.iter().eq(other.iter())
    }
}

impl Eq for Pairs<'_> {}

impl PartialEq<[(String, String)]> for Pairs<'_> {
    fn eq(&self, other: &[(String, String)]) -> bool {
        *self == Pairs::from(other)
    }
}

impl<const N: usize> PartialEq<[(String, String); N]> for Pairs<'_> {
    fn eq(&self, other: &[(String, String); N]) -> bool {
        *self == Pairs::from(other)
    }
}

impl<const N: usize> PartialEq<[(&str, &str); N]> for Pairs<'_> {
    fn eq(&self, other: &[(&str, &str); N]) -> bool {
        self.len() == N && self.iter().eq(other.iter().copied())
    }
}

impl PartialEq<&[(String, String)]> for Pairs<'_> {
    fn eq(&self, other: &&[(String, String)]) -> bool {
        *self == Pairs::from(*other)
    }
}

impl PartialEq<Vec<(String, String)>> for Pairs<'_> {
    fn eq(&self, other: &Vec<(String, String)>) -> bool {
        *self == Pairs::from(other)
    }
}

impl fmt::Debug for Pairs<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

impl<'a> IntoIterator for Pairs<'a> {
    type Item = (&'a str, &'a str);
    type IntoIter = PairsIter<'a>;

    fn into_iter(self) -> PairsIter<'a> {
        self.iter()
    }
}

impl<'a> IntoIterator for &Pairs<'a> {
    type Item = (&'a str, &'a str);
    type IntoIter = PairsIter<'a>;

    fn into_iter(self) -> PairsIter<'a> {
        self.iter()
    }
}

/// The pairs of a [`Pairs`], in order.
#[derive(Debug, Clone)]
pub struct PairsIter<'a> {
    inner: Pairs<'a>,
    next: usize,
    len: usize,
}

impl<'a> Iterator for PairsIter<'a> {
    type Item = (&'a str, &'a str);

    fn next(&mut self) -> Option<Self::Item> {
        if self.next >= self.len {
            return None;
        }
        let pair = self.inner.get(self.next);
        self.next += 1;
        pair
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let left = self.len - self.next;
        (left, Some(left))
    }
}

impl ExactSizeIterator for PairsIter<'_> {}

/// The name of a parameter as a writer receives it: whole (`"RegionId"`), or a shape's prefix
/// and one of its fields (`("Tag.1", "Key")`), joined only when a value is written.
pub trait ParamKey {
    /// Appends the parameter's full name to `out`.
    fn write_name(self, out: &mut String);
}

impl ParamKey for &str {
    fn write_name(self, out: &mut String) {
        out.push_str(self);
    }
}

impl ParamKey for &String {
    fn write_name(self, out: &mut String) {
        out.push_str(self);
    }
}

impl ParamKey for String {
    fn write_name(self, out: &mut String) {
        out.push_str(&self);
    }
}

impl ParamKey for (&str, &str) {
    fn write_name(self, out: &mut String) {
        let (prefix, field) = self;
        out.push_str(prefix);
        out.push('.');
        out.push_str(field);
    }
}

/// A value that goes on the wire as one string.
///
/// Implemented for strings, integers, `f64` (plain decimal, never an exponent), `bool`
/// (`true`/`false`, the Go and Java SDKs' form) and, by the generator, for enums.
pub trait WireScalar {
    /// Appends the value's wire text to `out`.
    fn write_wire(&self, out: &mut String);
}

impl WireScalar for str {
    fn write_wire(&self, out: &mut String) {
        out.push_str(self);
    }
}

impl WireScalar for String {
    fn write_wire(&self, out: &mut String) {
        out.push_str(self);
    }
}

impl<T: WireScalar + ?Sized> WireScalar for &T {
    fn write_wire(&self, out: &mut String) {
        (**self).write_wire(out);
    }
}

impl WireScalar for bool {
    fn write_wire(&self, out: &mut String) {
        out.push_str(if *self { "true" } else { "false" });
    }
}

macro_rules! integer_wire_scalar {
    ($($ty:ty),*) => {$(
        impl WireScalar for $ty {
            fn write_wire(&self, out: &mut String) {
                out.push_str(itoa::Buffer::new().format(*self));
            }
        }
    )*};
}

integer_wire_scalar!(i8, i16, i32, i64, u8, u16, u32, u64, usize, isize);

impl WireScalar for f64 {
    /// Rust's `Display` for floats is the shortest text that reads back to the same value and
    /// never uses an exponent (`1e21` is `1000000000000000000000`, `2.0` is `2`), the plain decimal
    /// the services parse.
    fn write_wire(&self, out: &mut String) {
        let _ = write!(out, "{self}");
    }
}

impl WireScalar for f32 {
    fn write_wire(&self, out: &mut String) {
        let _ = write!(out, "{self}");
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

/// Where encoded text goes: a `String`, or a hash fed as the text is produced.
pub(crate) trait Sink {
    /// Takes the next piece of text.
    fn put(&mut self, text: &str);

    /// Takes `byte` percent-encoded, `%XX`.
    fn put_escaped(&mut self, byte: u8) {
        self.put(percent_encode_byte(byte));
    }
}

impl Sink for String {
    fn put(&mut self, text: &str) {
        self.push_str(text);
    }

    /// Three pushes of known ASCII: cheaper than copying three bytes, which an escape-dense value
    /// (a JSON list, whose quotes and commas are all escaped) does hundreds of times.
    fn put_escaped(&mut self, byte: u8) {
        const HEX: &[u8; 16] = b"0123456789ABCDEF";
        self.push('%');
        self.push(char::from(HEX[usize::from(byte >> 4)]));
        self.push(char::from(HEX[usize::from(byte & 0xf)]));
    }
}

/// Whether RFC 3986 keeps `byte` as it is: `A-Z a-z 0-9 - _ . ~`, the complement of
/// [`RFC3986_ESCAPED`] (a test holds the two together).
///
/// Written with comparisons and no branches, so that the compiler tests a whole chunk of bytes
/// at once in [`escape_mask`].
#[inline(always)]
const fn is_unreserved(byte: u8) -> bool {
    let letter = (byte | 0x20).wrapping_sub(b'a') < 26;
    let digit = byte.wrapping_sub(b'0') < 10;
    letter | digit | (byte == b'-') | (byte == b'_') | (byte == b'.') | (byte == b'~')
}

/// Bytes tested at once by [`escape_mask`].
const CHUNK: usize = 16;

/// Byte `i` of the result is 1 when `chunk[i]` must be escaped, 0 when it is kept. The loop maps
/// each byte on its own, without branches, so it compiles to a few vector instructions for the
/// whole chunk: most parameter text is unreserved, and the encoder then copies a chunk at the
/// cost of those instead of a table lookup and a branch per byte.
#[inline(always)]
fn escape_mask(chunk: &[u8; CHUNK]) -> u128 {
    let mut flags = [0_u8; CHUNK];
    for (flag, byte) in flags.iter_mut().zip(chunk) {
        *flag = u8::from(!is_unreserved(*byte));
    }
    u128::from_le_bytes(flags)
}

/// Hands `text` percent-encoded as RFC 3986 to `sink`: each run of unreserved bytes whole, each
/// other byte as `%XX`.
pub(crate) fn encode_to(text: &str, sink: &mut impl Sink) {
    let bytes = text.as_bytes();
    // `text[..copied]` has been handed over.
    let mut copied = 0;
    for (index, piece) in bytes.chunks(CHUNK).enumerate() {
        let mut mask = match <&[u8; CHUNK]>::try_from(piece) {
            Ok(chunk) => escape_mask(chunk),
            Err(_) => {
                // The tail, padded with a byte that is never escaped.
                let mut padded = [b'a'; CHUNK];
                padded
                    .iter_mut()
                    .zip(piece)
                    .for_each(|(to, from)| *to = *from);
                escape_mask(&padded)
            }
        };
        let base = index * CHUNK;
        while mask != 0 {
            let at = base + (mask.trailing_zeros() / 8) as usize;
            if copied < at {
                // `copied..at` holds only unreserved ASCII, so both ends are character
                // boundaries.
                sink.put(text.get(copied..at).unwrap_or_default());
            }
            if let Some(byte) = bytes.get(at) {
                sink.put_escaped(*byte);
            }
            copied = at + 1;
            mask &= mask - 1;
        }
    }
    if copied < bytes.len() {
        sink.put(text.get(copied..).unwrap_or_default());
    }
}

/// Appends `text` percent-encoded as RFC 3986 (UTF-8, only unreserved characters kept).
pub fn percent_encode_into(text: &str, out: &mut String) {
    encode_to(text, out);
}

/// `text` percent-encoded as RFC 3986 (UTF-8, only unreserved characters kept).
pub fn percent_encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    percent_encode_into(text, &mut out);
    out
}

/// Something that reads as one `(name, value)` parameter: `&(String, String)`, `(&str, &str)`
/// or `&(&str, &str)`, so that the query functions take owned lists, borrowed ones and
/// [`Pairs`] alike.
pub trait ParamPair<'a> {
    /// The name and the value.
    fn into_pair(self) -> (&'a str, &'a str);
}

impl<'a> ParamPair<'a> for &'a (String, String) {
    fn into_pair(self) -> (&'a str, &'a str) {
        (self.0.as_str(), self.1.as_str())
    }
}

impl<'a> ParamPair<'a> for (&'a str, &'a str) {
    fn into_pair(self) -> (&'a str, &'a str) {
        self
    }
}

impl<'a> ParamPair<'a> for &(&'a str, &'a str) {
    fn into_pair(self) -> (&'a str, &'a str) {
        *self
    }
}

/// The canonical query string: parameters sorted by name (byte order, stable for equal names),
/// names and values percent-encoded as RFC 3986, joined as `name=value` with `&`.
///
/// It is both what the signatures cover and what is sent after the `?`, so that the gateway
/// reads exactly what was signed.
pub fn canonical_query<'a, P: ParamPair<'a>>(params: impl IntoIterator<Item = P>) -> String {
    let sorted = sorted_pairs(params.into_iter().map(ParamPair::into_pair));
    let mut out = String::with_capacity(encoded_capacity(&sorted));
    encode_sorted(&sorted, &mut out, |_| {});
    out
}

/// [`canonical_query`] of borrowed pairs, for parameters gathered from several lists.
pub fn canonical_query_of<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> String {
    canonical_query(pairs)
}

/// The `application/x-www-form-urlencoded` body for the body parameters: sorted by name like the
/// official SDKs' bodies, encoded as RFC 3986 (`%20` for a space, which every form decoder reads).
pub fn form_body<'a, P: ParamPair<'a>>(params: impl IntoIterator<Item = P>) -> String {
    canonical_query(params)
}

/// The pairs sorted by name, byte order, stable for equal names.
pub(crate) fn sorted_pairs<'a>(
    pairs: impl IntoIterator<Item = (&'a str, &'a str)>,
) -> Vec<(&'a str, &'a str)> {
    let mut sorted: Vec<(&str, &str)> = pairs.into_iter().collect();
    sorted.sort_by(|a, b| compare_names(a.0, b.0));
    sorted
}

/// Byte order of two names, as `str::cmp`. Their first eight bytes, read as big-endian numbers,
/// decide almost every comparison of parameter names without a call to compare memory; only
/// names that share those eight bytes are compared in full.
#[inline]
fn compare_names(a: &str, b: &str) -> std::cmp::Ordering {
    match sort_key(a).cmp(&sort_key(b)) {
        std::cmp::Ordering::Equal => a.cmp(b),
        decided => decided,
    }
}

/// A name's first eight bytes as a big-endian number, zero-padded: two names whose keys differ
/// are ordered as their bytes are (a shorter name is padded with zeros, which sort first, as a
/// prefix does).
#[inline]
fn sort_key(name: &str) -> u64 {
    let bytes = name.as_bytes();
    match bytes.first_chunk::<8>() {
        Some(first) => u64::from_be_bytes(*first),
        None => {
            let mut key = [0_u8; 8];
            key.iter_mut().zip(bytes).for_each(|(to, from)| *to = *from);
            u64::from_be_bytes(key)
        }
    }
}

/// Room for the encoded pairs: most parameters are unreserved text, so the unencoded length is a
/// lower bound; the half again covers the JSON-array values, whose quotes and commas each grow to
/// three bytes.
pub(crate) fn encoded_capacity(pairs: &[(&str, &str)]) -> usize {
    let unencoded: usize = pairs
        .iter()
        .map(|(name, value)| name.len() + value.len() + 2)
        .sum();
    unencoded + unencoded / 2
}

/// Appends the pairs, in the order given, as `name=value` joined by `&`, and shows `each` the
/// whole output after every pair, so that a signer hashes the query in pieces as it is produced,
/// while they are still in cache, instead of reading it all again at the end.
pub(crate) fn encode_sorted(pairs: &[(&str, &str)], out: &mut String, mut each: impl FnMut(&str)) {
    for (index, (name, value)) in pairs.iter().enumerate() {
        if index > 0 {
            out.push('&');
        }
        encode_to(name, out);
        out.push('=');
        encode_to(value, out);
        each(out);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A shape that contains itself, as the generator writes one.
    struct Filter {
        key: Option<String>,
        not: Option<Box<Filter>>,
    }

    impl FlatObject for Filter {
        fn write_flat(&self, params: &mut Params, loc: Location, prefix: &str) {
            params.plain_opt(loc, (prefix, "Key"), &self.key);
            params.flat_opt(loc, (prefix, "Not"), &self.not);
        }
    }

    #[test]
    fn a_boxed_shape_is_written_as_the_shape() {
        let filter = Filter {
            key: Some("a".to_owned()),
            not: Some(Box::new(Filter {
                key: Some("b".to_owned()),
                not: None,
            })),
        };
        let mut params = Params::new();
        params.flat(Location::Query, "Filter", &filter);
        let written: Vec<(&str, &str)> = params.query_pairs().iter().collect();
        assert_eq!(written, [("Filter.Key", "a"), ("Filter.Not.Key", "b")]);
    }

    /// The run-copying encoder writes exactly what the crate's RFC 3986 set says, for every byte
    /// alone, between unreserved text, and for multi-byte characters.
    #[test]
    fn encoding_agrees_with_the_rfc3986_set() {
        let reference =
            |text: &str| percent_encoding::utf8_percent_encode(text, RFC3986_ESCAPED).to_string();
        for byte in 0..=127u8 {
            let one = char::from(byte).to_string();
            assert_eq!(percent_encode(&one), reference(&one), "byte {byte:#04x}");
            let framed = format!("ab{one}{one}cd");
            assert_eq!(
                percent_encode(&framed),
                reference(&framed),
                "byte {byte:#04x}"
            );
        }
        for text in [
            "",
            "镜像 a*b~c",
            "😀",
            "a+b/c=d&e%f",
            "[\"m-1\",\"m-2\"]",
            "é",
        ] {
            assert_eq!(percent_encode(text), reference(text), "{text:?}");
        }
    }

    /// Names ordered by their first eight bytes order as their bytes do, whatever their lengths
    /// and shared prefixes (and bytes that are zero).
    #[test]
    fn names_compare_as_their_bytes() {
        let names = [
            "",
            "\0",
            "\0\0",
            "A",
            "A\0",
            "Tag",
            "Tag.1",
            "Tag.1.Key",
            "Tag.1.Value",
            "Tag.10.Key",
            "Tag.2.Key",
            "Tag.1.Ke",
            "Tag.1.Kf",
            "ImageIds",
            "ImageIdsX",
            "ImageNames",
            "a",
            "é",
            "镜像",
            "Tag.1.Key\0",
        ];
        for a in names {
            for b in names {
                assert_eq!(compare_names(a, b), a.cmp(b), "{a:?} {b:?}");
            }
        }
    }

    #[test]
    fn shape_fields_and_items_are_named_as_on_the_wire() {
        let mut params = Params::new();
        params.plain(Location::Query, ("Tag.12", "Key"), "k");
        params.repeat_list(Location::Query, "Id", &["a", "b"]);
        params.comma_list(Location::Query, "Ids", &[1_i32, -20]);
        let names: Vec<(&str, &str)> = params.query_pairs().iter().collect();
        assert_eq!(
            names,
            [
                ("Tag.12.Key", "k"),
                ("Id.1", "a"),
                ("Id.2", "b"),
                ("Ids", "1,-20")
            ]
        );
    }
}
