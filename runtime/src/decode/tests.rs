//! The decoder's behaviour on the forms the service sends, and on bodies no leniency fits.

use serde::Deserialize;

use super::anomaly::MAX_ANOMALIES;
use super::*;
use crate::codegen::lenient::*;

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
struct Disk {
    #[serde(rename = "Size", default, deserialize_with = "opt")]
    size: Option<i32>,
    #[serde(rename = "Device", default, deserialize_with = "opt")]
    device: Option<String>,
}
crate::lenient_via_serde!(Disk);

#[derive(Debug, Default, PartialEq, Deserialize)]
struct Page {
    #[serde(rename = "TotalCount", default, deserialize_with = "opt")]
    total: Option<i64>,
    #[serde(rename = "IsCopied", default, deserialize_with = "opt")]
    copied: Option<bool>,
    #[serde(rename = "Name", default, deserialize_with = "opt")]
    name: Option<String>,
    #[serde(rename = "Disks", default, deserialize_with = "list")]
    disks: Vec<Disk>,
}

/// A shape that contains itself, as the generator writes one.
#[derive(Debug, Default, PartialEq, Deserialize)]
struct Node {
    #[serde(rename = "Name", default, deserialize_with = "opt")]
    name: Option<String>,
    #[serde(rename = "Parent", default, deserialize_with = "opt")]
    parent: Option<Box<Node>>,
}
crate::lenient_via_serde!(Node);

#[test]
fn a_boxed_value_decodes_as_the_value() {
    let node: Node =
        serde_json::from_str(r#"{"Name": "a", "Parent": {"Name": 2, "Parent": null}}"#)
            .expect("the chain decodes");
    let parent = node.parent.expect("the parent is set");
    assert_eq!(parent.name.as_deref(), Some("2"));
    assert_eq!(parent.parent, None);
}

#[test]
fn accepts_the_forms_the_service_sends() {
    let body = br#"{"TotalCount":"24","IsCopied":"False","Name":7,"Disks":{"Disk":[{"Size":"20","Device":"/dev/xvda"},null]},"New":1}"#;
    let (page, anomalies) = decode_response::<Page>(body).unwrap();
    assert!(anomalies.is_empty());
    assert_eq!(page.total, Some(24));
    assert_eq!(page.copied, Some(false));
    assert_eq!(page.name.as_deref(), Some("7"));
    assert_eq!(
        page.disks,
        vec![Disk {
            size: Some(20),
            device: Some("/dev/xvda".into())
        }]
    );
}

#[test]
fn a_bad_field_is_kept_aside_and_the_rest_decodes() {
    let body =
        br#"{"TotalCount":5,"Name":{"odd":true},"Disks":[{"Size":[1],"Device":"a"},{"Size":3}]}"#;
    let (page, anomalies) = decode_response::<Page>(body).unwrap();
    assert_eq!(page.total, Some(5));
    assert_eq!(page.name, None);
    assert_eq!(page.disks.len(), 2);
    assert_eq!(page.disks[0].device.as_deref(), Some("a"));
    assert_eq!(page.disks[1].size, Some(3));
    let mut paths: Vec<&str> = anomalies.iter().map(|a| a.path.as_str()).collect();
    paths.sort_unstable();
    assert_eq!(paths, ["Disks[0].Size", "Name"]);
    let name = anomalies.iter().find(|a| a.path == "Name").unwrap();
    assert_eq!(name.raw, serde_json::json!({"odd": true}));
}

#[test]
fn an_array_where_an_object_is_declared_is_not_read_positionally() {
    let body = br#"{"TotalCount":1,"Disks":[["20","/dev/xvda"],{"Size":3}]}"#;
    let (page, anomalies) = decode_response::<Page>(body).unwrap();
    assert_eq!(
        page.disks,
        vec![Disk {
            size: Some(3),
            device: None
        }]
    );
    assert_eq!(anomalies.len(), 1);
    assert_eq!(anomalies[0].path, "Disks[0]");
    assert_eq!(anomalies[0].raw, serde_json::json!(["20", "/dev/xvda"]));
}

#[test]
fn a_top_level_array_gives_an_empty_response_and_keeps_the_body() {
    let (page, anomalies) = decode_response::<Page>(b"[1,2]").unwrap();
    assert_eq!(page, Page::default());
    assert_eq!(anomalies[0].raw, serde_json::json!([1, 2]));
}

#[derive(Debug, Default, PartialEq, Deserialize)]
struct Wrapped {
    #[serde(
        rename = "Disks",
        default,
        deserialize_with = "wrapped_list::<DiskKey, _, _>"
    )]
    disks: Vec<Disk>,
}

