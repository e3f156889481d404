//! Robustness of response decoding: thousands of mutations of every sample response of every
//! operation (values swapped for other types at random paths, fields dropped, keys duplicated or
//! renamed, values nested thousands deep, numbers beyond any integer or float, invalid UTF-8,
//! megabyte strings, stray bytes, every truncation of one sample, top-level arrays, nulls and
//! numbers) decoded with `decode_response` into the operation's generated response type.
//!
//! The promises checked:
//! - decoding never panics;
//! - it fails only for a body that is not JSON, judged by an RFC 8259 grammar check written here
//!   (independent of serde_json), except beyond the parser's nesting limit, which RFC 8259 §9
//!   allows, where the error must say so;
//! - every anomaly names a path that exists in the mutated document and keeps the raw value found
//!   there; a mutation at one place reports anomalies only at or under that place, and the rest of
//!   the response (its `RequestId`) still decodes;
//! - decoding a body with a 10 MB string allocates less than 4 times the body (measured with a
//!   counting global allocator, per thread).
//!
//! Mutations come from a seeded generator (`RESPONSE_FUZZ_SEED` replays another seed); failing
//! inputs are written under the target directory's `tmp/response_mutations/`.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;

use acs_runtime::catalog::{self, CatalogError, Entry};
use acs_runtime::decode::{Anomaly, DecodeError, decode_response};
use acs_sdk::catalog::OPERATIONS;
use acs_test_gateway::specs;
use acs_test_support::allocation::{ThreadPeakAllocator, peak_allocation};
use acs_test_support::panics::catch_quietly;
use serde_json::Value;

// Allocations are measured per thread, by the shared meter (see `peak_allocation`).
#[global_allocator]
static ALLOCATOR: ThreadPeakAllocator = ThreadPeakAllocator;

// ---------------------------------------------------------------------------------------------
// The operations and their samples.
// ---------------------------------------------------------------------------------------------

/// What a decode produced: the response re-encoded as JSON, and the anomalies.
type Decoded = Result<(Value, Vec<Anomaly>), DecodeError>;

/// One sample response of one operation, with the operation's entry in the generated catalog.
struct Sample {
    label: String,
    entry: &'static Entry,
    body: Value,
}

impl Sample {
    /// Decodes `body` into the operation's generated response type and re-encodes it as JSON.
    fn decode(&self, body: &[u8]) -> Decoded {
        match (self.entry.decode_to_json)(body) {
            Ok(decoded) => Ok((decoded.response, decoded.anomalies)),
            Err(CatalogError::Decode(e)) => Err(e),
            Err(other) => panic!("{}: {other}", self.label),
        }
    }
}

/// Every sample of every operation of every spec (the repaired copy where the published one is
/// not JSON), each decoded through the operation's entry in the generated catalog.
fn samples() -> Vec<Sample> {
    let specs = specs::workspace_specs().unwrap_or_else(|e| panic!("{e}"));
    let mut out = Vec::new();
    for op in specs::operations(&specs) {
        let entry = catalog::find(OPERATIONS, op.module(), op.action())
            .unwrap_or_else(|e| panic!("{}: {e}", op.spec.file));
        for sample in op.samples() {
            let label = format!("{}/{}", op.action(), sample.name);
            let body: Value = serde_json::from_str(&sample.body)
                .unwrap_or_else(|e| panic!("{label}: the sample is not JSON: {e}"));
            out.push(Sample { label, entry, body });
        }
    }
    out
}

// ---------------------------------------------------------------------------------------------
// A JSON tree that can hold what serde_json's cannot: duplicate keys, numbers of any size,
// strings with any bytes, and raw text.
// ---------------------------------------------------------------------------------------------

#[derive(Debug, Clone)]
enum Node {
    Null,
    Bool(bool),
    /// The number's text, as it goes on the wire.
    Number(String),
    /// A string's escaped content, without the quotes: any bytes.
    Str(Vec<u8>),
    Array(Vec<Node>),
    Object(Vec<(String, Node)>),
    /// Text emitted as it is.
    Raw(Vec<u8>),
}

