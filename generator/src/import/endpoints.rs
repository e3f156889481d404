//! The endpoint rule computed from the metadata's endpoint list: the regional pattern most
//! regions follow, a central host for the regions that share one host, and per-region
//! exceptions for the rest.

use std::collections::BTreeMap;

use serde_json::Value;
use serde_yaml::{Mapping, Value as Yaml};

use super::error::{At, ImportError};

/// `product.endpoint` for the list at `at` (`[{regionId, endpoint}]`); `code` names the
/// product's fallback host when the list is empty.
pub(crate) fn endpoint_rule(
    list: Option<&Value>,
    at: &At<'_>,
    code: &str,
) -> Result<(Yaml, Vec<String>), ImportError> {
    let mut pairs: Vec<(String, String)> = Vec::new();
    let items = match list {
        None | Some(Value::Null) => &[][..],
        Some(Value::Array(items)) => items.as_slice(),
        Some(_) => {
            return Err(at.error(
                "`endpoints` is not a list",
                "give `endpoints` as a list of `{\"regionId\": ..., \"endpoint\": ...}`",
            ));
        }
    };
    let mut notes = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let here = at.index(i);
        let region = item.get("regionId").and_then(Value::as_str);
        let host = item.get("endpoint").and_then(Value::as_str);
        match (region, host) {
            (Some(r), Some(h)) if !r.is_empty() && !h.trim().is_empty() => {
                // Three catalogue hosts end in a tab; one with a space or a path inside is no
                // host at all: the region is left to the rule, with a note.
                let h = h.trim();
                if h.chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-')
                {
                    pairs.push((r.to_owned(), h.to_ascii_lowercase()));
                } else {
                    notes.push(format!(
                        "Review: the metadata's endpoint for {r} ({}), {h:?}, is not a host name; it was left out",
                        here.path
                    ));
                }
            }
            _ => {
                return Err(here.error(
                    "an endpoint without a `regionId` or `endpoint` text",
                    "each entry needs both, e.g. {\"regionId\": \"cn-hangzhou\", \"endpoint\": \"ecs.cn-hangzhou.aliyuncs.com\"}",
                ));
            }
        }
    }
    pairs.sort();
    pairs.dedup();
    // The pattern each region's host follows when the region is replaced by the placeholder.
    let mut patterns: BTreeMap<String, usize> = BTreeMap::new();
    for (region, host) in &pairs {
        if let Some(pattern) = pattern_of(region, host) {
            *patterns.entry(pattern).or_default() += 1;
        }
    }
    let regional = patterns
        .iter()
        .max_by(|a, b| a.1.cmp(b.1).then_with(|| b.0.cmp(a.0)))
        .map(|(p, _)| p.clone());
    let mut exceptions: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (region, host) in &pairs {
        let follows = regional
            .as_ref()
            .is_some_and(|p| p.replacen("{region_id}", region, 1) == *host);
        if !follows {
            exceptions
                .entry(host.clone())
                .or_default()
                .push(region.clone());
        }
    }
    // A host shared by several regions is the product's central host; the others are exceptions.
    let central = exceptions
        .iter()
        .filter(|(host, regions)| regions.len() > 1 && !host.contains('{'))
        .max_by(|a, b| a.1.len().cmp(&b.1.len()).then_with(|| b.0.cmp(a.0)))
        .map(|(h, _)| h.clone());
    let mut rule = Mapping::new();
    if let Some(p) = &regional {
        rule.insert("regional".into(), p.clone().into());
    }
    if let Some(c) = &central {
        rule.insert("central".into(), c.clone().into());
        let regions: Vec<Yaml> = exceptions[c].iter().map(|r| r.clone().into()).collect();
        rule.insert("central_regions".into(), Yaml::Sequence(regions));
    }
    let mut overrides = Mapping::new();
    for (host, regions) in &exceptions {
        if Some(host) == central.as_ref() {
            continue;
        }
        for r in regions {
            overrides.insert(r.clone().into(), host.clone().into());
        }
    }
    if !overrides.is_empty() {
        rule.insert("regions".into(), Yaml::Mapping(overrides));
    }
    if regional.is_none() && central.is_none() {
        let host = format!("{}.{{region_id}}.aliyuncs.com", code.to_ascii_lowercase());
        notes.push(format!(
            "Review: the metadata lists no endpoint to learn a rule from; `{host}` follows Alibaba's usual form and must be checked."
        ));
        rule.insert("regional".into(), host.into());
    }
    if !notes.is_empty() {
        // In the spec, not in a comment: codegen reports a `Review:` note until someone settles it.
        let listed = notes.iter().map(|n| Yaml::from(n.as_str())).collect();
        rule.insert("notes".into(), Yaml::Sequence(listed));
    }
    Ok((Yaml::Mapping(rule), notes))
}

/// The host with its region replaced by `{region_id}`, if the region is in it inside a label
/// with fixed text on each side (what a spec's pattern may be).
fn pattern_of(region: &str, host: &str) -> Option<String> {
    let at = host.find(region)?;
    let (before, after) = (&host[..at], &host[at + region.len()..]);
    if before.is_empty() || !after.starts_with('.') || after.len() < 2 {
        return None;
    }
    Some(format!("{before}{{region_id}}{after}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pattern_needs_text_before_and_a_label_after() {
        assert_eq!(
            pattern_of("cn-hangzhou", "ecs.cn-hangzhou.aliyuncs.com").as_deref(),
            Some("ecs.{region_id}.aliyuncs.com")
        );
        assert_eq!(
            pattern_of("cn-hangzhou", "ecs-cn-hangzhou.aliyuncs.com").as_deref(),
            Some("ecs-{region_id}.aliyuncs.com")
        );
        assert_eq!(pattern_of("cn-hangzhou", "ecs.aliyuncs.com"), None);
    }
}
