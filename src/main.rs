//! The `kb` binary: parse the command line, run the command, print any error with its location
//! and hint, and exit with the error's code.

mod cli;

use clap::Parser;
use cli::Cli;
use kb::render::diagnostic;
use std::process::ExitCode;

// Loading a KB allocates many small values from several threads at once, where mimalloc is
// markedly faster than the system allocator.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    // `KB_DIR=` (set but empty, as a CI template leaves it) means "not set", not "an empty
    // --kb"; this runs before any thread starts.
    if std::env::var_os("KB_DIR").is_some_and(|v| v.to_string_lossy().trim().is_empty()) {
        std::env::remove_var("KB_DIR");
    }
    let cli = Cli::parse();
    match cli::run(cli) {
        Ok(code) => code.into(),
        // Our reader went away (`kb ls | head`): nothing left to say.
        Err(e) if e.is_broken_pipe() => ExitCode::SUCCESS,
        Err(e) => {
            diagnostic::print_error(&e);
            ExitCode::from(e.exit_code())
        }
    }
}
