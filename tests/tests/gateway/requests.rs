//! Requests over loopback: what the gateway verifies, answers and records, and what it refuses
//! with Alibaba's error bodies.

use super::*;

#[tokio::test]
async fn good_v3_request_is_verified_answered_and_recorded() -> TestResult {
    let server = server().await?;
    server.respond(
        "DescribeImages",
        200,
        json!({"TotalCount": 1, "Images": {"Image": [{"ImageId": "m-1"}]}}),
    );
    let request = HandBuilt::v3(
        &server,
        "DescribeImages",
        &[("RegionId", "cn-hangzhou"), ("ImageName", "a b*c")],
        NOW,
    )
    .sign_v3(ACCESS_KEY_ID, SECRET);
    let answer = send(server.addr(), &request).await?;
    assert_eq!(answer.status, 200);
    let body = answer.json();
    assert_eq!(body["Images"]["Image"][0]["ImageId"], "m-1");

    let seen = server.requests();
    assert_eq!(seen.len(), 1);
    let recorded = &seen[0];
    assert!(recorded.verified(), "{:?}", recorded.verdict);
    assert_eq!(
        body["RequestId"].as_str(),
        Some(recorded.request_id.as_str())
    );
    assert_eq!(recorded.method, "POST");
    assert_eq!(recorded.path, "/");
    assert_eq!(
        recorded.raw_query,
        "RegionId=cn-hangzhou&ImageName=a%20b%2Ac"
    );
    assert_eq!(
        recorded.query,
        pairs(&[("RegionId", "cn-hangzhou"), ("ImageName", "a b*c")])
    );
    assert_eq!(recorded.action.as_deref(), Some("DescribeImages"));
    assert_eq!(recorded.version.as_deref(), Some("2014-05-26"));
    assert_eq!(
        recorded.signature,
        SignatureKind::V3 {
            access_key_id: Some(ACCESS_KEY_ID.to_owned()),
            signed_headers: vec![
                "host".to_owned(),
                "x-acs-action".to_owned(),
                "x-acs-content-sha256".to_owned(),
                "x-acs-date".to_owned(),
                "x-acs-signature-nonce".to_owned(),
                "x-acs-version".to_owned(),
            ],
        }
    );
    assert_eq!(recorded.header("X-ACS-ACTION"), Some("DescribeImages"));
    // The record carries enough to re-run the verifier by hand.
    assert!(v3::verify(&recorded.parts(), SECRET).is_ok());
    Ok(())
}

#[tokio::test]
async fn form_body_parameters_are_decoded_and_covered_by_the_body_hash() -> TestResult {
    let server = server().await?;
    server.respond("ListImage", 200, json!({"Images": []}));
    let request = HandBuilt::v3(&server, "ListImage", &[("Distro", "Windows")], NOW)
        .form_body("BizRegionId=cn-hangzhou&ImageName=my+image%21&PageSize=20")
        .sign_v3(ACCESS_KEY_ID, SECRET);
    let answer = send(server.addr(), &request).await?;
    assert_eq!(answer.status, 200, "{}", answer.json());
    let seen = server.requests();
    assert_eq!(
        seen[0].form,
        pairs(&[
            ("BizRegionId", "cn-hangzhou"),
            ("ImageName", "my image!"),
            ("PageSize", "20")
        ])
    );
    assert_eq!(seen[0].param("Distro"), Some("Windows"));
    assert_eq!(seen[0].param("PageSize"), Some("20"));

    // Same signature, different body: the hash no longer matches.
    let mut tampered = request.clone();
    tampered.body = Bytes::from_static(b"BizRegionId=cn-beijing&ImageName=my+image%21&PageSize=20");
    let tampered = tampered.set_header("x-acs-signature-nonce", "another-nonce");
    let answer = send(server.addr(), &tampered).await?;
    assert_alibaba_error(&answer, 400, "SignatureDoesNotMatch");
    Ok(())
}

