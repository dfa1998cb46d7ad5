//! `compare`: several bids (ENTs) side by side on one grid and one formula — the collectivité's
//! use case. Reports on different SDET versions or formulas are refused rather than compared
//! unfairly. The comparison holds a summary per bid, every axis × level cell of both scores,
//! and every criterion on which the bids differ (declared or verified).

pub mod html;
mod table;

pub use table::{csv, terminal};

use serde::Serialize;

use crate::declaration::Status;
use crate::grid::{Axis, Level};
use crate::report::labels;
use crate::report::{AuditOutcome, Report};
use crate::score::{Cell, Overall};
use crate::text::Text;
use crate::verdict::Verdict;

/// Why reports cannot be compared.
#[derive(Debug, thiserror::Error)]
pub enum CompareError {
    /// Nothing to compare.
    #[error("{}", self.wording().shown())]
    Empty,
    /// The reports use different grids or formulas: which, in both languages.
    #[error("{}", self.wording().shown())]
    Mixed(Text),
}

impl CompareError {
    /// Its wording in both languages; `Display` shows the one errors are shown in.
    pub fn wording(&self) -> Text {
        match self {
            CompareError::Empty => Text::new("aucun rapport à comparer", "no report to compare"),
            CompareError::Mixed(which) => Text::new(
                format!(
                    "les rapports doivent partager une grille SDET et une formule de notation \
                     pour être comparés : {}",
                    which.fr
                ),
                format!(
                    "reports must share one SDET grid and one scoring formula to be compared: {}",
                    which.en
                ),
            ),
        }
    }
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
    /// Whether that level is confirmed: the grid scores the criteria whose level is still to
    /// confirm apart, so an axis can have two cells of one level.
    pub level_confirmed: bool,
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
    /// Whether that level is confirmed.
    pub level_confirmed: bool,
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
    let which = |r: &Report| {
        sdet_core::fr_en!(
            "{} (SDET {}, formule {})",
            "{} (SDET {}, formula {})",
            r.target.name,
            r.grid.sdet_version,
            r.scores.formula_version
        )
    };
    let mixed: Vec<Text> = reports
        .iter()
        .filter(|r| {
            r.grid.sdet_version != first.grid.sdet_version
                || r.scores.formula_version != first.scores.formula_version
        })
        .map(which)
        .collect();
    if !mixed.is_empty() {
        let (first, others) = (which(first), Text::join(&mixed, ", "));
        return Err(CompareError::Mixed(Text::new(
            format!("{} contre {}", first.fr, others.fr),
            format!("{} vs {}", first.en, others.en),
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
            level_confirmed: c.level_confirmed,
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
                level_confirmed: c.level_confirmed,
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
