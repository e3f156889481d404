//! The mutations of a sample body: a value swapped for another type at a random path, fields
//! dropped, keys duplicated or renamed, values nested deep, huge numbers, stray bytes, every
//! truncation.

use super::*;

/// Values of every JSON type, and some of no sane response, to put where another value was.
pub(super) fn replacement(rng: &mut fastrand::Rng) -> Node {
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
pub(super) const HUGE_NUMBERS: &[&str] = &[
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
pub(super) enum Kind {
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

pub(super) const SINGLE: &[Kind] = &[
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
pub(super) struct Mutant {
    pub(super) kind: Kind,
    pub(super) body: Vec<u8>,
    pub(super) site: Option<String>,
}

pub(super) fn mutate(rng: &mut fastrand::Rng, original: &Node, kind: Kind) -> Mutant {
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
            // Bytes that are not UTF-8, and `\u` escapes of a surrogate without its other half
            // (Java writes them for a string cut inside a pair); an escaped backslash before
            // `ud800` and a whole pair are text, and stay so.
            let bad: &[&[u8]] = &[
                b"\xff",
                b"\xc3\x28",
                b"\xe2\x82",
                b"\xed\xa0\x80",
                b"\xf8\x88\x80\x80\x80",
                b"\\ud800",
                b"\\udc00x",
                b"\\ud83d\\u0041",
                b"\\ud83d\\ude00\\ud83d",
                b"\\\\ud800",
                b"\\ud83d\\ude00",
            ];
            let mut content = b"ok".to_vec();
            content.extend_from_slice(bad[rng.usize(..bad.len())]);
            *tree.at_mut(&at) = Node::Str(content);
            single_site = Some(site);
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
