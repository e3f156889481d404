//! How a product's region turns into a host, and the caller's endpoint override.
//!
//! Each product carries its [`EndpointRule`] as data (emitted by the generator from the spec), so
//! per-region exceptions live in the spec rather than in code. [`EndpointRule::resolve`] applies
//! it; [`Endpoint::parse`] accepts the override a caller gives instead (a full URL, or a bare
//! host that then takes HTTPS).

use std::fmt;
use std::str::FromStr;

use crate::redact::excerpt::cut_for_error;

/// A product's endpoint rule, emitted by the generator as a `static`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EndpointRule {
    /// Host pattern for a region, with `{region_id}` in it (`ecs.{region_id}.aliyuncs.com`).
    pub regional: Option<&'static str>,
    /// The central host, used for `central_regions` and when no region is given.
    pub central: Option<&'static str>,
    /// Regions served by the central host.
    pub central_regions: &'static [&'static str],
    /// Per-region hosts that override every pattern: `(region, host)`.
    pub regions: &'static [(&'static str, &'static str)],
    /// Host patterns per network type (`("vpc", "swas-vpc.{region_id}.aliyuncs.com")`).
    pub networks: &'static [(&'static str, &'static str)],
}

/// The placeholder a host pattern carries for the region.
const REGION_PLACEHOLDER: &str = "{region_id}";

/// The network type every product has without naming it in its rule.
const PUBLIC_NETWORK: &str = "public";

impl EndpointRule {
    /// The endpoint for a region and network type (`None` or `"public"`: the public network).
    ///
    /// Tried in this order: the region's own host in `regions`; the central host for a region in
    /// `central_regions`; the network's pattern; the regional pattern; the central host.
    pub fn resolve(
        &self,
        region: Option<&str>,
        network: Option<&str>,
    ) -> Result<Endpoint, EndpointError> {
        let network = network.filter(|network| *network != PUBLIC_NETWORK);
        let Some(region) = region else {
            if let Some(network) = network {
                return Err(EndpointError::RegionRequired {
                    reason: format!(
                        "network type `{}` has a host per region",
                        cut_for_error(network)
                    ),
                });
            }
            return match self.central {
                Some(central) => Ok(Endpoint::https(central)),
                None => Err(EndpointError::RegionRequired {
                    reason: "the product has no central endpoint".to_owned(),
                }),
            };
        };
        check_region(region)?;

        if let Some((_, host)) = self.regions.iter().find(|(name, _)| *name == region) {
            return Ok(Endpoint::https(host));
        }
        if let Some(central) = self.central {
            if self.central_regions.contains(&region) {
                return Ok(Endpoint::https(central));
            }
        }
        if let Some(network) = network {
            return match self.networks.iter().find(|(name, _)| *name == network) {
                Some((_, pattern)) => Ok(Endpoint::https(
                    &pattern.replace(REGION_PLACEHOLDER, region),
                )),
                None => Err(EndpointError::UnknownNetwork {
                    network: cut_for_error(network),
                    known: std::iter::once(PUBLIC_NETWORK)
                        .chain(self.networks.iter().map(|(name, _)| *name))
                        .collect(),
                }),
            };
        }
        if let Some(pattern) = self.regional {
            return Ok(Endpoint::https(
                &pattern.replace(REGION_PLACEHOLDER, region),
            ));
        }
        match self.central {
            Some(central) => Ok(Endpoint::https(central)),
            None => Err(EndpointError::NoRule {
                region: cut_for_error(region),
            }),
        }
    }
}

