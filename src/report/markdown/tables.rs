//! The long tables at the end of the Markdown report: every criterion with its points, and every
//! probe with what it expected, observed and exchanged.

use std::fmt::Write as _;

use super::super::Report;
use super::super::labels::{self, number};
use super::cell;
use crate::evidence::Outcome;
use crate::text::{Lang, pick};

pub(super) fn criteria(out: &mut String, report: &Report, lang: Lang) {
    let _ = writeln!(
        out,
        "## {} ({})\n",
        pick(lang, "Critères", "Criteria"),
        report.criteria.len()
    );
    let _ = writeln!(
        out,
        "| {} | {} | {} | {} | {} | {} | {} | {} |\n|---|---|---|---|---|---:|---:|---:|",
        pick(lang, "Critère", "Criterion"),
        pick(lang, "Axe", "Axis"),
        pick(lang, "Niveau", "Level"),
        pick(lang, "Intitulé", "Title"),
        pick(lang, "Déclaré", "Declared"),
        pick(lang, "Vérifié", "Verified"),
        pick(lang, "Points th.", "Decl. pts"),
        pick(lang, "Points pr.", "Verif. pts"),
    );
    let points = |p: Option<f64>, max: f64| {
        p.map_or_else(
            || "—".to_string(),
            |p| format!("{}/{}", number(p, lang), number(max, lang)),
        )
    };
    for r in labels::gaps_first(report) {
        let _ = writeln!(
            out,
            "| `{}` | {} | {} | {} | {} | {}{} | {} | {} |",
            r.id,
            cell(labels::axis(report, &r.axis, lang)),
            labels::level(r.level, lang),
            cell(r.title.get(lang)),
            labels::declared(r.declared, lang),
            labels::verdict(r.verdict, lang),
            if labels::is_gap(report, r) {
                pick(lang, " **(écart)**", " **(gap)**")
            } else {
                ""
            },
            points(r.theoretical_points, r.maximum),
            points(r.practical_points, r.maximum),
        );
    }
    out.push('\n');
}

pub(super) fn probes(out: &mut String, report: &Report, lang: Lang) {
    let _ = writeln!(
        out,
        "## {} ({})\n",
        pick(lang, "Sondes", "Probes"),
        report.probes.len()
    );
    let _ = writeln!(
        out,
        "| {} | {} | {} | {} | {} |\n|---|---|---|---|---|",
        pick(lang, "Sonde", "Probe"),
        pick(lang, "Résultat", "Outcome"),
        pick(lang, "Constat", "Finding"),
        pick(lang, "Attendu / observé", "Expected / observed"),
        pick(lang, "Échanges", "Exchanges"),
    );
    for p in &report.probes {
        let compared = match (&p.expected, &p.observed) {
            (Some(e), Some(o)) => format!("{} / {}", cell(e), cell(o)),
            _ => String::new(),
        };
        let exchanges: Vec<String> = p
            .evidence
            .iter()
            .map(|x| {
                format!(
                    "{} {} → {}",
                    x.method,
                    cell(&x.url),
                    x.status.map_or_else(
                        || cell(x.error.as_deref().unwrap_or("—")),
                        |s| s.to_string()
                    )
                )
            })
            .collect();
        let _ = writeln!(
            out,
            "| `{}` | {} | {} | {} | {} |",
            p.id,
            outcome(p.outcome, lang),
            cell(p.message.get(lang)),
            compared,
            exchanges.join("<br>"),
        );
    }
}

fn outcome(o: Outcome, lang: Lang) -> &'static str {
    match o {
        Outcome::Pass => pick(lang, "conforme", "pass"),
        Outcome::Fail => pick(lang, "**non conforme**", "**fail**"),
        Outcome::Error => pick(lang, "**erreur**", "**error**"),
        Outcome::Skipped => pick(lang, "non exécutée", "skipped"),
    }
}
