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
