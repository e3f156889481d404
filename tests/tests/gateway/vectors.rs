//! The verifiers against published vectors, called directly: canonical requests, strings to
//! sign and signatures of V3 and V2, and that any change to a signed part breaks them.

use super::*;

const V3_VECTOR_SIGNATURE: &str =
    "06563a9e1b43f5dfe96b81484da74bceab24a1d853912eee15083a6f0f3283c0";
const EMPTY_SHA256: &str = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

fn v3_vector_query() -> Vec<(String, String)> {
    pairs(&[
        (
            "ImageId",
            "win2019_1809_x64_dtc_zh-cn_40G_alibase_20230811.vhd",
        ),
        ("RegionId", "cn-shanghai"),
    ])
}

fn v3_vector_headers() -> Vec<(String, String)> {
    pairs(&[
        ("host", "ecs.cn-shanghai.aliyuncs.com"),
        ("x-acs-action", "RunInstances"),
        ("x-acs-version", "2014-05-26"),
        ("x-acs-date", "2023-10-26T10:22:32Z"),
        ("x-acs-signature-nonce", "3156853299f313e23d1673dc12e1703d"),
        ("x-acs-content-sha256", EMPTY_SHA256),
    ])
}

/// An empty-bodied `POST /` with `query` and `headers`.
fn post_parts<'a>(
    query: &'a [(String, String)],
    headers: &'a [(String, String)],
) -> RequestParts<'a> {
    RequestParts {
        method: "POST",
        path: "/",
        query,
        headers,
        body: b"",
    }
}

fn v3_vector_signed_headers() -> Vec<String> {
    "host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version"
        .split(';')
        .map(str::to_owned)
        .collect()
}

