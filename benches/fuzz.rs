//! The loader fuzzed for a length of time (the bounded run in `cargo test` is `tests/fuzz.rs`).
//!
//! Run: `cargo bench --bench fuzz -- 30m [SEED]` (`scripts/fuzz.sh` wraps it). Every input is
//! loaded in this process; a panic is caught and counted. An input still loading after
//! `HANG_SECONDS` is a hang, and one after which the process's peak memory passes
//! `MAX_RSS_MB` is a memory failure: either stops the run with exit 2, its input saved under
//! `target/fuzz/`. An abort (allocation failure, stack overflow) kills the process; the input
//! being loaded is always in `target/fuzz/current.yaml`, so the script can name it.

#[path = "../tests/fuzz_engine.rs"]
mod fuzz_engine;

use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use fuzz_engine::{Fuzzer, Outcome, run, seeds};

const HANG_SECONDS: u64 = 10;
const MAX_RSS_MB: u64 = 400;

fn main() {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with("--"))
        .collect();
    let duration = args
        .first()
        .map_or(Duration::from_secs(60), |a| parse_duration(a));
    let seed: u64 = args.get(1).and_then(|s| s.parse().ok()).unwrap_or(1);
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = repo.join("target/fuzz");
    std::fs::create_dir_all(&out).expect("creating target/fuzz");
    let seed_texts = seeds(repo);
    println!(
        "fuzzing the loader for {duration:?} (seed {seed}, {} seed files)",
        seed_texts.len()
    );
    let mut fuzzer = Fuzzer::new(seed, seed_texts);

    // When the current input started (ms since `start`), or 0 between inputs.
    let start = Instant::now();
    let began = Arc::new(AtomicU64::new(0));
    {
        let began = began.clone();
        let current = out.join("current.yaml");
        let hang = out.join("hang.yaml");
        std::thread::spawn(move || {
            loop {
                std::thread::sleep(Duration::from_millis(500));
                let at = began.load(Ordering::SeqCst);
                let now = start.elapsed().as_millis() as u64;
                if at > 0 && now - at > HANG_SECONDS * 1000 {
                    let _ = std::fs::copy(&current, &hang);
                    eprintln!(
                        "HANG: an input has been loading for over {HANG_SECONDS} s: {}",
                        hang.display()
                    );
                    std::process::exit(2);
                }
            }
        });
    }

    // Panics are counted, not printed as they happen.
    std::panic::set_hook(Box::new(|_| {}));
    let (mut inputs, mut loaded, mut refused, mut panics) = (0u64, 0u64, 0u64, 0u64);
    let (mut slowest, mut slowest_len) = (Duration::ZERO, 0);
    let mut next_report = Duration::from_secs(60);
    while start.elapsed() < duration {
        let input = fuzzer.input();
        std::fs::write(out.join("current.yaml"), &input).expect("writing target/fuzz");
        began.store(start.elapsed().as_millis().max(1) as u64, Ordering::SeqCst);
        let t = Instant::now();
        let outcome = run(&input);
        let took = t.elapsed();
        began.store(0, Ordering::SeqCst);
        inputs += 1;
        if took > slowest {
            (slowest, slowest_len) = (took, input.len());
        }
        match outcome {
            Outcome::Loaded => loaded += 1,
            Outcome::Refused => refused += 1,
            Outcome::Panicked(message) => {
                panics += 1;
                let file = out.join(format!("panic-{panics}.yaml"));
                std::fs::write(&file, &input).expect("writing target/fuzz");
                eprintln!("PANIC: {message} ({})", file.display());
            }
        }
        let peak = peak_rss_mb();
        if peak > MAX_RSS_MB {
            let file = out.join("memory.yaml");
            std::fs::write(&file, &input).expect("writing target/fuzz");
            eprintln!(
                "MEMORY: peak RSS {peak} MB after this input, over {MAX_RSS_MB} MB: {}",
                file.display()
            );
            std::process::exit(2);
        }
        if start.elapsed() >= next_report {
            println!(
                "  {:>4} s: {inputs} inputs, {panics} panics, peak RSS {peak} MB",
                start.elapsed().as_secs()
            );
            next_report += Duration::from_secs(60);
        }
    }
    println!(
        "fuzz: {inputs} inputs in {:.0} s ({loaded} loaded, {refused} refused), {panics} panics, \
         0 aborts, 0 hangs; slowest input {:.3} s ({slowest_len} bytes); peak RSS {} MB",
        start.elapsed().as_secs_f64(),
        slowest.as_secs_f64(),
        peak_rss_mb()
    );
    if panics > 0 {
        std::process::exit(1);
    }
}

/// `30m`, `90s`, `2h` or seconds.
fn parse_duration(text: &str) -> Duration {
    let (number, unit) = text.split_at(text.trim_end_matches(char::is_alphabetic).len());
    let n: u64 = number.parse().unwrap_or(60);
    Duration::from_secs(match unit {
        "h" => n * 3600,
        "m" => n * 60,
        _ => n,
    })
}

/// The process's peak resident memory (VmHWM), in MB.
fn peak_rss_mb() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
        .map_or(0, |kb| kb / 1024)
}
