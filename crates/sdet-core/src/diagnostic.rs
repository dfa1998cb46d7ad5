//! Diagnostics on the data files a user writes or ships: grids, the probe catalogue, targets and
//! declarations. Loading collects every problem rather than stopping at the first, so one
//! `grids lint` run shows them all; each carries a stable code (certifiers grep for them), the file
//! and, when the input has positions, the source span that miette points at.

use std::fmt;
use std::sync::Arc;

use miette::{LabeledSpan, NamedSource, SourceSpan};

use crate::text::{Lang, Text, errors_lang};

crate::codes! {
    /// A stable diagnostic code on a data file, in area `sdet`. Codes never change meaning; new
    /// problems get new codes.
    pub enum Code in "sdet" {
        /// The file is not valid YAML, or does not have the expected shape.
        Yaml = "yaml",
        /// A file could not be read.
        Io = "io",
        /// Two criteria (or two probes) share one id.
        DuplicateId = "duplicate-id",
        /// An id does not follow the id scheme.
        BadId = "bad-id",
        /// A criterion names an axis that the grid does not declare.
        UnknownAxis = "unknown-axis",
        /// A level other than `exigence` or `recommandation`.
        UnknownLevel = "unknown-level",
        /// A verification mode other than `automatic`, `mixed` or `declarative`.
        UnknownVerification = "unknown-verification",
        /// A degree other than `1d` or `2d`.
        UnknownDegree = "unknown-degree",
        /// A criterion names a probe that no `probes/*.yaml` declares.
        UnknownProbe = "unknown-probe",
        /// A probe names a check kind the engine does not have.
        UnknownCheck = "unknown-check",
        /// An automatic or mixed criterion names no probe, or a declarative one names some.
        ProbesMismatch = "probes-mismatch",
        /// A declarative or mixed criterion says nothing of the proof a vendor must supply.
        MissingProof = "missing-proof",
        /// Provenance must be exactly one of `source` or `to_verify`.
        BadProvenance = "bad-provenance",
        /// The grid manifest and its axis files disagree.
        AxisFile = "axis-file",
        /// A probe's parameters do not fit its check kind.
        BadParams = "bad-params",
        /// A declaration or a waiver names a criterion the grid does not have.
        UnknownCriterion = "unknown-criterion",
        /// A declaration status other than the four allowed.
        UnknownStatus = "unknown-status",
        /// A target file is inconsistent (bad URL, missing field).
        BadTarget = "bad-target",
        /// A criterion gives no SDET reference, or both `sdet_ref` and `sdet_refs`.
        MissingRef = "missing-ref",
        /// A waiver names an exigence and the policy does not allow it.
        WaiverOnExigence = "waiver-on-exigence",
        /// A waiver has an empty justification or approver.
        WaiverIncomplete = "waiver-incomplete",
        /// A waiver's expiry is not a `YYYY-MM-DD` date.
        WaiverBadDate = "waiver-bad-date",
        /// A `scoring.yaml` map has an unknown key, a key that is never scored, or lacks one.
        ScoringKey = "scoring-key",
        /// A probe verifies a criterion without saying why.
        MissingWhy = "missing-why",
        /// A party other than the four that carry SDET duties.
        UnknownParty = "unknown-party",
        /// A spreadsheet could not be read (format, damage, size).
        Sheet = "sheet",
        /// A sheet of declarations lacks a column the import needs.
        SheetHeader = "sheet-header",
        /// A row of a declarations sheet cannot be read as a declaration.
        SheetRow = "sheet-row",
    }
}

impl Code {
    /// One line saying what the code means (also in docs/diagnostics.md).
    pub fn description(self) -> &'static str {
        match self {
            Code::Yaml => "the file is not valid YAML or does not have the expected fields",
            Code::Io => "a file could not be read",
            Code::DuplicateId => "an id is used twice",
            Code::BadId => "an id does not follow the id scheme",
            Code::UnknownAxis => "a criterion names an axis the grid does not declare",
            Code::UnknownLevel => "a level is neither `exigence` nor `recommandation`",
            Code::UnknownVerification => {
                "a verification mode is not `automatic`, `mixed` or `declarative`"
            }
            Code::UnknownDegree => "a degree is neither `1d` nor `2d`",
            Code::UnknownProbe => "a criterion names a probe that probes/*.yaml does not declare",
            Code::UnknownCheck => "a probe names a check kind the engine does not have",
            Code::ProbesMismatch => {
                "automatic and mixed criteria need probes; declarative ones must have none"
            }
            Code::MissingProof => "declarative and mixed criteria must say what proof to supply",
            Code::BadProvenance => "provenance needs exactly one of `source` or `to_verify`",
            Code::AxisFile => "the grid manifest and its axis files disagree",
            Code::BadParams => "a probe's parameters do not fit its check kind",
            Code::UnknownCriterion => {
                "a declaration or waiver names a criterion the grid does not have"
            }
            Code::UnknownStatus => "a declaration status is not one of the four allowed",
            Code::BadTarget => "the target file is inconsistent",
            Code::MissingRef => "a criterion needs exactly one of `sdet_ref` or `sdet_refs`",
            Code::WaiverOnExigence => {
                "exigences cannot be waived unless --allow-exigence-waivers is given"
            }
            Code::WaiverIncomplete => "a waiver needs a justification and an approver",
            Code::WaiverBadDate => "a waiver's `expires` must be a YYYY-MM-DD date",
            Code::ScoringKey => {
                "a scoring.yaml map must price exactly its statuses, verdicts or levels"
            }
            Code::MissingWhy => {
                "a probe that verifies a criterion must say why, in French and English"
            }
            Code::UnknownParty => {
                "a party is not editeur, porteur_de_projet, academie or responsable_de_traitement"
            }
            Code::Sheet => "a spreadsheet could not be read (format, damage or size)",
            Code::SheetHeader => "a declarations sheet lacks the Identifiant or Déclaration column",
            Code::SheetRow => "a row of a declarations sheet is not a declaration",
        }
    }
}

