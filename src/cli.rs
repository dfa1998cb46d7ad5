//! The command line: what the user typed (clap types) and how each command calls the library.
//! Nothing here decides conformity; it parses, calls, renders and returns an exit code.

mod doctor;
mod feeds;
mod format;
mod french;
mod grids;
mod init;
pub mod language;
pub mod localize;
mod many;
mod output;
mod progress;
mod reconcile;
mod reports;
mod runtime;
mod serve;
mod several;
mod sheets;
pub mod shown;
mod usage_error;
mod verify;

use std::path::PathBuf;

use std::ffi::{OsStr, OsString};

use clap::{Args, FromArgMatches as _, Parser, Subcommand, ValueEnum};

use crate::error::Error;
use crate::text::Lang;
pub use format::{
    CommandFormat, CompareFormat, DiffFormat, FeedsFormat, Format, MergeFormat, ReportFormat,
    TextFormat,
};

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
sdet-audit demo --defects all --format json --output report.json\n  sdet-audit demo --defects list\n  \
sdet-audit demo --defects all --waivers fixtures/waivers/demo.yaml --evidence preuves/ --output rapport.html\n  \
sdet-audit demo --latency 50ms\n  \
sdet-audit demo --serve ent/ --latency 20ms\n  \
SDET_SIGN_PASSPHRASE=… sdet-audit demo --evidence preuves/ --sign-key ~/.ssh/id_ed25519"
    )]
    Demo(DemoArgs),
    /// Start an audit of a real ENT: write a commented target.yaml and a declarations.ods
    /// skeleton, filling in what the portal shows (CAS, SAML, OIDC, feeds).
    #[command(
        after_help = "Examples:\n  sdet-audit init\n  sdet-audit init https://ent.example.fr/ --dir mon-ent/\n  \
sdet-audit init https://preprod.ent.example.fr/ --ca-file ca.pem"
    )]
    Init(init::InitArgs),
    /// Check before an audit what would make it fail for the wrong reason: external programs,
    /// the target, every *_env variable, every endpoint, the CA file. Exit 0 when all is ready.
    #[command(after_help = "Example:\n  sdet-audit doctor --target target.yaml")]
    Doctor(doctor::DoctorArgs),
    /// Audit a live ENT described by a target file.
    #[command(
        after_help = "Examples:\n  SDET_ELEVE_USER=… SDET_ELEVE_PASSWORD=… sdet-audit audit --target target.yaml\n  \
sdet-audit audit --target target.yaml --declarations vendor.yaml --format json --output report.json\n  \
sdet-audit audit --target target.yaml --evidence preuves/ --output rapport.html --fail-on any-exigence-fail,gaps-above=0\n  \
sdet-audit audit --target ent-a.yaml --target ent-b.yaml --output toutes.json --output comparaison.html"
    )]
    Audit(AuditArgs),
    /// Check AAF directory feed files.
    #[command(subcommand)]
    Feeds(FeedsCommand),
    /// Browse, lint, count and compare the SDET grids.
    #[command(subcommand)]
    Grids(grids::GridsCommand),
    /// Vendor declarations: read a filled spreadsheet into YAML.
    #[command(subcommand)]
    Declarations(sheets::DeclarationsCommand),
    /// Render a saved JSON report in another format.
    #[command(
        after_help = "Examples:\n  sdet-audit report --from report.json --format terminal --lang en\n  \
sdet-audit report --from preuves/ --format junit --output junit.xml\n  \
sdet-audit report --from preuves/ --grids grilles-corrigees/ --format html --output rescore.html"
    )]
    Report(ReportArgs),
    /// Put several reports (bids) side by side on the same grid.
    #[command(
        after_help = "Examples:\n  sdet-audit compare offre-a.json offre-b.json offre-c.json\n  \
sdet-audit compare offre-*.json --format html --output comparaison.html"
    )]
    Compare(CompareArgs),
    /// Show what changed between two runs (new failures, fixes) and two grid versions; exit 1 on a new failure.
    #[command(
        after_help = "Example:\n  sdet-audit diff main.json branch.json   # exit 1 only when branch.json fails something main.json did not"
    )]
    Diff(DiffArgs),
    /// Combine reports of different targets audited in separate CI jobs into one file.
    #[command(
        after_help = "Every report is kept whole; all must use the same grid and formula; a target appears once;\n\
the exit code is the worst outcome (or the --fail-on rules applied to every report).\n\
Examples:\n  sdet-audit merge ent-*.json --output all.json\n  sdet-audit compare all.json --format html -o all.html"
    )]
    Merge(MergeArgs),
    /// Check a signed evidence bundle and say who signed it; exit 2 when refused.
    ///
    /// Every file against SHA256SUMS (none changed, removed or added), the OpenSSH signature over
    /// it, and the signer against your allowed-signers file or public key. Exit 0: intact, signed
    /// by an allowed key; 2: refused, the reason in one line.
    #[command(
        after_help = "Examples:\n  sdet-audit verify preuves/ --allowed-signers allowed_signers\n  \
sdet-audit verify preuves/ --pubkey certificateur.pub --lang en\n\
The same check with standard tools only, inside the bundle folder:\n  \
ssh-keygen -Y verify -f allowed_signers -I IDENTITY -n sdet-audit -s SHA256SUMS.sig < SHA256SUMS\n  \
sha256sum --check --strict --quiet SHA256SUMS\n\
and no file beyond those SHA256SUMS lists (docs/evidence.md, \"Signed evidence: the certifier's loop\")."
    )]
    Verify(verify::VerifyArgs),
    /// Print shell completions.
    Completions {
        /// The shell.
        shell: clap_complete::Shell,
    },
    /// Print the man page (roff), or write one page per command into a folder.
    Man {
        /// Write `sdet-audit.1` and a page per subcommand (`sdet-audit-demo.1`, …) here.
        #[arg(long, value_name = "DIR")]
        dir: Option<PathBuf>,
    },
}

