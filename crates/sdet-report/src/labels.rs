//! Words every human renderer shares: verdicts, levels, declarations and outcomes in French and
//! English, and the order in which criteria are shown (gaps first). One place, so the terminal,
//! Markdown, CSV and HTML reports never disagree on a label.

use std::fmt::Write as _;

use super::{AuditOutcome, CriterionRow, Report};
use sdet_core::declaration::Status;
use sdet_core::evidence::Exchange;
use sdet_core::grid::Level;
use sdet_core::score::{Cell, Overall};
use sdet_core::text::{Lang, pick};
use sdet_core::verdict::Verdict;

/// A verdict in words.
pub fn verdict(v: Verdict, lang: Lang) -> &'static str {
    match v {
        Verdict::Pass => pick(lang, "conforme", "pass"),
        Verdict::Fail => pick(lang, "non conforme", "fail"),
        Verdict::Error => pick(lang, "erreur (non décidé)", "error (undecided)"),
        Verdict::NotTested => pick(lang, "non testé", "not tested"),
        Verdict::NotApplicable => pick(lang, "non applicable", "not applicable"),
        Verdict::Waived => pick(lang, "dérogation", "waived"),
        Verdict::AutomatedPartVerified => pick(
            lang,
            "partie automatique vérifiée (preuve déclarée manquante)",
            "automated part verified (declared proof missing)",
        ),
    }
}

/// What follows an exchange's line when the probe took another probe's answer to the identical
/// anonymous read rather than sending it again (`shared` in the JSON); empty otherwise.
pub fn shared_mark(x: &Exchange, lang: Lang) -> &'static str {
    if x.shared {
        pick(lang, " (réponse partagée)", " (shared answer)")
    } else {
        ""
    }
}

/// A level in words.
pub fn level(l: Level, lang: Lang) -> &'static str {
    match l {
        Level::Exigence => pick(lang, "exigence", "requirement"),
        Level::Recommandation => pick(lang, "recommandation", "recommendation"),
    }
}

/// A level, marked when it is still to confirm (`to_verify` in the grid): such a level is a
/// guess, so every human report says so next to it.
pub fn level_marked(l: Level, confirmed: bool, lang: Lang) -> String {
    if confirmed {
        level(l, lang).to_string()
    } else {
        format!(
            "{} ({})",
            level(l, lang),
            pick(lang, "niveau à confirmer", "level to confirm")
        )
    }
}

/// A criterion's level, marked when it is still to confirm.
pub fn row_level(r: &CriterionRow, lang: Lang) -> String {
    level_marked(r.level, r.level_confirmed, lang)
}

/// A score cell's level, marked when its criteria's level is still to confirm.
pub fn cell_level(c: &Cell, lang: Lang) -> String {
    level_marked(c.level, c.level_confirmed, lang)
}

/// What needs action, as every human report lists it, in order, each list with its French and
/// English title: exigences that decide the outcome, exigences whose level is still to confirm
/// (shown, not deciding), recommendations, then the criteria no probe could decide (errors).
pub fn to_address(report: &Report) -> [(&'static str, &'static str, Vec<&CriterionRow>); 4] {
    let strict = report.strict_levels;
    let rows = |keep: &dyn Fn(&CriterionRow) -> bool| {
        report
            .criteria
            .iter()
            .filter(|r| keep(r))
            .collect::<Vec<_>>()
    };
    let failed = |r: &CriterionRow| r.verdict == Verdict::Fail;
    [
        (
            "Exigences non conformes",
            "Failed requirements",
            rows(&|r| failed(r) && r.gates(strict)),
        ),
        (
            "Exigences non conformes, niveau à confirmer (ne décident pas du résultat)",
            "Failed requirements whose level is to confirm (they do not decide the outcome)",
            rows(&|r| failed(r) && r.level == Level::Exigence && !r.gates(strict)),
        ),
        (
            "Recommandations non suivies",
            "Recommendations not followed",
            rows(&|r| failed(r) && r.level == Level::Recommandation),
        ),
        (
            "Non décidé (erreur de sonde)",
            "Undecided (probe error)",
            rows(&|r| r.verdict == Verdict::Error),
        ),
    ]
}

