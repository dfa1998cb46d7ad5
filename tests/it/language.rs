//! One language per report: a French report (the default) holds no English word of the tool's
//! own, an English one no French word. Scanned on the reference ENT with every defect, whose
//! report has the most messages, in the human formats (terminal, Markdown, CSV). Words inside
//! URLs and criterion or probe identifiers are not the tool's prose and are left out.

use sdet_audit::demo::Defect;
use sdet_audit::report::{Report, csv, markdown, terminal};
use sdet_audit::text::Lang;

use crate::examples::{demo_report, stable};

/// Words that only the other language would use, in the tool's own prose.
const ENGLISH: &[&str] = &[
    "the",
    "and",
    "with",
    "pass",
    "fail",
    "failed",
    "error",
    "skipped",
    "not",
    "answers",
    "missing",
    "withheld",
    "found",
    "requirement",
    "requirements",
    "because",
    "supporting",
];
const FRENCH: &[&str] = &[
    "les",
    "des",
    "une",
    "avec",
    "réussie",
    "réussies",
    "échouée",
    "échouées",
    "erreur",
    "conformes",
    "absente",
    "sonde",
    "sondes",
    "critères",
    "exigences",
    "déclarée",
    "appui",
];

fn rendered(report: &Report, lang: Lang) -> Vec<(&'static str, String)> {
    vec![
        (
            "terminal",
            terminal::render(report, terminal::RenderOptions { lang, color: false }),
        ),
        ("markdown", markdown::render(report, lang)),
        ("csv", csv::render(report, lang)),
    ]
}

/// `text` without what it quotes between « and » (a validator's own words, say).
fn unquoted(text: &str) -> String {
    let mut out = String::new();
    let mut depth = 0usize;
    for c in text.chars() {
        match c {
            '«' => depth += 1,
            '»' => depth = depth.saturating_sub(1),
            _ if depth == 0 => out.push(c),
            _ => {}
        }
    }
    out
}

/// The words of `text` outside quotes, URLs and identifiers, lower-cased.
fn prose_words(text: &str) -> Vec<String> {
    unquoted(text)
        .split_whitespace()
        // URLs, file names, identifiers (`FUN-NOT-01`, `aaf::truncated`) and upper-case codes.
        .filter(|t| {
            !t.contains("://")
                && !t.contains('_')
                && !t.contains('.')
                && !t.contains("::")
                && !t.chars().any(|c| c.is_ascii_digit())
                && t.chars().any(char::is_lowercase)
        })
        .flat_map(|t| t.split(|c: char| !c.is_alphabetic()))
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

fn strays(text: &str, other: &[&str]) -> Vec<String> {
    let lines: Vec<String> = text
        .lines()
        .filter(|line| {
            prose_words(line)
                .iter()
                .any(|w| other.contains(&w.as_str()))
        })
        .map(|line| {
            let words: Vec<String> = prose_words(line)
                .into_iter()
                .filter(|w| other.contains(&w.as_str()))
                .collect();
            format!(
                "[{}] {}",
                words.join(","),
                line.chars().take(160).collect::<String>()
            )
        })
        .collect();
    lines.into_iter().take(10).collect()
}

/// The report without what others wrote: the vendor's justifications and proofs, the waivers'
/// reasons and approvers (the demo's are French, as a French vendor's would be), the titles of
/// the SDET documents cited, and the probes' expected and observed values (technical values,
/// quoted as observed). What remains is the tool's own prose.
fn tool_prose_only(mut report: Report) -> Report {
    for row in &mut report.criteria {
        row.justification = row.justification.as_ref().map(|_| "J".into());
        row.proof = row.proof.as_ref().map(|_| "P".into());
        row.sdet_refs = vec!["R".into()];
    }
    for waiver in &mut report.waivers {
        // A verdict's reason quotes the waiver it applied: drop those quotes too.
        for row in &mut report.criteria {
            for text in [&mut row.reason.fr, &mut row.reason.en] {
                *text = text
                    .replace(&waiver.waiver.justification, "W")
                    .replace(&waiver.waiver.approver, "A");
            }
        }
        waiver.waiver.justification = "W".into();
        waiver.waiver.approver = "A".into();
    }
    for probe in &mut report.probes {
        probe.expected = probe.expected.as_ref().map(|_| "E".into());
        probe.observed = probe.observed.as_ref().map(|_| "O".into());
    }
    report
}

#[tokio::test]
async fn a_report_speaks_one_language() {
    let report = tool_prose_only(stable(&demo_report(Defect::ALL).await));
    let mut problems = Vec::new();
    for (lang, other, name) in [(Lang::Fr, ENGLISH, "fr"), (Lang::En, FRENCH, "en")] {
        for (format, text) in rendered(&report, lang) {
            for line in strays(&text, other) {
                problems.push(format!("{name} {format}: {line}"));
            }
        }
    }
    assert!(
        problems.is_empty(),
        "{} line(s) in the other language:\n{}",
        problems.len(),
        problems.join("\n")
    );
}