/// Signing the evidence bundle.
#[derive(Debug, Clone, Args)]
pub struct SignArgs {
    /// Sign the evidence bundle with this OpenSSH private key (as `ssh-keygen -Y sign -n
    /// sdet-audit` would). A passphrase-protected key reads its passphrase from
    /// SDET_SIGN_PASSPHRASE, never from the command line; ssh-agent is not used.
    #[arg(long, value_name = "KEY", requires = "evidence")]
    pub sign_key: Option<PathBuf>,
}

/// Whom to trust as the signer of an evidence bundle.
#[derive(Debug, Clone, Args)]
pub struct TrustArgs {
    /// An OpenSSH allowed-signers file (the one `ssh-keygen -Y verify -f` reads): the bundle's
    /// signer must be on it, for namespace sdet-audit.
    #[arg(long, value_name = "FILE", conflicts_with = "pubkey")]
    pub allowed_signers: Option<PathBuf>,
    /// The signer's OpenSSH public key (`id_ed25519.pub`): the bundle must be signed by it.
    #[arg(long, value_name = "KEY")]
    pub pubkey: Option<PathBuf>,
}

/// Options shared by commands that write a report; `F` lists the formats the command writes.
#[derive(Debug, Clone, Args)]
pub struct OutputArgs<F: CommandFormat> {
    /// Output format (default: the one the --output extension names — .json .html .md .csv .xml
    /// .sarif —, json for another extension, terminal on standard output).
    #[arg(long, value_enum)]
    pub format: Option<F>,
    /// Write to this file (atomically) instead of standard output. Repeat it for several formats
    /// in one run (`-o rapport.html -o rapport.json -o rapport.sarif`): each file's format then
    /// comes from its extension. Paths are checked before the audit starts.
    #[arg(long, short)]
    pub output: Vec<PathBuf>,
    /// Report language.
    #[arg(long, value_enum, default_value_t = LangArg::Fr)]
    pub lang: LangArg,
    /// Print nothing on standard error but errors (no summary line, no hints).
    #[arg(long, short)]
    pub quiet: bool,
    /// Colour in the terminal report: auto (a terminal, unless NO_COLOR is set; CLICOLOR_FORCE
    /// forces it), always, never.
    #[arg(long, value_enum, default_value_t = ColorArg::Auto)]
    pub color: ColorArg,
}

