//! A spec never panics the generator: specs assembled at random from the spec format's own keys
//! (every name drawn from a pool of names that clash with generated code, keywords, Unicode and
//! punctuation; types, styles, limits, values, paging and samples that fit or do not), and
//! random YAML documents made of the format's keys, all go through `generate`. Each must come
//! back as files or as errors that point into the file, never as a panic.
//!
//! The cases come from a seeded generator, so a failure reproduces: the report names the seed and
//! the case, and `SPEC_RANDOM_SEED` replays another seed.

use std::num::NonZeroUsize;

use acs_codegen::{GenerateError, SpecSource, generate_with_workers};
use acs_test_support::panics::catch_quietly;

const DEFAULT_SEED: u64 = 0x00dd_ba11_5eed;

/// Specs assembled field by field.
const SPEC_CASES: usize = 1_000;

/// YAML documents of random shape.
const YAML_CASES: usize = 300;

use crate::support::SPEC_KEYS;
use crate::support::random_spec::{Assembler, NAMES, TYPES, quoted};

/// A YAML document of random shape: mappings keyed by the format's keys, lists and scalars.
fn yaml(a: &mut Assembler, depth: usize, indent: usize, out: &mut String) {
    let pad = " ".repeat(indent);
    match a.rng.u8(..3) {
        0 if depth < 6 => {
            for _ in 0..a.rng.usize(1..4) {
                let key = a.pick(SPEC_KEYS);
                out.push_str(&format!("{pad}{key}:"));
                value(a, depth, indent, out);
            }
        }
        1 if depth < 6 => {
            for _ in 0..a.rng.usize(1..3) {
                out.push_str(&format!("{pad}-"));
                value(a, depth, indent, out);
            }
        }
        _ => out.push_str(&format!("{pad}{}\n", quoted(a.pick(NAMES)))),
    }
}

fn value(a: &mut Assembler, depth: usize, indent: usize, out: &mut String) {
    if a.chance(50) {
        let scalar = match a.rng.u8(..4) {
            0 => quoted(a.pick(NAMES)),
            1 => a.rng.i64(-5..100).to_string(),
            2 => "[]".to_owned(),
            _ => quoted(a.pick(TYPES)),
        };
        out.push_str(&format!(" {scalar}\n"));
    } else {
        out.push('\n');
        yaml(a, depth + 1, indent + 2, out);
    }
}

#[derive(Default)]
struct Tally {
    accepted: usize,
    rejected: usize,
    failures: Vec<String>,
}

impl Tally {
    fn run(&mut self, case: &str, text: String) {
        let source = SpecSource {
            name: "specs/random.yaml".into(),
            text,
        };
        let lines = source.text.lines().count();
        let one = NonZeroUsize::MIN;
        let outcome = catch_quietly(|| generate_with_workers(std::slice::from_ref(&source), one));
        match outcome {
            Err(message) => {
                self.failures
                    .push(format!("{case}: panicked: {message}\n{}", source.text));
            }
            Ok(Ok(_)) => self.accepted += 1,
            Ok(Err(GenerateError::Spec(errors))) => {
                self.rejected += 1;
                for e in &errors.0 {
                    if e.line < 1 || e.line > lines + 1 || e.column < 1 || e.help.is_none() {
                        self.failures.push(format!(
                            "{case}: an error points nowhere: {e}\n{}",
                            source.text
                        ));
                    }
                }
            }
            Ok(Err(e)) => self.failures.push(format!(
                "{case}: an accepted spec gave code that does not parse: {e}\n{}",
                source.text
            )),
        }
    }
}

#[test]
fn random_specs_and_random_yaml_never_panic_the_generator() {
    let seed = acs_test_support::seed_from_env("SPEC_RANDOM_SEED", DEFAULT_SEED);
    let mut rng = fastrand::Rng::with_seed(seed);
    let mut tally = Tally::default();
    for i in 0..SPEC_CASES {
        let text = Assembler { rng: &mut rng }.spec();
        tally.run(&format!("seed {seed} spec {i}"), text);
    }
    let assembled = (tally.accepted, tally.rejected);
    for i in 0..YAML_CASES {
        let mut text = String::new();
        yaml(&mut Assembler { rng: &mut rng }, 0, 0, &mut text);
        tally.run(&format!("seed {seed} yaml {i}"), text);
    }
    println!(
        "random specs (seed {seed}): assembled {} accepted, {} rejected; {} YAML documents",
        assembled.0, assembled.1, YAML_CASES
    );
    // Both outcomes must be common, or the cases test little.
    assert!(
        assembled.0 >= SPEC_CASES / 20,
        "only {} assembled specs accepted",
        assembled.0
    );
    assert!(
        assembled.1 >= SPEC_CASES / 20,
        "only {} assembled specs rejected",
        assembled.1
    );
    assert!(
        tally.failures.is_empty(),
        "{} broken promises; the first:\n{}",
        tally.failures.len(),
        tally
            .failures
            .first()
            .map(String::as_str)
            .unwrap_or_default()
    );
}
