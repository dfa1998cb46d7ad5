//! Runs the commands that produce a report, and writes it: the chosen format, to standard output
//! or atomically to a file (a temporary file renamed into place, so an interrupted run never
//! leaves half a report), with a progress bar on a terminal.

use std::io::{IsTerminal, Write};
use std::path::Path;

use clap::ValueEnum;
use indicatif::{ProgressBar, ProgressStyle};

use super::{AuditArgs, DemoArgs, OutputArgs, ReportArgs};
use crate::audit::{self, AuditOptions, Progress};
use crate::error::Error;
use crate::evidence::Observation;
use crate::probe::http::HttpOptions;
use crate::report::{self, Report};
use crate::target::Secrets;
use crate::text::Lang;

/// Output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Human-readable summary (default on a terminal).
    Terminal,
    /// The JSON contract (default when piped).
    Json,
    /// One self-contained HTML file.
    Html,
    /// Markdown.
    Markdown,
    /// CSV, one row per criterion.
    Csv,
    /// `JUnit` XML.
    Junit,
    /// SARIF 2.1.0.
    Sarif,
}

pub fn demo(args: &DemoArgs) -> Result<u8, Error> {
    if args.defects.iter().any(|d| d == "list") {
        print_defects(args.output.lang.into());
        return Ok(crate::exit::CONFORME);
    }
    let defects = audit::demo::parse_defects(&args.defects)?;
    let runtime = runtime()?;
    let progress = Bar::new();
    let report = runtime.block_on(audit::demo::run(&defects, &progress))?;
    write_report(&report, &args.output)
}

pub fn audit(args: &AuditArgs) -> Result<u8, Error> {
    if args.evidence.is_some() {
        return Err(Error::NotImplemented {
            what: "`--evidence`".into(),
            planned: "planned in issue \"Scores, declarations, waivers and reports\"; the JSON report already carries the redacted evidence".into(),
        });
    }
    let options = AuditOptions {
        target: args.target.clone(),
        declarations: args.declarations.clone(),
        grids: args.grids.clone(),
        probes: args.probes.clone(),
        http: HttpOptions {
            concurrency: args.concurrency,
            per_host: args.per_host,
            timeout: std::time::Duration::from_secs(args.timeout),
            ..HttpOptions::default()
        },
        secrets: Secrets::from_env(),
    };
    let report = runtime()?.block_on(audit::run(&options, &Bar::new()))?;
    write_report(&report, &args.output)
}

pub fn rerender(args: &ReportArgs) -> Result<u8, Error> {
    let path = if args.from.is_dir() {
        args.from.join("report.json")
    } else {
        args.from.clone()
    };
    let text = std::fs::read_to_string(&path).map_err(|source| Error::Io {
        path: path.clone(),
        source,
    })?;
    let report: Report = serde_json::from_str(&text).map_err(|e| Error::BadReport {
        path: path.display().to_string(),
        why: e.to_string(),
    })?;
    write_report(&report, &args.output)
}

fn runtime() -> Result<tokio::runtime::Runtime, Error> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|source| Error::Io {
            path: "<tokio runtime>".into(),
            source,
        })
}

/// Renders `report` as asked and returns the report's exit code.
fn write_report(report: &Report, out: &OutputArgs) -> Result<u8, Error> {
    let lang: Lang = out.lang.into();
    let to_terminal = out.output.is_none() && std::io::stdout().is_terminal();
    let format = out
        .format
        .unwrap_or(if to_terminal || out.output.is_none() {
            Format::Terminal
        } else {
            Format::Json
        });
    let text = render(report, format, lang, to_terminal)?;
    if let Some(path) = &out.output {
        write_atomically(path, text.as_bytes())?;
    } else {
        let mut stdout = std::io::stdout().lock();
        stdout
            .write_all(text.as_bytes())
            .map_err(|source| Error::Io {
                path: "<stdout>".into(),
                source,
            })?;
    }
    Ok(report.exit_code())
}

/// Renders `report` in `format`; colour only for a terminal without `NO_COLOR`.
pub fn render(
    report: &Report,
    format: Format,
    lang: Lang,
    to_terminal: bool,
) -> Result<String, Error> {
    Ok(match format {
        Format::Terminal => {
            let color = to_terminal && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
            report::terminal::render(report, report::terminal::RenderOptions { lang, color })
        }
        Format::Json => report::json::render(report),
        Format::Html => {
            report::html::render(report, lang).map_err(|e| Error::Render(e.to_string()))?
        }
        Format::Markdown => report::markdown::render(report, lang),
        Format::Csv => report::csv::render(report, lang),
        Format::Junit => report::junit::render(report, lang),
        Format::Sarif => report::sarif::render(report, lang),
    })
}

/// Writes `bytes` to a temporary file beside `path`, then renames it into place.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> Result<(), Error> {
    let io = |source| Error::Io {
        path: path.to_path_buf(),
        source,
    };
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let mut tmp = tempfile::NamedTempFile::new_in(dir).map_err(io)?;
    tmp.write_all(bytes).map_err(io)?;
    tmp.as_file().sync_all().map_err(io)?;
    tmp.persist(path).map_err(|e| io(e.error))?;
    Ok(())
}

#[allow(clippy::disallowed_macros)] // the defect list is this command's output
fn print_defects(lang: Lang) {
    for defect in crate::demo::Defect::ALL {
        println!(
            "{:<28} {}",
            defect.name(),
            defect.description(lang == Lang::Fr)
        );
    }
}

/// A progress bar on standard error; indicatif hides it when stderr is not a terminal.
struct Bar(ProgressBar);

impl Bar {
    fn new() -> Self {
        let bar = ProgressBar::new(0);
        if let Ok(style) = ProgressStyle::with_template("{spinner} sondes {pos}/{len} {wide_msg}") {
            bar.set_style(style);
        }
        Bar(bar)
    }
}

impl Progress for Bar {
    fn start(&self, steps: usize) {
        self.0.set_length(steps as u64);
    }
    fn done(&self, observation: &Observation) {
        self.0.set_message(format!(
            "{} {}",
            observation.probe,
            observation.outcome.as_str()
        ));
        self.0.inc(1);
    }
    fn finish(&self) {
        self.0.finish_and_clear();
    }
}
