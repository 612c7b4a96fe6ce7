//! A mutation fuzzer for the loader (`yaml::load_sources`), shared by the bounded test
//! (`tests/fuzz.rs`, in `cargo test`) and the long run (`benches/fuzz.rs`, `scripts/fuzz.sh`).
//!
//! Inputs start from the repository's own desired states (`schema/`, `tests/cases/`,
//! `tests/errors/`) and are changed the ways YAML goes wrong: bytes flipped, cut or repeated,
//! YAML's punctuation and anchors/aliases inserted, lines of other files spliced in, and the
//! shapes known to be costly (alias bombs, deep nesting, long scalars) generated outright. The
//! generator is a seeded xorshift, so a seed names its whole sequence of inputs.

use std::path::{Path, PathBuf};

/// The seeds: every YAML file under `schema/`, `tests/cases/` and `tests/errors/`, sorted.
pub fn seeds(repo: &Path) -> Vec<String> {
    let mut paths = Vec::new();
    for dir in ["schema", "tests/cases", "tests/errors"] {
        collect(&repo.join(dir), &mut paths);
    }
    paths.sort();
    paths
        .iter()
        .filter_map(|p| std::fs::read_to_string(p).ok())
        .collect()
}

fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect(&path, out);
        } else if path.extension().is_some_and(|e| e == "yaml" || e == "yml") {
            out.push(path);
        }
    }
}

/// Pieces of YAML (and of SQL inside it) that mutations insert.
const TOKENS: &[&str] = &[
    "&a ",
    "*a",
    "&b ",
    "*b",
    "<<: *a",
    "[",
    "]",
    "{",
    "}",
    ": ",
    "- ",
    ",",
    "\"",
    "'",
    "|",
    ">",
    "|-",
    "? ",
    "!!str ",
    "!!binary ",
    "!x ",
    "%YAML 1.2\n---\n",
    "---\n",
    "...\n",
    "#",
    "\t",
    "\n",
    "\n  ",
    "\n    - ",
    "~",
    "null",
    "''",
    "\\",
    "\\u0000",
    "\u{feff}",
    "\u{e9}",
    "\u{1F600}",
    "\r\n",
    ";",
    "$$",
    "--",
    "/*",
    "*/",
    "(",
    ")",
    "'; DROP TABLE t; --",
    "0); SELECT 1; (",
    "columns:",
    "tables:",
    "schemas:",
    "public:",
    "type: ",
    "default: ",
    "check: ",
    "backfill: ",
    "renamed_from: ",
    "primary_key: ",
    "references: ",
    "indexes:",
    "views:",
    "functions:",
    "sql: ",
    "body: ",
    "1e999",
    "-0",
    "0x10",
    "99999999999999999999",
];

pub struct Fuzzer {
    state: u64,
    seeds: Vec<String>,
}

impl Fuzzer {
    pub fn new(seed: u64, seeds: Vec<String>) -> Fuzzer {
        assert!(!seeds.is_empty(), "no seed inputs found");
        Fuzzer {
            state: seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1,
            seeds,
        }
    }

