//! The Markdown renderer: a report to paste into a ticket, a merge request or a tender answer.
//! Gaps come first, then the two scores per axis and level with coverage, then what needs
//! action, waivers, every criterion with its points, and every probe. Text from the ENT is
//! escaped so it cannot turn into links or HTML where the Markdown is displayed.

mod tables;

use std::fmt::Write as _;

use super::labels::{self, number, percent};
use super::{CriterionRow, Report};
use sdet_core::text::{Lang, pick};

/// Renders the report as Markdown.
pub fn render(report: &Report, lang: Lang) -> String {
    let mut out = String::new();
    header(&mut out, report, lang);
    gaps(&mut out, report, lang);
    scores(&mut out, report, lang);
    for (fr, en, rows) in labels::to_address(report) {
        reasons(&mut out, pick(lang, fr, en), &rows, lang);
    }
    waivers(&mut out, report, lang);
    tables::criteria(&mut out, report, lang);
    tables::probes(&mut out, report, lang);
    out
}

fn header(out: &mut String, report: &Report, lang: Lang) {
    let degrees: Vec<&str> = report.target.degrees.iter().map(|d| d.as_str()).collect();
    let _ = writeln!(
        out,
        "# {} SDET {} — {}\n",
        pick(lang, "Audit", "Audit"),
        report.grid.sdet_version,
        cell(&report.target.name)
    );
    let _ = writeln!(
        out,
        "**{}{}**\n",
        pick(lang, "Résultat : ", "Outcome: "),
        labels::headline(report, lang)
    );
    let _ = writeln!(out, "{}\n", labels::gating_line(report, lang));
    if let Some(signer) = &report.signature {
        let _ = writeln!(out, "{}\n", cell(&signer.line(lang)));
    }
    let _ = writeln!(
        out,
        "{} {} · {} {} · {} {} {} · {} {}\n",
        pick(lang, "Degrés :", "Degrees:"),
        degrees.join(", "),
        pick(lang, "généré le", "generated"),
        report.generated_at,
        pick(lang, "par", "by"),
        report.tool.name,
        report.tool.version,
        pick(lang, "formule de notation", "scoring formula"),
        report.scores.formula_version,
    );
}

fn gaps(out: &mut String, report: &Report, lang: Lang) {
    let rows: Vec<&CriterionRow> = report
        .criteria
        .iter()
        .filter(|r| labels::is_gap(report, r))
        .collect();
    section(
        out,
        pick(
            lang,
            "Écarts : déclaré conforme, vérifié non conforme",
            "Gaps: declared conformant, verified failing",
        ),
        rows.len(),
    );
    if rows.is_empty() {
        let _ = writeln!(out, "{}\n", pick(lang, "Aucun écart.", "No gap."));
        return;
    }
    table_head(
        out,
        lang,
        &[
            ("Critère", "Criterion"),
            ("Niveau", "Level"),
            ("Intitulé", "Title"),
            ("Déclaration du fournisseur", "Vendor's declaration"),
            ("Constat", "Finding"),
        ],
        5,
    );
    for r in rows {
        let _ = writeln!(
            out,
            "| `{}` | {} | {} | {} | {} |",
            r.id,
            labels::row_level(r, lang),
            cell(r.title.get(lang)),
            cell(&labels::claim(r, lang)),
            cell(r.reason.get(lang))
        );
    }
    out.push('\n');
}