impl Node {
    fn from_value(v: &Value) -> Node {
        match v {
            Value::Null => Node::Null,
            Value::Bool(b) => Node::Bool(*b),
            Value::Number(n) => Node::Number(n.to_string()),
            Value::String(s) => Node::Str(escaped(s)),
            Value::Array(items) => Node::Array(items.iter().map(Node::from_value).collect()),
            Value::Object(map) => Node::Object(
                map.iter()
                    .map(|(k, v)| (k.clone(), Node::from_value(v)))
                    .collect(),
            ),
        }
    }

    fn emit(&self, out: &mut Vec<u8>) {
        match self {
            Node::Null => out.extend_from_slice(b"null"),
            Node::Bool(b) => out.extend_from_slice(if *b { b"true" } else { b"false" }),
            Node::Number(text) => out.extend_from_slice(text.as_bytes()),
            Node::Str(content) => {
                out.push(b'"');
                out.extend_from_slice(content);
                out.push(b'"');
            }
            Node::Array(items) => {
                out.push(b'[');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push(b',');
                    }
                    item.emit(out);
                }
                out.push(b']');
            }
            Node::Object(entries) => {
                out.push(b'{');
                for (i, (key, value)) in entries.iter().enumerate() {
                    if i > 0 {
                        out.push(b',');
                    }
                    out.push(b'"');
                    out.extend_from_slice(&escaped(key));
                    out.extend_from_slice(b"\":");
                    value.emit(out);
                }
                out.push(b'}');
            }
            Node::Raw(bytes) => out.extend_from_slice(bytes),
        }
    }

    fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::new();
        self.emit(&mut out);
        out
    }

    /// Every node's path, in the anomaly notation (`Images.Image[0].Size`; the root is "").
    fn paths(&self) -> Vec<(String, Vec<usize>)> {
        let mut out = Vec::new();
        self.collect_paths(String::new(), Vec::new(), &mut out);
        out
    }

    fn collect_paths(&self, path: String, at: Vec<usize>, out: &mut Vec<(String, Vec<usize>)>) {
        out.push((path.clone(), at.clone()));
        match self {
            Node::Array(items) => {
                for (i, item) in items.iter().enumerate() {
                    let mut next = at.clone();
                    next.push(i);
                    item.collect_paths(format!("{path}[{i}]"), next, out);
                }
            }
            Node::Object(entries) => {
                for (i, (key, value)) in entries.iter().enumerate() {
                    let mut next = at.clone();
                    next.push(i);
                    let p = if path.is_empty() {
                        key.clone()
                    } else {
                        format!("{path}.{key}")
                    };
                    value.collect_paths(p, next, out);
                }
            }
            _ => {}
        }
    }

    fn at_mut(&mut self, at: &[usize]) -> &mut Node {
        let Some((first, rest)) = at.split_first() else {
            return self;
        };
        match self {
            Node::Array(items) => items[*first].at_mut(rest),
            Node::Object(entries) => entries[*first].1.at_mut(rest),
            _ => unreachable!("paths come from the same tree"),
        }
    }
}

fn escaped(s: &str) -> Vec<u8> {
    let quoted = serde_json::to_string(s).unwrap_or_default();
    quoted.as_bytes()[1..quoted.len() - 1].to_vec()
}

// ---------------------------------------------------------------------------------------------
// An RFC 8259 grammar check, written from the RFC, sharing nothing with serde_json.
// ---------------------------------------------------------------------------------------------

/// What the grammar check says of a body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Verdict {
    /// Not a JSON text: it must not decode.
    NotJson,
    /// JSON but for bytes inside strings that are not UTF-8. A lenient decoder may skip such a
    /// string in a field it ignores; it must not decode one into a field.
    JsonButInvalidUtf8,
    /// A JSON text, with its deepest nesting and whether a number is beyond `f64`.
    Json { depth: usize, huge_number: bool },
}

struct Grammar<'a> {
    b: &'a [u8],
    i: usize,
    depth: usize,
    huge: bool,
}