/// The longest line (or span) a diagnostic prints; a longer one is named by line and column.
const MAX_SHOWN_LINE: usize = 1024;

/// A source file kept whole so diagnostics can show the lines around a span.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// The path as the user named it (or the embedded path).
    pub name: String,
    /// The file's text.
    pub text: Arc<String>,
}

impl SourceFile {
    /// Wraps a file's name and text.
    pub fn new(name: impl Into<String>, text: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            text: Arc::new(text.into()),
        }
    }
}

/// One problem found in a data file.
#[derive(Debug, Clone)]
pub struct Diagnostic {
    /// What kind of problem, stable.
    pub code: Code,
    /// The sentence shown to the user.
    pub message: String,
    /// The file it is in, if any.
    pub file: Option<SourceFile>,
    /// Where in the file, as a byte range.
    pub span: Option<SourceSpan>,
    /// A short label under the span.
    pub label: Option<String>,
    /// What to do about it.
    pub help: Option<String>,
    /// The message, label and help in French, where they have been written. They are what a
    /// user sees when errors are shown in French ([`crate::text::errors_lang`]); the English
    /// ones above stay what JSON, SARIF and CI annotations carry, and what a diagnostic without
    /// a French wording shows.
    pub french: French,
}

/// A diagnostic's French wording, part by part; an empty part falls back to the English one.
#[derive(Debug, Clone, Default)]
pub struct French {
    /// The sentence.
    pub message: Option<String>,
    /// The label under the span.
    pub label: Option<String>,
    /// The advice.
    pub help: Option<String>,
}

impl Diagnostic {
    /// A diagnostic with a code and message and nothing else yet.
    pub fn new(code: Code, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
            file: None,
            span: None,
            label: None,
            help: None,
            french: French::default(),
        }
    }

    /// A diagnostic with its message in French and English.
    pub fn worded(code: Code, message: Text) -> Self {
        let mut d = Self::new(code, message.en);
        d.french.message = Some(message.fr);
        d
    }

    /// Adds the label shown under the span, in French and English.
    #[must_use]
    pub fn label_in(mut self, label: Text) -> Self {
        self.label = Some(label.en);
        self.french.label = Some(label.fr);
        self
    }

    /// Adds advice, in French and English.
    #[must_use]
    pub fn help_in(mut self, help: Text) -> Self {
        self.help = Some(help.en);
        self.french.help = Some(help.fr);
        self
    }

    /// `english`, or its French counterpart when errors are shown in French and it exists.
    fn shown<'a>(english: Option<&'a String>, french: Option<&'a String>) -> Option<&'a str> {
        match (errors_lang(), french) {
            (Lang::Fr, Some(fr)) => Some(fr),
            _ => english.map(String::as_str),
        }
    }

    /// Points the diagnostic at a span of a file.
    #[must_use]
    pub fn at(mut self, file: &SourceFile, span: Option<SourceSpan>) -> Self {
        self.file = Some(file.clone());
        self.span = span;
        self
    }

    /// Adds the label shown under the span.
    #[must_use]
    pub fn label(mut self, label: impl Into<String>) -> Self {
        self.label = Some(label.into());
        self
    }

    /// Adds advice.
    #[must_use]
    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// The span's line, when it is too long to show: diagnostics then give the line and column
    /// in words instead of printing the line (one 64 MiB scalar once made 288 MiB of stderr).
    fn long_line(&self) -> Option<(usize, usize, usize)> {
        let (file, span) = (self.file.as_ref()?, self.span?);
        let text = file.text.as_str();
        let offset = span.offset().min(text.len());
        let start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
        let end = text[offset..].find('\n').map_or(text.len(), |i| offset + i);
        let widest = span.len().max(end - start);
        (widest > MAX_SHOWN_LINE).then(|| {
            let line = text[..start].matches('\n').count() + 1;
            (line, offset - start + 1, end - start)
        })
    }

    /// The 1-based line of the span, for one-line renderings (JSON, CI annotations).
    pub fn line(&self) -> Option<usize> {
        let (file, span) = (self.file.as_ref()?, self.span?);
        let upto = file.text.get(..span.offset())?;
        Some(upto.matches('\n').count() + 1)
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(
            Self::shown(Some(&self.message), self.french.message.as_ref()).unwrap_or_default(),
        )
    }
}