fn scores(out: &mut String, report: &Report, lang: Lang) {
    let _ = writeln!(out, "## {}\n", pick(lang, "Notes", "Scores"));
    table_head(
        out,
        lang,
        &[
            ("Axe", "Axis"),
            ("Niveau", "Level"),
            ("Note théorique (déclarée)", "Declared score"),
            ("Couverture", "Coverage"),
            ("Note pratique (vérifiée)", "Verified score"),
            ("Couverture", "Coverage"),
        ],
        2,
    );
    for (t, p) in labels::score_rows(report) {
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} |",
            cell(labels::axis(report, &t.axis, lang)),
            labels::cell_level(t, lang),
            labels::score(t, lang),
            labels::coverage(t),
            labels::score(p, lang),
            labels::coverage(p),
        );
    }
    let (t, p) = labels::overall(report);
    let _ = writeln!(
        out,
        "| **{}** | {} | **{}** | {} % | **{}** | {} % |\n",
        pick(lang, "Ensemble", "Overall"),
        pick(lang, "pondéré", "weighted"),
        percent(t.percent, lang),
        number(t.coverage, lang),
        percent(p.percent, lang),
        number(p.coverage, lang),
    );
    if let Some(line) = labels::to_confirm_line(report, lang) {
        let _ = writeln!(out, "{line}\n");
    }
}

fn reasons(out: &mut String, title: &str, rows: &[&CriterionRow], lang: Lang) {
    if rows.is_empty() {
        return;
    }
    section(out, title, rows.len());
    for r in rows {
        let _ = writeln!(
            out,
            "- `{}` {} — {}",
            r.id,
            cell(r.title.get(lang)),
            cell(r.reason.get(lang))
        );
    }
    out.push('\n');
}

fn waivers(out: &mut String, report: &Report, lang: Lang) {
    if report.waivers.is_empty() {
        return;
    }
    table_section(
        out,
        lang,
        ("Dérogations", "Waivers"),
        report.waivers.len(),
        &[
            ("Critère", "Criterion"),
            ("État", "Status"),
            ("Vérifié", "Verified"),
            ("Échéance", "Expires"),
            ("Approbateur", "Approver"),
            ("Justification", "Justification"),
        ],
        6,
    );
    for w in &report.waivers {
        let _ = writeln!(
            out,
            "| `{}` | {} | {} | {} | {} | {} |",
            cell(&w.waiver.criterion),
            labels::waiver_status(w.status, lang),
            labels::verdict(w.verified, lang),
            cell(&w.waiver.expires),
            cell(&w.waiver.approver),
            cell(&w.waiver.justification),
        );
    }
    out.push('\n');
}

/// A section heading with how many rows follow.
pub(super) fn section(out: &mut String, title: &str, count: usize) {
    let _ = writeln!(out, "## {title} ({count})\n");
}

/// A section that is one table: its heading, with how many rows follow, then the table's
/// heading (see [`table_head`]); the caller writes the rows.
pub(super) fn table_section(
    out: &mut String,
    lang: Lang,
    (fr, en): (&'static str, &'static str),
    count: usize,
    columns: &[(&'static str, &'static str)],
    numbers_from: usize,
) {
    section(out, pick(lang, fr, en), count);
    table_head(out, lang, columns, numbers_from);
}

/// A table's heading row and alignment row. Columns from `numbers_from` on hold figures and are
/// right-aligned.
pub(super) fn table_head(
    out: &mut String,
    lang: Lang,
    columns: &[(&'static str, &'static str)],
    numbers_from: usize,
) {
    let mut head = String::from("|");
    let mut rule = String::from("|");
    for (i, (fr, en)) in columns.iter().enumerate() {
        let _ = write!(head, " {} |", pick(lang, fr, en));
        rule.push_str(if i < numbers_from { "---|" } else { "---:|" });
    }
    let _ = writeln!(out, "{head}\n{rule}");
}

/// Text made safe for one Markdown table cell: no line break, no pipe, no HTML, no link syntax.
pub(super) fn cell(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\n' | '\r' | '\t' => out.push(' '),
            '\\' | '|' | '<' | '>' | '[' | ']' | '`' => {
                out.push('\\');
                out.push(c);
            }
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::cell;

    #[test]
    fn cells_cannot_break_the_table_or_inject_markup() {
        assert_eq!(cell("a|b\n<script>[x](y)"), r"a\|b \<script\>\[x\](y)");
    }
}
