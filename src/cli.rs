//! The command line: what the user typed (clap types) and how each command calls the library.
//! Nothing here decides conformity; it parses, calls, renders and returns an exit code.

mod feeds;
mod grids;
mod output;

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::error::Error;
use crate::text::Lang;
pub use output::Format;

/// The grid versions shipped, for `--version`.
fn long_version() -> &'static str {
    let versions = crate::grid::available_versions(&crate::data::Store::grids(None)).join(", ");
    Box::leak(
        format!(
            "{} (grilles SDET / SDET grids: {versions})",
            env!("CARGO_PKG_VERSION")
        )
        .into_boxed_str(),
    )
}

/// Audits a French school digital workspace (ENT) for conformity with the SDET.
#[derive(Debug, Parser)]
#[command(name = "sdet-audit", version, long_version = long_version(), propagate_version = true)]
#[command(
    after_help = "Exit codes: 0 conforme, 1 non conforme, 2 usage or input error, 3 incomplete audit.\n\
Start with `sdet-audit demo`: it audits a reference ENT built into the binary."
)]
pub struct Cli {
    /// The command.
    #[command(subcommand)]
    pub command: Command,
}

/// The commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Audit the embedded reference ENT (no live ENT needed), optionally with injected defects.
    #[command(
        after_help = "Examples:\n  sdet-audit demo\n  sdet-audit demo --defects cas-accept-any-ticket,no-hsts\n  \
sdet-audit demo --defects all --format json --output report.json\n  sdet-audit demo --defects list"
    )]
    Demo(DemoArgs),
    /// Audit a live ENT described by a target file.
    #[command(
        after_help = "Examples:\n  SDET_ELEVE_USER=… SDET_ELEVE_PASSWORD=… sdet-audit audit --target target.yaml\n  \
sdet-audit audit --target target.yaml --declarations vendor.yaml --format json --output report.json"
    )]
    Audit(AuditArgs),
    /// Check AAF directory feed files.
    #[command(subcommand)]
    Feeds(FeedsCommand),
    /// Browse, lint, count and compare the SDET grids.
    #[command(subcommand)]
    Grids(grids::GridsCommand),
    /// Render a saved JSON report in another format.
    #[command(
        after_help = "Example:\n  sdet-audit report --from report.json --format terminal --lang en"
    )]
    Report(ReportArgs),
    /// Put several reports (bids) side by side.
    Compare {
        /// JSON reports.
        #[arg(required = true)]
        reports: Vec<PathBuf>,
    },
    /// Show what changed between two reports.
    Diff {
        /// The older report.
        old: PathBuf,
        /// The newer report.
        new: PathBuf,
    },
    /// Print shell completions.
    Completions {
        /// The shell.
        shell: clap_complete::Shell,
    },
    /// Print the man page (roff).
    Man,
}

/// Options shared by commands that write a report.
#[derive(Debug, Clone, Args)]
pub struct OutputArgs {
    /// Output format (default: terminal on a TTY, json otherwise).
    #[arg(long, value_enum)]
    pub format: Option<Format>,
    /// Write to this file (atomically) instead of standard output.
    #[arg(long, short)]
    pub output: Option<PathBuf>,
    /// Report language.
    #[arg(long, value_enum, default_value_t = LangArg::Fr)]
    pub lang: LangArg,
}

/// `demo` arguments.
#[derive(Debug, Args)]
pub struct DemoArgs {
    /// Defects to inject: comma-separated names, `all`, or `list` to list them.
    #[arg(long, value_delimiter = ',')]
    pub defects: Vec<String>,
    /// Output options.
    #[command(flatten)]
    pub output: OutputArgs,
}

/// `audit` arguments.
#[derive(Debug, Args)]
pub struct AuditArgs {
    /// The target file (target.yaml).
    #[arg(long, short)]
    pub target: PathBuf,
    /// The vendor's declarations (overrides the target's `declarations`).
    #[arg(long)]
    pub declarations: Option<PathBuf>,
    /// Write the evidence bundle to this folder.
    #[arg(long)]
    pub evidence: Option<PathBuf>,
    /// Use the grids in this folder instead of the embedded ones.
    #[arg(long)]
    pub grids: Option<PathBuf>,
    /// Use the probe catalogue in this folder instead of the embedded one.
    #[arg(long)]
    pub probes: Option<PathBuf>,
    /// Requests in flight overall.
    #[arg(long, default_value_t = crate::probe::http::DEFAULT_CONCURRENCY)]
    pub concurrency: usize,
    /// Requests in flight per host.
    #[arg(long, default_value_t = crate::probe::http::DEFAULT_PER_HOST)]
    pub per_host: usize,
    /// Seconds before a request is abandoned.
    #[arg(long, default_value_t = crate::probe::http::DEFAULT_TIMEOUT_SECS)]
    pub timeout: u64,
    /// Output options.
    #[command(flatten)]
    pub output: OutputArgs,
}

/// `feeds` subcommands.
#[derive(Debug, Subcommand)]
pub enum FeedsCommand {
    /// Check AAF export files or folders.
    Check {
        /// Files or export folders.
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// Output format.
        #[arg(long, value_enum)]
        format: Option<Format>,
    },
}

/// `report` arguments.
#[derive(Debug, Args)]
pub struct ReportArgs {
    /// A JSON report written by `audit` or `demo --format json`.
    #[arg(long)]
    pub from: PathBuf,
    /// Output options.
    #[command(flatten)]
    pub output: OutputArgs,
}

/// Report language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LangArg {
    /// Français.
    Fr,
    /// English.
    En,
}

impl From<LangArg> for Lang {
    fn from(l: LangArg) -> Self {
        match l {
            LangArg::Fr => Lang::Fr,
            LangArg::En => Lang::En,
        }
    }
}

/// Runs a command; `Ok` carries the exit code.
pub fn run(cli: Cli) -> Result<u8, Error> {
    match cli.command {
        Command::Demo(args) => output::demo(&args),
        Command::Audit(args) => output::audit(&args),
        Command::Report(args) => output::rerender(&args),
        Command::Grids(cmd) => grids::run(&cmd),
        Command::Feeds(cmd) => feeds::run(&cmd),
        Command::Compare { .. } => Err(not_yet(
            "`compare`",
            "issue \"Scores, declarations, waivers and reports\"",
        )),
        Command::Diff { .. } => Err(not_yet(
            "`diff`",
            "issue \"Scores, declarations, waivers and reports\"",
        )),
        Command::Completions { shell } => {
            let mut cmd = <Cli as clap::CommandFactory>::command();
            clap_complete::generate(shell, &mut cmd, "sdet-audit", &mut std::io::stdout());
            Ok(crate::exit::CONFORME)
        }
        Command::Man => {
            let man = clap_mangen::Man::new(<Cli as clap::CommandFactory>::command());
            man.render(&mut std::io::stdout())
                .map_err(|source| Error::Io {
                    path: "<stdout>".into(),
                    source,
                })?;
            Ok(crate::exit::CONFORME)
        }
    }
}

fn not_yet(what: &str, planned: &str) -> Error {
    Error::NotImplemented {
        what: what.into(),
        planned: format!("planned in {planned}"),
    }
}
