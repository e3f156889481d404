//! RFC 3986 percent-encoding, the canonical query both signatures hash, and the form body.

use percent_encoding::percent_encode_byte;

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
/// [`RFC3986_ESCAPED`](super::RFC3986_ESCAPED) (a test holds the two together).
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
/// [`Pairs`](super::Pairs) alike.
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
pub(super) fn compare_names(a: &str, b: &str) -> std::cmp::Ordering {
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
