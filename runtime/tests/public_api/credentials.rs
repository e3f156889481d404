//! Credentials providers, the default chain and the default region.
//!
//! No test touches the process environment: each passes its own [`Environment`] and a temporary
//! home directory.

use std::fs;
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Duration;

use acs_runtime::credentials::{
    CredentialServices, Credentials, CredentialsChain, CredentialsError, EcsRamRoleProvider,
    Environment, EnvironmentProvider, ProfileProvider, ProvideCredentials, default_region,
};
use acs_runtime::http::{HttpResponse, InMemoryTransport};

const SECRET: &str = "s3cr3t-VALUE-never-shown";
const TOKEN: &str = "CAIS-token-VALUE-never-shown";

fn block_on<F: std::future::Future>(future: F) -> F::Output {
    tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .build()
        .unwrap()
        .block_on(future)
}

/// Reads a profile provider once, on a runtime of its own.
trait LoadNow {
    fn load_now(&self) -> Result<Credentials, CredentialsError>;
}

impl LoadNow for ProfileProvider {
    fn load_now(&self) -> Result<Credentials, CredentialsError> {
        block_on(self.provide_credentials())
    }
}

fn home_with_config(config: &str) -> tempfile::TempDir {
    let home = tempfile::tempdir().unwrap();
    fs::create_dir_all(home.path().join(".aliyun")).unwrap();
    fs::write(home.path().join(".aliyun/config.json"), config).unwrap();
    home
}

fn env_with_home(home: &Path, vars: &[(&str, &str)]) -> Environment {
    let mut all: Vec<(String, String)> = vars
        .iter()
        .map(|(name, value)| ((*name).to_owned(), (*value).to_owned()))
        .collect();
    all.push(("HOME".to_owned(), home.display().to_string()));
    // The default chain must never reach the real metadata service from a test.
    all.push((
        "ALIBABA_CLOUD_ECS_METADATA_DISABLED".to_owned(),
        "true".to_owned(),
    ));
    Environment::from_vars(all)
}

const CONFIG: &str = r#"{
  "current": "work",
  "profiles": [
    {
      "name": "work",
      "mode": "AK",
      "access_key_id": "LTAIwork",
      "access_key_secret": "s3cr3t-VALUE-never-shown",
      "sts_token": "",
      "ram_role_arn": "",
      "expired_seconds": 0,
      "region_id": "cn-shanghai",
      "output_format": "json"
    },
    {
      "name": "temp",
      "mode": "StsToken",
      "access_key_id": "STS.temp",
      "access_key_secret": "s3cr3t-VALUE-never-shown",
      "sts_token": "CAIS-token-VALUE-never-shown",
      "region_id": "ap-southeast-1"
    },
    {
      "name": "role",
      "mode": "CloudSSO",
      "access_key_id": "LTAIrole",
      "access_key_secret": "s3cr3t-VALUE-never-shown",
      "ram_role_arn": "acs:ram::123:role/x"
    },
    {
      "name": "broken",
      "mode": "StsToken",
      "access_key_id": "STS.broken",
      "access_key_secret": "s3cr3t-VALUE-never-shown",
      "sts_token": ""
    }
  ],
  "meta_path": ""
}"#;

fn assert_no_secret(text: &str) {
    assert!(!text.contains(SECRET), "secret leaked: {text}");
    assert!(!text.contains(TOKEN), "token leaked: {text}");
}

#[test]
fn static_credentials_provide_themselves() {
    let credentials = Credentials::new("id", SECRET).with_security_token(TOKEN);
    let provided = block_on(credentials.provide_credentials()).unwrap();
    assert_eq!(provided.access_key_id(), "id");
    assert_eq!(provided.access_key_secret(), SECRET);
    assert_eq!(provided.security_token(), Some(TOKEN));
}

#[test]
fn debug_and_display_redact_secret_and_token() {
    let credentials = Credentials::new("LTAIid", SECRET).with_security_token(TOKEN);
    let debug = format!("{credentials:?}");
    let pretty = format!("{credentials:#?}");
    let display = credentials.to_string();
    for text in [&debug, &pretty, &display] {
        assert_no_secret(text);
        assert!(text.contains("LTAIid"), "{text}");
    }
    assert!(debug.contains("redacted"), "{debug}");
    assert!(display.contains("security token"), "{display}");
    assert!(!format!("{:?}", Credentials::new("a", SECRET)).contains("Some("));
}