impl Grammar<'_> {
    fn check(body: &[u8]) -> Verdict {
        // RFC 8259 §8.1: a JSON text is UTF-8.
        if std::str::from_utf8(body).is_err() {
            let lossy = String::from_utf8_lossy(body);
            return match Grammar::check(lossy.as_bytes()) {
                Verdict::NotJson => Verdict::NotJson,
                _ => Verdict::JsonButInvalidUtf8,
            };
        }
        let mut g = Grammar {
            b: body,
            i: 0,
            depth: 0,
            huge: false,
        };
        g.ws();
        if !g.value() {
            return Verdict::NotJson;
        }
        g.ws();
        if g.i != g.b.len() {
            return Verdict::NotJson;
        }
        Verdict::Json {
            depth: g.depth,
            huge_number: g.huge,
        }
    }

    fn peek(&self) -> Option<u8> {
        self.b.get(self.i).copied()
    }

    fn ws(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.i += 1;
        }
    }

    fn eat(&mut self, c: u8) -> bool {
        if self.peek() == Some(c) {
            self.i += 1;
            true
        } else {
            false
        }
    }

    fn literal(&mut self, word: &[u8]) -> bool {
        if self.b[self.i..].starts_with(word) {
            self.i += word.len();
            true
        } else {
            false
        }
    }

    /// One value; containers are walked with an explicit stack, so no nesting overflows it.
    fn value(&mut self) -> bool {
        // Each entry: true for an object, false for an array.
        let mut stack: Vec<bool> = Vec::new();
        loop {
            // A value starts here.
            self.ws();
            match self.peek() {
                Some(b'{') | Some(b'[') => {
                    let object = self.peek() == Some(b'{');
                    self.i += 1;
                    stack.push(object);
                    self.depth = self.depth.max(stack.len());
                    self.ws();
                    let close = if object { b'}' } else { b']' };
                    if self.eat(close) {
                        stack.pop();
                    } else {
                        if object && !self.member_key() {
                            return false;
                        }
                        continue;
                    }
                }
                Some(b'"') => {
                    if !self.string() {
                        return false;
                    }
                }
                Some(b't') => {
                    if !self.literal(b"true") {
                        return false;
                    }
                }
                Some(b'f') => {
                    if !self.literal(b"false") {
                        return false;
                    }
                }
                Some(b'n') => {
                    if !self.literal(b"null") {
                        return false;
                    }
                }
                Some(b'-' | b'0'..=b'9') => {
                    if !self.number() {
                        return false;
                    }
                }
                _ => return false,
            }
            // A value ended: close containers or go on to the next member.
            loop {
                let Some(&object) = stack.last() else {
                    return true;
                };
                self.ws();
                if self.eat(b',') {
                    if object && !self.member_key() {
                        return false;
                    }
                    break;
                }
                if self.eat(if object { b'}' } else { b']' }) {
                    stack.pop();
                    continue;
                }
                return false;
            }
        }
    }

    /// `ws string ws :` before an object member's value.
    fn member_key(&mut self) -> bool {
        self.ws();
        if self.peek() != Some(b'"') || !self.string() {
            return false;
        }
        self.ws();
        self.eat(b':')
    }

    fn string(&mut self) -> bool {
        self.i += 1;
        loop {
            match self.peek() {
                None => return false,
                Some(b'"') => {
                    self.i += 1;
                    return true;
                }
                Some(b'\\') => {
                    self.i += 1;
                    match self.peek() {
                        Some(b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't') => self.i += 1,
                        Some(b'u') => {
                            let hex = self.b.get(self.i + 1..self.i + 5);
                            if !hex.is_some_and(|h| h.iter().all(u8::is_ascii_hexdigit)) {
                                return false;
                            }
                            self.i += 5;
                        }
                        _ => return false,
                    }
                }
                Some(0x00..=0x1f) => return false,
                Some(_) => self.i += 1,
            }
        }
    }

    fn number(&mut self) -> bool {
        let start = self.i;
        self.eat(b'-');
        if self.eat(b'0') {
        } else if matches!(self.peek(), Some(b'1'..=b'9')) {
            while matches!(self.peek(), Some(b'0'..=b'9')) {
                self.i += 1;
            }
        } else {
            return false;
        }
        if self.eat(b'.') {
            if !matches!(self.peek(), Some(b'0'..=b'9')) {
                return false;
            }
            while matches!(self.peek(), Some(b'0'..=b'9')) {
                self.i += 1;
            }
        }
        if matches!(self.peek(), Some(b'e' | b'E')) {
            self.i += 1;
            if matches!(self.peek(), Some(b'+' | b'-')) {
                self.i += 1;
            }
            if !matches!(self.peek(), Some(b'0'..=b'9')) {
                return false;
            }
            while matches!(self.peek(), Some(b'0'..=b'9')) {
                self.i += 1;
            }
        }
        let text = std::str::from_utf8(&self.b[start..self.i]).unwrap_or("0");
        if text.parse::<f64>().is_ok_and(f64::is_infinite) {
            self.huge = true;
        }
        true
    }
}

