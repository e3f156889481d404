//! Robustness of response decoding: thousands of mutations of every sample response of every
//! operation (values swapped for other types at random paths, fields dropped, keys duplicated or
//! renamed, values nested thousands deep, numbers beyond any integer or float, invalid UTF-8,
//! megabyte strings, stray bytes, every truncation of one sample, top-level arrays, nulls and
//! numbers) decoded with `decode_response` into the operation's generated response type.
//!
//! The promises checked:
//! - decoding never panics;
//! - it fails only for a body that is not JSON, judged by an RFC 8259 grammar check written here
//!   (independent of serde_json), except beyond the parser's nesting limit, which RFC 8259 §9
//!   allows, where the error must say so; a string that is not text (bytes that are not UTF-8, a
//!   `\u` escape of a surrogate without its other half) is a value like any other that fits no
//!   field, kept as it was written;
//! - every anomaly names a path that exists in the mutated document and keeps the raw value found
//!   there; a mutation at one place reports anomalies only at or under that place, and the rest of
//!   the response (its `RequestId`) still decodes;
//! - decoding a body with a 10 MB string allocates less than 4 times the body, and one odd field
//!   in a large `DescribeInstances` page costs about what the page costs when every field fits
//!   (measured with a counting global allocator, per thread).
//!
//! Mutations come from a seeded generator (`RESPONSE_FUZZ_SEED` replays another seed); failing
//! inputs are written under the target directory's `tmp/response_mutations/`.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;

use acs_catalog::OPERATIONS;
use acs_runtime::catalog::{self, CatalogError, Entry};
use acs_runtime::decode::{Anomaly, DecodeError, decode_response};
use acs_test_gateway::specs;
use acs_test_support::allocation::{ThreadPeakAllocator, peak_allocation};
use acs_test_support::panics::catch_quietly;
use serde_json::Value;

mod json_grammar;
mod json_tree;
mod judge;
mod mutations;

use json_grammar::{Grammar, PARSER_DEPTH_LIMIT, Verdict};
use json_tree::Node;
use judge::judge;
use mutations::{Kind, Mutant, SINGLE, mutate};

// Allocations are measured per thread, by the shared meter (see `peak_allocation`).
#[global_allocator]
static ALLOCATOR: ThreadPeakAllocator = ThreadPeakAllocator;

// ---------------------------------------------------------------------------------------------
// The operations and their samples.
// ---------------------------------------------------------------------------------------------

/// What a decode produced: the response re-encoded as JSON, and the anomalies.
type Decoded = Result<(Value, Vec<Anomaly>), DecodeError>;

/// One sample response of one operation, with the operation's entry in the generated catalog.
struct Sample {
    label: String,
    entry: &'static Entry,
    body: Value,
}

impl Sample {
    /// Decodes `body` into the operation's generated response type and re-encodes it as JSON.
    fn decode(&self, body: &[u8]) -> Decoded {
        match (self.entry.decode_to_json)(body) {
            Ok(decoded) => Ok((decoded.response, decoded.anomalies)),
            Err(CatalogError::Decode(e)) => Err(e),
            Err(other) => panic!("{}: {other}", self.label),
        }
    }
}

