//! Known-answer tests of both signatures.
//!
//! Each folder under `tests/vectors/v3` and `tests/vectors/v2` is one case: `request.json`
//! (written by hand) and the texts `record.py` captured from inside Alibaba's official Python
//! runtime for that request. Each step is compared on its own, so a failure names the step that
//! differs. The two `*-published` cases also carry the signature Alibaba publishes for them.

use std::fs;
use std::path::{Path, PathBuf};

use acs_runtime::credentials::Credentials;
use acs_runtime::sign::{self, SignatureVersion, SigningContext, SigningRequest, v2, v3};
use acs_runtime::wire::{self, Pairs};
use serde::Deserialize;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

#[derive(Debug, Deserialize)]
struct Case {
    method: String,
    host: String,
    path: String,
    query: Vec<(String, String)>,
    form: Vec<(String, String)>,
    headers: Vec<(String, String)>,
    access_key_id: String,
    access_key_secret: String,
    security_token: Option<String>,
    timestamp: String,
    nonce: String,
    action: String,
    version: String,
    published: Option<String>,
}

struct Loaded {
    dir: PathBuf,
    case: Case,
    credentials: Credentials,
    date: OffsetDateTime,
    body: String,
    headers: Vec<(String, String)>,
}

impl Loaded {
    fn read(dir: &Path) -> Self {
        let text = fs::read_to_string(dir.join("request.json")).unwrap();
        let case: Case = serde_json::from_str(&text).unwrap();
        let mut credentials = Credentials::new(&case.access_key_id, &case.access_key_secret);
        if let Some(token) = &case.security_token {
            credentials = credentials.with_security_token(token);
        }
        let date = OffsetDateTime::parse(&case.timestamp, &Rfc3339).unwrap();
        let body = wire::form_body(&case.form);
        let headers = case.headers.clone();
        Loaded {
            dir: dir.to_owned(),
            case,
            credentials,
            date,
            body,
            headers,
        }
    }

    fn expected(&self, file: &str) -> String {
        fs::read_to_string(self.dir.join(file))
            .unwrap_or_else(|err| panic!("{}: {file}: {err}", self.dir.display()))
    }

    fn check(&self, step: &str, actual: &str) {
        let expected = self.expected(step);
        assert_eq!(
            actual,
            expected,
            "{}: step `{step}` differs",
            self.dir.display()
        );
    }

    fn run(&self, test: impl FnOnce(&SigningRequest<'_>, &SigningContext<'_>)) {
        let headers: Vec<(&str, &str)> = self
            .headers
            .iter()
            .map(|(name, value)| (name.as_str(), value.as_str()))
            .collect();
        let request = SigningRequest {
            method: &self.case.method,
            host: &self.case.host,
            path: &self.case.path,
            query: (&self.case.query).into(),
            form: (&self.case.form).into(),
            headers: &headers,
            body: self.body.as_bytes(),
        };
        let context = SigningContext {
            credentials: &self.credentials,
            date: self.date,
            nonce: &self.case.nonce,
            action: &self.case.action,
            version: &self.case.version,
        };
        test(&request, &context);
    }
}

fn cases(version: &str) -> Vec<Loaded> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/vectors")
        .join(version);
    let mut dirs: Vec<PathBuf> = fs::read_dir(&root)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.join("request.json").is_file())
        .collect();
    dirs.sort();
    assert!(
        dirs.len() >= 3,
        "expected the {version} vectors in {}",
        root.display()
    );
    dirs.iter().map(|dir| Loaded::read(dir)).collect()
}