/// A region must be one DNS label (`cn-hangzhou`, `ap-southeast-1`): it becomes part of a host
/// name, where anything else would at best fail to resolve and at worst address a host the caller
/// did not mean. A dot is refused too: `cn-hangzhou.log` in `ecs.{region_id}.aliyuncs.com` names
/// another Alibaba-run host, and `127.0.0.1` an address; no Alibaba region id has one.
fn check_region(region: &str) -> Result<(), EndpointError> {
    let invalid = |reason: &str| EndpointError::InvalidRegion {
        region: cut_for_error(region),
        reason: reason.to_owned(),
    };
    if region.is_empty() {
        return Err(invalid("it is empty"));
    }
    if region.contains('.') {
        return Err(invalid(
            "a region id is one name without dots (`cn-hangzhou`); a dot would address another host",
        ));
    }
    if region.len() > 63 {
        return Err(invalid("it is longer than 63 characters"));
    }
    if !region
        .bytes()
        .all(|byte| byte.is_ascii_alphanumeric() || byte == b'-')
    {
        return Err(invalid(
            "only ASCII letters, digits and `-` may appear in a region id",
        ));
    }
    if region.starts_with('-') || region.ends_with('-') {
        return Err(invalid("it starts or ends with `-`"));
    }
    Ok(())
}

/// Why an endpoint with a user name or password before its host is refused.
const CREDENTIALS_IN_URL: &str =
    "credentials do not belong in an endpoint URL (a key in a URL would leak into logs)";

/// URL scheme of an endpoint.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Scheme {
    /// TLS; every resolved endpoint and every override without a scheme.
    Https,
    /// Plain HTTP: only when an override asks for it (a local test server).
    Http,
}

impl Scheme {
    /// `https` or `http`.
    pub fn as_str(self) -> &'static str {
        match self {
            Scheme::Https => "https",
            Scheme::Http => "http",
        }
    }

    /// The port a URL of this scheme leaves out.
    fn default_port(self) -> u16 {
        match self {
            Scheme::Https => 443,
            Scheme::Http => 80,
        }
    }
}

/// Where requests go: a scheme, a host and an optional port. Either resolved from a rule, or
/// given by the caller as an override with [`Endpoint::parse`].
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Endpoint {
    scheme: Scheme,
    host: String,
    port: Option<u16>,
}

impl Endpoint {
    fn https(host: &str) -> Self {
        Endpoint {
            scheme: Scheme::Https,
            host: host.to_owned(),
            port: None,
        }
    }

    /// Parses an endpoint override: a full URL (`https://ecs.aliyuncs.com`,
    /// `http://127.0.0.1:8080`) or a bare host, optionally with a port (`ecs.aliyuncs.com`),
    /// which takes HTTPS. A path other than `/`, a query, a fragment or credentials in the URL are
    /// refused: RPC requests always go to `/`, and a key in a URL would leak into logs. The host
    /// must be ASCII: an international domain name is given in its `xn--` form.
    pub fn parse(input: &str) -> Result<Self, EndpointError> {
        let invalid = |reason: &str| EndpointError::InvalidUrl {
            input: cut_for_error(&crate::redact::url_without_credentials(input)),
            reason: cut_for_error(reason),
        };
        let trimmed = input.trim();
        if trimmed.is_empty() {
            return Err(invalid("it is empty"));
        }
        // An `@` has no place in a host, and no path, query or fragment is accepted: it can only
        // end a user name and password, which a `/` in them would hide from the URL parser
        // (`https://AK:se/cret@host` parses as host `AK` with a bad port).
        if trimmed.contains('@') {
            return Err(invalid(CREDENTIALS_IN_URL));
        }
        // Without a scheme, `host:port` would parse as scheme `host`.
        let with_scheme = if trimmed.contains("://") {
            trimmed.to_owned()
        } else {
            format!("https://{trimmed}")
        };
        let (scheme_text, rest) = with_scheme.split_once("://").unwrap_or_default();
        let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
        if authority_end == 0 {
            return Err(invalid("empty host"));
        }
        // Host names are looked up as they are written: an international one must be given in
        // its ASCII (`xn--`) form, which is what DNS and TLS certificates hold.
        if !rest[..authority_end].is_ascii() {
            return Err(invalid(
                "the host is not ASCII: give an international domain name in its `xn--` (punycode) form",
            ));
        }
        if rest.contains('#') {
            return Err(invalid("a query or fragment is not supported"));
        }
        let scheme = match scheme_text.to_ascii_lowercase().as_str() {
            "https" => Scheme::Https,
            "http" => Scheme::Http,
            other => {
                return Err(invalid(&format!(
                    "scheme `{other}` is not supported; use `https` or `http`"
                )));
            }
        };
        let uri: http::Uri = with_scheme
            .parse()
            .map_err(|err: http::uri::InvalidUri| invalid(&err.to_string()))?;
        if !matches!(uri.path(), "" | "/") {
            return Err(invalid(
                "a path is not supported; requests always go to `/`",
            ));
        }
        if uri.query().is_some() {
            return Err(invalid("a query or fragment is not supported"));
        }
        let host = uri
            .host()
            .filter(|host| !host.is_empty())
            .ok_or_else(|| invalid("empty host"))?
            .to_ascii_lowercase();
        // Read from the text: the `http` crate drops a port it cannot read as a number.
        let authority = uri.authority().map(|a| a.as_str()).unwrap_or_default();
        let port_text = authority
            .rsplit_once(':')
            .filter(|(before, _)| !before.starts_with('[') || before.ends_with(']'))
            .map(|(_, port)| port);
        let port = match port_text {
            None | Some("") => None,
            Some(text) => match text.parse::<u16>() {
                Ok(number) if number == scheme.default_port() => None,
                Ok(number) => Some(number),
                Err(_) => return Err(invalid("invalid port number")),
            },
        };
        Ok(Endpoint { scheme, host, port })
    }