#[test]
fn v3_vector_canonical_request_and_signature() -> TestResult {
    let query = v3_vector_query();
    let headers = v3_vector_headers();
    let parts = post_parts(&query, &headers);
    let canonical = v3::canonical_request(&parts, &v3_vector_signed_headers())?;
    assert_eq!(
        canonical,
        "POST\n/\n\
         ImageId=win2019_1809_x64_dtc_zh-cn_40G_alibase_20230811.vhd&RegionId=cn-shanghai\n\
         host:ecs.cn-shanghai.aliyuncs.com\n\
         x-acs-action:RunInstances\n\
         x-acs-content-sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\n\
         x-acs-date:2023-10-26T10:22:32Z\n\
         x-acs-signature-nonce:3156853299f313e23d1673dc12e1703d\n\
         x-acs-version:2014-05-26\n\
         \n\
         host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version\n\
         e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    );
    let string_to_sign = v3::string_to_sign(&canonical);
    assert!(string_to_sign.starts_with("ACS3-HMAC-SHA256\n"));
    assert_eq!(
        v3::sign("YourAccessKeySecret", &string_to_sign),
        V3_VECTOR_SIGNATURE
    );
    Ok(())
}

#[test]
fn v3_vector_verifies_and_any_change_breaks_it() -> TestResult {
    let query = v3_vector_query();
    let mut headers = v3_vector_headers();
    headers.push((
        "Authorization".to_owned(),
        format!(
            "ACS3-HMAC-SHA256 Credential=YourAccessKeyId,SignedHeaders={},Signature={V3_VECTOR_SIGNATURE}",
            v3_vector_signed_headers().join(";")
        ),
    ));
    let parts = post_parts(&query, &headers);
    let authorization = v3::verify(&parts, "YourAccessKeySecret")?;
    assert_eq!(authorization.access_key_id, "YourAccessKeyId");
    assert_eq!(authorization.signed_headers, v3_vector_signed_headers());

    // The wrong secret.
    assert!(matches!(
        v3::verify(&parts, "AnotherSecret"),
        Err(V3Error::SignatureMismatch { .. })
    ));
    // A changed query value.
    let tampered_query = pairs(&[
        (
            "ImageId",
            "win2019_1809_x64_dtc_zh-cn_40G_alibase_20230811.vhd",
        ),
        ("RegionId", "cn-hangzhou"),
    ]);
    let tampered = RequestParts {
        query: &tampered_query,
        ..parts
    };
    assert!(matches!(
        v3::verify(&tampered, "YourAccessKeySecret"),
        Err(V3Error::SignatureMismatch { .. })
    ));
    // Another method.
    let tampered = RequestParts {
        method: "GET",
        ..parts
    };
    assert!(matches!(
        v3::verify(&tampered, "YourAccessKeySecret"),
        Err(V3Error::SignatureMismatch { .. })
    ));
    // A body the declared hash does not cover.
    let tampered = RequestParts {
        body: b"RegionId=cn-shanghai",
        ..parts
    };
    assert!(matches!(
        v3::verify(&tampered, "YourAccessKeySecret"),
        Err(V3Error::ContentSha256Mismatch { .. })
    ));
    // A signed header missing from the request.
    let without_date: Vec<(String, String)> = headers
        .iter()
        .filter(|(name, _)| name != "x-acs-date")
        .cloned()
        .collect();
    let tampered = RequestParts {
        headers: &without_date,
        ..parts
    };
    assert_eq!(
        v3::verify(&tampered, "YourAccessKeySecret"),
        Err(V3Error::SignedHeaderAbsent {
            name: "x-acs-date".to_owned()
        })
    );
    Ok(())
}

#[test]
fn v3_requires_the_gateway_headers_to_be_signed() -> TestResult {
    let query = v3_vector_query();
    let headers = v3_vector_headers();
    let parts = post_parts(&query, &headers);
    let signed: Vec<String> = v3_vector_signed_headers()
        .into_iter()
        .filter(|name| name != "x-acs-signature-nonce")
        .collect();
    let header =
        v3::authorization_header(&parts, "YourAccessKeyId", "YourAccessKeySecret", &signed)?;
    let authorization = Authorization::parse(&header)?;
    assert_eq!(
        v3::verify_signature(&parts, &authorization, "YourAccessKeySecret"),
        Err(V3Error::RequiredHeaderNotSigned {
            name: "x-acs-signature-nonce"
        })
    );
    Ok(())
}

#[test]
fn v3_authorization_parse_rejects_malformed_headers() {
    assert!(matches!(
        Authorization::parse("HMAC-SHA1 Credential=a,SignedHeaders=host,Signature=00"),
        Err(V3Error::UnsupportedAlgorithm { .. })
    ));
    assert!(matches!(
        Authorization::parse("ACS3-HMAC-SHA256 Credential=a,SignedHeaders=host"),
        Err(V3Error::MalformedAuthorization { .. })
    ));
    assert!(matches!(
        Authorization::parse(
            "ACS3-HMAC-SHA256 Credential=a,Credential=b,SignedHeaders=host,Signature=00"
        ),
        Err(V3Error::MalformedAuthorization { .. })
    ));
    assert!(matches!(
        Authorization::parse("ACS3-HMAC-SHA256 Credential"),
        Err(V3Error::MalformedAuthorization { .. })
    ));
}

fn v2_vector_params() -> Vec<(String, String)> {
    pairs(&[
        ("AccessKeyId", "testid"),
        ("Action", "DescribeRegions"),
        ("Format", "XML"),
        ("SignatureMethod", "HMAC-SHA1"),
        ("SignatureNonce", "3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf"),
        ("SignatureVersion", "1.0"),
        ("Timestamp", "2016-02-23T12:46:24Z"),
        ("Version", "2014-05-26"),
    ])
}

#[test]
fn v2_vector_string_to_sign_and_signature() {
    let params = v2_vector_params();
    let string_to_sign = v2::string_to_sign(
        "GET",
        params
            .iter()
            .map(|(name, value)| (name.as_str(), value.as_str())),
    );
    assert_eq!(
        string_to_sign,
        "GET&%2F&AccessKeyId%3Dtestid%26Action%3DDescribeRegions%26Format%3DXML\
         %26SignatureMethod%3DHMAC-SHA1%26SignatureNonce%3D3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf\
         %26SignatureVersion%3D1.0%26Timestamp%3D2016-02-23T12%253A46%253A24Z%26Version%3D2014-05-26"
    );
    assert_eq!(
        v2::sign("testsecret", &string_to_sign),
        "OLeaidS1JvxuMvnyHOwuJ+uX5qY="
    );
}

#[test]
fn v2_vector_verifies_and_any_change_breaks_it() {
    let mut params = v2_vector_params();
    params.push((
        "Signature".to_owned(),
        "OLeaidS1JvxuMvnyHOwuJ+uX5qY=".to_owned(),
    ));
    assert_eq!(v2::verify("GET", &params, "testsecret"), Ok(()));
    assert!(matches!(
        v2::verify("POST", &params, "testsecret"),
        Err(v2::V2Error::SignatureMismatch { .. })
    ));
    assert!(matches!(
        v2::verify("GET", &params, "othersecret"),
        Err(v2::V2Error::SignatureMismatch { .. })
    ));
    let mut changed = params.clone();
    changed[2].1 = "JSON".to_owned();
    assert!(matches!(
        v2::verify("GET", &changed, "testsecret"),
        Err(v2::V2Error::SignatureMismatch { .. })
    ));
    assert_eq!(
        v2::verify("GET", &v2_vector_params(), "testsecret"),
        Err(v2::V2Error::MissingSignature)
    );
}