/// The deepest nesting serde_json reads into a document (its recursion limit of 128 counts the
/// level that fails).
const PARSER_DEPTH_LIMIT: usize = 127;

// ---------------------------------------------------------------------------------------------
// Mutations.
// ---------------------------------------------------------------------------------------------

/// Values of every JSON type, and some of no sane response, to put where another value was.
fn replacement(rng: &mut fastrand::Rng) -> Node {
    match rng.u8(..22) {
        0 => Node::Null,
        1 => Node::Bool(rng.bool()),
        2 => Node::Str(b"False".to_vec()),
        3 => Node::Str(b"".to_vec()),
        4 => Node::Str(b"not a number".to_vec()),
        5 => Node::Number("0".into()),
        6 => Node::Number("-1".into()),
        7 => Node::Number("2.5".into()),
        8 => Node::Number("18446744073709551616".into()),
        9 => Node::Number("-9223372036854775809".into()),
        10 => Node::Number("123456789012345678901234567890".into()),
        11 => Node::Array(Vec::new()),
        12 => Node::Array(vec![Node::Number("1".into()), Node::Str(b"a".to_vec())]),
        13 => Node::Object(Vec::new()),
        14 => Node::Object(vec![(
            "x".into(),
            Node::Object(vec![("y".into(), Node::Number("1".into()))]),
        )]),
        15 => Node::Array(vec![Node::Null, Node::Object(Vec::new())]),
        16 => Node::Str("镜像 😀 \\u00e9".as_bytes().to_vec()),
        17 => Node::Str(b"\\ud83d\\ude00".to_vec()),
        18 => Node::Object(vec![("Image".into(), Node::Str(b"wrapped text".to_vec()))]),
        19 => Node::Object(vec![("Image".into(), Node::Array(vec![Node::Null]))]),
        20 => Node::Number("1E+2".into()),
        _ => Node::Number("-0".into()),
    }
}

/// Numbers beyond what `f64` and the integers hold, and at their edges.
const HUGE_NUMBERS: &[&str] = &[
    "1e400",
    "-1e400",
    "1.7976931348623157e309",
    "18446744073709551616",
    "18446744073709551615",
    "-9223372036854775809",
    "9223372036854775807",
    "1e-400",
    "123456789012345678901234567890123456789",
];

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Kind {
    TypeSwap,
    DropField,
    DuplicateKey,
    RenameKey,
    HugeNumber,
    DeepNesting,
    InvalidUtf8,
    LongString,
    StrayBytes,
    Stacked,
    Truncation,
    TopLevel,
    Special,
}

const SINGLE: &[Kind] = &[
    Kind::TypeSwap,
    Kind::DropField,
    Kind::DuplicateKey,
    Kind::RenameKey,
    Kind::HugeNumber,
    Kind::DeepNesting,
    Kind::InvalidUtf8,
    Kind::LongString,
    Kind::StrayBytes,
];

/// A mutated body, and where the mutation was when it was one value replaced.
struct Mutant {
    kind: Kind,
    body: Vec<u8>,
    site: Option<String>,
}

