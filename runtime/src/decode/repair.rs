//! Strings that are not text: bytes that are not UTF-8 inside a string, or a `\u` escape of a
//! surrogate without its other half (`"\ud800"`, which Java serialisers write for a string cut
//! inside a surrogate pair). JSON is UTF-8 and serde_json refuses the whole body for either, so
//! before the recovering decode each such string is replaced by a marker: a string that begins
//! with a character found nowhere else in the body and goes on with the string's number. The
//! recovering decode reads a marker where a value was expected as an anomaly at that field,
//! keeping the string as it was written.
//!
//! The scanner knows only what it must of JSON: where strings begin and end (a `"` outside a
//! string opens one, an unescaped `"` closes it; both are ASCII, which no byte of a multi-byte
//! UTF-8 sequence is) and its escapes. Everything else passes through untouched, a body that is
//! not JSON included, for the parser to refuse.

/// The characters a marker may begin with: Unicode noncharacters, which no text should hold.
const MARKER_CHARS: std::ops::RangeInclusive<u32> = 0xFDD0..=0xFDEF;

/// A body with its strings that are not text replaced by markers.
#[derive(Debug)]
pub(super) struct Repaired {
    /// The body with each string that is not text replaced by a marker.
    pub(super) body: Vec<u8>,
    /// How to read the markers back.
    pub(super) markers: Markers,
    /// Each replaced string's span in the body as it came and in [`Self::body`], in order.
    replaced: Vec<Replaced>,
}

/// The strings a [`Repaired`] body replaced, by marker.
#[derive(Debug, Clone, Default)]
pub(super) struct Markers {
    /// The character each marker begins with, found nowhere else in the body (`None` when
    /// nothing was replaced).
    lead: Option<char>,
    /// Each replaced string as it was written between its quotes, each byte that is not UTF-8
    /// as `\xHH`; a marker's number is its index here.
    found: Vec<String>,
}

#[derive(Debug, Clone, Copy)]
struct Replaced {
    /// The string literal, quotes included, in the body as it came.
    original: (usize, usize),
    /// Its marker, quotes included, in the repaired body.
    repaired: (usize, usize),
}

impl Markers {
    /// The string a marker stands for, as it was written, when `text` is a marker.
    pub(super) fn found(&self, text: &str) -> Option<&str> {
        let lead = self.lead?;
        let index: usize = text.strip_prefix(lead)?.parse().ok()?;
        self.found.get(index).map(String::as_str)
    }

    /// Whether any string was replaced.
    pub(super) fn is_empty(&self) -> bool {
        self.found.is_empty()
    }
}

impl Repaired {
    /// `body` with each string that is not text replaced by a marker, or `None` when it has no
    /// such string (or, in a body that holds every marker character, cannot mark them).
    pub(super) fn scan(body: &[u8]) -> Option<Repaired> {
        if std::str::from_utf8(body).is_ok() && !has_surrogate_escape(body) {
            return None;
        }
        let mut bad: Vec<(usize, usize)> = Vec::new();
        // Marker characters the body holds, as `\u` escapes or as UTF-8, one bit each.
        let mut used: u32 = 0;
        let mut at = 0;
        while let Some(open) = body.get(at..).and_then(|rest| find(rest, b'"')) {
            let start = at + open;
            let Some(scanned) = scan_string(body, start + 1, &mut used) else {
                // An unterminated string: the parser refuses the body where it ends.
                break;
            };
            if scanned.is_json && !scanned.is_text {
                bad.push((start, scanned.end));
            }
            at = scanned.end;
        }
        if bad.is_empty() {
            return None;
        }
        // A noncharacter written as UTF-8 anywhere (in a string or not) rules it out too.
        for window in body.windows(3) {
            if let [0xEF, 0xB7, third @ 0x90..=0xAF] = window {
                used |= 1 << (third - 0x90);
            }
        }
        let lead = MARKER_CHARS
            .zip(0..)
            .find(|(_, bit)| used & (1 << bit) == 0)
            .and_then(|(code, _)| char::from_u32(code))?;
        let mut repaired = Vec::with_capacity(body.len());
        let mut found = Vec::with_capacity(bad.len());
        let mut replaced = Vec::with_capacity(bad.len());
        let mut copied = 0;
        let mut number = itoa::Buffer::new();
        for (index, &(start, end)) in bad.iter().enumerate() {
            repaired.extend_from_slice(body.get(copied..start).unwrap_or_default());
            let marker_start = repaired.len();
            repaired.push(b'"');
            let mut lead_bytes = [0; 4];
            repaired.extend_from_slice(lead.encode_utf8(&mut lead_bytes).as_bytes());
            repaired.extend_from_slice(number.format(index).as_bytes());
            repaired.push(b'"');
            replaced.push(Replaced {
                original: (start, end),
                repaired: (marker_start, repaired.len()),
            });
            found.push(as_found(body.get(start + 1..end - 1).unwrap_or_default()));
            copied = end;
        }
        repaired.extend_from_slice(body.get(copied..).unwrap_or_default());
        Some(Repaired {
            body: repaired,
            markers: Markers {
                lead: Some(lead),
                found,
            },
            replaced,
        })
    }