/// The response fields of the specs that hold a secret: marked `secret`, or of a shape (or a list
/// or map of one) with such a field inside, by wire name. The decoder records a bad value in such
/// a field by its path only.
static SECRET_HOLDERS: std::sync::LazyLock<std::collections::BTreeSet<String>> =
    std::sync::LazyLock::new(|| {
        let specs = specs::workspace_specs().unwrap_or_else(|e| panic!("{e}"));
        let type_of = |field: &serde_yaml::Value| -> Vec<String> {
            let mut names = Vec::new();
            for key in ["type", "items"] {
                match &field[key] {
                    serde_yaml::Value::String(name) => names.push(name.clone()),
                    other => {
                        if let Some(name) = other["type"].as_str() {
                            names.push(name.to_owned());
                        }
                    }
                }
            }
            names
        };
        let mut fields: Vec<(String, Option<String>, Vec<String>, bool)> = Vec::new();
        for spec in &specs {
            for shape in spec.shape_names() {
                for field in spec.shape(shape)["fields"]
                    .as_sequence()
                    .into_iter()
                    .flatten()
                {
                    fields.push((
                        field["name"].as_str().unwrap_or_default().to_owned(),
                        Some(format!("{}::{shape}", spec.module())),
                        type_of(field)
                            .into_iter()
                            .map(|t| format!("{}::{t}", spec.module()))
                            .collect(),
                        field["secret"].as_bool() == Some(true),
                    ));
                }
            }
            for op in spec.operations() {
                for field in op.yaml["response"]["fields"]
                    .as_sequence()
                    .into_iter()
                    .flatten()
                {
                    fields.push((
                        field["name"].as_str().unwrap_or_default().to_owned(),
                        None,
                        type_of(field)
                            .into_iter()
                            .map(|t| format!("{}::{t}", spec.module()))
                            .collect(),
                        field["secret"].as_bool() == Some(true),
                    ));
                }
            }
        }
        // Shapes holding a secret, to a fixed point: a shape holds one when a field of it is
        // secret or of a shape that holds one.
        let mut shapes = std::collections::BTreeSet::new();
        loop {
            let before = shapes.len();
            for (_, owner, types, secret) in &fields {
                if let Some(owner) = owner {
                    if *secret || types.iter().any(|t| shapes.contains(t)) {
                        shapes.insert(owner.clone());
                    }
                }
            }
            if shapes.len() == before {
                break;
            }
        }
        fields
            .into_iter()
            .filter(|(_, _, types, secret)| *secret || types.iter().any(|t| shapes.contains(t)))
            .map(|(name, ..)| name)
            .collect()
    });

/// Whether a response path (`A.B[0].C`) passes through a field that holds a secret.
fn holds_a_secret(path: &str) -> bool {
    path.split('.')
        .map(|step| step.split('[').next().unwrap_or_default())
        .any(|name| SECRET_HOLDERS.contains(name))
}

/// Every sample of every operation of every spec (the repaired copy where the published one is
/// not JSON), each decoded through the operation's entry in the generated catalog.
fn samples() -> Vec<Sample> {
    let specs = specs::workspace_specs().unwrap_or_else(|e| panic!("{e}"));
    let mut out = Vec::new();
    for op in specs::operations(&specs) {
        let entry = catalog::find(&OPERATIONS, op.module(), op.action())
            .unwrap_or_else(|e| panic!("{}: {e}", op.spec.file));
        for sample in op.samples() {
            let label = format!("{}/{}", op.action(), sample.name);
            let body: Value = serde_json::from_str(&sample.body)
                .unwrap_or_else(|e| panic!("{label}: the sample is not JSON: {e}"));
            out.push(Sample { label, entry, body });
        }
    }
    out
}

// ---------------------------------------------------------------------------------------------
// Panics, failures and counts.
// ---------------------------------------------------------------------------------------------

struct Failure {
    case: String,
    problem: String,
    body: Vec<u8>,
}

#[derive(Default)]
struct Tally {
    tried: usize,
    ok: usize,
    err: usize,
    anomalies: usize,
    panics: usize,
    per_kind: BTreeMap<String, [usize; 3]>,
    failures: Vec<Failure>,
}

impl Tally {
    fn decode(
        &mut self,
        case: &str,
        sample: &Sample,
        original: &(Value, Vec<Anomaly>),
        mutant: &Mutant,
    ) {
        self.tried += 1;
        let counts = self
            .per_kind
            .entry(format!("{:?}", mutant.kind))
            .or_default();
        counts[0] += 1;
        let outcome = match catch_quietly(|| sample.decode(&mutant.body)) {
            Ok(outcome) => outcome,
            Err(panic) => {
                self.panics += 1;
                self.failures.push(Failure {
                    case: case.to_owned(),
                    problem: format!("decoding panicked: {panic}"),
                    body: mutant.body.clone(),
                });
                return;
            }
        };
        match &outcome {
            Ok((_, anomalies)) => {
                self.ok += 1;
                counts[1] += 1;
                self.anomalies += anomalies.len();
            }
            Err(_) => {
                self.err += 1;
                counts[2] += 1;
            }
        }
        if let Some(problem) = judge(
            &mutant.body,
            mutant.site.as_deref(),
            &outcome,
            original,
            mutant.kind,
        ) {
            self.failures.push(Failure {
                case: case.to_owned(),
                problem,
                body: mutant.body.clone(),
            });
        }
    }

