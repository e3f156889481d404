//! Responses that stray from their documents, end to end: counts as strings or numbers,
//! booleans as `"False"`, nulls, fields the service added, and a field of the wrong kind. The
//! call succeeds, everything that fits is decoded, and what does not fit is left empty and kept
//! in `meta().anomalies` with its path and raw value.

use crate::support::*;
use acs_appstream_center as appstream_center;
use acs_ecs as ecs;
use acs_ens as ens;
use acs_swas_open as swas_open;
use acs_test_gateway::TestServer;
use serde_json::{Value, json};

/// A gateway answering every request for `action` with exactly `body`.
async fn gateway_answering(action: &str, body: &str) -> TestServer {
    let server = gateway().await;
    let body = body.to_owned();
    server.respond_with(action, move |_| raw_json(body.clone()));
    server
}

/// What ECS DescribeImages in `cn-hangzhou` decodes to when the service answers `body`.
async fn ecs_answer(body: &str) -> ecs::DescribeImagesResponse {
    let server = gateway_answering("DescribeImages", body).await;
    ecs::Client::new(config(&server))
        .describe_images()
        .region_id("cn-hangzhou")
        .send()
        .await
        .expect("the call succeeds")
}

/// What SWAS ListCustomImages in `cn-hangzhou` decodes to when the service answers `body`.
async fn swas_answer(body: &str) -> swas_open::ListCustomImagesResponse {
    let server = gateway_answering("ListCustomImages", body).await;
    swas_open::Client::new(config(&server))
        .list_custom_images()
        .region_id("cn-hangzhou")
        .send()
        .await
        .expect("the call succeeds")
}

/// What ENS DescribeSelfImages decodes to when the service answers `body`.
async fn ens_answer(body: &str) -> ens::DescribeSelfImagesResponse {
    let server = gateway_answering("DescribeSelfImages", body).await;
    ens::Client::new(config(&server))
        .describe_self_images()
        .send()
        .await
        .expect("the call succeeds")
}

/// What appstream-center ListImage decodes to when the service answers `body`.
async fn appstream_answer(body: &str) -> appstream_center::ListImageResponse {
    let server = gateway_answering("ListImage", body).await;
    appstream_center::Client::new(config(&server))
        .list_image()
        .send()
        .await
        .expect("the call succeeds")
}

/// Everything in the response fitted its declared type.
fn assert_no_anomalies(meta: &acs_runtime::ResponseMeta) {
    assert!(meta.anomalies.is_empty(), "{:#?}", meta.anomalies);
}

#[tokio::test]
async fn a_total_count_as_a_number_or_a_string_decodes_alike() {
    for body in [r#"{"TotalCount": 4}"#, r#"{"TotalCount": "4"}"#] {
        let out = swas_answer(body).await;
        assert_eq!(out.total_count.as_deref(), Some("4"), "from {body}");
        assert_no_anomalies(out.meta());
        let out = ecs_answer(body).await;
        assert_eq!(out.total_count, Some(4), "from {body}");
        assert_no_anomalies(out.meta());
    }
}

/// One SWAS image with every kind of deviation, and the sample's fields otherwise.
fn deviant_swas_body() -> String {
    let mut body = sample_json(
        SWAS_SPEC,
        "ListCustomImages",
        Some("page_001_922605dd28304316"),
    );
    let image = &mut body["CustomImages"][0];
    image["InShare"] = json!("False");
    image["InShareUser"] = json!("TRUE");
    image["Description"] = Value::Null;
    image["Tags"] = Value::Null;
    image["RequiredSystemDiskSize"] = json!("40");
    image["UserId"] = json!("1801858287101234");
    image["BrandNewField"] = json!({"Nested": [1, 2, 3]});
    image["Name"] = json!({"zh": "测试", "en": "test"});
    body["TotalCount"] = json!(4);
    body["ServiceAddedThis"] = json!(true);
    body.to_string()
}

#[tokio::test]
async fn one_bad_field_is_left_empty_and_kept_while_the_rest_decodes() {
    let body = deviant_swas_body();
    let out = swas_answer(&body).await;

    let image = &out.custom_images[0];
    assert_eq!(out.total_count.as_deref(), Some("4"));
    assert_eq!(image.in_share, Some(false), "\"False\" is false");
    assert_eq!(image.in_share_user, Some(true), "\"TRUE\" is true");
    assert_eq!(image.description, None, "null is absent");
    assert!(image.tags.is_empty(), "a null list is empty");
    assert_eq!(image.required_system_disk_size, Some(40));
    assert_eq!(image.user_id, Some(1_801_858_287_101_234));
    assert_eq!(image.image_id.as_deref(), Some("m-bp1e79zktg26n2b***"));
    assert_eq!(image.os_type.as_deref(), Some("Linux"));
    assert_eq!(image.status, Some(swas_open::CustomImageStatus::Available));
    assert_eq!(
        image.name, None,
        "an object where a string is declared is left empty"
    );

    let anomalies = &out.meta().anomalies;
    assert_eq!(anomalies.len(), 1, "only the bad field: {anomalies:#?}");
    assert_eq!(anomalies[0].path, "CustomImages[0].Name");
    assert_eq!(anomalies[0].raw, json!({"zh": "测试", "en": "test"}));
    assert!(!anomalies[0].reason.is_empty());
    assert_eq!(out.meta().body, body.as_bytes(), "the raw body is kept");
    assert_eq!(out.meta().status, 200);
}