#[tokio::test]
async fn good_v2_request_is_verified() -> TestResult {
    let server = server().await?;
    server.respond("DescribeRegions", 200, json!({"Regions": {"Region": []}}));
    let mut params = pairs(&[
        ("AccessKeyId", ACCESS_KEY_ID),
        ("Action", "DescribeRegions"),
        ("Format", "JSON"),
        ("SignatureMethod", "HMAC-SHA1"),
        ("SignatureNonce", "v2-nonce-1"),
        ("SignatureVersion", "1.0"),
        ("Timestamp", NOW),
        ("Version", "2014-05-26"),
        ("RegionId", "cn-hangzhou"),
    ]);
    let string_to_sign = v2::string_to_sign(
        "GET",
        params
            .iter()
            .map(|(name, value)| (name.as_str(), value.as_str())),
    );
    params.push(("Signature".to_owned(), v2::sign(SECRET, &string_to_sign)));
    let request = HandBuilt {
        method: "GET",
        query: params.clone(),
        headers: pairs(&[("host", &server.host())]),
        body: Bytes::new(),
    };
    let answer = send(server.addr(), &request).await?;
    assert_eq!(answer.status, 200, "{}", answer.json());
    let seen = server.requests();
    assert!(seen[0].verified());
    assert_eq!(
        seen[0].signature,
        SignatureKind::V2 {
            access_key_id: Some(ACCESS_KEY_ID.to_owned())
        }
    );
    assert_eq!(seen[0].action.as_deref(), Some("DescribeRegions"));

    // The same parameters with another RegionId keep the old signature: rejected.
    let mut tampered = params;
    for (name, value) in &mut tampered {
        match name.as_str() {
            "RegionId" => *value = "cn-beijing".to_owned(),
            "SignatureNonce" => *value = "v2-nonce-2".to_owned(),
            _ => {}
        }
    }
    let answer = send(
        server.addr(),
        &HandBuilt {
            query: tampered,
            ..request
        },
    )
    .await?;
    assert_alibaba_error(&answer, 400, "SignatureDoesNotMatch");
    Ok(())
}