    fn report(&self) -> String {
        let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("response_mutations");
        // Losing the copies only loses convenience: the report still names every case.
        let _ = std::fs::remove_dir_all(&dir);
        let _ = std::fs::create_dir_all(&dir);
        let mut by_problem: BTreeMap<String, Vec<usize>> = BTreeMap::new();
        for (i, f) in self.failures.iter().enumerate() {
            let _ = std::fs::write(dir.join(format!("failure-{i:04}.json")), &f.body);
            // Group by the problem's wording up to its first detail.
            let head: String = f.problem.chars().take(60).collect();
            by_problem.entry(head).or_default().push(i);
        }
        let mut report = format!(
            "{} broken promises in {} kinds; each failing body is in {}\n",
            self.failures.len(),
            by_problem.len(),
            dir.display()
        );
        for cases in by_problem.values() {
            let first = &self.failures[cases[0]];
            let _ = write!(
                report,
                "\n{} case(s), e.g. failure-{:04}.json, {}:\n    {}\n",
                cases.len(),
                cases[0],
                first.case,
                first.problem
            );
        }
        report
    }
}

// ---------------------------------------------------------------------------------------------
// The tests.
// ---------------------------------------------------------------------------------------------

/// Random mutations per sample.
const MUTATIONS_PER_SAMPLE: usize = 500;
const DEFAULT_SEED: u64 = 0x0de_c0de_2026;

#[test]
fn mutated_responses_decode_without_panics_and_every_anomaly_points_at_its_value() {
    let seed = acs_test_support::seed_from_env("RESPONSE_FUZZ_SEED", DEFAULT_SEED);
    let mut rng = fastrand::Rng::with_seed(seed);
    let samples = samples();
    assert!(samples.len() >= 4, "found only {} samples", samples.len());
    let mut tally = Tally::default();
    for (s, sample) in samples.iter().enumerate() {
        let tree = Node::from_value(&sample.body);
        let original_body = tree.to_bytes();
        let original = sample
            .decode(&original_body)
            .unwrap_or_else(|e| panic!("{}: the sample itself does not decode: {e}", sample.label));
        assert!(
            original.1.is_empty(),
            "{}: the sample itself gives anomalies: {:?}",
            sample.label,
            original.1
        );
        for index in 0..MUTATIONS_PER_SAMPLE {
            let mutant = if index % 6 == 5 {
                let mut body = tree.clone();
                let mut last = None;
                for _ in 0..rng.usize(2..=3) {
                    let kind = SINGLE[rng.usize(..SINGLE.len())];
                    let m = mutate(&mut rng, &body, kind);
                    match serde_json::from_slice::<Value>(&m.body) {
                        Ok(v) => body = Node::from_value(&v),
                        Err(_) => {
                            last = Some(m.body);
                            break;
                        }
                    }
                }
                Mutant {
                    kind: Kind::Stacked,
                    body: last.unwrap_or_else(|| body.to_bytes()),
                    site: None,
                }
            } else {
                let kind = SINGLE[rng.usize(..SINGLE.len())];
                mutate(&mut rng, &tree, kind)
            };
            let case = format!(
                "seed {seed} sample {s} ({}) mutation {index} ({:?})",
                sample.label, mutant.kind
            );
            tally.decode(&case, sample, &original, &mutant);
        }
        // Top-level values that are not an object.
        let mut top_level: Vec<Vec<u8>> = [
            "[]", "null", "0", "-1", "true", "\"text\"", "1e400", "[{}]", " [1, 2] ", "{}",
        ]
        .iter()
        .map(|s| s.as_bytes().to_vec())
        .collect();
        let mut as_array = b"[".to_vec();
        as_array.extend_from_slice(&original_body);
        as_array.push(b']');
        top_level.push(as_array);
        for body in top_level {
            let case = format!(
                "sample {s} ({}) top level {:?}",
                sample.label,
                String::from_utf8_lossy(&body)
            );
            let mutant = Mutant {
                kind: Kind::TopLevel,
                body,
                site: Some(String::new()),
            };
            tally.decode(&case, sample, &original, &mutant);
        }
    }
    // Every truncation of the first sample (all but the whole are not JSON, save a body cut
    // only in trailing whitespace).
    let first = &samples[0];
    let first_original = first
        .decode(&Node::from_value(&first.body).to_bytes())
        .unwrap_or_else(|e| panic!("{e}"));
    let pretty = serde_json::to_vec_pretty(&first.body).unwrap_or_default();
    for cut in 0..=pretty.len() {
        let mutant = Mutant {
            kind: Kind::Truncation,
            body: pretty[..cut].to_vec(),
            site: None,
        };
        let case = format!(
            "{} truncated to {cut} of {} bytes",
            first.label,
            pretty.len()
        );
        tally.decode(&case, first, &first_original, &mutant);
    }
    // Bodies that are nothing like a response.
    let specials: Vec<Vec<u8>> = vec![
        Vec::new(),
        b" \n\t".to_vec(),
        b"\xef\xbb\xbf{}".to_vec(),
        b"<html>502 Bad Gateway</html>".to_vec(),
        b"\xff\xfe\x00\x00".to_vec(),
        "[".repeat(10_000).into_bytes(),
        format!("{}{}", "[".repeat(10_000), "]".repeat(10_000)).into_bytes(),
        format!(
            "{{\"RequestId\": {}1{}}}",
            "[".repeat(10_000),
            "]".repeat(10_000)
        )
        .into_bytes(),
        format!("{}{}", "{\"a\":".repeat(10_000), "}".repeat(10_000)).into_bytes(),
        b"{\"RequestId\": \"r\"}{\"RequestId\": \"s\"}".to_vec(),
        b"{\"RequestId\": NaN}".to_vec(),
        b"{\"RequestId\": 01}".to_vec(),
    ];
    for body in specials {
        let case = format!(
            "special body {:?}",
            String::from_utf8_lossy(&body[..body.len().min(40)])
        );
        let mutant = Mutant {
            kind: Kind::Special,
            body,
            site: Some(String::new()),
        };
        tally.decode(&case, first, &first_original, &mutant);
    }
    println!(
        "response mutations (seed {seed}): tried {}, decoded {} ({} anomalies), errors {}, panics {}",
        tally.tried, tally.ok, tally.anomalies, tally.err, tally.panics
    );
    for (kind, [tried, ok, err]) in &tally.per_kind {
        println!("  {kind}: tried {tried}, decoded {ok}, errors {err}");
    }
    assert!(tally.tried >= 2_000, "only {} cases", tally.tried);
    assert!(tally.failures.is_empty(), "{}", tally.report());
}

