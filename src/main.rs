//! The `sdet-audit` binary: parse the arguments, run the command, render any error with miette,
//! return the exit code. Everything else lives in the library.

use std::process::ExitCode;

use clap::Parser;
use sdet_audit::cli::{self, Cli};
use sdet_audit::exit;

fn main() -> ExitCode {
    match cli::run(Cli::parse()) {
        Ok(code) => exit::code(code),
        Err(error) => {
            let code = error.exit_code();
            #[allow(clippy::disallowed_macros)] // the edge: the one place errors are shown
            {
                eprintln!("{:?}", miette::Report::new(error));
            }
            exit::code(code)
        }
    }
}
