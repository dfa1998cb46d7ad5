//! The comparison as rows — a label, then one cell per bid — and the two tabular renderings
//! built from them: a comfy-table for the terminal and CSV for a spreadsheet.

use std::fmt::Write as _;

use comfy_table::Table;
use comfy_table::presets::UTF8_FULL_CONDENSED;

use super::{Bid, Comparison};
use crate::report::labels::{self, number, percent};
use crate::text::{Lang, pick};

impl Comparison {
    fn axis_name(&self, id: &str, lang: Lang) -> String {
        self.axes
            .iter()
            .find(|a| a.id == id)
            .map_or_else(|| id.to_string(), |a| a.name.get(lang).to_string())
    }

    /// The rows every tabular rendering shares: a label column, then one column per bid.
    pub fn rows(&self, lang: Lang) -> Vec<(String, Vec<String>)> {
        let mut rows = Vec::new();
        let each = |f: &dyn Fn(&Bid) -> String| self.bids.iter().map(f).collect::<Vec<_>>();
        rows.push((
            pick(lang, "Résultat", "Outcome").to_string(),
            each(&|b| labels::outcome(b.outcome, lang).to_string()),
        ));
        rows.push((
            pick(
                lang,
                "Note théorique (couverture)",
                "Declared score (coverage)",
            )
            .to_string(),
            each(&|b| {
                format!(
                    "{} ({} %)",
                    percent(b.theoretical.percent, lang),
                    number(b.theoretical.coverage, lang)
                )
            }),
        ));
        rows.push((
            pick(
                lang,
                "Note pratique (couverture)",
                "Verified score (coverage)",
            )
            .to_string(),
            each(&|b| {
                format!(
                    "{} ({} %)",
                    percent(b.practical.percent, lang),
                    number(b.practical.coverage, lang)
                )
            }),
        ));
        rows.push((
            pick(lang, "Écarts", "Gaps").to_string(),
            each(&|b| b.gaps.to_string()),
        ));
        rows.push((
            pick(lang, "Exigences non conformes", "Failed requirements").to_string(),
            each(&|b| b.failed_exigences.to_string()),
        ));
        rows.push((
            pick(lang, "Non décidés", "Undecided").to_string(),
            each(&|b| b.errors.to_string()),
        ));
        for c in &self.cells {
            rows.push((
                format!(
                    "{} — {}",
                    self.axis_name(&c.axis, lang),
                    labels::level_marked(c.level, c.level_confirmed, lang)
                ),
                c.bids
                    .iter()
                    .map(|(t, p)| {
                        format!(
                            "{} {} ({}/{}) · {} {} ({}/{})",
                            pick(lang, "th.", "decl."),
                            percent(t.percent, lang),
                            t.assessed,
                            t.applicable,
                            pick(lang, "pr.", "verif."),
                            percent(p.percent, lang),
                            p.assessed,
                            p.applicable
                        )
                    })
                    .collect(),
            ));
        }
        for c in &self.criteria {
            rows.push((
                format!(
                    "{} ({})",
                    c.id,
                    labels::level_marked(c.level, c.level_confirmed, lang)
                ),
                c.bids
                    .iter()
                    .map(|(d, v, gap)| {
                        format!(
                            "{} → {}{}",
                            labels::declared(*d, lang),
                            labels::verdict(*v, lang),
                            if *gap {
                                pick(lang, " (écart)", " (gap)")
                            } else {
                                ""
                            }
                        )
                    })
                    .collect(),
            ));
        }
        rows
    }

    /// The bids' names as column headers.
    pub fn header(&self) -> Vec<String> {
        std::iter::once(format!("SDET {}", self.sdet_version))
            .chain(self.bids.iter().map(|b| b.name.clone()))
            .collect()
    }
}

/// The comparison for a terminal.
pub fn terminal(c: &Comparison, lang: Lang) -> String {
    let mut table = Table::new();
    table.load_preset(UTF8_FULL_CONDENSED);
    table.set_header(c.header());
    for (label, cells) in c.rows(lang) {
        table.add_row(std::iter::once(label).chain(cells));
    }
    let mut out = format!(
        "{} ({} {}, {} {})\n",
        pick(lang, "Comparaison des offres", "Bids side by side"),
        pick(lang, "grille SDET", "SDET grid"),
        c.sdet_version,
        pick(lang, "formule", "formula"),
        c.formula_version
    );
    let _ = writeln!(out, "{table}");
    let _ = writeln!(
        out,
        "{} {}",
        c.criteria.len(),
        pick(
            lang,
            "critère(s) où les offres diffèrent (déclaré → vérifié).",
            "criteria on which the bids differ (declared → verified)."
        )
    );
    out
}

/// The comparison as CSV (same BOM, separator and quoting as the report CSV).
pub fn csv(c: &Comparison, lang: Lang) -> String {
    let header = c.header();
    let header: Vec<&str> = header.iter().map(String::as_str).collect();
    crate::report::csv::table(
        &header,
        c.rows(lang)
            .into_iter()
            .map(|(label, cells)| std::iter::once(label).chain(cells).collect()),
        lang,
    )
}