    /// The offset in the body as it came of an offset in [`Self::body`]; an offset inside a
    /// marker is its string's start.
    pub(super) fn original_offset(&self, offset: usize) -> usize {
        let before = self
            .replaced
            .partition_point(|replaced| replaced.repaired.0 <= offset);
        let Some(last) = before.checked_sub(1).and_then(|i| self.replaced.get(i)) else {
            return offset;
        };
        if offset < last.repaired.1 {
            return last.original.0;
        }
        offset - last.repaired.1 + last.original.1
    }
}

/// The offset of the first `byte` in `bytes`.
fn find(bytes: &[u8], byte: u8) -> Option<usize> {
    bytes.iter().position(|b| *b == byte)
}

/// Whether `body` may hold a `\u` escape of a surrogate (`\uD800` to `\uDFFF`, in either
/// case); an escaped backslash before `u` is counted too, and sorted out by the scan.
fn has_surrogate_escape(body: &[u8]) -> bool {
    body.windows(4).any(|w| {
        matches!(w, [b'\\', b'u', b'd' | b'D', third] if matches!(third, b'8'..=b'9' | b'a'..=b'f' | b'A'..=b'F'))
    })
}

/// A string literal read by [`scan_string`].
struct Scanned {
    /// The offset just past its closing quote.
    end: usize,
    /// Whether its bytes are UTF-8 and every surrogate escape in it has its other half.
    is_text: bool,
    /// Whether it is a JSON string but for that: no control character, no escape JSON lacks. One
    /// that is not is left for the parser to refuse, the body with it.
    is_json: bool,
}

/// Reads the string literal whose content starts at `start` (just past its opening quote);
/// `None` when it does not end. Marker characters written as escapes are added to `used`.
fn scan_string(body: &[u8], start: usize, used: &mut u32) -> Option<Scanned> {
    let mut is_text = true;
    let mut is_json = true;
    let mut at = start;
    loop {
        // The run of plain bytes up to the next quote or escape: both are ASCII, so a run never
        // ends inside a multi-byte sequence that is UTF-8, and one that is not is not UTF-8 in
        // any run it is cut into.
        let rest = body.get(at..)?;
        let run = rest
            .iter()
            .position(|b| matches!(b, b'"' | b'\\'))
            .unwrap_or(rest.len());
        let plain = rest.get(..run)?;
        if is_text && std::str::from_utf8(plain).is_err() {
            is_text = false;
        }
        if plain.iter().any(|b| *b < 0x20) {
            is_json = false;
        }
        at += run;
        match body.get(at)? {
            b'"' => {
                return Some(Scanned {
                    end: at + 1,
                    is_text,
                    is_json,
                });
            }
            _ => {
                // An escape.
                match body.get(at + 1) {
                    Some(b'u') => match hex4(body, at + 2) {
                        Some(0xD800..=0xDBFF) => {
                            let low = body
                                .get(at + 6..at + 8)
                                .filter(|next| *next == b"\\u")
                                .and_then(|_| hex4(body, at + 8));
                            if low.is_some_and(|low| (0xDC00..=0xDFFF).contains(&low)) {
                                at += 12;
                            } else {
                                is_text = false;
                                at += 6;
                            }
                        }
                        Some(0xDC00..=0xDFFF) => {
                            is_text = false;
                            at += 6;
                        }
                        Some(code) => {
                            if MARKER_CHARS.contains(&code) {
                                *used |= 1 << (code - MARKER_CHARS.start());
                            }
                            at += 6;
                        }
                        None => {
                            is_json = false;
                            at += 2;
                        }
                    },
                    // The escaped byte is never the string's end.
                    Some(b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't') => at += 2,
                    Some(_) => {
                        is_json = false;
                        at += 2;
                    }
                    None => return None,
                }
            }
        }
    }
}

/// The value of four hex digits at `at`.
fn hex4(body: &[u8], at: usize) -> Option<u32> {
    let digits = body.get(at..at + 4)?;
    digits.iter().try_fold(0, |value, digit| {
        let digit = char::from(*digit).to_digit(16)?;
        Some(value * 16 + digit)
    })
}

