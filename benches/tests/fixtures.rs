//! The fixtures measure what they claim to: the floor hashes exactly the bytes the signer hashed,
//! the requests carry every parameter, the decoders agree, the synthetic specs generate.

use std::sync::Arc;

use acs_appstream_center as appstream_center;
use acs_benches::floor;
use acs_benches::requests::{self, SigningSetup};
use acs_benches::transport::CannedTransport;
use acs_benches::{plain, responses, synthetic};
use acs_ecs as ecs;
use acs_runtime::decode::decode_response;
use acs_runtime::http::HttpResponse;
use acs_runtime::sign::{self, SignatureVersion};
use acs_swas_open as swas_open;
use base64::Engine as _;

fn list_custom_images_params() -> acs_runtime::wire::Params {
    let request = requests::list_custom_images(&requests::ListCustomImagesInput::default())
        .expect("the fully populated request passes its own checks");
    requests::params_of(&request)
}

#[test]
fn list_custom_images_sets_every_documented_parameter() {
    let params = list_custom_images_params();
    let names: Vec<&str> = params.query_pairs().iter().map(|(name, _)| name).collect();
    for name in [
        "RegionId",
        "ClientToken",
        "ImageIds",
        "PageSize",
        "PageNumber",
        "ImageNames",
        "SystemSnapshotId",
        "DataSnapshotId",
        "Tag.1.Key",
        "Tag.20.Value",
        "ResourceGroupId",
        "Share",
        "InstanceId",
    ] {
        assert!(names.contains(&name), "{name} missing from {names:?}");
    }
    let ids = params
        .query_pairs()
        .iter()
        .find(|(name, _)| *name == "ImageIds")
        .map(|(_, value)| value)
        .expect("ImageIds");
    let ids: Vec<String> = serde_json::from_str(ids).expect("a JSON array");
    assert_eq!(ids.len(), 100);
    assert!(!names.contains(&"Tag.21.Key"));
}

#[test]
fn the_v3_floor_hashes_exactly_what_the_signer_signed() {
    let setup = SigningSetup::new(&swas_open::SERVICE).expect("endpoint");
    let params = list_custom_images_params();
    let input = setup.v3_floor_input(&swas_open::SERVICE, &swas_open::LIST_CUSTOM_IMAGES, &params);
    let sha2 = floor::sha2_floor(&input);
    let ring = floor::ring_floor(&input);
    assert_eq!(sha2, ring, "the crates disagree on the same input");
    assert!(
        input
            .string_to_sign
            .ends_with(hex::encode(sha2.canonical_hash).as_bytes()),
        "the string to sign carries the canonical request's hash"
    );

    let exchange = setup.sign(
        SignatureVersion::V3,
        &swas_open::SERVICE,
        &swas_open::LIST_CUSTOM_IMAGES,
        &params,
    );
    let authorization = exchange
        .signed
        .headers
        .iter()
        .find(|(name, _)| *name == "authorization")
        .map(|(_, value)| value.clone())
        .expect("an Authorization header");
    assert!(
        authorization.ends_with(&format!("Signature={}", hex::encode(sha2.signature))),
        "{authorization}"
    );
}

#[test]
fn the_v2_floor_macs_exactly_what_the_signer_signed() {
    let setup = SigningSetup::new(&swas_open::SERVICE).expect("endpoint");
    let params = list_custom_images_params();
    let string_to_sign =
        setup.v2_string_to_sign(&swas_open::SERVICE, &swas_open::LIST_CUSTOM_IMAGES, &params);
    let key = format!("{}&", requests::ACCESS_KEY_SECRET);
    let mac = floor::sha1_v2_floor(string_to_sign.as_bytes(), key.as_bytes());
    let expected = base64::engine::general_purpose::STANDARD.encode(mac);
    let exchange = setup.sign(
        SignatureVersion::V2,
        &swas_open::SERVICE,
        &swas_open::LIST_CUSTOM_IMAGES,
        &params,
    );
    let encoded = acs_runtime::wire::percent_encode(&expected);
    assert!(
        exchange
            .signed
            .query
            .contains(&format!("Signature={encoded}")),
        "{}",
        exchange.signed.query
    );
}