#[test]
fn v3_vectors() {
    for loaded in cases("v3") {
        if !loaded.case.form.is_empty() {
            loaded.check("body.txt", &loaded.body);
        }
        loaded.run(|request, context| {
            loaded.check(
                "canonical-request.txt",
                &v3::canonical_request(request, context),
            );
            loaded.check("string-to-sign.txt", &v3::string_to_sign(request, context));
            let signature = v3::sign(request, context);
            loaded.check("authorization.txt", &signature.authorization);
            loaded.check("query.txt", &signature.query);
            if let Some(published) = &loaded.case.published {
                assert_eq!(
                    &signature.authorization,
                    published,
                    "{}",
                    loaded.dir.display()
                );
            }

            let signed = sign::sign(SignatureVersion::V3, request, context);
            assert_eq!(signed.query, signature.query);
            let header = |name: &str| {
                signed
                    .headers
                    .iter()
                    .find(|(candidate, _)| *candidate == name)
                    .map(|(_, value)| value.as_str())
            };
            assert_eq!(
                header("authorization"),
                Some(signature.authorization.as_str())
            );
            assert_eq!(header("x-acs-action"), Some(context.action));
            assert_eq!(header("x-acs-version"), Some(context.version));
            assert_eq!(header("x-acs-date"), Some(loaded.case.timestamp.as_str()));
            assert_eq!(header("x-acs-signature-nonce"), Some(context.nonce));
            assert_eq!(
                header("x-acs-security-token"),
                loaded.case.security_token.as_deref()
            );
            // Every header the signer adds is one it signed.
            for (name, _) in &signed.headers {
                if *name != "authorization" {
                    assert!(
                        signature
                            .signed_headers
                            .split(';')
                            .any(|signed| signed == *name),
                        "{name} sent but not signed"
                    );
                }
            }
        });
    }
}

#[test]
fn v2_vectors() {
    for loaded in cases("v2") {
        if !loaded.case.form.is_empty() {
            loaded.check("body.txt", &loaded.body);
        }
        loaded.run(|request, context| {
            loaded.check(
                "canonical-query.txt",
                &v2::canonical_query(request, context),
            );
            loaded.check("string-to-sign.txt", &v2::string_to_sign(request, context));
            let signature = v2::sign(request, context);
            loaded.check("signature.txt", &signature.signature);
            loaded.check("query.txt", &signature.query);
            if let Some(published) = &loaded.case.published {
                assert_eq!(&signature.signature, published, "{}", loaded.dir.display());
            }
            let signed = sign::sign(SignatureVersion::V2, request, context);
            assert_eq!(signed.query, signature.query);
            assert!(signed.headers.is_empty());
        });
    }
}

/// The vectors pin every byte; these pin the rules one at a time, so that a change of rule
/// fails with a message about that rule.
mod rules {
    use super::*;