/// A string's content as written, each byte that is not UTF-8 as `\xHH` (`\x` is no JSON
/// escape, so the two cannot be confused).
fn as_found(content: &[u8]) -> String {
    let mut out = String::with_capacity(content.len() + 8);
    for chunk in content.utf8_chunks() {
        out.push_str(chunk.valid());
        for byte in chunk.invalid() {
            out.push_str("\\x");
            out.push(char::from(HEX[usize::from(byte >> 4)]));
            out.push(char::from(HEX[usize::from(byte & 0xF)]));
        }
    }
    out
}

const HEX: &[u8; 16] = b"0123456789abcdef";

#[cfg(test)]
mod tests {
    use super::*;

    fn repaired(body: &[u8]) -> Option<(String, Vec<String>)> {
        let repaired = Repaired::scan(body)?;
        let text = String::from_utf8(repaired.body.clone()).expect("a repaired body is UTF-8");
        Some((text, repaired.markers.found.clone()))
    }

    #[test]
    fn text_and_escapes_that_are_text_are_left_as_they_are() {
        for body in [
            &br#"{"a":"\\ud800","b":"\ud83d\ude00","c":"\uD83D\uDE00x"}"#[..],
            br#"{"a":"\\\\ud800\\"}"#,
            "{\"a\":\"\u{e9}\u{1F600}\"}".as_bytes(),
            b"{\"a\":1}",
        ] {
            assert!(
                repaired(body).is_none(),
                "{}",
                String::from_utf8_lossy(body)
            );
        }
    }

    #[test]
    fn a_string_that_is_not_text_becomes_a_marker_and_keeps_its_form() {
        let body =
            b"{\"a\":\"x\\ud800\",\"\xffk\":[\"ok\",\"\\u0041\xe2\x82\"],\"c\":\"\\\"\\udc00\"}";
        let (text, found) = repaired(body).expect("three strings are repaired");
        assert_eq!(
            text,
            "{\"a\":\"\u{FDD0}0\",\"\u{FDD0}1\":[\"ok\",\"\u{FDD0}2\"],\"c\":\"\u{FDD0}3\"}"
        );
        assert_eq!(
            found,
            [r"x\ud800", r"\xffk", r"\u0041\xe2\x82", r#"\"\udc00"#]
        );
    }

    #[test]
    fn a_marker_begins_with_a_character_the_body_does_not_hold() {
        let body = "{\"a\":\"\u{FDD0}\\uFDD1\",\"b\":\"\\ud800\"}".as_bytes();
        let repaired = Repaired::scan(body).expect("one string is repaired");
        assert_eq!(repaired.markers.lead, Some('\u{FDD2}'));
        assert_eq!(repaired.markers.found("\u{FDD2}0"), Some(r"\ud800"));
        assert_eq!(repaired.markers.found("\u{FDD0}0"), None);
    }

    #[test]
    fn offsets_map_back_to_the_body_as_it_came() {
        let body = b"[\"\xff\xff\xff\xff\xff\xff\", 1, \"\\udc00\", 2]";
        let repaired = Repaired::scan(body).expect("two strings are repaired");
        let text = &repaired.body;
        for needle in [&b", 1"[..], b", 2]"] {
            let in_repaired = text
                .windows(needle.len())
                .position(|w| w == needle)
                .unwrap();
            let in_body = body
                .windows(needle.len())
                .position(|w| w == needle)
                .unwrap();
            assert_eq!(repaired.original_offset(in_repaired), in_body);
        }
        assert_eq!(repaired.original_offset(0), 0);
        assert_eq!(repaired.original_offset(3), 1, "inside the first marker");
    }

    #[test]
    fn a_string_that_is_not_json_is_left_for_the_parser() {
        for body in [
            &b"{\"a\":\"\xff\x00\"}"[..],
            b"{\"a\":\"\xff\n\"}",
            b"{\"a\":\"\\ud800\\x41\"}",
            b"{\"a\":\"\\ud800\\u12\"}",
        ] {
            assert!(
                repaired(body).is_none(),
                "{}",
                String::from_utf8_lossy(body)
            );
        }
    }

    #[test]
    fn a_string_that_does_not_end_is_left_for_the_parser() {
        assert!(repaired(b"{\"a\":\"\\ud800").is_none());
        assert!(repaired(b"{\"a\":\"\xff").is_none());
        assert_eq!(
            repaired(b"{\"a\":\"\xff\",\"b\":\"\\ud800").map(|(_, found)| found),
            Some(vec![r"\xff".to_owned()])
        );
    }
}