#[tokio::test]
async fn tampered_signature_is_rejected_with_alibabas_error_body() -> TestResult {
    let server = describe_images_server().await?;
    let signed = describe_images(&server);
    // Changing a signed query value after signing.
    let mut tampered = signed.clone();
    tampered.query[0].1 = "cn-beijing".to_owned();
    let answer = send(server.addr(), &tampered).await?;
    assert_alibaba_error(&answer, 400, "SignatureDoesNotMatch");
    let message = answer.json()["Message"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    assert!(message.contains("RegionId=cn-beijing"), "{message}");
    assert!(!message.contains(SECRET));

    let seen = server.requests();
    match &seen[0].verdict {
        Verdict::Rejected(rejection) => {
            assert_eq!(rejection.code, "SignatureDoesNotMatch");
            assert_eq!(rejection.status, 400);
        }
        Verdict::Verified => panic!("a tampered request was verified"),
    }

    // Signed with the wrong secret.
    let wrong = HandBuilt::v3(&server, "DescribeImages", &[], NOW).sign_v3(ACCESS_KEY_ID, "nope");
    assert_alibaba_error(
        &send(server.addr(), &wrong).await?,
        400,
        "SignatureDoesNotMatch",
    );
    // A rejected nonce is not spent: the untampered original still goes through.
    assert_eq!(send(server.addr(), &signed).await?.status, 200);
    Ok(())
}

#[tokio::test]
async fn unknown_access_key_is_not_found() -> TestResult {
    let server = server().await?;
    let request =
        HandBuilt::v3(&server, "DescribeImages", &[], NOW).sign_v3("LTAI-unknown", SECRET);
    let answer = send(server.addr(), &request).await?;
    assert_alibaba_error(&answer, 404, "InvalidAccessKeyId.NotFound");
    Ok(())
}

#[tokio::test]
async fn dates_more_than_fifteen_minutes_off_are_expired() -> TestResult {
    let server = describe_images_server().await?;
    for (date, expected) in [
        ("2024-05-01T07:44:00Z", 400),
        ("2024-05-01T08:16:00Z", 400),
        ("2024-05-01T07:46:00Z", 200),
        ("2024-05-01T08:14:00Z", 200),
    ] {
        let request =
            HandBuilt::v3(&server, "DescribeImages", &[], date).sign_v3(ACCESS_KEY_ID, SECRET);
        let answer = send(server.addr(), &request).await?;
        if expected == 200 {
            assert_eq!(answer.status, 200, "{date}: {}", answer.json());
        } else {
            assert_alibaba_error(&answer, 400, "InvalidTimeStamp.Expired");
        }
    }
    let malformed = HandBuilt::v3(&server, "DescribeImages", &[], "2024-05-01 08:00:00")
        .sign_v3(ACCESS_KEY_ID, SECRET);
    assert_alibaba_error(
        &send(server.addr(), &malformed).await?,
        400,
        "InvalidTimeStamp.Format",
    );
    Ok(())
}

#[tokio::test]
async fn the_clock_can_move() -> TestResult {
    let offset = std::sync::Arc::new(std::sync::atomic::AtomicU64::new(0));
    let reading = std::sync::Arc::clone(&offset);
    let server = TestServer::builder()
        .credential(ACCESS_KEY_ID, SECRET)
        .clock(Clock::from_fn(move || {
            std::time::SystemTime::from(now())
                + Duration::from_secs(reading.load(std::sync::atomic::Ordering::SeqCst))
        }))
        .start()
        .await?;
    server.respond("DescribeImages", 200, json!({}));
    let first = HandBuilt::v3(&server, "DescribeImages", &[], NOW).sign_v3(ACCESS_KEY_ID, SECRET);
    assert_eq!(send(server.addr(), &first).await?.status, 200);
    offset.store(16 * 60, std::sync::atomic::Ordering::SeqCst);
    let later = HandBuilt::v3(&server, "DescribeImages", &[], NOW).sign_v3(ACCESS_KEY_ID, SECRET);
    assert_alibaba_error(
        &send(server.addr(), &later).await?,
        400,
        "InvalidTimeStamp.Expired",
    );
    Ok(())
}

#[tokio::test]
async fn replayed_nonce_is_rejected() -> TestResult {
    let server = describe_images_server().await?;
    let request = describe_images(&server);
    assert_eq!(send(server.addr(), &request).await?.status, 200);
    let replay = send(server.addr(), &request).await?;
    assert_alibaba_error(&replay, 400, "SignatureNonceUsed");
    let seen = server.requests();
    assert_eq!(seen.len(), 2);
    assert!(seen[0].verified());
    assert!(!seen[1].verified());
    Ok(())
}

#[tokio::test]
async fn missing_action_unsigned_requests_and_unknown_actions() -> TestResult {
    let server = server().await?;
    // V3 without x-acs-action.
    let mut request = HandBuilt::v3(&server, "DescribeImages", &[], NOW);
    request.headers.retain(|(name, _)| name != "x-acs-action");
    let answer = send(server.addr(), &request.sign_v3(ACCESS_KEY_ID, SECRET)).await?;
    assert_alibaba_error(&answer, 400, "MissingParameter");
    assert!(
        answer.json()["Message"]
            .as_str()
            .unwrap_or_default()
            .contains("Action")
    );

    // No signature at all.
    let unsigned = HandBuilt {
        method: "GET",
        query: pairs(&[("Action", "DescribeImages")]),
        headers: pairs(&[("host", &server.host())]),
        body: Bytes::new(),
    };
    let answer = send(server.addr(), &unsigned).await?;
    assert_alibaba_error(&answer, 400, "IncompleteSignature");
    assert_eq!(server.requests()[1].signature, SignatureKind::Unsigned);

    // Verified, but nothing registered for the action.
    let request =
        HandBuilt::v3(&server, "DescribeNothing", &[], NOW).sign_v3(ACCESS_KEY_ID, SECRET);
    let answer = send(server.addr(), &request).await?;
    assert_alibaba_error(&answer, 404, "InvalidAction.NotFound");
    assert!(server.requests()[2].verified());
    Ok(())
}

#[tokio::test]
async fn sts_credentials_require_their_signed_token() -> TestResult {
    let server = TestServer::builder()
        .credential(ACCESS_KEY_ID, SECRET)
        .with_token("sts-token")
        .clock(Clock::fixed(now()))
        .start()
        .await?;
    server.respond("DescribeImages", 200, json!({}));
    let without = HandBuilt::v3(&server, "DescribeImages", &[], NOW).sign_v3(ACCESS_KEY_ID, SECRET);
    assert_alibaba_error(
        &send(server.addr(), &without).await?,
        400,
        "MissingSecurityToken",
    );
    let wrong = HandBuilt::v3(&server, "DescribeImages", &[], NOW)
        .header("x-acs-security-token", "other-token")
        .sign_v3(ACCESS_KEY_ID, SECRET);
    assert_alibaba_error(
        &send(server.addr(), &wrong).await?,
        400,
        "InvalidSecurityToken.MismatchWithAccessKey",
    );
    let right = HandBuilt::v3(&server, "DescribeImages", &[], NOW)
        .header("x-acs-security-token", "sts-token")
        .sign_v3(ACCESS_KEY_ID, SECRET);
    assert_eq!(send(server.addr(), &right).await?.status, 200);

    assert!(matches!(
        TestServer::builder().with_token("t").start().await,
        Err(acs_test_gateway::StartError::TokenWithoutCredential)
    ));
    Ok(())
}

#[tokio::test]
async fn respond_with_pages_by_page_number() -> TestResult {
    let server = server().await?;
    server.respond_with("DescribeImages", |request| {
        let page: i64 = request
            .param("PageNumber")
            .and_then(|number| number.parse().ok())
            .unwrap_or(1);
        let images = if page <= 2 {
            vec![json!({"ImageId": format!("m-{page}")})]
        } else {
            Vec::new()
        };
        Response::ok(json!({"PageNumber": page, "TotalCount": 2, "Images": {"Image": images}}))
    });
    for page in 1..=3 {
        let number = page.to_string();
        let request = HandBuilt::v3(&server, "DescribeImages", &[("PageNumber", &number)], NOW)
            .sign_v3(ACCESS_KEY_ID, SECRET);
        let body = send(server.addr(), &request).await?.json();
        assert_eq!(body["PageNumber"], page);
        let expected = if page <= 2 { 1 } else { 0 };
        assert_eq!(
            body["Images"]["Image"].as_array().map(Vec::len),
            Some(expected)
        );
        assert!(body["RequestId"].is_string());
    }
    Ok(())
}

/// An action taken unsigned still carries what the official SDKs send on their anonymous RPC
/// path: `Action`, `Version`, a fresh `Timestamp` and an unused `SignatureNonce` as parameters
/// (the V3 headers without a signature are not enough).
#[tokio::test]
async fn an_unsigned_action_needs_a_fresh_timestamp_and_an_unused_nonce() -> TestResult {
    let server = TestServer::builder()
        .clock(Clock::fixed(now()))
        .accept_unsigned("AssumeRoleWithOIDC")
        .start()
        .await?;
    server.respond("AssumeRoleWithOIDC", 200, json!({}));
    let unsigned = |query: &[(&str, &str)], headers: &[(&str, &str)]| {
        let mut all = pairs(&[("host", &server.host())]);
        all.extend(pairs(headers));
        HandBuilt {
            method: "POST",
            query: pairs(query),
            headers: all,
            body: Bytes::new(),
        }
    };
    let official = [
        ("Action", "AssumeRoleWithOIDC"),
        ("Format", "json"),
        ("Version", "2015-04-01"),
        ("Timestamp", NOW),
        ("SignatureNonce", "nonce-1"),
        ("OIDCToken", "token"),
    ];
    let answer = send(server.addr(), &unsigned(&official, &[])).await?;
    assert_eq!(answer.status, 200, "{:?}", answer.json());
    // The same nonce again.
    let answer = send(server.addr(), &unsigned(&official, &[])).await?;
    assert_alibaba_error(&answer, 400, "SignatureNonceUsed");
    // Each common parameter left out, or a stale timestamp.
    for (left_out, code) in [
        ("Version", "MissingParameter"),
        ("Timestamp", "MissingParameter"),
        ("SignatureNonce", "MissingParameter"),
    ] {
        let query: Vec<(&str, &str)> = official
            .iter()
            .copied()
            .filter(|(name, _)| *name != left_out)
            .map(|(name, value)| {
                if name == "SignatureNonce" {
                    (name, "nonce-2")
                } else {
                    (name, value)
                }
            })
            .collect();
        let answer = send(server.addr(), &unsigned(&query, &[])).await?;
        assert_alibaba_error(&answer, 400, code);
        assert!(
            answer.json()["Message"]
                .as_str()
                .unwrap_or_default()
                .contains(left_out),
            "{left_out}: {:?}",
            answer.json()
        );
    }
    let stale: Vec<(&str, &str)> = official
        .iter()
        .copied()
        .map(|(name, value)| match name {
            "Timestamp" => (name, "2024-05-01T07:00:00Z"),
            "SignatureNonce" => (name, "nonce-3"),
            _ => (name, value),
        })
        .collect();
    let answer = send(server.addr(), &unsigned(&stale, &[])).await?;
    assert_alibaba_error(&answer, 400, "InvalidTimeStamp.Expired");
    // The V3 headers alone, without the parameters.
    let headers_only = unsigned(
        &[("OIDCToken", "token")],
        &[
            ("x-acs-action", "AssumeRoleWithOIDC"),
            ("x-acs-version", "2015-04-01"),
            ("x-acs-date", NOW),
            ("x-acs-signature-nonce", "nonce-4"),
        ],
    );
    let answer = send(server.addr(), &headers_only).await?;
    assert_alibaba_error(&answer, 400, "MissingParameter");
    Ok(())
}
