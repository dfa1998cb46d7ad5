//! `feeds check`: checks AAF export files or folders as one set and prints the findings, as JSON (the
//! contract) or as a terminal summary, in French or English (`--lang`), with a progress bar on a
//! terminal. Exit 0 with no error finding, 1 with some, 2 on a usage error.

use std::io::{IsTerminal, Write};

use super::progress::Bar;
use super::{FeedsCommand, Format};
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
        } => {
            let format = format.unwrap_or(if std::io::stdout().is_terminal() {
                Format::Terminal
            } else {
                Format::Json
            });
            let render = match format {
                Format::Terminal => render::terminal,
                Format::Json => render::json,
                other => {
                    let name = format!("{other:?}").to_lowercase();
                    return Err(Error::Usage(format!(
                        "`feeds check` writes `terminal` or `json`, not `{name}`"
                    )));
                }
            };
            let bar = Bar::bytes();
            let report = feeds::check(paths, &bar).map_err(|e| match e {
                FeedsError::Path { path, source } => Error::Io { path, source },
                e @ FeedsError::NoFiles { .. } => Error::Feeds(e),
            })?;
            let mut text = render(&report, (*lang).into());
            if !text.ends_with('\n') {
                text.push('\n');
            }
            std::io::stdout()
                .lock()
                .write_all(text.as_bytes())
                .map_err(|source| Error::Io {
                    path: "<stdout>".into(),
                    source,
                })?;
            Ok(report.exit_code())
        }
    }
}
