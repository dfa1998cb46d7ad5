//! One SARIF rule per criterion: what GitHub shows above an alert (`shortDescription`,
//! `fullDescription`), the help panel (rationale, remediation, where the SDET says it), the link
//! to the text it was read in, and a severity code scanning can sort by.

use serde_json::{Value, json};

use super::super::labels;
use super::super::{CriterionRow, Report};
use sdet_core::grid::Level;
use sdet_core::text::{Lang, pick};

/// The axis whose criteria are security findings (GitHub shows a severity only for those).
const SECURITY_AXIS: &str = "securite";

/// The rule for criterion `r`.
pub fn rule(report: &Report, r: &CriterionRow, lang: Lang) -> Value {
    let security = r.axis == SECURITY_AXIS;
    let mut tags = vec![r.axis.clone(), r.level.as_str().to_string(), "sdet".into()];
    if security {
        tags.push("security".into());
    }
    let mut properties = json!({
        "axis": r.axis,
        "axisName": labels::axis(report, &r.axis, lang),
        "level": r.level.as_str(),
        "levelConfirmed": r.level_confirmed,
        "sdetRefs": r.sdet_refs,
        "probes": r.probes,
        "tags": tags,
        "precision": "high",
    });
    if security && let Some(map) = properties.as_object_mut() {
        // GitHub's scale: 7.0–8.9 is "high", 4.0–6.9 "medium".
        let score = match r.level {
            Level::Exigence => "7.5",
            Level::Recommandation => "5.0",
        };
        map.insert("security-severity".into(), json!(score));
    }
    let mut rule = json!({
        "id": r.id,
        "name": r.id.replace('-', ""),
        "shortDescription": { "text": r.title.get(lang) },
        "fullDescription": { "text": format!("{} ({}) — {}", r.title.get(lang), labels::level(r.level, lang), r.sdet_refs.join("; ")) },
        "help": help(r, lang),
        "defaultConfiguration": { "level": level(r.level) },
        "properties": properties,
    });
    if let (Some(uri), Some(map)) = (&r.source, rule.as_object_mut()) {
        map.insert("helpUri".into(), json!(uri));
    }
    rule
}

/// The SARIF level of a failed criterion of level `l`.
pub fn level(l: Level) -> &'static str {
    match l {
        Level::Exigence => "error",
        Level::Recommandation => "warning",
    }
}

/// The help panel: why it matters, how to fix it, where the SDET says so, what checks it.
fn help(r: &CriterionRow, lang: Lang) -> Value {
    let mut parts: Vec<(String, String)> = Vec::new();
    if let Some(why) = &r.rationale {
        parts.push((pick(lang, "Pourquoi", "Why").into(), why.get(lang).into()));
    }
    let fix = r.remediation.as_ref().map_or_else(
        || {
            pick(
                lang,
                "mettre l'ENT en conformité avec le texte cité, puis relancer l'audit ; le message de l'alerte dit ce que la sonde attendait et ce qu'elle a observé",
                "bring the ENT in line with the text cited, then audit again; the alert's message says what the probe expected and what it observed",
            )
            .to_string()
        },
        |t| t.get(lang).to_string(),
    );
    parts.push((pick(lang, "Remédiation", "Remediation").into(), fix));
    if !r.sdet_refs.is_empty() {
        parts.push((
            pick(lang, "Références", "References").into(),
            r.sdet_refs.join("; "),
        ));
    }
    if !r.probes.is_empty() {
        parts.push((pick(lang, "Sondes", "Probes").into(), r.probes.join(", ")));
    }
    // French typography puts a space before the colon; English does not.
    let colon = pick(lang, " :", ":");
    let text: Vec<String> = parts
        .iter()
        .map(|(k, v)| format!("{k}{colon} {v}"))
        .collect();
    let markdown: Vec<String> = parts
        .iter()
        .map(|(k, v)| format!("**{k}**{colon} {v}"))
        .collect();
    let (text, markdown) = (text.join("\n"), markdown.join("\n\n"));
    json!({ "text": text, "markdown": markdown })
}
