//! `feeds check`: checks AAF export files or folders as one set and writes the findings — a
//! terminal summary, JSON (the contract), JUnit or SARIF — in French or English (`--lang`), to
//! standard output or to each `--output` file, with a progress bar on a terminal. Exit 0 with no
//! error finding, 1 with some, 2 on a usage error.

use std::io::Write as _;
use std::path::PathBuf;

use super::output::{check_outputs, file_format, format_of, write_atomically};
use super::progress::Bar;
use super::{FeedsCommand, FeedsFormat, OutputArgs};
use crate::error::Error;
use crate::feeds::{self, FeedReport, FeedsError, render};
use crate::text::Lang;

/// Runs a `feeds` subcommand.
pub fn run(command: &FeedsCommand) -> Result<u8, Error> {
    match command {
        FeedsCommand::Reconcile(args) => super::reconcile::run(args),
        FeedsCommand::Check { paths, output } => check(paths, output),
    }
}

/// `feeds check PATH…`.
fn check(paths: &[PathBuf], out: &OutputArgs<FeedsFormat>) -> Result<u8, Error> {
    check_outputs(out)?;
    let report = feeds::check(paths, &Bar::bytes()).map_err(|e| match e {
        FeedsError::Path { path, cause } => Error::Io {
            path,
            source: cause,
        },
        e @ FeedsError::NoFiles { .. } => Error::Feeds(e),
    })?;
    let lang: Lang = out.lang.into();
    if out.output.is_empty() {
        let (format, to_terminal) = format_of(out)?;
        let color = out.color.enabled(to_terminal);
        super::print_lines(&rendered(&report, format, lang, color))?;
    } else {
        // As for reports: a file gets colour only when asked for outright.
        let color = out.color == super::ColorArg::Always;
        for path in &out.output {
            let format = file_format(out, path)?;
            write_atomically(path, rendered(&report, format, lang, color).as_bytes())?;
        }
        if !out.quiet {
            summary(&report, out, lang);
        }
    }
    Ok(report.exit_code())
}

fn rendered(report: &FeedReport, format: FeedsFormat, lang: Lang, color: bool) -> String {
    match format {
        FeedsFormat::Terminal => render::terminal(report, lang, color),
        FeedsFormat::Json => render::json(report, lang),
        FeedsFormat::Junit => render::junit::render(report, lang),
        FeedsFormat::Sarif => render::sarif::render(report, lang),
    }
}

/// `constats écrits : a.sarif — 2 erreur(s), 1 avertissement(s) (code de sortie 1)`: a CI log
/// of a run that wrote only files is never silent.
fn summary(report: &FeedReport, out: &OutputArgs<FeedsFormat>, lang: Lang) {
    let files: Vec<String> = out.output.iter().map(|p| p.display().to_string()).collect();
    let s = &report.summary;
    let line = match lang {
        Lang::Fr => format!(
            "constats écrits : {} — {} enregistrement(s), {} erreur(s), {} avertissement(s) (code de sortie {})\n",
            files.join(", "),
            report.records,
            s.errors,
            s.warnings,
            report.exit_code()
        ),
        Lang::En => format!(
            "findings written: {} — {} record(s), {} error(s), {} warning(s) (exit code {})\n",
            files.join(", "),
            report.records,
            s.errors,
            s.warnings,
            report.exit_code()
        ),
    };
    let _ = std::io::stderr().lock().write_all(line.as_bytes());
}