fn mutate(rng: &mut fastrand::Rng, original: &Node, kind: Kind) -> Mutant {
    let mut tree = original.clone();
    let paths = tree.paths();
    let (site, at) = paths[rng.usize(..paths.len())].clone();
    let objects: Vec<(String, Vec<usize>)> = paths
        .iter()
        .filter(|(_, at)| matches!(tree.at_mut(at), Node::Object(e) if !e.is_empty()))
        .cloned()
        .collect();
    let mut single_site = None;
    match kind {
        Kind::TypeSwap => {
            *tree.at_mut(&at) = replacement(rng);
            single_site = Some(site);
        }
        Kind::HugeNumber => {
            *tree.at_mut(&at) =
                Node::Number(HUGE_NUMBERS[rng.usize(..HUGE_NUMBERS.len())].to_owned());
            single_site = Some(site);
        }
        Kind::DeepNesting => {
            let depth = [64, 126, 127, 129, 1_000, 10_000][rng.usize(..6)];
            let (open, close) = if rng.bool() {
                ("[", "]")
            } else {
                ("{\"a\":", "}")
            };
            let mut raw = open.repeat(depth);
            raw.push('1');
            raw.push_str(&close.repeat(depth));
            *tree.at_mut(&at) = Node::Raw(raw.into_bytes());
            single_site = Some(site);
        }
        Kind::LongString => {
            *tree.at_mut(&at) = Node::Str(vec![b'x'; 64 * 1024]);
            single_site = Some(site);
        }
        Kind::InvalidUtf8 => {
            let bad: &[&[u8]] = &[
                b"\xff",
                b"\xc3\x28",
                b"\xe2\x82",
                b"\xed\xa0\x80",
                b"\xf8\x88\x80\x80\x80",
            ];
            let mut content = b"ok".to_vec();
            content.extend_from_slice(bad[rng.usize(..bad.len())]);
            *tree.at_mut(&at) = Node::Str(content);
        }
        Kind::DropField | Kind::DuplicateKey | Kind::RenameKey => {
            if let Some((_, obj_at)) = objects.get(rng.usize(..objects.len().max(1))) {
                let Node::Object(entries) = tree.at_mut(obj_at) else {
                    unreachable!("collected as an object")
                };
                let i = rng.usize(..entries.len());
                match kind {
                    Kind::DropField => {
                        entries.remove(i);
                    }
                    Kind::DuplicateKey => {
                        // The copy goes first: a JSON object's last value for a key is the one
                        // decoders keep, so the response must decode exactly as the original.
                        let key = entries[i].0.clone();
                        entries.insert(i, (key, replacement(rng)));
                    }
                    _ => {
                        let key = &mut entries[i].0;
                        *key = match rng.u8(..3) {
                            0 => key.to_lowercase(),
                            1 => format!("{key}Extra"),
                            _ => key.to_uppercase(),
                        };
                    }
                }
            }
        }
        Kind::StrayBytes => {
            let mut body = tree.to_bytes();
            let stray: &[&[u8]] = &[
                b",",
                b":",
                b"[",
                b"]",
                b"{",
                b"}",
                b"\"",
                b"\\",
                b"\0",
                b" ",
                b"\n",
                b"\xff",
                b"NaN",
                b"Infinity",
                b"//",
                b"\xef\xbb\xbf",
            ];
            for _ in 0..rng.usize(1..=2) {
                let at = rng.usize(..=body.len());
                let bytes = stray[rng.usize(..stray.len())];
                body.splice(at..at, bytes.iter().copied());
            }
            return Mutant {
                kind,
                body,
                site: None,
            };
        }
        Kind::Stacked | Kind::Truncation | Kind::TopLevel | Kind::Special => {}
    }
    Mutant {
        kind,
        body: tree.to_bytes(),
        site: single_site,
    }
}

