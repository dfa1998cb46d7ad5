//! `compare`: several bids (ENTs) side by side on one grid and one formula — the collectivité's
//! use case. Reports on different SDET versions or formulas are refused rather than compared
//! unfairly. The comparison holds a summary per bid, every axis × level cell of both scores,
//! and every criterion on which the bids differ (declared or verified).

use std::fmt::Write as _;

use comfy_table::Table;
use comfy_table::presets::UTF8_FULL_CONDENSED;
use serde::Serialize;

use super::labels::{self, number, percent};
use super::{AuditOutcome, Report};
use crate::declaration::Status;
use crate::grid::{Axis, Level};
use crate::score::{Cell, Overall};
use crate::text::{Lang, Text, pick};
use crate::verdict::Verdict;

/// Why reports cannot be compared.
#[derive(Debug, thiserror::Error)]
pub enum CompareError {
    /// Nothing to compare.
    #[error("no report to compare")]
    Empty,
    /// The reports use different grids or formulas.
    #[error("reports must share one SDET grid and one scoring formula to be compared: {0}")]
    Mixed(String),
}

/// One bid's summary.
#[derive(Debug, Clone, Serialize)]
pub struct Bid {
    /// The ENT's name.
    pub name: String,
    /// When it was audited.
    pub generated_at: String,
    /// Its outcome.
    pub outcome: AuditOutcome,
    /// Overall théorique.
    pub theoretical: Overall,
    /// Overall pratique.
    pub practical: Overall,
    /// Gap count.
    pub gaps: usize,
    /// Failed exigences.
    pub failed_exigences: usize,
    /// Undecided criteria.
    pub errors: usize,
}

/// One axis × level cell for every bid.
#[derive(Debug, Clone, Serialize)]
pub struct CellRow {
    /// Axis id.
    pub axis: String,
    /// Level.
    pub level: Level,
    /// `(théorique, pratique)` per bid, in bid order.
    pub bids: Vec<(Cell, Cell)>,
}

/// A criterion on which the bids differ.
#[derive(Debug, Clone, Serialize)]
pub struct CriterionRow {
    /// Criterion id.
    pub id: String,
    /// Level.
    pub level: Level,
    /// Title.
    pub title: Text,
    /// `(declared, verified, gap)` per bid.
    pub bids: Vec<(Option<Status>, Verdict, bool)>,
}

/// Bids side by side.
#[derive(Debug, Clone, Serialize)]
pub struct Comparison {
    /// The SDET version all bids were audited against.
    pub sdet_version: String,
    /// The scoring formula they share.
    pub formula_version: u32,
    /// Axes, in order.
    pub axes: Vec<Axis>,
    /// One summary per bid, in the order given.
    pub bids: Vec<Bid>,
    /// Every axis × level with an applicable criterion in some bid.
    pub cells: Vec<CellRow>,
    /// Criteria on which the bids differ.
    pub criteria: Vec<CriterionRow>,
}

/// Puts `reports` side by side.
pub fn build(reports: &[Report]) -> Result<Comparison, CompareError> {
    let first = reports.first().ok_or(CompareError::Empty)?;
    let mixed: Vec<String> = reports
        .iter()
        .filter(|r| {
            r.grid.sdet_version != first.grid.sdet_version
                || r.scores.formula_version != first.scores.formula_version
        })
        .map(|r| {
            format!(
                "{} (SDET {}, formula {})",
                r.target.name, r.grid.sdet_version, r.scores.formula_version
            )
        })
        .collect();
    if !mixed.is_empty() {
        return Err(CompareError::Mixed(format!(
            "{} (SDET {}, formula {}) vs {}",
            first.target.name,
            first.grid.sdet_version,
            first.scores.formula_version,
            mixed.join(", ")
        )));
    }
    let bids = reports.iter().map(bid).collect();
    let cells = first
        .scores
        .theoretical
        .iter()
        .enumerate()
        .map(|(i, c)| CellRow {
            axis: c.axis.clone(),
            level: c.level,
            bids: reports
                .iter()
                .map(|r| {
                    (
                        r.scores
                            .theoretical
                            .get(i)
                            .cloned()
                            .unwrap_or_else(|| c.clone()),
                        r.scores
                            .practical
                            .get(i)
                            .cloned()
                            .unwrap_or_else(|| c.clone()),
                    )
                })
                .collect(),
        })
        .filter(|row| row.bids.iter().any(|(t, _)| t.applicable > 0))
        .collect();
    let criteria = first
        .criteria
        .iter()
        .filter_map(|c| {
            let per: Vec<(Option<Status>, Verdict, bool)> = reports
                .iter()
                .map(|r| {
                    r.criteria
                        .iter()
                        .find(|x| x.id == c.id)
                        .map_or((None, Verdict::NotTested, false), |x| {
                            (x.declared, x.verdict, labels::is_gap(r, x))
                        })
                })
                .collect();
            let differ = per.iter().any(|p| (p.0, p.1) != (per[0].0, per[0].1));
            differ.then(|| CriterionRow {
                id: c.id.clone(),
                level: c.level,
                title: c.title.clone(),
                bids: per,
            })
        })
        .collect();
    Ok(Comparison {
        sdet_version: first.grid.sdet_version.clone(),
        formula_version: first.scores.formula_version,
        axes: first.grid.axes.clone(),
        bids,
        cells,
        criteria,
    })
}

fn bid(r: &Report) -> Bid {
    Bid {
        name: r.target.name.clone(),
        generated_at: r.generated_at.clone(),
        outcome: r.outcome,
        theoretical: r.scores.overall_theoretical.clone(),
        practical: r.scores.overall_practical.clone(),
        gaps: r.gaps.len(),
        failed_exigences: r
            .criteria
            .iter()
            .filter(|c| c.level == Level::Exigence && c.verdict == Verdict::Fail)
            .count(),
        errors: r.count(Verdict::Error),
    }
}

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
                    labels::level(c.level, lang)
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
                format!("{} ({})", c.id, labels::level(c.level, lang)),
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
    super::csv::table(
        &header,
        c.rows(lang)
            .into_iter()
            .map(|(label, cells)| std::iter::once(label).chain(cells).collect()),
        lang,
    )
}
