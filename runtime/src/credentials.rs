//! Credentials and where they come from: keys given in code, the environment, the Alibaba Cloud
//! CLI's profile file, and a default chain of the three.
//!
//! [`ProvideCredentials`] returns a boxed future so that providers which must ask a service (an
//! ECS RAM role, an STS AssumeRole) fit behind the same trait later. The providers here only read
//! the environment and one small file; they do it synchronously inside the future, which keeps them
//! independent of any async runtime.
//!
//! The process environment and the home directory are reached only through [`Environment`], so
//! tests pass a map instead of mutating the process.

use std::collections::HashMap;
use std::fmt;
use std::future::{Future, ready};
use std::path::{Path, PathBuf};
use std::pin::Pin;
use std::sync::Arc;

use serde::Deserialize;

/// Environment variable holding the AccessKey ID.
pub const ENV_ACCESS_KEY_ID: &str = "ALIBABA_CLOUD_ACCESS_KEY_ID";
/// Environment variable holding the AccessKey secret.
pub const ENV_ACCESS_KEY_SECRET: &str = "ALIBABA_CLOUD_ACCESS_KEY_SECRET";
/// Environment variable holding an STS security token.
pub const ENV_SECURITY_TOKEN: &str = "ALIBABA_CLOUD_SECURITY_TOKEN";
/// Environment variable naming the CLI profile to use instead of the file's `current`.
pub const ENV_PROFILE: &str = "ALIBABA_CLOUD_PROFILE";
/// Environment variable that, set to `true`, keeps the CLI profile file out of the default chain.
pub const ENV_CLI_PROFILE_DISABLED: &str = "ALIBABA_CLOUD_CLI_PROFILE_DISABLED";
/// Environment variable holding the default region.
pub const ENV_REGION_ID: &str = "ALIBABA_CLOUD_REGION_ID";

/// Text shown in place of a secret.
const REDACTED: &str = "** redacted **";

/// An AccessKey pair, with a security token when it is temporary (STS).
///
/// `Debug` and `Display` never show the secret or the token; the secret is reachable only through
/// [`Credentials::access_key_secret`].
#[derive(Clone, PartialEq, Eq)]
pub struct Credentials {
    access_key_id: String,
    access_key_secret: String,
    security_token: Option<String>,
}

impl Credentials {
    /// A long-term AccessKey pair.
    pub fn new(access_key_id: impl Into<String>, access_key_secret: impl Into<String>) -> Self {
        Credentials {
            access_key_id: access_key_id.into(),
            access_key_secret: access_key_secret.into(),
            security_token: None,
        }
    }

    /// Temporary credentials: the pair with its STS security token.
    pub fn with_security_token(mut self, security_token: impl Into<String>) -> Self {
        self.security_token = Some(security_token.into());
        self
    }

    /// The AccessKey ID (sent in the clear, in `Authorization` or `AccessKeyId`).
    pub fn access_key_id(&self) -> &str {
        &self.access_key_id
    }

    /// The AccessKey secret, for signing. Never log it.
    pub fn access_key_secret(&self) -> &str {
        &self.access_key_secret
    }

    /// The STS security token, when the credentials are temporary. Never log it.
    pub fn security_token(&self) -> Option<&str> {
        self.security_token.as_deref()
    }

    /// The values no text the SDK shows may hold: the secret, and the token when there is one.
    pub(crate) fn secrets(&self) -> Vec<&str> {
        let mut secrets = vec![self.access_key_secret.as_str()];
        secrets.extend(self.security_token());
        secrets
    }
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials")
            .field("access_key_id", &self.access_key_id)
            .field("access_key_secret", &REDACTED)
            .field(
                "security_token",
                &self.security_token.as_ref().map(|_| REDACTED),
            )
            .finish()
    }
}

impl fmt::Display for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "AccessKey {}", self.access_key_id)?;
        if self.security_token.is_some() {
            f.write_str(" with a security token")?;
        }
        Ok(())
    }
}

