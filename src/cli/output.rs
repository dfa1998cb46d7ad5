//! Runs the commands that produce a report, and writes it: the chosen format, to standard output
//! or atomically to a file (a temporary file renamed into place, so an interrupted run never
//! leaves half a report), with a progress bar on a terminal.

use std::fmt::Write as _;
use std::io::{IsTerminal, Write};
use std::path::Path;

use sdet_core::fr_en;

use super::format::{CommandFormat, ReportFormat};
use super::progress::Bar;
use super::runtime::block_on;
use super::{AuditArgs, DemoArgs, GateArgs, OutputArgs, ReportArgs, SignArgs, WaiverArgs};
use crate::audit::{self, AuditOptions};
use crate::bundle::SigningKey;
use crate::bundle::sign::PASSPHRASE_ENV;
use crate::error::Error;
use crate::gate::{self, Rule};
use crate::probe::deadline::Deadlines;
use crate::probe::http::HttpOptions;
use crate::report::{self, Report};
use crate::target::Secrets;
use crate::text::{Lang, Text, io_reason, pick};
use crate::waiver::WaiverPolicy;

pub fn demo(args: &DemoArgs) -> Result<u8, Error> {
    if args.defects.iter().any(|d| d == "list") {
        print_defects(args.output.lang.into())?;
        return Ok(crate::exit::CONFORME);
    }
    let defects = audit::demo::parse_defects(&args.defects)?;
    let latency = crate::demo::parse_latency(&args.latency)
        .map_err(|e| Error::Usage(bad_latency(&e).about("--latency")))?;
    if let Some(dir) = &args.serve {
        // It audits nothing: an option about the audit or its report would be silently ignored.
        let audit_options = args.evidence.is_some()
            || !args.output.output.is_empty()
            || args.waivers.waivers.is_some()
            || args.declarations.is_some()
            || !args.gate.fail_on.is_empty();
        if audit_options {
            return Err(Error::Usage(Text::new(
                "--serve n'audite rien : auditez l'ENT servi avec `audit --target DIR/target.yaml` \
                 et donnez-y les options de l'audit",
                "--serve audits nothing: audit the served ENT with `audit --target DIR/target.yaml` \
                 and give the audit's options there",
            )));
        }
        return super::serve::run(
            dir,
            defects,
            latency,
            args.output.quiet,
            args.output.lang.into(),
        );
    }
    check_outputs(&args.output)?;
    let rules = rules(&args.gate)?;
    let key = signing_key(&args.sign)?;
    let extra = audit::demo::DemoAudit {
        waivers: args.waivers.waivers.clone(),
        waiver_policy: policy(&args.waivers),
        declarations: args.declarations.clone(),
        lang: args.output.lang.into(),
        latency,
        ..audit::demo::DemoAudit::default()
    };
    let progress = bar(args.verbose, args.output.lang.into());
    let mut report = block_on(audit::demo::run_with(&defects, &extra, &progress))??;
    if args.levels.strict_levels {
        report.strict_levels();
    }
    if let Some(dir) = &args.evidence {
        crate::bundle::write(&report, dir, key.as_ref())?;
    }
    let code = write_report(&report, &args.output, rules.as_deref())?;
    if defects.is_empty()
        && args.output.output.is_empty()
        && !args.output.quiet
        && std::io::stderr().is_terminal()
    {
        next_steps(args.output.lang.into());
    }
    Ok(code)
}

/// After a first `demo` at a terminal: what to try next, since the clean reference ENT shows
/// neither a failure nor the evidence behind a verdict.
fn next_steps(lang: Lang) {
    let text = pick(
        lang,
        "\nPour aller plus loin :\n  sdet-audit demo --defects all          un ENT non conforme (--defects list : les défauts)\n  sdet-audit demo --output rapport.html  le rapport complet, preuves comprises\n  sdet-audit init https://votre-ent/      votre ENT : target.yaml et declarations.ods à remplir\n  sdet-audit audit --target target.yaml  puis son audit\n",
        "\nWhat next:\n  sdet-audit demo --defects all          a failing ENT (--defects list: the defects)\n  sdet-audit demo --output report.html   the full report, with its evidence\n  sdet-audit init https://your-ent/       your ENT: target.yaml and declarations.ods to fill in\n  sdet-audit audit --target target.yaml  then its audit\n",
    );
    let _ = std::io::stderr().lock().write_all(text.as_bytes());
}