/// The rows of a score table, one per axis and level, the declared (theoretical) cell beside the
/// verified (practical) one. Rows no criterion applies to are left out: they have no score.
pub fn score_rows(report: &Report) -> impl Iterator<Item = (&Cell, &Cell)> {
    report
        .scores
        .theoretical
        .iter()
        .zip(&report.scores.practical)
        .filter(|(t, _)| t.applicable > 0)
}

/// The whole grid's declared (theoretical) and verified (practical) scores, side by side.
pub fn overall(report: &Report) -> (&Overall, &Overall) {
    let s = &report.scores;
    (&s.overall_theoretical, &s.overall_practical)
}

/// A score cell's percentage with the points behind it: `50 % (3/6)`.
pub fn score(c: &Cell, lang: Lang) -> String {
    format!(
        "{} ({}/{})",
        percent(c.percent, lang),
        number(c.points, lang),
        number(c.maximum, lang)
    )
}

/// A score cell's coverage, as counts: criteria assessed out of those applicable, `3/4`.
pub fn coverage(c: &Cell) -> String {
    format!("{}/{}", c.assessed, c.applicable)
}

/// How many applicable exigences decide the outcome, and how many are reported apart because
/// their level is still to confirm.
pub fn gating_line(report: &Report, lang: Lang) -> String {
    let (gating, total) = (
        report.perimeter.exigences_gating,
        report.perimeter.exigences,
    );
    let apart = total - gating;
    if report.strict_levels {
        match lang {
            Lang::Fr => format!(
                "Niveaux : les {total} exigences applicables décident du résultat (--strict-levels : niveaux à confirmer traités comme confirmés)"
            ),
            Lang::En => format!(
                "Levels: all {total} applicable requirements decide the outcome (--strict-levels: levels to confirm treated as confirmed)"
            ),
        }
    } else {
        match lang {
            Lang::Fr => format!(
                "Niveaux : {gating}/{total} exigences applicables ont un niveau confirmé et décident du résultat ; {apart} à niveau à confirmer sont rapportées à part"
            ),
            Lang::En => format!(
                "Levels: {gating}/{total} applicable requirements have a confirmed level and decide the outcome; {apart} whose level is to confirm are reported apart"
            ),
        }
    }
}

/// The overall figures of the criteria whose level is still to confirm, kept apart from the
/// main ones; `None` when every applicable level is confirmed.
pub fn to_confirm_line(report: &Report, lang: Lang) -> Option<String> {
    let s = &report.scores;
    let apart: usize = s
        .theoretical
        .iter()
        .filter(|c| !c.level_confirmed)
        .map(|c| c.applicable)
        .sum();
    (apart > 0).then(|| {
        let (t, p) = (&s.overall_theoretical_to_confirm, &s.overall_practical_to_confirm);
        let (declared, declared_coverage) = (percent(t.percent, lang), number(t.coverage, lang));
        let (verified, verified_coverage) = (percent(p.percent, lang), number(p.coverage, lang));
        match lang {
            Lang::Fr => format!(
                "À part, {apart} critères à niveau à confirmer — théorique {declared} (couverture {declared_coverage} %) · pratique {verified} (couverture {verified_coverage} %)"
            ),
            Lang::En => format!(
                "Apart, {apart} criteria whose level is to confirm — declared {declared} (coverage {declared_coverage} %) · verified {verified} (coverage {verified_coverage} %)"
            ),
        }
    })
}

/// A declaration in words; `None` is "not declared".
pub fn declared(s: Option<Status>, lang: Lang) -> &'static str {
    match s {
        Some(Status::Conforme) => pick(lang, "conforme", "conformant"),
        Some(Status::Partiel) => pick(lang, "partiel", "partial"),
        Some(Status::NonConforme) => pick(lang, "non conforme", "not conformant"),
        Some(Status::NonApplicable) => pick(lang, "non applicable", "not applicable"),
        None => pick(lang, "non déclaré", "not declared"),
    }
}

/// What the vendor claims of a criterion: the status, its justification and where the proof is.
pub fn claim(row: &CriterionRow, lang: Lang) -> String {
    let mut text = declared(row.declared, lang).to_string();
    if let Some(j) = row
        .justification
        .as_deref()
        .filter(|j| !j.trim().is_empty())
    {
        text.push_str(" — ");
        text.push_str(j.trim());
    }
    if let Some(p) = row.proof.as_deref().filter(|p| !p.trim().is_empty()) {
        let _ = write!(text, " ({} {})", pick(lang, "preuve :", "proof:"), p.trim());
    }
    text
}

