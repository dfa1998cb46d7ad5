//! Observations: what a probe saw. Each keeps the HTTP exchanges it made — method, URL, status,
//! headers, a body excerpt, timings — already redacted, so a certifier can check any verdict
//! without the live ENT, and no secret ever reaches a report.

use serde::{Deserialize, Serialize};

use crate::text::Text;

/// What a probe concluded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// The ENT does what the check expects.
    Pass,
    /// The ENT does not.
    Fail,
    /// The probe could not decide (network, credentials, unexpected answer). Never a fail.
    Error,
    /// The probe did not run: not configured in the target, or planned but not implemented.
    Skipped,
}

impl Outcome {
    /// The outcome's name in reports.
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Pass => "pass",
            Outcome::Fail => "fail",
            Outcome::Error => "error",
            Outcome::Skipped => "skipped",
        }
    }

    /// The outcome in words, `(French, English)`, for prose: the machine name above stays in
    /// machine formats only.
    pub fn words(self) -> (&'static str, &'static str) {
        match self {
            Outcome::Pass => ("réussie", "pass"),
            Outcome::Fail => ("échouée", "fail"),
            Outcome::Error => ("en erreur", "error"),
            Outcome::Skipped => ("non exécutée", "skipped"),
        }
    }
}

/// A place in a file the audit read (a feed or export file, or the target itself): where a
/// finding is, so code-scanning tools can annotate the line. The path is relative to the target
/// file's folder, with `/` separators, so it reads the same on every machine.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SourceLocation {
    /// The file, relative to the target file's folder.
    pub file: String,
    /// 1-based line, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub line: Option<u64>,
}

/// One HTTP exchange, redacted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Exchange {
    /// HTTP method.
    pub method: String,
    /// The URL requested (secrets in the query redacted).
    pub url: String,
    /// Status code, when a response came back.
    pub status: Option<u16>,
    /// Response headers (cookie values and credentials redacted).
    pub response_headers: Vec<(String, String)>,
    /// The start of the response body (secrets redacted).
    pub body_excerpt: Option<String>,
    /// How long the exchange took.
    pub duration_ms: u64,
    /// The transport error, when no response came back, in English (as before 1.x added
    /// `error_text`).
    pub error: Option<String>,
    /// The same error in both languages; added in 1.x, absent from older reports.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error_text: Option<Text>,
    /// The probe did not send this request itself: another probe of the same audit had sent the
    /// identical anonymous read, and this is the answer it got (issue 18). Added in 1.x; absent
    /// when false.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub shared: bool,
}

impl Exchange {
    /// The transport error in `lang`, falling back to the English string of an older report.
    pub fn error_in(&self, lang: crate::text::Lang) -> Option<&str> {
        self.error_text
            .as_ref()
            .map(|t| t.get(lang))
            .or(self.error.as_deref())
    }
}

/// What one probe saw and concluded.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Observation {
    /// The probe's id.
    pub probe: String,
    /// The conclusion.
    pub outcome: Outcome,
    /// Why, in French and English.
    pub message: Text,
    /// What the check expected, when it compares values, in both languages.
    pub expected: Option<Text>,
    /// What it found, in both languages.
    pub observed: Option<Text>,
    /// The exchanges behind the conclusion.
    pub exchanges: Vec<Exchange>,
    /// Where in the files the audit read the failure is (feed and export findings).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub locations: Vec<SourceLocation>,
    /// Wall time of the probe.
    pub duration_ms: u64,
}

impl Observation {
    /// A probe that did not run, with the reason.
    pub fn skipped(probe: &str, why: Text) -> Self {
        Self {
            probe: probe.to_string(),
            outcome: Outcome::Skipped,
            message: why,
            expected: None,
            observed: None,
            exchanges: Vec::new(),
            locations: Vec::new(),
            duration_ms: 0,
        }
    }
}