#[test]
fn describe_images_and_list_image_build_with_every_parameter() {
    let request = requests::describe_images(&requests::DescribeImagesInput::default())
        .expect("DescribeImages builds");
    let params = requests::params_of(&request);
    assert_eq!(
        params.query_pairs().len(),
        9 + 5 * 2,
        "{:?}",
        params.query_pairs()
    );

    let request =
        requests::list_image(&requests::ListImageInput::default()).expect("ListImage builds");
    let params = requests::params_of(&request);
    assert!(
        params
            .body_pairs()
            .iter()
            .any(|(name, _)| name == "PlatformNameList.5")
    );
    assert!(
        params
            .query_pairs()
            .iter()
            .any(|(name, _)| name == "TagList.5.Value")
    );
    let setup = SigningSetup::new(&appstream_center::SERVICE).expect("endpoint");
    let exchange = setup.sign(
        SignatureVersion::V3,
        &appstream_center::SERVICE,
        &appstream_center::LIST_IMAGE,
        &params,
    );
    assert!(
        exchange.body.contains("BizTypeList.5=5"),
        "{}",
        exchange.body
    );
    let _ = sign::SignatureVersion::V3;
}

#[test]
fn the_large_page_is_about_a_megabyte_and_both_decoders_agree() {
    let body = responses::describe_images_page(1000);
    assert!(
        (900_000..1_200_000).contains(&body.len()),
        "{} bytes",
        body.len()
    );
    let (lenient, anomalies) =
        decode_response::<ecs::DescribeImagesResponse>(&body).expect("decodes");
    assert!(anomalies.is_empty(), "{anomalies:?}");
    let plain: plain::DescribeImagesResponse = serde_json::from_slice(&body).expect("decodes");
    let plain_images = plain.images.expect("images").image;
    assert_eq!(lenient.images.len(), 1000);
    assert_eq!(plain_images.len(), 1000);
    for (a, b) in lenient.images.iter().zip(&plain_images) {
        assert_eq!(a.image_id, b.image_id);
        assert_eq!(a.size, b.size);
        assert_eq!(
            a.disk_device_mappings.len(),
            b.disk_device_mappings
                .as_ref()
                .map_or(0, |m| m.disk_device_mapping.len())
        );
    }
    assert_eq!(lenient.total_count, Some(1000));
}

#[test]
fn every_sample_has_a_decoder_and_decodes() {
    let samples = responses::success_samples().expect("specs");
    assert!(!samples.is_empty());
    for sample in &samples {
        let decode = responses::decoder_for(&sample.module, &sample.action)
            .unwrap_or_else(|e| panic!("{e}"));
        decode(&sample.body).unwrap_or_else(|e| panic!("{} {}: {e}", sample.action, sample.name));
    }
}

#[test]
fn synthetic_specs_generate_one_method_per_operation() {
    let source = synthetic::synthetic_spec(3);
    let products =
        acs_codegen::validate_all(std::slice::from_ref(&source)).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(products[0].operations.len(), 3);
    let files = acs_codegen::generate(&[source]).unwrap_or_else(|e| panic!("{e}"));
    let module = files
        .iter()
        .find(|f| f.path == "synthetic/src/lib.rs")
        .expect("the product crate's lib.rs");
    for index in 1..=3 {
        assert!(
            module
                .contents
                .contains(&format!("pub fn describe_widgets{index}("))
        );
    }
}

#[test]
fn a_whole_call_through_the_canned_transport_decodes_the_sample() {
    let body = responses::success_samples()
        .expect("specs")
        .into_iter()
        .find(|s| s.action == "ListCustomImages")
        .expect("a sample")
        .body;
    let transport = CannedTransport::new(HttpResponse::new(200, body));
    let client = requests::swas_client(Arc::new(transport)).expect("config");
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .build()
        .expect("runtime");
    let response = runtime
        .block_on(requests::call_list_custom_images(
            &client,
            &requests::ListCustomImagesInput::default(),
        ))
        .expect("the call succeeds");
    assert!(!response.custom_images.is_empty());
    assert!(response.meta().request_id.is_some());
}
