//! The `aaf.*` probes' shared machinery: one `feeds check` of the export folder per audit, and
//! the table saying which probe owns which finding code.
//!
//! An académie export can be gigabytes, so the check runs once, on a blocking thread, the first
//! time an `aaf.*` probe asks for it; the others wait for that same result ([`Shared`]). Each
//! probe then judges its [`Slice`]: it passes when its codes have no error finding (warnings are
//! named in the message), fails with the counts per code and the first findings otherwise. A
//! folder that cannot be read, or a file that cannot be read to the end (`aaf::io`), leaves every
//! slice undecided: `error`, never `fail`.

mod slice;

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use tokio::sync::OnceCell;

use crate::{Context, Finding, ProbeError};
use sdet_core::text::{Lang, Text};
use sdet_feeds::{self as feeds, Code, FeedReport, FeedsError, Severity};

/// Findings named in a probe's message and evidence.
const LISTED: usize = 5;

pub use slice::Slice;

/// The audit's one check of the export, computed by the first `aaf.*` probe that asks.
#[derive(Debug, Default)]
pub struct Shared(OnceCell<Result<Arc<FeedReport>, Text>>);

impl Shared {
    /// The report on `folder`, checking it on a blocking thread the first time.
    async fn report(&self, folder: &Path) -> Result<Arc<FeedReport>, ProbeError> {
        let result = self.0.get_or_init(|| check(folder.to_path_buf())).await;
        result.clone().map_err(ProbeError::Unexpected)
    }
}

async fn check(folder: PathBuf) -> Result<Arc<FeedReport>, Text> {
    let shown = folder.display().to_string();
    let checked =
        tokio::task::spawn_blocking(move || feeds::check(&[folder], &feeds::Silent)).await;
    match checked {
        Ok(Ok(report)) => Ok(Arc::new(report)),
        Ok(Err(FeedsError::NoFiles { .. })) => Err(Text::new(
            format!("Aucun fichier .xml dans l'export AAF ({shown})"),
            format!("No .xml file in the AAF export ({shown})"),
        )),
        Ok(Err(FeedsError::Path { cause, .. })) => {
            let why = sdet_core::text::io_reason(&cause);
            Err(Text::new(
                format!("Export AAF illisible ({shown}) : {}", why.fr),
                format!("Unreadable AAF export ({shown}): {}", why.en),
            ))
        }
        Err(e) => Err(Text::new(
            format!("Vérification de l'export AAF interrompue : {e}"),
            format!("AAF export check interrupted: {e}"),
        )),
    }
}

/// Judges `slice` on the audit's check of the export named by `annuaire.feeds`.
pub async fn judge(ctx: &Context<'_>, slice: Slice) -> Result<Finding, ProbeError> {
    let folder = ctx
        .target
        .annuaire
        .as_ref()
        .and_then(|a| a.feeds.as_deref())
        .ok_or_else(|| {
            ProbeError::Unexpected(Text::new(
                "Aucun export AAF dans la cible (`annuaire.feeds`)",
                "No AAF export in the target (`annuaire.feeds`)",
            ))
        })?;
    let report = ctx.aaf.report(folder).await?;
    let places = places(&report, slice, &ctx.target.source);
    verdict(&report, slice).map(|finding| finding.at(places))
}

/// The files and lines of the slice's first error findings, for code-scanning annotations.
fn places(
    report: &FeedReport,
    slice: Slice,
    source: &sdet_core::target::TargetSource,
) -> Vec<sdet_core::evidence::SourceLocation> {
    report
        .findings
        .iter()
        .filter(|f| Slice::of(f.code) == slice && f.severity == Severity::Error)
        .take(LISTED)
        .map(|f| sdet_core::evidence::SourceLocation {
            file: source.place(Path::new(&f.file)),
            line: f.line,
        })
        .collect()
}

