//! The long tables at the end of the Markdown report: every criterion with its points, and every
//! probe with what it expected, observed and exchanged.

use std::fmt::Write as _;

use super::super::Report;
use super::super::labels::{self, number};
use super::{cell, table_section};
use sdet_core::evidence::Outcome;
use sdet_core::text::{Lang, pick};

pub(super) fn criteria(out: &mut String, report: &Report, lang: Lang) {
    table_section(
        out,
        lang,
        ("Critères", "Criteria"),
        report.criteria.len(),
        &[
            ("Critère", "Criterion"),
            ("Axe", "Axis"),
            ("Niveau", "Level"),
            ("Intitulé", "Title"),
            ("Déclaré", "Declared"),
            ("Vérifié", "Verified"),
            ("Points th.", "Decl. pts"),
            ("Points pr.", "Verif. pts"),
        ],
        5,
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
            labels::row_level(r, lang),
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
    table_section(
        out,
        lang,
        ("Sondes", "Probes"),
        report.probes.len(),
        &[
            ("Sonde", "Probe"),
            ("Résultat", "Outcome"),
            ("Constat", "Finding"),
            ("Attendu / observé", "Expected / observed"),
            ("Échanges", "Exchanges"),
        ],
        5,
    );
    for p in &report.probes {
        let compared = match (&p.expected, &p.observed) {
            (Some(e), Some(o)) => format!("{} / {}", cell(e.get(lang)), cell(o.get(lang))),
            _ => String::new(),
        };
        let exchanges: Vec<String> = p
            .evidence
            .iter()
            .map(|x| {
                format!(
                    "{} {} → {}{}",
                    x.method,
                    cell(&x.url),
                    x.status
                        .map_or_else(|| cell(x.error_in(lang).unwrap_or("—")), |s| s.to_string()),
                    labels::shared_mark(x, lang)
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
