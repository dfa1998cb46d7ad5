//! Scores. The *note théorique* counts what the vendor declares, the *note pratique* what the
//! probes verified; both per axis × level, each with its coverage, so a high practical score on
//! three verified criteria is never mistaken for conformity. The numbers come from the grid's
//! `scoring.yaml` (versioned), and every report shows the points behind them.
//!
//! Formula version 2 adds the overall figure per side: cells weighted by level (`weights`), so a
//! recommandation counts less than an exigence; an incomplete audit gets no overall *pratique*
//! grade, only its coverage. Waived criteria are not assessed (neither points nor maximum) but
//! stay applicable, so they lower the coverage instead of passing quietly.

use serde::{Deserialize, Serialize};

use crate::declaration::Status;
use crate::grid::{Formula, Grid, Level};
use crate::verdict::{Assessment, Verdict};

/// One criterion as scoring sees it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Scored<'a> {
    /// The axis id.
    pub axis: &'a str,
    /// The level.
    pub level: Level,
    /// Whether the level is confirmed; the others are scored in cells of their own.
    pub confirmed: bool,
    /// What the vendor declared.
    pub declared: Option<Status>,
    /// What the probes verified.
    pub verdict: Verdict,
}

impl<'a> Scored<'a> {
    /// Whether this criterion can decide the outcome: an exigence whose level is confirmed, or
    /// any exigence when `strict` (the certifier treats levels to confirm as confirmed).
    pub fn gates(&self, strict: bool) -> bool {
        self.level == Level::Exigence && (self.confirmed || strict)
    }
}

/// Every assessed criterion of `grid` as scoring sees it (`assessments` in grid order, as
/// `verdict::judge_all` gives them).
pub fn scored<'a>(grid: &'a Grid, assessments: &[Assessment]) -> Vec<Scored<'a>> {
    grid.criteria
        .iter()
        .zip(assessments)
        .map(|(c, a)| Scored {
            axis: &c.axis,
            level: c.level,
            confirmed: c.level_confirmed(),
            declared: a.declared,
            verdict: a.verdict,
        })
        .collect()
}

/// The audit's overall outcome.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AuditOutcome {
    /// No applicable exigence failed or was left undecided.
    Conforme,
    /// An applicable exigence failed.
    NonConforme,
    /// Probe errors left an applicable exigence undecided, and none failed.
    Incomplete,
}

impl AuditOutcome {
    /// The outcome's name in reports.
    pub fn as_str(self) -> &'static str {
        match self {
            AuditOutcome::Conforme => "conforme",
            AuditOutcome::NonConforme => "non_conforme",
            AuditOutcome::Incomplete => "incomplete",
        }
    }
}

/// Any failed gating exigence makes the ENT non conforme: an exigence whose level is still to
/// confirm gates only when `strict`. Any undecided exigence, confirmed or not, makes the audit
/// incomplete: a probe error says the audit could not look, whatever the level, and an audit
/// whose probes all failed to connect must never pass as conforme.
pub fn outcome(criteria: &[Scored<'_>], strict: bool) -> AuditOutcome {
    if criteria
        .iter()
        .any(|c| c.gates(strict) && c.verdict == Verdict::Fail)
    {
        AuditOutcome::NonConforme
    } else if criteria
        .iter()
        .any(|c| c.level == Level::Exigence && c.verdict == Verdict::Error)
    {
        AuditOutcome::Incomplete
    } else {
        AuditOutcome::Conforme
    }
}

/// One cell of a score table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Cell {
    /// Axis id.
    pub axis: String,
    /// Level.
    pub level: Level,
    /// Whether the cell holds criteria whose level is confirmed (`false`: "niveau à confirmer",
    /// kept out of the overall figures).
    #[serde(default = "yes")]
    pub level_confirmed: bool,
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

/// One side's figure over the whole grid, cells weighted by level.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Overall {
    /// Weighted points earned.
    pub points: f64,
    /// Weighted points possible over what was assessed.
    pub maximum: f64,
    /// `points / maximum` as a percentage; `None` when nothing was assessed, or (pratique) when
    /// the audit is incomplete: no grade, only coverage.
    pub percent: Option<f64>,
    /// Criteria assessed over criteria applicable, as a percentage (unweighted).
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
    /// Théorique over the whole grid (formula 2 and later).
    #[serde(default)]
    pub overall_theoretical: Overall,
    /// Pratique over the whole grid (formula 2 and later); no grade when the audit is incomplete.
    #[serde(default)]
    pub overall_practical: Overall,
    /// Théorique over the criteria whose level is still to confirm, apart from the above.
    #[serde(default)]
    pub overall_theoretical_to_confirm: Overall,
    /// Pratique over the criteria whose level is still to confirm, apart from the above.
    #[serde(default)]
    pub overall_practical_to_confirm: Overall,
}

fn yes() -> bool {
    true
}

