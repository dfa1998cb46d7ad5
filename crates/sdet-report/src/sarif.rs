//! The SARIF 2.1.0 renderer, for code-scanning dashboards (GitHub, GitLab, Azure DevOps): one
//! rule per criterion (title, rationale, remediation, SDET references, the address its text was
//! read at), one result per criterion that failed or could not be decided. A failed exigence is
//! level `error`, a failed recommandation `warning`; an undecided criterion is kind `open`
//! (SARIF's "could not tell"), never a failure.
//!
//! Code-scanning services only annotate files of the checked-out repository and refuse artifact
//! URIs with a scheme other than `file`, so a result points at a file and a line
//! ([`locations`]): the feed or export line a finding is on, or the block of the target file
//! that configures the endpoint. The endpoint itself, whose URL may carry a redacted query that
//! is no valid URI, is a logical location.

mod locations;
mod rules;

use std::fmt::Write as _;

use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use super::labels;
use super::{CriterionRow, Report};
use sdet_core::text::{Lang, pick};
use sdet_core::verdict::Verdict;

/// The schema SARIF consumers check the file against.
pub use sdet_core::artifact::SARIF_SCHEMA as SCHEMA;

/// The key of our fingerprint in `partialFingerprints`: versioned, so a change in what it hashes
/// starts new alerts instead of silently matching old ones wrongly.
pub const FINGERPRINT_KEY: &str = "sdetAuditCriterion/v1";

/// Renders the report as a SARIF 2.1.0 log.
pub fn render(report: &Report, lang: Lang) -> String {
    let rules: Vec<Value> = report
        .criteria
        .iter()
        .map(|r| rules::rule(report, r, lang))
        .collect();
    let results: Vec<Value> = report
        .criteria
        .iter()
        .enumerate()
        .filter(|(_, r)| matches!(r.verdict, Verdict::Fail | Verdict::Error))
        .map(|(i, r)| result(report, i, r, lang))
        .collect();
    let mut log = json!({
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": {
                "name": report.tool.name,
                "version": report.tool.version,
                "semanticVersion": report.tool.version,
                "rules": rules,
            }},
            // One category per ENT, so two ENTs audited from one repository keep their own alerts.
            "automationDetails": { "id": format!("sdet-audit/{}/", slug(&report.target.name)) },
            "invocations": [{
                "executionSuccessful": true,
                "endTimeUtc": report.generated_at,
            }],
            "language": sdet_core::artifact::sarif_language(lang),
            "results": results,
            "properties": {
                "target": report.target.name,
                "sdetVersion": report.grid.sdet_version,
                "outcome": report.outcome.as_str(),
                "headline": labels::headline(report, lang),
                "gaps": report.gaps,
                "formulaVersion": report.scores.formula_version,
                "theoretical": report.scores.overall_theoretical.percent,
                "practical": report.scores.overall_practical.percent,
            },
        }],
    });
    if let Some(signer) = &report.signature
        && let Some(properties) = log.pointer_mut("/runs/0/properties")
        && let Some(properties) = properties.as_object_mut()
    {
        // Only a signed report has the property, so an unsigned one reads as it always did.
        let mut value = serde_json::to_value(signer).unwrap_or_default();
        if let Some(object) = value.as_object_mut() {
            object.insert("text".into(), json!(signer.line(lang)));
        }
        properties.insert("signature".into(), value);
    }
    serde_json::to_string_pretty(&log).unwrap_or_default() + "\n"
}

fn result(report: &Report, index: usize, r: &CriterionRow, lang: Lang) -> Value {
    let gap = labels::is_gap(report, r);
    let text = if gap {
        format!(
            "{} {}",
            pick(
                lang,
                "ÉCART (déclaré conforme) :",
                "GAP (declared conformant):"
            ),
            r.reason.get(lang)
        )
    } else {
        r.reason.get(lang).to_string()
    };
    let places = locations::of(report, r);
    let (kind, level) = match r.verdict {
        Verdict::Fail => ("fail", rules::level(r.level)),
        _ => ("open", "none"),
    };
    json!({
        "ruleId": r.id,
        "ruleIndex": index,
        "kind": kind,
        "level": level,
        "message": { "text": text },
        "locations": places.locations,
        "partialFingerprints": { FINGERPRINT_KEY: fingerprint(r, &places.files) },
        "properties": {
            "verdict": r.verdict.as_str(),
            "declared": r.declared.map(sdet_core::declaration::Status::as_str),
            "justification": r.justification,
            "proof": r.proof,
            "gap": gap,
            "probes": r.probes,
            "endpoints": places.endpoints,
        },
    })
}

/// What identifies a finding across runs: the criterion, its probes and the files it is in —
/// never the line, the message or the language, which move while the finding stays the same.
fn fingerprint(r: &CriterionRow, files: &[String]) -> String {
    let mut hash = Sha256::new();
    for part in std::iter::once(&r.id).chain(&r.probes).chain(files) {
        hash.update(part.as_bytes());
        hash.update([0]);
    }
    let mut hex = String::new();
    for b in hash.finalize().iter().take(16) {
        let _ = write!(hex, "{b:02x}");
    }
    hex
}

/// The target's name as an automation id segment: letters, digits and `-` only.
fn slug(name: &str) -> String {
    let mut out = String::new();
    for c in name.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    let trimmed = out.trim_matches('-');
    if trimmed.is_empty() {
        "ent".into()
    } else {
        trimmed.into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_keep_letters_and_digits_only() {
        assert_eq!(slug("ENT de référence (démo)"), "ent-de-r-f-rence-d-mo");
        assert_eq!(slug("«»"), "ent");
    }
}
