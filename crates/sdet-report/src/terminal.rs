//! The terminal renderer: what a person reads first. The outcome, the gaps, then scores per axis
//! and level with coverage, then what needs action — failed exigences, undecided checks, waivers —
//! each with its reason. Colour only when asked (a TTY without `NO_COLOR`).

use std::fmt::Write as _;

use comfy_table::presets::UTF8_FULL_CONDENSED;
use comfy_table::{Cell, Color, Table};

use super::labels;
use super::{AuditOutcome, CriterionRow, Report};
use sdet_core::evidence::Outcome;
use sdet_core::score;
use sdet_core::text::{Lang, pick};
use sdet_core::verdict::Verdict;

/// How to render.
#[derive(Debug, Clone, Copy, Default)]
pub struct RenderOptions {
    /// Language.
    pub lang: Lang,
    /// Whether to use colour.
    pub color: bool,
}

/// Renders the report for a terminal.
pub fn render(report: &Report, options: RenderOptions) -> String {
    let lang = options.lang;
    let mut out = String::new();
    let degrees: Vec<&str> = report.target.degrees.iter().map(|d| d.as_str()).collect();
    let _ = writeln!(
        out,
        "{} SDET {} — {} ({})",
        pick(lang, "Audit", "Audit"),
        report.grid.sdet_version,
        report.target.name,
        degrees.join(", ")
    );
    outcome_line(&mut out, report, options);
    section(
        &mut out,
        lang,
        pick(
            lang,
            "Écarts (déclaré conforme, vérifié non conforme)",
            "Gaps (declared conforme, verified fail)",
        ),
        report
            .criteria
            .iter()
            .filter(|r| report.gaps.contains(&r.id)),
        true,
    );
    if report.gaps.is_empty() {
        let _ = writeln!(out, "{}", pick(lang, "Aucun écart.", "No gap."));
    }
    out.push('\n');
    out.push_str(&scores_table(report, options).to_string());
    out.push('\n');
    overall_line(&mut out, report, lang);
    for (fr, en, rows) in labels::to_address(report) {
        section(&mut out, lang, pick(lang, fr, en), rows.into_iter(), false);
    }
    waivers(&mut out, report, lang);
    let probes = PROBE_COUNTS.map(|(o, fr, en)| {
        let n = report.probes.iter().filter(|p| p.outcome == o).count();
        (n, pick(lang, fr, en))
    });
    let criteria = CRITERION_COUNTS.map(|(v, fr, en)| (report.count(v), pick(lang, fr, en)));
    let _ = writeln!(
        out,
        "\n{}{}",
        pick(lang, "Sondes : ", "Probes: "),
        tally(&probes)
    );
    let _ = writeln!(
        out,
        "{}{}",
        pick(lang, "Critères : ", "Criteria: "),
        tally(&criteria)
    );
    out
}

/// The probe outcomes the closing lines count, in order, in words.
const PROBE_COUNTS: [(Outcome, &str, &str); 4] = [
    (Outcome::Pass, "réussies", "pass"),
    (Outcome::Fail, "échouées", "fail"),
    (Outcome::Error, "en erreur", "error"),
    (Outcome::Skipped, "non exécutées", "skipped"),
];

/// The criterion verdicts the closing lines count, in order, in words.
const CRITERION_COUNTS: [(Verdict, &str, &str); 6] = [
    (Verdict::Pass, "conformes", "pass"),
    (Verdict::Fail, "non conformes", "fail"),
    (Verdict::Error, "en erreur", "error"),
    (
        Verdict::AutomatedPartVerified,
        "partie automatique seule",
        "automated part only",
    ),
    (Verdict::NotTested, "non testés", "not tested"),
    (Verdict::NotApplicable, "non applicables", "not applicable"),
];

/// Counts in words, `3 pass, 1 fail`.
fn tally(counts: &[(usize, &str)]) -> String {
    let words: Vec<String> = counts
        .iter()
        .map(|(n, what)| format!("{n} {what}"))
        .collect();
    words.join(", ")
}

fn outcome_line(out: &mut String, report: &Report, options: RenderOptions) {
    let lang = options.lang;
    let label = labels::headline(report, lang);
    let label = if options.color {
        // Bold green, red or yellow: the one word a person must not miss.
        let code = match report.outcome {
            AuditOutcome::Conforme => "1;32",
            AuditOutcome::NonConforme => "1;31",
            AuditOutcome::Incomplete => "1;33",
        };
        format!("\x1b[{code}m{label}\x1b[0m")
    } else {
        label
    };
    let _ = writeln!(out, "{}{label}", pick(lang, "Résultat : ", "Outcome: "));
    let _ = writeln!(out, "{}", labels::gating_line(report, lang));
    if let Some(signer) = &report.signature {
        let _ = writeln!(out, "{}", signer.line(lang));
    }
}