/// When the terminal report has colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorArg {
    /// On a terminal, unless NO_COLOR is set; CLICOLOR_FORCE forces it.
    Auto,
    /// Always (a CI log that shows ANSI colours).
    Always,
    /// Never.
    Never,
}

impl ColorArg {
    /// Whether to colour text going to a terminal (`to_terminal`) or elsewhere. The
    /// no-color.org and bixense.com/clicolors conventions: a set, non-empty NO_COLOR wins in auto
    /// mode, then a CLICOLOR_FORCE other than 0.
    pub fn enabled(self, to_terminal: bool) -> bool {
        let set = |name: &str| std::env::var_os(name).is_some_and(|v| !v.is_empty());
        match self {
            ColorArg::Always => true,
            ColorArg::Never => false,
            ColorArg::Auto if set("NO_COLOR") => false,
            ColorArg::Auto if set("CLICOLOR_FORCE") => {
                std::env::var_os("CLICOLOR_FORCE").is_some_and(|v| v != "0")
            }
            ColorArg::Auto => to_terminal,
        }
    }
}

/// CI gating options.
#[derive(Debug, Clone, Args)]
pub struct GateArgs {
    /// Exit 1 when any of these rules is broken (comma-separated): any-exigence-fail,
    /// pratique-below=N, gaps-above=N, expired-waivers, coverage-below=N. Without it, the outcome
    /// decides.
    #[arg(long, value_delimiter = ',', value_name = "RULE")]
    pub fail_on: Vec<String>,
}

/// How levels still to confirm are judged.
#[derive(Debug, Clone, Args)]
pub struct LevelArgs {
    /// Treat exigences whose level is still to confirm (`to_verify` in the grid) as confirmed:
    /// a failure of one makes the ENT non conforme. Without it they are reported and scored
    /// apart, and never decide the outcome.
    #[arg(long)]
    pub strict_levels: bool,
}

/// Waiver options.
#[derive(Debug, Clone, Args)]
pub struct WaiverArgs {
    /// Waivers (YAML: criterion, justification, approver, expires) applied to the verdicts.
    #[arg(long, value_name = "FILE")]
    pub waivers: Option<PathBuf>,
    /// Accept waivers on exigences (refused by default).
    #[arg(long)]
    pub allow_exigence_waivers: bool,
}

/// `demo` arguments.
#[derive(Debug, Args)]
pub struct DemoArgs {
    /// Defects to inject: comma-separated names, `all`, or `list` to list them.
    #[arg(long, value_delimiter = ',')]
    pub defects: Vec<String>,
    /// The vendor's declarations instead of the shipped ones: YAML, or a filled spreadsheet
    /// (.ods, .xlsx, .csv) from `grids export`.
    #[arg(long, value_name = "FILE")]
    pub declarations: Option<PathBuf>,
    /// Write the evidence bundle to this folder (created; must not hold files).
    #[arg(long, value_name = "DIR")]
    pub evidence: Option<PathBuf>,
    /// Signing options.
    #[command(flatten)]
    pub sign: SignArgs,
    /// Waiver options.
    #[command(flatten)]
    pub waivers: WaiverArgs,
    /// Output options.
    #[command(flatten)]
    pub output: OutputArgs<ReportFormat>,
    /// Level options.
    #[command(flatten)]
    pub levels: LevelArgs,
    /// Gating options.
    #[command(flatten)]
    pub gate: GateArgs,
    /// Print each probe's outcome on standard error as it finishes, terminal or not: a CI log
    /// then shows what the audit did, and where it stood when it was stopped.
    #[arg(long, short, conflicts_with = "quiet")]
    pub verbose: bool,
    /// The reference ENT's delay before each answer (HTTP request, LDAP operation), as a real
    /// network's round trip: `50ms`, `0.05s`, or milliseconds.
    #[arg(long, value_name = "DURATION", default_value = "0")]
    pub latency: String,
    /// Do not audit: serve the reference ENT until Ctrl-C or SIGTERM, and write into DIR its
    /// `target.yaml` (with CA, declarations, GAR export) and `secrets.env` for `audit --target`.
    #[arg(long, value_name = "DIR")]
    pub serve: Option<PathBuf>,
}