/// A body with one 10 MB string decodes with bounded memory, wherever the string sits: in a
/// string field, in a field of another type (an anomaly that keeps it), or in an unknown field.
#[test]
fn a_ten_megabyte_string_decodes_in_bounded_memory() {
    const TEN_MB: usize = 10 * 1024 * 1024;
    let big = "x".repeat(TEN_MB);
    let cases = [
        ("a string field", "RequestId"),
        ("an integer field", "TotalCount"),
        ("an unknown field", "NotDeclaredAnywhere"),
    ];
    for (where_, field) in cases {
        let body = format!(
            "{{\"{field}\": \"{big}\", \"PageNumber\": 1, \"Images\": {{\"Image\": [{{\"ImageId\": \"m-1\"}}]}}}}"
        );
        let (result, peak) =
            peak_allocation(|| decode_response::<acs_ecs::DescribeImagesResponse>(body.as_bytes()));
        let (response, anomalies) =
            result.unwrap_or_else(|e| panic!("{where_}: the body did not decode: {e}"));
        let ratio = peak as f64 / body.len() as f64;
        println!(
            "10 MB string in {where_}: body {} bytes, peak allocation {peak} bytes ({ratio:.2}x), {} anomalies",
            body.len(),
            anomalies.len()
        );
        assert_eq!(response.images.len(), 1, "{where_}: the rest was lost");
        assert_eq!(response.page_number, Some(1), "{where_}: the rest was lost");
        match field {
            "RequestId" => assert_eq!(response.request_id.as_ref().map(String::len), Some(TEN_MB)),
            "TotalCount" => {
                assert_eq!(anomalies.len(), 1);
                assert_eq!(anomalies[0].path, "TotalCount");
                assert_eq!(anomalies[0].raw.as_str().map(str::len), Some(TEN_MB));
            }
            _ => assert!(anomalies.is_empty()),
        }
        for anomaly in &anomalies {
            // The reason goes into a `tracing` warning: it must describe the value, not repeat it.
            assert!(
                anomaly.reason.len() < 1024,
                "{where_}: the anomaly's reason is {} bytes long (it repeats the raw value), and it is logged",
                anomaly.reason.len()
            );
        }
        assert!(
            ratio < 4.0,
            "{where_}: decoding a {}-byte body allocated {peak} bytes at its peak ({ratio:.2}x the body)",
            body.len()
        );
        drop(response);
    }
}