fn policy(args: &WaiverArgs) -> WaiverPolicy {
    WaiverPolicy {
        allow_exigences: args.allow_exigence_waivers,
    }
}

/// Parses `--fail-on` (`None` when absent: the outcome decides).
pub fn rules(args: &GateArgs) -> Result<Option<Vec<Rule>>, Error> {
    if args.fail_on.is_empty() {
        return Ok(None);
    }
    args.fail_on
        .iter()
        .map(|r| r.parse::<Rule>().map_err(Error::Usage))
        .collect::<Result<Vec<_>, _>>()
        .map(Some)
}

/// `audit --target TARGET` (one target; several go to `many`).
pub fn audit(args: &AuditArgs, target: &Path) -> Result<u8, Error> {
    check_outputs(&args.output)?;
    let rules = rules(&args.gate)?;
    let key = signing_key(&args.sign)?;
    let options = audit_options(args, target);
    let mut report = block_on(async {
        let prepared = audit::prepare(&options).await?;
        super::doctor::preflight(&prepared, &options.secrets, options.lang, "").await;
        Ok::<_, Error>(audit::run_one(&prepared, &bar(args.verbose, options.lang)).await)
    })??;
    if args.levels.strict_levels {
        report.strict_levels();
    }
    if let Some(dir) = &args.evidence {
        crate::bundle::write(&report, dir, key.as_ref())?;
    }
    write_report(&report, &args.output, rules.as_deref())
}

/// The run's limit of requests in flight when `--concurrency` is not given: enough for every
/// target to use its host's share at once (`--streams` over HTTP/2, `--per-host` over HTTP/1.1:
/// five ENTs audited together then take about as long as the slowest alone), never below the
/// single audit's default nor above 64. The ENTs' politeness is `--per-host` and `--streams`,
/// which stay as given; this one only bounds the auditor's machine.
fn default_concurrency(args: &AuditArgs) -> usize {
    let share = args.streams.max(args.per_host);
    let shares = share.saturating_mul(args.target.len());
    shares.clamp(
        crate::probe::http::DEFAULT_CONCURRENCY,
        MAX_DEFAULT_CONCURRENCY,
    )
}

/// The most requests in flight a run takes unless told otherwise.
const MAX_DEFAULT_CONCURRENCY: usize = 64;

/// What the audit of `target` needs, from the command line.
pub fn audit_options(args: &AuditArgs, target: &Path) -> AuditOptions {
    AuditOptions {
        target: target.to_path_buf(),
        declarations: args.declarations.clone(),
        grids: args.grids.clone(),
        probes: args.probes.clone(),
        http: HttpOptions {
            concurrency: args
                .concurrency
                .unwrap_or_else(|| default_concurrency(args)),
            per_host: args.per_host,
            streams: args.streams,
            timeout: std::time::Duration::from_secs(args.timeout),
            ..HttpOptions::default()
        },
        deadlines: Deadlines {
            probe: std::time::Duration::from_secs(args.probe_deadline),
            audit: std::time::Duration::from_secs(args.deadline),
        },
        secrets: Secrets::from_env(),
        waivers: args.waivers.waivers.clone(),
        waiver_policy: policy(&args.waivers),
        lang: args.output.lang.into(),
    }
}

/// The progress shown while probes run: a bar on a terminal, a line per probe with `-v`.
pub fn bar(verbose: bool, lang: Lang) -> Bar {
    if verbose {
        Bar::probes_verbose(lang)
    } else {
        Bar::probes()
    }
}

/// Loads `--sign-key` before the audit runs, so a wrong key or passphrase costs nothing. The
/// passphrase is read from the environment here, at the edge: never from the command line.
pub fn signing_key(args: &SignArgs) -> Result<Option<SigningKey>, Error> {
    let Some(path) = &args.sign_key else {
        return Ok(None);
    };
    let passphrase = std::env::var(PASSPHRASE_ENV).ok().filter(|p| !p.is_empty());
    SigningKey::load(path, passphrase.as_deref())
        .map(Some)
        .map_err(|e| Error::Bundle(e.into()))
}