/// `compare` arguments.
#[derive(Debug, Args)]
pub struct CompareArgs {
    /// Reports: JSON files, evidence bundles or merged files.
    #[arg(required = true)]
    pub reports: Vec<PathBuf>,
    /// Name a column: `N=LABEL` for the Nth report (from 1, in the order shown), so two runs of
    /// the same ENT read apart (`--label 1=avant --label 2=après`). Default: the ENT's name.
    #[arg(long, value_name = "N=LABEL")]
    pub label: Vec<String>,
    /// Output options.
    #[command(flatten)]
    pub output: OutputArgs<CompareFormat>,
}

/// `diff` arguments.
#[derive(Debug, Args)]
pub struct DiffArgs {
    /// The older report (JSON file or evidence bundle).
    pub old: PathBuf,
    /// The newer report (JSON file or evidence bundle).
    pub new: PathBuf,
    /// Output options.
    #[command(flatten)]
    pub output: OutputArgs<DiffFormat>,
}

/// `merge` arguments.
#[derive(Debug, Args)]
pub struct MergeArgs {
    /// Reports: JSON files, evidence bundles or merged files.
    #[arg(required = true)]
    pub reports: Vec<PathBuf>,
    /// Output options.
    #[command(flatten)]
    pub output: OutputArgs<MergeFormat>,
    /// Gating options.
    #[command(flatten)]
    pub gate: GateArgs,
}

/// `audit` arguments.
#[derive(Debug, Args)]
pub struct AuditArgs {
    /// The target file (target.yaml). Repeat it to audit several ENTs at once, under one set of
    /// --concurrency and --per-host limits: the result is the merged file `merge` writes (JSON),
    /// or their comparison (terminal, html, csv).
    #[arg(long, short, required = true)]
    pub target: Vec<PathBuf>,
    /// The vendor's declarations (overrides the target's `declarations`): YAML, or a filled
    /// spreadsheet (.ods, .xlsx, .csv) from `grids export`.
    #[arg(long, value_name = "FILE")]
    pub declarations: Option<PathBuf>,
    /// Write the evidence bundle to this folder (created; must not hold files).
    #[arg(long, value_name = "DIR")]
    pub evidence: Option<PathBuf>,
    /// Signing options.
    #[command(flatten)]
    pub sign: SignArgs,
    /// Waiver options.
    #[command(flatten)]
    pub waivers: WaiverArgs,
    /// Use the grids in this folder instead of the embedded ones.
    #[arg(long)]
    pub grids: Option<PathBuf>,
    /// Use the probe catalogue in this folder instead of the embedded one.
    #[arg(long)]
    pub probes: Option<PathBuf>,
    /// Requests in flight overall [default: 8, or --streams × the number of targets when that
    /// is more, up to 64].
    #[arg(long)]
    pub concurrency: Option<usize>,
    /// Requests in flight per host over HTTP/1.1, each on its own connection.
    #[arg(long, default_value_t = crate::probe::http::DEFAULT_PER_HOST)]
    pub per_host: usize,
    /// Requests in flight to a host that answers over HTTP/2, all on one connection (never
    /// fewer than --per-host).
    #[arg(long, default_value_t = crate::probe::http::DEFAULT_STREAMS)]
    pub streams: usize,
    /// Seconds before a request (an HTTP exchange, an LDAP operation) is abandoned; a request
    /// that timed out is not retried.
    #[arg(long, default_value_t = crate::probe::http::DEFAULT_TIMEOUT_SECS, value_name = "SECS")]
    pub timeout: u64,
    /// Seconds one probe may take, all its requests included; past it the probe is an error.
    #[arg(long, default_value_t = crate::probe::deadline::DEFAULT_PROBE_DEADLINE_SECS, value_name = "SECS")]
    pub probe_deadline: u64,
    /// Seconds the whole audit may take; probes still running then are errors, and the report is
    /// written.
    #[arg(long, default_value_t = crate::probe::deadline::DEFAULT_AUDIT_DEADLINE_SECS, value_name = "SECS")]
    pub deadline: u64,
    /// Output options.
    #[command(flatten)]
    pub output: OutputArgs<ReportFormat>,
    /// Level options.
    #[command(flatten)]
    pub levels: LevelArgs,
    /// Gating options.
    #[command(flatten)]
    pub gate: GateArgs,
    /// Print each probe's outcome on standard error as it finishes, terminal or not: a CI log
    /// then shows what the audit did, and where it stood when it was stopped.
    #[arg(long, short, conflicts_with = "quiet")]
    pub verbose: bool,
}

