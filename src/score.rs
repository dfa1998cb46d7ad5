//! Scores. The *note théorique* counts what the vendor declares, the *note pratique* what the
//! probes verified; both per axis × level, each with its coverage, so a high practical score on
//! three verified criteria is never mistaken for conformity. The numbers come from the grid's
//! `scoring.yaml` (versioned), and every report shows the points behind them.

use serde::{Deserialize, Serialize};

use crate::declaration::Status;
use crate::grid::{Formula, Grid, Level};
use crate::verdict::Verdict;

/// One criterion as scoring sees it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Scored<'a> {
    /// The axis id.
    pub axis: &'a str,
    /// The level.
    pub level: Level,
    /// What the vendor declared.
    pub declared: Option<Status>,
    /// What the probes verified.
    pub verdict: Verdict,
}

/// One cell of a score table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Cell {
    /// Axis id.
    pub axis: String,
    /// Level.
    pub level: Level,
    /// Points earned.
    pub points: f64,
    /// Points possible over what was assessed.
    pub maximum: f64,
    /// `points / maximum` as a percentage; `None` when nothing was assessed.
    pub percent: Option<f64>,
    /// Criteria assessed (declared, or verified pass/fail).
    pub assessed: usize,
    /// Criteria applicable.
    pub applicable: usize,
    /// `assessed / applicable` as a percentage.
    pub coverage: f64,
}

/// Both scores.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Scores {
    /// The formula's version.
    pub formula_version: u32,
    /// From declarations, per axis × level.
    pub theoretical: Vec<Cell>,
    /// From verdicts, per axis × level.
    pub practical: Vec<Cell>,
}

/// Points a declaration earns, and whether it counts at all (non_applicable does not).
pub fn declared_points(formula: &Formula, declared: Option<Status>) -> Option<f64> {
    match declared {
        Some(Status::NonApplicable) => None,
        Some(status) => Some(
            formula
                .declared_points
                .get(status.as_str())
                .copied()
                .unwrap_or(0.0),
        ),
        None => Some(0.0),
    }
}

/// Points a verdict earns; only pass and fail are assessed.
pub fn verdict_points(formula: &Formula, verdict: Verdict) -> Option<f64> {
    match verdict {
        Verdict::Pass | Verdict::Fail => Some(
            formula
                .verdict_points
                .get(verdict.as_str())
                .copied()
                .unwrap_or(0.0),
        ),
        _ => None,
    }
}

/// Computes both scores for `criteria` (applicable ones only count; not_applicable is dropped).
pub fn compute(grid: &Grid, criteria: &[Scored<'_>]) -> Scores {
    let mut theoretical = Vec::new();
    let mut practical = Vec::new();
    for axis in &grid.axes {
        for level in Level::ALL {
            let cell: Vec<&Scored<'_>> = criteria
                .iter()
                .filter(|c| {
                    c.axis == axis.id && c.level == level && c.verdict != Verdict::NotApplicable
                })
                .collect();
            let applicable = cell.len();
            theoretical.push(tally(
                &axis.id,
                level,
                applicable,
                cell.iter()
                    .filter_map(|c| declared_points(&grid.formula, c.declared)),
            ));
            practical.push(tally(
                &axis.id,
                level,
                applicable,
                cell.iter()
                    .filter_map(|c| verdict_points(&grid.formula, c.verdict)),
            ));
        }
    }
    Scores {
        formula_version: grid.formula.formula_version,
        theoretical,
        practical,
    }
}

fn tally(axis: &str, level: Level, applicable: usize, points: impl Iterator<Item = f64>) -> Cell {
    let points: Vec<f64> = points.collect();
    let assessed = points.len();
    let earned: f64 = points.iter().sum();
    #[allow(clippy::cast_precision_loss)] // criterion counts are far below 2^52
    let (maximum, applicable_f) = (assessed as f64, applicable as f64);
    Cell {
        axis: axis.to_string(),
        level,
        points: earned,
        maximum,
        percent: (assessed > 0).then(|| round1(100.0 * earned / maximum)),
        assessed,
        applicable,
        coverage: if applicable == 0 {
            0.0
        } else {
            round1(100.0 * maximum / applicable_f)
        },
    }
}

fn round1(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::grid::{Axis, Formula};
    use crate::text::Text;

    fn grid() -> Grid {
        Grid {
            sdet_version: "t".into(),
            title: Text::default(),
            published: None,
            sources: vec![],
            axes: vec![Axis {
                id: "a".into(),
                name: Text::default(),
            }],
            criteria: vec![],
            formula: Formula {
                formula_version: 1,
                weights: [(Level::Exigence, 3.0), (Level::Recommandation, 1.0)].into(),
                declared_points: [
                    ("conforme".into(), 1.0),
                    ("partiel".into(), 0.5),
                    ("non_conforme".into(), 0.0),
                ]
                .into(),
                verdict_points: [("pass".into(), 1.0), ("fail".into(), 0.0)].into(),
            },
        }
    }

    #[test]
    fn hand_computed_cell() {
        let s = |declared, verdict| Scored {
            axis: "a",
            level: Level::Exigence,
            declared,
            verdict,
        };
        let scores = compute(
            &grid(),
            &[
                s(Some(Status::Conforme), Verdict::Pass),
                s(Some(Status::Partiel), Verdict::Fail),
                s(Some(Status::NonApplicable), Verdict::Error),
                s(None, Verdict::NotTested),
                s(Some(Status::Conforme), Verdict::NotApplicable),
            ],
        );
        let t = &scores.theoretical[0];
        // conforme 1 + partiel 0.5 + undeclared 0, over 3 assessed of 4 applicable.
        assert_eq!(
            (
                t.points,
                t.maximum,
                t.percent,
                t.assessed,
                t.applicable,
                t.coverage
            ),
            (1.5, 3.0, Some(50.0), 3, 4, 75.0)
        );
        let p = &scores.practical[0];
        // pass 1 + fail 0 over 2 verified of 4 applicable; error and not_tested are not assessed.
        assert_eq!(
            (p.points, p.maximum, p.percent, p.coverage),
            (1.0, 2.0, Some(50.0), 50.0)
        );
        let empty = &scores.practical[1];
        assert_eq!(
            (empty.percent, empty.applicable, empty.coverage),
            (None, 0, 0.0)
        );
    }
}