/// Why no credentials could be had. Never carries a secret or a token.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CredentialsError {
    /// No provider had credentials; `searched` names every place looked at, in order.
    #[error("no credentials found; looked in: {}", searched.join("; "))]
    NotFound {
        /// Each place looked at, with what was missing there.
        searched: Vec<String>,
    },
    /// A place holds part of a credential but not all of it.
    #[error("{origin}: {problem}")]
    Incomplete {
        /// Where the partial credential was found.
        origin: String,
        /// What is missing.
        problem: String,
    },
    /// The CLI profile file exists but cannot be used.
    #[error("profile file {}: {problem}", path.display())]
    ProfileFile {
        /// The file.
        path: PathBuf,
        /// What is wrong with it (never its content).
        problem: String,
    },
    /// The profile asked for is not in the file.
    #[error("profile `{profile}` is not in {} (profiles there: {}); set {ENV_PROFILE} or `current` to one of them", path.display(), if available.is_empty() { "none".to_owned() } else { available.join(", ") })]
    ProfileNotFound {
        /// The file.
        path: PathBuf,
        /// The profile asked for.
        profile: String,
        /// The profiles the file has.
        available: Vec<String>,
    },
    /// The profile uses an authentication mode this SDK cannot use yet.
    #[error("profile `{profile}` in {} uses mode `{mode}`, which is not supported; supported modes: AK, StsToken", path.display())]
    UnsupportedMode {
        /// The file.
        path: PathBuf,
        /// The profile.
        profile: String,
        /// The profile's mode.
        mode: String,
    },
    /// A custom provider failed.
    #[error("credentials provider failed: {0}")]
    Provider(String),
}

/// The future a [`ProvideCredentials`] returns.
pub type CredentialsFuture<'a> =
    Pin<Box<dyn Future<Output = Result<Credentials, CredentialsError>> + Send + 'a>>;

/// A source of credentials, asked once per request (so a provider may rotate them).
///
/// Return [`CredentialsError::NotFound`] when the source simply has nothing, so that a chain
/// goes on to the next source; any other error stops the chain, because a source that is set up
/// but broken should be mended, not skipped.
pub trait ProvideCredentials: Send + Sync + fmt::Debug {
    /// The current credentials.
    fn provide_credentials(&self) -> CredentialsFuture<'_>;
}

impl<T: ProvideCredentials + ?Sized> ProvideCredentials for Arc<T> {
    fn provide_credentials(&self) -> CredentialsFuture<'_> {
        (**self).provide_credentials()
    }
}

impl ProvideCredentials for Credentials {
    fn provide_credentials(&self) -> CredentialsFuture<'_> {
        Box::pin(ready(Ok(self.clone())))
    }
}

/// How an [`Environment`] looks a variable up.
type VarLookup = dyn Fn(&str) -> Option<String> + Send + Sync;

/// A way to read environment variables; the process's by default, a map in tests.
#[derive(Clone)]
pub struct Environment {
    lookup: Arc<VarLookup>,
    home: Option<PathBuf>,
}

impl Environment {
    /// The process environment.
    pub fn process() -> Self {
        Environment {
            lookup: Arc::new(|name| std::env::var(name).ok()),
            home: None,
        }
    }

    /// A fixed set of variables, and nothing else.
    pub fn from_vars<I, K, V>(vars: I) -> Self
    where
        I: IntoIterator<Item = (K, V)>,
        K: Into<String>,
        V: Into<String>,
    {
        let map: HashMap<String, String> = vars
            .into_iter()
            .map(|(name, value)| (name.into(), value.into()))
            .collect();
        Environment {
            lookup: Arc::new(move |name| map.get(name).cloned()),
            home: None,
        }
    }

    /// Variables read through a closure.
    pub fn from_fn(lookup: impl Fn(&str) -> Option<String> + Send + Sync + 'static) -> Self {
        Environment {
            lookup: Arc::new(lookup),
            home: None,
        }
    }

    /// The same variables with the home directory set explicitly (instead of `HOME`).
    pub fn with_home_dir(mut self, home: impl Into<PathBuf>) -> Self {
        self.home = Some(home.into());
        self
    }

    /// The variable's value; `None` when it is unset or empty, since an empty key is never
    /// meant.
    pub fn var(&self, name: &str) -> Option<String> {
        (self.lookup)(name).filter(|value| !value.is_empty())
    }

    /// The home directory: the explicit one, else `HOME`, else `USERPROFILE` (Windows).
    pub fn home_dir(&self) -> Option<PathBuf> {
        self.home
            .clone()
            .or_else(|| self.var("HOME").map(PathBuf::from))
            .or_else(|| self.var("USERPROFILE").map(PathBuf::from))
    }