#[tokio::test]
async fn a_bad_field_inside_a_wrapped_list_is_named_by_its_wire_path() {
    let mut body = sample_json(ECS_SPEC, "DescribeImages", None);
    body["Images"]["Image"][0]["Size"] = json!({"Value": 20, "Unit": "GiB"});
    body["Images"]["Image"][0]["IsSubscribed"] = json!("False");
    body["PageSize"] = json!("1");
    let body = body.to_string();
    let out = ecs_answer(&body).await;
    let image = &out.images[0];
    assert_eq!(image.size, None);
    assert_eq!(image.is_subscribed, Some(false));
    assert_eq!(out.page_size, Some(1));
    assert_eq!(image.disk_device_mappings.len(), 1, "the rest decodes");
    let anomalies = &out.meta().anomalies;
    assert_eq!(anomalies.len(), 1, "{anomalies:#?}");
    assert_eq!(anomalies[0].path, "Images.Image[0].Size");
    assert_eq!(anomalies[0].raw, json!({"Value": 20, "Unit": "GiB"}));
}

#[tokio::test]
async fn a_number_where_a_string_is_declared_is_read_as_text() {
    let mut body = sample_json(ENS_SPEC, "DescribeSelfImages", None);
    body["Images"]["Image"][0]["ImageSize"] = json!(20);
    body["TotalCount"] = json!(1);
    body["Code"] = json!("0");
    let body = body.to_string();
    let out = ens_answer(&body).await;
    assert_eq!(out.images[0].image_size.as_deref(), Some("20"));
    assert_eq!(out.total_count.as_deref(), Some("1"));
    assert_eq!(out.code, Some(0));
    assert_no_anomalies(out.meta());
}

#[tokio::test]
async fn an_unknown_enum_value_is_kept() {
    let mut body = sample_json(ECS_SPEC, "DescribeImages", None);
    body["Images"]["Image"][0]["Status"] = json!("Deprecated");
    let body = body.to_string();
    let out = ecs_answer(&body).await;
    let status = out.images[0].status.clone().expect("the status arrived");
    assert_eq!(status, ecs::ImageStatus::Unknown("Deprecated".to_owned()));
    assert_eq!(status.as_str(), "Deprecated");
    assert!(out.meta().anomalies.is_empty());
}

/// What a caller may accept when a list arrives as an object: either the object read as the
/// list's only item, or the field left empty with one anomaly at the field's own path keeping
/// the whole object. Not anomalies at paths that do not exist, holding fragments of it.
fn assert_single_object_list<T: std::fmt::Debug>(
    items: &[T],
    anomalies: &[acs_runtime::decode::Anomaly],
    path: &str,
    raw: &Value,
) {
    match (items.len(), anomalies) {
        (1, []) => {}
        (0, [anomaly]) => {
            assert_eq!(anomaly.path, path, "{anomalies:#?}");
            assert_eq!(&anomaly.raw, raw, "{anomalies:#?}");
        }
        _ => panic!(
            "a list sent as one object must decode as that item, or be one anomaly at {path} \
             keeping the object; got items {items:#?} and anomalies {anomalies:#?}"
        ),
    }
}

#[tokio::test]
async fn a_list_that_arrives_as_an_object_is_one_anomaly_or_one_item() {
    let mut body = sample_json(APPSTREAM_SPEC, "ListImage", None);
    let app = json!({"AppId": "ca-1", "AppName": "one"});
    body["Data"][0]["AppList"] = app.clone();
    body["Count"] = json!("22");
    body["Success"] = json!("true");
    let body = body.to_string();
    let out = appstream_answer(&body).await;
    assert_eq!(out.count, Some(22));
    assert_eq!(out.success, Some(true));
    assert_eq!(out.data[0].image_name.as_deref(), Some("DemoImage"));
    assert_single_object_list(
        &out.data[0].app_list,
        &out.meta().anomalies,
        "Data[0].AppList",
        &app,
    );
}

/// Alibaba's JSON is converted from XML in places, and a wrapped list of one item may lose its
/// array: `{"DiskDeviceMapping": {...}}` instead of `{"DiskDeviceMapping": [{...}]}`.
#[tokio::test]
async fn a_wrapped_list_of_one_object_without_its_array_is_one_anomaly_or_one_item() {
    let mut body = sample_json(ECS_SPEC, "DescribeImages", None);
    let mapping = json!({"Device": "/dev/xvda", "Size": "20"});
    body["Images"]["Image"][0]["DiskDeviceMappings"] =
        json!({"DiskDeviceMapping": mapping.clone()});
    let body = body.to_string();
    let out = ecs_answer(&body).await;
    let image = &out.images[0];
    assert_eq!(
        image.image_id.as_deref(),
        Some("suse11sp3_64_20G_aliaegis_20150428.vhd")
    );
    assert_single_object_list(
        &image.disk_device_mappings,
        &out.meta().anomalies,
        "Images.Image[0].DiskDeviceMappings.DiskDeviceMapping",
        &mapping,
    );
    if let Some(first) = image.disk_device_mappings.first() {
        assert_eq!(first.device.as_deref(), Some("/dev/xvda"));
    }
}

#[tokio::test]
async fn a_top_level_array_gives_an_empty_response_with_the_body_kept() {
    let out = ens_answer(r#"[{"ImageId": "x"}]"#).await;
    assert!(out.images.is_empty());
    assert_eq!(out.total_count, None);
    let anomalies = &out.meta().anomalies;
    assert_eq!(anomalies.len(), 1, "{anomalies:#?}");
    assert_eq!(anomalies[0].path, "");
    assert_eq!(anomalies[0].raw, json!([{"ImageId": "x"}]));
    assert_eq!(out.meta().body.as_ref(), br#"[{"ImageId": "x"}]"#);
}
