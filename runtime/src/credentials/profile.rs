//! A profile of the Alibaba Cloud CLI's file (`~/.aliyun/config.json`, or
//! `ALIBABA_CLOUD_CONFIG_FILE`), in every mode the CLI writes that yields keys: `AK`, `StsToken`,
//! `RamRoleArn`, `EcsRamRole`, `ChainableRamRoleArn`, `OIDC` and `CredentialsURI`.

use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use serde::Deserialize;
use tokio::sync::OnceCell;

use super::error::CredentialsError;
use super::local_file::{FileReadError, FileReader};
use super::{
    CredentialServices, Credentials, CredentialsFuture, CredentialsUriProvider, ENV_PROFILE,
    EcsRamRoleProvider, Environment, OidcProvider, ProvideCredentials, RamRoleArnProvider,
    StsEndpoint,
};
use super::{ENV_STS_REGION, ENV_VPC_ENDPOINT_ENABLED};

/// How deep `ChainableRamRoleArn` profiles may name each other's `source_profile`: a longer
/// chain is a loop.
const MAX_SOURCE_DEPTH: usize = 8;

/// The largest profile file read: the CLI's files are a few KiB, and a file that is not one
/// (a device, a log) must not be read whole into memory.
const MAX_PROFILE_FILE_BYTES: u64 = 4 * 1024 * 1024;

/// Credentials from a profile of the Alibaba Cloud CLI's file.
///
/// The file is `ALIBABA_CLOUD_CONFIG_FILE`, else `~/.aliyun/config.json`; the profile is the one
/// named by `ALIBABA_CLOUD_PROFILE`, else the file's `current`. The profile is read at the first
/// call and what it configures (an assumed role, the ECS role...) is built once, however many
/// calls come first, and kept with its cache for every later call (and every clone). The file
/// is read off the async threads, within a few seconds.
#[derive(Clone)]
pub struct ProfileProvider {
    env: Environment,
    path: Option<PathBuf>,
    profile: Option<String>,
    services: CredentialServices,
    reader: Arc<FileReader>,
    resolved: Arc<OnceCell<Arc<dyn ProvideCredentials>>>,
}

impl fmt::Debug for ProfileProvider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ProfileProvider")
            .field("path", &self.path())
            .field("profile", &self.profile)
            .finish_non_exhaustive()
    }
}

impl ProfileProvider {
    /// The CLI's file the environment names.
    pub fn new(env: Environment) -> Self {
        ProfileProvider {
            env,
            path: None,
            profile: None,
            services: CredentialServices::default(),
            reader: Arc::new(ProfileFile::reader()),
            resolved: Arc::new(OnceCell::new()),
        }
    }

    /// Reads this file instead of the one the environment names.
    #[must_use]
    pub fn with_path(mut self, path: impl Into<PathBuf>) -> Self {
        self.path = Some(path.into());
        self
    }

    /// Uses this profile, whatever `ALIBABA_CLOUD_PROFILE` and `current` say.
    #[must_use]
    pub fn with_profile(mut self, profile: impl Into<String>) -> Self {
        self.profile = Some(profile.into());
        self
    }

    /// Reaches STS and the metadata service, for the modes that call them, through these
    /// settings.
    #[must_use]
    pub fn with_services(mut self, services: CredentialServices) -> Self {
        self.services = services;
        self
    }

    fn path(&self) -> Option<PathBuf> {
        self.path.clone().or_else(|| self.env.cli_profile_path())
    }

    /// The provider the profile configures, read from the file now.
    async fn resolve(&self) -> Result<Arc<dyn ProvideCredentials>, CredentialsError> {
        let Some(path) = self.path() else {
            return Err(CredentialsError::not_found(
                "CLI profile file (no home directory: HOME is not set)",
            ));
        };
        let Some(file) = ProfileFile::load(&self.reader, &path).await? else {
            return Err(CredentialsError::not_found(format!(
                "CLI profile file {} (no such file)",
                path.display()
            )));
        };
        let explicit = self.profile.clone().or_else(|| self.env.var(ENV_PROFILE));
        let profile = file.select(&path, explicit.as_deref())?;
        let reading = Reading {
            env: &self.env,
            file: &file,
            path: &path,
            services: &self.services,
        };
        reading.provider(profile, 0)
    }

    async fn credentials(&self) -> Result<Credentials, CredentialsError> {
        // Calls that come while the first one reads the file wait for its provider rather than
        // each building one (and each assuming the role). A failure is not kept: the next call
        // reads the file again.
        let provider = self.resolved.get_or_try_init(|| self.resolve()).await?;
        provider.provide_credentials().await
    }
}

impl ProvideCredentials for ProfileProvider {
    fn provide_credentials(&self) -> CredentialsFuture<'_> {
        Box::pin(self.credentials())
    }
}

/// The parts of the CLI's `config.json` this SDK reads. Every other field is ignored.
#[derive(Debug, Deserialize)]
pub(crate) struct ProfileFile {
    #[serde(default)]
    current: Option<String>,
    #[serde(default)]
    profiles: Vec<Profile>,
}