fn overall_line(out: &mut String, report: &Report, lang: Lang) {
    let (t, p) = labels::overall(report);
    let _ = writeln!(
        out,
        "{} {} ({} {} %) · {} {} ({} {} %)",
        pick(
            lang,
            "Ensemble pondéré — théorique",
            "Overall, weighted — declared"
        ),
        labels::percent(t.percent, lang),
        pick(lang, "couverture", "coverage"),
        labels::number(t.coverage, lang),
        pick(lang, "pratique", "verified"),
        if report.outcome == AuditOutcome::Incomplete {
            pick(
                lang,
                "pas de note (audit incomplet)",
                "no grade (incomplete audit)",
            )
            .to_string()
        } else {
            labels::percent(p.percent, lang)
        },
        pick(lang, "couverture", "coverage"),
        labels::number(p.coverage, lang),
    );
    if let Some(line) = labels::to_confirm_line(report, lang) {
        let _ = writeln!(out, "{line}");
    }
}

fn waivers(out: &mut String, report: &Report, lang: Lang) {
    if !report.waivers.is_empty() {
        let _ = writeln!(
            out,
            "\n{} ({})",
            pick(lang, "Dérogations", "Waivers"),
            report.waivers.len()
        );
        for w in &report.waivers {
            let _ = writeln!(
                out,
                "  {:<14} {} — {} ({}, {})",
                w.waiver.criterion,
                labels::waiver_status(w.status, lang),
                w.waiver.justification,
                w.waiver.approver,
                w.waiver.expires
            );
        }
    }
}

/// Lists `rows` under `title`; `claims` adds what the vendor declared (for gaps).
fn section<'a>(
    out: &mut String,
    lang: Lang,
    title: &str,
    rows: impl Iterator<Item = &'a CriterionRow>,
    claims: bool,
) {
    let rows: Vec<&CriterionRow> = rows.collect();
    if rows.is_empty() {
        return;
    }
    let _ = writeln!(out, "\n{title} ({})", rows.len());
    for r in rows {
        let _ = writeln!(out, "  {:<14} {}", r.id, r.title.get(lang));
        if claims {
            let _ = writeln!(
                out,
                "  {:<14} {} {}",
                "",
                pick(lang, "déclaré :", "declared:"),
                labels::claim(r, lang)
            );
        }
        let _ = writeln!(out, "  {:<14} ↳ {}", "", r.reason.get(lang));
    }
}

fn scores_table(report: &Report, options: RenderOptions) -> Table {
    let lang = options.lang;
    let mut table = Table::new();
    table.load_preset(UTF8_FULL_CONDENSED);
    table.set_header(vec![
        pick(lang, "Axe", "Axis"),
        pick(lang, "Niveau", "Level"),
        pick(lang, "Note théorique", "Declared score"),
        pick(lang, "Couverture", "Coverage"),
        pick(lang, "Note pratique", "Verified score"),
        pick(lang, "Couverture", "Coverage"),
    ]);
    for (t, p) in labels::score_rows(report) {
        table.add_row(vec![
            Cell::new(labels::axis(report, &t.axis, lang)),
            Cell::new(labels::cell_level(t, lang)),
            Cell::new(terse_score(t, lang)),
            Cell::new(labels::coverage(t)),
            colored(Cell::new(terse_score(p, lang)), p.percent, options.color),
            Cell::new(labels::coverage(p)),
        ]);
    }
    table
}

/// A cell's score with its points (see [`labels::score`]), or a dash alone when nothing was
/// assessed.
fn terse_score(cell: &score::Cell, lang: Lang) -> String {
    match cell.percent {
        Some(_) => labels::score(cell, lang),
        None => "—".to_string(),
    }
}

fn colored(cell: Cell, percent: Option<f64>, color: bool) -> Cell {
    match (color, percent) {
        (true, Some(p)) if p >= 100.0 => cell.fg(Color::Green),
        (true, Some(_)) => cell.fg(Color::Red),
        _ => cell,
    }
}

/// The outcome in words.
pub fn outcome_label(outcome: AuditOutcome, lang: Lang) -> &'static str {
    labels::outcome(outcome, lang)
}