#[test]
fn environment_provider_reads_keys_and_token() {
    let env = Environment::from_vars([
        ("ALIBABA_CLOUD_ACCESS_KEY_ID", "LTAIenv"),
        ("ALIBABA_CLOUD_ACCESS_KEY_SECRET", SECRET),
    ]);
    let credentials = EnvironmentProvider::new(env).load().unwrap();
    assert_eq!(credentials.access_key_id(), "LTAIenv");
    assert_eq!(credentials.access_key_secret(), SECRET);
    assert_eq!(credentials.security_token(), None);

    let env = Environment::from_vars([
        ("ALIBABA_CLOUD_ACCESS_KEY_ID", "STS.env"),
        ("ALIBABA_CLOUD_ACCESS_KEY_SECRET", SECRET),
        ("ALIBABA_CLOUD_SECURITY_TOKEN", TOKEN),
    ]);
    let credentials = block_on(EnvironmentProvider::new(env).provide_credentials()).unwrap();
    assert_eq!(credentials.security_token(), Some(TOKEN));
}

#[test]
fn environment_provider_reports_what_is_missing() {
    let none = EnvironmentProvider::new(Environment::from_vars::<[(&str, &str); 0], _, _>([]));
    let err = none.load().unwrap_err();
    assert!(matches!(err, CredentialsError::NotFound { .. }), "{err}");
    assert!(
        err.to_string().contains("ALIBABA_CLOUD_ACCESS_KEY_ID"),
        "{err}"
    );

    let half = EnvironmentProvider::new(Environment::from_vars([(
        "ALIBABA_CLOUD_ACCESS_KEY_SECRET",
        SECRET,
    )]));
    let err = half.load().unwrap_err();
    assert!(matches!(err, CredentialsError::Incomplete { .. }), "{err}");
    assert!(
        err.to_string()
            .contains("ALIBABA_CLOUD_ACCESS_KEY_ID is not"),
        "{err}"
    );
    assert_no_secret(&err.to_string());
    assert_no_secret(&format!("{err:?}"));

    // An empty variable counts as unset.
    let empty = EnvironmentProvider::new(Environment::from_vars([
        ("ALIBABA_CLOUD_ACCESS_KEY_ID", "LTAIenv"),
        ("ALIBABA_CLOUD_ACCESS_KEY_SECRET", ""),
    ]));
    assert!(matches!(
        empty.load(),
        Err(CredentialsError::Incomplete { .. })
    ));
}

#[test]
fn environment_from_fn_is_consulted() {
    let env = Environment::from_fn(|name| match name {
        "ALIBABA_CLOUD_ACCESS_KEY_ID" => Some("LTAIfn".to_owned()),
        "ALIBABA_CLOUD_ACCESS_KEY_SECRET" => Some(SECRET.to_owned()),
        _ => None,
    });
    assert_eq!(
        EnvironmentProvider::new(env)
            .load()
            .unwrap()
            .access_key_id(),
        "LTAIfn"
    );
}

#[test]
fn profile_provider_uses_current_profile() {
    let home = home_with_config(CONFIG);
    let provider = ProfileProvider::new(env_with_home(home.path(), &[]));
    let credentials = provider.load_now().unwrap();
    assert_eq!(credentials.access_key_id(), "LTAIwork");
    assert_eq!(credentials.access_key_secret(), SECRET);
    assert_eq!(credentials.security_token(), None);
}

#[test]
fn profile_provider_honours_alibaba_cloud_profile_and_sts_mode() {
    let home = home_with_config(CONFIG);
    let env = env_with_home(home.path(), &[("ALIBABA_CLOUD_PROFILE", "temp")]);
    let credentials = block_on(ProfileProvider::new(env).provide_credentials()).unwrap();
    assert_eq!(credentials.access_key_id(), "STS.temp");
    assert_eq!(credentials.security_token(), Some(TOKEN));
}

#[test]
fn profile_provider_explicit_profile_and_path() {
    let home = home_with_config(CONFIG);
    let provider =
        ProfileProvider::new(Environment::from_vars([("ALIBABA_CLOUD_PROFILE", "work")]))
            .with_path(home.path().join(".aliyun/config.json"))
            .with_profile("temp");
    assert_eq!(provider.load_now().unwrap().access_key_id(), "STS.temp");
}

