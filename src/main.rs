//! The `schemaplan` binary: argument parsing and the terminal live in `cli`; everything else is
//! the library.

mod cli;

fn main() {
    std::process::exit(cli::run());
}