/// The outcome in words.
pub fn outcome(o: AuditOutcome, lang: Lang) -> &'static str {
    match o {
        AuditOutcome::Conforme => pick(lang, "CONFORME", "CONFORMANT"),
        AuditOutcome::NonConforme => pick(lang, "NON CONFORME", "NOT CONFORMANT"),
        AuditOutcome::Incomplete => pick(
            lang,
            "AUDIT INCOMPLET (erreurs de sonde)",
            "INCOMPLETE AUDIT (probe errors)",
        ),
    }
}

/// The headline: the outcome, qualified by what was verified, so that no format claims more
/// than the audit saw. "CONFORME" reads plainly only when every applicable exigence was decided
/// and no criterion a probe should decide was left undecided; otherwise it is "CONFORME sur le
/// périmètre vérifié". The count of verified exigences always follows.
pub fn headline(report: &Report, lang: Lang) -> String {
    let p = &report.perimeter;
    let label = match report.outcome {
        AuditOutcome::Conforme if !p.complete() => pick(
            lang,
            "CONFORME sur le périmètre vérifié",
            "CONFORMANT within the verified scope",
        ),
        other => outcome(other, lang),
    };
    let (verified, total) = (p.exigences_verified, p.exigences);
    match lang {
        Lang::Fr => format!("{label} — {verified}/{total} exigences vérifiées"),
        Lang::En => format!("{label} — {verified}/{total} requirements verified"),
    }
}

/// An axis's display name, or its id when the report does not name it.
pub fn axis<'a>(report: &'a Report, id: &'a str, lang: Lang) -> &'a str {
    report
        .grid
        .axes
        .iter()
        .find(|a| a.id == id)
        .map_or(id, |a| a.name.get(lang))
}

/// Whether a criterion is a gap (declared conforme, verified fail).
pub fn is_gap(report: &Report, row: &CriterionRow) -> bool {
    report.gaps.contains(&row.id)
}

/// Criteria in reading order: gaps first, then everything else in grid order.
pub fn gaps_first(report: &Report) -> Vec<&CriterionRow> {
    let (mut gaps, rest): (Vec<&CriterionRow>, Vec<&CriterionRow>) =
        report.criteria.iter().partition(|r| is_gap(report, r));
    gaps.extend(rest);
    gaps
}

/// A number as a person reads it: no trailing `.0`, the language's decimal separator.
pub fn number(x: f64, lang: Lang) -> String {
    let text = if (x - x.round()).abs() < 1e-9 {
        format!("{}", x.round())
    } else {
        format!("{x:.1}")
    };
    // `-0` comes from summing nothing in floating point; a person reads 0.
    let text = if text == "-0" { "0".to_string() } else { text };
    match lang {
        Lang::Fr => text.replace('.', ","),
        Lang::En => text,
    }
}

/// A percentage as a person reads it, or a dash when nothing was assessed.
pub fn percent(p: Option<f64>, lang: Lang) -> String {
    match p {
        Some(p) => format!("{} %", number(p, lang)),
        None => "—".to_string(),
    }
}

/// A waiver's status in words.
pub fn waiver_status(s: sdet_core::waiver::WaiverStatus, lang: Lang) -> &'static str {
    use sdet_core::waiver::WaiverStatus as W;
    match s {
        W::Applied => pick(lang, "en vigueur", "in force"),
        W::Expired => pick(
            lang,
            "expirée : l'échec compte",
            "expired: the failure counts",
        ),
        W::Stale => pick(
            lang,
            "inutile : le critère est conforme",
            "stale: the criterion passes",
        ),
        W::Unused => pick(lang, "sans objet : pas d'échec", "unused: nothing failed"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_read_as_a_person_expects() {
        assert_eq!(number(1.0, Lang::Fr), "1");
        assert_eq!(number(-0.0, Lang::En), "0");
        assert_eq!(number(0.5, Lang::Fr), "0,5");
        assert_eq!(number(66.66, Lang::En), "66.7");
        assert_eq!(percent(None, Lang::Fr), "—");
        assert_eq!(percent(Some(50.0), Lang::Fr), "50 %");
    }
}
