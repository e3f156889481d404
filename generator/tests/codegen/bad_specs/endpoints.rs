//! Endpoint hosts: a spec must not send requests anywhere but Alibaba Cloud's hosts, and the
//! hosts the real specs use are accepted.

use super::*;

/// The report for the good spec with its `endpoint:` entries replaced by `entries` (lines under
/// `endpoint:`, indented four spaces).
fn endpoint_report(entries: &str) -> String {
    report_of(&GOOD.broken(
        "    regional: \"demo.{region_id}.aliyuncs.com\"\n",
        &format!("{entries}\n"),
    ))
}

#[test]
fn endpoint_hosts_that_would_send_requests_elsewhere_are_refused() {
    let plain = "help: write the host name alone (`ecs.aliyuncs.com`): the SDK adds the scheme and the path";
    let between = "help: put the region inside the host: `ecs.{region_id}.aliyuncs.com` or `ecs-{region_id}.aliyuncs.com`";
    let cases: &[(&str, String)] = &[
        (
            "    regional: \"{region_id}\"",
            format!("8:15: host `{{region_id}}` does not have `{{region_id}}` between fixed text and a domain of two labels\n  {between}"),
        ),
        (
            "    regional: \"{region_id}.aliyuncs.com\"",
            format!("8:15: host `{{region_id}}.aliyuncs.com` does not have `{{region_id}}` between fixed text and a domain of two labels\n  {between}"),
        ),
        (
            "    regional: \"demo-{region_id}.com\"",
            format!("8:15: host `demo-{{region_id}}.com` does not have `{{region_id}}` between fixed text and a domain of two labels\n  {between}"),
        ),
        (
            "    regional: demo.{region_id}",
            format!("8:15: host `demo.{{region_id}}` does not have `{{region_id}}` between fixed text and a domain of two labels\n  {between}"),
        ),
        (
            "    regional: \"demo.{region_id}.{region_id}.com\"",
            "8:15: host `demo.{region_id}.{region_id}.com` has `{region_id}` more than once\n  help: write the region's place in the host once".to_owned(),
        ),
        (
            "    regional: \"demo.{region}.aliyuncs.com\"",
            "8:15: host `demo.{region}.aliyuncs.com` has the placeholder `{region}`\n  help: `{region_id}` is the only placeholder a host can have".to_owned(),
        ),
        (
            "    regional: \"https://demo.{region_id}.aliyuncs.com\"",
            format!("8:15: host `https://demo.{{region_id}}.aliyuncs.com` has a scheme\n  {plain}"),
        ),
        (
            "    regional: \"demo.{region_id}.aliyuncs.com\"\n    central: demo.aliyuncs.com/v1",
            format!("9:14: host `demo.aliyuncs.com/v1` has a path\n  {plain}"),
        ),
        (
            "    central: \"demo.aliyuncs.com?Version=1\"",
            format!("8:14: host `demo.aliyuncs.com?Version=1` has a query\n  {plain}"),
        ),
        (
            "    central: \"demo.aliyuncs.com#top\"",
            format!("8:14: host `demo.aliyuncs.com#top` has a fragment\n  {plain}"),
        ),
        (
            "    central: \"admin@demo.aliyuncs.com\"",
            format!("8:14: host `admin@demo.aliyuncs.com` has user information (`user@`)\n  {plain}"),
        ),
        (
            "    central: \"demo.{region_id}.aliyuncs.com\"",
            "8:14: host `demo.{region_id}.aliyuncs.com` has `{region_id}`, but this host serves fixed regions\n  help: write the host itself; a host that follows the region goes under `regional:`".to_owned(),
        ),
        (
            "    central: demo..aliyuncs.com",
            "8:14: host `demo..aliyuncs.com` has an empty label (`..`, or a dot at an end)\n  help: remove the extra dot".to_owned(),
        ),
        (
            "    regional: \"demo_api.{region_id}.aliyuncs.com\"",
            "8:15: host `demo_api.{region_id}.aliyuncs.com` has `_`, which a host name cannot hold\n  help: a host name holds ASCII letters, digits, `-` and dots".to_owned(),
        ),
        (
            "    regional: \"-demo.{region_id}.aliyuncs.com\"",
            "8:15: host `-demo.{region_id}.aliyuncs.com` has the label `-demo`, which starts or ends with `-`\n  help: a label of a host name starts and ends with a letter or digit".to_owned(),
        ),
        (
            "    central: demo.aliyuncs.com\n    regions:\n      cn-hangzhou-finance: https://demo.aliyuncs.com/",
            format!("10:28: host `https://demo.aliyuncs.com/` has a scheme\n  {plain}"),
        ),
        (
            "    regional: \"demo.{region_id}.aliyuncs.com\"\n    networks:\n      vpc: \"demo-vpc.{region_id}.aliyuncs.com:8080\"",
            "10:12: host `demo-vpc.{region_id}.aliyuncs.com:8080` has a port\n  help: the SDK always calls port 443: remove the port".to_owned(),
        ),
        (
            "    regional: \"demo.{region_id}.aliyuncs.com\"\n    networks:\n      vpc: demo-vpc.aliyuncs.com",
            "10:12: host `demo-vpc.aliyuncs.com` has no `{region_id}`\n  help: write the region's place in the host as `{region_id}`".to_owned(),
        ),
    ];
    for (entries, expected) in cases {
        assert_eq!(
            endpoint_report(entries),
            format!("specs/demo.yaml:{expected}"),
            "endpoint:\n{entries}"
        );
    }
}

#[test]
fn endpoint_hosts_the_real_specs_use_are_accepted() {
    for entries in [
        "    regional: \"demo.{region_id}.aliyuncs.com\"\n    networks:\n      internal: \"demo-intranet.{region_id}.aliyuncs.com\"",
        "    regional: \"demo-{region_id}.aliyuncs.com\"",
        "    regional: \"demo.{region_id}.aliyuncs.com\"\n    central: demo.aliyuncs.com\n    regions:\n      cn-shenzhen-finance-1: ecs-cn-hangzhou.aliyuncs.com\n    networks:\n      vpc: \"swas-vpc.{region_id}.aliyuncs.com\"",
    ] {
        let text = GOOD.broken(
            "    regional: \"demo.{region_id}.aliyuncs.com\"\n",
            &format!("{entries}\n"),
        );
        validate_all(&[SpecSource {
            name: "specs/demo.yaml".into(),
            text,
        }])
        .unwrap_or_else(|e| panic!("{e}"));
    }
}