    /// The CLI profile file, `~/.aliyun/config.json`, when there is a home directory.
    pub fn cli_profile_path(&self) -> Option<PathBuf> {
        self.home_dir()
            .map(|home| home.join(".aliyun").join("config.json"))
    }
}

impl fmt::Debug for Environment {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Environment")
            .field("home", &self.home)
            .finish_non_exhaustive()
    }
}

/// Credentials from `ALIBABA_CLOUD_ACCESS_KEY_ID`, `ALIBABA_CLOUD_ACCESS_KEY_SECRET` and, for
/// temporary credentials, `ALIBABA_CLOUD_SECURITY_TOKEN`.
#[derive(Debug, Clone)]
pub struct EnvironmentProvider {
    env: Environment,
}

impl EnvironmentProvider {
    /// Reads the given environment.
    pub fn new(env: Environment) -> Self {
        EnvironmentProvider { env }
    }

    /// The credentials, read now.
    pub fn load(&self) -> Result<Credentials, CredentialsError> {
        let id = self.env.var(ENV_ACCESS_KEY_ID);
        let secret = self.env.var(ENV_ACCESS_KEY_SECRET);
        let token = self.env.var(ENV_SECURITY_TOKEN);
        let origin = || "environment".to_owned();
        match (id, secret) {
            (Some(id), Some(secret)) => {
                let credentials = Credentials::new(id, secret);
                Ok(match token {
                    Some(token) => credentials.with_security_token(token),
                    None => credentials,
                })
            }
            (Some(_), None) => Err(CredentialsError::Incomplete {
                origin: origin(),
                problem: format!("{ENV_ACCESS_KEY_ID} is set but {ENV_ACCESS_KEY_SECRET} is not"),
            }),
            (None, Some(_)) => Err(CredentialsError::Incomplete {
                origin: origin(),
                problem: format!("{ENV_ACCESS_KEY_SECRET} is set but {ENV_ACCESS_KEY_ID} is not"),
            }),
            (None, None) if token.is_some() => Err(CredentialsError::Incomplete {
                origin: origin(),
                problem: format!(
                    "{ENV_SECURITY_TOKEN} is set but {ENV_ACCESS_KEY_ID} and {ENV_ACCESS_KEY_SECRET} are not"
                ),
            }),
            (None, None) => Err(CredentialsError::NotFound {
                searched: vec![format!(
                    "environment ({ENV_ACCESS_KEY_ID} and {ENV_ACCESS_KEY_SECRET} not set)"
                )],
            }),
        }
    }
}

impl ProvideCredentials for EnvironmentProvider {
    fn provide_credentials(&self) -> CredentialsFuture<'_> {
        Box::pin(ready(self.load()))
    }
}

/// Credentials from a profile of the Alibaba Cloud CLI's file, `~/.aliyun/config.json`.
///
/// The profile is the one named by `ALIBABA_CLOUD_PROFILE`, else the file's `current`. Modes
/// `AK` and `StsToken` are read; any other mode is an error naming it.
#[derive(Debug, Clone)]
pub struct ProfileProvider {
    env: Environment,
    path: Option<PathBuf>,
    profile: Option<String>,
}

impl ProfileProvider {
    /// The CLI's file under the environment's home directory.
    pub fn new(env: Environment) -> Self {
        ProfileProvider {
            env,
            path: None,
            profile: None,
        }
    }

    /// Reads this file instead of `~/.aliyun/config.json`.
    pub fn with_path(mut self, path: impl Into<PathBuf>) -> Self {
        self.path = Some(path.into());
        self
    }

    /// Uses this profile, whatever `ALIBABA_CLOUD_PROFILE` and `current` say.
    pub fn with_profile(mut self, profile: impl Into<String>) -> Self {
        self.profile = Some(profile.into());
        self
    }

    fn path(&self) -> Option<PathBuf> {
        self.path.clone().or_else(|| self.env.cli_profile_path())
    }

