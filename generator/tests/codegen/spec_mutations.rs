//! Robustness of the generator under broken specs: thousands of mutations of the real spec files
//! (lines deleted, duplicated, swapped or re-indented, values replaced by other types or garbage,
//! text truncated, stray bytes inserted, keys renamed, files emptied, values nested thousands
//! deep) go through `validate_all`, and the accepted ones through `generate`.
//!
//! Whatever the input, the generator must not panic, and every rejection must point into the
//! file it names (a line from 1 to the file's line count + 1, a column from 1) with a message and
//! a help. The mutations come from a seeded generator so that a failure reproduces: the report
//! names the seed and the case, and `SPEC_FUZZ_SEED` replays another seed.

use std::collections::BTreeMap;
use std::path::Path;

use acs_codegen::{GenerateError, SpecError, SpecSource, generate, validate_all};
use acs_test_support::panics::catch_quietly;

use crate::support::{SPEC_KEYS, spec_sources};

/// The seed used unless `SPEC_FUZZ_SEED` gives another.
const DEFAULT_SEED: u64 = 0x5eed_2026_0526;

/// Mutated variants tried per real spec file: 4 files give 2,400 cases.
const CASES_PER_SPEC: usize = 600;

/// At most this many accepted variants are also generated; emitting a crate is far costlier than
/// validating a spec, and accepted variants differ little from each other.
const MAX_GENERATED: usize = 60;

/// Values of other YAML types, and YAML constructs a hand-written spec would never hold, to put
/// where a scalar was.
const OTHER_TYPES: &[&str] = &[
    "[]",
    "{}",
    "[1, 2]",
    "{a: 1}",
    "~",
    "null",
    "true",
    "False",
    "0",
    "-1",
    "4294967296",
    "18446744073709551616",
    "1e400",
    "-.inf",
    ".nan",
    "0x1F",
    "\"\"",
    "''",
    "\"\\u0000\"",
    "!!binary aGVsbG8=",
    "!custom tag",
    "&anchor value",
    "*undefined_alias",
    "|",
    ">-",
    "- item",
    "? complex key",
    "\"unterminated",
    "'unterminated",
    "@reserved",
    "`reserved",
    "%directive",
    "{region_id}",
    "\"{\\n\\n\\n\\n\\n\\n\\n\\n\\n\\n\\n\\n\\n\\n\\n\\n\\n\\n\\n\\n\\n\\n\\n\\n\\n\\n\\n\\n\\n\\n\"",
];

/// Fragments inserted at random places in the text.
const FRAGMENTS: &[&str] = &[
    "\t", ":", "[", "]", "{", "}", "\"", "'", "#", "- ", "\n", "&", "*", "!", "%", "@", "`", "|",
    ">", ",", "?", "\0", "\u{feff}", "\r", "\u{2028}", "镜像", "😀", ": :", "\n---\n", "\n...\n",
    "<<: *a", "\\",
];

/// What a mutation did, for the per-kind counts and for naming a failing case.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Kind {
    DeleteLine,
    DuplicateLine,
    SwapLines,
    Reindent,
    OtherType,
    Garbage,
    ValueFromElsewhere,
    Truncate,
    Insert,
    RenameKey,
    DeepNesting,
    SampleBody,
    Empty,
    Stacked,
}

const SINGLE_KINDS: &[Kind] = &[
    Kind::DeleteLine,
    Kind::DuplicateLine,
    Kind::SwapLines,
    Kind::Reindent,
    Kind::OtherType,
    Kind::Garbage,
    Kind::ValueFromElsewhere,
    Kind::Truncate,
    Kind::Insert,
    Kind::RenameKey,
    Kind::SampleBody,
];

/// The line-based mutator over one spec's text.
struct Mutator<'a> {
    rng: &'a mut fastrand::Rng,
}