    fn context<'a>(credentials: &'a Credentials) -> SigningContext<'a> {
        SigningContext {
            credentials,
            date: time::macros::datetime!(2024-05-06 07:08:09 UTC),
            nonce: "nonce-1",
            action: "DescribeImages",
            version: "2014-05-26",
        }
    }

    fn request<'a>(
        query: &'a [(String, String)],
        headers: &'a [(&'a str, &'a str)],
    ) -> SigningRequest<'a> {
        SigningRequest {
            method: "POST",
            host: "ecs.cn-hangzhou.aliyuncs.com",
            path: "/",
            query: query.into(),
            form: Pairs::EMPTY,
            headers,
            body: b"",
        }
    }

    #[test]
    fn v3_changes_with_every_input() {
        let credentials = Credentials::new("id", "secret");
        let query = vec![("RegionId".to_owned(), "cn-hangzhou".to_owned())];
        let base = v3::sign(&request(&query, &[]), &context(&credentials)).signature;

        let other_secret = Credentials::new("id", "secret2");
        assert_ne!(
            base,
            v3::sign(&request(&query, &[]), &context(&other_secret)).signature
        );

        let other_query = vec![("RegionId".to_owned(), "cn-beijing".to_owned())];
        assert_ne!(
            base,
            v3::sign(&request(&other_query, &[]), &context(&credentials)).signature
        );

        let mut later = context(&credentials);
        later.date += time::Duration::SECOND;
        assert_ne!(base, v3::sign(&request(&query, &[]), &later).signature);

        let mut body_request = request(&query, &[]);
        body_request.body = b"a=b";
        assert_ne!(
            base,
            v3::sign(&body_request, &context(&credentials)).signature
        );
    }

    #[test]
    fn v3_header_names_fold_case_values_trim_and_repeats_join() {
        let credentials = Credentials::new("id", "secret");
        let query = Vec::new();
        let headers = [("X-Custom", "  b "), ("x-custom", "a")];
        let text = v3::canonical_request(&request(&query, &headers), &context(&credentials));
        assert!(text.contains("\nx-custom:a,b\n"), "{text}");
        assert!(
            text.contains("\nhost;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version;x-custom\n"),
            "{text}"
        );
    }

    #[test]
    fn v3_security_token_is_sent_and_signed() {
        let credentials = Credentials::new("id", "secret").with_security_token("tok");
        let query = Vec::new();
        let signature = v3::sign(&request(&query, &[]), &context(&credentials));
        assert!(signature.signed_headers.contains("x-acs-security-token"));
        assert!(
            signature
                .headers
                .contains(&("x-acs-security-token", "tok".to_owned()))
        );
    }

    #[test]
    fn v2_adds_json_format_and_token_unless_given() {
        let credentials = Credentials::new("id", "secret").with_security_token("tok");
        let query = vec![("RegionId".to_owned(), "cn-hangzhou".to_owned())];
        let canonical = v2::canonical_query(&request(&query, &[]), &context(&credentials));
        assert!(canonical.contains("&Format=JSON&"), "{canonical}");
        assert!(canonical.contains("&SecurityToken=tok&"), "{canonical}");
        assert!(canonical.contains("&Action=DescribeImages&"), "{canonical}");

        let signed = v2::sign(&request(&query, &[]), &context(&credentials));
        assert!(signed.query.contains("&Signature="), "{}", signed.query);
        assert_eq!(signed.query.matches("Format=").count(), 1);
    }

    #[test]
    fn v2_form_parameters_are_signed_but_not_sent_in_the_query() {
        let credentials = Credentials::new("id", "secret");
        let query = Vec::new();
        let form = vec![("ImageName".to_owned(), "a b".to_owned())];
        let mut with_form = request(&query, &[]);
        with_form.form = (&form).into();
        let canonical = v2::canonical_query(&with_form, &context(&credentials));
        assert!(canonical.contains("ImageName=a%20b"), "{canonical}");
        let signed = v2::sign(&with_form, &context(&credentials));
        assert!(!signed.query.contains("ImageName"), "{}", signed.query);
        assert_ne!(
            signed.signature,
            v2::sign(&request(&query, &[]), &context(&credentials)).signature
        );
    }
}

/// The token travels in a header (V3) or the query (V2); neither may reach a log through `Debug`.
#[test]
fn debug_output_never_shows_the_security_token() {
    let token = "CAIS-secret-token-value";
    let credentials = Credentials::new("id", "the-secret").with_security_token(token);
    let context = SigningContext {
        credentials: &credentials,
        date: time::macros::datetime!(2024-05-06 07:08:09 UTC),
        nonce: "n",
        action: "A",
        version: "2020-01-01",
    };
    let query = vec![("RegionId".to_owned(), "cn-hangzhou".to_owned())];
    let request = SigningRequest {
        method: "POST",
        host: "h.example.com",
        path: "/",
        query: (&query).into(),
        form: Pairs::EMPTY,
        headers: &[],
        body: b"",
    };
    let v3 = v3::sign(&request, &context);
    let v2 = v2::sign(&request, &context);
    assert!(v2.query.contains("SecurityToken=CAIS-secret-token-value"));
    let texts = [
        format!("{v3:?}"),
        format!("{v2:?}"),
        format!("{:?}", sign::sign(SignatureVersion::V3, &request, &context)),
        format!(
            "{:#?}",
            sign::sign(SignatureVersion::V2, &request, &context)
        ),
        format!("{context:?}"),
        sign::redact_query(&v2.query).into_owned(),
    ];
    for text in texts {
        assert!(!text.contains(token), "token leaked: {text}");
        assert!(!text.contains("the-secret"), "secret leaked: {text}");
    }
    assert_eq!(
        sign::redact_query("A=1&SecurityToken=x%2By&SecurityTokenNot=2"),
        "A=1&SecurityToken=<redacted>&SecurityTokenNot=2"
    );
    assert!(matches!(
        sign::redact_query("A=1&B=2"),
        std::borrow::Cow::Borrowed("A=1&B=2")
    ));
}
