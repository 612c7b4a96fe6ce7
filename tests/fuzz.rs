//! The loader fuzzed for a bounded number of inputs on every test run (the long run is
//! `scripts/fuzz.sh`): whatever the text, loading it gives a desired state or located
//! problems, never a panic. Inputs that abort or hang stop the test binary, which fails too.

use crate::fuzz_engine::{Fuzzer, Outcome, run, seeds};
use crate::harness::repo_path;

/// Enough to meet every kind of mutation and costly shape hundreds of times (about 10 s in a
/// debug build); `SCHEMAPLAN_FUZZ_SEED` picks another sequence.
const INPUTS: usize = 8_000;

#[test]
fn fuzzed_desired_states_load_or_are_refused_without_a_panic() {
    let seed = std::env::var("SCHEMAPLAN_FUZZ_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(2026);
    let mut fuzzer = Fuzzer::new(seed, seeds(&repo_path(".")));
    let (mut loaded, mut refused) = (0, 0);
    let mut panics = Vec::new();
    for i in 0..INPUTS {
        let input = fuzzer.input();
        match run(&input) {
            Outcome::Loaded => loaded += 1,
            Outcome::Refused => refused += 1,
            Outcome::Panicked(message) => panics.push(format!("input {i}: {message}\n{input}")),
        }
    }
    assert!(
        panics.is_empty(),
        "seed {seed}: {} panics:\n{}",
        panics.len(),
        panics.join("\n---\n")
    );
    // Mutations that never leave a loadable file, or never a broken one, would test nothing.
    assert!(
        loaded > 0 && refused > 0,
        "loaded {loaded}, refused {refused}"
    );
}

/// A file that never ends (a device named as the desired state) is read no further than the
/// size limit and refused, with the file named.
#[test]
fn an_endless_file_is_refused_at_the_size_limit() {
    let err = schemaplan::yaml::load_path(std::path::Path::new("/dev/zero"))
        .expect_err("/dev/zero is no desired state")
        .to_string();
    assert!(
        err.starts_with("/dev/zero:1:1: the file holds more than"),
        "{err}"
    );
}