    /// The credentials, read now.
    pub fn load(&self) -> Result<Credentials, CredentialsError> {
        let Some(path) = self.path() else {
            return Err(CredentialsError::NotFound {
                searched: vec!["CLI profile file (no home directory: HOME is not set)".to_owned()],
            });
        };
        let Some(file) = ProfileFile::read(&path)? else {
            return Err(CredentialsError::NotFound {
                searched: vec![format!(
                    "CLI profile file {} (no such file)",
                    path.display()
                )],
            });
        };
        let explicit = self.profile.clone().or_else(|| self.env.var(ENV_PROFILE));
        let profile = file.select(&path, explicit.as_deref())?;
        profile.credentials(&path)
    }
}

impl ProvideCredentials for ProfileProvider {
    fn provide_credentials(&self) -> CredentialsFuture<'_> {
        Box::pin(ready(self.load()))
    }
}

/// The parts of the CLI's `config.json` this SDK reads. Every other field is ignored.
#[derive(Debug, Deserialize)]
struct ProfileFile {
    #[serde(default)]
    current: Option<String>,
    #[serde(default)]
    profiles: Vec<Profile>,
}

/// One profile of the CLI's file. Deliberately not `Debug`: it holds the secret.
#[derive(Deserialize)]
struct Profile {
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    mode: Option<String>,
    #[serde(default)]
    access_key_id: Option<String>,
    #[serde(default)]
    access_key_secret: Option<String>,
    #[serde(default)]
    sts_token: Option<String>,
    #[serde(default)]
    region_id: Option<String>,
}

impl fmt::Debug for Profile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Profile")
            .field("name", &self.name)
            .field("mode", &self.mode)
            .finish_non_exhaustive()
    }
}

fn non_empty(value: &Option<String>) -> Option<&str> {
    value.as_deref().filter(|value| !value.is_empty())
}

impl ProfileFile {
    /// The file, `None` when it does not exist.
    fn read(path: &Path) -> Result<Option<Self>, CredentialsError> {
        let bytes = match std::fs::read(path) {
            Ok(bytes) => bytes,
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(err) => {
                return Err(CredentialsError::ProfileFile {
                    path: path.to_owned(),
                    problem: format!("cannot be read: {err}"),
                });
            }
        };
        let mut deserializer = serde_json::Deserializer::from_slice(&bytes);
        serde_path_to_error::deserialize(&mut deserializer)
            .map(Some)
            .map_err(|err| {
                // serde's own message may quote the offending value, which may be the secret:
                // report only where it is and what kind of fault it is.
                let inner = err.inner();
                let kind = match inner.classify() {
                    serde_json::error::Category::Syntax => "not valid JSON",
                    serde_json::error::Category::Eof => "JSON that ends too early",
                    serde_json::error::Category::Data => "a value of the wrong type",
                    serde_json::error::Category::Io => "unreadable",
                };
                let at = err.path().to_string();
                let at = if at == "." {
                    String::new()
                } else {
                    format!(" at `{at}`")
                };
                CredentialsError::ProfileFile {
                    path: path.to_owned(),
                    problem: format!(
                        "{kind}{at} (line {}, column {})",
                        inner.line(),
                        inner.column()
                    ),
                }
            })
    }

    /// The profile named explicitly, else `current`.
    fn select(&self, path: &Path, explicit: Option<&str>) -> Result<&Profile, CredentialsError> {
        let Some(name) = explicit.or_else(|| non_empty(&self.current)) else {
            return Err(CredentialsError::ProfileFile {
                path: path.to_owned(),
                problem: format!("it names no `current` profile and {ENV_PROFILE} is not set"),
            });
        };
        self.profiles
            .iter()
            .find(|profile| profile.name.as_deref() == Some(name))
            .ok_or_else(|| CredentialsError::ProfileNotFound {
                path: path.to_owned(),
                profile: name.to_owned(),
                available: self
                    .profiles
                    .iter()
                    .filter_map(|profile| profile.name.clone())
                    .collect(),
            })
    }
}

impl Profile {
    fn name(&self) -> &str {
        self.name.as_deref().unwrap_or_default()
    }