    fn next(&mut self) -> u64 {
        self.state ^= self.state << 13;
        self.state ^= self.state >> 7;
        self.state ^= self.state << 17;
        self.state
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    fn any_seed(&mut self) -> String {
        let i = self.below(self.seeds.len());
        self.seeds[i].clone()
    }

    /// The next input.
    pub fn input(&mut self) -> String {
        match self.below(20) {
            0 => self.costly_shape(),
            _ => {
                let mut text = self.any_seed();
                for _ in 0..1 + self.below(6) {
                    text = self.mutate(text);
                }
                text
            }
        }
    }

    fn mutate(&mut self, text: String) -> String {
        let mut bytes = text.into_bytes();
        let at = self.below(bytes.len() + 1);
        match self.below(9) {
            0 if !bytes.is_empty() => {
                let i = self.below(bytes.len());
                bytes[i] ^= 1 << self.below(8);
            }
            1 => {
                let end = (at + self.below(64)).min(bytes.len());
                bytes.drain(at..end);
            }
            2 => {
                let end = (at + self.below(200)).min(bytes.len());
                let piece = bytes[at..end].to_vec();
                for _ in 0..1 + self.below(4) {
                    bytes.splice(at..at, piece.iter().copied());
                }
            }
            3 => {
                let other = self.any_seed();
                let lines: Vec<&str> = other.lines().collect();
                let from = self.below(lines.len());
                let to = (from + 1 + self.below(10)).min(lines.len());
                let piece = format!("{}\n", lines[from..to].join("\n"));
                let at = line_start(&bytes, at);
                bytes.splice(at..at, piece.into_bytes());
            }
            4 => {
                // An anchor on one value and aliases of it elsewhere.
                let name = format!("n{}", self.below(4));
                let at = self.below(bytes.len() + 1);
                bytes.splice(at..at, format!("&{name} ").into_bytes());
                for _ in 0..1 + self.below(5) {
                    let at = self.below(bytes.len() + 1);
                    bytes.splice(at..at, format!("*{name}").into_bytes());
                }
            }
            5 => {
                // Indentation shifted for a line.
                let at = line_start(&bytes, at);
                let spaces = vec![b' '; 1 + self.below(8)];
                bytes.splice(at..at, spaces);
            }
            _ => {
                let token = TOKENS[self.below(TOKENS.len())];
                bytes.splice(at..at, token.bytes());
            }
        }
        // A cut inside a character leaves invalid UTF-8, which the loader never sees (files
        // are read as UTF-8 first): keep what is valid.
        String::from_utf8_lossy(&bytes).into_owned()
    }

    /// Shapes that cost memory or time when a parser is careless.
    fn costly_shape(&mut self) -> String {
        let n = 2 + self.below(12);
        match self.below(7) {
            0 => {
                // Alias bomb: n anchors, each a list of n aliases of the previous.
                let mut s = String::from("a0: &a0 [x, y]\n");
                for i in 1..n {
                    let items = vec![format!("*a{}", i - 1); n].join(", ");
                    s.push_str(&format!("a{i}: &a{i} [{items}]\n"));
                }
                s.push_str(&format!("schemas: *a{}\n", n - 1));
                s
            }
            1 => {
                // The same in block style, with merge keys.
                let mut s = String::from("base: &m0\n  columns: {id: bigint}\n");
                for i in 1..n {
                    s.push_str(&format!("m{i}: &m{i}\n"));
                    for j in 0..n {
                        s.push_str(&format!("  k{j}: *m{}\n", i - 1));
                    }
                }
                s.push_str(&format!(
                    "schemas:\n  public:\n    tables:\n      t: *m{}\n",
                    n - 1
                ));
                s
            }
            2 => {
                let depth = 10 + self.below(5000);
                format!("schemas: {}{}\n", "[".repeat(depth), "]".repeat(depth))
            }
            3 => {
                let depth = 10 + self.below(3000);
                let mut s = String::new();
                for level in 0..depth {
                    s.push_str(&" ".repeat(level));
                    s.push_str(&format!("k{level}:\n"));
                }
                s
            }
            4 => {
                let len = 1000 + self.below(2_000_000);
                format!(
                    "schemas:\n  public:\n    tables:\n      t:\n        columns:\n          c: {{type: text, default: \"'{}'\"}}\n",
                    "x".repeat(len)
                )
            }
            5 => {
                // Many small documents, each with anchors.
                let mut s = String::new();
                for i in 0..self.below(3000) {
                    s.push_str(&format!("---\nk: &a{i} [*a{i}]\n"));
                }
                s
            }
            _ => {
                // An expression nested deeply in a SQL field.
                let depth = 10 + self.below(20_000);
                format!(
                    "schemas:\n  public:\n    tables:\n      t:\n        columns:\n          c: {{type: int, default: \"{}1{}\"}}\n",
                    "(".repeat(depth),
                    ")".repeat(depth)
                )
            }
        }
    }
}

fn line_start(bytes: &[u8], at: usize) -> usize {
    bytes[..at.min(bytes.len())]
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |p| p + 1)
}

/// What loading one input did.
pub enum Outcome {
    Loaded,
    Refused,
    Panicked(String),
}

/// Loads `text` as a file of the desired state, a panic caught and reported.
pub fn run(text: &str) -> Outcome {
    let files = [("fuzz.yaml".to_string(), text.to_string())];
    match std::panic::catch_unwind(|| schemaplan::yaml::load_sources(&files)) {
        Ok(Ok(_)) => Outcome::Loaded,
        Ok(Err(_)) => Outcome::Refused,
        Err(payload) => Outcome::Panicked(
            payload
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| payload.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_default(),
        ),
    }
}
