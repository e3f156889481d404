//! The endpoint rule: the hosts a product is called at, each a host name the runtime can put in a
//! URL as it is.

use crate::location::NodePath;
use crate::model::Endpoint;

use super::Validator;

impl Validator<'_> {
    /// The rule is kept as written once checked: the runtime turns it and the caller's region into
    /// a host.
    pub(super) fn endpoint(&mut self, e: &crate::spec::EndpointSpec, epath: &NodePath) -> Endpoint {
        if e.regional.is_none() && e.central.is_none() {
            self.error(
                epath,
                "the endpoint has neither `regional` nor `central`",
                "give `regional: \"<product>.{region_id}.aliyuncs.com\"` or `central: <host>`",
            );
        }
        self.endpoint_hosts(e, epath);
        self.review_notes(&e.notes, epath, "the endpoint rule");
        if !e.central_regions.is_empty() && e.central.is_none() {
            self.error(
                &epath.key("central_regions"),
                "`central_regions` is given but `central` is not",
                "add `central: <host>` for those regions",
            );
        }
        Endpoint {
            regional: e.regional.clone(),
            central: e.central.clone(),
            central_regions: e.central_regions.clone(),
            regions: e.regions.clone().into_iter().collect(),
            networks: e.networks.clone().into_iter().collect(),
        }
    }

    /// Every host of the endpoint rule is a host name the runtime can put in a URL as it is:
    /// patterns (`regional`, `networks`) with `{region_id}` inside one label, fixed hosts
    /// (`central`, `regions`) with no placeholder.
    fn endpoint_hosts(&mut self, e: &crate::spec::EndpointSpec, epath: &NodePath) {
        let patterns = e.regional.iter().map(|r| (epath.key("regional"), r)).chain(
            e.networks
                .iter()
                .map(|(n, h)| (epath.key("networks").key(n), h)),
        );
        let fixed = e.central.iter().map(|c| (epath.key("central"), c)).chain(
            e.regions
                .iter()
                .map(|(r, h)| (epath.key("regions").key(r), h)),
        );
        let hosts: Vec<(NodePath, &String, HostKind)> = patterns
            .map(|(p, h)| (p, h, HostKind::Pattern))
            .chain(fixed.map(|(p, h)| (p, h, HostKind::Fixed)))
            .collect();
        for (path, host, kind) in hosts {
            if let Err((message, help)) = check_host(host, kind) {
                self.error(&path, format!("host `{host}` {message}"), help);
            }
        }
    }
}

/// The placeholder a host pattern holds for the region.
const REGION_PLACEHOLDER: &str = "{region_id}";

/// A region id that stands in for `{region_id}` when a pattern's labels are checked.
const SAMPLE_REGION: &str = "cn-hangzhou";

/// Whether a host is a pattern for every region or one fixed host.
#[derive(Clone, Copy, PartialEq, Eq)]
enum HostKind {
    Pattern,
    Fixed,
}

/// Checks a host as it goes between `https://` and the path: what is wrong and how to mend it.
fn check_host(host: &str, kind: HostKind) -> Result<(), (String, String)> {
    let plain =
        "write the host name alone (`ecs.aliyuncs.com`): the SDK adds the scheme and the path";
    let fail = |message: &str, help: &str| Err((message.to_owned(), help.to_owned()));
    if host.trim().is_empty() {
        return fail("is empty", plain);
    }
    if host.contains("://") {
        return fail("has a scheme", plain);
    }
    if host.contains('@') {
        return fail("has user information (`user@`)", plain);
    }
    if host.contains('/') {
        return fail("has a path", plain);
    }
    if host.contains('?') {
        return fail("has a query", plain);
    }
    if host.contains('#') {
        return fail("has a fragment", plain);
    }
    if host.contains(':') {
        return fail(
            "has a port",
            "the SDK always calls port 443: remove the port",
        );
    }
    if host.chars().any(char::is_whitespace) {
        return fail("has a space in it", "a host name has no spaces");
    }
    let placeholders = host.matches(REGION_PLACEHOLDER).count();
    let without = host.replace(REGION_PLACEHOLDER, "");
    if let Some(at) = without.find(['{', '}']) {
        let rest = &without[at..];
        let end = rest.find('}').map_or(rest.len(), |i| i + 1);
        return fail(
            &format!("has the placeholder `{}`", &rest[..end]),
            "`{region_id}` is the only placeholder a host can have",
        );
    }
    match (kind, placeholders) {
        (HostKind::Fixed, 0) | (HostKind::Pattern, 1) => {}
        (HostKind::Fixed, _) => {
            return fail(
                "has `{region_id}`, but this host serves fixed regions",
                "write the host itself; a host that follows the region goes under `regional:`",
            );
        }
        (HostKind::Pattern, 0) => {
            return fail(
                "has no `{region_id}`",
                "write the region's place in the host as `{region_id}`",
            );
        }
        (HostKind::Pattern, _) => {
            return fail(
                "has `{region_id}` more than once",
                "write the region's place in the host once",
            );
        }
    }
    let labels: Vec<&str> = host.split('.').collect();
    if kind == HostKind::Pattern {
        let at = labels
            .iter()
            .position(|l| l.contains(REGION_PLACEHOLDER))
            .unwrap_or_default();
        // The region goes inside the host, never as all of its first label nor in its domain:
        // `ecs.{region_id}.aliyuncs.com` and `ecs-{region_id}.aliyuncs.com` (Alibaba's own
        // forms) keep fixed text before it and a domain of two labels after it.
        let alone = labels.get(at).is_some_and(|l| *l == REGION_PLACEHOLDER);
        if (at == 0 && alone) || labels.len() - at - 1 < 2 {
            return fail(
                "does not have `{region_id}` between fixed text and a domain of two labels",
                "put the region inside the host: `ecs.{region_id}.aliyuncs.com` or `ecs-{region_id}.aliyuncs.com`",
            );
        }
    }
    let concrete = host.replace(REGION_PLACEHOLDER, SAMPLE_REGION);
    if concrete.len() > 253 {
        return fail(
            "is longer than 253 characters",
            "a host name has at most 253 characters",
        );
    }
    for label in concrete.split('.') {
        if label.is_empty() {
            return fail(
                "has an empty label (`..`, or a dot at an end)",
                "remove the extra dot",
            );
        }
        if label.len() > 63 {
            return fail(
                &format!("has the label `{label}`, longer than 63 characters"),
                "each dot-separated label of a host name has at most 63 characters",
            );
        }
        if let Some(c) = label
            .chars()
            .find(|c| !c.is_ascii_alphanumeric() && *c != '-')
        {
            return fail(
                &format!("has `{c}`, which a host name cannot hold"),
                "a host name holds ASCII letters, digits, `-` and dots",
            );
        }
        if label.starts_with('-') || label.ends_with('-') {
            return fail(
                &format!("has the label `{label}`, which starts or ends with `-`"),
                "a label of a host name starts and ends with a letter or digit",
            );
        }
    }
    Ok(())
}