struct DiskKey;

impl WrapperKey for DiskKey {
    const KEY: &'static str = "Disk";
}

fn disks_of(body: &str) -> (Vec<Disk>, Vec<String>) {
    let (page, anomalies) = decode_response::<Wrapped>(body.as_bytes()).unwrap();
    (page.disks, anomalies.into_iter().map(|a| a.path).collect())
}

#[test]
fn a_wrapper_is_read_by_its_declared_key() {
    let one = Disk {
        size: Some(1),
        device: None,
    };
    // The usual form, and one object whose array was lost.
    assert_eq!(
        disks_of(r#"{"Disks":{"Disk":[{"Size":1}]}}"#),
        (vec![one.clone()], vec![])
    );
    assert_eq!(
        disks_of(r#"{"Disks":{"Disk":{"Size":1}}}"#),
        (vec![one.clone()], vec![])
    );
    // A bad value under the declared key is an anomaly there.
    assert_eq!(
        disks_of(r#"{"Disks":{"Disk":"x"}}"#),
        (vec![], vec!["Disks.Disk".to_owned()])
    );
    // Keys beside the declared one are ignored, whatever they hold: they neither empty the
    // list nor add to it.
    let two = Disk {
        size: Some(2),
        device: None,
    };
    assert_eq!(
        disks_of(r#"{"Disks":{"Disk":[{"Size":1}],"Meta":{"Count":1}}}"#),
        (vec![one.clone()], vec![])
    );
    assert_eq!(
        disks_of(r#"{"Disks":{"Disk":[{"Size":1}],"Other":"x"}}"#),
        (vec![one.clone()], vec![])
    );
    assert_eq!(
        disks_of(r#"{"Disks":{"Extra":[{"Size":2}],"Disk":[{"Size":1}]}}"#),
        (vec![one.clone()], vec![])
    );
    // Also on the recovering path, after a bad field elsewhere.
    assert_eq!(
        disks_of(
            r#"{"Disks":{"Disk":[{"Size":1},{"Size":[2]},{"Size":2}],"Other":"x","Extra":[{"Size":3}]}}"#
        ),
        (
            vec![
                one.clone(),
                Disk {
                    size: None,
                    device: None
                },
                two
            ],
            vec!["Disks.Disk[1].Size".to_owned()]
        )
    );
    // A lone item where the wrapper belongs is one anomaly at the list.
    assert_eq!(
        disks_of(r#"{"Disks":{"Size":1}}"#),
        (vec![], vec!["Disks".to_owned()])
    );
}

#[test]
fn an_error_after_a_number_read_as_text_points_into_the_body_as_sent() {
    let body = "{\"Name\": 1e400,\n \"Disks\": [], \"TotalCount\": 3,}";
    let err = decode_response::<Page>(body.as_bytes()).unwrap_err();
    // The stray `}` after the last comma, on line 2 of the body itself.
    assert_eq!((err.line, err.column), (2, 31), "{err}");
    assert!(!err.message.contains(" at line "), "{err}");
    let same_line = br#"{"Name": 1e400, "TotalCount": 3,}"#;
    let err = decode_response::<Page>(same_line).unwrap_err();
    assert_eq!((err.line, err.column), (1, 33), "{err}");
}

#[test]
fn numbers_beyond_f64_anywhere_cost_only_their_field() {
    let body = "{\n  \"TotalCount\": -1.5e999,\n  \"Name\": 2E+400,\n  \"Disks\": [{\"Size\": 1e400, \"Device\": \"a\"}, {\"Size\": 3}],\n  \"IsCopied\": true}";
    let (page, anomalies) = decode_response::<Page>(body.as_bytes()).unwrap();
    assert_eq!(
        page.name.as_deref(),
        Some("2E+400"),
        "a text field keeps the number's text"
    );
    assert_eq!(page.copied, Some(true));
    assert_eq!(page.disks.len(), 2);
    assert_eq!(page.disks[0].device.as_deref(), Some("a"));
    assert_eq!(page.disks[1].size, Some(3));
    let mut found: Vec<(&str, &serde_json::Value)> = anomalies
        .iter()
        .map(|a| (a.path.as_str(), &a.raw))
        .collect();
    found.sort_by_key(|(path, _)| *path);
    assert_eq!(
        found,
        [
            ("Disks[0].Size", &serde_json::json!("1e400")),
            ("TotalCount", &serde_json::json!("-1.5e999"))
        ]
    );
}

#[test]
fn a_body_that_is_not_json_is_an_error_with_an_excerpt() {
    let err = decode_response::<Page>(b"<html>502 Bad Gateway</html>").unwrap_err();
    assert!(err.excerpt.starts_with("<html>"), "{err}");
    let err = decode_response::<Page>(br#"{"TotalCount": 4"#).unwrap_err();
    assert!(err.to_string().contains("not valid JSON"));
}

/// A page of `n` disks, each with a `Size` of the wrong type, and a total.
fn page_of_bad_disks(n: usize) -> String {
    let disks: Vec<String> = (0..n)
        .map(|i| format!(r#"{{"Size":{{"odd":{i}}},"Device":"d{i}"}}"#))
        .collect();
    format!(
        r#"{{"TotalCount":{n},"Name":"page","Disks":{{"Disk":[{}]}}}}"#,
        disks.join(",")
    )
}

#[test]
fn however_many_fields_are_bad_the_rest_decodes() {
    for n in [1, 256, 257, 10_000] {
        let (page, anomalies) = decode_response::<Page>(page_of_bad_disks(n).as_bytes()).unwrap();
        assert_eq!(page.total, Some(n as i64), "{n}");
        assert_eq!(page.name.as_deref(), Some("page"), "{n}");
        assert_eq!(page.disks.len(), n, "{n}");
        assert!(page.disks.iter().all(|disk| disk.size.is_none()));
        assert_eq!(page.disks[n - 1].device, Some(format!("d{}", n - 1)));
        let recorded = n.min(MAX_ANOMALIES);
        assert_eq!(anomalies[0].path, "Disks.Disk[0].Size");
        assert_eq!(anomalies[0].raw, serde_json::json!({"odd": 0}));
        assert_eq!(
            anomalies[recorded - 1].path,
            format!("Disks.Disk[{}].Size", recorded - 1)
        );
        if n > MAX_ANOMALIES {
            assert_eq!(anomalies.len(), MAX_ANOMALIES + 1, "{n}");
            let summary = &anomalies[MAX_ANOMALIES];
            assert_eq!(summary.path, "");
            assert!(
                summary
                    .reason
                    .starts_with(&format!("{} more fields", n - MAX_ANOMALIES)),
                "{}",
                summary.reason
            );
        } else {
            assert_eq!(anomalies.len(), n);
        }
    }
}

#[test]
fn an_empty_string_where_a_number_is_declared_is_an_anomaly() {
    let (page, anomalies) =
        decode_response::<Page>(br#"{"TotalCount":"","Name":"n","Disks":[{"Size":" "}]}"#).unwrap();
    assert_eq!(page.total, None);
    assert_eq!(page.name.as_deref(), Some("n"));
    assert_eq!(page.disks.len(), 1);
    let mut found: Vec<(&str, &serde_json::Value)> = anomalies
        .iter()
        .map(|a| (a.path.as_str(), &a.raw))
        .collect();
    found.sort_by_key(|(path, _)| *path);
    assert_eq!(
        found,
        [
            ("Disks[0].Size", &serde_json::json!(" ")),
            ("TotalCount", &serde_json::json!(""))
        ]
    );
    // Text fields still take an empty string as it is.
    let (page, anomalies) = decode_response::<Page>(br#"{"Name":""}"#).unwrap();
    assert_eq!(page.name.as_deref(), Some(""));
    assert!(anomalies.is_empty());
}

#[test]
fn secrets_echoed_into_a_bad_field_are_blanked_in_its_anomaly() {
    let body = br#"{"TotalCount":{"SecurityToken":"sts-echoed-value"},"Disks":[{"Size":"sts-echoed-value"}]}"#;
    let (_, anomalies) = decode_response_hiding::<Page>(body, &["sts-echoed-value"]).unwrap();
    assert_eq!(anomalies.len(), 2);
    let shown = format!("{anomalies:?}");
    assert!(!shown.contains("sts-echoed"), "{shown}");
    assert!(shown.contains("<redacted>"), "{shown}");
}

/// What a string literal's content (between its quotes, as written in the body) decodes to, by
/// an oracle that shares nothing with the decoder: `Ok` with the text, or `Err` with the text as
/// found (each byte that is not UTF-8 as `\xHH`) when the literal holds bytes that are not
/// UTF-8 or a `\u` escape of a surrogate without its other half.
fn literal_oracle(content: &[u8]) -> Result<String, String> {
    let as_found = || {
        let mut found = String::new();
        for chunk in content.utf8_chunks() {
            found.push_str(chunk.valid());
            for byte in chunk.invalid() {
                found.push_str(&format!("\\x{byte:02x}"));
            }
        }
        found
    };
    let Ok(text) = std::str::from_utf8(content) else {
        return Err(as_found());
    };
    // The string as UTF-16 units, escapes decoded, so that std pairs the surrogates.
    let mut units: Vec<u16> = Vec::new();
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            units.extend(c.encode_utf16(&mut [0; 2]).iter());
            continue;
        }
        let unit = match chars.next() {
            Some('u') => {
                let hex: String = chars.by_ref().take(4).collect();
                u16::from_str_radix(&hex, 16).expect("the cases hold only well-formed escapes")
            }
            Some('n') => u16::from(b'\n'),
            Some('t') => u16::from(b'\t'),
            Some(other @ ('"' | '\\' | '/')) => other as u16,
            other => panic!("the cases hold no escape \\{other:?}"),
        };
        units.push(unit);
    }
    char::decode_utf16(units)
        .collect::<Result<String, _>>()
        .map_err(|_| as_found())
}

/// Pieces of string literals as they are written in a body: text, escapes, valid and lone
/// surrogate escapes, an escaped backslash before `ud800` (text, not an escape), and UTF-8 that
/// is whole, cut short, split in two pieces, or not UTF-8 at all.
const LITERAL_PIECES: &[&[u8]] = &[
    b"a",
    b"\xc3\xa9",
    b"\xf0\x9f\x98\x80",
    b"\\\\",
    b"\\\"",
    b"\\n",
    b"\\u00e9",
    b"\\ud83d\\ude00",
    b"\\uD83D\\uDE00",
    b"\\ud800",
    b"\\uDBFF",
    b"\\udc00",
    b"ud800",
    b"\\u0041",
    b"\xff",
    b"\xe2",
    b"\x82\xac",
    b"\xf0\x9f",
    b"\x98\x80",
    b"\xed\xa0\x80",
    b"\xc0\x80",
    b"\xf4\x90\x80\x80",
];

/// Every sequence of up to three pieces, each piece anywhere in it.
fn literals() -> Vec<Vec<u8>> {
    let mut out: Vec<Vec<u8>> = vec![Vec::new()];
    let mut last: Vec<Vec<u8>> = vec![Vec::new()];
    for _ in 0..3 {
        let next: Vec<Vec<u8>> = last
            .iter()
            .flat_map(|start| {
                LITERAL_PIECES.iter().map(move |piece| {
                    let mut literal = start.clone();
                    literal.extend_from_slice(piece);
                    literal
                })
            })
            .collect();
        out.extend(next.iter().cloned());
        last = next;
    }
    out
}

fn body_with(parts: &[&[u8]]) -> Vec<u8> {
    parts.concat()
}

#[test]
fn text_that_is_not_utf8_costs_only_its_field_wherever_it_is_written() {
    let cases = literals();
    assert!(cases.len() > 10_000, "{}", cases.len());
    let (mut good, mut bad) = (0, 0);
    for literal in &cases {
        let shown = String::from_utf8_lossy(literal);
        let expected = literal_oracle(literal);
        // In a text field, beside fields that fit.
        let body = body_with(&[
            br#"{"TotalCount":1,"Name":""#,
            literal,
            br#"","IsCopied":true}"#,
        ]);
        let (page, anomalies) = decode_response::<Page>(&body)
            .unwrap_or_else(|e| panic!("{shown:?}: the body was lost: {e}"));
        assert_eq!(
            (page.total, page.copied),
            (Some(1), Some(true)),
            "{shown:?}"
        );
        match &expected {
            Ok(text) => {
                good += 1;
                assert_eq!(page.name.as_deref(), Some(text.as_str()), "{shown:?}");
                assert!(anomalies.is_empty(), "{shown:?}: {anomalies:?}");
            }
            Err(found) => {
                bad += 1;
                assert_eq!(page.name, None, "{shown:?}");
                assert_eq!(anomalies.len(), 1, "{shown:?}: {anomalies:?}");
                assert_eq!(anomalies[0].path, "Name", "{shown:?}");
                assert_eq!(anomalies[0].raw, serde_json::json!(found), "{shown:?}");
            }
        }
        // In a list item's field, in a number field and in a field no type declares.
        let body = body_with(&[
            br#"{"Disks":[{"Size":1},{"Device":""#,
            literal,
            br#"","Size":2}],"TotalCount":""#,
            literal,
            br#"","Other":[""#,
            literal,
            br#""],"Name":"n"}"#,
        ]);
        let (page, anomalies) = decode_response::<Page>(&body)
            .unwrap_or_else(|e| panic!("{shown:?}: the body was lost: {e}"));
        assert_eq!(page.name.as_deref(), Some("n"), "{shown:?}");
        assert_eq!(page.disks.len(), 2, "{shown:?}");
        assert_eq!(page.disks[1].size, Some(2), "{shown:?}");
        let mut found: Vec<(&str, &serde_json::Value)> = anomalies
            .iter()
            .map(|a| (a.path.as_str(), &a.raw))
            .collect();
        found.sort_by_key(|(path, _)| *path);
        match &expected {
            Ok(text) => {
                assert_eq!(page.disks[1].device.as_deref(), Some(text.as_str()));
                // A number field holding text that is no number is an anomaly all the same.
                let numeric = text.trim().parse::<i64>().is_ok();
                assert_eq!(
                    found.len(),
                    usize::from(!numeric),
                    "{shown:?}: {anomalies:?}"
                );
            }
            Err(text) => {
                let raw = serde_json::json!(text);
                assert_eq!(page.disks[1].device, None, "{shown:?}");
                assert_eq!(page.total, None, "{shown:?}");
                assert_eq!(
                    found,
                    [("Disks[1].Device", &raw), ("TotalCount", &raw)],
                    "{shown:?}"
                );
            }
        }
    }
    assert!(good > 1_000 && bad > 1_000, "{good} good, {bad} bad");
}

#[test]
fn a_key_that_is_not_utf8_is_a_field_no_type_declares() {
    let body = b"{\"Na\xffme\":\"x\",\"Name\":\"n\",\"TotalCount\":2}";
    let (page, anomalies) = decode_response::<Page>(body).expect("the body decodes");
    assert_eq!(page.name.as_deref(), Some("n"));
    assert_eq!(page.total, Some(2));
    assert!(anomalies.is_empty(), "{anomalies:?}");
}

#[test]
fn text_that_is_not_utf8_inside_a_bad_value_is_kept_as_found() {
    let body = b"{\"Name\":{\"a\\ud800\":[\"\xff\"]},\"TotalCount\":2}";
    let (page, anomalies) = decode_response::<Page>(body).expect("the body decodes");
    assert_eq!(page.total, Some(2));
    assert_eq!(anomalies.len(), 1, "{anomalies:?}");
    assert_eq!(anomalies[0].path, "Name");
    assert_eq!(anomalies[0].raw, serde_json::json!({"a\\ud800": ["\\xff"]}));
}

#[test]
fn an_error_after_text_that_is_not_utf8_points_into_the_body_as_sent() {
    // The stray `}` after the last comma: column 40 of the body as sent, whatever the length of
    // what the bad text was read as.
    let body = b"{\"Name\": \"\xff\xff\xff\xff\xff\xff\", \"TotalCount\": 1e400,}";
    let err = decode_response::<Page>(body).unwrap_err();
    assert_eq!((err.line, err.column), (1, 40), "{err}");
    let body = b"{\"Name\": \"\\ud800\", \"Disks\": [\n {\"Device\": \"\xc3\"},]}";
    let err = decode_response::<Page>(body).unwrap_err();
    assert_eq!((err.line, err.column), (2, 18), "{err}");
}

#[test]
fn a_shape_that_contains_itself_recovers_as_deep_as_the_parser_reads() {
    // A chain as deep as serde_json reads, with a bad field at its bottom: the recovering decode
    // goes down the chain in one pass, as the plain one does, without running out of stack.
    let depth = 120;
    let body = format!(
        "{}{{\"Name\":{{\"bad\":1}}}}{}",
        "{\"Name\":\"n\",\"Parent\":".repeat(depth),
        "}".repeat(depth)
    );
    let (node, anomalies) = std::thread::Builder::new()
        .stack_size(2 * 1024 * 1024)
        .spawn(move || decode_response::<Node>(body.as_bytes()))
        .expect("a thread starts")
        .join()
        .expect("decoding does not overflow a 2 MiB stack")
        .expect("the chain decodes");
    assert_eq!(node.name.as_deref(), Some("n"));
    assert_eq!(anomalies.len(), 1, "{anomalies:?}");
    assert_eq!(
        anomalies[0].path,
        format!("{}Name", "Parent.".repeat(depth))
    );
    // Deeper than the parser reads: an error that says so.
    let body = format!(
        "{}{{\"Name\":{{\"bad\":1}}}}{}",
        "{\"Parent\":".repeat(200),
        "}".repeat(200)
    );
    let err = decode_response::<Node>(body.as_bytes()).unwrap_err();
    assert!(err.message.contains("recursion limit"), "{err}");
}

/// A disk and a page as the generator writes them: decoded field by field, a repeated key read
/// again (derived serde refuses it).
#[derive(Debug, Default, PartialEq)]
struct GeneratedDisk {
    size: Option<i32>,
    device: Option<String>,
}

#[derive(Debug, Default, PartialEq)]
struct GeneratedPage {
    name: Option<String>,
    total: Option<i64>,
    disks: Vec<GeneratedDisk>,
    wrapped: Vec<GeneratedDisk>,
}

impl crate::codegen::object::Object for GeneratedDisk {
    const NAME: &'static str = "GeneratedDisk";
    fn decode_field<'de, A: serde::de::MapAccess<'de>>(
        &mut self,
        key: &str,
        map: &mut A,
    ) -> Result<(), A::Error> {
        use crate::codegen::object;
        match key {
            "Size" => object::opt(map, &mut self.size),
            "Device" => object::opt(map, &mut self.device),
            _ => object::skip(map),
        }
    }
}

impl crate::codegen::object::Object for GeneratedPage {
    const NAME: &'static str = "GeneratedPage";
    fn decode_field<'de, A: serde::de::MapAccess<'de>>(
        &mut self,
        key: &str,
        map: &mut A,
    ) -> Result<(), A::Error> {
        use crate::codegen::object;
        match key {
            "Name" => object::opt(map, &mut self.name),
            "TotalCount" => object::opt(map, &mut self.total),
            "Disks" => object::list(map, &mut self.disks),
            "Wrapped" => object::wrapped_list::<DiskKey, _, _>(map, &mut self.wrapped),
            _ => object::skip(map),
        }
    }
}

crate::object_serde!(GeneratedDisk, GeneratedPage);

#[test]
fn a_repeated_key_reports_only_the_value_kept() {
    // The last value of a key is the one kept: a bad value an earlier one held is no anomaly,
    // at any depth, in objects and under a wrapper's key alike.
    let body = br#"{"Name":{"bad":1},"Disks":[{"Size":"x","Size":2},{"Size":[3]}],"Name":"n","Disks":[{"Size":[4],"Device":"a","Size":4}],"Wrapped":{"Disk":[{"Size":[1]}],"Disk":[{"Size":2}],"Disk":[{"Size":3}]},"TotalCount":{"x":1}}"#;
    let (page, anomalies) = decode_response::<GeneratedPage>(body).expect("the body decodes");
    assert_eq!(page.name.as_deref(), Some("n"));
    let disk = |size| GeneratedDisk {
        size: Some(size),
        device: None,
    };
    assert_eq!(
        page.disks,
        vec![GeneratedDisk {
            size: Some(4),
            device: Some("a".into())
        }]
    );
    assert_eq!(page.wrapped, vec![disk(3)]);
    let paths: Vec<&str> = anomalies.iter().map(|a| a.path.as_str()).collect();
    assert_eq!(paths, ["TotalCount"]);
    // A bad value last is the one kept: the list is left empty.
    let (page, anomalies) = decode_response::<GeneratedPage>(
        br#"{"Wrapped":{"Disk":[{"Size":2}],"Disk":"x"},"Name":"n"}"#,
    )
    .expect("the body decodes");
    assert_eq!(page.wrapped, vec![]);
    let paths: Vec<&str> = anomalies.iter().map(|a| a.path.as_str()).collect();
    assert_eq!(paths, ["Wrapped.Disk"]);
}

/// A response as the generator writes one whose `AccessKey` holds a secret, decoded field by
/// field through `codegen::object` and its secret fields through `codegen::object::secret`.
#[derive(Debug, Default)]
struct CreatedKey {
    id: Option<String>,
    secret: Option<String>,
}

impl crate::codegen::object::Object for CreatedKey {
    const NAME: &'static str = "CreatedKey";
    fn decode_field<'de, A: serde::de::MapAccess<'de>>(
        &mut self,
        key: &str,
        map: &mut A,
    ) -> Result<(), A::Error> {
        use crate::codegen::object;
        match key {
            "AccessKeyId" => object::opt(map, &mut self.id),
            "AccessKeySecret" => object::secret(map, |map| object::opt(map, &mut self.secret)),
            _ => object::skip(map),
        }
    }
}
crate::object_serde!(CreatedKey);

#[derive(Debug, Default)]
struct CreateKeyResponse {
    key: Option<CreatedKey>,
    keys: Vec<CreatedKey>,
}

impl crate::codegen::object::Object for CreateKeyResponse {
    const NAME: &'static str = "CreateKeyResponse";
    fn decode_field<'de, A: serde::de::MapAccess<'de>>(
        &mut self,
        key: &str,
        map: &mut A,
    ) -> Result<(), A::Error> {
        use crate::codegen::object;
        match key {
            "AccessKey" => object::secret(map, |map| object::opt(map, &mut self.key)),
            "AccessKeys" => object::secret(map, |map| object::list(map, &mut self.keys)),
            _ => object::skip(map),
        }
    }
}
crate::object_serde!(CreateKeyResponse);

#[test]
fn a_secret_response_field_that_does_not_fit_is_recorded_without_its_value() {
    // A secret in an unexpected form, an object holding one that arrives as text, and an item of
    // a list of them that is no object: each is left empty and named by its path only.
    let body = br#"{
        "AccessKey": "AccessKeySecret=key-material-1",
        "AccessKeys": [{"AccessKeyId": "LTAI1", "AccessKeySecret": ["key-material-2"]}, "key-material-3"]
    }"#;
    let (response, anomalies) = decode_response::<CreateKeyResponse>(body).unwrap();
    assert!(response.key.is_none());
    assert_eq!(response.keys.len(), 1);
    assert_eq!(response.keys[0].id.as_deref(), Some("LTAI1"));
    let paths: Vec<&str> = anomalies.iter().map(|a| a.path.as_str()).collect();
    assert_eq!(
        paths,
        [
            "AccessKey",
            "AccessKeys[0].AccessKeySecret",
            "AccessKeys[1]"
        ]
    );
    let shown = format!("{anomalies:?}");
    assert!(!shown.contains("key-material"), "{shown}");
    assert!(
        anomalies
            .iter()
            .all(|a| a.raw == serde_json::json!("<redacted>")),
        "{shown}"
    );
}

/// A response with `json` fields, as the generator writes one for values of no fixed shape
/// (ActionTrail's `LookupEvents.Events`).
#[derive(Debug, Default, PartialEq, Deserialize)]
struct Trail {
    #[serde(rename = "Events", default, deserialize_with = "opt")]
    events: Option<crate::JsonValue>,
    #[serde(rename = "Rows", default, deserialize_with = "list")]
    rows: Vec<crate::JsonValue>,
    #[serde(rename = "Extra", default, deserialize_with = "map")]
    extra: std::collections::BTreeMap<String, crate::JsonValue>,
    #[serde(rename = "TotalCount", default, deserialize_with = "opt")]
    total: Option<i64>,
}

#[test]
fn a_json_field_holds_the_value_whole() {
    let body = br#"{"Events":[{"a":1}],"Rows":[{"b":[true,null]},"x",[2]],"Extra":{"k":{"c":"d"},"n":3},"TotalCount":1}"#;
    let (trail, anomalies) = decode_response::<Trail>(body).unwrap();
    assert!(anomalies.is_empty(), "{anomalies:?}");
    assert_eq!(trail.events, Some(serde_json::json!([{"a": 1}])));
    assert_eq!(
        trail.rows,
        [
            serde_json::json!({"b": [true, null]}),
            serde_json::json!("x"),
            serde_json::json!([2])
        ]
    );
    assert_eq!(trail.extra["k"], serde_json::json!({"c": "d"}));
    assert_eq!(trail.extra["n"], serde_json::json!(3));
}

#[test]
fn a_json_field_is_kept_whole_when_a_sibling_is_an_anomaly() {
    // The bad count sends the body through the second, recovering pass: the json values must
    // come through it whole too, and cost no anomaly of their own.
    let body =
        br#"{"Events":[{"a":1}],"Rows":[{"b":{"c":[1]}}],"Extra":{"k":[1]},"TotalCount":"many"}"#;
    let (trail, anomalies) = decode_response::<Trail>(body).unwrap();
    let paths: Vec<&str> = anomalies.iter().map(|a| a.path.as_str()).collect();
    assert_eq!(paths, ["TotalCount"]);
    assert_eq!(trail.total, None);
    assert_eq!(trail.events, Some(serde_json::json!([{"a": 1}])));
    assert_eq!(trail.rows, [serde_json::json!({"b": {"c": [1]}})]);
    assert_eq!(trail.extra["k"], serde_json::json!([1]));
}
