//! RFC 3986 percent-encoding, the canonical query both signatures hash, and the form body.

/// Where canonical text goes: a byte buffer, or a hash fed as the text is produced.
///
/// Pieces are bytes, not `&str`: the encoder writes into a byte buffer, and proving every piece
/// UTF-8 as it is handed over would cost as much as encoding it. What it writes is ASCII
/// (unreserved bytes and `%XX`) or comes whole from a `&str`, so a buffer of it is text;
/// [`into_text`] makes it a `String` once, at the end.
pub(crate) trait Sink {
    /// Takes the next piece of text, as bytes.
    fn put(&mut self, bytes: &[u8]);
}

impl Sink for Vec<u8> {
    #[inline]
    fn put(&mut self, bytes: &[u8]) {
        self.extend_from_slice(bytes);
    }
}

/// A buffer the encoder wrote into, as text. Every byte it holds is ASCII or came whole from a
/// `&str`, so the check passes; were it ever to fail, the text is kept with replacement
/// characters rather than lost.
pub(crate) fn into_text(bytes: Vec<u8>) -> String {
    String::from_utf8(bytes)
        .unwrap_or_else(|error| String::from_utf8_lossy(error.as_bytes()).into_owned())
}

/// Whether RFC 3986 keeps `byte` as it is: `A-Z a-z 0-9 - _ . ~`, the complement of
/// [`RFC3986_ESCAPED`](super::RFC3986_ESCAPED) (a test holds the two together).
///
/// Written with comparisons and no branches, so that the compiler tests a whole chunk of bytes
/// at once in [`needs_escape`].
#[inline(always)]
const fn is_unreserved(byte: u8) -> bool {
    let letter = (byte | 0x20).wrapping_sub(b'a') < 26;
    let digit = byte.wrapping_sub(b'0') < 10;
    letter | digit | (byte == b'-') | (byte == b'_') | (byte == b'.') | (byte == b'~')
}

/// Bytes tested at once by [`needs_escape`].
const CHUNK: usize = 16;

/// Whether any byte of `chunk` must be escaped. The loop maps each byte on its own, without
/// branches, so it compiles to a few vector instructions for the whole chunk: most parameter
/// text is unreserved, and such a chunk is then copied whole.
#[inline(always)]
fn needs_escape(chunk: &[u8; CHUNK]) -> bool {
    let mut flags = [0_u8; CHUNK];
    for (flag, byte) in flags.iter_mut().zip(chunk) {
        *flag = u8::from(!is_unreserved(*byte));
    }
    u128::from_le_bytes(flags) != 0
}

/// Each byte's encoded form, packed little-endian into a `u32`: the one to three bytes to write,
/// then in the top byte how many they are (1 for an unreserved byte, 3 for `%XX`).
static ENCODED: [u32; 256] = encoded_table();

const fn encoded_table() -> [u32; 256] {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let mut table = [0_u32; 256];
    let mut index = 0;
    while index < 256 {
        let byte = index as u8;
        table[index] = if is_unreserved(byte) {
            byte as u32 | 1 << 24
        } else {
            b'%' as u32 | (HEX[index >> 4] as u32) << 8 | (HEX[index & 0xf] as u32) << 16 | 3 << 24
        };
        index += 1;
    }
    table
}

/// Appends `piece` (at most [`CHUNK`] bytes) encoded, every byte through [`ENCODED`] without a
/// branch: each stores its four table bytes and moves on by one or three, so the next overwrites
/// what is not kept, and escape-dense text (a JSON list, whose quotes and commas are all
/// escaped) costs what any other does, with no branch to mispredict per escape. The chunk is
/// built on the stack and copied over whole, then cut back: a copy of a fixed size is a few
/// vector moves, one of a varying size a call to `memcpy`, which cost more than the encoding.
#[inline(always)]
fn put_encoded_chunk(piece: &[u8], out: &mut Vec<u8>) {
    // Three bytes out for every byte in, and room for the fourth byte of the last store.
    let mut expanded = [0_u8; CHUNK * 3 + 1];
    let mut len = 0;
    for byte in piece {
        let entry = ENCODED[usize::from(*byte)];
        if let Some(slot) = expanded.get_mut(len..len + 4) {
            slot.copy_from_slice(&entry.to_le_bytes());
        }
        len += (entry >> 24) as usize;
    }
    let kept = out.len() + len;
    out.extend_from_slice(&expanded);
    out.truncate(kept);
}

/// Appends `text` percent-encoded as RFC 3986: each chunk of unreserved bytes whole, each other
/// chunk byte by byte.
pub(crate) fn encode_to(text: &str, out: &mut Vec<u8>) {
    encode_bytes_to(text.as_bytes(), out);
}

/// [`encode_to`] of bytes, such as text already encoded once (the V2 signature encodes its
/// canonical query again).
pub(crate) fn encode_bytes_to(bytes: &[u8], out: &mut Vec<u8>) {
    // Escapes grow the text, so the unencoded length is only the least it needs.
    out.reserve(bytes.len());
    let mut chunks = bytes.chunks_exact(CHUNK);
    for chunk in &mut chunks {
        match <&[u8; CHUNK]>::try_from(chunk) {
            Ok(whole) if !needs_escape(whole) => out.extend_from_slice(whole),
            _ => put_encoded_chunk(chunk, out),
        }
    }
    put_encoded_chunk(chunks.remainder(), out);
}

/// Appends `text` percent-encoded as RFC 3986 (UTF-8, only unreserved characters kept).
pub fn percent_encode_into(text: &str, out: &mut String) {
    out.push_str(&percent_encode(text));
}

/// `text` percent-encoded as RFC 3986 (UTF-8, only unreserved characters kept).
pub fn percent_encode(text: &str) -> String {
    let mut encoded = Vec::new();
    encode_to(text, &mut encoded);
    into_text(encoded)
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
    let mut out = Vec::with_capacity(encoded_capacity(&sorted));
    encode_sorted(&sorted, &mut out, |_| {});
    into_text(out)
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
pub(crate) fn encode_sorted(
    pairs: &[(&str, &str)],
    out: &mut Vec<u8>,
    mut each: impl FnMut(&[u8]),
) {
    for (index, (name, value)) in pairs.iter().enumerate() {
        if index > 0 {
            out.push(b'&');
        }
        encode_to(name, out);
        out.push(b'=');
        encode_to(value, out);
        each(out);
    }
}