/// The verdict on one slice of a finished check.
pub fn verdict(report: &FeedReport, slice: Slice) -> Result<Finding, ProbeError> {
    if report.summary.by_code.contains_key(&Code::Io) {
        let unread = listing(report, |f| f.code == Code::Io);
        return Err(ProbeError::Unexpected(Text::new(
            format!(
                "Fichier(s) AAF illisible(s) jusqu'au bout, export non vérifié : {}",
                unread.fr
            ),
            format!(
                "AAF file(s) not readable to the end, export not checked: {}",
                unread.en
            ),
        )));
    }
    let counts: BTreeMap<Code, u64> = report
        .summary
        .by_code
        .iter()
        .filter(|(code, _)| Slice::of(**code) == slice)
        .map(|(code, n)| (*code, *n))
        .collect();
    let total = |severity| {
        counts
            .iter()
            .filter(|(c, _)| c.severity() == severity)
            .map(|(_, n)| n)
            .sum::<u64>()
    };
    let (errors, warnings) = (total(Severity::Error), total(Severity::Warning));
    let scope = Text::new(
        format!(
            "{} enregistrement(s) dans {} fichier(s) AAF",
            report.records,
            report.files.len()
        ),
        format!(
            "{} record(s) in {} AAF file(s)",
            report.records,
            report.files.len()
        ),
    );
    if errors > 0 {
        return Ok(fail(report, slice, &counts, errors, &scope));
    }
    Ok(pass(report, slice, &counts, warnings, &scope))
}

/// A failure: the slice's error counts, its first error findings.
fn fail(
    report: &FeedReport,
    slice: Slice,
    counts: &BTreeMap<Code, u64>,
    errors: u64,
    scope: &Text,
) -> Finding {
    let severity = Severity::Error;
    let list = listing(report, |f| {
        Slice::of(f.code) == slice && f.severity == severity
    });
    let per_code = per_code(counts, severity);
    let problem = slice.problem();
    let codes: Vec<&str> = slice
        .codes()
        .filter(|c| c.severity() == severity)
        .map(Code::as_str)
        .collect();
    Finding::fail(
        Text::new(
            format!(
                "{} : {errors} erreur(s) {} ({per_code}) : {}",
                scope.fr, problem.fr, list.fr
            ),
            format!(
                "{}: {errors} {} error(s) ({per_code}): {}",
                scope.en, problem.en, list.en
            ),
        ),
        Text::new(
            format!("aucune erreur parmi {}", codes.join(", ")),
            format!("no error finding among {}", codes.join(", ")),
        ),
        Text::new(
            format!(
                "{per_code} ; premières : {}",
                evidence(report, slice, severity)
            ),
            format!("{per_code}; first: {}", evidence(report, slice, severity)),
        ),
    )
}

/// A pass: what was verified, the slice's warnings, and whether some file was not read whole.
fn pass(
    report: &FeedReport,
    slice: Slice,
    counts: &BTreeMap<Code, u64>,
    warnings: u64,
    scope: &Text,
) -> Finding {
    let verified = slice.verified();
    let mut message = Text::new(
        format!("{} : {}", scope.fr, verified.fr),
        format!("{}: {}", scope.en, verified.en),
    );
    if warnings > 0 {
        let severity = Severity::Warning;
        let list = listing(report, |f| {
            Slice::of(f.code) == slice && f.severity == severity
        });
        let per_code = per_code(counts, severity);
        let _ = write!(
            message.fr,
            " ; {warnings} avertissement(s) ({per_code}) : {}",
            list.fr
        );
        let _ = write!(
            message.en,
            "; {warnings} warning(s) ({per_code}): {}",
            list.en
        );
    }
    let stopped = report
        .summary
        .by_code
        .keys()
        .any(|c| Slice::of(*c) == Slice::Structure && c.severity() == Severity::Error);
    if slice != Slice::Structure && stopped {
        message
            .fr
            .push_str(" (sur ce qui a pu être lu : voir aaf.structure)");
        message
            .en
            .push_str(" (on what could be read: see aaf.structure)");
    }
    Finding::Pass(message)
}

