//! What the HTML template reads besides the criteria: its fixed words in the report's language,
//! the score table, the waivers and the probes with their evidence. Plain serialisable data, so
//! the template holds no logic beyond loops and conditions.

use serde::Serialize;
use std::collections::BTreeMap;

use super::super::Report;
use super::super::labels;
use sdet_core::evidence::Outcome;
use sdet_core::text::{Lang, pick};

/// The template's fixed words.
#[allow(clippy::too_many_lines)] // one table of words, each a line: splitting it would hide none
pub fn words(lang: Lang) -> BTreeMap<&'static str, String> {
    let words: [(&'static str, &str, &str); 54] = [
        ("outcome", "Résultat", "Outcome"),
        (
            "key_gaps",
            "écart(s) déclaré/vérifié",
            "declared/verified gap(s)",
        ),
        (
            "key_failed",
            "exigence(s) non conforme(s)",
            "failed requirement(s)",
        ),
        (
            "key_undecided",
            "critère(s) non décidé(s)",
            "undecided criteria",
        ),
        (
            "key_coverage",
            "de la grille vérifiée",
            "of the grid verified",
        ),
        ("to_do", "À faire :", "To do:"),
        ("evidence", "Preuves :", "Evidence:"),
        (
            "score_table",
            "Détail par axe et par niveau",
            "Detail per axis and level",
        ),
        ("degrees", "Degrés", "Degrees"),
        ("generated", "Généré le", "Generated"),
        ("by", "par", "by"),
        ("formula", "formule de notation", "scoring formula"),
        (
            "gaps",
            "Écarts : déclaré conforme, vérifié non conforme",
            "Gaps: declared conformant, verified failing",
        ),
        (
            "no_gap",
            "Aucun écart : rien de ce que le fournisseur déclare conforme n'a échoué à la vérification.",
            "No gap: nothing the vendor declares conformant failed verification.",
        ),
        ("scores", "Notes", "Scores"),
        ("theoretical", "Note théorique (déclarée)", "Declared score"),
        ("practical", "Note pratique (vérifiée)", "Verified score"),
        ("coverage", "couverture", "coverage"),
        (
            "overall_note",
            "Ensemble de la grille, exigences pondérées (voir la formule). La couverture est la part des critères applicables effectivement évalués.",
            "Whole grid, requirements weighted (see the formula). Coverage is the share of applicable criteria actually assessed.",
        ),
        (
            "no_grade",
            "pas de note : audit incomplet",
            "no grade: incomplete audit",
        ),
        ("axis", "Axe", "Axis"),
        ("level", "Niveau", "Level"),
        ("to_fix", "À traiter", "To address"),
        (
            "failed_exigences",
            "Exigences non conformes",
            "Failed requirements",
        ),
        (
            "failed_to_confirm",
            "Exigences non conformes, niveau à confirmer (ne décident pas du résultat)",
            "Failed requirements whose level is to confirm (they do not decide the outcome)",
        ),
        (
            "failed_recommandations",
            "Recommandations non suivies",
            "Recommendations not followed",
        ),
        (
            "undecided",
            "Non décidé (erreur de sonde, jamais compté comme échec)",
            "Undecided (probe error, never counted as a failure)",
        ),
        ("nothing_to_fix", "Rien à traiter.", "Nothing to address."),
        ("waivers", "Dérogations", "Waivers"),
        ("status", "État", "Status"),
        ("verified", "Vérifié", "Verified"),
        ("declared", "Déclaré", "Declared"),
        ("expires", "Échéance", "Expires"),
        ("approver", "Approbateur", "Approver"),
        ("justification", "Justification", "Justification"),
        ("criteria", "Critères", "Criteria"),
        ("criterion", "Critère", "Criterion"),
        ("title", "Intitulé", "Title"),
        ("finding", "Constat", "Finding"),
        (
            "vendor_claim",
            "Déclaration du fournisseur",
            "Vendor's declaration",
        ),
        ("proof", "preuve :", "proof:"),
        ("points_t", "Pts th.", "Decl. pts"),
        ("points_p", "Pts pr.", "Verif. pts"),
        ("gap", "écart", "gap"),
        ("probes", "Sondes et preuves", "Probes and evidence"),
        ("probe", "Sonde", "Probe"),
        ("expected", "Attendu", "Expected"),
        ("observed", "Observé", "Observed"),
        (
            "exchanges",
            "Échanges (secrets masqués)",
            "Exchanges (secrets redacted)",
        ),
        (
            "no_exchange",
            "Aucun échange enregistré.",
            "No exchange recorded.",
        ),
        ("headers", "En-têtes de réponse", "Response headers"),
        (
            "body",
            "Début du corps de la réponse",
            "Start of the response body",
        ),
        ("for_criteria", "Critères vérifiés", "Criteria verified"),
        (
            "legend",
            "Barre pleine : note ; trait fin : couverture.",
            "Thick bar: score; thin line: coverage.",
        ),
    ];
    words
        .into_iter()
        .map(|(key, fr, en)| (key, pick_owned(lang, fr, en)))
        .collect()
}

