//! Compact JSON written straight into the parameters' text, as `serde_json` would write it.
//!
//! A JSON-list parameter is almost always a list of strings or integers. For those, a serializer
//! of its own writes each item into the text directly; `serde_json` goes through `io::Write`,
//! checks every byte against its escape table one at a time, and needs its output checked again
//! as UTF-8 before it can be kept as a `String`. Anything else (floats, objects, nested lists,
//! `null`) is handed to `serde_json` whole, so the bytes are always the ones it writes (a test
//! holds the two together).

use std::fmt;
use std::io;

use serde::Serialize;
use serde::ser::{self, Impossible, SerializeSeq};

/// Appends `value` as compact JSON to `out`; on an error `out` may hold part of it.
pub(super) fn write<V: Serialize + ?Sized>(value: &V, out: &mut String) -> Result<(), String> {
    let start = out.len();
    match value.serialize(Fast { out }) {
        Ok(()) => Ok(()),
        Err(Unsupported) => {
            out.truncate(start);
            serde_json::to_writer(Utf8Writer(out), value).map_err(|error| error.to_string())
        }
    }
}

/// What the fast writer does not handle; the value then goes through `serde_json`.
#[derive(Debug)]
pub(super) struct Unsupported;

impl fmt::Display for Unsupported {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("left to serde_json")
    }
}

impl std::error::Error for Unsupported {}

impl ser::Error for Unsupported {
    fn custom<T: fmt::Display>(_: T) -> Self {
        Unsupported
    }
}

/// `serde_json`'s output into a `String`. It writes whole characters in each call (it splits
/// strings only at the ASCII bytes it escapes), so each piece is valid UTF-8 on its own.
struct Utf8Writer<'a>(&'a mut String);

impl io::Write for Utf8Writer<'_> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let text = std::str::from_utf8(buf)
            .map_err(|error| io::Error::new(io::ErrorKind::InvalidData, error))?;
        self.0.push_str(text);
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// Bytes tested at once for a character JSON escapes.
const CHUNK: usize = 16;

/// Whether JSON needs `byte` escaped inside a string: a control character, `"` or `\`.
#[inline(always)]
fn needs_escape(byte: u8) -> bool {
    (byte < 0x20) | (byte == b'"') | (byte == b'\\')
}

/// Whether any byte of `chunk` needs escaping; without branches, so it compiles to vector
/// compares.
#[inline(always)]
fn any_escape(chunk: &[u8; CHUNK]) -> bool {
    chunk
        .iter()
        .fold(false, |any, byte| any | needs_escape(*byte))
}

/// Appends `text` as a JSON string, escaped exactly as `serde_json` escapes it: `\"`, `\\`,
/// `\b \f \n \r \t`, other control characters as `\u00xx`, everything else as it is.
fn write_str(text: &str, out: &mut String) {
    out.push('"');
    let bytes = text.as_bytes();
    let clean = bytes
        .chunks(CHUNK)
        .all(|chunk| match <&[u8; CHUNK]>::try_from(chunk) {
            Ok(chunk) => !any_escape(chunk),
            Err(_) => !chunk.iter().any(|byte| needs_escape(*byte)),
        });
    if clean {
        out.push_str(text);
    } else {
        let mut copied = 0;
        for (at, byte) in bytes.iter().enumerate() {
            if !needs_escape(*byte) {
                continue;
            }
            // `at` is an ASCII byte, so both ends are character boundaries.
            out.push_str(text.get(copied..at).unwrap_or_default());
            match *byte {
                b'"' => out.push_str("\\\""),
                b'\\' => out.push_str("\\\\"),
                0x08 => out.push_str("\\b"),
                0x0c => out.push_str("\\f"),
                b'\n' => out.push_str("\\n"),
                b'\r' => out.push_str("\\r"),
                b'\t' => out.push_str("\\t"),
                control => {
                    const HEX: &[u8; 16] = b"0123456789abcdef";
                    out.push_str("\\u00");
                    out.push(char::from(HEX[usize::from(control >> 4)]));
                    out.push(char::from(HEX[usize::from(control & 0xf)]));
                }
            }
            copied = at + 1;
        }
        out.push_str(text.get(copied..).unwrap_or_default());
    }
    out.push('"');
}

/// Writes strings, integers, booleans and lists of them; refuses the rest.
struct Fast<'a> {
    out: &'a mut String,
}

impl Fast<'_> {
    fn integer(self, text: &str) -> Result<(), Unsupported> {
        self.out.push_str(text);
        Ok(())
    }
}

macro_rules! integers {
    ($($method:ident: $ty:ty),*) => {$(
        fn $method(self, value: $ty) -> Result<(), Unsupported> {
            self.integer(itoa::Buffer::new().format(value))
        }
    )*};
}

macro_rules! unsupported {
    ($($method:ident($($arg:ty),*)),*) => {$(
        fn $method(self, $(_: $arg),*) -> Result<(), Unsupported> {
            Err(Unsupported)
        }
    )*};
}