/// A number beyond `f64` in one field is valid JSON (RFC 8259 leaves its precision to the
/// reader): it must cost that field, not the whole response.
#[test]
fn a_number_beyond_f64_costs_only_its_field() {
    let body =
        br#"{"RequestId": "r-1", "TotalCount": 1e400, "Images": {"Image": [{"ImageId": "m-1"}]}}"#;
    let (response, anomalies) = decode_response::<acs_ecs::DescribeImagesResponse>(body)
        .unwrap_or_else(|e| panic!("the whole response was lost for one out-of-range number: {e}"));
    assert_eq!(response.request_id.as_deref(), Some("r-1"));
    assert_eq!(response.images.len(), 1);
    assert_eq!(response.total_count, None);
    assert_eq!(anomalies.len(), 1, "{anomalies:?}");
    assert_eq!(anomalies[0].path, "TotalCount");
}

/// A wrapper object with a duplicate key (`{"Image": [a], "Image": [b]}`) must decode to the same
/// list whether or not another field of the response is malformed. Today the fast path joins both
/// lists while the path taken after an anomaly keeps only the last, so an unrelated bad field
/// changes the items.
#[test]
fn a_duplicate_wrapper_key_decodes_the_same_whatever_else_is_wrong() {
    use acs_ecs::DescribeImagesResponse;
    let clean = br#"{"Images": {"Image": [{"ImageId": "a"}], "Image": [{"ImageId": "b"}]}, "TotalCount": 2}"#;
    let with_bad_field = br#"{"Images": {"Image": [{"ImageId": "a"}], "Image": [{"ImageId": "b"}]}, "TotalCount": {"x": 1}}"#;
    let ids = |body: &[u8]| -> Vec<String> {
        let (response, _) = decode_response::<DescribeImagesResponse>(body)
            .unwrap_or_else(|e| panic!("did not decode: {e}"));
        response
            .images
            .into_iter()
            .map(|image| image.image_id.unwrap_or_default())
            .collect()
    };
    assert_eq!(
        ids(clean),
        ids(with_bad_field),
        "the items depend on whether `TotalCount` is malformed"
    );
}