/// Points a declaration earns, and whether it counts at all (non_applicable does not).
pub fn declared_points(formula: &Formula, declared: Option<Status>) -> Option<f64> {
    match declared {
        Some(Status::NonApplicable) => None,
        Some(status) => Some(formula.declared_points.get(&status).copied().unwrap_or(0.0)),
        None => Some(0.0),
    }
}

/// Points a verdict earns; only pass and fail are assessed.
pub fn verdict_points(formula: &Formula, verdict: Verdict) -> Option<f64> {
    match verdict {
        Verdict::Pass | Verdict::Fail => {
            Some(formula.verdict_points.get(&verdict).copied().unwrap_or(0.0))
        }
        _ => None,
    }
}

/// Computes both scores for `criteria` (applicable ones only count; not_applicable is dropped).
/// Criteria whose level is confirmed make the axis × level cells and the overall figures;
/// those still to confirm get cells of their own (only where there are some) and overall
/// figures of their own, so a guess about a level never moves the headline numbers.
/// `incomplete` withholds the overall pratique grade.
pub fn compute(grid: &Grid, criteria: &[Scored<'_>], incomplete: bool) -> Scores {
    let mut theoretical = Vec::new();
    let mut practical = Vec::new();
    for confirmed in [true, false] {
        for axis in &grid.axes {
            for level in Level::ALL {
                let cell: Vec<&Scored<'_>> = criteria
                    .iter()
                    .filter(|c| {
                        c.axis == axis.id
                            && c.level == level
                            && c.confirmed == confirmed
                            && c.verdict != Verdict::NotApplicable
                    })
                    .collect();
                let applicable = cell.len();
                if !confirmed && applicable == 0 {
                    continue;
                }
                let tallied = |points: &mut dyn Iterator<Item = f64>| Cell {
                    level_confirmed: confirmed,
                    ..tally(&axis.id, level, applicable, points)
                };
                theoretical.push(tallied(
                    &mut cell
                        .iter()
                        .filter_map(|c| declared_points(&grid.formula, c.declared)),
                ));
                practical.push(tallied(
                    &mut cell
                        .iter()
                        .filter_map(|c| verdict_points(&grid.formula, c.verdict)),
                ));
            }
        }
    }
    let (confirmed_t, to_confirm_t): (Vec<Cell>, Vec<Cell>) =
        theoretical.iter().cloned().partition(|c| c.level_confirmed);
    let (confirmed_p, to_confirm_p): (Vec<Cell>, Vec<Cell>) =
        practical.iter().cloned().partition(|c| c.level_confirmed);
    let mut overall_practical = overall(&grid.formula, &confirmed_p);
    let mut overall_practical_to_confirm = overall(&grid.formula, &to_confirm_p);
    if incomplete {
        overall_practical.percent = None;
        overall_practical_to_confirm.percent = None;
    }
    Scores {
        formula_version: grid.formula.formula_version,
        overall_theoretical: overall(&grid.formula, &confirmed_t),
        overall_practical,
        overall_theoretical_to_confirm: overall(&grid.formula, &to_confirm_t),
        overall_practical_to_confirm,
        theoretical,
        practical,
    }
}

/// Sums cells with their level's weight (1 when the formula gives none).
fn overall(formula: &Formula, cells: &[Cell]) -> Overall {
    let weight = |c: &Cell| formula.weights.get(&c.level).copied().unwrap_or(1.0);
    let points = cells.iter().fold(0.0, |acc, c| acc + weight(c) * c.points);
    let maximum = cells.iter().fold(0.0, |acc, c| acc + weight(c) * c.maximum);
    let assessed: usize = cells.iter().map(|c| c.assessed).sum();
    let applicable: usize = cells.iter().map(|c| c.applicable).sum();
    Overall {
        points: round1(points),
        maximum: round1(maximum),
        percent: (maximum > 0.0).then(|| round1(100.0 * points / maximum)),
        coverage: ratio(assessed, applicable),
    }
}

#[allow(clippy::cast_precision_loss)] // criterion counts are far below 2^52
fn ratio(part: usize, whole: usize) -> f64 {
    if whole == 0 {
        0.0
    } else {
        round1(100.0 * part as f64 / whole as f64)
    }
}

fn tally(axis: &str, level: Level, applicable: usize, points: impl Iterator<Item = f64>) -> Cell {
    let points: Vec<f64> = points.collect();
    let assessed = points.len();
    // A fold from +0.0: `sum()` of nothing is -0.0, which reports would print as "-0".
    let earned = points.iter().fold(0.0, |acc, p| acc + p);
    #[allow(clippy::cast_precision_loss)] // criterion counts are far below 2^52
    let maximum = assessed as f64;
    Cell {
        axis: axis.to_string(),
        level,
        level_confirmed: true,
        points: earned,
        maximum,
        percent: (assessed > 0).then(|| round1(100.0 * earned / maximum)),
        assessed,
        applicable,
        coverage: ratio(assessed, applicable),
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
            axes: vec![
                Axis {
                    id: "a".into(),
                    name: Text::default(),
                },
                Axis {
                    id: "b".into(),
                    name: Text::default(),
                },
            ],
            criteria: vec![],
            formula: Formula {
                formula_version: 2,
                weights: [(Level::Exigence, 3.0), (Level::Recommandation, 1.0)].into(),
                declared_points: [
                    (Status::Conforme, 1.0),
                    (Status::Partiel, 0.5),
                    (Status::NonConforme, 0.0),
                ]
                .into(),
                verdict_points: [(Verdict::Pass, 1.0), (Verdict::Fail, 0.0)].into(),
            },
        }
    }

    #[test]
    fn hand_computed_cell() {
        let s = |declared, verdict| Scored {
            axis: "a",
            level: Level::Exigence,
            confirmed: true,
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
            false,
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

    fn on(
        axis: &'static str,
        level: Level,
        declared: Option<Status>,
        verdict: Verdict,
    ) -> Scored<'static> {
        Scored {
            axis,
            level,
            confirmed: true,
            declared,
            verdict,
        }
    }

    #[test]
    fn overall_weights_exigences_three_to_one() {
        use Level::{Exigence as E, Recommandation as R};
        let c = Some(Status::Conforme);
        let scores = compute(
            &grid(),
            &[
                on("a", E, c, Verdict::Pass),
                on("a", E, c, Verdict::Fail),
                on("a", R, c, Verdict::Pass),
                on("b", R, None, Verdict::Fail),
                on("b", R, c, Verdict::NotTested),
            ],
            false,
        );
        // Pratique: exigences 1/2 weighted 3 → 3/6; recommandations 1/2 weighted 1 → 1/2.
        // (3 + 1) / (6 + 2) = 50 %; assessed 4 of 5 applicable = 80 % coverage.
        let p = &scores.overall_practical;
        assert_eq!(
            (p.points, p.maximum, p.percent, p.coverage),
            (4.0, 8.0, Some(50.0), 80.0)
        );
        // Théorique: exigences 2/2 → 6/6; recommandations conforme, none, conforme → 2/3.
        // (6 + 2) / (6 + 3) = 88.9 %; every applicable criterion is assessed (undeclared = 0).
        let t = &scores.overall_theoretical;
        assert_eq!(
            (t.points, t.maximum, t.percent, t.coverage),
            (8.0, 9.0, Some(88.9), 100.0)
        );
        assert_eq!(
            scores.practical[2].points.to_bits(),
            0.0_f64.to_bits(),
            "no -0"
        );
    }

    #[test]
    fn waived_is_not_assessed_and_an_incomplete_audit_gets_no_grade() {
        let c = Some(Status::Conforme);
        let criteria = [
            on("a", Level::Exigence, c, Verdict::Pass),
            on("a", Level::Exigence, c, Verdict::Error),
            on("a", Level::Recommandation, c, Verdict::Waived),
            on("a", Level::Recommandation, c, Verdict::Pass),
        ];
        let scores = compute(&grid(), &criteria, true);
        let rec = &scores.practical[1];
        // The waived recommandation is neither points nor maximum, but still applicable.
        assert_eq!(
            (
                rec.points,
                rec.maximum,
                rec.assessed,
                rec.applicable,
                rec.coverage
            ),
            (1.0, 1.0, 1, 2, 50.0)
        );
        let p = &scores.overall_practical;
        // 3·1 + 1·1 over 3·1 + 1·1 would be 100 %, but the error makes the audit incomplete.
        assert_eq!(
            (p.points, p.maximum, p.percent, p.coverage),
            (4.0, 4.0, None, 50.0)
        );
        assert_eq!(
            compute(&grid(), &criteria, false).overall_practical.percent,
            Some(100.0)
        );
    }

    #[test]
    fn levels_to_confirm_are_scored_apart() {
        let c = Some(Status::Conforme);
        let mut guess = on("a", Level::Exigence, None, Verdict::Fail);
        guess.confirmed = false;
        let scores = compute(
            &grid(),
            &[on("a", Level::Exigence, c, Verdict::Pass), guess],
            false,
        );
        // Four confirmed cells as always, then one of its own for the guessed level.
        assert_eq!(scores.practical.len(), 5);
        let apart = &scores.practical[4];
        assert_eq!(
            (
                apart.level_confirmed,
                apart.applicable,
                apart.points,
                apart.maximum
            ),
            (false, 1, 0.0, 1.0)
        );
        // The failed guess does not move the overall figure; it has its own.
        assert_eq!(scores.overall_practical.percent, Some(100.0));
        assert_eq!(scores.overall_practical_to_confirm.percent, Some(0.0));
        assert_eq!(scores.overall_theoretical.percent, Some(100.0));
    }
}