pub fn rerender(args: &ReportArgs) -> Result<u8, Error> {
    check_outputs(&args.output)?;
    let rules = rules(&args.gate)?;
    let reports = match super::verify::trust(&args.trust)? {
        Some(trust) => vec![
            crate::bundle::verify::verify(&args.from, &trust)
                .map_err(|e| super::verify::refused(&e, args.output.lang.into()))?
                .report,
        ],
        None => super::reports::load(&args.from)?,
    };
    match reports.as_slice() {
        [report]
            if args.grids.is_some() || args.sdet_version.is_some() || args.probes.is_some() =>
        {
            let version = args
                .sdet_version
                .as_deref()
                .unwrap_or(&report.grid.sdet_version);
            let (grid, catalog) =
                audit::load_grid(args.grids.as_deref(), args.probes.as_deref(), Some(version))?;
            let mut again = crate::rescore::rescore(report, &grid, &catalog)?;
            if args.levels.strict_levels || report.strict_levels {
                again.strict_levels();
            }
            write_report(&again, &args.output, rules.as_deref())
        }
        [report] => {
            let mut report = report.clone();
            if args.levels.strict_levels && !report.strict_levels {
                report.strict_levels();
            }
            write_report(&report, &args.output, rules.as_deref())
        }
        _ => Err(Error::Usage(fr_en!(
            "{} contient {} rapports (un fichier fusionné) : `sdet-audit compare` les montre côte à côte",
            "{} holds {} reports (a merged file): use `sdet-audit compare` to show them side by side",
            args.from.display(),
            reports.len()
        ))),
    }
}

/// Renders `report` as asked — to standard output, or to each `--output` file in the format its
/// extension names — and returns the exit code the report and the gate call for. When the report
/// goes to files, one line on standard error says what was written and the outcome, so a CI log
/// of a failing run is never silent.
fn write_report(
    report: &Report,
    out: &OutputArgs<ReportFormat>,
    rules: Option<&[Rule]>,
) -> Result<u8, Error> {
    let lang: Lang = out.lang.into();
    if out.output.is_empty() {
        let (format, to_terminal) = format_of(out)?;
        let text = render(report, format, lang, out.color.enabled(to_terminal))?;
        emit(out, &text)?;
    } else {
        for path in &out.output {
            let format = file_format(out, path)?;
            let color = out.color == super::ColorArg::Always;
            write_atomically(path, render(report, format, lang, color)?.as_bytes())?;
        }
    }
    let code = gate_report(std::slice::from_ref(report), rules, lang);
    if !out.output.is_empty() && !out.quiet {
        summary(report, out, lang, code);
    }
    Ok(code)
}

/// `rapport écrit : a.html, a.json — NON CONFORME — 23/71 exigences vérifiées (code 1)`.
fn summary(report: &Report, out: &OutputArgs<ReportFormat>, lang: Lang, code: u8) {
    let files: Vec<String> = out.output.iter().map(|p| p.display().to_string()).collect();
    let line = format!(
        "{} {} — {} ({} {code})\n",
        pick(lang, "rapport écrit :", "report written:"),
        files.join(", "),
        report::labels::headline(report, lang),
        pick(lang, "code de sortie", "exit code"),
    );
    let _ = std::io::stderr().lock().write_all(line.as_bytes());
}