    /// The scheme.
    pub fn scheme(&self) -> Scheme {
        self.scheme
    }

    /// The host name or address (an IPv6 address in brackets).
    pub fn host(&self) -> &str {
        &self.host
    }

    /// The port, when it is not the scheme's default.
    pub fn port(&self) -> Option<u16> {
        self.port
    }

    /// `host[:port]`: the `Host` header, which the V3 signature covers, so it must be what the
    /// transport sends.
    pub fn authority(&self) -> String {
        match self.port {
            Some(port) => format!("{}:{port}", self.host),
            None => self.host.clone(),
        }
    }

    /// The URL of the RPC path: `https://host[:port]/`.
    pub fn base_url(&self) -> String {
        format!("{}://{}/", self.scheme.as_str(), self.authority())
    }
}

impl fmt::Display for Endpoint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}://{}", self.scheme.as_str(), self.authority())
    }
}

impl FromStr for Endpoint {
    type Err = EndpointError;

    fn from_str(input: &str) -> Result<Self, Self::Err> {
        Endpoint::parse(input)
    }
}

/// Why no endpoint could be chosen. A region, network type or URL it quotes (which may come
/// from the environment) is cut to 2,048 characters.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum EndpointError {
    /// The region cannot be part of a host name.
    #[error("region `{region}` is not valid: {reason}")]
    InvalidRegion {
        /// The region as given.
        region: String,
        /// What is wrong with it.
        reason: String,
    },
    /// No region was given and the rule needs one.
    #[error("a region is required ({reason}); set one in the config or ALIBABA_CLOUD_REGION_ID")]
    RegionRequired {
        /// Why the rule needs it.
        reason: String,
    },
    /// The network type is not one the product has.
    #[error("network type `{network}` is not available for this product; known: {}", known.join(", "))]
    UnknownNetwork {
        /// The network type asked for.
        network: String,
        /// The network types the product has.
        known: Vec<&'static str>,
    },
    /// The product has neither a regional pattern nor a central host for the region.
    #[error("no endpoint is known for region `{region}`; set an endpoint override")]
    NoRule {
        /// The region asked for.
        region: String,
    },
    /// An endpoint override could not be used.
    #[error("endpoint `{input}` is not usable: {reason}")]
    InvalidUrl {
        /// The override as given.
        input: String,
        /// What is wrong with it.
        reason: String,
    },
}