/// `feeds` subcommands.
#[derive(Debug, Subcommand)]
pub enum FeedsCommand {
    /// Check AAF export files or folders.
    #[command(after_help = "Examples:\n  sdet-audit feeds check exports/aaf/\n  \
sdet-audit feeds check exports/aaf/ -o constats.sarif -o constats.xml -o constats.json")]
    Check {
        /// Files or export folders.
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// Output options.
        #[command(flatten)]
        output: OutputArgs<FeedsFormat>,
    },
    /// Compare an AAF export with the ENT's LDAP directory: people missing, extra, or with another
    /// profile, structure, classes or parent links. Exit 0: no difference; 1: differences;
    /// 2: usage or input error; 3: the directory could not be reached or read.
    Reconcile(reconcile::ReconcileArgs),
}

/// `report` arguments.
#[derive(Debug, Args)]
pub struct ReportArgs {
    /// A JSON report written by `audit` or `demo --format json`, or an evidence bundle folder
    /// (its hashes are checked first, and its signature when it is signed).
    #[arg(long)]
    pub from: PathBuf,
    /// Trust options: with one, a bundle must be signed by a trusted key.
    #[command(flatten)]
    pub trust: TrustArgs,
    /// Re-score offline against the grids in this folder (e.g. a corrected grid).
    #[arg(long, value_name = "DIR")]
    pub grids: Option<PathBuf>,
    /// Re-score offline against this SDET grid version (embedded or from --grids).
    #[arg(long, value_name = "VERSION")]
    pub sdet_version: Option<String>,
    /// The probe catalogue to re-score with (default: the embedded one).
    #[arg(long, value_name = "DIR")]
    pub probes: Option<PathBuf>,
    /// Output options.
    #[command(flatten)]
    pub output: OutputArgs<ReportFormat>,
    /// Level options.
    #[command(flatten)]
    pub levels: LevelArgs,
    /// Gating options.
    #[command(flatten)]
    pub gate: GateArgs,
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

/// Why the command line was not parsed into a [`Cli`]: what to show, and the exit code.
#[derive(Debug)]
pub enum Stop {
    /// Help, the version, or an English usage error: clap prints it (colours and all) and
    /// knows its exit code (0 for help and version, 2 for an error).
    Clap(clap::Error),
    /// A usage error in French, for standard error; exit 2.
    French(String),
}

/// Parses the command line (`args` with the program name first) in the language it chooses
/// ([`language::choose`], `env_lang` being the value of `SDET_LANG`): help and usage errors
/// in French by default, in English with `--lang en`. `Ok` carries the language chosen.
pub fn parse(args: Vec<OsString>, env_lang: Option<&OsStr>) -> Result<(Cli, Lang), Stop> {
    let lang = language::choose(args.get(1..).unwrap_or_default(), env_lang)
        .map_err(|e| Stop::French(format!("erreur : {e}\n")))?;
    let cmd = localize::command(lang, localize::Purpose::Parse);
    let refuse = |error: clap::Error| match (lang, error.kind()) {
        (
            _,
            clap::error::ErrorKind::DisplayHelp
            | clap::error::ErrorKind::DisplayVersion
            | clap::error::ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand,
        )
        | (Lang::En, _) => Stop::Clap(error),
        (Lang::Fr, _) => Stop::French(usage_error::french(&error)),
    };
    let mut matches = cmd.clone().try_get_matches_from(args).map_err(refuse)?;
    let cli =
        Cli::from_arg_matches_mut(&mut matches).map_err(|e| refuse(e.format(&mut cmd.clone())))?;
    Ok((cli, lang))
}

/// The man pages in the command line's language: `(file name, roff)`, the root's first, then a
/// page per subcommand (`sdet-audit-grids-list.1`), as `clap_mangen::generate_to` names them.
fn man_pages(lang: Lang) -> Result<Vec<(String, String)>, std::io::Error> {
    fn walk(
        cmd: &clap::Command,
        lang: Lang,
        out: &mut Vec<(String, String)>,
    ) -> Result<(), std::io::Error> {
        let man = clap_mangen::Man::new(cmd.clone());
        let mut page = Vec::new();
        man.render(&mut page)?;
        let page = String::from_utf8_lossy(&page).into_owned();
        out.push((man.get_filename(), french::man_page(lang, page)));
        for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set()) {
            walk(sub, lang, out)?;
        }
        Ok(())
    }
    let mut out = Vec::new();
    walk(
        &localize::command(lang, localize::Purpose::Man),
        lang,
        &mut out,
    )?;
    Ok(out)
}