#[test]
fn profile_provider_home_can_be_set_explicitly() {
    let home = home_with_config(CONFIG);
    let env = Environment::from_vars([("HOME", "/nonexistent")]).with_home_dir(home.path());
    assert_eq!(
        ProfileProvider::new(env)
            .load_now()
            .unwrap()
            .access_key_id(),
        "LTAIwork"
    );
}

#[test]
fn unsupported_mode_is_named() {
    let home = home_with_config(CONFIG);
    let env = env_with_home(home.path(), &[("ALIBABA_CLOUD_PROFILE", "role")]);
    let err = ProfileProvider::new(env).load_now().unwrap_err();
    assert!(
        matches!(err, CredentialsError::UnsupportedMode { .. }),
        "{err}"
    );
    let text = err.to_string();
    assert!(text.contains("`CloudSSO`"), "{text}");
    assert!(text.contains("`role`"), "{text}");
    assert!(text.contains("AK, StsToken, RamRoleArn"), "{text}");
    assert_no_secret(&text);
}

#[test]
fn sts_profile_without_token_is_incomplete() {
    let home = home_with_config(CONFIG);
    let env = env_with_home(home.path(), &[("ALIBABA_CLOUD_PROFILE", "broken")]);
    let err = ProfileProvider::new(env).load_now().unwrap_err();
    assert!(matches!(err, CredentialsError::Incomplete { .. }), "{err}");
    assert!(err.to_string().contains("sts_token"), "{err}");
    assert_no_secret(&err.to_string());
}

#[test]
fn missing_profile_lists_those_available() {
    let home = home_with_config(CONFIG);
    let env = env_with_home(home.path(), &[("ALIBABA_CLOUD_PROFILE", "nope")]);
    let err = ProfileProvider::new(env).load_now().unwrap_err();
    let text = err.to_string();
    assert!(
        matches!(err, CredentialsError::ProfileNotFound { .. }),
        "{text}"
    );
    assert!(text.contains("`nope`"), "{text}");
    assert!(text.contains("work, temp, role, broken"), "{text}");
}

#[test]
fn missing_file_and_missing_home_are_not_found() {
    let home = tempfile::tempdir().unwrap();
    let err = ProfileProvider::new(env_with_home(home.path(), &[]))
        .load_now()
        .unwrap_err();
    assert!(matches!(err, CredentialsError::NotFound { .. }), "{err}");
    assert!(err.to_string().contains("config.json"), "{err}");

    let no_home = Environment::from_vars::<[(&str, &str); 0], _, _>([]);
    let err = ProfileProvider::new(no_home).load_now().unwrap_err();
    assert!(matches!(err, CredentialsError::NotFound { .. }), "{err}");
    assert!(err.to_string().contains("HOME"), "{err}");
}

#[test]
fn malformed_file_errors_never_quote_its_content() {
    // The secret is a number: serde's own message would quote it.
    let wrong_type = r#"{"current":"a","profiles":[{"name":"a","mode":"AK","access_key_id":"x","access_key_secret":987654321987}]}"#;
    let home = home_with_config(wrong_type);
    let err = ProfileProvider::new(env_with_home(home.path(), &[]))
        .load_now()
        .unwrap_err();
    let text = err.to_string();
    assert!(
        matches!(err, CredentialsError::ProfileFile { .. }),
        "{text}"
    );
    assert!(!text.contains("987654321987"), "{text}");
    assert!(text.contains("profiles[0].access_key_secret"), "{text}");
    assert!(text.contains("line 1"), "{text}");

    let syntax =
        format!("{{\"current\": \"a\", \"profiles\": [{{\"access_key_secret\": \"{SECRET}\" ");
    let home = home_with_config(&syntax);
    let err = ProfileProvider::new(env_with_home(home.path(), &[]))
        .load_now()
        .unwrap_err();
    assert!(matches!(err, CredentialsError::ProfileFile { .. }), "{err}");
    assert_no_secret(&err.to_string());
    assert_no_secret(&format!("{err:?}"));
}