fn pick_owned(lang: Lang, fr: &str, en: &str) -> String {
    match lang {
        Lang::Fr => fr.to_string(),
        Lang::En => en.to_string(),
    }
}

/// One row of the score table.
#[derive(Debug, Serialize)]
pub struct ScoreRow {
    axis: String,
    level: String,
    theoretical: String,
    t_cov: String,
    practical: String,
    p_cov: String,
}

/// The score table, applicable cells only.
pub fn cells(report: &Report, lang: Lang) -> Vec<ScoreRow> {
    labels::score_rows(report)
        .map(|(t, p)| ScoreRow {
            axis: labels::axis(report, &t.axis, lang).to_string(),
            level: labels::cell_level(t, lang),
            theoretical: labels::score(t, lang),
            t_cov: labels::coverage(t),
            practical: labels::score(p, lang),
            p_cov: labels::coverage(p),
        })
        .collect()
}

/// One waiver row.
#[derive(Debug, Serialize)]
pub struct WaiverView {
    criterion: String,
    status: &'static str,
    class: &'static str,
    verified: &'static str,
    expires: String,
    approver: String,
    justification: String,
}

/// The waivers.
pub fn waivers(report: &Report, lang: Lang) -> Vec<WaiverView> {
    report
        .waivers
        .iter()
        .map(|w| WaiverView {
            criterion: w.waiver.criterion.clone(),
            status: labels::waiver_status(w.status, lang),
            class: w.status.as_str(),
            verified: labels::verdict(w.verified, lang),
            expires: w.waiver.expires.clone(),
            approver: w.waiver.approver.clone(),
            justification: w.waiver.justification.clone(),
        })
        .collect()
}

/// One probe with its evidence.
#[derive(Debug, Serialize)]
pub struct ProbeView {
    id: String,
    family: String,
    outcome: &'static str,
    class: &'static str,
    message: String,
    expected: Option<String>,
    observed: Option<String>,
    criteria: Vec<String>,
    exchanges: Vec<ExchangeView>,
}

/// One exchange.
#[derive(Debug, Serialize)]
pub struct ExchangeView {
    line: String,
    headers: Vec<(String, String)>,
    body: Option<String>,
}

/// Every probe, in plan order.
pub fn probes(report: &Report, lang: Lang) -> Vec<ProbeView> {
    report
        .probes
        .iter()
        .map(|p| ProbeView {
            id: p.id.clone(),
            family: format!("{:?}", p.family).to_lowercase(),
            outcome: match p.outcome {
                Outcome::Pass => pick(lang, "conforme", "pass"),
                Outcome::Fail => pick(lang, "non conforme", "fail"),
                Outcome::Error => pick(lang, "erreur", "error"),
                Outcome::Skipped => pick(lang, "non exécutée", "skipped"),
            },
            class: match p.outcome {
                Outcome::Pass => "pass",
                Outcome::Fail => "fail",
                Outcome::Error => "error",
                Outcome::Skipped => "not-tested",
            },
            message: p.message.get(lang).to_string(),
            expected: p.expected.as_ref().map(|e| e.get(lang).to_string()),
            observed: p.observed.as_ref().map(|o| o.get(lang).to_string()),
            criteria: p.criteria.clone(),
            exchanges: p
                .evidence
                .iter()
                .map(|x| ExchangeView {
                    line: format!(
                        "{} {} → {}{}",
                        x.method,
                        x.url,
                        x.status.map_or_else(
                            || x.error_in(lang).unwrap_or("—").to_string(),
                            |s| s.to_string()
                        ),
                        labels::shared_mark(x, lang)
                    ),
                    headers: x.response_headers.clone(),
                    body: x.body_excerpt.clone(),
                })
                .collect(),
        })
        .collect()
}
