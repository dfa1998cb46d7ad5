//! The GAR export: the XML files an ENT sends the GAR (gestionnaire d'accès aux ressources) so
//! that pupils and teachers reach their digital resources. Two checks read the export folder:
//! `gar.export_schema` validates each file against the official XSD — the built-in
//! [`screen`] compiled from it clears the files it can prove valid, a real validator (libxml2's
//! `xmllint`, run as a bounded subprocess) judges the rest — `gar.export_references` applies the rules
//! the schema cannot express across files (unique identifiers, references that resolve,
//! profiles, file naming and versions). Findings follow the feed-findings contract of
//! DESIGN.md: severity, stable code, file, line, record, message.
//!
//! Files are first read by our own streaming reader ([`reader`]), which refuses DTDs before
//! `xmllint` ever sees a file, and keeps only the fields the cross-file rules need.

pub mod folder;
pub mod grammar;
pub mod index;
mod memberships;
pub mod naming;
pub mod reader;
pub mod references;
pub mod schema;
pub mod screen;

use std::path::{Path, PathBuf};

use serde::Serialize;
use serde::ser::SerializeStruct as _;

use sdet_core::text::Text;

sdet_core::codes! {
    /// The code of a GAR export finding. Codes are stable: they never change meaning, new
    /// problems get new codes (listed in docs/diagnostics.md). The severity is the finding's:
    /// some codes are an error in one case and a warning in another.
    pub enum Code in "gar" {
        /// The file is not well-formed XML, or has a DTD (refused).
        Xml = "xml",
        /// The file does not validate against the official XSD of its namespace.
        Schema = "schema",
        /// The file name does not follow the export naming convention.
        FileName = "file-name",
        /// The file name's kind or degree disagrees with its root element or namespace.
        FileKind = "file-kind",
        /// The folder holds files of several exports (ENT ids or timestamps).
        ExportMixed = "export-mixed",
        /// The files declare different Version attributes.
        VersionMixed = "version-mixed",
        /// No structures file, or no pupils nor teachers file.
        MissingFile = "missing-file",
        /// An identifier is defined twice across the export.
        DuplicateId = "duplicate-id",
        /// A UAI named by a record is not a GAREtab of the export.
        UnknownStructure = "unknown-structure",
        /// A person named by a record is not exported.
        UnknownPerson = "unknown-person",
        /// A pupil record names a non-pupil, or a teaching record a non-teacher.
        WrongPerson = "wrong-person",
        /// A MEF named by a record is not a GARMEF of its structure.
        UnknownMef = "unknown-mef",
        /// A subject named by a record is not a GARMatiere of its structure.
        UnknownSubject = "unknown-subject",
        /// A group or division named by a record is not defined.
        UnknownGroup = "unknown-group",
        /// A group status is not DIVISION or GROUPE, or does not fit its use.
        GroupStatus = "group-status",
        /// A pupil without National_elv, or a teacher with it.
        Profile = "profile",
        /// A profile that is not a GAR national profile.
        UnknownProfile = "unknown-profile",
    }
}

impl Serialize for Code {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

/// How bad a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Breaks the export.
    Error,
    /// Suspicious, does not break it.
    Warning,
}

/// One finding about an export file (the feed-findings contract: `message` is the English text,
/// `message_fr` the French one).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GarFinding {
    /// Error or warning.
    pub severity: Severity,
    /// Stable code, `gar::…`.
    pub code: Code,
    /// The file's name.
    pub file: String,
    /// 1-based line, when the finding has one.
    pub line: Option<u64>,
    /// The record's identifier (person id, UAI, group code), or `None` for file-level findings.
    pub record: Option<String>,
    /// What is wrong, in French and English.
    pub message: Text,
}

impl Serialize for GarFinding {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut s = serializer.serialize_struct("GarFinding", 7)?;
        s.serialize_field("severity", &self.severity)?;
        s.serialize_field("code", &self.code)?;
        s.serialize_field("file", &self.file)?;
        s.serialize_field("line", &self.line)?;
        s.serialize_field("record", &self.record)?;
        s.serialize_field("message", &self.message.en)?;
        s.serialize_field("message_fr", &self.message.fr)?;
        s.end()
    }
}