/// One profile of the CLI's file. Deliberately not `Debug`: it holds the secret.
#[derive(Deserialize, Default)]
#[serde(default)]
pub(crate) struct Profile {
    name: Option<String>,
    mode: Option<String>,
    access_key_id: Option<String>,
    access_key_secret: Option<String>,
    sts_token: Option<String>,
    ram_role_arn: Option<String>,
    ram_session_name: Option<String>,
    role_session_name: Option<String>,
    expired_seconds: Option<u64>,
    policy: Option<String>,
    external_id: Option<String>,
    sts_region: Option<String>,
    enable_vpc: Option<bool>,
    ram_role_name: Option<String>,
    source_profile: Option<String>,
    oidc_provider_arn: Option<String>,
    oidc_token_file: Option<String>,
    credentials_uri: Option<String>,
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
    /// A reader of profile files: at most [`MAX_PROFILE_FILE_BYTES`] each.
    pub(crate) const fn reader() -> FileReader {
        FileReader::new(MAX_PROFILE_FILE_BYTES)
    }

    /// The file at `path`, read through `reader` (one of [`ProfileFile::reader`]); `None` when
    /// it does not exist.
    pub(crate) async fn load(
        reader: &FileReader,
        path: &Path,
    ) -> Result<Option<Self>, CredentialsError> {
        let bytes = match reader.read(path).await {
            Ok(bytes) => bytes,
            Err(FileReadError::NotFound) => return Ok(None),
            Err(FileReadError::TooLarge(limit)) => {
                return Err(CredentialsError::ProfileFile {
                    path: path.to_owned(),
                    problem: format!("it is over {limit} bytes, which no CLI writes"),
                });
            }
            Err(err) => {
                return Err(CredentialsError::ProfileFile {
                    path: path.to_owned(),
                    problem: format!("it {err}"),
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
    pub(crate) fn select(
        &self,
        path: &Path,
        explicit: Option<&str>,
    ) -> Result<&Profile, CredentialsError> {
        let Some(name) = explicit.or_else(|| non_empty(&self.current)) else {
            return Err(CredentialsError::ProfileFile {
                path: path.to_owned(),
                problem: format!("it names no `current` profile and {ENV_PROFILE} is not set"),
            });
        };
        self.named(path, name)
    }

    fn named(&self, path: &Path, name: &str) -> Result<&Profile, CredentialsError> {
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

    pub(crate) fn region_id(&self) -> Option<&str> {
        non_empty(&self.region_id)
    }

    /// The profile's `sts_region` and `enable_vpc`, each falling back to the environment's
    /// `ALIBABA_CLOUD_STS_REGION` and `ALIBABA_CLOUD_VPC_ENDPOINT_ENABLED`, as the official
    /// libraries read them.
    fn sts_endpoint(&self, env: &Environment) -> StsEndpoint {
        let region = non_empty(&self.sts_region)
            .map(str::to_owned)
            .or_else(|| env.var(ENV_STS_REGION));
        let vpc = self
            .enable_vpc
            .unwrap_or_else(|| env.is_true(ENV_VPC_ENDPOINT_ENABLED));
        if vpc {
            StsEndpoint::vpc(region.as_deref())
        } else {
            StsEndpoint::regional(region.as_deref())
        }
    }

    fn session_name(&self) -> Option<&str> {
        non_empty(&self.ram_session_name).or_else(|| non_empty(&self.role_session_name))
    }

    /// `expired_seconds`, when set to something other than 0 (the CLI writes 0 for "default").
    fn duration(&self) -> Option<Duration> {
        self.expired_seconds
            .filter(|seconds| *seconds > 0)
            .map(Duration::from_secs)
    }
}

/// One read of the file, resolving a profile (and the profiles it names) into a provider.
struct Reading<'a> {
    env: &'a Environment,
    file: &'a ProfileFile,
    path: &'a Path,
    services: &'a CredentialServices,
}

impl Reading<'_> {
    fn incomplete(&self, profile: &Profile, mode: &str, field: &str) -> CredentialsError {
        CredentialsError::Incomplete {
            origin: format!("profile `{}` in {}", profile.name(), self.path.display()),
            problem: format!("mode {mode} needs `{field}`, which is missing or empty"),
        }
    }

    fn field<'p>(
        &self,
        profile: &'p Profile,
        mode: &str,
        value: &'p Option<String>,
        field: &str,
    ) -> Result<&'p str, CredentialsError> {
        non_empty(value).ok_or_else(|| self.incomplete(profile, mode, field))
    }

    fn keys(&self, profile: &Profile, mode: &str) -> Result<Credentials, CredentialsError> {
        let id = self.field(profile, mode, &profile.access_key_id, "access_key_id")?;
        let secret = self.field(
            profile,
            mode,
            &profile.access_key_secret,
            "access_key_secret",
        )?;
        Ok(Credentials::new(id, secret))
    }

    fn provider(
        &self,
        profile: &Profile,
        depth: usize,
    ) -> Result<Arc<dyn ProvideCredentials>, CredentialsError> {
        let mode = non_empty(&profile.mode).unwrap_or_default();
        match mode {
            "AK" => Ok(Arc::new(self.keys(profile, mode)?)),
            "StsToken" => {
                let token = self.field(profile, mode, &profile.sts_token, "sts_token")?;
                Ok(Arc::new(
                    self.keys(profile, mode)?.with_security_token(token),
                ))
            }
            "RamRoleArn" => {
                let source: Arc<dyn ProvideCredentials> = Arc::new(self.keys(profile, mode)?);
                self.assumed_role(profile, mode, source)
            }
            "ChainableRamRoleArn" => {
                let source_name =
                    self.field(profile, mode, &profile.source_profile, "source_profile")?;
                if depth >= MAX_SOURCE_DEPTH {
                    return Err(CredentialsError::ProfileFile {
                        path: self.path.to_owned(),
                        problem: format!(
                            "profile `{}` names source profiles more than {MAX_SOURCE_DEPTH} deep: `source_profile` loops",
                            profile.name()
                        ),
                    });
                }
                let source = self.file.named(self.path, source_name)?;
                let source = self.provider(source, depth + 1)?;
                self.assumed_role(profile, mode, source)
            }
            "EcsRamRole" => {
                let mut builder = EcsRamRoleProvider::builder().services(self.services.clone());
                if let Some(role) = non_empty(&profile.ram_role_name) {
                    builder = builder.role_name(role);
                }
                Ok(Arc::new(builder.build()))
            }
            "OIDC" => {
                let role_arn = self.field(profile, mode, &profile.ram_role_arn, "ram_role_arn")?;
                let provider_arn = self.field(
                    profile,
                    mode,
                    &profile.oidc_provider_arn,
                    "oidc_provider_arn",
                )?;
                let token_file =
                    self.field(profile, mode, &profile.oidc_token_file, "oidc_token_file")?;
                let mut builder = OidcProvider::builder(role_arn, provider_arn, token_file)
                    .sts_endpoint(profile.sts_endpoint(self.env))
                    .services(self.services.clone());
                if let Some(name) = profile.session_name() {
                    builder = builder.session_name(name);
                }
                if let Some(duration) = profile.duration() {
                    builder = builder.duration(duration);
                }
                if let Some(policy) = non_empty(&profile.policy) {
                    builder = builder.policy(policy);
                }
                Ok(Arc::new(builder.build()?))
            }
            "CredentialsURI" => {
                let uri = self.field(profile, mode, &profile.credentials_uri, "credentials_uri")?;
                Ok(Arc::new(CredentialsUriProvider::new(uri, self.services)))
            }
            _ => Err(CredentialsError::UnsupportedMode {
                path: self.path.to_owned(),
                profile: profile.name().to_owned(),
                mode: if mode.is_empty() { "(none)" } else { mode }.to_owned(),
            }),
        }
    }

    fn assumed_role(
        &self,
        profile: &Profile,
        mode: &str,
        source: Arc<dyn ProvideCredentials>,
    ) -> Result<Arc<dyn ProvideCredentials>, CredentialsError> {
        let role_arn = self.field(profile, mode, &profile.ram_role_arn, "ram_role_arn")?;
        let mut builder = RamRoleArnProvider::builder(source, role_arn)
            .sts_endpoint(profile.sts_endpoint(self.env))
            .services(self.services.clone());
        if let Some(name) = profile.session_name() {
            builder = builder.session_name(name);
        }
        if let Some(duration) = profile.duration() {
            builder = builder.duration(duration);
        }
        if let Some(policy) = non_empty(&profile.policy) {
            builder = builder.policy(policy);
        }
        if let Some(external_id) = non_empty(&profile.external_id) {
            builder = builder.external_id(external_id);
        }
        Ok(Arc::new(builder.build()?))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sts_endpoint_is_the_profiles_else_the_environments() {
        let env = Environment::from_vars([
            ("ALIBABA_CLOUD_STS_REGION", "eu-central-1"),
            ("ALIBABA_CLOUD_VPC_ENDPOINT_ENABLED", "true"),
        ]);
        let bare = Profile::default();
        assert_eq!(
            bare.sts_endpoint(&env).url(),
            "https://sts-vpc.eu-central-1.aliyuncs.com"
        );
        let own = Profile {
            sts_region: Some("cn-beijing".to_owned()),
            enable_vpc: Some(false),
            ..Profile::default()
        };
        assert_eq!(
            own.sts_endpoint(&env).url(),
            "https://sts.cn-beijing.aliyuncs.com"
        );
        let nothing = Environment::from_vars::<[(&str, &str); 0], _, _>([]);
        assert_eq!(
            bare.sts_endpoint(&nothing).url(),
            "https://sts.aliyuncs.com"
        );
    }
}