impl<'a> ser::Serializer for Fast<'a> {
    type Ok = ();
    type Error = Unsupported;
    type SerializeSeq = FastSeq<'a>;
    type SerializeTuple = Impossible<(), Unsupported>;
    type SerializeTupleStruct = Impossible<(), Unsupported>;
    type SerializeTupleVariant = Impossible<(), Unsupported>;
    type SerializeMap = Impossible<(), Unsupported>;
    type SerializeStruct = Impossible<(), Unsupported>;
    type SerializeStructVariant = Impossible<(), Unsupported>;

    integers!(
        serialize_i8: i8, serialize_i16: i16, serialize_i32: i32, serialize_i64: i64,
        serialize_u8: u8, serialize_u16: u16, serialize_u32: u32, serialize_u64: u64
    );

    // Floats, characters, bytes and `null` are rare here and written by `serde_json`.
    unsupported!(
        serialize_f32(f32),
        serialize_f64(f64),
        serialize_char(char),
        serialize_bytes(&[u8]),
        serialize_none(),
        serialize_unit(),
        serialize_unit_struct(&'static str)
    );

    fn serialize_bool(self, value: bool) -> Result<(), Unsupported> {
        self.out.push_str(if value { "true" } else { "false" });
        Ok(())
    }

    fn serialize_str(self, value: &str) -> Result<(), Unsupported> {
        write_str(value, self.out);
        Ok(())
    }

    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<(), Unsupported> {
        value.serialize(self)
    }

    fn serialize_unit_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
    ) -> Result<(), Unsupported> {
        write_str(variant, self.out);
        Ok(())
    }

    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        value: &T,
    ) -> Result<(), Unsupported> {
        value.serialize(self)
    }

    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _value: &T,
    ) -> Result<(), Unsupported> {
        Err(Unsupported)
    }

    fn serialize_seq(self, _len: Option<usize>) -> Result<FastSeq<'a>, Unsupported> {
        self.out.push('[');
        Ok(FastSeq {
            out: self.out,
            first: true,
        })
    }

    fn serialize_tuple(self, _len: usize) -> Result<Self::SerializeTuple, Unsupported> {
        Err(Unsupported)
    }

    fn serialize_tuple_struct(
        self,
        _name: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeTupleStruct, Unsupported> {
        Err(Unsupported)
    }

    fn serialize_tuple_variant(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeTupleVariant, Unsupported> {
        Err(Unsupported)
    }

    fn serialize_map(self, _len: Option<usize>) -> Result<Self::SerializeMap, Unsupported> {
        Err(Unsupported)
    }

    fn serialize_struct(
        self,
        _name: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeStruct, Unsupported> {
        Err(Unsupported)
    }

    fn serialize_struct_variant(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeStructVariant, Unsupported> {
        Err(Unsupported)
    }
}

/// The items of a list, comma-separated.
struct FastSeq<'a> {
    out: &'a mut String,
    first: bool,
}

impl SerializeSeq for FastSeq<'_> {
    type Ok = ();
    type Error = Unsupported;

    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Unsupported> {
        if !self.first {
            self.out.push(',');
        }
        self.first = false;
        value.serialize(Fast { out: self.out })
    }

    fn end(self) -> Result<(), Unsupported> {
        self.out.push(']');
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ours<V: Serialize + ?Sized>(value: &V) -> String {
        let mut out = String::new();
        assert_eq!(write(value, &mut out), Ok(()));
        out
    }

    /// Every escaped character alone and among others, multi-byte text beside escapes, numbers,
    /// booleans, nested lists and values the fast path leaves to serde_json.
    #[test]
    fn writes_what_serde_json_writes() {
        let mut texts: Vec<String> = (0_u8..=0x7f)
            .map(|byte| {
                let one = char::from(byte);
                format!("ab{one}é{one}😀 long enough to fill a whole chunk {one}")
            })
            .collect();
        texts.extend(["", "\"", "镜像\\", "m-1", "\u{7f}\u{80}\u{2028}"].map(str::to_owned));
        assert_eq!(
            ours(&texts),
            serde_json::to_string(&texts).unwrap_or_default()
        );
        for text in &texts {
            assert_eq!(ours(text), serde_json::to_string(text).unwrap_or_default());
        }
        let numbers = [i64::MIN, -1, 0, 7, i64::MAX];
        assert_eq!(
            ours(&numbers),
            "[-9223372036854775808,-1,0,7,9223372036854775807]"
        );
        assert_eq!(ours(&[u64::MAX]), "[18446744073709551615]");
        assert_eq!(ours(&[true, false]), "[true,false]");
        assert_eq!(ours(&[Some(1), None]), "[1,null]");
        let floats = [0.5_f64, 2.0, 1e21];
        assert_eq!(
            ours(&floats),
            serde_json::to_string(&floats).unwrap_or_default()
        );
        assert_eq!(ours(&vec![vec!["a"], vec![]]), r#"[["a"],[]]"#);
        let values = serde_json::json!(["a", 1, {"k": [null, 1.5]}, "\n"]);
        assert_eq!(
            ours(&values),
            serde_json::to_string(&values).unwrap_or_default()
        );
    }
}