impl GarFinding {
    /// `file:line [record] code: message`, in French and English, for probe messages.
    pub fn summary(&self) -> Text {
        let line = self.line.map_or_else(String::new, |l| format!(":{l}"));
        let record = self
            .record
            .as_ref()
            .map_or_else(String::new, |r| format!(" [{r}]"));
        let at = format!("{}{line}{record} {}", self.file, self.code);
        Text::new(
            format!("{at} : {}", self.message.fr),
            format!("{at}: {}", self.message.en),
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

/// Where the first `max` findings are (errors first, as [`summarise`] lists them), the files
/// named relative to the target's folder, for code-scanning annotations.
pub fn places(
    findings: &[GarFinding],
    folder: &Path,
    source: &sdet_core::target::TargetSource,
    max: usize,
) -> Vec<sdet_core::evidence::SourceLocation> {
    let mut sorted: Vec<&GarFinding> = findings.iter().collect();
    sorted.sort_by(|a, b| (a.severity, &a.file, a.line).cmp(&(b.severity, &b.file, b.line)));
    sorted
        .into_iter()
        .take(max)
        .map(|f| sdet_core::evidence::SourceLocation {
            file: source.place(&folder.join(&f.file)),
            line: f.line,
        })
        .collect()
}

/// Errors first, then by file and line; at most `max` summaries, then a count of the rest.
pub fn summarise(findings: &[GarFinding], max: usize) -> Text {
    let mut sorted: Vec<&GarFinding> = findings.iter().collect();
    sorted.sort_by(|a, b| (a.severity, &a.file, a.line).cmp(&(b.severity, &b.file, b.line)));
    let parts: Vec<Text> = sorted.iter().take(max).map(|f| f.summary()).collect();
    let mut fr: Vec<String> = parts.iter().map(|t| t.fr.clone()).collect();
    let mut en: Vec<String> = parts.into_iter().map(|t| t.en).collect();
    if sorted.len() > max {
        fr.push(format!("… et {} de plus", sorted.len() - max));
        en.push(format!("… and {} more", sorted.len() - max));
    }
    Text::new(fr.join(" ; "), en.join("; "))
}

/// The findings of one file, as the cross-file rules add them.
pub(crate) struct Sink<'a> {
    pub(crate) findings: Vec<GarFinding>,
    pub(crate) file: &'a str,
}

impl Sink<'_> {
    pub(crate) fn add(
        &mut self,
        severity: Severity,
        code: Code,
        record: &reader::Record,
        id: Option<&str>,
        message: Text,
    ) {
        self.findings.push(GarFinding {
            severity,
            code,
            file: self.file.to_string(),
            line: Some(record.line),
            record: id.map(str::to_string),
            message,
        });
    }
}

/// Runs `each` on every item, `workers` threads at a time, each thread taking the next item
/// when it is done with one (files differ in size); the results in the items' order, or `None`
/// if a thread panicked.
fn in_parallel<T: Sync, R: Send>(
    items: &[T],
    workers: usize,
    each: impl Fn(&T) -> R + Sync,
) -> Option<Vec<R>> {
    let next = std::sync::atomic::AtomicUsize::new(0);
    let work = || {
        let mut done = Vec::new();
        loop {
            let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            let Some(item) = items.get(i) else {
                return done;
            };
            done.push((i, each(item)));
        }
    };
    let mut results: Vec<(usize, R)> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..workers.clamp(1, items.len().max(1)))
            .map(|_| scope.spawn(work))
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap_or_default())
            .collect()
    });
    if results.len() != items.len() {
        return None;
    }
    results.sort_by_key(|(i, _)| *i);
    Some(results.into_iter().map(|(_, r)| r).collect())
}

#[cfg(test)]
mod tests {
    use super::Code;

    #[test]
    fn the_docs_list_exactly_the_codes() {
        let docs = include_str!("../../../../docs/diagnostics.md");
        assert_eq!(sdet_core::code::named_in(docs, Code::AREA), Code::names());
    }
}
