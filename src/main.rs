//! The `schemaplan` binary: argument parsing and the terminal live in `cli`; everything else is
//! the library.

mod cli;

fn main() {
    let code = cli::run();
    schemaplan::pg::interrupt::wait_if_interrupted();
    std::process::exit(code);
}