/// A `DescribeInstances` page of `count` instances: the instance at `cpu_at` has `cpu` written as
/// its `Cpu`, the one at `text_at` has `text` written between the quotes of its `Description`.
fn describe_instances_page(
    count: usize,
    cpu_at: usize,
    cpu: &[u8],
    text_at: usize,
    text: &[u8],
) -> Vec<u8> {
    let mut out = format!(r#"{{"RequestId":"r-1","TotalCount":{count},"Instances":{{"Instance":["#)
        .into_bytes();
    for i in 0..count {
        if i > 0 {
            out.push(b',');
        }
        let start = format!(
            concat!(
                r#"{{"InstanceId":"i-{i:08}","InstanceName":"web-{i}","Memory":{memory},"Status":"Running","#,
                r#""VpcAttributes":{{"VpcId":"vpc-{i:08}","PrivateIpAddress":{{"IpAddress":["172.16.{a}.{b}"]}}}},"#,
                r#""SecurityGroupIds":{{"SecurityGroupId":["sg-{i:08}"]}},"#,
                r#""Tags":{{"Tag":[{{"TagKey":"team","TagValue":"web"}}]}},"Cpu":"#
            ),
            i = i,
            memory = 4096,
            a = i / 256 % 256,
            b = i % 256,
        );
        out.extend_from_slice(start.as_bytes());
        if i == cpu_at {
            out.extend_from_slice(cpu);
        } else {
            out.extend_from_slice(b"2");
        }
        out.extend_from_slice(br#","Description":""#);
        if i == text_at {
            out.extend_from_slice(text);
        } else {
            out.extend_from_slice(format!("instance {i}").as_bytes());
        }
        out.extend_from_slice(br#""}"#);
    }
    out.extend_from_slice(b"]}}");
    out
}

/// One string that is not text in a `DescribeInstances` page (a byte that is not UTF-8, a lone
/// surrogate escape as Java writes for a string cut inside a pair) costs that field alone.
#[test]
fn a_string_that_is_not_text_costs_describe_instances_only_its_field() {
    // `DescribeInstances` is imported: a copy of the workspace without the imported specs (the
    // new-product test's) has no such operation.
    let Some(describe_instances) = describe_instances() else {
        return;
    };
    const COUNT: usize = 50;
    for (text, written) in [
        (&b"caf\xc3"[..], "caf\\xc3"),
        (&b"cut \\ud83d"[..], "cut \\ud83d"),
        (
            &b"\\udc00 \\u00e9 \\\\ud800"[..],
            "\\udc00 \\u00e9 \\\\ud800",
        ),
    ] {
        let body = describe_instances_page(COUNT, 7, b"\"ok\"", 30, text);
        let decoded = (describe_instances.decode_to_json)(&body)
            .unwrap_or_else(|e| panic!("{written}: the whole page was lost: {e}"));
        let (response, anomalies) = (&decoded.response, &decoded.anomalies);
        assert_eq!(response["RequestId"], "r-1");
        let instances = response["Instances"]["Instance"]
            .as_array()
            .unwrap_or_else(|| panic!("{written}: no instances in {response}"));
        assert_eq!(instances.len(), COUNT, "{written}");
        let odd = &instances[30];
        assert!(
            odd.get("Description").is_none_or(Value::is_null),
            "{written}"
        );
        assert_eq!(odd["InstanceName"], "web-30", "{written}");
        assert_eq!(
            odd["SecurityGroupIds"]["SecurityGroupId"],
            serde_json::json!(["sg-00000030"]),
            "{written}"
        );
        assert_eq!(instances[31]["Description"], "instance 31");
        let found: Vec<(&str, &Value)> = anomalies
            .iter()
            .map(|a| (a.path.as_str(), &a.raw))
            .collect();
        assert_eq!(
            found,
            [
                ("Instances.Instance[7].Cpu", &Value::from("ok")),
                ("Instances.Instance[30].Description", &Value::from(written)),
            ],
            "{written}"
        );
    }
}

/// ECS `DescribeInstances` in the generated catalog, where the imported specs are.
fn describe_instances() -> Option<&'static Entry> {
    if !specs::has_imported_specs() {
        return None;
    }
    Some(
        catalog::find(&OPERATIONS, "ecs", "DescribeInstances")
            .unwrap_or_else(|e| panic!("the imported specs are here, but: {e}")),
    )
}

/// One field that fits no reading of its type (`"Cpu": "four"`) in a `DescribeInstances` page
/// of a few MiB costs about what the page costs when every field fits: the recovering decode
/// builds no tree of the body and copies none of its parts.
#[test]
fn one_odd_field_costs_describe_instances_about_what_the_good_page_costs() {
    let Some(describe_instances) = describe_instances() else {
        return;
    };
    const COUNT: usize = 10_000;
    let good = describe_instances_page(COUNT, 0, b"2", 0, b"text");
    let odd = describe_instances_page(COUNT, COUNT / 2, b"\"four\"", 0, b"text");
    // The catalog's `decode` decodes into the typed response (dropped at its end), as the
    // client does: its peak is the decode's.
    let (plain, plain_peak) = peak_allocation(|| (describe_instances.decode)(&good));
    let anomalies = plain.unwrap_or_else(|e| panic!("the good page: {e}"));
    assert!(anomalies.is_empty(), "{anomalies:?}");
    let (recovered, recovered_peak) = peak_allocation(|| (describe_instances.decode)(&odd));
    let anomalies = recovered.unwrap_or_else(|e| panic!("the odd page: {e}"));
    assert_eq!(anomalies.len(), 1, "{anomalies:?}");
    assert_eq!(
        anomalies[0].path,
        format!("Instances.Instance[{}].Cpu", COUNT / 2)
    );
    let ratio = recovered_peak as f64 / plain_peak as f64;
    println!(
        "DescribeInstances, {} bytes: peak {plain_peak} bytes with every field fitting, {recovered_peak} with one odd field ({ratio:.2}x)",
        odd.len()
    );
    assert!(
        ratio <= 1.5,
        "one odd field raised the peak of decoding a {}-byte page from {plain_peak} to {recovered_peak} bytes ({ratio:.2}x)",
        odd.len()
    );
}