#[test]
fn file_without_current_and_without_profile_variable_is_an_error() {
    let home = home_with_config(r#"{"profiles":[{"name":"a","mode":"AK"}]}"#);
    let err = ProfileProvider::new(env_with_home(home.path(), &[]))
        .load_now()
        .unwrap_err();
    assert!(err.to_string().contains("ALIBABA_CLOUD_PROFILE"), "{err}");
}

#[test]
fn chain_order_is_explicit_then_environment_then_profile() {
    let home = home_with_config(CONFIG);
    let env = env_with_home(
        home.path(),
        &[
            ("ALIBABA_CLOUD_ACCESS_KEY_ID", "LTAIenv"),
            ("ALIBABA_CLOUD_ACCESS_KEY_SECRET", SECRET),
        ],
    );
    let explicit = Credentials::new("LTAIexplicit", SECRET);
    let chain = CredentialsChain::default_chain(Some(explicit), env.clone());
    assert_eq!(
        block_on(chain.provide_credentials())
            .unwrap()
            .access_key_id(),
        "LTAIexplicit"
    );

    let chain = CredentialsChain::default_chain(None, env);
    assert_eq!(
        block_on(chain.provide_credentials())
            .unwrap()
            .access_key_id(),
        "LTAIenv"
    );

    let chain = CredentialsChain::default_chain(None, env_with_home(home.path(), &[]));
    assert_eq!(
        block_on(chain.provide_credentials())
            .unwrap()
            .access_key_id(),
        "LTAIwork"
    );
}

#[test]
fn chain_lists_every_place_it_looked() {
    let home = tempfile::tempdir().unwrap();
    let chain = CredentialsChain::default_chain(None, env_with_home(home.path(), &[]));
    let err = block_on(chain.provide_credentials()).unwrap_err();
    let CredentialsError::NotFound { searched } = &err else {
        panic!("expected NotFound, got {err}");
    };
    // Environment, OIDC, profile file, ECS role, credentials URI: in the official order.
    assert_eq!(searched.len(), 5, "{searched:?}");
    let text = err.to_string();
    assert!(text.contains("ALIBABA_CLOUD_ACCESS_KEY_ID"), "{text}");
    assert!(text.contains("ALIBABA_CLOUD_OIDC_TOKEN_FILE"), "{text}");
    assert!(text.contains(".aliyun/config.json"), "{text}");
    assert!(
        text.contains("ALIBABA_CLOUD_ECS_METADATA_DISABLED=true"),
        "{text}"
    );
    assert!(
        text.contains("ALIBABA_CLOUD_CREDENTIALS_URI not set"),
        "{text}"
    );
    let order: Vec<usize> = [
        "environment",
        "OIDC",
        "CLI profile",
        "ECS",
        "credentials URI",
    ]
    .iter()
    .map(|place| text.find(place).unwrap())
    .collect();
    assert!(order.windows(2).all(|pair| pair[0] < pair[1]), "{text}");
}

#[test]
fn chain_stops_at_a_broken_source() {
    let home = home_with_config(CONFIG);
    // The environment is half set: an error to mend, not a reason to fall back to the profile.
    let env = env_with_home(home.path(), &[("ALIBABA_CLOUD_ACCESS_KEY_ID", "LTAIenv")]);
    let err =
        block_on(CredentialsChain::default_chain(None, env).provide_credentials()).unwrap_err();
    assert!(matches!(err, CredentialsError::Incomplete { .. }), "{err}");
}

#[test]
fn chain_can_skip_the_profile_file() {
    let home = home_with_config(CONFIG);
    let env = env_with_home(
        home.path(),
        &[("ALIBABA_CLOUD_CLI_PROFILE_DISABLED", "true")],
    );
    let err =
        block_on(CredentialsChain::default_chain(None, env).provide_credentials()).unwrap_err();
    let CredentialsError::NotFound { searched } = err else {
        panic!("expected NotFound");
    };
    assert_eq!(searched.len(), 5, "{searched:?}");
    assert!(
        searched[2].contains("ALIBABA_CLOUD_CLI_PROFILE_DISABLED=true"),
        "{searched:?}"
    );
}

#[test]
fn custom_chain_and_empty_chain() {
    let chain = CredentialsChain::new()
        .push(EnvironmentProvider::new(Environment::from_vars::<
            [(&str, &str); 0],
            _,
            _,
        >([])))
        .push(Credentials::new("LTAIlast", SECRET));
    assert_eq!(
        block_on(chain.provide_credentials())
            .unwrap()
            .access_key_id(),
        "LTAIlast"
    );
    let err = block_on(CredentialsChain::new().provide_credentials()).unwrap_err();
    assert!(matches!(err, CredentialsError::NotFound { .. }));
    let debug = format!(
        "{:?}",
        CredentialsChain::new().push(Credentials::new("a", SECRET))
    );
    assert_no_secret(&debug);

    let shared: Arc<dyn ProvideCredentials> = Arc::new(Credentials::new("LTAIshared", SECRET));
    assert_eq!(
        block_on(shared.provide_credentials())
            .unwrap()
            .access_key_id(),
        "LTAIshared"
    );
    let chain = CredentialsChain::new().push_shared(shared);
    assert_eq!(
        block_on(chain.provide_credentials())
            .unwrap()
            .access_key_id(),
        "LTAIshared"
    );
}

#[test]
#[ignore = "prints the error texts for review: cargo test --test credentials -- --ignored --nocapture"]
fn show_error_texts() {
    let home = home_with_config(CONFIG);
    for profile in ["role", "broken", "nope"] {
        let env = env_with_home(home.path(), &[("ALIBABA_CLOUD_PROFILE", profile)]);
        println!("{}", ProfileProvider::new(env).load_now().unwrap_err());
    }
    let bad = home_with_config(r#"{"profiles": [{"name": 3}]}"#);
    println!(
        "{}",
        ProfileProvider::new(env_with_home(bad.path(), &[]))
            .load_now()
            .unwrap_err()
    );
    let empty = tempfile::tempdir().unwrap();
    let chain = CredentialsChain::default_chain(None, env_with_home(empty.path(), &[]));
    println!("{}", block_on(chain.provide_credentials()).unwrap_err());
}

#[test]
fn default_region_prefers_the_environment_then_the_profile() {
    let home = home_with_config(CONFIG);
    let env = env_with_home(home.path(), &[("ALIBABA_CLOUD_REGION_ID", "eu-central-1")]);
    assert_eq!(
        block_on(default_region(&env)).unwrap().as_deref(),
        Some("eu-central-1")
    );

    let env = env_with_home(home.path(), &[]);
    assert_eq!(
        block_on(default_region(&env)).unwrap().as_deref(),
        Some("cn-shanghai")
    );

    let env = env_with_home(home.path(), &[("ALIBABA_CLOUD_PROFILE", "temp")]);
    assert_eq!(
        block_on(default_region(&env)).unwrap().as_deref(),
        Some("ap-southeast-1")
    );

    // A profile without a region, and no file at all: no region.
    let env = env_with_home(home.path(), &[("ALIBABA_CLOUD_PROFILE", "role")]);
    assert_eq!(block_on(default_region(&env)).unwrap(), None);
    let empty = tempfile::tempdir().unwrap();
    assert_eq!(
        block_on(default_region(&env_with_home(empty.path(), &[]))).unwrap(),
        None
    );

    // A file that cannot be parsed is an error, not a silent fallback.
    let bad = home_with_config("{");
    assert!(block_on(default_region(&env_with_home(bad.path(), &[]))).is_err());
}

#[test]
fn every_error_is_free_of_secrets() {
    let home = home_with_config(CONFIG);
    let mut errors = Vec::new();
    for profile in ["role", "broken", "nope"] {
        let env = env_with_home(home.path(), &[("ALIBABA_CLOUD_PROFILE", profile)]);
        errors.push(ProfileProvider::new(env).load_now().unwrap_err());
    }
    errors.push(
        EnvironmentProvider::new(Environment::from_vars([
            ("ALIBABA_CLOUD_ACCESS_KEY_SECRET", SECRET),
            ("ALIBABA_CLOUD_SECURITY_TOKEN", TOKEN),
        ]))
        .load()
        .unwrap_err(),
    );
    for err in errors {
        assert_no_secret(&err.to_string());
        assert_no_secret(&format!("{err:?}"));
    }
}

/// Has nothing, and counts how often it was asked.
#[derive(Debug, Default)]
struct Empty(std::sync::atomic::AtomicUsize);

impl ProvideCredentials for Empty {
    fn provide_credentials(&self) -> acs_runtime::credentials::CredentialsFuture<'_> {
        self.0.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        Box::pin(std::future::ready(Err(CredentialsError::NotFound {
            searched: vec!["nowhere".to_owned()],
        })))
    }
}

#[test]
fn a_chain_keeps_asking_the_provider_that_had_credentials() {
    let empty = Arc::new(Empty::default());
    let chain = CredentialsChain::new()
        .push_shared(empty.clone())
        .push(Credentials::new("LTAIfound", SECRET));
    for _ in 0..3 {
        let found = block_on(chain.provide_credentials()).unwrap();
        assert_eq!(found.access_key_id(), "LTAIfound");
    }
    assert_eq!(empty.0.load(std::sync::atomic::Ordering::SeqCst), 1);
}

/// A metadata service in memory: session tokens on `PUT`, and on each read of the role fresh
/// credentials that expire `n` hours after 2030-01-01T00:00:00Z, `n` counting the reads.
fn metadata_in_memory() -> Arc<InMemoryTransport> {
    let reads = std::sync::atomic::AtomicUsize::new(0);
    let tokens = std::sync::atomic::AtomicUsize::new(0);
    Arc::new(InMemoryTransport::from_fn(move |request| {
        if request.method == "PUT" {
            let n = tokens.fetch_add(1, Ordering::SeqCst) + 1;
            return Ok(HttpResponse::new(200, format!("md-token-{n}")));
        }
        let n = reads.fetch_add(1, Ordering::SeqCst) + 1;
        let body = serde_json::json!({
            "Code": "Success",
            "AccessKeyId": format!("STS.ecs.{n}"),
            "AccessKeySecret": SECRET,
            "SecurityToken": TOKEN,
            "Expiration": format!("2030-01-01T{n:02}:00:00Z"),
        });
        Ok(HttpResponse::new(200, body.to_string()))
    }))
}

#[tokio::test(start_paused = true)]
async fn a_metadata_session_token_lives_its_ttl_in_elapsed_time_not_by_the_wall_clock() {
    // The wall clock, in minutes after 2030-01-01T00:00:00Z.
    let minutes = Arc::new(std::sync::atomic::AtomicU64::new(0));
    let wall = {
        let minutes = Arc::clone(&minutes);
        move || {
            std::time::SystemTime::UNIX_EPOCH
                + Duration::from_secs(1_893_456_000 + 60 * minutes.load(Ordering::SeqCst))
        }
    };
    let transport = metadata_in_memory();
    let provider = EcsRamRoleProvider::builder()
        .role_name("EcsRole")
        .token_ttl(Duration::from_secs(600))
        .hardened_only()
        .services(
            CredentialServices::new()
                .transport(transport.clone())
                .metadata_endpoint("http://metadata.test")
                .clock(Arc::new(wall)),
        )
        .build();
    let token_requests = || {
        transport
            .requests()
            .iter()
            .filter(|request| request.method == "PUT")
            .count()
    };
    let sent_token = || {
        transport
            .requests()
            .last()
            .and_then(|request| request.header("x-aliyun-ecs-metadata-token"))
            .map(str::to_owned)
    };

    let first = provider.provide_credentials().await.unwrap();
    assert_eq!(first.access_key_id(), "STS.ecs.1");
    assert_eq!(token_requests(), 1);

    // The wall clock is set 50 minutes ahead, no time having passed: the credentials are due
    // by their expiry, but the 10-minute session token is as young as it was.
    minutes.fetch_add(50, Ordering::SeqCst);
    let second = provider.provide_credentials().await.unwrap();
    assert_eq!(second.access_key_id(), "STS.ecs.2");
    assert_eq!(token_requests(), 1, "{:?}", transport.requests());
    assert_eq!(sent_token().as_deref(), Some("md-token-1"));

    // Ten minutes pass: the token's life is over, and the next read asks for a new one.
    tokio::time::advance(Duration::from_secs(600)).await;
    minutes.fetch_add(60, Ordering::SeqCst);
    let third = provider.provide_credentials().await.unwrap();
    assert_eq!(third.access_key_id(), "STS.ecs.3");
    assert_eq!(token_requests(), 2, "{:?}", transport.requests());
    assert_eq!(sent_token().as_deref(), Some("md-token-2"));
}
