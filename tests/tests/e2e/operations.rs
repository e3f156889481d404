//! The four generated operations against the local gateway: every request verifies, the
//! parameters arrive exactly as encoded for the wire (query or form body as the spec says), and
//! the page's sample response decodes into typed fields holding the sample's values.

use crate::support::*;
use acs_appstream_center as appstream_center;
use acs_ecs as ecs;
use acs_ens as ens;
use acs_runtime::OperationError as _;
use acs_runtime::credentials::Credentials;
use acs_runtime::sign::SignatureVersion;
use acs_swas_open as swas_open;
use acs_test_gateway::{RecordedRequest, SignatureKind, TestServer};
use serde_json::Value;

/// Answers `action` with the sample's exact bytes and returns them.
fn answer_with_sample(server: &TestServer, file: &str, action: &str, name: Option<&str>) -> String {
    let body = sample_text(file, action, name);
    let answer = body.clone();
    server.respond_with(action, move |_| raw_json(answer.clone()));
    body
}

fn text(value: &Value) -> Option<&str> {
    value.as_str()
}

/// The whole typed response, encoded back under its wire names, holds every field of the sample.
fn assert_holds_sample(response: &impl serde::Serialize, sample: &Value) {
    let again = serde_json::to_value(response).expect("a response encodes");
    if let Err(difference) = acs_runtime::test_oracle::equivalent(sample, &again) {
        panic!("the typed response lost or changed a field of the sample: {difference}");
    }
}

fn only_request(server: &TestServer) -> RecordedRequest {
    let mut requests = all_v3_verified(server);
    assert_eq!(requests.len(), 1, "one call, one request: {requests:#?}");
    requests.remove(0)
}

#[tokio::test]
async fn ecs_describe_images_encodes_every_style_and_decodes_the_sample() {
    use ecs::{ImageOwnerAlias, ImageStatus, ImageUsage, Tag};
    let server = gateway().await;
    let body = answer_with_sample(&server, ECS_SPEC, "DescribeImages", None);
    let sample: Value = serde_json::from_str(&body).expect("the sample is JSON");
    let client = ecs::Client::new(config(&server));

    let out = client
        .describe_images()
        .region_id("cn-hangzhou")
        .image_id("m-bp1aaa")
        .image_id("m-bp1bbb")
        .status(ImageStatus::Available)
        .snapshot_id("s-bp1ccc")
        .image_name("CentOS 7.9 镜像 (test)")
        .image_owner_alias(ImageOwnerAlias::Self_)
        .usage(ImageUsage::Instance)
        .tag(Tag::new().key("env").value("prod & test"))
        .tag(Tag::new().key("团队").value("a+b=c/d"))
        .page_number(2)
        .page_size(50)
        .send()
        .await
        .expect("DescribeImages succeeds");

    let request = only_request(&server);
    assert_eq!(request.method, "POST");
    assert_eq!(request.path, "/");
    assert_eq!(request.action.as_deref(), Some("DescribeImages"));
    assert_eq!(request.version.as_deref(), Some("2014-05-26"));
    assert_wire_params(
        &request,
        ECS_SPEC,
        "DescribeImages",
        &[
            ("RegionId", "cn-hangzhou"),
            ("ImageId", "m-bp1aaa,m-bp1bbb"),
            ("Status", "Available"),
            ("SnapshotId", "s-bp1ccc"),
            ("ImageName", "CentOS 7.9 镜像 (test)"),
            ("ImageOwnerAlias", "self"),
            ("Usage", "instance"),
            ("Tag.1.Key", "env"),
            ("Tag.1.Value", "prod & test"),
            ("Tag.2.Key", "团队"),
            ("Tag.2.Value", "a+b=c/d"),
            ("PageNumber", "2"),
            ("PageSize", "50"),
        ],
    );
    // Sent exactly as signed: RFC 3986, a space as %20 and a plus as %2B (a gateway reads a bare
    // `+` as a space).
    assert!(
        request
            .raw_query
            .contains("ImageName=CentOS%207.9%20%E9%95%9C%E5%83%8F%20%28test%29"),
        "{}",
        request.raw_query
    );
    assert!(
        request.raw_query.contains("Tag.2.Value=a%2Bb%3Dc%2Fd"),
        "{}",
        request.raw_query
    );
    assert!(!request.raw_query.contains('+'), "{}", request.raw_query);
    assert!(request.body.is_empty(), "nothing goes in the body");

    let image = &out.images[0];
    let sample_image = &sample["Images"]["Image"][0];
    assert_eq!(out.images.len(), 1);
    assert_eq!(
        out.total_count.map(i64::from),
        sample["TotalCount"].as_i64()
    );
    assert_eq!(
        out.page_number.map(i64::from),
        sample["PageNumber"].as_i64()
    );
    assert_eq!(out.page_size.map(i64::from), sample["PageSize"].as_i64());
    assert_eq!(out.region_id.as_deref(), text(&sample["RegionId"]));
    assert_eq!(out.request_id.as_deref(), text(&sample["RequestId"]));
    assert_eq!(image.image_id.as_deref(), text(&sample_image["ImageId"]));
    assert_eq!(image.os_name.as_deref(), text(&sample_image["OSName"]));
    assert_eq!(image.size.map(i64::from), sample_image["Size"].as_i64());
    assert_eq!(image.is_copied, sample_image["IsCopied"].as_bool());
    assert_eq!(image.status, Some(ImageStatus::Available));
    assert_eq!(image.usage, Some(ImageUsage::Instance));
    assert_eq!(image.image_owner_alias, Some(ImageOwnerAlias::System));
    let mapping = &sample_image["DiskDeviceMappings"]["DiskDeviceMapping"][0];
    assert_eq!(image.disk_device_mappings.len(), 1);
    assert_eq!(
        image.disk_device_mappings[0].device.as_deref(),
        text(&mapping["Device"])
    );
    assert_eq!(
        image.disk_device_mappings[0].size.as_deref(),
        text(&mapping["Size"])
    );
    assert_holds_sample(&out, &sample);

    let meta = out.meta();
    assert_eq!(meta.status, 200);
    assert!(meta.anomalies.is_empty(), "{:#?}", meta.anomalies);
    assert_eq!(
        meta.body,
        body.as_bytes(),
        "the raw body is kept as it arrived"
    );
    assert_eq!(
        meta.request_id.as_deref(),
        Some(request.request_id.as_str()),
        "the request id of the x-acs-request-id header"
    );
}

