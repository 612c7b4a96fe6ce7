//! Generates one test function per directory under `tests/cases/`, so that adding a case means
//! adding a directory (see tests/cases.rs).

use std::fmt::Write as _;

fn main() {
    println!("cargo:rerun-if-changed=tests/cases");
    let mut names: Vec<String> = std::fs::read_dir("tests/cases")
        .map(|dir| {
            dir.filter_map(|e| e.ok())
                .filter(|e| e.path().is_dir())
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    let mut code = String::new();
    for name in &names {
        assert!(
            name.chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_'),
            "case directory names must be snake_case: {name}"
        );
        writeln!(code, "#[test]\nfn {name}() {{\n    run(\"{name}\");\n}}").unwrap();
    }
    let out = std::path::Path::new(&std::env::var("OUT_DIR").unwrap()).join("cases.rs");
    std::fs::write(out, code).unwrap();
}