    fn credentials(&self, path: &Path) -> Result<Credentials, CredentialsError> {
        let mode = non_empty(&self.mode).unwrap_or_default();
        let needs_token = match mode {
            "AK" => false,
            "StsToken" => true,
            _ => {
                return Err(CredentialsError::UnsupportedMode {
                    path: path.to_owned(),
                    profile: self.name().to_owned(),
                    mode: if mode.is_empty() { "(none)" } else { mode }.to_owned(),
                });
            }
        };
        let incomplete = |field: &str| CredentialsError::Incomplete {
            origin: format!("profile `{}` in {}", self.name(), path.display()),
            problem: format!("mode {mode} needs `{field}`, which is missing or empty"),
        };
        let id = non_empty(&self.access_key_id).ok_or_else(|| incomplete("access_key_id"))?;
        let secret =
            non_empty(&self.access_key_secret).ok_or_else(|| incomplete("access_key_secret"))?;
        let credentials = Credentials::new(id, secret);
        if needs_token {
            let token = non_empty(&self.sts_token).ok_or_else(|| incomplete("sts_token"))?;
            Ok(credentials.with_security_token(token))
        } else {
            Ok(credentials)
        }
    }
}

/// Providers asked in order; the first that has credentials wins.
///
/// A provider that has nothing ([`CredentialsError::NotFound`]) passes to the next; any other
/// error stops the chain. When none has credentials, the error lists every place looked at.
#[derive(Debug, Clone, Default)]
pub struct CredentialsChain {
    providers: Vec<Arc<dyn ProvideCredentials>>,
}

impl CredentialsChain {
    /// An empty chain (which finds nothing).
    pub fn new() -> Self {
        Self::default()
    }

    /// The default chain: `explicit` when given, then the environment, then the CLI profile file
    /// (unless `ALIBABA_CLOUD_CLI_PROFILE_DISABLED=true`).
    pub fn default_chain(explicit: Option<Credentials>, env: Environment) -> Self {
        let mut chain = CredentialsChain::new();
        if let Some(explicit) = explicit {
            chain = chain.push(explicit);
        }
        chain = chain.push(EnvironmentProvider::new(env.clone()));
        let profile_disabled = env
            .var(ENV_CLI_PROFILE_DISABLED)
            .is_some_and(|value| value.eq_ignore_ascii_case("true"));
        if !profile_disabled {
            chain = chain.push(ProfileProvider::new(env));
        }
        chain
    }

    /// Appends a provider, asked after those already in the chain.
    pub fn push(mut self, provider: impl ProvideCredentials + 'static) -> Self {
        self.providers.push(Arc::new(provider));
        self
    }

    /// Appends a shared provider.
    pub fn push_shared(mut self, provider: Arc<dyn ProvideCredentials>) -> Self {
        self.providers.push(provider);
        self
    }

    async fn resolve(&self) -> Result<Credentials, CredentialsError> {
        let mut searched = Vec::new();
        for provider in &self.providers {
            match provider.provide_credentials().await {
                Ok(credentials) => return Ok(credentials),
                Err(CredentialsError::NotFound { searched: places }) => searched.extend(places),
                Err(other) => return Err(other),
            }
        }
        if searched.is_empty() {
            searched.push("no credentials providers are configured".to_owned());
        }
        Err(CredentialsError::NotFound { searched })
    }
}

impl ProvideCredentials for CredentialsChain {
    fn provide_credentials(&self) -> CredentialsFuture<'_> {
        Box::pin(self.resolve())
    }
}

/// The default region: `ALIBABA_CLOUD_REGION_ID`, else the CLI profile's `region_id`, else
/// `None`.
///
/// The profile is the one the credentials would come from (`ALIBABA_CLOUD_PROFILE`, else
/// `current`). A missing file, an unnamed or absent profile means no region; a file that cannot
/// be parsed is an error, since the caller would otherwise silently get another region.
pub fn default_region(env: &Environment) -> Result<Option<String>, CredentialsError> {
    if let Some(region) = env.var(ENV_REGION_ID) {
        return Ok(Some(region));
    }
    let profile_disabled = env
        .var(ENV_CLI_PROFILE_DISABLED)
        .is_some_and(|value| value.eq_ignore_ascii_case("true"));
    if profile_disabled {
        return Ok(None);
    }
    let Some(path) = env.cli_profile_path() else {
        return Ok(None);
    };
    let Some(file) = ProfileFile::read(&path)? else {
        return Ok(None);
    };
    let explicit = env.var(ENV_PROFILE);
    Ok(file
        .select(&path, explicit.as_deref())
        .ok()
        .and_then(|profile| non_empty(&profile.region_id).map(str::to_owned)))
}