/// Refuses, before any audit runs, output paths that cannot be written: several files with
/// `--format` (each file's extension decides), a folder, a missing or read-only parent folder,
/// the same file twice, or an extension naming a format the command does not write. An
/// hour-long audit must not end in "cannot write".
pub fn check_outputs<F: CommandFormat>(out: &OutputArgs<F>) -> Result<(), Error> {
    if out.output.len() > 1 && out.format.is_some() {
        return Err(Error::Usage(Text::new(
            "--format vaut pour un seul --output ; avec plusieurs, l'extension de chaque fichier décide",
            "--format applies to one --output; with several, each file's extension decides",
        )));
    }
    let mut problems = Vec::new();
    for (i, path) in out.output.iter().enumerate() {
        let dir = path
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        if out.output[..i].contains(path) {
            problems.push(Text::new("donné deux fois", "given twice").about(path.display()));
        } else if let Err(e) = file_format(out, path) {
            problems.push(e.wording().unwrap_or_else(|| Text::same(e.to_string())));
        } else if path.is_dir() {
            problems.push(Text::new("est un dossier", "is a folder").about(path.display()));
        } else if !dir.is_dir() {
            problems.push(
                fr_en!(
                    "le dossier {} n'existe pas",
                    "folder {} does not exist",
                    dir.display()
                )
                .about(path.display()),
            );
        } else if let Err(e) = tempfile::Builder::new()
            .prefix(PARTIAL_PREFIX)
            .tempfile_in(dir)
        {
            let why = io_reason(&e);
            problems.push(
                Text::new(
                    format!("impossible d'écrire dans {} : {}", dir.display(), why.fr),
                    format!("cannot write in {}: {}", dir.display(), why.en),
                )
                .about(path.display()),
            );
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        let n = problems.len();
        Err(Error::Usage(Text::new(
            format!(
                "impossible d'écrire le rapport ({n} problème(s)) : {}",
                Text::join(&problems, " ; ").fr
            ),
            format!(
                "cannot write the report ({n} problem(s)): {}",
                Text::join(&problems, "; ").en
            ),
        )))
    }
}

/// Why `--latency` was refused, in both languages.
fn bad_latency(error: &crate::demo::BadLatency) -> Text {
    use crate::demo::BadLatency as B;
    match error {
        B::NotANumber(text) => fr_en!(
            "`{text}` n'est pas une latence : écrivez des millisecondes (`50`, `50ms`) ou des \
             secondes (`0.05s`)",
            "`{text}` is not a latency: write milliseconds (`50`, `50ms`) or seconds (`0.05s`)"
        ),
        B::Negative(text) => fr_en!(
            "`{text}` n'est pas une latence : elle doit être de 0 ou plus",
            "`{text}` is not a latency: it must be 0 or more"
        ),
        B::TooLong(text) => fr_en!(
            "la latence `{text}` dépasse les {} s que l'ENT de référence accepte",
            "latency `{text}` is above the {} s the reference ENT accepts",
            crate::demo::MAX_LATENCY.as_secs()
        ),
    }
}

/// The format of one output file: `--format` when given (one file only), else its extension's.
pub fn file_format<F: CommandFormat>(out: &OutputArgs<F>, path: &Path) -> Result<F, Error> {
    out.format.map_or_else(|| F::for_file(path), Ok)
}

/// The exit code for `reports` (the worst), telling on standard error, in `lang`, which rules
/// they break.
pub fn gate_report(reports: &[Report], rules: Option<&[Rule]>, lang: Lang) -> u8 {
    let mut err = std::io::stderr().lock();
    let mut codes = Vec::new();
    for report in reports {
        if let Some(rules) = rules {
            for breach in gate::evaluate(report, rules) {
                let why = breach.why.get(lang);
                let _ = match lang {
                    Lang::Fr => writeln!(
                        err,
                        "--fail-on {} ({}) : {why}",
                        breach.rule, report.target.name
                    ),
                    Lang::En => writeln!(
                        err,
                        "--fail-on {} ({}): {why}",
                        breach.rule, report.target.name
                    ),
                };
            }
        }
        codes.push(gate::exit_code(report, rules));
    }
    // Non conforme (1) outranks incomplete (3), which outranks conforme (0).
    if codes.contains(&crate::exit::NON_CONFORME) {
        crate::exit::NON_CONFORME
    } else {
        codes.into_iter().max().unwrap_or(crate::exit::CONFORME)
    }
}

/// The format asked for, else the one the (first) output file's extension names, else the
/// terminal's; and whether the text goes to a terminal.
pub fn format_of<F: CommandFormat>(out: &OutputArgs<F>) -> Result<(F, bool), Error> {
    let to_terminal = out.output.is_empty() && std::io::stdout().is_terminal();
    let format = match out.output.first() {
        Some(path) => file_format(out, path)?,
        None => out.format.unwrap_or(F::TERMINAL),
    };
    Ok((format, to_terminal))
}

/// Writes `text` to the output file (atomically) or standard output. Commands that write one
/// document (compare, diff, merge) take one `--output`.
pub fn emit<F: CommandFormat>(out: &OutputArgs<F>, text: &str) -> Result<(), Error> {
    match out.output.as_slice() {
        [] => super::print(text),
        [path] => write_atomically(path, text.as_bytes()),
        _ => Err(Error::Usage(Text::new(
            "cette commande écrit un seul document : donnez un seul --output",
            "this command writes one document: give one --output",
        ))),
    }
}

/// Renders `report` in `format`; `color` applies to the terminal format only.
pub fn render(
    report: &Report,
    format: ReportFormat,
    lang: Lang,
    color: bool,
) -> Result<String, Error> {
    Ok(match format {
        ReportFormat::Terminal => {
            report::terminal::render(report, report::terminal::RenderOptions { lang, color })
        }
        ReportFormat::Json => report::json::render(report),
        ReportFormat::Html => report::html::render(report, lang)?,
        ReportFormat::Markdown => report::markdown::render(report, lang),
        ReportFormat::Csv => report::csv::render(report, lang),
        ReportFormat::Junit => report::junit::render(report, lang),
        ReportFormat::Sarif => report::sarif::render(report, lang),
    })
}

/// The name of a report being written, before it is renamed into place.
const PARTIAL_PREFIX: &str = ".sdet-audit-partial-";

/// Writes `bytes` to a temporary file beside `path`, then renames it into place. The file gets
/// the mode the process umask gives any new file (not tempfile's private 0600), and the
/// temporary name a known prefix, so what a killed run left behind is swept by the next one.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> Result<(), Error> {
    let io = |source| Error::Io {
        path: path.to_path_buf(),
        source,
    };
    // `--output /dev/null`, `/dev/stdout` or a named pipe is a stream, not a file: renaming a
    // temporary file over it would replace the device itself (for root, /dev/null for the whole
    // machine). Such a path is written to in place.
    if let Ok(meta) = std::fs::metadata(path) {
        use std::os::unix::fs::FileTypeExt as _;
        let kind = meta.file_type();
        if kind.is_char_device() || kind.is_fifo() || kind.is_socket() {
            let stream = std::fs::OpenOptions::new()
                .write(true)
                .open(path)
                .map_err(io)?;
            return write_stream(stream, path, bytes);
        }
    }
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    crate::bundle::sweep_leftovers(dir, PARTIAL_PREFIX);
    let mut tmp = tempfile::Builder::new()
        .prefix(PARTIAL_PREFIX)
        .permissions(std::os::unix::fs::PermissionsExt::from_mode(0o666))
        .tempfile_in(dir)
        .map_err(io)?;
    tmp.write_all(bytes).map_err(io)?;
    tmp.as_file().sync_all().map_err(io)?;
    tmp.persist(path).map_err(|e| io(e.error))?;
    Ok(())
}

