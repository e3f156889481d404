//! An RFC 8259 grammar check, written from the RFC, sharing nothing with serde_json: the oracle
//! of which mutated bodies must decode.

/// What the grammar check says of a body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Verdict {
    /// Not a JSON text: it must not decode.
    NotJson,
    /// A JSON text, with its deepest nesting and whether a number is beyond `f64`. Its strings
    /// may hold bytes that are not UTF-8 (RFC 8259 §8.1 asks for UTF-8) or `\u` escapes of a
    /// surrogate without its other half (§8.2 leaves their reading open): the decoder reads such
    /// a string as a value that fits no field.
    Json { depth: usize, huge_number: bool },
}

pub(super) struct Grammar<'a> {
    b: &'a [u8],
    i: usize,
    depth: usize,
    huge: bool,
}

impl Grammar<'_> {
    pub(super) fn check(body: &[u8]) -> Verdict {
        // Bytes that are not UTF-8 outside strings are no JSON token, and become none when
        // replaced; inside strings, the grammar is the same with them replaced.
        if std::str::from_utf8(body).is_err() {
            let lossy = String::from_utf8_lossy(body);
            return Grammar::check(lossy.as_bytes());
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
pub(super) const PARSER_DEPTH_LIMIT: usize = 127;