/// `aaf::bad-date ×3, aaf::bad-uai ×1`: every count, listed or not.
fn per_code(counts: &BTreeMap<Code, u64>, severity: Severity) -> String {
    counts
        .iter()
        .filter(|(c, _)| c.severity() == severity)
        .map(|(c, n)| format!("{c} ×{n}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The first findings that match, with their messages, in both languages.
fn listing(report: &FeedReport, keep: impl Fn(&feeds::Finding) -> bool) -> Text {
    let found: Vec<&feeds::Finding> = report
        .findings
        .iter()
        .filter(|f| keep(f))
        .take(LISTED)
        .collect();
    let line = |lang: Lang| {
        found
            .iter()
            .map(|f| {
                let message = f.message.get(lang);
                match lang {
                    Lang::Fr => format!("{} {} : {message}", place(f), f.code),
                    Lang::En => format!("{} {}: {message}", place(f), f.code),
                }
            })
            .collect::<Vec<_>>()
            .join("; ")
    };
    Text::new(line(Lang::Fr), line(Lang::En))
}

/// The first findings that match, without messages: the same in every language.
fn evidence(report: &FeedReport, slice: Slice, severity: Severity) -> String {
    report
        .findings
        .iter()
        .filter(|f| Slice::of(f.code) == slice && f.severity == severity)
        .take(LISTED)
        .map(|f| format!("{} {}", place(f), f.code))
        .collect::<Vec<_>>()
        .join("; ")
}

/// `ENT_…_Eleve_0000.xml:12 [3000000]`: the file's name (the folder is the target's), the line
/// and the record.
fn place(f: &feeds::Finding) -> String {
    let name = Path::new(&f.file)
        .file_name()
        .map_or_else(|| f.file.clone(), |n| n.to_string_lossy().into_owned());
    let line = f.line.map_or(String::new(), |l| format!(":{l}"));
    let record = f
        .record
        .as_deref()
        .map_or(String::new(), |r| format!(" [{r}]"));
    format!("{name}{line}{record}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use sdet_feeds::report::{Summary, Tool};

    fn report(findings: &[(Code, &str)]) -> FeedReport {
        let mut summary = Summary::default();
        for (code, _) in findings {
            *summary.by_code.entry(*code).or_insert(0) += 1;
        }
        FeedReport {
            format_version: 1,
            tool: Tool {
                name: "sdet-audit",
                version: "0",
            },
            files: Vec::new(),
            records: 7,
            summary,
            findings: findings
                .iter()
                .enumerate()
                .map(|(i, (code, en))| feeds::Finding {
                    severity: code.severity(),
                    code: *code,
                    file: "/x/ENT_Complet_20250901_Eleve_0000.xml".into(),
                    line: Some(i as u64 + 10),
                    record: Some("42".into()),
                    message: Text::new(format!("fr {en}"), *en),
                })
                .collect(),
        }
    }

    #[test]
    fn each_slice_judges_only_its_codes() {
        let r = report(&[(Code::BadDate, "bad"), (Code::Header, "odd header")]);
        let Ok(Finding::Fail {
            message,
            expected,
            observed,
            ..
        }) = verdict(&r, Slice::Values)
        else {
            panic!("values must fail");
        };
        assert_eq!(
            message.en,
            "7 record(s) in 0 AAF file(s): 1 value format error(s) (aaf::bad-date ×1): \
             ENT_Complet_20250901_Eleve_0000.xml:10 [42] aaf::bad-date: bad"
        );
        assert!(
            message.fr.contains("aaf::bad-date : fr bad"),
            "{}",
            message.fr
        );
        assert!(
            expected.is_some_and(|e| e.en.contains("aaf::bad-date") && !e.en.contains("uai-check"))
        );
        let observed = observed.expect("observed");
        assert_eq!(
            observed.en,
            "aaf::bad-date ×1; first: ENT_Complet_20250901_Eleve_0000.xml:10 [42] aaf::bad-date"
        );
        assert_eq!(
            observed.fr,
            "aaf::bad-date ×1 ; premières : ENT_Complet_20250901_Eleve_0000.xml:10 [42] aaf::bad-date"
        );
        // A warning of its own slice is named; an error of another slice is not its business.
        let Ok(Finding::Pass(message)) = verdict(&r, Slice::Structure) else {
            panic!("structure has only a warning");
        };
        assert!(
            message.en.contains("1 warning(s) (aaf::header ×1)"),
            "{}",
            message.en
        );
        assert!(matches!(verdict(&r, Slice::Links), Ok(Finding::Pass(_))));
    }

    #[test]
    fn a_file_not_read_to_the_end_leaves_every_slice_undecided() {
        let r = report(&[(Code::Io, "cannot read the file: gone")]);
        for slice in Slice::ALL {
            assert!(
                matches!(verdict(&r, slice), Err(ProbeError::Unexpected(_))),
                "{slice:?}"
            );
        }
    }

    #[test]
    fn other_slices_say_when_a_file_was_not_read_whole() {
        let r = report(&[(Code::Truncated, "cut")]);
        let Ok(Finding::Pass(message)) = verdict(&r, Slice::Links) else {
            panic!("links pass");
        };
        assert!(
            message
                .en
                .ends_with("(on what could be read: see aaf.structure)")
        );
    }

    #[tokio::test]
    async fn the_export_is_checked_once_per_audit() {
        let shared = Shared::default();
        let first = shared.report(Path::new("/no/such/sdet-export")).await;
        assert!(first.is_err());
        // A second probe asking gets the same answer, not a second check (whose message would
        // name the other folder).
        let second = shared.report(Path::new("/no/such/other-export")).await;
        assert_eq!(second.err(), first.err());
    }
}