/// Writes `bytes` to a stream — standard output, or a device or pipe `--output` names — and
/// flushes it; `name` says which in an error. A closed pipe (`sdet-audit … | head`) is success:
/// the reader has what it wanted, and the exit code must still tell the command's outcome.
pub fn write_stream(mut stream: impl Write, name: &Path, bytes: &[u8]) -> Result<(), Error> {
    match stream.write_all(bytes).and_then(|()| stream.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(Error::Io {
            path: name.to_path_buf(),
            source: e,
        }),
        _ => Ok(()),
    }
}

fn print_defects(lang: Lang) -> Result<(), Error> {
    let mut lines = String::new();
    for d in crate::demo::Defect::ALL {
        let _ = writeln!(
            lines,
            "{:<28} {}",
            d.name(),
            d.description(lang == Lang::Fr)
        );
    }
    super::print(&lines)
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    fn concurrency(args: &[&str]) -> usize {
        let cli = crate::cli::Cli::try_parse_from(args).expect("valid arguments");
        let crate::cli::Command::Audit(audit) = cli.command else {
            panic!("an audit")
        };
        audit_options(&audit, Path::new("t.yaml")).http.concurrency
    }

    #[test]
    fn the_run_limit_gives_every_target_its_host_share_unless_told() {
        assert_eq!(concurrency(&["sdet-audit", "audit", "-t", "a"]), 8);
        let five = [
            "sdet-audit",
            "audit",
            "-t",
            "a",
            "-t",
            "b",
            "-t",
            "c",
            "-t",
            "d",
            "-t",
            "e",
        ];
        // Six streams each, their HTTP/2 share.
        assert_eq!(concurrency(&five), 30);
        let fewer_streams = [&five[..], &["--streams", "2"]].concat();
        assert_eq!(concurrency(&fewer_streams), 10);
        // The larger of the two shares: --streams is never below --per-host.
        let with_per_host = [&five[..], &["--per-host", "7", "--streams", "2"]].concat();
        assert_eq!(concurrency(&with_per_host), 35);
        let told = [&five[..], &["--concurrency", "4"]].concat();
        assert_eq!(concurrency(&told), 4, "an explicit limit is kept as given");
        let mut many = vec!["sdet-audit", "audit"];
        for _ in 0..40 {
            many.extend(["-t", "x"]);
        }
        assert_eq!(concurrency(&many), 64);
    }
}
