//! The `sdet-audit` binary: parse the arguments (in the language they choose), run the command,
//! render any error with miette, return the exit code. Everything else lives in the library.

use std::process::ExitCode;

use sdet_audit::cli::{self, Stop};
use sdet_audit::exit;

fn main() -> ExitCode {
    let env_lang = std::env::var_os(cli::language::ENV);
    let (cli, lang) = match cli::parse(std::env::args_os().collect(), env_lang.as_deref()) {
        Ok(parsed) => parsed,
        Err(Stop::Clap(error)) => {
            // Help and version on standard output (exit 0), an error on standard error (exit 2).
            let _ = error.print();
            return ExitCode::from(u8::try_from(error.exit_code()).unwrap_or(2));
        }
        Err(Stop::French(message)) => {
            #[allow(clippy::disallowed_macros)] // the edge: the one place errors are shown
            {
                eprint!("{message}");
            }
            return exit::code(exit::USAGE);
        }
    };
    // Errors are typed data until here and miette shows them through `Display`: they read the
    // language from this process-wide setting, made once, before anything can fail.
    sdet_audit::text::show_errors_in(lang);
    match cli::run(cli, lang) {
        Ok(code) => exit::code(code),
        Err(error) => {
            let code = error.exit_code();
            #[allow(clippy::disallowed_macros)] // the edge: the one place errors are shown
            {
                eprintln!("{}", cli::shown::error(error, lang));
            }
            exit::code(code)
        }
    }
}
