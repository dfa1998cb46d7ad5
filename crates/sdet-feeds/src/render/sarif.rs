//! `feeds check` as SARIF 2.1.0, for the code-scanning dashboards certifiers already use: a
//! feed finding is a file and a line, exactly what code scanning annotates. One rule per finding
//! code, one result per listed finding (the rest are counted in the run's properties), the level
//! from the code's fixed severity.

use serde_json::{Value, json};

use super::super::code::{Code, Severity};
use super::super::finding::Finding;
use super::super::report::FeedReport;
use sdet_core::artifact::{SARIF_SCHEMA, sarif_language, uri};
use sdet_core::text::{Lang, pick};

/// The key of our fingerprint in `partialFingerprints`, versioned like the audit report's.
const FINGERPRINT_KEY: &str = "sdetAuditFeedFinding/v1";

/// Renders the report as a SARIF 2.1.0 log, messages in `lang`.
pub fn render(report: &FeedReport, lang: Lang) -> String {
    let codes: Vec<Code> = report.summary.by_code.keys().copied().collect();
    let rules: Vec<Value> = codes.iter().map(|&c| rule(c, lang)).collect();
    let results: Vec<Value> = report
        .findings
        .iter()
        .map(|f| result(f, codes.iter().position(|&c| c == f.code), lang))
        .collect();
    let s = &report.summary;
    let log = json!({
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": {
                "name": report.tool.name,
                "version": report.tool.version,
                "semanticVersion": report.tool.version,
                "rules": rules,
            }},
            "automationDetails": { "id": "sdet-audit/feeds/" },
            "invocations": [{ "executionSuccessful": true }],
            "language": sarif_language(lang),
            "results": results,
            "properties": {
                "records": report.records,
                "files": report.files.len(),
                "errors": s.errors,
                "warnings": s.warnings,
                "notListed": s.not_listed,
            },
        }],
    });
    serde_json::to_string_pretty(&log).unwrap_or_default() + "\n"
}

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    }
}

fn rule(code: Code, lang: Lang) -> Value {
    let description = pick(lang, code.description_fr(), code.description());
    json!({
        "id": code.as_str(),
        "name": code.as_str(),
        "shortDescription": { "text": description },
        "help": {
            "text": format!(
                "{description} {}",
                pick(lang, "(voir docs/feeds.md, codes des constats)", "(see docs/feeds.md, finding codes)")
            ),
        },
        "defaultConfiguration": { "level": level(code.severity()) },
    })
}

fn result(f: &Finding, index: Option<usize>, lang: Lang) -> Value {
    let mut location = json!({ "artifactLocation": { "uri": uri(&f.file) } });
    if let Some(line) = f.line {
        location["region"] = json!({ "startLine": line });
    }
    let text = match &f.record {
        Some(record) => format!("{} [{record}]", f.message.get(lang)),
        None => f.message.get(lang).to_string(),
    };
    json!({
        "ruleId": f.code.as_str(),
        "ruleIndex": index,
        "level": level(f.severity),
        "message": { "text": text },
        "locations": [{ "physicalLocation": location }],
        "partialFingerprints": { FINGERPRINT_KEY: fingerprint(f) },
    })
}

/// What identifies a finding across runs: its code, its file and its record — never the line
/// or the message, which move while the finding stays the same. FNV-1a, 64 bits: stable across
/// versions and platforms, which is all a fingerprint needs.
fn fingerprint(f: &Finding) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    let record = f.record.as_deref().unwrap_or("");
    for part in [f.code.as_str(), &f.file, record] {
        for b in part.bytes().chain([0]) {
            hash ^= u64::from(b);
            hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
    format!("{hash:016x}")
}
