//! The result of `feeds check` as data: the JSON contract of DESIGN.md ("Feed findings") plus a
//! summary. Renderers are pure functions of it.

use std::collections::BTreeMap;

use serde::Serialize;

use super::code::{Code, Severity};
use super::finding::{Finding, MAX_PER_CODE};
use super::kind::{Degree, Kind, Mode};
use super::scan::Header;
use super::set::{Input, Outcome};

/// The JSON format version; bumped only on a breaking change.
pub const FORMAT_VERSION: u32 = 1;

/// One checked file.
#[derive(Debug, Clone, Serialize)]
pub struct FileReport {
    /// The path, as given or found in a folder.
    pub path: String,
    /// Its kind, or null when it could not be told.
    pub kind: Option<Kind>,
    /// Declared encoding, or null when the file could not be read.
    pub encoding: Option<&'static str>,
    /// Requests in the file.
    pub records: u64,
    /// `1D` or `2D`, as read.
    pub degree: Option<Degree>,
    /// `full` or `incremental`.
    pub mode: Option<Mode>,
    /// Version header comments.
    pub header: Header,
    /// Error findings in this file (all of them, kept or not).
    pub errors: u64,
    /// Warning findings in this file.
    pub warnings: u64,
}

/// Totals over the set.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Summary {
    /// Error findings.
    pub errors: u64,
    /// Warning findings.
    pub warnings: u64,
    /// Findings per code.
    pub by_code: BTreeMap<Code, u64>,
    /// Findings counted but not listed (over the per-file, per-code limit).
    pub not_listed: u64,
    /// Findings listed per code and per file, at most.
    pub listed_per_code_and_file: usize,
}

/// The whole result. `render::json` writes it out, each finding's message in one language.
#[derive(Debug, Clone)]
pub struct FeedReport {
    /// JSON format version.
    pub format_version: u32,
    /// The tool that checked.
    pub tool: Tool,
    /// The files, in the order given.
    pub files: Vec<FileReport>,
    /// Requests in all files.
    pub records: u64,
    /// Totals.
    pub summary: Summary,
    /// The findings, by file then line.
    pub findings: Vec<Finding>,
}

/// Name and version of the tool.
#[derive(Debug, Clone, Serialize)]
pub struct Tool {
    /// `sdet-audit`.
    pub name: &'static str,
    /// Its version.
    pub version: &'static str,
}

impl FeedReport {
    /// Assembles the report from the files and what checking them produced.
    pub fn build(files: &[Input], outcomes: Vec<Outcome>) -> FeedReport {
        let mut summary = Summary {
            listed_per_code_and_file: MAX_PER_CODE,
            ..Summary::default()
        };
        let mut reports = Vec::with_capacity(files.len());
        let mut findings = Vec::new();
        for (input, outcome) in files.iter().zip(outcomes) {
            let path = input.path.display().to_string();
            let (kept, counts) = outcome.findings.into_parts();
            let (mut errors, mut warnings) = (0, 0);
            for (code, n) in counts {
                match code.severity() {
                    Severity::Error => errors += n,
                    Severity::Warning => warnings += n,
                }
                *summary.by_code.entry(code).or_insert(0) += n;
            }
            summary.errors += errors;
            summary.warnings += warnings;
            let listed = kept.len() as u64;
            summary.not_listed += errors + warnings - listed;
            let mut kept: Vec<Finding> = kept
                .into_iter()
                .map(|raw| Finding {
                    severity: raw.code.severity(),
                    code: raw.code,
                    file: path.clone(),
                    line: raw.line,
                    record: raw.record,
                    message: raw.message,
                })
                .collect();
            kept.sort_by_key(|f| (f.line, f.code));
            findings.extend(kept);
            reports.push(FileReport {
                path,
                kind: outcome.kind,
                encoding: outcome.encoding,
                records: outcome.records,
                degree: outcome.degree,
                mode: outcome.mode,
                header: outcome.header,
                errors,
                warnings,
            });
        }
        FeedReport {
            format_version: FORMAT_VERSION,
            tool: Tool {
                name: "sdet-audit",
                version: env!("CARGO_PKG_VERSION"),
            },
            records: reports.iter().map(|f| f.records).sum(),
            files: reports,
            summary,
            findings,
        }
    }

    /// 0 when no error finding, 1 otherwise.
    pub fn exit_code(&self) -> u8 {
        if self.summary.errors > 0 {
            sdet_core::exit::NON_CONFORME
        } else {
            sdet_core::exit::CONFORME
        }
    }
}