/// Runs a command; `Ok` carries the exit code. `lang` is the command line's language (man
/// pages are written in it).
pub fn run(cli: Cli, lang: Lang) -> Result<u8, Error> {
    match cli.command {
        Command::Demo(args) => output::demo(&args),
        Command::Audit(args) => match args.target.as_slice() {
            [target] => output::audit(&args, target),
            _ => many::audit(&args),
        },
        Command::Init(args) => init::run(&args),
        Command::Doctor(args) => doctor::run(&args),
        Command::Report(args) => output::rerender(&args),
        Command::Grids(cmd) => grids::run(&cmd),
        Command::Feeds(cmd) => feeds::run(&cmd),
        Command::Declarations(cmd) => sheets::run(&cmd),
        Command::Compare(args) => several::compare(&args),
        Command::Diff(args) => several::diff(&args),
        Command::Merge(args) => several::merge(&args),
        Command::Verify(args) => verify::run(&args),
        Command::Completions { shell } => {
            let mut cmd = localize::command(lang, localize::Purpose::Parse);
            let mut script = Vec::new();
            clap_complete::generate(shell, &mut cmd, "sdet-audit", &mut script);
            print(&String::from_utf8_lossy(&script))?;
            Ok(crate::exit::CONFORME)
        }
        Command::Man { dir } => {
            let io = |path: PathBuf| move |source| Error::Io { path, source };
            let pages = man_pages(lang).map_err(io("<man page>".into()))?;
            match dir {
                None => print(&pages[0].1)?,
                Some(dir) => {
                    std::fs::create_dir_all(&dir).map_err(io(dir.clone()))?;
                    for (name, page) in &pages {
                        let path = dir.join(name);
                        std::fs::write(&path, page).map_err(io(path.clone()))?;
                    }
                }
            }
            Ok(crate::exit::CONFORME)
        }
    }
}

/// Writes a command's output to standard output: every command's output goes through here (or
/// [`output::write_stream`], which this calls), so a closed pipe is success everywhere.
pub(crate) fn print(text: &str) -> Result<(), Error> {
    output::write_stream(
        std::io::stdout().lock(),
        std::path::Path::new("<stdout>"),
        text.as_bytes(),
    )
}

/// [`print`]s `text` as whole lines: with a final newline, added when it lacks one.
pub(crate) fn print_lines(text: &str) -> Result<(), Error> {
    if text.ends_with('\n') {
        print(text)
    } else {
        print(&format!("{text}\n"))
    }
}