// ---------------------------------------------------------------------------------------------
// Checking one decode.
// ---------------------------------------------------------------------------------------------

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
fn judge(
    body: &[u8],
    site: Option<&str>,
    outcome: &Decoded,
    original: &(Value, Vec<Anomaly>),
    kind: Kind,
) -> Option<String> {
    let verdict = Grammar::check(body);
    let (decoded, anomalies) = match (verdict, outcome) {
        (Verdict::NotJson | Verdict::JsonButInvalidUtf8, Err(_)) => return None,
        (Verdict::NotJson, Ok(_)) => {
            return Some("a body that is not JSON decoded without an error".into());
        }
        (Verdict::JsonButInvalidUtf8, Ok((decoded, anomalies))) => {
            // Only a skipped field may hold the bad bytes: every decoded text is UTF-8 by type,
            // so what must be checked is that nothing was reported about a value no document
            // can hold.
            let _ = decoded;
            return (!anomalies.is_empty()).then(|| {
                format!("a body with invalid UTF-8 decoded with anomalies: {anomalies:?}")
            });
        }
        (Verdict::Json { depth, .. }, Ok((_, anomalies))) if depth > PARSER_DEPTH_LIMIT => {
            // Too deep for a document to check paths against: a value this deep can only have
            // been skipped (an unknown field), so nothing may be reported about it.
            return (!anomalies.is_empty()).then(|| {
                format!("a body nested {depth} deep decoded with anomalies: {anomalies:?}")
            });
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
    // is read as its text).
    let Ok(mut doc) = serde_json::from_slice::<Value>(&quote_huge_numbers(body)) else {
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
        if *node != anomaly.raw {
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

// ---------------------------------------------------------------------------------------------
// Panics, failures and counts.
// ---------------------------------------------------------------------------------------------

struct Failure {
    case: String,
    problem: String,
    body: Vec<u8>,
}

#[derive(Default)]
struct Tally {
    tried: usize,
    ok: usize,
    err: usize,
    anomalies: usize,
    panics: usize,
    per_kind: BTreeMap<String, [usize; 3]>,
    failures: Vec<Failure>,
}

impl Tally {
    fn decode(
        &mut self,
        case: &str,
        sample: &Sample,
        original: &(Value, Vec<Anomaly>),
        mutant: &Mutant,
    ) {
        self.tried += 1;
        let counts = self
            .per_kind
            .entry(format!("{:?}", mutant.kind))
            .or_default();
        counts[0] += 1;
        let outcome = match catch_quietly(|| sample.decode(&mutant.body)) {
            Ok(outcome) => outcome,
            Err(panic) => {
                self.panics += 1;
                self.failures.push(Failure {
                    case: case.to_owned(),
                    problem: format!("decoding panicked: {panic}"),
                    body: mutant.body.clone(),
                });
                return;
            }
        };
        match &outcome {
            Ok((_, anomalies)) => {
                self.ok += 1;
                counts[1] += 1;
                self.anomalies += anomalies.len();
            }
            Err(_) => {
                self.err += 1;
                counts[2] += 1;
            }
        }
        if let Some(problem) = judge(
            &mutant.body,
            mutant.site.as_deref(),
            &outcome,
            original,
            mutant.kind,
        ) {
            self.failures.push(Failure {
                case: case.to_owned(),
                problem,
                body: mutant.body.clone(),
            });
        }
    }

    fn report(&self) -> String {
        let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("response_mutations");
        // Losing the copies only loses convenience: the report still names every case.
        let _ = std::fs::remove_dir_all(&dir);
        let _ = std::fs::create_dir_all(&dir);
        let mut by_problem: BTreeMap<String, Vec<usize>> = BTreeMap::new();
        for (i, f) in self.failures.iter().enumerate() {
            let _ = std::fs::write(dir.join(format!("failure-{i:04}.json")), &f.body);
            // Group by the problem's wording up to its first detail.
            let head: String = f.problem.chars().take(60).collect();
            by_problem.entry(head).or_default().push(i);
        }
        let mut report = format!(
            "{} broken promises in {} kinds; each failing body is in {}\n",
            self.failures.len(),
            by_problem.len(),
            dir.display()
        );
        for cases in by_problem.values() {
            let first = &self.failures[cases[0]];
            let _ = write!(
                report,
                "\n{} case(s), e.g. failure-{:04}.json, {}:\n    {}\n",
                cases.len(),
                cases[0],
                first.case,
                first.problem
            );
        }
        report
    }
}

// ---------------------------------------------------------------------------------------------
// The tests.
// ---------------------------------------------------------------------------------------------

/// Random mutations per sample.
const MUTATIONS_PER_SAMPLE: usize = 500;
const DEFAULT_SEED: u64 = 0x0de_c0de_2026;

#[test]
fn mutated_responses_decode_without_panics_and_every_anomaly_points_at_its_value() {
    let seed = acs_test_support::seed_from_env("RESPONSE_FUZZ_SEED", DEFAULT_SEED);
    let mut rng = fastrand::Rng::with_seed(seed);
    let samples = samples();
    assert!(samples.len() >= 4, "found only {} samples", samples.len());
    let mut tally = Tally::default();
    for (s, sample) in samples.iter().enumerate() {
        let tree = Node::from_value(&sample.body);
        let original_body = tree.to_bytes();
        let original = sample
            .decode(&original_body)
            .unwrap_or_else(|e| panic!("{}: the sample itself does not decode: {e}", sample.label));
        assert!(
            original.1.is_empty(),
            "{}: the sample itself gives anomalies: {:?}",
            sample.label,
            original.1
        );
        for index in 0..MUTATIONS_PER_SAMPLE {
            let mutant = if index % 6 == 5 {
                let mut body = tree.clone();
                let mut last = None;
                for _ in 0..rng.usize(2..=3) {
                    let kind = SINGLE[rng.usize(..SINGLE.len())];
                    let m = mutate(&mut rng, &body, kind);
                    match serde_json::from_slice::<Value>(&m.body) {
                        Ok(v) => body = Node::from_value(&v),
                        Err(_) => {
                            last = Some(m.body);
                            break;
                        }
                    }
                }
                Mutant {
                    kind: Kind::Stacked,
                    body: last.unwrap_or_else(|| body.to_bytes()),
                    site: None,
                }
            } else {
                let kind = SINGLE[rng.usize(..SINGLE.len())];
                mutate(&mut rng, &tree, kind)
            };
            let case = format!(
                "seed {seed} sample {s} ({}) mutation {index} ({:?})",
                sample.label, mutant.kind
            );
            tally.decode(&case, sample, &original, &mutant);
        }
        // Top-level values that are not an object.
        let mut top_level: Vec<Vec<u8>> = [
            "[]", "null", "0", "-1", "true", "\"text\"", "1e400", "[{}]", " [1, 2] ", "{}",
        ]
        .iter()
        .map(|s| s.as_bytes().to_vec())
        .collect();
        let mut as_array = b"[".to_vec();
        as_array.extend_from_slice(&original_body);
        as_array.push(b']');
        top_level.push(as_array);
        for body in top_level {
            let case = format!(
                "sample {s} ({}) top level {:?}",
                sample.label,
                String::from_utf8_lossy(&body)
            );
            let mutant = Mutant {
                kind: Kind::TopLevel,
                body,
                site: Some(String::new()),
            };
            tally.decode(&case, sample, &original, &mutant);
        }
    }
    // Every truncation of the first sample (all but the whole are not JSON, save a body cut
    // only in trailing whitespace).
    let first = &samples[0];
    let first_original = first
        .decode(&Node::from_value(&first.body).to_bytes())
        .unwrap_or_else(|e| panic!("{e}"));
    let pretty = serde_json::to_vec_pretty(&first.body).unwrap_or_default();
    for cut in 0..=pretty.len() {
        let mutant = Mutant {
            kind: Kind::Truncation,
            body: pretty[..cut].to_vec(),
            site: None,
        };
        let case = format!(
            "{} truncated to {cut} of {} bytes",
            first.label,
            pretty.len()
        );
        tally.decode(&case, first, &first_original, &mutant);
    }
    // Bodies that are nothing like a response.
    let specials: Vec<Vec<u8>> = vec![
        Vec::new(),
        b" \n\t".to_vec(),
        b"\xef\xbb\xbf{}".to_vec(),
        b"<html>502 Bad Gateway</html>".to_vec(),
        b"\xff\xfe\x00\x00".to_vec(),
        "[".repeat(10_000).into_bytes(),
        format!("{}{}", "[".repeat(10_000), "]".repeat(10_000)).into_bytes(),
        format!(
            "{{\"RequestId\": {}1{}}}",
            "[".repeat(10_000),
            "]".repeat(10_000)
        )
        .into_bytes(),
        format!("{}{}", "{\"a\":".repeat(10_000), "}".repeat(10_000)).into_bytes(),
        b"{\"RequestId\": \"r\"}{\"RequestId\": \"s\"}".to_vec(),
        b"{\"RequestId\": NaN}".to_vec(),
        b"{\"RequestId\": 01}".to_vec(),
    ];
    for body in specials {
        let case = format!(
            "special body {:?}",
            String::from_utf8_lossy(&body[..body.len().min(40)])
        );
        let mutant = Mutant {
            kind: Kind::Special,
            body,
            site: Some(String::new()),
        };
        tally.decode(&case, first, &first_original, &mutant);
    }
    println!(
        "response mutations (seed {seed}): tried {}, decoded {} ({} anomalies), errors {}, panics {}",
        tally.tried, tally.ok, tally.anomalies, tally.err, tally.panics
    );
    for (kind, [tried, ok, err]) in &tally.per_kind {
        println!("  {kind}: tried {tried}, decoded {ok}, errors {err}");
    }
    assert!(tally.tried >= 2_000, "only {} cases", tally.tried);
    assert!(tally.failures.is_empty(), "{}", tally.report());
}

/// A body with one 10 MB string decodes with bounded memory, wherever the string sits: in a
/// string field, in a field of another type (an anomaly that keeps it), or in an unknown field.
#[test]
fn a_ten_megabyte_string_decodes_in_bounded_memory() {
    const TEN_MB: usize = 10 * 1024 * 1024;
    let big = "x".repeat(TEN_MB);
    let cases = [
        ("a string field", "RequestId"),
        ("an integer field", "TotalCount"),
        ("an unknown field", "NotDeclaredAnywhere"),
    ];
    for (where_, field) in cases {
        let body = format!(
            "{{\"{field}\": \"{big}\", \"PageNumber\": 1, \"Images\": {{\"Image\": [{{\"ImageId\": \"m-1\"}}]}}}}"
        );
        let (result, peak) = peak_allocation(|| {
            decode_response::<acs_sdk::ecs::DescribeImagesResponse>(body.as_bytes())
        });
        let (response, anomalies) =
            result.unwrap_or_else(|e| panic!("{where_}: the body did not decode: {e}"));
        let ratio = peak as f64 / body.len() as f64;
        println!(
            "10 MB string in {where_}: body {} bytes, peak allocation {peak} bytes ({ratio:.2}x), {} anomalies",
            body.len(),
            anomalies.len()
        );
        assert_eq!(response.images.len(), 1, "{where_}: the rest was lost");
        assert_eq!(response.page_number, Some(1), "{where_}: the rest was lost");
        match field {
            "RequestId" => assert_eq!(response.request_id.as_ref().map(String::len), Some(TEN_MB)),
            "TotalCount" => {
                assert_eq!(anomalies.len(), 1);
                assert_eq!(anomalies[0].path, "TotalCount");
                assert_eq!(anomalies[0].raw.as_str().map(str::len), Some(TEN_MB));
            }
            _ => assert!(anomalies.is_empty()),
        }
        for anomaly in &anomalies {
            // The reason goes into a `tracing` warning: it must describe the value, not repeat it.
            assert!(
                anomaly.reason.len() < 1024,
                "{where_}: the anomaly's reason is {} bytes long (it repeats the raw value), and it is logged",
                anomaly.reason.len()
            );
        }
        assert!(
            ratio < 4.0,
            "{where_}: decoding a {}-byte body allocated {peak} bytes at its peak ({ratio:.2}x the body)",
            body.len()
        );
        drop(response);
    }
}

/// A number beyond `f64` in one field is valid JSON (RFC 8259 leaves its precision to the
/// reader): it must cost that field, not the whole response.
#[test]
fn a_number_beyond_f64_costs_only_its_field() {
    let body =
        br#"{"RequestId": "r-1", "TotalCount": 1e400, "Images": {"Image": [{"ImageId": "m-1"}]}}"#;
    let (response, anomalies) = decode_response::<acs_sdk::ecs::DescribeImagesResponse>(body)
        .unwrap_or_else(|e| panic!("the whole response was lost for one out-of-range number: {e}"));
    assert_eq!(response.request_id.as_deref(), Some("r-1"));
    assert_eq!(response.images.len(), 1);
    assert_eq!(response.total_count, None);
    assert_eq!(anomalies.len(), 1, "{anomalies:?}");
    assert_eq!(anomalies[0].path, "TotalCount");
}

/// A wrapper object with a duplicate key (`{"Image": [a], "Image": [b]}`) must decode to the same
/// list whether or not another field of the response is malformed. Today the fast path joins both
/// lists while the path taken after an anomaly keeps only the last, so an unrelated bad field
/// changes the items.
#[test]
fn a_duplicate_wrapper_key_decodes_the_same_whatever_else_is_wrong() {
    use acs_sdk::ecs::DescribeImagesResponse;
    let clean = br#"{"Images": {"Image": [{"ImageId": "a"}], "Image": [{"ImageId": "b"}]}, "TotalCount": 2}"#;
    let with_bad_field = br#"{"Images": {"Image": [{"ImageId": "a"}], "Image": [{"ImageId": "b"}]}, "TotalCount": {"x": 1}}"#;
    let ids = |body: &[u8]| -> Vec<String> {
        let (response, _) = decode_response::<DescribeImagesResponse>(body)
            .unwrap_or_else(|e| panic!("did not decode: {e}"));
        response
            .images
            .into_iter()
            .map(|image| image.image_id.unwrap_or_default())
            .collect()
    };
    assert_eq!(
        ids(clean),
        ids(with_bad_field),
        "the items depend on whether `TotalCount` is malformed"
    );
}