impl std::error::Error for Diagnostic {}

impl miette::Diagnostic for Diagnostic {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        Some(Box::new(self.code.as_str()))
    }

    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        let french = errors_lang() == Lang::Fr;
        let place = self.long_line().map(|(line, column, length)| {
            let file = self.file.as_ref().map_or("", |f| f.name.as_str());
            let label = Self::shown(self.label.as_ref(), self.french.label.as_ref())
                .map(|l| {
                    if french {
                        format!(" : {l}")
                    } else {
                        format!(": {l}")
                    }
                })
                .unwrap_or_default();
            if french {
                format!(
                    "à {file}:{line}:{column}{label} (une ligne de {length} octets, non montrée)"
                )
            } else {
                format!("at {file}:{line}:{column}{label} (a line of {length} bytes, not shown)")
            }
        });
        let help = Self::shown(self.help.as_ref(), self.french.help.as_ref());
        match (place, help) {
            (Some(place), Some(help)) if french => Some(Box::new(format!("{place} ; {help}"))),
            (Some(place), Some(help)) => Some(Box::new(format!("{place}; {help}"))),
            (Some(place), None) => Some(Box::new(place)),
            (None, Some(help)) => Some(Box::new(help)),
            (None, None) => None,
        }
    }

    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        if self.long_line().is_some() {
            return None;
        }
        self.file
            .as_ref()
            .map(|f| &*f.text as &dyn miette::SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        if self.long_line().is_some() {
            return None;
        }
        let span = self.span?;
        let label = Self::shown(self.label.as_ref(), self.french.label.as_ref());
        Some(Box::new(std::iter::once(LabeledSpan::new_with_span(
            label.map(str::to_owned),
            span,
        ))))
    }
}

impl Diagnostic {
    /// Renders this diagnostic with miette's graphical handler, without colour, as a user sees
    /// it in a log. Used by `grids lint` and by the diagnostic snapshots.
    pub fn render_plain(&self) -> String {
        let named = self
            .file
            .as_ref()
            .filter(|_| self.long_line().is_none())
            .map(|f| NamedSource::new(&f.name, f.text.to_string()));
        let report = match named {
            Some(src) => miette::Report::new(self.clone()).with_source_code(src),
            None => miette::Report::new(self.clone()),
        };
        let mut out = String::new();
        let handler =
            miette::GraphicalReportHandler::new_themed(miette::GraphicalTheme::unicode_nocolor())
                .with_width(100);
        // Writing into a String cannot fail.
        let _ = handler.render_report(&mut out, report.as_ref());
        out
    }
}

/// Converts a YAML location (line, column and character offset) to a byte span in `text`.
pub fn yaml_span(text: &str, location: &serde_saphyr::Location) -> Option<SourceSpan> {
    let span = location.span();
    let start = match span.byte_offset() {
        Some(b) => usize::try_from(b).ok()?,
        None => char_to_byte(text, usize::try_from(span.offset()).ok()?)?,
    };
    let len = match span.byte_len() {
        Some(b) => usize::try_from(b).ok()?,
        None => {
            let chars = usize::try_from(span.len()).ok()?;
            let end = char_to_byte(text, text.get(..start)?.chars().count() + chars)?;
            end.saturating_sub(start)
        }
    };
    (start <= text.len()).then(|| SourceSpan::new(start.into(), len.max(1).min(text.len() - start)))
}

fn char_to_byte(text: &str, chars: usize) -> Option<usize> {
    if chars == text.chars().count() {
        return Some(text.len());
    }
    text.char_indices().nth(chars).map(|(b, _)| b)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_line_is_named_not_printed() {
        let text = format!("name: x\nportal: {}\n", "a".repeat(10 * 1024 * 1024));
        let file = SourceFile::new("target.yaml", text);
        let d = Diagnostic::new(Code::Io, "too long")
            .at(&file, Some(SourceSpan::new(16.into(), 10 * 1024 * 1024)))
            .label("here");
        let shown = d.render_plain();
        assert!(shown.len() < 1000, "{} bytes", shown.len());
        assert!(
            shown.contains("target.yaml:2:9: here (a line of 10485768 bytes, not shown)"),
            "{shown}"
        );
        let short =
            Diagnostic::new(Code::Io, "short").at(&file, Some(SourceSpan::new(6.into(), 1)));
        assert!(short.render_plain().contains("name: x"));
    }

    #[test]
    fn codes_are_unique_and_described() {
        assert_eq!(Code::names().len(), Code::ALL.len());
        assert!(Code::ALL.iter().all(|c| !c.description().is_empty()));
    }

    #[test]
    fn the_docs_list_exactly_the_codes() {
        let docs = include_str!("../../../docs/diagnostics.md");
        assert_eq!(crate::code::named_in(docs, Code::AREA), Code::names());
    }
}
