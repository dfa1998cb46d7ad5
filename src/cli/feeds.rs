//! `feeds check`: checks AAF export files or folders as one set and prints the findings, as JSON (the
//! contract) or as a terminal summary, in French or English (`--lang`), with a progress bar on a
//! terminal. Exit 0 with no error finding, 1 with some, 2 on a usage error.

use std::path::PathBuf;

use super::progress::Bar;
use super::{FeedsCommand, LangArg, TextFormat};
use crate::error::Error;
use crate::feeds::{self, FeedsError, render};

/// Runs a `feeds` subcommand.
pub fn run(command: &FeedsCommand) -> Result<u8, Error> {
    match command {
        FeedsCommand::Reconcile(args) => super::reconcile::run(args),
        FeedsCommand::Check {
            paths,
            format,
            lang,
        } => check(paths, *format, *lang),
    }
}

/// `feeds check PATH…`.
fn check(paths: &[PathBuf], format: Option<TextFormat>, lang: LangArg) -> Result<u8, Error> {
    let render = match format.unwrap_or_else(TextFormat::for_stdout) {
        TextFormat::Terminal => render::terminal,
        TextFormat::Json => render::json,
    };
    let report = feeds::check(paths, &Bar::bytes()).map_err(|e| match e {
        FeedsError::Path { path, source } => Error::Io { path, source },
        e @ FeedsError::NoFiles { .. } => Error::Feeds(e),
    })?;
    super::print_lines(&render(&report, lang.into()))?;
    Ok(report.exit_code())
}
