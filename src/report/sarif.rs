//! The SARIF 2.1.0 renderer, for code-scanning dashboards and security tooling: one rule per
//! criterion (its title, SDET references, level and remediation context), one result per
//! criterion that failed or could not be decided. A failed exigence is level `error`, a failed
//! recommandation `warning`; an undecided criterion is kind `open` (SARIF's "could not tell"),
//! never a failure. Each result points at the URL the deciding probe requested, when there is
//! one, and at the criterion as a logical location.

use serde_json::{Value, json};

use super::labels;
use super::{CriterionRow, Report};
use crate::grid::Level;
use crate::text::{Lang, pick};
use crate::verdict::Verdict;

/// The schema SARIF consumers check the file against.
pub const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

/// Renders the report as a SARIF 2.1.0 log.
pub fn render(report: &Report, lang: Lang) -> String {
    let rules: Vec<Value> = report
        .criteria
        .iter()
        .map(|r| rule(report, r, lang))
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
            "invocations": [{
                "executionSuccessful": true,
                "endTimeUtc": report.generated_at,
            }],
            "language": match lang { Lang::Fr => "fr-FR", Lang::En => "en-US" },
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

fn rule(report: &Report, r: &CriterionRow, lang: Lang) -> Value {
    json!({
        "id": r.id,
        "name": r.id.replace('-', ""),
        "shortDescription": { "text": r.title.get(lang) },
        "fullDescription": { "text": format!("{} ({}) — {}", r.title.get(lang), labels::level(r.level, lang), r.sdet_refs.join("; ")) },
        "defaultConfiguration": { "level": level(r.level) },
        "properties": {
            "axis": r.axis,
            "axisName": labels::axis(report, &r.axis, lang),
            "level": r.level.as_str(),
            "sdetRefs": r.sdet_refs,
            "probes": r.probes,
            "tags": [r.axis, r.level.as_str()],
        },
    })
}

fn level(l: Level) -> &'static str {
    match l {
        Level::Exigence => "error",
        Level::Recommandation => "warning",
    }
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
    let url = report
        .probes
        .iter()
        .filter(|p| {
            r.probes.contains(&p.id)
                && p.outcome.as_str()
                    == if r.verdict == Verdict::Fail {
                        "fail"
                    } else {
                        "error"
                    }
        })
        .flat_map(|p| p.evidence.iter())
        .map(|x| x.url.clone())
        .next();
    let mut location = json!({
        "logicalLocations": [{ "name": r.id, "fullyQualifiedName": format!("{}/{}", r.axis, r.id), "kind": "module" }],
    });
    if let Some(url) = url {
        location["physicalLocation"] = json!({ "artifactLocation": { "uri": url } });
    }
    let (kind, level) = match r.verdict {
        Verdict::Fail => ("fail", level(r.level)),
        _ => ("open", "none"),
    };
    json!({
        "ruleId": r.id,
        "ruleIndex": index,
        "kind": kind,
        "level": level,
        "message": { "text": text },
        "locations": [location],
        "properties": {
            "verdict": r.verdict.as_str(),
            "declared": r.declared.map(crate::declaration::Status::as_str),
            "justification": r.justification,
            "proof": r.proof,
            "gap": gap,
            "probes": r.probes,
        },
    })
}
