//! A probe's row as the JSON contract spells it. The contract only ever adds fields within
//! `format_version: 1`, so `expected` and `observed` stay the English strings older readers know,
//! and the French wording travels beside them in `expected_text` / `observed_text`. A report
//! written before those fields existed reads back with its English string in both languages.

use serde::{Deserialize, Serialize};

use sdet_core::evidence::{Exchange, Outcome, SourceLocation};
use sdet_core::text::Text;

/// [`crate::ProbeRow`] on the wire.
#[derive(Serialize, Deserialize)]
pub(crate) struct ProbeRow {
    id: String,
    family: sdet_core::catalog::Family,
    outcome: Outcome,
    message: Text,
    expected: Option<String>,
    observed: Option<String>,
    /// Both wordings of `expected`; absent when they are the same (a status, a URL) and in
    /// reports written before 1.x added it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    expected_text: Option<Text>,
    /// Both wordings of `observed`, likewise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    observed_text: Option<Text>,
    criteria: Vec<String>,
    evidence: Vec<Exchange>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    locations: Vec<SourceLocation>,
    duration_ms: u64,
}

/// The English string, and both wordings when they differ.
fn split(value: Option<Text>) -> (Option<String>, Option<Text>) {
    match value {
        None => (None, None),
        Some(text) if text.fr == text.en => (Some(text.en), None),
        Some(text) => (Some(text.en.clone()), Some(text)),
    }
}

/// Both wordings, or the English string alone in both languages (an older report).
fn join(english: Option<String>, both: Option<Text>) -> Option<Text> {
    both.or_else(|| english.map(Text::same))
}

impl From<crate::ProbeRow> for ProbeRow {
    fn from(row: crate::ProbeRow) -> Self {
        let (expected, expected_text) = split(row.expected);
        let (observed, observed_text) = split(row.observed);
        Self {
            id: row.id,
            family: row.family,
            outcome: row.outcome,
            message: row.message,
            expected,
            observed,
            expected_text,
            observed_text,
            criteria: row.criteria,
            evidence: row.evidence,
            locations: row.locations,
            duration_ms: row.duration_ms,
        }
    }
}

impl From<ProbeRow> for crate::ProbeRow {
    fn from(row: ProbeRow) -> Self {
        Self {
            id: row.id,
            family: row.family,
            outcome: row.outcome,
            message: row.message,
            expected: join(row.expected, row.expected_text),
            observed: join(row.observed, row.observed_text),
            criteria: row.criteria,
            evidence: row.evidence,
            locations: row.locations,
            duration_ms: row.duration_ms,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(json: serde_json::Value) -> crate::ProbeRow {
        serde_json::from_value(json).expect("a probe row")
    }

    fn old_row() -> serde_json::Value {
        serde_json::json!({
            "id": "portail.https", "family": "portail", "outcome": "fail",
            "message": {"fr": "m", "en": "m"},
            "expected": "HTTP 401 or 403 without credentials", "observed": "HTTP 200",
            "criteria": [], "evidence": [], "duration_ms": 1
        })
    }

    #[test]
    fn a_row_written_before_the_texts_reads_its_english_string_in_both_languages() {
        let r = row(old_row());
        let expected = r.expected.expect("expected");
        assert_eq!(expected.fr, "HTTP 401 or 403 without credentials");
        assert_eq!(expected.en, "HTTP 401 or 403 without credentials");
    }

    #[test]
    fn prose_keeps_its_english_string_and_adds_both_wordings() {
        let mut r = row(old_row());
        r.expected = Some(Text::new(
            "HTTP 401 ou 403 sans identifiants",
            "HTTP 401 or 403 without credentials",
        ));
        let json = serde_json::to_value(&r).expect("json");
        assert_eq!(json["expected"], "HTTP 401 or 403 without credentials");
        assert_eq!(
            json["expected_text"]["fr"],
            "HTTP 401 ou 403 sans identifiants"
        );
        // A value that reads the same in both languages is not written twice.
        assert!(json.get("observed_text").is_none());
        assert_eq!(row(json), r);
    }
}
