//! Wire encoding of request parameters: the flattening styles of Alibaba Cloud's RPC APIs and the
//! RFC 3986 percent-encoding used both on the wire and in the signatures.
//!
//! Generated request types write themselves into a [`Params`] through [`WriteParams`]; shapes
//! nest through [`FlatObject`], so `A.1.B.2.C` comes from a list writer calling a shape that
//! calls a list writer with its own prefix. Values are kept un-encoded and in insertion order;
//! encoding and sorting happen once, in [`canonical_query`] and [`form_body`].

use std::fmt::Write as _;

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, percent_encode_byte};

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

/// The parameters of one request, un-encoded, in the order they were written.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Params {
    query: Vec<(String, String)>,
    body: Vec<(String, String)>,
    headers: Vec<(String, String)>,
}

impl Params {
    /// An empty set of parameters.
    pub fn new() -> Self {
        Self::default()
    }

    fn list_mut(&mut self, loc: Location) -> &mut Vec<(String, String)> {
        match loc {
            Location::Query => &mut self.query,
            Location::Body => &mut self.body,
            Location::Header => &mut self.headers,
        }
    }

    /// Adds one parameter exactly as given.
    pub fn push(&mut self, loc: Location, name: impl Into<String>, value: impl Into<String>) {
        self.list_mut(loc).push((name.into(), value.into()));
    }

    /// `Name=value`.
    pub fn plain<V: WireScalar + ?Sized>(&mut self, loc: Location, name: impl ParamKey, value: &V) {
        let mut text = String::new();
        value.write_wire(&mut text);
        self.list_mut(loc).push((name.into_name(), text));
    }

    /// `Name=value` when the value is set; nothing when it is `None`.
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
        let name = name.into_name();
        for (index, value) in values.iter().enumerate() {
            self.plain(loc, item_prefix(&name, index).as_str(), value);
        }
    }

    /// `Name=a,b`; nothing for an empty list.
    pub fn comma_list<V: WireScalar>(&mut self, loc: Location, name: impl ParamKey, values: &[V]) {
        if values.is_empty() {
            return;
        }
        let mut text = String::new();
        for (index, value) in values.iter().enumerate() {
            if index > 0 {
                text.push(',');
            }
            value.write_wire(&mut text);
        }
        self.list_mut(loc).push((name.into_name(), text));
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
        // Brackets, quotes and commas around items of a few bytes each: reserving for them
        // avoids growing the buffer item by item.
        let mut text = Vec::with_capacity(2 + values.len() * 24);
        let written = serde_json::to_writer(&mut text, values)
            .map_err(|error| error.to_string())
            // serde_json writes only UTF-8.
            .and_then(|()| String::from_utf8(text).map_err(|error| error.to_string()));
        match written {
            Ok(text) => self.list_mut(loc).push((name.into_name(), text)),
            Err(error) => {
                tracing::warn!(parameter = %name.into_name(), %error, "list not representable as JSON; left out");
            }
        }
    }

    /// As [`Params::comma_list`] when the list is set, and `Name=` (an empty value) when it is
    /// set but empty, as the official SDKs send it; nothing when it is `None`.
    pub fn comma_list_opt<V: WireScalar>(
        &mut self,
        loc: Location,
        name: impl ParamKey,
        values: &Option<Vec<V>>,
    ) {
        match values.as_deref() {
            None => {}
            Some([]) => self.list_mut(loc).push((name.into_name(), String::new())),
            Some(values) => self.comma_list(loc, name, values),
        }
    }

    /// As [`Params::json_list`] when the list is set, and `Name=[]` when it is set but empty, as
    /// the official SDKs send it; nothing when it is `None`.
    pub fn json_list_opt<V: serde::Serialize>(
        &mut self,
        loc: Location,
        name: impl ParamKey,
        values: &Option<Vec<V>>,
    ) {
        match values.as_deref() {
            None => {}
            Some([]) => self.list_mut(loc).push((name.into_name(), "[]".to_owned())),
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
        match serde_json::to_string(value) {
            Ok(text) => self.list_mut(loc).push((name.into_name(), text)),
            Err(error) => {
                tracing::warn!(parameter = %name.into_name(), %error, "object not representable as JSON; left out");
            }
        }
    }

    /// As [`Params::json_object`] when the object is set; nothing when it is `None`.
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
        let name = name.into_name();
        for (key, value) in entries {
            self.plain(loc, (name.as_str(), key.as_str()), value);
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
        let name = name.into_name();
        for (key, value) in entries {
            value.write_flat(self, loc, &(name.as_str(), key.as_str()).into_name());
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
        value.write_flat(self, loc, &name.into_name());
    }

    /// As [`Params::flat`] when the object is set; nothing when it is `None`.
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
        let name = name.into_name();
        for (index, value) in values.iter().enumerate() {
            value.write_flat(self, loc, &item_prefix(&name, index));
        }
    }

    /// The query parameters, un-encoded, in insertion order.
    pub fn query(&self) -> &[(String, String)] {
        &self.query
    }

    /// The body parameters, un-encoded, in insertion order.
    pub fn body(&self) -> &[(String, String)] {
        &self.body
    }

    /// The header parameters, in insertion order.
    pub fn headers(&self) -> &[(String, String)] {
        &self.headers
    }

    /// Whether a parameter of that exact name was written, in the query or the body.
    pub fn contains(&self, name: &str) -> bool {
        self.query
            .iter()
            .chain(&self.body)
            .any(|(existing, _)| existing == name)
    }
}