#[tokio::test]
async fn swas_list_custom_images_sends_json_arrays_and_a_client_token() {
    use swas_open::{CustomImageStatus, Tag};
    let server = gateway().await;
    let body = answer_with_sample(
        &server,
        SWAS_SPEC,
        "ListCustomImages",
        Some("page_001_922605dd28304316"),
    );
    let sample: Value = serde_json::from_str(&body).expect("the sample is JSON");
    let client = swas_open::Client::new(config(&server));

    let out = client
        .list_custom_images()
        .region_id("cn-hangzhou")
        .image_ids("m-bp1e79zktg26n2b***")
        .image_ids("794c230f 镜像")
        .image_names("名字 \"quoted\"")
        .page_size(20)
        .page_number(3)
        .system_snapshot_id("s-bp14m09pq8***0g6")
        .data_snapshot_id("s-acscasca****")
        .tag(Tag::new().key("k 1").value("v/1"))
        .tag(Tag::new().key("k2").value("值"))
        .resource_group_id("rg-aek2bti7cf7yj2i")
        .share(true)
        .instance_id("ace0706b2ac4454d984295a94213****")
        .send()
        .await
        .expect("ListCustomImages succeeds");

    let request = only_request(&server);
    assert_eq!(request.action.as_deref(), Some("ListCustomImages"));
    assert_eq!(request.version.as_deref(), Some("2020-06-01"));
    let token = request
        .param("ClientToken")
        .expect("the SDK fills the idempotency token the caller left empty")
        .to_owned();
    assert!(
        !token.is_empty() && token.is_ascii() && token.len() <= 64,
        "the token must meet the documented limits: {token:?}"
    );
    assert_wire_params(
        &request,
        SWAS_SPEC,
        "ListCustomImages",
        &[
            ("RegionId", "cn-hangzhou"),
            ("ClientToken", &token),
            ("ImageIds", r#"["m-bp1e79zktg26n2b***","794c230f 镜像"]"#),
            ("ImageNames", r#"["名字 \"quoted\""]"#),
            ("PageSize", "20"),
            ("PageNumber", "3"),
            ("SystemSnapshotId", "s-bp14m09pq8***0g6"),
            ("DataSnapshotId", "s-acscasca****"),
            ("Tag.1.Key", "k 1"),
            ("Tag.1.Value", "v/1"),
            ("Tag.2.Key", "k2"),
            ("Tag.2.Value", "值"),
            ("ResourceGroupId", "rg-aek2bti7cf7yj2i"),
            ("Share", "true"),
            ("InstanceId", "ace0706b2ac4454d984295a94213****"),
        ],
    );

    let image = &out.custom_images[0];
    let sample_image = &sample["CustomImages"][0];
    assert_eq!(out.custom_images.len(), 1);
    assert_eq!(out.total_count.as_deref(), text(&sample["TotalCount"]));
    assert_eq!(out.page_size.as_deref(), text(&sample["PageSize"]));
    assert_eq!(out.request_id.as_deref(), text(&sample["RequestId"]));
    assert_eq!(image.image_id.as_deref(), text(&sample_image["ImageId"]));
    assert_eq!(
        image.data_snapshot_name.as_deref(),
        text(&sample_image["DataSnapshotName"])
    );
    assert_eq!(
        image.description.as_deref(),
        text(&sample_image["Description"])
    );
    assert_eq!(image.in_share, sample_image["InShare"].as_bool());
    assert_eq!(image.in_share_user, sample_image["InShareUser"].as_bool());
    assert_eq!(image.status, Some(CustomImageStatus::Available));
    assert_eq!(image.user_id, sample_image["UserId"].as_i64());
    assert_eq!(
        image.required_system_disk_size.map(i64::from),
        sample_image["RequiredSystemDiskSize"].as_i64()
    );
    assert_eq!(image.tags.len(), 1);
    assert_eq!(
        image.tags[0].key.as_deref(),
        text(&sample_image["Tags"][0]["Key"])
    );
    assert_eq!(
        image.create_instances.first().map(String::as_str),
        text(&sample_image["CreateInstances"][0])
    );
    assert_holds_sample(&out, &sample);
    assert!(
        out.meta().anomalies.is_empty(),
        "{:#?}",
        out.meta().anomalies
    );
    assert_eq!(out.meta().body, body.as_bytes());
}

#[tokio::test]
async fn swas_caller_client_token_is_sent_unchanged() {
    const TOKEN: &str = "123e4567-e89b-12d3-a456-426655440000";
    let server = gateway().await;
    answer_with_sample(&server, SWAS_SPEC, "ListCustomImages", None);
    let client = swas_open::Client::new(config(&server));
    client
        .list_custom_images()
        .region_id("cn-hangzhou")
        .client_token(TOKEN)
        .send()
        .await
        .expect("ListCustomImages succeeds");
    let expected = [("RegionId", "cn-hangzhou"), ("ClientToken", TOKEN)];
    assert_wire_params(
        &only_request(&server),
        SWAS_SPEC,
        "ListCustomImages",
        &expected,
    );
}

#[tokio::test]
async fn ens_describe_self_images_encodes_reserved_characters_and_decodes_the_sample() {
    let server = gateway().await;
    let body = answer_with_sample(&server, ENS_SPEC, "DescribeSelfImages", None);
    let sample: Value = serde_json::from_str(&body).expect("the sample is JSON");
    let client = ens::Client::new(config(&server));

    let out = client
        .describe_self_images()
        .page_number(1)
        .page_size(10)
        .image_id("centos_6_08_64_20G_a****")
        .image_name("my image ~ 名称")
        .snapshot_id("sp-5xg63dmojc1oaa3pk****")
        .send()
        .await
        .expect("DescribeSelfImages succeeds");

    let request = only_request(&server);
    assert_eq!(request.action.as_deref(), Some("DescribeSelfImages"));
    assert_eq!(request.version.as_deref(), Some("2017-11-10"));
    assert_wire_params(
        &request,
        ENS_SPEC,
        "DescribeSelfImages",
        &[
            ("PageNumber", "1"),
            ("PageSize", "10"),
            ("ImageId", "centos_6_08_64_20G_a****"),
            ("ImageName", "my image ~ 名称"),
            ("SnapshotId", "sp-5xg63dmojc1oaa3pk****"),
        ],
    );
    assert!(
        request
            .raw_query
            .contains("ImageId=centos_6_08_64_20G_a%2A%2A%2A%2A"),
        "`*` is not unreserved in RFC 3986: {}",
        request.raw_query
    );
    assert!(
        request
            .raw_query
            .contains("ImageName=my%20image%20~%20%E5%90%8D%E7%A7%B0"),
        "`~` is unreserved and stays: {}",
        request.raw_query
    );

    let image = &out.images[0];
    let sample_image = &sample["Images"]["Image"][0];
    let sample_mapping = &sample_image["DiskDeviceMappings"]["DiskDeviceMapping"][0];
    assert_eq!(out.code.map(i64::from), sample["Code"].as_i64());
    assert_eq!(out.total_count.as_deref(), text(&sample["TotalCount"]));
    assert_eq!(out.images.len(), 1);
    assert_eq!(image.image_id.as_deref(), text(&sample_image["ImageId"]));
    assert_eq!(image.compute_type, Some(ens::ComputeType::EnsVm));
    assert_eq!(image.region_id.as_deref(), text(&sample_image["RegionId"]));
    let mapping = &image.disk_device_mappings[0];
    assert_eq!(
        mapping.image_id.as_deref(),
        text(&sample_mapping["imageId"]),
        "the lower-case wire name `imageId`"
    );
    assert_eq!(mapping.format.as_deref(), text(&sample_mapping["Format"]));
    assert_holds_sample(&out, &sample);
    assert!(
        out.meta().anomalies.is_empty(),
        "{:#?}",
        out.meta().anomalies
    );
}

/// Every parameter of ListImage the caller can set, with their wire forms.
fn list_image_everything(
    client: &appstream_center::Client,
) -> appstream_center::ListImageFluentBuilder {
    client
        .list_image()
        .image_id("img-bp13mu****")
        .image_name("Demo 镜像")
        .status("INIT")
        .image_type("User")
        .package_type("Ecs")
        .os_type("Linux")
        .biz_type(1)
        .product_type("CloudApp")
        .protocol_type("ASP")
        .page_size(10)
        .page_number(1)
        .product_type_list("CloudApp")
        .product_type_list("CloudDesktop")
        .biz_type_list(1)
        .biz_type_list(2)
        .feature_list("GPU")
        .language_type("zh-CN")
        .resource_instance_type("eds.enterprise_office.2c4g")
        .fota_version("2.0.3-xxxx")
        .platform_name("Windows Server 2019")
        .biz_region_id_list("cn-shanghai")
        .biz_region_id_list("cn-hangzhou")
        .tag_list(appstream_center::Tag::new().key("env").value("test 1"))
        .platform_name_list("Windows 11")
        .distro("Ubuntu 22.04 64位")
}

const LIST_IMAGE_WIRE: &[(&str, &str)] = &[
    ("ImageId", "img-bp13mu****"),
    ("ImageName", "Demo 镜像"),
    ("Status", "INIT"),
    ("ImageType", "User"),
    ("PackageType", "Ecs"),
    ("OsType", "Linux"),
    ("BizType", "1"),
    ("ProductType", "CloudApp"),
    ("ProtocolType", "ASP"),
    ("PageSize", "10"),
    ("PageNumber", "1"),
    ("ProductTypeList.1", "CloudApp"),
    ("ProductTypeList.2", "CloudDesktop"),
    ("BizTypeList.1", "1"),
    ("BizTypeList.2", "2"),
    ("FeatureList.1", "GPU"),
    ("LanguageType", "zh-CN"),
    ("ResourceInstanceType", "eds.enterprise_office.2c4g"),
    ("FotaVersion", "2.0.3-xxxx"),
    ("PlatformName", "Windows Server 2019"),
    ("BizRegionIdList.1", "cn-shanghai"),
    ("BizRegionIdList.2", "cn-hangzhou"),
    ("TagList.1.Key", "env"),
    ("TagList.1.Value", "test 1"),
    ("PlatformNameList.1", "Windows 11"),
    ("Distro", "Ubuntu 22.04 64位"),
];

#[tokio::test]
async fn appstream_list_image_sends_the_form_body_and_decodes_the_sample() {
    let server = gateway().await;
    let body = answer_with_sample(&server, APPSTREAM_SPEC, "ListImage", None);
    let sample: Value = serde_json::from_str(&body).expect("the sample is JSON");
    let client = appstream_center::Client::new(config(&server));

    let out = list_image_everything(&client)
        .send()
        .await
        .expect("ListImage succeeds");

    let request = only_request(&server);
    assert_eq!(request.action.as_deref(), Some("ListImage"));
    assert_eq!(request.version.as_deref(), Some("2021-09-01"));
    assert_wire_params(&request, APPSTREAM_SPEC, "ListImage", LIST_IMAGE_WIRE);
    // The spec's split, spelled out: only Distro and TagList travel in the query.
    let mut query_names: Vec<&str> = request.query.iter().map(|(n, _)| n.as_str()).collect();
    query_names.sort_unstable();
    assert_eq!(query_names, ["Distro", "TagList.1.Key", "TagList.1.Value"]);
    assert_eq!(request.form.len(), LIST_IMAGE_WIRE.len() - 3);
    assert_eq!(
        request.header("content-type"),
        Some("application/x-www-form-urlencoded")
    );
    let form = String::from_utf8_lossy(&request.body);
    assert!(
        form.contains("ImageName=Demo%20%E9%95%9C%E5%83%8F"),
        "the form body is encoded as signed: {form}"
    );

    let image = &out.data[0];
    let sample_image = &sample["Data"][0];
    assert_eq!(out.data.len(), 1);
    assert_eq!(out.count.map(i64::from), sample["Count"].as_i64());
    assert_eq!(out.success, sample["Success"].as_bool());
    assert_eq!(out.code.as_deref(), text(&sample["Code"]));
    assert_eq!(out.message.as_deref(), text(&sample["Message"]));
    assert_eq!(image.ali_uid, sample_image["AliUid"].as_i64());
    assert_eq!(
        image.description.as_deref(),
        text(&sample_image["Description"])
    );
    assert_eq!(
        image.platform.map(i64::from),
        sample_image["Platform"].as_i64()
    );
    assert_eq!(
        image.online_version,
        sample_image["OnlineVersion"].as_bool()
    );
    assert_eq!(
        image.app_list[0].app_name.as_deref(),
        text(&sample_image["AppList"][0]["AppName"])
    );
    assert_eq!(
        image.driver_list.first().map(String::as_str),
        text(&sample_image["DriverList"][0]),
        "a JSON array held in a string stays a string"
    );
    assert_eq!(
        image.tag_list[0].key.as_deref(),
        text(&sample_image["TagList"][0]["Key"])
    );
    assert_eq!(image.snapshot_list[0].size, Some(0));
    assert_eq!(image.image_icon_url.as_deref(), Some(""));
    assert_holds_sample(&out, &sample);
    assert!(
        out.meta().anomalies.is_empty(),
        "{:#?}",
        out.meta().anomalies
    );
}

#[tokio::test]
async fn v2_signature_override_signs_query_and_form_and_verifies() {
    let server = gateway().await;
    answer_with_sample(&server, APPSTREAM_SPEC, "ListImage", None);
    let client = appstream_center::Client::new(
        config_for(&server)
            .signature_version(SignatureVersion::V2)
            .build()
            .expect("config builds"),
    );
    let out = list_image_everything(&client)
        .send()
        .await
        .expect("ListImage signed with V2 succeeds");
    assert_eq!(out.count, Some(22));

    let requests = server.requests();
    assert_eq!(requests.len(), 1);
    let request = &requests[0];
    assert!(request.verified(), "rejected: {:?}", request.verdict);
    assert_eq!(
        request.signature,
        SignatureKind::V2 {
            access_key_id: Some(ACCESS_KEY_ID.to_owned())
        }
    );
    assert_eq!(request.param("Action"), Some("ListImage"));
    assert_eq!(request.param("Version"), Some("2021-09-01"));
    assert_eq!(request.param("SignatureMethod"), Some("HMAC-SHA1"));
    assert_eq!(request.param("SignatureVersion"), Some("1.0"));
    assert_eq!(request.param("Format"), Some("JSON"));
    assert_eq!(request.param("SecurityToken"), None);
    assert!(request.header("authorization").is_none());
    // The operation's own parameters keep their places; the signature covers both.
    assert_wire_params(request, APPSTREAM_SPEC, "ListImage", LIST_IMAGE_WIRE);
}

#[tokio::test]
async fn v2_with_an_sts_token_sends_security_token() {
    let server = sts_gateway().await;
    answer_with_sample(&server, ECS_SPEC, "DescribeImages", None);
    let client = ecs::Client::new(
        config_for(&server)
            .credentials(
                Credentials::new(ACCESS_KEY_ID, ACCESS_KEY_SECRET)
                    .with_security_token(SECURITY_TOKEN),
            )
            .signature_version(SignatureVersion::V2)
            .build()
            .expect("config builds"),
    );
    client
        .describe_images()
        .region_id("cn-hangzhou")
        .tag(ecs::Tag::new().key("a b").value("c"))
        .send()
        .await
        .expect("DescribeImages with STS and V2 succeeds");
    let requests = server.requests();
    assert_eq!(requests.len(), 1);
    assert!(
        requests[0].verified(),
        "rejected: {:?}",
        requests[0].verdict
    );
    assert_eq!(requests[0].param("SecurityToken"), Some(SECURITY_TOKEN));
    assert_wire_params(
        &requests[0],
        ECS_SPEC,
        "DescribeImages",
        &[
            ("RegionId", "cn-hangzhou"),
            ("Tag.1.Key", "a b"),
            ("Tag.1.Value", "c"),
        ],
    );
}

#[tokio::test]
async fn v3_with_an_sts_token_signs_the_token_header() {
    let server = sts_gateway().await;
    answer_with_sample(&server, SWAS_SPEC, "ListCustomImages", None);
    let config = config_for(&server)
        .credentials(
            Credentials::new(ACCESS_KEY_ID, ACCESS_KEY_SECRET).with_security_token(SECURITY_TOKEN),
        )
        .build()
        .expect("config builds");
    assert_no_secrets("the config's Debug", &format!("{config:?}"));
    let client = swas_open::Client::new(config);
    assert_no_secrets("the client's Debug", &format!("{client:?}"));
    let out = client
        .list_custom_images()
        .region_id("cn-hangzhou")
        .send()
        .await
        .expect("ListCustomImages with STS succeeds");
    assert_eq!(out.custom_images.len(), 1);
    let request = only_request(&server);
    assert_eq!(request.header("x-acs-security-token"), Some(SECURITY_TOKEN));
}

#[tokio::test]
async fn a_token_the_gateway_requires_but_the_client_lacks_is_rejected_not_retried() {
    let server = sts_gateway().await;
    answer_with_sample(&server, SWAS_SPEC, "ListCustomImages", None);
    let client = swas_open::Client::new(config(&server));
    let err = client
        .list_custom_images()
        .region_id("cn-hangzhou")
        .send()
        .await
        .expect_err("the gateway requires the STS token");
    let requests = server.requests();
    assert_eq!(requests.len(), 1, "an authentication error is not retried");
    assert!(!requests[0].verified());
    let service = err
        .as_service_error()
        .expect("the gateway answered with an error")
        .service_error();
    assert_eq!(service.code(), "MissingSecurityToken");
    assert_eq!(service.status(), 400);
    assert_eq!(err.request_id(), Some(requests[0].request_id.as_str()));
}

#[tokio::test]
async fn a_wrong_secret_fails_with_signature_does_not_match_and_never_shows_the_secret() {
    let server = gateway().await;
    answer_with_sample(&server, ECS_SPEC, "DescribeImages", None);
    let wrong = "not-the-secret-4e1d";
    let client = ecs::Client::new(
        config_for(&server)
            .credentials(Credentials::new(ACCESS_KEY_ID, wrong))
            .build()
            .expect("config builds"),
    );
    let err = client
        .describe_images()
        .region_id("cn-hangzhou")
        .send()
        .await
        .expect_err("a wrong secret cannot verify");
    assert_eq!(server.requests().len(), 1, "not retried");
    let Some(ecs::DescribeImagesError::Unhandled(service)) = err.as_service_error() else {
        panic!("expected an unhandled service error, got {err:?}");
    };
    assert_eq!(service.code(), "SignatureDoesNotMatch");
    assert_eq!(service.status(), 400);
    let shown = err.to_string();
    assert!(shown.contains("SignatureDoesNotMatch"), "{shown}");
    assert!(
        shown.contains("AccessKey"),
        "the hint names the AccessKey: {shown}"
    );
    assert!(!shown.contains(wrong), "{shown}");
    assert!(!format!("{err:?}").contains(wrong));
}