impl Mutator<'_> {
    fn mutate(&mut self, text: &str, kind: Kind) -> String {
        let mut lines: Vec<String> = text.lines().map(str::to_owned).collect();
        if lines.is_empty() {
            return String::new();
        }
        let n = lines.len();
        match kind {
            Kind::DeleteLine => {
                lines.remove(self.rng.usize(..n));
            }
            Kind::DuplicateLine => {
                let i = self.rng.usize(..n);
                let copy = lines[i].clone();
                lines.insert(i, copy);
            }
            Kind::SwapLines => {
                let (i, j) = (self.rng.usize(..n), self.rng.usize(..n));
                lines.swap(i, j);
            }
            Kind::Reindent => {
                let i = self.rng.usize(..n);
                let line = &lines[i];
                let body = line.trim_start();
                let indent = line.len() - body.len();
                let new_indent = match self.rng.u8(..4) {
                    0 => indent.saturating_sub(self.rng.usize(1..=4)),
                    1 => indent + self.rng.usize(1..=4),
                    2 => 0,
                    _ => indent + 1,
                };
                let prefix = if self.rng.u8(..8) == 0 {
                    "\t".to_owned()
                } else {
                    " ".repeat(new_indent)
                };
                lines[i] = format!("{prefix}{body}");
            }
            Kind::OtherType => {
                let value = OTHER_TYPES[self.rng.usize(..OTHER_TYPES.len())];
                self.replace_value(&mut lines, value.to_owned());
            }
            Kind::Garbage => {
                let garbage = self.garbage();
                self.replace_value(&mut lines, garbage);
            }
            Kind::ValueFromElsewhere => {
                // A value taken from another line keeps the YAML valid more often than garbage
                // does, so the mutation reaches the validator's own checks.
                let donor = self.rng.usize(..n);
                if let Some((_, value)) = split_key_value(&lines[donor]) {
                    let value = value.to_owned();
                    self.replace_value(&mut lines, value);
                }
            }
            Kind::Truncate => {
                let cut = floor_char_boundary(text, self.rng.usize(..=text.len()));
                return text[..cut].to_owned();
            }
            Kind::Insert => {
                let mut out = text.to_owned();
                for _ in 0..self.rng.usize(1..=3) {
                    let at = floor_char_boundary(&out, self.rng.usize(..=out.len()));
                    let fragment = if self.rng.bool() {
                        FRAGMENTS[self.rng.usize(..FRAGMENTS.len())].to_owned()
                    } else {
                        self.garbage()
                    };
                    out.insert_str(at, &fragment);
                }
                return out;
            }
            Kind::RenameKey => {
                let candidates: Vec<usize> = (0..n)
                    .filter(|i| split_key_value(&lines[*i]).is_some())
                    .collect();
                if candidates.is_empty() {
                    return text.to_owned();
                }
                let i = candidates[self.rng.usize(..candidates.len())];
                let line = lines[i].clone();
                let colon = line.find(':').unwrap_or(line.len());
                let key = line[..colon].trim_start().trim_start_matches("- ");
                let start = colon - key.len();
                let new_key = match self.rng.u8(..4) {
                    0 => key.to_uppercase(),
                    1 => format!("{key}x"),
                    2 => key.chars().rev().collect(),
                    _ => SPEC_KEYS[self.rng.usize(..SPEC_KEYS.len())].to_owned(),
                };
                lines[i] = format!("{}{new_key}{}", &line[..start], &line[colon..]);
            }
            Kind::DeepNesting => {
                let depth = [200, 1_000, 10_000][self.rng.usize(..3)];
                let nested = match self.rng.u8(..3) {
                    0 => format!("{}{}", "[".repeat(depth), "]".repeat(depth)),
                    1 => format!("{}1{}", "{a: ".repeat(depth), "}".repeat(depth)),
                    // Block mappings nested by indentation, with a line of their own.
                    _ => {
                        let mut block = String::new();
                        for level in 0..depth.min(2_000) {
                            block.push('\n');
                            block.push_str(&" ".repeat(level + 1));
                            block.push_str("k:");
                        }
                        block.push_str(" 1");
                        block
                    }
                };
                self.replace_value(&mut lines, nested);
            }
            Kind::SampleBody => self.break_sample(&mut lines),
            Kind::Empty | Kind::Stacked => {}
        }
        let mut out = lines.join("\n");
        if text.ends_with('\n') {
            out.push('\n');
        }
        out
    }

    /// Replaces the value of a random `key: value` line (or a random `- item`).
    fn replace_value(&mut self, lines: &mut [String], value: String) {
        let candidates: Vec<usize> = (0..lines.len())
            .filter(|i| {
                split_key_value(&lines[*i]).is_some() || lines[*i].trim_start().starts_with("- ")
            })
            .collect();
        if candidates.is_empty() {
            return;
        }
        let i = candidates[self.rng.usize(..candidates.len())];
        let line = &lines[i];
        lines[i] = match split_key_value(line) {
            Some((key_part, _)) => format!("{key_part} {value}"),
            None => {
                let dash = line.find("- ").unwrap_or(0);
                format!("{}- {value}", &line[..dash])
            }
        };
    }

    /// Breaks the JSON of a sample body (`body:` or `repaired:`), written as a block scalar, a
    /// double-quoted scalar with escaped line breaks, or a single-quoted scalar: the validator reports
    /// a sample's JSON errors at a position inside the YAML, whichever way the text was written.
    fn break_sample(&mut self, lines: &mut Vec<String>) {
        let starts: Vec<usize> = (0..lines.len())
            .filter(|i| {
                let t = lines[*i].trim_start();
                t.starts_with("body:") || t.starts_with("repaired:")
            })
            .collect();
        if starts.is_empty() {
            return;
        }
        let start = starts[self.rng.usize(..starts.len())];
        let key_indent = lines[start].len() - lines[start].trim_start().len();
        let mut end = start + 1;
        while end < lines.len() {
            let l = &lines[end];
            if !l.trim().is_empty() && l.len() - l.trim_start().len() <= key_indent {
                break;
            }
            end += 1;
        }
        let json: Vec<String> = lines[start + 1..end]
            .iter()
            .map(|l| l.trim().to_owned())
            .collect();
        if json.is_empty() {
            return;
        }
        // The JSON with one line broken: a character dropped, doubled or replaced.
        let mut broken = json.clone();
        let at = self.rng.usize(..broken.len());
        let victim = broken[at].clone();
        broken[at] = match self.rng.u8(..3) {
            0 => victim.chars().skip(1).collect(),
            1 => format!("{victim},,"),
            _ => format!("{victim} x"),
        };
        let key = lines[start]
            .trim_start()
            .split(':')
            .next()
            .unwrap_or("body")
            .to_owned();
        let pad = " ".repeat(key_indent);
        let replacement: Vec<String> = match self.rng.u8(..3) {
            0 => {
                let mut block = vec![format!("{pad}{key}: |")];
                block.extend(broken.iter().map(|l| format!("{pad}  {l}")));
                block
            }
            1 => {
                let escaped: Vec<String> = broken
                    .iter()
                    .map(|l| l.replace('\\', "\\\\").replace('"', "\\\""))
                    .collect();
                vec![format!("{pad}{key}: \"{}\"", escaped.join("\\n"))]
            }
            _ => vec![format!(
                "{pad}{key}: '{}'",
                broken.join(" ").replace('\'', "''")
            )],
        };
        lines.splice(start..end, replacement);
    }

    /// A short run of random characters: ASCII punctuation, control bytes and non-ASCII.
    fn garbage(&mut self) -> String {
        let len = self.rng.usize(1..=12);
        (0..len)
            .map(|_| match self.rng.u8(..4) {
                0 => char::from(self.rng.u8(0x20..0x7f)),
                1 => char::from(self.rng.u8(0x00..0x20)),
                2 => self.rng.char('\u{80}'..='\u{10ffff}'),
                _ => self.rng.alphanumeric(),
            })
            .collect()
    }
}

