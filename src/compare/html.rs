//! The comparison page: bids side by side in one self-contained HTML file (same stylesheet and
//! escaping as the report page), with small inline SVG bars for every score and its coverage.

use minijinja::value::Serde;
use minijinja::{Value, context};
use serde::Serialize;

use super::Comparison;
use crate::report::html::{CSS, RenderError, environment, verdict_class};
use crate::report::labels::{self, percent};
use crate::text::{Lang, pick};

/// The comparison template.
pub const TEMPLATE: &str = include_str!("../../reports/templates/compare.html");

#[derive(Serialize)]
struct BidView {
    outcome: &'static str,
    class: &'static str,
    theoretical: String,
    practical: String,
}

#[derive(Serialize)]
struct CellView {
    t: String,
    p: String,
    tp: Option<f64>,
    tc: f64,
    pp: Option<f64>,
    pc: f64,
}

#[derive(Serialize)]
struct RowView {
    axis: String,
    level: String,
    bids: Vec<CellView>,
}

#[derive(Serialize)]
struct VerdictView {
    declared: &'static str,
    verdict: &'static str,
    class: &'static str,
    gap: bool,
}

#[derive(Serialize)]
struct CriterionView {
    id: String,
    level: String,
    title: String,
    bids: Vec<VerdictView>,
}

fn with_coverage(p: Option<f64>, coverage: f64, lang: Lang) -> String {
    format!(
        "{} · {} {} %",
        percent(p, lang),
        pick(lang, "couv.", "cov."),
        labels::number(coverage, lang)
    )
}

/// Renders the comparison as one HTML page.
pub fn render(c: &Comparison, lang: Lang) -> Result<String, RenderError> {
    let env = environment("compare.html", TEMPLATE)?;
    let axis = |id: &str| {
        c.axes
            .iter()
            .find(|a| a.id == id)
            .map_or_else(|| id.to_string(), |a| a.name.get(lang).to_string())
    };
    let bids: Vec<BidView> = c
        .bids
        .iter()
        .map(|b| BidView {
            outcome: labels::outcome(b.outcome, lang),
            class: match b.outcome {
                crate::report::AuditOutcome::Conforme => "pass",
                crate::report::AuditOutcome::NonConforme => "fail",
                crate::report::AuditOutcome::Incomplete => "error",
            },
            theoretical: with_coverage(b.theoretical.percent, b.theoretical.coverage, lang),
            practical: with_coverage(b.practical.percent, b.practical.coverage, lang),
        })
        .collect();
    let cells: Vec<RowView> = c
        .cells
        .iter()
        .map(|row| RowView {
            axis: axis(&row.axis),
            level: labels::level_marked(row.level, row.level_confirmed, lang),
            bids: row
                .bids
                .iter()
                .map(|(t, p)| CellView {
                    t: percent(t.percent, lang),
                    p: percent(p.percent, lang),
                    tp: t.percent,
                    tc: t.coverage,
                    pp: p.percent,
                    pc: p.coverage,
                })
                .collect(),
        })
        .collect();
    let criteria: Vec<CriterionView> = c
        .criteria
        .iter()
        .map(|r| CriterionView {
            id: r.id.clone(),
            level: labels::level_marked(r.level, r.level_confirmed, lang),
            title: r.title.get(lang).to_string(),
            bids: r
                .bids
                .iter()
                .map(|(d, v, gap)| VerdictView {
                    declared: labels::declared(*d, lang),
                    verdict: labels::verdict(*v, lang),
                    class: verdict_class(*v),
                    gap: *gap,
                })
                .collect(),
        })
        .collect();
    let words: std::collections::BTreeMap<&str, &str> = [
        ("formula", pick(lang, "formule de notation", "scoring formula")),
        ("bids", pick(lang, "offres", "bids")),
        ("summary", pick(lang, "Synthèse", "Summary")),
        ("outcome", pick(lang, "Résultat", "Outcome")),
        ("theoretical", pick(lang, "Note théorique (déclarée)", "Declared score")),
        ("practical", pick(lang, "Note pratique (vérifiée)", "Verified score")),
        ("gaps", pick(lang, "Écarts", "Gaps")),
        ("failed_exigences", pick(lang, "Exigences non conformes", "Failed requirements")),
        ("undecided", pick(lang, "Non décidés", "Undecided")),
        ("generated", pick(lang, "Audité le", "Audited")),
        ("legend", pick(lang, "Barre pleine : note ; trait fin : couverture (part des critères applicables évalués).", "Thick bar: score; thin line: coverage (share of applicable criteria assessed).")),
        ("by_axis", pick(lang, "Par axe et niveau", "By axis and level")),
        ("axis", pick(lang, "Axe", "Axis")),
        ("level", pick(lang, "Niveau", "Level")),
        ("th", pick(lang, "th.", "decl.")),
        ("pr", pick(lang, "pr.", "verif.")),
        ("differ", pick(lang, "Critères où les offres diffèrent (déclaré → vérifié)", "Criteria on which the bids differ (declared → verified)")),
        ("criterion", pick(lang, "Critère", "Criterion")),
        ("title", pick(lang, "Intitulé", "Title")),
        ("gap", pick(lang, "écart", "gap")),
        ("same", pick(lang, "Les offres ne diffèrent sur aucun critère.", "The bids differ on no criterion.")),
    ]
    .into_iter()
    .collect();
    env.get_template("compare.html")?.render(context! {
        lang => match lang { Lang::Fr => "fr", Lang::En => "en" },
        css => CSS,
        tool => format!("{} {}", env!("CARGO_PKG_NAME"), env!("CARGO_PKG_VERSION")),
        title => format!("{} — SDET {}", pick(lang, "Comparaison des offres", "Bids side by side"), c.sdet_version),
        t => Value::from(Serde(&words)),
        c => Value::from(Serde(c)),
        bids => Value::from(Serde(&bids)),
        cells => Value::from(Serde(&cells)),
        criteria => Value::from(Serde(&criteria)),
    })
}
