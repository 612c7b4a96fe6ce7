//! Generates one test function per directory under `tests/cases/` and `tests/errors/`, so that
//! adding a case means adding a directory (see tests/cases.rs and tests/errors.rs).

use std::fmt::Write as _;

fn case_names(dir: &str) -> Vec<String> {
    println!("cargo:rerun-if-changed={dir}");
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .map(|d| {
            d.filter_map(|e| e.ok())
                .filter(|e| e.path().is_dir())
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    for name in &names {
        assert!(
            name.chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_'),
            "test directory names must be snake_case: {dir}/{name}"
        );
    }
    names
}

fn write_tests(dir: &str, file: &str) {
    let mut code = String::new();
    for name in case_names(dir) {
        writeln!(code, "#[test]\nfn {name}() {{\n    run(\"{name}\");\n}}").unwrap();
    }
    let out = std::path::Path::new(&std::env::var("OUT_DIR").unwrap()).join(file);
    std::fs::write(out, code).unwrap();
}

fn main() {
    write_tests("tests/cases", "cases.rs");
    write_tests("tests/errors", "errors.rs");
}