/// `(indent and key and colon, value)` of a `key: value` line with a non-empty value.
fn split_key_value(line: &str) -> Option<(&str, &str)> {
    let trimmed = line.trim_start();
    if trimmed.starts_with('#') {
        return None;
    }
    let colon = line.find(": ")?;
    let key = line[..colon].trim_start().trim_start_matches("- ");
    if key.is_empty() || key.contains(['"', '\'', '{', '[', ' ']) {
        return None;
    }
    let value = line[colon + 1..].trim();
    (!value.is_empty()).then(|| (&line[..=colon], value))
}

fn floor_char_boundary(text: &str, mut at: usize) -> usize {
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

/// What is wrong with one reported error, if anything.
fn check_error(e: &SpecError, sources: &[SpecSource]) -> Option<String> {
    let Some(source) = sources.iter().find(|s| s.name == e.file) else {
        return Some(format!("names a file that was not given: {e}"));
    };
    let line_count = source.text.lines().count();
    if e.line < 1 || e.line > line_count + 1 {
        return Some(format!(
            "line {} is outside the file's {line_count} lines: {e}",
            e.line
        ));
    }
    if e.column < 1 {
        return Some(format!("column {} is below 1: {e}", e.column));
    }
    if e.message.trim().is_empty() {
        return Some(format!("has an empty message: {e:?}"));
    }
    if e.help.as_deref().is_none_or(|h| h.trim().is_empty()) {
        return Some(format!("has no help: {e}"));
    }
    None
}

/// One broken promise: which case, what went wrong, and the input that did it.
struct Failure {
    case: String,
    problem: String,
    input: String,
}

#[derive(Default)]
struct Tally {
    tried: usize,
    accepted: usize,
    rejected: usize,
    errors_checked: usize,
    panics: usize,
    generated: usize,
    per_kind: BTreeMap<String, (usize, usize)>,
    failures: Vec<Failure>,
}

impl Tally {
    fn fail(&mut self, case: &str, problem: String, input: &str) {
        self.failures.push(Failure {
            case: case.to_owned(),
            problem,
            input: input.to_owned(),
        });
    }

    /// Validates `sources` (where `sources[0]` is the mutated one) and, for an accepted set,
    /// generates it while the budget lasts; records every broken promise.
    fn run(&mut self, case: &str, kind: Kind, sources: &[SpecSource]) {
        self.tried += 1;
        let input = &sources[0].text;
        let outcome = catch_quietly(|| validate_all(sources));
        let accepted = matches!(outcome, Ok(Ok(_)));
        let entry = self.per_kind.entry(format!("{kind:?}")).or_default();
        entry.0 += 1;
        entry.1 += usize::from(accepted);
        match outcome {
            Err(panic) => {
                self.panics += 1;
                self.fail(case, format!("validate_all panicked: {panic}"), input);
            }
            Ok(Ok(_)) => {
                self.accepted += 1;
                if self.generated < MAX_GENERATED {
                    self.generated += 1;
                    self.generate(case, sources);
                }
            }
            Ok(Err(errors)) => {
                self.rejected += 1;
                if errors.0.is_empty() {
                    self.fail(case, "rejected with an empty list of errors".into(), input);
                }
                for e in &errors.0 {
                    self.errors_checked += 1;
                    if let Some(problem) = check_error(e, sources) {
                        self.fail(case, format!("an error {problem}"), input);
                    }
                }
            }
        }
    }

    fn generate(&mut self, case: &str, sources: &[SpecSource]) {
        let input = &sources[0].text;
        match catch_quietly(|| generate(sources)) {
            Err(panic) => {
                self.panics += 1;
                self.fail(
                    case,
                    format!("generate panicked on a spec validate_all accepted: {panic}"),
                    input,
                );
            }
            Ok(Ok(files)) if files.is_empty() => {
                self.fail(case, "generate returned no files".into(), input);
            }
            Ok(Ok(_)) => {}
            Ok(Err(GenerateError::Spec(e))) => self.fail(
                case,
                format!("generate rejected a spec validate_all accepted: {e}"),
                input,
            ),
            Ok(Err(e)) => self.fail(
                case,
                format!("generate emitted code that does not parse for an accepted spec: {e}"),
                input,
            ),
        }
    }

    /// Writes each failing input to a file of its own and returns the report.
    fn report(&self) -> String {
        let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("spec_mutations");
        // A stale directory from an earlier run is replaced; failing to write only loses the
        // copies, the report still names every case.
        let _ = std::fs::remove_dir_all(&dir);
        let _ = std::fs::create_dir_all(&dir);
        let mut report = format!(
            "{} broken promises; each failing input is in {}\n",
            self.failures.len(),
            dir.display()
        );
        for (i, f) in self.failures.iter().enumerate() {
            let file = dir.join(format!("failure-{i:04}.yaml"));
            let _ = std::fs::write(&file, &f.input);
            if i < 20 {
                report.push_str(&format!(
                    "\n[{i}] {}\n    {}\n    input: {}\n",
                    f.case,
                    f.problem.replace('\n', "\n    "),
                    file.display()
                ));
            }
        }
        report
    }
}

#[test]
fn mutated_specs_never_panic_and_every_rejection_points_into_its_file() {
    let seed = acs_test_support::seed_from_env("SPEC_FUZZ_SEED", DEFAULT_SEED);
    let specs = spec_sources(&["specs"]);
    assert!(
        specs.len() >= 4,
        "expected the four real specs in specs/, found {}",
        specs.len()
    );
    // The unmutated specs are the baseline: they must pass, or every mutation means nothing.
    if let Err(e) = validate_all(&specs) {
        panic!("the real specs do not validate:\n{e}");
    }
    let mut rng = fastrand::Rng::with_seed(seed);
    let mut tally = Tally::default();
    for (spec_index, spec) in specs.iter().enumerate() {
        for special in [
            "",
            "\n",
            "   \n\t\n",
            "# only a comment\n",
            "---\n",
            "~\n",
            "[]\n",
            "42\n",
        ] {
            let case = format!("{} replaced by {special:?}", spec.name);
            let source = SpecSource {
                name: spec.name.clone(),
                text: special.to_owned(),
            };
            tally.run(&case, Kind::Empty, &[source]);
        }
        for depth in [200, 10_000] {
            let mut m = Mutator { rng: &mut rng };
            let text = m.mutate(&spec.text, Kind::DeepNesting);
            let case = format!("{} with a value nested about {depth} deep", spec.name);
            let source = SpecSource {
                name: spec.name.clone(),
                text,
            };
            tally.run(&case, Kind::DeepNesting, &[source]);
        }
        for index in 0..CASES_PER_SPEC {
            let mut m = Mutator { rng: &mut rng };
            let (kind, text) = if index % 5 == 4 {
                // Two to four mutations on top of each other.
                let mut text = spec.text.clone();
                for _ in 0..m.rng.usize(2..=4) {
                    let kind = SINGLE_KINDS[m.rng.usize(..SINGLE_KINDS.len())];
                    text = m.mutate(&text, kind);
                }
                (Kind::Stacked, text)
            } else if index % 97 == 0 {
                (Kind::DeepNesting, m.mutate(&spec.text, Kind::DeepNesting))
            } else {
                let kind = SINGLE_KINDS[m.rng.usize(..SINGLE_KINDS.len())];
                (kind, m.mutate(&spec.text, kind))
            };
            let case = format!(
                "seed {seed} case {spec_index}/{index} ({kind:?} of {})",
                spec.name
            );
            let mutated = SpecSource {
                name: spec.name.clone(),
                text,
            };
            // Every tenth case is checked beside the other, unmutated specs, so that errors
            // across files (two modules with one name) are reached too.
            let mut sources = vec![mutated];
            if index % 10 == 0 {
                sources.extend(specs.iter().filter(|s| s.name != spec.name).cloned());
            }
            tally.run(&case, kind, &sources);
        }
    }
    println!(
        "spec mutations (seed {seed}): tried {}, accepted {}, rejected {} ({} errors checked), panics {}, generated {}",
        tally.tried,
        tally.accepted,
        tally.rejected,
        tally.errors_checked,
        tally.panics,
        tally.generated
    );
    for (kind, (tried, accepted)) in &tally.per_kind {
        println!("  {kind}: tried {tried}, accepted {accepted}");
    }
    assert!(tally.tried >= 2_000, "only {} cases tried", tally.tried);
    assert!(
        tally.rejected > tally.tried / 4,
        "too few rejections ({}) for the mutations to mean anything",
        tally.rejected
    );
    assert!(tally.failures.is_empty(), "{}", tally.report());
}

/// A sample body written as a double-quoted scalar, its line breaks escaped (`"{\n...}"`), is
/// one line of YAML: a JSON error in it must be reported on that line, not as many lines further
/// down as the JSON has line breaks before the error (which can be past the end of the file).
#[test]
fn a_json_error_in_a_quoted_sample_body_points_at_its_line() {
    let spec = spec_sources(&["specs"])
        .into_iter()
        .find(|s| s.name.ends_with("ens-2017-11-10.yaml"))
        .unwrap_or_else(|| panic!("specs/ens-2017-11-10.yaml is missing"));
    let start = spec
        .text
        .find("        body: |")
        .unwrap_or_else(|| panic!("the ENS spec has no block `body: |`"));
    // The sample is the file's last value: replace it with a quoted scalar holding 40 escaped
    // line breaks and then a JSON error.
    let mut text = spec.text[..start].to_owned();
    text.push_str("        body: \"{");
    text.push_str(&"\\n".repeat(40));
    text.push_str(" x\"\n");
    let body_line = text.lines().count();
    let errors = match validate_all(&[SpecSource {
        name: spec.name.clone(),
        text: text.clone(),
    }]) {
        Ok(_) => panic!("a sample that is not JSON was accepted"),
        Err(e) => e.0,
    };
    assert_eq!(errors.len(), 1, "{errors:#?}");
    assert_eq!(
        errors[0].line, body_line,
        "the error should be on the `body:` line ({body_line}), the file has {body_line} lines: {}",
        errors[0]
    );
}
