//! The GAR export: the XML files an ENT sends the GAR (gestionnaire d'accès aux ressources) so
//! that pupils and teachers reach their digital resources. Two checks read the export folder:
//! `gar.export_schema` validates each file against the official XSD with a real validator
//! (libxml2's `xmllint`, run as a bounded subprocess), `gar.export_references` applies the rules
//! the schema cannot express across files (unique identifiers, references that resolve,
//! profiles, file naming and versions). Findings follow the feed-findings contract of
//! DESIGN.md: severity, stable code, file, line, record, message.
//!
//! Files are first read by our own streaming reader ([`reader`]), which refuses DTDs before
//! `xmllint` ever sees a file, and keeps only the fields the cross-file rules need.

pub mod index;
mod memberships;
pub mod naming;
pub mod reader;
pub mod references;
pub mod schema;

use std::path::{Path, PathBuf};

use serde::Serialize;

/// How bad a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Breaks the export.
    Error,
    /// Suspicious, does not break it.
    Warning,
}

/// One finding about an export file (the feed-findings contract).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GarFinding {
    /// Error or warning.
    pub severity: Severity,
    /// Stable code, `gar-…`.
    pub code: &'static str,
    /// The file's name.
    pub file: String,
    /// 1-based line, when the finding has one.
    pub line: Option<u64>,
    /// The record's identifier (person id, UAI, group code), or `None` for file-level findings.
    pub record: Option<String>,
    /// What is wrong.
    pub message: String,
}

impl GarFinding {
    /// `file:line [record] code: message`, for probe messages.
    pub fn summary(&self) -> String {
        let line = self.line.map_or_else(String::new, |l| format!(":{l}"));
        let record = self
            .record
            .as_ref()
            .map_or_else(String::new, |r| format!(" [{r}]"));
        format!(
            "{}{line}{record} {}: {}",
            self.file, self.code, self.message
        )
    }
}

/// The XML files of an export folder, sorted by name.
pub fn export_files(folder: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(folder)?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.is_file() && p.extension().is_some_and(|e| e.eq_ignore_ascii_case("xml")))
        .collect();
    files.sort();
    Ok(files)
}

/// Errors first, then by file and line; at most `max` summaries, then a count of the rest.
pub fn summarise(findings: &[GarFinding], max: usize) -> String {
    let mut sorted: Vec<&GarFinding> = findings.iter().collect();
    sorted.sort_by(|a, b| (a.severity, &a.file, a.line).cmp(&(b.severity, &b.file, b.line)));
    let mut parts: Vec<String> = sorted.iter().take(max).map(|f| f.summary()).collect();
    if sorted.len() > max {
        parts.push(format!("… and {} more", sorted.len() - max));
    }
    parts.join("; ")
}
