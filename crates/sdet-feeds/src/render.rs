//! Renderers of a [`FeedReport`]: pure functions from the report and a language to text. JSON is
//! the contract; the terminal view is for a person, so it lists the first findings and says how
//! many it left out. Findings carry both wordings; the renderer picks one (French by default).
//! For CI: [`sarif`] (code scanning) and [`junit`] (test results).

pub mod junit;
pub mod sarif;

use std::fmt::Write as _;

use comfy_table::presets::UTF8_FULL_CONDENSED;
use comfy_table::{ContentArrangement, Table};

use serde::Serialize;

use super::code::Severity;
use super::finding::Finding;
use super::kind::Mode;
use super::report::{FeedReport, FileReport, Summary, Tool};
use sdet_core::text::{Lang, pick};

/// Findings the terminal view lists before pointing at `--format json`.
const TERMINAL_FINDINGS: usize = 200;

/// The report as the JSON contract has it, with each finding's message in one language.
#[derive(Serialize)]
struct Json<'a> {
    format_version: u32,
    tool: &'a Tool,
    files: &'a [FileReport],
    records: u64,
    summary: &'a Summary,
    findings: Vec<JsonFinding<'a>>,
}

#[derive(Serialize)]
struct JsonFinding<'a> {
    #[serde(flatten)]
    finding: &'a Finding,
    message: &'a str,
}

/// The JSON contract, pretty-printed, messages in `lang`.
pub fn json(report: &FeedReport, lang: Lang) -> String {
    let json = Json {
        format_version: report.format_version,
        tool: &report.tool,
        files: &report.files,
        records: report.records,
        summary: &report.summary,
        findings: report
            .findings
            .iter()
            .map(|finding| JsonFinding {
                finding,
                message: finding.message.get(lang),
            })
            .collect(),
    };
    serde_json::to_string_pretty(&json).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"))
}

/// A summary for a terminal in `lang`: the files, the first findings (severities in colour when
/// `color`), the totals.
pub fn terminal(report: &FeedReport, lang: Lang, color: bool) -> String {
    let mut out = String::new();
    let mut table = Table::new();
    table.load_preset(UTF8_FULL_CONDENSED);
    table.set_content_arrangement(ContentArrangement::Disabled);
    table.set_header(match lang {
        Lang::Fr => [
            "fichier",
            "type",
            "degré",
            "encodage",
            "mode",
            "enregistrements",
            "erreurs",
            "avertissements",
        ],
        Lang::En => [
            "file", "kind", "degree", "encoding", "mode", "records", "errors", "warnings",
        ],
    });
    for f in &report.files {
        let name = std::path::Path::new(&f.path)
            .file_name()
            .map_or_else(|| f.path.clone(), |n| n.to_string_lossy().into_owned());
        table.add_row([
            name,
            f.kind.map_or("?".into(), |k| k.name().to_owned()),
            f.degree.map_or("-".into(), |d| d.label().to_owned()),
            f.encoding.unwrap_or("-").to_owned(),
            f.mode.map_or("-".into(), |m| mode(m, lang).to_owned()),
            f.records.to_string(),
            f.errors.to_string(),
            f.warnings.to_string(),
        ]);
    }
    let _ = writeln!(out, "{table}");
    if !report.findings.is_empty() {
        let _ = writeln!(out);
    }
    for f in report.findings.iter().take(TERMINAL_FINDINGS) {
        let severity = match (f.severity, lang) {
            (Severity::Error, Lang::En) => "error  ",
            (Severity::Warning, Lang::En) => "warning",
            (Severity::Error, Lang::Fr) => "erreur       ",
            (Severity::Warning, Lang::Fr) => "avertissement",
        };
        // Red for an error, yellow for a warning: the words stay, so nothing depends on colour.
        let severity = match (color, f.severity) {
            (false, _) => severity.to_owned(),
            (true, Severity::Error) => format!("\x1b[1;31m{severity}\x1b[0m"),
            (true, Severity::Warning) => format!("\x1b[33m{severity}\x1b[0m"),
        };
        let file = std::path::Path::new(&f.file)
            .file_name()
            .map_or_else(|| f.file.clone(), |n| n.to_string_lossy().into_owned());
        let place = f.line.map_or(file.clone(), |l| format!("{file}:{l}"));
        let record = f
            .record
            .as_deref()
            .map_or(String::new(), |r| format!(" [{r}]"));
        let message = f.message.get(lang);
        let _ = match lang {
            Lang::Fr => writeln!(out, "{severity} {} {place}{record} : {message}", f.code),
            Lang::En => writeln!(out, "{severity} {} {place}{record}: {message}", f.code),
        };
    }
    let unlisted =
        report.summary.not_listed + report.findings.len().saturating_sub(TERMINAL_FINDINGS) as u64;
    let per = report.summary.listed_per_code_and_file;
    if unlisted > 0 {
        let _ = match lang {
            Lang::Fr => writeln!(
                out,
                "… et {unlisted} autre(s) constat(s) : `--format json` en liste jusqu'à {per} par code et par fichier"
            ),
            Lang::En => writeln!(
                out,
                "… and {unlisted} more finding(s): `--format json` lists up to {per} per code and file"
            ),
        };
    }
    let s = &report.summary;
    let verdict = if s.errors == 0 {
        pick(lang, "aucune erreur", "no error")
    } else {
        pick(lang, "erreurs trouvées", "errors found")
    };
    let (records, files) = (report.records, report.files.len());
    let _ = match lang {
        Lang::Fr => writeln!(
            out,
            "\n{records} enregistrement(s) dans {files} fichier(s) : {} erreur(s), {} avertissement(s) — {verdict}",
            s.errors, s.warnings
        ),
        Lang::En => writeln!(
            out,
            "\n{records} record(s) in {files} file(s): {} error(s), {} warning(s) — {verdict}",
            s.errors, s.warnings
        ),
    };
    out
}

fn mode(mode: Mode, lang: Lang) -> &'static str {
    match mode {
        Mode::Full => pick(lang, "complet", "full"),
        Mode::Incremental => pick(lang, "incrémental", "incremental"),
    }
}