/// `Name.N` for the item at zero-based `index`: the wire numbers items from 1.
fn item_prefix(name: &str, index: usize) -> String {
    (name, itoa::Buffer::new().format(index + 1)).into_name()
}

/// The name of a parameter as a writer receives it: whole (`"RegionId"`), or a shape's prefix
/// and one of its fields (`("Tag.1", "Key")`), joined only when a value is written.
pub trait ParamKey {
    /// The parameter's full name.
    fn into_name(self) -> String;
}

impl ParamKey for &str {
    fn into_name(self) -> String {
        self.to_owned()
    }
}

impl ParamKey for &String {
    fn into_name(self) -> String {
        self.clone()
    }
}

impl ParamKey for String {
    fn into_name(self) -> String {
        self
    }
}

impl ParamKey for (&str, &str) {
    fn into_name(self) -> String {
        let (prefix, field) = self;
        let mut name = String::with_capacity(prefix.len() + 1 + field.len());
        name.push_str(prefix);
        name.push('.');
        name.push_str(field);
        name
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

/// Whether RFC 3986 keeps `byte` as it is: `A-Z a-z 0-9 - _ . ~`, the complement of
/// [`RFC3986_ESCAPED`] (a test holds the two together).
const fn is_unreserved(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'_' | b'.' | b'~')
}

/// [`is_unreserved`] for every byte, looked up in the encoder's loop: one load per byte instead
/// of a chain of comparisons.
const UNRESERVED: [bool; 256] = {
    let mut table = [false; 256];
    let mut byte = 0;
    while byte < 256 {
        table[byte] = is_unreserved(byte as u8);
        byte += 1;
    }
    table
};

/// Appends `text` percent-encoded as RFC 3986 (UTF-8, only unreserved characters kept).
///
/// Copies each run of unreserved bytes whole and escapes the rest byte by byte: most parameter
/// text is unreserved, and the crate's iterator yields a chunk per escaped byte and per run
/// (with the buffer reserved in `encode_pairs`, the signer's instructions on the signing
/// benchmark's 6 KB query fell from 472,268 to 457,358 under callgrind).
pub fn percent_encode_into(text: &str, out: &mut String) {
    let bytes = text.as_bytes();
    let mut run_start = 0;
    for (at, byte) in bytes.iter().enumerate() {
        if !UNRESERVED[usize::from(*byte)] {
            if run_start < at {
                // `run_start..at` holds only ASCII, so both ends are character boundaries.
                out.push_str(text.get(run_start..at).unwrap_or_default());
            }
            out.push_str(percent_encode_byte(*byte));
            run_start = at + 1;
        }
    }
    if run_start < bytes.len() {
        out.push_str(text.get(run_start..).unwrap_or_default());
    }
}

/// `text` percent-encoded as RFC 3986 (UTF-8, only unreserved characters kept).
pub fn percent_encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    percent_encode_into(text, &mut out);
    out
}

/// The canonical query string: parameters sorted by name (byte order, stable for equal names),
/// names and values percent-encoded as RFC 3986, joined as `name=value` with `&`.
///
/// It is both what the signatures cover and what is sent after the `?`, so that the gateway
/// reads exactly what was signed.
pub fn canonical_query(params: &[(String, String)]) -> String {
    canonical_query_of(
        params
            .iter()
            .map(|(name, value)| (name.as_str(), value.as_str())),
    )
}

/// [`canonical_query`] of borrowed pairs, for parameters gathered from several lists.
pub fn canonical_query_of<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> String {
    let mut sorted: Vec<(&str, &str)> = pairs.into_iter().collect();
    sorted.sort_by(|a, b| a.0.cmp(b.0));
    encode_pairs(&sorted)
}

/// The `application/x-www-form-urlencoded` body for the body parameters: sorted by name like the
/// official SDKs' bodies, encoded as RFC 3986 (`%20` for a space, which every form decoder reads).
pub fn form_body(params: &[(String, String)]) -> String {
    canonical_query(params)
}

fn encode_pairs(pairs: &[(&str, &str)]) -> String {
    // Most parameters are unreserved text, so the unencoded length is a lower bound; the half
    // again covers the JSON-array values, whose quotes and commas each grow to three bytes.
    let unencoded: usize = pairs
        .iter()
        .map(|(name, value)| name.len() + value.len() + 2)
        .sum();
    let mut out = String::with_capacity(unencoded + unencoded / 2);
    for (index, (name, value)) in pairs.iter().enumerate() {
        if index > 0 {
            out.push('&');
        }
        percent_encode_into(name, &mut out);
        out.push('=');
        percent_encode_into(value, &mut out);
    }
    out
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
        let written: Vec<(&str, &str)> = params
            .query()
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
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

    #[test]
    fn shape_fields_and_items_are_named_as_on_the_wire() {
        let mut params = Params::new();
        params.plain(Location::Query, ("Tag.12", "Key"), "k");
        params.repeat_list(Location::Query, "Id", &["a", "b"]);
        params.comma_list(Location::Query, "Ids", &[1_i32, -20]);
        let names: Vec<(&str, &str)> = params
            .query()
            .iter()
            .map(|(name, value)| (name.as_str(), value.as_str()))
            .collect();
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
