//! Renderers of a [`FeedReport`]: pure functions from the report to text. JSON is the contract; the
//! terminal view is for a person, so it lists the first findings and says how many it left out.

use std::fmt::Write as _;

use comfy_table::presets::UTF8_FULL_CONDENSED;
use comfy_table::{ContentArrangement, Table};

use super::code::Severity;
use super::report::FeedReport;

/// Findings the terminal view lists before pointing at `--format json`.
const TERMINAL_FINDINGS: usize = 200;

/// The JSON contract, pretty-printed.
pub fn json(report: &FeedReport) -> String {
    serde_json::to_string_pretty(report).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"))
}

/// A summary for a terminal: the files, the first findings, the totals.
pub fn terminal(report: &FeedReport) -> String {
    let mut out = String::new();
    let mut table = Table::new();
    table.load_preset(UTF8_FULL_CONDENSED);
    table.set_content_arrangement(ContentArrangement::Disabled);
    table.set_header([
        "file", "kind", "degree", "encoding", "mode", "records", "errors", "warnings",
    ]);
    for f in &report.files {
        let name = std::path::Path::new(&f.path)
            .file_name()
            .map_or_else(|| f.path.clone(), |n| n.to_string_lossy().into_owned());
        table.add_row([
            name,
            f.kind.map_or("?".into(), |k| k.name().to_owned()),
            f.degree.map_or("-".into(), |d| d.label().to_owned()),
            f.encoding.unwrap_or("-").to_owned(),
            f.mode
                .map_or("-".into(), |m| format!("{m:?}").to_lowercase()),
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
        let severity = match f.severity {
            Severity::Error => "error  ",
            Severity::Warning => "warning",
        };
        let file = std::path::Path::new(&f.file)
            .file_name()
            .map_or_else(|| f.file.clone(), |n| n.to_string_lossy().into_owned());
        let place = f.line.map_or(file.clone(), |l| format!("{file}:{l}"));
        let record = f
            .record
            .as_deref()
            .map_or(String::new(), |r| format!(" [{r}]"));
        let _ = writeln!(out, "{severity} {} {place}{record}: {}", f.code, f.message);
    }
    let unlisted =
        report.summary.not_listed + report.findings.len().saturating_sub(TERMINAL_FINDINGS) as u64;
    if unlisted > 0 {
        let _ = writeln!(
            out,
            "… and {unlisted} more finding(s): `--format json` lists up to {} per code and file",
            report.summary.listed_per_code_and_file
        );
    }
    let s = &report.summary;
    let verdict = if s.errors == 0 {
        "no error"
    } else {
        "errors found"
    };
    let _ = writeln!(
        out,
        "\n{} record(s) in {} file(s): {} error(s), {} warning(s) — {verdict}",
        report.records,
        report.files.len(),
        s.errors,
        s.warnings
    );
    out
}
